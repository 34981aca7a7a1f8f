"""Noise kernels: Gaussian and coloured noise from a seed, mixing a recorded noise at an SNR or RMS level.

Every kernel takes ``(channels, samples)`` float32 audio and returns a new C-contiguous float32 array;
random fields are regenerated from an integer ``seed`` (numpy's PCG64 through
``np.random.default_rng(seed)``), so the same seed gives the same noise, bit for bit.

Gaussian samples come from the Box-Muller transform of float32 uniforms (``log``, ``sqrt``, ``cos``,
``sin`` are SIMD-vectorized by numpy in float32), about three times faster than numpy's float32 ziggurat
on long clips. Uniforms have 24 bits, so ``|z|`` never exceeds ``sqrt(2 ln 2**24) = 5.77``.

Levels: ``rms`` is taken over all channels and samples together (as audiomentations does); an SNR of
``s`` dB means ``rms(signal) / rms(added noise) = 10 ** (s / 20)``.

>>> import math, numpy as np
>>> x = np.zeros((1, 4), np.float32)
>>> bool(np.array_equal(add_gaussian_noise(x, 0.1, seed=3), add_gaussian_noise(x, 0.1, seed=3)))
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "COLORS",
    "a_weighting_db",
    "add_color_noise",
    "add_gaussian_noise",
    "add_gaussian_snr",
    "add_noise_at_rms",
    "add_noise_at_snr",
    "color_noise",
    "fade_envelope",
    "gaussian",
    "loop_or_crop",
    "mix_short_noises",
    "rms",
]

_OCTAVE_DB = 10.0 * math.log10(2.0)  # 3.0103: the power of 1/f falls by this much per octave

#: Named noise colours and their power-spectrum slope in dB per octave (pink is exactly 1/f, brown 1/f**2).
COLORS: dict[str, float] = {
    "white": 0.0,
    "pink": -_OCTAVE_DB,
    "brown": -2.0 * _OCTAVE_DB,
    "brownian": -2.0 * _OCTAVE_DB,
    "red": -2.0 * _OCTAVE_DB,
    "blue": _OCTAVE_DB,
    "azure": _OCTAVE_DB,
    "violet": 2.0 * _OCTAVE_DB,
    "purple": 2.0 * _OCTAVE_DB,
}


def rms(audio: np.ndarray) -> float:
    """Root mean square over every channel and sample (float32 dot product, returned as a Python float).

    >>> rms(np.array([[3.0, -3.0], [3.0, 3.0]], np.float32))
    3.0
    """
    flat = audio.reshape(-1)
    if flat.size == 0:
        return 0.0
    return math.sqrt(max(float(np.dot(flat, flat)), 0.0) / flat.size)


def gaussian(shape: Sequence[int], seed: int) -> np.ndarray:
    """Standard normal float32 samples of ``shape`` from ``seed`` (Box-Muller on PCG64 float32 uniforms).

    >>> z = gaussian((2, 50000), seed=0)
    >>> z.dtype, z.shape, abs(float(z.mean())) < 0.02, abs(float(z.std()) - 1.0) < 0.02
    (dtype('float32'), (2, 50000), True, True)
    """
    count = math.prod(int(s) for s in shape)
    half = (count + 1) // 2
    uniform = np.random.default_rng(seed).random(2 * half, dtype=np.float32)
    radius = uniform[:half]
    np.log1p(np.negative(radius, out=radius), out=radius)  # log(1 - u) with 1 - u in (0, 1]: finite
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    angle = uniform[half:]
    angle *= np.float32(2.0 * math.pi)
    out = np.empty(2 * half, np.float32)
    np.cos(angle, out=out[:half])
    out[:half] *= radius
    np.sin(angle, out=out[half:])
    out[half:] *= radius
    return out[:count].reshape(tuple(int(s) for s in shape))


def add_gaussian_noise(audio: np.ndarray, amplitude: float, seed: int) -> np.ndarray:
    """``audio + amplitude * z`` with ``z`` standard normal from ``seed`` (independent per channel).

    >>> out = add_gaussian_noise(np.zeros((1, 100000), np.float32), 0.01, seed=1)
    >>> round(float(out.std()), 3)
    0.01
    """
    out = gaussian(audio.shape, seed)
    out *= np.float32(amplitude)
    out += audio
    return out


def add_gaussian_snr(audio: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    """Add Gaussian noise whose standard deviation is ``rms(audio) / 10 ** (snr_db / 20)``.

    Silent input gets no noise (the level is relative to the signal).

    >>> x = np.sin(np.arange(16000, dtype=np.float32) * 0.05)[None]
    >>> noise = add_gaussian_snr(x, 20.0, seed=2) - x
    >>> round(20 * math.log10(rms(x) / rms(noise)), 1)
    20.0
    """
    return add_gaussian_noise(audio, rms(audio) / 10.0 ** (snr_db / 20.0), seed)


def a_weighting_db(frequencies: np.ndarray) -> np.ndarray:
    """The A-weighting gain in dB at ``frequencies`` (Hz), IEC 61672-1 (0 dB at 1 kHz; -inf at 0 Hz).

    >>> a_weighting_db(np.array([100.0, 1000.0])).round(1).tolist()
    [-19.1, 0.0]
    """
    f2 = np.asarray(frequencies, np.float64) ** 2
    with np.errstate(divide="ignore"):
        gain = (12194.0**2 * f2**2) / ((f2 + 20.6**2) * np.sqrt((f2 + 107.7**2) * (f2 + 737.9**2)) * (f2 + 12194.0**2))
        return 20.0 * np.log10(gain) + 2.0


@functools.lru_cache(maxsize=16)
def _spectrum_tables(length: int, sample_rate: int, min_frequency: float) -> tuple[np.ndarray, np.ndarray]:
    """float32 ``ln(max(f, min_frequency))`` and the A-weighting amplitude gain of every rfft bin (read-only)."""
    freqs = np.fft.rfftfreq(length, 1.0 / sample_rate)
    log_freqs = np.log(np.maximum(freqs, min_frequency)).astype(np.float32)
    a_gain = (10.0 ** (a_weighting_db(freqs) / 20.0)).astype(np.float32)
    log_freqs.setflags(write=False)
    a_gain.setflags(write=False)
    return log_freqs, a_gain


def color_noise(
    shape: Sequence[int],
    f_decay: float,
    seed: int,
    sample_rate: int,
    *,
    a_weighting: bool = False,
    min_frequency: float = 20.0,
) -> np.ndarray:
    """Noise whose power spectrum falls by ``f_decay`` dB per octave, with RMS 1 over the whole array.

    Shaped in the frequency domain: complex Gaussian FFT coefficients (the spectrum of white noise)
    times ``(max(f, min_frequency)) ** (f_decay / 6.02)`` in amplitude, DC removed, then one inverse
    real FFT per channel (length rounded up to a fast FFT size and cropped). Below ``min_frequency``
    the spectrum is flat, so brown noise does not drift without bound. ``a_weighting`` also applies
    the A-weighting curve to the amplitude spectrum. Channels are independent.

    >>> n = color_noise((1, 16000), -3.01, seed=0, sample_rate=16000)
    >>> n.dtype, round(float(np.sqrt((n.astype(np.float64) ** 2).mean())), 4)
    (dtype('float32'), 1.0)
    """
    import scipy.fft

    channels, samples = (int(s) for s in shape)
    length = scipy.fft.next_fast_len(samples, real=True)
    bins = length // 2 + 1
    log_freqs, a_gain = _spectrum_tables(length, int(sample_rate), float(min_frequency))
    gain = log_freqs * np.float32(f_decay / (20.0 * math.log10(2.0)))  # amplitude exponent times ln f
    np.exp(gain, out=gain)
    if a_weighting:
        gain *= a_gain
    gain[0] = 0.0
    z = gaussian((channels, 2 * bins), seed)
    spectrum = z.view(np.complex64)  # (channels, bins): independent real and imaginary parts
    spectrum *= gain
    out = scipy.fft.irfft(spectrum, n=length, axis=-1, workers=1)
    if length != samples:
        out = np.ascontiguousarray(out[:, :samples])
    level = rms(out)
    if level > 0.0:
        out *= np.float32(1.0 / level)
    return out


def add_color_noise(
    audio: np.ndarray, snr_db: float, f_decay: float, seed: int, sample_rate: int, *, a_weighting: bool = False
) -> np.ndarray:
    """Add :func:`color_noise` scaled to ``rms(audio) / 10 ** (snr_db / 20)`` (exactly that RMS).

    >>> x = np.sin(np.arange(8000, dtype=np.float32) * 0.3)[None]
    >>> noise = add_color_noise(x, 10.0, -6.02, seed=1, sample_rate=16000) - x
    >>> round(20 * math.log10(rms(x) / rms(noise)), 2)
    10.0
    """
    out = color_noise(audio.shape, f_decay, seed, sample_rate, a_weighting=a_weighting)
    out *= np.float32(rms(audio) / 10.0 ** (snr_db / 20.0))
    out += audio
    return out


def loop_or_crop(noise: np.ndarray, num_samples: int, offset: int) -> np.ndarray:
    """``num_samples`` of ``noise`` (channels, length) from ``offset``: cropped when long enough, else looped.

    A noise at least ``num_samples`` long is cut at ``[offset, offset + num_samples)`` (``offset`` must then
    be in ``[0, length - num_samples]``); a shorter one is repeated end to start from ``offset`` (taken modulo
    its length).

    >>> loop_or_crop(np.arange(3, dtype=np.float32)[None], 7, 1).tolist()
    [[1.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0]]
    """
    length = noise.shape[-1]
    if length >= num_samples:
        if not 0 <= offset <= length - num_samples:
            raise ValueError(f"loop_or_crop: offset {offset} is outside [0, {length - num_samples}]")
        return np.array(noise[:, offset : offset + num_samples], dtype=np.float32, order="C")  # always a new array
    out = np.empty((noise.shape[0], num_samples), np.float32)
    start = offset % length
    first = min(length - start, num_samples)
    out[:, :first] = noise[:, start : start + first]
    filled = first
    if filled < num_samples:
        step = min(length, num_samples - filled)
        out[:, filled : filled + step] = noise[:, :step]
        filled += step
    while filled < num_samples:  # copy what is already looped: a whole number of periods back, doubling
        period = (filled // length) * length
        step = min(period, num_samples - filled)
        out[:, filled : filled + step] = out[:, filled - period : filled - period + step]
        filled += step
    return out


def _scaled_sum(audio: np.ndarray, noise: np.ndarray, gain: float, overwrite: bool) -> np.ndarray:
    if overwrite:
        noise *= np.float32(gain)
        noise += audio
        return noise
    out = noise * np.float32(gain)
    out += audio
    return out


def add_noise_at_snr(audio: np.ndarray, noise: np.ndarray, snr_db: float, *, overwrite_noise: bool = False) -> np.ndarray:
    """``audio + g * noise`` with ``g`` such that ``rms(audio) / rms(g * noise) = 10 ** (snr_db / 20)``.

    ``noise`` has the shape of ``audio``. Silent audio or silent noise: ``audio`` comes back unchanged (a copy).
    ``overwrite_noise=True`` builds the result in ``noise`` (a fresh float32 array the caller owns) and
    returns it, saving an allocation.

    >>> x = np.ones((1, 4), np.float32)
    >>> add_noise_at_snr(x, np.array([[1.0, -1.0, 1.0, -1.0]], np.float32), 20 * np.log10(2)).tolist()
    [[1.5, 0.5, 1.5, 0.5]]
    """
    signal_rms, noise_rms = rms(audio), rms(noise)
    if signal_rms == 0.0 or noise_rms == 0.0:
        return audio.copy()
    return _scaled_sum(audio, noise, signal_rms / (noise_rms * 10.0 ** (snr_db / 20.0)), overwrite_noise)


def add_noise_at_rms(audio: np.ndarray, noise: np.ndarray, rms_db: float, *, overwrite_noise: bool = False) -> np.ndarray:
    """``audio + g * noise`` with ``g`` such that ``rms(g * noise) = 10 ** (rms_db / 20)`` (full scale is 0 dB).
    ``overwrite_noise`` as in :func:`add_noise_at_snr`.

    >>> add_noise_at_rms(np.zeros((1, 2), np.float32), np.array([[2.0, -2.0]], np.float32), -20.0).astype(float).round(6).tolist()
    [[0.1, -0.1]]
    """
    noise_rms = rms(noise)
    if noise_rms == 0.0:
        return audio.copy()
    return _scaled_sum(audio, noise, 10.0 ** (rms_db / 20.0) / noise_rms, overwrite_noise)


def fade_envelope(length: int, fade_in: int, fade_out: int) -> np.ndarray:
    """A float32 gain of ``length`` samples: a linear ramp ``k / fade_in`` up from 0 over the first
    ``fade_in`` samples, its mirror image down to 0 over the last ``fade_out``, 1 in between (each ramp
    is shortened to at most half the length).

    >>> fade_envelope(6, 2, 2).tolist()
    [0.0, 0.5, 1.0, 1.0, 0.5, 0.0]
    """
    out = np.ones(length, np.float32)
    fade_in, fade_out = min(fade_in, length // 2), min(fade_out, length // 2)
    if fade_in > 0:
        out[:fade_in] = np.arange(fade_in, dtype=np.float32) / np.float32(fade_in)
    if fade_out > 0:
        out[length - fade_out :] = np.arange(fade_out - 1, -1, -1, dtype=np.float32) / np.float32(fade_out)
    return out


def mix_short_noises(
    audio: np.ndarray,
    noises: Sequence[np.ndarray],
    starts: Sequence[int],
    gains: Sequence[float],
    fade_ins: Sequence[int],
    fade_outs: Sequence[int],
    signal_gain_db: float = 0.0,
) -> np.ndarray:
    """Add short noises at given sample positions, each scaled by its gain and faded in and out.

    Noise ``i`` (``(channels, length)``, matched to the audio's channels) starts at sample ``starts[i]``
    (negative or past the end is allowed: the part outside the clip is dropped) and gets
    ``gains[i] * fade_envelope(length, fade_ins[i], fade_outs[i])``. With ``signal_gain_db`` != 0 the
    signal is scaled by ``1 - (1 - 10 ** (signal_gain_db / 20)) * envelope`` under each noise (a crossfade
    with the same fades); where noises overlap, the lowest signal gain wins.

    >>> out = mix_short_noises(np.ones((1, 6), np.float32), [np.ones((1, 2), np.float32)], [4], [0.5], [0], [0])
    >>> out.tolist()
    [[1.0, 1.0, 1.0, 1.0, 1.5, 1.5]]
    """
    total = audio.shape[-1]
    spans = []
    for noise, start, gain, fade_in, fade_out in zip(noises, starts, gains, fade_ins, fade_outs, strict=True):
        length, start = noise.shape[-1], int(start)
        lo, hi = max(start, 0), min(start + length, total)
        if hi > lo:
            spans.append(
                (noise, start, lo, hi, float(gain), fade_envelope(length, int(fade_in), int(fade_out))[lo - start : hi - start])
            )
    if signal_gain_db != 0.0 and spans:
        duck = np.ones(total, np.float32)
        depth = np.float32(1.0 - 10.0 ** (signal_gain_db / 20.0))
        for _, _, lo, hi, _, envelope in spans:
            np.minimum(duck[lo:hi], np.float32(1.0) - depth * envelope, out=duck[lo:hi])
        out = audio * duck
    else:
        out = audio.copy()
    for noise, start, lo, hi, gain, envelope in spans:
        if gain != 0.0:
            out[:, lo:hi] += noise[:, lo - start : hi - start] * (envelope * np.float32(gain))
    return out
