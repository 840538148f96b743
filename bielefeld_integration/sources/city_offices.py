"""Loaders for deliveries of city offices: accommodation, staff survey, election, engagement.

All are semicolon CSVs (cp1252 or UTF-8, a ``#`` comment line allowed) with a date column
that must match the manifest's reference date.

``accommodation`` (social services)
    ``Stichtag;Stadtbezirk;Art der Unterbringung;Personen``.
``city_staff`` (personnel office, voluntary survey)
    ``Stichtag;Beschäftigtengruppe;Migrationshintergrund;Anzahl``.
``election`` (elections office, Integrationsrat)
    ``Wahltag;Nr.;Stadtbezirk;Wahlberechtigte;Wählerinnen und Wähler;Wahlbeteiligung in %``
    with a total row for the city (``Stadt Bielefeld insgesamt``) that must equal the sum
    of the districts; voters may not exceed the eligible.
``engagement`` (KI)
    ``Stichtag;Kennzahl;Anzahl``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources._csv import check_unique, finish, read_table
from bielefeld_integration.sources._offices import (
    check_dates,
    check_sum,
    district_code,
    load_keyed_counts,
    map_districts,
    norm,
)

ACCOMMODATION_COLUMNS = {
    "Stichtag": "_date",
    "Stadtbezirk": "stadtbezirk",
    "Art der Unterbringung": "accommodation_type",
    "Personen": "count",
}
ACCOMMODATION_LABELS = {
    "Gemeinschaftsunterkunft": "gemeinschaftsunterkunft",
    "Übergangswohnheim": "uebergangswohnheim",
    "von der Stadt angemietete Wohnung": "wohnung_angemietet",
    "angemietete Wohnung": "wohnung_angemietet",
    "Wohnung": "wohnung_angemietet",
}


def load_accommodation(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Refugees in municipal accommodation by Stadtbezirk and type (social services, 31.12.).

    Parameters
    ----------
    path
        The delivered CSV file.
    reference_date
        The manifest's reference date (ISO); every ``Stichtag`` must match it.

    Returns
    -------
    pandas.DataFrame
        The ``accommodation`` table.
    """
    return load_keyed_counts(
        path,
        reference_date,
        ACCOMMODATION_COLUMNS,
        {"accommodation_type": (ACCOMMODATION_LABELS, "Unterkunftsart")},
        period="_date",
        check_period=check_dates,
    )


STAFF_COLUMNS = {
    "Stichtag": "_date",
    "Beschäftigtengruppe": "staff_group",
    "Migrationshintergrund": "migration_background",
    "Anzahl": "count",
}
STAFF_GROUP_LABELS = {
    "Beschäftigte (ohne Auszubildende)": "beschaeftigte",
    "Beschäftigte": "beschaeftigte",
    "Auszubildende und Anwärter/-innen": "auszubildende",
    "Auszubildende": "auszubildende",
    "Neueinstellungen im Jahr": "neueinstellungen",
    "Neueinstellungen": "neueinstellungen",
}
STAFF_MH_LABELS = {
    "mit Migrationshintergrund": "mit",
    "mit": "mit",
    "ja": "mit",
    "ohne Migrationshintergrund": "ohne",
    "ohne": "ohne",
    "nein": "ohne",
    "keine Angabe": "keine_angabe",
    "k. A.": "keine_angabe",
}


def load_city_staff(path: Path, *, reference_date: str) -> pd.DataFrame:
    """City staff, trainees and new hires by migration background (personnel office)."""
    return load_keyed_counts(
        path,
        reference_date,
        STAFF_COLUMNS,
        {
            "staff_group": (STAFF_GROUP_LABELS, "Beschäftigtengruppe"),
            "migration_background": (STAFF_MH_LABELS, "Angabe zum Migrationshintergrund"),
        },
        period="_date",
        check_period=check_dates,
    )


ELECTION_COLUMNS = {
    "Wahltag": "_date",
    "Nr.": "_nr",
    "Stadtbezirk": "stadtbezirk",
    "Wahlberechtigte": "eligible",
    "Wählerinnen und Wähler": "voters",
    "Wahlbeteiligung in %": "_turnout",
}


def load_election(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Integrationsrat election: eligible voters and voters by Stadtbezirk (elections office).

    The row without a district number is the city total and must equal the district sum.
    """
    df = read_table(path, ELECTION_COLUMNS, counts=["eligible", "voters"])
    check_dates(df, "_date", reference_date, path, header="Wahltag")
    total_mask = (df["_nr"] == "") & df["stadtbezirk"].map(lambda s: "insgesamt" in norm(s))
    totals, df = df[total_mask], df[~total_mask].copy()
    for nr, name, line in zip(df["_nr"], df["stadtbezirk"], df["_line"], strict=True):
        if nr and district_code(nr) != district_code(name):
            raise DataError(
                f"Nr. {nr!r} passt nicht zum Stadtbezirk {name!r}",
                file=path,
                row=int(line),
                column="Nr.",
            )
    df["stadtbezirk"] = map_districts(df, "stadtbezirk", path, header="Stadtbezirk")
    for eligible, voters, line in zip(df["eligible"], df["voters"], df["_line"], strict=True):
        if voters > eligible:
            raise DataError(
                f"mehr Wählende ({voters}) als Wahlberechtigte ({eligible})",
                file=path,
                row=int(line),
                column="Wählerinnen und Wähler",
            )
    for eligible, voters, line in zip(
        totals["eligible"], totals["voters"], totals["_line"], strict=True
    ):
        check_sum(
            int(eligible),
            int(df["eligible"].sum()),
            path,
            what="Wahlberechtigte der Stadt",
            row=int(line),
            column="Wahlberechtigte",
        )
        check_sum(
            int(voters),
            int(df["voters"].sum()),
            path,
            what="Wählende der Stadt",
            row=int(line),
            column="Wählerinnen und Wähler",
        )
    check_unique(df, ["stadtbezirk"], path)
    return finish(df[["stadtbezirk", "eligible", "voters", "_line"]], reference_date)


ENGAGEMENT_COLUMNS = {"Stichtag": "_date", "Kennzahl": "measure", "Anzahl": "count"}
ENGAGEMENT_LABELS = {
    "Registrierte Ehrenamtliche in der Flüchtlingshilfe": "ehrenamtliche",
    "Registrierte Ehrenamtliche": "ehrenamtliche",
    "Ehrenamtliche": "ehrenamtliche",
    "Migrantenselbstorganisationen, registriert": "mso_registriert",
    "Migrantenselbstorganisationen, gefördert": "mso_gefoerdert",
}


def load_engagement(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Registered volunteers and migrant organisations (KI, 31.12.)."""
    return load_keyed_counts(
        path,
        reference_date,
        ENGAGEMENT_COLUMNS,
        {"measure": (ENGAGEMENT_LABELS, "Kennzahl")},
        period="_date",
        check_period=check_dates,
    )


LOADERS = {
    "accommodation": load_accommodation,
    "city_staff": load_city_staff,
    "election": load_election,
    "engagement": load_engagement,
}
