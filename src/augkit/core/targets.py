"""What a call carries: validation of the targets on the way in, the working state a pipeline
transforms, and the conversion back on the way out.

Target kinds: ``image`` (H x W or H x W x C; uint8, uint16 or float32), ``images`` (a stack of frames
N x H x W [x C] sharing one draw of parameters), ``mask`` (H x W [x C]), ``masks`` (a list of masks or
an N x H x W array), ``bboxes`` (N x 4+, in the pipeline's ``bbox_format``; extra columns and the
per-box fields named in ``label_fields`` are carried along) and ``keypoints`` (N x len(format)+, with
per-keypoint fields named in ``keypoint_fields``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from augkit.core import boxes as box_ops
from augkit.core import keypoints as kp_ops
from augkit.core import oriented as obb_ops
from augkit.core.errors import TargetError, TargetTypeError, describe
from augkit.core.modality import ModalityState, modality_of
from augkit.core.registry import suggest

if TYPE_CHECKING:
    from augkit.core.transform import Transform

__all__ = ["IMAGE_DTYPES", "MASK_DTYPES", "State", "TargetSettings", "finish", "prepare"]

IMAGE_DTYPES = (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.float32))
_IMAGE_CHARS = frozenset(d.char for d in IMAGE_DTYPES)
MASK_DTYPES = (
    np.dtype(np.bool_),
    np.dtype(np.uint8),
    np.dtype(np.int8),
    np.dtype(np.uint16),
    np.dtype(np.int16),
    np.dtype(np.int32),
    np.dtype(np.float32),
    np.dtype(np.float64),
)
_MASK_CHARS = frozenset(d.char for d in MASK_DTYPES)
ARRAY_TARGETS = ("image", "images", "mask", "masks")
ALL_KINDS = frozenset({"image", "mask", "bboxes", "keypoints"})


@dataclass(frozen=True)
class TargetSettings:
    """How a pipeline reads and filters boxes and keypoints (set once, on ``Compose``)."""

    bbox_format: str = "pascal_voc"
    bbox_normalized: bool = False
    label_fields: tuple[str, ...] = ("labels",)
    min_area: float = 0.0
    min_visibility: float = 0.0
    min_width: float = 0.0
    min_height: float = 0.0
    keypoint_format: str = "xy"
    keypoint_fields: tuple[str, ...] = ("keypoint_labels",)
    keypoint_swap: Mapping[Any, Any] = field(default_factory=dict)
    remove_invisible_keypoints: bool = False
    bind_masks_to_boxes: bool = False
    keypoints_per_box: int | None = None
    keypoint_visibility_column: int | None = None
    oriented_fields: tuple[str, ...] = ("oriented_labels",)
    #: Extra call keys and the target kind each one is (``{"clean": "audio"}``): they get the same
    #: draw as the modality's main target (paired data: clean and noisy versions of one clip).
    additional_targets: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = (
            "image", "images", "mask", "masks", "bboxes", "keypoints", "oriented_bboxes",
            *self.label_fields, *self.keypoint_fields, *self.oriented_fields,
        )  # fmt: skip
        object.__setattr__(self, "accepted", names)

    accepted: tuple[str, ...] = field(init=False, default=(), compare=False, repr=False)


DEFAULT_SETTINGS = TargetSettings()


class State(ModalityState):
    """The working copy of one image sample while a pipeline runs (internal representation).

    Absent targets are ``None`` through class-level defaults, so building a state costs only the
    attributes a call actually has (this runs once per call, millions of times).
    """

    image: np.ndarray | None = None
    images: np.ndarray | None = None
    mask: np.ndarray | None = None
    masks: list[np.ndarray] | None = None
    boxes: np.ndarray | None = None
    box_index: np.ndarray | None = None
    box_area0: np.ndarray | None = None
    box_extra: np.ndarray | None = None
    keypoints: np.ndarray | None = None
    keypoint_extra: np.ndarray | None = None
    keypoint_fields: dict[str, Any] | None = None
    keypoints_hidden: np.ndarray | None = None  # True where an erasing transform covered the keypoint
    oriented: np.ndarray | None = None  # corners of oriented boxes, as (N * 4, 4) keypoints
    oriented_index: np.ndarray | None = None
    oriented_extra: np.ndarray | None = None
    height = 0
    width = 0
    kinds: frozenset[str] = frozenset()
    mask_is_bool = False
    masks_are_bool: tuple[bool, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        """``(height, width)`` of the current image."""
        return (self.height, self.width)

    def record_shape(self) -> list[int]:
        return [self.height, self.width]

    def finish(self, targets: dict[str, Any]) -> dict[str, Any]:
        return finish(self, targets)

    def apply(self, transform: Transform, params: dict[str, Any]) -> None:
        """Run ``transform``'s kernels with ``params`` on every target present."""
        if not self.kinds <= transform.targets:
            missing = sorted(self.kinds - transform.targets)
            raise TargetTypeError(
                f"{type(transform).__name__}: target {missing[0]!r} is not supported; "
                f"this transform supports {', '.join(sorted(transform.targets))}"
            )
        image = self.image
        if transform.image_channels is not None or transform.image_dtypes is not None:
            _check_image_support(transform, image if image is not None else self.images, image is None)
        if image is not None:
            image = self.image = transform.apply_image(image, params)
            if self.kinds is _IMAGE_ONLY:  # the common case, kept short
                if transform.spatial:
                    self.height, self.width = image.shape[:2]
                return
        if self.images is not None:
            self.images = transform.apply_images(self.images, params)
        if not transform.spatial:
            if transform.edits_targets:
                self._edit(transform, params)
            return
        height, width = self.height, self.width
        if self.mask is not None:
            self.mask = transform.apply_mask(self.mask, params)
        if self.masks is not None:
            self.masks = [transform.apply_mask(m, params) for m in self.masks]
        self._update_size()
        if self.boxes is not None and len(self.boxes):
            moved = transform.apply_bboxes(self.boxes, params, height, width)
            self._keep_boxes(box_ops.clip_boxes(moved, self.height, self.width))
        if self.keypoints is not None:
            if len(self.keypoints):
                self.keypoints = transform.apply_keypoints(self.keypoints, params, height, width)
            if self.settings.keypoint_swap and transform.is_reflection(params):
                self._swap_keypoint_labels()
        if self.oriented is not None and len(self.oriented):
            self._move_oriented(transform.apply_keypoints(self.oriented, params, height, width))

    def _edit(self, transform: Transform, params: dict[str, Any]) -> None:
        """A pixel transform that edits targets in place of the image grid (erasing)."""
        if self.mask is not None:
            self.mask = transform.apply_mask(self.mask, params)
        if self.masks is not None:
            self.masks = [transform.apply_mask(m, params) for m in self.masks]
        if self.boxes is not None and len(self.boxes):
            self._keep_boxes(transform.apply_bboxes(self.boxes, params, self.height, self.width))
        if self.keypoints is not None and len(self.keypoints):
            hidden = transform.hidden_keypoints(self.keypoints, params, self.height, self.width)
            if hidden is not None:
                previous = self.keypoints_hidden
                self.keypoints_hidden = hidden if previous is None else previous | hidden

    def _move_oriented(self, moved: np.ndarray) -> None:
        """Refit oriented boxes from their moved corners; drop those whose centre left the image."""
        boxes = obb_ops.from_points(moved)
        keep = obb_ops.inside(boxes, self.height, self.width)
        if not keep.all():
            boxes = boxes[keep]
            self.oriented_index = self.oriented_index[keep]  # type: ignore[index]
        self.oriented = obb_ops.to_points(boxes)

    def _update_size(self) -> None:
        if self.image is not None:
            self.height, self.width = self.image.shape[:2]
        elif self.images is not None:
            self.height, self.width = self.images.shape[1:3]
        elif self.mask is not None:
            self.height, self.width = self.mask.shape[:2]
        elif self.masks:
            self.height, self.width = self.masks[0].shape[:2]

    def _keep_boxes(self, moved: np.ndarray) -> None:
        """Keep the boxes with positive area (NaN rows, marked by a transform, go too)."""
        if not len(moved) or (moved[:, 2:] - moved[:, :2]).min() > 0:
            self.boxes = moved
        else:
            keep = (moved[:, 2:] > moved[:, :2]).all(axis=1)
            self.boxes = moved[keep]
            self.box_index = self.box_index[keep]  # type: ignore[index]

    def _swap_keypoint_labels(self) -> None:
        if not self.keypoint_fields or not self.settings.keypoint_fields:
            return
        name = self.settings.keypoint_fields[0]
        if name in self.keypoint_fields:
            swap = self.settings.keypoint_swap
            self.keypoint_fields[name] = [swap.get(label, label) for label in self.keypoint_fields[name]]


