"""Non-rigid distortions: ``ElasticTransform``, ``GridDistortion``, ``OpticalDistortion``,
``PiecewiseAffine`` and ``ThinPlateSpline``.

Each call draws a few numbers (and, for random fields, a seed from which the field is rebuilt, so
the params stay small and replay is exact) and turns them into one backward displacement field.
Images and masks are resampled through it with ``cv2.remap``; boxes and keypoints move by its
inverse, the forward map (see :mod:`augkit.image.functional.distortions`).

>>> import numpy as np, augkit as ak
>>> t = ak.image.ElasticTransform(alpha=30, sigma=5, p=1.0)
>>> out = t(image=np.zeros((48, 64, 3), np.uint8), keypoints=[[10, 12]], rng=0)
>>> out["image"].shape, out["keypoints"].shape
((48, 64, 3), (1, 2))
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError
from augkit.core.rng import draw_seed, uniform
from augkit.core.targets import State
from augkit.core.transform import SpatialTransform
from augkit.core.validate import as_float, as_int, as_int_range, as_range
from augkit.image._arguments import Resampling
from augkit.image.functional import distortions as D

__all__ = ["ElasticTransform", "GridDistortion", "OpticalDistortion", "PiecewiseAffine", "ThinPlateSpline"]

Params = dict[str, Any]
Fields = tuple[np.ndarray, np.ndarray]


class _Memo:
    """A tiny thread-safe memo of the last few fields: a pure function's results, never state that
    changes an output (the same params always give the same field)."""

    def __init__(self, size: int = 4) -> None:
        self._items: OrderedDict[tuple[Any, ...], Fields] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], build: Callable[[], Fields]) -> Fields:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        for array in value:
            array.setflags(write=False)
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


_FIELD_MEMO = _Memo()


def _offsets(seed: int, scale: float, rows: int, cols: int, height: int, width: int) -> np.ndarray:
    """Normal control-point offsets in pixels: ``scale`` is the standard deviation as a fraction of
    the image width (x) and height (y)."""
    unit = np.random.default_rng(seed).normal(0.0, 1.0, (rows, cols, 2))
    return unit * (scale * np.array([width, height], dtype=np.float64))


class _Distortion(Resampling, SpatialTransform):
    """Shared by the distortions: remap arguments and the kernels, given ``_fields``."""

    _abstract = True
    has_random_params = True

    def _set_remap_arguments(
        self,
        interpolation: str,
        mask_interpolation: str,
        border_mode: str,
        fill: float | Sequence[float],
        fill_mask: float | Sequence[float],
    ) -> None:
        self._store_resampling(interpolation, mask_interpolation, border_mode, fill, fill_mask, D.REMAP_INTERPOLATIONS)

    def _build_fields(self, params: Params, height: int, width: int) -> Fields:
        """The backward displacement field ``(dx, dy)`` of this call, rebuilt from ``params``."""
        raise NotImplementedError

    def _fields(self, params: Params, height: int, width: int) -> Fields:
        """The field, built once per call: the image, mask, box and keypoint kernels of one call
        share it through a small memo of this pure function (read-only arrays)."""
        return _FIELD_MEMO.get((self._memo_key(), json.dumps(params, sort_keys=True), height, width, "fields"),
                               lambda: self._build_fields(params, height, width))  # fmt: skip

    def _memo_key(self) -> str:
        return type(self).__name__ + json.dumps(self.to_dict(), sort_keys=True)

    def _box_spacing(self) -> float:
        """Pixels between the perimeter points that are mapped to move a box."""
        return 4.0

    def _remap(self, array: np.ndarray, maps: Fields, interpolation: str, fill: Any, name: str) -> np.ndarray:
        try:
            return D.remap(array, maps[0], maps[1], interpolation, self.border_mode, fill)
        except ValueError as error:  # a per-channel fill of the wrong length
            raise TargetError(f"{type(self).__name__}: argument {name!r} does not fit the array: {error}") from None

    def _maps(self, params: Params, height: int, width: int) -> Fields:
        return _FIELD_MEMO.get((self._memo_key(), json.dumps(params, sort_keys=True), height, width, "maps"),
                               lambda: D.displacement_maps(*self._fields(params, height, width)))  # fmt: skip

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        maps = self._maps(params, *image.shape[:2])
        return self._remap(image, maps, self.interpolation, self.fill, "fill")

    def apply_images(self, images: np.ndarray, params: Params, /) -> np.ndarray:
        maps = self._maps(params, *images.shape[1:3])
        return np.stack([self._remap(frame, maps, self.interpolation, self.fill, "fill") for frame in images])

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        maps = self._maps(params, *mask.shape[:2])
        return self._remap(mask, maps, self.mask_interpolation, self.fill_mask, "fill_mask")

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        dx, dy = self._fields(params, height, width)
        return D.distort_boxes(boxes, dx, dy, self._box_spacing())

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        dx, dy = self._fields(params, height, width)
        return D.distort_keypoints(points, dx, dy)


class ElasticTransform(_Distortion):
    """Elastic deformation (Simard et al., 2003): a random displacement field smoothed by a Gaussian.

    Args:
        alpha: strength; the displacement has a standard deviation of about
            ``0.28 * alpha / sigma`` pixels (unit-variance noise smoothed at ``sigma``, times ``alpha``,
            as in Simard et al. and Albumentations).
        sigma: smoothness, the Gaussian's standard deviation in pixels. The field is built at a
            step of ``sigma / 2`` pixels and upsampled (the same random field, much faster; see
            :func:`augkit.image.functional.distortions.elastic_displacement`).
        interpolation, mask_interpolation: nearest, linear, cubic or lanczos (masks: nearest).
        border_mode, fill, fill_mask: how pixels pulled from outside the image are filled.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.ElasticTransform(alpha=120, sigma=6, p=0.5)
    """

    def __init__(
        self,
        alpha: float = 1.0,
        sigma: float = 50.0,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.alpha = as_float(owner, "alpha", alpha, low=0.0)
        self.sigma = as_float(owner, "sigma", sigma, low=0.0)
        if self.sigma == 0.0:
            raise ArgumentError(f"{owner}: argument 'sigma' expects a finite number > 0; got {sigma!r}")
        self._set_remap_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> ElasticTransform:
        return cls(alpha=60.0, sigma=10.0, p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"field_seed": draw_seed(rng)}

    def _build_fields(self, params: Params, height: int, width: int) -> Fields:
        return D.elastic_displacement(height, width, self.alpha, self.sigma, params["field_seed"])

    def _box_spacing(self) -> float:
        return min(max(self.sigma / 2.0, 1.0), 4.0)


class GridDistortion(_Distortion):
    """Cut the image into ``num_steps x num_steps`` cells and stretch or shrink each column and row.

    Args:
        num_steps: cells per side.
        distort_limit: range of each column's (and row's) relative size change: a cell shows
            ``1 + d`` times its share of the input, ``d`` drawn from this range per column and per
            row, normalized so the cells still tile the whole image. Values in (-1, 1]; a single
            number is exact (``distort_limit=0.3`` everywhere is then the identity).
        interpolation, mask_interpolation, border_mode, fill, fill_mask: as for ``ElasticTransform``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.GridDistortion(num_steps=5, distort_limit=(-0.3, 0.3))
    """

    def __init__(
        self,
        num_steps: int = 5,
        distort_limit: float | Sequence[float] = (-0.3, 0.3),
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.num_steps = as_int(owner, "num_steps", num_steps, low=1)
        limit = as_range(owner, "distort_limit", distort_limit, low=-1.0, high=1.0)
        if limit[0] <= -1.0:
            raise ArgumentError(
                f"{owner}: argument 'distort_limit' expects a number or a (min, max) pair in (-1, 1]; got {distort_limit!r}"
            )
        self.distort_limit = limit
        self._set_remap_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> GridDistortion:
        return cls(num_steps=3, distort_limit=(-0.3, 0.3), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        count = self.num_steps
        return {
            "steps_x": [1.0 + uniform(rng, self.distort_limit) for _ in range(count)],
            "steps_y": [1.0 + uniform(rng, self.distort_limit) for _ in range(count)],
        }

    def _build_fields(self, params: Params, height: int, width: int) -> Fields:
        return D.grid_displacement(height, width, params["steps_x"], params["steps_y"])


class OpticalDistortion(_Distortion):
    """Radial lens distortion about the image centre (one coefficient ``k1``).

    The output pixel at radius ``r`` from the centre shows the input at ``r * (1 + k1 * r**2)``, with
    ``r`` measured in half-diagonals (1 at the corners): ``k1 > 0`` gives barrel distortion (content
    pulled in, corners filled), ``k1 < 0`` pincushion (content pushed out).

    Args:
        distort_limit: range of ``k1``, within [-0.3, 1] (below -1/3 the lens would fold the corners).
        interpolation, mask_interpolation, border_mode, fill, fill_mask: as for ``ElasticTransform``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.OpticalDistortion(distort_limit=(-0.1, 0.1))
    """

    def __init__(
        self,
        distort_limit: float | Sequence[float] = (-0.05, 0.05),
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.distort_limit = as_range(owner, "distort_limit", distort_limit, low=-0.3, high=1.0)
        self._set_remap_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> OpticalDistortion:
        return cls(distort_limit=(-0.25, 0.25), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"k": uniform(rng, self.distort_limit)}

    def _build_fields(self, params: Params, height: int, width: int) -> Fields:
        return D.optical_displacement(height, width, params["k"])


class PiecewiseAffine(_Distortion):
    """Jitter a regular grid of control points and warp affinely inside each triangle of the grid.

    Args:
        scale: range of the jitter's standard deviation, as a fraction of the image width (x) and
            height (y); each call draws one value, then a normal offset per control point.
        nb_rows, nb_cols: control points per column and per row (>= 2; a (min, max) pair draws a
            count per call); the grid spans the whole image, borders included.
        interpolation, mask_interpolation, border_mode, fill, fill_mask: as for ``ElasticTransform``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.PiecewiseAffine(scale=(0.03, 0.05), nb_rows=4, nb_cols=4)
    """

    def __init__(
        self,
        scale: float | Sequence[float] = (0.03, 0.05),
        nb_rows: int | Sequence[int] = 4,
        nb_cols: int | Sequence[int] = 4,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.scale = as_range(owner, "scale", scale, low=0.0, high=1.0)
        self.nb_rows = as_int_range(owner, "nb_rows", nb_rows, low=2)
        self.nb_cols = as_int_range(owner, "nb_cols", nb_cols, low=2)
        self._set_remap_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> PiecewiseAffine:
        return cls(scale=(0.03, 0.05), nb_rows=4, nb_cols=4, p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        rows = int(rng.integers(self.nb_rows[0], self.nb_rows[1] + 1))
        cols = int(rng.integers(self.nb_cols[0], self.nb_cols[1] + 1))
        return {"nb_rows": rows, "nb_cols": cols, "scale": uniform(rng, self.scale), "field_seed": draw_seed(rng)}

    def _build_fields(self, params: Params, height: int, width: int) -> Fields:
        offsets = _offsets(params["field_seed"], params["scale"], params["nb_rows"], params["nb_cols"], height, width)
        return D.piecewise_affine_displacement(height, width, offsets)


class ThinPlateSpline(_Distortion):
    """Smooth warp by a thin-plate spline through jittered control points (Bookstein, 1989).

    Args:
        scale_range: range of the jitter: control points move by a normal offset whose standard
            deviation is ``scale / 10`` of the image width (x) and height (y), as in Albumentations
            (0.2-0.4 is a moderate warp).
        num_control_points: control points per side, on a regular grid spanning the image (>= 2).
        interpolation, mask_interpolation, border_mode, fill, fill_mask: as for ``ElasticTransform``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.ThinPlateSpline(scale_range=(0.2, 0.4), num_control_points=4)
    """

    def __init__(
        self,
        scale_range: float | Sequence[float] = (0.2, 0.4),
        num_control_points: int = 4,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        border_mode: str = "constant",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.scale_range = as_range(owner, "scale_range", scale_range, low=0.0, high=1.0)
        self.num_control_points = as_int(owner, "num_control_points", num_control_points, low=2)
        self._set_remap_arguments(interpolation, mask_interpolation, border_mode, fill, fill_mask)

    @classmethod
    def example(cls) -> ThinPlateSpline:
        return cls(scale_range=(0.2, 0.4), num_control_points=4, p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"scale": uniform(rng, self.scale_range), "field_seed": draw_seed(rng)}

    def _build_fields(self, params: Params, height: int, width: int) -> Fields:
        count = self.num_control_points
        offsets = _offsets(params["field_seed"], params["scale"] / 10.0, count, count, height, width)
        return D.thin_plate_spline_displacement(height, width, offsets)
