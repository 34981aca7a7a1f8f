"""The operation vocabulary of the automatic policies, and their magnitude spaces.

Every op is a function of an image and one signed magnitude (``apply_op``). The pixel ops follow
torchvision's tensor kernels on uint8 (same luma weights, same truncation; within one level of
``torchvision.transforms.v2.functional``); the geometric ops warp as torchvision does: Rotate about
the image centre (counter-clockwise, degrees), ShearX/ShearY about the top-left corner (the
magnitude is the shear factor, torchvision's ``center=[0, 0]``), TranslateX/TranslateY by whole
pixels. With ``interpolation="nearest"`` the sampling grid is built with torchvision's float32
arithmetic, so warps are bit-identical to it; ``"linear"`` uses OpenCV (within one level).

Magnitudes: Rotate in degrees, Shear as the factor, Translate in pixels (truncated toward zero),
Brightness/Color/Contrast/Sharpness as ``factor - 1``, Posterize as bits kept, Solarize as the
threshold in fractions of full intensity, SolarizeAdd as 8-bit levels added below 128.

>>> import numpy as np
>>> apply_op(np.array([[10, 200]], np.uint8), "Brightness", 0.5).tolist()
[[15, 255]]
>>> apply_op(np.array([[10, 200]], np.uint8), "Solarize", 0.5).tolist()
[[10, 55]]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from augkit.image.functional import affine as A
from augkit.image.functional._cv import fill_for_channels
from augkit.image.functional.histogram import autocontrast, equalize
from augkit.image.functional.tone import invert, posterize, solarize

__all__ = [
    "GEOMETRIC_OPS", "INTERPOLATIONS", "OPS", "SPACES", "Range", "apply_op", "op_matrix", "warp_array", "warp_boxes",
    "warp_keypoints",
]  # fmt: skip

#: Every op a policy can use (the published policies use subsets; the last four are opt-in extras).
OPS = (
    "Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast",
    "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize", "Invert", "SolarizeAdd", "HorizontalFlip",
    "VerticalFlip",
)  # fmt: skip
#: The ops that move pixels (masks, boxes and keypoints move with them).
GEOMETRIC_OPS = frozenset({"ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "HorizontalFlip", "VerticalFlip"})
INTERPOLATIONS = ("nearest", "linear", "cubic")
_CV_FLAGS = {"nearest": cv2.INTER_NEAREST, "linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC}
_LEVELS = np.arange(256, dtype=np.float32)
_LUMA = np.array([[0.2989, 0.587, 0.114]], dtype=np.float32)  # torchvision's grey weights


# ------------------------------------------------------------------------------------- pixel ops
def _to_uint8(values: np.ndarray) -> np.ndarray:
    """Clamp to [0, 255] and truncate, as torchvision casts float results back to uint8."""
    np.clip(values, 0.0, 255.0, out=values)
    return values.astype(np.uint8)


def _lut(image: np.ndarray, table: np.ndarray) -> np.ndarray:
    return cv2.LUT(image, table).reshape(image.shape)


def _grey(image: np.ndarray) -> np.ndarray:
    """torchvision's luma ``0.2989 R + 0.587 G + 0.114 B`` in float32, floored for uint8 (H x W)."""
    if image.ndim == 2 or image.shape[2] == 1:
        return image.reshape(image.shape[:2]).astype(np.float32)
    grey = cv2.transform(image.astype(np.float32), _LUMA).reshape(image.shape[:2])
    return np.floor(grey, out=grey) if image.dtype == np.uint8 else grey


def _fused_add(product: np.ndarray, other: np.ndarray | float, alpha: float) -> np.ndarray:
    """``product + alpha * other`` rounded once to float32, as torch's ``add_(other, alpha=...)`` (a fused
    multiply-add; the product of two float32 values is exact in float64)."""
    out = product.astype(np.float64)
    out += np.asarray(other, dtype=np.float64) * np.float64(np.float32(alpha))
    return out.astype(np.float32)


def _blend(image: np.ndarray, factor: float, other: float) -> np.ndarray:
    """``factor * image + (1 - factor) * other`` clamped (truncated for uint8), torchvision's blend."""
    if image.dtype == np.uint8:  # one table for the 256 levels
        return _lut(image, _to_uint8(_fused_add(_LEVELS * np.float32(factor), np.float32(other), 1.0 - factor)))
    out = image * np.float32(factor)
    out += np.float32(other * (1.0 - factor))
    return np.clip(out, 0.0, 1.0, out=out)


def _contrast(image: np.ndarray, factor: float) -> np.ndarray:
    return _blend(image, factor, float(_grey(image).mean(dtype=np.float64)))


