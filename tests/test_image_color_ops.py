"""Colour and channel transforms against independent references: Pillow, colorsys, OpenCV and float64
formulas written here."""

from __future__ import annotations

import colorsys
import itertools
import json
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image, ImageEnhance

import augkit as ak
from augkit.image import color as C
from augkit.image.functional import channels as FC
from augkit.image.functional import color as FK
from augkit.samples import IMAGES_DIR

LUMA = np.array([0.299, 0.587, 0.114])
# pure, grey, black and white pixels: the first row of ``photo``
SPECIAL = np.array(
    [
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
        [255, 255, 0],
        [0, 255, 255],
        [255, 0, 255],
        [128, 128, 128],
        [0, 0, 0],
        [255, 255, 255],
    ]
)


def photo(height: int = 48, width: int = 64) -> np.ndarray:
    """A crop of a bundled photo plus pure, grey, black and white pixels in the first row."""
    path = IMAGES_DIR / "chelsea.jpg"
    image = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)[100 : 100 + height, 150 : 150 + width].copy()
    image[0, : min(width, len(SPECIAL))] = SPECIAL[:width]
    return image


def noise(shape: tuple[int, ...] = (40, 40, 3), seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def as_dtype(image: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "uint8":
        return image
    if dtype == "uint16":
        return image.astype(np.uint16) * 257
    return image.astype(np.float32) / 255


def to_unit(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float64) / {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}[image.dtype.name]


def max_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max())


def round_half_up(values: np.ndarray) -> np.ndarray:
    return np.floor(values + 0.5)


def run(transform: ak.BaseTransform, image: np.ndarray, seed: int = 0) -> tuple[np.ndarray, dict[str, Any]]:
    out = transform(image=image, rng=seed, record=True)
    return out["image"], out["applied"][0]["params"]


# ----------------------------------------------------------------------------- brightness / contrast
@pytest.mark.parametrize("factor", [0.0, 0.37, 0.8, 1.0, 1.25, 1.9])
def test_brightness_matches_pillow_and_formula(factor: float) -> None:
    image = photo()
    out = FK.brightness(image, factor)
    pil = np.asarray(ImageEnhance.Brightness(Image.fromarray(image)).enhance(factor))
    assert max_diff(out, pil) <= 1  # Pillow truncates, augkit rounds
    np.testing.assert_array_equal(out, np.clip(round_half_up(factor * image.astype(np.float64)), 0, 255))


@pytest.mark.parametrize("factor", [0.0, 0.5, 0.9, 1.3, 2.2])
def test_contrast_matches_pillow_with_its_mean(factor: float) -> None:
    image = photo()
    pil_image = Image.fromarray(image)
    pil = np.asarray(ImageEnhance.Contrast(pil_image).enhance(factor))
    pil_mean = int(np.asarray(pil_image.convert("L"), np.float64).mean() + 0.5)  # Pillow's integer mean
    assert max_diff(FK.contrast(image, factor, mean=pil_mean), pil) <= 1


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("factor", [0.0, 0.5, 1.3, 2.2])
def test_contrast_matches_float64_reference(dtype: str, factor: float) -> None:
    image = as_dtype(photo(), dtype)
    unit = to_unit(image)
    mean = float((unit.reshape(-1, 3) @ LUMA).mean())  # the mean of the unrounded luma
    expected = np.clip(factor * unit + (1 - factor) * mean, 0, 1)
    out = to_unit(FK.contrast(image, factor))
    top = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}[dtype]
    assert max_diff(out * top, expected * top) <= (0.5 + 1e-6 if dtype != "float32" else 1e-6)


@pytest.mark.parametrize("layout", [(), (1,), (7,)])
def test_contrast_on_other_channel_counts_uses_the_mean_of_everything(layout: tuple[int, ...]) -> None:
    image = noise((20, 30, *layout))
    mean = image.astype(np.float64).mean()
    expected = np.clip(round_half_up(0.4 * image + 0.6 * mean), 0, 255)
    assert max_diff(C.Contrast(contrast=0.4, p=1.0)(image=image)["image"], expected) <= 1


