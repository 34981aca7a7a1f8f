"""Mixing and class-guided warping kernels: MixUp for series, SPAWNER (Kamycki et al., 2019), and
random / discriminative guided warping (Iwana & Uchida, ICPR 2020).

The guided methods align each series with a partner of its class by DTW
(:mod:`augkit.timeseries.functional.dtw`); the alignment is kept as an encoded path (a short string,
:func:`~augkit.timeseries.functional.dtw.encode_paths`), and the series is read along it. Paths are
computed once per call from the main series, so paired series and per-step labels follow the same
alignment.

>>> import numpy as np
>>> x = np.array([[[0.0]], [[1.0]]])
>>> mixup(x, [1, 0], [0.25, 1.0])[:, 0, 0].tolist()
[0.75, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augkit.timeseries.functional.dtw import decode_paths, dtw_distance, dtw_path, encode_paths, path_positions
from augkit.timeseries.functional.time import resample_at

__all__ = [
    "discriminative_prototypes",
    "guided_paths",
    "mixup",
    "mixup_labels",
    "path_source_positions",
    "spawner",
    "spawner_paths",
]

_GATHER_PAIRS = 2048


def mixup(series: np.ndarray, partners: Sequence[int] | np.ndarray, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """``out[n] = w[n] * x[n] + (1 - w[n]) * x[partners[n]]`` (Zhang et al.'s mixup, per series).

    >>> mixup(np.array([[[2.0]], [[4.0]]]), [1, 0], [0.5, 0.5])[:, 0, 0].tolist()
    [3.0, 3.0]
    """
    x = np.asarray(series)
    w = np.asarray(weights, dtype=x.dtype).reshape(-1, 1, 1)
    out = x * w
    out += x[np.asarray(partners, dtype=np.intp)] * (1 - w)
    return out


def mixup_labels(
    labels: Sequence[int] | np.ndarray,
    partners: Sequence[int] | np.ndarray,
    weights: Sequence[float] | np.ndarray,
    num_classes: int,
) -> np.ndarray:
    """Soft targets ``(N, num_classes)`` float32 of a mixup: ``w * onehot(y) + (1 - w) * onehot(y[partner])``.

    >>> mixup_labels([0, 2], [1, 0], [0.75, 1.0], 3).tolist()
    [[0.75, 0.0, 0.25], [0.0, 0.0, 1.0]]
    """
    y = np.asarray(labels, dtype=np.intp)
    w = np.asarray(weights, dtype=np.float64)
    out = np.zeros((len(y), num_classes))
    rows = np.arange(len(y))
    out[rows, y] += w
    out[rows, y[np.asarray(partners, dtype=np.intp)]] += 1.0 - w
    return out.astype(np.float32)


def _gathered_distances(series: np.ndarray, left: np.ndarray, right: np.ndarray, window: int | None) -> np.ndarray:
    out = np.empty(len(left))
    for begin in range(0, len(left), _GATHER_PAIRS):
        part = slice(begin, begin + _GATHER_PAIRS)
        out[part] = dtw_distance(series[left[part]], series[right[part]], window)
    return out


def _gathered_paths(
    series: np.ndarray, left: np.ndarray, right: np.ndarray, window: int | None, ends: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    length = series.shape[1]
    count = len(left)
    path_a = np.zeros((count, 2 * length - 1), dtype=np.intp)
    path_b = np.zeros_like(path_a)
    lengths = np.zeros(count, dtype=np.intp)
    for begin in range(0, count, _GATHER_PAIRS):
        part = slice(begin, begin + _GATHER_PAIRS)
        stop = None if ends is None else (ends[part], ends[part])
        pa, pb, n = dtw_path(series[left[part]], series[right[part]], window, stop)
        path_a[part, : pa.shape[1]], path_b[part, : pb.shape[1]], lengths[part] = pa, pb, n
        path_a[part, pa.shape[1] :], path_b[part, pb.shape[1] :] = pa[:, -1:], pb[:, -1:]
    return path_a, path_b, lengths


def guided_paths(series: np.ndarray, partners: Sequence[int] | np.ndarray, window: int | None = None) -> list[str]:
    """Encoded DTW paths aligning each series (side a) with ``series[partners[n]]`` (side b); ``""``
    where the partner is -1.

    >>> guided_paths(np.array([[[0.0], [1.0]], [[0.0], [1.0]]]), [1, -1])
    ['/A==', '']
    """
    x = np.asarray(series)
    partner = np.asarray(partners, dtype=np.intp)
    out = [""] * len(partner)
    chosen = np.flatnonzero(partner >= 0)
    if len(chosen):
        texts = encode_paths(*_gathered_paths(x, chosen, partner[chosen], window))
        for row, text in zip(chosen.tolist(), texts, strict=True):
            out[row] = text
    return out


def spawner_paths(
    series: np.ndarray, partners: Sequence[int] | np.ndarray, splits: Sequence[int] | np.ndarray, window: int | None = None
) -> list[str]:
    """SPAWNER's alignments: the prefixes ``[0, split)`` and the suffixes ``[split, T)`` of each series
    and its partner are aligned separately by DTW, and the two paths joined (encoded as in
    :func:`guided_paths`; ``""`` where the partner is -1).

    >>> spawner_paths(np.array([[[0.0], [1.0], [2.0]], [[0.0], [1.0], [2.0]]]), [1, 0], [1, 2])
    ['8A==', '8A==']
    """
    x = np.asarray(series)
    length = x.shape[1]
    partner = np.asarray(partners, dtype=np.intp)
    split = np.asarray(splits, dtype=np.intp)
    out = [""] * len(partner)
    chosen = np.flatnonzero(partner >= 0)
    if not len(chosen):
        return out
    ends = split[chosen] - 1
    head_a, head_b, head_n = _gathered_paths(x, chosen, partner[chosen], window, ends)
    flipped = np.ascontiguousarray(x[:, ::-1])
    tail_a, tail_b, tail_n = _gathered_paths(flipped, chosen, partner[chosen], window, length - 1 - split[chosen])
    back = np.clip(tail_n[:, None] - 1 - np.arange(tail_a.shape[1]), 0, None)  # reverse, tail padded with (T-1, T-1)
    tail_a = length - 1 - np.take_along_axis(tail_a, back, axis=1)
    tail_b = length - 1 - np.take_along_axis(tail_b, back, axis=1)
    width = head_a.shape[1] + tail_a.shape[1]
    path_a = np.full((len(chosen), width), length - 1, dtype=np.intp)
    path_b = path_a.copy()
    path_a[:, : head_a.shape[1]], path_b[:, : head_b.shape[1]] = head_a, head_b
    rows = np.arange(len(chosen))[:, None]
    columns = head_n[:, None] + np.arange(tail_a.shape[1])
    path_a[rows, columns], path_b[rows, columns] = tail_a, tail_b
    texts = encode_paths(path_a, path_b, head_n + tail_n)
    for row, text in zip(chosen.tolist(), texts, strict=True):
        out[row] = text
    return out


def path_source_positions(paths: Sequence[str], length: int, side: str = "a") -> np.ndarray:
    """Source positions ``(N, length)`` of each series read along its encoded path (side ``"a"``: the
    series itself, ``"b"``: its partner) and resampled to ``length`` steps; identity for ``""``.

    >>> path_source_positions(['8A==', ''], 3).tolist()
    [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]]
    """
    out = np.broadcast_to(np.arange(length, dtype=np.float64), (len(paths), length)).copy()
    chosen = [row for row, text in enumerate(paths) if text]
    if chosen:
        path_a, path_b, lengths = decode_paths([paths[row] for row in chosen])
        out[chosen] = path_positions(path_a if side == "a" else path_b, lengths, length)
    return out


def spawner(series: np.ndarray, partners: Sequence[int] | np.ndarray, paths: Sequence[str]) -> np.ndarray:
    """SPAWNER's average: each series and its partner read along their joint path, averaged step by step
    and resampled to the series' length (series without a partner are kept; the noise is added apart).

    >>> x = np.array([[[0.0], [2.0]], [[2.0], [4.0]]])
    >>> spawner(x, [1, 0], spawner_paths(x, [1, 0], [1, 1]))[..., 0].tolist()
    [[1.0, 3.0], [1.0, 3.0]]
    """
    x = np.asarray(series)
    length = x.shape[1]
    partner = np.asarray(partners, dtype=np.intp)
    own = resample_at(x, path_source_positions(paths, length, "a"))
    other = resample_at(x[np.where(partner >= 0, partner, np.arange(len(partner)))], path_source_positions(paths, length, "b"))
    mixed = (own + other) * x.dtype.type(0.5)
    keep = partner < 0
    mixed[keep] = x[keep]
    return mixed


def discriminative_prototypes(
    series: np.ndarray, positives: Sequence[Sequence[int]], negatives: Sequence[Sequence[int]], window: int | None = None
) -> np.ndarray:
    """Iwana & Uchida's discriminative prototype: among the candidates ``positives[n]`` (same class),
    the one whose mean DTW distance to ``negatives[n]`` minus its mean distance to the other positives
    is largest. -1 where a series has no positive or no negative candidate.

    >>> x = np.array([[[0.0], [0.0]], [[0.1], [0.1]], [[5.0], [5.0]], [[0.0], [1.0]]])
    >>> discriminative_prototypes(x, [[0, 1], [0]], [[2], []]).tolist()
    [0, -1]
    """
    x = np.asarray(series)
    pairs: dict[tuple[int, int], int] = {}
    for pos, neg in zip(positives, negatives, strict=True):
        if len(pos) and len(neg):
            for p in pos:
                for q in (*pos, *neg):
                    if p != q:
                        pairs.setdefault((min(p, q), max(p, q)), len(pairs))
    keys = np.array(list(pairs), dtype=np.intp).reshape(-1, 2)
    distance = _gathered_distances(x, keys[:, 0], keys[:, 1], window) if len(keys) else np.empty(0)
    out = np.full(len(positives), -1, dtype=np.intp)
    for row, (pos, neg) in enumerate(zip(positives, negatives, strict=True)):
        if not (len(pos) and len(neg)):
            continue
        scores = []
        for p in pos:
            to_neg = np.mean([distance[pairs[(min(p, q), max(p, q))]] for q in neg])
            others = [distance[pairs[(min(p, q), max(p, q))]] for q in pos if q != p]
            scores.append(to_neg - (np.mean(others) if others else 0.0))
        out[row] = pos[int(np.argmax(scores))]
    return out
