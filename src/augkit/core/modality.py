"""How a modality plugs into the call: its target kinds, its working state and its output.

The core knows images' targets (``image``, ``mask``, ``bboxes``, ``keypoints``) through
:mod:`augkit.core.targets`. Other modalities (audio, text, time series) register the target kinds
they own and a ``prepare`` function; a call whose keys name one of those kinds (directly, or through
a pipeline's ``additional_targets``) is prepared by that modality. Every working state answers the
same four questions: which kinds it carries, how to apply a transform, how to give the output back,
and what size to write in a provenance record.

>>> import augkit
>>> {"audio", "spectrogram", "text", "series"} <= set(registered_kinds())
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from augkit.core.targets import TargetSettings
    from augkit.core.transform import Transform

__all__ = ["ModalityState", "modality_of", "register_modality", "registered_kinds"]


class ModalityState:
    """The working copy of one call's targets while a pipeline runs.

    Subclasses hold their modality's data and implement :meth:`apply`, :meth:`finish` and
    :meth:`record_shape`; ``kinds`` names the target kinds present, so a transform that does not
    support one of them raises before touching anything.
    """

    kinds: frozenset[str] = frozenset()

    def __init__(self, owner: str, settings: TargetSettings) -> None:
        self.owner = owner
        self.settings = settings

    def apply(self, transform: Transform, params: dict[str, Any]) -> None:
        """Run ``transform``'s kernels with ``params`` on every target present."""
        raise NotImplementedError

    def finish(self, targets: dict[str, Any]) -> dict[str, Any]:
        """The output dict: the call's keys, in the caller's layout, never aliasing its inputs."""
        raise NotImplementedError

    def record_shape(self) -> list[int]:
        """The size written as ``shape_in``/``shape_out`` in a provenance record."""
        raise NotImplementedError

    def check_supported(self, transform: Transform) -> None:
        """Raise a TargetTypeError when ``transform`` does not support a kind this call carries."""
        from augkit.core.errors import TargetTypeError

        if not self.kinds <= transform.targets:
            missing = sorted(self.kinds - transform.targets)
            raise TargetTypeError(
                f"{type(transform).__name__}: target {missing[0]!r} is not supported; "
                f"this transform supports {', '.join(sorted(transform.targets))}"
            )


Prepare = Callable[[str, "TargetSettings", dict[str, Any]], ModalityState]

#: Target kind -> the prepare function of the modality that owns it.
_KINDS: dict[str, Prepare] = {}
#: Modality name -> the kinds it owns (for messages and ``additional_targets`` validation).
_MODALITIES: dict[str, tuple[str, ...]] = {}
#: The kinds whose modality accepts extra keys of that kind (``additional_targets``).
_PAIRABLE: set[str] = set()


def register_modality(name: str, kinds: tuple[str, ...], prepare: Prepare, pairable: bool = True) -> None:
    """Let calls carrying one of ``kinds`` be prepared by ``prepare`` (done once, at import);
    ``pairable`` says whether a pipeline may map extra call keys to these kinds."""
    for kind in kinds:
        owner = _KINDS.get(kind)
        if owner is not None and owner is not prepare:
            raise ValueError(f"target kind {kind!r} is already registered by another modality")
        _KINDS[kind] = prepare
        if pairable:
            _PAIRABLE.add(kind)
    _MODALITIES[name] = tuple(kinds)


def registered_kinds(pairable: bool = False) -> tuple[str, ...]:
    """Every target kind a registered modality owns (images' kinds are built in); with ``pairable``,
    only those that ``additional_targets`` may name."""
    return tuple(kind for kind in _KINDS if not pairable or kind in _PAIRABLE)


def modality_of(targets: dict[str, Any], additional: Mapping[str, str]) -> Prepare | None:
    """The prepare function for a call, or None for an image call."""
    if not _KINDS:
        return None
    for key in targets:
        prepare = _KINDS.get(additional.get(key, key))
        if prepare is not None:
            return prepare
    return None
