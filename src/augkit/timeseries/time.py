"""Time transforms: crop, resize, reverse, segment permutation, dropout, pooling and smoothing.

``Crop``, ``Resize``, ``Reverse``, ``Dropout``, ``Pool`` and ``Convolve`` follow tsaug 0.2.1's
semantics; ``Permutation`` follows Iwana & Uchida's survey code. Transforms that move or resample
steps (``Permutation``, ``Crop``, ``Resize``, ``Reverse``) move per-step labels with them (nearest
step, never interpolated); ``Dropout``, ``Pool`` and ``Convolve`` keep every step where it is, so
labels stay. Integer ranges ``(min, max)`` are inclusive (tsaug's 2-tuples exclude the max).

>>> import numpy as np
>>> x = np.arange(6.0)
>>> Crop(size=3, p=1.0)(series=x, rng=0)["series"].shape
(3,)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import draw_seed
from augkit.core.validate import as_bool, as_choice, as_float, as_int, as_int_range, as_range
from augkit.timeseries.base import SeriesTransform
from augkit.timeseries.functional import time as FT
from augkit.timeseries.functional._draws import per_series_int, per_series_uniform, too_short

__all__ = ["Convolve", "Crop", "Dropout", "Permutation", "Pool", "Resize", "Reverse"]

Params = dict[str, Any]


class Permutation(SeriesTransform):
    """Cut each series into segments and shuffle them (Iwana & Uchida's ``permutation``).

    The number of segments is drawn per series, uniform in ``[1, max_segments]`` (at most the
    series' length; the survey code draws from ``[1, max_segments - 1]``). With
    ``seg_mode="equal"`` the segments have equal lengths (``numpy.array_split``); with ``"random"``
    the cut points are distinct random steps. The values of each series are a permutation of the input's.

    Args:
        max_segments: the largest number of segments (>= 1). Default 5.
        seg_mode: ``"equal"`` or ``"random"``.
        p: probability of applying the transform.

    Example:
        >>> t = Permutation(max_segments=4, seg_mode="random", p=1.0)
    """

    has_random_params = True
    moves_time = True

    def __init__(self, max_segments: int = 5, seg_mode: str = "equal", p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.max_segments = as_int(owner, "max_segments", max_segments, low=1)
        self.seg_mode = as_choice(owner, "seg_mode", seg_mode, ("equal", "random"))

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        count, length = state.batch_size, state.length
        top = min(self.max_segments, length)
        segments = rng.integers(1, top + 1, size=count)
        if self.seg_mode == "equal":
            base, extra = np.divmod(length, segments)
            cuts = [
                (np.arange(1, k) * b + np.minimum(np.arange(1, k), e)).tolist()
                for k, b, e in zip(segments, base, extra, strict=True)
            ]
        else:
            width = top - 1
            keys = rng.random((count, length - 1))
            if width and width < length - 1:
                chosen = np.argpartition(keys, width - 1, axis=1)[:, :width]
            else:
                chosen = np.broadcast_to(np.arange(length - 1), (count, length - 1))
            ranked = np.take_along_axis(chosen, np.argsort(np.take_along_axis(keys, chosen, axis=1), axis=1), axis=1)
            cuts = [np.sort(row[: k - 1] + 1).tolist() for row, k in zip(ranked, segments, strict=True)]
        keys = rng.random((count, top))
        keys[np.arange(top)[None, :] >= segments[:, None]] = np.inf
        orders = np.argsort(keys, axis=1)
        return {"cuts": cuts, "order": [row[:k].tolist() for row, k in zip(orders, segments, strict=True)]}

    def _index(self, length: int, params: Params) -> np.ndarray:
        return FT.permutation_index(length, params["cuts"], params["order"])

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.permute(series, self._index(series.shape[1], params))

    def apply_step_labels(self, labels: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.permute(labels, self._index(labels.shape[1], params))


class Crop(SeriesTransform):
    """Cut a random window from each series (tsaug's ``Crop``; one window start per series).

    Args:
        size: the window length in steps, or an inclusive ``(min, max)`` range drawn per series; a
            range needs ``resize``. A series shorter than the window raises a TargetError.
        resize: resample every window to this many steps (linear interpolation; None keeps ``size``).
        p: probability of applying the transform (1.0: skipping would change the output length).

    Example:
        >>> t = Crop(size=(80, 120), resize=100)
    """

    has_random_params = True
    moves_time = True
    keeps_length = False

    def __init__(self, size: int | Sequence[int] = 100, resize: int | None = None, p: float = 1.0) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.size = as_int_range(owner, "size", size, low=1)
        self.resize = None if resize is None else as_int(owner, "resize", resize, low=1)
        if self.resize is None and self.size[0] != self.size[1]:
            raise ArgumentError(
                f"{owner}: argument 'resize' is needed when 'size' is a range (crops of different lengths); got None"
            )

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(size=20)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        length, count = state.length, state.batch_size
        if self.size[1] > length:
            raise too_short(type(self).__name__, length, self.size[1], f"the crop size {self.size[1]}")
        sizes = per_series_int(rng, self.size, count)
        span = length - np.asarray(sizes) + 1
        return {"start": (rng.random(count) * span).astype(np.int64).tolist(), "size": sizes}

    def _positions(self, params: Params) -> np.ndarray:
        size = params["size"]
        out = self.resize if self.resize is not None else int(size)
        return FT.crop_positions(params["start"], size, out)

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        size = params["size"]
        if isinstance(size, int) and self.resize in (None, size):
            return FT.crop(series, params["start"], size)
        return FT.resample_at(series, self._positions(params))

    def apply_step_labels(self, labels: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.nearest_steps(labels, self._positions(params))


class Resize(SeriesTransform):
    """Resample every series to ``size`` steps by linear interpolation, keeping both end points
    (tsaug's ``Resize``); per-step labels take the nearest step.

    Args:
        size: the output length (>= 1; 1 gives the mean of the two end points, as tsaug).
        p: probability of applying the transform.

    Example:
        >>> t = Resize(size=256)
    """

    moves_time = True
    keeps_length = False

    def __init__(self, size: int = 100, p: float = 1.0) -> None:
        super().__init__(p)
        self.size = as_int(type(self).__name__, "size", size, low=1)

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.resize(series, self.size)

    def apply_step_labels(self, labels: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.nearest_steps(labels, FT.resize_positions(labels.shape[1], self.size))


class Reverse(SeriesTransform):
    """Reverse time (tsaug's ``Reverse``); per-step labels are reversed too.

    Args:
        p: probability of applying the transform.

    Example:
        >>> t = Reverse(p=0.5)
    """

    moves_time = True

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(p=1.0)

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.reverse(series)

    def apply_step_labels(self, labels: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.reverse(labels)


class Dropout(SeriesTransform):
    """Drop random steps or runs of steps and fill them (tsaug's ``Dropout``); steps do not move.

    Runs start at a step with probability ``rate / mean_size`` and last ``size`` steps, so about
    ``rate`` of the steps are dropped. (tsaug calls the rate ``p``; here ``p`` is the probability of
    applying the transform, as everywhere in augkit.)

    Args:
        rate: fraction of dropped steps (a range is drawn per series, or per series and channel with
            ``per_channel``). Default 0.05.
        size: run length in steps, or an inclusive ``(min, max)`` range drawn per run. Default 1.
        fill: ``"ffill"`` (last kept value), ``"bfill"`` (next kept value), ``"mean"`` (the channel's mean
            in that series) or a number. A forward fill never drops the first step, a backward fill the last.
        per_channel: drop independently per channel (True) or the same steps in every channel.
        p: probability of applying the transform.

    Example:
        >>> t = Dropout(rate=0.1, size=(1, 5), fill=0.0, p=1.0)
    """

    has_random_params = True

    def __init__(
        self,
        rate: float | Sequence[float] = 0.05,
        size: int | Sequence[int] = 1,
        fill: str | float = "ffill",
        per_channel: bool = False,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.rate = as_range(owner, "rate", rate, low=0.0, high=1.0)
        self.size = as_int_range(owner, "size", size, low=1)
        if isinstance(fill, str) and fill in ("ffill", "bfill", "mean"):
            self.fill: str | float = fill
        else:
            try:
                self.fill = as_float(owner, "fill", fill)
            except ArgumentError:
                raise ArgumentError(
                    f"{owner}: argument 'fill' expects 'ffill', 'bfill', 'mean' or a number; got {describe(fill)}"
                ) from None
        self.per_channel = as_bool(owner, "per_channel", per_channel)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(rate=0.2, size=(1, 3), p=1.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        lanes = state.channels if self.per_channel else 1
        return {"rate": per_series_uniform(rng, self.rate, state.batch_size, lanes), "seed": draw_seed(rng)}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        count, length, channels = series.shape
        lanes = channels if self.per_channel else 1
        keep = {"ffill": "first", "bfill": "last"}.get(self.fill, "none") if isinstance(self.fill, str) else "none"
        mask = FT.dropout_mask(params["seed"], (count, length, lanes), params["rate"], self.size, keep)
        return FT.dropout(series, mask, self.fill)


class Pool(SeriesTransform):
    """Lower the temporal resolution without changing the length (tsaug's ``Pool``): blocks of ``size``
    steps from the start (the last may be shorter) take their mean, max or min. Steps do not move.

    Args:
        kind: ``"ave"``, ``"max"`` or ``"min"``.
        size: block length in steps, or an inclusive ``(min, max)`` range drawn per series (per series
            and channel with ``per_channel``). Default 2.
        per_channel: draw the block length per channel (only used for a range).
        p: probability of applying the transform.

    Example:
        >>> t = Pool(kind="max", size=(2, 4), p=1.0)
    """

    has_random_params = True

    def __init__(self, kind: str = "ave", size: int | Sequence[int] = 2, per_channel: bool = False, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.kind = as_choice(owner, "kind", kind, ("ave", "max", "min"))
        self.size = as_int_range(owner, "size", size, low=1)
        self.per_channel = as_bool(owner, "per_channel", per_channel)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(size=(2, 5), p=1.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        lanes = state.channels if self.per_channel else 1
        return {"size": per_series_int(rng, self.size, state.batch_size, lanes)}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.pool(series, params["size"], self.kind)


class Convolve(SeriesTransform):
    """Smooth with a normalized window (tsaug's ``Convolve``): ``scipy.ndimage.convolve1d`` along time,
    reflected borders, window from ``scipy.signal.get_window`` (symmetric) divided by its sum.

    Args:
        window: a window name (``"hann"``, ``"hamming"``, ``"blackman"``, ``"boxcar"``, ``"triang"`` ...) or
            a list of names, one drawn per series (per series and channel with ``per_channel``).
        size: window length in steps, or an inclusive ``(min, max)`` range drawn like ``window``. Default 7.
        per_channel: draw window and length per channel (only used when they are random).
        p: probability of applying the transform.

    Example:
        >>> t = Convolve(window=["hann", "boxcar"], size=(5, 9), p=1.0)
    """

    has_random_params = True

    def __init__(
        self, window: str | Sequence[str] = "hann", size: int | Sequence[int] = 7, per_channel: bool = False, p: float = 0.5
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        names = [window] if isinstance(window, str) else window
        if not isinstance(names, (list, tuple)) or not names or not all(isinstance(n, str) for n in names):
            raise ArgumentError(f"{owner}: argument 'window' expects a window name or a list of names; got {describe(window)}")
        for name in names:
            try:
                FT.smoothing_window(name, 3)
            except ValueError:
                raise ArgumentError(
                    f"{owner}: argument 'window' expects scipy.signal.get_window names (e.g. 'hann', 'boxcar'); got {name!r}"
                ) from None
        self.window: str | tuple[str, ...] = window if isinstance(window, str) else tuple(names)
        self.size = as_int_range(owner, "size", size, low=1)
        self.per_channel = as_bool(owner, "per_channel", per_channel)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(window=["hann", "boxcar"], size=(3, 9), p=1.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        rows = state.batch_size * (state.channels if self.per_channel else 1)
        out: Params = {"size": per_series_int(rng, self.size, rows)}
        if not isinstance(self.window, str):
            out["window"] = rng.integers(0, len(self.window), size=rows).tolist() if len(self.window) > 1 else 0
        return out

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        if isinstance(self.window, str):
            windows: str | list[str] = self.window
        elif isinstance(params["window"], int):
            windows = self.window[params["window"]]
        else:
            windows = [self.window[i] for i in params["window"]]
        return FT.convolve(series, windows, params["size"], self.per_channel)
