"""Decoder shapes and the weight naming the builders read (Hugging Face names, torch layout:
Linear weights are [out, in]); `rope_tables` gives the rotary caches."""
from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class DecoderSpec:
    model_type: str
    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    head_dim: int
    intermediate_size: int
    max_position: int
    rope_theta: float
    rms_eps: float
    tied: bool
    qkv_bias: bool

    def with_(self, **kw):
        return replace(self, **kw)


# onnx-community/Qwen2.5-Coder-0.5B: the shapes users run (config.json of the published model).
QWEN25_05B = DecoderSpec("qwen2", 151936, 896, 24, 14, 2, 64, 4864, 32768, 1e6, 1e-6, True, True)
# The same layout at test size: every weight format's constraints (K a multiple of 32) still hold.
TINY_QWEN = DecoderSpec("qwen2", 320, 64, 2, 4, 2, 16, 96, 256, 1e6, 1e-6, True, True)
PRESETS = {"qwen2.5-0.5b": QWEN25_05B, "tiny-qwen": TINY_QWEN}


def layer_names(i):
    p = f"model.layers.{i}."
    return {
        "in_norm": p + "input_layernorm.weight",
        "q": p + "self_attn.q_proj", "k": p + "self_attn.k_proj", "v": p + "self_attn.v_proj",
        "o": p + "self_attn.o_proj",
        "post_norm": p + "post_attention_layernorm.weight",
        "gate": p + "mlp.gate_proj", "up": p + "mlp.up_proj", "down": p + "mlp.down_proj",
    }


EMBED = "model.embed_tokens.weight"
FINAL_NORM = "model.norm.weight"
LM_HEAD = "lm_head.weight"


def shapes(spec):
    """Every weight name → shape, in the order the builders read them."""
    h, q, kv, ff = spec.hidden_size, spec.num_heads * spec.head_dim, spec.num_kv_heads * spec.head_dim, spec.intermediate_size
    out = {EMBED: (spec.vocab_size, h)}
    for i in range(spec.num_layers):
        n = layer_names(i)
        out[n["in_norm"]] = (h,)
        for key, rows in (("q", q), ("k", kv), ("v", kv)):
            out[n[key] + ".weight"] = (rows, h)
            if spec.qkv_bias:
                out[n[key] + ".bias"] = (rows,)
        out[n["o"] + ".weight"] = (h, q)
        out[n["post_norm"]] = (h,)
        out[n["gate"] + ".weight"] = (ff, h)
        out[n["up"] + ".weight"] = (ff, h)
        out[n["down"] + ".weight"] = (h, ff)
    out[FINAL_NORM] = (h,)
    if not spec.tied:
        out[LM_HEAD] = (spec.vocab_size, h)
    return out


def rope_tables(spec):
    """cos, sin [max_position, head_dim/2] (float32) for rotate-half RoPE."""
    inv = 1.0 / (spec.rope_theta ** (np.arange(0, spec.head_dim, 2, dtype=np.float64) / spec.head_dim))
    f = np.arange(spec.max_position, dtype=np.float64)[:, None] * inv[None, :]
    return np.cos(f).astype(np.float32), np.sin(f).astype(np.float32)
