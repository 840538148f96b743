"""Helpers shared by the loaders of the education, labour and civic deliveries.

German labels to codes (tolerant of case, blanks and umlaut transliteration), Stadtbezirk
keys given as code, name or both, dates and years checked against the manifest, a loader for
the plain office CSVs of one count keyed by district and labels, the preamble-headed CSV
exports of the Bundesagentur für Arbeit, checks that parts sum to a
stated total, and the selection of Bielefeld's cells from a GENESIS table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import KREIS_CODE, STADTBEZIRKE
from bielefeld_integration.limits import check_cells, limits
from bielefeld_integration.sources._csv import (
    check_header,
    check_unique,
    csv_rows,
    finish,
    parse_counts,
    read_table,
    read_text,
)
from bielefeld_integration.sources.genesis import STANDARD_COLUMNS, read_genesis

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SB_RE = re.compile(r"^(\d{1,2})(?:\s+(.*))?$")


def norm(text: object) -> str:
    """Normalise a label for lookups: casefold, umlauts transliterated, blanks collapsed."""
    s = str(text).casefold().translate(_TRANSLIT).replace("_", " ")
    return " ".join(s.split())


def map_labels(
    df: pd.DataFrame,
    col: str,
    mapping: Mapping[str, str],
    path: Path,
    *,
    header: str,
    what: str,
) -> pd.Series:
    """Map the German labels in ``df[col]`` to codes; DataError at the first unknown label.

    ``mapping`` keys are compared after :func:`norm`; ``header`` is the column name in
    the file (for the message), ``what`` says what the column holds.
    """
    lookup = {norm(k): v for k, v in mapping.items()}
    out = df[col].map(lambda v: lookup.get(norm(v)))
    bad = out.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        known = ", ".join(dict.fromkeys(mapping))
        raise DataError(
            f"unbekannte(r) {what} {df[col].iloc[i]!r} (erwartet: {known})",
            file=path,
            row=int(df["_line"].iloc[i]),
            column=header,
        )
    return out.astype(str)


def district_code(value: str) -> str | None:
    """Stadtbezirk code of ``"01"``, ``"1"``, ``"Mitte"`` or ``"01 Mitte"``; None if unknown."""
    text = " ".join(str(value).split())
    m = _SB_RE.match(text)
    if m:
        code = m.group(1).zfill(2)
        if code not in STADTBEZIRKE:
            return None
        if m.group(2) and norm(m.group(2)) != norm(STADTBEZIRKE[code]):
            return None
        return code
    for code, name in STADTBEZIRKE.items():
        if norm(name) == norm(text):
            return code
    return None


def map_districts(df: pd.DataFrame, col: str, path: Path, *, header: str) -> pd.Series:
    """Map a column of Stadtbezirk codes or names to codes; DataError at the first unknown."""
    out = df[col].map(district_code)
    bad = out.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"unbekannter Stadtbezirk {df[col].iloc[i]!r} (erwartet: Schlüssel 01–10 oder Name, "
            f"z. B. »01 Mitte«)",
            file=path,
            row=int(df["_line"].iloc[i]),
            column=header,
        )
    return out.astype(str)


def german_date(text: str) -> str | None:
    """ISO date of a German date ``dd.mm.yyyy`` found in ``text``; None if there is none."""
    m = _DATE_RE.search(str(text))
    if not m:
        return None
    d, mth, y = m.groups()
    return f"{y}-{int(mth):02d}-{int(d):02d}"


def check_dates(
    df: pd.DataFrame, col: str, reference_date: str, path: Path, *, header: str
) -> None:
    """Every cell of ``col`` must hold the German form of the manifest's reference date."""
    for value, line in zip(df[col], df["_line"], strict=True):
        iso = german_date(value)
        if iso is None:
            raise DataError(
                f"kein Datum (TT.MM.JJJJ): {value!r}", file=path, row=int(line), column=header
            )
        if iso != reference_date:
            raise DataError(
                f"Stichtag {value} weicht vom Stichtag im Manifest ({reference_date}) ab",
                file=path,
                row=int(line),
                column=header,
            )


def year_of(value: str) -> str | None:
    """The (end) year of ``"2016"`` or a school year ``"2015/16"``; None otherwise."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    m = re.fullmatch(r"(\d{4})\s*/\s*(\d{2}|\d{4})", text)
    if m:
        start = int(m.group(1))
        end = m.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_year == start + 1:
            return str(end_year)
    return None


def check_years(
    df: pd.DataFrame, col: str, reference_date: str, path: Path, *, header: str
) -> None:
    """Every cell of ``col`` must give the year of the manifest's reference date."""
    for value, line in zip(df[col], df["_line"], strict=True):
        year = year_of(value)
        if year is None:
            raise DataError(
                f"keine Jahresangabe: {value!r}", file=path, row=int(line), column=header
            )
        if year != reference_date[:4]:
            raise DataError(
                f"Berichtsjahr {value} passt nicht zum Stichtag im Manifest ({reference_date})",
                file=path,
                row=int(line),
                column=header,
            )


