"""Normalization: to the float input a network expects.

>>> import numpy as np, augkit as ak
>>> out = ak.image.Normalize(mean=0.5, std=0.5)(image=np.full((1, 1), 255, np.uint8))
>>> out["image"].tolist()
[[1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_float, as_float_tuple
from augkit.image import functional as F

__all__ = ["Normalize"]

Params = dict[str, Any]


class Normalize(PixelTransform):
    """``(image / max_pixel_value - mean) / std`` per channel; the output is float32.

    Args:
        mean, std: one value for all channels or one per channel (ImageNet statistics by default).
        max_pixel_value: full intensity of the input (default by dtype: 255, 65535 or 1.0).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Normalize()   # ImageNet mean and std, for uint8 RGB input
    """

    output_dtype = "float32"

    def __init__(
        self,
        mean: float | Sequence[float] = (0.485, 0.456, 0.406),
        std: float | Sequence[float] = (0.229, 0.224, 0.225),
        max_pixel_value: float | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.mean = as_float_tuple(owner, "mean", mean)
        self.std = as_float_tuple(owner, "std", std, positive=True)
        self.max_pixel_value = None if max_pixel_value is None else as_float(owner, "max_pixel_value", max_pixel_value, low=1e-12)
        if len(self.mean) != len(self.std) and 1 not in (len(self.mean), len(self.std)):
            raise ArgumentError(
                f"{owner}: arguments 'mean' and 'std' expect the same length; got {len(self.mean)} and {len(self.std)}"
            )

    @classmethod
    def example(cls) -> Normalize:
        return cls(mean=0.5, std=0.25)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        channels = 1 if image.ndim == 2 else image.shape[2]
        for name, values in (("mean", self.mean), ("std", self.std)):
            if len(values) not in (1, channels):
                raise TargetError(
                    f"Normalize: argument {name!r} has {len(values)} values but the image has {channels} "
                    f"channel(s); expected 1 or {channels} values"
                )
        top = self.max_pixel_value if self.max_pixel_value is not None else F.max_value(image.dtype)
        return F.normalize(image, self.mean, self.std, top)
