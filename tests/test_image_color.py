"""Pixel transforms (brightness/contrast, normalization) against float64 references."""

from __future__ import annotations

import numpy as np
import pytest

import augkit as ak
from augkit.image import functional as F

LAYOUTS = ((), (1,), (3,), (7,))
TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}
# (alpha, beta) pairs: identity, mild and strong changes, saturation both ways, and "awkward" decimals.
PARAMS = [
    (1.0, 0.0),
    (1.37, 0.071),
    (0.63, -0.043),
    (1.123456, 0.0123),
    (2.5, -0.9013),
    (0.0, 0.25),
    (1.0, 1.0),
    (1.0, -1.0),
]


def make(dtype: str, layout: tuple[int, ...], height: int = 16, width: int = 16, seed: int = 0) -> np.ndarray:
    """Every representable value for integer dtypes (uint16: all 65536 values per channel), random floats."""
    rng = np.random.default_rng(seed)
    channels = layout[0] if layout else 1
    if dtype == "float32":
        image = rng.random((height, width, channels), dtype=np.float32)
        image[0, 0], image[0, 1] = 0.0, 1.0
    else:
        count = int(TOP[dtype]) + 1
        side = int(np.sqrt(count))
        planes = [rng.permutation(count).reshape(side, side) for _ in range(channels)]
        image = np.stack(planes, axis=2).astype(dtype)
    return image if layout else image[:, :, 0]


