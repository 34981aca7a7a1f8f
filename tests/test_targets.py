"""Targets through a pipeline: box and keypoint formats, filtering, label fields, masks and copies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import augkit as ak
from augkit.core import boxes as box_ops

H, W = 40, 60
IMAGE = np.zeros((H, W, 3), np.uint8)
VOC = np.array([[5.0, 6.0, 25.0, 30.0], [0.0, 0.0, 60.0, 40.0], [10.5, 3.25, 11.5, 39.0]])


def from_voc(voc: np.ndarray, fmt: str, normalized: bool, height: int = H, width: int = W) -> np.ndarray:
    """Independent reference of the user formats."""
    x1, y1, x2, y2 = np.asarray(voc, np.float64).T
    if fmt == "pascal_voc":
        out = np.stack([x1, y1, x2, y2], axis=1)
    elif fmt == "coco":
        out = np.stack([x1, y1, x2 - x1, y2 - y1], axis=1)
    else:
        out = np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=1)
    return out / [width, height, width, height] if normalized else out


FORMATS = [("pascal_voc", False), ("pascal_voc", True), ("coco", False), ("coco", True)]
FORMATS += [("yolo", None), ("yolo", True), ("cxcywh", False), ("cxcywh", True)]


@pytest.mark.parametrize(("fmt", "normalized"), FORMATS)
def test_bbox_formats_round_trip_and_follow_a_flip(fmt: str, normalized: bool | None) -> None:
    norm = fmt == "yolo" if normalized is None else normalized
    boxes = from_voc(VOC, fmt, norm)
    out = ak.Compose([], bbox_format=fmt, bbox_normalized=normalized)(image=IMAGE, bboxes=boxes)
    np.testing.assert_allclose(out["bboxes"], boxes, rtol=1e-12, atol=1e-12)
    flipped = np.stack([W - VOC[:, 2], VOC[:, 1], W - VOC[:, 0], VOC[:, 3]], axis=1)  # pixel edges: x' = W - x
    pipe = ak.Compose([ak.image.HorizontalFlip(p=1.0)], bbox_format=fmt, bbox_normalized=normalized)
    np.testing.assert_allclose(pipe(image=IMAGE, bboxes=boxes)["bboxes"], from_voc(flipped, fmt, norm), atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(*[st.floats(-1e4, 1e4)] * 2, *[st.floats(0, 1e4)] * 2),
        min_size=0,
        max_size=6,
    ),
    st.sampled_from(["pascal_voc", "coco", "yolo", "cxcywh"]),
    st.booleans(),
    st.integers(1, 5000),
    st.integers(1, 5000),
)
def test_to_voc_from_voc_round_trip(rows: list, fmt: str, normalized: bool, height: int, width: int) -> None:
    voc = np.array([[x, y, x + w, y + h] for x, y, w, h in rows], dtype=np.float64).reshape(-1, 4)
    user = from_voc(voc, fmt, normalized, height, width)
    before = user.copy()
    back = box_ops.to_voc(user, fmt, height, width, normalized)
    np.testing.assert_array_equal(user, before)
    np.testing.assert_allclose(back, voc, rtol=1e-9, atol=1e-8)
    again = box_ops.from_voc(back, fmt, height, width, normalized)
    np.testing.assert_allclose(again, user, rtol=1e-9, atol=1e-8)
    assert not np.shares_memory(again, back) and not np.shares_memory(back, user)


@pytest.mark.parametrize(
    ("fmt", "given", "expected_voc"),
    [
        ("pascal_voc", [-5, -3, 20, 15], [0, 0, 20, 15]),  # crosses the top-left corner
        ("pascal_voc", [50, 30, 70, 45], [50, 30, 60, 40]),  # crosses the bottom-right corner
        ("pascal_voc", [-1e-9, 0, W + 1e-9, H + 1e-9], [0, 0, W, H]),  # float rounding
        ("coco", [0, 0, W + 1e-7, H + 1e-7], [0, 0, W, H]),
        ("yolo", [0.5, 0.5, 1.0000001, 1.0000001], [0, 0, W, H]),
        ("yolo", [1.0000001, 0.25, 0.2, 0.5], [0.9 * W, 0, W, 0.5 * H]),
        ("cxcywh", [30, 20, 60.000001, 40.000001], [0, 0, W, H]),
    ],
)
def test_boxes_over_the_border_are_clipped_not_errors(fmt: str, given: list, expected_voc: list) -> None:
    out = ak.Compose([], bbox_format=fmt)(image=IMAGE, bboxes=[given], labels=["x"])
    norm = fmt == "yolo"
    np.testing.assert_allclose(out["bboxes"], from_voc(np.array([expected_voc]), fmt, norm), atol=1e-6)
    assert out["labels"] == ["x"]
    flipped = ak.Compose([ak.image.VerticalFlip(p=1.0)], bbox_format=fmt)(image=IMAGE, bboxes=[given])["bboxes"]
    if norm:
        assert flipped.min() >= 0.0 and flipped[:, :2].max() <= 1.0 and flipped[:, 2:].max() <= 1.0


def test_extra_box_columns_are_carried_and_dropped_with_their_box() -> None:
    boxes = np.array([[1, 1, 5, 5, 7, 0.9], [30, 20, 50, 35, 3, 0.4]], dtype=np.float64)
    out = ak.image.HorizontalFlip(p=1.0)(image=IMAGE, bboxes=boxes)
    np.testing.assert_allclose(out["bboxes"], [[55, 1, 59, 5, 7, 0.9], [10, 20, 30, 35, 3, 0.4]])
    out = ak.Compose([ak.image.CenterCrop(20, 30)], bbox_format="coco")(image=IMAGE, bboxes=boxes)  # window x 15.., y 10..
    np.testing.assert_allclose(out["bboxes"], [[15, 10, 15, 10, 3, 0.4]])


# 20 x 20 image; CenterCrop(10, 10) keeps the window [5, 15) x [5, 15).
FILTER_IMAGE = np.zeros((20, 20), np.uint8)
FILTER_BOXES = np.array([[0, 0, 8, 8], [4, 4, 16, 16], [6, 6, 9, 14], [14, 2, 18, 7], [0, 0, 4, 4]], dtype=np.float64)
# after the centre crop: A [0,0,3,3] a=9 vis=9/64; B [0,0,10,10] a=100 vis=100/144; C [1,1,4,9] a=24 vis=1;
# D [9,0,10,2] a=2 vis=2/20; E is outside (always dropped)
CENTER = {"A": [0, 0, 3, 3], "B": [0, 0, 10, 10], "C": [1, 1, 4, 9], "D": [9, 0, 10, 2]}
# RandomCrop(10, 10) replayed at x_min=2, y_min=6: A [0,0,6,2] a=12 vis=12/64; B [2,0,10,10] a=80 vis=80/144;
# C [4,0,7,8] a=24 vis=1; D and E are cut away
RANDOM = {"A": [0, 0, 6, 2], "B": [2, 0, 10, 10], "C": [4, 0, 7, 8]}


@pytest.mark.parametrize(
    ("crop", "limits", "survivors"),
    [
        ("center", {}, "ABCD"),
        ("center", {"min_area": 10}, "BC"),
        ("center", {"min_area": 9}, "ABC"),
        ("center", {"min_visibility": 0.5}, "BC"),
        ("center", {"min_visibility": 0.12}, "ABC"),
        ("center", {"min_width": 3}, "ABC"),
        ("center", {"min_height": 5}, "BC"),
        ("center", {"min_height": 2}, "ABCD"),
        ("center", {"min_width": 2, "min_height": 3}, "ABC"),
        ("random", {}, "ABC"),
        ("random", {"min_area": 20}, "BC"),
        ("random", {"min_visibility": 0.5}, "BC"),
        ("random", {"min_visibility": 0.6}, "C"),
        ("random", {"min_width": 4}, "AB"),
        ("random", {"min_height": 3}, "BC"),
    ],
)
def test_box_filters_after_crops(crop: str, limits: dict, survivors: str) -> None:
    targets = {"image": FILTER_IMAGE, "bboxes": FILTER_BOXES, "labels": list("ABCDE"), "ids": np.arange(10, 15)}
    if crop == "center":
        out = ak.Compose([ak.image.CenterCrop(10, 10)], label_fields=["labels", "ids"], **limits)(**targets)
        expected = CENTER
    else:
        pipe = ak.Compose([ak.image.RandomCrop(10, 10)], label_fields=["labels", "ids"], **limits)
        params = {"x_min": 2, "y_min": 6, "x_max": 12, "y_max": 16}
        out = pipe.replay([{"name": "RandomCrop", "path": [0], "params": params}], **targets)
        expected = RANDOM
    assert out["labels"] == list(survivors)
    assert isinstance(out["ids"], np.ndarray) and out["ids"].tolist() == [10 + "ABCDE".index(s) for s in survivors]
    np.testing.assert_allclose(out["bboxes"].reshape(-1, 4), [expected[s] for s in survivors] or np.zeros((0, 4)))


def test_random_crop_drops_boxes_and_all_label_fields_together() -> None:
    boxes = np.array([[0, 0, 4, 4], [0, 0, 20, 20], [16, 16, 20, 20]], dtype=np.float64)
    pipe = ak.Compose([ak.image.RandomCrop(8, 8)], label_fields=["labels", "scores"])
    for seed in range(20):
        out = pipe(image=FILTER_IMAGE, bboxes=boxes, labels=["a", "b", "c"], scores=np.array([0.1, 0.2, 0.3]), rng=seed)
        kept = [{"a": 0, "b": 1, "c": 2}[name] for name in out["labels"]]
        assert 1 in kept and len(out["bboxes"]) == len(kept) == len(out["scores"])
        np.testing.assert_array_equal(out["scores"], np.array([0.1, 0.2, 0.3])[kept])


# ----------------------------------------------------------------------------------- keypoints
KP = np.array([[1.5, 2.25, 30.0, 2.0], [0.0, 0.0, 359.5, 0.5], [59.0, 39.0, 0.0, 1.0]])  # x, y, angle, scale
COLUMNS = {"xy": [0, 1], "yx": [1, 0], "xya": [0, 1, 2], "xys": [0, 1, 3], "xyas": [0, 1, 2, 3], "xysa": [0, 1, 3, 2]}


@pytest.mark.parametrize("fmt", list(COLUMNS))
def test_keypoint_formats_round_trip_and_keep_their_columns(fmt: str) -> None:
    points = KP[:, COLUMNS[fmt]]
    out = ak.Compose([], keypoint_format=fmt)(image=IMAGE, keypoints=points)
    np.testing.assert_allclose(out["keypoints"], points, atol=1e-9)
    flipped = KP.copy()
    flipped[:, 0] = W - 1 - KP[:, 0]
    flipped[:, 2] = (180.0 - KP[:, 2]) % 360
    got = ak.Compose([ak.image.HorizontalFlip(p=1.0)], keypoint_format=fmt)(image=IMAGE, keypoints=points)["keypoints"]
    np.testing.assert_allclose(got, flipped[:, COLUMNS[fmt]], atol=1e-9)
    grown = KP.copy()
    grown[:, :2] = (KP[:, :2] + 0.5) * 2 - 0.5
    grown[:, 3] = KP[:, 3] * 2
    got = ak.Compose([ak.image.Resize(2 * H, 2 * W)], keypoint_format=fmt)(image=IMAGE, keypoints=points)["keypoints"]
    np.testing.assert_allclose(got, grown[:, COLUMNS[fmt]], atol=1e-9)


def test_keypoint_angles_are_wrapped_to_0_360() -> None:
    out = ak.Compose([], keypoint_format="xya")(image=IMAGE, keypoints=[[1, 1, -90], [1, 1, 450], [1, 1, 360]])
    np.testing.assert_allclose(out["keypoints"][:, 2], [270.0, 90.0, 0.0], atol=1e-9)


LABELS = ["left_eye", "nose", "right_eye", "left_ear"]
SWAPPED = ["right_eye", "nose", "left_eye", "right_ear"]
SWAP = {"left_eye": "right_eye", "left_ear": "right_ear"}


@pytest.mark.parametrize(
    ("transforms", "k", "expected"),
    [
        ([ak.image.HorizontalFlip(p=1.0)], None, SWAPPED),
        ([ak.image.VerticalFlip(p=1.0)], None, SWAPPED),
        ([ak.image.Transpose(p=1.0)], None, SWAPPED),
        ([ak.image.HorizontalFlip(p=1.0), ak.image.VerticalFlip(p=1.0)], None, LABELS),  # two mirrors: a rotation
        ([ak.image.HorizontalFlip(p=0.0)], None, LABELS),
        ([ak.image.RandomRotate90()], 0, LABELS),
        ([ak.image.RandomRotate90()], 1, LABELS),
        ([ak.image.RandomRotate90()], 2, LABELS),  # looks like hflip + vflip, but it is no mirror
        ([ak.image.RandomRotate90()], 3, LABELS),
    ],
)
@pytest.mark.parametrize("as_array", [False, True])
def test_keypoint_swap(transforms: list, k: int | None, expected: list, as_array: bool) -> None:
    pipe = ak.Compose(transforms, keypoint_swap=SWAP)
    labels = np.array(LABELS) if as_array else list(LABELS)
    targets = {"image": IMAGE, "keypoints": [[1, 2], [3, 4], [5, 6], [7, 8]], "keypoint_labels": labels}
    if k is None:
        out = pipe(**targets, rng=0)
    else:
        out = pipe.replay([{"name": "RandomRotate90", "path": [0], "params": {"k": k}}], **targets)
    if as_array:
        assert isinstance(out["keypoint_labels"], np.ndarray) and out["keypoint_labels"].tolist() == expected
    else:
        assert out["keypoint_labels"] == expected
    assert list(labels) == LABELS


def test_remove_invisible_keypoints() -> None:
    image = np.zeros((10, 10), np.uint8)
    # CenterCrop(4, 6) keeps x in [2, 8), y in [3, 7); a keypoint is visible for -0.5 <= x' < 5.5, -0.5 <= y' < 3.5
    points = [[2, 3, 1], [7, 6, 2], [1, 3, 3], [8, 5, 4], [4, 7, 5], [4.5, 2.6, 6], [4, 2.4, 7]]
    names = list("abcdefg")
    shifted = [[x - 2, y - 3, v] for x, y, v in points]
    kept = ak.Compose([ak.image.CenterCrop(4, 6)])(image=image, keypoints=points, keypoint_labels=names)
    np.testing.assert_allclose(kept["keypoints"], shifted)
    assert kept["keypoint_labels"] == names
    pipe = ak.Compose([ak.image.CenterCrop(4, 6)], remove_invisible_keypoints=True)
    out = pipe(image=image, keypoints=points, keypoint_labels=names)
    np.testing.assert_allclose(out["keypoints"], [shifted[i] for i in (0, 1, 5)])
    assert out["keypoint_labels"] == ["a", "b", "f"]


def test_extra_keypoint_columns_are_carried() -> None:
    points = np.array([[3, 4, 2], [10, 20, 0], [59, 0, 1]], dtype=np.float64)  # COCO x, y, visibility
    out = ak.image.HorizontalFlip(p=1.0)(image=IMAGE, keypoints=points)
    np.testing.assert_allclose(out["keypoints"], [[56, 4, 2], [49, 20, 0], [0, 0, 1]])
    out = ak.Compose([ak.image.Transpose(p=1.0)], keypoint_format="xya")(image=IMAGE, keypoints=[[3, 4, 10, 2, 7]])
    np.testing.assert_allclose(out["keypoints"], [[4, 3, 80, 2, 7]])


# ----------------------------------------------------------------------------------- masks
def test_masks_keep_their_container_and_dtype() -> None:
    rng = np.random.default_rng(0)
    stack = rng.integers(0, 5, (3, H, W)).astype(np.uint8)
    flip = ak.image.HorizontalFlip(p=1.0)
    out = flip(image=IMAGE, masks=list(stack))
    assert isinstance(out["masks"], list) and len(out["masks"]) == 3
    np.testing.assert_array_equal(np.stack(out["masks"]), stack[:, :, ::-1])
    out = flip(image=IMAGE, masks=stack)
    assert isinstance(out["masks"], np.ndarray) and out["masks"].shape == stack.shape
    np.testing.assert_array_equal(out["masks"], stack[:, :, ::-1])
    boolean = stack > 2
    out = flip(image=IMAGE, mask=boolean[0], masks=boolean)
    assert out["mask"].dtype == np.bool_ and out["masks"].dtype == np.bool_
    np.testing.assert_array_equal(out["mask"], boolean[0, :, ::-1])
    np.testing.assert_array_equal(out["masks"], boolean[:, :, ::-1])
    out = flip(image=IMAGE, masks=list(boolean))
    assert all(m.dtype == np.bool_ for m in out["masks"])


def test_mixed_mask_dtypes_each_keep_their_dtype() -> None:
    labels = np.arange(H * W, dtype=np.uint8).reshape(H, W) % 7
    boolean = labels > 3
    out = ak.image.VerticalFlip(p=1.0)(image=IMAGE, mask=labels, masks=[boolean])
    assert (out["mask"].dtype, out["masks"][0].dtype) == (np.uint8, np.bool_)
    np.testing.assert_array_equal(out["mask"], labels[::-1])
    out = ak.image.VerticalFlip(p=1.0)(image=IMAGE, masks=[labels, boolean])
    assert [m.dtype for m in out["masks"]] == [np.uint8, np.bool_]
    np.testing.assert_array_equal(out["masks"][0], labels[::-1])


def test_calls_without_an_image() -> None:
    mask = np.arange(12, dtype=np.uint8).reshape(3, 4)
    flip = ak.Compose([ak.image.HorizontalFlip(p=1.0)])
    assert flip(mask=mask)["mask"].tolist() == mask[:, ::-1].tolist()
    out = flip(masks=[mask, mask > 5], bboxes=[[0, 0, 1, 2]], labels=[1], keypoints=[[0, 1]])
    np.testing.assert_array_equal(out["masks"][1], (mask > 5)[:, ::-1])
    np.testing.assert_allclose(out["bboxes"], [[3, 0, 4, 2]])
    np.testing.assert_allclose(out["keypoints"], [[3, 1]])
    assert set(out) == {"masks", "bboxes", "labels", "keypoints"}
    assert ak.image.Resize(6, 8)(mask=mask)["mask"].shape == (6, 8)


# ----------------------------------------------------------------------------------- copies
def arrays(out: dict) -> list[tuple[str, np.ndarray]]:
    found = []
    for key, value in out.items():
        items = value if isinstance(value, list) else [value]
        found += [(f"{key}[{i}]", v) for i, v in enumerate(items) if isinstance(v, np.ndarray)]
    return found


@pytest.mark.parametrize(
    "pipe",
    [
        ak.Compose([]),
        ak.Compose([ak.image.HorizontalFlip(p=0.0), ak.image.RandomBrightnessContrast(p=0.0)]),
        ak.image.RandomCrop(4, 5, p=0.0),
        ak.Compose([ak.image.VerticalFlip(p=1.0)]),
    ],
    ids=["empty", "skipped", "bare-skipped", "applied"],
)
def test_outputs_never_share_memory_with_inputs(pipe: ak.BaseTransform) -> None:
    base = np.arange(2 * 6 * 7 * 3, dtype=np.uint8).reshape(2, 6, 7, 3)
    bool_stack = base[..., 0] % 3 == 0
    cases = [
        {"image": base[0]},
        {"image": base[1, :, :, 1]},
        {"image": base[0], "mask": base[1, :, :, 0], "masks": [base[0, :, :, 1], base[1, :, :, 2]]},
        {"image": base[0], "mask": bool_stack[0], "masks": bool_stack},
        {"image": base[0], "masks": list(bool_stack)},
        {"mask": bool_stack[1]},
        {"image": base[0], "bboxes": np.array([[1.0, 1.0, 4.0, 5.0]]), "labels": np.array([4]),
         "keypoints": np.array([[1.0, 2.0]]), "keypoint_labels": np.array(["a"])},
    ]  # fmt: skip
    problems = []
    for targets in cases:
        out = pipe(rng=0, **targets)
        sources = [*arrays(targets), ("base", base), ("bool_stack", bool_stack)]
        for name, value in arrays(out):
            shared = [source for source, array in sources if np.shares_memory(value, array)]
            if shared:
                problems.append(f"output {name} shares memory with input {shared} (call with {sorted(targets)})")
    assert not problems, "\n".join(problems)


def test_masks_bound_to_boxes_are_dropped_with_them() -> None:
    image = np.zeros((20, 30, 3), np.uint8)
    masks = [np.zeros((20, 30), np.uint8) for _ in range(3)]
    boxes = [[0, 0, 5, 5], [10, 2, 20, 12], [24, 14, 30, 20]]
    for index, (x1, y1, x2, y2) in enumerate(boxes):
        masks[index][y1:y2, x1:x2] = index + 1
    pipe = ak.Compose([ak.image.CenterCrop(14, 14)], bind_masks_to_boxes=True)
    out = pipe(image=image, masks=masks, bboxes=boxes, labels=["a", "b", "c"])
    assert out["labels"] == ["b"] and len(out["masks"]) == 1 and out["masks"][0].max() == 2
    stacked = pipe(image=image, masks=np.stack(masks), bboxes=boxes, labels=["a", "b", "c"])
    assert stacked["masks"].shape == (1, 14, 14) and stacked["masks"].max() == 2
    unbound = ak.Compose([ak.image.CenterCrop(14, 14)])(image=image, masks=masks, bboxes=boxes, labels=["a", "b", "c"])
    assert len(unbound["masks"]) == 3
    with pytest.raises(ak.TargetError, match="bind_masks_to_boxes expects one mask per box in 'masks'; got 2 masks for 3 boxes"):
        pipe(image=image, masks=masks[:2], bboxes=boxes, labels=["a", "b", "c"])


def test_keypoints_leaving_the_image_keep_their_row_with_visibility_zero() -> None:
    image = np.zeros((20, 30, 3), np.uint8)
    points = [[2.0, 3.0, 2.0], [15.0, 10.0, 2.0], [28.0, 18.0, 1.0], [16.0, 11.0, 0.0]]
    pipe = ak.Compose([ak.image.CenterCrop(10, 10)], keypoint_visibility_column=2)
    out = pipe(image=image, keypoints=points, keypoint_labels=["a", "b", "c", "d"])
    assert out["keypoints"][:, 2].tolist() == [0.0, 2.0, 0.0, 0.0]
    np.testing.assert_allclose(out["keypoints"][:, :2], [[-8.0, -2.0], [5.0, 5.0], [18.0, 13.0], [6.0, 6.0]])
    assert out["keypoint_labels"] == ["a", "b", "c", "d"]
    with pytest.raises(ak.ArgumentError, match="keypoint_visibility_column' expects an integer >= 2"):
        ak.Compose([], keypoint_visibility_column=1)
    with pytest.raises(ak.TargetError, match="keypoint_visibility_column=2 expects a keypoint table with at least 3 columns"):
        pipe(image=image, keypoints=[[1.0, 2.0]])


def test_keypoints_bound_to_boxes_are_dropped_with_them() -> None:
    image = np.zeros((20, 30, 3), np.uint8)
    boxes = [[0, 0, 5, 5], [10, 4, 20, 12], [24, 14, 30, 20]]
    points = [[1, 1], [3, 3], [12, 6], [18, 10], [25, 15], [28, 18]]  # two per box
    pipe = ak.Compose([ak.image.CenterCrop(14, 14)], keypoints_per_box=2)
    out = pipe(
        image=image, bboxes=boxes, labels=["a", "b", "c"], keypoints=points, keypoint_labels=["a1", "a2", "b1", "b2", "c1", "c2"]
    )
    assert out["labels"] == ["b"] and out["keypoint_labels"] == ["b1", "b2"]
    np.testing.assert_allclose(out["keypoints"], [[4.0, 3.0], [10.0, 7.0]])
    with pytest.raises(ak.TargetError, match="keypoints_per_box=2 expects 2 keypoints per box; got 5 keypoints for 3 boxes"):
        pipe(image=image, bboxes=boxes, labels=["a", "b", "c"], keypoints=points[:5])
    with pytest.raises(ak.ArgumentError, match="keypoints_per_box expects every box to keep its keypoint rows"):
        ak.Compose([], keypoints_per_box=2, remove_invisible_keypoints=True)
