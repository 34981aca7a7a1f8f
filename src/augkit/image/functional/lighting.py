"""Lighting kernels for road scenes: cast shadows, sun flare and low light (day to night).

Like the weather kernels, they take uint8, uint16 and float32 images (floats in [0, 1]); colours are
given on the 0-255 scale, positions as fractions of the image (``x`` of the width, ``y`` of the
height), and blends are computed in float32 and rounded back half to even.

>>> import numpy as np
>>> image = np.full((20, 20), 200, np.uint8)
>>> out = shadow(image, [[[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]], [0.5])
>>> int(out[10, 5]), int(out[10, 15])
(100, 200)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from augkit.image.functional._lut import apply_lut, max_value
from augkit.image.functional.weather import blend_toward, normal_field, replicate, scaled_color, to_dtype, workspace

__all__ = [
    "NIGHT_TINT",
    "SCOTOPIC_WEIGHTS",
    "linear_to_srgb",
    "low_light",
    "shadow",
    "srgb_to_linear",
    "sun_flare_overlay",
    "sun_flare_physics",
]

#: Scotopic (rod) luminance from linear sRGB: ``V' = -0.805 X + 1.182 Y + 0.362 Z`` (a common linear
#: fit of the CIE 1951 scotopic curve in XYZ) expressed on the sRGB primaries and normalised to sum 1.
SCOTOPIC_WEIGHTS = (-0.0909, 0.7408, 0.3501)
#: The bluish colour (linear RGB, unit luminance) in which night scenes are rendered (Purkinje shift).
NIGHT_TINT = (0.833, 1.0, 1.5)


# --------------------------------------------------------------------------------------------- shadows
def _pixel_points(points: Sequence[Sequence[float]], height: int, width: int) -> np.ndarray:
    """Fractions of the image to pixel-centre coordinates (0 is the left edge of the first pixel)."""
    return np.asarray(points, np.float64).reshape(-1, 2) * (width, height) - 0.5


def shadow(
    image: np.ndarray,
    polygons: Sequence[Sequence[Sequence[float]]],
    intensities: Sequence[float],
    softness: float = 0.0,
) -> np.ndarray:
    """Cast shadows: pixels inside each polygon are multiplied by ``1 - intensity`` (overlapping
    shadows multiply), any channel count.

    ``polygons`` are lists of ``[x, y]`` vertices as fractions of the image, filled with OpenCV's
    ``fillPoly`` at 1/16 pixel precision. ``softness > 0`` blurs each shadow's edge (a penumbra)
    with a Gaussian of ``softness * min(H, W)`` pixels.

    >>> out = shadow(np.full((10, 10, 3), 1.0, np.float32), [[[0, 0], [1, 0], [1, 1]]], [0.25])
    >>> float(out[1, 8, 0]), float(out[8, 1, 0])
    (0.75, 1.0)
    """
    height, width = image.shape[:2]
    out = image.copy()
    sigma = float(softness) * min(height, width)
    pad = math.ceil(3.0 * sigma) + 1 if sigma > 0 else 1
    for polygon, intensity in zip(polygons, intensities, strict=True):
        points = _pixel_points(polygon, height, width)
        x0, y0 = (max(0, math.floor(v) - pad) for v in points.min(axis=0))
        x1, y1 = (math.ceil(v) + pad + 1 for v in points.max(axis=0))
        x1, y1 = min(width, x1), min(height, y1)
        gain = 1.0 - float(intensity)
        if x1 <= x0 or y1 <= y0 or gain == 1.0:
            continue
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        corners = np.round((points - (x0, y0)) * 16.0).astype(np.int32)
        cv2.fillPoly(mask, [corners], 255, cv2.LINE_8, shift=4)
        region = out[y0:y1, x0:x1]
        if sigma > 0:
            weight = cv2.GaussianBlur(mask.astype(np.float32) / np.float32(255.0), (0, 0), sigma)
            factor = np.float32(1.0) - np.float32(intensity) * weight
            values = region.astype(np.float32)
            values *= replicate(factor, values, "a")
            region[...] = to_dtype(values, image.dtype)
            continue
        if image.dtype == np.uint8:
            darker = apply_lut(region, np.rint(np.arange(256) * gain).astype(np.uint8))
        else:
            values = region.astype(np.float32)
            values *= np.float32(gain)
            darker = to_dtype(values, image.dtype)
        inside = mask.view(bool)
        np.copyto(region, darker, where=inside[:, :, None] if region.ndim == 3 else inside)
    return out


# -------------------------------------------------------------------------------------------- sun flare
def _distance(cx: float, cy: float, box: tuple[int, int, int, int], slot: str = "") -> np.ndarray:
    """Distances in pixels from ``(cx, cy)`` to the pixel centres of ``box = (x0, y0, x1, y1)``
    (written into the workspace ``slot`` when given)."""
    x0, y0, x1, y1 = box
    dx = np.arange(x0, x1, dtype=np.float32) - np.float32(cx)
    dy = np.arange(y0, y1, dtype=np.float32) - np.float32(cy)
    out = workspace(slot, (y1 - y0, x1 - x0), np.float32) if slot else None
    distance = np.add(np.square(dy)[:, None], np.square(dx)[None, :], out=out)
    return np.sqrt(distance, out=distance)


def _disc_box(cx: float, cy: float, radius: float, height: int, width: int) -> tuple[int, int, int, int]:
    return (
        max(0, math.floor(cx - radius)),
        max(0, math.floor(cy - radius)),
        min(width, math.ceil(cx + radius) + 1),
        min(height, math.ceil(cy + radius) + 1),
    )


def sun_flare_overlay(
    image: np.ndarray,
    center: Sequence[float],
    src_radius: float,
    src_color: Sequence[float],
    circles: Sequence[Sequence[float]],
) -> np.ndarray:
    """A sun with lens ghosts by alpha blending (Albumentations' "overlay" method), RGB.

    Each circle ``[x, y, radius, alpha, r, g, b]`` (position as fractions, radius in pixels, colour
    0-255) is blended in turn as a disc: ``out = (1 - alpha) * out + alpha * colour``. The sun
    smooths Albumentations' ``n = src_radius // 10`` nested discs with opacities
    ``(m * (1 - i / (n - 1)))^3`` (``m = min(1, 5 * mean circle alpha weighted by radius)``): at a
    distance ``d < src_radius`` from ``center``, ``w = 1 - exp(-D * (1 - d / src_radius)^4)`` where
    ``D = -sum(log(1 - opacity_i))`` is the discs' total depth (so the centre matches), and
    ``out = (1 - w) * out + w * src_color``.

    >>> ghosts = [[0.9, 0.9, 3.0, 0.2, 255, 255, 255]]
    >>> out = sun_flare_overlay(np.zeros((40, 40, 3), np.uint8), [0.5, 0.5], 30, (255, 255, 255), ghosts)
    >>> int(out[20, 20, 0]) > int(out[20, 35, 0]) > 0, int(out[0, 0, 0])
    (True, 0)
    """
    height, width = image.shape[:2]
    values = workspace("a", image.shape, np.float32)
    np.copyto(values, image, casting="unsafe")
    weighted, total = 0.0, 0.0
    for x, y, radius, alpha, *color in circles:
        cx, cy = x * width - 0.5, y * height - 0.5
        box = _disc_box(cx, cy, radius, height, width)
        weighted, total = weighted + alpha * radius, total + radius
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        inside = (_distance(cx, cy, box) <= radius).astype(np.float32) * np.float32(alpha)
        region = values[box[1] : box[3], box[0] : box[2]]
        blend_toward(region, inside, scaled_color(color, image.dtype))
    strength = min(1.0, 5.0 * weighted / total) if total > 0 else 0.2
    count = max(1, int(src_radius) // 10)
    alphas = (strength * np.linspace(1.0, 0.0, count)) ** 3 if count > 1 else np.array([strength**3])
    depth = float(-np.log1p(-np.minimum(alphas, 0.999)).sum())  # the discs' optical depth at the centre
    cx, cy = center[0] * width - 0.5, center[1] * height - 0.5
    box = _disc_box(cx, cy, src_radius, height, width)
    if box[2] > box[0] and box[3] > box[1] and src_radius > 0:
        reach = _distance(cx, cy, box, "b")
        reach *= np.float32(-1.0 / src_radius)
        reach += np.float32(1.0)
        np.maximum(reach, 0.0, out=reach)
        np.square(reach, out=reach)
        np.square(reach, out=reach)
        reach *= np.float32(-depth)
        cv2.exp(reach, dst=reach)
        np.subtract(np.float32(1.0), reach, out=reach)  # the sun's weight w
        region = values[box[1] : box[3], box[0] : box[2]]
        blend_toward(region, reach, scaled_color(src_color, image.dtype))
    return to_dtype(values, image.dtype, owned=False)


def sun_flare_physics(
    image: np.ndarray,
    center: Sequence[float],
    src_radius: float,
    src_color: Sequence[float],
    circles: Sequence[Sequence[float]],
    angle: float = 0.0,
) -> np.ndarray:
    """A lens flare built as light added by the optics, then screen-blended, RGB.

    The flare layer ``F`` (0-1) holds: the source's glare, a bright core (Gaussian of
    ``0.15 * src_radius``) over a wide halo (Gaussian of ``src_radius``); six diffraction spikes
    (thin rays at ``angle + k * 60`` degrees fading over ``src_radius``); and each circle
    ``[x, y, radius, alpha, r, g, b]`` as a soft ghost disc whose radius differs slightly per channel
    (``1.0``, ``1.03``, ``1.06`` times, lateral chromatic aberration). ``out = 1 - (1 - image) * (1 - F)``.

    >>> out = sun_flare_physics(np.zeros((40, 40, 3), np.float32), [0.5, 0.5], 20, (255, 255, 255), [])
    >>> float(out[20, 20, 0]) > float(out[20, 39, 0]), float(out.min()) >= 0.0
    (True, True)
    """
    height, width = image.shape[:2]
    cx, cy = center[0] * width - 0.5, center[1] * height - 0.5
    radius = max(float(src_radius), 1.0)
    dx = np.arange(width, dtype=np.float32) - np.float32(cx)
    dy = np.arange(height, dtype=np.float32) - np.float32(cy)
    square = np.add(np.square(dy)[:, None], np.square(dx)[None, :], out=workspace("b", (height, width), np.float32))
    glare = np.multiply(square, np.float32(-1.0 / (0.15 * radius) ** 2), out=workspace("c", (height, width), np.float32))
    cv2.exp(glare, dst=glare)
    term = np.multiply(square, np.float32(-1.0 / radius**2), out=workspace("d", (height, width), np.float32))
    cv2.exp(term, dst=term)
    term *= np.float32(0.4)
    glare += term  # core + halo
    fade = np.sqrt(square, out=square)
    fade *= np.float32(-1.0 / radius)
    cv2.exp(fade, dst=fade)
    fade *= np.float32(0.25)
    width_scale = np.float32(-1.0 / (0.004 * radius + 0.6) ** 2)
    for k in range(3):  # three lines through the source: six spikes
        theta = angle + k * math.pi / 3.0
        np.add((dy * np.float32(math.cos(theta)))[:, None], (dx * np.float32(-math.sin(theta)))[None, :], out=term)
        np.square(term, out=term)
        term *= width_scale
        cv2.exp(term, dst=term)
        term *= fade
        glare += term
    tint = np.asarray(src_color, np.float32) / np.float32(255.0)
    flare = cv2.merge([glare * t for t in tint], dst=workspace("e", (height, width, 3), np.float32))
    for x, y, ghost, alpha, *color in circles:
        gx, gy = x * width - 0.5, y * height - 0.5
        box = _disc_box(gx, gy, ghost * 1.2 + 2.0, height, width)
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        near = _distance(gx, gy, box)
        region = flare[box[1] : box[3], box[0] : box[2]]
        soft = max(1.0, 0.15 * ghost)
        for channel, scale in enumerate((1.0, 1.03, 1.06)):
            edge = np.clip(np.float32(ghost * scale + 0.5) - near, 0.0, np.float32(soft))
            edge *= np.float32(alpha * color[channel] / 255.0 / soft)
            region[:, :, channel] += edge
    np.minimum(flare, np.float32(1.0), out=flare)
    top = np.float32(max_value(image.dtype))
    base = workspace("a", image.shape, np.float32)
    np.copyto(base, image, casting="unsafe")
    # screen, in the dtype's units: 1 - (1 - a)(1 - b) = a + b * (1 - a)
    shade = np.subtract(top, base, out=workspace("f", image.shape, np.float32))
    flare *= shade
    flare += base
    return to_dtype(flare, image.dtype, owned=False)


# ------------------------------------------------------------------------------------------- low light
def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    """The sRGB decoding (IEC 61966-2-1) of float values in [0, 1], as float32.

    >>> [round(float(v), 4) for v in srgb_to_linear(np.array([0.0, 0.5, 1.0]))]
    [0.0, 0.214, 1.0]
    """
    values = np.asarray(values, np.float32)
    curve = np.power((values + np.float32(0.055)) / np.float32(1.055), np.float32(2.4))
    return np.where(values <= np.float32(0.04045), values / np.float32(12.92), curve).astype(np.float32)


def linear_to_srgb(values: np.ndarray) -> np.ndarray:
    """The sRGB encoding of linear float values in [0, 1], as float32.

    >>> [round(float(v), 3) for v in linear_to_srgb(np.array([0.0, 0.214, 1.0]))]
    [0.0, 0.5, 1.0]
    """
    values = np.clip(np.asarray(values, np.float32), 0.0, 1.0)
    curve = np.float32(1.055) * np.power(values, np.float32(1.0 / 2.4)) - np.float32(0.055)
    return np.where(values <= np.float32(0.0031308), values * np.float32(12.92), curve).astype(np.float32)


_ENCODE_UINT8: list[np.ndarray] = []
_LUMA = (0.2126, 0.7152, 0.0722)


def _darken(image: np.ndarray, exposure: float, gamma: float, name: str) -> np.ndarray:
    """``exposure * linear(image) ** gamma`` as float32 (integers: one table lookup into the
    workspace buffer ``name``)."""
    if image.dtype == np.float32:
        dark = srgb_to_linear(image)
        if gamma != 1.0:
            np.power(dark, np.float32(gamma), out=dark)
        dark *= np.float32(exposure)
        return dark
    top = max_value(image.dtype)
    table = np.power(srgb_to_linear(np.arange(int(top) + 1, dtype=np.float32) / np.float32(top)), np.float32(gamma))
    table *= np.float32(exposure)
    if image.dtype == np.uint8:
        flat = image.reshape(image.shape[0], -1)  # OpenCV's LUT takes any width as one plane
        buffer = workspace(name, flat.shape, np.float32)
        return cv2.LUT(flat, table.reshape(1, 256), dst=buffer).reshape(image.shape)
    return np.take(table, image, out=workspace(name, image.shape, np.float32))


def _encode(linear: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Linear float32 values in [0, 1] to sRGB in ``dtype`` (a new array)."""
    if dtype == np.uint8:  # linear values quantized to 16 bits, then one table lookup
        if not _ENCODE_UINT8:
            _ENCODE_UINT8.append(np.rint(linear_to_srgb(np.arange(65536) / 65535.0) * 255.0).astype(np.uint8))
        flat = linear.reshape(linear.shape[0], -1)
        codes: np.ndarray = cv2.addWeighted(
            flat, 65535.0, flat, 0.0, 0.0, dst=workspace("a", flat.shape, np.uint16), dtype=cv2.CV_16U
        )
        return np.take(_ENCODE_UINT8[0], codes.reshape(linear.shape))
    out = linear_to_srgb(linear)
    out *= np.float32(max_value(dtype))
    return to_dtype(out, dtype)


