"""Colour kernels: brightness, contrast, saturation, hue, HSV shifts and colour jitter.

uint8 images go through 256-entry lookup tables or OpenCV (saturating arithmetic, 8-bit HSV); uint16
and float32 images are computed in floating point (float images lie in [0, 1]). ``saturation``, ``hue``, ``shift_hsv``
take RGB images (H x W x 3); the others take any channel count. Grey levels use the ITU-R 601-2 luma
weights (0.299, 0.587, 0.114), as torchvision and Pillow do.

>>> import numpy as np
>>> brightness_contrast(np.array([[100]], dtype=np.uint8), alpha=1.0, beta=0.1).tolist()
[[126]]
>>> hue(np.array([[[255, 0, 0]]], dtype=np.uint8), 1 / 3).tolist()  # red turned by 120 degrees
[[[0, 255, 0]]]
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._lut import TIE_NUDGE, UINT8_ROW, UINT16_RANGE, apply_lut, max_value, round_half_up_table

__all__ = [
    "LUMA",
    "brightness",
    "brightness_contrast",
    "color_jitter",
    "contrast",
    "gray_mean",
    "hue",
    "saturation",
    "shift_hsv",
]

#: ITU-R 601-2 luma weights of R, G and B.
LUMA = (0.299, 0.587, 0.114)
_IDENTITY = np.arange(256, dtype=np.uint8)
_JITTER_OPS = ("brightness", "contrast", "saturation", "hue")


def brightness_contrast(image: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """``alpha * image + beta * max_value``, saturated to the dtype's range.

    Integer images round half up (``floor(v + 0.5)``, computed exactly in float64 through a lookup
    table), so a pure brightness change shifts every pixel by the same amount.
    """
    if image.dtype == np.uint8:
        # one OpenCV call builds the table in float64 and rounds to nearest, saturated to [0, 255];
        # the 1e-7 nudge breaks exact ties upwards (half up), so a pure shift moves every level alike
        table = cv2.addWeighted(UINT8_ROW, alpha, UINT8_ROW, 0.0, beta * 255.0 + TIE_NUDGE, dtype=cv2.CV_8U)
        return apply_lut(image, table.reshape(256))
    if image.dtype == np.uint16:
        if image.size < UINT16_RANGE.size:  # small image: compute directly, same float64 arithmetic
            return round_half_up_table(image * alpha + beta * 65535.0, 65535.0, np.uint16)
        table = round_half_up_table(UINT16_RANGE * alpha + beta * 65535.0, 65535.0, np.uint16)
        return np.take(table, image)
    out = image * np.float32(alpha)
    if beta != 0.0:
        out += np.float32(beta)
    np.clip(out, 0.0, 1.0, out=out)
    return out


def brightness(image: np.ndarray, factor: float) -> np.ndarray:
    """``factor * image``, saturated (torchvision's ``adjust_brightness``; integers round half up).

    >>> brightness(np.array([[100, 200]], dtype=np.uint8), 1.5).tolist()
    [[150, 255]]
    """
    return brightness_contrast(image, factor, 0.0)


def gray_mean(image: np.ndarray) -> float:
    """The mean grey level of one image, in its own units: the mean ITU-R 601-2 luma of an RGB image;
    for any other channel count, the mean over all pixels and channels.

    >>> round(gray_mean(np.array([[[255, 0, 0], [0, 0, 0]]], dtype=np.uint8)), 4)
    38.1225
    """
    channels = 1 if image.ndim == 2 else image.shape[2]
    if channels <= 4:
        means = cv2.mean(np.ascontiguousarray(image))[:channels]
    else:
        means = tuple(image.reshape(-1, channels).mean(axis=0, dtype=np.float64))
    if channels == 3:
        return float(LUMA[0] * means[0] + LUMA[1] * means[1] + LUMA[2] * means[2])
    return float(sum(means) / channels)


def contrast(image: np.ndarray, factor: float, mean: float | None = None) -> np.ndarray:
    """Blend with the image's mean grey level: ``factor * image + (1 - factor) * mean``, saturated
    (torchvision's ``adjust_contrast``, with the mean of the unrounded luma).

    ``mean`` (in the image's units) overrides the computed :func:`gray_mean`; Pillow's
    ``ImageEnhance.Contrast`` uses ``int(mean of its rounded L image + 0.5)``.

    >>> contrast(np.array([[0, 100]], dtype=np.uint8), 0.5).tolist()
    [[25, 75]]
    """
    level = gray_mean(image) if mean is None else float(mean)
    return brightness_contrast(image, factor, (1.0 - factor) * level / max_value(image.dtype))


def _rgb_rows(image: np.ndarray, name: str) -> np.ndarray:
    """The image as (rows, width, 3), checked to be RGB."""
    if image.ndim < 3 or image.shape[-1] != 3:
        raise ValueError(f"{name} expects an RGB image (H x W x 3); got shape {image.shape}")
    return np.ascontiguousarray(image).reshape(-1, image.shape[-2], 3)


def _transform(image: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``matrix @ pixel`` for every pixel of an RGB image, saturated to the dtype's range."""
    if image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3 and image.flags.c_contiguous:
        return cv2.transform(image, matrix)  # the common case, without reshaping
    out = cv2.transform(_rgb_rows(image, "transform"), matrix)
    if out.dtype == np.float32:
        np.clip(out, 0.0, 1.0, out=out)
    return out.reshape(image.shape[:-1] + out.shape[-1:])


def saturation(image: np.ndarray, factor: float) -> np.ndarray:
    """Blend an RGB image with its grey version: ``factor * image + (1 - factor) * luma``, saturated
    (torchvision's ``adjust_saturation``; ``0`` gives grey, ``1`` the image). One OpenCV matrix pass.

    >>> saturation(np.array([[[200, 100, 0]]], dtype=np.uint8), 0.0).tolist()
    [[[118, 118, 118]]]
    """
    matrix = factor * np.eye(3) + (1.0 - factor) * np.array([LUMA, LUMA, LUMA])
    return _transform(image, matrix)


def _shift_hsv_float(image: np.ndarray, hue: float, saturation: float, value: float) -> np.ndarray:
    """Exact path of :func:`shift_hsv`: OpenCV's float32 HSV, in place on a float32 copy of the image
    in its own units (uint8 and uint16 results are rounded once)."""
    work = _rgb_rows(image, "shift_hsv").astype(np.float32)
    cv2.cvtColor(work, cv2.COLOR_RGB2HSV, dst=work)
    top = max_value(image.dtype)
    h, s, v = work[..., 0], work[..., 1], work[..., 2]
    h += np.float32(hue % 360.0)  # OpenCV wraps hues >= 360 on the way back (not negative ones)
    if saturation > 0.0:  # grey pixels (S = 0) stay grey: S' = min(S * 1e30, S + saturation)
        np.minimum(s * np.float32(1e30), s + np.float32(saturation), out=s)
        np.minimum(s, np.float32(1.0), out=s)
    elif saturation < 0.0:
        s += np.float32(saturation)
        np.maximum(s, np.float32(0.0), out=s)
    if value != 0.0:
        v += np.float32(value * top)
        np.clip(v, 0.0, top, out=v)
    cv2.cvtColor(work, cv2.COLOR_HSV2RGB, dst=work)
    if image.dtype == np.uint8:
        return cv2.convertScaleAbs(work).reshape(image.shape)  # rounded and saturated
    if image.dtype == np.uint16:
        np.rint(work, out=work)
        np.clip(work, 0.0, top, out=work)
        return work.astype(np.uint16).reshape(image.shape)
    np.clip(work, 0.0, 1.0, out=work)
    return work.reshape(image.shape)


def _shift_hsv_8bit(image: np.ndarray, hue: float, saturation: float, value: float) -> np.ndarray:
    """Fast uint8 path of :func:`shift_hsv`: OpenCV's 8-bit HSV with ~256 hue steps and one table per
    HSV channel (a saturation of 0 stays 0, so grey pixels stay grey).

    OpenCV's ``RGB2HSV_FULL`` maps 360 degrees to 256 steps but ``HSV2RGB_FULL`` reads 255 steps as
    360 degrees: the hue table converts between the two, so an unshifted hue comes back unchanged.
    """
    hsv = cv2.cvtColor(_rgb_rows(image, "shift_hsv"), cv2.COLOR_RGB2HSV_FULL)
    planes = list(cv2.split(hsv))
    levels = np.arange(256, dtype=np.float64)
    planes[0] = apply_lut(planes[0], (np.floor(levels * (255.0 / 256.0) + hue * (255.0 / 360.0) + 0.5) % 255.0).astype(np.uint8))
    if saturation != 0.0:
        table = np.clip(np.floor(levels + saturation * 255.0 + 0.5), 0, 255).astype(np.uint8)
        table[0] = 0
        planes[1] = apply_lut(planes[1], table)
    if value != 0.0:
        planes[2] = apply_lut(planes[2], np.clip(np.floor(levels + value * 255.0 + 0.5), 0, 255).astype(np.uint8))
    cv2.merge(planes, dst=hsv)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB_FULL, dst=hsv).reshape(image.shape)


def shift_hsv(image: np.ndarray, hue: float, saturation: float, value: float, exact: bool = False) -> np.ndarray:
    """Shift an RGB image in HSV: the hue by ``hue`` degrees (circular), the saturation and the value
    by fractions of their full range (``0.1`` adds 10 %), both clipped to [0, 1]; grey pixels stay grey.

    uint8 images go through OpenCV's 8-bit HSV (as Albumentations does, but with ~256 hue steps;
    shifts rounded to whole steps: up to a few levels from the exact result) unless ``exact`` (float32
    HSV, rounded once; about 1.5x slower); uint16 and float32 images are always exact.

    >>> shift_hsv(np.array([[[200, 100, 0]]], dtype=np.uint8), 0.0, -1.0, 0.0).tolist()
    [[[200, 200, 200]]]
    """
    if hue % 360.0 == 0.0 and saturation == 0.0 and value == 0.0:
        _rgb_rows(image, "shift_hsv")
        return image.copy()
    if image.dtype == np.uint8 and not exact:
        return _shift_hsv_8bit(image, hue, saturation, value)
    return _shift_hsv_float(image, hue, saturation, value)


def hue(image: np.ndarray, factor: float) -> np.ndarray:
    """Turn the HSV hue of an RGB image by ``factor`` of a full turn (torchvision's ``adjust_hue``;
    ``factor`` in [-0.5, 0.5], 1/3 maps red to green), keeping saturation and value.

    Exact for every dtype: OpenCV's float32 HSV, in place; uint8 results are the float64 result
    rounded (ties aside).

    >>> hue(np.array([[[200, 100, 0]]], dtype=np.uint8), -0.5).tolist()
    [[[0, 100, 200]]]
    """
    if (360.0 * factor) % 360.0 == 0.0:
        _rgb_rows(image, "hue")
        return image.copy()
    return _shift_hsv_float(image, 360.0 * factor, 0.0, 0.0)


_RGB_STEPS = {"saturation": saturation, "hue": hue}


def color_jitter(
    image: np.ndarray,
    order: Sequence[str],
    brightness: float = 1.0,
    contrast: float = 1.0,
    saturation: float = 1.0,
    hue: float = 0.0,
) -> np.ndarray:
    """Apply the steps named in ``order`` (``"brightness"``, ``"contrast"``, ``"saturation"``,
    ``"hue"``) with the given factors, one after the other, as the kernels of the same names do.

    On images that are not RGB, saturation and hue are skipped (torchvision leaves a grey image alike).
    On uint8, consecutive brightness and contrast steps are fused into one lookup table (bit-identical
    to applying them one by one).

    >>> color_jitter(np.array([[10, 20]], dtype=np.uint8), ["contrast", "brightness"], brightness=2.0, contrast=0.0).tolist()
    [[30, 30]]
    """
    factors = {"brightness": brightness, "contrast": contrast, "saturation": saturation, "hue": hue}
    rgb = image.ndim == 3 and image.shape[2] == 3
    fuse = image.dtype == np.uint8
    out, table = image, None
    for name in order:
        if name not in _JITTER_OPS:
            raise ValueError(f"color_jitter: unknown step {name!r}; expected one of {', '.join(_JITTER_OPS)}")
        if name in _RGB_STEPS and not rgb:
            continue
        if name == "contrast" and table is not None:  # the mean needs the image as it is now
            out, table = apply_lut(out, table), None
        if name == "brightness" or name == "contrast":
            factor = factors[name]
            beta = 0.0 if name == "brightness" else (1.0 - factor) * gray_mean(out) / max_value(image.dtype)
            if fuse:
                table = brightness_contrast(_IDENTITY if table is None else table, factor, beta)
            else:
                out = brightness_contrast(out, factor, beta)
            continue
        if table is not None:
            out, table = apply_lut(out, table), None
        out = _RGB_STEPS[name](out, factors[name])
    if table is not None:
        out = apply_lut(out, table)
    return image.copy() if out is image else out
