"""Image transforms (numpy H x W x C arrays; uint8, uint16 or float32; any channel count).

>>> import augkit as ak
>>> ak.image.HorizontalFlip(p=0.5)
HorizontalFlip(p=0.5)
"""

from augkit.image import affine, bbox_crops, blur, color, compression, distortions, domain, dropout, functional, noise, resize, tone, weather  # noqa: F401
from augkit.image.affine import Affine, Perspective, Rotate, SafeRotate, ShiftScaleRotate
from augkit.image.bbox_crops import BBoxSafeRandomCrop, RandomCropNearBBox, RandomIoUCrop, RandomSizedBBoxSafeCrop
from augkit.image.color import RandomBrightnessContrast
from augkit.image.crops import CenterCrop, Crop, CropNonEmptyMaskIfExists, RandomCrop, RandomResizedCrop
from augkit.image.distortions import (
    ElasticTransform,
    GridDistortion,
    OpticalDistortion,
    PiecewiseAffine,
    ThinPlateSpline,
)
from augkit.image.geometric import HorizontalFlip, RandomRotate90, Resize, SquareSymmetry, Transpose, VerticalFlip
from augkit.image.normalize import Normalize
from augkit.image.resize import LetterBox, LongestMaxSize, Pad, PadIfNeeded, RandomScale, RandomZoomOut, SmallestMaxSize

__all__ = [
    "Affine",
    "BBoxSafeRandomCrop",
    "CenterCrop",
    "Crop",
    "CropNonEmptyMaskIfExists",
    "ElasticTransform",
    "GridDistortion",
    "HorizontalFlip",
    "LetterBox",
    "LongestMaxSize",
    "Normalize",
    "OpticalDistortion",
    "Pad",
    "PadIfNeeded",
    "Perspective",
    "PiecewiseAffine",
    "RandomBrightnessContrast",
    "RandomCrop",
    "RandomCropNearBBox",
    "RandomIoUCrop",
    "RandomResizedCrop",
    "RandomRotate90",
    "RandomScale",
    "RandomSizedBBoxSafeCrop",
    "RandomZoomOut",
    "Resize",
    "Rotate",
    "SafeRotate",
    "ShiftScaleRotate",
    "SmallestMaxSize",
    "SquareSymmetry",
    "ThinPlateSpline",
    "Transpose",
    "VerticalFlip",
    "affine",
    "bbox_crops",
    "distortions",
    "functional",
    "resize",
]