def check_sum(
    total: int,
    parts: int,
    path: Path,
    *,
    what: str,
    row: int | None = None,
    column: str | None = None,
) -> None:
    """DataError when the parts do not add up to the stated total."""
    if total != parts:
        raise DataError(
            f"{what}: die Teile ergeben {parts}, angegeben ist {total}",
            file=path,
            row=row,
            column=column,
        )


# --- tables keyed by Stadtbezirk and labels -----------------------------------------------------

#: Label columns of a table: column -> (German labels to codes, what the column holds in German).
LabelColumns = Mapping[str, tuple[Mapping[str, str], str]]


class PeriodCheck(Protocol):
    """Signature of :func:`check_dates` and :func:`check_years`."""

    def __call__(
        self, df: pd.DataFrame, col: str, reference_date: str, path: Path, *, header: str
    ) -> None: ...


def map_key_columns(
    df: pd.DataFrame, labels: LabelColumns, path: Path, *, headers: Mapping[str, str]
) -> list[str]:
    """Replace the key values of ``df`` by their codes, in place; return the key columns.

    The column ``stadtbezirk``, if ``headers`` names one, is mapped first with
    :func:`map_districts`, then each column of ``labels`` in order with :func:`map_labels`,
    so the first unknown value in that order is the one reported. ``headers`` maps each
    column to its header in the file (for messages). The keys are ``stadtbezirk`` (if
    any) followed by the columns of ``labels``.
    """
    keys: list[str] = []
    if "stadtbezirk" in headers:
        df["stadtbezirk"] = map_districts(df, "stadtbezirk", path, header=headers["stadtbezirk"])
        keys.append("stadtbezirk")
    for col, (mapping, what) in labels.items():
        df[col] = map_labels(df, col, mapping, path, header=headers[col], what=what)
        keys.append(col)
    return keys


def load_keyed_counts(
    path: Path,
    reference_date: str,
    columns: Mapping[str, str],
    labels: LabelColumns,
    *,
    period: str,
    check_period: PeriodCheck,
) -> pd.DataFrame:
    """Read an office CSV with one ``count`` column keyed by Stadtbezirk and/or labels.

    ``columns`` maps the German headers to column names as for
    :func:`~bielefeld_integration.sources._csv.read_table`; the column ``period`` holds the
    reference date or year and is checked with ``check_period`` (:func:`check_dates` or
    :func:`check_years`). Then the keys are mapped with :func:`map_key_columns` and must
    be unique. Returns the key columns, ``count`` and ``reference_date``.
    """
    df = read_table(path, columns)
    headers = {col: header for header, col in columns.items()}
    check_period(df, period, reference_date, path, header=headers[period])
    keys = map_key_columns(df, labels, path, headers=headers)
    check_unique(df, keys, path)
    return finish(df[[*keys, "count", "_line"]], reference_date)


# --- CSV exports with a preamble (Bundesagentur für Arbeit) ----------------------------------


def read_preamble_table(
    path: Path,
    columns: Mapping[str, str],
    *,
    counts: Sequence[str],
) -> tuple[list[str], pd.DataFrame]:
    """Read a semicolon CSV whose header follows some preamble lines.

    The header is the first line whose first cell equals the first German header in
    ``columns``; the lines before it are returned as the preamble (stripped; index + 1 is
    the line number). Data
    rows end at the first blank line (a footer may follow). The frame has English column
    names (from ``columns``), a ``_line`` column and parsed ``counts``; DataError names file,
    line and column for a missing header, a missing or unexpected column, a wrong delimiter
    or a row with the wrong number of cells.
    """
    lines = read_text(path, ("utf-8-sig", "cp1252")).splitlines()
    first = next(iter(columns))
    start = None
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.split(";")]
        if cells[0] == first and len(cells) > 1:
            start = i
            break
        if "," in line and norm(line).startswith(norm(first) + ","):
            raise DataError(
                "falsches Trennzeichen: erwartet wird das Semikolon ';'", file=path, row=i + 1
            )
    if start is None:
        raise DataError(
            f"keine Kopfzeile gefunden (erwartet: Zeile beginnend mit »{first}«)", file=path
        )
    preamble = [ln.strip() for ln in lines[:start]]
    _, header = next(csv_rows(lines[start : start + 1], path, first_line=start + 1))
    header = [h.strip() for h in header]
    check_header(header, columns, path, start + 1)
    body: list[str] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        body.append(line)
    records = []
    for lineno, row in csv_rows(body, path, first_line=start + 2):
        if len(row) != len(header):
            raise DataError(f"{len(row)} Felder statt {len(header)}", file=path, row=lineno)
        records.append([*(c.strip() for c in row), lineno])
    check_cells(len(records) * len(header), path)
    if not records:
        raise DataError("keine Datenzeilen", file=path, row=start + 1)
    df = pd.DataFrame(records, columns=[*header, "_line"]).rename(columns=dict(columns))
    for col in counts:
        df[col] = parse_counts(df, col, path)
    return preamble, df


