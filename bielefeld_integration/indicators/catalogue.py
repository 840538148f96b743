"""Load and validate the indicator catalogue (``catalogue.yaml``).

The catalogue is data: statisticians edit the YAML, this module reads it into frozen
:class:`Indicator` objects and refuses anything the engine could not evaluate. Every entry
describes its numerator and denominator *declaratively* as a table of
:data:`bielefeld_integration.tables.TABLES`, a filter and the count column to sum::

    numerator:   {table: population, where: {citizenship: auslaendisch}}
    denominator: {table: population}

Filter values are a single code, a list of codes or ``{not: [codes]}``; every column and
code is checked against the table's schema. Besides the real columns a few *derived*
columns can be used in filters and breakdowns (:data:`DERIVED_COLUMNS`):

``mh``
    migration background ``mit`` / ``ohne`` (register: personal or familial = ``mit``).
``nationality_group``
    ``eu`` / ``drittstaat`` (``deutsch`` for Germans in ``population_origin``).
``minor``
    ``ja`` / ``nein`` (under 18) from the age group.

The ``kind`` says how numerator and denominator are combined (see
:mod:`bielefeld_integration.indicators.compute`). Problems are reported as one
:class:`~bielefeld_integration.errors.DataError` per entry and field, e.g.
``catalogue.yaml: Indikator DEM-02, Feld »numerator.where.citizenship«: ...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.tables import (
    ARRIVAL_AGE_GROUPS,
    MINOR_AGE_GROUPS,
    NATIONALITIES,
    TABLES,
)

#: The catalogue shipped with the package.
CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")

#: The evaluation models the engine knows.
KINDS = (
    "count",
    "share",
    "rate",
    "gap_pp",
    "ratio",
    "representation_index",
    "dissimilarity",
    "location_quotient",
    "change",
)
#: Direction in which an indicator is read.
POLARITIES = ("higher_better", "higher_worse", "neutral")
#: Field codes of the proposed Bielefeld catalogue (indicators-research 7.2).
FIELD_CODES = ("DEM", "REC", "FLU", "KITA", "SPR", "SCH", "AUS", "ARB", "SOZ", "WOH", "IKO", "PAR")
#: Spatial breakdowns: they become area levels, not breakdown rows.
SPATIAL = ("stadtbezirk", "stat_bezirk")
STATUSES = ("aktiv", "geplant")
CHANGE_MODES = ("relative", "pp", "absolute")
GROUP_APPLY = ("both", "numerator")
#: Fields every entry must have (DESIGN section 5).
REQUIRED_FIELDS = (
    "id",
    "title",
    "field",
    "definition",
    "numerator",
    "denominator",
    "multiplier",
    "unit",
    "kind",
    "groups",
    "breakdowns",
    "reference_date",
    "source",
    "polarity",
    "target",
    "min_denominator",
    "reference",
    "breaks",
)
_OPTIONAL_FIELDS = (
    "status",
    "compare",
    "comparison",
    "change",
    "unit_level",
    "provisional",
    "note",
)
_SIDE_KEYS = ("table", "where", "sum", "period", "minus")
_ID_RE = re.compile(r"^[A-Z]{2,4}-\d{2}$")
_NOT = "not"


# --------------------------------------------------------------------------- derived columns

_MH_REGISTER = {"ohne": "ohne", "persoenlich": "mit", "familiaer": "mit"}
_ARRIVAL_MINORS = set(ARRIVAL_AGE_GROUPS[:5])


def _mh_register(df: pd.DataFrame) -> pd.Series:
    return df["migration_background"].map(_MH_REGISTER)


def _copy(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: df[column]


def _nationality_group(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: df[column].map(NATIONALITIES)


def _origin_group(df: pd.DataFrame) -> pd.Series:
    group = df["origin"].map(NATIONALITIES)
    return group.where(df["citizenship"] != "deutsch", "deutsch")


def _minor(minors: set[str]) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: df["age_group"].isin(list(minors)).map({True: "ja", False: "nein"})


@dataclass(frozen=True)
class Derived:
    """A column computed from a table's own columns (for filters and breakdowns)."""

    function: Callable[[pd.DataFrame], pd.Series]
    codes: tuple[str, ...]


