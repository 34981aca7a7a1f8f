"""The tokenizer's tokens and ``rebuild``, the one implementation of deleting tokens with their spaces."""

from __future__ import annotations

import itertools

import pytest

from augkit.text.edits import delete_words
from augkit.text.tokens import Token, rebuild, tokenize, word_positions


def test_tokens_are_immutable_named_fields() -> None:
    token = tokenize("Hi there")[0]
    assert (token.start, token.end, token.text, token.kind) == (0, 2, "Hi", "word")
    assert token == Token(start=0, end=2, text="Hi", kind="word")
    with pytest.raises(AttributeError):
        token.text = "Ho"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "delete", "expected"),
    [
        ("the big red cat", [0, 2], "red cat"),  # two words in a row at the start: no leading space
        ("the big red cat", [0, 2, 4], "cat"),
        ("the big red cat", [2, 4], "the cat"),
        ("the big red cat", [4, 6], "the big"),
        ("the big red cat", [0, 6], "big red"),
        ("(the big) cat", [1, 3], "() cat"),
        ("(the cat)", [1], "(cat)"),  # after an opening bracket the space after the word goes
        ("one,  two three", [3], "one, three"),
        ("Hello, world", [1], "Hello world"),  # a mark takes no space after it ...
        ("wow!! yes", [2], "wow! yes"),
        ("( , b", [2], "( b"),  # ... but the space before it
    ],
)
def test_rebuild_deletes_tokens_with_one_space_each(text: str, delete: list[int], expected: str) -> None:
    assert rebuild(tokenize(text), delete=delete) == expected


def test_rebuild_replaces_and_deletes_together() -> None:
    tokens = tokenize("the big red cat")
    assert rebuild(tokens, replace={6: "dog"}, delete=[0, 2]) == "red dog"
    assert rebuild(tokens) == "the big red cat"


@pytest.mark.parametrize("text", ["the big red cat sat on the mat", "  we saw (two tiny) dogs, then left  ", "x y"])
def test_delete_words_spaces_words_as_rebuild_does(text: str) -> None:
    # lower-case words and no articles, so no capital is passed on and no article made to agree
    tokens = tokenize(text)
    words = word_positions(tokens)
    for size in (1, 2, 3):
        for chosen in itertools.combinations(words, min(size, len(words))):
            assert delete_words(text, list(chosen)) == rebuild(tokens, delete=chosen), chosen


def test_a_space_deleted_with_a_word_is_the_space_it_takes() -> None:
    tokens = tokenize("I came. I saw.")
    assert rebuild(tokens, delete=[4, 5]) == rebuild(tokens, delete=[5]) == "I came. saw."
    assert rebuild(tokenize("The quick brown"), delete=[1, 2]) == "The brown"
    assert rebuild(tokenize("  A happy dog"), delete=[0, 1]) == "happy dog"  # nothing left before: the space after
