#!/usr/bin/python3
"""Emoji images + captions for lathe-image-mini (from the npm package emoji-datasource-google).

  /usr/bin/python3 models/train/image/data.py   # -> models/train/.cache/image/emoji32.npz + captions.json

Images: the package's 64-px Noto PNGs (Apache-2.0), alpha composited on white, box-downscaled to 32x32.
Captions per image: the emoji's name (its Unicode name), its short names, its subcategory, the skin tone
of a skin-tone variant, and a colour word measured from the pixels ("red heart"). Unicode names use
"black"/"white"/"heavy" for filled/outlined glyphs ("heavy black heart" is the red heart): such words are
dropped from a name when the pixels disagree with them.
"""
import argparse
import colorsys
import hashlib
import json
import os
import re

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.join(HERE, "..", ".cache", "emoji", "node_modules", "emoji-datasource-google")
OUT = os.path.join(HERE, "..", ".cache", "image")

# Whole emoji held out of training (all skin-tone variants): every word of each caption is seen in
# other emoji, so the model can only draw them by combining what it learned (colour + shape).
HELD_OUT = ["green_heart", "large_purple_square", "large_orange_circle", "blue_book", "black_cat",
            "guide_dog", "croissant", "snowman_without_snow"]

TONES = {"1F3FB": "light skin tone", "1F3FC": "medium-light skin tone", "1F3FD": "medium skin tone",
         "1F3FE": "medium-dark skin tone", "1F3FF": "dark skin tone"}
COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white", "grey"]
WORD_RE = re.compile(r"\w+|[^\w\s]+")


def words(text):
    """The tokenizer's word split (HF `Whitespace` pre-tokenizer: \\w+|[^\\w\\s]+, after lowercasing)."""
    return WORD_RE.findall(text.lower())


def load_rgb32(path):
    im = Image.open(path).convert("RGBA")
    if im.size != (64, 64):
        im = im.resize((64, 64), Image.BOX)
    a = np.asarray(im).astype(np.float32) / 255.0
    rgb = a[..., :3] * a[..., 3:4] + (1.0 - a[..., 3:4])  # composite on white
    small = rgb.reshape(32, 2, 32, 2, 3).mean(axis=(1, 3))  # 2x2 box filter
    alpha = a[..., 3].reshape(32, 2, 32, 2).mean(axis=(1, 3))
    return np.clip(np.round(small * 255), 0, 255).astype(np.uint8), alpha


def pixel_colour(rgb, alpha):
    """Colour name of each opaque pixel -> the dominant one if it covers >= 45% of them, else None."""
    px = rgb[alpha > 0.5].astype(np.float32) / 255.0
    if len(px) < 16:
        return None, {}
    names = []
    for r, g, b in px:
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        names.append(colour_name(h * 360, s, v))
    counts = {c: names.count(c) / len(names) for c in set(names)}
    best = max(counts, key=counts.get)
    return (best if counts[best] >= 0.45 else None), counts


def colour_name(h, s, v):
    if v < 0.22 or (s < 0.25 and v < 0.45):
        return "black"
    if s < 0.18:
        return "white" if v > 0.8 else "grey"
    if (h < 45 or h >= 345) and v < 0.8 and s < 0.75:
        return "brown"
    if 310 <= h < 345:
        return "pink"
    if h < 20 or h >= 345:
        return "pink" if s < 0.5 else "red"
    if h < 45:
        return "orange"
    if h < 70:
        return "yellow"
    if h < 165:
        return "green"
    if h < 255:
        return "blue"
    return "purple"


def clean_name(name, colour):
    """Drop glyph-style words ("heavy", and "black"/"white" the pixels contradict) from a Unicode name."""
    out = []
    for w in name.lower().split():
        if w == "heavy":
            continue
        if w in ("black", "white") and colour not in (None, "black", "white", "grey"):
            continue
        out.append(w)
    return " ".join(out)


def phrase(short_name):
    return short_name.replace("_", " ").replace("-", " ").strip()


def build(pkg):
    emoji = json.load(open(os.path.join(pkg, "emoji.json")))
    version = json.load(open(os.path.join(pkg, "package.json")))["version"]
    items = []
    for e in emoji:
        if e["category"] == "Component":
            continue
        variants = [(e["image"], None)]
        for tone, v in (e.get("skin_variations") or {}).items():
            variants.append((v["image"], ", ".join(TONES.get(t, "") for t in tone.split("-"))))
        for image, tone in variants:
            path = os.path.join(pkg, "img", "google", "64", image)
            if not os.path.exists(path):
                continue
            rgb, alpha = load_rgb32(path)
            colour, _ = pixel_colour(rgb, alpha)
            name = clean_name(e["name"], colour)
            shorts = [phrase(s) for s in e["short_names"]]
            caps = [name] + [s for s in shorts if s != name]
            if colour not in (None, "white", "grey"):
                base = shorts[0] if not any(c in shorts[0].split() for c in COLOURS) else None
                if base and colour not in name.split():
                    caps.append(f"{colour} {base}")
            sub = phrase(e["subcategory"])
            caps.append(f"{name}, {sub}")
            if tone:
                caps = [f"{c}, {tone}" for c in caps] + [name]
            items.append(dict(image=image, unified=e["unified"], name=name, short=e["short_names"][0],
                              captions=caps, colour=colour, category=e["category"], subcategory=e["subcategory"],
                              held_out=e["short_names"][0] in HELD_OUT, rgb=rgb,
                              sha256=hashlib.sha256(open(path, "rb").read()).hexdigest()))
    return items, version


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pkg", default=PKG)
    ap.add_argument("--out", default=OUT)
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.pkg, "emoji.json")):
        raise SystemExit(f"{a.pkg}/emoji.json not found: install the npm package emoji-datasource-google there "
                         "(see models/train/README.md, image model)")
    items, version = build(a.pkg)
    missing = sorted(set(HELD_OUT) - {it["short"] for it in items})
    if missing:
        raise SystemExit(f"held-out emoji not in emoji.json: {missing}")
    os.makedirs(a.out, exist_ok=True)
    images = np.stack([it.pop("rgb") for it in items])
    meta = dict(package="emoji-datasource-google", version=version, licence_images="Apache-2.0",
                licence_package="MIT", size=32, held_out=HELD_OUT, items=items)
    tmp = os.path.join(a.out, "emoji32.tmp.npz")
    np.savez_compressed(tmp, images=images)
    os.replace(tmp, os.path.join(a.out, "emoji32.npz"))
    with open(os.path.join(a.out, "captions.json.tmp"), "w") as f:
        json.dump(meta, f, indent=0)
    os.replace(os.path.join(a.out, "captions.json.tmp"), os.path.join(a.out, "captions.json"))
    n_held = sum(it["held_out"] for it in items)
    print(json.dumps(dict(images=len(items), held_out_images=n_held, version=version,
                          coloured=sum(it["colour"] is not None for it in items))))


if __name__ == "__main__":
    main()