# ----------------------------------------------------------------------------- saturation
@pytest.mark.parametrize("factor", [0.0, 0.3, 1.0, 1.7])
def test_saturation_matches_float64_and_pillow(factor: float) -> None:
    image = photo()
    out = FK.saturation(image, factor)
    gray = image.astype(np.float64) @ LUMA
    expected = np.clip(factor * image + (1 - factor) * gray[..., None], 0, 255)
    assert max_diff(out, expected) < 1  # OpenCV's fixed-point matrix path: within one level of exact rounding
    assert np.mean(out != np.rint(expected)) < 0.1
    pil = np.asarray(ImageEnhance.Color(Image.fromarray(image)).enhance(factor))
    # Pillow blends with its integer L image and truncates: up to 2 levels apart, 1 at factor 0
    assert max_diff(out, pil) <= (1 if factor == 0.0 else 2)


# ----------------------------------------------------------------------------- hue and HSV
def colorsys_hsv(image: np.ndarray, hue_turn: float, sat: float = 0.0, val: float = 0.0) -> np.ndarray:
    """Per-pixel colorsys reference in [0, 1]: hue + hue_turn (circular), s + sat and v + val clipped;
    grey pixels keep saturation 0."""
    pixels = to_unit(image).reshape(-1, 3)
    out = np.empty_like(pixels)
    for index, (r, g, b) in enumerate(pixels):
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        s = 0.0 if s == 0 else min(max(s + sat, 0.0), 1.0)
        out[index] = colorsys.hsv_to_rgb((h + hue_turn) % 1.0, s, min(max(v + val, 0.0), 1.0))
    return out.reshape(image.shape)


@pytest.mark.parametrize("factor", [0.0, 0.05, -0.1, 0.25, 1 / 3, 0.5, -0.5, 0.4321])
def test_hue_matches_colorsys(factor: float) -> None:
    image = np.concatenate([photo(), noise((16, 64, 3))])
    expected = colorsys_hsv(image, factor)
    out = FK.hue(image, factor)
    assert out.dtype == np.uint8
    assert max_diff(out, np.rint(expected * 255)) <= 1
    assert np.mean(out != np.rint(expected * 255)) < 0.1  # only ties may round the other way
    assert max_diff(FK.hue(as_dtype(image, "float32"), factor), expected) <= 2e-6
    assert max_diff(FK.hue(as_dtype(image, "uint16"), factor), expected * 65535) <= 1


def test_hue_of_primaries() -> None:
    red = np.array([[[255, 0, 0]]], np.uint8)
    assert FK.hue(red, 1 / 3).tolist() == [[[0, 255, 0]]]
    assert FK.hue(red, 0.5).tolist() == [[[0, 255, 255]]]
    assert FK.hue(red, 1 / 6).tolist() == [[[255, 255, 0]]]
    assert FK.hue(red, -1 / 3).tolist() == [[[0, 0, 255]]]
    assert FK.hue(np.full((2, 2, 3), 77, np.uint8), 0.3).tolist() == np.full((2, 2, 3), 77).tolist()
    big = np.tile(red, (4, 64, 1))  # OpenCV's vectorized path (it mishandles negative hues if given them)
    np.testing.assert_array_equal(FK.hue(big, -1 / 3), np.tile([[[0, 0, 255]]], (4, 64, 1)))


