"""The contract every registered transform keeps, checked with no per-transform code.

Like scikit-learn's common estimator checks: each test is parametrized over the registry, using
``cls.example()`` for an instance. A new transform is covered the moment it is registered. The
checks here hold for every modality (inputs come from ``samples.inputs_for``); the image-specific
ones (dtypes, channel layouts, frame stacks, boxes and keypoints against masks) run over the image
transforms, and ``test_contract_modalities.py`` holds the audio, text and series rules.
"""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.core.transform import Transform

from .samples import DTYPES, LAYOUTS, box_mask, foreign_calls, inputs_for, instance_for, keypoint_mask, make_image, make_sample

CLASSES = ak.registered_classes()
IDS = [cls.registry_name for cls in CLASSES]
IMAGE_CLASSES = [cls for cls in CLASSES if getattr(cls, "modality", "image") == "image"]
IMAGE_IDS = [cls.registry_name for cls in IMAGE_CLASSES]
ALL_KINDS = frozenset({"image", "mask", "bboxes", "keypoints"})


def kinds_of(transform: ak.BaseTransform) -> frozenset[str]:
    return frozenset(transform.targets)  # type: ignore[attr-defined]


def complete(transform: ak.BaseTransform, targets: dict[str, Any]) -> dict[str, Any]:
    """The targets plus the ones the transform requires (a label mask for MaskDropout)."""
    required = getattr(transform, "required_targets", ())
    if "mask" in required and {"image", "images"} & targets.keys() and not {"mask", "masks"} & targets.keys():
        return {**targets, "mask": box_mask()}
    if "labels" in required and "series" in targets and "labels" not in targets and np.ndim(targets["series"]) == 3:
        return {**targets, "labels": np.arange(len(targets["series"])) % 2}
    return targets


def dtype_of(transform: ak.BaseTransform) -> str:
    """The dtype the shared checks feed a transform: uint8, or the first it declares (FromFloat: float32)."""
    declared = getattr(transform, "image_dtypes", None)
    return "uint8" if declared is None or "uint8" in declared else declared[0]


def run(transform: ak.BaseTransform, seed: int, **targets: Any) -> dict[str, Any]:
    return transform(rng=np.random.default_rng(seed), **complete(transform, targets))


def assert_same(left: Any, right: Any, key: str) -> None:
    if isinstance(left, np.ndarray):
        assert isinstance(right, np.ndarray) and left.dtype == right.dtype and left.shape == right.shape, key
        np.testing.assert_array_equal(left, right, err_msg=key)
    elif isinstance(left, (list, tuple)) and any(isinstance(v, np.ndarray) for v in left):
        assert isinstance(right, (list, tuple)) and len(left) == len(right), key
        for a, b in zip(left, right, strict=True):
            assert_same(a, b, key)
    else:
        assert left == right, key


def assert_outputs_equal(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() - {"applied"} == b.keys() - {"applied"}
    for key in a.keys() - {"applied"}:
        assert_same(a[key], b[key], key)


def fingerprint(out: dict[str, Any]) -> bytes:
    """The outputs as bytes, to tell draws apart."""
    parts = []
    for key in sorted(out.keys() - {"applied"}):
        value = out[key]
        parts.append(value.tobytes() if isinstance(value, np.ndarray) else repr(value).encode())
    return b"|".join(parts)


def typical(transform: ak.BaseTransform) -> dict[str, Any]:
    """The typical targets for a transform, with the ones it requires."""
    return complete(transform, inputs_for(transform, dtype_of(transform)))


def as_random(transform: ak.BaseTransform) -> ak.BaseTransform:
    """The example with p=0.5, so even a deterministic transform's output depends on the seed."""
    return transform.with_params(p=0.5)


@pytest.fixture(params=CLASSES, ids=IDS)
def transform(request: pytest.FixtureRequest) -> ak.BaseTransform:
    return instance_for(request.param)  # type: ignore[return-value]


@pytest.fixture(params=IMAGE_CLASSES, ids=IMAGE_IDS)
def image_transform(request: pytest.FixtureRequest) -> ak.BaseTransform:
    return request.param.example()


def test_registry_is_not_empty() -> None:
    assert {"Compose", "HorizontalFlip", "RandomCrop", "Normalize"} <= set(IDS)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda c: f"c{c[0] if c else 'none'}")
