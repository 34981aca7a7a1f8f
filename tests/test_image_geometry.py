"""Geometric image transforms and their box/keypoint kernels against independent numpy references."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import augkit as ak
from augkit.image import functional as F

DTYPES = ("uint8", "uint16", "float32")
LAYOUTS = ((), (1,), (3,), (7,))
H, W = 5, 7  # odd, non-square: every off-by-one and every height/width mix-up shows


def make(dtype: str, layout: tuple[int, ...] = (), height: int = H, width: int = W, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (height, width, *layout)
    if dtype == "float32":
        return rng.random(shape, dtype=np.float32)
    top = 255 if dtype == "uint8" else 65535
    return rng.integers(0, top + 1, size=shape).astype(dtype)


FLIPS = {"hflip": ak.image.HorizontalFlip, "vflip": ak.image.VerticalFlip, "transpose": ak.image.Transpose}


def run(op: str, settings: dict | None = None, **targets: object) -> dict:
    """Apply one geometric op through a Compose (rot90 by replaying a record with a chosen k)."""
    if op.startswith("rot90_"):
        record = [{"name": "RandomRotate90", "path": [0], "params": {"k": int(op[-1])}}]
        return ak.Compose([ak.image.RandomRotate90()], **(settings or {})).replay(record, **targets)
    return ak.Compose([FLIPS[op](p=1.0)], **(settings or {}))(**targets)


def numpy_ref(op: str, image: np.ndarray) -> np.ndarray:
    if op == "hflip":
        return np.flip(image, 1)
    if op == "vflip":
        return np.flip(image, 0)
    if op == "transpose":
        return np.swapaxes(image, 0, 1)
    return np.rot90(image, int(op[-1]))


def point_ref(op: str, x: float, y: float, height: int = H, width: int = W) -> tuple[float, float]:
    """Where the centre of pixel (row y, column x) goes; pixel-index coordinates."""
    if op == "hflip":
        return width - 1 - x, y
    if op == "vflip":
        return x, height - 1 - y
    if op == "transpose":
        return y, x
    k = int(op[-1])
    for _ in range(k):  # one counter-clockwise quarter turn of a height x width image
        x, y, height, width = y, width - 1 - x, width, height
    return x, y


OPS = ("hflip", "vflip", "transpose", "rot90_0", "rot90_1", "rot90_2", "rot90_3")


# ----------------------------------------------------------------------------------- images
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_flip_rotate_transpose_match_numpy(op: str, layout: tuple[int, ...], dtype: str) -> None:
    image = make(dtype, layout)
    out = run(op, image=image)["image"]
    expected = numpy_ref(op, image)
    assert out.dtype == image.dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out, expected)
    assert out.flags.c_contiguous and not np.shares_memory(out, image)
    if op.startswith("rot90_"):
        np.testing.assert_array_equal(F.rot90(image, int(op[-1])), expected)


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
def test_kernels_match_numpy(layout: tuple[int, ...]) -> None:
    image = make("uint16", layout)
    np.testing.assert_array_equal(F.hflip(image), image[:, ::-1])
    np.testing.assert_array_equal(F.vflip(image), image[::-1])
    np.testing.assert_array_equal(F.transpose(image), np.swapaxes(image, 0, 1))
    np.testing.assert_array_equal(F.rot90(image, -1), np.rot90(image, 3))
    np.testing.assert_array_equal(F.crop(image, 1, 2, 4, 5), image[2:5, 1:4])


def test_random_rotate90_draws_every_k_and_record_matches() -> None:
    image = make("uint8", (3,))
    seen = set()
    for seed in range(40):
        out = ak.image.RandomRotate90()(image=image, rng=seed, record=True)
        k = out["applied"][0]["params"]["k"]
        seen.add(k)
        np.testing.assert_array_equal(out["image"], np.rot90(image, k))
        assert out["applied"][0]["shape_out"] == list(np.rot90(image, k).shape[:2])
    assert seen == {0, 1, 2, 3}


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_random_crop_matches_slicing_and_reaches_every_window(layout: tuple[int, ...], dtype: str) -> None:
    image = make(dtype, layout, height=6, width=7)
    windows = set()
    for seed in range(60):
        out = ak.image.RandomCrop(4, 5)(image=image, rng=seed, record=True)
        params = out["applied"][0]["params"]
        x0, y0 = params["x_min"], params["y_min"]
        assert (params["x_max"], params["y_max"]) == (x0 + 5, y0 + 4)
        np.testing.assert_array_equal(out["image"], image[y0 : y0 + 4, x0 : x0 + 5])
        assert out["image"].dtype == image.dtype and not np.shares_memory(out["image"], image)
        windows.add((y0, x0))
    assert windows == {(y, x) for y in range(3) for x in range(3)}
    full = ak.image.RandomCrop(6, 7)(image=image, rng=0)["image"]
    np.testing.assert_array_equal(full, image)


@pytest.mark.parametrize(
    ("size", "crop", "corner"),
    [
        ((8, 10), (4, 4), (2, 3)),  # even differences: exactly centred
        ((9, 11), (4, 4), (2, 3)),  # odd differences (5, 7): the extra pixel goes to the bottom/right
        ((9, 10), (3, 7), (3, 1)),  # odd height difference, odd width difference
        ((5, 7), (5, 7), (0, 0)),
    ],
)
@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
def test_center_crop_window(size: tuple[int, int], crop: tuple[int, int], corner: tuple[int, int], layout: tuple) -> None:
    image = make("float32", layout, *size)
    out = ak.image.CenterCrop(*crop)(image=image, record=True)
    y0, x0 = corner
    np.testing.assert_array_equal(out["image"], image[y0 : y0 + crop[0], x0 : x0 + crop[1]])
    assert out["applied"][0]["params"] == {"x_min": x0, "y_min": y0, "x_max": x0 + crop[1], "y_max": y0 + crop[0]}


@pytest.mark.parametrize("cls", [ak.image.RandomCrop, ak.image.CenterCrop])
@pytest.mark.parametrize("crop", [(7, 3), (3, 8), (9, 9)])
def test_crop_larger_than_image_raises(cls: type, crop: tuple[int, int]) -> None:
    with pytest.raises(ak.TargetError, match=cls.__name__):
        cls(*crop)(image=make("uint8", (3,), 6, 7), rng=0)


@pytest.mark.parametrize("interpolation", ["nearest", "linear", "cubic", "area", "lanczos"])
@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_resize_shape_and_dtype_like_opencv(interpolation: str, layout: tuple[int, ...], dtype: str) -> None:
    image = make(dtype, layout, 10, 14)
    out = ak.image.Resize(6, 9, interpolation=interpolation)(image=image)["image"]
    first = np.ascontiguousarray(image[..., :1] if layout else image)  # OpenCV's area resize takes <= 4 channels
    reference = cv2.resize(first, (9, 6), interpolation=F.INTERPOLATIONS[interpolation])
    assert out.shape == (*reference.shape[:2], *layout) == (6, 9, *layout)
    assert out.dtype == reference.dtype == image.dtype
    assert out.flags.c_contiguous


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_resize_nearest_integer_upscale_is_repeat(layout: tuple[int, ...], dtype: str) -> None:
    image = make(dtype, layout)
    out = ak.image.Resize(3 * H, 2 * W, interpolation="nearest")(image=image)["image"]
    np.testing.assert_array_equal(out, np.repeat(np.repeat(image, 3, axis=0), 2, axis=1))


@pytest.mark.parametrize("channels", [1, 3, 7, 12])
def test_resize_area_integer_downscale_is_block_mean(channels: int) -> None:
    image = make("float32", (channels,), 8, 12, seed=channels)
    out = ak.image.Resize(4, 3, interpolation="area")(image=image)["image"]
    blocks = image.astype(np.float64).reshape(4, 2, 3, 4, channels).mean(axis=(1, 3))
    assert out.shape == (4, 3, channels) and out.dtype == np.float32
    np.testing.assert_allclose(out, blocks, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_resize_area_12_channels_keeps_channel_order(dtype: str) -> None:
    image = make(dtype, (12,), 11, 13)
    out = ak.image.Resize(5, 4, interpolation="area")(image=image)["image"]
    assert out.shape == (5, 4, 12) and out.dtype == image.dtype
    for c in range(12):
        single = cv2.resize(np.ascontiguousarray(image[:, :, c]), (4, 5), interpolation=cv2.INTER_AREA)
        np.testing.assert_array_equal(out[:, :, c], single)


@pytest.mark.parametrize("dtype", DTYPES)
def test_resize_constant_stays_constant_and_same_size_is_a_copy(dtype: str) -> None:
    value = {"uint8": 200, "uint16": 40000, "float32": 0.25}[dtype]
    image = np.full((6, 8, 3), value, dtype=dtype)
    for interpolation in ("nearest", "nearest_exact", "linear", "area"):
        out = F.resize(image, 9, 13, interpolation)
        np.testing.assert_array_equal(out, np.full((9, 13, 3), value, dtype=dtype))
    np.testing.assert_allclose(F.resize(image, 9, 13, "cubic"), np.full((9, 13, 3), value), rtol=1e-6)
    same = F.resize(image, 6, 8)
    np.testing.assert_array_equal(same, image)
    assert not np.shares_memory(same, image)


def test_resize_masks_use_pixel_centred_nearest_by_default() -> None:
    rng = np.random.default_rng(3)
    mask = rng.choice(np.array([0, 3, 7], np.uint8), size=(10, 14))
    image = make("uint8", (3,), 10, 14)
    labels32 = mask.astype(np.int32) * 1000
    out = ak.image.Resize(7, 23, interpolation="cubic")(image=image, mask=mask, masks=[mask, labels32])
    assert set(np.unique(out["mask"]).tolist()) <= {0, 3, 7}
    np.testing.assert_array_equal(out["mask"], cv2.resize(mask, (23, 7), interpolation=cv2.INTER_NEAREST_EXACT))
    np.testing.assert_array_equal(out["masks"][0], out["mask"])
    assert out["masks"][1].dtype == np.int32
    np.testing.assert_array_equal(out["masks"][1], out["mask"].astype(np.int32) * 1000)
    only_bool = ak.image.Resize(7, 23, interpolation="linear")(mask=mask == 3)["mask"]
    assert only_bool.dtype == np.bool_
    np.testing.assert_array_equal(only_bool, out["mask"] == 3)


# ----------------------------------------------------------------------------------- boxes
BOX = np.array([[1.0, 2.0, 4.0, 5.0]])  # in a 8 (high) x 10 (wide) image


@pytest.mark.parametrize(
    ("kernel", "expected"),
    [
        (lambda b: F.hflip_boxes(b, width=10), [6.0, 2.0, 9.0, 5.0]),  # x' = W - x
        (lambda b: F.vflip_boxes(b, height=8), [1.0, 3.0, 4.0, 6.0]),  # y' = H - y
        (F.transpose_boxes, [2.0, 1.0, 5.0, 4.0]),
        (lambda b: F.rot90_boxes(b, 0, 8, 10), [1.0, 2.0, 4.0, 5.0]),
        (lambda b: F.rot90_boxes(b, 1, 8, 10), [2.0, 6.0, 5.0, 9.0]),  # (x, y) -> (y, W - x)
        (lambda b: F.rot90_boxes(b, 2, 8, 10), [6.0, 3.0, 9.0, 6.0]),  # (x, y) -> (W - x, H - y)
        (lambda b: F.rot90_boxes(b, 3, 8, 10), [3.0, 1.0, 6.0, 4.0]),  # (x, y) -> (H - y, x)
        (lambda b: F.crop_boxes(b, 1.0, 3.0), [0.0, -1.0, 3.0, 2.0]),
        (lambda b: F.resize_boxes(b, 2.0, 0.5), [2.0, 1.0, 8.0, 2.5]),
    ],
)
def test_box_kernels_by_hand(kernel, expected: list[float]) -> None:
    given = BOX.copy()
    out = kernel(given)
    np.testing.assert_allclose(out, [expected])
    np.testing.assert_array_equal(given, BOX)
    assert not np.shares_memory(out, given)


def mask_box(mask: np.ndarray) -> list[float]:
    rows, cols = np.nonzero(mask)
    return [cols.min(), rows.min(), cols.max() + 1.0, rows.max() + 1.0]


@pytest.mark.parametrize("op", OPS)
def test_boxes_follow_a_painted_rectangle(op: str) -> None:
    image = np.zeros((H, W), np.uint8)
    image[1:4, 2:6] = 1  # box [2, 1, 6, 4] in pixel edges
    out = run(op, image=image, bboxes=[[2, 1, 6, 4]])
    np.testing.assert_allclose(out["bboxes"][0], mask_box(out["image"]))


# ----------------------------------------------------------------------------------- keypoints
@pytest.mark.parametrize(
    ("kernel", "expected"),
    [
        (lambda p: F.hflip_keypoints(p, width=10), [7.0, 5.0]),  # x' = W - 1 - x
        (lambda p: F.vflip_keypoints(p, height=8), [2.0, 2.0]),  # y' = H - 1 - y
        (F.transpose_keypoints, [5.0, 2.0]),
        (lambda p: F.rot90_keypoints(p, 1, 8, 10), [5.0, 7.0]),  # (x, y) -> (y, W - 1 - x)
        (lambda p: F.rot90_keypoints(p, 2, 8, 10), [7.0, 2.0]),
        (lambda p: F.rot90_keypoints(p, 3, 8, 10), [2.0, 2.0]),  # (x, y) -> (H - 1 - y, x)
        (lambda p: F.crop_keypoints(p, 1.0, 3.0), [1.0, 2.0]),
        (lambda p: F.resize_keypoints(p, 2.0, 2.0), [4.5, 10.5]),  # (x + 0.5) * 2 - 0.5
    ],
)
def test_keypoint_kernels_by_hand(kernel, expected: list[float]) -> None:
    given = np.array([[2.0, 5.0, 0.0, 1.0]])
    out = kernel(given)
    np.testing.assert_allclose(out[:, :2], [expected])
    np.testing.assert_array_equal(given, [[2.0, 5.0, 0.0, 1.0]])
    assert not np.shares_memory(out, given)


@pytest.mark.parametrize("op", OPS)
def test_single_pixel_keypoint_lands_on_its_pixel(op: str) -> None:
    for y in range(H):
        for x in range(W):
            image = np.zeros((H, W), np.uint8)
            image[y, x] = 255
            out = run(op, image=image, keypoints=[[x, y]])
            rows, cols = np.nonzero(out["image"])
            assert out["keypoints"].tolist() == [[float(cols[0]), float(rows[0])]]
            assert out["keypoints"][0].tolist() == list(point_ref(op, x, y))


def test_single_pixel_keypoint_lands_on_its_pixel_after_crops() -> None:
    image = np.zeros((9, 11), np.uint8)
    image[4, 6] = 255
    for seed in range(10):
        out = ak.image.RandomCrop(5, 6)(image=image, keypoints=[[6, 4]], rng=seed)
        rows, cols = np.nonzero(out["image"])
        assert out["keypoints"].tolist() == [[float(cols[0]), float(rows[0])]]
    out = ak.image.CenterCrop(4, 5)(image=image, keypoints=[[6, 4]])  # window starts at x=3, y=2
    assert out["keypoints"].tolist() == [[3.0, 2.0]] and out["image"][2, 3] == 255


@pytest.mark.parametrize(
    ("angle", "op", "expected"),
    [
        (30.0, "hflip", 150.0),
        (30.0, "vflip", 330.0),
        (30.0, "transpose", 60.0),
        (30.0, "rot90_0", 30.0),
        (30.0, "rot90_1", 300.0),
        (30.0, "rot90_2", 210.0),
        (30.0, "rot90_3", 120.0),
        (0.0, "hflip", 180.0),
        (90.0, "vflip", 270.0),
        (0.0, "transpose", 90.0),
        (90.0, "rot90_1", 0.0),
    ],
)
def test_keypoint_angles_by_hand(angle: float, op: str, expected: float) -> None:
    out = run(op, {"keypoint_format": "xya"}, image=np.zeros((H, W), np.uint8), keypoints=[[2.0, 1.0, angle]])
    got = out["keypoints"][0, 2]
    assert 0.0 <= got < 360.0
    assert got == pytest.approx(expected, abs=1e-9)


DIRECTIONS = [(2, 0), (2, 2), (0, 2), (-2, 2), (-2, 0), (-2, -2), (0, -2), (2, -2)]


@pytest.mark.parametrize("op", OPS)
def test_keypoint_angle_follows_a_drawn_arrow(op: str) -> None:
    for dx, dy in DIRECTIONS:
        image = np.zeros((7, 9), np.uint8)
        image[3, 4], image[3 + dy, 4 + dx] = 1, 2
        angle = np.degrees(np.arctan2(dy, dx)) % 360
        out = run(op, {"keypoint_format": "xya"}, image=image, keypoints=[[4, 3, angle]])
        (y0, x0), (y1, x1) = np.argwhere(out["image"] == 1)[0], np.argwhere(out["image"] == 2)[0]
        drawn = np.degrees(np.arctan2(y1 - y0, x1 - x0)) % 360
        x, y, got = out["keypoints"][0]
        assert (x, y) == (x0, y0)
        assert abs((got - drawn + 180) % 360 - 180) < 1e-9, (op, dx, dy, got, drawn)


def test_resize_2x_maps_pixel_centres_to_block_centres() -> None:
    for y in range(H):
        for x in range(W):
            image = np.zeros((H, W), np.uint8)
            image[y, x] = 255
            out = ak.image.Resize(2 * H, 2 * W, interpolation="nearest")(image=image, keypoints=[[x, y, 0.0, 1.0]])
            rows, cols = np.nonzero(out["image"])
            assert sorted(zip(rows.tolist(), cols.tolist(), strict=True)) == [
                (2 * y + i, 2 * x + j) for i in (0, 1) for j in (0, 1)
            ]
            assert out["keypoints"][0, :2].tolist() == [cols.mean(), rows.mean()] == [2 * x + 0.5, 2 * y + 0.5]


def test_resize_moves_boxes_by_the_scale() -> None:
    out = ak.image.Resize(10, 21)(image=np.zeros((5, 7), np.uint8), bboxes=[[1, 2, 4, 5]])
    np.testing.assert_allclose(out["bboxes"], [[3.0, 4.0, 12.0, 10.0]])
