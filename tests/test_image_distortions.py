"""Distortions: identity at zero strength, the forward map inverts the backward one, boxes enclose
their moved objects, replay is exact, arguments are checked, and the fields are the published ones."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.image import distortions as d
from augkit.image.functional import distortions as D

HEIGHT, WIDTH = 48, 64
CLASSES = [d.ElasticTransform, d.GridDistortion, d.OpticalDistortion, d.PiecewiseAffine, d.ThinPlateSpline]
IDS = [cls.__name__ for cls in CLASSES]
ZERO: dict[type, dict[str, Any]] = {
    d.ElasticTransform: {"alpha": 0.0, "sigma": 5.0},
    d.GridDistortion: {"distort_limit": 0.0},
    d.OpticalDistortion: {"distort_limit": 0.0},
    d.PiecewiseAffine: {"scale": 0.0},
    d.ThinPlateSpline: {"scale_range": 0.0},
}


def image(dtype: str = "uint8", channels: int = 3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    unit = rng.random((HEIGHT, WIDTH, channels))
    if dtype == "uint8":
        return (unit * 255).astype(np.uint8)
    return unit.astype(np.float32)


def fields_of(transform: Any, seed: int, height: int = HEIGHT, width: int = WIDTH) -> tuple[np.ndarray, np.ndarray]:
    out = transform(image=np.zeros((height, width), np.uint8), rng=seed, record=True)
    return transform._fields(out["applied"][0]["params"], height, width)


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_zero_strength_is_the_identity(cls: type) -> None:
    boxes = np.array([[3.0, 4.0, 20.5, 17.0], [30.0, 8.0, 64.0, 48.0]])
    points = np.array([[0.0, 0.0, 0.3, 2.0], [12.5, 40.25, 1.0, 1.0], [63.0, 47.0, 0.0, 1.0]])
    nearest = cls(**ZERO[cls], interpolation="nearest", p=1.0)
    for seed in range(3):
        img, mask = image("uint8", 3, seed), (image("uint8", 1, seed + 9)[:, :, 0] > 128).astype(np.uint8)
        out = nearest(image=img, mask=mask, bboxes=boxes, labels=[1, 2], keypoints=points[:, :2], rng=seed)
        np.testing.assert_array_equal(out["image"], img)
        np.testing.assert_array_equal(out["mask"], mask)
        np.testing.assert_allclose(out["bboxes"], boxes, atol=1e-6)
        np.testing.assert_allclose(out["keypoints"], points[:, :2], atol=1e-6)
        float_image = image("float32", 7, seed)
        linear = cls(**ZERO[cls], interpolation="linear", p=1.0)(image=float_image, rng=seed)["image"]
        np.testing.assert_allclose(linear, float_image, atol=1e-5, rtol=0)
        kernel = cls(**ZERO[cls], p=1.0)
        params = kernel(image=img, rng=seed, record=True)["applied"][0]["params"]
        np.testing.assert_allclose(kernel.apply_keypoints(points, params, HEIGHT, WIDTH), points, atol=1e-6)


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_forward_map_inverts_the_backward_map(cls: type) -> None:
    transform = cls.example()
    rng = np.random.default_rng(1)
    for seed in range(6):
        points = np.column_stack([rng.uniform(2, WIDTH - 3, 300), rng.uniform(2, HEIGHT - 3, 300)])
        dx, dy = fields_of(transform, seed)
        keypoints = np.column_stack([points, np.zeros(300), np.ones(300)])
        params = transform(image=np.zeros((HEIGHT, WIDTH), np.uint8), rng=seed, record=True)["applied"][0]["params"]
        moved = transform.apply_keypoints(keypoints, params, HEIGHT, WIDTH)[:, :2]
        inside = (moved[:, 0] >= 0) & (moved[:, 0] <= WIDTH - 1) & (moved[:, 1] >= 0) & (moved[:, 1] <= HEIGHT - 1)
        assert inside.mean() > 0.8
        back = moved[inside] + D.sample_displacement(dx, dy, moved[inside])
        np.testing.assert_allclose(back, points[inside], atol=0.05, rtol=0)
        # the remap maps agree: sampling the maps themselves at the moved points gives the points back
        map_x, map_y = D.displacement_maps(dx, dy)
        at = D.sample_displacement(map_x, map_y, moved[inside])
        np.testing.assert_allclose(at, points[inside], atol=0.05, rtol=0)


def test_forward_map_handles_folded_fields() -> None:
    dx, dy = D.elastic_displacement(120, 160, alpha=60.0, sigma=4.0, seed=3)
    points = np.random.default_rng(0).uniform(10, 110, (2000, 2))
    moved, _ = D.invert_displacement(dx, dy, points)
    error = np.abs(moved + D.sample_displacement(dx, dy, moved) - points).max(axis=1)
    assert np.mean(error < 0.05) > 0.99


def _extent(mask: np.ndarray, value: int) -> np.ndarray | None:
    ys, xs = np.nonzero(mask == value)
    if not len(xs):
        return None
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], dtype=float)


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_boxes_enclose_the_moved_objects(cls: type) -> None:
    transform = cls.example()
    rng = np.random.default_rng(2)
    for seed in range(10):
        corners = np.sort(rng.integers(0, [WIDTH, HEIGHT], size=(2, 2, 2)), axis=1)  # two boxes
        boxes = np.column_stack([corners[:, 0, 0], corners[:, 0, 1], corners[:, 1, 0] + 4, corners[:, 1, 1] + 4]).astype(float)
        boxes[:, 2:] = np.minimum(boxes[:, 2:], [WIDTH, HEIGHT])
        masks = []
        for x1, y1, x2, y2 in boxes.astype(int):
            mask = np.zeros((HEIGHT, WIDTH), np.uint8)
            mask[y1:y2, x1:x2] = 1
            masks.append(mask)
        out = transform(image=image(), masks=masks, bboxes=boxes, labels=[0, 1], rng=seed)
        for box, label in zip(out["bboxes"], out["labels"], strict=True):
            extent = _extent(out["masks"][label], 1)
            assert extent is not None, (seed, box)
            assert (box[:2] <= extent[:2] + 1).all() and (box[2:] >= extent[2:] - 1).all(), (seed, box, extent)
            assert np.abs(box - extent).max() <= 1.5, (seed, box, extent)
        for label in set(range(2)) - set(out["labels"]):
            extent = _extent(out["masks"][label], 1)
            assert extent is None or (extent[2] - extent[0]) * (extent[3] - extent[1]) <= 2


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_replay_from_json_is_bit_exact(cls: type) -> None:
    transform = ak.Compose([cls.example().with_params(p=0.7)])
    targets = {
        "image": image("float32", 5),
        "mask": (image("uint8", 1)[:, :, 0] > 100).astype(np.uint8),
        "bboxes": np.array([[5.0, 6.0, 30.0, 26.0]]),
        "labels": [3],
        "keypoints": np.array([[10.0, 11.0], [40.5, 30.25]]),
    }
    for seed in range(5):
        out = transform(rng=seed, record=True, **targets)
        record = json.loads(json.dumps(out["applied"], allow_nan=False))
        again = transform.replay(record, **targets)
        for key in ("image", "mask", "bboxes", "keypoints"):
            np.testing.assert_array_equal(again[key], out[key], err_msg=key)
        assert again["labels"] == out["labels"]


BAD_ARGUMENTS = [
    (d.ElasticTransform, {"alpha": -1.0}, "alpha"),
    (d.ElasticTransform, {"sigma": 0.0}, "sigma"),
    (d.ElasticTransform, {"sigma": float("nan")}, "sigma"),
    (d.ElasticTransform, {"interpolation": "area"}, "interpolation"),
    (d.ElasticTransform, {"mask_interpolation": "bilinear"}, "mask_interpolation"),
    (d.ElasticTransform, {"border_mode": "mirror"}, "border_mode"),
    (d.ElasticTransform, {"fill": "black"}, "fill"),
    (d.ElasticTransform, {"fill_mask": [1, "x"]}, "fill_mask"),
    (d.GridDistortion, {"num_steps": 0}, "num_steps"),
    (d.GridDistortion, {"distort_limit": (-1.0, 0.3)}, "distort_limit"),
    (d.GridDistortion, {"distort_limit": (0.3, -0.3)}, "distort_limit"),
    (d.OpticalDistortion, {"distort_limit": (-0.5, 0.1)}, "distort_limit"),
    (d.OpticalDistortion, {"distort_limit": "strong"}, "distort_limit"),
    (d.PiecewiseAffine, {"scale": -0.1}, "scale"),
    (d.PiecewiseAffine, {"nb_rows": 1}, "nb_rows"),
    (d.PiecewiseAffine, {"nb_cols": (5, 3)}, "nb_cols"),
    (d.ThinPlateSpline, {"scale_range": (0.2, 1.5)}, "scale_range"),
    (d.ThinPlateSpline, {"num_control_points": 1}, "num_control_points"),
]


@pytest.mark.parametrize(("cls", "kwargs", "name"), BAD_ARGUMENTS)
def test_bad_arguments_name_the_argument(cls: type, kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^{cls.__name__}: argument '{name}' expects"):
        cls(**kwargs)


def test_fill_of_the_wrong_length_names_the_argument() -> None:
    transform = d.ElasticTransform(alpha=30, sigma=4, fill=(1, 2), p=1.0)
    with pytest.raises(ak.TargetError, match="ElasticTransform: argument 'fill'"):
        transform(image=image("uint8", 3), rng=0)


def test_range_arguments_accept_a_single_number() -> None:
    assert d.GridDistortion(distort_limit=0.2).distort_limit == (0.2, 0.2)
    assert d.PiecewiseAffine(scale=0.05, nb_rows=5).scale == (0.05, 0.05)
    assert d.PiecewiseAffine(nb_rows=5).nb_rows == (5, 5)
    assert d.ThinPlateSpline(scale_range=0.3).scale_range == (0.3, 0.3)


@pytest.mark.parametrize("sigma", [3.0, 8.0, 24.0])
def test_elastic_field_has_the_full_resolution_statistics(sigma: float) -> None:
    # unit white noise smoothed by a Gaussian of std sigma has std 1 / (2 sqrt(pi) sigma); the
    # low-resolution construction must keep it (and alpha scales it)
    alpha = 10.0
    values = np.concatenate([np.ravel(D.elastic_displacement(400, 400, alpha, sigma, seed)) for seed in range(6)])
    expected = alpha / (2.0 * np.sqrt(np.pi) * sigma)
    assert abs(values.std() / expected - 1.0) < 0.1, (values.std(), expected)
    assert abs(values.mean()) < 0.1 * expected


def test_elastic_field_is_smooth_at_the_scale_of_sigma() -> None:
    dx, _ = D.elastic_displacement(300, 300, 10.0, 12.0, 0)
    # correlation of values 12 px apart: exp(-d^2 / (4 sigma^2)) = 0.78 for a Gaussian-smoothed field
    a, b = dx[:, :-12].ravel(), dx[:, 12:].ravel()
    assert 0.65 < np.corrcoef(a, b)[0, 1] < 0.9


def test_piecewise_affine_is_affine_on_each_triangle() -> None:
    rows, cols, height, width = 3, 4, 30, 45
    offsets = np.random.default_rng(0).normal(0, 2.0, (rows, cols, 2))
    dx, dy = D.piecewise_affine_displacement(height, width, offsets)
    # reference: explicit barycentric interpolation on the triangles of each cell
    ys, xs = np.mgrid[0:height, 0:width]
    u, v = (xs + 0.5) * (cols - 1) / width, (ys + 0.5) * (rows - 1) / height
    i, j = np.minimum(u.astype(int), cols - 2), np.minimum(v.astype(int), rows - 2)
    s, t = u - i, v - j
    for field, k in ((dx, 0), (dy, 1)):
        n00, n01, n10, n11 = offsets[j, i, k], offsets[j, i + 1, k], offsets[j + 1, i, k], offsets[j + 1, i + 1, k]
        lower = n00 + s * (n01 - n00) + t * (n10 - n00)
        upper = n11 + (1 - s) * (n10 - n11) + (1 - t) * (n01 - n11)
        np.testing.assert_allclose(field, np.where(s + t <= 1, lower, upper), atol=1e-5)


def test_thin_plate_spline_passes_through_its_control_points() -> None:
    count, height, width = 4, 60, 90
    offsets = np.random.default_rng(1).normal(0, 3.0, (count, count, 2))
    dx, dy = D.thin_plate_spline_displacement(height, width, offsets)
    gy, gx = np.meshgrid(np.linspace(0, height, count), np.linspace(0, width, count), indexing="ij")
    nodes = np.column_stack([gx.ravel(), gy.ravel()]) - 0.5  # pixel edges -> pixel-index frame
    inner = (nodes[:, 0] >= 0) & (nodes[:, 0] <= width - 1) & (nodes[:, 1] >= 0) & (nodes[:, 1] <= height - 1)
    at = D.sample_displacement(dx, dy, nodes[inner])
    np.testing.assert_allclose(at, offsets.reshape(-1, 2)[inner], atol=0.1)


def test_grid_distortion_is_separable_and_monotone() -> None:
    dx, dy = D.grid_displacement(40, 50, [1.3, 0.7, 1.0], [0.8, 1.2, 1.0, 1.0])
    assert (dx == dx[:1]).all() and (dy == dy[:, :1]).all()
    map_x = dx[0] + np.arange(50)
    assert (np.diff(map_x) > 0).all() and map_x[0] >= -0.5 and map_x[-1] <= 49.5
    # the first third of the output shows 1.3 / 3 of the input
    assert abs((dx[0, 16] + 16.5) - 50 * 1.3 / 3 * (16.5 / (50 / 3))) < 1e-4


def test_optical_barrel_pulls_points_toward_the_centre() -> None:
    centre = np.array([(WIDTH - 1) / 2, (HEIGHT - 1) / 2])
    point = np.array([[8.0, 6.0, 0.0, 1.0]])
    for k, closer in ((0.2, False), (-0.2, True)):
        transform = d.OpticalDistortion(distort_limit=k, p=1.0)
        moved = transform(image=image(), keypoints=point[:, :2], rng=0)["keypoints"][0]
        # k > 0: the output shows input from further out, so input points move inward
        assert (np.linalg.norm(moved - centre) < np.linalg.norm(point[0, :2] - centre)) != closer


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (5, 1), (2, 3)])
def test_tiny_images(cls: type, shape: tuple[int, int]) -> None:
    transform = cls.example()
    out = transform(
        image=np.ones((*shape, 3), np.uint8),
        mask=np.ones(shape, np.uint8),
        bboxes=[[0, 0, shape[1], shape[0]]],
        labels=[1],
        keypoints=[[0, 0]],
        rng=0,
    )
    assert out["image"].shape == (*shape, 3) and out["mask"].shape == shape
    assert np.isfinite(out["keypoints"]).all()


def test_frames_share_one_field() -> None:
    transform = d.ElasticTransform.example()
    frames = np.stack([image("uint8", 3, s) for s in range(3)])
    out = transform(images=frames, rng=4, record=True)
    for index, frame in enumerate(frames):
        np.testing.assert_array_equal(out["images"][index], transform.replay(out["applied"], image=frame)["image"])


def test_keypoint_angle_and_scale_follow_the_local_jacobian() -> None:
    transform = d.OpticalDistortion(distort_limit=0.3, p=1.0)
    point = np.array([[50.0, 40.0, 0.0, 1.0]])
    params = {"k": 0.3}
    moved = transform.apply_keypoints(point, params, HEIGHT, WIDTH)
    step = 1e-3
    ahead = transform.apply_keypoints(point + np.array([step, 0.0, 0.0, 0.0]), params, HEIGHT, WIDTH)
    direction = (ahead - moved)[0, :2]
    assert abs(moved[0, 2] - np.arctan2(direction[1], direction[0])) < 1e-3
    # barrel distortion shrinks content, so keypoint scales shrink
    assert 0.5 < moved[0, 3] < 1.0