@pytest.mark.parametrize(
    ("hue", "sat", "val"), [(20, 0, 0), (-37.5, 30, -20), (90, -255, 0), (-179, 255, 255), (0, 40, 0), (5, 0, -60)]
)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_hue_saturation_value_matches_colorsys(dtype: str, hue: float, sat: float, val: float) -> None:
    image = as_dtype(np.concatenate([photo(24, 64), noise((8, 64, 3))]), dtype)
    transform = C.HueSaturationValue(hue_shift=hue, sat_shift=sat, val_shift=val, p=1.0)
    out, params = run(transform, image)
    assert params == {"hue_shift": float(hue), "sat_shift": float(sat), "val_shift": float(val)}
    expected = colorsys_hsv(image, 2 * hue / 360, sat / 255, val / 255)  # 8-bit hue units are 2 degrees
    top = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}[dtype]
    if dtype == "uint8":  # OpenCV's 8-bit HSV, as Albumentations: a few levels off; exact=True is exact
        difference = np.abs(out - expected * 255)
        assert difference.max() <= 7 and difference.mean() < 1.0
        exact = FK.shift_hsv(image, 2 * hue, sat / 255, val / 255, exact=True)
        assert max_diff(exact, np.rint(expected * 255)) <= 1 and np.mean(exact != np.rint(expected * 255)) < 0.05
    else:
        assert max_diff(to_unit(out) * top, expected * top) <= (1e-5 if dtype == "float32" else 1.0)


@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_hue_saturation_value_keeps_grey_pixels_grey(dtype: str) -> None:
    grey = np.stack([np.arange(0, 256, 5, dtype=np.uint8)] * 3, axis=1)[None]
    out = to_unit(FK.shift_hsv(as_dtype(grey, dtype), 40.0, 0.5, 26 / 255)) * 255
    assert (out[..., 0] == out[..., 1]).all() and (out[..., 1] == out[..., 2]).all()
    assert max_diff(out[0, :, 0], np.clip(grey[0, :, 0].astype(int) + 26, 0, 255)) <= 1e-4


# ----------------------------------------------------------------------------- colour jitter
def test_color_jitter_records_order_and_factors_and_replays_them() -> None:
    transform = C.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)
    image = photo()
    orders = set()
    for seed in range(30):
        out, params = run(transform, image, seed)
        assert sorted(params["order"]) == ["brightness", "contrast", "hue", "saturation"]
        orders.add(tuple(params["order"]))
        kernels = {"brightness": FK.brightness, "contrast": FK.contrast, "saturation": FK.saturation, "hue": FK.hue}
        expected = image
        for name in params["order"]:  # the steps one by one: the fused LUT must give the same bits
            expected = kernels[name](expected, params[name])
        np.testing.assert_array_equal(out, expected)
    assert len(orders) >= 10  # the order is drawn per call


@pytest.mark.parametrize("dtype", ["uint16", "float32"])
def test_color_jitter_other_dtypes_follow_the_uint8_path(dtype: str) -> None:
    transform = C.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.2)
    image = photo()
    for seed in range(5):
        out8, params = run(transform, image, seed)
        record = [{"name": "ColorJitter", "path": [], "applied": True, "params": params}]
        out = transform.replay(record, image=as_dtype(image, dtype))["image"]
        # each uint8 step rounds: a few levels of drift at most over four steps
        assert max_diff(to_unit(out) * 255, out8) <= 3


def test_color_jitter_uses_torchvision_ranges() -> None:
    transform = C.ColorJitter(brightness=0.5, contrast=(0.2, 0.3), saturation=2.0, hue=0.25)
    assert transform.brightness == 0.5 and transform.contrast == (0.2, 0.3)  # stored as given
    draws = [run(transform, photo(8, 8), seed)[1] for seed in range(200)]
    for name, (low, high) in {
        "brightness": (0.5, 1.5),
        "contrast": (0.2, 0.3),
        "saturation": (0.0, 3.0),
        "hue": (-0.25, 0.25),
    }.items():
        values = np.array([d[name] for d in draws])
        assert values.min() >= low and values.max() <= high
        assert values.min() < low + 0.1 * (high - low) and values.max() > high - 0.1 * (high - low)
    assert run(C.ColorJitter(brightness=0.2), photo(8, 8))[1]["order"] == ["brightness"]  # 0 switches a step off
    assert run(C.ColorJitter(brightness=(1.2, 1.2)), photo(8, 8))[1] == {"order": ["brightness"], "brightness": 1.2}


