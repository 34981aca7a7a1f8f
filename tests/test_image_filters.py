"""Sharpen, Emboss, UnsharpMask and Superpixels against OpenCV, scipy and float64 references."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi

import augkit as ak
from augkit.image.blur import Emboss, Sharpen, Superpixels, UnsharpMask
from augkit.image.functional import filters as F

TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}
DTYPES = ["uint8", "uint16", "float32"]


def photo(height: int = 90, width: int = 120) -> np.ndarray:
    image = cv2.imread(str(ak.__path__[0]) + "/samples/images/astronaut.jpg")[:, :, ::-1]
    return np.ascontiguousarray(cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA))


def as_dtype(image: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "uint8":
        return image
    if dtype == "uint16":
        return image.astype(np.uint16) * 257
    return (image / np.float32(255)).astype(np.float32)


def expected_from(values: np.ndarray, dtype: str) -> np.ndarray:
    """Saturate (and round) float64 values as the dtype would."""
    values = np.clip(values, 0.0, TOP[dtype])
    return values if dtype == "float32" else np.rint(values)


def check(out: np.ndarray, expected: np.ndarray, dtype: str) -> None:
    assert out.dtype == np.dtype(dtype) and out.shape == expected.shape and out.flags.c_contiguous
    tolerance = 1e-5 if dtype == "float32" else 1.0
    assert np.abs(out.astype(np.float64) - expected).max() <= tolerance


def correlate(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """float64 correlation with reflect-101 borders (scipy's "mirror"), channel by channel."""
    weights = kernel[:, :, None] if image.ndim == 3 else kernel
    return ndi.correlate(image.astype(np.float64), weights, mode="mirror")


# --------------------------------------------------------------------------------- sharpen and emboss
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("alpha", "lightness"), [(0.2, 0.5), (0.5, 1.0), (1.0, 0.7), (0.35, 2.0)])
def test_sharpen_matches_a_float64_correlation(dtype: str, alpha: float, lightness: float) -> None:
    image = as_dtype(photo(), dtype)
    # written as a centre boost minus the 3 x 3 sum: (1 + alpha * (8 + lightness)) * x - alpha * sum3x3(x)
    kernel = np.full((3, 3), -alpha)
    kernel[1, 1] += 1.0 + alpha * (8.0 + lightness)
    out = F.sharpen(image, alpha, lightness)
    check(out, expected_from(correlate(image, kernel), dtype), dtype)
    check(out, expected_from(cv2.filter2D(image.astype(np.float64), -1, kernel), dtype), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("alpha", "strength"), [(0.2, 0.2), (0.5, 0.7), (1.0, 1.5)])
