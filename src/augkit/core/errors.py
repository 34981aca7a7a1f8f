"""Exceptions raised by augkit.

Every message names the transform (or ``Compose``), the argument or target, what was expected and
what came, e.g. ``RandomCrop: argument 'height' expects an integer >= 1; got -3``.
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "AugkitError",
    "ConfigError",
    "MissingDependencyError",
    "TargetError",
    "TargetTypeError",
]


class AugkitError(Exception):
    """Base class of every error augkit raises on purpose."""


class ArgumentError(AugkitError, ValueError):
    """A constructor argument is unknown or has an invalid value."""


class ConfigError(AugkitError, ValueError):
    """A pipeline file or dict cannot be turned into transforms."""


class TargetError(AugkitError, ValueError):
    """A target passed to a call (image, mask, bboxes ...) has a bad value or shape."""


class TargetTypeError(AugkitError, TypeError):
    """A target passed to a call has the wrong type or dtype, or is not supported."""


class MissingDependencyError(AugkitError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""


def describe(value: object) -> str:
    """A short description of ``value`` for error messages.

    >>> describe([1, 2])
    'list of length 2'
    >>> describe(float)
    'the type builtins.float'
    """
    if isinstance(value, type):  # a class, e.g. np.uint8 (its .shape would be a descriptor)
        return f"the type {value.__module__}.{value.__qualname__}"
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        return f"{type(value).__name__} of shape {tuple(shape)} and dtype {dtype}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of length {len(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