def test_dtype_shape_and_contiguity(image_transform: ak.BaseTransform, dtype: str, layout: tuple[int, ...]) -> None:
    transform = image_transform
    image = make_image(dtype, layout)
    allowed_channels = getattr(transform, "image_channels", None)
    allowed_dtypes = getattr(transform, "image_dtypes", None)
    channels_ok = allowed_channels is None or (layout[0] if layout else 1) in allowed_channels
    dtype_ok = allowed_dtypes is None or dtype in allowed_dtypes
    if not (channels_ok and dtype_ok):  # a declared restriction: a clear error naming the transform
        what = "channel" if dtype_ok else "dtype"
        with pytest.raises(ak.TargetTypeError, match=rf"^{type(transform).__name__}: target 'image' expects .*{what}"):
            run(transform.with_params(p=1.0), 0, image=image)
        return
    for seed in range(3):
        out = run(transform, seed, image=image)["image"]
        expected_dtype = getattr(transform, "output_dtype", None) or dtype
        assert out.dtype == np.dtype(expected_dtype)
        assert out.ndim == image.ndim
        assert out.shape[2:] == image.shape[2:], "channel count must be preserved"
        assert out.flags.c_contiguous
        assert not np.shares_memory(out, image)


def test_frame_stack_shares_one_draw(image_transform: ak.BaseTransform) -> None:
    transform = image_transform
    frames = np.stack([make_image(dtype_of(transform), (3,), seed=s) for s in range(3)])
    out = transform(rng=np.random.default_rng(5), record=True, **complete(transform, {"images": frames}))
    assert out["images"].shape[0] == 3 and out["images"].flags.c_contiguous
    for index, frame in enumerate(frames):
        single = transform.replay(out["applied"], image=frame)["image"]
        np.testing.assert_array_equal(out["images"][index], single)


def test_input_is_never_modified(transform: ak.BaseTransform) -> None:
    targets = typical(transform)
    before = {k: copy.deepcopy(v) for k, v in targets.items()}
    for seed in range(4):
        out = transform(rng=np.random.default_rng(seed), **targets)
        for key, value in targets.items():
            assert_same(value, before[key], key)
            if isinstance(value, np.ndarray) and isinstance(out.get(key), np.ndarray):
                assert not np.shares_memory(out[key], value), key


def test_same_seed_same_output(transform: ak.BaseTransform) -> None:
    targets = typical(transform)
    for seed in (0, 1, 123):
        assert_outputs_equal(transform(rng=seed, **targets), transform(rng=seed, **targets))


def test_different_seeds_differ(transform: ak.BaseTransform) -> None:
    targets = typical(transform)
    outputs = {fingerprint(as_random(transform)(rng=seed, **targets)) for seed in range(24)}
    assert len(outputs) >= 2, "with p=0.5 the output must depend on the seed"


def test_random_params_flag_is_truthful(transform: ak.BaseTransform) -> None:
    if not isinstance(transform, Transform):
        return  # containers record their children, checked through them
    targets = typical(transform)
    draws = [
        json.dumps(transform.with_params(p=1.0)(rng=np.random.default_rng(s), record=True, **targets)["applied"])
        for s in range(12)
    ]
    if type(transform).has_random_params:
        assert len(set(draws)) >= 2, "has_random_params=True but every seed drew the same params"
    else:
        assert len(set(draws)) == 1, "has_random_params=False but the params depend on the seed"


def test_replay_is_bit_exact(transform: ak.BaseTransform) -> None:
    targets = typical(transform)
    for seed in range(6):
        out = transform(rng=np.random.default_rng(seed), record=True, **targets)
        record = json.loads(json.dumps(out["applied"], allow_nan=False))  # strict JSON on the way
        assert all({"name", "path", "applied", "params"} <= entry.keys() for entry in record)
        assert_outputs_equal(transform.replay(record, **targets), out)


def test_config_round_trip(transform: ak.BaseTransform, tmp_path: Any) -> None:
    config = transform.to_dict()
    json.dumps(config, allow_nan=False)
    rebuilt = ak.from_dict(json.loads(json.dumps(config)))
    assert type(rebuilt) is type(transform) and rebuilt.to_dict() == config
    for suffix in ("yaml", "json"):
        path = ak.save(transform, tmp_path / f"pipe.{suffix}")
        assert ak.load(path).to_dict() == config
    targets = typical(transform)
    assert_outputs_equal(rebuilt(rng=3, **targets), transform(rng=3, **targets))


def test_pickle_round_trip(transform: ak.BaseTransform) -> None:
    clone = pickle.loads(pickle.dumps(transform))
    assert clone.to_dict() == transform.to_dict()
    targets = typical(transform)
    assert_outputs_equal(clone(rng=7, **targets), transform(rng=7, **targets))


def test_unknown_argument_lists_valid_names(transform: ak.BaseTransform) -> None:
    name = type(transform).__name__
    with pytest.raises(ak.ArgumentError, match=rf"{name}: unknown argument 'not_an_arg'.*Valid arguments: .*\bp\b"):
        type(transform)(**{**transform.get_params(), "not_an_arg": 1})
    with pytest.raises(ak.ConfigError, match="not_an_arg"):
        ak.from_dict({**transform.to_dict(), "not_an_arg": 1})


