"""Weather kernels for road scenes: fog, rain, snow and gravel.

Every kernel works on uint8, uint16 and float32 images (floats in [0, 1]): colours are given on the
0-255 scale and scaled to the dtype's full intensity, blends are computed in float32 and rounded
back (half to even, saturated), so the same parameters look the same in every dtype. Positions are
fractions of the image (``x`` of the width, ``y`` of the height); random fields with many elements
(rain streaks, gravel particles, snow flakes) are rebuilt from an integer seed.

>>> import numpy as np
>>> image = np.full((30, 40, 3), 100, np.uint8)
>>> out = fog(image, fog_coef=1.0, alpha_coef=0.3, blobs=[[0.5, 0.5, 0.3]])
>>> bool(out[15, 20, 0] > 100), int(out[0, 0, 0]) >= 100
(True, True)
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from statistics import NormalDist

import cv2
import numpy as np

from augkit.image.functional._cv import by_channel_groups
from augkit.image.functional._lut import max_value
from augkit.image.functional.noise import normal_table

__all__ = [
    "SNOW_COLOR",
    "WORKSPACE_LIMIT",
    "fog",
    "fog_transmission",
    "gravel",
    "gravel_particles",
    "normal_field",
    "rain",
    "rain_streaks",
    "snow_bleach",
    "snow_texture",
]

#: Side of the low-resolution grid on which smooth random fields (fog density, snow cover) are built.
_FIELD_SIDE = 64
#: The colour of settled snow (0-255 RGB scale): white with a slight blue cast.
SNOW_COLOR = (235.0, 242.0, 255.0)


# ---------------------------------------------------------------------------------------------- helpers
def to_dtype(values: np.ndarray, dtype: np.dtype, owned: bool = True) -> np.ndarray:
    """float32 ``values`` in the units of ``dtype`` (0-255, 0-65535 or 0-1) to an array of that
    dtype: integers are rounded half to even and saturated (a new array), floats clipped to [0, 1]
    (in place when ``owned``, else into a new array: pass ``owned=False`` for a workspace buffer)."""
    if dtype == np.float32:
        return np.clip(values, 0.0, 1.0, out=values if owned else None)
    flat = values.reshape(values.shape[0], -1)  # OpenCV takes any channel count as one wide plane
    depth = cv2.CV_8U if dtype == np.uint8 else cv2.CV_16U
    return cv2.addWeighted(flat, 1.0, flat, 0.0, 0.0, dtype=depth).reshape(values.shape)


def scaled_color(color: Sequence[float], dtype: np.dtype) -> tuple[float, ...]:
    """A 0-255 colour in the units of ``dtype``."""
    scale = max_value(dtype) / 255.0
    return tuple(float(c) * scale for c in color)


@functools.lru_cache(maxsize=1)
def _byte_normal_table() -> np.ndarray:
    """The 256-level normal table as a ``1 x 256`` float32 lookup table for ``cv2.LUT``."""
    table = normal_table(256).astype(np.float32).reshape(1, 256)
    table.setflags(write=False)
    return table


def normal_field(seed: int, shape: tuple[int, ...], out: np.ndarray | None = None) -> np.ndarray:
    """Standard-normal float32 values of ``shape``, quantized to 256 levels (random bytes looked up in
    :func:`~augkit.image.functional.noise.normal_table`, an order of magnitude faster than
    ``Generator.standard_normal``), a pure function of
    ``seed`` (written into ``out``, a C-contiguous float32 array of that shape, when given).

    >>> field = normal_field(0, (200, 300))
    >>> abs(float(field.mean())) < 0.01, abs(float(field.std()) - 1.0) < 0.01
    (True, True)
    """
    count = int(np.prod(shape))
    codes = np.frombuffer(np.random.default_rng(seed).bytes(count), dtype=np.uint8)
    rows = shape[0] if len(shape) > 1 else 1
    flat = None if out is None else out.reshape(rows, -1)
    return cv2.LUT(codes.reshape(rows, -1), _byte_normal_table(), dst=flat).reshape(shape)


_WORKSPACE = threading.local()
#: The largest scratch array (in elements; 8 MB of float32) that :func:`workspace` keeps per thread.
WORKSPACE_LIMIT = 2**21


def workspace(name: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """A C-contiguous scratch array of ``shape`` owned by the calling thread (contents undefined).

    Kernels keep their large intermediates here instead of allocating fresh ones: fresh multi-MB
    arrays are page-faulted in on every call once the allocator has returned them to the OS, which
    can cost more than the arithmetic. Each ``(name, dtype)`` is a flat buffer that grows as needed
    and is reused from call to call; kernels use the slot names ``"a"``, ``"b"``, ... and never call
    each other while holding one. Only intermediates live here, never an array that is returned.
    Arrays larger than :data:`WORKSPACE_LIMIT` elements are allocated afresh (and not kept).
    """
    size = int(np.prod(shape))
    if size > WORKSPACE_LIMIT:
        return np.empty(shape, dtype)
    buffers: dict[tuple[str, str], np.ndarray] | None = getattr(_WORKSPACE, "buffers", None)
    if buffers is None:
        buffers = _WORKSPACE.buffers = {}
    key = (name, np.dtype(dtype).str)
    flat = buffers.get(key)
    if flat is None or flat.size < size:
        flat = buffers[key] = np.empty(max(size, 1), dtype)
    return flat[:size].reshape(shape)


def _grid(height: int, width: int) -> tuple[int, int]:
    scale = min(1.0, _FIELD_SIDE / max(height, width))
    return max(1, round(height * scale)), max(1, round(width * scale))


def _upsample(field: np.ndarray, height: int, width: int) -> np.ndarray:
    """A smooth low-resolution field resized to the image (pixel centres aligned)."""
    if field.shape == (height, width):
        return np.ascontiguousarray(field, dtype=np.float32)
    return cv2.resize(field.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)


def with_lightness(values: np.ndarray, lightness: np.ndarray, target: np.ndarray) -> np.ndarray:
    """RGB ``values`` in [0, 1] (``[..., 3]``) with HLS lightness ``lightness`` moved to ``target`` at
    constant hue and saturation: ``v' = target + (v - lightness) * chroma(target) / chroma(lightness)``,
    where ``chroma(L) = 1 - |2L - 1|`` (greys, whose saturation is undefined, stay grey)."""
    before = 1.0 - np.abs(2.0 * lightness - 1.0)
    after = 1.0 - np.abs(2.0 * target - 1.0)
    ratio = np.divide(after, before, out=np.zeros_like(after), where=before > 1e-6)
    out = values - lightness[..., None]
    out *= ratio[..., None]
    out += target[..., None]
    return out


def replicate(weights: np.ndarray, like: np.ndarray, slot: str) -> np.ndarray:
    """An H x W float32 map repeated over the channels of ``like`` (the map itself for a 2-D
    image), so that arithmetic with ``like`` runs on equal shapes (numpy's broadcast over a short
    last axis is several times slower than ``cv2.merge`` plus an elementwise operation)."""
    if like.ndim == 2:
        return weights
    channels = like.shape[2]
    if channels == 1:
        return weights[:, :, None]
    out = workspace(slot, like.shape, np.float32)
    if channels <= 4:
        return cv2.merge([weights] * channels, dst=out)
    np.copyto(out, weights[:, :, None])
    return out


def blend_toward(values: np.ndarray, weight: np.ndarray, color: Sequence[float], slots: str = "yz") -> None:
    """``values = (1 - weight) * values + weight * color`` in place: ``values`` H x W x C float32,
    ``weight`` an H x W map, ``color`` one value per channel (two workspace slots are used)."""
    keep = np.subtract(np.float32(1.0), weight, out=workspace(slots[0] + "1", weight.shape, np.float32))
    values *= replicate(keep, values, slots[0])
    added = workspace(slots[1], values.shape, np.float32)
    if 1 < values.shape[2] <= 4:
        cv2.merge([weight] * values.shape[2], dst=added)
        scalar = tuple(float(c) for c in color) + (0.0,) * (4 - len(color))  # one factor per channel
        cv2.multiply(added, scalar, dst=added)  # type: ignore[call-overload]
    else:
        np.multiply(weight[:, :, None], np.asarray(color, np.float32), out=added)
    values += added


# -------------------------------------------------------------------------------------------------- fog
def fog_transmission(height: int, width: int, fog_coef: float, alpha_coef: float, blobs: Sequence[Sequence[float]]) -> np.ndarray:
    """The fraction of scene light that reaches the camera through the fog, an H x W float32 map.

    Each blob ``[x, y, r]`` is a soft puff of fog ``exp(-(d / R)^2)`` centred at ``(x * width,
    y * height)`` with ``R = r * min(height, width)``; the puffs add up to a fog thickness and the
    transmission is ``(1 - alpha_coef * fog_coef) ** thickness`` (Beer-Lambert: a pixel under ``n``
    overlapping puffs keeps ``(1 - alpha)^n`` of its light, as with ``n`` stacked translucent discs).
    The thickness is drawn as separable Gaussians on a grid of at most 64 x 64 and upsampled.

    >>> t = fog_transmission(20, 20, 1.0, 0.5, [[0.5, 0.5, 0.2]])
    >>> round(float(t[10, 10]), 2), round(float(t[0, 0]), 2)
    (0.51, 1.0)
    """
    alpha = min(float(alpha_coef) * float(fog_coef), 0.999)
    if alpha <= 0.0 or len(blobs) == 0:
        return np.ones((height, width), np.float32)
    rows, cols = _grid(height, width)
    xs = (np.arange(cols) + 0.5) * (width / cols) - 0.5  # pixel-centre coordinates of the grid
    ys = (np.arange(rows) + 0.5) * (height / rows) - 0.5
    spec = np.asarray(blobs, dtype=np.float64).reshape(-1, 3)
    cx, cy = spec[:, 0] * width - 0.5, spec[:, 1] * height - 0.5
    radius = np.maximum(spec[:, 2] * min(height, width), 0.5)[:, None]
    gx = np.exp(-np.square((xs[None, :] - cx[:, None]) / radius))
    gy = np.exp(-np.square((ys[None, :] - cy[:, None]) / radius))
    thickness = gy.T @ gx  # sum over blobs of gy * gx: one matrix product
    return _upsample(np.exp(thickness * math.log1p(-alpha)), height, width)


def fog(
    image: np.ndarray,
    fog_coef: float,
    alpha_coef: float,
    blobs: Sequence[Sequence[float]],
    airlight: float = 1.0,
) -> np.ndarray:
    """Haze: ``out = t * J + (1 - t) * A`` (Koschmieder's model), any channel count.

    ``t`` is :func:`fog_transmission`, ``A = airlight * max_value`` the bright veil of scattered
    light, and ``J = image + (1 - t) * (blur(image) - image)`` the scene softened where the fog is
    thick (forward scattering), with a Gaussian blur of ``max(3, min(H, W) // 30)`` pixels (odd).

    >>> out = fog(np.zeros((20, 20), np.float32), 1.0, 0.5, [[0.5, 0.5, 0.3]], airlight=0.8)
    >>> round(float(out[10, 10]), 2)
    0.4
    """
    height, width = image.shape[:2]
    transmission = fog_transmission(height, width, fog_coef, alpha_coef, blobs)
    size = max(3, min(height, width) // 30) | 1
    blurred = by_channel_groups(lambda part: cv2.GaussianBlur(part, (size, size), 0), image, 128)
    scene = workspace("a", image.shape, np.float32)
    np.copyto(scene, image, casting="unsafe")
    out = workspace("b", image.shape, np.float32)
    np.copyto(out, blurred, casting="unsafe")
    out -= scene
    out *= replicate(np.subtract(np.float32(1.0), transmission), image, "c")
    out += scene  # J
    light = np.float32(airlight * max_value(image.dtype))
    out -= light
    out *= replicate(transmission, image, "c")
    out += light
    return to_dtype(out, image.dtype, owned=False)


# ------------------------------------------------------------------------------------------------- rain
def rain_streaks(seed: int, count: int, height: int, width: int, slant: float, drop_length: float) -> np.ndarray:
    """``(count, 2, 2)`` float32 end points ``[[x0, y0], [x1, y1]]`` (pixel centres) of rain streaks
    of ``drop_length`` pixels, ``slant`` degrees from vertical (positive: the lower end to the right).

    Start points are uniform over the area from which a streak can reach the image, so streaks cover
    the frame evenly, including its top and side edges.

    >>> rain_streaks(0, 2, 100, 100, 0.0, 10.0).shape
    (2, 2, 2)
    """
    angle = math.radians(slant)
    dx, dy = drop_length * math.sin(angle), drop_length * math.cos(angle)
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(-max(dx, 0.0), width + max(-dx, 0.0), count) - 0.5
    y0 = rng.uniform(-dy, height, count) - 0.5
    start = np.stack([x0, y0], axis=1)
    return np.stack([start, start + np.array([dx, dy])], axis=1).astype(np.float32)


def rain(
    image: np.ndarray,
    streaks: np.ndarray,
    drop_width: int = 1,
    drop_color: Sequence[float] = (200, 200, 200),
    blur_value: int = 7,
    brightness_coefficient: float = 0.7,
) -> np.ndarray:
    """Rain on an RGB image: ``out = min(brightness_coefficient * (image + blur(streaks)), max)``.

    ``streaks`` are :func:`rain_streaks` end points; they are drawn anti-aliased, ``drop_width``
    pixels wide, in ``drop_color`` (0-255 scale) on a black 8-bit layer, box-blurred by
    ``blur_value`` pixels, scaled to the dtype and added; the sum is darkened, then saturated (so
    streaks stay visible over a bright sky; Albumentations saturates before darkening).

    >>> image = np.full((20, 20, 3), 40, np.uint8)
    >>> out = rain(image, np.array([[[10, 0], [10, 19]]], np.float32), blur_value=1, brightness_coefficient=0.5)
    >>> bool(out[5, 10, 0] > 100), out[5, 2].tolist()
    (True, [20, 20, 20])
    """
    height, width = image.shape[:2]
    grey = len(set(drop_color)) == 1  # one plane to draw and blur, then repeated
    layer: np.ndarray = np.zeros((height, width) if grey else (height, width, 3), np.uint8)
    if len(streaks):
        points = list(np.round(np.asarray(streaks, np.float64) * 16.0).astype(np.int32))
        color = tuple(round(c) for c in drop_color)
        cv2.polylines(layer, points, False, color[:1] if grey else color, int(drop_width), cv2.LINE_AA, shift=4)
    if blur_value > 1:
        cv2.blur(layer, (blur_value, blur_value), dst=layer)
    if grey:
        layer = cv2.merge([layer, layer, layer])
    gain = float(brightness_coefficient)
    if image.dtype == np.uint8:
        return cv2.addWeighted(image, gain, layer, gain, 0.0)
    values = layer.astype(np.float32)
    values *= np.float32(max_value(image.dtype) / 255.0)
    values += image
    values *= np.float32(gain)
    return to_dtype(values, image.dtype)


# ------------------------------------------------------------------------------------------------- snow
def _lightness_tables(snow_point: float, brightness_coeff: float) -> tuple[np.ndarray, np.ndarray]:
    """Per ``s = max + min`` (0..510, 8-bit scale): the gain ``a`` and offset ``c`` with which every
    channel ``v`` of a pixel becomes ``a * v + c`` when its HLS lightness ``L = s / 2`` is scaled."""
    threshold = snow_point * 255.0 / 2.0 + 255.0 / 3.0
    lightness = np.arange(511, dtype=np.float64) / 2.0
    target = np.where(lightness < threshold, np.minimum(lightness * brightness_coeff, 255.0), lightness)
    # the chroma of an HLS colour at fixed saturation is proportional to 255 - |2L - 255|
    before = 255.0 - np.abs(2.0 * lightness - 255.0)
    after = 255.0 - np.abs(2.0 * target - 255.0)
    gain = np.divide(after, before, out=np.zeros_like(after), where=before > 0)
    gain[lightness >= threshold] = 1.0
    return gain.astype(np.float32), (target - gain * lightness).astype(np.float32)


def snow_bleach(image: np.ndarray, snow_point: float, brightness_coeff: float) -> np.ndarray:
    """Albumentations' "bleach" snow: pixels whose HLS lightness is below
    ``255 * (snow_point / 2 + 1 / 3)`` (8-bit scale) get their lightness multiplied by
    ``brightness_coeff`` (saturated at white); hue and saturation are kept, other pixels are untouched.

    Computed exactly, without an 8-bit HLS round trip: at fixed hue and saturation every channel is
    ``v' = L' + (v - L) * chroma(L') / chroma(L)``; for uint8 a per-pixel gain and offset looked up
    from ``max + min`` of the pixel.

    >>> snow_bleach(np.array([[[40, 20, 20]]], np.uint8), 0.2, 2.0).tolist()
    [[[80, 40, 40]]]
    """
    if image.dtype == np.uint8:
        gain, offset = _lightness_tables(snow_point, brightness_coeff)
        shape = image.shape[:2]
        planes = cv2.split(image)
        high: np.ndarray = cv2.max(cv2.max(planes[0], planes[1]), planes[2])
        low: np.ndarray = cv2.min(cv2.min(planes[0], planes[1]), planes[2])
        if snow_point <= 1.0 / 3.0:  # 2 * threshold <= 255: every s >= 255 is unchanged, saturate s at 255
            index = cv2.add(high, low, dst=workspace("a", shape, np.uint8))
            a = cv2.LUT(index, gain[:256].copy(), dst=workspace("a", shape, np.float32))
            c = cv2.LUT(index, offset[:256].copy(), dst=workspace("b", shape, np.float32))
            scratch = workspace("c", shape, np.float32)
        else:  # s = high + low (0..510) as 2 * half + odd: 256-entry tables for even and odd s
            odd = np.bitwise_xor(high, low, out=workspace("a", shape, np.uint8))
            odd &= 1
            half = np.bitwise_and(high, low, out=workspace("b", shape, np.uint8))
            half &= 1
            high >>= 1
            low >>= 1
            half += high
            half += low
            a = cv2.LUT(half, gain[0::2].copy(), dst=workspace("a", shape, np.float32))
            c = cv2.LUT(half, offset[0::2].copy(), dst=workspace("b", shape, np.float32))
            scratch = cv2.LUT(half, np.append(gain[1::2], np.float32(1.0)), dst=workspace("c", shape, np.float32))
            cv2.copyTo(scratch, odd, a)
            cv2.copyTo(cv2.LUT(half, np.append(offset[1::2], np.float32(0.0)), dst=scratch), odd, c)
        for p in planes:  # in place: each plane becomes a * plane + c
            cv2.add(cv2.multiply(p, a, dst=scratch, dtype=cv2.CV_32F), c, dst=p, dtype=cv2.CV_8U)
        return cv2.merge(planes)
    top = np.float32(max_value(image.dtype))
    values = image.astype(np.float32) / top
    lightness = (values.max(axis=2) + values.min(axis=2)) * np.float32(0.5)
    threshold = np.float32(snow_point / 2.0 + 1.0 / 3.0)
    target = np.where(lightness < threshold, np.minimum(lightness * np.float32(brightness_coeff), np.float32(1.0)), lightness)
    out = with_lightness(values, lightness, target)
    out *= top
    return to_dtype(out, image.dtype)


def snow_texture(image: np.ndarray, snow_point: float, brightness_coeff: float, seed: int) -> np.ndarray:
    """Snow cover and falling flakes on an RGB image.

    1. The scene brightens: every pixel is scaled by ``1 + brightness_coeff * snow_point`` at
       constant hue (the gain is limited so that no channel saturates).
    2. Settled snow: a smooth random field (three octaves of normal noise on a grid of at most
       64 x 64, upsampled) covers about ``snow_point`` of the image with soft, granular edges, in
       bluish white (:data:`SNOW_COLOR`).
    3. Flakes: ``snow_point * H * W / 60`` flakes, single pixels softened by a small Gaussian blur.

    >>> out = snow_texture(np.full((32, 32, 3), 60, np.uint8), 0.3, 1.0, seed=0)
    >>> bool(out.mean() > 60)
    True
    """
    height, width = image.shape[:2]
    shape = (height, width)
    planes = cv2.split(image)
    highest = workspace("a", shape, np.float32)
    np.copyto(highest, cv2.max(cv2.max(planes[0], planes[1]), planes[2]), casting="unsafe")
    gain = np.float32(1.0 + brightness_coeff * snow_point)
    # the brightening gain, limited so that the brightest channel reaches full scale at most
    scale = np.divide(np.float32(max_value(image.dtype)), highest, out=workspace("b", shape, np.float32), where=highest > 0)
    scale[highest <= 0] = gain
    np.minimum(scale, gain, out=scale)
    rng = np.random.default_rng(seed)
    rows, cols = _grid(height, width)
    field = np.zeros((rows, cols), np.float32)
    for cells, amplitude in ((8, 1.0), (4, 0.5), (2, 0.25)):  # three octaves of smooth noise
        coarse = rng.standard_normal((max(2, rows // cells), max(2, cols // cells))).astype(np.float32)
        field += np.float32(amplitude) * cv2.resize(coarse, (cols, rows), interpolation=cv2.INTER_CUBIC)
    field -= field.mean()
    field /= max(float(field.std()), 1e-6)
    edge = NormalDist().inv_cdf(1.0 - min(max(snow_point, 1e-4), 1.0 - 1e-4))
    # about snow_point of the image lies above the quantile `edge`: cover = clip(1.5 (z - edge) + 0.5)
    field -= np.float32(edge)
    field *= np.float32(1.5)
    field += np.float32(0.5)
    alpha = _upsample(field, height, width)
    np.clip(alpha, 0.0, 1.0, out=alpha)
    grain = normal_field(int(rng.integers(2**31)), shape, out=workspace("c", shape, np.float32))
    grain *= np.float32(0.1)
    grain += np.float32(0.85)
    alpha *= grain  # granular snow
    flakes = np.zeros(shape, np.float32)
    count = int(snow_point * height * width / 60.0)
    flakes[rng.integers(0, height, count), rng.integers(0, width, count)] = np.float32(3.0)
    alpha += cv2.GaussianBlur(flakes, (5, 5), 0.8)
    np.minimum(alpha, np.float32(1.0), out=alpha)
    # out = (1 - alpha) * image * scale + alpha * snow colour
    out = workspace("d", image.shape, np.float32)
    np.copyto(out, image, casting="unsafe")
    out *= replicate(scale, image, "e")
    blend_toward(out, alpha, scaled_color(SNOW_COLOR, image.dtype))
    return to_dtype(out, image.dtype, owned=False)


# ----------------------------------------------------------------------------------------------- gravel
def gravel_particles(seed: int, patches: np.ndarray) -> np.ndarray:
    """``(N, 5)`` int64 rows ``[x0, y0, x1, y1, lightness]`` of gravel stones, rebuilt from ``seed``.

    Each non-empty pixel patch ``[x0, y0, x1, y1]`` holds ``max(1, area // 100)`` square stones centred at random
    pixels, ``2 r`` pixels wide (``r`` from 1 to 3), clipped to the patch, with an 8-bit HLS lightness
    from 0 to 255.

    >>> gravel_particles(0, np.array([[0, 0, 20, 10], [0, 0, 30, 10]])).shape
    (5, 5)
    """
    rng = np.random.default_rng(seed)
    rows = [np.zeros((0, 5), np.int64)]
    for x0, y0, x1, y1 in np.asarray(patches, np.int64).reshape(-1, 4):
        area = int((x1 - x0) * (y1 - y0))
        if area <= 0:
            continue
        count = max(1, area // 100)
        x = rng.integers(x0, x1, count)
        y = rng.integers(y0, y1, count)
        r = rng.integers(1, 4, count)
        lightness = rng.integers(0, 256, count)
        rows.append(
            np.stack(
                [np.maximum(x - r, x0), np.maximum(y - r, y0), np.minimum(x + r, x1), np.minimum(y + r, y1), lightness], axis=1
            )
        )
    return np.concatenate(rows)


def gravel(image: np.ndarray, patches: Sequence[Sequence[float]], seed: int) -> np.ndarray:
    """Gravel stones on an RGB image: small squares whose HLS lightness is set to a random value,
    keeping each pixel's hue and saturation (Albumentations' semantics).

    ``patches`` are ``[x0, y0, x1, y1]`` fractions of the image (rounded to pixel edges); the stones
    are :func:`gravel_particles`, later ones over earlier ones. Pixels outside every stone, hence
    outside every patch, are returned unchanged.

    >>> out = gravel(np.full((40, 40, 3), 90, np.uint8), [[0.0, 0.0, 1.0, 0.5]], seed=1)
    >>> bool((out[20:] == 90).all()), bool((out[:20] != 90).any())
    (True, True)
    """
    height, width = image.shape[:2]
    out = image.copy()
    boxes = np.rint(np.asarray(patches, np.float64).reshape(-1, 4) * (width, height, width, height)).astype(np.int64)
    boxes[:, 0::2] = np.clip(boxes[:, 0::2], 0, width)
    boxes[:, 1::2] = np.clip(boxes[:, 1::2], 0, height)
    stones = gravel_particles(seed, boxes)
    if len(stones) == 0:
        return out
    left, top_edge, right, bottom = stones[:, 0], stones[:, 1], stones[:, 2], stones[:, 3]
    x0, y0, x1, y1 = int(left.min()), int(top_edge.min()), int(right.max()), int(bottom.max())
    target = np.full((y1 - y0, x1 - x0), -1.0, np.float32)
    for a, b, c, d, value in zip(top_edge - y0, bottom - y0, left - x0, right - x0, stones[:, 4] / 255.0, strict=True):
        target[a:b, c:d] = value
    hit = target >= 0.0
    scale = np.float32(max_value(image.dtype))
    region = out[y0:y1, x0:x1][hit].astype(np.float32) / scale  # (K, 3) pixels under stones
    lightness = (region.max(axis=1) + region.min(axis=1)) * np.float32(0.5)
    values = with_lightness(region, lightness, target[hit])
    values *= scale
    out[y0:y1, x0:x1][hit] = to_dtype(values, image.dtype)
    return out
