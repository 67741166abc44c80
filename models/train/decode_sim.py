"""Decoding variants of the editor's completions, simulated in PyTorch on recorded prompts.

`lathe bench quality --records F` writes the prompt each position sent and the text its answer was forced to begin
with. This replays those prompts through a checkpoint with the engine's line search (beam search over the first line,
newline-starting tokens counted as one ending, lines compared per token^alpha, no blank lines, early stop;
extension/core/engine/worker/lineBeam.ts)
and optional prompt copy (worker/promptCopy.ts: the model's distribution mixed with the tokens that followed the
longest run, M tokens, ending at the cursor and earlier in the prompt or the document beyond the prompt's windows;
λ = M / (M + strength) for M ≥ min-match), and counts exact lines. A variant is tried here in minutes before the
engine changes; the engine's own figures come from `lathe bench quality` (they agree within a hit or two: the
engine runs the int8 export, this the checkpoint).

    /usr/bin/python3 models/train/decode_sim.py --records plain.jsonl --ckpt models/train/resume/ckpt.pt \\
        --beams 3 --strength 4 --min-match 3 --doc-chars 20000

Prompts depend only on the context mode, not on decoding, so records of any decoding serve. `--doc-chars` reads each
record's file (paths as the bench wrote them, relative to the repository root when not absolute); a file that
changed since the records were written is skipped and counted.
"""
import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import records  # noqa: E402
from answer_loss import load  # noqa: E402

MAX_TOKENS = 40
MAX_MATCH = 32


def run_lengths(source, context):
    """Per position j of `source` (all but the last): how many tokens ending at j equal the end of `context`."""
    n = len(source) - 1
    if n <= 0:
        return source, torch.zeros(0, dtype=torch.long)
    s = torch.tensor(source)
    alive = torch.ones(n, dtype=torch.bool)
    m = torch.zeros(n, dtype=torch.long)
    for k in range(1, min(MAX_MATCH, len(context)) + 1):
        idx = torch.arange(n) - k + 1
        ok = idx >= 0
        eq = torch.zeros(n, dtype=torch.bool)
        eq[ok] = s[idx[ok]] == context[-k]
        alive &= eq
        if not alive.any():
            break
        m[alive] = k
    return s, m


def copy_mix(logprobs, sources, context, a, vocab):
    """`logprobs` mixed with the copy distribution (unchanged without a run of min-match tokens)."""
    found = [run_lengths(src, context) for src in sources]
    longest = max([int(m.max()) for _, m in found if len(m)] + [0])
    if a.strength <= 0 or longest < a.min_match:
        return logprobs
    nxt = torch.cat([s[1:][m == longest] for s, m in found if len(m)])
    votes = torch.bincount(nxt, minlength=vocab).float()
    lam = longest / (longest + a.strength)
    return torch.log((1 - lam) * logprobs.exp() + lam * votes / votes.sum() + 1e-30)


def document_sources(r, bpe, forced, chars):
    """The record's document beyond the prompt's windows, tokenized; None when the file changed since."""
    path = r["file"] if os.path.isabs(r["file"]) else os.path.join(ROOT, r["file"])
    text = open(path, encoding="utf-8").read()
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    line = r["line"] - 1
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    code = text[starts[line]:end].rstrip()
    if not code.endswith(r["expected"]):
        return None
    cursor = starts[line] + len(code) - len(r["expected"])
    prompt = r["prompt"]
    before = text[:cursor - len(forced)]
    after = text[end:]

    def longest(ok, top):  # binary search: the largest k in [0, top] with ok(k)
        lo, hi = 0, top
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if ok(mid) else (lo, mid - 1)
        return lo

    kp = longest(lambda k: prompt.endswith(before[len(before) - k:]), min(len(before), len(prompt)))
    ks = longest(lambda k: after[:k] in prompt, min(len(after), len(prompt)))
    return [bpe.encode(before[max(0, len(before) - kp - chars):len(before) - kp], allow_special=False),
            bpe.encode(after[ks:ks + chars], allow_special=False)]


