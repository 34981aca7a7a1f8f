"""Time transforms of augkit.timeseries: crop, resize, reverse, permutation, dropout, pool and convolve,
checked against plain references written here (loops, np.interp, np.convolve) and tsaug's documented
behaviour."""

from __future__ import annotations

import numpy as np
import pytest

import augkit as ak
from augkit.timeseries import functional as F
from augkit.timeseries.time import Convolve, Crop, Dropout, Permutation, Pool, Resize, Reverse

RNG = np.random.default_rng(1)
X = RNG.normal(size=(6, 40, 3))


def ramp(count: int = 5, length: int = 30, channels: int = 2, dtype: type = np.float64) -> np.ndarray:
    """Series whose every value is its own step index (each channel alike)."""
    return np.broadcast_to(np.arange(length, dtype=dtype)[None, :, None], (count, length, channels)).copy()


def steps(count: int = 5, length: int = 30) -> np.ndarray:
    return np.tile(np.arange(length), (count, 1))


def interp_reference(x: np.ndarray, positions: np.ndarray) -> np.ndarray:
    out = np.empty((x.shape[0], positions.shape[1], x.shape[2]))
    for n in range(x.shape[0]):
        for c in range(x.shape[2]):
            out[n, :, c] = np.interp(positions[n], np.arange(x.shape[1]), x[n, :, c])
    return out


# --------------------------------------------------------------------------- kernels


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_resample_at_matches_np_interp_and_keeps_dtype(dtype: type) -> None:
    x = X.astype(dtype)
    positions = np.sort(RNG.uniform(0, 39, size=(6, 25)), axis=1)
    out = F.resample_at(x, positions)
    assert out.dtype == dtype and out.shape == (6, 25, 3) and out.flags.c_contiguous
    np.testing.assert_allclose(out, interp_reference(x.astype(np.float64), positions), rtol=1e-5, atol=1e-5)
    shared = F.resample_at(x, positions[0])
    np.testing.assert_allclose(
        shared, interp_reference(x.astype(np.float64), np.tile(positions[0], (6, 1))), rtol=1e-5, atol=1e-5
    )


def test_resample_at_is_exact_at_integral_positions_and_clamps() -> None:
    index = RNG.integers(0, 40, size=(6, 17)).astype(np.float64)
    out = F.resample_at(X, index)
    np.testing.assert_array_equal(out, np.take_along_axis(X, index.astype(int)[..., None], axis=1))
    clamped = F.resample_at(X, np.array([-3.0, 39.0, 100.0]))
    np.testing.assert_array_equal(clamped, X[:, [0, 39, 39]])


def test_nearest_steps_rounds_halves_up_and_never_interpolates() -> None:
    labels = np.arange(10)[None, :, None] * 10
    out = F.nearest_steps(labels, np.array([[0.49, 0.5, 4.5, 8.51, 9.0]]))
    assert out[0, :, 0].tolist() == [0, 10, 50, 90, 90]
    assert out.dtype == labels.dtype


def test_take_steps_handles_object_labels() -> None:
    labels = np.array([["a", "b", "c"]], dtype=object)[..., None]
    assert F.take_steps(labels, np.array([[2, 0]]))[0, :, 0].tolist() == ["c", "a"]


@pytest.mark.parametrize("channels", [1, 3, 7])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_reverse_kernel(channels: int, dtype: type) -> None:
    x = RNG.normal(size=(4, 9, channels)).astype(dtype)
    out = F.reverse(x)
    np.testing.assert_array_equal(out, x[:, ::-1])
    assert out.dtype == dtype and out.flags.c_contiguous and not np.shares_memory(out, x)


def test_resize_matches_tsaug_semantics() -> None:
    # tsaug's Resize: linear interpolation at linspace(0, T-1, size), so both end points are kept
    out = F.resize(X, 17)
    np.testing.assert_allclose(out, interp_reference(X, np.tile(np.linspace(0, 39, 17), (6, 1))), atol=1e-12)
    np.testing.assert_array_equal(out[:, [0, -1]], X[:, [0, -1]])
    np.testing.assert_allclose(F.resize(X, 1)[:, 0], (X[:, 0] + X[:, -1]) / 2)
    np.testing.assert_array_equal(F.resize(X, 40), X)


def test_permutation_index_lays_segments_in_order() -> None:
    index = F.permutation_index(10, [[3, 7], []], [[2, 0, 1], [0]])
    assert index.tolist() == [[7, 8, 9, 0, 1, 2, 3, 4, 5, 6], list(range(10))]


