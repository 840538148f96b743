"""Loaders for the extracts of the foreigners office and the social services.

``residence`` (e.g. ``auslaenderbehoerde_2017.csv``, AZR extract, 31.12.)
    ``Stichtag;Staatsangehörigkeit;Aufenthaltsstatus;Aufenthaltsdauer;Geschlecht;Anzahl``
``arrivals`` (e.g. ``zugaenge_2017.csv``, newcomers of a calendar year)
    ``Jahr;Halbjahr;Zugangsweg;Staatsangehörigkeit;Geschlecht;Altersgruppe bei Zuzug;
    Stadtbezirk;Anzahl``

Semicolon CSV, UTF-8 (with or without BOM) or cp1252, German labels, ``#`` comment lines,
counts possibly with thousands dots. Labels are mapped to the code lists of
:mod:`bielefeld_integration.tables`; anything unknown is a :class:`DataError` with line
and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.sources._csv import check_unique, finish, read_table
from bielefeld_integration.sources.register import (
    ORIGIN_ALIASES,
    SEX,
    area_codes,
    check_stichtag,
    check_year,
    label_map,
    map_labels,
)
from bielefeld_integration.tables import FOREIGN_NATIONALITIES

NATIONALITY = label_map({n: (n, *ORIGIN_ALIASES.get(n, ())) for n in FOREIGN_NATIONALITIES})

RESIDENCE_STATUS = label_map(
    {
        "asylverfahren": (
            "Aufenthaltsgestattung (Asylerstverfahren)",
            "Aufenthaltsgestattung",
            "Asylerstverfahren",
            "laufendes Asylverfahren",
        ),
        "folgeverfahren": ("Asylfolgeverfahren", "Asylfolgeantrag", "Folgeverfahren"),
        "duldung": ("Duldung", "geduldet"),
        "schutz": (
            "Aufenthaltserlaubnis aus humanitären Gründen (Schutz anerkannt)",
            "Aufenthaltserlaubnis aus humanitären Gründen",
            "humanitärer Aufenthaltstitel",
            "Schutz anerkannt",
        ),
        "befristet": (
            "befristete Aufenthaltserlaubnis (sonstige Zwecke)",
            "befristete Aufenthaltserlaubnis",
            "befristeter Aufenthaltstitel",
        ),
        "unbefristet": (
            "Niederlassungserlaubnis / Daueraufenthalt-EU",
            "Niederlassungserlaubnis",
            "Daueraufenthalt-EU",
            "unbefristeter Aufenthaltstitel",
        ),
        "eu_freizuegigkeit": ("EU-Freizügigkeit", "freizügigkeitsberechtigt", "Freizügigkeit EU"),
        "sonstige": ("sonstiger Aufenthaltsstatus", "sonstige", "ohne Aufenthaltstitel"),
    }
)
RESIDENCE_DURATION = label_map(
    {
        "unter 4": ("unter 4 Jahre", "weniger als 4 Jahre"),
        "4 bis unter 8": ("4 bis unter 8 Jahre",),
        "8 bis unter 10": ("8 bis unter 10 Jahre",),
        "10 und mehr": ("10 Jahre und mehr", "10 Jahre und länger", "10 und länger"),
    }
)
CHANNEL = label_map(
    {
        "zuweisung": ("Zuweisung (Flüchtlinge)", "Zuweisung", "Zuweisung Geflüchteter"),
        "familiennachzug": ("Familiennachzug", "Familienzusammenführung"),
        "eu": ("EU-Zuwanderung", "EU-Zuzug", "Zuzug aus der EU"),
        "sonstige": ("sonstiger Zuzug", "sonstige Zuwanderung"),
    }
)
ARRIVAL_AGE = label_map(
    {
        "00-02": ("0 bis unter 3", "0 bis unter 3 Jahre", "unter 3"),
        "03-05": ("3 bis unter 6", "3 bis unter 6 Jahre"),
        "06-09": ("6 bis unter 10", "6 bis unter 10 Jahre"),
        "10-15": ("10 bis unter 16", "10 bis unter 16 Jahre"),
        "16-17": ("16 bis unter 18", "16 bis unter 18 Jahre"),
        "18-24": ("18 bis unter 25", "18 bis unter 25 Jahre"),
        "25-44": ("25 bis unter 45", "25 bis unter 45 Jahre"),
        "45-64": ("45 bis unter 65", "45 bis unter 65 Jahre"),
        "65+": ("65 und älter", "65 Jahre und älter", "65 und mehr"),
    }
)
_HALF_RE = re.compile(
    r"^\s*(?:([12])\.?\s*(?:Halbjahr|HJ)?|(I{1,2})|(?:Halbjahr|HJ)\s*([12]))"
    r"\s*$",
    re.IGNORECASE,
)

_RESIDENCE_COLUMNS = {
    "Stichtag": "_stichtag",
    "Staatsangehörigkeit": "nationality",
    "Aufenthaltsstatus": "residence_status",
    "Aufenthaltsdauer": "duration",
    "Geschlecht": "sex",
    "Anzahl": "count",
}


def load_residence(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read the foreigners office (AZR) extract into the table ``residence``.

    Parameters
    ----------
    path
        The semicolon CSV.
    reference_date
        The manifest's reference date (ISO); the ``Stichtag`` column must match it.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`tables.TABLES["residence"]`.
    """
    df = read_table(path, _RESIDENCE_COLUMNS)
    check_stichtag(df, "_stichtag", reference_date, path, "Stichtag")
    for col, lookup, header, what in [
        ("nationality", NATIONALITY, "Staatsangehörigkeit", "Staatsangehörigkeit"),
        ("residence_status", RESIDENCE_STATUS, "Aufenthaltsstatus", "Aufenthaltsstatus"),
        ("duration", RESIDENCE_DURATION, "Aufenthaltsdauer", "Aufenthaltsdauer"),
        ("sex", SEX, "Geschlecht", "Geschlecht"),
    ]:
        map_labels(df, col, lookup, path, header, what)
    keys = ["nationality", "residence_status", "duration", "sex"]
    check_unique(df, keys, path)
    return finish(df[[*keys, "count"]], reference_date)


