"""The vocabulary of the indicator catalogue: codes, derived columns and data classes.

What a catalogue entry may say (kinds, polarities, field codes, spatial breakdowns), the
derived filter columns (:data:`DERIVED_COLUMNS`) and the frozen objects a validated
catalogue consists of (:class:`Side`, :class:`Groups`, :class:`Indicator`,
:class:`Catalogue`). Reading and validating the YAML is in
:mod:`bielefeld_integration.indicators.validate` and
:mod:`bielefeld_integration.indicators.catalogue`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bielefeld_integration.tables import (
    ARRIVAL_AGE_GROUPS,
    MINOR_AGE_GROUPS,
    NATIONALITIES,
    TABLES,
)

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
OPTIONAL_FIELDS = (
    "status",
    "compare",
    "comparison",
    "change",
    "unit_level",
    "provisional",
    "note",
)
SIDE_KEYS = ("table", "where", "sum", "period", "minus")
ID_RE = re.compile(r"^[A-Z]{2,4}-\d{2}$")
NOT_KEY = "not"


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
