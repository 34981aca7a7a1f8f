"""Tests of the bundled WordNet 3.0 table and :mod:`augkit.text.lexicon`.

Where the raw WordNet database files are on the machine (Debian ``wordnet-base``: ``/usr/share/wordnet``, an
unpacked .deb in ``/tmp/wn/usr/share/wordnet``, or ``$AUGKIT_WORDNET_DIR``) the table is checked against them with
a separate, deliberately simple reader (byte-offset ``seek`` into ``data.*``, which the build script never uses).
Everywhere else it is checked against WordNet 3.0's published statistics and known facts.
"""

from __future__ import annotations

import hashlib
import importlib.util
import lzma
import os
import pickle
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from augkit import ArgumentError
from augkit.text.lexicon import POS_TAGS, STOP_WORDS, TABLE_PATH, WordNet, inflect_like, load_wordnet

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_wordnet_table.py"
POS_NAMES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
RAW_FILES = [f"data.{n}" for n in POS_NAMES.values()] + [f"index.{n}" for n in POS_NAMES.values()]
RAW_FILES += [f"{n}.exc" for n in POS_NAMES.values()]


def _raw_dir() -> tuple[Path | None, str]:
    candidates = [os.environ.get("AUGKIT_WORDNET_DIR"), "/usr/share/wordnet", "/tmp/wn/usr/share/wordnet"]
    missing = ""
    for c in candidates:
        if c and Path(c).is_dir():
            absent = [f for f in RAW_FILES if not (Path(c) / f).is_file()]
            if not absent:
                return Path(c), ""
            missing = f"{c} lacks {', '.join(absent)}"
    return None, missing or "raw WordNet files (data.*, index.*, *.exc) not found in /usr/share/wordnet or /tmp/wn"


RAW, RAW_MISSING = _raw_dir()
needs_raw = pytest.mark.skipif(RAW is None, reason=f"needs the raw WordNet 3.0 files: {RAW_MISSING}")


@pytest.fixture(scope="module")
def wn() -> WordNet:
    return load_wordnet()


def _raw_matches_table() -> bool:
    assert RAW is not None
    want = load_wordnet().header["inputs_sha256"]
    return all(hashlib.sha256((RAW / name).read_bytes()).hexdigest() == digest for name, digest in want.items())


# -- an independent reader of the raw files ---------------------------------------------------------------------
@cache
def _raw_text(name: str) -> str:
    assert RAW is not None
    return (RAW / name).read_text(encoding="latin-1")


def _raw_offsets(lemma: str, pos: str) -> list[int]:
    text = _raw_text(f"index.{POS_NAMES[pos]}")
    at = text.find("\n" + lemma.replace(" ", "_") + " " + pos + " ")
    if at < 0:
        return []
    fields = text[at + 1 : text.index("\n", at + 1)].split()
    return [int(x) for x in fields[-int(fields[2]) :]]


def _raw_synset(offset: int, pos: str) -> tuple[list[str], list[tuple[str, int, str, str]]]:
    """(words, pointers) of the synset at byte ``offset`` of ``data.<pos>``."""
    assert RAW is not None
    with (RAW / f"data.{POS_NAMES[pos]}").open("rb") as fh:
        fh.seek(offset)
        line = fh.readline().decode("latin-1")
    assert int(line[:8]) == offset
    tokens = line.split(" | ")[0].split()
    n = int(tokens[3], 16)
    words = [re.sub(r"\([a-z]+\)$", "", w).lower().replace("_", " ") for w in tokens[4 : 4 + 2 * n : 2]]
    rest = tokens[4 + 2 * n :]
    pointers = [(rest[1 + 4 * k], int(rest[2 + 4 * k]), rest[3 + 4 * k], rest[4 + 4 * k]) for k in range(int(rest[0]))]
    return words, pointers


def _raw_synonyms(lemma: str, pos: str) -> list[str]:
    out: list[str] = []
    for off in _raw_offsets(lemma, pos):
        out += [w for w in _raw_synset(off, pos)[0] if w != lemma and w not in out]
    return out


