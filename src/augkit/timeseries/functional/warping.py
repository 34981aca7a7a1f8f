"""Warping paths: smooth monotone maps from output steps to source positions.

A path is an ``(N, T)`` float array: ``path[n, t]`` is the (fractional) input step that output step
``t`` of series ``n`` reads; :func:`augkit.timeseries.functional.resample_at` applies it to the series
and :func:`augkit.timeseries.functional.nearest_steps` to per-step labels. Every path built here is
non-decreasing and keeps the end points (``path[:, 0] == 0``, ``path[:, -1] == T - 1``) except the
window slice, which reads a sub-window.

>>> import numpy as np
>>> p = speed_warp_path(5, np.array([[1.0, 3.0]]))
>>> p[0, 0], p[0, -1], bool(np.all(np.diff(p) >= 0))
(np.float64(0.0), np.float64(4.0), True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "invert_path",
    "knot_warp_path",
    "speed_warp_path",
    "speeds_from_uniform",
    "window_slice_path",
    "window_warp_path",
]


def speeds_from_uniform(uniform: np.ndarray, ratios: float | Sequence[float] | np.ndarray) -> np.ndarray:
    """tsaug's segment speeds: uniform draws ``(N, K)`` shifted linearly so that the fastest segment is
    ``ratio`` times the slowest (``ratio = 1`` or equal draws give constant speed).

    >>> s = speeds_from_uniform(np.array([[0.2, 0.5, 0.9]]), 3.0)
    >>> round(float(s.max() / s.min()), 6)
    3.0
    """
    u = np.asarray(uniform, dtype=np.float64)
    ratio = np.broadcast_to(np.asarray(ratios, dtype=np.float64).reshape(-1, 1), (u.shape[0], 1))
    high = u.max(axis=1, keepdims=True)
    low = u.min(axis=1, keepdims=True)
    flat = (ratio <= 1.0) | (high <= low)
    denominator = np.where(flat, -1.0, 1.0 - ratio)
    speeds = u - (high - ratio * low) / denominator
    return np.where(flat, 1.0, speeds)


def speed_warp_path(length: int, speeds: np.ndarray) -> np.ndarray:
    """tsaug's ``TimeWarp`` path: the output time line is cut into ``K`` equal segments and segment
    ``k`` reads the input at relative speed ``speeds[:, k]`` (> 0); the knots are joined by a monotone
    cubic (PCHIP) curve, so the path is smooth, non-decreasing and keeps both end points.

    >>> speed_warp_path(3, np.array([[1.0, 1.0]])).tolist()
    [[0.0, 1.0, 2.0]]
    """
    from scipy.interpolate import PchipInterpolator

    rate = np.asarray(speeds, dtype=np.float64)
    count, segments = rate.shape
    if length == 1:
        return np.zeros((count, 1))
    anchors = np.linspace(0.0, length - 1.0, segments + 1)
    values = np.zeros((count, segments + 1))
    np.cumsum(rate, axis=1, out=values[:, 1:])
    values *= (length - 1.0) / values[:, -1:]
    path = PchipInterpolator(anchors, values, axis=1)(np.arange(length, dtype=np.float64))
    path[:, 0], path[:, -1] = 0.0, length - 1.0
    return np.clip(path, 0.0, length - 1.0)


def invert_path(path: np.ndarray) -> np.ndarray:
    """The inverse of non-decreasing maps ``[0, T-1] -> [0, T-1]`` sampled on the steps (``(N, T)``),
    sampled on the steps again (row by row linear interpolation, vectorized over the batch).

    >>> invert_path(np.array([[0.0, 0.5, 2.0]])).tolist()
    [[0.0, 1.3333333333333333, 2.0]]
    """
    xp = np.asarray(path, dtype=np.float64)
    count, length = xp.shape
    if length == 1:
        return np.zeros((count, 1))
    grid = np.arange(length, dtype=np.float64)
    offset = (np.arange(count, dtype=np.float64) * (2.0 * length + 1.0))[:, None]
    found = np.searchsorted((xp + offset).ravel(), (grid + offset).ravel(), side="right").reshape(count, length)
    local = np.clip(found - 1 - (np.arange(count) * length)[:, None], 0, length - 2)
    left = np.take_along_axis(xp, local, axis=1)
    right = np.take_along_axis(xp, local + 1, axis=1)
    gap = right - left
    frac = np.clip(np.divide(grid - left, gap, out=np.zeros_like(gap), where=gap > 0), 0.0, 1.0)
    out = local + frac
    out[:, 0], out[:, -1] = 0.0, length - 1.0
    return out


def knot_warp_path(length: int, warps: np.ndarray) -> np.ndarray:
    """Iwana & Uchida's ``time_warp`` path: knots equally spaced at ``t_k`` (``K = knots + 2`` of them,
    ends included) move to ``t_k * warps[:, k]``; a monotone cubic (PCHIP) through them, rescaled to
    end at ``T - 1``, maps input time to output time, and the returned path is its inverse (output
    step -> input position). Warps are floored at 0.01 and the knot images made non-decreasing, so the
    path is always monotone (the original uses a not-a-knot cubic spline, which can fold back).

    >>> p = knot_warp_path(6, np.array([[1.0, 1.3, 0.8, 1.0]]))
    >>> p[0, 0], p[0, -1], bool(np.all(np.diff(p) >= 0))
    (np.float64(0.0), np.float64(5.0), True)
    """
    from scipy.interpolate import PchipInterpolator

    warp = np.maximum(np.asarray(warps, dtype=np.float64), 0.01)
    count, knots = warp.shape
    if length == 1:
        return np.zeros((count, 1))
    anchors = np.linspace(0.0, length - 1.0, knots)
    values = np.maximum.accumulate(anchors * warp, axis=1)
    values *= (length - 1.0) / values[:, -1:]
    forward = PchipInterpolator(anchors, values, axis=1)(np.arange(length, dtype=np.float64))
    forward = np.maximum.accumulate(np.clip(forward, 0.0, length - 1.0), axis=1)
    return invert_path(forward)


def window_slice_path(length: int, starts: Sequence[int] | np.ndarray, sizes: int | Sequence[int] | np.ndarray) -> np.ndarray:
    """Iwana & Uchida's ``window_slice``: read the window ``[start, start + size - 1]`` stretched over
    all ``length`` output steps (``(N, length)``; the output keeps its length).

    >>> window_slice_path(5, [1], 3).tolist()
    [[1.0, 1.5, 2.0, 2.5, 3.0]]
    """
    start = np.asarray(starts, dtype=np.float64).reshape(-1, 1)
    size = np.broadcast_to(np.asarray(sizes, dtype=np.float64).reshape(-1, 1), start.shape)
    if length == 1:
        return start.copy()
    return start + (size - 1.0) * np.linspace(0.0, 1.0, length)


def window_warp_path(
    length: int, starts: Sequence[float] | np.ndarray, window: float, scales: Sequence[float] | np.ndarray
) -> np.ndarray:
    """Iwana & Uchida's ``window_warp``: the window ``[start, start + window]`` of each series plays
    ``scale`` times longer (``scale < 1`` speeds it up), and the whole warped series is resampled back
    to ``length`` steps. The path is piecewise linear, non-decreasing, and keeps the end points.

    >>> window_warp_path(5, [1.0], 2.0, [0.5]).tolist()
    [[0.0, 0.75, 2.0, 3.25, 4.0]]
    """
    start = np.asarray(starts, dtype=np.float64).reshape(-1, 1)
    scale = np.asarray(scales, dtype=np.float64).reshape(-1, 1)
    if length == 1:
        return np.zeros((start.shape[0], 1))
    end = length - 1.0
    total = end + window * (scale - 1.0)
    u = np.arange(length, dtype=np.float64) * (total / end)
    inside = start + (u - start) / scale
    after = u - window * (scale - 1.0)
    path = np.where(u <= start, u, np.where(u <= start + window * scale, inside, after))
    path[:, 0], path[:, -1] = 0.0, end
    return np.clip(path, 0.0, end)
