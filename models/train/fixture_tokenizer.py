"""A byte-level BPE tokenizer of any vocabulary size for size fixtures (random-weight models).

The merges start with those of Lathe's own code tokenizer (`tokenizer/tokenizer.json`, learned
from the training corpus, so code tokenizes about as compactly as with a real code tokenizer);
the vocabulary is then filled to the wanted size with further merges of those tokens
(deterministic, never repeating a string), and the model's special tokens follow at their real
ids. The same inputs always give the same file. Output quality is meaningless; sizes and the
tokenizer's cost per prompt are realistic.
"""
import json
import os

import tokenizer as tk

HERE = os.path.dirname(os.path.abspath(__file__))

# Qwen2.5's added tokens, ids 151643 … 151664 (the model's published tokenizer layout).
QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>",
                 "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>",
                 "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>",
                 "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"]


def fixture_merges(regular_tokens):
    """`regular_tokens - 256` merges as (id, id) pairs: Lathe's tokenizer's first, then synthetic."""
    want = regular_tokens - 256
    with open(os.path.join(HERE, "tokenizer", "tokenizer.json"), encoding="utf-8") as f:
        base = json.load(f)["model"]["merges"]
    strings = [tk.BYTE_ENC[i] for i in range(256)]
    index = {s: i for i, s in enumerate(strings)}
    merges = []
    for m in base[:want]:
        a, b = m.split(" ") if isinstance(m, str) else m
        merges.append((index[a], index[b]))
        index[a + b] = len(strings)
        strings.append(a + b)
    assert len(index) == len(strings), "merges repeat a string"
    printable = [i for i in range(256) if chr(i).isalnum() or chr(i) in "_ .,;:(){}[]=<>+-*/'\"!?&|"]
    left = 256
    while len(merges) < want:
        for b in printable:
            s = strings[left] + strings[b]
            if s not in index:
                index[s] = len(strings)
                strings.append(s)
                merges.append((left, b))
                if len(merges) == want:
                    break
        left += 1
    return merges


def write_fixture_tokenizer(out_dir, regular_tokens, specials, model_max_length):
    """tokenizer.json + tokenizer_config.json; specials get ids regular_tokens, regular_tokens + 1, …"""
    merges = fixture_merges(regular_tokens)
    tj = tk.build_tokenizer_json(merges, special_tokens=specials)
    assert len(tj["model"]["vocab"]) == regular_tokens, len(tj["model"]["vocab"])
    tc = tk.build_tokenizer_config(tj, model_max_length)
    tc["additional_special_tokens"] = [t for t in specials if t != "<|endoftext|>"]
    tc["bos_token"] = None
    tc["errors"] = "replace"
    for key in ("fim_prefix_token", "fim_middle_token", "fim_suffix_token", "file_separator_token"):
        tc.pop(key, None)  # a Qwen folder declares FIM only through its added tokens
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tc, f, ensure_ascii=False, indent=2)
    return tj
