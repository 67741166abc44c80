"""Near-duplicate detection for the corpus: MinHash over word 5-gram shingles with one-permutation
hashing (one hash per shingle, the top bits pick one of 64 bins, each bin keeps its minimum; empty
bins copy the next filled bin), LSH with 16 bands of 4 rows, and candidate pairs kept when the
estimated Jaccard similarity reaches the threshold. The same scheme as the curation code's
MinHash dedup (extension/core/curation/dedup), written with numpy for the corpus's size.
"""
import re
import zlib
from collections import defaultdict

import numpy as np

BINS = 64
BANDS, ROWS = 16, 4
SHINGLE = 5
WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[^\sA-Za-z0-9_]")
M32 = np.uint64(0xFFFFFFFF)


def signature(raw: bytes):
    """64 uint32 minimums (None for a text with fewer than SHINGLE words)."""
    words = WORD.findall(raw)
    if len(words) < SHINGLE:
        return None
    h = np.fromiter((zlib.crc32(w) for w in words), dtype=np.uint64, count=len(words))
    s = np.zeros(len(words) - SHINGLE + 1, dtype=np.uint64)
    for k in range(SHINGLE):  # polynomial combination of the 5 word hashes, mixed
        s = (s * np.uint64(0x9E3779B1) + h[k:len(h) - SHINGLE + 1 + k]) & M32
    s = (s ^ (s >> np.uint64(16))) * np.uint64(0x85EBCA6B) & M32
    s = (s ^ (s >> np.uint64(13))) * np.uint64(0xC2B2AE35) & M32
    s ^= s >> np.uint64(16)
    bins = (s >> np.uint64(26)).astype(np.int64)  # top 6 bits of 32
    vals = (s & np.uint64((1 << 26) - 1)).astype(np.int64)
    sig = np.full(BINS, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(sig, bins, vals)
    empty = sig == np.iinfo(np.int64).max
    if empty.any():  # densify: copy the next filled bin (circularly), marked by its distance
        filled = np.flatnonzero(~empty)
        for i in np.flatnonzero(empty):
            j = filled[np.searchsorted(filled, i) % len(filled)]
            sig[i] = sig[j] + ((j - i) % BINS) * (1 << 26)
    return sig


def near_duplicates(sigs, threshold=0.7):
    """sigs: list of (id, signature) -> list of (id_a, id_b, similarity) with id_a < id_b."""
    buckets = defaultdict(list)
    for i, s in sigs:
        for b in range(BANDS):
            buckets[(b, s[b * ROWS:(b + 1) * ROWS].tobytes())].append(i)
    by_id = dict(sigs)
    seen, pairs = set(), []
    for members in buckets.values():
        if len(members) < 2:
            continue
        # big buckets: compare with the first few only (keeps the work linear)
        heads = members if len(members) <= 32 else members[:4]
        for a in heads:
            for b in members:
                if a >= b or (a, b) in seen:
                    continue
                seen.add((a, b))
                sim = float(np.mean(by_id[a] == by_id[b]))
                if sim >= threshold:
                    pairs.append((a, b, sim))
    return pairs
