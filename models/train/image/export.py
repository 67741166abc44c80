#!/usr/bin/python3
"""Export a lathe-image-mini checkpoint to the Stable Diffusion ONNX folder layout.

  cp models/train/ckpt/image/latest.pt models/train/.cache/image/export_ckpt.pt
  /usr/bin/python3 models/train/image/export.py --ckpt models/train/.cache/image/export_ckpt.pt
  node models/train/image/verify_onnx.mjs models/lathe-image-mini models/train/.cache/image/export_checks.json

Writes model_index.json, tokenizer/, text_encoder/, unet/, vae_decoder/ (model.onnx + config.json each),
scheduler/scheduler_config.json and lathe.json, plus --checks (not shipped): fixed inputs and the PyTorch outputs of
each part and of a whole guided DDIM run, which verify_onnx.mjs reproduces with onnxruntime-node.
Weights are stored as fp16 initializers followed by a Cast to float32 (half the file size; the graphs
compute and take/return float32); the PyTorch reference uses the same fp16-rounded weights.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from diffusion import SCHEDULER_CONFIG, Schedule, ddim_sample  # noqa: E402
from model import Decoder, ImageConfig, TextEncoder, UNet, count  # noqa: E402
from tokenizer import WordTokenizer  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "lathe-image-mini")
OPSET = 17
CHECK_PROMPTS = ["red heart", "green apple"]


def load(path):
    ck = torch.load(path, map_location="cpu")
    if ck.get("phase") != "diff":
        raise SystemExit(f"{path}: phase {ck.get('phase')!r}; only a checkpoint of the diffusion phase can be exported")
    cfg = ImageConfig(**ck["config"])
    te, unet, dec = TextEncoder(cfg), UNet(cfg), Decoder(cfg)
    for m, name in ((te, "ema_te"), (unet, "ema_unet"), (dec, "dec")):
        m.load_state_dict({k: v.float() for k, v in ck["models"][name].items()})
        for p in m.parameters():  # the reference uses exactly the weights the fp16 files hold
            p.data = p.data.half().float()
        m.eval()
    return ck, cfg, te, unet, dec


def fp16_weights(path, min_elems=16):
    """Store float32 initializers (>= min_elems) as float16 + Cast(to float32) in front of their uses."""
    m = onnx.load(path)
    g = m.graph
    new_inits, casts = [], []
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if init.data_type == TensorProto.FLOAT and arr.size >= min_elems:
            name16 = init.name + "_fp16"
            new_inits.append(numpy_helper.from_array(arr.astype(np.float16), name16))
            casts.append(helper.make_node("Cast", [name16], [init.name], to=TensorProto.FLOAT, name="cast_" + init.name))
        else:
            new_inits.append(init)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_part(module, args, path, inputs, outputs, axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    torch.onnx.export(module, args, tmp, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                      opset_version=OPSET, do_constant_folding=True)
    fp16_weights(tmp)
    os.replace(tmp, path)
    return os.path.getsize(path)


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)


def tolist(t, nd=6):
    return np.round(t.detach().float().numpy().reshape(-1).astype(np.float64), nd).tolist()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--checks", default=os.path.join(HERE, "..", ".cache", "image", "export_checks.json"))
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--steps", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(2)
    ck, cfg, te, unet, dec = load(a.ckpt)
    out = a.out
    tok = WordTokenizer(ck["vocab"], cfg.max_len)
    lat = cfg.image_size // 2 ** (len(cfg.ae_channels) - 1)
    sizes = {}
    with torch.no_grad():
        ids = torch.tensor([tok.encode(p) for p in CHECK_PROMPTS])
        sizes["text_encoder"] = export_part(te, (ids,), os.path.join(out, "text_encoder", "model.onnx"),
                                            ["input_ids"], ["last_hidden_state"],
                                            {"input_ids": {0: "batch", 1: "sequence"},
                                             "last_hidden_state": {0: "batch", 1: "sequence"}})
        ehs = te(ids)
        g = torch.Generator().manual_seed(7)
        sample = torch.randn(2, cfg.latent_channels, lat, lat, generator=g)
        ts = torch.tensor([500.0])
        sizes["unet"] = export_part(unet, (sample, ts, ehs), os.path.join(out, "unet", "model.onnx"),
                                    ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                                    {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "steps"},
                                     "encoder_hidden_states": {0: "batch", 1: "sequence"},
                                     "out_sample": {0: "batch", 2: "height", 3: "width"}})
        eps = unet(sample, ts, ehs)
        eps_b = unet(sample, torch.tensor([999.0, 10.0]), ehs)
        sizes["vae_decoder"] = export_part(dec, (sample,), os.path.join(out, "vae_decoder", "model.onnx"),
                                           ["latent_sample"], ["sample"],
                                           {"latent_sample": {0: "batch", 2: "height", 3: "width"},
                                            "sample": {0: "batch", 2: "height", 3: "width"}})
        img = dec(sample)
        # whole guided DDIM run (the pipeline's job), for the end-to-end check
        sched = Schedule()
        unc = te(torch.tensor([tok.encode("")] * 2))
        z = ddim_sample(unet, sched, ehs, unc, seeds=[1, 2], steps=a.steps, guidance=a.guidance,
                        shape=(cfg.latent_channels, lat, lat))
        noise0 = torch.stack([torch.randn((cfg.latent_channels, lat, lat), generator=torch.Generator().manual_seed(s))
                              for s in (1, 2)])
        final = dec(z / ck["scale"]).clamp(-1, 1)

    tok.save(os.path.join(out, "tokenizer"))
    write_json(os.path.join(out, "text_encoder", "config.json"), {
        "architectures": ["LatheTextEncoder"], "model_type": "lathe_text_encoder", "hidden_size": cfg.text_dim,
        "max_position_embeddings": cfg.max_len, "num_hidden_layers": cfg.text_layers,
        "num_attention_heads": cfg.text_heads, "vocab_size": cfg.vocab_size, "bos_token_id": tok.bos,
        "eos_token_id": tok.eos, "pad_token_id": tok.eos, "parameters": count(te)})
    write_json(os.path.join(out, "unet", "config.json"), {
        "_class_name": "UNet2DConditionModel", "in_channels": cfg.latent_channels,
        "out_channels": cfg.latent_channels, "sample_size": lat, "cross_attention_dim": cfg.text_dim,
        "block_out_channels": cfg.unet_channels, "layers_per_block": cfg.unet_res_blocks,
        "attention_head_dim": cfg.unet_heads, "timestep_input": "float32 [n], n = 1 or batch",
        "parameters": count(unet)})
    write_json(os.path.join(out, "vae_decoder", "config.json"), {
        "_class_name": "AutoencoderKL", "latent_channels": cfg.latent_channels, "in_channels": 3, "out_channels": 3,
        "scaling_factor": round(float(ck["scale"]), 6), "block_out_channels": cfg.ae_channels,
        "sample_size": cfg.image_size, "parameters": count(dec)})
    write_json(os.path.join(out, "scheduler", "scheduler_config.json"), SCHEDULER_CONFIG)
    write_json(os.path.join(out, "model_index.json"), {
        "_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "scheduler": ["diffusers", SCHEDULER_CONFIG["_class_name"]],
        "text_encoder": ["lathe", "LatheTextEncoder"], "tokenizer": ["transformers", "PreTrainedTokenizerFast"],
        "unet": ["diffusers", "UNet2DConditionModel"], "vae_decoder": ["diffusers", "AutoencoderKL"],
        "feature_extractor": [None, None], "safety_checker": [None, None], "requires_safety_checker": False})
    hist = ck.get("history", [])
    write_json(os.path.join(out, "lathe.json"), {
        "name": "lathe-image-mini", "kind": "image",
        "defaults": {"steps": a.steps, "guidance": a.guidance, "scheduler": "ddim", "width": cfg.image_size,
                     "height": cfg.image_size},
        "training": {"step": ck["step"], "diff_steps": ck["hp"]["diff_steps"], "batch": ck["hp"]["batch"],
                     "train_hours": round(ck["train_s"] / 3600, 2), "data": ck.get("data"),
                     "last_eval": hist[-1] if hist else None},
        "parameters": {"text_encoder": count(te), "unet": count(unet), "vae_decoder": count(dec)},
        "file_bytes": sizes, "weights": "fp16 initializers cast to float32 in the graph; inputs/outputs float32"})
    write_json(a.checks, {
        "prompts": CHECK_PROMPTS, "input_ids": ids.tolist(), "last_hidden_state": tolist(ehs),
        "sample": tolist(sample), "timestep": 500.0, "out_sample": tolist(eps),
        "timestep_batch": [999.0, 10.0], "out_sample_batch": tolist(eps_b), "image": tolist(img),
        "ddim": {"seeds": [1, 2], "steps": a.steps, "guidance": a.guidance, "noise": tolist(noise0),
                 "image": tolist(final), "scaling_factor": float(ck["scale"])}})
    total = sum(sizes.values())
    print(json.dumps(dict(out=os.path.abspath(out), step=ck["step"], bytes=sizes, total_mb=round(total / 2**20, 2))))


if __name__ == "__main__":
    main()
