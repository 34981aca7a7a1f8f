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

The timing engine (shared with ``run_text.py`` and ``run_timeseries.py``) is in ``_harness.py``.
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library, before numpy/scipy/numba load)

# isort: split
import argparse
import atexit
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from _harness import (
    REPO,
    Ctx,
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
    resolve,
    seed_all,
    short_error,
    time_entry,
    versions,
)

CLIP_PATH = os.path.join(REPO, "src", "augkit", "samples", "audio", "arctic_a0007.wav")
SECONDS = 10.0
STEREO_DELAY_S = 0.37


# Parameter ranges written out once for the longer constructors (same names on both sides); each side
# adds its own last argument (augkit p=1.0, audiomentations its mode), so the recorded order is unchanged.
BAND: dict[str, Any] = dict(
    min_center_freq=200.0,
    max_center_freq=4000.0,
    min_bandwidth_fraction=0.5,
    max_bandwidth_fraction=1.99,
    min_rolloff=12,
    max_rolloff=24,
)
LIMITER: dict[str, Any] = dict(
    min_threshold_db=-24.0, max_threshold_db=-2.0, min_attack=0.0005, max_attack=0.025, min_release=0.05, max_release=0.7
)
AIR: dict[str, Any] = dict(
    min_temperature=10.0, max_temperature=20.0, min_humidity=30.0, max_humidity=90.0, min_distance=10.0, max_distance=100.0
)


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
        {**LIMITER, "p": 1.0},
    ),
    "LowPass": ("LowPass", dict(min_cutoff_freq=150.0, max_cutoff_freq=7500.0, min_rolloff=12, max_rolloff=24, p=1.0)),
    "HighPass": ("HighPass", dict(min_cutoff_freq=20.0, max_cutoff_freq=2400.0, min_rolloff=12, max_rolloff=24, p=1.0)),
    "BandPass": (
        "BandPass",
        {**BAND, "p": 1.0},
    ),
    "BandStop": (
        "BandStop",
        {**BAND, "p": 1.0},
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
        {**AIR, "p": 1.0},
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
        {**LIMITER, "threshold_mode": "relative_to_signal_peak"},
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
        {**BAND, "zero_phase": False},
    ),
    "BandStop": (
        "BandStopFilter",
        {**BAND, "zero_phase": False},
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
        dict(AIR),
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


# Every AUGKIT key is a row of its own name (augkit and peer keys alike), with these notes; a key in
# VARIANTS is followed by one more row per (label suffix, peer key, note).
NOTES: dict[str, str] = {
    "AddColorNoise": "audiomentations shapes white noise in the frequency domain (n_fft 128)",
    "AdjustDuration": "10 s -> 12 s (silence padding at the end)",
    "Trim": "librosa.effects.trim in audiomentations",
    "LoudnessNormalization": "audiomentations measures LUFS with the `loudness` package",
    "Aliasing": "4-8 kHz, valid at both input rates",
    "Limiter": "audiomentations uses numpy-audio-limiter",
    **{f: f"peer: {f}Filter" for f in ("LowPass", "HighPass", "BandPass", "BandStop", "LowShelf", "HighShelf", "Peaking")},
    "ApplyImpulseResponse": "0.5 s decaying-noise IR, a float WAV at the input's rate",
    "RoomSimulator": "pyroomacoustics in audiomentations; defaults (absorption mode, ray tracing, max_order 1)",
    "AddBackgroundNoise": "six noise WAVs at the input's rate; audiomentations reads a file each call (no cache since 0.43) "
    "and takes mono only",
    "AddShortNoises": "same folder; audiomentations takes mono only",
    "TimeStretch": "peer method signalsmith_stretch (python-stretch, its default)",
    "PitchShift": "peer method signalsmith_stretch (python-stretch, its default)",
    "Resample": "to a random rate in 8-44.1 kHz (soxr in audiomentations)",
}
VARIANTS: dict[str, list[tuple[str, str, str]]] = {
    name: [(" (librosa_phase_vocoder)", f"{name}/librosa", "peer method librosa_phase_vocoder")]
    for name in ("TimeStretch", "PitchShift")
}
ROWS: list[Row] = [
    row
    for key in AUGKIT
    for row in [Row(key, key, key, NOTES.get(key, ""))]
    + [Row(key + suffix, key, peer, note) for suffix, peer, note in VARIANTS.get(key, [])]
]

INPUTS = ("16k-mono", "16k-stereo", "44k-mono", "44k-stereo")
PEER_LABEL = "audiomentations"


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
    add_common_args(ap, min_block=0.2)
    ap.add_argument("--inputs", default=",".join(INPUTS), help=f"comma-separated subset of {','.join(INPUTS)}")
    ap.add_argument("--transforms", default="", help="comma-separated row labels (default: all)")
    ap.add_argument("--libs", default="augkit,audiomentations")
    add_tail_args(ap, "audio")
    args = ap.parse_args(argv)
    seed_all(args.seed)  # audiomentations draws from numpy's and Python's global generators
    libs = [s for s in args.libs.split(",") if s]
    only = {s for s in args.transforms.split(",") if s}
    inputs_wanted = [s for s in args.inputs.split(",") if s]

    ak, ak_version, ak_audio, AkTransform = load_augkit("audio" if "augkit" in libs else None)
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
    results = new_results(args, vers, input=f"{CLIP_PATH} tiled to {SECONDS} s")
    results["parameters"] = {
        row.label: {
            "augkit": augkit_param(AUGKIT[row.augkit], "audio"),
            PEER_LABEL: f"audiomentations.{PEER[row.peer][0]}({fmt_kwargs({**PEER[row.peer][1], 'p': 1.0})})",
        }
        for row in ROWS
        if not only or row.label in only
    }
    results["inputs"] = {}
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
                    entry["status"]["augkit"] = missing_status(ak, ak_version, exc)
            if A is not None:
                try:
                    cls_name, kwargs = PEER[row.peer]
                    p = getattr(A, cls_name)(**resolve(kwargs, ctx), p=1.0)

                    def peer_fn(p=p, x=x, rate=rate):
                        return np.ascontiguousarray(p(samples=x, sample_rate=rate))

                    fns[PEER_LABEL] = peer_fn
                except Exception as exc:
                    entry["status"][PEER_LABEL] = "unavailable: " + short_error(exc)
            check_array_calls(fns, entry, x)  # one checked call each; a failing call is reported, not timed
            if fns:
                time_entry(fns, entry, args)
            section["rows"][row.label] = entry
            parts = [f"{n} {fmt_ms(entry[n]['median_s'])} ms" for n in fns]
            progress(row.label, parts, entry["status"], t_start, width=36, cut=None, ew=6)
    return finish(results, t_start, lambda: report(results, ak_version, peer_version), args)


def report(results: dict[str, Any], ak_version: str, peer_version: str) -> str:
    lines = [
        "# Audio: augkit.audio vs audiomentations",
        "",
        f"ms per call (lower is better) on 10 s of real speech (CMU ARCTIC `arctic_a0007.wav` tiled), median of "
        f"{results['method']['rounds']} interleaved rounds, one thread, output made contiguous inside the timed "
        "region, p=1 on both sides. augkit/audiomentations = median over rounds of (audiomentations time / augkit "
        "time): > 1 means augkit is faster.",
        "",
        *header_lines(results, f" (augkit import: {ak_version}; audiomentations: {peer_version})."),
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