def _saturation(image: np.ndarray, factor: float) -> np.ndarray:
    """Blend an RGB image with its grey (torchvision's ``adjust_saturation``; float32 arithmetic not
    fused as torch's, so a few uint8 pixels may differ by one level)."""
    if image.ndim == 2 or image.shape[2] == 1:
        return image.copy()  # grey has no saturation (torchvision returns it unchanged)
    grey = _grey(image)
    grey *= np.float32(1.0 - factor)
    if image.dtype != np.uint8:
        out = image * np.float32(factor)
        out += grey[:, :, None]
        return np.clip(out, 0.0, 1.0, out=out)
    out = cv2.LUT(image, _LEVELS * np.float32(factor))
    cv2.add(out, cv2.merge([grey, grey, grey]), dst=out)
    return _to_uint8(out)


def _sharpness(image: np.ndarray, factor: float) -> np.ndarray:
    """torchvision's ``adjust_sharpness``: blend with the [[1,1,1],[1,5,1],[1,1,1]]/13 smoothing
    (rounded for uint8), the one-pixel border unchanged."""
    height, width = image.shape[:2]
    if height <= 2 or width <= 2:
        return image.copy()
    source = image.astype(np.float32)
    total = cv2.boxFilter(source, cv2.CV_32F, (3, 3), normalize=False, borderType=cv2.BORDER_REPLICATE)
    smooth: np.ndarray = cv2.addWeighted(total, 1.0 / 13.0, source, 4.0 / 13.0, 0.0).reshape(source.shape)
    if image.dtype == np.uint8:
        np.rint(smooth, out=smooth)  # exact sums of 13ths never tie at .5
    smooth -= source
    out = source
    out[1:-1, 1:-1] = _fused_add(source[1:-1, 1:-1], smooth[1:-1, 1:-1], 1.0 - factor)
    if image.dtype == np.uint8:
        return _to_uint8(out)
    return np.clip(out, 0.0, 1.0, out=out)


def _solarize(image: np.ndarray, threshold: float) -> np.ndarray:
    """Invert the pixels ``>= threshold * max`` (torchvision's comparison, no rounding of the level)."""
    if image.dtype != np.uint8:
        return solarize(image, threshold)
    level = threshold * 255.0
    return _lut(image, np.where(level <= _LEVELS, 255.0 - _LEVELS, _LEVELS).astype(np.uint8))


def _solarize_add(image: np.ndarray, amount: float) -> np.ndarray:
    """Add ``amount`` 8-bit levels to the pixels below 128 (timm's SolarizeAdd), saturated."""
    if image.dtype == np.uint8:
        return _lut(image, np.where(_LEVELS < 128, np.clip(_LEVELS + amount, 0.0, 255.0), _LEVELS).astype(np.uint8))
    return np.where(image < np.float32(128 / 255), np.clip(image + np.float32(amount / 255), 0.0, 1.0), image)


def _autocontrast(image: np.ndarray) -> np.ndarray:
    """Stretch each channel to the full range: torchvision's float32 ``(x - min) / ((max - min) / 255)``,
    truncated (a flat channel is unchanged)."""
    if image.dtype != np.uint8:
        return autocontrast(image)
    planes = cv2.split(image) if image.ndim == 3 else [image]
    tables = []
    for plane in planes:
        low, high = cv2.minMaxLoc(plane)[:2]
        if high <= low:
            tables.append(_LEVELS.astype(np.uint8))
            continue
        scale = np.float32(high - low) * np.float32(1.0 / 255.0)
        tables.append(_to_uint8((_LEVELS - np.float32(low)) / scale))
    table = np.stack(tables, axis=1).reshape(1, 256, len(tables)) if len(tables) > 1 else tables[0]
    return _lut(image, table)


_PIXEL_OPS: dict[str, Any] = {
    "Brightness": lambda image, m: _blend(image, 1.0 + m, 0.0),
    "Color": lambda image, m: _saturation(image, 1.0 + m),
    "Contrast": lambda image, m: _contrast(image, 1.0 + m),
    "Sharpness": lambda image, m: _sharpness(image, 1.0 + m),
    "Posterize": lambda image, m: posterize(image, int(m)),
    "Solarize": _solarize,
    "SolarizeAdd": _solarize_add,
    "AutoContrast": lambda image, m: _autocontrast(image),
    "Equalize": lambda image, m: equalize(image),
    "Invert": lambda image, m: invert(image),
    "Identity": lambda image, m: image.copy(),
}


