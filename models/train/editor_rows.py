"""Editor rows: fill-in-the-middle training rows built the way the editor builds its prompts.

A cursor in a training file, at the start of a line's code (after its indentation: the whole line is
the answer, sometimes with 1-3 more lines) or in the middle of it (the rest of the line). Token healing
as in the engine: the partial word before the cursor leaves the prompt and starts the answer. The
prompt is either bare (prefix/suffix only, as `lathe bench quality --context plain`) or carries
repository context in the layout of context_layout.json, then the current file's header
(`--context full`). The pieces are chosen the way the editor's context engine chooses them
(`--editor-relevant-rate` of the rows): definitions of the identifiers near the cursor, from the
current file outside the visible window or from files of the same package (same directory first), as
signatures or, for small types, whole; then the 12-line window of a sibling file most similar to the
lines above the cursor. The other rows get pieces drawn at random from sibling files (their top, a
definition, a window), as noise the model must learn to ignore. Rows are tokenized on the fly with the training tokenizer, so the
tokens are exactly those of the same prompt text in the editor.
"""
import json
import os
import re
from collections import OrderedDict, defaultdict
from itertools import chain

import numpy as np

from context_layout import heal_tail, render_file, render_piece

DEF_START = re.compile(r"^\s*(?:export\s+|pub(?:\([^)]*\))?\s+|async\s+|static\s+|public\s+|private\s+|protected\s+)*"
                       r"(?:def|class|fn|func|function|interface|type|struct|enum|trait|impl|const|let|var|mod)\b")
# a definition line and the name it defines (Go methods: the receiver comes before the name)
DEF_NAME = re.compile(DEF_START.pattern + r"\s*(?:\([^)]*\)\s*)?\*?([A-Za-z_$][\w$]*)")
TYPE_WORDS = re.compile(r"\b(?:class|interface|type|struct|enum|trait|const|let|var)\b")
LOCAL_WORDS = re.compile(r"\s*(?:const|let|var)\b")
IDENT = re.compile(r"[A-Za-z_$][\w$]*")
NEARBY_LINES, SIMILAR_LINES, MIN_SIMILAR = 30, 12, 0.2  # as extension/core/context/engine.ts, similarSnippets.ts


def identifiers_near(text, limit=48):
    """Distinct identifiers of `text`, nearest its end first (definitions.ts identifiersNear)."""
    out = []
    for w in reversed(IDENT.findall(text)):
        if len(w) >= 2 and w not in out:
            out.append(w)
            if len(out) >= limit:
                break
    return out


def block_end(lines, k):
    """Index of the last line of the block that starts at line k (by indentation; a closing bracket line
    at the same indentation belongs to it)."""
    ind = len(lines[k]) - len(lines[k].lstrip())
    j = k + 1
    while j < len(lines):
        l = lines[j]
        if l.strip() and len(l) - len(l.lstrip()) <= ind:
            return j if l.strip()[0] in ")]}" else j - 1
        j += 1
    return len(lines) - 1


