"""Aligning a batch on a Dask cluster (``align_batch(cluster=…)``, ``tm align-batch --cluster``).

One LocalCluster of two worker processes serves the whole module. A cluster run gives the
same outputs and report as a one-process run, resumes the same way, reports a bad pair and
carries on, loads the model once per worker, survives a worker killed mid-pair; the CLI
takes the scheduler's address and says in one line when it cannot be used.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import aligned.cluster
from aligned.align import Aligner
from aligned.batch import align_batch, align_texts, to_align
from tm.cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = sorted(path.name for path in (EXAMPLES / "zh").iterdir())

needs_distributed = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                       reason="dask distributed is not installed (pip install 'zhen-tm[cluster]')")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    from distributed import Client

    with Client(cluster, set_as_default=False) as connected:
        yield connected


@pytest.fixture(scope="module")
def aligner():
    return Aligner()


@pytest.fixture(scope="module")
def reference(tmp_path_factory, aligner):
    """The bundled examples aligned in this process: (output folder, report)."""
    out = tmp_path_factory.mktemp("reference")
    return out, align_batch(EXAMPLES / "zh", EXAMPLES / "en", out, aligner=aligner)


def _outputs(folder) -> dict[str, str]:
    return {name: (Path(folder) / name).read_text("utf-8") for name in sorted(os.listdir(folder))}


def _examples(tmp_path, copies: int = 1) -> tuple[Path, Path]:
    """The bundled example pairs in ZH/ and EN/ under tmp_path, each under ``copies`` names."""
    zh_dir, en_dir = tmp_path / "zh", tmp_path / "en"
    zh_dir.mkdir()
    en_dir.mkdir()
    for name in NAMES:
        for copy in range(copies):
            target = name if copy == 0 else f"{copy}-{name}"
            shutil.copyfile(EXAMPLES / "zh" / name, zh_dir / target)
            shutil.copyfile(EXAMPLES / "en" / name, en_dir / target)
    return zh_dir, en_dir


def _loads(client) -> dict[int, tuple[int, int, int]]:
    """Per worker process id: (model loads, Aligners built, encode calls) since it started."""
    def count():
        from aligned import batch, embed

        model = embed._model.cache_info()
        return os.getpid(), (model.misses, batch._build_aligner.cache_info().misses, model.hits + model.misses)

    return dict(client.run(count).values())


# ---------------------------------------------------------------- without a cluster

def test_cli_without_distributed_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    result = CliRunner().invoke(cli, ["align-batch", str(EXAMPLES / "zh"), str(EXAMPLES / "en"),
                                      "--out", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert result.output == "error: aligning on a cluster needs Dask distributed: pip install 'zhen-tm[cluster]'\n"
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")


@needs_distributed
def test_cli_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(aligned.cluster, "CONNECT_TIMEOUT", 1.0)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    result = CliRunner().invoke(cli, ["align-batch", str(EXAMPLES / "zh"), str(EXAMPLES / "en"),
                                      "--out", str(tmp_path / "out"), "--cluster", address])
    assert result.exit_code == 2
    assert result.output == f"error: cannot reach the Dask scheduler at {address} (no answer within 1 s)\n"


def test_cli_cluster_and_jobs_exclude_each_other(tmp_path):
    result = CliRunner().invoke(cli, ["align-batch", str(EXAMPLES / "zh"), str(EXAMPLES / "en"),
                                      "--out", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:8786", "-j", "2"])
    assert result.exit_code == 2
    assert "--cluster and --jobs do not go together" in result.output
    with pytest.raises(ValueError, match="not both"):
        align_batch(EXAMPLES / "zh", EXAMPLES / "en", tmp_path / "out", jobs=2, cluster="tcp://127.0.0.1:8786")


# ---------------------------------------------------------------- on a LocalCluster of two processes

@needs_distributed
def test_cluster_run_gives_the_outputs_and_report_of_a_local_run(tmp_path, client, reference):
    local_out, local_report = reference
    progress: list[int] = []
    report = align_batch(EXAMPLES / "zh", EXAMPLES / "en", tmp_path / "out", cluster=client,
                         progress=progress.append)
    assert report.aligned == NAMES and report.failed == []
    assert report.to_dict() == local_report.to_dict()  # pairs, review items: in file-name order
    assert _outputs(tmp_path / "out") == _outputs(local_out)
    assert progress == [0, 1, 2, 3, 4]


@needs_distributed
def test_cluster_run_resumes(tmp_path, client, reference):
    out = tmp_path / "out"
    out.mkdir()
    (out / "two-sessions.align").write_text("sentinel")
    report = align_batch(EXAMPLES / "zh", EXAMPLES / "en", out, cluster=client)
    assert report.skipped == ["two-sessions.txt"] and report.aligned == NAMES[:3]
    assert (out / "two-sessions.align").read_text() == "sentinel"
    again = align_batch(EXAMPLES / "zh", EXAMPLES / "en", out, cluster=client)
    assert again.aligned == [] and again.skipped == NAMES
    expected = _outputs(reference[0])
    assert _outputs(out) == {**expected, "two-sessions.align": "sentinel"}


@needs_distributed
def test_bad_pair_is_reported_and_the_others_done(tmp_path, client, reference):
    zh_dir, en_dir = _examples(tmp_path)
    (zh_dir / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (en_dir / "broken.txt").write_text("An English side.\n", "utf-8")
    (zh_dir / "lonely.txt").write_text("只有中文。\n", "utf-8")
    report = align_batch(zh_dir, en_dir, tmp_path / "out", cluster=client)
    assert report.aligned == NAMES and report.zh_only == ["lonely.txt"]
    assert report.failed == [("broken.txt", f"{zh_dir / 'broken.txt'}: binary file, not text")]
    assert _outputs(tmp_path / "out") == _outputs(reference[0])


@needs_distributed
def test_model_loads_once_per_worker_not_per_pair(tmp_path, client):
    zh_dir, en_dir = _examples(tmp_path, copies=2)  # 8 pairs for 2 workers
    report = align_batch(zh_dir, en_dir, tmp_path / "out", cluster=client)
    assert len(report.aligned) == 8 and report.failed == []
    loads = _loads(client)
    assert len(loads) == 2
    # a worker that aligned anything built one Aligner and loaded the model once; an idle one neither
    assert all((model, aligners) == ((1, 1) if calls else (0, 0)) for model, aligners, calls in loads.values())
    # each pair encodes both of its sides: many more encodings than model loads
    assert sum(calls for _, _, calls in loads.values()) >= 2 * 8


@needs_distributed
def test_cli_with_the_scheduler_address(tmp_path, cluster, reference):
    out, db, review = tmp_path / "out", tmp_path / "tm.db", tmp_path / "review.tsv"
    result = CliRunner().invoke(cli, ["align-batch", str(EXAMPLES / "zh"), str(EXAMPLES / "en"), "--out", str(out),
                                      "--cluster", cluster.scheduler_address, "--json", "--into-tm",
                                      "--db", str(db), "--review", str(review)])
    assert result.exit_code == 0, result.output
    value = json.loads(result.output)
    assert value["aligned"] == NAMES and value["failed"] == []
    assert value["units_added"] > 0 and db.exists()
    assert value["review"] == reference[1].to_dict()["review"]
    assert review.read_text("utf-8") == "".join(item.to_tsv() for item in reference[1].review_items)
    assert _outputs(out) == _outputs(reference[0])


@needs_distributed
def test_worker_killed_mid_pair_has_the_pair_redone(tmp_path, client, aligner):
    """Last in the module: the killed worker is replaced by its nanny."""
    zh = "\n\n".join((EXAMPLES / "zh" / name).read_text("utf-8") for name in NAMES)  # 64 sentences
    en = "\n\n".join((EXAMPLES / "en" / name).read_text("utf-8") for name in NAMES)
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "zh" / "long.txt").write_text(zh, "utf-8")
    (tmp_path / "en" / "long.txt").write_text(en, "utf-8")
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_the_busy_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [address for address, keys in client.processing().items() if keys]
            if busy:
                time.sleep(0.3)  # inside the pair, which takes seconds
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(pids[busy[0]])
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_the_busy_worker)
    killer.start()
    report = align_batch(tmp_path / "zh", tmp_path / "en", tmp_path / "out", cluster=client)
    killer.join()
    assert killed and killed[0] not in client.run(os.getpid).values()
    assert report.aligned == ["long.txt"] and report.failed == []
    expected = to_align(align_texts(zh, en, aligner))
    assert (tmp_path / "out" / "long.align").read_text("utf-8") == expected
