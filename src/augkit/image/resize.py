"""Resizing and padding: ``LongestMaxSize``, ``SmallestMaxSize``, ``RandomScale``, ``PadIfNeeded``,
``Pad``, ``LetterBox`` and ``RandomZoomOut``.

Every transform here records the output size (and the padding) in its params, so replay needs
nothing else. Masks are resized with ``mask_interpolation``, by default "nearest_exact": nearest
neighbour with pixel centres aligned (OpenCV's plain "nearest" shifts content by up to a pixel), so
masks stay on their boxes and keypoints; they are padded with ``fill_mask``. Boxes and keypoints are
scaled and shifted exactly. With a border mode other than "constant" the image (and mask) content is
mirrored or repeated into the padding, but boxes and keypoints are only shifted: the mirrored copies
of objects are not annotated.

>>> import numpy as np
>>> from augkit.image.resize import LongestMaxSize
>>> out = LongestMaxSize(32)(image=np.zeros((48, 64, 3), np.uint8), bboxes=[[0, 0, 64, 48]], labels=[1])
>>> out["image"].shape, out["bboxes"].tolist()
((24, 32, 3), [[0.0, 0.0, 32.0, 24.0]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.rng import uniform
from augkit.core.targets import State
from augkit.core.transform import SpatialTransform
from augkit.core.validate import as_bool, as_choice, as_fill, as_int, as_range
from augkit.image.functional import boxes as B
from augkit.image.functional import geometry as G
from augkit.image.functional import keypoints as K
from augkit.image.functional import padding as P
from augkit.image.functional._cv import BORDER_MODES, INTERPOLATIONS

__all__ = [
    "LetterBox",
    "LongestMaxSize",
    "Pad",
    "PadIfNeeded",
    "RandomScale",
    "RandomZoomOut",
    "SmallestMaxSize",
    "max_size_shape",
]

Params = dict[str, Any]
POSITIONS = ("center", "top_left", "top_right", "bottom_left", "bottom_right", "random")
Fill = float | tuple[float, ...]


def _sizes(owner: str, name: str, value: object) -> int | tuple[int, ...]:
    """An integer >= 1 or a non-empty list of them (one is chosen at random per call)."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise ArgumentError(f"{owner}: argument {name!r} expects an integer >= 1 or a non-empty list of them; got []")
        return tuple(as_int(owner, name, v, low=1) for v in value)
    return as_int(owner, name, value, low=1)


def _optional_int(owner: str, name: str, value: object) -> int | None:
    return None if value is None else as_int(owner, name, value, low=1)


def _index(rng: np.random.Generator, count: int) -> int:
    """A uniform integer in ``[0, count)`` from one draw."""
    return min(int(rng.random() * count), count - 1)


# ---------------------------------------------------------------------------------------------
# Shared bases


def _interpolations(owner: str, interpolation: str, mask_interpolation: str) -> tuple[str, str]:
    image = as_choice(owner, "interpolation", interpolation, INTERPOLATIONS)
    return image, as_choice(owner, "mask_interpolation", mask_interpolation, INTERPOLATIONS)


class _Resizing(SpatialTransform):
    """Resizes every target to ``params["height"] x params["width"]``."""

    _abstract = True
    interpolation: str
    mask_interpolation: str

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        return G.resize(image, params["height"], params["width"], self.interpolation)

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        return G.resize(mask, params["height"], params["width"], self.mask_interpolation)

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return B.resize_boxes(boxes, params["width"] / width, params["height"] / height)

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return K.resize_keypoints(points, params["width"] / width, params["height"] / height)


class _Padding(SpatialTransform):
    """Pads every target by ``params["top"], ["bottom"], ["left"], ["right"]``."""

    _abstract = True
    border_mode: str
    fill: Fill
    fill_mask: Fill

    def _set_border(self, border_mode: str, fill: object, fill_mask: object) -> None:
        owner = type(self).__name__
        self.border_mode = as_choice(owner, "border_mode", border_mode, BORDER_MODES)
        self.fill = as_fill(owner, "fill", fill)
        self.fill_mask = as_fill(owner, "fill_mask", fill_mask)

    def _pad(self, array: np.ndarray, params: Params, fill: Fill, name: str) -> np.ndarray:
        try:
            return P.pad(array, params["top"], params["bottom"], params["left"], params["right"], self.border_mode, fill)
        except ValueError as error:  # a per-channel fill of the wrong length
            channels = 1 if array.ndim == 2 else array.shape[2]
            raise TargetError(
                f"{type(self).__name__}: argument {name!r} expects one value or one per channel ({channels}); "
                f"got {describe(fill)} ({error})"
            ) from None

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        return self._pad(image, params, self.fill, "fill")

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        return self._pad(mask, params, self.fill_mask, "fill_mask")

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return P.pad_boxes(boxes, params["left"], params["top"])

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return P.pad_keypoints(points, params["left"], params["top"])


