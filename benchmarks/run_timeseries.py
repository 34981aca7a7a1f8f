"""Time-series speed: augkit.timeseries vs tsaug 0.2.1, ms per call on a (1000, 500, 3) batch.

Input: a float32 batch of 1,000 series of length 500 with 3 channels, from real recordings: the
3-axis accelerometer channels of the UEA BasicMotions set (80 smart-watch recordings of 100 steps,
TRAIN + TEST), upsampled 5x to 500 steps (``scipy.signal.resample_poly``) and tiled to 1,000 series.
``setup_env.sh`` extracts the .ts files from the sktime 1.2.0 wheel into ``benchmarks/.data/ucr/``
(sktime is not installed, the data are not committed). Without them the script falls back to
smoothed random walks and says so in the report.

One call transforms the whole batch, with one draw per series inside: augkit as
``t(series=X, rng=gen)["series"]``, tsaug as ``aug.augment(X)``; the output is made contiguous inside
the timed region. One thread, interleaved rounds, medians (the timing engine in ``_harness.py``);
augkit/tsaug = the median over rounds of (tsaug time / augkit time), > 1 when augkit is faster.

    benchmarks/.venv/bin/python benchmarks/run_timeseries.py [--transforms AddNoise,TimeWarp]
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library)

# isort: split
import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _harness import (  # noqa: E402
    add_common_args,
    add_tail_args,
    augkit_param,
    build_augkit,
    check_array_calls,
    finish,
    fmt_kwargs,
    fmt_ms,
    header_lines,
    load_augkit,
    missing_status,
    new_results,
    progress,
    seed_all,
    short_error,
    status_lines,
    time_entry,
    versions,
)

UCR_DIR = os.path.join(HERE, ".data", "ucr")
N, T, C = 1000, 500, 3

# =============================================================================================
# augkit side: ONE place for every augkit constructor (class name in augkit.timeseries, kwargs),
# or a callable (augkit.timeseries, ctx) -> transform.
# =============================================================================================
AUGKIT: dict[str, tuple[str, dict[str, Any]] | Callable[[Any, dict[str, Any]], Any]] = {
    "AddNoise": (
        "AddNoise",
        dict(loc=0.0, scale=0.1, distribution="gaussian", kind="additive", per_channel=True, normalize=True, p=1.0),
    ),
    "Convolve": ("Convolve", dict(window="hann", size=7, per_channel=False, p=1.0)),
    "Crop": ("Crop", dict(size=400, p=1.0)),
    "Drift": ("Drift", dict(max_drift=0.5, n_drift_points=3, kind="additive", per_channel=True, normalize=True, p=1.0)),
    "Dropout": ("Dropout", dict(rate=0.05, size=1, fill="ffill", per_channel=False, p=1.0)),
    "Pool": ("Pool", dict(kind="ave", size=2, per_channel=False, p=1.0)),
    "Quantize": ("Quantize", dict(n_levels=10, how="uniform", per_channel=False, p=1.0)),
    "Resize": ("Resize", dict(size=1000, p=1.0)),
    "Reverse": ("Reverse", dict(p=1.0)),
    "TimeWarp": ("TimeWarp", dict(n_speed_change=3, max_speed_ratio=3.0, p=1.0)),
}

# tsaug 0.2.1: the same settings (its defaults, written out), prob=1
TSAUG: dict[str, tuple[str, dict[str, Any]]] = {
    "AddNoise": ("AddNoise", dict(loc=0.0, scale=0.1, distr="gaussian", kind="additive", per_channel=True, normalize=True)),
    "Convolve": ("Convolve", dict(window="hann", size=7, per_channel=False)),
    "Crop": ("Crop", dict(size=400)),
    "Drift": ("Drift", dict(max_drift=0.5, n_drift_points=3, kind="additive", per_channel=True, normalize=True)),
    "Dropout": ("Dropout", dict(p=0.05, size=1, fill="ffill", per_channel=False)),
    "Pool": ("Pool", dict(kind="ave", size=2, per_channel=False)),
    "Quantize": ("Quantize", dict(n_levels=10, how="uniform", per_channel=False)),
    "Resize": ("Resize", dict(size=1000)),
    "Reverse": ("Reverse", {}),
    "TimeWarp": ("TimeWarp", dict(n_speed_change=3, max_speed_ratio=3.0)),
}

NOTES = {
    "AddNoise": "noise scale relative to each series' range (normalize=True), per channel",
    "Crop": "a random window of 400 of the 500 steps",
    "Dropout": "5 % of the steps, forward-filled; tsaug names the rate `p`",
    "Resize": "500 -> 1000 steps, linear interpolation",
    "TimeWarp": "3 speed changes, max speed ratio 3",
}


def read_ts(path: str) -> np.ndarray:
    """A .ts file of equal-length series: (series, length, dimensions) float64."""
    rows, in_data = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.lower().startswith("@data"):
                in_data = True
                continue
            if in_data:
                *dims, _label = line.split(":")
                rows.append([[float(v) for v in d.split(",")] for d in dims])
    return np.asarray(rows, dtype=np.float64).transpose(0, 2, 1)


def make_batch(seed: int) -> tuple[np.ndarray, str]:
    from scipy.signal import resample_poly

    paths = [os.path.join(UCR_DIR, f"BasicMotions_{split}.ts") for split in ("TRAIN", "TEST")]
    if all(os.path.exists(p) for p in paths):
        base = np.concatenate([read_ts(p) for p in paths])[:, :, :C]  # (80, 100, 3): accelerometer x, y, z
        base = resample_poly(base, T // base.shape[1], 1, axis=1)
        source = (
            f"UEA BasicMotions accelerometer (x, y, z), {len(base)} recordings (TRAIN + TEST) from the sktime 1.2.0 "
            f"wheel, resample_poly 100 -> {T} steps, tiled to {N} series"
        )
    else:
        rng = np.random.default_rng(seed)
        steps = rng.standard_normal((80, T, C))
        kernel = np.hanning(15) / np.hanning(15).sum()
        base = np.apply_along_axis(lambda v: np.convolve(np.cumsum(v), kernel, mode="same"), 1, steps)
        source = f"FALLBACK (no {UCR_DIR}): 80 smoothed random walks tiled to {N} series"
    batch = np.ascontiguousarray(base[np.arange(N) % len(base)], dtype=np.float32)
    return batch, source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(ap, min_block=0.25, block_help=False)
    ap.add_argument("--transforms", default="", help="comma-separated subset (default: all)")
    add_tail_args(ap, "timeseries")
    args = ap.parse_args(argv)
    seed_all(args.seed)
    only = {s for s in args.transforms.split(",") if s}
    X, source = make_batch(args.seed)
    print(f"batch {X.shape} {X.dtype}: {source}", flush=True)

    ak, ak_version, ak_ts, AkTransform = load_augkit("timeseries")
    try:
        import tsaug

        ts_version = tsaug.__version__
    except Exception as exc:
        tsaug, ts_version = None, f"unavailable ({short_error(exc)})"

    vers = versions(("augkit", "numpy", "scipy", "tsaug"))
    results = new_results(args, vers, batch=list(X.shape), dtype=str(X.dtype), source=source)
    results.update(parameters={}, rows={})
    t_start = time.perf_counter()
    for key in AUGKIT:
        if only and key not in only:
            continue
        entry: dict[str, Any] = {"status": {}, "output": {}}
        fns: dict[str, Callable[[], Any]] = {}
        spec = AUGKIT[key]
        cls_name, kwargs = TSAUG[key]
        results["parameters"][key] = {
            "augkit": augkit_param(spec, "timeseries"),
            "tsaug": f"tsaug.{cls_name}({fmt_kwargs({**kwargs, 'prob': 1.0})})",
        }
        try:
            t = build_augkit(ak_ts, spec, {}, AkTransform)
            gen = np.random.default_rng(args.seed)
            fns["augkit"] = lambda t=t, gen=gen: np.ascontiguousarray(t(series=X, rng=gen)["series"])
        except Exception as exc:
            entry["status"]["augkit"] = missing_status(ak, ak_version, exc)
        if tsaug is not None:
            try:
                aug = getattr(tsaug, cls_name)(**kwargs, prob=1.0)
                fns["tsaug"] = lambda aug=aug: np.ascontiguousarray(aug.augment(X))
            except Exception as exc:
                entry["status"]["tsaug"] = "unavailable: " + short_error(exc)
        check_array_calls(fns, entry, X)
        if fns:
            time_entry(fns, entry, args)
        results["rows"][key] = entry
        parts = [f"{n} {fmt_ms(entry[n]['median_s'])} ms ({entry['output'][n]})" for n in fns]
        progress(key, parts, entry["status"], t_start, width=10, cut=80, ew=5)
    return finish(results, t_start, lambda: report(results, ak_version, ts_version), args)


def report(results: dict[str, Any], ak_version: str, ts_version: str) -> str:
    meth = results["method"]
    lines = [
        "# Time series: augkit.timeseries vs tsaug",
        "",
        f"ms per call (lower is better) on one float32 batch of shape {tuple(meth['batch'])} (N, T, C), one draw "
        f"per series; median of {meth['rounds']} interleaved rounds, one thread, output made contiguous inside the "
        "timed region. augkit/tsaug = median over rounds of (tsaug time / augkit time): > 1 means augkit is faster.",
        "",
        f"Data: {meth['source']}.",
        "",
        *header_lines(results, f" (augkit import: {ak_version}; tsaug: {ts_version})."),
        "",
        "| Transform | augkit ms | tsaug ms | augkit/tsaug | augkit output | tsaug output |",
        "|---|--:|--:|--:|---|---|",
    ]
    for key, e in results["rows"].items():
        cells = []
        for name in ("augkit", "tsaug"):
            if name in e:
                cells.append(fmt_ms(e[name]["median_s"]))
            else:
                status = e["status"].get(name, "")
                cells.append("missing" if status.startswith("missing") else "n/a" if status else "–")
        ratio = e.get("ratios", {}).get("augkit/tsaug")
        outputs = [e["output"].get(n, "–") for n in ("augkit", "tsaug")]
        lines.append(
            f"| {key} | {cells[0]} | {cells[1]} | {'–' if ratio is None else f'{ratio:.2f}'} | {outputs[0]} | {outputs[1]} |"
        )
    lines += status_lines(results["rows"])
    lines += ["", "## Parameters", "", "| Transform | augkit | tsaug | note |", "|---|---|---|---|"]
    for key, p in results["parameters"].items():
        lines.append(f"| {key} | `{p['augkit']}` | `{p['tsaug']}` | {NOTES.get(key, '')} |")
    lines += [
        "",
        "tsaug draws from a fresh `np.random.RandomState(seed)` on every call (seed=None: OS entropy), so its "
        "times include that set-up; its Crop and Resize return float64 (see the output columns).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
