#!/usr/bin/python3
"""Byte-level BPE tokenizer trainer that writes a Hugging Face `tokenizer.json`.

No external tokenizer library is used: words are pre-tokenized with one regex
(identical in Python `re` and in tokenizers.js's Oniguruma translation for the
ASCII classes used), unique words are counted, and BPE merges are learned
incrementally (pair counts + pair->words index + lazy max-heap), so training
a 16k vocabulary on ~20 MB of code takes minutes.

Pre-tokenization keeps whitespace runs (indentation, blank lines) as their own
pieces; the last space of a run attaches to the following word (GPT-2 style),
so "\n        return" -> "\n       " + " return" and each is a single token
once merged.

Usage (step 3 of the recipe):
  /usr/bin/python3 models/train/tokenizer.py --corpus models/train/.cache/corpus \
      --vocab-size 12288 --sample-mb 24 --out models/train/.cache/tokenizer
"""
import argparse
import heapq
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict

SPECIAL_TOKENS = ["<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|file_sep|>"]

# Identifiers (optionally with one leading space), 1-3 digit groups, runs of
# other non-space characters (punctuation, non-ASCII), whitespace runs.
# Every character is covered by some alternative, so splitting is lossless.
PRETOKENIZE_PATTERN = r"[ ]?[A-Za-z_][A-Za-z0-9_]*|[ ]?[0-9]{1,3}|[ ]?[^\sA-Za-z0-9_]+|\s+(?=[ ][^\s])|\s+"
_PRE_RE = re.compile(PRETOKENIZE_PATTERN)


