"""The plain-opset decoder (opset 14, no contrib ops except MatMulNBits in the q4/q8 formats),
laid out like an Optimum / onnx-community export of a Llama or Qwen2 model:

inputs   input_ids, attention_mask, position_ids [b, s] int64; past_key_values.{i}.key|value
         [b, kv_heads, past, head_dim]
         num_logits_to_keep int64 scalar with keep_input (Lathe's exports; onnx-community has none)
outputs  logits [b, s, vocab]; present.{i}.key|value [b, kv_heads, past + s, head_dim]

RMSNorm as Pow/ReduceMean/Add/Sqrt/Div/Mul (onnxruntime fuses it), RoPE by Gather of cos/sin
tables at position_ids and rotate-half, KV concatenated to the past, grouped KV heads expanded
with Unsqueeze/Expand/Reshape, the causal + padding mask built once from attention_mask.
Reshapes use static head counts (0 copies a dimension) instead of traced Shape chains.
fp16 runs the whole graph (KV and logits too) in float16.
"""
import math

import numpy as np

from .graph import BOOL, FLOAT, FLOAT16, INT64, Graph
from .linear import Linear
from .spec import EMBED, FINAL_NORM, LM_HEAD, layer_names, rope_tables


def _rms_norm(g, x, w, eps, name, ft):
    sq = g.op("Pow", [x, g.const(2.0, ft, "two")], name + "/Pow")
    mean = g.op("ReduceMean", [sq], name + "/ReduceMean", axes=[-1], keepdims=1)
    var = g.op("Add", [mean, g.const(eps, ft, "eps")], name + "/Add")
    std = g.op("Sqrt", [var], name + "/Sqrt")
    y = g.op("Div", [x, std], name + "/Div")
    return g.op("Mul", [y, g.weight(name + ".weight", w.astype(ft))], name + "/Mul")


def _rope(g, x, cos, sin, half, name):
    a = g.op("Slice", [x, g.const([0]), g.const([half]), g.const([3])], name + "/Slice1")
    b = g.op("Slice", [x, g.const([half]), g.const([2**62]), g.const([3])], name + "/Slice2")
    rot = g.op("Concat", [g.op("Neg", [b], name + "/Neg"), a], name + "/Concat", axis=3)
    return g.op("Add", [g.op("Mul", [x, cos], name + "/MulCos"), g.op("Mul", [rot, sin], name + "/MulSin")], name + "/Add")


def _mask(g, ids, am, ft):
    """[b, 1, s, total] additive mask: 0 where key j ≤ query position and attention_mask[j] = 1."""
    total = g.op("Gather", [g.op("Shape", [am], "/mask/ShapeMask"), g.const(1)], "/mask/Total")
    seq = g.op("Gather", [g.op("Shape", [ids], "/mask/ShapeIds"), g.const(1)], "/mask/Seq")
    past = g.op("Sub", [total, seq], "/mask/Past")
    kpos = g.op("Range", [g.const(0), total, g.const(1)], "/mask/KeyPos")
    qpos = g.op("Unsqueeze", [g.op("Range", [past, total, g.const(1)], "/mask/QueryPos"), g.const([1])], "/mask/QueryCol")
    causal = g.op("Not", [g.op("Greater", [kpos, qpos], "/mask/Future")], "/mask/Causal")
    pad = g.op("Unsqueeze", [g.op("Cast", [am], "/mask/Cast", to=BOOL), g.const([1, 2])], "/mask/Pad")
    allowed = g.op("And", [causal, pad], "/mask/And")
    low = float(np.finfo(ft).min)
    return g.op("Where", [allowed, g.const(0.0, ft, "zero"), g.const(low, ft, "low")], "/mask/Where")


def keep_last(g, h, keep):
    """h[:, -n:] for n = num_logits_to_keep (n = 0 or n > s keeps every position)."""
    s = g.op("Gather", [g.op("Shape", [h], "/keep/Shape"), g.const(1)], "/keep/Seq")
    n = g.op("Min", [keep, s], "/keep/Min")
    n = g.op("Where", [g.op("Equal", [n, g.const(0)], "/keep/IsZero"), s, n], "/keep/Where")
    start = g.op("Unsqueeze", [g.op("Neg", [n], "/keep/Neg"), g.const([0])], "/keep/Start")
    return g.op("Slice", [h, start, g.const([2**62]), g.const([1])], "/keep/Slice")


