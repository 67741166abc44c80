#!/usr/bin/python3
"""Lists code the model never saw, for `lathe bench quality --files models/train/unseen_files.txt`.

The held-out packages of the corpus (heldout_files.txt) are unseen files, but they come from the same
distributions as the training files (the Go tree, Debian crates, the same npm ecosystem). This set is
further away: this repository's own TypeScript (the extension) and Python (the training scripts), and
hand-written JavaScript of npm packages in the repository's node_modules that the corpus does not
contain. A file whose sha256 or package appears in the corpus manifest is left out. Up to --per-lang
files per language, chosen by sha256 (deterministic for the same sources).

  /usr/bin/python3 models/train/unseen_files.py   # → models/train/unseen_files.txt (lang, source, sha256, path)

Our own sources change with every commit, so the list records the sha256 of each file when it was
written, and `lathe bench quality` refuses a listed file whose content differs. unseen_snapshot.py copies the
listed versions (from git history where a file has changed since) for the bench; quality.py measures those.
"""
import argparse
import glob
import gzip
import hashlib
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# npm packages in the repository's node_modules with hand-written JavaScript (not compiled output)
NPM_JS = {"js-yaml": "lib/**/*.js", "adm-zip": "**/*.js", "proper-lockfile": "lib/*.js", "yauzl": "*.js"}


def tracked(pattern):
    out = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [p for p in out.splitlines() if p]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-lang", type=int, default=40)
    ap.add_argument("--out", default=os.path.join(HERE, "unseen_files.txt"))
    a = ap.parse_args()
    with gzip.open(os.path.join(HERE, "corpus_manifest.jsonl.gz"), "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    seen_sha = {r["sha256"] for r in rows}
    seen_pkg = {r["package"] for r in rows}

    candidates = {"ts": [], "python": [], "js": []}
    for p in tracked("extension/*.ts"):
        if not p.endswith((".test.ts", ".d.ts")) and "/test/" not in p:
            candidates["ts"].append(("lathe-extension", p))
    for p in tracked("models/train/*.py"):
        candidates["python"].append(("lathe-training", p))
    for pkg, pattern in NPM_JS.items():
        if pkg in seen_pkg:
            continue
        for p in sorted(glob.glob(os.path.join("node_modules", pkg, pattern), root_dir=ROOT, recursive=True)):
            if "/test" not in p and not p.endswith(".min.js"):
                candidates["js"].append((pkg, p))

    lines = []
    for lang, files in candidates.items():
        keyed = []
        for source, p in files:
            data = open(os.path.join(ROOT, p), "rb").read()
            sha = hashlib.sha256(data).hexdigest()
            if sha in seen_sha or len(data) < 200:
                continue
            keyed.append((sha, source, p))
        keyed.sort()
        for sha, source, p in keyed[:a.per_lang]:
            lines.append(f"{lang}\t{source}\t{sha}\t{p}")
        print(f"{lang}: {min(len(keyed), a.per_lang)} of {len(keyed)} files")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", os.path.relpath(a.out, ROOT))


if __name__ == "__main__":
    main()
