"""Domain-adaptation transforms (FDA, HistogramMatching, PixelDistributionAdaptation, RandomConvolution)
against independent float64 references written with numpy's FFT, sorting, SVD and scipy.ndimage."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import cv2
import numpy as np
import pytest
from scipy import ndimage

import augkit as ak
from augkit.image import domain as D
from augkit.image.functional import domain as FD
from augkit.samples import IMAGES_DIR, load_samples

TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}
CHELSEA, COFFEE = str(IMAGES_DIR / "chelsea.jpg"), str(IMAGES_DIR / "coffee.jpg")


def smooth(shape: tuple[int, ...], seed: int, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """A float64 image in [low, high]: blurred noise (every value differs, natural spectrum)."""
    rng = np.random.default_rng(seed)
    noise = ndimage.gaussian_filter(rng.random(shape), sigma=(2, 2) + (0,) * (len(shape) - 2))
    noise = (noise - noise.min()) / (noise.max() - noise.min())
    return low + (high - low) * noise


def as_dtype(unit: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "float32":
        return unit.astype(np.float32)
    return np.round(unit * TOP[dtype]).astype(dtype)


# --------------------------------------------------------------------------- FDA
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("layout", [(), (1,), (3,)])
def test_fda_beta_zero_is_identity(dtype: str, layout: tuple[int, ...]) -> None:
    image = as_dtype(smooth((20, 30, *layout), 0), dtype)
    reference = as_dtype(smooth((25, 25, *layout), 1), dtype)
    for beta in (0.0, 0.049):  # floor(0.049 * 20) = 0: nothing is swapped
        out = FD.fourier_domain_adaptation(image, reference, beta)
        np.testing.assert_array_equal(out, image)
        assert not np.shares_memory(out, image)
    out = ak.image.domain.FDA([reference], beta_limit=0.0, p=1.0)(image=image, rng=0)["image"]
    np.testing.assert_array_equal(out, image)


@pytest.mark.parametrize("shape", [(32, 40), (33, 27)])
def test_fda_swaps_low_amplitudes_and_keeps_phase(shape: tuple[int, int]) -> None:
    image = smooth((*shape, 3), 2, 0.3, 0.7).astype(np.float32)
    reference = smooth((*shape, 3), 3, 0.35, 0.65).astype(np.float32)
    beta = 0.15
    border = int(np.floor(beta * min(shape)))
    out = FD.fourier_domain_adaptation(image, reference, beta)
    assert out.min() > 0.0 and out.max() < 1.0, "the check needs an output that was not clipped"
    # the swapped square in fftshift coordinates: centre (H // 2, W // 2), offsets -(b-1) .. b-1
    inside = np.zeros(shape, bool)
    cy, cx = shape[0] // 2, shape[1] // 2
    inside[cy - border + 1 : cy + border, cx - border + 1 : cx + border] = True
    for c in range(3):
        src = np.fft.fftshift(np.fft.fft2(image[:, :, c].astype(np.float64)))
        ref = np.fft.fftshift(np.fft.fft2(reference[:, :, c].astype(np.float64)))
        res = np.fft.fftshift(np.fft.fft2(out[:, :, c].astype(np.float64)))
        scale = np.abs(src).max()
        np.testing.assert_allclose(np.abs(res[inside]), np.abs(ref[inside]), rtol=0, atol=2e-5 * scale)
        np.testing.assert_allclose(res[~inside], src[~inside], rtol=0, atol=2e-5 * scale)
        strong = inside & (np.abs(src) > 1e-3 * scale)
        phase_gap = np.angle(res[strong] * np.conj(src[strong]))
        assert np.abs(phase_gap).max() < 1e-3


def test_fda_resizes_the_reference_and_one_coefficient_sets_the_mean() -> None:
    image = as_dtype(smooth((30, 40, 3), 4, 0.2, 0.6), "uint8")
    reference = as_dtype(smooth((61, 53, 3), 5, 0.3, 0.9), "uint8")
    resized = cv2.resize(reference, (40, 30), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(
        FD.fourier_domain_adaptation(image, reference, 0.2), FD.fourier_domain_adaptation(image, resized, 0.2)
    )
    out = FD.fourier_domain_adaptation(image, reference, 1 / 30)  # b = 1: only the DC term
    shift = resized.mean(axis=(0, 1)) - image.mean(axis=(0, 1))
    np.testing.assert_allclose(out.mean(axis=(0, 1)), image.mean(axis=(0, 1)) + shift, atol=0.51)  # one rounding
    assert np.abs(out.astype(int) - image.astype(int) - np.round(shift).astype(int)).max() <= 1


# --------------------------------------------------------------------------- histogram matching
def quantile_map(source: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Per-pixel CDF matching written with sorting and searchsorted (float64, one channel)."""
    flat_src, flat_tpl = np.sort(source.ravel()), np.sort(template.ravel())
    values = source.ravel()
    src_cdf = np.searchsorted(flat_src, values, side="right") / flat_src.size  # P(src <= v)
    tpl_values = flat_tpl[np.r_[flat_tpl[1:] != flat_tpl[:-1], True]]
    tpl_cdf = np.searchsorted(flat_tpl, tpl_values, side="right") / flat_tpl.size
    out = np.empty(values.size)
    for i, q in enumerate(src_cdf):
        j = np.searchsorted(tpl_cdf, q)  # first template quantile >= q
        if j == 0:
            out[i] = tpl_values[0]
        elif tpl_cdf[j] == q:
            out[i] = tpl_values[j]
        else:
            t = (q - tpl_cdf[j - 1]) / (tpl_cdf[j] - tpl_cdf[j - 1])
            out[i] = tpl_values[j - 1] + t * (tpl_values[j] - tpl_values[j - 1])
    return out.reshape(source.shape)


