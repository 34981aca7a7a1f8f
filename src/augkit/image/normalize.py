"""Normalization and dtype conversion: to the float input a network expects, and back.

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
from augkit.core.validate import as_choice, as_float, as_float_tuple
from augkit.image import functional as F
from augkit.image.functional.normalize import NORMALIZATIONS, from_float, normalize_per_image, to_float

__all__ = ["FromFloat", "Normalize", "ToFloat"]

Params = dict[str, Any]


class Normalize(PixelTransform):
    """Normalize to float32: ``(image / max_pixel_value - mean) / std`` per channel, or with the
    image's own statistics (Albumentations' ``normalization`` modes).

    Args:
        mean, std: one value for all channels or one per channel (ImageNet statistics by default);
            used by ``normalization="standard"`` only.
        max_pixel_value: full intensity of the input (default by dtype: 255, 65535 or 1.0); used by
            ``"standard"`` only.
        normalization: ``"standard"`` (the given mean and std), ``"image"`` (``(x - mean) / std`` of the
            whole image), ``"image_per_channel"`` (each channel's own mean and std), ``"min_max"`` (the
            whole image to [0, 1]) or ``"min_max_per_channel"`` (each channel to [0, 1]). Per-image
            statistics use the population std; an image (or channel) whose std or range is below
            ``1e-6`` of full intensity counts as constant and becomes 0. Each frame of a stack uses
            its own statistics.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Normalize()   # ImageNet mean and std, for uint8 RGB input
        >>> t = ak.image.Normalize(normalization="image_per_channel")
    """

    output_dtype = "float32"

    def __init__(
        self,
        mean: float | Sequence[float] = (0.485, 0.456, 0.406),
        std: float | Sequence[float] = (0.229, 0.224, 0.225),
        max_pixel_value: float | None = None,
        normalization: str = "standard",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.mean = as_float_tuple(owner, "mean", mean)
        self.std = as_float_tuple(owner, "std", std, positive=True)
        self.max_pixel_value = None if max_pixel_value is None else as_float(owner, "max_pixel_value", max_pixel_value, low=1e-12)
        self.normalization = as_choice(owner, "normalization", normalization, ("standard", *NORMALIZATIONS))
        if len(self.mean) != len(self.std) and 1 not in (len(self.mean), len(self.std)):
            raise ArgumentError(
                f"{owner}: arguments 'mean' and 'std' expect the same length; got {len(self.mean)} and {len(self.std)}"
            )

    @classmethod
    def example(cls) -> Normalize:
        return cls(mean=0.5, std=0.25)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        if self.normalization != "standard":
            return normalize_per_image(image, self.normalization)
        channels = 1 if image.ndim == 2 else image.shape[2]
        for name, values in (("mean", self.mean), ("std", self.std)):
            if len(values) not in (1, channels):
                raise TargetError(
                    f"Normalize: argument {name!r} has {len(values)} values but the image has {channels} "
                    f"channel(s); expected 1 or {channels} values"
                )
        top = self.max_pixel_value if self.max_pixel_value is not None else F.max_value(image.dtype)
        return F.normalize(image, self.mean, self.std, top)


class ToFloat(PixelTransform):
    """Convert to float32 in [0, 1]: ``image / max_value``.

    Args:
        max_value: the input value that maps to 1.0 (default by dtype: 255, 65535 or 1.0; e.g. 4095 for
            12-bit data stored as uint16). Values above it map above 1.0 (not clipped).

    Example:
        >>> from augkit.image.normalize import ToFloat
        >>> t = ToFloat(max_value=4095)   # 12-bit data stored as uint16
        >>> [round(float(v), 6) for v in ToFloat()(image=np.array([[0, 51]], np.uint8))["image"].ravel()]
        [0.0, 0.2]
    """

    output_dtype = "float32"

    def __init__(self, max_value: float | None = None, p: float = 1.0) -> None:
        super().__init__(p)
        self.max_value = None if max_value is None else as_float(type(self).__name__, "max_value", max_value, low=1e-12)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return to_float(image, self.max_value)

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return to_float(images, self.max_value)


class FromFloat(PixelTransform):
    """Convert a float32 image in [0, 1] to uint8 or uint16: ``floor(image * max_value + 0.5)``,
    saturated to the dtype's range (the inverse of :class:`ToFloat`: the round trip is exact).

    Args:
        dtype: ``"uint8"`` or ``"uint16"``, the output dtype.
        max_value: the output value for 1.0 (default: the dtype's full intensity, 255 or 65535).

    The input must be float32 (convert integer images with :class:`ToFloat` first).

    Example:
        >>> from augkit.image.normalize import FromFloat
        >>> t = FromFloat(dtype="uint16")
        >>> FromFloat()(image=np.array([[0.5, 1.5]], np.float32))["image"].tolist()
        [[128, 255]]
    """

    image_dtypes = ("float32",)

    def __init__(self, dtype: str = "uint8", max_value: float | None = None, p: float = 1.0) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.dtype = as_choice(owner, "dtype", dtype, ("uint8", "uint16"))
        self.max_value = None if max_value is None else as_float(owner, "max_value", max_value, low=1e-12)

    @property
    def output_dtype(self) -> str:  # depends on the argument, so read from the instance
        return self.dtype

    @output_dtype.setter
    def output_dtype(self, value: str) -> None:
        raise AttributeError("FromFloat.output_dtype follows the 'dtype' argument")

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return from_float(image, self.dtype, self.max_value)

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return from_float(images, self.dtype, self.max_value)
