"""Crops, bbox-aware crops and SquareSymmetry against numpy slicing and independent references."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import augkit as ak
from augkit.image.bbox_crops import BBoxSafeRandomCrop, RandomCropNearBBox, RandomIoUCrop, RandomSizedBBoxSafeCrop
from augkit.image.crops import Crop, CropNonEmptyMaskIfExists, RandomResizedCrop
from augkit.image.geometric import SYMMETRIES, SquareSymmetry

H, W = 37, 53  # odd, non-square


def make(dtype: str = "uint8", layout: tuple[int, ...] = (3,), height: int = H, width: int = W, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (height, width, *layout)
    if dtype == "float32":
        return rng.random(shape, dtype=np.float32)
    top = 255 if dtype == "uint8" else 65535
    return rng.integers(0, top + 1, size=shape).astype(dtype)


def random_boxes(rng: np.random.Generator, count: int, height: int = H, width: int = W) -> np.ndarray:
    corners = rng.random((count, 4)) * [width, height, width, height]
    boxes = np.concatenate([np.minimum(corners[:, :2], corners[:, 2:]), np.maximum(corners[:, :2], corners[:, 2:])], 1)
    boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2] + 0.5)
    return np.minimum(boxes, [width, height, width, height])


def window_of(out: dict) -> tuple[int, int, int, int]:
    params = out["applied"][0]["params"]
    return params["x_min"], params["y_min"], params["x_max"], params["y_max"]


def iou(boxes: np.ndarray, win: tuple[int, int, int, int]) -> np.ndarray:
    x1, y1, x2, y2 = win
    inter = np.clip(np.minimum(boxes[:, 2], x2) - np.maximum(boxes[:, 0], x1), 0, None) * np.clip(
        np.minimum(boxes[:, 3], y2) - np.maximum(boxes[:, 1], y1), 0, None
    )
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / (areas + (x2 - x1) * (y2 - y1) - inter)


# ---------------------------------------------------------------------------------------------- Crop


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("layout", [(), (1,), (3,), (7,)])
def test_crop_is_numpy_slicing(dtype: str, layout: tuple[int, ...]) -> None:
    image, mask = make(dtype, layout), make("uint8", (), seed=1)
    boxes = np.array([[10.0, 8.0, 30.0, 20.0], [0.0, 0.0, 5.0, 5.0]])
    points = np.array([[12.0, 9.0], [40.0, 30.0]])
    out = Crop(7, 3, 41, 29)(image=image, mask=mask, bboxes=boxes, labels=[1, 2], keypoints=points)
    np.testing.assert_array_equal(out["image"], image[3:29, 7:41])
    np.testing.assert_array_equal(out["mask"], mask[3:29, 7:41])
    np.testing.assert_allclose(out["bboxes"], [[3.0, 5.0, 23.0, 17.0]])  # the second box leaves the window
    assert out["labels"] == [1]
    np.testing.assert_allclose(out["keypoints"], points - [7, 3])
    frames = np.stack([make(dtype, layout, seed=s) for s in range(3)])
    np.testing.assert_array_equal(Crop(7, 3, 41, 29)(images=frames)["images"], frames[:, 3:29, 7:41])


def test_crop_pads_past_the_border_only_when_asked() -> None:
    image, mask = make("uint8", (3,)), make("uint8", (), seed=1)
    with pytest.raises(ak.TargetError, match=r"^Crop: the window .* leaves the image .*pad_if_needed"):
        Crop(40, 30, 60, 45)(image=image)
    out = Crop(40, 30, 60, 45, pad_if_needed=True, fill=(1, 2, 3), fill_mask=9)(
        image=image, mask=mask, bboxes=[[45.0, 32.0, 53.0, 37.0]], labels=[4]
    )
    expected = np.empty((15, 20, 3), np.uint8)
    expected[:] = (1, 2, 3)
    expected[:7, :13] = image[30:, 40:]
    np.testing.assert_array_equal(out["image"], expected)
    expected_mask = np.full((15, 20), 9, np.uint8)
    expected_mask[:7, :13] = mask[30:, 40:]
    np.testing.assert_array_equal(out["mask"], expected_mask)
    np.testing.assert_allclose(out["bboxes"], [[5.0, 2.0, 13.0, 7.0]])
    frames = np.stack([image, image[::-1].copy()])
    padded = Crop(40, 30, 60, 45, pad_if_needed=True, fill=(1, 2, 3))(images=frames)["images"]
    np.testing.assert_array_equal(padded[0], expected)
    with pytest.raises(ak.TargetError, match="fill"):
        Crop(40, 30, 60, 45, pad_if_needed=True, fill=(1, 2))(image=image)


def test_random_and_center_crop_are_windows() -> None:
    image = make()
    out = ak.image.RandomCrop(10, 12)(image=image, rng=3, record=True)
    x1, y1, x2, y2 = window_of(out)
    assert (x2 - x1, y2 - y1) == (12, 10)
    np.testing.assert_array_equal(out["image"], image[y1:y2, x1:x2])
    np.testing.assert_array_equal(ak.image.CenterCrop(10, 12)(image=image)["image"], image[13:23, 20:32])


# ------------------------------------------------------------------------------- RandomResizedCrop


def test_random_resized_crop_window_is_within_scale_and_ratio() -> None:
    height, width, area = 120, 160, 120 * 160
    t = RandomResizedCrop(30, 40, scale=(0.2, 0.7), ratio=(0.5, 1.5))
    image = make(height=height, width=width)
    shapes = set()
    for seed in range(300):
        x1, y1, x2, y2 = window_of(t(image=image, rng=seed, record=True))
        w, h = x2 - x1, y2 - y1
        assert x1 >= 0 and y1 >= 0 and x2 <= width and y2 <= height
        # w and h are rounded from real values whose area and ratio lie in the ranges
        assert (w - 0.5) * (h - 0.5) <= 0.7 * area and (w + 0.5) * (h + 0.5) >= 0.2 * area, (w, h)
        assert (w - 0.5) / (h + 0.5) <= 1.5 and (w + 0.5) / (h - 0.5) >= 0.5, (w, h)
        shapes.add((w, h))
    assert len(shapes) > 100


def test_random_resized_crop_falls_back_to_the_clamped_central_crop() -> None:
    image = make(height=50, width=50)
    out = RandomResizedCrop(10, 10, scale=1.0, ratio=(2.0, 3.0))(image=image, rng=0, record=True)
    assert window_of(out) == (0, 12, 50, 37)  # full width, height 50 / 2, centred
    wide = make(height=20, width=90)
    out = RandomResizedCrop(10, 10, scale=1.0, ratio=(0.5, 2.0))(image=wide, rng=0, record=True)
    assert window_of(out) == (25, 0, 65, 20)  # full height, width 20 * 2, centred


@pytest.mark.parametrize("seed", range(5))
def test_random_resized_crop_matches_manual_crop_and_resize(seed: int) -> None:
    image, mask = make("uint8", (3,)), make("uint8", (), seed=2)
    boxes = np.array([[5.0, 4.0, 40.0, 30.0]])
    points = np.array([[20.0, 15.0, 0.0, 1.0]])
    t = ak.Compose([RandomResizedCrop(24, 20, scale=(0.3, 0.9))], keypoint_format="xyas")
    out = t(image=image, mask=mask, bboxes=boxes, labels=[1], keypoints=points, rng=seed, record=True)
    x1, y1, x2, y2 = window_of(out)
    np.testing.assert_array_equal(out["image"], cv2.resize(image[y1:y2, x1:x2], (20, 24), interpolation=cv2.INTER_LINEAR))
    np.testing.assert_array_equal(out["mask"], cv2.resize(mask[y1:y2, x1:x2], (20, 24), interpolation=cv2.INTER_NEAREST_EXACT))
    sx, sy = 20 / (x2 - x1), 24 / (y2 - y1)
    expected = np.clip((boxes - [x1, y1, x1, y1]) * [sx, sy, sx, sy], 0, [20, 24, 20, 24])
    np.testing.assert_allclose(out["bboxes"], expected)
    np.testing.assert_allclose(out["keypoints"][0, :2], [(20 - x1 + 0.5) * sx - 0.5, (15 - y1 + 0.5) * sy - 0.5])
    replayed = t.replay(out["applied"], image=image, mask=mask, bboxes=boxes, labels=[1], keypoints=points)
    np.testing.assert_array_equal(replayed["image"], out["image"])


# ------------------------------------------------------------------------------ bbox-safe crops


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 6),
    height=st.integers(8, 90),
    width=st.integers(8, 90),
)
def test_bbox_safe_crops_contain_every_box(seed: int, count: int, height: int, width: int) -> None:
    rng = np.random.default_rng(seed)
    boxes = random_boxes(rng, count, height, width)
    image = make(height=height, width=width, seed=seed % 7)
    labels = list(range(count))
    safe = BBoxSafeRandomCrop()(image=image, bboxes=boxes, labels=labels, rng=seed, record=True)
    x1, y1, x2, y2 = window_of(safe)
    assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
    assert (x1 <= boxes[:, 0]).all() and (y1 <= boxes[:, 1]).all()
    assert (boxes[:, 2] <= x2).all() and (boxes[:, 3] <= y2).all()
    assert safe["labels"] == labels
    np.testing.assert_allclose(safe["bboxes"], boxes - [x1, y1, x1, y1])
    np.testing.assert_array_equal(safe["image"], image[y1:y2, x1:x2])
    sized = RandomSizedBBoxSafeCrop(16, 24)(image=image, bboxes=boxes, labels=labels, rng=seed, record=True)
    x1, y1, x2, y2 = window_of(sized)
    assert (x1 <= boxes[:, 0]).all() and (y1 <= boxes[:, 1]).all()
    assert (boxes[:, 2] <= x2).all() and (boxes[:, 3] <= y2).all()
    assert sized["image"].shape == (16, 24, 3) and sized["labels"] == labels
    scale = [24 / (x2 - x1), 16 / (y2 - y1)] * 2
    np.testing.assert_allclose(sized["bboxes"], (boxes - [x1, y1, x1, y1]) * scale)


def test_bbox_safe_crop_erosion_keeps_the_eroded_boxes() -> None:
    boxes = np.array([[10.0, 10.0, 30.0, 20.0], [25.0, 5.0, 45.0, 33.0]])
    eroded = boxes + np.array([[5.0, 2.5, -5.0, -2.5], [5.0, 7.0, -5.0, -7.0]])  # a quarter of each side, each side
    cut = False
    for seed in range(200):
        out = BBoxSafeRandomCrop(erosion_rate=0.5)(image=make(), bboxes=boxes, labels=[1, 2], rng=seed, record=True)
        x1, y1, x2, y2 = window_of(out)
        assert x1 <= eroded[:, 0].min() and y1 <= eroded[:, 1].min()
        assert x2 >= eroded[:, 2].max() and y2 >= eroded[:, 3].max()
        cut |= x1 > boxes[:, 0].min() or y1 > boxes[:, 1].min() or x2 < boxes[:, 2].max() or y2 < boxes[:, 3].max()
    assert cut, "with erosion the window must sometimes cut into a box"


def test_bbox_safe_crops_without_boxes_are_random_crops() -> None:
    image = make()
    for t in (BBoxSafeRandomCrop(), RandomSizedBBoxSafeCrop(10, 10)):
        windows = set()
        for seed in range(40):
            out = t(image=image, bboxes=np.zeros((0, 4)), labels=[], rng=seed, record=True)
            x1, y1, x2, y2 = window_of(out)
            assert 0 <= x1 < x2 <= W and 0 <= y1 < y2 <= H
            windows.add((x1, y1, x2, y2))
        assert len(windows) > 30
        corners = np.array(sorted(windows))
        assert corners[:, 0].max() > 0 and corners[:, 1].max() > 0, "the window must move off the top-left"
        assert corners[:, 2].min() < W and corners[:, 3].min() < H, "the window must move off the bottom-right"


# ------------------------------------------------------------------------------ RandomCropNearBBox


def test_crop_near_bbox_without_shift_is_the_box_rounded_out() -> None:
    boxes = np.array([[10.2, 5.5, 30.0, 20.7]])
    out = RandomCropNearBBox(max_part_shift=0.0)(image=make(), bboxes=boxes, labels=[1], rng=0, record=True)
    assert window_of(out) == (10, 5, 30, 21)


def test_crop_near_bbox_moves_each_edge_by_the_drawn_part() -> None:
    boxes = np.array([[10.0, 8.0, 30.0, 24.0], [35.0, 20.0, 51.0, 36.0]])
    chosen, widths = set(), set()
    for seed in range(200):
        out = RandomCropNearBBox(max_part_shift=0.25)(image=make(), bboxes=boxes, labels=[1, 2], rng=seed, record=True)
        x1, y1, x2, y2 = window_of(out)
        matches = []
        for index, (bx1, by1, bx2, by2) in enumerate(boxes):
            dx, dy = 0.25 * (bx2 - bx1), 0.25 * (by2 - by1)
            ok = (
                x1 in {max(math.floor(bx1 - dx), 0), math.floor(bx1 + dx)}
                and y1 in {max(math.floor(by1 - dy), 0), math.floor(by1 + dy)}
                and x2 in {min(math.ceil(bx2 + dx), W), math.ceil(bx2 - dx)}
                and y2 in {min(math.ceil(by2 + dy), H), math.ceil(by2 - dy)}
            )
            if ok:
                matches.append(index)
        assert matches, (seed, (x1, y1, x2, y2))
        chosen.update(matches)
        widths.add(x2 - x1)
    assert chosen == {0, 1}
    assert min(widths) < 16 and max(widths) > 20, "edges must move both inwards and outwards"


def test_crop_near_bbox_without_boxes_crops_around_the_whole_image() -> None:
    for seed in range(30):
        x1, y1, x2, y2 = window_of(RandomCropNearBBox(max_part_shift=0.2)(image=make(), rng=seed, record=True))
        assert x1 in (0, math.floor(0.2 * W)) and x2 in (W, math.ceil(0.8 * W))
        assert y1 in (0, math.floor(0.2 * H)) and y2 in (H, math.ceil(0.8 * H))


# ------------------------------------------------------------------------------------ RandomIoUCrop


def test_iou_crop_meets_the_threshold_and_drops_boxes_with_labels() -> None:
    image = make(height=90, width=120)
    thresholds = set()
    dropped = 0
    for seed in range(150):
        rng = np.random.default_rng(seed + 1000)
        boxes = random_boxes(rng, 5, 90, 120)
        labels = [f"b{i}" for i in range(5)]
        out = RandomIoUCrop()(image=image, bboxes=boxes, labels=labels, rng=seed, record=True)
        params = out["applied"][0]["params"]
        x1, y1, x2, y2 = win = window_of(out)
        np.testing.assert_array_equal(out["image"], image[y1:y2, x1:x2])
        assert len(out["labels"]) == len(out["bboxes"])
        if not params["cropped"]:
            assert params["min_iou"] >= 1.0 and win == (0, 0, 120, 90) and out["labels"] == labels
            continue
        thresholds.add(params["min_iou"])
        w, h = x2 - x1, y2 - y1
        assert 0.3 - 1 / 120 <= w / 120 <= 1.0 and 0.3 - 1 / 90 <= h / 90 <= 1.0
        assert 0.5 <= w / h <= 2.0
        centres = (boxes[:, :2] + boxes[:, 2:]) / 2
        inside = (x1 < centres[:, 0]) & (centres[:, 0] < x2) & (y1 < centres[:, 1]) & (centres[:, 1] < y2)
        assert out["labels"] == [label for label, keep in zip(labels, inside, strict=True) if keep]
        assert iou(boxes[inside], win).max() >= params["min_iou"]
        kept = np.clip(boxes[inside] - [x1, y1, x1, y1], 0, [w, h, w, h])
        np.testing.assert_allclose(out["bboxes"], kept)
        dropped += int((~inside).sum())
    assert dropped > 0 and len(thresholds) >= 5


def test_iou_crop_edge_cases() -> None:
    image = make()
    boxes = np.array([[10.0, 10.0, 12.0, 12.0]])
    never = RandomIoUCrop(sampler_options=[1.0])(image=image, bboxes=boxes, labels=[1], rng=0, record=True)
    assert not never["applied"][0]["params"]["cropped"] and never["image"].shape == image.shape
    # a tiny box never reaches IoU 0.9 with a window of at least half the image: give up, no crop
    hopeless = RandomIoUCrop(min_scale=0.5, sampler_options=[0.9])(image=image, bboxes=boxes, labels=[1], rng=0, record=True)
    assert not hopeless["applied"][0]["params"]["cropped"] and hopeless["labels"] == [1]
    sizes = set()
    for seed in range(20):  # no boxes: a window that meets the size and aspect limits
        out = RandomIoUCrop(sampler_options=[0.5])(image=image, rng=seed, record=True)
        x1, y1, x2, y2 = window_of(out)
        assert out["applied"][0]["params"]["cropped"] and 0.5 <= (x2 - x1) / (y2 - y1) <= 2.0
        sizes.add(out["image"].shape)
    assert len(sizes) > 5


# ------------------------------------------------------------------------- CropNonEmptyMaskIfExists


def test_crop_non_empty_mask_always_contains_foreground() -> None:
    for seed in range(200):
        rng = np.random.default_rng(seed)
        mask = np.zeros((H, W), np.uint8)
        mask[rng.integers(H), rng.integers(W)] = 3
        mask[rng.integers(0, H, 5), rng.integers(0, W, 5)] = 255  # ignored
        out = CropNonEmptyMaskIfExists(9, 11, ignore_values=[255])(image=make(), mask=mask, rng=seed)
        assert out["image"].shape == (9, 11, 3) and (out["mask"] == 3).any(), seed


def test_crop_non_empty_mask_reads_every_mask_and_channel() -> None:
    for seed in range(50):
        rng = np.random.default_rng(seed)
        masks = [np.zeros((H, W), np.uint8) for _ in range(3)]
        masks[seed % 3][rng.integers(H), rng.integers(W)] = 1
        out = CropNonEmptyMaskIfExists(5, 6)(image=make(), masks=masks, rng=seed)
        assert sum(int(m.sum()) for m in out["masks"]) == 1
        mask = np.zeros((H, W, 2), np.float32)
        mask[rng.integers(H), rng.integers(W), 1] = 0.5
        assert CropNonEmptyMaskIfExists(5, 6)(image=make(), mask=mask, rng=seed)["mask"].any()


def test_crop_non_empty_mask_without_foreground_is_random() -> None:
    t = CropNonEmptyMaskIfExists(9, 11, ignore_values=7)
    mask = np.full((H, W), 7, np.uint8)
    windows = {window_of(t(image=make(), mask=mask, rng=s, record=True)) for s in range(30)}
    windows |= {window_of(t(image=make(), rng=s, record=True)) for s in range(30)}
    assert len(windows) > 20
    with pytest.raises(ak.TargetError, match="does not fit"):
        t(image=make(height=5, width=5))


# ------------------------------------------------------------------------------------ SquareSymmetry


def reference(name: str, array: np.ndarray) -> np.ndarray:
    return {
        "identity": lambda a: a,
        "rot90": lambda a: np.rot90(a, 1),
        "rot180": lambda a: np.rot90(a, 2),
        "rot270": lambda a: np.rot90(a, 3),
        "hflip": lambda a: a[:, ::-1],
        "vflip": lambda a: a[::-1],
        "transpose": lambda a: a.swapaxes(0, 1),
        "antitranspose": lambda a: a[::-1, ::-1].swapaxes(0, 1),
    }[name](array)


def test_square_symmetry_reaches_all_eight() -> None:
    image = make()
    seen = {SquareSymmetry()(image=image, rng=s, record=True)["applied"][0]["params"]["symmetry"] for s in range(100)}
    assert seen == set(SYMMETRIES)
    t = SquareSymmetry()
    assert {name for name in SYMMETRIES if t.is_reflection({"symmetry": name})} == {
        "hflip",
        "vflip",
        "transpose",
        "antitranspose",
    }


@pytest.mark.parametrize("name", SYMMETRIES)
@pytest.mark.parametrize("layout", [(), (3,), (7,)])
def test_square_symmetry_moves_every_target_together(name: str, layout: tuple[int, ...]) -> None:
    image = make("uint16", layout)
    box = np.array([[5.0, 7.0, 19.0, 12.0]])
    box_mask = np.zeros((H, W), np.uint8)
    box_mask[7:12, 5:19] = 1
    point_mask = np.zeros((H, W), np.uint8)
    point_mask[9, 40] = 1
    record = [{"name": "SquareSymmetry", "path": [0], "params": {"symmetry": name}}]
    pipe = ak.Compose([SquareSymmetry()], keypoint_format="xya")
    out = pipe.replay(record, image=image, mask=box_mask, bboxes=box, labels=[1], keypoints=[[40.0, 9.0, 0.3]])
    np.testing.assert_array_equal(out["image"], reference(name, image))
    np.testing.assert_array_equal(out["mask"], reference(name, box_mask))
    ys, xs = np.nonzero(out["mask"])
    np.testing.assert_allclose(out["bboxes"], [[xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]])
    (py,), (px,) = np.nonzero(reference(name, point_mask))
    np.testing.assert_allclose(out["keypoints"][0, :2], [px, py])
    # the angle follows a direction: a pixel one step along it lands one step along the new angle
    along = np.zeros((H, W), np.uint8)
    along[9, 41] = 1  # +x from the keypoint, i.e. angle 0
    (ay,), (ax,) = np.nonzero(reference(name, along))
    moved = pipe.replay(record, image=image, keypoints=[[40.0, 9.0, 0.0]])["keypoints"][0]
    angle = math.radians(moved[2])  # user formats give angles in degrees
    np.testing.assert_allclose([math.cos(angle), math.sin(angle)], [ax - px, ay - py], atol=1e-12)


# ------------------------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (Crop, {"x_min": -1, "y_min": 0, "x_max": 5, "y_max": 5}, "x_min"),
        (Crop, {"x_min": 5, "y_min": 0, "x_max": 5, "y_max": 5}, "x_max"),
        (Crop, {"x_min": 0, "y_min": 4, "x_max": 5, "y_max": 2}, "y_max"),
        (Crop, {"x_min": 0, "y_min": 0, "x_max": 5, "y_max": 5, "pad_if_needed": 1}, "pad_if_needed"),
        (Crop, {"x_min": 0, "y_min": 0, "x_max": 5, "y_max": 5, "fill": "red"}, "fill"),
        (RandomResizedCrop, {"height": 0, "width": 5}, "height"),
        (RandomResizedCrop, {"height": 5, "width": 5, "scale": (0.0, 1.0)}, "scale"),
        (RandomResizedCrop, {"height": 5, "width": 5, "scale": (0.9, 0.1)}, "scale"),
        (RandomResizedCrop, {"height": 5, "width": 5, "ratio": (0.0, 2.0)}, "ratio"),
        (RandomResizedCrop, {"height": 5, "width": 5, "interpolation": "bilinear"}, "interpolation"),
        (CropNonEmptyMaskIfExists, {"height": 5, "width": 5, "ignore_values": "x"}, "ignore_values"),
        (BBoxSafeRandomCrop, {"erosion_rate": 1.5}, "erosion_rate"),
        (RandomSizedBBoxSafeCrop, {"height": 5, "width": -5}, "width"),
        (RandomSizedBBoxSafeCrop, {"height": 5, "width": 5, "mask_interpolation": "x"}, "mask_interpolation"),
        (RandomCropNearBBox, {"max_part_shift": (0.3, 0.1)}, "max_part_shift"),
        (RandomCropNearBBox, {"max_part_shift": 2.0}, "max_part_shift"),
        (RandomIoUCrop, {"min_scale": 0.0}, "min_scale"),
        (RandomIoUCrop, {"min_scale": 0.8, "max_scale": 0.5}, "min_scale"),
        (RandomIoUCrop, {"max_aspect_ratio": -1.0}, "max_aspect_ratio"),
        (RandomIoUCrop, {"min_aspect_ratio": 3.0}, "min_aspect_ratio"),
        (RandomIoUCrop, {"sampler_options": []}, "sampler_options"),
        (RandomIoUCrop, {"sampler_options": [-0.1, 0.5]}, "sampler_options"),
        (RandomIoUCrop, {"trials": 0}, "trials"),
    ],
)
def test_bad_arguments_name_the_argument(cls: type, kwargs: dict, name: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^{cls.__name__}: argument '{name}' expects"):
        cls(**kwargs)
