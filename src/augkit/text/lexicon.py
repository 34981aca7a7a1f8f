"""English lexicon for the word-level text transforms: WordNet 3.0 synonyms, antonyms, lemmas, inflection.

The data is a compact table generated once from the Princeton WordNet 3.0 database files by
``scripts/build_wordnet_table.py`` and shipped with augkit (``augkit/text/data/wordnet30.bin.xz``, about 0.8 MB,
WordNet licence in ``WORDNET_LICENSE.txt`` beside it). Nothing is downloaded, and neither NLTK nor a POS tagger
is needed: :func:`load_wordnet` reads the table once per process.

Semantics follow NLTK's ``wordnet.synsets(word)`` as used by the EDA reference code (Wei & Zou 2019): the word is
lower-cased and lemmatized with WordNet's *morphy* (exception lists, then detachment rules, per part of speech)
and the synsets of every lemma found are visited over all parts of speech (noun, verb, adjective, adverb) unless
``pos`` restricts them. Results are deterministic: WordNet sense order (most frequent sense first), then the
order of the words inside a synset. All lemma strings are lower case; multi-word lemmas use spaces
(``"railway car"``).

>>> wn = load_wordnet()
>>> wn.lemmatize("geese")
['goose']
>>> wn.synonyms("car")[:3]
('auto', 'automobile', 'machine')
>>> wn.antonyms("happy")
('unhappy',)
>>> inflect_like("feline", "Cats", "cat")
'Felines'
"""

from __future__ import annotations

import json
import lzma
import struct
import threading
from array import array
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from augkit.core.errors import ArgumentError, describe

__all__ = ["POS_TAGS", "STOP_WORDS", "TABLE_PATH", "Synset", "WordNet", "inflect_like", "load_wordnet"]

TABLE_PATH: Path = Path(__file__).resolve().parent / "data" / "wordnet30.bin.xz"
"""The bundled table."""

POS_TAGS: tuple[str, ...] = ("n", "v", "a", "r")
"""WordNet parts of speech in search order: noun, verb, adjective (satellites included), adverb."""

_EDA_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
    it its itself they them their theirs themselves what which who whom this that these those am is are was were be
    been being have has had having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more most other some such no
    nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS: frozenset[str] = frozenset(_EDA_STOP_WORDS.split())
"""The 127 English stop words of the EDA reference code (its list also holds the empty string)."""