# ---------------------------------------------------------------------------------------------
# Validation on the way in


def check_image(owner: str, name: str, value: Any, frames: bool = False) -> np.ndarray:
    """Validate an image (or a frame stack when ``frames``) and return a C-contiguous array."""
    if not isinstance(value, np.ndarray):
        raise TargetTypeError(f"{owner}: target {name!r} expects a numpy array; got {describe(value)}")
    if value.dtype.char not in _IMAGE_CHARS:
        raise TargetTypeError(
            f"{owner}: target {name!r} expects dtype uint8, uint16 or float32; got {value.dtype}"
            + (" (convert with .astype(np.float32))" if value.dtype.kind == "f" else "")
        )
    low = 3 if frames else 2
    if value.ndim not in (low, low + 1):
        layout = "N x H x W or N x H x W x C" if frames else "H x W or H x W x C"
        raise TargetError(f"{owner}: target {name!r} expects a {layout} array; got shape {value.shape}")
    if value.size == 0:
        raise TargetError(f"{owner}: target {name!r} is empty (shape {value.shape}); expected every side >= 1")
    if value.dtype.char == "f" and not math.isfinite(float(np.add.reduce(value, axis=None, dtype=np.float64))):
        raise TargetError(f"{owner}: target {name!r} contains NaN or infinite values")
    return value if value.flags.c_contiguous else np.ascontiguousarray(value)


