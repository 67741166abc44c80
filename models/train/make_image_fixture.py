#!/usr/bin/python3
"""Write tiny random-weight image models in the Stable Diffusion ONNX layout for the unit tests.

  /usr/bin/python3 models/train/make_image_fixture.py [--out test/fixtures/models]

tiny-sd/        like a real SD-1.5 export: tokenizer/vocab.json + merges.txt (no tokenizer.json),
                text_encoder input_ids int32, unet timestep int64 [1], float32 everywhere,
                DDIMScheduler (scaled_linear, epsilon, leading, steps_offset 1).
tiny-sd-fp16/   like an fp16 SD-Turbo export: tokenizer/tokenizer.json, input_ids int64,
                float16 IO for the encoder output, the UNet (timestep float16 [batch]) and the
                decoder, EulerDiscreteScheduler (trailing spacing, v_prediction), pad token "!".

Both: a CLIP-style byte-level BPE (words end in "</w>") learned from the captions below, a
one-layer text encoder (hidden 32, 77 positions), a small UNet with time embedding and one
cross-attention block (4 latent channels), and a decoder with latent factor 4 (8x8 latents ->
32x32 RGB). Weights are random (seeded): the images are meaningless; the fixtures test loading,
IO handling, tokenization and the pipeline, never image quality. tiny-sd-expected.json holds
reference token ids computed by this script's own BPE, for the TypeScript tokenizer tests.
"""
import argparse
import json
import math
import os
import re

import torch
from torch import nn

CAPTIONS = [
    "red heart", "green apple", "smiling face with sunglasses", "grinning face", "red apple",
    "yellow star", "blue heart", "green heart", "purple heart", "orange heart", "black cat",
    "dog face", "cat face", "sun with face", "full moon", "cloud with rain", "snowflake",
    "fire", "water wave", "rocket", "house with garden", "red car", "green tree", "palm tree",
    "cactus", "rose", "tulip", "sunflower", "cherry blossom", "pizza", "hamburger", "hot dog",
    "birthday cake", "red balloon", "party popper", "gift", "soccer ball", "basketball",
    "musical note", "guitar", "light bulb", "books", "pencil", "alarm clock", "smiling cat",
    "crying face", "winking face", "face with tears of joy", "thumbs up", "waving hand",
]
N_MERGES = 160
SEQ = 77


