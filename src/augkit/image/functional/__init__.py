"""Public image kernels: plain functions on numpy arrays, usable without the class layer.

>>> import numpy as np
>>> from augkit.image import functional as F
>>> F.vflip(np.array([[1], [2]], dtype=np.uint8)).tolist()
[[2], [1]]
"""

from augkit.image.functional import affine, distortions, padding
from augkit.image.functional._cv import BORDER_MODES, INTERPOLATIONS
from augkit.image.functional._lut import apply_lut, max_value
from augkit.image.functional.boxes import (
    crop_boxes,
    hflip_boxes,
    resize_boxes,
    rot90_boxes,
    transpose_boxes,
    vflip_boxes,
)
from augkit.image.functional.color import brightness_contrast
from augkit.image.functional.geometry import crop, hflip, resize, rot90, transpose, vflip
from augkit.image.functional.keypoints import (
    crop_keypoints,
    hflip_keypoints,
    resize_keypoints,
    rot90_keypoints,
    transpose_keypoints,
    vflip_keypoints,
)
from augkit.image.functional.normalize import normalize

__all__ = [
    "BORDER_MODES",
    "INTERPOLATIONS",
    "affine",
    "apply_lut",
    "brightness_contrast",
    "crop",
    "crop_boxes",
    "crop_keypoints",
    "distortions",
    "hflip",
    "hflip_boxes",
    "hflip_keypoints",
    "max_value",
    "normalize",
    "padding",
    "resize",
    "resize_boxes",
    "resize_keypoints",
    "rot90",
    "rot90_boxes",
    "rot90_keypoints",
    "transpose",
    "transpose_boxes",
    "transpose_keypoints",
    "vflip",
    "vflip_boxes",
    "vflip_keypoints",
]
