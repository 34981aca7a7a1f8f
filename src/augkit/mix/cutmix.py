"""``CutMix`` (Yun et al., ICCV 2019, arXiv 1905.04899): paste a box of the partner into each image.

The box covers about ``(1 - lam) * H * W`` pixels, ``lam ~ Beta(alpha, alpha)`` (the paper: alpha = 1),
centred uniformly and clipped to the image; with ``correct_lam`` the label weight is the exact
unpasted fraction. ``minmax=(a, b)`` draws box sides directly as fractions of each side instead.

>>> import numpy as np
>>> from augkit.mix import CutMix
>>> images = np.stack([np.zeros((6, 10, 1)), np.ones((6, 10, 1))]).astype(np.float32)
>>> mixed, targets = CutMix(num_classes=2)(images, np.array([0, 1]), rng=3)
>>> bool(np.isclose(mixed[0].mean(), targets[0, 1]))  # pasted fraction == partner's weight
True
"""

from __future__ import annotations

from collections.abc import Sequence

from augkit.mix._base import check_alpha
from augkit.mix.mixing import _BoxBlend

__all__ = ["CutMix"]


class CutMix(_BoxBlend):
    """Paste a box of each image's partner; soft targets weighted by the pasted area.

    Args:
        alpha: Beta(alpha, alpha) for the area (> 0); default 1.0 as in the paper. Unused with ``minmax``.
        minmax: ``(min, max)`` fractions: box height uniform in ``[int(min * H), int(max * H)]``, width
            likewise, position uniform inside the image; the weight always follows the area.
        correct_lam: label weight from the pasted area after clipping (default); False keeps the drawn lambda.
        prob, mode, label_smoothing, num_classes, partner, seed: as in :class:`augkit.mix.Mix`.
        inplace: paste into the images (and masks) passed in, as timm does, and return them (the inputs
            are overwritten; boxes always come from the partners' original pixels). Default False.

    Masks: (N, H, W) class maps (or soft maps) are pasted with the same box.

    >>> import numpy as np
    >>> masks = np.zeros((2, 4, 4), np.int64); masks[1] = 1
    >>> out, _, out_masks = CutMix(minmax=(0.5, 0.5))(np.zeros((2, 4, 4, 3), np.uint8), masks=masks, rng=0)
    >>> int(out_masks[0].sum()), int((out_masks[1] == 0).sum())
    (4, 4)
    """

    def __init__(
        self,
        alpha: float = 1.0,
        minmax: Sequence[float] | None = None,
        prob: float = 1.0,
        mode: str = "batch",
        correct_lam: bool = True,
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
        inplace: bool = False,
    ) -> None:
        self.alpha = check_alpha(type(self).__name__, "alpha", alpha)
        self._configure(0.0, self.alpha, minmax, 0.0, prob, mode, correct_lam, minmax_name="minmax", inplace=inplace)
        self.inplace = self._inplace
        self.minmax = self._minmax
        self.prob, self.mode, self.correct_lam = self._prob, self._mode, self._correct
        self._set_common(label_smoothing, num_classes, partner, seed)
