"""Tone kernels (point operations): gamma, inversion, posterization, solarization and tone curves.

uint8 images go through one 256-entry lookup table (StringZilla byte translation; one table per
channel when the channels differ); uint16 images through a 65536-entry table when the image is large
(computed directly otherwise); float32 images (in [0, 1]) are computed directly in float32. Integer
results round half up. Every kernel accepts any channel count.

>>> import numpy as np
>>> invert(np.array([[0, 200]], np.uint8)).tolist()
[[255, 55]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

from augkit.image.functional._cv import CV_MAX_CHANNELS, keep_channels
from augkit.image.functional._lut import UINT8_RANGE, UINT16_RANGE, apply_lut, max_value, round_half_up_table

try:  # a core dependency (see _lut); OpenCV's LUT takes over without it
    from stringzilla import translate as _translate
except ImportError:  # pragma: no cover
    _translate = None

__all__ = [
    "adjust_gamma",
    "apply_tables",
    "invert",
    "lookup_inplace",
    "merge_planes",
    "posterize",
    "solarize",
    "split_planes",
    "tone_curve",
]

Curve = Callable[[np.ndarray], np.ndarray]


# ---------------------------------------------------------------------------------------------- planes
def split_planes(image: np.ndarray) -> list[np.ndarray]:
    """The channels of an H x W [x C] image as C-contiguous H x W planes (fresh arrays)."""
    if image.ndim == 2:
        return [image.copy()]
    if image.shape[2] <= CV_MAX_CHANNELS:
        return list(cv2.split(image))
    return [np.ascontiguousarray(image[:, :, c]) for c in range(image.shape[2])]


def merge_planes(planes: Sequence[np.ndarray], like: np.ndarray) -> np.ndarray:
    """Join planes back into an array shaped like ``like`` (the inverse of :func:`split_planes`)."""
    if like.ndim == 2:
        return np.ascontiguousarray(planes[0])
    if len(planes) <= CV_MAX_CHANNELS:
        return keep_channels(cv2.merge(list(planes)), like)
    return np.stack(planes, axis=2)


def apply_tables(image: np.ndarray, tables: np.ndarray) -> np.ndarray:
    """Map an integer image through lookup tables: ``tables`` is ``(n,)`` for all channels or
    ``(C, n)`` with one row per channel (``n`` = 256 for uint8, 65536 for uint16).

    Per-channel tables split the image into planes and map each in place (StringZilla for uint8),
    which beats OpenCV's multi-channel ``LUT`` several times over.

    >>> apply_tables(np.array([[[1, 1]]], np.uint8), np.stack([np.arange(256), 255 - np.arange(256)]).astype(np.uint8)).tolist()
    [[[1, 254]]]
    """
    if tables.ndim == 2 and (len(tables) == 1 or image.ndim == 2 or (tables == tables[0]).all()):
        tables = tables[0]
    if tables.ndim == 1:
        if image.dtype == np.uint8:
            return apply_lut(image, np.ascontiguousarray(tables, dtype=np.uint8))
        return np.take(tables, image)
    planes = split_planes(image)
    if len(tables) != len(planes):
        raise ValueError(f"got {len(tables)} tables for an image with {len(planes)} channels")
    for plane, table in zip(planes, tables, strict=True):
        lookup_inplace(plane, np.ascontiguousarray(table, dtype=image.dtype))
    return merge_planes(planes, image)


def lookup_inplace(plane: np.ndarray, table: np.ndarray) -> None:
    """Replace every value of a C-contiguous integer array by ``table[value]``, in place."""
    if plane.dtype == np.uint8 and _translate is not None:
        _translate(plane.reshape(-1).data, table.data, inplace=True)
    elif plane.dtype == np.uint8:  # pragma: no cover - StringZilla missing
        cv2.LUT(plane, table, dst=plane)
    else:
        np.take(table, plane, out=plane)  # buffered (mode="raise"), so reading and writing one array is safe


def _per_channel(values: float | Sequence[float] | np.ndarray, image: np.ndarray, name: str) -> np.ndarray:
    """Scalar or one value per channel, as a float64 array broadcasting over the channel axis."""
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    channels = 1 if image.ndim == 2 else image.shape[2]
    if array.size == 1:
        return array.reshape(())
    if image.ndim == 2 or array.size != channels:
        raise ValueError(f"{name} has {array.size} values for an image with {channels} channel(s)")
    return array


def _map_curve(image: np.ndarray, curve: Curve, per_channel: bool) -> np.ndarray:
    """Apply ``curve`` (normalized values in [0, 1] to [0, 1], broadcasting over a trailing channel
    axis when ``per_channel``) through tables for integer images, directly for float32."""
    if image.dtype == np.float32:
        out = np.asarray(curve(image), dtype=np.float32)
        np.clip(out, 0.0, 1.0, out=out)
        return np.ascontiguousarray(out)
    top = max_value(image.dtype)
    if image.dtype == np.uint16 and image.size < UINT16_RANGE.size:  # small image: no table
        return round_half_up_table(curve(image / top) * top, top, np.uint16)
    levels = (UINT8_RANGE if image.dtype == np.uint8 else UINT16_RANGE) / top
    tables = curve(levels[:, None]).T if per_channel else curve(levels)[None]
    return apply_tables(image, round_half_up_table(np.ascontiguousarray(tables) * top, top, image.dtype.type))


# ---------------------------------------------------------------------------------------------- kernels
def adjust_gamma(image: np.ndarray, gamma: float) -> np.ndarray:
    """Gamma correction ``max * (image / max) ** gamma`` (``gamma < 1`` brightens).

    >>> adjust_gamma(np.array([[0, 64, 255]], np.uint8), 0.5).tolist()
    [[0, 128, 255]]
    """
    if gamma <= 0:
        raise ValueError(f"gamma must be > 0; got {gamma}")
    if image.dtype == np.float32:  # OpenCV's SIMD pow on a 2-D view (any channel count)
        flat = image.reshape(image.shape[0], -1)
        return cv2.pow(flat, float(gamma)).reshape(image.shape)
    return _map_curve(image, lambda x: np.power(x, gamma), per_channel=False)


def invert(image: np.ndarray) -> np.ndarray:
    """``max - image`` (``1 - image`` for float32).

    >>> invert(np.array([[0.25]], np.float32)).tolist()
    [[0.75]]
    """
    if image.dtype == np.float32:
        return np.subtract(np.float32(1.0), image, dtype=np.float32)
    return np.bitwise_not(image)  # ~x == max - x for unsigned integers


def posterize(image: np.ndarray, bits: int | Sequence[int]) -> np.ndarray:
    """Keep the ``bits`` high bits of an 8-bit scale (``2 ** bits`` levels), per image or per channel.

    uint8 and uint16 keep their ``bits`` most significant bits (PIL's ``ImageOps.posterize`` for uint8);
    float32 becomes ``floor(x * 2**bits) / 2**bits`` (1.0 maps to the top level ``1 - 2**-bits``), so
    even ``bits=8`` quantizes a float image to 256 levels. ``bits=0`` gives a black image.

    >>> posterize(np.array([[255, 100]], np.uint8), 2).tolist()
    [[192, 64]]
    """
    counts = np.asarray(bits, dtype=np.int64).reshape(-1)
    if counts.size == 0 or counts.min() < 0 or counts.max() > 8:
        raise ValueError(f"bits must be integers in [0, 8]; got {bits}")
    if counts.size > 1:
        channels = 1 if image.ndim == 2 else image.shape[2]
        if image.ndim == 2 or counts.size != channels:
            raise ValueError(f"bits has {counts.size} values for an image with {channels} channel(s)")
    if image.dtype == np.float32:
        levels = np.float32(2.0) ** counts.astype(np.float32) if counts.size > 1 else np.float32(2.0 ** int(counts[0]))
        out = image * levels
        np.floor(out, out=out)
        np.minimum(out, levels - 1, out=out)
        out /= levels
        return out
    width = 8 * image.dtype.itemsize
    masks = ((1 << width) - 1) ^ ((1 << (width - counts)) - 1)
    if counts.size == 1:
        return np.bitwise_and(image, image.dtype.type(masks[0]))
    if image.dtype == np.uint8:  # one table per channel: split, translate, merge beats broadcasting
        return apply_tables(image, (np.arange(256)[None, :] & masks[:, None]).astype(np.uint8))
    return np.bitwise_and(image, masks.astype(image.dtype))


def solarize(image: np.ndarray, threshold: float) -> np.ndarray:
    """Invert the pixels at or above ``threshold * max`` (PIL's ``ImageOps.solarize`` for uint8).

    For integer images the level ``threshold * max`` is rounded up to a whole level (to within
    1e-6), so ``threshold=128/255`` inverts exactly the uint8 pixels ``>= 128``.

    >>> solarize(np.array([[100, 200]], np.uint8), 0.5).tolist()
    [[100, 55]]
    """
    if image.dtype == np.float32:
        return np.where(image >= np.float32(threshold), np.float32(1.0) - image, image)
    top = max_value(image.dtype)
    first = int(np.ceil(threshold * top - 1e-6))
    if image.dtype == np.uint8:
        levels = np.arange(256, dtype=np.uint8)
        return apply_lut(image, np.where(levels >= first, 255 - levels, levels).astype(np.uint8))
    out = image.copy()
    np.bitwise_not(image, out=out, where=image >= first)
    return out


def tone_curve(
    image: np.ndarray, low: float | Sequence[float] | np.ndarray, high: float | Sequence[float] | np.ndarray
) -> np.ndarray:
    """Map intensities through the cubic Bezier ``y(x) = 3(1-x)^2 x low + 3(1-x) x^2 high + x^3``.

    The curve runs from (0, 0) to (1, 1); ``low`` and ``high`` are its two control values (one
    number, or one per channel), both in [0, 1]; with ``low <= high`` it is monotone. ``low=1/3,
    high=2/3`` is the identity; ``low < 1/3 < 2/3 < high`` gives an S-curve (more contrast).

    >>> tone_curve(np.array([[0, 128, 255]], np.uint8), 1 / 3, 2 / 3).tolist()
    [[0, 128, 255]]
    """
    lows, highs = _per_channel(low, image, "low"), _per_channel(high, image, "high")
    for name, values in (("low", lows), ("high", highs)):
        if values.min() < 0.0 or values.max() > 1.0:
            raise ValueError(f"{name} must lie in [0, 1]; got {values.tolist()}")
    # y = x (a + x (b + c x)) with a = 3 low, b = 3 high - 6 low, c = 1 + 3 low - 3 high
    a, b, c = 3.0 * lows, 3.0 * highs - 6.0 * lows, 1.0 + 3.0 * lows - 3.0 * highs

    def curve(x: np.ndarray) -> np.ndarray:
        ka, kb, kc = (np.asarray(k, dtype=x.dtype) for k in (a, b, c))
        out = x * kc
        out += kb
        out *= x
        out += ka
        out *= x
        return out

    return _map_curve(image, curve, per_channel=lows.ndim == 1 or highs.ndim == 1)
