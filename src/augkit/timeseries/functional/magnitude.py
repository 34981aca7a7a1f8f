"""Magnitude kernels on ``(N, T, C)`` batches: jitter, scaling, magnitude warping, rotation, drift,
additive/multiplicative noise and quantization. Time steps never move.

Random fields are generated from an integer ``seed`` (``numpy.random.default_rng(seed)``), so a
transform records one number and replays bit for bit. Arithmetic stays in the input dtype
(float32 or float64); inputs are never modified.

>>> import numpy as np
>>> x = np.ones((2, 3, 1), dtype=np.float32)
>>> scale(x, [2.0, 0.5])[:, 0, 0].tolist()
[2.0, 0.5]
>>> jitter(x, 0.0, seed=0).dtype
dtype('float32')
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

__all__ = [
    "add_noise",
    "drift",
    "drift_curves",
    "drift_field",
    "jitter",
    "magnitude_warp",
    "quantize",
    "random_rotations",
    "random_signed_permutations",
    "rotate",
    "scale",
    "spline_basis",
    "standard_noise",
]

ArrayLike = float | Sequence[float] | np.ndarray
_SQRT3 = 3.0**0.5


def _extent(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The minimum and the range (max - min) of each channel of each series, as ``(N, 1, C)``."""
    count, length, channels = x.shape
    lanes = np.ascontiguousarray(x.transpose(0, 2, 1)) if channels > 1 else x.reshape(count, 1, length)
    low = lanes.min(axis=2).reshape(count, 1, channels)
    return low, lanes.max(axis=2).reshape(count, 1, channels) - low


def _per_series(values: ArrayLike, count: int, dtype: np.dtype) -> np.ndarray:
    """One value, ``(N,)`` or ``(N, C)`` values, shaped to broadcast against ``(N, T, C)``."""
    array = np.asarray(values, dtype=dtype)
    if array.ndim == 0:
        return array
    if array.ndim == 1:
        return array.reshape(count, 1, 1)
    return array.reshape(count, 1, -1)


def standard_noise(
    seed: int, shape: tuple[int, ...], distribution: str = "gaussian", dtype: type | np.dtype = np.float32
) -> np.ndarray:
    """A field of zero-mean noise from ``seed``: ``"gaussian"`` (unit variance), ``"laplace"``
    (scale 1, as ``numpy.random.laplace``), or ``"uniform"`` on ``[-sqrt(3), sqrt(3)]`` (unit variance).

    >>> standard_noise(0, (2, 3), "uniform").shape
    (2, 3)
    """
    rng = np.random.default_rng(seed)
    kind = np.dtype(dtype).type
    if distribution == "gaussian":
        return rng.standard_normal(shape, dtype=kind)
    if distribution == "laplace":
        noise = rng.standard_exponential(shape, dtype=kind)
        noise[rng.random(shape, dtype=kind) < 0.5] *= -1
        return noise
    noise = rng.random(shape, dtype=kind)
    noise *= kind(2.0 * _SQRT3)
    noise -= kind(_SQRT3)
    return noise


def jitter(series: np.ndarray, sigma: ArrayLike, seed: int) -> np.ndarray:
    """Add i.i.d. Gaussian noise of standard deviation ``sigma`` (one value, or one per series)
    (Iwana & Uchida's ``jitter``).

    >>> jitter(np.zeros((1, 4, 1)), 0.0, seed=1).tolist()
    [[[0.0], [0.0], [0.0], [0.0]]]
    """
    x = np.asarray(series)
    noise = standard_noise(seed, x.shape, "gaussian", x.dtype)
    noise *= _per_series(sigma, x.shape[0], x.dtype)
    noise += x
    return noise


def scale(series: np.ndarray, factors: ArrayLike) -> np.ndarray:
    """Multiply by a factor: one value, one per series ``(N,)`` or per series and channel ``(N, C)``.

    >>> scale(np.ones((1, 2, 2)), [[2.0, 3.0]])[0].tolist()
    [[2.0, 3.0], [2.0, 3.0]]
    """
    x = np.asarray(series)
    return x * _per_series(factors, x.shape[0], x.dtype)


@functools.lru_cache(maxsize=64)
def _basis(length: int, knots: int, span: float) -> np.ndarray:
    from scipy.interpolate import CubicSpline

    if knots == 1:
        return np.ones((length, 1))
    positions = np.linspace(0.0, span, knots)
    matrix = CubicSpline(positions, np.eye(knots), axis=0)(np.arange(length, dtype=np.float64))
    matrix.flags.writeable = False
    return matrix


