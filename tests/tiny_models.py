"""Tiny randomly initialised Hugging Face models built on the spot (no download), for the model-based
text transforms' tests and the contract suite."""

from __future__ import annotations

from pathlib import Path

WORDS = [
    *("the", "a", "cat", "dog", "sat", "ran", "on", "mat", "happy", "sad", "big", "small", "house", "car", "quick"),
    *("brown", "fox", "jumps", "over", "lazy", "red", "green", "blue", "tree", "river", "walked", "slept", "Paris"),
]


def _build(directory: Path, specials: dict[str, str], template: str, seed: int, model: str, config: str, **sizes: int) -> Path:
    """Save a word-level tokenizer (``specials``: its special tokens by role, first in the vocabulary, in order;
    ``template``: how a text is framed) and a ``transformers`` ``model`` built from ``config`` with random weights
    drawn after ``torch.manual_seed(seed)``."""
    import torch
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = {w: i for i, w in enumerate([*specials.values(), *WORDS, "##s", ".", ",", "!"])}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token=specials["unk_token"]))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    ids = [(s, vocab[s]) for s in specials.values() if s in template]
    tok.post_processor = processors.TemplateProcessing(single=template, special_tokens=ids)
    tok.decoder = decoders.WordPiece()
    transformers.PreTrainedTokenizerFast(tokenizer_object=tok, **specials).save_pretrained(directory)
    torch.manual_seed(seed)
    settings = getattr(transformers, config)(vocab_size=len(vocab), max_position_embeddings=256, **sizes)
    getattr(transformers, model)(settings).save_pretrained(directory)
    return directory


def build_masked_lm(directory: Path) -> Path:
    """A one-layer BERT masked LM with random weights and a word-level tokenizer, saved in ``directory``."""
    specials = {"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]"}
    sizes = {"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 64}
    return _build(directory, specials, "[CLS] $A [SEP]", 0, "BertForMaskedLM", "BertConfig", **sizes)


def build_seq2seq(directory: Path) -> Path:
    """A one-layer BART translation model with random weights, saved in ``directory``."""
    specials = {"pad_token": "<pad>", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
    layers = {"encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2, "decoder_attention_heads": 2}
    ids = {"pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2, "forced_eos_token_id": 2}
    sizes = {"d_model": 32, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64, **layers, **ids}
    return _build(directory, specials, "$A </s>", 1, "BartForConditionalGeneration", "BartConfig", **sizes)
