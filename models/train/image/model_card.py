"""Writes models/lathe-image-mini/README.md from lathe.json (export facts) and quality.json (evaluate.py)."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def table(rows, head):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def colour_rows(items):
    return [(f"`{r['prompt'] or '(empty)'}`", r["colour"], f"{100 * r['share']:.0f}%", r["dominant"],
             f"{100 * r['red_share']:.0f}%", f"{100 * r['green_share']:.0f}%") for r in items]


def write_card(out, lathe, q):
    p = lathe["parameters"]
    sizes = lathe["file_bytes"]
    tr = lathe["training"]
    data = tr.get("data") or {}
    hp = q["training"]["hp"]
    checks = lathe.get("export_checks", {})
    total_mb = sum(sizes.values()) / 2**20
    mse = q.get("denoising_mse", [])
    mse_rows = [(m["step"], m.get("train"), m.get("held_out")) for m in mse[:: max(1, len(mse) // 8)]]
    if mse and mse_rows[-1][0] != mse[-1]["step"]:
        mse_rows.append((mse[-1]["step"], mse[-1].get("train"), mse[-1].get("held_out")))
    d = lathe["defaults"]
    text = f"""# lathe-image-mini

Lathe's embedded image model: a small text-conditioned latent diffusion model trained from scratch on the
emoji images of the npm package `emoji-datasource-google` (Noto Color Emoji), exported in the Stable Diffusion
ONNX folder layout, so Lathe's image pipeline (`extension/core/imagegen`) runs it exactly as it runs an
SD-Turbo or SD 1.5 export. It draws 32x32 emoji-like pictures and follows colour and object words of its
captions ("red heart", "green apple"); it knows nothing outside the emoji set. For real images point
`lathe.image.modelPath` at a real Stable Diffusion ONNX export.

![samples](samples.png)

`samples.png`: one row per prompt, seeds 1-6, {d['steps']} DDIM steps, guidance {q['guidance']}, 32x32 shown at 2x.
The last four rows are emoji held out of training (see below).

## Files ({total_mb:.1f} MB)

| folder | content | parameters | file |
|---|---|---|---|
| `tokenizer/` | `tokenizer.json` (word level, lower-cased, CLIP conventions: `<|startoftext|>` ... `<|endoftext|>`, padded with `<|endoftext|>` to 16) + `tokenizer_config.json` | – | – |
| `text_encoder/` | 3-layer transformer, width 128: `input_ids` int64 [b, 16] -> `last_hidden_state` [b, 16, 128] | {p['text_encoder']:,} | {sizes['text_encoder'] / 2**20:.1f} MB |
| `unet/` | UNet (64/128 channels, 8x8 and 4x4, self- and cross-attention in every block; the text's mean vector joins the time embedding): `sample` [b, 4, 8, 8], `timestep` float32 [1 or b], `encoder_hidden_states` -> `out_sample` (epsilon) | {p['unet']:,} | {sizes['unet'] / 2**20:.1f} MB |
| `vae_decoder/` | decoder of a KL autoencoder, latent 4x8x8 -> RGB 32x32 in [-1, 1] (scaling factor in its config.json) | {p['vae_decoder']:,} | {sizes['vae_decoder'] / 2**20:.1f} MB |
| `scheduler/` | `DDIMScheduler`, 1000 steps, linear betas 0.0001-0.02, epsilon, trailing spacing | – | – |
| `model_index.json`, `lathe.json` | the pipeline's index; Lathe's defaults ({d['steps']} steps, guidance {d['guidance']}, {d['scheduler']}, {d['width']}x{d['height']}), training facts, export checks | – | – |

Weights are stored as fp16 initializers cast to float32 inside each graph (half the size); every input and
output is float32. Opset 17. Export checks with onnxruntime-node against PyTorch (`models/train/image/verify_onnx.mjs`):
max abs difference text encoder {checks.get('text_encoder')}, UNet {checks.get('unet')}, decoder {checks.get('vae_decoder')},
whole 20-step guided DDIM image {checks.get('ddim_image')} (pixels in [-1, 1]); 20 guided steps for 2 images took
{checks.get('ddim_ms_total')} ms (UNet {checks.get('unet_ms_per_call_batch4')} ms per call at batch 4, decoder {checks.get('decoder_ms_batch2')} ms) on 2 shared CPU cores.

## Training data and licence

{data.get('package', 'emoji-datasource-google')} {data.get('version', '')} (npm): the Google/Noto emoji PNGs, 64 px, which the
package states are available under the **Apache License 2.0** (the package itself is MIT); 3,781 images with
skin-tone variants, alpha composited on white and box-downscaled to 32x32. Captions come from the package's
`emoji.json`: the emoji's name, its short names, its subcategory, the skin tone of a variant, and a colour word
measured from the pixels ("red heart"). Unicode names use "black"/"white"/"heavy" for filled/outlined glyphs
("heavy black heart" is the red heart), so such words are dropped where the pixels contradict them. Training
varies captions with templates ("a ...", "... emoji", "an emoji of ...") and drops 10% of captions for
classifier-free guidance. The weights are a product of this repository's training code and ship under Lathe's
licence; the images they learned from are Apache-2.0.

Held out (never trained on, all skin-tone variants): {', '.join(data.get('held_out', []))}. Every word of
their names occurs in other emoji, so drawing them takes combining what was learned.

## Training

Recipe: `models/train/README.md` (image model section), code in `models/train/image/`. Autoencoder first
({hp['ae_steps']} steps of {hp['ae_batch']} images, L1 + L2 reconstruction, KL weight {hp['kl_weight']}), then the text encoder and
UNet together on the fixed latents ({hp['diff_steps']} steps of {hp['batch']}, AdamW lr {hp['lr']} with warm-up and cosine decay,
epsilon prediction with min-SNR-5 weighting, EMA {hp['ema']} of the weights is what ships). fp32 on 2 CPU cores
shared with other work (bf16 autocast measured 2.7x slower for this UNet on AVX512-BF16 without AMX).
This export: step {tr['step']} of the diffusion phase, {tr['train_hours']} h of training in all.

Denoising loss (epsilon MSE of the EMA model at fixed noise and timesteps 50-950, unweighted; `train` = a fixed
subset of training emoji, `held_out` = the held-out emoji with their names as prompts):

{table(mse_rows, ['step', 'train', 'held_out'])}

## Measured: does it follow the prompt?

Seeds {q['seeds']} for each prompt, {q['steps']} DDIM steps, guidance {q['guidance']}. Each non-background pixel
gets a colour name from its hue, saturation and value; "share" = pixels of the prompt's colour among
non-background pixels, "dominant" = images whose most frequent colour is the prompt's.

{table(colour_rows(q['colour']), ['prompt', 'colour', 'share', 'dominant', 'red share', 'green share'])}

Held-out emoji (their prompts never seen with these images):

{table(colour_rows(q['held_out']), ['prompt', 'colour', 'share', 'dominant', 'red share', 'green share'])}

Without a prompt (empty caption, the guidance's negative side) and without guidance (scale 1):

{table(colour_rows(q['unconditional']) + colour_rows(q['colour_guidance_1']), ['prompt', 'colour', 'share', 'dominant', 'red share', 'green share'])}

(the last two rows are "red heart" and "green apple" at guidance 1.)

Reproduce: `/usr/bin/python3 models/train/image/evaluate.py --ckpt <checkpoint>` (writes `samples.png`,
`quality.json` and this card).
"""
    with open(os.path.join(out, "README.md.tmp"), "w") as f:
        f.write(text)
    os.replace(os.path.join(out, "README.md.tmp"), os.path.join(out, "README.md"))
