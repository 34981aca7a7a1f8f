"""Crops that look at the boxes: keep every box, crop near one box, or SSD-style IoU crops.

The random draws read the call's boxes (``state.boxes``, pascal_voc pixel edges) in ``sample``; the
params are the window corners ``{"x_min", "y_min", "x_max", "y_max"}`` (plus the drawn IoU threshold
for ``RandomIoUCrop``), so replay needs nothing else. Calls without boxes still work; each class says
what it then does.

>>> import numpy as np, augkit as ak
>>> out = ak.image.BBoxSafeRandomCrop()(image=np.zeros((40, 60, 3), np.uint8), bboxes=[[10, 5, 30, 20]], labels=[7], rng=0)
>>> bool(out["bboxes"][0, 2] - out["bboxes"][0, 0] == 20), out["labels"]
(True, [7])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError
from augkit.core.targets import State
from augkit.core.validate import as_float, as_float_tuple, as_int, as_range
from augkit.image.crops import _ResizedWindow, _Window, window

__all__ = ["BBoxSafeRandomCrop", "RandomCropNearBBox", "RandomIoUCrop", "RandomSizedBBoxSafeCrop"]

Params = dict[str, Any]


def _boxes(state: State) -> np.ndarray | None:
    boxes = state.boxes
    return boxes if boxes is not None and len(boxes) else None


# ---------------------------------------------------------------------------------------------
# Crops that keep every box


def _safe_window(rng: np.random.Generator, state: State, erosion_rate: float) -> Params:
    """A window containing the union of the (eroded) boxes, its edges drawn uniformly between the
    union and the image border; without boxes a random pixel plays the union."""
    height, width = state.height, state.width
    boxes = _boxes(state)
    draws = rng.random(6)
    if boxes is None:
        x = min(int(draws[4] * width), width - 1)
        y = min(int(draws[5] * height), height - 1)
        left, top, right, bottom = x, y, x + 1, y + 1
    else:
        sizes = boxes[:, 2:4] - boxes[:, 0:2]
        shrink = np.concatenate([sizes, -sizes], axis=1) * (0.5 * erosion_rate)
        eroded = boxes + shrink
        left = min(max(math.floor(eroded[:, 0].min()), 0), width - 1)
        top = min(max(math.floor(eroded[:, 1].min()), 0), height - 1)
        right = max(min(math.ceil(eroded[:, 2].max()), width), left + 1)
        bottom = max(min(math.ceil(eroded[:, 3].max()), height), top + 1)
    x_min = min(int(draws[0] * (left + 1)), left)
    y_min = min(int(draws[1] * (top + 1)), top)
    x_max = right + min(int(draws[2] * (width - right + 1)), width - right)
    y_max = bottom + min(int(draws[3] * (height - bottom + 1)), height - bottom)
    return window(x_min, y_min, x_max, y_max)


def _erosion(owner: str, value: object) -> float:
    return as_float(owner, "erosion_rate", value, low=0.0, high=1.0)


class BBoxSafeRandomCrop(_Window):
    """Cut a random window that contains every box.

    Each edge of the window is drawn uniformly between the union of the boxes and the image border.
    ``erosion_rate`` first shrinks every box by that fraction of its width and height (half on each
    side), so up to that much of a box may be cut off. Without boxes, a random pixel plays the union
    of the boxes (as if there were one 1 x 1 box), so the call is a random crop of random size.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.BBoxSafeRandomCrop(erosion_rate=0.1)
    """

    has_random_params = True

    def __init__(self, erosion_rate: float = 0.0, p: float = 1.0) -> None:
        super().__init__(p)
        self.erosion_rate = _erosion(type(self).__name__, erosion_rate)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return _safe_window(rng, state, self.erosion_rate)


class RandomSizedBBoxSafeCrop(_ResizedWindow):
    """Cut a random window that contains every box (as ``BBoxSafeRandomCrop``), then resize it to
    ``height x width``. Without boxes, a random pixel plays the union of the boxes.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomSizedBBoxSafeCrop(320, 320, erosion_rate=0.0)
    """

    has_random_params = True

    def __init__(
        self,
        height: int,
        width: int,
        erosion_rate: float = 0.0,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest_exact",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self._set_output(height, width, interpolation, mask_interpolation)
        self.erosion_rate = _erosion(type(self).__name__, erosion_rate)

    @classmethod
    def example(cls) -> RandomSizedBBoxSafeCrop:
        return cls(24, 32)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return _safe_window(rng, state, self.erosion_rate)


# ---------------------------------------------------------------------------------------------
# RandomCropNearBBox


class RandomCropNearBBox(_Window):
    """Cut a window around one box chosen at random, each edge moved in or out by a random part of
    the box's size.

    Each of the four edges moves by a fraction drawn uniformly from ``max_part_shift`` (a range, or
    one number for exactly that fraction) of the box's width (left and right edges) or height (top
    and bottom edges), outwards or inwards at random. The window is then rounded outwards to whole
    pixels, clipped to the image and kept at least 1 pixel wide and high. Without boxes, the whole
    image plays the chosen box.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomCropNearBBox(max_part_shift=(0.0, 0.3))
    """

    has_random_params = True

    def __init__(self, max_part_shift: float | tuple[float, float] = (0.0, 0.3), p: float = 1.0) -> None:
        super().__init__(p)
        self.max_part_shift = as_range(type(self).__name__, "max_part_shift", max_part_shift, low=0.0, high=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        boxes = _boxes(state)
        draws = rng.random(9)
        whole = np.array([0.0, 0.0, width, height])
        box = whole if boxes is None else boxes[min(int(draws[8] * len(boxes)), len(boxes) - 1)]
        size = np.array([box[2] - box[0], box[3] - box[1]] * 2)
        low, high = self.max_part_shift
        parts = low + (high - low) * draws[:4]
        outwards = np.where(draws[4:8] < 0.5, 1.0, -1.0) * np.array([-1.0, -1.0, 1.0, 1.0])
        moved = box + outwards * parts * size
        x_min = min(max(math.floor(moved[0]), 0), width - 1)
        y_min = min(max(math.floor(moved[1]), 0), height - 1)
        x_max = max(min(math.ceil(moved[2]), width), x_min + 1)
        y_max = max(min(math.ceil(moved[3]), height), y_min + 1)
        return window(x_min, y_min, x_max, y_max)


# ---------------------------------------------------------------------------------------------
# RandomIoUCrop

#: Rounds of (threshold, trials) drawn before RandomIoUCrop gives up and leaves the image as it is.
IOU_CROP_ROUNDS = 50


class RandomIoUCrop(_Window):
    """The SSD crop (Liu et al., 2016), sampled as torchvision.transforms.v2.RandomIoUCrop.

    Each call draws a minimum IoU from ``sampler_options`` (1.0 or more means "no crop"), then up to
    ``trials`` windows whose sides are ``min_scale..max_scale`` of the image's and whose aspect ratio
    (width / height) lies in ``[min_aspect_ratio, max_aspect_ratio]``. The first window that contains
    the centre of some box whose IoU with the window reaches the threshold is used; if none does, a
    new threshold is drawn (at most 50 rounds, then the image is left as it is). Boxes whose centres
    fall outside the window are dropped, with their labels (even if partly visible, as in SSD);
    keypoints and masks are cut like any crop. Without boxes, the first window that meets the size
    and aspect limits is used.

    Params: the window corners, ``min_iou`` (the threshold drawn) and ``cropped`` (False for "no crop").

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomIoUCrop(min_scale=0.3, trials=40)
    """

    has_random_params = True
    #: Boxes still partly inside the window can be dropped (their centre left it), on purpose.
    drops_visible_boxes: ClassVar[bool] = True

    def __init__(
        self,
        min_scale: float = 0.3,
        max_scale: float = 1.0,
        min_aspect_ratio: float = 0.5,
        max_aspect_ratio: float = 2.0,
        sampler_options: Sequence[float] = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0),
        trials: int = 40,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_scale = as_float(owner, "min_scale", min_scale, low=0.0, high=1.0)
        self.max_scale = as_float(owner, "max_scale", max_scale, low=0.0, high=1.0)
        if self.min_scale <= 0 or self.min_scale > self.max_scale:
            raise ArgumentError(
                f"{owner}: argument 'min_scale' expects a number in (0, max_scale={self.max_scale}]; got {min_scale!r}"
            )
        self.min_aspect_ratio = as_float(owner, "min_aspect_ratio", min_aspect_ratio, low=0.0)
        self.max_aspect_ratio = as_float(owner, "max_aspect_ratio", max_aspect_ratio, low=0.0)
        if self.min_aspect_ratio <= 0 or self.min_aspect_ratio > self.max_aspect_ratio:
            raise ArgumentError(
                f"{owner}: argument 'min_aspect_ratio' expects a number in (0, max_aspect_ratio="
                f"{self.max_aspect_ratio}]; got {min_aspect_ratio!r}"
            )
        options = as_float_tuple(owner, "sampler_options", sampler_options)
        if min(options) < 0:
            raise ArgumentError(f"{owner}: argument 'sampler_options' expects IoU thresholds >= 0; got {sampler_options!r}")
        self.sampler_options = options
        self.trials = as_int(owner, "trials", trials, low=1)

    def _no_crop(self, state: State, threshold: float) -> Params:
        return {**window(0, 0, state.width, state.height), "min_iou": threshold, "cropped": False}

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        boxes = _boxes(state)
        if boxes is not None:
            centres = (boxes[:, 0:2] + boxes[:, 2:4]) * 0.5
            box_areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        options = self.sampler_options
        threshold = 1.0
        for _ in range(IOU_CROP_ROUNDS):
            threshold = options[min(int(rng.random() * len(options)), len(options) - 1)]
            if threshold >= 1.0:
                return self._no_crop(state, threshold)
            draws = rng.random((self.trials, 4))  # all trials at once: side scales, then position
            scales = self.min_scale + (self.max_scale - self.min_scale) * draws[:, :2]
            crop_w = (width * scales[:, 0]).astype(np.int64)
            crop_h = (height * scales[:, 1]).astype(np.int64)
            left = ((width - crop_w) * draws[:, 2]).astype(np.int64)
            top = ((height - crop_h) * draws[:, 3]).astype(np.int64)
            right, bottom = left + crop_w, top + crop_h
            with np.errstate(divide="ignore", invalid="ignore"):
                aspect = crop_w / crop_h
            ok = (crop_w > 0) & (crop_h > 0) & (aspect >= self.min_aspect_ratio) & (aspect <= self.max_aspect_ratio)
            if boxes is not None:
                inside = (
                    (left[:, None] < centres[None, :, 0])
                    & (centres[None, :, 0] < right[:, None])
                    & (top[:, None] < centres[None, :, 1])
                    & (centres[None, :, 1] < bottom[:, None])
                )
                overlap_w = np.minimum(boxes[None, :, 2], right[:, None]) - np.maximum(boxes[None, :, 0], left[:, None])
                overlap_h = np.minimum(boxes[None, :, 3], bottom[:, None]) - np.maximum(boxes[None, :, 1], top[:, None])
                overlap = np.clip(overlap_w, 0, None) * np.clip(overlap_h, 0, None)
                iou = overlap / (box_areas[None, :] + (crop_w * crop_h)[:, None] - overlap)
                ok &= (inside & (iou >= threshold)).any(axis=1)
            found = np.flatnonzero(ok)
            if len(found):
                i = found[0]
                return {**window(left[i], top[i], right[i], bottom[i]), "min_iou": threshold, "cropped": True}
        return self._no_crop(state, threshold)

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        x_min, y_min = params["x_min"], params["y_min"]
        out = boxes - np.array([x_min, y_min, x_min, y_min], dtype=np.float64)
        if params["cropped"]:
            centre_x = (boxes[:, 0] + boxes[:, 2]) * 0.5
            centre_y = (boxes[:, 1] + boxes[:, 3]) * 0.5
            outside = ~((x_min < centre_x) & (centre_x < params["x_max"]) & (y_min < centre_y) & (centre_y < params["y_max"]))
            out[outside] = np.nan  # marked for the pipeline to drop, with their labels
        return out
