#!/usr/bin/python3
"""Train lathe-image-mini: autoencoder first, then text encoder + UNet (latent diffusion, epsilon, CFG).

Start / resume (the same command; resumes from --ckpt-dir/latest.pt, else the committed snapshot
models/train/image/resume/ckpt.pt, else starts fresh):
  setsid nohup nice -n 10 /usr/bin/python3 models/train/image/train.py > models/train/logs/image.log 2>&1 < /dev/null &
Stop: kill -TERM <pid> (writes a checkpoint first). Throughput of a config: --bench 20.
"""
import argparse
import json
import math
import os
import random
import signal
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # spinning OpenMP threads collapse on a shared CPU

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from diffusion import Schedule, ddim_sample  # noqa: E402
from grid import save_grid  # noqa: E402
from model import Decoder, Encoder, ImageConfig, TextEncoder, UNet, count  # noqa: E402
from tokenizer import WordTokenizer, build_vocab  # noqa: E402

CACHE = os.path.join(HERE, "..", ".cache", "image")
TEMPLATES = ["{}", "{}", "{}", "a {}", "an emoji of {}", "{} emoji", "{} icon", "a picture of {}", "a drawing of {}"]
# fixed prompts and seeds of the sample grids (training progress) and of the model card
GRID_PROMPTS = ["red heart", "green apple", "blue heart", "yellow star", "cat face", "pizza", "green heart",
                "large purple square", "blue book", "black cat", ""]
DEFAULTS = dict(ae_steps=1800, ae_batch=32, ae_lr=3e-4, kl_weight=1e-6, diff_steps=10000, batch=48, lr=3e-4,
                warmup=300, min_lr_ratio=0.1, wd=0.01, ema=0.9995, uncond_rate=0.1, unk_rate=0.03,
                template_rate=0.35, min_snr=5.0, seed=1234)


