"""Text augmentation: EDA on a bundled WordNet table, character noise, word and sentence operations,
and optional model-based rewriting. Calls take ``text`` (a ``str`` or a list of ``str``); see
:mod:`augkit.text.base`. Numbers, URLs, e-mail addresses, ``@mentions`` and the user's protected
words and patterns are never changed.

>>> import augkit as ak
>>> ak.text.SynonymReplacement(alpha=0.2, p=1.0)(text="The cats sat on the old mat.", rng=0)["text"]
'The cats sat on the former mat.'
"""

from augkit.text.base import TextTransform
from augkit.text.chars import CharDelete, CharInsert, CharSwap, KeyboardTypo, OCRNoise
from augkit.text.eda import (
    EDA,
    EDA_RECOMMENDED,
    AntonymReplacement,
    RandomDeletion,
    RandomInsertion,
    RandomSwap,
    SynonymReplacement,
)
from augkit.text.lexicon import STOP_WORDS, WordNet, inflect_like, load_wordnet
from augkit.text.models import BackTranslation, ContextualWordReplacement
from augkit.text.spelling import Contraction, SpellingNoise
from augkit.text.syntax import SyntaxReorder
from augkit.text.tokens import Protection, Token, rebuild, tokenize, word_positions
from augkit.text.words import PunctuationNoise, RandomCase, SentenceShuffle, WordShuffle

__all__ = [
    "EDA",
    "EDA_RECOMMENDED",
    "STOP_WORDS",
    "AntonymReplacement",
    "BackTranslation",
    "CharDelete",
    "CharInsert",
    "CharSwap",
    "ContextualWordReplacement",
    "Contraction",
    "KeyboardTypo",
    "OCRNoise",
    "Protection",
    "PunctuationNoise",
    "RandomCase",
    "RandomDeletion",
    "RandomInsertion",
    "RandomSwap",
    "SentenceShuffle",
    "SpellingNoise",
    "SynonymReplacement",
    "SyntaxReorder",
    "TextTransform",
    "Token",
    "WordNet",
    "WordShuffle",
    "inflect_like",
    "load_wordnet",
    "rebuild",
    "tokenize",
    "word_positions",
]
