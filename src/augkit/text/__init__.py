"""Text augmentation: EDA on a bundled WordNet table, character noise, sentence operations and
optional model-based rewriting. Calls take ``text`` (a ``str`` or a list of ``str``); see
:mod:`augkit.text.base`.
"""

from augkit.text.base import TextTransform
from augkit.text.tokens import Protection, Token, rebuild, tokenize, word_positions

__all__ = ["Protection", "TextTransform", "Token", "rebuild", "tokenize", "word_positions"]