def test_color_jitter_skips_colour_steps_on_grey_images() -> None:
    image = noise((16, 16))
    out, params = run(C.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.5, hue=0.3), image, 4)
    expected = image
    for name in params["order"]:
        if name == "brightness":
            expected = FK.brightness(expected, params[name])
        elif name == "contrast":
            expected = FK.contrast(expected, params[name])
    np.testing.assert_array_equal(out, expected)


# ----------------------------------------------------------------------------- shifts
def test_rgb_shift_adds_whole_levels() -> None:
    image = photo()
    out, params = run(C.RGBShift(r_shift=20.4, g_shift=-30, b_shift=(0.5, 0.5), p=1.0), image)
    assert params == {"shifts": [20.4, -30.0, 0.5]}
    expected = np.clip(image.astype(int) + np.array([20, -30, 1]), 0, 255)  # rounded half up
    np.testing.assert_array_equal(out, expected)
    out16 = C.RGBShift(r_shift=20, g_shift=-30, b_shift=0, p=1.0)(image=as_dtype(image, "uint16"))["image"]
    np.testing.assert_array_equal(out16, np.clip(image.astype(int) * 257 + [20 * 257, -30 * 257, 0], 0, 65535))
    outf = C.RGBShift(r_shift=20, g_shift=-30, b_shift=0, p=1.0)(image=as_dtype(image, "float32"))["image"]
    assert max_diff(outf, np.clip(image / 255 + np.array([20, -30, 0]) / 255, 0, 1)) <= 1e-6


@pytest.mark.parametrize("channels", [1, 3, 7, 130])
def test_channel_shift_any_channel_count(channels: int) -> None:
    image = noise((6, 5, channels))
    out, params = run(C.ChannelShift(shift=(-0.2, 0.2), p=1.0), image, 3)
    offsets = np.floor(np.array(params["shifts"]) * 255 + 0.5)
    assert len(params["shifts"]) == channels
    np.testing.assert_array_equal(out, np.clip(image + offsets, 0, 255))
    out, params = run(C.ChannelShift(shift=(-0.2, 0.2), per_channel=False, p=1.0), image, 3)
    assert len(params["shifts"]) == 1
    np.testing.assert_array_equal(out, np.clip(image + np.floor(params["shifts"][0] * 255 + 0.5), 0, 255))


# ----------------------------------------------------------------------------- channel shuffle / dropout
@pytest.mark.parametrize("channels", [2, 3, 4])
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_shuffle_channels_every_permutation(channels: int, dtype: str) -> None:
    image = as_dtype(noise((5, 6, channels)), dtype)[:, ::-1]  # not contiguous
    for order in itertools.permutations(range(channels)):
        out = FC.shuffle_channels(image, order)
        np.testing.assert_array_equal(out, image[:, :, list(order)])
        assert out.flags.c_contiguous and not np.shares_memory(out, image)


@pytest.mark.parametrize("channels", [3, 4, 7, 130])
def test_channel_shuffle_permutes(channels: int) -> None:
    image = noise((5, 6, channels))
    out, params = run(C.ChannelShuffle(p=1.0), image, 1)
    assert sorted(params["order"]) == list(range(channels))
    np.testing.assert_array_equal(out, image[:, :, params["order"]])
    assert len({tuple(run(C.ChannelShuffle(p=1.0), image, s)[1]["order"]) for s in range(20)}) > 1


@pytest.mark.parametrize("channels", [1, 2, 3, 7])
def test_channel_dropout_never_drops_every_channel(channels: int) -> None:
    image = noise((5, 6, channels)) | 1  # no zero pixels, so dropped channels are recognisable
    transform = C.ChannelDropout(channel_drop_range=(1, 10), fill=0, p=1.0)
    counts = set()
    for seed in range(40):
        out, params = run(transform, image, seed)
        dropped = [c for c in range(channels) if (out[:, :, c] == 0).all()]
        assert dropped == params["channels"] and len(dropped) <= channels - 1
        kept = [c for c in range(channels) if c not in dropped]
        np.testing.assert_array_equal(out[:, :, kept], image[:, :, kept])
        counts.add(len(dropped))
    assert counts == (set(range(1, channels)) if channels > 1 else {0})


