"""Automatic augmentation policies: augkit.policies vs torchvision v2 and timm, per image.

Inputs: 200 distinct real photos (the benchmark pool, area-resized to 224x224 uint8 RGB), in each
library's native layout: numpy HWC for augkit, CHW uint8 tensors for torchvision v2, PIL images for
timm (``timm.data.auto_augment``, with the hparams timm's ``create_transform`` passes for 224 px:
``translate_const=100, img_mean=(124, 116, 104)``).

Policies (defaults of each library unless noted):
  AutoAugment ImageNet   augkit AutoAugment("imagenet") | tv AutoAugment(IMAGENET) | timm 'original'
  RandAugment N=2 M=9    augkit RandAugment()           | tv RandAugment()          | timm 'rand-m9-n2-mstd0'
  RandAugment timm-style augkit RandAugment(scale="paper", op_probability=0.5, timm's 15 ops, fill=mean,
                         interpolation="linear")        | timm 'rand-m9-n2-mstd0' (its like-for-like row)
  TrivialAugmentWide     augkit TrivialAugmentWide()    | tv TrivialAugmentWide()   | (timm has none)
  AugMix                 augkit AugMix()                | tv AugMix()               | timm 'augmix-m3-w3'
  UniformAugment         augkit UniformAugment()        | (no peer)

Method: one thread (torch.set_num_threads(1), cv2.setNumThreads(1), BLAS/OMP threads 1), autograd
off; every callable warmed up; then R rounds, in each every contender runs one block over all 200
images in a rotating order (interleaved, so a busy patch of a shared machine hits all alike). The
output is materialized (numpy arrays are contiguous already; torch outputs get ``.contiguous()``;
timm's PIL images are complete images). Reported: the median over rounds of the time per image, and
the median over rounds of the per-round ratio peer/augkit (> 1: augkit is faster).

    benchmarks/.venv/bin/python benchmarks/run_policies.py [--rounds 9] [--images 200]
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library, before numpy/OpenCV/torch load)

# isort: split
import argparse
import datetime
import gc
import importlib.metadata as md
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
import torch

cv2.setNumThreads(1)
cv2.ocl.setUseOpenCL(False)
torch.set_num_threads(1)
torch.set_grad_enabled(False)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import images as bench_images  # noqa: E402
from libraries import _import_augkit  # noqa: E402
from run_mix import machine_info  # noqa: E402

SIZE = 224
TIMM_HPARAMS = {"translate_const": int(SIZE * 0.45), "img_mean": (124, 116, 104)}
TIMM_RAND_OPS = [
    "AutoContrast", "Equalize", "Invert", "Rotate", "Posterize", "Solarize", "SolarizeAdd", "Color", "Contrast",
    "Brightness", "Sharpness", "ShearX", "ShearY", "TranslateX", "TranslateY",
]  # fmt: skip


def make_inputs(count: int) -> dict[str, list[Any]]:
    from PIL import Image

    pool, _ = bench_images.build_pool(count, seed=0)
    photos = [np.ascontiguousarray(cv2.resize(img, (SIZE, SIZE), interpolation=cv2.INTER_AREA)) for img in pool]
    return {
        "numpy": photos,
        "torch": [torch.from_numpy(p.copy()).permute(2, 0, 1).contiguous() for p in photos],
        "pil": [Image.fromarray(p.copy()) for p in photos],
    }


def build_cases() -> tuple[dict[str, dict[str, tuple[str, Callable[[Any], Any]]]], dict[str, str]]:
    """{case: {contender: (input kind, callable(one input) -> output)}} and setup errors."""
    _import_augkit()
    from augkit import policies as P

    errors: dict[str, str] = {}
    rng = np.random.default_rng(0)

    def ak(policy: Any) -> tuple[str, Callable[[Any], Any]]:
        return "numpy", lambda image: policy(image=image, rng=rng)["image"]

    def tv(policy: Any) -> tuple[str, Callable[[Any], Any]]:
        return "torch", lambda image: policy(image).contiguous()

    def tm(policy: Any) -> tuple[str, Callable[[Any], Any]]:
        return "pil", policy

    from timm.data.auto_augment import augment_and_mix_transform, auto_augment_transform, rand_augment_transform
    from torchvision.transforms import v2

    cases = {
        "AutoAugment ImageNet": {
            "augkit": ak(P.AutoAugment("imagenet")),
            "torchvision": tv(v2.AutoAugment(v2.AutoAugmentPolicy.IMAGENET)),
            "timm": tm(auto_augment_transform("original", dict(TIMM_HPARAMS))),
        },
        "RandAugment N=2 M=9": {
            "augkit": ak(P.RandAugment(num_ops=2, magnitude=9)),
            "torchvision": tv(v2.RandAugment(num_ops=2, magnitude=9)),
            "timm": tm(rand_augment_transform("rand-m9-n2-mstd0", dict(TIMM_HPARAMS))),
        },
        "RandAugment timm-style": {
            "augkit": ak(
                P.RandAugment(scale="paper", op_probability=0.5, ops=TIMM_RAND_OPS, fill=(124, 116, 104), interpolation="linear")
            ),
            "timm": tm(rand_augment_transform("rand-m9-n2-mstd0", dict(TIMM_HPARAMS))),
        },
        "TrivialAugmentWide": {
            "augkit": ak(P.TrivialAugmentWide()),
            "torchvision": tv(v2.TrivialAugmentWide()),
        },
        "AugMix severity 3 width 3": {
            "augkit": ak(P.AugMix(severity=3, width=3)),
            "torchvision": tv(v2.AugMix(severity=3, mixture_width=3)),
            "timm": tm(augment_and_mix_transform("augmix-m3-w3", dict(TIMM_HPARAMS))),
        },
        "UniformAugment": {"augkit": ak(P.UniformAugment())},
    }
    return cases, errors


def run(
    cases: dict[str, dict[str, tuple[str, Callable[[Any], Any]]]], data: dict[str, list[Any]], rounds: int
) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {case: {c: [] for c in fns} for case, fns in cases.items()}
    for case, fns in cases.items():
        names = list(fns)
        for name in names:  # warm-up: >= 50 images and >= 0.2 s
            kind, fn = fns[name]
            start, calls = time.perf_counter(), 0
            while calls < 50 or time.perf_counter() - start < 0.2:
                fn(data[kind][calls % len(data[kind])])
                calls += 1
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                kind, fn = fns[name]
                inputs = data[kind]
                gc.collect()
                gc.disable()
                start = time.perf_counter()
                for image in inputs:
                    fn(image)
                times[case][name].append((time.perf_counter() - start) / len(inputs))
                gc.enable()
        print(f"  {case}: " + ", ".join(f"{n} {statistics.median(times[case][n]) * 1e6:.0f} us" for n in names), flush=True)
    return times


def versions() -> dict[str, str]:
    out = {}
    for name in ("augkit", "numpy", "opencv-python-headless", "torch", "torchvision", "timm", "pillow"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "(not installed)"
    return out


def ratios(by_name: dict[str, list[float]]) -> dict[str, float]:
    """Median over rounds of peer time / augkit time (same round)."""
    mine = by_name["augkit"]
    peers = {peer: values for peer, values in by_name.items() if peer != "augkit"}
    return {peer: statistics.median(p / a for p, a in zip(values, mine, strict=True)) for peer, values in peers.items()}


def report(times: dict[str, dict[str, list[float]]], errors: dict[str, str], meta: dict[str, Any]) -> str:
    machine = meta["machine"]
    lines = [
        "# Automatic augmentation policies: augkit.policies vs torchvision v2 and timm",
        "",
        f"Date: {meta['date']}. Machine: {machine['cpu']} ({machine['nproc']} cores), load average at start "
        f"{[round(x, 2) for x in machine['load_avg_at_start']]}"
        + (" (a loaded machine: other jobs were running; rerun on an idle one for final numbers)." if meta["loaded"] else "."),
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ". One thread per library.",
        f"{meta['images']} real photos at 224x224 uint8, one per call; median over {meta['rounds']} interleaved rounds.",
        "Targets: >= 1.5x faster than torchvision v2, at least as fast as timm (`peer / augkit` > 1: augkit faster).",
        "",
        "| Policy | augkit us/img | torchvision us/img | tv / augkit | timm us/img | timm / augkit |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case, by_name in times.items():
        med = {name: statistics.median(values) * 1e6 for name, values in by_name.items()}
        ratio = ratios(by_name)
        cells = [f"{med['augkit']:.0f}"]
        for peer in ("torchvision", "timm"):
            cells += [f"{med[peer]:.0f}", f"{ratio[peer]:.2f}"] if peer in med else ["-", "-"]
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    if errors:
        lines += ["", "Contenders that could not run:", ""] + [f"- {k}: `{v}`" for k, v in errors.items()]
    lines += [
        "",
        "Notes: each library runs its own policy definition, so the op mix differs a little: timm's",
        "`rand-m9-n2-mstd0` applies each op with probability 0.5 on the 0-10 scale (M=9 is 0.9 of the range)",
        "with Invert/SolarizeAdd in its list, bilinear or bicubic warps and a mean fill; torchvision's and",
        "augkit's default RandAugment apply both ops at 9/30 of the range with nearest warps. The",
        "`RandAugment timm-style` row configures augkit like timm for a like-for-like comparison. timm's",
        "AugMix works on PIL images with its own (Pillow) op set; torchvision and augkit use all 13 ops.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--rounds", type=int, default=9)
    parser.add_argument("-n", "--images", type=int, default=200)
    args = parser.parse_args()
    machine = machine_info()
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine,
        "loaded": machine["load_avg_at_start"][0] > 0.5,
        "versions": versions(),
        "rounds": args.rounds,
        "images": args.images,
        "threads": {"torch": torch.get_num_threads(), "cv2": cv2.getNumThreads()},
    }
    print("building inputs ...", flush=True)
    data = make_inputs(args.images)
    cases, errors = build_cases()
    print("timing ...", flush=True)
    times = run(cases, data, args.rounds)
    meta["load_avg_at_end"] = list(os.getloadavg())
    text = report(times, errors, meta)
    print(text)
    out_dir = os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "policies.md"), "w") as f:
        f.write(text)
    summary = {
        case: {"median_seconds": {n: statistics.median(v) for n, v in by.items()}, "peer_over_augkit": ratios(by)}
        for case, by in times.items()
    }
    with open(os.path.join(out_dir, "policies.json"), "w") as f:
        json.dump({**meta, "errors": errors, "summary": summary, "rounds_seconds": times}, f, indent=1)


if __name__ == "__main__":
    main()
