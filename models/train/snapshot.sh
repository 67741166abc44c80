#!/bin/sh
# Copy a training checkpoint into the committed path models/train/resume/ so that a fresh machine can
# resume (train.py picks up resume/ckpt.pt when the run's ckpt dir has no latest.pt).
# Default: weights only, fp16 (|w| << 65504, 11-bit mantissa) — about 2 bytes/parameter; the AdamW
# moments restart from zero and train.py re-warms the lr over 50 steps. --with-optimizer also keeps the
# moments (bf16: exp_avg_sq underflows in fp16), ~6 bytes/parameter. Step, token count, data position
# (the sampler is a pure function of the step), hyperparameters and the loss history are always kept.
#   sh models/train/snapshot.sh [--ckpt models/train/ckpt/v2/latest.pt] [--with-optimizer]
#   git add models/train/resume && git commit -m "..." -- models/train/resume
set -e
cd "$(dirname "$0")/../.."
SRC=models/train/ckpt/latest.pt
OPT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ckpt) SRC="$2"; shift 2 ;;
    --with-optimizer) OPT=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
SRC="$SRC" OPT="$OPT" nice -n 10 /usr/bin/python3 - <<'PY'
import json, os, torch
src, dst_dir, keep_opt = os.environ["SRC"], "models/train/resume", os.environ["OPT"] == "1"
os.makedirs(dst_dir, exist_ok=True)
ck = torch.load(src, map_location="cpu")
ck["model"] = {k: v.half() for k, v in ck["model"].items()}
if keep_opt:
    for st in ck["optim"]["state"].values():
        for k in ("exp_avg", "exp_avg_sq"):
            if k in st:
                st[k] = st[k].to(torch.bfloat16)
else:
    ck["optim"] = {"state": {}, "param_groups": ck["optim"]["param_groups"]}
tmp = os.path.join(dst_dir, "ckpt.pt.tmp")
torch.save(ck, tmp)
os.replace(tmp, os.path.join(dst_dir, "ckpt.pt"))
evals = [h for h in ck["history"] if "eval" in h]
meta = {"step": ck["step"], "tokens": ck["tokens"], "train_seconds": round(ck["elapsed"]),
        "hparams": ck["hparams"], "config": ck["config"], "optimizer_state": keep_opt,
        "last_train_loss": next((h["loss"] for h in reversed(ck["history"]) if "loss" in h), None),
        "last_eval": evals[-1] if evals else None,
        "bytes": os.path.getsize(os.path.join(dst_dir, "ckpt.pt"))}
json.dump(meta, open(os.path.join(dst_dir, "meta.json"), "w"), indent=1)
print(json.dumps(meta))
PY
