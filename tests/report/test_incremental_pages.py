"""Incremental builds on the real notebooks and demo deliveries: only what read a change runs.

Two periods (2018, 2019) of the demo deliveries, the report's own chapters and the command a
statistician runs (``bielefeld-integration report --all``). A changed delivery re-executes
the pages that read it (and the pages of later periods whose series include it), nothing
else; the incremental site is byte-identical to a full build.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from bielefeld_integration import cli

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
PERIODS = ["2018", "2019"]
SUMMARY = re.compile(r"\((\d+) Seiten? neu berechnet, (\d+) wiederverwendet\)")

pytestmark = pytest.mark.slow


def change_register(raw: Path, period: str) -> None:
    """Rename one measure in the register of ``period`` (and update the manifest's hash)."""
    path = raw / period / "massnahmen.csv"
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    assert "Elternbegleiterinnen" in text
    path.write_text(text.replace("Elternbegleiterinnen", "Elternbegleiter", 1), encoding="utf-8")
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = raw / period / "sources.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "_failed" not in p.parts
    }


@pytest.fixture
def site(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("BIELEFELD_TEXTS_DIR", str(tmp_path / "texts"))
    raw = tmp_path / "raw"
    for period in PERIODS:
        shutil.copytree(RAW / period, raw / period)
    folders = ["--raw", str(raw), "--data", str(tmp_path / "data")]

    def report(out: str = "reports", *extra: str) -> tuple[int, int, list[str]]:
        assert cli.main(["report", "--all", *folders, "--output", str(tmp_path / out), *extra]) == 0
        printed = capsys.readouterr().out
        executed, reused = map(int, SUMMARY.search(printed).groups())
        found = re.search(r"^Neu berechnet: (.*)$", printed, re.MULTILINE)
        names = found.group(1).split(", ") if found else []
        return executed, reused, names

    return {"raw": raw, "report": report, "root": tmp_path}


def test_only_the_pages_that_read_a_changed_delivery_run_again(site):
    report = site["report"]
    executed, reused, _ = report()
    pages = executed + reused
    assert (executed, reused) == (pages, 0) and pages == 2 * 22

    assert report()[:2] == (0, pages)  # nothing changed: nothing runs

    change_register(site["raw"], "2019")
    executed, reused, names = report()
    assert executed + reused == pages
    assert executed == len(names) and executed <= 4
    # the register's chapter and the methods page (it lists every file with its checksum)
    assert {"2019/massnahmen.html", "2019/methoden.html"} <= set(names)
    assert all(name.startswith("2019/") and "/bezirke/" not in name for name in names)

    change_register(site["raw"], "2018")  # 2019's register chapter shows 2018, too
    executed, _, names = report()
    assert {"2018/massnahmen.html", "2018/methoden.html", "2019/massnahmen.html"} <= set(names)
    assert "2019/methoden.html" not in names and executed <= 6

    incremental = snapshot(site["root"] / "reports")
    assert report("full", "--force")[:2] == (pages, 0)
    assert snapshot(site["root"] / "full") == incremental
