"""EDA, Easy Data Augmentation (Wei & Zou, EMNLP-IJCNLP 2019), on the bundled WordNet table, and antonym swaps.

The four operations, with ``l`` the number of editable words of a text and ``n = max(1, int(alpha * l))``:

- **SR** (:class:`SynonymReplacement`): ``n`` distinct non-stop-words that have synonyms are replaced, each
  by a random synonym from the table (multi-word synonyms included), inflected like the word (``cats`` ->
  ``felines``) and cased like it.
- **RI** (:class:`RandomInsertion`), ``n`` times: a random synonym of a random non-stop-word is inserted after
  a random word.
- **RS** (:class:`RandomSwap`), ``n`` times: two random words swap places.
- **RD** (:class:`RandomDeletion`): each word is deleted with probability ``alpha``; when every word would go,
  one random word stays.

:class:`EDA` applies one of the four per output, drawn as the reference code does. Stop-words (EDA's list,
:data:`augkit.text.lexicon.STOP_WORDS`) are never SR/RI source words; numbers, URLs, e-mail addresses,
@mentions, #hashtags and the user's protected words and patterns are never touched. The text keeps its case,
punctuation and spacing (``faithful=True`` instead reproduces the reference code's preprocessing, see
:class:`EDA`). The record names every change by token index, so replay needs no lookup:

>>> from augkit.text.eda import SynonymReplacement
>>> out = SynonymReplacement(alpha=0.2, p=1.0)(text="The quick fox jumps over the lazy dog.", rng=3, record=True)
>>> out["text"]
'The agile fox jumps over the lazy dog.'
>>> out["applied"][0]["params"]["texts"][0][0]
{'op': 'sr', 'changes': [[2, 'agile']]}
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError
from augkit.core.validate import as_bool, as_int
from augkit.text.common import ProtectedTextTransform
from augkit.text.edits import delete_words, eda_count, insert_words, pick, pick_with, replace_words, swap_words
from augkit.text.lexicon import STOP_WORDS
from augkit.text.synonyms import Option, antonym_options, faithful_synonyms, realize, synonym_options
from augkit.text.tokens import Protection, Token, tokenize, word_positions

__all__ = [
    "EDA",
    "EDA_RECOMMENDED",
    "AntonymReplacement",
    "RandomDeletion",
    "RandomInsertion",
    "RandomSwap",
    "SynonymReplacement",
    "apply_eda",
    "eda_clean",
]

Params = dict[str, Any]

EDA_RECOMMENDED: tuple[tuple[int, float, int], ...] = ((500, 0.05, 16), (2000, 0.05, 8), (5000, 0.1, 4))
"""Table 3 of the EDA paper: ``(training-set size, alpha, n_aug)``; the last row also holds for larger sets."""

_OPS = ("sr", "ri", "rs", "rd")
_NOT_AZ_SPACE = re.compile(r"[^a-z ]")


# ----------------------------------------------------------------------------------------------- preprocessing
def eda_clean(text: str) -> str:
    """The EDA reference code's preprocessing: apostrophes removed, hyphens, tabs and newlines read as spaces,
    lower case, every character outside ``[a-z ]`` turned into a space, runs of spaces squeezed.

    >>> eda_clean("It's a well-known fact: 42 cats!")
    'its a well known fact cats '
    """
    line = text.replace("’", "").replace("'", "").replace("-", " ").replace("\t", " ").replace("\n", " ").lower()
    line = re.sub(" +", " ", _NOT_AZ_SPACE.sub(" ", line))
    return line[1:] if line.startswith(" ") else line


@functools.lru_cache(maxsize=4096)
def _faithful_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in eda_clean(text).split(" ") if w)


# ----------------------------------------------------------------------------------------------- the kernel
def apply_eda(text: str, params: Params, *, faithful: bool = False, protection: Protection | None = None) -> str:
    """Apply one drawn EDA edit (``{"op": "sr" | "ar" | "ri" | "rs" | "rd" | "none", ...}``) to ``text``.

    Clean edits name token indices (``changes``/``inserts``: ``[[index, word], ...]``, ``swaps``: ``[[i, j],
    ...]``, ``delete``: ``[index, ...]``); faithful ones name indices into the reference's word list, and
    their output is the reference's lower-case ``[a-z ]`` text.

    >>> apply_eda("The cat sat on the mat.", {"op": "rs", "swaps": [[2, 10]]})
    'The mat sat on the cat.'
    >>> apply_eda("The cat sat on the mat.", {"op": "ri", "inserts": [[1, "feline"]]}, faithful=True)
    'the feline cat sat on the mat'
    """
    op = params["op"]
    if faithful:
        words = list(_faithful_words(text))
        if op in ("sr", "ar"):
            for index, word in params["changes"]:
                words[index] = word
        elif op == "ri":
            for index, word in params["inserts"]:
                words.insert(index, word)
        elif op == "rs":
            for i, j in params["swaps"]:
                words[i], words[j] = words[j], words[i]
        elif op == "rd":
            gone = set(params["delete"])
            words = [w for i, w in enumerate(words) if i not in gone]
        elif op != "none":
            raise KeyError(f"unknown EDA op {op!r}")
        return " ".join(" ".join(words).split())
    if op in ("sr", "ar"):
        return replace_words(text, params["changes"], protection)
    if op == "ri":
        return insert_words(text, params["inserts"], protection)
    if op == "rs":
        return swap_words(text, params["swaps"], protection)
    if op == "rd":
        return delete_words(text, params["delete"], protection)
    if op == "none":
        return text
    raise KeyError(f"unknown EDA op {op!r}")


# ----------------------------------------------------------------------------------------------- clean sampling
def _synonyms_of(word: str) -> tuple[Option, ...]:
    low = word.lower()
    return () if low in STOP_WORDS else synonym_options(low)


def _antonyms_of(word: str) -> tuple[Option, ...]:
    low = word.lower()
    return () if low in STOP_WORDS else antonym_options(low)


Candidates = tuple[tuple[int, tuple[Option, ...]], ...]


@functools.lru_cache(maxsize=4096)
def _info(text: str, protection: Protection) -> tuple[tuple[Token, ...], tuple[int, ...], Candidates]:
    """A text's tokens, its editable words and those with synonyms (cached: EDA draws many copies of a text)."""
    tokens = tokenize(text, protection)
    words = tuple(word_positions(tokens))
    return tokens, words, tuple((i, found) for i in words if (found := _synonyms_of(tokens[i].text)))


