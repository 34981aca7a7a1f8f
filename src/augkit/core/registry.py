"""The catalog of transforms: every concrete transform class registers itself by name.

Pipeline files can only construct classes found here, so loading a file never imports or calls
anything it names.

>>> from augkit.core.registry import get_transform_class
>>> get_transform_class("Compose").__name__
'Compose'
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from augkit.core.errors import ConfigError

if TYPE_CHECKING:
    from augkit.core.transform import BaseTransform

__all__ = ["get_transform_class", "register", "registered_classes", "registered_names", "suggest"]

_REGISTRY: dict[str, type[BaseTransform]] = {}


def register(cls: type[BaseTransform]) -> type[BaseTransform]:
    """Add ``cls`` under its registry name; two classes may not share a name."""
    name = cls.registry_name
    existing = _REGISTRY.get(name)
    if existing is not None and existing is not cls and existing.__qualname__ != cls.__qualname__:
        raise ConfigError(f"transform name {name!r} is already registered by {existing.__module__}")
    _REGISTRY[name] = cls
    return cls


def suggest(name: str, options: list[str]) -> str:
    """A ' Did you mean ...?' hint, or an empty string."""
    close = difflib.get_close_matches(name, options, n=3, cutoff=0.6)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def get_transform_class(name: str) -> type[BaseTransform]:
    """The registered class called ``name``; unknown names raise with close matches."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        hint = suggest(str(name), sorted(_REGISTRY))
        raise ConfigError(f"unknown transform {name!r}.{hint} Run `augkit list` for the catalog.") from None


def registered_names() -> list[str]:
    """All registered names, sorted."""
    return sorted(_REGISTRY)


def registered_classes() -> list[type[BaseTransform]]:
    """All registered classes, sorted by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
