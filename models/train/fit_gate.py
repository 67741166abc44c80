#!/usr/bin/python3
"""Fits the confidence gate's logistic score (extension/core/completion/confidence.ts DEFAULT_WEIGHTS) on bench records.

`lathe bench quality --confidence off --records F` keeps, per position, the gate's signals of the suggestion's first
line (its tokens' summed, mean and least log-probability; invented names; a copy of a line above; a line start) and
whether the line was exactly right. This fits weights for those signals by L2-regularised logistic regression and
compares them with the weights in use on other records (log-loss, and the exact lines shown at the precision of each
confidence level), so a change of decoding that moves the signals (prompt copy, per-token beam scores) gets weights
fitted on what the engine now reports.

  /usr/bin/python3 models/train/fit_gate.py --fit seed7.jsonl --check seed2.jsonl
"""
import argparse
import json
import math
import re
import sys

import numpy as np

FEATURES = ["sumLogprob", "minLogprob", "meanLogprob", "invented", "repeatsAbove", "lineStart"]
LEVELS = {"low": 0.25, "balanced": 0.4, "high": 0.6}


def read(path):
    xs, ys = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            s = r.get("signals")
            if not s or not r.get("suggestion"):
                continue  # nothing to show: never shown, at any threshold
            try:
                xs.append([s["sumLogprob"], s["minLogprob"], s["meanLogprob"], min(len(s["invented"]), 3),
                           float(s["repeatsAbove"]), float(s["lineStart"])])
            except (KeyError, TypeError) as e:
                sys.exit(f"{path}:{n}: signals lack {e}")
            ys.append(1.0 if r["exact"] else 0.0)
    if not xs:
        sys.exit(f"{path}: no records with signals (write them with `bench quality --confidence off --records`)")
    return np.array(xs), np.array(ys)


def score(w, x):
    return 1 / (1 + np.exp(-(w[0] + x @ w[1:])))


def fit(x, y, l2, steps=20000, lr=0.05):
    w = np.zeros(x.shape[1] + 1)
    for _ in range(steps):  # full-batch gradient descent: a few hundred rows, 7 weights
        p = score(w, x)
        g = np.concatenate([[np.mean(p - y)], x.T @ (p - y) / len(y) + l2 * w[1:]])
        w -= lr * g
    return w


def log_loss(w, x, y):
    p = np.clip(score(w, x), 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def shown_at(w, x, y, precision, min_shown=20):
    """Exact lines shown at the lowest threshold whose shown lines reach `precision` (as calibration picks it)."""
    order = np.argsort(-score(w, x))
    exact, best = 0, 0
    for i, j in enumerate(order, 1):
        exact += y[j]
        if i >= min(min_shown, len(order)) and exact / i >= precision:
            best = max(best, int(exact))
    return best


def ts_weights(path):
    """The weights in use, read from confidence.ts."""
    text = open(path, encoding="utf-8").read()
    body = re.search(r"DEFAULT_WEIGHTS: ScoreWeights = \{(.*?)\};", text, re.S).group(1)
    vals = dict(re.findall(r"(\w+): (-?[\d.]+)", body))
    return np.array([float(vals["intercept"])] + [float(vals[f]) for f in FEATURES])


def report(name, w, x, y):
    shown = ", ".join(f"{lvl} {shown_at(w, x, y, p)}" for lvl, p in LEVELS.items())
    return f"{name}: log-loss {log_loss(w, x, y):.4f}; exact lines shown at the levels' precisions: {shown} (of {int(y.sum())})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fit", required=True, help="records to fit on")
    ap.add_argument("--check", required=True, help="other records to compare the fitted and current weights on")
    ap.add_argument("--l2", type=float, default=0.01)
    ap.add_argument("--current", default="extension/core/completion/confidence.ts")
    a = ap.parse_args()
    x, y = read(a.fit)
    cx, cy = read(a.check)
    w = fit(x, y, a.l2)
    now = ts_weights(a.current)
    print(f"fit on {len(y)} suggestions ({int(y.sum())} exact), checked on {len(cy)} ({int(cy.sum())} exact)")
    for name, ww in (("current", now), ("fitted", w)):
        print(report(f"{name:8s} fit set  ", ww, x, y))
        print(report(f"{name:8s} check set", ww, cx, cy))
    names = ["intercept"] + FEATURES
    print("fitted weights (confidence.ts DEFAULT_WEIGHTS):")
    print(json.dumps({n: round(float(v), 3) for n, v in zip(names, w)}))
    if not all(math.isfinite(v) for v in w):
        sys.exit("the fit diverged")


if __name__ == "__main__":
    main()