def _is_total(v: object) -> bool:
    return str(v).strip() == "" or norm(v) == "insgesamt" or norm(v).endswith(" insgesamt")


def split_totals(df: pd.DataFrame, keys: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a table into its detail rows and its total rows.

    A total row has ``Insgesamt`` (or ``… insgesamt``, or nothing) in its first key column.
    Check the totals with :func:`check_totals` once the detail rows' labels are known to
    be valid.
    """
    total_mask = df[keys[0]].map(_is_total).to_numpy(dtype=bool)
    return df[~total_mask].copy(), df[total_mask].copy()


def check_totals(
    details: pd.DataFrame,
    totals: pd.DataFrame,
    keys: Sequence[str],
    count: str,
    path: Path,
    *,
    headers: Mapping[str, str],
) -> None:
    """Each total row must equal the sum of the detail rows it covers.

    In the key columns of a total row (after the first), ``Insgesamt`` or an empty cell
    means "all", any other label restricts the sum to the detail rows with that label
    (compare the labels as delivered, before mapping). DataError names the total's line.
    """
    for _, row in totals.iterrows():
        sel = np.ones(len(details), dtype=bool)
        for k in keys[1:]:
            if not _is_total(row[k]):
                sel &= (details[k] == row[k]).to_numpy()
        check_sum(
            int(row[count]),
            int(details.loc[sel, count].sum()),
            path,
            what="Summenzeile stimmt nicht",
            row=int(row["_line"]),
            column=headers.get(count, count),
        )


# --- GENESIS ----------------------------------------------------------------------------------


def genesis_bielefeld(path: Path, reference_date: str, *, keep: Sequence[str] = ()) -> pd.DataFrame:
    """Bielefeld's cells of a GENESIS table for the manifest's reference date.

    Reads the file with :func:`~bielefeld_integration.sources.genesis.read_genesis`, keeps
    the rows of Bielefeld (Kreis ``05711``, else Gemeinde ``05711000``) and of
    ``reference_date`` (the year alone for annual tables; other stacked periods are left
    out). Dimension columns not named in ``keep`` are reduced to their total
    (``Insgesamt`` / empty). ``value`` of a ``-`` cell becomes 0; other symbols stay NaN
    with their ``symbol``. DataError when Bielefeld or the reference date is missing.
    """
    df = read_genesis(path)
    # a table at Kreis and Gemeinde level holds Bielefeld twice: prefer the Kreis
    code = KREIS_CODE if (df.region_code == KREIS_CODE).any() else f"{KREIS_CODE}000"
    bi = df[df.region_code == code]
    if bi.empty:
        raise DataError(
            f"Bielefeld ({KREIS_CODE}) fehlt in der GENESIS-Tabelle "
            f"{df.attrs.get('table_code') or ''}".rstrip(),
            file=path,
        )
    times = sorted(set(bi.time))
    want = {reference_date, reference_date[:4]}
    bi = bi[bi.time.isin(want)]
    if bi.empty:
        raise DataError(
            f"Stichtag der Tabelle ({', '.join(times)}) weicht vom Stichtag im Manifest "
            f"({reference_date}) ab",
            file=path,
        )
    dims = [c for c in bi.columns if c not in STANDARD_COLUMNS and not c.endswith("_code")]
    for d in dims:
        if any(d.startswith(k) for k in keep):
            continue
        is_total = (bi[d].str.strip() == "") | (bi[d].map(norm) == "insgesamt")
        if not is_total.any():
            raise DataError(
                f"Merkmal »{d}« ohne Summe »Insgesamt« – Tabelle nicht lesbar", file=path, column=d
            )
        bi = bi[is_total]
    out = bi.copy()
    out.loc[out.symbol == "-", "value"] = 0.0
    return out


def genesis_column(df: pd.DataFrame, prefixes: Sequence[str], path: Path, what: str) -> str:
    """The dimension column whose name starts with one of ``prefixes``."""
    for c in df.columns:
        if any(norm(c).startswith(norm(p)) for p in prefixes):
            return c
    raise DataError(
        f"Merkmal für {what} fehlt in der GENESIS-Tabelle (erwartet: {' / '.join(prefixes)})",
        file=path,
    )


def genesis_count(value: float, symbol: str, path: Path, where: str) -> int:
    """A GENESIS cell as a non-negative whole number; DataError for secret/unknown cells."""
    if np.isnan(value):
        raise DataError(f"Zelle {where} enthält »{symbol}« statt einer Zahl", file=path)
    if value < 0 or value != int(value):
        raise DataError(f"Zelle {where}: keine nichtnegative ganze Zahl ({value})", file=path)
    if value > limits().max_count:
        raise DataError(
            f"Zelle {where}: unplausibel große Anzahl ({value:g}; Grenze änderbar mit "
            "BIELEFELD_MAX_COUNT)",
            file=path,
        )
    return int(value)
