"""Magnitude transforms of augkit.timeseries, checked against independent formulas (written here in
float64) and statistics over many draws."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

import augkit as ak
from augkit.timeseries import functional as F
from augkit.timeseries.magnitude import AddNoise, Drift, Jitter, MagnitudeWarp, Quantize, Rotation, Scaling

RNG = np.random.default_rng(2)
X = RNG.normal(size=(8, 120, 3))


def same_rows(count: int = 6, length: int = 80, channels: int = 3) -> np.ndarray:
    return np.repeat(RNG.normal(size=(1, length, channels)), count, axis=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "transform",
    [
        Jitter(p=1.0),
        Scaling(p=1.0),
        MagnitudeWarp(p=1.0),
        Rotation(p=1.0),
        Drift(p=1.0),
        AddNoise(p=1.0),
        Quantize(n_levels=(3, 9), p=1.0),
    ],
    ids=lambda t: type(t).__name__,
)
def test_dtype_shape_labels_and_one_draw_per_series(transform: ak.BaseTransform, dtype: type) -> None:
    x = same_rows().astype(dtype)
    labels = np.tile(np.arange(80), (6, 1))
    out = transform(series=x, step_labels=labels, rng=7, record=True)
    assert out["series"].dtype == dtype and out["series"].shape == x.shape and out["series"].flags.c_contiguous
    np.testing.assert_array_equal(out["step_labels"], labels)  # magnitude transforms never move steps
    distinct = len({row.tobytes() for row in out["series"]})
    assert distinct >= (3 if isinstance(transform, Quantize) else 6), "every series draws its own parameters"
    again = transform.replay(out["applied"], series=x, step_labels=labels)
    np.testing.assert_array_equal(again["series"], out["series"])


def test_jitter_noise_statistics() -> None:
    x = np.zeros((50, 400, 2), np.float32)
    noise = Jitter(sigma=0.2, p=1.0)(series=x, rng=0)["series"]
    assert abs(noise.std() - 0.2) < 0.005 and abs(noise.mean()) < 0.005
    ranged = Jitter(sigma=(0.0, 1.0), p=1.0)(series=x, rng=0, record=True)
    sigmas = np.array(ranged["applied"][0]["params"]["sigma"])
    np.testing.assert_allclose(ranged["series"].std(axis=(1, 2)), sigmas, rtol=0.08, atol=0.01)


def test_scaling_is_one_factor_per_series_and_channel() -> None:
    out = Scaling(sigma=0.1, p=1.0)(series=X + 5.0, rng=1, record=True)
    factors = np.array(out["applied"][0]["params"]["factors"])
    np.testing.assert_allclose(out["series"], (X + 5.0) * factors[:, None, :])
    many = Scaling(sigma=0.1, p=1.0)(series=np.ones((2000, 2, 2)), rng=2)["series"][:, 0]
    assert abs(many.mean() - 1.0) < 0.01 and abs(many.std() - 0.1) < 0.01


def test_spline_basis_interpolates_the_knots() -> None:
    basis = F.spline_basis(61, 6)  # knots at 0, 12, ..., 60: exactly on steps
    np.testing.assert_allclose(basis[::12], np.eye(6), atol=1e-12)
    values = RNG.normal(size=(4, 6))
    np.testing.assert_allclose(values @ basis.T, CubicSpline(np.linspace(0, 60, 6), values, axis=1)(np.arange(61)), atol=1e-12)
    np.testing.assert_allclose(F.spline_basis(10, 2), np.stack([1 - np.arange(10) / 9, np.arange(10) / 9], axis=1), atol=1e-12)


def test_magnitude_warp_multiplies_by_a_smooth_curve_through_the_knots() -> None:
    x = np.ones((3, 61, 2))
    values = RNG.normal(1.0, 0.2, size=(3, 6, 2))
    curve = F.magnitude_warp(x, values)
    np.testing.assert_allclose(curve[:, ::12], values, atol=1e-12)
    out = MagnitudeWarp(sigma=0.2, knots=4, p=1.0)(series=X + 3.0, rng=4)["series"]
    ratio = out / (X + 3.0)
    assert np.abs(np.diff(ratio, 2, axis=1)).max() < 0.01, "the warp curve is smooth"
    assert abs(ratio.mean() - 1.0) < 0.1 and 0.1 < ratio.std() < 0.3


def test_rotation_is_orthogonal_and_proper() -> None:
    out = Rotation(p=1.0)(series=X, rng=3)["series"]
    np.testing.assert_allclose(np.linalg.norm(out, axis=2), np.linalg.norm(X, axis=2), rtol=1e-10)
    for n in range(8):
        matrix, *_ = np.linalg.lstsq(X[n], out[n], rcond=None)  # out = X @ M^T
        assert abs(np.linalg.det(matrix) - 1.0) < 1e-8
    flips = Rotation(p=1.0)(series=np.ones((200, 5, 1)), rng=0)["series"][:, 0, 0]
    assert set(flips.tolist()) == {-1.0, 1.0} and 60 < (flips < 0).sum() < 140


def test_rotation_flip_permute_is_a_signed_channel_shuffle() -> None:
    out = Rotation(method="flip_permute", p=1.0)(series=X, rng=5)["series"]
    for n in range(8):
        for c in range(3):
            matches = [k for k in range(3) if np.allclose(np.abs(out[n, :, c]), np.abs(X[n, :, k]))]
            assert len(matches) == 1
            assert np.allclose(out[n, :, c], X[n, :, matches[0]]) or np.allclose(out[n, :, c], -X[n, :, matches[0]])


def test_drift_semantics_follow_tsaug() -> None:
    out = Drift(max_drift=0.5, n_drift_points=3, p=1.0)(series=X, rng=6)["series"]
    drift = out - X
    span = X.max(axis=1) - X.min(axis=1)
    np.testing.assert_allclose(drift[:, 0], 0.0, atol=1e-12)  # the drift starts at 0
    np.testing.assert_allclose(np.abs(drift).max(axis=1), 0.5 * span, rtol=1e-10)  # peak = max_drift x range
    shared = Drift(max_drift=0.3, per_channel=False, normalize=False, p=1.0)(series=X, rng=6)["series"] - X
    np.testing.assert_allclose(shared[:, :, 0], shared[:, :, 2], atol=1e-12)
    np.testing.assert_allclose(np.abs(shared).max(axis=1), 0.3, rtol=1e-10)
    positive = np.abs(X) + 1.0
    ratio = Drift(max_drift=0.2, kind="multiplicative", p=1.0)(series=positive, rng=6)["series"] / positive - 1.0
    np.testing.assert_allclose(np.abs(ratio).max(axis=1), 0.2, rtol=1e-10)


def test_drift_curves_are_splines_of_the_walk() -> None:
    walk = np.cumsum(RNG.normal(size=(3, 5)), axis=1)
    reference = CubicSpline(np.linspace(0, 50, 5), walk, axis=1)(np.arange(50))
    reference -= reference[:, :1]
    reference /= np.abs(reference).max(axis=1, keepdims=True)
    np.testing.assert_allclose(F.drift_curves(50, walk), reference, atol=1e-12)


def test_add_noise_distributions_and_scales() -> None:
    x = np.zeros((40, 500, 2))
    x[:, 0] = 1.0  # each channel's range is 1, so normalized noise keeps its scale
    for distribution, check in (
        ("gaussian", lambda e: abs(e.std() - 0.1) < 0.003),
        ("laplace", lambda e: abs(np.abs(e).mean() - 0.1) < 0.003),  # E|X| of Laplace(0, b) is b
        ("uniform", lambda e: np.abs(e).max() <= 0.1 * 3**0.5 + 1e-12 and abs(e.std() - 0.1) < 0.003),
    ):
        noise = AddNoise(scale=0.1, distribution=distribution, p=1.0)(series=x, rng=1)["series"][:, 1:] - x[:, 1:]
        assert check(noise), distribution
    weighted = AddNoise(scale=0.1, channel_scales=(1.0, 0.25), normalize=False, p=1.0)(series=x, rng=2)["series"] - x
    assert abs(weighted[..., 1].std() / weighted[..., 0].std() - 0.25) < 0.02
    shared = AddNoise(scale=0.1, per_channel=False, normalize=False, p=1.0)(series=x, rng=3)["series"] - x
    np.testing.assert_array_equal(shared[..., 0], shared[..., 1])
    positive = np.full((20, 300, 1), 2.0)
    relative = AddNoise(scale=0.05, kind="multiplicative", p=1.0)(series=positive, rng=4)["series"] / positive - 1.0
    assert abs(relative.std() - 0.05) < 0.003
    shifted = AddNoise(loc=1.0, scale=0.0, normalize=False, p=1.0)(series=x, rng=5)["series"]
    np.testing.assert_allclose(shifted, x + 1.0)
    with pytest.raises(ak.TargetError, match=r"^AddNoise: argument 'channel_scales' has 3 values but target 'series' has 2"):
        AddNoise(channel_scales=(1, 1, 1), p=1.0)(series=x)


def quantize_reference(row: np.ndarray, levels: int) -> np.ndarray:
    low, high = row.min(), row.max()
    width = (high - low) / levels if high > low else 1.0 / levels
    index = np.minimum(((row - low) / width).astype(int), levels - 1)
    return low + (index + 0.5) * width


def test_quantize_uniform_rounds_to_bin_centres() -> None:
    out = F.quantize(X, 5, "uniform")
    for n in range(8):
        for c in range(3):
            np.testing.assert_allclose(out[n, :, c], quantize_reference(X[n, :, c], 5), atol=1e-12)
    assert len(np.unique(out[0, :, 0])) <= 5
    flat = F.quantize(np.ones((1, 5, 1)), 4, "uniform")
    assert np.unique(flat).size == 1


def test_quantize_quantile_bins_hold_equal_counts() -> None:
    x = RNG.normal(size=(4, 1000, 2))
    out = F.quantize(x, 10, "quantile")
    for n in range(4):
        values, counts = np.unique(out[n, :, 0], return_counts=True)
        assert len(values) == 10 and counts.min() >= 95 and counts.max() <= 105
        order = np.argsort(x[n, :, 0])
        assert np.all(np.diff(out[n, order, 0]) >= 0), "quantization is monotone"


def test_quantize_kmeans_is_a_lloyd_fixed_point() -> None:
    x = np.concatenate([RNG.normal(0, 0.1, (3, 100, 1)), RNG.normal(5, 0.1, (3, 100, 1)), RNG.normal(9, 0.1, (3, 50, 1))], axis=1)
    out = F.quantize(x, 3, "kmeans")
    for n in range(3):
        centers = np.unique(out[n, :, 0])
        assert len(centers) == 3
        nearest = centers[np.argmin(np.abs(x[n, :, 0, None] - centers[None]), axis=1)]
        np.testing.assert_array_equal(out[n, :, 0], nearest)
        for value in centers:
            np.testing.assert_allclose(x[n, out[n, :, 0] == value, 0].mean(), value, rtol=1e-12)


def test_bad_arguments_name_class_and_argument() -> None:
    with pytest.raises(ak.ArgumentError, match=r"^Jitter: argument 'sigma'"):
        Jitter(sigma=-1.0)
    with pytest.raises(ak.ArgumentError, match=r"^Rotation: argument 'method'"):
        Rotation(method="spin")
    with pytest.raises(ak.ArgumentError, match=r"^Drift: argument 'kind'"):
        Drift(kind="sideways")
    with pytest.raises(ak.ArgumentError, match=r"^AddNoise: argument 'distribution'"):
        AddNoise(distribution="cauchy")
    with pytest.raises(ak.ArgumentError, match=r"^AddNoise: argument 'channel_scales' expects numbers >= 0"):
        AddNoise(channel_scales=(1.0, -1.0))
    with pytest.raises(ak.ArgumentError, match=r"^Quantize: argument 'n_levels'"):
        Quantize(n_levels=0)
    with pytest.raises(ak.ArgumentError, match=r"^MagnitudeWarp: argument 'knots'"):
        MagnitudeWarp(knots=-1)
