"""Affine and perspective warps of images, boxes and keypoints.

Matrices map source to destination in pixel-index coordinates (the centre of the top-left pixel is
``(0, 0)``), OpenCV's convention. Boxes are pixel-edge boxes, so their corners are shifted by half a
pixel into that frame and back. Every kernel returns a new array.

>>> import numpy as np
>>> m = rotation_matrix(90.0, 3, 3)
>>> affine_keypoints(np.array([[2.0, 1.0, 0.0, 1.0]]), m)[0, :2].round(6).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import BORDER_MODES, interpolation_flag, keep_channels

__all__ = [
    "affine_boxes",
    "affine_keypoints",
    "affine_matrix",
    "clipped_polygon_boxes",
    "ellipse_boxes",
    "fill_for_channels",
    "perspective_boxes",
    "perspective_keypoints",
    "rotation_matrix",
    "warp_affine",
    "warp_perspective",
]


def affine_matrix(
    height: int,
    width: int,
    angle: float = 0.0,
    scale: tuple[float, float] = (1.0, 1.0),
    translate: tuple[float, float] = (0.0, 0.0),
    shear: tuple[float, float] = (0.0, 0.0),
    center: tuple[float, float] | None = None,
) -> np.ndarray:
    """The 2x3 source->destination matrix ``T(c + t) R(angle) Sh(shear) S(scale) T(-c)``.

    ``angle`` in degrees, counter-clockwise on screen (as OpenCV and torchvision); ``shear`` in
    degrees along x and y; ``translate`` in pixels; ``center`` defaults to the image centre.
    """
    cx, cy = center if center is not None else ((width - 1) / 2.0, (height - 1) / 2.0)
    theta = math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    rotate = np.array([[cos, sin], [-sin, cos]])
    shear_x, shear_y = math.tan(math.radians(shear[0])), math.tan(math.radians(shear[1]))
    linear = rotate @ np.array([[1.0, shear_x], [shear_y, 1.0]]) @ np.diag(scale)
    offset = np.array([cx + translate[0], cy + translate[1]]) - linear @ np.array([cx, cy])
    return np.hstack([linear, offset[:, None]])


def rotation_matrix(angle: float, height: int, width: int, scale: float = 1.0) -> np.ndarray:
    """Rotation by ``angle`` degrees (counter-clockwise) about the image centre."""
    return affine_matrix(height, width, angle=angle, scale=(scale, scale))


def fill_for_channels(fill: float | Sequence[float], channels: int) -> tuple[float, ...]:
    """A per-channel fill: a scalar repeated, or a sequence of length ``channels``."""
    values = tuple(float(v) for v in fill) if isinstance(fill, Sequence) else (float(fill),) * channels
    if len(values) != channels:
        raise ValueError(f"fill has {len(values)} values for an image with {channels} channels")
    return values


def _warp(
    func: object,
    image: np.ndarray,
    matrix: np.ndarray,
    height: int,
    width: int,
    interpolation: str,
    border_mode: str,
    fill: float | Sequence[float],
) -> np.ndarray:
    flag = interpolation_flag(interpolation, image.dtype)
    border = BORDER_MODES[border_mode]
    channels = 1 if image.ndim == 2 else image.shape[2]
    values = fill_for_channels(fill, channels)
    source = image.view(np.uint8) if image.dtype == np.bool_ else image
    if source.dtype in (np.int8, np.int32):  # OpenCV warps these only by nearest neighbour
        flag = cv2.INTER_NEAREST

    def warp_group(part: np.ndarray, start: int = 0) -> np.ndarray:
        group = 1 if part.ndim == 2 else part.shape[2]
        border_value = values[start : start + group] + (0.0,) * (4 - group)
        return func(part, matrix, (width, height), flags=flag, borderMode=border, borderValue=border_value)  # type: ignore[operator]

    if channels <= 4:
        return keep_channels(warp_group(source), image)
    parts = [
        keep_channels(warp_group(np.ascontiguousarray(source[:, :, i : i + 4]), i), source[:, :, :1])
        for i in range(0, channels, 4)
    ]
    return np.concatenate(parts, axis=2)


def warp_affine(
    image: np.ndarray,
    matrix: np.ndarray,
    height: int,
    width: int,
    interpolation: str = "linear",
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """Warp by a 2x3 matrix into a ``height x width`` image (any channel count)."""
    return _warp(cv2.warpAffine, image, np.asarray(matrix, dtype=np.float64), height, width, interpolation, border_mode, fill)


def warp_perspective(
    image: np.ndarray,
    matrix: np.ndarray,
    height: int,
    width: int,
    interpolation: str = "linear",
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """Warp by a 3x3 homography into a ``height x width`` image (any channel count)."""
    return _warp(
        cv2.warpPerspective, image, np.asarray(matrix, dtype=np.float64), height, width, interpolation, border_mode, fill
    )


def _corners(boxes: np.ndarray) -> np.ndarray:
    """(N, 4, 2) corners of pixel-edge boxes in the pixel-index frame."""
    x1, y1, x2, y2 = (boxes[:, i] - 0.5 for i in range(4))
    return np.stack([np.stack([x1, y1], 1), np.stack([x2, y1], 1), np.stack([x2, y2], 1), np.stack([x1, y2], 1)], 1)


def clipped_polygon_boxes(polygons: np.ndarray, height: int, width: int) -> np.ndarray:
    """Tight pixel-edge boxes of the parts of (N, K, 2) pixel-edge polygons inside the image.

    Exact for simple polygons: the extremes of ``polygon ∩ image`` lie among the polygon's vertices
    inside the image, the crossings of its edges with the image border, and the image corners inside
    the polygon. Rows whose polygon misses the image come back as NaN (the pipeline drops them).
    Vectorized over boxes and vertices; when every vertex is inside, it is just their extremes.
    """
    x, y = polygons[..., 0], polygons[..., 1]
    inside = (x >= 0) & (x <= width) & (y >= 0) & (y <= height)
    if inside.all():
        return np.concatenate([polygons.min(axis=1), polygons.max(axis=1)], axis=1)
    candidates_x = [np.where(inside, x, np.nan)]
    candidates_y = [np.where(inside, y, np.nan)]
    x_next, y_next = np.roll(x, -1, axis=1), np.roll(y, -1, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for border, along_x in ((0.0, True), (float(width), True), (0.0, False), (float(height), False)):
            start, end = (x, x_next) if along_x else (y, y_next)
            other_start, other_end = (y, y_next) if along_x else (x, x_next)
            t = (border - start) / (end - start)
            crossing = other_start + t * (other_end - other_start)
            limit = height if along_x else width
            valid = (t >= 0) & (t <= 1) & (crossing >= 0) & (crossing <= limit)
            candidates_x.append(np.where(valid, border if along_x else crossing, np.nan))
            candidates_y.append(np.where(valid, crossing if along_x else border, np.nan))
        for corner_x, corner_y in ((0.0, 0.0), (width, 0.0), (width, height), (0.0, height)):
            straddles = (y > corner_y) != (y_next > corner_y)
            edge_x = x + (corner_y - y) * (x_next - x) / (y_next - y)
            crossings = np.count_nonzero(straddles & (corner_x < edge_x), axis=1)
            contains = (crossings % 2 == 1)[:, None]
            candidates_x.append(np.where(contains, corner_x, np.nan))
            candidates_y.append(np.where(contains, corner_y, np.nan))
    all_x = np.concatenate(candidates_x, axis=1)
    all_y = np.concatenate(candidates_y, axis=1)
    return np.stack(
        [
            np.fmin.reduce(all_x, axis=1),
            np.fmin.reduce(all_y, axis=1),
            np.fmax.reduce(all_x, axis=1),
            np.fmax.reduce(all_y, axis=1),
        ],
        axis=1,
    )


def affine_boxes(boxes: np.ndarray, matrix: np.ndarray, height: int | None = None, width: int | None = None) -> np.ndarray:
    """The tight box of each box's transformed corners; given the output size, of the part of the
    transformed box that stays inside the image (tighter than clipping the corners' box)."""
    m = np.asarray(matrix, dtype=np.float64)
    moved = _corners(boxes) @ m[:, :2].T + m[:, 2] + 0.5
    if height is None or width is None:
        return np.concatenate([moved.min(axis=1), moved.max(axis=1)], axis=1)
    return clipped_polygon_boxes(moved, height, width)


def ellipse_boxes(boxes: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """The tight box of the ellipse inscribed in each box, transformed: tighter than the corners
    for rotated objects that fill their box roughly elliptically (the loose-box fix)."""
    m = np.asarray(matrix, dtype=np.float64)
    linear = m[:, :2]
    centre = (boxes[:, :2] + boxes[:, 2:]) * 0.5 - 0.5
    half = (boxes[:, 2:] - boxes[:, :2]) * 0.5
    moved_centre = centre @ linear.T + m[:, 2]
    # half extents of an ellipse L diag(a, b) [cos t, sin t]: the norm of each row of L diag(a, b)
    extent_x = np.hypot(linear[0, 0] * half[:, 0], linear[0, 1] * half[:, 1])
    extent_y = np.hypot(linear[1, 0] * half[:, 0], linear[1, 1] * half[:, 1])
    extent = np.stack([extent_x, extent_y], axis=1)
    return np.concatenate([moved_centre - extent, moved_centre + extent], axis=1) + 0.5


def affine_keypoints(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Move keypoints; angles follow the linear part, scales grow by ``sqrt(|det|)``."""
    m = np.asarray(matrix, dtype=np.float64)
    linear = m[:, :2]
    out = points.copy()
    out[:, :2] = points[:, :2] @ linear.T + m[:, 2]
    direction = np.stack([np.cos(points[:, 2]), np.sin(points[:, 2])], axis=1) @ linear.T
    out[:, 2] = np.arctan2(direction[:, 1], direction[:, 0])
    out[:, 3] = points[:, 3] * math.sqrt(abs(np.linalg.det(linear)))
    return out


def _project(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    homogeneous = points @ matrix[:, :2].T + matrix[:, 2]
    return homogeneous[..., :2] / homogeneous[..., 2:3]


def perspective_boxes(boxes: np.ndarray, matrix: np.ndarray, height: int | None = None, width: int | None = None) -> np.ndarray:
    """The tight box of each box's four corners under a homography (straight edges stay straight);
    given the output size, of the part inside the image."""
    moved = _project(_corners(boxes), np.asarray(matrix, dtype=np.float64)) + 0.5
    if height is None or width is None:
        return np.concatenate([moved.min(axis=1), moved.max(axis=1)], axis=1)
    return clipped_polygon_boxes(moved, height, width)


def perspective_keypoints(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Move keypoints by a homography; angle and scale follow its local Jacobian (finite differences)."""
    m = np.asarray(matrix, dtype=np.float64)
    out = points.copy()
    xy = points[:, :2]
    moved = _project(xy, m)
    step = 1e-3
    ahead = _project(xy + step * np.stack([np.cos(points[:, 2]), np.sin(points[:, 2])], axis=1), m)
    out[:, :2] = moved
    out[:, 2] = np.arctan2(ahead[:, 1] - moved[:, 1], ahead[:, 0] - moved[:, 0])
    along_x = _project(xy + np.array([step, 0.0]), m) - moved
    along_y = _project(xy + np.array([0.0, step]), m) - moved
    area = np.abs(along_x[:, 0] * along_y[:, 1] - along_x[:, 1] * along_y[:, 0]) / step**2
    out[:, 3] = points[:, 3] * np.sqrt(area)
    return out