#: Derived columns per name and table: how to compute them and their code list.
DERIVED_COLUMNS: dict[str, dict[str, Derived]] = {
    "mh": {
        "population": Derived(_mh_register, ("mit", "ohne")),
        "population_origin": Derived(_mh_register, ("mit", "ohne")),
        "daycare": Derived(_copy("migration_background"), ("mit", "ohne")),
        "city_staff": Derived(_copy("migration_background"), ("mit", "ohne", "keine_angabe")),
    },
    "nationality_group": {
        "population_origin": Derived(_origin_group, ("deutsch", "eu", "drittstaat")),
        "residence": Derived(_nationality_group("nationality"), ("eu", "drittstaat")),
        "arrivals": Derived(_nationality_group("nationality"), ("eu", "drittstaat")),
        "newcomer_pupils": Derived(_nationality_group("nationality"), ("eu", "drittstaat")),
    },
    "minor": {
        "population": Derived(_minor(set(MINOR_AGE_GROUPS)), ("ja", "nein")),
        "arrivals": Derived(_minor(_ARRIVAL_MINORS), ("ja", "nein")),
    },
}


def table_columns(table: str) -> dict[str, tuple[str, ...] | None]:
    """Filterable columns of a table with their code lists (``None``: free text).

    Includes the derived columns available for that table.
    """
    out: dict[str, tuple[str, ...] | None] = {}
    for name, column in TABLES[table].columns.items():
        codes = None
        for check in column.checks:
            allowed = (check.statistics or {}).get("allowed_values")
            if allowed is not None:
                codes = tuple(str(v) for v in allowed)
        out[name] = codes
    for name, per_table in DERIVED_COLUMNS.items():
        if table in per_table and name not in out:
            out[name] = per_table[table].codes
    return out


# --------------------------------------------------------------------------- data classes

#: A normalised filter: ``((column, (codes, ...), negate), ...)`` sorted by column.
Filter = tuple[tuple[str, tuple[str, ...], bool], ...]


@dataclass(frozen=True)
class Side:
    """One declarative term: the sum of ``sum`` over the rows of ``table`` matching ``where``.

    ``period_offset`` is 0 (the reporting period) or -1 (the previous period, e.g. the
    denominator of the Einbürgerungsquote). ``minus`` is subtracted (balances such as
    arrivals minus departures); it always reads the same table.
    """

    table: str
    where: Filter = ()
    sum: str = "count"
    period_offset: int = 0
    minus: Side | None = None

    def columns(self) -> set[str]:
        """Columns the filters of this side use."""
        cols = {c for c, _, _ in self.where}
        if self.minus is not None:
            cols |= self.minus.columns()
        return cols

    def describe(self) -> str:
        """Short German text of the term, e.g. ``population [citizenship = auslaendisch]``."""
        parts = []
        for col, values, negate in self.where:
            op = "nicht in" if negate else ("=" if len(values) == 1 else "in")
            shown = values[0] if len(values) == 1 and not negate else ", ".join(values)
            parts.append(f"{col} {op} {shown}")
        text = self.table + (f" [{'; '.join(parts)}]" if parts else "")
        if self.sum != "count":
            text += f" (Summe {self.sum})"
        if self.period_offset:
            text += " (Vorjahr)"
        if self.minus is not None:
            text += " minus " + self.minus.describe()
        return text


@dataclass(frozen=True)
class Groups:
    """The comparison concept of an indicator and its groups (each a filter)."""

    concept: str
    members: tuple[tuple[str, Filter], ...]
    apply: str = "both"  # "both": numerator and denominator; "numerator": numerator only
    set_name: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """The group labels in catalogue order."""
        return tuple(label for label, _ in self.members)

    def columns(self) -> set[str]:
        """Columns the member filters use."""
        return {c for _, flt in self.members for c, _, _ in flt}


