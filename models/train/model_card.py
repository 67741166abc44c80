"""Writes models/lathe-code-mini/README.md (model card) from the checkpoint history, the export checks and the
line-completion benchmark (quality.json, see quality.py)."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


SET_NAMES = {"held-out": "held-out packages", "unseen": "unseen code"}


def curve_section():
    """Exact line match along training (quality_curve.jsonl, appended by quality.py), or ''."""
    path = os.path.join(HERE, "quality_curve.jsonl")
    if not os.path.exists(path):
        return ""
    pct = lambda r, k: f"{r[k] * 100:.1f}%" if r.get(k) is not None else "–"  # noqa: E731
    hits = lambda r, k: (f"{r[k]['line-start']}/{r[k]['mid-line']}" if r.get(k) else "–")  # noqa: E731

    def loss(r, s):
        v = r.get("answer_loss", {}).get(s)
        return f"{v['plain']:.3f} / {v['full']:.3f}" if v else "–"

    rows = []
    for line in open(path):
        r = json.loads(line)
        beams = f" ({r['beams']} beams)" if r.get("beams", 1) > 1 else ""  # rows before beam search: greedy
        if r.get("prompt_copy"):
            beams = beams[:-1] + ", prompt copy)" if beams else " (prompt copy)"
        rows.append(f"| {r['model']}{beams} | {r.get('total_tokens', r['tokens']) / 1e6:.1f}M | {r.get('ctx')} | "
                    f"{pct(r, 'plain')} ({hits(r, 'plain_hits')}) | {pct(r, 'full')} ({hits(r, 'full_hits')}) | "
                    f"{pct(r, 'unseen_plain')} ({hits(r, 'unseen_plain_hits')}) | {pct(r, 'unseen_full')} ({hits(r, 'unseen_full_hits')}) | "
                    f"{loss(r, 'held-out')} | {loss(r, 'unseen')} |")
    return """
### Along training

Exact line match per checkpoint (`models/train/quality_curve.jsonl`; 200 positions each, seed 1; in brackets the hits
at line start / mid-line, out of 100 each; greedy decoding unless the row names its beams, without prompt copy unless it says so). Tokens count all
training, the v1 run included. Unseen figures before the row "with the open files" were measured on Lathe's sources as
they were at the time, not on the pinned versions. Answer loss: nats per
token of the expected text under the editor's prompts, plain / full (`models/train/answer_loss.py`; lower is better,
and full below plain means the model uses the context the editor sends).

| checkpoint | tokens | context | held-out plain | held-out full | unseen plain | unseen full | answer loss held-out | answer loss unseen |
|---|---|---|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n"


def answer_losses(runs):
    """A sentence on the answer loss of each plain/full pair (quality.py, answer_loss.py), or ''."""
    pairs = [(SET_NAMES[r.get("file_set", "held-out")], r["answer_loss"]) for r in runs if r.get("answer_loss")]
    if not pairs:
        return ""
    parts = "; ".join(f"{name}: plain {v['plain']:.3f}, full {v['full']:.3f} (full lower in {v['full_lower']} of "
                      f"{v['n']} positions)" for name, v in pairs)
    return ("\nAnswer loss of the same positions, in nats per token of the expected text under the prompt each mode "
            f"sent (teacher-forced with the exported checkpoint; `models/train/answer_loss.py`): {parts}.\n")


