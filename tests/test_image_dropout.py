"""Erasing transforms (CoarseDropout, Cutout, RandomErasing, GridDropout, GridMask, PixelDropout,
MaskDropout) against loop-based references, brute-force coverage counts and sampling statistics."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import ndimage

import augkit as ak
from augkit.image.dropout import CoarseDropout, Cutout, GridDropout, GridMask, MaskDropout, PixelDropout, RandomErasing
from augkit.image.functional import dropout as FD


def params_of(transform: Any, rng: int = 0, **targets: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    out = transform(rng=rng, record=True, **targets)
    return out, out["applied"][0]["params"]


def hole_raster(holes: list[list[int]], height: int, width: int) -> np.ndarray:
    region = np.zeros((height, width), bool)
    for x1, y1, x2, y2 in holes:
        for y in range(y1, y2):
            for x in range(x1, x2):
                region[y, x] = True
    return region


def plain(height: int = 40, width: int = 60, channels: int = 3, dtype: str = "uint8", value: float = 200) -> np.ndarray:
    return np.full((height, width, channels), value, dtype=dtype)


# --------------------------------------------------------------------------------------------- CoarseDropout


@pytest.mark.parametrize(
    ("heights", "widths"), [((0.1, 0.3), (0.2, 0.5)), ((3, 9), (5, 12)), (0.25, 7)], ids=["fractions", "pixels", "exact"]
)
def test_coarse_dropout_hole_count_sizes_and_pixels(heights: Any, widths: Any) -> None:
    height, width = 40, 60
    transform = CoarseDropout(num_holes_range=(2, 5), hole_height_range=heights, hole_width_range=widths, fill=7, p=1.0)
    counts = set()
    for seed in range(40):
        out, params = params_of(transform, seed, image=plain(height, width))
        holes = params["holes"]
        counts.add(len(holes))
        for x1, y1, x2, y2 in holes:
            assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
            for size, spec, side in ((y2 - y1, heights, height), (x2 - x1, widths, width)):
                low, high = spec if isinstance(spec, tuple) else (spec, spec)
                if isinstance(low, int):
                    assert low <= size <= high
                else:
                    assert math.floor(low * side) <= size <= math.floor(high * side)
        region = hole_raster(holes, height, width)
        expected = np.broadcast_to(np.where(region[:, :, None], 7, 200), (height, width, 3))
        np.testing.assert_array_equal(out["image"], expected)
    assert counts == {2, 3, 4, 5}


def test_coarse_dropout_fill_modes() -> None:
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (50, 70, 3), dtype=np.uint8)
    base = dict(num_holes_range=3, hole_height_range=(10, 20), hole_width_range=(10, 20), p=1.0)
    out, params = params_of(CoarseDropout(fill=(1, 2, 3), **base), 3, image=image)
    region = hole_raster(params["holes"], 50, 70)
    assert (out["image"][region] == [1, 2, 3]).all() and (out["image"][~region] == image[~region]).all()

    out, params = params_of(CoarseDropout(fill="mean", **base), 3, image=image)
    mean = image.reshape(-1, 3).astype(np.float64).mean(axis=0)
    assert np.abs(out["image"][region].astype(np.float64) - mean).max() <= 0.5 + 1e-9

    transform = CoarseDropout(fill="random_uniform", num_holes_range=2, hole_height_range=10, hole_width_range=10, p=1.0)
    colours = set()
    for seed in range(5):
        out, params = params_of(transform, seed, image=image)
        x1, y1, x2, y2 = params["holes"][-1]  # painted last: one colour, whatever overlaps it
        block = np.unique(out["image"][y1:y2, x1:x2].reshape(-1, 3), axis=0)
        assert len(block) == 1
        colours.add(tuple(block[0].tolist()))
    assert len(colours) == 5

    big = dict(num_holes_range=1, hole_height_range=1.0, hole_width_range=1.0, p=1.0)
    noise = CoarseDropout(fill="random", **big)(image=np.zeros((200, 200), np.uint8), rng=0)["image"]
    assert abs(noise.mean() - 127.5) < 2.0 and abs(noise.std() - 73.9) < 2.0 and len(np.unique(noise)) == 256
    noise = CoarseDropout(fill="random", **big)(image=np.zeros((200, 200, 2), np.float32), rng=0)["image"]
    assert noise.dtype == np.float32 and noise.min() >= 0.0 and noise.max() < 1.0 and abs(noise.mean() - 0.5) < 0.01


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("channels", [1, 7, 130])
@pytest.mark.parametrize("fill", [0.5, "mean", "random", "random_uniform"])
def test_coarse_dropout_dtypes_channels(dtype: str, channels: int, fill: Any) -> None:
    image = plain(24, 32, channels, dtype, value=1 if dtype == "float32" else 1000 if dtype == "uint16" else 100)
    fill_value = fill if not isinstance(fill, float) or dtype == "float32" else 50
    out, params = params_of(CoarseDropout(num_holes_range=2, fill=fill_value, p=1.0), 5, image=image)
    region = hole_raster(params["holes"], 24, 32)
    assert out["image"].dtype == image.dtype and out["image"].shape == image.shape
    assert (out["image"][~region] == image[~region]).all()
    if fill == "mean":
        assert (out["image"][region] == image[0, 0]).all()
    elif not isinstance(fill, str):
        assert (out["image"][region] == fill_value).all()


def test_cutout_is_coarse_dropout_with_paper_defaults() -> None:
    transform = Cutout(p=1.0)
    assert isinstance(transform, CoarseDropout) and transform.p == 1.0 and Cutout().p == 0.5
    out = transform(image=plain(64, 64), rng=0)["image"]
    ys, xs = np.nonzero(out[:, :, 0] == 0)
    assert len(ys) == 256 and ys.max() - ys.min() == 15 and xs.max() - xs.min() == 15


def test_masks_filled_only_when_asked() -> None:
    mask = np.arange(40 * 60, dtype=np.int32).reshape(40, 60)
    kept = CoarseDropout(num_holes_range=3, p=1.0)(image=plain(), mask=mask, masks=[mask, mask], rng=2)
    np.testing.assert_array_equal(kept["mask"], mask)
    assert all((m == mask).all() for m in kept["masks"])
    out, params = params_of(CoarseDropout(num_holes_range=3, fill_mask=-5, p=1.0), 2, image=plain(), mask=mask, masks=[mask])
    region = hole_raster(params["holes"], 40, 60)
    assert (out["mask"][region] == -5).all() and (out["mask"][~region] == mask[~region]).all()
    np.testing.assert_array_equal(out["masks"][0], out["mask"])
    boolean = CoarseDropout(num_holes_range=3, fill_mask=0, p=1.0)(image=plain(), mask=np.ones((40, 60), bool), rng=2)["mask"]
    assert boolean.dtype == bool and (boolean == ~region).all()


def test_frame_stack_shares_holes_and_noise() -> None:
    frames = np.stack([plain(value=v) for v in (10, 20, 30)])
    out, params = params_of(CoarseDropout(num_holes_range=2, fill="random", p=1.0), 4, images=frames)
    region = hole_raster(params["holes"], 40, 60)
    holes = out["images"][:, region]
    assert (holes[0] == holes[1]).all() and (holes[0] == holes[2]).all() and len(np.unique(holes[0])) > 100
    assert (out["images"][:, ~region] == frames[:, ~region]).all()


# --------------------------------------------------------------------------------------------- boxes and keypoints


def brute_force_coverage(box: np.ndarray, region: np.ndarray) -> float:
    """Covered share of a box with fractional edges: per-pixel overlap = row overlap x column overlap."""
    x1, y1, x2, y2 = box
    cols = np.arange(region.shape[1])
    rows = np.arange(region.shape[0])
    overlap_x = np.clip(np.minimum(x2, cols + 1) - np.maximum(x1, cols), 0, None)
    overlap_y = np.clip(np.minimum(y2, rows + 1) - np.maximum(y1, rows), 0, None)
    return float(overlap_y @ region.astype(np.float64) @ overlap_x) / ((x2 - x1) * (y2 - y1))


def test_covered_fraction_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    region = hole_raster([[3, 4, 15, 12], [10, 8, 20, 25], [25, 1, 27, 30]], 32, 30)  # overlapping holes
    x1 = rng.uniform(0, 25, 40)
    y1 = rng.uniform(0, 27, 40)
    boxes = np.stack([x1, y1, x1 + rng.uniform(0.3, 5, 40), y1 + rng.uniform(0.3, 5, 40)], axis=1)
    boxes[:5] = [[3, 4, 15, 12], [0, 0, 30, 32], [10.5, 8.25, 12.75, 9.5], [0, 0, 1, 1], [24.5, 0, 27.5, 32]]
    expected = np.array([brute_force_coverage(b, region) for b in boxes])
    np.testing.assert_allclose(FD.covered_fraction(boxes, region), expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("max_covered", [1.0, 0.5, 0.2, 0.0])
def test_boxes_dropped_exactly_past_the_threshold(max_covered: float) -> None:
    rng = np.random.default_rng(int(max_covered * 10))
    transform = CoarseDropout(
        num_holes_range=(3, 6), hole_height_range=(0.2, 0.5), hole_width_range=(0.2, 0.5), max_covered=max_covered, p=1.0
    )
    for seed in range(10):
        x1, y1 = rng.uniform(0, 50, 30), rng.uniform(0, 30, 30)
        boxes = np.stack([x1, y1, x1 + rng.uniform(1, 10, 30), y1 + rng.uniform(1, 10, 30)], axis=1)
        labels = list(range(30))
        out, params = params_of(transform, seed, image=plain(), bboxes=boxes, labels=labels)
        region = hole_raster(params["holes"], 40, 60)
        coverage = np.array([brute_force_coverage(b, region) for b in boxes])
        expected = [i for i in labels if coverage[i] <= max_covered + 1e-12 and coverage[i] < 1.0 - 1e-12]
        assert out["labels"] == expected
        np.testing.assert_array_equal(out["bboxes"], boxes[expected])


def test_keypoints_in_holes_become_invisible() -> None:
    rng = np.random.default_rng(3)
    points = np.stack([rng.uniform(-0.5, 59.49, 200), rng.uniform(-0.5, 39.49, 200)], axis=1)
    transform = CoarseDropout(num_holes_range=4, hole_height_range=(0.2, 0.4), hole_width_range=(0.2, 0.4), p=1.0)
    _, params = params_of(transform, 6, image=plain())
    inside = np.zeros(len(points), bool)
    for x1, y1, x2, y2 in params["holes"]:  # a pixel index i covers [i - 0.5, i + 0.5)
        inside |= (points[:, 0] >= x1 - 0.5) & (points[:, 0] < x2 - 0.5) & (points[:, 1] >= y1 - 0.5) & (points[:, 1] < y2 - 0.5)
    assert 0 < inside.sum() < len(points)
    names = [f"k{i}" for i in range(len(points))]
    out = ak.Compose([transform], remove_invisible_keypoints=True)(image=plain(), keypoints=points, keypoint_labels=names, rng=6)
    np.testing.assert_array_equal(out["keypoints"], points[~inside])
    assert out["keypoint_labels"] == [n for n, hidden in zip(names, inside, strict=True) if not hidden]
    flagged = np.concatenate([points, np.ones((len(points), 1))], axis=1)
    out = ak.Compose([transform], keypoint_visibility_column=2)(image=plain(), keypoints=flagged, rng=6)
    np.testing.assert_array_equal(out["keypoints"][:, 2], (~inside).astype(float))
    np.testing.assert_array_equal(out["keypoints"][:, :2], points)


# --------------------------------------------------------------------------------------------- RandomErasing


def torchvision_erasing_reference(
    rng: np.random.Generator, height: int, width: int, scale: Any, ratio: Any
) -> tuple[int, int, int, int] | None:
    """torchvision's RandomErasing.get_params, written from its definition (10 attempts, else no erase)."""
    for _attempt in range(10):
        target = height * width * rng.uniform(*scale)
        aspect = math.exp(rng.uniform(math.log(ratio[0]), math.log(ratio[1])))
        h, w = round(math.sqrt(target * aspect)), round(math.sqrt(target / aspect))
        if h < height and w < width:
            return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w
    return None


