"""Shared fixtures: one processed demo store per test session.

Tests that need processed data never depend on a store the user may or may not have built
(``data/processed``): they get a fresh one, ingested from the committed ``data/raw`` into a
temporary folder, with the indicator table computed.
"""

from __future__ import annotations

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
