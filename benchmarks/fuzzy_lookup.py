"""Fuzzy lookup at scale: a 1,000,000-segment TM, exact recall checked against brute force.

In one run:

1. builds a TMX of N units (default 1,000,000) from :mod:`tm_corpus` segments;
2. imports it with the ``tm import`` command in a child process: wall time and peak memory;
3. times 1,000 queries made by editing TM segments by 1–30% and 1,000 unrelated
   queries, at ``--min 75`` and ``--min 50``: p50 and p95 latency;
4. on a sample of queries, a brute-force scan of every key with rapidfuzz's
   C++ ``process.extract`` (the strongest naive method): its time, the ratio,
   and whether the result sets are identical.

Run: ``python benchmarks/fuzzy_lookup.py [N] [SAMPLE] [TM]``; it works in a
temporary folder (about 1.5 GB of disk for a million units). ``TM`` is where the
translation memory goes: by default an SQLite file in that folder, or the
``postgresql://`` URL of an empty database to measure the PostgreSQL store.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tm_corpus import Corpus, percentile, write_tmx  # noqa: E402

from tm.fuzzy import max_distance, segment_key  # noqa: E402
from tm.store import is_postgres, open_memory  # noqa: E402

_IMPORT = """
import resource, sys, time
from tm.cli import main
start = time.perf_counter()
sys.argv = ["tm", "import", sys.argv[2], "--db", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{took:.1f} {peak:.0f}", file=sys.stderr)
"""


def brute_force(query_key: str, keys: list[str], ids: list[int], minimum: float) -> dict[int, int]:
    m = len(query_key)
    widest = max_distance(max(m, int(m / (minimum / 100)) + 1), minimum)
    found = {}
    for _, distance, index in process.extract(query_key, keys, scorer=Levenshtein.distance,
                                              score_cutoff=widest, limit=None):
        if distance <= max_distance(max(m, len(keys[index])), minimum):
            found[ids[index]] = distance
    return found


def main(count: int = 1_000_000, sample: int = 20, location: str | None = None) -> None:
    corpus = Corpus()
    workdir = Path(tempfile.mkdtemp(prefix="tm-bench-"))
    tmx, db = workdir / "big.tmx", location or str(workdir / "big.db")

    start = time.perf_counter()
    segments = corpus.segments(count)
    write_tmx(segments, tmx)
    print(f"TM: {count:,} segments, mean {sum(map(len, segments)) / count:.1f} characters, from "
          f"{corpus.source}; TMX {tmx.stat().st_size / 1e6:.0f} MB written in {time.perf_counter() - start:.0f} s; "
          f"{os.cpu_count()} cores")

    result = subprocess.run([sys.executable, "-c", _IMPORT, str(db), str(tmx)],
                            capture_output=True, text=True, check=True)
    took, peak = result.stderr.strip().splitlines()[-1].split()
    stats = result.stdout.strip()
    size = "" if is_postgres(db) else f"; database {sum(f.stat().st_size for f in workdir.glob('big.db*')) / 1e6:.0f} MB"
    print(f"`tm import`: {float(took):.1f} s, peak memory {peak} MB ({stats}){size}")

    edited = [corpus.edited(s) for s in corpus.rng.sample(segments, 1000)]
    unrelated = corpus.unrelated(1000)
    del segments
    with open_memory(db) as memory:
        for query in edited[:50]:  # warm the page cache
            memory.lookup(query, minimum=75)
        for minimum in (75, 50):
            for name, queries in (("edited", edited), ("unrelated", unrelated)):
                times, hits = [], 0
                for query in queries:
                    begin = time.perf_counter()
                    hits += bool(memory.lookup(query, minimum=minimum, limit=5))
                    times.append((time.perf_counter() - begin) * 1000)
                print(f"--min {minimum}, {len(queries)} {name:9} queries: p50 {percentile(times, 50):6.1f} ms, "
                      f"p95 {percentile(times, 95):6.1f} ms, {hits} with a match")

        rows = list(memory.keys())
        ids, keys = [r[0] for r in rows], [r[1] for r in rows]
        del rows
        for minimum in (75, 50):
            ours = naive = 0.0
            same = True
            for query in edited[:sample // 2] + unrelated[:sample - sample // 2]:
                key = segment_key(query)
                begin = time.perf_counter()
                found = memory.candidates(key, minimum)
                ours += time.perf_counter() - begin
                begin = time.perf_counter()
                expected = brute_force(key, keys, ids, minimum)
                naive += time.perf_counter() - begin
                same &= found == expected
            print(f"--min {minimum}: brute force (rapidfuzz process.extract over all {len(keys):,} keys) "
                  f"{naive / sample * 1000:.0f} ms/query vs {ours / sample * 1000:.1f} ms/query: "
                  f"{naive / ours:.0f}x; result sets identical on {sample} queries: {same}")
    for path in workdir.iterdir():
        path.unlink()
    workdir.rmdir()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]), *sys.argv[3:4])
