"""Oriented boxes [cx, cy, w, h, angle] through flips, quarter turns, rotations, affine and crops."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import augkit as ak
from augkit.core import oriented

IMAGE = np.zeros((40, 60, 3), np.uint8)
BOXES = np.array([[20.0, 15.0, 10.0, 4.0, 0.0], [30.0, 20.0, 8.0, 6.0, 30.0], [41.5, 27.25, 12.0, 3.0, -60.0]])


def run(transform: ak.BaseTransform, boxes: np.ndarray = BOXES, **extra: object) -> dict:
    return ak.Compose([transform])(image=IMAGE, oriented_bboxes=boxes, rng=0, **extra)


def angle_mod_180(values: np.ndarray) -> np.ndarray:
    return (np.asarray(values) + 90.0) % 180.0 - 90.0


def assert_boxes(got: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_allclose(got[:, :4], expected[:, :4], atol=1e-6)
    difference = angle_mod_180(got[:, 4] - expected[:, 4])
    np.testing.assert_allclose(difference, 0.0, atol=1e-6)


def test_empty_pipeline_returns_boxes_fields_and_extra_columns() -> None:
    table = np.column_stack([BOXES, [7, 8, 9]])
    out = ak.Compose([])(image=IMAGE, oriented_bboxes=table, oriented_labels=["a", "b", "c"])
    assert_boxes(out["oriented_bboxes"], BOXES)
    assert out["oriented_bboxes"][:, 5].tolist() == [7, 8, 9] and out["oriented_labels"] == ["a", "b", "c"]


def test_flips_and_transpose() -> None:
    expected = BOXES.copy()
    expected[:, 0] = 60 - BOXES[:, 0]
    expected[:, 4] = -BOXES[:, 4]
    assert_boxes(run(ak.image.HorizontalFlip(p=1.0))["oriented_bboxes"], expected)
    expected = BOXES.copy()
    expected[:, 1] = 40 - BOXES[:, 1]
    expected[:, 4] = -BOXES[:, 4]
    assert_boxes(run(ak.image.VerticalFlip(p=1.0))["oriented_bboxes"], expected)
    expected = BOXES[:, [1, 0, 2, 3, 4]].copy()
    expected[:, 4] = 90.0 - BOXES[:, 4]
    square = np.zeros((60, 60, 3), np.uint8)
    out = ak.Compose([ak.image.Transpose(p=1.0)])(image=square, oriented_bboxes=BOXES)
    assert_boxes(out["oriented_bboxes"], expected)


@pytest.mark.parametrize("angle", [17.0, 45.0, 90.0, -120.0])
def test_rotation_matches_opencv_geometry(angle: float) -> None:
    matrix = cv2.getRotationMatrix2D((29.5, 19.5), angle, 1.0)
    centres = BOXES[:, :2] - 0.5
    moved = centres @ matrix[:, :2].T + matrix[:, 2] + 0.5
    expected = np.column_stack([moved, BOXES[:, 2:4], BOXES[:, 4] - angle])
    out = run(ak.image.Rotate(angle=angle, p=1.0))["oriented_bboxes"]
    keep = oriented.inside(expected, 40, 60)
    assert_boxes(out, expected[keep])


def test_box_follows_a_drawn_rectangle() -> None:
    mask = np.zeros((40, 60), np.uint8)
    box = np.array([[30.0, 20.0, 24.0, 10.0, 20.0]])
    cv2.fillPoly(mask, [np.round(oriented.corners(box)[0] - 0.5).astype(np.int32)], 1)
    for transform, scale in ((ak.image.Rotate(angle=35, p=1.0), 1.0), (ak.image.Affine(scale=0.8, rotate=-50, p=1.0), 0.8)):
        out = ak.Compose([transform])(image=IMAGE, mask=mask, oriented_bboxes=box, rng=0)
        (cx, cy), _, angle = cv2.minAreaRect(np.argwhere(out["mask"] > 0)[:, ::-1].astype(np.float32))
        fitted = out["oriented_bboxes"][0]
        assert abs(fitted[0] - (cx + 0.5)) < 1.0 and abs(fitted[1] - (cy + 0.5)) < 1.0
        assert abs((fitted[4] - angle + 45.0) % 90.0 - 45.0) < 5.0  # mod 90 (OpenCV); pixelation costs a few degrees
        np.testing.assert_allclose(fitted[2:4], box[0, 2:4] * scale, atol=1e-9)


def test_scaling_and_shear_refit_the_tightest_rectangle() -> None:
    out = run(ak.image.Resize(80, 120))["oriented_bboxes"]
    np.testing.assert_allclose(out[0], [40.0, 30.0, 20.0, 8.0, 0.0], atol=1e-9)
    sheared = run(ak.image.Affine(shear=20, p=1.0))["oriented_bboxes"]
    matrix = ak.image.functional.affine.affine_matrix(40, 60, shear=(20.0, 0.0))
    corners = oriented.corners(BOXES) - 0.5
    moved = corners @ matrix[:, :2].T + matrix[:, 2] + 0.5
    for fitted, quad in zip(sheared, moved, strict=True):
        rectangle = cv2.minAreaRect(quad.astype(np.float32))
        assert fitted[2] * fitted[3] == pytest.approx(rectangle[1][0] * rectangle[1][1], rel=1e-4)


def test_boxes_whose_centre_leaves_the_image_are_dropped_with_their_labels() -> None:
    out = ak.Compose([ak.image.CenterCrop(20, 18)])(image=IMAGE, oriented_bboxes=BOXES, oriented_labels=["a", "b", "c"])
    assert out["oriented_labels"] == ["b"]
    assert_boxes(out["oriented_bboxes"], np.array([[9.0, 10.0, 8.0, 6.0, 30.0]]))


def test_refit_is_exact_for_rectangles() -> None:
    rng = np.random.default_rng(0)
    boxes = np.column_stack([rng.uniform(0, 50, (200, 2)), rng.uniform(1, 30, (200, 2)), rng.uniform(-90, 90, 200)])
    fitted = oriented.refit(oriented.corners(boxes))
    np.testing.assert_allclose(fitted[:, :2], boxes[:, :2], atol=1e-9)
    same = np.isclose(fitted[:, 2], boxes[:, 2]) & np.isclose(fitted[:, 3], boxes[:, 3])
    swapped = np.isclose(fitted[:, 2], boxes[:, 3]) & np.isclose(fitted[:, 3], boxes[:, 2])
    assert (same | swapped).all()


def test_bad_oriented_boxes() -> None:
    with pytest.raises(ak.TargetError, match=r"'oriented_bboxes' row 1 has a negative width or height"):
        run(ak.image.HorizontalFlip(), boxes=np.array([[1.0, 1.0, 2.0, 2.0, 0.0], [1.0, 1.0, -2.0, 2.0, 0.0]]))
    with pytest.raises(ak.TargetError, match="'oriented_bboxes' contains NaN"):
        run(ak.image.HorizontalFlip(), boxes=np.array([[1.0, np.nan, 2.0, 2.0, 0.0]]))
    with pytest.raises(ak.TargetError, match=r"'oriented_bboxes' expects an N x 5\+ table"):
        run(ak.image.HorizontalFlip(), boxes=np.array([[1.0, 1.0, 2.0, 2.0]]))
    with pytest.raises(ak.TargetError, match="target 'oriented_labels' has 1 entries but there are 3 oriented boxes"):
        run(ak.image.HorizontalFlip(), oriented_labels=["a"])
