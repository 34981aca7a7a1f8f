"""``Mix``: MixUp or CutMix per batch, pair or image, with timm's options and its pitfalls fixed.

Compared with timm's ``Mixup`` (whose options this follows):

* any batch size works (N = 1 mixes an image with itself, i.e. leaves it unchanged);
* the partner of each image is drawn at random each call (a random cyclic permutation, so no image
  is its own partner when N >= 2 and an unshuffled, class-sorted batch still mixes across classes);
  ``partner="flip"`` keeps timm's pairing of image i with image N-1-i;
* boxes are drawn with height and width kept apart, so non-square images get the right box;
* with ``correct_lam=True`` the label weight is 1 - (pasted area) / (H * W) after clipping, exactly;
* mixup and cutmix each have their own alpha.

>>> import numpy as np
>>> from augkit.mix import Mix
>>> images = np.zeros((3, 6, 10, 3), np.float32)
>>> mixed, targets = Mix(num_classes=4)(images, np.array([0, 1, 3]), rng=0)
>>> mixed.shape, targets.shape, bool(np.allclose(targets.sum(1), 1.0))
((3, 6, 10, 3), (3, 4), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.validate import as_bool, as_choice, as_float, as_probability
from augkit.mix import _kernels
from augkit.mix._backend import Batch, Labels, Masks
from augkit.mix._base import BatchMixer, Mixed, check_alpha

__all__ = ["Mix", "centred_boxes", "draw_partner", "minmax_boxes"]

MODES = ("batch", "pair", "elem")


# ---------------------------------------------------------------------- draws
def draw_partner(rng: np.random.Generator, n: int, strategy: str) -> np.ndarray:
    """The partner of each image: a random cyclic permutation ("permutation") or i -> N-1-i ("flip").

    >>> draw_partner(np.random.default_rng(0), 4, "flip").tolist()
    [3, 2, 1, 0]
    >>> p = draw_partner(np.random.default_rng(0), 5, "permutation"); bool((p != np.arange(5)).all())
    True
    """
    if strategy == "flip":
        return np.arange(n - 1, -1, -1, dtype=np.int64)
    order = rng.permutation(n).astype(np.int64)
    partner = np.empty(n, np.int64)
    partner[order] = np.roll(order, -1)
    return partner


def centred_boxes(rng: np.random.Generator, height: int, width: int, lam: np.ndarray) -> np.ndarray:
    """Boxes ``[y0, y1, x0, x1]`` of about ``(1 - lam) * H * W`` pixels around uniform centres, clipped to the image.

    The box is ``round(H * sqrt(1 - lam))`` rows by ``round(W * sqrt(1 - lam))`` columns before clipping;
    centres are uniform over every pixel, so boxes reach all four borders.

    >>> centred_boxes(np.random.default_rng(0), 4, 8, np.array([0.75])).tolist()
    [[2, 4, 3, 7]]
    """
    lam = np.asarray(lam, np.float64)
    ratio = np.sqrt(np.clip(1.0 - lam, 0.0, 1.0))
    cut_h = np.rint(height * ratio).astype(np.int64)
    cut_w = np.rint(width * ratio).astype(np.int64)
    cy = rng.integers(0, height, size=lam.shape[0])
    cx = rng.integers(0, width, size=lam.shape[0])
    y0, x0 = cy - cut_h // 2, cx - cut_w // 2
    return np.stack(
        [np.clip(y0, 0, height), np.clip(y0 + cut_h, 0, height), np.clip(x0, 0, width), np.clip(x0 + cut_w, 0, width)], axis=1
    ).astype(np.int64)


def minmax_boxes(rng: np.random.Generator, height: int, width: int, minmax: tuple[float, float], count: int) -> np.ndarray:
    """Boxes whose sides are uniform in ``[int(min * side), int(max * side)]`` (both ends included),
    placed uniformly inside the image (every position, up to the bottom and right borders).

    >>> y0, y1, x0, x1 = minmax_boxes(np.random.default_rng(0), 10, 20, (0.5, 0.5), 1)[0].tolist()
    >>> (y1 - y0, x1 - x0)
    (5, 10)
    """
    low, high = minmax
    cut_h = rng.integers(int(height * low), int(height * high) + 1, size=count)
    cut_w = rng.integers(int(width * low), int(width * high) + 1, size=count)
    y0 = rng.integers(0, height - cut_h + 1)
    x0 = rng.integers(0, width - cut_w + 1)
    return np.stack([y0, y0 + cut_h, x0, x0 + cut_w], axis=1).astype(np.int64)


def box_areas(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 1] - boxes[:, 0]).clip(0) * (boxes[:, 3] - boxes[:, 2]).clip(0)


def units(rng: np.random.Generator, n: int, mode: str, strategy: str) -> tuple[np.ndarray, np.ndarray, int]:
    """``(partner, unit_of, count)``: images in one unit share their draws (one unit per batch, pair or image).

    In "pair" mode the two images of a pair are each other's partner. With an odd N, the odd one out
    (random with "permutation", the middle image with "flip") forms its own unit: with "permutation"
    it is mixed with a random other image (which keeps its own pair), with "flip" it stays unmixed.
    """
    if mode == "batch":
        return draw_partner(rng, n, strategy), np.zeros(n, np.int64), 1
    if mode == "elem":
        return draw_partner(rng, n, strategy), np.arange(n, dtype=np.int64), n
    half = n // 2
    order = rng.permutation(n).astype(np.int64) if strategy == "permutation" else None
    if order is None:
        first, second = np.arange(half), np.arange(n - 1, n - 1 - half, -1)
        odd = half
    else:
        first, second = order[0 : 2 * half : 2], order[1 : 2 * half : 2]
        odd = int(order[-1])
    partner = np.arange(n, dtype=np.int64)
    unit_of = np.empty(n, np.int64)
    partner[first], partner[second] = second, first
    unit_of[first] = unit_of[second] = np.arange(half)
    if n % 2:
        unit_of[odd] = half
        if order is not None and n > 1:
            partner[odd] = order[rng.integers(0, n - 1)]
    return partner, unit_of, half + n % 2


# ---------------------------------------------------------------------- the shared mixer
class _BoxBlend(BatchMixer):
    """MixUp and CutMix machinery; the public classes set the private configuration in ``__init__``."""

    _mixup_alpha: float
    _cutmix_alpha: float
    _minmax: tuple[float, float] | None
    _switch: float
    _prob: float
    _mode: str
    _correct: bool

    def _configure(
        self,
        mixup_alpha: float,
        cutmix_alpha: float,
        minmax: object,
        switch_prob: float,
        prob: object,
        mode: object,
        correct_lam: object,
        minmax_name: str = "cutmix_minmax",
        inplace: object = False,
    ) -> None:
        owner = type(self).__name__
        self._inplace = as_bool(owner, "inplace", inplace)
        self._mixup_alpha = mixup_alpha
        self._cutmix_alpha = cutmix_alpha
        self._minmax = None if minmax is None else check_minmax(owner, minmax_name, minmax)
        self._switch = switch_prob
        self._prob = as_probability(owner, "prob", prob)
        self._mode = as_choice(owner, "mode", mode, MODES)
        self._correct = as_bool(owner, "correct_lam", correct_lam)

    def _cutmix_on(self) -> bool:
        return self._cutmix_alpha > 0.0 or self._minmax is not None

    def blends(self) -> bool:
        return self._mixup_alpha > 0.0

    def sample(self, rng: np.random.Generator, n: int, height: int, width: int) -> dict[str, Any]:
        """Draw partners, methods, weights and boxes (see the class docstring for the modes)."""
        if self._mode == "batch" and self._prob < 1.0 and rng.random() >= self._prob:
            return {"applied": False}
        partner, unit_of, count = units(rng, n, self._mode, self.partner)
        applied = np.ones(count, bool) if self._mode == "batch" or self._prob >= 1.0 else rng.random(count) < self._prob
        mixup_on, cutmix_on = self._mixup_alpha > 0.0, self._cutmix_on()
        use_cut = rng.random(count) < self._switch if mixup_on and cutmix_on else np.full(count, cutmix_on)
        lam_mix = rng.beta(self._mixup_alpha, self._mixup_alpha, count) if mixup_on else np.ones(count)
        boxes = np.zeros((count, 4), np.int64)
        lam_cut = np.ones(count)
        if cutmix_on:
            if self._minmax is not None:
                boxes = minmax_boxes(rng, height, width, self._minmax, count)
                lam_cut = 1.0 - box_areas(boxes) / (height * width)
            else:
                drawn = rng.beta(self._cutmix_alpha, self._cutmix_alpha, count)
                boxes = centred_boxes(rng, height, width, drawn)
                lam_cut = 1.0 - box_areas(boxes) / (height * width) if self._correct else drawn
        unit_cut = applied & use_cut
        unit_mix = applied & ~use_cut
        real = partner != np.arange(n)
        cut = unit_cut[unit_of] & real
        mix = unit_mix[unit_of] & real
        blend = np.where(mix, lam_mix[unit_of], 1.0)
        lam = np.where(mix, blend, np.where(cut, lam_cut[unit_of], 1.0))
        element_boxes = np.where(cut[:, None], boxes[unit_of], 0)
        partner = np.where(cut | mix, partner, np.arange(n))
        return {
            "applied": True,
            "partner": partner.tolist(),
            "blend": blend.tolist(),
            "boxes": element_boxes.tolist() if cut.any() else None,
            "lam": lam.tolist(),
        }

    def _mix(self, batch: Batch, masks: Masks | None, params: dict[str, Any], labels: Labels | None) -> Mixed:
        n = batch.n
        partner = np.asarray(params["partner"], np.int64).reshape(n)
        blend = np.asarray(params["blend"], np.float64).reshape(n)
        boxes = None if params.get("boxes") is None else np.asarray(params["boxes"], np.int64).reshape(n, 4)
        lam = np.asarray(params["lam"], np.float64).reshape(n)
        if partner.min() < 0 or partner.max() >= n:
            raise ValueError(f"partner indices must lie in [0, {n})")
        images = self._apply(batch.array, batch.first, partner, blend, boxes)
        mixed_masks = None if masks is None else self._apply(masks.array, masks.first, partner, blend, boxes)
        return Mixed(images, mixed_masks, lam, partner)

    def _apply(self, array: Any, first: int, partner: np.ndarray, blend: np.ndarray, boxes: np.ndarray | None) -> Any:
        return _kernels.blend_paste(array, partner, blend, boxes, first, inplace=self._inplace)


def check_minmax(owner: str, name: str, value: object) -> tuple[float, float]:
    """A ``(min, max)`` pair of box-side fractions with 0 < min <= max <= 1."""
    ok = isinstance(value, (list, tuple)) and len(value) == 2
    if ok:
        low = as_float(owner, name, value[0])  # type: ignore[index]
        high = as_float(owner, name, value[1])  # type: ignore[index]
        ok = 0.0 < low <= high <= 1.0
    if not ok:
        raise ArgumentError(
            f"{owner}: argument {name!r} expects None or a (min, max) pair with 0 < min <= max <= 1; got {describe(value)}"
        )
    return (low, high)


class Mix(_BoxBlend):
    """MixUp or CutMix, switched at random: all of timm's ``Mixup`` options, fixed where it goes wrong.

    Args:
        mixup_alpha: Beta(alpha, alpha) for mixup's weight; 0 turns mixup off.
        cutmix_alpha: Beta(alpha, alpha) for cutmix's area; 0 turns cutmix off (unless ``cutmix_minmax``).
        cutmix_minmax: ``(min, max)`` fractions of each side: box sides are drawn uniformly in that
            range and the weight always follows the box area (turns cutmix on).
        switch_prob: with both on, the chance of cutmix rather than mixup (per batch, pair or image).
        prob: the chance of mixing at all, per batch ("batch" mode) or per pair / image; unmixed images
            keep their pixels and get their own (smoothed) soft target.
        mode: "batch" (one draw for the batch), "pair" (one draw per pair of images, both mixed with
            each other) or "elem" (one draw per image).
        correct_lam: cutmix's label weight from the pasted area after clipping (timm's default); False
            keeps the drawn lambda.
        label_smoothing: targets are ``(1 - s) * one_hot + s / K`` before mixing (equal to smoothing after).
        num_classes: K, needed for class-index labels.
        partner: "permutation" (a random cyclic permutation per call) or "flip" (i with N-1-i, as timm).
        seed: makes the mixer own a generator that advances call by call; ``rng=`` overrides it.
        inplace: write the result into the images (and masks) passed in, as timm's ``Mixup`` does, and
            return them: the inputs are overwritten (each image still mixes with its partner's original
            pixels). Saves allocating and filling a new batch. Default False: outputs never alias inputs.

    Images: numpy (N, H, W, C) uint8/float or torch (N, C, H, W) on any device. uint8 mixup results
    on the CPU are within one level of the exact blend (two byte-table lookups and an add: exact where
    both pixels are equal, at most one level off elsewhere); on other devices they are rounded half to
    even. The label weight stays exact. Masks: (N, H, W) class maps are pasted
    with cutmix; mixup needs soft maps (numpy (N, H, W, K), torch (N, K, H, W)), which are blended.

    >>> import numpy as np
    >>> mix = Mix(mixup_alpha=0.0, cutmix_alpha=1.0, num_classes=2)
    >>> out, targets, rec = mix(np.zeros((2, 4, 6, 1), np.uint8), np.array([0, 1]), rng=1, record=True)
    >>> sorted(rec["params"])
    ['applied', 'blend', 'boxes', 'lam', 'partner']
    """

    def __init__(
        self,
        mixup_alpha: float = 0.8,
        cutmix_alpha: float = 1.0,
        cutmix_minmax: Sequence[float] | None = None,
        switch_prob: float = 0.5,
        prob: float = 1.0,
        mode: str = "batch",
        correct_lam: bool = True,
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
        inplace: bool = False,
    ) -> None:
        owner = type(self).__name__
        self.mixup_alpha = check_alpha(owner, "mixup_alpha", mixup_alpha, allow_zero=True)
        self.cutmix_alpha = check_alpha(owner, "cutmix_alpha", cutmix_alpha, allow_zero=True)
        self.switch_prob = as_probability(owner, "switch_prob", switch_prob)
        self._configure(
            self.mixup_alpha, self.cutmix_alpha, cutmix_minmax, self.switch_prob, prob, mode, correct_lam, inplace=inplace
        )
        self.inplace = self._inplace
        self.cutmix_minmax = self._minmax
        self.prob, self.mode, self.correct_lam = self._prob, self._mode, self._correct
        if self.mixup_alpha <= 0.0 and not self._cutmix_on():
            raise ArgumentError(f"{owner}: both methods are off; set mixup_alpha > 0, cutmix_alpha > 0 or cutmix_minmax")
        self._set_common(label_smoothing, num_classes, partner, seed)
