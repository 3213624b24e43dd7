"""HTTP lookups under load: ``tm serve`` over SQLite and PostgreSQL, 1, 8 and 32 clients.

In one run:

1. builds a TM of N units (default 1,000,000) from :mod:`tm_corpus` segments and
   imports it with ``tm import`` into an SQLite file and, where a PostgreSQL
   server can be started from Debian's binaries (``tests/postgres.py``: a
   throwaway cluster on a Unix socket, fsync off), into PostgreSQL;
2. starts ``tm serve`` on 127.0.0.1 (a child process) on each store;
3. for 1, 8 and 32 concurrent clients (threads, one keep-alive connection
   each) sends ``GET /api/lookup?min=75`` for queries made by editing TM
   segments by 1–30%: lookups per second and p50/p95 latency;
4. the same queries through the library in this process, one at a time (no
   HTTP): the floor against which the server's overhead shows.

Clients and server share this machine's cores, so the figures are a lower
bound on what a server with its own machine does.

Run: ``python benchmarks/serve_load.py [N] [REQUESTS]`` (REQUESTS per level,
default 400); it works in a temporary folder (about 1.5 GB for a million units).
"""
from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from tm_corpus import Corpus, percentile, write_tmx  # noqa: E402

from tm.store import open_memory  # noqa: E402

LEVELS = (1, 8, 32)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tm_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tm.cli", *args], capture_output=True, text=True, check=True)


def wait_healthy(port: int, process: subprocess.Popen, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tm serve exited: {process.stderr.read()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/health")
            return json.loads(connection.getresponse().read())
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("tm serve did not answer /api/health")


def load(port: int, queries: list[str], clients: int, requests: int) -> tuple[float, list[float]]:
    """``requests`` lookups by ``clients`` threads: (wall seconds, latencies in ms)."""
    todo: queue.Queue[str] = queue.Queue()
    for i in range(requests):
        todo.put(queries[i % len(queries)])
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while True:
            try:
                query = todo.get_nowait()
            except queue.Empty:
                break
            path = "/api/lookup?" + urllib.parse.urlencode({"q": query, "min": 75, "limit": 5})
            begin = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response_body = response.read()
            mine.append((time.perf_counter() - begin) * 1000)
            if response.status != 200:
                failures.append(f"{response.status} {response_body[:200]!r}")
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - begin
    if failures:
        raise RuntimeError(f"{len(failures)} failed lookups, e.g. {failures[0]}")
    return wall, latencies


def bench_store(name: str, location: str, queries: list[str], requests: int) -> None:
    with open_memory(location, readonly=True) as memory:
        for query in queries[:50]:
            memory.lookup(query, minimum=75, limit=5)
        times = []
        for query in queries[:requests]:
            begin = time.perf_counter()
            memory.lookup(query, minimum=75, limit=5)
            times.append((time.perf_counter() - begin) * 1000)
    total = sum(times) / 1000
    print(f"{name:10} library, no HTTP, 1 caller: {len(times) / total:7.1f} lookups/s, "
          f"p50 {percentile(times, 50):6.1f} ms, p95 {percentile(times, 95):6.1f} ms")

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tm.cli", "serve", "--db", location, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        health = wait_healthy(port, server)
        load(port, queries[:50], 4, 100)  # warm up
        for clients in LEVELS:
            wall, latencies = load(port, queries, clients, requests)
            print(f"{name:10} HTTP, {clients:2} clients: {len(latencies) / wall:7.1f} lookups/s, "
                  f"p50 {percentile(latencies, 50):6.1f} ms, p95 {percentile(latencies, 95):6.1f} ms "
                  f"({len(latencies)} lookups, {health['units']:,} units)")
    finally:
        server.terminate()
        server.wait(30)


def main(count: int = 1_000_000, requests: int = 400) -> None:
    corpus = Corpus()
    workdir = Path(tempfile.mkdtemp(prefix="tm-serve-bench-"))
    tmx, db = workdir / "big.tmx", workdir / "big.db"
    start = time.perf_counter()
    segments = corpus.segments(count)
    write_tmx(segments, tmx)
    queries = [corpus.edited(s) for s in corpus.rng.sample(segments, 1000)]
    del segments
    print(f"TM: {count:,} segments from {corpus.source}, TMX written in {time.perf_counter() - start:.0f} s; "
          f"{os.cpu_count()} cores shared by the clients and the server")

    server = None
    try:
        begin = time.perf_counter()
        tm_command("import", str(tmx), "--db", str(db))
        print(f"SQLite: imported in {time.perf_counter() - begin:.0f} s")
        stores = [("SQLite", str(db))]
        try:
            import postgres

            server = postgres.start()
            url = server.url(server.create_database())
            begin = time.perf_counter()
            tm_command("import", str(tmx), "--db", url)
            print(f"PostgreSQL: imported in {time.perf_counter() - begin:.0f} s")
            stores.append(("PostgreSQL", url))
        except Exception as error:  # noqa: BLE001 - the benchmark goes on with SQLite alone
            print(f"PostgreSQL: not measured ({error})")
        for name, location in stores:
            bench_store(name, location, queries, requests)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
