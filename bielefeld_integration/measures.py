"""The measures register (Maßnahmenregister) of the implementation report.

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
``Art der Stelle``          ``body_type``      one of :data:`BODY_TYPES`
``Handlungsfeld``           ``field``          one of the six :data:`FIELDS`
``Schwerpunktziele``        ``goals``          one or more of ``1``–``4`` (:data:`GOALS`), ``,``
``Zielgruppen``             ``target_groups``  one or more of :data:`TARGET_GROUPS`, ``,``
``Herkunft``                ``origin``         ``im Konzept benannt`` / ``neu initiiert``
``Status``                  ``status``         one of :data:`STATUSES`
``Beginn``                  ``start``          ``TT.MM.JJJJ`` or ``MM.JJJJ`` (first of month)
``Ende``                    ``end``            same, ``MM.JJJJ`` = last of month; may be empty
``Stand``                   ``as_of``          ``TT.MM.JJJJ``: date of the entry
``Teilnehmende``            ``participants``   whole number ≥ 0 (``1.250``), may be empty
``Budget (EUR)``            ``budget_eur``     ``12.500`` or ``12.500,50``, may be empty
``Finanzierung``            ``funding``        one or more of :data:`FUNDING_SOURCES`, ``,``
``Indikatoren``             ``indicators``     catalogue indicator ids (``KITA-01``), ``,``
==========================  =================  =================================================

Controlled values are matched ignoring case and spaces around ``/`` and are returned in
their canonical spelling. In an ``.xlsx`` file, real Excel dates and numbers are accepted
as well (also ``Schwerpunktziele`` that Excel turned into a decimal number: ``1,3`` -> 1.3).

The tidy frame
--------------
:func:`load_register` returns one row per measure with the English column names above.
Dates are ISO text (``"2017-06-30"``, ``end`` missing when empty), ``participants`` is a
nullable ``Int64``, ``budget_eur`` a ``float64`` (NaN when empty). **List-valued fields**
(``goals``, ``target_groups``, ``funding``, ``indicators``) **are ``;``-joined strings** in
canonical order (``"1;3"``, ``"Geflüchtete;Kinder"``; ``indicators`` is ``""`` when none),
so that the frame is stored in parquet as is; :func:`split_list` and :func:`split_goals`
turn a value back into a tuple. The ingest table ``measures`` is this frame plus
``reference_date`` (:data:`MEASURES_TABLE_SPEC`).

Disclosure control
------------------
Budgets are not confidential. Participant counts below the threshold (default 3) are
suppressed in everything published: :func:`publishable` returns the register for
publication (``participants`` NaN where suppressed, ``participants_symbol`` ``"."``) and a
log. Sums of participants (:func:`by_body`, :func:`totals`, :func:`key_figures`) must
then be computed **from the publishable register**: they add up published values only,
so no suppressed count can be recovered by subtraction; the ``participants_missing``
columns say how many measures a sum leaves out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.periods import Period

# --------------------------------------------------------------------------- vocabularies

#: The six Handlungsfelder of the concept (DESIGN section 6), in report order.
FIELDS: list[str] = [
    "Betreuung/Erziehung/Bildung",
    "Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt",
    "Kultur/Freizeit/Sport/Erwachsenenbildung",
    "Gesundheit/besondere Lebenslagen",
    "Soziales Umfeld/Wohnen/Stadtentwicklung",
    "Willkommenskultur/Interkulturelle Orientierung öffentlicher Institutionen",
]
#: Short labels of the fields for charts and narrow tables.
FIELD_SHORT: dict[str, str] = dict(
    zip(
        FIELDS,
        [
            "Bildung",
            "Arbeit",
            "Kultur und Sport",
            "Gesundheit",
            "Wohnen und Sozialraum",
            "Willkommenskultur",
        ],
        strict=True,
    )
)

#: The four focus goals (Schwerpunktziele) of the concept "Diversität, Partizipation und
#: Integration" (2016).
GOALS: dict[int, str] = {
    1: "Anerkennung und Erschließung der Potenziale der Menschen mit Migrationshintergrund",
    2: "Kultursensible Ausrichtung der Dienstleistungen bzw. Angebote für alle Bevölkerungsgruppen",
    3: "Strategien/Maßnahmen gegen Ausgrenzung und Diskriminierung",
    4: "Berücksichtigung der besonderen Belange der Frauen und Mädchen und Fokussierung des "
    "gleichberechtigten Miteinanders der Geschlechter",
}
#: Short labels of the goals.
GOAL_SHORT: dict[int, str] = {
    1: "Potenziale",
    2: "Kultursensible Angebote",
    3: "Gegen Ausgrenzung und Diskriminierung",
    4: "Frauen und Mädchen",
}

#: Kinds of responsible body covered by the register (self-/third-party-funded offers of
#: other bodies are not part of it).
BODY_TYPES: list[str] = ["städtisch", "REGE mbH", "Jobcenter", "kommunal gefördert"]
#: Whether a measure was named in the concept or initiated since (mostly because of the
#: inflows of 2015–2017).
ORIGINS: list[str] = ["im Konzept benannt", "neu initiiert"]
#: Status values; the first two count as active.
STATUSES: list[str] = ["geplant", "laufend", "abgeschlossen", "eingestellt"]
ACTIVE_STATUSES: tuple[str, ...] = ("geplant", "laufend")
ENDED_STATUSES: tuple[str, ...] = ("abgeschlossen", "eingestellt")

#: Target groups known to the register.
TARGET_GROUPS: list[str] = [
    "alle",
    "Menschen mit Migrationshintergrund",
    "Neuzugewanderte",
    "Geflüchtete",
    "EU-Zugewanderte",
    "Kinder",
    "Jugendliche",
    "junge Erwachsene",
    "Eltern",
    "Familien",
    "Frauen und Mädchen",
    "Männer und Jungen",
    "Seniorinnen und Senioren",
    "Menschen mit Behinderung",
    "Arbeitsuchende",
    "Zugewanderte Fachkräfte",
    "Ehrenamtliche",
    "Migrantenorganisationen",
    "Fachkräfte in Einrichtungen",
    "Beschäftigte der Stadtverwaltung",
    "Unternehmen",
]
#: Funding sources.
FUNDING_SOURCES: list[str] = [
    "Stadt",
    "Land NRW",
    "Bund",
    "EU/ESF",
    "BAMF",
    "Jobcenter",
    "Agentur für Arbeit",
    "Stiftungen",
    "Sonstige",
]

#: German header -> column of the tidy frame, in file order.
HEADERS: dict[str, str] = {
    "ID": "measure_id",
    "Titel": "title",
    "Kurzbeschreibung": "description",
    "Verantwortliche Stelle": "body",
    "Art der Stelle": "body_type",
    "Handlungsfeld": "field",
    "Schwerpunktziele": "goals",
    "Zielgruppen": "target_groups",
    "Herkunft": "origin",
    "Status": "status",
    "Beginn": "start",
    "Ende": "end",
    "Stand": "as_of",
    "Teilnehmende": "participants",
    "Budget (EUR)": "budget_eur",
    "Finanzierung": "funding",
    "Indikatoren": "indicators",
}
#: Column -> German header.
GERMAN_HEADERS: dict[str, str] = {v: k for k, v in HEADERS.items()}
COLUMNS: list[str] = list(HEADERS.values())
_REQUIRED = [
    "measure_id",
    "title",
    "body",
    "body_type",
    "field",
    "goals",
    "target_groups",
    "origin",
    "status",
    "start",
    "as_of",
    "funding",
]

#: German labels of the columns the summaries return (for table headers in reports).
COLUMN_LABELS: dict[str, str] = {
    **GERMAN_HEADERS,
    "budget_eur": "Budget (EUR)",
    "measures": "Maßnahmen",
    "measures_cofunded": "darunter kofinanziert",
    "participants_missing": "ohne Teilnehmendenangabe",
    "budget_missing": "ohne Budgetangabe",
    "budget_sole_eur": "Budget allein aus dieser Quelle (EUR)",
    "change": "Veränderung",
    "status_previous": "Status Vorjahr",
    "status_changed": "Status geändert",
    "participants_previous": "Teilnehmende Vorjahr",
    "budget_previous_eur": "Budget Vorjahr (EUR)",
    "indicator": "Indikator",
    "indicator_field": "Handlungsfeld des Indikators",
    "catalogue_indicators": "Indikatoren des Katalogs im Handlungsfeld",
    "measures_with_indicator": "Maßnahmen mit Indikatorbezug",
    "gap": "Lücke",
    "start_year": "Beginnjahr",
    "base_period": "Ausgangsjahr",
    "base_value": "Wert Ausgangsjahr",
    "value": "Wert aktuell",
    "period": "Berichtsjahr",
}

#: The constant caveat to print next to every comparison of measures and indicators.
IMPACT_CAVEAT = (
    "Beschreibende Gegenüberstellung, keine Wirkungsmessung: Die Tabelle stellt den "
    "Maßnahmen die Werte der Indikatoren gegenüber, auf die sie sich beziehen. Ob und wie "
    "stark eine Maßnahme einen Indikator verändert hat, lässt sich daraus nicht ablesen – "
    "die Werte hängen auch von Zuwanderung, Konjunktur, Landes- und Bundesrecht und vielen "
    "anderen Einflüssen ab, und eine Vergleichsgruppe ohne Maßnahme gibt es nicht."
)

_INDICATOR_RE = re.compile(r"[A-Z]{2,5}-\d{2}")
_ISO_RE = r"^\d{4}-\d\d-\d\d$"
_DATE_DAY_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_MONTH_RE = re.compile(r"(\d{1,2})\.(\d{4})")
_GERMAN_NUMBER_RE = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?")
_COUNT_RE = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)")


# --------------------------------------------------------------------------- schema


def _nonempty() -> pa.Check:
    return pa.Check.str_length(min_value=1)


def _list_of(values: Iterable[str]) -> pa.Check:
    allowed = set(values)
    return pa.Check(
        lambda s: s.map(lambda v: bool(v) and all(p in allowed for p in str(v).split(";"))),
        element_wise=False,
        error="';'-getrennte Liste erlaubter Werte",
    )


#: The pandera columns of the tidy register (without ``reference_date``).
MEASURE_COLUMNS: dict[str, pa.Column] = {
    "measure_id": pa.Column(str, _nonempty()),
    "title": pa.Column(str, _nonempty()),
    "description": pa.Column(str),
    "body": pa.Column(str, _nonempty()),
    "body_type": pa.Column(str, pa.Check.isin(BODY_TYPES)),
    "field": pa.Column(str, pa.Check.isin(FIELDS)),
    "goals": pa.Column(str, pa.Check.str_matches(r"^[1-4](;[1-4])*$")),
    "target_groups": pa.Column(str, _list_of(TARGET_GROUPS)),
    "origin": pa.Column(str, pa.Check.isin(ORIGINS)),
    "status": pa.Column(str, pa.Check.isin(STATUSES)),
    "start": pa.Column(str, pa.Check.str_matches(_ISO_RE)),
    "end": pa.Column(str, pa.Check.str_matches(_ISO_RE), nullable=True),
    "as_of": pa.Column(str, pa.Check.str_matches(_ISO_RE)),
    "participants": pa.Column("Int64", pa.Check.ge(0), nullable=True),
    "budget_eur": pa.Column("float64", pa.Check.ge(0), nullable=True),
    "funding": pa.Column(str, _list_of(FUNDING_SOURCES)),
    "indicators": pa.Column(
        str, pa.Check.str_matches(r"^([A-Z]{2,5}-\d{2}(;[A-Z]{2,5}-\d{2})*)?$")
    ),
}

#: Schema of the frame :func:`load_register` returns.
REGISTER_SCHEMA = pa.DataFrameSchema(
    MEASURE_COLUMNS, strict=True, unique=["measure_id"], name="measures"
)

#: Keyword arguments for ``tables.Table(**MEASURES_TABLE_SPEC)``: the processed table
#: ``measures`` (the register plus ``reference_date``; no count columns, because
#: ``participants`` may be empty).
MEASURES_TABLE_SPEC: dict[str, Any] = {
    "name": "measures",
    "description": (
        "Maßnahmenregister zum Umsetzungsbericht: Angebote und Maßnahmen städtischer Ämter "
        "und Einrichtungen, der REGE mbH, des Jobcenters und kommunal geförderter Träger nach "
        "Handlungsfeld, Schwerpunktziel, Status, Teilnehmenden, Budget und Indikatorbezug (KI)"
    ),
    "reference": "Stand des Registers (30.06.)",
    "keys": ["measure_id"],
    "counts": [],
    "columns": MEASURE_COLUMNS,
}


# --------------------------------------------------------------------------- helpers


def _norm(text: str) -> str:
    """Normalise text for matching: NFC, collapsed spaces, no spaces around '/', casefold."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*/\s*", "/", text).casefold()


