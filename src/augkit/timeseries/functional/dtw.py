"""Dynamic time warping, vectorized over a batch of series pairs, and the path helpers of the
class-guided warps (SPAWNER, random and discriminative guided warping).

The accumulated cost ``D[i, j] = d(i, j) + min(D[i-1, j-1], D[i-1, j], D[i, j-1])`` (the symmetric
step pattern, local cost the Euclidean distance between the channel vectors, as in Iwana & Uchida's
code) is computed one anti-diagonal ``i + j = k`` at a time: each diagonal depends only on the two
before it, so one numpy expression updates all its cells for every pair of the batch at once (a
Python loop over the ``T1 + T2 - 1`` diagonals, none over cells). A Sakoe-Chiba band
(``|i - j| <= window``, widened to the length difference) limits each diagonal to ``2 * window + 1``
cells. Paths are traced back for the whole batch at once; ties prefer the diagonal, then ``i - 1``.

>>> import numpy as np
>>> a = np.array([0.0, 1.0, 2.0, 2.0]); b = np.array([0.0, 2.0, 2.0, 2.0])
>>> float(dtw_distance(a, b)[0])
1.0
>>> ia, ib, n = dtw_path(a, b)
>>> ia[0, : n[0]].tolist(), ib[0, : n[0]].tolist()
([0, 1, 2, 3], [0, 1, 2, 3])
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

__all__ = [
    "decode_paths",
    "dtw_distance",
    "dtw_path",
    "encode_paths",
    "path_positions",
    "same_class_partners",
]

_TABLE_BYTES = 48 * 2**20  # direction tables per chunk of pairs
_ROLLING_BYTES = 64 * 2**20  # rolling accumulated-cost buffers per chunk of pairs


def _as_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both sides as float64 ``(B, T, C)`` (``(T,)``, ``(T, C)`` are one pair; a single series broadcasts)."""
    sides = []
    for side in (a, b):
        x = np.asarray(side, dtype=np.float64)
        x = x.reshape(1, -1, 1) if x.ndim == 1 else x[None] if x.ndim == 2 else x
        sides.append(x)
    first, second = sides
    if first.shape[2] != second.shape[2]:
        raise ValueError(f"dtw: both sides need the same channel count; got {first.shape[2]} and {second.shape[2]}")
    count = max(first.shape[0], second.shape[0])
    first = np.broadcast_to(first, (count, *first.shape[1:]))
    second = np.broadcast_to(second, (count, *second.shape[1:]))
    return first, second