_ARRIVAL_COLUMNS = {
    "Jahr": "_year",
    "Halbjahr": "half",
    "Zugangsweg": "channel",
    "Staatsangehörigkeit": "nationality",
    "Geschlecht": "sex",
    "Altersgruppe bei Zuzug": "age_group",
    "Stadtbezirk": "stadtbezirk",
    "Anzahl": "count",
}


def _half(df: pd.DataFrame, path: Path) -> None:
    out = []
    for value, line in zip(df["half"], df["_line"], strict=True):
        m = _HALF_RE.match(value)
        if not m:
            raise DataError(
                f"unbekanntes Halbjahr »{value}« (erwartet: »1. Halbjahr« oder »2. Halbjahr«)",
                file=path,
                row=int(line),
                column="Halbjahr",
            )
        roman = m.group(2)
        out.append(m.group(1) or m.group(3) or str(len(roman)))
    df["half"] = out


def load_arrivals(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read the newcomers extract into the table ``arrivals``.

    Parameters
    ----------
    path
        The semicolon CSV.
    reference_date
        The manifest's reference date (ISO); the ``Jahr`` column must be its year.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`tables.TABLES["arrivals"]`.
    """
    df = read_table(path, _ARRIVAL_COLUMNS)
    check_year(df, "_year", reference_date, path, "Jahr")
    _half(df, path)
    for col, lookup, header, what in [
        ("channel", CHANNEL, "Zugangsweg", "Zugangsweg"),
        ("nationality", NATIONALITY, "Staatsangehörigkeit", "Staatsangehörigkeit"),
        ("sex", SEX, "Geschlecht", "Geschlecht"),
        ("age_group", ARRIVAL_AGE, "Altersgruppe bei Zuzug", "Altersgruppe"),
    ]:
        map_labels(df, col, lookup, path, header, what)
    area_codes(
        df, "stadtbezirk", STADTBEZIRKE, 2, path, "Stadtbezirk", "Stadtbezirk", names=STADTBEZIRKE
    )
    keys = ["half", "channel", "nationality", "sex", "age_group", "stadtbezirk"]
    check_unique(df, keys, path)
    return finish(df[[*keys, "count"]], reference_date)


LOADERS = {"residence": load_residence, "arrivals": load_arrivals}
