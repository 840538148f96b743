"""Command line: ``bielefeld-integration ingest|indicators|report|texte|scenario ...``.

Problems with input data are printed as plain German messages (no traceback) and end the
program with exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from bielefeld_integration import ingest, scenario
from bielefeld_integration.cli_support import (
    GermanArgumentParser,
    check_output_file,
    command_locks,
    positive_int,
    report_failure,
)
from bielefeld_integration.disclosure.export import export
from bielefeld_integration.editorial import create_skeleton, texts_dir
from bielefeld_integration.errors import DataError
from bielefeld_integration.incremental import Stamps, indicators_key, ingest_key
from bielefeld_integration.indicators.compute import compute
from bielefeld_integration.ingest_cache import IngestCache
from bielefeld_integration.official.ingest import ingest_official
from bielefeld_integration.official.paths import processed_official_dir
from bielefeld_integration.periods import Period
from bielefeld_integration.pipeline import build_stages
from bielefeld_integration.report import runner
from bielefeld_integration.report.chapters import CHAPTERS
from bielefeld_integration.report.errors import ReportError
from bielefeld_integration.report.resources import NOTEBOOKS_DIR
from bielefeld_integration.safe_text import neutralise_frame
from bielefeld_integration.store import data_dir, periods, raw_dir

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    """Register a sub-command handler."""

    def deco(fn):
        COMMANDS[name] = fn
        return fn

    return deco


def _periods(args: argparse.Namespace, available: list[str]) -> list[str]:
    if getattr(args, "all", False):
        if not available:
            raise DataError("keine Berichtsjahre vorhanden")
        return available
    if not args.period:
        raise DataError("bitte --period JJJJ oder --all angeben")
    period = str(Period.parse(args.period))
    if period not in available:
        known = ", ".join(available) or "keine"
        raise DataError(f"Berichtsjahr {period} ist nicht vorhanden (vorhanden: {known})")
    return [period]


def _add_period_args(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--period", help="Berichtsjahr, z. B. 2017")
    g.add_argument("--all", action="store_true", help="alle vorhandenen Berichtsjahre")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    parser = GermanArgumentParser(
        prog="bielefeld-integration",
        description="Integrationsmonitoring Bielefeld: Daten einlesen, Indikatoren berechnen, "
        "Berichte erzeugen.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="Befehl")

    p = sub.add_parser("ingest", help="Lieferungen prüfen und aufbereiten")
    _add_period_args(p)
    p.add_argument("--raw", help="Ordner der Lieferungen (Standard: data/raw)")
    p.add_argument("--data", help="Ordner der aufbereiteten Daten (Standard: data/processed)")
    p.add_argument(
        "--force",
        action="store_true",
        help="jede Datei neu einlesen, auch wenn sie sich nicht geändert hat",
    )

    p = sub.add_parser("indicators", help="Indikatortabelle berechnen und exportieren")
    _add_period_args(p)
    p.add_argument("--format", choices=["csv", "xlsx", "parquet"], default="csv")
    p.add_argument("--output", help="Zieldatei (Standard: Ausgabe als CSV auf dem Bildschirm)")
    p.add_argument("--data", help="Ordner der aufbereiteten Daten")
    p.add_argument(
        "--unsuppressed",
        action="store_true",
        help="ohne Geheimhaltung (nur für den internen Gebrauch!)",
    )

    p = sub.add_parser("report", help="HTML-Berichte erzeugen")
    _add_period_args(p)
    p.add_argument("--raw", help="Ordner der Lieferungen (Standard: data/raw)")
    p.add_argument("--data", help="Ordner der aufbereiteten Daten (Standard: data/processed)")
    p.add_argument(
        "--output",
        default=os.environ.get("BIELEFELD_REPORTS_DIR") or "reports",
        help="Zielordner (Standard: reports oder $BIELEFELD_REPORTS_DIR)",
    )
    p.add_argument(
        "--notebooks",
        help="Ordner der Kapitel-Notebooks (Standard: die mit dem Paket installierten)",
    )
    p.add_argument("--workers", type=positive_int, default=None, help="parallele Prozesse")
    p.add_argument("--skip-ingest", action="store_true", help="aufbereitete Daten verwenden")
    p.add_argument(
        "--force",
        action="store_true",
        help="alle Seiten neu berechnen, auch wenn sich nichts geändert hat",
    )

    p = sub.add_parser(
        "texte",
        help="leere Textdateien für die Einordnungen eines neuen Berichtsjahres anlegen",
    )
    p.add_argument("--period", required=True, help="Berichtsjahr, z. B. 2020")
    p.add_argument(
        "--texts",
        help="Ordner der Einordnungen (Standard: texts oder $BIELEFELD_TEXTS_DIR)",
    )

    p = sub.add_parser("scenario", help="Zuzugsszenario berechnen und exportieren")
    p.add_argument("--preset", help="low, medium oder high (im Paket mitgeliefert)")
    p.add_argument("--file", help="eigene Szenario-Datei (YAML)")
    p.add_argument("--period", help="nur Daten bis zu diesem Berichtsjahr verwenden")
    p.add_argument("--output", help="Zieldatei .csv oder .xlsx")
    p.add_argument("--data", help="Ordner der aufbereiteten Daten")
    return parser


@command("indicators")
def _indicators(args: argparse.Namespace) -> int:
    selected = _periods(args, periods(args.data))
    if args.output:
        check_output_file(args.output)
    df = compute(selected, data=args.data)
    # with --unsuppressed, export() itself warns that the file is for internal use only
    if args.output:
        out = export(df, args.output, args.format, unsuppressed=args.unsuppressed)
        print(f"{len(df)} Zeilen geschrieben nach {out}")
    else:
        if args.format != "csv":
            raise DataError("ohne --output ist nur --format csv möglich")
        with tempfile.TemporaryDirectory() as tmp:
            out = export(df, Path(tmp) / "indikatoren.csv", "csv", unsuppressed=args.unsuppressed)
            sys.stdout.write(out.read_text(encoding="utf-8"))
    return 0


@command("report")
def _report(args: argparse.Namespace) -> int:
    # every stage runs only when its inputs changed (content keys, see incremental.py)
    stamps = Stamps(args.data)
    if args.force:
        stamps.forget()
    if args.skip_ingest:
        selected = _periods(args, periods(args.data))
    else:
        selected = _periods(args, ingest.available_periods(args.raw))
        keys = {p: ingest_key(p, args.raw) for p in selected}
        todo = [
            p
            for p in selected
            if not stamps.fresh(f"ingest {p}", keys[p], [data_dir(args.data) / p])
        ]
        if todo:
            print(f"Lieferungen einlesen aus {raw_dir(args.raw)} ({', '.join(todo)}) …")
            files = IngestCache(args.data, reuse=not args.force)  # per file, see ingest_cache.py
            ingest.ingest_all(args.raw, args.data, periods=todo, cache=files)
            print(f"Lieferungen eingelesen: {files.summary()}.")
            for p in todo:
                stamps.record(f"ingest {p}", keys[p])
        else:
            print("Lieferungen unverändert, nichts einzulesen.")
        if ingest_official(None, args.data):  # data/official, only when changed
            print("Amtliche Tabellen eingelesen (data/official).")
    key = indicators_key(args.data)
    outputs = [data_dir(args.data) / name for name in ("indicators.parquet", "published.parquet")]
    if stamps.fresh("indicators", key, outputs):
        print("Indikatoren unverändert.")
    else:
        print("Indikatoren berechnen und geheimhalten …")
        # indicators.parquet, then the disclosure stage; unchanged parts from the stage cache
        print(build_stages(args.data, force=args.force).summary())
        stamps.record("indicators", key)
    rendered = runner.render_all(
        selected,
        notebooks_dir=args.notebooks or NOTEBOOKS_DIR,
        output_dir=args.output,
        data_dir=data_dir(args.data),
        workers=args.workers,
        force=args.force,
        prune=bool(args.all),  # the whole site: what no page used is dropped from the cache
    )
    if rendered.reused and rendered.executed_pages:  # an incremental build: say what ran
        shown = sorted(rendered.executed_pages)
        more = f" und {len(shown) - 12} weitere" if len(shown) > 12 else ""
        print(f"Neu berechnet: {', '.join(shown[:12])}{more}")
    index = Path(args.output).resolve() / "index.html"
    print(f"Bericht fertig: {index} ({rendered.summary()})")
    return 0


@command("ingest")
def _ingest(args: argparse.Namespace) -> int:
    periods = _periods(args, ingest.available_periods(args.raw))
    keys = {p: ingest_key(p, args.raw) for p in periods}
    stamps = Stamps(args.data)
    files = IngestCache(args.data, reuse=not args.force)
    progress = len(periods) > 1
    for out in ingest.ingest_all(
        args.raw, args.data, periods=periods, progress=progress, cache=files
    ):
        stamps.record(f"ingest {out.name}", keys[out.name])  # a later report need not repeat it
        print(f"{out.name}: aufbereitet nach {out}")
    print(f"Lieferungen eingelesen: {files.summary()}.")
    if ingest_official(None, args.data, force=True):
        print("amtliche Tabellen: aufbereitet nach", processed_official_dir(args.data))
    return 0


@command("texte")
def _texte(args: argparse.Namespace) -> int:
    created, kept = create_skeleton(args.period, CHAPTERS, args.texts)
    folder = texts_dir(args.texts) / str(Period.parse(args.period))
    for path in created:
        print(f"angelegt: {path}")
    if kept:
        print(f"{len(kept)} vorhandene Dateien unverändert gelassen")
    print(f"Einordnungen für {Period.parse(args.period)} in {folder}: {len(created)} neu angelegt")
    return 0


@command("scenario")
def _scenario(args: argparse.Namespace) -> int:
    if args.output:
        check_output_file(args.output, suffixes=(".csv", ".xlsx"))
    df = scenario.run(args.file or args.preset or "medium", data=args.data, up_to=args.period)
    for note in df.attrs.get("notes", []):
        print(note, file=sys.stderr)
    if args.output:
        print(scenario.export(df, args.output))
    else:
        table = neutralise_frame(scenario.needs_table(df))
        table.to_csv(sys.stdout, sep=";", index=False, decimal=",")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    warnings.simplefilter("default")
    try:
        with command_locks(args):
            return COMMANDS[args.command](args)
    except DataError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        if not isinstance(exc, ReportError):
            return report_failure(exc)
        print(f"Fehler im Bericht: {exc}", file=sys.stderr)
        return 1
    except (Exception, KeyboardInterrupt) as exc:
        # disk full, read-only store, internal errors: a German message, exit 1, no traceback
        return report_failure(exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