def spline_basis(length: int, knots: int, span: float | None = None) -> np.ndarray:
    """The ``(length, knots)`` matrix that evaluates a not-a-knot cubic spline through ``knots`` values
    at equally spaced positions on ``[0, span]`` (default ``length - 1``) at the steps ``0 .. length-1``
    (``values @ basis.T`` is the curve; cached, read-only).

    >>> b = spline_basis(5, 3)
    >>> b.shape, bool(np.allclose(b.sum(axis=1), 1.0))
    ((5, 3), True)
    """
    return _basis(int(length), int(knots), float(length - 1 if span is None else span))


def magnitude_warp(series: np.ndarray, knot_values: np.ndarray) -> np.ndarray:
    """Multiply by smooth curves through ``knot_values`` ``(N, K, C)`` at ``K`` equally spaced knots
    (ends included; not-a-knot cubic spline, one curve per series and channel; Iwana & Uchida's
    ``magnitude_warp`` draws the values from ``N(1, sigma)`` with ``K = knots + 2``).

    >>> magnitude_warp(np.ones((1, 3, 1)), np.array([[[1.0], [3.0]]]))[0, :, 0].tolist()
    [1.0, 2.0, 3.0]
    """
    x = np.asarray(series)
    values = np.asarray(knot_values)
    basis = spline_basis(x.shape[1], values.shape[1]).astype(x.dtype)
    curve = np.matmul(basis, values.astype(x.dtype))
    curve *= x
    return curve


def random_rotations(seed: int, count: int, channels: int) -> np.ndarray:
    """``count`` random ``channels x channels`` rotations, uniform (Haar) on SO(C); for one channel,
    a random sign (the univariate case of Iwana & Uchida's rotation: a flip).

    >>> r = random_rotations(0, 4, 3)
    >>> bool(np.allclose(r @ r.transpose(0, 2, 1), np.eye(3))), bool(np.allclose(np.linalg.det(r), 1.0))
    (True, True)
    """
    rng = np.random.default_rng(seed)
    if channels == 1:
        return np.where(rng.random((count, 1, 1)) < 0.5, -1.0, 1.0)
    gauss = rng.standard_normal((count, channels, channels))
    q, r = np.linalg.qr(gauss)
    q *= np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]
    q[np.linalg.det(q) < 0, :, 0] *= -1.0
    return q


def random_signed_permutations(seed: int, count: int, channels: int) -> np.ndarray:
    """Iwana & Uchida's ``rotation``: a random sign per channel and a random channel order, as
    ``(count, C, C)`` matrices (``out[c] = sign[c] * x[perm[c]]``).

    >>> m = random_signed_permutations(0, 2, 3)
    >>> sorted(np.abs(m).sum(axis=1).ravel().tolist()) == [1.0] * 6
    True
    """
    rng = np.random.default_rng(seed)
    signs = np.where(rng.random((count, channels)) < 0.5, -1.0, 1.0)
    perms = np.argsort(rng.random((count, channels)), axis=1)
    out = np.zeros((count, channels, channels))
    rows = np.arange(channels)
    out[np.arange(count)[:, None], rows[None, :], perms] = signs
    return out


def rotate(series: np.ndarray, matrices: np.ndarray) -> np.ndarray:
    """Apply one ``C x C`` matrix per series to the channel vector of every step: ``out[n, t] = M[n] @ x[n, t]``.

    >>> rotate(np.array([[[1.0, 0.0]]]), np.array([[[0.0, -1.0], [1.0, 0.0]]]))[0, 0].tolist()
    [0.0, 1.0]
    """
    x = np.asarray(series)
    m = np.asarray(matrices, dtype=x.dtype)
    return np.matmul(x, m.transpose(0, 2, 1))


def drift_curves(length: int, anchors: np.ndarray) -> np.ndarray:
    """tsaug's drift trends: cubic splines through ``anchors`` ``(M, K)`` (usually a random walk) at
    ``K`` knots equally spaced on ``[0, length]``, sampled at the steps, shifted to start at 0 and
    scaled to a maximum absolute value of 1: ``(M, length)``.

    >>> drift_curves(4, np.array([[0.0, 1.0, 2.0]])).round(6).tolist()
    [[0.0, 0.333333, 0.666667, 1.0]]
    """
    values = np.asarray(anchors, dtype=np.float64)
    curves = values @ spline_basis(length, values.shape[1], float(length)).T
    curves -= curves[:, :1]
    peak = np.abs(curves).max(axis=1, keepdims=True)
    np.divide(curves, peak, out=curves, where=peak > 0)
    return curves


