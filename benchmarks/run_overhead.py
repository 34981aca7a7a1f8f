"""Framework overhead per call, in microseconds: augkit vs Albumentations 2.0.8.

On an 8x8x3 uint8 image the pixel work is negligible, so the time is what the framework adds
(argument handling, parameter sampling, target dispatch, box conversion and checks):

    (a) one transform called directly          HorizontalFlip(p=1)
    (b) Compose of 5 transforms                HorizontalFlip, VerticalFlip, RandomRotate90,
                                               Transpose, RandomBrightnessContrast (all p=1)
    (c) Compose([HorizontalFlip]) with a mask and 2 pascal_voc boxes with labels
    (+) Compose([HorizontalFlip]) on the image only, to separate (c)'s annotation cost

Method (timeit-style): each case's callable is warmed up (>= 2000 calls and >= 0.3 s; the first
few hundred calls of a pipeline are measurably slower), then runs `number` times per repeat,
`number` calibrated so that a repeat lasts about 10 ms; the repeats of all cases are interleaved
(rotating order) and the median over repeats, divided by `number`, is reported. GC is off inside
a repeat, one thread.

    benchmarks/.venv/bin/python benchmarks/run_overhead.py
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library, before numpy/OpenCV/torch load)

# isort: split
import argparse
import datetime
import json
import os
import statistics
import sys
import time
import timeit
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

cv2.setNumThreads(1)
cv2.ocl.setUseOpenCL(False)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from libraries import _import_augkit  # noqa: E402
from run_image import machine_info  # noqa: E402

# (key, description, target in microseconds or None)
CASES = [
    ("single", "single transform call: HorizontalFlip(p=1)", 3.0),
    ("compose5", "Compose of 5 (HFlip, VFlip, RandomRotate90, Transpose, RandomBrightnessContrast)", 15.0),
    ("bboxes", "Compose([HorizontalFlip]) + mask + 2 pascal_voc boxes + labels", 30.0),
    ("compose1", "Compose([HorizontalFlip]), image only (for reference)", None),
]


def make_inputs():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, size=(8, 8, 3), dtype=np.uint8)
    mask = rng.integers(0, 2, size=(8, 8), dtype=np.uint8)
    bboxes = np.array([[1, 1, 5, 5], [2, 2, 7, 6]], dtype=float)
    labels = [1, 2]
    return img, mask, bboxes, labels


def augkit_cases(img, mask, bboxes, labels) -> tuple[dict[str, Callable[[], Any]], str, list[str]]:
    ak = _import_augkit()
    version = getattr(ak, "__version__", "dev")
    errors: list[str] = []
    rng = np.random.default_rng(0)
    out: dict[str, Callable[[], Any]] = {}

    def add(key, build):
        try:
            fn = build()
            fn()  # must run once before it is timed
            out[key] = fn
        except Exception as exc:
            errors.append(f"{key}: {type(exc).__name__}: {exc}")

    def single():
        t = ak.image.HorizontalFlip(p=1.0)
        return lambda: t(image=img, rng=rng)

    def compose5():
        pipe = ak.Compose(
            [
                ak.image.HorizontalFlip(p=1.0),
                ak.image.VerticalFlip(p=1.0),
                ak.image.RandomRotate90(p=1.0),
                ak.image.Transpose(p=1.0),
                ak.image.RandomBrightnessContrast(brightness=(-0.2, 0.2), contrast=(-0.2, 0.2), p=1.0),
            ],
            seed=0,
        )
        return lambda: pipe(image=img, rng=rng)

    def with_boxes():
        pipe = ak.Compose([ak.image.HorizontalFlip(p=1.0)], bbox_format="pascal_voc", seed=0)
        return lambda: pipe(image=img, mask=mask, bboxes=bboxes, labels=labels)

    def compose1():
        pipe = ak.Compose([ak.image.HorizontalFlip(p=1.0)], seed=0)
        return lambda: pipe(image=img, rng=rng)

    add("single", single)
    add("compose5", compose5)
    add("bboxes", with_boxes)
    add("compose1", compose1)
    return out, version, errors


def albumentations_cases(img, mask, bboxes, labels):
    import albumentations as A

    single = A.HorizontalFlip(p=1.0)
    compose5 = A.Compose(
        [
            A.HorizontalFlip(p=1.0),
            A.VerticalFlip(p=1.0),
            A.RandomRotate90(p=1.0),
            A.Transpose(p=1.0),
            A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.2, p=1.0),
        ],
        seed=0,
    )
    with_boxes = A.Compose(
        [A.HorizontalFlip(p=1.0)],
        bbox_params=A.BboxParams(format="pascal_voc", label_fields=["labels"]),
        seed=0,
    )
    compose1 = A.Compose([A.HorizontalFlip(p=1.0)], seed=0)
    out = {
        "single": lambda: single(image=img),
        "compose5": lambda: compose5(image=img),
        "bboxes": lambda: with_boxes(image=img, mask=mask, bboxes=bboxes, labels=labels),
        "compose1": lambda: compose1(image=img),
    }
    for fn in out.values():
        fn()
    return out, A.__version__, []


def warm_up(fn: Callable[[], Any], seconds: float = 0.3, min_calls: int = 2000) -> None:
    """Run ``fn`` until the interpreter and the libraries' caches are warm (the first few hundred
    calls of a pipeline are measurably slower than the steady state)."""
    calls = 0
    end = time.perf_counter() + seconds
    while calls < min_calls or time.perf_counter() < end:
        fn()
        calls += 1


def calibrate(fn: Callable[[], Any], target_s: float) -> int:
    warm_up(fn)
    number = 1
    while True:
        t = timeit.Timer(fn).timeit(number)
        if t >= target_s / 5 or number >= 1_000_000:
            return max(1, int(number * target_s / max(t, 1e-9)))
        number *= 5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeats", type=int, default=100)
    ap.add_argument("--repeat-ms", type=float, default=10.0, help="target length of one repeat")
    ap.add_argument("--json", default=os.path.join(HERE, "results", "overhead.json"))
    ap.add_argument("--markdown", default=os.path.join(HERE, "results", "overhead.md"))
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")

    img, mask, bboxes, labels = make_inputs()
    libs: dict[str, dict[str, Callable[[], Any]]] = {}
    versions: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name, build in (("augkit", augkit_cases), ("albumentations", albumentations_cases)):
        try:
            libs[name], versions[name], errors[name] = build(img, mask, bboxes, labels)
        except Exception as exc:
            traceback.print_exc()
            errors[name] = [f"unavailable: {type(exc).__name__}: {exc}"]
        for e in errors.get(name, []):
            print(f"!! {name}: {e}", file=sys.stderr)

    jobs = [(lib, key, fn) for lib, fns in libs.items() for key, fn in fns.items()]
    numbers = {(lib, key): calibrate(fn, args.repeat_ms / 1e3) for lib, key, fn in jobs}
    samples: dict[tuple[str, str], list[float]] = {(lib, key): [] for lib, key, _ in jobs}
    for r in range(args.repeats):
        k = r % len(jobs)
        for lib, key, fn in jobs[k:] + jobs[:k]:
            n = numbers[(lib, key)]
            samples[(lib, key)].append(timeit.Timer(fn).timeit(n) / n * 1e6)

    med = {k: statistics.median(v) for k, v in samples.items()}
    rows = []
    for key, desc, target in CASES:
        a = med.get(("augkit", key))
        b = med.get(("albumentations", key))
        rows.append(
            {
                "case": key,
                "description": desc,
                "target_us": target,
                "augkit_us": a,
                "albumentations_us": b,
                "augkit_meets_target": None if a is None or target is None else a <= target,
                "albumentations_over_augkit": None if a is None or b is None else b / a,
            }
        )

    def us(x):
        return "–" if x is None else f"{x:.2f}"

    alb = f"Albumentations {versions.get('albumentations', '?')}"
    lines = [
        f"| Case | target | augkit {versions.get('augkit', '?')} | {alb} | meets target | Albumentations/augkit |",
        "|---|--:|--:|--:|:-:|--:|",
    ]
    for row in rows:
        ok = row["augkit_meets_target"]
        lines.append(
            f"| {row['description']} | "
            + ("–" if row["target_us"] is None else f"<= {row['target_us']:g} µs")
            + f" | {us(row['augkit_us'])} | {us(row['albumentations_us'])} | "
            + ("–" if ok is None else ("yes" if ok else "**no**"))
            + " | "
            + ("–" if row["albumentations_over_augkit"] is None else f"{row['albumentations_over_augkit']:.1f}x")
            + " |"
        )
    info = machine_info()
    date = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    md = (
        f"Microseconds per call (median of {args.repeats} interleaved repeats of ~"
        f"{args.repeat_ms:g} ms each), 8x8x3 uint8 image, one thread.  \n"
        f"{info['cpu']}, nproc={info['nproc']}, Python {info['python']}, numpy {info['numpy']}, "
        f"OpenCV {info['opencv']}; {date}.\n\n" + "\n".join(lines) + "\n"
    )
    errs = [f"{lib}: {e}" for lib, es in errors.items() for e in es]
    if errs:
        md += "\nNot measured: " + "; ".join(errs) + "\n"
    print(md)
    results = {
        "date": date,
        "machine": info,
        "versions": versions,
        "errors": errors,
        "method": {
            "repeats": args.repeats,
            "repeat_ms": args.repeat_ms,
            "numbers": {f"{lib}/{key}": n for (lib, key), n in numbers.items()},
        },
        "rows": rows,
        "samples_us": {f"{lib}/{key}": v for (lib, key), v in samples.items()},
    }
    for path, text in ((args.json, json.dumps(results, indent=2) + "\n"), (args.markdown, md)):
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    print(f"wrote {args.json} and {args.markdown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
