"""Tone transforms: gamma, inversion, posterization, solarization, histogram equalization,
auto-contrast, CLAHE and tone curves. Pixel-level: masks, boxes and keypoints pass through unchanged.

Every transform takes uint8, uint16 and float32 images (float in [0, 1]) with any channel count;
point operations on uint8 run through one 256-entry lookup table.

>>> import numpy as np
>>> from augkit.image.tone import Invert
>>> Invert(p=1.0)(image=np.array([[0, 55]], np.uint8))["image"].tolist()
[[255, 200]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.rng import uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_bool, as_choice, as_float, as_float_tuple, as_int, as_int_range, as_range
from augkit.image.functional import histogram as FH
from augkit.image.functional import tone as FT

__all__ = ["CLAHE", "AutoContrast", "Equalize", "Invert", "Posterize", "RandomGamma", "RandomToneCurve", "Solarize"]

Params = dict[str, Any]


def _channel_count(state: State) -> int:
    """Channels of the call's image (or frame stack); 1 for a 2-D image or a call without one."""
    if state.image is not None:
        return 1 if state.image.ndim == 2 else int(state.image.shape[2])
    if state.images is not None:
        return 1 if state.images.ndim == 3 else int(state.images.shape[3])
    return 1


def _frames(kernel: Any, images: np.ndarray, *args: Any) -> np.ndarray:
    """Run a point-operation kernel once on a frame stack seen as one tall image."""
    tall = images.reshape(-1, *images.shape[2:])
    return np.ascontiguousarray(kernel(tall, *args).reshape(images.shape))


class RandomGamma(PixelTransform):
    """Gamma correction ``out = max * (image / max) ** gamma`` with a random gamma (Albumentations'
    semantics: ``gamma = value / 100``, ``value`` drawn uniformly from ``gamma_limit``).

    Args:
        gamma_limit: range of ``100 * gamma``, percentages > 0 (``< 100`` brightens, ``> 100`` darkens).

    Integer images round half up through a lookup table; float32 is computed directly.

    Example:
        >>> from augkit.image.tone import RandomGamma
        >>> t = RandomGamma(gamma_limit=(70, 150), p=0.5)
    """

    has_random_params = True

    def __init__(self, gamma_limit: float | Sequence[float] = (80.0, 120.0), p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.gamma_limit = as_range(owner, "gamma_limit", gamma_limit, low=0.0)
        if self.gamma_limit[0] <= 0.0:
            raise ArgumentError(f"{owner}: argument 'gamma_limit' expects percentages > 0; got {describe(gamma_limit)}")

    @classmethod
    def example(cls) -> RandomGamma:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"gamma": uniform(rng, self.gamma_limit) / 100.0}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FT.adjust_gamma(image, params["gamma"])

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return _frames(FT.adjust_gamma, images, params["gamma"])


