"""The policy op vocabulary against torchvision (stored golden outputs, made by
scripts/make_policy_goldens.py with torchvision 0.29.1) and the geometry of masks, boxes and keypoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.policies import AUTOAUGMENT_POLICIES, GEOMETRIC_OPS, OPS, RandAugment, TrivialAugmentWide, apply_op
from augkit.policies._ops import SPACES, op_matrix, warp_boxes, warp_keypoints

DATA = Path(__file__).parent / "data" / "policies"
GOLDEN = np.load(DATA / "ops.npz")
CASES: list[dict[str, Any]] = json.loads(str(GOLDEN["cases"]))["cases"]
TABLES = json.loads((DATA / "torchvision_tables.json").read_text())


def _case_id(case: dict[str, Any]) -> str:
    fill = "" if case["fill"] is None else "-fill"
    return f"{case['image']}-{case['op']}-{case['magnitude']}-{case['interpolation']}{fill}"


# ------------------------------------------------------------------------------------ goldens
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_op_matches_torchvision(case: dict[str, Any]) -> None:
    image = GOLDEN[case["image"]]
    fill = 0 if case["fill"] is None else case["fill"]
    out = apply_op(image, case["op"], case["magnitude"], case["interpolation"], fill)
    expected = GOLDEN[case["key"]]
    assert out.shape == expected.shape and out.dtype == np.uint8
    difference = np.abs(out.astype(np.int16) - expected.astype(np.int16))
    assert difference.max() <= 1, f"{_case_id(case)}: max difference {difference.max()}"
    if case["interpolation"] == "nearest" and case["op"] not in ("Color",):
        # nearest warps rebuild torchvision's float32 grid; LUT ops follow its float32 arithmetic
        assert difference.max() == 0, f"{_case_id(case)}: {np.count_nonzero(difference)} pixels differ"
    else:
        assert np.count_nonzero(difference) <= 0.03 * difference.size


def test_goldens_cover_every_torchvision_op() -> None:
    covered = {case["op"] for case in CASES}
    assert covered == set(OPS) - {"SolarizeAdd", "HorizontalFlip", "VerticalFlip"}
    assert {case["interpolation"] for case in CASES if case["op"] in GEOMETRIC_OPS} == {"nearest", "linear"}


def test_autoaugment_tables_match_torchvision() -> None:
    for name, table in AUTOAUGMENT_POLICIES.items():
        theirs = [tuple((op, float(p), m) for op, p, m in pair) for pair in TABLES["policies"][name]]
        assert [tuple(pair) for pair in table] == theirs, name


@pytest.mark.parametrize("key", sorted(TABLES["spaces"]))
def test_magnitude_ranges_match_torchvision(key: str) -> None:
    """Step k of n is level k / (n - 1) of our ranges; torchvision's tables are float32."""
    table = TABLES["spaces"][key]
    family = key.split("@")[0]
    space = SPACES[{"TrivialAugmentWide": "wide", "AugMix": "augmix"}.get(family, "standard")]
    bins, height, width = table["bins"], table["height"], table["width"]
    for op, entry in table["ops"].items():
        spec = space[op]
        if entry["values"] is None:
            assert spec is None, op
            continue
        assert spec is not None and spec.signed == entry["signed"], op
        for step, theirs in enumerate(entry["values"]):
            ours = spec.value(step / (bins - 1), False, height, width)
            if op.startswith("Translate"):  # float32 steps like 15.999999 truncate to 15 in torchvision
                assert ours == int(theirs) or (abs(theirs - round(theirs)) < 1e-4 and ours == round(theirs)), (op, step)
            elif op == "Posterize":
                assert ours == theirs, (op, step)
            else:
                assert ours == pytest.approx(theirs, rel=1e-6, abs=1e-6), (op, step)