def quality_section(out_dir):
    """The line-completion table from quality.json (written by models/train/quality.py), or ''."""
    path = os.path.join(out_dir, "quality.json")
    if not os.path.exists(path):
        return ""
    q = json.load(open(path))
    rows = "\n".join(
        f"| {SET_NAMES[r.get('file_set', 'held-out')]} | {r['label']} | {r['exact_match_line'] * 100:.1f}% ({round(r['exact_match_line'] * r['n'])}/{r['n']}) | "
        f"{r['by_kind']['line-start']['hits']}/{r['by_kind']['line-start']['n']} | {r['by_kind']['mid-line']['hits']}/{r['by_kind']['mid-line']['n']} | "
        + (f"{r['baseline_ngram_exact_match_line'] * 100:.1f}%" if r.get("baseline_ngram_exact_match_line") is not None else "–")
        + f" | {r['mean_latency_ms']:.0f} ms |" for r in q["runs"])
    return f"""
## Line-completion quality (measured)

`{q['command']}` with the options in each row: the rest of the line after a cursor at the start of a line's code or
in the middle of it; the baseline is a 4-gram token model with backoff trained on the full training stream. Two sets
of files the model never trained on: the held-out packages of its corpus (`models/train/heldout_files.txt`), and
**unseen code** further away from it (`models/train/unseen_files.txt`: Lathe's own TypeScript and Python,
npm JavaScript outside the corpus; `models/train/unseen_files.py`), measured on the versions that list pins
(`models/train/unseen_snapshot.py` copies them; `--files models/train/.cache/unseen/files.txt`). Under `--context
full` the other listed files of a sample's folder are the editor's open tabs: the context engine's similar code and
prompt copy read them. Step {q['step']}, {q['tokens'] / 1e6:.1f}M training
tokens of this run, measured {q['date']} on a 2-core CPU.

| files | prompt | exact line match | line start | mid-line | 4-gram baseline | mean latency |
|---|---|---|---|---|---|---|
{rows}
{answer_losses(q["runs"])}
{q.get('summary', '')}
{curve_section()}"""


