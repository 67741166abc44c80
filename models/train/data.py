#!/usr/bin/python3
"""Tokenize the corpus into flat uint16 token streams for training/evaluation.

Each file becomes  <|file_sep|>{last two path components}\\n{content}<|endoftext|>
(the same header the completion engine can send for repository context).
Outputs (ignored): models/train/.cache/data/train.bin, val_<lang>.bin, meta.json
Every corpus file is checked against its manifest sha256 first (a mismatch stops with the file named).

  /usr/bin/python3 models/train/data.py [--tokenizer models/train/tokenizer] [--workers 2]

Compact form for another machine (a GPU box): the token streams and the corpus files the editor rows
read, xz-compressed into one archive, and back:
  /usr/bin/python3 models/train/data.py --pack models/train/.cache/pack.tar.xz
  /usr/bin/python3 models/train/data.py --unpack models/train/.cache/pack.tar.xz
"""
import argparse
import hashlib
import tarfile
import json
import os
import sys
import time
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tokenizer as tk  # noqa: E402
from preflight import sha256_file, verify_corpus  # noqa: E402

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
    ap.add_argument("--pack", help="write the streams + corpus files to this .tar.xz and exit")
    ap.add_argument("--unpack", help="restore the streams + corpus files from this .tar.xz and exit")
    args = ap.parse_args()
    if args.pack or args.unpack:
        return pack(args) if args.pack else unpack(args)
    os.makedirs(args.out, exist_ok=True)
    manifest = os.path.join(args.corpus, "manifest.jsonl")
    rows = [json.loads(l) for l in open(manifest, encoding="utf-8")]
    verify_corpus(args.corpus, rows)
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
    meta["manifest_sha256"] = sha256_file(manifest)
    json.dump(meta, open(os.path.join(args.out, "meta.json"), "w"), indent=1)
    print(json.dumps(meta, indent=1))
    print(f"done in {time.time() - t0:.0f}s", file=sys.stderr)


def pack(args):
    """Streams (train.bin, val_*.bin, meta.json) and the corpus (manifest + files) as one .tar.xz."""
    tmp = args.pack + ".tmp"
    with tarfile.open(tmp, "w:xz", preset=6) as tar:
        for f in sorted(os.listdir(args.out)):
            if f.endswith(".bin") or f == "meta.json":
                tar.add(os.path.join(args.out, f), arcname=f"data/{f}")
        tar.add(os.path.join(args.corpus, "manifest.jsonl"), arcname="corpus/manifest.jsonl")
        tar.add(os.path.join(args.corpus, "files"), arcname="corpus/files")
    os.replace(tmp, args.pack)
    print(json.dumps({"pack": args.pack, "bytes": os.path.getsize(args.pack)}))


def unpack(args):
    with tarfile.open(args.unpack, "r:xz") as tar:
        for m in tar.getmembers():
            if m.name.startswith("/") or ".." in m.name.split("/"):
                raise SystemExit(f"{args.unpack}: unsafe member {m.name}")
            dest = args.out if m.name.startswith("data/") else args.corpus
            m.name = m.name.split("/", 1)[1] if "/" in m.name else ""
            if m.name:
                tar.extract(m, dest)
    rows = [json.loads(l) for l in open(os.path.join(args.corpus, "manifest.jsonl"), encoding="utf-8")]
    verify_corpus(args.corpus, rows)
    print(json.dumps({"unpacked": args.unpack, "files": len(rows)}))


if __name__ == "__main__":
    main()
