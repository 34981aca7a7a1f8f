"""Channel kernels: per-channel shifts, shuffling, dropping, grey conversion, sepia and Planckian
re-illumination.

Float images lie in [0, 1]; integer results are saturated to the dtype's range. ``to_gray``, ``sepia``
and ``planckian_jitter`` take RGB images (H x W x 3); the others take any channel count.

>>> import numpy as np
>>> shuffle_channels(np.array([[[1, 2, 3]]], dtype=np.uint8), [2, 0, 1]).tolist()
[[[3, 1, 2]]]
>>> [round(g, 3) for g in planckian_gains(6504.0, "cied")]
[0.999, 1.0, 0.999]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import keep_channels
from augkit.image.functional._lut import apply_lut, max_value
from augkit.image.functional.color import LUMA, _rgb_rows, _transform

__all__ = [
    "GRAY_METHODS",
    "PLANCKIAN_LIMITS",
    "SEPIA",
    "drop_channels",
    "planckian_gains",
    "planckian_jitter",
    "sepia",
    "shift_channels",
    "shuffle_channels",
    "to_gray",
]

#: The classic sepia tone matrix (rows give the output R, G, B from the input R, G, B).
SEPIA = ((0.393, 0.769, 0.189), (0.349, 0.686, 0.168), (0.272, 0.534, 0.131))
GRAY_METHODS = ("weighted_average", "from_lab", "desaturation", "average", "max", "pca")
_SEPIA_MATRIX = np.array(SEPIA)
_AVERAGE = np.full((1, 3), 1.0 / 3.0)
_LUMA = np.array([LUMA])


def _channel_count(image: np.ndarray) -> int:
    return 1 if image.ndim == 2 else image.shape[2]


def shift_channels(image: np.ndarray, shifts: float | Sequence[float]) -> np.ndarray:
    """Add ``shift * max_value`` to each channel, saturated: one shift per channel, or one for all.

    Shifts are fractions of full intensity; integer images add the shift rounded half up to whole
    levels, so every pixel of a channel moves by the same amount.

    >>> shift_channels(np.array([[[10, 20, 250]]], dtype=np.uint8), [-20 / 255, 0.0, 20 / 255]).tolist()
    [[[0, 20, 255]]]
    """
    channels = _channel_count(image)
    values = [float(shifts)] * channels if isinstance(shifts, (int, float)) else [float(v) for v in shifts]
    if len(values) != channels:
        raise ValueError(f"shift_channels: got {len(values)} shifts for an image with {channels} channels")
    top = max_value(image.dtype)
    if image.dtype == np.float32:
        out = image + np.asarray(values, np.float32)
        np.clip(out, 0.0, 1.0, out=out)
        return out
    offsets = [math.floor(v * top + 0.5) for v in values]
    if image.dtype == np.uint8 and len(set(offsets)) == 1:  # one table for every channel
        table = np.clip(np.arange(256) + offsets[0], 0, 255).astype(np.uint8)
        return apply_lut(image, table)
    if channels <= 4:
        scalar = (*offsets, *([0] * (4 - channels)))
        return keep_channels(cv2.add(np.ascontiguousarray(image), scalar), image)  # type: ignore[call-overload]
    work = image.astype(np.int32)
    work += np.asarray(offsets, np.int32)
    np.clip(work, 0, int(top), out=work)
    return work.astype(image.dtype)


def shuffle_channels(image: np.ndarray, order: Sequence[int]) -> np.ndarray:
    """Reorder the channels: output channel ``i`` is input channel ``order[i]``.

    >>> shuffle_channels(np.zeros((2, 2), np.uint8), [0]).shape
    (2, 2)
    """
    channels = _channel_count(image)
    order = [int(i) for i in order]
    if sorted(order) != list(range(channels)):
        raise ValueError(f"shuffle_channels: order {order} is not a permutation of {channels} channels")
    if image.ndim == 2 or order == list(range(channels)):
        return image.copy()
    if channels > 4:
        return np.ascontiguousarray(image[:, :, order])
    source = np.ascontiguousarray(image)
    if order == [2, 1, 0]:
        return cv2.cvtColor(source, cv2.COLOR_RGB2BGR)
    out = np.empty_like(source)
    if channels == 3 and order in ([1, 2, 0], [2, 0, 1]):
        # a cyclic shift is the whole buffer shifted by one element, then one channel fixed
        flat_in, flat_out = source.reshape(-1), out.reshape(-1)
        if order[0] == 1:
            flat_out[:-1] = flat_in[1:]
            cv2.mixChannels([source], [out], [0, 2])
        else:
            flat_out[1:] = flat_in[:-1]
            cv2.mixChannels([source], [out], [2, 0])
        return out
    moved = [(channel, target) for target, channel in enumerate(order) if channel != target]
    if len(moved) < channels:  # copy, then move only the channels that change
        out[...] = source
    cv2.mixChannels([source], [out], [index for pair in moved for index in pair])
    return out


def drop_channels(image: np.ndarray, channels: Sequence[int], fill: float = 0.0) -> np.ndarray:
    """Set the listed channels to ``fill`` (in the image's units, saturated to the dtype's range).

    >>> drop_channels(np.array([[[1, 2, 3]]], dtype=np.uint8), [1], fill=255).tolist()
    [[[1, 255, 3]]]
    """
    count = _channel_count(image)
    indices = [int(i) for i in channels]
    if any(not 0 <= i < count for i in indices):
        raise ValueError(f"drop_channels: channels {indices} out of range for an image with {count} channels")
    top = max_value(image.dtype)
    value = min(max(float(fill), 0.0), top)
    level = value if image.dtype == np.float32 else math.floor(value + 0.5)
    if level == 0 and image.dtype != np.float32 and image.ndim == 3 and 1 < count <= 4 and image.flags.c_contiguous:
        # one SIMD pass: AND every pixel with all-ones for kept channels and zero for dropped ones
        keep = [0.0 if c in indices else top for c in range(count)] + [0.0] * (4 - count)
        return cv2.bitwise_and(image, tuple(keep))  # type: ignore[call-overload]
    out = image.copy()
    for index in indices:  # basic slicing: much faster than a fancy-indexed assignment
        if image.ndim == 2:
            out[...] = level
        else:
            out[:, :, index] = level
    return out


def _gray_plane(rows: np.ndarray, method: str) -> np.ndarray:
    """One grey plane (rows x width, the input's dtype) of an RGB image."""
    dtype = rows.dtype
    if method == "weighted_average":  # OpenCV's fixed point is exactly rounded on uint8, not on uint16
        return cv2.transform(rows, _LUMA) if dtype == np.uint16 else cv2.cvtColor(rows, cv2.COLOR_RGB2GRAY)
    if method == "average":
        return cv2.transform(rows, _AVERAGE)
    if method == "from_lab":
        return _lightness(rows)
    r, g, b = cv2.split(rows)
    high = cv2.max(cv2.max(r, g), b)
    if method == "max":
        return high
    low = cv2.min(cv2.min(r, g), b)
    if dtype == np.float32:
        return cv2.addWeighted(high, 0.5, low, 0.5, 0.0)
    total = cv2.add(high, low, dtype=cv2.CV_32S if dtype == np.uint16 else cv2.CV_16U)
    return np.right_shift(np.add(total, 1), 1).astype(dtype)  # (max + min) / 2, rounded half up


_SRGB_LUMINANCE = np.array([[0.2126, 0.7152, 0.0722]])  # the Y row of sRGB's RGB -> XYZ matrix (D65)


def _linear_srgb(values: np.ndarray) -> np.ndarray:
    """sRGB decoding (IEC 61966-2-1) of values in [0, 1], in the input's float type."""
    low = values / values.dtype.type(12.92)
    high = ((values + values.dtype.type(0.055)) / values.dtype.type(1.055)) ** values.dtype.type(2.4)
    return np.where(values <= 0.04045, low, high)


_SRGB_TO_LINEAR_8BIT = _linear_srgb(np.arange(256) / 255.0).astype(np.float32)


def _lightness(rows: np.ndarray) -> np.ndarray:
    """CIELAB L* of sRGB pixels, scaled from [0, 100] to the dtype's full range (rounded for integers).
    Computed from the definition (OpenCV's 8-bit Lab is up to 1.4 levels off)."""
    top = max_value(rows.dtype)
    if rows.dtype == np.uint8:
        linear = cv2.LUT(rows, _SRGB_TO_LINEAR_8BIT)
    else:
        linear = _linear_srgb(rows.astype(np.float32) / np.float32(top) if rows.dtype == np.uint16 else rows)
    luminance = cv2.transform(linear, _SRGB_LUMINANCE)
    root = np.cbrt(luminance)
    dark = luminance <= (6.0 / 29.0) ** 3  # the linear segment near black
    if dark.any():
        root[dark] = luminance[dark] * np.float32(841.0 / 108.0) + np.float32(4.0 / 29.0)
    if rows.dtype == np.uint8:  # L * 2.55 = (116 f - 16) * 2.55, rounded and saturated
        return cv2.convertScaleAbs(root, alpha=116.0 * 2.55, beta=-16.0 * 2.55)
    light = cv2.addWeighted(root, 1.16 * top, root, 0.0, -0.16 * top)
    np.clip(light, 0.0, top, out=light)
    return light if rows.dtype == np.float32 else np.rint(light).astype(rows.dtype)


def _pca_plane(rows: np.ndarray) -> np.ndarray:
    """Projection on the first principal component of the pixel colours, scaled to [0, max_value]."""
    top = max_value(rows.dtype)
    pixels = rows.reshape(-1, 3).astype(np.float32)
    flags = cv2.COVAR_NORMAL | cv2.COVAR_ROWS | cv2.COVAR_SCALE
    covariance, _ = cv2.calcCovarMatrix(pixels, None, flags)  # type: ignore[call-overload]
    values, vectors = np.linalg.eigh(covariance)
    axis = vectors[:, -1] * (1.0 if vectors[:, -1].sum() >= 0 else -1.0)  # brighter pixels score higher
    if values[-1] <= 1e-12 * max(top * top, 1.0):  # no colour variance: fall back to the channel mean
        return _gray_plane(rows, "average")
    projection = cv2.transform(pixels.reshape(rows.shape), axis.reshape(1, 3))
    low, high, _, _ = cv2.minMaxLoc(projection)
    scale = top / (high - low)
    plane = cv2.addWeighted(projection, scale, projection, 0.0, -low * scale)
    np.clip(plane, 0.0, top, out=plane)
    return plane if rows.dtype == np.float32 else np.rint(plane).astype(rows.dtype)


def to_gray(image: np.ndarray, method: str = "weighted_average", num_output_channels: int = 3) -> np.ndarray:
    """Grey version of an RGB image, repeated over ``num_output_channels`` channels.

    Methods: ``weighted_average`` (ITU-R 601-2 luma), ``from_lab`` (CIELAB lightness L* of sRGB,
    scaled from [0, 100] to full range), ``desaturation`` ((max + min) / 2), ``average``, ``max``
    (HSV value), ``pca`` (projection on the first principal component of the image's colours, its
    sign chosen so brighter means higher, stretched to the full range; the mean on flat images).

    >>> to_gray(np.array([[[200, 100, 0]]], dtype=np.uint8), "max", 1).tolist()
    [[[200]]]
    """
    if method not in GRAY_METHODS:
        raise ValueError(f"to_gray: unknown method {method!r}; expected one of {', '.join(GRAY_METHODS)}")
    if num_output_channels < 1:
        raise ValueError(f"to_gray: num_output_channels must be >= 1; got {num_output_channels}")
    common = image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3 and image.flags.c_contiguous
    if method == "weighted_average" and num_output_channels == 3 and common:  # without reshaping
        plane = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        return cv2.merge([plane, plane, plane])
    rows = _rgb_rows(image, "to_gray")
    plane = _pca_plane(rows) if method == "pca" else _gray_plane(rows, method)
    out = plane[:, :, None] if num_output_channels == 1 else cv2.merge([plane] * num_output_channels)
    return out.reshape((*image.shape[:-1], num_output_channels))


def sepia(image: np.ndarray) -> np.ndarray:
    """The classic sepia tone: ``SEPIA @ rgb`` per pixel, saturated.

    >>> sepia(np.array([[[100, 100, 100]]], dtype=np.uint8)).tolist()
    [[[135, 120, 94]]]
    """
    return _transform(image, _SEPIA_MATRIX)


# CIE 1931 2-degree colour matching functions, multi-lobe Gaussian fit of Wyman, Sloan & Shirley
# (JCGT 2013), tabulated from 360 to 830 nm in 1 nm steps: (weight, mean, sigma left, sigma right).
_LOBES = (
    ((1.056, 599.8, 37.9, 31.0), (0.362, 442.0, 16.0, 26.7), (-0.065, 501.1, 20.4, 26.2)),
    ((0.821, 568.8, 46.9, 40.5), (0.286, 530.9, 16.3, 31.1)),
    ((1.217, 437.0, 11.8, 36.0), (0.681, 459.0, 26.0, 13.8)),
)
_WAVELENGTHS = np.arange(360.0, 831.0)


def _lobe_sum(lobes: tuple[tuple[float, float, float, float], ...]) -> np.ndarray:
    total = np.zeros_like(_WAVELENGTHS)
    for weight, mean, left, right in lobes:
        sigma = np.where(mean > _WAVELENGTHS, left, right)
        total += weight * np.exp(-0.5 * ((_WAVELENGTHS - mean) / sigma) ** 2)
    return total


_CMF = np.stack([_lobe_sum(lobes) for lobes in _LOBES])  # 3 x wavelengths
_XYZ_TO_SRGB = np.array([[3.2406, -1.5372, -0.4986], [-0.9689, 1.8758, 0.0415], [0.0557, -0.2040, 1.0570]])
_SECOND_RADIATION_CONSTANT = 1.4388e7  # c2 = h c / k in nm K
PLANCKIAN_LIMITS = {"blackbody": (1000.0, 40000.0), "cied": (4000.0, 25000.0)}


def planckian_gains(temperature: float, mode: str = "blackbody") -> tuple[float, float, float]:
    """Linear-sRGB colour of an illuminant, normalized so green is 1 (negative values clipped to 0).

    ``blackbody``: Planck's law integrated against the CIE 1931 colour matching functions (1000 to
    40000 K). ``cied``: the CIE daylight locus (4000 to 25000 K; 6504 K is D65, sRGB's white).

    >>> [round(g, 2) for g in planckian_gains(3000.0)]
    [2.07, 1.0, 0.32]
    """
    if mode not in PLANCKIAN_LIMITS:
        raise ValueError(f"planckian_gains: unknown mode {mode!r}; expected 'blackbody' or 'cied'")
    low, high = PLANCKIAN_LIMITS[mode]
    if not low <= temperature <= high:
        raise ValueError(f"planckian_gains: temperature for {mode!r} must be in [{low:g}, {high:g}] K; got {temperature}")
    if mode == "blackbody":
        radiance = _WAVELENGTHS**-5.0 / np.expm1(_SECOND_RADIATION_CONSTANT / (_WAVELENGTHS * temperature))
        xyz = _CMF @ radiance
    else:  # CIE 15 daylight chromaticity
        t = float(temperature)
        if t <= 7000.0:
            x = -4.6070e9 / t**3 + 2.9678e6 / t**2 + 0.09911e3 / t + 0.244063
        else:
            x = -2.0064e9 / t**3 + 1.9018e6 / t**2 + 0.24748e3 / t + 0.237040
        y = -3.0 * x * x + 2.870 * x - 0.275
        xyz = np.array([x / y, 1.0, (1.0 - x - y) / y])
    rgb = _XYZ_TO_SRGB @ xyz
    red, green, blue = np.maximum(rgb / rgb[1], 0.0)
    return float(red), float(green), float(blue)


def planckian_jitter(image: np.ndarray, temperature: float, mode: str = "blackbody") -> np.ndarray:
    """Re-illuminate an RGB image by a Planckian (or daylight) illuminant: multiply R and B by the
    :func:`planckian_gains` of ``temperature`` (green is kept), saturated.

    >>> planckian_jitter(np.full((1, 1, 3), 100, np.uint8), 3000.0).tolist()
    [[[207, 100, 32]]]
    """
    red, green, blue = planckian_gains(temperature, mode)
    return _transform(image, np.diag([red, green, blue]))
