"""Keypoint kernels matching the geometric image kernels.

Keypoints are ``(N, 4)`` float64 ``[x, y, angle, scale]``; ``x, y`` are pixel-index coordinates
(the centre of pixel ``(row r, column c)`` is ``(x=c, y=r)``), angles in radians measured from +x
towards +y (image coordinates, y down). Each kernel returns a new array.

>>> import numpy as np
>>> hflip_keypoints(np.array([[0., 5., 0., 1.]]), width=10)[0, :2].tolist()
[9.0, 5.0]
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "crop_keypoints",
    "hflip_keypoints",
    "resize_keypoints",
    "rot90_keypoints",
    "transpose_keypoints",
    "vflip_keypoints",
]


def hflip_keypoints(points: np.ndarray, width: int) -> np.ndarray:
    out = points.copy()
    out[:, 0] = (width - 1) - points[:, 0]
    out[:, 2] = math.pi - points[:, 2]
    return out


def vflip_keypoints(points: np.ndarray, height: int) -> np.ndarray:
    out = points.copy()
    out[:, 1] = (height - 1) - points[:, 1]
    out[:, 2] = -points[:, 2]
    return out


def transpose_keypoints(points: np.ndarray) -> np.ndarray:
    out = points[:, [1, 0, 2, 3]]
    out[:, 2] = math.pi / 2 - points[:, 2]
    return out


def rot90_keypoints(points: np.ndarray, k: int, height: int, width: int) -> np.ndarray:
    """Keypoints after ``k`` counter-clockwise quarter turns of a ``height x width`` image."""
    k = int(k) % 4
    out = points.copy()
    x, y = points[:, 0], points[:, 1]
    if k == 1:
        out[:, 0], out[:, 1] = y, (width - 1) - x
    elif k == 2:
        out[:, 0], out[:, 1] = (width - 1) - x, (height - 1) - y
    elif k == 3:
        out[:, 0], out[:, 1] = (height - 1) - y, x
    out[:, 2] = points[:, 2] - k * (math.pi / 2)
    return out


def crop_keypoints(points: np.ndarray, x_min: float, y_min: float) -> np.ndarray:
    out = points.copy()
    out[:, 0] -= x_min
    out[:, 1] -= y_min
    return out


def resize_keypoints(points: np.ndarray, scale_x: float, scale_y: float) -> np.ndarray:
    """Pixel centres stay pixel centres: ``x' = (x + 0.5) * scale_x - 0.5``; angles follow the shear."""
    out = points.copy()
    out[:, 0] = (points[:, 0] + 0.5) * scale_x - 0.5
    out[:, 1] = (points[:, 1] + 0.5) * scale_y - 0.5
    if scale_x != scale_y:
        angle = points[:, 2]
        out[:, 2] = np.arctan2(np.sin(angle) * scale_y, np.cos(angle) * scale_x)
    out[:, 3] = points[:, 3] * max(scale_x, scale_y)
    return out
