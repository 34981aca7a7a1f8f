"""Blur kernels: Gaussian, box, median, motion, defocus, zoom and glass blur.

Every kernel takes an H x W or H x W x C image (uint8, uint16 or float32 in [0, 1]; any channel count)
and returns a new C-contiguous array of the same dtype and shape. Borders reflect without repeating
the edge pixel (OpenCV's default, ``dcb|abcd|cba``) except the median, which repeats the edge pixel
as OpenCV's ``medianBlur`` does. Images wider than OpenCV's channel limit are filtered in groups.

>>> import numpy as np
>>> box_blur(np.array([[0, 0, 9, 0, 0]], dtype=np.uint8), 3).tolist()
[[0, 3, 3, 3, 0]]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import CV_MAX_CHANNELS, by_channel_groups, keep_channels

__all__ = [
    "box_blur",
    "convolve",
    "defocus",
    "defocus_kernel",
    "gaussian_blur",
    "gaussian_kernel_size",
    "glass_blur",
    "median_blur",
    "motion_blur",
    "motion_kernel",
    "zoom_blur",
    "zoom_factors",
]

_REFLECT = cv2.BORDER_REFLECT_101


def _contiguous(image: np.ndarray) -> np.ndarray:
    return image if image.flags.c_contiguous else np.ascontiguousarray(image)


def _cv(func: Callable[[np.ndarray], np.ndarray], image: np.ndarray, group: int = CV_MAX_CHANNELS) -> np.ndarray:
    """Run an OpenCV filter on any channel count (in groups when the image is too wide). OpenCV reads
    views with contiguous rows (crops) in place and copies other layouts itself."""
    return by_channel_groups(func, image, group)


def _check_odd(name: str, ksize: int, low: int = 1) -> None:
    if ksize < low or ksize % 2 == 0:
        raise ValueError(f"{name} expects an odd kernel size >= {low}; got {ksize}")


def _from_float(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Round (integer dtypes) and saturate float32 ``values`` to ``dtype``'s range; may reuse ``values``."""
    if dtype == np.uint8:
        return keep_channels(cv2.convertScaleAbs(values), values)  # rounds to nearest, saturates to [0, 255]
    if dtype == np.uint16:
        np.rint(values, out=values)
        np.clip(values, 0.0, 65535.0, out=values)
        return values.astype(np.uint16)
    return np.clip(values, 0.0, 1.0, out=values)


