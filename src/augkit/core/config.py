"""Pipeline files: ``to_dict``/``from_dict`` and YAML or JSON ``save``/``load``.

Loading builds only registered transforms from plain data (safe YAML): a file can never name an
import path or construct an arbitrary Python object.

>>> import augkit as ak
>>> pipe = ak.Compose([ak.image.HorizontalFlip(p=0.5)], seed=1)
>>> ak.from_dict(pipe.to_dict()).to_dict() == pipe.to_dict()
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from augkit.core.errors import AugkitError, ConfigError, describe
from augkit.core.registry import get_transform_class
from augkit.core.transform import BaseTransform

__all__ = ["FILE_FORMAT_VERSION", "from_dict", "load", "save", "to_dict"]

#: Version of the file layout written by :func:`save`.
FILE_FORMAT_VERSION = 1


def to_dict(transform: BaseTransform) -> dict[str, Any]:
    """The plain-data description of ``transform`` (same as ``transform.to_dict()``)."""
    return transform.to_dict()


def from_dict(data: Any, *, where: str = "pipeline") -> BaseTransform:
    """Build a transform from :func:`to_dict` output (or a file written by :func:`save`)."""
    if isinstance(data, dict) and "pipeline" in data and "name" not in data:
        data = data["pipeline"]
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping with a 'name' key; got {describe(data)}")
    if "name" not in data:
        raise ConfigError(f"{where}: missing the 'name' key naming the transform; got keys {sorted(data)}")
    cls = get_transform_class(data["name"]) if isinstance(data["name"], str) else None
    if cls is None:
        raise ConfigError(f"{where}: 'name' expects a transform name; got {describe(data['name'])}")
    kwargs = {key: value for key, value in data.items() if key != "name"}
    if "transforms" in kwargs:
        children = kwargs["transforms"]
        if not isinstance(children, list):
            raise ConfigError(f"{where} ({data['name']}): 'transforms' expects a list; got {describe(children)}")
        kwargs["transforms"] = [from_dict(child, where=f"{where}.transforms[{i}]") for i, child in enumerate(children)]
    try:
        return cls(**kwargs)
    except AugkitError as error:
        raise ConfigError(f"{where}: {error}") from None


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in ("yaml", "json"):
            raise ConfigError(f"save/load: argument 'fmt' expects 'yaml' or 'json'; got {fmt!r}")
        return fmt
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise ConfigError(f"{path}: cannot tell the format from the extension {suffix!r}; use .yaml, .yml or .json or pass fmt=")


def save(transform: BaseTransform, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write ``transform`` to a YAML or JSON pipeline file (format from the extension)."""
    target = Path(path)
    kind = _format_of(target, fmt)
    from augkit import __version__

    document = {"augkit_version": __version__, "format": FILE_FORMAT_VERSION, "pipeline": transform.to_dict()}
    if kind == "yaml":
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    else:
        text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    target.write_text(text, encoding="utf-8")
    return target


def load(path: str | os.PathLike[str], fmt: str | None = None) -> BaseTransform:
    """Read a pipeline file written by :func:`save` (or by hand) and build it."""
    source = Path(path)
    kind = _format_of(source, fmt)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{source}: cannot read the pipeline file ({error.strerror})") from None
    try:
        data = yaml.safe_load(text) if kind == "yaml" else json.loads(text)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"{source}{line}: the file asks to construct a Python object ({error.problem}); "
            "pipeline files may only hold plain data (mappings, lists, numbers, strings)"
        ) from None
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise ConfigError(f"{source}: not valid {kind.upper()}: {error}") from None
    return from_dict(data, where=str(source))
