"""Compression and resampling artifacts: JPEG and WebP round trips, downscaling, ringing.

Every kernel takes an H x W or H x W x C image (uint8, uint16 or float32 in [0, 1]; any channel
count) and returns a new C-contiguous array of the same dtype and shape.

Codecs (OpenCV's ``imencode``/``imdecode``) take 8-bit images of 1 or 3 channels, so:

* uint16 and float32 images are quantized to 256 levels (``round(x / 257)``, ``round(255 x)``),
  compressed, and scaled back (``* 257``, ``/ 255``): the output holds only those 256 levels.
* three channels are taken as RGB (converted to the codec's BGR order and back, so luma and
  chroma subsampling fall on the right colours); one channel is greyscale. Other channel counts are
  split into consecutive groups of three, each compressed as an RGB image, and the one or two
  channels left over are compressed one by one as greyscale images (RGBA: RGB + grey alpha).

>>> import numpy as np
>>> jpeg_compression(np.full((8, 8, 3), 200, np.uint8), 90)[0, 0].tolist()
[200, 200, 200]
"""

from __future__ import annotations

import functools

import cv2
import numpy as np

from augkit.image.functional._cv import CV_MAX_CHANNELS, by_channel_groups
from augkit.image.functional.geometry import resize

__all__ = ["downscale", "jpeg_compression", "ringing_overshoot", "sinc_kernel", "webp_compression"]

_DECODES_RGB = hasattr(cv2, "IMREAD_COLOR_RGB")  # OpenCV >= 4.10 decodes straight to RGB
_READ_COLOUR: int = getattr(cv2, "IMREAD_COLOR_RGB", cv2.IMREAD_COLOR)
_DROP_L1 = 1e-6  # separable parts of a ringing kernel are dropped while their total L1 norm stays below this


# ---------------------------------------------------------------------------------- codecs
def _codec(planes: np.ndarray, extension: str, flag: int, quality: int) -> np.ndarray:
    """Encode and decode one uint8 H x W (grey) or H x W x 3 (RGB) array."""
    colour = planes.ndim == 3
    ok, buffer = cv2.imencode(extension, cv2.cvtColor(planes, cv2.COLOR_RGB2BGR) if colour else planes, [flag, int(quality)])
    if not ok:  # pragma: no cover - OpenCV builds without the codec
        raise RuntimeError(f"OpenCV could not encode a {planes.shape} image as {extension}")
    decoded = cv2.imdecode(buffer, _READ_COLOUR if colour else cv2.IMREAD_GRAYSCALE)
    if decoded is None:  # pragma: no cover - OpenCV builds without the codec
        raise RuntimeError(f"OpenCV could not decode its own {extension} encoding of a {planes.shape} image")
    if colour and not _DECODES_RGB:  # pragma: no cover - OpenCV < 4.10
        cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB, dst=decoded)
    return np.asarray(decoded)


def _to_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return image
    flat = image.reshape(image.shape[0], -1)
    alpha = 1.0 / 257.0 if image.dtype == np.uint16 else 255.0
    return cv2.addWeighted(flat, alpha, flat, 0.0, 0.0, dtype=cv2.CV_8U).reshape(image.shape)


def _from_uint8(data: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype == np.uint8:
        return data
    if dtype == np.uint16:
        out = data.astype(np.uint16)
        out *= np.uint16(257)
        return out
    out = data.astype(np.float32)
    out *= np.float32(1.0 / 255.0)
    return out


def _round_trip(image: np.ndarray, extension: str, flag: int, quality: int) -> np.ndarray:
    data = _to_uint8(image)
    if data.ndim == 2 or data.shape[2] == 3:
        out = _codec(data, extension, flag, quality)
    else:
        channels = data.shape[2]
        colour = channels - channels % 3
        parts = [_codec(np.ascontiguousarray(data[:, :, i : i + 3]), extension, flag, quality) for i in range(0, colour, 3)]
        parts += [
            _codec(np.ascontiguousarray(data[:, :, i]), extension, flag, quality)[:, :, None] for i in range(colour, channels)
        ]
        out = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=2)
    return _from_uint8(out, image.dtype)


def jpeg_compression(image: np.ndarray, quality: int) -> np.ndarray:
    """Encode as JPEG at ``quality`` (0-100) and decode again (OpenCV / libjpeg, 4:2:0 chroma).

    >>> import numpy as np
    >>> jpeg_compression(np.zeros((4, 6), np.uint16), 50).dtype.name
    'uint16'
    """
    return _round_trip(image, ".jpg", cv2.IMWRITE_JPEG_QUALITY, quality)


def webp_compression(image: np.ndarray, quality: int) -> np.ndarray:
    """Encode as lossy WebP at ``quality`` (1-100) and decode again (OpenCV / libwebp).

    WebP always subsamples colour (4:2:0), so even quality 100 is not lossless on colour edges.

    >>> import numpy as np
    >>> webp_compression(np.full((8, 8), 0.5, np.float32), 80).shape
    (8, 8)
    """
    return _round_trip(image, ".webp", cv2.IMWRITE_WEBP_QUALITY, quality)


