"""The multi-sample call shared by the detection mixers (Mosaic, DetectionMixUp, CopyPaste).

A sample is a dict with ``image`` (H x W [x C]; uint8, uint16 or float32) and optionally ``bboxes``
(in the mixer's ``bbox_format``) with per-box ``label_fields``, ``masks`` (one H x W instance mask
per box), ``mask`` (a semantic H x W [x C] mask) and ``keypoints`` (in ``keypoint_format``) with
``keypoint_fields``. Each sample is validated by the core target checks (errors name the mixer and
the sample index); every sample must carry the same keys. Inside, boxes are pixel-edge pascal_voc
and keypoints pixel-index ``[x, y, angle, scale]``; the output is one sample in the input formats.

>>> import numpy as np
>>> from augkit.mix import DetectionMixUp
>>> a = {"image": np.zeros((4, 6, 3), np.uint8), "bboxes": [[0, 0, 2, 2]], "labels": [1]}
>>> out = DetectionMixUp()([a, a], rng=0, record=True)
>>> sorted(out), out["applied"]["name"]
(['applied', 'bboxes', 'box_weights', 'image', 'labels'], 'DetectionMixUp')
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np

from augkit.core import boxes as box_ops
from augkit.core import keypoints as kp_ops
from augkit.core.boxes import BBOX_FORMATS
from augkit.core.errors import ArgumentError, TargetError, TargetTypeError, describe
from augkit.core.keypoints import KEYPOINT_FORMATS
from augkit.core.rng import as_generator
from augkit.core.targets import State, TargetSettings, prepare
from augkit.core.validate import as_bool, as_choice, as_int, as_probability
from augkit.image.functional.geometry import resize
from augkit.image.functional.keypoints import resize_keypoints
from augkit.mix._base import _MixerMeta, _plain

__all__ = [
    "Parsed",
    "SampleMixer",
    "as_size",
    "clip_boxes",
    "concat",
    "copied",
    "fill_for",
    "mask_boxes",
    "place",
    "scaled",
]

Params = dict[str, Any]
_RESERVED = frozenset({"image", "images", "mask", "masks", "bboxes", "keypoints", "oriented_bboxes"})


@dataclass
class Parsed:
    """One sample in the internal representation (boxes pascal_voc pixels, keypoints [x, y, angle, scale])."""

    image: np.ndarray
    boxes: np.ndarray | None = None
    box_extra: np.ndarray | None = None
    fields: dict[str, list[Any]] = field(default_factory=dict)
    masks: list[np.ndarray] | None = None
    masks_bool: list[bool] = field(default_factory=list)
    mask: np.ndarray | None = None
    mask_bool: bool = False
    keypoints: np.ndarray | None = None
    keypoint_extra: np.ndarray | None = None
    keypoint_fields: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        """``(height, width)``."""
        return int(self.image.shape[0]), int(self.image.shape[1])

    def take_boxes(self, keep: np.ndarray) -> Parsed:
        """The sample with only the boxes (and their fields and instance masks) selected by ``keep``."""
        index = np.flatnonzero(keep) if keep.dtype == np.bool_ else keep
        rows = index.tolist()
        return replace(
            self,
            boxes=None if self.boxes is None else self.boxes[index],
            box_extra=None if self.box_extra is None else self.box_extra[index],
            fields={k: [v[i] for i in rows] for k, v in self.fields.items()},
            masks=None if self.masks is None else [self.masks[i] for i in rows],
            masks_bool=[self.masks_bool[i] for i in rows] if self.masks is not None else [],
        )

    def take_keypoints(self, keep: np.ndarray) -> Parsed:
        """The sample with only the keypoints (and their fields) selected by ``keep``."""
        index = np.flatnonzero(keep) if keep.dtype == np.bool_ else keep
        rows = index.tolist()
        return replace(
            self,
            keypoints=None if self.keypoints is None else self.keypoints[index],
            keypoint_extra=None if self.keypoint_extra is None else self.keypoint_extra[index],
            keypoint_fields={k: [v[i] for i in rows] for k, v in self.keypoint_fields.items()},
        )


def concat(image: np.ndarray, parts: Sequence[Parsed], mask: np.ndarray | None = None) -> Parsed:
    """One sample holding ``image`` and the boxes, instance masks and keypoints of ``parts``, in order."""
    first = parts[0]
    out = Parsed(image=image, mask=mask, mask_bool=first.mask_bool)
    if first.boxes is not None:
        out.boxes = np.concatenate([p.boxes for p in parts if p.boxes is not None]).reshape(-1, 4)
        if first.box_extra is not None:
            out.box_extra = np.concatenate([p.box_extra for p in parts if p.box_extra is not None])
        out.fields = {k: [v for p in parts for v in p.fields[k]] for k in first.fields}
    if first.masks is not None:
        out.masks = [m for p in parts for m in p.masks or ()]
        out.masks_bool = [b for p in parts for b in p.masks_bool]
    if first.keypoints is not None:
        out.keypoints = np.concatenate([p.keypoints for p in parts if p.keypoints is not None]).reshape(-1, 4)
        if first.keypoint_extra is not None:
            out.keypoint_extra = np.concatenate([p.keypoint_extra for p in parts if p.keypoint_extra is not None])
        out.keypoint_fields = {k: [v for p in parts for v in p.keypoint_fields[k]] for k in first.keypoint_fields}
    return out


def mask_boxes(masks: Sequence[np.ndarray] | np.ndarray, height: int, width: int) -> np.ndarray:
    """Tight pixel-edge boxes of instance masks (non-zero pixels), NaN rows for empty masks.

    >>> m = np.zeros((1, 4, 5), bool); m[0, 1:3, 2:4] = True
    >>> mask_boxes(m, 4, 5).tolist()
    [[2.0, 1.0, 4.0, 3.0]]
    """
    if not len(masks):
        return np.zeros((0, 4))
    stack = np.stack([np.asarray(m) != 0 for m in masks])
    rows, cols = np.any(stack, axis=2), np.any(stack, axis=1)
    out = np.stack(
        [cols.argmax(axis=1), rows.argmax(axis=1), width - cols[:, ::-1].argmax(axis=1), height - rows[:, ::-1].argmax(axis=1)],
        axis=1,
    ).astype(np.float64)
    out[~rows.any(axis=1)] = np.nan
    return out


def place(
    array: np.ndarray,
    height: int,
    width: int,
    x: int,
    y: int,
    fill: Any,
    out: np.ndarray | None = None,
    clip: tuple[int, int, int, int] | None = None,
) -> np.ndarray:
    """``array`` with its top-left corner at ``(x, y)`` of a ``height x width`` canvas (parts outside
    the canvas, or outside the ``clip`` rectangle ``(x0, y0, x1, y1)``, are cut). A new canvas filled
    with ``fill`` unless ``out`` is given (then pasted into it).

    >>> place(np.ones((2, 2), np.uint8), 3, 3, 2, -1, 0).tolist()
    [[0, 0, 1], [0, 0, 0], [0, 0, 0]]
    """
    if out is None:
        out = np.empty((height, width, *array.shape[2:]), dtype=array.dtype)
        out[...] = fill
    x0, y0, x1, y1 = clip if clip is not None else (0, 0, width, height)
    x0, y0 = max(x, x0, 0), max(y, y0, 0)
    x1, y1 = min(x + array.shape[1], x1, width), min(y + array.shape[0], y1, height)
    if x1 > x0 and y1 > y0:
        out[y0:y1, x0:x1] = array[y0 - y : y1 - y, x0 - x : x1 - x]
    return out


def scaled(sample: Parsed, height: int, width: int, x: int, y: int, interpolation: str) -> Parsed:
    """``sample`` resized to ``height x width`` (masks by nearest neighbour); boxes and keypoints also
    shifted by ``(x, y)``, the frame the image will be placed in (the arrays themselves are not placed)."""
    old_height, old_width = sample.shape
    sx, sy = width / old_width, height / old_height
    same = (height, width) == (old_height, old_width)
    out = replace(sample, image=sample.image if same else resize(sample.image, height, width, interpolation))
    if not same:
        out.masks = None if sample.masks is None else [resize(m, height, width, "nearest") for m in sample.masks]
        out.mask = None if sample.mask is None else resize(sample.mask, height, width, "nearest")
    if sample.boxes is not None:
        out.boxes = sample.boxes * np.array([sx, sy, sx, sy]) + np.array([x, y, x, y], dtype=np.float64)
    if sample.keypoints is not None:
        out.keypoints = resize_keypoints(sample.keypoints, sx, sy) + np.array([x, y, 0.0, 0.0])
    return out


def clip_boxes(
    boxes: np.ndarray, rect: tuple[float, float, float, float], min_area: float = 0.0, min_visibility: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Boxes clipped to ``rect`` and which to keep: positive area, at least ``min_area`` pixels and
    ``min_visibility`` of their unclipped area."""
    x0, y0, x1, y1 = rect
    clipped = np.minimum(np.maximum(boxes, (x0, y0, x0, y0)), (x1, y1, x1, y1))
    sides = clipped[:, 2:] - clipped[:, :2]
    area = sides[:, 0] * sides[:, 1]
    keep = (sides > 0).all(axis=1) & (area >= min_area)
    if min_visibility > 0:
        keep &= area >= min_visibility * box_ops.areas(boxes)
    return clipped, keep