def _lookup(values: Iterable[str]) -> dict[str, str]:
    return {_norm(v): v for v in values}


_FIELD_LOOKUP = _lookup(FIELDS)
_BODY_TYPE_LOOKUP = _lookup(BODY_TYPES)
_ORIGIN_LOOKUP = _lookup(ORIGINS)
_STATUS_LOOKUP = _lookup(STATUSES)
_GROUP_LOOKUP = _lookup(TARGET_GROUPS)
_FUNDING_LOOKUP = _lookup(FUNDING_SOURCES)


def split_list(value: Any) -> tuple[str, ...]:
    """Split a list-valued register field into a tuple.

    Parameters
    ----------
    value : str, tuple, list or missing
        A ``;``-joined string as in the tidy register (``"Kinder;Eltern"``), or a sequence.

    Returns
    -------
    tuple of str
        The parts, stripped; empty for ``""`` and missing values.

    Examples
    --------
    >>> split_list("KITA-01;SPR-01"), split_list(""), split_list(None)
    (('KITA-01', 'SPR-01'), (), ())
    """
    if isinstance(value, (tuple, list)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ()
    return tuple(p.strip() for p in str(value).split(";") if p.strip())


def split_goals(value: Any) -> tuple[int, ...]:
    """The focus goals of a register value as integers (``"1;3"`` -> ``(1, 3)``)."""
    return tuple(int(p) for p in split_list(value))


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    """A cell as clean text (NFC, collapsed whitespace); numbers without '.0'."""
    if _is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()


def _last_day(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _parse_date(value: Any, *, end: bool = False) -> dt.date:
    """Parse ``TT.MM.JJJJ`` / ``MM.JJJJ`` text or an Excel date; ValueError with a reason."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    m = _DATE_DAY_RE.fullmatch(text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = _DATE_MONTH_RE.fullmatch(text)
        if m:
            year, month = int(m[2]), int(m[1])
            return _last_day(year, month) if end else dt.date(year, month, 1)
    except ValueError:
        raise ValueError(f"kein gültiges Datum {text!r}") from None
    raise ValueError(f"kein Datum {text!r} (erwartet TT.MM.JJJJ oder MM.JJJJ)")


def _parse_count(value: Any) -> int:
    """Parse a participant count: whole number >= 0, German thousands dots allowed."""
    if isinstance(value, bool):
        raise ValueError(f"keine ganze Zahl: {value!r}")
    if isinstance(value, (int, np.integer)):
        n = int(value)
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"keine ganze Zahl: {_text(value)!r}")
        n = int(value)
    else:
        text = _text(value).replace(" ", "")
        if not _COUNT_RE.fullmatch(text):
            raise ValueError(f"keine ganze Zahl: {_text(value)!r}")
        n = int(text.replace(".", ""))
    if n < 0:
        raise ValueError(f"negative Teilnehmendenzahl {n}")
    return n


def _parse_budget(value: Any) -> float:
    """Parse a budget in German number format (``12.500`` or ``12.500,50``), >= 0."""
    if isinstance(value, bool):
        raise ValueError(f"kein Betrag: {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        amount = float(value)
        if not math.isfinite(amount):
            raise ValueError(f"kein Betrag: {value!r}")
    else:
        text = _text(value)
        compact = re.sub(r"(€|EUR)$", "", text.replace("\u00a0", "").replace(" ", "")).strip()
        if not _GERMAN_NUMBER_RE.fullmatch(compact):
            raise ValueError(
                f"kein Betrag im deutschen Zahlenformat: {text!r} (erwartet z. B. 12.500 "
                "oder 12.500,50)"
            )
        amount = float(compact.replace(".", "").replace(",", "."))
    if amount < 0:
        raise ValueError(f"negatives Budget {_text(value)!r}")
    return amount


def _goal_text(value: Any) -> str:
    """Goals cell as text; undo Excel's conversion of ``1,3`` into the number 1.3."""
    if isinstance(value, float) and not value.is_integer():
        return repr(value).replace(".", ",")
    return _text(value)


def _split_cell(text: str) -> list[str]:
    return [p.strip() for p in text.split(",")]


# --------------------------------------------------------------------------- reading


@dataclass
class _Raw:
    """Header and rows of a register file before parsing."""

    header: list[tuple[int, str]]  # (position, header text)
    header_line: int
    rows: list[tuple[int, list[Any]]]  # (line, cells)


def _read_csv_rows(path: Path) -> _Raw:
    from bielefeld_integration.sources._csv import read_text

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
    import openpyxl

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
            if all(_is_empty(v) for v in values):
                continue
            first = next(v for v in values if not _is_empty(v))
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
    return _Raw([(i, _text(h)) for i, h in enumerate(header)], header_line, rows)


def _map_header(raw: _Raw, path: Path) -> dict[str, int]:
    """German header -> cell position; all header problems at once."""
    names = [h for _, h in raw.header]
    if len(names) == 1 and any(sep in names[0] for sep in (",", "\t")):
        raise DataError(
            "falsches Trennzeichen: erwartet wird das Semikolon ';'", file=path, row=raw.header_line
        )
    errors: list[DataError] = []
    positions: dict[str, int] = {}
    lookup = {_norm(h): h for h in HEADERS}
    for pos, name in raw.header:
        if not name:
            if any(pos < len(cells) and not _is_empty(cells[pos]) for _, cells in raw.rows):
                errors.append(
                    DataError(
                        f"Spalte {pos + 1} hat keine Überschrift, aber Werte",
                        file=path,
                        row=raw.header_line,
                    )
                )
            continue
        canonical = lookup.get(_norm(name))
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


class _RowParser:
    """Parse one register row; collect every problem as a DataError."""

    def __init__(
        self,
        path: Path,
        line: int,
        cells: Mapping[str, Any],
        known_indicators: set[str] | None,
        period: Period | None,
    ) -> None:
        self.path, self.line, self.cells = path, line, cells
        self.known = known_indicators
        self.period = period
        self.errors: list[DataError] = []

    def error(self, header: str, message: str) -> None:
        self.errors.append(DataError(message, file=self.path, row=self.line, column=header))

    def required(self, col: str) -> Any:
        header = GERMAN_HEADERS[col]
        value = self.cells.get(header)
        if _is_empty(value):
            if col in _REQUIRED:
                self.error(header, "Pflichtangabe fehlt")
            return None
        return value

    def choice(self, col: str, lookup: dict[str, str], what: str) -> str | None:
        value = self.required(col)
        if value is None:
            return None
        found = lookup.get(_norm(_text(value)))
        if found is None:
            allowed = ", ".join(lookup.values())
            self.error(GERMAN_HEADERS[col], f"{what} {_text(value)!r} (erlaubt: {allowed})")
        return found

    def choices(self, col: str, lookup: dict[str, str], what: str) -> str | None:
        value = self.required(col)
        if value is None:
            return None
        out, ok = [], True
        for part in _split_cell(_text(value)):
            found = lookup.get(_norm(part)) if part else None
            if found is None:
                ok = False
                shown = repr(part) if part else "leerer Eintrag"
                self.error(
                    GERMAN_HEADERS[col], f"{what} {shown} (erlaubt: {', '.join(lookup.values())})"
                )
            elif found not in out:
                out.append(found)
        order = list(lookup.values())
        return ";".join(sorted(out, key=order.index)) if ok else None

    def goals(self) -> str | None:
        value = self.required("goals")
        if value is None:
            return None
        out: set[int] = set()
        ok = True
        for part in _split_cell(_goal_text(value)):
            if part in {"1", "2", "3", "4"}:
                out.add(int(part))
            else:
                ok = False
                shown = repr(part) if part else "leerer Eintrag"
                self.error(
                    "Schwerpunktziele", f"unbekanntes Schwerpunktziel {shown} (erlaubt: 1, 2, 3, 4)"
                )
        return ";".join(str(g) for g in sorted(out)) if ok else None

    def date(self, col: str, *, end: bool = False) -> dt.date | None:
        value = self.required(col)
        if value is None:
            return None
        try:
            return _parse_date(value, end=end)
        except ValueError as exc:
            self.error(GERMAN_HEADERS[col], str(exc))
            return None

    def number(self, col: str, parse) -> Any:
        value = self.required(col)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.error(GERMAN_HEADERS[col], str(exc))
            return None

    def indicators(self) -> str | None:
        value = self.required("indicators")
        if value is None:
            return ""
        out, ok = [], True
        for part in _split_cell(_text(value)):
            ident = part.upper()
            if not _INDICATOR_RE.fullmatch(ident):
                ok = False
                shown = repr(part) if part else "leerer Eintrag"
                self.error("Indikatoren", f"keine Indikator-ID {shown} (erwartet z. B. KITA-01)")
            elif self.known is not None and ident not in self.known:
                ok = False
                self.error(
                    "Indikatoren",
                    f"unbekannte Indikator-ID {ident!r} (nicht im Indikatorenkatalog)",
                )
            elif ident not in out:
                out.append(ident)
        return ";".join(out) if ok else None

    def parse(self) -> dict[str, Any]:
        rec: dict[str, Any] = {}
        for col in ("measure_id", "title", "description", "body"):
            value = self.required(col)
            rec[col] = _text(value)
        rec["body_type"] = self.choice("body_type", _BODY_TYPE_LOOKUP, "unbekannte Art der Stelle")
        rec["field"] = self.choice("field", _FIELD_LOOKUP, "unbekanntes Handlungsfeld")
        rec["goals"] = self.goals()
        rec["target_groups"] = self.choices("target_groups", _GROUP_LOOKUP, "unbekannte Zielgruppe")
        rec["origin"] = self.choice("origin", _ORIGIN_LOOKUP, "unbekannte Herkunft")
        rec["status"] = status = self.choice("status", _STATUS_LOOKUP, "unbekannter Status")
        start = self.date("start")
        end = self.date("end", end=True)
        as_of = self.date("as_of")
        rec["participants"] = self.number("participants", _parse_count)
        rec["budget_eur"] = self.number("budget_eur", _parse_budget)
        rec["funding"] = self.choices("funding", _FUNDING_LOOKUP, "unbekannte Finanzierungsquelle")
        rec["indicators"] = self.indicators()
        # consistency between fields
        if start and end and end < start:
            self.error(
                "Ende",
                f"Ende {_text(self.cells.get('Ende'))} liegt vor dem Beginn "
                f"{_text(self.cells.get('Beginn'))}",
            )
        if status in ENDED_STATUSES and _is_empty(self.cells.get("Ende")):
            self.error("Ende", f"Pflichtangabe fehlt bei Status {status!r}")
        if as_of:
            if status in ENDED_STATUSES and end and end > as_of:
                self.error(
                    "Status",
                    f"Status {status!r}, aber Ende {end:%d.%m.%Y} liegt nach "
                    f"dem Stand {as_of:%d.%m.%Y}",
                )
            if status == "laufend" and start and start > as_of:
                self.error(
                    "Status",
                    f"Status 'laufend', aber Beginn {start:%d.%m.%Y} liegt "
                    f"nach dem Stand {as_of:%d.%m.%Y}",
                )
            if self.period is not None and as_of.year != self.period.year:
                self.error(
                    "Stand", f"Stand {as_of:%d.%m.%Y} gehört nicht zum Berichtsjahr {self.period}"
                )
        rec["start"] = start.isoformat() if start else None
        rec["end"] = end.isoformat() if end else None
        rec["as_of"] = as_of.isoformat() if as_of else None
        return rec


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
        elif any(not _is_empty(v) for v in extra):
            errors.append(DataError("Werte rechts der letzten Spalte", file=path, row=line))
            continue
        by_header = {h: (cells[pos] if pos < len(cells) else None) for h, pos in positions.items()}
        parser = _RowParser(path, line, by_header, known_indicators, p)
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


# --------------------------------------------------------------------------- catalogue


#: Handlungsfeld codes of the indicator catalogue -> the fields of the register.
CATALOGUE_FIELD_CODES: dict[str, str] = dict(
    zip(["bildung", "arbeit", "kultur", "gesundheit", "wohnen", "willkommen"], FIELDS, strict=True)
)


def _catalogue() -> Any:
    try:
        from bielefeld_integration.indicators.catalogue import load_catalogue
    except ImportError:  # pragma: no cover - the catalogue is part of the package
        return None
    return load_catalogue()


def catalogue_ids() -> set[str] | None:
    """The indicator ids of the catalogue (``None`` if the package has no catalogue).

    Returns
    -------
    set of str or None
        The ids of ``indicators/catalogue.yaml`` as loaded (and validated) by
        :func:`bielefeld_integration.indicators.catalogue.load_catalogue`.

    Raises
    ------
    DataError
        If the catalogue is invalid.
    """
    cat = _catalogue()
    return None if cat is None else set(cat)


def catalogue_fields() -> dict[str, str]:
    """Indicator id -> its Handlungsfeld, for :func:`gaps`.

    The six fields of the concept are given in the spelling of :data:`FIELDS` (so that
    :func:`gaps` can list the catalogue's indicators per field); other catalogue fields
    (e.g. the cross-cutting demography) keep the catalogue's label.
    """
    cat = _catalogue()
    if cat is None:  # pragma: no cover
        return {}
    labels = getattr(cat, "handlungsfelder", {})
    return {
        ident: CATALOGUE_FIELD_CODES.get(
            ind.handlungsfeld, labels.get(ind.handlungsfeld, ind.handlungsfeld)
        )
        for ident, ind in cat.items()
    }


# --------------------------------------------------------------------------- summaries


def active(reg: pd.DataFrame) -> pd.DataFrame:
    """The measures with status ``geplant`` or ``laufend``."""
    return reg[reg["status"].isin(ACTIVE_STATUSES)].reset_index(drop=True)


def _participants(reg: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(reg["participants"], errors="coerce").astype("float64")


def _int_or_na(value: float) -> Any:
    return pd.NA if pd.isna(value) else round(value)


def coverage_matrix(reg: pd.DataFrame, *, totals: bool = False) -> pd.DataFrame:
    """Number of measures per Handlungsfeld and focus goal.

    A measure that serves several goals is counted under each of them.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register as returned by :func:`load_register`.
    totals : bool, default False
        Add a column ``"Insgesamt"`` (distinct measures per field) and a row
        ``"Insgesamt"`` (measures per goal; the corner is the number of measures).

    Returns
    -------
    pandas.DataFrame
        Index: the six :data:`FIELDS` (always all, in order); columns: the goals ``1``–``4``
        (labels in :data:`GOAL_SHORT`); int64 counts.

    Examples
    --------
    >>> coverage_matrix(reg).loc["Betreuung/Erziehung/Bildung", 1]  # doctest: +SKIP
    9
    """
    out = pd.DataFrame(
        0,
        index=pd.Index(FIELDS, name="field"),
        columns=pd.Index(list(GOALS), name="goal"),
        dtype="int64",
    )
    for field, goals in zip(reg["field"], reg["goals"], strict=True):
        for g in split_goals(goals):
            out.loc[field, g] += 1
    if totals:
        per_field = reg.groupby("field").size().reindex(FIELDS, fill_value=0)
        out["Insgesamt"] = per_field.to_numpy(dtype="int64")
        out.loc["Insgesamt"] = [*out[list(GOALS)].sum().tolist(), len(reg)]
    return out


def by_body(reg: pd.DataFrame, level: Literal["body", "body_type"] = "body") -> pd.DataFrame:
    """Measures, participants and budget by body type and responsible body.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register; for publication pass ``publishable(reg)[0]`` (sums of published values
        only, see module docstring).
    level : {"body", "body_type"}, default "body"
        ``"body"`` gives one row per body, ``"body_type"`` one per body type.

    Returns
    -------
    pandas.DataFrame
        Columns ``body_type``, (``body``,) ``measures``, ``participants`` (Int64 sum of the
        known counts, NA if none is known), ``participants_missing`` (measures without a
        count), ``budget_eur`` (sum of known budgets, NaN if none), ``budget_missing``;
        body types in the order of :data:`BODY_TYPES`, bodies alphabetically.
    """
    if level not in ("body", "body_type"):
        raise ValueError(f"level must be 'body' or 'body_type', not {level!r}")
    keys = ["body_type"] if level == "body_type" else ["body_type", "body"]
    work = reg[keys].copy()
    work["participants"] = _participants(reg)
    work["budget_eur"] = pd.to_numeric(reg["budget_eur"], errors="coerce")
    g = work.groupby(keys, sort=False)
    out = pd.DataFrame(
        {
            "measures": g.size(),
            "participants": g["participants"].sum(min_count=1),
            "participants_missing": g["participants"].apply(lambda s: int(s.isna().sum())),
            "budget_eur": g["budget_eur"].sum(min_count=1),
            "budget_missing": g["budget_eur"].apply(lambda s: int(s.isna().sum())),
        }
    ).reset_index()
    out["participants"] = pd.array([_int_or_na(v) for v in out["participants"]], dtype="Int64")
    out["_order"] = out["body_type"].map({t: i for i, t in enumerate(BODY_TYPES)})
    out = out.sort_values(["_order", *keys[1:]], kind="stable").drop(columns="_order")
    for col in ("measures", "participants_missing", "budget_missing"):
        out[col] = out[col].astype("int64")
    return out.reset_index(drop=True)


def totals(reg: pd.DataFrame) -> pd.DataFrame:
    """Measures, participants and budget by funding source, with a total row.

    A co-funded measure (several sources) is counted under each of its sources with its
    whole participants and budget, because the register does not split budgets; hence the
    source rows do not add up to the total row ``"Insgesamt"``, which counts every measure
    once. ``budget_sole_eur`` is the budget of the measures financed by that source alone
    (these do add up, together with the co-funded measures).

    Parameters
    ----------
    reg : pandas.DataFrame
        A register; for publication pass ``publishable(reg)[0]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``funding``, ``measures``, ``measures_cofunded``, ``participants`` (Int64),
        ``participants_missing``, ``budget_eur``, ``budget_sole_eur``; sources in the
        order of :data:`FUNDING_SOURCES` (only those that occur), then ``"Insgesamt"``.
    """
    part = _participants(reg).to_numpy()
    budget = pd.to_numeric(reg["budget_eur"], errors="coerce").to_numpy(dtype="float64")
    sources = [split_list(v) for v in reg["funding"]]

    def row(label: str, mask: np.ndarray, sole: np.ndarray) -> dict[str, Any]:
        p, b = part[mask], budget[mask]
        return {
            "funding": label,
            "measures": int(mask.sum()),
            "measures_cofunded": int((mask & ~sole).sum()),
            "participants": _int_or_na(np.nansum(p)) if (~np.isnan(p)).any() else pd.NA,
            "participants_missing": int(np.isnan(p).sum()),
            "budget_eur": float(np.nansum(b)) if (~np.isnan(b)).any() else math.nan,
            "budget_sole_eur": float(np.nansum(budget[mask & sole]))
            if (~np.isnan(budget[mask & sole])).any()
            else math.nan,
        }

    single = np.array([len(s) == 1 for s in sources], dtype=bool)
    rows = []
    for src in FUNDING_SOURCES:
        mask = np.array([src in s for s in sources], dtype=bool)
        if mask.any():
            rows.append(row(src, mask, single))
    total = row("Insgesamt", np.ones(len(reg), dtype=bool), np.ones(len(reg), dtype=bool))
    total["measures_cofunded"] = int((~single).sum())
    total["budget_sole_eur"] = math.nan  # not meaningful for the total
    rows.append(total)
    out = pd.DataFrame(rows)
    out["participants"] = pd.array(list(out["participants"]), dtype="Int64")
    return out


def key_figures(reg: pd.DataFrame) -> pd.Series:
    """Key figures of a register for the report text.

    Returns
    -------
    pandas.Series
        ``measures``, one entry per status (``geplant``, ``laufend``, ``abgeschlossen``,
        ``eingestellt``), ``neu initiiert``, ``with_indicator`` (measures naming at least
        one indicator), ``participants`` (sum of known counts), ``budget_eur`` (sum of known
        budgets), ``as_of`` (latest Stand, ISO).
    """
    status = reg["status"].value_counts()
    data: dict[str, Any] = {"measures": len(reg)}
    for s in STATUSES:
        data[s] = int(status.get(s, 0))
    data["neu initiiert"] = int((reg["origin"] == "neu initiiert").sum())
    data["with_indicator"] = int(reg["indicators"].map(lambda v: bool(split_list(v))).sum())
    data["participants"] = int(np.nansum(_participants(reg)))
    data["budget_eur"] = float(np.nansum(pd.to_numeric(reg["budget_eur"], errors="coerce")))
    data["as_of"] = str(reg["as_of"].max()) if len(reg) else ""
    return pd.Series(data, dtype=object)


#: Categories of :func:`changes`, in report order.
CHANGE_CATEGORIES: list[str] = ["neu", "fortgeführt", "beendet", "nicht mehr im Register"]


def changes(reg: pd.DataFrame, previous_reg: pd.DataFrame) -> pd.DataFrame:
    """What changed since the previous period's register.

    Categories (:data:`CHANGE_CATEGORIES`):

    - ``neu``: the id is in the current register only;
    - ``fortgeführt``: in both, and not newly ended;
    - ``beendet``: in both, previously active (``geplant``/``laufend``) and now
      ``abgeschlossen`` or ``eingestellt``;
    - ``nicht mehr im Register``: in the previous register only (ended earlier or dropped).

    Parameters
    ----------
    reg, previous_reg : pandas.DataFrame
        The registers of the current and the previous period.

    Returns
    -------
    pandas.DataFrame
        One row per measure of either register: ``measure_id``, ``title``, ``field``,
        ``body``, ``change``, ``status_previous``, ``status``, ``status_changed``,
        ``participants_previous``, ``participants``, ``budget_previous_eur``,
        ``budget_eur``; sorted by category, then id.
    """
    cols = ["measure_id", "title", "field", "body", "status", "participants", "budget_eur"]
    cur = reg[cols].set_index("measure_id")
    prev = previous_reg[cols].set_index("measure_id")
    ids = list(dict.fromkeys([*cur.index, *prev.index]))
    rows = []
    for ident in ids:
        in_cur, in_prev = ident in cur.index, ident in prev.index
        base = cur.loc[ident] if in_cur else prev.loc[ident]
        s_prev = prev.at[ident, "status"] if in_prev else None
        s_cur = cur.at[ident, "status"] if in_cur else None
        if not in_prev:
            change = "neu"
        elif not in_cur:
            change = "nicht mehr im Register"
        elif s_cur in ENDED_STATUSES and s_prev in ACTIVE_STATUSES:
            change = "beendet"
        else:
            change = "fortgeführt"
        rows.append(
            {
                "measure_id": ident,
                "title": base["title"],
                "field": base["field"],
                "body": base["body"],
                "change": change,
                "status_previous": s_prev,
                "status": s_cur,
                "status_changed": bool(in_cur and in_prev and s_cur != s_prev),
                "participants_previous": prev.at[ident, "participants"] if in_prev else pd.NA,
                "participants": cur.at[ident, "participants"] if in_cur else pd.NA,
                "budget_previous_eur": prev.at[ident, "budget_eur"] if in_prev else math.nan,
                "budget_eur": cur.at[ident, "budget_eur"] if in_cur else math.nan,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "measure_id",
            "title",
            "field",
            "body",
            "change",
            "status_previous",
            "status",
            "status_changed",
            "participants_previous",
            "participants",
            "budget_previous_eur",
            "budget_eur",
        ],
    )
    for col in ("participants_previous", "participants"):
        out[col] = pd.array(
            [pd.NA if pd.isna(v) else round(float(v)) for v in out[col]], dtype="Int64"
        )
    for col in ("budget_previous_eur", "budget_eur"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    out["_order"] = out["change"].map({c: i for i, c in enumerate(CHANGE_CATEGORIES)})
    out = out.sort_values(["_order", "measure_id"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class RegisterGaps:
    """Result of :func:`gaps`.

    Attributes
    ----------
    fields : pandas.DataFrame
        Per Handlungsfeld: ``field``, ``measures``, ``measures_with_indicator``,
        ``indicators`` (``;``-joined catalogue ids named by its measures),
        ``catalogue_indicators`` (ids the catalogue assigns to this field, if known) and
        ``gap`` (measures but no indicator named).
    goals : pandas.DataFrame
        The same per focus goal (``goal``, ``goal_label``; no ``catalogue_indicators``).
    unaddressed : pandas.DataFrame
        Catalogue indicators that no measure names: ``indicator``, ``indicator_field``.
    unknown : pandas.DataFrame
        Ids named by measures but not in the catalogue: ``indicator``, ``measures``.
    """

    fields: pd.DataFrame
    goals: pd.DataFrame
    unaddressed: pd.DataFrame
    unknown: pd.DataFrame

    @property
    def fields_without_indicator(self) -> list[str]:
        """Handlungsfelder with measures but no indicator."""
        return self.fields.loc[self.fields["gap"], "field"].tolist()

    @property
    def goals_without_indicator(self) -> list[int]:
        """Focus goals with measures but no indicator."""
        return self.goals.loc[self.goals["gap"], "goal"].tolist()

    @property
    def indicators_without_measure(self) -> list[str]:
        """Catalogue indicators that no measure addresses."""
        return self.unaddressed["indicator"].tolist()


def gaps(
    reg: pd.DataFrame,
    catalogue_ids: Iterable[str],
    indicator_fields: Mapping[str, str] | None = None,
) -> RegisterGaps:
    """Goals and fields with measures but no indicator, and indicators with no measure.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register (pass :func:`active` ``(reg)`` to look at running measures only).
    catalogue_ids : iterable of str
        The ids of the indicator catalogue (:func:`catalogue_ids`).
    indicator_fields : mapping, optional
        Indicator id -> its field in the catalogue. Shown for unaddressed indicators; where
        the field is one of the six :data:`FIELDS`, it also fills ``catalogue_indicators``.

    Returns
    -------
    RegisterGaps
        See there; ``.fields_without_indicator``, ``.goals_without_indicator`` and
        ``.indicators_without_measure`` give the plain lists.
    """
    catalogue = sorted(set(catalogue_ids))
    known = set(catalogue)
    fields_map = dict(indicator_fields or {})
    linked = [[i for i in split_list(v) if i in known] for v in reg["indicators"]]
    named = [split_list(v) for v in reg["indicators"]]

    def summary(mask: np.ndarray) -> dict[str, Any]:
        ids = sorted({i for m, ls in zip(mask, linked, strict=True) if m for i in ls})
        n = int(mask.sum())
        with_ind = int(sum(1 for m, ls in zip(mask, linked, strict=True) if m and ls))
        return {
            "measures": n,
            "measures_with_indicator": with_ind,
            "indicators": ";".join(ids),
            "gap": bool(n > 0 and with_ind == 0),
        }

    field_rows = []
    for field in FIELDS:
        rec = {"field": field, **summary((reg["field"] == field).to_numpy())}
        rec["catalogue_indicators"] = ";".join(i for i in catalogue if fields_map.get(i) == field)
        field_rows.append(rec)
    goal_lists = [split_goals(v) for v in reg["goals"]]
    goal_rows = [
        {
            "goal": g,
            "goal_label": GOAL_SHORT[g],
            **summary(np.array([g in gs for gs in goal_lists], dtype=bool)),
        }
        for g in GOALS
    ]
    addressed = {i for ls in linked for i in ls}
    unaddressed = pd.DataFrame(
        [
            {"indicator": i, "indicator_field": fields_map.get(i, "")}
            for i in catalogue
            if i not in addressed
        ],
        columns=["indicator", "indicator_field"],
    )
    unknown_ids: dict[str, list[str]] = {}
    for ident, ids in zip(reg["measure_id"], named, strict=True):
        for i in ids:
            if i not in known:
                unknown_ids.setdefault(i, []).append(str(ident))
    unknown = pd.DataFrame(
        [{"indicator": i, "measures": ";".join(m)} for i, m in sorted(unknown_ids.items())],
        columns=["indicator", "measures"],
    )
    fields_df = pd.DataFrame(field_rows)[
        [
            "field",
            "measures",
            "measures_with_indicator",
            "indicators",
            "catalogue_indicators",
            "gap",
        ]
    ]
    return RegisterGaps(fields_df, pd.DataFrame(goal_rows), unaddressed, unknown)


def indicator_view(
    reg: pd.DataFrame,
    indicators_df: pd.DataFrame,
    *,
    period: str | int | Period | None = None,
    area_code: str = CITY_CODE,
    groups: Iterable[str] | None = None,
    filters: Mapping[str, Any] | None = None,
    include_unlinked: bool = False,
) -> pd.DataFrame:
    """Each measure's related indicators with their city value at the start and now.

    A descriptive juxtaposition, not an impact measurement: print :data:`IMPACT_CAVEAT`
    with it.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register.
    indicators_df : pandas.DataFrame
        The indicator table of :mod:`bielefeld_integration.indicators.compute` (or any tidy
        frame with ``period``, ``indicator`` (or ``indicator_id``) and ``value``). Rows of
        ``area_code`` are used (or ``area_level == "stadt"`` if there is no ``area_code``),
        and only the totals of breakdowns (``breakdown``/``breakdown_value`` ==
        ``"insgesamt"``) where these columns exist. A ``group`` column gives one row per
        group; ``unit`` and ``symbol`` are passed through.
    period : str, int or Period, optional
        The current period; default the year of the register's latest ``Stand``.
    area_code : str, default the city
        The area whose values are shown.
    groups : iterable of str, optional
        Only these comparison groups (e.g. ``["insgesamt"]``); default all.
    filters : mapping, optional
        Further ``column == value`` conditions on ``indicators_df``, so that one value per
        indicator, group and period remains.
    include_unlinked : bool, default False
        Also list measures without indicators (with empty indicator columns).

    Returns
    -------
    pandas.DataFrame
        ``measure_id``, ``title``, ``status``, ``start_year``, ``indicator``, (``group``,)
        (``unit``,) ``base_period`` (the start year if a value exists for it, else the
        first later period with a value, else – for measures older than the data – the
        first period with a value), ``base_value``, (``base_symbol``,) ``period``,
        ``value``, (``symbol``,) ``change`` (value − base value; NaN when the base period is
        not before the current one). One row per measure, indicator and group, in register
        order.

    Raises
    ------
    DataError
        If required columns are missing or several values remain for one indicator, group
        and period.
    """
    ind = indicators_df.copy()
    if "indicator" not in ind.columns and "indicator_id" in ind.columns:
        ind = ind.rename(columns={"indicator_id": "indicator"})
    missing = {"period", "indicator", "value"} - set(ind.columns)
    if missing:
        raise DataError(f"Indikatorentabelle ohne Spalte(n) {', '.join(sorted(missing))}")
    if "area_code" in ind.columns:
        ind = ind[ind["area_code"].astype(str) == area_code]
    elif "area_level" in ind.columns and area_code == CITY_CODE:
        ind = ind[ind["area_level"] == "stadt"]
    for col in ("breakdown", "breakdown_value"):
        if col in ind.columns:
            ind = ind[ind[col] == "insgesamt"]
    for col, value in (filters or {}).items():
        if col not in ind.columns:
            raise DataError(f"Filter auf unbekannte Spalte {col!r} der Indikatorentabelle")
        ind = ind[ind[col] == value]
    has_group = "group" in ind.columns
    if groups is not None and has_group:
        ind = ind[ind["group"].isin(list(groups))]
    ind = ind.assign(period=ind["period"].astype(str), indicator=ind["indicator"].astype(str))
    keys = ["indicator", *(["group"] if has_group else []), "period"]
    dup = ind.duplicated(keys, keep=False)
    if dup.any():
        example = ind.loc[dup, keys].iloc[0].to_dict()
        raise DataError(
            f"mehrere Werte für {example} in der Indikatorentabelle: weitere Filter angeben "
            "(Argument filters)"
        )
    if period is None:
        current = str(max(int(str(v)[:4]) for v in reg["as_of"])) if len(reg) else None
    else:
        current = str(Period.parse(period))
    has_symbol = "symbol" in ind.columns
    series: dict[tuple, dict[str, tuple[float, str]]] = {}
    units: dict[str, str] = {}
    for rec in ind.to_dict("records"):
        key = (rec["indicator"], rec["group"]) if has_group else (rec["indicator"],)
        symbol = str(rec["symbol"]) if has_symbol and not _is_empty(rec["symbol"]) else ""
        series.setdefault(key, {})[rec["period"]] = (float(rec["value"]), symbol)
        if "unit" in ind.columns:
            units[rec["indicator"]] = rec["unit"]
    rows = []
    for m in reg.itertuples(index=False):
        start_year = int(str(m.start)[:4])
        ids = split_list(m.indicators)
        base_rec = {
            "measure_id": m.measure_id,
            "title": m.title,
            "status": m.status,
            "start_year": start_year,
        }
        if not ids and include_unlinked:
            rows.append({**base_rec, "indicator": None})
        for ident in ids:
            keys_for = [k for k in series if k[0] == ident]
            if not keys_for:  # indicator without values: keep the row, values missing
                keys_for = [(ident, None) if has_group else (ident,)]
            for key in keys_for:
                values = series.get(key, {})
                avail = sorted(
                    p
                    for p, (v, _) in values.items()
                    if not math.isnan(v) and (current is None or p <= current)
                )
                later = [p for p in avail if int(p) >= start_year]
                base_p = later[0] if later else None
                if base_p is None and avail and int(avail[0]) > start_year:
                    base_p = avail[0]
                cur_v, cur_s = values.get(current, (math.nan, "")) if current else (math.nan, "")
                base_v, base_s = values[base_p] if base_p else (math.nan, "")
                rec = {**base_rec, "indicator": ident}
                if has_group:
                    rec["group"] = key[1]
                if units:
                    rec["unit"] = units.get(ident)
                rec.update({"base_period": base_p, "base_value": base_v})
                if has_symbol:
                    rec["base_symbol"] = base_s
                rec.update({"period": current, "value": cur_v})
                if has_symbol:
                    rec["symbol"] = cur_s
                rec["change"] = (
                    cur_v - base_v
                    if base_p is not None and current is not None and base_p < current
                    else math.nan
                )
                rows.append(rec)
    columns = [
        "measure_id",
        "title",
        "status",
        "start_year",
        "indicator",
        *(["group"] if has_group else []),
        *(["unit"] if units else []),
        "base_period",
        "base_value",
        *(["base_symbol"] if has_symbol else []),
        "period",
        "value",
        *(["symbol"] if has_symbol else []),
        "change",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("base_value", "value", "change"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    return out


# --------------------------------------------------------------------------- publication


def publishable(reg: pd.DataFrame, threshold: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The register for publication: participant counts below ``threshold`` suppressed.

    Budgets are not subject to disclosure control. Compute participant sums for
    publication from the returned frame (see module docstring).

    Parameters
    ----------
    reg : pandas.DataFrame
        A register.
    threshold : int, default 3
        Counts ``0 < n < threshold`` are suppressed.

    Returns
    -------
    register : pandas.DataFrame
        A copy with ``participants`` as float (NaN where suppressed or unknown) and
        ``participants_symbol``: ``"."`` suppressed, ``"..."`` not reported, ``"-"`` zero,
        ``""`` otherwise.
    log : pandas.DataFrame
        ``measure_id``, ``column``, ``value`` (the true count – internal only), ``reason``.
    """
    from bielefeld_integration.disclosure import suppress_counts

    work = reg.reset_index(drop=True)
    out, log = suppress_counts(
        work.assign(participants=_participants(work)).drop(
            columns=["participants_symbol"], errors="ignore"
        ),
        "participants",
        threshold,
    )
    out = out.rename(columns={"symbol": "participants_symbol"})
    log = log.assign(measure_id=[work.at[i, "measure_id"] for i in log["row"]])
    log = log[["measure_id", "column", "value", "reason"]].reset_index(drop=True)
    return out, log


def _fmt_budget(value: Any) -> str:
    if _is_empty(value) or pd.isna(value):
        return ""
    value = float(value)
    cents = round(value * 100)
    whole, frac = divmod(cents, 100)
    text = f"{whole:,}".replace(",", ".")
    return f"{text},{frac:02d}" if frac else text


def _fmt_iso(value: Any) -> str:
    if _is_empty(value) or value is pd.NA:
        return ""
    return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")


def _participants_cells(reg: pd.DataFrame) -> list[Any]:
    symbols = reg["participants_symbol"] if "participants_symbol" in reg.columns else None
    out: list[Any] = []
    for i, v in enumerate(reg["participants"]):
        sym = "" if symbols is None else str(symbols.iloc[i])
        if sym == ".":
            out.append(".")
        elif pd.isna(v):
            out.append(None)
        else:
            out.append(round(float(v)))
    return out


def _export_rows(reg: pd.DataFrame) -> Iterator[dict[str, Any]]:
    parts = _participants_cells(reg)
    for i, rec in enumerate(reg[COLUMNS].itertuples(index=False)):
        row = rec._asdict()
        yield {
            "ID": row["measure_id"],
            "Titel": row["title"],
            "Kurzbeschreibung": "" if _is_empty(row["description"]) else row["description"],
            "Verantwortliche Stelle": row["body"],
            "Art der Stelle": row["body_type"],
            "Handlungsfeld": row["field"],
            "Schwerpunktziele": ",".join(split_list(row["goals"])),
            "Zielgruppen": ", ".join(split_list(row["target_groups"])),
            "Herkunft": row["origin"],
            "Status": row["status"],
            "Beginn": row["start"],
            "Ende": None if _is_empty(row["end"]) or row["end"] is pd.NA else row["end"],
            "Stand": row["as_of"],
            "Teilnehmende": parts[i],
            "Budget (EUR)": None if pd.isna(row["budget_eur"]) else float(row["budget_eur"]),
            "Finanzierung": ", ".join(split_list(row["funding"])),
            "Indikatoren": ", ".join(split_list(row["indicators"])),
        }


def register_csv(reg: pd.DataFrame, *, comment: str | None = None) -> str:
    """The register as CSV text in the delivery format (``;``, German headers and numbers).

    Parameters
    ----------
    reg : pandas.DataFrame
        A register (or the output of :func:`publishable`: suppressed counts become ``.``).
    comment : str, optional
        A first line ``# <comment>`` (e.g. the marker of synthetic data).

    Returns
    -------
    str
        Lines separated by ``\\n``; :func:`load_register` reads it back unchanged.
    """
    buf = io.StringIO()
    if comment:
        buf.write(f"# {comment}\n")
    writer = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(HEADERS))
    for row in _export_rows(reg):
        cells = []
        for header, value in row.items():
            if header in ("Beginn", "Ende", "Stand"):
                cells.append(_fmt_iso(value))
            elif header == "Budget (EUR)":
                cells.append(_fmt_budget(value))
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return buf.getvalue()


def register_xlsx(reg: pd.DataFrame, comment: str | None = None) -> bytes:
    """The register as an Excel workbook in the delivery format (same bytes on every run)."""
    return _xlsx_bytes(reg, comment)


def _xlsx_bytes(reg: pd.DataFrame, comment: str | None) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Maßnahmen"
    if comment:
        ws.append([f"# {comment}"])
    ws.append(list(HEADERS))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in _export_rows(reg):
        values = []
        for header, value in row.items():
            if header in ("Beginn", "Ende", "Stand"):
                values.append(dt.date.fromisoformat(value) if value else None)
            else:
                values.append(value)
        ws.append(values)
        r = ws.max_row
        for c, header in enumerate(HEADERS, start=1):
            cell = ws.cell(row=r, column=c)
            if header in ("Beginn", "Ende", "Stand"):
                cell.number_format = "DD.MM.YYYY"
            elif header == "Budget (EUR)":
                cell.number_format = "#,##0.00"
            elif header != "Teilnehmende":
                cell.number_format = "@"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    widths = {
        "ID": 10,
        "Titel": 50,
        "Kurzbeschreibung": 60,
        "Verantwortliche Stelle": 30,
        "Handlungsfeld": 40,
        "Zielgruppen": 30,
        "Finanzierung": 20,
    }
    for c, header in enumerate(HEADERS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = widths.get(header, 14)
    fixed = dt.datetime(2000, 1, 1)
    if len(reg):
        as_of = dt.date.fromisoformat(str(reg["as_of"].max()))
        fixed = dt.datetime(as_of.year, as_of.month, as_of.day)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "Kommunales Integrationszentrum"
    raw = io.BytesIO()
    wb.save(raw)
    # repack with fixed timestamps so that the same register gives the same bytes
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>",
                    b'<dcterms:modified xsi:type="dcterms:W3CDTF">'
                    + fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                    + b"</dcterms:modified>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    return out.getvalue()


def _write_atomic(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_register(reg: pd.DataFrame, path: str | Path, *, comment: str | None = None) -> Path:
    """Write the register as ``.csv`` (UTF-8 with BOM for Excel, ``;``) or ``.xlsx``.

    The files have the delivery format (German headers, ``TT.MM.JJJJ`` dates, German
    numbers in the CSV, real dates and numbers in the XLSX), so :func:`load_register`
    reads them back unchanged. The write is atomic and the bytes are deterministic.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register; for publication the output of :func:`publishable` (suppressed
        participant counts are written as ``.``).
    path : str or Path
        Target file; the suffix (``.csv`` or ``.xlsx``) selects the format.
    comment : str, optional
        A first line/row ``# <comment>``.

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        content = register_csv(reg, comment=comment).encode("utf-8-sig")
    elif suffix == ".xlsx":
        content = _xlsx_bytes(reg, comment)
    else:
        raise ValueError(f"unsupported export format {path.suffix!r} (use .csv or .xlsx)")
    _write_atomic(path, content)
    return path


__all__ = [
    "ACTIVE_STATUSES",
    "BODY_TYPES",
    "CATALOGUE_FIELD_CODES",
    "CHANGE_CATEGORIES",
    "COLUMNS",
    "COLUMN_LABELS",
    "FIELDS",
    "FIELD_SHORT",
    "FUNDING_SOURCES",
    "GERMAN_HEADERS",
    "GOALS",
    "GOAL_SHORT",
    "HEADERS",
    "IMPACT_CAVEAT",
    "MEASURES_TABLE_SPEC",
    "MEASURE_COLUMNS",
    "ORIGINS",
    "REGISTER_SCHEMA",
    "STATUSES",
    "TARGET_GROUPS",
    "RegisterGaps",
    "active",
    "by_body",
    "catalogue_fields",
    "catalogue_ids",
    "changes",
    "coverage_matrix",
    "export_register",
    "gaps",
    "indicator_view",
    "key_figures",
    "load_register",
    "publishable",
    "register_csv",
    "split_goals",
    "split_list",
]
