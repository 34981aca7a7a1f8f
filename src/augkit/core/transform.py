"""The transform base classes.

A transform is a parameter sampler plus pure kernels: ``sample(rng, state)`` draws every random
choice as JSON-safe values, ``apply_*`` are deterministic functions of the data and those params.
Constructors only validate and store their arguments; instances are immutable and thread-safe.

>>> import numpy as np, augkit as ak
>>> flip = ak.image.HorizontalFlip(p=1.0)
>>> flip(image=np.arange(6, dtype=np.uint8).reshape(2, 3))["image"].tolist()
[[2, 1, 0], [5, 4, 3]]
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from augkit.core import registry
from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.modality import ModalityState
from augkit.core.rng import as_generator
from augkit.core.targets import ALL_KINDS, DEFAULT_SETTINGS, TargetSettings, prepare
from augkit.core.validate import as_probability

__all__ = ["BaseTransform", "PixelTransform", "Record", "SpatialTransform", "Transform"]

#: One entry of a provenance record: ``{"name", "path", "applied", "params", ...}``.
Record = dict[str, Any]
Path = tuple[int, ...]


class _TransformMeta(type):
    """Checks keyword names before ``__init__`` runs and freezes the instance after it."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        names: tuple[str, ...] = cls._param_names  # type: ignore[attr-defined]
        for key in kwargs:
            if key not in names:
                hint = registry.suggest(key, list(names))
                raise ArgumentError(f"{cls.__name__}: unknown argument {key!r}.{hint} Valid arguments: {', '.join(names)}")
        if len(args) > len(names):
            raise ArgumentError(
                f"{cls.__name__}: takes at most {len(names)} positional arguments ({', '.join(names)}); got {len(args)}"
            )
        instance = super().__call__(*args, **kwargs)
        object.__setattr__(instance, "_frozen", True)
        return instance


