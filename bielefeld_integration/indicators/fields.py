"""Parsers of the single fields of a catalogue entry, collecting problems as DataErrors.

Used by :func:`bielefeld_integration.indicators.validate.validate_catalogue`: each parser
checks one field (filter, side, groups, breakdowns, target, years) against the table
schemas and records every problem in a :class:`Problems` collector, naming the entry id
and the field, e.g. ``Indikator DEM-02, Feld »numerator.where.citizenship«: ...``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.indicators.schema import (
    GROUP_APPLY,
    NOT_KEY,
    SIDE_KEYS,
    SPATIAL,
    Filter,
    Side,
    table_columns,
)
from bielefeld_integration.tables import TABLES


class Problems:
    """Collects DataErrors naming the catalogue file, entry id and field."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[DataError] = []

    def add(self, entry: str, fld: str, message: str) -> None:
        where = f"Indikator {entry}" if entry else "Katalog"
        self.errors.append(DataError(f"{where}, Feld »{fld}«: {message}", file=self.source))

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DataErrors(
                self.errors,
                header=f"{self.source}: {len(self.errors)} Fehler im Indikatorkatalog:",
            )


def _codes_text(codes: tuple[str, ...] | None) -> str:
    if not codes:
        return "beliebiger Text"
    shown = ", ".join(codes[:12])
    return shown + (", …" if len(codes) > 12 else "")


