"""Shared helpers for point operations: full-intensity values and 256-entry lookup tables.

>>> import numpy as np
>>> apply_lut(np.array([[0, 1]], np.uint8), np.arange(256, dtype=np.uint8)[::-1].copy()).tolist()
[[255, 254]]
"""

from __future__ import annotations

import cv2
import numpy as np

from augkit.image.functional._cv import keep_channels

try:  # a core dependency; the OpenCV path below keeps working on platforms without its wheels
    from stringzilla import translate as _translate
except ImportError:  # pragma: no cover
    _translate = None


def _translate_takes_out() -> bool:
    """Whether this StringZilla's ``translate`` writes into an ``out=`` buffer (newer releases)."""
    if _translate is None:  # pragma: no cover
        return False
    target = bytearray(1)
    try:
        _translate(b"\x00", bytes(range(256)), out=target)
    except TypeError:  # pragma: no cover - older StringZilla
        return False
    return True


_TRANSLATE_TAKES_OUT = _translate_takes_out()

__all__ = ["TIE_NUDGE", "UINT8_RANGE", "UINT8_ROW", "UINT16_RANGE", "apply_lut", "max_value", "round_half_up_table"]

_MAX_VALUES = {np.dtype(np.uint8): 255.0, np.dtype(np.uint16): 65535.0, np.dtype(np.float32): 1.0}
UINT8_RANGE = np.arange(256, dtype=np.float64)
UINT8_ROW = UINT8_RANGE.reshape(1, 256)
UINT16_RANGE = np.arange(65536, dtype=np.float64)
TIE_NUDGE = 1e-7


def max_value(dtype: np.dtype) -> float:
    """The value of full intensity for an image dtype (255, 65535 or 1.0)."""
    return _MAX_VALUES[np.dtype(dtype)]


def apply_lut(image: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Map a uint8 image through a 256-entry table (one table for all channels, or one per channel).

    A single uint8 table is applied by StringZilla's byte translation (SIMD, an order of magnitude
    faster than ``cv2.LUT`` here); other tables go through OpenCV.
    """
    if table.ndim == 1 and table.dtype == np.uint8 and _translate is not None:
        source = np.ascontiguousarray(image)
        lookup = np.ascontiguousarray(table).data
        if _TRANSLATE_TAKES_OUT:  # one pass straight into the output (StringZilla >= 4)
            out = np.empty_like(source)
            _translate(source.reshape(-1).data, lookup, out=out.reshape(-1).data)
            return out
        out = source.copy() if source is image else source
        _translate(out.reshape(-1).data, lookup, inplace=True)
        return out
    if table.ndim == 1 or image.ndim == 2 or image.shape[2] <= 4:
        lut = table.reshape(1, 256, -1) if table.ndim == 2 else table
        return keep_channels(cv2.LUT(image, lut), image)
    return np.stack([cv2.LUT(image[:, :, c], table[:, c]) for c in range(image.shape[2])], axis=2)


def round_half_up_table(values: np.ndarray, top: float, dtype: type) -> np.ndarray:
    """``floor(values + 0.5)`` clipped to ``[0, top]`` as ``dtype`` (``values`` is overwritten)."""
    values += 0.5
    np.floor(values, out=values)
    np.maximum(values, 0.0, out=values)
    np.minimum(values, top, out=values)
    return values.astype(dtype)
