"""Public image kernels: plain functions on numpy arrays, usable without the class layer.

>>> import numpy as np
>>> from augkit.image import functional as F
>>> F.vflip(np.array([[1], [2]], dtype=np.uint8)).tolist()
[[2], [1]]
"""

from augkit.image.functional import (
    affine,
    blur,
    channels,
    color,
    compression,
    distortions,
    domain,
    dropout,
    filters,
    histogram,
    lighting,
    noise,
    padding,
    tone,
    weather,
)
from augkit.image.functional._cv import BORDER_MODES, INTERPOLATIONS
from augkit.image.functional._lut import apply_lut, max_value
from augkit.image.functional.blur import (
    box_blur,
    convolve,
    defocus,
    gaussian_blur,
    glass_blur,
    median_blur,
    motion_blur,
    motion_kernel,
    zoom_blur,
)
from augkit.image.functional.boxes import (
    crop_boxes,
    hflip_boxes,
    resize_boxes,
    rot90_boxes,
    transpose_boxes,
    vflip_boxes,
)
from augkit.image.functional.channels import drop_channels, planckian_jitter, sepia, shift_channels, shuffle_channels, to_gray
from augkit.image.functional.color import brightness, brightness_contrast, color_jitter, contrast, hue, saturation, shift_hsv
from augkit.image.functional.compression import downscale, jpeg_compression, ringing_overshoot, webp_compression
from augkit.image.functional.domain import (
    fourier_domain_adaptation,
    histogram_matching,
    pixel_distribution_adaptation,
    random_convolution,
)
from augkit.image.functional.dropout import covered_fraction, erase_grid, erase_rectangles, pixel_dropout
from augkit.image.functional.filters import emboss, sharpen, slic, superpixels, unsharp_mask
from augkit.image.functional.geometry import crop, hflip, resize, rot90, transpose, vflip
from augkit.image.functional.histogram import autocontrast, clahe, equalize
from augkit.image.functional.keypoints import (
    crop_keypoints,
    hflip_keypoints,
    resize_keypoints,
    rot90_keypoints,
    transpose_keypoints,
    vflip_keypoints,
)
from augkit.image.functional.lighting import low_light, shadow, sun_flare_overlay, sun_flare_physics
from augkit.image.functional.noise import gaussian_noise, iso_noise, multiplicative_noise, salt_and_pepper, shot_noise
from augkit.image.functional.normalize import from_float, normalize, normalize_per_image, to_float
from augkit.image.functional.tone import adjust_gamma, invert, posterize, solarize, tone_curve
from augkit.image.functional.weather import fog, gravel, rain, snow_bleach, snow_texture

__all__ = [
    "BORDER_MODES",
    "INTERPOLATIONS",
    "adjust_gamma",
    "affine",
    "apply_lut",
    "autocontrast",
    "blur",
    "box_blur",
    "brightness",
    "brightness_contrast",
    "channels",
    "clahe",
    "color",
    "color_jitter",
    "compression",
    "contrast",
    "convolve",
    "covered_fraction",
    "crop",
    "crop_boxes",
    "crop_keypoints",
    "defocus",
    "distortions",
    "domain",
    "downscale",
    "drop_channels",
    "dropout",
    "emboss",
    "equalize",
    "erase_grid",
    "erase_rectangles",
    "filters",
    "fog",
    "fourier_domain_adaptation",
    "from_float",
    "gaussian_blur",
    "gaussian_noise",
    "glass_blur",
    "gravel",
    "hflip",
    "hflip_boxes",
    "hflip_keypoints",
    "histogram",
    "histogram_matching",
    "hue",
    "invert",
    "iso_noise",
    "jpeg_compression",
    "lighting",
    "low_light",
    "max_value",
    "median_blur",
    "motion_blur",
    "motion_kernel",
    "multiplicative_noise",
    "noise",
    "normalize",
    "normalize_per_image",
    "padding",
    "pixel_distribution_adaptation",
    "pixel_dropout",
    "planckian_jitter",
    "posterize",
    "rain",
    "random_convolution",
    "resize",
    "resize_boxes",
    "resize_keypoints",
    "ringing_overshoot",
    "rot90",
    "rot90_boxes",
    "rot90_keypoints",
    "salt_and_pepper",
    "saturation",
    "sepia",
    "shadow",
    "sharpen",
    "shift_channels",
    "shift_hsv",
    "shot_noise",
    "shuffle_channels",
    "slic",
    "snow_bleach",
    "snow_texture",
    "solarize",
    "sun_flare_overlay",
    "sun_flare_physics",
    "superpixels",
    "to_float",
    "to_gray",
    "tone",
    "tone_curve",
    "transpose",
    "transpose_boxes",
    "transpose_keypoints",
    "unsharp_mask",
    "vflip",
    "vflip_boxes",
    "vflip_keypoints",
    "weather",
    "webp_compression",
    "zoom_blur",
]
