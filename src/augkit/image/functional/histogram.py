"""Histogram kernels: equalization, auto-contrast and CLAHE, channel by channel.

uint8 histograms have 256 bins and the result is one lookup table per channel. uint16 images use
65536 bins; float32 images are binned in 65536 bins too (``round(x * 65535)``), so equalized float
output has 65536 levels. CLAHE works in 256 bins for every dtype (OpenCV's own 8-bit CLAHE for uint8,
the same algorithm in numpy with interpolation between levels for uint16 and float32).

>>> import numpy as np
>>> autocontrast(np.array([[50, 100, 150]], np.uint8)).tolist()
[[0, 127, 255]]
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._lut import max_value
from augkit.image.functional.tone import apply_tables, lookup_inplace, merge_planes, split_planes

__all__ = ["autocontrast", "clahe", "equalize"]

FLOAT_BINS = 65535.0  # float32 images are binned as round(x * 65535)


def _histogram(plane: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Counts per level of one plane (256 bins for uint8, 65536 otherwise; float32 quantized)."""
    if plane.dtype == np.uint8:
        hist = cv2.calcHist([plane], [0], mask, [256], [0, 256])
        return hist.reshape(256).astype(np.int64)
    values = _quantize(plane) if plane.dtype == np.float32 else plane
    values = values[mask] if mask is not None else values.reshape(-1)
    return np.bincount(values, minlength=65536)


def _quantize(plane: np.ndarray) -> np.ndarray:
    """A float32 plane in [0, 1] as uint16 bins ``round(x * 65535)``."""
    scaled = plane * np.float32(FLOAT_BINS)
    scaled += np.float32(0.5)
    np.clip(scaled, 0.0, FLOAT_BINS, out=scaled)
    return scaled.astype(np.uint16)


def _mask_for(mask: np.ndarray | None, image: np.ndarray) -> np.ndarray | None:
    if mask is None:
        return None
    if mask.shape != image.shape[:2]:
        raise ValueError(f"mask has shape {mask.shape}; expected the image size {image.shape[:2]}")
    return (mask != 0) if image.dtype != np.uint8 else (mask != 0).view(np.uint8)


def _map_planes(image: np.ndarray, planes: list[np.ndarray], tables: list[np.ndarray]) -> np.ndarray:
    """Apply integer tables (levels to levels) to the planes of ``image`` (split from it, mapped in
    place) and merge them; float32 goes through its 65536 bins."""
    if image.dtype == np.float32:
        mapped = [np.take((table / FLOAT_BINS).astype(np.float32), _quantize(p)) for p, table in zip(planes, tables, strict=True)]
        return merge_planes(mapped, image)
    if image.ndim == 2:
        return apply_tables(image, tables[0].astype(image.dtype))
    for plane, table in zip(planes, tables, strict=True):
        lookup_inplace(plane, table.astype(image.dtype))
    return merge_planes(planes, image)


