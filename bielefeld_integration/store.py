"""Read the processed store: tables per period, the indicator table, provenance.

The store lives in ``data/processed/`` below the working directory (or where the environment
variable ``BIELEFELD_DATA_DIR`` points, or an explicit ``data_dir``); raw deliveries in
``data/raw/`` (or ``BIELEFELD_RAW_DIR``). Defaults never depend on where the package is
installed::

    data/processed/<period>/<table>.parquet
    data/processed/<period>/provenance.json
    data/processed/indicators.parquet      (all values, internal)
    data/processed/published.parquet       (disclosure-controlled: the only published table)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from bielefeld_integration import reads
from bielefeld_integration.errors import DataError
from bielefeld_integration.periods import Period
from bielefeld_integration.tables import TABLES

#: The indicator table (unsuppressed, internal) and the published table in the store.
INDICATORS_FILE = "indicators.parquet"
PUBLISHED_FILE = "published.parquet"
#: Parquet metadata key of the published table: SHA-256 of the indicator table it protects.
PUBLISHED_SOURCE_KEY = "bielefeld_integration.source_sha256"


def raw_dir(raw: str | Path | None = None) -> Path:
    """The folder of raw deliveries: ``raw``, else ``$BIELEFELD_RAW_DIR``, else ``./data/raw``."""
    if raw not in (None, ""):
        return Path(raw)
    return Path(os.environ.get("BIELEFELD_RAW_DIR") or Path("data") / "raw")


def data_dir(data: str | Path | None = None) -> Path:
    """The processed store: ``data``, else ``$BIELEFELD_DATA_DIR``, else ``./data/processed``."""
    if data not in (None, ""):
        return Path(data)
    return Path(os.environ.get("BIELEFELD_DATA_DIR") or Path("data") / "processed")


def periods(data: str | Path | None = None, *, upto: str | int | Period | None = None) -> list[str]:
    """The periods available in the processed store, oldest first.

    Parameters
    ----------
    data:
        The processed store; default ``data/processed``.
    upto:
        Only the periods up to and including this one (a report page of 2017 depends on
        the periods it shows, not on a 2019 that arrived later).

    >>> periods()  # doctest: +SKIP
    ['2014', '2015', '2016', '2017', '2018', '2019']
    """
    root = data_dir(data)
    last = "" if upto is None else str(Period.parse(upto))
    reads.record("periods", root, last)
    found = []
    with reads.paused():  # the read is the list of periods, not the folder's other names
        if not root.is_dir():
            return []
        for p in root.iterdir():
            if p.is_dir() and (p / "provenance.json").is_file():
                try:
                    found.append(str(Period.parse(p.name)))
                except DataError:
                    continue
    return sorted(p for p in found if not last or p <= last)


def load(table: str, period: str | int | Period, data: str | Path | None = None) -> pd.DataFrame:
    """One processed table of one period.

    Parameters
    ----------
    table:
        A table name of :data:`bielefeld_integration.tables.TABLES`, e.g. ``"population"``.
    period:
        The reporting year, e.g. ``"2017"``.
    data:
        The processed store; default ``data/processed``.

    Examples
    --------
    >>> pop = load("population", "2017")  # doctest: +SKIP
    >>> pop.groupby("citizenship")["count"].sum()  # doctest: +SKIP
    """
    if table not in TABLES:
        raise DataError(f"unbekannte Tabelle {table!r}; bekannt: {', '.join(sorted(TABLES))}")
    p = Period.parse(period)
    folder = data_dir(data) / str(p)
    reads.record("exists", folder / "provenance.json")  # whether the year is processed
    if not (folder / "provenance.json").is_file():
        with reads.paused():  # the message names the others; the outcome does not need them
            known = ", ".join(periods(data)) or "keine"
        raise DataError(
            f"Berichtsjahr {p} ist nicht aufbereitet (vorhanden: {known}); zuerst "
            f"`bielefeld-integration ingest --period {p}` ausführen"
        )
    path = folder / f"{table}.parquet"
    reads.read_file(path)
    if not path.is_file():
        raise DataError(f"Tabelle {table!r} wurde für {p} nicht geliefert", file=path)
    return pd.read_parquet(path)


def has_table(table: str, period: str | int | Period, data: str | Path | None = None) -> bool:
    """Whether ``table`` was delivered for ``period``."""
    path = data_dir(data) / str(Period.parse(period)) / f"{table}.parquet"
    reads.record("exists", path)
    return path.is_file()


def provenance(period: str | int | Period, data: str | Path | None = None) -> dict:
    """The provenance record of a processed period (inputs with hashes, package version)."""
    path = data_dir(data) / str(Period.parse(period)) / "provenance.json"
    reads.read_file(path)
    if not path.is_file():
        raise DataError(f"keine Herkunftsangaben für {period}", file=path)
    return json.loads(path.read_text(encoding="utf-8"))


def summarize_provenance(record: dict) -> dict:
    """What pages other than the methods page say about a period's inputs.

    Returns ``package_version``, ``synthetic`` and ``inputs`` (the number of delivery
    files) of a provenance record (:func:`provenance`).
    """
    return {
        "package_version": str(record.get("package_version", "")),
        "synthetic": bool(record.get("synthetic", False)),
        "inputs": len(record.get("inputs", [])),
    }


def provenance_summary(period: str | int | Period, data: str | Path | None = None) -> dict:
    """:func:`summarize_provenance` of a processed period.

    A report page that shows only this depends on it, not on every file's checksum: a
    corrected delivery does not make it run again.
    """
    path = data_dir(data) / str(Period.parse(period)) / "provenance.json"
    reads.record("summary", path)
    with reads.paused():
        return summarize_provenance(provenance(period, data))


def published(data: str | Path | None = None) -> pd.DataFrame:
    """The published (disclosure-controlled) indicator table of the store.

    Written once per build by the disclosure stage
    (:func:`bielefeld_integration.disclosure.stage.publish`); every table, chart, sentence
    and download of the reports takes its indicator values from here.

    Parameters
    ----------
    data : str or Path, optional
        The processed store; default ``data/processed``.

    Raises
    ------
    DataError
        If the file is missing or was made from another indicator table than the stored one
        (run the build again).

    Examples
    --------
    >>> pub = published()  # doctest: +SKIP
    >>> pub.query("indicator == 'DEM-02' and area_level == 'stadt'")  # doctest: +SKIP
    """
    reads.read_published(data_dir(data), "*")
    return read_published_table(data)


def read_published_table(data: str | Path | None = None) -> pd.DataFrame:
    """The published table, read without recording it as a page's dependency.

    For callers that record themselves which rows they use (the page view of
    :class:`bielefeld_integration.present.chapter_data.ChapterData`); everything else calls
    :func:`published`. Raises :class:`DataError` as :func:`published` does.
    """
    root = data_dir(data)
    path = root / PUBLISHED_FILE
    if not path.is_file():
        raise DataError(
            "keine veröffentlichte Indikatortabelle; zuerst `bielefeld-integration report` "
            "ausführen (oder `bielefeld_integration.pipeline.prepare`)",
            file=path,
        )
    source = root / INDICATORS_FILE
    with reads.paused():  # the callers record the rows they use
        meta = pq.read_schema(path).metadata or {}
        recorded = meta.get(PUBLISHED_SOURCE_KEY.encode(), b"").decode()
        if source.is_file() and recorded != hashlib.sha256(source.read_bytes()).hexdigest():
            raise DataError(
                "die veröffentlichte Tabelle passt nicht zur Indikatortabelle (veraltet); die "
                "Geheimhaltung muss neu laufen: `bielefeld-integration report` ausführen",
                file=path,
            )
        return pd.read_parquet(path)
