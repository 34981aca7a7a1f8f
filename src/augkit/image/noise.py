"""Noise and sensor transforms: ``GaussianNoise``, ``ISONoise``, ``SaltAndPepper``,
``MultiplicativeNoise`` and ``ShotNoise`` (pixel transforms: masks, boxes and keypoints pass through).

Each call draws a few numbers and an integer seed; the noise field is rebuilt from the seed in the
kernel (:mod:`augkit.image.functional.noise`), so records stay small and replay is bit-exact.
Strengths follow Albumentations 2.0.8 and are fractions of full intensity (255, 65535 or 1.0).

>>> import numpy as np, augkit as ak
>>> t = ak.image.GaussianNoise(std_range=0.1, p=1.0)
>>> out = t(image=np.full((64, 64, 3), 0.5, np.float32), rng=0)["image"]
>>> round(float(out.std()), 2)
0.1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import draw_seed, uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_bool, as_float, as_range
from augkit.image.functional import noise as N

__all__ = ["GaussianNoise", "ISONoise", "MultiplicativeNoise", "SaltAndPepper", "ShotNoise"]

Params = dict[str, Any]


def _positive_range(owner: str, name: str, value: object, high: float | None = None) -> tuple[float, float]:
    """A range of numbers > 0 (and <= ``high``)."""
    low, top = as_range(owner, name, value, low=0.0, high=high)
    if low <= 0.0:
        limit = f"in (0, {high}]" if high is not None else "> 0"
        raise ArgumentError(
            f"{owner}: argument {name!r} expects a number or a (min, max) pair of numbers {limit}; got {describe(value)}"
        )
    return (low, top)


def _channel_count(state: State) -> int:
    """Channels of the image (or frame stack) in this call; 1 for 2-D images."""
    if state.image is not None:
        return state.image.shape[2] if state.image.ndim == 3 else 1
    if state.images is not None:
        return state.images.shape[3] if state.images.ndim == 4 else 1
    return 1


class GaussianNoise(PixelTransform):
    """Add Gaussian noise (Albumentations' ``GaussNoise``): std and mean are fractions of full intensity.

    Args:
        std_range: range of the noise standard deviation, in [0, 1] (0.1 = 10 % of 255 for uint8).
        mean_range: range of the noise mean, in [-1, 1].
        per_channel: independent noise in every channel; False adds one noise plane to all channels.
        noise_scale_factor: in (0, 1]; below 1 the noise is drawn on a grid that many times smaller and
            resized bilinearly (faster, spatially correlated "blotchy" noise).

    Values are quantized normal draws (65536 levels, tails cut at 4.32 sigma; see
    :func:`augkit.image.functional.noise.normal_table`); results saturate at the dtype's limits.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.GaussianNoise(std_range=(0.05, 0.15), per_channel=False, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        std_range: float | Sequence[float] = (0.2, 0.44),
        mean_range: float | Sequence[float] = (0.0, 0.0),
        per_channel: bool = True,
        noise_scale_factor: float = 1.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.std_range = as_range(owner, "std_range", std_range, low=0.0, high=1.0)
        self.mean_range = as_range(owner, "mean_range", mean_range, low=-1.0, high=1.0)
        self.per_channel = as_bool(owner, "per_channel", per_channel)
        factor = as_float(owner, "noise_scale_factor", noise_scale_factor, low=0.0, high=1.0)
        if factor <= 0.0:
            raise ArgumentError(
                f"{owner}: argument 'noise_scale_factor' expects a number in (0, 1]; got {describe(noise_scale_factor)}"
            )
        self.noise_scale_factor = factor

    @classmethod
    def example(cls) -> GaussianNoise:
        return cls(std_range=(0.05, 0.2), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"std": uniform(rng, self.std_range), "mean": uniform(rng, self.mean_range), "seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return N.gaussian_noise(image, params["std"], params["mean"], params["seed"], self.per_channel, self.noise_scale_factor)


class ISONoise(PixelTransform):
    """Camera sensor noise at high ISO: random hue shifts and Poisson lightness noise (RGB images).

    Follows Albumentations' ``ISONoise`` model in HLS: hue gets normal noise of std
    ``color_shift * 360 * intensity`` degrees; lightness ``L`` gains ``n / 255 * (1 - L)`` with
    ``n ~ Poisson(std(L) * 255 * intensity)``. Needs exactly 3 channels in RGB order.

    Args:
        color_shift: range of the hue noise, as a fraction of the hue circle, in [0, 1].
        intensity: range of the overall strength (>= 0), scaling both hue and lightness noise.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.ISONoise(color_shift=(0.01, 0.05), intensity=(0.1, 0.5), p=0.5)
    """

    has_random_params = True
    image_channels = (3,)

    def __init__(
        self,
        color_shift: float | Sequence[float] = (0.01, 0.05),
        intensity: float | Sequence[float] = (0.1, 0.5),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.color_shift = as_range(owner, "color_shift", color_shift, low=0.0, high=1.0)
        self.intensity = as_range(owner, "intensity", intensity, low=0.0)

    @classmethod
    def example(cls) -> ISONoise:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"color_shift": uniform(rng, self.color_shift), "intensity": uniform(rng, self.intensity), "seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return N.iso_noise(image, params["color_shift"], params["intensity"], params["seed"])


class SaltAndPepper(PixelTransform):
    """Set random pixels to full intensity (salt) or 0 (pepper); all channels of a pixel change together.

    Args:
        amount: range of the share of pixels changed, in [0, 1].
        salt_vs_pepper: range of the share of changed pixels that become salt, in [0, 1].

    Example:
        >>> import augkit as ak
        >>> t = ak.image.SaltAndPepper(amount=(0.01, 0.06), salt_vs_pepper=0.5, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        amount: float | Sequence[float] = (0.01, 0.06),
        salt_vs_pepper: float | Sequence[float] = (0.4, 0.6),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.amount = as_range(owner, "amount", amount, low=0.0, high=1.0)
        self.salt_vs_pepper = as_range(owner, "salt_vs_pepper", salt_vs_pepper, low=0.0, high=1.0)

    @classmethod
    def example(cls) -> SaltAndPepper:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"amount": uniform(rng, self.amount), "salt_ratio": uniform(rng, self.salt_vs_pepper), "seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return N.salt_and_pepper(image, params["amount"], params["salt_ratio"], params["seed"])


class MultiplicativeNoise(PixelTransform):
    """Multiply the image by random factors (Albumentations' ``MultiplicativeNoise``).

    Args:
        multiplier: range of the factors (>= 0).
        per_channel: a factor per channel rather than one shared by all channels.
        elementwise: a factor per pixel (a random field) rather than one for the whole image.

    Integer results are rounded and saturated; float results are clipped to [0, 1].

    Example:
        >>> import augkit as ak
        >>> t = ak.image.MultiplicativeNoise(multiplier=(0.9, 1.1), elementwise=True, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        multiplier: float | Sequence[float] = (0.9, 1.1),
        per_channel: bool = False,
        elementwise: bool = False,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.multiplier = as_range(owner, "multiplier", multiplier, low=0.0)
        self.per_channel = as_bool(owner, "per_channel", per_channel)
        self.elementwise = as_bool(owner, "elementwise", elementwise)

    @classmethod
    def example(cls) -> MultiplicativeNoise:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        if self.elementwise:
            return {"seed": draw_seed(rng)}
        count = _channel_count(state) if self.per_channel else 1
        return {"multipliers": [uniform(rng, self.multiplier) for _ in range(count)]}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        if self.elementwise:
            low, high = self.multiplier
            return N.multiplicative_noise(image, low, high, params["seed"], self.per_channel)
        return N.multiply(image, params["multipliers"])


class ShotNoise(PixelTransform):
    """Photon (Poisson) shot noise in linear light (Albumentations' ``ShotNoise``).

    The image (gamma 2.2 removed) counts photons: ``out = Poisson(x_lin / scale) * scale``, then the
    gamma is restored. Bright areas get more absolute noise, less relative noise; the mean is kept.

    Args:
        scale_range: range of ``scale``, the intensity of one photon (> 0); larger means more noise
            (0.1 mild, 1 strong).

    uint8 images take a fast exact path (per-grey-level inverse-CDF tables); uint16 and float32
    images use numpy's Poisson sampler and are several times slower.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.ShotNoise(scale_range=(0.1, 0.3), p=0.5)
    """

    has_random_params = True

    def __init__(self, scale_range: float | Sequence[float] = (0.1, 0.3), p: float = 0.5) -> None:
        super().__init__(p)
        self.scale_range = _positive_range(type(self).__name__, "scale_range", scale_range)

    @classmethod
    def example(cls) -> ShotNoise:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"scale": uniform(rng, self.scale_range), "seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return N.shot_noise(image, params["scale"], params["seed"])
