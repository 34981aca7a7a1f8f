"""The base-class contract for people writing their own transforms."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest

import augkit as ak
from augkit.core.targets import State


class ImageOnlyInvert(ak.PixelTransform):
    """A user transform that supports images only (not registered: _abstract keeps it out)."""

    _abstract = True
    targets: ClassVar[frozenset[str]] = frozenset({"image"})

    def apply_image(self, image: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        return 255 - image


class RandomShift(ak.PixelTransform):
    """A user transform with a random parameter and a constructor argument."""

    _abstract = True
    has_random_params = True

    def __init__(self, limit: int = 10, p: float = 1.0) -> None:
        super().__init__(p)
        self.limit = limit

    def sample(self, rng: np.random.Generator, state: State) -> dict[str, Any]:
        return {"shift": int(rng.integers(-self.limit, self.limit + 1))}

    def apply_image(self, image: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        return np.clip(image.astype(np.int16) + params["shift"], 0, 255).astype(np.uint8)


IMAGE = np.full((4, 5, 3), 100, np.uint8)


def test_a_target_the_transform_does_not_declare_raises() -> None:
    out = ImageOnlyInvert()(image=IMAGE)
    assert out["image"][0, 0, 0] == 155
    with pytest.raises(
        ak.TargetTypeError, match=r"ImageOnlyInvert: target 'mask' is not supported; this transform supports image"
    ):
        ImageOnlyInvert()(image=IMAGE, mask=np.zeros((4, 5), np.uint8))
    with pytest.raises(ak.TargetTypeError, match="target 'bboxes' is not supported"):
        ak.Compose([ak.image.HorizontalFlip(), ImageOnlyInvert()])(image=IMAGE, bboxes=[[0, 0, 2, 2]], labels=[1])


def test_pixel_transforms_pass_spatial_targets_through() -> None:
    mask = np.arange(20, dtype=np.uint8).reshape(4, 5)
    out = RandomShift()(image=IMAGE, mask=mask, bboxes=[[0, 0, 2, 2]], labels=["a"], keypoints=[[1, 2]], rng=0)
    np.testing.assert_array_equal(out["mask"], mask)
    assert out["bboxes"].tolist() == [[0, 0, 2, 2]] and out["labels"] == ["a"] and out["keypoints"].tolist() == [[1, 2]]


def test_user_transform_records_and_replays() -> None:
    out = ak.Compose([RandomShift(limit=50)], seed=3)(image=IMAGE, record=True)
    shift = out["applied"][0]["params"]["shift"]
    assert out["image"][0, 0, 0] == 100 + shift
    again = ak.Compose([RandomShift(limit=50)]).replay(out["applied"], image=IMAGE)
    np.testing.assert_array_equal(again["image"], out["image"])


def test_constructor_arguments_are_checked_and_frozen() -> None:
    with pytest.raises(
        ak.ArgumentError, match=r"RandomShift: unknown argument 'limt'\. Did you mean 'limit'\? Valid arguments: limit, p"
    ):
        RandomShift(limt=3)
    shift = RandomShift(limit=3)
    with pytest.raises(AttributeError, match="immutable"):
        shift.limit = 4
    assert shift.with_params(limit=4).limit == 4 and shift.limit == 3
    assert repr(shift) == "RandomShift(limit=3, p=1.0)"


def test_probability_is_handled_by_the_base() -> None:
    never = RandomShift(p=0.0)
    out = never(image=IMAGE, rng=0, record=True)
    np.testing.assert_array_equal(out["image"], IMAGE)
    assert out["applied"] == [{"name": "RandomShift", "path": [], "applied": False, "params": {}}]


class GrayOnlyDarken(ak.PixelTransform):
    """Declares one channel and uint8 only (not registered)."""

    _abstract = True
    image_channels = (1,)
    image_dtypes = ("uint8",)

    def apply_image(self, image: np.ndarray, params: dict) -> np.ndarray:
        return image // 2


def test_declared_channel_and_dtype_restrictions_raise_clearly() -> None:
    t = GrayOnlyDarken()
    assert t(image=np.full((2, 2), 9, np.uint8))["image"].tolist() == [[4, 4], [4, 4]]
    assert t(image=np.full((2, 2, 1), 9, np.uint8))["image"].shape == (2, 2, 1)
    with pytest.raises(ak.TargetTypeError, match=r"^GrayOnlyDarken: target 'image' expects 1 channel\(s\); got 3"):
        t(image=np.zeros((2, 2, 3), np.uint8))
    with pytest.raises(ak.TargetTypeError, match=r"^GrayOnlyDarken: target 'images' expects 1 channel\(s\); got 3"):
        t(images=np.zeros((4, 2, 2, 3), np.uint8))
    with pytest.raises(ak.TargetTypeError, match=r"^GrayOnlyDarken: target 'image' expects dtype uint8; got float32"):
        t(image=np.zeros((2, 2), np.float32))


class EraseLeftHalf(ak.PixelTransform):
    """Zeroes the left half; fills masks there, drops boxes mostly inside it, hides keypoints in it."""

    _abstract = True
    edits_targets = True

    def apply_image(self, image: np.ndarray, params: dict) -> np.ndarray:
        out = image.copy()
        out[:, : image.shape[1] // 2] = 0
        return out

    def apply_mask(self, mask: np.ndarray, params: dict) -> np.ndarray:
        return self.apply_image(mask, params)

    def apply_bboxes(self, boxes: np.ndarray, params: dict, height: int, width: int) -> np.ndarray:
        out = boxes.copy()
        out[boxes[:, 2] <= width // 2] = np.nan
        return out

    def hidden_keypoints(self, points: np.ndarray, params: dict, height: int, width: int) -> np.ndarray:
        return points[:, 0] < width // 2


def test_erasing_hook_edits_masks_boxes_and_keypoints() -> None:
    image = np.full((4, 8), 7, np.uint8)
    boxes = [[0, 0, 3, 3], [5, 0, 8, 2]]
    points = [[1.0, 1.0, 1], [6.0, 1.0, 1]]
    out = ak.Compose([EraseLeftHalf()], keypoint_format="xy", keypoint_visibility_column=2)(
        image=image, mask=image, bboxes=boxes, labels=["a", "b"], keypoints=points
    )
    assert out["mask"][:, :4].max() == 0 and out["mask"][:, 4:].min() == 7
    assert out["labels"] == ["b"] and out["bboxes"].tolist() == [[5, 0, 8, 2]]
    assert out["keypoints"].tolist() == [[1.0, 1.0, 0.0], [6.0, 1.0, 1.0]]  # hidden, coordinates kept
    out = ak.Compose([EraseLeftHalf(), ak.image.HorizontalFlip(p=1.0)], remove_invisible_keypoints=True)(
        image=image, keypoints=[[1.0, 1.0], [6.0, 1.0]]
    )
    assert out["keypoints"].tolist() == [[1.0, 1.0]]  # the visible one, flipped; the hidden one dropped
