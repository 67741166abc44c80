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
    parts = [p for p in re.split(r"[\\/]", path) if p]
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


def render_head(pieces, file_path):
    return "".join(render_piece(p["path"], p["code"]) for p in pieces) + (render_file(file_path) if file_path else "")


if __name__ == "__main__":
    import sys
    if sys.argv[1:] != ["--check"]:
        raise SystemExit("usage: context_layout.py --check   (renders test/fixtures/context-layout/cases.json)")
    cases = json.load(open(os.path.join(HERE, "..", "..", "test", "fixtures", "context-layout", "cases.json")))["cases"]
    for i, c in enumerate(cases):
        got = render_head(c["pieces"], c["file"])
        if got != c["head"]:
            raise SystemExit(f"case {i}: {got!r} != {c['head']!r}")
    print(f"context layout: {len(cases)} cases render as the fixture says")