def _check_image_support(transform: Transform, image: np.ndarray | None, frames: bool) -> None:
    """Raise when a transform restricted to some channel counts or dtypes gets another."""
    if image is None:
        return
    name = type(transform).__name__
    target = "images" if frames else "image"
    dtypes = transform.image_dtypes
    if dtypes is not None and image.dtype.name not in dtypes:
        raise TargetTypeError(f"{name}: target {target!r} expects dtype {' or '.join(dtypes)}; got {image.dtype}")
    allowed = transform.image_channels
    if allowed is not None:
        channels = image.shape[-1] if image.ndim == (4 if frames else 3) else 1
        if channels not in allowed:
            raise TargetTypeError(
                f"{name}: target {target!r} expects {' or '.join(map(str, allowed))} channel(s); got {channels} "
                f"(shape {image.shape})"
            )


def _check_mask(owner: str, name: str, value: Any, shape: tuple[int, int]) -> tuple[np.ndarray, bool]:
    if not isinstance(value, np.ndarray):
        raise TargetTypeError(f"{owner}: target {name!r} expects a numpy array; got {describe(value)}")
    if value.dtype.char not in _MASK_CHARS:
        allowed = ", ".join(str(d) for d in MASK_DTYPES)
        raise TargetTypeError(f"{owner}: target {name!r} expects dtype {allowed}; got {value.dtype}")
    if value.ndim not in (2, 3) or value.size == 0:
        raise TargetError(f"{owner}: target {name!r} expects a non-empty H x W or H x W x C array; got shape {value.shape}")
    if value.shape[:2] != shape:
        raise TargetError(
            f"{owner}: target {name!r} has size {value.shape[0]}x{value.shape[1]} (HxW); "
            f"expected the image size {shape[0]}x{shape[1]}"
        )
    is_bool = value.dtype.char == "?"
    if is_bool:
        value = value.view(np.uint8)
    return (value if value.flags.c_contiguous else np.ascontiguousarray(value)), is_bool


def _as_table(owner: str, name: str, value: Any, min_columns: int) -> np.ndarray:
    try:
        table = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TargetTypeError(
            f"{owner}: target {name!r} expects numbers in an N x {min_columns}+ table; got {describe(value)}"
        ) from None
    if table.size == 0:
        return np.zeros((0, max(min_columns, table.shape[-1] if table.ndim == 2 else 0)), dtype=np.float64)
    if table.ndim != 2 or table.shape[1] < min_columns:
        raise TargetError(f"{owner}: target {name!r} expects an N x {min_columns}+ table; got shape {table.shape}")
    return table


