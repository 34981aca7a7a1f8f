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