def bytes_to_unicode():
    """GPT-2 byte <-> printable unicode map used by the ByteLevel pre-tokenizer."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_ENC = bytes_to_unicode()
BYTE_DEC = {v: k for k, v in BYTE_ENC.items()}


def pretokenize(text):
    return _PRE_RE.findall(text)


def count_words(texts, max_word_bytes=64):
    counts = Counter()
    for t in texts:
        for w in _PRE_RE.findall(t):
            b = w.encode("utf-8")
            if len(b) <= max_word_bytes:  # very long pieces are rare and only slow training
                counts[b] += 1
    return counts


def train_bpe(word_counts, num_merges, min_freq=2, log_every=1000):
    """Learn `num_merges` merges. Deterministic: ties broken by smallest pair ids.

    Returns list of (a, b) token-id pairs; token ids: 0..255 bytes, 256+i = merge i.
    """
    words = []  # list of lists of symbol ids
    freqs = []
    for w, c in sorted(word_counts.items()):
        if len(w) >= 2:
            words.append(list(w))
            freqs.append(c)
    pair_counts = defaultdict(int)
    where = defaultdict(set)
    for wi, (syms, f) in enumerate(zip(words, freqs)):
        for a, b in zip(syms, syms[1:]):
            pair_counts[(a, b)] += f
            where[(a, b)].add(wi)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges = []
    t0 = time.time()
    next_id = 256
    while len(merges) < num_merges and heap:
        negc, pair = heapq.heappop(heap)
        c = pair_counts.get(pair, 0)
        if c != -negc:  # stale entry
            if c > 0:
                heapq.heappush(heap, (-c, pair))
            continue
        if c < min_freq:
            break
        a, b = pair
        new = next_id
        next_id += 1
        merges.append(pair)
        changed = set()
        for wi in list(where[pair]):
            syms = words[wi]
            f = freqs[wi]
            # remove old pairs of this word
            for p in zip(syms, syms[1:]):
                pair_counts[p] -= f
                changed.add(p)
            out = []
            i = 0
            n = len(syms)
            while i < n:
                if i + 1 < n and syms[i] == a and syms[i + 1] == b:
                    out.append(new)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            words[wi] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += f
                where[p].add(wi)
                changed.add(p)
        del where[pair]
        pair_counts.pop(pair, None)
        for p in changed:
            cp = pair_counts.get(p, 0)
            if cp > 0:
                heapq.heappush(heap, (-cp, p))
            elif p in pair_counts:
                del pair_counts[p]
        if log_every and len(merges) % log_every == 0:
            print(f"  merges {len(merges)}/{num_merges} last freq {c} ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
    return merges


def build_tokenizer_json(merges, special_tokens=SPECIAL_TOKENS):
    tok_str = [BYTE_ENC[i] for i in range(256)]
    merge_strs = []
    for a, b in merges:
        merge_strs.append(f"{tok_str[a]} {tok_str[b]}")
        tok_str.append(tok_str[a] + tok_str[b])
    vocab = {}
    for i, s in enumerate(tok_str):
        if s not in vocab:  # a merged string can in principle repeat; keep first id
            vocab[s] = i
    # ids are dense only if no duplicates; re-number densely to be safe
    ordered = sorted(vocab.items(), key=lambda kv: kv[1])
    vocab = {s: i for i, (s, _) in enumerate(ordered)}
    added = []
    for t in special_tokens:
        vocab_id = len(vocab) + len(added)
        added.append({"id": vocab_id, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True})
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": PRETOKENIZE_PATTERN}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
            ],
        },
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": merge_strs,
        },
    }


def build_tokenizer_config(tok_json, model_max_length=2048):
    added = {str(t["id"]): {"content": t["content"], "lstrip": False, "normalized": False, "rstrip": False,
                            "single_word": False, "special": True} for t in tok_json["added_tokens"]}
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "add_bos_token": False,
        "add_eos_token": False,
        "add_prefix_space": False,
        "bos_token": None,
        "eos_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "added_tokens_decoder": added,
        "additional_special_tokens": [t["content"] for t in tok_json["added_tokens"][1:]],
        # Lathe reads the FIM/file-separator strings from here (see DESIGN.md engine contract)
        "fim_prefix_token": "<|fim_prefix|>",
        "fim_middle_token": "<|fim_middle|>",
        "fim_suffix_token": "<|fim_suffix|>",
        "file_separator_token": "<|file_sep|>",
    }


class PyBPE:
    """Minimal Python encoder matching the tokenizer.json (for training data)."""

    def __init__(self, tok_json):
        self.vocab = tok_json["model"]["vocab"]
        self.ranks = {}
        for i, m in enumerate(tok_json["model"]["merges"]):
            a, b = m.split(" ") if isinstance(m, str) else m
            self.ranks[(a, b)] = i
        self.special = {t["content"]: t["id"] for t in tok_json["added_tokens"]}
        self.id_to_tok = {i: s for s, i in self.vocab.items()}
        for s, i in self.special.items():
            self.id_to_tok[i] = s
        self.cache = {}
        self.special_re = re.compile("(" + "|".join(re.escape(s) for s in self.special) + ")")
        self.n_vocab = len(self.id_to_tok)

    def _bpe(self, word):
        ids = self.cache.get(word)
        if ids is not None:
            return ids
        syms = [BYTE_ENC[b] for b in word.encode("utf-8")]
        ranks = self.ranks
        while len(syms) > 1:
            best = None
            bi = -1
            for i in range(len(syms) - 1):
                r = ranks.get((syms[i], syms[i + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, i
            if best is None:
                break
            a, b = syms[bi], syms[bi + 1]
            out = []
            i = 0
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            syms = out
        ids = [self.vocab[s] for s in syms]
        if len(self.cache) < 500000:
            self.cache[word] = ids
        return ids

    def encode(self, text, allow_special=True):
        out = []
        parts = self.special_re.split(text) if allow_special else [text]
        for part in parts:
            if not part:
                continue
            if allow_special and part in self.special:
                out.append(self.special[part])
                continue
            for w in _PRE_RE.findall(part):
                out.extend(self._bpe(w))
        return out

    def decode(self, ids):
        bs = bytearray()
        out = []
        for i in ids:
            s = self.id_to_tok[i]
            if s in self.special:
                out.append(bs.decode("utf-8", errors="replace"))
                bs = bytearray()
                out.append(s)
            else:
                bs.extend(BYTE_DEC[c] for c in s)
        out.append(bs.decode("utf-8", errors="replace"))
        return "".join(out)


def write_tokenizer(out_dir, merges, model_max_length=2048):
    os.makedirs(out_dir, exist_ok=True)
    tj = build_tokenizer_json(merges)
    tc = build_tokenizer_config(tj, model_max_length)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return tj, tc


def _sample_texts(corpus_dir, sample_mb, heldout):
    """Deterministic sample: every k-th training file per language until the budget is used."""
    import hashlib
    manifest = os.path.join(corpus_dir, "manifest.jsonl")
    rows = [json.loads(l) for l in open(manifest, encoding="utf-8")]
    rows = [r for r in rows if not r.get("heldout")]
    rows.sort(key=lambda r: hashlib.sha256(r["sha256"].encode()).hexdigest())
    budget = sample_mb * 1e6
    by_lang = defaultdict(list)
    for r in rows:
        by_lang[r["lang"]].append(r)
    total = sum(r["bytes"] for r in rows)
    for lang, rs in sorted(by_lang.items()):
        share = budget * sum(r["bytes"] for r in rs) / total
        used = 0
        for r in rs:
            if used >= share:
                break
            with open(os.path.join(corpus_dir, "files", r["sha256"][:2], r["sha256"]), encoding="utf-8") as f:
                t = f.read()
            used += len(t)
            yield t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="models/train/.cache/corpus")
    ap.add_argument("--vocab-size", type=int, default=12288)
    ap.add_argument("--sample-mb", type=float, default=24)
    ap.add_argument("--out", default="models/train/.cache/tokenizer")
    args = ap.parse_args()
    t0 = time.time()
    counts = count_words(_sample_texts(args.corpus, args.sample_mb, True))
    counts = {w: c for w, c in counts.items() if c >= 2}  # singletons barely affect merges
    print(f"unique words {len(counts)} ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
    n_merges = args.vocab_size - 256 - len(SPECIAL_TOKENS)
    merges = train_bpe(counts, n_merges)
    tj, _ = write_tokenizer(args.out, merges)
    print(f"vocab {len(tj['model']['vocab']) + len(tj['added_tokens'])} merges {len(merges)} "
          f"time {time.time() - t0:.0f}s -> {args.out}", file=sys.stderr)




def eval_bytes_per_token(tok_dir, corpus_dir="models/train/.cache/corpus", max_mb_per_lang=1.0):
    """bytes/token on held-out packages, per language (and check Python round-trip)."""
    tj = json.load(open(os.path.join(tok_dir, "tokenizer.json"), encoding="utf-8"))
    bpe = PyBPE(tj)
    stats = defaultdict(lambda: [0, 0])
    for l in open(os.path.join(corpus_dir, "manifest.jsonl"), encoding="utf-8"):
        r = json.loads(l)
        if not r["heldout"] or stats[r["lang"]][0] > max_mb_per_lang * 1e6:
            continue
        t = open(os.path.join(corpus_dir, "files", r["sha256"][:2], r["sha256"]), encoding="utf-8").read()
        ids = bpe.encode(t, allow_special=False)
        assert bpe.decode(ids) == t, r["path"]
        stats[r["lang"]][0] += len(t.encode("utf-8"))
        stats[r["lang"]][1] += len(ids)
    return {lang: round(b / n, 3) for lang, (b, n) in sorted(stats.items())}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--eval":
        print(json.dumps(eval_bytes_per_token(sys.argv[2] if len(sys.argv) > 2 else "models/train/.cache/tokenizer")))
    else:
        main()
