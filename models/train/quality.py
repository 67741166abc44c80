#!/usr/bin/python3
"""Line-completion quality of an exported model folder with `lathe bench quality`, side by side in one run:
both FIM orders, token healing on/off, int8 vs fp32 weights, prefix/suffix only vs the editor's tree-sitter context. Writes
<model>/quality.json and rewrites the model card (README.md) with the table. Each pair of plain and full runs over the
same positions also gets the answer loss of the editor's prompts under the checkpoint the folder was exported from
(answer_loss.py), which resolves the context's effect where 200 exact-match positions cannot.

  npm run build && /usr/bin/python3 models/train/quality.py [--model models/lathe-code-mini] [--samples 200] [--seed 1]
      [--set-fim-format]   also declare the better FIM order (plain prompts, healing on) in lathe.json
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from model_card import rewrite_model_card  # noqa: E402

BASE = "lathe bench quality --model {model} --files models/train/heldout_files.txt --samples {samples} --seed {seed} --confidence off --json"


# Two sets of files the model never trained on: the held-out packages of its corpus, and code further away from it
# (this repository's own TypeScript and Python, npm JavaScript outside the corpus; unseen_files.py). The unseen set
# is measured on the versions its list pins (unseen_snapshot.py), not on this repository's sources as they are now.
FILE_SETS = {"held-out": "heldout_files.txt", "unseen": "unseen_files.txt"}
LISTS = {}


def file_list(files):
    if files not in LISTS:
        path = os.path.join(HERE, FILE_SETS[files])
        if files == "unseen":
            import unseen_snapshot

            path = unseen_snapshot.snapshot(path, os.path.join(HERE, ".cache", "unseen"))
        LISTS[files] = path
    return LISTS[files]


def bench(model, samples, seed, *flags, files="held-out", records=None):
    cmd = ["node", os.path.join(ROOT, "dist", "cli.js"), "bench", "quality", "--model", model, "--files",
           file_list(files), "--samples", str(samples), "--seed", str(seed), "--confidence", "off",
           "--json", *flags]
    print("$", " ".join(cmd[1:]), flush=True)
    if records:
        cmd += ["--records", records]
    r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout)
    print(f"  exact {r['exact_match_line']:.3f} baseline {r['baseline_ngram_exact_match_line']} "
          f"latency {r['mean_latency_ms']:.0f} ms {json.dumps(r['by_kind'])}", flush=True)
    return r


LOADED = {}


def answer_loss_of(lathe, plain, full):
    """Answer loss (nats per token) of plain and full runs' prompts under the exported checkpoint, or None."""
    ckpt = os.path.join(ROOT, lathe.get("training", {}).get("checkpoint", ""))
    if not os.path.isfile(ckpt) or not plain.get("records") or not full.get("records"):
        print(f"  answer loss: skipped (checkpoint {ckpt} not found)", flush=True)
        return None
    import answer_loss as al

    if ckpt not in LOADED:  # one load for every pair of the run
        LOADED[ckpt] = al.load(ckpt, os.path.join(ROOT, "models", "lathe-code-mini"))
    model, ctx, bpe = LOADED[ckpt]
    r = al.compare(al.read_records(plain["records"]), al.read_records(full["records"]), model, ctx, bpe)["all"]
    out = {"plain": round(r["plain_per_token"], 4), "full": round(r["full_per_token"], 4), "full_lower": r["full_lower"],
           "n": r["n"]}
    print(f"  answer loss per token: plain {out['plain']:.3f} full {out['full']:.3f} (full lower in "
          f"{out['full_lower']}/{out['n']})", flush=True)
    return out


