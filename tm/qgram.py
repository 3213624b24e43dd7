"""The q-gram index behind fuzzy retrieval: tokens, their postings, and the count bound.

**Tokens.** A segment key of ``n`` characters has ``n − q + 1`` q-grams; we
index bigrams (q = 2) and single characters (q = 1). A q-gram that occurs
``c`` times gives the tokens ``(g, 1) … (g, c)``, so the number of tokens two
keys share is the size of the *multiset* intersection of their q-grams,
``Σ_g min(c_g(a), c_g(b))``. A token is one integer::

    bigram:    ((cp1 << 21) | cp2) * MAX_OCCURRENCE + (occurrence − 1)     (≥ 0)
    character: −(cp * MAX_OCCURRENCE + (occurrence − 1)) − 1               (< 0)

Occurrences past :data:`MAX_OCCURRENCE` are not indexed (:func:`tokens` says
how many of a query's were dropped, and the bound below is lowered by that many).

**The count filter** (Ukkonen 1992; Gravano et al. 2001). One edit operation
changes at most ``q`` of the ``max(m, n) − q + 1`` q-grams of the longer string,
so two strings within Levenshtein distance ``k`` share at least

    α_q = max(m, n) − q + 1 − k·q

q-grams, counted as a multiset. A fuzzy match at ``min`` percent has
``LD ≤ k(M) = ⌊M·(100 − min)/100⌋`` with ``M = max(m, n)`` (see
:func:`tm.fuzzy.max_distance`), so a segment sharing fewer than
``α_q(M) − dropped`` indexed tokens with the query cannot be a match. The
bigram bound ``M − 1 − 2k`` is the sharper one but reaches zero at 50%
(``k = ⌊M/2⌋``) and for one-character keys; the character bound ``M − k``
stays positive for any ``min > 0``. Where neither bound is positive (many
dropped occurrences), and for queries of :data:`tm.store.SHORT_QUERY`
characters or fewer, the store reads every unit of the possible lengths
through its length index instead. Every candidate is then verified with the
exact Levenshtein distance, so the result is exactly the brute-force result.
"""
from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

MAX_OCCURRENCE = 16
_SHIFT = 21  # Unicode code points fit in 21 bits


def _grams(cps: np.ndarray, q: int) -> np.ndarray:
    return (cps[:-1] << _SHIFT) | cps[1:] if q == 2 else cps


def _codes(grams: np.ndarray, occurrence: np.ndarray, q: int) -> np.ndarray:
    codes = grams * MAX_OCCURRENCE + occurrence
    return codes if q == 2 else -codes - 1


def tokens(key: str, q: int = 2) -> tuple[np.ndarray, int]:
    """The token codes of one key's q-grams (int64, distinct) and how many tokens were dropped."""
    if len(key) < q:
        return np.empty(0, dtype=np.int64), 0
    cps = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    grams = np.sort(_grams(cps, q), kind="stable")
    occurrence = _occurrence(grams, np.zeros(len(grams), dtype=np.int64))
    keep = occurrence < MAX_OCCURRENCE
    return _codes(grams[keep], occurrence[keep], q), int((~keep).sum())


def _occurrence(grams: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """0-based occurrence number of each (owner, gram) in arrays sorted by owner then gram."""
    n = len(grams)
    if not n:
        return np.empty(0, dtype=np.int64)
    index = np.arange(n, dtype=np.int64)
    starts = np.ones(n, dtype=bool)
    starts[1:] = (grams[1:] != grams[:-1]) | (owners[1:] != owners[:-1])
    return index - np.maximum.accumulate(np.where(starts, index, 0))


def postings(ids: Sequence[int], keys: Sequence[str], q: int = 2) -> Iterator[tuple[int, bytes]]:
    """``(token code, ids)`` of a batch of segments' q-grams: ids as little-endian uint32, ascending.

    ``ids[i]`` is the id of the segment whose key is ``keys[i]``. Vectorised
    with NumPy: a batch of 100,000 segments takes about a second.
    """
    if not keys:
        return
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    cps = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    if len(cps) < q:
        return
    if q == 2:
        position = np.flatnonzero(owner[:-1] == owner[1:])  # bigram starts inside one key
        grams = (cps[position] << _SHIFT) | cps[position + 1]
        owners = owner[position]
        del position
    else:
        grams, owners = cps, owner
    del cps, owner
    order = np.lexsort((grams, owners))
    grams, owners = grams[order], owners[order]
    occurrence = _occurrence(grams, owners)
    keep = occurrence < MAX_OCCURRENCE
    codes = _codes(grams[keep], occurrence[keep], q)
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


def count_bound(longer: int, distance: int, q: int = 2) -> int:
    """q-gram tokens two keys within ``distance`` edits must share, ``longer`` the longer key's length."""
    return longer - q + 1 - distance * q


def shared_counts(blobs: Sequence[bytes], size: int) -> np.ndarray:
    """How many of the query's tokens each segment id shares, from the tokens' postings."""
    if not blobs:
        return np.zeros(size, dtype=np.int64)
    return np.bincount(np.frombuffer(b"".join(blobs), dtype="<u4"), minlength=size)