class BaseTransform(metaclass=_TransformMeta):
    """What every transform and container shares: the call, replay, config and immutability."""

    _abstract: ClassVar[bool] = True
    _param_names: ClassVar[tuple[str, ...]] = ()
    #: Prefix of the registry name for a modality's transforms (``"audio"`` makes ``"audio.Gain"``),
    #: so the same class name can serve two modalities (``Normalize`` for images and for audio).
    _name_prefix: ClassVar[str] = ""
    #: The name in the registry, pipeline files and provenance records.
    registry_name: ClassVar[str] = ""
    _frozen: bool = False
    p: float

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        signature = inspect.signature(cls.__init__)
        cls._param_names = tuple(
            name
            for name, parameter in signature.parameters.items()
            if name != "self" and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        )
        cls.registry_name = f"{cls._name_prefix}.{cls.__name__}" if cls._name_prefix else cls.__name__
        if not cls.__dict__.get("_abstract", False):
            registry.register(cls)

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            raise AttributeError(f"{type(self).__name__} is immutable; build a new one with .with_params({name}=...)")
        object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ calling
    def __call__(self, *, rng: np.random.Generator | int | None = None, record: bool = False, **targets: Any) -> dict[str, Any]:
        """Augment the given targets; ``record=True`` adds ``out["applied"]``, the provenance record."""
        owner = type(self).__name__
        state = prepare(owner, self._target_settings(), targets)
        if not state.kinds <= self.targets:  # type: ignore[attr-defined]
            state.check_supported(self)  # type: ignore[arg-type]
        generator = self._call_generator(owner, rng)
        if record:
            applied: list[Record] = []
            self._run(state, generator, applied, ())
            out = state.finish(targets)
            out["applied"] = applied
            return out
        self._run(state, generator, None, None)
        return state.finish(targets)

    def replay(self, applied: Sequence[Record], **targets: Any) -> dict[str, Any]:
        """Apply a provenance record again: the output equals the recorded call's, bit for bit."""
        owner = type(self).__name__
        state = prepare(owner, self._target_settings(), targets)
        if not state.kinds <= self.targets:  # type: ignore[attr-defined]
            state.check_supported(self)  # type: ignore[arg-type]
        if isinstance(applied, dict) or not isinstance(applied, Sequence):
            raise TargetError(f"{owner}.replay: argument 'applied' expects a list of records; got {describe(applied)}")
        for position, entry in enumerate(applied):
            if not isinstance(entry, dict) or "name" not in entry or "path" not in entry:
                raise TargetError(
                    f"{owner}.replay: record {position} expects a dict with 'name' and 'path'; got {describe(entry)}"
                )
            if not entry.get("applied", True):
                continue
            node = self._node_at(entry["path"], position)
            if node.registry_name != entry["name"]:
                raise TargetError(
                    f"{owner}.replay: record {position} names {entry['name']!r} but the pipeline has "
                    f"{node.registry_name!r} at path {entry['path']}; was it made by another pipeline?"
                )
            if not isinstance(node, Transform):
                raise TargetError(f"{owner}.replay: record {position} points at container {entry['name']!r}")
            try:
                state.apply(node, entry.get("params") or {})
            except (KeyError, TypeError, IndexError) as error:
                raise TargetError(
                    f"{owner}.replay: record {position} ({entry['name']}) has params that do not fit the "
                    f"transform: {type(error).__name__}: {error}; got params {describe(entry.get('params'))}"
                ) from None
        return state.finish(targets)

    def _node_at(self, path: Sequence[int], position: int) -> BaseTransform:
        node: BaseTransform = self
        try:
            for step in path:
                node = node.transforms[step]  # type: ignore[attr-defined]
        except (AttributeError, IndexError, TypeError):
            raise TargetError(
                f"{type(self).__name__}.replay: record {position} has path {path}, which is not in this pipeline"
            ) from None
        return node

    def _target_settings(self) -> TargetSettings:
        return DEFAULT_SETTINGS

    def _call_generator(self, owner: str, rng: object) -> np.random.Generator:
        return as_generator(owner, rng)

    def _run(self, state: ModalityState, rng: np.random.Generator, rec: list[Record] | None, path: Path | None) -> None:
        raise NotImplementedError

    def _skip(self, rec: list[Record] | None, path: Path | None) -> None:
        if rec is not None:
            rec.append({"name": self.registry_name, "path": list(path or ()), "applied": False, "params": {}})

    # ------------------------------------------------------------------ configuration
    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as stored."""
        return {name: getattr(self, name) for name in self._param_names}

    def to_dict(self) -> dict[str, Any]:
        """A JSON/YAML-safe description: ``{"name": ..., <argument>: <value>, ...}``."""
        out: dict[str, Any] = {"name": self.registry_name}
        for key, value in self.get_params().items():
            out[key] = _plain(value)
        return out

    def with_params(self, **changes: Any) -> BaseTransform:
        """A copy with some arguments changed (instances themselves never change)."""
        return type(self)(**{**self.get_params(), **changes})

    @classmethod
    def example(cls) -> BaseTransform:
        """An instance with typical arguments, used by the docs and the contract suite."""
        return cls()

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.get_params(), self._extra_state()))

    def _extra_state(self) -> dict[str, Any]:
        return {}


def _rebuild(cls: type[BaseTransform], params: dict[str, Any], extra: dict[str, Any]) -> BaseTransform:
    instance = cls(**params)
    for key, value in extra.items():
        object.__setattr__(instance, key, value)
    return instance


def _plain(value: Any) -> Any:
    if isinstance(value, BaseTransform):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


class Transform(BaseTransform):
    """A single augmentation: ``sample`` draws params, the ``apply_*`` kernels use them.

    Subclasses declare once which targets they support (``targets``) and whether they move pixels
    (``spatial``); the pipeline calls the matching kernel for every target in a call.
    """

    _abstract = True
    #: The modality whose data the kernels take ("image", "audio", "text", "series").
    modality: ClassVar[str] = "image"
    #: Target kinds this transform supports ("images" and "masks" follow "image" and "mask").
    targets: ClassVar[frozenset[str]] = ALL_KINDS
    #: True when the transform moves pixels, so masks, boxes and keypoints move with the image.
    spatial: ClassVar[bool] = False
    #: True when ``sample`` draws random values (besides the draw for ``p``).
    has_random_params: ClassVar[bool] = False
    #: The dtype of the output image when it differs from the input's (e.g. "float32").
    output_dtype: ClassVar[str | None] = None
    #: True when the transform drops boxes on purpose even though part of them stays visible
    #: (SSD-style crops keep only boxes whose centre is inside the window).
    drops_visible_boxes: ClassVar[bool] = False
    #: Channel counts the image kernels accept (a 2-D image counts as 1); ``None`` accepts any.
    image_channels: ClassVar[tuple[int, ...] | None] = None
    #: Image dtypes the kernels accept (names, e.g. ``("uint8",)``); ``None`` accepts all three.
    image_dtypes: ClassVar[tuple[str, ...] | None] = None
    #: True for a pixel transform that also edits masks, boxes or keypoints (erasing fills holes in
    #: masks and drops the boxes and keypoints it hides); the pipeline then calls ``apply_mask``,
    #: ``apply_bboxes`` (NaN rows drop a box) and ``hidden_keypoints``.
    edits_targets: ClassVar[bool] = False
    #: Targets a call must carry besides the image (e.g. ``{"mask"}``: the objects MaskDropout erases come
    #: from it); ``sample`` raises a TargetError naming the target when they are missing.
    required_targets: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, p: float = 1.0) -> None:
        self.p = as_probability(type(self).__name__, "p", p)

    def _run(self, state: ModalityState, rng: np.random.Generator, rec: list[Record] | None, path: Path | None) -> None:
        p = self.p
        if p < 1.0 and (p <= 0.0 or rng.random() >= p):
            self._skip(rec, path)
            return
        self._apply(state, self.sample(rng, state), rec, path)

    def _apply(self, state: ModalityState, params: dict[str, Any], rec: list[Record] | None, path: Path | None) -> None:
        """Apply drawn ``params`` to the state, appending the record entry when recording."""
        if rec is None:
            state.apply(self, params)
            return
        shape_in = state.record_shape()
        state.apply(self, params)
        rec.append(
            {
                "name": self.registry_name,
                "path": list(path or ()),
                "applied": True,
                "params": params,
                "shape_in": shape_in,
                "shape_out": state.record_shape(),
            }
        )

    def sample(self, rng: np.random.Generator, state: Any) -> dict[str, Any]:
        """Draw this call's parameters (JSON-safe values only). The default draws nothing."""
        return {}

    def apply_image(self, image: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        """The kernel for one image (H x W or H x W x C); must return a new array."""
        raise NotImplementedError

    def apply_images(self, images: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        """The kernel for a frame stack (N x H x W [x C]); the same params for every frame."""
        return np.stack([self.apply_image(frame, params) for frame in images])

    def apply_mask(self, mask: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        """The kernel for one mask (spatial transforms only)."""
        raise NotImplementedError

    def apply_bboxes(self, boxes: np.ndarray, params: dict[str, Any], height: int, width: int) -> np.ndarray:
        """Move ``(N, 4)`` pascal_voc boxes of an image of ``height x width``; return a new array."""
        raise NotImplementedError

    def apply_keypoints(self, points: np.ndarray, params: dict[str, Any], height: int, width: int) -> np.ndarray:
        """Move ``(N, 4)`` ``[x, y, angle, scale]`` keypoints; return a new array."""
        raise NotImplementedError

    def hidden_keypoints(self, points: np.ndarray, params: dict[str, Any], height: int, width: int) -> np.ndarray | None:
        """For ``edits_targets`` transforms: a boolean per keypoint, True where this call hid it.

        Hidden keypoints count as invisible from then on (dropped with ``remove_invisible_keypoints``,
        flagged 0 in the visibility column); their coordinates are kept.
        """
        return None

    def is_reflection(self, params: dict[str, Any]) -> bool:
        """Whether this application mirrors the image (left/right keypoint labels then swap)."""
        return False


class PixelTransform(Transform):
    """Changes pixel values only: masks, boxes and keypoints pass through unchanged."""

    _abstract = True


class SpatialTransform(Transform):
    """Moves pixels: masks, boxes and keypoints move with the image."""

    _abstract = True
    spatial = True
