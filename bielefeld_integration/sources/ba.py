"""Loaders for the tables of the Bundesagentur für Arbeit (BA) and GENESIS 13111.

The BA's CSV exports (special evaluations by Stadtbezirk) start with a preamble – title,
``Statistik der Bundesagentur für Arbeit``, region and reference period – then a blank line,
the header, the rows, one or more total rows (``Insgesamt``) and a footer after a blank
line. Counts may carry thousands dots. The preamble must name the manifest's period
(``Berichtszeitraum: Jahresdurchschnitt 2016`` or ``Stichtag: 30.06.2016``) and every total
row must equal the sum of the rows it covers.

``unemployed``
    ``Stadtbezirk;Staatsangehörigkeit;Geschlecht;Alter;Rechtskreis;Kontext
    Fluchtmigration;Arbeitslose`` (annual average).
``sgb2``
    ``Stadtbezirk;Staatsangehörigkeit;Leistungsberechtigte insgesamt;davon unter 15 Jahre;
    davon 15 Jahre bis Regelaltersgrenze`` (31.12.; each row's parts must add up).
``employees``
    ``Stadtbezirk;Staatsangehörigkeit;Geschlecht;Alter;Beschäftigungsart;Beschäftigte am
    Wohnort`` (30.06.).
``employees_workplace``
    GENESIS table 13111 (employees at the workplace by nationality, 30.06.); stacked
    periods are allowed, the one of the manifest is taken.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources._csv import check_unique, finish, melt_counts
from bielefeld_integration.sources._offices import (
    LabelColumns,
    check_sum,
    check_totals,
    genesis_bielefeld,
    genesis_column,
    genesis_count,
    german_date,
    map_key_columns,
    norm,
    read_preamble_table,
    split_totals,
)

CITIZENSHIP_LABELS = {
    "Deutsche": "deutsch",
    "Deutschland": "deutsch",
    "Ausländer": "auslaendisch",
    "Ausländerinnen und Ausländer": "auslaendisch",
    "Ausländer/-innen": "auslaendisch",
}
SEX_LABELS = {"Männer": "m", "männlich": "m", "Frauen": "w", "weiblich": "w"}
AGE_BAND_LABELS = {
    "15 bis unter 25 Jahre": "15-24",
    "unter 25 Jahre": "15-24",
    "25 bis unter 65 Jahre": "25-64",
    "25 Jahre und älter": "25-64",
    "25 Jahre bis Regelaltersgrenze": "25-64",
}
LEGAL_SPHERE_LABELS = {
    "SGB II": "SGB II",
    "SGB III": "SGB III",
    "Rechtskreis SGB II": "SGB II",
    "Rechtskreis SGB III": "SGB III",
}
YES_NO = {"ja": "ja", "nein": "nein"}
EMPLOYMENT_LABELS = {
    "sozialversicherungspflichtig Beschäftigte": "svb",
    "SvB": "svb",
    "ausschließlich geringfügig Beschäftigte": "geringfuegig",
    "aGeB": "geringfuegig",
}


def _check_period(preamble: list[str], reference_date: str, path: Path, *, annual: bool) -> None:
    """The preamble must name the manifest's year (annual) or date (Stichtag)."""
    for i, line in enumerate(preamble):
        if annual and re.search(r"jahresdurchschnitt|berichtsjahr|berichtszeitraum", norm(line)):
            m = re.search(r"(\d{4})", line)
            if m:
                if m.group(1) != reference_date[:4]:
                    raise DataError(
                        f"Berichtszeitraum »{line}« passt nicht zum Stichtag im "
                        f"Manifest ({reference_date})",
                        file=path,
                        row=i + 1,
                    )
                return
        if not annual and "stichtag" in norm(line):
            iso = german_date(line)
            if iso:
                if iso != reference_date:
                    raise DataError(
                        f"»{line}« weicht vom Stichtag im Manifest ({reference_date}) ab",
                        file=path,
                        row=i + 1,
                    )
                return
    what = "Berichtszeitraum (Jahresdurchschnitt)" if annual else "Stichtag"
    raise DataError(f"Vorspann ohne {what} – Bezugszeit nicht prüfbar", file=path)


def _check_source(preamble: list[str], path: Path) -> None:
    if not any("bundesagentur fuer arbeit" in norm(line) for line in preamble):
        raise DataError(
            "Vorspann nennt nicht die »Statistik der Bundesagentur für Arbeit« – "
            "ist das ein BA-Export?",
            file=path,
        )


UNEMPLOYED_COLUMNS = {
    "Stadtbezirk": "stadtbezirk",
    "Staatsangehörigkeit": "citizenship",
    "Geschlecht": "sex",
    "Alter": "age_band",
    "Rechtskreis": "legal_sphere",
    "Kontext Fluchtmigration": "flight_context",
    "Arbeitslose": "count",
}


def _load_breakdown(
    path: Path,
    reference_date: str,
    columns: dict[str, str],
    labels: LabelColumns,
    *,
    annual: bool,
) -> pd.DataFrame:
    """Read a BA table with one count column and label columns, checked against its totals.

    ``labels`` maps each label column to its label mapping and a German description.
    """
    preamble, df = read_preamble_table(path, columns, counts=["count"])
    _check_source(preamble, path)
    _check_period(preamble, reference_date, path, annual=annual)
    keys = list(columns.values())[:-1]
    headers = {v: k for k, v in columns.items()}
    raw, totals = split_totals(df, keys)
    df = raw.copy()
    map_key_columns(df, labels, path, headers=headers)
    check_totals(raw, totals, keys, "count", path, headers=headers)
    check_unique(df, keys, path)
    return finish(df[[*keys, "count", "_line"]], reference_date)


