"""Fixtures of the scenario tests: a tiny hand-made world of processed tables.

Tests get ``load`` (a loader over the world, like :func:`bielefeld_integration.store.load`),
``value`` (one value of a projection), ``rates_2014`` and ``tiny`` (the projection of
``tests/data/scenario/tiny.yaml`` with the rates of 2014).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.errors import DataError
from bielefeld_integration.tables import validate

HERE = Path(__file__).resolve().parents[1] / "data" / "scenario"

# --- a tiny hand-made world -------------------------------------------------------------------
#
# Base arrivals of one year (count per row; nationality Syrien for refugees, Polen for EU):
#   zuweisung       m 25-44 in 01: 60, w 25-44 in 02: 20, m 00-02 in 01: 15, w 06-09 in 02: 5
#                   -> 100 persons, 80 adults; districts 01: 75 %, 02: 25 %
#   familiennachzug w 25-44 in 01: 10, m 03-05 in 01: 10, m 16-17 in 02: 10
#                   -> 30 persons, 10 adults; districts 01: 2/3, 02: 1/3
#   eu              m 18-24 in 03: 50, w 10-15 in 03: 10 -> 60 persons, 50 adults; 03: 100 %
# In 2013 only the assigned men (80) arrived.
BASE_ARRIVALS = [
    ("zuweisung", "Syrien", "m", "25-44", "01", 60),
    ("zuweisung", "Syrien", "w", "25-44", "02", 20),
    ("zuweisung", "Syrien", "m", "00-02", "01", 15),
    ("zuweisung", "Syrien", "w", "06-09", "02", 5),
    ("familiennachzug", "Syrien", "w", "25-44", "01", 10),
    ("familiennachzug", "Syrien", "m", "03-05", "01", 10),
    ("familiennachzug", "Syrien", "m", "16-17", "02", 10),
    ("eu", "Polen", "m", "18-24", "03", 50),
    ("eu", "Polen", "w", "10-15", "03", 10),
]


def _arrivals(year: int, factor: float) -> pd.DataFrame:
    rows = BASE_ARRIVALS if year != 2013 else [("zuweisung", "Syrien", "m", "25-44", "01", 80)]
    df = pd.DataFrame(
        [
            {"half": "1", "channel": c, "nationality": n, "sex": s, "age_group": a,
             "stadtbezirk": sb, "count": round(k * factor)}
            for c, n, s, a, sb, k in rows
        ]
    )  # fmt: skip
    df["reference_date"] = f"{year}-12-31"
    return validate("arrivals", df)


def _population(year: int, extra: int = 0) -> pd.DataFrame:
    # children 0-2 with MH: 60 + 40 (+ extra), 3-5 with MH: 50 + 50; children without MH ignored
    rows = [
        ("0101", "01", "00-02", "auslaendisch", "persoenlich", 60 + extra),
        ("0101", "01", "00-02", "deutsch", "familiaer", 40),
        ("0101", "01", "00-02", "deutsch", "ohne", 500),
        ("0101", "01", "03-05", "auslaendisch", "persoenlich", 50),
        ("0101", "01", "03-05", "deutsch", "familiaer", 50),
        ("0101", "01", "25-44", "deutsch", "ohne", 5000),
    ]
    df = pd.DataFrame(
        [
            {"stat_bezirk": st, "stadtbezirk": sb, "sex": "m", "age_group": a,
             "citizenship": c, "migration_background": mh, "count": k}
            for st, sb, a, c, mh, k in rows
        ]
    )  # fmt: skip
    df["reference_date"] = f"{year}-12-31"
    return validate("population", df)


def _daycare(year: int, u3: int, o3: int) -> pd.DataFrame:
    rows = [
        ("unter 3", "mit", u3),
        ("unter 3", "ohne", 200),
        ("3 bis unter 6", "mit", o3),
        ("3 bis unter 6", "ohne", 400),
    ]
    df = pd.DataFrame(
        [
            {"stadtbezirk": "01", "age_group": a, "migration_background": mh,
             "family_language": "nichtdeutsch", "count": k}
            for a, mh, k in rows
        ]
    )  # fmt: skip
    df["reference_date"] = f"{year}-03-01"
    return validate("daycare", df)


def _newcomers(year: int, primar: int, sek1: int, sek2: int) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "school_level": ["primar", "sek1", "sek2"],
            "nationality": "Syrien",
            "count": [primar, sek1, sek2],
            "reference_date": f"{year}-12-31",
        }
    )
    return validate("newcomer_pupils", df)


def _courses(year: int, entries: int) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "course_type": ["allgemein", "allgemein", "alphabetisierung"],
            "sex": ["m", "w", "w"],
            "measure": ["eintritte", "eintritte", "austritte"],
            "count": [entries - entries // 3, entries // 3, 7],
            "reference_date": f"{year}-12-31",
        }
    )
    return validate("integration_courses", df)


def _accommodation(year: int, persons: int) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "stadtbezirk": ["01", "02"],
            "accommodation_type": ["gemeinschaftsunterkunft", "uebergangswohnheim"],
            "count": [persons - persons // 3, persons // 3],
            "reference_date": f"{year}-12-31",
        }
    )
    return validate("accommodation", df)


#: Arrival volume per year relative to the base (2015: a wave five times as large).
FACTORS = {2013: 1, 2014: 1, 2015: 5, 2016: 2, 2017: 1}


def _world() -> dict[tuple[str, str], pd.DataFrame]:
    """Tables for 2013–2017 that follow the model exactly where that is simple.

    2014 (the rate year): kita 30/100 = 0.3 (u3) and 90/100 = 0.9 (3-5); newcomer pupils
    (half of this and half of last year's arrivals of the age; none of school age in 2013)
    2 / (0.5 * 5) = 0.8 (primary), 2 / (0.5 * 10) = 0.4 (sek I and sek II); course entries
    45 per (0.5 * 100 eligible in 2014 + 0.5 * 80 in 2013) = 0.5; accommodation 101 on
    31.12.2014 = p * 100 assigned + r * 60 on 31.12.2013, with the assumed r = 0.85: p = 0.5.
    Later years follow the same rates exactly (up to rounding).
    """
    w: dict[tuple[str, str], pd.DataFrame] = {}
    eligible = {}
    ages_before = pd.Series(dtype=float)
    stock = 60
    w["accommodation", "2013"] = _accommodation(2013, stock)
    for y, f in FACTORS.items():
        p = str(y)
        arr = _arrivals(y, f)
        w["arrivals", p] = arr
        adults = arr[~arr["age_group"].isin(["00-02", "03-05", "06-09", "10-15", "16-17"])]
        by = adults.groupby("channel")["count"].sum()
        eligible[y] = by.get("zuweisung", 0) + by.get("familiennachzug", 0) + 0.2 * by.get("eu", 0)
        assigned = arr.loc[arr["channel"] == "zuweisung", "count"].sum()
        w["population", p] = _population(y, extra=20 * (f - 1))
        ages = arr.groupby("age_group")["count"].sum()
        if y == 2013:
            ages_before = ages
            continue
        w["daycare", p] = _daycare(y, u3=30 + 3 * (y - 2014) * (y > 2015), o3=90 + 9 * (y >= 2016))
        lagged = {g: 0.5 * ages.get(g, 0) + 0.5 * ages_before.get(g, 0) for g in ages.index}
        ages_before = ages
        w["newcomer_pupils", p] = _newcomers(
            y,
            round(0.8 * lagged.get("06-09", 0)),
            round(0.4 * lagged.get("10-15", 0)),
            round(0.4 * lagged.get("16-17", 0)),
        )
        w["integration_courses", p] = _courses(
            y, round(0.5 * (0.5 * eligible[y] + 0.5 * eligible[y - 1]))
        )
        stock = 101 if y == 2014 else round(0.5 * assigned + 0.85 * stock)
        w["accommodation", p] = _accommodation(y, stock)
    return w


WORLD = _world()


def _load(table: str, period: str) -> pd.DataFrame:
    """An injected loader over the fixture world; DataError like the store when missing."""
    try:
        return WORLD[table, str(period)].copy()
    except KeyError:
        raise DataError(f"Tabelle {table!r} wurde für {period} nicht geliefert") from None


def _value(df: pd.DataFrame, need: str, year: int, area: str = "stadt", col: str = "value"):
    sel = df[(df["need"] == need) & (df["year"] == year) & (df["stadtbezirk"] == area)]
    assert len(sel) == 1, (need, year, area)
    return float(sel[col].iloc[0])


@pytest.fixture(scope="session")
def load() -> Callable[[str, str], pd.DataFrame]:
    """The loader over the tiny world."""
    return _load


@pytest.fixture(scope="session")
def value() -> Callable[..., float]:
    """``value(df, need, year, area="stadt", col="value")``: one number of a projection."""
    return _value


@pytest.fixture(scope="session")
def scenario_files() -> Path:
    """The folder with the test scenario files (``tiny.yaml``, ``bad_*.yaml``)."""
    return HERE


@pytest.fixture(scope="module")
def rates_2014() -> sc.Rates:
    return sc.estimate_rates(["2014"], _load)


@pytest.fixture(scope="module")
def tiny() -> pd.DataFrame:
    scn = sc.load_scenario(HERE / "tiny.yaml")
    return sc.project(scn, sc.estimate_rates(["2014"], _load), load=_load)
