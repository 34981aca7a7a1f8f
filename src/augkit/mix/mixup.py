"""``MixUp`` (Zhang et al., ICLR 2018, arXiv 1710.09412): blend each image with a partner.

``x = lam * x_i + (1 - lam) * x_j`` and ``y = lam * y_i + (1 - lam) * y_j`` with ``lam ~ Beta(alpha, alpha)``.
The paper uses alpha = 0.2 on ImageNet and 1.0 on CIFAR; timm's DeiT recipe 0.8.

>>> import numpy as np
>>> from augkit.mix import MixUp
>>> images = np.stack([np.zeros((2, 3, 1)), np.ones((2, 3, 1))]).astype(np.float32)
>>> mixed, targets = MixUp(alpha=1.0, num_classes=2)(images, np.array([0, 1]), rng=0)
>>> bool(np.allclose(mixed[0], targets[0, 1]))  # the pixel value is the partner's weight
True
"""

from __future__ import annotations

from augkit.mix._base import check_alpha
from augkit.mix.mixing import _BoxBlend

__all__ = ["MixUp"]


class MixUp(_BoxBlend):
    """Blend each image with its partner; soft targets mixed with the same weight.

    Args:
        alpha: Beta(alpha, alpha) for the weight (> 0). Default 1.0 (the paper's CIFAR setting, torchvision's default).
        prob, mode, label_smoothing, num_classes, partner, seed, inplace: as in :class:`augkit.mix.Mix`
            (``inplace=True`` overwrites the images passed in).

    uint8 images on the CPU are blended by two byte-table lookups and an add: within one level of the
    exact blend (exact where the two pixels are equal); on other devices rounded half to even. The
    label weight stays exact, so use float images when that one level matters. Masks must be soft maps (they are blended too).

    >>> import numpy as np
    >>> out, targets = MixUp(num_classes=3, label_smoothing=0.3)(np.zeros((1, 2, 2, 3), np.uint8), np.array([2]), rng=0)
    >>> targets.astype(float).round(6).tolist()  # one image: mixed with itself, only smoothed
    [[0.1, 0.1, 0.8]]
    """

    def __init__(
        self,
        alpha: float = 1.0,
        prob: float = 1.0,
        mode: str = "batch",
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
        inplace: bool = False,
    ) -> None:
        self.alpha = check_alpha(type(self).__name__, "alpha", alpha)
        self._configure(self.alpha, 0.0, None, 0.0, prob, mode, True, inplace=inplace)
        self.inplace = self._inplace
        self.prob, self.mode = self._prob, self._mode
        self._set_common(label_smoothing, num_classes, partner, seed)
