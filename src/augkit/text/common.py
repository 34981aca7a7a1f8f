"""Pieces shared by augkit's text transforms: the base with protected spans and shared argument docs, rates and
case helpers.

>>> count_for_rate(0.3, 5), count_for_rate(0.3, 0), count_for_rate(0.0, 5)
(2, 0, 0)
>>> copy_case("dog", "Cat"), copy_case("dog", "CAT"), copy_case("dog", "cat")
('Dog', 'DOG', 'dog')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from augkit.core.validate import as_float
from augkit.text.base import TextTransform
from augkit.text.tokens import Protection, Token, tokenize

__all__ = ["ProtectedTextTransform", "complete_args", "copy_case", "count_for_rate"]


def count_for_rate(rate: float, size: int) -> int:
    """How many of ``size`` items a rate changes: ``ceil(rate * size)``, at least one (nlpaug's rule); 0 when
    there is nothing to change or the rate is 0."""
    return min(size, max(1, math.ceil(rate * size - 1e-9))) if size > 0 and rate > 0 else 0


def copy_case(text: str, original: str) -> str:
    """``text`` cased like ``original``: UPPER (two letters or more), Capitalized, or left as it is."""
    if len(original) > 1 and original.isupper():
        return text.upper()
    if original[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


class ProtectedTextTransform(TextTransform):
    """A text transform with ``protected_words`` and ``protected_patterns``: tokens they cover (and numbers,
    URLs, e-mail addresses, @mentions and #hashtags) are never changed.

    Arguments many transforms share are described once, in :attr:`shared_arg_docs`: a subclass's docstring
    leaves them out of its ``Args:`` section (or words them its own way) and gets them filled in.
    """

    _abstract = True
    has_random_params: ClassVar[bool] = True
    #: Descriptions of shared arguments, added to a subclass's ``Args:`` where it leaves them out (subclasses
    #: extend the table for their own family).
    shared_arg_docs: ClassVar[dict[str, str]] = {
        "n_aug": "augmented copies per input text (a ``str`` then comes back as a list of ``n_aug`` strings).",
        "protected_words": "words never changed (whole words, case-insensitive).",
        "protected_patterns": "regular expressions whose matches are never changed.",
        "p": "probability of applying the transform.",
    }
    protected_words: tuple[str, ...]
    protected_patterns: tuple[str, ...]
    _protection: Protection

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__doc__ = complete_args(cls.__doc__, cls._param_names, cls.shared_arg_docs)

    def __init__(self, protected_words: Sequence[str] = (), protected_patterns: Sequence[str] = (), p: float = 1.0) -> None:
        super().__init__(p)
        protection = Protection.from_args(type(self).__name__, protected_words, protected_patterns)
        self.protected_words = protection.words
        self.protected_patterns = protection.patterns
        self._protection = protection

    def _rate(self, name: str, value: object) -> float:
        """A rate or probability argument, checked to lie in [0, 1]."""
        return as_float(type(self).__name__, name, value, low=0.0, high=1.0)

    def tokens(self, text: str) -> tuple[Token, ...]:
        """``text`` tokenized under this transform's protection (cached by text)."""
        return tokenize(text, self._protection)

    @classmethod
    def example(cls) -> Any:
        return cls(p=1.0)


def complete_args(doc: str | None, names: Sequence[str], shared: Mapping[str, str]) -> str | None:
    """``doc`` with its ``Args:`` section in the order of ``names``, each name it leaves out described by
    ``shared`` (when that has it).

    >>> print(complete_args("Summary.\\n\\n    Args:\\n        b: own.\\n\\n    Done.", ["a", "b", "c"], {"a": "shared."}))
    Summary.
    <BLANKLINE>
        Args:
            a: shared.
            b: own.
    <BLANKLINE>
        Done.
    """
    lines = (doc or "").split("\n")
    head = next((i for i, line in enumerate(lines) if line.strip() == "Args:"), None)
    if head is None:
        return doc
    indent = lines[head][: len(lines[head]) - len(lines[head].lstrip())] + "    "
    entries: dict[str, list[str]] = {}  # argument name -> its lines (continuations included)
    end = head + 1
    while end < len(lines) and lines[end].strip():
        line = lines[end]
        if not entries or not line.startswith(indent + " "):
            entries[line.strip().split(":", 1)[0]] = [line]
        else:
            entries[next(reversed(entries))].append(line)
        end += 1
    section: list[str] = []
    for name in names:
        if name in entries:
            section += entries.pop(name)
        elif name in shared:
            section.append(f"{indent}{name}: {shared[name]}")
    for rest in entries.values():  # entries naming no argument stay, at the end
        section += rest
    return "\n".join([*lines[: head + 1], *section, *lines[end:]])
