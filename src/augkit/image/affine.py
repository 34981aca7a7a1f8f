"""The affine family: ``Affine``, ``Rotate``, ``ShiftScaleRotate``, ``SafeRotate`` and ``Perspective``.

Each call draws its parameters, builds one source->destination matrix (recorded in the params, so
replay needs nothing else) and warps every target with it: images and masks by OpenCV, boxes as the
tight box of their transformed corners (or of their inscribed ellipse, ``rotate_method="ellipse"``),
keypoints with their angle and scale.

>>> import numpy as np, augkit as ak
>>> out = ak.image.Rotate(angle=90, p=1.0)(image=np.zeros((4, 6), np.uint8), bboxes=[[0, 0, 2, 1]], labels=[1])
>>> out["image"].shape
(4, 6)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from augkit.core.errors import ArgumentError, TargetError
from augkit.core.rng import uniform
from augkit.core.targets import State
from augkit.core.transform import SpatialTransform
from augkit.core.validate import as_bool, as_choice, as_range
from augkit.image._arguments import Resampling
from augkit.image.functional import affine as A

__all__ = ["Affine", "Perspective", "Rotate", "SafeRotate", "ShiftScaleRotate"]

Params = dict[str, Any]
ROTATE_METHODS = ("largest_box", "ellipse")


class _Warp(Resampling, SpatialTransform):
    """Shared by the warps: interpolation, border and fill arguments, and the kernels."""

    _abstract = True
    has_random_params = True
    #: True for 3x3 homographies, False for 2x3 affine matrices.
    _perspective = False

    def _set_warp_arguments(
        self,
        interpolation: str,
        mask_interpolation: str,
        border_mode: str,
        fill: float | Sequence[float],
        fill_mask: float | Sequence[float],
        rotate_method: str = "largest_box",
    ) -> None:
        self._store_resampling(interpolation, mask_interpolation, border_mode, fill, fill_mask)
        self.rotate_method = as_choice(type(self).__name__, "rotate_method", rotate_method, ROTATE_METHODS)

    def _matrix(self, rng: np.random.Generator, height: int, width: int) -> tuple[np.ndarray, int, int, Params]:
        """The matrix, the output size and the drawn values worth recording."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        matrix, height, width, drawn = self._matrix(rng, state.height, state.width)
        return {**drawn, "matrix": matrix.tolist(), "height": height, "width": width}

    def _warp_array(self, array: np.ndarray, params: Params, interpolation: str, fill: Any) -> np.ndarray:
        warp = A.warp_perspective if self._perspective else A.warp_affine
        try:
            return warp(
                array, np.asarray(params["matrix"]), params["height"], params["width"], interpolation, self.border_mode, fill
            )
        except ValueError as error:  # a per-channel fill of the wrong length
            raise TargetError(f"{type(self).__name__}: argument 'fill' does not fit the image: {error}") from None

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        return self._warp_array(image, params, self.interpolation, self.fill)

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        return self._warp_array(mask, params, self.mask_interpolation, self.fill_mask)

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        matrix = np.asarray(params["matrix"], dtype=np.float64)
        out_height, out_width = params["height"], params["width"]
        if self._perspective:
            return A.perspective_boxes(boxes, matrix, out_height, out_width)
        if self.rotate_method == "ellipse":
            return A.ellipse_boxes(boxes, matrix)
        return A.affine_boxes(boxes, matrix, out_height, out_width)

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        matrix = np.asarray(params["matrix"], dtype=np.float64)
        return A.perspective_keypoints(points, matrix) if self._perspective else A.affine_keypoints(points, matrix)