def _bounds(len_a: int, len_b: int, window: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Per anti-diagonal ``k``, the first and last ``i`` of the cells inside the matrix (and the band)."""
    k = np.arange(len_a + len_b - 1)
    low = np.maximum(0, k - (len_b - 1))
    high = np.minimum(len_a - 1, k)
    if window is not None:
        radius = max(int(window), abs(len_a - len_b))
        low = np.maximum(low, -((radius - k) // 2))  # ceil((k - r) / 2)
        high = np.minimum(high, (k + radius) // 2)
    return low, high


def _wavefront(a: np.ndarray, b: np.ndarray, window: int | None, keep: bool) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Accumulated cost at the last cell ``(B,)``, the direction table ``(K, W, B)`` (0 diagonal,
    1 from ``i - 1``, 2 from ``j - 1``) when ``keep``, and the per-diagonal first ``i``.

    The batch is the last (contiguous) axis everywhere, so each diagonal is a few contiguous blocks."""
    count, len_a, channels = a.shape
    len_b = b.shape[1]
    low, high = _bounds(len_a, len_b, window)
    diagonals = len(low)
    width = int((high - low).max()) + 1
    table = np.zeros((diagonals, width, count), dtype=np.uint8) if keep else None
    first = np.ascontiguousarray(a.transpose(1, 2, 0))  # (T1, C, B)
    second = np.ascontiguousarray(b[:, ::-1].transpose(1, 2, 0))  # (T2, C, B), time reversed
    buffers = [np.full((len_a + 1, count), np.inf) for _ in range(3)]
    filled: list[tuple[int, int]] = [(0, -1)] * 3
    for k in range(diagonals):
        lo, hi = int(low[k]), int(high[k])
        cur = buffers[k % 3]
        old_lo, old_hi = filled[k % 3]
        cur[old_lo + 1 : old_hi + 2] = np.inf
        filled[k % 3] = (lo, hi)
        # cells (i, k - i) for i = lo..hi: a[i] against b[k - i] (reversed b: index len_b - 1 - k + i)
        start = len_b - 1 - k + lo
        diff = first[lo : hi + 1] - second[start : start + hi - lo + 1]
        if channels == 1:
            cost = np.abs(diff[:, 0], out=diff[:, 0])
        else:
            diff *= diff
            cost = diff.sum(axis=1)
            np.sqrt(cost, out=cost)
        target = cur[lo + 1 : hi + 2]
        if k == 0:
            target[...] = cost
            continue
        prev1, prev2 = buffers[(k - 1) % 3], buffers[(k - 2) % 3]
        diag = prev2[lo : hi + 1]
        up = prev1[lo : hi + 1]
        left = prev1[lo + 1 : hi + 2]
        np.minimum(up, left, out=target)
        if table is not None:
            code = (diag > target).view(np.uint8)
            code *= (left < up).view(np.uint8) + np.uint8(1)
            table[k, : hi - lo + 1] = code
        np.minimum(target, diag, out=target)
        target += cost
    last = buffers[(diagonals - 1) % 3][len_a]
    return last.copy(), table, low


def dtw_distance(a: np.ndarray, b: np.ndarray, window: int | None = None) -> np.ndarray:
    """DTW distances of the pairs ``(a[n], b[n])``: ``(B,)`` float64.

    ``a`` is ``(B, T1, C)`` and ``b`` ``(B, T2, C)`` (``(T,)`` or ``(T, C)`` for one pair; one series
    on a side is compared with every series of the other); ``window`` is the Sakoe-Chiba radius in
    steps (None: no band).

    >>> float(dtw_distance(np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 1.0]))[0])
    0.0
    """
    first, second = _as_pairs(a, b)
    count = first.shape[0]
    chunk = max(1, _ROLLING_BYTES // (3 * 8 * (first.shape[1] + 1) + 1))
    out = np.empty(count)
    for begin in range(0, count, chunk):
        part = slice(begin, begin + chunk)
        out[part] = _wavefront(first[part], second[part], window, keep=False)[0]
    return out


def _trace(
    table: np.ndarray, low: np.ndarray, ends_a: np.ndarray, ends_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    count = ends_a.shape[0]
    steps = int((ends_a + ends_b).max()) + 1 if count else 1
    path_a = np.zeros((count, steps), dtype=np.intp)
    path_b = np.zeros((count, steps), dtype=np.intp)
    i, j = ends_a.astype(np.intp).copy(), ends_b.astype(np.intp).copy()
    lengths = np.zeros(count, dtype=np.intp)
    rows = np.arange(count)
    active = np.ones(count, dtype=bool)
    for step in range(steps):
        path_a[active, step], path_b[active, step] = i[active], j[active]
        lengths += active
        active &= (i + j) > 0
        if not active.any():
            break
        k = i + j
        move = table[k[active], i[active] - low[k[active]], rows[active]]
        i[active] -= move != 2
        j[active] -= move != 1
    # reverse each row's first `length` entries; the tail repeats the end cell
    back = np.clip(lengths[:, None] - 1 - np.arange(steps), 0, None)
    return np.take_along_axis(path_a, back, axis=1), np.take_along_axis(path_b, back, axis=1), lengths


def dtw_path(
    a: np.ndarray,
    b: np.ndarray,
    window: int | None = None,
    ends: tuple[Sequence[int] | np.ndarray, Sequence[int] | np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Optimal DTW alignments of the pairs ``(a[n], b[n])`` (shapes as in :func:`dtw_distance`).

    Returns ``(path_a, path_b, lengths)``: row ``n`` aligns ``a[n][path_a[n, s]]`` with
    ``b[n][path_b[n, s]]`` for ``s < lengths[n]``, from ``(0, 0)`` to the end cell (rows are padded
    with the end cell). ``ends`` = ``(ends_a, ends_b)`` ends the paths earlier: the alignment of the
    prefixes ``a[n][: ends_a[n] + 1]`` and ``b[n][: ends_b[n] + 1]`` (the same table serves every end).

    >>> ia, ib, n = dtw_path(np.array([0.0, 5.0, 5.0]), np.array([0.0, 0.0, 5.0]))
    >>> ia[0].tolist(), ib[0].tolist(), n.tolist()
    ([0, 0, 1, 2], [0, 1, 2, 2], [4])
    """
    first, second = _as_pairs(a, b)
    count, len_a = first.shape[:2]
    len_b = second.shape[1]
    low, high = _bounds(len_a, len_b, window)
    per_pair = len(low) * (int((high - low).max()) + 1)
    chunk = max(1, _TABLE_BYTES // per_pair)
    end_a = np.full(count, len_a - 1) if ends is None else np.asarray(ends[0], dtype=np.intp)
    end_b = np.full(count, len_b - 1) if ends is None else np.asarray(ends[1], dtype=np.intp)
    steps = len_a + len_b - 1
    path_a = np.zeros((count, steps), dtype=np.intp)
    path_b = np.zeros((count, steps), dtype=np.intp)
    lengths = np.zeros(count, dtype=np.intp)
    for begin in range(0, count, chunk):
        part = slice(begin, begin + chunk)
        _, table, low = _wavefront(first[part], second[part], window, keep=True)
        assert table is not None
        pa, pb, n = _trace(table, low, end_a[part], end_b[part])
        path_a[part, : pa.shape[1]], path_b[part, : pb.shape[1]], lengths[part] = pa, pb, n
        path_a[part, pa.shape[1] :] = pa[:, -1:]
        path_b[part, pb.shape[1] :] = pb[:, -1:]
    width = int(lengths.max()) if count else 0
    return path_a[:, :width], path_b[:, :width], lengths


def encode_paths(path_a: np.ndarray, path_b: np.ndarray, lengths: np.ndarray) -> list[str]:
    """Compact JSON-safe text of DTW paths starting at ``(0, 0)``: the moves (diagonal, ``i + 1``,
    ``j + 1``) packed two bits each, base64 (about ``length / 6`` characters a path).

    >>> encode_paths(np.array([[0, 1, 1]]), np.array([[0, 1, 2]]), np.array([3]))
    ['+A==']
    """
    pa = np.asarray(path_a, dtype=np.intp)
    pb = np.asarray(path_b, dtype=np.intp)
    count = pa.shape[0]
    step_a, step_b = np.diff(pa, axis=1), np.diff(pb, axis=1)
    codes = np.where((step_a > 0) & (step_b > 0), 0, np.where(step_a > 0, 1, np.where(step_b > 0, 2, 3))).astype(np.uint8)
    moves = np.asarray(lengths) - 1
    codes[np.arange(codes.shape[1])[None, :] >= moves[:, None]] = 3
    pad = (-codes.shape[1]) % 4
    codes = np.concatenate([codes, np.full((count, pad), 3, np.uint8)], axis=1).reshape(count, -1, 4)
    packed = codes[..., 0] | (codes[..., 1] << 2) | (codes[..., 2] << 4) | (codes[..., 3] << 6)
    return [base64.b64encode(row.tobytes().rstrip(b"\xff")).decode("ascii") for row in packed]


def decode_paths(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Paths back from :func:`encode_paths`: ``(path_a, path_b, lengths)``, rows padded with the end cell.

    >>> pa, pb, n = decode_paths(['+A=='])
    >>> pa.tolist(), pb.tolist(), n.tolist()
    ([[0, 1, 1]], [[0, 1, 2]], [3])
    """
    rows = [np.frombuffer(base64.b64decode(text), dtype=np.uint8) for text in texts]
    width = max((len(r) for r in rows), default=0)
    packed = np.full((len(rows), width), 0xFF, dtype=np.uint8)
    for index, row in enumerate(rows):
        packed[index, : len(row)] = row
    codes = np.stack([(packed >> shift) & 3 for shift in (0, 2, 4, 6)], axis=2).reshape(len(rows), -1)
    lengths = (codes != 3).sum(axis=1) + 1
    path_a = np.zeros((len(rows), codes.shape[1] + 1), dtype=np.intp)
    path_b = np.zeros_like(path_a)
    np.cumsum((codes == 0) | (codes == 1), axis=1, out=path_a[:, 1:])
    np.cumsum((codes == 0) | (codes == 2), axis=1, out=path_b[:, 1:])
    width = int(lengths.max()) if len(rows) else 0
    return path_a[:, :width], path_b[:, :width], lengths


def path_positions(steps: np.ndarray, lengths: np.ndarray, length: int) -> np.ndarray:
    """Resample the sequences of steps along paths (``(B, P)``, the first ``lengths[n]`` valid) to
    ``length`` output steps, linearly: the source positions ``(B, length)`` of a series warped along
    its path (Iwana & Uchida read ``x[path]`` and interpolate it back to the series' length).

    >>> path_positions(np.array([[0, 0, 1, 2]]), np.array([4]), 3).tolist()
    [[0.0, 0.5, 2.0]]
    """
    index = np.asarray(steps, dtype=np.float64)
    count = index.shape[0]
    n = np.asarray(lengths, dtype=np.intp).reshape(-1, 1)
    if length == 1:
        return index[:, :1].copy()
    u = np.arange(length, dtype=np.float64) * ((n - 1) / (length - 1.0))
    left = np.minimum(u.astype(np.intp), np.maximum(n - 2, 0))
    right = np.minimum(left + 1, n - 1)
    frac = u - left
    rows = np.arange(count)[:, None]
    return index[rows, left] * (1.0 - frac) + index[rows, right] * frac


def same_class_partners(labels: Sequence[object] | np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """For each series, another series of the same class, picked by ``uniforms`` (``(N,)`` draws in
    [0, 1), uniform over the other members of the class); -1 when the class has one member.

    >>> same_class_partners(np.array([0, 1, 0, 2]), np.array([0.5, 0.5, 0.5, 0.5])).tolist()
    [2, -1, 0, -1]
    """
    codes = np.unique(np.asarray(labels), return_inverse=True)[1].reshape(-1)
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes)
    starts = np.cumsum(sizes) - sizes
    rank = np.empty_like(order)
    rank[order] = np.arange(len(codes)) - starts[codes[order]]
    size = sizes[codes]
    draw = np.minimum((np.asarray(uniforms) * (size - 1)).astype(np.intp), np.maximum(size - 2, 0))
    member = (rank + 1 + draw) % size
    return np.where(size > 1, order[starts[codes] + member], -1)
