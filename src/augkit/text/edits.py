"""Word-level edit kernels shared by the text transforms: replace, insert, swap, reorder and delete words.

Each kernel takes the text and an edit named by token indices (as :func:`augkit.text.tokens.tokenize` numbers
the tokens; the indices do not depend on the protection in force) and returns the edited text. Spacing and
punctuation are kept; moving or deleting the capitalized first word of a sentence passes the capital on, so
``"The cat sat."`` with its first two words swapped reads ``"Cat the sat."``.

>>> swap_words("The cat sat.", [[0, 2]])
'Cat the sat.'
>>> delete_words("The cat sat.", [0])
'Cat sat.'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.text.tokens import Protection, Token, delete_tokens, rebuild, tokenize

__all__ = [
    "article_for",
    "delete_words",
    "eda_count",
    "insert_words",
    "is_title_word",
    "reorder_words",
    "replace_tokens",
    "replace_words",
    "sentence_starts",
    "sentences",
    "splice",
    "swap_words",
]

_ENDS = frozenset(".!?…")


def eda_count(alpha: float, n_words: int) -> int:
    """EDA's number of changed words: ``max(1, int(alpha * n_words))`` (0 for an empty text or ``alpha == 0``).

    >>> eda_count(0.1, 25), eda_count(0.1, 5), eda_count(0.1, 0), eda_count(0.0, 5)
    (2, 1, 0, 0)
    """
    return max(1, int(alpha * n_words)) if n_words > 0 and alpha > 0 else 0


_CLOSERS = frozenset("\"'”’»)]}")
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "fig", "no",
    "vol", "approx", "est", "gen", "gov", "lt", "col", "sgt", "capt", "rev"
))  # fmt: skip


def sentences(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Sentences as ``(first, stop)`` token ranges (spaces between sentences left out). A sentence ends at
    ``.``, ``!``, ``?`` or ``…`` (with closing quotes and brackets) followed by a space or the end, except after
    a common abbreviation (``Dr.``, ``etc.``) or a single letter (``J. Smith``, ``e.g.``).

    >>> toks = tokenize("Dr. Smith came. Did he stay?  Yes!")
    >>> ["".join(t.text for t in toks[a:b]) for a, b in sentences(toks)]
    ['Dr. Smith came.', 'Did he stay?', 'Yes!']
    """
    spans: list[tuple[int, int]] = []
    n = len(tokens)
    start = -1
    i = 0
    while i < n:
        token = tokens[i]
        if start < 0:
            if token.kind == "space":
                i += 1
                continue
            start = i
        if token.kind == "punct" and token.text in _ENDS:
            j = i + 1
            while j < n and tokens[j].kind == "punct" and (tokens[j].text in _ENDS or tokens[j].text in _CLOSERS):
                j += 1
            previous = tokens[i - 1] if i > 0 else None
            abbreviation = (
                token.text == "."
                and previous is not None
                and previous.kind == "word"
                and (len(previous.text) == 1 or previous.text.lower() in _ABBREVIATIONS)
            )
            if (j == n or tokens[j].kind == "space") and not abbreviation:
                spans.append((start, j))
                start = -1
            i = j
            continue
        i += 1
    if start >= 0:
        stop = n
        while stop > start and tokens[stop - 1].kind == "space":
            stop -= 1
        spans.append((start, stop))
    return spans


def sentence_starts(tokens: Sequence[Token]) -> frozenset[int]:
    """Indices of the first word or protected token of each sentence (see :func:`sentences`).

    >>> sorted(sentence_starts(tokenize("Hi there. How are you?")))
    [0, 5]
    """
    starts = set()
    for first, stop in sentences(tokens):
        for index in range(first, stop):
            if tokens[index].kind in ("word", "protected"):
                starts.add(index)
                break
    return frozenset(starts)


@functools.lru_cache(maxsize=4096)
def _starts_of(text: str) -> frozenset[int]:
    return sentence_starts(tokenize(text))  # token indices do not depend on the protection


def is_title_word(word: str) -> bool:
    """A capitalized common word (``The``), not ``I``, an acronym or a mixed-case name (``NASA``, ``McDonald``).

    >>> is_title_word("The"), is_title_word("I"), is_title_word("NASA"), is_title_word("McDonald")
    (True, False, False, False)
    """
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:] if word[:1].islower() else word


