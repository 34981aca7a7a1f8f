"""Erasing kernels: fill rectangles, grids, arbitrary regions or single pixels, and measure what the
holes hide (the share of each box they cover, the keypoints they cover).

A *region* is a boolean ``H x W`` array, True where pixels are erased. Holes are ``[x1, y1, x2, y2]``
integer rows in pixel edges (``image[y1:y2, x1:x2]``). A *fill* is a number, one number per channel,
or a mode: ``"random"`` (uniform noise over the dtype's range, a new value per pixel and channel),
``"random_uniform"`` (one random colour per hole), ``"random_normal"`` (standard normal noise, float
images only) or ``"mean"`` (the image's per-channel mean). Random fills are drawn from
``numpy.random.default_rng(seed)``, so a call is replayed bit for bit from its seed.

>>> import numpy as np
>>> erase_rectangles(np.ones((2, 4), np.uint8), [[1, 0, 3, 2]], fill=9).tolist()
[[1, 9, 9, 1], [1, 9, 9, 1]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import fill_for_channels, keep_channels
from augkit.image.functional._lut import max_value

__all__ = [
    "FILL_MODES",
    "Fill",
    "covered_fraction",
    "erase_grid",
    "erase_rectangles",
    "erase_region",
    "grid_axes",
    "grid_rectangles",
    "gridmask_region",
    "label_objects",
    "pixel_dropout",
    "pixel_dropout_region",
    "points_in_region",
    "rectangles_region",
    "rle_decode",
    "rle_encode",
]

#: A fill: one number, one number per channel, or one of :data:`FILL_MODES`.
Fill = float | Sequence[float] | str
FILL_MODES = ("random", "random_uniform", "random_normal", "mean")
_SPARSE_PROB = 0.05  # below this drop probability, dropped positions are drawn as geometric gaps


# ---------------------------------------------------------------------------------------------
# Fill values


def _channels(array: np.ndarray) -> int:
    return 1 if array.ndim == 2 else int(array.shape[2])


def _cast(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Per-channel values in ``dtype``: integers round half to even and saturate (as OpenCV does)."""
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        values = np.clip(np.rint(values), info.min, info.max)
    return values.astype(dtype)


_INT_LIMITS = {
    np.dtype(t): (float(np.iinfo(t).min), float(np.iinfo(t).max)) for t in (np.uint8, np.int8, np.uint16, np.int16, np.int32)
}


def _constant(array: np.ndarray, fill: Fill) -> np.ndarray:
    """The constant per-channel fill of ``array`` (``"mean"`` is the array's own per-channel mean)."""
    if fill == "mean":
        if array.ndim == 2 or array.shape[2] <= 4:
            values = np.asarray(cv2.mean(array)[: _channels(array)], dtype=np.float64)
        else:
            values = array.reshape(-1, array.shape[2]).mean(axis=0, dtype=np.float64)
        return _cast(values, array.dtype)
    if isinstance(fill, str):
        raise ValueError(f"unknown fill mode {fill!r}; expected a number, one per channel, or one of {FILL_MODES}")
    return _cast(np.asarray(fill_for_channels(fill, _channels(array)), dtype=np.float64), array.dtype)


def _constant_tuple(array: np.ndarray, fill: Fill) -> tuple[float, ...]:
    """:func:`_constant` as Python floats; a plain number skips numpy (the per-call cost matters)."""
    limits = _INT_LIMITS.get(array.dtype)
    if isinstance(fill, (int, float)) and (limits is not None or array.dtype.kind == "f"):
        value = float(fill)
        if limits is not None:
            value = min(max(float(round(value)), limits[0]), limits[1])  # round() is half to even, like np.rint
        elif array.dtype == np.float32:
            value = float(np.float32(value))
        return (value,) * _channels(array)
    return tuple(_constant(array, fill).tolist())


def _noise(rng: np.random.Generator, shape: tuple[int, ...], dtype: np.dtype, mode: str) -> np.ndarray:
    """Random pixel values: uniform over the dtype's range, or standard normal (float only)."""
    if mode == "random_normal":
        if dtype != np.float32:
            raise ValueError(f"fill 'random_normal' needs a float32 image; got {dtype}")
        return rng.standard_normal(shape, dtype=np.float32)
    if dtype == np.float32:
        return rng.random(shape, dtype=np.float32)
    return rng.integers(0, int(max_value(dtype)) + 1, shape, dtype=dtype)


def _is_random(fill: Fill) -> bool:
    return isinstance(fill, str) and fill.startswith("random")


# ---------------------------------------------------------------------------------------------
# Erasing