def test_channel_dropout_fill_saturates_to_the_dtype() -> None:
    out = FC.drop_channels(np.zeros((2, 2, 3), np.uint8), [2], fill=300)
    assert out[..., 2].tolist() == [[255, 255], [255, 255]] and out[..., :2].max() == 0
    assert FC.drop_channels(np.ones((2, 2, 3), np.float32), [0], fill=0.25)[0, 0].tolist() == [0.25, 1.0, 1.0]


# ----------------------------------------------------------------------------- grey, sepia
def srgb_lightness(unit: np.ndarray) -> np.ndarray:
    """CIELAB L* (0..100) of sRGB values in [0, 1], D65 white, in float64."""
    linear = np.where(unit <= 0.04045, unit / 12.92, ((unit + 0.055) / 1.055) ** 2.4)
    y = linear @ np.array([0.2126, 0.7152, 0.0722])
    f = np.where(y > (6 / 29) ** 3, np.cbrt(y), y / (3 * (6 / 29) ** 2) + 4 / 29)
    return 116 * f - 16


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_to_gray_methods_match_formulas(dtype: str) -> None:
    base = np.concatenate([photo(), noise((8, 64, 3))])
    image = as_dtype(base, dtype)
    top = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}[dtype]
    unit = to_unit(image)
    expected = {
        "weighted_average": unit @ LUMA,
        "average": unit.mean(axis=2),
        "max": unit.max(axis=2),
        "desaturation": (unit.max(axis=2) + unit.min(axis=2)) / 2,
        "from_lab": srgb_lightness(unit) / 100,
    }
    for method, reference in expected.items():
        out = C.ToGray(method=method, p=1.0)(image=image)["image"]
        assert out.shape == image.shape and out.dtype == image.dtype
        assert (out[..., 0] == out[..., 1]).all() and (out[..., 0] == out[..., 2]).all()
        tolerance = {"uint8": 1.0, "uint16": 1.0, "float32": 1e-5}[dtype]
        assert max_diff(out[..., 0], reference * top) <= tolerance, method
    gray = FC.to_gray(base, "weighted_average", 1)
    assert gray.shape == (*base.shape[:2], 1)
    assert max_diff(gray[..., 0], cv2.cvtColor(base, cv2.COLOR_RGB2GRAY)) <= 1


def test_to_gray_output_channels_and_frame_stacks() -> None:
    frames = np.stack([photo(), photo()[::-1].copy()])
    for method in ("weighted_average", "pca"):
        transform = C.ToGray(num_output_channels=1, method=method, p=1.0)
        out = transform(images=frames)["images"]
        assert out.shape == (*frames.shape[:3], 1)
        for index, frame in enumerate(frames):  # pca statistics are per frame
            np.testing.assert_array_equal(out[index], transform(image=frame)["image"])
    assert C.ToGray(num_output_channels=4, p=1.0)(image=photo())["image"].shape == (48, 64, 4)


def test_to_gray_pca_is_the_first_principal_component() -> None:
    image = photo(64, 96)
    out = FC.to_gray(image, "pca", 1)[..., 0].astype(np.float64)
    pixels = image.reshape(-1, 3).astype(np.float64)
    _, vectors = np.linalg.eigh(np.cov(pixels, rowvar=False))
    projection = (pixels - pixels.mean(axis=0)) @ vectors[:, -1]
    projection *= np.sign(vectors[:, -1].sum())
    expected = (projection - projection.min()) / np.ptp(projection) * 255
    assert max_diff(out.reshape(-1), expected) <= 1 and out.min() == 0 and out.max() == 255
    flat = np.full((4, 4, 3), 90, np.uint8)
    np.testing.assert_array_equal(FC.to_gray(flat, "pca"), flat)  # no variance: the mean


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_to_sepia_matches_the_matrix(dtype: str) -> None:
    image = as_dtype(photo(), dtype)
    top = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}[dtype]
    sepia = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
    expected = np.clip(to_unit(image) @ sepia.T, 0, 1) * top
    out = C.ToSepia(p=1.0)(image=image)["image"]
    assert max_diff(out, expected) < (1e-5 if dtype == "float32" else 1.0)


