"""Character noise: keyboard typos, OCR confusions, insertion, deletion, swaps; unicode safety."""

from __future__ import annotations

import functools
import json
import math
import unicodedata
from collections import Counter
from typing import Any

import pytest

from augkit.core.errors import ArgumentError, TargetTypeError
from augkit.text import CharDelete, CharInsert, CharSwap, KeyboardTypo, OCRNoise
from augkit.text.chars import graphemes, ocr_confusions, qwerty_neighbours
from augkit.text.tokens import tokenize

SENTENCE = "Several thousand people gathered outside the stadium before yesterday's championship match"
CLASSES = (KeyboardTypo, OCRNoise, CharInsert, CharDelete, CharSwap)


def changes_of(t: Any, text: str, seed: int) -> tuple[str, list[list[Any]]]:
    out = t(text=text, rng=seed, record=True)
    return out["text"], out["applied"][0]["params"]["texts"][0][0]["changes"]


def is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def test_qwerty_neighbours_match_the_keyboard() -> None:
    # read off a US keyboard by hand
    expected = {
        "f": "drtgvc",
        "j": "huikmn",
        "q": "wa",
        "m": "njk",
        "z": "asx",
        "s": "awedxz",
        "p": "ol",
        "b": "vghn",
    }
    table = qwerty_neighbours()
    assert set(table) == set("abcdefghijklmnopqrstuvwxyz")
    for key, near in expected.items():
        assert set(table[key]) == set(near), key
    for key, neighbours in table.items():  # adjacency is symmetric
        assert all(key in table[other] for other in neighbours)
    assert {"1", "2"} <= set(qwerty_neighbours(False)["q"])


@pytest.mark.parametrize(("word_rate", "char_rate"), [(0.1, 0.1), (0.3, 0.3), (0.5, 0.2)])
def test_keyboard_typo_uses_neighbours_and_counts(word_rate: float, char_rate: float) -> None:
    table = qwerty_neighbours()
    tokens = tokenize(SENTENCE)
    words = [t for t in tokens if t.kind == "word"]
    t = KeyboardTypo(word_rate=word_rate, char_rate=char_rate, p=1.0)
    for seed in range(10):
        _text, changes = changes_of(t, SENTENCE, seed)
        assert len(changes) == math.ceil(word_rate * len(words))
        for start, end, new in changes:
            old = SENTENCE[start:end]
            assert old in {t.text for t in words}
            assert len(old) >= 4 and len(new) == len(old)
            diffs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
            letters = sum(c.lower() in table for c in old)
            assert len(diffs) == min(letters, math.ceil(char_rate * len(old)))
            for a, b in diffs:
                assert b.lower() in table[a.lower()] and a.isupper() == b.isupper()


def _ocr_reachable(old: str, new: str) -> bool:
    """Whether ``new`` comes from ``old`` by replacing non-overlapping table entries (an independent search)."""
    table = ocr_confusions()

    @functools.cache
    def go(i: int, j: int) -> bool:
        if i == len(old):
            return j == len(new)
        if j < len(new) and old[i] == new[j] and go(i + 1, j + 1):
            return True
        for key, values in table.items():
            if old.startswith(key, i) and any(new.startswith(v, j) and go(i + len(key), j + len(v)) for v in values):
                return True
        return False

    return go(0, 0)


def test_ocr_noise_only_uses_its_table() -> None:
    text = "The modern library closed early; Olivia will collect 10 books tomorrow"
    t = OCRNoise(word_rate=0.5, char_rate=0.5, p=1.0)
    used = 0
    for seed in range(25):
        out, changes = changes_of(t, text, seed)
        for start, end, new in changes:
            old = text[start:end]
            assert new != old and _ocr_reachable(old, new), (old, new)
            used += 1
        assert "10" in out
    assert used > 50
    assert ocr_confusions()["rn"] == ("m",) and "0" in ocr_confusions()["O"]
    assert not _ocr_reachable("moon", "mzon")  # the checker can fail


def test_char_insert_delete_swap_edit_as_declared() -> None:
    for seed in range(15):
        _, changes = changes_of(CharInsert(p=1.0), SENTENCE, seed)
        for start, end, new in changes:
            old = SENTENCE[start:end]
            added = math.ceil(0.3 * len(old))
            assert len(new) == len(old) + added and is_subsequence(old, new)
            assert Counter(new) - Counter(old) <= Counter({c: added for c in old.lower() + old})
        _, changes = changes_of(CharInsert(alphabet="xyz", p=1.0), SENTENCE, seed)
        for start, end, new in changes:
            old = SENTENCE[start:end]
            assert is_subsequence(old, new) and set(Counter(new) - Counter(old)) <= set("xyz")
        _, changes = changes_of(CharDelete(p=1.0), SENTENCE, seed)
        for start, end, new in changes:
            old = SENTENCE[start:end]
            assert len(new) == len(old) - math.ceil(0.3 * len(old)) and is_subsequence(new, old) and new
        _, changes = changes_of(CharSwap(p=1.0), SENTENCE, seed)
        for start, end, new in changes:
            old = SENTENCE[start:end]
            assert sorted(new.lower()) == sorted(old.lower()) and new != old
            assert [c.isupper() for c in new] == [c.isupper() for c in old]


