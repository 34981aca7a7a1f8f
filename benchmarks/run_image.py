"""Image throughput: augkit vs Albumentations 2.0.8, torchvision v2, Kornia (CPU) and Pillow.

Two suites: ``--suite geometry`` (the spatial catalog, results/image.md) and ``--suite pixel`` (the
pixel catalog, rows in pixel_suite.py, results/pixel.md).

One process, all libraries, interleaved, one thread each:

    for each transform:
        warm every library up on the first W images
        for each of R rounds:
            for each library, in an order that rotates every round:
                time N calls (one per image), the output made contiguous inside the timed region
                (a fast transform repeats the N-image pass so that a block lasts >= --min-block s)
    report the median img/s over the rounds, and for augkit/peer the median over rounds of the
    per-round ratio (both blocks of a round ran side by side, so a slow patch mostly cancels)

Run it in the separate benchmark venv (see README.md):

    bash benchmarks/setup_env.sh
    benchmarks/.venv/bin/python benchmarks/run_image.py [--suite pixel]
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library, before numpy/OpenCV/torch load)

# isort: split
import argparse
import datetime
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import cv2
import numpy as np

cv2.setNumThreads(1)
cv2.ocl.setUseOpenCL(False)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import images  # noqa: E402
from libraries import Albumentations, Augkit, Kornia, Library, Torchvision  # noqa: E402
from pixel_suite import ROWS as PIXEL_ROWS  # noqa: E402
from pixel_suite import Pillow  # noqa: E402


# The transforms, in table order. Parameters are matched across libraries; "note" says where a
# peer only has a near equivalent or runs something different. "images" caps the images per timed
# block for a slow row (every library of the row gets the same first N images of the pool), so that
# the default run stays around 12 minutes on 2 cores; None: all of -n/--images. --no-caps lifts it.
class Row(NamedTuple):
    key: str
    note: str = ""
    images: int | None = None


TRANSFORMS: list[Row] = [
    Row("HorizontalFlip"),
    Row("VerticalFlip"),
    Row("Transpose", "no torchvision or Kornia transform"),
    Row(
        "RandomRotate90",
        "torchvision: RandomChoice of RandomRotation((a, a), expand=True), a in {0,90,180,270} "
        "(its torch.rot90 fast path); Kornia: RandomRotation90(times=(0, 3)), a warp that keeps the input's HxW",
    ),
    Row("RandomCrop224", "224x224"),
    Row("CenterCrop224", "224x224 (torchvision rounds an odd margin up, the others down: a 1-pixel shift)"),
    Row("Resize512", "512x512 bilinear (Kornia align_corners=False)"),
    Row(
        "Normalize",
        "ImageNet mean/std, uint8 -> float32; torchvision: ToDtype(float32, scale=True) + Normalize; "
        "Kornia input is already float32/255",
    ),
    Row(
        "RandomBrightnessContrast",
        "brightness 0.2, contrast 0.2; torchvision and Kornia: ColorJitter(brightness=0.2, "
        "contrast=0.2), the nearest op (multiplicative brightness)",
    ),
    # geometry catalog (issue 3)
    Row(
        "Rotate45",
        "angle uniform in [-45, 45], bilinear, constant 0 border, same output size; torchvision: "
        "RandomRotation(45, BILINEAR); Kornia: RandomRotation(45.0) (bilinear, align_corners=True)",
        images=250,
    ),
    Row(
        "Affine",
        "one bilinear affine warp: rotate 25, scale 1.2, x-shear 10 degrees, about the centre, same size; "
        "Albumentations gets shear={x: 10, y: 0} (its scalar shear=10 shears both axes); torchvision and "
        "Kornia: RandomAffine(degrees=(25, 25), scale=(1.2, 1.2), shear=(10, 10, 0, 0)) (torchvision BILINEAR)",
        images=250,
    ),
    Row(
        "ShiftScaleRotate",
        "shift +-6.25 %, scale 0.9-1.1, rotate +-45, bilinear (Albumentations' defaults); torchvision and Kornia: "
        "RandomAffine(degrees=45, translate=(0.0625, 0.0625), scale=(0.9, 1.1)) (torchvision BILINEAR)",
        images=250,
    ),
    Row("SafeRotate", "angle +-45, shrunk to keep the whole image; no torchvision or Kornia transform"),
    Row(
        "Perspective",
        "one bilinear perspective warp, same size; augkit, torchvision and Kornia: distortion_scale=0.5 "
        "(each corner moves inward by up to 0.5 x half the size, uniform); Albumentations: Perspective(scale="
        "(0.05, 0.1)), its own corner model (each corner moves inward by |normal(0, s)| of the size, s uniform "
        "in [0.05, 0.1], and the warp is rescaled to keep the size): a milder warp, the same single warp",
        images=250,
    ),
    Row(
        "RandomResizedCrop224",
        "scale (0.08, 1), ratio (3/4, 4/3), bilinear to 224x224; torchvision antialias=True; Kornia align_corners=True",
        images=500,
    ),
    Row(
        "LongestMaxSize512",
        "longest side to 512 (an upscale of 500x375: 512x384), bilinear; torchvision: "
        "Resize(size=None, max_size=512); Kornia: Resize(512, side='long')",
        images=500,
    ),
    Row(
        "SmallestMaxSize256",
        "shortest side to 256 (a downscale: 341x256), bilinear; torchvision: Resize(256) with antialias=True "
        "(a wider filter); Kornia: Resize(256, side='short') (antialias=False, align_corners=True); "
        "Albumentations: INTER_LINEAR",
        images=500,
    ),
    Row(
        "PadIfNeeded1024",
        "constant 0 padding to 1024x1024, image centred; torchvision: v2.functional.pad with the centring "
        "margins computed per image (v2.Pad takes fixed margins); Kornia: PadTo((1024, 1024)), which pads "
        "right and bottom only",
    ),
    Row(
        "SquareSymmetry",
        "one of the 8 flips/rotations of the square (Albumentations 2.0.8 also names it D4); no torchvision or Kornia transform",
    ),
    Row(
        "ElasticTransform",
        "alpha 50, sigma 5, bilinear, constant 0 border; augkit: unit-variance noise smoothed at sigma, the field "
        "built on a grid of step sigma/2 px and upsampled (its documented fast path); "
        "Albumentations: normal noise scaled to [-1, 1] (its "
        "default), cv2.GaussianBlur, displacement alpha x smoothed noise in px; torchvision: uniform noise in "
        "[-1, 1], a 41x41 Gaussian kernel (8 sigma + 1), displacement alpha/2 x smoothed noise in px; Kornia: "
        "RandomElasticTransform(kernel_size=(41, 41), sigma=(5, 5), alpha=(50/500, 50/375)), torchvision's "
        "recipe with a separable blur (its alpha is in normalized grid units, fixed per transform: the same "
        "displacement as torchvision's on a 500x375 image)",
        images=50,
    ),
    Row("GridDistortion", "defaults (5 steps, distort_limit 0.3, bilinear); no torchvision or Kornia transform"),
    Row(
        "OpticalDistortion",
        "defaults (distort_limit 0.05, camera model, bilinear); no torchvision or Kornia transform",
        images=500,
    ),
]

LIBRARIES = ("augkit", "albumentations", "torchvision", "kornia", "pillow")
LABELS = {
    "augkit": "augkit",
    "albumentations": "Albumentations",
    "torchvision": "torchvision",
    "kornia": "Kornia",
    "pillow": "Pillow",
}


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------
def time_block(fn: Callable[[Any], Any], inputs: list[Any], passes: int = 1) -> float:
    """img/s over ``passes`` passes through ``inputs`` (GC collected before, disabled during)."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(passes):
            for x in inputs:
                fn(x)
        dt = time.perf_counter() - t0
    finally:
        gc.enable()
    return passes * len(inputs) / dt


