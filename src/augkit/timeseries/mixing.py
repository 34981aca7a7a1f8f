"""Mixing and class-guided warping: ``MixUp`` for series, ``SPAWNER`` (Kamycki et al., 2019),
``RandomGuidedWarp`` and ``DiscriminativeGuidedWarp`` (DGW; Iwana & Uchida, ICPR 2020).

The guided methods need ``labels`` (one class per series, ``(N,)``) and pick their partners inside
the batch among series of the same class; they align series by DTW with a Sakoe-Chiba band of
``window * T`` steps (the survey's ``ceil(T / 10)``), computed once per call from ``series``. The
alignment is recorded as a compact encoded path per series, so replay is exact and paired series and
per-step labels follow the same warp (labels take the nearest step along the series' own path).

>>> import numpy as np
>>> x = np.random.default_rng(0).normal(size=(6, 40, 2))
>>> out = RandomGuidedWarp(p=1.0)(series=x, labels=np.array([0, 0, 0, 1, 1, 1]), rng=0)
>>> out["series"].shape
(6, 40, 2)
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.rng import draw_seed
from augkit.core.validate import as_bool, as_float, as_int
from augkit.timeseries.base import SeriesTransform
from augkit.timeseries.functional import dtw as FD
from augkit.timeseries.functional import magnitude as FM
from augkit.timeseries.functional import mixing as FX
from augkit.timeseries.functional import time as FT
from augkit.timeseries.functional import warping as FW
from augkit.timeseries.functional._draws import too_short, window_steps

__all__ = ["SPAWNER", "DiscriminativeGuidedWarp", "MixUp", "RandomGuidedWarp"]

Params = dict[str, Any]


class MixUp(SeriesTransform):
    """Blend each series with a partner of the batch (Zhang et al.'s mixup): ``w * x + (1 - w) * x[partner]``,
    ``w ~ Beta(alpha, alpha)`` per series, partners a random permutation of the batch (a series may
    draw itself and stay).

    Class labels become soft targets ``(N, num_classes)`` float32 mixed with the same weights,
    through :meth:`apply_labels` (``F.mixup_labels``); a call with ``labels`` needs ``num_classes``.
    Per-step labels are not mixed: they stay those of the series itself.

    Args:
        alpha: Beta(alpha, alpha) for the weights (> 0). Default 0.2.
        num_classes: the number of classes, for soft targets (None: no labels expected).
        p: probability of applying the transform.

    Example:
        >>> t = MixUp(alpha=0.4, num_classes=10, p=1.0)
    """

    has_random_params = True
    #: Each output series blends two series of the batch.
    mixes_series: ClassVar[bool] = True
    #: The transform rewrites ``labels`` (soft targets) through :meth:`apply_labels`.
    mixes_labels: ClassVar[bool] = True

    def __init__(self, alpha: float = 0.2, num_classes: int | None = None, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.alpha = as_float(owner, "alpha", alpha, low=0.0)
        if self.alpha <= 0.0:
            raise ArgumentError(f"{owner}: argument 'alpha' expects a number > 0; got {describe(alpha)}")
        self.num_classes = None if num_classes is None else as_int(owner, "num_classes", num_classes, low=1)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(alpha=0.4, num_classes=2, p=1.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        if state.labels is not None and self.num_classes is None:
            raise TargetError(
                f"{type(self).__name__}: target 'labels' is mixed into soft targets, which needs argument 'num_classes'; got None"
            )
        count = state.batch_size
        return {"partner": rng.permutation(count).tolist(), "weight": rng.beta(self.alpha, self.alpha, count).tolist()}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FX.mixup(series, params["partner"], params["weight"])

    def apply_labels(self, labels: np.ndarray, params: Params, /) -> np.ndarray:
        """Soft targets ``(N, num_classes)`` float32 from integer class labels ``(N,)``."""
        owner = type(self).__name__
        if self.num_classes is None:
            raise TargetError(f"{owner}: target 'labels' needs argument 'num_classes' to build soft targets")
        y = np.asarray(labels)
        if y.dtype.kind not in "iu" or y.ndim != 1 or (len(y) and (y.min() < 0 or y.max() >= self.num_classes)):
            raise TargetError(
                f"{owner}: target 'labels' expects integer classes in [0, {self.num_classes}); got {describe(labels)}"
            )
        return FX.mixup_labels(y, params["partner"], params["weight"], self.num_classes)


class _Guided(SeriesTransform):
    """Class-guided warps: same-class partners from ``labels``, DTW alignment in ``sample``."""

    _abstract = True
    has_random_params = True
    moves_time = True
    #: The warp of each series is guided by other series of the batch (identical series warp alike).
    mixes_series: ClassVar[bool] = True
    required_targets = frozenset({"labels"})

    def _set_window(self, window: float | None) -> None:
        owner = type(self).__name__
        self.window = None if window is None else as_float(owner, "window", window, low=0.0, high=1.0)

    def _radius(self, length: int) -> int | None:
        return None if self.window is None else math.ceil(self.window * length - 1e-9)

    def _labels(self, state: Any, needed: int = 2) -> np.ndarray:
        owner = type(self).__name__
        if state.labels is None:
            raise TargetError(
                f"{owner}: needs target 'labels' (one class label per series, shape (N,)) to pick partners of the same class"
            )
        if state.length < needed:
            raise too_short(owner, state.length, needed, "DTW-guided warping")
        return np.asarray(state.labels)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(p=1.0)

    def _slice(self, rng: np.random.Generator, paths: list[str], length: int) -> Params:
        """Iwana & Uchida's variable window slice after a guided warp: ``0.9 + 0.1 * a / max(a)`` of
        the length, ``a`` the mean distance the warp moved each series' steps."""
        count = len(paths)
        moved = np.abs(FX.path_source_positions(paths, length, "a") - np.arange(length)).mean(axis=1)
        top = moved.max() if count else 0.0
        ratio = 0.9 + 0.1 * (moved / top if top > 0 else np.zeros(count))
        sizes = np.array([min(length, max(min(2, length), window_steps(r, length))) for r in ratio.tolist()], dtype=np.int64)
        return {"start": (rng.random(count) * (length - sizes + 1)).astype(np.int64).tolist(), "size": sizes.tolist()}

    def _positions(self, length: int, params: Params) -> np.ndarray:
        warped = FX.path_source_positions(params["path"], length, "a")
        if "start" not in params:
            return warped
        window = FW.window_slice_path(length, params["start"], params["size"])
        return FT.resample_at(warped[..., None], window)[..., 0]

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.resample_at(series, self._positions(series.shape[1], params))

    def apply_step_labels(self, labels: np.ndarray, params: Params, /) -> np.ndarray:
        return FT.nearest_steps(labels, self._positions(labels.shape[1], params))


class SPAWNER(_Guided):
    """SPAWNER (Kamycki, Kapuscinski & Ocieczek, 2019, in Iwana & Uchida's form): each series and a
    random other series of its class are split at a random step, each half aligned by DTW, the two
    read along the joint path and averaged, resampled to the length, and Gaussian noise of ``sigma``
    added. A series alone in its class is only jittered.

    Args:
        sigma: standard deviation of the added noise. Default 0.05.
        window: Sakoe-Chiba band as a fraction of the length (None: no band). Default 0.1.
        p: probability of applying the transform.

    Example:
        >>> t = SPAWNER(sigma=0.05, window=0.1, p=1.0)
    """

    def __init__(self, sigma: float = 0.05, window: float | None = 0.1, p: float = 0.5) -> None:
        super().__init__(p)
        self.sigma = as_float(type(self).__name__, "sigma", sigma, low=0.0)
        self._set_window(window)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        labels = self._labels(state, needed=3)
        count, length = state.batch_size, state.length
        partner = FD.same_class_partners(labels, rng.random(count))
        split = rng.integers(1, length - 1, size=count)
        paths = FX.spawner_paths(state.series, partner, split, self._radius(length))
        return {"partner": partner.tolist(), "split": split.tolist(), "path": paths, "seed": draw_seed(rng)}

    def apply_series(self, series: np.ndarray, params: Params, /) -> np.ndarray:
        mixed = FX.spawner(series, params["partner"], params["path"])
        return FM.jitter(mixed, self.sigma, params["seed"])


class RandomGuidedWarp(_Guided):
    """Random guided warping (RGW; Iwana & Uchida, ICPR 2020): warp each series to the time structure
    of a random other series of its class (the prototype): align the two by DTW and read the series
    along the path, resampled to its length. A series alone in its class is kept.

    Args:
        window: Sakoe-Chiba band as a fraction of the length (None: no band). Default 0.1.
        variable_slice: follow with DGW's variable window slice (off by default, as in the survey's RGW).
        p: probability of applying the transform.

    Example:
        >>> t = RandomGuidedWarp(window=0.1, p=1.0)
    """

    def __init__(self, window: float | None = 0.1, variable_slice: bool = False, p: float = 0.5) -> None:
        super().__init__(p)
        self._set_window(window)
        self.variable_slice = as_bool(type(self).__name__, "variable_slice", variable_slice)

    @classmethod
    def example(cls) -> SeriesTransform:
        return cls(variable_slice=True, p=1.0)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        labels = self._labels(state)
        partner = FD.same_class_partners(labels, rng.random(state.batch_size))
        paths = FX.guided_paths(state.series, partner, self._radius(state.length))
        params: Params = {"prototype": partner.tolist(), "path": paths}
        if self.variable_slice:
            params.update(self._slice(rng, paths, state.length))
        return params


class DiscriminativeGuidedWarp(_Guided):
    """Discriminative guided warping (DGW; Iwana & Uchida, ICPR 2020): as :class:`RandomGuidedWarp`,
    but the prototype is the most discriminative of up to ``ceil(batch_size / 2)`` random same-class
    candidates: the one with the largest mean DTW distance to up to ``floor(batch_size / 2)`` random
    other-class series minus its mean distance to the other candidates. With ``variable_slice`` a
    window slice follows, of ``0.9 + 0.1 * a / max(a)`` of the length (``a``: how far the warp moved
    the series' steps on average), as in the survey. A series without a candidate of its class or of
    another class is only sliced. Costs about ``batch_size * 2`` DTW computations per series.

    Args:
        batch_size: candidates per series, split between same-class and other-class ones (>= 2). Default 6.
        window: Sakoe-Chiba band as a fraction of the length (None: no band). Default 0.1.
        variable_slice: follow with the variable window slice. Default True.
        p: probability of applying the transform.

    Example:
        >>> t = DiscriminativeGuidedWarp(batch_size=6, window=0.1, p=1.0)
    """

    def __init__(self, batch_size: int = 6, window: float | None = 0.1, variable_slice: bool = True, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.batch_size = as_int(owner, "batch_size", batch_size, low=2)
        self._set_window(window)
        self.variable_slice = as_bool(owner, "variable_slice", variable_slice)

    def sample(self, rng: np.random.Generator, state: Any) -> Params:
        labels = self._labels(state)
        count, length = state.batch_size, state.length
        codes = np.unique(labels, return_inverse=True)[1].reshape(-1)
        want_pos, want_neg = (self.batch_size + 1) // 2, self.batch_size // 2
        positives: list[list[int]] = []
        negatives: list[list[int]] = []
        index = np.arange(count)
        for row in range(count):
            same = codes == codes[row]
            same[row] = False
            pool_pos, pool_neg = index[same], index[codes != codes[row]]
            positives.append(rng.choice(pool_pos, min(want_pos, len(pool_pos)), replace=False).tolist())
            negatives.append(rng.choice(pool_neg, min(want_neg, len(pool_neg)), replace=False).tolist())
        radius = self._radius(length)
        prototype = FX.discriminative_prototypes(state.series, positives, negatives, radius)
        paths = FX.guided_paths(state.series, prototype, radius)
        params: Params = {"prototype": prototype.tolist(), "path": paths}
        if self.variable_slice:
            params.update(self._slice(rng, paths, length))
        return params
