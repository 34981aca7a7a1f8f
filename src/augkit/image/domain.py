"""Style and domain-adaptation transforms (no pretrained weights): FDA, histogram matching, pixel
distribution adaptation and random convolutions.

The first three take the style of a *reference image*. ``reference_images`` is a list of image file
paths (so pipelines stay JSON/YAML files) or, from Python, of numpy arrays (such a transform cannot be
saved: ``to_dict`` raises :class:`~augkit.ConfigError`). Files must exist when the transform is built
and are read when it runs (``cv2.imread`` with ``IMREAD_ANYCOLOR | IMREAD_ANYDEPTH``: RGB order,
grey files stay one channel, 16-bit files stay 16-bit, alpha is dropped, EXIF orientation applied),
through a small cache keyed by path and modification time. Relative paths are resolved against the
working directory of the call. Which reference a call uses is drawn in ``sample`` (param
``"reference"``, an index), so a frame stack shares it and a record replays it. The reference is
converted to the image's dtype and channels (``augkit.image.functional.domain.adapt_reference``): a grey
reference is replicated, an RGB(A) one becomes grey for a one-channel image; other channel mismatches
raise :class:`~augkit.TargetError`. These three transforms take images with 1, 3 or 4 channels.

>>> import augkit as ak
>>> from augkit.samples import IMAGES_DIR, load_samples
>>> t = ak.image.HistogramMatching([str(IMAGES_DIR / "coffee.jpg")], blend_ratio=1.0, p=1.0)
>>> t(image=load_samples()[1].image, rng=0)["image"].shape
(375, 500, 3)
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any, ClassVar

import cv2
import numpy as np

from augkit.core.errors import ArgumentError, ConfigError, TargetError, describe
from augkit.core.rng import draw_seed, uniform
from augkit.core.targets import State
from augkit.core.transform import PixelTransform
from augkit.core.validate import as_choice, as_int, as_range
from augkit.image.functional import domain as FD

__all__ = ["FDA", "HistogramMatching", "PixelDistributionAdaptation", "RandomConvolution", "clear_reference_cache"]

Params = dict[str, Any]
Reference = str | np.ndarray
ReferenceArg = str | os.PathLike[str] | np.ndarray | Sequence[str | os.PathLike[str] | np.ndarray]

_READ_FLAGS = cv2.IMREAD_ANYCOLOR | cv2.IMREAD_ANYDEPTH
_ARRAY_DTYPES = ("uint8", "uint16", "float16", "float32", "float64")


@functools.lru_cache(maxsize=32)
def _read_cached(path: str, mtime_ns: int, size: int) -> np.ndarray | None:
    """Decode ``path`` once per (path, mtime, size); the array is read-only and shared."""
    image = cv2.imread(path, _READ_FLAGS)
    if image is None:
        return None
    if image.ndim == 3 and image.shape[2] == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2RGBA)
    image = np.ascontiguousarray(image)
    image.flags.writeable = False
    return image


def clear_reference_cache() -> None:
    """Forget the decoded reference images (at most 32 are kept)."""
    _read_cached.cache_clear()


def _read_reference(owner: str, path: str) -> np.ndarray:
    """The decoded reference file (RGB order, read-only); a clear error when it is gone or unreadable."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise ArgumentError(f"{owner}: reference image {path!r} cannot be opened ({error.strerror})") from None
    image = _read_cached(path, status.st_mtime_ns, status.st_size)
    if image is None:
        raise ArgumentError(f"{owner}: reference image {path!r} is not an image file OpenCV can decode")
    return image


def _check_references(owner: str, value: object) -> tuple[Reference, ...]:
    expected = "a non-empty list of image file paths (or numpy arrays)"
    items: list[Any]
    if isinstance(value, (str, os.PathLike, np.ndarray)):
        items = [value]
    elif isinstance(value, (list, tuple)) and value:
        items = list(value)
    else:
        raise ArgumentError(f"{owner}: argument 'reference_images' expects {expected}; got {describe(value)}")
    out: list[Reference] = []
    for index, item in enumerate(items):
        where = f"{owner}: argument 'reference_images' item {index}"
        if isinstance(item, os.PathLike):
            item = os.fspath(item)
        if isinstance(item, str):
            if not os.path.isfile(item):
                raise ArgumentError(f"{where}: no file at {item!r} (paths are checked when the transform is built)")
            out.append(item)
        elif isinstance(item, np.ndarray):
            if item.dtype.name not in _ARRAY_DTYPES or item.ndim not in (2, 3) or item.size == 0:
                raise ArgumentError(
                    f"{where} expects a non-empty H x W [x C] array of dtype uint8, uint16 or float in [0, 1]; "
                    f"got {describe(item)}"
                )
            array = np.array(item, copy=True)
            array.flags.writeable = False
            out.append(array)
        else:
            raise ArgumentError(f"{where} expects a file path (str) or a numpy array; got {describe(item)}")
    return tuple(out)


