"""augkit: reproducible, fast data augmentation for images, audio, text and time series.

>>> import numpy as np, augkit as ak
>>> pipe = ak.Compose([ak.image.HorizontalFlip(p=1.0)], seed=42)
>>> pipe(image=np.zeros((4, 4, 3), np.uint8))["image"].shape
(4, 4, 3)
"""

from augkit import audio, image, mix, policies, text, timeseries
from augkit.core import (
    ArgumentError,
    AugkitError,
    BaseTransform,
    Compose,
    ConfigError,
    MissingDependencyError,
    OneOf,
    PixelTransform,
    RandomApply,
    RandomOrder,
    Sequential,
    SomeOf,
    SpatialTransform,
    TargetError,
    TargetTypeError,
    Transform,
    from_dict,
    get_transform_class,
    load,
    registered_classes,
    registered_names,
    rng_for,
    save,
    to_dict,
)

__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "AugkitError",
    "BaseTransform",
    "Compose",
    "ConfigError",
    "MissingDependencyError",
    "OneOf",
    "PixelTransform",
    "RandomApply",
    "RandomOrder",
    "Sequential",
    "SomeOf",
    "SpatialTransform",
    "TargetError",
    "TargetTypeError",
    "Transform",
    "__version__",
    "audio",
    "from_dict",
    "get_transform_class",
    "image",
    "load",
    "mix",
    "policies",
    "registered_classes",
    "registered_names",
    "rng_for",
    "save",
    "text",
    "timeseries",
    "to_dict",
]
