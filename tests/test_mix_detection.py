"""Mosaic and DetectionMixUp: pixels at the recorded places, boxes/masks/keypoints moved with them,
labels following their boxes, weights, filtering at the border, records and errors."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.image.functional import resize
from augkit.mix import DetectionMixUp, Mosaic
from augkit.samples import load_samples


def voc(coco: np.ndarray) -> np.ndarray:
    out = coco.astype(np.float64).copy()
    out[:, 2:] += out[:, :2]
    return out


def box_masks(shape: tuple[int, int], boxes: np.ndarray) -> list[np.ndarray]:
    masks = []
    for x0, y0, x1, y1 in np.rint(boxes).astype(int):
        m = np.zeros(shape, bool)
        m[y0:y1, x0:x1] = True
        masks.append(m)
    return masks


def photo_samples(count: int = 4) -> list[dict[str, Any]]:
    """The bundled photos with integer pascal_voc boxes, box-shaped instance masks and unique labels."""
    out = []
    for index, s in enumerate(load_samples()[:count]):
        boxes = np.rint(voc(s.bboxes))
        sample = {
            "image": s.image,
            "bboxes": boxes,
            "labels": [f"{index}:{j}:{label}" for j, label in enumerate(s.labels)],
            "masks": box_masks(s.image.shape[:2], boxes),
        }
        out.append(sample)
    return out


def tight(mask: np.ndarray) -> list[float]:
    ys, xs = np.nonzero(mask)
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def visible(tile: list[int], height: int, width: int) -> tuple[int, int, int, int]:
    x, y, w, h = tile
    return max(x, 0), max(y, 0), min(x + w, width), min(y + h, height)


# ---------------------------------------------------------------------------------------------
# Mosaic


@pytest.mark.parametrize("output_size", [None, (320, 288)])
def test_mosaic_places_each_image_at_its_recorded_tile(output_size: tuple[int, int] | None) -> None:
    samples = photo_samples()
    mosaic = Mosaic(size=(320, 288), output_size=output_size)
    for seed in range(4):
        out = mosaic(samples, rng=seed, record=True)
        height, width = out["image"].shape[:2]
        assert (height, width) == (output_size or (640, 576))
        covered = np.zeros((height, width), bool)
        for sample, tile in zip(samples, out["applied"]["params"]["tiles"], strict=True):
            x, y, w, h = tile
            assert max(w / 288, h / 320) == pytest.approx(1.0, abs=0.01)  # fitted: the long side fills the frame
            resized = resize(sample["image"], h, w, "linear")
            x0, y0, x1, y1 = visible(tile, height, width)
            np.testing.assert_array_equal(out["image"][y0:y1, x0:x1], resized[y0 - y : y1 - y, x0 - x : x1 - x])
            covered[y0:y1, x0:x1] = True
        assert (out["image"][~covered] == 114).all()
        cx, cy = (np.asarray(out["applied"]["params"]["center"]) - ((576 - width) // 2, (640 - height) // 2)).tolist()
        assert out["applied"]["params"]["tiles"][3][:2] == [cx, cy]  # sample 3's top-left corner is the centre


def test_mosaic_boxes_masks_and_labels_move_together() -> None:
    samples = photo_samples()
    mosaic = Mosaic(size=256, output_size=256)
    for seed in range(6):
        out = mosaic(samples, rng=seed, record=True)
        height, width = out["image"].shape[:2]
        assert len(out["bboxes"]) == len(out["labels"]) == len(out["masks"])
        expected: dict[str, np.ndarray] = {}
        for sample, tile in zip(samples, out["applied"]["params"]["tiles"], strict=True):
            x, y, w, h = tile
            scale = np.array([w / sample["image"].shape[1], h / sample["image"].shape[0]] * 2)
            moved = sample["bboxes"] * scale + (x, y, x, y)
            x0, y0, x1, y1 = visible(tile, height, width)
            clipped = np.clip(moved, (x0, y0, x0, y0), (x1, y1, x1, y1))
            for label, box in zip(sample["labels"], clipped, strict=True):
                if box[2] > box[0] and box[3] > box[1]:
                    expected[label] = box
        assert sorted(out["labels"]) == sorted(expected)
        for box, label, mask in zip(out["bboxes"], out["labels"], out["masks"], strict=True):
            np.testing.assert_allclose(box, expected[label], atol=1e-9)
            if not mask.any():  # a sliver thinner than a pixel after resizing
                assert min(box[2] - box[0], box[3] - box[1]) < 1.0
                continue
            assert np.abs(np.asarray(tight(mask)) - box).max() <= 1.0, (label, box, tight(mask))


def test_mosaic_keypoints_land_on_their_pixels() -> None:
    rng = np.random.default_rng(0)
    samples = []
    for index in range(4):
        image = rng.integers(0, 65535, (50 + 10 * index, 70 - 5 * index, 2), dtype=np.uint16)
        points = np.stack([rng.integers(0, image.shape[1], 6), rng.integers(0, image.shape[0], 6)], axis=1).astype(float)
        samples.append({"image": image, "keypoints": points, "keypoint_labels": [f"{index}-{k}" for k in range(6)]})
    out = Mosaic(size=(60, 70), fit=False, output_size=(60, 70))(samples, rng=3, record=True)
    height, width = out["image"].shape[:2]
    assert len(out["keypoints"]) == 24
    checked = 0
    for (x, y), label in zip(out["keypoints"], out["keypoint_labels"], strict=True):
        index, k = (int(v) for v in label.split("-"))
        source = samples[index]
        sx, sy = source["keypoints"][k].astype(int)
        tile = out["applied"]["params"]["tiles"][index]
        assert (x, y) == (sx + tile[0], sy + tile[1])
        if 0 <= x < width and 0 <= y < height:
            np.testing.assert_array_equal(out["image"][int(y), int(x)], source["image"][sy, sx])
            checked += 1
    assert checked >= 4


def test_mosaic_keypoints_follow_resized_pixels() -> None:
    samples = []
    for index in range(4):
        mask = np.zeros((90, 120), np.uint8)
        point = (20 + 20 * index, 30 + 10 * index)
        mask[point[1] - 1 : point[1] + 2, point[0] - 1 : point[0] + 2] = index + 1
        samples.append({"image": np.zeros((90, 120, 3), np.uint8), "mask": mask, "keypoints": [point]})
    out = Mosaic(size=60)(samples, rng=5)  # every image is halved to fit
    for index, (x, y) in enumerate(out["keypoints"][:, :2]):
        ys, xs = np.nonzero(out["mask"] == index + 1)
        if len(xs):
            assert abs((xs.min() + xs.max()) / 2 - x) <= 1.0 and abs((ys.min() + ys.max()) / 2 - y) <= 1.0


def test_mosaic_composes_semantic_masks_with_fill() -> None:
    samples = [{"image": np.full((40, 30), i, np.uint8), "mask": np.full((40, 30), i + 1, np.int32)} for i in range(4)]
    out = Mosaic(size=(40, 30), fill=7, fill_mask=255)(samples, rng=0, record=True)
    assert out["mask"].dtype == np.int32
    for index, tile in enumerate(out["applied"]["params"]["tiles"]):
        x0, y0, x1, y1 = visible(tile, 80, 60)
        assert (out["mask"][y0:y1, x0:x1] == index + 1).all() and (out["image"][y0:y1, x0:x1] == index).all()
    assert ((out["mask"] == 255) == (out["image"] == 7)).all()


def test_mosaic_min_area_drops_boxes_with_their_labels_and_masks() -> None:
    samples = []
    for i in range(4):
        samples.append(
            {
                "image": np.zeros((100, 100), np.uint8),
                "bboxes": [[0, 0, 100, 100]],
                "labels": [i],
                "masks": [np.ones((100, 100), bool)],
            }
        )
    # centre (70, 70), window (50, 50)-(150, 150): visible areas 400, 1600, 1600, 6400
    for min_area, survivors in [(0, [0, 1, 2, 3]), (500, [1, 2, 3]), (2000, [3])]:
        out = Mosaic(size=100, center_range=0.7, output_size=100, fit=False, min_area=min_area)(samples, rng=0)
        assert out["labels"] == survivors
        assert [int(m.sum()) for m in out["masks"]] == [[400, 1600, 1600, 6400][i] for i in survivors]


def test_mosaic_visibility_rule_is_exact() -> None:
    samples = [{"image": np.zeros((100, 100), np.uint8), "bboxes": [[0, 0, 100, 100]], "labels": [i]} for i in range(4)]
    # centre (70, 70), window (50, 50)-(150, 150): visible parts 20x20, 80x20, 20x80, 80x80 of 100x100
    for threshold, survivors in [
        (0.0, [0, 1, 2, 3]),
        (0.04, [0, 1, 2, 3]),
        (0.05, [1, 2, 3]),
        (0.17, [3]),
        (0.64, [3]),
        (0.7, []),
    ]:
        out = Mosaic(size=100, center_range=0.7, output_size=100, fit=False, min_visibility=threshold)(samples, rng=0)
        assert out["labels"] == survivors, threshold


def test_mosaic_formats_round_trip() -> None:
    samples = [{"image": np.zeros((50, 50, 3), np.uint8), "bboxes": [[0.5, 0.5, 0.2, 0.2]], "labels": [i]} for i in range(4)]
    out = Mosaic(size=50, center_range=1.0, output_size=50, fit=False, bbox_format="yolo")(samples, rng=0)
    # each image's centre box lands in its quadrant, half cut away: yolo output normalized by 50
    assert out["labels"] == [0, 1, 2, 3]
    np.testing.assert_allclose(out["bboxes"][0], [0.05, 0.05, 0.1, 0.1], atol=1e-12)  # [0, 0, 5, 5] in pixels
    np.testing.assert_allclose(out["bboxes"][3], [0.95, 0.95, 0.1, 0.1], atol=1e-12)  # [45, 45, 50, 50]


def test_mosaic_reproduces_and_replays_exactly() -> None:
    samples = photo_samples()
    mosaic = Mosaic(size=200, output_size=200)
    first = mosaic(samples, rng=np.random.default_rng(11), record=True)
    second = mosaic(samples, rng=np.random.default_rng(11), record=True)
    record = json.loads(json.dumps(first["applied"], allow_nan=False))
    again = mosaic.replay(record, samples)
    for out in (second, again):
        np.testing.assert_array_equal(out["image"], first["image"])
        np.testing.assert_array_equal(out["bboxes"], first["bboxes"])
        assert out["labels"] == first["labels"]
    assert not np.shares_memory(first["masks"][0], samples[0]["masks"][0])
    other = mosaic(samples, rng=12)
    assert other["image"].tobytes() != first["image"].tobytes()


def test_mosaic_skipped_returns_a_copy_of_the_first_sample() -> None:
    samples = photo_samples()
    out = Mosaic(p=0.0)(samples, rng=0, record=True)
    np.testing.assert_array_equal(out["image"], samples[0]["image"])
    assert not np.shares_memory(out["image"], samples[0]["image"])
    np.testing.assert_array_equal(out["bboxes"], samples[0]["bboxes"])
    assert out["applied"]["params"] == {"applied": False}


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_mosaic_dtypes_and_channels(dtype: str) -> None:
    samples = [{"image": np.ones((20, 30, 5), dtype)} for _ in range(4)]
    out = Mosaic(size=20, fill=(0, 1, 2, 3, 4))(samples, rng=0)
    assert out["image"].dtype == np.dtype(dtype) and out["image"].shape == (40, 40, 5) and out["image"].flags.c_contiguous


def test_mosaic_config_round_trip() -> None:
    mosaic = Mosaic(size=(320, 256), output_size=320, min_area=4)
    config = json.loads(json.dumps(mosaic.to_dict()))
    assert config["name"] == "Mosaic" and config["size"] == [320, 256]
    rebuilt = Mosaic(**{k: v for k, v in config.items() if k != "name"})
    assert rebuilt.to_dict() == mosaic.to_dict()


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda s: Mosaic()(s[:3]), ak.TargetError, r"^Mosaic: expects 4 samples; got 3"),
        (lambda s: Mosaic()(s[0]), ak.TargetTypeError, r"^Mosaic: expects a list of 4 sample dicts; got a single dict"),
        (
            lambda s: Mosaic()([*s[:3], {**s[3], "image": s[3]["image"].astype(np.float32)}]),
            ak.TargetTypeError,
            r"^Mosaic: sample 3 has an image of dtype float32; sample 0 has uint8",
        ),
        (
            lambda s: Mosaic()([*s[:2], {**s[2], "masks": s[2]["masks"][:-1]}, s[3]]),
            ak.TargetError,
            r"^Mosaic: sample 2: target 'masks' expects one instance mask per box; got 2 masks for 3 boxes",
        ),
        (
            lambda s: Mosaic()([s[0], {k: v for k, v in s[1].items() if k != "masks"}, *s[2:]]),
            ak.TargetError,
            r"^Mosaic: sample 1 lacks target 'masks'",
        ),
        (
            lambda s: Mosaic()([s[0], {**s[1], "bboxes": [[9000, 0, 9999, 5]] * len(s[1]["labels"])}, *s[2:]]),
            ak.TargetError,
            r"^Mosaic: sample 1: target 'bboxes' row 0 lies wholly outside",
        ),
        (
            lambda s: Mosaic()([*s[:3], {**s[3], "image": s[3]["image"][:, :, :2]}]),
            ak.TargetError,
            r"^Mosaic: sample 3 has an image of shape",
        ),
        (lambda s: Mosaic()([*s[:3], {**s[3], "score": 1}]), ak.TargetError, r"^Mosaic: sample 3 has target 'score'"),
    ],
)
def test_mosaic_errors_name_the_sample(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call(photo_samples())


def test_mosaic_bad_arguments() -> None:
    with pytest.raises(ak.ArgumentError, match=r"^Mosaic: argument 'output_size' expects at most the canvas size"):
        Mosaic(size=10, output_size=30)
    with pytest.raises(ak.ArgumentError, match=r"^Mosaic: unknown argument 'sizes'. Did you mean 'size'"):
        Mosaic(sizes=10)
    with pytest.raises(ak.ArgumentError, match=r"^Mosaic: argument 'bbox_format' expects one of"):
        Mosaic(bbox_format="xyxy")


# ---------------------------------------------------------------------------------------------
# DetectionMixUp


def test_mixup_blends_pixels_with_lambda() -> None:
    rng = np.random.default_rng(0)
    a = rng.random((30, 40, 3), dtype=np.float32)
    b = rng.random((30, 40, 3), dtype=np.float32)
    out = DetectionMixUp()([{"image": a}, {"image": b}], rng=1, record=True)
    lam = out["applied"]["params"]["lam"]
    assert 0.3 < lam < 0.7  # Beta(32, 32) stays near 0.5
    np.testing.assert_allclose(out["image"], lam * a + (1 - lam) * b, rtol=1e-6, atol=1e-6)
    a8, b8 = (a * 255).astype(np.uint8), (b * 255).astype(np.uint8)
    out8 = DetectionMixUp(alpha=1.0)([{"image": a8}, {"image": b8}], rng=2, record=True)
    lam = out8["applied"]["params"]["lam"]
    assert np.abs(out8["image"].astype(float) - (lam * a8 + (1 - lam) * b8.astype(float))).max() <= 0.5 + 1e-4


def test_mixup_keeps_both_boxes_with_weights() -> None:
    photos = photo_samples(3)
    first, second = photos[1], photos[2]  # both 375 x 500
    out = DetectionMixUp(fit="pad")([first, second], rng=4, record=True)
    lam = out["applied"]["params"]["lam"]
    count = len(first["labels"])
    assert out["labels"] == first["labels"] + second["labels"]
    np.testing.assert_array_equal(out["bboxes"], np.concatenate([first["bboxes"], second["bboxes"]]))
    np.testing.assert_allclose(out["box_weights"], [lam] * count + [1 - lam] * len(second["labels"]))
    assert len(out["masks"]) == len(out["labels"])
    # chaining: weights carried in the samples multiply
    chained = {key: value for key, value in out.items() if key != "applied"}
    again = DetectionMixUp(fit="pad")(
        [chained, {**second, "box_weights": np.full(len(second["labels"]), 0.5)}], rng=5, record=True
    )
    lam2 = again["applied"]["params"]["lam"]
    np.testing.assert_allclose(again["box_weights"][: len(out["labels"])], out["box_weights"] * lam2)
    np.testing.assert_allclose(again["box_weights"][len(out["labels"]) :], 0.5 * (1 - lam2))


def test_mixup_letterbox_and_pad_move_the_second_sample() -> None:
    first = {"image": np.zeros((100, 200), np.float32), "bboxes": [[0, 0, 10, 10]], "labels": [0], "keypoints": [[5, 5]]}
    second = {"image": np.ones((50, 50), np.float32), "bboxes": [[10, 20, 30, 40]], "labels": [1], "keypoints": [[24.5, 24.5]]}
    out = DetectionMixUp(fit="letterbox")([first, second], rng=0, record=True)
    lam = out["applied"]["params"]["lam"]
    # scaled by 2 to 100 x 100, centred at x = 50
    np.testing.assert_allclose(out["bboxes"][1], [70, 40, 110, 80])
    np.testing.assert_allclose(out["keypoints"][1], [99.5, 49.5])
    assert np.allclose(out["image"][:, 50:150], 1 - lam) and np.allclose(out["image"][:, :50], 0)
    padded = DetectionMixUp(fit="pad")([second, first], rng=0)  # the larger second image is cut to 50 x 50
    np.testing.assert_allclose(padded["bboxes"], [[10, 20, 30, 40], [0, 0, 10, 10]])
    resized = DetectionMixUp(fit="resize")([first, second], rng=0)
    np.testing.assert_allclose(resized["bboxes"][1], [40, 40, 120, 80])


def test_mixup_drops_boxes_cut_away_and_refuses_semantic_masks() -> None:
    big = {"image": np.zeros((60, 60), np.uint8), "bboxes": [[40, 40, 60, 60], [0, 0, 10, 10]], "labels": [7, 8]}
    small = {"image": np.zeros((30, 30), np.uint8), "bboxes": [[0, 0, 5, 5]], "labels": [1]}
    out = DetectionMixUp()([small, big], rng=0)
    assert out["labels"] == [1, 8] and len(out["box_weights"]) == 2
    with pytest.raises(ak.TargetTypeError, match=r"^DetectionMixUp: target 'mask' is not supported"):
        DetectionMixUp()([{"image": small["image"], "mask": small["image"]}] * 2, rng=0)


def test_mixup_replay_and_errors() -> None:
    photos = photo_samples(3)
    mix = DetectionMixUp(fit="letterbox")
    out = mix(photos[:2], rng=3, record=True)
    record = json.loads(json.dumps(out["applied"], allow_nan=False))
    again = mix.replay(record, photos[:2])
    np.testing.assert_array_equal(again["image"], out["image"])
    np.testing.assert_array_equal(again["box_weights"], out["box_weights"])
    with pytest.raises(ak.TargetError, match=r"^DetectionMixUp.replay: the record was made by 'Mosaic'"):
        mix.replay({**record, "name": "Mosaic"}, photos[:2])
    with pytest.raises(ak.TargetError, match=r"^DetectionMixUp.replay: the record is for samples of sizes"):
        mix.replay(record, photos[1:3])
    with pytest.raises(ak.ArgumentError, match=r"^DetectionMixUp: argument 'alpha' expects a number > 0"):
        DetectionMixUp(alpha=0)
    with pytest.raises(ak.ArgumentError, match=r"^DetectionMixUp: argument 'fit' expects one of 'pad', 'resize', 'letterbox'"):
        DetectionMixUp(fit="crop")
    with pytest.raises(AttributeError, match="immutable"):
        mix.alpha = 1.0  # type: ignore[misc]