def _moved_case(word: str, from_start: bool, to_start: bool, slot_text: str) -> str:
    """The case a word takes when it moves from one slot to another (sentence starts keep their capital)."""
    if from_start and not to_start and is_title_word(word):
        return word.lower()
    if to_start and not from_start and slot_text[:1].isupper() and word.islower():
        return _capitalize(word)
    return word


_AN_BEFORE = ("hour", "honest", "honor", "honour", "heir")
_A_BEFORE = ("uni", "use", "usa", "usu", "ute", "uti", "ure", "uro", "eu", "ewe", "one", "once", "ubiq")


def article_for(word: str) -> str:
    """``"an"`` before a vowel sound, ``"a"`` otherwise, by spelling with a few common exceptions.

    >>> article_for("apple"), article_for("unhappy"), article_for("university"), article_for("hour"), article_for("dog")
    ('an', 'an', 'a', 'an', 'a')
    """
    low = word.lower()
    if low.startswith(_A_BEFORE):
        return "a"
    return "an" if low[:1] in ("a", "e", "i", "o", "u") or low.startswith(_AN_BEFORE) else "a"


def _agree(article: str, following: str) -> str:
    """``article`` (``a``/``an`` in any case) made to agree with the word that now follows it."""
    if not following[:1].isalpha():
        return article
    want = article_for(following)
    if want == article.lower():
        return article
    if article.isupper() and (len(article) > 1 or following[:1].isupper()):
        return want.upper()
    return want.capitalize() if article[:1].isupper() else want


def _is_article(piece: str) -> bool:
    return piece in ("a", "an", "A", "An", "AN")


@functools.lru_cache(maxsize=4096)
def _articles_in(text: str) -> bool:
    return _ARTICLE.search(text) is not None


_ARTICLE = re.compile(r"(?<!\w)(?:a|an|A|An|AN)(?!\w)")


def _finish(text: str, tokens: Sequence[Token], pieces: list[str], touched: set[int]) -> str:
    """Join the pieces, first making each ``a``/``an`` next to a touched token agree with the word after it."""
    if not _articles_in(text) and not any(_is_article(pieces[t]) for t in touched):
        return "".join(pieces)
    n = len(pieces)
    for t in sorted(touched):
        k = t - 1
        while k >= 0 and (not pieces[k] or tokens[k].kind == "space"):
            k -= 1
        for a in (k, t):
            if a < 0 or not _is_article(pieces[a]) or tokens[a].kind != "word":
                continue
            j = a + 1
            while j < n and (not pieces[j] or tokens[j].kind == "space"):
                j += 1
            if j < n and tokens[j].kind == "word":
                pieces[a] = _agree(pieces[a], pieces[j])
    return "".join(pieces)


def replace_words(text: str, changes: Sequence[Sequence[object]], protection: Protection | None = None) -> str:
    """``text`` with the word at each token index replaced: ``changes`` is ``[[token_index, new_text], ...]``
    (an ``a``/``an`` before a changed word is made to agree with it).

    >>> replace_words("the big cat", [[2, "large"]]), replace_words("A happy end", [[2, "unhappy"]])
    ('the large cat', 'An unhappy end')
    """
    if not changes:
        return text
    tokens = tokenize(text, protection)
    pieces = [t.text for t in tokens]
    touched = set()
    for index, new in changes:
        i = int(index)  # type: ignore[call-overload]
        pieces[i] = str(new)
        touched.add(i)
    return _finish(text, tokens, pieces, touched)


def replace_tokens(text: str, changes: Sequence[Sequence[object]], protection: Protection | None = None) -> str:
    """``text`` with the tokens at the given indices replaced (``changes`` is ``[[token_index, new_text], ...]``) and
    nothing else changed: :func:`replace_words` also makes ``a``/``an`` agree.

    >>> replace_tokens("a big cat", [[2, "old"]])
    'a old cat'
    """
    if not changes:
        return text
    return rebuild(tokenize(text, protection), replace={int(i): str(new) for i, new in changes})  # type: ignore[call-overload]


def insert_words(text: str, inserts: Sequence[Sequence[object]], protection: Protection | None = None) -> str:
    """``text`` with words inserted after tokens: ``inserts`` is ``[[token_index, word], ...]``; several
    insertions after one token come in list order, each preceded by a space.

    >>> insert_words("the cat sat.", [[2, "feline"], [4, "down"]]), insert_words("a cat", [[0, "old"]])
    ('the cat feline sat down.', 'an old cat')
    """
    if not inserts:
        return text
    tokens = tokenize(text, protection)
    pieces = [t.text for t in tokens]
    added: dict[int, list[str]] = {}
    for index, word in inserts:
        added.setdefault(int(index), []).append(str(word))  # type: ignore[call-overload]
    for i, words in added.items():
        head = _agree(pieces[i], words[0]) if _is_article(pieces[i]) and tokens[i].kind == "word" else pieces[i]
        pieces[i] = " ".join([head, *words])
    return _finish(text, tokens, pieces, set(added))