def test_histogram_matching_reproduces_the_reference_histogram_exactly() -> None:
    rng = np.random.default_rng(0)
    reference = as_dtype(smooth((40, 50, 3), 6), "uint8")
    planes = []
    for c in range(3):  # the source: each level replaced by its rank (a strictly increasing relabelling), shuffled
        ranks = np.unique(reference[:, :, c], return_inverse=True)[1].reshape(-1)
        planes.append(rng.permutation(ranks).reshape(40, 50))
    source = np.stack(planes, axis=2).astype(np.uint8)
    assert not np.array_equal(np.sort(source.ravel()), np.sort(reference.ravel()))
    out = FD.histogram_matching(source, reference, 1.0)
    for c in range(3):
        np.testing.assert_array_equal(
            np.bincount(out[:, :, c].ravel(), minlength=256), np.bincount(reference[:, :, c].ravel(), minlength=256)
        )
    shuffled = np.stack([rng.permutation(reference[:, :, c].ravel()).reshape(40, 50) for c in range(3)], axis=2)
    np.testing.assert_array_equal(FD.histogram_matching(shuffled, reference[::-1], 1.0), shuffled)


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("blend", [1.0, 0.37])
def test_histogram_matching_matches_independent_quantile_mapping(dtype: str, blend: float) -> None:
    image = as_dtype(smooth((24, 31, 3), 7) ** 2, dtype)
    reference = as_dtype(smooth((37, 19, 3), 8, 0.2, 0.9), dtype)
    out = FD.histogram_matching(image, reference, blend)
    assert out.dtype == image.dtype and out.shape == image.shape
    for c in range(3):
        src = image[:, :, c].astype(np.float64)
        expected = (1 - blend) * src + blend * quantile_map(src, reference[:, :, c].astype(np.float64))
        if dtype == "float32":
            np.testing.assert_allclose(out[:, :, c], expected, atol=1e-6)
        else:
            assert np.abs(out[:, :, c] - np.floor(expected + 0.5)).max() == 0


def test_histogram_matching_cdf_is_close_and_blend_zero_is_identity() -> None:
    image = as_dtype(smooth((60, 80), 9) ** 3, "uint8")
    reference = as_dtype(smooth((50, 70), 10, 0.1, 0.95), "uint8")
    out = FD.histogram_matching(image, reference, 1.0)
    cdf_out = np.cumsum(np.bincount(out.ravel(), minlength=256)) / out.size
    cdf_ref = np.cumsum(np.bincount(reference.ravel(), minlength=256)) / reference.size
    # a value-to-value map cannot split a source level: the CDFs agree up to the largest source level's mass
    largest = np.bincount(image.ravel()).max() / image.size
    assert largest > 0.01 and np.abs(cdf_out - cdf_ref).max() <= largest + 0.005
    np.testing.assert_array_equal(FD.histogram_matching(image, reference, 0.0), image)


