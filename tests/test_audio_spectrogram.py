"""Spectrogram masks, channel shuffling, time warping and SpecAugment's policies."""

from __future__ import annotations

import json

import numpy as np
import pytest

import augkit as ak
from augkit.audio import spectrogram as AS
from augkit.audio.functional import spectrogram as FS


def spec(channels: int = 1, rows: int = 80, frames: int = 400, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((channels, rows, frames)).astype(np.float32) + 3.0


def masked_rows(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.any(before != after, axis=(0, 2)))


def masked_frames(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.any(before != after, axis=(0, 1)))


def runs(index: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive runs as (start, length)."""
    if len(index) == 0:
        return []
    breaks = np.flatnonzero(np.diff(index) > 1)
    starts = np.concatenate([[index[0]], index[breaks + 1]])
    ends = np.concatenate([index[breaks], [index[-1]]])
    return [(int(a), int(b - a + 1)) for a, b in zip(starts, ends, strict=True)]


# ---------------------------------------------------------------------------------------------
# SpecAugment


def test_policies_are_the_papers_table_1() -> None:
    # Park et al. 2019, Table 1: W, F, mF, T, p, mT
    table = {
        "LB": (80, 27, 1, 100, 1.0, 1),
        "LD": (80, 27, 2, 100, 1.0, 2),
        "SM": (40, 15, 2, 70, 0.2, 2),
        "SS": (40, 27, 2, 70, 0.2, 2),
    }
    keys = ("time_warp_w", "freq_mask_f", "num_freq_masks", "time_mask_t", "time_mask_p", "num_time_masks")
    for name, values in table.items():
        assert tuple(AS.POLICIES[name][k] for k in keys) == values
        assert tuple(AS.SpecAugment(policy=name).resolved()[k] for k in keys) == values
    assert AS.SpecAugment().resolved() == AS.POLICIES["LB"]
    assert AS.SpecAugment(policy="SM", freq_mask_f=5).resolved()["freq_mask_f"] == 5


@pytest.mark.parametrize("policy", ["LB", "LD", "SM", "SS"])
def test_mask_counts_and_widths_follow_the_policy(policy: str) -> None:
    transform = AS.SpecAugment(policy=policy, time_warp_w=0, mask_value=-100.0)
    settings = AS.POLICIES[policy]
    x = spec(frames=300)
    rows, frames = x.shape[1:]
    freq_widths, time_widths = [], []
    for seed in range(60):
        out = transform(spectrogram=x, rng=seed, record=True)
        params = json.loads(json.dumps(out["applied"][0]["params"]))
        assert params["warp"] is None
        assert len(params["freq_masks"]) == settings["num_freq_masks"] and len(params["time_masks"]) == settings["num_time_masks"]
        for start, width in params["freq_masks"]:
            assert 0 <= width <= settings["freq_mask_f"] and 0 <= start <= rows - width
            freq_widths.append(width)
        longest = min(settings["time_mask_t"], int(settings["time_mask_p"] * frames))
        for start, width in params["time_masks"]:
            assert 0 <= width <= longest and 0 <= start <= frames - width
            time_widths.append(width)
        # the output masks exactly the drawn rows and frames, with the fill value
        result = out["spectrogram"]
        expected_rows = sorted({r for s, w in params["freq_masks"] for r in range(s, s + w)})
        expected_frames = sorted({t for s, w in params["time_masks"] for t in range(s, s + w)})
        assert masked_rows(x, result)[np.all(result[0][masked_rows(x, result)] == -100.0, axis=1)].tolist() == expected_rows
        assert (
            masked_frames(x, result)[np.all(result[0][:, masked_frames(x, result)] == -100.0, axis=0)].tolist() == expected_frames
        )
        if settings["num_freq_masks"] == 1 and params["freq_masks"][0][1]:
            assert runs(np.asarray(expected_rows)) == [tuple(params["freq_masks"][0])]
    # widths are uniform over 0..F and 0..min(T, p tau)
    assert max(freq_widths) >= settings["freq_mask_f"] - 3 and min(freq_widths) <= 3
    longest = min(settings["time_mask_t"], int(settings["time_mask_p"] * frames))
    assert max(time_widths) >= longest - 8 and abs(np.mean(time_widths) - longest / 2) < longest / 6


def test_time_warp_keeps_the_shape_and_moves_the_drawn_frame() -> None:
    x = np.tile(np.arange(200, dtype=np.float32), (2, 40, 1))  # each frame holds its own index
    transform = AS.SpecAugment(time_warp_w=30, num_freq_masks=0, num_time_masks=0)
    shifts = []
    for seed in range(30):
        out = transform(spectrogram=x, rng=seed, record=True)
        center, shift = out["applied"][0]["params"]["warp"]
        assert 31 <= center <= 200 - 2 - 30 and -30 <= shift <= 30
        y = out["spectrogram"]
        assert y.shape == x.shape and y.dtype == np.float32
        # frame values are their indices, so the output shows where each frame came from: two linear
        # pieces through (0, 0), (center + shift, center) and (199, 199)
        expected = np.interp(np.arange(200), [0.0, center + shift, 199.0], [0.0, center, 199.0])
        np.testing.assert_allclose(y[0, 0], expected, atol=2e-3)
        np.testing.assert_array_equal(y[1], y[0])
        assert y[0, 0, 0] == 0.0 and y[0, 0, -1] == 199.0
        assert np.all(np.diff(y[0, 0]) > 0)  # monotone: time is stretched, never reordered
        shifts.append(shift)
    assert min(shifts) < -10 and max(shifts) > 10


def test_time_warp_kernel_against_linear_interpolation() -> None:
    x = spec(channels=2, rows=5, frames=50)
    center, shift = 20.0, 6.5
    out = FS.time_warp(x, center, shift)
    source = FS.warp_positions(50, center, shift)
    np.testing.assert_allclose(source[: int(center + shift) + 1], np.arange(int(center + shift) + 1) * center / (center + shift))
    for c in range(2):
        for r in range(5):
            np.testing.assert_allclose(out[c, r], np.interp(source, np.arange(50), x[c, r]), atol=1e-5)
    with pytest.raises(ValueError, match="must lie in"):
        FS.warp_positions(10, 5.0, 5.0)


def test_short_inputs_skip_the_warp_and_clip_the_masks() -> None:
    x = spec(rows=10, frames=4)
    out = AS.SpecAugment(policy="LD")(spectrogram=x, rng=0, record=True)
    params = out["applied"][0]["params"]
    assert params["warp"] is None
    assert all(w <= 10 for _, w in params["freq_masks"]) and all(w <= 4 for _, w in params["time_masks"])
    assert out["spectrogram"].shape == x.shape


def test_mean_fill_is_each_channels_mean_before_masking() -> None:
    x = np.concatenate([spec(seed=1), spec(seed=2) + 5.0])
    out = AS.SpecAugment(time_warp_w=0, num_freq_masks=1, freq_mask_f=20, num_time_masks=0)(spectrogram=x, rng=3, record=True)
    start, width = out["applied"][0]["params"]["freq_masks"][0]
    assert width > 0
    for c in range(2):
        np.testing.assert_allclose(out["spectrogram"][c, start : start + width], x[c].mean(), rtol=1e-5)


@pytest.mark.parametrize("layout", ["2d", "3d"])
def test_two_and_three_dimensional_inputs(layout: str) -> None:
    x = spec(channels=2)
    given = x[0] if layout == "2d" else x
    for transform in (
        AS.SpecAugment(policy="SS"),
        AS.SpecFrequencyMask(p=1.0),
        AS.SpecTimeMask(p=1.0),
        AS.SpecChannelShuffle(p=1.0),
    ):
        out = transform(spectrogram=given, rng=5)["spectrogram"]
        assert out.shape == given.shape and out.dtype == np.float32 and out.flags.c_contiguous
        assert not np.shares_memory(out, given)


# ---------------------------------------------------------------------------------------------
# Single masks and channel shuffling


@pytest.mark.parametrize(("cls", "axis"), [(AS.SpecFrequencyMask, 1), (AS.SpecTimeMask, 2)])
def test_fraction_masks_cover_one_span_of_the_drawn_width(cls, axis: int) -> None:
    x = spec(channels=2, rows=100, frames=200)
    size = x.shape[axis]
    transform = cls(min_mask_fraction=0.1, max_mask_fraction=0.3, fill_constant=-7.0, p=1.0)
    widths = set()
    for seed in range(40):
        out = transform(spectrogram=x, rng=seed, record=True)
        params = out["applied"][0]["params"]
        changed = masked_rows(x, out["spectrogram"]) if axis == 1 else masked_frames(x, out["spectrogram"])
        assert runs(changed) == [(params["start"], params["width"])]
        assert round(0.1 * size) <= params["width"] <= round(0.3 * size)
        assert np.all(np.take(out["spectrogram"], changed, axis=axis) == -7.0)
        widths.add(params["width"])
    assert len(widths) > 10


def test_mean_fill_mode_uses_the_masked_values() -> None:
    x = spec(rows=50, frames=60)
    out = AS.SpecFrequencyMask(min_mask_fraction=0.2, max_mask_fraction=0.2, fill_mode="mean", p=1.0)(
        spectrogram=x, rng=1, record=True
    )
    start, width = out["applied"][0]["params"]["start"], out["applied"][0]["params"]["width"]
    np.testing.assert_allclose(out["spectrogram"][0, start : start + width], x[0, start : start + width].mean(), rtol=1e-6)


def test_channel_shuffle_permutes_channels() -> None:
    x = spec(channels=4, rows=3, frames=5)
    orders = set()
    for seed in range(30):
        out = AS.SpecChannelShuffle(p=1.0)(spectrogram=x, rng=seed, record=True)
        order = out["applied"][0]["params"]["order"]
        assert sorted(order) == [0, 1, 2, 3]
        np.testing.assert_array_equal(out["spectrogram"], x[order])
        orders.add(tuple(order))
    assert len(orders) > 10


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda: AS.SpecAugment(policy="XL"), r"SpecAugment: argument 'policy' expects one of 'LB', 'LD', 'SM', 'SS'"),
        (lambda: AS.SpecAugment(time_warp_w=-1), r"'time_warp_w' expects an integer >= 0"),
        (lambda: AS.SpecAugment(time_mask_p=1.5), r"'time_mask_p' expects a probability"),
        (lambda: AS.SpecAugment(mask_value="median"), r"'mask_value' expects one of 'mean'"),
        (lambda: AS.SpecFrequencyMask(min_mask_fraction=0.5, max_mask_fraction=0.1), r"'min_mask_fraction' expects a number <="),
        (lambda: AS.SpecTimeMask(fill_mode="zero"), r"SpecTimeMask: argument 'fill_mode' expects one of 'constant', 'mean'"),
    ],
)
def test_bad_arguments(make, pattern: str) -> None:
    with pytest.raises(ak.ArgumentError, match=pattern):
        make()


def test_kernels_do_not_modify_their_input() -> None:
    x = spec(channels=2, rows=10, frames=30)
    before = x.copy()
    FS.mask_frequencies(x, [(1, 3)], "mean")
    FS.mask_times(x, [(0, 5)], "region_mean")
    FS.time_warp(x, 10.0, 3.0)
    FS.spec_augment(x, (10, -2.0), [(2, 2)], [(4, 4)], 0.0)
    FS.shuffle_channels(x, [1, 0])
    np.testing.assert_array_equal(x, before)
