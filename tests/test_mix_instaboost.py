"""InstaBoost: moved masks and recomputed boxes agree, the background is inpainted only where an
object left, pixels change only there and where objects landed, keypoints follow, records replay."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.mix import InstaBoost
from augkit.samples import load_samples


def ellipse(shape: tuple[int, int], box: np.ndarray) -> np.ndarray:
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]]
    x0, y0, x1, y1 = box
    rx, ry = max((x1 - x0) / 2, 1.0), max((y1 - y0) / 2, 1.0)
    return ((xx + 0.5 - (x0 + x1) / 2) / rx) ** 2 + ((yy + 0.5 - (y0 + y1) / 2) / ry) ** 2 <= 1


def tight(mask: np.ndarray) -> list[float]:
    ys, xs = np.nonzero(mask)
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def photo(name: str) -> dict[str, Any]:
    s = next(s for s in load_samples() if s.name == name)
    boxes = np.rint(s.bboxes).astype(np.float64)
    boxes[:, 2:] += boxes[:, :2]
    masks = [ellipse(s.image.shape[:2], b) for b in boxes]
    return {"image": s.image, "masks": masks, "bboxes": np.array([tight(m) for m in masks]), "labels": list(range(len(masks)))}


def scene() -> dict[str, Any]:
    """Two bright objects on a smooth dark background, apart from each other."""
    yy, xx = np.mgrid[0:80, 0:120]
    image = np.stack([20 + xx // 4, 30 + yy // 4, np.full_like(xx, 40)], axis=2).astype(np.uint8)
    first = np.zeros((80, 120), bool)
    first[10:30, 15:40] = True
    second = ellipse((80, 120), np.array([70.0, 40.0, 100.0, 70.0]))
    image[first] = (250, 10, 10)
    image[second] = (10, 250, 10)
    return {"image": image, "masks": [first, second], "bboxes": np.array([tight(first), tight(second)]), "labels": ["a", "b"]}


JITTER = InstaBoost(scale=(0.7, 1.3), translate=(-0.4, 0.4), rotate=(-20, 20), flip_prob=0.5, p=1.0)


def test_masks_and_boxes_agree() -> None:
    for name in ("coffee", "astronaut", "rocket"):
        sample = photo(name)
        for seed in range(4):
            out = JITTER(rng=seed, **sample)
            assert len(out["bboxes"]) == len(out["labels"])
            for box, label in zip(out["bboxes"], out["labels"], strict=True):
                assert out["masks"][label].any()
                assert box.tolist() == tight(out["masks"][label]), (name, seed, label)
            for label in set(sample["labels"]) - set(out["labels"]):  # dropped: the object left or was covered
                assert not out["masks"][label].any()


def test_pixels_change_only_where_objects_left_or_landed() -> None:
    sample = scene()
    for seed in range(6):
        out = JITTER(rng=seed, record=True, **sample)
        left = sample["masks"][0] | sample["masks"][1]
        landed = out["masks"][0] | out["masks"][1]
        changed = (out["image"] != sample["image"]).any(axis=2)
        assert not (changed & ~left & ~landed).any()
        # the holes left behind are inpainted from the dark background, not the bright objects
        hole = left & ~landed
        assert hole.any()
        assert (out["image"][hole].max(axis=1) < 150).all()
        assert changed[hole].mean() > 0.95
        # where an object landed, it shows its own colour (inside, away from interpolated edges)
        for label, colour in ((0, 0), (1, 1)):
            core = out["masks"][label].copy()
            core[1:-1, 1:-1] &= core[:-2, 1:-1] & core[2:, 1:-1] & core[1:-1, :-2] & core[1:-1, 2:]
            assert (out["image"][core][:, colour] > 200).mean() > 0.9


def test_overlapping_objects_move_as_one_group() -> None:
    image = np.zeros((60, 60), np.uint8)
    a = np.zeros((60, 60), bool)
    a[10:30, 10:30] = True
    b = np.zeros((60, 60), bool)
    b[25:40, 25:40] = True  # overlaps a's box
    c = np.zeros((60, 60), bool)
    c[45:55, 45:55] = True
    out = InstaBoost(scale=1.0, rotate=0.0, translate=(0.1, 0.2), p=1.0)(image=image, masks=[a, b & ~a, c], rng=0, record=True)
    groups = out["applied"][0]["params"]["groups"]
    assert [g["members"] for g in groups] == [[0, 1], [2]]
    # pure shifts: the group [0, 1] moves by (0.1..0.2) * 30 px, c by (0.1..0.2) * 10 px, each as one piece
    shift_a = np.subtract(tight(out["masks"][0]), tight(a))
    shift_b = np.subtract(tight(out["masks"][1]), tight(b & ~a))
    np.testing.assert_array_equal(shift_a, shift_b)
    assert int(out["masks"][0].sum()) == int(a.sum()) and int(out["masks"][2].sum()) == int(c.sum())


def test_a_group_landing_later_covers_an_earlier_one() -> None:
    image = np.zeros((80, 80), np.uint8)
    small = np.zeros((80, 80), bool)
    small[30:40, 30:40] = True
    large = np.zeros((80, 80), bool)
    large[30:60, 42:72] = True  # separate box; shifted by -15 px it lands over the small one's new place
    image[small], image[large] = 100, 200
    t = InstaBoost(scale=1.0, rotate=0.0, translate=-0.5, interpolation="nearest", p=1.0)
    out = t(image=image, masks=[small, large], bboxes=[tight(small), tight(large)], labels=[0, 1], rng=0)
    assert out["bboxes"].tolist() == [[25.0, 25.0, 27.0, 35.0], [27.0, 15.0, 57.0, 45.0]]
    assert int(out["masks"][0].sum()) == 20 and (out["image"][out["masks"][0]] == 100).all()
    assert (out["image"][25:35, 27:35] == 200).all()


def test_keypoints_follow_their_object() -> None:
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    mask = np.zeros((60, 80), bool)
    mask[20:40, 20:40] = True
    points = [[25.0, 22.0], [33.0, 35.0], [5.0, 5.0]]  # two on the object, one on the background
    t = InstaBoost(scale=1.0, rotate=0.0, translate=0.25, interpolation="nearest", p=1.0)
    out = t(image=image, masks=[mask], bboxes=[[20, 20, 40, 40]], labels=[1], keypoints=points, rng=0)
    np.testing.assert_allclose(out["keypoints"], [[30.0, 27.0], [38.0, 40.0], [5.0, 5.0]])
    assert out["bboxes"].tolist() == [[25.0, 25.0, 45.0, 45.0]]
    np.testing.assert_array_equal(out["image"][27, 30], image[22, 25])
    np.testing.assert_array_equal(out["image"][40, 38], image[35, 33])
    # rotated and flipped: keypoints still land on the pixels that carried them
    t = InstaBoost(scale=1.0, rotate=90.0, translate=0.0, flip_prob=1.0, interpolation="nearest", p=1.0)
    out = t(image=image, masks=[mask], keypoints=points[:2], rng=0)
    for (x, y), (sx, sy) in zip(out["keypoints"], points[:2], strict=True):
        np.testing.assert_array_equal(out["image"][round(y), round(x)], image[int(sy), int(sx)])


def test_objects_that_leave_the_image_lose_their_boxes_and_masks() -> None:
    image = np.zeros((40, 40), np.uint8)
    mask = np.zeros((40, 40), bool)
    mask[10:20, 30:40] = True  # at the right border: shifting right by its own width leaves the image
    pipe = ak.Compose([InstaBoost(scale=1.0, rotate=0.0, translate=1.0, p=1.0)], bind_masks_to_boxes=True)
    out = pipe(image=image, masks=[mask], bboxes=[[30, 10, 40, 20]], labels=[1], rng=0)
    assert out["bboxes"].shape == (0, 4) and out["labels"] == [] and len(out["masks"]) == 0


def test_label_mask_gives_the_objects() -> None:
    sample = scene()
    labels = np.zeros((80, 120), np.uint8)
    labels[sample["masks"][0]] = 3
    labels[sample["masks"][1]] = 7
    out = JITTER(image=sample["image"], mask=labels, bboxes=sample["bboxes"], labels=sample["labels"], rng=1)
    for box, value in zip(out["bboxes"], (3, 7), strict=True):
        assert box.tolist() == tight(out["mask"] == value)
    with_instances = JITTER(rng=1, **sample)
    np.testing.assert_array_equal(with_instances["image"], out["image"])


def test_seeds_replay_and_strict_json_records() -> None:
    sample = photo("coffee")
    first = JITTER(rng=np.random.default_rng(3), record=True, **sample)
    second = JITTER(rng=np.random.default_rng(3), **sample)
    record = json.loads(json.dumps(first["applied"], allow_nan=False))
    again = JITTER.replay(record, **sample)
    image_only = JITTER.replay(record, image=sample["image"])  # the params carry the objects
    for out in (second, again):
        np.testing.assert_array_equal(out["image"], first["image"])
        np.testing.assert_array_equal(out["bboxes"], first["bboxes"])
        assert all((a == b).all() for a, b in zip(out["masks"], first["masks"], strict=True))
    np.testing.assert_array_equal(image_only["image"], first["image"])
    other = JITTER(rng=4, **sample)
    assert other["image"].tobytes() != first["image"].tobytes()
    assert not np.shares_memory(first["masks"][0], sample["masks"][0])
    skipped = JITTER.with_params(p=0.0)(rng=0, **sample)
    np.testing.assert_array_equal(skipped["image"], sample["image"])


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("channels", [(), (1,), (4,)])
def test_dtypes_and_channels(dtype: str, channels: tuple[int, ...]) -> None:
    sample = scene()
    base = sample["image"][:, :, :1].repeat(4, axis=2)[:, :, : channels[0]] if channels else sample["image"][:, :, 0]
    scale = {"uint8": 1, "uint16": 257, "float32": 1 / 255}[dtype]
    image = (base.astype(np.float64) * scale).astype(dtype)
    out = JITTER(image=image, masks=sample["masks"], rng=2)
    assert out["image"].dtype == image.dtype and out["image"].shape == image.shape
    left = (sample["masks"][0] | sample["masks"][1]) & ~(out["masks"][0] | out["masks"][1])
    changed = out["image"] != image
    assert changed[left].any()


def test_errors() -> None:
    image = np.zeros((20, 20, 3), np.uint8)
    with pytest.raises(
        ak.TargetError, match=r"^InstaBoost: target 'masks' \(H x W instance masks\) or a label mask 'mask' is required"
    ):
        InstaBoost(p=1.0)(image=image, rng=0)
    with pytest.raises(ak.TargetError, match=r"^InstaBoost: target 'masks' item 0 expects an H x W instance mask; got shape"):
        InstaBoost(p=1.0)(image=image, masks=[np.zeros((20, 20, 2), np.uint8)], rng=0)
    with pytest.raises(ak.TargetError, match=r"^InstaBoost: target 'masks' expects one instance mask per box"):
        InstaBoost(p=1.0)(image=image, masks=[np.ones((20, 20), bool)], bboxes=[[0, 0, 5, 5], [5, 5, 9, 9]], labels=[0, 1], rng=0)
    with pytest.raises(ak.ArgumentError, match=r"^InstaBoost: argument 'inpaint_method' expects one of 'telea', 'ns'"):
        InstaBoost(inpaint_method="fast")
    with pytest.raises(ak.ArgumentError, match=r"^InstaBoost: unknown argument 'rotation'. Did you mean 'rotate'"):
        InstaBoost(rotation=3)
