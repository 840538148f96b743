"""Shared fixtures: one processed demo store per test session.

Tests that need processed data never depend on a store the user may or may not have built
(``data/processed``): they get a fresh one, ingested from the committed ``data/raw`` into a
temporary folder, with the indicator table computed.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """A processed store of all demo periods (2014–2019): ``indicators.parquet`` and the
    disclosure stage's ``published.parquet`` (one build, :func:`pipeline.prepare`)."""
    from bielefeld_integration.pipeline import prepare

    data = tmp_path_factory.mktemp("demo-store")
    prepare(ROOT / "data" / "raw", data)
    return data


@pytest.fixture
def hold_folder(monkeypatch) -> Iterator[Callable[..., None]]:
    """Hold the lock of a folder from another process for the rest of the test.

    ``hold_folder(path, what="Bericht")`` returns once the other process holds the lock; a
    run that waits for it gives up after 0.3 s. The process is killed at the end of the test.
    """
    holders: list[subprocess.Popen] = []

    def hold(folder: Path, what: str | None = None) -> None:
        kwargs = f", what={what!r}" if what else ""
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time\n"
                "from bielefeld_integration.lock import folder_lock\n"
                f"with folder_lock(sys.argv[1]{kwargs}):\n"
                "    print('x', flush=True); time.sleep(60)\n",
                str(folder),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout.readline().strip() == "x"
        monkeypatch.setenv("BIELEFELD_LOCK_WAIT", "0.3")

    yield hold
    for holder in holders:
        holder.kill()
        holder.wait()


@pytest.fixture
def page_job(tmp_path) -> dict[str, object]:
    """The fields of a report job that decide a page's recipe key (a 2017 population page)."""
    notebook = tmp_path / "01_bevoelkerung.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    return {
        "page": "bevoelkerung.html",
        "page_id": "bevoelkerung",
        "html_title": "Bevölkerung",
        "parameters": {"period": "2017", "data_dir": str(tmp_path)},
        "csv_href_prefix": "daten/",
        "notebook_path": str(notebook),
    }


def _disagreeing_register(folder: Path) -> None:
    """Five more people in one row of the second register extract of 2017, with the new
    sha256 in the manifest: a delivery whose files disagree."""
    target = folder / "einwohner_herkunft_2017.csv"
    lines = target.read_bytes().split(b"\r\n")
    i = next(k for k, line in enumerate(lines) if line[:1].isdigit())
    cells = lines[i].split(b";")
    cells[-1] = str(int(cells[-1].replace(b".", b"")) + 5).encode()
    lines[i] = b";".join(cells)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    target.write_bytes(b"\r\n".join(lines))
    after = hashlib.sha256(target.read_bytes()).hexdigest()
    manifest = folder / "sources.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(before, after), encoding="utf-8"
    )


@pytest.fixture
def disagreeing_register() -> Callable[[Path], None]:
    """``disagreeing_register(folder)`` changes a copied 2017 delivery folder so that its
    two register extracts disagree (the manifest stays valid)."""
    return _disagreeing_register


def _killed_ingest(period: str, raw: Path, data: Path, delay: float) -> None:
    script = (
        "import sys\nfrom bielefeld_integration.ingest import ingest_period\n"
        "ingest_period(sys.argv[1], sys.argv[2], sys.argv[3])\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, period, str(raw), str(data)])
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


@pytest.fixture
def killed_ingest() -> Callable[[str, Path, Path, float], None]:
    """``killed_ingest(period, raw, data, delay)`` runs ``ingest_period`` in another process
    and kills it (SIGKILL) after ``delay`` seconds unless it has finished."""
    return _killed_ingest