def append_curve(path, lathe, plain, full, unseen_plain=None, unseen_full=None):
    t = lathe["training"]
    kinds = lambda r: {k: v["hits"] for k, v in r["by_kind"].items()}  # noqa: E731
    row = {"model": lathe.get("training", {}).get("checkpoint"), "step": t["step"], "tokens": t["tokens"],
           "total_tokens": t.get("total_tokens", t["tokens"]),
           "ctx": lathe.get("trained_context_tokens"), "plain": plain["exact_match_line"], "plain_hits": kinds(plain),
           "full": full["exact_match_line"], "full_hits": kinds(full), "n": plain["n"], "beams": plain.get("beams", 1),
           "prompt_copy": plain.get("prompt_copy", False),
           "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="minutes")}
    if unseen_plain and unseen_full:
        row.update(unseen_plain=unseen_plain["exact_match_line"], unseen_plain_hits=kinds(unseen_plain),
                   unseen_full=unseen_full["exact_match_line"], unseen_full_hits=kinds(unseen_full))
    losses = {s: r["answer_loss"] for s, r in (("held-out", full), ("unseen", unseen_full)) if r and r.get("answer_loss")}
    if losses:
        row["answer_loss"] = losses
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")
    print("curve:", json.dumps(row), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "lathe-code-mini"))
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--set-fim-format", action="store_true")
    ap.add_argument("--quick", action="store_true",
                    help="only the model's own order, plain and full context (for the curve along a training run)")
    ap.add_argument("--curve", default=os.path.join(HERE, "quality_curve.jsonl"),
                    help="append this measurement (tokens, exact match plain/full, line-start/mid-line) to this file")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(ROOT, "dist", "cli.js")):
        sys.exit("dist/cli.js is missing: run `npm run build` first")
    lathe_path = os.path.join(a.model, "lathe.json")
    lathe = json.load(open(lathe_path))
    runs = []
    scratch = tempfile.mkdtemp(prefix="lathe-quality-")

    def run(label, *flags, files="held-out"):
        records = os.path.join(scratch, f"{len(runs)}.jsonl")
        r = bench(a.model, a.samples, a.seed, *flags, files=files, records=records)
        r["label"] = label
        r["flags"] = " ".join(flags)
        r["file_set"] = files
        r["records"] = records
        runs.append(r)
        return r

    def with_answer_loss(plain, full):
        loss = answer_loss_of(lathe, plain, full)
        if loss:
            full["answer_loss"] = loss
        return plain, full

    def plain_and_full(order, files, baseline=False):
        plain = run(f"{order.upper()}, prefix/suffix only, token healing", "--fim-order", order,
                    *([] if baseline else ["--ngram-data", "none"]), files=files)
        full = run(f"{order.upper()} with the editor's pipeline and context (`--context full`)", "--fim-order", order,
                   "--context", "full", "--ngram-data", "none", files=files)
        return with_answer_loss(plain, full)

    if a.quick:
        order = lathe.get("fim_format", "spm")
        append_curve(a.curve, lathe, *plain_and_full(order, "held-out"), *plain_and_full(order, "unseen"))
        return
    spm = run("suffix-first FIM (`--fim-order spm`), prefix/suffix only, token healing", "--fim-order", "spm")
    psm = run("prefix-first FIM (`--fim-order psm`), prefix/suffix only, token healing", "--fim-order", "psm",
              "--ngram-data", "none")
    best = "spm" if spm["exact_match_line"] >= psm["exact_match_line"] else "psm"
    run(f"{best.upper()}, prefix/suffix only, no token healing (`--heal off`)", "--fim-order", best, "--heal", "off",
        "--ngram-data", "none")
    run(f"{best.upper()}, prefix/suffix only, token healing, greedy decoding (`--beams 1`; the other rows search the "
        "first line with the editor's beams)", "--fim-order", best, "--beams", "1", "--ngram-data", "none")
    run(f"{best.upper()}, prefix/suffix only, token healing, no prompt copy (`--copy off`; the other rows mix in the "
        "tokens that followed the text before the cursor earlier in the prompt or the document, as the editor does)", "--fim-order", best,
        "--copy", "off", "--ngram-data", "none")
    run(f"{best.upper()}, prefix/suffix only, no prompt copy, on unseen code (`--copy off`)", "--fim-order", best,
        "--copy", "off", "--ngram-data", "none", files="unseen")
    if os.path.exists(os.path.join(a.model, "onnx", "model.onnx")):  # the committed folder ships int8 only
        run(f"{best.upper()}, prefix/suffix only, token healing, fp32 weights (`--dtype fp32`; the rows above use the default)",
            "--fim-order", best, "--dtype", "fp32", "--ngram-data", "none")
    full = run(f"{best.upper()} with the editor's completion pipeline and tree-sitter context (`--context full`)",
               "--fim-order", best, "--context", "full", "--ngram-data", "none")
    with_answer_loss(spm if best == "spm" else psm, full)
    append_curve(a.curve, lathe, spm if best == "spm" else psm, full, *plain_and_full(best, "unseen", baseline=True))
    if a.set_fim_format:
        lathe["fim_format"] = best
        json.dump(lathe, open(lathe_path, "w"), indent=2)
    top = max(spm["exact_match_line"], psm["exact_match_line"])
    base = spm["baseline_ngram_exact_match_line"] or 0
    ratio = top / base if base else float("inf")
    times = f"{ratio:.1f}×" if base else "(baseline hit nothing) vs"
    summary = (f"Best plain-prompt result: {top * 100:.1f}% exact lines ({best.upper()}), {times} the 4-gram baseline "
               f"({base * 100:.1f}%). Targets: ≥ 30% exact ({'met' if top >= 0.3 else 'not met'}) and ≥ 2× the baseline "
               f"({'met' if ratio >= 2 else 'not met'}). `fim_format` declared in lathe.json: `{lathe.get('fim_format')}`.")
    print(summary)
    t = lathe["training"]
    out = {"command": BASE.format(model=os.path.relpath(a.model, ROOT), samples=a.samples, seed=a.seed),
           "step": t["step"], "tokens": t["tokens"], "date": datetime.date.today().isoformat(), "summary": summary,
           "runs": runs}
    for r in runs:
        r.pop("records")  # a scratch path
    json.dump(out, open(os.path.join(a.model, "quality.json"), "w"), indent=1)
    print(json.dumps({r["file_set"] + ": " + r["label"]: r["exact_match_line"] for r in runs}, indent=1))

    rewrite_model_card(a.model)
    print(f"wrote {os.path.join(a.model, 'quality.json')} and the model card")


if __name__ == "__main__":
    main()