def definition_text(lines, k):
    """What the editor's tags index sends for a definition at line k: a small type whole (<= 15 lines,
    700 chars), anything else as its signature (the header up to the body, without a trailing `{`)."""
    end = block_end(lines, k)
    whole = "\n".join(lines[k:end + 1])
    if TYPE_WORDS.search(lines[k]) and end - k < 15 and len(whole) <= 700:
        return whole.strip("\n")
    head = []
    for l in lines[k:min(end + 1, k + 6)]:
        head.append(l)
        t = l.rstrip()
        if t.endswith("{") or t.endswith(":") or t.endswith("=>") or t.endswith(";"):
            break
    return re.sub(r"\s*\{?\s*$", "", "\n".join(head).strip())


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


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
        self.by_dir = defaultdict(list)
        for i, r in enumerate(self.docs):
            self.by_dir[(r["lang"], r["package"], os.path.dirname(r["path"]))].append(i)
        self.cache = OrderedDict()
        self.cache_files = cache_files
        self.def_cache = OrderedDict()

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

    def defs(self, i):
        """name -> line numbers of its definitions in file i."""
        if i in self.def_cache:
            self.def_cache.move_to_end(i)
            return self.def_cache[i]
        d = defaultdict(list)
        for k, l in enumerate(self.text(i).split("\n")):
            m = DEF_NAME.match(l)
            # variables count at the top level only (the tags queries skip locals)
            if m and not (l[:1].isspace() and LOCAL_WORDS.match(l)):
                d[m.group(1)].append(k)
        self.def_cache[i] = d
        if len(self.def_cache) > 4 * self.cache_files:
            self.def_cache.popitem(last=False)
        return d

    def neighbours(self, i, rng, n=12):
        """Up to n other files of i's package, those of its directory first (as the editor's imports rank)."""
        r = self.docs[i]
        near = [j for j in self.by_dir[(r["lang"], r["package"], os.path.dirname(r["path"]))] if j != i]
        taken = set(near)
        far = [j for j in self.siblings.get(i, []) if j != i and j not in taken] if len(near) < n else []
        pick = lambda xs, k: [int(j) for j in rng.choice(xs, size=min(k, len(xs)), replace=False)] if xs else []
        out = pick(near, n)
        return out + pick(far, n - len(out))

    def relevant_pieces(self, i, rng, text, cursor, resume, visible):
        """Pieces as the editor's context engine picks them: definitions of identifiers near the cursor
        (the current file's outside the visible lines), then the most similar 12-line window of a sibling.
        The document is the file without the answer: text[:cursor] + text[resume:]."""
        lines = text.split("\n")
        line = text.count("\n", 0, cursor)
        near_start = sum(len(l) + 1 for l in lines[:max(0, line - NEARBY_LINES)])
        after = text[resume:resume + 400].split("\n")
        names = identifiers_near(text[max(near_start, cursor - 4000):cursor])
        names += [w for w in reversed(identifiers_near("\n".join(after[:3]), 12)) if w not in names]
        others = self.neighbours(i, rng)
        out, seen = [], set()
        own = self.defs(i)
        for name in names:
            # the first definition: the current file's (outside the visible lines), else a sibling's
            hits = chain(((i, k) for k in own.get(name, []) if not visible[0] <= k <= visible[1]),
                         ((j, k) for j in others for k in self.defs(j).get(name, [])))
            hit = next(hits, None)
            if hit is not None and hit not in seen:
                seen.add(hit)
                j, k = hit
                code = definition_text(self.text(j).split("\n"), k)
                if code.strip():
                    out.append(render_piece(self.docs[j]["path"], code))
            if len(out) >= 8:
                break
        query = set(IDENT.findall("\n".join(lines[max(0, line - SIMILAR_LINES):line])))
        best, best_piece = MIN_SIMILAR, None
        for j in others[:6]:
            ls = self.text(j).split("\n")
            for s0 in range(0, max(1, len(ls) - SIMILAR_LINES + 1), SIMILAR_LINES // 2):
                w = "\n".join(ls[s0:s0 + SIMILAR_LINES])
                sc = jaccard(query, set(IDENT.findall(w)))
                if sc > best and w.strip():
                    best, best_piece = sc, render_piece(self.docs[j]["path"], w)
        return out, ([best_piece] if best_piece else [])

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
            if rng.random() < a.editor_relevant_rate:
                # the editor shows about 0.6 L of prefix (~4 chars a token) and the suffix: those lines are visible
                first = text.count("\n", 0, max(0, cursor - int(0.6 * L * 4)))
                defs, similar = self.relevant_pieces(i, rng, text, cursor, mid_end, (first, end_line + 12))
            else:
                sib = [j for j in self.siblings.get(i, []) if j != i]
                n_pieces = int(rng.integers(0, 5)) if sib else 0
                picked = rng.choice(sib, size=min(n_pieces, len(sib)), replace=False) if n_pieces else []
                defs, similar = [p for p in (self.piece(int(j), rng) for j in picked) if p], []
            # fill definitions first, then similar code, each while it fits (the editor's priority and order)
            for p in defs + similar:
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
