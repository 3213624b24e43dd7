"""Translation memories on both stores, so that a store test is written once and run against each.

- ``postgres``: the session's throwaway PostgreSQL server (:mod:`postgres`); a
  test that asks for it is skipped, with the reason, where none can be started.
- ``backend``: ``"sqlite"`` or ``"postgresql"``; a test using the fixtures below
  runs once for each.
- ``new_memory_url``: a factory of locations of new, empty translation
  memories (a file path, or a ``postgresql://`` URL of a new database).
- ``memory_url``: one such location.
- ``empty_memory``: a factory of open, empty stores for property tests: a new
  file each time for SQLite, one database emptied each time for PostgreSQL.
"""
from __future__ import annotations

import itertools

import pytest

import postgres as server_helper
from tm.store import open_memory

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres():
    try:
        server = server_helper.start()
    except server_helper.Unavailable as why:
        pytest.skip(f"no PostgreSQL server for the PostgreSQL store tests: {why}")
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def new_memory_url(backend, tmp_path, request):
    if backend == "sqlite":
        paths = (tmp_path / f"tm{n or ''}.db" for n in itertools.count())
        yield lambda: str(next(paths))
        return
    server = request.getfixturevalue("postgres")
    created = []

    def new() -> str:
        created.append(server.create_database())
        return server.url(created[-1])

    yield new
    for name in created:
        server.drop_database(name)


@pytest.fixture
def memory_url(new_memory_url) -> str:
    return new_memory_url()


@pytest.fixture
def empty_memory(backend, new_memory_url):
    opened = []

    def fresh():
        if backend == "postgresql" and opened:
            server_helper.empty(opened[0])
            return opened[0]
        for memory in opened:
            memory.close()
        opened[:] = [open_memory(new_memory_url())]
        return opened[0]

    yield fresh
    for memory in opened:
        memory.close()
