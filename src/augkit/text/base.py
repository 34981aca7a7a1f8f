"""The text data model: ``text`` as a call target, and the text transform base class.

A call passes ``text``: one ``str``, or a list of ``str`` (a batch, each text drawing its own
parameters, ``p`` included). A transform with ``n_aug > 1`` turns each text into ``n_aug`` augmented copies: one
``str`` then comes back as a list of ``n_aug`` strings, and a list of texts as a list of lists (one
per input, so each output stays with its input's label). The layout never depends on ``p``: when the
draw skips such a transform, each text comes back as ``n_aug`` unchanged copies.

>>> import augkit as ak
>>> ak.text.RandomSwap(alpha=0.5, p=1.0)(text="", rng=0)["text"]
''
>>> ak.text.RandomSwap(n_aug=2, p=0.0)(text="Left as it is.")["text"]
['Left as it is.', 'Left as it is.']
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import TargetTypeError, describe
from augkit.core.modality import ModalityState, register_modality
from augkit.core.registry import suggest
from augkit.core.targets import TargetSettings
from augkit.core.transform import Path, Record, Transform

__all__ = ["TextState", "TextTransform"]


class TextTransform(Transform):
    """A text transform: ``sample_text`` draws the edit (positions and replacements), ``apply_text``
    carries it out deterministically, so the provenance record names every change and replays exactly.
    """

    _abstract = True
    _name_prefix = "text"
    modality = "text"
    targets: ClassVar[frozenset[str]] = frozenset({"text"})

    def copies(self) -> int:
        """How many outputs each input text gives (``n_aug`` for transforms that have it)."""
        return int(getattr(self, "n_aug", 1))

    def _run(self, state: ModalityState, rng: np.random.Generator, rec: list[Record] | None, path: Path | None) -> None:
        """``p`` is drawn per text (one draw for a single text, as everywhere): the texts whose draw fails come
        back unchanged (``None`` in the record's ``texts``). A transform with several copies still turns every
        text into ``copies()`` outputs, so the layout never depends on the draw; when no text is drawn, its
        record entry is ``{"skipped": true, "copies": n}`` (a single-copy transform is recorded as not applied).
        """
        p = self.p
        if p >= 1.0:
            super()._run(state, rng, rec, path)
            return
        texts: list[str] = state.texts  # type: ignore[attr-defined]
        drawn = (rng.random(len(texts)) < p).tolist() if p > 0.0 else [False] * len(texts)
        count = self.copies()
        if not any(drawn):
            if count == 1:
                self._skip(rec, path)
            else:
                self._apply(state, {"skipped": True, "copies": count}, rec, path)
            return
        if all(drawn):
            self._apply(state, self.sample(rng, state), rec, path)
            return
        chosen = [
            [self.sample_text(rng, text) for _ in range(count)] if keep else None for text, keep in zip(texts, drawn, strict=True)
        ]
        self._apply(state, {"texts": chosen}, rec, path)

    def sample(self, rng: np.random.Generator, state: Any) -> dict[str, Any]:
        count = self.copies()
        return {"texts": [[self.sample_text(rng, text) for _ in range(count)] for text in state.texts]}

    def sample_text(self, rng: np.random.Generator, text: str) -> dict[str, Any]:
        """Draw the edit for one text (JSON-safe values). The default draws nothing."""
        return {}

    def apply_text(self, text: str, params: dict[str, Any], /) -> str:
        """The kernel: one text and its drawn edit in, the edited text out."""
        raise NotImplementedError


class TextState(ModalityState):
    """One call's texts while a pipeline runs: the current texts and the input each came from."""

    kinds = frozenset({"text"})

    def __init__(self, owner: str, settings: TargetSettings, texts: list[str], single: bool) -> None:
        super().__init__(owner, settings)
        self.texts = texts
        self.origin = list(range(len(texts)))
        self.inputs = len(texts)
        self.single = single

    def record_shape(self) -> list[int]:
        return [len(self.texts)]

    def apply(self, transform: Transform, params: dict[str, Any]) -> None:
        if not self.kinds <= transform.targets:
            self.check_supported(transform)
        if params.get("skipped"):  # a skipped transform with several copies: each text, unchanged, that many times
            count = int(params["copies"])
            self.texts = [text for text in self.texts for _ in range(count)]
            self.origin = [source for source in self.origin for _ in range(count)]
            return
        text_transform: TextTransform = transform  # type: ignore[assignment]
        texts: list[str] = []
        origin: list[int] = []
        count = text_transform.copies()
        for text, source, drawn in zip(self.texts, self.origin, params["texts"], strict=True):
            if drawn is None:  # this text's draw for p failed: unchanged copies
                texts.extend([text] * count)
                origin.extend([source] * count)
                continue
            for copy in drawn:
                texts.append(text_transform.apply_text(text, copy))
                origin.append(source)
        self.texts, self.origin = texts, origin

    def finish(self, targets: dict[str, Any]) -> dict[str, Any]:
        if self.single:
            return {"text": self.texts[0] if len(self.texts) == 1 else list(self.texts)}
        if len(self.texts) == self.inputs:
            return {"text": list(self.texts)}
        groups: list[list[str]] = [[] for _ in range(self.inputs)]
        for text, source in zip(self.texts, self.origin, strict=True):
            groups[source].append(text)
        return {"text": groups}


def prepare_text(owner: str, settings: TargetSettings, targets: dict[str, Any]) -> TextState:
    """Validate a text call and build its working state."""
    for key in targets:
        if key != "text":
            raise TargetTypeError(
                f"{owner}: unknown target {key!r} in a text call.{suggest(key, ['text'])} Accepted targets: text"
            )
    value = targets["text"]
    if isinstance(value, str):
        return TextState(owner, settings, [value], single=True)
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise TargetTypeError(f"{owner}: target 'text' item {index} expects a str; got {describe(item)}")
        return TextState(owner, settings, list(value), single=False)
    if isinstance(value, bytes):
        raise TargetTypeError(f"{owner}: target 'text' expects a str or a list of str; got bytes (decode it first)")
    raise TargetTypeError(f"{owner}: target 'text' expects a str or a list of str; got {describe(value)}")


register_modality("text", ("text",), prepare_text, pairable=False)  # a text edit names word positions: no pairs
