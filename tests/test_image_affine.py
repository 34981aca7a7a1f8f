"""The affine family against OpenCV and geometry computed independently."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import augkit as ak
from augkit.image.affine import Affine, Perspective, Rotate, SafeRotate, ShiftScaleRotate
from augkit.image.functional import affine as A

RNG = np.random.default_rng(0)
IMAGE = RNG.integers(0, 256, (40, 60, 3), dtype=np.uint8)


def replay(transform: ak.BaseTransform, params: dict, **targets: object) -> dict:
    return transform.replay([{"name": type(transform).__name__, "path": [], "params": params}], **targets)


@pytest.mark.parametrize("angle", [-37.5, 10.0, 90.0, 181.0])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32])
def test_rotate_matches_opencv(angle: float, dtype: type) -> None:
    image = IMAGE.astype(dtype)
    out = Rotate(angle=angle, p=1.0)(image=image, rng=0)["image"]
    reference = cv2.warpAffine(image, cv2.getRotationMatrix2D((29.5, 19.5), angle, 1.0), (60, 40), flags=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(out, reference)


def test_quarter_turn_of_a_square_image_is_a_memory_move() -> None:
    square = RNG.integers(0, 256, (31, 31), dtype=np.uint8)
    out = Rotate(angle=90, interpolation="nearest", p=1.0)(image=square, rng=0)["image"]
    np.testing.assert_array_equal(out, np.rot90(square, 1))


def test_keypoints_land_on_the_moved_pixel() -> None:
    square = np.zeros((31, 31), np.uint8)
    points = np.array([[3.0, 5.0], [20.0, 27.0], [15.0, 15.0]])
    for index, (x, y) in enumerate(points.astype(int)):
        square[y, x] = index + 1
    for angle in (90.0, 180.0, 270.0):
        out = Rotate(angle=angle, interpolation="nearest", p=1.0)(image=square, keypoints=points, rng=0)
        for index, (x, y) in enumerate(out["keypoints"]):
            ys, xs = np.nonzero(out["image"] == index + 1)
            assert (xs[0], ys[0]) == (round(x), round(y)) and abs(x - round(x)) < 1e-9


def test_keypoint_angle_and_scale_follow_the_matrix() -> None:
    pipe = ak.Compose([Affine(rotate=30, scale=2.0, p=1.0)], keypoint_format="xyas")
    out = pipe(image=IMAGE, keypoints=[[10.0, 10.0, 0.0, 3.0], [10.0, 10.0, 90.0, 1.0]], rng=0)
    angles, scales = out["keypoints"][:, 2], out["keypoints"][:, 3]
    # the image turns 30 degrees counter-clockwise on screen: directions turn by -30 in y-down angles
    np.testing.assert_allclose(angles, [330.0, 60.0])
    np.testing.assert_allclose(scales, [6.0, 2.0])
    # the centre of the image stays put under rotation and scaling about it
    centre = Affine(rotate=30, scale=2.0, p=1.0)(image=IMAGE, keypoints=[[29.5, 19.5]], rng=0)["keypoints"][0]
    np.testing.assert_allclose(centre, [29.5, 19.5], atol=1e-9)


def test_largest_box_encloses_the_rotated_object_and_ellipse_is_tighter() -> None:
    mask = np.zeros((40, 60), np.uint8)
    cv2.ellipse(mask, (30, 20), (12, 6), 0, 0, 360, 1, -1)
    box = [[18.0, 14.0, 43.0, 27.0]]
    for angle in (20.0, 45.0, 70.0):
        largest = Rotate(angle=angle, p=1.0)(image=IMAGE, mask=mask, bboxes=box, labels=[1], rng=0)
        ellipse = Rotate(angle=angle, rotate_method="ellipse", p=1.0)(image=IMAGE, mask=mask, bboxes=box, labels=[1], rng=0)
        ys, xs = np.nonzero(largest["mask"])
        extent = np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], dtype=float)
        big, tight = largest["bboxes"][0], ellipse["bboxes"][0]
        assert (big[:2] <= extent[:2] + 1).all() and (big[2:] >= extent[2:] - 1).all()
        assert (tight[:2] <= extent[:2] + 1.5).all() and (tight[2:] >= extent[2:] - 1.5).all()
        assert (tight[2] - tight[0]) * (tight[3] - tight[1]) < (big[2] - big[0]) * (big[3] - big[1])


@settings(max_examples=60, deadline=None)
@given(st.floats(-20, 80), st.floats(-20, 60), st.floats(2, 40), st.floats(2, 40), st.floats(-180, 180), st.floats(0.5, 2.0))
def test_clipped_boxes_match_a_dense_sampling_of_the_moved_box(
    x: float, y: float, w: float, h: float, angle: float, scale: float
) -> None:
    matrix = A.affine_matrix(40, 60, angle, (scale, scale))
    box = np.array([[x, y, x + w, y + h]])
    result = A.affine_boxes(box, matrix, 40, 60)[0]
    u, v = np.meshgrid(np.linspace(0, 1, 241), np.linspace(0, 1, 241))
    points = np.stack([x + u.ravel() * w, y + v.ravel() * h], axis=1) - 0.5
    moved = points @ matrix[:, :2].T + matrix[:, 2] + 0.5
    visible = moved[(moved[:, 0] >= 0) & (moved[:, 0] <= 60) & (moved[:, 1] >= 0) & (moved[:, 1] <= 40)]
    if len(visible) == 0:
        assert np.isnan(result).all() or (result[2] - result[0]) * (result[3] - result[1]) < 1.0
        return
    expected = np.concatenate([visible.min(axis=0), visible.max(axis=0)])
    step = max(w, h) * scale / 240 * 1.5 + 1e-6
    assert (result[:2] <= expected[:2] + 1e-6).all() and (result[2:] >= expected[2:] - 1e-6).all()
    assert np.abs(result - expected).max() <= step
    assert (result >= -1e-9).all() and result[2] <= 60 + 1e-9 and result[3] <= 40 + 1e-9


def test_fit_output_and_safe_rotate_keep_all_content() -> None:
    marked = np.zeros((40, 60), np.uint8)
    marked[:2, :2], marked[:2, -2:], marked[-2:, :2], marked[-2:, -2:] = 1, 2, 3, 4  # corner blocks
    fitted = Affine(rotate=30, fit_output=True, interpolation="nearest", p=1.0)(image=marked, rng=0)["image"]
    assert fitted.shape[0] > 40 and fitted.shape[1] > 60
    assert set(np.unique(fitted)) == {0, 1, 2, 3, 4}
    safe = SafeRotate(angle=30, interpolation="nearest", p=1.0)(image=np.ones((40, 60), np.uint8), rng=0, record=True)
    assert safe["image"].shape == (40, 60) and safe["applied"][0]["params"]["scale"] < 1.0
    moved_corners = A.affine_boxes(np.array([[0.0, 0.0, 60.0, 40.0]]), np.asarray(safe["applied"][0]["params"]["matrix"]))[0]
    assert (
        moved_corners[0] >= -1e-6
        and moved_corners[1] >= -1e-6
        and moved_corners[2] <= 60 + 1e-6
        and moved_corners[3] <= 40 + 1e-6
    )


def test_perspective_without_distortion_is_the_identity() -> None:
    out = Perspective(distortion_scale=0.0, interpolation="nearest", p=1.0)(image=IMAGE, rng=0)["image"]
    np.testing.assert_array_equal(out, IMAGE)


def test_perspective_moves_boxes_with_the_mask() -> None:
    mask = np.zeros((40, 60), np.uint8)
    mask[10:25, 15:40] = 1
    for seed in range(10):
        out = Perspective(distortion_scale=0.5, p=1.0)(image=IMAGE, mask=mask, bboxes=[[15, 10, 40, 25]], labels=[1], rng=seed)
        ys, xs = np.nonzero(out["mask"])
        extent = np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], dtype=float)
        np.testing.assert_allclose(out["bboxes"][0], extent, atol=1.5)


def test_shift_scale_rotate_records_its_draws_and_replays() -> None:
    t = ShiftScaleRotate(shift_limit=0.1, scale_limit=0.2, rotate_limit=30, p=1.0)
    out = t(image=IMAGE, rng=5, record=True)
    params = out["applied"][0]["params"]
    assert {"angle", "scale", "translate", "matrix", "height", "width"} <= params.keys()
    assert -30 <= params["angle"] <= 30 and 0.8 <= params["scale"] <= 1.2
    np.testing.assert_array_equal(replay(t, params, image=IMAGE)["image"], out["image"])


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "wrap"])
def test_border_modes_and_per_channel_fill(mode: str) -> None:
    out = Affine(translate_px=10, border_mode=mode, fill=(1, 2, 3), interpolation="nearest", p=1.0)(image=IMAGE, rng=0)
    reference = cv2.warpAffine(
        IMAGE, np.float64([[1, 0, 10], [0, 1, 10]]), (60, 40), flags=cv2.INTER_NEAREST,
        borderMode=ak.image.functional.BORDER_MODES[mode], borderValue=(1, 2, 3, 0),
    )  # fmt: skip
    np.testing.assert_array_equal(out["image"], reference)


def test_bad_arguments() -> None:
    with pytest.raises(ak.ArgumentError, match="Affine: arguments 'translate_percent' and 'translate_px'"):
        Affine(translate_percent=0.1, translate_px=3)
    with pytest.raises(ak.ArgumentError, match="Rotate: argument 'rotate_method' expects one of 'largest_box', 'ellipse'"):
        Rotate(rotate_method="tight")
    with pytest.raises(ak.ArgumentError, match="Rotate: argument 'border_mode' expects one of"):
        Rotate(border_mode="mirror")
    with pytest.raises(ak.TargetError, match="Rotate: argument 'fill' does not fit the image: fill has 2 values"):
        Rotate(angle=10, fill=(1, 2), p=1.0)(image=IMAGE, rng=0)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_quad_clipping_agrees_with_the_general_polygon_clipper(seed: int) -> None:
    """The fast band-cut clipper and the Liang-Barsky polygon clipper give the same boxes."""
    rng = np.random.default_rng(seed)
    boxes = np.sort(rng.uniform(-60, 120, (12, 2, 2)), axis=1).reshape(12, 4)[:, [0, 2, 1, 3]]
    boxes[:, 2:] += 1.0
    matrix = np.eye(3)
    matrix[:2] = A.affine_matrix(60, 80, rng.uniform(-180, 180), (rng.uniform(0.5, 2), rng.uniform(0.5, 2)))
    matrix[2, :2] = rng.uniform(-4e-3, 4e-3, 2)  # a mild homography: the quads stay convex
    quads = A._project(A._corners(boxes), matrix) + 0.5
    fast, general = A.clipped_quad_boxes(quads, 60, 80), A.clipped_polygon_boxes(quads, 60, 80)
    empty_fast = np.isnan(fast).any(axis=1) | (fast[:, 2] <= fast[:, 0]) | (fast[:, 3] <= fast[:, 1])
    empty_general = np.isnan(general).any(axis=1) | (general[:, 2] <= general[:, 0]) | (general[:, 3] <= general[:, 1])
    np.testing.assert_array_equal(empty_fast, empty_general)
    np.testing.assert_allclose(fast[~empty_fast], general[~empty_general], atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.one_of(st.floats(-180, 180), st.sampled_from([0.0, 1e-12, -1e-9, 90.0, 45.0, 180.0 - 1e-10])),
    st.floats(-1.0, 1.0),
)
def test_closed_form_parallelogram_clip_equals_the_polygon_clipper(seed: int, angle: float, shear: float) -> None:
    """affine_boxes' closed-form cut equals clipping the moved corners as a polygon, for rotations
    (including near-axis-aligned ones), anisotropic scales and shears, boxes inside, across and outside."""
    rng = np.random.default_rng(seed)
    boxes = np.sort(rng.uniform(-60, 140, (10, 2, 2)), axis=1).reshape(10, 4)
    boxes[:, 2:] += 1.0
    matrix = A.affine_matrix(60, 80, angle, (rng.uniform(0.5, 2), rng.uniform(0.5, 2)))
    matrix[:, :2] = matrix[:, :2] @ np.array([[1.0, shear], [0.0, 1.0]])
    got = A.affine_boxes(boxes, matrix, 60, 80)
    quads = A._corners(boxes) @ matrix[:, :2].T + matrix[:, 2] + 0.5
    ref = A.clipped_polygon_boxes(quads, 60, 80)

    def empty(b: np.ndarray) -> np.ndarray:
        return np.isnan(b).any(axis=1) | (b[:, 2] - b[:, 0] <= 1e-9) | (b[:, 3] - b[:, 1] <= 1e-9)

    np.testing.assert_array_equal(empty(got), empty(ref))
    keep = ~empty(got)
    np.testing.assert_allclose(got[keep], ref[keep], atol=1e-6)
