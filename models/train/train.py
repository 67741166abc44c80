#!/usr/bin/python3
"""Train the Lathe code model (Llama-style decoder, FIM + left-to-right) on CPU (bf16 autocast) or CUDA.

Start / resume (same command; resumes from models/train/ckpt/latest.pt, else from the committed
snapshot models/train/resume/ckpt.pt, else starts fresh):
  setsid nohup nice -n 10 /usr/bin/python3 models/train/train.py > models/train/logs/train.log 2>&1 &
Measure throughput of a config for N seconds (no checkpoints):
  /usr/bin/python3 models/train/train.py --bench 30 --d 256 --layers 6
Start a new run from another run's weights (same shapes; a longer context is fine with RoPE), with a fresh
optimizer, e.g. v2 (ctx 1024, editor rows) from the v1 snapshot:
  ... train.py --preset cpu2 --ckpt-dir models/train/ckpt/v2 --init-from models/train/resume/ckpt.pt
Checks before any training time is spent: a checkpoint of another preset, token streams built with another
tokenizer or from a corpus whose files disagree with the manifest, and special tokens that differ from the
shipped model's lathe.json stop the script with an error that says what to do.
"""
import argparse
import json
import math
import os
import signal
import sys
import time

# Busy-waiting OpenMP threads collapse throughput on a shared, oversubscribed CPU (measured here at
# load 10 on 2 cores: 2 spinning threads 160-240 tokens/s, 1 thread 530, 2 passive threads 470-640).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import Config, LlamaLM  # noqa: E402
from editor_rows import EditorRows  # noqa: E402
import tokenizer as tk  # noqa: E402
from preflight import SHAPE_KEYS, check_data, check_init_shapes, check_preset, check_special_tokens, ckpt_preset  # noqa: E402,E501

ROOT = os.path.dirname(os.path.dirname(HERE))

SPECIAL = {"<|endoftext|>": None, "<|fim_prefix|>": None, "<|fim_middle|>": None, "<|fim_suffix|>": None,
           "<|file_sep|>": None}

PRESETS = {
    # 7.6M params (4.4M non-embedding); sized for a shared 2-core AMX-BF16 machine (see README)
    "cpu": dict(d=256, layers=6, heads=4, kv_heads=2, ffn=704, ctx=384, micro_batch=16, accum=2, lr=2e-3,
                total_tokens=20_000_000),
    # v2: the v1 shapes (its weights warm-start it), 1,024-token context, editor rows with repository context
    "cpu2": dict(d=256, layers=6, heads=4, kv_heads=2, ffn=704, ctx=1024, micro_batch=6, accum=1, lr=6e-4,
                 total_tokens=12_000_000),
    # bigger model when a GPU is present
    "cuda": dict(d=768, layers=12, heads=12, kv_heads=4, ffn=2048, ctx=1024, micro_batch=32, accum=4, lr=6e-4,
                 total_tokens=2_000_000_000),
}


TRAIN_DEFAULTS = dict(warmup_steps=200, min_lr_ratio=0.1, wd=0.1, fim_rate=0.5, spm_rate=0.5, fim_line_rate=0.7,
                      fim_multiline_rate=0.15, fim_max_suffix=128, editor_rate=0.0, linestart_rate=0.5,
                      editor_plain_rate=0.35, editor_relevant_rate=0.0)
