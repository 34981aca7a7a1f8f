"""Colour kernels: brightness and contrast.

uint8 images go through 256-entry lookup tables (one pass); uint16 and float32 images are computed in
float32 (uint16 through a 65536-entry table on large images). Float images are taken to lie in [0, 1].

>>> import numpy as np
>>> brightness_contrast(np.array([[100]], dtype=np.uint8), alpha=1.0, beta=0.1).tolist()
[[126]]
"""

from __future__ import annotations

import cv2
import numpy as np

from augkit.image.functional._lut import TIE_NUDGE, UINT8_ROW, UINT16_RANGE, apply_lut, round_half_up_table

__all__ = ["brightness_contrast"]


def brightness_contrast(image: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """``alpha * image + beta * max_value``, saturated to the dtype's range.

    Integer images round half up (``floor(v + 0.5)``, computed exactly in float64 through a lookup
    table), so a pure brightness change shifts every pixel by the same amount.
    """
    if image.dtype == np.uint8:
        # one OpenCV call builds the table in float64 and rounds to nearest, saturated to [0, 255];
        # the 1e-7 nudge breaks exact ties upwards (half up), so a pure shift moves every level alike
        table = cv2.addWeighted(UINT8_ROW, alpha, UINT8_ROW, 0.0, beta * 255.0 + TIE_NUDGE, dtype=cv2.CV_8U)
        return apply_lut(image, table.reshape(256))
    if image.dtype == np.uint16:
        if image.size < UINT16_RANGE.size:  # small image: compute directly, same float64 arithmetic
            return round_half_up_table(image * alpha + beta * 65535.0, 65535.0, np.uint16)
        table = round_half_up_table(UINT16_RANGE * alpha + beta * 65535.0, 65535.0, np.uint16)
        return np.take(table, image)
    out = image * np.float32(alpha)
    if beta != 0.0:
        out += np.float32(beta)
    np.clip(out, 0.0, 1.0, out=out)
    return out
