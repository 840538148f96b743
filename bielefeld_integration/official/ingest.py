"""Ingest of the real public tables: ``data/official/`` -> ``data/processed/official/``.

The same steps as the ingest of a period, for the official folder: the manifest is read and
every checksum compared (:mod:`.manifest`), each file is read by its reader (GENESIS tables
by :func:`sources.genesis.read_genesis`, the city's open data by :mod:`.open_data`, the
Kreise of the BKG shapefile by :mod:`.geometry`), validated against a pandera schema and
written atomically as ``<name>.parquet``. ``provenance.json`` lists every file with its
source, licence, attribution and checksum and marks the store as *official*: these tables
are never mixed with the synthetic demo periods (``data/processed/<period>/``), and nothing
reads them as demo data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

import bielefeld_integration.official as official_package
import bielefeld_integration.sources.genesis as genesis_package
from bielefeld_integration import reads
from bielefeld_integration.atomic import write_text_atomic, write_with
from bielefeld_integration.errors import DataError
from bielefeld_integration.official.geometry import read_kreise
from bielefeld_integration.official.manifest import (
    MANIFEST_FILE,
    OfficialEntry,
    check_files,
    load_manifest,
)
from bielefeld_integration.official.open_data import read_households, read_population_structure
from bielefeld_integration.official.paths import official_dir, processed_official_dir
from bielefeld_integration.sources.genesis import read_genesis

__all__ = ["PROVENANCE_FILE", "SCHEMAS", "ingest_official", "load_official", "official_provenance"]

PROVENANCE_FILE = "provenance.json"
_CORE = ["time", "region_code", "region_name", "value", "symbol"]

#: Schema of a GENESIS table in the official store (further dimension columns are text).
GENESIS_SCHEMA = pa.DataFrameSchema(
    {
        "time": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2}-\d{2})?$")),
        "region_code": pa.Column(str, pa.Check.str_length(min_value=1)),
        "region_name": pa.Column(str),
        "value": pa.Column(float, nullable=True),
        "symbol": pa.Column(str),
    },
    checks=pa.Check(
        lambda df: df["value"].notna() | (df["symbol"] != ""),
        error="jede Zeile hat eine Zahl oder ein Zeichen",
    ),
    strict=False,
)
_COUNT = pa.Column("int64", pa.Check.ge(0))
#: Schemas of the other official tables.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "bielefeld_population": pa.DataFrameSchema(
        {
            "year": pa.Column("int64", pa.Check.in_range(1990, 2100)),
            "stat_bezirk": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
            "stadtbezirk": pa.Column(str, pa.Check.str_matches(r"^\d{2}$")),
            "sex": pa.Column(str, pa.Check.isin(["m", "w"])),
            "age_band": pa.Column(str, pa.Check.isin(["1", "2", "3", "4"])),
            "count": _COUNT,
        },
        strict=True,
    ),
    "bielefeld_households": pa.DataFrameSchema(
        {
            "year": pa.Column("int64", pa.Check.in_range(1990, 2100)),
            "stat_bezirk": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
            "stadtbezirk": pa.Column(str, pa.Check.str_matches(r"^\d{2}$")),
            "households": _COUNT,
        },
        strict=False,
    ),
    "kreise": pa.DataFrameSchema(
        {
            "ags": pa.Column(str, pa.Check.str_matches(r"^\d{5}$")),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "kind": pa.Column(str),
            "ring": pa.Column("int64", pa.Check.ge(0)),
            "x": pa.Column(float),
            "y": pa.Column(float),
        },
        strict=True,
    ),
}


_OPEN_DATA_READERS = {
    "bielefeld_population": read_population_structure,
    "bielefeld_households": read_households,
}


def _validate(name: str, df: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases.head(5)
        cases = "; ".join(
            f"Spalte »{r.column}«: {r.check} ({r.failure_case!r})" for r in fc.itertuples()
        )
        raise DataError(
            f"Tabelle {name!r} entspricht nicht dem Schema: {cases}", file=path
        ) from None


def _genesis(entry: OfficialEntry, path: Path) -> pd.DataFrame:
    df = read_genesis(path)
    code = str(df.attrs.get("table") or df.attrs.get("table_code") or "").strip()
    if code and code != entry.table:
        raise DataError(
            f"die Datei enthält Tabelle {code}, das Manifest nennt {entry.table}", file=path
        )
    missing = [c for c in _CORE if c not in df.columns]
    if missing:
        raise DataError(f"der GENESIS-Leser lieferte keine Spalten {missing}", file=path)
    dims = [c for c in df.columns if c not in _CORE]
    out = df[["time", "region_code", "region_name", *dims, "value", "symbol"]].copy()
    for col in ["time", "region_code", "region_name", *dims, "symbol"]:
        out[col] = out[col].fillna("").astype(str).str.strip()
    out["value"] = out["value"].astype(float)
    out.columns = [str(c) for c in out.columns]
    return _validate(entry.name, out.reset_index(drop=True), GENESIS_SCHEMA, path)


def _periods(df: pd.DataFrame) -> list[str]:
    col = "time" if "time" in df.columns else "year" if "year" in df.columns else None
    return sorted({str(v) for v in df[col]}) if col else []


def _code_digest() -> str:
    """SHA-256 over the source of the readers that turn the official files into tables."""
    digest = hashlib.sha256()
    for package in (genesis_package, official_package):
        for path in sorted(Path(package.__file__).parent.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key(root: Path) -> str:
    manifest = (root / MANIFEST_FILE).read_bytes()
    return hashlib.sha256(manifest + _code_digest().encode()).hexdigest()


def _up_to_date(out_dir: Path, key: str) -> bool:
    try:
        doc = json.loads((out_dir / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    if doc.get("key") != key:
        return False
    return all((out_dir / f"{name}.parquet").is_file() for name in doc.get("written", []))


def ingest_official(
    official: str | Path | None = None, data: str | Path | None = None, *, force: bool = False
) -> list[Path]:
    """Check, read, validate and write every official table; return the written files.

    Parameters
    ----------
    official
        The folder of real tables (default :func:`paths.official_dir`).
    data
        The processed store; the tables go to ``<data>/official/`` (default
        :func:`paths.processed_official_dir`).

    force
        Ingest even if the store already holds the tables of this manifest, read by this
        version of the readers (otherwise nothing is done and ``[]`` returned).

    Raises
    ------
    DataError
        A checksum differs, a file is missing or unlisted, a reader refuses a file or a
        table fails its schema. Nothing is written then: earlier outputs stay as they were.
    """
    root = official_dir(official)
    entries = load_manifest(root)
    check_files(entries, root)
    out_dir = processed_official_dir(data)
    key = _key(root)
    if not force and _up_to_date(out_dir, key):
        return []
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, list[OfficialEntry]] = {}
    for e in entries:
        path = root / e.file
        files.setdefault(e.name, []).append(e)
        if e.kind == "genesis":
            tables[e.name] = _genesis(e, path)
        elif e.kind == "open_data":
            reader = _OPEN_DATA_READERS.get(e.name)
            if reader is None:
                known = ", ".join(_OPEN_DATA_READERS)
                raise DataError(f"kein Leser für offene Daten »{e.name}« (bekannt: {known})")
            tables[e.name] = _validate(e.name, reader(path), SCHEMAS[e.name], path)
        elif e.kind == "geometry" and e.file.endswith(".shp"):
            tables[e.name] = _validate(e.name, read_kreise(path), SCHEMAS[e.name], path)
    written = []
    for name, df in tables.items():
        target = out_dir / f"{name}.parquet"
        write_with(target, lambda tmp, df=df: df.to_parquet(tmp, index=False))
        written.append(target)
    doc = {
        "key": key,
        "written": sorted(tables),
        "official": True,
        "synthetic": False,
        "note": "Amtliche Daten und offene Daten der Stadt Bielefeld, unverändert eingelesen; "
        "keine synthetischen Demodaten.",
        "tables": {
            name: {
                "rows": len(tables[name]) if name in tables else 0,
                "periods": _periods(tables[name]) if name in tables else [],
                "files": [
                    {
                        "file": e.file,
                        "name": e.name,
                        "kind": e.kind,
                        "table": e.table,
                        "title": e.title,
                        "publisher": e.publisher,
                        "repository": e.repository,
                        "path": e.path,
                        "commit": e.commit,
                        "licence": e.licence,
                        "attribution": e.attribution,
                        "source_note": e.source_note,
                        "sha256": e.sha256,
                    }
                    for e in group
                ],
            }
            for name, group in sorted(files.items())
        },
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    written.append(write_text_atomic(out_dir / PROVENANCE_FILE, text))
    return written


def official_provenance(data: str | Path | None = None) -> dict:
    """The ``provenance.json`` of the official store (DataError if nothing was ingested)."""
    path = processed_official_dir(data) / PROVENANCE_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            "keine amtlichen Tabellen aufbereitet (zuerst »bielefeld-integration ingest«)",
            file=path,
        ) from None
    if doc.get("official") is not True:
        raise DataError("Ordner ist nicht als amtlich markiert", file=path)
    return doc


def load_official(name: str, data: str | Path | None = None) -> pd.DataFrame:
    """One ingested official table; ``attrs`` carry its source notes and licence texts."""
    doc = official_provenance(data)
    if name not in doc["tables"]:
        known = ", ".join(sorted(doc["tables"]))
        raise DataError(f"unbekannte amtliche Tabelle {name!r}; vorhanden: {known}")
    path = processed_official_dir(data) / f"{name}.parquet"
    reads.read_file(path)  # also when missing, and whichever reader pandas picks
    try:
        df = pd.read_parquet(path)
    except FileNotFoundError:
        raise DataError("amtliche Tabelle fehlt im aufbereiteten Bestand", file=path) from None
    info = doc["tables"][name]
    df.attrs["official"] = True
    df.attrs["table"] = info["files"][0]["table"]
    df.attrs["source_note"] = info["files"][0]["source_note"]
    df.attrs["attribution"] = info["files"][0]["attribution"]
    return df