_MAGIC = b"AKWN"
_POS_INDEX = {"n": 0, "v": 1, "a": 2, "r": 3}
_POS_ALIASES = {
    "n": "n", "noun": "n", "v": "v", "verb": "v", "a": "a", "s": "a", "adj": "a", "adjective": "a",
    "r": "r", "adv": "r", "adverb": "r",
}  # fmt: skip
# WordNet's rules of detachment (morph(7WN)), tried in this order.
_DETACH: dict[str, tuple[tuple[str, str], ...]] = {
    "n": (("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}  # fmt: skip
_EXC_SECTIONS = {"n": "exc_noun", "v": "exc_verb", "a": "exc_adj", "r": "exc_adv"}
_VOWELS = frozenset("aeiou")
# Regular endings of inflected forms: (part of speech, ending, kind), tried in this order.
_REGULAR = (("v", "ing", "ing"), ("v", "ed", "ed"), ("n", "s", "pl"), ("v", "s", "s"), ("a", "est", "est"), ("a", "er", "er"))
_PARTICIPLE = ("en", "wn", "ne", "un", "ung", "um", "unk")  # endings of irregular past participles (taken, gone, sung)


class Synset(NamedTuple):
    """One WordNet synset: its index in the table, part of speech (``'n'``, ``'v'``, ``'a'``, ``'r'``), lemmas."""

    id: int
    pos: str
    lemmas: tuple[str, ...]


def _pos_list(pos: str | None, where: str) -> tuple[str, ...]:
    if pos is None:
        return POS_TAGS
    tag = _POS_ALIASES.get(pos.lower()) if isinstance(pos, str) else None
    if tag is None:
        raise ArgumentError(
            f"{where}: argument 'pos' expects None or one of 'n', 'v', 'a', 'r' (or 'noun', 'verb', 'adj', 'adv'); "
            f"got {describe(pos)}"
        )
    return (tag,)


def _normalise(word: str, where: str) -> str:
    if not isinstance(word, str):
        raise ArgumentError(f"{where}: argument 'word' expects a str; got {describe(word)}")
    return " ".join(word.replace("_", " ").lower().split())


def _parse_exc(text: str) -> dict[str, tuple[str, ...]]:
    """An exception list: inflected form -> base forms (a form listed on several lines gets all their bases)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        fields = [f.replace("_", " ") for f in line.split()]
        if len(fields) >= 2:
            out[fields[0]] = tuple(dict.fromkeys(out.get(fields[0], ()) + tuple(fields[1:])))
    return out


class WordNet:
    """Read-only view of the bundled WordNet 3.0 table; get the shared instance with :func:`load_wordnet`.

    Args:
        path: the table file written by ``scripts/build_wordnet_table.py``.

    Example:
        >>> wn = load_wordnet()
        >>> wn.counts["synsets"], wn.version
        (117659, '3.0')
        >>> "railway car" in wn.synonyms("car"), "railway car" in wn.synonyms("car", multiword=False)
        (True, False)
    """

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        content = lzma.decompress(self.path.read_bytes())
        if content[:4] != _MAGIC:
            raise ValueError(f"{self.path}: not an augkit WordNet table")
        (head_len,) = struct.unpack_from("<I", content, 4)
        self._header: dict[str, Any] = json.loads(content[8 : 8 + head_len])
        if self._header.get("format") != "augkit-wordnet-table" or self._header.get("format_version") != 1:
            raise ValueError(f"{self.path}: unsupported table format {self._header.get('format_version')!r}")
        base = 8 + head_len
        sec = {s["name"]: (base + s["offset"], s["length"]) for s in self._header["sections"]}

        def raw(name: str) -> bytes:
            start, length = sec[name]
            return content[start : start + length]

        def ints(name: str, dtype: str) -> np.ndarray:
            start, length = sec[name]
            return np.frombuffer(content, dtype=dtype, count=length // np.dtype(dtype).itemsize, offset=start)

        counts = self._header["counts"]
        self._words: list[str] = raw("lemmas").decode("utf-8").split("\n")
        n_words = len(self._words)
        sizes = ints("synset_size", "u1")
        n_members = int(sizes.sum(dtype=np.int64))
        new = np.unpackbits(ints("member_new", "u1"), count=n_members).astype(bool)
        mem_lemma = np.empty(n_members, dtype=np.int32)
        mem_lemma[new] = np.arange(n_words, dtype=np.int32)
        mem_lemma[~new] = ints("member_repeat", "<u4")
        by_type = counts["synsets_by_type"]
        per_pos = [by_type["n"], by_type["v"], by_type["a"] + by_type["s"], by_type["r"]]
        syn_pos = np.repeat(np.arange(4, dtype=np.int32), per_pos)
        mem_synset = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
        mem_pos = syn_pos[mem_synset]
        # Members of one (lemma, pos) in sense order: sort by key = 4 * lemma + pos, then by sense number.
        key = mem_lemma.astype(np.int64) * 4 + mem_pos
        order = np.lexsort((ints("member_sense", "u1"), key))
        key_start = np.zeros(4 * n_words + 1, dtype=np.int64)
        np.cumsum(np.bincount(key, minlength=4 * n_words), out=key_start[1:])
        syn_start = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=syn_start[1:])
        self._mem_lemma = array("i", mem_lemma.tobytes())
        self._mem_synset = array("i", mem_synset.tobytes())
        self._order = array("i", order.astype(np.int32).tobytes())
        self._key_start = array("q", key_start.tobytes())
        self._syn_start = array("q", syn_start.tobytes())
        self._ids = dict(zip(self._words, range(n_words), strict=True))
        pairs = ints("antonyms", "<u4").reshape(-1, 2).tolist()
        self._antonyms: dict[int, list[int]] = {}
        for src, dst in pairs:
            self._antonyms.setdefault(src, []).append(dst)
        self._exc = {p: _parse_exc(raw(name).decode("utf-8")) for p, name in _EXC_SECTIONS.items()}
        self._inverse: dict[str, dict[str, list[str]]] | None = None

    def __repr__(self) -> str:
        return f"WordNet(version={self.version!r}, lemmas={len(self._words)}, path={str(self.path)!r})"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return load_wordnet, (str(self.path),)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _normalise(word, "WordNet") in self._ids

    @property
    def version(self) -> str:
        """WordNet version of the source files (``'3.0'``)."""
        return str(self._header["wordnet_version"])

    @property
    def counts(self) -> dict[str, Any]:
        """Counts recorded by the build script (synsets, lemmas, senses, antonym pointers and pairs ...)."""
        return json.loads(json.dumps(self._header["counts"]))

    @property
    def header(self) -> dict[str, Any]:
        """A copy of the table header: format, WordNet version, counts, SHA-256 of every input file."""
        return json.loads(json.dumps(self._header))

    # -- lookups ---------------------------------------------------------------------------------------------
    def _members(self, lemma: str, pos: str) -> array:
        wid = self._ids.get(lemma)
        if wid is None:
            return array("i")
        k = 4 * wid + _POS_INDEX[pos]
        return self._order[self._key_start[k] : self._key_start[k + 1]]

    def _has(self, lemma: str, pos: str) -> bool:
        wid = self._ids.get(lemma)
        if wid is None:
            return False
        k = 4 * wid + _POS_INDEX[pos]
        return self._key_start[k + 1] > self._key_start[k]

    def _morphy(self, word: str, pos: str) -> list[str]:
        """WordNet's morphy for one part of speech: the exception list, else each rule of detachment once."""
        exceptions = self._exc[pos].get(word)
        if exceptions is not None:
            candidates: Iterable[str] = (word, *exceptions)
        else:
            candidates = [word] + [word[: len(word) - len(old)] + new for old, new in _DETACH[pos] if word.endswith(old)]
        out: list[str] = []
        for form in candidates:
            if form not in out and self._has(form, pos):
                out.append(form)
        return out

    def _forms(self, word: str, pos: str | None, where: str) -> list[tuple[str, list[str]]]:
        tags = _pos_list(pos, where)
        w = _normalise(word, where)
        return [(p, self._morphy(w, p)) for p in tags] if w else []

    def lemmatize(self, word: str, pos: str | None = None) -> list[str]:
        """WordNet base forms of ``word`` (morphy), over all parts of speech in the order n, v, a, r or one ``pos``.

        The exception list of the part of speech is searched first; otherwise each rule of detachment is applied
        once to ``word`` (WordNet's morphy; NLTK's copy also re-applies the rules to their own output when nothing
        is found). Forms that are WordNet lemmas of that part of speech are kept, ``word`` itself first when it is
        one. A word unknown to WordNet gives ``[]``.

        >>> wn = load_wordnet()
        >>> wn.lemmatize("cats"), wn.lemmatize("running", "v"), wn.lemmatize("ran")
        (['cat'], ['run'], ['run'])
        >>> wn.lemmatize("better", pos="a")
        ['better', 'good', 'well']
        >>> wn.lemmatize("qwzx")
        []
        """
        out: list[str] = []
        for _, forms in self._forms(word, pos, "WordNet.lemmatize"):
            out.extend(f for f in forms if f not in out)
        return out

    def is_lemma(self, word: str, pos: str | None = None) -> bool:
        """Whether ``word`` (lower-cased, ``_`` read as a space) is a WordNet lemma of ``pos`` (any when ``None``).

        >>> load_wordnet().is_lemma("cats"), load_wordnet().is_lemma("cat", "v")
        (False, True)
        """
        w = _normalise(word, "WordNet.is_lemma")
        return any(self._has(w, p) for p in _pos_list(pos, "WordNet.is_lemma"))

    def synsets(self, word: str, pos: str | None = None) -> tuple[Synset, ...]:
        """The synsets of ``word`` as NLTK's ``wordnet.synsets(word, pos)`` would list them, in sense order.

        >>> load_wordnet().synsets("cars", "n")[0].lemmas
        ('car', 'auto', 'automobile', 'machine', 'motorcar')
        """
        out: dict[int, Synset] = {}
        for p, forms in self._forms(word, pos, "WordNet.synsets"):
            for form in forms:
                for m in self._members(form, p):
                    s = self._mem_synset[m]
                    if s not in out:
                        lemmas = tuple(self._words[self._mem_lemma[i]] for i in range(self._syn_start[s], self._syn_start[s + 1]))
                        out[s] = Synset(s, p, lemmas)
        return tuple(out.values())

    def synonyms(self, word: str, pos: str | None = None, *, multiword: bool = True) -> tuple[str, ...]:
        """Lemmas sharing a synset with ``word``, in sense order, without ``word`` and its own base forms.

        ``word`` is lemmatized first (so ``"cars"`` finds the synsets of ``"car"``); the base forms found this way
        are left out of the result as well (EDA's reference removes only the word itself, which lets it "replace"
        ``cars`` by ``car``). ``multiword=False`` drops lemmas that contain a space. Unknown words give ``()``.

        >>> wn = load_wordnet()
        >>> wn.synonyms("cars", "n")[:4]
        ('auto', 'automobile', 'machine', 'motorcar')
        >>> wn.synonyms("quick", "r")
        ('promptly', 'quickly')
        >>> wn.synonyms("qwzx")
        ()
        """
        forms = self._forms(word, pos, "WordNet.synonyms")
        skip = {_normalise(word, "WordNet.synonyms")}
        skip.update(f for _, fs in forms for f in fs)
        out: dict[str, None] = {}
        words, mem_lemma, mem_synset, syn_start = self._words, self._mem_lemma, self._mem_synset, self._syn_start
        for p, fs in forms:
            for form in fs:
                for m in self._members(form, p):
                    s = mem_synset[m]
                    for i in range(syn_start[s], syn_start[s + 1]):
                        name = words[mem_lemma[i]]
                        if name not in skip and (multiword or " " not in name):
                            out[name] = None
        return tuple(out)

    def antonyms(self, word: str, pos: str | None = None, *, multiword: bool = True) -> tuple[str, ...]:
        """Direct antonyms of ``word`` (WordNet's word-to-word ``!`` pointers of its base forms), in sense order.

        Only the antonym pointers of the senses of ``word`` itself count, not those of its synonyms (nlpaug's
        AntonymAug takes the antonyms of every lemma of every synset). Unknown words give ``()``.

        >>> wn = load_wordnet()
        >>> wn.antonyms("happy"), wn.antonyms("Good", "a")[:2], wn.antonyms("ran", "v")
        (('unhappy',), ('bad', 'evil'), ('idle',))
        """
        out: dict[str, None] = {}
        for p, fs in self._forms(word, pos, "WordNet.antonyms"):
            for form in fs:
                for m in self._members(form, p):
                    for t in self._antonyms.get(m, ()):
                        name = self._words[self._mem_lemma[t]]
                        if multiword or " " not in name:
                            out[name] = None
        return tuple(out)

    # -- inflection ------------------------------------------------------------------------------------------
    def _inverse_exc(self) -> dict[str, dict[str, list[str]]]:
        if self._inverse is None:
            inverse: dict[str, dict[str, list[str]]] = {}
            for p, table in self._exc.items():
                inv: dict[str, list[str]] = {}
                for inflected, bases in table.items():
                    for base in bases:
                        if base != inflected:
                            inv.setdefault(base, []).append(inflected)
                inverse[p] = inv
            self._inverse = inverse
        return self._inverse

    def _kind(self, original: str, lemma: str, tags: tuple[str, ...]) -> tuple[str, str] | None:
        """How ``original`` is inflected from ``lemma``: (part of speech, 'pl'/'s'/'ed'/'en'/'ing'/'er'/'est')."""
        if original == lemma or not lemma:
            return None
        words, lemma_words = original.split(), lemma.split()
        if len(words) == len(lemma_words) > 1:  # a phrase: the one word that differs carries the inflection
            diff = [(w, lw) for w, lw in zip(words, lemma_words, strict=True) if w != lw]
            if len(diff) == 1:
                original, lemma = diff[0]
        for p in tags:  # irregular forms first
            if p != "r" and lemma in self._exc[p].get(original, ()):
                if p == "n":
                    return ("n", "pl")
                if p == "a":
                    return ("a", "est" if original.endswith("st") else "er")
                if original.endswith("ing"):
                    return ("v", "ing")
                if original.endswith("s") and not lemma.endswith("s"):
                    return ("v", "s")
                return ("v", "en" if original.endswith(_PARTICIPLE) and not lemma.endswith(_PARTICIPLE) else "ed")
        for p, suffix, kind in _REGULAR:
            if p in tags and original.endswith(suffix) and not lemma.endswith(suffix) and len(original) > len(lemma):
                return (p, kind)
        return None

    def _inflect_word(self, word: str, pos: str, kind: str, original: str) -> str:
        inv = self._inverse_exc()[pos].get(word, [])
        if pos == "n":
            if word in self._exc["n"] or (word.endswith("s") and self._has(word[:-1], "n")):
                return word  # already a plural form
            return inv[0] if inv else _suffix(word, "es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")
        if pos == "a":
            cands = [f for f in inv if f.endswith("st") == (kind == "est")]
            if cands:
                return cands[0]
            groups = _vowel_groups(word)
            if groups == 1 or (groups == 2 and word.endswith("y")):
                return _suffix(word, kind)
            return ("more " if kind == "er" else "most ") + word
        if kind == "ing":
            cands = [f for f in inv if f.endswith("ing")]
        elif kind == "s":
            cands = [f for f in inv if f.endswith("s")]
        else:
            cands = [f for f in inv if not f.endswith(("ing", "s"))]
            if len(cands) > 1:  # past tense and past participle: prefer the shape of the original
                cands = [f for f in cands if f.endswith(_PARTICIPLE) == (kind == "en")] or cands
        if cands:
            return cands[0]
        if kind == "s":
            return _suffix(word, "es" if word.endswith(("s", "x", "z", "ch", "sh", "o")) else "s")
        return _suffix(word, "ing" if kind == "ing" else "ed")

    def inflect_like(self, replacement: str, original: str, lemma: str, *, pos: str | None = None) -> str:
        """Same as the module function :func:`inflect_like`, with this table's exception lists."""
        for name, value in (("replacement", replacement), ("original", original), ("lemma", lemma)):
            if not isinstance(value, str):
                raise ArgumentError(f"inflect_like: argument {name!r} expects a str; got {describe(value)}")
        tags = _pos_list(pos, "inflect_like")
        result = " ".join(replacement.replace("_", " ").split())
        kind = self._kind(original.strip().lower(), _normalise(lemma, "inflect_like"), tags)
        if kind is not None and result:
            p, k = kind
            words = result.lower().split(" ")
            at = 0 if p == "v" else len(words) - 1
            words[at] = self._inflect_word(words[at], p, k, original)
            result = " ".join(words)
        return _copy_case(result, original)


def _vowel_groups(word: str) -> int:
    groups, prev = 0, False
    for ch in word:
        vowel = ch in _VOWELS or (ch == "y" and not prev and groups > 0)
        groups += vowel and not prev
        prev = vowel
    return groups


def _suffix(word: str, suffix: str) -> str:
    """Regular English suffixation: ``-s/-es``, ``-ed``, ``-ing``, ``-er``, ``-est`` with the usual spelling changes."""
    if suffix in ("s", "es"):
        if len(word) > 1 and word[-1] == "y" and word[-2] not in _VOWELS:
            return word[:-1] + "ies"
        return word + suffix
    if len(word) > 1 and word[-1] == "y" and word[-2] not in _VOWELS:
        return word + suffix if suffix == "ing" else word[:-1] + "i" + suffix
    if word.endswith("ie") and suffix == "ing":
        return word[:-2] + "ying"
    if word.endswith("e"):
        if suffix == "ing":
            return word + "ing" if word.endswith(("ee", "ye", "oe")) or len(word) <= 2 else word[:-1] + "ing"
        return word[:-1] + suffix
    # Double a final consonant after a single vowel in a one-syllable word: stop -> stopped, big -> bigger.
    if (
        len(word) >= 3
        and word[-1] not in _VOWELS
        and word[-1] not in "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
        and _vowel_groups(word) == 1
    ):
        return word + word[-1] + suffix
    return word + suffix


def _copy_case(text: str, original: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return text.upper()
    text = text.lower()
    if letters and letters[0].isupper():
        return text[:1].upper() + text[1:]
    return text


def inflect_like(replacement: str, original: str, lemma: str, *, pos: str | None = None) -> str:
    """``replacement`` (a base form) inflected and cased like ``original``, an inflected form of ``lemma``.

    The inflection of ``original`` relative to ``lemma`` is found from WordNet's exception lists (``geese`` is
    the plural of ``goose``, ``ran`` a past of ``run``, ``better`` a comparative of ``good``) or from its regular
    ending (``-s``/``-es``/``-ies``, ``-ed``, ``-ing``, ``-er``, ``-est``), then applied to ``replacement``:
    irregular forms come from the inverted exception lists (the first in file order when there are several),
    regular ones follow the usual spelling rules (``y`` -> ``ies``/``ied``, silent ``e`` dropped, a final consonant
    of a one-syllable word doubled); long adjectives take ``more``/``most``. A multi-word replacement inflects its
    last word for nouns and adjectives and its first word for verbs. A word ending in ``-s`` is read as a plural
    noun unless ``pos='v'`` says it is a verb. Finally the case of ``original`` is copied: UPPER, Capitalized or
    lower.

    >>> inflect_like("feline", "cats", "cat"), inflect_like("goose", "Dogs", "dog")
    ('felines', 'Geese')
    >>> inflect_like("go", "RAN", "run"), inflect_like("look up", "searching", "search")
    ('WENT', 'looking up')
    >>> inflect_like("motor car", "cars", "car"), inflect_like("hurry", "runs", "run", pos="v")
    ('motor cars', 'hurries')
    >>> inflect_like("seek", "looked up", "look up")
    'sought'

    >>> inflect_like("big", "happier", "happy"), inflect_like("comfortable", "happiest", "happy")
    ('bigger', 'most comfortable')
    """
    return load_wordnet().inflect_like(replacement, original, lemma, pos=pos)


_CACHE: dict[Path, WordNet] = {}
_LOCK = threading.Lock()


def load_wordnet(path: str | PathLike[str] | None = None) -> WordNet:
    """The :class:`WordNet` table at ``path`` (default: the bundled one), loaded once per process and cached.

    >>> load_wordnet() is load_wordnet()
    True
    """
    key = Path(path).resolve() if path is not None else TABLE_PATH
    with _LOCK:
        wn = _CACHE.get(key)
        if wn is None:
            wn = _CACHE[key] = WordNet(key)
    return wn
