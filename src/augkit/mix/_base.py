"""The base class of the batch mixers: argument checks, the call, provenance records and replay.

A mixer is a parameter sampler plus pure kernels, like every augkit transform: ``sample`` draws
the partner of each image, the weights and boxes (JSON-safe values) on the host; ``_mix`` applies
them. ``record=True`` returns those draws, and ``replay(record, ...)`` applies them again, so the
output is reproduced bit for bit.

>>> import numpy as np
>>> from augkit.mix import MixUp
>>> images = np.zeros((4, 8, 8, 3), np.uint8)
>>> out, targets, rec = MixUp(alpha=1.0, num_classes=3)(images, np.array([0, 1, 2, 0]), rng=0, record=True)
>>> again, targets_again = MixUp(alpha=1.0, num_classes=3).replay(rec, images, np.array([0, 1, 2, 0]))
>>> bool((targets == targets_again).all())
True
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.registry import suggest
from augkit.core.rng import as_generator
from augkit.core.validate import as_choice, as_float, as_int
from augkit.mix import _kernels
from augkit.mix._backend import (
    Batch,
    Labels,
    Masks,
    check_images,
    check_labels,
    check_masks,
    mix_soft_targets,
    require_torch,
    soft_targets_numpy,
    soft_targets_torch,
    to_device,
)

__all__ = ["BatchMixer", "Mixed", "check_alpha", "check_common"]

PARTNERS = ("permutation", "flip")


class _MixerMeta(type):
    """Rejects unknown keyword arguments (listing the valid ones) and freezes the instance after ``__init__``."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        names: tuple[str, ...] = cls._param_names  # type: ignore[attr-defined]
        for key in kwargs:
            if key not in names:
                hint = suggest(key, list(names))
                raise ArgumentError(f"{cls.__name__}: unknown argument {key!r}.{hint} Valid arguments: {', '.join(names)}")
        if len(args) > len(names):
            raise ArgumentError(
                f"{cls.__name__}: takes at most {len(names)} positional arguments ({', '.join(names)}); got {len(args)}"
            )
        instance = super().__call__(*args, **kwargs)
        object.__setattr__(instance, "_frozen", True)
        return instance


@dataclass
class Mixed:
    """What a mixer's kernel returns: new images (and masks), each image's own-label weight and partner."""

    images: Any
    masks: Any
    weight: Any  # numpy (N,) on the host, or a device tensor when the weight depends on the pixels
    partner: np.ndarray
    found: dict[str, Any] = field(default_factory=dict)  # data-dependent draws to add to a record


def check_alpha(owner: str, name: str, value: object, *, allow_zero: bool = False) -> float:
    """A Beta-distribution parameter: a finite number > 0 (or >= 0 when 0 means 'off')."""
    expected = "a number >= 0 (0 turns the method off)" if allow_zero else "a number > 0 (the Beta(alpha, alpha) parameter)"
    try:
        number = as_float(owner, name, value)
    except ArgumentError:
        number = -1.0
    if number < 0.0 or (number == 0.0 and not allow_zero):
        raise ArgumentError(f"{owner}: argument {name!r} expects {expected}; got {describe(value)}")
    return number


def check_common(owner: str, label_smoothing: object, num_classes: object, partner: object, seed: object) -> tuple[Any, ...]:
    """The arguments every mixer shares, checked."""
    smoothing = as_float(owner, "label_smoothing", label_smoothing, low=0.0)
    if smoothing >= 1.0:
        raise ArgumentError(f"{owner}: argument 'label_smoothing' expects a number in [0, 1); got {describe(label_smoothing)}")
    classes = None if num_classes is None else as_int(owner, "num_classes", num_classes, low=1)
    strategy = as_choice(owner, "partner", partner, PARTNERS)
    if seed is not None and not (isinstance(seed, Integral) and not isinstance(seed, bool) and int(seed) >= 0):
        raise ArgumentError(f"{owner}: argument 'seed' expects an integer >= 0 or None; got {describe(seed)}")
    return smoothing, classes, strategy, None if seed is None else int(seed)