class Affine(_Warp):
    """Scale, translate, rotate and shear about the image centre, in one warp.

    Args:
        scale: range of the scale factor (a single value is exact); ``keep_ratio=True`` draws one
            factor for both axes, otherwise x and y are drawn independently.
        translate_percent: range of the shift as a fraction of the width (x) and height (y).
        translate_px: range of the shift in pixels (use one of the two translate arguments).
        rotate: range of the angle in degrees (counter-clockwise).
        shear: range of the shear angle along x, in degrees; ``shear_y`` along y.
        fit_output: enlarge the canvas so that no image content is cut off.
        rotate_method: boxes as the tight box of the rotated corners ("largest_box") or of the
            inscribed ellipse ("ellipse", tighter for round objects).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Affine(scale=(0.9, 1.1), rotate=(-15, 15), translate_percent=(-0.1, 0.1))
    """

    def __init__(
        self,
        scale: float | Sequence[float] = 1.0,
        translate_percent: float | Sequence[float] | None = None,
        translate_px: float | Sequence[float] | None = None,
        rotate: float | Sequence[float] = 0.0,
        shear: float | Sequence[float] = 0.0,
        shear_y: float | Sequence[float] = 0.0,
        keep_ratio: bool = True,
        fit_output: bool = False,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        rotate_method: str = "largest_box",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.scale = as_range(owner, "scale", scale, low=1e-3)
        if translate_percent is not None and translate_px is not None:
            raise ArgumentError(
                f"{owner}: arguments 'translate_percent' and 'translate_px' expect at most one to be set; got both"
            )
        self.translate_percent = None if translate_percent is None else as_range(owner, "translate_percent", translate_percent)
        self.translate_px = None if translate_px is None else as_range(owner, "translate_px", translate_px)
        self.rotate = as_range(owner, "rotate", rotate)
        self.shear = as_range(owner, "shear", shear, low=-89.0, high=89.0)
        self.shear_y = as_range(owner, "shear_y", shear_y, low=-89.0, high=89.0)
        self.keep_ratio = as_bool(owner, "keep_ratio", keep_ratio)
        self.fit_output = as_bool(owner, "fit_output", fit_output)
        self._set_warp_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask, rotate_method)

    @classmethod
    def example(cls) -> Affine:
        return cls(scale=(0.8, 1.2), translate_percent=(-0.1, 0.1), rotate=(-30, 30), shear=(-10, 10), p=1.0)

    def _matrix(self, rng: np.random.Generator, height: int, width: int) -> tuple[np.ndarray, int, int, Params]:
        scale_x = uniform(rng, self.scale)
        scale_y = scale_x if self.keep_ratio else uniform(rng, self.scale)
        if self.translate_percent is not None:
            shift = (uniform(rng, self.translate_percent) * width, uniform(rng, self.translate_percent) * height)
        elif self.translate_px is not None:
            shift = (uniform(rng, self.translate_px), uniform(rng, self.translate_px))
        else:
            shift = (0.0, 0.0)
        angle = uniform(rng, self.rotate)
        shear = (uniform(rng, self.shear), uniform(rng, self.shear_y))
        matrix = A.affine_matrix(height, width, angle, (scale_x, scale_y), shift, shear)
        drawn = {"angle": angle, "scale": [scale_x, scale_y], "translate": list(shift), "shear": list(shear)}
        if not self.fit_output:
            return matrix, height, width, drawn
        matrix, out_height, out_width = _fit(matrix, height, width)
        return matrix, out_height, out_width, drawn


def _fit(matrix: np.ndarray, height: int, width: int) -> tuple[np.ndarray, int, int]:
    """Shift the matrix so the warped image starts at (0, 0), and the canvas that holds it all."""
    corners = np.array([[-0.5, -0.5], [width - 0.5, -0.5], [width - 0.5, height - 0.5], [-0.5, height - 0.5]])
    moved = corners @ matrix[:, :2].T + matrix[:, 2]
    low, high = moved.min(axis=0), moved.max(axis=0)
    fitted = matrix.copy()
    fitted[:, 2] -= low + 0.5
    size = np.ceil(high - low - 1e-9).astype(int)
    return fitted, max(int(size[1]), 1), max(int(size[0]), 1)


