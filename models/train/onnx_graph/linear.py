"""How a weight format turns `x @ W.T + b` (and the embedding lookup) into nodes.

fp32 / fp16   MatMul on [in, out] weights (+ Add for a bias)
int8          DynamicQuantizeLinear → MatMulInteger (per-column int8 weights) → Cast → Mul (scales)
int8dq        DequantizeLinear (per-column int8 weights) → fp32 MatMul (Lathe's shipped int8 scheme)
q4 / q8       com.microsoft MatMulNBits, block 32, asymmetric uint8 zero points
Embeddings: a plain Gather, except int8 (int8 table + per-row scale).
"""
import numpy as np

from .graph import FLOAT, MS
from .quant import int8_columns, int8_rows, nbits

FORMATS = ("fp32", "fp16", "int8", "int8dq", "q4", "q8")


class Linear:
    def __init__(self, g, fmt, accuracy_level=0, block=32, nbits_bias_input=False):
        assert fmt in FORMATS, fmt
        self.g = g
        self.fmt = fmt
        self.float = np.float16 if fmt == "fp16" else np.float32
        self.accuracy_level = accuracy_level
        self.block = block
        self.nbits_bias_input = nbits_bias_input

    def __call__(self, x, w, b, name):
        """`w` [out, in] float32 (torch Linear layout), `b` [out] or None."""
        g, fmt = self.g, self.fmt
        n_out, k = w.shape
        if fmt in ("q4", "q8"):
            bits = 4 if fmt == "q4" else 8
            qb, scales, zps = nbits(w, bits, self.block)
            ins = [x, g.weight(name + ".qweight", qb), g.weight(name + ".scales", scales), g.weight(name + ".qzeros", zps)]
            if b is not None and self.nbits_bias_input:
                ins += ["", g.weight(name + ".bias", b.astype(np.float32))]
            y = g.op("MatMulNBits", ins, name + "/MatMulNBits", domain=MS, K=k, N=n_out, bits=bits,
                     block_size=self.block, accuracy_level=self.accuracy_level)
            if b is not None and not self.nbits_bias_input:
                y = g.op("Add", [y, g.weight(name + ".bias", b.astype(np.float32))], name + "/Add")
            return y
        if fmt == "int8dq":
            wq, s = int8_columns(np.ascontiguousarray(w.T))
            zp = g.weight(name + ".weight_zp", np.zeros(s.shape, np.int8))
            deq = g.op("DequantizeLinear", [g.weight(name + ".weight_int8", wq), g.weight(name + ".weight_scale", s), zp],
                       name + "/DequantizeLinear", axis=1)
            y = g.op("MatMul", [x, deq], name + "/MatMul")
        elif fmt == "int8":
            wq, s = int8_columns(np.ascontiguousarray(w.T))
            xq, xs, xz = g.op("DynamicQuantizeLinear", [x], name + "/DynamicQuantizeLinear", outputs=3)
            acc = g.op("MatMulInteger", [xq, g.weight(name + ".weight_int8", wq), xz], name + "/MatMulInteger")
            f = g.op("Cast", [acc], name + "/Cast", to=FLOAT)
            scale = g.op("Mul", [xs, g.weight(name + ".weight_scale", s)], name + "/scale")
            y = g.op("Mul", [f, scale], name + "/Mul")
        else:
            y = g.op("MatMul", [x, g.weight(name + ".weight_T", np.ascontiguousarray(w.T).astype(self.float))], name + "/MatMul")
        if b is not None:
            y = g.op("Add", [y, g.weight(name + ".bias", b.astype(self.float))], name + "/Add")
        return y

    def embed(self, ids, table, name="model.embed_tokens"):
        g = self.g
        if self.fmt in ("int8", "int8dq"):
            q, s = int8_rows(table)
            rows = g.op("Gather", [g.weight(name + ".weight_int8", q), ids], name + "/Gather")
            f = g.op("Cast", [rows], name + "/Cast", to=FLOAT)
            scale = g.op("Gather", [g.weight(name + ".weight_scale", s), ids], name + "/GatherScale")
            return g.op("Mul", [f, scale], name + "/Mul")
        return g.op("Gather", [g.weight(name + ".weight", table.astype(self.float)), ids], name + "/Gather")

    def tied_head(self, h, table, name="lm_head"):
        """Logits against the embedding table (tied weights). Float formats reuse the table the
        Gather reads through a Transpose (onnxruntime folds it at load); quantized formats store
        their own quantized copy."""
        g = self.g
        if self.fmt in ("fp32", "fp16"):
            t = g.op("Transpose", ["model.embed_tokens.weight"], name + "/Transpose", perm=[1, 0])
            return g.op("MatMul", [h, t], name + "/MatMul")
        return self(h, table, None, name)
