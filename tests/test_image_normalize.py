"""Normalize modes, ToFloat and FromFloat against float64 formulas."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.image.functional.normalize import EPSILON, from_float, normalize_per_image, to_float
from augkit.image.normalize import FromFloat, Normalize, ToFloat

TOP = {"uint8": 255.0, "uint16": 65535.0, "float32": 1.0}
LAYOUTS = [(), (1,), (3,), (7,), (130,)]


def make(dtype: str, layout: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Channels with different offsets and spreads, so per-channel statistics differ."""
    rng = np.random.default_rng(seed)
    channels = layout[0] if layout else 1
    unit = rng.random((12, 15, channels)) * np.linspace(0.2, 0.9, channels) + np.linspace(0.05, 0.1, channels)
    unit = unit if layout else unit[:, :, 0]
    if dtype == "float32":
        return unit.astype(np.float32)
    return np.round(unit * TOP[dtype]).astype(dtype)


def reference(image: np.ndarray, mode: str) -> np.ndarray:
    """The per-image normalizations in float64, statistics over the pixel axes."""
    value = image.astype(np.float64)
    value = value if value.ndim == 3 else value[:, :, None]
    axes: Any = (0, 1) if mode.endswith("per_channel") else None
    floor = EPSILON * TOP[image.dtype.name]
    if mode.startswith("image"):
        centre, spread = value.mean(axis=axes), value.std(axis=axes)
    else:
        centre, spread = value.min(axis=axes), value.max(axis=axes) - value.min(axis=axes)
    out = np.where(spread < floor, 0.0, (value - centre) / np.maximum(spread, floor))  # flat: 0
    return out.reshape(image.shape)


@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("mode", ["image", "image_per_channel", "min_max", "min_max_per_channel"])
def test_per_image_modes_analytic(mode: str, dtype: str, layout: tuple[int, ...]) -> None:
    image = make(dtype, layout)
    out = Normalize(normalization=mode)(image=image)["image"]
    assert out.dtype == np.float32 and out.shape == image.shape and out.flags.c_contiguous
    np.testing.assert_allclose(out, reference(image, mode), rtol=1e-5, atol=1e-5)
    flat = out.reshape(-1, 1 if not layout else layout[0]).astype(np.float64)
    if mode == "image":
        assert abs(flat.mean()) < 1e-5 and abs(flat.std() - 1) < 1e-4
    elif mode == "image_per_channel":
        np.testing.assert_allclose(flat.mean(axis=0), 0, atol=1e-5)
        np.testing.assert_allclose(flat.std(axis=0), 1, atol=1e-4)
    else:
        axis = 0 if mode == "min_max_per_channel" else None
        assert flat.min() >= 0.0 and flat.max() <= 1.0
        np.testing.assert_allclose(flat.min(axis=axis), 0.0, atol=1e-6)
        np.testing.assert_allclose(flat.max(axis=axis), 1.0, atol=1e-6)


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
@pytest.mark.parametrize("mode", ["image", "image_per_channel", "min_max", "min_max_per_channel"])
def test_constant_images_and_channels_become_zero(mode: str, dtype: str) -> None:
    value = {"uint8": 200, "uint16": 40000, "float32": 0.3}[dtype]
    constant = np.full((6, 7, 3), value, dtype=dtype)
    out = normalize_per_image(constant, mode)
    assert np.isfinite(out).all() and not out.any()
    image = make(dtype, (3,))
    image[:, :, 1] = value  # one flat channel
    out = normalize_per_image(image, mode)
    assert np.isfinite(out).all()
    if mode.endswith("per_channel"):
        assert not out[:, :, 1].any() and out[:, :, 0].any()


@pytest.mark.parametrize("mode", ["image", "min_max"])
def test_flatness_threshold_is_a_millionth_of_full_intensity(mode: str) -> None:
    almost_flat = np.array([[0.5, 0.5 + 2e-7], [0.5, 0.5]], np.float32)  # spread far below 1e-6
    assert not normalize_per_image(almost_flat, mode).any()
    one_level = np.array([[1000, 1001], [1000, 1000]], np.uint16)  # one level of 65535 is well above
    expected = reference(one_level, mode)
    assert np.abs(expected).max() > 0.5
    np.testing.assert_allclose(normalize_per_image(one_level, mode), expected, atol=1e-5)


