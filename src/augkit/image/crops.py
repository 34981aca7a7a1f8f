"""Crops: a window of the image, with masks, boxes and keypoints cut to match.

Every crop records its window as params ``{"x_min", "y_min", "x_max", "y_max"}`` (integer pixel
edges, the window is ``image[y_min:y_max, x_min:x_max]``), so replay needs nothing else. Crops that
resize the window afterwards (``RandomResizedCrop``, ``RandomSizedBBoxSafeCrop``) take the output size
from their arguments. Only the window is copied.

>>> import numpy as np, augkit as ak
>>> ak.image.CenterCrop(2, 2)(image=np.arange(16, dtype=np.uint8).reshape(4, 4))["image"].tolist()
[[5, 6], [9, 10]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError
from augkit.core.targets import State
from augkit.core.transform import SpatialTransform
from augkit.core.validate import as_bool, as_choice, as_fill, as_float_tuple, as_int, as_range
from augkit.image.functional._cv import INTERPOLATIONS
from augkit.image.functional.boxes import crop_boxes, resize_boxes
from augkit.image.functional.geometry import crop, resize
from augkit.image.functional.keypoints import crop_keypoints, resize_keypoints

__all__ = ["CenterCrop", "Crop", "CropNonEmptyMaskIfExists", "RandomCrop", "RandomResizedCrop"]

Params = dict[str, Any]


def window(x_min: int, y_min: int, x_max: int, y_max: int) -> Params:
    """The params of a crop window (plain ints, JSON-safe)."""
    return {"x_min": int(x_min), "y_min": int(y_min), "x_max": int(x_max), "y_max": int(y_max)}


def _corners(params: Params) -> tuple[int, int, int, int]:
    return params["x_min"], params["y_min"], params["x_max"], params["y_max"]


class _Window(SpatialTransform):
    """A crop whose params are a window inside the image; the kernels cut that window."""

    _abstract = True

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return crop(image, *_corners(params))

    apply_mask = apply_image

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        x_min, y_min, x_max, y_max = _corners(params)
        return images[:, y_min:y_max, x_min:x_max].copy()

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return crop_boxes(boxes, params["x_min"], params["y_min"])

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return crop_keypoints(points, params["x_min"], params["y_min"])


class _ResizedWindow(_Window):
    """Cut the window, then resize it to ``self.height x self.width``."""

    _abstract = True
    height: int
    width: int
    interpolation: str
    mask_interpolation: str

    def _set_output(self, height: int, width: int, interpolation: str, mask_interpolation: str) -> None:
        owner = type(self).__name__
        self.height = as_int(owner, "height", height, low=1)
        self.width = as_int(owner, "width", width, low=1)
        self.interpolation = as_choice(owner, "interpolation", interpolation, INTERPOLATIONS)
        self.mask_interpolation = as_choice(owner, "mask_interpolation", mask_interpolation, INTERPOLATIONS)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        x_min, y_min, x_max, y_max = _corners(params)
        return resize(image[y_min:y_max, x_min:x_max], self.height, self.width, self.interpolation)

    def apply_mask(self, mask: np.ndarray, params: Params) -> np.ndarray:
        x_min, y_min, x_max, y_max = _corners(params)
        return resize(mask[y_min:y_max, x_min:x_max], self.height, self.width, self.mask_interpolation)

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return np.stack([self.apply_image(frame, params) for frame in images])

    def _scales(self, params: Params) -> tuple[float, float]:
        x_min, y_min, x_max, y_max = _corners(params)
        return self.width / (x_max - x_min), self.height / (y_max - y_min)

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return resize_boxes(crop_boxes(boxes, params["x_min"], params["y_min"]), *self._scales(params))

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return resize_keypoints(crop_keypoints(points, params["x_min"], params["y_min"]), *self._scales(params))


class _WindowCrop(_Window):
    """Shared by crops of a fixed ``height x width``."""

    _abstract = True

    def __init__(self, height: int, width: int, p: float = 1.0) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.height = as_int(owner, "height", height, low=1)
        self.width = as_int(owner, "width", width, low=1)

    @classmethod
    def example(cls) -> _WindowCrop:
        return cls(20, 24)

    def _check_fits(self, state: State) -> None:
        if self.height > state.height or self.width > state.width:
            raise TargetError(
                f"{type(self).__name__}: the crop {self.height}x{self.width} (HxW) does not fit in the "
                f"image {state.height}x{state.width}; expected an image at least as large as the crop"
            )

    def _window(self, y_min: int, x_min: int) -> Params:
        return window(x_min, y_min, x_min + self.width, y_min + self.height)

    def _random_window(self, rng: np.random.Generator, state: State) -> Params:
        y_min = int(rng.random() * (state.height - self.height + 1))
        x_min = int(rng.random() * (state.width - self.width + 1))
        return self._window(min(y_min, state.height - self.height), min(x_min, state.width - self.width))


class RandomCrop(_WindowCrop):
    """Cut a ``height x width`` window at a random position.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomCrop(200, 180)   # height, width
    """

    has_random_params = True

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        self._check_fits(state)
        return self._random_window(rng, state)


class CenterCrop(_WindowCrop):
    """Cut the central ``height x width`` window.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.CenterCrop(224, 224)
    """

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        self._check_fits(state)
        return self._window((state.height - self.height) // 2, (state.width - self.width) // 2)


# ---------------------------------------------------------------------------------------------
# Crop: an explicit window, padded when it leaves the image


def _padded_cut(array: np.ndarray, params: Params, fill: float | tuple[float, ...], lead: int, owner: str) -> np.ndarray:
    """The window of ``array`` (spatial axes at ``lead``, ``lead + 1``), with ``fill`` outside the image."""
    x_min, y_min, x_max, y_max = _corners(params)
    height, width = array.shape[lead], array.shape[lead + 1]
    shape = (*array.shape[:lead], y_max - y_min, x_max - x_min, *array.shape[lead + 2 :])
    value = np.asarray(fill, dtype=np.float64)
    if array.dtype.kind in "iub":
        info = np.iinfo(np.uint8 if array.dtype.kind == "b" else array.dtype)
        value = np.clip(np.round(value), info.min, info.max)
    out = np.empty(shape, dtype=array.dtype)
    try:
        out[...] = value.astype(array.dtype)
    except ValueError:
        raise TargetError(
            f"{owner}: the fill {fill} does not match the {array.shape[lead + 2] if array.ndim > lead + 2 else 1} "
            f"channel(s) of the array of shape {array.shape}; expected one value or one per channel"
        ) from None
    y_end, x_end = min(y_max, height), min(x_max, width)
    if y_end > y_min and x_end > x_min:
        lead_axes = (slice(None),) * lead
        target = (*lead_axes, slice(0, y_end - y_min), slice(0, x_end - x_min))
        source = (*lead_axes, slice(y_min, y_end), slice(x_min, x_end))
        out[target] = array[source]
    return out


class Crop(_Window):
    """Cut the explicit window ``[x_min, x_max) x [y_min, y_max)`` (pixel edges).

    Args:
        x_min, y_min, x_max, y_max: the window; ``x_min, y_min >= 0`` and the window is not empty.
        pad_if_needed: when the window reaches past the right or bottom edge, fill the outside with
            ``fill`` (images) and ``fill_mask`` (masks) instead of raising a ``TargetError``.
        fill, fill_mask: one value or one per channel.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Crop(10, 20, 110, 220)   # a 200 x 100 (HxW) window
    """

    def __init__(
        self,
        x_min: int,
        y_min: int,
        x_max: int,
        y_max: int,
        pad_if_needed: bool = False,
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.x_min = as_int(owner, "x_min", x_min, low=0)
        self.y_min = as_int(owner, "y_min", y_min, low=0)
        self.x_max = as_int(owner, "x_max", x_max, low=self.x_min + 1)
        self.y_max = as_int(owner, "y_max", y_max, low=self.y_min + 1)
        self.pad_if_needed = as_bool(owner, "pad_if_needed", pad_if_needed)
        self.fill = as_fill(owner, "fill", fill)
        self.fill_mask = as_fill(owner, "fill_mask", fill_mask)

    @classmethod
    def example(cls) -> Crop:
        return cls(4, 6, 40, 30)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        if not self.pad_if_needed and (self.x_max > state.width or self.y_max > state.height):
            raise TargetError(
                f"{type(self).__name__}: the window x=[{self.x_min}, {self.x_max}) y=[{self.y_min}, {self.y_max}) "
                f"leaves the image of {state.height}x{state.width} (HxW); expected a window inside the image, "
                "or pad_if_needed=True"
            )
        return window(self.x_min, self.y_min, self.x_max, self.y_max)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        if params["x_max"] <= image.shape[1] and params["y_max"] <= image.shape[0]:
            return crop(image, *_corners(params))
        return _padded_cut(image, params, self.fill, 0, type(self).__name__)

    def apply_mask(self, mask: np.ndarray, params: Params) -> np.ndarray:
        if params["x_max"] <= mask.shape[1] and params["y_max"] <= mask.shape[0]:
            return crop(mask, *_corners(params))
        return _padded_cut(mask, params, self.fill_mask, 0, type(self).__name__)

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return _padded_cut(images, params, self.fill, 1, type(self).__name__)


# ---------------------------------------------------------------------------------------------
# RandomResizedCrop


class RandomResizedCrop(_ResizedWindow):
    """Cut a window of random area and aspect ratio, then resize it to ``height x width``.

    The window is drawn as torchvision's ``RandomResizedCrop``: up to 10 attempts, each drawing an
    area fraction uniformly from ``scale`` and an aspect ratio (width / height) log-uniformly from
    ``ratio``; the first that fits is placed uniformly. If none fits, the central crop of the whole
    width or height with the aspect ratio clamped to ``ratio`` is used.

    Args:
        height, width: output size in pixels.
        scale: range of the window's area as a fraction of the image's.
        ratio: range of the window's aspect ratio (width / height).
        interpolation: for images; mask_interpolation: for masks (default nearest).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomResizedCrop(224, 224, scale=(0.08, 1.0))
    """

    has_random_params = True

    def __init__(
        self,
        height: int,
        width: int,
        scale: float | tuple[float, float] = (0.08, 1.0),
        ratio: float | tuple[float, float] = (3 / 4, 4 / 3),
        interpolation: str = "linear",
        mask_interpolation: str = "nearest_exact",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self._set_output(height, width, interpolation, mask_interpolation)
        self.scale = as_range(owner, "scale", scale, low=0.0)
        if self.scale[0] <= 0:
            raise ArgumentError(f"{owner}: argument 'scale' expects area fractions > 0; got {scale!r}")
        self.ratio = as_range(owner, "ratio", ratio, low=0.0)
        if self.ratio[0] <= 0:
            raise ArgumentError(f"{owner}: argument 'ratio' expects aspect ratios > 0; got {ratio!r}")

    @classmethod
    def example(cls) -> RandomResizedCrop:
        return cls(24, 32)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        log_lo, log_hi = math.log(self.ratio[0]), math.log(self.ratio[1])
        scale_lo, scale_span = self.scale[0], self.scale[1] - self.scale[0]
        # ten attempts drawn at once, tried in order with scalar math (the first usually fits)
        for area_draw, ratio_draw in rng.random((10, 2)).tolist():
            area = height * width * (scale_lo + scale_span * area_draw)
            aspect = math.exp(log_lo + (log_hi - log_lo) * ratio_draw)
            w, h = round(math.sqrt(area * aspect)), round(math.sqrt(area / aspect))  # half to even
            if 0 < w <= width and 0 < h <= height:
                where_y, where_x = rng.random(2).tolist()
                y_min = min(int(where_y * (height - h + 1)), height - h)
                x_min = min(int(where_x * (width - w + 1)), width - w)
                return window(x_min, y_min, x_min + w, y_min + h)
        aspect = width / height  # the fallback: central crop with the ratio clamped to the range
        if aspect < self.ratio[0]:
            w, h = width, max(1, min(height, round(width / self.ratio[0])))
        elif aspect > self.ratio[1]:
            w, h = max(1, min(width, round(height * self.ratio[1]))), height
        else:
            w, h = width, height
        y_min, x_min = (height - h) // 2, (width - w) // 2
        return window(x_min, y_min, x_min + w, y_min + h)


# ---------------------------------------------------------------------------------------------
# CropNonEmptyMaskIfExists


class CropNonEmptyMaskIfExists(_WindowCrop):
    """Cut a ``height x width`` window that contains foreground of the mask, when there is any.

    A pixel is foreground when it is non-zero and not in ``ignore_values`` in any channel of ``mask``
    or of any of ``masks``. One foreground pixel is drawn uniformly and the window is placed at a
    uniform offset around it (moved inside the image, so it still contains the pixel). When the mask
    has no foreground, or the call has no mask, the window is placed uniformly, as ``RandomCrop``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.CropNonEmptyMaskIfExists(256, 256, ignore_values=[255])
    """

    has_random_params = True

    def __init__(self, height: int, width: int, ignore_values: Sequence[float] | None = None, p: float = 1.0) -> None:
        super().__init__(height, width, p)
        if ignore_values is None:
            self.ignore_values: tuple[float, ...] | None = None
        else:
            values = as_float_tuple(type(self).__name__, "ignore_values", ignore_values)
            self.ignore_values = tuple(int(v) if v.is_integer() else v for v in values)

    def _foreground(self, state: State) -> np.ndarray | None:
        """Flat indices of the foreground pixels (``None`` when the call has no mask)."""
        masks = ([state.mask] if state.mask is not None else []) + list(state.masks or ())
        if not masks:
            return None
        union: np.ndarray | None = None
        for mask in masks:
            marked = mask != 0
            if self.ignore_values:
                marked &= ~np.isin(mask, self.ignore_values)
            if marked.ndim == 3:
                marked = marked.any(axis=2)
            union = marked if union is None else union | marked
        assert union is not None
        return np.flatnonzero(union)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        self._check_fits(state)
        foreground = self._foreground(state)
        if foreground is None or not len(foreground):
            return self._random_window(rng, state)
        pixel = int(foreground[min(int(rng.random() * len(foreground)), len(foreground) - 1)])
        y, x = divmod(pixel, state.width)
        offset = rng.random(2)
        y_min = y - min(int(offset[0] * self.height), self.height - 1)
        x_min = x - min(int(offset[1] * self.width), self.width - 1)
        y_min = min(max(y_min, 0), state.height - self.height)
        x_min = min(max(x_min, 0), state.width - self.width)
        return self._window(y_min, x_min)
