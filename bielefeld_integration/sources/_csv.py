"""Shared helpers for the semicolon CSV deliveries of the city's offices."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError


def read_text(path: Path, encodings: Sequence[str] = ("utf-8-sig", "cp1252")) -> str:
    """Read a text file trying the given encodings in order; DataError when none fits."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"Datei nicht lesbar: {exc.strerror}", file=path) from None
    if not raw.strip():
        raise DataError("Datei ist leer", file=path)
    if b"\x00" in raw[:4096]:
        utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
        kind = "UTF-16-Text" if utf16 else "Binärdatei (z. B. Excel)"
        raise DataError(
            f"keine Textdatei in der erwarteten Kodierung ({', '.join(encodings)}), "
            f"sondern {kind}: bitte als CSV (UTF-8 oder Windows-1252) speichern",
            file=path,
        )
    if not raw.endswith((b"\n", b"\r")):
        raise DataError(
            "Datei endet mitten in einer Zeile (abgeschnitten oder unvollständig übertragen?)",
            file=path,
            row=raw.count(b"\n") + 1,
        )
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DataError(f"Zeichenkodierung nicht erkannt (erwartet: {', '.join(encodings)})", file=path)


def read_table(
    path: Path,
    columns: Mapping[str, str],
    *,
    counts: Sequence[str] = ("count",),
    encodings: Sequence[str] = ("utf-8-sig", "cp1252"),
    skip_prefix: str = "#",
) -> pd.DataFrame:
    """Read a semicolon CSV with German headers into a frame with English column names.

    ``columns`` maps each German header to the column name of the processed table. Lines
    starting with ``skip_prefix`` (comments, e.g. the marker of synthetic data) are skipped.
    Every problem is a :class:`DataError` naming file, line and column: wrong delimiter,
    missing or unexpected headers, rows with the wrong number of cells, counts that are not
    non-negative whole numbers. The returned frame has a ``_line`` column with the 1-based
    line number of each row in the file (for later error messages).
    """
    text = read_text(path, encodings)
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].startswith(skip_prefix)):
        start += 1
    if start == len(lines):
        raise DataError("keine Kopfzeile gefunden", file=path)
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=";")
    header = [h.strip() for h in next(reader)]
    if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
        raise DataError(
            "falsches Trennzeichen: erwartet wird das Semikolon ';'", file=path, row=start + 1
        )
    missing = [h for h in columns if h not in header]
    if missing:
        raise DataError(
            f"Spalte(n) fehlen: {', '.join(missing)} (gefunden: {', '.join(header)})",
            file=path,
            row=start + 1,
        )
    extra = [h for h in header if h not in columns]
    if extra:
        raise DataError(f"unerwartete Spalte(n): {', '.join(extra)}", file=path, row=start + 1)
    records = []
    for offset, row in enumerate(reader):
        lineno = start + 2 + offset
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if row[0].startswith(skip_prefix):
            continue
        if len(row) != len(header):
            raise DataError(
                f"{len(row)} Felder statt {len(header)} (Datei abgeschnitten oder falsches "
                "Trennzeichen?)",
                file=path,
                row=lineno,
            )
        records.append([*(c.strip() for c in row), lineno])
    if not records:
        raise DataError("keine Datenzeilen", file=path)
    df = pd.DataFrame(records, columns=[*header, "_line"]).rename(columns=dict(columns))
    df.attrs["german_names"] = {v: k for k, v in columns.items()}
    for col in counts:
        df[col] = parse_counts(df, col, path)
    return df


def german_name(df: pd.DataFrame, col: str) -> str:
    """The header of column ``col`` as it stands in the delivered file."""
    return df.attrs.get("german_names", {}).get(col, col)


def parse_counts(df: pd.DataFrame, col: str, path: Path) -> pd.Series:
    """Parse a column of whole non-negative numbers (German thousands dots allowed)."""
    name = german_name(df, col)
    out = []
    for value, line in zip(df[col], df["_line"], strict=True):
        text = str(value).replace(".", "").replace(" ", "")
        if text in ("", "-"):
            out.append(0)
            continue
        if not text.lstrip("-").isdigit():
            raise DataError(f"keine ganze Zahl: {value!r}", file=path, row=int(line), column=name)
        n = int(text)
        if n < 0:
            raise DataError(f"negative Anzahl {n}", file=path, row=int(line), column=name)
        out.append(n)
    return pd.Series(out, index=df.index, dtype="int64")


def check_codes(df: pd.DataFrame, col: str, allowed, path: Path, what: str) -> None:
    """Raise DataError at the first value of ``col`` not in ``allowed``."""
    allowed = set(allowed)
    bad = ~df[col].isin(allowed)
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise DataError(
            f"unbekannte(r) {what} {df[col].iloc[i]!r}",
            file=path,
            row=int(df["_line"].iloc[i]),
            column=german_name(df, col),
        )


def check_unique(df: pd.DataFrame, keys: Sequence[str], path: Path) -> None:
    """Raise DataError at the first row whose key columns repeat an earlier row."""
    dup = df.duplicated(list(keys))
    if dup.any():
        i = dup.to_numpy().nonzero()[0][0]
        key = ", ".join(f"{k}={df[k].iloc[i]}" for k in keys)
        raise DataError(f"doppelter Schlüssel ({key})", file=path, row=int(df["_line"].iloc[i]))


def melt_counts(
    df: pd.DataFrame, keys: Sequence[str], count_columns: Sequence[str], var_name: str
) -> pd.DataFrame:
    """Turn one count column per category into rows: one per row of ``df`` and category.

    The result has the ``keys``, ``_line``, ``var_name`` (the name of the count column)
    and ``count`` (int64); rows run through ``count_columns`` in order, each over all rows
    of ``df``.
    """
    long = df.melt(
        id_vars=[*keys, "_line"],
        value_vars=list(count_columns),
        var_name=var_name,
        value_name="count",
    )
    long["count"] = long["count"].astype("int64")
    return long


def finish(df: pd.DataFrame, reference_date: str) -> pd.DataFrame:
    """Drop helper columns and add the reference date."""
    out = df.drop(columns=[c for c in df.columns if c.startswith("_")])
    out["reference_date"] = reference_date
    return out