@functools.lru_cache(maxsize=1024)
def _antonym_info(text: str, protection: Protection) -> Candidates:
    tokens, words, _ = _info(text, protection)
    return tuple((i, found) for i in words if (found := _antonyms_of(tokens[i].text)))


def _replace(rng: np.random.Generator, tokens: Sequence[Token], n: int, candidates: Candidates) -> Params:
    k = min(n, len(candidates))
    draws = rng.random(2 * k).tolist() if k else []
    changes = []
    for j, c in enumerate(pick_with(draws, len(candidates), k)):
        index, found = candidates[c]
        changes.append([index, realize(found[int(draws[k + j] * len(found))], tokens[index].text)])
    changes.sort()
    return {"changes": changes}


def _insert(rng: np.random.Generator, tokens: Sequence[Token], words: Sequence[int], n: int, candidates: Candidates) -> Params:
    inserts: list[list[Any]] = []
    if candidates:
        draws = rng.random(3 * n).tolist()
        for j in range(0, 3 * n, 3):
            index, found = candidates[int(draws[j] * len(candidates))]
            source = tokens[index].text
            case_model = source if len(source) > 1 and source.isupper() else source.lower()
            inserts.append([words[int(draws[j + 2] * len(words))], realize(found[int(draws[j + 1] * len(found))], case_model)])
    return {"inserts": inserts}


def _swap(rng: np.random.Generator, words: Sequence[int], n: int) -> Params:
    m = len(words)
    if m < 2:
        return {"swaps": []}
    swaps = []
    draws = rng.random(2 * n).tolist()
    for j in range(0, 2 * n, 2):
        a = int(draws[j] * m)
        b = int(draws[j + 1] * (m - 1))
        swaps.append([words[a], words[b + (b >= a)]])
    return {"swaps": swaps}


def _delete(rng: np.random.Generator, words: Sequence[int], alpha: float) -> Params:
    m = len(words)
    if m < 2:
        return {"delete": []}
    gone = [i for i, u in zip(words, rng.random(m).tolist(), strict=True) if u <= alpha]
    if len(gone) == m:  # never delete every word: keep one at random
        del gone[int(rng.random() * m)]
    return {"delete": gone}