def sanity_check(libs: dict[str, Library], fns: dict[str, dict], inputs: dict[str, list], rows: list) -> dict:
    """Output shape and dtype of every (transform, library) on the first image and, for the
    deterministic transforms, the largest absolute difference from Albumentations (0: identical;
    Kornia's float output is scaled back by 255 first)."""
    deterministic = {
        "HorizontalFlip",
        "VerticalFlip",
        "Transpose",
        "CenterCrop224",
        "Resize512",
        "Normalize",
        "LongestMaxSize512",
        "SmallestMaxSize256",
        "PadIfNeeded1024",
        "Invert",
        "Posterize",
        "Solarize",
        "Equalize",
        "AutoContrast",
        "ToGray",
        "ToSepia",
        "ToFloat",
        "GaussianBlur",
        "Blur",
        "MedianBlur",
    }
    report: dict[str, dict] = {}
    for key in (row.key for row in rows):
        row: dict[str, Any] = {}
        ref = None
        if key in fns.get("albumentations", {}):
            ref = np.asarray(fns["albumentations"][key](inputs["albumentations"][0]), np.float64)
        for lib_name, lib in libs.items():
            if key not in fns[lib_name]:
                continue
            try:
                out = fns[lib_name][key](inputs[lib_name][0])
                arr = lib.to_hwc_numpy(out)
            except Exception as exc:  # a call that fails is reported and left out of the timing
                msg = f"{key}: call failed: {type(exc).__name__}: {exc}"
                print(f"!! {lib_name}: {msg}", file=sys.stderr)
                lib.missing.append(msg)
                row[lib_name] = msg
                del fns[lib_name][key]
                continue
            entry = "x".join(map(str, arr.shape)) + f" {arr.dtype}"
            if ref is not None and key in deterministic and arr.shape == ref.shape:
                a = arr.astype(np.float64)
                if lib_name == "kornia" and key not in ("Normalize", "ToFloat"):
                    a = a * 255.0
                entry += f", max|diff| vs Albumentations {np.abs(a - ref).max():.3g}"
            row[lib_name] = entry
        report[key] = row
    return report


