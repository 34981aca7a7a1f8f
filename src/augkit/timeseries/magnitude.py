"""Magnitude transforms: the values change, the time steps stay (per-step labels are untouched).

``Jitter``, ``Scaling``, ``MagnitudeWarp`` and ``Rotation`` follow Iwana & Uchida's survey code
(PLOS ONE 2021; defaults sigma 0.03, 0.1, 0.2 with 4 knots); ``Drift``, ``AddNoise`` and
``Quantize`` follow tsaug 0.2.1. Every draw is per series (per series and channel where said); a
range ``(low, high)`` is drawn uniformly per series, a single number is exactly that value.

>>> import numpy as np
>>> x = np.zeros((4, 50, 2), dtype=np.float32)
>>> out = Jitter(sigma=0.1, p=1.0)(series=x, rng=0)["series"]
>>> out.shape, out.dtype, bool(np.all(out[0] != out[1]))
((4, 50, 2), dtype('float32'), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError
from augkit.core.rng import draw_seed
from augkit.core.validate import as_bool, as_choice, as_float, as_float_tuple, as_int, as_int_range, as_range
from augkit.timeseries.base import SeriesTransform
from augkit.timeseries.functional import magnitude as FM
from augkit.timeseries.functional._draws import per_series_int, per_series_uniform

__all__ = ["AddNoise", "Drift", "Jitter", "MagnitudeWarp", "Quantize", "Rotation", "Scaling"]

Params = dict[str, Any]


class _Magnitude(SeriesTransform):
    _abstract = True
    has_random_params = True

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(p=1.0)


class Jitter(_Magnitude):
    """Add Gaussian noise: ``x + N(0, sigma^2)`` at every step and channel (Iwana & Uchida's ``jitter``).

    Args:
        sigma: standard deviation of the noise, in the series' units (a range is drawn per series).
            Default 0.03 (the survey's, for z-normalized series).
        p: probability of applying the transform.

    Example:
        >>> t = Jitter(sigma=(0.01, 0.05), p=1.0)
    """

    def __init__(self, sigma: float | Sequence[float] = 0.03, p: float = 0.5) -> None:
        super().__init__(p)
        self.sigma = as_range(type(self).__name__, "sigma", sigma, low=0.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        return {"sigma": per_series_uniform(rng, self.sigma, state.batch_size), "seed": draw_seed(rng)}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FM.jitter(series, params["sigma"], params["seed"])


class Scaling(_Magnitude):
    """Multiply each channel of each series by a factor drawn from ``N(1, sigma^2)`` (Iwana & Uchida's ``scaling``).

    Args:
        sigma: standard deviation of the factors. Default 0.1.
        p: probability of applying the transform.

    Example:
        >>> t = Scaling(sigma=0.2, p=1.0)
    """

    def __init__(self, sigma: float = 0.1, p: float = 0.5) -> None:
        super().__init__(p)
        self.sigma = as_float(type(self).__name__, "sigma", sigma, low=0.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        return {"factors": rng.normal(1.0, self.sigma, (state.batch_size, state.channels)).tolist()}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FM.scale(series, params["factors"])


class MagnitudeWarp(_Magnitude):
    """Multiply by a smooth random curve: a cubic spline through ``knots + 2`` values drawn from
    ``N(1, sigma^2)`` at equally spaced steps (ends included), one curve per series and channel
    (Iwana & Uchida's ``magnitude_warp``).

    Args:
        sigma: standard deviation of the knot values. Default 0.2.
        knots: number of interior knots (>= 0). Default 4.
        p: probability of applying the transform.

    Example:
        >>> t = MagnitudeWarp(sigma=0.2, knots=4, p=1.0)
    """

    def __init__(self, sigma: float = 0.2, knots: int = 4, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.sigma = as_float(owner, "sigma", sigma, low=0.0)
        self.knots = as_int(owner, "knots", knots, low=0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        return {"seed": draw_seed(rng)}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        count, _, channels = series.shape
        values = np.random.default_rng(params["seed"]).normal(1.0, self.sigma, (count, self.knots + 2, channels))
        return FM.magnitude_warp(series, values)


class Rotation(_Magnitude):
    """Rotate the channel vector of every step by one random matrix per series.

    ``method="rotation"``: a uniformly random rotation (Haar measure on SO(C)), e.g. a random
    orientation of a 3-axis accelerometer; a univariate series is flipped (``-x``) with probability
    1/2. ``method="flip_permute"``: Iwana & Uchida's ``rotation`` — a random sign per channel and a random
    channel order (a flip for a univariate series). The survey found it harmful on most UCR sets.

    Args:
        method: ``"rotation"`` or ``"flip_permute"``. Default ``"rotation"``.
        p: probability of applying the transform.

    Example:
        >>> t = Rotation(method="flip_permute", p=1.0)
    """

    def __init__(self, method: str = "rotation", p: float = 0.5) -> None:
        super().__init__(p)
        self.method = as_choice(type(self).__name__, "method", method, ("rotation", "flip_permute"))

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        return {"seed": draw_seed(rng)}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        count, _, channels = series.shape
        make = FM.random_rotations if self.method == "rotation" else FM.random_signed_permutations
        return FM.rotate(series, make(params["seed"], count, channels))


class Drift(_Magnitude):
    """Add a smooth random drift (tsaug's ``Drift``): a random walk of ``n_drift_points + 2`` steps at
    equally spaced knots, joined by a cubic spline, shifted to start at 0 and scaled so its largest
    absolute value is ``max_drift``.

    Args:
        max_drift: the drift's largest absolute value (a range is drawn per series, or per series and
            channel with ``per_channel``). With ``normalize`` it is a fraction of each channel's range.
            Default 0.5.
        n_drift_points: number of interior knots, or an inclusive ``(min, max)`` range drawn per curve.
            Default 3.
        kind: ``"additive"`` (``x + d``) or ``"multiplicative"`` (``x * (1 + d)``).
        per_channel: one curve per channel (True) or one per series shared by its channels.
        normalize: scale an additive drift by each channel's range (max - min) in that series.
        p: probability of applying the transform.

    Example:
        >>> t = Drift(max_drift=(0.1, 0.5), n_drift_points=(2, 5), p=1.0)
    """

    def __init__(
        self,
        max_drift: float | Sequence[float] = 0.5,
        n_drift_points: int | Sequence[int] = 3,
        kind: str = "additive",
        per_channel: bool = True,
        normalize: bool = True,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.max_drift = as_range(owner, "max_drift", max_drift, low=0.0)
        self.n_drift_points = as_int_range(owner, "n_drift_points", n_drift_points, low=1)
        self.kind = as_choice(owner, "kind", kind, ("additive", "multiplicative"))
        self.per_channel = as_bool(owner, "per_channel", per_channel)
        self.normalize = as_bool(owner, "normalize", normalize)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        lanes = state.channels if self.per_channel else 1
        return {
            "max_drift": per_series_uniform(rng, self.max_drift, state.batch_size, lanes),
            "points": per_series_int(rng, self.n_drift_points, state.batch_size, lanes),
            "seed": draw_seed(rng),
        }

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        count, length, channels = series.shape
        lanes = channels if self.per_channel else 1
        points = np.broadcast_to(np.asarray(params["points"]).reshape(-1), (count * lanes,))
        rng = np.random.default_rng(params["seed"])
        top = np.broadcast_to(np.asarray(params["max_drift"], dtype=np.float64).reshape(-1), (count * lanes,))
        unique = np.unique(points)
        if len(unique) == 1:  # one knot count: the fast path, no transposition of the curves
            walk = np.cumsum(rng.standard_normal((count * lanes, int(unique[0]) + 2)), axis=1)
            curves = FM.drift_field(length, walk.reshape(count, lanes, -1), top.reshape(count, lanes), series.dtype)
        else:
            rows_out = np.empty((count * lanes, length))
            for value in unique:
                rows = points == value
                walk = np.cumsum(rng.standard_normal((int(rows.sum()), int(value) + 2)), axis=1)
                rows_out[rows] = FM.drift_curves(length, walk) * top[rows, None]
            curves = np.ascontiguousarray(rows_out.reshape(count, lanes, length).transpose(0, 2, 1))
        return FM.drift(series, curves, 1.0, self.kind, self.normalize)


class AddNoise(_Magnitude):
    """Add i.i.d. noise (tsaug's ``AddNoise``): ``e = loc + scale * noise``, then ``x + e * range``
    (additive, normalized: range = max - min of each channel of each series), ``x + e`` (additive) or
    ``x * (1 + e)`` (multiplicative).

    Args:
        loc: mean of the noise (a range is drawn per series). Default 0.
        scale: spread of the noise (a range is drawn per series). Default 0.1.
        distribution: ``"gaussian"`` (standard deviation ``scale``), ``"laplace"`` (scale parameter
            ``scale``, as tsaug) or ``"uniform"`` (on ``+-sqrt(3) * scale``: standard deviation ``scale``).
        kind: ``"additive"`` or ``"multiplicative"``.
        per_channel: independent noise per channel (True) or one noise shared by the channels.
        normalize: scale additive noise by each channel's range in that series (tsaug's default).
        channel_scales: optional per-channel multipliers of ``scale`` (one number per channel of the
            series passed; e.g. ``(1.0, 0.1)`` makes the second channel's noise ten times weaker).
        p: probability of applying the transform.

    Example:
        >>> t = AddNoise(scale=(0.01, 0.1), distribution="laplace", channel_scales=(1.0, 0.5, 0.5), p=1.0)
    """

    def __init__(
        self,
        loc: float | Sequence[float] = 0.0,
        scale: float | Sequence[float] = 0.1,
        distribution: str = "gaussian",
        kind: str = "additive",
        per_channel: bool = True,
        normalize: bool = True,
        channel_scales: Sequence[float] | None = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.loc = as_range(owner, "loc", loc)
        self.scale = as_range(owner, "scale", scale, low=0.0)
        self.distribution = as_choice(owner, "distribution", distribution, ("gaussian", "laplace", "uniform"))
        self.kind = as_choice(owner, "kind", kind, ("additive", "multiplicative"))
        self.per_channel = as_bool(owner, "per_channel", per_channel)
        self.normalize = as_bool(owner, "normalize", normalize)
        if channel_scales is not None:
            given = channel_scales
            channel_scales = as_float_tuple(owner, "channel_scales", given)
            if min(channel_scales) < 0:
                raise ArgumentError(f"{owner}: argument 'channel_scales' expects numbers >= 0, one per channel; got {given!r}")
        self.channel_scales = channel_scales

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        if self.channel_scales is not None and len(self.channel_scales) != state.channels:
            raise TargetError(
                f"{type(self).__name__}: argument 'channel_scales' has {len(self.channel_scales)} values but target "
                f"'series' has {state.channels} channels"
            )
        count = state.batch_size
        return {
            "loc": per_series_uniform(rng, self.loc, count),
            "scale": per_series_uniform(rng, self.scale, count),
            "seed": draw_seed(rng),
        }

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        count, length, channels = series.shape
        shape = (count, length, channels if self.per_channel else 1)
        noise = FM.standard_noise(params["seed"], shape, self.distribution, series.dtype)
        return FM.add_noise(series, noise, params["loc"], params["scale"], self.kind, self.normalize, self.channel_scales)


class Quantize(_Magnitude):
    """Round each channel of each series to a set of ``n_levels`` levels (tsaug's ``Quantize``).

    ``how="uniform"``: equal bins over the channel's range, values go to their bin's centre (tsaug's
    documented behaviour; its code rounds rather than floors, shifting values by half a bin).
    ``"quantile"``: bins hold equal numbers of values; each value becomes its bin's middle quantile
    (what tsaug intends: its code passes the quantiles divided by 100). ``"kmeans"``: 1-D k-means
    levels (deterministic Lloyd iterations from the quantile levels; no scikit-learn).

    Args:
        n_levels: number of levels (>= 1), or an inclusive ``(min, max)`` range drawn per series
            (per series and channel with ``per_channel``). Default 10.
        how: ``"uniform"``, ``"quantile"`` or ``"kmeans"``.
        per_channel: draw the level count per channel (only used for a range).
        p: probability of applying the transform.

    Example:
        >>> t = Quantize(n_levels=(5, 20), how="quantile", p=1.0)
    """

    def __init__(
        self, n_levels: int | Sequence[int] = 10, how: str = "uniform", per_channel: bool = False, p: float = 0.5
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.n_levels = as_int_range(owner, "n_levels", n_levels, low=1)
        self.how = as_choice(owner, "how", how, ("uniform", "quantile", "kmeans"))
        self.per_channel = as_bool(owner, "per_channel", per_channel)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(n_levels=(4, 16), p=1.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        lanes = state.channels if self.per_channel else 1
        return {"n_levels": per_series_int(rng, self.n_levels, state.batch_size, lanes)}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FM.quantize(series, params["n_levels"], self.how)
