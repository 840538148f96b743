"""Ingest: ``data/raw/<period>/`` -> ``data/processed/<period>/*.parquet``.

For one period, ingest reads the manifest ``sources.yaml`` (:mod:`bielefeld_integration.manifest`),
checks every file's sha256, runs the loader of its domain, validates the result against
:mod:`bielefeld_integration.tables` (schema and completeness), collects *all* problems and
reports them at once. Only when everything is good does it write the period's tables plus
``provenance.json`` — into a temporary folder that then replaces the previous one in one
step (:func:`bielefeld_integration.lock.swap_in`), so a failed or killed ingest leaves
earlier processed data byte-identical. The processed store is locked while it is written
(:func:`bielefeld_integration.lock.folder_lock`); leftovers of killed runs are cleaned
at the start.

A file that did not change since an earlier ingest (same bytes, same code) is not read
again: its validated table comes from the per-file cache
(:mod:`bielefeld_integration.ingest_cache`); the checks across the files of a delivery
always run on all of them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from bielefeld_integration.atomic import write_bytes_atomic, write_text_atomic
from bielefeld_integration.consistency import check_delivery
from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.ingest_cache import (
    IngestCache,
    entry_key,
    parquet_bytes,
    prune,
    referenced_keys,
)
from bielefeld_integration.limits import check_xlsx
from bielefeld_integration.lock import FolderBusy, clean_stale, folder_lock, recover, swap_in
from bielefeld_integration.manifest import (
    MANIFEST,
    MANIFEST_FIELDS,
    ManifestEntry,
    delivered_file,
    missing_domains,
    read_manifest,
    sha256_of,
)
from bielefeld_integration.periods import Period
from bielefeld_integration.sources import loaders
from bielefeld_integration.store import data_dir, raw_dir
from bielefeld_integration.tables import TABLES, check_coverage, check_dates, validate


def load_file(table: str, path: str | Path, *, reference_date: str) -> pd.DataFrame:
    """Read one delivery file into the processed table ``table`` (validated)."""
    try:
        fn = loaders()[table]
    except KeyError:
        raise DataError(f"kein Leser für den Bereich {table!r}", file=path) from None
    return validate(table, fn(Path(path), reference_date=reference_date), file=str(path))


def package_version() -> str:
    """The installed version of this package."""
    try:
        return version("bielefeld-integration")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "0+unknown"


def _load_entry(
    folder: Path, entry: ManifestEntry, period: Period, cache: IngestCache | None = None
) -> pd.DataFrame:
    path = delivered_file(folder, entry)  # verifies the manifest's sha256 (part of the key)
    if cache is None:
        return _read_entry(path, entry, period)
    return cache.fetch(entry_key(entry, period), lambda: _read_entry(path, entry, period))


def _read_entry(path: Path, entry: ManifestEntry, period: Period) -> pd.DataFrame:
    """Load, validate and check one delivered file (coverage, dates)."""
    if path.suffix.lower() == ".xlsx":
        check_xlsx(path)
    try:
        df = load_file(entry.domain, path, reference_date=entry.reference_date)
    except DataError:
        raise
    except Exception as exc:  # a reader must refuse what it cannot read, never crash
        raise DataError(
            f"Datei konnte nicht gelesen werden ({type(exc).__name__}); sie entspricht nicht "
            f"dem Format {entry.format!r}",
            file=path,
        ) from None
    problems = check_coverage(entry.domain, df, file=str(path))
    problems += check_dates(entry.domain, df, int(str(period)), file=str(path))
    if problems:
        raise DataErrors(problems)
    return df


def check_period(
    period: str | int | Period,
    raw: str | Path | None = None,
    cache: IngestCache | None = None,
):
    """Load and validate every delivery of a period without writing any processed table.

    Returns the manifest document, its entries and the tables; raises :class:`DataErrors`
    listing every problem found. With a ``cache``, unchanged files come from it and every
    file read successfully is stored in it (without: every file is read, nothing stored).
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
    errors: list[DataError] = missing_domains(entries, folder / MANIFEST)
    for entry in entries:
        try:
            tables[entry.domain] = _load_entry(folder, entry, p, cache)
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
    write_bytes_atomic(path, parquet_bytes(df))  # the writer of the cache entries, too


def ingest_period(
    period: str | int | Period,
    raw: str | Path | None = None,
    data: str | Path | None = None,
    *,
    cache: IngestCache | None = None,
) -> Path:
    """Ingest one period; return the folder of its processed tables.

    ``cache`` is the per-file cache to use (default: the one of the store ``data``, see
    :class:`~bielefeld_integration.ingest_cache.IngestCache`; ``reuse=False`` reads every
    file again); it also counts the files read and reused.

    Raises
    ------
    DataError
        For any problem with the delivery (all problems of the period in one message);
        the previously processed data of the period is then left untouched.
    """
    p = Period.parse(period)
    doc, entries, tables = check_period(p, raw, IngestCache(data) if cache is None else cache)
    root = data_dir(data)
    with folder_lock(root, what="Einlesen"):
        recover(root)
        clean_stale(root)
        target = root / str(p)
        tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{p}.", suffix=".tmp"))
        try:
            _write_period(tmp, p, doc, entries, tables)
            swap_in(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return target


def _write_period(
    folder: Path, p: Period, doc: dict, entries: list[ManifestEntry], tables: dict
) -> None:
    table_info = {}
    for name in sorted(tables):
        df = tables[name]
        _write_parquet(df, folder / f"{name}.parquet")
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
    write_text_atomic(
        folder / "provenance.json",
        json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )


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
    cache: IngestCache | None = None,
) -> list[Path]:
    """Ingest ``periods`` (default: every period in ``data/raw``).

    Problems of all periods are reported together; periods without problems are written
    even if another period fails. ``cache`` as in :func:`ingest_period`; at the end, the
    cache entries that no current manifest of the raw folder refers to are removed.
    """
    periods = available_periods(raw) if periods is None else periods
    if not periods:
        raise DataError(f"keine Lieferungen gefunden in {raw_dir(raw)}")
    iterator = periods
    if progress:
        iterator = tqdm(periods, desc="Einlesen", unit="Jahr")
    cache = IngestCache(data) if cache is None else cache
    done, errors = [], []
    for p in iterator:
        try:
            done.append(ingest_period(p, raw, data, cache=cache))
        except DataErrors as exc:
            errors.extend(exc.errors)
        except FolderBusy:
            raise
        except DataError as exc:
            errors.append(exc)
    keep = referenced_keys(raw)
    if keep is not None:  # else a period's manifest is unreadable: keep its entries
        prune(data, keep)
    if errors:
        raise DataErrors(errors)
    return done


__all__ = [
    "MANIFEST",
    "MANIFEST_FIELDS",
    "TABLES",
    "ManifestEntry",
    "available_periods",
    "check_period",
    "ingest_all",
    "ingest_period",
    "read_manifest",
    "sha256_of",
]
