"""Containers: ``Compose`` (the pipeline users build), ``Sequential``, ``OneOf``, ``SomeOf``,
``RandomApply`` and ``RandomOrder``. All nest; all record which children ran.

>>> import numpy as np, augkit as ak
>>> pipe = ak.Compose([ak.image.HorizontalFlip(p=1.0), ak.image.VerticalFlip(p=1.0)], seed=0)
>>> pipe(image=np.arange(4, dtype=np.uint8).reshape(2, 2))["image"].tolist()
[[3, 2], [1, 0]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from augkit.core.boxes import BBOX_FORMATS
from augkit.core.errors import ArgumentError, describe
from augkit.core.keypoints import KEYPOINT_FORMATS
from augkit.core.modality import ModalityState
from augkit.core.rng import as_generator
from augkit.core.targets import TargetSettings
from augkit.core.transform import BaseTransform, Path, Record
from augkit.core.validate import (
    as_bool,
    as_choice,
    as_float,
    as_float_tuple,
    as_int,
    as_int_range,
    as_probability,
)

__all__ = ["Compose", "OneOf", "RandomApply", "RandomOrder", "Sequential", "SomeOf"]


def _check_transforms(owner: str, transforms: object) -> tuple[BaseTransform, ...]:
    if isinstance(transforms, BaseTransform) or not isinstance(transforms, (list, tuple)):
        raise ArgumentError(f"{owner}: argument 'transforms' expects a list of transforms; got {describe(transforms)}")
    for position, item in enumerate(transforms):
        if not isinstance(item, BaseTransform):
            raise ArgumentError(
                f"{owner}: argument 'transforms' item {position} expects an augkit transform; got {describe(item)}"
            )
    return tuple(transforms)


class _Container(BaseTransform):
    """Holds child transforms; subclasses choose which children run and in what order."""

    _abstract = True
    transforms: tuple[BaseTransform, ...]
    _targets: frozenset[str]

    def __init__(self, transforms: Sequence[BaseTransform], p: float = 1.0) -> None:
        owner = type(self).__name__
        self.transforms = _check_transforms(owner, transforms)
        self.p = as_probability(owner, "p", p)
        kinds: frozenset[str] = frozenset({"image", "mask", "bboxes", "keypoints"})
        if self.transforms:
            kinds = self.transforms[0].targets  # type: ignore[attr-defined]
            for child in self.transforms[1:]:
                kinds &= child.targets  # type: ignore[attr-defined]
        self._targets = kinds

    @property
    def targets(self) -> frozenset[str]:
        """The targets every child supports."""
        return self._targets

    def _run(self, state: ModalityState, rng: np.random.Generator, rec: list[Record] | None, path: Path | None) -> None:
        p = self.p
        if p < 1.0 and (p <= 0.0 or rng.random() >= p):
            self._skip(rec, path)
            return
        children = self.transforms
        order = self._order(rng)
        if rec is None:
            for child in children if order is None else (children[i] for i in order):
                child._run(state, rng, None, None)
            return
        base = path or ()
        for index in range(len(children)) if order is None else order:
            children[index]._run(state, rng, rec, (*base, index))

    def _order(self, rng: np.random.Generator) -> Sequence[int] | None:
        """The indices of the children to run, in order; None means all of them in pipeline order."""
        return None

    def __len__(self) -> int:
        return len(self.transforms)

    def __getitem__(self, index: int) -> BaseTransform:
        return self.transforms[index]

    @classmethod
    def example(cls) -> BaseTransform:
        from augkit import image

        return cls([image.HorizontalFlip(p=0.5), image.RandomBrightnessContrast(p=0.5)])


class Sequential(_Container):
    """Runs every child in order (with probability ``p``)."""


class RandomApply(_Container):
    """Runs every child in order with probability ``p`` (default 0.5), as one unit."""

    def __init__(self, transforms: Sequence[BaseTransform], p: float = 0.5) -> None:
        super().__init__(transforms, p)


class RandomOrder(_Container):
    """Runs every child, in a random order drawn per call."""

    def _order(self, rng: np.random.Generator) -> Sequence[int]:
        return rng.permutation(len(self.transforms)).tolist()


class OneOf(_Container):
    """Runs one child, chosen uniformly or by ``weights``; the chosen child's own ``p`` still applies."""

    def __init__(self, transforms: Sequence[BaseTransform], weights: Sequence[float] | None = None, p: float = 1.0) -> None:
        super().__init__(transforms, p)
        self.weights = _check_weights(type(self).__name__, weights, len(self.transforms))

    def _order(self, rng: np.random.Generator) -> Sequence[int]:
        count = len(self.transforms)
        if count == 0:
            return ()
        if self.weights is None:
            return (min(int(rng.random() * count), count - 1),)
        return (int(rng.choice(count, p=_normalised(self.weights))),)


