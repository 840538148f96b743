"""Read a measures register delivery (``massnahmen.csv`` / ``massnahmen.xlsx``).

The Kommunales Integrationszentrum (KI) keeps, per reporting period, a register of the
offers and measures of the city's offices and institutions, of REGE mbH, of the Jobcenter
and of municipally funded measures of other bodies (DESIGN section 6). The clerk maintains
it in Excel; it is delivered as ``data/raw/<period>/massnahmen.csv`` (semicolon, UTF-8,
German headers) or ``massnahmen.xlsx`` (same columns, first sheet).

File format
-----------
One row per measure, one column per header below (order free, no other columns; lines or
rows whose first cell starts with ``#`` are comments, e.g. the marker of synthetic data):

==========================  =================  =================================================
German header               column             content
==========================  =================  =================================================
``ID``                      ``measure_id``     stable key over the periods, e.g. ``HF1-01``
``Titel``                   ``title``          required
``Kurzbeschreibung``        ``description``    optional text
``Verantwortliche Stelle``  ``body``           e.g. ``Jugendamt``, ``REGE mbH``, ``AWO``
``Art der Stelle``          ``body_type``      one of ``BODY_TYPES``
``Handlungsfeld``           ``field``          one of the six ``FIELDS``
``Schwerpunktziele``        ``goals``          one or more of ``1``–``4`` (``GOALS``), ``,``
``Zielgruppen``             ``target_groups``  one or more of ``TARGET_GROUPS``, ``,``
``Herkunft``                ``origin``         ``im Konzept benannt`` / ``neu initiiert``
``Status``                  ``status``         one of ``STATUSES``
``Beginn``                  ``start``          ``TT.MM.JJJJ`` or ``MM.JJJJ`` (first of month)
``Ende``                    ``end``            same, ``MM.JJJJ`` = last of month; may be empty
``Stand``                   ``as_of``          ``TT.MM.JJJJ``: date of the entry
``Teilnehmende``            ``participants``   whole number ≥ 0 (``1.250``), may be empty
``Budget (EUR)``            ``budget_eur``     ``12.500`` or ``12.500,50``, may be empty
``Finanzierung``            ``funding``        one or more of ``FUNDING_SOURCES``, ``,``
``Indikatoren``             ``indicators``     catalogue indicator ids (``KITA-01``), ``,``
==========================  =================  =================================================

(The vocabularies are in :mod:`bielefeld_integration.measures.vocabulary`.) Controlled
values are matched ignoring case and spaces around ``/`` and are returned in their
canonical spelling. In an ``.xlsx`` file, real Excel dates and numbers are accepted as well
(also ``Schwerpunktziele`` that Excel turned into a decimal number: ``1,3`` -> 1.3).

The reader checks the *form* of indicator ids; whether they exist in the indicator
catalogue is checked by :mod:`bielefeld_integration.measures.links` (at ingest), which sits
above both the register and the catalogue.

The tidy frame
--------------
:func:`load_register` returns one row per measure with the English column names above.
Dates are ISO text (``"2017-06-30"``, ``end`` missing when empty), ``participants`` is a
nullable ``Int64``, ``budget_eur`` a ``float64`` (NaN when empty). **List-valued fields**
(``goals``, ``target_groups``, ``funding``, ``indicators``) **are ``;``-joined strings** in
canonical order (``"1;3"``, ``"Geflüchtete;Kinder"``; ``indicators`` is ``""`` when none),
so that the frame is stored in parquet as is; ``split_list`` and ``split_goals`` turn a
value back into a tuple. The ingest table ``measures`` is this frame plus
``reference_date`` (``MEASURES_TABLE_SPEC``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pandera.pandas as pa

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.measures.cells import clean_text, is_empty, norm
from bielefeld_integration.measures.rows import RowParser
from bielefeld_integration.measures.schema import REGISTER_SCHEMA
from bielefeld_integration.measures.vocabulary import COLUMNS, HEADERS
from bielefeld_integration.periods import Period
from bielefeld_integration.sources._csv import read_text


@dataclass
class _Raw:
    """Header and rows of a register file before parsing."""

    header: list[tuple[int, str]]  # (position, header text)
    header_line: int
    rows: list[tuple[int, list[Any]]]  # (line, cells)


def _read_csv_rows(path: Path) -> _Raw:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[Any]]] = []
    last = 0
    for cells in reader:
        line = last + 1
        last = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = cells
            header_line = line
            continue
        rows.append((line, cells))
    if header is None:
        raise DataError("keine Kopfzeile gefunden", file=path)
    return _Raw(list(enumerate(h.strip() for h in header)), header_line, rows)


def _read_xlsx_rows(path: Path) -> _Raw:
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl raise many types for broken files
        raise DataError(
            f"keine lesbare Excel-Datei ({type(exc).__name__}: {exc})", file=path
        ) from None
    try:
        ws = wb.worksheets[0]
        header: list[Any] | None = None
        header_line = 0
        rows: list[tuple[int, list[Any]]] = []
        for line, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            values = list(cells)
            if all(is_empty(v) for v in values):
                continue
            first = next(v for v in values if not is_empty(v))
            if isinstance(first, str) and first.lstrip().startswith("#"):
                continue
            if header is None:
                header = values
                header_line = line
                continue
            rows.append((line, values))
    finally:
        wb.close()
    if header is None:
        raise DataError("keine Kopfzeile gefunden (erstes Tabellenblatt ist leer)", file=path)
    return _Raw([(i, clean_text(h)) for i, h in enumerate(header)], header_line, rows)


def _map_header(raw: _Raw, path: Path) -> dict[str, int]:
    """German header -> cell position; all header problems at once."""
    names = [h for _, h in raw.header]
    if len(names) == 1 and any(sep in names[0] for sep in (",", "\t")):
        raise DataError(
            "falsches Trennzeichen: erwartet wird das Semikolon ';'", file=path, row=raw.header_line
        )
    errors: list[DataError] = []
    positions: dict[str, int] = {}
    lookup = {norm(h): h for h in HEADERS}
    for pos, name in raw.header:
        if not name:
            if any(pos < len(cells) and not is_empty(cells[pos]) for _, cells in raw.rows):
                errors.append(
                    DataError(
                        f"Spalte {pos + 1} hat keine Überschrift, aber Werte",
                        file=path,
                        row=raw.header_line,
                    )
                )
            continue
        canonical = lookup.get(norm(name))
        if canonical is None:
            errors.append(
                DataError(
                    f"unerwartete Spalte {name!r}", file=path, row=raw.header_line, column=name
                )
            )
        elif canonical in positions:
            errors.append(
                DataError(f"Spalte {name!r} doppelt", file=path, row=raw.header_line, column=name)
            )
        else:
            positions[canonical] = pos
    missing = [h for h in HEADERS if h not in positions]
    if missing:
        found = ", ".join(n for n in names if n)
        errors.append(
            DataError(
                f"Spalte(n) fehlen: {', '.join(missing)} (gefunden: {found})",
                file=path,
                row=raw.header_line,
            )
        )
    if errors:
        raise DataErrors(errors, header=f"Maßnahmenregister {path}: Kopfzeile fehlerhaft:")
    return positions


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=COLUMNS)
    for col in COLUMNS:
        if col not in ("participants", "budget_eur", "end"):
            df[col] = df[col].astype(str)
    df["end"] = pd.Series([v if v else None for v in df["end"]], dtype="str", index=df.index)
    df["participants"] = pd.array(
        [None if v is None or pd.isna(v) else int(v) for v in df["participants"]], dtype="Int64"
    )
    df["budget_eur"] = pd.to_numeric(df["budget_eur"], errors="coerce").astype("float64")
    return df


def load_register(
    path: str | Path,
    *,
    known_indicators: set[str] | None = None,
    period: str | int | Period | None = None,
) -> pd.DataFrame:
    """Read a measures register (``.csv`` or ``.xlsx``) into a validated tidy frame.

    Parameters
    ----------
    path : str or Path
        ``massnahmen.csv`` (semicolon, UTF-8 or Windows-1252, German headers) or
        ``massnahmen.xlsx`` (first sheet). See the module docstring for the columns.
    known_indicators : set of str, optional
        The indicator ids of the catalogue; an id in ``Indikatoren`` that is not in this
        set is an error. ``None`` checks only the form of the ids (``KITA-01``).
    period : str, int or Period, optional
        The reporting year; when given, every ``Stand`` must lie in that year.

    Returns
    -------
    pandas.DataFrame
        One row per measure in file order, columns :data:`COLUMNS` (see module docstring);
        list-valued fields are ``;``-joined strings.

    Raises
    ------
    DataError
        For an unreadable file or a broken header.
    DataErrors
        Listing *every* problem of the file, each with line and column: missing required
        values, unknown field, goal, target group, body type, origin, status or funding
        source, unknown indicator ids, bad dates, end before start, inconsistent status,
        ``Stand`` outside the period, bad or negative participants, bad budget numbers,
        duplicate ids, rows with the wrong number of cells.

    Examples
    --------
    >>> reg = load_register("data/raw/2017/massnahmen.csv", period="2017")  # doctest: +SKIP
    >>> reg.groupby("field").size()  # doctest: +SKIP
    """
    path = Path(path)
    p = Period.parse(period) if period is not None else None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        raw = _read_csv_rows(path)
    else:
        raise DataError(
            f"unbekanntes Dateiformat {path.suffix!r} (erwartet .csv oder .xlsx)", file=path
        )
    positions = _map_header(raw, path)
    width = len(raw.header)
    errors: list[DataError] = []
    records: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for line, cells in raw.rows:
        extra = cells[width:]
        if suffix == ".csv" or suffix == ".txt":
            if len(cells) != width:
                errors.append(
                    DataError(
                        f"{len(cells)} Felder statt {width} (Semikolon im Text ohne "
                        "Anführungszeichen oder Zeile abgeschnitten?)",
                        file=path,
                        row=line,
                    )
                )
                continue
        elif any(not is_empty(v) for v in extra):
            errors.append(DataError("Werte rechts der letzten Spalte", file=path, row=line))
            continue
        by_header = {h: (cells[pos] if pos < len(cells) else None) for h, pos in positions.items()}
        parser = RowParser(path, line, by_header, known_indicators, p)
        rec = parser.parse()
        ident = rec["measure_id"]
        if ident:
            if ident in first_line:
                parser.error("ID", f"ID {ident!r} doppelt (zuerst in Zeile {first_line[ident]})")
            else:
                first_line[ident] = line
        errors.extend(parser.errors)
        if not parser.errors:
            records.append(rec)
    if not raw.rows:
        errors.append(DataError("keine Datenzeilen", file=path))
    if errors:
        raise DataErrors(
            errors, header=f"Maßnahmenregister {path}: {len(errors)} Problem(e) gefunden:"
        )
    df = _frame(records)
    try:
        return REGISTER_SCHEMA.validate(df, lazy=True).reset_index(drop=True)
    except pa.errors.SchemaErrors as exc:  # pragma: no cover - the parser guarantees these
        raise DataError(
            f"Register entspricht nicht dem Schema: {exc.failure_cases}", file=path
        ) from None