class BatchMixer(metaclass=_MixerMeta):
    """Mixes images of a batch with partners from the same batch and returns soft targets.

    Call: ``mixer(images, labels, masks=None, rng=None, record=False)`` returns ``(images, targets)``,
    then ``masks`` when masks were given, then the record when ``record=True``. Outputs are new
    arrays (never views of the inputs), except with ``inplace=True`` where a mixer offers it: then
    the images (and masks) passed in are overwritten and returned. Pixels are not scanned for NaN (that pass would cost as
    much as the mix); labels are.
    """

    _param_names: ClassVar[tuple[str, ...]] = ()
    _frozen: bool = False
    _inplace: bool = False  # mixers with an ``inplace`` argument write their result into the inputs
    label_smoothing: float
    num_classes: int | None
    partner: str
    seed: int | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        signature = inspect.signature(cls.__init__)
        cls._param_names = tuple(
            name
            for name, parameter in signature.parameters.items()
            if name != "self" and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        )

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            raise AttributeError(f"{type(self).__name__} is immutable; build a new one with .with_params({name}=...)")
        object.__setattr__(self, name, value)

    def _set_common(self, label_smoothing: object, num_classes: object, partner: object, seed: object) -> None:
        owner = type(self).__name__
        self.label_smoothing, self.num_classes, self.partner, self.seed = check_common(
            owner, label_smoothing, num_classes, partner, seed
        )
        self._own_rng = None if self.seed is None else np.random.default_rng(self.seed)

    # ------------------------------------------------------------------ what subclasses provide
    def blends(self) -> bool:
        """True when the mixer may blend pixel values (masks must then be soft maps)."""
        return True

    def sample(self, rng: np.random.Generator, n: int, height: int, width: int) -> dict[str, Any]:
        """Draw one call's parameters (JSON-safe) for a batch of ``n`` images of ``height x width``."""
        raise NotImplementedError

    def _mix(self, batch: Batch, masks: Masks | None, params: dict[str, Any], labels: Labels | None) -> Mixed:
        raise NotImplementedError

    # ------------------------------------------------------------------ calling
    def __call__(
        self,
        images: Any,
        labels: Any = None,
        *,
        masks: Any = None,
        rng: np.random.Generator | int | None = None,
        record: bool = False,
    ) -> tuple[Any, ...]:
        """Mix a batch; returns ``(images, targets[, masks][, record])`` (targets is None without labels)."""
        owner = type(self).__name__
        batch, checked_labels, checked_masks = self._check(owner, images, labels, masks)
        own = self._own_rng
        generator = as_generator(owner, rng) if rng is not None or own is None else own
        params = self.sample(generator, batch.n, batch.height, batch.width)
        return self._run(batch, checked_labels, checked_masks, params, record)

    def replay(self, record: dict[str, Any], images: Any, labels: Any = None, *, masks: Any = None) -> tuple[Any, ...]:
        """Apply a record from ``record=True`` again: same inputs give the same outputs, bit for bit."""
        owner = type(self).__name__
        if not isinstance(record, dict) or "params" not in record or "name" not in record:
            raise TargetError(
                f"{owner}.replay: argument 'record' expects the dict a record=True call returned; got {describe(record)}"
            )
        if record["name"] != owner:
            raise TargetError(f"{owner}.replay: the record was made by {record['name']!r}, not {owner!r}")
        batch, checked_labels, checked_masks = self._check(owner, images, labels, masks)
        if list(record.get("shape", [])) != [batch.n, batch.height, batch.width]:
            raise TargetError(
                f"{owner}.replay: the record is for a batch of N, H, W = {record.get('shape')}; "
                f"got images with N, H, W = {[batch.n, batch.height, batch.width]}"
            )
        try:
            return self._run(batch, checked_labels, checked_masks, record["params"], False)
        except (KeyError, TypeError, IndexError, ValueError) as error:
            if isinstance(error, TargetError):
                raise
            raise TargetError(
                f"{owner}.replay: the record's params do not fit this mixer ({type(error).__name__}: {error})"
            ) from None

    def _check(self, owner: str, images: Any, labels: Any, masks: Any) -> tuple[Batch, Labels | None, Masks | None]:
        batch = check_images(owner, images)
        if labels is None and masks is None:
            raise TargetError(f"{owner}: needs 'labels' (class indices or soft targets) or 'masks' to mix with the images")
        checked_labels = None if labels is None else check_labels(owner, labels, batch, self.num_classes)
        checked_masks = None if masks is None else check_masks(owner, masks, batch, blends=self.blends())
        if self._inplace:
            for name, checked in (("images", batch), ("masks", checked_masks)):
                if checked is not None and isinstance(checked.array, np.ndarray) and not checked.array.flags.writeable:
                    raise TargetError(f"{owner}: inplace=True writes into {name!r}, but that array is read-only")
        return batch, checked_labels, checked_masks

    def _run(
        self, batch: Batch, labels: Labels | None, masks: Masks | None, params: dict[str, Any], record: bool
    ) -> tuple[Any, ...]:
        if params.get("applied", True):
            mixed = self._mix(batch, masks, params, labels)
        else:
            identity = np.arange(batch.n)
            keep = (lambda array: array) if self._inplace else _kernels.copy_batch
            mixed = Mixed(
                keep(batch.array),
                None if masks is None else keep(masks.array),
                np.ones(batch.n),
                identity,
            )
        targets: Any = None
        if (
            labels is not None
            and not batch.torch
            and not labels.torch
            and labels.indices
            and isinstance(mixed.weight, np.ndarray)
        ):
            targets = mixed_one_hot(labels.array, labels.num_classes, self.label_smoothing, mixed.partner, mixed.weight)
        elif labels is not None:
            targets = mix_soft_targets(self._soft(batch, labels), mixed.partner, mixed.weight)
        out: list[Any] = [mixed.images, targets]
        if masks is not None:
            out.append(mixed.masks)
        if record:
            found = {key: _plain(value) for key, value in mixed.found.items()}
            entry: dict[str, Any] = {
                "name": type(self).__name__,
                "shape": [batch.n, batch.height, batch.width],
                "params": {**params, **found},
            }
            if "inplace" in self._param_names:
                entry["inplace"] = self._inplace
            out.append(entry)
        return tuple(out)

    def _soft(self, batch: Batch, labels: Labels) -> Any:
        if not batch.torch:
            return soft_targets_numpy(labels.array, labels.num_classes, self.label_smoothing)
        torch = require_torch(type(self).__name__)
        if labels.torch:
            array, device = labels.array, labels.array.device
        else:
            device = batch.device
            array = to_device(torch, labels.array, device)
        if array.ndim == 1 and device.type == "cpu":
            try:
                return soft_targets_torch(torch, array, labels.num_classes, self.label_smoothing, device)
            except RuntimeError as error:
                raise TargetError(
                    f"{type(self).__name__}: target 'labels' expects class indices in [0, {labels.num_classes}) "
                    f"for num_classes={labels.num_classes} ({error})"
                ) from None
        return soft_targets_torch(torch, array, labels.num_classes, self.label_smoothing, device)

    # ------------------------------------------------------------------ configuration
    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as stored."""
        return {name: getattr(self, name) for name in self._param_names}

    def to_dict(self) -> dict[str, Any]:
        """A JSON/YAML-safe description: ``{"name": ..., <argument>: <value>, ...}``."""
        return {"name": type(self).__name__, **{key: _plain(value) for key, value in self.get_params().items()}}

    def with_params(self, **changes: Any) -> BatchMixer:
        """A copy with some arguments changed (instances never change)."""
        return type(self)(**{**self.get_params(), **changes})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"


def mixed_one_hot(labels: np.ndarray, num_classes: int, smoothing: float, partner: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``mix_soft_targets(soft_targets_numpy(labels, ...), partner, weight)`` for class indices, bit for bit,
    written straight into one (N, K) array (no (N, K) temporaries: the general route costs ~0.6 ms
    for 128 x 1000 on this kind of machine, mostly faulting in fresh pages).

    >>> mixed_one_hot(np.array([0, 2]), 3, 0.0, np.array([1, 0]), np.array([0.25, 1.0])).tolist()
    [[0.25, 0.0, 0.75], [0.0, 0.0, 1.0]]
    """
    n = labels.shape[0]
    off = np.float32(smoothing / num_classes)
    on = np.float32(1.0 - smoothing + smoothing / num_classes)
    own = np.asarray(weight, np.float64)
    w1 = own.astype(np.float32)
    w2 = (1.0 - own).astype(np.float32)
    rows = np.arange(n)
    mine, theirs = labels.astype(np.int64), labels[partner].astype(np.int64)
    out = np.empty((n, num_classes), np.float32)
    out[...] = (off * w1 + off * w2)[:, None]
    same = mine == theirs
    out[rows, theirs] = off * w1 + on * w2
    out[rows, mine] = np.where(same, on * w1 + on * w2, on * w1 + off * w2)
    return out


def _plain(value: Any) -> Any:
    """A JSON-safe copy: tuples become lists, numpy/torch values plain numbers (reading a tensor syncs)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "tolist") and callable(value.tolist):
        return value.tolist()
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Real) and math.isfinite(float(value)):
        return float(value)
    return f"<{type(value).__name__}>"
