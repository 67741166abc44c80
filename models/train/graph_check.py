#!/usr/bin/python3
"""Checks a model folder written by the graph builder against the numpy reference forward pass:
for every ONNX variant, logits of a whole-sequence step and of a KV-cached step-by-step run
(onnxruntime-node, graph_check.mjs) vs float64 numpy; prints one JSON line per variant.

  /usr/bin/python3 models/train/graph_check.py DIR [--preset tiny-qwen] [--seed 0] [--std 0.02] [--tokens 24]

Only for fixtures (random weights rebuilt from the seed); exits 1 when a variant disagrees beyond
its format's tolerance or its cached and whole-sequence logits differ.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from onnx_graph.reference import forward  # noqa: E402
from onnx_graph.spec import PRESETS  # noqa: E402
from onnx_graph.quant import nbits, nbits_dequant  # noqa: E402
from size_fixture import make_weights  # noqa: E402

# Tolerances relative to the reference logits' standard deviation.
TOLERANCE = {"model.onnx": 1e-3, "model_fp16.onnx": 0.05, "model_int8.onnx": 0.25, "model_q4.onnx": 1.0}


def q4_weights(weights):
    """The fp32 weights as the 4-bit plain graph stores them: every projection quantized and
    dequantized (block 32); norms, biases and the embedding Gather table stay fp32."""
    def w(name):
        x = weights(name)
        if x.ndim == 2 and not name.endswith("embed_tokens.weight"):
            return nbits_dequant(*nbits(x, 4, 32), x.shape[0], x.shape[1])
        return x
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--preset", default="tiny-qwen")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--std", type=float, default=0.02)
    ap.add_argument("--tokens", type=int, default=24)
    args = ap.parse_args()
    spec = PRESETS[args.preset]
    weights = make_weights(spec, args.seed, args.std)
    ids = [int(i) for i in np.random.default_rng(1).integers(0, spec.vocab_size - 40, args.tokens)]
    ref = forward(spec, weights, ids)
    scale = float(ref.std())
    req = os.path.join(args.dir, ".graph_check_req.json")
    json.dump({"ids": ids}, open(req, "w"))
    ok = True
    info = json.load(open(os.path.join(args.dir, "fixture.json")))
    layout, level = info["layout"], info["accuracy_level"]
    for name in sorted(os.listdir(os.path.join(args.dir, "onnx"))):
        if not name.endswith(".onnx"):
            continue
        res_path = os.path.join(args.dir, f".graph_check_{name}.json")
        subprocess.run(["node", os.path.join(HERE, "graph_check.mjs"), args.dir, name, req, res_path], check=True)
        res = json.load(open(res_path))
        os.remove(res_path)
        full, cached = np.array(res["full"]), np.array(res["cached"])
        err = float(np.abs(full - ref).max()) / scale
        exact = None
        if name == "model_q4.onnx" and spec.tied and layout == "plain" and level == 0:
            # The tied lm_head is quantized too: the reference's head uses the dequantized table.
            qw = q4_weights(weights)
            table = weights("model.embed_tokens.weight")
            head = nbits_dequant(*nbits(table, 4, 32), *table.shape)
            hidden = forward(spec, lambda n: qw(n) if n != "model.embed_tokens.weight" else table, ids, hidden_only=True)
            exact = float(np.abs(full - hidden @ head.T.astype(np.float64)).max()) / scale
        cache_err = float(np.abs(full - cached).max()) / scale
        agree = float((full.argmax(-1) == ref.argmax(-1)).mean())
        tol = TOLERANCE.get(name, 0.35)
        # Dynamic activation quantization (MatMulInteger) quantizes per call: cached steps differ.
        cache_tol = tol if name == "model_int8.onnx" and b"MatMulInteger" in open(os.path.join(args.dir, "onnx", name), "rb").read() else max(1e-3, tol / 5)
        good = err <= tol and cache_err <= cache_tol and (exact is None or exact <= 1e-3)
        ok &= good
        print(json.dumps({"file": name, "ok": good, "max_err_rel": round(err, 5), "cached_vs_full_rel": round(cache_err, 6),
                          "argmax_agreement": agree, "vs_dequantized_rel": exact, "kv": res["kvType"], "inputs": len(res["inputs"]), "ms": res["ms"]}))
    os.remove(req)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
