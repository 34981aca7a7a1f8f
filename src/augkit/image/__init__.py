"""Image transforms (numpy H x W x C arrays; uint8, uint16 or float32; any channel count).

>>> import augkit as ak
>>> ak.image.HorizontalFlip(p=0.5)
HorizontalFlip(p=0.5)
"""

from augkit.image import (  # noqa: F401  (each family module registers its transforms)
    affine,
    bbox_crops,
    blur,
    color,
    compression,
    distortions,
    domain,
    dropout,
    functional,
    lighting,
    noise,
    resize,
    tone,
    weather,
)
from augkit.image.affine import Affine, Perspective, Rotate, SafeRotate, ShiftScaleRotate
from augkit.image.bbox_crops import BBoxSafeRandomCrop, RandomCropNearBBox, RandomIoUCrop, RandomSizedBBoxSafeCrop
from augkit.image.blur import (
    Blur,
    Defocus,
    Emboss,
    GaussianBlur,
    GlassBlur,
    MedianBlur,
    MotionBlur,
    Sharpen,
    Superpixels,
    UnsharpMask,
    ZoomBlur,
)
from augkit.image.color import RandomBrightnessContrast
from augkit.image.compression import Downscale, JpegCompression, RingingOvershoot, WebPCompression
from augkit.image.crops import CenterCrop, Crop, CropNonEmptyMaskIfExists, RandomCrop, RandomResizedCrop
from augkit.image.distortions import (
    ElasticTransform,
    GridDistortion,
    OpticalDistortion,
    PiecewiseAffine,
    ThinPlateSpline,
)
from augkit.image.domain import FDA, HistogramMatching, PixelDistributionAdaptation, RandomConvolution
from augkit.image.dropout import CoarseDropout, Cutout, GridDropout, GridMask, MaskDropout, PixelDropout, RandomErasing
from augkit.image.geometric import HorizontalFlip, RandomRotate90, Resize, SquareSymmetry, Transpose, VerticalFlip
from augkit.image.lighting import LowLight, RandomShadow, RandomSunFlare
from augkit.image.noise import GaussianNoise, ISONoise, MultiplicativeNoise, SaltAndPepper, ShotNoise
from augkit.image.normalize import Normalize
from augkit.image.resize import LetterBox, LongestMaxSize, Pad, PadIfNeeded, RandomScale, RandomZoomOut, SmallestMaxSize
from augkit.image.weather import RandomFog, RandomGravel, RandomRain, RandomSnow

__all__ = [
    "FDA",
    "Affine",
    "BBoxSafeRandomCrop",
    "Blur",
    "CenterCrop",
    "CoarseDropout",
    "Crop",
    "CropNonEmptyMaskIfExists",
    "Cutout",
    "Defocus",
    "Downscale",
    "ElasticTransform",
    "Emboss",
    "GaussianBlur",
    "GaussianNoise",
    "GlassBlur",
    "GridDistortion",
    "GridDropout",
    "GridMask",
    "HistogramMatching",
    "HorizontalFlip",
    "ISONoise",
    "JpegCompression",
    "LetterBox",
    "LongestMaxSize",
    "LowLight",
    "MaskDropout",
    "MedianBlur",
    "MotionBlur",
    "MultiplicativeNoise",
    "Normalize",
    "OpticalDistortion",
    "Pad",
    "PadIfNeeded",
    "Perspective",
    "PiecewiseAffine",
    "PixelDistributionAdaptation",
    "PixelDropout",
    "RandomBrightnessContrast",
    "RandomConvolution",
    "RandomCrop",
    "RandomCropNearBBox",
    "RandomErasing",
    "RandomFog",
    "RandomGravel",
    "RandomIoUCrop",
    "RandomRain",
    "RandomResizedCrop",
    "RandomRotate90",
    "RandomScale",
    "RandomShadow",
    "RandomSizedBBoxSafeCrop",
    "RandomSnow",
    "RandomSunFlare",
    "RandomZoomOut",
    "Resize",
    "RingingOvershoot",
    "Rotate",
    "SafeRotate",
    "SaltAndPepper",
    "Sharpen",
    "ShiftScaleRotate",
    "ShotNoise",
    "SmallestMaxSize",
    "SquareSymmetry",
    "Superpixels",
    "ThinPlateSpline",
    "Transpose",
    "UnsharpMask",
    "VerticalFlip",
    "WebPCompression",
    "ZoomBlur",
    "affine",
    "bbox_crops",
    "blur",
    "compression",
    "distortions",
    "functional",
    "lighting",
    "noise",
    "resize",
    "weather",
]