# ---------------------------------------------------------------------------------------------- equalize
def _equalize_table(hist: np.ndarray, mode: str) -> np.ndarray:
    top = len(hist) - 1
    identity = np.arange(len(hist), dtype=np.int64)
    used = np.flatnonzero(hist)
    total = int(hist.sum())
    if len(used) <= 1:
        return identity
    if mode == "cv":  # OpenCV's equalizeHist: (cdf - cdf[first]) * top / (total - count[first])
        first = int(hist[used[0]])
        shifted = np.cumsum(hist) - first
        if top == 255:  # OpenCV's float32 arithmetic, rounded half to even
            scaled = shifted.astype(np.float32) * (np.float32(255.0) / np.float32(total - first))
        else:
            scaled = shifted * (top / (total - first))
        return np.clip(np.rint(scaled), 0, top).astype(np.int64)
    # PIL's ImageOps.equalize: the exclusive cdf over a step of (total - count[last]) / top
    before = np.cumsum(hist) - hist
    span = total - int(hist[used[-1]])
    if top == 255:  # PIL's integer arithmetic exactly
        step = span // 255
        if step == 0:
            return identity
        return np.minimum((step // 2 + before) // step, 255)
    return np.minimum(np.floor(before * (top / span) + 0.5), top).astype(np.int64)


def equalize(image: np.ndarray, mode: str = "pil", by_channels: bool = True, mask: np.ndarray | None = None) -> np.ndarray:
    """Histogram equalization, each channel from its own histogram.

    Args:
        mode: ``"pil"`` follows ``PIL.ImageOps.equalize`` (exact on uint8); ``"cv"`` follows
            ``cv2.equalizeHist`` (first used level to 0, cumulative histogram scaled to full range).
            The two differ by a few levels: PIL uses the cumulative count *before* each level and
            spreads over all but the brightest level.
        by_channels: False equalizes only the luma (Y of YCrCb) of an RGB image (1 or 3 channels).
        mask: optional H x W array; only its nonzero pixels count in the histograms.

    uint16 uses the same rules on 65536 levels (PIL's step is then taken exactly rather than
    floored); float32 is binned in 65536 levels first. An image with one level is unchanged.

    >>> image = np.repeat(np.array([0, 100, 200], np.uint8), 300).reshape(30, 30)
    >>> np.unique(equalize(image)).tolist(), np.unique(equalize(image, "cv")).tolist()
    ([0, 150, 255], [0, 128, 255])
    """
    if mode not in ("pil", "cv"):
        raise ValueError(f"mode must be 'pil' or 'cv'; got {mode!r}")
    select = _mask_for(mask, image)
    if not by_channels and image.ndim == 3 and image.shape[2] != 1:
        if image.shape[2] != 3:
            raise ValueError(f"by_channels=False needs an RGB image (3 channels); got {image.shape[2]}")
        ycrcb = cv2.cvtColor(image, cv2.COLOR_RGB2YCrCb)
        luma = np.ascontiguousarray(ycrcb[:, :, 0])
        ycrcb[:, :, 0] = equalize(luma, mode, True, mask)
        out = cv2.cvtColor(ycrcb, cv2.COLOR_YCrCb2RGB)
        return np.clip(out, 0.0, 1.0, out=out) if out.dtype == np.float32 else out
    planes = split_planes(image) if image.ndim == 3 else [image]
    tables = [_equalize_table(_histogram(plane, select), mode) for plane in planes]
    return _map_planes(image, planes, tables)


# ---------------------------------------------------------------------------------------------- autocontrast
def _cut_range(hist: np.ndarray, low: float, high: float) -> tuple[float, float] | None:
    """First and last level left after removing ``low`` % darkest and ``high`` % brightest pixels
    (PIL's rule: whole bins go first, a bin is emptied only when the cut covers it)."""
    total = int(hist.sum())
    cut_low = int(np.floor_divide(total * low, 100))
    cut_high = int(np.floor_divide(total * high, 100))
    below = np.cumsum(hist)
    above = np.minimum(np.cumsum(hist[::-1])[::-1], total - cut_low)
    lows = np.flatnonzero(below > cut_low)
    highs = np.flatnonzero(above > cut_high)
    if not len(lows) or not len(highs):
        return None
    return float(lows[0]), float(highs[-1])


def autocontrast(
    image: np.ndarray, cutoff: float | Sequence[float] = 0.0, ignore: int | Sequence[int] | None = None
) -> np.ndarray:
    """Stretch each channel so its darkest level becomes 0 and its brightest full intensity.

    Follows ``PIL.ImageOps.autocontrast`` (exact on uint8: levels map to ``int(x * scale + offset)``).

    Args:
        cutoff: percentage of pixels to ignore at each end (or a ``(low, high)`` pair) when finding
            the darkest and brightest levels.
        ignore: level(s) on the 8-bit scale (0-255) left out of the histogram, e.g. a background
            value; for uint16 and float32 they mean ``level * max / 255``.

    A channel with a single level is unchanged. Without cutoff or ignore, float32 uses its exact
    minimum and maximum; otherwise they come from its 65536-bin histogram.

    >>> autocontrast(np.array([[0, 10, 20, 255]], np.uint8), ignore=255).tolist()
    [[0, 127, 255, 255]]
    """
    low, high = (float(cutoff), float(cutoff)) if np.isscalar(cutoff) else (float(cutoff[0]), float(cutoff[1]))  # type: ignore[index, arg-type]
    if not (0.0 <= low < 100.0 and 0.0 <= high < 100.0):
        raise ValueError(f"cutoff must be percentages in [0, 100); got {cutoff}")
    ignored = [] if ignore is None else [int(v) for v in np.asarray(ignore).reshape(-1)]
    if any(not 0 <= v <= 255 for v in ignored):
        raise ValueError(f"ignore must be levels in [0, 255]; got {ignore}")
    top = max_value(image.dtype)
    planes = split_planes(image) if image.ndim == 3 else [image]
    ranges: list[tuple[float, float] | None] = []
    for plane in planes:
        if low == 0.0 and high == 0.0 and not ignored:
            lo, hi = cv2.minMaxLoc(plane)[:2]
            ranges.append((lo, hi))
            continue
        hist = _histogram(plane)
        scale = 1 if len(hist) == 256 else 257
        for value in ignored:
            hist[value * scale] = 0
        found = _cut_range(hist, low, high)
        bins = 1.0 if plane.dtype != np.float32 else FLOAT_BINS
        ranges.append(None if found is None else (found[0] / bins, found[1] / bins))
    if image.dtype == np.float32:
        out_planes = []
        for plane, found in zip(planes, ranges, strict=True):
            if found is None or found[1] <= found[0]:
                out_planes.append(plane.copy())
                continue
            stretched = plane - np.float32(found[0])
            stretched *= np.float32(1.0 / (found[1] - found[0]))
            out_planes.append(np.clip(stretched, 0.0, 1.0, out=stretched))
        return merge_planes(out_planes, image)
    levels = np.arange(int(top) + 1, dtype=np.float64)
    tables = []
    for found in ranges:
        if found is None or found[1] <= found[0]:
            tables.append(levels.astype(np.int64))
            continue
        scale_f = top / (found[1] - found[0])
        tables.append(np.clip(np.floor(levels * scale_f + (-found[0] * scale_f)), 0, top).astype(np.int64))
    return _map_planes(image, planes, tables)


# ---------------------------------------------------------------------------------------------- CLAHE
def _clahe_levels(levels: np.ndarray, clip_limit: float, grid: tuple[int, int]) -> np.ndarray:
    """OpenCV's 8-bit CLAHE on a float32 plane of levels in [0, 255], without rounding.

    Same tiles (image padded by reflection to a multiple of the grid, as OpenCV does), same clip
    limit ``max(int(clip_limit * tile_area / 256), 1)`` and redistribution, same bilinear blending of
    the four nearest tile maps; a level between two integers interpolates the maps linearly.
    """
    columns, rows = grid
    height, width = levels.shape
    bins = np.clip(np.floor(levels + np.float32(0.5)), 0, 255).astype(np.uint8)
    if height % rows or width % columns:
        bins = cv2.copyMakeBorder(bins, 0, rows - height % rows, 0, columns - width % columns, cv2.BORDER_REFLECT_101)
    tile_h, tile_w = bins.shape[0] // rows, bins.shape[1] // columns
    area = tile_h * tile_w
    tiles = bins[: rows * tile_h, : columns * tile_w].reshape(rows, tile_h, columns, tile_w).transpose(0, 2, 1, 3)
    offsets = (np.arange(rows * columns, dtype=np.int64) * 256).reshape(rows, columns, 1, 1)
    hist = np.bincount((tiles + offsets).reshape(-1), minlength=rows * columns * 256).reshape(-1, 256)
    if clip_limit > 0:
        limit = max(int(clip_limit * area / 256), 1)
        excess = np.maximum(hist - limit, 0).sum(axis=1)
        np.minimum(hist, limit, out=hist)
        batch, residual = excess // 256, excess % 256
        hist += batch[:, None]
        step = np.maximum(256 // np.maximum(residual, 1), 1)[:, None]
        index = np.arange(256)[None, :]
        hist += ((index % step == 0) & (index // step < residual[:, None])).astype(hist.dtype)
    maps = (np.cumsum(hist, axis=1) * (255.0 / area)).astype(np.float32)
    slopes = np.diff(maps, axis=1, append=maps[:, -1:])

    def neighbours(count: int, size: int, tile: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        position = np.arange(size, dtype=np.float32) * np.float32(1.0 / tile) - np.float32(0.5)
        first = np.floor(position)
        weight = position - first
        first_i = first.astype(np.int64)
        return np.maximum(first_i, 0), np.minimum(first_i + 1, count - 1), weight

    y1, y2, wy = neighbours(rows, height, tile_h)
    x1, x2, wx = neighbours(columns, width, tile_w)
    base = np.clip(np.floor(levels), 0, 254).astype(np.int64)
    fraction = levels - base.astype(np.float32)

    def lookup(tile_rows: np.ndarray, tile_columns: np.ndarray) -> np.ndarray:
        index = (tile_rows[:, None] * columns + tile_columns[None, :]) * 256 + base
        return maps.reshape(-1)[index] + fraction * slopes.reshape(-1)[index]

    left = lookup(y1, x1) * (1 - wx) + lookup(y1, x2) * wx
    right = lookup(y2, x1) * (1 - wx) + lookup(y2, x2) * wx
    out = left * (1 - wy)[:, None] + right * wy[:, None]
    return np.clip(out, 0.0, 255.0).astype(np.float32)


def _clahe_plane(plane: np.ndarray, clip_limit: float, grid: tuple[int, int]) -> np.ndarray:
    if plane.dtype == np.uint8:
        return cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=grid).apply(plane)
    top = max_value(plane.dtype)
    out = _clahe_levels(plane.astype(np.float32) * np.float32(255.0 / top), clip_limit, grid)
    if plane.dtype == np.float32:
        out *= np.float32(1.0 / 255.0)
        return out
    out *= np.float32(top / 255.0)
    out += np.float32(0.5)
    return out.astype(plane.dtype)


def clahe(image: np.ndarray, clip_limit: float = 2.0, tile_grid_size: tuple[int, int] = (8, 8)) -> np.ndarray:
    """Contrast-limited adaptive histogram equalization (OpenCV's CLAHE).

    An RGB image (3 channels) is equalized on the lightness of CIELAB, as Albumentations does; any
    other channel count channel by channel. ``tile_grid_size`` is ``(columns, rows)`` as in OpenCV;
    ``clip_limit`` is relative to the mean bin count. uint8 calls OpenCV directly; uint16 and float32
    run the same 256-bin algorithm in numpy, interpolating the tile maps between levels, so the
    clip limit means the same at every bit depth (OpenCV's 16-bit CLAHE uses 65536 bins, where a
    clip limit barely acts on ordinary tile sizes).

    >>> ramp = np.tile(np.arange(100, 132, dtype=np.uint8), (32, 1))  # levels 100 to 131
    >>> out = clahe(ramp, clip_limit=4.0, tile_grid_size=(2, 2))
    >>> int(out.max()) - int(out.min())
    90
    """
    grid = (int(tile_grid_size[0]), int(tile_grid_size[1]))
    if clip_limit < 0 or min(grid) < 1:
        raise ValueError(f"clip_limit must be >= 0 and tile_grid_size positive; got {clip_limit}, {tile_grid_size}")
    if image.ndim == 3 and image.shape[2] == 3:
        if image.dtype == np.uint8:
            lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
            lab[:, :, 0] = _clahe_plane(np.ascontiguousarray(lab[:, :, 0]), clip_limit, grid)
            return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
        top = max_value(image.dtype)
        unit = image.astype(np.float32) * np.float32(1.0 / top) if image.dtype != np.float32 else image
        lab = cv2.cvtColor(unit, cv2.COLOR_RGB2LAB)  # L in [0, 100]
        lab[:, :, 0] = _clahe_levels(lab[:, :, 0] * np.float32(2.55), clip_limit, grid) * np.float32(1.0 / 2.55)
        rgb = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
        np.clip(rgb, 0.0, 1.0, out=rgb)
        if image.dtype == np.float32:
            return rgb
        rgb *= np.float32(top)
        rgb += np.float32(0.5)
        return rgb.astype(image.dtype)
    planes = split_planes(image) if image.ndim == 3 else [image]
    return merge_planes([_clahe_plane(plane, clip_limit, grid) for plane in planes], image)