def convolve(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Correlate ``image`` with a 2-D ``kernel`` (``cv2.filter2D``); saturates to the dtype's range.

    >>> convolve(np.array([[0, 10, 0]], dtype=np.uint8), np.array([[0.5, 0.5, 0.0]])).tolist()
    [[5, 5, 5]]
    """
    weights = np.asarray(kernel, dtype=np.float32)
    out = _cv(lambda a: cv2.filter2D(a, -1, weights, borderType=_REFLECT), image)
    if out.dtype == np.float32:
        np.clip(out, 0.0, 1.0, out=out)
    return out


# ---------------------------------------------------------------------------------------------- Gaussian and box
def gaussian_kernel_size(sigma: float) -> int:
    """The odd kernel size that covers +-3 sigma (OpenCV's rule for 8-bit images), at least 3.

    >>> gaussian_kernel_size(1.0), gaussian_kernel_size(0.7)
    (7, 5)
    """
    return max(3, round(sigma * 6.0 + 1.0) | 1)


def gaussian_blur(image: np.ndarray, ksize: int, sigma: float = 0.0) -> np.ndarray:
    """Gaussian blur with an odd ``ksize`` x ``ksize`` kernel (OpenCV's weights).

    ``sigma=0`` derives sigma from the size as OpenCV does (``0.3 * ((ksize - 1) / 2 - 1) + 0.8``,
    and OpenCV's fixed binomial tables for sizes 3, 5 and 7); ``ksize=0`` derives the size from
    ``sigma`` with :func:`gaussian_kernel_size`. uint8 images with ``sigma=0`` and sizes 3 and 5 use
    ``cv2.GaussianBlur``'s fixed-point path; other uint8 cases a float32 ``cv2.sepFilter2D`` with the
    same weights (faster there; within 1 level of ``cv2.GaussianBlur``).

    >>> gaussian_blur(np.array([[0, 0, 16, 0, 0]], dtype=np.uint8), 3).tolist()
    [[0, 4, 8, 4, 0]]
    """
    if sigma < 0:
        raise ValueError(f"gaussian_blur expects sigma >= 0; got {sigma}")
    if ksize == 0:
        if sigma == 0:
            raise ValueError("gaussian_blur needs ksize or sigma > 0")
        ksize = gaussian_kernel_size(sigma)
    _check_odd("gaussian_blur", ksize)
    if image.dtype == np.uint8 and (sigma > 0 or ksize > 5):
        # OpenCV's bit-exact fixed-point path is only faster for its integer tables (sizes 3 and 5):
        # otherwise a float32 separable filter with the same weights is (same result within 1 level)
        taps = cv2.getGaussianKernel(ksize, sigma, cv2.CV_32F)
        return _cv(lambda a: cv2.sepFilter2D(a, -1, taps, taps, borderType=_REFLECT), image)
    size = (ksize, ksize)
    return _cv(lambda a: cv2.GaussianBlur(a, size, sigmaX=sigma, sigmaY=sigma, borderType=_REFLECT), image)


def box_blur(image: np.ndarray, ksize: int) -> np.ndarray:
    """Mean over an odd ``ksize`` x ``ksize`` square (``cv2.blur``)."""
    _check_odd("box_blur", ksize)
    size = (ksize, ksize)
    return _cv(lambda a: cv2.blur(a, size, borderType=_REFLECT), image)


# ---------------------------------------------------------------------------------------------- median
def median_blur(image: np.ndarray, ksize: int) -> np.ndarray:
    """Median over an odd ``ksize`` x ``ksize`` square; the edge pixel repeats past the border.

    uint8 images (any size) and sizes 3 and 5 go through ``cv2.medianBlur``. OpenCV has no larger
    median for uint16 and float32, so those run an exact, vectorized median: every column of the
    window is sorted once and shared by all windows, then a pruned Batcher merging network keeps
    only the comparisons that reach the median (a few hundred ``np.minimum``/``np.maximum`` calls,
    processed in cache-sized row strips). The result equals ``scipy.ndimage.median_filter`` with
    ``mode="nearest"``, only faster; it costs tens of milliseconds on a 500 x 375 RGB image.

    >>> median_blur(np.array([[0, 9, 1, 8, 2]], dtype=np.uint16), 3).tolist()
    [[0, 1, 8, 2, 2]]
    """
    _check_odd("median_blur", ksize)
    if ksize == 1:
        return _contiguous(image).copy()
    if image.dtype == np.uint8 or ksize <= 5:
        if image.dtype == np.uint8 and ksize > 5 and image.ndim == 3 and image.shape[2] not in (1, 3, 4):
            # OpenCV's large-kernel 8-bit median takes 1, 3 or 4 channels: go by 4, a last pair one by one
            src = _contiguous(image)
            parts = [median_blur(src[:, :, i : i + 4], ksize) for i in range(0, src.shape[2] - src.shape[2] % 4, 4)]
            parts += [median_blur(src[:, :, i : i + 1], ksize) for i in range(src.shape[2] - src.shape[2] % 4, src.shape[2])]
            return np.concatenate(parts, axis=2)
        return _cv(lambda a: cv2.medianBlur(a, ksize), image)
    return _median_network(_contiguous(image), ksize)


def _pow2(n: int) -> int:
    return 1 << max(0, (n - 1).bit_length())


def _batcher(n: int) -> list[tuple[int, int, int]]:
    """``(p, low, high)`` comparators of Batcher's odd-even merge sort on ``n`` (a power of two) wires;
    ``p`` is the length of the sorted runs being merged."""
    out = []
    p = 1
    while p < n:
        k = p
        while k >= 1:
            for j in range(k % p, n - k, 2 * k):
                for i in range(min(k, n - j - k)):
                    if (i + j) // (2 * p) == (i + j + k) // (2 * p):
                        out.append((p, i + j, i + j + k))
            k //= 2
        p *= 2
    return out


Plan = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int, int, int, tuple[int, ...]], ...], int]


@functools.lru_cache(maxsize=16)
def _median_plan(ksize: int) -> Plan:
    """Compile the median network for a ``ksize`` x ``ksize`` window.

    Returns the column-sort comparators (on ``ksize`` rows), the merge steps
    ``(a, b, min_slot, max_slot, slots_to_free)`` on slots ``column * ksize + rank`` (a slot of -1 is
    not needed) and the slot that ends up holding the median.
    """
    columns = tuple((a, b) for _, a, b in _batcher(_pow2(ksize)) if b < ksize)
    group = _pow2(ksize)
    wires: list[int] = [-1] * (group * group)  # -1: a padding wire that holds +infinity
    for column in range(ksize):
        for rank in range(ksize):
            wires[column * group + rank] = column * ksize + rank
    slots = ksize * ksize
    steps: list[tuple[int, int, int, int]] = []
    for p, a, b in _batcher(group * group):
        if p < group:  # merges inside a column: the columns are sorted already
            continue
        low, high = wires[a], wires[b]
        if high < 0:
            continue
        if low < 0:  # +infinity meets a value: the value moves down
            wires[a], wires[b] = high, -1
            continue
        steps.append((low, high, slots, slots + 1))
        wires[a], wires[b] = slots, slots + 1
        slots += 2
    target = wires[(ksize * ksize) // 2]
    live = {target}
    kept: list[tuple[int, int, int, int]] = []
    for low, high, out_min, out_max in reversed(steps):
        need_min, need_max = out_min in live, out_max in live
        if need_min or need_max:
            kept.append((low, high, out_min if need_min else -1, out_max if need_max else -1))
            live.update((low, high))
    kept.reverse()
    last_use = {}
    for index, (low, high, _, _) in enumerate(kept):
        last_use[low] = last_use[high] = index
    plan = tuple(
        (low, high, out_min, out_max, tuple(s for s in {low, high} if last_use[s] == index))
        for index, (low, high, out_min, out_max) in enumerate(kept)
    )
    return columns, plan, target


def _median_network(image: np.ndarray, ksize: int) -> np.ndarray:
    radius = ksize // 2
    height, width = image.shape[:2]
    channels = image.shape[2:]
    padded = np.pad(image, ((radius, radius), (radius, radius)) + ((0, 0),) * len(channels), mode="edge")
    columns, plan, target = _median_plan(ksize)
    row_bytes = padded.strides[0]
    strip = max(4, min(height, 65536 // max(1, row_bytes)))
    out = np.empty_like(image)
    minimum, maximum = np.minimum, np.maximum
    for top in range(0, height, strip):
        rows = min(strip, height - top)
        sorted_rows = [padded[top + dy : top + dy + rows] for dy in range(ksize)]
        for a, b in columns:
            low = minimum(sorted_rows[a], sorted_rows[b])
            sorted_rows[b] = maximum(sorted_rows[a], sorted_rows[b])
            sorted_rows[a] = low
        slots = {c * ksize + r: sorted_rows[r][:, c : c + width] for c in range(ksize) for r in range(ksize)}
        for a, b, out_min, out_max, free in plan:
            x, y = slots[a], slots[b]
            if out_min >= 0:
                slots[out_min] = minimum(x, y)
            if out_max >= 0:
                slots[out_max] = maximum(x, y)
            for slot in free:
                del slots[slot]
        out[top : top + rows] = slots[target]
    return out


# ---------------------------------------------------------------------------------------------- motion
def motion_kernel(ksize: int, angle: float, direction: float = 0.0, shift: Sequence[float] = (0.0, 0.0)) -> np.ndarray:
    """A normalized ``ksize`` x ``ksize`` line kernel (float32, sums to 1).

    The line passes through the centre (moved by ``shift = (dx, dy)`` pixels) at ``angle`` degrees,
    measured from the +x axis towards +y (image rows grow downwards). ``direction`` in [-1, 1]
    biases it: 0 is symmetric, 1 keeps only the forward half, -1 only the backward half.

    >>> motion_kernel(3, 0.0).tolist()[1]
    [0.3333333432674408, 0.3333333432674408, 0.3333333432674408]
    """
    _check_odd("motion_kernel", ksize, 3)
    half = ksize // 2
    start, end = float(-half), float(half)
    if direction > 0:
        start = -half * (1.0 - min(direction, 1.0))
    elif direction < 0:
        end = half * (1.0 - min(-direction, 1.0))
    theta = math.radians(angle)
    # one sample per pixel along the major axis: a thin, 8-connected line
    samples = max(2, round((end - start) * max(abs(math.cos(theta)), abs(math.sin(theta)))) + 1)
    t = np.arange(samples) * ((end - start) / (samples - 1)) + start
    # round half up: floor(v + 0.5), by truncation after an offset of 2 * ksize that keeps v positive
    x = (t * math.cos(theta) + (half + shift[0] + 0.5 + 2 * ksize)).astype(np.intp) - 2 * ksize
    y = (t * math.sin(theta) + (half + shift[1] + 0.5 + 2 * ksize)).astype(np.intp) - 2 * ksize
    inside = (x >= 0) & (x < ksize) & (y >= 0) & (y < ksize)
    kernel = np.zeros((ksize, ksize), np.float32)
    kernel[y[inside], x[inside]] = 1.0
    if not kernel.any():
        kernel[half, half] = 1.0
    kernel /= kernel.sum()
    return kernel


def motion_blur(
    image: np.ndarray, ksize: int, angle: float, direction: float = 0.0, shift: Sequence[float] = (0.0, 0.0)
) -> np.ndarray:
    """Blur along a line: :func:`convolve` with :func:`motion_kernel`."""
    return convolve(image, motion_kernel(ksize, angle, direction, shift))


# ---------------------------------------------------------------------------------------------- defocus
def _alias_margin(alias_blur: float) -> int:
    return max(1, math.ceil(2.0 * alias_blur)) if alias_blur > 0 else 0


def _disc_widths(radius: int) -> list[int]:
    """Half-widths of the disc ``x^2 + y^2 <= radius^2`` for rows ``-radius .. radius``."""
    return [math.isqrt(radius * radius - dy * dy) for dy in range(-radius, radius + 1)]


def defocus_kernel(radius: int, alias_blur: float) -> np.ndarray:
    """The defocus kernel: a disc of ``radius`` pixels softened by a Gaussian of sigma ``alias_blur``
    (0: a hard edge), normalized to sum 1 (float32).

    >>> (defocus_kernel(1, 0.0) * 5).round(6).tolist()
    [[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]
    """
    margin = _alias_margin(alias_blur)
    size = 2 * (radius + margin) + 1
    disc: np.ndarray = np.zeros((size, size), np.float64)
    for row, half in enumerate(_disc_widths(radius)):
        centre = radius + margin
        disc[row + margin, centre - half : centre + half + 1] = 1.0
    soft: np.ndarray = disc
    if margin:
        taps = np.exp(-0.5 * (np.arange(-margin, margin + 1) / alias_blur) ** 2)
        taps /= taps.sum()
        soft = cv2.sepFilter2D(disc, -1, taps, taps, borderType=cv2.BORDER_CONSTANT)
    return (soft / soft.sum()).astype(np.float32)


def defocus(image: np.ndarray, radius: int, alias_blur: float) -> np.ndarray:
    """Out-of-focus blur: the mean over a disc of ``radius`` pixels, then a Gaussian of sigma
    ``alias_blur`` that softens the disc's edge (see :func:`defocus_kernel`).

    The disc is summed exactly as horizontal box sums of its rows (one ``cv2.boxFilter`` per distinct
    row width, then shifted adds in float32), which is several times faster than a 2-D convolution
    with the full kernel; away from the borders both agree to rounding.

    >>> out = defocus(np.full((8, 8), 100, np.uint8), 2, 0.3)
    >>> int(out.min()), int(out.max())
    (100, 100)
    """
    if radius < 1:
        raise ValueError(f"defocus expects radius >= 1; got {radius}")
    if alias_blur < 0:
        raise ValueError(f"defocus expects alias_blur >= 0; got {alias_blur}")
    return _cv(lambda a: _defocus_group(a, radius, alias_blur), image)


def _defocus_group(image: np.ndarray, radius: int, alias_blur: float) -> np.ndarray:
    height = image.shape[0]
    padded = cv2.copyMakeBorder(image, radius, radius, 0, 0, _REFLECT)
    widths = _disc_widths(radius)
    total: np.ndarray | None = None
    for half in sorted(set(widths)):
        rows = cv2.boxFilter(padded, cv2.CV_32F, (2 * half + 1, 1), normalize=False, borderType=_REFLECT)
        for offset, width in enumerate(widths):
            if width != half:
                continue
            part = rows[offset : offset + height]
            if total is None:
                total = part.copy()
            else:
                cv2.add(total, part, dst=total)
    assert total is not None
    total *= np.float32(1.0 / sum(2 * w + 1 for w in widths))
    margin = _alias_margin(alias_blur)
    if margin:
        taps = np.exp(-0.5 * (np.arange(-margin, margin + 1) / alias_blur) ** 2)
        taps = (taps / taps.sum()).astype(np.float32)
        total = cv2.sepFilter2D(total, -1, taps, taps, borderType=_REFLECT)
    return _from_float(total, image.dtype)


# ---------------------------------------------------------------------------------------------- zoom
def zoom_factors(max_factor: float, step: float) -> list[float]:
    """The zooms averaged by :func:`zoom_blur`: ``1, 1 + step, ...`` below ``max_factor`` (at least ``[1]``)."""
    count = max(1, math.ceil((max_factor - 1.0) / step - 1e-9))
    return [1.0 + step * i for i in range(count)]


def zoom_blur(image: np.ndarray, max_factor: float, step: float) -> np.ndarray:
    """Average the image with centre zooms of it by ``1, 1 + step, ...`` (below ``max_factor``).

    As in Albumentations, the image enters once more on its own: the output is
    ``(image + sum(zoom(image, f) for f in zoom_factors(max_factor, step))) / (count + 1)``.
    Each zoom crops the centre (whole pixels) and resizes it bilinearly to the full size.

    >>> zoom_blur(np.full((6, 6), 50, np.uint8), 1.2, 0.05)[0].tolist()
    [50, 50, 50, 50, 50, 50]
    """
    if step <= 0:
        raise ValueError(f"zoom_blur expects step > 0; got {step}")
    factors = zoom_factors(max_factor, step)
    src = _contiguous(image)
    height, width = src.shape[:2]
    values = src.astype(np.float32)  # OpenCV resizes float32 faster than uint8, and without rounding
    total = values * np.float32(2.0)  # the image itself and its zoom by 1
    for factor in factors[1:]:
        crop_h, crop_w = min(height, math.ceil(height / factor)), min(width, math.ceil(width / factor))
        top, left = (height - crop_h) // 2, (width - crop_w) // 2
        crop = values[top : top + crop_h, left : left + crop_w]
        zoomed = _cv(lambda a: cv2.resize(a, (width, height), interpolation=cv2.INTER_LINEAR), crop)
        cv2.add(total, zoomed, dst=total)
    total *= np.float32(1.0 / (len(factors) + 1))
    return _from_float(total, src.dtype)


# ---------------------------------------------------------------------------------------------- glass
def glass_blur(image: np.ndarray, sigma: float, max_delta: int, iterations: int, seed: int, mode: str = "fast") -> np.ndarray:
    """Frosted glass: Gaussian blur, swap pixels with random neighbours, blur again.

    Every pixel at least ``max_delta + 1`` pixels from the top/left and ``max_delta`` from the
    bottom/right edge, visited bottom-right to top-left, swaps with the pixel at a random offset
    ``(dy, dx)`` in ``[-max_delta, max_delta)`` (drawn from ``numpy.random.default_rng(seed)``), in
    ``iterations`` passes. ``mode="exact"`` performs the swaps one after another, exactly as that
    loop reads; it is vectorized over anti-diagonal wavefronts of mutually independent swaps (tens of
    milliseconds). ``mode="fast"`` performs each pass at once, as Albumentations' fast mode does:
    every pixel takes its partner's value, and where several swaps touch one pixel the last wins
    (so a few values are duplicated or lost). ``sigma=0`` skips both blurs.

    >>> out = glass_blur(np.full((12, 12), 7, np.uint8), 0.7, 2, 1, seed=0)
    >>> bool((out == 7).all())
    True
    """
    if mode not in ("fast", "exact"):
        raise ValueError(f"glass_blur expects mode 'fast' or 'exact'; got {mode!r}")
    if sigma < 0 or max_delta < 1 or iterations < 0:
        got = f"{sigma}, {max_delta}, {iterations}"
        raise ValueError(f"glass_blur expects sigma >= 0, max_delta >= 1 and iterations >= 0; got {got}")
    blurred = gaussian_blur(image, gaussian_kernel_size(sigma), sigma) if sigma > 0 else _contiguous(image).copy()
    height, width = blurred.shape[:2]
    perm = _glass_permutation(height, width, max_delta, iterations, seed, mode)
    if perm is not None:
        pixels = blurred.reshape(height * width, -1)
        as_records = pixels.view(np.dtype((np.void, pixels.shape[1] * pixels.itemsize)))
        blurred = as_records[perm].view(blurred.dtype).reshape(blurred.shape)
    return gaussian_blur(blurred, gaussian_kernel_size(sigma), sigma) if sigma > 0 else blurred


def _glass_permutation(height: int, width: int, delta: int, iterations: int, seed: int, mode: str) -> np.ndarray | None:
    """Flat source index of every output pixel after the swaps (None when nothing moves)."""
    rows = np.arange(height - delta, delta, -1)
    cols = np.arange(width - delta, delta, -1)
    if rows.size == 0 or cols.size == 0 or iterations == 0:
        return None
    positions = (rows[:, None] * width + cols[None, :]).ravel()
    offsets = np.random.default_rng(seed).integers(-delta, delta, size=(iterations, positions.size, 2))
    perm = np.arange(height * width)
    if mode == "fast":
        for dyx in offsets:
            partners = positions + dyx[:, 0] * width + dyx[:, 1]
            here, there = perm[positions], perm[partners]
            perm[positions] = there
            perm[partners] = here
        return perm
    # exact: swaps touching a common pixel lie within 2 * delta of each other; with step
    # (H - 1 - y) * (2 * delta + 1) + (W - 1 - x) every such pair keeps its order and the swaps of one
    # step are at least 2 * delta + 1 apart, so each step can run at once.
    ys, xs = np.divmod(positions, width)
    steps = (height - 1 - ys) * (2 * delta + 1) + (width - 1 - xs)
    order = np.argsort(steps, kind="stable")
    bounds = np.flatnonzero(np.diff(steps[order])) + 1
    groups = np.split(order, bounds)
    for dyx in offsets:
        partners = positions + dyx[:, 0] * width + dyx[:, 1]
        for group in groups:
            a, b = positions[group], partners[group]
            perm[a], perm[b] = perm[b], perm[a]
    return perm