def write_model_card(out_dir, cfg, ck, lathe, n_params):
    h = ck["history"]
    train_pts = [x for x in h if "loss" in x]
    evals = [x for x in h if "eval" in x]
    # loss curve: ~10 evenly spaced points of the training loss + every eval
    pts = train_pts[:: max(1, len(train_pts) // 10)]
    if train_pts and pts[-1] is not train_pts[-1]:
        pts.append(train_pts[-1])
    curve = "\n".join(f"| {p['step']} | {p['tokens'] / 1e6:.2f} | {p['loss']:.3f} |" for p in pts)
    ev_keys = ("python", "ts", "js", "go", "rust", "mean", "fim_middle", "fim_line_psm", "fim_line_spm")
    ev_rows = "\n".join(
        f"| {e['step']} | {e['tokens'] / 1e6:.2f} | " + " | ".join(
            f"{e['eval'][k]:.3f}" if k in e["eval"] else "–" for k in ev_keys) + " |"
        for e in evals)
    meta = json.load(open(os.path.join(HERE, ".cache", "data", "meta.json"))) if os.path.exists(
        os.path.join(HERE, ".cache", "data", "meta.json")) else {}
    bpt = ", ".join(f"{k[4:]} {v['bytes_per_token']}" for k, v in sorted(meta.items()) if k.startswith("val_"))
    checks = lathe.get("export_checks", {})
    chk_rows = ""
    for f, c in checks.items():
        if isinstance(c, dict):
            chk_rows += (f"| `{f}` | {c['bytes'] / 1e6:.1f} MB | {c['max_abs_logit_err_vs_torch']} | "
                         f"{c['greedy_prefix_agreement_vs_torch']} | {c['greedy_exact_sequences']} | {c['ms_per_token']} | "
                         f"{c['first_step_ms']} | {c['next_line_exact_match']} |\n")
    hp = ck["hparams"]
    fim_format = lathe.get("fim_format", "psm")
    exact = sorted({c["next_line_exact_match"] for c in checks.values() if isinstance(c, dict)})
    quality = quality_section(out_dir)
    fp32_row = ("| `onnx/model.onnx` | fp32, opset 14 |" if os.path.exists(os.path.join(out_dir, "onnx", "model.onnx")) else
                "| (`onnx/model.onnx`) | fp32, opset 14: written by the export, not kept in the repository (the int8 file is what "
                "runs); `models/train/export.py --ckpt models/train/resume/ckpt.pt` writes it again |")
    start = lathe["training"].get("warm_start")  # export.py: the run this one was warm-started from
    lineage = "" if not start else (
        f"This run (v2) started from the weights of the v1 run (step {start['step']}, "
        f"{start['tokens'] / 1e6:.1f}M tokens at context 384, a fresh optimizer) and trained at context {hp['ctx']} with "
        f"editor rows: {hp.get('editor_rate', 0):.0%} of the FIM rows are cut like the editor's prompts (cursor at a line's start "
        f"in {hp.get('linestart_rate', 0.5):.0%} of them, else mid-line; token healing as in the engine), "
        f"{1 - hp.get('editor_plain_rate', 0.35):.0%} of those with repository context in the layout of `lathe.json` "
        f"`context_layout` (pieces of other files of the same package, then the current file's header)"
        + (f"; in {hp['editor_relevant_rate']:.0%} of those the pieces are picked as the editor's context engine picks "
           f"them (definitions of the identifiers near the cursor, the most similar window of a sibling file), in the "
           f"rest at random" if hp.get("editor_relevant_rate") else "")
        + f". In all, {lathe['training']['total_tokens'] / 1e6:.1f}M training tokens.\n\n")
    text = f"""# lathe-code-mini

Lathe's embedded default code-completion model: a {n_params / 1e6:.2f}M-parameter Llama-style decoder
trained from scratch on permissively licensed source code, exported in the engine-contract layout
(`shared/DESIGN.md`). It runs in-process with onnxruntime-node on CPU. It is a small, weak model: expect
help with indentation, brackets, common identifiers and short idioms, not correct programs. Users who want
quality plug in a bigger ONNX model folder (e.g. a Qwen2.5-Coder ONNX export) or a remote server.

## Files

| file | content |
|---|---|
| `config.json` | `model_type: "llama"`, {cfg.num_hidden_layers} layers, hidden {cfg.hidden_size}, {cfg.num_attention_heads} heads, {cfg.num_key_value_heads} KV heads, head_dim {cfg.head_dim}, SwiGLU {cfg.intermediate_size}, vocab {cfg.vocab_size}, RoPE θ {cfg.rope_theta:g}, tied embeddings |
| `generation_config.json` | `eos_token_id` {json.dumps(json.load(open(os.path.join(out_dir, "generation_config.json")))["eos_token_id"])} (`<|endoftext|>`, `<|file_sep|>`) |
| `tokenizer.json`, `tokenizer_config.json` | byte-level BPE, 12,288 ids; `tokenizer_config.json` also has `fim_prefix_token`, `fim_suffix_token`, `fim_middle_token`, `file_separator_token`, `eos_token` |
| `lathe.json` | the same FIM strings, `fim_format: "{fim_format}"`, `trained_context_tokens` ({hp['ctx']}), `default_onnx` (`{lathe.get('default_onnx')}`), training summary and export checks |
{fp32_row}
| `onnx/model_int8.onnx` | {lathe['onnx_variants']['model_int8.onnx']}; **default** (`lathe.json` `default_onnx`) |

ONNX IO: inputs `input_ids` int64 [b, s], `attention_mask` int64 [b, past+s], `position_ids` int64 [b, s],
`past_key_values.{{0..{cfg.num_hidden_layers - 1}}}.key|value` float32 [b, {cfg.num_key_value_heads}, past, {cfg.head_dim}]
(zero-length on the first step); outputs `logits` [b, s, {cfg.vocab_size}], `present.{{i}}.key|value` [b, {cfg.num_key_value_heads}, past+s, {cfg.head_dim}].

Prompt formats it was trained on:
- fill-in-the-middle (PSM): `<|fim_prefix|>{{prefix}}<|fim_suffix|>{{suffix}}<|fim_middle|>` → middle, then `<|endoftext|>`;
  also SPM: `<|fim_prefix|><|fim_suffix|>{{suffix}}<|fim_middle|>{{prefix}}` → middle (the folder's default,
  `fim_format: "{fim_format}"`). Prompts end on a token boundary: Lathe's engine heals the partial word before the
  cursor (it forces the answer to start with it), which is how the training rows were cut;
- left-to-right, files written as `<|file_sep|>{{dir/file.ext}}\\n{{content}}<|endoftext|>` (so a file-name header
  tells it the language).
Keep prompts within {hp['ctx']} tokens (the training context); RoPE positions beyond it are untrained.
Session options: on a busy machine set `extra: {{session: {{intra_op: {{allow_spinning: '0'}}}}}}` (measured 1.7× faster).

## Training data

{sum(v['bytes'] for k, v in meta.items() if k.startswith('train_')) / 1e6:.0f} MB of source code
({sum(v['tokens'] for k, v in meta.items() if k.startswith('train_')) / 1e6:.1f}M tokens) from Debian and npm packages
with permissive licences: Python (CPython 3.11 stdlib, PSF-2.0; Debian python3-* packages, BSD/MIT/Apache-2.0),
Go (Go 1.19 tree, BSD-3-Clause), Rust (Debian librust-*-dev crates, MIT/Apache-2.0), TypeScript and JavaScript (npm packages,
MIT/Apache-2.0/BSD/ISC). Exact-deduplicated; minified, generated and compiled files removed. Every file with its package,
version, licence and sha256 is listed in `models/train/corpus_manifest.jsonl.gz`; whole packages are held out for evaluation
(`models/train/heldout_files.txt`). Recipe: `models/train/README.md`.

Tokenizer bytes/token on held-out code: {bpt}.

## Training

{lineage}Objective: next-token prediction; 50% of rows are fill-in-the-middle. In the v1 run, up to 9M tokens those were split
at random points (70% PSM, 30% SPM); from there on 70% of FIM rows run from a cursor to the end
of its line, 15% to the end of 1–4 further lines, 15% are random spans, half in each order, with editor-like short
suffixes (details in `models/train/README.md`). Current settings: FIM {hp.get('fim_rate', 0.5):g}, SPM share {hp.get('spm_rate', 0.3):g},
line {hp.get('fim_line_rate', 0):g}, multi-line {hp.get('fim_multiline_rate', 0):g}.
AdamW, lr {hp['lr']:g} with warm-up and cosine decay to {hp.get('min_lr_ratio', 0.1):g}× over {hp['total_tokens'] / 1e6:.1f}M tokens,
context {hp['ctx']}, {hp['micro_batch'] * hp['ctx'] * hp['accum']} tokens/step, bf16 autocast on a shared 2-core CPU.
This export: step {ck['step']}, **{ck['tokens'] / 1e6:.2f}M training tokens** of this run, {ck['elapsed'] / 3600:.2f} h of training time.
Training is resumable (`models/train/resume/`); later sessions are meant to continue it.

Training loss (nats/token, mixed FIM + left-to-right):

| step | tokens (M) | loss |
|---|---|---|
{curve}

Held-out loss (nats/token; left-to-right windows of whole held-out packages; `fim_middle` = loss on the middle of
random-span PSM samples; `fim_line_*` = loss on the middle of cursor-to-line-end rows in each order):

| step | tokens (M) | python | ts | js | go | rust | mean | fim_middle | fim_line_psm | fim_line_spm |
|---|---|---|---|---|---|---|---|---|---|---|
{ev_rows}

## Export checks (30 held-out prompts: 3 FIM + 3 left-to-right per language, greedy, 24 new tokens)

| file | size | max abs logit diff vs PyTorch | greedy token agreement vs PyTorch | identical sequences | ms/token | first step ms | next line exact |
|---|---|---|---|---|---|---|---|
{chk_rows}
Timings are onnxruntime-node 1.30 on 2 cores shared with other jobs, batch 1, `allow_spinning: 0`. The shipped int8 file uses DequantizeLinear → MatMul (closest to fp32, ~1.7× faster per token than fp32, 2.7× smaller); the MatMulInteger scheme is faster on the prompt but agrees less with fp32.
"Next line exact" ({", ".join(exact) if exact else "not measured"}) = the first generated line equals the held-out line at
the cursor, without token healing (FIM gets the suffix, too); the line-completion benchmark below is the measure that counts.

## Licence

The weights are a product of this repository's training code and are distributed with Lathe under its licence. The
training data is permissively licensed code; see the manifest for attribution of every file.
{quality}"""
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(text)



def rewrite_model_card(out_dir):
    """The card of an exported folder from its lathe.json and the checkpoint that names (quality.py, or by hand)."""
    import torch

    from model import Config, LlamaLM

    lathe = json.load(open(os.path.join(out_dir, "lathe.json")))
    ck = torch.load(os.path.join(ROOT, lathe["training"]["checkpoint"]), map_location="cpu")
    cfg = Config(**ck["config"])
    cfg.max_position_embeddings = ck["hparams"]["ctx"]
    write_model_card(out_dir, cfg, ck, lathe, LlamaLM(cfg).num_params())


if __name__ == "__main__":
    # Rewrite the card of an exported folder, e.g. after removing files from it:
    #   /usr/bin/python3 models/train/model_card.py [models/lathe-code-mini]
    import sys

    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models", "lathe-code-mini")
    rewrite_model_card(out)
    print("wrote", os.path.join(out, "README.md"))