def erase_rectangles(image: np.ndarray, holes: Sequence[Sequence[int]] | np.ndarray, fill: Fill = 0, seed: int = 0) -> np.ndarray:
    """Fill the rectangles ``holes`` (rows ``[x1, y1, x2, y2]``, clipped to the image) with ``fill``.

    Works on images and masks of any dtype OpenCV draws on and any channel count. ``"random"`` draws
    each hole's noise in hole order; ``"random_uniform"`` one colour per hole.

    >>> import numpy as np
    >>> erase_rectangles(np.zeros((1, 3, 2), np.uint8), [[0, 0, 2, 1]], fill=(5, 6))[0].tolist()
    [[5, 6], [5, 6], [0, 0]]
    """
    out = np.array(image, order="C", copy=True)
    height, width = out.shape[:2]
    rows = holes.tolist() if isinstance(holes, np.ndarray) else holes
    boxes = []  # clipped in Python: a few holes cost less than numpy's per-call overhead
    for x1, y1, x2, y2 in rows:
        left, top, right, bottom = max(int(x1), 0), max(int(y1), 0), min(int(x2), width), min(int(y2), height)
        if right > left and bottom > top:
            boxes.append((left, top, right, bottom))
    if not boxes:
        return out
    channels = _channels(out)
    if fill in ("random", "random_normal"):
        rng = np.random.default_rng(seed)
        for x1, y1, x2, y2 in boxes:
            out[y1:y2, x1:x2] = _noise(rng, (y2 - y1, x2 - x1, *out.shape[2:]), out.dtype, str(fill))
        return out
    if fill == "random_uniform":
        colours = [tuple(c) for c in _noise(np.random.default_rng(seed), (len(boxes), channels), out.dtype, "random").tolist()]
    else:
        colours = [_constant_tuple(image, fill)] * len(boxes)
    if channels <= 4:  # OpenCV fills a rectangle in one C loop (numpy broadcasts a few values slowly)
        for (x1, y1, x2, y2), colour in zip(boxes, colours, strict=True):
            cv2.rectangle(out, (x1, y1), (x2 - 1, y2 - 1), colour, -1)
        return out
    for (x1, y1, x2, y2), colour in zip(boxes, colours, strict=True):
        out[y1:y2, x1:x2] = np.asarray(colour, dtype=out.dtype)
    return out


def erase_region(image: np.ndarray, region: np.ndarray, fill: Fill = 0, seed: int = 0) -> np.ndarray:
    """Fill the pixels where the boolean ``H x W`` ``region`` is True with ``fill``.

    ``"random"`` noise is drawn for the erased pixels in row-major order (``"random_uniform"`` is not
    defined for a region and raises ValueError).

    >>> import numpy as np
    >>> erase_region(np.ones((2, 2), np.uint8), np.array([[True, False], [False, True]]), fill=0).tolist()
    [[0, 1], [1, 0]]
    """
    if fill == "random_uniform":
        raise ValueError("fill 'random_uniform' needs rectangular holes; a region takes a number, 'random' or 'mean'")
    if not region.any():
        return np.array(image, order="C", copy=True)
    flat = region.reshape(-1)
    channels = _channels(image)
    if _is_random(fill):
        out = np.array(image, order="C", copy=True)
        index = np.flatnonzero(flat)
        noise = _noise(np.random.default_rng(seed), (len(index), *image.shape[2:]), image.dtype, str(fill))
        out.reshape(len(flat), -1)[index] = noise.reshape(len(index), -1)
        return out
    values = _constant(image, fill)
    if channels <= 4:  # keep the other pixels in one masked C pass, then add the fill where erased
        source = np.ascontiguousarray(image)
        out = keep_channels(cv2.bitwise_and(source, source, mask=(~region).view(np.uint8)), image)
        if values.any():
            cv2.add(out, tuple(float(v) for v in values), dst=out, mask=region.view(np.uint8))  # type: ignore[call-overload]
        return out
    out = np.array(image, order="C", copy=True)
    out.reshape(len(flat), channels)[flat] = values
    return out


def grid_axes(
    height: int, width: int, unit: tuple[int, int], hole: tuple[int, int], shift: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """The rows and columns of an axis-aligned grid of holes: a hole of ``hole = (h, w)`` pixels starts
    every ``unit = (h, w)`` pixels, the first at ``shift = (y, x)``; a pixel is erased when both its
    row and its column are marked.

    >>> rows, cols = grid_axes(4, 6, unit=(4, 3), hole=(2, 1), shift=(1, 0))
    >>> rows.astype(int).tolist(), cols.astype(int).tolist()
    ([0, 1, 1, 0], [1, 0, 0, 1, 0, 0])
    """
    rows = (np.arange(height) - shift[0]) % unit[0] < hole[0]
    cols = (np.arange(width) - shift[1]) % unit[1] < hole[1]
    return rows, cols


def _runs(marks: np.ndarray) -> np.ndarray:
    """``(start, stop)`` pairs of the runs of True in a 1-D boolean array."""
    edges = np.diff(np.concatenate(([0], marks.view(np.int8), [0])))
    return np.stack([np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)], axis=1)


