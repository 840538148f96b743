"""Loaders for day care: the Jugendamt's KJH extract and IT.NRW statistics 22541.

``daycare``
    Semicolon CSV of the Jugendamt (cp1252 or UTF-8): ``Stichtag;Stadtbezirk;Altersgruppe;
    Migrationshintergrund;Familiensprache;Kinder``, one row per Stadtbezirk × age group ×
    migration background (at least one parent of foreign origin) × family language.
``daycare_facilities``
    GENESIS export of statistics 22541 (facilities and approved places, Stichtag 01.03.) in
    any family :func:`~bielefeld_integration.sources.genesis.read_genesis` reads; a
    breakdown by kind of body (Träger) is checked against its total and then dropped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources._csv import finish
from bielefeld_integration.sources._offices import (
    check_dates,
    check_sum,
    genesis_bielefeld,
    genesis_count,
    load_keyed_counts,
    norm,
)

DAYCARE_COLUMNS = {
    "Stichtag": "_date",
    "Stadtbezirk": "stadtbezirk",
    "Altersgruppe": "age_group",
    "Migrationshintergrund": "migration_background",
    "Familiensprache": "family_language",
    "Kinder": "count",
}
AGE_LABELS = {
    "unter 3 Jahre": "unter 3",
    "unter 3": "unter 3",
    "0 bis unter 3 Jahre": "unter 3",
    "3 bis unter 6 Jahre": "3 bis unter 6",
    "3 bis unter 6": "3 bis unter 6",
    "3 Jahre bis Schuleintritt": "3 bis unter 6",
}
MH_LABELS = {
    "ja": "mit",
    "mit": "mit",
    "mit Migrationshintergrund": "mit",
    "nein": "ohne",
    "ohne": "ohne",
    "ohne Migrationshintergrund": "ohne",
}
LANGUAGE_LABELS = {
    "deutsch": "deutsch",
    "nicht deutsch": "nichtdeutsch",
    "nichtdeutsch": "nichtdeutsch",
    "nicht-deutsch": "nichtdeutsch",
    "vorrangig deutsch": "deutsch",
    "vorrangig nicht deutsch": "nichtdeutsch",
}


def load_daycare(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Children in day care (KJH extract of the Jugendamt, Stichtag 01.03.).

    Parameters
    ----------
    path
        The delivered CSV file.
    reference_date
        The manifest's reference date (ISO); every ``Stichtag`` cell must match it.

    Returns
    -------
    pandas.DataFrame
        The ``daycare`` table.
    """
    return load_keyed_counts(
        path,
        reference_date,
        DAYCARE_COLUMNS,
        {
            "age_group": (AGE_LABELS, "Altersgruppe"),
            "migration_background": (MH_LABELS, "Angabe zum Migrationshintergrund"),
            "family_language": (LANGUAGE_LABELS, "Familiensprache"),
        },
        period="_date",
        check_period=check_dates,
    )


#: Measures of 22541 by their normalised label (flat CSV labels use underscores).
FACILITY_MEASURES = {
    "tageseinrichtungen": "einrichtungen",
    "tageseinrichtungen fuer kinder": "einrichtungen",
    "einrichtungen": "einrichtungen",
    "genehmigte plaetze": "genehmigte_plaetze",
    "plaetze": "genehmigte_plaetze",
}


def load_daycare_facilities(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Day-care facilities and approved places in Bielefeld (statistics 22541, 01.03.).

    Other measures of the table (children, staff) are left out; a breakdown by kind of
    body must add up to its total.
    """
    cells = genesis_bielefeld(path, reference_date, keep=("Art des Tr", "Träger"))
    cells = cells.assign(_m=cells.measure.map(lambda m: FACILITY_MEASURES.get(norm(m))))
    cells = cells[cells._m.notna()]
    dims = [
        c
        for c in cells.columns
        if c.startswith(("Art des Tr", "Träger")) and not c.endswith("_code")
    ]
    rows = []
    for measure in ("einrichtungen", "genehmigte_plaetze"):
        part = cells[cells._m == measure]
        if part.empty:
            raise DataError(f"Merkmal »{measure}« fehlt in der Tabelle 22541", file=path)
        total_mask = pd.Series(True, index=part.index)
        for d in dims:
            total_mask &= (part[d].str.strip() == "") | (part[d].map(norm) == "insgesamt")
        total = part[total_mask]
        if len(total) != 1:
            raise DataError(
                f"{len(total)} Summenzellen für »{measure}« (erwartet: eine)", file=path
            )
        value = genesis_count(
            total.value.iloc[0], total.symbol.iloc[0], path, f"Bielefeld / {total.measure.iloc[0]}"
        )
        details = part[~total_mask]
        if not details.empty:
            parts = sum(
                genesis_count(v, s, path, f"Bielefeld / {measure}")
                for v, s in zip(details.value, details.symbol, strict=True)
            )
            check_sum(
                value,
                parts,
                path,
                what=f"{total.measure.iloc[0]} nach Art des Trägers",
                column=str(total.measure.iloc[0]),
            )
        rows.append({"measure": measure, "count": value})
    out = pd.DataFrame(rows)
    out["count"] = out["count"].astype("int64")
    return finish(out, reference_date)


LOADERS = {"daycare": load_daycare, "daycare_facilities": load_daycare_facilities}