@dataclass(frozen=True)
class Indicator:
    """One validated catalogue entry (see DESIGN section 5 for the meaning of the fields)."""

    id: str
    title: str
    field_code: str
    handlungsfeld: str
    definition: str
    kind: str
    numerator: Side | None
    denominator: Side | None
    multiplier: float
    unit: str
    groups: Groups
    breakdowns: tuple[str, ...]
    reference_date: str
    source: str
    polarity: str
    target: Mapping[str, Any] | None
    min_denominator: float | None
    reference: str
    breaks: tuple[int, ...]
    provisional: tuple[int, ...] = ()
    status: str = "aktiv"
    compare: tuple[str, str] | None = None
    comparison: tuple[Side, Side] | None = None
    change: str | None = None
    unit_level: str | None = None
    note: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def computable(self) -> bool:
        """False for planned indicators without data (``status: geplant``)."""
        return self.status == "aktiv"

    @property
    def levels(self) -> tuple[str, ...]:
        """Area levels the indicator is computed for, ``"stadt"`` first."""
        return ("stadt", *(b for b in SPATIAL if b in self.breakdowns))

    @property
    def dims(self) -> tuple[str, ...]:
        """Non-spatial breakdown dimensions (sex, age group, ...)."""
        return tuple(b for b in self.breakdowns if b not in SPATIAL)

    def sides(self) -> list[Side]:
        """All terms the indicator reads."""
        out = [s for s in (self.numerator, self.denominator) if s is not None]
        if self.comparison:
            out.extend(self.comparison)
        return out

    def tables(self) -> set[str]:
        """All tables the indicator reads."""
        return {s.table for s in self.sides()}


class Catalogue(Mapping[str, Indicator]):
    """The validated catalogue: a read-only mapping ``id -> Indicator`` in file order."""

    def __init__(
        self,
        indicators: list[Indicator],
        group_sets: Mapping[str, Groups],
        handlungsfelder: Mapping[str, str],
        path: Path | None = None,
    ) -> None:
        self._items = {ind.id: ind for ind in indicators}
        self.group_sets = dict(group_sets)
        self.handlungsfelder = dict(handlungsfelder)
        self.path = path

    def __getitem__(self, key: str) -> Indicator:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Catalogue({len(self)} indicators)"

    def computable(self) -> list[Indicator]:
        """The indicators that can be evaluated (not ``status: geplant``)."""
        return [ind for ind in self.values() if ind.computable]

    def to_frame(self) -> pd.DataFrame:
        """The catalogue as a metadata table (one row per indicator) for reports.

        Columns: ``id``, ``title``, ``field``, ``handlungsfeld``, ``definition``, ``kind``,
        ``numerator``, ``denominator``, ``multiplier``, ``unit``, ``groups``, ``group_labels``,
        ``breakdowns``, ``reference_date``, ``source``, ``polarity``, ``target``,
        ``min_denominator``, ``reference``, ``breaks``, ``status``.
        """
        rows = []
        for ind in self.values():
            target = ""
            if ind.target:
                target = f"{ind.target['value']} ({ind.target['year']})"
            rows.append(
                {
                    "id": ind.id,
                    "title": ind.title,
                    "field": ind.field_code,
                    "handlungsfeld": self.handlungsfelder.get(ind.handlungsfeld, ind.handlungsfeld),
                    "definition": ind.definition,
                    "kind": ind.kind,
                    "numerator": ind.numerator.describe() if ind.numerator else "",
                    "denominator": ind.denominator.describe() if ind.denominator else "",
                    "multiplier": ind.multiplier,
                    "unit": ind.unit,
                    "groups": ind.groups.concept,
                    "group_labels": ", ".join(ind.groups.labels),
                    "breakdowns": ", ".join(ind.breakdowns),
                    "reference_date": ind.reference_date,
                    "source": ind.source,
                    "polarity": ind.polarity,
                    "target": target,
                    "min_denominator": ind.min_denominator,
                    "reference": ind.reference,
                    "breaks": ", ".join(map(str, ind.breaks)),
                    "status": ind.status,
                }
            )
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------- validation


