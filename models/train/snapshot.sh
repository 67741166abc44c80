#!/bin/sh
# Copy the latest training checkpoint into the committed path models/train/resume/ so that a fresh
# machine can resume (train.py picks up resume/ckpt.pt when models/train/ckpt/latest.pt is absent).
# Weights are stored fp16 (|w| << 65504, 11-bit mantissa), Adam moments bf16 (fp32 range: exp_avg_sq
# underflows in fp16); step, token count, data position (the sampler is a pure function of the step),
# hyperparameters and the loss history are kept. ~6 bytes/parameter.
#   sh models/train/snapshot.sh && git add models/train/resume && git commit -m "..." -- models/train/resume
set -e
cd "$(dirname "$0")/../.."
nice -n 10 /usr/bin/python3 - <<'PY'
import json, os, torch
src, dst_dir = "models/train/ckpt/latest.pt", "models/train/resume"
os.makedirs(dst_dir, exist_ok=True)
ck = torch.load(src, map_location="cpu")
ck["model"] = {k: v.half() for k, v in ck["model"].items()}
for st in ck["optim"]["state"].values():
    for k in ("exp_avg", "exp_avg_sq"):
        if k in st:
            st[k] = st[k].to(torch.bfloat16)
tmp = os.path.join(dst_dir, "ckpt.pt.tmp")
torch.save(ck, tmp)
os.replace(tmp, os.path.join(dst_dir, "ckpt.pt"))
evals = [h for h in ck["history"] if "eval" in h]
meta = {"step": ck["step"], "tokens": ck["tokens"], "train_seconds": round(ck["elapsed"]),
        "hparams": ck["hparams"], "config": ck["config"],
        "last_train_loss": next((h["loss"] for h in reversed(ck["history"]) if "loss" in h), None),
        "last_eval": evals[-1] if evals else None,
        "bytes": os.path.getsize(os.path.join(dst_dir, "ckpt.pt"))}
json.dump(meta, open(os.path.join(dst_dir, "meta.json"), "w"), indent=1)
print(json.dumps(meta))
PY
