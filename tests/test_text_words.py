"""Word order, sentence order, case, punctuation, spelling noise, contractions and clause reordering."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Any

import numpy as np
import pytest

from augkit.core.errors import ArgumentError, TargetTypeError
from augkit.text.edits import sentences
from augkit.text.spelling import Contraction, SpellingNoise, misspellings
from augkit.text.syntax import SyntaxReorder, reorder_clauses
from augkit.text.tokens import tokenize
from augkit.text.words import PunctuationNoise, RandomCase, SentenceShuffle, WordShuffle

TEXT = "The quick brown fox jumps over the lazy dog. It was not amused, said Dr. Smith at 10:30!"
CLASSES = (WordShuffle, SentenceShuffle, RandomCase, PunctuationNoise, SpellingNoise, Contraction, SyntaxReorder)


def first_params(t: Any, text: str, seed: int) -> tuple[str, dict[str, Any]]:
    out = t(text=text, rng=seed, record=True)
    return out["text"], out["applied"][0]["params"]["texts"][0][0]


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text) if t.kind == "word"]


def skeleton(text: str) -> list[tuple[str, str]]:
    """Everything but the editable words."""
    return [(t.kind, t.text) for t in tokenize(text) if t.kind != "word"]


# ---------------------------------------------------------------------------------------------- shuffles
def test_word_shuffle_permutes_within_sentences() -> None:
    t = WordShuffle(p=1.0)
    changed = 0
    for seed in range(20):
        out = t(text=TEXT, rng=seed)["text"]
        assert skeleton(out) == skeleton(TEXT)  # punctuation, spaces and protected tokens in place
        spans = sentences(tokenize(TEXT))  # the output has the same tokens, in the same places
        before = [Counter(t.text.lower() for t in tokenize(TEXT)[a:b] if t.kind == "word") for a, b in spans]
        after = [Counter(t.text.lower() for t in tokenize(out)[a:b] if t.kind == "word") for a, b in spans]
        assert before == after
        assert out[0].isupper() and "It" not in out.split(". ")[1][3:]
        changed += out != TEXT
    assert changed >= 18


@pytest.mark.parametrize("window", [1, 2, 3])
def test_word_shuffle_window_bounds_displacement(window: int) -> None:
    text = " ".join(f"w{chr(97 + i)}x" for i in range(20)).replace("w", "v")  # 20 distinct lower-case words
    original = text.split()
    t = WordShuffle(window=window, p=1.0)
    moved = 0
    for seed in range(30):
        out = t(text=text, rng=seed)["text"].split()
        assert sorted(out) == sorted(original)
        for position, word in enumerate(out):
            shift = abs(original.index(word) - position)
            assert shift <= window
            moved = max(moved, shift)
    assert moved == window


def test_sentence_shuffle() -> None:
    text = "First one.  Second, with Dr. Who! Third? Fourth e.g. this"
    spans = sentences(tokenize(text))
    parts = ["".join(t.text for t in tokenize(text)[a:b]) for a, b in spans]
    assert parts == ["First one.", "Second, with Dr. Who!", "Third?", "Fourth e.g. this"]
    t = SentenceShuffle(p=1.0)
    seen = set()
    for seed in range(30):
        out, params = first_params(t, text, seed)
        assert sorted(params["order"]) == [0, 1, 2, 3]
        assert out == re.sub(r"\S.*", lambda m: m.group(), out)
        pieces = [parts[k] for k in params["order"]]
        assert out == pieces[0] + "  " + pieces[1] + " " + pieces[2] + " " + pieces[3]
        seen.add(tuple(params["order"]))
    assert len(seen) > 10
    assert t(text="Only one sentence here.", rng=0)["text"] == "Only one sentence here."


# ---------------------------------------------------------------------------------------------- case, punctuation
def test_random_case_changes_only_case_of_n_words() -> None:
    t = RandomCase(word_rate=0.25, p=1.0)
    n_words = len(words(TEXT))
    for seed in range(15):
        out, params = first_params(t, TEXT, seed)
        assert out.lower() == TEXT.lower()
        assert len(params["changes"]) == math.ceil(0.25 * n_words)
        for _, new in params["changes"]:
            assert new in (new.upper(), new.lower(), new[:1].upper() + new[1:].lower())
    only = RandomCase(word_rate=1.0, cases=("random",), p=1.0)(text="abcdefgh ijklmnop", rng=0)["text"]
    assert only.lower() == "abcdefgh ijklmnop" and only != only.lower() and only != only.upper()
    with pytest.raises(ArgumentError, match="cases"):
        RandomCase(cases=("shout",))


def test_punctuation_insert_follows_aeda() -> None:
    text = "I really liked this movie because the actors were great and the story too"
    n = len(text.split())
    t = PunctuationNoise(p=1.0)
    counts: Counter[int] = Counter()
    for seed in range(200):
        out, params = first_params(t, text, seed)
        k = len(params["inserts"])
        assert 1 <= k <= int(0.3 * n + 1)
        counts[k] += 1
        assert [w for w in out.split() if w not in {".", ";", "?", ":", "!", ","}] == text.split()
        assert len(out.split()) == n + k
    assert set(counts) == set(range(1, int(0.3 * n + 1) + 1))  # every count in AEDA's range occurs


def test_punctuation_delete() -> None:
    text = "Well , this is odd: really, truly odd!"
    t = PunctuationNoise(action="delete", ratio=1.0, marks=(",", ":"), p=1.0)
    assert t(text=text, rng=0)["text"] == "Well this is odd really truly odd!"
    kept = PunctuationNoise(action="delete", ratio=0.0, p=1.0)(text=text, rng=0)["text"]
    assert kept == text


# ---------------------------------------------------------------------------------------------- spelling
def test_misspelling_rules_on_known_words() -> None:
    assert misspellings("their")[:2] == ("there", "they're")
    assert "its" in misspellings("it's") and "then" in misspellings("than")
    for word, wrong in (
        ("necessary", "neccessary"),
        ("necessary", "necesary"),
        ("occurrence", "occurence"),
        ("receive", "recieve"),
        ("believe", "beleive"),
        ("definite", "definate"),
        ("knife", "nife"),
        ("thumb", "thum"),
        ("responsible", "responsable"),
        ("existence", "existance"),
        ("calendar", "calender"),
        ("beautiful", "beautifull"),
        ("separate", "seperate"),
        ("phone", "fone"),
        ("truly", "truely"),
        ("argument", "arguement"),
        ("tomorrow", "tomorow"),
    ):
        assert wrong in misspellings(word), (word, misspellings(word))
    assert all(m != "necessary" for m in misspellings("necessary"))
    assert misspellings("xyz") == ()


def test_spelling_noise_counts_and_case() -> None:
    text = "Their Necessary ARGUMENT was definitely separate from the beautiful calendar"
    n = math.ceil(0.3 * len(words(text)))
    t = SpellingNoise(p=1.0)
    tokens = tokenize(text)
    for seed in range(20):
        _, params = first_params(t, text, seed)
        assert len(params["changes"]) == n
        for index, new in params["changes"]:
            old = tokens[index].text
            assert new.lower() in misspellings(old.lower())
            assert (old.isupper() and new.isupper()) or (old[0].isupper() == new[0].isupper())
    assert SpellingNoise(word_rate=1.0, p=1.0)(text="its fine", rng=0)["text"] == "it's fine"
    assert SpellingNoise(word_rate=1.0, p=1.0)(text="It’s", rng=0)["text"] == "Its"


# ---------------------------------------------------------------------------------------------- contractions
PAIRS = [
    (
        "I am sure it is fine, but they will not go and we cannot stay.",
        "I'm sure it's fine, but they won't go and we can't stay.",
    ),
    ("Do not worry, you are not late and she would like that.", "Don't worry, you aren't late and she'd like that."),
    ("We should have known that it is not over.", "We should've known that it isn't over."),
]


@pytest.mark.parametrize(("expanded", "contracted"), PAIRS)
def test_contraction_round_trip(expanded: str, contracted: str) -> None:
    assert Contraction(direction="contract")(text=expanded)["text"] == contracted
    assert Contraction(direction="expand")(text=contracted)["text"] == expanded


def test_contraction_rules() -> None:
    contract = Contraction(direction="contract")
    expand = Contraction(direction="expand")
    assert contract(text="I know who he is.")["text"] == "I know who he is."  # no word follows
    assert contract(text="DO NOT ENTER")["text"] == "DON'T ENTER"
    assert expand(text="We’re sure it’s fine")["text"] == "We are sure it is fine"
    assert contract(text="It’s sure that it is fine")["text"] == "It’s sure that it’s fine"
    assert contract(text="I have a dog and he has a cat")["text"] == "I have a dog and he has a cat"
    protected = Contraction(direction="expand", protected_words=["don't"])
    assert protected(text="don't and can't")["text"] == "don't and cannot"
    both = Contraction(direction="both")
    assert both(text="I am sure you're right")["text"] == "I'm sure you are right"
    half = Contraction(direction="contract", rate=0.5)
    outcomes = Counter(half(text="do not, do not, do not, do not", rng=s)["text"].count("don't") for s in range(200))
    assert 1.7 < sum(k * v for k, v in outcomes.items()) / 200 < 2.3
    with pytest.raises(ArgumentError, match="direction"):
        Contraction(direction="sideways")


# ---------------------------------------------------------------------------------------------- clauses
CLAUSES = [
    ("We stayed home because it rained.", "Because it rained, we stayed home."),
    ("If you heat ice, it melts.", "It melts if you heat ice."),
    ("The dog barks when the bell rings!", "When the bell rings, the dog barks!"),
    ("She smiled although she was tired.", "Although she was tired, she smiled."),
    ("I stayed because I was tired.", "Because I was tired, I stayed."),
    ("Call me at 5 pm if you can.", "If you can, call me at 5 pm."),
    ("Even though it rained, they played.", "They played even though it rained."),
]


@pytest.mark.parametrize(("before", "after"), CLAUSES)
def test_syntax_reorder_known_sentences(before: str, after: str) -> None:
    t = SyntaxReorder()
    assert t(text=before)["text"] == after
    assert t(text=after)["text"] == before


def test_syntax_reorder_leaves_other_texts_alone() -> None:
    t = SyntaxReorder()
    for text in (
        "",
        "Hello.",
        "Nothing to move here.",
        "I left before noon.",
        "I wonder if it works.",
        "When did you come?",
        "We left; it rained because of the storm.",
    ):
        assert t(text=text)["text"] == text
    assert reorder_clauses("Hi. We left after the show ended. Bye.") == "Hi. After the show ended, we left. Bye."
    assert SyntaxReorder.has_random_params is False


# ---------------------------------------------------------------------------------------------- shared rules
@pytest.mark.parametrize("cls", CLASSES)
def test_shared_rules(cls: type) -> None:
    t = cls(p=1.0) if cls is not Contraction else Contraction(direction="both", rate=0.5)
    assert t(text="", rng=0)["text"] == ""
    one = t(text="Hello", rng=0)["text"]
    assert isinstance(one, str)
    if cls in (WordShuffle, SentenceShuffle, SyntaxReorder, Contraction):
        assert one == "Hello"
    with pytest.raises(TargetTypeError, match="text"):
        t(text=7, rng=0)
    texts = [TEXT, "I can't say that it is 100% right because @bob wrote it. Ok?"]
    out = t(text=texts, rng=4, record=True)
    record = json.loads(json.dumps(out["applied"], allow_nan=False))
    assert t.replay(record, text=texts)["text"] == out["text"]
    for before, after in zip(texts, out["text"], strict=True):
        for span in ("10:30", "100%", "@bob"):
            assert (span in before) <= (span in after)


@pytest.mark.parametrize("cls", CLASSES)
def test_unicode_text_survives(cls: type) -> None:
    text = "Der naïve Café-Besitzer sagt: 東京 ist schön 😀. Niño feliz, über alles!"
    t = cls(p=1.0)
    for seed in range(5):
        out = t(text=text, rng=seed)["text"]
        out.encode("utf-8")
        assert "😀" in out and "東京" in out
        if cls is not SpellingNoise:  # the others keep every letter
            assert Counter(c.lower() for c in out if c.isalpha()) == Counter(c.lower() for c in text if c.isalpha())


def test_generators_are_used_not_global_state() -> None:
    np.random.seed(0)
    a = WordShuffle(p=1.0)(text=TEXT, rng=np.random.default_rng(5))["text"]
    np.random.seed(1)
    b = WordShuffle(p=1.0)(text=TEXT, rng=np.random.default_rng(5))["text"]
    assert a == b