class _Problems:
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


def _parse_filter(raw: Any, tables: list[str], entry: str, fld: str, problems: _Problems) -> Filter:
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
            if set(value) != {_NOT}:
                problems.add(
                    entry, f"{fld}.{col}", f"nur {{not: [...]}} erlaubt, gefunden {value!r}"
                )
                continue
            negate, value = True, value[_NOT]
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


def _parse_side(raw: Any, entry: str, fld: str, problems: _Problems) -> Side | None:
    if not isinstance(raw, Mapping):
        problems.add(entry, fld, f"erwartet {{table: ..., where: ...}}, gefunden {raw!r}")
        return None
    unknown = set(map(str, raw)) - set(_SIDE_KEYS)
    if unknown:
        problems.add(entry, fld, f"unbekannte Angabe(n) {', '.join(sorted(unknown))}")
    table = raw.get("table")
    if table not in TABLES:
        problems.add(
            entry, f"{fld}.table", f"unbekannte Tabelle {table!r} (bekannt: {', '.join(TABLES)})"
        )
        return None
    where = _parse_filter(raw.get("where"), [table], entry, f"{fld}.where", problems)
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
        minus = _parse_side(m, entry, f"{fld}.minus", problems)
    return Side(
        table=table,
        where=where,
        sum=str(sum_col),
        period_offset=-1 if period == "previous" else 0,
        minus=minus,
    )


