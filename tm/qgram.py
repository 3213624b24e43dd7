"""The q-gram index behind fuzzy retrieval: bigram tokens, their postings, and the count bound.

**Tokens.** A segment key of ``n`` characters has ``n − 1`` bigrams. A bigram
that occurs ``c`` times gives the tokens ``(g, 1) … (g, c)``, so the number of
tokens two keys share is the size of the *multiset* intersection of their
bigrams, ``Σ_g min(c_g(a), c_g(b))``. A token is one integer::

    code = ((cp1 << 21) | cp2) * MAX_OCCURRENCE + (occurrence − 1)

Occurrences past :data:`MAX_OCCURRENCE` are not indexed (:func:`tokens` says
how many of a query's were dropped, and the bound below is lowered by that many).

**The count filter** (Ukkonen 1992; Gravano et al. 2001). One edit operation
changes at most ``q`` of the ``max(m, n) − q + 1`` q-grams of the longer string,
so two strings within Levenshtein distance ``k`` share at least

    α = max(m, n) − q + 1 − k·q        (here q = 2)

q-grams, counted as a multiset. A fuzzy match at ``min`` percent has
``LD ≤ k(M) = ⌊M·(100 − min)/100⌋`` with ``M = max(m, n)`` (see
:func:`tm.fuzzy.max_distance`), so a segment sharing fewer than
``α(M) − dropped`` indexed tokens with the query cannot be a match. Where
``α ≤ 0`` the filter says nothing and every segment of that length must be
verified; the store does that through its length index (short segments, and
low thresholds, take that path). Every candidate is then verified with the
exact Levenshtein distance, so the result is exactly the brute-force result.
"""
from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

Q = 2
MAX_OCCURRENCE = 16
_SHIFT = 21  # Unicode code points fit in 21 bits


def tokens(key: str) -> tuple[np.ndarray, int]:
    """The distinct token codes of one key (int64, sorted) and how many tokens were dropped."""
    if len(key) < Q:
        return np.empty(0, dtype=np.int64), 0
    cps = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    grams = (cps[:-1] << _SHIFT) | cps[1:]
    grams.sort(kind="stable")
    occurrence = _occurrence(grams, np.zeros(len(grams), dtype=np.int64))
    keep = occurrence < MAX_OCCURRENCE
    return grams[keep] * MAX_OCCURRENCE + occurrence[keep], int((~keep).sum())


def _occurrence(grams: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """0-based occurrence number of each (owner, gram) in arrays sorted by owner then gram."""
    n = len(grams)
    if not n:
        return np.empty(0, dtype=np.int64)
    index = np.arange(n, dtype=np.int64)
    starts = np.ones(n, dtype=bool)
    starts[1:] = (grams[1:] != grams[:-1]) | (owners[1:] != owners[:-1])
    return index - np.maximum.accumulate(np.where(starts, index, 0))


def postings(ids: Sequence[int], keys: Sequence[str]) -> Iterator[tuple[int, bytes]]:
    """``(token code, ids)`` for a batch of segments: ids as little-endian uint32 bytes, ascending.

    ``ids[i]`` is the id of the segment whose key is ``keys[i]``. Vectorised
    with NumPy: a batch of 100,000 segments takes about a second.
    """
    if not keys:
        return
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    cps = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    if len(cps) < 2:
        return
    position = np.flatnonzero(owner[:-1] == owner[1:])  # bigram starts inside one key
    grams = (cps[position] << _SHIFT) | cps[position + 1]
    owners = owner[position]
    del cps, owner, position
    order = np.lexsort((grams, owners))
    grams, owners = grams[order], owners[order]
    occurrence = _occurrence(grams, owners)
    keep = occurrence < MAX_OCCURRENCE
    codes = grams[keep] * MAX_OCCURRENCE + occurrence[keep]
    segment_ids = np.asarray(ids, dtype=np.int64)[owners[keep]]
    del grams, owners, occurrence, keep
    if not len(codes):
        return
    order = np.lexsort((segment_ids, codes))
    codes, segment_ids = codes[order], segment_ids[order]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(codes)]))
    id_bytes = segment_ids.astype("<u4")
    for code, start, end in zip(codes[starts].tolist(), starts.tolist(), ends.tolist()):
        yield code, id_bytes[start:end].tobytes()


def count_bound(longer: int, distance: int) -> int:
    """Tokens two keys within ``distance`` edits must share, ``longer`` the longer key's length."""
    return longer - Q + 1 - distance * Q


def shared_counts(blobs: Sequence[bytes], size: int) -> np.ndarray:
    """How many of the query's tokens each segment id shares, from the tokens' postings."""
    if not blobs:
        return np.zeros(size, dtype=np.int64)
    ids = np.frombuffer(b"".join(blobs), dtype="<u4")
    return np.bincount(ids, minlength=size)