def parse_filter(raw: Any, tables: list[str], entry: str, fld: str, problems: Problems) -> Filter:
    """Normalise and check a filter against every table it will be applied to."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        problems.add(entry, fld, f"erwartet eine Zuordnung Spalte: Wert(e), gefunden {raw!r}")
        return ()
    out = []
    for col, value in raw.items():
        col = str(col)
        negate = False
        if isinstance(value, Mapping):
            if set(value) != {NOT_KEY}:
                problems.add(
                    entry, f"{fld}.{col}", f"nur {{not: [...]}} erlaubt, gefunden {value!r}"
                )
                continue
            negate, value = True, value[NOT_KEY]
        values = value if isinstance(value, list) else [value]
        if not values or any(v is None or isinstance(v, (dict, list)) for v in values):
            problems.add(entry, f"{fld}.{col}", f"ungültiger Filterwert {value!r}")
            continue
        texts = tuple(str(v) for v in values)
        ok = True
        for table in tables:
            columns = table_columns(table)
            if col not in columns:
                problems.add(
                    entry,
                    f"{fld}.{col}",
                    f"Tabelle {table!r} hat keine Spalte {col!r} (vorhanden: {', '.join(columns)})",
                )
                ok = False
                continue
            codes = columns[col]
            bad = [v for v in texts if codes is not None and v not in codes]
            if bad:
                problems.add(
                    entry,
                    f"{fld}.{col}",
                    f"Wert {bad[0]!r} steht nicht in der Codeliste von {table}.{col} "
                    f"({_codes_text(codes)})",
                )
                ok = False
        if ok:
            out.append((col, texts, negate))
    return tuple(sorted(out))


def parse_side(raw: Any, entry: str, fld: str, problems: Problems) -> Side | None:
    if not isinstance(raw, Mapping):
        problems.add(entry, fld, f"erwartet {{table: ..., where: ...}}, gefunden {raw!r}")
        return None
    unknown = set(map(str, raw)) - set(SIDE_KEYS)
    if unknown:
        problems.add(entry, fld, f"unbekannte Angabe(n) {', '.join(sorted(unknown))}")
    table = raw.get("table")
    if table not in TABLES:
        problems.add(
            entry, f"{fld}.table", f"unbekannte Tabelle {table!r} (bekannt: {', '.join(TABLES)})"
        )
        return None
    where = parse_filter(raw.get("where"), [table], entry, f"{fld}.where", problems)
    counts = TABLES[table].counts
    sum_col = raw.get("sum", counts[0])
    if sum_col not in counts:
        problems.add(
            entry,
            f"{fld}.sum",
            f"Tabelle {table!r} hat keine Zählspalte {sum_col!r} (vorhanden: {', '.join(counts)})",
        )
        return None
    period = raw.get("period", "current")
    if period not in ("current", "previous"):
        problems.add(entry, f"{fld}.period", f"erwartet current oder previous, gefunden {period!r}")
        return None
    minus = None
    if raw.get("minus") is not None:
        m = raw["minus"]
        if isinstance(m, Mapping) and m.get("table", table) != table:
            problems.add(entry, f"{fld}.minus.table", "minus muss dieselbe Tabelle lesen")
            return None
        if isinstance(m, Mapping):
            m = {"sum": sum_col, "period": period, **m, "table": table}
        minus = parse_side(m, entry, f"{fld}.minus", problems)
    return Side(
        table=table,
        where=where,
        sum=str(sum_col),
        period_offset=-1 if period == "previous" else 0,
        minus=minus,
    )


def parse_groups(
    raw: Any,
    group_sets: Mapping[str, Any],
    entry: str,
    problems: Problems,
) -> tuple[str, str, str, list[tuple[str, Any]]] | None:
    """Resolve ``groups`` to (set name, concept, apply, [(label, raw filter)])."""
    if not isinstance(raw, Mapping):
        problems.add(
            entry, "groups", f"erwartet {{set: ...}} oder {{concept, members}}, gefunden {raw!r}"
        )
        return None
    apply = raw.get("apply", "both")
    if apply not in GROUP_APPLY:
        problems.add(
            entry, "groups.apply", f"erwartet {' oder '.join(GROUP_APPLY)}, gefunden {apply!r}"
        )
        return None
    set_name = ""
    if "set" in raw:
        set_name = str(raw["set"])
        if set_name not in group_sets:
            problems.add(
                entry,
                "groups.set",
                f"unbekannte Gruppierung {set_name!r} (bekannt: {', '.join(group_sets)})",
            )
            return None
        base = group_sets[set_name]
    else:
        base = raw
    concept = base.get("concept") if isinstance(base, Mapping) else None
    members = base.get("members") if isinstance(base, Mapping) else None
    if not concept or not isinstance(concept, str):
        problems.add(entry, "groups.concept", "fehlt (Vergleichskonzept als Text)")
        return None
    if not isinstance(members, Mapping) or not members:
        problems.add(entry, "groups.members", "fehlt oder leer (Gruppe: Filter)")
        return None
    return set_name, concept, apply, [(str(k), v) for k, v in members.items()]


def check_breakdowns(ind: dict, sides: list[Side], entry: str, problems: Problems) -> None:
    breakdowns = ind.get("breakdowns")
    for b in breakdowns:
        for side in sides:
            cols = table_columns(side.table)
            if b not in cols:
                problems.add(
                    entry,
                    "breakdowns",
                    f"Gliederung {b!r} gibt es in Tabelle {side.table!r} nicht",
                )
                return
        if b not in SPATIAL:
            code_lists = {table_columns(s.table)[b] for s in sides}
            if len(code_lists) > 1:
                problems.add(
                    entry,
                    "breakdowns",
                    f"Gliederung {b!r} hat in den Tabellen "
                    f"{', '.join(sorted({s.table for s in sides}))} verschiedene Codelisten",
                )


def parse_target(raw: Any, entry: str, problems: Problems) -> Mapping[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or "value" not in raw or "year" not in raw:
        problems.add(
            entry, "target", f"erwartet {{value: Zahl, year: Jahr}} oder null, gefunden {raw!r}"
        )
        return None
    try:
        value = float(raw["value"])
        year = int(raw["year"])
    except (TypeError, ValueError):
        problems.add(entry, "target", f"value muss eine Zahl und year ein Jahr sein: {raw!r}")
        return None
    return {**raw, "value": value, "year": year}


def years(raw: Any, entry: str, fld: str, problems: Problems) -> tuple[int, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(
        isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2099 for y in raw
    ):
        problems.add(entry, fld, f"erwartet eine Liste von Jahren wie [2016], gefunden {raw!r}")
        return ()
    return tuple(sorted(set(raw)))
