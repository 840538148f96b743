"""Ingest: ``data/raw/<period>/`` -> ``data/processed/<period>/*.parquet``.

For one period, ingest reads the manifest ``sources.yaml``, checks every file's sha256, runs
the loader of its domain, validates the result against :mod:`bielefeld_integration.tables`,
collects *all* problems and reports them at once. Only when everything is good does it write
the period's tables plus ``provenance.json`` — into a temporary folder that then replaces
the previous one, so a failed ingest leaves earlier processed data byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
import yaml

from bielefeld_integration.consistency import check_delivery
from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.periods import Period
from bielefeld_integration.sources import load_file, loaders
from bielefeld_integration.store import data_dir, raw_dir
from bielefeld_integration.tables import TABLES

MANIFEST = "sources.yaml"
MANIFEST_FIELDS = ("file", "format", "domain", "reference_date", "origin", "sha256")


def package_version() -> str:
    """The installed version of this package."""
    try:
        return version("bielefeld-integration")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "0+unknown"


@dataclass(frozen=True)
class ManifestEntry:
    """One file of a delivery as described in ``sources.yaml``."""

    file: str
    format: str
    domain: str
    reference_date: str
    origin: str
    sha256: str


def sha256_of(path: Path) -> str:
    """The sha256 hex digest of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(folder: Path, period: Period) -> tuple[dict, list[ManifestEntry]]:
    """Read and check ``sources.yaml`` of a delivery folder; DataError on any problem."""
    path = folder / MANIFEST
    if not path.is_file():
        raise DataError("Lieferverzeichnis ohne Manifest sources.yaml", file=path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"Manifest ist kein gültiges YAML: {exc}", file=path) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise DataError("Manifest braucht eine Liste »files«", file=path)
    if str(doc.get("period", "")) != str(period):
        raise DataError(
            f"Manifest gehört zu Berichtsjahr {doc.get('period')!r}, Ordner zu {period}",
            file=path,
        )
    errors: list[DataError] = []
    entries: list[ManifestEntry] = []
    known = loaders()
    seen: set[str] = set()
    for i, item in enumerate(doc["files"], start=1):
        where = f"Eintrag {i}"
        if not isinstance(item, dict):
            errors.append(DataError(f"{where}: kein Schlüssel-Wert-Eintrag", file=path))
            continue
        missing = [f for f in MANIFEST_FIELDS if not item.get(f)]
        if missing:
            errors.append(DataError(f"{where}: Feld(er) fehlen: {', '.join(missing)}", file=path))
            continue
        entry = ManifestEntry(**{f: str(item[f]) for f in MANIFEST_FIELDS})
        if Path(entry.file).name != entry.file:
            errors.append(DataError(f"{where}: Dateiname {entry.file!r} mit Pfad", file=path))
            continue
        if entry.domain not in known:
            msg = f"{where} ({entry.file}): unbekannter Bereich {entry.domain!r}"
            errors.append(DataError(msg, file=path))
            continue
        if entry.domain in seen:
            errors.append(
                DataError(f"{where} ({entry.file}): Bereich {entry.domain!r} doppelt", file=path)
            )
            continue
        try:
            dt.date.fromisoformat(entry.reference_date)
        except ValueError:
            errors.append(
                DataError(
                    f"{where} ({entry.file}): Stichtag {entry.reference_date!r} ist kein "
                    "Datum JJJJ-MM-TT",
                    file=path,
                )
            )
            continue
        seen.add(entry.domain)
        entries.append(entry)
    if errors:
        raise DataErrors(errors, header=f"Manifest {path} ist fehlerhaft:")
    return doc, entries


def _load_entry(folder: Path, entry: ManifestEntry) -> pd.DataFrame:
    path = folder / entry.file
    if not path.is_file():
        raise DataError("im Manifest genannt, aber nicht geliefert", file=path)
    digest = sha256_of(path)
    if digest != entry.sha256:
        raise DataError(
            f"Prüfsumme stimmt nicht: Manifest {entry.sha256[:12]}…, Datei {digest[:12]}… "
            "(Datei verändert oder unvollständig übertragen)",
            file=path,
        )
    return load_file(entry.domain, path, reference_date=entry.reference_date)


