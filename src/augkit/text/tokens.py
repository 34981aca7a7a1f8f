"""Tokenization that keeps every character: words, protected spans, spaces and punctuation.

Text operations edit words and put the pieces back together, so the output keeps the input's
spacing and punctuation. Numbers, URLs, e-mail addresses, ``@mentions`` and ``#hashtags`` are
protected, and so are the user's own words and regular expressions: no operation changes them.

>>> [(t.text, t.kind) for t in tokenize("Mail me@x.org, @bob: 3 cats!")]  # doctest: +NORMALIZE_WHITESPACE
[('Mail', 'word'), (' ', 'space'), ('me@x.org', 'protected'), (',', 'punct'), (' ', 'space'),
 ('@bob', 'protected'), (':', 'punct'), (' ', 'space'), ('3', 'protected'), (' ', 'space'),
 ('cats', 'word'), ('!', 'punct')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from augkit.core.errors import ArgumentError, describe

__all__ = ["Protection", "Token", "delete_tokens", "rebuild", "tokenize", "word_positions"]

_MASTER = re.compile(
    r"(?P<protected>(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<!\w)[@#]\w+"  # @mentions and #hashtags
    r"|\w*\d\w*(?:[.,:/]\d+)*%?)"  # numbers, and words with digits (3rd, COVID19)
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>.)",
    re.DOTALL,
)


class Token(NamedTuple):
    """A piece of text: ``kind`` is ``word``, ``protected``, ``space`` or ``punct``.

    A named tuple rather than a frozen dataclass: tokenizing builds one per token, and a tuple is built
    several times faster.
    """

    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True)
class Protection:
    """The user's protected words (whole words, case-insensitive) and regular expressions."""

    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, owner: str, words: Sequence[str] | None, patterns: Sequence[str] | None) -> Protection:
        """Validate a transform's ``protected_words`` and ``protected_patterns`` arguments."""
        checked = []
        for name, value in (("protected_words", words), ("protected_patterns", patterns)):
            value = () if value is None else value
            if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ArgumentError(f"{owner}: argument {name!r} expects a list of strings; got {describe(value)}")
            checked.append(tuple(value))
        for pattern in checked[1]:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ArgumentError(
                    f"{owner}: argument 'protected_patterns' has an invalid regular expression {pattern!r}: {error}"
                ) from None
        return cls(checked[0], checked[1])

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The character spans this protection covers in ``text``."""
        regex = _user_regex(self.words, self.patterns)
        return [] if regex is None else [m.span() for m in regex.finditer(text) if m.end() > m.start()]


@functools.lru_cache(maxsize=256)
def _user_regex(words: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = [rf"(?<!\w){re.escape(w)}(?!\w)" for w in words if w] + [f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts), re.IGNORECASE if words and not patterns else 0) if parts else None


@functools.lru_cache(maxsize=4096)
def _tokenize_cached(text: str, protection: Protection) -> tuple[Token, ...]:
    make = Token._make
    tokens = [make((m.start(), m.end(), m.group(), m.lastgroup or "punct")) for m in _MASTER.finditer(text)]
    spans = protection.spans(text)
    if spans:
        for index, token in enumerate(tokens):
            if token.kind == "word" and any(s < token.end and token.start < e for s, e in spans):
                tokens[index] = token._replace(kind="protected")
    return tuple(tokens)


def tokenize(text: str, protection: Protection | None = None) -> tuple[Token, ...]:
    """Split ``text`` into tokens whose texts concatenate back to ``text`` exactly.

    >>> "".join(t.text for t in tokenize("Don't  stop-me now…"))
    "Don't  stop-me now…"
    """
    return _tokenize_cached(text, protection or _NO_PROTECTION)


_NO_PROTECTION = Protection()


def word_positions(tokens: Sequence[Token]) -> list[int]:
    """Indices of the editable word tokens.

    >>> word_positions(tokenize("I saw 2 cats."))
    [0, 2, 6]
    """
    return [i for i, token in enumerate(tokens) if token.kind == "word"]


def rebuild(tokens: Sequence[Token], replace: dict[int, str] | None = None, delete: Sequence[int] = ()) -> str:
    """The text with some tokens replaced and some deleted; a deleted token takes one neighbouring space with it
    (see :func:`delete_tokens`), so spacing stays natural.

    >>> toks = tokenize("the big red cat")
    >>> rebuild(toks, replace={6: "dog"}, delete=[2])
    'the red dog'
    >>> rebuild(toks, delete=[0]), rebuild(toks, delete=[0, 2])
    ('big red cat', 'red cat')
    """
    pieces = [t.text for t in tokens]
    if replace:
        for index, text in replace.items():
            pieces[index] = text
    delete_tokens(tokens, pieces, delete)
    return "".join(pieces)


def delete_tokens(tokens: Sequence[Token], pieces: list[str], delete: Iterable[int]) -> None:
    """Empty ``pieces[i]`` (the text of ``tokens[i]``) for each deleted index, in place. Each deleted token takes
    one space along: the nearest one before it, past the tokens already emptied; failing that, the one right
    after it, when nothing remains before it (the start of the text) or when it is a word or protected token
    right after a mark (an opening bracket) and no space between them was deleted with it.

    >>> toks = tokenize("(the big) cat, sat!! ok")
    >>> pieces = [t.text for t in toks]
    >>> delete_tokens(toks, pieces, [1, 3, 7, 10])
    >>> "".join(pieces)
    '() cat sat! ok'
    """
    gone = set(delete)
    last = len(tokens) - 1
    for index in sorted(gone):
        pieces[index] = ""
        before = index - 1
        while before >= 0 and not pieces[before]:
            before -= 1
        if before >= 0 and tokens[before].kind == "space":
            pieces[before] = ""  # the space before the token goes with it
        elif index < last and tokens[index + 1].kind == "space" and (before < 0 or _after_mark(tokens, before, index, gone)):
            pieces[index + 1] = ""  # at the start, or after an opening bracket: the space after it


def _after_mark(tokens: Sequence[Token], before: int, index: int, gone: set[int]) -> bool:
    """Whether deleted ``tokens[index]``, a word or protected token, follows the mark ``tokens[before]`` with no
    deleted space between them."""
    if tokens[index].kind == "punct" or tokens[before].kind == "word":
        return False
    return not any(tokens[k].kind == "space" for k in range(before + 1, index) if k in gone)