# ------------------------------------------------------------------------------------- geometry
def _centred_inverse(op: str, value: float, height: int, width: int) -> tuple[float, ...]:
    """Output -> input positions relative to the image centre (2x3, row-major), computed with the
    float64 operations torchvision uses, so its float32 sampling grid can be rebuilt bit for bit."""
    half_w, half_h = width * 0.5, height * 0.5
    if op == "Rotate":
        angle = math.radians(value)
        cos, sin = math.cos(angle), math.sin(angle)
        return (cos, -sin, 0.0, sin, cos, 0.0)
    shear = math.radians(math.degrees(math.atan(value)))  # torchvision passes the shear in degrees
    if op == "ShearX":
        factor = math.tan(shear)
        return (1.0, factor, (half_w + factor * half_h) - half_w, 0.0, 1.0, 0.0)
    factor = math.sin(shear) / math.cos(shear)
    return (1.0, 0.0, 0.0, factor, 1.0, (factor * half_w + half_h) - half_h)


def _index_inverse(theta: tuple[float, ...], height: int, width: int) -> np.ndarray:
    """The centred output -> input map as a 2x3 matrix on pixel indices."""
    matrix = np.asarray(theta).reshape(2, 3)
    centre = np.array([(width - 1) * 0.5, (height - 1) * 0.5])
    return np.hstack([matrix[:, :2], (matrix[:, 2] + centre - matrix[:, :2] @ centre)[:, None]])


def op_matrix(op: str, value: float, height: int, width: int) -> np.ndarray:
    """The 2x3 source -> destination matrix of a geometric op, in pixel-index coordinates.

    >>> op_matrix("TranslateX", -3.7, 10, 10).tolist()
    [[1.0, 0.0, -3.0], [0.0, 1.0, 0.0]]
    """
    if op in ("TranslateX", "TranslateY"):
        shift = float(int(value))
        return np.array([[1.0, 0.0, shift if op == "TranslateX" else 0.0], [0.0, 1.0, shift if op == "TranslateY" else 0.0]])
    if op == "HorizontalFlip":
        return np.array([[-1.0, 0.0, width - 1.0], [0.0, 1.0, 0.0]])
    if op == "VerticalFlip":
        return np.array([[1.0, 0.0, 0.0], [0.0, -1.0, height - 1.0]])
    inverse = _index_inverse(_centred_inverse(op, value, height, width), height, width)
    linear = np.linalg.inv(inverse[:, :2])
    return np.hstack([linear, (-linear @ inverse[:, 2])[:, None]])