def _sample_clean(op: str, alpha: float, rng: np.random.Generator, text: str, protection: Protection) -> Params:
    tokens, words, synonyms = _info(text, protection)
    n = eda_count(alpha, len(words))
    if op == "sr":
        return {"op": op, **_replace(rng, tokens, n, synonyms)}
    if op == "ar":
        return {"op": op, **_replace(rng, tokens, n, _antonym_info(text, protection))}
    if op == "ri":
        return {"op": op, **_insert(rng, tokens, words, n, synonyms)}
    if op == "rs":
        return {"op": op, **_swap(rng, words, n)}
    return {"op": op, **_delete(rng, words, alpha)}


# ----------------------------------------------------------------------------------------------- faithful sampling
def _randint(rng: np.random.Generator, high: int) -> int:
    """A uniform integer in ``[0, high)``."""
    return int(rng.random() * high)


def _sample_faithful(op: str, alpha: float, rng: np.random.Generator, text: str) -> Params:
    """The reference code's operations on its word list (its ``random`` calls replaced by ``rng`` draws)."""
    words = list(_faithful_words(text))
    m = len(words)
    n = eda_count(alpha, m)
    if op in ("sr", "ar"):  # shuffled word types; every occurrence of a chosen type is replaced
        types = list(dict.fromkeys(w for w in words if w not in STOP_WORDS))
        changes: list[list[Any]] = []
        replaced = 0
        for k in pick(rng, len(types), len(types)):
            word = types[k]
            found = faithful_synonyms(word) if op == "sr" else tuple(a for a, _, _ in antonym_options(word))
            if found:
                new = found[_randint(rng, len(found))]
                changes.extend([i, new] for i, w in enumerate(words) if w == word)
                replaced += 1
            if replaced >= n:
                break
        return {"op": op, "changes": sorted(changes)}
    if op == "ri":  # n times: up to 10 tries for a random word with synonyms, insert its first synonym anywhere
        inserts: list[list[Any]] = []
        for _ in range(n if m else 0):
            for _ in range(10):
                found = faithful_synonyms(words[_randint(rng, len(words))])
                if found:
                    index = _randint(rng, len(words))
                    words.insert(index, found[0])
                    inserts.append([index, found[0]])
                    break
        return {"op": op, "inserts": inserts}
    if op == "rs":  # n times: two random positions; after three equal draws the reference gives up
        swaps = []
        for _ in range(n if m else 0):
            a = _randint(rng, m)
            for _ in range(3):
                b = _randint(rng, m)
                if b != a:
                    swaps.append([a, b])
                    break
        return {"op": op, "swaps": swaps}
    if m <= 1:
        return {"op": op, "delete": []}
    gone = [i for i, u in enumerate(rng.random(m).tolist()) if u <= alpha]
    if len(gone) == m:
        del gone[_randint(rng, m)]
    return {"op": op, "delete": gone}


