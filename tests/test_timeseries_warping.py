"""Time warps of augkit.timeseries: the path-building kernels (monotone, end points kept, defining
properties at the knots) and the classes (length kept, labels follow their steps, per-series draws,
exact replay)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import PchipInterpolator

import augkit as ak
from augkit.timeseries import functional as F
from augkit.timeseries.warping import TimeWarp, WindowSlice, WindowWarp

RNG = np.random.default_rng(3)


def ramp(count: int = 6, length: int = 50, channels: int = 2, dtype: type = np.float64) -> np.ndarray:
    return np.broadcast_to(np.arange(length, dtype=dtype)[None, :, None], (count, length, channels)).copy()


def assert_monotone_path(path: np.ndarray, length: int, ends: bool = True) -> None:
    assert path.shape[1] == length
    assert np.all(np.diff(path, axis=1) >= -1e-12), "the path never goes back in time"
    assert path.min() >= 0.0 and path.max() <= length - 1
    if ends:
        np.testing.assert_array_equal(path[:, 0], 0.0)
        np.testing.assert_array_equal(path[:, -1], length - 1.0)


def test_speeds_from_uniform_reach_the_ratio() -> None:
    for ratio in (1.0, 1.5, 3.0, 10.0):
        speeds = F.speeds_from_uniform(RNG.random((100, 4)), ratio)
        assert np.all(speeds > 0)
        np.testing.assert_allclose(speeds.max(axis=1) / speeds.min(axis=1), ratio, rtol=1e-9)


def test_speed_warp_path_passes_through_the_cumulative_speeds() -> None:
    speeds = F.speeds_from_uniform(RNG.random((20, 4)), 3.0)
    length = 101  # anchors at 0, 25, 50, 75, 100: exactly on steps
    path = F.speed_warp_path(length, speeds)
    assert_monotone_path(path, length)
    knots = np.concatenate([np.zeros((20, 1)), np.cumsum(speeds, axis=1)], axis=1)
    knots *= 100 / knots[:, -1:]
    np.testing.assert_allclose(path[:, ::25], knots, atol=1e-9)
    reference = PchipInterpolator(np.linspace(0, 100, 5), knots, axis=1)(np.arange(101))
    np.testing.assert_allclose(path, reference, atol=1e-9)
    np.testing.assert_allclose(F.speed_warp_path(30, np.ones((2, 3))), np.tile(np.arange(30.0), (2, 1)), atol=1e-9)


def test_knot_warp_path_is_monotone_even_for_wild_knots() -> None:
    for sigma in (0.2, 1.0, 3.0):
        warps = RNG.normal(1.0, sigma, size=(50, 6))
        assert_monotone_path(F.knot_warp_path(80, warps), 80)
    np.testing.assert_allclose(F.knot_warp_path(40, np.ones((2, 6))), np.tile(np.arange(40.0), (2, 1)), atol=1e-9)


def test_invert_path_matches_np_interp() -> None:
    path = np.sort(RNG.uniform(0, 59, size=(5, 60)), axis=1)
    path[:, 0], path[:, -1] = 0.0, 59.0
    inverse = F.invert_path(path)
    for row in range(5):
        np.testing.assert_allclose(inverse[row], np.interp(np.arange(60.0), path[row], np.arange(60.0)), atol=1e-9)


def test_window_paths() -> None:
    sliced = F.window_slice_path(50, [0, 5, 10], 45)
    np.testing.assert_allclose(sliced[:, 0], [0, 5, 10])
    np.testing.assert_allclose(sliced[:, -1], [44, 49, 54])
    np.testing.assert_allclose(np.diff(sliced, axis=1), 44 / 49)
    for scale in (0.5, 2.0):
        path = F.window_warp_path(101, [20.0], 10.0, [scale])
        assert_monotone_path(path, 101)
        slopes = np.diff(path[0])
        inside = (path[0, :-1] > 22) & (path[0, 1:] < 28)
        outside = (path[0, 1:] < 18) | (path[0, :-1] > 32)
        np.testing.assert_allclose(slopes[inside] / slopes[outside].mean(), 1 / scale, rtol=1e-9)


@pytest.mark.parametrize(
    "transform",
    [
        TimeWarp(p=1.0),
        TimeWarp(method="knots", sigma=0.5, p=1.0),
        WindowSlice(p=1.0),
        WindowSlice(reduce_ratio=(0.5, 0.9), p=1.0),
        WindowWarp(p=1.0),
        WindowWarp(window_ratio=0.3, scales=(0.25, 4.0), p=1.0),
    ],
    ids=["tsaug", "knots", "slice", "slice-range", "warp", "warp-strong"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_warps_keep_length_move_labels_and_draw_per_series(transform: ak.BaseTransform, dtype: type) -> None:
    x = ramp(dtype=dtype)
    step_labels = np.tile(np.arange(50), (6, 1))
    out = transform(series=x, step_labels=step_labels, rng=11, record=True)
    series = out["series"]
    assert series.shape == x.shape and series.dtype == dtype and series.flags.c_contiguous
    # a ramp's value is the position it was read at: monotone, and labels are the nearest step to it
    assert np.all(np.diff(series[..., 0], axis=1) >= -1e-4)
    np.testing.assert_array_equal(out["step_labels"], np.floor(series[..., 0].astype(np.float64) + 0.5).astype(int))
    distinct = len({row.tobytes() for row in series})
    assert distinct >= (3 if isinstance(transform, WindowSlice) else 6), "one draw per series"  # a slice has 6 starts
    if not isinstance(transform, WindowSlice):
        np.testing.assert_array_equal(series[:, [0, -1]], x[:, [0, -1]])  # end points kept
    again = transform.replay(out["applied"], series=x, step_labels=step_labels)
    np.testing.assert_array_equal(again["series"], series)
    np.testing.assert_array_equal(again["step_labels"], out["step_labels"])


def test_time_warp_speed_ratio_shows_in_the_output() -> None:
    x = ramp(200, 201, 1)
    out = TimeWarp(n_speed_change=1, max_speed_ratio=4.0, p=1.0)(series=x, rng=0)["series"][..., 0]
    speeds = np.diff(out, axis=1)
    first, second = speeds[:, 10:90].mean(axis=1), speeds[:, 110:190].mean(axis=1)
    np.testing.assert_allclose(np.maximum(first, second) / np.minimum(first, second), 4.0, rtol=0.1)


def test_window_slice_reads_one_window() -> None:
    out = WindowSlice(reduce_ratio=0.8, p=1.0)(series=ramp(), rng=2, record=True)
    params = out["applied"][0]["params"]
    assert params["size"] == 40
    np.testing.assert_allclose(out["series"][:, 0, 0], params["start"])
    np.testing.assert_allclose(out["series"][:, -1, 0], np.array(params["start"]) + 39)


def test_window_warp_short_series_error() -> None:
    with pytest.raises(
        ak.TargetError, match=r"^WindowWarp: target 'series' has 4 steps; a window of 4 steps .* needs at least 5"
    ):
        WindowWarp(window_ratio=0.9, p=1.0)(series=np.zeros((2, 4, 1)))


def test_bad_arguments_name_class_and_argument() -> None:
    with pytest.raises(ak.ArgumentError, match=r"^TimeWarp: argument 'max_speed_ratio'"):
        TimeWarp(max_speed_ratio=0.5)
    with pytest.raises(ak.ArgumentError, match=r"^TimeWarp: argument 'method'"):
        TimeWarp(method="elastic")
    with pytest.raises(ak.ArgumentError, match=r"^WindowSlice: argument 'reduce_ratio'"):
        WindowSlice(reduce_ratio=1.5)
    with pytest.raises(ak.ArgumentError, match=r"^WindowWarp: argument 'scales'"):
        WindowWarp(scales=(0.5, -2.0))