def _raw_antonyms(lemma: str, pos: str) -> list[str]:
    out: list[str] = []
    for off in _raw_offsets(lemma, pos):
        words, pointers = _raw_synset(off, pos)
        for symbol, target, tpos, source_target in pointers:
            if symbol == "!" and words[int(source_target[:2], 16) - 1] == lemma:
                target_words = _raw_synset(target, "a" if tpos == "s" else tpos)[0]
                name = target_words[int(source_target[2:], 16) - 1]
                if name not in out:
                    out.append(name)
    return out


# -- the table --------------------------------------------------------------------------------------------------
def test_table_file_is_small_and_licensed() -> None:
    assert TABLE_PATH.is_file()
    assert TABLE_PATH.stat().st_size < 1_500_000
    licence = (TABLE_PATH.parent / "WORDNET_LICENSE.txt").read_text(encoding="utf-8")
    assert "WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved." in licence
    assert "The name of Princeton University or Princeton may not be used" in licence
    assert (TABLE_PATH.parent / "README.md").is_file()


def test_header_counts_match_published_wordnet_3_0_statistics(wn: WordNet) -> None:
    # WordNet 3.0 "wnstats": synsets 82,115 + 13,767 + 18,156 + 3,621; unique strings per part of speech
    # 117,798 + 11,529 + 21,479 + 4,481 = 155,287; word-sense pairs 206,941.
    counts = wn.counts
    by_type = counts["synsets_by_type"]
    assert counts["synsets"] == 117_659
    assert (by_type["n"], by_type["v"], by_type["a"] + by_type["s"], by_type["r"]) == (82_115, 13_767, 18_156, 3_621)
    assert counts["lemma_pos_entries"] == 155_287
    assert counts["senses"] == 206_941
    assert counts["lemmas"] == 147_306
    assert counts["antonym_lemma_pairs"] == 3_556
    assert 3_400 < counts["antonym_sense_pairs"] < 4_100 and counts["antonym_pointers"] == 7_979
    assert wn.version == "3.0"
    header = wn.header
    assert sorted(header["inputs_sha256"]) == sorted(RAW_FILES)
    assert all(re.fullmatch(r"[0-9a-f]{64}", v) for v in header["inputs_sha256"].values())


@needs_raw
def test_header_counts_match_the_raw_files(wn: WordNet) -> None:
    if not _raw_matches_table():
        pytest.skip("the raw WordNet files on this machine differ from the table's recorded inputs")
    synsets = antonym_pointers = 0
    for name in POS_NAMES.values():
        for line in _raw_text(f"data.{name}").splitlines():
            if not line.startswith("  "):
                synsets += 1
                antonym_pointers += line.split(" | ")[0].split().count("!")
    keys: set[str] = set()
    entries = 0
    for name in POS_NAMES.values():
        for line in _raw_text(f"index.{name}").splitlines():
            if not line.startswith("  "):
                keys.add(line.split(" ", 1)[0])
                entries += 1
    counts = wn.counts
    assert (counts["synsets"], counts["antonym_pointers"]) == (synsets, antonym_pointers)
    assert (counts["lemmas"], counts["lemma_pos_entries"]) == (len(keys), entries)


