"""Tiny randomly initialised Hugging Face models built on the spot (no download), for the model-based
text transforms' tests and the contract suite."""

from __future__ import annotations

from pathlib import Path

WORDS = [
    *("the", "a", "cat", "dog", "sat", "ran", "on", "mat", "happy", "sad", "big", "small", "house", "car", "quick"),
    *("brown", "fox", "jumps", "over", "lazy", "red", "green", "blue", "tree", "river", "walked", "slept", "Paris"),
]


def _word_tokenizer(specials: list[str], template: str, directory: Path, **names: str) -> list[str]:
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = {w: i for i, w in enumerate([*specials, *WORDS, "##s", ".", ",", "!"])}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token=names["unk_token"]))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    ids = [(s, vocab[s]) for s in specials if s in template]
    tok.post_processor = processors.TemplateProcessing(single=template, special_tokens=ids)
    tok.decoder = decoders.WordPiece()
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, **names)
    fast.save_pretrained(directory)
    return list(vocab)


def build_masked_lm(directory: Path) -> Path:
    """A one-layer BERT masked LM with random weights and a word-level tokenizer, saved in ``directory``."""
    import torch
    import transformers

    vocab = _word_tokenizer(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        "[CLS] $A [SEP]",
        directory,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
    )
    transformers.BertForMaskedLM(config).save_pretrained(directory)
    return directory


def build_seq2seq(directory: Path) -> Path:
    """A one-layer BART translation model with random weights, saved in ``directory``."""
    import torch
    import transformers

    vocab = _word_tokenizer(
        ["<pad>", "<s>", "</s>", "<unk>"],
        "$A </s>",
        directory,
        unk_token="<unk>",
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
    )
    torch.manual_seed(1)
    config = transformers.BartConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=256,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_eos_token_id=2,
    )
    transformers.BartForConditionalGeneration(config).save_pretrained(directory)
    return directory