# --------------------------------------------------------------------------- pixel distribution adaptation
def test_pda_standard_gives_the_reference_mean_and_std() -> None:
    image = smooth((40, 50, 3), 11, 0.3, 0.6).astype(np.float32)
    reference = smooth((45, 35, 3), 12, 0.2, 0.8).astype(np.float32)
    out = FD.pixel_distribution_adaptation(image, reference, 1.0, "standard")
    np.testing.assert_allclose(out.mean(axis=(0, 1)), reference.mean(axis=(0, 1)), atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(0, 1)), reference.std(axis=(0, 1)), rtol=1e-4)
    image8, reference8 = (
        as_dtype(smooth((40, 50, 3), 11, 0.3, 0.6), "uint8"),
        as_dtype(smooth((45, 35, 3), 12, 0.25, 0.75), "uint8"),
    )
    out8 = FD.pixel_distribution_adaptation(image8, reference8, 1.0, "standard").astype(np.float64)
    np.testing.assert_allclose(out8.mean(axis=(0, 1)), reference8.mean(axis=(0, 1)), atol=0.6)
    np.testing.assert_allclose(out8.std(axis=(0, 1)), reference8.std(axis=(0, 1)), rtol=0.01)


def test_pda_minmax_and_blend() -> None:
    image = as_dtype(smooth((30, 30, 3), 13, 0.1, 0.5), "uint16")
    reference = as_dtype(smooth((20, 20, 3), 14, 0.3, 0.9), "uint16")
    out = FD.pixel_distribution_adaptation(image, reference, 1.0, "minmax")
    np.testing.assert_array_equal(out.min(axis=(0, 1)), reference.min(axis=(0, 1)))
    np.testing.assert_array_equal(out.max(axis=(0, 1)), reference.max(axis=(0, 1)))
    for kind in FD.PDA_TYPES:
        np.testing.assert_array_equal(FD.pixel_distribution_adaptation(image, reference, 0.0, kind), image)
    half = FD.pixel_distribution_adaptation(image, reference, 0.5, "minmax").astype(np.float64)
    assert np.abs(half - (image.astype(np.float64) + out) / 2).max() <= 1.0