def _check_fields(owner: str, names: Sequence[str], values: dict[str, Any], count: int, of: str) -> None:
    for name in names:
        if name in values:
            try:
                length = len(values[name])
            except TypeError:
                raise TargetTypeError(
                    f"{owner}: target {name!r} expects a sequence with one entry per {of[:-2]}; got {describe(values[name])}"
                ) from None
            if length != count:
                raise TargetError(f"{owner}: target {name!r} has {length} entries but there are {count} {of}")


def prepare(owner: str, settings: TargetSettings, targets: dict[str, Any]) -> ModalityState:
    """Validate the keyword targets of a call and build the working state (another modality's
    when the call carries its kinds, see :mod:`augkit.core.modality`)."""
    if len(targets) == 1 and "image" in targets:  # the common case, kept short
        state = State(owner, settings)
        state.image = check_image(owner, "image", targets["image"])
        state.height, state.width = state.image.shape[:2]
        state.kinds = _IMAGE_ONLY
        return state
    other = modality_of(targets, settings.additional_targets)
    if other is not None:
        return other(owner, settings, targets)
    if not targets:
        raise TargetError(f"{owner}: a call needs at least one target (image=..., audio=..., text=..., series=...)")
    state = State(owner, settings)
    accepted = settings.accepted
    for key in targets:
        if key not in accepted:
            raise TargetTypeError(
                f"{owner}: unknown target {key!r}.{suggest(key, list(accepted))} Accepted targets: {', '.join(accepted)}"
            )
    kinds = set()
    shape: tuple[int, int] | None = None
    if "image" in targets:
        state.image = check_image(owner, "image", targets["image"])
        shape = state.image.shape[:2]
        kinds.add("image")
    if "images" in targets:
        state.images = check_image(owner, "images", targets["images"], frames=True)
        frame_shape = state.images.shape[1:3]
        if shape is not None and frame_shape != shape:
            raise TargetError(f"{owner}: target 'images' has frames of size {frame_shape}; expected the image size {shape}")
        shape = shape or frame_shape
        kinds.add("image")
    masks_given = targets.get("masks")
    if masks_given is not None and not isinstance(masks_given, (list, tuple, np.ndarray)):
        raise TargetTypeError(
            f"{owner}: target 'masks' expects a list of masks or an N x H x W array; got {describe(masks_given)}"
        )
    if shape is None:
        first = targets.get("mask")
        if first is None and masks_given is not None and len(masks_given):
            first = masks_given[0]
        if not isinstance(first, np.ndarray) or first.ndim < 2:
            raise TargetError(f"{owner}: a call needs 'image', 'images', 'mask' or 'masks' to know the image size")
        shape = first.shape[:2]
    if "mask" in targets:
        state.mask, state.mask_is_bool = _check_mask(owner, "mask", targets["mask"], shape)
        kinds.add("mask")
    if masks_given is not None:
        if isinstance(masks_given, np.ndarray) and masks_given.ndim != 3:
            raise TargetError(f"{owner}: target 'masks' as an array expects N x H x W; got shape {masks_given.shape}")
        checked = [_check_mask(owner, "masks", m, shape) for m in masks_given]
        state.masks = [m for m, _ in checked]
        state.masks_are_bool = tuple(b for _, b in checked)
        kinds.add("mask")
    state.height, state.width = int(shape[0]), int(shape[1])
    if "bboxes" in targets:
        _prepare_boxes(state, targets)
        kinds.add("bboxes")
    else:
        present = [f for f in settings.label_fields if f in targets]
        if present:
            raise TargetError(f"{owner}: target {present[0]!r} was given without 'bboxes'")
    if "keypoints" in targets:
        _prepare_keypoints(state, targets)
        kinds.add("keypoints")
    per_box = settings.keypoints_per_box
    if per_box is not None and state.keypoints is not None:
        boxes_given = len(_as_table(owner, "bboxes", targets.get("bboxes", []), 4))
        if len(state.keypoints) != per_box * boxes_given:
            raise TargetError(
                f"{owner}: keypoints_per_box={per_box} expects {per_box} keypoints per box; got "
                f"{len(state.keypoints)} keypoints for {boxes_given} boxes"
            )
    if "oriented_bboxes" in targets:
        _prepare_oriented(state, targets)
        kinds.add("keypoints")  # oriented boxes move through the keypoint kernels
    state.kinds = frozenset(kinds)
    return state