@pytest.mark.parametrize(
    ("height", "width", "scale", "ratio"), [(60, 80, (0.02, 0.33), (0.3, 3.3)), (30, 90, (0.2, 0.8), (0.5, 4.0))]
)
def test_random_erasing_matches_torchvision_statistics(height: int, width: int, scale: Any, ratio: Any) -> None:
    transform = RandomErasing(scale=scale, ratio=ratio, value=3, p=1.0)
    state = ak.core.targets.State("test", ak.core.targets.DEFAULT_SETTINGS)
    state.height, state.width = height, width
    ours, reference = [], []
    generator, ref_generator = np.random.default_rng(11), np.random.default_rng(12)
    for _ in range(4000):
        holes = transform.sample(generator, state)["holes"]
        ours.append(None if not holes else (holes[0][1], holes[0][0], holes[0][3] - holes[0][1], holes[0][2] - holes[0][0]))
        reference.append(torchvision_erasing_reference(ref_generator, height, width, scale, ratio))

    def summary(draws: list[Any]) -> np.ndarray:
        done = np.array([d for d in draws if d is not None], dtype=np.float64)
        top, left, h, w = done.T
        assert (h < height).all() and (w < width).all() and (top + h <= height).all() and (left + w <= width).all()
        area = h * w / (height * width)
        skipped = 1 - len(done) / len(draws)
        return np.array([skipped, area.mean(), np.median(area), np.log(h / w).mean(), np.log(h / w).std(),
                         (top / np.maximum(height - h, 1)).mean(), (left / np.maximum(width - w, 1)).mean()])  # fmt: skip

    tolerance = np.array([0.03, 0.01, 0.015, 0.06, 0.04, 0.03, 0.03])
    assert (np.abs(summary(ours) - summary(reference)) <= tolerance).all(), (summary(ours), summary(reference))


