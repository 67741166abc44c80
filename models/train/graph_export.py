"""Export a trained `model.LlamaLM` with the graph builder instead of torch tracing.

  layout "plain": standard opset 14 ops with static reshapes (no Shape chains from traced views);
                  runs on any ONNX runtime. Files: model.onnx (fp32), model_int8.onnx
                  (DequantizeLinear → MatMul, the shipped int8 scheme), model_q4.onnx (MatMulNBits).
  layout "fused": onnxruntime contrib ops (GroupQueryAttention, SkipSimplifiedLayerNormalization,
                  MatMulNBits), 13 nodes per layer. Files: model.onnx (fp32), model_int8.onnx
                  (8-bit MatMulNBits, block 32), model_q4.onnx (4-bit MatMulNBits, block 32).
Both take num_logits_to_keep (the plain one also position_ids, the fused one derives positions).
"""
import os

from onnx_graph.fused import build_fused
from onnx_graph.plain import build_plain
from onnx_graph.spec import DecoderSpec
from onnx_graph.store import TensorStore

FILES = {"fp32": "model.onnx", "int8": "model_int8.onnx", "q4": "model_q4.onnx"}
PLAIN_FORMAT = {"fp32": "fp32", "int8": "int8dq", "q4": "q4"}


def spec_of(config, max_position):
    c = config
    return DecoderSpec("llama", c.vocab_size, c.hidden_size, c.num_hidden_layers, c.num_attention_heads, c.num_key_value_heads,
                       c.head_dim, c.intermediate_size, max_position, c.rope_theta, c.rms_norm_eps, c.tie_word_embeddings, False)


def checkpoint_weights(model):
    """Hugging Face weight names → float32 numpy arrays of a LlamaLM's state dict."""
    state = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}

    def weights(name):
        key = name[len("model."):] if name.startswith("model.") else name
        return state[key]
    return weights


def export_graphs(model, onnx_dir, layout, dtypes=("fp32", "int8"), max_position=None):
    """Writes the chosen variants into onnx_dir; returns [{file, bytes, nodes}]."""
    spec = spec_of(model.config, max_position or model.config.max_position_embeddings)
    weights = checkpoint_weights(model)
    out = []
    for dtype in dtypes:
        path = os.path.join(onnx_dir, FILES[dtype])
        store = TensorStore(path + ".spill")
        if layout == "fused":
            m = build_fused(spec, weights, dtype, store, accuracy_level=4)
        else:
            m = build_plain(spec, weights, PLAIN_FORMAT[dtype], store, keep_input=True)
        store.save_inline(m, path)
        out.append({"file": FILES[dtype], "bytes": os.path.getsize(path), "nodes": len(m.graph.node)})
    return out
