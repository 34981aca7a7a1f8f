"""Spelling noise and contractions.

:class:`SpellingNoise` replaces words by plausible misspellings made by rules, not taken from a list of
observed errors (the public lists have copyleft or unclear licences): commonly confused words
(``their``/``there``/``they're``, ``its``/``it's``, ``then``/``than``, ``affect``/``effect`` ..., written for
augkit, ``data/homophones.json``), doubled and undoubled consonants (``occurrence`` -> ``occurence``),
``ie``/``ei`` swaps, suffix confusions (``-able``/``-ible``, ``-ance``/``-ence``, ``-ant``/``-ent``, ``-ary``/``-ery``,
``-ite`` -> ``-ate``, ``-ar`` -> ``-er``, ``-ful`` -> ``-full``), dropped silent letters (``kn-``, ``wr-``, ``-mb``,
``-mn``, ``sc``, ``wh-``, ``tch``, ``bt``) and a few phonetic spellings (``ph`` -> ``f``). :class:`Contraction`
contracts or expands English contractions (``data/contractions.json``).

>>> misspellings("necessary")
('necessery', 'neccessary', 'necesary', 'nesessary')
>>> from augkit.text.spelling import Contraction
>>> Contraction(direction="contract")(text="I am sure it is not ready.")["text"]
"I'm sure it isn't ready."
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from augkit.core.validate import as_choice
from augkit.text.common import ProtectedTextTransform, copy_case, count_for_rate
from augkit.text.edits import pick, replace_tokens, splice
from augkit.text.tokens import word_positions

__all__ = ["Contraction", "SpellingNoise", "contraction_edits", "misspellings"]

Params = dict[str, Any]
_DATA = Path(__file__).resolve().parent / "data"
_VOWELS = frozenset("aeiou")
_DOUBLING = frozenset("bcdfgklmnprstz")
# (ending, replacement, minimum word length)
_SUFFIXES = (
    ("able", "ible", 6), ("ible", "able", 6), ("ance", "ence", 6), ("ence", "ance", 6), ("ancy", "ency", 6),
    ("ency", "ancy", 6), ("ant", "ent", 7), ("ent", "ant", 7), ("ary", "ery", 6), ("ery", "ary", 6),
    ("ite", "ate", 7), ("ar", "er", 6), ("ful", "full", 6), ("cede", "ceed", 6), ("ceed", "cede", 6),
    ("sede", "cede", 6), ("uly", "uely", 5), ("ument", "uement", 7),
)  # fmt: skip
_PREFIXES = (("kn", "n"), ("wr", "r"), ("gn", "n"), ("ps", "s"), ("pn", "n"), ("wh", "w"), ("rh", "r"))
_ENDINGS = (("mb", "m"), ("mn", "m"))
_INNER = (("ph", "f"), ("tch", "ch"), ("bt", "t"), ("parat", "perat"), ("sce", "se"), ("sci", "si"))


@functools.cache
def _homophones() -> dict[str, tuple[str, ...]]:
    table = json.loads((_DATA / "homophones.json").read_text("utf-8"))["confusions"]
    return {word: tuple(others) for word, others in table.items()}


@functools.lru_cache(maxsize=1 << 15)
def misspellings(word: str) -> tuple[str, ...]:
    """Rule-made misspellings of a lower-case ``word`` (``'`` as apostrophe), most specific first, without ``word``.

    >>> misspellings("their"), misspellings("receive")[:2], misspellings("knife")
    (('there', "they're", 'thier'), ('recieve', 'recceive'), ('nife',))
    """
    out: dict[str, None] = dict.fromkeys(_homophones().get(word, ()))
    n = len(word)
    if n >= 3 and word.isalpha():
        for i in range(n - 1):  # ie <-> ei before a consonant
            pair = word[i : i + 2]
            if pair in ("ie", "ei") and i + 2 < n and word[i + 2] not in _VOWELS:
                out[word[:i] + pair[::-1] + word[i + 2 :]] = None
        for ending, new, minimum in _SUFFIXES:
            if n >= minimum and word.endswith(ending):
                out[word[: n - len(ending)] + new] = None
        for i in range(1, n - 1):  # a single consonant between vowels doubled, a double consonant undoubled
            c = word[i]
            if c in _DOUBLING and word[i - 1] in _VOWELS and word[i + 1] in _VOWELS and (i + 2 < n or word[i + 1] != "e"):
                out[word[: i + 1] + word[i:]] = None
            if c == word[i + 1] and c not in _VOWELS and (i + 2 == n or word[i + 2] != c):
                out[word[:i] + word[i + 1 :]] = None
        for head, new in _PREFIXES:
            if word.startswith(head) and n > len(head) + 1:
                out[new + word[len(head) :]] = None
        for tail, new in _ENDINGS:
            if word.endswith(tail):
                out[word[: n - len(tail)] + new] = None
        for part, new in _INNER:
            at = word.find(part)
            if at >= 0:
                out[word[:at] + new + word[at + len(part) :]] = None
        if "c" in word[1:-1]:  # soft c written as s: necessary -> nessessary
            soft = re.sub(r"(?<=[^s])c(?=[eiy])", "s", word)
            if soft != word:
                out[soft] = None
    out.pop(word, None)
    return tuple(out)


def _cased(new: str, original: str) -> str:
    if "’" in original:
        new = new.replace("'", "’")
    return copy_case(new, original)


class SpellingNoise(ProtectedTextTransform):
    """Replace words by common misspellings, made by rules (see the module): confused words (``their`` ->
    ``there``), consonant doubling, ``ie``/``ei``, suffix confusions, dropped silent letters. Case is kept.

    ``n = ceil(word_rate * l)`` of the ``l`` words change (at least one), chosen among words that have a
    misspelling; stop-words count (``their``/``there`` is the most common confusion of all).

    Args:
        word_rate: fraction of the words misspelled (nlpaug's SpellingAug default 0.3).

    Example:
        >>> from augkit.text.spelling import SpellingNoise
        >>> SpellingNoise(word_rate=0.2)(text="I believe their argument is definitely separate.", rng=0)["text"]
        'I believe their argumant is deffinitely separate.'
    """

    def __init__(
        self,
        word_rate: float = 0.3,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        self.word_rate = self._rate("word_rate", word_rate)

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        tokens = self.tokens(text)
        words = word_positions(tokens)
        candidates = [(i, found) for i in words if (found := misspellings(tokens[i].text.lower().replace("’", "'")))]
        chosen = pick(rng, len(candidates), count_for_rate(self.word_rate, len(words)))
        changes = []
        for k, u in zip(chosen, rng.random(len(chosen)).tolist(), strict=True):
            index, found = candidates[k]
            changes.append([index, _cased(found[int(u * len(found))], tokens[index].text)])
        return {"changes": sorted(changes)}

    def apply_text(self, text: str, params: Params, /) -> str:
        return replace_tokens(text, params["changes"], self._protection)


# ----------------------------------------------------------------------------------------------- contractions
@functools.cache
def _contraction_tables() -> tuple[list[re.Pattern[str]], re.Pattern[str], dict[str, str], dict[str, str], frozenset[str]]:
    data = json.loads((_DATA / "contractions.json").read_text("utf-8"))
    contract: dict[str, str] = data["contract"]
    expand: dict[str, str] = data["expand"]

    def alternation(keys: Sequence[str], apostrophe: bool) -> str:
        parts = []
        for key in sorted(keys, key=len, reverse=True):
            part = re.escape(key).replace(r"\ ", r"\s+")
            parts.append(part.replace("'", "['’]") if apostrophe else part)
        return "|".join(parts)

    edge = r"(?<![\w'’])(?:{})(?![\w'’])"
    negations = [k for k in contract if k.endswith("not")]  # first, so 'they will not' gives 'they won't'
    others = [k for k in contract if not k.endswith("not")]
    contract_res = [re.compile(edge.format(alternation(keys, False)), re.IGNORECASE) for keys in (negations, others)]
    expand_re = re.compile(edge.format(alternation(list(expand), True)), re.IGNORECASE)
    return contract_res, expand_re, contract, expand, frozenset(data["contract_needs_next_word"])


_WORD_FOLLOWS = re.compile(r"\s+\w")


def _replacement_case(new: str, matched: str) -> str:
    letters = [c for c in matched if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return new.upper()
    return new[:1].upper() + new[1:] if matched[:1].isupper() else new


def contraction_edits(text: str, direction: str, protected: Sequence[tuple[int, int]] = ()) -> list[list[Any]]:
    """Every contraction (``direction="contract"``), expansion (``"expand"``) or both this text allows, as
    ``[start, end, replacement]`` character spans in ``text``; spans overlapping ``protected`` are left out.

    >>> contraction_edits("They will not say it is so.", "contract")
    [[5, 13, "won't"], [18, 23, "it's"]]
    >>> contraction_edits("Don't go", "expand")
    [[0, 5, 'Do not']]
    """
    contract_res, expand_re, contract, expand, needs_next = _contraction_tables()
    curly = "’" in text and "'" not in text
    edits: list[list[Any]] = []
    if direction in ("contract", "both"):
        for contract_re in contract_res:
            taken = [(e[0], e[1]) for e in edits]
            for m in contract_re.finditer(text):
                key = " ".join(m.group().lower().split())
                if key in needs_next and not _WORD_FOLLOWS.match(text, m.end()):
                    continue  # 'I know who he is.' keeps its 'he is'
                if any(s < m.end() and m.start() < t for s, t in taken):
                    continue
                new = contract[key].replace("'", "’") if curly else contract[key]
                edits.append([m.start(), m.end(), _replacement_case(new, m.group())])
    if direction in ("expand", "both"):
        for m in expand_re.finditer(text):
            edits.append([m.start(), m.end(), _replacement_case(expand[m.group().lower().replace("’", "'")], m.group())])
    if protected:
        edits = [e for e in edits if not any(s < e[1] and e[0] < t for s, t in protected)]
    return sorted(edits)


class Contraction(ProtectedTextTransform):
    """Contract (``do not`` -> ``don't``) or expand (``I'm`` -> ``I am``) English contractions.

    Expansions take the most common reading (``'s`` -> ``is``, ``'d`` -> ``would``); contractions are made only
    where they are unambiguous (no ``I have`` -> ``I've``, no ``has``/``had`` -> ``'s``/``'d``) and an auxiliary
    is contracted only when a word follows (``I know who he is.`` stays). Case is kept (``Do not`` ->
    ``Don't``); new apostrophes follow the text's style (``’`` when the text only uses that).

    Args:
        direction: ``"contract"``, ``"expand"``, or ``"both"`` (every occurrence of either form flips).
        rate: probability that each occurrence is converted (1 converts all of them).

    Example:
        >>> from augkit.text.spelling import Contraction
        >>> Contraction(direction="expand")(text="We can't stay, it's late and I'd rather go.")["text"]
        'We cannot stay, it is late and I would rather go.'
    """

    def __init__(
        self,
        direction: str = "contract",
        rate: float = 1.0,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        self.direction = as_choice(type(self).__name__, "direction", direction, ("contract", "expand", "both"))
        self.rate = self._rate("rate", rate)

    @classmethod
    def example(cls) -> Contraction:
        return cls(direction="both", rate=0.5, p=1.0)

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        protected = [(t.start, t.end) for t in self.tokens(text) if t.kind == "protected"]
        edits = contraction_edits(text, self.direction, protected)
        if self.rate < 1.0 and edits:
            edits = [e for e, u in zip(edits, rng.random(len(edits)).tolist(), strict=True) if u < self.rate]
        return {"changes": edits}

    def apply_text(self, text: str, params: Params, /) -> str:
        return splice(text, params["changes"]) if params["changes"] else text
