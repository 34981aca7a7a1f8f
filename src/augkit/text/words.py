"""Word and sentence order, case and punctuation noise.

:class:`WordShuffle` permutes the words of each sentence (fully, or locally within a window as in the
word-shuffle noise of Lample et al. 2018), :class:`SentenceShuffle` permutes sentences, :class:`RandomCase`
changes the case of some words, :class:`PunctuationNoise` inserts punctuation marks (AEDA, Karimi et al.
2021) or deletes them. Protected spans (numbers, URLs, e-mail addresses, @mentions, #hashtags, the user's
words and patterns) never change or move within a sentence.

>>> from augkit.text.words import WordShuffle
>>> WordShuffle(p=1.0)(text="The cat sat on the mat.", rng=0)["text"]
'On sat cat the mat the.'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, describe
from augkit.core.validate import as_choice, as_int
from augkit.text.common import ProtectedTextTransform, count_for_rate
from augkit.text.edits import pick, reorder_words, replace_tokens, sentences
from augkit.text.tokens import Token, rebuild, tokenize, word_positions

__all__ = ["PunctuationNoise", "RandomCase", "SentenceShuffle", "WordShuffle", "change_case", "shuffle_sentences"]

Params = dict[str, Any]
_CASES = ("upper", "lower", "title", "random")


def _strings(owner: str, name: str, value: object, allowed: Sequence[str] | None = None) -> tuple[str, ...]:
    items: Any = (value,) if isinstance(value, str) else value
    ok = isinstance(items, (list, tuple)) and len(items) > 0 and all(isinstance(v, str) and v and not v.isspace() for v in items)
    if ok and allowed is not None:
        ok = all(v in allowed for v in items)
    if not ok:
        expected = "a non-empty list of " + ("values from " + ", ".join(map(repr, allowed)) if allowed else "non-blank strings")
        raise ArgumentError(f"{owner}: argument {name!r} expects {expected}; got {describe(value)}")
    return tuple(dict.fromkeys(items))


class WordShuffle(ProtectedTextTransform):
    """Shuffle the words inside each sentence; punctuation, spaces and protected tokens stay in place and a
    sentence-initial capital stays at the sentence start.

    Args:
        window: ``None`` for a full permutation; an integer ``k`` moves each word at most ``k`` places (the
            positions ``i + u * (k + 1)``, ``u ~ U(0, 1)``, are sorted: Lample et al. 2018's local shuffle).
        protected_words: words that never move (whole words, case-insensitive).
        protected_patterns: regular expressions whose matches never move.

    Example:
        >>> from augkit.text.words import WordShuffle
        >>> WordShuffle(window=2, p=1.0)(text="I really like this small red car.", rng=0)["text"]
        'Really I like this small red car.'
    """

    def __init__(
        self,
        window: int | None = None,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        self.window = None if window is None else as_int(type(self).__name__, "window", window, low=1)

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        tokens = self.tokens(text)
        moves: list[list[int]] = []
        for first, stop in sentences(tokens):
            words = [i for i in range(first, stop) if tokens[i].kind == "word"]
            m = len(words)
            if m < 2:
                continue
            if self.window is None:
                order = pick(rng, m, m)
            else:
                keys = (np.arange(m) + rng.random(m) * (self.window + 1)).tolist()
                order = sorted(range(m), key=keys.__getitem__)
            moves.extend([words[k], words[o]] for k, o in enumerate(order) if k != o)
        return {"moves": moves}

    def apply_text(self, text: str, params: Params, /) -> str:
        return reorder_words(text, params["moves"], self._protection)


def shuffle_sentences(text: str, order: Sequence[int]) -> str:
    """``text`` with its sentences (see :func:`augkit.text.edits.sentences`) in ``order``; the text before the
    first sentence, after the last and between sentences stays where it is.

    >>> shuffle_sentences("One. Two!  Three?", [2, 0, 1])
    'Three? One.  Two!'
    """
    if not order:
        return text
    tokens = tokenize(text)
    spans = sentences(tokens)
    if len(order) != len(spans):
        raise IndexError(f"the order has {len(order)} entries but the text has {len(spans)} sentences")
    bodies = ["".join(t.text for t in tokens[a:b]) for a, b in spans]
    out = ["".join(t.text for t in tokens[: spans[0][0]])]
    for k, (_, b) in enumerate(spans):
        out.append(bodies[int(order[k])])
        following = spans[k + 1][0] if k + 1 < len(spans) else len(tokens)
        out.append("".join(t.text for t in tokens[b:following]))
    return "".join(out)


class SentenceShuffle(ProtectedTextTransform):
    """Shuffle the sentences of a text; the whitespace between them stays in place. Texts of one sentence come
    back unchanged. Sentences end at ``.``, ``!``, ``?`` or ``…`` followed by a space (not after ``Dr.``,
    ``etc.`` or an initial).

    Args:
        protected_words: accepted for a uniform interface (sentences move whole; nothing inside them changes).
        protected_patterns: likewise.

    Example:
        >>> from augkit.text.words import SentenceShuffle
        >>> SentenceShuffle(p=1.0)(text="I came. I saw. I conquered.", rng=1)["text"]
        'I saw. I conquered. I came.'
    """

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        count = len(sentences(tokenize(text)))
        return {"order": pick(rng, count, count) if count > 1 else []}

    def apply_text(self, text: str, params: Params, /) -> str:
        return shuffle_sentences(text, params["order"])


def change_case(word: str, case: str, flips: Sequence[bool] = ()) -> str:
    """``word`` in ``case``: ``"upper"``, ``"lower"``, ``"title"``, or ``"random"`` (the case of character ``i``
    swapped where ``flips[i]`` is true).

    >>> change_case("hello", "title"), change_case("hello", "random", [True, False, True, False, False])
    ('Hello', 'HeLlo')
    """
    if case == "upper":
        return word.upper()
    if case == "lower":
        return word.lower()
    if case == "title":
        return word[:1].upper() + word[1:].lower()
    return "".join(c.swapcase() if f else c for c, f in zip(word, flips, strict=False)) + word[len(flips) :]


class RandomCase(ProtectedTextTransform):
    """Change the case of ``n = ceil(word_rate * l)`` of the ``l`` words (at least one): each chosen word takes
    one of ``cases`` drawn at random among those that change it.

    Args:
        word_rate: fraction of the words changed.
        cases: the changes to draw from: ``"upper"``, ``"lower"``, ``"title"``, ``"random"`` (each letter's case
            swapped with probability 0.5).

    Example:
        >>> from augkit.text.words import RandomCase
        >>> RandomCase(word_rate=0.3, cases=("upper",), p=1.0)(text="This is a very good movie.", rng=0)["text"]
        'This is A VERY good movie.'
    """

    def __init__(
        self,
        word_rate: float = 0.3,
        cases: Sequence[str] = ("upper", "lower", "title"),
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        self.word_rate = self._rate("word_rate", word_rate)
        self.cases = _strings(type(self).__name__, "cases", cases, _CASES)

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        tokens = self.tokens(text)
        words = word_positions(tokens)
        options = []
        for i in words:
            word = tokens[i].text
            usable = [c for c in self.cases if (c == "random" and word.lower() != word.upper()) or change_case(word, c) != word]
            if usable:
                options.append((i, usable))
        changes = []
        for k in pick(rng, len(options), count_for_rate(self.word_rate, len(words))):
            index, usable = options[k]
            word = tokens[index].text
            case = usable[int(rng.random() * len(usable))]
            flips = (rng.random(len(word)) < 0.5).tolist() if case == "random" else []
            changes.append([index, change_case(word, case, flips)])
        return {"changes": sorted(changes)}

    def apply_text(self, text: str, params: Params, /) -> str:
        return replace_tokens(text, params["changes"], self._protection)


def _delete_marks(tokens: Sequence[Token], indices: Sequence[int]) -> str:
    pieces = [t.text for t in tokens]
    for index in indices:
        pieces[index] = ""
        before, after = index - 1, index + 1
        while before >= 0 and not pieces[before]:
            before -= 1
        if (before < 0 or tokens[before].kind == "space") and after < len(tokens) and tokens[after].kind == "space":
            pieces[after] = ""  # ' , ' -> ' '; a mark at the start takes the space after it
    return "".join(pieces)


class PunctuationNoise(ProtectedTextTransform):
    """Insert punctuation marks between words (AEDA, Karimi et al. 2021) or delete existing ones.

    ``action="insert"``: a count drawn uniformly from ``1 .. int(ratio * l + 1)`` (``l`` words) of distinct
    words each get a random mark from ``marks`` and a space before them (``"I ; love this , movie"``).
    ``action="delete"``: each mark of ``marks`` in the text is deleted with probability ``ratio``.

    Args:
        action: ``"insert"`` or ``"delete"``.
        ratio: AEDA's punctuation ratio (insert) or the deletion probability (delete); AEDA uses 0.3.
        marks: the punctuation marks used.

    Example:
        >>> from augkit.text.words import PunctuationNoise
        >>> PunctuationNoise(p=1.0)(text="I love this movie", rng=0)["text"]
        '. I ! love this movie'
    """

    def __init__(
        self,
        action: str = "insert",
        ratio: float = 0.3,
        marks: Sequence[str] = (".", ";", "?", ":", "!", ","),
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        owner = type(self).__name__
        self.action = as_choice(owner, "action", action, ("insert", "delete"))
        self.ratio = self._rate("ratio", ratio)
        self.marks = _strings(owner, "marks", marks)

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        tokens = self.tokens(text)
        if self.action == "delete":
            found = [i for i, t in enumerate(tokens) if t.kind == "punct" and t.text in self.marks]
            return {"delete": [i for i, u in zip(found, rng.random(len(found)).tolist(), strict=True) if u < self.ratio]}
        words = [i for i, t in enumerate(tokens) if t.kind in ("word", "protected")]
        if not words:
            return {"inserts": []}
        count = 1 + int(rng.random() * int(self.ratio * len(words) + 1))
        slots = sorted(words[k] for k in pick(rng, len(words), count))
        marks = [self.marks[int(u * len(self.marks))] for u in rng.random(len(slots)).tolist()]
        return {"inserts": [[i, m] for i, m in zip(slots, marks, strict=True)]}

    def apply_text(self, text: str, params: Params, /) -> str:
        tokens = self.tokens(text)
        if "delete" in params:
            return _delete_marks(tokens, params["delete"]) if params["delete"] else text
        if not params["inserts"]:
            return text
        return rebuild(tokens, replace={int(i): f"{m} {tokens[int(i)].text}" for i, m in params["inserts"]})
