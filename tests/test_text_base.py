"""The text call's layout: ``n_aug`` copies per input whether or not the draw for ``p`` applies the transform."""

from __future__ import annotations

import json
from typing import Any

import pytest

import augkit as ak
from augkit.text import EDA, RandomSwap, SynonymReplacement

TEXT = "The quick brown fox jumps over the lazy dog."
BATCH = [TEXT, "A happy child walks home.", ""]


def layout(out: Any) -> Any:
    return [layout(item) for item in out] if isinstance(out, list) else "str"


@pytest.mark.parametrize(
    ("transform", "copies"),
    [(SynonymReplacement(alpha=0.3, n_aug=3), 3), (EDA(n_aug=2), 2), (EDA(n_aug=2, keep_original=True), 3)],
)
def test_a_skipped_n_aug_transform_gives_unchanged_copies(transform: ak.BaseTransform, copies: int) -> None:
    skipped = transform.with_params(p=0.0)
    assert skipped(text=TEXT, rng=0)["text"] == [TEXT] * copies
    assert skipped(text=BATCH, rng=0)["text"] == [[text] * copies for text in BATCH]
    out = skipped(text=BATCH, rng=0, record=True)
    (entry,) = out["applied"]
    assert entry["applied"] and entry["params"] == {"skipped": True, "copies": copies}
    assert (entry["shape_in"], entry["shape_out"]) == ([3], [3 * copies])
    assert skipped.replay(json.loads(json.dumps(out["applied"])), text=BATCH)["text"] == out["text"]


@pytest.mark.parametrize("text", [TEXT, BATCH])
def test_the_layout_never_depends_on_the_draw_for_p(text: str | list[str]) -> None:
    single = SynonymReplacement(alpha=0.3, n_aug=3, p=0.5)
    pipeline = ak.Compose([RandomSwap(alpha=0.3, n_aug=2, p=0.5), single])
    for transform, copies in ((single, 3), (pipeline, 6)):
        expected = ["str"] * copies if isinstance(text, str) else [["str"] * copies] * len(text)
        skips = 0
        for seed in range(16):
            out = transform(text=text, rng=seed, record=True)
            assert layout(out["text"]) == expected
            skips += sum(bool(entry["params"].get("skipped")) for entry in out["applied"])
            record = json.loads(json.dumps(out["applied"], allow_nan=False))
            assert transform.replay(record, text=text)["text"] == out["text"]
            assert transform(text=text, rng=seed)["text"] == out["text"]
        assert skips > 0


def test_a_skipped_single_copy_transform_is_recorded_as_not_applied() -> None:
    out = RandomSwap(alpha=0.5, p=0.0)(text=BATCH, rng=0, record=True)
    assert out["text"] == BATCH
    assert out["applied"][0]["applied"] is False
    assert RandomSwap(alpha=0.5, p=0.0)(text=TEXT, rng=0)["text"] == TEXT


def documented_args(cls: type) -> list[str]:
    lines = (cls.__doc__ or "").split("\n")
    head = next(i for i, line in enumerate(lines) if line.strip() == "Args:")
    indent = len(lines[head]) - len(lines[head].lstrip()) + 4
    names = []
    for line in lines[head + 1 :]:
        if not line.strip():
            break
        if len(line) - len(line.lstrip()) == indent:
            names.append(line.strip().split(":", 1)[0])
    return names


@pytest.mark.parametrize("cls", [c for c in ak.registered_classes() if c.registry_name.startswith("text.")])
def test_every_argument_is_documented_in_signature_order(cls: type[ak.BaseTransform]) -> None:
    # shared arguments are described once (ProtectedTextTransform.shared_arg_docs) and filled in where left out
    assert documented_args(cls) == list(cls._param_names)


def test_p_is_drawn_per_text_in_a_list() -> None:
    texts = [f"The quick brown fox number {i} jumps over the lazy dog." for i in range(200)]
    swap = RandomSwap(alpha=0.5, p=0.3)
    out = swap(text=texts, rng=7, record=True)
    changed = [a != b for a, b in zip(out["text"], texts, strict=True)]
    drawn = [entry is not None for entry in out["applied"][0]["params"]["texts"]]
    assert all(d for d, c in zip(drawn, changed, strict=True) if c), "only drawn texts change"
    assert 0.2 < sum(drawn) / len(texts) < 0.4  # 200 Bernoulli(0.3) draws
    assert swap.replay(json.loads(json.dumps(out["applied"])), text=texts)["text"] == out["text"]
    copies = SynonymReplacement(alpha=0.3, n_aug=2, p=0.5)(text=texts[:20], rng=1)["text"]
    assert all(len(group) == 2 for group in copies)
    assert any(group == [text, text] for group, text in zip(copies, texts[:20], strict=True))
    assert any(group != [text, text] for group, text in zip(copies, texts[:20], strict=True))


def test_a_single_text_keeps_one_draw_for_p() -> None:
    swap = RandomSwap(alpha=0.5, p=0.5)
    outcomes = {swap(text=TEXT, rng=seed)["text"] == TEXT for seed in range(20)}
    assert outcomes == {True, False}
