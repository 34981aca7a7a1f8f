"""Synonym and antonym choices for the word-replacement transforms, from the bundled WordNet table.

A word's options are the synonyms (or antonyms) of each of its WordNet base forms, part of speech by part of
speech (noun, verb, adjective, adverb), without the word and its own base forms; a chosen option is inflected
like the word it replaces (:func:`augkit.text.lexicon.inflect_like`: ``cats`` -> ``felines``) and takes its
case. Options are computed once per lower-cased word and cached.

>>> options = synonym_options("cats")
>>> ("feline", "cat", "n") in options
False
>>> all(form == "cat" for _, form, _ in options)
True
>>> realize(("true cat", "cat", "n"), "Cats")
'True cats'
"""

from __future__ import annotations

import functools
import re

from augkit.text.lexicon import POS_TAGS, load_wordnet

__all__ = ["Option", "antonym_options", "faithful_synonyms", "realize", "synonym_options"]

Option = tuple[str, str, str]  # (replacement base form, base form of the original word, part of speech)
_NOT_AZ = re.compile(r"[^a-z ]")


@functools.lru_cache(maxsize=1 << 16)
def synonym_options(word: str) -> tuple[Option, ...]:
    """``(synonym, base form, pos)`` triples for the lower-case ``word``, in WordNet sense order, one per synonym."""
    return _options(word, antonyms=False)


@functools.lru_cache(maxsize=1 << 14)
def antonym_options(word: str) -> tuple[Option, ...]:
    """``(antonym, base form, pos)`` triples for the lower-case ``word`` (WordNet's direct antonyms).

    >>> [a for a, _, _ in antonym_options("happiest")]
    ['unhappy']
    """
    return _options(word, antonyms=True)


def _options(word: str, antonyms: bool) -> tuple[Option, ...]:
    wn = load_wordnet()
    skip = {word, *wn.lemmatize(word)}
    out: dict[str, Option] = {}
    for pos in POS_TAGS:
        for form in wn.lemmatize(word, pos):
            found = wn.antonyms(form, pos) if antonyms else wn.synonyms(form, pos)
            for name in found:
                if name not in skip and name not in out:
                    out[name] = (name, form, pos)
    return tuple(out.values())


@functools.lru_cache(maxsize=1 << 16)
def realize(option: Option, original: str) -> str:
    """The option inflected and cased like ``original`` (the word it replaces)."""
    name, form, pos = option
    return load_wordnet().inflect_like(name, original, form, pos=pos)


@functools.lru_cache(maxsize=1 << 14)
def faithful_synonyms(word: str) -> tuple[str, ...]:
    """Synonyms as the EDA reference code computes them: every lemma of every synset of ``word`` (all parts of
    speech), ``_`` and ``-`` read as spaces, reduced to ``[a-z ]``, without ``word`` itself (base forms stay:
    ``cats`` gives ``cat``). Sense order, duplicates removed (the reference uses an unordered set).

    >>> faithful_synonyms("cats")[:2]
    ('cat', 'true cat')
    """
    out: dict[str, None] = {}
    for synset in load_wordnet().synsets(word):
        for lemma in synset.lemmas:
            out[_NOT_AZ.sub("", lemma.replace("_", " ").replace("-", " ").lower())] = None
    out.pop(word, None)
    return tuple(out)
