"""Llama-style decoder (RMSNorm, RoPE, SwiGLU, grouped KV heads, optional tied embeddings).

One implementation serves training (no cache, causal mask) and ONNX export
(KV cache, attention_mask, position_ids or positions derived from the mask,
optional num_logits_to_keep). Written for torch 1.13 (no SDPA) and opset 14.
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int = 12288
    hidden_size: int = 320
    num_hidden_layers: int = 8
    num_attention_heads: int = 5
    num_key_value_heads: int = 1
    head_dim: int = 64
    intermediate_size: int = 864
    max_position_embeddings: int = 1024
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5
    tie_word_embeddings: bool = True
    init_std: float = 0.02

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return (xf * self.weight.float()).to(x.dtype) if x.dtype != torch.float32 else xf * self.weight


def rotate_half(x):
    d = x.shape[-1] // 2
    return torch.cat((-x[..., d:], x[..., :d]), dim=-1)


class Attention(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.nh, self.nkv, self.hd = c.num_attention_heads, c.num_key_value_heads, c.head_dim
        self.q_proj = nn.Linear(c.hidden_size, self.nh * self.hd, bias=False)
        self.k_proj = nn.Linear(c.hidden_size, self.nkv * self.hd, bias=False)
        self.v_proj = nn.Linear(c.hidden_size, self.nkv * self.hd, bias=False)
        self.o_proj = nn.Linear(self.nh * self.hd, c.hidden_size, bias=False)

    def forward(self, x, cos, sin, mask, past_k=None, past_v=None):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.nh, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.nkv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.nkv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k.to(k.dtype), k], dim=2)
            v = torch.cat([past_v.to(v.dtype), v], dim=2)
        present = (k, v)
        if self.nkv != self.nh:
            rep = self.nh // self.nkv
            t = k.shape[2]
            # expand+reshape, not repeat_interleave (exports to a graph ORT rejects)
            k = k[:, :, None].expand(b, self.nkv, rep, t, self.hd).reshape(b, self.nh, t, self.hd)
            v = v[:, :, None].expand(b, self.nkv, rep, t, self.hd).reshape(b, self.nh, t, self.hd)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd))
        att = att.float() + mask
        att = torch.softmax(att, dim=-1).to(v.dtype)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, s, self.nh * self.hd)
        return self.o_proj(y), present


class MLP(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.up_proj = nn.Linear(c.hidden_size, c.intermediate_size, bias=False)
        self.down_proj = nn.Linear(c.intermediate_size, c.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.input_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.mlp = MLP(c)

    def forward(self, x, cos, sin, mask, past_k=None, past_v=None):
        h, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v)
        x = x + h
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


class LlamaLM(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.config = c
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layers = nn.ModuleList([Block(c) for _ in range(c.num_hidden_layers)])
        self.norm = RMSNorm(c.hidden_size, c.rms_norm_eps)
        self.lm_head = None if c.tie_word_embeddings else nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        inv_freq = 1.0 / (c.rope_theta ** (torch.arange(0, c.head_dim, 2).float() / c.head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.reset_parameters()

    def reset_parameters(self):
        std = self.config.init_std
        for n, p in self.named_parameters():
            if p.dim() == 2:
                s = std
                if n.endswith("o_proj.weight") or n.endswith("down_proj.weight"):
                    s = std / math.sqrt(2 * self.config.num_hidden_layers)
                nn.init.normal_(p, 0.0, s)

    def num_params(self):
        return sum(p.numel() for p in self.parameters())

    def rope(self, position_ids):
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat([freqs, freqs], dim=-1)
        return emb.cos()[:, None], emb.sin()[:, None]  # [b,1,s,hd]

    def forward(self, input_ids, attention_mask=None, position_ids=None, past_key_values=None,
                num_logits_to_keep=None, return_hidden=False):
        b, s = input_ids.shape
        x = self.embed_tokens(input_ids)
        if past_key_values is None and attention_mask is None:
            # training path: plain causal
            if position_ids is None:
                position_ids = torch.arange(s, device=input_ids.device)[None].expand(b, s)
            mask = torch.full((s, s), float("-inf"), device=input_ids.device).triu(1)[None, None]
        else:
            past = past_key_values[0][0].shape[2] if past_key_values is not None else 0
            total = attention_mask.shape[1]
            if position_ids is None:
                pos_all = (attention_mask.cumsum(-1) - 1).clamp(min=0)
                position_ids = pos_all[:, total - s:]
            # causal: query i (absolute past+i) may see key j <= past+i, and only unmasked keys
            q_pos = torch.arange(s, device=input_ids.device)[:, None] + (total - s)
            k_pos = torch.arange(total, device=input_ids.device)[None, :]
            allowed = (k_pos <= q_pos)[None, None] & (attention_mask[:, None, None, :] > 0)
            mask = torch.where(allowed, torch.zeros((), dtype=torch.float32), torch.full((), -1e9))
        cos, sin = self.rope(position_ids)
        cos, sin = cos.to(x.dtype), sin.to(x.dtype)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = (past_key_values[i] if past_key_values is not None else (None, None))
            x, pres = layer(x, cos, sin, mask, pk, pv)
            presents.append(pres)
        if num_logits_to_keep is not None:
            s_t = torch._shape_as_tensor(input_ids)[1]
            n = num_logits_to_keep.reshape(()).to(torch.int64)
            n = torch.where(n > 0, torch.minimum(n, s_t), s_t)  # 0 keeps all positions
            x = x.index_select(1, torch.arange(s_t - n, s_t, device=x.device))
        h = self.norm(x)
        if return_hidden:
            return h, presents
        w = self.embed_tokens.weight if self.lm_head is None else self.lm_head.weight
        logits = F.linear(h, w)
        return logits, presents