class Rotate(_Warp):
    """Rotate by a random angle about the image centre; the output keeps the input size.

    Args:
        angle: range of the angle in degrees, counter-clockwise (``Rotate(angle=30)`` is exactly 30).
        rotate_method: boxes as the tight box of the rotated corners ("largest_box") or of the
            inscribed ellipse ("ellipse": tighter for objects that fill their box like an ellipse).
        border_mode, fill, fill_mask: what the corners uncovered by the rotation show.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Rotate(angle=(-30, 30), rotate_method="ellipse", p=0.5)
    """

    def __init__(
        self,
        angle: float | Sequence[float] = (-90.0, 90.0),
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        rotate_method: str = "largest_box",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        self.angle = as_range(type(self).__name__, "angle", angle)
        self._set_warp_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask, rotate_method)

    @classmethod
    def example(cls) -> Rotate:
        return cls(angle=(-45, 45), p=1.0)

    def _scale(self, angle: float, height: int, width: int) -> float:
        return 1.0

    def _matrix(self, rng: np.random.Generator, height: int, width: int) -> tuple[np.ndarray, int, int, Params]:
        angle = uniform(rng, self.angle)
        scale = self._scale(angle, height, width)
        return A.rotation_matrix(angle, height, width, scale), height, width, {"angle": angle, "scale": scale}


class SafeRotate(Rotate):
    """Rotate and shrink just enough that no image content leaves the frame (same output size).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.SafeRotate(angle=(-30, 30), p=1.0)
    """

    def _scale(self, angle: float, height: int, width: int) -> float:
        theta = math.radians(angle)
        cos, sin = abs(math.cos(theta)), abs(math.sin(theta))
        needed_width = width * cos + height * sin
        needed_height = width * sin + height * cos
        return min(1.0, width / needed_width, height / needed_height)


class ShiftScaleRotate(_Warp):
    """Shift, scale and rotate (the classic Albumentations recipe), as one affine warp.

    Args:
        shift_limit: range of the shift as a fraction of the size (x and y drawn separately).
        scale_limit: range of ``s`` with scale factor ``1 + s``.
        rotate_limit: range of the angle in degrees.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.ShiftScaleRotate(shift_limit=0.0625, scale_limit=0.1, rotate_limit=45)
    """

    def __init__(
        self,
        shift_limit: float | Sequence[float] = (-0.0625, 0.0625),
        scale_limit: float | Sequence[float] = (-0.1, 0.1),
        rotate_limit: float | Sequence[float] = (-45.0, 45.0),
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        rotate_method: str = "largest_box",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.shift_limit = as_range(owner, "shift_limit", shift_limit)
        self.scale_limit = as_range(owner, "scale_limit", scale_limit, low=-0.999)
        self.rotate_limit = as_range(owner, "rotate_limit", rotate_limit)
        self._set_warp_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask, rotate_method)

    @classmethod
    def example(cls) -> ShiftScaleRotate:
        return cls(p=1.0)

    def _matrix(self, rng: np.random.Generator, height: int, width: int) -> tuple[np.ndarray, int, int, Params]:
        angle = uniform(rng, self.rotate_limit)
        scale = 1.0 + uniform(rng, self.scale_limit)
        shift = (uniform(rng, self.shift_limit) * width, uniform(rng, self.shift_limit) * height)
        matrix = A.affine_matrix(height, width, angle, (scale, scale), shift)
        return matrix, height, width, {"angle": angle, "scale": scale, "translate": list(shift)}


class Perspective(_Warp):
    """A random perspective warp (torchvision's RandomPerspective): each image corner moves inward
    by up to ``distortion_scale`` times half the image size, and the image is warped to match.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Perspective(distortion_scale=0.3, p=0.5)
    """

    _perspective = True

    def __init__(
        self,
        distortion_scale: float = 0.5,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.distortion_scale = as_range(owner, "distortion_scale", distortion_scale, low=0.0, high=1.0)[0]
        self._set_warp_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> Perspective:
        return cls(distortion_scale=0.4, p=1.0)

    def _matrix(self, rng: np.random.Generator, height: int, width: int) -> tuple[np.ndarray, int, int, Params]:
        reach_x = self.distortion_scale * (width - 1) / 2.0
        reach_y = self.distortion_scale * (height - 1) / 2.0
        jitter = rng.random((4, 2)) * [reach_x, reach_y]
        start = np.array([[0.0, 0.0], [width - 1.0, 0.0], [width - 1.0, height - 1.0], [0.0, height - 1.0]])
        inward = np.array([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
        end = start + inward * np.round(jitter)
        matrix = _homography(start, end)
        return matrix, height, width, {"corners": end.tolist()}


def _homography(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 3x3 matrix mapping four source points onto four target points."""
    return cv2.getPerspectiveTransform(source.astype(np.float32), target.astype(np.float32)).astype(np.float64)