def parse():
    ap = argparse.ArgumentParser()
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), dest=k, type=type(v), default=None)
    ap.add_argument("--ckpt-dir", default=os.path.join(HERE, "..", "ckpt", "image"))
    ap.add_argument("--resume-snapshot", default=os.path.join(HERE, "resume", "ckpt.pt"))
    ap.add_argument("--samples-dir", default=os.path.join(HERE, "..", "logs", "image_samples"))
    ap.add_argument("--ckpt-every-min", type=float, default=10)
    ap.add_argument("--sample-every-min", type=float, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast (measured 2.7x slower than fp32 for this UNet)")
    ap.add_argument("--bench", type=float, default=0, help="measure samples/s for N seconds, then exit")
    ap.add_argument("--bench-phase", default="ae", help="ae|diff (with --bench)")
    return ap.parse_args()


def load_data():
    meta_path = os.path.join(CACHE, "captions.json")
    if not os.path.exists(meta_path):
        raise SystemExit(f"{meta_path} not found: run models/train/image/data.py first")
    meta = json.load(open(meta_path))
    images = np.load(os.path.join(CACHE, "emoji32.npz"))["images"]
    if len(images) != len(meta["items"]):
        raise SystemExit("emoji32.npz and captions.json disagree: rerun models/train/image/data.py")
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 127.5 - 1.0
    train = [i for i, it in enumerate(meta["items"]) if not it["held_out"]]
    held = [i for i, it in enumerate(meta["items"]) if it["held_out"]]
    return meta, x, train, held


def atomic_save(obj, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


class Trainer:
    def __init__(self, a):
        self.a = a
        self.meta, self.x, self.train_idx, self.held_idx = load_data()
        self.ckpt_path = os.path.join(a.ckpt_dir, "latest.pt")
        ck = None
        for p in (self.ckpt_path, a.resume_snapshot):
            if not a.bench and os.path.exists(p):
                ck = torch.load(p, map_location="cpu")
                print(f"resuming from {p}: phase {ck['phase']} step {ck['step']}", flush=True)
                break
        hp = dict(DEFAULTS)
        if ck:
            hp.update(ck["hp"])
        hp.update({k: getattr(a, k) for k in DEFAULTS if getattr(a, k) is not None})
        self.hp = hp
        if ck:
            self.cfg = ImageConfig(**ck["config"])
            self.vocab = ck["vocab"]
        else:
            caps = [c for i in self.train_idx for c in self.meta["items"][i]["captions"]]
            self.vocab = build_vocab(caps)
            self.cfg = ImageConfig(vocab_size=len(self.vocab))
        self.tok = WordTokenizer(self.vocab, self.cfg.max_len)
        c = self.cfg
        self.enc, self.dec, self.te, self.unet = Encoder(c), Decoder(c), TextEncoder(c), UNet(c)
        self.ema_te, self.ema_unet = TextEncoder(c), UNet(c)
        self.ae_opt = torch.optim.AdamW(list(self.enc.parameters()) + list(self.dec.parameters()), lr=hp["ae_lr"],
                                        betas=(0.9, 0.99), weight_decay=0.0)
        decay = [p for n, p in list(self.te.named_parameters()) + list(self.unet.named_parameters()) if p.dim() >= 2]
        other = [p for n, p in list(self.te.named_parameters()) + list(self.unet.named_parameters()) if p.dim() < 2]
        self.opt = torch.optim.AdamW([dict(params=decay, weight_decay=hp["wd"]), dict(params=other, weight_decay=0.0)],
                                     lr=hp["lr"], betas=(0.9, 0.99))
        self.phase, self.step, self.train_s, self.scale = "ae", 0, 0.0, None
        self.latents = None
        self.history = []
        if ck:
            self.phase, self.step, self.train_s = ck["phase"], ck["step"], ck["train_s"]
            self.scale, self.history = ck.get("scale"), ck.get("history", [])
            models = dict(ck["models"])
            for name in ("te", "unet"):  # a compact snapshot keeps only the EMA weights: training continues from them
                models.setdefault(name, models["ema_" + name])
            for name in ("enc", "dec", "te", "unet", "ema_te", "ema_unet"):
                getattr(self, name).load_state_dict({k: v.float() for k, v in models[name].items()})
            if "ae_opt" in ck:
                self.ae_opt.load_state_dict(ck["ae_opt"])
            if "opt" in ck:
                self.opt.load_state_dict(ck["opt"])
            else:
                print("no optimizer state in the checkpoint (weights-only snapshot): AdamW moments restart", flush=True)
        else:
            self.ema_te.load_state_dict(self.te.state_dict())
            self.ema_unet.load_state_dict(self.unet.state_dict())
        for m in (self.ema_te, self.ema_unet):
            m.requires_grad_(False)
        self.sched = Schedule()
        if a.bench:
            self.phase = a.bench_phase
        self.rng = random.Random(hp["seed"] * 1000003 + self.step)
        torch.manual_seed(hp["seed"] * 7919 + self.step)
        self.stop = False
        print(json.dumps(dict(params=dict(text_encoder=count(self.te), unet=count(self.unet), vae_decoder=count(self.dec),
                                          vae_encoder=count(self.enc)), vocab=len(self.vocab),
                              train_images=len(self.train_idx), held_out_images=len(self.held_idx),
                              config=c.to_dict(), hp=hp)), flush=True)

    # ---------- checkpoints ----------
    def save(self):
        models = {n: getattr(self, n).state_dict() for n in ("enc", "dec", "te", "unet", "ema_te", "ema_unet")}
        atomic_save(dict(phase=self.phase, step=self.step, train_s=self.train_s, scale=self.scale, hp=self.hp,
                         config=self.cfg.to_dict(), vocab=self.vocab, history=self.history, models=models,
                         ae_opt=self.ae_opt.state_dict(), opt=self.opt.state_dict(),
                         data=dict(package=self.meta["package"], version=self.meta["version"],
                                   held_out=self.meta["held_out"])), self.ckpt_path)
        print(f"checkpoint {self.ckpt_path} phase {self.phase} step {self.step}", flush=True)

    # ---------- captions ----------
    def caption(self, i):
        if self.rng.random() < self.hp["uncond_rate"]:
            return ""
        c = self.rng.choice(self.meta["items"][i]["captions"])
        if self.rng.random() < self.hp["template_rate"]:
            c = self.rng.choice(TEMPLATES).format(c)
        return c

    def ids(self, caps, unk_rate=0.0):
        out = []
        for c in caps:
            ids = self.tok.encode(c)
            if unk_rate:
                ids = [self.tok.unk if 2 < t and self.rng.random() < unk_rate else t for t in ids]
            out.append(ids)
        return torch.tensor(out, dtype=torch.long)

    # ---------- phase 1: autoencoder ----------
    def ae_step(self):
        hp = self.hp
        idx = torch.tensor(self.rng.sample(self.train_idx, hp["ae_batch"]))
        x = self.x[idx]
        lr = hp["ae_lr"] * min(1.0, (self.step + 1) / 100)
        for g in self.ae_opt.param_groups:
            g["lr"] = lr
        mean, logvar = self.enc(x)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * logvar)
        y = self.dec(z)
        rec = (y - x).abs().mean() + F.mse_loss(y, x)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).sum(dim=(1, 2, 3)).mean()
        loss = rec + hp["kl_weight"] * kl
        self.ae_opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(self.enc.parameters()) + list(self.dec.parameters()), 1.0)
        self.ae_opt.step()
        return dict(loss=loss.item(), rec=rec.item(), kl=kl.item(), lr=lr)

    @torch.no_grad()
    def ae_eval(self, idx):
        x = self.x[torch.tensor(idx)]
        mean, _ = self.enc(x)
        y = self.dec(mean).clamp(-1, 1)
        return dict(l1=(y - x).abs().mean().item(), psnr=(10 * torch.log10(4.0 / F.mse_loss(y, x))).item())

    @torch.no_grad()
    def encode_all(self):
        self.enc.eval()
        means = torch.cat([self.enc(self.x[i:i + 256])[0] for i in range(0, len(self.x), 256)])
        self.enc.train()
        if self.scale is None:
            self.scale = float(1.0 / means[torch.tensor(self.train_idx)].std())
            print(f"latent std {1 / self.scale:.4f} -> scaling_factor {self.scale:.4f}", flush=True)
        self.latents = means * self.scale

    # ---------- phase 2: diffusion ----------
    def lr_at(self, step):
        hp = self.hp
        if step < hp["warmup"]:
            return hp["lr"] * (step + 1) / hp["warmup"]
        p = min(1.0, (step - hp["warmup"]) / max(1, hp["diff_steps"] - hp["warmup"]))
        return hp["lr"] * (hp["min_lr_ratio"] + (1 - hp["min_lr_ratio"]) * 0.5 * (1 + math.cos(math.pi * p)))

    def diff_loss(self, z0, ids, t, noise, te, unet):
        zt = self.sched.add_noise(z0, noise, t)
        eps = unet(zt, t.float(), te(ids))
        snr = self.sched.snr(t)
        w = torch.clamp(snr, max=self.hp["min_snr"]) / snr
        per = (eps.float() - noise).pow(2).mean(dim=(1, 2, 3))
        return (w * per).mean(), per

    def diff_step(self):
        hp = self.hp
        pick = self.rng.choices(self.train_idx, k=hp["batch"])
        z0 = self.latents[torch.tensor(pick)]
        ids = self.ids([self.caption(i) for i in pick], hp["unk_rate"])
        t = torch.randint(0, self.sched.n, (hp["batch"],))
        lr = self.lr_at(self.step)
        for g in self.opt.param_groups:
            g["lr"] = lr
        with torch.cpu.amp.autocast(dtype=torch.bfloat16, enabled=self.a.bf16):
            loss, _ = self.diff_loss(z0, ids, t, torch.randn_like(z0), self.te, self.unet)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(list(self.te.parameters()) + list(self.unet.parameters()), 1.0)
        self.opt.step()
        d = min(hp["ema"], (1 + self.step) / (10 + self.step))
        with torch.no_grad():
            for src, dst in ((self.te, self.ema_te), (self.unet, self.ema_unet)):
                for p, q in zip(src.parameters(), dst.parameters()):
                    q.mul_(d).add_(p.detach(), alpha=1 - d)
        return dict(loss=loss.item(), lr=lr, gnorm=float(gn))

    @torch.no_grad()
    def diff_eval(self):
        """Unweighted epsilon MSE of the EMA model at fixed noise/timesteps, train subset vs held-out emoji."""
        g = torch.Generator().manual_seed(0)
        out = {}
        for name, idx in (("train", self.train_idx[::40]), ("held_out", self.held_idx)):
            idx = [i for i in idx for _ in range(8)]
            z0 = self.latents[torch.tensor(idx)]
            caps = [self.meta["items"][i]["captions"][0] for i in idx]
            t = torch.randint(50, 950, (len(idx),), generator=g)
            noise = torch.randn(z0.shape, generator=g)
            _, per = self.diff_loss(z0, self.ids(caps), t, noise, self.ema_te, self.ema_unet)
            out[name] = round(per.mean().item(), 4)
        return out

    @torch.no_grad()
    def sample_grid(self):
        os.makedirs(self.a.samples_dir, exist_ok=True)
        te, unet = self.ema_te.eval(), self.ema_unet.eval()
        rows = []
        for p in GRID_PROMPTS:
            ctx = te(self.ids([p] * 4))
            unc = te(self.ids([""] * 4))
            z = ddim_sample(unet, self.sched, ctx, unc, seeds=[1, 2, 3, 4], steps=20, guidance=4.0,
                            shape=(self.cfg.latent_channels, 8, 8))
            rows.append(self.dec(z / self.scale).clamp(-1, 1))
        path = os.path.join(self.a.samples_dir, f"step_{self.phase}_{self.step:06d}.png")
        save_grid(rows, path, GRID_PROMPTS)
        print(f"samples {path}", flush=True)

    # ---------- loop ----------
    def run(self):
        a, hp = self.a, self.hp
        last_ck = last_sample = time.time()
        t_log, n_log, acc = time.time(), 0, []
        t_start = time.time()
        while not self.stop:
            if self.phase == "ae" and self.step >= hp["ae_steps"]:
                print("autoencoder", json.dumps(dict(train=self.ae_eval(self.train_idx[::10]),
                                                     held_out=self.ae_eval(self.held_idx))), flush=True)
                self.encode_all()
                self.phase, self.step = "diff", 0
                self.save()
                continue
            if self.phase == "diff" and self.latents is None:
                self.encode_all()
                t_log = t_start = time.time()  # encoding the training set is not a step (nor part of --bench)
            if self.phase == "diff" and self.step >= hp["diff_steps"]:
                self.sample_grid()
                self.save()
                print("done", flush=True)
                return
            t0 = time.time()
            m = self.ae_step() if self.phase == "ae" else self.diff_step()
            self.train_s += time.time() - t0
            self.step += 1
            n_log += hp["ae_batch"] if self.phase == "ae" else hp["batch"]
            acc.append(m["loss"])
            if a.bench and time.time() - t_start > a.bench:
                print(json.dumps(dict(phase=self.phase, samples_per_s=round(n_log / (time.time() - t_log), 1))))
                return
            if self.step % 50 == 0:
                dt = time.time() - t_log
                total = hp["ae_steps"] if self.phase == "ae" else hp["diff_steps"]
                sps = n_log / dt
                eta = (total - self.step) * (hp["ae_batch"] if self.phase == "ae" else hp["batch"]) / max(sps, 1e-9)
                rec = dict(phase=self.phase, step=self.step, loss=round(sum(acc) / len(acc), 5),
                           lr=round(m["lr"], 7), samples_per_s=round(sps, 1), eta_min=round(eta / 60, 1),
                           train_h=round(self.train_s / 3600, 3))
                if "rec" in m:
                    rec["rec"] = round(m["rec"], 4)
                if self.step % 500 == 0:
                    rec["eval"] = self.ae_eval(self.held_idx) if self.phase == "ae" else self.diff_eval()
                    self.history.append(rec)
                print(json.dumps(rec), flush=True)
                t_log, n_log, acc = time.time(), 0, []
            if time.time() - last_ck > a.ckpt_every_min * 60:
                self.save()
                last_ck = time.time()
            if self.phase == "diff" and time.time() - last_sample > a.sample_every_min * 60:
                self.sample_grid()
                last_sample = time.time()
        self.save()


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    tr = Trainer(a)

    def on_term(*_):
        tr.stop = True
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    tr.run()


if __name__ == "__main__":
    main()
