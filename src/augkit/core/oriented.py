"""Oriented boxes ``[cx, cy, w, h, angle]`` through every spatial transform.

An oriented box travels as its four corners, moved by the transform's keypoint kernel, so every
transform that moves keypoints moves oriented boxes too (flips, rotations, affine, perspective,
crops, resizes, distortions). After each transform the box is refitted: the minimum-area rectangle
around the moved corners (exact for rotations, flips and scaling; for shear or perspective the
corners form a general quadrilateral and the refit is its tightest enclosing rectangle).

Coordinates are pixel-edge (as for axis-aligned boxes); ``angle`` is in degrees, measured from +x
towards +y (clockwise on screen, y pointing down), normalised to [-90, 90). A box whose centre
leaves the image is dropped together with its fields.

>>> import numpy as np
>>> refit(corners(np.array([[10.0, 20.0, 8.0, 4.0, 30.0]]))).round(6).tolist()
[[10.0, 20.0, 8.0, 4.0, 30.0]]
"""

from __future__ import annotations

import numpy as np

__all__ = ["corners", "from_points", "inside", "refit", "to_points"]


def corners(boxes: np.ndarray) -> np.ndarray:
    """(N, 4, 2) corners of ``[cx, cy, w, h, angle]`` boxes: width edge first, then around."""
    angle = np.deg2rad(boxes[:, 4])
    u = np.stack([np.cos(angle), np.sin(angle)], axis=1) * (boxes[:, 2:3] / 2)
    v = np.stack([-np.sin(angle), np.cos(angle)], axis=1) * (boxes[:, 3:4] / 2)
    centre = boxes[:, :2]
    return np.stack([centre - u - v, centre + u - v, centre + u + v, centre - u + v], axis=1)


def refit(points: np.ndarray) -> np.ndarray:
    """``[cx, cy, w, h, angle]`` of the minimum-area rectangle around (N, 4, 2) corners.

    Candidate orientations are the four edges (a minimum-area rectangle of a convex quadrilateral
    has a side along one of its edges); even edges give the width direction, odd edges the height.
    """
    edges = np.roll(points, -1, axis=1) - points  # (N, 4, 2)
    lengths = np.linalg.norm(edges, axis=2, keepdims=True)
    direction = edges / np.where(lengths > 0, lengths, 1.0)
    # width axis u for each candidate: the edge itself for even edges, its normal for odd ones
    normal = np.stack([direction[..., 1], -direction[..., 0]], axis=2)
    u = np.where((np.arange(4) % 2 == 0)[None, :, None], direction, normal)
    v = np.stack([-u[..., 1], u[..., 0]], axis=2)
    along_u = np.einsum("nkd,njd->nkj", u, points)  # (N, candidates, corners)
    along_v = np.einsum("nkd,njd->nkj", v, points)
    width = along_u.max(axis=2) - along_u.min(axis=2)
    height = along_v.max(axis=2) - along_v.min(axis=2)
    best = np.argmin(width * height, axis=1)
    rows = np.arange(len(points))
    mid_u = (along_u.max(axis=2) + along_u.min(axis=2))[rows, best] / 2
    mid_v = (along_v.max(axis=2) + along_v.min(axis=2))[rows, best] / 2
    axis_u, axis_v = u[rows, best], v[rows, best]
    centre = axis_u * mid_u[:, None] + axis_v * mid_v[:, None]
    angle = np.rad2deg(np.arctan2(axis_u[:, 1], axis_u[:, 0]))
    angle = (angle + 90.0) % 180.0 - 90.0
    return np.column_stack([centre, width[rows, best], height[rows, best], angle])


def to_points(boxes: np.ndarray) -> np.ndarray:
    """The corners as an (N * 4, 4) keypoint array ``[x, y, angle, scale]`` in pixel-index coordinates."""
    flat = corners(boxes).reshape(-1, 2) - 0.5
    return np.column_stack([flat, np.zeros(len(flat)), np.ones(len(flat))])


def from_points(points: np.ndarray) -> np.ndarray:
    """Refitted boxes from the keypoint array made by :func:`to_points` (after a transform moved it)."""
    return refit(points[:, :2].reshape(-1, 4, 2) + 0.5)


def inside(boxes: np.ndarray, height: int, width: int) -> np.ndarray:
    """Which boxes have their centre inside the image."""
    return (boxes[:, 0] >= 0) & (boxes[:, 0] <= width) & (boxes[:, 1] >= 0) & (boxes[:, 1] <= height)
