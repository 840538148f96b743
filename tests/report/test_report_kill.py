"""A killed ``report`` leaves no process behind and no half-published period.

The report's main process is killed (SIGKILL) while its workers execute a notebook that
sleeps: every worker and kernel process must end on its own, and the next run cleans the
temporary folder and publishes normally.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "tests" / "data" / "notebooks"

pytestmark = pytest.mark.slow

RUN = textwrap.dedent(
    """
    import sys
    from bielefeld_integration.report.chapters import ChapterSpec
    from bielefeld_integration.report.runner import render_period
    render_period(
        "2017",
        chapters=(ChapterSpec("index", sys.argv[2], "Test"),),
        notebooks_dir=sys.argv[1],
        output_dir=sys.argv[3],
        data_dir=sys.argv[4],
        workers=2,
        progress=False,
    )
    print("fertig", flush=True)
    """
)


def _children() -> dict[int, int]:
    """pid -> parent pid of every process."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                out[int(entry.name)] = int(fields[1])
    return out


def _descendants(root: int) -> set[int]:
    parents = _children()
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    return pids & set(_children())


def test_killed_report_leaves_no_worker_or_kernel(tmp_path):
    out = tmp_path / "reports"
    cmd = [sys.executable, "-c", RUN, str(NOTEBOOKS), "sleeps.ipynb", str(out), str(tmp_path / "d")]
    proc = subprocess.Popen(cmd, cwd=tmp_path)
    try:
        procs: set[int] = set()
        for _ in range(600):  # until the workers run their kernels (a kernel is a grandchild)
            procs = _descendants(proc.pid)
            if len(procs) >= 4 and any("ipykernel" in _cmdline(p) for p in procs):
                break
            time.sleep(0.1)
        assert any("ipykernel" in _cmdline(p) for p in procs), procs
        assert list(out.glob(".2017.tmp-*"))  # the period is being rendered
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for _ in range(300):
            if not _alive(procs):
                break
            time.sleep(0.1)
        assert not _alive(procs), [_cmdline(p) for p in _alive(procs)]
    finally:
        for pid in _alive(_descendants(proc.pid)):
            os.kill(pid, signal.SIGKILL)
    assert not (out / "2017").exists()  # nothing half-published
    # the next run removes the abandoned temporary folder and publishes
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN,
            str(NOTEBOOKS),
            "leak_a.ipynb",
            str(out),
            str(tmp_path / "d"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "2017" / "index.html").is_file()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
