"""Rule-based syntactic reordering: move a subordinate clause to the front of its sentence or to its end.

>>> reorder_clauses("We stayed home because it rained. If you heat ice, it melts.")
'Because it rained, we stayed home. It melts if you heat ice.'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.text.common import ProtectedTextTransform
from augkit.text.edits import is_title_word, sentences
from augkit.text.tokens import Protection, Token, tokenize

__all__ = ["SUBORDINATORS", "SyntaxReorder", "reorder_clauses"]

SUBORDINATORS: frozenset[str] = frozenset((
    "because", "if", "when", "whenever", "although", "though", "while", "whereas", "since", "after", "before",
    "unless", "once", "until"
))  # fmt: skip
"""Words that open the subordinate clauses :class:`SyntaxReorder` moves."""

_ENDS = frozenset(".!?…\"'”’»)]}")
_BREAKS = frozenset(";:—–")
# A clause after these is their object ("I wonder if it works"), not an adverbial clause: it stays.
_COMPLEMENT = frozenset((
    "know", "knew", "known", "knows", "wonder", "wondered", "wonders", "ask", "asked", "asks", "see", "saw", "sees",
    "tell", "told", "tells", "remember", "remembered", "forget", "forgot", "decide", "decided", "sure", "unsure",
    "doubt", "doubted", "check", "checked", "unclear", "clear", "idea"
))  # fmt: skip


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(tokens: Sequence[Token]) -> str:
    return "".join(t.text for t in tokens).strip()


def _lower_head(tokens: list[Token]) -> list[Token]:
    """The tokens with a capitalized common first word lower-cased (``We`` -> ``we``; ``I`` and names in capitals stay)."""
    if tokens and tokens[0].kind == "word" and is_title_word(tokens[0].text):
        first = tokens[0]
        return [first._replace(text=first.text.lower()), *tokens[1:]]
    return tokens


def _is_content(token: Token) -> bool:
    return token.kind in ("word", "protected")


def _reorder(body: list[Token], capital: bool) -> str | None:
    """The reordered sentence body, or None when it has no movable clause."""
    content = [i for i, t in enumerate(body) if _is_content(t)]
    if len(content) < 4 or any(t.kind == "punct" and t.text in _BREAKS for t in body):
        return None
    first = body[content[0]]
    commas = [i for i, t in enumerate(body) if t.kind == "punct" and t.text == ","]
    second = body[content[1]]
    even = first.text.lower() == "even" and second.kind == "word" and second.text.lower() in ("if", "though")
    if content[0] == 0 and first.kind == "word" and (first.text.lower() in SUBORDINATORS or even):
        # fronted: "Because Y, X" -> "X because Y"
        if len(commas) != 1:
            return None
        c = commas[0]
        clause, main = body[:c], body[c + 1 :]
        if sum(map(_is_content, clause)) < 3 + even or sum(map(_is_content, main)) < 2:
            return None
        head = first._replace(text=first.text.lower())
        main_text = _join(main)
        return (_upper_first(main_text) if capital else main_text) + " " + _join([head, *clause[1:]])
    # trailing: "X because Y" -> "Because Y, X"
    for rank, j in enumerate(content[2:], start=2):
        token = body[j]
        if token.kind != "word" or token.text.lower() not in SUBORDINATORS:
            continue
        before = body[content[rank - 1]]
        start = j
        if before.text.lower() == "even" and rank >= 3:  # 'even if', 'even though' move together
            start = content[rank - 1]
            before = body[content[rank - 2]]
        if before.text.lower() in _COMPLEMENT:
            return None
        main, clause = body[:start], body[start:]
        while main and (main[-1].kind == "space" or (main[-1].kind == "punct" and main[-1].text == ",")):
            main = main[:-1]
        if sum(map(_is_content, clause)) < 3 or sum(map(_is_content, main)) < 2:
            return None
        if any(t.kind == "punct" and t.text == "," for t in main + clause):
            return None
        clause_text = _join(clause)
        return (_upper_first(clause_text) if capital else clause_text) + ", " + _join(_lower_head(main))
    return None


def reorder_clauses(text: str, protection: Protection | None = None) -> str:
    """Move the subordinate clause of every sentence that has one: a trailing clause to the front (``X because
    Y.`` -> ``Because Y, X.``) or a fronted one to the end (``If Y, X.`` -> ``X if Y.``), fixing the comma and
    the capitals. Questions, sentences with ``;``/``:``/dashes or other commas, clauses of fewer than three
    words (``before noon``) and clauses that are objects (``I wonder if it works``) are left alone.

    >>> reorder_clauses("She smiled, although she was tired!")
    'Although she was tired, she smiled!'
    >>> reorder_clauses("I left before noon. I wonder if it works.")
    'I left before noon. I wonder if it works.'
    """
    tokens = tokenize(text, protection)
    out: list[str] = []
    last = 0
    for a, b in sentences(tokens):
        k = b
        while k > a and tokens[k - 1].kind == "punct" and tokens[k - 1].text in _ENDS:
            k -= 1
        tail = "".join(t.text for t in tokens[k:b])
        if "?" in tail:
            continue
        body = list(tokens[a:k])
        new = _reorder(body, capital=tokens[a].text[:1].isupper())
        if new is None:
            continue
        out.append(text[last : tokens[a].start])
        out.append(new + tail)
        last = tokens[b - 1].end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


class SyntaxReorder(ProtectedTextTransform):
    """Move subordinate clauses by rules: ``X because Y.`` <-> ``Because Y, X.``, with ``if``, ``when``,
    ``whenever``, ``although``, ``though``, ``while``, ``whereas``, ``since``, ``after``, ``before``, ``unless``,
    ``once``, ``until`` likewise (:func:`reorder_clauses` lists what is left alone). Deterministic: every
    sentence with a movable clause is rewritten; texts without one come back unchanged. The rules do not
    parse: ``since``/``while`` read as conjunctions even where they are not, and a capitalized name that
    starts a moved main clause is lower-cased like a common word.

    Args:
        protected_words: words never changed; they move with their clause (whole words, case-insensitive).

    Example:
        >>> from augkit.text.syntax import SyntaxReorder
        >>> SyntaxReorder()(text="The dog barks when the bell rings.")["text"]
        'When the bell rings, the dog barks.'
    """

    has_random_params = False

    def sample_text(self, rng: np.random.Generator, text: str) -> dict[str, Any]:
        return {}

    def apply_text(self, text: str, params: dict[str, Any], /) -> str:
        return reorder_clauses(text, self._protection)
