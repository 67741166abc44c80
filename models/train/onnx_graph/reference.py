"""A numpy forward pass of the decoder the builders write (float64), the reference that
`graph_check.py` compares every layout and weight format against."""
import numpy as np

from .spec import EMBED, FINAL_NORM, LM_HEAD, layer_names, rope_tables


def _rms(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def _rot(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def forward(spec, weights, ids, hidden_only=False):
    """Logits [s, vocab] for one sequence of token ids (no cache, causal); the final hidden
    states [s, hidden] with `hidden_only`."""
    W = lambda n: weights(n).astype(np.float64)  # noqa: E731
    s = len(ids)
    nh, kvh, hd = spec.num_heads, spec.num_kv_heads, spec.head_dim
    table = W(EMBED)
    x = table[np.asarray(ids)]
    cos_t, sin_t = rope_tables(spec)
    cos = np.concatenate([cos_t, cos_t], 1)[:s].astype(np.float64)
    sin = np.concatenate([sin_t, sin_t], 1)[:s].astype(np.float64)
    causal = np.triu(np.full((s, s), -np.inf), 1)
    for i in range(spec.num_layers):
        n = layer_names(i)
        h = _rms(x, W(n["in_norm"]), spec.rms_eps)
        proj = {}
        for key, count in (("q", nh), ("k", kvh), ("v", kvh)):
            y = h @ W(n[key] + ".weight").T
            if spec.qkv_bias:
                y = y + W(n[key] + ".bias")
            proj[key] = y.reshape(s, count, hd).transpose(1, 0, 2)
        q = proj["q"] * cos + _rot(proj["q"]) * sin
        k = proj["k"] * cos + _rot(proj["k"]) * sin
        rep = nh // kvh
        k = np.repeat(k, rep, axis=0)
        v = np.repeat(proj["v"], rep, axis=0)
        att = q @ k.transpose(0, 2, 1) / np.sqrt(hd) + causal
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(s, nh * hd)
        x = x + ctx @ W(n["o"] + ".weight").T
        h = _rms(x, W(n["post_norm"]), spec.rms_eps)
        gate = h @ W(n["gate"] + ".weight").T
        up = h @ W(n["up"] + ".weight").T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ W(n["down"] + ".weight").T
    h = _rms(x, W(FINAL_NORM), spec.rms_eps)
    if hidden_only:
        return h
    return h @ (table if spec.tied else W(LM_HEAD)).T
