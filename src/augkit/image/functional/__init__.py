"""Public image kernels: plain functions on numpy arrays, usable without the class layer.

>>> import numpy as np
>>> from augkit.image import functional as F
>>> F.vflip(np.array([[1], [2]], dtype=np.uint8)).tolist()
[[2], [1]]
"""

from augkit.image.functional import affine, compression, distortions, domain, dropout, noise, padding
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
from augkit.image.functional.compression import downscale, jpeg_compression, ringing_overshoot, webp_compression
from augkit.image.functional.domain import (
    fourier_domain_adaptation,
    histogram_matching,
    pixel_distribution_adaptation,
    random_convolution,
)
from augkit.image.functional.dropout import covered_fraction, erase_grid, erase_rectangles, pixel_dropout
from augkit.image.functional.geometry import crop, hflip, resize, rot90, transpose, vflip
from augkit.image.functional.keypoints import (
    crop_keypoints,
    hflip_keypoints,
    resize_keypoints,
    rot90_keypoints,
    transpose_keypoints,
    vflip_keypoints,
)
from augkit.image.functional.noise import gaussian_noise, iso_noise, multiplicative_noise, salt_and_pepper, shot_noise
from augkit.image.functional.normalize import normalize

__all__ = [
    "BORDER_MODES",
    "INTERPOLATIONS",
    "affine",
    "apply_lut",
    "brightness_contrast",
    "compression",
    "covered_fraction",
    "crop",
    "crop_boxes",
    "crop_keypoints",
    "distortions",
    "domain",
    "downscale",
    "dropout",
    "erase_grid",
    "erase_rectangles",
    "fourier_domain_adaptation",
    "gaussian_noise",
    "hflip",
    "hflip_boxes",
    "hflip_keypoints",
    "histogram_matching",
    "iso_noise",
    "jpeg_compression",
    "max_value",
    "multiplicative_noise",
    "noise",
    "normalize",
    "padding",
    "pixel_distribution_adaptation",
    "pixel_dropout",
    "random_convolution",
    "resize",
    "resize_boxes",
    "resize_keypoints",
    "ringing_overshoot",
    "rot90",
    "rot90_boxes",
    "rot90_keypoints",
    "salt_and_pepper",
    "shot_noise",
    "transpose",
    "transpose_boxes",
    "transpose_keypoints",
    "vflip",
    "vflip_boxes",
    "vflip_keypoints",
    "webp_compression",
]
