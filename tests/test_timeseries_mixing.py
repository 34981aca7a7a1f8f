"""DTW (against a plain O(T^2) reference written here), MixUp for series, and the class-guided warps
(SPAWNER, random and discriminative guided warping)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import augkit as ak
from augkit.timeseries import functional as F
from augkit.timeseries.mixing import SPAWNER, DiscriminativeGuidedWarp, MixUp, RandomGuidedWarp

RNG = np.random.default_rng(4)


def reference_dtw(a: np.ndarray, b: np.ndarray, window: int | None = None) -> tuple[float, list[tuple[int, int]]]:
    """Textbook DTW: full matrix, Euclidean local cost, Sakoe-Chiba band, backtrack preferring the
    diagonal, then (i - 1, j), then (i, j - 1)."""
    n, m = len(a), len(b)
    radius = None if window is None else max(window, abs(n - m))
    cost = np.full((n + 1, m + 1), np.inf)
    cost[0, 0] = 0.0
    for i in range(n):
        for j in range(m):
            if radius is not None and abs(i - j) > radius:
                continue
            local = float(np.sqrt(np.sum((a[i] - b[j]) ** 2)))
            cost[i + 1, j + 1] = local + min(cost[i, j], cost[i, j + 1], cost[i + 1, j])
    path = [(n - 1, m - 1)]
    i, j = n - 1, m - 1
    while (i, j) != (0, 0):
        diag, up, left = cost[i, j], cost[i, j + 1], cost[i + 1, j]
        if diag <= min(up, left):
            i, j = i - 1, j - 1
        elif up <= left:
            i -= 1
        else:
            j -= 1
        path.append((i, j))
    return float(cost[n, m]), path[::-1]


@pytest.mark.parametrize("window", [None, 0, 2, 5])
def test_dtw_matches_the_reference(window: int | None) -> None:
    for _ in range(25):
        n, m = RNG.integers(1, 14, size=2)
        channels = int(RNG.integers(1, 4))
        a, b = RNG.normal(size=(n, channels)), RNG.normal(size=(m, channels))
        distance, path = reference_dtw(a, b, window)
        assert F.dtw_distance(a, b, window)[0] == pytest.approx(distance, rel=1e-12)
        ia, ib, lengths = F.dtw_path(a, b, window)
        assert list(zip(ia[0, : lengths[0]].tolist(), ib[0, : lengths[0]].tolist(), strict=True)) == path


def test_dtw_batches_pairs_and_prefix_ends() -> None:
    a, b = RNG.normal(size=(7, 30, 2)), RNG.normal(size=(7, 30, 2))
    distances = F.dtw_distance(a, b, 4)
    ia, ib, lengths = F.dtw_path(a, b, 4, ends=([29, 10, 5, 29, 0, 20, 15], [29, 10, 5, 29, 0, 20, 15]))
    for row in range(7):
        assert distances[row] == pytest.approx(reference_dtw(a[row], b[row], 4)[0], rel=1e-12)
        end = [29, 10, 5, 29, 0, 20, 15][row]
        _, path = reference_dtw(a[row, : end + 1], b[row, : end + 1], 4)
        assert list(zip(ia[row, : lengths[row]].tolist(), ib[row, : lengths[row]].tolist(), strict=True)) == path


def test_path_encoding_round_trips() -> None:
    a, b = RNG.normal(size=(9, 25, 1)), RNG.normal(size=(9, 25, 1))
    ia, ib, lengths = F.dtw_path(a, b)
    texts = F.encode_paths(ia, ib, lengths)
    assert all(isinstance(t, str) and len(t) < 25 for t in texts)
    da, db, dl = F.decode_paths(texts)
    np.testing.assert_array_equal(dl, lengths)
    for row in range(9):
        np.testing.assert_array_equal(da[row, : dl[row]], ia[row, : lengths[row]])
        np.testing.assert_array_equal(db[row, : dl[row]], ib[row, : lengths[row]])


def test_same_class_partners_pick_another_member_uniformly() -> None:
    labels = np.array(["a", "b", "a", "c", "a", "b"])
    partners = F.same_class_partners(labels, RNG.random(6))
    assert partners[3] == -1
    for i in (0, 1, 2, 4, 5):
        assert partners[i] != i and labels[partners[i]] == labels[i]
    picks = [F.same_class_partners(labels, np.full(6, u))[0] for u in np.linspace(0, 0.999, 100)]
    assert set(picks) == {2, 4} and 40 < picks.count(2) < 60


def test_mixup_blends_series_and_soft_labels() -> None:
    x = RNG.normal(size=(10, 20, 2))
    out = MixUp(alpha=0.4, num_classes=3, p=1.0)(series=x, rng=1, record=True)
    params = out["applied"][0]["params"]
    partner, weight = np.array(params["partner"]), np.array(params["weight"])
    assert sorted(partner.tolist()) == list(range(10)) and np.all((weight >= 0) & (weight <= 1))
    np.testing.assert_allclose(out["series"], weight[:, None, None] * x + (1 - weight[:, None, None]) * x[partner])
    labels = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    soft = MixUp(num_classes=3).apply_labels(labels, params)
    assert soft.dtype == np.float32 and soft.shape == (10, 3)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, rtol=1e-6)
    expected = np.zeros((10, 3))
    expected[np.arange(10), labels] += weight
    expected[np.arange(10), labels[partner]] += 1 - weight
    np.testing.assert_allclose(soft, expected, rtol=1e-6)
    with pytest.raises(
        ak.TargetError, match=r"^MixUp: target 'labels' is mixed into soft targets, which needs argument 'num_classes'"
    ):
        MixUp(p=1.0)(series=x, labels=labels)
    with pytest.raises(ak.TargetError, match=r"^MixUp: target 'labels' expects integer classes in \[0, 3\)"):
        MixUp(num_classes=3).apply_labels(np.array([0, 5]), {"partner": [1, 0], "weight": [0.5, 0.5]})


@pytest.mark.parametrize("cls", [SPAWNER, RandomGuidedWarp, DiscriminativeGuidedWarp])
def test_guided_warps_need_labels(cls: type[ak.BaseTransform]) -> None:
    with pytest.raises(ak.TargetError, match=rf"^{cls.__name__}: needs target 'labels'"):
        cls(p=1.0)(series=RNG.normal(size=(4, 20, 1)))


def class_batch(count: int = 12, length: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Two classes of bumps at class-specific places, each series shifted in time a little."""
    t = np.arange(length)
    labels = np.arange(count) % 2
    centres = np.where(labels == 0, 0.3, 0.7) * length + RNG.integers(-5, 6, size=count)
    series = np.exp(-(((t[None, :] - centres[:, None]) / 4.0) ** 2))[..., None]
    return np.concatenate([series, series * 0.5 + 0.1], axis=2), labels


