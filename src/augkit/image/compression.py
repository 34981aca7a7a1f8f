"""Compression and resampling artifacts: ``JpegCompression``, ``WebPCompression``, ``Downscale`` and
``RingingOvershoot`` (pixel transforms: the image keeps its size; masks, boxes and keypoints pass
through). Kernels live in :mod:`augkit.image.functional.compression`.

>>> import numpy as np, augkit as ak
>>> t = ak.image.JpegCompression(quality_range=(40, 60), p=1.0)
>>> t(image=np.zeros((16, 16, 3), np.uint8), rng=0)["image"].shape
(16, 16, 3)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_choice, as_int_range, as_range
from augkit.image.functional import compression as F
from augkit.image.functional._cv import INTERPOLATIONS

__all__ = ["Downscale", "JpegCompression", "RingingOvershoot", "WebPCompression"]

Params = dict[str, Any]
_NEAREST_PAIR: Mapping[str, str] = MappingProxyType({"downscale": "nearest", "upscale": "nearest"})


def _open_low_range(owner: str, name: str, value: object, high: float) -> tuple[float, float]:
    """A range in (0, high]."""
    low, top = as_range(owner, name, value, low=0.0, high=high)
    if low <= 0.0:
        raise ArgumentError(
            f"{owner}: argument {name!r} expects a number or a (min, max) pair of numbers in (0, {high}]; got {describe(value)}"
        )
    return (low, top)


class _Codec(PixelTransform):
    """Encode and decode at a random integer quality."""

    _abstract = True
    has_random_params = True

    def __init__(self, quality_range: int | Sequence[int] = (99, 100), p: float = 0.5) -> None:
        super().__init__(p)
        self.quality_range = as_int_range(type(self).__name__, "quality_range", quality_range, low=1, high=100)

    @classmethod
    def example(cls) -> _Codec:
        return cls(quality_range=(50, 95), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        low, high = self.quality_range
        return {"quality": int(rng.integers(low, high + 1))}


class JpegCompression(_Codec):
    """JPEG artifacts: encode and decode with OpenCV (libjpeg, 4:2:0 chroma) at a random quality.

    Args:
        quality_range: range of the integer quality, in [1, 100] (100 is nearly lossless).

    Three channels are taken as RGB; uint16 and float32 images are quantized to 256 levels on the
    way; other channel counts go in groups of three (RGB) plus single grey channels (see
    :mod:`augkit.image.functional.compression`).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.JpegCompression(quality_range=(30, 90), p=0.5)
    """

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.jpeg_compression(image, params["quality"])


class WebPCompression(_Codec):
    """WebP artifacts: encode and decode with OpenCV (libwebp, lossy) at a random quality.

    Args:
        quality_range: range of the integer quality, in [1, 100]. WebP subsamples colour even at
            quality 100, so colour edges always change a little; encoding is far slower than JPEG.

    Channels and dtypes are handled as by :class:`JpegCompression`.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.WebPCompression(quality_range=(30, 90), p=0.5)
    """

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.webp_compression(image, params["quality"])


class Downscale(PixelTransform):
    """Lose resolution: shrink by a random ``scale`` and enlarge back to the original size.

    Args:
        scale_range: range of the shrink factor, in (0, 1] (the small side is ``floor(side * scale)``,
            at least 1 pixel).
        interpolation_pair: ``{"downscale": name, "upscale": name}``, interpolation names as in
            ``augkit.image.functional.INTERPOLATIONS`` ("nearest", "linear", "cubic", "area", ...).

    Example:
        >>> import augkit as ak
        >>> pair = {"downscale": "area", "upscale": "linear"}
        >>> t = ak.image.Downscale(scale_range=(0.25, 0.5), interpolation_pair=pair)
    """

    has_random_params = True

    def __init__(
        self,
        scale_range: float | Sequence[float] = (0.25, 0.25),
        interpolation_pair: Mapping[str, str] = _NEAREST_PAIR,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.scale_range = _open_low_range(owner, "scale_range", scale_range, 1.0)
        pair = interpolation_pair
        if not isinstance(pair, Mapping) or set(pair) != {"downscale", "upscale"}:
            raise ArgumentError(
                f"{owner}: argument 'interpolation_pair' expects a dict with keys 'downscale' and 'upscale'; got {describe(pair)}"
            )
        self.interpolation_pair = {
            key: as_choice(owner, f"interpolation_pair[{key!r}]", pair[key], INTERPOLATIONS) for key in ("downscale", "upscale")
        }

    @classmethod
    def example(cls) -> Downscale:
        return cls(scale_range=(0.25, 0.5), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"scale": uniform(rng, self.scale_range)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        pair = self.interpolation_pair
        return F.downscale(image, params["scale"], pair["downscale"], pair["upscale"])


class RingingOvershoot(PixelTransform):
    """Ringing and overshoot near edges from a 2-D sinc low-pass filter (Albumentations' ``RingingOvershoot``).

    Args:
        blur_limit: range of the kernel size; an odd size in it is drawn uniformly (sizes >= 3).
        cutoff: range of the cut-off frequency in radians per pixel, in (0, pi]; lower cut-offs
            ring more.

    The kernel is :func:`augkit.image.functional.compression.sinc_kernel`; results are rounded and
    saturated (float images clipped to [0, 1]).

    Example:
        >>> import math, augkit as ak
        >>> t = ak.image.RingingOvershoot(blur_limit=(7, 15), cutoff=(math.pi / 4, math.pi / 2), p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        blur_limit: int | Sequence[int] = (7, 15),
        cutoff: float | Sequence[float] = (math.pi / 4, math.pi / 2),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        low, high = as_int_range(owner, "blur_limit", blur_limit, low=3)
        if low == high and low % 2 == 0:
            raise ArgumentError(
                f"{owner}: argument 'blur_limit' expects a range holding an odd kernel size; got {describe(blur_limit)}"
            )
        self.blur_limit = (low, high)
        self.cutoff = _open_low_range(owner, "cutoff", cutoff, math.pi)

    @classmethod
    def example(cls) -> RingingOvershoot:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        low, high = self.blur_limit
        sizes = range(low | 1, high + 1, 2)
        return {"ksize": int(sizes[int(rng.integers(len(sizes)))]), "cutoff": uniform(rng, self.cutoff)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.ringing_overshoot(image, params["ksize"], params["cutoff"])
