"""Normalization and dtype-conversion kernels.

>>> import numpy as np
>>> normalize(np.full((1, 1), 255, np.uint8), 0.5, 0.5, 255.0).tolist()
[[1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import CV_MAX_CHANNELS
from augkit.image.functional._lut import max_value

__all__ = ["EPSILON", "NORMALIZATIONS", "from_float", "normalize", "normalize_per_image", "to_float"]

#: Per-image normalizations (besides "standard", which uses given statistics).
NORMALIZATIONS = ("image", "image_per_channel", "min_max", "min_max_per_channel")
#: In per-image normalization, a std or range below this fraction of full intensity counts as a
#: constant image (or channel), which maps to 0 instead of dividing by (almost) zero.
EPSILON = 1e-6
_BAND_BYTES = 1 << 18  # rows per in-place OpenCV call: about 256 KiB of float32


def normalize(
    image: np.ndarray, mean: Sequence[float] | np.ndarray, std: Sequence[float] | np.ndarray, max_pixel_value: float
) -> np.ndarray:
    """``(image / max_pixel_value - mean) / std`` as float32; mean/std per channel or one value."""
    channels = 1 if image.ndim == 2 else image.shape[2]
    mean_array = np.broadcast_to(np.asarray(mean, dtype=np.float64).reshape(-1), (channels,))
    std_array = np.broadcast_to(np.asarray(std, dtype=np.float64).reshape(-1), (channels,))
    return _affine(image, 1.0 / (std_array * max_pixel_value), -mean_array / std_array)


def _affine(image: np.ndarray, scale: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """``image * scale + offset`` per channel (arrays of one value per channel) as float32."""
    channels = len(scale)
    out = image.astype(np.float32)
    if channels == 1:
        out *= np.float32(scale[0])
        out += np.float32(offset[0])
        return out
    if channels <= 4:  # one SIMD pass: a diagonal affine map per pixel
        matrix = np.zeros((channels, channels + 1), dtype=np.float64)
        matrix[np.arange(channels), np.arange(channels)] = scale
        matrix[:, channels] = offset
        # In place, in bands of rows: a second full-size float buffer would cost more than the pass
        # itself whenever the allocator hands large blocks back to the system (page faults). The
        # matrix is diagonal, so each output value depends only on the same input value.
        rows = max(1, _BAND_BYTES // (out.shape[1] * channels * 4))
        for start in range(0, out.shape[0], rows):
            band = out[start : start + rows]
            cv2.transform(band, matrix, dst=band)
        return out
    out *= scale.astype(np.float32)
    out += offset.astype(np.float32)
    return out


def _channel_stats(image: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel (mean, std) or (min, max) in float64 of an H x W [x C] image (2-D: one channel)."""
    if image.ndim == 2 or image.shape[2] == 1:
        plane = image.reshape(image.shape[0], -1)
        if kind == "min_max":
            low, high = cv2.minMaxLoc(plane)[:2]
            return np.array([low]), np.array([high])
        mean, std = cv2.meanStdDev(plane)
        return mean.reshape(-1), std.reshape(-1)
    channels = image.shape[2]
    if kind == "mean_std" and channels <= 4:
        mean, std = cv2.meanStdDev(image)
        return mean.reshape(-1), std.reshape(-1)
    if kind == "min_max" and channels <= CV_MAX_CHANNELS:
        bounds = np.array([cv2.minMaxLoc(plane)[:2] for plane in cv2.split(image)], dtype=np.float64)
        return bounds[:, 0], bounds[:, 1]
    flat = image.reshape(-1, channels)
    if kind == "min_max":
        return flat.min(axis=0).astype(np.float64), flat.max(axis=0).astype(np.float64)
    mean = flat.mean(axis=0, dtype=np.float64)
    return mean, np.sqrt(np.maximum(np.mean(np.square(flat, dtype=np.float64), axis=0) - mean**2, 0.0))


def normalize_per_image(image: np.ndarray, normalization: str = "image") -> np.ndarray:
    """Normalize with statistics of the image itself; the output is float32.

    ``"image"``: ``(x - mean) / std`` over all pixels and channels; ``"image_per_channel"``: the same
    with each channel's own mean and std; ``"min_max"``: ``(x - min) / (max - min)`` over the whole
    image; ``"min_max_per_channel"``: each channel to [0, 1]. Min-max results are clipped to [0, 1]
    against float32 rounding. The std is the population one (``ddof=0``). An image (or channel)
    whose std or range is below ``EPSILON`` times full intensity counts as constant and becomes 0.

    >>> normalize_per_image(np.array([[10, 20, 30]], np.uint8), "min_max").tolist()
    [[0.0, 0.5, 1.0]]
    """
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {', '.join(NORMALIZATIONS)}; got {normalization!r}")
    floor = EPSILON * max_value(image.dtype)
    per_channel = normalization.endswith("per_channel") and image.ndim == 3
    view = image if per_channel else image.reshape(image.shape[0], -1)  # whole image: one 2-D plane
    if normalization.startswith("image"):
        centre, spread = _channel_stats(view, "mean_std")
    else:
        centre, high = _channel_stats(view, "min_max")
        spread = high - centre
    scale = np.where(spread < floor, 0.0, 1.0 / np.maximum(spread, floor))  # (near-)constant: all 0
    if per_channel:  # one pass, x * scale - centre * scale (OpenCV's transform for up to 4 channels)
        out = _affine(image, scale, -centre * scale)
    else:  # subtracting first keeps low-contrast images with a large offset accurate in float32
        out = image.astype(np.float32)
        out -= np.float32(centre[0])
        out *= np.float32(scale[0])
    if normalization.startswith("min_max"):  # float32 rounding may step a hair outside [0, 1]
        np.clip(out, 0.0, 1.0, out=out)
    return out


def to_float(image: np.ndarray, max_value: float | None = None) -> np.ndarray:
    """``image / max_value`` as float32 (default ``max_value``: 255, 65535 or 1.0 by dtype); not clipped.

    >>> [round(float(v), 6) for v in to_float(np.array([[0, 51, 255]], np.uint8)).ravel()]
    [0.0, 0.2, 1.0]
    """
    top = _max_of(image.dtype) if max_value is None else float(max_value)
    out = image.astype(np.float32)
    # a multiply by the reciprocal is cheaper than a divide; within an ulp of the quotient, and 0 and
    # full intensity stay exact
    out *= np.float32(1.0 / top)
    return out


def from_float(image: np.ndarray, dtype: str = "uint8", max_value: float | None = None) -> np.ndarray:
    """A float32 image in [0, 1] to ``dtype`` (uint8 or uint16): ``floor(image * max_value + 0.5)``,
    saturated to the dtype's range (default ``max_value``: the dtype's full intensity).

    >>> from_float(np.array([[0.0, 0.5, 1.2]], np.float32)).tolist()
    [[0, 128, 255]]
    """
    if image.dtype != np.float32:
        raise ValueError(f"from_float expects a float32 image; got {image.dtype}")
    if dtype not in ("uint8", "uint16"):
        raise ValueError(f"dtype must be 'uint8' or 'uint16'; got {dtype!r}")
    limit = _max_of(np.dtype(dtype))
    top = limit if max_value is None else float(max_value)
    out = image * np.float32(top)
    out += np.float32(0.5)
    np.clip(out, 0.0, limit, out=out)
    return out.astype(dtype)


def _max_of(dtype: np.dtype) -> float:
    return max_value(dtype)