def load_unemployed(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Unemployed (annual average) by Stadtbezirk and the BA's breakdowns."""
    return _load_breakdown(
        path,
        reference_date,
        UNEMPLOYED_COLUMNS,
        {
            "citizenship": (CITIZENSHIP_LABELS, "Staatsangehörigkeit"),
            "sex": (SEX_LABELS, "Geschlecht"),
            "age_band": (AGE_BAND_LABELS, "Altersgruppe"),
            "legal_sphere": (LEGAL_SPHERE_LABELS, "Rechtskreis"),
            "flight_context": (YES_NO, "Angabe zum Kontext Fluchtmigration"),
        },
        annual=True,
    )


SGB2_COLUMNS = {
    "Stadtbezirk": "stadtbezirk",
    "Staatsangehörigkeit": "citizenship",
    "Leistungsberechtigte insgesamt": "_total",
    "davon unter 15 Jahre": "unter 15",
    "davon 15 Jahre bis Regelaltersgrenze": "15 bis Regelaltersgrenze",
}


def load_sgb2(path: Path, *, reference_date: str) -> pd.DataFrame:
    """SGB II beneficiaries on 31.12. by Stadtbezirk, citizenship and age band."""
    bands = ["unter 15", "15 bis Regelaltersgrenze"]
    preamble, df = read_preamble_table(path, SGB2_COLUMNS, counts=["_total", *bands])
    _check_source(preamble, path)
    _check_period(preamble, reference_date, path, annual=False)
    for total, young, old, line in zip(
        df["_total"], df[bands[0]], df[bands[1]], df["_line"], strict=True
    ):
        check_sum(
            int(total),
            int(young) + int(old),
            path,
            what="Leistungsberechtigte insgesamt ≠ Summe der Altersgruppen",
            row=int(line),
            column="Leistungsberechtigte insgesamt",
        )
    headers = {v: k for k, v in SGB2_COLUMNS.items()}
    keys = ["stadtbezirk", "citizenship"]
    raw, totals = split_totals(df, keys)
    df = raw.copy()
    map_key_columns(
        df, {"citizenship": (CITIZENSHIP_LABELS, "Staatsangehörigkeit")}, path, headers=headers
    )
    check_totals(raw, totals, keys, "_total", path, headers=headers)
    check_unique(df, ["stadtbezirk", "citizenship"], path)
    long = melt_counts(df, ["stadtbezirk", "citizenship"], bands, "age_band")
    return finish(
        long[["stadtbezirk", "citizenship", "age_band", "count", "_line"]], reference_date
    )


EMPLOYEES_COLUMNS = {
    "Stadtbezirk": "stadtbezirk",
    "Staatsangehörigkeit": "citizenship",
    "Geschlecht": "sex",
    "Alter": "age_band",
    "Beschäftigungsart": "employment",
    "Beschäftigte am Wohnort": "count",
}


def load_employees(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Employees at their place of residence (30.06.) by Stadtbezirk and breakdowns."""
    return _load_breakdown(
        path,
        reference_date,
        EMPLOYEES_COLUMNS,
        {
            "citizenship": (CITIZENSHIP_LABELS, "Staatsangehörigkeit"),
            "sex": (SEX_LABELS, "Geschlecht"),
            "age_band": (AGE_BAND_LABELS, "Altersgruppe"),
            "employment": (EMPLOYMENT_LABELS, "Beschäftigungsart"),
        },
        annual=False,
    )


#: Largest share of the total without a nationality (13111: "ohne Angabe").
UNKNOWN_NATIONALITY_TOLERANCE = 0.005
_WORKPLACE_NAT = {"insgesamt": "insgesamt", "deutsche": "deutsch", "auslaender": "auslaendisch"}


def load_employees_workplace(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Employees at their workplace in Bielefeld by nationality (GENESIS 13111, 30.06.).

    Germans and foreigners must not exceed the total, and the rest (nationality unknown)
    must stay below 0.5 % of the total.
    """
    cells = genesis_bielefeld(path, reference_date, keep=("Nationalit", "Staatsangeh"))
    nat_col = genesis_column(cells, ["Nationalit", "Staatsangeh"], path, "die Nationalität")
    cells = cells.assign(_cit=cells[nat_col].map(lambda s: _WORKPLACE_NAT.get(norm(s))))
    cells = cells[cells._cit.notna()]
    n: dict[str, int] = {}
    for cit, value, symbol in zip(cells._cit, cells.value, cells.symbol, strict=True):
        if cit in n:
            raise DataError(f"Zelle »Bielefeld / {cit}« doppelt", file=path)
        n[cit] = genesis_count(value, symbol, path, f"Bielefeld / {cit}")
    missing = {"insgesamt", "deutsch", "auslaendisch"} - set(n)
    if missing:
        raise DataError(
            f"Spalte(n) {', '.join(sorted(missing))} fehlen in der Tabelle 13111", file=path
        )
    parts = n["deutsch"] + n["auslaendisch"]
    gap = n["insgesamt"] - parts
    if gap < 0 or gap > UNKNOWN_NATIONALITY_TOLERANCE * n["insgesamt"]:
        raise DataError(
            f"Deutsche + Ausländer ({parts}) passen nicht zu Insgesamt ({n['insgesamt']}); "
            "erlaubt ist nur ein kleiner Rest ohne Angabe zur Nationalität",
            file=path,
            column=nat_col,
        )
    out = pd.DataFrame({"citizenship": list(n), "count": list(n.values())})
    out["count"] = out["count"].astype("int64")
    return finish(out, reference_date)


LOADERS = {
    "unemployed": load_unemployed,
    "sgb2": load_sgb2,
    "employees": load_employees,
    "employees_workplace": load_employees_workplace,
}