# ----------------------------------------------------------------------------------------------- transforms
class _EDABase(ProtectedTextTransform):
    """Shared arguments and sampling of the EDA transforms."""

    _abstract = True
    shared_arg_docs: ClassVar[dict[str, str]] = {
        **ProtectedTextTransform.shared_arg_docs,
        "faithful": "reproduce the reference code (see :class:`SynonymReplacement`).",
    }
    faithful: bool

    def __init__(
        self,
        faithful: bool = False,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        self.faithful = as_bool(type(self).__name__, "faithful", faithful)
        if self.faithful and (self.protected_words or self.protected_patterns):
            raise ArgumentError(
                f"{type(self).__name__}: argument 'faithful' expects False when protected_words or protected_patterns "
                "are given (the reference preprocessing rewrites the whole text); got True"
            )

    def _sample_op(self, op: str, alpha: float, rng: np.random.Generator, text: str) -> Params:
        if self.faithful:
            return _sample_faithful(op, alpha, rng, text)
        return _sample_clean(op, alpha, rng, text, self._protection)

    def apply_text(self, text: str, params: Params, /) -> str:
        return apply_eda(text, params, faithful=self.faithful, protection=self._protection)


class _EDAOperation(_EDABase):
    _abstract = True
    _op: ClassVar[str]

    def __init__(
        self,
        alpha: float = 0.1,
        n_aug: int = 1,
        faithful: bool = False,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(faithful, protected_words, protected_patterns, p)
        self.alpha = self._rate("alpha", alpha)
        self.n_aug = as_int(type(self).__name__, "n_aug", n_aug, low=1)

    @classmethod
    def example(cls) -> _EDAOperation:
        return cls(alpha=0.2, p=1.0)

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        return self._sample_op(self._op, self.alpha, rng, text)


class SynonymReplacement(_EDAOperation):
    """EDA's SR: ``n = max(1, int(alpha * l))`` distinct non-stop-words with synonyms get a random WordNet synonym.

    Args:
        alpha: fraction of the ``l`` words replaced (EDA's rounding: at least one).
        faithful: reproduce the reference code (lower-case ``[a-z ]`` text, every occurrence of a chosen word
            replaced, synonyms not inflected, base forms allowed: ``cats`` -> ``cat``).

    Example:
        >>> from augkit.text.eda import SynonymReplacement
        >>> SynonymReplacement(alpha=0.1, p=1.0)(text="The film was a great success.", rng=2)["text"]
        'The motion picture was a great success.'
    """

    _op = "sr"


class RandomInsertion(_EDAOperation):
    """EDA's RI: ``n = max(1, int(alpha * l))`` times, a random synonym of a random non-stop-word is inserted after
    a random word (the faithful mode inserts the first synonym before a random word, as the reference does).

    Args:
        alpha: ``n`` relative to the ``l`` words (EDA's rounding: at least one insertion when a word has synonyms).
        protected_words: words never changed; they are not used as source words either.

    Example:
        >>> from augkit.text.eda import RandomInsertion
        >>> RandomInsertion(alpha=0.1, p=1.0)(text="The film was a great success.", rng=0)["text"]
        'The groovy film was a great success.'
    """

    _op = "ri"


class RandomSwap(_EDAOperation):
    """EDA's RS: ``n = max(1, int(alpha * l))`` times, two random words swap places (protected tokens stay put;
    a capitalized sentence start passes its capital to the word that takes its place).

    Args:
        alpha: ``n`` relative to the ``l`` words; texts with fewer than two words come back unchanged.
        protected_words: words never moved.
        protected_patterns: regular expressions whose matches are never moved.

    Example:
        >>> from augkit.text.eda import RandomSwap
        >>> RandomSwap(alpha=0.1, p=1.0)(text="The cat chased the mouse.", rng=3)["text"]
        'Cat the chased the mouse.'
    """

    _op = "rs"


class RandomDeletion(_EDAOperation):
    """EDA's RD: each word is deleted with probability ``alpha``; if all would go, one random word stays. Texts of
    one word come back unchanged; a deleted word takes one neighbouring space along.

    Args:
        alpha: deletion probability of each word.
        protected_words: words never deleted.
        protected_patterns: regular expressions whose matches are never deleted.

    Example:
        >>> from augkit.text.eda import RandomDeletion
        >>> RandomDeletion(alpha=0.3, p=1.0)(text="The cat chased the grey mouse.", rng=4)["text"]
        'The cat chased grey mouse.'
    """

    _op = "rd"


class AntonymReplacement(_EDAOperation):
    """Replace ``n = max(1, int(alpha * l))`` distinct non-stop-words that have WordNet antonyms by a random
    direct antonym, inflected and cased like the word: a contrast set (the label may flip with it).

    Args:
        alpha: fraction of the ``l`` words replaced (at least one when a word has an antonym).
        faithful: reference-style preprocessing (lower-case ``[a-z ]`` text, every occurrence replaced).
        protected_words: words never changed.

    Example:
        >>> from augkit.text.eda import AntonymReplacement
        >>> AntonymReplacement(alpha=0.1, p=1.0)(text="A happy ending.", rng=2)["text"]
        'An unhappy ending.'
    """

    _op = "ar"


class EDA(_EDABase):
    """The EDA recipe: ``n_aug`` outputs per text, each made by ONE of SR, RI, RS, RD with that operation's alpha.

    The operations are drawn as in the reference code: ``int(n_aug / k) + 1`` copies of each of the ``k``
    operations whose alpha is above zero, shuffled, the first ``n_aug`` kept (with all four: ``n_aug=9`` gives
    three of each, three of them dropped at random). ``keep_original`` appends the input as a last copy, as the
    reference does. The paper's recommended settings by training-set size (Table 3; see
    :data:`EDA_RECOMMENDED` and :meth:`recommended`):

    ========  =====  =====
    N_train   alpha  n_aug
    ========  =====  =====
    500       0.05   16
    2,000     0.05   8
    5,000+    0.1    4
    ========  =====  =====

    The clean mode (default) keeps case, punctuation and spacing, inflects synonyms and never touches protected
    spans; ``faithful=True`` reproduces the reference code instead (its preprocessing to lower-case ``[a-z ]``,
    SR replacing every occurrence of a chosen word, RI inserting the first synonym of any word, stop-words
    included, RS giving up after three equal draws); the synonym order is WordNet's sense order where the
    reference takes Python set order.

    Args:
        alpha_sr: alpha of synonym replacement (0 leaves SR out).
        alpha_ri: alpha of random insertion (0 leaves RI out).
        alpha_rs: alpha of random swap (0 leaves RS out).
        alpha_rd: deletion probability of random deletion (0 leaves RD out).
        faithful: reproduce the reference code, see above.
        keep_original: add the input text as the last copy (``n_aug + 1`` outputs).

    Example:
        >>> from augkit.text.eda import EDA
        >>> eda = EDA(n_aug=4, p=1.0)
        >>> for line in eda(text="The quick brown fox jumps over the lazy dog.", rng=0)["text"]:
        ...     print(line)
        The quick brown fox jumps over the dog lazy.
        The quick brown fox jumps parachutes over the lazy dog.
        The quick brown fox jumps over the lazy trail.
        The promptly quick brown fox jumps over the lazy dog.
    """

    def __init__(
        self,
        alpha_sr: float = 0.1,
        alpha_ri: float = 0.1,
        alpha_rs: float = 0.1,
        alpha_rd: float = 0.1,
        n_aug: int = 9,
        faithful: bool = False,
        keep_original: bool = False,
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(faithful, protected_words, protected_patterns, p)
        owner = type(self).__name__
        self.alpha_sr = self._rate("alpha_sr", alpha_sr)
        self.alpha_ri = self._rate("alpha_ri", alpha_ri)
        self.alpha_rs = self._rate("alpha_rs", alpha_rs)
        self.alpha_rd = self._rate("alpha_rd", alpha_rd)
        if not any(self._alphas()):
            raise ArgumentError(
                f"{owner}: arguments 'alpha_sr', 'alpha_ri', 'alpha_rs', 'alpha_rd' expect one above 0; got all 0"
            )
        self.n_aug = as_int(owner, "n_aug", n_aug, low=1)
        self.keep_original = as_bool(owner, "keep_original", keep_original)

    def _alphas(self) -> tuple[float, float, float, float]:
        return (self.alpha_sr, self.alpha_ri, self.alpha_rs, self.alpha_rd)

    @classmethod
    def example(cls) -> EDA:
        return cls(n_aug=4, p=1.0)

    @classmethod
    def recommended(cls, n_train: int, **kwargs: Any) -> EDA:
        """The paper's setting for a training set of ``n_train`` texts (Table 3): below 2,000 the 500 row
        (alpha 0.05, n_aug 16), below 5,000 the 2,000 row (0.05, 8), otherwise alpha 0.1 and n_aug 4.
        Other arguments pass through.

        >>> EDA.recommended(1200)
        EDA(alpha_sr=0.05, alpha_ri=0.05, alpha_rs=0.05, alpha_rd=0.05, n_aug=16, faithful=False, keep_original=False, protected_words=(), protected_patterns=(), p=1.0)
        """  # noqa: E501
        size = as_int(cls.__name__, "n_train", n_train, low=1)
        alpha, n_aug = EDA_RECOMMENDED[0][1:]
        for threshold, a, n in EDA_RECOMMENDED:
            if size >= threshold:
                alpha, n_aug = a, n
        return cls(**{"alpha_sr": alpha, "alpha_ri": alpha, "alpha_rs": alpha, "alpha_rd": alpha, "n_aug": n_aug, **kwargs})

    def copies(self) -> int:
        return self.n_aug + self.keep_original

    def operations(self, rng: np.random.Generator) -> list[str]:
        """Draw the operation of each of the ``n_aug`` outputs, as the reference code distributes them."""
        active = [op for op, alpha in zip(_OPS, self._alphas(), strict=True) if alpha > 0]
        pool = [op for op in active for _ in range(self.n_aug // len(active) + 1)]
        return [pool[k] for k in pick(rng, len(pool), self.n_aug)]

    def sample(self, rng: np.random.Generator, state: Any) -> dict[str, Any]:
        return {"texts": [self.sample_copies(rng, text) for text in state.texts]}

    def sample_copies(self, rng: np.random.Generator, text: str) -> list[Params]:
        """The edits of every output for one text."""
        alphas = dict(zip(_OPS, self._alphas(), strict=True))
        drawn = [self._sample_op(op, alphas[op], rng, text) for op in self.operations(rng)]
        return [*drawn, {"op": "none"}] if self.keep_original else drawn

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        return self.sample_copies(rng, text)[0]
