"""The timing engine of the audio, text and time-series benchmarks (``run_audio.py``,
``run_text.py``, ``run_timeseries.py``), and the machine description ``run_mix.py`` shares.

Import ``_single_thread`` before this module (it sets the thread counts before numpy loads).

- ``interleaved``: warm every contender up, size its block, then R rounds in a rotating order;
  ``summarize``: medians, stdevs and augkit/peer ratios (median over rounds of peer / augkit).
- ``add_common_args``, ``seed_all``, ``new_results``, ``finish``: the command line, seeding, the
  results header (date, machine, versions, method) and the Markdown/JSON writing every script shares.
- ``import_augkit``, ``load_augkit``, ``build_augkit``: augkit and its transforms, a missing class
  reported as "missing" rather than an error.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib.metadata as md
import json
import math
import os
import platform
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RESULTS_DIR = os.path.join(HERE, "results")


class Ctx(NamedTuple):
    """A constructor argument that depends on the input: resolved per input (see ``resolve``)."""

    name: str  # "ir_path", "ir", "noise_dir", "noise_paths", "sample_rate"

    def __repr__(self) -> str:
        return f"<{self.name}>"


# =============================================================================================
# Timing
# =============================================================================================
def time_calls(fn: Callable[[], Any], calls: int) -> float:
    """Seconds per call over ``calls`` calls (GC collected before, disabled during)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        return (time.perf_counter() - start) / calls
    finally:
        gc.enable()


