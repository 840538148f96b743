"""Shared helpers for the semicolon CSV deliveries of the city's offices."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.limits import check_cells, check_field, check_file_size, limits


def read_text(path: Path, encodings: Sequence[str] = ("utf-8-sig", "cp1252")) -> str:
    """Read a text file trying the given encodings in order; DataError when none fits."""
    try:
        check_file_size(path)
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
    rows = csv_rows(lines[start:], path, first_line=start + 1)
    try:
        _, header = next(rows)
    except StopIteration:  # pragma: no cover - a non-blank line exists
        raise DataError("keine Kopfzeile gefunden", file=path) from None
    header = [h.strip() for h in header]
    if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
        raise DataError(
            "falsches Trennzeichen: erwartet wird das Semikolon ';'", file=path, row=start + 1
        )
    check_header(header, columns, path, start + 1)
    records = []
    for lineno, row in rows:
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
    check_cells(len(records) * len(header), path)
    if not records:
        raise DataError("keine Datenzeilen", file=path)
    df = pd.DataFrame(records, columns=[*header, "_line"]).rename(columns=dict(columns))
    df.attrs["german_names"] = {v: k for k, v in columns.items()}
    for col in counts:
        df[col] = parse_counts(df, col, path)
    return df


def csv_rows(lines: Sequence[str], path: Path, *, first_line: int):
    """Yield ``(line number, cells)`` of semicolon CSV ``lines`` within the limits.

    ``first_line`` is the 1-based line number of ``lines[0]`` in the file. A quote that
    is never closed (a cell running over a line end), a cell longer than the field limit
    and any other CSV syntax error is a DataError naming the line; the cell itself is not
    repeated in the message.
    """
    reader = csv.reader((ln + "\n" for ln in lines), delimiter=";")
    limit = limits().max_field_chars
    while True:
        lineno = first_line + reader.line_num  # the line the next row starts on
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise DataError(
                    "Feld ist zu lang (über 131.072 Zeichen; fehlendes Anführungszeichen?)",
                    file=path,
                    row=lineno,
                ) from None
            raise DataError(
                f"Zeile ist kein gültiges CSV ({exc}); steht ein Anführungszeichen allein?",
                file=path,
                row=lineno,
            ) from None
        for cell in row:
            if len(cell) > limit:
                check_field(cell, path, lineno)
            if "\n" in cell or "\r" in cell:
                raise DataError(
                    "Anführungszeichen ohne Gegenstück: ein Feld reicht über das Zeilenende hinaus",
                    file=path,
                    row=lineno,
                )
        yield lineno, row


def check_header(header: Sequence[str], columns: Mapping[str, str], path: Path, row: int) -> None:
    """DataError for missing or unexpected columns (the header is cut in the message)."""
    missing = [h for h in columns if h not in header]
    if missing:
        found = ", ".join(header)
        if len(found) > 120:
            found = found[:120] + " …"
        raise DataError(
            f"Spalte(n) fehlen: {', '.join(missing)} (gefunden: {found})",
            file=path,
            row=row,
        )
    extra = [h for h in header if h not in columns]
    if extra:
        listed = ", ".join(h if len(h) <= 40 else h[:40] + " …" for h in extra[:10])
        raise DataError(f"unerwartete Spalte(n): {listed}", file=path, row=row)


def german_name(df: pd.DataFrame, col: str) -> str:
    """The header of column ``col`` as it stands in the delivered file."""
    return df.attrs.get("german_names", {}).get(col, col)


#: A count as the city's CSV deliveries write it: digits, optionally grouped by dots in
#: threes (``1.234``); ``-`` is the table sign for "nothing" (zero).
_COUNT = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+")


def shown(value: object, width: int = 40) -> str:
    """``repr`` of a cell for an error message, cut to ``width`` characters."""
    text = str(value)
    if len(text) > width:
        return repr(text[:width]) + f" … ({len(text)} Zeichen)"
    return repr(text)


def parse_count(value: object, path: Path, line: int | None, column: str | None) -> int:
    """One count cell as a whole number ≥ 0, or DataError naming file, line and column.

    Accepted are ASCII digits, optionally with German thousands dots in groups of three
    (``1.234``), and ``-`` (nothing, i.e. zero). An empty cell is *missing*, not zero, and
    is refused like ``12.5``, ``1.2.3``, ``1²``, ``1e3`` or a number above the plausible
    maximum (``BIELEFELD_MAX_COUNT``).
    """
    text = str(value).strip()
    if text == "-":
        return 0
    if not text:
        raise DataError(
            "Anzahl fehlt (leeres Feld; für »nichts« steht »0« oder »-«)",
            file=path,
            row=line,
            column=column,
        )
    if text.startswith("-") and _COUNT.fullmatch(text[1:]):
        raise DataError(f"negative Anzahl {text}", file=path, row=line, column=column)
    if not _COUNT.fullmatch(text):
        raise DataError(
            f"keine ganze Zahl: {shown(text)} (erwartet Ziffern, Tausender mit Punkt: 1.234)",
            file=path,
            row=line,
            column=column,
        )
    n = int(text.replace(".", ""))
    limit = limits().max_count
    if n > limit:
        raise DataError(
            f"unplausibel große Anzahl {shown(text)} (höchstens {limit:,} erwartet; "
            "Grenze änderbar mit BIELEFELD_MAX_COUNT)".replace(",", "."),
            file=path,
            row=line,
            column=column,
        )
    return n


def parse_counts(df: pd.DataFrame, col: str, path: Path) -> pd.Series:
    """Parse a column of counts with :func:`parse_count` (int64)."""
    name = german_name(df, col)
    out = [
        parse_count(value, path, int(line), name)
        for value, line in zip(df[col], df["_line"], strict=True)
    ]
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
