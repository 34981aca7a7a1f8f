"""Pixel-level colour transforms: masks, boxes and keypoints pass through unchanged.

Factor transforms follow torchvision's definitions (``Brightness``, ``Contrast``, ``Saturation``,
``Hue``; ``ColorJitter`` also takes torchvision's arguments); ``HueSaturationValue`` and ``RGBShift``
take Albumentations' 2.0.8 units (8-bit levels) and make the same change on every dtype. A
range argument ``(low, high)`` is drawn uniformly; a single number means exactly that value.

>>> import numpy as np, augkit as ak
>>> t = ak.image.RandomBrightnessContrast(brightness=0.1, contrast=0.0, p=1.0)
>>> t(image=np.full((1, 1), 100, np.uint8), rng=0)["image"].tolist()
[[126]]
>>> ak.image.Hue(hue=1 / 3, p=1.0)(image=np.array([[[255, 0, 0]]], np.uint8))["image"].tolist()
[[[0, 255, 0]]]
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform, Transform
from augkit.core.validate import as_bool, as_choice, as_fill, as_float, as_int, as_int_range, as_range
from augkit.image.functional import channels as FC
from augkit.image.functional import color as FK

__all__ = [
    "Brightness",
    "ChannelDropout",
    "ChannelShift",
    "ChannelShuffle",
    "ColorJitter",
    "Contrast",
    "Hue",
    "HueSaturationValue",
    "PlanckianJitter",
    "RGBShift",
    "RandomBrightnessContrast",
    "Saturation",
    "ToGray",
    "ToSepia",
]

Params = dict[str, Any]
Range = tuple[float, float]


def _channel_count(state: State) -> int:
    image = state.image if state.image is not None else state.images
    assert image is not None
    rank = image.ndim - (state.image is None)
    return int(image.shape[-1]) if rank == 3 else 1


class _Pointwise(PixelTransform):
    """Each output pixel depends on its input pixel only: a frame stack is processed in one call."""

    _abstract = True

    @classmethod
    def example(cls) -> PixelTransform:
        return cls(p=1.0)

    def apply_images(self, images: np.ndarray, params: Params, /) -> np.ndarray:
        out = self.apply_image(images.reshape((-1, *images.shape[2:])), params)
        return out.reshape(images.shape[:3] + out.shape[2:])


class RandomBrightnessContrast(_Pointwise):
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

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        b_low, b_high = self.brightness
        c_low, c_high = self.contrast
        return {
            "alpha": 1.0 + c_low + (c_high - c_low) * rng.random(),
            "beta": b_low + (b_high - b_low) * rng.random(),
        }

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FK.brightness_contrast(image, params["alpha"], params["beta"])


class _Factor(_Pointwise):
    """One factor drawn from the range stored under ``_argument``, passed to the kernel of that name."""

    _abstract = True
    has_random_params = True
    _argument: ClassVar[str]

    def _set_range(self, value: object, low: float, high: float | None = None) -> None:
        setattr(self, self._argument, as_range(type(self).__name__, self._argument, value, low=low, high=high))

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"factor": uniform(rng, getattr(self, self._argument))}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        kernel = getattr(FK, self._argument)
        return kernel(image, params["factor"])


class Brightness(_Factor):
    """Multiply intensities by a random factor: ``out = factor * image``, saturated (torchvision's
    brightness). Any channel count; uint8 goes through one lookup table.

    Args:
        brightness: range of the factor (``0`` gives black, ``1`` keeps the image). A single number is
            exactly that factor: ``Brightness(brightness=1.2)`` always multiplies by 1.2 (unlike
            ``ColorJitter(brightness=0.2)``, which draws from [0.8, 1.2] as torchvision does).

    Example:
        >>> t = Brightness(brightness=(0.7, 1.3), p=1.0)
    """

    _argument = "brightness"

    def __init__(self, brightness: float | Sequence[float] = (0.8, 1.2), p: float = 0.5) -> None:
        super().__init__(p)
        self._set_range(brightness, 0.0)


class Contrast(_Factor):
    """Blend with the mean grey level: ``out = factor * image + (1 - factor) * mean``, saturated
    (torchvision's contrast). The mean is that of the ITU-R 601-2 luma for RGB images and the mean
    over all pixels and channels for any other channel count; each frame of a stack uses its own.

    Args:
        contrast: range of the factor (``0`` gives a flat grey image, ``1`` keeps it); a single
            number is exactly that factor.

    Example:
        >>> t = Contrast(contrast=(0.5, 1.5), p=1.0)
    """

    _argument = "contrast"
    apply_images = Transform.apply_images  # the mean is per frame

    def __init__(self, contrast: float | Sequence[float] = (0.8, 1.2), p: float = 0.5) -> None:
        super().__init__(p)
        self._set_range(contrast, 0.0)


class Saturation(_Factor):
    """Blend an RGB image with its grey version: ``out = factor * image + (1 - factor) * luma``
    (torchvision's saturation; ``0`` gives grey, ``2`` doubles the colourfulness). RGB images only.

    Args:
        saturation: range of the factor; a single number is exactly that factor.

    Example:
        >>> t = Saturation(saturation=(0.5, 1.5), p=1.0)
    """

    _argument = "saturation"
    image_channels = (3,)

    def __init__(self, saturation: float | Sequence[float] = (0.8, 1.2), p: float = 0.5) -> None:
        super().__init__(p)
        self._set_range(saturation, 0.0)


class Hue(_Factor):
    """Turn the HSV hue by a fraction of a full turn (torchvision's hue; ``1/3`` maps red to green),
    keeping saturation and value. Exact on every dtype (uint8: the float64 result rounded). RGB only.

    Args:
        hue: range of the turn, within [-0.5, 0.5]; a single number is exactly that turn.

    Example:
        >>> t = Hue(hue=(-0.05, 0.05), p=1.0)
    """

    _argument = "hue"
    image_channels = (3,)

    def __init__(self, hue: float | Sequence[float] = (-0.1, 0.1), p: float = 0.5) -> None:
        super().__init__(p)
        self._set_range(hue, -0.5, 0.5)


_JITTER_NAMES = ("brightness", "contrast", "saturation", "hue")


def _jitter_range(owner: str, name: str, value: object) -> tuple[float | tuple[float, float], Range]:
    """torchvision's ColorJitter argument: the stored value and the range it means."""
    is_hue = name == "hue"
    if isinstance(value, (list, tuple)):
        pair = as_range(owner, name, value, low=-0.5 if is_hue else 0.0, high=0.5 if is_hue else None)
        return pair, pair
    if not isinstance(value, Real) or isinstance(value, bool):
        expected = "a number in [0, 0.5] or a (min, max) pair in [-0.5, 0.5]" if is_hue else "a number >= 0 or a pair"
        raise ArgumentError(f"{owner}: argument {name!r} expects {expected}; got {describe(value)}")
    number = as_float(owner, name, value, low=0.0, high=0.5 if is_hue else None)
    return number, ((-number, number) if is_hue else (max(0.0, 1.0 - number), 1.0 + number))


class ColorJitter(PixelTransform):
    """Brightness, contrast, saturation and hue changes in a random order, with torchvision's
    arguments: a number ``x`` means factors in ``[max(0, 1 - x), 1 + x]`` (hue: turns in ``[-x, x]``,
    ``x <= 0.5``), a pair is the range itself; ``0`` switches a step off. The order and the factors
    are drawn per call (params ``order``, and one factor per step).

    Each step is the kernel of ``Brightness``, ``Contrast``, ``Saturation`` or ``Hue``; uint8
    brightness and contrast steps in a row are fused into one lookup table. On images that are not
    RGB, saturation and hue are skipped (as torchvision leaves grey images alike).

    Args:
        brightness, contrast, saturation: ``x >= 0`` or a ``(min, max)`` range of factors.
        hue: ``x`` in [0, 0.5] or a ``(min, max)`` range within [-0.5, 0.5].

    Example:
        >>> t = ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)
    """

    has_random_params = True

    def __init__(
        self,
        brightness: float | Sequence[float] = 0.0,
        contrast: float | Sequence[float] = 0.0,
        saturation: float | Sequence[float] = 0.0,
        hue: float | Sequence[float] = 0.0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        ranges: dict[str, Range] = {}
        for name, value in zip(_JITTER_NAMES, (brightness, contrast, saturation, hue), strict=True):
            stored, ranges[name] = _jitter_range(owner, name, value)
            setattr(self, name, stored)
        neutral = {"brightness": 1.0, "contrast": 1.0, "saturation": 1.0, "hue": 0.0}
        self._ranges = {name: ranges[name] for name in _JITTER_NAMES if ranges[name] != (neutral[name],) * 2}

    @classmethod
    def example(cls) -> ColorJitter:
        return cls(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        steps = list(self._ranges)
        params: Params = {"order": [steps[int(i)] for i in rng.permutation(len(steps))]}
        for name in steps:
            params[name] = uniform(rng, self._ranges[name])
        return params

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        factors = {name: params[name] for name in params["order"]}
        return FK.color_jitter(image, params["order"], **factors)


class HueSaturationValue(_Pointwise):
    """Shift hue, saturation and value (HSV) by random amounts, in Albumentations' 8-bit units.

    ``hue_shift`` is in OpenCV's 8-bit hue units (1 unit = 2 degrees, circular), ``sat_shift`` and
    ``val_shift`` in levels of 255 (``25.5`` adds 10 % of the full range), clipped; grey pixels stay
    grey. uint8 goes through OpenCV's 8-bit HSV as in Albumentations, with 256 hue steps instead of
    180 (a few levels from the exact result; ``functional.color.shift_hsv(..., exact=True)`` is
    exact); uint16 and float32 are exact and get the same colour change (Albumentations 2.0.8 adds
    the raw numbers to float images instead). A single number means exactly that shift
    (Albumentations reads ``x`` as ``(-x, x)``). RGB images only.

    Example:
        >>> t = HueSaturationValue(hue_shift=(-10, 10), sat_shift=(-20, 20), val_shift=0)
    """

    has_random_params = True
    image_channels = (3,)

    def __init__(
        self,
        hue_shift: float | Sequence[float] = (-20, 20),
        sat_shift: float | Sequence[float] = (-30, 30),
        val_shift: float | Sequence[float] = (-20, 20),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.hue_shift = as_range(owner, "hue_shift", hue_shift, low=-180.0, high=180.0)
        self.sat_shift = as_range(owner, "sat_shift", sat_shift, low=-255.0, high=255.0)
        self.val_shift = as_range(owner, "val_shift", val_shift, low=-255.0, high=255.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {name: uniform(rng, getattr(self, name)) for name in ("hue_shift", "sat_shift", "val_shift")}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FK.shift_hsv(image, 2.0 * params["hue_shift"], params["sat_shift"] / 255.0, params["val_shift"] / 255.0)


class RGBShift(_Pointwise):
    """Add a random constant to each of R, G and B, in levels of 255 (Albumentations' units), saturated;
    uint16 and float32 images get the same fraction of their range (``20`` adds 20/255 of it).
    Integer images add whole levels (rounded half up). RGB images only.

    Example:
        >>> t = RGBShift(r_shift=(-20, 20), g_shift=0, b_shift=(-10, 30))
    """

    has_random_params = True
    image_channels = (3,)

    def __init__(
        self,
        r_shift: float | Sequence[float] = (-20, 20),
        g_shift: float | Sequence[float] = (-20, 20),
        b_shift: float | Sequence[float] = (-20, 20),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.r_shift = as_range(owner, "r_shift", r_shift, low=-255.0, high=255.0)
        self.g_shift = as_range(owner, "g_shift", g_shift, low=-255.0, high=255.0)
        self.b_shift = as_range(owner, "b_shift", b_shift, low=-255.0, high=255.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"shifts": [uniform(rng, bounds) for bounds in (self.r_shift, self.g_shift, self.b_shift)]}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FC.shift_channels(image, [value / 255.0 for value in params["shifts"]])


class ChannelShift(_Pointwise):
    """Add a random constant to every channel (any channel count), as a fraction of full intensity,
    saturated; integer images add whole levels (rounded half up).

    Args:
        shift: range of the shift, within [-1, 1] (``0.08`` adds 8 % of the full range).
        per_channel: draw one shift per channel (True) or one for all channels (False).

    Example:
        >>> t = ChannelShift(shift=(-0.1, 0.1), per_channel=False)
    """

    has_random_params = True

    def __init__(self, shift: float | Sequence[float] = (-0.08, 0.08), per_channel: bool = True, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.shift = as_range(owner, "shift", shift, low=-1.0, high=1.0)
        self.per_channel = as_bool(owner, "per_channel", per_channel)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        count = _channel_count(state) if self.per_channel else 1
        return {"shifts": [uniform(rng, self.shift) for _ in range(count)]}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        shifts = params["shifts"]
        return FC.shift_channels(image, shifts if self.per_channel else shifts[0])


class ChannelShuffle(_Pointwise):
    """Permute the channels randomly (any channel count; one channel stays as it is).

    Example:
        >>> t = ChannelShuffle(p=0.3)
    """

    has_random_params = True

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"order": [int(i) for i in rng.permutation(_channel_count(state))]}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FC.shuffle_channels(image, params["order"])


class ChannelDropout(_Pointwise):
    """Set a random number of randomly chosen channels to ``fill``; never all of them (the count is
    capped at channels - 1, so a single-channel image passes unchanged).

    Args:
        channel_drop_range: ``(min, max)`` number of channels to drop (>= 1); one integer is exact.
        fill: the value of dropped channels, in the image's units (e.g. 0 to 255 for uint8).

    Example:
        >>> t = ChannelDropout(channel_drop_range=(1, 2), fill=128)
    """

    has_random_params = True

    def __init__(self, channel_drop_range: int | Sequence[int] = (1, 1), fill: float = 0, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.channel_drop_range = as_int_range(owner, "channel_drop_range", channel_drop_range, low=1)
        fill_value = as_fill(owner, "fill", fill)
        if not isinstance(fill_value, float):
            raise ArgumentError(f"{owner}: argument 'fill' expects one number; got {describe(fill)}")
        self.fill = fill_value

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        count = _channel_count(state)
        low, high = self.channel_drop_range
        drop = min(int(rng.integers(low, high + 1)), count - 1)
        return {"channels": sorted(int(i) for i in rng.permutation(count)[:drop])}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FC.drop_channels(image, params["channels"], self.fill)


class ToGray(_Pointwise):
    """Convert an RGB image to grey, repeated over ``num_output_channels`` channels (3 by default, so
    the channel count is kept; another count changes the image's shape). RGB images only.

    Args:
        num_output_channels: channels of the output (>= 1).
        method: ``weighted_average`` (ITU-R 601-2 luma), ``from_lab`` (CIELAB L*), ``desaturation``
            ((max + min) / 2), ``average``, ``max`` or ``pca`` (first principal component of the
            image's colours, stretched to the full range); see ``functional.channels.to_gray``.

    Example:
        >>> t = ToGray(method="from_lab", p=1.0)
    """

    image_channels = (3,)

    def __init__(self, num_output_channels: int = 3, method: str = "weighted_average", p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.num_output_channels = as_int(owner, "num_output_channels", num_output_channels, low=1)
        self.method = as_choice(owner, "method", method, FC.GRAY_METHODS)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FC.to_gray(image, self.method, self.num_output_channels)

    def apply_images(self, images: np.ndarray, params: Params, /) -> np.ndarray:
        if self.method == "pca":  # statistics per frame
            return np.stack([self.apply_image(frame, params) for frame in images])
        return super().apply_images(images, params)


class ToSepia(_Pointwise):
    """Apply the classic sepia tone matrix to an RGB image (saturated). RGB images only.

    Example:
        >>> t = ToSepia(p=1.0)
    """

    image_channels = (3,)

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FC.sepia(image)


_PLANCKIAN_DEFAULTS = {"blackbody": (3000.0, 15000.0), "cied": (4000.0, 15000.0)}
_NEUTRAL_TEMPERATURE = 6500.0


class PlanckianJitter(_Pointwise):
    """Re-illuminate an RGB image by a random colour temperature (Zini et al. 2022): R and B are
    multiplied by the illuminant's linear-sRGB colour normalized to green = 1
    (``functional.channels.planckian_gains``), computed from Planck's law (``blackbody``) or the CIE
    daylight locus (``cied``) rather than the published lookup table, so gains differ from
    Albumentations/Kornia (3000 K: R x 2.07, B x 0.32 here; R x 1.67, B x 0.003 there).

    Args:
        mode: ``blackbody`` (1000 to 40000 K) or ``cied`` (4000 to 25000 K).
        temperature_limit: ``(min, max)`` kelvin; ``None`` means (3000, 15000) for ``blackbody`` and
            (4000, 15000) for ``cied``; a single number is exact.
        sampling_method: ``uniform`` over the range, or ``gaussian``: a half-normal on each side of
            6500 K (nearly neutral) with sigma a third of that side's span, the side drawn in
            proportion to its span, clipped to the range.

    Example:
        >>> t = PlanckianJitter(mode="cied", sampling_method="gaussian")
    """

    has_random_params = True
    image_channels = (3,)

    def __init__(
        self,
        mode: str = "blackbody",
        temperature_limit: float | Sequence[float] | None = None,
        sampling_method: str = "uniform",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.mode = as_choice(owner, "mode", mode, ("blackbody", "cied"))
        low, high = FC.PLANCKIAN_LIMITS[self.mode]
        limit = None if temperature_limit is None else as_range(owner, "temperature_limit", temperature_limit, low=low, high=high)
        self.temperature_limit = limit
        self.sampling_method = as_choice(owner, "sampling_method", sampling_method, ("uniform", "gaussian"))

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        low, high = self.temperature_limit or _PLANCKIAN_DEFAULTS[self.mode]
        if self.sampling_method == "uniform" or low == high:
            return {"temperature": uniform(rng, (low, high))}
        centre = min(max(_NEUTRAL_TEMPERATURE, low), high)
        below = rng.random() * (high - low) < centre - low
        side = (centre - low) if below else (high - centre)
        offset = abs(float(rng.normal())) * side / 3.0
        return {"temperature": min(max(centre - offset if below else centre + offset, low), high)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FC.planckian_jitter(image, params["temperature"], self.mode)