class Guarded:
    """A contender whose calls may raise: an exception is counted (the first one kept) and the call
    returns None, so one flaky call does not end the run; the count goes into the report."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.errors = 0
        self.first: str | None = None

    def __call__(self) -> Any:
        try:
            return self.fn()
        except Exception as exc:
            self.errors += 1
            if self.first is None:
                self.first = short_error(exc)
            return None


def interleaved(
    fns: dict[str, Callable[[], Any]], rounds: int, min_block: float, warmup_s: float
) -> tuple[dict[str, list[float]], dict[str, int], dict[str, str]]:
    """Warm every callable up (>= 3 calls, >= warmup_s), size its block (>= min_block seconds,
    >= 1 call), then ``rounds`` rounds in a rotating order. Returns seconds per call per round, the
    calls per block, and for a contender that raised in some calls, how often and the first error."""
    guarded = {name: Guarded(fn) for name, fn in fns.items()}
    calls: dict[str, int] = {}
    for name, fn in guarded.items():
        count, start = 0, time.perf_counter()
        while count < 3 or time.perf_counter() - start < warmup_s:
            fn()
            count += 1
        per_call = time_calls(fn, 1 if count < 20 else 3)
        calls[name] = max(1, math.ceil(min_block / max(per_call, 1e-9)))
    names = list(guarded)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            times[name].append(time_calls(guarded[name], calls[name]))
    errors = {name: f"raised in {g.errors} calls while timed (first: {g.first})" for name, g in guarded.items() if g.errors}
    return times, calls, errors


def summarize(times: dict[str, list[float]], ref: str = "augkit") -> dict[str, Any]:
    """Median and stdev per contender; for every other contender p, ``ref/p``: the median over rounds
    of (p's time / ref's time), > 1 when ref is faster, and the ratio of the medians."""
    out: dict[str, Any] = {
        name: {"median_s": statistics.median(ts), "stdev_s": statistics.stdev(ts) if len(ts) > 1 else 0.0, "rounds_s": ts}
        for name, ts in times.items()
    }
    ratios = {}
    if ref in times:
        for name, ts in times.items():
            if name != ref:
                ratios[f"{ref}/{name}"] = statistics.median(p / a for a, p in zip(times[ref], ts, strict=True))
                ratios[f"{ref}/{name} (ratio of medians)"] = out[name]["median_s"] / out[ref]["median_s"]
    out["ratios"] = ratios
    return out


def check_array_calls(fns: dict[str, Callable[[], Any]], entry: dict[str, Any], x: np.ndarray) -> None:
    """One checked call each: record the output shape/dtype and whether ``x`` was modified in place
    (then restore it); a failing contender is reported in ``entry["status"]`` and dropped from ``fns``."""
    for name in list(fns):
        before = x.copy()
        try:
            out = fns[name]()
            entry["output"][name] = f"{'x'.join(map(str, out.shape))} {out.dtype}"
            if not np.array_equal(before, x):
                entry["status"][name] = "modified its input in place"
                x[...] = before
        except Exception as exc:
            entry["status"][name] = "call failed: " + short_error(exc)
            del fns[name]


def time_entry(
    fns: dict[str, Callable[[], Any]], entry: dict[str, Any], args: argparse.Namespace, block_key: str = "calls_per_block"
) -> dict[str, list[float]]:
    """Time ``fns`` interleaved and put the summary (vs augkit) into ``entry``; returns the times."""
    times, calls, errors = interleaved(fns, args.rounds, args.min_block, args.warmup_s)
    entry["status"].update(errors)
    entry.update(summarize(times, ref="augkit"))
    entry[block_key] = calls
    return times


# =============================================================================================
# Command line, header, output
# =============================================================================================
def add_common_args(ap: argparse.ArgumentParser, *, min_block: float, block_help: bool = True) -> None:
    """-r/--rounds, --min-block, --warmup-s (the selection options come after, then ``add_tail_args``)."""
    ap.add_argument("-r", "--rounds", type=int, default=7, help="interleaved rounds (median)" if block_help else None)
    ap.add_argument("--min-block", type=float, default=min_block, help="shortest timed block in seconds")
    ap.add_argument("--warmup-s", type=float, default=0.2, help="shortest warm-up in seconds" if block_help else None)


def add_tail_args(ap: argparse.ArgumentParser, output: str) -> None:
    """--seed, --output (the file stem) and --out (the folder, default benchmarks/results)."""
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--output", default=output, help="results/<output>.{md,json}")
    ap.add_argument("--out", default=RESULTS_DIR, help="folder for <output>.{md,json} (default: benchmarks/results)")


def seed_all(seed: int) -> None:
    """Warnings off; Python's and numpy's global generators seeded (peers draw from them)."""
    warnings.filterwarnings("ignore")
    random.seed(seed)
    np.random.seed(seed)


def new_results(
    args: argparse.Namespace, vers: dict[str, str], top: dict[str, Any] | None = None, **method: Any
) -> dict[str, Any]:
    """The results header: date, machine, versions, ``top``, then the method (timing settings and
    ``method``); the caller adds its rows."""
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": vers,
        **(top or {}),
        "method": {
            "rounds": args.rounds,
            "min_block_s": args.min_block,
            "warmup_s": args.warmup_s,
            "threads": 1,
            "seed": args.seed,
            **method,
        },
    }


def finish(results: dict[str, Any], t_start: float, report: Callable[[], str], args: argparse.Namespace) -> int:
    """Elapsed time and end load into ``results``, then the report printed and both files written."""
    results["elapsed_s"] = time.perf_counter() - t_start
    results["machine"]["load_avg_at_end"] = list(os.getloadavg())
    text = report()
    print()
    print(text)
    write_results(args.output, text, results, args.out)
    return 0


def progress(
    label: str, parts: list[str], status: dict[str, str], t_start: float, *, width: int, cut: int | None, ew: int
) -> None:
    """One progress line: label, the contenders' times, any status (cut to ``cut`` chars), elapsed seconds."""
    print(
        f"  {label:{width}s} "
        + "  ".join(parts)
        + "".join(f"  [{n}: {s[:cut]}]" for n, s in status.items())
        + f"   [{time.perf_counter() - t_start:{ew}.0f} s]",
        flush=True,
    )


def header_lines(results: dict[str, Any], tail: str) -> list[str]:
    """The Machine and Versions lines of a report; ``tail`` closes the versions line."""
    m, v = results["machine"], results["versions"]
    return [
        f"Machine: {m['cpu']}, nproc={m['nproc']}, {m['memory_gib']} GiB, Python {m['python']}, load average "
        f"{fmt_load(m['load_avg_at_start'])} at start, {fmt_load(m.get('load_avg_at_end'))} at end. {results['date']}.",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + tail,
    ]


