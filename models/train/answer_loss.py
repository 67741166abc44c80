"""Answer loss of the editor's own prompts: does the context the editor sends help the model?

`lathe bench quality --records F` writes, per position, the prompt the completion pipeline sent and
the text its answer was forced to begin with (token healing). This scores the expected answer
(forced text + expected rest of the line) under each prompt with a checkpoint, teacher-forced, for
two runs over the same positions (`--context plain` and `--context full`, same --files/--samples/
--seed): the mean answer loss (nats per token) of each, and in how many positions full is lower.
Exact-match over 200 positions moves by whole hits and cannot resolve a small gain; this can.

    /usr/bin/python3 models/train/answer_loss.py --plain plain.jsonl --full full.jsonl \
        --ckpt models/train/resume/ckpt.pt --tokenizer models/lathe-code-mini
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import records  # noqa: E402
from export import load_checkpoint  # noqa: E402
from tokenizer import PyBPE  # noqa: E402


def read_records(path):
    return records.read_records(path, ("file", "line", "kind", "expected", "prompt", "force_prefix"))


@torch.no_grad()
def answer_loss(model, bpe, ctx, record):
    """Mean and summed loss of the answer tokens, and their count."""
    prompt = bpe.encode(record["prompt"], allow_special=True)
    answer = bpe.encode(record["force_prefix"] + record["expected"], allow_special=False)
    if not answer:
        return None
    ids = (prompt + answer)[-ctx:]
    x = torch.tensor([ids], dtype=torch.long)
    logits = model(x[:, :-1])[0][0].float()
    n = len(answer)
    tl = F.cross_entropy(logits[-n:], x[0, -n:], reduction="none")
    return tl.mean().item(), tl.sum().item(), n


def load(ckpt, tokenizer_dir):
    """The model of a checkpoint, its context length, and the tokenizer of a model folder."""
    with open(os.path.join(tokenizer_dir, "tokenizer.json"), encoding="utf-8") as f:
        bpe = PyBPE(json.load(f))
    model, ck = load_checkpoint(ckpt)
    return model, ck.get("hparams", {}).get("ctx") or ck["config"]["max_position_embeddings"], bpe


def compare(plain, full, model, ctx, bpe, names=("plain", "full")):
    """Answer loss of two record lists over the same positions: per kind and in all."""
    # Same --files, --samples and --seed give the same positions in the same order.
    if len(plain) != len(full):
        raise ValueError(f"{names[0]} has {len(plain)} positions and {names[1]} {len(full)}: run both with the same "
                         "--files, --samples and --seed")
    for n, (p, q) in enumerate(zip(plain, full), 1):
        if (p["file"], p["line"], p["kind"], p["expected"]) != (q["file"], q["line"], q["kind"], q["expected"]):
            raise ValueError(f"position {n} differs: {p['file']}:{p['line']} ({p['kind']}) in {names[0]}, "
                             f"{q['file']}:{q['line']} ({q['kind']}) in {names[1]}: run both with the same --files, "
                             "--samples and --seed")
    fields = ("n", "plain", "full", "full_lower", "tokens", "plain_sum", "full_sum")
    by_kind = {}
    for r_plain, r_full in zip(plain, full):
        p, q = answer_loss(model, bpe, ctx, r_plain), answer_loss(model, bpe, ctx, r_full)
        if p is None or q is None:
            continue
        s = by_kind.setdefault(r_plain["kind"], dict.fromkeys(fields, 0))
        for f, v in (("n", 1), ("plain", p[0]), ("full", q[0]), ("full_lower", int(q[0] < p[0])), ("tokens", p[2]),
                     ("plain_sum", p[1]), ("full_sum", q[1])):
            s[f] += v
    total = {f: sum(s[f] for s in by_kind.values()) for f in fields}
    return {"positions": total["n"], "by_kind": {k: summary(s) for k, s in sorted(by_kind.items())},
            "all": summary(total)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plain", required=True, help="records of `bench quality --context plain`")
    ap.add_argument("--full", required=True, help="records of `bench quality --context full`, same positions")
    ap.add_argument("--ckpt", required=True, help="a checkpoint (train.py's, or the weights-only resume snapshot)")
    ap.add_argument("--tokenizer", default="models/lathe-code-mini", help="folder with tokenizer.json")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    model, ctx, bpe = load(a.ckpt, a.tokenizer)
    try:
        report = {"ckpt": a.ckpt, **compare(read_records(a.plain), read_records(a.full), model, ctx, bpe,
                                            (a.plain, a.full))}
    except ValueError as e:
        sys.exit(str(e))
    if a.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{a.ckpt}: {report['positions']} positions")
    for kind, s in [*report["by_kind"].items(), ("all", report["all"])]:
        print(f"  {kind:10s} n {s['n']:4d}  answer loss plain {s['plain']:.3f}  full {s['full']:.3f}  "
              f"(per token {s['plain_per_token']:.3f} / {s['full_per_token']:.3f})  full lower in {s['full_lower']}")


def summary(s):
    n, t = max(1, s["n"]), max(1, s["tokens"])
    return {"n": s["n"], "plain": s["plain"] / n, "full": s["full"] / n, "full_lower": s["full_lower"],
            "plain_per_token": s["plain_sum"] / t, "full_per_token": s["full_sum"] / t,
            "perplexity_ratio": math.exp((s["full_sum"] - s["plain_sum"]) / t)}


if __name__ == "__main__":
    main()
