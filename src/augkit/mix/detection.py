"""``DetectionMixUp``: blend two detection samples and keep the boxes of both, weighted.

As in "Bag of Freebies for Training Object Detection Neural Networks" (Zhang et al. 2019, arXiv
1902.04103): ``image = lam * a + (1 - lam) * b`` with ``lam ~ Beta(alpha, alpha)``; every box of
both images is kept, and ``out["box_weights"]`` holds ``lam`` for the first sample's boxes and
``1 - lam`` for the second's (weights already on the samples, from an earlier mix, are multiplied).
The default alpha = 32 is YOLOv5/v8's (lam near 0.5); the paper uses Beta(1.5, 1.5).

The second sample is brought to the first's size by ``fit``: ``"pad"`` (top-left aligned, no
resampling: the paper's geometry-preserving alignment, cut or padded with ``fill``), ``"resize"``
(stretched) or ``"letterbox"`` (aspect kept, centred, padded).

>>> import numpy as np
>>> from augkit.mix import DetectionMixUp
>>> a = {"image": np.zeros((2, 2, 1), np.float32), "bboxes": [[0, 0, 1, 1]], "labels": ["cat"]}
>>> b = {"image": np.ones((2, 2, 1), np.float32), "bboxes": [[1, 1, 2, 2]], "labels": ["dog"]}
>>> out = DetectionMixUp()([a, b], rng=0, record=True)
>>> lam = out["applied"]["params"]["lam"]
>>> bool(np.allclose(out["image"], 1 - lam)), out["labels"], bool(np.allclose(out["box_weights"], [lam, 1 - lam]))
(True, ['cat', 'dog'], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from augkit.core.errors import TargetTypeError
from augkit.core.validate import as_choice, as_fill
from augkit.image.functional._cv import INTERPOLATIONS
from augkit.mix._base import check_alpha
from augkit.mix._samples import Params, Parsed, SampleMixer, clip_boxes, concat, fill_for, place, scaled

__all__ = ["DetectionMixUp"]

FITS = ("pad", "resize", "letterbox")
WEIGHTS = "box_weights"


class DetectionMixUp(SampleMixer):
    """Blend two samples; boxes of both kept with per-box weights in ``out["box_weights"]``.

    Args:
        alpha: ``lam ~ Beta(alpha, alpha)`` (> 0); default 32.0 as in YOLOv5/v8.
        fit: how the second sample reaches the first's size: ``"pad"``, ``"resize"`` or ``"letterbox"``.
        fill: image value where the second image does not reach (blended too, as the paper's zero canvas).
        interpolation: for resizing the second image (masks use nearest neighbour).
        bbox_format, bbox_normalized, label_fields, keypoint_format, keypoint_fields: the sample formats.
        p: probability of mixing; otherwise sample 0 comes back unchanged (weights 1).

    Instance ``masks`` of both samples are kept (the second's moved like its image) and keypoints of
    both too. A semantic ``mask`` is refused: labels cannot be blended. uint8/uint16 pixels are
    rounded half to even after blending in float32.

    >>> DetectionMixUp(fit="letterbox").fit
    'letterbox'
    """

    n_samples = 2

    def __init__(
        self,
        alpha: float = 32.0,
        fit: str = "pad",
        fill: float | Sequence[float] = 0,
        interpolation: str = "linear",
        bbox_format: str = "pascal_voc",
        bbox_normalized: bool | None = None,
        label_fields: Sequence[str] = ("labels",),
        keypoint_format: str = "xy",
        keypoint_fields: Sequence[str] = ("keypoint_labels",),
        p: float = 1.0,
    ) -> None:
        owner = type(self).__name__
        self.alpha = check_alpha(owner, "alpha", alpha)
        self.fit = as_choice(owner, "fit", fit, FITS)
        self.fill = as_fill(owner, "fill", fill)
        self.interpolation = as_choice(owner, "interpolation", interpolation, INTERPOLATIONS)
        self._set_targets(bbox_format, bbox_normalized, label_fields, keypoint_format, keypoint_fields, p)

    def _extra_fields(self) -> tuple[str, ...]:
        return () if WEIGHTS in self.label_fields else (WEIGHTS,)

    def _check(self, samples: list[Parsed], keys: frozenset[str]) -> None:
        if "mask" in keys:
            raise TargetTypeError(
                f"{type(self).__name__}: target 'mask' is not supported (semantic labels cannot be blended; "
                "pass instance masks in 'masks')"
            )

    def sample(self, rng: np.random.Generator, samples: list[Parsed]) -> Params:
        """The weight ``lam`` of the first image."""
        return {"lam": float(rng.beta(self.alpha, self.alpha))}

    def _placement(self, first: Parsed, second: Parsed) -> tuple[int, int, int, int]:
        """``(x, y, width, height)`` of the second image in the first's frame."""
        height, width = first.shape
        other_h, other_w = second.shape
        if self.fit == "pad":
            return 0, 0, other_w, other_h
        if self.fit == "resize":
            return 0, 0, width, height
        ratio = min(height / other_h, width / other_w)
        new_h, new_w = max(1, round(other_h * ratio)), max(1, round(other_w * ratio))
        return (width - new_w) // 2, (height - new_h) // 2, new_w, new_h

    def _apply(self, samples: list[Parsed], params: Params) -> tuple[Parsed, dict[str, Any]]:
        lam = float(params["lam"])
        first, second = samples
        height, width = first.shape
        x, y, new_w, new_h = self._placement(first, second)
        moved = scaled(second, new_h, new_w, x, y, self.interpolation)
        fill = fill_for(type(self).__name__, "fill", self.fill, first.image)
        other = place(moved.image, height, width, x, y, fill)
        image = blend(first.image, other, lam)
        if moved.masks is not None:
            moved.masks = [place(m, height, width, x, y, 0) for m in moved.masks]
        own = replace(first, masks=None if first.masks is None else [m.copy() for m in first.masks])
        weights: dict[str, Any] = {}
        if first.boxes is not None:
            assert moved.boxes is not None
            moved.boxes, keep = clip_boxes(moved.boxes, (0, 0, width, height))
            moved = moved.take_boxes(keep)
            factors = [self._weights(own, lam), self._weights(moved, 1.0 - lam)]
            own, moved = _without_weights(own), _without_weights(moved)
            weights[WEIGHTS] = np.concatenate(factors)
        return concat(image, [own, moved]), weights

    def _weights(self, sample: Parsed, factor: float) -> np.ndarray:
        count = 0 if sample.boxes is None else len(sample.boxes)
        given = sample.fields.get(WEIGHTS)
        base = np.ones(count) if given is None else np.asarray(given, dtype=np.float64).reshape(count)
        return base * factor

    def _identity_extra(self, sample: Parsed) -> dict[str, Any]:
        return {} if sample.boxes is None else {WEIGHTS: self._weights(sample, 1.0)}

    def _output(self, template: Any, result: Parsed) -> dict[str, Any]:
        return super()._output(template, _without_weights(result))


def _without_weights(sample: Parsed) -> Parsed:
    return replace(sample, fields={k: v for k, v in sample.fields.items() if k != WEIGHTS})


def blend(first: np.ndarray, second: np.ndarray, lam: float) -> np.ndarray:
    """``lam * first + (1 - lam) * second`` computed in float32; integer images rounded half to even.

    >>> blend(np.array([[0]], np.uint8), np.array([[255]], np.uint8), 0.5).tolist()
    [[128]]
    """
    out = first.astype(np.float32) * np.float32(lam)
    out += second.astype(np.float32) * np.float32(1.0 - lam)
    if first.dtype == np.float32:
        return out
    top = float(np.iinfo(first.dtype).max)
    np.rint(out, out=out)
    return np.clip(out, 0.0, top, out=out).astype(first.dtype)
