"""Keypoint formats.

Internally keypoints are ``(N, 4)`` float64 arrays ``[x, y, angle, scale]`` with ``angle`` in
radians. ``x, y`` are pixel-index coordinates: the centre of the top-left pixel is ``(0, 0)``, so a
horizontal flip maps ``x`` to ``width - 1 - x`` and a keypoint drawn on a pixel lands on the pixel the
image moved it to. User formats give angles in degrees.

>>> import numpy as np
>>> to_internal(np.array([[3., 4., 90.]]), "xya")[0].round(4).tolist()
[3.0, 4.0, 1.5708, 1.0]
"""

from __future__ import annotations

import numpy as np

__all__ = ["KEYPOINT_FORMATS", "from_internal", "to_internal", "visible"]

#: Column layout of each user format: indices into the internal [x, y, angle, scale].
KEYPOINT_FORMATS: dict[str, tuple[int, ...]] = {
    "xy": (0, 1),
    "yx": (1, 0),
    "xya": (0, 1, 2),
    "xys": (0, 1, 3),
    "xyas": (0, 1, 2, 3),
    "xysa": (0, 1, 3, 2),
}


def to_internal(points: np.ndarray, fmt: str) -> np.ndarray:
    """The internal ``(N, 4)`` array for the first ``len(fmt)`` columns of ``points``."""
    layout = KEYPOINT_FORMATS[fmt]
    out = np.zeros((points.shape[0], 4), dtype=np.float64)
    out[:, 3] = 1.0
    out[:, list(layout)] = points[:, : len(layout)]
    out[:, 2] = np.deg2rad(out[:, 2])
    return out


def from_internal(points: np.ndarray, fmt: str) -> np.ndarray:
    """User-format columns from the internal array; angles wrapped to [0, 360) degrees."""
    layout = KEYPOINT_FORMATS[fmt]
    out = points[:, list(layout)].copy()
    if 2 in layout:
        column = layout.index(2)
        out[:, column] = np.mod(np.rad2deg(out[:, column]), 360.0)
    return out


def visible(points: np.ndarray, height: int, width: int) -> np.ndarray:
    """Which keypoints fall on a pixel of the image."""
    x, y = points[:, 0], points[:, 1]
    return (x >= -0.5) & (x < width - 0.5) & (y >= -0.5) & (y < height - 0.5)