@needs_raw
def test_build_script_is_deterministic(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_wordnet_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    first = tmp_path / "a.xz"
    module.build_table(RAW, first)
    if _raw_matches_table():  # same inputs as the committed table: an earlier run, so compare with it
        second = TABLE_PATH
    else:
        second = tmp_path / "b.xz"
        module.build_table(RAW, second)
    assert first.read_bytes() == second.read_bytes()
    built = WordNet(first)
    assert built.synonyms("car", "n") == load_wordnet().synonyms("car", "n")


# -- synonyms and antonyms ----------------------------------------------------------------------------------------
def test_known_synonyms_and_antonyms(wn: WordNet) -> None:
    car = wn.synonyms("car")
    assert "automobile" in car and "motorcar" in car
    assert {"railway car", "cable car"} <= set(car)  # multi-word lemmas keep their space
    assert "car" not in car
    assert wn.synonyms("car", "n")[:4] == ("auto", "automobile", "machine", "motorcar")  # sense 1, synset order
    assert wn.antonyms("happy") == ("unhappy",)
    assert "bad" in wn.antonyms("good", "a") and "evil" in wn.antonyms("good")
    assert wn.antonyms("Unhappy") == ("happy",)
    assert wn.synonyms("qwzxv") == () and wn.antonyms("qwzxv") == () and wn.synonyms("") == ()


@needs_raw
@pytest.mark.parametrize(
    ("lemma", "pos"), [("car", "n"), ("bank", "n"), ("run", "v"), ("happy", "a"), ("light", "a"), ("quickly", "r")]
)
def test_synonyms_and_antonyms_match_the_raw_files(wn: WordNet, lemma: str, pos: str) -> None:
    assert list(wn.synonyms(lemma, pos)) == _raw_synonyms(lemma, pos)
    assert list(wn.antonyms(lemma, pos)) == _raw_antonyms(lemma, pos)


def test_synonyms_go_through_lemmatization_and_skip_base_forms(wn: WordNet) -> None:
    assert wn.synonyms("Cars", "n") == wn.synonyms("car", "n")
    assert "cat" not in wn.synonyms("cats")
    assert wn.synonyms("geese", "n") == wn.synonyms("goose", "n")
    assert "see" not in wn.synonyms("saw")  # 'saw' is also the past of 'see'
    everything = wn.synonyms("car")
    assert sum(len(wn.synonyms("car", p)) for p in POS_TAGS) >= len(everything)
    single = wn.synonyms("car", multiword=False)
    assert single == tuple(s for s in everything if " " not in s)
    assert wn.synonyms("motor_car") == wn.synonyms("motor car")


def test_synsets_match_the_synonyms(wn: WordNet) -> None:
    synsets = wn.synsets("car", "n")
    assert len(synsets) == 5 and all(s.pos == "n" for s in synsets)
    assert synsets[0].lemmas == ("car", "auto", "automobile", "machine", "motorcar")
    flat = [w for s in synsets for w in s.lemmas if w != "car"]
    assert wn.synonyms("car", "n") == tuple(dict.fromkeys(flat))
    assert {s.pos for s in wn.synsets("fast")} == {"n", "v", "a", "r"}


def test_pos_aliases_and_errors(wn: WordNet) -> None:
    assert wn.synonyms("fast", "noun") == wn.synonyms("fast", "n")
    assert wn.synonyms("fast", "s") == wn.synonyms("fast", "adj") == wn.synonyms("fast", "a")
    with pytest.raises(ArgumentError, match=r"WordNet\.synonyms: argument 'pos'.*got 'x'"):
        wn.synonyms("fast", "x")
    with pytest.raises(ArgumentError, match="argument 'word' expects a str; got 3"):
        wn.lemmatize(3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="inflect_like: argument 'original'"):
        inflect_like("a", None, "b")  # type: ignore[arg-type]


# -- lemmatization --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("word", "pos", "lemma"),
    [
        ("cats", None, "cat"),
        ("geese", "n", "goose"),
        ("running", "v", "run"),
        ("ran", None, "run"),
        ("better", "a", "good"),
        ("churches", "n", "church"),
        ("wolves", "n", "wolf"),
        ("women", "n", "woman"),
        ("flies", "v", "fly"),
        ("hoped", "v", "hope"),
        ("biggest", "a", "big"),
        ("railway cars", "n", "railway car"),
    ],
)
def test_lemmatize(wn: WordNet, word: str, pos: str | None, lemma: str) -> None:
    assert lemma in wn.lemmatize(word, pos)


