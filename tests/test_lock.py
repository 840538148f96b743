"""Locks, the publish swap, recovery after a kill, stale temp folders, orphan workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bielefeld_integration import lock
from bielefeld_integration.errors import DataError
from bielefeld_integration.lock import (
    FolderBusy,
    clean_stale,
    folder_lock,
    recover,
    swap_in,
)

HOLD = textwrap.dedent(
    """
    import sys, time
    from bielefeld_integration.lock import folder_lock
    with folder_lock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(60)
    """
)


@pytest.fixture
def holder(tmp_path):
    """Another process that holds the lock of tmp_path/out."""
    folder = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    yield folder, proc
    proc.kill()
    proc.wait()


def test_second_run_on_the_same_folder_stops_with_a_german_message(holder):
    folder, proc = holder
    with pytest.raises(FolderBusy) as info:
        with folder_lock(folder, what="Bericht", wait=0.2):
            pass
    message = str(info.value)
    assert isinstance(info.value, DataError)
    assert "anderen Lauf benutzt" in message and f"Prozess {proc.pid}" in message
    assert "Bericht abgebrochen" in message and "BIELEFELD_LOCK_WAIT" in message


def test_lock_is_released_when_the_holder_is_killed(holder):
    folder, proc = holder
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with folder_lock(folder, wait=2):
        pass


def test_a_waiting_run_gets_the_lock_when_the_first_ends(holder, monkeypatch):
    folder, proc = holder
    subprocess.Popen(["sh", "-c", f"sleep 0.3; kill {proc.pid}"])
    monkeypatch.setenv("BIELEFELD_LOCK_WAIT", "10")
    with folder_lock(folder):
        assert lock.is_locked(folder)
    assert not lock.is_locked(folder)


def test_lock_is_reentrant_within_a_process(tmp_path):
    with folder_lock(tmp_path), folder_lock(tmp_path / "."):
        assert lock.is_locked(tmp_path)
    assert not lock.is_locked(tmp_path)


def test_swap_replaces_a_folder_and_never_leaves_it_missing(tmp_path):
    target = tmp_path / "2017"
    new = tmp_path / ".2017.abc.tmp"
    swap_in(_tree(new, "eins"), target)
    assert (target / "a.txt").read_text() == "eins" and not new.exists()
    swap_in(_tree(new, "zwei"), target)
    assert (target / "a.txt").read_text() == "zwei"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2017"]


def test_swap_without_atomic_exchange_recovers_after_a_kill(tmp_path, monkeypatch):
    monkeypatch.setattr(lock, "_exchange", lambda a, b: False)
    target = _tree(tmp_path / "2017", "alt")
    swap_in(_tree(tmp_path / ".2017.x.tmp", "neu"), target)
    assert (target / "a.txt").read_text() == "neu"
    # a kill between the two renames: only the old folder is left
    os.replace(target, tmp_path / ".2017.old")
    assert recover(tmp_path) == [target]
    assert (target / "a.txt").read_text() == "neu"
    # a leftover next to a complete folder is removed
    _tree(tmp_path / ".2017.old", "alt")
    assert recover(tmp_path) == [] and not (tmp_path / ".2017.old").exists()
    # the report's older naming: .<period>.old-<hex>
    os.replace(target, tmp_path / ".2017.old-1a2b3c4d")
    assert recover(tmp_path) == [target] and (target / "a.txt").read_text() == "neu"


def test_clean_stale_removes_temp_folders_and_files(tmp_path):
    _tree(tmp_path / ".2017.abc.tmp", "x")
    _tree(tmp_path / ".2018.tmp-k2j4_x", "x")
    (tmp_path / ".index.html.x.tmp").write_text("x")
    _tree(tmp_path / "2017", "bleibt")
    (tmp_path / ".lock").write_text("")
    assert len(clean_stale(tmp_path)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "2017"]


ORPHAN = textwrap.dedent(
    """
    import os, sys, time, multiprocessing as mp
    from bielefeld_integration.lock import die_with_parent

    def worker(parent):
        die_with_parent(parent)
        time.sleep(60)

    if __name__ == "__main__":
        p = mp.get_context("fork").Process(target=worker, args=(os.getpid(),))
        p.start()
        print(p.pid, flush=True)
        time.sleep(60)
    """
)


def test_worker_dies_with_its_parent(tmp_path):
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(100):
        if not _alive(child):
            break
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _tree(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(text)
    return folder


def test_a_finished_run_leaves_no_lock_file_and_no_empty_folder(tmp_path):
    with folder_lock(tmp_path / "neu"):
        assert (tmp_path / "neu" / ".lock").is_file()
    assert not (tmp_path / "neu").exists()
    with folder_lock(tmp_path):
        (tmp_path / "bericht.html").write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bericht.html"]


def test_waiting_run_locks_the_new_file_when_the_holder_removes_it(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    quick = (
        "import sys, time\n"
        "from bielefeld_integration.lock import folder_lock\n"
        "with folder_lock(sys.argv[1]):\n"
        "    print('locked', flush=True); time.sleep(0.5)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", quick, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    with folder_lock(folder, wait=20):
        assert (folder / ".lock").is_file()
        assert (folder / ".lock").read_text().strip() == str(os.getpid())
    proc.wait()