def drift_field(length: int, anchors: np.ndarray, scale: np.ndarray, dtype: type | np.dtype = np.float64) -> np.ndarray:
    """``drift_curves`` of ``anchors`` ``(N, L, K)`` (``L`` curves per series) times ``scale`` ``(N, L)``,
    laid out as ``(N, T, L)`` in ``dtype``. Each curve is evaluated once in rows to find its peak,
    then again, pre-scaled, straight into the time-major layout (no transposition of the field).

    >>> drift_field(4, np.array([[[0.0, 1.0, 2.0]]]), np.array([[2.0]]))[0, :, 0].round(6).tolist()
    [0.0, 0.666667, 1.333333, 2.0]
    """
    values = np.asarray(anchors, dtype=np.float64)
    count, lanes, knots = values.shape
    basis = spline_basis(length, knots, float(length))
    shifted = basis - basis[:1]  # curves that start at 0
    rows = values.reshape(count * lanes, knots)
    peak = np.abs(rows @ shifted.T).max(axis=1)
    factor = np.divide(np.asarray(scale, dtype=np.float64).reshape(-1), peak, out=np.zeros_like(peak), where=peak > 0)
    weights = (rows * factor[:, None]).reshape(count, lanes, knots).transpose(0, 2, 1)
    kind = np.dtype(dtype)
    return np.matmul(shifted.astype(kind), weights.astype(kind))


def drift(
    series: np.ndarray, curves: np.ndarray, max_drift: ArrayLike, kind: str = "additive", normalize: bool = True
) -> np.ndarray:
    """Add (``kind="additive"``) or apply as a relative change (``"multiplicative"``: ``x * (1 + d)``)
    the drift ``d = curves * max_drift`` (tsaug's ``Drift``). ``curves`` is ``(N, T, C)`` or
    ``(N, T, 1)``; ``max_drift`` one value, ``(N,)`` or ``(N, C)``. With ``normalize`` an additive drift
    is in units of each channel's range (max - min) in that series.

    >>> drift(np.array([[[0.0], [2.0]]]), np.array([[[0.0], [1.0]]]), 0.5)[0, :, 0].tolist()
    [0.0, 3.0]
    """
    x = np.asarray(series)
    top = _per_series(max_drift, x.shape[0], x.dtype)
    d = np.asarray(curves, dtype=x.dtype)
    fresh = not (top.ndim == 0 and float(top) == 1.0)
    if fresh:
        d = d * top  # a new array from here on: the caller's curves are never modified
    if kind == "multiplicative":
        d = np.add(d, x.dtype.type(1), out=d if fresh else None)
        return np.ascontiguousarray(d * x if d.shape != x.shape else np.multiply(d, x, out=d))
    if normalize:
        span = _extent(x)[1]
        d = np.multiply(d, span, out=d if fresh and d.shape == x.shape else None)
        fresh = True
    if fresh and d.shape == x.shape:
        return np.add(d, x, out=d)
    return np.ascontiguousarray(d + x)


def add_noise(
    series: np.ndarray,
    noise: np.ndarray,
    loc: ArrayLike = 0.0,
    scale: ArrayLike = 1.0,
    kind: str = "additive",
    normalize: bool = True,
    channel_scales: Sequence[float] | None = None,
) -> np.ndarray:
    """tsaug's ``AddNoise`` given a standard noise field ``(N, T, C)`` or ``(N, T, 1)`` (from
    :func:`standard_noise`): ``e = noise * scale * channel_scales + loc``, then ``x + e * range``
    (additive, normalized: range = max - min of each channel of each series), ``x + e`` (additive)
    or ``x * (1 + e)`` (multiplicative). ``loc`` and ``scale``: one value or one per series.

    >>> add_noise(np.array([[[1.0], [3.0]]]), np.ones((1, 2, 1)), 0.0, 0.5)[0, :, 0].tolist()
    [2.0, 4.0]
    """
    x = np.asarray(series)
    count = x.shape[0]
    e = np.asarray(noise, dtype=x.dtype) * _per_series(scale, count, x.dtype)
    if channel_scales is not None:
        e = e * np.asarray(channel_scales, dtype=x.dtype)
    loc_values = _per_series(loc, count, x.dtype)
    if loc_values.ndim or float(loc_values) != 0.0:
        e += loc_values
    if kind == "multiplicative":
        e += x.dtype.type(1)
        e *= x
        return np.ascontiguousarray(e)
    if normalize:
        span = _extent(x)[1]
        e = e * span if e.shape != x.shape else np.multiply(e, span, out=e)
    if e.shape == x.shape:
        e += x
        return e
    return x + e


