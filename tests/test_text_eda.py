"""EDA operations, the EDA recipe and antonym replacement on the bundled WordNet table."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.core.errors import ArgumentError, TargetTypeError
from augkit.text import EDA, EDA_RECOMMENDED, AntonymReplacement, RandomDeletion, RandomInsertion, RandomSwap, SynonymReplacement
from augkit.text.eda import eda_clean
from augkit.text.lexicon import STOP_WORDS, load_wordnet
from augkit.text.tokens import tokenize

# Every content word is a WordNet base form, so a synonym comes back uninflected and can be checked directly.
BASE = "A happy child and a big dog walk to the quiet old house with a small red car"
OPERATIONS = (SynonymReplacement, RandomInsertion, RandomSwap, RandomDeletion, AntonymReplacement)


def params_of(out: dict[str, Any]) -> list[dict[str, Any]]:
    return out["applied"][0]["params"]["texts"][0]


def one(t: ak.BaseTransform, text: str, seed: int) -> tuple[str, dict[str, Any]]:
    out = t(text=text, rng=seed, record=True)
    return out["text"], params_of(out)[0]


def word_texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text) if t.kind == "word"]


def norm(word: str) -> str:
    """Case-folded, with 'an' read as 'a' (articles are made to agree with the word that follows them)."""
    word = word.lower()
    return "a" if word == "an" else word


def assert_natural(text: str) -> None:
    assert "  " not in text and text == text.strip()
    assert not re.search(r"\s[,.;:!?]", text)


# ---------------------------------------------------------------------------------------------- SR
@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.25, 0.5])
def test_synonym_replacement_changes_eda_count_words_from_the_table(alpha: float) -> None:
    wn = load_wordnet()
    tokens = tokenize(BASE)
    words = [i for i, t in enumerate(tokens) if t.kind == "word"]
    content = [i for i in words if tokens[i].text.lower() not in STOP_WORDS]
    n = max(1, int(alpha * len(words)))  # EDA's rule, written out
    t = SynonymReplacement(alpha=alpha, p=1.0)
    for seed in range(10):
        text, params = one(t, BASE, seed)
        changes = params["changes"]
        assert len(changes) == min(n, len(content))
        assert len({i for i, _ in changes}) == len(changes)
        expected = list(BASE)
        for index, new in sorted(changes, reverse=True):
            assert index in content
            original = tokens[index].text
            assert new.lower() in wn.synonyms(original.lower()) and new.lower() != original.lower()
            expected[tokens[index].start : tokens[index].end] = new
        assert text == "".join(expected)  # independent rebuild from the character offsets


def test_synonym_replacement_inflects_and_keeps_case() -> None:
    t = SynonymReplacement(alpha=1.0, p=1.0)
    seen = set()
    for seed in range(40):
        text, params = one(t, "Cats", seed)
        ((_index, new),) = params["changes"]
        assert new[0].isupper() and text == new
        seen.add(new)
    # inflect_like makes plural nouns or third-person verbs ('cats' is also a verb form): 'True cats', 'Throws up'
    assert all(any(part.endswith("s") for part in w.split()) for w in seen), seen
    assert {"Vomits", "True cats"} <= seen
    assert one(t, "HAPPY", 0)[0].isupper()


def test_synonyms_include_multiword_and_stop_words_are_never_sources() -> None:
    t = SynonymReplacement(alpha=1.0, p=1.0)
    stop_text = "it is what it is and they were there"
    for seed in range(5):
        assert one(t, stop_text, seed)[0] == stop_text
    multi = {new for seed in range(60) for _, new in one(t, "The car", seed)[1]["changes"]}
    assert any(" " in w for w in multi)  # e.g. 'motor car', 'railway car'


# ---------------------------------------------------------------------------------------------- RI
@pytest.mark.parametrize("alpha", [0.1, 0.3])
def test_random_insertion_inserts_n_synonyms_and_keeps_every_word(alpha: float) -> None:
    wn = load_wordnet()
    words = word_texts(BASE)
    n = max(1, int(alpha * len(words)))
    sources = {w.lower() for w in words if w.lower() not in STOP_WORDS}
    allowed = {s for w in sources for s in wn.synonyms(w)}
    t = RandomInsertion(alpha=alpha, p=1.0)
    for seed in range(10):
        text, params = one(t, BASE, seed)
        assert len(params["inserts"]) == n
        for _, word in params["inserts"]:
            assert word.lower() in allowed
        assert_natural(text)
        # the input's words are all there, in order, and the inserted ones make up the rest
        out_words = text.split(" ")
        inserted = Counter(piece for _, word in params["inserts"] for piece in word.split(" "))
        assert Counter(out_words) - inserted == Counter(BASE.split(" "))
        remaining = iter(out_words)
        assert all(word in remaining for word in BASE.split(" "))


# ---------------------------------------------------------------------------------------------- RS
@pytest.mark.parametrize("alpha", [0.1, 0.2, 0.5])
def test_random_swap_makes_n_swaps_of_distinct_words(alpha: float) -> None:
    words = word_texts(BASE)
    n = max(1, int(alpha * len(words)))
    t = RandomSwap(alpha=alpha, p=1.0)
    for seed in range(10):
        text, params = one(t, BASE, seed)
        assert len(params["swaps"]) == n and all(i != j for i, j in params["swaps"])
        assert Counter(norm(w) for w in text.split(" ")) == Counter(norm(w) for w in words)
        # the same swaps made independently on the word list
        order = [i for i, tok in enumerate(tokenize(BASE)) if tok.kind == "word"]
        moved = {i: i for i in order}
        for i, j in params["swaps"]:
            moved[i], moved[j] = moved[j], moved[i]
        texts = {t.start: t.text for t in tokenize(BASE)}
        starts = [tok.start for tok in tokenize(BASE)]
        expected = [texts[starts[moved[i]]] for i in order]
        assert [norm(w) for w in text.split(" ")] == [norm(w) for w in expected]
        assert text[0].isupper()  # the sentence start keeps its capital


def test_random_swap_case_moves_with_sentence_start() -> None:
    assert RandomSwap(alpha=0.1, p=1.0)(text="The cat chased the mouse.", rng=3)["text"] == "Cat the chased the mouse."


# ---------------------------------------------------------------------------------------------- RD
def test_random_deletion_rate_matches_alpha() -> None:
    t = RandomDeletion(alpha=0.3, p=1.0)
    words = word_texts(BASE)
    deleted = 0
    runs = 300
    for seed in range(runs):
        text, params = one(t, BASE, seed)
        deleted += len(params["delete"])
        assert_natural(text)
        assert len(text.split(" ")) == len(words) - len(params["delete"])
    rate = deleted / (runs * len(words))
    assert abs(rate - 0.3) < 4 * np.sqrt(0.3 * 0.7 / (runs * len(words)))


def test_random_deletion_never_deletes_everything() -> None:
    t = RandomDeletion(alpha=1.0, p=1.0)
    for seed in range(20):
        text, params = one(t, "alpha beta gamma delta", seed)
        assert len(params["delete"]) == 3 and len(text.split()) == 1 and text in ["alpha", "beta", "gamma", "delta"]


# ---------------------------------------------------------------------------------------------- shared rules
@pytest.mark.parametrize("cls", OPERATIONS)
def test_empty_and_one_word_texts(cls: type) -> None:
    t = cls(alpha=0.5, p=1.0)
    assert t(text="", rng=0)["text"] == ""
    assert t(text="   ", rng=0)["text"] == "   "
    if cls in (RandomSwap, RandomDeletion):
        assert t(text="Hello", rng=0)["text"] == "Hello"
        assert t(text="Hello!", rng=1)["text"] == "Hello!"
    else:
        assert isinstance(t(text="Hello", rng=0)["text"], str)


@pytest.mark.parametrize("cls", OPERATIONS)
def test_protected_spans_never_change(cls: type) -> None:
    text = "Call @bob at 555 about https://x.org/a and the happy dog #news mail me@x.org"
    t = cls(alpha=0.5, protected_words=["happy"], p=1.0)
    for seed in range(15):
        out = t(text=text, rng=seed)["text"]
        for span in ("@bob", "555", "https://x.org/a", "happy", "#news", "me@x.org"):
            assert span in out, (span, out)


@pytest.mark.parametrize("cls", OPERATIONS)
def test_non_string_input_raises(cls: type) -> None:
    t = cls(p=1.0)
    for bad in (3, None, b"bytes", ["ok", 2]):
        with pytest.raises(TargetTypeError, match="text"):
            t(text=bad, rng=0)


@pytest.mark.parametrize("cls", OPERATIONS)
def test_unicode_words_survive(cls: type) -> None:
    text = "Der naïve Café-Besitzer 東京 mag 😀 große Hunde"
    t = cls(alpha=0.5, p=1.0)
    for seed in range(10):
        out = t(text=text, rng=seed)["text"]
        out.encode("utf-8")
        assert "😀" in out
        for word in re.findall(r"\w+", out):
            assert word.lower() in text.lower() or cls in (SynonymReplacement, RandomInsertion, AntonymReplacement)


@pytest.mark.parametrize("cls", OPERATIONS)
def test_replay_and_n_aug(cls: type) -> None:
    t = cls(alpha=0.3, n_aug=3, p=1.0)
    texts = [BASE, "The film was a great success.", ""]
    out = t(text=texts, rng=5, record=True)
    assert [len(group) for group in out["text"]] == [3, 3, 3]
    record = json.loads(json.dumps(out["applied"], allow_nan=False))
    assert t.replay(record, text=texts)["text"] == out["text"]
    single = t(text=BASE, rng=5)["text"]
    assert isinstance(single, list) and len(single) == 3


def test_antonym_replacement_and_article_agreement() -> None:
    wn = load_wordnet()
    t = AntonymReplacement(alpha=0.1, p=1.0)
    results = {t(text="A happy ending.", rng=s)["text"] for s in range(12)}
    assert "An unhappy ending." in results and "A happy beginning." in results
    _text, params = one(AntonymReplacement(alpha=1.0, p=1.0), "big dogs are fast", 0)
    for index, new in params["changes"]:
        original = tokenize("big dogs are fast")[index].text
        assert {w.lower() for w in new.split()} & set(wn.antonyms(original)) or new.lower().startswith(
            tuple(wn.antonyms(original))
        )


def test_arguments_are_checked() -> None:
    with pytest.raises(ArgumentError, match="SynonymReplacement: argument 'alpha'"):
        SynonymReplacement(alpha=1.5)
    with pytest.raises(ArgumentError, match="n_aug"):
        RandomSwap(n_aug=0)
    with pytest.raises(ArgumentError, match="faithful"):
        RandomSwap(faithful=True, protected_words=["x"])
    with pytest.raises(ArgumentError, match="above 0"):
        EDA(alpha_sr=0, alpha_ri=0, alpha_rs=0, alpha_rd=0)
    with pytest.raises(ArgumentError, match="protected_words"):
        RandomDeletion(protected_words="abc")
    with pytest.raises(ArgumentError, match="Valid arguments"):
        EDA(alpha=0.1)  # type: ignore[call-arg]


# ---------------------------------------------------------------------------------------------- EDA recipe
def test_eda_operation_distribution_follows_the_reference() -> None:
    t = EDA(n_aug=9, p=1.0)
    totals: Counter[str] = Counter()
    rng = np.random.default_rng(0)
    runs = 400
    for _ in range(runs):
        ops = t.operations(rng)
        counts = Counter(ops)
        assert len(ops) == 9 and max(counts.values()) <= 3  # int(9/4)+1 = 3 per operation, 12 shuffled, 9 kept
        totals.update(counts)
    for op in ("sr", "ri", "rs", "rd"):
        assert abs(totals[op] / runs - 2.25) < 0.15
    t2 = EDA(alpha_rd=0.0, n_aug=4, p=1.0)
    for _ in range(50):
        ops = t2.operations(rng)
        assert "rd" not in ops and len(ops) == 4 and max(Counter(ops).values()) <= 2


def test_eda_outputs_one_operation_each_and_replays() -> None:
    t = EDA(n_aug=8, keep_original=True, p=1.0)
    out = t(text=BASE, rng=3, record=True)
    drawn = params_of(out)
    assert len(out["text"]) == 9 and out["text"][-1] == BASE and drawn[-1] == {"op": "none"}
    assert {d["op"] for d in drawn[:-1]} <= {"sr", "ri", "rs", "rd"}
    for d, text in zip(drawn[:-1], out["text"][:-1], strict=True):
        assert_natural(text)
        assert len(d) == 2  # the op and its single edit
    assert t.replay(json.loads(json.dumps(out["applied"])), text=BASE)["text"] == out["text"]


def test_eda_recommended_settings() -> None:
    assert EDA_RECOMMENDED == ((500, 0.05, 16), (2000, 0.05, 8), (5000, 0.1, 4))
    for n_train, alpha, n_aug in (
        (100, 0.05, 16),
        (500, 0.05, 16),
        (1999, 0.05, 16),
        (2000, 0.05, 8),
        (5000, 0.1, 4),
        (10**6, 0.1, 4),
    ):
        t = EDA.recommended(n_train)
        assert (t.alpha_sr, t.alpha_ri, t.alpha_rs, t.alpha_rd, t.n_aug) == (alpha, alpha, alpha, alpha, n_aug)
    assert EDA.recommended(500, keep_original=True).keep_original


def test_eda_faithful_mode_reproduces_reference_preprocessing() -> None:
    assert eda_clean("It's a well-known fact: 42 cats!\tYes") == "its a well known fact cats yes"
    text = "The cat's toy, and the cat's bed. Wow!"
    t = EDA(n_aug=12, faithful=True, p=1.0)
    out = t(text=text, rng=0, record=True)
    for line in out["text"]:
        assert re.fullmatch(r"[a-z ]+", line) and line == " ".join(line.split())
    sr = SynonymReplacement(alpha=0.1, faithful=True, p=1.0)
    words = ["the", "cat", "saw", "a", "cat", "and", "another", "cat"]
    types_seen = set()
    for seed in range(20):
        line, params = one(sr, " ".join(words), seed)
        chosen = {words[i] for i, _ in params["changes"]}
        assert len(chosen) == 1 and len({new for _, new in params["changes"]}) == 1  # one type, one synonym
        (word,) = chosen
        assert sorted(i for i, _ in params["changes"]) == [i for i, w in enumerate(words) if w == word]
        types_seen.add(word)
    assert "cat" in types_seen  # its three occurrences are replaced together
    rs = RandomSwap(alpha=0.5, faithful=True, p=1.0)
    line = rs(text="One two, THREE four!", rng=1)["text"]
    assert sorted(line.split()) == ["four", "one", "three", "two"]


@pytest.mark.parametrize("cls", OPERATIONS)
def test_alpha_zero_changes_nothing(cls: type) -> None:
    t = cls(alpha=0.0, p=1.0)
    for seed in range(3):
        assert t(text=BASE, rng=seed)["text"] == BASE


def test_record_with_an_unknown_op_is_rejected_on_replay() -> None:
    t = RandomSwap(p=1.0)
    out = t(text=BASE, rng=0, record=True)
    out["applied"][0]["params"]["texts"][0][0]["op"] = "xx"
    with pytest.raises(ak.TargetError, match="params that do not fit"):
        t.replay(out["applied"], text=BASE)
