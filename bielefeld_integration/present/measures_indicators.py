"""Indicator values in the measures chapter: each value labelled with indicator, group, unit.

Values come from the published (suppressed) indicator table; every value is named with the
one label of :func:`bielefeld_integration.present.labels.indicator_label` (the same words as
on the overview), its group and its unit. A missing value without symbol is unknown (``.``),
a change that cannot be computed is not meaningful (``x``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from bielefeld_integration import measures as m
from bielefeld_integration.indicators.catalogue import Catalogue
from bielefeld_integration.present import measures_tables as mt
from bielefeld_integration.present.format import (
    display_unit,
    fmt_number,
    fmt_pp,
    fmt_value,
    is_missing,
    unit_decimals,
)
from bielefeld_integration.present.labels import (
    TOTAL,
    breakdown_label,
    group_label,
    indicator_label,
)


def fmt_indicator(value: Any, unit: Any, symbol: Any = "") -> str:
    """An indicator value as German text with its unit's format (symbol's sign if any).

    A missing value without symbol is unknown (``.``).

    >>> fmt_indicator(25.46, "%"), fmt_indicator(float("nan"), "%"), fmt_indicator(0, "%", "-")
    ('25,5 %', '.', '–')
    """
    symbol = "" if is_missing(symbol) else str(symbol)
    if symbol:
        return fmt_value(value, str(unit), symbol)
    if is_missing(value) or is_missing(unit):
        return mt.UNKNOWN
    return fmt_value(value, str(unit))


def fmt_indicator_change(value: Any, unit: Any, meaningful: bool) -> str:
    """The change of an indicator value: percentage points for shares, else signed numbers.

    >>> fmt_indicator_change(3.5, "%", True), fmt_indicator_change(-160, "Personen", True)
    ('+3,5 Prozentpunkte', '-160')
    >>> fmt_indicator_change(float("nan"), "%", False)
    'x'
    """
    if not meaningful:
        return mt.NOT_MEANINGFUL
    if is_missing(value) or is_missing(unit):
        return mt.UNKNOWN
    if display_unit(str(unit)) == "%":
        return fmt_pp(value)
    text = fmt_number(value, unit_decimals(str(unit)))
    return text if text.startswith("-") or float(value) == 0 else "+" + text


def value_label(ident: str, group: Any, catalogue: Catalogue) -> str:
    """An indicator id with the one label of its value for a group, as every page shows it.

    >>> from bielefeld_integration.indicators.catalogue import load_catalogue
    >>> value_label("SPR-01", "nichtdeutsch", load_catalogue())[:41]
    'SPR-01 Sprachförderbedarf bei der Schulei'
    >>> value_label("SPR-01", "nichtdeutsch", load_catalogue()).split(": ")[1]
    'Kinder mit nichtdeutscher Familiensprache'
    """
    if ident not in catalogue:
        return ident
    return f"{ident} {indicator_label(catalogue[ident], _group(group))}"


def group_text(ident: str, group: Any, catalogue: Catalogue) -> str:
    """The group of an indicator value in words (``"insgesamt"`` for the total)."""
    return group_label(_group(group), catalogue.get(ident))


def _group(group: Any) -> str:
    return TOTAL if is_missing(group) else str(group)


def indicator_changes_table(view: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Each measure's indicators as German text cells (indicator, group, unit, values)."""
    groups = view["group"] if "group" in view.columns else pd.Series(TOTAL, index=view.index)
    units = view["unit"] if "unit" in view.columns else pd.Series(None, index=view.index)
    base_s = view["base_symbol"] if "base_symbol" in view.columns else [""] * len(view)
    sym = view["symbol"] if "symbol" in view.columns else [""] * len(view)
    rows = zip(view.itertuples(index=False), groups, units, base_s, sym, strict=True)
    return pd.DataFrame(
        [
            {
                "ID": r.measure_id,
                "Maßnahme": r.title,
                "Indikator": value_label(r.indicator, g, catalogue),
                "Gruppe": group_text(r.indicator, g, catalogue),
                "Einheit": "" if is_missing(u) else display_unit(str(u)),
                "Ausgangsjahr": mt.UNKNOWN if is_missing(r.base_period) else r.base_period,
                "Wert im Ausgangsjahr": fmt_indicator(r.base_value, u, bs),
                "Wert im Berichtsjahr": fmt_indicator(r.value, u, s),
                "Veränderung": fmt_indicator_change(r.change, u, _meaningful(r)),
            }
            for r, g, u, bs, s in rows
        ],
        columns=[
            "ID",
            "Maßnahme",
            "Indikator",
            "Gruppe",
            "Einheit",
            "Ausgangsjahr",
            "Wert im Ausgangsjahr",
            "Wert im Berichtsjahr",
            "Veränderung",
        ],
    ).set_index("ID")


