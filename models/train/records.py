"""The records `lathe bench quality --records F` writes: one JSON object per position, in sample order."""
import json
import sys


def read_records(path, fields):
    """The records of `path`; exits naming the line when one is not JSON or lacks one of `fields`."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: not JSON ({e.msg})")
            for field in fields:
                if field not in r:
                    sys.exit(f"{path}:{n}: no '{field}' field (records from a bench older than prompt recording?)")
            out.append(r)
    return out
