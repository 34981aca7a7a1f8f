"""Geometric transforms that move every target: flips, quarter turns, transpose and resize.

>>> import numpy as np, augkit as ak
>>> out = ak.image.Resize(4, 6)(image=np.zeros((2, 3, 3), np.uint8))
>>> out["image"].shape
(4, 6, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augkit.core.targets import State
from augkit.core.transform import SpatialTransform
from augkit.core.validate import as_choice, as_int
from augkit.image import functional as F

__all__ = ["HorizontalFlip", "RandomRotate90", "Resize", "Transpose", "VerticalFlip"]

Params = dict[str, Any]


class HorizontalFlip(SpatialTransform):
    """Mirror left-right, with probability ``p``.

    Example:
        >>> import augkit as ak
        >>> flip = ak.image.HorizontalFlip(p=0.5)
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.hflip(image)

    apply_mask = apply_image

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.hflip_boxes(boxes, width)

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.hflip_keypoints(points, width)

    def is_reflection(self, params: Params) -> bool:
        return True


class VerticalFlip(SpatialTransform):
    """Mirror top-bottom, with probability ``p``.

    Example:
        >>> import augkit as ak
        >>> flip = ak.image.VerticalFlip(p=0.5)
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.vflip(image)

    apply_mask = apply_image

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.vflip_boxes(boxes, height)

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.vflip_keypoints(points, height)

    def is_reflection(self, params: Params) -> bool:
        return True


class Transpose(SpatialTransform):
    """Swap rows and columns (mirror about the main diagonal), with probability ``p``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Transpose(p=0.5)
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.transpose(image)

    apply_mask = apply_image

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.transpose_boxes(boxes)

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.transpose_keypoints(points)

    def is_reflection(self, params: Params) -> bool:
        return True


class RandomRotate90(SpatialTransform):
    """Rotate by a random number of quarter turns (0-3, counter-clockwise), with probability ``p``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomRotate90(p=1.0)
    """

    has_random_params = True

    def __init__(self, p: float = 1.0) -> None:
        super().__init__(p)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"k": min(int(rng.random() * 4), 3)}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.rot90(image, params["k"])

    apply_mask = apply_image

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.rot90_boxes(boxes, params["k"], height, width)

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.rot90_keypoints(points, params["k"], height, width)


class Resize(SpatialTransform):
    """Resize to ``height x width``.

    Args:
        height, width: output size in pixels.
        interpolation: for images: nearest, nearest_exact, linear, cubic, area or lanczos.
        mask_interpolation: for masks (default nearest, so labels stay labels).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Resize(224, 224, interpolation="area")
    """

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.height = as_int(owner, "height", height, low=1)
        self.width = as_int(owner, "width", width, low=1)
        self.interpolation = as_choice(owner, "interpolation", interpolation, F.INTERPOLATIONS)
        self.mask_interpolation = as_choice(owner, "mask_interpolation", mask_interpolation, F.INTERPOLATIONS)

    @classmethod
    def example(cls) -> Resize:
        return cls(24, 40)

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.resize(image, self.height, self.width, self.interpolation)

    def apply_mask(self, mask: np.ndarray, params: Params) -> np.ndarray:
        return F.resize(mask, self.height, self.width, self.mask_interpolation)

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.resize_boxes(boxes, self.width / width, self.height / height)

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.resize_keypoints(points, self.width / width, self.height / height)