def _sides(top: int, left: int, extra_height: int, extra_width: int) -> Params:
    return {"top": top, "bottom": extra_height - top, "left": left, "right": extra_width - left}


# ---------------------------------------------------------------------------------------------
# Resizing


class LongestMaxSize(_Resizing):
    """Scale the image, keeping its aspect ratio, so that its longest side equals ``max_size``.

    The other side is ``int(max_size * short / long)`` (truncated, at least 1), as
    ``torchvision.transforms.v2.Resize(size=None, max_size=...)`` computes it. A square image
    becomes ``max_size x max_size``. Images are scaled up as well as down.

    Args:
        max_size: the target length of the longest side, or a list of lengths to choose from at
            random (uniformly, once per call).
        interpolation: for images: nearest, nearest_exact, linear, cubic, area or lanczos.
        mask_interpolation: for masks (default nearest_exact: nearest neighbour, pixel-centre aligned).

    Example:
        >>> from augkit.image.resize import LongestMaxSize
        >>> t = LongestMaxSize(max_size=[512, 640, 768], interpolation="area")
    """

    has_random_params = True  # when max_size is a list
    _longest: ClassVar[bool] = True

    def __init__(
        self,
        max_size: int | Sequence[int],
        interpolation: str = "linear",
        mask_interpolation: str = "nearest_exact",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.max_size = _sizes(type(self).__name__, "max_size", max_size)
        self.interpolation, self.mask_interpolation = _interpolations(type(self).__name__, interpolation, mask_interpolation)

    @classmethod
    def example(cls) -> LongestMaxSize:
        return cls(max_size=[32, 40, 80])

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        sizes = self.max_size if isinstance(self.max_size, tuple) else (self.max_size,)
        size = sizes[_index(rng, len(sizes))] if len(sizes) > 1 else sizes[0]
        height, width = max_size_shape(state.height, state.width, size, longest=self._longest)
        return {"max_size": size, "height": height, "width": width}


class SmallestMaxSize(LongestMaxSize):
    """Scale the image, keeping its aspect ratio, so that its shortest side equals ``max_size``.

    The other side is ``int(max_size * long / short)`` (truncated), as
    ``torchvision.transforms.v2.Resize(size=max_size)`` computes it.

    Args:
        max_size: the target length of the shortest side, or a list of lengths to choose from at
            random (uniformly, once per call).
        interpolation, mask_interpolation: as for ``LongestMaxSize``.

    Example:
        >>> from augkit.image.resize import SmallestMaxSize
        >>> t = SmallestMaxSize(max_size=256)
    """

    _longest = False

    @classmethod
    def example(cls) -> SmallestMaxSize:
        return cls(max_size=[24, 36, 60])


def max_size_shape(height: int, width: int, max_size: int, longest: bool = True) -> tuple[int, int]:
    """``(height, width)`` scaled so that the longest (or shortest) side is ``max_size``.

    The other side is truncated (at least 1), as torchvision's ``Resize`` computes it.

    >>> max_size_shape(48, 64, 100), max_size_shape(64, 48, 100), max_size_shape(48, 64, 100, longest=False)
    ((75, 100), (100, 75), (100, 133))
    """
    short, long = min(height, width), max(height, width)
    if longest:
        new_long, new_short = max_size, max(1, int(max_size * short / long))
    else:
        new_long, new_short = max(1, int(max_size * long / short)), max_size
    return (new_long, new_short) if height >= width else (new_short, new_long)


class RandomScale(_Resizing):
    """Scale both sides by ``1 + s``, ``s`` drawn uniformly from ``scale_limit``.

    The output size is ``round(side * (1 + s))`` (at least 1) per side, so the aspect ratio is kept
    up to rounding. ``scale_limit`` is a range of ``s`` (each > -1); a single number means exactly
    that ``s`` (``scale_limit=0.5`` always scales by 1.5).

    Example:
        >>> from augkit.image.resize import RandomScale
        >>> t = RandomScale(scale_limit=(-0.2, 0.3), p=1.0)
    """

    has_random_params = True

    def __init__(
        self,
        scale_limit: float | tuple[float, float] = (-0.1, 0.1),
        interpolation: str = "linear",
        mask_interpolation: str = "nearest_exact",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        limit = as_range(owner, "scale_limit", scale_limit)
        if limit[0] <= -1.0:
            raise ArgumentError(
                f"{owner}: argument 'scale_limit' expects a (min, max) range of s with min > -1 "
                f"(the factor is 1 + s); got {scale_limit!r}"
            )
        self.scale_limit = limit
        self.interpolation, self.mask_interpolation = _interpolations(type(self).__name__, interpolation, mask_interpolation)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        scale = 1.0 + uniform(rng, self.scale_limit)
        height = max(1, round(state.height * scale))
        width = max(1, round(state.width * scale))
        return {"scale": scale, "height": height, "width": width}


# ---------------------------------------------------------------------------------------------
# Padding


class PadIfNeeded(_Padding):
    """Pad to at least ``min_height x min_width`` and/or up to multiples of the divisors.

    Per axis the target is ``max(size, min_height)`` (when given), then rounded up to a multiple of
    ``pad_height_divisor`` (when given); likewise for the width. An axis with neither is not padded.
    Images already large enough are returned unchanged (never cropped).

    Args:
        min_height, min_width: the smallest output size (``None``: no minimum on that axis).
        pad_height_divisor, pad_width_divisor: pad the output up to a multiple of these.
        position: where the image sits in the output: center (an odd extra pixel goes to the bottom
            and right), top_left, top_right, bottom_left, bottom_right, or random (uniform over
            every integer offset).
        border_mode: constant (``fill``), reflect, replicate or wrap. Mirrored or repeated objects
            in the border are not annotated: boxes and keypoints are only shifted.
        fill: one number or one per channel, in the image's units; ``fill_mask`` likewise for masks.

    Example:
        >>> from augkit.image.resize import PadIfNeeded
        >>> t = PadIfNeeded(640, 640, position="top_left", fill=114)
        >>> t = PadIfNeeded(pad_height_divisor=32, pad_width_divisor=32)
    """

    has_random_params = True  # with position="random"

    def __init__(
        self,
        min_height: int | None = None,
        min_width: int | None = None,
        pad_height_divisor: int | None = None,
        pad_width_divisor: int | None = None,
        position: str = "center",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_height = _optional_int(owner, "min_height", min_height)
        self.min_width = _optional_int(owner, "min_width", min_width)
        self.pad_height_divisor = _optional_int(owner, "pad_height_divisor", pad_height_divisor)
        self.pad_width_divisor = _optional_int(owner, "pad_width_divisor", pad_width_divisor)
        if min_height is None and min_width is None and pad_height_divisor is None and pad_width_divisor is None:
            raise ArgumentError(
                f"{owner}: arguments 'min_height', 'min_width', 'pad_height_divisor', 'pad_width_divisor' "
                "expect at least one integer >= 1; got all None"
            )
        self.position = as_choice(owner, "position", position, POSITIONS)
        self._set_border(border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> PadIfNeeded:
        return cls(min_height=60, min_width=80, pad_height_divisor=16, position="random")

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        extra_height = _target(state.height, self.min_height, self.pad_height_divisor) - state.height
        extra_width = _target(state.width, self.min_width, self.pad_width_divisor) - state.width
        position = self.position
        if position == "random":
            top = _index(rng, extra_height + 1)
            left = _index(rng, extra_width + 1)
        elif position == "center":
            top, left = extra_height // 2, extra_width // 2
        else:
            top = extra_height if position.startswith("bottom") else 0
            left = extra_width if position.endswith("right") else 0
        return _sides(top, left, extra_height, extra_width)


def _target(size: int, minimum: int | None, divisor: int | None) -> int:
    target = max(size, minimum or 0)
    if divisor is not None:
        target = math.ceil(target / divisor) * divisor
    return target


class Pad(_Padding):
    """Pad by a fixed number of pixels on each side.

    Args:
        padding: one integer for all sides, ``(pad_x, pad_y)`` for left/right and top/bottom, or
            ``(left, top, right, bottom)`` (torchvision's order).
        border_mode, fill, fill_mask: as for ``PadIfNeeded`` (mirrored objects are not annotated).

    Example:
        >>> from augkit.image.resize import Pad
        >>> t = Pad((8, 4), border_mode="reflect")   # 8 left and right, 4 top and bottom
    """

    def __init__(
        self,
        padding: int | Sequence[int] = 0,
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        if isinstance(padding, (list, tuple)):
            if len(padding) not in (2, 4):
                raise ArgumentError(
                    f"{owner}: argument 'padding' expects an integer >= 0, (pad_x, pad_y) or "
                    f"(left, top, right, bottom); got {describe(padding)}"
                )
            self.padding: int | tuple[int, ...] = tuple(as_int(owner, "padding", v, low=0) for v in padding)
        else:
            self.padding = as_int(owner, "padding", padding, low=0)
        self._set_border(border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> Pad:
        return cls((3, 5, 7, 2))

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        padding = self.padding
        if isinstance(padding, int):
            left = top = right = bottom = padding
        elif len(padding) == 2:
            left, top = right, bottom = padding
        else:
            left, top, right, bottom = padding
        return {"top": top, "bottom": bottom, "left": left, "right": right}


class RandomZoomOut(_Padding):
    """Place the image on a larger canvas filled with ``fill``, as torchvision v2 ``RandomZoomOut``.

    A side factor ``r`` is drawn uniformly from ``side_range`` (each >= 1); the canvas is
    ``int(H * r) x int(W * r)`` and the image sits at a uniformly random offset within it. The
    image content is unchanged (no resampling); follow with a resize for a fixed output size.

    Example:
        >>> from augkit.image.resize import RandomZoomOut
        >>> t = RandomZoomOut(fill=(124, 116, 104), side_range=(1.0, 2.0), p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        fill: float | Sequence[float] = 0,
        side_range: float | tuple[float, float] = (1.0, 4.0),
        fill_mask: float | Sequence[float] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.side_range = as_range(owner, "side_range", side_range, low=1.0)
        self._set_border("constant", fill, fill_mask)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        side = uniform(rng, self.side_range)
        extra_height = int(state.height * side) - state.height
        extra_width = int(state.width * side) - state.width
        left = int(extra_width * float(rng.random()))
        top = int(extra_height * float(rng.random()))
        return {"side": side, **_sides(top, left, extra_height, extra_width)}


class LetterBox(_Padding):
    """Fit the image into ``height x width`` keeping its aspect ratio, and pad the rest (YOLO style).

    The image is scaled by ``r = min(height / H, width / W)`` (each side rounded, up or down) and
    padded with ``fill``: evenly on both sides when ``center`` (the odd pixel at the bottom/right),
    else at the bottom/right only. The params record the realized ``scale_x``/``scale_y``, the
    ``resized_height``/``resized_width`` and the padding ``top``/``bottom``/``left``/``right``;
    ``augkit.image.functional.padding.letterbox_inverse(boxes, params)`` maps boxes predicted on
    the letterboxed image back to the original image.

    ``fill`` is in the image's units: 114 suits uint8 images; use e.g. ``114 / 255`` for float images.

    Example:
        >>> import numpy as np
        >>> from augkit.image.functional.padding import letterbox_inverse
        >>> from augkit.image.resize import LetterBox
        >>> out = LetterBox(640, 640)(image=np.zeros((375, 500, 3), np.uint8), record=True)
        >>> params = out["applied"][0]["params"]
        >>> out["image"].shape, params["top"], params["resized_height"]
        ((640, 640, 3), 80, 480)
        >>> letterbox_inverse(np.array([[0.0, 80.0, 640.0, 560.0]]), params).tolist()
        [[0.0, 0.0, 500.0, 375.0]]
    """

    def __init__(
        self,
        height: int,
        width: int,
        fill: float | Sequence[float] = 114,
        fill_mask: float | Sequence[float] = 0,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest_exact",
        center: bool = True,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.height = as_int(owner, "height", height, low=1)
        self.width = as_int(owner, "width", width, low=1)
        self._set_border("constant", fill, fill_mask)
        self.interpolation, self.mask_interpolation = _interpolations(type(self).__name__, interpolation, mask_interpolation)
        self.center = as_bool(owner, "center", center)

    @classmethod
    def example(cls) -> LetterBox:
        return cls(40, 40, fill=0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return P.letterbox_geometry(state.height, state.width, self.height, self.width, self.center)

    def _resize(self, array: np.ndarray, params: Params, interpolation: str) -> np.ndarray:
        return G.resize(array, params["resized_height"], params["resized_width"], interpolation)

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        return self._pad(self._resize(image, params, self.interpolation), params, self.fill, "fill")

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        return self._pad(self._resize(mask, params, self.mask_interpolation), params, self.fill_mask, "fill_mask")

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        scaled = B.resize_boxes(boxes, params["resized_width"] / width, params["resized_height"] / height)
        return P.pad_boxes(scaled, params["left"], params["top"])

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        scaled = K.resize_keypoints(points, params["resized_width"] / width, params["resized_height"] / height)
        return P.pad_keypoints(scaled, params["left"], params["top"])
