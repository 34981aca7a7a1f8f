"""Non-rigid distortions: displacement fields, the remap that applies them, and their inverse for
boxes and keypoints.

A distortion is a *backward* displacement field ``(dx, dy)`` of shape ``H x W`` (float32): the output
pixel at index ``(x, y)`` takes the input value at ``(x + dx[y, x], y + dy[y, x])``, in pixel-index
coordinates (the centre of the top-left pixel is ``(0, 0)``). Images and masks go through
``cv2.remap`` with that map. Boxes and keypoints need the *forward* map (input -> output), the inverse
of the backward one: :func:`invert_displacement` solves ``q + D(q) = p`` per point by Newton's method
on the bilinearly interpolated field, vectorized over points (outside the image the field is
continued by its border values). Every kernel returns a new array.

>>> import numpy as np
>>> dx, dy = optical_displacement(48, 64, 0.2)
>>> q, _ = invert_displacement(dx, dy, np.array([[10.0, 7.0]]))
>>> bool(np.allclose(q + sample_displacement(dx, dy, q), [[10.0, 7.0]], atol=1e-3))
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import BORDER_MODES, INTERPOLATIONS, fill_for_channels, keep_channels
from augkit.image.functional.affine import clipped_polygon_boxes

__all__ = [
    "REMAP_INTERPOLATIONS",
    "displacement_maps",
    "distort_boxes",
    "distort_keypoints",
    "elastic_displacement",
    "grid_displacement",
    "invert_displacement",
    "optical_displacement",
    "piecewise_affine_displacement",
    "remap",
    "remap_displacement",
    "sample_displacement",
    "thin_plate_spline_displacement",
]

#: Interpolations ``cv2.remap`` implements ("area" and "nearest_exact" are resize-only).
REMAP_INTERPOLATIONS = ("nearest", "linear", "cubic", "lanczos")

#: Largest grid step (pixels) at which the thin-plate spline is evaluated before upsampling.
_TPS_STEP = 8
_NEAREST_ONLY = (np.dtype(np.int8), np.dtype(np.int32), np.dtype(np.bool_))


# ---------------------------------------------------------------------------------------------
# Applying a field to arrays


def remap(
    image: np.ndarray,
    map_x: np.ndarray,
    map_y: np.ndarray,
    interpolation: str = "linear",
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """``out[y, x] = image[map_y[y, x], map_x[y, x]]`` (float32 maps), any channel count.

    Images with more than 4 channels are remapped in groups of 4 (OpenCV's limit for cubic and
    Lanczos); int8, int32 and bool arrays are sampled by nearest neighbour.
    """
    flag = INTERPOLATIONS[interpolation]
    source = image.view(np.uint8) if image.dtype == np.bool_ else image
    if image.dtype in _NEAREST_ONLY:
        flag = cv2.INTER_NEAREST
    border = BORDER_MODES[border_mode]
    channels = 1 if image.ndim == 2 else image.shape[2]
    values = fill_for_channels(fill, channels)

    def one(part: np.ndarray, start: int) -> np.ndarray:
        group = 1 if part.ndim == 2 else part.shape[2]
        border_value = values[start : start + group] + (0.0,) * (4 - group)
        return keep_channels(cv2.remap(part, map_x, map_y, flag, borderMode=border, borderValue=border_value), part)

    if channels <= 4:
        out = one(source, 0)
    else:
        out = np.concatenate([one(np.ascontiguousarray(source[:, :, i : i + 4]), i) for i in range(0, channels, 4)], axis=2)
    out = keep_channels(out, image)
    return out.view(np.bool_) if image.dtype == np.bool_ else out


def remap_displacement(
    image: np.ndarray,
    dx: np.ndarray,
    dy: np.ndarray,
    interpolation: str = "linear",
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """Apply a backward displacement field (see the module docstring) to an image or mask."""
    map_x, map_y = displacement_maps(dx, dy)
    return remap(image, map_x, map_y, interpolation, border_mode, fill)


def displacement_maps(dx: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The float32 ``(map_x, map_y)`` for ``cv2.remap`` of a backward displacement field."""
    height, width = dx.shape
    map_x = dx + np.arange(width, dtype=np.float32)
    map_y = dy + np.arange(height, dtype=np.float32)[:, None]
    return map_x, map_y


