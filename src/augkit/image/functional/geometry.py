"""Geometric image kernels: flips, quarter turns, transpose, crop and resize.

Every kernel takes an H x W or H x W x C array of any channel count and returns a new C-contiguous
array of the same dtype and channel layout.

>>> import numpy as np
>>> hflip(np.array([[1, 2, 3]], dtype=np.uint8)).tolist()
[[3, 2, 1]]
"""

from __future__ import annotations

import cv2
import numpy as np

from augkit.image.functional._cv import CV_MAX_CHANNELS, by_channel_groups, interpolation_flag, keep_channels

__all__ = ["crop", "hflip", "resize", "rot90", "transpose", "vflip"]

_ROTATE_CODES = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}


def _too_wide(image: np.ndarray) -> bool:
    return image.ndim == 3 and image.shape[2] > CV_MAX_CHANNELS


def hflip(image: np.ndarray) -> np.ndarray:
    """Mirror left-right."""
    try:
        out = cv2.flip(image, 1)
    except cv2.error:  # more channels than OpenCV takes
        return np.ascontiguousarray(image[:, ::-1])
    return out if out.ndim == image.ndim else out[:, :, None]


def vflip(image: np.ndarray) -> np.ndarray:
    """Mirror top-bottom."""
    try:
        out = cv2.flip(image, 0)
    except cv2.error:  # more channels than OpenCV takes
        return np.ascontiguousarray(image[::-1])
    return out if out.ndim == image.ndim else out[:, :, None]


def rot90(image: np.ndarray, k: int) -> np.ndarray:
    """Rotate by ``k`` quarter turns counter-clockwise (as ``numpy.rot90``)."""
    k = int(k) % 4
    if k == 0:
        return image.copy()
    if k == 2:
        return np.ascontiguousarray(image[::-1, ::-1]) if _too_wide(image) else keep_channels(cv2.flip(image, -1), image)
    if image.ndim == 3 and image.shape[2] > 4:
        return np.ascontiguousarray(np.rot90(image, k))
    return keep_channels(cv2.rotate(image, _ROTATE_CODES[k]), image)


def transpose(image: np.ndarray) -> np.ndarray:
    """Swap rows and columns (mirror about the main diagonal)."""
    if image.ndim == 3 and image.shape[2] > 4:
        return np.ascontiguousarray(image.transpose(1, 0, 2))
    return keep_channels(cv2.transpose(image), image)


def crop(image: np.ndarray, x_min: int, y_min: int, x_max: int, y_max: int) -> np.ndarray:
    """The window ``[y_min:y_max, x_min:x_max]`` as a new array (the window must lie in the image)."""
    return image[y_min:y_max, x_min:x_max].copy()


def resize(image: np.ndarray, height: int, width: int, interpolation: str = "linear") -> np.ndarray:
    """Resize to ``height x width`` with a named interpolation (see ``INTERPOLATIONS``)."""
    if image.shape[0] == height and image.shape[1] == width:
        return image.copy()
    flag = interpolation_flag(interpolation, image.dtype)
    size = (int(width), int(height))
    if flag == cv2.INTER_AREA or _too_wide(image):
        group = 4 if flag == cv2.INTER_AREA else CV_MAX_CHANNELS
        return by_channel_groups(lambda part: cv2.resize(part, size, interpolation=flag), image, group)
    return keep_channels(cv2.resize(image, size, interpolation=flag), image)