def low_light(
    image: np.ndarray,
    exposure: float,
    gamma: float,
    blue_shift: float,
    noise: float,
    seed: int,
    light_threshold: float | None = None,
) -> np.ndarray:
    """Day to night, in linear light. RGB or grey images.

    1. Decode sRGB to linear light ``x`` and darken: ``y = exposure * x ** gamma`` (the light falls to
       ``exposure``; ``gamma > 1`` crushes the shadows more than the highlights, as at night).
    2. Purkinje shift (RGB only): ``y = (1 - blue_shift) * y + blue_shift * V'(y) * NIGHT_TINT``, where
       ``V'`` is the rod (scotopic) luminance (:data:`SCOTOPIC_WEIGHTS`): colours fade toward blue.
    3. Light sources (``light_threshold`` not None): pixels whose original luma (Rec. 709) exceeds the
       threshold keep their daylight value in proportion ``(luma - t) / (1 - t)``, and glow (half
       their light spread by a Gaussian of 2 % of the image diagonal).
    4. Sensor noise (Poisson-Gaussian, independent per channel): ``y += noise * sqrt(y + 0.01) * N(0, 1)``,
       i.e. shot noise whose relative size grows as the signal falls, over a read-noise floor of
       ``0.1 * noise``; the normal values (:func:`~augkit.image.functional.weather.normal_field`) are
       rebuilt from ``seed``.
    5. Clip to [0, 1] and encode back to sRGB.

    >>> image = np.full((8, 8, 3), 180, np.uint8)
    >>> out = low_light(image, exposure=0.2, gamma=2.0, blue_shift=0.3, noise=0.0, seed=0)
    >>> out[0, 0].tolist()
    [56, 58, 62]
    """
    dark = _darken(image, exposure, gamma, "a")
    color = dark.ndim == 3 and dark.shape[2] == 3
    if color and blue_shift > 0.0:
        # (1 - s) * y + s * tint * (w . y): one 3 x 3 colour matrix
        mix = np.float32(blue_shift) * np.outer(NIGHT_TINT, SCOTOPIC_WEIGHTS) + np.float32(1.0 - blue_shift) * np.eye(3)
        dark = cv2.transform(dark, mix.astype(np.float32), dst=workspace("b", dark.shape, np.float32))
    if light_threshold is not None:
        linear = _darken(image, 1.0, 1.0, "c")
        top = np.float32(max_value(image.dtype))
        if color:
            luma = cv2.transform(image.astype(np.float32), np.asarray([_LUMA], np.float32) / top)
        else:
            luma = image.reshape(image.shape[:2]).astype(np.float32) / top
        keep = np.clip((luma - np.float32(light_threshold)) / np.float32(max(1.0 - light_threshold, 1e-3)), 0.0, 1.0)
        weight = keep.reshape(keep.shape[0], keep.shape[1], *([1] if dark.ndim == 3 else []))
        lights = linear * weight
        dark += weight * (linear - dark)
        glow = cv2.GaussianBlur(lights, (0, 0), 0.02 * math.hypot(*image.shape[:2]))
        dark += np.float32(0.5) * glow.reshape(dark.shape)
    if noise > 0.0:
        flat = dark.reshape(dark.shape[0], -1)
        spread = np.add(flat, np.float32(0.01), out=workspace("d", flat.shape, np.float32))
        np.maximum(spread, 0.0, out=spread)
        cv2.sqrt(spread, dst=spread)
        spread *= normal_field(seed, spread.shape, out=workspace("e", flat.shape, np.float32))
        spread *= np.float32(noise)
        dark += spread.reshape(dark.shape)
    np.clip(dark, 0.0, 1.0, out=dark)
    return _encode(dark, image.dtype)  # a new array (also for float32: linear_to_srgb allocates)
