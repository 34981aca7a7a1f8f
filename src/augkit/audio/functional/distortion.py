"""Distortion kernels: hard clipping, percentile clipping, tanh saturation, bit crushing, aliasing and
μ-law companding.

Every kernel takes float32 audio, ``(samples,)`` or ``(channels, samples)`` (time on the last axis), and
returns a new C-contiguous float32 array; none modifies its input. Percentiles are taken over all
samples of all channels together (as audiomentations does).

>>> import numpy as np
>>> bit_crush(np.array([0.3, -0.8, 1.0], np.float32), 2).tolist()  # 2 bits: levels -1, -0.5, 0, 0.5
[0.5, -1.0, 0.5]
>>> round(float(mu_law_compression(np.array([0.5], np.float32))[0]), 4)
0.4967
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

__all__ = [
    "aliasing",
    "bit_crush",
    "clip",
    "mu_law_compression",
    "mu_law_decode",
    "mu_law_encode",
    "percentile",
    "percentile_clip",
    "percentile_thresholds",
    "tanh_distortion",
    "tanh_pre_gain",
]


def clip(audio: np.ndarray, a_min: float, a_max: float) -> np.ndarray:
    """Clamp every sample to ``[a_min, a_max]``.

    >>> clip(np.array([-2.0, 0.5, 3.0], np.float32), -1.0, 1.0).tolist()
    [-1.0, 0.5, 1.0]
    """
    return np.clip(audio, np.float32(a_min), np.float32(a_max), dtype=np.float32)


def _select(values: np.ndarray, qs: list[float], in_place: bool = False) -> list[float]:
    """Percentiles ``qs`` (0..100) of a flat array with NumPy's default (linear) interpolation, from
    one partial sort (:func:`numpy.partition`) instead of a full sort."""
    n = values.size
    positions = [q / 100.0 * (n - 1) for q in qs]
    kth = sorted({min(math.floor(p) + k, n - 1) for p in positions for k in (0, 1)})
    if in_place:
        values.partition(kth)
        part = values
    else:
        part = np.partition(values, kth)
    out = []
    for p in positions:
        i = math.floor(p)
        low, high = float(part[i]), float(part[min(i + 1, n - 1)])
        t = p - i
        out.append(low + (high - low) * t if t < 0.5 else high - (high - low) * (1.0 - t))
    return out


def percentile(audio: np.ndarray, q: float) -> float:
    """The ``q``-th percentile (0..100) of all samples, as :func:`numpy.percentile` computes it.

    >>> percentile(np.array([0.0, 1.0, 2.0, 3.0], np.float32), 50.0)
    1.5
    """
    return _select(audio.reshape(-1), [q])[0]


def percentile_thresholds(audio: np.ndarray, percent: float) -> tuple[float, float]:
    """The two clipping levels that put ``percent`` % of the samples outside: the ``percent / 2``-th
    and ``100 - percent / 2``-th percentiles of all samples.

    >>> percentile_thresholds(np.arange(101, dtype=np.float32), 20.0)
    (10.0, 90.0)
    """
    low, high = _select(audio.reshape(-1), [percent / 2.0, 100.0 - percent / 2.0])
    return low, high


def percentile_clip(audio: np.ndarray, percent: float) -> np.ndarray:
    """Clip the ``percent`` % most extreme samples (half at each end) to the percentile levels
    (audiomentations' ``ClippingDistortion``).

    >>> percentile_clip(np.arange(5, dtype=np.float32), 50.0).tolist()
    [1.0, 1.0, 2.0, 3.0, 3.0]
    """
    return clip(audio, *percentile_thresholds(audio, percent))


def tanh_pre_gain(audio: np.ndarray, distortion: float) -> float:
    """audiomentations' ``TanhDistortion`` drive: ``0.5 / (t + 1e-6)``, ``t`` the ``100 - 99 *
    distortion``-th percentile of the absolute sample values (more distortion, lower percentile,
    more gain into the tanh).

    >>> round(tanh_pre_gain(np.array([0.5, -0.5], np.float32), 0.0), 4)
    1.0
    """
    magnitude = np.abs(audio).reshape(-1)
    threshold = _select(magnitude, [100.0 - 99.0 * distortion], in_place=True)[0]
    return 0.5 / (threshold + 1e-6)


def _rms(audio: np.ndarray) -> float:
    flat = audio.reshape(-1)
    return math.sqrt(float(np.dot(flat, flat)) / flat.size) if flat.size else 0.0


def tanh_distortion(audio: np.ndarray, distortion: float = 0.5, pre_gain: float | None = None) -> np.ndarray:
    """Soft clipping: ``tanh(pre_gain * x)``, rescaled to the input's RMS level (audiomentations'
    ``TanhDistortion``). ``pre_gain`` defaults to :func:`tanh_pre_gain` of ``distortion`` (0..1).

    >>> x = np.array([0.1, -0.9, 0.5], np.float32)
    >>> y = tanh_distortion(x, 0.5)
    >>> bool(np.isclose(np.sqrt(np.mean(y**2)), np.sqrt(np.mean(x**2))))  # same RMS
    True
    """
    drive = tanh_pre_gain(audio, distortion) if pre_gain is None else pre_gain
    out = np.multiply(audio, np.float32(drive), dtype=np.float32)
    np.tanh(out, out=out)
    level = _rms(out)
    if level > 0.0:
        out *= np.float32(_rms(audio) / level)
    return out


def bit_crush(audio: np.ndarray, bit_depth: int) -> np.ndarray:
    """Requantize to ``bit_depth``-bit PCM without dither: ``clip(round(x * 2^(b-1)), -2^(b-1),
    2^(b-1) - 1) / 2^(b-1)``, i.e. exactly ``2^bit_depth`` levels in [-1, 1) (values at or above
    ``1 - 2^(1-b)`` take the top code, as in a real b-bit converter).

    >>> (np.unique(bit_crush(np.linspace(-1, 1, 1001, dtype=np.float32), 3)) + 0.0).tolist()
    [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75]
    """
    scale = 2.0 ** (int(bit_depth) - 1)
    dtype = np.float32 if bit_depth <= 24 else np.float64  # float32 holds every 24-bit code exactly
    out = np.multiply(audio, dtype(scale), dtype=dtype)
    np.rint(out, out=out)
    np.clip(out, -scale, scale - 1.0, out=out)
    out *= dtype(1.0 / scale)
    return out.astype(np.float32, copy=False)


#: Positions per chunk in :func:`_linear_at`: temporaries stay small (64 KiB of float64), so they come
#: from the heap instead of freshly mapped pages, whose page faults cost more than the arithmetic.
_CHUNK = 8192


def _linear_at(signal: np.ndarray, count: int, step: float) -> np.ndarray:
    """``signal`` (channels, n) linearly interpolated at the ``count`` positions ``0, step, 2 step, ...``
    (fractional sample indices; positions past the last sample hold its value)."""
    channels, n = signal.shape
    if n == 1:
        return np.repeat(signal, count, axis=-1)
    out = np.empty((channels, count), np.float32)
    inside = min(count, math.floor((n - 1) / step) + 1)  # positions <= n - 1
    offsets = np.arange(min(_CHUNK, inside), dtype=np.float64) * step
    for start in range(0, inside, _CHUNK):
        stop = min(start + _CHUNK, inside)
        positions = offsets[: stop - start] + start * step
        index = positions.astype(np.intp)  # floor: positions >= 0
        np.minimum(index, n - 2, out=index)
        positions -= index
        fraction = positions.astype(np.float32)
        for row, source in zip(out, signal, strict=True):
            head = row[start:stop]
            np.take(source, index, out=head)
            right = np.take(source[1:], index)
            right -= head
            right *= fraction
            head += right
    for row, source in zip(out, signal, strict=True):
        row[inside:] = source[-1]
    return out


def aliasing(audio: np.ndarray, sample_rate: int, new_sample_rate: float) -> np.ndarray:
    """Downsample to ``new_sample_rate`` by linear interpolation with no anti-alias filter, then back to
    ``sample_rate`` the same way (audiomentations' ``Aliasing``): content above ``new_sample_rate / 2``
    folds back below it. The length is unchanged.

    >>> t = np.arange(1600) / 16000
    >>> y = aliasing(np.sin(2 * np.pi * 5000 * t).astype(np.float32), 16000, 8000)
    >>> int(np.argmax(np.abs(np.fft.rfft(y))) * 10)  # 5 kHz folds to 8 - 5 = 3 kHz
    3000
    """
    channels = audio.reshape(-1, audio.shape[-1])
    n = channels.shape[-1]
    step = sample_rate / float(new_sample_rate)  # input samples per downsampled sample
    count = max(1, math.floor((n - 1) / step + 1e-9) + 1)
    low = _linear_at(channels, count, step)
    out = _linear_at(low, n, 1.0 / step)
    return out.reshape(audio.shape)


def _mu_law_codes(audio: np.ndarray, quantization_channels: int) -> np.ndarray:
    """The μ-law codes as float32 integers (0 .. channels - 1)."""
    mu = float(quantization_channels - 1)
    codes = np.abs(audio, dtype=np.float32)
    np.minimum(codes, 1.0, out=codes)
    codes *= np.float32(mu)
    codes += np.float32(1.0)
    np.log(codes, out=codes)  # ln(1 + mu |x|)
    codes *= np.float32(mu / 2.0 / math.log1p(mu))  # F(|x|) * mu / 2
    np.copysign(codes, audio, out=codes)
    codes += np.float32(mu / 2.0 + 0.5)  # (F + 1) / 2 * mu, rounded half up by the floor below
    return np.floor(codes, out=codes)


def mu_law_encode(audio: np.ndarray, quantization_channels: int = 256) -> np.ndarray:
    """μ-law codes (int16 or int32, ``0 .. quantization_channels - 1``; μ = channels - 1), as in ITU-T
    G.711's continuous law and WaveNet: ``F(x) = sign(x) ln(1 + μ|x|) / ln(1 + μ)`` on ``x`` clipped to
    [-1, 1], then ``floor((F + 1) / 2 * μ + 0.5)``.

    >>> mu_law_encode(np.array([-1.0, 0.0, 1.0], np.float32)).tolist()
    [0, 128, 255]
    """
    return _mu_law_codes(audio, quantization_channels).astype(np.int16 if quantization_channels <= 32768 else np.int32)


@lru_cache(maxsize=16)
def _mu_law_levels(quantization_channels: int) -> np.ndarray:
    """Each code's reconstruction level (cached; read-only use)."""
    mu = quantization_channels - 1
    companded = np.arange(quantization_channels, dtype=np.float64) * (2.0 / mu) - 1.0
    levels = (np.sign(companded) * np.expm1(np.abs(companded) * math.log1p(mu)) / mu).astype(np.float32)
    levels.flags.writeable = False
    return levels


def mu_law_decode(codes: np.ndarray, quantization_channels: int = 256) -> np.ndarray:
    """The inverse of :func:`mu_law_encode`: each code's reconstruction level, float32 in [-1, 1].

    >>> mu_law_decode(np.array([0, 255]), 256).tolist()
    [-1.0, 1.0]
    """
    return np.take(_mu_law_levels(int(quantization_channels)), codes)


def mu_law_compression(audio: np.ndarray, quantization_channels: int = 256) -> np.ndarray:
    """Encode and decode with μ-law: the quantization noise of a ``log2(quantization_channels)``-bit
    μ-law codec (8-bit telephony and WaveNet for 256), finer near zero and coarser near full scale.
    Samples outside [-1, 1] are clipped.

    >>> mu_law_compression(np.array([1.0, -1.0, 2.0], np.float32)).tolist()
    [1.0, -1.0, 1.0]
    """
    codes = _mu_law_codes(audio, quantization_channels)
    levels = _mu_law_levels(int(quantization_channels))
    if quantization_channels <= 256:  # one byte per code and a table lookup (OpenCV)
        import cv2

        table = np.zeros(256, np.float32)
        table[: levels.size] = levels
        flat = codes.astype(np.uint8).reshape(1, -1)
        return np.ascontiguousarray(cv2.LUT(flat, table).reshape(codes.shape))
    return np.take(levels, codes.astype(np.intp))
