"""Box kernels matching the geometric image kernels.

Boxes are ``(N, 4)`` float64 ``[x_min, y_min, x_max, y_max]`` in pixel-edge coordinates (the image
spans ``[0, width] x [0, height]``). Each kernel returns a new array.

>>> import numpy as np
>>> hflip_boxes(np.array([[0., 0., 2., 1.]]), width=10).tolist()
[[8.0, 0.0, 10.0, 1.0]]
"""

from __future__ import annotations

import numpy as np

__all__ = ["crop_boxes", "hflip_boxes", "resize_boxes", "rot90_boxes", "transpose_boxes", "vflip_boxes"]


def hflip_boxes(boxes: np.ndarray, width: int) -> np.ndarray:
    out = boxes.copy()
    out[:, 0] = width - boxes[:, 2]
    out[:, 2] = width - boxes[:, 0]
    return out


def vflip_boxes(boxes: np.ndarray, height: int) -> np.ndarray:
    out = boxes.copy()
    out[:, 1] = height - boxes[:, 3]
    out[:, 3] = height - boxes[:, 1]
    return out


def transpose_boxes(boxes: np.ndarray) -> np.ndarray:
    return boxes[:, [1, 0, 3, 2]]


def rot90_boxes(boxes: np.ndarray, k: int, height: int, width: int) -> np.ndarray:
    """Boxes after ``k`` counter-clockwise quarter turns of a ``height x width`` image."""
    k = int(k) % 4
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    if k == 0:
        return boxes.copy()
    if k == 1:
        return np.stack([y1, width - x2, y2, width - x1], axis=1)
    if k == 2:
        return np.stack([width - x2, height - y2, width - x1, height - y1], axis=1)
    return np.stack([height - y2, x1, height - y1, x2], axis=1)


def crop_boxes(boxes: np.ndarray, x_min: float, y_min: float) -> np.ndarray:
    return boxes - np.array([x_min, y_min, x_min, y_min], dtype=np.float64)


def resize_boxes(boxes: np.ndarray, scale_x: float, scale_y: float) -> np.ndarray:
    return boxes * np.array([scale_x, scale_y, scale_x, scale_y], dtype=np.float64)
