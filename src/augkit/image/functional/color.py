"""Pixel-value kernels: brightness/contrast and normalization.

uint8 images go through 256-entry lookup tables (one OpenCV pass); uint16 and float32 images are
computed in float32. Float images are taken to lie in [0, 1].

>>> import numpy as np
>>> brightness_contrast(np.array([[100]], dtype=np.uint8), alpha=1.0, beta=0.1).tolist()
[[126]]
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import keep_channels

try:  # a core dependency; the OpenCV path below keeps working on platforms without its wheels
    from stringzilla import translate as _translate
except ImportError:  # pragma: no cover
    _translate = None

__all__ = ["apply_lut", "brightness_contrast", "max_value", "normalize"]

_MAX_VALUES = {np.dtype(np.uint8): 255.0, np.dtype(np.uint16): 65535.0, np.dtype(np.float32): 1.0}
_UINT8_RANGE = np.arange(256, dtype=np.float64)
_UINT8_ROW = _UINT8_RANGE.reshape(1, 256)
_UINT16_RANGE = np.arange(65536, dtype=np.float64)
_TIE_NUDGE = 1e-7


def max_value(dtype: np.dtype) -> float:
    """The value of full intensity for an image dtype (255, 65535 or 1.0)."""
    return _MAX_VALUES[np.dtype(dtype)]


def apply_lut(image: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Map a uint8 image through a 256-entry table (one table for all channels, or one per channel).

    A single uint8 table is applied by StringZilla's byte translation (SIMD, an order of magnitude
    faster than ``cv2.LUT`` here); other tables go through OpenCV.
    """
    if table.ndim == 1 and table.dtype == np.uint8 and _translate is not None:
        out = image.copy() if image.flags.c_contiguous else np.ascontiguousarray(image)
        _translate(out.reshape(-1).data, np.ascontiguousarray(table).data, inplace=True)
        return out
    if table.ndim == 1 or image.ndim == 2 or image.shape[2] <= 4:
        lut = table.reshape(1, 256, -1) if table.ndim == 2 else table
        return keep_channels(cv2.LUT(image, lut), image)
    return np.stack([cv2.LUT(image[:, :, c], table[:, c]) for c in range(image.shape[2])], axis=2)


def _round_half_up_table(values: np.ndarray, top: float, dtype: type) -> np.ndarray:
    """``floor(values + 0.5)`` clipped to ``[0, top]`` as ``dtype`` (``values`` is overwritten)."""
    values += 0.5
    np.floor(values, out=values)
    np.maximum(values, 0.0, out=values)
    np.minimum(values, top, out=values)
    return values.astype(dtype)


def brightness_contrast(image: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """``alpha * image + beta * max_value``, saturated to the dtype's range.

    Integer images round half up (``floor(v + 0.5)``, computed exactly in float64 through a lookup
    table), so a pure brightness change shifts every pixel by the same amount.
    """
    if image.dtype == np.uint8:
        # one OpenCV call builds the table in float64 and rounds to nearest, saturated to [0, 255];
        # the 1e-7 nudge breaks exact ties upwards (half up), so a pure shift moves every level alike
        table = cv2.addWeighted(_UINT8_ROW, alpha, _UINT8_ROW, 0.0, beta * 255.0 + _TIE_NUDGE, dtype=cv2.CV_8U)
        return apply_lut(image, table.reshape(256))
    if image.dtype == np.uint16:
        if image.size < _UINT16_RANGE.size:  # small image: compute directly, same float64 arithmetic
            return _round_half_up_table(image * alpha + beta * 65535.0, 65535.0, np.uint16)
        table = _round_half_up_table(_UINT16_RANGE * alpha + beta * 65535.0, 65535.0, np.uint16)
        return np.take(table, image)
    out = image * np.float32(alpha)
    if beta != 0.0:
        out += np.float32(beta)
    np.clip(out, 0.0, 1.0, out=out)
    return out


def normalize(
    image: np.ndarray, mean: Sequence[float] | np.ndarray, std: Sequence[float] | np.ndarray, max_pixel_value: float
) -> np.ndarray:
    """``(image / max_pixel_value - mean) / std`` as float32; mean/std per channel or one value."""
    channels = 1 if image.ndim == 2 else image.shape[2]
    mean_array = np.broadcast_to(np.asarray(mean, dtype=np.float64).reshape(-1), (channels,))
    std_array = np.broadcast_to(np.asarray(std, dtype=np.float64).reshape(-1), (channels,))
    scale = 1.0 / (std_array * max_pixel_value)
    shift = mean_array / std_array
    out = image.astype(np.float32)
    if channels == 1:
        out *= np.float32(scale[0])
        out -= np.float32(shift[0])
        return out
    if channels <= 4:  # one SIMD pass: a diagonal affine map per pixel
        matrix = np.zeros((channels, channels + 1), dtype=np.float64)
        matrix[np.arange(channels), np.arange(channels)] = scale
        matrix[:, channels] = -shift
        return cv2.transform(out, matrix)
    out *= scale.astype(np.float32)
    out -= shift.astype(np.float32)
    return out
