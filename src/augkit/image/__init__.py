"""Image transforms (numpy H x W x C arrays; uint8, uint16 or float32; any channel count).

>>> import augkit as ak
>>> ak.image.HorizontalFlip(p=0.5)
HorizontalFlip(p=0.5)
"""

from augkit.image import affine, bbox_crops, distortions, functional, resize
from augkit.image.color import Normalize, RandomBrightnessContrast
from augkit.image.crops import CenterCrop, RandomCrop
from augkit.image.geometric import HorizontalFlip, RandomRotate90, Resize, Transpose, VerticalFlip

__all__ = [
    "CenterCrop",
    "HorizontalFlip",
    "Normalize",
    "RandomBrightnessContrast",
    "RandomCrop",
    "RandomRotate90",
    "Resize",
    "Transpose",
    "VerticalFlip",
    "affine",
    "bbox_crops",
    "distortions",
    "functional",
    "resize",
]
