"""Blur transforms and kernels against OpenCV, scipy, Pillow and float64 references."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
from PIL import Image, ImageFilter

import augkit as ak
from augkit.image.blur import Blur, Defocus, GaussianBlur, GlassBlur, MedianBlur, MotionBlur, ZoomBlur
from augkit.image.functional import blur as F

TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}
TOLERANCE = {"uint8": 1.0, "uint16": 1.0, "float32": 1e-5}


def photo(height: int = 90, width: int = 120) -> np.ndarray:
    image = cv2.imread(str(ak.__path__[0]) + "/samples/images/chelsea.jpg")[:, :, ::-1]
    return np.ascontiguousarray(cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA))


def noise(dtype: str, shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    unit = np.random.default_rng(seed).random(shape)
    return unit.astype(np.float32) if dtype == "float32" else np.round(unit * TOP[dtype]).astype(dtype)


def assert_same(out: np.ndarray, expected: np.ndarray) -> None:
    """Equal; float32 up to 1e-6 (OpenCV's SIMD paths differ in the last bit between channel counts)."""
    if out.dtype == np.float32:
        np.testing.assert_allclose(out, expected, rtol=0, atol=1e-6)
    else:
        np.testing.assert_array_equal(out, expected)


def assert_close(out: np.ndarray, expected: np.ndarray, dtype: str, margin: int = 0) -> None:
    assert out.dtype == np.dtype(dtype) and out.shape == expected.shape
    if margin:
        out, expected = out[margin:-margin, margin:-margin], expected[margin:-margin, margin:-margin]
    diff = np.abs(out.astype(np.float64) - expected.astype(np.float64)).max()
    assert diff <= TOLERANCE[dtype], diff


def quantize(values: np.ndarray, dtype: str) -> np.ndarray:
    return values if dtype == "float32" else np.clip(np.rint(values), 0, TOP[dtype])


# --------------------------------------------------------------------------------- Gaussian and box
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize(("ksize", "sigma"), [(3, 0.0), (5, 0.0), (7, 0.0), (9, 0.0), (5, 2.0), (7, 0.8), (11, 3.0)])
def test_gaussian_blur_matches_opencv(dtype: str, ksize: int, sigma: float) -> None:
    image = noise(dtype, (23, 31, 3))
    expected = cv2.GaussianBlur(image, (ksize, ksize), sigma, borderType=cv2.BORDER_REFLECT_101)
    assert_close(F.gaussian_blur(image, ksize, sigma), expected, dtype)


@pytest.mark.parametrize("dtype", ["uint8", "float32"])
@pytest.mark.parametrize(("ksize", "sigma"), [(5, 2.0), (7, 0.8), (13, 2.0)])
def test_gaussian_blur_matches_scipy_float64(dtype: str, ksize: int, sigma: float) -> None:
    image = noise(dtype, (20, 26, 2), seed=3)
    # scipy's "mirror" is OpenCV's reflect-101; truncate so that the radius is ksize // 2
    expected = ndi.gaussian_filter(image.astype(np.float64), (sigma, sigma, 0), truncate=(ksize // 2) / sigma, mode="mirror")
    assert_close(F.gaussian_blur(image, ksize, sigma), quantize(expected, dtype), dtype)


@pytest.mark.parametrize("sigma", [1.0, 2.0])
def test_gaussian_blur_close_to_pillow_away_from_borders(sigma: float) -> None:
    # Pillow approximates the Gaussian with three box blurs: close, not identical
    image = photo()
    size = F.gaussian_kernel_size(sigma)
    ours = F.gaussian_blur(image, size, sigma)[size:-size, size:-size].astype(int)
    pil = np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(sigma)))[size:-size, size:-size]
    assert np.abs(ours - pil).max() <= 3 and np.abs(ours - pil).mean() < 0.7


def test_gaussian_kernel_size_covers_three_sigma() -> None:
    assert [F.gaussian_kernel_size(s) for s in (0.1, 0.5, 1.0, 2.0, 3.3)] == [3, 5, 7, 13, 21]


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("ksize", [3, 5, 9])
def test_box_blur_matches_opencv_and_scipy(dtype: str, ksize: int) -> None:
    image = noise(dtype, (21, 27, 3), seed=1)
    ours = F.box_blur(image, ksize)
    assert_close(ours, cv2.blur(image, (ksize, ksize)), dtype)
    expected = ndi.uniform_filter(image.astype(np.float64), (ksize, ksize, 1), mode="mirror")
    assert_close(ours, quantize(expected, dtype), dtype)


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_box_blur_matches_pillow_away_from_borders(radius: int) -> None:
    image = photo()
    ours = F.box_blur(image, 2 * radius + 1)
    pil = np.asarray(Image.fromarray(image).filter(ImageFilter.BoxBlur(radius)))
    assert_close(ours, pil, "uint8", margin=radius)


@pytest.mark.parametrize("transform", [GaussianBlur(blur_limit=(3, 9), p=1.0), Blur(blur_limit=(3, 9), p=1.0)])
def test_blurs_keep_a_flat_region(transform: ak.BaseTransform) -> None:
    image = np.full((40, 50, 3), 77, np.uint8)
    image[:5] = 200  # a different band far from the centre
    for seed in range(5):
        out = transform(image=image, rng=seed)["image"]
        assert (out[15:, :] == 77).all()


def test_gaussian_blur_params() -> None:
    sizes = {GaussianBlur(p=1.0).sample(np.random.default_rng(s), None)["ksize"] for s in range(40)}  # type: ignore[arg-type]
    assert sizes == {3, 5, 7}
    params = GaussianBlur(blur_limit=0, sigma_limit=(1.0, 2.0)).sample(np.random.default_rng(0), None)  # type: ignore[arg-type]
    assert params["ksize"] == F.gaussian_kernel_size(params["sigma"]) and 1.0 <= params["sigma"] <= 2.0


# --------------------------------------------------------------------------------- median
@pytest.mark.parametrize("ksize", [3, 5, 7, 9])
@pytest.mark.parametrize("channels", [(), (1,), (3,), (4,), (6,), (7,)])
def test_median_blur_uint8_matches_opencv(ksize: int, channels: tuple[int, ...]) -> None:
    image = noise("uint8", (19, 23, *channels), seed=ksize)
    expected = (
        np.stack([cv2.medianBlur(np.ascontiguousarray(image[..., c]), ksize) for c in range(image.shape[2])], axis=2)
        if channels
        else cv2.medianBlur(image, ksize)
    )
    np.testing.assert_array_equal(F.median_blur(image, ksize), expected)


@pytest.mark.parametrize("dtype", ["uint16", "float32"])
@pytest.mark.parametrize("ksize", [3, 5, 7, 9, 11])
@pytest.mark.parametrize("channels", [(), (3,)])
def test_median_blur_matches_scipy(dtype: str, ksize: int, channels: tuple[int, ...]) -> None:
    image = noise(dtype, (17, 22, *channels), seed=ksize)
    image[3:9, 4:12] = image[0, 0]  # ties
    expected = ndi.median_filter(image, size=(ksize, ksize, *(1,) * len(channels)), mode="nearest")
    np.testing.assert_array_equal(F.median_blur(image, ksize), expected)


@pytest.mark.parametrize("ksize", [3, 5, 7])
def test_median_blur_matches_pillow_away_from_borders(ksize: int) -> None:
    image = photo()
    pil = np.asarray(Image.fromarray(image).filter(ImageFilter.MedianFilter(ksize)))
    r = ksize // 2
    np.testing.assert_array_equal(F.median_blur(image, ksize)[r:-r, r:-r], pil[r:-r, r:-r])


def test_median_blur_on_tiny_images() -> None:
    for shape in [(1, 1), (2, 3, 3), (4, 2, 2)]:
        image = noise("uint16", shape)
        expected = ndi.median_filter(image, size=(9, 9, *(1,) * (len(shape) - 2)), mode="nearest")
        np.testing.assert_array_equal(F.median_blur(image, 9), expected)


# --------------------------------------------------------------------------------- motion
@pytest.mark.parametrize("angle", [0.0, 30.0, 45.0, 100.0, 200.0, 333.0])
def test_motion_kernel_is_a_normalized_line_at_the_angle(angle: float) -> None:
    kernel = F.motion_kernel(21, angle)
    assert kernel.dtype == np.float32 and abs(kernel.sum() - 1.0) < 1e-6
    ys, xs = np.nonzero(kernel)
    assert np.allclose(kernel[ys, xs], kernel[ys[0], xs[0]])  # equal weights
    # principal direction of the lit pixels = the drawn angle (modulo 180 degrees)
    coords = np.stack([xs - xs.mean(), ys - ys.mean()])
    eigenvalues, vectors = np.linalg.eigh(coords @ coords.T)
    found = math.degrees(math.atan2(vectors[1, -1], vectors[0, -1])) % 180
    assert min(abs(found - angle % 180), 180 - abs(found - angle % 180)) < 3.0
    assert eigenvalues[0] < 0.1 * eigenvalues[1]  # thin
    assert len(xs) <= 21  # one pixel per step along the major axis


def test_motion_kernel_direction_and_shift() -> None:
    centre = 7
    forward = F.motion_kernel(15, 0.0, direction=1.0)
    assert np.nonzero(forward)[1].min() == centre and np.nonzero(forward)[1].max() == 14
    backward = F.motion_kernel(15, 90.0, direction=-1.0)  # +90 degrees points down: backward is up
    assert np.nonzero(backward)[0].max() == centre and np.nonzero(backward)[0].min() == 0
    shifted = F.motion_kernel(15, 0.0, shift=(0.0, 2.0))
    assert set(np.nonzero(shifted)[0]) == {centre + 2}


def test_motion_blur_matches_filter2d() -> None:
    image = photo()
    kernel = F.motion_kernel(9, 37.0, 0.4, (1.0, -1.5))
    expected = cv2.filter2D(image.astype(np.float32), -1, kernel, borderType=cv2.BORDER_REFLECT_101)
    assert_close(F.motion_blur(image, 9, 37.0, 0.4, (1.0, -1.5)), quantize(expected, "uint8"), "uint8")


def test_motion_blur_params() -> None:
    t = MotionBlur(blur_limit=(5, 9), angle_range=(10, 20), direction_range=(0.0, 0.5), allow_shifted=False)
    params = t.sample(np.random.default_rng(1), None)  # type: ignore[arg-type]
    assert params["ksize"] in (5, 7, 9) and 10 <= params["angle"] <= 20 and params["shift"] == [0.0, 0.0]
    shifted = MotionBlur(blur_limit=9).sample(np.random.default_rng(1), None)  # type: ignore[arg-type]
    assert all(abs(v) <= 2.0 for v in shifted["shift"]) and shifted["shift"] != [0.0, 0.0]


# --------------------------------------------------------------------------------- defocus
@pytest.mark.parametrize(("radius", "alias"), [(1, 0.0), (3, 0.1), (5, 0.5), (10, 0.3), (4, 1.5)])
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_defocus_matches_filter2d_with_its_kernel(radius: int, alias: float, dtype: str) -> None:
    image = noise(dtype, (40, 44, 3), seed=radius)
    kernel = F.defocus_kernel(radius, alias)
    assert abs(kernel.sum() - 1.0) < 1e-6 and kernel.shape[0] % 2 == 1
    expected = cv2.filter2D(image.astype(np.float64), -1, kernel.astype(np.float64), borderType=cv2.BORDER_REFLECT_101)
    assert_close(F.defocus(image, radius, alias), quantize(expected, dtype), dtype, margin=kernel.shape[0] // 2)


def test_defocus_kernel_is_a_disc() -> None:
    kernel = F.defocus_kernel(4, 0.0)
    yy, xx = np.mgrid[-4:5, -4:5]
    np.testing.assert_array_equal(kernel > 0, xx**2 + yy**2 <= 16)


# --------------------------------------------------------------------------------- zoom
def zoom_reference(image: np.ndarray, max_factor: float, step: float) -> np.ndarray:
    """Bilinear centre crops resized to full size, sampled with scipy in float64."""
    height, width = image.shape[:2]
    values = image.astype(np.float64)
    total = 2 * values
    factors = np.arange(1.0, max_factor - 1e-9, step)[1:]
    for f in factors:
        ch, cw = math.ceil(height / f), math.ceil(width / f)
        top, left = (height - ch) // 2, (width - cw) // 2
        ys = top + (np.arange(height) + 0.5) * ch / height - 0.5
        xs = left + (np.arange(width) + 0.5) * cw / width - 0.5
        ys, xs = np.clip(ys, top, top + ch - 1), np.clip(xs, left, left + cw - 1)
        grid = np.meshgrid(ys, xs, indexing="ij")
        total += np.stack([ndi.map_coordinates(values[:, :, c], grid, order=1) for c in range(values.shape[2])], axis=2)
    return total / (len(factors) + 2)


@pytest.mark.parametrize(("max_factor", "step"), [(1.1, 0.02), (1.31, 0.03), (1.5, 0.1)])
def test_zoom_blur_matches_scipy_reference(max_factor: float, step: float) -> None:
    image = photo()
    assert len(F.zoom_factors(max_factor, step)) == len(np.arange(1.0, max_factor - 1e-9, step))
    expected = zoom_reference(image, max_factor, step)
    assert np.abs(F.zoom_blur(image, max_factor, step).astype(float) - expected).max() <= 1.0


def test_zoom_blur_without_zooms_is_identity() -> None:
    image = photo()
    np.testing.assert_array_equal(F.zoom_blur(image, 1.0, 0.05), image)
    np.testing.assert_array_equal(ZoomBlur(max_factor=1.0, p=1.0)(image=image, rng=0)["image"], image)


# --------------------------------------------------------------------------------- glass
def glass_loop(image: np.ndarray, delta: int, iterations: int, seed: int) -> np.ndarray:
    """The textbook per-pixel loop of sequential swaps (ImageNet-C), without the blurs."""
    height, width = image.shape[:2]
    out = image.copy()
    rows, cols = range(height - delta, delta, -1), range(width - delta, delta, -1)
    offsets = np.random.default_rng(seed).integers(-delta, delta, size=(iterations, len(rows) * len(cols), 2))
    for i in range(iterations):
        n = 0
        for y in rows:
            for x in cols:
                dy, dx = offsets[i, n]
                n += 1
                here = out[y, x].copy()
                out[y, x] = out[y + dy, x + dx]
                out[y + dy, x + dx] = here
    return out


@pytest.mark.parametrize(("delta", "iterations"), [(1, 1), (2, 3), (4, 2)])
def test_glass_blur_exact_equals_the_sequential_loop(delta: int, iterations: int) -> None:
    image = noise("uint8", (19, 26, 3), seed=delta)
    out = F.glass_blur(image, 0.0, delta, iterations, seed=11, mode="exact")
    np.testing.assert_array_equal(out, glass_loop(image, delta, iterations, 11))
    np.testing.assert_array_equal(np.sort(out.reshape(-1, 3), axis=0), np.sort(image.reshape(-1, 3), axis=0))


def test_glass_blur_fast_keeps_the_histogram_roughly() -> None:
    image = photo()
    out = F.glass_blur(image, 0.0, 4, 2, seed=3, mode="fast")
    assert not np.array_equal(out, image)
    hist_in = np.histogram(image, bins=32, range=(0, 256))[0]
    hist_out = np.histogram(out, bins=32, range=(0, 256))[0]
    assert np.abs(hist_in - hist_out).sum() < 0.1 * image.size
    blurred = GlassBlur(p=1.0)(image=image, rng=0)["image"]
    assert abs(float(blurred.mean()) - float(image.mean())) < 2.0


def test_glass_blur_moves_pixels_locally() -> None:
    ramp = np.tile(np.arange(40, dtype=np.uint16), (30, 1)) * 1000  # value encodes the column
    for mode in ("exact", "fast"):
        moved = np.abs(F.glass_blur(ramp, 0.0, 3, 1, seed=0, mode=mode).astype(int) // 1000 - np.arange(40))
        assert moved.mean() < 3 and np.percentile(moved, 99) <= 6  # a value may hop on in a later swap


# --------------------------------------------------------------------------------- all blur classes
CLASSES = [
    GaussianBlur(blur_limit=(3, 9), sigma_limit=(0.0, 2.0), p=1.0),
    Blur(blur_limit=(3, 9), p=1.0),
    MedianBlur(blur_limit=(3, 9), p=1.0),
    MotionBlur(blur_limit=(3, 9), p=1.0),
    Defocus(radius=(1, 4), p=1.0),
    ZoomBlur(max_factor=(1.05, 1.2), p=1.0),
    GlassBlur(max_delta=2, p=1.0),
]


@pytest.mark.parametrize("transform", CLASSES, ids=lambda t: type(t).__name__)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_channels_are_filtered_independently(transform: ak.BaseTransform, dtype: str) -> None:
    image = noise(dtype, (24, 28, 130), seed=2)
    image = ndi.uniform_filter(image, (3, 3, 1))  # some spatial structure
    out = transform(image=image, rng=4, record=True)
    whole, applied = out["image"], out["applied"]
    for start in (0, 5, 128):
        part = np.ascontiguousarray(image[:, :, start : start + 2])
        assert_same(transform.replay(applied, image=part)["image"], whole[:, :, start : start + 2])
    gray = transform.replay(applied, image=np.ascontiguousarray(image[:, :, 7]))["image"]
    assert_same(gray, whole[:, :, 7])


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: Blur(blur_limit=4), "blur_limit"),
        (lambda: Blur(blur_limit=(3, 6)), "blur_limit"),
        (lambda: Blur(blur_limit=1), "blur_limit"),
        (lambda: MedianBlur(blur_limit=(7, 3)), "blur_limit"),
        (lambda: GaussianBlur(blur_limit=(0, 5)), "blur_limit"),
        (lambda: GaussianBlur(sigma_limit=-1.0), "sigma_limit"),
        (lambda: GaussianBlur(blur_limit=0, sigma_limit=0.0), "sigma_limit"),
        (lambda: MotionBlur(angle_range=(0, 400)), "angle_range"),
        (lambda: MotionBlur(direction_range=(-2, 0)), "direction_range"),
        (lambda: MotionBlur(allow_shifted=1), "allow_shifted"),
        (lambda: Defocus(radius=0), "radius"),
        (lambda: Defocus(alias_blur=-0.1), "alias_blur"),
        (lambda: ZoomBlur(max_factor=0.9), "max_factor"),
        (lambda: ZoomBlur(step_factor=0.0), "step_factor"),
        (lambda: GlassBlur(sigma=-1), "sigma"),
        (lambda: GlassBlur(max_delta=0), "max_delta"),
        (lambda: GlassBlur(iterations=0), "iterations"),
        (lambda: GlassBlur(mode="slow"), "mode"),
    ],
)
def test_bad_arguments_name_class_and_argument(make: object, argument: str) -> None:
    with pytest.raises(ak.ArgumentError) as info:
        make()  # type: ignore[operator]
    message = str(info.value)
    assert message.split(":")[0] in {type(t).__name__ for t in CLASSES} and f"'{argument}'" in message


def test_kernels_reject_bad_sizes() -> None:
    image = np.zeros((8, 8), np.uint8)
    for call in (lambda: F.box_blur(image, 4), lambda: F.gaussian_blur(image, 0, 0.0), lambda: F.median_blur(image, 2)):
        with pytest.raises(ValueError, match=r"expects|needs"):
            call()