def _meaningful(r: Any) -> bool:
    return not is_missing(r.base_period) and r.base_period != r.period


def indicator_changes_data(view: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """:func:`indicator_changes_table` for the CSV: German headers, numbers, symbol columns."""

    def col(name: str, default: Any = "") -> list[Any]:
        return list(view[name]) if name in view.columns else [default] * len(view)

    return pd.DataFrame(
        {
            "Maßnahme (ID)": view["measure_id"].to_numpy(),
            "Maßnahme": view["title"].to_numpy(),
            "Indikator": view["indicator"].to_numpy(),
            "Bezeichnung": [
                value_label(i, g, catalogue).removeprefix(i).strip()
                for i, g in zip(view["indicator"], col("group", TOTAL), strict=True)
            ],
            "Gruppe": [
                group_text(i, g, catalogue)
                for i, g in zip(view["indicator"], col("group", TOTAL), strict=True)
            ],
            "Einheit": ["" if is_missing(u) else display_unit(str(u)) for u in col("unit", None)],
            "Ausgangsjahr": col("base_period", None),
            "Wert im Ausgangsjahr": view["base_value"].to_numpy(),
            "Zeichen im Ausgangsjahr": col("base_symbol"),
            "Berichtsjahr": view["period"].to_numpy(),
            "Wert im Berichtsjahr": view["value"].to_numpy(),
            "Zeichen im Berichtsjahr": col("symbol"),
            "Veränderung": view["change"].to_numpy(),
        }
    )


_SEX_COLUMNS = (*m.SEX_CODES, "total")


def _sex_header(code: str) -> str:
    return "insgesamt" if code == "total" else breakdown_label("sex", code)


def sex_table(table: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """:func:`bielefeld_integration.measures.by_sex` as German text cells."""
    return pd.DataFrame(
        [
            {
                "Indikator": value_label(r["indicator"], r["group"], catalogue),
                "Gruppe": group_text(r["indicator"], r["group"], catalogue),
                "Einheit": display_unit(str(r["unit"])),
                **{
                    _sex_header(c): fmt_indicator(r[f"value_{c}"], r["unit"], r[f"symbol_{c}"])
                    for c in _SEX_COLUMNS
                },
            }
            for r in table.to_dict("records")
        ]
    ).set_index("Indikator")


def sex_data(table: pd.DataFrame, catalogue: Catalogue, period: str) -> pd.DataFrame:
    """:func:`bielefeld_integration.measures.by_sex` for the CSV (German headers, numbers)."""
    out = pd.DataFrame(
        {
            "Indikator": table["indicator"].to_numpy(),
            "Gruppe": [
                group_text(i, g, catalogue)
                for i, g in zip(table["indicator"], table["group"], strict=True)
            ],
            "Einheit": [display_unit(str(u)) for u in table["unit"]],
            "Berichtsjahr": period,
        }
    )
    for c in _SEX_COLUMNS:
        out[f"Wert {_sex_header(c)}"] = table[f"value_{c}"].to_numpy()
        out[f"Zeichen {_sex_header(c)}"] = table[f"symbol_{c}"].to_numpy()
    return out


__all__ = [
    "fmt_indicator",
    "fmt_indicator_change",
    "group_text",
    "indicator_changes_data",
    "indicator_changes_table",
    "sex_data",
    "sex_table",
    "value_label",
]