# editor rows are what v2 adds; older presets keep editor_rate 0 (their checkpoints resume unchanged)
PRESET_TRAIN = {"cpu2": dict(editor_rate=0.6, warmup_steps=100, editor_relevant_rate=0.75),
                "cuda": dict(editor_rate=0.5, editor_relevant_rate=0.75)}


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default=None, help="cpu|cuda (default: cuda if available)")
    for k in ("d", "layers", "heads", "kv_heads", "ffn", "ctx", "micro_batch", "accum"):
        ap.add_argument("--" + k.replace("_", "-"), dest=k, type=int, default=None)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--total-tokens", type=int, default=None, help="cosine schedule length")
    ap.add_argument("--max-tokens", type=int, default=None, help="stop after this many tokens (default: 2x total)")
    # defaults for these come from TRAIN_DEFAULTS (or the checkpoint being resumed)
    ap.add_argument("--warmup-steps", type=int, default=None)
    ap.add_argument("--min-lr-ratio", type=float, default=None)
    ap.add_argument("--wd", type=float, default=None)
    ap.add_argument("--fim-rate", type=float, default=None)
    ap.add_argument("--spm-rate", type=float, default=None, help="share of FIM samples in SPM order")
    ap.add_argument("--fim-line-rate", type=float, default=None, help="share of FIM rows whose middle is the rest of a line")
    ap.add_argument("--fim-multiline-rate", type=float, default=None,
                    help="share of FIM rows whose middle is the rest of a line and 1-4 more (others: random spans)")
    ap.add_argument("--fim-max-suffix", type=int, default=None, help="longest suffix (tokens) of a cursor FIM row")
    ap.add_argument("--editor-rate", type=float, default=None,
                    help="share of FIM rows built like the editor's prompts (editor_rows.py; repository context)")
    ap.add_argument("--linestart-rate", type=float, default=None,
                    help="share of editor rows whose cursor is at the start of a line's code (answer: the whole line)")
    ap.add_argument("--editor-plain-rate", type=float, default=None,
                    help="share of editor rows without repository context (prefix/suffix only)")
    ap.add_argument("--editor-relevant-rate", type=float, default=None,
                    help="share of editor rows with context whose pieces are picked as the editor picks them "
                         "(definitions of nearby identifiers, similar code); the rest get random sibling pieces")
    ap.add_argument("--init-from", default=None,
                    help="start a new run from this checkpoint's weights (fresh optimizer, step 0)")
    ap.add_argument("--corpus", default=os.path.join(HERE, ".cache", "corpus"))
    ap.add_argument("--rewarm-steps", type=int, default=0,
                    help="after resuming, ramp the lr linearly over this many steps (for a raised --lr)")
    ap.add_argument("--data", default=os.path.join(HERE, ".cache", "data"))
    ap.add_argument("--tokenizer", default=os.path.join(HERE, "tokenizer"))
    ap.add_argument("--ckpt-dir", default=os.path.join(HERE, "ckpt"))
    ap.add_argument("--resume-snapshot", default=os.path.join(HERE, "resume", "ckpt.pt"))
    ap.add_argument("--ckpt-every-min", type=float, default=10)
    ap.add_argument("--eval-every-min", type=float, default=10)
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--fp32", action="store_true", help="CPU: no bf16 autocast (for CPUs without fast bf16 matmuls)")
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--eval-only", action="store_true",
                    help="print the held-out losses of the checkpoint it would resume from, and exit")
    ap.add_argument("--bench", type=float, default=0, help="measure tokens/s for N seconds, then exit")
    return ap.parse_args()


def load_newline_ids(tok_dir):
    """Ids of tokens whose text contains a newline (byte-level BPE writes the byte 0x0A as U+010A)."""
    tj = json.load(open(os.path.join(tok_dir, "tokenizer.json"), encoding="utf-8"))
    return np.array(sorted(i for t, i in tj["model"]["vocab"].items() if "\u010a" in t), dtype=np.int64)


def load_special(tok_dir):
    tj = json.load(open(os.path.join(tok_dir, "tokenizer.json"), encoding="utf-8"))
    sp = {t["content"]: t["id"] for t in tj["added_tokens"]}
    return sp, len(tj["model"]["vocab"]) + len(tj["added_tokens"])


