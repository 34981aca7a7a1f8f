"""Kernel filters: the blurs ``GaussianBlur``, ``Blur``, ``MedianBlur``, ``MotionBlur``, ``Defocus``,
``ZoomBlur``, ``GlassBlur``, and ``Sharpen``, ``UnsharpMask``, ``Emboss``, ``Superpixels`` (pixel
transforms: masks, boxes and keypoints pass through unchanged).

Arguments follow Albumentations 2.0.8 (names, ranges of odd kernel sizes, defaults unless a class
says otherwise), except that a single number always means exactly that value
(``Blur(blur_limit=5)`` always uses size 5; Albumentations reads it as ``(3, 5)``).
The kernels live in :mod:`augkit.image.functional.blur` and :mod:`augkit.image.functional.filters`.

>>> import numpy as np
>>> t = Blur(blur_limit=3, p=1.0)
>>> t(image=np.array([[0, 0, 9, 0, 0]], np.uint8), rng=0)["image"].tolist()
[[0, 3, 3, 3, 0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError
from augkit.core.rng import draw_seed, uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_bool, as_choice, as_float, as_int, as_int_range, as_range
from augkit.image.functional import blur as F
from augkit.image.functional import filters as FF

__all__ = [
    "Blur",
    "Defocus",
    "Emboss",
    "GaussianBlur",
    "GlassBlur",
    "MedianBlur",
    "MotionBlur",
    "Sharpen",
    "Superpixels",
    "UnsharpMask",
    "ZoomBlur",
]

Params = dict[str, Any]
IntRange = int | Sequence[int]
FloatRange = float | Sequence[float]


def odd_sizes(owner: str, name: str, value: object, *, allow_zero: bool = False) -> tuple[int, int]:
    """A ``(min, max)`` range of odd kernel sizes >= 3 (with ``allow_zero``, also exactly 0)."""
    low, high = as_int_range(owner, name, value, low=0 if allow_zero else 3)
    if (low, high) == (0, 0) and allow_zero:
        return (0, 0)
    if low < 3 or low % 2 == 0 or high % 2 == 0:
        extra = " (or 0: size from sigma)" if allow_zero else ""
        raise ArgumentError(f"{owner}: argument {name!r} expects odd kernel sizes >= 3{extra}; got {value!r}")
    return (low, high)


def draw_odd(rng: np.random.Generator, sizes: tuple[int, int]) -> int:
    """An odd size drawn uniformly from ``sizes`` (both ends odd, or both 0)."""
    low, high = sizes
    return low + 2 * int(rng.integers((high - low) // 2 + 1))


class GaussianBlur(PixelTransform):
    """Gaussian blur with a random odd kernel size and sigma.

    Args:
        blur_limit: range of odd kernel sizes >= 3; ``0`` derives the size from sigma
            (``round(6 * sigma + 1)``, made odd: +-3 sigma).
        sigma_limit: range of sigma; ``0`` derives sigma from the size as OpenCV does
            (``0.3 * ((size - 1) / 2 - 1) + 0.8``, OpenCV's binomial tables for sizes 3 to 7).

    The defaults are OpenCV-style (size drawn, sigma from the size). Albumentations 2.0.8 defaults to
    ``blur_limit=0, sigma_limit=(0.5, 3.0)`` and sizes from sigma as ``int(3.5 * sigma) * 2 + 1``;
    pass ``blur_limit=0, sigma_limit=(0.5, 3.0)`` for that behaviour with augkit's +-3 sigma sizes.

    Example:
        >>> from augkit.image.blur import GaussianBlur
        >>> t = GaussianBlur(blur_limit=(3, 7), sigma_limit=(0.5, 2.0), p=0.5)
    """

    has_random_params = True

    def __init__(self, blur_limit: IntRange = (3, 7), sigma_limit: FloatRange = 0.0, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.blur_limit = odd_sizes(owner, "blur_limit", blur_limit, allow_zero=True)
        self.sigma_limit = as_range(owner, "sigma_limit", sigma_limit, low=0.0)
        if self.blur_limit == (0, 0) and self.sigma_limit[0] == 0:
            raise ArgumentError(f"{owner}: argument 'sigma_limit' expects values > 0 when blur_limit is 0; got {sigma_limit!r}")

    @classmethod
    def example(cls) -> GaussianBlur:
        return cls(sigma_limit=(0.0, 1.5), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        ksize = draw_odd(rng, self.blur_limit)
        sigma = uniform(rng, self.sigma_limit)
        if ksize == 0:
            ksize = F.gaussian_kernel_size(sigma)
        return {"ksize": ksize, "sigma": sigma}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.gaussian_blur(image, params["ksize"], params["sigma"])


class Blur(PixelTransform):
    """Box blur: the mean over a square of random odd size (``cv2.blur``).

    Args:
        blur_limit: range of odd kernel sizes >= 3.

    Example:
        >>> from augkit.image.blur import Blur
        >>> t = Blur(blur_limit=(3, 7), p=0.5)
    """

    has_random_params = True

    def __init__(self, blur_limit: IntRange = (3, 7), p: float = 0.5) -> None:
        super().__init__(p)
        self.blur_limit = odd_sizes(type(self).__name__, "blur_limit", blur_limit)

    @classmethod
    def example(cls) -> Blur:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"ksize": draw_odd(rng, self.blur_limit)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.box_blur(image, params["ksize"])


class MedianBlur(PixelTransform):
    """Median over a square of random odd size; the edge pixel repeats past the border.

    uint8 images of any size and kernel sizes 3 and 5 use ``cv2.medianBlur``. For larger sizes on
    uint16 and float32, which OpenCV lacks, an exact vectorized median network runs instead (the
    same result as ``scipy.ndimage.median_filter``; tens of milliseconds on a 500 x 375 RGB image).

    Args:
        blur_limit: range of odd kernel sizes >= 3.

    Example:
        >>> from augkit.image.blur import MedianBlur
        >>> t = MedianBlur(blur_limit=(3, 5), p=0.5)
    """

    has_random_params = True

    def __init__(self, blur_limit: IntRange = (3, 7), p: float = 0.5) -> None:
        super().__init__(p)
        self.blur_limit = odd_sizes(type(self).__name__, "blur_limit", blur_limit)

    @classmethod
    def example(cls) -> MedianBlur:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"ksize": draw_odd(rng, self.blur_limit)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.median_blur(image, params["ksize"])


class MotionBlur(PixelTransform):
    """Motion blur: average along a line of random length, angle and direction.

    The kernel is a thin line through the centre, normalized to sum 1 (see
    :func:`augkit.image.functional.blur.motion_kernel`).

    Args:
        blur_limit: range of odd kernel sizes >= 3 (the line spans the kernel).
        angle_range: range of the line's angle in degrees, in [0, 360], measured from the +x axis
            towards +y (rows grow downwards), as in Albumentations.
        direction_range: range in [-1, 1] of the bias along the line: 0 is symmetric, 1 keeps only
            the forward half (the object moved one way), -1 only the backward half.
        allow_shifted: move the line off the centre by up to a quarter of the kernel size in x and y.

    Example:
        >>> from augkit.image.blur import MotionBlur
        >>> t = MotionBlur(blur_limit=(5, 9), angle_range=(0, 45), direction_range=0.0, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        blur_limit: IntRange = (3, 7),
        angle_range: FloatRange = (0.0, 360.0),
        direction_range: FloatRange = (-1.0, 1.0),
        allow_shifted: bool = True,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.blur_limit = odd_sizes(owner, "blur_limit", blur_limit)
        self.angle_range = as_range(owner, "angle_range", angle_range, low=0.0, high=360.0)
        self.direction_range = as_range(owner, "direction_range", direction_range, low=-1.0, high=1.0)
        self.allow_shifted = as_bool(owner, "allow_shifted", allow_shifted)

    @classmethod
    def example(cls) -> MotionBlur:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        ksize = draw_odd(rng, self.blur_limit)
        angle = uniform(rng, self.angle_range)
        direction = uniform(rng, self.direction_range)
        reach = (ksize // 2) / 2.0
        shift = [float(v) for v in rng.uniform(-reach, reach, 2)] if self.allow_shifted else [0.0, 0.0]
        return {"ksize": ksize, "angle": angle, "direction": direction, "shift": shift}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.motion_blur(image, params["ksize"], params["angle"], params["direction"], params["shift"])


class Defocus(PixelTransform):
    """Defocus (out-of-focus) blur: the mean over a disc, its edge softened by a small Gaussian.

    Args:
        radius: range of the disc radius in pixels (integers >= 1).
        alias_blur: range of the sigma of the Gaussian that softens the disc's edge (0: a hard edge).

    Example:
        >>> from augkit.image.blur import Defocus
        >>> t = Defocus(radius=(3, 6), alias_blur=(0.1, 0.3), p=0.5)
    """

    has_random_params = True

    def __init__(self, radius: IntRange = (3, 10), alias_blur: FloatRange = (0.1, 0.5), p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.radius = as_int_range(owner, "radius", radius, low=1)
        self.alias_blur = as_range(owner, "alias_blur", alias_blur, low=0.0)

    @classmethod
    def example(cls) -> Defocus:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"radius": int(rng.integers(self.radius[0], self.radius[1] + 1)), "alias_blur": uniform(rng, self.alias_blur)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.defocus(image, params["radius"], params["alias_blur"])


class ZoomBlur(PixelTransform):
    """Zoom blur: the average of centre zooms by ``1, 1 + step, 1 + 2 step, ...`` below ``max_factor``
    (plus the image itself once more, as in Albumentations), like zooming during the exposure.

    Args:
        max_factor: range of the largest zoom (>= 1).
        step_factor: range of the zoom step (> 0); smaller steps average more zooms (slower).

    Example:
        >>> from augkit.image.blur import ZoomBlur
        >>> t = ZoomBlur(max_factor=(1.05, 1.2), step_factor=0.02, p=0.5)
    """

    has_random_params = True

    def __init__(self, max_factor: FloatRange = (1.0, 1.31), step_factor: FloatRange = (0.01, 0.03), p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.max_factor = as_range(owner, "max_factor", max_factor, low=1.0)
        self.step_factor = as_range(owner, "step_factor", step_factor, low=0.0)
        if self.step_factor[0] <= 0:
            raise ArgumentError(f"{owner}: argument 'step_factor' expects values > 0; got {step_factor!r}")

    @classmethod
    def example(cls) -> ZoomBlur:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        step = uniform(rng, self.step_factor)
        return {"max_factor": uniform(rng, self.max_factor), "step": step}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.zoom_blur(image, params["max_factor"], params["step"])


class GlassBlur(PixelTransform):
    """Frosted glass: Gaussian blur, local random pixel swaps, Gaussian blur again.

    Each pass visits the pixels bottom-right to top-left and swaps each with a random neighbour at
    an offset in ``[-max_delta, max_delta)`` (as in Albumentations and ImageNet-C). The swaps are
    drawn from a seed in the params, so replay is exact.

    Args:
        sigma: sigma of both Gaussian blurs (>= 0; 0 skips them).
        max_delta: largest swap distance in pixels (>= 1).
        iterations: number of swap passes (>= 1).
        mode: ``"fast"`` performs each pass at once (as Albumentations' fast mode: where several swaps
            touch a pixel the last one wins, so a few values are duplicated or lost); ``"exact"``
            performs the swaps one after another (a permutation: the histogram is kept exactly),
            vectorized over independent wavefronts, about twice as slow.

    Example:
        >>> from augkit.image.blur import GlassBlur
        >>> t = GlassBlur(sigma=0.7, max_delta=2, iterations=1, p=0.5)
    """

    has_random_params = True

    def __init__(self, sigma: float = 0.7, max_delta: int = 4, iterations: int = 2, mode: str = "fast", p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.sigma = as_float(owner, "sigma", sigma, low=0.0)
        self.max_delta = as_int(owner, "max_delta", max_delta, low=1)
        self.iterations = as_int(owner, "iterations", iterations, low=1)
        self.mode = as_choice(owner, "mode", mode, ("fast", "exact"))

    @classmethod
    def example(cls) -> GlassBlur:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"seed": draw_seed(rng)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.glass_blur(image, self.sigma, self.max_delta, self.iterations, params["seed"], self.mode)


class Sharpen(PixelTransform):
    """Sharpen with a 3 x 3 Laplacian-like kernel blended with the identity (imgaug/Albumentations).

    The kernel is ``(1 - alpha) * identity + alpha * [[-1, -1, -1], [-1, 8 + lightness, -1], [-1, -1, -1]]``;
    its weights sum to ``1 - alpha + alpha * lightness`` (``lightness`` 1 keeps the mean brightness,
    lower values darken). ``alpha`` 0 returns the image unchanged.

    Args:
        alpha: range in [0, 1] of the blend towards the sharpened image.
        lightness: range (>= 0) of the kernel's centre boost.

    Example:
        >>> from augkit.image.blur import Sharpen
        >>> t = Sharpen(alpha=(0.2, 0.5), lightness=1.0, p=0.5)
    """

    has_random_params = True

    def __init__(self, alpha: FloatRange = (0.2, 0.5), lightness: FloatRange = (0.5, 1.0), p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.alpha = as_range(owner, "alpha", alpha, low=0.0, high=1.0)
        self.lightness = as_range(owner, "lightness", lightness, low=0.0)

    @classmethod
    def example(cls) -> Sharpen:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"alpha": uniform(rng, self.alpha), "lightness": uniform(rng, self.lightness)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FF.sharpen(image, params["alpha"], params["lightness"])


class Emboss(PixelTransform):
    """Emboss: a 3 x 3 relief kernel blended with the identity (imgaug/Albumentations).

    The kernel is ``(1 - alpha) * identity + alpha * [[-1-s, -s, 0], [-s, 1, s], [0, s, 1+s]]`` with
    ``s`` the strength; its weights sum to 1. ``alpha`` 0 returns the image unchanged.

    Args:
        alpha: range in [0, 1] of the blend towards the embossed image.
        strength: range (>= 0) of the relief strength.

    Example:
        >>> from augkit.image.blur import Emboss
        >>> t = Emboss(alpha=(0.2, 0.5), strength=(0.2, 0.7), p=0.5)
    """

    has_random_params = True

    def __init__(self, alpha: FloatRange = (0.2, 0.5), strength: FloatRange = (0.2, 0.7), p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.alpha = as_range(owner, "alpha", alpha, low=0.0, high=1.0)
        self.strength = as_range(owner, "strength", strength, low=0.0)

    @classmethod
    def example(cls) -> Emboss:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"alpha": uniform(rng, self.alpha), "strength": uniform(rng, self.strength)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FF.emboss(image, params["alpha"], params["strength"])


class UnsharpMask(PixelTransform):
    """Unsharp masking: add back ``alpha`` times the detail removed by a Gaussian blur, where it
    exceeds a threshold (softened by the same blur), as in Albumentations.

    Args:
        blur_limit: range of odd Gaussian kernel sizes >= 3.
        sigma_limit: range of the Gaussian sigma (0: derived from the size as OpenCV does).
        alpha: range in [0, 1] of the amount of detail added back.
        threshold: detail (``|image - blur|``) at or below this, in 8-bit units (scaled for uint16 and
            float32), is not sharpened; an integer in [0, 255].

    Example:
        >>> from augkit.image.blur import UnsharpMask
        >>> t = UnsharpMask(blur_limit=(3, 7), alpha=(0.2, 0.5), threshold=10, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        blur_limit: IntRange = (3, 7),
        sigma_limit: FloatRange = 0.0,
        alpha: FloatRange = (0.2, 0.5),
        threshold: int = 10,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.blur_limit = odd_sizes(owner, "blur_limit", blur_limit)
        self.sigma_limit = as_range(owner, "sigma_limit", sigma_limit, low=0.0)
        self.alpha = as_range(owner, "alpha", alpha, low=0.0, high=1.0)
        self.threshold = as_int(owner, "threshold", threshold, low=0, high=255)

    @classmethod
    def example(cls) -> UnsharpMask:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {
            "ksize": draw_odd(rng, self.blur_limit),
            "sigma": uniform(rng, self.sigma_limit),
            "alpha": uniform(rng, self.alpha),
        }

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FF.unsharp_mask(image, params["ksize"], params["sigma"], params["alpha"], self.threshold)


class Superpixels(PixelTransform):
    """Replace a random fraction of the image's SLIC superpixels by their mean colour.

    Segments are computed (CIE Lab for 3 channels, compactness 10) on a copy shrunk so that its longer
    side is at most ``max_size``, then scaled back to full size; the means are taken on the full-size
    image and other segments keep all their detail (Albumentations instead resizes the whole image
    down and up when any segment is replaced).

    Args:
        p_replace: range in [0, 1] of the probability that a segment is replaced (default 0.1;
            Albumentations 2.0.8 draws it from ``(0, 0.1)``).
        n_segments: range of the approximate number of segments (integers >= 1).
        max_size: longest side of the copy that is segmented (speed); ``None`` segments at full size.

    Example:
        >>> from augkit.image.blur import Superpixels
        >>> t = Superpixels(p_replace=(0.1, 0.3), n_segments=(50, 150), p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        p_replace: FloatRange = 0.1,
        n_segments: IntRange = 100,
        max_size: int | None = 128,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.p_replace = as_range(owner, "p_replace", p_replace, low=0.0, high=1.0)
        self.n_segments = as_int_range(owner, "n_segments", n_segments, low=1)
        self.max_size = None if max_size is None else as_int(owner, "max_size", max_size, low=1)

    @classmethod
    def example(cls) -> Superpixels:
        return cls(p_replace=(0.2, 0.5), n_segments=(20, 60), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {
            "n_segments": int(rng.integers(self.n_segments[0], self.n_segments[1] + 1)),
            "p_replace": uniform(rng, self.p_replace),
            "seed": draw_seed(rng),
        }

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FF.superpixels(image, params["n_segments"], params["p_replace"], params["seed"], self.max_size)