def pca_reference(image: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """sklearn-style PCA fit/transform/inverse_transform with SVD, float64."""

    def fit(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mean = pixels.mean(axis=0)
        _, _, vt = np.linalg.svd(pixels - mean, full_matrices=False)
        for row in vt:  # sign: the largest entry of each component is positive
            row *= np.sign(row[np.argmax(np.abs(row))])
        return mean, vt

    channels = image.shape[2]
    src = image.reshape(-1, channels).astype(np.float64)
    src_mean, src_vt = fit(src)
    ref_mean, ref_vt = fit(reference.reshape(-1, channels).astype(np.float64))
    return (((src - src_mean) @ src_vt.T) @ ref_vt + ref_mean).reshape(image.shape)


def test_pda_pca_matches_an_svd_reference() -> None:
    image = smooth((40, 40, 3), 15, 0.35, 0.6)
    image[:, :, 1] = 0.5 * image[:, :, 0] + 0.5 * image[:, :, 1]  # correlated channels
    reference = smooth((30, 50, 3), 16, 0.3, 0.7)
    reference[:, :, 2] = 0.7 * reference[:, :, 0] + 0.3 * reference[:, :, 2]
    expected = pca_reference(image, reference)
    assert expected.min() > 0 and expected.max() < 1
    out = FD.pixel_distribution_adaptation(image.astype(np.float32), reference.astype(np.float32), 1.0, "pca")
    np.testing.assert_allclose(out, expected, atol=1e-5)
    out8 = FD.pixel_distribution_adaptation(as_dtype(image, "uint8"), as_dtype(reference, "uint8"), 1.0, "pca")
    expected8 = pca_reference(as_dtype(image, "uint8"), as_dtype(reference, "uint8"))
    assert np.abs(out8 - np.clip(expected8, 0, 255)).max() <= 0.5 + 1e-4


# --------------------------------------------------------------------------- random convolution
def randconv_reference(image: np.ndarray, size: int, seed: int, alpha: float, rescale: str) -> np.ndarray:
    """float64: correlate every (out, in) channel pair with scipy (mirror = reflect-101), rescale, mix."""
    src = image.astype(np.float64).reshape(image.shape[0], image.shape[1], -1)
    channels = src.shape[2]
    weights = np.random.default_rng(seed).normal(0.0, 1.0 / np.sqrt(size * size * channels), (channels, channels, size, size))
    weights = weights.astype(np.float32).astype(np.float64)
    conv = np.zeros_like(src)
    for o in range(channels):
        for i in range(channels):
            conv[:, :, o] += ndimage.correlate(src[:, :, i], weights[o, i], mode="mirror")
    top = TOP[image.dtype.name]
    conv = (conv - conv.min()) / (conv.max() - conv.min()) * top if rescale == "minmax" else np.clip(conv, 0, top)
    return (alpha * src + (1 - alpha) * conv).reshape(image.shape)


@pytest.mark.parametrize(
    ("dtype", "layout", "size", "alpha", "rescale"),
    [
        ("uint8", (3,), 1, 0.0, "minmax"),
        ("uint8", (3,), 3, 0.3, "minmax"),
        ("uint8", (), 5, 0.0, "clip"),
        ("uint16", (7,), 3, 0.6, "minmax"),
        ("float32", (4,), 7, 0.0, "minmax"),
        ("float32", (130,), 3, 0.25, "clip"),
    ],
)
def test_random_convolution_matches_scipy(dtype: str, layout: tuple[int, ...], size: int, alpha: float, rescale: str) -> None:
    image = as_dtype(smooth((18, 23, *layout), 17), dtype)
    out = FD.random_convolution(image, size, seed=42, alpha=alpha, rescale=rescale)
    assert out.dtype == image.dtype and out.shape == image.shape and out.flags.c_contiguous
    expected = randconv_reference(image, size, 42, alpha, rescale)
    if dtype == "float32":
        np.testing.assert_allclose(out, np.clip(expected, 0, 1), atol=2e-5)
    else:
        assert np.abs(out - np.clip(expected, 0, TOP[dtype])).max() <= 0.51 + 1e-3 * (dtype == "uint16")


def test_random_convolution_size_one_is_a_per_pixel_linear_map() -> None:
    image = as_dtype(smooth((30, 30, 3), 18), "uint8")
    image[:5, :5] = image[20, 20]  # equal pixels must stay equal
    out = FD.random_convolution(image, 1, seed=3)
    assert (out[:5, :5] == out[20, 20]).all()
    matrix = FD.random_convolution_weights(1, 3, 3)[:, :, 0, 0].astype(np.float64)
    linear = image.reshape(-1, 3).astype(np.float64) @ matrix.T
    expected = (linear - linear.min()) / (linear.max() - linear.min()) * 255
    assert np.abs(out.reshape(-1, 3) - expected).max() <= 0.51
    assert out.min() == 0 and out.max() == 255


def test_random_convolution_seeds_and_weights() -> None:
    image = as_dtype(smooth((20, 20, 3), 19), "uint8")
    t = ak.image.domain.RandomConvolution(p=1.0)
    first = t(image=image, rng=5, record=True)
    np.testing.assert_array_equal(t(image=image, rng=5)["image"], first["image"])
    np.testing.assert_array_equal(t.replay(first["applied"], image=image)["image"], first["image"])
    params = [t(image=image, rng=s, record=True)["applied"][0]["params"] for s in range(40)]
    assert {p["kernel_size"] for p in params} == {1, 3, 5, 7}
    assert len({p["seed"] for p in params}) == 40 and all(0.0 <= p["alpha"] <= 1.0 for p in params)
    weights = FD.random_convolution_weights(7, 20, seed=0)
    assert weights.shape == (20, 20, 7, 7) and weights.dtype == np.float32
    assert abs(weights.std() * np.sqrt(7 * 7 * 20) - 1.0) < 0.03 and abs(weights.mean()) < 0.01
    assert not np.array_equal(FD.random_convolution_weights(3, 3, 1), FD.random_convolution_weights(3, 3, 2))


# --------------------------------------------------------------------------- references and configs
def test_references_adapt_dtype_and_channels() -> None:
    rgb = as_dtype(smooth((10, 12, 3), 20), "uint8")
    np.testing.assert_array_equal(FD.adapt_reference(rgb, np.zeros((4, 4, 3), np.uint16)), rgb.astype(np.uint16) * 257)
    np.testing.assert_allclose(FD.adapt_reference(rgb, np.zeros((4, 4, 3), np.float32)), rgb / 255.0, atol=1e-7)
    np.testing.assert_array_equal(FD.adapt_reference(rgb.astype(np.uint16) * 257, rgb), rgb)
    gray = FD.adapt_reference(rgb, np.zeros((4, 4), np.uint8))
    np.testing.assert_array_equal(gray, cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    replicated = FD.adapt_reference(gray, np.zeros((4, 4, 7), np.uint8))
    assert replicated.shape == (10, 12, 7) and (replicated == gray[:, :, None]).all()
    rgba = np.dstack([rgb, np.full((10, 12), 9, np.uint8)])
    np.testing.assert_array_equal(FD.adapt_reference(rgba, rgb), rgb)
    with pytest.raises(ValueError, match="has 7 channels and the image has 3"):
        FD.adapt_reference(np.zeros((5, 5, 7), np.uint8), rgb)


def test_path_references_round_trip_and_record_their_index(tmp_path: Path) -> None:
    image = np.ascontiguousarray(load_samples()[0].image[::4, ::4])
    for cls in (ak.image.domain.FDA, ak.image.domain.HistogramMatching, ak.image.domain.PixelDistributionAdaptation):
        t = cls([CHELSEA, Path(COFFEE)], p=1.0)
        config = t.to_dict()
        assert config["reference_images"] == [CHELSEA, COFFEE]
        rebuilt = ak.from_dict(json.loads(json.dumps(config)))
        np.testing.assert_array_equal(rebuilt(image=image, rng=1)["image"], t(image=image, rng=1)["image"])
        assert ak.load(ak.save(ak.Compose([t]), tmp_path / "pipe.yaml")).to_dict()["transforms"][0] == config
        picked = {t(image=image, rng=s, record=True)["applied"][0]["params"]["reference"] for s in range(16)}
        assert picked == {0, 1}
        frames = np.stack([image, image[::-1]])
        out = t(images=frames, rng=3, record=True)
        np.testing.assert_array_equal(out["images"][1], t.replay(out["applied"], image=frames[1])["image"])


def test_array_references_work_but_cannot_be_saved() -> None:
    image = as_dtype(smooth((20, 20, 3), 21), "uint8")
    reference = as_dtype(smooth((15, 25, 3), 22), "uint8")
    t = ak.image.domain.HistogramMatching([reference], blend_ratio=1.0, p=1.0)
    np.testing.assert_array_equal(t(image=image, rng=0)["image"], FD.histogram_matching(image, reference, 1.0))
    reference[:] = 0  # the transform kept its own copy
    assert t(image=image, rng=0)["image"].max() > 0
    assert "array (15, 25, 3) uint8" in repr(t)
    clone = pickle.loads(pickle.dumps(t))
    np.testing.assert_array_equal(clone(image=image, rng=0)["image"], t(image=image, rng=0)["image"])
    with pytest.raises(ak.ConfigError, match=r"^HistogramMatching: argument 'reference_images' holds numpy arrays.*paths"):
        t.to_dict()
    with pytest.raises(ak.ConfigError, match="reference_images"):
        ak.Compose([t]).to_dict()


def test_reference_files_of_every_kind(tmp_path: Path) -> None:
    rgb = as_dtype(smooth((16, 16, 3), 23), "uint8")
    deep = as_dtype(smooth((16, 16), 24), "uint16")
    cv2.imwrite(str(tmp_path / "rgb.png"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    cv2.imwrite(str(tmp_path / "deep.png"), deep)
    image16 = as_dtype(smooth((16, 16, 3), 25), "uint16")
    t = ak.image.domain.HistogramMatching([str(tmp_path / "deep.png")], blend_ratio=1.0, p=1.0)
    out = t(image=image16, rng=0)["image"]  # a 16-bit grey file, replicated to 3 channels
    np.testing.assert_array_equal(out, FD.histogram_matching(image16, np.dstack([deep] * 3), 1.0))
    t = ak.image.domain.HistogramMatching([str(tmp_path / "rgb.png")], blend_ratio=1.0, p=1.0)
    np.testing.assert_array_equal(t(image=rgb[::-1], rng=0)["image"], rgb[::-1])  # RGB order kept
    # the cache notices a rewritten file
    cv2.imwrite(str(tmp_path / "rgb.png"), np.zeros((16, 16, 3), np.uint8))
    os.utime(tmp_path / "rgb.png", ns=(1_000_000_000, 1_000_000_000))
    assert t(image=rgb, rng=0)["image"].max() == 0


def test_reference_errors_name_the_transform_and_the_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.png")
    with pytest.raises(ak.ArgumentError, match=rf"^FDA: argument 'reference_images' item 1: no file at '{missing}'"):
        ak.image.domain.FDA([CHELSEA, missing])
    broken = tmp_path / "broken.png"
    broken.write_text("not an image")
    t = ak.image.domain.PixelDistributionAdaptation([str(broken)], p=1.0)
    image = as_dtype(smooth((10, 10, 3), 26), "uint8")
    with pytest.raises(ak.ArgumentError, match=r"^PixelDistributionAdaptation: reference image '.*broken.png' is not an image"):
        t(image=image, rng=0)
    target = tmp_path / "later.png"
    cv2.imwrite(str(target), image)
    t = ak.image.domain.FDA([str(target)], p=1.0)
    target.unlink()
    with pytest.raises(ak.ArgumentError, match=r"^FDA: reference image '.*later.png' cannot be opened"):
        t(image=image, rng=0)
    wide = ak.image.domain.HistogramMatching([np.zeros((5, 5, 7), np.uint8)], p=1.0)
    with pytest.raises(
        ak.TargetError, match=r"^HistogramMatching: reference image 0 \(array\) has 7 channels and the image has 3"
    ):
        wide(image=image, rng=0)
    with pytest.raises(ak.TargetTypeError, match=r"^FDA: target 'image' expects 1 or 3 or 4 channel"):
        ak.image.domain.FDA([CHELSEA], p=1.0)(image=np.zeros((8, 8, 7), np.uint8), rng=0)


@pytest.mark.parametrize(
    ("build", "argument"),
    [
        (lambda: D.FDA([]), "reference_images"),
        (lambda: D.FDA(5), "reference_images"),
        (lambda: D.FDA([5]), "reference_images"),
        (lambda: D.FDA([np.zeros((4, 4), np.int32)]), "reference_images"),
        (lambda: D.FDA([np.zeros((2, 4, 4, 3), np.uint8)]), "reference_images"),
        (lambda: D.FDA([CHELSEA], beta_limit=(0.0, 0.7)), "beta_limit"),
        (lambda: D.FDA([CHELSEA], beta_limit=-0.1), "beta_limit"),
        (lambda: D.HistogramMatching([CHELSEA], blend_ratio=(0.5, 1.5)), "blend_ratio"),
        (lambda: D.PixelDistributionAdaptation([CHELSEA], transform_type="ica"), "transform_type"),
        (lambda: D.PixelDistributionAdaptation([CHELSEA], blend_ratio=(0.8, 0.2)), "blend_ratio"),
        (lambda: D.RandomConvolution(kernel_size=4), "kernel_size"),
        (lambda: D.RandomConvolution(kernel_size=(1, 0)), "kernel_size"),
        (lambda: D.RandomConvolution(kernel_size=()), "kernel_size"),
        (lambda: D.RandomConvolution(kernel_size="3"), "kernel_size"),
        (lambda: D.RandomConvolution(mix_alpha=(0.0, 2.0)), "mix_alpha"),
        (lambda: D.RandomConvolution(rescale="tanh"), "rescale"),
    ],
)
def test_bad_arguments(build: object, argument: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^\w+: argument '{argument}'"):
        build()  # type: ignore[operator]


def test_kernels_reject_bad_values() -> None:
    image = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match="beta"):
        FD.fourier_domain_adaptation(image, image, 1.5)
    with pytest.raises(ValueError, match="blend"):
        FD.histogram_matching(image, image, -0.1)
    with pytest.raises(ValueError, match="transform_type"):
        FD.pixel_distribution_adaptation(image, image, 1.0, "ica")
    with pytest.raises(ValueError, match="kernel_size"):
        FD.random_convolution(image, 2, seed=0)
    with pytest.raises(ValueError, match="rescale"):
        FD.random_convolution(image, 3, seed=0, rescale="none")
