"""Time-warping transforms: the series keeps its length, its time line is bent smoothly.

Each transform builds one monotone path per series (output step -> fractional input position,
:mod:`augkit.timeseries.functional.warping`), reads the series along it by linear interpolation,
and moves per-step labels to the nearest step of the same positions.

>>> import numpy as np
>>> x = np.sin(np.linspace(0, 6, 100))[None, :, None]
>>> out = TimeWarp(p=1.0)(series=x, rng=0)["series"]
>>> out.shape, bool(out[0, 0, 0] == x[0, 0, 0]), bool(out[0, -1, 0] == x[0, -1, 0])
((1, 100, 1), True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.rng import draw_seed
from augkit.core.validate import as_choice, as_float, as_float_tuple, as_int, as_range
from augkit.timeseries.base import SeriesTransform
from augkit.timeseries.functional import time as FT
from augkit.timeseries.functional import warping as FW
from augkit.timeseries.functional._draws import per_series_uniform, too_short, window_steps

__all__ = ["TimeWarp", "WindowSlice", "WindowWarp"]

Params = dict[str, Any]


class _Warp(SeriesTransform):
    """A warp: ``_path(length, count, params)`` gives the source positions; series and labels follow."""

    _abstract = True
    has_random_params = True
    moves_time = True

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(p=1.0)

    def _path(self, length: int, count: int, params: Params) -> np.ndarray:
        raise NotImplementedError

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.resample_at(series, self._path(series.shape[1], series.shape[0], params))

    def apply_step_labels(self, labels: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.nearest_steps(labels, self._path(labels.shape[1], labels.shape[0], params))


class TimeWarp(_Warp):
    """Bend the time line smoothly, keeping both end points.

    ``method="speed"`` (tsaug's ``TimeWarp``, the default): the output time line is cut into
    ``n_speed_change + 1`` equal segments played at random speeds whose fastest/slowest ratio is
    ``max_speed_ratio``; the knots are joined by a monotone cubic (PCHIP). ``method="knots"`` (Iwana &
    Uchida's ``time_warp``): ``knots + 2`` equally spaced knots move by factors from ``N(1, sigma^2)``,
    joined by a monotone cubic (the survey uses a plain cubic spline, which can fold time back).
    One warp per series, shared by its channels.

    Args:
        n_speed_change: number of speed changes (>= 1), ``method="speed"``. Default 3.
        max_speed_ratio: fastest/slowest speed ratio (>= 1; a range is drawn per series). Default 3.0.
        method: ``"speed"`` or ``"knots"``.
        sigma: standard deviation of the knot factors, ``method="knots"``. Default 0.2.
        knots: number of interior knots, ``method="knots"``. Default 4.
        p: probability of applying the transform.

    Example:
        >>> t = TimeWarp(n_speed_change=5, max_speed_ratio=(2.0, 4.0), p=1.0)
        >>> t = TimeWarp(method="knots", sigma=0.2, knots=4, p=1.0)
    """

    def __init__(
        self,
        n_speed_change: int = 3,
        max_speed_ratio: float | Sequence[float] = 3.0,
        method: str = "speed",
        sigma: float = 0.2,
        knots: int = 4,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.n_speed_change = as_int(owner, "n_speed_change", n_speed_change, low=1)
        self.max_speed_ratio = as_range(owner, "max_speed_ratio", max_speed_ratio, low=1.0)
        self.method = as_choice(owner, "method", method, ("speed", "knots"))
        self.sigma = as_float(owner, "sigma", sigma, low=0.0)
        self.knots = as_int(owner, "knots", knots, low=0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        if self.method == "knots":
            return {"seed": draw_seed(rng)}
        return {"ratio": per_series_uniform(rng, self.max_speed_ratio, state.batch_size), "seed": draw_seed(rng)}

    def _path(self, length: int, count: int, params: Params) -> np.ndarray:
        rng = np.random.default_rng(params["seed"])
        if self.method == "knots":
            return FW.knot_warp_path(length, rng.normal(1.0, self.sigma, (count, self.knots + 2)))
        speeds = FW.speeds_from_uniform(rng.random((count, self.n_speed_change + 1)), params["ratio"])
        return FW.speed_warp_path(length, speeds)


class WindowSlice(_Warp):
    """Crop a random window of ``ceil(reduce_ratio * T)`` steps and stretch it back to ``T`` steps
    (Iwana & Uchida's ``window_slice``; linear interpolation; the length is kept).

    Args:
        reduce_ratio: the window's fraction of the length, in (0, 1] (a range is drawn per series).
            Default 0.9.
        p: probability of applying the transform.

    Example:
        >>> t = WindowSlice(reduce_ratio=(0.8, 0.95), p=1.0)
    """

    def __init__(self, reduce_ratio: float | Sequence[float] = 0.9, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.reduce_ratio = as_range(owner, "reduce_ratio", reduce_ratio, low=0.0, high=1.0)
        if self.reduce_ratio[0] <= 0.0:
            as_float(owner, "reduce_ratio", self.reduce_ratio[0], low=1e-9)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        length, count = state.length, state.batch_size
        ratio = np.broadcast_to(np.asarray(per_series_uniform(rng, self.reduce_ratio, count)), (count,))
        sizes = np.clip(np.ceil(ratio * length - 1e-9).astype(np.int64), min(2, length), length)
        starts = (rng.random(count) * (length - sizes + 1)).astype(np.int64)
        return {"start": starts.tolist(), "size": int(sizes[0]) if np.all(sizes == sizes[0]) else sizes.tolist()}

    def _path(self, length: int, count: int, params: Params) -> np.ndarray:
        return FW.window_slice_path(length, params["start"], params["size"])


class WindowWarp(_Warp):
    """Speed up or slow down a random window of ``ceil(window_ratio * T)`` steps by a factor picked
    from ``scales`` and resample the whole series back to ``T`` steps (Iwana & Uchida's
    ``window_warp``; the best-ranked method of their survey). The length and end points are kept.

    Args:
        window_ratio: the window's fraction of the length, in (0, 1). Default 0.1.
        scales: the factors to pick from (one per series, uniformly; > 1 stretches the window). Default (0.5, 2.0).
        p: probability of applying the transform.

    Example:
        >>> t = WindowWarp(window_ratio=0.2, scales=(0.5, 0.75, 1.5, 2.0), p=1.0)
    """

    def __init__(self, window_ratio: float = 0.1, scales: Sequence[float] = (0.5, 2.0), p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.window_ratio = as_float(owner, "window_ratio", window_ratio, low=1e-9, high=1.0)
        self.scales = as_float_tuple(owner, "scales", scales, positive=True)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        length, count = state.length, state.batch_size
        window = window_steps(self.window_ratio, length)
        if window > length - 1:
            raise too_short(
                type(self).__name__, length, window + 1, f"a window of {window} steps (window_ratio={self.window_ratio})"
            )
        starts = (rng.random(count) * (length - window)).astype(np.int64)
        picks = rng.integers(0, len(self.scales), size=count)
        return {"start": starts.tolist(), "window": window, "scale": [self.scales[i] for i in picks.tolist()]}

    def _path(self, length: int, count: int, params: Params) -> np.ndarray:
        return FW.window_warp_path(length, params["start"], float(params["window"]), params["scale"])
