"""Key figures, summary tables and map values of "Bielefeld im Vergleich".

Pure functions over the official tables and the comparison series of :mod:`.compare`: the
key figures of Bielefeld with their reference date and source table, the comparison table
of one indicator (Bielefeld, NRW, Regierungsbezirk Detmold, the median and Bielefeld's rank
among the kreisfreie Städte), the foreigners' share of every Kreis of NRW for the map, and
the last year of each series. Nothing here formats text for readers except the labels.
"""

from __future__ import annotations

import pandas as pd

from bielefeld_integration.official.compare import (
    BIELEFELD,
    DETMOLD,
    KREISFREIE_STAEDTE_NRW,
    NRW,
    select,
)

__all__ = [
    "KEY_FIGURES",
    "comparison_table",
    "foreigner_share_by_kreis",
    "key_figures",
    "last_years",
]

_F = "Ausländer(innen)"
#: Key figures: (label, table name, labels of the cell, ignore, reference date kind, table code).
KEY_FIGURES: list[tuple[str, str, tuple[str, ...], tuple[str, ...], str, str]] = [
    ("Bevölkerung", "population_by_age", (), (), "31.12.", "12411-03-03-4"),
    ("Ausländerinnen und Ausländer", "population_by_age", (_F,), (), "31.12.", "12411-03-03-4"),
    ("Einbürgerungen", "naturalisations", (), (), "Jahr", "12511-01-01-4"),
    (
        "Zuzüge von Ausländerinnen und Ausländern aus dem Ausland",
        "migration",
        (_F, "Zuzüge aus dem Ausland über die Gemeindegrenzen"),
        (),
        "Jahr",
        "12711-03-02-4",
    ),
    (
        "Sozialversicherungspflichtig beschäftigte Ausländerinnen und Ausländer (Wohnort)",
        "employees_residence",
        (_F,),
        (),
        "30.06.",
        "13111-02-02-4",
    ),
    (
        "Arbeitslose (Jahresdurchschnitt)",
        "unemployed",
        (),
        ("Arbeitslose",),
        "Jahr",
        "13211-01-03-4",
    ),
    (
        "darunter Ausländerinnen und Ausländer",
        "unemployed",
        ("Ausländer",),
        ("Arbeitslose",),
        "Jahr",
        "13211-01-03-4",
    ),
    (
        "Regelleistungsberechtigte nach dem SGB II",
        "sgb2",
        ("dar.: Regelleistungsberechtigte nach dem SGB II",),
        (),
        "31.12.",
        "22811-02-02-4",
    ),
    (
        "darunter Ausländerinnen und Ausländer",
        "sgb2",
        ("dar.: Regelleistungsberechtigte nach dem SGB II", _F),
        (),
        "31.12.",
        "22811-02-02-4",
    ),
    (
        "Empfängerinnen und Empfänger von Asylbewerberleistungen",
        "asylum_benefits",
        (),
        (),
        "31.12.",
        "22221-01-01-4",
    ),
    (
        "Kinder in Tageseinrichtungen",
        "daycare",
        ("Tageseinrichtung", "Betreute Kinder"),
        (),
        "01.03.",
        "22543-01-02-4",
    ),
    (
        "darunter mit mindestens einem Elternteil ausländischer Herkunft",
        "daycare",
        ("Tageseinrichtung", "Kinder, Herkunft mind. 1 Elternteil ausländisch"),
        (),
        "01.03.",
        "22543-01-02-4",
    ),
]


def _reference(kind: str, year: str) -> str:
    return year if kind == "Jahr" else f"{kind}{year}"


def key_figures(tables: dict[str, pd.DataFrame], up_to: int | None = None) -> pd.DataFrame:
    """Bielefeld's key figures, each for the last year the tables hold (up to ``up_to``).

    Returns
    -------
    pandas.DataFrame
        ``figure``, ``year``, ``reference`` (``"31.12.2015"``, ``"2016"`` …), ``value``,
        ``table`` (GENESIS code).
    """
    rows = []
    for label, name, labels, ignore, kind, code in KEY_FIGURES:
        s = select(tables[name], *labels, ignore=ignore, regions=[BIELEFELD]).dropna()
        s = s.xs(BIELEFELD, level="region_code")
        if up_to is not None:
            earlier = s[s.index.astype(int) <= up_to]
            s = earlier if len(earlier) else s
        if s.empty:
            continue
        year = max(s.index)
        rows.append((label, year, _reference(kind, year), float(s[year]), code))
    return pd.DataFrame(rows, columns=["figure", "year", "reference", "value", "table"])


def comparison_table(series: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator per year: Bielefeld, NRW, Regierungsbezirk Detmold, kreisfreie Städte.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``bielefeld``, ``nrw``, ``detmold``, ``median_kfs`` (median
        of the 22 kreisfreie Städte incl. Bielefeld), ``min_kfs``, ``max_kfs``, ``rank``
        (Bielefeld's rank among the kreisfreie Städte with a value, 1 = highest) and
        ``n_kfs`` (number of kreisfreie Städte with a value).
    """
    df = series[series["indicator"] == indicator]
    wide = df.pivot_table(index="year", columns="region_code", values="value", aggfunc="first")
    kfs = wide[[c for c in KREISFREIE_STAEDTE_NRW if c in wide.columns]]
    out = pd.DataFrame(index=wide.index)
    out["bielefeld"] = wide.get(BIELEFELD)
    out["nrw"] = wide.get(NRW)
    out["detmold"] = wide.get(DETMOLD)
    out["median_kfs"] = kfs.median(axis=1)
    out["min_kfs"] = kfs.min(axis=1)
    out["max_kfs"] = kfs.max(axis=1)
    ranks = kfs.rank(axis=1, ascending=False, method="min")
    out["rank"] = ranks.get(BIELEFELD)
    out["n_kfs"] = kfs.notna().sum(axis=1)
    out.index.name = "year"
    return out.sort_index()


def foreigner_share_by_kreis(tables: dict[str, pd.DataFrame], year: str = "2015") -> pd.Series:
    """Foreigners' share (%) of every Kreis of NRW on 31.12.``year`` (index: AGS)."""
    t = tables["population_by_age"]
    codes = sorted(c for c in t["region_code"].unique() if len(c) == 5 and c.startswith(NRW))
    foreign = select(t, _F, regions=codes).xs(year, level="year")
    total = select(t, regions=codes).xs(year, level="year")
    return (100 * foreign / total).dropna().rename("value")


def last_years(series: pd.DataFrame) -> dict[str, str]:
    """The last year with a Bielefeld value, per indicator."""
    b = series[series["region_code"] == BIELEFELD]
    return b.groupby("indicator")["year"].max().to_dict()
