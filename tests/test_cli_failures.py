"""The command line under bad input and a hostile environment: clear German messages, exit
codes 2 (bad input) or 1 (environment, internal), never a traceback."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import cli, ingest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bielefeld_integration.cli", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("argv", "german"),
    [
        (["report", "--period", "2017", "--workers", "0"], "--workers: muss mindestens 1 sein"),
        (["report", "--all", "--workers", "viele"], "--workers: keine ganze Zahl"),
        (["ingest"], "eine dieser Angaben ist nötig: --period --all"),
        (["einlesen"], "ungültiger Wert 'einlesen'"),
        (["indicators", "--all", "--format", "pdf"], "ungültiger Wert 'pdf'"),
    ],
)
def test_argument_errors_are_german_exit_2(argv, german):
    result = _run(*argv)
    assert result.returncode == 2
    assert german in result.stderr and "Fehler:" in result.stderr
    assert "Traceback" not in result.stderr and "error:" not in result.stderr


@pytest.fixture
def store(tmp_path) -> Path:
    """A store folder that lists period 2017 (enough for the argument checks)."""
    data = tmp_path / "processed"
    (data / "2017").mkdir(parents=True)
    (data / "2017" / "provenance.json").write_text(json.dumps({"period": "2017"}))
    return data


def test_indicators_output_that_is_a_folder(store, tmp_path, capsys):
    code = cli.main(
        ["indicators", "--period", "2017", "--data", str(store), "--output", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "--output ist ein Ordner" in err and "Traceback" not in err


def test_scenario_output_in_a_missing_folder(store, tmp_path, capsys):
    out = tmp_path / "fehlt" / "s.xlsx"
    code = cli.main(["scenario", "--preset", "high", "--data", str(store), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "existiert nicht" in err


def _fail_with(monkeypatch, target, errno_code: int) -> None:
    def boom(*args, **kwargs):
        raise OSError(errno_code, "simuliert", "data/processed/2017")

    monkeypatch.setattr(target[0], target[1], boom)


@pytest.mark.parametrize(
    ("code", "german"),
    [(errno.ENOSPC, "kein Speicherplatz mehr"), (errno.EROFS, "schreibgeschützt")],
)
def test_full_or_read_only_disk_during_ingest(tmp_path, monkeypatch, capsys, code, german):
    data = tmp_path / "processed"
    _fail_with(monkeypatch, (pd.DataFrame, "to_parquet"), code)
    rc = cli.main(["ingest", "--period", "2017", "--data", str(data)])
    err = capsys.readouterr().err
    assert rc == 1 and german in err and "Traceback" not in err
    assert not data.exists()  # nothing left behind: no period, no temp folder, no lock


def test_read_only_store_before_anything_is_written(tmp_path, monkeypatch, capsys):
    _fail_with(monkeypatch, (ingest.tempfile, "mkdtemp"), errno.EROFS)
    rc = cli.main(["ingest", "--period", "2017", "--data", str(tmp_path / "p")])
    assert rc == 1 and "schreibgeschützt" in capsys.readouterr().err


def test_internal_error_is_a_short_message_with_exit_1(tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("spalte")

    monkeypatch.setattr(ingest, "ingest_all", broken)
    rc = cli.main(["ingest", "--period", "2017", "--data", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert rc == 1 and "Interner Fehler (KeyError" in err and "Traceback" not in err


def test_second_report_into_the_same_folder_stops(store, tmp_path, hold_folder, capsys):
    out = tmp_path / "reports"
    hold_folder(out)
    argv = ["report", "--period", "2017", "--skip-ingest", "--data", str(store)]
    rc = cli.main([*argv, "--output", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and "anderen Lauf benutzt" in err
    assert sorted(p.name for p in out.iterdir()) == [".lock"]


def test_ingest_during_a_report_waits_for_it(store, tmp_path, hold_folder, capsys):
    """A report holds the data folder: an ingest into it stops instead of changing the
    data under the pages being rendered."""
    data = tmp_path / "processed2"
    shutil.copytree(store, data)
    hold_folder(data, what="Bericht")
    rc = cli.main(["ingest", "--period", "2017", "--data", str(data)])
    assert rc == 2 and "anderen Lauf benutzt" in capsys.readouterr().err
    assert json.loads((data / "2017" / "provenance.json").read_text()) == {"period": "2017"}
