"""Small helpers around OpenCV: keep the channel axis, and split images OpenCV cannot take whole."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

#: Interpolation names accepted everywhere, mapped to OpenCV flags.
INTERPOLATIONS: dict[str, int] = {
    "nearest": cv2.INTER_NEAREST,
    "nearest_exact": cv2.INTER_NEAREST_EXACT,
    "linear": cv2.INTER_LINEAR,
    "cubic": cv2.INTER_CUBIC,
    "area": cv2.INTER_AREA,
    "lanczos": cv2.INTER_LANCZOS4,
}

#: Border modes accepted everywhere, mapped to OpenCV flags ("reflect" mirrors without repeating the
#: edge pixel: dcb|abcd|cba).
BORDER_MODES: dict[str, int] = {
    "constant": cv2.BORDER_CONSTANT,
    "reflect": cv2.BORDER_REFLECT_101,
    "replicate": cv2.BORDER_REPLICATE,
    "wrap": cv2.BORDER_WRAP,
}

#: The most channels OpenCV's Python bindings take in one array (128 with OpenCV 5.0); wider images
#: are processed in channel groups or by numpy.
CV_MAX_CHANNELS = 128

#: Dtypes OpenCV interpolates (other mask dtypes fall back to nearest-neighbour).
_INTERPOLABLE = (
    np.dtype(np.uint8),
    np.dtype(np.uint16),
    np.dtype(np.int16),
    np.dtype(np.float32),
    np.dtype(np.float64),
)


def keep_channels(out: np.ndarray, like: np.ndarray) -> np.ndarray:
    """Restore the trailing channel axis OpenCV drops for H x W x 1 inputs."""
    if like.ndim == 3 and out.ndim == 2:
        return out[:, :, None]
    return out


def by_channel_groups(func: Callable[[np.ndarray], np.ndarray], image: np.ndarray, group: int = 4) -> np.ndarray:
    """Apply ``func`` to groups of at most ``group`` channels and join the results."""
    if image.ndim == 2 or image.shape[2] <= group:
        return keep_channels(func(image), image)
    parts = [
        keep_channels(func(np.ascontiguousarray(image[:, :, i : i + group])), image[:, :, :1])
        for i in range(0, image.shape[2], group)
    ]
    return np.concatenate(parts, axis=2)


def interpolation_flag(name: str, dtype: np.dtype) -> int:
    """The OpenCV flag for ``name``; dtypes OpenCV cannot interpolate get nearest-neighbour
    (``nearest_exact`` kept when asked for: it aligns pixel centres when resizing)."""
    if dtype not in _INTERPOLABLE:
        return cv2.INTER_NEAREST_EXACT if name == "nearest_exact" else cv2.INTER_NEAREST
    return INTERPOLATIONS[name]


def fill_for_channels(fill: float | Sequence[float] | np.ndarray, channels: int) -> tuple[float, ...]:
    """One fill value per channel: a number (or a one-element sequence) is repeated, otherwise the
    sequence must have one value per channel (ValueError if not)."""
    if isinstance(fill, (Sequence, np.ndarray)):
        values = tuple(float(v) for v in fill)
        if len(values) == 1:
            return values * channels
        if len(values) != channels:
            raise ValueError(f"fill has {len(values)} values for an image with {channels} channels")
        return values
    return (float(fill),) * channels
