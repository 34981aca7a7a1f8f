"""Pieces shared by augkit's text transforms: the base with protected spans, rates and case helpers.

>>> count_for_rate(0.3, 5), count_for_rate(0.3, 0), count_for_rate(0.0, 5)
(2, 0, 0)
>>> copy_case("dog", "Cat"), copy_case("dog", "CAT"), copy_case("dog", "cat")
('Dog', 'DOG', 'dog')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

from augkit.core.validate import as_float
from augkit.text.base import TextTransform
from augkit.text.tokens import Protection, Token, tokenize

__all__ = ["ProtectedTextTransform", "copy_case", "count_for_rate"]


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
    URLs, e-mail addresses, @mentions and #hashtags) are never changed."""

    _abstract = True
    has_random_params: ClassVar[bool] = True
    protected_words: tuple[str, ...]
    protected_patterns: tuple[str, ...]
    _protection: Protection

    def _set_protection(self, protected_words: Sequence[str] | None, protected_patterns: Sequence[str] | None) -> None:
        protection = Protection.from_args(type(self).__name__, protected_words, protected_patterns)
        self.protected_words = protection.words
        self.protected_patterns = protection.patterns
        self._protection = protection

    def _rate(self, name: str, value: object) -> float:
        rate = as_float(type(self).__name__, name, value, low=0.0, high=1.0)
        return rate

    def tokens(self, text: str) -> tuple[Token, ...]:
        """``text`` tokenized under this transform's protection (cached by text)."""
        return tokenize(text, self._protection)

    @classmethod
    def example(cls) -> Any:
        return cls(p=1.0)