# ---------------------------------------------------------------------------------------------
# Fields


def _upsample(coarse: np.ndarray, step: int, height: int, width: int) -> np.ndarray:
    """Bilinear upsampling by an integer ``step`` of a grid whose node ``(j, i)`` sits at pixel
    ``((i - 0.5) * step - 0.5, (j - 0.5) * step - 0.5)``: the nodes reach past the image on every
    side, so no output pixel depends on OpenCV's border clamping."""
    rows, cols = coarse.shape
    big = cv2.resize(coarse, (cols * step, rows * step), interpolation=cv2.INTER_LINEAR)
    return big[step : step + height, step : step + width]


def _node_positions(count: int, step: int) -> np.ndarray:
    return (np.arange(count) - 0.5) * step - 0.5


def _coarse_size(size: int, step: int) -> int:
    return -(-size // step) + 2


def elastic_displacement(height: int, width: int, alpha: float, sigma: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Simard et al. (2003): white noise of unit variance per pixel, smoothed by a Gaussian of
    standard deviation ``sigma`` and scaled by ``alpha`` (one field for x, one for y).

    The field is built at a step of ``s = max(1, floor(sigma / 2))`` pixels and upsampled
    bilinearly. This is the same random field: white noise averaged over ``s x s`` blocks has
    variance ``1 / s**2`` per node, and blurring it with ``sigma / s`` nodes gives the variance and
    correlation length of the full-resolution field (the block average and the bilinear upsampling
    add ``(s**2 - 1) / 4`` to ``sigma**2``, subtracted beforehand). A field smoothed at ``sigma``
    has almost no content above ``1 / sigma`` cycles per pixel, so sampling it every ``sigma / 2``
    pixels loses about 2 % of its amplitude, and the cost falls by ``s**2``. The block-averaged
    noise is drawn uniform with the same variance: after smoothing, the field is Gaussian either way.
    """
    step = max(1, int(sigma // 2))
    rows, cols = (height, width) if step == 1 else (_coarse_size(height, step), _coarse_size(width, step))
    rng = np.random.default_rng(seed)
    noise = rng.random((2, rows, cols), dtype=np.float32)
    # uniform on [-a, a] has variance a**2 / 3; a = sqrt(3) / step gives variance 1 / step**2
    amplitude = math.sqrt(3.0) / step
    noise = (noise * np.float32(2.0 * amplitude * alpha)) - np.float32(amplitude * alpha)
    blur = math.sqrt(max(sigma * sigma - (step * step - 1) / 4.0, 0.25 * sigma * sigma)) / step
    fields = []
    for plane in noise:
        smooth = cv2.GaussianBlur(plane, (0, 0), blur, borderType=cv2.BORDER_REFLECT_101)
        fields.append(smooth if step == 1 else _upsample(smooth, step, height, width))
    return fields[0], fields[1]


def grid_displacement(
    height: int, width: int, steps_x: Sequence[float], steps_y: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """Grid distortion: the output is cut into ``len(steps_x)`` equal columns (and ``len(steps_y)``
    rows); output column ``i`` shows an input strip of relative width ``steps_x[i]`` (normalized so
    the strips tile the image), stretched linearly. Separable and monotone."""

    def axis(size: int, steps: Sequence[float]) -> np.ndarray:
        relative = np.asarray(steps, dtype=np.float64)
        target = np.linspace(0.0, size, len(relative) + 1)
        source = np.concatenate([[0.0], np.cumsum(relative)]) * (size / relative.sum())
        source[-1] = size
        centres = np.arange(size, dtype=np.float64) + 0.5
        return (np.interp(centres, target, source) - centres).astype(np.float32)

    shift_x, shift_y = axis(width, steps_x), axis(height, steps_y)
    dx = np.ascontiguousarray(np.broadcast_to(shift_x, (height, width)))
    dy = np.ascontiguousarray(np.broadcast_to(shift_y[:, None], (height, width)))
    return dx, dy


def optical_displacement(height: int, width: int, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Radial lens distortion about the image centre: the output pixel at radius ``r`` shows the
    input at ``r * (1 + k * r**2)``, with ``r`` in units of the half-diagonal (1 at the corners).

    ``k > 0`` pulls the content toward the centre (barrel), ``k < 0`` pushes it out (pincushion);
    the map folds over inside the image only for ``k <= -1/3``.
    """
    px = np.arange(width, dtype=np.float32) - np.float32((width - 1) / 2)
    py = (np.arange(height, dtype=np.float32) - np.float32((height - 1) / 2))[:, None]
    factor = (px * px + py * py) * np.float32(4.0 * k / (width * width + height * height))
    return factor * px, factor * py


def _cells(size: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """For each pixel, the index of its cell between ``nodes`` equally spaced nodes spanning the
    image's pixel edges, and its position in the cell (0..1)."""
    position = (np.arange(size, dtype=np.float64) + 0.5) * ((nodes - 1) / size)
    cell = np.minimum(position.astype(np.intp), nodes - 2)
    return cell, position - cell


def _interpolation_matrix(cell: np.ndarray, fraction: np.ndarray, nodes: int) -> np.ndarray:
    matrix = np.zeros((len(cell), nodes))
    rows = np.arange(len(cell))
    matrix[rows, cell] = 1.0 - fraction
    matrix[rows, cell + 1] += fraction
    return matrix


def piecewise_affine_displacement(height: int, width: int, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-affine warp: ``offsets`` (rows x cols x 2, pixels) move a regular grid of control
    points spanning the image; each grid cell is split into two triangles along its anti-diagonal
    and the displacement is affine (barycentric) in each triangle, as on a triangulated mesh.

    Computed exactly: the affine interpolant in a cell is the bilinear one minus
    ``c * min(s * t, (1 - s) * (1 - t))`` where ``c = v00 - v10 - v01 + v11`` is the cell's twist.
    """
    rows, cols = offsets.shape[:2]
    cell_x, s = _cells(width, cols)
    cell_y, t = _cells(height, rows)
    weight_x = _interpolation_matrix(cell_x, s, cols).astype(np.float32)
    weight_y = _interpolation_matrix(cell_y, t, rows).astype(np.float32)
    s32, t32 = s.astype(np.float32)[None, :], t.astype(np.float32)[:, None]
    correction = np.minimum(t32 * s32, (1.0 - t32) * (1.0 - s32))
    fields = []
    for values in (offsets[:, :, 0], offsets[:, :, 1]):
        bilinear = weight_y @ values.astype(np.float32) @ weight_x.T
        twist = (values[:-1, :-1] - values[:-1, 1:] - values[1:, :-1] + values[1:, 1:]).astype(np.float32)
        bilinear -= twist[cell_y][:, cell_x] * correction
        fields.append(bilinear)
    return fields[0], fields[1]


def _tps_kernel(squared: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(squared > 0, squared * np.log(np.where(squared > 0, squared, 1.0)), 0.0)


def thin_plate_spline_displacement(height: int, width: int, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Thin-plate spline (Bookstein 1989) through ``offsets`` (n x n x 2, pixels) at a regular
    ``n x n`` grid of control points spanning the image, in coordinates normalized to [0, 1].

    ``d(p) = a + A p + sum_i w_i U(|p - c_i|)`` with ``U(r) = r**2 log r**2``, solved with numpy.
    The spline is evaluated every ``min(8, spacing / 8)`` pixels (``spacing`` between control
    points) and upsampled bilinearly: it is smooth (its second derivatives vary on the scale of the
    control grid), so the difference is about 1 % of the displacement.
    """
    rows, cols = offsets.shape[:2]
    grid_y, grid_x = np.meshgrid(np.linspace(0.0, 1.0, rows), np.linspace(0.0, 1.0, cols), indexing="ij")
    centres = np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)
    count = len(centres)
    system = np.zeros((count + 3, count + 3))
    system[:count, :count] = _tps_kernel(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    system[:count, count] = 1.0
    system[:count, count + 1 :] = centres
    system[count, :count] = 1.0
    system[count + 1 :, :count] = centres.T
    rhs = np.zeros((count + 3, 2))
    rhs[:count] = offsets.reshape(count, 2)
    coefficients = np.linalg.solve(system, rhs)
    # a step of 1/8 of the control spacing (at most 8 px) keeps the bilinear error near 1 %
    step = int(np.clip(min(height, width) / max(rows - 1, cols - 1) / 8, 1, _TPS_STEP))
    node_x = (_node_positions(_coarse_size(width, step), step) + 0.5) / width
    node_y = (_node_positions(_coarse_size(height, step), step) + 0.5) / height
    px, py = np.meshgrid(node_x, node_y)
    points = np.stack([px.ravel(), py.ravel()], axis=1)
    kernel = _tps_kernel(((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    values = kernel @ coefficients[:count] + coefficients[count] + points @ coefficients[count + 1 :]
    fields = [_upsample(values[:, i].reshape(px.shape).astype(np.float32), step, height, width) for i in (0, 1)]
    return fields[0], fields[1]


# ---------------------------------------------------------------------------------------------
# The forward map, for boxes and keypoints


def _sample(fields: tuple[np.ndarray, np.ndarray], x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """The bilinear field at ``(x, y)`` and its partial derivatives (zero outside the image).

    ``fields`` are the two ``H x W`` planes; the result is ``(dx, ddx/dx, ddx/dy, dy, ddy/dx, ddy/dy)``.
    """
    height, width = fields[0].shape
    cx, cy = np.clip(x, 0.0, width - 1.0), np.clip(y, 0.0, height - 1.0)
    x0 = np.minimum(cx.astype(np.intp), max(width - 2, 0))
    y0 = np.minimum(cy.astype(np.intp), max(height - 2, 0))
    x1, y1 = np.minimum(x0 + 1, width - 1), np.minimum(y0 + 1, height - 1)
    fx, fy = cx - x0, cy - y0
    inside_x = (x >= 0.0) & (x <= width - 1.0)
    inside_y = (y >= 0.0) & (y <= height - 1.0)
    out: list[np.ndarray] = []
    for field in fields:
        a, b, c, d = field[y0, x0], field[y0, x1], field[y1, x0], field[y1, x1]
        top, bottom = a + fx * (b - a), c + fx * (d - c)
        out.append(top + fy * (bottom - top))
        out.append(np.where(inside_x, (b - a) + fy * ((d - c) - (b - a)), 0.0))
        out.append(np.where(inside_y, bottom - top, 0.0))
    return tuple(out)


def sample_displacement(dx: np.ndarray, dy: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The backward displacement at ``(N, 2)`` points ``[x, y]``, interpolated bilinearly."""
    values = _sample((dx, dy), points[:, 0], points[:, 1])
    return np.stack([values[0], values[3]], axis=1)


def _newton(
    fields: tuple[np.ndarray, np.ndarray],
    px: np.ndarray,
    py: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    iterations: int,
    tolerance: float,
) -> tuple[np.ndarray, ...]:
    """Damped Newton for ``q + D(q) = p`` from ``q``: a step is kept only when it lowers the
    residual, otherwise halved. Returns ``q``, the residual and the backward Jacobian entries."""
    vx, vx_x, vx_y, vy, vy_x, vy_y = _sample(fields, qx, qy)
    rx, ry = qx + vx - px, qy + vy - py
    error = np.maximum(np.abs(rx), np.abs(ry))
    j00, j01, j10, j11 = 1.0 + vx_x, vx_y, vy_x, 1.0 + vy_y
    damping = np.ones(len(px))
    for _ in range(iterations):
        a = np.flatnonzero(error >= tolerance)
        if not len(a):
            break
        det = j00[a] * j11[a] - j01[a] * j10[a]
        regular = np.abs(det) > 1e-9
        safe = np.where(regular, det, 1.0)
        step_x = np.where(regular, (j11[a] * rx[a] - j01[a] * ry[a]) / safe, rx[a])
        step_y = np.where(regular, (j00[a] * ry[a] - j10[a] * rx[a]) / safe, ry[a])
        tx, ty = qx[a] - damping[a] * step_x, qy[a] - damping[a] * step_y
        wx, wx_x, wx_y, wy, wy_x, wy_y = _sample(fields, tx, ty)
        trx, try_ = tx + wx - px[a], ty + wy - py[a]
        trial_error = np.maximum(np.abs(trx), np.abs(try_))
        better = trial_error < error[a]
        b = a[better]
        qx[b], qy[b], rx[b], ry[b], error[b] = tx[better], ty[better], trx[better], try_[better], trial_error[better]
        j00[b], j01[b], j10[b], j11[b] = 1.0 + wx_x[better], wx_y[better], wy_x[better], 1.0 + wy_y[better]
        damping[a] = np.where(better, np.minimum(damping[a] * 2.0, 1.0), damping[a] * 0.5)
    return qx, qy, error, j00, j01, j10, j11


def _nearest_preimages(
    fields: tuple[np.ndarray, np.ndarray], px: np.ndarray, py: np.ndarray, count: int = 6
) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the ``count`` output pixels whose backward map lands nearest to it
    (``(N, count)`` x and y). Every preimage lies within ``max |D|`` of the point, so a window of
    that radius (capped at 16) holds them."""
    dx, dy = fields
    height, width = dx.shape
    radius = min(math.ceil(max(float(np.abs(dx).max()), float(np.abs(dy).max()))) + 1, 16)
    offsets = np.arange(-radius, radius + 1)
    wy, wx = (grid.ravel() for grid in np.meshgrid(offsets, offsets, indexing="ij"))
    count = min(count, len(wx))
    best_x, best_y = np.empty((len(px), count)), np.empty((len(px), count))
    chunk = max(1, 2_000_000 // len(wx))
    for start in range(0, len(px), chunk):
        part = slice(start, start + chunk)
        cx = np.clip(np.rint(px[part])[:, None] + wx, 0, width - 1).astype(np.intp)
        cy = np.clip(np.rint(py[part])[:, None] + wy, 0, height - 1).astype(np.intp)
        miss = np.maximum(np.abs(cx + dx[cy, cx] - px[part, None]), np.abs(cy + dy[cy, cx] - py[part, None]))
        pick = np.argpartition(miss, count - 1, axis=1)[:, :count]
        best_x[part], best_y[part] = np.take_along_axis(cx, pick, 1), np.take_along_axis(cy, pick, 1)
    return best_x, best_y


def invert_displacement(
    dx: np.ndarray, dy: np.ndarray, points: np.ndarray, iterations: int = 40, tolerance: float = 1e-5
) -> tuple[np.ndarray, np.ndarray]:
    """The forward map: for each input point ``p`` (``(N, 2)``, pixel-index ``[x, y]``) the output
    point ``q`` with ``q + D(q) = p``, and the backward map's Jacobian at ``q`` (``(N, 2, 2)``).

    Damped Newton on the bilinear field, started at ``p - D(p)``, vectorized over the points still
    unsolved. Where the field folds (several ``q`` solve the equation and Newton can stall between
    them), the points left unsolved restart from the output pixels that map nearest to them; in
    strongly folded fields (e.g. ``alpha / sigma**2 > 2`` for the elastic field) a few points can
    stay approximate.
    """
    fields = (dx, dy)
    px, py = points[:, 0].astype(np.float64), points[:, 1].astype(np.float64)
    start = _sample(fields, px, py)
    solved = list(_newton(fields, px, py, px - start[0], py - start[3], iterations, tolerance))
    stalled = np.flatnonzero(solved[2] > 1e-3)
    if len(stalled):
        sx, sy = _nearest_preimages(fields, px[stalled], py[stalled])
        tries = sx.shape[1]
        retry = _newton(
            fields, np.repeat(px[stalled], tries), np.repeat(py[stalled], tries), sx.ravel(), sy.ravel(), iterations, tolerance
        )
        pick = np.argmin(retry[2].reshape(-1, tries), axis=1) + np.arange(len(stalled)) * tries
        better = retry[2][pick] < solved[2][stalled]
        for mine, theirs in zip(solved, retry, strict=True):
            mine[stalled[better]] = theirs[pick[better]]
    qx, qy, _, j00, j01, j10, j11 = solved
    jacobian = np.stack([np.stack([j00, j01], axis=1), np.stack([j10, j11], axis=1)], axis=1)
    return np.stack([qx, qy], axis=1), jacobian


def distort_keypoints(points: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Move ``(N, 4)`` ``[x, y, angle, scale]`` keypoints by the forward map; angle and scale follow
    its Jacobian (the inverse of the backward map's)."""
    out = points.copy()
    if not len(points):
        return out
    moved, jacobian = invert_displacement(dx, dy, points[:, :2])
    out[:, :2] = moved
    j00, j01, j10, j11 = jacobian[:, 0, 0], jacobian[:, 0, 1], jacobian[:, 1, 0], jacobian[:, 1, 1]
    det = j00 * j11 - j01 * j10
    det = np.where(np.abs(det) > 1e-12, det, 1e-12)
    cos, sin = np.cos(points[:, 2]), np.sin(points[:, 2])
    # forward Jacobian = [[j11, -j01], [-j10, j00]] / det
    out[:, 2] = np.arctan2((-j10 * cos + j00 * sin) / det, (j11 * cos - j01 * sin) / det)
    out[:, 3] = points[:, 3] / np.sqrt(np.abs(det))
    return out


def distort_boxes(boxes: np.ndarray, dx: np.ndarray, dy: np.ndarray, spacing: float = 4.0) -> np.ndarray:
    """Tight pixel-edge boxes of the moved boxes: points every ``spacing`` pixels along each box's
    perimeter (16 to 256 per side, the same count for every box) are mapped forward, and the box of
    the part of that polygon inside the image is returned (NaN rows when none is: dropped later)."""
    height, width = dx.shape
    count = len(boxes)
    if not count:
        return boxes[:, :4].copy()
    longest = float((boxes[:, 2:4] - boxes[:, 0:2]).max())
    per_side = int(np.clip(math.ceil(longest / spacing), 16, 256))
    per_side = max(16, min(per_side, 262_144 // (4 * count)))
    t = np.arange(per_side) / per_side
    x1, y1, x2, y2 = (boxes[:, i, None] - 0.5 for i in range(4))
    xs = np.concatenate(
        [x1 + t * (x2 - x1), np.broadcast_to(x2, (count, per_side)), x2 - t * (x2 - x1), np.broadcast_to(x1, (count, per_side))],
        axis=1,
    )
    ys = np.concatenate(
        [np.broadcast_to(y1, (count, per_side)), y1 + t * (y2 - y1), np.broadcast_to(y2, (count, per_side)), y2 - t * (y2 - y1)],
        axis=1,
    )
    moved, _ = invert_displacement(dx, dy, np.stack([xs.ravel(), ys.ravel()], axis=1))
    return clipped_polygon_boxes(moved.reshape(count, 4 * per_side, 2) + 0.5, height, width)