def build_plain(spec, weights, fmt, store, accuracy_level=0, keep_input=False):
    ft = np.float16 if fmt == "fp16" else np.float32
    et = FLOAT16 if fmt == "fp16" else FLOAT
    g = Graph(store, opset=14)
    lin = Linear(g, fmt, accuracy_level=accuracy_level)
    nh, kvh, hd = spec.num_heads, spec.num_kv_heads, spec.head_dim
    ids = g.input("input_ids", INT64, ["batch_size", "sequence_length"])
    am = g.input("attention_mask", INT64, ["batch_size", "total_sequence_length"])
    pos = g.input("position_ids", INT64, ["batch_size", "sequence_length"])
    keep = g.input("num_logits_to_keep", INT64, []) if keep_input else None
    past = []
    for i in range(spec.num_layers):
        past.append(tuple(g.input(f"past_key_values.{i}.{kv}", et, ["batch_size", kvh, "past_sequence_length", hd]) for kv in ("key", "value")))

    table = weights(EMBED)
    x = lin.embed(ids, table)
    mask = _mask(g, ids, am, ft)
    cos_t, sin_t = rope_tables(spec)
    cos_full = np.concatenate([cos_t, cos_t], axis=1).astype(ft)
    sin_full = np.concatenate([sin_t, sin_t], axis=1).astype(ft)
    cos = g.op("Unsqueeze", [g.op("Gather", [g.weight("rope.cos", cos_full), pos], "/rope/GatherCos"), g.const([1])], "/rope/Cos")
    sin = g.op("Unsqueeze", [g.op("Gather", [g.weight("rope.sin", sin_full), pos], "/rope/GatherSin"), g.const([1])], "/rope/Sin")
    scale = g.const(1.0 / math.sqrt(hd), ft, "scale")

    for i in range(spec.num_layers):
        n = layer_names(i)
        p = f"/model/layers.{i}"
        bias = (lambda key: weights(n[key] + ".bias")) if spec.qkv_bias else (lambda key: None)
        h = _rms_norm(g, x, weights(n["in_norm"]), spec.rms_eps, p + "/input_layernorm", ft)
        heads = {}
        for key, count in (("q", nh), ("k", kvh), ("v", kvh)):
            y = lin(h, weights(n[key] + ".weight"), bias(key), p + f"/attn/{key}_proj")
            y = g.op("Reshape", [y, g.const([0, 0, count, hd])], p + f"/attn/{key}_Reshape")
            heads[key] = g.op("Transpose", [y], p + f"/attn/{key}_Transpose", perm=[0, 2, 1, 3])
        q = _rope(g, heads["q"], cos, sin, hd // 2, p + "/attn/q_rope")
        k = _rope(g, heads["k"], cos, sin, hd // 2, p + "/attn/k_rope")
        k_all = g.op("Concat", [past[i][0], k], p + "/attn/k_Concat", axis=2)
        v_all = g.op("Concat", [past[i][1], heads["v"]], p + "/attn/v_Concat", axis=2)
        g.output(f"present.{i}.key", k_all, et, ["batch_size", kvh, "total_sequence_length", hd])
        g.output(f"present.{i}.value", v_all, et, ["batch_size", kvh, "total_sequence_length", hd])
        k_all, v_all = f"present.{i}.key", f"present.{i}.value"
        if nh != kvh:
            rep = g.const([1, 1, nh // kvh, 1, 1], hint="repeat")
            k_all = g.op("Reshape", [g.op("Expand", [g.op("Unsqueeze", [k_all, g.const([2])], p + "/attn/k_Unsqueeze"), rep], p + "/attn/k_Expand"),
                                     g.const([0, nh, -1, hd])], p + "/attn/k_Repeat")
            v_all = g.op("Reshape", [g.op("Expand", [g.op("Unsqueeze", [v_all, g.const([2])], p + "/attn/v_Unsqueeze"), rep], p + "/attn/v_Expand"),
                                     g.const([0, nh, -1, hd])], p + "/attn/v_Repeat")
        kt = g.op("Transpose", [k_all], p + "/attn/k_T", perm=[0, 1, 3, 2])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, kt], p + "/attn/QK"), scale], p + "/attn/Scale"), mask], p + "/attn/Mask")
        probs = g.op("Softmax", [scores], p + "/attn/Softmax", axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v_all], p + "/attn/PV")], p + "/attn/ctx_Transpose", perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, g.const([0, 0, nh * hd])], p + "/attn/ctx_Reshape")
        x = g.op("Add", [x, lin(ctx, weights(n["o"] + ".weight"), None, p + "/attn/o_proj")], p + "/attn_residual")
        h = _rms_norm(g, x, weights(n["post_norm"]), spec.rms_eps, p + "/post_attention_layernorm", ft)
        gate = lin(h, weights(n["gate"] + ".weight"), None, p + "/mlp/gate_proj")
        up = lin(h, weights(n["up"] + ".weight"), None, p + "/mlp/up_proj")
        act = g.op("Mul", [g.op("Mul", [gate, g.op("Sigmoid", [gate], p + "/mlp/Sigmoid")], p + "/mlp/SiLU"), up], p + "/mlp/Mul")
        x = g.op("Add", [x, lin(act, weights(n["down"] + ".weight"), None, p + "/mlp/down_proj")], p + "/mlp_residual")

    if keep:
        x = keep_last(g, x, keep)
    h = _rms_norm(g, x, weights(FINAL_NORM), spec.rms_eps, "/model/norm", ft)
    logits = lin.tied_head(h, table) if spec.tied else lin(h, weights(LM_HEAD), None, "lm_head")
    g.output("logits", logits, et, ["batch_size", "logits_length" if keep else "sequence_length", spec.vocab_size])
    # Outputs in the usual order: logits first, then present.* by layer.
    g.outputs.sort(key=lambda v: (v.name != "logits", v.name.startswith("present") and int(v.name.split(".")[1]), v.name))
    return g.model(doc=f"lathe onnx_graph plain {fmt}")
