"""CopyPaste: pasted pixels are the source's at the recorded place, occluded instances lose exactly the
pasted pixels (boxes refit, dropped past the thresholds), keypoints of pasted instances follow."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.image.functional import hflip, resize
from augkit.mix import CopyPaste
from augkit.samples import load_samples


def ellipse(shape: tuple[int, int], box: np.ndarray) -> np.ndarray:
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]]
    x0, y0, x1, y1 = box
    rx, ry = max((x1 - x0) / 2, 1.0), max((y1 - y0) / 2, 1.0)
    return ((xx + 0.5 - (x0 + x1) / 2) / rx) ** 2 + ((yy + 0.5 - (y0 + y1) / 2) / ry) ** 2 <= 1


def photo(name: str) -> dict[str, Any]:
    s = next(s for s in load_samples() if s.name == name)
    boxes = np.rint(s.bboxes).astype(np.float64)
    boxes[:, 2:] += boxes[:, :2]
    masks = [ellipse(s.image.shape[:2], b) for b in boxes]
    tight = np.array([[xs.min(), ys.min(), xs.max() + 1, ys.max() + 1] for ys, xs in (np.nonzero(m) for m in masks)], float)
    out: dict[str, Any] = {
        "image": s.image,
        "bboxes": tight,
        "labels": [f"{name}:{j}" for j in range(len(masks))],
        "masks": masks,
    }
    keypoints = s.keypoints[:, :2] if s.keypoints is not None else np.zeros((0, 2))
    out["keypoints"] = keypoints
    out["keypoint_labels"] = [f"{name}-kp{k}" for k in range(len(keypoints))]
    return out


def tight(mask: np.ndarray) -> list[float]:
    ys, xs = np.nonzero(mask)
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def split(out: dict[str, Any], target: dict[str, Any]) -> tuple[list[int], list[int]]:
    """Positions in the output of the surviving target instances and of the pasted ones."""
    names = set(target["labels"])
    own = [i for i, label in enumerate(out["labels"]) if label in names]
    pasted = [i for i, label in enumerate(out["labels"]) if label not in names]
    return own, pasted


@pytest.mark.parametrize("scale, flip", [(1.0, 0.0), (0.7, 1.0), (1.6, 0.0)])
def test_pasted_pixels_are_the_sources_at_the_recorded_place(scale: float, flip: float) -> None:
    target, source = photo("chelsea"), photo("astronaut")
    paste = CopyPaste(scale=scale, flip_prob=flip)
    for seed in range(3):
        out = paste([target, source], rng=seed, record=True)
        params = out["applied"]["params"]
        assert params["flip"] is bool(flip)
        new_h, new_w = params["size"]
        x, y = params["offset"]
        moved = resize(source["image"], new_h, new_w, "linear")
        if params["flip"]:
            moved = hflip(moved)
        own, pasted = split(out, target)
        chosen = [source["labels"][j] for j in params["pasted"]]
        got = [out["labels"][i] for i in pasted]
        assert got == [label for label in chosen if label in got]  # pasted labels follow their instances, in order
        assert [out["labels"][i] for i in own] == [label for label in target["labels"] if label in out["labels"]]
        union = np.zeros(target["image"].shape[:2], bool)
        for i in pasted:
            union |= out["masks"][i]
            ys, xs = np.nonzero(out["masks"][i])
            np.testing.assert_array_equal(out["image"][ys, xs], moved[ys - y, xs - x])
            assert out["bboxes"][i].tolist() == tight(out["masks"][i])  # boxes of pasted instances: tight to their masks
        np.testing.assert_array_equal(out["image"][~union], target["image"][~union])  # nothing else changed
        assert union.any()


def test_occluded_instances_lose_exactly_the_pasted_pixels() -> None:
    target, source = photo("coffee"), photo("astronaut")
    paste = CopyPaste(scale=(0.5, 1.0))
    seen_occluded = 0
    for seed in range(8):
        out = paste([target, source], rng=seed, record=True)
        own, pasted = split(out, target)
        union = np.zeros(target["image"].shape[:2], bool)
        for i in pasted:
            union |= out["masks"][i]
        for i in own:
            j = target["labels"].index(out["labels"][i])
            expected = target["masks"][j] & ~union
            np.testing.assert_array_equal(out["masks"][i], expected)
            if expected.sum() < target["masks"][j].sum():
                seen_occluded += 1
                np.testing.assert_array_equal(out["bboxes"][i], tight(expected))  # refit to what remains
            else:
                np.testing.assert_array_equal(out["bboxes"][i], target["bboxes"][j])
        for j, label in enumerate(target["labels"]):  # dropped only when nothing remains (the default)
            if label not in out["labels"]:
                assert not (target["masks"][j] & ~union).any()
    assert seen_occluded >= 3


def test_occlusion_thresholds_drop_instances() -> None:
    image = np.zeros((40, 40), np.uint8)
    left = np.zeros((40, 40), bool)
    left[:, :20] = True  # the source covers columns 0..29: the target's left half entirely, the right half by 10
    right = np.zeros((40, 40), bool)
    right[:, 20:] = True
    tiny = np.zeros((40, 40), bool)
    tiny[38:, 38:] = True  # untouched: never dropped, whatever the thresholds
    target = {
        "image": image,
        "masks": [left, right, tiny],
        "bboxes": [[0, 0, 20, 40], [20, 0, 40, 40], [38, 38, 40, 40]],
        "labels": [0, 1, 2],
    }
    cover = np.zeros((40, 40), bool)
    cover[:, :30] = True
    source = {"image": np.full((40, 40), 200, np.uint8), "masks": [cover], "bboxes": [[0, 0, 30, 40]], "labels": [9]}
    exact = CopyPaste(scale=1.0, flip_prob=0.0)
    out = exact([target, source], rng=0)
    assert out["labels"] == [1, 2, 9]  # the left half is fully occluded
    assert out["bboxes"][0].tolist() == [30.0, 0.0, 40.0, 40.0] and out["bboxes"][1].tolist() == [38.0, 38.0, 40.0, 40.0]
    assert (out["image"][:, :30] == 200).all() and (out["image"][:, 30:] == 0).all()
    assert exact.with_params(min_visible_fraction=0.6)([target, source], rng=0)["labels"] == [2, 9]  # keeps 0.5 < 0.6
    assert exact.with_params(min_visible_fraction=0.5)([target, source], rng=0)["labels"] == [1, 2, 9]
    assert exact.with_params(min_area=401)([target, source], rng=0)["labels"] == [2, 9]  # keeps 400 pixels
    assert exact.with_params(min_area=400)([target, source], rng=0)["labels"] == [1, 2, 9]


def test_keypoints_of_pasted_instances_follow() -> None:
    target, source = photo("coffee"), photo("chelsea")  # the cat's eyes and nose lie on its mask
    paste = CopyPaste(scale=1.0, flip_prob=0.0)
    found = 0
    for seed in range(6):
        out = paste([target, source], rng=seed, record=True)
        x, y = out["applied"]["params"]["offset"]
        chosen = out["applied"]["params"]["pasted"]
        assert len(out["keypoints"]) == len(out["keypoint_labels"])
        for (kx, ky), label in zip(out["keypoints"], out["keypoint_labels"], strict=True):
            k = int(label.split("kp")[1])
            sx, sy = source["keypoints"][k]
            assert kx == pytest.approx(sx + x) and ky == pytest.approx(sy + y)
            if 0 <= kx < out["image"].shape[1] and 0 <= ky < out["image"].shape[0]:
                found += 1
                owners = [j for j in chosen if source["masks"][j][round(sy), round(sx)]]
                assert owners, "a keypoint came along without an instance holding it"
        # the source keypoints of instances that were not pasted stay behind
        points = np.rint(source["keypoints"]).astype(int)
        expected = {k for k, (sx, sy) in enumerate(points) if any(source["masks"][j][sy, sx] for j in chosen)}
        assert {int(label.split("kp")[1]) for label in out["keypoint_labels"]} == expected
    assert found > 0


def test_flipped_keypoints_follow_the_mirrored_pixels() -> None:
    rng = np.random.default_rng(0)
    source_image = rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)
    source = {"image": source_image, "masks": [np.ones((30, 40), bool)], "keypoints": [[3.0, 7.0]]}
    target = {"image": np.zeros((60, 80, 3), np.uint8), "masks": [np.zeros((60, 80), bool)], "keypoints": np.zeros((0, 2))}
    offsets = set()
    for seed in range(4):
        out = CopyPaste(scale=1.0, flip_prob=1.0)([target, source], rng=seed, record=True)
        x, y = out["applied"]["params"]["offset"]
        offsets.add((x, y))
        ((kx, ky),) = out["keypoints"]
        assert (kx, ky) == (x + 36.0, y + 7.0)  # mirrored within the pasted 40-pixel-wide source
        np.testing.assert_array_equal(out["image"][int(ky), int(kx)], source_image[7, 3])
    assert len(offsets) > 1 and any(x > 0 for x, _ in offsets)


def test_semantic_mask_and_blending() -> None:
    target = {
        "image": np.zeros((50, 50, 3), np.float32),
        "masks": [np.zeros((50, 50), bool)],
        "mask": np.zeros((50, 50), np.uint8),
    }
    block = np.zeros((50, 50), bool)
    block[10:40, 10:40] = True
    source = {"image": np.ones((50, 50, 3), np.float32), "masks": [block], "mask": block.astype(np.uint8) * 5}
    out = CopyPaste(scale=1.0, flip_prob=0.0, blend_sigma=2.0)([target, source], rng=0, record=True)
    x, y = out["applied"]["params"]["offset"]
    assert (x, y) == (0, 0)
    assert (out["mask"] == 5).sum() == 900 and (out["mask"][block] == 5).all()
    assert np.allclose(out["image"][20:30, 20:30], 1.0, atol=1e-3) and np.allclose(out["image"][:3, :3], 0.0)
    assert 0.2 < out["image"][25, 10, 0] < 0.8  # the edge is blended
    hard = CopyPaste(scale=1.0, flip_prob=0.0)([target, source], rng=0)
    assert set(np.unique(hard["image"]).tolist()) == {0.0, 1.0}


def test_seeds_replay_and_records() -> None:
    target, source = photo("chelsea"), photo("coffee")
    paste = CopyPaste()
    first = paste([target, source], rng=np.random.default_rng(5), record=True)
    second = paste([target, source], rng=np.random.default_rng(5))
    record = json.loads(json.dumps(first["applied"], allow_nan=False))
    again = paste.replay(record, [target, source])
    for out in (second, again):
        np.testing.assert_array_equal(out["image"], first["image"])
        np.testing.assert_array_equal(out["bboxes"], first["bboxes"])
        assert out["labels"] == first["labels"]
        assert all((a == b).all() for a, b in zip(out["masks"], first["masks"], strict=True))
    assert all(out_mask.dtype == np.bool_ for out_mask in first["masks"])
    assert not any(np.shares_memory(m, t) for m in first["masks"] for t in target["masks"])
    draws = {json.dumps(paste([target, source], rng=s, record=True)["applied"]) for s in range(6)}
    assert len(draws) == 6


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_dtypes_and_channels(dtype: str) -> None:
    mask = np.zeros((20, 20), bool)
    mask[5:15, 5:15] = True
    samples = [{"image": np.full((20, 20, 4), i, dtype), "masks": [mask]} for i in (1, 2)]
    out = CopyPaste(scale=1.0, flip_prob=0.0)(samples, rng=0)
    assert out["image"].dtype == np.dtype(dtype) and out["image"].shape == (20, 20, 4)
    assert (out["image"][mask] == 2).all() and (out["image"][~mask] == 1).all()
    assert len(out["masks"]) == 1  # the target's only instance is fully covered


def test_errors() -> None:
    target, source = photo("chelsea"), photo("coffee")
    without = {k: v for k, v in target.items() if k != "masks"}
    with pytest.raises(ak.TargetError, match=r"^CopyPaste: target 'masks' is required in every sample"):
        CopyPaste()([without, {k: v for k, v in source.items() if k != "masks"}])
    with pytest.raises(ak.TargetError, match=r"^CopyPaste: sample 1 lacks target 'masks'"):
        CopyPaste()([target, {k: v for k, v in source.items() if k != "masks"}])
    with pytest.raises(
        ak.TargetError, match=r"^CopyPaste: sample 1: target 'masks' expects one instance mask per box; got 2 masks for 3"
    ):
        CopyPaste()([target, {**source, "masks": source["masks"][:2]}])
    with pytest.raises(ak.TargetTypeError, match=r"^CopyPaste: sample 1 has an image of dtype uint16; sample 0 has uint8"):
        CopyPaste()([target, {**source, "image": source["image"].astype(np.uint16)}])
    with pytest.raises(ak.TargetError, match=r"^CopyPaste: expects 2 samples; got 3"):
        CopyPaste()([target, source, source])
    with pytest.raises(ak.ArgumentError, match=r"^CopyPaste: argument 'max_pasted' expects an integer >= 1; got 0"):
        CopyPaste(max_pasted=0)
    with pytest.raises(ak.ArgumentError, match=r"^CopyPaste: argument 'scale' expects"):
        CopyPaste(scale=(2.0, 0.1))


def test_empty_source_pastes_nothing() -> None:
    target = photo("coffee")
    empty = {
        "image": target["image"][:50, :60].copy(),
        "masks": np.zeros((0, 50, 60), bool),
        "bboxes": np.zeros((0, 4)),
        "labels": [],
        "keypoints": np.zeros((0, 2)),
        "keypoint_labels": [],
    }
    out = CopyPaste()([target, empty], rng=0, record=True)
    assert out["applied"]["params"]["pasted"] == []
    np.testing.assert_array_equal(out["image"], target["image"])
    np.testing.assert_array_equal(out["bboxes"], target["bboxes"])
    assert out["labels"] == target["labels"] and len(out["masks"]) == len(target["masks"])
