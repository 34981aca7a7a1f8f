"""The modality-agnostic core: transforms, containers, randomness, records, registry and config."""

from augkit.core.compose import Compose, OneOf, RandomApply, RandomOrder, Sequential, SomeOf
from augkit.core.config import from_dict, load, save, to_dict
from augkit.core.errors import (
    ArgumentError,
    AugkitError,
    ConfigError,
    MissingDependencyError,
    TargetError,
    TargetTypeError,
)
from augkit.core.registry import get_transform_class, registered_classes, registered_names
from augkit.core.rng import rng_for
from augkit.core.transform import BaseTransform, PixelTransform, SpatialTransform, Transform

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
    "from_dict",
    "get_transform_class",
    "load",
    "registered_classes",
    "registered_names",
    "rng_for",
    "save",
    "to_dict",
]