def reference(image: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """clip(round(alpha * x + beta * max)) in float64, unrounded for float32."""
    top = TOP[image.dtype.name]
    value = alpha * image.astype(np.float64) + beta * top
    return value if image.dtype == np.float32 else np.clip(value, 0.0, top)


def check(out: np.ndarray, image: np.ndarray, alpha: float, beta: float) -> None:
    assert out.dtype == image.dtype and out.shape == image.shape
    assert out.flags.c_contiguous and not np.shares_memory(out, image)
    exact = reference(image, alpha, beta)
    if image.dtype == np.float32:
        np.testing.assert_allclose(out, np.clip(exact, 0.0, 1.0), rtol=0, atol=2e-6)
        return
    rounded = np.rint(exact)
    diff = np.abs(out.astype(np.float64) - rounded)
    if image.dtype == np.uint8:
        assert not (exact % 1 == 0.5).any(), "choose parameters without ties"
        bad = diff != 0
    else:
        tie = exact % 1 == 0.5
        bad = (diff > 1) | ((diff == 1) & ~tie)
    if bad.any():
        index = tuple(np.argwhere(bad)[0])
        raise AssertionError(
            f"{int(bad.sum())} of {bad.size} pixels differ (alpha={alpha}, beta={beta}, {image.dtype}); first at "
            f"{index}: input {image[index]}, reference {exact[index]!r} -> {rounded[index]}, got {out[index]}"
        )


@pytest.mark.parametrize(("alpha", "beta"), PARAMS)
@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_brightness_contrast_kernel_matches_reference(dtype: str, layout: tuple[int, ...], alpha: float, beta: float) -> None:
    image = make(dtype, layout)
    before = image.copy()
    check(F.brightness_contrast(image, alpha, beta), image, alpha, beta)
    np.testing.assert_array_equal(image, before)


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_random_brightness_contrast_matches_reference_with_recorded_params(dtype: str, layout: tuple[int, ...]) -> None:
    image = make(dtype, layout)
    t = ak.image.RandomBrightnessContrast(brightness=(-0.3, 0.2), contrast=(-0.5, 0.4), p=1.0)
    for seed in range(5):
        out = t(image=image, rng=seed, record=True)
        params = out["applied"][0]["params"]
        assert 0.5 <= params["alpha"] <= 1.4 and -0.3 <= params["beta"] <= 0.2
        check(out["image"], image, params["alpha"], params["beta"])
        np.testing.assert_array_equal(out["image"], F.brightness_contrast(image, params["alpha"], params["beta"]))


@pytest.mark.parametrize("dtype", ["uint8", "uint16"])
def test_single_value_brightness_is_one_shift_for_every_pixel(dtype: str) -> None:
    image = make(dtype, (3,))
    top = TOP[dtype]
    t = ak.image.RandomBrightnessContrast(brightness=0.1, contrast=0, p=1.0)
    for seed in range(3):
        out = t(image=image, rng=seed, record=True)
        assert out["applied"][0]["params"] == {"alpha": 1.0, "beta": 0.1}
    shift = round(0.1 * top)  # uint8: round(25.5) = 26, uint16: round(6553.5) = 6554, whatever the pixel's parity
    expected = np.clip(image.astype(np.int64) + shift, 0, int(top))
    got = out["image"].astype(np.int64)
    wrong = np.flatnonzero(got != expected)
    assert wrong.size == 0, (
        f"brightness=0.1 should shift every {dtype} pixel by {shift}; {wrong.size} pixels differ, e.g. "
        f"{image.reshape(-1)[wrong[0]]} -> {got.reshape(-1)[wrong[0]]} (expected {expected.reshape(-1)[wrong[0]]})"
    )


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_single_value_contrast_is_exact(dtype: str, layout: tuple[int, ...]) -> None:
    image = make(dtype, layout)
    out = ak.image.RandomBrightnessContrast(brightness=0, contrast=0.2, p=1.0)(image=image, rng=0, record=True)
    assert out["applied"][0]["params"] == {"alpha": 1.0 + 0.2, "beta": 0.0}
    check(out["image"], image, 1.2, 0.0)  # 1.2 * x is never a tie


def test_brightness_contrast_p0_and_identity() -> None:
    image = make("uint16", (3,))
    for out in (
        ak.image.RandomBrightnessContrast(p=0.0)(image=image, rng=0)["image"],
        ak.image.RandomBrightnessContrast(brightness=0, contrast=0, p=1.0)(image=image, rng=0)["image"],
    ):
        np.testing.assert_array_equal(out, image)
        assert out.dtype == np.uint16 and not np.shares_memory(out, image)


# ----------------------------------------------------------------------------------- Normalize
def normalize_ref(image: np.ndarray, mean, std, top: float) -> np.ndarray:
    channels = 1 if image.ndim == 2 else image.shape[2]
    mean = np.broadcast_to(np.asarray(mean, np.float64).reshape(-1), (channels,))
    std = np.broadcast_to(np.asarray(std, np.float64).reshape(-1), (channels,))
    value = image.astype(np.float64)
    if image.ndim == 2:
        return (value / top - mean[0]) / std[0]
    return (value / top - mean) / std


def stats(channels: int, scalar_mean: bool, scalar_std: bool) -> tuple[object, object]:
    mean = 0.43 if scalar_mean else [0.1 + 0.11 * c for c in range(channels)]
    std = 0.27 if scalar_std else [0.2 + 0.05 * c for c in range(channels)]
    return mean, std


@pytest.mark.parametrize(("scalar_mean", "scalar_std"), [(True, True), (False, False), (True, False), (False, True)])
@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_normalize_matches_reference(dtype: str, layout: tuple[int, ...], scalar_mean: bool, scalar_std: bool) -> None:
    image = make(dtype, layout, seed=1)
    channels = layout[0] if layout else 1
    mean, std = stats(channels, scalar_mean, scalar_std)
    out = ak.image.Normalize(mean=mean, std=std)(image=image)["image"]
    assert out.dtype == np.float32 and out.shape == image.shape and out.flags.c_contiguous
    np.testing.assert_allclose(out, normalize_ref(image, mean, std, TOP[dtype]), rtol=1e-5, atol=1e-5)
    direct = F.normalize(image, mean, std, TOP[dtype])
    assert direct.dtype == np.float32
    np.testing.assert_allclose(direct, out, rtol=0, atol=1e-6)


@pytest.mark.parametrize(("dtype", "top"), [("uint8", 100.0), ("uint16", 4095.0), ("float32", 255.0)])
@pytest.mark.parametrize("layout", [(), (3,), (7,)], ids=str)
def test_normalize_explicit_max_pixel_value(dtype: str, top: float, layout: tuple[int, ...]) -> None:
    image = make(dtype, layout, seed=2)
    channels = layout[0] if layout else 1
    mean, std = stats(channels, False, False)
    out = ak.image.Normalize(mean=mean, std=std, max_pixel_value=top)(image=image)["image"]
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, normalize_ref(image, mean, std, top), rtol=1e-5, atol=1e-4)


