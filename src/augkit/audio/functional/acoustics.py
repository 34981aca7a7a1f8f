"""Acoustics kernels: convolution with an impulse response, and air absorption after ISO 9613-1.

Convolution is done with FFTs in float32 (``scipy.signal.oaconvolve`` for impulse responses much shorter
than the clip, one real FFT of the whole clip with a cached IR spectrum otherwise), every channel in one
call. Air absorption
computes the pure-tone attenuation coefficient of ISO 9613-1:1993 (equations 3 to 5) from temperature,
relative humidity and pressure, turns ``coefficient x distance`` (dB) into a zero-phase FIR filter by
frequency sampling, and applies it with the same FFT convolution (output aligned with the input).

>>> import numpy as np
>>> convolve_ir(np.array([[1.0, 2.0, 3.0]], np.float32), np.array([[1.0, 0.5]], np.float32), False).tolist()
[[1.0, 2.5, 4.0, 1.5]]
>>> round(float(iso9613_absorption([1000.0], 20.0, 50.0)[0]) * 1000, 2)  # dB per km at 1 kHz
4.66
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = [
    "air_absorption",
    "air_absorption_filter",
    "convolve_ir",
    "iso9613_absorption",
]

#: Reference atmospheric pressure of ISO 9613-1 (kPa).
REFERENCE_PRESSURE_KPA = 101.325
#: Overlap-add is used when the IR is shorter than the clip divided by this (faster there, scipy 1.17).
_OVERLAP_ADD_RATIO = 1024


@lru_cache(maxsize=8)
def _spectrum(shape: tuple[int, ...], size: int, data: bytes) -> np.ndarray:
    from scipy import fft

    spectrum = fft.rfft(np.frombuffer(data, dtype=np.float32).reshape(shape), size, axis=-1)
    spectrum.setflags(write=False)
    return spectrum


def convolve_ir(audio: np.ndarray, ir: np.ndarray, leave_length_unchanged: bool = True) -> np.ndarray:
    """Convolve ``(channels, samples)`` audio with an impulse response, channel by channel.

    ``ir`` is ``(samples,)``, ``(1, samples)`` (the same response on every channel) or
    ``(channels, samples)`` (one per channel). The full result has ``samples + len(ir) - 1`` samples;
    ``leave_length_unchanged=True`` keeps the first ``samples`` (the reverberant tail after the clip's end
    is cut, nothing is shifted). Computed in float32 with FFTs (relative error ~1e-6): overlap-add for
    responses under 1/1024 of the clip, otherwise one transform of the whole clip, with the response's
    spectrum cached (the same IR file comes back often).

    >>> y = convolve_ir(np.ones((2, 4), np.float32), np.array([1.0, -1.0], np.float32))
    >>> y.shape, bool(np.allclose(y, [[1, 0, 0, 0], [1, 0, 0, 0]], atol=1e-6))
    ((2, 4), True)
    """
    from scipy import fft, signal

    kernel = np.ascontiguousarray(ir, dtype=np.float32)
    kernel = kernel[None] if kernel.ndim == 1 else kernel
    if kernel.shape[0] not in (1, audio.shape[0]):
        raise ValueError(f"convolve_ir: ir has {kernel.shape[0]} channels; the audio has {audio.shape[0]}")
    data = np.asarray(audio, dtype=np.float32)
    samples, taps = data.shape[1], kernel.shape[1]
    keep = samples if leave_length_unchanged else samples + taps - 1
    if taps == 1:
        return np.ascontiguousarray(data * kernel, dtype=np.float32)
    if taps * _OVERLAP_ADD_RATIO <= samples:
        full = signal.oaconvolve(data, kernel, axes=-1)
        return np.ascontiguousarray(full[:, :keep], dtype=np.float32)
    size = fft.next_fast_len(samples + taps - 1, real=True)
    product = fft.rfft(data, size, axis=-1)
    product *= _spectrum(kernel.shape, size, kernel.tobytes())
    return np.ascontiguousarray(fft.irfft(product, size, axis=-1)[:, :keep], dtype=np.float32)


def iso9613_absorption(
    frequencies: Sequence[float] | np.ndarray,
    temperature: float,
    humidity: float,
    pressure: float = REFERENCE_PRESSURE_KPA,
) -> np.ndarray:
    """Atmospheric absorption coefficient in dB per metre (ISO 9613-1, pure tones), float64.

    ``temperature`` in degrees Celsius, ``humidity`` relative (percent), ``pressure`` in kPa. The standard
    states it for -20 to 50 degrees C and 10 to 100 % humidity.

    >>> [round(float(a) * 1000, 1) for a in iso9613_absorption([500, 2000, 8000], 20.0, 50.0)]  # dB/km
    [2.7, 9.9, 105.3]
    """
    freq = np.asarray(frequencies, dtype=np.float64)
    kelvin = temperature + 273.15
    rel_pressure = pressure / REFERENCE_PRESSURE_KPA
    rel_temp = kelvin / 293.15
    # molar concentration of water vapour (%), from the saturation vapour pressure (ISO 9613-1 annex B)
    exponent = -6.8346 * (273.16 / kelvin) ** 1.261 + 4.6151
    vapour = humidity * 10.0**exponent / rel_pressure
    relax_o = rel_pressure * (24.0 + 4.04e4 * vapour * (0.02 + vapour) / (0.391 + vapour))
    relax_n = rel_pressure * rel_temp**-0.5 * (9.0 + 280.0 * vapour * math.exp(-4.170 * (rel_temp ** (-1.0 / 3.0) - 1.0)))
    squared = freq * freq
    classical = 1.84e-11 / rel_pressure * rel_temp**0.5
    oxygen = 0.01275 * math.exp(-2239.1 / kelvin) / (relax_o + squared / relax_o)
    nitrogen = 0.1068 * math.exp(-3352.0 / kelvin) / (relax_n + squared / relax_n)
    return 8.686 * squared * (classical + rel_temp**-2.5 * (oxygen + nitrogen))


@lru_cache(maxsize=64)
def _air_filter(sample_rate: int, temperature: float, humidity: float, distance: float) -> np.ndarray:
    size = 1 << max(6, math.ceil(math.log2(sample_rate / 40.0)))  # bins of at most 40 Hz
    freqs = np.fft.rfftfreq(size, 1.0 / sample_rate)
    gain = 10.0 ** (-iso9613_absorption(freqs, temperature, humidity) * distance / 20.0)
    taps = np.fft.irfft(gain, size)  # real and even: zero phase, centred at 0
    taps = np.roll(taps, size // 2)[1:]  # odd length, centre at size // 2 - 1
    window = np.hanning(size + 1)[1:-1]
    kernel = (taps * window).astype(np.float32)
    kernel.setflags(write=False)
    return kernel


def air_absorption_filter(sample_rate: int, temperature: float, humidity: float, distance: float) -> np.ndarray:
    """The zero-phase FIR (odd length, centred) whose response is ``10 ** (-alpha(f) * distance / 20)``.

    Designed by frequency sampling on bins of at most 40 Hz and a Hann window (cached per arguments).

    >>> taps = air_absorption_filter(16000, 20.0, 50.0, 0.0)
    >>> len(taps) % 2, round(float(taps.sum()), 4), int(np.argmax(taps)) == len(taps) // 2
    (1, 1.0, True)
    """
    return _air_filter(int(sample_rate), float(temperature), float(humidity), float(distance)).copy()


def air_absorption(audio: np.ndarray, sample_rate: int, temperature: float, humidity: float, distance: float) -> np.ndarray:
    """Attenuate each frequency by ISO 9613-1 ``alpha(f) * distance`` dB (zero phase, same length).

    Only the frequency-dependent absorption is applied, not the spherical spreading (1/r) loss.

    >>> x = np.zeros((1, 256), np.float32); x[0, 128] = 1.0
    >>> y = air_absorption(x, 44100, 20.0, 50.0, 100.0)
    >>> int(np.argmax(y[0])), float(y[0].sum()) > 0.99  # no delay; DC passes
    (128, True)
    """
    from scipy import signal

    kernel = _air_filter(int(sample_rate), float(temperature), float(humidity), float(distance))
    centre = len(kernel) // 2
    data = np.asarray(audio, dtype=np.float32)
    if data.shape[1] >= 4 * len(kernel):
        full = signal.oaconvolve(data, kernel[None], axes=-1)
    else:
        full = signal.fftconvolve(data, kernel[None], axes=-1)
    return np.ascontiguousarray(full[:, centre : centre + data.shape[1]], dtype=np.float32)