class SomeOf(_Container):
    """Runs ``n`` children (an int or a ``(min, max)`` range), in pipeline order unless ``shuffle``."""

    def __init__(
        self,
        transforms: Sequence[BaseTransform],
        n: int | Sequence[int] = 1,
        replace: bool = False,
        weights: Sequence[float] | None = None,
        shuffle: bool = False,
        p: float = 1.0,
    ) -> None:
        super().__init__(transforms, p)
        owner = type(self).__name__
        self.n = as_int_range(owner, "n", n, low=0)
        self.replace = as_bool(owner, "replace", replace)
        self.shuffle = as_bool(owner, "shuffle", shuffle)
        self.weights = _check_weights(owner, weights, len(self.transforms))
        if not self.replace and self.n[1] > len(self.transforms):
            raise ArgumentError(
                f"{owner}: argument 'n' expects at most {len(self.transforms)} (the number of transforms) "
                f"when replace=False; got {n}"
            )

    def _order(self, rng: np.random.Generator) -> Sequence[int]:
        low, high = self.n
        count = low if low == high else int(rng.integers(low, high + 1))
        if count == 0:
            return ()
        weights = None if self.weights is None else _normalised(self.weights)
        chosen = rng.choice(len(self.transforms), size=count, replace=self.replace, p=weights).tolist()
        return chosen if self.shuffle else sorted(chosen)

    @classmethod
    def example(cls) -> BaseTransform:
        from augkit import image

        return cls([image.HorizontalFlip(p=1.0), image.VerticalFlip(p=1.0), image.RandomBrightnessContrast(p=1.0)], n=2)


def _check_weights(owner: str, weights: object, count: int) -> tuple[float, ...] | None:
    if weights is None:
        return None
    values = as_float_tuple(owner, "weights", weights)
    if len(values) != count or min(values) < 0 or sum(values) <= 0:
        raise ArgumentError(
            f"{owner}: argument 'weights' expects {count} non-negative numbers with a positive sum; got {describe(weights)}"
        )
    return values


def _normalised(weights: tuple[float, ...]) -> np.ndarray:
    array = np.asarray(weights, dtype=np.float64)
    return array / array.sum()