# ----------------------------------------------------------------------------- Planckian jitter
def test_planckian_gains_are_physical() -> None:
    neutral = FC.planckian_gains(6500.0)
    assert all(abs(g - 1.0) < 0.07 for g in neutral)  # a 6500 K black body is close to sRGB white
    assert all(abs(g - 1.0) < 0.002 for g in FC.planckian_gains(6504.0, "cied"))  # D65 is sRGB white
    warm, cold = FC.planckian_gains(3000.0), FC.planckian_gains(15000.0)
    assert warm[0] > 1.5 and warm[2] < 0.5 and cold[0] < 1.0 < cold[2]
    # CIE illuminant A (2856 K, XYZ 1.0985, 1, 0.35585) in linear sRGB, normalized to green
    rgb = np.array([[3.2406, -1.5372, -0.4986], [-0.9689, 1.8758, 0.0415], [0.0557, -0.2040, 1.0570]]) @ [1.0985, 1.0, 0.35585]
    # (the analytic colour matching functions put the chromaticity within ~0.001: gains within 2.5 %)
    np.testing.assert_allclose(FC.planckian_gains(2856.0), rgb / rgb[1], rtol=0.025)
    reds = [FC.planckian_gains(t)[0] for t in range(2000, 20001, 1000)]
    blues = [FC.planckian_gains(t)[2] for t in range(2000, 20001, 1000)]
    assert all(np.diff(reds) < 0) and all(np.diff(blues) > 0)


def test_planckian_jitter_multiplies_red_and_blue() -> None:
    image = photo()
    out, params = run(C.PlanckianJitter(p=1.0), image, 2)
    red, green, blue = FC.planckian_gains(params["temperature"])
    expected = np.clip(image * np.array([red, green, blue]), 0, 255)
    assert max_diff(out, expected) <= 0.5 + 1e-3 and 3000 <= params["temperature"] <= 15000


@pytest.mark.parametrize("mode", ["blackbody", "cied"])
def test_planckian_sampling(mode: str) -> None:
    uniform = np.array([run(C.PlanckianJitter(mode=mode, p=1.0), photo(4, 4), s)[1]["temperature"] for s in range(300)])
    low = 3000 if mode == "blackbody" else 4000
    assert uniform.min() >= low and uniform.max() <= 15000 and abs(uniform.mean() - (low + 15000) / 2) < 800
    transform = C.PlanckianJitter(mode=mode, temperature_limit=(5000, 12000), sampling_method="gaussian", p=1.0)
    gauss = np.array([run(transform, photo(4, 4), s)[1]["temperature"] for s in range(300)])
    assert gauss.min() >= 5000 and gauss.max() <= 12000
    assert np.mean(np.abs(gauss - 6500) < 1500) > 0.5  # concentrated near the neutral temperature


# ----------------------------------------------------------------------------- dtypes agree
TRANSFORMS = [
    C.Brightness(brightness=1.3, p=1.0),
    C.Contrast(contrast=0.6, p=1.0),
    C.Saturation(saturation=1.6, p=1.0),
    C.Hue(hue=0.17, p=1.0),
    C.HueSaturationValue(hue_shift=15, sat_shift=-25, val_shift=10, p=1.0),
    C.RGBShift(r_shift=12, g_shift=-7, b_shift=30, p=1.0),
    C.ChannelShift(shift=0.05, p=1.0),
    C.ChannelShuffle(p=1.0),
    C.ChannelDropout(p=1.0),
    C.ToGray(method="desaturation", p=1.0),
    C.ToSepia(p=1.0),
    C.PlanckianJitter(p=1.0),
]