class _ReferenceTransform(PixelTransform):
    """Shared by the transforms that take the style of a reference image."""

    _abstract = True
    has_random_params = True
    #: Reference files decode to 1 or 3 channels; grey references also fit RGBA images.
    image_channels: ClassVar[tuple[int, ...] | None] = (1, 3, 4)
    reference_images: tuple[Reference, ...]

    def _kernel(self, image: np.ndarray, reference: np.ndarray, params: Params) -> np.ndarray:
        raise NotImplementedError

    def _reference(self, index: int, like: np.ndarray) -> np.ndarray:
        owner = type(self).__name__
        item = self.reference_images[index]
        if isinstance(item, str):
            raw, label = _read_reference(owner, item), repr(item)
        else:
            raw, label = item, f"{index} (array)"
        try:
            return FD.adapt_reference(raw, like)
        except ValueError as error:
            raise TargetError(f"{owner}: reference image {label} {error}") from None

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return self._kernel(image, self._reference(params["reference"], image), params)

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        reference = self._reference(params["reference"], images[0])
        return np.stack([self._kernel(frame, reference, params) for frame in images])

    def _draw_reference(self, rng: np.random.Generator) -> int:
        return int(rng.integers(len(self.reference_images)))

    def to_dict(self) -> dict[str, Any]:
        if any(isinstance(item, np.ndarray) for item in self.reference_images):
            raise ConfigError(
                f"{type(self).__name__}: argument 'reference_images' holds numpy arrays, which cannot be written "
                "to a pipeline config; save the references as image files and pass their paths instead"
            )
        return super().to_dict()

    def __repr__(self) -> str:
        def show(value: Any) -> str:
            if isinstance(value, tuple) and any(isinstance(v, np.ndarray) for v in value):
                return (
                    "(" + ", ".join(f"<array {v.shape} {v.dtype}>" if isinstance(v, np.ndarray) else repr(v) for v in value) + ")"
                )
            return repr(value)

        return f"{type(self).__name__}({', '.join(f'{k}={show(v)}' for k, v in self.get_params().items())})"


def _sample_photos() -> list[str]:
    from augkit.samples import IMAGES_DIR

    return [str(IMAGES_DIR / "chelsea.jpg"), str(IMAGES_DIR / "coffee.jpg")]


