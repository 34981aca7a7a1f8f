#!/usr/bin/env python3
"""Write the short noise recordings bundled with augkit (``src/augkit/samples/audio/noise/``).

They feed the examples of ``augkit.audio.AddBackgroundNoise`` / ``AddShortNoises`` and the tests. Each file is
0.5 s of mono 16-bit PCM at 16 kHz: Gaussian white noise from a fixed seed, shaped in the frequency domain to
a power spectrum falling as ``1/f`` (pink, -3 dB/octave) or ``1/f**2`` (brown, -6 dB/octave) above 20 Hz, with
the DC bin removed, scaled to a peak of 0.5 (about -6 dBFS). The output is deterministic (numpy's PCG64 and
scipy's WAV writer), so running the script again gives the same bytes.

Usage (from the repository root)::

    python scripts/make_sample_noises.py [--output src/augkit/samples/audio/noise]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.io import wavfile

RATE = 16000
SECONDS = 0.5
#: file name -> (seed, exponent of the amplitude spectrum: -0.5 pink, -1 brown)
NOISES = {"pink_0.wav": (1, -0.5), "pink_1.wav": (2, -0.5), "brown_0.wav": (3, -1.0)}


def colored_noise(seed: int, exponent: float, num_samples: int, rate: int) -> np.ndarray:
    """float64 noise whose amplitude spectrum goes as f**exponent (flat below 20 Hz, no DC)."""
    white = np.random.default_rng(seed).standard_normal(num_samples)
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(num_samples, 1.0 / rate)
    shape = np.maximum(freqs, 20.0) ** exponent
    shape[0] = 0.0
    noise = np.fft.irfft(spectrum * shape, n=num_samples)
    return noise * (0.5 / np.abs(noise).max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "src" / "augkit" / "samples" / "audio" / "noise"
    parser.add_argument("--output", type=Path, default=default)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    count = int(RATE * SECONDS)
    for name, (seed, exponent) in NOISES.items():
        pcm = np.round(colored_noise(seed, exponent, count, RATE) * 32767.0).astype(np.int16)
        wavfile.write(args.output / name, RATE, pcm)
        print(f"wrote {args.output / name} ({count} samples, {RATE} Hz)")


if __name__ == "__main__":
    main()