@torch.no_grad()
def search_line(model, bpe, ctx, texts, masks, r, extra, a):
    forced = r["force_prefix"]
    ids = bpe.encode(r["prompt"], allow_special=True)[-(ctx - MAX_TOKENS):]
    sources = [ids, *extra] if a.strength > 0 else []
    x = torch.tensor([ids])
    logits, past = model(x, attention_mask=torch.ones_like(x))
    rows = F.log_softmax(logits[:, -1].float(), -1)
    lines = [("", 0.0, forced, [])]  # text, score, forced text left, generated ids
    norm = lambda score, n: score / n ** a.length_alpha  # noqa: E731
    finished = []
    vocab = rows.shape[-1]
    allowed = lambda rest: torch.tensor([len(t) > 0 and (rest.startswith(t) or t.startswith(rest)) for t in texts])  # noqa: E731
    for _ in range(MAX_TOKENS):
        cands = []
        for i, (text, score, rest, gen) in enumerate(lines):
            lp = copy_mix(rows[i], sources, ids + gen, a, vocab) if sources else rows[i].clone()
            lp[masks["special"]] = -1e9
            if rest:
                lp[~allowed(rest)] = -1e9
            elif text[len(forced):].strip():
                finished.append((text, score + torch.logsumexp(lp[masks["newline_start"]], 0).item(), len(gen) + 1))
                lp = lp.clone()
                lp[masks["newline_start"]] = -1e9
            top = torch.topk(lp, 2 * a.beams)
            for v, t in zip(top.values.tolist(), top.indices.tolist()):
                if v < -1e8:
                    continue
                tt = texts[t]
                if rest and rest.startswith(tt):
                    left, free = rest[len(tt):], ""
                elif rest:
                    left, free = "", tt[len(rest):]
                else:
                    left, free = "", tt
                if "\n" in free:
                    line = text + tt[:len(tt) - len(free)] + free.split("\n")[0]
                    if not left and line[len(forced):].strip():
                        finished.append((line, score + v, len(gen) + 1))
                    continue
                cands.append((score + v, i, t, text + tt, left))
        cands = sorted(cands, key=lambda c: -c[0])[:a.beams]
        # Stop when a finished line is as good as the best live one would be if it ended now.
        if not cands or (finished and max(norm(f[1], f[2]) for f in finished) >= norm(cands[0][0], len(lines[cands[0][1]][3]) + 1)):
            break
        lines = [(c[3], c[0], c[4], lines[c[1]][3] + [c[2]]) for c in cands]
        parents = torch.tensor([c[1] for c in cands])
        past = [(k[parents], v[parents]) for k, v in past]
        mask = torch.ones(len(cands), past[0][0].shape[2] + 1, dtype=torch.long)
        logits, past = model(torch.tensor([[c[2]] for c in cands]), attention_mask=mask, past_key_values=past)
        rows = F.log_softmax(logits[:, -1].float(), -1)
    best = max(finished, key=lambda f: norm(f[1], f[2]))[0] if finished else lines[0][0]
    return best[len(forced):].rstrip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", required=True)
    ap.add_argument("--ckpt", default=os.path.join(HERE, "resume", "ckpt.pt"))
    ap.add_argument("--tokenizer", default=os.path.join(ROOT, "models", "lathe-code-mini"))
    ap.add_argument("--beams", type=int, default=3)
    ap.add_argument("--strength", type=float, default=0, help="prompt copy's strength; 0: no prompt copy")
    ap.add_argument("--min-match", type=int, default=3)
    ap.add_argument("--doc-chars", type=int, default=0, help="also copy from this many characters of the document "
                    "on each side beyond the prompt's windows")
    ap.add_argument("--length-alpha", type=float, default=0, help="lines compare by log-probability / "
                    "tokens^alpha (0, the engine's DEFAULT_LENGTH_ALPHA: by total)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N records")
    a = ap.parse_args()
    if a.beams < 1 or a.min_match < 1:
        sys.exit("--beams and --min-match must be at least 1")
    torch.set_num_threads(1)
    model, ctx, bpe = load(a.ckpt, a.tokenizer)
    model.eval()
    recs = records.read_records(a.records, ("file", "line", "kind", "expected", "prompt", "force_prefix", "exact"))
    recs = recs[:a.limit] if a.limit else recs
    texts = [bpe.decode([i]) for i in range(model.embed_tokens.weight.shape[0])]
    masks = {"newline_start": torch.tensor([t.startswith("\n") for t in texts]),
             "special": torch.tensor([t.startswith("<|") and t.endswith("|>") for t in texts])}
    out = {"n": 0, "hits": 0, "recorded_hits": 0, "gained": 0, "lost": 0, "skipped": 0, "by_kind": {}}
    for r in recs:
        extra = []
        if a.strength > 0 and a.doc_chars:
            extra = document_sources(r, bpe, r["force_prefix"], a.doc_chars)
            if extra is None:
                out["skipped"] += 1
                continue
        hit = search_line(model, bpe, ctx, texts, masks, r, extra, a) == r["expected"].rstrip()
        k = out["by_kind"].setdefault(r["kind"], {"n": 0, "hits": 0})
        k["n"] += 1
        k["hits"] += hit
        out["n"] += 1
        out["hits"] += hit
        out["recorded_hits"] += bool(r["exact"])
        out["gained"] += hit and not r["exact"]
        out["lost"] += bool(r["exact"]) and not hit
    out.update(beams=a.beams, strength=a.strength, min_match=a.min_match, doc_chars=a.doc_chars, length_alpha=a.length_alpha)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