def test_random_erasing_value_modes_and_no_fit() -> None:
    image = np.full((64, 64, 3), 0.5, np.float32)
    never_fits = RandomErasing(scale=(0.99, 1.0), ratio=(2.0, 3.0), value=0, p=1.0)
    np.testing.assert_array_equal(never_fits(image=image, rng=0)["image"], image)
    assert RandomErasing().p == 0.5
    big = dict(scale=(0.5, 0.5), ratio=(1.0, 1.0), p=1.0)
    out, params = params_of(RandomErasing(value="random", **big), 1, image=image)
    region = hole_raster(params["holes"], 64, 64)
    noise = out["image"][region]
    assert abs(noise.mean()) < 0.05 and abs(noise.std() - 1.0) < 0.05  # standard normal, as torchvision
    out, params = params_of(RandomErasing(value="random", **big), 1, image=np.zeros((64, 64), np.uint16))
    noise = out["image"][hole_raster(params["holes"], 64, 64)].astype(np.float64)
    assert abs(noise.mean() / 65535 - 0.5) < 0.03 and abs(noise.std() / 65535 - 0.2887) < 0.02
    out, params = params_of(RandomErasing(value=(10, 20, 30), **big), 1, image=plain(64, 64))
    assert (out["image"][hole_raster(params["holes"], 64, 64)] == [10, 20, 30]).all()
    with pytest.raises(ak.TargetError, match=r"RandomErasing: .*'value'"):
        RandomErasing(value=(1, 2), **big)(image=plain(64, 64), rng=0)


