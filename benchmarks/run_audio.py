"""Audio speed: augkit.audio vs audiomentations 0.43.1, one transform per row, ms per call.

Inputs: 10 s of real speech, the CMU ARCTIC clip ``src/augkit/samples/audio/arctic_a0007.wav``
(16 kHz, about 4 s) tiled to 10 s, in four layouts: 16 kHz and 44.1 kHz (``scipy.signal.resample_poly``
160 -> 441), mono ``(samples,)`` and stereo ``(2, samples)`` (the clip and a copy delayed by 0.37 s).
Transforms that need files get generated ones, written once per sample rate into a temporary
folder: a 0.5 s exponentially decaying noise impulse response (float WAV) and a folder of six
white/pink/brown noise WAVs of 0.5-4 s.

One process, one thread (``_single_thread``), interleaved:

    for each input, for each row:
        warm every library up (>= 3 calls and >= --warmup-s seconds), which also sizes its block
        (enough calls to last >= --min-block seconds, at least one)
        R rounds; in each, every library times one block, in an order that rotates per round
        (GC collected before and disabled during a block); the output is made contiguous inside
        the timed region
    report the median ms per call, and augkit/peer = the median over rounds of
    (peer time / augkit time) within the round: > 1 means augkit is faster

augkit is called as ``t(audio=x, sample_rate=sr, rng=gen)["audio"]``, audiomentations as
``t(samples=x, sample_rate=sr)``, both with p=1 and the same parameter ranges. The augkit-side
constructors are all in ``AUGKIT`` below (one place to fix argument names); a class that is missing
or fails to build is reported as "missing", not an error.

    benchmarks/.venv/bin/python benchmarks/run_audio.py [--inputs 16k-mono] [--transforms Gain,Shift]

This module also holds the timing engine that ``run_text.py`` and ``run_timeseries.py`` use.
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library, before numpy/scipy/numba load)

# isort: split
import argparse
import atexit
import datetime
import gc
import importlib.metadata as md
import json
import math
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CLIP_PATH = os.path.join(REPO, "src", "augkit", "samples", "audio", "arctic_a0007.wav")
SECONDS = 10.0
STEREO_DELAY_S = 0.37


class Ctx(NamedTuple):
    """A constructor argument that depends on the input: resolved per input (see ``resolve``)."""

    name: str  # "ir_path", "ir", "noise_dir", "noise_paths", "sample_rate"

    def __repr__(self) -> str:
        return f"<{self.name}>"


# =============================================================================================
# augkit side: ONE place for every augkit constructor (class name in augkit.audio, kwargs).
# A value Ctx("...") is filled in per input; an entry may also be a callable (module, ctx) -> t.
# =============================================================================================
AUGKIT: dict[str, tuple[str, dict[str, Any]] | Callable[[Any, dict[str, Any]], Any]] = {
    "AddGaussianNoise": ("AddGaussianNoise", dict(min_amplitude=0.001, max_amplitude=0.015, p=1.0)),
    "AddGaussianSNR": ("AddGaussianSNR", dict(min_snr_db=5.0, max_snr_db=40.0, p=1.0)),
    "AddColorNoise": ("AddColorNoise", dict(min_snr_db=5.0, max_snr_db=40.0, min_f_decay=-6.0, max_f_decay=6.0, p=1.0)),
    "Shift": ("Shift", dict(min_shift=-0.5, max_shift=0.5, rollover=True, fade_duration=0.005, p=1.0)),
    "TimeMask": ("TimeMask", dict(min_band_part=0.01, max_band_part=0.2, fade_duration=0.005, p=1.0)),
    "Reverse": ("Reverse", dict(p=1.0)),
    "Padding": ("Padding", dict(mode="silence", min_fraction=0.01, max_fraction=0.7, pad_section="end", p=1.0)),
    "AdjustDuration": ("AdjustDuration", dict(duration_seconds=12.0, padding_mode="silence", padding_position="end", p=1.0)),
    "RepeatPart": (
        "RepeatPart",
        dict(min_repeats=1, max_repeats=3, min_part_duration=0.25, max_part_duration=1.2, mode="insert", p=1.0),
    ),
    "Trim": ("Trim", dict(top_db=30.0, p=1.0)),
    "Gain": ("Gain", dict(min_gain_db=-12.0, max_gain_db=12.0, p=1.0)),
    "GainTransition": (
        "GainTransition",
        dict(min_gain_db=-24.0, max_gain_db=6.0, min_duration=0.2, max_duration=6.0, duration_unit="seconds", p=1.0),
    ),
    "Normalize": ("Normalize", dict(p=1.0)),
    "LoudnessNormalization": ("LoudnessNormalization", dict(min_lufs=-31.0, max_lufs=-13.0, p=1.0)),
    "PolarityInversion": ("PolarityInversion", dict(p=1.0)),
    "Clip": ("Clip", dict(a_min=-0.25, a_max=0.25, p=1.0)),
    "ClippingDistortion": ("ClippingDistortion", dict(min_percentile_threshold=0, max_percentile_threshold=40, p=1.0)),
    "TanhDistortion": ("TanhDistortion", dict(min_distortion=0.01, max_distortion=0.7, p=1.0)),
    "BitCrush": ("BitCrush", dict(min_bit_depth=5, max_bit_depth=10, p=1.0)),
    "Aliasing": ("Aliasing", dict(min_sample_rate=4000, max_sample_rate=8000, p=1.0)),
    "Limiter": (
        "Limiter",
        dict(
            min_threshold_db=-24.0,
            max_threshold_db=-2.0,
            min_attack=0.0005,
            max_attack=0.025,
            min_release=0.05,
            max_release=0.7,
            p=1.0,
        ),
    ),
    "LowPass": ("LowPass", dict(min_cutoff_freq=150.0, max_cutoff_freq=7500.0, min_rolloff=12, max_rolloff=24, p=1.0)),
    "HighPass": ("HighPass", dict(min_cutoff_freq=20.0, max_cutoff_freq=2400.0, min_rolloff=12, max_rolloff=24, p=1.0)),
    "BandPass": (
        "BandPass",
        dict(
            min_center_freq=200.0,
            max_center_freq=4000.0,
            min_bandwidth_fraction=0.5,
            max_bandwidth_fraction=1.99,
            min_rolloff=12,
            max_rolloff=24,
            p=1.0,
        ),
    ),
    "BandStop": (
        "BandStop",
        dict(
            min_center_freq=200.0,
            max_center_freq=4000.0,
            min_bandwidth_fraction=0.5,
            max_bandwidth_fraction=1.99,
            min_rolloff=12,
            max_rolloff=24,
            p=1.0,
        ),
    ),
    "LowShelf": (
        "LowShelf",
        dict(min_center_freq=50.0, max_center_freq=4000.0, min_gain_db=-18.0, max_gain_db=18.0, min_q=0.1, max_q=0.999, p=1.0),
    ),
    "HighShelf": (
        "HighShelf",
        dict(min_center_freq=300.0, max_center_freq=7500.0, min_gain_db=-18.0, max_gain_db=18.0, min_q=0.1, max_q=0.999, p=1.0),
    ),
    "Peaking": (
        "Peaking",
        dict(min_center_freq=50.0, max_center_freq=7500.0, min_gain_db=-24.0, max_gain_db=24.0, min_q=0.5, max_q=5.0, p=1.0),
    ),
    "SevenBandParametricEQ": ("SevenBandParametricEQ", dict(min_gain_db=-12.0, max_gain_db=12.0, p=1.0)),
    "ApplyImpulseResponse": ("ApplyImpulseResponse", dict(ir_path=Ctx("ir_path"), leave_length_unchanged=True, p=1.0)),
    "AirAbsorption": (
        "AirAbsorption",
        dict(
            min_temperature=10.0,
            max_temperature=20.0,
            min_humidity=30.0,
            max_humidity=90.0,
            min_distance=10.0,
            max_distance=100.0,
            p=1.0,
        ),
    ),
    "RoomSimulator": ("RoomSimulator", dict(p=1.0)),
    "AddBackgroundNoise": ("AddBackgroundNoise", dict(sounds_path=Ctx("noise_dir"), min_snr_db=3.0, max_snr_db=30.0, p=1.0)),
    "AddShortNoises": (
        "AddShortNoises",
        dict(
            sounds_path=Ctx("noise_dir"),
            min_snr_db=-6.0,
            max_snr_db=18.0,
            min_time_between_sounds=2.0,
            max_time_between_sounds=8.0,
            p=1.0,
        ),
    ),
    "TimeStretch": ("TimeStretch", dict(min_rate=0.8, max_rate=1.25, leave_length_unchanged=True, p=1.0)),
    "PitchShift": ("PitchShift", dict(min_semitones=-4.0, max_semitones=4.0, p=1.0)),
    "Resample": ("Resample", dict(min_sample_rate=8000, max_sample_rate=44100, p=1.0)),
}

# audiomentations 0.43.1: the same ranges (its argument names), p=1
PEER: dict[str, tuple[str, dict[str, Any]]] = {
    "AddGaussianNoise": ("AddGaussianNoise", dict(min_amplitude=0.001, max_amplitude=0.015)),
    "AddGaussianSNR": ("AddGaussianSNR", dict(min_snr_db=5.0, max_snr_db=40.0)),
    "AddColorNoise": ("AddColorNoise", dict(min_snr_db=5.0, max_snr_db=40.0, min_f_decay=-6.0, max_f_decay=6.0)),
    "Shift": ("Shift", dict(min_shift=-0.5, max_shift=0.5, shift_unit="fraction", rollover=True, fade_duration=0.005)),
    "TimeMask": ("TimeMask", dict(min_band_part=0.01, max_band_part=0.2, fade_duration=0.005)),
    "Reverse": ("Reverse", {}),
    "Padding": ("Padding", dict(mode="silence", min_fraction=0.01, max_fraction=0.7, pad_section="end")),
    "AdjustDuration": ("AdjustDuration", dict(duration_seconds=12.0, padding_mode="silence", padding_position="end")),
    "RepeatPart": (
        "RepeatPart",
        dict(
            min_repeats=1, max_repeats=3, min_part_duration=0.25, max_part_duration=1.2, mode="insert", crossfade_duration=0.005
        ),
    ),
    "Trim": ("Trim", dict(top_db=30.0)),
    "Gain": ("Gain", dict(min_gain_db=-12.0, max_gain_db=12.0)),
    "GainTransition": (
        "GainTransition",
        dict(min_gain_db=-24.0, max_gain_db=6.0, min_duration=0.2, max_duration=6.0, duration_unit="seconds"),
    ),
    "Normalize": ("Normalize", dict(apply_to="all")),
    "LoudnessNormalization": ("LoudnessNormalization", dict(min_lufs=-31.0, max_lufs=-13.0)),
    "PolarityInversion": ("PolarityInversion", {}),
    "Clip": ("Clip", dict(a_min=-0.25, a_max=0.25)),
    "ClippingDistortion": ("ClippingDistortion", dict(min_percentile_threshold=0, max_percentile_threshold=40)),
    "TanhDistortion": ("TanhDistortion", dict(min_distortion=0.01, max_distortion=0.7)),
    "BitCrush": ("BitCrush", dict(min_bit_depth=5, max_bit_depth=10)),
    "Aliasing": ("Aliasing", dict(min_sample_rate=4000, max_sample_rate=8000)),
    "Limiter": (
        "Limiter",
        dict(
            min_threshold_db=-24.0,
            max_threshold_db=-2.0,
            min_attack=0.0005,
            max_attack=0.025,
            min_release=0.05,
            max_release=0.7,
            threshold_mode="relative_to_signal_peak",
        ),
    ),
    "LowPass": (
        "LowPassFilter",
        dict(min_cutoff_freq=150.0, max_cutoff_freq=7500.0, min_rolloff=12, max_rolloff=24, zero_phase=False),
    ),
    "HighPass": (
        "HighPassFilter",
        dict(min_cutoff_freq=20.0, max_cutoff_freq=2400.0, min_rolloff=12, max_rolloff=24, zero_phase=False),
    ),
    "BandPass": (
        "BandPassFilter",
        dict(
            min_center_freq=200.0,
            max_center_freq=4000.0,
            min_bandwidth_fraction=0.5,
            max_bandwidth_fraction=1.99,
            min_rolloff=12,
            max_rolloff=24,
            zero_phase=False,
        ),
    ),
    "BandStop": (
        "BandStopFilter",
        dict(
            min_center_freq=200.0,
            max_center_freq=4000.0,
            min_bandwidth_fraction=0.5,
            max_bandwidth_fraction=1.99,
            min_rolloff=12,
            max_rolloff=24,
            zero_phase=False,
        ),
    ),
    "LowShelf": (
        "LowShelfFilter",
        dict(min_center_freq=50.0, max_center_freq=4000.0, min_gain_db=-18.0, max_gain_db=18.0, min_q=0.1, max_q=0.999),
    ),
    "HighShelf": (
        "HighShelfFilter",
        dict(min_center_freq=300.0, max_center_freq=7500.0, min_gain_db=-18.0, max_gain_db=18.0, min_q=0.1, max_q=0.999),
    ),
    "Peaking": (
        "PeakingFilter",
        dict(min_center_freq=50.0, max_center_freq=7500.0, min_gain_db=-24.0, max_gain_db=24.0, min_q=0.5, max_q=5.0),
    ),
    "SevenBandParametricEQ": ("SevenBandParametricEQ", dict(min_gain_db=-12.0, max_gain_db=12.0)),
    "ApplyImpulseResponse": ("ApplyImpulseResponse", dict(ir_path=Ctx("ir_path"), leave_length_unchanged=True)),
    "AirAbsorption": (
        "AirAbsorption",
        dict(
            min_temperature=10.0,
            max_temperature=20.0,
            min_humidity=30.0,
            max_humidity=90.0,
            min_distance=10.0,
            max_distance=100.0,
        ),
    ),
    "RoomSimulator": ("RoomSimulator", {}),
    "AddBackgroundNoise": (
        "AddBackgroundNoise",
        dict(sounds_path=Ctx("noise_dir"), min_snr_db=3.0, max_snr_db=30.0, noise_rms="relative"),
    ),
    "AddShortNoises": (
        "AddShortNoises",
        dict(
            sounds_path=Ctx("noise_dir"),
            min_snr_db=-6.0,
            max_snr_db=18.0,
            min_time_between_sounds=2.0,
            max_time_between_sounds=8.0,
            noise_rms="relative_to_whole_input",
        ),
    ),
    "TimeStretch": ("TimeStretch", dict(min_rate=0.8, max_rate=1.25, leave_length_unchanged=True, method="signalsmith_stretch")),
    "TimeStretch/librosa": (
        "TimeStretch",
        dict(min_rate=0.8, max_rate=1.25, leave_length_unchanged=True, method="librosa_phase_vocoder"),
    ),
    "PitchShift": ("PitchShift", dict(min_semitones=-4.0, max_semitones=4.0, method="signalsmith_stretch")),
    "PitchShift/librosa": ("PitchShift", dict(min_semitones=-4.0, max_semitones=4.0, method="librosa_phase_vocoder")),
    "Resample": ("Resample", dict(min_sample_rate=8000, max_sample_rate=44100)),
}


class Row(NamedTuple):
    label: str  # the table row
    augkit: str  # key in AUGKIT
    peer: str  # key in PEER
    note: str = ""


ROWS: list[Row] = [
    Row("AddGaussianNoise", "AddGaussianNoise", "AddGaussianNoise"),
    Row("AddGaussianSNR", "AddGaussianSNR", "AddGaussianSNR"),
    Row(
        "AddColorNoise",
        "AddColorNoise",
        "AddColorNoise",
        "audiomentations shapes white noise in the frequency domain (n_fft 128)",
    ),
    Row("Shift", "Shift", "Shift"),
    Row("TimeMask", "TimeMask", "TimeMask"),
    Row("Reverse", "Reverse", "Reverse"),
    Row("Padding", "Padding", "Padding"),
    Row("AdjustDuration", "AdjustDuration", "AdjustDuration", "10 s -> 12 s (silence padding at the end)"),
    Row("RepeatPart", "RepeatPart", "RepeatPart"),
    Row("Trim", "Trim", "Trim", "librosa.effects.trim in audiomentations"),
    Row("Gain", "Gain", "Gain"),
    Row("GainTransition", "GainTransition", "GainTransition"),
    Row("Normalize", "Normalize", "Normalize"),
    Row(
        "LoudnessNormalization",
        "LoudnessNormalization",
        "LoudnessNormalization",
        "audiomentations measures LUFS with the `loudness` package",
    ),
    Row("PolarityInversion", "PolarityInversion", "PolarityInversion"),
    Row("Clip", "Clip", "Clip"),
    Row("ClippingDistortion", "ClippingDistortion", "ClippingDistortion"),
    Row("TanhDistortion", "TanhDistortion", "TanhDistortion"),
    Row("BitCrush", "BitCrush", "BitCrush"),
    Row("Aliasing", "Aliasing", "Aliasing", "4-8 kHz, valid at both input rates"),
    Row("Limiter", "Limiter", "Limiter", "audiomentations uses numpy-audio-limiter"),
    Row("LowPass", "LowPass", "LowPass", "peer: LowPassFilter"),
    Row("HighPass", "HighPass", "HighPass", "peer: HighPassFilter"),
    Row("BandPass", "BandPass", "BandPass", "peer: BandPassFilter"),
    Row("BandStop", "BandStop", "BandStop", "peer: BandStopFilter"),
    Row("LowShelf", "LowShelf", "LowShelf", "peer: LowShelfFilter"),
    Row("HighShelf", "HighShelf", "HighShelf", "peer: HighShelfFilter"),
    Row("Peaking", "Peaking", "Peaking", "peer: PeakingFilter"),
    Row("SevenBandParametricEQ", "SevenBandParametricEQ", "SevenBandParametricEQ"),
    Row(
        "ApplyImpulseResponse",
        "ApplyImpulseResponse",
        "ApplyImpulseResponse",
        "0.5 s decaying-noise IR, a float WAV at the input's rate",
    ),
    Row("AirAbsorption", "AirAbsorption", "AirAbsorption"),
    Row(
        "RoomSimulator",
        "RoomSimulator",
        "RoomSimulator",
        "pyroomacoustics in audiomentations; defaults (absorption mode, ray tracing, max_order 1)",
    ),
    Row(
        "AddBackgroundNoise",
        "AddBackgroundNoise",
        "AddBackgroundNoise",
        "six noise WAVs at the input's rate; audiomentations reads a file each call (no cache since 0.43) and takes mono only",
    ),
    Row("AddShortNoises", "AddShortNoises", "AddShortNoises", "same folder; audiomentations takes mono only"),
    Row("TimeStretch", "TimeStretch", "TimeStretch", "peer method signalsmith_stretch (python-stretch, its default)"),
    Row("TimeStretch (librosa_phase_vocoder)", "TimeStretch", "TimeStretch/librosa", "peer method librosa_phase_vocoder"),
    Row("PitchShift", "PitchShift", "PitchShift", "peer method signalsmith_stretch (python-stretch, its default)"),
    Row("PitchShift (librosa_phase_vocoder)", "PitchShift", "PitchShift/librosa", "peer method librosa_phase_vocoder"),
    Row("Resample", "Resample", "Resample", "to a random rate in 8-44.1 kHz (soxr in audiomentations)"),
]

INPUTS = ("16k-mono", "16k-stereo", "44k-mono", "44k-stereo")
PEER_LABEL = "audiomentations"


# =============================================================================================
# Timing engine (also used by run_text.py and run_timeseries.py)
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


def machine_info() -> dict[str, Any]:
    """The machine, without asking version control (the lead records the tree)."""
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = float("nan")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_avg_at_start": list(os.getloadavg()),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }


def versions(names: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for name in names:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "(not installed)"
    return out


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


def fmt_kwargs(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


def short_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:150]}"


def write_results(stem: str, text: str, data: dict[str, Any]) -> None:
    out_dir = os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, f"{stem}.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, f"{stem}.json"), "w") as f:
        json.dump(data, f, indent=1, default=str)
        f.write("\n")
    print(f"wrote results/{stem}.md and results/{stem}.json")


def fmt_load(load: list[float] | None) -> str:
    return "?" if not load else "/".join(f"{x:.2f}" for x in load)


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1e3
    return f"{ms:.3f}" if ms < 0.1 else f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 1000 else f"{ms:,.0f}"


# =============================================================================================
# Audio inputs and files
# =============================================================================================
def load_speech() -> tuple[np.ndarray, int]:
    """The ARCTIC clip as float32 mono at 16 kHz."""
    from math import gcd

    from scipy.io import wavfile
    from scipy.signal import resample_poly

    rate, pcm = wavfile.read(CLIP_PATH)
    x = pcm.astype(np.float32) / 32768.0 if pcm.dtype == np.int16 else pcm.astype(np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != 16000:
        g = gcd(16000, rate)
        x = resample_poly(x, 16000 // g, rate // g).astype(np.float32)
    return x, 16000


def make_inputs() -> dict[str, tuple[np.ndarray, int]]:
    from scipy.signal import resample_poly

    clip, rate = load_speech()
    n = int(SECONDS * rate)
    mono16 = np.ascontiguousarray(np.tile(clip, math.ceil(n / len(clip)))[:n], dtype=np.float32)
    mono44 = np.ascontiguousarray(resample_poly(mono16, 441, 160), dtype=np.float32)

    def stereo(x: np.ndarray, sr: int) -> np.ndarray:
        delay = round(STEREO_DELAY_S * sr)
        late = np.concatenate([np.zeros(delay, np.float32), x[:-delay]])
        return np.ascontiguousarray(np.stack([x, late]))

    return {
        "16k-mono": (mono16, 16000),
        "16k-stereo": (stereo(mono16, 16000), 16000),
        "44k-mono": (mono44, 44100),
        "44k-stereo": (stereo(mono44, 44100), 44100),
    }


def write_wav(path: str, x: np.ndarray, rate: int) -> None:
    from scipy.io import wavfile

    wavfile.write(path, rate, np.asarray(x, np.float32))  # IEEE float WAV


def make_files(root: str, rate: int, seed: int) -> dict[str, Any]:
    """The impulse response and the noise folder for one sample rate."""
    rng = np.random.default_rng(seed)
    folder = os.path.join(root, str(rate))
    noise_dir = os.path.join(folder, "noises")
    os.makedirs(noise_dir, exist_ok=True)
    n = int(0.5 * rate)
    t = np.arange(n) / rate
    ir = rng.standard_normal(n) * np.exp(-t * math.log(1000.0) / 0.5)  # -60 dB at 0.5 s
    ir = (ir / np.sqrt(np.sum(ir**2))).astype(np.float32)
    ir_path = os.path.join(folder, "ir.wav")
    write_wav(ir_path, ir, rate)
    paths = []
    for i, (color, seconds) in enumerate(
        (("white", 0.5), ("pink", 1.0), ("brown", 1.5), ("white", 2.0), ("pink", 3.0), ("brown", 4.0))
    ):
        m = int(seconds * rate)
        spec = np.fft.rfft(rng.standard_normal(m))
        f = np.maximum(np.fft.rfftfreq(m, 1.0 / rate), 1.0)
        spec *= {"white": 1.0, "pink": f**-0.5, "brown": f**-1.0}[color]
        noise = np.fft.irfft(spec, m)
        noise = 0.1 * noise / np.max(np.abs(noise))
        path = os.path.join(noise_dir, f"{i}_{color}.wav")
        write_wav(path, noise, rate)
        paths.append(path)
    return {"sample_rate": rate, "ir": ir, "ir_path": ir_path, "noise_dir": noise_dir, "noise_paths": paths}


# =============================================================================================
# The run
# =============================================================================================
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-r", "--rounds", type=int, default=7, help="interleaved rounds (median)")
    ap.add_argument("--min-block", type=float, default=0.2, help="shortest timed block in seconds")
    ap.add_argument("--warmup-s", type=float, default=0.2, help="shortest warm-up in seconds")
    ap.add_argument("--inputs", default=",".join(INPUTS), help=f"comma-separated subset of {','.join(INPUTS)}")
    ap.add_argument("--transforms", default="", help="comma-separated row labels (default: all)")
    ap.add_argument("--libs", default="augkit,audiomentations")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--output", default="audio", help="results/<output>.{md,json}")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    random.seed(args.seed)
    np.random.seed(args.seed)  # audiomentations draws from numpy's and Python's global generators
    libs = [s for s in args.libs.split(",") if s]
    only = {s for s in args.transforms.split(",") if s}
    inputs_wanted = [s for s in args.inputs.split(",") if s]

    ak, ak_version = import_augkit() if "augkit" in libs else (None, "not run")
    ak_audio = getattr(ak, "audio", None) if ak is not None else None
    try:
        from augkit.core.transform import Transform as AkTransform
    except Exception:
        AkTransform = None
    A = None
    peer_version = "not run"
    if PEER_LABEL in libs:
        try:
            import audiomentations as A

            peer_version = A.__version__
        except Exception as exc:
            peer_version = f"unavailable ({short_error(exc)})"

    inputs = make_inputs()
    tmp = tempfile.mkdtemp(prefix="augkit_bench_audio_")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # the generated IR and noise files
    files = {rate: make_files(tmp, rate, args.seed) for rate in (16000, 44100)}
    vers = versions(
        (
            "augkit",
            "numpy",
            "scipy",
            "audiomentations",
            "librosa",
            "python-stretch",
            "soxr",
            "numba",
            "numpy-audio-limiter",
            "loudness",
            "pyroomacoustics",
        )
    )
    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": vers,
        "method": {
            "rounds": args.rounds,
            "min_block_s": args.min_block,
            "warmup_s": args.warmup_s,
            "threads": 1,
            "seed": args.seed,
            "input": f"{CLIP_PATH} tiled to {SECONDS} s",
        },
        "parameters": {
            row.label: {
                "augkit": AUGKIT[row.augkit]
                if callable(AUGKIT[row.augkit])
                else f"augkit.audio.{AUGKIT[row.augkit][0]}({fmt_kwargs(AUGKIT[row.augkit][1])})",
                PEER_LABEL: f"audiomentations.{PEER[row.peer][0]}({fmt_kwargs({**PEER[row.peer][1], 'p': 1.0})})",
            }
            for row in ROWS
            if not only or row.label in only
        },
        "inputs": {},
    }
    t_start = time.perf_counter()
    for input_name in inputs_wanted:
        x, rate = inputs[input_name]
        ctx = files[rate]
        section: dict[str, Any] = {"shape": list(x.shape), "sample_rate": rate, "rows": {}}
        results["inputs"][input_name] = section
        print(f"== {input_name}: {x.shape} at {rate} Hz", flush=True)
        for row in ROWS:
            if only and row.label not in only:
                continue
            entry: dict[str, Any] = {"status": {}, "output": {}}
            fns: dict[str, Callable[[], Any]] = {}
            if "augkit" in libs:
                try:
                    t = build_augkit(ak_audio, AUGKIT[row.augkit], ctx, AkTransform)
                    gen = np.random.default_rng(args.seed)

                    def ak_fn(t=t, gen=gen, x=x, rate=rate):
                        return np.ascontiguousarray(t(audio=x, sample_rate=rate, rng=gen)["audio"])

                    fns["augkit"] = ak_fn
                except Exception as exc:
                    entry["status"]["augkit"] = "missing: " + (ak_version if ak is None else short_error(exc))
            if A is not None:
                try:
                    cls_name, kwargs = PEER[row.peer]
                    p = getattr(A, cls_name)(**resolve(kwargs, ctx), p=1.0)

                    def peer_fn(p=p, x=x, rate=rate):
                        return np.ascontiguousarray(p(samples=x, sample_rate=rate))

                    fns[PEER_LABEL] = peer_fn
                except Exception as exc:
                    entry["status"][PEER_LABEL] = "unavailable: " + short_error(exc)
            # one checked call each: output shape/dtype; a failing call is reported, not timed
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
            if fns:
                times, calls, errors = interleaved(fns, args.rounds, args.min_block, args.warmup_s)
                entry["status"].update(errors)
                entry.update(summarize(times))
                entry["calls_per_block"] = calls
            section["rows"][row.label] = entry
            print(
                f"  {row.label:36s} "
                + "  ".join(f"{n} {fmt_ms(entry[n]['median_s'])} ms" for n in fns)
                + "".join(f"  [{n}: {s}]" for n, s in entry["status"].items())
                + f"   [{time.perf_counter() - t_start:6.0f} s]",
                flush=True,
            )
    results["elapsed_s"] = time.perf_counter() - t_start
    results["machine"]["load_avg_at_end"] = list(os.getloadavg())
    text = report(results, ak_version, peer_version)
    print()
    print(text)
    write_results(args.output, text, results)
    return 0


def report(results: dict[str, Any], ak_version: str, peer_version: str) -> str:
    m, v = results["machine"], results["versions"]
    lines = [
        "# Audio: augkit.audio vs audiomentations",
        "",
        f"ms per call (lower is better) on 10 s of real speech (CMU ARCTIC `arctic_a0007.wav` tiled), median of "
        f"{results['method']['rounds']} interleaved rounds, one thread, output made contiguous inside the timed "
        "region, p=1 on both sides. augkit/audiomentations = median over rounds of (audiomentations time / augkit "
        "time): > 1 means augkit is faster.",
        "",
        f"Machine: {m['cpu']}, nproc={m['nproc']}, {m['memory_gib']} GiB, Python {m['python']}, load average "
        f"{fmt_load(m['load_avg_at_start'])} at start, {fmt_load(m.get('load_avg_at_end'))} at end. {results['date']}.",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + f" (augkit import: {ak_version}; "
        f"audiomentations: {peer_version}).",
    ]
    for input_name, section in results["inputs"].items():
        lines += [
            "",
            f"## {input_name}: {'x'.join(map(str, section['shape']))} float32 at {section['sample_rate']} Hz",
            "",
            "| Transform | augkit ms | audiomentations ms | augkit/audiomentations | note |",
            "|---|--:|--:|--:|---|",
        ]
        for label, e in section["rows"].items():
            cells = []
            for name in ("augkit", PEER_LABEL):
                if name in e:
                    cells.append(fmt_ms(e[name]["median_s"]))
                else:
                    status = e["status"].get(name, "–")
                    cells.append("missing" if status.startswith("missing") else "n/a" if status != "–" else "–")
            ratio = e.get("ratios", {}).get(f"augkit/{PEER_LABEL}")
            note = "; ".join(f"{n}: {s[:110]}" for n, s in e["status"].items() if not s.startswith("missing"))
            lines.append(f"| {label} | {cells[0]} | {cells[1]} | {'–' if ratio is None else f'{ratio:.2f}'} | {note} |")
    missing = sorted(
        {
            f"{label}: {e['status']['augkit']}"
            for section in results["inputs"].values()
            for label, e in section["rows"].items()
            if e["status"].get("augkit", "").startswith("missing")
        }
    )
    if missing:
        lines += ["", "augkit transforms missing (not timed):", ""] + [f"- {s}" for s in missing]
    lines += ["", "## Parameters", "", "| Row | augkit | audiomentations | note |", "|---|---|---|---|"]
    notes = {row.label: row.note for row in ROWS}
    for label, p in results["parameters"].items():
        lines.append(f"| {label} | `{p['augkit']}` | `{p[PEER_LABEL]}` | {notes.get(label, '')} |")
    lines += [
        "",
        "Inputs: the 16 kHz clip tiled to 10 s; 44.1 kHz = `scipy.signal.resample_poly(x, 441, 160)`; stereo = "
        "(clip, clip delayed by 0.37 s). `<ir_path>` is a 0.5 s exponentially decaying noise IR (-60 dB at "
        "0.5 s, unit energy) written as a float WAV at the input's rate; `<noise_dir>` holds six white/pink/brown "
        "noise WAVs of 0.5-4 s at the input's rate (generated in a temporary folder per run).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