_IMAGE_ONLY = frozenset({"image"})


def _prepare_boxes(state: State, targets: dict[str, Any]) -> None:
    settings, owner = state.settings, state.owner
    table = _as_table(owner, "bboxes", targets["bboxes"], 4)
    _check_fields(owner, settings.label_fields, targets, len(table), "boxes")
    if settings.bind_masks_to_boxes and len(targets.get("masks", ())) != len(table):
        raise TargetError(
            f"{owner}: bind_masks_to_boxes expects one mask per box in 'masks'; got "
            f"{len(targets.get('masks', ()))} masks for {len(table)} boxes"
        )
    voc = box_ops.to_voc(table, settings.bbox_format, state.height, state.width, settings.bbox_normalized)
    state.boxes = box_ops.check_and_clip(owner, voc, settings.bbox_format, state.height, state.width)
    state.box_index = np.arange(len(table))
    if settings.min_visibility > 0:
        state.box_area0 = box_ops.areas(state.boxes)
    state._keep_boxes(state.boxes)
    state.box_extra = table[:, 4:] if table.shape[1] > 4 else None


def _prepare_keypoints(state: State, targets: dict[str, Any]) -> None:
    settings, owner = state.settings, state.owner
    columns = len(kp_ops.KEYPOINT_FORMATS[settings.keypoint_format])
    table = _as_table(owner, "keypoints", targets["keypoints"], columns)
    if not np.isfinite(table[:, :columns]).all():
        raise TargetError(f"{owner}: target 'keypoints' contains NaN or infinite coordinates")
    _check_fields(owner, settings.keypoint_fields, targets, len(table), "keypoints")
    state.keypoints = kp_ops.to_internal(table, settings.keypoint_format)
    state.keypoint_extra = table[:, columns:] if table.shape[1] > columns else None
    column = settings.keypoint_visibility_column
    if column is not None and len(table) and table.shape[1] <= column:
        raise TargetError(
            f"{owner}: keypoint_visibility_column={column} expects a keypoint table with at least {column + 1} columns; "
            f"got {table.shape[1]}"
        )
    state.keypoint_fields = {f: list(targets[f]) for f in settings.keypoint_fields if f in targets}


def _prepare_oriented(state: State, targets: dict[str, Any]) -> None:
    owner, settings = state.owner, state.settings
    table = _as_table(owner, "oriented_bboxes", targets["oriented_bboxes"], 5)
    if not np.isfinite(table[:, :5]).all():
        raise TargetError(f"{owner}: target 'oriented_bboxes' contains NaN or infinite values")
    if len(table) and (table[:, 2:4] < 0).any():
        row = int(np.flatnonzero((table[:, 2:4] < 0).any(axis=1))[0])
        raise TargetError(
            f"{owner}: target 'oriented_bboxes' row {row} has a negative width or height; "
            f"expected [cx, cy, w, h, angle] with w, h >= 0; got {table[row, :5].tolist()}"
        )
    _check_fields(owner, settings.oriented_fields, targets, len(table), "oriented boxes")
    state.oriented = obb_ops.to_points(table[:, :5])
    state.oriented_index = np.arange(len(table))
    state.oriented_extra = table[:, 5:] if table.shape[1] > 5 else None


# ---------------------------------------------------------------------------------------------
# Conversion on the way out


def finish(state: State, targets: dict[str, Any]) -> dict[str, Any]:
    """The output dict: the same keys as the call, in the caller's formats, never aliasing inputs."""
    if state.kinds is _IMAGE_ONLY:
        image = state.image
        return {"image": image.copy() if image is targets["image"] else image}
    out: dict[str, Any] = {}
    for key in ARRAY_TARGETS:
        if key not in targets:
            continue
        given = targets[key]
        if key == "masks":
            assert state.masks is not None
            masks = [
                _fresh(m, source, is_bool) for m, source, is_bool in zip(state.masks, given, state.masks_are_bool, strict=True)
            ]
            out[key] = (np.stack(masks) if masks else given.copy()) if isinstance(given, np.ndarray) else masks
        else:
            out[key] = _fresh(getattr(state, key), given, key == "mask" and state.mask_is_bool)
    if state.boxes is not None:
        _finish_boxes(state, targets, out)
    if state.keypoints is not None:
        _finish_keypoints(state, targets, out)
        if state.settings.keypoints_per_box is not None and state.box_index is not None:
            _drop_keypoints_of_dropped_boxes(state.settings, state.box_index, out)
    if state.oriented is not None:
        index = state.oriented_index
        assert index is not None
        boxes = obb_ops.from_points(state.oriented) if len(state.oriented) else np.zeros((0, 5))
        if state.oriented_extra is not None:
            boxes = np.concatenate([boxes, state.oriented_extra[index]], axis=1)
        out["oriented_bboxes"] = boxes
        for name in state.settings.oriented_fields:
            if name in targets:
                out[name] = _take(targets[name], index)
    return out