def test_normalize_defaults_and_doc_example() -> None:
    image = np.array([[[0, 128, 255]]], np.uint8)
    out = ak.image.Normalize()(image=image)["image"]
    expected = (np.array([0, 128, 255]) / 255.0 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]
    np.testing.assert_allclose(out[0, 0], expected, rtol=1e-6)
    assert ak.image.Normalize(mean=0.5, std=0.5)(image=np.full((1, 1), 255, np.uint8))["image"].tolist() == [[1.0]]


@pytest.mark.parametrize("layout", [(), (1,), (7,)], ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_normalize_channel_mismatch_raises(layout: tuple[int, ...], dtype: str) -> None:
    image = make(dtype, layout)
    with pytest.raises(ak.TargetError, match="'mean'"):
        ak.image.Normalize(mean=(0.1, 0.2, 0.3), std=0.5)(image=image)
    with pytest.raises(ak.TargetError, match="'std'"):
        ak.image.Normalize(mean=0.5, std=(0.1, 0.2, 0.3))(image=image)
    with pytest.raises(ak.TargetError, match="Normalize"):
        ak.Compose([ak.image.Normalize()])(image=image)


# ----------------------------------------------------------------------------------- other targets
def all_targets() -> dict:
    rng = np.random.default_rng(5)
    return {
        "image": rng.integers(0, 256, (12, 10, 3)).astype(np.uint8),
        "mask": rng.integers(0, 4, (12, 10)).astype(np.uint8),
        "masks": [rng.integers(0, 2, (12, 10)).astype(np.uint8), rng.integers(0, 9, (12, 10)).astype(np.int32)],
        "bboxes": np.array([[1.0, 2.0, 5.0, 9.0], [0.5, 0.0, 10.0, 12.0]]),
        "labels": np.array([3, 7]),
        "keypoints": np.array([[1.0, 2.0], [9.0, 11.0], [15.0, -3.0]]),
        "keypoint_labels": ["a", "b", "c"],
    }


@pytest.mark.parametrize(
    "transform",
    [
        ak.image.RandomBrightnessContrast(p=1.0),
        ak.image.RandomBrightnessContrast(p=0.0),
        ak.image.Normalize(),
        ak.Compose([ak.image.RandomBrightnessContrast(p=1.0), ak.image.Normalize()]),
    ],
    ids=["brightness", "brightness-p0", "normalize", "compose"],
)
def test_pixel_transforms_pass_other_targets_through(transform: ak.BaseTransform) -> None:
    given = all_targets()
    out = transform(rng=0, **given)
    assert set(out) == set(given)
    for key in ("mask", "bboxes", "labels", "keypoints"):
        np.testing.assert_array_equal(out[key], given[key])
        assert out[key] is not given[key] and not np.shares_memory(out[key], given[key]), key
        assert out[key].dtype == given[key].dtype, key
    assert isinstance(out["masks"], list) and len(out["masks"]) == 2
    for got, src in zip(out["masks"], given["masks"], strict=True):
        assert got.dtype == src.dtype and got is not src and not np.shares_memory(got, src)
        np.testing.assert_array_equal(got, src)
    assert out["keypoint_labels"] == given["keypoint_labels"] and out["keypoint_labels"] is not given["keypoint_labels"]
    assert not np.shares_memory(out["image"], given["image"])


def test_byte_lookup_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The StringZilla translation and the OpenCV fallback give the same bytes."""
    from augkit.image.functional import _lut as color_module

    image = np.random.default_rng(3).integers(0, 256, (37, 41, 3), dtype=np.uint8)
    table = np.random.default_rng(4).integers(0, 256, 256, dtype=np.uint8)
    fast = color_module.apply_lut(image, table)
    monkeypatch.setattr(color_module, "_translate", None)
    slow = color_module.apply_lut(image, table)
    np.testing.assert_array_equal(fast, slow)
    np.testing.assert_array_equal(fast, table[image])
    assert not np.shares_memory(fast, image) and fast.flags.c_contiguous
