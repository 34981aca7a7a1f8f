"""Time-axis kernels on ``(N, T, C)`` batches: resampling at fractional positions, crop, resize,
reverse, segment permutation, dropout, pooling and kernel smoothing.

Every kernel that moves steps is expressed through *source positions*: an ``(N, T')`` float array
saying, for each output step, where in the input it is read (linear interpolation between the two
neighbouring steps). :func:`nearest_steps` moves per-step labels with the same positions, rounded to
the nearest step (labels are never interpolated). Kernels keep the dtype (float32 or float64), never
modify their input and return new C-contiguous arrays.

>>> import numpy as np
>>> x = np.arange(4.0).reshape(1, 4, 1)
>>> resample_at(x, np.array([[0.0, 1.5, 3.0]]))[0, :, 0].tolist()
[0.0, 1.5, 3.0]
>>> nearest_steps(np.array([[[0], [1], [2], [3]]]), np.array([[0.0, 1.4, 1.6]]))[0, :, 0].tolist()
[0, 1, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "channel_reduce",
    "convolve",
    "crop",
    "crop_positions",
    "dropout",
    "dropout_mask",
    "nearest_steps",
    "permutation_index",
    "permute",
    "pool",
    "resample_at",
    "resize",
    "resize_positions",
    "reverse",
    "smoothing_window",
    "take_steps",
]


def _rows(positions: np.ndarray, count: int) -> np.ndarray:
    pos = np.asarray(positions, dtype=np.float64)
    if pos.ndim == 1:
        pos = np.broadcast_to(pos, (count, pos.shape[0]))
    if pos.ndim != 2 or pos.shape[0] != count:
        raise ValueError(f"positions expects shape (T',) or ({count}, T'); got {pos.shape}")
    return pos


def _step_view(x: np.ndarray) -> np.ndarray | None:
    """A C-contiguous ``(N, T, ...)`` array as ``(N, T)`` opaque items, one per step (None for object arrays)."""
    width = x.dtype.itemsize * int(np.prod(x.shape[2:], dtype=np.int64))
    if x.dtype.hasobject or width == 0 or not x.flags.c_contiguous:
        return None
    return x.reshape(x.shape[0] * x.shape[1], -1).view(np.dtype((np.void, width))).reshape(x.shape[:2])


def take_steps(array: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Gather whole steps: ``out[n, t] = array[n, index[n, t]]`` for an ``(N, T, ...)`` array and an
    ``(N, T')`` integer index (in range). Each step is moved as one opaque item (a void view of its
    channels), which is several times faster than numpy's fancy indexing over a short channel axis.

    >>> take_steps(np.arange(6).reshape(1, 3, 2), np.array([[2, 0]])).tolist()
    [[[4, 5], [0, 1]]]
    """
    x = np.ascontiguousarray(array)
    count, length = x.shape[:2]
    tail = x.shape[2:]
    flat_index = np.asarray(index, dtype=np.intp) + (np.arange(count, dtype=np.intp) * length)[:, None]
    steps = _step_view(x)
    if steps is None:
        return np.take(x.reshape(count * length, *tail), flat_index, axis=0)
    return np.take(steps.reshape(-1), flat_index).view(x.dtype).reshape(*flat_index.shape, *tail)


