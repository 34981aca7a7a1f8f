"""Model-based text transforms, run end to end on tiny randomly initialised models built here (no download)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import augkit as ak
from augkit.core.errors import ArgumentError, MissingDependencyError
from augkit.text import models as text_models
from augkit.text.models import BackTranslation, ContextualWordReplacement

from .tiny_models import WORDS, build_masked_lm, build_seq2seq

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")
tokenizers = pytest.importorskip("tokenizers")


@pytest.fixture(scope="module")
def mlm_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_masked_lm(tmp_path_factory.mktemp("mlm"))


@pytest.fixture(scope="module")
def seq2seq_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seq2seq(tmp_path_factory.mktemp("seq2seq"))


TEXT = "The quick brown fox jumps over the lazy dog near 42 red houses."


def test_contextual_replacement_changes_alpha_words_from_the_vocabulary(mlm_path: Path) -> None:
    t = ContextualWordReplacement(str(mlm_path), top_k=5, alpha=0.25, p=1.0)
    vocab = {w.lower() for w in WORDS}
    changed = full = 0
    for seed in range(8):
        out = t(text=TEXT, rng=seed, record=True)
        changes = out["applied"][0]["params"]["texts"][0][0]["changes"]
        words = TEXT.split()
        assert 1 <= len(changes) <= 3  # 12 editable words: max(1, int(0.25 * 12)) == 3
        full += len(changes) == 3
        for _, new in changes:
            assert new.lower() in vocab and new.isalpha()
        assert "42" in out["text"] and out["text"].endswith(".")
        changed += out["text"] != TEXT
        assert len(out["text"].split()) == len(words)  # single-word substitutes in place
    assert changed >= 6 and full >= 6


def test_contextual_replacement_replays_without_the_model(mlm_path: Path) -> None:
    t = ContextualWordReplacement(str(mlm_path), top_k=5, alpha=0.3, n_aug=3, p=1.0)
    out = t(text=[TEXT, "Happy cats sat."], rng=7, record=True)
    record = json.loads(json.dumps(out["applied"]))
    assert t.replay(record, text=[TEXT, "Happy cats sat."])["text"] == out["text"]
    assert len(out["text"]) == 2 and all(len(group) == 3 for group in out["text"])
    again = t(text=[TEXT, "Happy cats sat."], rng=7)["text"]
    assert again == out["text"]  # the model runs deterministically in eval mode


def test_contextual_replacement_skips_stop_words_and_protected(mlm_path: Path) -> None:
    t = ContextualWordReplacement(str(mlm_path), top_k=5, alpha=1.0, protected_words=["fox"], p=1.0)
    out = t(text="the fox and the dog", rng=0, record=True)
    changes = out["applied"][0]["params"]["texts"][0][0]["changes"]
    assert {i for i, _ in changes} <= {8}  # only 'dog' (token 8) may change
    assert out["text"].startswith("the fox and the ")
    assert t(text="", rng=0)["text"] == ""
    assert t(text="the and of", rng=0)["text"] == "the and of"


def test_back_translation_round_trip_is_seeded_and_replayable(seq2seq_path: Path) -> None:
    t = BackTranslation(str(seq2seq_path), str(seq2seq_path), max_new_tokens=12, p=1.0)
    state = torch.get_rng_state().clone()
    out = t(text="the cat sat on the mat .", rng=3, record=True)
    assert torch.equal(state, torch.get_rng_state())  # torch's global generator untouched
    params = out["applied"][0]["params"]["texts"][0][0]
    assert set(params) == {"seed", "pivot", "text", "kept"}
    assert isinstance(out["text"], str) and out["text"] == params["text"]
    assert t(text="the cat sat on the mat .", rng=3)["text"] == out["text"]
    outputs = {t(text="the cat sat on the mat .", rng=s)["text"] for s in range(6)}
    assert len(outputs) >= 2
    assert t.replay(json.loads(json.dumps(out["applied"])), text="the cat sat on the mat .")["text"] == out["text"]


def test_back_translation_keeps_input_when_protected_span_is_lost(seq2seq_path: Path) -> None:
    t = BackTranslation(str(seq2seq_path), str(seq2seq_path), max_new_tokens=8, p=1.0)
    text = "  see https://example.org/x and 1234 now  "
    out = t(text=text, rng=0, record=True)
    params = out["applied"][0]["params"]["texts"][0][0]
    assert params["kept"] is True and out["text"] == text  # the random model cannot reproduce the URL
    assert t(text="   ", rng=0)["text"] == "   "


def test_beam_search_is_deterministic(seq2seq_path: Path) -> None:
    t = BackTranslation(str(seq2seq_path), str(seq2seq_path), do_sample=False, num_beams=2, max_new_tokens=6, p=1.0)
    assert len({t(text="the dog ran .", rng=s)["text"] for s in range(3)}) == 1


def test_arguments_and_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(ArgumentError, match="model_path"):
        ContextualWordReplacement(3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="top_k"):
        ContextualWordReplacement("x", top_k=0)
    with pytest.raises(ArgumentError, match="num_beams"):
        BackTranslation("x", "y", num_beams=0)
    t = ContextualWordReplacement(str(tmp_path / "missing"), p=1.0)
    with pytest.raises(ArgumentError, match="not a local directory"):
        t(text="happy dogs run", rng=0)
    config = json.loads(json.dumps(t.to_dict()))
    assert config["name"] == "text.ContextualWordReplacement"
    assert ak.from_dict(config).to_dict() == config


def test_missing_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = text_models.importlib.util.find_spec
    monkeypatch.setattr(
        text_models.importlib.util, "find_spec", lambda name, *a: None if name == "transformers" else real(name, *a)
    )
    with pytest.raises(MissingDependencyError, match=r"pip install augkit\[text\]"):
        ContextualWordReplacement("x")


def test_non_string_input_raises(mlm_path: Path) -> None:
    t = ContextualWordReplacement(str(mlm_path), p=1.0)
    with pytest.raises(TypeError, match="text"):
        t(text=12, rng=0)
    with pytest.raises(TypeError, match="item 1"):
        t(text=["fine", b"bytes"], rng=0)
