"""Pixel-level colour transforms: masks, boxes and keypoints pass through unchanged.

>>> import numpy as np, augkit as ak
>>> t = ak.image.RandomBrightnessContrast(brightness=0.1, contrast=0.0, p=1.0)
>>> t(image=np.full((1, 1), 100, np.uint8), rng=0)["image"].tolist()
[[126]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_range
from augkit.image import functional as F

__all__ = ["RandomBrightnessContrast"]

Params = dict[str, Any]


class RandomBrightnessContrast(PixelTransform):
    """Scale contrast and shift brightness: ``out = (1 + c) * image + b * max_value``.

    Args:
        brightness: range of ``b``, as a fraction of full intensity (a single value is exact).
        contrast: range of ``c`` (``0`` keeps contrast; ``-0.2`` lowers it by 20 %).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomBrightnessContrast(brightness=(-0.2, 0.2), contrast=0.1, p=0.8)
    """

    has_random_params = True

    def __init__(
        self,
        brightness: float | Sequence[float] = (-0.2, 0.2),
        contrast: float | Sequence[float] = (-0.2, 0.2),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.brightness = as_range(owner, "brightness", brightness, low=-1.0, high=1.0)
        self.contrast = as_range(owner, "contrast", contrast, low=-1.0)

    @classmethod
    def example(cls) -> RandomBrightnessContrast:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        b_low, b_high = self.brightness
        c_low, c_high = self.contrast
        return {
            "alpha": 1.0 + c_low + (c_high - c_low) * rng.random(),
            "beta": b_low + (b_high - b_low) * rng.random(),
        }

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.brightness_contrast(image, params["alpha"], params["beta"])