def copied(sample: Parsed) -> Parsed:
    """``sample`` with fresh copies of its image and masks (outputs never alias the inputs)."""
    return replace(
        sample,
        image=sample.image.copy(),
        masks=None if sample.masks is None else [m.copy() for m in sample.masks],
        mask=None if sample.mask is None else sample.mask.copy(),
    )


def _names(owner: str, name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ArgumentError(f"{owner}: argument {name!r} expects a list of names; got {describe(value)}")
    if set(value) & _RESERVED or len(set(value)) != len(value):
        raise ArgumentError(
            f"{owner}: argument {name!r} expects distinct names other than {sorted(_RESERVED)}; got {list(value)}"
        )
    return tuple(value)


class SampleMixer(metaclass=_MixerMeta):
    """Base of the mixers that combine whole samples: ``mixer(samples, rng=None, record=False) -> dict``.

    ``record=True`` adds ``out["applied"]`` (strict-JSON draws); ``replay(out["applied"], samples)``
    gives the same output bit for bit. With probability ``1 - p`` the first sample comes back
    unchanged (copied).
    """

    _param_names: ClassVar[tuple[str, ...]] = ()
    _frozen: bool = False
    #: How many samples a call takes.
    n_samples: ClassVar[int] = 2
    _settings: TargetSettings
    p: float
    bbox_format: str
    bbox_normalized: bool | None
    label_fields: tuple[str, ...]
    keypoint_format: str
    keypoint_fields: tuple[str, ...]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        parameters = inspect.signature(cls.__init__).parameters
        cls._param_names = tuple(name for name in parameters if name != "self")

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            raise AttributeError(f"{type(self).__name__} is immutable; build a new one with .with_params({name}=...)")
        object.__setattr__(self, name, value)

    def _set_targets(
        self,
        bbox_format: object,
        bbox_normalized: object,
        label_fields: object,
        keypoint_format: object,
        keypoint_fields: object,
        p: object,
    ) -> None:
        owner = type(self).__name__
        self.bbox_format = as_choice(owner, "bbox_format", bbox_format, BBOX_FORMATS)
        self.bbox_normalized = None if bbox_normalized is None else as_bool(owner, "bbox_normalized", bbox_normalized)
        self.label_fields = _names(owner, "label_fields", label_fields)
        self.keypoint_format = as_choice(owner, "keypoint_format", keypoint_format, KEYPOINT_FORMATS)
        self.keypoint_fields = _names(owner, "keypoint_fields", keypoint_fields)
        if set(self.label_fields) & set(self.keypoint_fields):
            raise ArgumentError(f"{owner}: label_fields and keypoint_fields expect distinct names; got both {self.label_fields}")
        self.p = as_probability(owner, "p", p)
        normalized = self.bbox_format == "yolo" if self.bbox_normalized is None else self.bbox_normalized
        self._settings = TargetSettings(
            bbox_format=self.bbox_format,
            bbox_normalized=normalized,
            label_fields=self.label_fields + self._extra_fields(),
            keypoint_format=self.keypoint_format,
            keypoint_fields=self.keypoint_fields,
        )

    # ------------------------------------------------------------------ what subclasses provide
    def _extra_fields(self) -> tuple[str, ...]:
        """Per-box fields this mixer reads besides ``label_fields``."""
        return ()

    def _check(self, samples: list[Parsed], keys: frozenset[str]) -> None:
        """Raise for targets this mixer cannot handle."""

    def sample(self, rng: np.random.Generator, samples: list[Parsed]) -> Params:
        """Draw one call's parameters (JSON-safe)."""
        raise NotImplementedError

    def _apply(self, samples: list[Parsed], params: Params) -> tuple[Parsed, dict[str, Any]]:
        """The mixed sample and any extra output fields, from the params."""
        raise NotImplementedError

    # ------------------------------------------------------------------ calling
    def __call__(
        self, samples: Sequence[Mapping[str, Any]], *, rng: np.random.Generator | int | None = None, record: bool = False
    ) -> dict[str, Any]:
        """Mix ``samples`` into one sample dict (plus ``"applied"`` when ``record=True``)."""
        owner = type(self).__name__
        parsed = self._parse(samples)
        generator = as_generator(owner, rng)
        p = self.p
        if p < 1.0 and (p <= 0.0 or generator.random() >= p):
            params: Params = {"applied": False}
        else:
            params = {"applied": True, **self.sample(generator, parsed)}
        out = self._run(samples, parsed, params)
        if record:
            out["applied"] = {"name": owner, "shapes": [list(s.shape) for s in parsed], "params": _plain(params)}
        return out

    def replay(self, record: Mapping[str, Any], samples: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """Apply ``out["applied"]`` of a ``record=True`` call again to the same samples: the same output."""
        owner = type(self).__name__
        if not isinstance(record, Mapping) or "params" not in record or "name" not in record:
            raise TargetError(
                f"{owner}.replay: argument 'record' expects out['applied'] of a record=True call; got {describe(record)}"
            )
        if record["name"] != owner:
            raise TargetError(f"{owner}.replay: the record was made by {record['name']!r}, not {owner!r}")
        parsed = self._parse(samples)
        shapes = [list(s.shape) for s in parsed]
        if list(record.get("shapes", [])) != shapes:
            raise TargetError(f"{owner}.replay: the record is for samples of sizes {record.get('shapes')}; got {shapes}")
        try:
            return self._run(samples, parsed, dict(record["params"]))
        except (KeyError, TypeError, IndexError, ValueError) as error:
            if isinstance(error, TargetError):
                raise
            raise TargetError(
                f"{owner}.replay: the record's params do not fit this mixer ({type(error).__name__}: {error})"
            ) from None

    def _run(self, samples: Sequence[Mapping[str, Any]], parsed: list[Parsed], params: Params) -> dict[str, Any]:
        if not params.get("applied", True):
            result, extra = copied(parsed[0]), self._identity_extra(parsed[0])
        else:
            result, extra = self._apply(parsed, params)
        out = self._output(samples[0], result)
        out.update(extra)
        return out

    def _identity_extra(self, sample: Parsed) -> dict[str, Any]:
        return {}

    # ------------------------------------------------------------------ validation and output
    def _parse(self, samples: object) -> list[Parsed]:
        owner = type(self).__name__
        count = self.n_samples
        if isinstance(samples, Mapping) or not isinstance(samples, Sequence):
            got = "a single dict (wrap the samples in a list)" if isinstance(samples, Mapping) else describe(samples)
            raise TargetTypeError(f"{owner}: expects a list of {count} sample dicts; got {got}")
        if len(samples) != count:
            raise TargetError(f"{owner}: expects {count} samples; got {len(samples)}")
        parsed: list[Parsed] = []
        keys: frozenset[str] = frozenset()
        for index, sample in enumerate(samples):
            if not isinstance(sample, Mapping):
                raise TargetTypeError(f"{owner}: sample {index} expects a dict of targets; got {describe(sample)}")
            if "image" not in sample:
                raise TargetError(f"{owner}: sample {index} has no 'image'")
            these = frozenset(sample)
            if index == 0:
                keys = these
            elif these != keys:
                differ = sorted(these ^ keys)[0]
                where = "lacks" if differ in keys else "has"
                raise TargetError(
                    f"{owner}: sample {index} {where} target {differ!r} (every sample must carry the same targets as sample 0)"
                )
            parsed.append(self._parse_one(owner, index, sample))
        self._check_alike(owner, parsed)
        self._check(parsed, keys)
        return parsed

    def _parse_one(self, owner: str, index: int, sample: Mapping[str, Any]) -> Parsed:
        where = f"{owner}: sample {index}"
        if "images" in sample or "oriented_bboxes" in sample:
            name = "images" if "images" in sample else "oriented_bboxes"
            raise TargetTypeError(f"{where}: target {name!r} is not supported by {owner}")
        masks = sample.get("masks")
        if masks is not None and "bboxes" in sample and hasattr(sample["bboxes"], "__len__") and hasattr(masks, "__len__"):
            count = len(sample["bboxes"])
            if len(masks) != count:
                raise TargetError(
                    f"{where}: target 'masks' expects one instance mask per box; got {len(masks)} masks for {count} boxes"
                )
        state = prepare(where, self._settings, dict(sample))
        if not isinstance(state, State):
            raise TargetTypeError(f"{where}: {owner} mixes images; got the targets {sorted(sample)}")
        if state.masks is not None:
            for position, m in enumerate(state.masks):
                if m.ndim != 2:
                    raise TargetError(
                        f"{where}: target 'masks' item {position} expects an H x W instance mask; got shape {m.shape}"
                    )
        assert state.image is not None
        out = Parsed(image=state.image, masks=state.masks, masks_bool=list(state.masks_are_bool))
        out.mask, out.mask_bool = state.mask, state.mask_is_bool
        if state.boxes is not None:
            rows = state.box_index
            assert rows is not None
            out.boxes = state.boxes
            out.box_extra = None if state.box_extra is None else state.box_extra[rows]
            out.fields = {
                name: [sample[name][i] for i in rows.tolist()] for name in self._settings.label_fields if name in sample
            }
            if out.masks is not None:
                out.masks = [out.masks[i] for i in rows.tolist()]
                out.masks_bool = [out.masks_bool[i] for i in rows.tolist()]
        if state.keypoints is not None:
            out.keypoints, out.keypoint_extra = state.keypoints, state.keypoint_extra
            out.keypoint_fields = dict(state.keypoint_fields or {})
        return out

    def _check_alike(self, owner: str, parsed: list[Parsed]) -> None:
        first = parsed[0]
        for index, other in enumerate(parsed[1:], start=1):
            a, b = first.image, other.image
            if a.dtype != b.dtype:
                raise TargetTypeError(
                    f"{owner}: sample {index} has an image of dtype {b.dtype}; sample 0 has {a.dtype} (mix alike images)"
                )
            if a.shape[2:] != b.shape[2:] or a.ndim != b.ndim:
                raise TargetError(
                    f"{owner}: sample {index} has an image of shape {b.shape}; expected the channel layout of sample 0 {a.shape}"
                )
            for name, left, right in (
                ("bboxes", first.box_extra, other.box_extra),
                ("keypoints", first.keypoint_extra, other.keypoint_extra),
            ):
                columns = (0 if left is None else left.shape[1], 0 if right is None else right.shape[1])
                if columns[0] != columns[1]:
                    raise TargetError(
                        f"{owner}: sample {index} target {name!r} has {columns[1]} extra columns; sample 0 has {columns[0]}"
                    )
            if (
                first.mask is not None
                and other.mask is not None
                and (first.mask.dtype != other.mask.dtype or first.mask.shape[2:] != other.mask.shape[2:])
            ):
                raise TargetTypeError(
                    f"{owner}: sample {index} target 'mask' has dtype {other.mask.dtype} and shape {other.mask.shape}; "
                    f"sample 0 has {first.mask.dtype} and {first.mask.shape}"
                )

    def _output(self, template: Mapping[str, Any], result: Parsed) -> dict[str, Any]:
        settings = self._settings
        height, width = result.shape
        out: dict[str, Any] = {"image": result.image}
        if "mask" in template:
            assert result.mask is not None
            out["mask"] = result.mask != 0 if result.mask_bool else result.mask
        if "masks" in template:
            masks = [m != 0 if b else m for m, b in zip(result.masks or (), result.masks_bool, strict=True)]
            given = template["masks"]
            if isinstance(given, np.ndarray):
                out["masks"] = np.stack(masks) if masks else np.zeros((0, height, width), dtype=given.dtype)
            else:
                out["masks"] = masks
        if "bboxes" in template:
            assert result.boxes is not None
            boxes = box_ops.from_voc(result.boxes, settings.bbox_format, height, width, settings.bbox_normalized)
            if result.box_extra is not None:
                boxes = np.concatenate([boxes, result.box_extra], axis=1)
            out["bboxes"] = boxes
            for name, values in result.fields.items():
                out[name] = _like(template[name], values)
        if "keypoints" in template:
            assert result.keypoints is not None
            points = kp_ops.from_internal(result.keypoints, settings.keypoint_format)
            if result.keypoint_extra is not None:
                points = np.concatenate([points, result.keypoint_extra], axis=1)
            out["keypoints"] = points
            for name, values in result.keypoint_fields.items():
                out[name] = _like(template[name], values)
        return out

    # ------------------------------------------------------------------ configuration
    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as stored."""
        return {name: getattr(self, name) for name in self._param_names}

    def to_dict(self) -> dict[str, Any]:
        """A JSON/YAML-safe description: ``{"name": ..., <argument>: <value>, ...}``."""
        return {"name": type(self).__name__, **{key: _plain(value) for key, value in self.get_params().items()}}

    def with_params(self, **changes: Any) -> SampleMixer:
        """A copy with some arguments changed (instances never change)."""
        return type(self)(**{**self.get_params(), **changes})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"


def _like(original: Any, values: list[Any]) -> Any:
    """``values`` as the container type of ``original`` (a numpy array keeps its dtype)."""
    if isinstance(original, np.ndarray):
        return np.asarray(values, dtype=original.dtype).reshape(len(values), *original.shape[1:])
    return values


def fill_for(owner: str, name: str, fill: float | tuple[float, ...], image: np.ndarray) -> Any:
    """``fill`` in a form that broadcasts over ``image``'s pixels; a clear error on a channel mismatch."""
    if not isinstance(fill, tuple):
        return fill
    channels = image.shape[2] if image.ndim == 3 else 1
    if len(fill) == 1:
        return fill[0]
    if len(fill) != channels:
        raise TargetError(f"{owner}: argument {name!r} has {len(fill)} values for images with {channels} channel(s)")
    return np.asarray(fill) if image.ndim == 3 else fill[0]


def as_size(owner: str, name: str, value: object) -> tuple[int, int]:
    """A ``(height, width)`` pair of integers >= 1; one integer means a square."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return (as_int(owner, name, value[0], low=1), as_int(owner, name, value[1], low=1))
    try:
        side = as_int(owner, name, value, low=1)
    except ArgumentError:
        raise ArgumentError(
            f"{owner}: argument {name!r} expects an integer >= 1 or a (height, width) pair; got {describe(value)}"
        ) from None
    return (side, side)
