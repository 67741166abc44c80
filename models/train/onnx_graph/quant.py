"""Weight quantizers for the graph builder (numpy only), processed in row chunks so a
152k × 896 embedding table never needs more than a few hundred MB of temporaries.

- `nbits(w, bits, block)`: onnxruntime's MatMulNBits layout (com.microsoft): weights transposed to
  [N, K], asymmetric per block of `block` values along K, uint8 zero points; 4-bit values packed two
  per byte (low nibble first), zero points likewise. Returns B [N, blocks, block*bits/8], scales
  [N*blocks] and zero points [N*ceil(blocks*bits/8)].
- `int8_columns(w)`: symmetric per output column, for DynamicQuantizeLinear → MatMulInteger.
- `int8_rows(table)`: symmetric per row, for embedding Gathers.
"""
import numpy as np

ROWS = 8192


def _blocks(wt, block):
    n, k = wt.shape
    pad = (-k) % block
    if pad:
        wt = np.pad(wt, ((0, 0), (0, pad)))
    return wt.reshape(n, -1, block)


def _pack4(q):
    """[..., 2m] values 0..15 → [..., m] bytes, element 2j in the low nibble."""
    return (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)


def nbits(w_out_in, bits=4, block=32):
    """`w_out_in` is [N, K] (a torch Linear weight): the layout MatMulNBits stores."""
    n, k = w_out_in.shape
    levels = (1 << bits) - 1
    nb = -(-k // block)
    b_out = np.empty((n, nb, block * bits // 8), np.uint8)
    scales = np.empty((n, nb), np.float32)
    zp_cols = -(-nb * bits // 8)
    zps = np.empty((n, zp_cols), np.uint8)
    for r in range(0, n, ROWS):
        blk = _blocks(np.asarray(w_out_in[r:r + ROWS], np.float32), block)
        mn = np.minimum(blk.min(axis=2), 0.0)
        mx = np.maximum(blk.max(axis=2), 0.0)
        s = (mx - mn) / levels
        s[s == 0] = 1.0
        z = np.clip(np.round(-mn / s), 0, levels)
        q = np.clip(np.round(blk / s[..., None]) + z[..., None], 0, levels).astype(np.uint8)
        scales[r:r + ROWS] = s
        if bits == 4:
            b_out[r:r + ROWS] = _pack4(q)
            z = z.astype(np.uint8)
            if nb % 2:
                z = np.pad(z, ((0, 0), (0, 1)), constant_values=8)
            zps[r:r + ROWS] = _pack4(z)
        else:
            b_out[r:r + ROWS] = q
            zps[r:r + ROWS] = z.astype(np.uint8)
    return b_out, scales.reshape(-1), zps.reshape(-1)


def nbits_dequant(b, scales, zps, n, k, bits=4, block=32):
    """The [N, K] float32 weights a MatMulNBits initializer set stands for (tests, references)."""
    nb = -(-k // block)
    if bits == 4:
        q = np.empty((n, nb, block), np.uint8)
        q[..., 0::2] = b & 15
        q[..., 1::2] = b >> 4
        zb = zps.reshape(n, -1)
        z = np.empty((n, zb.shape[1] * 2), np.uint8)
        z[:, 0::2] = zb & 15
        z[:, 1::2] = zb >> 4
        z = z[:, :nb]
    else:
        q = b.reshape(n, nb, block)
        z = zps.reshape(n, nb)
    w = (q.astype(np.float32) - z[..., None]) * scales.reshape(n, nb)[..., None]
    return w.reshape(n, -1)[:, :k]


def int8_columns(w_in_out):
    """[K, N] → int8 [K, N] and per-column scales [N]."""
    q = np.empty(w_in_out.shape, np.int8)
    s = np.empty(w_in_out.shape[1], np.float32)
    for c in range(0, w_in_out.shape[1], ROWS):
        w = np.asarray(w_in_out[:, c:c + ROWS], np.float32)
        sc = np.abs(w).max(axis=0) / 127.0
        sc[sc == 0] = 1.0
        q[:, c:c + ROWS] = np.clip(np.round(w / sc), -127, 127).astype(np.int8)
        s[c:c + ROWS] = sc
    return q, s


def int8_rows(table):
    """[V, H] → int8 [V, H] and per-row scales [V, 1]."""
    q = np.empty(table.shape, np.int8)
    s = np.empty((table.shape[0], 1), np.float32)
    for r in range(0, table.shape[0], ROWS):
        t = np.asarray(table[r:r + ROWS], np.float32)
        sr = np.abs(t).max(axis=1, keepdims=True) / 127.0
        sr[sr == 0] = 1.0
        q[r:r + ROWS] = np.clip(np.round(t / sr), -127, 127).astype(np.int8)
        s[r:r + ROWS] = sr
    return q, s
