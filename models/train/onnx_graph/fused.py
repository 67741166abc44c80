"""The fused decoder for onnxruntime's CPU provider (com.microsoft contrib ops), a few nodes
per layer instead of dozens:

  SimplifiedLayerNormalization / SkipSimplifiedLayerNormalization   norm + residual add
  one packed QKV projection (MatMul or MatMulNBits, bias included)
  GroupQueryAttention                                               RoPE, KV append, grouped-head attention
  o_proj, SwiGLU MLP (gate, up, Sigmoid, Mul, Mul, down)

inputs   input_ids, attention_mask [b, s | total] int64, num_logits_to_keep int64 scalar (N > 0:
         logits of the last N positions, 0: all), past_key_values.{i}.key|value [b, kv, past, hd]
outputs  logits [b, s | N, vocab], present.{i}.key|value [b, kv, past + s, hd], and
         present_step.{i}.key|value [b, kv, s, hd]: only this step's rows of present (rotated keys)

GroupQueryAttention takes `seqlens_k` (valid keys − 1 per row) and `total_sequence_length`, both
int32, computed once from attention_mask; positions are implied (no position_ids input). It reads
only the first total − s positions of each past tensor (total = the attention mask's length), so a
runtime may feed longer, partly filled KV buffers and fetch just `present_step.*`: Lathe's engine
does, which spares copying the whole cache out of every step. Only
float32 activations (fp32, int8 → 8-bit MatMulNBits, q4 → 4-bit MatMulNBits weights; the
quantized formats keep an int8 embedding table and their own quantized copy of a tied lm_head).
"""
import math

import numpy as np

from .graph import FLOAT, INT32, INT64, MS, Graph
from .linear import Linear
from .plain import keep_last
from .spec import EMBED, FINAL_NORM, LM_HEAD, layer_names, rope_tables

FUSED_FORMATS = {"fp32": "fp32", "int8": "q8", "q4": "q4"}


def build_fused(spec, weights, fmt, store, accuracy_level=4):
    assert fmt in FUSED_FORMATS, f"the fused layout has no {fmt} format"
    g = Graph(store, opset=14)
    lin = Linear(g, FUSED_FORMATS[fmt], accuracy_level=accuracy_level, nbits_bias_input=True)
    nh, kvh, hd, eps = spec.num_heads, spec.num_kv_heads, spec.head_dim, spec.rms_eps
    ids = g.input("input_ids", INT64, ["batch_size", "sequence_length"])
    am = g.input("attention_mask", INT64, ["batch_size", "total_sequence_length"])
    keep = g.input("num_logits_to_keep", INT64, [])
    past = []
    for i in range(spec.num_layers):
        past.append(tuple(g.input(f"past_key_values.{i}.{kv}", FLOAT, ["batch_size", kvh, "past_sequence_length", hd]) for kv in ("key", "value")))

    seqlens = g.op("Cast", [g.op("Sub", [g.op("ReduceSum", [am, g.const([1])], "/gqa/ReduceSum", keepdims=0), g.const(1)], "/gqa/Sub")],
                   "/gqa/SeqlensK", to=INT32)
    total = g.op("Cast", [g.op("Gather", [g.op("Shape", [am], "/gqa/Shape"), g.const(1)], "/gqa/Gather")], "/gqa/Total", to=INT32)
    total64 = g.op("Gather", [g.op("Shape", [am], "/step/ShapeMask"), g.const([1])], "/step/Total")
    step_start = g.op("Sub", [total64, g.op("Gather", [g.op("Shape", [ids], "/step/ShapeIds"), g.const([1])], "/step/Seq")], "/step/Start")
    cos_t, sin_t = rope_tables(spec)
    cos, sin = g.weight("rope.cos_cache", cos_t), g.weight("rope.sin_cache", sin_t)

    table = weights(EMBED)
    # Quantized formats read an int8 table (one row per token); fp32 reads the float table.
    x = lin.embed(ids, table) if fmt == "fp32" else Linear(g, "int8").embed(ids, table)
    residual = None
    down = None
    for i in range(spec.num_layers):
        n = layer_names(i)
        p = f"/model/layers.{i}"
        w_in = g.weight(n["in_norm"], weights(n["in_norm"]))
        if residual is None:
            h = g.op("SimplifiedLayerNormalization", [x, w_in], p + "/input_layernorm", axis=-1, epsilon=eps)
            residual = x
        else:
            h, _, _, residual = g.op("SkipSimplifiedLayerNormalization", [down, residual, w_in], p + "/input_layernorm",
                                     outputs=4, domain=MS, epsilon=eps)
        wqkv = np.concatenate([weights(n[k] + ".weight") for k in ("q", "k", "v")], axis=0)
        bqkv = np.concatenate([weights(n[k] + ".bias") for k in ("q", "k", "v")]) if spec.qkv_bias else None
        qkv = lin(h, wqkv, bqkv, p + "/attn/qkv_proj")
        attn, pk, pv = g.op("GroupQueryAttention", [qkv, "", "", past[i][0], past[i][1], seqlens, total, cos, sin], p + "/attn/GroupQueryAttention",
                            outputs=3, domain=MS, num_heads=nh, kv_num_heads=kvh, do_rotary=1, rotary_interleaved=0, scale=1.0 / math.sqrt(hd))
        g.output(f"present.{i}.key", pk, FLOAT, ["batch_size", kvh, "total_sequence_length", hd])
        g.output(f"present.{i}.value", pv, FLOAT, ["batch_size", kvh, "total_sequence_length", hd])
        for kind in ("key", "value"):
            rows = g.op("Slice", [f"present.{i}.{kind}", step_start, total64, g.const([2])], p + f"/attn/{kind}_step")
            g.output(f"present_step.{i}.{kind}", rows, FLOAT, ["batch_size", kvh, "sequence_length", hd])
        o = lin(attn, weights(n["o"] + ".weight"), None, p + "/attn/o_proj")
        h, _, _, residual = g.op("SkipSimplifiedLayerNormalization", [o, residual, g.weight(n["post_norm"], weights(n["post_norm"]))],
                                 p + "/post_attention_layernorm", outputs=4, domain=MS, epsilon=eps)
        gate = lin(h, weights(n["gate"] + ".weight"), None, p + "/mlp/gate_proj")
        up = lin(h, weights(n["up"] + ".weight"), None, p + "/mlp/up_proj")
        act = g.op("Mul", [g.op("Mul", [gate, g.op("Sigmoid", [gate], p + "/mlp/Sigmoid")], p + "/mlp/SiLU"), up], p + "/mlp/Mul")
        down = lin(act, weights(n["down"] + ".weight"), None, p + "/mlp/down_proj")

    h, _, _, _ = g.op("SkipSimplifiedLayerNormalization", [down, residual, g.weight(FINAL_NORM, weights(FINAL_NORM))], "/model/norm",
                      outputs=4, domain=MS, epsilon=eps)
    h = keep_last(g, h, keep)
    logits = lin.tied_head(h, table) if spec.tied else lin(h, weights(LM_HEAD), None, "lm_head")
    g.output("logits", logits, FLOAT, ["batch_size", "logits_length", spec.vocab_size])
    g.outputs.sort(key=lambda v: (v.name != "logits", v.name.startswith("present_step"), v.name.startswith("present") and int(v.name.split(".")[1]), v.name))
    return g.model(doc=f"lathe onnx_graph fused {fmt}")