def test_pool_matches_a_loop_reference() -> None:
    for kind, reduce in (("ave", np.mean), ("max", np.max), ("min", np.min)):
        for size in (1, 2, 3, 7, 40, 55):
            expected = X.copy()
            for start in range(0, 40, size):
                expected[:, start : start + size] = reduce(X[:, start : start + size], axis=1, keepdims=True)
            np.testing.assert_allclose(F.pool(X, size, kind), expected, atol=1e-12, err_msg=f"{kind} {size}")
    sizes = np.array([[1, 2, 3], [4, 5, 6], [2, 2, 2], [3, 1, 9], [7, 7, 1], [2, 3, 4]])
    out = F.pool(X, sizes, "max")
    for n in range(6):
        for c in range(3):
            np.testing.assert_allclose(out[n, :, c], F.pool(X[n : n + 1, :, c : c + 1], int(sizes[n, c]), "max")[0, :, 0])


def test_convolve_matches_reflect_padded_np_convolve() -> None:
    size = 7
    n = np.arange(size)
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * n / (size - 1))  # the symmetric Hann window
    hann /= hann.sum()
    out = F.convolve(X, "hann", size)
    for row in range(6):
        for c in range(3):
            padded = np.pad(X[row, :, c], size // 2, mode="symmetric")  # scipy.ndimage's 'reflect'
            np.testing.assert_allclose(out[row, :, c], np.convolve(padded, hann, mode="valid"), atol=1e-12)
    boxes = F.convolve(X, ["boxcar", "hann"] * 3, [3, 5, 3, 5, 3, 5])
    np.testing.assert_allclose(boxes[0, 5], X[0, 4:7].mean(axis=0), atol=1e-12)


def test_dropout_fills_match_a_loop_reference() -> None:
    for lanes in (1, 3):
        mask = F.dropout_mask(7, (6, 40, lanes), 0.3, (1, 4))
        full = np.broadcast_to(mask, X.shape)
        for fill in ("ffill", "bfill", "mean", -2.5):
            out = F.dropout(X, mask, fill)
            expected = X.copy()
            for n, t, c in zip(*np.nonzero(full), strict=True):
                if fill in ("ffill", "bfill"):
                    order = range(t, -1, -1) if fill == "ffill" else range(t, 40)
                    kept = [k for k in order if not full[n, k, c]]
                    if not kept:
                        other = range(t, 40) if fill == "ffill" else range(t, -1, -1)
                        kept = [k for k in other if not full[n, k, c]]
                    expected[n, t, c] = X[n, kept[0], c]
                elif fill == "mean":
                    expected[n, t, c] = X[n, :, c].mean()
                else:
                    expected[n, t, c] = fill
            np.testing.assert_allclose(out, expected, atol=1e-12, err_msg=f"{lanes} {fill}")


def test_dropout_mask_rate_and_block_sizes() -> None:
    mask = F.dropout_mask(3, (200, 500, 1), 0.1, (1, 1))
    assert 0.09 < mask.mean() < 0.11
    runs = F.dropout_mask(3, (200, 500, 1), 0.1, (4, 4))[:, :, 0]
    assert 0.085 < runs.mean() < 0.11  # overlapping runs merge, so slightly under the rate
    padded = np.pad(runs, ((0, 0), (1, 1))).astype(int)
    edges = np.diff(padded, axis=1)
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    assert lengths.size and np.all(lengths >= 4)
    assert not F.dropout_mask(3, (50, 20, 1), 0.9, (1, 3), keep="first")[:, 0].any()
    assert not F.dropout_mask(3, (50, 20, 1), 0.9, (1, 3), keep="last")[:, -1].any()


# --------------------------------------------------------------------------- classes


@pytest.mark.parametrize(
    "transform",
    [
        Permutation(p=1.0),
        Permutation(seg_mode="random", p=1.0),
        Crop(size=17),
        Crop(size=(10, 20), resize=15),
        Resize(size=23),
        Reverse(p=1.0),
    ],
    ids=["perm-equal", "perm-random", "crop", "crop-resize", "resize", "reverse"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_step_labels_follow_their_steps(transform: ak.BaseTransform, dtype: type) -> None:
    x = ramp(dtype=dtype)
    out = transform(series=x, step_labels=steps(), rng=3)
    series, labels = out["series"], out["step_labels"]
    assert series.dtype == dtype and labels.shape == series.shape[:2]
    np.testing.assert_array_equal(labels, np.floor(series[..., 0].astype(np.float64) + 0.5).astype(int))


def test_permutation_preserves_each_series_multiset_and_uses_contiguous_segments() -> None:
    x = RNG.normal(size=(50, 60, 2))
    for mode in ("equal", "random"):
        out = Permutation(max_segments=6, seg_mode=mode, p=1.0)(series=x, rng=4, record=True)
        np.testing.assert_array_equal(np.sort(out["series"], axis=1), np.sort(x, axis=1))
        index = Permutation(max_segments=6, seg_mode=mode, p=1.0)(series=ramp(50, 60, 1), rng=4)["series"][..., 0]
        jumps = (np.diff(index, axis=1) != 1).sum(axis=1)
        params = out["applied"][0]["params"]
        segments = np.array([len(cut) + 1 for cut in params["cuts"]])
        assert np.all(jumps <= segments - 1) and segments.min() == 1 and segments.max() == 6
        if mode == "equal":
            for cut in params["cuts"]:
                lengths = np.diff([0, *cut, 60])
                assert lengths.max() - lengths.min() <= 1


def test_crop_windows_and_short_series_error() -> None:
    out = Crop(size=12)(series=X, rng=2, record=True)
    starts = out["applied"][0]["params"]["start"]
    for n, start in enumerate(starts):
        np.testing.assert_array_equal(out["series"][n], X[n, start : start + 12])
    assert len(set(starts)) > 1, "one window start per series"
    with pytest.raises(ak.TargetError, match=r"^Crop: target 'series' has 40 steps; the crop size 50 needs at least 50 steps"):
        Crop(size=50)(series=X)
    with pytest.raises(ak.ArgumentError, match=r"^Crop: argument 'resize'"):
        Crop(size=(5, 10))


def test_crop_with_random_sizes_resizes_each_window() -> None:
    out = Crop(size=(10, 20), resize=15)(series=X, rng=5, record=True)
    params = out["applied"][0]["params"]
    for n in range(6):
        start, size = params["start"][n], params["size"][n]
        expected = interp_reference(X[n : n + 1, start : start + size], np.linspace(0, size - 1, 15)[None])
        np.testing.assert_allclose(out["series"][n], expected[0], atol=1e-12)


def test_tsaug_spot_checks() -> None:
    # the values in tsaug's docs: Pool(size=2) keeps the length, Reverse reverses, Resize keeps the ends
    out = Pool(size=2, p=1.0)(series=np.array([1.0, 3.0, 5.0, 7.0, 9.0]))["series"]
    assert out.tolist() == [2.0, 2.0, 6.0, 6.0, 9.0]
    assert Reverse(p=1.0)(series=np.array([1.0, 2.0, 3.0]))["series"].tolist() == [3.0, 2.0, 1.0]
    resized = Resize(size=5)(series=np.array([0.0, 4.0, 8.0]))["series"]
    assert resized.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]
    dropped = Dropout(rate=0.5, fill=0.0, p=1.0)(series=np.ones((20, 50, 1)), rng=0)["series"]
    assert 0.4 < (dropped == 0).mean() < 0.6
    smoothed = Convolve(window="boxcar", size=3, p=1.0)(series=np.array([0.0, 0.0, 3.0, 0.0, 0.0]))["series"]
    assert smoothed.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_dropout_class_draws_per_series_and_keeps_labels() -> None:
    x = np.repeat(X[:1], 6, axis=0)
    out = Dropout(rate=0.3, size=(1, 3), p=1.0)(series=x, step_labels=steps(6, 40), rng=1)
    assert len({row.tobytes() for row in out["series"]}) == 6
    np.testing.assert_array_equal(out["step_labels"], steps(6, 40))
    per_channel = Dropout(rate=0.5, per_channel=True, fill=100.0, p=1.0)(series=x, rng=2)["series"]
    hit = per_channel == 100.0
    assert np.any(hit.any(axis=2) & ~hit.all(axis=2)), "channels drop independently"


def test_dropout_rate_range_is_drawn_per_series() -> None:
    out = Dropout(rate=(0.0, 0.6), fill=1e6, p=1.0)(series=np.zeros((40, 2000, 1)), rng=5, record=True)
    rates = np.array(out["applied"][0]["params"]["rate"])
    np.testing.assert_allclose((out["series"] == 1e6).mean(axis=(1, 2)), rates, atol=0.04)


def test_pool_and_convolve_random_draws() -> None:
    x = np.repeat(X[:1], 6, axis=0)
    for transform in (Pool(size=(2, 6), p=1.0), Convolve(window=["hann", "boxcar"], size=(3, 9), p=1.0)):
        out = transform(series=x, rng=3)["series"]
        assert len({row.tobytes() for row in out}) > 1
        assert out.shape == x.shape


def test_bad_arguments_name_class_and_argument() -> None:
    with pytest.raises(ak.ArgumentError, match=r"^Dropout: argument 'fill' expects 'ffill', 'bfill', 'mean' or a number"):
        Dropout(fill="zero")
    with pytest.raises(ak.ArgumentError, match=r"^Convolve: argument 'window' expects scipy.signal.get_window names"):
        Convolve(window="nope")
    with pytest.raises(ak.ArgumentError, match=r"^Pool: argument 'kind'"):
        Pool(kind="median")
    with pytest.raises(ak.ArgumentError, match=r"^Permutation: argument 'seg_mode'"):
        Permutation(seg_mode="odd")
    with pytest.raises(ak.ArgumentError, match=r"^Resize: argument 'size'"):
        Resize(size=0)
