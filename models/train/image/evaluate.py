#!/usr/bin/python3
"""Measure lathe-image-mini and write its model card figures.

  /usr/bin/python3 models/train/image/evaluate.py --ckpt models/train/.cache/image/export_ckpt.pt

Writes models/lathe-image-mini/samples.png (fixed prompts x seeds, the export's defaults) and
quality.json, then the model card (model_card.py). Images come from the PyTorch weights the export
holds (fp16-rounded; verify_onnx.mjs shows onnxruntime gives the same pixels).
Colour check: each pixel that is not background (not near-white) gets a colour name (data.py's
colour_name); "red share" = red pixels / non-background pixels, per prompt over several seeds.
"""
import argparse
import colorsys
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from data import colour_name  # noqa: E402
from diffusion import Schedule, ddim_sample  # noqa: E402
from export import OUT, load  # noqa: E402
from grid import save_grid, to_uint8  # noqa: E402
from tokenizer import WordTokenizer  # noqa: E402

GRID = ["red heart", "green apple", "blue heart", "yellow star", "smiling face", "cat face", "pizza", "rocket",
        "green heart", "large purple square", "blue book", "black cat"]
COLOUR_PROMPTS = [("red heart", "red"), ("green apple", "green"), ("blue heart", "blue"), ("yellow heart", "yellow"),
                  ("large red circle", "red"), ("large green square", "green")]
# held-out emoji (never trained on) whose prompt names a colour
HELD_OUT_PROMPTS = [("green heart", "green"), ("large purple square", "purple"), ("large orange circle", "orange"),
                    ("blue book", "blue"), ("black cat", "black")]


def colour_shares(img):
    """img [h, w, 3] uint8 -> {colour: share of non-background pixels}, background share."""
    px = img.reshape(-1, 3).astype(np.float32) / 255.0
    fg = px[np.abs(px - 1.0).max(axis=1) > 0.12]
    if len(fg) == 0:
        return {}, 1.0
    names = [colour_name(h * 360, s, v) for h, s, v in (colorsys.rgb_to_hsv(*p) for p in fg)]
    return {c: names.count(c) / len(names) for c in set(names)}, 1 - len(fg) / len(px)


class Sampler:
    def __init__(self, ckpt_path):
        self.ck, self.cfg, self.te, self.unet, self.dec = load(ckpt_path)
        self.tok = WordTokenizer(self.ck["vocab"], self.cfg.max_len)
        self.sched = Schedule()
        self.lat = self.cfg.image_size // 2 ** (len(self.cfg.ae_channels) - 1)

    @torch.no_grad()
    def images(self, prompt, seeds, steps=20, guidance=4.0):
        ids = torch.tensor([self.tok.encode(prompt)] * len(seeds))
        unc = torch.tensor([self.tok.encode("")] * len(seeds))
        z = ddim_sample(self.unet, self.sched, self.te(ids), self.te(unc), seeds, steps, guidance,
                        (self.cfg.latent_channels, self.lat, self.lat))
        return self.dec(z / self.ck["scale"]).clamp(-1, 1)


def measure(s, prompts, seeds, guidance):
    out = []
    for prompt, colour in prompts:
        imgs = to_uint8(s.images(prompt, seeds, guidance=guidance))
        shares = [colour_shares(im)[0] for im in imgs]
        share = float(np.mean([sh.get(colour, 0.0) for sh in shares]))
        dominant = sum(1 for sh in shares if sh and max(sh, key=sh.get) == colour)
        out.append({"prompt": prompt, "colour": colour, "share": round(share, 3),
                    "dominant": f"{dominant}/{len(seeds)}",
                    "red_share": round(float(np.mean([sh.get("red", 0.0) for sh in shares])), 3),
                    "green_share": round(float(np.mean([sh.get("green", 0.0) for sh in shares])), 3)})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--seeds", type=int, default=16)
    ap.add_argument("--guidance", type=float, default=None, help="default: lathe.json's")
    a = ap.parse_args()
    torch.set_num_threads(2)
    s = Sampler(a.ckpt)
    lathe_path = os.path.join(a.out, "lathe.json")
    lathe = json.load(open(lathe_path))
    g = a.guidance if a.guidance is not None else lathe["defaults"]["guidance"]
    steps = lathe["defaults"]["steps"]
    rows = [s.images(p, [1, 2, 3, 4, 5, 6], steps, g) for p in GRID]
    save_grid(rows, os.path.join(a.out, "samples.png"), GRID)
    seeds = list(range(100, 100 + a.seeds))
    res = {"guidance": g, "steps": steps, "scheduler": "ddim", "seeds": f"{seeds[0]}..{seeds[-1]}",
           "colour": measure(s, COLOUR_PROMPTS, seeds, g), "held_out": measure(s, HELD_OUT_PROMPTS, seeds, g),
           "unconditional": measure(s, [("", "red"), ("", "green")], seeds, g)}
    # the same prompts without guidance: how much of the colour comes from the prompt
    res["colour_guidance_1"] = measure(s, COLOUR_PROMPTS[:2], seeds, 1.0)
    hist = [h for h in s.ck.get("history", []) if "eval" in h and h.get("phase") == "diff"]
    res["denoising_mse"] = [{"step": h["step"], **h["eval"]} for h in hist]
    res["training"] = {"step": s.ck["step"], "train_hours": round(s.ck["train_s"] / 3600, 2), "hp": s.ck["hp"]}
    with open(os.path.join(a.out, "quality.json.tmp"), "w") as f:
        json.dump(res, f, indent=1)
    os.replace(os.path.join(a.out, "quality.json.tmp"), os.path.join(a.out, "quality.json"))
    print(json.dumps({k: res[k] for k in ("colour", "held_out", "unconditional")}, indent=1))
    from model_card import write_card
    write_card(a.out, lathe, res)


if __name__ == "__main__":
    main()
