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

import functools
import math
from collections.abc import Callable, Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import BORDER_MODES, fill_for_channels, interpolation_flag, keep_channels

__all__ = [
    "affine_boxes",
    "affine_keypoints",
    "affine_matrix",
    "clipped_polygon_boxes",
    "clipped_quad_boxes",
    "ellipse_boxes",
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
    if source.dtype in (np.int8, np.int32) or flag == cv2.INTER_NEAREST_EXACT:
        flag = cv2.INTER_NEAREST  # warps sample at pixel centres already; int8/int32 only by nearest

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


_CORNER_COLUMNS = [0, 1, 2, 1, 2, 3, 0, 3]


def _corners(boxes: np.ndarray) -> np.ndarray:
    """(N, 4, 2) corners of pixel-edge boxes in the pixel-index frame, clockwise from top-left."""
    return boxes[:, _CORNER_COLUMNS].reshape(-1, 4, 2) - 0.5


def clipped_polygon_boxes(polygons: np.ndarray, height: int, width: int) -> np.ndarray:
    """Tight pixel-edge boxes of the parts of (N, K, 2) convex pixel-edge polygons inside the image.

    The extremes of ``polygon ∩ image`` lie on the polygon's edges clipped to the image
    (Liang-Barsky, all edges and borders at once) or at image corners inside the polygon. Rows whose
    polygon misses the image come back as NaN (the pipeline drops them). When every vertex is
    inside, it is just their extremes.
    """
    low, high = polygons.min(axis=1), polygons.max(axis=1)
    if low.min() >= 0 and high[:, 0].max() <= width and high[:, 1].max() <= height:
        return np.concatenate([low, high], axis=1)
    count = polygons.shape[1]
    start_xy = polygons
    delta = polygons[:, np.r_[1:count, 0]] - polygons  # (N, K, 2) edge vectors
    # Liang-Barsky: p * t <= q for the four borders x >= 0, x <= W, y >= 0, y <= H
    p = np.concatenate([-delta, delta], axis=2)  # (N, K, 4): -dx, -dy, dx, dy
    q = np.concatenate([start_xy, (width, height) - start_xy], axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = q / p
    enter = np.maximum(np.where(p < 0, ratio, -np.inf).max(axis=2), 0.0)
    leave = np.minimum(np.where(p > 0, ratio, np.inf).min(axis=2), 1.0)
    valid = (enter <= leave) & ~((p == 0) & (q < 0)).any(axis=2)
    ends = np.stack([enter, leave], axis=2)[..., None] * delta[:, :, None, :] + start_xy[:, :, None, :]  # (N, K, 2, 2)
    ends[~valid] = np.nan
    corners = np.array([[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]])
    offset = corners[None, :, None, :] - start_xy[:, None, :, :]  # (N, 4, K, 2)
    cross = delta[:, None, :, 0] * offset[..., 1] - delta[:, None, :, 1] * offset[..., 0]
    contains = (cross >= 0).all(axis=2) | (cross <= 0).all(axis=2)  # (N, 4)
    inner = np.where(contains[..., None], corners[None], np.nan)
    points = np.concatenate([ends.reshape(len(polygons), -1, 2), inner], axis=1)
    return np.concatenate([np.fmin.reduce(points, axis=1), np.fmax.reduce(points, axis=1)], axis=1)


_NEXT_CORNER = np.array([1, 2, 3, 0])


def clipped_quad_boxes(quads: np.ndarray, height: int, width: int) -> np.ndarray:
    """Tight pixel-edge boxes of the parts of (N, 4, 2) convex quads inside the image (NaN or empty
    rows when a quad misses it); a faster special case of :func:`clipped_polygon_boxes`.

    The x-extent of ``quad ∩ image`` is the x-extent of the quad cut to the band ``0 <= y <= H``,
    clipped to ``[0, W]`` (the cut is convex), and the same with the axes swapped. The cut's extremes
    are edge points on the band's two lines, with the edge parameter clamped to the edge (that also
    yields every vertex inside the band), so both axes need one vectorized pass over 2N quads.
    """
    count = len(quads)
    both = np.concatenate([quads, quads[:, :, ::-1]])  # rows count.. have x and y swapped
    lines = _band_lines(count, height, width)  # (2N, 1, 2): the lines v = 0 and v = limit
    start = both[:, :, :, None]  # (2N, 4, [u, v], 1)
    delta = both[:, _NEXT_CORNER, :, None] - start
    dv = delta[:, :, 1]
    t = np.clip((lines - start[:, :, 1]) / np.where(dv == 0.0, 1e-300, dv), 0.0, 1.0)  # (2N, 4, 2)
    point = start + t[:, :, None, :] * delta  # (2N, 4, [u, v], 2)
    v = point[:, :, 1]
    u = np.where((v >= -1e-9) & (v <= lines[:, :, 1:] + 1e-9), point[:, :, 0], np.nan).reshape(2 * count, 8)
    low, high = np.fmin.reduce(u, axis=1), np.fmax.reduce(u, axis=1)
    out = np.stack([low[:count], low[count:], high[:count], high[count:]], axis=1)
    out[np.isnan(low[:count]) | np.isnan(low[count:])] = np.nan  # missing the image along either axis
    return np.minimum(np.maximum(out, 0.0, out=out), (width, height, width, height), out=out)


@functools.lru_cache(maxsize=64)
def _band_lines(count: int, height: int, width: int) -> np.ndarray:
    lines = np.repeat(np.array([[[0.0, height]], [[0.0, width]]]), count, axis=0)
    lines.flags.writeable = False
    return lines


def _clip_crossing(out: np.ndarray, quads_of: Callable[[np.ndarray], np.ndarray], height: int, width: int) -> np.ndarray:
    """Replace the rows of ``out`` (corner boxes) that cross the image border by exactly clipped boxes."""
    crossing = (out[:, 0] < 0.0) | (out[:, 1] < 0.0) | (out[:, 2] > width) | (out[:, 3] > height)
    if crossing.any():
        rows = np.flatnonzero(crossing)
        out[rows] = clipped_quad_boxes(quads_of(rows), height, width)
    return out


# corners of a box as _corners lists them: 0 (x0, y0), 1 (x1, y0), 2 (x1, y1), 3 (x0, y1)
_COORDS_ALONG_ACROSS = np.array([[0, 1], [1, 0], [0, 1], [1, 0]])  # left/right: [x, y]; top/bottom: [y, x]
_BAND_OF = np.array([1, 0, 1, 0])  # left, top, right, bottom extremes are cut by the y, x, y, x band
_SIDE_SIGN = np.array([1.0, 1.0, -1.0, -1.0])  # left/top boundaries are maxima of their lines, right/bottom minima


@functools.lru_cache(maxsize=64)
def _side_corners(signs: tuple[bool, ...]) -> np.ndarray:
    """For the left, top, right and bottom sides of a moved box: the corner reaching that side's
    extreme, and a corner on each of the two edges (along the box's x axis, along its y axis) that
    bound that side, as (4, 3) corner indices. ``signs`` are ``a >= 0, b >= 0, c >= 0, d >= 0`` of the
    linear map and ``det > 0``."""
    a, b, c, d, positive = signs
    out = np.empty((4, 3), dtype=np.intp)
    for side, (u, v, minimum) in enumerate(((a, b, True), (c, d, True), (a, b, False), (c, d, False))):
        use_x1, use_y1 = u != minimum, v != minimum  # the extreme of u*x + v*y takes x0 or x1, y0 or y1
        out[side, 0] = (2 if use_y1 else 1) if use_x1 else (3 if use_y1 else 0)
        # outward normals (det > 0; negated otherwise): (-c, a) for the edge along x at y1, (d, -b) for
        # the edge along y at x1; the y1 (x1) edge bounds the side when its normal points that way
        axis_is_x = side in (0, 2)
        normal_u = (not c) if axis_is_x else a  # "-c > 0" (x) or "a > 0" (y), up to ties
        normal_v = d if axis_is_x else (not b)
        outward_positive = not minimum
        out[side, 1] = 3 if (normal_u == positive) == outward_positive else 0
        out[side, 2] = 1 if (normal_v == positive) == outward_positive else 0
    out.flags.writeable = False
    return out


def _slope(rise: float, run: float) -> float:
    """``rise / run``, or NaN for an edge (within 1e-6) along the other axis: it bounds no side there,
    and its steep line would only amplify rounding (an error of 1e-13 px becomes at most 1e-7 px)."""
    return rise / run if abs(run) * 1e6 > abs(rise) else math.nan


def _clip_parallelograms(corners: np.ndarray, linear: np.ndarray, height: int, width: int) -> np.ndarray:
    """Exact pixel-edge boxes of the parts of (N, 4, 2) moved boxes (parallelograms: corners in
    :func:`_corners`' order, mapped by ``linear``) inside the image; empty (zero width or height) for
    boxes that miss it.

    The cut of a parallelogram to the band ``0 <= y <= H`` reaches furthest left on its left
    boundary, the maximum of the lines of the two edges that bound it (a convex function of y), at
    the band's point nearest to the leftmost vertex; likewise for the other three sides.
    """
    (a, b), (c, d) = linear.tolist()
    plan = _side_corners((a >= 0, b >= 0, c >= 0, d >= 0, a * d - b * c > 0))
    # an edge along an image axis bounds no side: its slope is NaN, which fmax skips
    ky = (_slope(a, c), _slope(b, d))  # dx/dy of the edges along x and along y
    kx = (_slope(c, a), _slope(d, b))  # dy/dx
    # signed so that every side takes a maximum (right and bottom are minima of their lines)
    slopes = np.array([ky, kx, (-ky[0], -ky[1]), (-kx[0], -kx[1])])
    # (N, side, [extreme corner, edge-u corner, edge-v corner], [along, across])
    points = corners[:, plan[:, :, None], _COORDS_ALONG_ACROSS[:, None, :]]
    extreme = points[:, :, 0, 0]  # the corners' box [xmin, ymin, xmax, ymax]
    limits = np.array([width, height, width, height], dtype=np.float64)
    low = np.maximum(extreme[:, _BAND_OF], 0.0)  # the band each side is cut to: y for left/right, x for top/bottom
    high = np.minimum(extreme[:, _BAND_OF + 2], limits[_BAND_OF])
    across = np.minimum(np.maximum(points[:, :, 0, 1], low), high)
    signed = points[:, :, 1:, 0] * _SIDE_SIGN[:, None]
    signed += (across[:, :, None] - points[:, :, 1:, 1]) * slopes
    out = np.fmax(signed[:, :, 0], signed[:, :, 1])
    out *= _SIDE_SIGN
    # a box that misses the band along one axis has its extent there clipped to one value: empty
    return np.minimum(np.maximum(out, 0.0, out=out), limits, out=out)


def affine_boxes(boxes: np.ndarray, matrix: np.ndarray, height: int | None = None, width: int | None = None) -> np.ndarray:
    """The tight box of each box's transformed corners; given the output size, of the part of the
    transformed box that stays inside the image (tighter than clipping the corners' box).

    The corners' box comes from one matrix product (each output extreme takes, per input axis, the
    box edge that the matrix entry's sign selects); when a rotated or sheared box crosses the border,
    the exact cut is closed-form (:func:`_clip_parallelograms`), vectorized over all boxes.
    """
    m = np.asarray(matrix, dtype=np.float64)
    linear = m[:, :2]
    positive, negative = np.maximum(linear, 0.0).T, np.minimum(linear, 0.0).T
    select = np.empty((4, 4))
    select[:2, :2], select[2:, :2], select[:2, 2:], select[2:, 2:] = positive, negative, negative, positive
    offset = m[:, 2] + 0.5 - 0.5 * (linear[:, 0] + linear[:, 1])  # corners live half a pixel off the index frame
    out = boxes[:, :4] @ select
    out[:, :2] += offset
    out[:, 2:] += offset
    if height is None or width is None:
        return out
    if (linear[0, 1] == 0.0 and linear[1, 0] == 0.0) or (linear[0, 0] == linear[1, 1] == 0.0):
        # axis-aligned results: clipping the corners' box is exact
        return np.minimum(np.maximum(out, 0.0, out=out), (width, height, width, height), out=out)
    if out.min() >= 0.0 and out[:, 2].max() <= width and out[:, 3].max() <= height:
        return out  # nothing crosses the border
    return _clip_parallelograms(_corners(boxes) @ linear.T + m[:, 2] + 0.5, linear, height, width)


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
    out = np.concatenate([moved.min(axis=1), moved.max(axis=1)], axis=1)
    if height is None or width is None:
        return out
    return _clip_crossing(out, lambda rows: moved[rows], height, width)


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
