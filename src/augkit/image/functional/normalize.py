"""Normalization kernels.

>>> import numpy as np
>>> normalize(np.full((1, 1), 255, np.uint8), 0.5, 0.5, 255.0).tolist()
[[1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

__all__ = ["normalize"]


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
