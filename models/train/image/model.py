"""lathe-image-mini networks: word-level text encoder, autoencoder (KL-regularised), conditional UNet.

Attention is written by hand (torch 1.13 has no scaled_dot_product_attention); every module exports to
ONNX at opset 17 with the Stable Diffusion ONNX folder's input/output names (see export.py).
"""
import math
from dataclasses import asdict, dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ImageConfig:
    vocab_size: int = 0
    max_len: int = 16               # tokens incl. <|startoftext|> / <|endoftext|> (pad = <|endoftext|>)
    text_dim: int = 128
    text_layers: int = 3
    text_heads: int = 4
    image_size: int = 32
    latent_channels: int = 4
    ae_channels: list = field(default_factory=lambda: [64, 128, 128])   # latent factor 2^(len-1)
    unet_channels: list = field(default_factory=lambda: [64, 128])
    unet_res_blocks: int = 2
    unet_heads: int = 4
    time_dim: int = 256

    def to_dict(self):
        return asdict(self)


class GroupNorm(nn.GroupNorm):
    """Normalises in fp32 under bf16 autocast (a no-op cast in the fp32 ONNX export)."""

    def forward(self, x):
        return super().forward(x.float()).to(x.dtype)


class LayerNorm(nn.LayerNorm):
    def forward(self, x):
        return super().forward(x.float()).to(x.dtype)


def norm(ch):
    return GroupNorm(32 if ch % 32 == 0 else 8, ch, eps=1e-5)


def attention(q, k, v, heads):
    """q [b, n, d], k/v [b, m, d] -> [b, n, d]; softmax in fp32."""
    b, n, d = q.shape
    m = k.shape[1]
    hd = d // heads
    q = q.reshape(b, n, heads, hd).transpose(1, 2)
    k = k.reshape(b, m, heads, hd).transpose(1, 2)
    v = v.reshape(b, m, heads, hd).transpose(1, 2)
    w = torch.matmul(q, k.transpose(2, 3)) * (1.0 / math.sqrt(hd))
    w = torch.softmax(w.float(), dim=-1).to(v.dtype)
    return torch.matmul(w, v).transpose(1, 2).reshape(b, n, d)


class TextBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x):
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        x = x + self.proj(attention(q, k, v, self.heads))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class TextEncoder(nn.Module):
    """input_ids [b, max_len] -> last_hidden_state [b, max_len, text_dim] (bidirectional, no mask:
    padding is <|endoftext|> tokens, as a CLIP tokenizer pads for Stable Diffusion)."""

    def __init__(self, c: ImageConfig):
        super().__init__()
        self.tok = nn.Embedding(c.vocab_size, c.text_dim)
        self.pos = nn.Parameter(torch.zeros(1, c.max_len, c.text_dim))
        nn.init.normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList([TextBlock(c.text_dim, c.text_heads) for _ in range(c.text_layers)])
        self.ln = LayerNorm(c.text_dim)

    def forward(self, input_ids):
        x = self.tok(input_ids) + self.pos[:, : input_ids.shape[1]]
        for blk in self.blocks:
            x = blk(x)
        return self.ln(x)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb=0):
        super().__init__()
        self.n1 = norm(cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(temb, cout) if temb else None
        self.n2 = norm(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, t=None):
        h = self.c1(F.silu(self.n1(x)))
        if self.t is not None:
            h = h + self.t(F.silu(t))[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


class Encoder(nn.Module):
    def __init__(self, c: ImageConfig):
        super().__init__()
        ch = c.ae_channels
        self.cin = nn.Conv2d(3, ch[0], 3, padding=1)
        layers = []
        for i, co in enumerate(ch):
            ci = ch[max(i - 1, 0)]
            layers.append(ResBlock(ci, co))
            if i < len(ch) - 1:
                layers.append(nn.Conv2d(co, co, 3, stride=2, padding=1))
        self.body = nn.Sequential(*layers)
        self.mid = ResBlock(ch[-1], ch[-1])
        self.nout = norm(ch[-1])
        self.cout = nn.Conv2d(ch[-1], 2 * c.latent_channels, 3, padding=1)

    def forward(self, x):
        h = self.mid(self.body(self.cin(x)))
        mean, logvar = self.cout(F.silu(self.nout(h))).chunk(2, dim=1)
        return mean, logvar.clamp(-30, 20)


class Decoder(nn.Module):
    """latent [b, C, h, w] -> image [b, 3, h*f, w*f] in about [-1, 1]."""

    def __init__(self, c: ImageConfig):
        super().__init__()
        ch = list(reversed(c.ae_channels))
        self.cin = nn.Conv2d(c.latent_channels, ch[0], 3, padding=1)
        self.mid = ResBlock(ch[0], ch[0])
        layers = []
        for i, co in enumerate(ch):
            ci = ch[max(i - 1, 0)]
            layers += [ResBlock(ci, co), ResBlock(co, co)]
            if i < len(ch) - 1:
                layers += [nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(co, co, 3, padding=1)]
        self.body = nn.Sequential(*layers)
        self.nout = norm(ch[-1])
        self.cout = nn.Conv2d(ch[-1], 3, 3, padding=1)

    def forward(self, z):
        h = self.body(self.mid(self.cin(z)))
        return self.cout(F.silu(self.nout(h)))


class XBlock(nn.Module):
    """Self-attention, cross-attention to the text, feed-forward (Stable Diffusion's transformer block)."""

    def __init__(self, ch, ctx_dim, heads):
        super().__init__()
        self.heads = heads
        self.gn = norm(ch)
        self.pin = nn.Conv2d(ch, ch, 1)
        self.ln1 = LayerNorm(ch)
        self.qkv = nn.Linear(ch, 3 * ch, bias=False)
        self.o1 = nn.Linear(ch, ch)
        self.ln2 = LayerNorm(ch)
        self.q2 = nn.Linear(ch, ch, bias=False)
        self.kv2 = nn.Linear(ctx_dim, 2 * ch, bias=False)
        self.o2 = nn.Linear(ch, ch)
        self.ln3 = LayerNorm(ch)
        self.ff1 = nn.Linear(ch, 4 * ch)
        self.ff2 = nn.Linear(2 * ch, ch)
        self.pout = nn.Conv2d(ch, ch, 1)

    def forward(self, x, ctx):
        b, c, h, w = x.shape
        y = self.pin(self.gn(x)).reshape(b, c, h * w).transpose(1, 2)
        q, k, v = self.qkv(self.ln1(y)).chunk(3, dim=-1)
        y = y + self.o1(attention(q, k, v, self.heads))
        k, v = self.kv2(ctx).chunk(2, dim=-1)
        y = y + self.o2(attention(self.q2(self.ln2(y)), k, v, self.heads))
        a, g = self.ff1(self.ln3(y)).chunk(2, dim=-1)
        y = y + self.ff2(a * F.gelu(g))
        return x + self.pout(y.transpose(1, 2).reshape(b, c, h, w))


def timestep_embedding(t, dim):
    """t [n] float -> [n, dim] sinusoidal (half cos, half sin)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class UNet(nn.Module):
    """sample [b, C, h, w], timestep [n] (n = 1 or b, float or int), encoder_hidden_states [b, L, D]
    -> epsilon [b, C, h, w]. The text's mean vector is also added to the time embedding (global
    conditioning: colour), computed inside the graph, so the ONNX inputs stay Stable Diffusion's."""

    def __init__(self, c: ImageConfig):
        super().__init__()
        ch, nb, td = c.unet_channels, c.unet_res_blocks, c.time_dim
        self.ch0 = ch[0]
        self.t1 = nn.Linear(ch[0], td)
        self.t2 = nn.Linear(td, td)
        self.pool = nn.Linear(c.text_dim, td)
        self.cin = nn.Conv2d(c.latent_channels, ch[0], 3, padding=1)
        self.down = nn.ModuleList()
        skips = [ch[0]]
        cur = ch[0]
        for i, co in enumerate(ch):
            for _ in range(nb):
                self.down.append(nn.ModuleList([ResBlock(cur, co, td), XBlock(co, c.text_dim, c.unet_heads)]))
                cur = co
                skips.append(cur)
            if i < len(ch) - 1:
                self.down.append(nn.Conv2d(cur, cur, 3, stride=2, padding=1))
                skips.append(cur)
        self.mid1 = ResBlock(cur, cur, td)
        self.midx = XBlock(cur, c.text_dim, c.unet_heads)
        self.mid2 = ResBlock(cur, cur, td)
        self.up = nn.ModuleList()
        for i, co in reversed(list(enumerate(ch))):
            for _ in range(nb + 1):
                self.up.append(nn.ModuleList([ResBlock(cur + skips.pop(), co, td), XBlock(co, c.text_dim, c.unet_heads)]))
                cur = co
            if i > 0:
                self.up.append(nn.Sequential(nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(cur, cur, 3, padding=1)))
        self.nout = norm(cur)
        self.cout = nn.Conv2d(cur, c.latent_channels, 3, padding=1)
        nn.init.zeros_(self.cout.weight)
        nn.init.zeros_(self.cout.bias)

    def forward(self, sample, timestep, encoder_hidden_states):
        ctx = encoder_hidden_states
        t = self.t2(F.silu(self.t1(timestep_embedding(timestep.reshape(-1), self.ch0))))
        t = t + self.pool(ctx.mean(dim=1))  # [b, td] (broadcasts when timestep has 1 element)
        h = self.cin(sample)
        hs = [h]
        for m in self.down:
            if isinstance(m, nn.ModuleList):
                h = m[1](m[0](h, t), ctx)
            else:
                h = m(h)
            hs.append(h)
        h = self.mid2(self.midx(self.mid1(h, t), ctx), t)
        for m in self.up:
            if isinstance(m, nn.ModuleList):
                h = m[1](m[0](torch.cat([h, hs.pop()], dim=1), t), ctx)
            else:
                h = m(h)
        return self.cout(F.silu(self.nout(h)))


def count(m):
    return sum(p.numel() for p in m.parameters())
