"""Erasing transforms (the Cutout family): they fill holes in the image and, where asked, edit the
other targets to match.

Holes are recorded in the params (rectangles, grid geometry, a seed, or run lengths of a region),
so replay needs nothing else. Every class here also edits targets: masks get ``fill_mask`` in the
holes when it is set (otherwise they are returned unchanged), a box is dropped when the holes cover
more than ``max_covered`` of its area (a box hidden entirely is always dropped; with the default
1.0 only those), and keypoints under a hole become invisible (dropped with the pipeline's
``remove_invisible_keypoints``, flagged 0 in its ``keypoint_visibility_column``). Frame stacks share
one draw of holes (and of random fill values).

>>> import numpy as np
>>> from augkit.image.dropout import CoarseDropout
>>> t = CoarseDropout(num_holes_range=1, hole_height_range=2, hole_width_range=2, p=1.0)
>>> int((t(image=np.ones((4, 4), np.uint8), rng=0)["image"] == 0).sum())
4
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from augkit.core.errors import ArgumentError, TargetError
from augkit.core.rng import uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_bool, as_float, as_int_range, as_range
from augkit.image._erasing import (
    TOLERANCE,
    ErasingTransform,
    Fill,
    Params,
    RectangleErasing,
    as_erase_fill,
    as_hole_range,
    as_int_pair,
    as_mask_fill,
    channels_of,
    draw_seed,
    hole_size,
    randint,
)
from augkit.image.functional import dropout as FD

__all__ = ["CoarseDropout", "Cutout", "GridDropout", "GridMask", "MaskDropout", "PixelDropout", "RandomErasing"]


class CoarseDropout(RectangleErasing):
    """Erase a few rectangles of random size and position (Albumentations 2.0.8 semantics).

    Args:
        num_holes_range: how many holes, drawn uniformly from ``[min, max]``.
        hole_height_range, hole_width_range: hole sides, drawn independently per hole: floats are
            fractions of the image side in (0, 1] (``floor(u * side)``, at least 1 pixel), ints are
            pixels (uniform over ``[min, max]``). Holes lie wholly inside the image and may overlap.
        fill: a number or one per channel (image units); ``"random"`` uniform noise per pixel;
            ``"random_uniform"`` one random colour per hole; ``"mean"`` the image's per-channel mean.
        fill_mask: the value for masks in the holes; ``None`` leaves masks unchanged.
        max_covered: drop a box when holes cover more than this share of its area (a box hidden
            entirely always goes; the default 1.0 drops only those, as Albumentations does).

    Example:
        >>> from augkit.image.dropout import CoarseDropout
        >>> t = CoarseDropout(num_holes_range=(1, 4), hole_height_range=(8, 32), fill="random")
    """

    def __init__(
        self,
        num_holes_range: int | Sequence[int] = (1, 2),
        hole_height_range: float | Sequence[float] = (0.1, 0.2),
        hole_width_range: float | Sequence[float] = (0.1, 0.2),
        fill: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = None,
        max_covered: float = 1.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.num_holes_range = as_int_range(owner, "num_holes_range", num_holes_range, low=1)
        self.hole_height_range = as_hole_range(owner, "hole_height_range", hole_height_range)
        self.hole_width_range = as_hole_range(owner, "hole_width_range", hole_width_range)
        self._set_fills(fill, fill_mask, max_covered, ("random", "random_uniform", "mean"))

    @classmethod
    def example(cls) -> CoarseDropout:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        holes = []
        for _ in range(randint(rng, *self.num_holes_range)):
            h = hole_size(rng, self.hole_height_range, height)
            w = hole_size(rng, self.hole_width_range, width)
            top, left = randint(rng, 0, height - h), randint(rng, 0, width - w)
            holes.append([left, top, left + w, top + h])
        return {"holes": holes, "seed": draw_seed(rng)}


class Cutout(CoarseDropout):
    """:class:`CoarseDropout` with the defaults of Cutout (DeVries & Taylor, 2017): one square
    16 x 16 hole filled with 0 (the paper's CIFAR-10 setting; set both ranges for larger images).

    Unlike the paper's code, whose hole centre may lie anywhere and whose hole is clipped at the
    border, holes lie wholly inside the image (as in :class:`CoarseDropout`). Arguments as there.

    Example:
        >>> from augkit.image.dropout import Cutout
        >>> t = Cutout(hole_height_range=56, hole_width_range=56, p=1.0)
    """

    def __init__(
        self,
        num_holes_range: int | Sequence[int] = 1,
        hole_height_range: float | Sequence[float] = 16,
        hole_width_range: float | Sequence[float] = 16,
        fill: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = None,
        max_covered: float = 1.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(num_holes_range, hole_height_range, hole_width_range, fill, fill_mask, max_covered, p)


class RandomErasing(RectangleErasing):
    """Erase one rectangle of random area and aspect ratio (torchvision semantics, Zhong et al. 2017).

    Up to 10 attempts draw an area ``u * H * W`` with ``u`` uniform in ``scale`` and an aspect ratio
    ``h / w = exp(v)`` with ``v`` uniform in ``log(ratio)``; ``h = round(sqrt(area * ratio))``,
    ``w = round(sqrt(area / ratio))``. The first that fits (``h < H`` and ``w < W``) is placed uniformly;
    when none fits the image is left unchanged.

    Args:
        scale: range of the erased share of the image area.
        ratio: range of the aspect ratio ``h / w`` (drawn log-uniformly).
        value: a number or one per channel (image units), or ``"random"``: standard normal noise
            for float32 images, as torchvision (meant for normalized images; not clipped to [0, 1]),
            and uniform noise over the whole range for uint8/uint16 images.
        fill_mask, max_covered: as for :class:`CoarseDropout`. (torchvision's ``inplace`` has no
            counterpart: inputs are never modified.)

    Example:
        >>> from augkit.image.dropout import RandomErasing
        >>> t = RandomErasing(scale=(0.02, 0.2), value="random")
    """

    def __init__(
        self,
        scale: float | Sequence[float] = (0.02, 0.33),
        ratio: float | Sequence[float] = (0.3, 3.3),
        value: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = None,
        max_covered: float = 1.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.scale = as_range(owner, "scale", scale, low=0.0, high=1.0)
        self.ratio = as_range(owner, "ratio", ratio, low=1e-6)
        self.value = as_erase_fill(owner, "value", value, ("random",))
        self._set_targets(fill_mask, max_covered)

    @classmethod
    def example(cls) -> RandomErasing:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        log_low, log_high = math.log(self.ratio[0]), math.log(self.ratio[1])
        holes: list[list[int]] = []
        for _ in range(10):
            area = height * width * (self.scale[0] + (self.scale[1] - self.scale[0]) * rng.random())
            aspect = math.exp(log_low + (log_high - log_low) * rng.random())
            h = round(math.sqrt(area * aspect))
            w = round(math.sqrt(area / aspect))
            if h < height and w < width:
                top, left = randint(rng, 0, height - h), randint(rng, 0, width - w)
                holes = [[left, top, left + w, top + h]]
                break
        return {"holes": holes, "seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        value = self.value
        if value == "random" and image.dtype == np.float32:
            value = "random_normal"
        return self._fill(image, params, value, "value")


class GridDropout(ErasingTransform):
    """Erase a regular grid of rectangular holes (Albumentations 2.0.8 arguments).

    The image is tiled by units of ``unit_h x unit_w`` pixels; each unit has a hole of
    ``int(unit * ratio)`` pixels per side (kept within ``[1, unit - 1]``), all at the same offset
    ``shift`` in their unit (holes at ``shift + k * unit``, clipped at the image border).

    Args:
        ratio: hole side as a share of the unit side, in (0, 1].
        unit_size_range: square units with a side drawn uniformly from ``[min, max]`` pixels (at most
            the image side). Default: ``max(2, side // 10)`` per axis, i.e. a 10 x 10 grid.
        holes_number_xy: ``(nx, ny)`` units across and down (unit = ``max(2, side // n)``); overrides
            ``unit_size_range``.
        shift_xy: ``(x, y)`` offset of the holes in their unit (clipped to ``unit - hole``); used when
            ``random_offset`` is False.
        random_offset: draw the offset uniformly from ``[0, unit - hole]`` per axis, once per call
            (Albumentations 2.0.8 draws one per unit; a single offset keeps the grid regular, as its
            documentation describes).
        fill: a number, one per channel, ``"random"``, ``"random_uniform"`` (one colour per hole) or
            ``"mean"``. ``fill_mask``, ``max_covered``: as for :class:`CoarseDropout`.

    Example:
        >>> from augkit.image.dropout import GridDropout
        >>> t = GridDropout(ratio=0.4, unit_size_range=(20, 60), fill="mean")
    """

    def __init__(
        self,
        ratio: float = 0.5,
        unit_size_range: int | Sequence[int] | None = None,
        holes_number_xy: Sequence[int] | None = None,
        shift_xy: Sequence[int] = (0, 0),
        random_offset: bool = True,
        fill: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = None,
        max_covered: float = 1.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.ratio = as_float(owner, "ratio", ratio, low=0.0, high=1.0)
        if self.ratio == 0.0:
            raise ArgumentError(f"{owner}: argument 'ratio' expects a number in (0, 1]; got {ratio!r}")
        self.unit_size_range = None if unit_size_range is None else as_int_range(owner, "unit_size_range", unit_size_range, low=2)
        self.holes_number_xy = None if holes_number_xy is None else as_int_pair(owner, "holes_number_xy", holes_number_xy, 1)
        self.shift_xy = as_int_pair(owner, "shift_xy", shift_xy, 0)
        self.random_offset = as_bool(owner, "random_offset", random_offset)
        self._set_fills(fill, fill_mask, max_covered, ("random", "random_uniform", "mean"))

    @classmethod
    def example(cls) -> GridDropout:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        if self.holes_number_xy is not None:
            unit_w, unit_h = max(2, width // self.holes_number_xy[0]), max(2, height // self.holes_number_xy[1])
        elif self.unit_size_range is not None:
            size = randint(rng, *self.unit_size_range)
            unit_w, unit_h = max(2, min(size, width)), max(2, min(size, height))
        else:
            unit_w, unit_h = max(2, width // 10), max(2, height // 10)
        hole_w = min(unit_w - 1, max(1, int(unit_w * self.ratio)))
        hole_h = min(unit_h - 1, max(1, int(unit_h * self.ratio)))
        if self.random_offset:
            shift_x, shift_y = randint(rng, 0, unit_w - hole_w), randint(rng, 0, unit_h - hole_h)
        else:
            shift_x, shift_y = min(self.shift_xy[0], unit_w - hole_w), min(self.shift_xy[1], unit_h - hole_h)
        return {
            "unit": [unit_h, unit_w],
            "hole": [hole_h, hole_w],
            "shift": [shift_y, shift_x],
            "seed": draw_seed(rng),
        }

    def _axes(self, params: Params, height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
        return FD.grid_axes(height, width, tuple(params["unit"]), tuple(params["hole"]), tuple(params["shift"]))

    def _region(self, params: Params, height: int, width: int) -> np.ndarray:
        rows, cols = self._axes(params, height, width)
        return rows[:, None] & cols[None, :]

    def _erase(self, array: np.ndarray, params: Params, fill: Fill) -> np.ndarray:
        return FD.erase_grid(array, *self._axes(params, *array.shape[:2]), fill, params["seed"])


class GridMask(ErasingTransform):
    """GridMask (Chen et al., 2020): erase a grid of squares, optionally rotated.

    A unit of ``d`` pixels (drawn uniformly from ``d_range``) keeps a band of ``ceil(ratio * d)``
    pixels on two sides and erases the square of side ``d - ceil(ratio * d)`` (the paper's mode 1:
    about ``1 - (1 - ratio)**2`` of the image is kept). The grid starts at offsets drawn uniformly from
    ``[0, d - 1]`` per axis and is rotated by an angle drawn from ``rotate`` (degrees) about the image
    centre. Without rotation this is :class:`GridDropout` with a square unit and a random offset.

    Args:
        d_range: range of the unit side ``d`` in pixels (the paper's ImageNet setting is 96..224).
        ratio: kept share ``r`` of each unit side, in [0, 1] (the paper uses 0.6 on ImageNet).
        rotate: range of the rotation angle in degrees (``0``: an axis-aligned grid, as in the paper's
            ImageNet runs; ``(0, 360)``: any angle).
        fill: a number, one per channel, ``"random"`` or ``"mean"`` (the paper multiplies by 0).
        fill_mask, max_covered: as for :class:`CoarseDropout`.

    Example:
        >>> from augkit.image.dropout import GridMask
        >>> t = GridMask(d_range=(32, 96), ratio=0.6, rotate=(0, 45))
    """

    def __init__(
        self,
        d_range: int | Sequence[int] = (96, 224),
        ratio: float = 0.6,
        rotate: float | Sequence[float] = 0,
        fill: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = None,
        max_covered: float = 1.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.d_range = as_int_range(owner, "d_range", d_range, low=2)
        self.ratio = as_float(owner, "ratio", ratio, low=0.0, high=1.0)
        self.rotate = as_range(owner, "rotate", rotate)
        self._set_fills(fill, fill_mask, max_covered, ("random", "mean"))

    @classmethod
    def example(cls) -> GridMask:
        return cls(d_range=(8, 24), rotate=(0, 45), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        d = randint(rng, *self.d_range)
        hole = d - math.ceil(d * self.ratio - TOLERANCE)
        offset = [randint(rng, 0, d - 1), randint(rng, 0, d - 1)]
        angle = uniform(rng, self.rotate)
        return {"d": d, "hole": hole, "offset": offset, "angle": angle, "seed": draw_seed(rng)}

    def _region(self, params: Params, height: int, width: int) -> np.ndarray:
        return FD.gridmask_region(height, width, params["d"], params["hole"], tuple(params["offset"]), params["angle"])

    def _erase(self, array: np.ndarray, params: Params, fill: Fill) -> np.ndarray:
        if params["angle"] % 360.0 == 0.0:
            d, hole, offset = params["d"], params["hole"], tuple(params["offset"])
            rows, cols = FD.grid_axes(array.shape[0], array.shape[1], (d, d), (hole, hole), offset)
            return FD.erase_grid(array, rows, cols, fill, params["seed"])
        return super()._erase(array, params, fill)


class PixelDropout(PixelTransform):
    """Set random pixels to ``drop_value``, each with probability ``dropout_prob`` (Albumentations).

    Args:
        dropout_prob: probability of dropping each pixel (each pixel and channel with ``per_channel``).
        per_channel: drop channels independently.
        drop_value: a number or one per channel (image units); ``None`` draws a uniform random value
            over the dtype's range for every dropped value.
        mask_drop_value: the value for masks where any channel was dropped; ``None`` leaves masks
            unchanged. Boxes and keypoints are never affected.

    Example:
        >>> from augkit.image.dropout import PixelDropout
        >>> t = PixelDropout(dropout_prob=0.05, per_channel=True, drop_value=None)
    """

    has_random_params = True
    edits_targets = True

    def __init__(
        self,
        dropout_prob: float = 0.01,
        per_channel: bool = False,
        drop_value: float | Sequence[float] | None = 0,
        mask_drop_value: float | Sequence[float] | None = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.dropout_prob = as_float(owner, "dropout_prob", dropout_prob, low=0.0, high=1.0)
        self.per_channel = as_bool(owner, "per_channel", per_channel)
        self.drop_value = as_mask_fill(owner, "drop_value", drop_value)
        self.mask_drop_value = as_mask_fill(owner, "mask_drop_value", mask_drop_value)

    @classmethod
    def example(cls) -> PixelDropout:
        return cls(dropout_prob=0.05, p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"seed": draw_seed(rng), "channels": channels_of(state)}

    def _wrap(self, name: str, value: object, error: ValueError) -> TargetError:
        return TargetError(f"{type(self).__name__}: cannot apply argument {name!r}={value!r} here: {error}")

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        try:
            return FD.pixel_dropout(image, self.dropout_prob, self.per_channel, self.drop_value, params["seed"])
        except ValueError as error:
            raise self._wrap("drop_value", self.drop_value, error) from None

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        if self.mask_drop_value is None:
            return mask.copy()
        height, width = mask.shape[:2]
        region = FD.pixel_dropout_region(height, width, params["channels"], self.dropout_prob, self.per_channel, params["seed"])
        try:
            return FD.erase_region(mask, region, self.mask_drop_value)
        except ValueError as error:
            raise self._wrap("mask_drop_value", self.mask_drop_value, error) from None

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return boxes.copy()


class MaskDropout(ErasingTransform):
    """Erase whole objects of the mask from the image and the masks (Albumentations semantics).

    Objects are the non-empty instance masks of ``masks`` when the call has them, otherwise the
    8-connected regions of one non-zero value of the label mask ``mask`` (H x W or H x W x 1). The
    number of objects to erase is drawn from ``max_objects`` (at most the number present); which
    ones, uniformly. A call without ``mask`` or ``masks`` raises :class:`augkit.TargetError`.

    Args:
        max_objects: range of the number of objects erased (a single value is exact).
        fill: a number, one per channel, ``"random"`` or ``"mean"`` for the image.
        fill_mask: the value for masks (default 0: erased objects leave the masks); ``None`` keeps them.
        max_covered: as for :class:`CoarseDropout` (the boxes of erased objects are dropped).

    Example:
        >>> from augkit.image.dropout import MaskDropout
        >>> t = MaskDropout(max_objects=(1, 3), fill="mean")
    """

    #: Targets a call must carry (one of them): the objects come from the masks.
    required_targets = frozenset({"mask"})

    def __init__(
        self,
        max_objects: int | Sequence[int] = (1, 1),
        fill: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = 0,
        max_covered: float = 1.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.max_objects = as_int_range(owner, "max_objects", max_objects, low=0)
        self._set_fills(fill, fill_mask, max_covered, ("random", "mean"))

    @classmethod
    def example(cls) -> MaskDropout:
        return cls(max_objects=(1, 2), fill_mask=None, p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        owner = type(self).__name__
        count = randint(rng, *self.max_objects)
        if state.masks:
            present = [m for m in state.masks if m.any()]
            region = np.zeros((state.height, state.width), dtype=bool)
            for index in rng.choice(len(present), min(count, len(present)), replace=False).tolist() if present else ():
                marked = present[index] != 0
                region |= marked if marked.ndim == 2 else marked.any(axis=2)
        elif state.mask is not None:
            mask = state.mask
            if mask.ndim == 3:
                if mask.shape[2] != 1:
                    raise TargetError(
                        f"{owner}: target 'mask' expects a single-channel label mask (H x W); got shape {mask.shape} "
                        "(pass instance masks in 'masks' instead)"
                    )
                mask = mask[:, :, 0]
            labels, found = FD.label_objects(mask)
            region = np.zeros((state.height, state.width), dtype=bool)
            for label in rng.choice(found, min(count, found), replace=False) + 1 if found else ():
                region |= labels == label
        else:
            raise TargetError(
                f"{owner}: target 'mask' is required (a label mask, or instance masks in 'masks'): "
                "the objects to erase come from it; got a call without masks"
            )
        return {"rle": FD.rle_encode(region), "seed": draw_seed(rng)}

    def _region(self, params: Params, height: int, width: int) -> np.ndarray:
        return FD.rle_decode(params["rle"], height, width)