def status_lines(rows: dict[str, Any]) -> list[str]:
    """The lists of augkit transforms missing and of contenders not timed or raising, for a report."""
    missing = [
        f"- {key}: {e['status']['augkit']}" for key, e in rows.items() if e["status"].get("augkit", "").startswith("missing")
    ]
    others = [
        f"- {key}, {name}: {status}"
        for key, e in rows.items()
        for name, status in e["status"].items()
        if not status.startswith("missing")
    ]
    lines: list[str] = []
    if missing:
        lines += ["", "augkit transforms missing (not timed):", "", *missing]
    if others:
        lines += ["", "Not timed, or raised while timed:", "", *others]
    return lines


def machine_info(full: bool = True) -> dict[str, Any]:
    """The machine, without asking version control (the lead records the tree). ``full=False``
    leaves out memory and OPENBLAS_CORETYPE (the shorter record of ``run_mix.py``)."""
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    except OSError:
        pass
    info: dict[str, Any] = {"nproc": os.cpu_count(), "cpu": cpu}
    if full:
        try:
            memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        except (ValueError, OSError, AttributeError):
            memory = float("nan")
        info["memory_gib"] = round(memory, 1)
    info.update(platform=platform.platform(), python=platform.python_version(), load_avg_at_start=list(os.getloadavg()))
    if full:
        info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    return info


def versions(names: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for name in names:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "(not installed)"
    return out


def write_results(stem: str, text: str, data: dict[str, Any], out_dir: str = RESULTS_DIR) -> None:
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, f"{stem}.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, f"{stem}.json"), "w") as f:
        json.dump(data, f, indent=1, default=str)
        f.write("\n")
    where = "results" if os.path.abspath(out_dir) == RESULTS_DIR else out_dir
    print(f"wrote {where}/{stem}.md and {where}/{stem}.json")


# =============================================================================================
# augkit
# =============================================================================================
def import_augkit() -> tuple[Any, str]:
    """augkit (the installed one, else src/ on sys.path) and its version; (None, reason) if it fails."""
    try:
        try:
            import augkit
        except ImportError:
            sys.path.insert(0, os.path.join(REPO, "src"))
            import augkit
        return augkit, getattr(augkit, "__version__", "dev")
    except Exception as exc:  # pragma: no cover - reported in the table
        return None, f"{type(exc).__name__}: {exc}"


def load_augkit(submodule: str | None) -> tuple[Any, str, Any, type | None]:
    """(augkit or None, its version or the import error, augkit.<submodule> or None, Transform or None)."""
    ak, ak_version = import_augkit() if submodule is not None else (None, "not run")
    module = getattr(ak, submodule, None) if ak is not None and submodule is not None else None
    try:
        from augkit.core.transform import Transform as AkTransform
    except Exception:
        AkTransform = None
    return ak, ak_version, module, AkTransform


def missing_status(ak: Any, ak_version: str, exc: BaseException) -> str:
    return "missing: " + (ak_version if ak is None else short_error(exc))


def augkit_param(spec: Any, module_name: str) -> Any:
    """How an augkit constructor spec is recorded under "parameters"."""
    return spec if callable(spec) else f"augkit.{module_name}.{spec[0]}({fmt_kwargs(spec[1])})"


def build_augkit(module: Any, spec: Any, ctx: dict[str, Any], base: type | None) -> Any:
    """Build one augkit transform from a ``(class name, kwargs)`` spec or a callable; raise if the
    class is missing or the object is not an augkit Transform."""
    if callable(spec):
        t = spec(module, ctx)
    else:
        cls_name, kwargs = spec
        if module is None or not hasattr(module, cls_name):
            raise AttributeError(f"no class {cls_name}")
        cls = getattr(module, cls_name)
        if base is not None and isinstance(cls, type) and not issubclass(cls, base):
            raise TypeError(f"{module.__name__}.{cls_name} is not a Transform ({cls.__module__}.{cls.__qualname__})")
        t = cls(**resolve(kwargs, ctx))
    if base is not None and not isinstance(t, base):
        raise TypeError(f"{type(t).__name__} is not an augkit Transform")
    return t


def resolve(kwargs: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    return {k: (ctx[v.name] if isinstance(v, Ctx) else v) for k, v in kwargs.items()}


# =============================================================================================
# Formatting
# =============================================================================================
def fmt_kwargs(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


def short_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:150]}"


def fmt_load(load: list[float] | None) -> str:
    return "?" if not load else "/".join(f"{x:.2f}" for x in load)


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1e3
    return f"{ms:.3f}" if ms < 0.1 else f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 1000 else f"{ms:,.0f}"
