#!/usr/bin/python3
"""Tokenize the corpus into flat uint16 token streams for training/evaluation.

Each file becomes  <|file_sep|>{last two path components}\\n{content}<|endoftext|>
(the same header the completion engine can send for repository context).
Outputs (ignored): models/train/.cache/data/train.bin, val_<lang>.bin, meta.json

  /usr/bin/python3 models/train/data.py [--tokenizer models/train/tokenizer] [--workers 2]
"""
import argparse
import hashlib
import json
import os
import sys
import time
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tokenizer as tk  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
_bpe = None


def _init(tok_path):
    global _bpe
    _bpe = tk.PyBPE(json.load(open(tok_path, encoding="utf-8")))


def doc_header(path):
    return "/".join(path.split("/")[-2:])


def _encode(args):
    corpus, r = args
    t = open(os.path.join(corpus, "files", r["sha256"][:2], r["sha256"]), encoding="utf-8").read()
    sp = _bpe.special
    ids = [sp["<|file_sep|>"]] + _bpe.encode(doc_header(r["path"]) + "\n", allow_special=False)
    ids += _bpe.encode(t, allow_special=False) + [sp["<|endoftext|>"]]
    return r["lang"], r["heldout"], np.asarray(ids, dtype=np.uint16), r["bytes"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(HERE, ".cache", "corpus"))
    ap.add_argument("--tokenizer", default=os.path.join(HERE, "tokenizer"))
    ap.add_argument("--out", default=os.path.join(HERE, ".cache", "data"))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = [json.loads(l) for l in open(os.path.join(args.corpus, "manifest.jsonl"), encoding="utf-8")]
    # deterministic shuffle of documents so the stream mixes languages
    rows.sort(key=lambda r: hashlib.sha256(("doc" + r["sha256"]).encode()).hexdigest())
    t0 = time.time()
    train = open(os.path.join(args.out, "train.bin.tmp"), "wb")
    val = {}
    stats = {}
    n = 0
    with Pool(args.workers, initializer=_init, initargs=(os.path.join(args.tokenizer, "tokenizer.json"),)) as pool:
        for lang, held, ids, nbytes in pool.imap(_encode, [(args.corpus, r) for r in rows], chunksize=16):
            key = ("val_" if held else "train_") + lang
            s = stats.setdefault(key, [0, 0])
            s[0] += nbytes
            s[1] += len(ids)
            if held:
                val.setdefault(lang, []).append(ids)
            else:
                train.write(ids.tobytes())
            n += 1
            if n % 2000 == 0:
                print(f"  {n}/{len(rows)} files ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
    train.close()
    os.replace(os.path.join(args.out, "train.bin.tmp"), os.path.join(args.out, "train.bin"))
    for lang, arrs in val.items():
        np.concatenate(arrs).tofile(os.path.join(args.out, f"val_{lang}.bin"))
    meta = {k: {"bytes": b, "tokens": t, "bytes_per_token": round(b / t, 3)} for k, (b, t) in sorted(stats.items())}
    meta["tokenizer_sha256"] = hashlib.sha256(open(os.path.join(args.tokenizer, "tokenizer.json"), "rb").read()).hexdigest()
    json.dump(meta, open(os.path.join(args.out, "meta.json"), "w"), indent=1)
    print(json.dumps(meta, indent=1))
    print(f"done in {time.time() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