def test_instances_are_immutable(transform: ak.BaseTransform) -> None:
    with pytest.raises(AttributeError, match="immutable"):
        transform.p = 0.1


def test_bad_image_dtype_names_transform_and_target(image_transform: ak.BaseTransform) -> None:
    transform = image_transform
    name = type(transform).__name__
    for dtype in ("int64", "bool", "float16"):
        with pytest.raises(ak.TargetTypeError, match=rf"^{name}: target 'image' expects dtype .*; got {dtype}"):
            transform(image=np.zeros((8, 8, 3), dtype=dtype), rng=0)


def test_unsupported_targets_raise(transform: ak.BaseTransform) -> None:
    kinds = kinds_of(transform)
    if "image" in kinds:
        sample = make_sample(dtype_of(transform))
        for kind in sorted(ALL_KINDS - kinds):
            with pytest.raises(ak.TargetTypeError, match=rf"target '{kind}' is not supported"):
                transform(rng=0, **sample.targets(frozenset({kind})))
    for kind, call in foreign_calls().items():
        if kind not in kinds:  # another modality's data: refused, naming the transform and the target
            with pytest.raises(ak.TargetTypeError, match=rf"^{type(transform).__name__}: target '{kind}' is not supported"):
                transform.with_params(p=1.0)(rng=0, **call)


def _extent(mask: np.ndarray, value: int) -> tuple[float, float, float, float] | None:
    ys, xs = np.nonzero(mask == value)
    if len(xs) == 0:
        return None
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def test_boxes_follow_the_mask(image_transform: ak.BaseTransform) -> None:
    transform = image_transform
    if not {"bboxes", "mask"} <= kinds_of(transform):
        return
    sample = make_sample(dtype_of(transform))
    for seed in range(8):
        out = run(transform, seed, image=sample.image, mask=box_mask(), bboxes=sample.bboxes, labels=sample.labels)
        survivors = set(out["labels"])
        for box, label in zip(out["bboxes"], out["labels"], strict=True):
            extent = _extent(out["mask"], label)
            assert extent is not None, f"box {label} survived but its mask pixels are gone"
            # the box encloses its mask pixels and is tight to them, within one pixel of resampling
            assert box[0] <= extent[0] + 1 and box[1] <= extent[1] + 1, (box, extent)
            assert box[2] >= extent[2] - 1 and box[3] >= extent[3] - 1, (box, extent)
            # tight: a slanted edge sampled by nearest neighbour can shift a visible corner by ~1.5 px
            assert np.abs(np.asarray(extent) - box).max() <= 1.5, (box, extent)
        if getattr(type(transform), "drops_visible_boxes", False):
            continue  # it drops partly visible boxes by design; its own tests pin the rule
        for label in set(sample.labels) - survivors:
            extent = _extent(out["mask"], label)
            assert extent is None or (extent[2] - extent[0]) * (extent[3] - extent[1]) <= 2, "a visible box was dropped"


def test_keypoints_follow_the_mask(image_transform: ak.BaseTransform) -> None:
    transform = image_transform
    if not {"keypoints", "mask"} <= kinds_of(transform):
        return
    sample = make_sample(dtype_of(transform))
    for seed in range(8):
        out = run(transform, seed, image=sample.image, mask=keypoint_mask(), keypoints=sample.keypoints)
        height, width = out["mask"].shape[:2]
        for index, (x, y) in enumerate(out["keypoints"][:, :2]):
            extent = _extent(out["mask"], index + 1)
            inside = -0.5 <= x < width - 0.5 and -0.5 <= y < height - 0.5
            if extent is None:
                # erasing may fill the blob in the mask: the keypoint stays, flagged hidden (not checked here)
                assert not inside or getattr(transform, "edits_targets", False), (index, x, y)
                continue
            centre_x, centre_y = (extent[0] + extent[2] - 1) / 2, (extent[1] + extent[3] - 1) / 2
            away_from_border = extent[0] > 0 and extent[1] > 0 and extent[2] < width and extent[3] < height
            if extent[2] - extent[0] == 3 and extent[3] - extent[1] == 3 and away_from_border:  # blob fully visible
                assert abs(centre_x - x) <= 0.51 and abs(centre_y - y) <= 0.51, (index, x, y, extent)
            else:
                # the blob is cut by the border (or scaled/rotated): the point lies within its reach
                assert extent[0] - 3 <= x <= extent[2] + 2 and extent[1] - 3 <= y <= extent[3] + 2, (index, x, y, extent)
