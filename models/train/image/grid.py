"""Sample grids: one row per prompt (label on the left), one column per seed, images upscaled 2x."""
import os

import numpy as np
from PIL import Image, ImageDraw


def to_uint8(x):
    """[b, 3, h, w] in [-1, 1] -> [b, h, w, 3] uint8."""
    return ((x.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()


def save_grid(rows, path, labels, scale=2, label_w=150):
    imgs = [to_uint8(r) for r in rows]
    n, h, w = len(imgs[0]), imgs[0].shape[1] * scale, imgs[0].shape[2] * scale
    pad = 4
    canvas = Image.new("RGB", (label_w + n * (w + pad) + pad, len(rows) * (h + pad) + pad), "white")
    draw = ImageDraw.Draw(canvas)
    for r, row in enumerate(imgs):
        y = pad + r * (h + pad)
        draw.text((4, y + h // 2 - 6), labels[r] if labels[r] else "(no prompt)", fill=(0, 0, 0))
        for c, im in enumerate(row):
            tile = Image.fromarray(np.ascontiguousarray(im)).resize((w, h), Image.NEAREST)
            canvas.paste(tile, (label_w + pad + c * (w + pad), y))
    tmp = path + ".tmp.png"
    canvas.save(tmp)
    os.replace(tmp, path)
