"""Checks train.py runs before any training time is spent; each failure says what to do."""
import hashlib
import json
import os

SHAPE_KEYS = ("d", "layers", "heads", "kv_heads", "ffn")
FIM_KEYS = ("fim_prefix_token", "fim_suffix_token", "fim_middle_token", "file_separator_token", "eos_token")


def ckpt_preset(hparams, presets):
    """The preset a checkpoint was trained with (v1 checkpoints do not record it: matched by shapes)."""
    if hparams.get("preset"):
        return hparams["preset"]
    for name, p in presets.items():
        if all(p[k] == hparams.get(k) for k in SHAPE_KEYS):
            return name
    return "custom"


def check_preset(path, hparams, requested, presets, overrides):
    """A checkpoint resumes only into its own preset/shapes."""
    have = ckpt_preset(hparams, presets)
    if requested and requested != have:
        want = presets[requested]
        diff = ", ".join(f"{k} {hparams.get(k)} vs {want[k]}" for k in SHAPE_KEYS if hparams.get(k) != want[k])
        raise SystemExit(
            f"{path} was trained with preset '{have}'" + (f" ({diff})" if diff else "") +
            f"; --preset {requested} cannot resume it. Use another --ckpt-dir for a new run "
            f"(with --init-from {path} to start from its weights when the shapes match), or drop --preset.")
    for k in SHAPE_KEYS:
        if overrides.get(k) is not None and overrides[k] != hparams.get(k):
            raise SystemExit(f"{path} has {k} {hparams.get(k)}; --{k.replace('_', '-')} {overrides[k]} would change "
                             f"the model's shape. Start a new run with another --ckpt-dir.")


def check_init_shapes(path, ck_config, cfg):
    keys = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
            "head_dim", "intermediate_size")
    diff = [f"{k} {ck_config.get(k)} vs {getattr(cfg, k)}" for k in keys if ck_config.get(k) != getattr(cfg, k)]
    if diff:
        raise SystemExit(f"--init-from {path}: its shapes differ from this run's ({', '.join(diff)}); "
                         "pick the preset it was trained with")


def check_special_tokens(special, lathe_json, ckpt_special=None):
    """The tokenizer's special tokens must be the ones the shipped model declares (and the checkpoint's ids)."""
    if os.path.exists(lathe_json):
        lj = json.load(open(lathe_json, encoding="utf-8"))
        missing = [f"{k} = {lj[k]!r}" for k in FIM_KEYS if lj.get(k) and lj[k] not in special]
        if missing:
            raise SystemExit(f"the tokenizer lacks special tokens that {lathe_json} declares: {', '.join(missing)} "
                             f"(tokenizer has {sorted(special)}); train with the tokenizer the model ships "
                             "(models/train/tokenizer) or re-export the model")
    if ckpt_special:
        diff = [f"{t}: checkpoint {i} vs tokenizer {special.get(t)}" for t, i in ckpt_special.items() if special.get(t) != i]
        if diff:
            raise SystemExit(f"special token ids differ from the checkpoint's: {'; '.join(diff)}")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_data(data_dir, tokenizer_json, manifest=None):
    """Token streams must come from this tokenizer and (when given) this corpus manifest."""
    meta_path = os.path.join(data_dir, "meta.json")
    if not os.path.exists(os.path.join(data_dir, "train.bin")) or not os.path.exists(meta_path):
        raise SystemExit(f"{data_dir}/train.bin or meta.json not found: build the token streams with "
                         "models/train/corpus.py and models/train/data.py (models/train/README.md)")
    meta = json.load(open(meta_path))
    tok_sha = sha256_file(tokenizer_json)
    if meta.get("tokenizer_sha256") != tok_sha:
        raise SystemExit(f"{meta_path}: the streams were built with tokenizer sha256 {meta.get('tokenizer_sha256')}, "
                         f"but {tokenizer_json} has {tok_sha}; rerun models/train/data.py")
    if manifest and meta.get("manifest_sha256") and os.path.exists(manifest):
        m = sha256_file(manifest)
        if meta["manifest_sha256"] != m:
            raise SystemExit(f"{meta_path}: the streams were built from a corpus manifest with sha256 "
                             f"{meta['manifest_sha256']}, but {manifest} has {m}; rerun models/train/data.py")
    return meta


def verify_corpus(corpus_dir, rows):
    """Every corpus file must have the sha256 its manifest row records."""
    for r in rows:
        p = os.path.join(corpus_dir, "files", r["sha256"][:2], r["sha256"])
        if not os.path.exists(p):
            raise SystemExit(f"{p} ({r['path']}, package {r['package']}) is missing: rerun models/train/corpus.py")
        with open(p, "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if got != r["sha256"]:
            raise SystemExit(f"{p}: sha256 {got} disagrees with the manifest ({r['sha256']}, {r['path']}, "
                             f"package {r['package']} {r['version']}); rerun models/train/corpus.py")
