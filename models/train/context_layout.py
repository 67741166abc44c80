"""The repository-context layout of Lathe's code models (context_layout.json), for training rows.

The editor renders the same layout from the model folder's lathe.json `context_layout` (export.py copies
this file there); test/fixtures/context-layout/cases.json holds prompts both sides must reproduce.
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
LAYOUT = json.load(open(os.path.join(HERE, "context_layout.json"), encoding="utf-8"))
# token healing, as extension/core/completion/healing.ts: the partial word before the cursor moves from
# the prompt into the answer ([\w] stands for [\p{L}\p{N}_])
HEAL_TAIL = re.compile(r"(?:[ ]?\w+|[ ]?[^\s\w]+|\s+)$")
MAX_TAIL = 64


def layout_path(path, layout=LAYOUT):
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    return "/".join(parts[-layout["path_components"]:])


def render_piece(path, code, layout=LAYOUT):
    return layout["piece"].format(file_separator=layout["file_separator_token"], path=layout_path(path, layout),
                                  code=code.rstrip())


def render_file(path, layout=LAYOUT):
    return layout["file"].format(file_separator=layout["file_separator_token"], path=layout_path(path, layout))


def heal_tail(prefix):
    m = HEAL_TAIL.search(prefix[-256:])
    if not m:
        return ""
    return m.group(0) if len(m.group(0)) <= MAX_TAIL else ""
