"""dynemo.dask.predict_catalog on a local Dask cluster of two worker processes: the CLI's files
byte for byte, bad files reported, resume, and a worker killed mid-run."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

import dynemo
import dynemo.dask
from conftest import SHARED, run_cli

DEAM = os.path.join(SHARED, "data", "deam", "audio_30s_40s")

distributed = pytest.importorskip("distributed")


def catalogue(root, n):
    """n shared DEAM excerpts in two album folders, a corrupt MP3 and an empty WAV."""
    if not os.path.isdir(DEAM):
        pytest.skip(f"no shared DEAM audio at {DEAM}")
    files = sorted(f for f in os.listdir(DEAM) if f.endswith(".mp3"))[:n]
    for i, name in enumerate(files):
        album = root / ("album-a" if i % 2 else "album-b")
        album.mkdir(parents=True, exist_ok=True)
        shutil.copy(os.path.join(DEAM, name), album / name)
    (root / "album-b" / "corrupt.mp3").write_bytes(b"\xff\xfb\x90\x00" + b"not audio" * 300)
    (root / "album-a" / "empty.wav").write_bytes(b"")
    return root, n


def tree(root):
    """relative path -> bytes of every file below root."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_catalogue_gives_the_cli_files_reports_bad_ones_and_resumes(tmp_path, client):
    music, n = catalogue(tmp_path / "music", 12)
    cli = run_cli("predict", str(music), "-o", str(tmp_path / "cli"))
    assert cli.returncode == 1, cli.stderr  # two tracks failed
    records = dynemo.dask.predict_catalog([str(music)], str(tmp_path / "dask"), client=client,
                                          max_batch_items=3)
    assert len(records) == n + 2
    status = {os.path.basename(r["path"]): r["status"] for r in records}
    assert status.pop("corrupt.mp3") == "failed" and status.pop("empty.wav") == "failed"
    assert set(status.values()) == {"done"}
    expected, got = tree(tmp_path / "cli"), tree(tmp_path / "dask")
    assert sorted(got) == sorted(expected)
    for rel, content in expected.items():
        assert got[rel] == content, rel  # byte for byte, errors.log included
    log = got["errors.log"].decode()
    assert "corrupt.mp3\t" in log and "empty.wav\t" in log and log.count("\n") == 2
    done = [r for r in records if r["status"] == "done"]
    assert all(r["windows"] >= 19 and -1 <= r["arousal_mean"] <= 1 for r in done)
    # The summary label of each track, as the CLI's summary line gives it.
    cli_label = {line.split(": arousal ")[0]: line.split(" (")[1].split("),")[0]
                 for line in cli.stdout.splitlines() if ": arousal " in line}
    assert len(cli_label) == n
    assert {r["path"]: r["summary"] for r in done} == cli_label

    mtimes = {p: os.stat(tmp_path / "dask" / p).st_mtime_ns for p in got if p != "errors.log"}
    again = dynemo.dask.predict_catalog([str(music)], str(tmp_path / "dask"), client=client)
    assert sorted(r["status"] for r in again) == ["failed"] * 2 + ["skipped"] * n
    assert {p: os.stat(tmp_path / "dask" / p).st_mtime_ns for p in mtimes} == mtimes
    skipped = {r["path"]: r for r in again if r["status"] == "skipped"}
    for r in done:
        assert skipped[r["path"]]["windows"] == r["windows"]
        assert abs(skipped[r["path"]]["arousal_mean"] - r["arousal_mean"]) < 1e-5
        assert skipped[r["path"]]["summary"] is None  # a CSV does not record it


def test_a_worker_killed_mid_run_leaves_every_output_complete(tmp_path, client):
    music, n = catalogue(tmp_path / "music", 24)
    out = tmp_path / "out"
    result = {}

    def run():
        result["records"] = dynemo.dask.predict_catalog([str(music)], str(out), client=client,
                                                        max_batch_items=1)

    pids = client.run(os.getpid)
    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if out.exists() and sum(f.endswith(".csv") for _, _, fs in os.walk(out) for f in fs) >= 4:
            break
        time.sleep(0.02)
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    written_at_kill = sum(f.endswith(".csv") for _, _, fs in os.walk(out) for f in fs)
    assert 4 <= written_at_kill < n, written_at_kill  # mid-run
    thread.join(600)
    assert not thread.is_alive()
    records = result["records"]
    assert len(records) == n + 2 and len({r["path"] for r in records}) == n + 2
    failed = sorted((os.path.basename(r["path"]), r["error"]) for r in records
                    if r["status"] == "failed")
    assert [name for name, _ in failed] == ["corrupt.mp3", "empty.wav"], failed
    # A track the killed worker had finished before it died is "skipped" when its task runs again.
    good = [r for r in records if r["status"] != "failed"]
    assert len(good) == n and {r["status"] for r in good} <= {"done", "skipped"}
    assert all(r["windows"] >= 19 for r in good)
    model = dynemo.Model()
    outputs = [r["output"] for r in good]
    assert all(model.is_current(o) for o in outputs)
    csvs = [os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs if f.endswith(".csv")]
    assert sorted(csvs) == sorted(outputs)  # none missing, none doubled
    assert pids != client.run(os.getpid)  # the victim was replaced


def test_command_line(tmp_path):
    music, n = catalogue(tmp_path / "music", 4)
    env = dict(os.environ)
    run = subprocess.run([sys.executable, "-m", "dynemo.dask", "--local-workers", "2",
                          str(music), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 1, run.stderr  # the two bad files
    assert f"dynemo.dask: {n} done, 0 skipped, 2 failed" in run.stderr, run.stderr
    # One line per bad file, as `dynemo predict` prints it (the message names the file once).
    bad_lines = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(bad_lines) == 2, run.stderr
    corrupt = music / "album-b" / "corrupt.mp3"
    assert any(line.startswith(f"error: {corrupt}: ") for line in bad_lines), bad_lines
    assert all(line.count("corrupt.mp3") <= 1 for line in bad_lines), bad_lines
    bad = subprocess.run([sys.executable, "-m", "dynemo.dask", "--local-workers", "0",
                          str(music), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "--local-workers must be in 1..1024" in bad.stderr