class Batcher:
    """Training samples, deterministic in (seed, step, micro).

    A share `fim_rate` of the rows are fill-in-the-middle samples; the rest are plain windows of the
    stream. FIM rows are built around a cursor, the way an editor asks: the middle runs from a token
    boundary to the end of that line (`fim_line_rate`), over one to four more lines
    (`fim_multiline_rate`), or is a random span (the rest). Prefix and suffix stop at document
    boundaries; the suffix is 0..`fim_max_suffix` tokens (an editor sends a short one), and the row is
    filled up to the context with a plain window after its <|endoftext|> (packing).
    """

    def __init__(self, path, ctx, sp, a, seed, newline_ids, editor=None):
        self.editor = editor
        self.data = np.memmap(path, dtype=np.uint16, mode="r") if isinstance(path, str) else path
        self.ctx, self.sp, self.a, self.seed = ctx, sp, a, seed
        self.fim_rate, self.spm_rate = a.fim_rate, a.spm_rate
        self._newline_ids = newline_ids
        self._index = None

    def index(self):
        """Positions of tokens that contain a newline, and of <|endoftext|> (built once, ~1 s per 50M tokens)."""
        if self._index is None:
            is_nl = np.zeros(65536, dtype=bool)
            is_nl[self._newline_ids] = True
            d = np.asarray(self.data)
            self._index = (np.flatnonzero(is_nl[d]), np.flatnonzero(d == self.sp["<|endoftext|>"]))
        return self._index

    def sentinels(self):
        sp = self.sp
        return sp["<|fim_prefix|>"], sp["<|fim_suffix|>"], sp["<|fim_middle|>"], sp["<|endoftext|>"]

    def order(self, P, M, S, rng):
        pre, suf, mid, eot = self.sentinels()
        if rng.random() < self.spm_rate:  # SPM (variant with prefix after <|fim_middle|>)
            return np.concatenate([[pre, suf], S, [mid], P, M, [eot]])
        return np.concatenate([[pre], P, [suf], S, [mid], M, [eot]])

    def fim(self, w, rng):
        """Random-span FIM inside a window (split at two uniform token positions)."""
        n = len(w) - 4
        w = w[:n]
        i, j = sorted(rng.integers(0, n + 1, size=2))
        return self.order(w[:i], w[i:j], w[j:], rng)

    def cursor_fim(self, rng, L):
        """A FIM row around a random cursor whose middle ends at a line end, packed to length L.
        Returns (row, m0, m1): row[m0:m1] is the middle and its <|endoftext|> (empty for a plain row)."""
        nl, eots = self.index()
        d = self.data
        max_mid = 96
        c = int(rng.integers(L, len(d) - L))
        k = int(np.searchsorted(nl, c, side="right"))  # first newline token after the cursor
        extra = 0 if rng.random() < self.a.fim_line_rate / max(1e-9, self.a.fim_line_rate + self.a.fim_multiline_rate) \
            else int(rng.integers(1, 5))
        q = int(nl[min(k + extra, len(nl) - 1)])
        q = max(c + 1, min(q, c + max_mid))
        e = int(np.searchsorted(eots, c, side="left"))
        doc_end = int(eots[e]) if e < len(eots) else len(d)
        doc_start = int(eots[e - 1]) + 1 if e > 0 else 0
        q = min(q, doc_end)
        if q <= c:  # cursor on the <|endoftext|> itself: fall back to a plain window
            return d[c:c + L].astype(np.int64), 0, 0
        s_len = int(rng.integers(0, self.a.fim_max_suffix + 1))
        S = d[q:min(q + s_len, doc_end)]
        p_len = L - 4 - (q - c) - len(S)
        P = d[max(doc_start, c - p_len):c]
        row = self.order(P.astype(np.int64), d[c:q].astype(np.int64), S.astype(np.int64), rng)
        m0, m1 = len(row) - (q - c) - 1, len(row)
        if len(row) < L:
            r = int(rng.integers(0, len(d) - L))
            row = np.concatenate([row, d[r:r + L - len(row)].astype(np.int64)])
        return row[:L], m0, m1

    def batch(self, step, micro, bsz):
        rng = np.random.default_rng([self.seed, step, micro])
        L = self.ctx + 1
        out = np.empty((bsz, L), dtype=np.int64)
        span_rate = max(0.0, 1.0 - self.a.fim_line_rate - self.a.fim_multiline_rate)
        for b in range(bsz):
            if rng.random() < self.fim_rate:
                ed = self.editor.row(rng, L, rng.random() < self.spm_rate) if self.editor and rng.random() < self.a.editor_rate else None
                if ed is not None:
                    row = ed[0][:L]
                    if len(row) < L:  # packed with a window of the stream, as the cursor rows
                        r = int(rng.integers(0, len(self.data) - L))
                        row = np.concatenate([row, self.data[r:r + L - len(row)].astype(np.int64)])
                    out[b] = row
                elif rng.random() < span_rate:
                    s = int(rng.integers(0, len(self.data) - L))
                    out[b] = self.fim(self.data[s:s + L].astype(np.int64), rng)
                else:
                    out[b] = self.cursor_fim(rng, L)[0]
            else:
                s = int(rng.integers(0, len(self.data) - L))
                out[b] = self.data[s:s + L]
        x = torch.from_numpy(out)
        inp, tgt = x[:, :-1], x[:, 1:].clone()
        # the token after a FIM sentinel's prefix/suffix boundary is unpredictable: don't train on sentinels
        tgt[(tgt == self.sp["<|fim_prefix|>"]) | (tgt == self.sp["<|fim_suffix|>"])] = -100
        return inp, tgt


