"""Batch mixing speed: augkit.mix MixUp / CutMix vs a plain copy, timm 1.0 and torchvision v2.

Inputs: 128 real photos (the benchmark pool, area-resized to 224x224) as
  (a) a float32 torch batch (128, 3, 224, 224) in [0, 1], labels int64 (128,), 1000 classes;
  (b) a uint8 numpy batch (128, 224, 224, 3) (augkit's layout), with the same photos as a uint8
      torch batch (128, 3, 224, 224) for torchvision / timm, and as lists of samples for the
      collate-time mixers (augkit MixCollate with HWC samples, timm FastCollateMixup with CHW ones).

Configurations: mixup only (alpha 1) and cutmix only (alpha 1), "batch" mode (one lambda per
batch), no label smoothing, 1000 classes; augkit returning a new batch, and (the "in place" rows)
with ``inplace=True`` against timm, both overwriting their own copy of the batch. Peers: timm
``Mixup`` (in place on its own copy of the batch, as it works), timm ``FastCollateMixup``,
torchvision ``v2.MixUp`` / ``v2.CutMix``. The
baselines are a plain copy (``x.clone()`` / ``x.copy()``), and for the collate rows a plain collate
(``torch.from_numpy(np.stack(samples))``).

Method: one thread (torch.set_num_threads(1), cv2.setNumThreads(1), BLAS/OMP threads 1), autograd
off, every callable warmed up, then R >= 7 rounds; in each round every callable runs ``reps`` calls
in a rotating order (interleaved, so a busy patch of a shared machine hits all alike); reported is
the median over rounds of the mean time per call, and ratios of those medians.

    benchmarks/.venv/bin/python benchmarks/run_mix.py [--rounds 9] [--reps 3]
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
import traceback
from collections.abc import Callable
from functools import partial
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
import _harness  # noqa: E402
import images as bench_images  # noqa: E402
from libraries import _import_augkit  # noqa: E402

N, SIZE, CLASSES = 128, 224, 1000


def machine_info() -> dict[str, Any]:
    """The machine (the shorter record: no memory, no OPENBLAS_CORETYPE); also used by run_policies.py."""
    return _harness.machine_info(full=False)


def make_inputs() -> dict[str, Any]:
    pool, _ = bench_images.build_pool(N, seed=0)
    photos = np.stack([cv2.resize(img, (SIZE, SIZE), interpolation=cv2.INTER_AREA) for img in pool])
    labels = np.random.default_rng(0).integers(0, CLASSES, N)
    chw = np.ascontiguousarray(photos.transpose(0, 3, 1, 2))
    return {
        "float_torch": torch.from_numpy(chw).float().div_(255.0).contiguous(),
        "uint8_numpy": np.ascontiguousarray(photos),
        "uint8_torch": torch.from_numpy(chw).clone(),
        "labels_numpy": labels,
        "labels_torch": torch.from_numpy(labels),
        "samples_hwc": [(photos[i].copy(), int(labels[i])) for i in range(N)],
        "samples_chw": [(chw[i].copy(), int(labels[i])) for i in range(N)],
    }


def plain_collate(samples: list[tuple[np.ndarray, int]]) -> Any:
    return torch.from_numpy(np.stack([x for x, _ in samples]))


def build_cases(data: dict[str, Any]) -> tuple[dict[str, dict[str, Callable[[], Any]]], dict[str, str]]:
    """{case: {contender: callable}} and any setup errors."""
    ak = _import_augkit()
    from augkit.mix import CutMix, MixCollate, MixUp

    errors: dict[str, str] = {}
    cases: dict[str, dict[str, Callable[[], Any]]] = {}
    rng = np.random.default_rng(0)
    methods = {"MixUp": MixUp(alpha=1.0, num_classes=CLASSES), "CutMix": CutMix(alpha=1.0, num_classes=CLASSES)}
    inplace_methods = {name: mixer.with_params(inplace=True) for name, mixer in methods.items()}
    xf, yt = data["float_torch"], data["labels_torch"]
    xu, yn, xut = data["uint8_numpy"], data["labels_numpy"], data["uint8_torch"]

    try:
        from timm.data import FastCollateMixup, Mixup
    except Exception as error:  # pragma: no cover - reported in the results
        Mixup = FastCollateMixup = None  # type: ignore[assignment,misc]
        errors["timm"] = repr(error)
    try:
        from torchvision.transforms import v2
    except Exception as error:  # pragma: no cover
        v2 = None  # type: ignore[assignment]
        errors["torchvision"] = repr(error)

    def timm_kwargs(name: str) -> dict[str, Any]:
        alphas = {"mixup_alpha": 1.0, "cutmix_alpha": 0.0} if name == "MixUp" else {"mixup_alpha": 0.0, "cutmix_alpha": 1.0}
        return {**alphas, "prob": 1.0, "switch_prob": 0.5, "mode": "batch", "label_smoothing": 0.0, "num_classes": CLASSES}

    for name, mixer in methods.items():
        # (a) float32 torch batch
        case: dict[str, Callable[[], Any]] = {"copy": xf.clone, "augkit": partial(mixer, xf, yt, rng=rng)}
        if Mixup is not None:
            case["timm"] = partial(Mixup(**timm_kwargs(name)), xf.clone(), yt)  # mixes in place: its own copy
        if v2 is not None:
            tv = v2.MixUp(alpha=1.0, num_classes=CLASSES) if name == "MixUp" else v2.CutMix(alpha=1.0, num_classes=CLASSES)
            case["torchvision"] = partial(tv, xf, yt)
        cases[f"{name} float32 torch 128x3x224x224"] = case
        # (b) uint8 batch
        case = {"copy": xu.copy, "augkit": partial(mixer, xu, yn, rng=rng)}
        if Mixup is not None:
            case["timm (uint8 tensor)"] = partial(Mixup(**timm_kwargs(name)), xut.clone(), yt)
        if v2 is not None:
            tv = v2.MixUp(alpha=1.0, num_classes=CLASSES) if name == "MixUp" else v2.CutMix(alpha=1.0, num_classes=CLASSES)
            case["torchvision (uint8 tensor)"] = partial(tv, xut, yt)
        cases[f"{name} uint8 numpy 128x224x224x3"] = case
        # (a', b') in place on both sides: augkit inplace=True and timm each overwrite their own copy, call after call
        in_place = inplace_methods[name]
        case = {"copy": xf.clone, "augkit": partial(in_place, xf.clone(), yt, rng=rng)}
        if Mixup is not None:
            case["timm"] = partial(Mixup(**timm_kwargs(name)), xf.clone(), yt)
        cases[f"{name} float32 torch 128x3x224x224, in place"] = case
        case = {"copy": xu.copy, "augkit": partial(in_place, xu.copy(), yn, rng=rng)}
        if Mixup is not None:
            case["timm (uint8 tensor)"] = partial(Mixup(**timm_kwargs(name)), xut.clone(), yt)
        cases[f"{name} uint8 numpy 128x224x224x3, in place"] = case
        # (c) collate: list of samples -> uint8 torch NCHW batch + soft targets
        samples_hwc, samples_chw = data["samples_hwc"], data["samples_chw"]
        case = {
            "copy": partial(plain_collate, samples_chw),
            "augkit": partial(MixCollate(mixer, seed=0), samples_hwc),
            "augkit NHWC": partial(MixCollate(mixer, seed=0, layout="NHWC"), samples_hwc),
        }
        if FastCollateMixup is not None:
            case["timm"] = partial(FastCollateMixup(**timm_kwargs(name)), samples_chw)
        cases[f"{name} collate uint8 128 samples"] = case

    # drop the contenders that cannot run (e.g. mixup of uint8 tensors), keeping the reason
    for case_name, case in cases.items():
        for contender in list(case):
            try:
                case[contender]()
            except Exception as error:
                errors[f"{case_name} / {contender}"] = f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
                del case[contender]
    _ = ak
    return cases, errors


def run(cases: dict[str, dict[str, Callable[[], Any]]], rounds: int, reps: int) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {case: {c: [] for c in fns} for case, fns in cases.items()}
    for case, fns in cases.items():
        names = list(fns)
        for name in names:  # warm-up: >= 3 calls and >= 0.2 s
            start, calls = time.perf_counter(), 0
            while calls < 3 or time.perf_counter() - start < 0.2:
                fns[name]()
                calls += 1
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                gc.collect()
                gc.disable()
                start = time.perf_counter()
                for _ in range(reps):
                    fns[name]()
                elapsed = (time.perf_counter() - start) / reps
                gc.enable()
                times[case][name].append(elapsed)
        print(f"  {case}: " + ", ".join(f"{n} {statistics.median(times[case][n]) * 1e3:.1f} ms" for n in names), flush=True)
    return times


def versions() -> dict[str, str]:
    out = {}
    for name in ("augkit", "numpy", "opencv-python-headless", "torch", "torchvision", "timm"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "(not installed)"
    return out


def report(times: dict[str, dict[str, list[float]]], errors: dict[str, str], meta: dict[str, Any]) -> str:
    lines = [
        "# Batch mixing: augkit.mix vs a plain copy, timm and torchvision",
        "",
        f"Date: {meta['date']}. Machine: {meta['machine']['cpu']} ({meta['machine']['nproc']} cores), "
        f"load average at start {meta['machine']['load_avg_at_start']}. One thread per library.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        f"Median over {meta['rounds']} interleaved rounds of the mean of {meta['reps']} calls; ms per batch of 128.",
        "`x copy` = augkit time / copy time (target <= 2); `peer / augkit` > 1 means augkit is faster.",
        "",
        "| Case | copy ms | augkit ms | x copy | peer | peer ms | peer / augkit |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for case, by_name in times.items():
        med = {name: statistics.median(values) * 1e3 for name, values in by_name.items() if values}
        copy, mine = med.get("copy"), med.get("augkit")
        peers = [n for n in med if n not in ("copy", "augkit")] or ["-"]
        for i, peer in enumerate(peers):
            head = f"| {case} | {copy:.1f} | {mine:.1f} | {mine / copy:.2f} |" if i == 0 else "| | | | |"
            if peer == "-":
                lines.append(f"{head} - | - | - |")
            else:
                lines.append(f"{head} {peer} | {med[peer]:.1f} | {med[peer] / mine:.2f} |")
    if errors:
        lines += ["", "Contenders that could not run (not timed):", ""]
        lines += [f"- {key}: `{value}`" for key, value in errors.items()]
    lines += [
        "",
        "Notes: timm `Mixup` mixes in place (timed on its own copy of the batch, which it overwrites); the",
        "other contenders return new tensors, except in the `in place` rows, where augkit runs with",
        "`inplace=True` on its own copy of the batch, overwritten call after call, like timm (no copy on",
        "either side; `x copy` there still divides by a plain copy's time). augkit's uint8 mixup on the CPU",
        "is two byte-table lookups and an add (within one level of the exact blend). timm and torchvision",
        "cannot mix uint8 tensors with mixup (float multiply into a uint8 tensor). The collate rows start",
        "from a list of 128 samples and end with a uint8 (128, 3, 224, 224) tensor plus soft targets: timm's",
        "samples are CHW, augkit's HWC (augkit's layout), so `augkit` (NCHW output) pays a transpose that",
        "`augkit NHWC` does not; their `copy` is a plain stack, so `x copy` there is stack + mix over stack",
        "alone. augkit allocates its CPU outputs with numpy and wraps them (`torch.from_numpy`, no copy); on",
        "this machine that allocation is much cheaper than torch's own for 77 MB tensors, which is why it",
        "beats `x.clone()` on float32 batches. The machine has 2 cores and other work may have run alongside",
        "(see the load average above).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--rounds", type=int, default=9)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    if args.rounds < 7:
        parser.error("--rounds must be >= 7")
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_info(),
        "versions": versions(),
        "rounds": args.rounds,
        "reps": args.reps,
        "threads": {"torch": torch.get_num_threads(), "cv2": cv2.getNumThreads()},
    }
    print("building inputs ...", flush=True)
    data = make_inputs()
    cases, errors = build_cases(data)
    print("timing ...", flush=True)
    try:
        times = run(cases, args.rounds, args.reps)
    except Exception:  # pragma: no cover
        traceback.print_exc()
        raise
    text = report(times, errors, meta)
    print(text)
    out_dir = os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "mix.md"), "w") as f:
        f.write(text)
    medians = {case: {name: statistics.median(v) for name, v in by.items()} for case, by in times.items()}
    with open(os.path.join(out_dir, "mix.json"), "w") as f:
        json.dump({**meta, "errors": errors, "median_seconds": medians, "rounds_seconds": times}, f, indent=1)


if __name__ == "__main__":
    main()
