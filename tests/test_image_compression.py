"""Compression and resampling artifacts (JpegCompression, WebPCompression, Downscale,
RingingOvershoot) against OpenCV called directly, and the sinc kernel against its formula."""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np
import pytest
from scipy import special

import augkit as ak
from augkit.image import compression as T
from augkit.image.functional import compression as F
from augkit.samples import IMAGES_DIR

TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}


def photo(name: str = "chelsea.jpg", height: int = 120, width: int = 160) -> np.ndarray:
    """A real RGB photo, resized (smooth content, like the benchmark inputs)."""
    image = cv2.cvtColor(cv2.imread(str(IMAGES_DIR / name)), cv2.COLOR_BGR2RGB)
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)


def as_dtype(image8: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "uint16":
        return image8.astype(np.uint16) * np.uint16(257)
    return image8 if dtype == "uint8" else (image8 / 255.0).astype(np.float32)


def cv2_round_trip(image: np.ndarray, extension: str, flag: int, quality: int) -> np.ndarray:
    """OpenCV called directly: RGB goes in as BGR, grey as grey."""
    if image.ndim == 3:
        ok, buffer = cv2.imencode(extension, cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [flag, quality])
        assert ok
        return cv2.cvtColor(cv2.imdecode(buffer, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    ok, buffer = cv2.imencode(extension, image, [flag, quality])
    assert ok
    return cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)


CODECS = [
    (F.jpeg_compression, ".jpg", cv2.IMWRITE_JPEG_QUALITY),
    (F.webp_compression, ".webp", cv2.IMWRITE_WEBP_QUALITY),
]
CODEC_IDS = ["jpeg", "webp"]


# ----------------------------------------------------------------------------------- codecs
@pytest.mark.parametrize(("kernel", "extension", "flag"), CODECS, ids=CODEC_IDS)
@pytest.mark.parametrize("quality", [10, 55, 90, 100])
def test_codec_equals_opencv_called_directly(kernel, extension: str, flag: int, quality: int) -> None:
    image = photo()
    np.testing.assert_array_equal(kernel(image, quality), cv2_round_trip(image, extension, flag, quality))
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    np.testing.assert_array_equal(kernel(grey, quality), cv2_round_trip(grey, extension, flag, quality))
    np.testing.assert_array_equal(kernel(grey[:, :, None], quality), cv2_round_trip(grey, extension, flag, quality)[:, :, None])


@pytest.mark.parametrize(("kernel", "extension", "flag"), CODECS, ids=CODEC_IDS)
def test_codec_channel_groups(kernel, extension: str, flag: int) -> None:
    image = photo(height=48, width=64)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    stack = np.concatenate([image, image[:, :, ::-1], grey[:, :, None]], axis=2)  # 7 channels: RGB, BGR, grey
    out = kernel(stack, 60)
    expected = np.concatenate(
        [
            cv2_round_trip(image, extension, flag, 60),
            cv2_round_trip(np.ascontiguousarray(image[:, :, ::-1]), extension, flag, 60),
            cv2_round_trip(grey, extension, flag, 60)[:, :, None],
        ],
        axis=2,
    )
    np.testing.assert_array_equal(out, expected)
    rgba = np.concatenate([image, grey[:, :, None]], axis=2)  # RGB as colour, alpha as grey
    np.testing.assert_array_equal(kernel(rgba, 60), expected[:, :, [0, 1, 2, 6]])
    two = kernel(np.ascontiguousarray(stack[:, :, 5:]), 60)  # two single grey channels
    np.testing.assert_array_equal(two[:, :, 1], expected[:, :, 6])
    wide = kernel(np.tile(grey[:8, :8, None], (1, 1, 130)), 60)
    assert wide.shape == (8, 8, 130) and wide.dtype == np.uint8 and wide.flags.c_contiguous


@pytest.mark.parametrize(("kernel", "extension", "flag"), CODECS, ids=CODEC_IDS)
@pytest.mark.parametrize("dtype", ["uint16", "float32"])
def test_codec_quantizes_other_dtypes_to_256_levels(kernel, extension: str, flag: int, dtype: str) -> None:
    image8 = photo(height=48, width=64)
    image = as_dtype(image8, dtype)
    out = kernel(image, 70)
    assert out.dtype == image.dtype and out.shape == image.shape
    expected8 = cv2_round_trip(image8, extension, flag, 70)
    if dtype == "uint16":
        np.testing.assert_array_equal(out, expected8.astype(np.uint16) * 257)
    else:
        np.testing.assert_allclose(out, expected8 / 255.0, atol=1e-7)


def mean_error(out: np.ndarray, image: np.ndarray) -> float:
    return float(np.abs(out.astype(np.float64) - image).mean())


def test_jpeg_quality_100_is_near_identity_and_error_grows_as_quality_drops() -> None:
    images = [photo(name) for name in ("chelsea.jpg", "coffee.jpg", "astronaut.jpg")]
    for image in images:
        out = F.jpeg_compression(image, 100).astype(np.float64)
        assert mean_error(out, image) < 2.0 and 10 * np.log10(255.0**2 / np.mean((out - image) ** 2)) > 37.0
    errors = [np.mean([mean_error(F.jpeg_compression(image, q), image) for image in images]) for q in (100, 90, 70, 50, 30, 10)]
    assert all(a < b for a, b in itertools.pairwise(errors)), errors


def test_webp_high_quality_is_close_and_error_grows_as_quality_drops() -> None:
    images = [photo(name) for name in ("chelsea.jpg", "coffee.jpg")]
    for image in images:
        assert mean_error(F.webp_compression(image, 100), image) < 2.5  # lossy even at 100 (4:2:0 colour)
    errors = [np.mean([mean_error(F.webp_compression(image, q), image) for image in images]) for q in (100, 75, 40, 10)]
    assert all(a < b for a, b in itertools.pairwise(errors)), errors


@pytest.mark.parametrize("cls", [T.JpegCompression, T.WebPCompression])
def test_codec_class_draws_integer_quality_inclusive(cls: type) -> None:
    t = cls(quality_range=(60, 62), p=1.0)
    image = photo(height=16, width=16)
    seen = set()
    for seed in range(30):
        out = t(image=image, rng=seed, record=True)
        quality = out["applied"][0]["params"]["quality"]
        assert isinstance(quality, int)
        seen.add(quality)
    assert seen == {60, 61, 62}
    assert cls(quality_range=75).quality_range == (75, 75)


# ----------------------------------------------------------------------------------- Downscale
@pytest.mark.parametrize(("down", "up"), [("nearest", "nearest"), ("area", "linear"), ("linear", "cubic"), ("cubic", "lanczos")])
@pytest.mark.parametrize("scale", [0.25, 0.3, 0.5, 0.9])
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_downscale_equals_two_cv2_resizes(dtype: str, scale: float, down: str, up: str) -> None:
    image8 = photo(height=75, width=100)
    image = as_dtype(image8, dtype)
    flags = {"nearest": cv2.INTER_NEAREST, "area": cv2.INTER_AREA, "linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC}
    flags["lanczos"] = cv2.INTER_LANCZOS4
    small = cv2.resize(image, (int(100 * scale), int(75 * scale)), interpolation=flags[down])
    expected = cv2.resize(small, (100, 75), interpolation=flags[up])
    np.testing.assert_array_equal(F.downscale(image, scale, down, up), expected)


def test_downscale_channels_sizes_and_class() -> None:
    image = np.random.default_rng(0).integers(0, 256, (10, 12, 7), dtype=np.uint8)
    out = F.downscale(image, 0.01, "area", "linear")  # at least one pixel
    assert out.shape == image.shape and np.all(out == out[0, 0])
    wide = F.downscale(np.zeros((10, 12, 130), np.float32), 0.5, "area", "linear")
    assert wide.shape == (10, 12, 130)
    np.testing.assert_array_equal(F.downscale(image, 1.0), image)
    t = T.Downscale(scale_range=(0.3, 0.6), interpolation_pair={"downscale": "area", "upscale": "cubic"}, p=1.0)
    for seed in range(5):
        out = t(image=photo(height=30, width=40), rng=seed, record=True)
        assert 0.3 <= out["applied"][0]["params"]["scale"] <= 0.6
    assert t.to_dict()["interpolation_pair"] == {"downscale": "area", "upscale": "cubic"}


# ----------------------------------------------------------------------------------- RingingOvershoot
def sinc_reference(ksize: int, cutoff: float) -> np.ndarray:
    """The circular sinc (jinc) by its definition, pixel by pixel; the centre is its limit r -> 0."""
    centre = ksize // 2
    kernel = np.empty((ksize, ksize))
    for y in range(ksize):
        for x in range(ksize):
            r = math.hypot(x - centre, y - centre) or 1e-9
            kernel[y, x] = cutoff * special.jv(1, cutoff * r) / (2 * math.pi * r)
    return kernel / kernel.sum()


@pytest.mark.parametrize("ksize", [3, 7, 15, 21])
@pytest.mark.parametrize("cutoff", [0.3, math.pi / 4, math.pi / 2, 3.0])
def test_sinc_kernel_matches_formula_and_sums_to_one(ksize: int, cutoff: float) -> None:
    kernel = F.sinc_kernel(ksize, cutoff)
    assert kernel.shape == (ksize, ksize)
    assert abs(kernel.sum() - 1.0) < 1e-12
    np.testing.assert_allclose(kernel, sinc_reference(ksize, cutoff), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(kernel, kernel.T, atol=1e-15)
    if cutoff * (ksize // 2) > 3.8317:  # past the first zero of J1: negative lobes, the source of ringing
        assert kernel.min() < 0


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize(("ksize", "cutoff"), [(7, math.pi / 2), (11, 1.0), (15, math.pi / 4), (21, 3.0)])
def test_ringing_overshoot_equals_filter2d(dtype: str, ksize: int, cutoff: float) -> None:
    image8 = photo(height=60, width=80)
    image = as_dtype(image8, dtype)
    exact = cv2.filter2D(image.astype(np.float64), -1, F.sinc_kernel(ksize, cutoff), borderType=cv2.BORDER_REFLECT_101)
    out = F.ringing_overshoot(image, ksize, cutoff)
    assert out.dtype == image.dtype and out.shape == image.shape
    if dtype == "float32":
        np.testing.assert_allclose(out, np.clip(exact, 0, 1), atol=2e-6)
    else:
        assert np.abs(out - np.clip(np.rint(exact), 0, TOP[dtype])).max() <= 1


def test_ringing_overshoot_rings_at_edges_and_takes_any_channels() -> None:
    step = np.full((40, 40), 0.3, np.float32)
    step[:, 20:] = 0.7
    out = F.ringing_overshoot(step, 15, math.pi / 4)
    assert out.max() > 0.72 and out.min() < 0.28  # overshoot on both sides of the edge
    np.testing.assert_allclose(out[:, :5], 0.3, atol=0.02)
    for channels in (1, 7, 130):
        image = np.random.default_rng(1).random((12, 14, channels), dtype=np.float32)
        out = F.ringing_overshoot(image, 7, 1.0)
        assert out.shape == image.shape
        np.testing.assert_allclose(out[:, :, -1], F.ringing_overshoot(np.ascontiguousarray(image[:, :, -1]), 7, 1.0), atol=1e-6)


def test_ringing_overshoot_class_draws_odd_sizes() -> None:
    t = T.RingingOvershoot(blur_limit=(4, 9), cutoff=(0.5, 1.0), p=1.0)
    sizes = set()
    for seed in range(40):
        params = t(image=photo(height=20, width=20), rng=seed, record=True)["applied"][0]["params"]
        sizes.add(params["ksize"])
        assert 0.5 <= params["cutoff"] <= 1.0
    assert sizes == {5, 7, 9}
    assert T.RingingOvershoot(blur_limit=7).blur_limit == (7, 7)


# ----------------------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (T.JpegCompression, {"quality_range": (0, 100)}, "quality_range"),
        (T.JpegCompression, {"quality_range": (90, 50)}, "quality_range"),
        (T.WebPCompression, {"quality_range": 101}, "quality_range"),
        (T.WebPCompression, {"quality_range": 80.5}, "quality_range"),
        (T.Downscale, {"scale_range": 0}, "scale_range"),
        (T.Downscale, {"scale_range": (0.5, 1.5)}, "scale_range"),
        (T.Downscale, {"interpolation_pair": {"down": "area", "upscale": "linear"}}, "interpolation_pair"),
        (T.Downscale, {"interpolation_pair": "linear"}, "interpolation_pair"),
        (
            T.Downscale,
            {"interpolation_pair": {"downscale": "bicubic", "upscale": "linear"}},
            r".interpolation_pair\['downscale'\].",
        ),
        (T.RingingOvershoot, {"blur_limit": (1, 7)}, "blur_limit"),
        (T.RingingOvershoot, {"blur_limit": 8}, "blur_limit"),
        (T.RingingOvershoot, {"cutoff": 0}, "cutoff"),
        (T.RingingOvershoot, {"cutoff": (1.0, 4.0)}, "cutoff"),
    ],
)
def test_bad_arguments_name_class_and_argument(cls: type, kwargs: dict, name: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^{cls.__name__}: argument '?{name}'? expects"):
        cls(**kwargs)


def test_sinc_kernel_rejects_even_sizes() -> None:
    with pytest.raises(ValueError, match="odd"):
        F.sinc_kernel(6, 1.0)