def test_char_swap_keeps_capitals_in_place() -> None:
    outs = {CharSwap(word_rate=1.0, char_rate=0.2, p=1.0)(text="Hello", rng=s)["text"] for s in range(20)}
    assert all(o[0].isupper() and o[1:].islower() for o in outs) and "Ehllo" in outs


def test_char_delete_never_empties_a_word() -> None:
    t = CharDelete(word_rate=1.0, char_rate=1.0, min_length=1, p=1.0)
    for seed in range(10):
        out = t(text="ab cd efgh", rng=seed)["text"]
        assert [len(w) for w in out.split(" ")] == [1, 1, 1]


@pytest.mark.parametrize("cls", CLASSES)
def test_protected_short_and_empty(cls: type) -> None:
    t = cls(word_rate=1.0, char_rate=0.5, protected_words=["stadium"], p=1.0)
    text = "Meet @alice at the stadium: https://example.com/tickets 2024 #final me@mail.org"
    for seed in range(10):
        out = t(text=text, rng=seed)["text"]
        for span in ("@alice", "stadium", "https://example.com/tickets", "2024", "#final", "me@mail.org", " at the "):
            assert span in out  # 'at', 'the' are shorter than min_length
    assert t(text="", rng=0)["text"] == ""
    assert t(text="cat", rng=0)["text"] == "cat"


@pytest.mark.parametrize("cls", CLASSES)
def test_unicode_survives(cls: type) -> None:
    text = "Le cafe\u0301 re\u0301sume\u0301 naïve Zürich 日本語のテキストです 👩\u200d💻 🇫🇷 Привет мир"
    t = cls(word_rate=1.0, char_rate=0.6, p=1.0)
    for seed in range(20):
        out = t(text=text, rng=seed)["text"]
        out.encode("utf-8")  # no lone surrogates
        for i, ch in enumerate(out):
            if unicodedata.combining(ch):
                assert i > 0 and out[i - 1].isalpha(), (out, i)  # every mark still sits on a letter
        assert "👩\u200d💻" in out and "🇫🇷" in out
        if cls is CharInsert:  # copies whole characters of the word, marks included
            assert out.count("\u0301") >= text.count("\u0301")
        elif cls is not CharDelete:
            assert out.count("\u0301") == text.count("\u0301")


def test_graphemes() -> None:
    assert graphemes("abc") == ["a", "b", "c"]
    assert graphemes("e\u0301a") == ["e\u0301", "a"]
    assert graphemes("👍🏽x") == ["👍🏽", "x"]
    assert graphemes("🇫🇷🇩🇪") == ["🇫🇷", "🇩🇪"]
    assert graphemes("👨\u200d👩\u200d👧") == ["👨\u200d👩\u200d👧"]
    assert "".join(graphemes("ok 👩\u200d💻 é")) == "ok 👩\u200d💻 é"


@pytest.mark.parametrize("cls", CLASSES)
def test_replay_non_string_and_arguments(cls: type) -> None:
    t = cls(p=1.0)
    texts = [SENTENCE, "Olivia reads books", ""]
    out = t(text=texts, rng=11, record=True)
    record = json.loads(json.dumps(out["applied"], allow_nan=False))
    assert t.replay(record, text=texts)["text"] == out["text"]
    assert out["text"][0] != SENTENCE
    with pytest.raises(TargetTypeError):
        t(text=42, rng=0)
    with pytest.raises(ArgumentError, match=f"{cls.__name__}: argument 'char_rate'"):
        cls(char_rate=2.0)
    with pytest.raises(ArgumentError, match="min_length"):
        cls(min_length=0)


def test_char_insert_alphabet_is_checked() -> None:
    with pytest.raises(ArgumentError, match="alphabet"):
        CharInsert(alphabet="")
    with pytest.raises(ArgumentError, match="alphabet"):
        CharInsert(alphabet="a b")


@pytest.mark.parametrize("cls", CLASSES)
def test_zero_rates_change_nothing(cls: type) -> None:
    assert cls(word_rate=0.0, p=1.0)(text=SENTENCE, rng=0)["text"] == SENTENCE
    assert cls(char_rate=0.0, p=1.0)(text=SENTENCE, rng=0)["text"] == SENTENCE


def test_plain_text_words_agree_with_the_tokenizer() -> None:
    from augkit.text.chars import _units  # the fast path for ASCII text without digits, '@', '#' or URLs
    from augkit.text.tokens import Protection

    texts = [
        SENTENCE,
        "Don't stop-me now... it's 'quoted' (really) — fine?! rock’n’roll",
        "O'Neil's well-known co-op: e.g. x.y; a_b c__d",
        "   leading and trailing   ",
    ]
    protections = [Protection(), Protection(("quick", "now"), ()), Protection((), (r"o\w+", r"ing\b"))]
    for text in texts:
        for protection in protections:
            units = _units(text, protection)
            expected = [(t.start, t.end) for t in tokenize(text, protection) if t.kind == "word"]
            assert [(a, b) for a, b, _ in units] == expected, (text, protection)
