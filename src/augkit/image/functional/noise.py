"""Noise kernels: Gaussian, ISO sensor, salt-and-pepper, multiplicative and shot (Poisson) noise.

Every kernel takes an H x W or H x W x C image (uint8, uint16 or float32 in [0, 1]; any channel
count unless stated) and returns a new C-contiguous array of the same dtype and shape; results
saturate at the dtype's limits. Random fields are rebuilt from an integer ``seed``, so the same
arguments always give the same output.

How the random values are drawn (both paths are several times faster than numpy's own samplers):

* **Gaussian** values come from a quantized inverse-CDF table: a uniform 16-bit integer ``j`` picks
  the quantile ``z_j = Phi^-1((j + 0.5) / 65536)`` (65536 equally likely levels, the table rescaled to
  unit variance). Tails are cut at ``|z| <= 4.32`` (the true mass beyond is 1.5e-5); mean, variance
  and tail masses above ~1e-4 match the normal distribution.
* **Poisson** counts are exact inverse-CDF draws: a guide table over ``2**bits`` cells of the
  uniform answers every cell that holds no step of the CDF in one lookup; draws in the few cells
  that do are finished with a second, float64 uniform and a binary search. Counts further than
  ``12 sqrt(lam) + 16`` from the mean (probability below 1e-30) are not produced.

>>> import numpy as np
>>> out = gaussian_noise(np.full((2, 3), 128, np.uint8), std=0.0, mean=0.1, seed=0)
>>> out.tolist()
[[154, 154, 154], [154, 154, 154]]
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import keep_channels
from augkit.image.functional._lut import UINT8_RANGE, apply_lut, max_value
from augkit.image.functional.geometry import resize

__all__ = [
    "gaussian_noise",
    "iso_noise",
    "multiplicative_noise",
    "multiply",
    "normal_table",
    "salt_and_pepper",
    "shot_noise",
]

_LEVELS = 65536  # levels of the quantized normal table (one uint16 draw per value)
_GAMMA = 2.2  # display gamma removed before shot noise and restored after it
_SHOT_BITS = 10  # guide-table cells per grey level for uint8 shot noise
_MAX_TABLE = 1 << 21  # largest Poisson CDF table (levels x counts) built per call
_CHUNK = 1 << 16  # elements drawn at a time by the inverse-CDF sampler


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=4)
def normal_table(levels: int = _LEVELS) -> np.ndarray:
    """``levels`` standard-normal quantiles (float64, read-only): a uniform random index into it is
    a quantized standard-normal draw. Gaussian noise uses 65536 levels (one uint16 draw per value,
    tails at 4.32 sigma); visual grain elsewhere uses 256 (one byte per value, tails at 2.9 sigma).

    Entry ``j`` is ``Phi^-1((j + 0.5) / levels)``, mirrored so the table is exactly symmetric and
    rescaled to unit variance.

    >>> table = normal_table()
    >>> abs(float(table.mean())) < 1e-12, round(float(table.std()), 12), round(float(table.max()), 2)
    (True, 1.0, 4.32)
    """
    inverse = statistics.NormalDist().inv_cdf
    half = np.array([inverse((j + 0.5) / levels) for j in range(levels // 2)])
    table = np.concatenate([half, -half[::-1]])
    table /= math.sqrt(float(np.mean(table * table)))
    table.setflags(write=False)
    return table


def _uint16_draws(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` uniform 16-bit integers: the bit generator's raw 64-bit words cut in four (about three
    times faster than ``rng.integers``; the values depend on the platform's byte order)."""
    return rng.bit_generator.random_raw((count + 3) // 4).view(np.uint16)[:count]


@functools.lru_cache(maxsize=1)
def _normal_table32() -> np.ndarray:
    table = normal_table().astype(np.float32)
    table.setflags(write=False)
    return table


def _normal_field(rng: np.random.Generator, shape: tuple[int, ...], scale: float, offset: float, dtype: type) -> np.ndarray:
    """``offset + scale * z`` for quantized standard-normal ``z`` (integer dtypes are rounded)."""
    values = _normal_table32() * np.float32(scale)
    values += np.float32(offset)
    if np.dtype(dtype).kind == "i":
        info = np.iinfo(dtype)
        np.clip(values, info.min, info.max, out=values)
        values = np.rint(values, out=values).astype(dtype)
    return np.take(values, _uint16_draws(rng, math.prod(shape)).reshape(shape))


def _channels(image: np.ndarray) -> int:
    return image.shape[2] if image.ndim == 3 else 1


def _repeat_channels(plane: np.ndarray, channels: int) -> np.ndarray:
    """An H x W plane repeated into H x W x ``channels`` (contiguous)."""
    if channels <= 4:
        return keep_channels(cv2.merge([plane] * channels), plane[:, :, None])
    return np.repeat(plane[:, :, None], channels, axis=2)


def _saturating(image: np.ndarray, field: np.ndarray, op: str) -> np.ndarray:
    """``image + field`` or ``image * field`` (same element count), saturated to the dtype's range."""
    rows = image.shape[0]
    flat, other = image.reshape(rows, -1), field.reshape(rows, -1)
    if image.dtype == np.float32:
        out = cv2.add(flat, other) if op == "add" else cv2.multiply(flat, other)
        np.clip(out, 0.0, 1.0, out=out)
    else:
        depth = cv2.CV_8U if image.dtype == np.uint8 else cv2.CV_16U
        out = cv2.add(flat, other, dtype=depth) if op == "add" else cv2.multiply(flat, other, dtype=depth)
    return out.reshape(image.shape)


def _to_unit(image: np.ndarray) -> np.ndarray:
    """A new float32 copy scaled to [0, 1]."""
    out = image.astype(np.float32)
    if image.dtype != np.float32:
        out *= np.float32(1.0 / max_value(image.dtype))
    return out


def _from_unit(unit: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Float32 values in [0, 1] back to ``dtype``: rounded and saturated (``unit`` may be reused)."""
    if dtype == np.float32:
        np.clip(unit, 0.0, 1.0, out=unit)
        return unit
    flat = unit.reshape(unit.shape[0], -1)
    depth = cv2.CV_8U if dtype == np.uint8 else cv2.CV_16U
    return cv2.addWeighted(flat, max_value(dtype), flat, 0.0, 0.0, dtype=depth).reshape(unit.shape)


# ---------------------------------------------------------------------------------- Gaussian noise
def gaussian_noise(
    image: np.ndarray,
    std: float,
    mean: float = 0.0,
    seed: int = 0,
    per_channel: bool = True,
    noise_scale_factor: float = 1.0,
) -> np.ndarray:
    """Add normal noise of standard deviation ``std`` and mean ``mean`` (fractions of full intensity).

    ``per_channel=False`` adds one noise plane to every channel. ``noise_scale_factor < 1`` draws the
    noise on a grid ``factor`` times smaller (at least 1 x 1) and resizes it bilinearly to the image,
    which is faster and spatially correlated. uint8 noise is rounded to integers before the
    saturating add (so the result is ``round(x + noise)``); uint16 results are rounded to nearest.

    >>> import numpy as np
    >>> out = gaussian_noise(np.full((64, 64), 0.5, np.float32), std=0.1, seed=1)
    >>> round(float(out.std()), 2)
    0.1
    """
    top = max_value(image.dtype)
    height, width = image.shape[:2]
    channels = _channels(image)
    shared = not per_channel or channels == 1
    scaled = noise_scale_factor < 1.0
    grid = (max(1, int(height * noise_scale_factor)), max(1, int(width * noise_scale_factor))) if scaled else (height, width)
    shape = grid if shared else (*grid, channels)
    dtype = np.int16 if image.dtype == np.uint8 and not scaled else np.float32
    noise = _normal_field(np.random.default_rng(seed), shape, std * top, mean * top, dtype)
    if scaled:
        noise = resize(noise, height, width, "linear")
    if shared and channels > 1:
        noise = _repeat_channels(noise, channels)
    return _saturating(image, noise, "add")


# ------------------------------------------------------------------------------- Poisson sampling
def _poisson_cdf(lams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each mean: the first count ``k0`` of its window and the CDF over ``K`` counts from there,
    normalized so the last entry is exactly 1 (``(L,)`` int64 and ``(L, K)`` float64)."""
    spread = 12.0 * np.sqrt(lams) + 16.0
    first = np.floor(np.maximum(lams - spread, 0.0)).astype(np.int64)
    count = int(np.ceil(np.max(lams + spread - first))) + 1
    counts = first[:, None] + np.arange(count)
    log_fact = np.log(np.maximum(counts, 1).astype(np.float64))
    np.cumsum(log_fact, axis=1, out=log_fact)
    log_fact += (np.array([math.lgamma(k + 1.0) for k in first.tolist()]) - np.log(np.maximum(first, 1)))[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = counts * np.log(lams)[:, None] - lams[:, None] - log_fact
    pmf = np.exp(log_p)
    zero = lams == 0.0
    pmf[zero] = 0.0
    pmf[zero, 0] = 1.0
    cdf = np.cumsum(pmf, axis=1)
    cdf /= cdf[:, -1:]
    return first, cdf


def _sample_levels(
    rng: np.random.Generator, levels: np.ndarray | None, size: int, cdf: np.ndarray, values: np.ndarray, bits: int
) -> np.ndarray:
    """Inverse-CDF draws, one per element: ``values[v, c]`` where ``c`` = the number of entries of
    ``cdf[v]`` at or below a uniform ``U`` (``v`` = the element's level, 0 when ``levels`` is None).

    ``cdf`` is ``(L, K)`` and non-decreasing with last entry 1; ``values`` is ``(L, K + 1)``.
    """
    n_levels, width = cdf.shape
    cells = 1 << bits
    scaled = cdf * cells  # exact: cells is a power of two
    starts = np.minimum(np.ceil(scaled), cells).astype(np.int64)  # first cell whose start is >= the step
    # cell j answers c = #{cdf <= j / cells}: runs of equal answers are the gaps between step cells
    runs = np.diff(starts, axis=1, prepend=0, append=cells)
    table = np.repeat(values.ravel(), runs.ravel())
    # a step strictly inside cell j makes the answer depend on where U falls in it
    ambiguous = np.zeros(n_levels * cells, dtype=bool)
    inside = (starts + (np.arange(n_levels) * cells)[:, None] - 1)[scaled < starts]
    ambiguous[inside] = True
    steps = (cdf + 2.0 * np.arange(n_levels)[:, None]).ravel()  # levels stacked 2 apart: one sorted array
    flat_levels = None if levels is None else levels.reshape(-1)
    out = np.empty(size, values.dtype)
    for begin in range(0, size, _CHUNK):  # chunks keep the temporaries small and cached
        end = min(size, begin + _CHUNK)
        draws = _uint16_draws(rng, end - begin)
        draws >>= 16 - bits
        if flat_levels is None:
            index: np.ndarray = draws
        else:
            index = np.left_shift(flat_levels[begin:end], bits, dtype=np.int32)
            index |= draws
        part = out[begin:end]
        table.take(index, out=part)
        spots = np.flatnonzero(ambiguous.take(index))
        if spots.size:
            level = np.zeros(spots.size, np.int64) if flat_levels is None else flat_levels[begin + spots].astype(np.int64)
            uniform = (draws[spots] + rng.random(spots.size)) / cells
            column = np.searchsorted(steps, 2.0 * level + uniform, side="right") - level * width
            part[spots] = values[level, column]
    return out


# ---------------------------------------------------------------------------------- ISO noise
def iso_noise(image: np.ndarray, color_shift: float, intensity: float, seed: int = 0) -> np.ndarray:
    """Camera sensor noise on an RGB image, in HLS (Albumentations' ISONoise model).

    Hue (degrees) gets normal noise of std ``color_shift * 360 * intensity``; lightness ``L`` gets
    ``n / 255 * (1 - L)`` with ``n ~ Poisson(std(L) * 255 * intensity)``, ``std(L)`` taken over the
    image. Works in float32 in [0, 1]; integer results are rounded.

    >>> import numpy as np
    >>> iso_noise(np.full((4, 4, 3), 80, np.uint8), 0.05, 0.5, seed=0).shape
    (4, 4, 3)
    """
    if _channels(image) != 3:
        raise ValueError(f"iso_noise needs an RGB image (3 channels); got shape {image.shape}")
    height, width = image.shape[:2]
    hls = _to_unit(image)
    cv2.cvtColor(hls, cv2.COLOR_RGB2HLS, dst=hls)  # in place: few large temporaries keep this fast
    hue, light = hls[:, :, 0], hls[:, :, 1]
    rng = np.random.default_rng(seed)
    shifted = _normal_field(rng, (height, width), color_shift * 360.0 * intensity, 0.0, np.float32)
    shifted += hue
    turns = np.floor(shifted * np.float32(1.0 / 360.0))
    turns *= np.float32(360.0)
    np.subtract(shifted, turns, out=hue)  # wrapped into [0, 360)
    lam = float(np.std(light, dtype=np.float64)) * 255.0 * intensity
    first, cdf = _poisson_cdf(np.array([lam]))
    steps = ((first[0] + np.arange(cdf.shape[1] + 1)) / 255.0).astype(np.float32)[None]
    boost = _sample_levels(rng, None, height * width, cdf, steps, 16).reshape(height, width)
    np.multiply(boost, light, out=turns)
    boost -= turns  # n / 255 * (1 - L)
    light += boost
    np.minimum(light, np.float32(1.0), out=light)
    cv2.cvtColor(hls, cv2.COLOR_HLS2RGB, dst=hls)
    return _from_unit(hls, image.dtype)


# ---------------------------------------------------------------------------------- salt and pepper
def salt_and_pepper(image: np.ndarray, amount: float, salt_ratio: float, seed: int = 0) -> np.ndarray:
    """Set a random ``amount`` of the pixels to full intensity (salt, a ``salt_ratio`` share of them)
    or to 0 (pepper); every channel of a chosen pixel changes.

    Same distribution as a per-pixel coin flip (``amount``) followed by a salt/pepper flip
    (``salt_ratio``), drawn as a binomial count of pixels and a random subset of that size.

    >>> import numpy as np
    >>> out = salt_and_pepper(np.full((100, 100), 128, np.uint8), 0.1, 0.5, seed=0)
    >>> sorted(np.unique(out).tolist())
    [0, 128, 255]
    """
    pixels = image.shape[0] * image.shape[1]
    rng = np.random.default_rng(seed)
    count = int(rng.binomial(pixels, amount))
    chosen = rng.choice(pixels, size=count, replace=False)  # in random order
    salt = int(rng.binomial(count, salt_ratio))
    out = image.copy()
    flat = out.reshape(pixels, -1)
    flat[chosen[:salt]] = max_value(image.dtype)
    flat[chosen[salt:]] = 0
    return out


# ---------------------------------------------------------------------------------- multiplicative
def multiply(image: np.ndarray, multipliers: float | Sequence[float]) -> np.ndarray:
    """Multiply every pixel by one number, or each channel by its own (one multiplier per channel).

    Integer results are rounded to nearest and saturated; float results are clipped to [0, 1].

    >>> import numpy as np
    >>> multiply(np.array([[[10, 100, 200]]], np.uint8), [0.5, 1.1, 2.0]).tolist()
    [[[5, 110, 255]]]
    """
    factors = np.atleast_1d(np.asarray(multipliers, dtype=np.float64))
    channels = _channels(image)
    if factors.ndim != 1 or factors.size not in (1, channels):
        raise ValueError(f"multiply expects 1 or {channels} multipliers for an image of shape {image.shape}; got {factors.size}")
    if factors.size > 1 and np.all(factors == factors[0]):
        factors = factors[:1]
    if image.dtype == np.uint8:
        table = np.clip(np.rint(UINT8_RANGE[:, None] * factors), 0, 255).astype(np.uint8)
        return apply_lut(image, table[:, 0] if factors.size == 1 else table)
    scaled = image.astype(np.float32) * factors.astype(np.float32)
    if image.dtype == np.float32:
        np.clip(scaled, 0.0, 1.0, out=scaled)
        return scaled
    np.rint(scaled, out=scaled)
    np.clip(scaled, 0.0, 65535.0, out=scaled)
    return scaled.astype(np.uint16)


def multiplicative_noise(image: np.ndarray, low: float, high: float, seed: int = 0, per_channel: bool = False) -> np.ndarray:
    """Multiply every pixel by its own uniform random factor in ``[low, high)``; with
    ``per_channel=False`` all channels of a pixel share the factor.

    >>> import numpy as np
    >>> out = multiplicative_noise(np.full((8, 8), 100, np.uint8), 0.9, 1.1, seed=0)
    >>> 90 <= int(out.min()) <= int(out.max()) <= 110
    True
    """
    height, width = image.shape[:2]
    channels = _channels(image)
    shared = not per_channel or channels == 1
    field = np.random.default_rng(seed).random((height, width) if shared else (height, width, channels), dtype=np.float32)
    field *= np.float32(high - low)
    field += np.float32(low)
    if shared and channels > 1:
        field = _repeat_channels(field, channels)
    return _saturating(image, field, "multiply")


# ---------------------------------------------------------------------------------- shot noise
def shot_noise(image: np.ndarray, scale: float, seed: int = 0) -> np.ndarray:
    """Photon (Poisson) noise in linear light: ``x_lin = x ** 2.2`` (x in [0, 1]), then
    ``out_lin = Poisson(x_lin / scale) * scale``, clipped to [0, 1] and raised to ``1 / 2.2``.

    ``scale`` is the intensity of one photon: larger means fewer photons and more noise. Every pixel
    and channel is independent. uint8 images use exact per-grey-level inverse-CDF tables (fast);
    uint16 and float32 images use numpy's Poisson sampler.

    >>> import numpy as np
    >>> shot_noise(np.array([[0, 255]], np.uint8), 0.1, seed=0)[0, 0]
    np.uint8(0)
    """
    rng = np.random.default_rng(seed)
    if image.dtype == np.uint8:
        lams = (UINT8_RANGE / 255.0) ** _GAMMA / scale
        spread = 12.0 * math.sqrt(float(lams[-1])) + 16.0
        if 256 * (2 * spread + 2) <= _MAX_TABLE:
            first, cdf = _poisson_cdf(lams)
            photons = first[:, None] + np.arange(cdf.shape[1] + 1)
            linear = np.minimum(photons * scale, 1.0) ** (1.0 / _GAMMA)
            values = np.rint(linear * 255.0).astype(np.uint8)
            return _sample_levels(rng, image, image.size, cdf, values, _SHOT_BITS).reshape(image.shape)
    unit = _to_unit(image)
    np.power(unit, np.float32(_GAMMA), out=unit)
    unit *= np.float32(1.0 / scale)
    linear = (rng.poisson(unit) * scale).astype(np.float32)
    np.minimum(linear, np.float32(1.0), out=linear)
    np.power(linear, np.float32(1.0 / _GAMMA), out=linear)
    return _from_unit(linear, image.dtype)
