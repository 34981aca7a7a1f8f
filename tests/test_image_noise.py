"""Noise transforms (GaussianNoise, ISONoise, SaltAndPepper, MultiplicativeNoise, ShotNoise):
statistics against analytic values and scipy's distributions, colorsys for hue, saturation, seeds."""

from __future__ import annotations

import colorsys
import math

import numpy as np
import pytest
from scipy import stats

import augkit as ak
from augkit.image import noise as T
from augkit.image.functional import noise as N

TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}
LAYOUTS = ((), (1,), (3,), (7,))


def flat(value: float, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    """A constant image of ``value`` (a fraction of full intensity)."""
    level = value * TOP[dtype]
    return np.full(shape, level if dtype == "float32" else round(level), dtype=dtype)


def ramp(dtype: str, layout: tuple[int, ...], height: int = 24, width: int = 32) -> np.ndarray:
    channels = layout[0] if layout else 1
    unit = (np.arange(height * width * channels).reshape(height, width, channels) % 97) / 96.0
    image = unit if dtype == "float32" else np.rint(unit * TOP[dtype])
    image = image.astype(dtype)
    return image if layout else image[:, :, 0]


# ----------------------------------------------------------------------------------- normal table
def test_normal_table_is_a_unit_normal_with_documented_tails() -> None:
    table = N.normal_table()
    assert table.shape == (65536,) and not table.flags.writeable
    np.testing.assert_array_equal(table, -table[::-1])  # exactly symmetric: mean 0
    assert abs(float(table.std()) - 1.0) < 1e-12
    assert 4.3 < float(table.max()) < 4.35
    for z in (1.0, 2.0, 3.0, 4.0):  # tail masses agree with the normal distribution
        expected = math.erfc(z / math.sqrt(2.0))
        assert abs(float(np.mean(np.abs(table) > z)) - expected) < 4e-5, z
    assert abs(float(np.mean(table**4)) - 3.0) < 2e-3  # kurtosis of a normal


# ----------------------------------------------------------------------------------- GaussianNoise
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_gaussian_noise_mean_and_std_on_a_large_flat_image(dtype: str) -> None:
    image = flat(0.5, dtype, (256, 256, 3))
    out = N.gaussian_noise(image, std=0.06, mean=0.03, seed=7)
    noise = (out.astype(np.float64) - image) / TOP[dtype]
    assert abs(noise.mean() - 0.03) < 1e-3
    rounding = 1.0 / 12.0 / 255.0**2 if dtype == "uint8" else 0.0  # uint8 noise is rounded to integers
    assert abs(noise.std() - math.sqrt(0.06**2 + rounding)) < 1e-3
    assert abs(float(np.mean(np.abs(noise - 0.03) > 2 * 0.06)) - math.erfc(2 / math.sqrt(2))) < 3e-3
    assert abs(stats.kurtosis(noise.ravel())) < 0.05


def test_gaussian_noise_scales_linearly_with_std_and_matches_across_dtypes() -> None:
    base = flat(0.5, "float32", (40, 50, 3))
    small = N.gaussian_noise(base, 0.05, 0.0, seed=3) - base
    large = N.gaussian_noise(base, 0.1, 0.0, seed=3) - base
    np.testing.assert_allclose(large, 2 * small, atol=1e-6)  # one underlying draw, scaled
    image16 = flat(0.5, "uint16", (40, 50, 3))
    noise16 = (N.gaussian_noise(image16, 0.05, 0.0, seed=3).astype(np.float64) - image16) / 65535.0
    np.testing.assert_allclose(noise16, small, atol=1.0 / 65535.0)


@pytest.mark.parametrize("channels", [3, 7])
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_gaussian_noise_per_channel_false_shares_one_plane(dtype: str, channels: int) -> None:
    image = flat(0.5, dtype, (64, 64, channels))
    shared = N.gaussian_noise(image, 0.05, 0.0, seed=1, per_channel=False)
    for c in range(1, channels):
        np.testing.assert_array_equal(shared[:, :, c], shared[:, :, 0])
    independent = N.gaussian_noise(image, 0.05, 0.0, seed=1, per_channel=True).astype(np.float64) - image
    correlation = np.corrcoef(independent[:, :, 0].ravel(), independent[:, :, 1].ravel())[0, 1]
    assert abs(correlation) < 0.05


def test_gaussian_noise_scale_factor_gives_correlated_noise_of_the_same_strength() -> None:
    image = flat(0.5, "float32", (240, 320, 3))
    fine = N.gaussian_noise(image, 0.05, 0.0, seed=2) - image
    coarse = N.gaussian_noise(image, 0.05, 0.0, seed=2, noise_scale_factor=0.25) - image

    def neighbour_correlation(noise: np.ndarray) -> float:
        return float(np.corrcoef(noise[:, :-1].ravel(), noise[:, 1:].ravel())[0, 1])

    assert abs(neighbour_correlation(fine)) < 0.02
    assert neighbour_correlation(coarse) > 0.6
    assert 0.025 < float(coarse.std()) <= 0.05  # bilinear upsampling smooths the drawn values a little
    tiny = N.gaussian_noise(image[:3, :3], 0.05, 0.0, seed=2, noise_scale_factor=0.01)  # one noise value
    assert np.unique(tiny[:, :, 0]).size == 1


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_gaussian_noise_saturates_at_the_dtype_limits(dtype: str) -> None:
    image = np.zeros((64, 64, 3), dtype)
    image[32:] = TOP[dtype] if dtype != "float32" else 1.0
    out = N.gaussian_noise(image, std=0.5, mean=0.0, seed=0)
    assert out.dtype == image.dtype and out.min() == 0 and out.max() == TOP[dtype]
    assert 0.4 < float(np.mean(out[:32] == 0)) < 0.6  # half of the noise is negative and clips to 0
    assert 0.4 < float(np.mean(out[32:] == TOP[dtype])) < 0.6
    assert np.all(N.gaussian_noise(image, std=0.0, mean=1.0, seed=0) == TOP[dtype])


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_gaussian_noise_is_seeded_and_keeps_shape(dtype: str, layout: tuple[int, ...]) -> None:
    image = ramp(dtype, layout)
    before = image.copy()
    for per_channel in (True, False):
        for factor in (1.0, 0.5):
            a = N.gaussian_noise(image, 0.1, 0.0, seed=11, per_channel=per_channel, noise_scale_factor=factor)
            b = N.gaussian_noise(image, 0.1, 0.0, seed=11, per_channel=per_channel, noise_scale_factor=factor)
            c = N.gaussian_noise(image, 0.1, 0.0, seed=12, per_channel=per_channel, noise_scale_factor=factor)
            assert a.shape == image.shape and a.dtype == image.dtype and a.flags.c_contiguous
            np.testing.assert_array_equal(a, b)
            assert not np.array_equal(a, c)
    np.testing.assert_array_equal(image, before)


def test_gaussian_noise_class_draws_params_in_range() -> None:
    t = T.GaussianNoise(std_range=(0.1, 0.2), mean_range=(-0.05, 0.05), p=1.0)
    image = flat(0.5, "uint8", (8, 8, 3))
    for seed in range(10):
        out = t(image=image, rng=seed, record=True)
        params = out["applied"][0]["params"]
        assert 0.1 <= params["std"] <= 0.2 and -0.05 <= params["mean"] <= 0.05 and isinstance(params["seed"], int)
        np.testing.assert_array_equal(out["image"], N.gaussian_noise(image, params["std"], params["mean"], params["seed"]))


# ----------------------------------------------------------------------------------- ISONoise
def to_hls(rgb: np.ndarray) -> np.ndarray:
    return np.array([colorsys.rgb_to_hls(*map(float, pixel)) for pixel in rgb.reshape(-1, 3)])


def test_iso_noise_without_strength_is_identity() -> None:
    image = ramp("uint8", (3,))
    out = N.iso_noise(image, color_shift=0.05, intensity=0.0, seed=0)
    assert np.abs(out.astype(int) - image).max() <= 1  # HLS round trip in float32


def test_iso_noise_hue_noise_matches_colorsys() -> None:
    rng = np.random.default_rng(0)
    hue = rng.random((48, 48))
    rgb = np.array([colorsys.hls_to_rgb(h, 0.5, 0.8) for h in hue.ravel()], np.float32).reshape(48, 48, 3)
    out = N.iso_noise(rgb, color_shift=0.05, intensity=0.5, seed=3)
    before, after = to_hls(rgb), to_hls(out)
    shift = (after[:, 0] - before[:, 0] + 0.5) % 1.0 - 0.5  # circular difference, in turns
    assert abs(shift.mean()) < 0.004
    assert abs(shift.std() * 360.0 - 0.05 * 360.0 * 0.5) < 0.6  # 9 degrees
    np.testing.assert_allclose(after[:, 2], before[:, 2], atol=2e-3)  # saturation untouched
    assert np.all(after[:, 1] >= before[:, 1] - 1e-4)  # Poisson noise only brightens


def test_iso_noise_lightness_noise_is_poisson_scaled_by_darkness() -> None:
    image = np.zeros((200, 200, 3), np.float32)  # grey: R = G = B = L
    image[:100] = 0.2
    image[100:] = 0.6  # std(L) = 0.2
    out = N.iso_noise(image, color_shift=0.0, intensity=0.5, seed=5)
    np.testing.assert_array_equal(out[:, :, 0], out[:, :, 2])  # grey stays grey
    lam = 0.2 * 255.0 * 0.5
    for rows, light in ((slice(0, 100), 0.2), (slice(100, 200), 0.6)):
        gain = (out[rows, :, 0].astype(np.float64) - light) / (1.0 - light) * 255.0  # = n ~ Poisson(lam)
        assert abs(gain.mean() - lam) < 0.1
        assert abs(gain.var() - lam) < 1.0
        assert np.allclose(gain, np.rint(gain), atol=2e-3)  # whole photon counts


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_iso_noise_dtypes_seeds_and_rgb_only(dtype: str) -> None:
    image = ramp(dtype, (3,))
    a = N.iso_noise(image, 0.03, 0.4, seed=1)
    assert a.dtype == image.dtype and a.shape == image.shape and a.flags.c_contiguous
    np.testing.assert_array_equal(a, N.iso_noise(image, 0.03, 0.4, seed=1))
    assert not np.array_equal(a, N.iso_noise(image, 0.03, 0.4, seed=2))
    with pytest.raises(ValueError, match="3 channels"):
        N.iso_noise(ramp(dtype, (4,)), 0.03, 0.4)
    with pytest.raises(ak.TargetTypeError, match="ISONoise: target 'image' expects 3 channel"):
        T.ISONoise(p=1.0)(image=ramp(dtype, ()), rng=0)


# ----------------------------------------------------------------------------------- SaltAndPepper
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_salt_and_pepper_fractions_and_whole_pixels(dtype: str) -> None:
    image = flat(0.5, dtype, (300, 300, 3))
    out = N.salt_and_pepper(image, amount=0.1, salt_ratio=0.3, seed=4)
    salt = np.all(out == TOP[dtype], axis=2)
    pepper = np.all(out == 0, axis=2)
    untouched = np.all(out == image, axis=2)
    assert np.all(salt | pepper | untouched)  # every channel of a pixel changes together
    pixels = 300 * 300
    assert abs(salt.mean() - 0.03) < 4 * math.sqrt(0.03 * 0.97 / pixels)
    assert abs(pepper.mean() - 0.07) < 4 * math.sqrt(0.07 * 0.93 / pixels)


def test_salt_and_pepper_extremes_and_seeds() -> None:
    image = ramp("uint8", (7,))
    np.testing.assert_array_equal(N.salt_and_pepper(image, 0.0, 0.5, seed=0), image)
    everything = N.salt_and_pepper(image, 1.0, 1.0, seed=0)
    assert np.all(everything == 255)
    assert np.all(N.salt_and_pepper(image, 1.0, 0.0, seed=0) == 0)
    a = N.salt_and_pepper(image, 0.2, 0.5, seed=9)
    np.testing.assert_array_equal(a, N.salt_and_pepper(image, 0.2, 0.5, seed=9))
    assert not np.array_equal(a, N.salt_and_pepper(image, 0.2, 0.5, seed=10))
    assert N.salt_and_pepper(ramp("float32", ()), 0.5, 0.5, seed=0).shape == (24, 32)


# ----------------------------------------------------------------------------------- MultiplicativeNoise
@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_multiply_matches_float64_reference(dtype: str, layout: tuple[int, ...]) -> None:
    image = ramp(dtype, layout)
    channels = layout[0] if layout else 1
    for factors in ([0.8731], [1.3137], [0.61 + 0.13 * c for c in range(channels)]):
        out = N.multiply(image, factors)
        exact = image.astype(np.float64) * (np.array(factors) if image.ndim == 3 else factors[0])
        assert out.dtype == image.dtype and out.shape == image.shape
        if dtype == "float32":
            np.testing.assert_allclose(out, np.clip(exact, 0, 1), atol=1e-6)
        else:
            assert np.abs(out - np.clip(np.rint(exact), 0, TOP[dtype])).max() <= (0 if dtype == "uint8" else 1)
    with pytest.raises(ValueError, match="multipliers"):
        N.multiply(image, [1.0] * (channels + 1))


@pytest.mark.parametrize("per_channel", [False, True])
def test_multiplicative_noise_elementwise_field(per_channel: bool) -> None:
    image = flat(0.5, "float32", (128, 128, 3))
    out = N.multiplicative_noise(image, 0.8, 1.2, seed=1, per_channel=per_channel)
    ratio = out / 0.5
    assert ratio.min() >= 0.8 - 1e-6 and ratio.max() < 1.2 + 1e-6
    assert abs(ratio.mean() - 1.0) < 0.003 and abs(ratio.std() - 0.4 / math.sqrt(12)) < 0.002
    same = np.array_equal(ratio[:, :, 0], ratio[:, :, 1])
    assert same is not per_channel


def test_multiplicative_noise_class_params_and_saturation() -> None:
    image = np.full((6, 6, 7), 250, np.uint8)
    out = T.MultiplicativeNoise(multiplier=(1.1, 1.2), per_channel=True, p=1.0)(image=image, rng=0, record=True)
    multipliers = out["applied"][0]["params"]["multipliers"]
    assert len(multipliers) == 7 and all(1.1 <= m <= 1.2 for m in multipliers)
    assert np.all(out["image"] == 255)
    shared = T.MultiplicativeNoise(multiplier=(0.5, 0.9), p=1.0)(image=image, rng=0, record=True)
    assert len(shared["applied"][0]["params"]["multipliers"]) == 1
    elementwise = T.MultiplicativeNoise(elementwise=True, p=1.0)(image=image, rng=0, record=True)
    assert set(elementwise["applied"][0]["params"]) == {"seed"}


# ----------------------------------------------------------------------------------- ShotNoise
def shot_reference_pmf(level: int, scale: float) -> dict[int, float]:
    """Probability of every uint8 output for input ``level``, from scipy's Poisson pmf."""
    lam = (level / 255.0) ** 2.2 / scale
    counts = np.arange(0, int(lam + 20 * math.sqrt(lam) + 40))
    outputs = np.rint(255.0 * np.minimum(counts * scale, 1.0) ** (1 / 2.2)).astype(int)
    pmf: dict[int, float] = {}
    for value, p in zip(outputs.tolist(), stats.poisson.pmf(counts, lam).tolist(), strict=True):
        pmf[value] = pmf.get(value, 0.0) + p
    return pmf


@pytest.mark.parametrize("scale", [0.3, 0.02])
def test_shot_noise_uint8_follows_the_exact_poisson_law(scale: float) -> None:
    levels = [0, 40, 128, 255]
    image = np.repeat(np.array(levels, np.uint8), 60_000).reshape(len(levels), 200, 300)  # one level per row block
    out = N.shot_noise(image.transpose(1, 2, 0).copy(), scale, seed=8).transpose(2, 0, 1)
    for index, level in enumerate(levels):
        values, counts = np.unique(out[index], return_counts=True)
        observed = dict(zip(values.tolist(), (counts / counts.sum()).tolist(), strict=True))
        expected = shot_reference_pmf(level, scale)
        for value in set(observed) | set(expected):
            p = expected.get(value, 0.0)
            tolerance = 5 * math.sqrt(p * (1 - p) / 60_000) + 1e-4
            assert abs(observed.get(value, 0.0) - p) <= tolerance, (level, value, observed.get(value), p)


def test_shot_noise_float_variance_is_mean_times_scale() -> None:
    image = flat(0.5, "float32", (256, 256))
    scale = 0.01
    linear = N.shot_noise(image, scale, seed=3).astype(np.float64) ** 2.2
    mean = 0.5**2.2
    assert abs(linear.mean() - mean) < 1e-3
    assert abs(linear.var() - mean * scale) < 0.03 * mean * scale
    counts = linear / scale  # whole photon counts
    assert np.allclose(counts, np.rint(counts), atol=1e-3)


def test_poisson_sampler_far_from_zero_and_tiny_scales() -> None:
    first, cdf = N._poisson_cdf(np.array([1000.0]))
    assert first[0] > 0 and cdf[0, -1] == 1.0
    values = (first[0] + np.arange(cdf.shape[1] + 1)).astype(np.float64)[None]
    draws = N._sample_levels(np.random.default_rng(0), None, 200_000, cdf, values, 16)
    assert abs(draws.mean() - 1000.0) < 0.5 and abs(draws.var() / 1000.0 - 1.0) < 0.02
    image = ramp("uint8", (3,))
    nearly = N.shot_noise(image, 1e-6, seed=0)  # a million photons per unit: table too large, numpy path
    assert np.abs(nearly.astype(int) - image).max() <= 1


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_shot_noise_saturates_and_is_seeded(dtype: str) -> None:
    image = ramp(dtype, (3,))
    out = N.shot_noise(image, 2.0, seed=1)  # huge photons: only 0 or full intensity
    assert out.dtype == image.dtype and set(np.unique(out).tolist()) <= {0, TOP[dtype]}
    a = N.shot_noise(image, 0.1, seed=4)
    np.testing.assert_array_equal(a, N.shot_noise(image, 0.1, seed=4))
    assert not np.array_equal(a, N.shot_noise(image, 0.1, seed=5))


# ----------------------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (T.GaussianNoise, {"std_range": (0.3, 0.1)}, "std_range"),
        (T.GaussianNoise, {"std_range": 1.5}, "std_range"),
        (T.GaussianNoise, {"mean_range": (-2, 0)}, "mean_range"),
        (T.GaussianNoise, {"per_channel": 1}, "per_channel"),
        (T.GaussianNoise, {"noise_scale_factor": 0}, "noise_scale_factor"),
        (T.GaussianNoise, {"noise_scale_factor": 1.5}, "noise_scale_factor"),
        (T.ISONoise, {"color_shift": (-0.1, 0.1)}, "color_shift"),
        (T.ISONoise, {"intensity": "high"}, "intensity"),
        (T.SaltAndPepper, {"amount": (0.1, 1.2)}, "amount"),
        (T.SaltAndPepper, {"salt_vs_pepper": -0.5}, "salt_vs_pepper"),
        (T.MultiplicativeNoise, {"multiplier": (-1, 1)}, "multiplier"),
        (T.MultiplicativeNoise, {"elementwise": "yes"}, "elementwise"),
        (T.ShotNoise, {"scale_range": 0}, "scale_range"),
        (T.ShotNoise, {"scale_range": (0.3, 0.1)}, "scale_range"),
    ],
)
def test_bad_arguments_name_class_and_argument(cls: type, kwargs: dict, name: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^{cls.__name__}: argument '{name}' expects"):
        cls(**kwargs)


def test_single_numbers_mean_exact_values() -> None:
    t = T.GaussianNoise(std_range=0.1, mean_range=0.02, p=1.0)
    assert t.std_range == (0.1, 0.1) and t.mean_range == (0.02, 0.02)
    params = t(image=flat(0.5, "uint8", (4, 4)), rng=0, record=True)["applied"][0]["params"]
    assert params["std"] == 0.1 and params["mean"] == 0.02