def test_standard_mode_is_unchanged_and_mean_std_unused_by_other_modes() -> None:
    image = make("uint8", (3,))
    default = Normalize()(image=image)["image"]
    assert Normalize().normalization == "standard"
    expected = (image / 255.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(default, expected, rtol=1e-5, atol=1e-5)
    seven = make("uint8", (7,))  # three means for seven channels: only "standard" uses them
    np.testing.assert_allclose(Normalize(normalization="image")(image=seven)["image"], reference(seven, "image"), atol=1e-5)
    with pytest.raises(ak.TargetError, match="Normalize: argument 'mean'"):
        Normalize()(image=seven)


def test_normalize_config_round_trip_keeps_mode() -> None:
    transform = Normalize(normalization="min_max_per_channel")
    rebuilt = ak.from_dict(transform.to_dict())
    assert rebuilt.to_dict()["normalization"] == "min_max_per_channel"


# ----------------------------------------------------------------------------------- ToFloat / FromFloat
@pytest.mark.parametrize("dtype", ["uint8", "uint16"])
@pytest.mark.parametrize("layout", [(), (3,)], ids=str)
def test_round_trip_is_exact_for_every_value(dtype: str, layout: tuple[int, ...]) -> None:
    count = int(TOP[dtype]) + 1
    values = np.random.default_rng(0).permutation(count).astype(dtype)
    image = np.stack([values] * (layout[0] if layout else 1), axis=-1).reshape(-1, 256, *layout)
    unit = ToFloat()(image=image)["image"]
    assert unit.dtype == np.float32 and unit.shape == image.shape
    np.testing.assert_allclose(unit, image / TOP[dtype], rtol=1e-7, atol=0)
    assert unit.min() == 0.0 and unit.max() == 1.0
    back = FromFloat(dtype=dtype)(image=unit)["image"]
    assert back.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(back, image)


def test_to_float_with_max_value_and_float_input() -> None:
    twelve_bit = np.array([[0, 1000, 4095, 5000]], np.uint16)
    out = ToFloat(max_value=4095)(image=twelve_bit)["image"]
    np.testing.assert_allclose(out, twelve_bit / 4095.0, rtol=1e-7)
    assert out[0, 3] > 1.0  # not clipped: a wrong max_value stays visible
    unit = np.array([[0.25, 1.0]], np.float32)
    out = ToFloat()(image=unit)["image"]
    np.testing.assert_array_equal(out, unit)
    assert not np.shares_memory(out, unit)
    np.testing.assert_array_equal(FromFloat(dtype="uint16", max_value=4095)(image=out)["image"], [[1024, 4095]])


def test_from_float_rounds_half_up_and_saturates() -> None:
    ties = np.array([[0.125, 0.375, 0.625, 0.875]], np.float32)  # x * 4 = 0.5, 1.5, 2.5, 3.5 exactly
    np.testing.assert_array_equal(from_float(ties, "uint8", 4.0), [[1, 2, 3, 4]])
    wild = np.array([[-0.5, -1e-9, 0.5, 1.0, 1.0000001, 7.0]], np.float32)
    np.testing.assert_array_equal(from_float(wild, "uint8"), [[0, 0, 128, 255, 255, 255]])
    np.testing.assert_array_equal(from_float(wild, "uint16"), [[0, 0, 32768, 65535, 65535, 65535]])
    np.testing.assert_array_equal(from_float(wild, "uint8", 1000.0), [[0, 0, 255, 255, 255, 255]])


def test_from_float_output_dtype_follows_argument_and_input_must_be_float() -> None:
    assert FromFloat().output_dtype == "uint8"
    transform = FromFloat(dtype="uint16")
    assert transform.output_dtype == "uint16"
    with pytest.raises(AttributeError):
        transform.output_dtype = "uint8"  # type: ignore[misc]
    assert ToFloat().output_dtype == "float32"
    with pytest.raises(ak.TargetTypeError, match=r"^FromFloat: target 'image' expects dtype float32; got uint8"):
        FromFloat()(image=np.zeros((2, 2), np.uint8))
    with pytest.raises(ValueError, match="float32"):
        from_float(np.zeros((2, 2), np.uint8))
    frames = np.random.default_rng(0).random((3, 4, 5, 2), dtype=np.float32)
    out = FromFloat(dtype="uint16")(images=frames)["images"]
    assert out.dtype == np.uint16 and out.shape == frames.shape
    np.testing.assert_array_equal(out[1], from_float(frames[1], "uint16"))
    np.testing.assert_array_equal(to_float(out, 65535.0)[2], ToFloat()(image=out[2])["image"])


@pytest.mark.parametrize(
    "cls, kwargs, argument",
    [
        (Normalize, {"normalization": "per_image"}, "normalization"),
        (Normalize, {"normalization": None}, "normalization"),
        (ToFloat, {"max_value": 0}, "max_value"),
        (ToFloat, {"max_value": "255"}, "max_value"),
        (FromFloat, {"dtype": "float32"}, "dtype"),
        (FromFloat, {"dtype": "int8"}, "dtype"),
        (FromFloat, {"max_value": -1.0}, "max_value"),
    ],
)
def test_bad_arguments_name_class_and_argument(cls: type, kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(ak.ArgumentError, match=rf"^{cls.__name__}: argument '{argument}' expects"):
        cls(**kwargs)
