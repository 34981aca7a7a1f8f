"""Crops: a window of the image, with masks, boxes and keypoints cut to match.

>>> import numpy as np, augkit as ak
>>> ak.image.CenterCrop(2, 2)(image=np.arange(16, dtype=np.uint8).reshape(4, 4))["image"].tolist()
[[5, 6], [9, 10]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augkit.core.errors import TargetError
from augkit.core.targets import State
from augkit.core.transform import SpatialTransform
from augkit.core.validate import as_int
from augkit.image import functional as F

__all__ = ["CenterCrop", "RandomCrop"]

Params = dict[str, Any]


class _WindowCrop(SpatialTransform):
    """Shared by crops of a fixed ``height x width``: params are the window corners."""

    _abstract = True

    def __init__(self, height: int, width: int, p: float = 1.0) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.height = as_int(owner, "height", height, low=1)
        self.width = as_int(owner, "width", width, low=1)

    @classmethod
    def example(cls) -> _WindowCrop:
        return cls(20, 24)

    def _check_fits(self, state: State) -> None:
        if self.height > state.height or self.width > state.width:
            raise TargetError(
                f"{type(self).__name__}: the crop {self.height}x{self.width} (HxW) does not fit in the "
                f"image {state.height}x{state.width}; expected an image at least as large as the crop"
            )

    def _window(self, y_min: int, x_min: int) -> Params:
        return {"x_min": x_min, "y_min": y_min, "x_max": x_min + self.width, "y_max": y_min + self.height}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        return F.crop(image, params["x_min"], params["y_min"], params["x_max"], params["y_max"])

    apply_mask = apply_image

    def apply_images(self, images: np.ndarray, params: Params) -> np.ndarray:
        return images[:, params["y_min"] : params["y_max"], params["x_min"] : params["x_max"]].copy()

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.crop_boxes(boxes, params["x_min"], params["y_min"])

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return F.crop_keypoints(points, params["x_min"], params["y_min"])


class RandomCrop(_WindowCrop):
    """Cut a ``height x width`` window at a random position.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.RandomCrop(200, 180)   # height, width
    """

    has_random_params = True

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        self._check_fits(state)
        y_min = int(rng.random() * (state.height - self.height + 1))
        x_min = int(rng.random() * (state.width - self.width + 1))
        return self._window(min(y_min, state.height - self.height), min(x_min, state.width - self.width))


class CenterCrop(_WindowCrop):
    """Cut the central ``height x width`` window.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.CenterCrop(224, 224)
    """

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        self._check_fits(state)
        return self._window((state.height - self.height) // 2, (state.width - self.width) // 2)
