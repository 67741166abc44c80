"""Editor rows: fill-in-the-middle training rows built the way the editor builds its prompts.

A cursor in a training file, at the start of a line's code (after its indentation: the whole line is
the answer, sometimes with 1-3 more lines) or in the middle of it (the rest of the line). Token healing
as in the engine: the partial word before the cursor leaves the prompt and starts the answer. The
prompt is either bare (prefix/suffix only, as `lathe bench quality --context plain`) or carries
repository context in the layout of context_layout.json: pieces of other files of the same package
(their top, a definition, a 12-line window) and the current file's header, as the editor's context
engine sends them (`--context full`). Rows are tokenized on the fly with the training tokenizer, so the
tokens are exactly those of the same prompt text in the editor.
"""
import json
import os
import re
from collections import OrderedDict, defaultdict

import numpy as np

from context_layout import heal_tail, render_file, render_piece

DEF_START = re.compile(r"^\s*(?:export\s+|pub(?:\([^)]*\))?\s+|async\s+|static\s+|public\s+|private\s+|protected\s+)*"
                       r"(?:def|class|fn|func|function|interface|type|struct|enum|trait|impl|const|let|var|mod)\b")


class EditorRows:
    def __init__(self, corpus_dir, tokenizer, special, a, cache_files=512, heldout=False):
        self.dir = corpus_dir
        self.bpe, self.sp, self.a = tokenizer, special, a
        rows = [json.loads(l) for l in open(os.path.join(corpus_dir, "manifest.jsonl"), encoding="utf-8")]
        self.docs = [r for r in rows if r["heldout"] == heldout]
        by_pkg = defaultdict(list)
        for i, r in enumerate(self.docs):
            by_pkg[(r["lang"], r["package"])].append(i)
        self.siblings = {i: idx for idx in by_pkg.values() for i in idx}
        self.cache = OrderedDict()
        self.cache_files = cache_files

    def text(self, i):
        if i in self.cache:
            self.cache.move_to_end(i)
            return self.cache[i]
        sha = self.docs[i]["sha256"]
        t = open(os.path.join(self.dir, "files", sha[:2], sha), encoding="utf-8").read()
        self.cache[i] = t
        if len(self.cache) > self.cache_files:
            self.cache.popitem(last=False)
        return t

    def enc(self, s):
        return self.bpe.encode(s, allow_special=False) if s else []

    def piece(self, i, rng):
        """A piece of file i: its top, a definition, or a 12-line window."""
        lines = self.text(i).split("\n")
        r = rng.random()
        if r < 0.35:
            start, n = 0, int(rng.integers(6, 30))
        elif r < 0.75:
            defs = [k for k, l in enumerate(lines) if DEF_START.match(l)]
            if not defs:
                return None
            start = defs[int(rng.integers(len(defs)))]
            n = int(rng.integers(3, 24))
        else:
            start, n = int(rng.integers(0, max(1, len(lines) - 12))), 12
        code = "\n".join(lines[start:start + n])
        if not code.strip():
            return None
        # a definition piece from the editor is dedented like the source it came from: keep it as is
        return render_piece(self.docs[i]["path"], code)

    def row(self, rng, L, spm):
        """(token ids of length <= L, index where the answer starts) or None when the draw is unusable."""
        a = self.a
        i = int(rng.integers(len(self.docs)))
        text = self.text(i)
        lines = text.split("\n")
        starts = np.cumsum([0] + [len(l) + 1 for l in lines])
        cand = [k for k, l in enumerate(lines) if 6 <= len(l.strip()) <= 200]
        if not cand:
            return None
        k = cand[int(rng.integers(len(cand)))]
        line = lines[k]
        indent = len(line) - len(line.lstrip())
        code_end = len(line.rstrip())
        if rng.random() < a.linestart_rate:
            col = indent
        else:
            col = indent + 1 + int(rng.integers(0, max(1, code_end - indent - 1)))
        extra = int(rng.integers(1, 4)) if rng.random() < a.fim_multiline_rate else 0
        cursor = int(starts[k]) + col
        end_line = min(len(lines) - 1, k + extra)
        mid_end = int(starts[end_line]) + len(lines[end_line].rstrip())
        prefix, middle = text[:cursor], text[cursor:mid_end]
        tail = heal_tail(prefix)
        if tail:
            prefix, middle = prefix[:-len(tail)], tail + middle
        M = self.enc(middle)[:96]
        # suffix: from the next line on (the rest of the answer's last line is in the answer)
        S = self.enc(text[mid_end:mid_end + 8 * a.fim_max_suffix].lstrip(" \t"))
        S = S[:int(rng.integers(0, a.fim_max_suffix + 1))]
        head = []
        if rng.random() >= a.editor_plain_rate:
            budget = int(0.25 * L)
            sib = [j for j in self.siblings.get(i, []) if j != i]
            n_pieces = int(rng.integers(0, 5)) if sib else 0
            for j in rng.choice(sib, size=min(n_pieces, len(sib)), replace=False) if n_pieces else []:
                p = self.piece(int(j), rng)
                if p is None:
                    continue
                ids = self.bpe.encode(p, allow_special=True)
                if len(head) + len(ids) > budget:
                    continue
                head += ids
            head += self.bpe.encode(render_file(self.docs[i]["path"]), allow_special=True)
        sp = self.sp
        room = L - len(head) - len(S) - len(M) - 4
        if room < 16:
            return None
        # prefix window: whole lines from the end, at most `room` tokens
        p_text = prefix[-room * 6:]
        nl = p_text.find("\n")
        if len(p_text) < len(prefix) and nl >= 0:
            p_text = p_text[nl + 1:]
        P = self.enc(p_text)
        if len(P) > room:
            P = P[-room:]
        pre, suf, mid, eot = sp["<|fim_prefix|>"], sp["<|fim_suffix|>"], sp["<|fim_middle|>"], sp["<|endoftext|>"]
        if spm:
            ids = head + [pre, suf] + S + [mid] + P + M + [eot]
        else:
            ids = head + [pre] + P + [suf] + S + [mid] + M + [eot]
        return np.asarray(ids, dtype=np.int64), len(ids) - len(M) - 1