@functools.lru_cache(maxsize=4)
def _nearest_maps(theta: tuple[float, ...], height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Source x and y of every output pixel, in torchvision's float32 arithmetic (``affine_grid``
    then ``grid_sample``'s unnormalisation), for OpenCV's remap to round half to even as it does."""
    t = np.asarray(theta, dtype=np.float32).reshape(2, 3).T / np.array([width * 0.5, height * 0.5], dtype=np.float32)
    xs = np.arange(width, dtype=np.float32) - np.float32((width - 1) * 0.5)
    ys = np.arange(height, dtype=np.float32) - np.float32((height - 1) * 0.5)
    maps = []
    for axis, size in ((0, width), (1, height)):
        grid = (ys * t[1, axis])[:, None] + (xs * t[0, axis])[None, :]
        grid += t[2, axis]
        grid += np.float32(1.0)
        grid *= np.float32(size * 0.5)
        grid -= np.float32(0.5)
        grid.flags.writeable = False
        maps.append(grid)
    return maps[0], maps[1]


def _by_groups(array: np.ndarray, values: tuple[float, ...], run: Any) -> np.ndarray:
    """Run an OpenCV call on groups of at most four channels (its border values hold four)."""
    if array.ndim == 2 or array.shape[2] <= 4:
        out = run(array, values + (0.0,) * (4 - len(values)))
        return out.reshape(array.shape)
    parts = [
        _by_groups(np.ascontiguousarray(array[:, :, i : i + 4]), values[i : i + 4], run) for i in range(0, array.shape[2], 4)
    ]
    return np.concatenate(parts, axis=2)


def _shift(array: np.ndarray, dx: int, dy: int, values: tuple[float, ...]) -> np.ndarray:
    """Move by whole pixels (torchvision's integer translate is an exact shift), filling what comes in."""
    height, width = array.shape[:2]
    fill = np.asarray(values if array.ndim == 3 else values[:1], dtype=np.float64)
    fill = (fill if array.dtype.kind == "f" else np.rint(fill)).astype(array.dtype)
    if abs(dx) >= width or abs(dy) >= height:
        out = np.empty_like(array)
        out[...] = fill if array.ndim == 3 else fill[0]
        return out
    out = np.empty_like(array)
    out[max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = array[
        max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ]
    for rows, columns in (
        (slice(0, max(dy, 0)), slice(None)),
        (slice(height + min(dy, 0), height), slice(None)),
        (slice(None), slice(0, max(dx, 0))),
        (slice(None), slice(width + min(dx, 0), width)),
    ):
        out[rows, columns] = fill if array.ndim == 3 else fill[0]
    return out


def warp_array(array: np.ndarray, op: str, value: float, interpolation: str, fill: float | Sequence[float]) -> np.ndarray:
    """Apply a geometric op to an image or a mask (any dtype and channel count; nearest for masks)."""
    values = fill_for_channels(fill, 1 if array.ndim == 2 else array.shape[2])
    if op == "HorizontalFlip":
        return np.ascontiguousarray(array[:, ::-1])
    if op == "VerticalFlip":
        return np.ascontiguousarray(array[::-1])
    if op in ("TranslateX", "TranslateY"):
        shift = int(value)
        return _shift(array, shift if op == "TranslateX" else 0, shift if op == "TranslateY" else 0, values)
    height, width = array.shape[:2]
    theta = _centred_inverse(op, value, height, width)
    if interpolation == "nearest" or array.dtype not in (np.uint8, np.uint16, np.int16, np.float32, np.float64):
        map_x, map_y = _nearest_maps(theta, height, width)
        return _by_groups(
            array,
            values,
            lambda a, v: cv2.remap(a, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=v),
        )
    inverse = _index_inverse(theta, height, width)
    flags = _CV_FLAGS[interpolation] | cv2.WARP_INVERSE_MAP
    return _by_groups(
        array,
        values,
        lambda a, v: cv2.warpAffine(a, inverse, (width, height), flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=v),
    )


def apply_op(
    image: np.ndarray,
    op: str,
    magnitude: float = 0.0,
    interpolation: str = "nearest",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """Apply one op of the vocabulary (:data:`OPS`) with a signed ``magnitude`` (see the module notes).

    ``image`` is H x W or H x W x C, uint8 or float32 in [0, 1] (``fill`` in the image's units);
    the result is a new array.

    >>> import numpy as np
    >>> apply_op(np.arange(9, dtype=np.uint8).reshape(3, 3), "TranslateX", 1.9).tolist()
    [[0, 0, 1], [0, 3, 4], [0, 6, 7]]
    """
    if op in GEOMETRIC_OPS:
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"apply_op: interpolation must be one of {', '.join(INTERPOLATIONS)}; got {interpolation!r}")
        return warp_array(image, op, magnitude, interpolation, fill)
    kernel = _PIXEL_OPS.get(op)
    if kernel is None:
        raise ValueError(f"apply_op: unknown op {op!r}; valid ops: {', '.join(OPS)}")
    return kernel(image, magnitude)


# ------------------------------------------------------------------------------------- boxes
def _clip_polygons(polygons: np.ndarray, left: float, top: float, right: float, bottom: float) -> np.ndarray:
    """Clip (N, K, 2) convex polygons (repeated vertices allowed) to a rectangle, one side at a time
    (Sutherland-Hodgman, vectorized); polygons that miss it become NaN rows."""
    for axis, bound, sign in ((0, left, 1.0), (0, right, -1.0), (1, top, 1.0), (1, bottom, -1.0)):
        distance = (polygons[..., axis] - bound) * sign
        inside = distance >= 0
        if inside.all():
            continue
        crossing = inside != np.roll(inside, -1, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = distance / (distance - np.roll(distance, -1, axis=1))
            point = polygons + t[..., None] * (np.roll(polygons, -1, axis=1) - polygons)
        count, slots = len(polygons), polygons.shape[1] * 2
        candidates = np.stack([polygons, point], axis=2).reshape(count, slots, 2)
        valid = np.stack([inside, crossing], axis=2).reshape(count, slots)
        order = np.argsort(~valid, axis=1, kind="stable")
        candidates = np.take_along_axis(candidates, order[..., None], axis=1)
        kept = valid.sum(axis=1)
        size = max(int(kept.max()), 1)
        candidates = candidates[:, :size]
        padding = np.arange(size)[None, :] >= kept[:, None]
        polygons = np.where(padding[..., None], candidates[:, :1], candidates)
        polygons[kept == 0] = np.nan
    return polygons


def warp_boxes(boxes: np.ndarray, steps: Sequence[tuple[str, float]], height: int, width: int) -> np.ndarray:
    """Move pascal_voc boxes through geometric ops in turn: each box is tracked as a polygon cut to
    the image after every op (content warped out is gone); the result is the tight box of the part
    that covers pixel centres (what resampling shows), NaN rows for boxes that left the image.

    >>> warp_boxes(np.array([[0.0, 0.0, 4.0, 2.0]]), [("TranslateX", 2.0)], 10, 5).tolist()
    [[2.0, 0.0, 5.0, 2.0]]
    """
    polygons = boxes[:, [0, 1, 2, 1, 2, 3, 0, 3]].reshape(-1, 4, 2).astype(np.float64)
    for op, value in steps:
        matrix = op_matrix(op, value, height, width)
        linear = matrix[:, :2]
        offset = matrix[:, 2] + 0.5 - linear.sum(axis=1) * 0.5  # pixel edges <-> pixel indices
        polygons = _clip_polygons(polygons @ linear.T + offset, 0.0, 0.0, float(width), float(height))
    # a sliver between the outermost pixel centres and the border shows no pixel: cut at the centres,
    # then give back the half pixel on the sides where the polygon reached past them
    limit = np.array([width - 0.5, height - 0.5])
    centres = _clip_polygons(polygons, 0.5, 0.5, limit[0], limit[1])
    low, high = centres.min(axis=1), centres.max(axis=1)
    with np.errstate(invalid="ignore"):  # NaN rows stay NaN
        low = np.where(low <= 0.5 + 1e-9, 0.0, low)
        high = np.where(high >= limit - 1e-9, limit + 0.5, high)
    return np.concatenate([low, high], axis=1)


def warp_keypoints(points: np.ndarray, steps: Sequence[tuple[str, float]], height: int, width: int) -> np.ndarray:
    """Move ``[x, y, angle, scale]`` keypoints through geometric ops in turn."""
    for op, value in steps:
        points = A.affine_keypoints(points, op_matrix(op, value, height, width))
    return points


# ------------------------------------------------------------------------------------- spaces
@dataclass(frozen=True)
class Range:
    """How an op's magnitude grows with the level ``f`` in [0, 1]: ``start + f * (end - start)``.

    ``per`` makes ``end`` a multiple of the image width or height divided by ``divisor``;
    ``kind`` is ``"float"``, ``"trunc"`` (toward zero, after the sign) or ``"round"`` (half to even).
    """

    start: float
    end: float
    signed: bool = False
    per: str | None = None
    divisor: float = 1.0
    kind: str = "float"

    def value(self, level: float, negative: bool, height: int, width: int) -> float | int:
        end = self.end
        if self.per is not None:
            end = end * (width if self.per == "width" else height) / self.divisor
        value = self.start + level * (end - self.start)
        if negative:
            value = -value
        if self.kind == "trunc":
            return int(value)
        if self.kind == "round":
            return round(value)
        return float(value)


def _space(
    shear: float, translate: tuple[Range, Range], rotate: float, enhance: float, bits: tuple[float, float]
) -> dict[str, Range | None]:
    space: dict[str, Range | None] = dict.fromkeys(OPS)
    space.update(
        ShearX=Range(0.0, shear, True),
        ShearY=Range(0.0, shear, True),
        TranslateX=translate[0],
        TranslateY=translate[1],
        Rotate=Range(0.0, rotate, True),
        Posterize=Range(bits[0], bits[1], kind="round"),
        Solarize=Range(1.0, 0.0),
        SolarizeAdd=Range(0.0, 110.0, kind="trunc"),
        **{name: Range(0.0, enhance, True) for name in ("Brightness", "Color", "Contrast", "Sharpness")},
    )
    return space


def _relative(fraction: float, axis: str, divisor: float = 1.0) -> Range:
    return Range(0.0, fraction, True, axis, divisor, "trunc")


#: Magnitude ranges per family (torchvision's): AutoAugment/RandAugment/UniformAugment share "standard";
#: TrivialAugmentWide uses "wide"; AugMix "augmix" (Posterize keeps 4 -> 0 bits there).
SPACES: dict[str, dict[str, Range | None]] = {
    "standard": _space(0.3, (_relative(150.0 / 331.0, "width"), _relative(150.0 / 331.0, "height")), 30.0, 0.9, (8.0, 4.0)),
    "wide": _space(0.99, (Range(0.0, 32.0, True, kind="trunc"),) * 2, 135.0, 0.99, (8.0, 2.0)),
    "augmix": _space(0.3, (_relative(1.0, "width", 3.0), _relative(1.0, "height", 3.0)), 30.0, 0.9, (4.0, 0.0)),
}
