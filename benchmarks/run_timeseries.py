"""Time-series speed: augkit.timeseries vs tsaug 0.2.1, ms per call on a (1000, 500, 3) batch.

Input: a float32 batch of 1,000 series of length 500 with 3 channels, from real recordings: the
3-axis accelerometer channels of the UEA BasicMotions set (80 smart-watch recordings of 100 steps,
TRAIN + TEST), upsampled 5x to 500 steps (``scipy.signal.resample_poly``) and tiled to 1,000 series.
``setup_env.sh`` extracts the .ts files from the sktime 1.2.0 wheel into ``benchmarks/.data/ucr/``
(sktime is not installed, the data are not committed). Without them the script falls back to
smoothed random walks and says so in the report.

One call transforms the whole batch, with one draw per series inside: augkit as
``t(series=X, rng=gen)["series"]``, tsaug as ``aug.augment(X)``; the output is made contiguous inside
the timed region. One thread, interleaved rounds, medians (the timing engine of ``run_audio.py``);
augkit/tsaug = the median over rounds of (tsaug time / augkit time), > 1 when augkit is faster.

    benchmarks/.venv/bin/python benchmarks/run_timeseries.py [--transforms AddNoise,TimeWarp]
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library)

# isort: split
import argparse
import datetime
import os
import random
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_audio import (  # noqa: E402
    build_augkit,
    fmt_kwargs,
    fmt_load,
    fmt_ms,
    import_augkit,
    interleaved,
    machine_info,
    short_error,
    summarize,
    versions,
    write_results,
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
    ap.add_argument("-r", "--rounds", type=int, default=7)
    ap.add_argument("--min-block", type=float, default=0.25, help="shortest timed block in seconds")
    ap.add_argument("--warmup-s", type=float, default=0.2)
    ap.add_argument("--transforms", default="", help="comma-separated subset (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--output", default="timeseries", help="results/<output>.{md,json}")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    random.seed(args.seed)
    np.random.seed(args.seed)
    only = {s for s in args.transforms.split(",") if s}
    X, source = make_batch(args.seed)
    print(f"batch {X.shape} {X.dtype}: {source}", flush=True)

    ak, ak_version = import_augkit()
    ak_ts = getattr(ak, "timeseries", None) if ak is not None else None
    try:
        from augkit.core.transform import Transform as AkTransform
    except Exception:
        AkTransform = None
    try:
        import tsaug

        ts_version = tsaug.__version__
    except Exception as exc:
        tsaug, ts_version = None, f"unavailable ({short_error(exc)})"

    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": versions(("augkit", "numpy", "scipy", "tsaug")),
        "method": {
            "rounds": args.rounds,
            "min_block_s": args.min_block,
            "warmup_s": args.warmup_s,
            "threads": 1,
            "seed": args.seed,
            "batch": list(X.shape),
            "dtype": str(X.dtype),
            "source": source,
        },
        "parameters": {},
        "rows": {},
    }
    t_start = time.perf_counter()
    for key in AUGKIT:
        if only and key not in only:
            continue
        entry: dict[str, Any] = {"status": {}, "output": {}}
        fns: dict[str, Callable[[], Any]] = {}
        spec = AUGKIT[key]
        cls_name, kwargs = TSAUG[key]
        results["parameters"][key] = {
            "augkit": spec if callable(spec) else f"augkit.timeseries.{spec[0]}({fmt_kwargs(spec[1])})",
            "tsaug": f"tsaug.{cls_name}({fmt_kwargs({**kwargs, 'prob': 1.0})})",
        }
        try:
            t = build_augkit(ak_ts, spec, {}, AkTransform)
            gen = np.random.default_rng(args.seed)
            fns["augkit"] = lambda t=t, gen=gen: np.ascontiguousarray(t(series=X, rng=gen)["series"])
        except Exception as exc:
            entry["status"]["augkit"] = "missing: " + (ak_version if ak is None else short_error(exc))
        if tsaug is not None:
            try:
                aug = getattr(tsaug, cls_name)(**kwargs, prob=1.0)
                fns["tsaug"] = lambda aug=aug: np.ascontiguousarray(aug.augment(X))
            except Exception as exc:
                entry["status"]["tsaug"] = "unavailable: " + short_error(exc)
        for name in list(fns):
            before = X.copy()
            try:
                out = fns[name]()
                entry["output"][name] = f"{'x'.join(map(str, out.shape))} {out.dtype}"
                if not np.array_equal(before, X):
                    entry["status"][name] = "modified its input in place"
                    X[...] = before
            except Exception as exc:
                entry["status"][name] = "call failed: " + short_error(exc)
                del fns[name]
        if fns:
            times, calls, errors = interleaved(fns, args.rounds, args.min_block, args.warmup_s)
            entry["status"].update(errors)
            entry.update(summarize(times))
            entry["calls_per_block"] = calls
        results["rows"][key] = entry
        print(
            f"  {key:10s} "
            + "  ".join(f"{n} {fmt_ms(entry[n]['median_s'])} ms ({entry['output'][n]})" for n in fns)
            + "".join(f"  [{n}: {s[:80]}]" for n, s in entry["status"].items())
            + f"   [{time.perf_counter() - t_start:5.0f} s]",
            flush=True,
        )
    results["elapsed_s"] = time.perf_counter() - t_start
    results["machine"]["load_avg_at_end"] = list(os.getloadavg())
    text = report(results, ak_version, ts_version)
    print()
    print(text)
    write_results(args.output, text, results)
    return 0


def report(results: dict[str, Any], ak_version: str, ts_version: str) -> str:
    m, v, meth = results["machine"], results["versions"], results["method"]
    lines = [
        "# Time series: augkit.timeseries vs tsaug",
        "",
        f"ms per call (lower is better) on one float32 batch of shape {tuple(meth['batch'])} (N, T, C), one draw "
        f"per series; median of {meth['rounds']} interleaved rounds, one thread, output made contiguous inside the "
        "timed region. augkit/tsaug = median over rounds of (tsaug time / augkit time): > 1 means augkit is faster.",
        "",
        f"Data: {meth['source']}.",
        "",
        f"Machine: {m['cpu']}, nproc={m['nproc']}, {m['memory_gib']} GiB, Python {m['python']}, load average "
        f"{fmt_load(m['load_avg_at_start'])} at start, {fmt_load(m.get('load_avg_at_end'))} at end. {results['date']}.",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + f" (augkit import: {ak_version}; tsaug: {ts_version}).",
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
    missing = [
        f"- {key}: {e['status']['augkit']}"
        for key, e in results["rows"].items()
        if e["status"].get("augkit", "").startswith("missing")
    ]
    others = [
        f"- {key}, {name}: {status}"
        for key, e in results["rows"].items()
        for name, status in e["status"].items()
        if not status.startswith("missing")
    ]
    if missing:
        lines += ["", "augkit transforms missing (not timed):", "", *missing]
    if others:
        lines += ["", "Not timed, or raised while timed:", "", *others]
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
