"""Style and domain-adaptation kernels: Fourier domain adaptation, histogram matching, pixel
distribution adaptation and random convolutions (no pretrained weights).

A reference is any array (any size, uint8, uint16 or float); :func:`adapt_reference` converts it to an
image's dtype and channel count. Float images lie in [0, 1]; outputs are clipped to the dtype's range.

>>> import numpy as np
>>> image = np.array([[10, 20], [30, 40]], np.uint8)
>>> histogram_matching(image, np.array([[0, 100], [200, 250]], np.uint8)).tolist()
[[0, 100], [200, 250]]
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from augkit.image.functional._cv import by_channel_groups, keep_channels
from augkit.image.functional._lut import apply_lut, max_value

__all__ = [
    "PDA_TYPES",
    "RESCALE_MODES",
    "adapt_reference",
    "fourier_domain_adaptation",
    "histogram_matching",
    "pixel_distribution_adaptation",
    "random_convolution",
    "random_convolution_weights",
]

#: Linear pixel transforms :func:`pixel_distribution_adaptation` can fit.
PDA_TYPES = ("pca", "standard", "minmax")
#: How :func:`random_convolution` brings the convolution output back into range.
RESCALE_MODES = ("minmax", "clip")

_FLOAT_INPUTS = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))
_INT_INPUTS = (np.dtype(np.uint8), np.dtype(np.uint16))


def _channels(array: np.ndarray) -> int:
    return 1 if array.ndim == 2 else int(array.shape[2])


def _as_hwc(array: np.ndarray) -> np.ndarray:
    return array[:, :, None] if array.ndim == 2 else array


def _convert_dtype(reference: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``reference`` in ``dtype``'s range (floats taken as [0, 1]; integers rounded half up)."""
    source = reference.dtype
    if source == dtype:
        return reference
    if source in _FLOAT_INPUTS:
        unit = np.clip(reference, 0.0, 1.0).astype(np.float32)
        if dtype == np.float32:
            return unit
        top = max_value(dtype)
        return np.floor(unit * np.float32(top) + np.float32(0.5)).astype(dtype)
    if dtype == np.float32:
        return (reference * np.float32(1.0 / max_value(source))).astype(np.float32)
    if source == np.uint8:  # uint8 -> uint16 is exact: 255 * 257 = 65535
        return reference.astype(np.uint16) * np.uint16(257)
    return ((reference.astype(np.uint32) + 128) // 257).astype(np.uint8)  # uint16 -> uint8, half up


def adapt_reference(reference: np.ndarray, image: np.ndarray) -> np.ndarray:
    """Convert ``reference`` to ``image``'s dtype and channel layout (its size is kept).

    Values are rescaled between dtypes (uint8 ``v`` is uint16 ``257 v`` and float ``v / 255``). A
    one-channel reference is replicated to every channel; an RGB(A) reference is converted to grey
    (luma) for a one-channel image, and RGBA loses its alpha for an RGB image. Any other channel
    mismatch raises ``ValueError`` naming both counts. Returns ``reference`` itself when nothing changes.

    >>> adapt_reference(np.array([[255]], np.uint8), np.zeros((1, 1, 3), np.float32)).tolist()
    [[[1.0, 1.0, 1.0]]]
    """
    if not isinstance(reference, np.ndarray) or reference.ndim not in (2, 3) or reference.size == 0:
        got = f"shape {reference.shape}" if isinstance(reference, np.ndarray) else type(reference).__name__
        raise ValueError(f"expects a non-empty H x W or H x W x C array; got {got}")
    if reference.dtype not in _FLOAT_INPUTS and reference.dtype not in _INT_INPUTS:
        raise ValueError(f"expects dtype uint8, uint16 or float in [0, 1]; got {reference.dtype}")
    ref_channels, image_channels = _channels(reference), _channels(image)
    out = _convert_dtype(reference, image.dtype)
    if ref_channels != image_channels:
        if ref_channels == 1:
            out = np.repeat(_as_hwc(out), image_channels, axis=2)
        elif image_channels == 1 and ref_channels in (3, 4):
            code = cv2.COLOR_RGB2GRAY if ref_channels == 3 else cv2.COLOR_RGBA2GRAY
            out = cv2.cvtColor(np.ascontiguousarray(out), code)
        elif image_channels == 3 and ref_channels == 4:
            out = out[:, :, :3]
        else:
            raise ValueError(
                f"has {ref_channels} channels and the image has {image_channels}; only a 1-channel reference "
                "(replicated), an RGB(A) reference for a 1-channel image (converted to grey) or an RGBA "
                "reference for an RGB image (alpha dropped) can be adapted"
            )
    if image.ndim == 2 and out.ndim == 3:
        out = out[:, :, 0]
    elif image.ndim == 3 and out.ndim == 2:
        out = out[:, :, None]
    return np.ascontiguousarray(out)


def _to_dtype(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Clip float32 ``values`` (overwritten) to ``dtype``'s range; round half up for integer dtypes."""
    top = np.float32(max_value(dtype))
    if dtype == np.float32:
        np.clip(values, np.float32(0.0), top, out=values)
        return values
    values += np.float32(0.5)
    np.clip(values, np.float32(0.0), top, out=values)
    np.floor(values, out=values)
    return values.astype(dtype)


# --------------------------------------------------------------------------- Fourier domain adaptation
def fourier_domain_adaptation(image: np.ndarray, reference: np.ndarray, beta: float) -> np.ndarray:
    """Give ``image`` the low-frequency amplitude spectrum of ``reference`` (FDA, Yang & Soatto 2020).

    Per channel, the 2-D Fourier coefficients with ``|ky| < b`` and ``|kx| < b``, where
    ``b = floor(beta * min(H, W))`` (a centred square of side ``2b - 1`` in the shifted spectrum), take
    the reference's amplitude and keep the image's phase; the other coefficients are unchanged. The
    reference is adapted (:func:`adapt_reference`) and resized to the image size (bilinear). ``beta = 0``
    (or ``b = 0``) returns a copy, ``b = 1`` swaps only the mean. The result is clipped to the range.

    >>> image = np.full((4, 4), 10, np.uint8)
    >>> fourier_domain_adaptation(image, np.full((8, 8), 200, np.uint8), beta=0.25)[0].tolist()
    [200, 200, 200, 200]
    """
    if not 0.0 <= beta <= 1.0:
        raise ValueError(f"beta expects a number in [0, 1]; got {beta}")
    height, width = image.shape[:2]
    border = math.floor(beta * min(height, width) + 1e-9)
    if border == 0:
        return image.copy()
    ref = adapt_reference(reference, image)
    if ref.shape[:2] != (height, width):
        ref = by_channel_groups(lambda part: cv2.resize(part, (width, height), interpolation=cv2.INTER_LINEAR), ref, 128)
    from scipy import fft  # imported on first use (slow to import; several times faster than numpy.fft here)

    # 2-D DFT done in two passes so the full-size work is one real FFT along the rows per image:
    # only the columns kx < border change, and only they need the FFT along the other axis.
    cols = min(border, width // 2 + 1)
    rows = np.flatnonzero(np.abs(np.fft.fftfreq(height, 1.0 / height)) < border)
    half = fft.rfft(_as_hwc(image).astype(np.float32), axis=1)
    low = fft.fft(half[:, :cols], axis=0)
    ref_low = fft.fft(fft.rfft(_as_hwc(ref).astype(np.float32), axis=1)[:, :cols], axis=0)[rows]
    region = low[rows]
    magnitude = np.abs(region)
    phase = np.divide(region, magnitude, out=np.ones_like(region), where=magnitude > 0)
    low[rows] = np.abs(ref_low) * phase
    half[:, :cols] = fft.ifft(low, axis=0)
    out = fft.irfft(half, n=width, axis=1).astype(np.float32, copy=False)
    out = _to_dtype(out, image.dtype)
    return np.ascontiguousarray(out[:, :, 0] if image.ndim == 2 else out)


# --------------------------------------------------------------------------- histogram matching
def _quantile_map(source_counts: np.ndarray, reference_counts: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """For every level: the reference value at the level's source quantile (linear between levels)."""
    source_q = np.cumsum(source_counts, dtype=np.float64) / source_counts.sum()
    present = reference_counts > 0
    reference_q = np.cumsum(reference_counts[present], dtype=np.float64) / reference_counts.sum()
    return np.interp(source_q, reference_q, levels[present])


def _histogram(image: np.ndarray, channel: int, count: int) -> np.ndarray:
    """Counts of every level of an integer H x W x C image's channel (OpenCV for uint8 with <= 4 channels)."""
    if count == 256 and image.shape[2] <= 4:
        return cv2.calcHist([image], [channel], None, [256], [0, 256]).ravel()
    return np.bincount(image[:, :, channel].ravel(), minlength=count)


def histogram_matching(image: np.ndarray, reference: np.ndarray, blend: float = 1.0) -> np.ndarray:
    """Match each channel's histogram to ``reference``'s, then blend: ``(1 - blend) image + blend matched``.

    Exact CDF matching (as ``skimage.exposure.match_histograms``): the pixels of each source value
    take the reference value at the same quantile, linearly interpolated between the reference's
    values. uint8 and uint16 images go through one lookup table per channel (rounded half up); float32
    images through their sorted unique values. The reference is adapted with :func:`adapt_reference`;
    its size does not matter.

    >>> histogram_matching(np.array([[0, 1]], np.uint8), np.array([[50, 150]], np.uint8), 0.5).tolist()
    [[25, 76]]
    """
    if not 0.0 <= blend <= 1.0:
        raise ValueError(f"blend expects a number in [0, 1]; got {blend}")
    ref = _as_hwc(adapt_reference(reference, image))
    source = _as_hwc(image)
    channels = source.shape[2]
    if image.dtype == np.float32:
        out = np.empty(source.shape, np.float32)
        for c in range(channels):
            values, inverse, counts = np.unique(source[:, :, c], return_inverse=True, return_counts=True)
            ref_values, ref_counts = np.unique(ref[:, :, c], return_counts=True)
            source_q = np.cumsum(counts, dtype=np.float64) / counts.sum()
            reference_q = np.cumsum(ref_counts, dtype=np.float64) / ref_counts.sum()
            mapped = np.interp(source_q, reference_q, ref_values.astype(np.float64))
            mixed = (values + blend * (mapped - values)).astype(np.float32)
            out[:, :, c] = mixed[inverse.reshape(source.shape[:2])]
        np.clip(out, np.float32(0.0), np.float32(1.0), out=out)
        return out[:, :, 0] if image.ndim == 2 else out
    count = int(max_value(image.dtype)) + 1
    levels = np.arange(count, dtype=np.float64)
    tables = np.empty((count, channels), image.dtype)
    for c in range(channels):
        source_counts = _histogram(source, c, count)
        reference_counts = _histogram(ref, c, count)
        mapped = _quantile_map(source_counts, reference_counts, levels)
        tables[:, c] = np.clip(np.floor(levels + blend * (mapped - levels) + 0.5), 0, count - 1)
    if image.ndim == 2:
        return np.ascontiguousarray(tables[:, 0][image]) if count > 256 else apply_lut(image, tables[:, 0].copy())
    if count == 256:
        return apply_lut(image, tables[:, 0].copy() if channels == 1 else tables)
    out16 = np.empty_like(image)
    for c in range(channels):
        np.take(tables[:, c], image[:, :, c], out=out16[:, :, c])
    return out16


# --------------------------------------------------------------------------- pixel distribution adaptation
def _mean_std(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and (biased) std of an H x W x C image, in float64."""
    channels = image.shape[2]
    if channels <= 4:
        mean, std = cv2.meanStdDev(image)
        return mean.ravel()[:channels], std.ravel()[:channels]
    values = image.reshape(-1, channels).astype(np.float64)
    return values.mean(axis=0), values.std(axis=0)


def _min_max(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel minimum and maximum of an H x W x C image, in float64."""
    extremes = [cv2.minMaxLoc(np.ascontiguousarray(image[:, :, c]))[:2] for c in range(image.shape[2])]
    return np.array([e[0] for e in extremes]), np.array([e[1] for e in extremes])


def _moments(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and (biased) covariance matrix of an H x W x C image, in float64."""
    channels = image.shape[2]
    values = image.reshape(-1, channels).astype(np.float64)
    # OpenCV's mean is several times faster than numpy's along a short last axis
    mean = np.array(cv2.mean(image)[:channels], np.float64) if channels <= 4 else values.mean(axis=0)
    # E[x x^T] - mean mean^T: exact enough in float64 for image values (at most 65535)
    return mean, (values.T @ values) / len(values) - np.outer(mean, mean)


def _principal_axes(covariance: np.ndarray) -> np.ndarray:
    """Eigenvectors as columns, by decreasing variance, each with its largest entry positive."""
    _, vectors = np.linalg.eigh(covariance)
    vectors = vectors[:, ::-1]
    signs = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(vectors.shape[1])])
    return vectors * np.where(signs == 0, 1.0, signs)


def _fit_map(source: np.ndarray, reference: np.ndarray, transform_type: str) -> tuple[np.ndarray, np.ndarray]:
    """``(matrix, offset)`` with ``mapped = pixel @ matrix + offset`` for H x W x C images."""
    if transform_type == "minmax":
        src_low, src_high = _min_max(source)
        ref_low, ref_high = _min_max(reference)
        span = src_high - src_low
        scale = (ref_high - ref_low) / np.where(span > 0, span, 1.0)
        return np.diag(scale), ref_low - src_low * scale
    if transform_type == "standard":
        src_mean, src_std = _mean_std(source)
        ref_mean, ref_std = _mean_std(reference)
        scale = ref_std / np.where(src_std > 0, src_std, 1.0)
        return np.diag(scale), ref_mean - src_mean * scale
    if transform_type != "pca":
        raise ValueError(f"transform_type expects one of {', '.join(PDA_TYPES)}; got {transform_type!r}")
    src_mean, src_cov = _moments(source)
    ref_mean, ref_cov = _moments(reference)
    matrix = _principal_axes(src_cov) @ _principal_axes(ref_cov).T
    return matrix, ref_mean - src_mean @ matrix


def pixel_distribution_adaptation(
    image: np.ndarray, reference: np.ndarray, blend: float = 1.0, transform_type: str = "pca"
) -> np.ndarray:
    """Map the image's pixel distribution onto ``reference``'s with a fitted linear transform, then blend.

    Pixels are C-vectors. ``"standard"`` (z-scores per channel) and ``"minmax"`` (per-channel ranges)
    map ``(x - fit_source) -> inverse(fit_reference)``; ``"pca"`` centres on the source mean, projects on
    the source's principal axes and reconstructs with the reference's axes and mean (no whitening, as
    scikit-learn's ``PCA`` with its defaults; eigenvectors are signed so their largest entry is positive).
    A zero source std or range counts as 1. ``blend`` mixes with the original; the result is clipped.

    >>> image = np.array([[0, 100]], np.uint8)
    >>> pixel_distribution_adaptation(image, np.array([[50, 70]], np.uint8), 1.0, "minmax").tolist()
    [[50, 70]]
    """
    if not 0.0 <= blend <= 1.0:
        raise ValueError(f"blend expects a number in [0, 1]; got {blend}")
    ref = _as_hwc(adapt_reference(reference, image))
    source = _as_hwc(image)
    channels = source.shape[2]
    matrix, offset = _fit_map(source, ref, transform_type)
    matrix = (1.0 - blend) * np.eye(channels) + blend * matrix
    offset = blend * offset
    pixels = source.astype(np.float32)
    if channels <= 4:  # OpenCV's float path (its integer path rounds the matrix to fixed point)
        affine = np.concatenate([matrix.T, offset[:, None]], axis=1)
        mapped = keep_channels(cv2.transform(pixels, affine), source)
    else:
        mapped = (pixels.reshape(-1, channels) @ matrix.astype(np.float32)).reshape(source.shape)
        mapped += offset.astype(np.float32)
    out = _to_dtype(mapped, image.dtype)
    return np.ascontiguousarray(out[:, :, 0] if image.ndim == 2 else out)


# --------------------------------------------------------------------------- random convolutions
def random_convolution_weights(kernel_size: int, channels: int, seed: int) -> np.ndarray:
    """The ``(C_out, C_in, k, k)`` float32 weights of :func:`random_convolution`: ``N(0, 1 / (k k C))``.

    >>> random_convolution_weights(3, 2, seed=0).shape
    (2, 2, 3, 3)
    """
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size expects an odd integer >= 1; got {kernel_size}")
    std = 1.0 / math.sqrt(kernel_size * kernel_size * channels)
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, std, size=(channels, channels, kernel_size, kernel_size)).astype(np.float32)


def _convolve(source: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Multi-channel cross-correlation (as a conv layer), reflected borders, float32 H x W x C."""
    channels, _, size, _ = weights.shape
    height, width = source.shape[:2]
    if size == 1:
        matrix = weights[:, :, 0, 0]
        if channels <= 4:
            return keep_channels(cv2.transform(source, matrix), source)
        return (source.reshape(-1, channels) @ matrix.T).reshape(height, width, channels)
    out = np.zeros((height, width, channels), np.float32)
    if channels <= 4:
        for i in range(channels):
            plane = np.ascontiguousarray(source[:, :, i])
            for o in range(channels):
                out[:, :, o] += cv2.filter2D(plane, cv2.CV_32F, weights[o, i], borderType=cv2.BORDER_REFLECT_101)
        return out
    half = size // 2
    padded = np.pad(source, ((half, half), (half, half), (0, 0)), mode="reflect")
    flat = out.reshape(-1, channels)
    for dy in range(size):
        for dx in range(size):
            window = padded[dy : dy + height, dx : dx + width].reshape(-1, channels)
            flat += window @ weights[:, :, dy, dx].T
    return out


def random_convolution(image: np.ndarray, kernel_size: int, seed: int, alpha: float = 0.0, rescale: str = "minmax") -> np.ndarray:
    """A random convolution layer (RandConv, Xu et al. 2021), optionally mixed with the original.

    The ``C -> C`` layer has ``k x k`` weights from :func:`random_convolution_weights` (regenerated from
    ``seed``), no bias, reflected borders, and is applied as a cross-correlation (like a conv layer).
    ``rescale="minmax"`` maps the output's minimum and maximum over the whole image (all channels
    together) to the dtype's range (a constant output is clipped instead); ``"clip"`` clips it. The
    result is ``alpha * image + (1 - alpha) * rescaled`` (RandConv-mix; ``alpha = 0`` is plain RandConv).

    >>> out = random_convolution(np.arange(16, dtype=np.uint8).reshape(4, 4), 3, seed=0)
    >>> int(out.min()), int(out.max())
    (0, 255)
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha expects a number in [0, 1]; got {alpha}")
    if rescale not in RESCALE_MODES:
        raise ValueError(f"rescale expects one of {', '.join(RESCALE_MODES)}; got {rescale!r}")
    source = _as_hwc(image).astype(np.float32)
    weights = random_convolution_weights(kernel_size, source.shape[2], seed)
    out = _convolve(source, weights)
    top = max_value(image.dtype)
    low, high = float(out.min()), float(out.max())
    if rescale == "minmax" and high - low > 1e-6 * top:
        scale = np.float32(top / (high - low))
        out -= np.float32(low)
        out *= scale
    else:
        np.clip(out, np.float32(0.0), np.float32(top), out=out)
    if alpha > 0.0:
        out *= np.float32(1.0 - alpha)
        out += np.float32(alpha) * source
    out = _to_dtype(out, image.dtype)
    return np.ascontiguousarray(out[:, :, 0] if image.ndim == 2 else out)