@pytest.mark.parametrize(
    "transform",
    [
        SPAWNER(p=1.0),
        RandomGuidedWarp(p=1.0),
        RandomGuidedWarp(window=None, variable_slice=True, p=1.0),
        DiscriminativeGuidedWarp(p=1.0),
    ],
    ids=["spawner", "rgw", "rgw-slice", "dgw"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_guided_warps_shapes_labels_and_replay(transform: ak.BaseTransform, dtype: type) -> None:
    x, labels = class_batch()
    x = x.astype(dtype)
    ramp = np.broadcast_to(np.arange(60, dtype=dtype)[None, :, None], (12, 60, 1))
    step_labels = np.tile(np.arange(60), (12, 1))
    out = transform(series=x, labels=labels, step_labels=step_labels, rng=3, record=True)
    assert out["series"].shape == x.shape and out["series"].dtype == dtype
    json.dumps(out["applied"])  # the record (with its encoded paths) is plain JSON
    again = transform.replay(out["applied"], series=x, labels=labels, step_labels=step_labels)
    np.testing.assert_array_equal(again["series"], out["series"])
    np.testing.assert_array_equal(again["step_labels"], out["step_labels"])
    if not isinstance(transform, SPAWNER):
        # a ramp read along the same warp shows the source positions: labels are their nearest steps
        pipe = ak.Compose([transform], additional_targets={"ramp": "series"})
        paired = pipe(series=x, ramp=ramp.copy(), labels=labels, step_labels=step_labels, rng=3)
        positions = paired["ramp"][..., 0].astype(np.float64)
        assert np.all(np.diff(positions, axis=1) >= -1e-4)
        np.testing.assert_array_equal(paired["step_labels"], np.floor(positions + 0.5).astype(int))


def test_random_guided_warp_aligns_to_a_same_class_prototype() -> None:
    x, labels = class_batch()
    out = RandomGuidedWarp(window=None, p=1.0)(series=x, labels=labels, rng=5, record=True)
    prototypes = out["applied"][0]["params"]["prototype"]
    for row, proto in enumerate(prototypes):
        assert proto != row and labels[proto] == labels[row]
        before = np.abs(x[row, :, 0] - x[proto, :, 0]).sum()
        after = np.abs(out["series"][row, :, 0] - x[proto, :, 0]).sum()
        assert after <= before + 1e-9, "the warped series follows the prototype's time structure"
    identical = np.repeat(x[:1], 4, axis=0)
    same = RandomGuidedWarp(p=1.0)(series=identical, labels=np.zeros(4, int), rng=0)["series"]
    np.testing.assert_array_equal(same, identical)  # aligned with an identical prototype: nothing moves
    alone = RandomGuidedWarp(p=1.0)(series=x[:3], labels=np.array([0, 1, 2]), rng=0)["series"]
    np.testing.assert_array_equal(alone, x[:3])  # no other member of the class: kept


def test_spawner_averages_aligned_pairs() -> None:
    x, labels = class_batch()
    identical = np.repeat(x[:1], 4, axis=0)
    same = SPAWNER(sigma=0.0, p=1.0)(series=identical, labels=np.zeros(4, int), rng=0)["series"]
    np.testing.assert_allclose(same, identical, atol=1e-12)  # the average of a series with itself
    out = SPAWNER(sigma=0.0, p=1.0)(series=x, labels=labels, rng=1, record=True)
    params = out["applied"][0]["params"]
    for row, partner in enumerate(params["partner"]):
        low = np.minimum(x[row], x[partner]).min(axis=0)
        high = np.maximum(x[row], x[partner]).max(axis=0)
        assert np.all(out["series"][row] >= low - 1e-9) and np.all(out["series"][row] <= high + 1e-9)
    noisy = SPAWNER(sigma=0.05, p=1.0)(series=x, labels=labels, rng=1)["series"] - out["series"]
    assert abs(noisy.std() - 0.05) < 0.01


def test_discriminative_prototype_choice() -> None:
    # candidates 0 and 1 are positives; 1 sits between the classes, 0 is far from the negative (2)
    x = np.array([[0.0] * 5, [2.0] * 5, [5.0] * 5, [0.5] * 5])[..., None]
    chosen = F.discriminative_prototypes(x, [[0, 1], [0, 1], [], [0]], [[2], [], [0], [2]])
    assert chosen.tolist() == [0, -1, -1, 0]
    x, labels = class_batch()
    out = DiscriminativeGuidedWarp(variable_slice=False, p=1.0)(series=x, labels=labels, rng=2, record=True)
    for row, proto in enumerate(out["applied"][0]["params"]["prototype"]):
        assert proto != row and labels[proto] == labels[row]


def test_short_series_and_bad_arguments() -> None:
    with pytest.raises(ak.TargetError, match=r"^SPAWNER: target 'series' has 2 steps; DTW-guided warping needs at least 3"):
        SPAWNER(p=1.0)(series=np.zeros((2, 2, 1)), labels=np.zeros(2, int))
    with pytest.raises(ak.ArgumentError, match=r"^MixUp: argument 'alpha' expects a number > 0"):
        MixUp(alpha=0.0)
    with pytest.raises(ak.ArgumentError, match=r"^DiscriminativeGuidedWarp: argument 'batch_size'"):
        DiscriminativeGuidedWarp(batch_size=1)
    with pytest.raises(ak.ArgumentError, match=r"^RandomGuidedWarp: argument 'window'"):
        RandomGuidedWarp(window=2.0)