# ---------------------------------------------------------------------------------- downscale
def downscale(
    image: np.ndarray, scale: float, down_interpolation: str = "nearest", up_interpolation: str = "nearest"
) -> np.ndarray:
    """Resize to ``scale`` times the size (``floor``, at least 1 pixel) and back to the original size.

    >>> import numpy as np
    >>> downscale(np.arange(16, dtype=np.uint8).reshape(4, 4), 0.5).tolist()
    [[0, 0, 2, 2], [0, 0, 2, 2], [8, 8, 10, 10], [8, 8, 10, 10]]
    """
    height, width = image.shape[:2]
    small_height = max(1, int(height * scale + 1e-9))
    small_width = max(1, int(width * scale + 1e-9))
    small = resize(image, small_height, small_width, down_interpolation)
    if up_interpolation == "nearest" and small.dtype == np.uint8 and small.ndim == 3 and small.shape[2] == 3:
        return _nearest_rgb8(small, height, width)
    return resize(small, height, width, up_interpolation)


def _nearest_rgb8(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """``cv2.resize(..., INTER_NEAREST)`` of a uint8 RGB image, exactly, but faster: each pixel padded to
    four bytes and moved as one 32-bit value (OpenCV's nearest path is slow for 3-byte pixels)."""
    packed = cv2.cvtColor(image, cv2.COLOR_RGB2RGBA).view(np.int32)[:, :, 0]
    moved = cv2.resize(packed, (width, height), interpolation=cv2.INTER_NEAREST)
    return cv2.cvtColor(moved[:, :, None].view(np.uint8), cv2.COLOR_RGBA2RGB)


# ---------------------------------------------------------------------------------- ringing
def sinc_kernel(ksize: int, cutoff: float) -> np.ndarray:
    """The 2-D (circular) sinc low-pass kernel ``cutoff * J1(cutoff * r) / (2 pi r)`` of odd size
    ``ksize``, ``r`` the distance to the centre (``cutoff**2 / (4 pi)`` at ``r = 0``), normalized to
    sum to 1 (float64). ``cutoff`` is the cut-off frequency in radians per pixel.

    >>> round(float(sinc_kernel(7, 1.0).sum()), 12)
    1.0
    """
    from scipy import special  # imported on first use (slow to import)

    if ksize < 1 or ksize % 2 == 0:
        raise ValueError(f"sinc_kernel expects an odd ksize >= 1; got {ksize}")
    centre = (ksize - 1) // 2
    offsets = np.arange(ksize, dtype=np.float64) - centre
    radius = np.hypot(offsets[:, None], offsets[None, :])
    radius[centre, centre] = 1.0  # placeholder, replaced by the limit below
    kernel = cutoff * special.j1(cutoff * radius) / (2.0 * np.pi * radius)
    kernel[centre, centre] = cutoff * cutoff / (4.0 * np.pi)
    return kernel / kernel.sum()


@functools.lru_cache(maxsize=64)
def _separable_parts(ksize: int, cutoff: float) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """The kernel as a sum of outer products ``kx ky^T`` (eigen-decomposition of the symmetric kernel),
    dropping parts whose summed L1 norm is below ``_DROP_L1``."""
    values, vectors = np.linalg.eigh(sinc_kernel(ksize, cutoff))
    weight = np.abs(values) * np.abs(vectors).sum(axis=0) ** 2  # L1 norm of each part
    order = np.argsort(weight)
    dropped = np.cumsum(weight[order]) <= _DROP_L1
    keep = sorted(order[~dropped].tolist(), key=lambda i: -weight[i])
    parts = []
    for i in keep:
        column = np.ascontiguousarray(vectors[:, i])
        kx, ky = (values[i] * column).astype(np.float32), column.astype(np.float32)
        kx.setflags(write=False)
        ky.setflags(write=False)
        parts.append((kx, ky))
    return tuple(parts)


def ringing_overshoot(image: np.ndarray, ksize: int, cutoff: float) -> np.ndarray:
    """Filter with :func:`sinc_kernel` (reflect-101 borders), giving ringing and overshoot near edges;
    results are rounded and saturated (float: clipped to [0, 1]).

    The kernel is applied as a few separable passes (exact up to 1e-6 of its L1 norm), which is
    several times faster than ``cv2.filter2D`` at these sizes.

    >>> import numpy as np
    >>> ringing_overshoot(np.full((5, 5), 100, np.uint8), 7, 1.0)[2, 2]
    np.uint8(100)
    """
    parts = _separable_parts(int(ksize), float(cutoff))

    def run(planes: np.ndarray) -> np.ndarray:
        total = cv2.sepFilter2D(planes, cv2.CV_32F, *parts[0], borderType=cv2.BORDER_REFLECT_101)
        for kx, ky in parts[1:]:  # the kernel's L1 norm is >= 1, so parts[0] always exists
            np.add(total, cv2.sepFilter2D(planes, cv2.CV_32F, kx, ky, borderType=cv2.BORDER_REFLECT_101), out=total)
        return np.asarray(total)

    total = by_channel_groups(run, image, CV_MAX_CHANNELS)
    if image.dtype == np.float32:
        np.clip(total, 0.0, 1.0, out=total)
        return total
    flat = total.reshape(total.shape[0], -1)
    depth = cv2.CV_8U if image.dtype == np.uint8 else cv2.CV_16U
    return cv2.addWeighted(flat, 1.0, flat, 0.0, 0.0, dtype=depth).reshape(image.shape)
