#!/usr/bin/python3
"""Pins the unseen set: copies each file of unseen_files.txt as it was when the list was written.

unseen_files.txt records the sha256 of every file. This repository's own sources change with every commit, and
`lathe bench quality` reads the files it is given, so measuring the list's paths in the working tree measures code
that drifts from session to session. This script writes the listed version of every file under
models/train/.cache/unseen/ (the same relative paths, so `--context full` sees the same folders) and a list of those
copies, files.txt, in the same four columns. A file that changed since is taken from the newest commit that holds
the listed version; a file whose listed version is nowhere (an npm package at another version) is an error that
names the list's line.

  /usr/bin/python3 models/train/unseen_snapshot.py   # → models/train/.cache/unseen/files.txt
  node dist/cli.js bench quality --files models/train/.cache/unseen/files.txt ...
"""
import argparse
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True).stdout


def listed_version(path, sha):
    """The file's bytes whose sha256 is `sha`: the working tree's, else the newest commit's that has them."""
    full = os.path.join(ROOT, path)
    if os.path.isfile(full):
        data = open(full, "rb").read()
        if sha256(data) == sha:
            return data, "working tree"
    if path.startswith("node_modules/"):
        return None, None
    for commit in git("log", "--format=%H", "--", path).decode().split():
        try:
            data = git("show", f"{commit}:{path}")
        except subprocess.CalledProcessError:
            continue  # deleted in that commit
        if sha256(data) == sha:
            return data, commit[:10]
    return None, None


def snapshot(list_path, out_dir):
    rows, errors, moved = [], [], 0
    with open(list_path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 4 or len(cols[2]) != 64:
                errors.append(f"{list_path}:{n}: expected 4 tab-separated columns (lang, source, sha256, path)")
                continue
            lang, source, sha, path = cols
            data, where = listed_version(path, sha)
            if data is None:
                errors.append(f"{list_path}:{n}: no version of {path} has the listed sha256 {sha[:12]}…")
                continue
            moved += where != "working tree"
            dest = os.path.join(out_dir, path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            tmp = dest + ".tmp"
            with open(tmp, "wb") as o:
                o.write(data)
            os.replace(tmp, dest)
            rows.append(f"{lang}\t{source}\t{sha}\t{os.path.relpath(dest, ROOT)}")
    if errors:
        sys.exit("\n".join(errors))
    out_list = os.path.join(out_dir, "files.txt")
    with open(out_list + ".tmp", "w", encoding="utf-8") as o:
        o.write("\n".join(rows) + "\n")
    os.replace(out_list + ".tmp", out_list)
    print(f"{len(rows)} files ({moved} from git history, as listed) → {os.path.relpath(out_list, ROOT)}")
    return out_list


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", default=os.path.join(HERE, "unseen_files.txt"))
    ap.add_argument("--out", default=os.path.join(HERE, ".cache", "unseen"))
    a = ap.parse_args()
    snapshot(a.list, a.out)


if __name__ == "__main__":
    main()