def _fresh(value: np.ndarray, source: np.ndarray, as_bool: bool) -> np.ndarray:
    """``value`` as a C-contiguous array sharing no memory with the caller's ``source``."""
    if not value.flags.c_contiguous or np.may_share_memory(value, source):
        value = np.array(value, copy=True, order="C")
    return value != 0 if as_bool else value  # a fill other than 0/1 must still read as True


def _finish_boxes(state: State, targets: dict[str, Any], out: dict[str, Any]) -> None:
    settings = state.settings
    boxes, index = state.boxes, state.box_index
    assert boxes is not None and index is not None
    if len(boxes) and (settings.min_width or settings.min_height or settings.min_area or settings.min_visibility):
        width = boxes[:, 2] - boxes[:, 0]
        height = boxes[:, 3] - boxes[:, 1]
        area = width * height
        keep = (width >= settings.min_width) & (height >= settings.min_height) & (area >= settings.min_area)
        if settings.min_visibility > 0:
            keep &= area >= settings.min_visibility * state.box_area0[index]  # type: ignore[index]
        if not keep.all():
            boxes, index = boxes[keep], index[keep]
    converted = box_ops.from_voc(boxes, settings.bbox_format, state.height, state.width, settings.bbox_normalized)
    if state.box_extra is not None:
        converted = np.concatenate([converted, state.box_extra[index]], axis=1)
    out["bboxes"] = converted
    for name in settings.label_fields:
        if name in targets:
            out[name] = _take(targets[name], index)
    if settings.bind_masks_to_boxes:
        out["masks"] = _take(out["masks"], index)
    state.box_index = index  # the survivors, for keypoints bound to boxes


def _finish_keypoints(state: State, targets: dict[str, Any], out: dict[str, Any]) -> None:
    settings = state.settings
    points = state.keypoints
    assert points is not None
    converted = kp_ops.from_internal(points, settings.keypoint_format)
    if state.keypoint_extra is not None:
        converted = np.concatenate([converted, state.keypoint_extra], axis=1)
    fields = state.keypoint_fields or {}
    column = settings.keypoint_visibility_column
    if (column is not None or settings.remove_invisible_keypoints) and len(points):
        visible = kp_ops.visible(points, state.height, state.width)
        if state.keypoints_hidden is not None:
            visible &= ~state.keypoints_hidden
    if column is not None and len(points):
        converted[~visible, column] = 0
    if settings.remove_invisible_keypoints and len(points):
        index = np.flatnonzero(visible)
        converted = converted[index]
        fields = {k: [v[i] for i in index] for k, v in fields.items()}
    out["keypoints"] = converted
    for name, values in fields.items():
        out[name] = _restore_type(targets[name], values)


def _drop_keypoints_of_dropped_boxes(settings: TargetSettings, box_index: np.ndarray, out: dict[str, Any]) -> None:
    per_box = settings.keypoints_per_box
    assert per_box is not None
    rows = (box_index[:, None] * per_box + np.arange(per_box)).reshape(-1)
    out["keypoints"] = out["keypoints"][rows]
    for name in settings.keypoint_fields:
        if name in out:
            out[name] = _take(out[name], rows)


def _take(values: Any, index: np.ndarray) -> Any:
    if isinstance(values, np.ndarray):
        return values[index]
    return [values[i] for i in index.tolist()]


def _restore_type(original: Any, values: list[Any]) -> Any:
    return np.asarray(values, dtype=original.dtype) if isinstance(original, np.ndarray) else values
