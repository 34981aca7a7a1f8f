"""``InstaBoost`` (Fang et al., ICCV 2019, arXiv 1908.07801): jitter each object inside its image.

The objects are the non-empty instance masks of ``masks`` or, without them, the objects of a label
mask ``mask`` (8-connected regions of one value). Objects whose boxes overlap form a group that moves as one
(the reference's depth-first grouping). Each group draws a scale, a small rotation, a shift (a
fraction of the group's size) and an optional horizontal flip about its centre. Every instance pixel
is removed and the hole inpainted with OpenCV (Telea by default; the reference uses Navier-Stokes,
``inpaint_method="ns"``); then each group is pasted at its new place, in order of its first
instance, later groups over earlier ones. Masks (instance and semantic) move the same way (holes
become 0), boxes are recomputed from the moved instance masks (an instance that leaves the image or
is covered entirely loses its box), and keypoints on an instance's pixels move with it.

The image kernel needs the instance masks, so the params carry each instance's pixels as run
lengths inside its box (like COCO's RLE): a record replays on the image alone. The reference's
appearance-guided placement ("heatmap") and its colour jitter are not included (compose a colour
transform after it).

>>> import numpy as np, augkit as ak
>>> image = np.zeros((32, 32, 3), np.uint8); image[8:16, 8:16] = 200
>>> masks = [np.zeros((32, 32), bool)]; masks[0][8:16, 8:16] = True
>>> out = ak.mix.InstaBoost(p=1.0)(image=image, masks=masks, bboxes=[[8, 8, 16, 16]], labels=[1], rng=0)
>>> ys, xs = np.nonzero(out["masks"][0])  # the box is recomputed from the moved mask
>>> out["bboxes"][0].tolist() == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from augkit.core.errors import TargetError
from augkit.core.rng import uniform
from augkit.core.targets import State
from augkit.core.transform import Transform
from augkit.core.validate import as_choice, as_int, as_probability, as_range
from augkit.image.functional.affine import affine_boxes, affine_keypoints, affine_matrix, warp_affine
from augkit.image.functional.dropout import label_objects, rle_decode, rle_encode
from augkit.mix._samples import mask_boxes

__all__ = ["InstaBoost"]

Params = dict[str, Any]
INPAINT = {"telea": cv2.INPAINT_TELEA, "ns": cv2.INPAINT_NS}
MARGIN = 2  # source pixels around a group read by its warp (linear interpolation at the edge)


@dataclass
class _Group:
    """One group's warp, derived from the params and the image size."""

    members: list[int]
    source: tuple[int, int, int, int]  # crop of the input read by the warp (x0, y0, x1, y1)
    window: tuple[int, int, int, int]  # part of the output it can land on
    matrix: np.ndarray  # source crop -> window coordinates
    region: np.ndarray  # the group's pixels in the source crop (uint8 0/1)
    landed: np.ndarray  # where it lands in the window (bool)


