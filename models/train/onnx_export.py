"""Export a `model.LlamaLM` to the Lathe engine-contract ONNX layout (see shared/DESIGN.md).

inputs : input_ids int64 [b,s], attention_mask int64 [b,past+s], position_ids int64 [b,s]
         (omitted with keep_variant=True), past_key_values.{i}.key|value f32 [b,kv,past,hd],
         num_logits_to_keep int64 scalar (only with keep_variant=True)
outputs: logits f32 [b,s|kept,vocab], present.{i}.key|value f32 [b,kv,past+s,hd]
"""
import json
import os

import torch
import torch.nn as nn


class _Wrapper(nn.Module):
    def __init__(self, model, keep_variant):
        super().__init__()
        self.m = model
        self.keep = keep_variant
        self.L = model.config.num_hidden_layers

    def forward(self, input_ids, attention_mask, third, *past):
        pkv = [(past[2 * i], past[2 * i + 1]) for i in range(self.L)]
        if self.keep:
            logits, presents = self.m(input_ids, attention_mask, None, pkv, num_logits_to_keep=third)
        else:
            logits, presents = self.m(input_ids, attention_mask, third, pkv)
        flat = []
        for k, v in presents:
            flat += [k, v]
        return (logits, *flat)


def export_onnx(model, path, keep_variant=False, opset=14):
    c = model.config
    model = model.eval().float()
    w = _Wrapper(model, keep_variant)
    b, s, past = 2, 3, 2
    ids = torch.randint(0, c.vocab_size, (b, s))
    am = torch.ones(b, past + s, dtype=torch.int64)
    third = torch.tensor(1, dtype=torch.int64) if keep_variant else torch.arange(past, past + s)[None].expand(b, s).contiguous()
    pasts = []
    in_names = ["input_ids", "attention_mask", "num_logits_to_keep" if keep_variant else "position_ids"]
    out_names = ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    if not keep_variant:
        dyn["position_ids"] = {0: "batch_size", 1: "sequence_length"}
    for i in range(c.num_hidden_layers):
        for kv in ("key", "value"):
            pasts.append(torch.randn(b, c.num_key_value_heads, past, c.head_dim))
            n_in, n_out = f"past_key_values.{i}.{kv}", f"present.{i}.{kv}"
            in_names.append(n_in)
            out_names.append(n_out)
            dyn[n_in] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[n_out] = {0: "batch_size", 2: "total_sequence_length"}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(w, (ids, am, third, *pasts), path, input_names=in_names, output_names=out_names,
                          dynamic_axes=dyn, opset_version=opset, do_constant_folding=True)


def write_config_files(out_dir, c, tok_json, extra_eos=("<|file_sep|>",), model_max_length=None):
    """config.json + generation_config.json in Hugging Face llama style."""
    specials = {t["content"]: t["id"] for t in tok_json["added_tokens"]}
    eos = [specials["<|endoftext|>"]] + [specials[t] for t in extra_eos if t in specials]
    cfg = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_act": "silu",
        "hidden_size": c.hidden_size,
        "intermediate_size": c.intermediate_size,
        "num_hidden_layers": c.num_hidden_layers,
        "num_attention_heads": c.num_attention_heads,
        "num_key_value_heads": c.num_key_value_heads,
        "head_dim": c.head_dim,
        "vocab_size": c.vocab_size,
        "max_position_embeddings": c.max_position_embeddings,
        "rope_theta": c.rope_theta,
        "rope_scaling": None,
        "rms_norm_eps": c.rms_norm_eps,
        "tie_word_embeddings": c.tie_word_embeddings,
        "attention_bias": False,
        "mlp_bias": False,
        "bos_token_id": None,
        "eos_token_id": eos,
        "pad_token_id": specials["<|endoftext|>"],
        "torch_dtype": "float32",
        "use_cache": True,
        "transformers_version": "4.46.0",
    }
    gen = {"eos_token_id": eos, "pad_token_id": specials["<|endoftext|>"], "bos_token_id": None,
           "do_sample": False, "max_new_tokens": 64, "transformers_version": "4.46.0"}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(out_dir, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)
        f.write("\n")
    return cfg, gen


def dedupe_tied_embedding(path):
    """torch folds the tied lm_head into a second, transposed copy of the embedding table.
    Replace that initializer with a Transpose of the Gather table (onnxruntime constant-folds it at
    session creation), which makes the file ~vocab*hidden*4 bytes smaller. Returns bytes saved."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper
    m = onnx.load(path)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    tables = {n.input[0] for n in g.node if n.op_type == "Gather" and n.input[0] in inits}
    saved = 0
    for t in tables:
        E = numpy_helper.to_array(inits[t])
        for idx, n in enumerate(list(g.node)):
            if n.op_type == "MatMul" and n.input[1] in inits and n.input[1] != t:
                W = numpy_helper.to_array(inits[n.input[1]])
                if W.shape == E.T.shape and np.array_equal(W, E.T):
                    old = n.input[1]
                    n.input[1] = t + "_T"
                    pos = list(g.node).index(n)
                    g.node.insert(pos, helper.make_node("Transpose", [t], [t + "_T"], perm=[1, 0], name=t + "_Transpose"))
                    if not any(old in x.input for x in g.node):
                        g.initializer.remove(inits[old])
                        saved += W.nbytes
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return saved