def machine_info() -> dict[str, Any]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    commit = "?"
    try:
        import subprocess

        git = ["git", "-C", images.REPO]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True, check=False)
        commit = (head.stdout.strip() or "no commit") + (" + uncommitted changes in src/" if dirty.stdout.strip() else "")
    except OSError:
        pass
    return {
        "augkit_tree": commit,
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "opencv": cv2.__version__,
        "load_avg_at_start": list(os.getloadavg()),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}".replace(",", " ")


def fmt_ratio(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def markdown(results: dict, libs: dict[str, Library], rows: list) -> str:
    names = [n for n in LIBRARIES if n in libs]
    peers = [n for n in names if n != "augkit"]
    head = ["Transform"] + [f"{LABELS[n]} {libs[n].version}" for n in names]
    if "augkit" in libs:
        head += [f"augkit/{LABELS[p]}" for p in peers]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" + "--:|" * (len(head) - 1)]
    for key in (row.key for row in rows):
        if key not in results["transforms"]:
            continue
        entry = results["transforms"][key]
        label = key if entry["images"] == results["method"]["images"] else f"{key} ({entry['images']} img)"
        row = [label] + [fmt_rate(entry.get(n, {}).get("median")) for n in names]
        if "augkit" in libs:
            row += [fmt_ratio(entry.get("ratios", {}).get(f"augkit/{p}")) for p in peers]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", "--images", type=int, default=1000, help="images per timed block")
    ap.add_argument("-r", "--rounds", type=int, default=9, help="interleaved rounds (median)")
    ap.add_argument("-w", "--warmup", type=int, default=50, help="warm-up images per library")
    ap.add_argument("--warmup-s", type=float, default=0.2, help="shortest warm-up in seconds")
    ap.add_argument(
        "--min-block", type=float, default=0.25, help="shortest timed block in seconds (fast transforms repeat the pass)"
    )
    ap.add_argument("--libs", default=None, help="comma-separated subset (default: all; Pillow only in the pixel suite)")
    ap.add_argument("--transforms", default="", help="comma-separated subset (default: all)")
    ap.add_argument(
        "--no-caps", action="store_true", help="time every row on all --images (ignore the per-row caps of slow rows)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--suite", choices=("geometry", "pixel"), default="geometry", help="which catalog's rows to run")
    ap.add_argument("--json", default=None, help="default: results/image.json (geometry) or results/pixel.json")
    ap.add_argument("--markdown", default=None, help="default: results/image.md (geometry) or results/pixel.md")
    args = ap.parse_args(argv)
    rows = TRANSFORMS if args.suite == "geometry" else PIXEL_ROWS
    stem = "image" if args.suite == "geometry" else "pixel"
    args.json = args.json or os.path.join(HERE, "results", f"{stem}.json")
    args.markdown = args.markdown or os.path.join(HERE, "results", f"{stem}.md")

    default_libs = LIBRARIES if args.suite == "pixel" else tuple(n for n in LIBRARIES if n != "pillow")
    wanted = [s for s in (args.libs or ",".join(default_libs)).split(",") if s]
    only = {s for s in args.transforms.split(",") if s}
    classes = {
        "augkit": Augkit,
        "albumentations": Albumentations,
        "torchvision": Torchvision,
        "kornia": Kornia,
        "pillow": Pillow,
    }

    libs: dict[str, Library] = {}
    skipped: dict[str, str] = {}
    for name in wanted:
        try:
            libs[name] = classes[name](args.seed)
        except Exception as exc:
            skipped[name] = f"{type(exc).__name__}: {exc}"
            print(f"!! {name} unavailable: {skipped[name]}", file=sys.stderr)
    if "torchvision" in libs or "kornia" in libs:
        import torch

        torch.set_num_threads(1)
        torch.set_grad_enabled(False)  # augmentation only: no autograd bookkeeping
    warnings.filterwarnings("ignore")

    print(f"building {args.images} photos ...", flush=True)
    pool, sources = images.build_pool(args.images, seed=args.seed)
    inputs = {name: lib.inputs(pool) for name, lib in libs.items()}
    fns: dict[str, dict] = {}
    for name, lib in list(libs.items()):
        try:
            fns[name] = lib.build()
        except Exception as exc:
            skipped[name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
            del libs[name]
    for name, lib in libs.items():
        for m in lib.missing:
            print(f"!! {name}: {m}", file=sys.stderr)

    check = sanity_check(libs, fns, inputs, rows)

    info = machine_info()
    info["torch"] = getattr(sys.modules.get("torch"), "__version__", None)
    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": info,
        "versions": {name: lib.version for name, lib in libs.items()},
        "skipped": skipped,
        "augkit_missing": getattr(libs.get("augkit"), "missing", []),
        "missing": {name: lib.missing for name, lib in libs.items() if lib.missing},
        "method": {
            "images": args.images,
            "rounds": args.rounds,
            "warmup": args.warmup,
            "warmup_s": args.warmup_s,
            "min_block_s": args.min_block,
            "image_sources": sorted({s.split("#")[0] for s in sources}),
            "threads": 1,
            "seed": args.seed,
            "row_caps": not args.no_caps,
        },
        "suite": args.suite,
        "notes": {row.key: row.note for row in rows if row.note},
        "sanity": check,
        "transforms": {},
    }

    names = list(libs)
    t_start = time.perf_counter()
    for spec in rows:
        key = spec.key
        if only and key not in only:
            continue
        active = [n for n in names if key in fns[n]]
        if not active:
            continue
        n_images = args.images if args.no_caps or spec.images is None else min(args.images, spec.images)
        block = {n: inputs[n][:n_images] for n in active}  # the same first photos for every library
        passes: dict[str, int] = {}
        for n in active:
            # warm-up, which also sizes the timed block: fast transforms pass over the images
            # several times so that one block lasts at least --min-block seconds
            warm = inputs[n][: max(1, args.warmup)]
            calls, end = 0, time.perf_counter() + args.warmup_s
            while calls < len(warm) or time.perf_counter() < end:
                fns[n][key](warm[calls % len(warm)])
                calls += 1
            rate = time_block(fns[n][key], warm)
            passes[n] = max(1, math.ceil(args.min_block * rate / len(block[n])))
        rates: dict[str, list[float]] = {n: [] for n in active}
        for r in range(args.rounds):
            k = r % len(active)
            for n in active[k:] + active[:k]:
                rates[n].append(time_block(fns[n][key], block[n], passes[n]))
        row: dict[str, Any] = {"images": len(block[active[0]])}
        for n in active:
            row[n] = {
                "passes": passes[n],
                "median": statistics.median(rates[n]),
                "stdev": statistics.stdev(rates[n]) if len(rates[n]) > 1 else 0.0,
                "rounds": rates[n],
            }
        # augkit/peer: the median over rounds of the ratio within each round (the two blocks ran
        # side by side, so a slow patch of the machine mostly cancels out); the ratio of the
        # medians is kept in the JSON too
        ratios = {}
        for p in active:
            if p != "augkit" and "augkit" in active:
                per_round = [a / b for a, b in zip(rates["augkit"], rates[p], strict=True)]
                ratios[f"augkit/{p}"] = statistics.median(per_round)
                ratios[f"augkit/{p} (ratio of medians)"] = row["augkit"]["median"] / row[p]["median"]
        row["ratios"] = ratios
        results["transforms"][key] = row
        print(
            f"{key:26s} "
            + "  ".join(f"{n}={row[n]['median']:9.0f}" for n in active)
            + f"   [{time.perf_counter() - t_start:6.1f} s]",
            flush=True,
        )
    results["elapsed_s"] = time.perf_counter() - t_start
    results["machine"]["load_avg_at_end"] = list(os.getloadavg())

    table = markdown(results, libs, rows)
    m = results["machine"]
    header = (
        f"Images/s, median of {args.rounds} interleaved rounds of {args.images} real photos "
        f"(~500x375 RGB; a slow row marked '(N img)' times the first N of them), one thread per library, "
        f"outputs contiguous; augkit/peer = median of the per-round ratios (> 1: augkit faster).  \n"
        f"{m['cpu']}, nproc={m['nproc']}, Python {m['python']}, numpy {m['numpy']}, "
        f"OpenCV {m['opencv']}, torch {m['torch']}; augkit tree {m['augkit_tree']}; {results['date']}."
    )
    notes = "\n".join(f"- {row.key}: {row.note}" for row in rows if row.note and row.key in results["transforms"])
    md = f"{header}\n\n{table}\n\nNotes:\n{notes}\n"
    if skipped:
        md += "\nSkipped libraries: " + "; ".join(f"{k} ({v})" for k, v in skipped.items()) + "\n"
    for name, missing in results["missing"].items():
        md += f"\n{LABELS[name]} transforms not available: " + "; ".join(missing) + "\n"
    print()
    print(md)

    for path, text in ((args.json, json.dumps(results, indent=2)), (args.markdown, md)):
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            with open(path, "w") as f:
                f.write(text + ("\n" if not text.endswith("\n") else ""))
    print(f"wrote {args.json} and {args.markdown} ({results['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
