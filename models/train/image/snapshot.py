#!/usr/bin/python3
"""Compact resume snapshot of lathe-image-mini: fp16 weights of the autoencoder and the EMA text encoder +
UNet, no optimizer moments (AdamW restarts; training continues from the EMA weights), the phase/step,
hyperparameters, vocabulary and history. train.py resumes from it when there is no checkpoint of its own.

  /usr/bin/python3 models/train/image/snapshot.py [--ckpt models/train/ckpt/image/latest.pt]
  git add models/train/image/resume && git commit -m "..." -- models/train/image/resume
"""
import argparse
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "..", "ckpt", "image", "latest.pt"))
    ap.add_argument("--out", default=os.path.join(HERE, "resume"))
    a = ap.parse_args()
    ck = torch.load(a.ckpt, map_location="cpu")
    keep = ("enc", "dec", "ema_te", "ema_unet")
    snap = {k: v for k, v in ck.items() if k not in ("models", "ae_opt", "opt")}
    snap["models"] = {n: {k: v.half() for k, v in ck["models"][n].items()} for n in keep}
    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(a.out, "ckpt.pt.tmp")
    torch.save(snap, tmp)
    os.replace(tmp, os.path.join(a.out, "ckpt.pt"))
    meta = {"phase": snap["phase"], "step": snap["step"], "train_hours": round(snap["train_s"] / 3600, 2),
            "hp": snap["hp"], "bytes": os.path.getsize(os.path.join(a.out, "ckpt.pt")),
            "last_eval": next((h for h in reversed(snap.get("history", [])) if "eval" in h), None)}
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
