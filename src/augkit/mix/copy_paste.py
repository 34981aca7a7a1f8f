"""``CopyPaste``: Simple Copy-Paste (Ghiasi et al., CVPR 2021, arXiv 2012.07177).

A random subset of the instances of a source sample (sample 1) is pasted onto a target sample
(sample 0) through their masks. The source is first jittered as in the paper: resized by a random
scale (large-scale jitter, ``scale=(0.1, 2.0)`` by default), flipped horizontally with ``flip_prob``,
and placed at a random offset (cut where it overhangs the target; when it is smaller, it lands
anywhere inside). Target instances lose the pasted pixels from their masks; their boxes are
recomputed from what remains, and they are dropped when nothing remains (the paper) or, if they were
occluded, when less than ``min_visible_fraction`` of their pixels or ``min_area`` pixels remain.
Pasted instances get tight boxes of their visible masks (later pastes occlude earlier ones).

>>> import numpy as np
>>> from augkit.mix import CopyPaste
>>> target = {"image": np.zeros((8, 8), np.uint8), "masks": [np.ones((8, 8), bool)], "bboxes": [[0, 0, 8, 8]], "labels": [1]}
>>> source = {"image": np.full((8, 8), 9, np.uint8), "masks": [np.eye(8, dtype=bool)], "bboxes": [[0, 0, 8, 8]], "labels": [2]}
>>> out = CopyPaste(scale=1.0, flip_prob=0.0)([target, source], rng=0)
>>> out["labels"], int(out["masks"][0].sum()), int((out["image"] == 9).sum())
([1, 2], 56, 8)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import cv2
import numpy as np

from augkit.core.errors import TargetError
from augkit.core.validate import as_choice, as_float, as_int, as_probability, as_range
from augkit.image.functional._cv import INTERPOLATIONS
from augkit.image.functional.geometry import hflip
from augkit.image.functional.keypoints import hflip_keypoints
from augkit.mix._samples import Params, Parsed, SampleMixer, concat, mask_boxes, place, scaled

__all__ = ["CopyPaste"]


class CopyPaste(SampleMixer):
    """Paste instances (masks, boxes, labels, keypoints) of sample 1 onto sample 0.

    Args:
        scale: range of the source's resize factor (a single value is exact); the paper's large-scale
            jitter (0.1, 2.0) by default, (0.8, 1.25) its standard jitter.
        flip_prob: probability of flipping the source horizontally.
        max_pasted: at most this many instances are pasted; the number is uniform in
            ``[1, min(max_pasted, available)]`` and the instances are chosen uniformly.
        blend_sigma: 0 pastes hard (default; the paper found blending unneeded); > 0 blends with the
            mask blurred by a Gaussian of this sigma (pixels), ``alpha * source + (1 - alpha) * target``.
        min_visible_fraction: an occluded target instance keeping less than this fraction of its pixels is dropped.
        min_area: an occluded instance keeping fewer pixels than this is dropped (mmdetection uses 300).
        interpolation: for resizing the source image (masks use nearest neighbour).
        bbox_format, bbox_normalized, label_fields, keypoint_format, keypoint_fields: the sample formats.
        p: probability of pasting; otherwise sample 0 comes back unchanged.

    Both samples need instance ``masks`` (one per box when they have boxes). A semantic ``mask``
    takes the source's labels where instances were pasted. Source keypoints lying on a pasted
    instance's mask (by the pixel under them) move with it; other source keypoints are dropped;
    target keypoints stay (they may now be hidden under a pasted object).

    >>> CopyPaste(scale=(0.8, 1.25)).scale
    (0.8, 1.25)
    """

    n_samples = 2

    def __init__(
        self,
        scale: float | Sequence[float] = (0.1, 2.0),
        flip_prob: float = 0.5,
        max_pasted: int = 100,
        blend_sigma: float = 0.0,
        min_visible_fraction: float = 0.0,
        min_area: float = 0.0,
        interpolation: str = "linear",
        bbox_format: str = "pascal_voc",
        bbox_normalized: bool | None = None,
        label_fields: Sequence[str] = ("labels",),
        keypoint_format: str = "xy",
        keypoint_fields: Sequence[str] = ("keypoint_labels",),
        p: float = 1.0,
    ) -> None:
        owner = type(self).__name__
        self.scale = as_range(owner, "scale", scale, low=1e-3)
        self.flip_prob = as_probability(owner, "flip_prob", flip_prob)
        self.max_pasted = as_int(owner, "max_pasted", max_pasted, low=1)
        self.blend_sigma = as_float(owner, "blend_sigma", blend_sigma, low=0.0)
        self.min_visible_fraction = as_probability(owner, "min_visible_fraction", min_visible_fraction)
        self.min_area = as_float(owner, "min_area", min_area, low=0.0)
        self.interpolation = as_choice(owner, "interpolation", interpolation, INTERPOLATIONS)
        self._set_targets(bbox_format, bbox_normalized, label_fields, keypoint_format, keypoint_fields, p)

    def _check(self, samples: list[Parsed], keys: frozenset[str]) -> None:
        if "masks" not in keys:
            raise TargetError(
                f"{type(self).__name__}: target 'masks' is required in every sample (instance masks, one per box): "
                "instances are pasted through them; got sample 0 without 'masks'"
            )

    def sample(self, rng: np.random.Generator, samples: list[Parsed]) -> Params:
        """The source's scale, flip and offset, and the pasted instances (indices into sample 1)."""
        target, source = samples
        height, width = target.shape
        src_h, src_w = source.shape
        low, high = self.scale
        scale = float(rng.uniform(low, high)) if high > low else low
        flip = bool(rng.random() < self.flip_prob) if self.flip_prob > 0 else False
        new_h, new_w = max(1, round(src_h * scale)), max(1, round(src_w * scale))
        x = int(rng.integers(min(0, width - new_w), max(0, width - new_w) + 1))
        y = int(rng.integers(min(0, height - new_h), max(0, height - new_h) + 1))
        assert source.masks is not None
        present = np.flatnonzero([bool(m.any()) for m in source.masks])
        chosen: list[int] = []
        if len(present):
            count = int(rng.integers(1, min(self.max_pasted, len(present)) + 1))
            chosen = sorted(rng.choice(present, size=count, replace=False).tolist())
        return {"scale": scale, "flip": flip, "offset": [x, y], "size": [new_h, new_w], "pasted": chosen}

    def _apply(self, samples: list[Parsed], params: Params) -> tuple[Parsed, dict[str, Any]]:
        target, source = samples
        height, width = target.shape
        x, y = (int(v) for v in params["offset"])
        new_h, new_w = (int(v) for v in params["size"])
        chosen = [int(i) for i in params["pasted"]]
        assert source.masks is not None
        if any(not 0 <= i < len(source.masks) for i in chosen):
            raise TargetError(
                f"{type(self).__name__}: pasted instances {chosen} do not fit the source's {len(source.masks)} masks"
            )
        picked = (
            source.take_boxes(np.asarray(chosen, dtype=np.int64)) if source.boxes is not None else _take_masks(source, chosen)
        )
        owners = _keypoint_owners(picked)
        moved = scaled(picked, new_h, new_w, x, y, self.interpolation)
        if params["flip"]:
            moved = _flip(moved, new_w, x)
        assert moved.masks is not None
        full_area = np.asarray([np.count_nonzero(m) for m in moved.masks], dtype=np.float64)
        placed = [place(m, height, width, x, y, 0) for m in moved.masks]
        # later pastes occlude earlier ones: each instance keeps what no later one covers
        union = np.zeros((height, width), bool)
        visible = np.zeros((len(placed), height, width), bool)
        for j in range(len(placed) - 1, -1, -1):
            visible[j] = (placed[j] != 0) & ~union
            union |= placed[j] != 0
            placed[j][~visible[j]] = 0
        image = self._composite(target.image, place(moved.image, height, width, x, y, 0), union)
        mask = None
        if target.mask is not None and moved.mask is not None:
            mask = target.mask.copy()
            mask[union] = place(moved.mask, height, width, x, y, 0)[union]
        kept = self._occlude(target, union)
        keep = _survives(full_area, visible.sum(axis=(1, 2)).astype(np.float64), self.min_visible_fraction, self.min_area)
        moved = replace(moved, masks=placed)
        if moved.keypoints is not None:
            moved = moved.take_keypoints(np.flatnonzero(np.isin(owners, np.flatnonzero(keep))))
        if moved.boxes is not None:
            moved.boxes = mask_boxes(visible, height, width)
            moved = moved.take_boxes(keep)
        else:
            moved = _take_masks(moved, np.flatnonzero(keep).tolist())
        return concat(image, [kept, moved], mask), {}

    def _composite(self, target: np.ndarray, source: np.ndarray, region: np.ndarray) -> np.ndarray:
        if self.blend_sigma <= 0:
            out = target.copy()
            out[region] = source[region]
            return out
        alpha = cv2.GaussianBlur(region.astype(np.float32), (0, 0), self.blend_sigma)
        if target.ndim == 3:
            alpha = alpha[:, :, None]
        out = source.astype(np.float32) * alpha + target.astype(np.float32) * (1.0 - alpha)
        if target.dtype == np.float32:
            return out
        np.rint(out, out=out)
        return np.clip(out, 0, np.iinfo(target.dtype).max, out=out).astype(target.dtype)

    def _occlude(self, target: Parsed, union: np.ndarray) -> Parsed:
        """The target with the pasted pixels cut from its instance masks; boxes refit, instances dropped."""
        assert target.masks is not None
        masks = [m.copy() for m in target.masks]
        before = np.asarray([np.count_nonzero(m) for m in masks], dtype=np.float64)
        for m in masks:
            m[union] = 0
        after = np.asarray([np.count_nonzero(m) for m in masks], dtype=np.float64)
        # an instance without pixels has nothing to occlude: it stays as it came
        keep = _survives(before, after, self.min_visible_fraction, self.min_area) | (before == 0)
        out = replace(target, masks=masks)
        if target.boxes is None:
            return _take_masks(out, np.flatnonzero(keep).tolist())
        rows = np.flatnonzero((after < before) & (after > 0))
        if len(rows):
            boxes = target.boxes.copy()
            fitted = mask_boxes([masks[i] for i in rows.tolist()], *union.shape)
            boxes[rows, :2] = np.maximum(boxes[rows, :2], fitted[:, :2])  # never larger than the given box
            boxes[rows, 2:] = np.minimum(boxes[rows, 2:], fitted[:, 2:])
            out.boxes = boxes
        return out.take_boxes(keep)


