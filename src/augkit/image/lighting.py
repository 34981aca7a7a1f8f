"""Lighting transforms for road scenes: ``RandomShadow``, ``RandomSunFlare`` and ``LowLight``.

``RandomShadow`` and ``RandomSunFlare`` take Albumentations 2.0.8's arguments; ``LowLight`` turns day
into night with a physical model in linear light. Kernels: :mod:`augkit.image.functional.lighting`.
uint8, uint16 and float32 images; positions in the params are fractions of the image.

>>> import numpy as np
>>> from augkit.image.lighting import RandomShadow
>>> out = RandomShadow(shadow_intensity_range=0.5, p=1.0)(image=np.full((48, 64, 3), 200, np.uint8), rng=0)
>>> sorted(set(out["image"].ravel().tolist()))
[50, 100, 200]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError
from augkit.core.rng import draw_seed, uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_choice, as_float, as_int, as_int_range, as_range
from augkit.image.functional import lighting as FL
from augkit.image.weather import as_color, as_roi

__all__ = ["LowLight", "RandomShadow", "RandomSunFlare"]

Params = dict[str, Any]


class RandomShadow(PixelTransform):
    """Cast shadows: random polygons inside a region of the image are darkened.

    Each of ``num_shadows_limit`` shadows is a polygon of ``shadow_dimension`` vertices drawn
    uniformly inside ``shadow_roi`` and joined in angular order around their centroid (a simple,
    star-shaped polygon; Albumentations joins them in draw order, which can cross itself). Pixels
    inside are multiplied by ``1 - intensity`` (overlapping shadows multiply), with
    ``intensity`` drawn from ``shadow_intensity_range``. Any channel count.

    Args:
        shadow_roi: ``(x_min, y_min, x_max, y_max)`` fractions of the image holding the vertices.
        num_shadows_limit: ``(min, max)`` number of shadows (>= 1).
        shadow_dimension: vertices per polygon (>= 3).
        shadow_intensity_range: range of the darkening in [0, 1] (1: black).
        softness: width of a soft penumbra as a fraction of the shorter side (0: hard edges).

    Example:
        >>> from augkit.image.lighting import RandomShadow
        >>> t = RandomShadow(shadow_roi=(0, 0.5, 1, 1), num_shadows_limit=(1, 3), shadow_intensity_range=(0.3, 0.7))
    """

    has_random_params = True

    def __init__(
        self,
        shadow_roi: Sequence[float] = (0.0, 0.5, 1.0, 1.0),
        num_shadows_limit: int | Sequence[int] = (1, 2),
        shadow_dimension: int = 5,
        shadow_intensity_range: float | Sequence[float] = (0.5, 0.5),
        softness: float = 0.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.shadow_roi = as_roi(owner, "shadow_roi", shadow_roi)
        self.num_shadows_limit = as_int_range(owner, "num_shadows_limit", num_shadows_limit, low=1)
        self.shadow_dimension = as_int(owner, "shadow_dimension", shadow_dimension, low=3)
        self.shadow_intensity_range = as_range(owner, "shadow_intensity_range", shadow_intensity_range, low=0.0, high=1.0)
        self.softness = as_float(owner, "softness", softness, low=0.0, high=1.0)

    @classmethod
    def example(cls) -> RandomShadow:
        return cls(shadow_intensity_range=(0.3, 0.7), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        x0, y0, x1, y1 = self.shadow_roi
        count = int(rng.integers(self.num_shadows_limit[0], self.num_shadows_limit[1] + 1))
        polygons, intensities = [], []
        for _ in range(count):
            x = rng.uniform(x0, x1, self.shadow_dimension)
            y = rng.uniform(y0, y1, self.shadow_dimension)
            order = np.argsort(np.arctan2((y - y.mean()) * state.height, (x - x.mean()) * state.width))
            polygons.append(np.stack([x[order], y[order]], axis=1).tolist())
            intensities.append(uniform(rng, self.shadow_intensity_range))
        return {"polygons": polygons, "intensities": intensities}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FL.shadow(image, params["polygons"], params["intensities"], self.softness)


class RandomSunFlare(PixelTransform):
    """Sun flare: a bright sun inside a region of the image, with lens ghosts along a line through it.

    The sun's centre is drawn uniformly in ``flare_roi``; the flare direction is ``2 * pi * a`` with
    ``a`` from ``angle_range``; ``num_flare_circles_range`` ghosts sit along that line (within the
    image width, as in Albumentations), with radii of 0.5-4 % of the image diagonal, opacity 0.05-0.2
    and a colour up to 20 % darker than ``src_color`` per channel. ``"overlay"`` alpha-blends discs and
    a radial sun (Albumentations' look, computed in one pass); ``"physics_based"`` screen-blends a
    glare core and halo, six diffraction spikes and soft ghosts with chromatic fringes (see
    :mod:`augkit.image.functional.lighting`). RGB only.

    Args:
        flare_roi: ``(x_min, y_min, x_max, y_max)`` fractions of the image for the sun's centre.
        angle_range: range of the flare direction, as a fraction of a full turn in [0, 1].
        num_flare_circles_range: ``(min, max)`` number of ghosts (>= 1).
        src_radius: radius of the sun's glow in pixels (> 1).
        src_color: RGB colour of the sun (0-255 scale for every dtype).
        method: ``"overlay"`` or ``"physics_based"``.

    Example:
        >>> from augkit.image.lighting import RandomSunFlare
        >>> t = RandomSunFlare(flare_roi=(0, 0, 1, 0.3), src_radius=200, method="physics_based", p=0.5)
    """

    has_random_params = True
    image_channels = (3,)

    def __init__(
        self,
        flare_roi: Sequence[float] = (0.0, 0.0, 1.0, 0.5),
        angle_range: float | Sequence[float] = (0.0, 1.0),
        num_flare_circles_range: int | Sequence[int] = (6, 10),
        src_radius: int = 400,
        src_color: Sequence[int] = (255, 255, 255),
        method: str = "overlay",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.flare_roi = as_roi(owner, "flare_roi", flare_roi)
        self.angle_range = as_range(owner, "angle_range", angle_range, low=0.0, high=1.0)
        self.num_flare_circles_range = as_int_range(owner, "num_flare_circles_range", num_flare_circles_range, low=1)
        self.src_radius = as_int(owner, "src_radius", src_radius, low=2)
        self.src_color = as_color(owner, "src_color", src_color)
        self.method = as_choice(owner, "method", method, ("overlay", "physics_based"))

    @classmethod
    def example(cls) -> RandomSunFlare:
        return cls(src_radius=60, p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        height, width = state.height, state.width
        x0, y0, x1, y1 = self.flare_roi
        angle = 2.0 * math.pi * uniform(rng, self.angle_range)
        cx, cy = uniform(rng, (x0, x1)), uniform(rng, (y0, y1))
        count = int(rng.integers(self.num_flare_circles_range[0], self.num_flare_circles_range[1] + 1))
        diagonal = math.hypot(height, width)
        spread = 0.2 * max(self.src_color)
        circles = []
        for _ in range(count):
            t = rng.uniform(-cx * width, (1.0 - cx) * width)  # along the line, as in Albumentations
            colour = [float(rng.uniform(max(c - spread, 0.0), c)) for c in self.src_color]
            circles.append(
                [
                    cx + t * math.cos(angle) / width,
                    cy + t * math.sin(angle) / height,
                    float(rng.uniform(0.005, 0.04)) * diagonal,
                    float(rng.uniform(0.05, 0.2)),
                    *colour,
                ]
            )
        return {"center": [cx, cy], "angle": angle, "circles": circles}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        if self.method == "overlay":
            return FL.sun_flare_overlay(image, params["center"], self.src_radius, self.src_color, params["circles"])
        return FL.sun_flare_physics(image, params["center"], self.src_radius, self.src_color, params["circles"], params["angle"])


class LowLight(PixelTransform):
    """Day to night: darken in linear light, shift colours toward blue, add sensor noise.

    The physical model (see :func:`augkit.image.functional.lighting.low_light`): the sRGB image is
    decoded to linear light, scaled to ``exposure * x ** gamma``; a Purkinje shift mixes in
    ``blue_shift`` of the rod (scotopic) luminance rendered in a bluish tint; Poisson-Gaussian sensor
    noise of std ``noise * sqrt(y + 0.01)`` is added (its relative size grows as the light falls);
    the result is encoded back to sRGB. With ``light_threshold``, pixels brighter than it (lamps,
    headlights, lit windows) keep their brightness and bloom. RGB or grey images (grey images get
    no colour shift).

    Args:
        exposure: range of the fraction of light kept, in (0, 1].
        gamma: range of the extra gamma in linear light (>= 1 darkens the shadows most).
        blue_shift: range of the Purkinje mix in [0, 1].
        noise: range of the sensor noise std at full scale, in linear light, in [0, 1].
        light_threshold: luma in [0, 1] above which pixels are light sources, or ``None``.

    Example:
        >>> from augkit.image.lighting import LowLight
        >>> t = LowLight(exposure=(0.1, 0.3), gamma=(1.5, 2.0), noise=(0.01, 0.03), light_threshold=0.9)
    """

    has_random_params = True
    image_channels = (1, 3)

    def __init__(
        self,
        exposure: float | Sequence[float] = (0.15, 0.4),
        gamma: float | Sequence[float] = (1.3, 2.0),
        blue_shift: float | Sequence[float] = (0.1, 0.4),
        noise: float | Sequence[float] = (0.01, 0.05),
        light_threshold: float | None = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.exposure = as_range(owner, "exposure", exposure, low=0.0, high=1.0)
        if self.exposure[0] <= 0.0:
            raise ArgumentError(f"{owner}: argument 'exposure' expects numbers in (0, 1] with min <= max; got {exposure!r}")
        self.gamma = as_range(owner, "gamma", gamma, low=0.1, high=10.0)
        self.blue_shift = as_range(owner, "blue_shift", blue_shift, low=0.0, high=1.0)
        self.noise = as_range(owner, "noise", noise, low=0.0, high=1.0)
        self.light_threshold = (
            None if light_threshold is None else as_float(owner, "light_threshold", light_threshold, low=0.0, high=1.0)
        )

    @classmethod
    def example(cls) -> LowLight:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {
            "exposure": uniform(rng, self.exposure),
            "gamma": uniform(rng, self.gamma),
            "blue_shift": uniform(rng, self.blue_shift),
            "noise": uniform(rng, self.noise),
            "seed": draw_seed(rng),
        }

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FL.low_light(
            image,
            params["exposure"],
            params["gamma"],
            params["blue_shift"],
            params["noise"],
            params["seed"],
            self.light_threshold,
        )