def reorder_words(text: str, moves: Sequence[Sequence[object]], protection: Protection | None = None) -> str:
    """``text`` with words moved between slots: ``moves`` is ``[[slot_token, source_token], ...]`` and each
    slot receives the source token's original text (sentence-initial capitals stay at the sentence start).

    >>> reorder_words("The cat sat on the mat.", [[0, 2], [2, 0]])
    'Cat the sat on the mat.'
    """
    if not moves:
        return text
    tokens = tokenize(text, protection)
    starts = _starts_of(text)
    pieces = [t.text for t in tokens]
    touched = set()
    for slot, source in moves:
        s, o = int(slot), int(source)  # type: ignore[call-overload]
        if s != o:
            pieces[s] = _moved_case(tokens[o].text, o in starts, s in starts, tokens[s].text)
            touched.add(s)
    return _finish(text, tokens, pieces, touched)


def swap_words(text: str, swaps: Sequence[Sequence[object]], protection: Protection | None = None) -> str:
    """``text`` with pairs of words swapped one pair after the other: ``swaps`` is ``[[token_i, token_j], ...]``.

    >>> swap_words("a b c", [[0, 2], [0, 4]])
    'c a b'
    """
    if not swaps:
        return text
    source: dict[int, int] = {}
    for first, second in swaps:
        i, j = int(first), int(second)  # type: ignore[call-overload]
        source[i], source[j] = source.get(j, j), source.get(i, i)
    return reorder_words(text, [[s, o] for s, o in source.items()], protection)


def delete_words(text: str, indices: Sequence[object], protection: Protection | None = None) -> str:
    """``text`` without the words at ``indices`` (token indices); each deleted word takes one neighbouring space
    along, and when a sentence loses its capitalized first word the next word of the sentence takes the capital.

    >>> delete_words("The cat sat. It ran.", [0, 7]), delete_words("an old man", [2])
    ('Cat sat. Ran.', 'a man')
    """
    if not indices:
        return text
    tokens = tokenize(text, protection)
    gone = {int(i) for i in indices}  # type: ignore[call-overload]
    pieces = [t.text for t in tokens]
    for start in _starts_of(text):
        if start in gone and tokens[start].text[:1].isupper():
            for index in range(start + 1, len(tokens)):
                token = tokens[index]
                if token.kind == "punct" and token.text in _ENDS:
                    break
                if index not in gone and token.kind in ("word", "protected"):
                    if token.kind == "word" and token.text.islower():
                        pieces[index] = _capitalize(token.text)
                    break
    delete_tokens(tokens, pieces, gone)
    return _finish(text, tokens, pieces, gone)


def splice(text: str, edits: Sequence[Sequence[Any]]) -> str:
    """``text`` with non-overlapping character spans replaced: ``edits`` is ``[[start, end, new], ...]``.

    >>> splice("I do not know", [[2, 8, "don't"]])
    "I don't know"
    """
    out = []
    last = 0
    for start, end, new in sorted(edits, key=lambda e: e[0]):
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def pick(rng: np.random.Generator, m: int, k: int) -> list[int]:
    """``k`` distinct indices out of ``range(m)`` in random order (a partial Fisher-Yates shuffle, one draw)."""
    k = min(k, m)
    return pick_with(rng.random(k).tolist(), m, k) if k > 0 else []


def pick_with(draws: Sequence[float], m: int, k: int) -> list[int]:
    """:func:`pick` from ``k`` uniform draws in [0, 1) given by the caller (``draws[:k]`` are used).

    >>> pick_with([0.0, 0.99], 5, 2)
    [0, 4]
    """
    if k == 1 and m > 0:
        return [int(draws[0] * m)]
    if k == 2 and m > 1:  # the general loop, unrolled
        first = int(draws[0] * m)
        second = 1 + int(draws[1] * (m - 1))
        return [first, 0 if second == first else second]
    out = []
    moved: dict[int, int] = {}  # the swapped-out entries of the virtual list range(m)
    for i in range(min(k, m)):
        j = i + int(draws[i] * (m - i))
        out.append(moved.get(j, j))
        moved[j] = moved.get(i, i)
    return out
