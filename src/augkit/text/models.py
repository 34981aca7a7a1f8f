"""Model-based rewriting through Hugging Face ``transformers`` (optional: ``pip install augkit[text]``).

:class:`ContextualWordReplacement` masks words and lets a masked language model propose substitutes;
:class:`BackTranslation` translates into a pivot language and back with two sequence-to-sequence models
(e.g. a pair of Marian models). Models load from local paths only (``local_files_only``: nothing is
downloaded), once per process, in eval mode. The model runs while the parameters are drawn, and the record
holds its result, so replay never reruns it. ``transformers`` and ``torch`` are imported on first use;
without them the constructors raise :class:`augkit.MissingDependencyError`.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import ArgumentError, MissingDependencyError, describe
from augkit.core.rng import draw_seed
from augkit.core.validate import as_bool, as_float, as_int
from augkit.text.common import ProtectedTextTransform, copy_case
from augkit.text.edits import eda_count, pick, replace_words
from augkit.text.lexicon import STOP_WORDS
from augkit.text.tokens import word_positions

__all__ = ["BackTranslation", "ContextualWordReplacement"]

Params = dict[str, Any]
_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str, str], tuple[Any, Any, bool]] = {}
_PROPOSALS: OrderedDict[tuple[Any, ...], tuple[tuple[str, float], ...]] = OrderedDict()
_PROPOSAL_CACHE_SIZE = 8192


def _require(owner: str) -> None:
    missing = [name for name in ("transformers", "torch") if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingDependencyError(
            f"{owner}: this needs {' and '.join(missing)}; install the text extra with `pip install augkit[text]`"
        )


def _as_path(owner: str, name: str, value: object) -> str:
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise ArgumentError(f"{owner}: argument {name!r} expects a path to a local model directory; got {describe(value)}")
    return str(value)


def _as_device(owner: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ArgumentError(
            f"{owner}: argument 'device' expects a torch device name such as 'cpu' or 'cuda:0'; got {describe(value)}"
        )
    return value


def _load(owner: str, kind: str, path: str, device: str) -> tuple[Any, Any, bool]:
    """The (tokenizer, model, marks word starts) at ``path``, loaded once per process and device, in eval mode;
    the flag says whether the vocabulary marks word-initial pieces (``Ġ``, ``▁``) rather than continuations."""
    key = (kind, str(Path(path).expanduser().resolve()), device)
    with _LOCK:
        found = _LOADED.get(key)
        if found is not None:
            return found
        _require(owner)
        if not Path(key[1]).is_dir():
            raise ArgumentError(f"{owner}: model path {path!r} is not a local directory (models are never downloaded)")
        import transformers

        auto = transformers.AutoModelForMaskedLM if kind == "mlm" else transformers.AutoModelForSeq2SeqLM
        tokenizer = transformers.AutoTokenizer.from_pretrained(key[1], local_files_only=True)
        model = auto.from_pretrained(key[1], local_files_only=True).to(device).eval()
        marked = any(t.startswith(("Ġ", "▁")) for t in tokenizer.get_vocab())
        _LOADED[key] = (tokenizer, model, marked)
        return _LOADED[key]


def _whole_word(tokenizer: Any, token_id: int, raw: str, marked: bool) -> str | None:
    """The vocabulary entry as a whole word (letters, inner apostrophes or hyphens), or None for a sub-word
    piece, a special token or anything else."""
    if raw.startswith("##") or (marked and not raw.startswith(("Ġ", "▁"))):
        return None
    word = tokenizer.decode([token_id]).strip()
    if not word or not word.replace("'", "").replace("-", "").isalpha():
        return None
    return word


def _proposals(owner: str, path: str, device: str, masked: list[str], top_k: int) -> list[tuple[tuple[str, float], ...]]:
    """For each masked text: up to ``top_k`` whole-word candidates for its mask and their probabilities."""
    out: list[tuple[tuple[str, float], ...] | None] = []
    missing = []
    for index, text in enumerate(masked):
        key = (path, device, top_k, text)
        with _LOCK:
            found = _PROPOSALS.get(key)
        out.append(found)
        if found is None:
            missing.append(index)
    if missing:
        import torch

        tokenizer, model, marked = _load(owner, "mlm", path, device)
        batch = tokenizer([masked[i] for i in missing], return_tensors="pt", padding=True, truncation=True)
        batch = {k: v.to(device) for k, v in batch.items()}
        with torch.no_grad():
            logits = model(**batch).logits
        special = set(tokenizer.all_special_ids)
        for row, index in enumerate(missing):
            at = masked[index].find(tokenizer.mask_token)
            after_space = marked and at > 0 and masked[index][at - 1].isspace()
            where = (batch["input_ids"][row] == tokenizer.mask_token_id).nonzero()
            found = ()
            if len(where):
                probs = torch.softmax(logits[row, int(where[0, 0])].float(), dim=-1)
                values, ids = torch.topk(probs, k=min(int(probs.shape[0]), top_k * 4 + len(special)))
                kept: list[tuple[str, float]] = []
                for value, token_id in zip(values.tolist(), ids.tolist(), strict=True):
                    if token_id in special:
                        continue
                    word = _whole_word(tokenizer, token_id, tokenizer.convert_ids_to_tokens(token_id), after_space)
                    if word is not None and all(word.lower() != w.lower() for w, _ in kept):
                        kept.append((word, float(value)))
                        if len(kept) == top_k:
                            break
                found = tuple(kept)
            out[index] = found
            with _LOCK:
                _PROPOSALS[(path, device, top_k, masked[index])] = found
                while len(_PROPOSALS) > _PROPOSAL_CACHE_SIZE:
                    _PROPOSALS.popitem(last=False)
    return [found or () for found in out]


class _ModelTransform(ProtectedTextTransform):
    _abstract = True
    #: The transform needs a model directory; ``example()`` names a placeholder path.
    requires_model: ClassVar[bool] = True
    #: Which kind of model each path argument names ("mlm" or "seq2seq").
    model_kinds: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        device: str = "cpu",
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(protected_words, protected_patterns, p)
        self.device = _as_device(type(self).__name__, device)


class ContextualWordReplacement(_ModelTransform):
    """Replace ``n = max(1, int(alpha * l))`` distinct non-stop-words by what a masked language model proposes.

    Each chosen word is masked on its own (one batch through the model) and the model's ``top_k`` whole-word
    proposals other than the word itself are kept; the substitute is drawn from them in proportion to the
    model's probabilities, with the transform's generator, and takes the word's case. The model
    (``AutoModelForMaskedLM`` and ``AutoTokenizer`` from ``model_path``, any BERT/RoBERTa-style model) runs in
    eval mode while the parameters are drawn; the record names each change, so replay is exact without it.

    Args:
        model_path: local directory of a masked language model and its tokenizer.
        top_k: how many of the model's best proposals to draw from.
        alpha: fraction of the ``l`` words replaced (EDA's rounding: at least one).
        device: torch device the model runs on (``"cpu"``, ``"cuda:0"`` ...).

    Example:
        >>> from augkit.text.models import ContextualWordReplacement
        >>> t = ContextualWordReplacement("models/distilroberta-base", top_k=10, alpha=0.15)  # doctest: +SKIP
    """

    model_kinds: ClassVar[dict[str, str]] = {"model_path": "mlm"}

    def __init__(
        self,
        model_path: str,
        top_k: int = 10,
        alpha: float = 0.1,
        n_aug: int = 1,
        device: str = "cpu",
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(device, protected_words, protected_patterns, p)
        owner = type(self).__name__
        self.model_path = _as_path(owner, "model_path", model_path)
        self.top_k = as_int(owner, "top_k", top_k, low=1)
        self.alpha = self._rate("alpha", alpha)
        self.n_aug = as_int(owner, "n_aug", n_aug, low=1)
        _require(owner)

    @classmethod
    def example(cls) -> ContextualWordReplacement:
        return cls("path/to/masked-lm", p=1.0)

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        tokens = self.tokens(text)
        words = word_positions(tokens)
        candidates = [i for i in words if tokens[i].text.lower() not in STOP_WORDS]
        chosen = sorted(candidates[k] for k in pick(rng, len(candidates), eda_count(self.alpha, len(words))))
        if not chosen:
            return {"changes": []}
        tokenizer = _load(type(self).__name__, "mlm", self.model_path, self.device)[0]
        masked = [text[: tokens[i].start] + tokenizer.mask_token + text[tokens[i].end :] for i in chosen]
        proposals = _proposals(type(self).__name__, self.model_path, self.device, masked, self.top_k)
        changes = []
        for index, found, u in zip(chosen, proposals, rng.random(len(chosen)).tolist(), strict=True):
            original = tokens[index].text
            found = tuple((w, q) for w, q in found if w.lower() != original.lower())
            if not found:
                continue
            total = sum(q for _, q in found)
            target, acc = u * total, 0.0
            word = found[-1][0]
            for w, q in found:
                acc += q
                if target < acc:
                    word = w
                    break
            changes.append([index, copy_case(word.lower() if original.islower() else word, original)])
        return {"changes": changes}

    def apply_text(self, text: str, params: Params, /) -> str:
        return replace_words(text, params["changes"], self._protection)


class BackTranslation(_ModelTransform):
    """Translate to a pivot language and back with two sequence-to-sequence models (e.g. Marian en->de, de->en).

    Generation samples (``do_sample=True``, with ``temperature`` and ``top_k``) or searches (``num_beams``); the
    torch seed of each call is drawn from the transform's generator and set inside ``torch.random.fork_rng``, so
    torch's global generator is left as it was (concurrent calls from several threads can still interleave
    their torch draws; run one BackTranslation per process for bit-exact reruns). The record holds the seed,
    the pivot text and the result. Protected spans (numbers, URLs, e-mail addresses, @mentions, #hashtags, the
    user's words and patterns) must come back verbatim: when one is lost the input is kept (``"kept": true``).
    Leading and trailing whitespace of the input is kept; long texts are truncated to the model's length.

    Args:
        forward_model_path: local directory of the model (and tokenizer) translating into the pivot language.
        backward_model_path: local directory of the model (and tokenizer) translating back.
        do_sample: sample the translations (``False``: greedy or beam search, deterministic).
        temperature: sampling temperature.
        top_k: sample among the ``top_k`` most likely tokens (0: all).
        num_beams: beam width (1: no beam search).
        max_new_tokens: longest translation produced, in tokens.
        device: torch device the models run on.
        protected_words: words that must survive (whole words, case-insensitive).
        protected_patterns: regular expressions whose matches must survive.

    Example:
        >>> from augkit.text.models import BackTranslation
        >>> t = BackTranslation("models/opus-mt-en-de", "models/opus-mt-de-en")  # doctest: +SKIP
    """

    model_kinds: ClassVar[dict[str, str]] = {"forward_model_path": "seq2seq", "backward_model_path": "seq2seq"}

    def __init__(
        self,
        forward_model_path: str,
        backward_model_path: str,
        do_sample: bool = True,
        temperature: float = 1.0,
        top_k: int = 50,
        num_beams: int = 1,
        max_new_tokens: int = 256,
        device: str = "cpu",
        protected_words: Sequence[str] = (),
        protected_patterns: Sequence[str] = (),
        p: float = 1.0,
    ) -> None:
        super().__init__(device, protected_words, protected_patterns, p)
        owner = type(self).__name__
        self.forward_model_path = _as_path(owner, "forward_model_path", forward_model_path)
        self.backward_model_path = _as_path(owner, "backward_model_path", backward_model_path)
        self.do_sample = as_bool(owner, "do_sample", do_sample)
        self.temperature = as_float(owner, "temperature", temperature, low=1e-6)
        self.top_k = as_int(owner, "top_k", top_k, low=0)
        self.num_beams = as_int(owner, "num_beams", num_beams, low=1)
        self.max_new_tokens = as_int(owner, "max_new_tokens", max_new_tokens, low=1)
        _require(owner)

    @classmethod
    def example(cls) -> BackTranslation:
        return cls("path/to/forward-model", "path/to/backward-model", max_new_tokens=48, p=1.0)

    def _translate(self, path: str, text: str, seed: int) -> str:
        import torch

        tokenizer, model, _ = _load(type(self).__name__, "seq2seq", path, self.device)
        batch = tokenizer([text], return_tensors="pt", truncation=True)
        batch = {k: v.to(self.device) for k, v in batch.items()}
        options: dict[str, Any] = {
            "max_new_tokens": self.max_new_tokens,
            "num_beams": self.num_beams,
            "do_sample": self.do_sample,
        }
        if self.do_sample:
            options.update(temperature=self.temperature, top_k=self.top_k)
        with torch.random.fork_rng(devices=[]), torch.no_grad():
            torch.manual_seed(seed)
            output = model.generate(**batch, **options)
        return str(tokenizer.batch_decode(output, skip_special_tokens=True)[0]).strip()

    def sample_text(self, rng: np.random.Generator, text: str) -> Params:
        seed = draw_seed(rng)
        core = text.strip()
        if not core:
            return {"seed": seed, "pivot": "", "text": text, "kept": False}
        pivot = self._translate(self.forward_model_path, core, seed)
        back = self._translate(self.backward_model_path, pivot, seed + 1)
        head = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        result = head + back + tail
        spans = [t.text for t in self.tokens(text) if t.kind == "protected"]
        kept = not back or any(result.count(s) < text.count(s) for s in set(spans))
        return {"seed": seed, "pivot": pivot, "text": text if kept else result, "kept": kept}

    def apply_text(self, text: str, params: Params, /) -> str:
        return str(params["text"])
