"""Character noise: keyboard typos, OCR confusions, random character insertion, deletion and swaps.

Each transform picks ``ceil(word_rate * l)`` of the ``l`` words (at least one) among words of at least
``min_length`` characters that it can change, then ``ceil(char_rate * n)`` sites in each (``n`` characters);
nlpaug's defaults (0.3, 0.3, 4). Characters are user-perceived characters: a letter keeps its combining
marks, and emoji sequences joined by ZWJ, variation selectors, skin-tone modifiers, flag pairs and Hangul jamo
stay whole (:func:`graphemes`; a simple rule set, not the full UAX #29). Only words change; numbers, URLs,
e-mail addresses, @mentions, #hashtags, the user's protected words and patterns, emoji and punctuation never do.
The record names every changed word by its character span in the input and its new text.

>>> from augkit.text.chars import KeyboardTypo
>>> KeyboardTypo(p=1.0)(text="Typing quickly causes mistakes.", rng=0)["text"]
'Typing wuicmpy fzuses mistakes.'
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.validate import as_bool, as_int
from augkit.text.common import ProtectedTextTransform, count_for_rate
from augkit.text.edits import pick_with, splice
from augkit.text.tokens import Protection, Token, tokenize

__all__ = [
    "CharDelete",
    "CharInsert",
    "CharSwap",
    "KeyboardTypo",
    "OCRNoise",
    "graphemes",
    "ocr_confusions",
    "qwerty_neighbours",
]

Params = dict[str, Any]
Chars = Sequence[str]  # a word's characters: the str itself when it is ASCII, else a tuple of graphemes
Unit = tuple[int, int, str]  # (start, end, text) of a word
Plan = tuple[Chars, Sequence[Any], int, int]  # characters, sites, changes, draws
Candidate = tuple[int, int, Chars, Sequence[Any], int, int]  # start, end, and the plan
_CANDIDATES: dict[tuple[Any, ...], tuple[int, tuple[Candidate, ...], tuple[int, ...]]] = {}
_PLANS: dict[tuple[Any, ...], dict[str, Plan | None]] = {}
_CACHE_SIZE = 8192

# The US QWERTY layout: rows and their horizontal offsets in key widths (the stagger of a real keyboard).
_ROWS = ("1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./")
_OFFSETS = (0.0, 0.5, 0.75, 1.25)


@functools.cache
def qwerty_neighbours(letters_only: bool = True) -> dict[str, tuple[str, ...]]:
    """The keys next to each key of a US QWERTY keyboard, derived from the layout's geometry: the keys left
    and right in the same row and the keys less than one key width away horizontally in the rows above and
    below. ``letters_only`` keeps letters (keys and neighbours).

    >>> qwerty_neighbours()["g"], qwerty_neighbours()["a"], qwerty_neighbours(False)["p"]
    (('f', 'h', 't', 'y', 'v', 'b'), ('s', 'q', 'w', 'z'), ('o', '[', '0', '-', 'l', ';'))
    """
    keys = [(key, r, c + _OFFSETS[r]) for r, row in enumerate(_ROWS) for c, key in enumerate(row)]
    out: dict[str, tuple[str, ...]] = {}
    for key, r, x in keys:
        found = [
            other
            for other, r2, x2 in sorted(keys, key=lambda k: (k[1] != r, k[1], k[2]))
            if other != key and ((r2 == r and abs(x2 - x) == 1.0) or (abs(r2 - r) == 1 and abs(x2 - x) < 1.0))
        ]
        if letters_only:
            found = [k for k in found if k.isalpha()]
            if not key.isalpha():
                continue
        out[key] = tuple(found)
    return out


@functools.cache
def ocr_confusions() -> dict[str, tuple[str, ...]]:
    """The OCR confusion table (``data/ocr.json``, written for augkit): a character or pair and the look-alikes a
    recognizer reads instead (``rn`` -> ``m``, ``0`` -> ``O``, ``l`` -> ``1``).

    >>> ocr_confusions()["rn"], ocr_confusions()["l"]
    (('m',), ('1', 'I', '|'))
    """
    table = json.loads((Path(__file__).resolve().parent / "data" / "ocr.json").read_text("utf-8"))["confusions"]
    return {key: tuple(values) for key, values in table.items()}


def _extends(ch: str, previous: str) -> bool:
    """Whether ``ch`` belongs to the character before it (a simplified grapheme-cluster rule)."""
    cp = ord(ch)
    return (
        unicodedata.category(ch)[0] == "M"  # combining marks
        or cp == 0x200D  # zero-width joiner
        or previous == "\u200d"
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # emoji tag sequences
        or 0x1160 <= cp <= 0x11FF  # Hangul vowel and final jamo
    )


def graphemes(text: str) -> list[str]:
    """``text`` split into user-perceived characters (simplified UAX #29 clusters).

    >>> [len(g) for g in graphemes("cafe\\u0301")], len(graphemes("👩\\u200d💻!")), len(graphemes("🇫🇷🇩🇪"))
    ([1, 1, 1, 2], 2, 2)
    """
    if text.isascii():
        return list(text)
    out: list[str] = []
    regional = False
    for ch in text:
        if out and _extends(ch, out[-1][-1]):
            out[-1] += ch
            continue
        if 0x1F1E6 <= ord(ch) <= 0x1F1FF:  # flags: regional indicators pair up
            if regional:
                out[-1] += ch
                regional = False
                continue
            regional = True
        else:
            regional = False
        out.append(ch)
    return out


def _joiner_token(token: Token) -> bool:
    return token.kind == "punct" and all(_extends(c, "") for c in token.text)


# Tokens other than words, spaces and punctuation need a digit, '@', '#' or a URL start: without them (and in
# ASCII text, where no combining mark can split a word) the words are the matches of the tokenizer's word rule.
_RISKY = re.compile(r"[\d@#]|https?://|www\.")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@functools.lru_cache(maxsize=4096)
def _units(text: str, protection: Protection) -> tuple[Unit, ...]:
    """Editable words as ``(start, end, characters)`` character spans, as :func:`augkit.text.tokens.tokenize` finds
    them; a word split by a combining mark the tokenizer does not count as a letter (``cafe`` + U+0301 + ``s``) is
    one unit."""
    if text.isascii() and _RISKY.search(text) is None:
        if not protection.words and not protection.patterns:
            return tuple((m.start(), m.end(), m.group()) for m in _WORD.finditer(text))
        spans = protection.spans(text)
        return tuple(
            (m.start(), m.end(), m.group())
            for m in _WORD.finditer(text)
            if not any(a < m.end() and m.start() < b for a, b in spans)
        )
    tokens = tokenize(text, protection)
    units: list[Unit] = []
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i].kind != "word":
            i += 1
            continue
        j = i + 1
        while j < n and (tokens[j].kind == "word" or _joiner_token(tokens[j])):
            j += 1
        units.append((tokens[i].start, tokens[j - 1].end, text[tokens[i].start : tokens[j - 1].end]))
        i = j
    return tuple(units)


@functools.cache
def _cased_neighbours(letters_only: bool) -> dict[str, tuple[str, ...]]:
    """:func:`qwerty_neighbours` with upper-case keys mapped to upper-case neighbours as well."""
    table = dict(qwerty_neighbours(letters_only))
    table.update({k.upper(): tuple(v.upper() for v in vs) for k, vs in table.items() if k.isalpha()})
    return table


@functools.lru_cache(maxsize=1 << 15)
def _keyboard_sites(chars: Chars, letters_only: bool) -> tuple[int, ...]:
    table = _cased_neighbours(letters_only)
    return tuple(i for i, c in enumerate(chars) if c in table)


@functools.lru_cache(maxsize=1 << 15)
def _ocr_sites(chars: Chars) -> tuple[tuple[int, int, str], ...]:
    table = ocr_confusions()
    found = []
    for i in range(len(chars)):
        for size in (1, 2):
            key = "".join(chars[i : i + size])
            if i + size <= len(chars) and key in table:
                found.append((i, size, key))
    return tuple(found)


@functools.lru_cache(maxsize=1 << 15)
def _swap_sites(chars: Chars) -> tuple[int, ...]:
    return tuple(i for i in range(len(chars) - 1) if chars[i] != chars[i + 1])


class _CharNoise(ProtectedTextTransform):
    """Picks the words and hands each to ``_edit``; subclasses say which characters they can change."""

    _abstract = True
    shared_arg_docs: ClassVar[dict[str, str]] = {
        **ProtectedTextTransform.shared_arg_docs,
        "word_rate": "fraction of the words changed (at least one).",
        "min_length": "words shorter than this (in characters) are left alone.",
    }

    def __init__(
        self,
        word_rate: float = 0.3,
        char_rate: float = 0.3,
        min_length: int = 4,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        self.word_rate = self._rate("word_rate", word_rate)
        self.char_rate = self._rate("char_rate", char_rate)
        self.min_length = as_int(type(self).__name__, "min_length", min_length, low=1)

    def _sites(self, chars: Chars) -> Sequence[Any]:
        """The sites of a word this transform can change (none leaves the word out)."""
        return range(len(chars))

    def _limit(self, chars: Chars, sites: Sequence[Any]) -> int:
        """The most sites of one word changed at a time."""
        return len(sites)

    def _draws(self, sites: Sequence[Any], count: int) -> int:
        """How many uniform draws ``_edit`` takes for ``count`` changes."""
        return 2 * count

    def _edit(self, draws: list[float], chars: Chars, sites: Sequence[Any], count: int) -> str:
        raise NotImplementedError

    def _plan_key(self) -> tuple[Any, ...]:
        """What the candidate words of a text depend on, besides the text and the protection."""
        return (type(self).__name__, self.min_length, self.char_rate)

    def _candidates(self, text: str) -> tuple[int, tuple[Candidate, ...], tuple[int, ...]]:
        """The number of words of ``text``, the words this transform can change and, for each ``k``, the most
        draws ``k`` of them need; cached per text."""
        plan_key = self._plan_key()
        key = (plan_key, text, self._protection)
        found = _CANDIDATES.get(key)
        if found is None:
            units = _units(text, self._protection)
            plans = _PLANS.setdefault(plan_key, {})
            candidates = []
            for start, end, word in units:
                if word in plans:
                    plan = plans[word]
                else:
                    plan = plans[word] = self._plan(word)
                if plan is not None:
                    candidates.append((start, end, *plan))
            sizes = sorted((c[5] for c in candidates), reverse=True)
            found = (len(units), tuple(candidates), tuple(itertools.accumulate(sizes)))
            if len(_CANDIDATES) >= _CACHE_SIZE:
                _CANDIDATES.clear()
            if len(plans) >= 8 * _CACHE_SIZE:
                plans.clear()
            _CANDIDATES[key] = found
        return found

    def _plan(self, word: str) -> Plan | None:
        """How this transform can change a word: its characters, sites, number of changes and draws (or None)."""
        chars: Chars = word if word.isascii() else tuple(graphemes(word))
        if len(chars) < self.min_length:
            return None
        sites = self._sites(chars)
        count = min(self._limit(chars, sites), count_for_rate(self.char_rate, len(chars))) if sites else 0
        return (chars, sites, count, self._draws(sites, count)) if count > 0 else None

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        n_words, candidates, bounds = self._candidates(text)
        k = min(len(candidates), count_for_rate(self.word_rate, n_words))
        if not k:
            return {"changes": []}
        # one draw for everything: k to choose the words, then enough for the k hungriest of them
        draws = rng.random(k + bounds[k - 1]).tolist()
        changes = []
        at = k
        for c in pick_with(draws, len(candidates), k):
            start, end, chars, sites, count, size = candidates[c]
            changes.append([start, end, self._edit(draws[at : at + size], chars, sites, count)])
            at += size
        return {"changes": sorted(changes)}

    def apply_text(self, text: str, params: Params, /) -> str:
        return splice(text, params["changes"]) if params["changes"] else text


class KeyboardTypo(_CharNoise):
    """Replace characters by a neighbouring key of a US QWERTY keyboard (:func:`qwerty_neighbours`); an upper-case
    letter becomes an upper-case neighbour. Characters not on the keyboard (``é``, CJK) are never chosen.

    Args:
        char_rate: fraction of the characters changed in each chosen word (at least one).
        include_non_letters: let digits and symbols be typed as neighbours (``p`` -> ``0``, ``[``); by default
            letters only.

    Example:
        >>> from augkit.text.chars import KeyboardTypo
        >>> KeyboardTypo(word_rate=0.5, char_rate=0.1, p=1.0)(text="Hello there, friend", rng=1)["text"]
        'Hello ghere, ftiend'
    """

    def __init__(
        self,
        word_rate: float = 0.3,
        char_rate: float = 0.3,
        min_length: int = 4,
        include_non_letters: bool = False,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(word_rate, char_rate, min_length, protected_words, protected_patterns, p)
        self.include_non_letters = as_bool(type(self).__name__, "include_non_letters", include_non_letters)
        self._map = _cased_neighbours(not self.include_non_letters)

    def _plan_key(self) -> tuple[Any, ...]:
        return (*super()._plan_key(), self.include_non_letters)

    def _sites(self, chars: Chars) -> Sequence[Any]:
        return _keyboard_sites(chars, not self.include_non_letters)

    def _edit(self, draws: list[float], chars: Chars, sites: Sequence[Any], count: int) -> str:
        table = self._map
        out = list(chars)
        for j, k in enumerate(pick_with(draws, len(sites), count)):
            at = sites[k]
            options = table[chars[at]]
            out[at] = options[int(draws[count + j] * len(options))]
        return "".join(out)


class OCRNoise(_CharNoise):
    """Replace characters or pairs by their OCR look-alikes from :func:`ocr_confusions` (``m`` -> ``rn``,
    ``l`` -> ``1``, ``O`` -> ``0``, ``cl`` -> ``d`` ...); the sites of one word never overlap.

    Args:
        char_rate: fraction of the characters of each chosen word that are sites of a confusion (at least one).

    Example:
        >>> from augkit.text.chars import OCRNoise
        >>> OCRNoise(p=1.0)(text="The modern library closed early", rng=0)["text"]
        'The modern I1brarv olosecl early'
    """

    def _sites(self, chars: Chars) -> Sequence[Any]:
        return _ocr_sites(chars)

    def _draws(self, sites: Sequence[Any], count: int) -> int:
        return len(sites) + count

    def _edit(self, draws: list[float], chars: Chars, sites: Sequence[Any], count: int) -> str:
        table = ocr_confusions()
        m = len(sites)
        out = list(chars)
        used = 0  # bit mask of the characters already changed
        done = 0
        moved: dict[int, int] = {}
        for i in range(m):  # the sites in a random order (pick_with, stopped once enough are taken)
            j = i + int(draws[i] * (m - i))
            k = moved.get(j, j)
            moved[j] = moved.get(i, i)
            start, size, key = sites[k]
            mask = ((1 << size) - 1) << start
            if used & mask:
                continue  # overlaps a change already made
            used |= mask
            options = table[key]
            out[start] = options[int(draws[m + done] * len(options))]
            if size == 2:
                out[start + 1] = ""
            done += 1
            if done == count:
                break
        return "".join(out)


class CharInsert(_CharNoise):
    """Insert characters into words: by default a copy of one of the word's own characters (a doubled or stray
    key press, whatever the script), or a random character of ``alphabet`` (upper case in an upper-case word).

    Args:
        char_rate: number of insertions relative to the word's length (at least one).
        alphabet: characters to insert; ``None`` copies characters of the word itself.

    Example:
        >>> from augkit.text.chars import CharInsert
        >>> CharInsert(p=1.0)(text="Please write carefully", rng=0)["text"]
        'Please ewwrite carefully'
    """

    def __init__(
        self,
        word_rate: float = 0.3,
        char_rate: float = 0.3,
        min_length: int = 4,
        alphabet: str | None = None,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(word_rate, char_rate, min_length, protected_words, protected_patterns, p)
        if alphabet is not None and (not isinstance(alphabet, str) or not alphabet or any(c.isspace() for c in alphabet)):
            raise ArgumentError(
                f"{type(self).__name__}: argument 'alphabet' expects None or a non-empty string without spaces; "
                f"got {describe(alphabet)}"
            )
        self.alphabet = alphabet
        self._alphabet = None if alphabet is None else graphemes(alphabet)

    def _sites(self, chars: Chars) -> Sequence[Any]:
        return range(len(chars) + 1)

    def _edit(self, draws: list[float], chars: Chars, sites: Sequence[Any], count: int) -> str:
        source = chars if self._alphabet is None else self._alphabet
        n = len(source)
        out = list(chars)
        slots = pick_with(draws, len(chars) + 1, count)
        for slot, u in sorted(zip(slots, draws[count : 2 * count], strict=True), reverse=True):
            out.insert(slot, source[int(u * n)])
        text = "".join(out)
        return text.upper() if self._alphabet is not None and len(chars) > 1 and "".join(chars).isupper() else text


class CharDelete(_CharNoise):
    """Delete characters from words (never every character of a word).

    Args:
        char_rate: fraction of the characters deleted in each chosen word (at least one, at most all but one).

    Example:
        >>> from augkit.text.chars import CharDelete
        >>> CharDelete(p=1.0)(text="Please write carefully", rng=0)["text"]
        'Please ite carefully'
    """

    def _limit(self, chars: Chars, sites: Sequence[Any]) -> int:
        return len(chars) - 1

    def _draws(self, sites: Sequence[Any], count: int) -> int:
        return count

    def _edit(self, draws: list[float], chars: Chars, sites: Sequence[Any], count: int) -> str:
        out = list(chars)
        for i in sorted(pick_with(draws, len(chars), count), reverse=True):
            del out[i]
        return "".join(out)


class CharSwap(_CharNoise):
    """Swap neighbouring characters in words (``form`` -> ``from``); the word's capitals stay in their positions
    (``Hello`` -> ``Ehllo``). Pairs of equal characters are never chosen.

    Args:
        char_rate: number of swaps relative to the word's length (at least one).

    Example:
        >>> from augkit.text.chars import CharSwap
        >>> CharSwap(p=1.0)(text="Please write carefully", rng=0)["text"]
        'Please iwrte carefully'
    """

    def _sites(self, chars: Chars) -> Sequence[Any]:
        return _swap_sites(chars)

    def _draws(self, sites: Sequence[Any], count: int) -> int:
        return count

    def _edit(self, draws: list[float], chars: Chars, sites: Sequence[Any], count: int) -> str:
        out = list(chars)
        for k in pick_with(draws, len(sites), count):
            i = sites[k]
            out[i], out[i + 1] = out[i + 1], out[i]
        for i, (old, new) in enumerate(zip(chars, out, strict=True)):
            if old.isupper() != new.isupper() and new.lower() != new.upper():
                fixed = new.upper() if old.isupper() else new.lower()
                if len(fixed) == len(new):
                    out[i] = fixed
        return "".join(out)