def _parse_groups(
    raw: Any,
    group_sets: Mapping[str, Any],
    entry: str,
    problems: _Problems,
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


def _check_breakdowns(ind: dict, sides: list[Side], entry: str, problems: _Problems) -> None:
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


def _parse_target(raw: Any, entry: str, problems: _Problems) -> Mapping[str, Any] | None:
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


def _years(raw: Any, entry: str, fld: str, problems: _Problems) -> tuple[int, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(
        isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2099 for y in raw
    ):
        problems.add(entry, fld, f"erwartet eine Liste von Jahren wie [2016], gefunden {raw!r}")
        return ()
    return tuple(sorted(set(raw)))


def _parse_indicator(
    raw: Any,
    index: int,
    group_sets: Mapping[str, Any],
    handlungsfelder: Mapping[str, str],
    problems: _Problems,
) -> Indicator | None:
    if not isinstance(raw, Mapping):
        problems.add(f"Nr. {index + 1}", "", f"erwartet eine Zuordnung, gefunden {raw!r}")
        return None
    entry = str(raw.get("id") or f"Nr. {index + 1}")
    n_errors = len(problems.errors)
    missing = [f for f in REQUIRED_FIELDS if f not in raw]
    for f in missing:
        problems.add(entry, f, "Pflichtangabe fehlt")
    unknown = set(map(str, raw)) - set(REQUIRED_FIELDS) - set(_OPTIONAL_FIELDS)
    for f in sorted(unknown):
        problems.add(entry, f, "unbekannte Angabe")
    if missing:
        return None
    if not _ID_RE.match(entry):
        problems.add(entry, "id", "erwartet eine Kennung wie 'DEM-02'")
    for f in ("title", "definition", "unit", "reference_date", "source", "reference"):
        if not isinstance(raw[f], str) or not raw[f].strip():
            problems.add(entry, f, "erwartet einen nicht leeren Text")

    fld = raw["field"]
    code = hf = None
    if not isinstance(fld, Mapping):
        problems.add(entry, "field", "erwartet {code: DEM, handlungsfeld: ...}")
    else:
        code, hf = fld.get("code"), fld.get("handlungsfeld")
        if code not in FIELD_CODES:
            problems.add(
                entry,
                "field.code",
                f"erwartet eines von {', '.join(FIELD_CODES)}, gefunden {code!r}",
            )
        elif not entry.startswith(f"{code}-"):
            problems.add(entry, "field.code", f"Kennung passt nicht zum Feld {code!r}")
        if hf not in handlungsfelder:
            problems.add(
                entry,
                "field.handlungsfeld",
                f"erwartet eines von {', '.join(handlungsfelder)}, gefunden {hf!r}",
            )

    kind = raw["kind"]
    if kind not in KINDS:
        problems.add(entry, "kind", f"erwartet eines von {', '.join(KINDS)}, gefunden {kind!r}")
        return None
    polarity = raw["polarity"]
    if polarity not in POLARITIES:
        problems.add(
            entry, "polarity", f"erwartet eines von {', '.join(POLARITIES)}, gefunden {polarity!r}"
        )
    status = raw.get("status", "aktiv")
    if status not in STATUSES:
        problems.add(entry, "status", f"erwartet aktiv oder geplant, gefunden {status!r}")
        return None
    multiplier = raw["multiplier"]
    if isinstance(multiplier, bool) or not isinstance(multiplier, (int, float)) or multiplier <= 0:
        problems.add(entry, "multiplier", f"erwartet eine positive Zahl, gefunden {multiplier!r}")
        multiplier = 1
    min_den = raw["min_denominator"]
    if min_den is not None and (
        isinstance(min_den, bool) or not isinstance(min_den, (int, float)) or min_den < 0
    ):
        problems.add(
            entry, "min_denominator", f"erwartet eine Zahl ≥ 0 oder null, gefunden {min_den!r}"
        )
        min_den = None
    breaks = _years(raw["breaks"], entry, "breaks", problems)
    provisional = _years(raw.get("provisional"), entry, "provisional", problems)
    target = _parse_target(raw["target"], entry, problems)
    breakdowns = raw["breakdowns"]
    if not isinstance(breakdowns, list) or not all(isinstance(b, str) for b in breakdowns):
        problems.add(entry, "breakdowns", f"erwartet eine Liste, gefunden {breakdowns!r}")
        breakdowns = []
    elif len(set(breakdowns)) != len(breakdowns):
        problems.add(entry, "breakdowns", "Gliederung doppelt genannt")

    groups_raw = _parse_groups(raw["groups"], group_sets, entry, problems)

    if status == "geplant":
        if len(problems.errors) > n_errors or groups_raw is None:
            return None
        set_name, concept, apply, _ = groups_raw
        return Indicator(
            id=entry,
            title=raw["title"],
            field_code=str(code),
            handlungsfeld=str(hf),
            definition=raw["definition"],
            kind=kind,
            numerator=None,
            denominator=None,
            multiplier=float(multiplier),
            unit=raw["unit"],
            groups=Groups(concept, (("insgesamt", ()),), apply, set_name),
            breakdowns=tuple(breakdowns),
            reference_date=raw["reference_date"],
            source=raw["source"],
            polarity=polarity,
            target=target,
            min_denominator=min_den,
            reference=raw["reference"],
            breaks=breaks,
            provisional=provisional,
            status=status,
            note=str(raw.get("note") or ""),
            raw=raw,
        )

    numerator = _parse_side(raw["numerator"], entry, "numerator", problems)
    denominator = None
    if kind == "count":
        if raw["denominator"] is not None:
            problems.add(entry, "denominator", "eine Anzahl (kind: count) hat keinen Nenner: null")
    elif raw["denominator"] is None:
        if kind != "change":
            problems.add(entry, "denominator", f"kind {kind} braucht einen Nenner")
    else:
        denominator = _parse_side(raw["denominator"], entry, "denominator", problems)

    comparison = None
    if kind == "representation_index":
        comp = raw.get("comparison")
        if not isinstance(comp, Mapping) or not {"numerator", "denominator"} <= set(comp):
            problems.add(
                entry,
                "comparison",
                "Repräsentationsindex braucht comparison: {numerator, denominator}",
            )
        else:
            cn = _parse_side(comp["numerator"], entry, "comparison.numerator", problems)
            cd = _parse_side(comp["denominator"], entry, "comparison.denominator", problems)
            if cn and cd:
                comparison = (cn, cd)
    elif raw.get("comparison") is not None:
        problems.add(entry, "comparison", f"nur für kind representation_index, nicht {kind}")

    change = None
    if kind == "change":
        change = raw.get("change")
        if change not in CHANGE_MODES:
            problems.add(
                entry,
                "change",
                f"erwartet eines von {', '.join(CHANGE_MODES)}, gefunden {change!r}",
            )
    elif raw.get("change") is not None:
        problems.add(entry, "change", f"nur für kind change, nicht {kind}")

    unit_level = None
    if kind == "dissimilarity":
        unit_level = raw.get("unit_level", "stat_bezirk")
        if unit_level not in SPATIAL:
            problems.add(
                entry, "unit_level", f"erwartet {' oder '.join(SPATIAL)}, gefunden {unit_level!r}"
            )
        bad = [b for b in breakdowns if b not in SPATIAL or b == unit_level]
        if bad or (unit_level == "stadtbezirk" and breakdowns):
            problems.add(
                entry,
                "breakdowns",
                "Dissimilaritätsindex: nur übergeordnete Gebietsebenen als Gliederung",
            )
    elif raw.get("unit_level") is not None:
        problems.add(entry, "unit_level", f"nur für kind dissimilarity, nicht {kind}")
    if kind == "location_quotient" and not any(b in SPATIAL for b in breakdowns):
        problems.add(entry, "breakdowns", "Lokationsquotient braucht eine Gebietsgliederung")

    if numerator is None or (kind not in ("count", "change") and denominator is None):
        return None
    if groups_raw is None:
        return None
    if kind == "representation_index" and comparison is None:
        return None
    set_name, concept, apply, members_raw = groups_raw
    if denominator is None:
        apply = "numerator"
    group_tables = (
        [numerator.table] if apply == "numerator" else [numerator.table, denominator.table]
    )  # type: ignore[union-attr]
    members = []
    for label, flt in members_raw:
        members.append(
            (
                label,
                _parse_filter(
                    flt, sorted(set(group_tables)), entry, f"groups.members.{label}", problems
                ),
            )
        )
    if len({m[0] for m in members}) != len(members):
        problems.add(entry, "groups.members", "Gruppenbezeichnung doppelt")

    compare = None
    if kind in ("gap_pp", "ratio"):
        cmp_raw = raw.get("compare")
        labels = [m[0] for m in members]
        if (
            not isinstance(cmp_raw, list)
            or len(cmp_raw) != 2
            or not all(str(c) in labels for c in cmp_raw)
            or cmp_raw[0] == cmp_raw[1]
        ):
            problems.add(
                entry,
                "compare",
                f"erwartet zwei verschiedene Gruppen aus {', '.join(labels)}, gefunden {cmp_raw!r}",
            )
        else:
            compare = (str(cmp_raw[0]), str(cmp_raw[1]))
    elif raw.get("compare") is not None:
        problems.add(entry, "compare", f"nur für kind gap_pp oder ratio, nicht {kind}")

    sides = [s for s in (numerator, denominator) if s is not None]
    if comparison:
        sides.extend(comparison)
    if kind == "dissimilarity" and unit_level:
        _check_breakdowns({"breakdowns": [*breakdowns, unit_level]}, sides, entry, problems)
    elif kind == "representation_index":
        _check_breakdowns({"breakdowns": breakdowns}, sides, entry, problems)
    else:
        _check_breakdowns({"breakdowns": breakdowns}, sides, entry, problems)

    if len(problems.errors) > n_errors:
        return None
    return Indicator(
        id=entry,
        title=raw["title"],
        field_code=str(code),
        handlungsfeld=str(hf),
        definition=raw["definition"],
        kind=kind,
        numerator=numerator,
        denominator=denominator,
        multiplier=float(multiplier),
        unit=raw["unit"],
        groups=Groups(concept, tuple(members), apply, set_name),
        breakdowns=tuple(breakdowns),
        reference_date=raw["reference_date"],
        source=raw["source"],
        polarity=polarity,
        target=target,
        min_denominator=None if min_den is None else float(min_den),
        reference=raw["reference"],
        breaks=breaks,
        provisional=provisional,
        status=status,
        compare=compare,
        comparison=comparison,
        change=change,
        unit_level=unit_level,
        note=str(raw.get("note") or ""),
        raw=raw,
    )


def validate_catalogue(doc: Any, source: str = "catalogue.yaml") -> Catalogue:
    """Validate a parsed catalogue document and build the :class:`Catalogue`.

    Parameters
    ----------
    doc : dict
        The parsed YAML: ``handlungsfelder`` (key -> German name), ``group_sets`` (name ->
        ``{concept, members}``) and ``indicators`` (list of entries).
    source : str
        File name used in error messages.

    Returns
    -------
    Catalogue

    Raises
    ------
    DataError
        Naming the entry id and field, for unknown tables or columns, codes outside the
        code list, missing fields, duplicate ids, unknown kinds and every other problem.
        Several problems are reported together (:class:`~bielefeld_integration.errors.DataErrors`).
    """
    problems = _Problems(source)
    if not isinstance(doc, Mapping):
        problems.add("", "", "erwartet eine YAML-Zuordnung mit 'indicators'")
        problems.raise_if_any()
    handlungsfelder = doc.get("handlungsfelder") or {}
    group_sets = doc.get("group_sets") or {}
    entries = doc.get("indicators")
    if not isinstance(handlungsfelder, Mapping) or not handlungsfelder:
        problems.add("", "handlungsfelder", "fehlt (Schlüssel: Name des Handlungsfelds)")
        handlungsfelder = {}
    if not isinstance(group_sets, Mapping):
        problems.add("", "group_sets", "erwartet eine Zuordnung Name: {concept, members}")
        group_sets = {}
    if not isinstance(entries, list) or not entries:
        problems.add("", "indicators", "fehlt oder leer")
        problems.raise_if_any()

    indicators: list[Indicator] = []
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        ind_id = str(raw.get("id")) if isinstance(raw, Mapping) else None
        if ind_id in seen:
            problems.add(ind_id, "id", "Kennung kommt mehrfach vor")
            continue
        if ind_id:
            seen.add(ind_id)
        ind = _parse_indicator(raw, i, group_sets, handlungsfelder, problems)
        if ind is not None:
            indicators.append(ind)
    problems.raise_if_any()

    parsed_sets = {}
    for name, gs in group_sets.items():
        if isinstance(gs, Mapping) and isinstance(gs.get("members"), Mapping):
            parsed_sets[str(name)] = Groups(
                str(gs.get("concept", "")),
                tuple((str(k), ()) for k in gs["members"]),
                "both",
                str(name),
            )
    return Catalogue(indicators, parsed_sets, {str(k): str(v) for k, v in handlungsfelder.items()})


def read_catalogue(path: str | Path) -> Catalogue:
    """Read and validate a catalogue YAML file (no caching).

    Raises
    ------
    DataError
        If the file is missing, is not valid YAML or fails validation.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"Indikatorkatalog nicht lesbar: {exc.strerror}", file=path) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise DataError(f"kein gültiges YAML: {exc}", file=path, row=row) from None
    cat = validate_catalogue(doc, source=path.name)
    cat.path = path
    return cat


@lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int) -> Catalogue:
    return read_catalogue(path)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The validated indicator catalogue (cached until the file changes).

    Parameters
    ----------
    path : str or Path, optional
        A catalogue file; default the one shipped with the package.

    Returns
    -------
    Catalogue
        Mapping ``id -> Indicator`` in file order.

    Raises
    ------
    DataError
        If the catalogue is invalid (the message names entry id and field).

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat["DEM-02"].kind, cat["DEM-02"].unit
    ('share', '%')
    """
    p = Path(path) if path is not None else CATALOGUE_PATH
    try:
        mtime = p.stat().st_mtime_ns
    except OSError:
        return read_catalogue(p)  # raises the DataError
    return _cached(str(p.resolve()), mtime)


#: Settings of the package, among them the (illustrative) targets.
CONFIG_PATH = Path(__file__).resolve().parents[1] / "config.yaml"
_TARGET_COLUMNS = ["indicator", "group", "value", "year", "illustrative", "note", "origin"]


def _output_groups(ind: Indicator) -> list[str]:
    if ind.compare:
        return [f"{ind.compare[0]}-{ind.compare[1]}"]
    return list(ind.groups.labels)


def targets(config: str | Path | None = None, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Targets of the indicators: council targets from the catalogue plus the config file.

    The city has not set any targets yet. ``bielefeld_integration/config.yaml`` carries a
    few demo targets in its ``targets:`` section, each marked ``illustrative: true``
    ("illustrativ, kein Ratsbeschluss"); reports must say so wherever they show them.

    Parameters
    ----------
    config : str or Path, optional
        A YAML file with a ``targets:`` list; default ``bielefeld_integration/config.yaml``
        (a missing file means no targets).
    catalogue : Catalogue, optional
        Default :func:`load_catalogue`.

    Returns
    -------
    pandas.DataFrame
        ``indicator``, ``group``, ``value`` (float), ``year`` (int), ``illustrative``
        (bool), ``note``, ``origin`` (``katalog`` or ``config``).

    Raises
    ------
    DataError
        For an unknown indicator or group, or a target without numeric value and year.
    """
    cat = catalogue if catalogue is not None else load_catalogue()
    rows = []
    for ind in cat.values():
        if ind.target:
            rows.append(
                {
                    "indicator": ind.id,
                    "group": str(ind.target.get("group", _output_groups(ind)[0])),
                    "value": float(ind.target["value"]),
                    "year": int(ind.target["year"]),
                    "illustrative": bool(ind.target.get("illustrative", False)),
                    "note": str(ind.target.get("note", "")),
                    "origin": "katalog",
                }
            )
    path = Path(config) if config is not None else CONFIG_PATH
    doc: Any = {}
    if path.is_file():
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise DataError(f"kein gültiges YAML: {exc}", file=path) from None
    entries = (doc.get("targets") or []) if isinstance(doc, Mapping) else []
    if not isinstance(entries, list):
        raise DataError("targets muss eine Liste sein", file=path)
    for i, t in enumerate(entries, start=1):
        where = f"Zielwert Nr. {i}"
        if not isinstance(t, Mapping) or t.get("indicator") not in cat:
            found = t.get("indicator") if isinstance(t, Mapping) else t
            raise DataError(f"{where}: unbekannter Indikator {found!r}", file=path)
        ind = cat[t["indicator"]]
        group = str(t.get("group", _output_groups(ind)[0]))
        if group not in _output_groups(ind):
            raise DataError(
                f"{where} ({ind.id}): unbekannte Gruppe {group!r}; "
                f"erlaubt: {', '.join(_output_groups(ind))}",
                file=path,
            )
        try:
            value, year = float(t["value"]), int(t["year"])
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{where} ({ind.id}): value und year erforderlich", file=path) from None
        rows.append(
            {
                "indicator": ind.id,
                "group": group,
                "value": value,
                "year": year,
                "illustrative": bool(t.get("illustrative", False)),
                "note": str(t.get("note", "")),
                "origin": "config",
            }
        )
    return pd.DataFrame(rows, columns=_TARGET_COLUMNS).astype(
        {"value": "float64", "year": "int64", "illustrative": bool}
    )


__all__ = [
    "CATALOGUE_PATH",
    "DERIVED_COLUMNS",
    "KINDS",
    "Catalogue",
    "Groups",
    "Indicator",
    "Side",
    "load_catalogue",
    "read_catalogue",
    "table_columns",
    "targets",
    "validate_catalogue",
]
