"""Aligning a batch on a Dask distributed cluster (``tm align-batch --cluster tcp://host:8786``).

:class:`Dask` is an executor for :func:`aligned.batch.align_batch`: each document pair
becomes one task running :func:`aligned.batch.align_job` on a worker, with the pair's texts
as its argument and the aligned pair as its result, so the lead process alone touches files
(inputs, outputs, review, TM). A worker builds its Aligner on its first pair and keeps it
(:func:`aligned.batch.process_aligner`, a cache in the worker process): the model loads once
per worker process, not once per pair. At most twice as many pairs as the cluster has worker
threads are in flight, so the lead never holds the whole batch in memory. A worker that dies
mid-pair: the scheduler runs the pair again on another worker (up to
``distributed.scheduler.allowed-failures`` times; then the pair is reported as failed, with
``KilledWorker``).

The workers need this package installed (the same version as the lead), not the lead's files.
``distributed`` is the optional extra ``cluster``: it is imported only when a cluster is used.

Speed: a Dask nanny starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536``; setting any of
glibc's malloc thresholds turns its dynamic mmap threshold off, and then every array over
128 KiB is mapped and unmapped afresh: the aligner is 10–40 % slower (benchmarks/
align_batch_speed.py). Start the workers with the mmap threshold given too:
``MALLOC_MMAP_THRESHOLD_=33554432 dask worker tcp://…``.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, Iterator

from .batch import Outcome, PairJob, align_job, stream

CONNECT_TIMEOUT = 5.0  # seconds to reach the scheduler before giving up


class ClusterError(Exception):
    """No cluster to align on: ``distributed`` is not installed, or no scheduler answers at the
    address. The message is one line, for people."""


def connect(address: str, timeout: float | None = None):
    """A ``distributed.Client`` of the scheduler at ``address``, or a :class:`ClusterError` after
    ``timeout`` seconds (default :data:`CONNECT_TIMEOUT`) saying why not."""
    try:
        import distributed
    except ImportError:
        raise ClusterError("aligning on a cluster needs Dask distributed: pip install 'zhen-tm[cluster]'") from None
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    _handshake(address, timeout)  # a Client that fails to start complains again when collected
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except Exception as error:
        raise ClusterError(_unreachable(address, timeout, error)) from None


def _handshake(address: str, timeout: float) -> None:
    from distributed.comm import connect as open_comm

    async def hello() -> None:
        comm = await open_comm(address, timeout=timeout)
        await comm.close()

    with ThreadPoolExecutor(1) as thread:  # an event loop of its own, even if the caller runs one
        try:
            thread.submit(asyncio.run, hello()).result()
        except Exception as error:
            raise ClusterError(_unreachable(address, timeout, error)) from None


def _unreachable(address: str, timeout: float, error: Exception) -> str:
    if isinstance(error, ValueError):  # tcpp://…, no port…
        return f"{address} is not a Dask scheduler address: {error}"
    if isinstance(error, OSError):  # refused, unknown host, timed out: Dask retries until the timeout
        return f"cannot reach the Dask scheduler at {address} (no answer within {timeout:g} s)"
    return f"cannot reach the Dask scheduler at {address}: something else answers there ({type(error).__name__})"


class Dask:
    """Aligns on the workers of a Dask cluster. ``cluster`` is a scheduler address (connected
    now, closed when the run ends) or a ``distributed.Client`` (used, left open)."""

    parallel = True

    def __init__(self, cluster):
        if isinstance(cluster, str):
            self.client, self.owned = connect(cluster), True
        else:
            self.client, self.owned = cluster, False

    def run(self, jobs: Iterable[PairJob]) -> Iterator[Outcome]:
        try:
            threads = sum(self.client.nthreads().values())
            yield from stream(jobs, self._submit, max(2, 2 * threads))
        finally:
            if self.owned:
                self.client.close()

    def _submit(self, job: PairJob):
        return self.client.submit(align_job, job, pure=False)  # pure=False: never merged with an equal pair
