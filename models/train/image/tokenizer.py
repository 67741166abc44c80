"""Word-level tokenizer of lathe-image-mini, written as a Hugging Face tokenizer.json.

CLIP conventions, so a Stable Diffusion pipeline tokenizes it the same way as a real CLIP tokenizer:
lower-cased words and punctuation runs (`Whitespace` pre-tokenizer: \\w+|[^\\w\\s]+), the post-processor
adds <|startoftext|> ... <|endoftext|>, the pipeline truncates to model_max_length (keeping the final
<|endoftext|>) and pads with <|endoftext|> (pad_token). Words never seen in training map to <|unk|>.
"""
import json
import os
import unicodedata
from collections import Counter

from data import words

BOS, EOS, UNK = "<|startoftext|>", "<|endoftext|>", "<|unk|>"
SPECIALS = [BOS, EOS, UNK]
# words of the caption templates used in training (train.py), always in the vocabulary
TEMPLATE_WORDS = "a an the of emoji icon picture drawing".split()


def build_vocab(captions):
    counts = Counter(w for c in captions for w in words(unicodedata.normalize("NFC", c)))
    vocab = {t: i for i, t in enumerate(SPECIALS)}
    for w in TEMPLATE_WORDS + sorted(counts):
        vocab.setdefault(w, len(vocab))
    return vocab


class WordTokenizer:
    def __init__(self, vocab, max_len):
        self.vocab, self.max_len = vocab, max_len
        self.bos, self.eos, self.unk = vocab[BOS], vocab[EOS], vocab[UNK]

    def encode(self, text):
        """ids as the pipeline builds them: bos, words (truncated), eos, eos padding to max_len."""
        ids = [self.vocab.get(w, self.unk) for w in words(unicodedata.normalize("NFC", text))]
        ids = [self.bos] + ids[: self.max_len - 2] + [self.eos]
        return ids + [self.eos] * (self.max_len - len(ids))

    def tokenizer_json(self):
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [dict(id=self.vocab[t], content=t, single_word=False, lstrip=False, rstrip=False,
                                  normalized=False, special=True) for t in SPECIALS],
            "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]},
            "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": BOS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": EOS, "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": BOS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": EOS, "type_id": 0}}],
                "special_tokens": {t: {"id": t, "ids": [self.vocab[t]], "tokens": [t]} for t in (BOS, EOS)},
            },
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordLevel", "vocab": self.vocab, "unk_token": UNK},
        }

    def tokenizer_config(self):
        return {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": self.max_len,
                "bos_token": BOS, "eos_token": EOS, "pad_token": EOS, "unk_token": UNK,
                "do_lower_case": True, "clean_up_tokenization_spaces": True}

    def save(self, folder):
        os.makedirs(folder, exist_ok=True)
        for name, obj in (("tokenizer.json", self.tokenizer_json()), ("tokenizer_config.json", self.tokenizer_config())):
            tmp = os.path.join(folder, name + ".tmp")
            with open(tmp, "w") as f:
                json.dump(obj, f, indent=1, ensure_ascii=False)
            os.replace(tmp, os.path.join(folder, name))