def _kmeans_levels(rows: np.ndarray, start: np.ndarray, iterations: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """1-D Lloyd iterations on each row of ``rows`` ``(M, T)`` from sorted ``start`` centers ``(M, K)``."""
    count, levels = start.shape
    centers = start.copy()
    labels = np.zeros(rows.shape, dtype=np.intp)
    base = (np.arange(count, dtype=np.intp) * levels)[:, None]
    for iteration in range(iterations):
        middles = (centers[:, 1:] + centers[:, :-1]) / 2.0
        new = np.zeros(rows.shape, dtype=np.intp)
        for k in range(levels - 1):
            new += rows >= middles[:, k : k + 1]
        if iteration > 0 and np.array_equal(new, labels):
            break
        labels = new
        index = (labels + base).ravel()
        sums = np.bincount(index, weights=rows.ravel(), minlength=count * levels).reshape(count, levels)
        sizes = np.bincount(index, minlength=count * levels).reshape(count, levels)
        np.divide(sums, sizes, out=centers, where=sizes > 0)
    return labels, centers


def quantize(series: np.ndarray, n_levels: int | Sequence[int] | np.ndarray, how: str = "uniform") -> np.ndarray:
    """Round each channel of each series to a set of ``n_levels`` levels (tsaug's ``Quantize``).

    ``"uniform"``: the channel's range in that series is cut into equal bins and a value becomes the
    centre of its bin. ``"quantile"``: bins hold equal numbers of values (edges at the k/n quantiles)
    and a value becomes its bin's median quantile ((k + 0.5)/n). ``"kmeans"``: levels are 1-D k-means
    centres (Lloyd iterations started from the quantile levels; deterministic). ``n_levels``: one
    value, ``(N,)`` or ``(N, C)``.

    >>> quantize(np.array([[[0.0], [0.3], [1.0]]]), 2)[0, :, 0].tolist()
    [0.25, 0.25, 0.75]
    """
    x = np.asarray(series)
    count, length, channels = x.shape
    levels = np.asarray(n_levels, dtype=np.intp)
    levels = np.broadcast_to(levels.reshape(count, 1) if levels.ndim == 1 else levels, (count, channels))
    if how == "uniform":  # computed channel-major, where the per-channel constants broadcast along time
        lanes = x.transpose(0, 2, 1).copy()  # a new C-ordered array (never a view of the input)
        low = lanes.min(axis=2, keepdims=True)
        span = lanes.max(axis=2, keepdims=True) - low
        span[span == 0] = 1
        bins = levels.reshape(count, channels, 1).astype(x.dtype)
        lanes -= low
        lanes *= bins / span
        np.floor(lanes, out=lanes)
        np.clip(lanes, 0, bins - 1, out=lanes)
        lanes += x.dtype.type(0.5)
        lanes *= span / bins
        lanes += low
        return np.ascontiguousarray(lanes.transpose(0, 2, 1))
    rows = np.ascontiguousarray(x.transpose(0, 2, 1)).reshape(count * channels, length).astype(np.float64)
    flat = levels.reshape(-1)
    out = np.empty_like(rows)
    for value in np.unique(flat):
        n = int(value)
        chosen = flat == value
        data = rows[chosen]
        centers = np.quantile(data, (np.arange(n) + 0.5) / n, axis=1).T  # (m, n)
        if how == "kmeans" and n > 1:
            labels, centers = _kmeans_levels(data, centers)
        else:
            edges = np.quantile(data, np.arange(1, n) / n, axis=1).T  # (m, n - 1)
            labels = np.zeros(data.shape, dtype=np.intp)
            for k in range(n - 1):
                labels += data >= edges[:, k : k + 1]
        out[chosen] = np.take_along_axis(centers, labels, axis=1)
    return np.ascontiguousarray(out.reshape(count, channels, length).transpose(0, 2, 1)).astype(x.dtype, copy=False)