class InstaBoost(Transform):
    """Move each instance group by a random similarity (and optional flip); inpaint where it was.

    Args:
        scale: range of the scale factor (reference: 0.8-1.2).
        translate: range of the shift, as a fraction of the group's width and height (reference: ±1/15).
        rotate: range of the rotation in degrees (reference: ±1).
        flip_prob: probability of mirroring a group horizontally about its centre (reference: 0).
        inpaint_radius: radius (pixels) of the OpenCV inpainting.
        inpaint_method: ``"telea"`` or ``"ns"`` (Navier-Stokes, the reference's choice).
        interpolation: ``"linear"``, ``"nearest"`` or ``"cubic"`` for the moved image pixels
            (masks use nearest neighbour).
        p: probability of applying (the reference's ``aug_ratio`` 0.5).

    A call needs ``masks`` (H x W instance masks; with ``bboxes``, ``masks[i]`` is the object of
    ``bboxes[i]``) or a label mask ``mask`` (each box then follows the object covering most of it).
    Boxes without an object (an empty mask) stay as they are. Keypoints are assigned by the pixel
    under them (the last instance holding it); oriented boxes follow their corners the same way.

    >>> InstaBoost(rotate=0).rotate
    (0.0, 0.0)
    """

    spatial = True  # instance pixels move: keypoints must follow them (the core moves keypoints of spatial transforms)
    edits_targets = True
    has_random_params = True
    required_targets = frozenset({"mask"})  # instance masks in "masks", or a label mask "mask"

    def __init__(
        self,
        scale: float | Sequence[float] = (0.8, 1.2),
        translate: float | Sequence[float] = (-1 / 15, 1 / 15),
        rotate: float | Sequence[float] = (-1.0, 1.0),
        flip_prob: float = 0.0,
        inpaint_radius: int = 5,
        inpaint_method: str = "telea",
        interpolation: str = "linear",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.scale = as_range(owner, "scale", scale, low=1e-3)
        self.translate = as_range(owner, "translate", translate, low=-1.0, high=1.0)
        self.rotate = as_range(owner, "rotate", rotate, low=-180.0, high=180.0)
        self.flip_prob = as_probability(owner, "flip_prob", flip_prob)
        self.inpaint_radius = as_int(owner, "inpaint_radius", inpaint_radius, low=1)
        self.inpaint_method = as_choice(owner, "inpaint_method", inpaint_method, INPAINT)
        self.interpolation = as_choice(owner, "interpolation", interpolation, ("linear", "nearest", "cubic"))

    @classmethod
    def example(cls) -> InstaBoost:
        return cls(scale=(0.8, 1.2), translate=(-0.1, 0.1), rotate=(-5.0, 5.0), flip_prob=0.5, p=1.0)

    # ------------------------------------------------------------------ draws
    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        boxes, crops, box_rows = _instances(type(self).__name__, state)
        instances: list[Params | None] = [
            None if crop is None else {"box": [int(v) for v in box], "rle": rle_encode(crop)}
            for box, crop in zip(boxes, crops, strict=True)
        ]
        groups = []
        for members in _overlapping_groups(boxes):
            group_box = np.concatenate([boxes[members, :2].min(axis=0), boxes[members, 2:].max(axis=0)])
            groups.append(self._draw(rng, members, group_box, height, width))
        return {"instances": instances, "groups": groups, "box_instances": box_rows}

    def _draw(self, rng: np.random.Generator, members: list[int], box: np.ndarray, height: int, width: int) -> Params:
        flip = bool(rng.random() < self.flip_prob) if self.flip_prob > 0 else False
        scale = uniform(rng, self.scale)
        angle = uniform(rng, self.rotate)
        shift = [uniform(rng, self.translate) * float(box[2] - box[0]), uniform(rng, self.translate) * float(box[3] - box[1])]
        centre = (float(box[0] + box[2]) / 2 - 0.5, float(box[1] + box[3]) / 2 - 0.5)
        matrix = affine_matrix(height, width, angle, (-scale if flip else scale, scale), (shift[0], shift[1]), center=centre)
        return {
            "members": members,
            "box": [int(v) for v in box],
            "flip": flip,
            "scale": scale,
            "angle": angle,
            "shift": shift,
            "matrix": matrix.tolist(),
        }

    # ------------------------------------------------------------------ kernels
    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        height, width = image.shape[:2]
        groups, vacated = _plan(params, height, width)
        if not groups:
            return image.copy()
        out = _inpaint(image, vacated, self.inpaint_radius, INPAINT[self.inpaint_method])
        return _paste_groups(out, image, groups, self.interpolation, "replicate")

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        height, width = mask.shape[:2]
        groups, vacated = _plan(params, height, width)
        out = mask.copy()
        out[vacated] = 0
        return _paste_groups(out, mask, groups, "nearest", "constant")

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        rows = params.get("box_instances")
        if rows is None or len(rows) != len(boxes):
            raise TargetError(
                f"{type(self).__name__}: the params map {0 if rows is None else len(rows)} boxes to objects; "
                f"got {len(boxes)} boxes"
            )
        groups, _ = _plan(params, height, width)
        moved = _moved_instance_boxes(params, groups, height, width)  # NaN rows: gone; untouched objects: absent
        index = np.asarray(rows, dtype=np.int64).reshape(-1)
        take = index >= 0
        take[take] = moved[index[take], 4] > 0
        out = boxes.copy()
        out[take] = moved[index[take], :4]
        return out

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        groups, _ = _plan(params, height, width)
        out = points.copy()
        columns, rows = np.rint(points[:, 0]).astype(np.int64), np.rint(points[:, 1]).astype(np.int64)
        for group, entry in zip(groups, params["groups"], strict=True):
            x0, y0, x1, y1 = group.source
            inside = (columns >= x0) & (columns < x1) & (rows >= y0) & (rows < y1)
            hit = np.zeros(len(points), bool)
            hit[inside] = group.region[rows[inside] - y0, columns[inside] - x0] != 0
            if hit.any():
                out[hit] = affine_keypoints(points[hit], np.asarray(entry["matrix"], dtype=np.float64))
        return out


# ---------------------------------------------------------------------------------------------
# helpers


def _instances(owner: str, state: State) -> tuple[np.ndarray, list[np.ndarray | None], list[int] | None]:
    """The objects of a call: tight boxes (NaN rows for empty ones), their pixels inside those boxes,
    and which object each box row follows (-1: none)."""
    height, width = state.height, state.width
    if state.masks is not None:
        for index, m in enumerate(state.masks):
            if m.ndim != 2:
                raise TargetError(f"{owner}: target 'masks' item {index} expects an H x W instance mask; got shape {m.shape}")
        boxes = mask_boxes(state.masks, height, width)
        crops = [
            None if np.isnan(b[0]) else m[int(b[1]) : int(b[3]), int(b[0]) : int(b[2])] != 0
            for m, b in zip(state.masks, boxes, strict=True)
        ]
        rows: list[int] | None = None
        if state.boxes is not None and state.box_index is not None:
            rows = state.box_index.tolist()
            if rows and max(rows) >= len(state.masks):
                raise TargetError(
                    f"{owner}: target 'masks' expects one instance mask per box (masks[i] is the object of bboxes[i]); "
                    f"got {len(state.masks)} masks for box {max(rows)}"
                )
        return boxes, crops, rows
    if state.mask is None:
        raise TargetError(
            f"{owner}: target 'masks' (H x W instance masks) or a label mask 'mask' is required: the objects to move "
            "come from it; got a call without masks"
        )
    mask = state.mask
    if mask.ndim == 3:
        if mask.shape[2] != 1:
            raise TargetError(
                f"{owner}: target 'mask' expects a single-channel label mask (H x W); got shape {mask.shape} "
                "(pass instance masks in 'masks' instead)"
            )
        mask = mask[:, :, 0]
    labels, count = label_objects(mask)
    ys, xs = np.nonzero(labels)
    ids = labels[ys, xs] - 1
    boxes = np.full((count, 4), np.nan)
    if count:
        low = np.full((count, 2), np.iinfo(np.int64).max)
        high = np.full((count, 2), -1)
        np.minimum.at(low, ids, np.stack([xs, ys], axis=1))
        np.maximum.at(high, ids, np.stack([xs, ys], axis=1) + 1)
        boxes = np.concatenate([low, high], axis=1).astype(np.float64)
    crops = [labels[int(b[1]) : int(b[3]), int(b[0]) : int(b[2])] == i + 1 for i, b in enumerate(boxes)]
    rows = None
    if state.boxes is not None:
        rows = []
        for x0, y0, x1, y1 in np.rint(state.boxes).astype(np.int64).tolist():  # the object covering most of each box
            votes = np.bincount(labels[y0:y1, x0:x1].reshape(-1), minlength=count + 1)[1:]
            rows.append(int(votes.argmax()) if count and votes.max() > 0 else -1)
    return boxes, crops, rows


def _overlapping_groups(boxes: np.ndarray) -> list[list[int]]:
    """Connected components of the boxes' overlap graph (NaN rows are left out), each sorted,
    ordered by their first member."""
    present = np.flatnonzero(~np.isnan(boxes[:, 0]))
    if not len(present):
        return []
    b = boxes[present]
    touch = (
        (b[:, None, 0] < b[None, :, 2])
        & (b[None, :, 0] < b[:, None, 2])
        & (b[:, None, 1] < b[None, :, 3])
        & (b[None, :, 1] < b[:, None, 3])
    )
    label = np.arange(len(b))
    while True:  # propagate the smallest label through the graph (at most len(b) rounds)
        spread = np.where(touch, label[None, :], len(b)).min(axis=1)
        if (spread == label).all():
            break
        label = spread
    return [present[label == root].tolist() for root in np.unique(label)]


def _plan(params: Params, height: int, width: int) -> tuple[list[_Group], np.ndarray]:
    """Each group's warp, and the pixels every group leaves (all instance pixels)."""
    instances = params["instances"]
    vacated = np.zeros((height, width), bool)
    groups = []
    for entry in params["groups"]:
        gx0, gy0, gx1, gy1 = (int(v) for v in entry["box"])
        sx0, sy0 = max(gx0 - MARGIN, 0), max(gy0 - MARGIN, 0)
        sx1, sy1 = min(gx1 + MARGIN, width), min(gy1 + MARGIN, height)
        region = np.zeros((sy1 - sy0, sx1 - sx0), np.uint8)
        for member in entry["members"]:
            x0, y0, x1, y1 = (int(v) for v in instances[member]["box"])
            region[y0 - sy0 : y1 - sy0, x0 - sx0 : x1 - sx0] |= rle_decode(instances[member]["rle"], y1 - y0, x1 - x0)
        vacated[sy0:sy1, sx0:sx1] |= region != 0
        matrix = np.asarray(entry["matrix"], dtype=np.float64)
        landing = affine_boxes(np.array([[gx0, gy0, gx1, gy1]], dtype=np.float64), matrix)[0]
        wx0, wy0 = max(math.floor(landing[0]) - 1, 0), max(math.floor(landing[1]) - 1, 0)
        wx1, wy1 = min(math.ceil(landing[2]) + 1, width), min(math.ceil(landing[3]) + 1, height)
        local = matrix.copy()
        local[:, 2] += matrix[:, :2] @ np.array([sx0, sy0], dtype=np.float64) - (wx0, wy0)
        if wx1 > wx0 and wy1 > wy0:
            landed = warp_affine(region, local, wy1 - wy0, wx1 - wx0, "nearest") != 0
        else:
            wx1, wy1 = max(wx0, wx1), max(wy0, wy1)
            landed = np.zeros((wy1 - wy0, wx1 - wx0), bool)
        groups.append(_Group(list(entry["members"]), (sx0, sy0, sx1, sy1), (wx0, wy0, wx1, wy1), local, region, landed))
    return groups, vacated


def _paste_groups(out: np.ndarray, source: np.ndarray, groups: list[_Group], interpolation: str, border: str) -> np.ndarray:
    """Paste each group's pixels of ``source`` at its new place in ``out`` (in place), in order."""
    for group in groups:
        wx0, wy0, wx1, wy1 = group.window
        if not group.landed.any():
            continue
        sx0, sy0, sx1, sy1 = group.source
        crop = np.ascontiguousarray(source[sy0:sy1, sx0:sx1])
        moved = warp_affine(crop, group.matrix, wy1 - wy0, wx1 - wx0, interpolation, border)
        out[wy0:wy1, wx0:wx1][group.landed] = moved[group.landed]
    return out


def _moved_instance_boxes(params: Params, groups: list[_Group], height: int, width: int) -> np.ndarray:
    """Per object, the tight box of its moved visible pixels (NaN when none) and a fifth column, 1 for
    the objects that moved (0 for empty ones)."""
    instances = params["instances"]
    covered = np.zeros((height, width), bool)  # landing places of the groups pasted later
    out = np.zeros((len(instances), 5))
    for group in reversed(groups):
        sx0, sy0, sx1, sy1 = group.source
        wx0, wy0, wx1, wy1 = group.window
        hidden = covered[wy0:wy1, wx0:wx1]
        for member in group.members:
            x0, y0, x1, y1 = (int(v) for v in instances[member]["box"])
            own = np.zeros((sy1 - sy0, sx1 - sx0), np.uint8)
            own[y0 - sy0 : y1 - sy0, x0 - sx0 : x1 - sx0] = rle_decode(instances[member]["rle"], y1 - y0, x1 - x0)
            out[member, 4] = 1.0
            if group.landed.size:
                landed = (warp_affine(own, group.matrix, wy1 - wy0, wx1 - wx0, "nearest") != 0) & ~hidden
                out[member, :4] = mask_boxes(landed[None], *landed.shape)[0] + (wx0, wy0, wx0, wy0)
            else:
                out[member, :4] = np.nan
        covered[wy0:wy1, wx0:wx1] |= group.landed
    return out


def _inpaint(image: np.ndarray, region: np.ndarray, radius: int, method: int) -> np.ndarray:
    """``image`` with ``region`` filled by OpenCV inpainting (any dtype and channel count), in a
    window around the region."""
    out = image.copy()
    ys, xs = np.nonzero(region.any(axis=1))[0], np.nonzero(region.any(axis=0))[0]
    if not len(ys):
        return out
    pad = radius + 2
    height, width = region.shape
    y0, y1 = max(int(ys[0]) - pad, 0), min(int(ys[-1]) + 1 + pad, height)
    x0, x1 = max(int(xs[0]) - pad, 0), min(int(xs[-1]) + 1 + pad, width)
    hole = np.ascontiguousarray(region[y0:y1, x0:x1]).view(np.uint8)
    window = np.ascontiguousarray(image[y0:y1, x0:x1])
    if window.ndim == 2 or (window.dtype == np.uint8 and window.shape[2] == 3):
        filled = cv2.inpaint(window, hole, radius, method).reshape(window.shape)
    else:
        filled = np.stack(
            [cv2.inpaint(np.ascontiguousarray(window[:, :, c]), hole, radius, method) for c in range(window.shape[2])], axis=2
        )
    out[y0:y1, x0:x1] = filled
    return out