class FDA(_ReferenceTransform):
    """Fourier Domain Adaptation (Yang & Soatto, CVPR 2020): swap the low-frequency amplitude spectrum.

    Per channel, the Fourier coefficients with ``|ky|, |kx| < floor(beta * min(H, W))`` take the
    amplitude of a reference image (resized to the image size) and keep the image's phase; the
    result is clipped to the range. ``beta = 0`` leaves the image unchanged. Images with 1, 3 or 4
    channels (see the module notes on references).

    Args:
        reference_images: image file paths (or numpy arrays, not serializable); one is drawn per call.
        beta_limit: range of ``beta`` in [0, 0.5], the size of the swapped square relative to the
            shorter side (a single value is exact). The paper uses 0.01 to 0.09.

    Example:
        >>> import augkit as ak
        >>> from augkit.samples import IMAGES_DIR
        >>> t = ak.image.FDA([str(IMAGES_DIR / "coffee.jpg")], beta_limit=(0.0, 0.05), p=0.5)
    """

    def __init__(
        self,
        reference_images: ReferenceArg,
        beta_limit: float | Sequence[float] = (0.0, 0.1),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.reference_images = _check_references(owner, reference_images)
        self.beta_limit = as_range(owner, "beta_limit", beta_limit, low=0.0, high=0.5)

    @classmethod
    def example(cls) -> FDA:
        return cls(_sample_photos(), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"reference": self._draw_reference(rng), "beta": uniform(rng, self.beta_limit)}

    def _kernel(self, image: np.ndarray, reference: np.ndarray, params: Params) -> np.ndarray:
        return FD.fourier_domain_adaptation(image, reference, params["beta"])


class HistogramMatching(_ReferenceTransform):
    """Match every channel's histogram to a reference image's, then blend with the original.

    Exact CDF matching (the semantics of ``skimage.exposure.match_histograms``, implemented here):
    ``out = (1 - r) * image + r * matched`` with ``r`` drawn from ``blend_ratio``. The reference's size
    does not matter. Images with 1, 3 or 4 channels (see the module notes on references).

    Args:
        reference_images: image file paths (or numpy arrays, not serializable); one is drawn per call.
        blend_ratio: range of ``r`` in [0, 1] (``1`` is full matching; a single value is exact).

    Example:
        >>> import augkit as ak
        >>> from augkit.samples import IMAGES_DIR
        >>> t = ak.image.HistogramMatching([str(IMAGES_DIR / "coffee.jpg")], blend_ratio=(0.5, 1.0))
    """

    def __init__(
        self,
        reference_images: ReferenceArg,
        blend_ratio: float | Sequence[float] = (0.5, 1.0),
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.reference_images = _check_references(owner, reference_images)
        self.blend_ratio = as_range(owner, "blend_ratio", blend_ratio, low=0.0, high=1.0)

    @classmethod
    def example(cls) -> HistogramMatching:
        return cls(_sample_photos(), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"reference": self._draw_reference(rng), "blend": uniform(rng, self.blend_ratio)}

    def _kernel(self, image: np.ndarray, reference: np.ndarray, params: Params) -> np.ndarray:
        return FD.histogram_matching(image, reference, params["blend"])


class PixelDistributionAdaptation(_ReferenceTransform):
    """Map the image's pixel distribution onto a reference's with a fitted linear transform, then blend.

    A transform of pixel vectors is fitted on the image and on the reference; the image's pixels go
    through the image's fit and back through the reference's inverse: ``"pca"`` (principal axes, no
    whitening), ``"standard"`` (per-channel mean and std) or ``"minmax"`` (per-channel range). Plain
    numpy, no scikit-learn. ``out = (1 - r) * image + r * mapped``, clipped. Images with 1, 3 or 4
    channels (see the module notes on references).

    Args:
        reference_images: image file paths (or numpy arrays, not serializable); one is drawn per call.
        blend_ratio: range of ``r`` in [0, 1] (a single value is exact).
        transform_type: ``"pca"``, ``"standard"`` or ``"minmax"``.

    Example:
        >>> import augkit as ak
        >>> from augkit.samples import IMAGES_DIR
        >>> t = ak.image.PixelDistributionAdaptation([str(IMAGES_DIR / "coffee.jpg")], transform_type="standard")
    """

    def __init__(
        self,
        reference_images: ReferenceArg,
        blend_ratio: float | Sequence[float] = (0.25, 1.0),
        transform_type: str = "pca",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.reference_images = _check_references(owner, reference_images)
        self.blend_ratio = as_range(owner, "blend_ratio", blend_ratio, low=0.0, high=1.0)
        self.transform_type = as_choice(owner, "transform_type", transform_type, FD.PDA_TYPES)

    @classmethod
    def example(cls) -> PixelDistributionAdaptation:
        return cls(_sample_photos(), p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"reference": self._draw_reference(rng), "blend": uniform(rng, self.blend_ratio)}

    def _kernel(self, image: np.ndarray, reference: np.ndarray, params: Params) -> np.ndarray:
        return FD.pixel_distribution_adaptation(image, reference, params["blend"], self.transform_type)


class RandomConvolution(PixelTransform):
    """A random convolution layer (RandConv, Xu et al., ICLR 2021), optionally mixed with the original.

    Each call draws a kernel size ``k`` and a seed for ``C x C x k x k`` weights from
    ``N(0, 1 / (k * k * C))`` (``C -> C`` channels, any channel count, no bias, reflected borders).
    The output is brought back into range by min-max over the whole image (``rescale="minmax"``) or
    by clipping (``"clip"``), then mixed: ``alpha * image + (1 - alpha) * conv`` with ``alpha`` drawn
    from ``mix_alpha`` (RandConv-mix; ``mix_alpha=0`` is plain RandConv). The frames of a stack share
    the weights and ``alpha``; the min-max is taken per frame.

    Args:
        kernel_size: odd kernel sizes to draw from (one integer or a list).
        mix_alpha: range of the original's weight ``alpha`` in [0, 1] (a single value is exact).
        rescale: ``"minmax"`` or ``"clip"``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomConvolution(kernel_size=(1, 3, 5), mix_alpha=0.0, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        kernel_size: int | Sequence[int] = (1, 3, 5, 7),
        mix_alpha: float | Sequence[float] = (0.0, 1.0),
        rescale: str = "minmax",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        sizes = kernel_size if isinstance(kernel_size, (list, tuple)) else (kernel_size,)
        expected = "an odd integer in [1, 31] or a non-empty list of them"
        if not sizes:
            raise ArgumentError(f"{owner}: argument 'kernel_size' expects {expected}; got {describe(kernel_size)}")
        checked = []
        for size in sizes:
            try:
                value = as_int(owner, "kernel_size", size, low=1, high=31)
            except ArgumentError:
                value = 0
            if value % 2 == 0:
                raise ArgumentError(f"{owner}: argument 'kernel_size' expects {expected}; got {describe(kernel_size)}")
            checked.append(value)
        self.kernel_size = tuple(checked)
        self.mix_alpha = as_range(owner, "mix_alpha", mix_alpha, low=0.0, high=1.0)
        self.rescale = as_choice(owner, "rescale", rescale, FD.RESCALE_MODES)

    @classmethod
    def example(cls) -> RandomConvolution:
        return cls(p=1.0)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {
            "kernel_size": self.kernel_size[int(rng.integers(len(self.kernel_size)))],
            "seed": draw_seed(rng),
            "alpha": uniform(rng, self.mix_alpha),
        }

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return FD.random_convolution(image, params["kernel_size"], params["seed"], params["alpha"], self.rescale)
