"""Bounding-box formats and the box bookkeeping every spatial transform shares.

Internally boxes are ``(N, 4)`` float64 arrays ``[x_min, y_min, x_max, y_max]`` in absolute pixel
coordinates of the current image, where the image spans ``[0, width] x [0, height]`` (pixel edges,
not pixel centres). User formats are converted on the way in and out of a pipeline.

>>> import numpy as np
>>> to_voc(np.array([[10., 20., 30., 40.]]), "coco", 100, 100, False)
array([[10., 20., 40., 60.]])
"""

from __future__ import annotations

import numpy as np

from augkit.core.errors import TargetError

__all__ = ["BBOX_FORMATS", "areas", "check_and_clip", "clip_boxes", "from_voc", "to_voc"]

BBOX_FORMATS = ("pascal_voc", "coco", "yolo", "cxcywh")
#: Tolerance, in pixels, for coordinates that leave the image only by float rounding.
BORDER_TOLERANCE = 1e-3


def to_voc(boxes: np.ndarray, fmt: str, height: int, width: int, normalized: bool) -> np.ndarray:
    """Convert the first four columns of ``boxes`` from ``fmt`` to absolute pascal_voc (a new array)."""
    out = np.array(boxes[:, :4], dtype=np.float64, order="C")
    if normalized:
        out[:, 0::2] *= width
        out[:, 1::2] *= height
    if fmt == "coco":
        out[:, 2:] += out[:, :2]
    elif fmt == "yolo" or fmt == "cxcywh":
        half = out[:, 2:] * 0.5
        centre = out[:, :2].copy()
        out[:, :2] = centre - half
        out[:, 2:] = centre + half
    return out


def from_voc(boxes: np.ndarray, fmt: str, height: int, width: int, normalized: bool) -> np.ndarray:
    """Convert absolute pascal_voc boxes to ``fmt`` (a new array)."""
    out = boxes.copy()
    if fmt == "coco":
        out[:, 2:] -= out[:, :2]
    elif fmt == "yolo" or fmt == "cxcywh":
        out[:, :2] = (boxes[:, :2] + boxes[:, 2:]) * 0.5
        out[:, 2:] = boxes[:, 2:] - boxes[:, :2]
    if normalized:
        out[:, 0::2] /= width
        out[:, 1::2] /= height
    return out


def check_and_clip(owner: str, boxes: np.ndarray, fmt: str, height: int, width: int) -> np.ndarray:
    """Input boxes clipped to the image (a new array), rejecting NaN, inverted boxes and boxes lying
    wholly outside the image (beyond float rounding) with a clear error for each."""
    if not len(boxes):
        return boxes
    clipped = np.maximum(boxes, 0.0)
    np.minimum(clipped, (width, height, width, height), out=clipped)
    # NaN anywhere makes the first minimum NaN and the comparison False
    if (boxes[:, 2:] - boxes[:, :2]).min() >= 0 and (clipped[:, 2:] - clipped[:, :2]).min() > 0:
        return clipped
    _raise_for_bad_rows(owner, boxes, fmt, height, width)
    return clipped  # only degenerate boxes (zero width or height) remain; the caller drops them


def _raise_for_bad_rows(owner: str, boxes: np.ndarray, fmt: str, height: int, width: int) -> None:
    finite = np.isfinite(boxes).all(axis=1)
    if not finite.all():
        row = int(np.flatnonzero(~finite)[0])
        raise TargetError(f"{owner}: target 'bboxes' row {row} has a NaN or infinite coordinate")
    ordered = (boxes[:, :2] <= boxes[:, 2:]).all(axis=1)
    if not ordered.all():
        row = int(np.flatnonzero(~ordered)[0])
        raise TargetError(
            f"{owner}: target 'bboxes' row {row} in format {fmt!r} has x_min > x_max or y_min > y_max "
            f"(as pascal_voc: {boxes[row].round(3).tolist()}); expected x_min <= x_max and y_min <= y_max"
        )
    tol = BORDER_TOLERANCE
    reaches = (boxes[:, :2] <= (width + tol, height + tol)).all(axis=1) & (boxes[:, 2:] >= -tol).all(axis=1)
    if not reaches.all():
        row = int(np.flatnonzero(~reaches)[0])
        raise TargetError(
            f"{owner}: target 'bboxes' row {row} lies wholly outside the {width}x{height} image "
            f"(as pascal_voc: {boxes[row].round(3).tolist()}); expected a box overlapping the image. "
            f"Check bbox_format={fmt!r}."
        )


def clip_boxes(boxes: np.ndarray, height: int, width: int) -> np.ndarray:
    """Clip boxes to the image in place and return them."""
    np.maximum(boxes, 0.0, out=boxes)
    np.minimum(boxes, (width, height, width, height), out=boxes)
    return boxes


def areas(boxes: np.ndarray) -> np.ndarray:
    """Area of each pascal_voc box."""
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