def test_emboss_matches_a_float64_correlation(dtype: str, alpha: float, strength: float) -> None:
    image = as_dtype(photo(), dtype)
    kernel = np.zeros((3, 3))
    kernel[1, 1] = 1.0
    # the relief: a diagonal gradient, dark above-left and light below-right
    kernel += alpha * np.array([[-1 - strength, -strength, 0], [-strength, 0, strength], [0, strength, 1 + strength]])
    check(F.emboss(image, alpha, strength), expected_from(correlate(image, kernel), dtype), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_alpha_zero_is_the_identity(dtype: str) -> None:
    image = as_dtype(photo(), dtype)
    for out in (F.sharpen(image, 0.0, 0.7), F.emboss(image, 0.0, 0.5), F.unsharp_mask(image, 5, 0.0, 0.0, 0)):
        np.testing.assert_array_equal(out, image)
        assert not np.shares_memory(out, image)
    np.testing.assert_array_equal(Sharpen(alpha=0.0, p=1.0)(image=image, rng=0)["image"], image)


def test_sharpen_with_lightness_one_and_emboss_keep_flat_regions() -> None:
    image = np.full((20, 20, 3), 120, np.uint8)
    assert (F.sharpen(image, 0.7, 1.0) == 120).all() and (F.emboss(image, 0.7, 1.3) == 120).all()
    assert (F.sharpen(image, 1.0, 0.5) < 120).all()  # lightness below 1 darkens


def test_sharpen_raises_local_contrast() -> None:
    image = photo()
    sharp = F.sharpen(image, 0.5, 1.0).astype(float)
    laplace = np.abs(ndi.laplace(image.astype(float), mode="mirror"))
    assert np.abs(ndi.laplace(sharp, mode="mirror")).mean() > 1.5 * laplace.mean()


# --------------------------------------------------------------------------------- unsharp mask
def unsharp_reference(image: np.ndarray, ksize: int, sigma: float, alpha: float, threshold: int) -> np.ndarray:
    top = TOP[image.dtype.name]
    taps = cv2.getGaussianKernel(ksize, sigma, cv2.CV_64F).ravel()

    def blur(values: np.ndarray) -> np.ndarray:
        return ndi.correlate1d(ndi.correlate1d(values, taps, axis=0, mode="mirror"), taps, axis=1, mode="mirror")

    values = image.astype(np.float64)
    residual = values - blur(values)
    soft = blur((np.abs(residual) * 255.0 / top > threshold).astype(np.float64))
    sharp = np.clip(values + alpha * residual, 0.0, top)
    return sharp * soft + values * (1.0 - soft)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("ksize", "sigma", "alpha", "threshold"), [(3, 0.0, 0.3, 10), (5, 0.0, 0.5, 0), (7, 1.5, 0.4, 25), (5, 2.0, 1.0, 5)]
)
def test_unsharp_mask_matches_a_float64_reference(dtype: str, ksize: int, sigma: float, alpha: float, threshold: int) -> None:
    image = as_dtype(photo(), dtype)
    if dtype == "float32":  # break exact ties with the threshold (the mask is a step function)
        image += np.random.default_rng(0).uniform(0.0, 1e-3, image.shape).astype(np.float32)
    out = F.unsharp_mask(image, ksize, sigma, alpha, threshold)
    check(out, expected_from(unsharp_reference(image, ksize, sigma, alpha, threshold), dtype), dtype)


def test_unsharp_mask_threshold_protects_flat_noise() -> None:
    image = photo()
    np.testing.assert_array_equal(F.unsharp_mask(image, 5, 0.0, 1.0, 255), image)  # nothing exceeds 255
    assert not np.array_equal(F.unsharp_mask(image, 5, 0.0, 1.0, 0), image)


