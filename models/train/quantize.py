"""Weight-only int8 quantization of an exported decoder, written with the onnx package only.

Two variants (both symmetric, per output channel, int8 weights + fp32 scales):
  "dq"       : DequantizeLinear(W_q, scale, axis) -> MatMul      (exact fp32 activations)
  "integer"  : DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_q) -> Cast -> Mul(x_scale * w_scale)
               (what onnxruntime's quantize_dynamic emits; fused by ORT into DynamicQuantizeMatMul)
Embedding Gathers read an int8 table and multiply by the gathered per-row scale in both variants.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def quantize_int8(src, dst, variant="integer", min_elems=4096):
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    new_nodes = []
    new_inits = []
    replaced = set()
    stats = {"matmul": 0, "gather": 0}

    def q_cols(w):  # per output column (axis=1) for [K, N]
        s = np.abs(w).max(axis=0) / 127.0
        s[s == 0] = 1.0
        return np.clip(np.round(w / s), -127, 127).astype(np.int8), s.astype(np.float32)

    for n in g.node:
        if n.op_type == "MatMul" and n.input[1] in inits:
            w = numpy_helper.to_array(inits[n.input[1]])
            if w.ndim == 2 and w.size >= min_elems:
                wq, s = q_cols(w.astype(np.float32))
                base = n.input[1].replace(":", "_").replace("/", "_") + f"_{stats['matmul']}"
                new_inits += [numpy_helper.from_array(wq, base + "_q"), numpy_helper.from_array(s, base + "_scale")]
                replaced.add(n.input[1])
                stats["matmul"] += 1
                if variant == "dq":
                    zp = numpy_helper.from_array(np.zeros(s.shape, np.int8), base + "_zp")
                    new_inits.append(zp)
                    new_nodes.append(helper.make_node("DequantizeLinear", [base + "_q", base + "_scale", base + "_zp"],
                                                      [base + "_deq"], axis=1, name=base + "_DQ"))
                    new_nodes.append(helper.make_node("MatMul", [n.input[0], base + "_deq"], list(n.output), name=n.name))
                else:
                    x = n.input[0]
                    new_nodes += [
                        helper.make_node("DynamicQuantizeLinear", [x], [base + "_xq", base + "_xs", base + "_xzp"],
                                         name=base + "_DQL"),
                        helper.make_node("MatMulInteger", [base + "_xq", base + "_q", base + "_xzp"], [base + "_i32"],
                                         name=base + "_MMI"),
                        helper.make_node("Cast", [base + "_i32"], [base + "_f"], to=TensorProto.FLOAT, name=base + "_C"),
                        helper.make_node("Mul", [base + "_xs", base + "_scale"], [base + "_s"], name=base + "_S"),
                        helper.make_node("Mul", [base + "_f", base + "_s"], list(n.output), name=n.name),
                    ]
                continue
        if n.op_type == "Gather" and n.input[0] in inits:
            w = numpy_helper.to_array(inits[n.input[0]])
            if w.ndim == 2 and w.size >= min_elems:
                s = np.abs(w).max(axis=1) / 127.0
                s[s == 0] = 1.0
                wq = np.clip(np.round(w / s[:, None]), -127, 127).astype(np.int8)
                base = n.input[0].replace(":", "_").replace("/", "_") + f"_g{stats['gather']}"
                new_inits += [numpy_helper.from_array(wq, base + "_q"),
                              numpy_helper.from_array(s.astype(np.float32)[:, None], base + "_scale")]
                replaced.add(n.input[0])
                stats["gather"] += 1
                axis = [a.i for a in n.attribute if a.name == "axis"]
                assert not axis or axis[0] == 0
                new_nodes += [
                    helper.make_node("Gather", [base + "_q", n.input[1]], [base + "_gq"], axis=0, name=base + "_G"),
                    helper.make_node("Gather", [base + "_scale", n.input[1]], [base + "_gs"], axis=0, name=base + "_GS"),
                    helper.make_node("Cast", [base + "_gq"], [base + "_gf"], to=TensorProto.FLOAT, name=base + "_C"),
                    helper.make_node("Mul", [base + "_gf", base + "_gs"], list(n.output), name=n.name),
                ]
                continue
        new_nodes.append(n)
    still_used = {i for n in new_nodes for i in n.input}
    keep = [i for i in g.initializer if not (i.name in replaced and i.name not in still_used)]
    del g.node[:]
    g.node.extend(new_nodes)
    del g.initializer[:]
    g.initializer.extend(keep + new_inits)
    # drop stale value_info of removed tensors
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    return stats
