"""Containers, seeding and replay through nested pipelines."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import augkit as ak

IMAGE = (np.arange(6 * 8 * 3) % 251).astype(np.uint8).reshape(6, 8, 3)


def flips() -> list[ak.BaseTransform]:
    return [ak.image.HorizontalFlip(p=1.0), ak.image.VerticalFlip(p=1.0), ak.image.Transpose(p=1.0)]


def applied_names(out: dict) -> list[str]:
    return [entry["name"] for entry in out["applied"] if entry["applied"]]


def test_compose_applies_in_order() -> None:
    out = ak.Compose([ak.image.HorizontalFlip(p=1.0), ak.image.Transpose(p=1.0)])(image=IMAGE, rng=0)
    np.testing.assert_array_equal(out["image"], IMAGE[:, ::-1].transpose(1, 0, 2))


def test_one_of_runs_exactly_one_child_and_all_get_chosen() -> None:
    pipe = ak.OneOf(flips())
    chosen = set()
    for seed in range(40):
        names = applied_names(pipe(image=IMAGE, rng=seed, record=True))
        assert len(names) == 1
        chosen.add(names[0])
    assert chosen == {"HorizontalFlip", "VerticalFlip", "Transpose"}


def test_one_of_weights_are_respected() -> None:
    pipe = ak.OneOf(flips(), weights=[0, 1, 0])
    for seed in range(20):
        assert applied_names(pipe(image=IMAGE, rng=seed, record=True)) == ["VerticalFlip"]


def test_some_of_runs_n_distinct_children_in_order() -> None:
    pipe = ak.SomeOf(flips(), n=2)
    for seed in range(30):
        record = pipe(image=IMAGE, rng=seed, record=True)["applied"]
        paths = [entry["path"][0] for entry in record]
        assert len(paths) == 2 and paths == sorted(paths) and len(set(paths)) == 2


def test_some_of_range_and_too_many() -> None:
    counts = {len(ak.SomeOf(flips(), n=(0, 3))(image=IMAGE, rng=s, record=True)["applied"]) for s in range(60)}
    assert counts == {0, 1, 2, 3}
    with pytest.raises(ak.ArgumentError, match="SomeOf: argument 'n' expects at most 3"):
        ak.SomeOf(flips(), n=4)


def test_random_order_draws_different_orders() -> None:
    pipe = ak.RandomOrder(flips())
    orders = {tuple(e["path"][0] for e in pipe(image=IMAGE, rng=s, record=True)["applied"]) for s in range(40)}
    assert len(orders) >= 4 and all(sorted(order) == [0, 1, 2] for order in orders)


def test_random_apply_is_all_or_nothing() -> None:
    pipe = ak.RandomApply(flips(), p=0.5)
    sizes = {len(applied_names(pipe(image=IMAGE, rng=s, record=True))) for s in range(30)}
    assert sizes == {0, 3}


def test_skipped_transforms_are_visible_in_the_record() -> None:
    out = ak.Compose([ak.image.HorizontalFlip(p=0.0), ak.image.VerticalFlip(p=1.0)])(image=IMAGE, rng=0, record=True)
    assert out["applied"][0] == {"name": "HorizontalFlip", "path": [0], "applied": False, "params": {}}
    assert out["applied"][1]["applied"] is True and out["applied"][1]["shape_out"] == [6, 8]


def test_nested_replay_is_bit_exact() -> None:
    pipe = ak.Compose(
        [
            ak.OneOf([ak.image.RandomCrop(4, 4), ak.image.CenterCrop(5, 5)]),
            ak.SomeOf(
                [ak.image.RandomRotate90(), ak.image.HorizontalFlip(p=1.0), ak.image.RandomBrightnessContrast(p=1.0)],
                n=(1, 3),
            ),
            ak.RandomOrder([ak.Sequential(flips()), ak.image.Resize(7, 9)]),
        ],
        seed=3,
    )
    for _ in range(20):
        out = pipe(image=IMAGE, record=True)
        again = pipe.replay(json.loads(json.dumps(out["applied"])), image=IMAGE)
        np.testing.assert_array_equal(again["image"], out["image"])


def test_replay_rejects_a_record_of_another_pipeline() -> None:
    record = ak.Compose([ak.image.HorizontalFlip(p=1.0)])(image=IMAGE, rng=0, record=True)["applied"]
    with pytest.raises(ak.TargetError, match="names 'HorizontalFlip' but the pipeline has 'VerticalFlip'"):
        ak.Compose([ak.image.VerticalFlip(p=1.0)]).replay(record, image=IMAGE)
    with pytest.raises(ak.TargetError, match="not in this pipeline"):
        ak.Compose([]).replay(record, image=IMAGE)


def test_seeded_compose_is_a_reproducible_sequence() -> None:
    def run() -> list[bytes]:
        pipe = ak.Compose([ak.image.RandomCrop(4, 5), ak.image.HorizontalFlip()], seed=11)
        return [pipe(image=IMAGE)["image"].tobytes() for _ in range(10)]

    first = run()
    assert first == run() and len(set(first)) > 1


def test_rng_at_call_time_bypasses_the_pipeline_generator() -> None:
    pipe = ak.Compose([ak.image.RandomCrop(4, 5)], seed=1)
    a = pipe(image=IMAGE, rng=np.random.default_rng(9))["image"]
    pipe(image=IMAGE)
    b = pipe(image=IMAGE, rng=np.random.default_rng(9))["image"]
    np.testing.assert_array_equal(a, b)


def test_per_sample_seeding_does_not_depend_on_worker_count_or_order() -> None:
    pipe = ak.Compose([ak.image.RandomCrop(4, 5), ak.image.RandomBrightnessContrast(p=1.0), ak.image.RandomRotate90()])
    images = [np.roll(IMAGE, i, axis=1) for i in range(16)]

    def augment(index: int) -> bytes:
        return pipe(image=images[index], rng=ak.rng_for(seed=5, epoch=2, index=index))["image"].tobytes()

    serial = [augment(i) for i in range(16)]
    for workers in (2, 4):
        with ThreadPoolExecutor(workers) as pool:
            assert list(pool.map(augment, range(16))) == serial
    assert [augment(i) for i in reversed(range(16))] == serial[::-1]


def test_epochs_give_different_draws() -> None:
    draws = {ak.rng_for(1, epoch, 0).random() for epoch in range(5)}
    assert len(draws) == 5
    with pytest.raises(ak.ArgumentError, match="rng_for: argument 'index' expects an integer >= 0"):
        ak.rng_for(1, 0, -1)


def test_bad_rng_argument() -> None:
    with pytest.raises(ak.ArgumentError, match=r"argument 'rng' expects a numpy\.random\.Generator"):
        ak.image.HorizontalFlip()(image=IMAGE, rng="seed")


def test_containers_reject_non_transforms() -> None:
    with pytest.raises(ak.ArgumentError, match=r"Compose: argument 'transforms' item 1 expects an augkit transform; got"):
        ak.Compose([ak.image.HorizontalFlip(), lambda x: x])
    with pytest.raises(ak.ArgumentError, match="expects a list of transforms"):
        ak.Compose(ak.image.HorizontalFlip())


def test_range_argument_single_value_means_exactly_that() -> None:
    t = ak.image.RandomBrightnessContrast(brightness=0.1, contrast=0.0, p=1.0)
    assert t.brightness == (0.1, 0.1)
    out = t(image=np.full((2, 2), 100, np.uint8), rng=0, record=True)
    assert out["applied"][0]["params"] == {"alpha": 1.0, "beta": 0.1}
    assert out["image"].tolist() == [[126, 126], [126, 126]]


def test_replay_with_damaged_params_is_a_clear_error() -> None:
    record = [{"name": "RandomCrop", "path": [0], "applied": True, "params": {"x_min": 0}}]
    with pytest.raises(ak.TargetError, match=r"record 0 \(RandomCrop\) has params that do not fit the transform: KeyError"):
        ak.Compose([ak.image.RandomCrop(2, 2)]).replay(record, image=IMAGE)
