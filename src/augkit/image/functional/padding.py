"""Padding kernels, the box/keypoint shifts that go with them, and the letterbox geometry.

``pad`` adds rows and columns around an image of any channel count and dtype. The border modes are
those of ``BORDER_MODES`` and give the same pixels as ``numpy.pad``: "constant" (``fill``),
"reflect" (numpy's "reflect", ``dcb|abcd|cba``), "replicate" (numpy's "edge") and "wrap". Boxes and
keypoints are only shifted by the padding: objects mirrored or repeated into the border are not
annotated.

``letterbox_geometry`` computes a YOLO-style letterbox (keep the aspect ratio, resize to fit, pad the
rest) and ``letterbox_inverse`` maps boxes predicted on the letterboxed image back to the original.

>>> import numpy as np
>>> pad(np.array([[1, 2]], dtype=np.uint8), 0, 0, 1, 2, "constant", fill=9).tolist()
[[9, 1, 2, 9, 9]]
>>> geometry = letterbox_geometry(50, 100, 64, 64)
>>> geometry["resized_height"], geometry["resized_width"], geometry["top"], geometry["left"]
(32, 64, 16, 0)
>>> letterbox_inverse(np.array([[0.0, 16.0, 64.0, 48.0]]), geometry).tolist()
[[0.0, 0.0, 100.0, 50.0]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cv2
import numpy as np

from augkit.image.functional._cv import BORDER_MODES, CV_MAX_CHANNELS, by_channel_groups, fill_for_channels, keep_channels

__all__ = [
    "letterbox_geometry",
    "letterbox_inverse",
    "letterbox_inverse_keypoints",
    "pad",
    "pad_boxes",
    "pad_keypoints",
]

#: ``numpy.pad`` modes giving the same pixels as each border mode (used by the tests and the docs).
NUMPY_PAD_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "wrap": "wrap"}


def _cast_fill(values: tuple[float, ...], dtype: np.dtype) -> np.ndarray:
    """The fill in ``dtype``, rounded and saturated as OpenCV does for integer images."""
    array = np.asarray(values, dtype=np.float64)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        array = np.clip(np.rint(array), info.min, info.max)
    return array.astype(dtype)


def pad(
    image: np.ndarray,
    top: int,
    bottom: int,
    left: int,
    right: int,
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """Pad an H x W [x C] array by the given numbers of rows and columns (any channel count).

    ``fill`` (for "constant") is one number or one per channel, in the image's own units (integer
    images round and saturate it, as OpenCV does). Returns a new C-contiguous array.
    """
    top, bottom, left, right = int(top), int(bottom), int(left), int(right)
    if min(top, bottom, left, right) < 0:
        raise ValueError(f"padding must be >= 0; got top={top}, bottom={bottom}, left={left}, right={right}")
    if border_mode not in BORDER_MODES:
        raise ValueError(f"border_mode must be one of {', '.join(BORDER_MODES)}; got {border_mode!r}")
    channels = 1 if image.ndim == 2 else image.shape[2]
    constant = border_mode == "constant"
    values = fill_for_channels(fill, channels) if constant else (0.0,)
    if top == bottom == left == right == 0:
        return image.copy()
    source = image.view(np.uint8) if image.dtype == np.bool_ else image
    flag = BORDER_MODES[border_mode]
    uniform = len(set(values)) == 1
    if constant and uniform and values[0] == 0.0:  # zero pages come free from the allocator
        height, width = source.shape[:2]
        out = np.zeros((height + top + bottom, width + left + right, *source.shape[2:]), dtype=source.dtype)
        out[top : top + height, left : left + width] = source
        return out.view(np.bool_) if image.dtype == np.bool_ else out
    if not constant or uniform:
        scalar = (values[0],) * 4

        def pad_group(part: np.ndarray) -> np.ndarray:
            return cv2.copyMakeBorder(part, top, bottom, left, right, flag, value=scalar)

        if channels <= CV_MAX_CHANNELS:
            out = keep_channels(pad_group(source), source)
        else:
            out = by_channel_groups(pad_group, source, CV_MAX_CHANNELS)
    elif channels <= 4:
        value = values + (0.0,) * (4 - channels)
        out = keep_channels(cv2.copyMakeBorder(source, top, bottom, left, right, flag, value=value), source)
    else:  # a different constant per channel, more channels than OpenCV's fill value holds
        out = _pad_constant_numpy(source, top, bottom, left, right, _cast_fill(values, source.dtype))
    return out.view(np.bool_) if image.dtype == np.bool_ else out


def _pad_constant_numpy(image: np.ndarray, top: int, bottom: int, left: int, right: int, fill: np.ndarray) -> np.ndarray:
    height, width = image.shape[:2]
    out = np.empty((height + top + bottom, width + left + right, *image.shape[2:]), dtype=image.dtype)
    out[:top] = fill
    out[top + height :] = fill
    out[top : top + height, :left] = fill
    out[top : top + height, left + width :] = fill
    out[top : top + height, left : left + width] = image
    return out


def pad_boxes(boxes: np.ndarray, left: float, top: float) -> np.ndarray:
    """Pixel-edge boxes after padding by ``left`` columns and ``top`` rows (a shift)."""
    return boxes + np.array([left, top, left, top], dtype=np.float64)


def pad_keypoints(points: np.ndarray, left: float, top: float) -> np.ndarray:
    """``[x, y, angle, scale]`` keypoints after padding (a shift; angle and scale unchanged)."""
    out = points.copy()
    out[:, 0] += left
    out[:, 1] += top
    return out


def letterbox_geometry(height: int, width: int, target_height: int, target_width: int, center: bool = True) -> dict[str, Any]:
    """Where a ``height x width`` image lands in a ``target_height x target_width`` letterbox.

    The image is scaled by ``r = min(target_height / height, target_width / width)``, each side
    rounded to the nearest integer (at least 1), and padded to the target: evenly (the extra pixel
    of an odd difference at the bottom/right) when ``center``, else at the bottom/right only.

    Returns JSON-safe values: ``scale_x``/``scale_y`` (the realized factors, resized size / original
    size), ``resized_height``/``resized_width``, ``top``/``bottom``/``left``/``right`` (padding) and
    ``source_height``/``source_width``.
    """
    ratio = min(target_height / height, target_width / width)
    resized_height = min(target_height, max(1, round(height * ratio)))
    resized_width = min(target_width, max(1, round(width * ratio)))
    extra_height, extra_width = target_height - resized_height, target_width - resized_width
    top = extra_height // 2 if center else 0
    left = extra_width // 2 if center else 0
    return {
        "scale_x": resized_width / width,
        "scale_y": resized_height / height,
        "resized_height": int(resized_height),
        "resized_width": int(resized_width),
        "top": int(top),
        "bottom": int(extra_height - top),
        "left": int(left),
        "right": int(extra_width - left),
        "source_height": int(height),
        "source_width": int(width),
    }


def letterbox_inverse(boxes: np.ndarray, params: Mapping[str, Any]) -> np.ndarray:
    """Map pixel-edge ``[x_min, y_min, x_max, y_max]`` boxes from a letterboxed image back to the original.

    ``params`` is the dict recorded by ``LetterBox`` (or returned by ``letterbox_geometry``). Extra
    columns (scores, classes) are kept. The result is not clipped: clip it to
    ``[0, source_width] x [0, source_height]`` if you need to.

    >>> params = letterbox_geometry(100, 50, 64, 64)
    >>> letterbox_inverse(np.array([[16.0, 0.0, 48.0, 64.0, 0.9]]), params).tolist()
    [[0.0, 0.0, 50.0, 100.0, 0.9]]
    """
    out = np.array(boxes, dtype=np.float64, copy=True)
    if out.ndim != 2 or out.shape[1] < 4:
        raise ValueError(f"boxes must be an N x 4+ array; got shape {out.shape}")
    shift = np.array([params["left"], params["top"], params["left"], params["top"]], dtype=np.float64)
    scale = np.array([params["scale_x"], params["scale_y"], params["scale_x"], params["scale_y"]], dtype=np.float64)
    out[:, :4] = (out[:, :4] - shift) / scale
    return out


def letterbox_inverse_keypoints(points: np.ndarray, params: Mapping[str, Any]) -> np.ndarray:
    """Map pixel-index ``(x, y, ...)`` keypoints from a letterboxed image back to the original.

    Only the first two columns change (``x = (x' - left + 0.5) / scale_x - 0.5``, likewise y).
    """
    out = np.array(points, dtype=np.float64, copy=True)
    if out.ndim != 2 or out.shape[1] < 2:
        raise ValueError(f"points must be an N x 2+ array; got shape {out.shape}")
    out[:, 0] = (out[:, 0] - params["left"] + 0.5) / params["scale_x"] - 0.5
    out[:, 1] = (out[:, 1] - params["top"] + 0.5) / params["scale_y"] - 0.5
    return out