def _survives(before: np.ndarray, after: np.ndarray, fraction: float, area: float) -> np.ndarray:
    """Which instances stay: something remains and, if occluded, at least ``fraction`` of their
    pixels and ``area`` pixels."""
    occluded = after < before
    return (after > 0) & ~(occluded & ((after < fraction * before) | (after < area)))


def _take_masks(sample: Parsed, rows: Sequence[int]) -> Parsed:
    assert sample.masks is not None
    return replace(sample, masks=[sample.masks[i] for i in rows], masks_bool=[sample.masks_bool[i] for i in rows])


def _keypoint_owners(sample: Parsed) -> np.ndarray:
    """For each keypoint, the (position of the) last instance whose mask holds its pixel, or -1."""
    if sample.keypoints is None:
        return np.zeros(0, dtype=np.int64)
    assert sample.masks is not None
    height, width = sample.shape
    owners = np.full(len(sample.keypoints), -1, dtype=np.int64)
    columns = np.rint(sample.keypoints[:, 0]).astype(np.int64)
    rows = np.rint(sample.keypoints[:, 1]).astype(np.int64)
    inside = (columns >= 0) & (columns < width) & (rows >= 0) & (rows < height)
    for position, m in enumerate(sample.masks):
        hit = np.zeros(len(owners), bool)
        hit[inside] = m[rows[inside], columns[inside]] != 0
        owners[hit] = position
    return owners


def _flip(sample: Parsed, width: int, x: int) -> Parsed:
    """The placed source mirrored within its own frame (columns ``x .. x + width``)."""
    out = replace(sample, image=hflip(sample.image))
    out.masks = None if sample.masks is None else [hflip(m) for m in sample.masks]
    out.mask = None if sample.mask is None else hflip(sample.mask)
    if sample.boxes is not None:
        out.boxes = sample.boxes.copy()
        out.boxes[:, [0, 2]] = 2 * x + width - sample.boxes[:, [2, 0]]
    if sample.keypoints is not None:
        shift = np.array([x, 0.0, 0.0, 0.0])
        out.keypoints = hflip_keypoints(sample.keypoints - shift, width) + shift
    return out
