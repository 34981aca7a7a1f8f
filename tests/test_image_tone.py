"""Tone transforms against independent references: Pillow's ImageOps, OpenCV and float64 formulas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

import augkit as ak
from augkit.image.functional import histogram as FH
from augkit.image.functional import tone as FT
from augkit.image.tone import CLAHE, AutoContrast, Equalize, Invert, Posterize, RandomGamma, RandomToneCurve, Solarize
from augkit.samples import load_samples

TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}


# ----------------------------------------------------------------------------------- images
def _photos() -> list[np.ndarray]:
    return [cv2.resize(s.image, (160, 120), interpolation=cv2.INTER_AREA) for s in load_samples()]


PHOTOS = _photos()


def _uint8_images() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    gray = cv2.cvtColor(PHOTOS[0], cv2.COLOR_RGB2GRAY)
    smooth = np.clip(rng.normal(120, 25, (40, 50, 3)), 0, 255).astype(np.uint8)
    return {
        **{f"photo{i}": photo for i, photo in enumerate(PHOTOS)},
        "gray2d": gray,
        "gray1": gray[:, :, None].copy(),
        "noise": rng.integers(0, 256, (37, 29, 3), dtype=np.uint8),
        "smooth": smooth,
        "narrow": rng.integers(90, 97, (30, 31, 3), dtype=np.uint8),
        "two_levels": np.where(rng.random((20, 20)) < 0.3, 40, 200).astype(np.uint8),
        "dark": (rng.random((33, 35, 3)) ** 4 * 60).astype(np.uint8),
        "constant": np.full((16, 20, 3), 77, np.uint8),
        "constant_gray": np.full((9, 9), 255, np.uint8),
        "tiny": rng.integers(0, 256, (2, 3, 3), dtype=np.uint8),
    }


IMAGES = _uint8_images()


def pil_op(image: np.ndarray, op: Callable[[Image.Image], Image.Image]) -> np.ndarray:
    """Apply a PIL operation: RGB and gray images directly, other channel counts one channel at a time."""
    if image.ndim == 2 or image.shape[2] == 3:
        return np.asarray(op(Image.fromarray(image)))
    planes = [np.asarray(op(Image.fromarray(np.ascontiguousarray(image[:, :, c])))) for c in range(image.shape[2])]
    return np.stack(planes, axis=2)


def assert_close_uint8(out: np.ndarray, expected: np.ndarray, image: np.ndarray) -> None:
    """Same dtype, shape and values: the kernels reproduce PIL's and OpenCV's integer arithmetic, so
    the comparison is exact (stricter than the 1-level tolerance the definitions would allow)."""
    assert out.dtype == np.uint8 and out.shape == image.shape and out.flags.c_contiguous
    assert not np.shares_memory(out, image)
    diff = np.abs(out.astype(np.int64) - expected.reshape(out.shape).astype(np.int64))
    assert diff.max() == 0, f"max abs difference {diff.max()} at {np.count_nonzero(diff)} values"


def run(transform: ak.BaseTransform, image: np.ndarray, seed: int = 0) -> np.ndarray:
    return transform(image=image, rng=seed)["image"]


def as_dtype(image: np.ndarray, dtype: str) -> np.ndarray:
    """The same picture in another dtype (uint16 = 257 * uint8, float32 = uint8 / 255)."""
    if dtype == "uint16":
        return image.astype(np.uint16) * np.uint16(257)
    if dtype == "float32":
        return image.astype(np.float32) / np.float32(255)
    return image


def in_uint8_units(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float64) * (255.0 / TOP[image.dtype.name])


ALL = list(IMAGES)


# ----------------------------------------------------------------------------------- Pillow point operations
@pytest.mark.parametrize("name", ALL)
def test_invert_matches_pil(name: str) -> None:
    image = IMAGES[name]
    assert_close_uint8(run(Invert(p=1.0), image), pil_op(image, ImageOps.invert), image)


def test_invert_uint16_float_and_seven_channels() -> None:
    rng = np.random.default_rng(0)
    wide = rng.integers(0, 65536, (5, 6, 7), dtype=np.uint16)
    np.testing.assert_array_equal(run(Invert(p=1.0), wide), 65535 - wide.astype(np.int64))
    unit = rng.random((5, 6, 3), dtype=np.float32)
    np.testing.assert_allclose(run(Invert(p=1.0), unit), 1.0 - unit.astype(np.float64), atol=1e-7)


@pytest.mark.parametrize("name", ALL)
def test_posterize_matches_pil(name: str) -> None:
    image = IMAGES[name]
    for bits in range(1, 9):
        out = run(Posterize(bits=bits, p=1.0), image)
        assert_close_uint8(out, pil_op(image, lambda im, b=bits: ImageOps.posterize(im, b)), image)


def test_posterize_per_channel_matches_pil_channel_by_channel() -> None:
    image = np.concatenate([IMAGES["photo1"], IMAGES["photo2"], IMAGES["photo3"][:, :, :1]], axis=2)  # 7 channels
    transform = Posterize(bits=(1, 8), per_channel=True, p=1.0)
    out = transform(image=image, rng=5, record=True)
    bits = out["applied"][0]["params"]["bits"]
    assert len(bits) == 7 and len(set(bits)) > 1 and all(1 <= b <= 8 for b in bits)
    for c, b in enumerate(bits):
        expected = np.asarray(ImageOps.posterize(Image.fromarray(np.ascontiguousarray(image[:, :, c])), b))
        np.testing.assert_array_equal(out["image"][:, :, c], expected)


@pytest.mark.parametrize("bits", [0, 1, 3, 8])
def test_posterize_uint16_and_float_analytic(bits: int) -> None:
    rng = np.random.default_rng(bits)
    wide = rng.integers(0, 65536, (6, 7, 3), dtype=np.uint16)
    shift = 16 - bits
    np.testing.assert_array_equal(FT.posterize(wide, bits), (wide.astype(np.int64) >> shift) << shift)
    unit = np.append(rng.random(200), [0.0, 1.0, 0.5]).astype(np.float32).reshape(7, 29)
    levels = 2**bits
    expected = np.minimum(np.floor(unit.astype(np.float64) * levels), levels - 1) / levels
    np.testing.assert_allclose(FT.posterize(unit, bits), expected, atol=1e-7)
    if bits == 0:
        assert not FT.posterize(IMAGES["photo0"], 0).any()


@pytest.mark.parametrize("name", ["photo0", "gray2d", "gray1", "noise", "narrow", "constant", "tiny"])
def test_solarize_matches_pil_for_every_threshold(name: str) -> None:
    image = IMAGES[name]
    for threshold in [*range(0, 256, 3), 255]:
        out = run(Solarize(threshold=threshold / 255, p=1.0), image)
        assert_close_uint8(out, pil_op(image, lambda im, t=threshold: ImageOps.solarize(im, t)), image)
    # the default threshold 0.5 is PIL's default 128
    np.testing.assert_array_equal(run(Solarize(p=1.0), image), pil_op(image, ImageOps.solarize))


def test_solarize_uint16_and_float_analytic() -> None:
    rng = np.random.default_rng(1)
    wide = rng.integers(0, 65536, (9, 11, 2), dtype=np.uint16)
    level = int(np.ceil(0.3 * 65535))
    expected = np.where(wide >= level, 65535 - wide.astype(np.int64), wide)
    np.testing.assert_array_equal(FT.solarize(wide, 0.3), expected)
    unit = rng.random((9, 11), dtype=np.float32)
    np.testing.assert_allclose(FT.solarize(unit, 0.3), np.where(unit >= 0.3, 1.0 - unit.astype(np.float64), unit), atol=1e-7)


def test_solarize_threshold_is_drawn_in_range() -> None:
    transform = Solarize(threshold=(0.2, 0.6), p=1.0)
    image = IMAGES["photo0"]
    values = [transform(image=image, rng=s, record=True)["applied"][0]["params"]["threshold"] for s in range(200)]
    assert 0.2 <= min(values) < 0.23 and 0.57 < max(values) <= 0.6


# ----------------------------------------------------------------------------------- Equalize
@pytest.mark.parametrize("name", ALL)
def test_equalize_matches_pil(name: str) -> None:
    image = IMAGES[name]
    assert_close_uint8(run(Equalize(p=1.0), image), pil_op(image, ImageOps.equalize), image)


@pytest.mark.parametrize("name", ["photo0", "photo4", "gray2d", "smooth", "dark"])
def test_equalize_with_mask_matches_pil(name: str) -> None:
    image = IMAGES[name]
    mask = np.zeros(image.shape[:2], bool)
    mask[image.shape[0] // 4 :, : image.shape[1] // 2] = True
    expected = np.asarray(ImageOps.equalize(Image.fromarray(image), Image.fromarray(mask.astype(np.uint8) * 255)))
    assert_close_uint8(FH.equalize(image, mask=mask), expected, image)


@pytest.mark.parametrize("name", ALL)
def test_equalize_cv_matches_opencv(name: str) -> None:
    image = IMAGES[name]
    planes = [image] if image.ndim == 2 else [np.ascontiguousarray(image[:, :, c]) for c in range(image.shape[2])]
    expected = np.stack([cv2.equalizeHist(p) for p in planes], axis=-1).reshape(image.shape)
    assert_close_uint8(run(Equalize(mode="cv", p=1.0), image), expected, image)


def test_equalize_luma_only_matches_opencv_pipeline() -> None:
    image = IMAGES["photo2"]
    ycrcb = cv2.cvtColor(image, cv2.COLOR_RGB2YCrCb)
    ycrcb[:, :, 0] = cv2.equalizeHist(np.ascontiguousarray(ycrcb[:, :, 0]))
    expected = cv2.cvtColor(ycrcb, cv2.COLOR_YCrCb2RGB)
    assert_close_uint8(run(Equalize(mode="cv", by_channels=False, p=1.0), image), expected, image)
    gray = IMAGES["gray2d"]
    np.testing.assert_array_equal(run(Equalize(by_channels=False, p=1.0), gray), run(Equalize(p=1.0), gray))
    with pytest.raises(ak.TargetError, match=r"Equalize: by_channels=False .* 7"):
        Equalize(by_channels=False, p=1.0)(image=np.zeros((4, 4, 7), np.uint8))


@pytest.mark.parametrize("mode", ["pil", "cv"])
@pytest.mark.parametrize("dtype", ["uint16", "float32"])
def test_equalize_high_bit_depth_agrees_with_uint8(mode: str, dtype: str) -> None:
    for image in [*PHOTOS[:3], IMAGES["gray2d"], IMAGES["gray1"]]:
        reference = run(Equalize(mode=mode, p=1.0), image).astype(np.float64)
        out = run(Equalize(mode=mode, p=1.0), as_dtype(image, dtype))
        assert out.dtype == np.dtype(dtype) and out.shape == image.shape
        tolerance = 1.0
        if mode == "pil":  # PIL floors its step (span // 255) on uint8; 16 bits use the exact step
            planes = image.reshape(image.shape[0], image.shape[1], -1)
            counts = [np.bincount(planes[:, :, c].ravel()) for c in range(planes.shape[2])]
            steps = [(image.shape[0] * image.shape[1] - int(h[-1])) // 255 for h in counts]
            tolerance += 254.0 / min(steps)
        assert np.abs(in_uint8_units(out) - reference).max() <= tolerance
    constant = as_dtype(IMAGES["constant"], dtype)
    np.testing.assert_array_equal(run(Equalize(mode=mode, p=1.0), constant), constant)


# ----------------------------------------------------------------------------------- AutoContrast
CUTOFFS: list[Any] = [0, 1, 2.5, (3, 10), (0, 7), 40, 60]


@pytest.mark.parametrize("name", ALL)
def test_autocontrast_matches_pil(name: str) -> None:
    image = IMAGES[name]
    for cutoff in CUTOFFS:
        for ignore in (None, 0, [255, 96, 77]):
            out = run(AutoContrast(cutoff=cutoff, ignore=ignore, p=1.0), image)
            expected = pil_op(image, lambda im, c=cutoff, i=ignore: ImageOps.autocontrast(im, cutoff=c, ignore=i))
            assert_close_uint8(out, expected, image)


@pytest.mark.parametrize("dtype", ["uint16", "float32"])
def test_autocontrast_high_bit_depth_agrees_with_uint8(dtype: str) -> None:
    for image in [*PHOTOS[:3], IMAGES["narrow"], IMAGES["dark"], IMAGES["gray2d"], IMAGES["gray1"]]:
        for cutoff, ignore in ((0, None), (2, None), ((1, 5), 0)):
            reference = run(AutoContrast(cutoff=cutoff, ignore=ignore, p=1.0), image).astype(np.float64)
            out = run(AutoContrast(cutoff=cutoff, ignore=ignore, p=1.0), as_dtype(image, dtype))
            assert out.dtype == np.dtype(dtype)
            assert np.abs(in_uint8_units(out) - reference).max() <= 1.0 + 1e-4
    constant = as_dtype(IMAGES["constant"], dtype)
    np.testing.assert_array_equal(run(AutoContrast(p=1.0), constant), constant)


def test_autocontrast_float_stretches_exact_min_max() -> None:
    rng = np.random.default_rng(2)
    unit = (0.2 + 0.5 * rng.random((10, 12, 4))).astype(np.float32)
    low, high = unit.min(axis=(0, 1)).astype(np.float64), unit.max(axis=(0, 1)).astype(np.float64)
    expected = (unit - low) / (high - low)
    np.testing.assert_allclose(run(AutoContrast(p=1.0), unit), expected, atol=2e-6)


# ----------------------------------------------------------------------------------- RandomGamma
def gamma_reference(image: np.ndarray, gamma: float) -> np.ndarray:
    top = TOP[image.dtype.name]
    value = np.exp(gamma * np.log(np.maximum(image.astype(np.float64), 1e-300) / top)) * top
    value[image == 0] = 0.0
    return value if image.dtype == np.float32 else np.floor(value + 0.5)


@pytest.mark.parametrize("gamma", [0.5, 0.8, 1.0, 1.37, 2.2])
def test_gamma_analytic_every_dtype(gamma: float) -> None:
    every_uint8 = np.arange(256, dtype=np.uint8).reshape(16, 16)
    np.testing.assert_array_equal(FT.adjust_gamma(every_uint8, gamma), gamma_reference(every_uint8, gamma))
    every_uint16 = np.arange(65536, dtype=np.uint16).reshape(256, 256)  # large: through a table
    np.testing.assert_array_equal(FT.adjust_gamma(every_uint16, gamma), gamma_reference(every_uint16, gamma))
    small = np.random.default_rng(0).integers(0, 65536, (10, 10, 3), dtype=np.uint16)  # small: computed directly
    np.testing.assert_array_equal(FT.adjust_gamma(small, gamma), gamma_reference(small, gamma))
    unit = np.random.default_rng(1).random((20, 30, 7), dtype=np.float32)
    np.testing.assert_allclose(FT.adjust_gamma(unit, gamma), gamma_reference(unit, gamma), rtol=2e-6, atol=1e-7)


def test_gamma_is_drawn_from_the_percent_range() -> None:
    transform = RandomGamma(gamma_limit=(60, 150), p=1.0)
    image = IMAGES["photo0"]
    draws = []
    for seed in range(100):
        out = transform(image=image, rng=seed, record=True)
        gamma = out["applied"][0]["params"]["gamma"]
        draws.append(gamma)
        np.testing.assert_array_equal(out["image"], gamma_reference(image, gamma))
    assert 0.6 <= min(draws) < 0.65 and 1.45 < max(draws) <= 1.5
    assert abs(np.mean(draws) - 1.05) < 0.06


# ----------------------------------------------------------------------------------- CLAHE
@pytest.mark.parametrize("grid", [(8, 8), (3, 5)])
@pytest.mark.parametrize("clip", [1.0, 2.5, 40.0])
def test_clahe_uint8_matches_opencv(clip: float, grid: tuple[int, int]) -> None:
    gray = IMAGES["gray2d"]
    np.testing.assert_array_equal(FH.clahe(gray, clip, grid), cv2.createCLAHE(clip, grid).apply(gray))
    rgb = IMAGES["photo1"]
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    lab[:, :, 0] = cv2.createCLAHE(clip, grid).apply(np.ascontiguousarray(lab[:, :, 0]))
    np.testing.assert_array_equal(FH.clahe(rgb, clip, grid), cv2.cvtColor(lab, cv2.COLOR_LAB2RGB))
    seven = np.concatenate([IMAGES["photo2"], IMAGES["photo3"], IMAGES["gray1"]], axis=2)
    expected = np.stack([cv2.createCLAHE(clip, grid).apply(np.ascontiguousarray(seven[:, :, c])) for c in range(7)], axis=2)
    np.testing.assert_array_equal(FH.clahe(seven, clip, grid), expected)


@pytest.mark.parametrize("dtype", ["uint16", "float32"])
@pytest.mark.parametrize("shape", [(120, 160), (37, 53), (5, 3)])
def test_clahe_high_bit_depth_matches_opencv_8bit(dtype: str, shape: tuple[int, int]) -> None:
    gray = cv2.resize(IMAGES["gray2d"], shape[::-1], interpolation=cv2.INTER_AREA)
    for clip, grid in ((1.0, (8, 8)), (3.0, (4, 2)), (40.0, (2, 2))):
        expected = cv2.createCLAHE(clip, grid).apply(gray).astype(np.float64)
        out = FH.clahe(as_dtype(gray, dtype), clip, grid)
        assert out.dtype == np.dtype(dtype)
        assert np.abs(in_uint8_units(out) - expected).max() <= 1.0 + 1e-4  # OpenCV rounds its maps and output


def test_clahe_float_rgb_works_on_lab_lightness() -> None:
    rgb = IMAGES["photo4"].astype(np.float32) / np.float32(255)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    # the lightness through the gray float path (checked against OpenCV above), then back to RGB
    lightness = FH.clahe(np.ascontiguousarray(lab[:, :, 0]) / np.float32(100), 2.0, (8, 8))
    expected = np.clip(cv2.cvtColor(np.dstack([lightness * np.float32(100), lab[:, :, 1:]]), cv2.COLOR_LAB2RGB), 0, 1)
    out = FH.clahe(rgb, 2.0, (8, 8))
    assert out.dtype == np.float32 and np.abs(out - expected).max() < 1e-4
    # and close to OpenCV's 8-bit CLAHE on the rounded lightness (steep dark maps amplify the rounding)
    rounded = np.clip(np.rint(lab[:, :, 0] * 2.55), 0, 255).astype(np.uint8)
    lab[:, :, 0] = cv2.createCLAHE(2.0, (8, 8)).apply(rounded).astype(np.float32) / np.float32(2.55)
    opencv = np.clip(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), 0, 1)
    assert np.abs(out - opencv).max() < 4 / 255 and np.abs(out - opencv).mean() < 1 / 255
    wide = FH.clahe((rgb * 65535 + 0.5).astype(np.uint16), 2.0, (8, 8))
    assert wide.dtype == np.uint16 and np.abs(wide / 65535.0 - out).max() < 1 / 255


def test_clahe_clip_limit_is_drawn_and_changes_contrast() -> None:
    transform = CLAHE(clip_limit=(1.5, 3.0), tile_grid_size=4, p=1.0)
    assert transform.tile_grid_size == (4, 4)
    image = IMAGES["narrow"]
    limits = [transform(image=image, rng=s, record=True)["applied"][0]["params"]["clip_limit"] for s in range(50)]
    assert 1.5 <= min(limits) < 1.7 and 2.8 < max(limits) <= 3.0
    assert run(transform, image).std() > image.std()


# ----------------------------------------------------------------------------------- RandomToneCurve
def bezier_reference(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """De Casteljau on the control values (0, low, high, 1)."""
    a, b, c = (1 - x) * 0 + x * low, (1 - x) * low + x * high, (1 - x) * high + x * 1
    d, e = (1 - x) * a + x * b, (1 - x) * b + x * c
    return (1 - x) * d + x * e


@pytest.mark.parametrize("low, high", [(1 / 3, 2 / 3), (0.25, 0.75), (0.1, 0.95), (0.5, 0.5), (0.0, 1.0), (0.4, 0.45)])
def test_tone_curve_analytic(low: float, high: float) -> None:
    every_uint8 = np.arange(256, dtype=np.uint8).reshape(16, 16)
    expected = np.floor(bezier_reference(every_uint8 / 255.0, low, high) * 255 + 0.5)
    np.testing.assert_array_equal(FT.tone_curve(every_uint8, low, high), expected)
    every_uint16 = np.arange(65536, dtype=np.uint16).reshape(256, 256)
    expected16 = np.floor(bezier_reference(every_uint16 / 65535.0, low, high) * 65535 + 0.5)
    np.testing.assert_array_equal(FT.tone_curve(every_uint16, low, high), expected16)
    unit = np.random.default_rng(0).random((10, 10, 3), dtype=np.float32)
    np.testing.assert_allclose(FT.tone_curve(unit, low, high), bezier_reference(unit.astype(np.float64), low, high), atol=1e-6)
    if (low, high) == (1 / 3, 2 / 3):
        np.testing.assert_array_equal(FT.tone_curve(every_uint8, low, high), every_uint8)


@pytest.mark.parametrize("per_channel", [False, True])
def test_tone_curve_is_monotone_with_fixed_endpoints(per_channel: bool) -> None:
    ramp = np.repeat(np.arange(256, dtype=np.uint8)[:, None, None], 3, axis=2)  # 256 x 1 x 3: every level
    transform = RandomToneCurve(scale=0.4, per_channel=per_channel, p=1.0)
    differ = 0
    for seed in range(150):
        out = transform(image=ramp, rng=seed, record=True)
        curve = out["image"][:, 0, :].astype(np.int64)
        assert (curve[0] == 0).all() and (curve[-1] == 255).all()
        assert (np.diff(curve, axis=0) >= 0).all(), f"not monotone for seed {seed}"
        params = out["applied"][0]["params"]
        lows, highs = np.atleast_1d(params["low"]), np.atleast_1d(params["high"])
        assert len(lows) == (3 if per_channel else 1) and (lows <= highs).all()
        differ += int(not (curve == curve[:, :1]).all())
    assert (differ > 100) if per_channel else (differ == 0)


def test_tone_curve_draws_around_quarter_points() -> None:
    transform = RandomToneCurve(scale=0.05, p=1.0)
    image = IMAGES["photo0"]
    draws = np.array([list(transform(image=image, rng=s, record=True)["applied"][0]["params"].values()) for s in range(300)])
    assert np.allclose(draws.mean(axis=0), [0.25, 0.75], atol=0.01)
    assert np.allclose(draws.std(axis=0), [0.05, 0.05], rtol=0.2)


# ----------------------------------------------------------------------------------- frame stacks and dtypes
@pytest.mark.parametrize(
    "transform",
    [
        Posterize(bits=(1, 7), per_channel=True, p=1.0),
        RandomToneCurve(scale=0.3, per_channel=True, p=1.0),
        RandomGamma(p=1.0),
        Solarize(threshold=(0.2, 0.8), p=1.0),
        Invert(p=1.0),
    ],
    ids=lambda t: type(t).__name__,
)
@pytest.mark.parametrize("layout", [(), (1,), (3,), (7,)], ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_frame_stacks_match_frame_by_frame(transform: ak.BaseTransform, layout: tuple[int, ...], dtype: str) -> None:
    rng = np.random.default_rng(4)
    frames = rng.random((3, 9, 11, *layout))
    frames = (frames * TOP[dtype]).astype(dtype) if dtype != "float32" else frames.astype(np.float32)
    out = transform(images=frames, rng=7, record=True)
    assert out["images"].shape == frames.shape and out["images"].dtype == frames.dtype
    for index, frame in enumerate(frames):
        np.testing.assert_array_equal(out["images"][index], transform.replay(out["applied"], image=frame)["image"])


@pytest.mark.parametrize(
    "transform",
    [
        Posterize(bits=(0, 8), per_channel=True, p=1.0),
        RandomToneCurve(scale=0.3, per_channel=True, p=1.0),
        Equalize(mode="cv", p=1.0),
        Equalize(mode="pil", by_channels=False, p=1.0),
        AutoContrast(cutoff=(2, 5), ignore=[0, 255], p=1.0),
        AutoContrast(p=1.0),
        CLAHE(clip_limit=3, tile_grid_size=(3, 2), p=1.0),
    ],
    ids=lambda t: repr(t),
)
@pytest.mark.parametrize("layout", [(), (1,), (3,), (7,), (130,)], ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_every_dtype_and_channel_count(transform: ak.BaseTransform, layout: tuple[int, ...], dtype: str) -> None:
    rng = np.random.default_rng(6)
    unit = rng.random((11, 13, *layout)) ** 2
    image = (unit * TOP[dtype]).astype(dtype) if dtype != "float32" else unit.astype(np.float32)
    if isinstance(transform, Equalize) and not transform.by_channels and layout in ((7,), (130,)):
        with pytest.raises(ak.TargetError, match="RGB"):
            run(transform, image)
        return
    before = image.copy()
    out = run(transform, image, seed=2)
    assert out.dtype == image.dtype and out.shape == image.shape and out.flags.c_contiguous
    assert not np.shares_memory(out, image)
    np.testing.assert_array_equal(image, before)
    if dtype == "float32":
        assert out.min() >= 0.0 and out.max() <= 1.0


# ----------------------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize(
    "cls, kwargs, argument",
    [
        (RandomGamma, {"gamma_limit": (0, 120)}, "gamma_limit"),
        (RandomGamma, {"gamma_limit": (120, 80)}, "gamma_limit"),
        (RandomGamma, {"gamma_limit": "80"}, "gamma_limit"),
        (Posterize, {"bits": 9}, "bits"),
        (Posterize, {"bits": (-1, 4)}, "bits"),
        (Posterize, {"bits": 4.5}, "bits"),
        (Posterize, {"per_channel": 1}, "per_channel"),
        (Solarize, {"threshold": 1.5}, "threshold"),
        (Solarize, {"threshold": (0.8, 0.2)}, "threshold"),
        (Equalize, {"mode": "opencv"}, "mode"),
        (Equalize, {"by_channels": "yes"}, "by_channels"),
        (AutoContrast, {"cutoff": 100}, "cutoff"),
        (AutoContrast, {"cutoff": (1, 2, 3)}, "cutoff"),
        (AutoContrast, {"cutoff": -1}, "cutoff"),
        (AutoContrast, {"ignore": 256}, "ignore"),
        (AutoContrast, {"ignore": []}, "ignore"),
        (AutoContrast, {"ignore": 1.5}, "ignore"),
        (CLAHE, {"clip_limit": 0.5}, "clip_limit"),
        (CLAHE, {"tile_grid_size": (0, 8)}, "tile_grid_size"),
        (CLAHE, {"tile_grid_size": (8, 8, 8)}, "tile_grid_size"),
        (RandomToneCurve, {"scale": -0.1}, "scale"),
        (RandomToneCurve, {"scale": 2}, "scale"),
        (RandomToneCurve, {"per_channel": None}, "per_channel"),
    ],
)
def test_bad_arguments_name_class_and_argument(cls: type, kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^{cls.__name__}: argument '{argument}' expects"):
        cls(**kwargs)


def test_kernels_reject_bad_values() -> None:
    image = IMAGES["photo0"]
    with pytest.raises(ValueError, match="bits"):
        FT.posterize(image, 9)
    with pytest.raises(ValueError, match=r"2 values .* 3 channel"):
        FT.posterize(image, [4, 5])
    with pytest.raises(ValueError, match="low"):
        FT.tone_curve(image, [0.1, 0.2], 0.7)
    with pytest.raises(ValueError, match="gamma"):
        FT.adjust_gamma(image, 0.0)
    with pytest.raises(ValueError, match="mode"):
        FH.equalize(image, mode="x")
    with pytest.raises(ValueError, match="mask"):
        FH.equalize(image, mask=np.ones((3, 3), bool))
    with pytest.raises(ValueError, match="cutoff"):
        FH.autocontrast(image, 100)
    with pytest.raises(ValueError, match="tables"):
        FT.apply_tables(image, np.stack([np.arange(256), 255 - np.arange(256)]).astype(np.uint8))