# ------------------------------------------------------------------------------------ kernels
def test_ops_keep_dtype_shape_and_never_alias() -> None:
    rng = np.random.default_rng(0)
    images = [
        rng.integers(0, 256, (20, 24, 3), dtype=np.uint8),
        rng.integers(0, 256, (20, 24), dtype=np.uint8),
        rng.integers(0, 256, (20, 24, 1), dtype=np.uint8),
        rng.random((20, 24, 3), dtype=np.float32),
        rng.random((20, 24), dtype=np.float32),
    ]
    for image in images:
        for op in OPS:
            for magnitude in (0.0, 0.45, -0.45) if op != "Posterize" else (6,):
                out = apply_op(image, op, 7 if op == "TranslateX" else magnitude)
                assert out.shape == image.shape and out.dtype == image.dtype, op
                assert out.flags.c_contiguous and not np.shares_memory(out, image), op
                if image.dtype == np.float32:
                    assert out.min() >= 0.0 and out.max() <= 1.0, op


def test_float_ops_follow_the_uint8_ones() -> None:
    """float32 images in [0, 1] get the same ops (within a level once scaled to 8 bits)."""
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (24, 32, 3), dtype=np.uint8)
    as_float = image.astype(np.float32) / 255.0
    cases = {"Brightness": 0.4, "Color": -0.5, "Contrast": 0.6, "Sharpness": 0.9, "Rotate": 20.0, "ShearX": 0.3}
    cases.update({"TranslateY": -5.0, "Solarize": 0.5, "Invert": 0.0, "SolarizeAdd": 60})
    for op, magnitude in cases.items():
        u8 = apply_op(image, op, magnitude).astype(np.float64)
        f32 = apply_op(as_float, op, magnitude).astype(np.float64) * 255.0
        assert np.abs(u8 - f32).max() <= 1.5, op  # uint8 truncates (and rounds the sharpness blur)


def test_op_semantics_by_hand() -> None:
    ramp = np.arange(256, dtype=np.uint8).reshape(16, 16)
    assert np.array_equal(apply_op(ramp, "Invert"), 255 - ramp)
    assert np.array_equal(apply_op(ramp, "Posterize", 3), ramp & 0b11100000)
    solarized = apply_op(ramp, "Solarize", 0.2)  # threshold 51: 51 and above are inverted
    assert solarized[3, 2] == 50 and solarized[3, 3] == 255 - 51
    added = apply_op(ramp, "SolarizeAdd", 110)
    assert added.reshape(-1)[20] == 130 and added.reshape(-1)[127] == 237 and added.reshape(-1)[128] == 128
    assert np.array_equal(apply_op(ramp, "HorizontalFlip"), ramp[:, ::-1])
    assert np.array_equal(apply_op(ramp, "VerticalFlip"), ramp[::-1])
    shifted = apply_op(ramp, "TranslateY", -2.9, fill=7)  # whole pixels, truncated toward zero
    assert np.array_equal(shifted[:-2], ramp[2:]) and (shifted[-2:] == 7).all()
    grey = np.full((8, 8, 3), 90, np.uint8)
    assert np.array_equal(apply_op(grey, "Color", 0.9), grey)  # no colour to boost
    assert np.array_equal(apply_op(grey, "AutoContrast"), grey) and np.array_equal(apply_op(grey, "Equalize"), grey)


def test_rotate_direction_and_fill_per_channel() -> None:
    image = np.zeros((9, 9, 3), np.uint8)
    image[4, 8] = 255  # right of the centre
    turned = apply_op(image, "Rotate", 90.0, fill=(1, 2, 3))
    assert turned[0, 4].tolist() == [255, 255, 255]  # counter-clockwise: right goes to the top
    corner = apply_op(np.zeros((9, 9, 3), np.uint8), "Rotate", 45.0, fill=(1, 2, 3))[0, 0]
    assert corner.tolist() == [1, 2, 3]


def test_apply_op_errors() -> None:
    with pytest.raises(ValueError, match="unknown op 'Rotation'"):
        apply_op(np.zeros((4, 4), np.uint8), "Rotation", 1.0)
    with pytest.raises(ValueError, match="interpolation must be one of"):
        apply_op(np.zeros((4, 4), np.uint8), "Rotate", 1.0, "bicubic")


