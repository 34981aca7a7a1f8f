"""Weather transforms for road scenes: ``RandomFog``, ``RandomRain``, ``RandomSnow`` and ``RandomGravel``.

Arguments follow Albumentations 2.0.8 (names, ranges, defaults); the kernels live in
:mod:`augkit.image.functional.weather`. The transforms take uint8, uint16 and float32 images (colours
are given on the 0-255 scale and scaled to the dtype), RGB unless stated otherwise. Positions in the
params are fractions of the image; large random sets (rain streaks, gravel stones, snow flakes) are
recorded as a seed and rebuilt by the kernel, so every frame of a stack gets the same weather.

>>> import numpy as np
>>> from augkit.image.weather import RandomFog
>>> image = np.full((48, 64, 3), 90, np.uint8)
>>> foggy = RandomFog(fog_coef_range=0.8, p=1.0)(image=image, rng=0)["image"]
>>> bool(foggy.mean() > image.mean())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import draw_seed, uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_choice, as_float, as_int, as_range
from augkit.image.functional import weather as FW

__all__ = ["RandomFog", "RandomGravel", "RandomRain", "RandomSnow", "as_color", "as_roi"]

Params = dict[str, Any]
_LEVEL_WEIGHTS = 0.81 ** np.arange(10) / np.sum(0.81 ** np.arange(10))


def as_roi(owner: str, name: str, value: object) -> tuple[float, float, float, float]:
    """A region ``(x_min, y_min, x_max, y_max)`` of fractions with ``0 <= min < max <= 1``."""
    expected = "(x_min, y_min, x_max, y_max) fractions of the image with 0 <= min < max <= 1"
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        raise ArgumentError(f"{owner}: argument {name!r} expects {expected}; got {describe(value)}")
    numbers = tuple(as_float(owner, name, v) for v in value)
    x0, y0, x1, y1 = numbers
    if not (0.0 <= x0 < x1 <= 1.0 and 0.0 <= y0 < y1 <= 1.0):
        raise ArgumentError(f"{owner}: argument {name!r} expects {expected}; got {describe(value)}")
    return numbers  # type: ignore[return-value]


def as_color(owner: str, name: str, value: object) -> tuple[int, int, int]:
    """An RGB colour: three integers in [0, 255]."""
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        raise ArgumentError(
            f"{owner}: argument {name!r} expects an (R, G, B) colour of integers in [0, 255]; got {describe(value)}"
        )
    r, g, b = (as_int(owner, name, v, low=0, high=255) for v in value)
    return (r, g, b)


class RandomFog(PixelTransform):
    """Haze: the image fades toward a bright veil under soft, randomly placed puffs of fog.

    Each call draws ``fog_coef`` from ``fog_coef_range`` and about ``36 * fog_coef * aspect`` puffs
    (``aspect = long side / short side``) whose centres crowd toward the middle of the image, as in
    Albumentations, with radii of 10-25 % of the shorter side. Where ``n`` puffs overlap, the scene
    keeps ``(1 - alpha_coef * fog_coef) ** n`` of its light, the rest becomes airlight (white), and
    the scene is softened in proportion (see :func:`augkit.image.functional.weather.fog`). The mean
    brightness and local contrast loss match Albumentations' ``RandomFog`` on average, at a fraction
    of its cost. Any channel count.

    Args:
        fog_coef_range: range of the fog strength in [0, 1] (a single value is exact).
        alpha_coef: opacity of one puff at full strength, in [0, 1].

    Example:
        >>> from augkit.image.weather import RandomFog
        >>> t = RandomFog(fog_coef_range=(0.3, 1.0), alpha_coef=0.08, p=0.5)
    """

    has_random_params = True
    #: Puffs per unit of ``fog_coef`` on a square image.
    BLOBS_PER_COEF = 36

    def __init__(self, fog_coef_range: float | Sequence[float] = (0.3, 1.0), alpha_coef: float = 0.08, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.fog_coef_range = as_range(owner, "fog_coef_range", fog_coef_range, low=0.0, high=1.0)
        self.alpha_coef = as_float(owner, "alpha_coef", alpha_coef, low=0.0, high=1.0)

    @classmethod
    def example(cls) -> RandomFog:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        coef = uniform(rng, self.fog_coef_range)
        aspect = max(state.height, state.width) / max(1, min(state.height, state.width))
        count = max(1, round(self.BLOBS_PER_COEF * coef * aspect))
        # ten nested regions shrinking by 10 % a side, each holding puffs in proportion to its area
        half = 0.5 * 0.9 ** rng.choice(10, count, p=_LEVEL_WEIGHTS)
        x = 0.5 + half * rng.uniform(-1.0, 1.0, count)
        y = 0.5 + half * rng.uniform(-1.0, 1.0, count)
        radius = rng.uniform(0.1, 0.25, count)
        return {"fog_coef": coef, "blobs": np.stack([x, y, radius], axis=1).tolist()}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FW.fog(image, params["fog_coef"], self.alpha_coef, params["blobs"])


class RandomRain(PixelTransform):
    """Rain: slanted, blurred streaks over a darkened RGB image.

    ``out = min(brightness_coefficient * (image + blur(streaks)), max)``. Streaks are ``drop_length``
    pixels long (``None``: an eighth of the image height), at ``slant`` degrees from vertical (positive:
    the lower end to the right), drawn anti-aliased. Their number follows Albumentations: a third of
    the image height for ``"default"``, a quarter for ``"drizzle"``, the height for ``"heavy"`` and
    twice the height for ``"torrential"``. Note: Albumentations 2.0.8 documents ``slant`` as degrees
    but uses it as a horizontal offset in pixels; augkit uses degrees.

    Args:
        slant_range: range of the slant in degrees, within [-45, 45].
        drop_length: streak length in pixels, or ``None`` for ``max(1, height // 8)``.
        drop_width: streak width in pixels (>= 1).
        drop_color: RGB colour of the streaks (0-255 scale for every dtype).
        blur_value: box-blur size in pixels applied to the streaks (1: none).
        brightness_coefficient: factor in (0, 1] darkening the rainy image.
        rain_type: ``"default"``, ``"drizzle"``, ``"heavy"`` or ``"torrential"``.

    Example:
        >>> from augkit.image.weather import RandomRain
        >>> t = RandomRain(slant_range=(-15, 15), drop_length=25, rain_type="heavy", p=0.5)
    """

    has_random_params = True
    image_channels = (3,)
    #: Streaks per image row for each ``rain_type`` (Albumentations' counts).
    DROPS_PER_ROW: ClassVar[dict[str, float]] = {"drizzle": 0.25, "default": 1.0 / 3.0, "heavy": 1.0, "torrential": 2.0}

    def __init__(
        self,
        slant_range: float | Sequence[float] = (-10, 10),
        drop_length: int | None = None,
        drop_width: int = 1,
        drop_color: Sequence[int] = (200, 200, 200),
        blur_value: int = 7,
        brightness_coefficient: float = 0.7,
        rain_type: str = "default",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.slant_range = as_range(owner, "slant_range", slant_range, low=-45.0, high=45.0)
        self.drop_length = None if drop_length is None else as_int(owner, "drop_length", drop_length, low=1)
        self.drop_width = as_int(owner, "drop_width", drop_width, low=1)
        self.drop_color = as_color(owner, "drop_color", drop_color)
        self.blur_value = as_int(owner, "blur_value", blur_value, low=1)
        self.brightness_coefficient = as_float(owner, "brightness_coefficient", brightness_coefficient, low=0.0, high=1.0)
        if self.brightness_coefficient == 0.0:
            raise ArgumentError(f"{owner}: argument 'brightness_coefficient' expects a number in (0, 1]; got 0.0")
        self.rain_type = as_choice(owner, "rain_type", rain_type, self.DROPS_PER_ROW)

    @classmethod
    def example(cls) -> RandomRain:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        length = max(1, state.height // 8) if self.drop_length is None else self.drop_length
        rows = self.DROPS_PER_ROW[self.rain_type]
        count = state.height // 3 if self.rain_type == "default" else int(state.height * rows)
        return {"slant": uniform(rng, self.slant_range), "drop_length": length, "count": count, "seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        height, width = image.shape[:2]
        streaks = FW.rain_streaks(params["seed"], params["count"], height, width, params["slant"], params["drop_length"])
        return FW.rain(image, streaks, self.drop_width, self.drop_color, self.blur_value, self.brightness_coefficient)


class RandomSnow(PixelTransform):
    """Snow on an RGB image, by bleaching dark pixels or by a snow-cover texture.

    ``"bleach"`` (Albumentations' default): pixels whose HLS lightness is below
    ``snow_point / 2 + 1 / 3`` of full scale get their lightness multiplied by ``brightness_coeff``,
    keeping hue and saturation (computed exactly, without an 8-bit HLS round trip). ``"texture"``:
    the scene brightens by ``1 + brightness_coeff * snow_point`` at constant hue, then a smooth
    random snow cover over about ``snow_point`` of the image and falling flakes are blended in
    (see :mod:`augkit.image.functional.weather`).

    Args:
        snow_point_range: range of ``snow_point`` in [0, 1] (more snow when larger).
        brightness_coeff: lightness gain (> 0).
        method: ``"bleach"`` or ``"texture"``.

    Example:
        >>> from augkit.image.weather import RandomSnow
        >>> t = RandomSnow(snow_point_range=(0.2, 0.4), brightness_coeff=2.0, method="texture")
    """

    has_random_params = True
    image_channels = (3,)

    def __init__(
        self,
        snow_point_range: float | Sequence[float] = (0.1, 0.3),
        brightness_coeff: float = 2.5,
        method: str = "bleach",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.snow_point_range = as_range(owner, "snow_point_range", snow_point_range, low=0.0, high=1.0)
        self.brightness_coeff = as_float(owner, "brightness_coeff", brightness_coeff, low=0.0)
        if self.brightness_coeff == 0.0:
            raise ArgumentError(f"{owner}: argument 'brightness_coeff' expects a number > 0; got 0.0")
        self.method = as_choice(owner, "method", method, ("bleach", "texture"))

    @classmethod
    def example(cls) -> RandomSnow:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        params: Params = {"snow_point": uniform(rng, self.snow_point_range)}
        if self.method == "texture":
            params["seed"] = draw_seed(rng)
        return params

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        if self.method == "bleach":
            return FW.snow_bleach(image, params["snow_point"], self.brightness_coeff)
        return FW.snow_texture(image, params["snow_point"], self.brightness_coeff, params["seed"])


class RandomGravel(PixelTransform):
    """Gravel: patches of small stones on the road, inside a region of interest of an RGB image.

    As in Albumentations, ``number_of_patches`` rectangles of 1/10 to 1/5 of the region's width and
    height are placed inside ``gravel_roi``; each holds ``max(1, area / 100)`` square stones of 2 to 6 pixels
    whose HLS lightness is set to a random value, keeping the pixel's hue and saturation. Stones are
    clipped to their patch, so nothing outside the region changes.

    Args:
        gravel_roi: ``(x_min, y_min, x_max, y_max)`` fractions of the image.
        number_of_patches: how many patches (>= 1).

    Example:
        >>> from augkit.image.weather import RandomGravel
        >>> t = RandomGravel(gravel_roi=(0.1, 0.5, 0.9, 1.0), number_of_patches=3)
    """

    has_random_params = True
    image_channels = (3,)

    def __init__(
        self,
        gravel_roi: Sequence[float] = (0.1, 0.4, 0.9, 0.9),
        number_of_patches: int = 2,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.gravel_roi = as_roi(owner, "gravel_roi", gravel_roi)
        self.number_of_patches = as_int(owner, "number_of_patches", number_of_patches, low=1)

    @classmethod
    def example(cls) -> RandomGravel:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        x0, y0, x1, y1 = (int(v * s) for v, s in zip(self.gravel_roi, (width, height, width, height), strict=True))
        roi_w, roi_h = x1 - x0, y1 - y0
        patches = []
        for _ in range(self.number_of_patches):
            patch_w = int(rng.integers(roi_w // 10, roi_w // 5 + 1))
            patch_h = int(rng.integers(roi_h // 10, roi_h // 5 + 1))
            px = int(rng.integers(x0, max(x0, x1 - patch_w) + 1))
            py = int(rng.integers(y0, max(y0, y1 - patch_h) + 1))
            patches.append([px / width, py / height, (px + patch_w) / width, (py + patch_h) / height])
        return {"patches": patches, "seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FW.gravel(image, params["patches"], params["seed"])
