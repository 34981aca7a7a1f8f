"""The time-series data model: ``series`` as a call target, and the series transform base class.

A call passes ``series``: float32 or float64 ``(T,)``, ``(T, C)`` or a batch ``(N, T, C)``; every
transform draws its parameters per series (one draw per series, not per batch) and applies them in
one vectorized pass. Optional targets: ``step_labels`` (per-step labels ``(T,)``/``(N, T)``, or
``(T, L)``/``(N, T, L)``), moved with the steps by every time transform, and ``labels`` (one class per
series, ``(N,)``), used by the class-guided methods. Keys mapped to ``"series"`` in a pipeline's
``additional_targets`` get the same draw (paired series).

>>> import numpy as np, augkit as ak
>>> ak.timeseries.Reverse(p=1.0)(series=np.arange(4.0))["series"].tolist()
[3.0, 2.0, 1.0, 0.0]
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import TargetError, TargetTypeError, describe
from augkit.core.modality import ModalityState, register_modality
from augkit.core.registry import suggest
from augkit.core.targets import TargetSettings
from augkit.core.transform import Path, Record, Transform
from augkit.core.validate import all_finite

__all__ = ["SeriesState", "SeriesTransform"]


class SeriesTransform(Transform):
    """A series transform: ``sample`` draws per-series parameters (lists of length N), the kernels
    apply them to the whole ``(N, T, C)`` batch at once.

    Transforms that move, drop or resample time steps set ``moves_time = True`` and implement
    ``apply_step_labels`` (labels follow their steps, nearest-step, never interpolated).
    """

    _abstract = True
    _name_prefix = "timeseries"
    modality = "series"
    targets: ClassVar[frozenset[str]] = frozenset({"series"})
    #: True when the transform moves, drops or resamples steps (per-step labels then move too).
    moves_time: ClassVar[bool] = False
    #: True when an output series blends several input series (MixUp, guided warping), so identical
    #: inputs may give identical outputs whatever the per-series draws.
    mixes_series: ClassVar[bool] = False

    #: False for transforms that change the series length (Crop, Resize): ``p`` then decides for the
    #: whole batch, since a batch cannot hold series of two lengths.
    keeps_length: ClassVar[bool] = True
    #: True when the transform turns class ``labels`` into soft targets (``apply_labels``).
    mixes_labels: ClassVar[bool] = False

    def _run(self, state: Any, rng: np.random.Generator, rec: list[Record] | None, path: Path | None) -> None:
        """``p`` is drawn per series (as tsaug does): the kernels run on the batch and the series whose
        draw failed are restored; the record's ``series_mask`` says which series changed."""
        p = self.p
        if p >= 1.0 or not self.keeps_length or p <= 0.0:
            super()._run(state, rng, rec, path)
            return
        mask = rng.random(state.batch_size) < p
        if not mask.any():
            self._skip(rec, path)
            return
        params = self.sample(rng, state)
        if not mask.all():
            params["series_mask"] = mask.tolist()
        self._apply(state, params, rec, path)

    def sample(self, rng: np.random.Generator, state: Any) -> dict[str, Any]:
        """Draw per-series parameters; ``state`` has ``batch_size``, ``length``, ``channels``,
        ``series`` (the main ``(N, T, C)`` array) and ``labels`` (or None)."""
        return {}

    def apply_series(self, series: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        """The kernel: an ``(N, T, C)`` float batch in, a new array of the same dtype out."""
        raise NotImplementedError

    def apply_step_labels(self, labels: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        """Move ``(N, T, L)`` per-step labels as ``apply_series`` moves the steps (time transforms)."""
        raise NotImplementedError

    def apply_labels(self, labels: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        """For ``mixes_labels`` transforms: class labels ``(N,)`` to soft targets ``(N, K)`` float32."""
        raise NotImplementedError


class SeriesState(ModalityState):
    """One call's series (per key, as ``(N, T, C)``), per-step labels and class labels."""

    def __init__(self, owner: str, settings: TargetSettings) -> None:
        super().__init__(owner, settings)
        self.arrays: dict[str, np.ndarray] = {}
        self.step_labels: np.ndarray | None = None  # (N, T, L)
        self.labels: np.ndarray | None = None
        self.layouts: dict[str, int] = {}  # key -> ndim given
        self.single = False  # the call passed one series, (T,) or (T, C)

    @property
    def series(self) -> np.ndarray:
        return self.arrays["series"]

    @property
    def batch_size(self) -> int:
        return int(self.series.shape[0])

    @property
    def length(self) -> int:
        return int(self.series.shape[1])

    @property
    def channels(self) -> int:
        return int(self.series.shape[2])

    def record_shape(self) -> list[int]:
        return list(self.series.shape)

    def apply(self, transform: Transform, params: dict[str, Any]) -> None:
        if not self.kinds <= transform.targets:
            self.check_supported(transform)
        series_transform: SeriesTransform = transform  # type: ignore[assignment]
        mask = params.get("series_mask")
        keep = None if mask is None else ~np.asarray(mask, dtype=bool)
        for key, value in self.arrays.items():
            self.arrays[key] = _restore(series_transform.apply_series(value, params), value, keep)
        if self.step_labels is not None and series_transform.moves_time:
            self.step_labels = _restore(series_transform.apply_step_labels(self.step_labels, params), self.step_labels, keep)
        if self.labels is not None and series_transform.mixes_labels:
            if self.labels.ndim != 1:
                raise TargetError(
                    f"{type(transform).__name__}: target 'labels' expects class indices (N,); got soft targets of shape "
                    f"{self.labels.shape} (mix once per pipeline)"
                )
            soft = series_transform.apply_labels(self.labels, params)
            if keep is not None and keep.any():
                soft[keep] = 0.0
                soft[keep, self.labels[keep]] = 1.0
            self.labels = soft

    def finish(self, targets: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, given in targets.items():
            if key == "labels":
                if self.labels is not None and self.labels.ndim == 2:
                    out[key] = self.labels  # soft targets made by a mixing transform
                else:
                    out[key] = np.array(given, copy=True) if isinstance(given, np.ndarray) else list(given)
                continue
            value = self.step_labels if key == "step_labels" else self.arrays[key]
            assert value is not None
            ndim = self.layouts[key]
            if key == "step_labels":
                if self.single:
                    value = value[0, :, 0] if ndim == 1 else value[0]
                elif ndim == 2:
                    value = value[..., 0]
            else:
                value = value[0, :, 0] if ndim == 1 else value[0] if ndim == 2 else value
            if not value.flags.c_contiguous or np.may_share_memory(value, given):
                value = np.array(value, order="C", copy=True)
            out[key] = value
        return out


def _check_series(owner: str, name: str, value: Any) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise TargetTypeError(f"{owner}: target {name!r} expects a numpy array (T,), (T, C) or (N, T, C); got {describe(value)}")
    if value.dtype not in (np.float32, np.float64):
        raise TargetTypeError(
            f"{owner}: target {name!r} expects dtype float32 or float64; got {value.dtype}"
            + (" (convert with .astype(np.float32))" if value.dtype.kind in "iub" else "")
        )
    if value.ndim not in (1, 2, 3):
        raise TargetError(f"{owner}: target {name!r} expects (T,), (T, C) or (N, T, C); got shape {value.shape}")
    if value.size == 0:
        raise TargetError(f"{owner}: target {name!r} is empty (shape {value.shape}); expected at least one step")
    if not all_finite(np.ascontiguousarray(value)):
        raise TargetError(f"{owner}: target {name!r} contains NaN or infinite values (fill or interpolate them first)")
    batch = value.reshape(1, -1, 1) if value.ndim == 1 else value[None] if value.ndim == 2 else value
    return np.ascontiguousarray(batch)


def prepare_series(owner: str, settings: TargetSettings, targets: dict[str, Any]) -> SeriesState:
    """Validate a time-series call and build its working state."""
    state = SeriesState(owner, settings)
    extra = settings.additional_targets
    for key in targets:
        if extra.get(key, key) != "series" and key not in ("step_labels", "labels"):
            accepted = ["series", "step_labels", "labels", *extra]
            raise TargetTypeError(
                f"{owner}: unknown target {key!r} in a series call.{suggest(key, accepted)} "
                f"Accepted targets: {', '.join(accepted)}"
            )
    if "series" not in targets:
        raise TargetError(f"{owner}: a time-series call needs 'series'")
    for key, value in targets.items():
        if extra.get(key, key) == "series":
            state.arrays[key] = _check_series(owner, key, value)
            state.layouts[key] = value.ndim
    main = state.arrays["series"]
    for key, value in state.arrays.items():
        if value.shape[:2] != main.shape[:2]:
            raise TargetError(
                f"{owner}: target {key!r} has shape {targets[key].shape}; paired series expect the same number of "
                f"series and steps as 'series', shape {targets['series'].shape}"
            )
    single = state.single = targets["series"].ndim < 3
    count, steps = main.shape[:2]
    if "step_labels" in targets:
        labels = np.asarray(targets["step_labels"])
        state.layouts["step_labels"] = labels.ndim
        expected = "(T,) or (T, L)" if single else "(N, T) or (N, T, L)"
        lead = labels.shape[:1] if single else labels.shape[:2]
        if labels.ndim not in ((1, 2) if single else (2, 3)) or lead != ((steps,) if single else (count, steps)):
            raise TargetError(
                f"{owner}: target 'step_labels' expects {expected} matching the series' {steps} steps; got shape {labels.shape}"
            )
        batch = labels[None] if single else labels
        state.step_labels = np.ascontiguousarray(batch[..., None] if batch.ndim == 2 else batch)
    if "labels" in targets:
        labels = np.asarray(targets["labels"])
        if labels.ndim != 1 or len(labels) != count:
            raise TargetError(f"{owner}: target 'labels' expects one class label per series ({count}); got shape {labels.shape}")
        state.labels = labels
    state.kinds = frozenset({"series"})
    return state


register_modality("series", ("series",), prepare_series)


def _restore(result: np.ndarray, original: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    """``result`` with the series marked in ``keep`` put back as they were (per-series ``p``)."""
    if keep is None or not keep.any():
        return result
    if result.shape != original.shape:
        raise TargetError(f"a per-series p needs a length-keeping transform; got shape {result.shape} from {original.shape}")
    if np.shares_memory(result, original):
        result = result.copy()
    result[keep] = original[keep]
    return result