# ------------------------------------------------------------------------------------ targets
def _painted(height: int = 60, width: int = 80) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    boxes = np.array([[3.0, 4.0, 21.0, 17.0], [30.0, 10.0, 52.0, 40.0], [55.0, 41.0, 79.0, 59.0], [0.0, 45.0, 12.0, 60.0]])
    mask = np.zeros((height, width), np.uint8)
    for index, (x1, y1, x2, y2) in enumerate(boxes.astype(int)):
        mask[y1:y2, x1:x2] = index + 1
    image = np.dstack([mask * 40] * 3).astype(np.uint8)
    return image, mask, boxes


def _extent(mask: np.ndarray, value: int) -> np.ndarray | None:
    ys, xs = np.nonzero(mask == value)
    return None if not len(xs) else np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], dtype=np.float64)


@pytest.mark.parametrize(
    "policy", [TrivialAugmentWide(ops=sorted(GEOMETRIC_OPS)), RandAugment(num_ops=3, magnitude=20, ops=sorted(GEOMETRIC_OPS))]
)
def test_boxes_stay_tight_to_their_masks(policy: ak.BaseTransform) -> None:
    image, mask, boxes = _painted()
    for seed in range(60):
        out = policy(image=image, mask=mask, bboxes=boxes, labels=[1, 2, 3, 4], rng=seed)
        assert np.array_equal(out["mask"], out["image"][:, :, 0] // 40)  # masks move with the image exactly
        for box, label in zip(out["bboxes"], out["labels"], strict=True):
            extent = _extent(out["mask"], label)
            assert extent is not None, (seed, label)
            assert np.abs(extent - box).max() <= 1.5, (seed, label, box, extent)
        for label in {1, 2, 3, 4} - set(out["labels"]):
            extent = _extent(out["mask"], label)
            assert extent is None or np.prod(extent[2:] - extent[:2]) <= 2, (seed, label)


def test_content_warped_out_is_gone_from_the_box() -> None:
    image, mask, boxes = _painted()
    record = [{"name": "RandAugment", "path": [], "applied": True,
               "params": {"ops": [{"op": "TranslateX", "magnitude": 40}, {"op": "TranslateX", "magnitude": -40}]}}]  # fmt: skip
    out = RandAugment().replay(record, image=image, mask=mask, bboxes=boxes, labels=[1, 2, 3, 4])
    assert out["labels"] == [1, 2, 4]  # box 3 (x >= 55) was pushed out and lost
    assert out["bboxes"][1].tolist() == [30.0, 10.0, 40.0, 40.0]  # box 2 keeps what stayed in
    assert np.array_equal(_extent(out["mask"], 2), out["bboxes"][1])


def test_keypoints_follow_the_pixels() -> None:
    height, width = 50, 70
    points = np.array([[10.0, 12.0, 0.3, 2.0], [35.0, 20.0, 1.0, 1.0], [20.0, 30.0, -0.5, 1.0]])
    for op, value in [("Rotate", 33.0), ("ShearX", 0.4), ("ShearY", -0.3), ("TranslateX", 6.0), ("HorizontalFlip", 0.0)]:
        moved = warp_keypoints(points, [(op, value)], height, width)
        for (x, y), (mx, my) in zip(points[:, :2], moved[:, :2], strict=True):
            blob = np.zeros((height, width), np.uint8)
            blob[int(y) - 1 : int(y) + 2, int(x) - 1 : int(x) + 2] = 1  # a 3x3 blob centred on the point
            ys, xs = np.nonzero(apply_op(blob, op, value))
            assert abs(xs.mean() - mx) <= 0.75 and abs(ys.mean() - my) <= 0.75, (op, x, y)


def test_boxes_of_flips_and_the_identity() -> None:
    boxes = np.array([[2.0, 3.0, 7.0, 9.0]])
    assert warp_boxes(boxes, [("HorizontalFlip", 0.0)], 10, 20).tolist() == [[13.0, 3.0, 18.0, 9.0]]
    assert warp_boxes(boxes, [("Rotate", 0.0)], 10, 20).tolist() == boxes.tolist()
    assert np.isnan(warp_boxes(boxes, [("TranslateX", 30.0)], 10, 20)).all()
    np.testing.assert_allclose(op_matrix("Rotate", 0.0, 10, 20), np.eye(2, 3), atol=1e-12)