def _shared_resample(x: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """``resample_at`` for positions shared by the batch: column gathers on the ``(N, T * C)`` view."""
    count, length, channels = x.shape
    low = pos.astype(np.intp)
    high = np.minimum(low + 1, length - 1)
    lanes = np.arange(channels, dtype=np.intp)
    flat = x.reshape(count, length * channels)
    out = np.take(flat, (low[:, None] * channels + lanes).reshape(-1), axis=1)
    weight = pos - low
    if weight.any():
        gap = np.take(flat, (high[:, None] * channels + lanes).reshape(-1), axis=1)
        gap -= out
        gap *= np.repeat(weight.astype(x.dtype), channels)
        out += gap
    return out.reshape(count, len(pos), channels)


def resample_at(series: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Read each series at fractional step positions, by linear interpolation.

    ``positions`` is ``(N, T')`` (or ``(T',)``, shared by the batch), in steps of the input; values
    outside ``[0, T - 1]`` are clamped. Integral positions give the input values exactly.

    >>> resample_at(np.array([[[0.0], [10.0]]]), np.array([0.25, 1.0]))[0, :, 0].tolist()
    [2.5, 10.0]
    """
    x = np.ascontiguousarray(series)
    count, length, channels = x.shape
    given = np.asarray(positions, dtype=np.float64)
    if given.ndim == 1:
        return _shared_resample(x, np.clip(given, 0.0, length - 1.0))
    pos = np.clip(_rows(given, count), 0.0, length - 1.0)
    low = pos.astype(np.intp)
    pos -= low  # now the weights
    out = take_steps(x, low)
    if not pos.any():
        return out
    np.minimum(low + 1, length - 1, out=low)
    gap = take_steps(x, low)
    gap -= out
    gap *= np.repeat(pos.astype(x.dtype), channels, axis=1).reshape(gap.shape)
    out += gap
    return out


def nearest_steps(labels: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Move ``(N, T, L)`` per-step labels to ``positions`` (as :func:`resample_at` reads the series),
    taking the nearest step (halves round up); labels are never interpolated.

    >>> nearest_steps(np.array([[[5], [6], [7]]]), np.array([2.0, 0.5, 0.49]))[0, :, 0].tolist()
    [7, 6, 5]
    """
    y = np.asarray(labels)
    count, length = y.shape[:2]
    pos = _rows(positions, count)
    return take_steps(y, np.clip(np.floor(pos + 0.5), 0, length - 1).astype(np.intp))


def reverse(series: np.ndarray) -> np.ndarray:
    """Reverse time.

    >>> reverse(np.arange(3.0).reshape(1, 3, 1))[0, :, 0].tolist()
    [2.0, 1.0, 0.0]
    """
    x = np.ascontiguousarray(series)
    if x.dtype in (np.float32, np.float64) and x.ndim == 3 and 1 <= x.shape[2] <= 4 and x.shape[0] < 2**31:
        import cv2  # a flip of the (N, T) "image" with C channels: several times faster than numpy's strided copy

        return cv2.flip(x, 1).reshape(x.shape)
    steps = _step_view(x)
    if steps is None:
        return np.ascontiguousarray(x[:, ::-1])
    return np.ascontiguousarray(steps[:, ::-1]).view(x.dtype).reshape(x.shape)


def resize_positions(length: int, size: int) -> np.ndarray:
    """Source positions of a linear resize from ``length`` to ``size`` steps (end points kept).

    >>> resize_positions(5, 3).tolist()
    [0.0, 2.0, 4.0]
    """
    if size == 1:
        return np.array([(length - 1) / 2.0])
    return np.linspace(0.0, length - 1.0, size)


def resize(series: np.ndarray, size: int) -> np.ndarray:
    """Resample every series to ``size`` steps by linear interpolation, keeping both end points
    (tsaug's ``Resize``; ``size=1`` gives the mean of the two end points, as tsaug does).

    >>> resize(np.array([[[0.0], [1.0], [4.0]]]), 5)[0, :, 0].tolist()
    [0.0, 0.5, 1.0, 2.5, 4.0]
    """
    x = np.asarray(series)
    if size == 1:
        return np.ascontiguousarray((x[:, :1] + x[:, -1:]) / x.dtype.type(2))
    if size == x.shape[1]:
        return x.copy()
    return resample_at(x, resize_positions(x.shape[1], size))


def crop_positions(starts: Sequence[int] | np.ndarray, sizes: Sequence[int] | np.ndarray | int, out_size: int) -> np.ndarray:
    """Source positions of crops ``[start, start + size)`` resized to ``out_size`` steps: ``(N, out_size)``.

    >>> crop_positions([2], 3, 3).tolist()
    [[2.0, 3.0, 4.0]]
    """
    start = np.asarray(starts, dtype=np.float64).reshape(-1, 1)
    size = np.broadcast_to(np.asarray(sizes, dtype=np.float64).reshape(-1, 1), start.shape)
    if out_size == 1:
        return start + (size - 1.0) / 2.0
    return start + (size - 1.0) * np.linspace(0.0, 1.0, out_size)


def crop(series: np.ndarray, starts: Sequence[int] | np.ndarray, size: int) -> np.ndarray:
    """Cut ``size`` steps from each series, starting at ``starts[n]`` (no interpolation).

    >>> crop(np.arange(10.0).reshape(2, 5, 1), [0, 2], 3)[..., 0].tolist()
    [[0.0, 1.0, 2.0], [7.0, 8.0, 9.0]]
    """
    x = np.ascontiguousarray(series)
    count, length = x.shape[:2]
    tail = x.shape[2:]
    width = int(np.prod(tail, dtype=np.int64))
    rows = x.reshape(count, length * width)
    windows = np.lib.stride_tricks.sliding_window_view(rows, size * width, axis=1)[:, ::width] if width else None
    if windows is None:
        return take_steps(x, np.asarray(starts, dtype=np.intp).reshape(-1, 1) + np.arange(size, dtype=np.intp))
    return windows[np.arange(count), np.asarray(starts, dtype=np.intp).reshape(count)].reshape(count, size, *tail)


def permutation_index(length: int, cuts: Sequence[Sequence[int]], orders: Sequence[Sequence[int]]) -> np.ndarray:
    """The ``(N, length)`` source index of a segment permutation.

    Series ``n`` is cut at the interior steps ``cuts[n]`` (sorted, in ``(0, length)``) into
    ``len(cuts[n]) + 1`` segments, which are laid out in the order ``orders[n]`` (a permutation of
    the segment numbers).

    >>> permutation_index(5, [[2]], [[1, 0]]).tolist()
    [[2, 3, 4, 0, 1]]
    """
    count = len(cuts)
    width = max((len(c) for c in cuts), default=0) + 1
    bounds = np.full((count, width + 1), length, dtype=np.intp)
    bounds[:, 0] = 0
    order = np.tile(np.arange(width, dtype=np.intp), (count, 1))
    for row, (cut, perm) in enumerate(zip(cuts, orders, strict=True)):
        bounds[row, 1 : len(cut) + 1] = cut
        order[row, : len(perm)] = perm
    lengths = np.diff(bounds, axis=1)  # (N, width); padded segments have length 0
    starts = bounds[:, :-1]
    out_lengths = np.take_along_axis(lengths, order, axis=1)
    out_starts = np.take_along_axis(starts, order, axis=1)
    out_offsets = np.cumsum(out_lengths, axis=1) - out_lengths
    shift = np.repeat((out_starts - out_offsets).ravel(), out_lengths.ravel())
    return (shift + np.tile(np.arange(length, dtype=np.intp), count)).reshape(count, length)


def permute(series: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Gather steps: ``out[n, t] = series[n, index[n, t]]`` (``index`` from :func:`permutation_index`).

    >>> permute(np.arange(3.0).reshape(1, 3, 1), np.array([[2, 0, 1]]))[0, :, 0].tolist()
    [2.0, 0.0, 1.0]
    """
    return take_steps(series, index)


def dropout_mask(
    seed: int,
    shape: tuple[int, int, int],
    rates: float | Sequence[float] | np.ndarray,
    sizes: tuple[int, int],
    keep: str = "none",
) -> np.ndarray:
    """The boolean ``(N, T, K)`` mask of dropped steps (``K`` is 1 for one mask shared by the channels).

    Blocks start at each step with probability ``rate / mean_size`` (so about ``rate`` of the steps are
    dropped; blocks may overlap) and last ``size`` steps, ``size`` uniform in the inclusive range
    ``sizes``; a run never passes the end of the series. ``rates`` is one rate, or one per row
    (``N`` or ``N * K`` values). ``keep="first"`` or ``"last"`` never drops that step (so
    forward/backward fills always have a source).

    >>> mask = dropout_mask(0, (2, 1000, 1), 0.1, (1, 1))
    >>> bool(0.07 < mask.mean() < 0.13)
    True
    """
    count, length, lanes = shape
    low, high = sizes
    rng = np.random.default_rng(seed)
    rate = np.asarray(rates, dtype=np.float64).reshape(-1)
    rows, total = count * lanes, count * length * lanes
    chance = np.clip(rate * 2.0 / (low + high), 0.0, 1.0)
    if rate.size == 1 and 0.0 < chance[0] < 1.0:
        # a Bernoulli field drawn sparsely: the gaps between starts are geometric
        expected = total * float(chance[0])
        gaps = rng.geometric(float(chance[0]), size=int(expected + 6.0 * expected**0.5 + 16))
        position = np.cumsum(gaps) - 1
        while position[-1] < total - 1:
            more = rng.geometric(float(chance[0]), size=int(expected * 0.1 + 16))
            position = np.concatenate([position, position[-1] + np.cumsum(more)])
        flat = position[position < total]  # positions in (rows, length), row = (series, lane)
    else:
        if rate.size not in (1, rows):
            raise ValueError(f"rates expects one rate or {rows} (one per series and lane); got {rate.size}")
        per_row = chance.reshape(-1, 1)
        flat = np.flatnonzero(rng.random((rows, length)) < per_row)
    span = rng.integers(low, high + 1, size=flat.size) if high > low else np.full(flat.size, low)
    fits = flat % length + span <= length  # runs stay inside the series (as tsaug's)
    flat, span = flat[fits], span[fits]
    dropped = np.zeros(total, dtype=bool)
    for offset in range(high):
        chosen = flat[span > offset] if high > low else flat
        dropped[chosen + offset] = True
    mask = dropped.reshape(count, lanes, length)
    if keep == "first":
        mask[:, :, 0] = False
    elif keep == "last":
        mask[:, :, -1] = False
    return np.ascontiguousarray(mask.transpose(0, 2, 1))


def _fill_sources(flat: np.ndarray, length: int, forward: bool) -> np.ndarray:
    """For dropped positions ``flat`` (sorted, in rows of ``length``), the step each one copies: the
    kept step before its run (``forward``) or after it; the other side when the row edge is reached."""
    row, step = np.divmod(flat, length)
    starts = np.ones(len(flat), dtype=bool)
    starts[1:] = (flat[1:] != flat[:-1] + 1) | (row[1:] != row[:-1])
    run = np.cumsum(starts) - 1
    ends = np.ones(len(flat), dtype=bool)
    ends[:-1] = starts[1:]
    before = step[starts][run] - 1
    after = step[ends][run] + 1
    if forward:
        return np.where(before >= 0, before, np.where(after < length, after, step))
    return np.where(after < length, after, np.where(before >= 0, before, step))


def dropout(series: np.ndarray, mask: np.ndarray, fill: str | float = "ffill") -> np.ndarray:
    """Replace the steps where ``mask`` (``(N, T, 1)`` or ``(N, T, C)``) is True.

    ``fill`` is ``"ffill"`` (the last kept value before), ``"bfill"`` (the next kept value), ``"mean"``
    (the mean of that channel of that series, over all its steps) or a number. A forward fill with
    no kept value before takes the next one (and vice versa). Only the dropped entries are touched.

    >>> x = np.array([[[1.0], [2.0], [3.0], [4.0]]])
    >>> m = np.array([[[False], [True], [True], [False]]])
    >>> dropout(x, m, "ffill")[0, :, 0].tolist(), dropout(x, m, "bfill")[0, :, 0].tolist()
    ([1.0, 1.0, 1.0, 4.0], [1.0, 4.0, 4.0, 4.0])
    """
    x = np.asarray(series)
    count, length, channels = x.shape
    drop = np.asarray(mask, dtype=bool)
    lanes = drop.shape[2]
    out = x.copy()
    rows = drop[:, :, 0] if lanes == 1 else drop.transpose(0, 2, 1)  # (N, T) or (N, C, T)
    flat = np.flatnonzero(rows)
    if not flat.size:
        return out
    row, step = np.divmod(flat, length)
    values: np.ndarray
    source_rows: np.ndarray
    if lanes == 1:
        target = flat  # index of (series, step) in the (N * T, C) rows
        first = row * length
        values = out.reshape(count * length, channels)
        source_rows = x.reshape(count * length, channels)
    else:
        series_index, channel = np.divmod(row, channels)
        first = series_index * length
        target = (first + step) * channels + channel  # index in the flattened series
        values = out.reshape(-1)
        source_rows = x.reshape(-1)
    if isinstance(fill, str) and fill in ("ffill", "bfill"):
        source = first + _fill_sources(flat, length, fill == "ffill")
        if lanes != 1:
            source = source * channels + channel
        out_steps, in_steps = _step_view(out), _step_view(np.ascontiguousarray(x))
        if lanes == 1 and out_steps is not None and in_steps is not None:
            values, source_rows = out_steps.reshape(-1), in_steps.reshape(-1)  # whole steps as single items
        values[target] = source_rows[source]
    elif fill == "mean":
        means = channel_reduce(x, np.mean, dtype=np.float64).astype(x.dtype).reshape(count, channels)
        values[target] = means[row] if lanes == 1 else means.reshape(-1)[row]
    else:
        values[target] = x.dtype.type(fill)
    return out


def channel_reduce(series: np.ndarray, reduce: Any, **kwargs: Any) -> np.ndarray:
    """``reduce`` over time of each channel of each series, as ``(N, 1, C)``. Reductions over the middle
    axis of ``(N, T, C)`` with few channels are slow in numpy; this transposes first (much faster).

    >>> channel_reduce(np.arange(6.0).reshape(1, 3, 2), np.max).tolist()
    [[[4.0, 5.0]]]
    """
    x = np.asarray(series)
    lanes = np.ascontiguousarray(x.transpose(0, 2, 1)) if x.shape[2] > 1 else x.reshape(x.shape[0], 1, x.shape[1])
    return np.asarray(reduce(lanes, axis=2, **kwargs)).reshape(x.shape[0], 1, x.shape[2])


def _pool_rows(x: np.ndarray, size: int, kind: str) -> np.ndarray:
    """Pool ``(M, T, K)`` over blocks of ``size`` steps along axis 1, keeping the length."""
    count, length, lanes = x.shape
    blocks = length // size
    full = blocks * size
    head: np.ndarray | None = None
    if blocks and kind == "ave" and size * lanes <= 256:
        # one matrix product pools every block and spreads its mean back over the block
        spread = np.kron(np.full((size, size), 1.0 / size), np.eye(lanes)).astype(x.dtype)
        head = (x[:, :full].reshape(count * blocks, size * lanes) @ spread).reshape(count, full, lanes)
    elif blocks:
        combine = {"ave": np.add, "max": np.maximum, "min": np.minimum}[kind]
        grouped = x[:, :full].reshape(count, blocks, size, lanes)
        acc = grouped[:, :, 0].copy()
        for offset in range(1, size):
            combine(acc, grouped[:, :, offset], out=acc)
        if kind == "ave":
            acc /= x.dtype.type(size)
        steps = _step_view(acc)
        if steps is None:
            head = np.repeat(acc, size, axis=1)
        else:
            head = np.repeat(steps, size, axis=1).view(x.dtype).reshape(count, full, lanes)
    if full == length and head is not None:
        return head
    out = np.empty_like(x)
    if head is not None:
        out[:, :full] = head
    reduce: Any = {"ave": np.mean, "max": np.max, "min": np.min}[kind]
    out[:, full:] = reduce(x[:, full:], axis=1, keepdims=True)
    return out


def pool(series: np.ndarray, sizes: int | Sequence[int] | np.ndarray, kind: str = "ave") -> np.ndarray:
    """Lower the temporal resolution without changing the length (tsaug's ``Pool``): each block of
    ``size`` steps (from the start; the last block may be shorter) takes its mean, max or min.

    ``sizes`` is one size, one per series (``(N,)``) or one per series and channel (``(N, C)``);
    ``kind`` is ``"ave"``, ``"max"`` or ``"min"``.

    >>> pool(np.arange(5.0).reshape(1, 5, 1), 2)[0, :, 0].tolist()
    [0.5, 0.5, 2.5, 2.5, 4.0]
    """
    x = np.asarray(series)
    count, length, channels = x.shape
    size = np.asarray(sizes, dtype=np.intp)
    if size.ndim == 0 or np.all(size == size.flat[0]):
        return _pool_rows(x, int(size.flat[0]), kind)
    out = np.empty_like(x)
    if size.ndim == 1:
        for value in np.unique(size):
            rows = size == value
            out[rows] = _pool_rows(x[rows], int(value), kind)
        return out
    lanes = np.ascontiguousarray(x.transpose(0, 2, 1)).reshape(count * channels, length, 1)
    flat = size.reshape(-1)
    result = np.empty_like(lanes)
    for value in np.unique(flat):
        rows = flat == value
        result[rows] = _pool_rows(lanes[rows], int(value), kind)
    return np.ascontiguousarray(result.reshape(count, channels, length).transpose(0, 2, 1))


def smoothing_window(window: str, size: int) -> np.ndarray:
    """The symmetric ``scipy.signal.get_window`` window of ``size`` taps, normalized to sum 1.

    >>> smoothing_window("boxcar", 4).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    from scipy.signal import get_window

    taps = np.asarray(get_window(window, size, fftbins=False), dtype=np.float64)
    total = taps.sum()
    if size == 1 or total == 0.0:
        return np.ones(1) if size == 1 else np.full(size, 1.0 / size)
    return taps / total


def convolve(
    series: np.ndarray, windows: str | Sequence[str], sizes: int | Sequence[int] | np.ndarray, per_channel: bool = False
) -> np.ndarray:
    """Smooth each series with a normalized window (tsaug's ``Convolve``): ``scipy.ndimage.convolve1d``
    along time with reflected borders (``d c b a | a b c d | d c b a``).

    ``windows`` is one ``scipy.signal.get_window`` name, or one per row; ``sizes`` one window length or
    one per row. A row is a series (``(N,)``), or a series' channel (``(N, C)``, flattened) when
    ``per_channel`` is True.

    >>> convolve(np.array([[[0.0], [3.0], [0.0]]]), "boxcar", 3)[0, :, 0].tolist()
    [1.0, 1.0, 1.0]
    """
    from scipy.ndimage import convolve1d

    x = np.asarray(series)
    count, length, channels = x.shape
    rows = count * channels if per_channel else count
    names = [windows] * rows if isinstance(windows, str) else list(windows)
    size = np.broadcast_to(np.asarray(sizes, dtype=np.intp).reshape(-1), (rows,))
    keys = list(zip(names, size.tolist(), strict=True))
    unique = sorted(set(keys))
    if len(unique) == 1:
        taps = smoothing_window(*unique[0]).astype(x.dtype)
        return convolve1d(x, taps, axis=1, mode="reflect")
    data = np.ascontiguousarray(x.transpose(0, 2, 1)).reshape(rows, length) if per_channel else x
    out = np.empty_like(data)
    for name, value in unique:
        selected = np.fromiter((key == (name, value) for key in keys), dtype=bool, count=rows)
        taps = smoothing_window(name, value).astype(x.dtype)
        out[selected] = convolve1d(data[selected], taps, axis=1, mode="reflect")
    if per_channel:
        return np.ascontiguousarray(out.reshape(count, channels, length).transpose(0, 2, 1))
    return out
