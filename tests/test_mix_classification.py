"""MixUp, CutMix and Mix on numpy batches: bookkeeping, modes, partners, smoothing, seeds, replay, masks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augkit.core.errors import TargetError
from augkit.mix import CutMix, Mix, MixUp
from augkit.mix.mixing import centred_boxes, draw_partner, minmax_boxes

K = 5


def constant_batch(n: int, height: int, width: int, dtype: str = "float32") -> np.ndarray:
    """Image i is filled with the value i + 1, so every pixel tells where it came from."""
    return np.broadcast_to(np.arange(1, n + 1, dtype=dtype)[:, None, None, None], (n, height, width, 3)).copy()


def json_round_trip(record: dict) -> dict:
    return json.loads(json.dumps(record, allow_nan=False))


# ---------------------------------------------------------------------- lambda and area bookkeeping
@pytest.mark.parametrize("mode", ["batch", "pair", "elem"])
@pytest.mark.parametrize("n", [1, 3, 7, 8])
@pytest.mark.parametrize("shape", [(6, 10), (11, 4), (9, 9)])
def test_cutmix_area_equals_one_minus_lambda(mode: str, n: int, shape: tuple[int, int]) -> None:
    height, width = shape
    images = constant_batch(n, height, width)
    labels = np.arange(n) % K
    for seed in range(12):
        out, targets, rec = CutMix(num_classes=K, mode=mode)(images, labels, rng=seed, record=True)
        params = rec["params"]
        lam, partner = np.array(params["lam"]), np.array(params["partner"])
        for i in range(n):
            pasted = int((out[i, :, :, 0] != i + 1).sum())
            if partner[i] == i:
                assert pasted == 0 and lam[i] == 1.0
                continue
            assert (out[i][out[i] != i + 1] == partner[i] + 1).all()
            assert lam[i] == 1.0 - pasted / (height * width)  # exact, after clipping
            y0, y1, x0, x1 = params["boxes"][i]
            inside = np.zeros((height, width), bool)
            inside[y0:y1, x0:x1] = True
            assert np.array_equal(out[i, :, :, 0] != i + 1, inside)
        np.testing.assert_allclose(targets.sum(1), 1.0, rtol=0, atol=1e-6)


@pytest.mark.parametrize("mode", ["batch", "pair", "elem"])
def test_mixup_targets_follow_pixels(mode: str) -> None:
    n, height, width = 7, 5, 9
    onehot = np.eye(n, dtype=np.float32)  # image i has value 1 in "channel" i: use channels as provenance
    images = np.broadcast_to(onehot[:, None, None, :], (n, height, width, n)).copy()
    out, targets = MixUp(num_classes=n, mode=mode)(images, np.arange(n), rng=4)
    np.testing.assert_allclose(out[:, 0, 0, :], targets, atol=1e-6)  # pixel mix == label mix
    np.testing.assert_allclose(targets.sum(1), 1.0, atol=1e-6)


def test_correct_lam_false_keeps_drawn_lambda() -> None:
    images = constant_batch(4, 8, 8)
    _, _, corrected = CutMix(num_classes=K)(images, np.arange(4), rng=0, record=True)
    _, _, raw = CutMix(num_classes=K, correct_lam=False)(images, np.arange(4), rng=0, record=True)
    assert corrected["params"]["boxes"] == raw["params"]["boxes"]
    drawn = np.random.default_rng(0)  # same draw order: permutation, beta, centres
    drawn.permutation(4)
    assert raw["params"]["lam"][0] == pytest.approx(drawn.beta(1.0, 1.0))


# ---------------------------------------------------------------------- boxes: H/W never swapped, all borders reached
def test_boxes_keep_height_and_width_apart() -> None:
    rng = np.random.default_rng(0)
    boxes = centred_boxes(rng, 40, 100, np.full(2000, 0.75))
    interior = (boxes[:, 0] > 0) & (boxes[:, 1] < 40) & (boxes[:, 2] > 0) & (boxes[:, 3] < 100)
    assert interior.sum() > 100
    assert set((boxes[interior, 1] - boxes[interior, 0]).tolist()) == {20}
    assert set((boxes[interior, 3] - boxes[interior, 2]).tolist()) == {50}
    fixed = minmax_boxes(rng, 40, 100, (0.5, 0.5), 50)
    assert set((fixed[:, 1] - fixed[:, 0]).tolist()) == {20} and set((fixed[:, 3] - fixed[:, 2]).tolist()) == {50}


@pytest.mark.parametrize("kind", ["centred", "minmax"])
def test_boxes_reach_every_border(kind: str) -> None:
    rng = np.random.default_rng(1)
    height, width = 12, 30
    if kind == "centred":
        boxes = centred_boxes(rng, height, width, rng.uniform(0.3, 0.9, 3000))
    else:
        boxes = minmax_boxes(rng, height, width, (0.2, 0.6), 3000)
    assert (boxes[:, 0] == 0).any() and (boxes[:, 1] == height).any()
    assert (boxes[:, 2] == 0).any() and (boxes[:, 3] == width).any()
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 1] <= height).all() and (boxes[:, 3] <= width).all()
    if kind == "minmax":  # sides in [int(0.2 * side), int(0.6 * side)], both ends reached
        sides = boxes[:, 1] - boxes[:, 0]
        assert sides.min() == 2 and sides.max() == 7


# ---------------------------------------------------------------------- partners and odd batches
def test_permutation_partner_is_a_random_cycle() -> None:
    seen = set()
    for seed in range(20):
        partner = draw_partner(np.random.default_rng(seed), 6, "permutation")
        assert sorted(partner.tolist()) == list(range(6)) and (partner != np.arange(6)).all()
        position, steps = 0, 0  # one cycle through all six
        while True:
            position, steps = int(partner[position]), steps + 1
            if position == 0:
                break
        assert steps == 6
        seen.add(tuple(partner.tolist()))
    assert len(seen) > 10  # not a fixed roll or flip
    assert draw_partner(np.random.default_rng(0), 1, "permutation").tolist() == [0]


@pytest.mark.parametrize("n", [1, 2, 3, 7])
@pytest.mark.parametrize("strategy", ["permutation", "flip"])
def test_pair_mode_pairs_and_odd_one_out(n: int, strategy: str) -> None:
    mixer = Mix(num_classes=K, mode="pair", partner=strategy)
    partner = np.array(mixer.sample(np.random.default_rng(3), n, 4, 4)["partner"])
    mutual = (partner[partner] == np.arange(n)) & (partner != np.arange(n))
    assert mutual.sum() == n - n % 2
    if n % 2 and n > 1:
        odd = int(np.flatnonzero(~mutual)[0]) if (~mutual).any() else None
        if strategy == "permutation":
            assert odd is not None and partner[odd] != odd  # mixed with a random other image
        else:
            assert partner[n // 2] == n // 2  # timm's pairing: the middle image stays unmixed
    if strategy == "flip":
        assert all(partner[i] in (i, n - 1 - i) for i in range(n))


@pytest.mark.parametrize("mode", ["batch", "pair", "elem"])
@pytest.mark.parametrize("strategy", ["permutation", "flip"])
def test_single_image_batch_is_left_unchanged(mode: str, strategy: str) -> None:
    images = constant_batch(1, 5, 7)
    out, targets = Mix(num_classes=K, mode=mode, partner=strategy)(images, np.array([3]), rng=0)
    assert np.array_equal(out, images) and out is not images
    assert targets.tolist() == [[0.0, 0.0, 0.0, 1.0, 0.0]]


def test_flip_partner_matches_timm_pairing() -> None:
    _, _, rec = Mix(num_classes=K, partner="flip")(constant_batch(6, 4, 4), np.arange(6) % K, rng=0, record=True)
    assert rec["params"]["partner"] == [5, 4, 3, 2, 1, 0]


# ---------------------------------------------------------------------- switch, prob and alphas
def test_each_method_uses_its_own_alpha() -> None:
    images, labels = constant_batch(4, 20, 20), np.arange(4)
    mixer = Mix(mixup_alpha=500.0, cutmix_alpha=0.05, switch_prob=0.5, correct_lam=False, num_classes=K)
    kinds = {"mixup": [], "cutmix": []}
    for seed in range(60):
        rec = mixer(images, labels, rng=seed, record=True)[-1]["params"]
        kinds["cutmix" if rec["boxes"] is not None else "mixup"].append(rec["lam"][0])
    assert kinds["mixup"] and kinds["cutmix"]
    assert all(0.4 < v < 0.6 for v in kinds["mixup"])  # Beta(500, 500)
    assert sum(v < 0.1 or v > 0.9 for v in kinds["cutmix"]) > 0.6 * len(kinds["cutmix"])  # Beta(0.05, 0.05)


@pytest.mark.parametrize("switch, expect_boxes", [(0.0, False), (1.0, True)])
def test_switch_prob_extremes(switch: float, expect_boxes: bool) -> None:
    for seed in range(10):
        rec = Mix(switch_prob=switch, num_classes=K)(constant_batch(3, 6, 6), np.arange(3), rng=seed, record=True)[-1]
        assert (rec["params"]["boxes"] is not None) == expect_boxes


def test_prob_zero_passes_through_with_smoothed_targets() -> None:
    images = constant_batch(3, 4, 6, "uint8")
    out, targets = Mix(prob=0.0, label_smoothing=0.1, num_classes=K)(images, np.array([0, 4, 2]), rng=0)
    assert np.array_equal(out, images) and not np.shares_memory(out, images)
    on, off = np.float32(1 - 0.1 + 0.1 / K), np.float32(0.1 / K)
    expected = np.full((3, K), off, np.float32)
    expected[[0, 1, 2], [0, 4, 2]] = on
    assert np.array_equal(targets, expected)  # exact values


@pytest.mark.parametrize("mode", ["batch", "pair", "elem"])
def test_prob_fraction(mode: str) -> None:
    mixer = Mix(prob=0.5, num_classes=K, mode=mode)
    mixed = []
    for seed in range(200):
        params = mixer.sample(np.random.default_rng(seed), 8, 6, 6)
        partner = np.array(params.get("partner", list(range(8))))
        mixed.append((partner != np.arange(8)).mean() if params["applied"] else 0.0)
    assert 0.35 < float(np.mean(mixed)) < 0.65


def test_label_smoothing_inside_mix_is_exact() -> None:
    eps, n = 0.2, 6
    labels = np.array([0, 1, 2, 3, 4, 0])
    _, targets, rec = Mix(label_smoothing=eps, num_classes=K)(constant_batch(n, 8, 8), labels, rng=2, record=True)
    lam, partner = np.array(rec["params"]["lam"]), np.array(rec["params"]["partner"])
    onehot = np.eye(K)[labels]
    expected = (1 - eps) * (lam[:, None] * onehot + (1 - lam[:, None]) * onehot[partner]) + eps / K
    np.testing.assert_allclose(targets, expected, rtol=0, atol=2e-7)


def test_soft_labels_are_mixed_and_smoothed() -> None:
    soft = np.random.default_rng(0).dirichlet(np.ones(K), size=4).astype(np.float32)
    _, targets, rec = MixUp(label_smoothing=0.1)(constant_batch(4, 3, 3), soft, rng=0, record=True)
    lam, partner = np.array(rec["params"]["lam"]), np.array(rec["params"]["partner"])
    smooth = soft * 0.9 + 0.1 / K
    np.testing.assert_allclose(targets, lam[:, None] * smooth + (1 - lam[:, None]) * smooth[partner], atol=1e-6)


# ---------------------------------------------------------------------- uint8
def test_uint8_mixup_within_one_level_and_keeps_exact_lambda() -> None:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 9, 11, 3), dtype=np.uint8)
    images[:, :2] = 77  # a region equal in every image stays exactly equal
    out, targets, rec = MixUp(num_classes=K)(images, np.arange(5), rng=1, record=True)
    lam, partner = np.array(rec["params"]["lam"]), np.array(rec["params"]["partner"])
    exact = lam[:, None, None, None] * images + (1 - lam[:, None, None, None]) * images[partner].astype(np.float64)
    assert out.dtype == np.uint8 and np.abs(out - exact).max() < 1.0 + 1e-9  # floor or ceil of the exact blend
    assert (out[:, :2] == 77).all()
    np.testing.assert_allclose(targets[np.arange(5), np.arange(5)], lam, atol=1e-7)


def test_uint8_blend_tables_bound() -> None:
    from augkit.mix._kernels import blend_uint8_tables

    a, b = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
    for w in (1e-9, 0.1, 0.25, 0.5, 0.73, 0.999):
        own, other = blend_uint8_tables(w)
        mixed = own[a].astype(np.int64) + other[b]
        assert mixed.min() >= 0 and mixed.max() <= 255
        assert np.abs(mixed - (w * a + (1 - w) * b)).max() <= 1.0 + 1e-9
        assert (np.diag(mixed) == np.arange(256)).all()


@pytest.mark.parametrize("mode", ["batch", "pair", "elem"])
@pytest.mark.parametrize("make", ["mixup", "cutmix", "mix"])
def test_inplace_matches_the_copying_mixer(mode: str, make: str) -> None:
    rng = np.random.default_rng(3)
    builders = {
        "mixup": lambda **kw: MixUp(num_classes=K, mode=mode, **kw),
        "cutmix": lambda **kw: CutMix(num_classes=K, mode=mode, **kw),
        "mix": lambda **kw: Mix(num_classes=K, mode=mode, **kw),
    }
    for n in (1, 2, 5, 8):
        images = rng.integers(0, 256, (n, 12, 10, 3), dtype=np.uint8)
        masks = rng.integers(0, 3, (n, 12, 10)).astype(np.int64)
        labels = np.arange(n) % K
        use_masks = make == "cutmix"
        kwargs = {"masks": masks.copy()} if use_masks else {}
        expected = builders[make]()(images, labels, rng=n, record=True, **kwargs)
        mixer = builders[make](inplace=True)
        work = images.copy()
        work_kwargs = {"masks": masks.copy()} if use_masks else {}
        got = mixer(work, labels, rng=n, record=True, **work_kwargs)
        assert got[0] is work
        np.testing.assert_array_equal(work, expected[0])
        np.testing.assert_array_equal(got[1], expected[1])
        if use_masks:
            assert got[2] is work_kwargs["masks"]
            np.testing.assert_array_equal(got[2], expected[2])
        assert got[-1]["params"] == expected[-1]["params"]
        again = images.copy()
        mixer.replay(got[-1], again, labels, **({"masks": masks.copy()} if use_masks else {}))
        np.testing.assert_array_equal(again, expected[0])
        assert mixer.to_dict()["inplace"] is True and builders[make]().to_dict()["inplace"] is False


def test_inplace_rejects_read_only_arrays() -> None:
    images = np.zeros((2, 4, 4, 3), np.uint8)
    images.flags.writeable = False
    with pytest.raises(TargetError, match="inplace"):
        CutMix(num_classes=K, inplace=True)(images, np.arange(2))


# ---------------------------------------------------------------------- seeds, records, replay
@pytest.mark.parametrize("mode", ["batch", "pair", "elem"])
def test_seeds_reproduce_and_differ(mode: str) -> None:
    images, labels = constant_batch(7, 10, 6), np.arange(7) % K
    mixer = Mix(num_classes=K, mode=mode)
    a, b = mixer(images, labels, rng=11), mixer(images, labels, rng=11)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    outputs = {mixer(images, labels, rng=seed)[1].tobytes() for seed in range(8)}
    assert len(outputs) > 4


def test_owned_seed_advances_and_rng_overrides() -> None:
    images, labels = constant_batch(4, 6, 6), np.arange(4)
    first, second = Mix(num_classes=K, seed=5), Mix(num_classes=K, seed=5)
    run1 = [first(images, labels)[1] for _ in range(3)]
    run2 = [second(images, labels)[1] for _ in range(3)]
    assert all(np.array_equal(a, b) for a, b in zip(run1, run2, strict=True))
    assert not np.array_equal(run1[0], run1[1])
    assert np.array_equal(first(images, labels, rng=3)[1], Mix(num_classes=K)(images, labels, rng=3)[1])


@pytest.mark.parametrize(
    "mixer",
    [
        Mix(num_classes=K, mode="batch"),
        Mix(num_classes=K, mode="pair", prob=0.7),
        Mix(num_classes=K, mode="elem", cutmix_minmax=(0.2, 0.8)),
        MixUp(num_classes=K, label_smoothing=0.1),
        CutMix(num_classes=K, prob=0.5),
    ],
    ids=repr,
)
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_replay_is_exact(mixer: Mix, dtype: str) -> None:
    rng = np.random.default_rng(0)
    images = (rng.random((7, 9, 13, 3)) * 255).astype(dtype)
    labels = rng.integers(0, K, 7)
    masks = rng.integers(0, 4, (7, 9, 13)) if not mixer.blends() else None
    for seed in range(5):
        out = mixer(images, labels, masks=masks, rng=seed, record=True)
        record = json_round_trip(out[-1])
        again = mixer.replay(record, images, labels, masks=masks)
        assert len(again) == len(out) - 1
        assert all(np.array_equal(a, b) for a, b in zip(out[:-1], again, strict=True))


# ---------------------------------------------------------------------- segmentation masks
@pytest.mark.parametrize("mode", ["batch", "elem"])
def test_cutmix_masks_follow_the_box(mode: str) -> None:
    n, height, width = 5, 12, 7
    images = constant_batch(n, height, width)
    masks = np.broadcast_to(np.arange(10, 10 + n)[:, None, None], (n, height, width)).astype(np.int32)
    out, _, out_masks = CutMix(mode=mode)(images, masks=masks, rng=2)
    assert out_masks.dtype == np.int32 and out_masks.shape == masks.shape
    assert np.array_equal(out_masks - 9, out[:, :, :, 0].astype(np.int32))  # mask pasted with the same pixels


def test_mixup_blends_soft_masks_and_rejects_class_maps() -> None:
    n, height, width = 4, 6, 8
    soft = np.zeros((n, height, width, 3), np.float32)
    soft[..., 0] = 1.0
    soft[1, ..., 0], soft[1, ..., 2] = 0.0, 1.0
    _, _, out_masks, rec = MixUp(num_classes=K)(constant_batch(n, height, width), np.arange(n), masks=soft, rng=0, record=True)
    lam, partner = np.array(rec["params"]["lam"]), np.array(rec["params"]["partner"])
    expected = lam[:, None, None, None] * soft + (1 - lam[:, None, None, None]) * soft[partner]
    np.testing.assert_allclose(out_masks, expected, atol=1e-6)
    np.testing.assert_allclose(out_masks.sum(-1), 1.0, atol=1e-6)
    with pytest.raises(Exception, match=r"MixUp: blending mixes pixels, so target 'masks' must be soft"):
        MixUp(num_classes=K)(constant_batch(n, height, width), np.arange(n), masks=np.zeros((n, height, width), np.int64))


def test_mix_with_only_masks_returns_no_targets() -> None:
    _, targets, masks = CutMix()(constant_batch(2, 4, 4), masks=np.zeros((2, 4, 4), np.uint8), rng=0)
    assert targets is None and masks.shape == (2, 4, 4)


def test_config_and_immutability() -> None:
    mixer = Mix(cutmix_minmax=[0.2, 0.5], num_classes=K)
    data = mixer.to_dict()
    assert data["name"] == "Mix" and data["cutmix_minmax"] == [0.2, 0.5]
    json.dumps(data)
    assert Mix(**{k: v for k, v in data.items() if k != "name"}).to_dict() == data
    with pytest.raises(AttributeError, match="immutable"):
        mixer.prob = 0.3  # type: ignore[misc]
    assert mixer.with_params(prob=0.3).prob == 0.3  # type: ignore[attr-defined]