def check_period(period: str | int | Period, raw: str | Path | None = None):
    """Load and validate every delivery of a period without writing anything.

    Returns the manifest document, its entries and the tables; raises :class:`DataErrors`
    listing every problem found.
    """
    p = Period.parse(period)
    folder = raw_dir(raw) / str(p)
    if not folder.is_dir():
        available = ", ".join(available_periods(raw)) or "keine"
        raise DataError(
            f"keine Lieferung für Berichtsjahr {p} (vorhanden: {available})", file=folder
        )
    doc, entries = read_manifest(folder, p)
    tables: dict[str, pd.DataFrame] = {}
    errors: list[DataError] = []
    for entry in entries:
        try:
            tables[entry.domain] = _load_entry(folder, entry)
        except DataErrors as exc:
            errors.extend(exc.errors)
        except DataError as exc:
            errors.append(exc)
    if not errors:
        files = {e.domain: str(folder / e.file) for e in entries}
        errors.extend(check_delivery(tables, files))
    if errors:
        raise DataErrors(errors, header=f"Lieferung {p}: {len(errors)} Problem(e) gefunden:")
    return doc, entries, tables


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    df = df.copy()
    df.attrs = {}  # reader metadata (footnotes, line maps) is not part of the processed table
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def ingest_period(
    period: str | int | Period, raw: str | Path | None = None, data: str | Path | None = None
) -> Path:
    """Ingest one period; return the folder of its processed tables.

    Raises
    ------
    DataError
        For any problem with the delivery (all problems of the period in one message);
        the previously processed data of the period is then left untouched.
    """
    p = Period.parse(period)
    doc, entries, tables = check_period(p, raw)
    target = data_dir(data) / str(p)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{p}.", suffix=".tmp"))
    try:
        table_info = {}
        for name in sorted(tables):
            df = tables[name]
            _write_parquet(df, tmp / f"{name}.parquet")
            table_info[name] = {"rows": len(df), "columns": list(df.columns)}
        record = {
            "period": str(p),
            "package_version": package_version(),
            "synthetic": bool(doc.get("synthetic", False)),
            "note": doc.get("note", ""),
            "inputs": [
                {
                    "file": e.file,
                    "sha256": e.sha256,
                    "domain": e.domain,
                    "format": e.format,
                    "reference_date": e.reference_date,
                    "origin": e.origin,
                }
                for e in sorted(entries, key=lambda e: e.file)
            ],
            "tables": table_info,
        }
        (tmp / "provenance.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _swap_in(new: Path, target: Path) -> None:
    """Replace folder ``target`` by ``new`` with renames only."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def available_periods(raw: str | Path | None = None) -> list[str]:
    """Periods that have a delivery folder with a manifest in ``data/raw``."""
    root = raw_dir(raw)
    if not root.is_dir():
        return []
    out = []
    for d in root.iterdir():
        if (d / MANIFEST).is_file():
            try:
                out.append(str(Period.parse(d.name)))
            except DataError:
                continue
    return sorted(out)


def ingest_all(
    raw: str | Path | None = None,
    data: str | Path | None = None,
    *,
    periods: list[str] | None = None,
    progress: bool = False,
) -> list[Path]:
    """Ingest ``periods`` (default: every period in ``data/raw``).

    Problems of all periods are reported together; periods without problems are written
    even if another period fails.
    """
    periods = available_periods(raw) if periods is None else periods
    if not periods:
        raise DataError(f"keine Lieferungen gefunden in {raw_dir(raw)}")
    iterator = periods
    if progress:
        from tqdm import tqdm

        iterator = tqdm(periods, desc="Einlesen", unit="Jahr")
    done, errors = [], []
    for p in iterator:
        try:
            done.append(ingest_period(p, raw, data))
        except DataErrors as exc:
            errors.extend(exc.errors)
        except DataError as exc:
            errors.append(exc)
    if errors:
        raise DataErrors(errors)
    return done


__all__ = ["TABLES", "available_periods", "check_period", "ingest_all", "ingest_period"]