# --------------------------------------------------------------------------------------------- grids


def grid_reference(height: int, width: int, unit: tuple[int, int], hole: tuple[int, int], shift: tuple[int, int]) -> np.ndarray:
    """Holes at ``shift + k * unit`` along each axis (k may be -1: a hole cut by the top/left border), drawn one by one."""
    region = np.zeros((height, width), bool)
    for top in range(shift[0] - unit[0], height, unit[0]):
        for left in range(shift[1] - unit[1], width, unit[1]):
            region[max(top, 0) : max(top + hole[0], 0), max(left, 0) : max(left + hole[1], 0)] = True
    return region


def test_grid_dropout_fixed_grid_matches_reference() -> None:
    transform = GridDropout(ratio=0.4, holes_number_xy=(6, 4), shift_xy=(3, 2), random_offset=False, fill=9, fill_mask=1, p=1.0)
    out, params = params_of(transform, 0, image=plain(43, 61), mask=np.zeros((43, 61), np.uint8))
    assert params["unit"] == [43 // 4, 61 // 6] and params["hole"] == [int(10 * 0.4), int(10 * 0.4)]
    assert params["shift"] == [2, 3]
    region = grid_reference(43, 61, (10, 10), (4, 4), (2, 3))
    np.testing.assert_array_equal(out["image"][:, :, 0] == 9, region)
    np.testing.assert_array_equal(out["mask"] == 1, region)


def test_grid_dropout_random_units_offsets_and_fills() -> None:
    transform = GridDropout(ratio=0.5, unit_size_range=(6, 12), fill="random_uniform", p=1.0)
    image = plain(50, 70)
    for seed in range(20):
        out, params = params_of(transform, seed, image=image)
        unit_h, unit_w = params["unit"]
        hole_h, hole_w = params["hole"]
        assert 6 <= unit_h == unit_w <= 12 and hole_h == max(1, min(unit_h - 1, int(unit_h * 0.5)))
        assert 0 <= params["shift"][0] <= unit_h - hole_h and 0 <= params["shift"][1] <= unit_w - hole_w
        region = grid_reference(50, 70, (unit_h, unit_w), (hole_h, hole_w), tuple(params["shift"]))
        assert (out["image"][~region] == 200).all()
        top, left = params["shift"]
        assert len(np.unique(out["image"][top : top + hole_h, left : left + hole_w].reshape(-1, 3), axis=0)) == 1
    defaults = GridDropout(p=1.0)
    _, params = params_of(defaults, 0, image=plain(50, 70))
    assert params["unit"] == [5, 7]


@pytest.mark.parametrize("fill", [0, (1, 2, 3), "mean", "random"])
def test_grid_dropout_fills_only_the_grid(fill: Any) -> None:
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    out, params = params_of(GridDropout(ratio=0.6, unit_size_range=8, fill=fill, p=1.0), 2, image=image)
    region = grid_reference(30, 40, tuple(params["unit"]), tuple(params["hole"]), tuple(params["shift"]))
    assert (out["image"][~region] == image[~region]).all()
    if not isinstance(fill, str):
        assert (out["image"][region] == np.broadcast_to(fill, (3,))).all()


def test_gridmask_unrotated_squares_and_keep_ratio() -> None:
    transform = GridMask(d_range=(10, 30), ratio=0.6, p=1.0)
    kept = []
    for seed in range(30):
        out, params = params_of(transform, seed, image=plain(90, 120))
        d, hole = params["d"], params["hole"]
        assert 10 <= d <= 30 and hole == d - math.ceil(0.6 * d - 1e-9) and 0 <= min(params["offset"]) <= max(params["offset"]) < d
        region = grid_reference(90, 120, (d, d), (hole, hole), tuple(params["offset"]))
        np.testing.assert_array_equal(out["image"][:, :, 0] == 0, region)
        kept.append((hole / d) ** 2)
    assert abs(np.mean(kept) - (1 - 0.6) ** 2) < 0.03  # about 1 - (1 - r)^2 of the image is kept


def test_gridmask_rotated_is_consistent_and_keeps_the_density() -> None:
    transform = GridMask(d_range=20, ratio=0.6, rotate=(10, 80), fill_mask=5, p=1.0)
    out, params = params_of(transform, 3, image=plain(200, 240), mask=np.zeros((200, 240), np.uint8))
    assert 10 <= params["angle"] <= 80
    erased = out["image"][:, :, 0] == 0
    np.testing.assert_array_equal(erased, out["mask"] == 5)
    assert abs(erased.mean() - 0.16) < 0.02  # squares of 8 px every 20 px, at any angle
    region = FD.gridmask_region(200, 240, 20, 8, tuple(params["offset"]), params["angle"])
    np.testing.assert_array_equal(erased, region)
    # the pattern really turned: rows of the image are no longer all-erased or all-kept in bands
    assert not np.array_equal(region, FD.gridmask_region(200, 240, 20, 8, tuple(params["offset"]), 0.0))


# --------------------------------------------------------------------------------------------- PixelDropout


@pytest.mark.parametrize("prob", [0.01, 0.3])
def test_pixel_dropout_rates(prob: float) -> None:
    image = plain(200, 250)
    n = 200 * 250
    out = PixelDropout(dropout_prob=prob, p=1.0)(image=image, rng=0)["image"]
    dropped = (out == 0).all(axis=2)
    assert ((out == 0).any(axis=2) == dropped).all()
    assert abs(dropped.mean() - prob) < 5 * math.sqrt(prob * (1 - prob) / n)
    out = PixelDropout(dropout_prob=prob, per_channel=True, drop_value=(1, 2, 3), p=1.0)(image=image, rng=0)["image"]
    for channel, value in enumerate((1, 2, 3)):
        assert set(np.unique(out[:, :, channel]).tolist()) <= {value, 200}
    flags = out != 200
    assert abs(flags.mean() - prob) < 5 * math.sqrt(prob * (1 - prob) / (3 * n))
    expected_any = 1 - (1 - prob) ** 3
    assert abs(flags.any(axis=2).mean() - expected_any) < 5 * math.sqrt(expected_any * (1 - expected_any) / n)


def test_pixel_dropout_masks_random_values_and_frames() -> None:
    image = plain(100, 100)
    transform = PixelDropout(dropout_prob=0.2, per_channel=True, drop_value=0, mask_drop_value=9, p=1.0)
    out = transform(
        image=image, mask=np.zeros((100, 100), np.uint8), bboxes=[[1, 1, 50, 50]], labels=[0], keypoints=[[5, 5]], rng=1
    )
    np.testing.assert_array_equal(out["mask"] == 9, (out["image"] == 0).any(axis=2))  # any dropped channel
    assert out["labels"] == [0] and len(out["keypoints"]) == 1
    unchanged = PixelDropout(dropout_prob=0.5, p=1.0)(image=image, mask=np.ones((100, 100), np.uint8), rng=0)["mask"]
    assert (unchanged == 1).all()
    noisy = PixelDropout(dropout_prob=0.3, drop_value=None, p=1.0)(image=np.zeros((100, 100, 3), np.uint16), rng=3)["image"]
    values = noisy[(noisy != 0).any(axis=2)].astype(np.float64) / 65535
    assert abs(values.mean() - 0.5) < 0.02 and abs(values.std() - 0.2887) < 0.02
    frames = np.stack([image, image])
    stack = PixelDropout(dropout_prob=0.1, drop_value=None, p=1.0)(images=frames, rng=2)["images"]
    assert (stack[0] != 200).any()
    np.testing.assert_array_equal(stack[0], stack[1])


# --------------------------------------------------------------------------------------------- MaskDropout


def object_mask() -> np.ndarray:
    mask = np.zeros((40, 60), np.uint8)
    mask[2:10, 2:12] = 1  # object A (value 1)
    mask[20:30, 40:55] = 1  # object B (value 1, not connected to A)
    mask[12:22, 10:20] = 2  # object C
    mask[12:22, 20:25] = 3  # object D touches C but has another value
    return mask


def test_label_objects_matches_scipy() -> None:
    mask = object_mask()
    labels, count = FD.label_objects(mask)
    expected = 0
    for value in (1, 2, 3):
        parts, found = ndimage.label(mask == value, structure=np.ones((3, 3)))
        expected += found
        for index in range(1, found + 1):
            assert len(np.unique(labels[parts == index])) == 1
    assert count == expected == 4 and len(np.unique(labels)) == 5
    region = labels > 2
    np.testing.assert_array_equal(FD.rle_decode(FD.rle_encode(region), 40, 60), region)


def test_mask_dropout_removes_exactly_the_chosen_objects() -> None:
    mask = object_mask()
    objects = [np.zeros_like(mask, bool) for _ in range(4)]
    objects[0][2:10, 2:12] = objects[1][20:30, 40:55] = objects[2][12:22, 10:20] = objects[3][12:22, 20:25] = True
    boxes = [[2, 2, 12, 10], [40, 20, 55, 30], [10, 12, 20, 22], [20, 12, 25, 22]]
    seen = set()
    for seed in range(30):
        out = ak.Compose([MaskDropout(max_objects=(1, 2), fill=7, p=1.0)])(
            image=plain(), mask=mask, bboxes=boxes, labels=[0, 1, 2, 3], rng=seed
        )
        gone = [i for i, o in enumerate(objects) if (out["mask"][o] == 0).all()]
        assert 1 <= len(gone) <= 2
        for index, obj in enumerate(objects):
            if index in gone:
                assert (out["image"][obj] == 7).all()
            else:
                assert (out["mask"][obj] == mask[obj]).all() and (out["image"][obj] == 200).all()
        erased = np.any([objects[i] for i in gone], axis=0)
        assert (out["image"][~erased] == 200).all()
        assert out["labels"] == [i for i in range(4) if i not in gone]
        seen.update(gone)
    assert seen == {0, 1, 2, 3}


def test_mask_dropout_instance_masks_and_missing_mask() -> None:
    instances = [np.zeros((40, 60), np.uint8) for _ in range(3)]
    instances[0][:10, :10] = 1
    instances[1][20:, 30:] = 1  # instances[2] is empty: not an object
    out = MaskDropout(max_objects=5, p=1.0)(image=plain(), masks=instances, rng=0)
    assert all(m.max() == 0 for m in out["masks"]) and (out["image"][:10, :10] == 0).all() and (out["image"][20:, 30:] == 0).all()
    out = MaskDropout(max_objects=1, fill_mask=None, p=1.0)(image=plain(), masks=instances, rng=0)
    assert sum(int((out["image"][m == 1] == 0).all()) for m in instances[:2]) == 1 and out["masks"][0].max() == 1
    with pytest.raises(ak.TargetError, match=r"^MaskDropout: target 'mask' is required"):
        MaskDropout(p=1.0)(image=plain(), rng=0)
    with pytest.raises(ak.TargetError, match=r"^MaskDropout: target 'mask' expects a single-channel"):
        MaskDropout(p=1.0)(image=plain(), mask=np.zeros((40, 60, 2), np.uint8), rng=0)


# --------------------------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda: CoarseDropout(hole_height_range=(0, 0.2)), "hole_height_range"),
        (lambda: CoarseDropout(hole_width_range=(8, 0.5)), "hole_width_range"),
        (lambda: CoarseDropout(hole_width_range=(1.5, 2.0)), "hole_width_range"),
        (lambda: CoarseDropout(num_holes_range=0), "num_holes_range"),
        (lambda: CoarseDropout(fill="noise"), "fill"),
        (lambda: CoarseDropout(fill_mask="random"), "fill_mask"),
        (lambda: CoarseDropout(max_covered=1.5), "max_covered"),
        (lambda: Cutout(hole_height_range=-3), "hole_height_range"),
        (lambda: RandomErasing(scale=(0.5, 0.1)), "scale"),
        (lambda: RandomErasing(ratio=(0.0, 2.0)), "ratio"),
        (lambda: RandomErasing(value="mean"), "value"),
        (lambda: GridDropout(ratio=0.0), "ratio"),
        (lambda: GridDropout(unit_size_range=1), "unit_size_range"),
        (lambda: GridDropout(holes_number_xy=(0, 3)), "holes_number_xy"),
        (lambda: GridDropout(shift_xy=(-1, 0)), "shift_xy"),
        (lambda: GridDropout(random_offset=1), "random_offset"),
        (lambda: GridMask(d_range=1), "d_range"),
        (lambda: GridMask(ratio=1.2), "ratio"),
        (lambda: GridMask(fill="random_uniform"), "fill"),
        (lambda: PixelDropout(dropout_prob=1.5), "dropout_prob"),
        (lambda: PixelDropout(per_channel="yes"), "per_channel"),
        (lambda: PixelDropout(drop_value="random"), "drop_value"),
        (lambda: MaskDropout(max_objects=-1), "max_objects"),
    ],
)
def test_bad_arguments_name_class_and_argument(build: Any, name: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^\w+: argument '{name}' expects"):
        build()


def test_fill_of_the_wrong_length_names_the_argument() -> None:
    with pytest.raises(ak.TargetError, match=r"^CoarseDropout: .*'fill'"):
        CoarseDropout(fill=(1, 2), p=1.0)(image=plain(), rng=0)
    with pytest.raises(ak.TargetError, match=r"^GridDropout: .*'fill_mask'"):
        GridDropout(fill_mask=(1, 2), p=1.0)(image=plain(), mask=np.zeros((40, 60), np.uint8), rng=0)
