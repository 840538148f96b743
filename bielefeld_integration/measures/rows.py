"""Parse one row of the measures register, collecting every problem of the row.

:class:`RowParser` checks each cell (controlled values, dates, counts, budgets, indicator
ids) and the consistency between cells (end after start, status and dates, Stand in the
reporting year). Problems are collected as :class:`~bielefeld_integration.errors.DataError`
objects with line and column, so that the reader can report all problems of a file at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bielefeld_integration.errors import DataError
from bielefeld_integration.measures.cells import (
    BODY_TYPE_LOOKUP,
    FIELD_LOOKUP,
    FUNDING_LOOKUP,
    GROUP_LOOKUP,
    ORIGIN_LOOKUP,
    STATUS_LOOKUP,
    clean_text,
    goal_text,
    is_empty,
    norm,
    parse_budget,
    parse_count,
    parse_date,
    split_cell,
)
from bielefeld_integration.measures.vocabulary import (
    ENDED_STATUSES,
    GERMAN_HEADERS,
    INDICATOR_ID_PATTERN,
    REQUIRED,
)
from bielefeld_integration.periods import Period

INDICATOR_RE = re.compile(INDICATOR_ID_PATTERN)


class RowParser:
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
        """Record a problem of this row in the column ``header``."""
        self.errors.append(DataError(message, file=self.path, row=self.line, column=header))

    def required(self, col: str) -> Any:
        """The cell of ``col``, or ``None`` if empty (a problem if the column is required)."""
        header = GERMAN_HEADERS[col]
        value = self.cells.get(header)
        if is_empty(value):
            if col in REQUIRED:
                self.error(header, "Pflichtangabe fehlt")
            return None
        return value

    def choice(self, col: str, lookup: dict[str, str], what: str) -> str | None:
        """One controlled value in its canonical spelling (``None`` if empty or unknown)."""
        value = self.required(col)
        if value is None:
            return None
        found = lookup.get(norm(clean_text(value)))
        if found is None:
            allowed = ", ".join(lookup.values())
            self.error(GERMAN_HEADERS[col], f"{what} {clean_text(value)!r} (erlaubt: {allowed})")
        return found

    def choices(self, col: str, lookup: dict[str, str], what: str) -> str | None:
        """A comma list of controlled values, ``;``-joined in canonical order."""
        value = self.required(col)
        if value is None:
            return None
        out, ok = [], True
        for part in split_cell(clean_text(value)):
            found = lookup.get(norm(part)) if part else None
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
        """The focus goals ``1``–``4``, ``;``-joined and sorted."""
        value = self.required("goals")
        if value is None:
            return None
        out: set[int] = set()
        ok = True
        for part in split_cell(goal_text(value)):
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
        """A date cell (``MM.JJJJ`` means the last day of the month if ``end``)."""
        value = self.required(col)
        if value is None:
            return None
        try:
            return parse_date(value, end=end)
        except ValueError as exc:
            self.error(GERMAN_HEADERS[col], str(exc))
            return None

    def number(self, col: str, parse: Callable[[Any], Any]) -> Any:
        """A number cell read with ``parse`` (its ``ValueError`` becomes a problem)."""
        value = self.required(col)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.error(GERMAN_HEADERS[col], str(exc))
            return None

    def indicators(self) -> str | None:
        """The indicator ids (form ``KITA-01``; known ids if a set was given)."""
        value = self.required("indicators")
        if value is None:
            return ""
        out, ok = [], True
        for part in split_cell(clean_text(value)):
            ident = part.upper()
            if not INDICATOR_RE.fullmatch(ident):
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
        """The record of the row and the checks between its cells."""
        rec: dict[str, Any] = {}
        for col in ("measure_id", "title", "description", "body"):
            value = self.required(col)
            rec[col] = clean_text(value)
        rec["body_type"] = self.choice("body_type", BODY_TYPE_LOOKUP, "unbekannte Art der Stelle")
        rec["field"] = self.choice("field", FIELD_LOOKUP, "unbekanntes Handlungsfeld")
        rec["goals"] = self.goals()
        rec["target_groups"] = self.choices("target_groups", GROUP_LOOKUP, "unbekannte Zielgruppe")
        rec["origin"] = self.choice("origin", ORIGIN_LOOKUP, "unbekannte Herkunft")
        rec["status"] = status = self.choice("status", STATUS_LOOKUP, "unbekannter Status")
        start = self.date("start")
        end = self.date("end", end=True)
        as_of = self.date("as_of")
        rec["participants"] = self.number("participants", parse_count)
        rec["budget_eur"] = self.number("budget_eur", parse_budget)
        rec["funding"] = self.choices("funding", FUNDING_LOOKUP, "unbekannte Finanzierungsquelle")
        rec["indicators"] = self.indicators()
        # consistency between fields
        if start and end and end < start:
            self.error(
                "Ende",
                f"Ende {clean_text(self.cells.get('Ende'))} liegt vor dem Beginn "
                f"{clean_text(self.cells.get('Beginn'))}",
            )
        if status in ENDED_STATUSES and is_empty(self.cells.get("Ende")):
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