def grid_rectangles(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The holes of a grid given by :func:`grid_axes`, as ``(K, 4)`` ``[x1, y1, x2, y2]`` rows.

    >>> grid_rectangles(np.array([True, False]), np.array([False, True, True])).tolist()
    [[1, 0, 3, 1]]
    """
    row_runs, col_runs = _runs(rows), _runs(cols)
    if not len(row_runs) or not len(col_runs):
        return np.zeros((0, 4), dtype=np.int64)
    ys = np.repeat(row_runs, len(col_runs), axis=0)
    xs = np.tile(col_runs, (len(row_runs), 1))
    return np.stack([xs[:, 0], ys[:, 0], xs[:, 1], ys[:, 1]], axis=1)


def erase_grid(image: np.ndarray, rows: np.ndarray, cols: np.ndarray, fill: Fill = 0, seed: int = 0) -> np.ndarray:
    """Fill the grid of holes given by :func:`grid_axes` (``rows`` x ``cols``) with ``fill``.

    A constant fill touches only the marked rows, each band in two vectorized passes.

    >>> import numpy as np
    >>> erase_grid(np.ones((2, 3), np.uint8), np.array([True, False]), np.array([True, False, True])).tolist()
    [[0, 1, 0], [1, 1, 1]]
    """
    if fill == "random_uniform":
        return erase_rectangles(image, grid_rectangles(rows, cols), fill, seed)
    if _is_random(fill):
        return erase_region(image, rows[:, None] & cols[None, :], fill, seed)
    out = np.array(image, order="C", copy=True)
    if not rows.any() or not cols.any():
        return out
    values = _constant(image, fill)
    channels = _channels(out)
    flat = out.reshape(out.shape[0], -1)  # one row of W * C values per image row
    marked = np.repeat(cols, channels)
    keep = (~marked).astype(out.dtype)
    fill_row = np.where(marked, np.tile(values, len(cols)), 0).astype(out.dtype)
    add = bool(fill_row.any())
    for top, bottom in _runs(rows).tolist():
        band = flat[top:bottom]
        np.multiply(band, keep, out=band)
        if add:
            np.add(band, fill_row, out=band)
    return out


def gridmask_region(height: int, width: int, unit: int, hole: int, offset: tuple[int, int], angle: float = 0.0) -> np.ndarray:
    """The erased squares of GridMask: squares of side ``hole`` repeating every ``unit`` pixels, the
    first at ``offset = (y, x)``, rotated by ``angle`` degrees (counter-clockwise as displayed) about
    the image centre. Pixel centres are sampled, so ``angle=0`` gives :func:`grid_axes` exactly.

    >>> gridmask_region(3, 3, unit=2, hole=1, offset=(0, 0)).astype(int).tolist()
    [[1, 0, 1], [0, 0, 0], [1, 0, 1]]
    """
    if angle % 360.0 == 0.0:
        rows, cols = grid_axes(height, width, (unit, unit), (hole, hole), offset)
        return rows[:, None] & cols[None, :]
    theta = math.radians(angle)
    cos, sin = np.float32(math.cos(theta)), np.float32(math.sin(theta))
    cy, cx = (height - 1) / 2.0, (width - 1) / 2.0
    xs = (np.arange(width, dtype=np.float32) - np.float32(cx))[None, :]
    ys = (np.arange(height, dtype=np.float32) - np.float32(cy))[:, None]
    # grid coordinates of each pixel centre (the grid turns one way, so the pixels turn the other)
    u = xs * cos - (ys * sin - np.float32(cx - offset[1]))
    v = xs * sin + (ys * cos + np.float32(cy - offset[0]))
    period, inverse = np.float32(unit), np.float32(1.0 / unit)
    scratch = np.empty_like(u)
    for coordinate in (u, v):  # in place: coordinate mod unit (float32; np.mod is much slower)
        np.multiply(coordinate, inverse, out=scratch)
        np.floor(scratch, out=scratch)
        scratch *= period
        coordinate -= scratch
    region = u < hole
    region &= v < hole
    return region


def rectangles_region(holes: Sequence[Sequence[int]] | np.ndarray, height: int, width: int) -> np.ndarray:
    """The boolean ``height x width`` region covered by ``holes`` (overlaps count once).

    >>> rectangles_region([[0, 0, 2, 1], [1, 0, 3, 1]], 2, 3).astype(int).tolist()
    [[1, 1, 1], [0, 0, 0]]
    """
    region = np.zeros((height, width), dtype=bool)
    for x1, y1, x2, y2 in np.asarray(holes, dtype=np.int64).reshape(-1, 4).tolist():
        region[max(y1, 0) : max(y2, 0), max(x1, 0) : max(x2, 0)] = True
    return region


# ---------------------------------------------------------------------------------------------
# Pixel dropout


def _drop_field(count: int, prob: float, rng: np.random.Generator) -> np.ndarray:
    """``count`` independent Bernoulli(``prob``) trials as a boolean array (dense probabilities)."""
    return rng.random(count, dtype=np.float32) < np.float32(prob)


def _drop_indices(count: int, prob: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted flat indices of ``count`` independent Bernoulli(``prob``) trials that came up True.

    Small probabilities draw the gaps between successes (geometric), which costs O(successes).
    """
    if prob <= 0.0 or count == 0:
        return np.zeros(0, dtype=np.int64)
    if prob >= 1.0:
        return np.arange(count, dtype=np.int64)
    if prob >= _SPARSE_PROB:
        return np.flatnonzero(_drop_field(count, prob, rng))
    expected = count * prob
    size = int(expected + 6.0 * math.sqrt(expected) + 16)
    positions = np.cumsum(rng.geometric(prob, size)) - 1
    while positions[-1] < count:  # rare: more successes than drawn gaps
        more = np.cumsum(rng.geometric(prob, size)) + positions[-1]
        positions = np.concatenate([positions, more])
    return positions[: np.searchsorted(positions, count)]


def _dense(prob: float) -> bool:
    return _SPARSE_PROB <= prob < 1.0


def pixel_dropout(
    image: np.ndarray, prob: float, per_channel: bool = False, drop_value: float | Sequence[float] | None = 0, seed: int = 0
) -> np.ndarray:
    """Set each pixel (each pixel and channel when ``per_channel``) to ``drop_value`` with
    probability ``prob``; ``drop_value=None`` draws a uniform random value for each drop.

    >>> import numpy as np
    >>> pixel_dropout(np.ones((2, 3), np.uint8), prob=1.0).tolist()
    [[0, 0, 0], [0, 0, 0]]
    """
    rng = np.random.default_rng(seed)
    height, width = image.shape[:2]
    channels = _channels(image)
    if not per_channel and drop_value is not None and _dense(prob):  # masked OpenCV passes
        return erase_region(image, _drop_field(height * width, prob, rng).reshape(height, width), drop_value)
    out = np.array(image, order="C", copy=True)
    if per_channel:
        flat = out.reshape(-1)
        index = _drop_indices(flat.size, prob, rng)
        if drop_value is None:
            flat[index] = _noise(rng, (len(index),), out.dtype, "random")
        else:
            flat[index] = _constant(image, drop_value)[index % channels]
        return out
    pixels = out.reshape(-1, channels)
    index = _drop_indices(len(pixels), prob, rng)
    pixels[index] = (
        _noise(rng, (len(index), channels), out.dtype, "random") if drop_value is None else _constant(image, drop_value)
    )
    return out


def pixel_dropout_region(height: int, width: int, channels: int, prob: float, per_channel: bool, seed: int) -> np.ndarray:
    """The pixels :func:`pixel_dropout` changes in an image of ``channels`` channels (any channel).

    >>> pixel_dropout_region(1, 2, 3, prob=1.0, per_channel=True, seed=0).tolist()
    [[True, True]]
    """
    rng = np.random.default_rng(seed)
    if not per_channel and _dense(prob):
        return _drop_field(height * width, prob, rng).reshape(height, width)
    region = np.zeros(height * width, dtype=bool)
    if per_channel:
        region[_drop_indices(height * width * channels, prob, rng) // channels] = True
    else:
        region[_drop_indices(height * width, prob, rng)] = True
    return region.reshape(height, width)


# ---------------------------------------------------------------------------------------------
# What the holes hide


def covered_fraction(boxes: np.ndarray, region: np.ndarray) -> np.ndarray:
    """The share of each pascal_voc box's area (pixel edges, float) that ``region`` covers.

    Exact for fractional edges: the summed-area table of the region, interpolated bilinearly, is the
    covered area below and left of any point. Overlapping holes count once.

    >>> import numpy as np
    >>> region = np.zeros((4, 4), bool); region[:2, :2] = True
    >>> covered_fraction(np.array([[0.0, 0.0, 4.0, 4.0], [1.0, 1.0, 3.0, 2.0]]), region).tolist()
    [0.25, 0.5]
    """
    boxes = np.asarray(boxes, dtype=np.float64)
    if not len(boxes) or not region.any():
        return np.zeros(len(boxes), dtype=np.float64)
    height, width = region.shape
    table = cv2.integral(np.ascontiguousarray(region).view(np.uint8), sdepth=cv2.CV_64F)
    x1, x2 = np.clip(boxes[:, 0], 0, width), np.clip(boxes[:, 2], 0, width)
    y1, y2 = np.clip(boxes[:, 1], 0, height), np.clip(boxes[:, 3], 0, height)

    def below(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        col = np.minimum(np.floor(x), width - 1).astype(np.int64)
        row = np.minimum(np.floor(y), height - 1).astype(np.int64)
        fx, fy = x - col, y - row
        top = table[row, col] * (1 - fx) + table[row, col + 1] * fx
        bottom = table[row + 1, col] * (1 - fx) + table[row + 1, col + 1] * fx
        return top * (1 - fy) + bottom * fy

    covered = below(x2, y2) - below(x1, y2) - below(x2, y1) + below(x1, y1)
    area = (x2 - x1) * (y2 - y1)
    return np.divide(covered, area, out=np.zeros_like(area), where=area > 0)


def points_in_region(points: np.ndarray, region: np.ndarray) -> np.ndarray:
    """True for each ``(x, y, ...)`` point (pixel-index coordinates) whose pixel ``region`` covers.

    >>> import numpy as np
    >>> points_in_region(np.array([[0.4, 0.0], [1.0, 0.0], [5.0, 0.0]]), np.array([[True, False]])).tolist()
    [True, False, False]
    """
    points = np.asarray(points, dtype=np.float64)
    height, width = region.shape
    cols = np.floor(points[:, 0] + 0.5)
    rows = np.floor(points[:, 1] + 0.5)
    inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    hidden = np.zeros(len(points), dtype=bool)
    hidden[inside] = region[rows[inside].astype(np.int64), cols[inside].astype(np.int64)]
    return hidden


# ---------------------------------------------------------------------------------------------
# Objects of a mask, and regions as JSON-safe run lengths


def label_objects(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """Label the objects of a label mask: each 8-connected region of one non-zero value is an object.

    Returns an ``int32`` label image (0 = background, objects 1..n) and ``n``.

    >>> import numpy as np
    >>> labels, count = label_objects(np.array([[1, 0, 1], [2, 2, 0]]))
    >>> labels.tolist(), count
    ([[1, 0, 2], [3, 3, 0]], 3)
    """
    if mask.dtype == np.uint8 or mask.dtype == np.bool_:
        histogram = cv2.calcHist([np.ascontiguousarray(mask).view(np.uint8)], [0], None, [256], [0, 256]).reshape(-1)
        values = np.flatnonzero(histogram[1:]) + 1
    else:
        values = np.unique(mask[mask != 0])
    labels = np.zeros(mask.shape[:2], dtype=np.int32)
    count = 0
    for value in values.tolist():
        found, parts = cv2.connectedComponents((mask == value).view(np.uint8), connectivity=8, ltype=cv2.CV_32S)
        if count:
            np.add(parts, count, out=parts, where=parts > 0)
        labels += parts  # objects of different values never share a pixel
        count += found - 1
    return labels, count


def rle_encode(region: np.ndarray) -> list[int]:
    """Row-major run lengths of a boolean region, starting with a run of False (which may be 0).

    >>> rle_encode(np.array([[True, True, False], [False, True, True]]))
    [0, 2, 2, 2]
    """
    flat = np.ascontiguousarray(region).reshape(-1)
    edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    runs = np.diff(edges, prepend=0, append=flat.size)
    return ([0] if flat.size and flat[0] else []) + runs.tolist()


def rle_decode(counts: Sequence[int], height: int, width: int) -> np.ndarray:
    """The boolean ``height x width`` region of :func:`rle_encode`'s run lengths.

    >>> rle_decode([0, 2, 2, 2], 2, 3).astype(int).tolist()
    [[1, 1, 0], [0, 1, 1]]
    """
    runs = np.asarray(counts, dtype=np.int64)
    if runs.sum() != height * width:
        raise ValueError(f"run lengths add up to {int(runs.sum())}; expected {height} x {width} = {height * width}")
    return np.repeat(np.arange(len(runs)) % 2 == 1, runs).reshape(height, width)
