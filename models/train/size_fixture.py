#!/usr/bin/python3
"""Random-weight decoder fixtures with the exact shapes of a real model, for benchmarks and tests.

  /usr/bin/python3 models/train/size_fixture.py --preset qwen2.5-0.5b --out .cache/fixtures/qwen2.5-0.5b
  /usr/bin/python3 models/train/size_fixture.py --preset tiny-qwen --out test/fixtures/models/tiny-qwen --dtypes fp32,q4,fp16,int8

Presets (onnx_graph/spec.py): `qwen2.5-0.5b` (hidden 896, 24 layers, 14 heads, 2 KV heads,
intermediate 4,864, vocabulary 151,936, tied embeddings, qkv bias, RoPE θ 1e6) and `tiny-qwen`
(the same layout at test size). Writes the engine-contract folder the way onnx-community publishes
it: config.json, generation_config.json, tokenizer.json, tokenizer_config.json and
onnx/model.onnx + model.onnx_data (fp32, external data), model_int8.onnx (MatMulInteger),
model_q4.onnx (MatMulNBits, 4 bits, block 32), model_fp16.onnx (float16 throughout, KV and logits
too). `--layout fused` writes the contrib-op graph instead (fp32, int8, q4 only).

Weights are N(0, std) per tensor from a seed derived from the tensor's name, so every variant
quantizes the same fp32 weights, and each variant is written tensor by tensor (peak memory is
about one embedding table plus one variant's largest tensor). `fixture.json` is written last: a
folder without it is incomplete.
"""
import argparse
import json
import os
import sys
import time
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from onnx_graph.fused import build_fused  # noqa: E402
from onnx_graph.plain import build_plain  # noqa: E402
from onnx_graph.spec import PRESETS, shapes  # noqa: E402
from onnx_graph.store import TensorStore  # noqa: E402
from fixture_tokenizer import QWEN_SPECIALS, write_fixture_tokenizer  # noqa: E402

VERSION = 1
FILES = {"fp32": "model.onnx", "int8": "model_int8.onnx", "q4": "model_q4.onnx", "fp16": "model_fp16.onnx"}


def make_weights(spec, seed, std):
    table = shapes(spec)

    def weights(name):
        shape = table[name]
        rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
        if name.endswith("norm.weight"):
            return (1.0 + 0.1 * rng.standard_normal(shape, dtype=np.float32)).astype(np.float32)
        return rng.standard_normal(shape, dtype=np.float32) * np.float32(std)
    return weights


def write_configs(out, spec, name):
    # Qwen's vocabulary: regular tokens, the added tokens from id 151643, then unused padding rows
    # up to vocab_size (151,936); the tiny preset keeps 10 padding rows.
    specials_at = 151643 if spec.vocab_size >= 151643 + len(QWEN_SPECIALS) else spec.vocab_size - len(QWEN_SPECIALS) - 10
    eos = specials_at
    cfg = {
        "_name_or_path": name, "architectures": ["Qwen2ForCausalLM"], "model_type": spec.model_type,
        "attention_dropout": 0.0, "bos_token_id": eos, "eos_token_id": eos, "hidden_act": "silu",
        "hidden_size": spec.hidden_size, "initializer_range": 0.02, "intermediate_size": spec.intermediate_size,
        "max_position_embeddings": spec.max_position, "max_window_layers": spec.num_layers,
        "num_attention_heads": spec.num_heads, "num_hidden_layers": spec.num_layers, "num_key_value_heads": spec.num_kv_heads,
        "rms_norm_eps": spec.rms_eps, "rope_scaling": None, "rope_theta": spec.rope_theta, "sliding_window": spec.max_position,
        "tie_word_embeddings": spec.tied, "torch_dtype": "bfloat16", "transformers_version": "4.46.0", "use_cache": True,
        "use_sliding_window": False, "vocab_size": spec.vocab_size,
        "transformers.js_config": {"use_external_data_format": {"model.onnx": 1}, "kv_cache_dtype": {"fp16": "float16"}},
    }
    gen = {"bos_token_id": eos, "eos_token_id": eos, "max_new_tokens": 2048, "do_sample": False, "transformers_version": "4.46.0"}
    for file, doc in (("config.json", cfg), ("generation_config.json", gen)):
        with open(os.path.join(out, file), "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    return specials_at


def write_variant(spec, weights, dtype, layout, onnx_dir, accuracy_level):
    path = os.path.join(onnx_dir, FILES[dtype])
    external = dtype == "fp32" and layout == "plain"  # as published: model.onnx + model.onnx_data
    store = TensorStore(path + "_data" if external else path + ".spill")
    build = build_fused if layout == "fused" else build_plain
    model = build(spec, weights, dtype, store, accuracy_level=accuracy_level)
    (store.save_external if external else store.save_inline)(model, path)
    size = os.path.getsize(path) + (os.path.getsize(path + "_data") if external else 0)
    return {"file": FILES[dtype], "bytes": size, "nodes": len(model.graph.node), "external_data": external}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", choices=sorted(PRESETS), default="qwen2.5-0.5b")
    ap.add_argument("--out", required=True)
    ap.add_argument("--dtypes", default="fp32,int8,q4,fp16")
    ap.add_argument("--layout", choices=("plain", "fused"), default="plain")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--std", type=float, default=0.02)
    ap.add_argument("--accuracy-level", type=int, default=None,
                    help="MatMulNBits accuracy_level (default: 0 = fp32 compute for plain, 4 = int8 compute for fused)")
    args = ap.parse_args()
    spec = PRESETS[args.preset]
    dtypes = [d for d in args.dtypes.split(",") if d]
    for d in dtypes:
        assert d in FILES, f"unknown dtype {d}"
    level = args.accuracy_level if args.accuracy_level is not None else (4 if args.layout == "fused" else 0)
    out = args.out
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    marker = os.path.join(out, "fixture.json")
    if os.path.exists(marker):
        os.remove(marker)
    t0 = time.time()
    specials_at = write_configs(out, spec, f"lathe-fixture/{args.preset}")
    write_fixture_tokenizer(out, specials_at, QWEN_SPECIALS, spec.max_position)
    print(f"tokenizer and configs ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
    weights = make_weights(spec, args.seed, args.std)
    variants = []
    for d in dtypes:
        t = time.time()
        variants.append(write_variant(spec, weights, d, args.layout, os.path.join(out, "onnx"), level))
        print(f"{variants[-1]} ({time.time() - t:.0f}s)", file=sys.stderr, flush=True)
    info = {"generator": "models/train/size_fixture.py", "version": VERSION, "preset": args.preset, "layout": args.layout,
            "seed": args.seed, "std": args.std, "accuracy_level": level, "variants": variants}
    with open(marker + ".tmp", "w") as f:
        json.dump(info, f, indent=2)
    os.replace(marker + ".tmp", marker)
    print(json.dumps({**info, "seconds": round(time.time() - t0)}))


if __name__ == "__main__":
    main()