def lr_at(step, tokens, a):
    if step < a.warmup_steps:
        return a.lr * (step + 1) / a.warmup_steps
    p = min(1.0, tokens / a.total_tokens)
    return a.lr * (a.min_lr_ratio + (1 - a.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * p)))


@torch.no_grad()
def evaluate(model, a, sp, device, amp, newline_ids, editor_eval=None):
    """Held-out loss per language (left-to-right windows) and FIM middle-token loss."""
    model.eval()
    res = {}
    fim_losses = {}
    for f in sorted(os.listdir(a.data)):
        if not f.startswith("val_"):
            continue
        lang = f[4:-4]
        d = np.memmap(os.path.join(a.data, f), dtype=np.uint16, mode="r")
        L = a.ctx + 1
        n = min(16, max(1, (len(d) - L) // L))
        starts = np.linspace(0, len(d) - L - 1, n).astype(np.int64)
        x = torch.from_numpy(np.stack([d[s:s + L].astype(np.int64) for s in starts])).to(device)
        with amp():
            logits, _ = model(x[:, :-1])
        res[lang] = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1)).item()
        # FIM loss on the middle + <|endoftext|>: random spans (PSM) and cursor-to-line-end rows (PSM and SPM)
        for kind in ("fim_middle", "fim_line_psm", "fim_line_spm"):
            ea = argparse.Namespace(**{**vars(a), "spm_rate": 1.0 if kind == "fim_line_spm" else 0.0,
                                       "fim_line_rate": 1.0, "fim_multiline_rate": 0.0})
            b = Batcher(d, a.ctx, sp, ea, 0, newline_ids)
            rng = np.random.default_rng(0)
            rows, masks = [], []
            for s in starts[:8]:
                if kind == "fim_middle":
                    r = b.fim(d[s:s + L].astype(np.int64), rng)
                    m0, m1 = int(np.where(r == sp["<|fim_middle|>"])[0][0]) + 1, L
                else:
                    r, m0, m1 = b.cursor_fim(rng, L)
                m = np.zeros(L, dtype=bool)
                m[m0:m1] = True
                rows.append(r)
                masks.append(m)
            x = torch.from_numpy(np.stack(rows)).to(device)
            m = torch.from_numpy(np.stack(masks)).to(device)[:, 1:]
            with amp():
                logits, _ = model(x[:, :-1])
            tl = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1), reduction="none")
            fim_losses.setdefault(kind, []).append((tl * m.reshape(-1)).sum().item() / max(1, m.sum().item()))
    res["mean"] = float(np.mean(list(res.values())))
    if editor_eval is not None:
        # answer loss of editor rows in held-out packages: with repository context picked as the editor picks
        # it, and the same positions without it (`_plain`); context that helps makes the first lower
        for kind, ls, plain in (("ed_linestart", 1.0, 0.0), ("ed_midline", 0.0, 0.0),
                                ("ed_linestart_plain", 1.0, 1.0), ("ed_midline_plain", 0.0, 1.0)):
            ea = argparse.Namespace(**{**vars(a), "linestart_rate": ls, "editor_plain_rate": plain,
                                       "editor_relevant_rate": 1.0})
            editor_eval.a = ea
            rows, masks = [], []
            n = 0
            while len(rows) < 16:
                n += 1  # one generator per draw: both variants see the same positions
                r = editor_eval.row(np.random.default_rng([1, n]), a.ctx + 1, True)
                if r is None:
                    continue
                ids, m0 = r
                pad = a.ctx + 1 - len(ids)
                m = np.zeros(a.ctx + 1, dtype=bool)
                m[m0:len(ids)] = True
                rows.append(np.concatenate([ids, np.full(pad, sp["<|endoftext|>"], dtype=np.int64)]))
                masks.append(m)
            x = torch.from_numpy(np.stack(rows)).to(device)
            m = torch.from_numpy(np.stack(masks)).to(device)[:, 1:]
            with amp():
                logits, _ = model(x[:, :-1])
            tl = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1), reduction="none")
            fim_losses[kind] = [(tl * m.reshape(-1)).sum().item() / max(1, m.sum().item())]
    for kind, losses in fim_losses.items():
        res[kind] = float(np.mean(losses))
    model.train()
    return res


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def main():
    a = parse()
    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    preset = a.preset or ("cuda" if cuda else "cpu")
    torch.set_num_threads(a.threads)
    sp, vocab = load_special(a.tokenizer)

    ckpt = None
    latest = os.path.join(a.ckpt_dir, "latest.pt")
    if not a.bench:
        # a run started with --init-from never falls back to the committed v1 snapshot
        for p in (latest,) if a.init_from else (latest, a.resume_snapshot):
            if os.path.exists(p):
                ckpt = torch.load(p, map_location="cpu")
                check_preset(p, ckpt["hparams"], a.preset, PRESETS, {k: getattr(a, k) for k in SHAPE_KEYS})
                print(f"resuming from {p} at step {ckpt['step']} ({ckpt['tokens'] / 1e6:.1f}M tokens)", flush=True)
                break
    if ckpt is not None:  # hyperparameters come from the checkpoint unless overridden on the command line
        base = dict(ckpt["hparams"])
        base.setdefault("preset", ckpt_preset(base, PRESETS))
    else:
        base = {**PRESETS[preset], **PRESET_TRAIN.get(preset, {}), "preset": preset}
    base = {**TRAIN_DEFAULTS, **base}
    for k, v in base.items():
        if getattr(a, k, None) is None:
            setattr(a, k, v)
    check_special_tokens(sp, os.path.join(ROOT, "models", "lathe-code-mini", "lathe.json"),
                         ckpt.get("special") if ckpt else None)
    if not a.bench or os.path.exists(os.path.join(a.data, "meta.json")):
        check_data(a.data, os.path.join(a.tokenizer, "tokenizer.json"), os.path.join(a.corpus, "manifest.jsonl"))
    a.tokens_per_step = a.micro_batch * a.ctx * a.accum
    if a.max_tokens is None:  # keep going at the final lr after the schedule (about 3 epochs)
        a.max_tokens = max(2 * a.total_tokens, 3 * os.path.getsize(os.path.join(a.data, "train.bin")) // 2)
    hparams = {k: getattr(a, k) for k in list(PRESETS["cpu"]) + list(TRAIN_DEFAULTS) + ["preset"]}

    cfg = Config(vocab_size=vocab, hidden_size=a.d, num_hidden_layers=a.layers, num_attention_heads=a.heads,
                 num_key_value_heads=a.kv_heads, head_dim=a.d // a.heads, intermediate_size=a.ffn,
                 max_position_embeddings=max(1024, a.ctx), tie_word_embeddings=True)
    torch.manual_seed(a.seed)
    model = LlamaLM(cfg).to(device)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.wd}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8, foreach=True)
    step, tokens, elapsed, history = 0, 0, 0.0, []
    if ckpt is not None:
        model.load_state_dict({k: v.float() for k, v in ckpt["model"].items()})
        osd = ckpt["optim"]
        for st in osd["state"].values():
            for k in ("exp_avg", "exp_avg_sq"):
                if k in st:
                    st[k] = st[k].float()
        if osd["state"]:
            opt.load_state_dict(osd)
        step, tokens, elapsed, history = ckpt["step"], ckpt["tokens"], ckpt.get("elapsed", 0.0), ckpt.get("history", [])
        if not osd["state"]:
            a.rewarm_steps = a.rewarm_steps or 50
            print(f"weights-only checkpoint: AdamW moments start from zero, lr re-warmed over {a.rewarm_steps} steps",
                  flush=True)
        del ckpt
    elif a.init_from and not a.bench:
        init = torch.load(a.init_from, map_location="cpu")
        check_init_shapes(a.init_from, init["config"], cfg)
        check_special_tokens(sp, "", init.get("special"))
        model.load_state_dict({k: v.float() for k, v in init["model"].items()})
        history = [{"step": 0, "tokens": 0, "init_from": os.path.relpath(a.init_from, ROOT),
                    "init_step": init["step"], "init_tokens": init["tokens"]}]
        print(f"new run from the weights of {a.init_from} (step {init['step']}, {init['tokens'] / 1e6:.1f}M tokens)",
              flush=True)
        del init

    def amp():
        if cuda:
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return torch.cpu.amp.autocast(dtype=torch.bfloat16, enabled=not a.fp32)

    newline_ids = load_newline_ids(a.tokenizer)
    editor = editor_eval = None
    if a.editor_rate > 0:
        bpe = tk.PyBPE(json.load(open(os.path.join(a.tokenizer, "tokenizer.json"), encoding="utf-8")))
        editor = EditorRows(a.corpus, bpe, sp, a)
        editor_eval = EditorRows(a.corpus, bpe, sp, a, heldout=True)
    batcher = Batcher(os.path.join(a.data, "train.bin"), a.ctx, sp, a, a.seed, newline_ids, editor)
    print(f"model {model.num_params() / 1e6:.2f}M params ({(model.num_params() - vocab * a.d) / 1e6:.2f}M non-embedding) "
          f"cfg {json.dumps(cfg.to_dict())} tokens/step {a.tokens_per_step} total {a.total_tokens / 1e6:.0f}M "
          f"train stream {len(batcher.data) / 1e6:.1f}M tokens device {device}", flush=True)
    if a.eval_only:  # the held-out losses of the checkpoint this command would resume from, then exit
        ev = evaluate(model, a, sp, device, amp, newline_ids, editor_eval)
        print(json.dumps({"step": step, "tokens": tokens, "eval": {k: round(v, 4) for k, v in ev.items()}}), flush=True)
        return
    os.makedirs(a.ckpt_dir, exist_ok=True)

    stop = {"flag": False}

    def on_term(sig, frame):
        stop["flag"] = True
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)

    def checkpoint():
        save_atomic({"model": model.state_dict(), "optim": opt.state_dict(), "step": step, "tokens": tokens,
                     "special": sp,
                     "elapsed": elapsed, "history": history, "hparams": hparams, "config": cfg.to_dict(),
                     "args": {k: v for k, v in vars(a).items()}}, latest)
        print(f"checkpoint step {step} -> {latest}", flush=True)

    model.train()
    resume_step = step
    t_start = time.time()
    last_ckpt = last_eval = time.time()
    win_t, win_tok, win_loss, win_n = time.time(), 0, 0.0, 0
    while tokens < a.max_tokens and not stop["flag"]:
        t0 = time.time()
        lr = lr_at(step, tokens, a)
        if step - resume_step < a.rewarm_steps:
            lr *= (step - resume_step + 1) / a.rewarm_steps
        for g in opt.param_groups:
            g["lr"] = lr
        for micro in range(a.accum):
            x, y = batcher.batch(step, micro, a.micro_batch)
            x, y = x.to(device), y.to(device)
            with amp():
                logits, _ = model(x)
            loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
            (loss / a.accum).backward()
            win_loss += loss.item()
            win_n += 1
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tokens += a.tokens_per_step
        win_tok += a.tokens_per_step
        elapsed += time.time() - t0
        if a.bench and time.time() - t_start > a.bench:
            tps = win_tok / (time.time() - win_t)
            print(f"BENCH params {model.num_params() / 1e6:.2f}M d {a.d} L {a.layers} ctx {a.ctx} mb {a.micro_batch}: "
                  f"{tps:.0f} tokens/s loss {win_loss / win_n:.3f}", flush=True)
            return
        if step == 2 and a.bench:  # exclude warm-up from the measurement
            win_t, win_tok = time.time(), 0
        if step % a.log_every == 0 and not a.bench:
            dt = time.time() - win_t
            tps = win_tok / dt
            eta = max(0, a.total_tokens - tokens) / max(tps, 1)  # 0 once the schedule is done (lr stays at min)
            print(f"step {step} tokens {tokens / 1e6:.2f}M loss {win_loss / win_n:.4f} lr {lr:.2e} gnorm {gn:.2f} "
                  f"tok/s {tps:.0f} ETA(total {a.total_tokens / 1e6:.0f}M) {eta / 3600:.2f}h", flush=True)
            history.append({"step": step, "tokens": tokens, "loss": round(win_loss / win_n, 4), "tok_s": round(tps),
                            "time": round(elapsed)})
            win_t, win_tok, win_loss, win_n = time.time(), 0, 0.0, 0
        if not a.bench and time.time() - last_eval > a.eval_every_min * 60:
            te = time.time()
            ev = evaluate(model, a, sp, device, amp, newline_ids, editor_eval)
            history.append({"step": step, "tokens": tokens, "eval": {k: round(v, 4) for k, v in ev.items()}})
            print(f"EVAL step {step} tokens {tokens / 1e6:.2f}M " + " ".join(f"{k} {v:.4f}" for k, v in ev.items()), flush=True)
            last_eval = time.time()
            win_t += time.time() - te  # eval time is excluded from tok/s
        if not a.bench and time.time() - last_ckpt > a.ckpt_every_min * 60:
            checkpoint()
            last_ckpt = time.time()
    if not a.bench:
        checkpoint()
        print("stopped" if stop["flag"] else "finished", flush=True)


if __name__ == "__main__":
    main()