# --------------------------------------------------------------------------------- superpixels
def two_tone(height: int = 40, width: int = 60) -> np.ndarray:
    image = np.zeros((height, width, 3), np.uint8)
    image[:, : width // 2] = (200, 30, 30)
    image[:, width // 2 :] = (20, 60, 220)
    return image


def test_slic_follows_a_strong_edge_and_makes_connected_segments() -> None:
    image = two_tone()
    labels = F.slic(image, 12)
    assert labels.dtype == np.int32 and labels.shape == image.shape[:2]
    assert 6 <= labels.max() + 1 <= 20
    left, right = set(np.unique(labels[:, :30])), set(np.unique(labels[:, 30:]))
    assert not left & right  # no segment crosses the edge
    for label in range(labels.max() + 1):
        assert ndi.label(labels == label)[1] == 1  # each segment is one connected piece


def test_slic_segment_count_tracks_n_segments() -> None:
    image = photo()
    counts = [int(F.slic(image, n).max()) + 1 for n in (20, 80, 200)]
    assert counts[0] < counts[1] < counts[2]
    assert 10 <= counts[0] <= 30 and 40 <= counts[1] <= 110


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", [(), (1,), (3,), (7,)])
def test_superpixels_replace_all_makes_every_segment_constant(dtype: str, layout: tuple[int, ...]) -> None:
    rgb = photo(60, 80)
    image = as_dtype(rgb if layout == (3,) else np.repeat(rgb[:, :, :1], layout[0] if layout else 1, axis=2), dtype)
    if not layout:
        image = image[:, :, 0]
    labels = F.superpixel_labels(image, 30, max_size=40)
    out = F.superpixels(image, 30, 1.0, seed=0, max_size=40)
    assert out.dtype == image.dtype and out.shape == image.shape
    flat_out = out.reshape(labels.size, -1)
    flat_in = image.reshape(labels.size, -1).astype(np.float64)
    for label in range(labels.max() + 1):
        members = labels.ravel() == label
        assert (flat_out[members] == flat_out[members][0]).all()
        mean = flat_in[members].mean(axis=0)
        expected = mean if dtype == "float32" else np.floor(mean + 0.5)
        np.testing.assert_allclose(flat_out[members][0], expected, rtol=0, atol=1e-5)


def test_superpixels_replace_none_is_a_copy_and_fraction_follows_p() -> None:
    image = photo()
    out = F.superpixels(image, 60, 0.0, seed=1)
    np.testing.assert_array_equal(out, image)
    assert not np.shares_memory(out, image)
    labels = F.superpixel_labels(image, 60)
    count = labels.max() + 1
    replaced = []
    for seed in range(20):
        changed = F.superpixels(image, 60, 0.3, seed=seed) != image
        replaced.append(len(np.unique(labels[changed.any(axis=2)])) / count)
    assert 0.2 < float(np.mean(replaced)) < 0.4


def test_superpixels_labels_are_full_size_and_unchanged_segments_keep_detail() -> None:
    image = photo(150, 200)
    labels = F.superpixel_labels(image, 50, max_size=64)
    assert labels.shape == (150, 200)
    out = Superpixels(p_replace=0.5, n_segments=50, max_size=64, p=1.0)(image=image, rng=3)["image"]
    kept = 0
    for label in range(labels.max() + 1):
        before, after = image[labels == label], out[labels == label]
        if np.array_equal(before, after):
            kept += 1
        else:  # replaced: one colour
            assert (after == after[0]).all()
    assert 0.2 < kept / (labels.max() + 1) < 0.8


# --------------------------------------------------------------------------------- classes
def test_params_are_drawn_from_the_ranges() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        s = Sharpen(alpha=(0.1, 0.2), lightness=(2.0, 3.0)).sample(rng, None)  # type: ignore[arg-type]
        assert 0.1 <= s["alpha"] <= 0.2 and 2.0 <= s["lightness"] <= 3.0
        u = UnsharpMask(blur_limit=(3, 5), sigma_limit=(1.0, 1.5)).sample(rng, None)  # type: ignore[arg-type]
        assert u["ksize"] in (3, 5) and 1.0 <= u["sigma"] <= 1.5
        p = Superpixels(p_replace=(0.2, 0.4), n_segments=(10, 20)).sample(rng, None)  # type: ignore[arg-type]
        assert 10 <= p["n_segments"] <= 20 and 0.2 <= p["p_replace"] <= 0.4 and isinstance(p["seed"], int)


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: Sharpen(alpha=1.5), "alpha"),
        (lambda: Sharpen(lightness=-1), "lightness"),
        (lambda: Emboss(alpha=(-0.1, 0.5)), "alpha"),
        (lambda: Emboss(strength=-0.5), "strength"),
        (lambda: UnsharpMask(blur_limit=(4, 8)), "blur_limit"),
        (lambda: UnsharpMask(sigma_limit=-1), "sigma_limit"),
        (lambda: UnsharpMask(threshold=300), "threshold"),
        (lambda: UnsharpMask(alpha=2), "alpha"),
        (lambda: Superpixels(p_replace=1.5), "p_replace"),
        (lambda: Superpixels(n_segments=0), "n_segments"),
        (lambda: Superpixels(max_size=0), "max_size"),
    ],
)
def test_bad_arguments_name_class_and_argument(make: object, argument: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^(Sharpen|Emboss|UnsharpMask|Superpixels): argument '{argument}'"):
        make()  # type: ignore[operator]


@pytest.mark.parametrize("transform", [Sharpen(p=1.0), Emboss(p=1.0), UnsharpMask(p=1.0), Superpixels(p_replace=0.5, p=1.0)])
def test_wide_images_and_frame_stacks(transform: ak.BaseTransform) -> None:
    image = np.repeat(photo(40, 50), 44, axis=2)[:, :, :130]  # 130 channels: past OpenCV's 128
    out = transform(image=image, rng=2, record=True)
    last = transform.replay(out["applied"], image=np.ascontiguousarray(image[:, :, 127:]))["image"]
    if not isinstance(transform, Superpixels):  # segments depend on all channels
        np.testing.assert_array_equal(out["image"][:, :, 127:], last)
    frames = np.stack([photo(40, 50), photo(40, 50)[::-1].copy()])
    stacked = transform(images=frames, rng=5, record=True)
    for frame, result in zip(frames, stacked["images"], strict=True):
        np.testing.assert_array_equal(transform.replay(stacked["applied"], image=frame)["image"], result)