def test_lemmatize_details(wn: WordNet) -> None:
    assert wn.lemmatize("cats") == ["cat"]
    assert wn.lemmatize("car") == ["car"]  # a lemma is its own base form
    assert wn.lemmatize("qwzxv") == []
    assert wn.lemmatize("running", "n") == ["running"]
    assert wn.is_lemma("car") and not wn.is_lemma("cars") and wn.is_lemma("cat", "v") and not wn.is_lemma("car", "v")
    assert "car" in wn and "cars" not in wn


@needs_raw
def test_exception_entries_lemmatize_to_their_listed_base_forms(wn: WordNet) -> None:
    for pos, name in POS_NAMES.items():
        bases: dict[str, list[str]] = {}
        for line in _raw_text(f"{name}.exc").splitlines():
            inflected, *listed = (w.replace("_", " ") for w in line.split())
            bases.setdefault(inflected, []).extend(listed)  # some forms have two lines ('aurar')
        for inflected, listed in list(bases.items())[::4]:
            expected = [w for w in dict.fromkeys([inflected, *listed]) if wn.is_lemma(w, pos)]
            assert wn.lemmatize(inflected, pos) == expected


# -- inflection -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("replacement", "original", "lemma", "pos", "expected"),
    [
        ("feline", "cats", "cat", None, "felines"),
        ("feline", "Cats", "cat", None, "Felines"),
        ("feline", "CATS", "cat", None, "FELINES"),
        ("Auto", "car", "car", None, "auto"),
        ("child", "dogs", "dog", None, "children"),  # noun.exc inverted
        ("baby", "dogs", "dog", None, "babies"),
        ("box", "dogs", "dog", None, "boxes"),
        ("motor car", "cars", "car", None, "motor cars"),  # nouns: last word
        ("goose", "mice", "mouse", None, "geese"),
        ("sprint", "ran", "run", None, "sprinted"),
        ("go", "ran", "run", None, "went"),
        ("go", "taken", "take", None, "gone"),
        ("stop", "walking", "walk", None, "stopping"),
        ("make", "walking", "walk", None, "making"),
        ("die", "walking", "walk", None, "dying"),
        ("carry", "walked", "walk", None, "carried"),
        ("bake", "walked", "walk", None, "baked"),
        ("visit", "walked", "walk", None, "visited"),
        ("look up", "searched", "search", None, "looked up"),  # verbs: first word
        ("hurry", "runs", "run", "v", "hurries"),
        ("go", "runs", "run", "v", "goes"),
        ("glad", "happier", "happy", None, "gladder"),
        ("good", "happiest", "happy", None, "best"),
        ("cheerful", "happier", "happy", None, "more cheerful"),
        ("glad", "happy", "happy", None, "glad"),
    ],
)
def test_inflect_like(replacement: str, original: str, lemma: str, pos: str | None, expected: str) -> None:
    assert inflect_like(replacement, original, lemma, pos=pos) == expected


# -- misc ------------------------------------------------------------------------------------------------------------
def test_stop_words_are_edas_list() -> None:
    assert len(STOP_WORDS) == 127
    assert {"i", "the", "because", "don", "s", "t", "now"} <= STOP_WORDS
    assert not {"", "car", "nobody", "would"} & STOP_WORDS


def test_loading_is_cached_and_pickles_to_the_shared_instance(wn: WordNet) -> None:
    assert load_wordnet() is wn and load_wordnet(TABLE_PATH) is wn
    assert pickle.loads(pickle.dumps(wn)) is wn
    assert repr(wn).startswith("WordNet(version='3.0', lemmas=147306")


def test_results_are_deterministic_tuples(wn: WordNet) -> None:
    fresh = WordNet(TABLE_PATH)
    for word in ("run", "light", "better", "saw"):
        assert fresh.synonyms(word) == wn.synonyms(word)
        assert isinstance(wn.synonyms(word), tuple) and isinstance(wn.antonyms(word), tuple)


def test_a_file_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xz"
    bad.write_bytes(lzma.compress(b"NOPE" + bytes(8)))
    with pytest.raises(ValueError, match="not an augkit WordNet table"):
        WordNet(bad)
