"""Resizing and padding transforms against numpy references and pixel-exact geometry."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import augkit as ak
from augkit.image.functional import padding as P
from augkit.image.resize import (
    LetterBox,
    LongestMaxSize,
    Pad,
    PadIfNeeded,
    RandomScale,
    RandomZoomOut,
    SmallestMaxSize,
)

DTYPES = ("uint8", "uint16", "float32")
LAYOUTS = ((), (1,), (3,), (7,), (130,))
NUMPY_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "wrap": "wrap"}
# portrait, landscape, square, odd and extreme shapes
SHAPES = [(48, 64), (64, 48), (50, 50), (37, 91), (91, 37), (33, 33), (1, 7), (7, 1), (5, 3)]


def make(dtype: str, layout: tuple[int, ...] = (3,), height: int = 9, width: int = 11, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (height, width, *layout)
    if dtype == "float32":
        return rng.random(shape, dtype=np.float32)
    top = 255 if dtype == "uint8" else 65535
    return rng.integers(0, top + 1, size=shape).astype(dtype)


def replay(transform: ak.BaseTransform, params: dict, **targets: object) -> dict:
    return transform.replay([{"name": type(transform).__name__, "path": [], "params": params}], **targets)


def params_of(transform: ak.BaseTransform, seed: int = 0, **targets: object) -> tuple[dict, dict]:
    out = transform(rng=np.random.default_rng(seed), record=True, **targets)
    return out, out["applied"][0]["params"]


def extent(mask: np.ndarray, value: int) -> list[float]:
    ys, xs = np.nonzero(mask == value)
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def centre(mask: np.ndarray, value: int) -> list[float]:
    ys, xs = np.nonzero(mask == value)
    return [float(xs.mean()), float(ys.mean())]


# Two boxes painted into a mask (labels 1, 2) and two single-pixel dots (labels 3, 4), in a 12 x 10 image.
SCENE_BOXES = np.array([[1.0, 2.0, 5.0, 7.0], [6.0, 0.0, 10.0, 3.0]])
SCENE_DOTS = np.array([[0.0, 11.0], [8.0, 5.0]])


def scene() -> tuple[np.ndarray, np.ndarray]:
    """(image, mask) of height 12 and width 10 with the boxes and the dots painted in."""
    mask = np.zeros((12, 10), np.uint8)
    for index, (x1, y1, x2, y2) in enumerate(SCENE_BOXES.astype(int)):
        mask[y1:y2, x1:x2] = index + 1
    for index, (x, y) in enumerate(SCENE_DOTS.astype(int)):
        mask[y, x] = index + 3
    return make("uint8", (3,), 12, 10), mask


def check_scene(transform: ak.BaseTransform, seed: int = 0, dot_size: int = 1) -> dict:
    """Run the scene through ``transform``: boxes must equal their mask extents, keypoints the dots."""
    image, mask = scene()
    out = transform(
        rng=np.random.default_rng(seed), image=image, mask=mask, bboxes=SCENE_BOXES, labels=[1, 2], keypoints=SCENE_DOTS
    )
    assert out["image"].shape[:2] == out["mask"].shape
    assert out["labels"] == [1, 2]
    for box, label in zip(out["bboxes"], out["labels"], strict=True):
        assert box.tolist() == pytest.approx(extent(out["mask"], label), abs=1e-9)
    for index, point in enumerate(out["keypoints"]):
        ys, _ = np.nonzero(out["mask"] == index + 3)
        assert len(ys) == dot_size * dot_size
        assert point.tolist() == pytest.approx(centre(out["mask"], index + 3), abs=1e-9)
    return out


# ---------------------------------------------------------------------------------------------
# Output sizes


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("max_size", [1, 16, 100, 127])
def test_longest_max_size_output_size(shape: tuple[int, int], max_size: int) -> None:
    height, width = shape
    out = LongestMaxSize(max_size)(image=np.zeros((height, width, 3), np.uint8))["image"]
    short = max(1, max_size * min(height, width) // max(height, width))  # truncated, as torchvision
    expected = (max_size, short) if height >= width else (short, max_size)
    assert out.shape == (*expected, 3)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("max_size", [1, 16, 100, 127])
def test_smallest_max_size_output_size(shape: tuple[int, int], max_size: int) -> None:
    height, width = shape
    out = SmallestMaxSize(max_size)(image=np.zeros((height, width), np.float32))["image"]
    long = max(1, max_size * max(height, width) // min(height, width))
    expected = (long, max_size) if height >= width else (max_size, long)
    assert out.shape == expected


def test_max_size_truncates_like_torchvision() -> None:
    # cases where rounding would give one more pixel than torchvision's int()
    assert LongestMaxSize(100)(image=np.zeros((37, 91), np.uint8))["image"].shape == (40, 100)  # 40.66
    assert SmallestMaxSize(10)(image=np.zeros((3, 5), np.uint8))["image"].shape == (10, 16)  # 16.67
    assert SmallestMaxSize(64)(image=np.zeros((48, 64), np.uint8))["image"].shape == (64, 85)  # 85.33


def test_max_size_list_chooses_among_the_sizes() -> None:
    transform = LongestMaxSize([20, 30, 40])
    seen = set()
    for seed in range(40):
        out, params = params_of(transform, seed, image=np.zeros((48, 64), np.uint8))
        assert params["max_size"] in (20, 30, 40)
        assert out["image"].shape[1] == params["max_size"] == params["width"]
        seen.add(params["max_size"])
    assert seen == {20, 30, 40}


@pytest.mark.parametrize("shape", SHAPES)
def test_random_scale_sizes_and_range(shape: tuple[int, int]) -> None:
    height, width = shape
    transform = RandomScale(scale_limit=(-0.5, 0.3), p=1.0)
    scales = []
    for seed in range(20):
        out, params = params_of(transform, seed, image=np.zeros((height, width, 3), np.uint8))
        assert 0.5 <= params["scale"] <= 1.3
        expected = (max(1, round(height * params["scale"])), max(1, round(width * params["scale"])))
        assert out["image"].shape[:2] == expected == (params["height"], params["width"])
        scales.append(params["scale"])
    assert len(set(scales)) == 20
    exact = RandomScale(scale_limit=1.0, p=1.0)(image=np.zeros((height, width), np.uint8), rng=1)["image"]
    assert exact.shape == (2 * height, 2 * width)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("target", [(64, 64), (40, 72), (73, 31)])
def test_letterbox_output_size(shape: tuple[int, int], target: tuple[int, int]) -> None:
    image = make("uint8", (3,), *shape)
    out, params = params_of(LetterBox(*target), image=image)
    assert out["image"].shape == (*target, 3)
    resized = (params["resized_height"], params["resized_width"])
    assert resized[0] == target[0] or resized[1] == target[1], "one side fills the box"
    assert resized[0] <= target[0] and resized[1] <= target[1]
    ratio = min(target[0] / shape[0], target[1] / shape[1])
    assert abs(resized[0] - shape[0] * ratio) <= 0.5 + 1e-9 and abs(resized[1] - shape[1] * ratio) <= 0.5 + 1e-9
    assert params["top"] + params["bottom"] == target[0] - resized[0]
    assert params["left"] + params["right"] == target[1] - resized[1]
    assert 0 <= params["bottom"] - params["top"] <= 1 and 0 <= params["right"] - params["left"] <= 1


# ---------------------------------------------------------------------------------------------
# Padded content against numpy.pad


@pytest.mark.parametrize("border_mode", sorted(NUMPY_MODES))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda c: f"c{c[0] if c else 'none'}")
def test_pad_matches_numpy(border_mode: str, dtype: str, layout: tuple[int, ...]) -> None:
    image = make(dtype, layout)  # 9 x 11; the right and bottom pads are larger than the image
    left, top, right, bottom = 3, 5, 30, 20
    out = Pad((left, top, right, bottom), border_mode=border_mode, fill=7)(image=image)["image"]
    widths = ((top, bottom), (left, right), *(((0, 0),) * len(layout)))
    kwargs = {"constant_values": 7} if border_mode == "constant" else {}
    expected = np.pad(image, widths, mode=NUMPY_MODES[border_mode], **kwargs)  # type: ignore[call-overload]
    assert out.dtype == image.dtype and out.flags.c_contiguous
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("border_mode", sorted(NUMPY_MODES))
@pytest.mark.parametrize("dtype", ["bool", "int8", "int32", "float64", "uint16"])
def test_pad_masks_and_frames_match_numpy(border_mode: str, dtype: str) -> None:
    rng = np.random.default_rng(3)
    mask = (rng.integers(-100, 100, (6, 5)) if dtype != "bool" else rng.random((6, 5)) > 0.5).astype(dtype)
    frames = np.stack([make("uint16", (3,), 6, 5, seed) for seed in range(3)])
    transform = Pad((4, 9), border_mode=border_mode, fill=5, fill_mask=1)
    out = transform(images=frames, mask=mask)
    kwargs = {"constant_values": 1} if border_mode == "constant" else {}
    mode = NUMPY_MODES[border_mode]
    np.testing.assert_array_equal(out["mask"], np.pad(mask, ((9, 9), (4, 4)), mode=mode, **kwargs))  # type: ignore[call-overload]
    assert out["mask"].dtype == mask.dtype
    kwargs = {"constant_values": 5} if border_mode == "constant" else {}
    expected = np.pad(frames, ((0, 0), (9, 9), (4, 4), (0, 0)), mode=mode, **kwargs)  # type: ignore[call-overload]
    np.testing.assert_array_equal(out["images"], expected)


def test_pad_integer_padding_pads_all_sides_and_zero_is_a_copy() -> None:
    image = make("uint8")
    out = Pad(2)(image=image)["image"]
    np.testing.assert_array_equal(out, np.pad(image, ((2, 2), (2, 2), (0, 0))))
    same = Pad(0)(image=image)["image"]
    np.testing.assert_array_equal(same, image)
    assert not np.shares_memory(same, image)


# ---------------------------------------------------------------------------------------------
# Fill values


@pytest.mark.parametrize("channels", [2, 3, 4, 7, 130])
@pytest.mark.parametrize("dtype", DTYPES)
def test_per_channel_fill(channels: int, dtype: str) -> None:
    image = make(dtype, (channels,), 5, 4)
    fill = [float(c % 50 + 1) for c in range(channels)]
    out = Pad((1, 2, 3, 4), fill=fill)(image=image)["image"]
    assert out.shape == (11, 8, channels)
    np.testing.assert_array_equal(out[2:7, 1:5], image)
    border = np.ones(out.shape[:2], bool)
    border[2:7, 1:5] = False
    np.testing.assert_array_equal(out[border], np.broadcast_to(np.asarray(fill, dtype=dtype), (border.sum(), channels)))


@pytest.mark.parametrize("channels", [1, 3, 7, 130])
def test_scalar_and_single_value_fill_broadcast(channels: int) -> None:
    image = make("uint16", (channels,), 3, 3)
    for fill in (9, [9], (9.0,)):
        out = Pad(1, fill=fill)(image=image)["image"]
        assert (out[0] == 9).all() and (out[:, -1] == 9).all()
        np.testing.assert_array_equal(out[1:4, 1:4], image)


def test_integer_fill_is_rounded_and_saturated_on_every_path() -> None:
    fill = [-5.0, 300.0, 1.6, 2.4, 7.0, 8.0, 9.0]
    expected = [0, 255, 2, 2, 7, 8, 9]
    numpy_path = Pad(1, fill=fill)(image=np.zeros((2, 2, 7), np.uint8))["image"]  # per-channel, > 4 channels
    opencv_path = Pad(1, fill=fill[:4])(image=np.zeros((2, 2, 4), np.uint8))["image"]
    assert numpy_path[0, 0].tolist() == expected
    assert opencv_path[0, 0].tolist() == expected[:4]


def test_fill_of_the_wrong_length_is_a_clear_error() -> None:
    with pytest.raises(ak.TargetError, match=r"^Pad: argument 'fill' expects one value or one per channel \(3\)"):
        Pad(1, fill=[1, 2])(image=np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ak.TargetError, match=r"^PadIfNeeded: argument 'fill' .*one per channel \(1\)"):
        PadIfNeeded(8, 8, fill=[1, 2, 3])(image=np.zeros((4, 4), np.uint8))
    with pytest.raises(ak.TargetError, match=r"^LetterBox: argument 'fill_mask' .*one per channel \(1\)"):
        LetterBox(8, 16, fill_mask=[1, 2])(image=np.zeros((4, 4, 3), np.uint8), mask=np.zeros((4, 4), np.uint8))


# ---------------------------------------------------------------------------------------------
# PadIfNeeded: targets, positions, divisors


@pytest.mark.parametrize(
    ("position", "top", "left"),
    [("center", 2, 2), ("top_left", 0, 0), ("top_right", 0, 5), ("bottom_left", 5, 0), ("bottom_right", 5, 5)],
)
def test_pad_if_needed_positions(position: str, top: int, left: int) -> None:
    image = make("uint8", (3,), 5, 7)
    out = PadIfNeeded(10, 12, position=position, fill=200)(image=image)["image"]
    assert out.shape == (10, 12, 3)
    np.testing.assert_array_equal(out[top : top + 5, left : left + 7], image)
    out[top : top + 5, left : left + 7] = 200
    assert (out == 200).all()


def test_pad_if_needed_random_position_covers_every_offset() -> None:
    transform = PadIfNeeded(7, 9, position="random")
    offsets = set()
    for seed in range(200):
        _, params = params_of(transform, seed, image=np.zeros((5, 7), np.uint8))
        assert params["top"] + params["bottom"] == 2 and params["left"] + params["right"] == 2
        offsets.add((params["top"], params["left"]))
    assert offsets == {(t, left) for t in range(3) for left in range(3)}


@pytest.mark.parametrize("shape", SHAPES)
def test_pad_if_needed_never_crops(shape: tuple[int, int]) -> None:
    image = make("float32", (3,), *shape)
    out = PadIfNeeded(40, 40)(image=image)["image"]
    assert out.shape == (max(40, shape[0]), max(40, shape[1]), 3)


@pytest.mark.parametrize("shape", [*SHAPES, (64, 32), (32, 96)])
def test_pad_if_needed_divisors(shape: tuple[int, int]) -> None:
    height, width = shape
    out = PadIfNeeded(pad_height_divisor=32, pad_width_divisor=16)(image=np.ones(shape, np.uint8))["image"]
    assert out.shape == (-(-height // 32) * 32, -(-width // 16) * 16)
    assert out.shape[0] - height < 32 and out.shape[1] - width < 16
    assert out.sum() == height * width, "content kept, padding zero"
    both = PadIfNeeded(min_height=70, pad_height_divisor=32)(image=np.ones(shape, np.uint8))["image"]
    assert both.shape == (-(-max(height, 70) // 32) * 32, width), "width has no constraint"


# ---------------------------------------------------------------------------------------------
# Boxes and keypoints move exactly with the pixels


@pytest.mark.parametrize("position", ["center", "top_left", "top_right", "bottom_left", "bottom_right", "random"])
def test_padding_shifts_boxes_and_keypoints_exactly(position: str) -> None:
    for seed in range(4):
        out = check_scene(PadIfNeeded(17, 23, position=position), seed)
        assert out["image"].shape[:2] == (17, 23)


@pytest.mark.parametrize("border_mode", ["reflect", "replicate", "wrap"])
def test_mirroring_border_modes_only_shift_the_annotations(border_mode: str) -> None:
    image, mask = scene()
    transform = PadIfNeeded(30, 27, position="random", border_mode=border_mode)
    for seed in range(4):
        out, params = params_of(transform, seed, image=image, mask=mask, bboxes=SCENE_BOXES, labels=[1, 2], keypoints=SCENE_DOTS)
        top, left = params["top"], params["left"]
        np.testing.assert_array_equal(out["mask"][top : top + 12, left : left + 10], mask)
        np.testing.assert_array_equal(out["bboxes"], SCENE_BOXES + np.array([left, top, left, top]))
        np.testing.assert_array_equal(out["keypoints"], SCENE_DOTS + np.array([left, top]))
        assert np.isin(out["mask"], [1, 2]).sum() > np.isin(mask, [1, 2]).sum(), (
            "the border holds copies of the objects (not annotated)"
        )


@pytest.mark.parametrize("padding", [3, (2, 5), (1, 0, 7, 4)])
def test_pad_shifts_boxes_and_keypoints_exactly(padding: int | tuple[int, ...]) -> None:
    check_scene(Pad(padding))


def test_zoom_out_shifts_boxes_and_keypoints_exactly() -> None:
    for seed in range(10):
        check_scene(RandomZoomOut(side_range=(1.0, 3.0), p=1.0), seed)


@pytest.mark.parametrize(
    ("transform", "factor"),
    [(LongestMaxSize(36), 3), (SmallestMaxSize(20), 2), (RandomScale(scale_limit=3.0, p=1.0), 4)],
    ids=["longest", "smallest", "scale"],
)
def test_resizing_scales_boxes_and_keypoints_exactly(transform: ak.BaseTransform, factor: int) -> None:
    out = check_scene(transform, dot_size=factor)
    assert out["image"].shape[:2] == (12 * factor, 10 * factor)
    np.testing.assert_allclose(out["bboxes"], SCENE_BOXES * factor)


def test_downscaling_by_two_keeps_boxes_on_the_mask() -> None:
    image, mask = scene()
    boxes = np.array([[2.0, 2.0, 6.0, 8.0]])
    mask = np.zeros_like(mask)
    mask[2:8, 2:6] = 1
    out = SmallestMaxSize(5)(image=image, mask=mask, bboxes=boxes, labels=[1])
    assert out["mask"].shape == (6, 5)
    assert out["bboxes"].tolist() == [extent(out["mask"], 1)] == [[1.0, 1.0, 3.0, 4.0]]


def test_default_mask_interpolation_keeps_masks_on_the_keypoints() -> None:
    # OpenCV's plain nearest samples pixel corners and drifts up to ~0.9 px at these scales
    mask = np.zeros((48, 64), np.uint8)
    points = np.array([[6.0, 9.0], [50.0, 12.0], [21.0, 38.0], [33.0, 27.0]])
    for index, (x, y) in enumerate(points.astype(int)):
        mask[y - 1 : y + 2, x - 1 : x + 2] = index + 1
    for scale in np.linspace(-0.3, 0.3, 25):
        out = RandomScale(scale_limit=float(scale), p=1.0)(image=mask, mask=mask, keypoints=points)
        for index, point in enumerate(out["keypoints"]):
            ys, xs = np.nonzero(out["mask"] == index + 1)
            assert np.abs([xs.mean() - point[0], ys.mean() - point[1]]).max() <= 0.5, (scale, index)


def test_letterbox_moves_boxes_and_keypoints_exactly() -> None:
    out = check_scene(LetterBox(36, 60), dot_size=3)  # 12 x 10 -> 36 x 30, 15 columns each side
    params = params_of(LetterBox(36, 60), image=scene()[0])[1]
    assert (params["top"], params["left"], params["right"], params["resized_width"]) == (0, 15, 15, 30)
    np.testing.assert_allclose(out["bboxes"], SCENE_BOXES * 3 + [15, 0, 15, 0])


# ---------------------------------------------------------------------------------------------
# LetterBox: content, inverse mapping


def test_letterbox_content_is_the_resized_image_and_the_fill() -> None:
    image = make("uint8", (3,), 20, 50)
    out, params = params_of(LetterBox(64, 64, fill=(1, 2, 3), interpolation="area"), image=image)
    top, height = params["top"], params["resized_height"]
    assert (params["resized_width"], height, top, params["bottom"]) == (64, 26, 19, 19)
    np.testing.assert_array_equal(out["image"][top : top + height], cv2.resize(image, (64, 26), interpolation=cv2.INTER_AREA))
    assert out["image"][:top].reshape(-1, 3).tolist() == [[1, 2, 3]] * (top * 64)
    assert out["image"][top + height :].reshape(-1, 3).tolist() == [[1, 2, 3]] * (params["bottom"] * 64)


def test_letterbox_without_centering_pads_bottom_right() -> None:
    _, params = params_of(LetterBox(64, 64, center=False), image=np.zeros((30, 15), np.uint8))
    assert (params["top"], params["left"], params["bottom"], params["right"]) == (0, 0, 0, 32)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("target", [(640, 640), (64, 48), (33, 97)])
def test_letterbox_inverse_round_trips(shape: tuple[int, int], target: tuple[int, int]) -> None:
    height, width = shape
    rng = np.random.default_rng(height * 1000 + width)
    corners = rng.uniform(-0.5, 1.5, (50, 2, 2)) * [width, height]  # also outside the image: before clipping
    boxes = np.concatenate([corners.min(axis=1), corners.max(axis=1)], axis=1)
    transform = LetterBox(*target)
    params = params_of(transform, image=np.zeros(shape, np.uint8))[1]
    moved = transform.apply_bboxes(boxes, params, height, width)
    np.testing.assert_allclose(P.letterbox_inverse(moved, params), boxes, rtol=0, atol=1e-6)
    points = np.concatenate([corners[:, 0], np.zeros((50, 2))], axis=1)
    moved_points = transform.apply_keypoints(points, params, height, width)
    np.testing.assert_allclose(P.letterbox_inverse_keypoints(moved_points, params)[:, :2], points[:, :2], atol=1e-6)
    # through the pipeline (boxes inside the image are not clipped), with extra columns kept
    inside = np.clip(boxes, 0, [width, height, width, height])
    inside = inside[(inside[:, 2] > inside[:, 0]) & (inside[:, 3] > inside[:, 1])]
    out = transform(image=np.zeros(shape, np.uint8), bboxes=inside, labels=list(range(len(inside))), record=True)
    assert out["labels"] == list(range(len(inside)))
    back = P.letterbox_inverse(np.c_[out["bboxes"], np.arange(len(inside))], out["applied"][0]["params"])
    np.testing.assert_allclose(back[:, :4], inside, rtol=0, atol=1e-6)
    assert back[:, 4].tolist() == list(range(len(inside)))


def test_letterbox_inverse_rejects_bad_boxes() -> None:
    with pytest.raises(ValueError, match="N x 4"):
        P.letterbox_inverse(np.zeros((3, 3)), P.letterbox_geometry(5, 5, 10, 10))


# ---------------------------------------------------------------------------------------------
# RandomZoomOut


@pytest.mark.parametrize("layout", [(), (3,), (130,)], ids=lambda c: f"c{c[0] if c else 'none'}")
def test_zoom_out_places_the_image_unchanged_on_the_canvas(layout: tuple[int, ...]) -> None:
    image = make("float32", layout, 9, 11)
    mask = np.arange(99, dtype=np.int32).reshape(9, 11) + 1
    fill = 0.25 if not layout else [c / 200 for c in range(layout[0])]
    transform = RandomZoomOut(fill=fill, side_range=(1.0, 4.0), fill_mask=-1, p=1.0)
    sides, offsets = [], set()
    for seed in range(30):
        out, params = params_of(transform, seed, image=image, mask=mask)
        side, top, left = params["side"], params["top"], params["left"]
        assert 1.0 <= side <= 4.0
        assert out["image"].shape == (int(9 * side), int(11 * side), *layout)
        np.testing.assert_array_equal(out["image"][top : top + 9, left : left + 11], image)
        np.testing.assert_array_equal(out["mask"][top : top + 9, left : left + 11], mask)
        assert (out["mask"] == -1).sum() == out["mask"].size - 99
        canvas = out["image"].copy()
        canvas[top : top + 9, left : left + 11] = np.asarray(fill, np.float32)
        assert (canvas == np.asarray(fill, np.float32)).all()
        sides.append(side)
        offsets.add((top, left))
    assert len(set(sides)) == 30 and len(offsets) > 20


def test_zoom_out_exact_side() -> None:
    out = RandomZoomOut(side_range=2.0, p=1.0)(image=np.ones((9, 11), np.uint8), rng=4)["image"]
    assert out.shape == (18, 22) and out.sum() == 99


# ---------------------------------------------------------------------------------------------
# Arguments


BAD_ARGUMENTS = [
    (lambda: LongestMaxSize(0), "LongestMaxSize", "max_size"),
    (lambda: LongestMaxSize([]), "LongestMaxSize", "max_size"),
    (lambda: SmallestMaxSize([32, -1]), "SmallestMaxSize", "max_size"),
    (lambda: LongestMaxSize(32, interpolation="bilinear"), "LongestMaxSize", "interpolation"),
    (lambda: SmallestMaxSize(32, mask_interpolation="linear_x"), "SmallestMaxSize", "mask_interpolation"),
    (lambda: RandomScale(scale_limit=(-1.0, 0.2)), "RandomScale", "scale_limit"),
    (lambda: RandomScale(scale_limit=(0.3, 0.1)), "RandomScale", "scale_limit"),
    (lambda: RandomScale(scale_limit="big"), "RandomScale", "scale_limit"),
    (lambda: PadIfNeeded(0, 10), "PadIfNeeded", "min_height"),
    (lambda: PadIfNeeded(10, 2.5), "PadIfNeeded", "min_width"),
    (lambda: PadIfNeeded(pad_height_divisor=0), "PadIfNeeded", "pad_height_divisor"),
    (lambda: PadIfNeeded(pad_width_divisor=-32), "PadIfNeeded", "pad_width_divisor"),
    (lambda: PadIfNeeded(), "PadIfNeeded", "min_height"),
    (lambda: PadIfNeeded(10, 10, position="middle"), "PadIfNeeded", "position"),
    (lambda: PadIfNeeded(10, 10, border_mode="mirror"), "PadIfNeeded", "border_mode"),
    (lambda: PadIfNeeded(10, 10, fill="black"), "PadIfNeeded", "fill"),
    (lambda: PadIfNeeded(10, 10, fill_mask=[]), "PadIfNeeded", "fill_mask"),
    (lambda: Pad(-1), "Pad", "padding"),
    (lambda: Pad((1, 2, 3)), "Pad", "padding"),
    (lambda: Pad((1, 2, 3, -4)), "Pad", "padding"),
    (lambda: Pad(1, border_mode="symmetric"), "Pad", "border_mode"),
    (lambda: Pad(1, fill=float("nan")), "Pad", "fill"),
    (lambda: LetterBox(0, 640), "LetterBox", "height"),
    (lambda: LetterBox(640, None), "LetterBox", "width"),
    (lambda: LetterBox(640, 640, center=1), "LetterBox", "center"),
    (lambda: LetterBox(640, 640, interpolation="bicubic"), "LetterBox", "interpolation"),
    (lambda: RandomZoomOut(side_range=(0.5, 2.0)), "RandomZoomOut", "side_range"),
    (lambda: RandomZoomOut(side_range=(3.0, 2.0)), "RandomZoomOut", "side_range"),
    (lambda: RandomZoomOut(fill=[1, "a"]), "RandomZoomOut", "fill"),
    (lambda: RandomZoomOut(p=2), "RandomZoomOut", "p"),
]


@pytest.mark.parametrize(
    ("build", "owner", "name"), BAD_ARGUMENTS, ids=[f"{o}-{n}-{i}" for i, (_, o, n) in enumerate(BAD_ARGUMENTS)]
)
def test_bad_arguments_name_the_argument(build: object, owner: str, name: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^{owner}: argument[s]? .*'{name}'.* expects? "):
        build()  # type: ignore[operator]


def test_stored_arguments_round_trip() -> None:
    for transform in (
        Pad((2, 3)),
        Pad(4),
        LongestMaxSize([10, 20]),
        RandomScale(0.25),
        PadIfNeeded(pad_width_divisor=8, fill=(1, 2, 3)),
        LetterBox(32, 48, fill=[0.5]),
        RandomZoomOut(fill=7),
    ):
        rebuilt = ak.from_dict(transform.to_dict())
        assert rebuilt.to_dict() == transform.to_dict()
    assert RandomScale(0.25).scale_limit == (0.25, 0.25)
    assert RandomZoomOut(side_range=2).side_range == (2.0, 2.0)