class Compose(_Container):
    """The pipeline: runs its transforms in order and owns the target settings and the seed.

    Args:
        transforms: the transforms (and containers) to run, in order.
        bbox_format: ``"pascal_voc"``, ``"coco"``, ``"yolo"`` or ``"cxcywh"``.
        bbox_normalized: coordinates are fractions of the image size (default: only for yolo).
        label_fields: per-box call targets carried with the boxes (and dropped with them).
        min_area, min_width, min_height: boxes smaller than these (pixels) after the pipeline are dropped.
        min_visibility: boxes keeping less than this fraction of their input area are dropped.
        keypoint_format: ``"xy"``, ``"yx"``, ``"xya"``, ``"xys"``, ``"xyas"`` or ``"xysa"`` (angles in degrees).
        keypoint_fields: per-keypoint call targets carried with the keypoints.
        keypoint_swap: label mapping applied to the first keypoint field when an image is mirrored,
            e.g. ``{"left_eye": "right_eye"}`` (made symmetric).
        remove_invisible_keypoints: drop keypoints that end up outside the image.
        keypoint_visibility_column: keep keypoints that leave the image but set this column of the
            keypoint table to 0 for them (COCO's ``v``: with ``keypoint_format="xy"``, column 2).
        oriented_fields: per-box call targets carried with ``oriented_bboxes`` (``[cx, cy, w, h, angle]``).
        bind_masks_to_boxes: ``masks`` holds one mask per box (instance segmentation): a box dropped
            by cropping or filtering takes its mask with it.
        keypoints_per_box: ``keypoints`` holds this many rows per box, box after box (pose
            estimation): a dropped box takes its keypoints (and their fields) with it.
        additional_targets: extra call keys and the target kind of each, e.g. ``{"clean": "audio"}``:
            they get the same draw as the main target of that kind (paired data such as the clean and
            noisy versions of one clip). Kinds: those of a registered modality (``audio``,
            ``spectrogram``, ``series``).
        seed: seeds the pipeline's own generator, which advances call by call; ``rng=`` at call time
            bypasses it.
        p: probability of running the pipeline at all.

    Example:
        >>> import augkit as ak
        >>> pipe = ak.Compose([ak.image.HorizontalFlip()], bbox_format="coco", seed=42)
    """

    _settings: TargetSettings
    _rng: np.random.Generator

    def __init__(
        self,
        transforms: Sequence[BaseTransform],
        bbox_format: str = "pascal_voc",
        bbox_normalized: bool | None = None,
        label_fields: Sequence[str] = ("labels",),
        min_area: float = 0.0,
        min_visibility: float = 0.0,
        min_width: float = 0.0,
        min_height: float = 0.0,
        keypoint_format: str = "xy",
        keypoint_fields: Sequence[str] = ("keypoint_labels",),
        keypoint_swap: Mapping[str, str] | None = None,
        remove_invisible_keypoints: bool = False,
        keypoint_visibility_column: int | None = None,
        oriented_fields: Sequence[str] = ("oriented_labels",),
        bind_masks_to_boxes: bool = False,
        keypoints_per_box: int | None = None,
        additional_targets: Mapping[str, str] | None = None,
        seed: int | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(transforms, p)
        owner = "Compose"
        self.bbox_format = as_choice(owner, "bbox_format", bbox_format, BBOX_FORMATS)
        self.bbox_normalized = None if bbox_normalized is None else as_bool(owner, "bbox_normalized", bbox_normalized)
        self.label_fields = _names(owner, "label_fields", label_fields)
        self.min_area = as_float(owner, "min_area", min_area, low=0.0)
        self.min_visibility = as_float(owner, "min_visibility", min_visibility, low=0.0, high=1.0)
        self.min_width = as_float(owner, "min_width", min_width, low=0.0)
        self.min_height = as_float(owner, "min_height", min_height, low=0.0)
        self.keypoint_format = as_choice(owner, "keypoint_format", keypoint_format, KEYPOINT_FORMATS)
        self.keypoint_fields = _names(owner, "keypoint_fields", keypoint_fields)
        self.keypoint_swap = _swap_map(owner, keypoint_swap)
        self.remove_invisible_keypoints = as_bool(owner, "remove_invisible_keypoints", remove_invisible_keypoints)
        self.bind_masks_to_boxes = as_bool(owner, "bind_masks_to_boxes", bind_masks_to_boxes)
        self.keypoints_per_box = (
            None if keypoints_per_box is None else as_int(owner, "keypoints_per_box", keypoints_per_box, low=1)
        )
        if self.keypoints_per_box is not None and self.remove_invisible_keypoints:
            raise ArgumentError(
                "Compose: keypoints_per_box expects every box to keep its keypoint rows; got "
                "remove_invisible_keypoints=True too (use keypoint_visibility_column instead)"
            )
        self.oriented_fields = _names(owner, "oriented_fields", oriented_fields)
        columns = len(KEYPOINT_FORMATS[self.keypoint_format])
        self.keypoint_visibility_column = (
            None
            if keypoint_visibility_column is None
            else as_int(owner, "keypoint_visibility_column", keypoint_visibility_column, low=columns)
        )
        self.seed = None if seed is None else as_int(owner, "seed", seed, low=0)
        reserved = {"image", "images", "mask", "masks", "bboxes", "keypoints", "oriented_bboxes", "rng", "record"}
        fields = self.label_fields + self.keypoint_fields + self.oriented_fields
        if reserved & set(fields) or len(set(fields)) != len(fields):
            raise ArgumentError(
                "Compose: label_fields, keypoint_fields and oriented_fields expect distinct names other than "
                f"{sorted(reserved)}; got {list(fields)}"
            )
        self.additional_targets = _additional_targets(owner, additional_targets, reserved | set(fields))
        symmetric = {**self.keypoint_swap, **{v: k for k, v in self.keypoint_swap.items()}}
        object.__setattr__(
            self,
            "_settings",
            TargetSettings(
                bbox_format=self.bbox_format,
                bbox_normalized=self.bbox_format == "yolo" if self.bbox_normalized is None else self.bbox_normalized,
                label_fields=self.label_fields,
                min_area=self.min_area,
                min_visibility=self.min_visibility,
                min_width=self.min_width,
                min_height=self.min_height,
                keypoint_format=self.keypoint_format,
                keypoint_fields=self.keypoint_fields,
                keypoint_swap=symmetric,
                remove_invisible_keypoints=self.remove_invisible_keypoints,
                bind_masks_to_boxes=self.bind_masks_to_boxes,
                keypoints_per_box=self.keypoints_per_box,
                keypoint_visibility_column=self.keypoint_visibility_column,
                oriented_fields=self.oriented_fields,
                additional_targets=self.additional_targets,
            ),
        )
        object.__setattr__(self, "_rng", np.random.default_rng(self.seed))

    def _target_settings(self) -> TargetSettings:
        return self._settings

    def _call_generator(self, owner: str, rng: object) -> np.random.Generator:
        return self._rng if rng is None else as_generator(owner, rng)

    def _extra_state(self) -> dict[str, Any]:
        return {"_rng": self._rng}


def _names(owner: str, name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ArgumentError(f"{owner}: argument {name!r} expects a list of names; got {describe(value)}")
    return tuple(value)


def _additional_targets(owner: str, value: object, reserved: set[str]) -> dict[str, str]:
    from augkit.core.modality import registered_kinds

    if value is None:
        return {}
    kinds = registered_kinds(pairable=True)
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ArgumentError(
            f"{owner}: argument 'additional_targets' expects a mapping of names to target kinds; got {describe(value)}"
        )
    for key, kind in value.items():
        if kind not in kinds:
            raise ArgumentError(
                f"{owner}: argument 'additional_targets' maps {key!r} to {kind!r}; expected one of {', '.join(kinds)}"
            )
        if key in reserved or key in registered_kinds():
            raise ArgumentError(f"{owner}: argument 'additional_targets' expects a new call key; {key!r} is taken")
    return dict(value)


def _swap_map(owner: str, value: object) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ArgumentError(f"{owner}: argument 'keypoint_swap' expects a mapping of labels; got {describe(value)}")
    return dict(value)