@pytest.mark.parametrize("transform", TRANSFORMS, ids=lambda t: type(t).__name__)
@pytest.mark.parametrize("dtype", ["uint16", "float32"])
def test_other_dtypes_agree_with_uint8(transform: ak.BaseTransform, dtype: str) -> None:
    image = photo()
    out8 = transform(image=image, rng=1, record=True)
    record = json.loads(json.dumps(out8["applied"]))
    out = transform.replay(record, image=as_dtype(image, dtype))["image"]
    assert out.dtype == np.dtype(dtype)
    # uint8 rounding only; HueSaturationValue's uint8 path quantizes through 8-bit HSV
    tolerance = 10.0 if isinstance(transform, C.HueSaturationValue) else 1.0 + 1e-6
    assert max_diff(to_unit(out) * 255, out8["image"]) <= tolerance


# ----------------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    ("build", "argument"),
    [
        (lambda: C.Brightness(brightness=-0.1), "brightness"),
        (lambda: C.Contrast(contrast=(1.5, 0.5)), "contrast"),
        (lambda: C.Saturation(saturation="high"), "saturation"),
        (lambda: C.Hue(hue=0.7), "hue"),
        (lambda: C.ColorJitter(hue=0.6), "hue"),
        (lambda: C.ColorJitter(brightness=-1), "brightness"),
        (lambda: C.ColorJitter(contrast=(-0.1, 1.0)), "contrast"),
        (lambda: C.ColorJitter(saturation=None), "saturation"),
        (lambda: C.HueSaturationValue(hue_shift=200), "hue_shift"),
        (lambda: C.HueSaturationValue(sat_shift=(10, -10)), "sat_shift"),
        (lambda: C.RGBShift(g_shift=300), "g_shift"),
        (lambda: C.ChannelShift(shift=2.0), "shift"),
        (lambda: C.ChannelShift(per_channel=1), "per_channel"),
        (lambda: C.ChannelDropout(channel_drop_range=0), "channel_drop_range"),
        (lambda: C.ChannelDropout(fill=(1, 2, 3)), "fill"),
        (lambda: C.ToGray(method="luma"), "method"),
        (lambda: C.ToGray(num_output_channels=0), "num_output_channels"),
        (lambda: C.PlanckianJitter(mode="sun"), "mode"),
        (lambda: C.PlanckianJitter(mode="cied", temperature_limit=(3000, 9000)), "temperature_limit"),
        (lambda: C.PlanckianJitter(sampling_method="normal"), "sampling_method"),
    ],
)
def test_bad_arguments_name_class_and_argument(build: Any, argument: str) -> None:
    with pytest.raises(ak.ArgumentError) as info:
        build()
    message = str(info.value)
    assert message.split(":")[0] in {type(t).__name__ for t in TRANSFORMS} | {"ColorJitter", "ToGray"}
    assert f"'{argument}'" in message


@pytest.mark.parametrize("cls", [C.Saturation, C.Hue, C.HueSaturationValue, C.RGBShift, C.ToGray, C.ToSepia, C.PlanckianJitter])
def test_rgb_only_transforms_reject_other_channel_counts(cls: type) -> None:
    with pytest.raises(ak.TargetTypeError, match=rf"^{cls.__name__}: target 'image' expects 3 channel"):
        cls.example()(image=noise((8, 8, 4)))


def test_kernels_reject_bad_inputs() -> None:
    with pytest.raises(ValueError, match="RGB"):
        FK.hue(noise((4, 4)), 0.1)
    with pytest.raises(ValueError, match="permutation"):
        FC.shuffle_channels(noise(), [0, 0, 1])
    with pytest.raises(ValueError, match="2 shifts"):
        FC.shift_channels(noise(), [0.1, 0.2])
    with pytest.raises(ValueError, match="temperature"):
        FC.planckian_gains(500.0)
