"""Shared machinery of the erasing transforms (``augkit.image.dropout``): argument checks, cheap
random draws, and the base classes that edit masks, boxes and keypoints to match the holes.

>>> import numpy as np
>>> randint(np.random.default_rng(0), 3, 3)
3
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.rng import draw_seed
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_fill, as_float, as_int, as_int_range, as_range
from augkit.image.functional import dropout as FD

__all__ = [
    "TOLERANCE",
    "ErasingTransform",
    "Fill",
    "MaskFill",
    "Params",
    "RectangleErasing",
    "as_erase_fill",
    "as_hole_range",
    "as_int_pair",
    "as_mask_fill",
    "channels_of",
    "draw_seed",
    "hole_size",
    "randint",
]

Params = dict[str, Any]
Fill = float | tuple[float, ...] | str
MaskFill = float | tuple[float, ...] | None
TOLERANCE = 1e-9


def as_erase_fill(owner: str, name: str, value: object, modes: Sequence[str]) -> Fill:
    """A number, one number per channel, or one of ``modes``."""
    if isinstance(value, str) and value in modes:
        return value
    if not isinstance(value, str):
        try:
            return as_fill(owner, name, value)
        except ArgumentError:
            pass
    options = ", ".join(repr(m) for m in modes)
    raise ArgumentError(
        f"{owner}: argument {name!r} expects a number, one number per channel{' or one of ' + options if modes else ''}; "
        f"got {describe(value)}"
    )


def as_mask_fill(owner: str, name: str, value: object) -> MaskFill:
    """``None`` (leave the target unchanged), a number, or one number per channel."""
    return None if value is None else as_fill(owner, name, value)


def as_hole_range(owner: str, name: str, value: object) -> tuple[int, int] | tuple[float, float]:
    """Hole sizes: a pair (or one value) of pixel counts (ints >= 1) or of fractions in (0, 1]."""
    pair = value if isinstance(value, (list, tuple)) and len(value) == 2 else (value, value)
    expected = "a (min, max) pair (or one value) of pixel counts >= 1 (ints) or of fractions of the image side in (0, 1]"
    try:
        if all(isinstance(v, Integral) and not isinstance(v, bool) for v in pair):
            return as_int_range(owner, name, tuple(pair), low=1)
        low, high = as_range(owner, name, tuple(pair), low=0.0, high=1.0)
    except ArgumentError:
        low = 0.0
    if low <= 0.0:
        raise ArgumentError(f"{owner}: argument {name!r} expects {expected}; got {describe(value)}")
    return (low, high)


def randint(rng: np.random.Generator, low: int, high: int) -> int:
    """A uniform integer in ``[low, high]`` (one ``rng.random()`` draw: much cheaper than ``integers``)."""
    return low + min(int(rng.random() * (high - low + 1)), high - low)


def hole_size(rng: np.random.Generator, size_range: tuple[Any, Any], side: int) -> int:
    """One hole side: ints are pixels, floats fractions of ``side`` (at least 1, at most ``side``)."""
    low, high = size_range
    if isinstance(low, int):  # pixels
        return min(randint(rng, low, high), side)
    return min(max(math.floor((low + (high - low) * rng.random()) * side), 1), side)


def channels_of(state: State) -> int:
    """The channel count of the call's image or frames (1 for 2-D images)."""
    image = state.image if state.image is not None else state.images
    if image is None:
        return 1
    return int(image.shape[-1]) if image.ndim == (3 if state.image is not None else 4) else 1


class ErasingTransform(PixelTransform):
    """Shared target editing: a subclass defines the erased ``_region`` and how ``_erase`` fills it."""

    _abstract = True
    edits_targets = True
    drops_visible_boxes = True  # a mostly hidden box goes even where some of it (or its mask) shows
    has_random_params = True
    fill: Fill
    fill_mask: MaskFill
    max_covered: float

    def _set_fills(self, fill: object, fill_mask: object, max_covered: object, modes: Sequence[str]) -> None:
        self.fill = as_erase_fill(type(self).__name__, "fill", fill, modes)
        self._set_targets(fill_mask, max_covered)

    def _set_targets(self, fill_mask: object, max_covered: object) -> None:
        owner = type(self).__name__
        self.fill_mask = as_mask_fill(owner, "fill_mask", fill_mask)
        self.max_covered = as_float(owner, "max_covered", max_covered, low=0.0, high=1.0)

    def _region(self, params: Params, height: int, width: int) -> np.ndarray:
        raise NotImplementedError

    def _erase(self, array: np.ndarray, params: Params, fill: Fill) -> np.ndarray:
        return FD.erase_region(array, self._region(params, *array.shape[:2]), fill, params["seed"])

    def _fill(self, array: np.ndarray, params: Params, fill: Fill, name: str) -> np.ndarray:
        try:
            return self._erase(array, params, fill)
        except ValueError as error:  # a per-channel fill of the wrong length, or params of another image
            raise TargetError(f"{type(self).__name__}: cannot apply argument {name!r}={fill!r} here: {error}") from None

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        return self._fill(image, params, self.fill, "fill")

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        if self.fill_mask is None:
            return mask.copy()
        return self._fill(mask, params, self.fill_mask, "fill_mask")

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        covered = FD.covered_fraction(boxes, self._region(params, height, width))
        out = np.array(boxes, dtype=np.float64, copy=True)
        out[(covered > self.max_covered + TOLERANCE) | (covered >= 1.0 - TOLERANCE)] = np.nan
        return out

    def hidden_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray | None:
        return FD.points_in_region(points, self._region(params, height, width))


class RectangleErasing(ErasingTransform):
    """Holes recorded as ``params["holes"]``: ``[x1, y1, x2, y2]`` pixel-edge rectangles."""

    _abstract = True

    def _region(self, params: Params, height: int, width: int) -> np.ndarray:
        return FD.rectangles_region(params["holes"], height, width)

    def _erase(self, array: np.ndarray, params: Params, fill: Fill) -> np.ndarray:
        return FD.erase_rectangles(array, params["holes"], fill, params["seed"])


def as_int_pair(owner: str, name: str, value: object, low: int) -> tuple[int, int]:
    """An ``(x, y)`` pair of integers ``>= low``."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ArgumentError(f"{owner}: argument {name!r} expects an (x, y) pair of integers >= {low}; got {describe(value)}")
    return (as_int(owner, name, value[0], low=low), as_int(owner, name, value[1], low=low))
