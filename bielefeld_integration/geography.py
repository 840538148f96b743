"""Bielefeld's areas: the city, its 10 Stadtbezirke and 72 Statistische Bezirke.

Codes are always strings (leading zeros matter): the city is ``"05711000"`` (AGS),
Stadtbezirke are ``"01"`` to ``"10"``, Statistische Bezirke are four digits whose first
two are their Stadtbezirk (``"0101"`` … ``"1006"``).

The Stadtbezirk names and codes are the official ones. The 72 Statistische Bezirke are
modelled on the city's small-area structure; their names follow the quarters of each
Stadtbezirk and serve the demo data and tests.
"""

from __future__ import annotations

import pandas as pd

from bielefeld_integration.errors import DataError

CITY_CODE = "05711000"
CITY_NAME = "Bielefeld"
KREIS_CODE = "05711"

#: The 10 Stadtbezirke, code -> name.
STADTBEZIRKE: dict[str, str] = {
    "01": "Mitte",
    "02": "Schildesche",
    "03": "Gadderbaum",
    "04": "Brackwede",
    "05": "Dornberg",
    "06": "Jöllenbeck",
    "07": "Heepen",
    "08": "Stieghorst",
    "09": "Sennestadt",
    "10": "Senne",
}

_STAT_BEZIRK_NAMES: dict[str, list[str]] = {
    "01": [
        "Altstadt",
        "Neustadt",
        "Bahnhof",
        "Kesselbrink",
        "Ravensberger Park",
        "Sparrenberg",
        "Bültmannshof",
        "Johannistal",
        "Klinikum Mitte",
        "Siegfriedplatz",
        "Rolandstraße",
        "Pauluskirche",
        "Nordpark",
        "Ostmann-Turm",
        "Sieker-Mitte",
        "Feilenstraße",
    ],
    "02": [
        "Schildesche",
        "Gellershagen",
        "Sudbrack",
        "Obersee",
        "Universität",
        "Bültmannshof-Nord",
        "Apfelstraße",
    ],
    "03": ["Bethel", "Gadderbaum", "Sieben Hügel"],
    "04": [
        "Brackwede-Mitte",
        "Quelle",
        "Ummeln",
        "Holtkamp",
        "Brock",
        "Gadderbaum-Süd",
        "Kupferhammer",
        "Brackwede-Süd",
        "Brackwede-Nord",
    ],
    "05": [
        "Großdornberg",
        "Hoberge-Uerentrup",
        "Babenhausen",
        "Kirchdornberg",
        "Niederdornberg-Deppendorf",
        "Schröttinghausen",
    ],
    "06": ["Jöllenbeck", "Theesen", "Vilsendorf", "Oberjöllenbeck", "Niederjöllenbeck"],
    "07": [
        "Baumheide",
        "Brake",
        "Milse",
        "Altenhagen",
        "Oldentrup",
        "Heepen",
        "Brönninghausen",
        "Baumheide-Ost",
        "Heepen-Süd",
    ],
    "08": ["Sieker", "Hillegossen", "Ubbedissen", "Lämershagen", "Stieghorst", "Gräfinghagen"],
    "09": ["Sennestadt-Mitte", "Eckardtsheim", "Dalbke", "Heideblümchen", "Sennestadt-Süd"],
    "10": ["Windelsbleiche", "Buschkamp", "Senne", "Senne-Ost", "Friedrichsdorf", "Senne-Süd"],
}

#: The 72 Statistische Bezirke, code -> (name, Stadtbezirk code).
STAT_BEZIRKE: dict[str, tuple[str, str]] = {
    f"{sb}{i:02d}": (name, sb)
    for sb, names in _STAT_BEZIRK_NAMES.items()
    for i, name in enumerate(names, start=1)
}

assert len(STAT_BEZIRKE) == 72

AREA_LEVELS = ("stadt", "stadtbezirk", "stat_bezirk")


def stadtbezirk_of(stat_bezirk: str) -> str:
    """The Stadtbezirk code of a Statistischer Bezirk code (``"0703"`` -> ``"07"``)."""
    try:
        return STAT_BEZIRKE[stat_bezirk][1]
    except KeyError:
        raise DataError(f"unbekannter Statistischer Bezirk {stat_bezirk!r}") from None


def area_name(code: str) -> str:
    """Readable German name of any area code (city, Stadtbezirk or Statistischer Bezirk)."""
    if code == CITY_CODE:
        return CITY_NAME
    if code in STADTBEZIRKE:
        return STADTBEZIRKE[code]
    if code in STAT_BEZIRKE:
        return STAT_BEZIRKE[code][0]
    raise DataError(f"unbekannter Gebietsschlüssel {code!r}")


def check_district(code: object) -> str:
    """Return ``code`` if it is a Stadtbezirk code (``"01"``…``"10"``), else raise DataError."""
    if not isinstance(code, str) or code not in STADTBEZIRKE:
        raise DataError(
            f"unbekannter Stadtbezirk {code!r}: erwartet wird ein Schlüssel als Text, "
            f"{', '.join(STADTBEZIRKE)}"
        )
    return code


def areas() -> pd.DataFrame:
    """All areas as a frame with ``area_level``, ``area_code``, ``area_name``, ``parent_code``."""
    rows = [("stadt", CITY_CODE, CITY_NAME, "")]
    rows += [("stadtbezirk", c, n, CITY_CODE) for c, n in STADTBEZIRKE.items()]
    rows += [("stat_bezirk", c, n, sb) for c, (n, sb) in STAT_BEZIRKE.items()]
    return pd.DataFrame(rows, columns=["area_level", "area_code", "area_name", "parent_code"])
