"""Does the editor's context hold what the answer needs? Recall of the answer's names in the prompt.

For each position of `lathe bench quality --context full --records F`, the names the expected answer uses (identifiers
of three or more characters outside string literals, keywords left out) that the prompt's current-file part does not show are the ones the
model can only get from the context pieces. Each position with such names is put in the first class that holds all of
them: the pieces the pipeline sent; elsewhere in the same file (outside the prompt's window); in the same file or files
of its directory among the listed files; nowhere (new names, which no retrieval can supply). A model cannot use context
that was not sent: when the pieces hold few of the names that the repository does hold, retrieval is what limits
`--context full`, not the model.

    /usr/bin/python3 models/train/context_recall.py --records full.jsonl --files models/train/heldout_files.txt
"""
import argparse
import json
import os
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from records import read_records  # noqa: E402

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
# String literals (closed on the line, or open to its end): their words are text, not names to retrieve.
STRING = re.compile(r"""("|'|`)(?:[^\\\n]|\\.)*?(?:\1|$)""", re.M)
# Keywords and builtins of the corpus languages that are not names a context could supply.
KEYWORDS = set("""
and as assert async await break case catch class const continue def default defer del delete do elif else enum except
export extends false fallthrough final finally fn for from func function go goto if impl implements import in instanceof
interface isinstance lambda len let loop match mod move mut new nil none nonlocal not null of or package pass print pub
raise range ref return self static str struct super switch this throw true try type typeof undefined unsafe use var void
where while with yield string number boolean any int bool float cls err error make append println printf
""".split())
FILE_SEP = "<|file_sep|>"


def names(text, head=""):
    """Names in `text`, read as the rest of a line that starts with `head` (a string may open there)."""
    masked = STRING.sub(lambda m: " " * len(m.group()), head + text)[len(head):]
    return {n for n in NAME.findall(masked) if n.lower() not in KEYWORDS}


def line_head(prompt):
    """The cursor line's text before the cursor: the end of the prompt's prefix (either FIM order)."""
    start = prompt.rfind("<|fim_prefix|>")
    if start < 0:
        return ""
    start += len("<|fim_prefix|>")
    ends = [i for i in (prompt.find("<|fim_middle|>", start), prompt.find("<|fim_suffix|>", start)) if i >= 0]
    prefix = prompt[start:min(ends)] if ends else prompt[start:]
    return prefix[prefix.rfind("\n") + 1:]


def listed_files(path):
    """Paths of a --files list: one per line, the path in the last tab-separated column."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                out.append(line.split("\t")[-1])
    return out


def classify(record, read, siblings):
    """'none' when the answer needs no name outside the prompt's file part, else the first class holding them all."""
    prompt = record["prompt"]
    cut = prompt.rfind(FILE_SEP)
    pieces, current = (prompt[:cut], prompt[cut:]) if cut > 0 else ("", prompt)
    missing = {n for n in names(record["force_prefix"] + record["expected"], line_head(prompt)) if n not in current}
    if not missing:
        return "none"
    if all(n in pieces for n in missing):
        return "in_pieces"
    lines = read(record["file"]).split("\n")
    rest = "\n".join(lines[:record["line"] - 1] + lines[record["line"]:])
    if all(n in rest for n in missing):
        return "in_file"
    near = rest + "".join(read(s) for s in siblings(record["file"]))
    if all(n in near for n in missing):
        return "in_directory"
    return "new_names"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", required=True, help="records of `bench quality --context full --records F`")
    ap.add_argument("--files", required=True, help="the --files list the bench ran on")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    files = listed_files(a.files)
    by_dir = defaultdict(list)
    for f in files:
        by_dir[os.path.dirname(f)].append(f)
    texts = {}

    def read(path):
        if path not in texts:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    texts[path] = f.read()
            except OSError as e:
                sys.exit(f"cannot read {path} (named in {a.records}): {e.strerror}")
        return texts[path]

    counts = defaultdict(lambda: {"n": 0, "exact": 0})
    for r in read_records(a.records, ("file", "line", "expected", "prompt", "force_prefix", "exact")):
        c = counts[classify(r, read, lambda p: [s for s in by_dir[os.path.dirname(p)] if s != p])]
        c["n"] += 1
        c["exact"] += int(bool(r["exact"]))
    order = ("none", "in_pieces", "in_file", "in_directory", "new_names")
    report = {k: counts[k] for k in order}
    needed = sum(report[k]["n"] for k in order[1:])
    retrievable = sum(report[k]["n"] for k in order[1:4])
    report["needs_names_outside_the_window"] = needed
    report["recall_of_retrievable"] = report["in_pieces"]["n"] / retrievable if retrievable else None
    if a.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{a.records}: {sum(report[k]['n'] for k in order)} positions, {needed} need names the file window lacks")
    for k in order:
        print(f"  {k:13s} {report[k]['n']:4d} positions, {report[k]['exact']} exact")
    if retrievable:
        print(f"  the pieces hold them in {report['in_pieces']['n']} of the {retrievable} positions whose names the "
              f"listed files hold ({report['recall_of_retrievable'] * 100:.0f}%)")


if __name__ == "__main__":
    main()