class Invert(PixelTransform):
    """Invert intensities: ``max - image`` (``1 - image`` for float32), like ``PIL.ImageOps.invert``.

    Example:
        >>> from augkit.image.tone import Invert
        >>> t = Invert(p=0.5)
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    @classmethod
    def example(cls) -> Invert:
        return cls(p=1.0)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FT.invert(image)

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return FT.invert(images)


class Posterize(PixelTransform):
    """Reduce every channel to ``2 ** bits`` levels by keeping its ``bits`` high bits (on an 8-bit
    scale), like ``PIL.ImageOps.posterize``; ``bits`` is drawn uniformly from the integer range.

    Args:
        bits: range of the number of bits kept, integers in [0, 8] (8 keeps uint8 unchanged; 0 is black).
        per_channel: draw a separate ``bits`` for every channel.

    uint16 keeps its ``bits`` most significant bits; float32 is quantized to ``floor(x * 2**bits) / 2**bits``.

    Example:
        >>> from augkit.image.tone import Posterize
        >>> t = Posterize(bits=(3, 6), per_channel=True, p=0.5)
    """

    has_random_params = True

    def __init__(self, bits: int | Sequence[int] = (4, 8), per_channel: bool = False, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.bits = as_int_range(owner, "bits", bits, low=0, high=8)
        self.per_channel = as_bool(owner, "per_channel", per_channel)

    @classmethod
    def example(cls) -> Posterize:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        low, high = self.bits
        if self.per_channel:
            return {"bits": [int(b) for b in rng.integers(low, high + 1, size=_channel_count(state))]}
        return {"bits": int(rng.integers(low, high + 1))}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FT.posterize(image, params["bits"])

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return _frames(FT.posterize, images, params["bits"])


class Solarize(PixelTransform):
    """Invert the pixels at or above a threshold, like ``PIL.ImageOps.solarize``.

    Args:
        threshold: range of the threshold, as a fraction of full intensity in [0, 1] (a single value
            is exact; 0.5 inverts uint8 pixels >= 128, as PIL's default 128 does).

    Example:
        >>> from augkit.image.tone import Solarize
        >>> t = Solarize(threshold=(0.4, 0.8), p=0.5)
    """

    has_random_params = True

    def __init__(self, threshold: float | Sequence[float] = 0.5, p: float = 0.5) -> None:
        super().__init__(p)
        self.threshold = as_range(type(self).__name__, "threshold", threshold, low=0.0, high=1.0)

    @classmethod
    def example(cls) -> Solarize:
        return cls(threshold=(0.3, 0.7), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"threshold": uniform(rng, self.threshold)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FT.solarize(image, params["threshold"])

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return _frames(FT.solarize, images, params["threshold"])


class Equalize(PixelTransform):
    """Histogram equalization of every channel (each frame of a stack uses its own histograms).

    Args:
        mode: ``"pil"`` (default) follows ``PIL.ImageOps.equalize`` exactly on uint8; ``"cv"`` follows
            ``cv2.equalizeHist`` (Albumentations' default). They differ by a few levels.
        by_channels: True equalizes each channel; False only the luma (Y of YCrCb) of an RGB image,
            which keeps hues (needs 1 or 3 channels).

    uint16 and float32 use 65536-level histograms. A histogram mask (PIL's ``mask``) is available on
    the kernel, ``augkit.image.functional.equalize(image, mask=...)``.

    Example:
        >>> from augkit.image.tone import Equalize
        >>> t = Equalize(mode="cv", by_channels=False, p=0.5)
    """

    def __init__(self, mode: str = "pil", by_channels: bool = True, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.mode = as_choice(owner, "mode", mode, ("pil", "cv"))
        self.by_channels = as_bool(owner, "by_channels", by_channels)

    @classmethod
    def example(cls) -> Equalize:
        return cls(p=1.0)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        if not self.by_channels and image.ndim == 3 and image.shape[2] not in (1, 3):
            raise TargetError(
                f"Equalize: by_channels=False equalizes the luma of RGB images and needs 1 or 3 channels; "
                f"got {image.shape[2]} (shape {image.shape})"
            )
        return FH.equalize(image, self.mode, self.by_channels)


class AutoContrast(PixelTransform):
    """Stretch every channel so its darkest level becomes 0 and its brightest full intensity,
    following ``PIL.ImageOps.autocontrast`` (exact on uint8).

    Args:
        cutoff: percentage of pixels ignored at each end of the histogram when finding the darkest
            and brightest levels, or a ``(low, high)`` pair of percentages; each in [0, 100).
        ignore: level(s) on the 8-bit scale (0-255) left out of the histogram (e.g. a background
            value); for uint16 and float32 they mean ``level * max / 255``.

    A channel with a single level is unchanged; each frame of a stack uses its own histograms.

    Example:
        >>> from augkit.image.tone import AutoContrast
        >>> t = AutoContrast(cutoff=(1, 2), ignore=0, p=0.5)
    """

    def __init__(self, cutoff: float | Sequence[float] = 0.0, ignore: int | Sequence[int] | None = None, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        values = as_float_tuple(owner, "cutoff", cutoff)
        if len(values) not in (1, 2) or not all(0.0 <= v < 100.0 for v in values):
            raise ArgumentError(
                f"{owner}: argument 'cutoff' expects a percentage in [0, 100) or a (low, high) pair of them; "
                f"got {describe(cutoff)}"
            )
        self.cutoff: tuple[float, float] = (values[0], values[-1])
        self.ignore: tuple[int, ...] | None = None
        if ignore is not None:
            items = ignore if isinstance(ignore, (list, tuple)) else [ignore]
            if not items:
                raise ArgumentError(f"{owner}: argument 'ignore' expects a level in [0, 255] or a list of them; got []")
            self.ignore = tuple(as_int(owner, "ignore", v, low=0, high=255) for v in items)

    @classmethod
    def example(cls) -> AutoContrast:
        return cls(cutoff=1.0, p=1.0)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FH.autocontrast(image, self.cutoff, self.ignore)


class CLAHE(PixelTransform):
    """Contrast-limited adaptive histogram equalization (OpenCV's CLAHE), clip limit drawn uniformly.

    Args:
        clip_limit: range of the clip limit (>= 1; relative to the mean histogram bin; higher is stronger).
        tile_grid_size: ``(columns, rows)`` of tiles, as OpenCV's ``tileGridSize`` (one integer: square grid).

    RGB images (3 channels) are equalized on the lightness of CIELAB, as Albumentations does; every
    other channel count is equalized channel by channel. uint8 runs OpenCV; uint16 and float32 run
    the same 256-bin algorithm with interpolation between levels (see ``functional.clahe``). Each
    frame of a stack is equalized on its own, with the same clip limit.

    Example:
        >>> from augkit.image.tone import CLAHE
        >>> t = CLAHE(clip_limit=(1, 3), tile_grid_size=(4, 4), p=0.5)
    """

    has_random_params = True

    def __init__(
        self, clip_limit: float | Sequence[float] = (1.0, 4.0), tile_grid_size: int | Sequence[int] = (8, 8), p: float = 0.5
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.clip_limit = as_range(owner, "clip_limit", clip_limit, low=1.0)
        sizes = tile_grid_size if isinstance(tile_grid_size, (list, tuple)) else [tile_grid_size, tile_grid_size]
        if len(sizes) != 2:
            raise ArgumentError(
                f"{owner}: argument 'tile_grid_size' expects an integer >= 1 or a (columns, rows) pair; "
                f"got {describe(tile_grid_size)}"
            )
        self.tile_grid_size: tuple[int, int] = (
            as_int(owner, "tile_grid_size", sizes[0], low=1),
            as_int(owner, "tile_grid_size", sizes[1], low=1),
        )

    @classmethod
    def example(cls) -> CLAHE:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"clip_limit": uniform(rng, self.clip_limit)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FH.clahe(image, params["clip_limit"], self.tile_grid_size)


class RandomToneCurve(PixelTransform):
    """Map intensities through a random smooth curve: the cubic Bezier from (0, 0) to (1, 1) with
    control values ``low ~ N(0.25, scale)`` and ``high ~ N(0.75, scale)`` (Albumentations' tone curve).

    Args:
        scale: standard deviation of the control values, in [0, 1] (0 gives a fixed, mild S-curve).
        per_channel: draw separate control values for every channel.

    The control values are clipped to [0, 1] and swapped when ``low > high``, so the curve is always
    monotone and keeps black and white fixed.

    Example:
        >>> from augkit.image.tone import RandomToneCurve
        >>> t = RandomToneCurve(scale=0.2, per_channel=True, p=0.5)
    """

    has_random_params = True

    def __init__(self, scale: float = 0.1, per_channel: bool = False, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.scale = as_float(owner, "scale", scale, low=0.0, high=1.0)
        self.per_channel = as_bool(owner, "per_channel", per_channel)

    @classmethod
    def example(cls) -> RandomToneCurve:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        count = _channel_count(state) if self.per_channel else 1
        low = np.clip(rng.normal(0.25, self.scale, size=count), 0.0, 1.0)
        high = np.clip(rng.normal(0.75, self.scale, size=count), 0.0, 1.0)
        low, high = np.minimum(low, high), np.maximum(low, high)
        if self.per_channel:
            return {"low": [float(v) for v in low], "high": [float(v) for v in high]}
        return {"low": float(low[0]), "high": float(high[0])}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FT.tone_curve(image, params["low"], params["high"])

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return _frames(FT.tone_curve, images, params["low"], params["high"])
