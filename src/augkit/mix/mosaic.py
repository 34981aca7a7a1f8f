"""``Mosaic``: four samples tiled around a random centre, YOLO-style (YOLOv4/v5/v8), with boxes,
instance and semantic masks and keypoints.

The canvas is ``2 * size`` (``size`` is the final ``(height, width)`` the detector trains on). A centre
``(xc, yc)`` is drawn uniformly in ``center_range * size`` (default ``[0.5, 1.5] * size``, the middle
half of the canvas); sample 0 is placed with its bottom-right corner at the centre, sample 1 with its
bottom-left, sample 2 with its top-right and sample 3 with its top-left corner there. Parts beyond
the canvas are cut, uncovered pixels get ``fill``. With ``fit=True`` (default) each image is first
resized to fit ``size`` with its aspect kept, as the YOLO loaders do before the mosaic.

YOLO follows the mosaic with a random affine that crops the canvas back to ``size`` around its
centre; give ``output_size=size`` to get that ``size`` crop here (the window is centred on the
canvas, so the four tiles still split it at a random point).

>>> import numpy as np
>>> from augkit.mix import Mosaic
>>> tiles = [{"image": np.full((4, 4, 3), i, np.uint8), "bboxes": [[0, 0, 4, 4]], "labels": [i]} for i in range(4)]
>>> out = Mosaic(size=4, output_size=4)(tiles, rng=0)
>>> out["image"].shape, sorted(out["labels"])
((4, 4, 3), [0, 1, 2, 3])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError
from augkit.core.validate import as_bool, as_choice, as_fill, as_float, as_probability, as_range
from augkit.image.functional._cv import INTERPOLATIONS
from augkit.mix._samples import Params, Parsed, SampleMixer, as_size, clip_boxes, concat, fill_for, place, scaled

__all__ = ["Mosaic"]


class Mosaic(SampleMixer):
    """Tile four samples around a random centre of a ``2 * size`` canvas.

    Args:
        size: ``(height, width)`` of one tile's frame (an int means square); the canvas is twice that.
        center_range: the centre is drawn uniformly in ``[min * size, max * size]`` on each axis.
        output_size: ``None`` returns the whole canvas (YOLO's mosaic before its affine); ``(h, w)``
            returns that window centred on the canvas (at most the canvas size).
        fit: resize each image to fit inside ``size`` first (aspect kept), as the YOLO loaders do.
        fill: image value where no tile lands (in the image's units: 114 suits uint8); one per channel allowed.
        fill_mask: semantic ``mask`` value where no tile lands (instance masks get 0).
        interpolation: for resizing images (masks use nearest neighbour).
        min_area: boxes smaller than this (pixels, after clipping) are dropped with their labels and masks.
        min_visibility: boxes keeping less than this fraction of their (resized) area are dropped.
        bbox_format, bbox_normalized, label_fields, keypoint_format, keypoint_fields: the sample formats,
            as on :class:`augkit.Compose`.
        p: probability of mixing; otherwise sample 0 comes back unchanged.

    Keypoints are kept (with their fields) even where they leave the output; those of a cut-away
    part lie outside the output, never on another tile.

    >>> import numpy as np
    >>> tiles = [{"image": np.zeros((8, 6), np.uint8)} for _ in range(4)]
    >>> out = Mosaic(size=(8, 6), fit=False)(tiles, rng=1, record=True)
    >>> out["image"].shape, out["applied"]["params"]["center"]
    ((16, 12), [8, 8])
    """

    n_samples = 4

    def __init__(
        self,
        size: int | Sequence[int] = (640, 640),
        center_range: float | Sequence[float] = (0.5, 1.5),
        output_size: int | Sequence[int] | None = None,
        fit: bool = True,
        fill: float | Sequence[float] = 114,
        fill_mask: float = 0,
        interpolation: str = "linear",
        min_area: float = 0.0,
        min_visibility: float = 0.0,
        bbox_format: str = "pascal_voc",
        bbox_normalized: bool | None = None,
        label_fields: Sequence[str] = ("labels",),
        keypoint_format: str = "xy",
        keypoint_fields: Sequence[str] = ("keypoint_labels",),
        p: float = 1.0,
    ) -> None:
        owner = type(self).__name__
        self.size = as_size(owner, "size", size)
        self.center_range = as_range(owner, "center_range", center_range, low=0.0, high=2.0)
        self.output_size = None if output_size is None else as_size(owner, "output_size", output_size)
        if self.output_size is not None and (self.output_size[0] > 2 * self.size[0] or self.output_size[1] > 2 * self.size[1]):
            raise ArgumentError(
                f"{owner}: argument 'output_size' expects at most the canvas size {[2 * s for s in self.size]} (twice 'size'); "
                f"got {output_size!r}"
            )
        self.fit = as_bool(owner, "fit", fit)
        self.fill = as_fill(owner, "fill", fill)
        self.fill_mask = as_float(owner, "fill_mask", fill_mask)
        self.interpolation = as_choice(owner, "interpolation", interpolation, INTERPOLATIONS)
        self.min_area = as_float(owner, "min_area", min_area, low=0.0)
        self.min_visibility = as_probability(owner, "min_visibility", min_visibility)
        self._set_targets(bbox_format, bbox_normalized, label_fields, keypoint_format, keypoint_fields, p)

    def sample(self, rng: np.random.Generator, samples: list[Parsed]) -> Params:
        """The centre (canvas pixels) and, for information, each tile's place in the output."""
        (height, width), (low, high) = self.size, self.center_range
        yc = int(rng.uniform(low * height, high * height))
        xc = int(rng.uniform(low * width, high * width))
        return {"center": [xc, yc], "tiles": [list(t) for t in self._tiles(samples, xc, yc)]}

    def _window(self) -> tuple[int, int, int, int]:
        """``(x, y, height, width)`` of the output window on the canvas."""
        height, width = 2 * self.size[0], 2 * self.size[1]
        out_height, out_width = self.output_size or (height, width)
        return (width - out_width) // 2, (height - out_height) // 2, out_height, out_width

    def _tiles(self, samples: list[Parsed], xc: int, yc: int) -> list[tuple[int, int, int, int]]:
        """``(x, y, width, height)`` of each (resized) tile in the output frame."""
        (size_h, size_w), (wx, wy, _, _) = self.size, self._window()
        tiles = []
        for corner, sample in enumerate(samples):
            height, width = sample.shape
            if self.fit:
                ratio = min(size_h / height, size_w / width)
                height, width = max(1, round(height * ratio)), max(1, round(width * ratio))
            x = xc - width if corner in (0, 2) else xc
            y = yc - height if corner in (0, 1) else yc
            tiles.append((x - wx, y - wy, width, height))
        return tiles

    def _apply(self, samples: list[Parsed], params: Params) -> tuple[Parsed, dict[str, Any]]:
        xc, yc = (int(v) for v in params["center"])
        wx, wy, out_h, out_w = self._window()
        canvas_rect = (-wx, -wy, 2 * self.size[1] - wx, 2 * self.size[0] - wy)  # the canvas, in the output frame
        first = samples[0]
        image = np.empty((out_h, out_w, *first.image.shape[2:]), dtype=first.image.dtype)
        image[...] = fill_for(type(self).__name__, "fill", self.fill, first.image)
        mask = None
        if first.mask is not None:
            mask = np.empty((out_h, out_w, *first.mask.shape[2:]), dtype=first.mask.dtype)
            mask[...] = self.fill_mask
        parts = []
        for sample, (x, y, width, height) in zip(samples, self._tiles(samples, xc, yc), strict=True):
            tile = scaled(sample, height, width, x, y, self.interpolation)
            # the part of the tile on the canvas (its quadrant around the centre) and in the output
            left, top = max(x, canvas_rect[0], 0), max(y, canvas_rect[1], 0)
            right, bottom = min(x + width, canvas_rect[2], out_w), min(y + height, canvas_rect[3], out_h)
            rect = (left, top, max(left, right), max(top, bottom))
            place(tile.image, out_h, out_w, x, y, None, out=image, clip=rect)
            if mask is not None and tile.mask is not None:
                place(tile.mask, out_h, out_w, x, y, None, out=mask, clip=rect)
            if tile.masks is not None:
                tile.masks = [place(m, out_h, out_w, x, y, 0, clip=rect) for m in tile.masks]
            if tile.boxes is not None:
                tile.boxes, keep = clip_boxes(tile.boxes, rect, self.min_area, self.min_visibility)
                tile = tile.take_boxes(keep)
            parts.append(tile)
        return concat(image, parts, mask), {}
