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

__all__ = ["HorizontalFlip", "RandomRotate90", "Resize", "SquareSymmetry", "Transpose", "VerticalFlip"]

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
        mask_interpolation: for masks (default nearest_exact: labels stay labels and pixel centres stay aligned).

    Example:
        >>> import augkit as ak
        >>> t = ak.image.Resize(224, 224, interpolation="area")
    """

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "linear",
        mask_interpolation: str = "nearest_exact",
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


#: The eight symmetries of a square (the dihedral group D4), as SquareSymmetry records them.
SYMMETRIES = ("identity", "rot90", "rot180", "rot270", "hflip", "vflip", "transpose", "antitranspose")
_MIRRORS = frozenset(SYMMETRIES[4:])
_TURNS = {"identity": 0, "rot90": 1, "rot180": 2, "rot270": 3}


class SquareSymmetry(SpatialTransform):
    """One of the 8 symmetries of a square, drawn uniformly: the identity, quarter turns by 90, 180 and
    270 degrees (counter-clockwise), left-right and top-bottom mirrors, and the mirrors about the main
    diagonal (transpose) and the anti-diagonal (antitranspose). All are exact memory moves; on a
    non-square image, the turns by 90/270 and the diagonal mirrors swap height and width.

    Params: ``{"symmetry": <one of SYMMETRIES>}``.

    Example:
        >>> import augkit as ak
        >>> t = ak.image.SquareSymmetry(p=1.0)
    """

    has_random_params = True

    def __init__(self, p: float = 1.0) -> None:
        super().__init__(p)

    def sample(self, rng: np.random.Generator, state: State) -> Params:
        return {"symmetry": SYMMETRIES[min(int(rng.random() * 8), 7)]}

    def apply_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        name = params["symmetry"]
        if name in _TURNS:
            return F.rot90(image, _TURNS[name])
        if name == "hflip":
            return F.hflip(image)
        if name == "vflip":
            return F.vflip(image)
        if name == "transpose":
            return F.transpose(image)
        if name == "antitranspose":  # the mirror about the anti-diagonal: a transpose turned by 180
            return F.rot90(F.transpose(image), 2)
        raise KeyError(f"symmetry {name!r} is not one of {', '.join(SYMMETRIES)}")

    apply_mask = apply_image

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        name = params["symmetry"]
        if name in _TURNS:
            return F.rot90_boxes(boxes, _TURNS[name], height, width)
        if name == "hflip":
            return F.hflip_boxes(boxes, width)
        if name == "vflip":
            return F.vflip_boxes(boxes, height)
        if name == "transpose":
            return F.transpose_boxes(boxes)
        if name == "antitranspose":  # the transposed image is width x height
            return F.rot90_boxes(F.transpose_boxes(boxes), 2, width, height)
        raise KeyError(f"symmetry {name!r} is not one of {', '.join(SYMMETRIES)}")

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        name = params["symmetry"]
        if name in _TURNS:
            return F.rot90_keypoints(points, _TURNS[name], height, width)
        if name == "hflip":
            return F.hflip_keypoints(points, width)
        if name == "vflip":
            return F.vflip_keypoints(points, height)
        if name == "transpose":
            return F.transpose_keypoints(points)
        if name == "antitranspose":
            return F.rot90_keypoints(F.transpose_keypoints(points), 2, width, height)
        raise KeyError(f"symmetry {name!r} is not one of {', '.join(SYMMETRIES)}")

    def is_reflection(self, params: Params) -> bool:
        return params["symmetry"] in _MIRRORS