def bytes_to_unicode():
    """Printable stand-ins for the 256 byte values (the byte-level BPE alphabet)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = keep[:]
    n = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + n)
            n += 1
    return dict(zip(keep, [chr(c) for c in chars]))


BYTE_CHARS = bytes_to_unicode()
WORD_RE = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+", re.IGNORECASE)


def normalize(text):
    return re.sub(r"\s+", " ", text).strip().lower()


def word_symbols(word):
    chars = [BYTE_CHARS[b] for b in word.encode("utf-8")]
    return chars[:-1] + [chars[-1] + "</w>"]


def learn_merges(captions, n):
    words = {}
    for c in captions:
        for w in WORD_RE.findall(normalize(c)):
            words[w] = words.get(w, 0) + 1
    splits = {w: word_symbols(w) for w in words}
    merges = []
    for _ in range(n):
        pairs = {}
        for w, syms in splits.items():
            for a, b in zip(syms, syms[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + words[w]
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda p: pairs[p])
        merges.append(best)
        for w, syms in splits.items():
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and (syms[i], syms[i + 1]) == best:
                    out.append(syms[i] + syms[i + 1])
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            splits[w] = out
    return merges


def build_vocab(merges):
    base = [BYTE_CHARS[b] for b in sorted(BYTE_CHARS)]
    tokens = base + [c + "</w>" for c in base] + ["".join(m) for m in merges] + ["<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(tokens)}


def bpe_encode(text, vocab, merges):
    """Reference CLIP-style encoding (no special tokens): lowercase, words, byte chars, merges by rank."""
    ranks = {m: i for i, m in enumerate(merges)}
    ids = []
    for w in WORD_RE.findall(normalize(text)):
        syms = word_symbols(w)
        while len(syms) > 1:
            pairs = [(ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(syms, syms[1:]))]
            rank, i = min(pairs)
            if rank == 1 << 30:
                break
            syms = syms[:i] + [syms[i] + syms[i + 1]] + syms[i + 2:]
        ids += [vocab[s] for s in syms]
    return ids


def tokenizer_json(vocab, merges):
    """The same tokenizer in the Hugging Face tokenizer.json form of CLIP tokenizers."""
    sot, eot = vocab["<|startoftext|>"], vocab["<|endoftext|>"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": sot, "content": "<|startoftext|>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
            {"id": eot, "content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", eot], "cls": ["<|startoftext|>", sot],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "BPEDecoder", "suffix": "</w>"},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }


class TextEncoder(nn.Module):
    def __init__(self, vocab_size, d=32):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d)
        self.pos = nn.Embedding(SEQ, d)
        self.ln1, self.ln2, self.ln_f = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.register_buffer("mask", torch.full((SEQ, SEQ), float("-inf")).triu(1))

    def forward(self, input_ids):
        s = input_ids.shape[1]
        x = self.tok(input_ids.long()) + self.pos.weight[:s]
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        att = (q @ k.transpose(1, 2)) / math.sqrt(q.shape[-1]) + self.mask[:s, :s]
        x = x + self.proj(att.softmax(-1) @ v)
        x = x + self.mlp(self.ln2(x))
        x = self.ln_f(x)
        return x, x.mean(1)


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float().reshape(-1, 1) * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class UNet(nn.Module):
    def __init__(self, c=4, ch=16, ctx=32):
        super().__init__()
        self.time = nn.Sequential(nn.Linear(32, ch), nn.SiLU(), nn.Linear(ch, ch))
        self.conv_in = nn.Conv2d(c, ch, 3, padding=1)
        self.down = nn.Conv2d(ch, ch, 3, stride=2, padding=1)
        self.norm = nn.GroupNorm(4, ch)
        self.q, self.k, self.v = nn.Linear(ch, ch), nn.Linear(ctx, ch), nn.Linear(ctx, ch)
        self.o = nn.Linear(ch, ch)
        self.up = nn.Conv2d(2 * ch, ch, 3, padding=1)
        self.conv_out = nn.Conv2d(ch, c, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        h0 = self.conv_in(sample) + self.time(timestep_embedding(timestep, 32))[:, :, None, None]
        h = torch.nn.functional.silu(self.down(h0))
        b, ch, hh, ww = h.shape
        seq = self.norm(h).reshape(b, ch, hh * ww).transpose(1, 2)
        att = (self.q(seq) @ self.k(encoder_hidden_states).transpose(1, 2)) / math.sqrt(ch)
        h = h + self.o(att.softmax(-1) @ self.v(encoder_hidden_states)).transpose(1, 2).reshape(b, ch, hh, ww)
        h = torch.nn.functional.interpolate(h, scale_factor=2.0, mode="nearest")
        h = torch.nn.functional.silu(self.up(torch.cat([h, h0], dim=1)))
        return self.conv_out(h)


class Decoder(nn.Module):
    def __init__(self, c=4, ch=16):
        super().__init__()
        self.conv_in = nn.Conv2d(c, ch, 3, padding=1)
        self.up1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.up2 = nn.Conv2d(ch, ch, 3, padding=1)
        self.conv_out = nn.Conv2d(ch, 3, 3, padding=1)

    def forward(self, latent_sample):
        h = torch.nn.functional.silu(self.conv_in(latent_sample))
        h = torch.nn.functional.silu(self.up1(torch.nn.functional.interpolate(h, scale_factor=2.0, mode="nearest")))
        h = torch.nn.functional.silu(self.up2(torch.nn.functional.interpolate(h, scale_factor=2.0, mode="nearest")))
        return self.conv_out(h)


class Fp16Io(nn.Module):
    """float16 tensors in and out, float32 inside (what an fp16 export looks like from outside)."""

    def __init__(self, inner, half_inputs):
        super().__init__()
        self.inner, self.half_inputs = inner, half_inputs

    def forward(self, *args):
        args = [a.float() if h else a for a, h in zip(args, self.half_inputs)]
        out = self.inner(*args)
        return tuple(o.half() for o in out) if isinstance(out, tuple) else out.half()


def export(module, args, path, inputs, outputs, dyn):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=dyn,
                          opset_version=14, do_constant_folding=True)


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def write_model(out, vocab, merges, fp16):
    torch.manual_seed(1234 if not fp16 else 4321)
    te, unet, dec = TextEncoder(len(vocab)).eval(), UNet().eval(), Decoder().eval()
    ids_type = torch.int64 if fp16 else torch.int32
    ids = torch.zeros(2, SEQ, dtype=ids_type)
    ehs = torch.randn(2, SEQ, 32)
    sample = torch.randn(2, 4, 8, 8)
    lat = torch.randn(1, 4, 8, 8)
    bs = {0: "batch"}
    img = {0: "batch", 2: "height", 3: "width"}
    if fp16:
        export(Fp16Io(te, [False]), (ids,), f"{out}/text_encoder/model.onnx", ["input_ids"],
               ["last_hidden_state", "pooler_output"], {"input_ids": bs, "last_hidden_state": bs, "pooler_output": bs})
        export(Fp16Io(unet, [True, True, True]), (sample.half(), torch.tensor([999.0, 999.0]).half(), ehs.half()),
               f"{out}/unet/model.onnx", ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
               {"sample": img, "timestep": bs, "encoder_hidden_states": bs, "out_sample": img})
        export(Fp16Io(dec, [True]), (lat.half(),), f"{out}/vae_decoder/model.onnx", ["latent_sample"], ["sample"],
               {"latent_sample": img, "sample": img})
    else:
        export(te, (ids,), f"{out}/text_encoder/model.onnx", ["input_ids"], ["last_hidden_state", "pooler_output"],
               {"input_ids": bs, "last_hidden_state": bs, "pooler_output": bs})
        export(unet, (sample, torch.tensor([999]), ehs), f"{out}/unet/model.onnx",
               ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
               {"sample": img, "encoder_hidden_states": bs, "out_sample": img})
        export(dec, (lat,), f"{out}/vae_decoder/model.onnx", ["latent_sample"], ["sample"],
               {"latent_sample": img, "sample": img})

    write_json(f"{out}/model_index.json", {
        "_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "scheduler": ["diffusers", "EulerDiscreteScheduler" if fp16 else "DDIMScheduler"],
        "text_encoder": ["diffusers", "OnnxRuntimeModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
        "unet": ["diffusers", "OnnxRuntimeModel"], "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
        "safety_checker": [None, None], "feature_extractor": [None, None]})
    write_json(f"{out}/text_encoder/config.json", {"model_type": "clip_text_model", "hidden_size": 32,
                                                   "max_position_embeddings": SEQ, "vocab_size": len(vocab)})
    write_json(f"{out}/unet/config.json", {"in_channels": 4, "out_channels": 4, "sample_size": 8, "cross_attention_dim": 32})
    write_json(f"{out}/vae_decoder/config.json", {"latent_channels": 4, "out_channels": 3, "scaling_factor": 0.18215,
                                                  "block_out_channels": [16, 16, 16], "sample_size": 32})
    sched = {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
             "clip_sample": False, "set_alpha_to_one": False, "steps_offset": 1}
    if fp16:
        sched.update({"_class_name": "EulerDiscreteScheduler", "prediction_type": "v_prediction", "timestep_spacing": "trailing"})
    else:
        sched.update({"_class_name": "DDIMScheduler", "prediction_type": "epsilon", "timestep_spacing": "leading"})
    write_json(f"{out}/scheduler/scheduler_config.json", sched)
    pad = "!" if fp16 else "<|endoftext|>"
    specials = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "pad_token": pad}
    write_json(f"{out}/tokenizer/tokenizer_config.json", {**specials, "model_max_length": SEQ, "do_lower_case": True,
                                                          "tokenizer_class": "CLIPTokenizer"})
    if fp16:
        write_json(f"{out}/tokenizer/tokenizer.json", tokenizer_json(vocab, merges))
    else:
        write_json(f"{out}/tokenizer/special_tokens_map.json", specials)
        write_json(f"{out}/tokenizer/vocab.json", vocab)
        with open(f"{out}/tokenizer/merges.txt", "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="test/fixtures/models")
    args = ap.parse_args()
    torch.set_num_threads(2)
    merges = learn_merges(CAPTIONS, N_MERGES)
    vocab = build_vocab(merges)
    write_model(f"{args.out}/tiny-sd", vocab, merges, fp16=False)
    write_model(f"{args.out}/tiny-sd-fp16", vocab, merges, fp16=True)
    prompts = ["red heart", "A Green  APPLE!", "smiling face with sunglasses, 2 cats", "thumbs up 👍"]
    write_json(f"{args.out}/tiny-sd-expected.json", {
        "vocab_size": len(vocab), "bos": vocab["<|startoftext|>"], "eos": vocab["<|endoftext|>"], "pad_fp16": vocab["!"],
        "tokens": {p: bpe_encode(p, vocab, merges) for p in prompts}})
    print(f"vocab {len(vocab)} tokens, {len(merges)} merges; wrote {args.out}/tiny-sd and tiny-sd-fp16")


if __name__ == "__main__":
    main()
