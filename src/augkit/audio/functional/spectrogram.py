"""Spectrogram kernels: frequency and time masks, time warping and channel shuffling (SpecAugment).

Spectrograms are float32 ``(channels, freq, time)``; every kernel returns a new C-contiguous array.
A mask is a list of ``(start, width)`` spans; the fill is a number, ``"mean"`` (the mean of each
channel's whole spectrogram: what masking to zero means for the zero-mean log-mel features of Park et al.
2019) or ``"region_mean"`` (the mean of the values being masked, over every channel: audiomentations'
``fill_mode="mean"``).

Time warping follows SpecAugment's description with a simpler warp than TensorFlow's
``sparse_image_warp``: frame ``center`` moves to ``center + shift`` and the time axis is resampled
piecewise-linearly (two linear segments pinned at the first and last frames, linear interpolation between
frames). ``sparse_image_warp`` fits a polyharmonic spline through the same control points, which bends
the axis smoothly instead of at one kink; the shape is kept either way.

>>> import numpy as np
>>> spec = np.arange(12, dtype=np.float32).reshape(1, 3, 4)
>>> mask_frequencies(spec, [(1, 1)], 0.0)[0].tolist()
[[0.0, 1.0, 2.0, 3.0], [0.0, 0.0, 0.0, 0.0], [8.0, 9.0, 10.0, 11.0]]
>>> mask_times(spec, [(0, 2)], -1.0)[0, 0].tolist()
[-1.0, -1.0, 2.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "FILLS",
    "mask_frequencies",
    "mask_times",
    "shuffle_channels",
    "spec_augment",
    "time_warp",
    "warp_positions",
]

#: The named fills; any number is a constant fill.
FILLS = ("mean", "region_mean")
Spans = Sequence[Sequence[int]]


def _fill_values(spec: np.ndarray, fill: float | str, region: np.ndarray) -> np.ndarray | float:
    if fill == "mean":
        return spec.mean(axis=(1, 2), dtype=np.float64).astype(np.float32)[:, None, None]
    if fill == "region_mean":
        return float(region.mean(dtype=np.float64)) if region.size else 0.0
    return float(fill)


def _mask(spec: np.ndarray, spans: Spans, fill: float | str, axis: int) -> np.ndarray:
    out = np.array(spec, dtype=np.float32, order="C")
    size = spec.shape[axis]
    keep = np.ones(size, dtype=bool)
    for start, width in spans:
        keep[max(0, int(start)) : max(0, int(start) + int(width))] = False
    if keep.all():
        return out
    index = np.flatnonzero(~keep)
    region = np.take(spec, index, axis=axis)
    value = _fill_values(spec, fill, region)
    if axis == 1:
        out[:, index, :] = value
    else:
        out[:, :, index] = value
    return out


def mask_frequencies(spec: np.ndarray, spans: Spans, fill: float | str = 0.0) -> np.ndarray:
    """Set frequency rows ``[start, start + width)`` of every channel to ``fill`` (see the module docstring).

    >>> mask_frequencies(np.ones((1, 4, 2), np.float32), [(0, 1), (2, 1)], 5.0)[0, :, 0].tolist()
    [5.0, 1.0, 5.0, 1.0]
    """
    return _mask(spec, spans, fill, axis=1)


def mask_times(spec: np.ndarray, spans: Spans, fill: float | str = 0.0) -> np.ndarray:
    """Set time frames ``[start, start + width)`` of every channel to ``fill`` (see the module docstring).

    >>> mask_times(np.arange(4, dtype=np.float32).reshape(1, 1, 4), [(1, 2)], "region_mean")[0, 0].tolist()
    [0.0, 1.5, 1.5, 3.0]
    """
    return _mask(spec, spans, fill, axis=2)


def warp_positions(frames: int, center: float, shift: float) -> np.ndarray:
    """Source positions (float64) of each output frame when frame ``center`` moves to ``center + shift``.

    Two linear segments: ``[0, center + shift] -> [0, center]`` and ``[center + shift, frames - 1] ->
    [center, frames - 1]``; the destination must lie strictly inside ``(0, frames - 1)``.

    >>> warp_positions(5, 2.0, 1.0).tolist()
    [0.0, 0.6666666666666666, 1.3333333333333333, 2.0, 4.0]
    """
    last = frames - 1
    target = center + shift
    if not 0.0 < target < last or not 0.0 < center < last:
        raise ValueError(f"warp_positions: center and center + shift must lie in (0, {last}); got {center}, {shift}")
    out = np.arange(frames, dtype=np.float64)
    left = out <= target
    out[left] *= center / target
    out[~left] = center + (out[~left] - target) * (last - center) / (last - target)
    return out


def time_warp(spec: np.ndarray, center: float, shift: float) -> np.ndarray:
    """Move frame ``center`` to ``center + shift`` and stretch both sides linearly (shape unchanged).

    >>> [round(float(v), 4) for v in time_warp(np.arange(5, dtype=np.float32).reshape(1, 1, 5), 2.0, 1.0)[0, 0]]
    [0.0, 0.6667, 1.3333, 2.0, 4.0]
    """
    frames = spec.shape[2]
    source = warp_positions(frames, float(center), float(shift))
    low = np.minimum(np.floor(source).astype(np.int64), frames - 2)
    frac = (source - low).astype(np.float32)
    left = spec[:, :, low]
    out = spec[:, :, low + 1] - left
    out *= frac
    out += left
    return np.ascontiguousarray(out, dtype=np.float32)


def shuffle_channels(spec: np.ndarray, order: Sequence[int]) -> np.ndarray:
    """Reorder the channels: output channel ``i`` is input channel ``order[i]``.

    >>> shuffle_channels(np.arange(2, dtype=np.float32).reshape(2, 1, 1), [1, 0]).ravel().tolist()
    [1.0, 0.0]
    """
    return np.ascontiguousarray(spec[np.asarray(order, dtype=np.int64)], dtype=np.float32)


def spec_augment(
    spec: np.ndarray, warp: Sequence[float] | None, freq_masks: Spans, time_masks: Spans, fill: float | str = "mean"
) -> np.ndarray:
    """SpecAugment in one pass: time warp (``warp = (center, shift)`` or None), then frequency and time masks
    set to ``fill`` (a number, or ``"mean"``: each channel's mean of the input, before warping or masking).

    >>> spec = np.arange(8, dtype=np.float32).reshape(1, 2, 4)
    >>> spec_augment(spec, None, [(0, 1)], [(3, 1)], "mean")[0].tolist()
    [[3.5, 3.5, 3.5, 3.5], [4.0, 5.0, 6.0, 3.5]]
    """
    if fill == "mean":
        value: np.ndarray | float = spec.mean(axis=(1, 2), dtype=np.float64).astype(np.float32)[:, None, None]
    elif isinstance(fill, str):
        raise ValueError(f"spec_augment: fill expects a number or 'mean'; got {fill!r}")
    else:
        value = float(fill)
    out = time_warp(spec, float(warp[0]), float(warp[1])) if warp is not None else np.array(spec, dtype=np.float32, order="C")
    for start, width in freq_masks:
        out[:, max(0, int(start)) : max(0, int(start) + int(width)), :] = value
    for start, width in time_masks:
        out[:, :, max(0, int(start)) : max(0, int(start) + int(width))] = value
    return out
