"""Command line failures: German argparse messages, exit codes, no tracebacks."""

from __future__ import annotations

import errno

import pytest

from bielefeld_integration.cli_support import (
    GermanArgumentParser,
    check_output_file,
    command_locks,
    describe_failure,
    positive_int,
    report_failure,
    translate_argparse,
)
from bielefeld_integration.errors import DataError


def _parser() -> GermanArgumentParser:
    p = GermanArgumentParser(prog="bielefeld-integration")
    sub = p.add_subparsers(dest="command", required=True, metavar="Befehl")
    r = sub.add_parser("report")
    r.add_argument("--workers", type=positive_int)
    r.add_argument("--format", choices=["csv", "xlsx"])
    g = r.add_mutually_exclusive_group(required=True)
    g.add_argument("--period")
    g.add_argument("--all", action="store_true")
    return p


@pytest.mark.parametrize(
    ("argv", "german"),
    [
        ([], "diese Angaben fehlen: Befehl"),
        (["bericht"], "ungültiger Wert 'bericht' (möglich: 'report')"),
        (["report"], "eine dieser Angaben ist nötig: --period --all"),
        (["report", "--all", "--period", "2017"], "nicht zusammen mit --all möglich"),
        (["report", "--all", "--workers", "0"], "Angabe --workers: muss mindestens 1 sein"),
        (["report", "--all", "--workers", "-3"], "muss mindestens 1 sein, nicht -3"),
        (["report", "--all", "--workers", "zwei"], "Angabe --workers: keine ganze Zahl"),
        (["report", "--all", "--workers"], "Angabe --workers: erwartet einen Wert"),
        (["report", "--all", "--format", "pdf"], "ungültiger Wert 'pdf'"),
        (["report", "--all", "--schnell"], "unbekannte Angaben: --schnell"),
    ],
)
def test_argparse_errors_are_german_with_exit_code_2(argv, german, capsys):
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert german in err and "Fehler:" in err and "Aufruf:" in err
    for english in ("error:", "usage:", "required", "invalid", "argument", "expected"):
        assert english not in err


def test_help_headings_are_german(capsys):
    with pytest.raises(SystemExit):
        _parser().parse_args(["-h"])
    out = capsys.readouterr().out
    assert "Aufruf:" in out and "Optionen:" in out and "diese Hilfe zeigen" in out
    assert "usage:" not in out and "show this help" not in out


def test_unknown_messages_stay_as_they_are():
    assert translate_argparse("etwas anderes") == "etwas anderes"


def test_output_file_checks(tmp_path):
    with pytest.raises(DataError, match="--output ist ein Ordner"):
        check_output_file(tmp_path)
    with pytest.raises(DataError, match="Ordner für --output existiert nicht"):
        check_output_file(tmp_path / "fehlt" / "a.csv")
    with pytest.raises(DataError, match=r"Endung \.csv oder \.xlsx"):
        check_output_file(tmp_path / "a.txt", suffixes=(".csv", ".xlsx"))
    assert check_output_file(tmp_path / "a.csv") == tmp_path / "a.csv"


@pytest.mark.parametrize(
    ("exc", "code", "fragment"),
    [
        (DataError("kaputt", file="a.csv", row=3), 2, "Fehler: a.csv, Zeile 3: kaputt"),
        (OSError(errno.ENOSPC, "No space left on device", "/data/x"), 1, "kein Speicherplatz"),
        (OSError(errno.EROFS, "Read-only file system", "/data"), 1, "schreibgeschützt"),
        (PermissionError(errno.EACCES, "Permission denied", "/data"), 1, "keine Berechtigung"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "out"), 2, "ist ein Ordner"),
        (FileNotFoundError(errno.ENOENT, "No such file", "x.yaml"), 2, "x.yaml: nicht gefunden"),
        (MemoryError(), 1, "zu wenig Arbeitsspeicher"),
        (KeyError("spalte"), 1, "Interner Fehler (KeyError"),
        (KeyboardInterrupt(), 130, "abgebrochen"),
    ],
)
def test_every_failure_has_a_code_and_a_german_message(exc, code, fragment):
    got_code, message = describe_failure(exc)
    assert got_code == code and fragment in message
    assert "Traceback" not in message


def test_traceback_only_with_debug(monkeypatch, capsys):
    try:
        raise KeyError("x")
    except KeyError as exc:
        assert report_failure(exc) == 1
        assert "Traceback" not in capsys.readouterr().err
        monkeypatch.setenv("BIELEFELD_DEBUG", "1")
        assert report_failure(exc) == 1
        assert "Traceback" in capsys.readouterr().err


def test_report_holds_both_folder_locks_and_releases_them(tmp_path):
    import argparse

    from bielefeld_integration import lock

    data, out = tmp_path / "data", tmp_path / "reports"
    args = argparse.Namespace(command="report", data=str(data), output=str(out))
    with command_locks(args):
        assert lock.is_locked(data) and lock.is_locked(out)
    assert not lock.is_locked(data) and not lock.is_locked(out)
    with command_locks(argparse.Namespace(command="ingest", data=str(data))):
        assert not lock.is_locked(data)  # ingest locks inside ingest_period
