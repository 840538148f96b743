"""The indicator engine: every indicator against hand-computed values on tiny fixtures.

The fixture tables are in ``tests/data/indicators/<period>/<table>.csv`` (see the README
there). Expected values are written as the arithmetic on the fixture rows; the comments say
which rows.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import bielefeld_integration.indicators as indicators_pkg
from bielefeld_integration.disclosure.indicator_table import publishable
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.indicators import compute as cmod  # the module, not shadowed
from bielefeld_integration.indicators import formulas
from bielefeld_integration.indicators.catalogue import (
    CATALOGUE_PATH,
    load_catalogue,
    validate_catalogue,
)
from bielefeld_integration.indicators.compute import (
    COLUMNS,
    compute,
    indicators_table,
    write_indicators,
)
from bielefeld_integration.tables import TABLES, validate

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "indicators"
PERIODS = ["2015", "2016"]
T = "insgesamt"


@cache
def _read(table: str, period: str) -> pd.DataFrame | None:
    path = FIXTURES / period / f"{table}.csv"
    if not path.is_file():
        return None
    spec = TABLES[table]
    df = pd.read_csv(path, dtype={c: str for c in spec.columns}, keep_default_na=False)
    for c in spec.counts:
        df[c] = df[c].astype("int64")
    df["reference_date"] = f"{period}-12-31"
    return validate(table, df, file=str(path))


def load(table: str, period: str) -> pd.DataFrame | None:
    df = _read(table, str(period))
    return None if df is None else df.copy()


@pytest.fixture(scope="module")
def result() -> pd.DataFrame:
    return compute(PERIODS, load=load)


def row(
    df: pd.DataFrame,
    ind: str,
    period: str = "2016",
    level: str = "stadt",
    area: str = CITY_CODE,
    group: str = T,
    breakdown: str = T,
    value: str = T,
) -> pd.Series:
    """The one row of an indicator for period, area, group and breakdown."""
    hit = df[
        (df.indicator == ind)
        & (df.period == period)
        & (df.area_level == level)
        & (df.area_code == area)
        & (df.group == group)
        & (df.breakdown == breakdown)
        & (df.breakdown_value == value)
    ]
    assert len(hit) == 1, (ind, period, level, area, group, breakdown, value, len(hit))
    return hit.iloc[0]


C, SB, SX = ("stadt", CITY_CODE), "stadtbezirk", "stat_bezirk"

# (indicator, (level, area), group, (breakdown, value), expected value, expected symbol)
EXPECTED = [
    # --- DEM-01 population: all 17 rows sum to 780; 0218 has no foreigners; SB 01 women:
    # 6 + 30 + 20 (0101) + 12 + 150 (0102)
    ("DEM-01", C, T, (T, T), 780, ""),
    ("DEM-01", (SX, "0218"), "auslaendisch", (T, T), 0, "-"),
    ("DEM-01", (SB, "01"), T, ("sex", "w"), 6 + 30 + 20 + 12 + 150, ""),
    # --- DEM-02 foreigners 4 + 30 (0101) + 8 + 50 (0102) + 10 (0217) = 102 of 780;
    # SB 01: 92 of 170 + 220; 18-24: 30 + 10 foreigners of 40 (< 50 -> "/")
    ("DEM-02", C, T, (T, T), 102 / 780 * 100, ""),
    ("DEM-02", (SB, "01"), T, (T, T), 92 / 390 * 100, ""),
    ("DEM-02", (SX, "0218"), T, (T, T), 0, "-"),
    ("DEM-02", C, T, ("age_group", "18-24"), 40 / 40 * 100, "/"),
    # --- DEM-03 MH: familial 6 + 10, personal 4 + 30 + 20 + 8 + 50 + 10 + 40 = 162
    ("DEM-03", C, T, (T, T), (16 + 162) / 780 * 100, ""),
    ("DEM-03", C, "familiaer", (T, T), 16 / 780 * 100, ""),
    # --- DEM-04 foreigners by nationality (population_origin): 40 TR + 30 PL + 20 SY in 01,
    # 10 PL in 02 -> 100; Germans with Turkish origin (25) do not count
    ("DEM-04", C, "Türkei", (T, T), 40 / 100 * 100, ""),
    ("DEM-04", C, "eu", (T, T), (30 + 10) / 100 * 100, ""),
    ("DEM-04", (SB, "02"), "Polen", (T, T), 10 / 10 * 100, "/"),
    # --- DEM-05 (50 arrivals from abroad - 30 departures abroad) per 1,000 of 102 foreigners
    ("DEM-05", C, T, (T, T), (50 - 30) / 102 * 1000, ""),
    # --- DEM-06 residence 2016: under 4 years 290 + 10 + 2 + 38 of 1000; women: 10 + 38 of
    # 120 + 180 + 10 + 38
    ("DEM-06", C, "unter 4", (T, T), 340 / 1000 * 100, ""),
    ("DEM-06", C, "unter 4", ("sex", "w"), 48 / 348 * 100, ""),
    # --- DEM-07 minors 10 + 6 + 4 + 12 + 8 + 20 + 10 + 10 = 80, with MH 6 + 4 + 8 + 10 = 28;
    # SB 02: 20 + 10 + 10 = 40 minors (< 50), 10 with MH
    ("DEM-07", C, T, (T, T), 28 / 80 * 100, ""),
    ("DEM-07", (SB, "02"), T, (T, T), 10 / 40 * 100, "/"),
    # --- DEM-08 foreigners 2016 vs 2015: 100 vs 40 + 20 + 20 + 5 = 85; EU 40 vs 25 (< 50)
    ("DEM-08", C, T, (T, T), (100 / 85 - 1) * 100, ""),
    ("DEM-08", C, "eu", (T, T), (40 / 25 - 1) * 100, "/"),
    ("DEM-08", C, "drittstaat", (T, T), 0, ""),
    # --- DEM-09 official: 150 of 1000
    ("DEM-09", C, T, (T, T), 150 / 1000 * 100, ""),
    # --- REC-01 unbefristet 300 + 120 and EU 180 of 1000; third countries 420 of 820;
    # women 120 + 180 of 348
    ("REC-01", C, T, (T, T), 600 / 1000 * 100, ""),
    ("REC-01", C, "drittstaat", (T, T), 420 / 820 * 100, ""),
    ("REC-01", C, T, ("sex", "w"), 300 / 348 * 100, ""),
    # --- REC-02 asylum procedure 290 + 10, Duldung 60
    ("REC-02", C, "asylverfahren", (T, T), 300 / 1000 * 100, ""),
    ("REC-02", C, "duldung", (T, T), 60 / 1000 * 100, ""),
    # --- REC-03..05 naturalisations 2016: 30 + 10 = 40; residence of 2015 (!):
    # >= 8 years 300 + 100, all 1000, >= 10 years 300
    ("REC-03", C, T, (T, T), 40 / 400 * 100, ""),
    ("REC-04", C, T, (T, T), 40 / 1000 * 100, ""),
    ("REC-05", C, T, (T, T), 40 / 300 * 100, ""),
    # --- REC-06 naturalisations by continent
    ("REC-06", C, T, (T, T), 40, ""),
    ("REC-06", C, "Asien", (T, T), 10, ""),
    ("REC-06", C, "Afrika", (T, T), 0, "-"),
    # --- FLU-01 residence 2016: 290 + 10 asylum procedure, 2 follow-up, 60 Duldung
    ("FLU-01", C, "asylverfahren", (T, T), 300, ""),
    ("FLU-01", C, "folgeverfahren", (T, T), 2, ""),
    ("FLU-01", C, "duldung", (T, T), 60, ""),
    ("FLU-01", C, "asylverfahren", ("sex", "w"), 10, ""),
    ("FLU-01", C, "asylverfahren", ("nationality_group", "eu"), 0, "-"),
    # --- FLU-02 family reunification 6 + 2 + 5 + 3 + 4 = 20, minors 6 (03-05) + 5 (10-15)
    # + 4 (16-17); Iraq 6 of 8 (< 20); SB 02: 5 of 8
    ("FLU-02", C, T, (T, T), 15 / 20 * 100, ""),
    ("FLU-02", C, "Irak", (T, T), 6 / 8 * 100, "/"),
    ("FLU-02", C, "sonstige", (T, T), 4 / 4 * 100, "/"),
    ("FLU-02", (SB, "02"), T, (T, T), 5 / 8 * 100, "/"),
    # --- FLU-03 shared accommodation 30 + 5 of 60; SB 01 30 of 40
    ("FLU-03", C, T, (T, T), 35 / 60 * 100, ""),
    ("FLU-03", (SB, "01"), T, (T, T), 30 / 40 * 100, ""),
    # --- FLU-04 open 200 + 100 of 1000; women 100 of 100 + 250 + 10
    ("FLU-04", C, "offen", (T, T), 300 / 1000 * 100, ""),
    ("FLU-04", C, "offen", ("sex", "w"), 100 / 360 * 100, ""),
    # --- FLU-05 arrivals 37: reunification 20, assignment 10, EU 7; SB 01 6 + 2 + 4 + 10
    ("FLU-05", C, T, (T, T), 37, ""),
    ("FLU-05", C, "familiennachzug", (T, T), 20, ""),
    ("FLU-05", C, "sonstige", (T, T), 0, "-"),
    ("FLU-05", (SB, "01"), T, (T, T), 22, ""),
    ("FLU-05", C, T, ("minor", "ja"), 15, ""),
    ("FLU-05", C, T, ("nationality_group", "eu"), 7, ""),
    # --- KITA-01 day care under 3: 5 + 2 + 12 = 19; children 00-02: 10 + 6 + 4 (0101) + 20
    # (0217) = 40; with MH 6 + 4 = 10 (< 30), in day care 2; without 30, in day care 17
    ("KITA-01", C, T, (T, T), 19 / 40 * 100, ""),
    ("KITA-01", C, "mit", (T, T), 2 / 10 * 100, "/"),
    ("KITA-01", C, "ohne", (T, T), 17 / 30 * 100, ""),
    ("KITA-01", (SB, "01"), T, (T, T), 7 / 20 * 100, "/"),
    # --- KITA-02 day care 3-6: 10 + 6 + 8 + 2 = 26; children 03-05: 12 + 8 + 10 = 30
    ("KITA-02", C, T, (T, T), 26 / 30 * 100, ""),
    ("KITA-02", C, "mit", (T, T), 8 / 8 * 100, "/"),
    # --- KITA-03 non-German family language 6 of 26 (< 30); SB 01 6 of 16
    ("KITA-03", C, T, (T, T), 6 / 26 * 100, "/"),
    ("KITA-03", (SB, "01"), T, (T, T), 6 / 16 * 100, "/"),
    # --- KITA-04 gap with - without MH of KITA-01
    ("KITA-04", C, "mit-ohne", (T, T), 2 / 10 * 100 - 17 / 30 * 100, "/"),
    ("KITA-04", (SB, "02"), "mit-ohne", (T, T), math.nan, "x"),  # no child with MH in 02
    # --- KITA-05 60 places per 40 + 30 children under 6 (< 100)
    ("KITA-05", C, T, (T, T), 60 / 70 * 100, "/"),
    # --- SPR-01 need of language support 5 + 6 + 4 + 10 = 25 of 60; German 5 of 40;
    # non-German 6 + 4 + 10 of 20
    ("SPR-01", C, T, (T, T), 25 / 60 * 100, ""),
    ("SPR-01", C, "deutsch", (T, T), 5 / 40 * 100, ""),
    ("SPR-01", C, "nichtdeutsch", (T, T), 20 / 20 * 100, ""),
    # --- SPR-02 >= 2 years in Kita 20 + 6 + 15 of 60; non-German 6 of 20
    ("SPR-02", C, T, (T, T), 41 / 60 * 100, ""),
    ("SPR-02", C, "nichtdeutsch", (T, T), 6 / 20 * 100, ""),
    # --- SPR-03 B1 15 + 14 of exams 25 + 20; women 14 of 20
    ("SPR-03", C, T, (T, T), 29 / 45 * 100, ""),
    ("SPR-03", C, T, ("sex", "w"), 14 / 20 * 100, ""),
    # --- SPR-04 entries 40 + 30 + 5
    ("SPR-04", C, T, (T, T), 75, ""),
    ("SPR-04", C, "jugend", (T, T), 5, ""),
    # --- SPR-05 gap non-German - German of SPR-01
    ("SPR-05", C, "nichtdeutsch-deutsch", (T, T), 100 - 12.5, ""),
    # --- SCH-01 grade 5 at Gymnasium 40 + 5 of 40 + 5 + 60 + 15; foreign 5 of 20
    ("SCH-01", C, T, (T, T), 45 / 120 * 100, ""),
    ("SCH-01", C, "auslaendisch", (T, T), 5 / 20 * 100, ""),
    # --- SCH-02 without HSA 3 + 4 of 100 + 20; foreign 4 of 4 + 3 + 13
    ("SCH-02", C, T, (T, T), 7 / 120 * 100, ""),
    ("SCH-02", C, "auslaendisch", (T, T), 4 / 20 * 100, ""),
    # --- SCH-03 Abitur German 30 + 40 of 100, foreign 3 of 20
    ("SCH-03", C, "deutsch", (T, T), 70 / 100 * 100, ""),
    ("SCH-03", C, "auslaendisch", (T, T), 3 / 20 * 100, ""),
    # --- SCH-04 newcomer pupils 12 + 6 + 2; none in sek2; EU (Romania) 2
    ("SCH-04", C, T, (T, T), 20, ""),
    ("SCH-04", C, "sek2", (T, T), 0, "-"),
    ("SCH-04", C, T, ("nationality_group", "eu"), 2, ""),
    # --- SCH-05 20 newcomers per 1,000 of 500 + 100 + 380 + 20 pupils
    ("SCH-05", C, T, (T, T), 20 / 1000 * 1000, ""),
    # --- SCH-06 Abitur gap foreign - German; women: 3 of 3 (< 20) vs 40 of 67
    ("SCH-06", C, "auslaendisch-deutsch", (T, T), 15 - 70, ""),
    ("SCH-06", C, "auslaendisch-deutsch", ("sex", "w"), 3 / 3 * 100 - 40 / 67 * 100, "/"),
    # --- AUS-01 employees 15-24 10 + 2; population 15-24: 30 (0101) + 10 + 10 (0217);
    # foreigners 2 of 30 + 10 (< 50)
    ("AUS-01", C, T, (T, T), 12 / 50 * 100, ""),
    ("AUS-01", C, "auslaendisch", (T, T), 2 / 40 * 100, "/"),
    # --- AUS-02 gap foreign - German: 2/40 vs 10/10
    ("AUS-02", C, "auslaendisch-deutsch", (T, T), 2 / 40 * 100 - 10 / 10 * 100, "/"),
    # --- ARB-01 svb 80 + 10 + 20 + 120 + 2 = 232; population 15-64: 130 (0101) + 200 (0102)
    # + 220 (0217) + 40 (0218) = 590, Germans 500; SB 01 women: svb 10 of 30 + 150
    ("ARB-01", C, T, (T, T), 232 / 590 * 100, ""),
    ("ARB-01", C, "deutsch", (T, T), 210 / 500 * 100, ""),
    ("ARB-01", (SB, "01"), T, ("sex", "w"), 10 / 180 * 100, ""),
    # --- ARB-02 unemployed 43 of 590; foreigners 9 + 3 of 30 + 50 + 10
    ("ARB-02", C, T, (T, T), 43 / 590 * 100, ""),
    ("ARB-02", C, "auslaendisch", (T, T), 12 / 90 * 100, ""),
    # --- ARB-03 unemployed 15-24 3 + 1 of 50
    ("ARB-03", C, T, (T, T), 4 / 50 * 100, ""),
    # --- ARB-04 marginal employment 10, all foreign
    ("ARB-04", C, "auslaendisch", (T, T), 10 / 90 * 100, ""),
    ("ARB-04", C, "deutsch", (T, T), 0, "-"),
    # --- ARB-05 flight context 9 of 43 (< 50); SGB II 9 of 20 + 9 + 1
    ("ARB-05", C, T, (T, T), 9 / 43 * 100, "/"),
    ("ARB-05", C, "SGB II", (T, T), 9 / 30 * 100, "/"),
    # --- ARB-06 ratio of ARB-02 foreign / German: 12/90 vs 20 + 10 + 1 = 31 of 500
    ("ARB-06", C, "auslaendisch-deutsch", (T, T), (12 / 90) / (31 / 500), ""),
    # --- ARB-07 foreigners among the unemployed 12 of 43; SGB III 3 of 13
    ("ARB-07", C, T, (T, T), 12 / 43 * 100, "/"),
    ("ARB-07", C, "SGB III", (T, T), 3 / 13 * 100, "/"),
    # --- ARB-08 workplace 100 of 1000
    ("ARB-08", C, T, (T, T), 100 / 1000 * 100, ""),
    # --- SOZ-01 SGB II 30 + 4 + 20 + 6 = 60; population under 65: 780 - 20 - 100 = 660;
    # Germans 36 of 678 - 120 = 558; foreigners 24 of 102
    ("SOZ-01", C, T, (T, T), 60 / 660 * 100, ""),
    ("SOZ-01", C, "deutsch", (T, T), 36 / 558 * 100, ""),
    ("SOZ-01", C, "auslaendisch", (T, T), 24 / 102 * 100, ""),
    # --- SOZ-02 under 15: 4 + 6 of 40 + 30; Germans 6 of 36 + 22, foreigners 4 of 4 + 8
    ("SOZ-02", C, T, (T, T), 10 / 70 * 100, ""),
    ("SOZ-02", C, "deutsch", (T, T), 6 / 58 * 100, ""),
    ("SOZ-02", C, "auslaendisch", (T, T), 4 / 12 * 100, "/"),
    # --- SOZ-03 gap foreign - German of SOZ-01
    ("SOZ-03", C, "auslaendisch-deutsch", (T, T), 24 / 102 * 100 - 36 / 558 * 100, ""),
    # --- WOH-01 foreigners 34, 58, 10, 0 and Germans 136, 162, 230, 150 per Stat. Bezirk
    (
        "WOH-01",
        C,
        T,
        (T, T),
        0.5
        * (
            abs(34 / 102 - 136 / 678)
            + abs(58 / 102 - 162 / 678)
            + abs(10 / 102 - 230 / 678)
            + abs(0 / 102 - 150 / 678)
        ),
        "",
    ),
    # SB 01: X = 34 + 58 = 92 foreigners (< 100)
    (
        "WOH-01",
        (SB, "01"),
        T,
        (T, T),
        0.5 * (abs(34 / 92 - 136 / 298) + abs(58 / 92 - 162 / 298)),
        "/",
    ),
    ("WOH-01", (SB, "02"), T, (T, T), 0.5 * (abs(10 / 10 - 230 / 380) + abs(0 - 150 / 380)), "/"),
    # --- WOH-02 location quotient: foreigner share of the area / 102 of 780
    ("WOH-02", (SX, "0101"), T, (T, T), (34 / 170) / (102 / 780), ""),
    ("WOH-02", (SB, "01"), T, (T, T), (92 / 390) / (102 / 780), ""),
    # --- WOH-03 MH 60, 58, 20, 40 vs without 110, 162, 220, 110
    (
        "WOH-03",
        C,
        T,
        (T, T),
        0.5
        * (
            abs(60 / 178 - 110 / 602)
            + abs(58 / 178 - 162 / 602)
            + abs(20 / 178 - 220 / 602)
            + abs(40 / 178 - 110 / 602)
        ),
        "",
    ),
    # --- WOH-04 SGB II 54 / 6 vs population under 65 370 / 290 per Stadtbezirk (60 < 100)
    ("WOH-04", C, T, (T, T), 0.5 * (abs(54 / 60 - 370 / 660) + abs(6 / 60 - 290 / 660)), "/"),
    # --- IKO-01 staff with MH 20 of 100 (no answer counts); trainees 6 of 20; no new hires
    ("IKO-01", C, "beschaeftigte", (T, T), 20 / 100 * 100, ""),
    ("IKO-01", C, "auszubildende", (T, T), 6 / 20 * 100, ""),
    ("IKO-01", C, "neueinstellungen", (T, T), math.nan, "x"),
    # --- IKO-02 20 % of staff vs MH among 18-64: 30 + 50 + 10 + 40 of 580
    ("IKO-02", C, "beschaeftigte", (T, T), (20 / 100) / (130 / 580) * 100, ""),
    ("IKO-02", C, "auszubildende", (T, T), (6 / 20) / (130 / 580) * 100, ""),
    # --- PAR-01 voters 150 + 40 of 1000 + 400
    ("PAR-01", C, T, (T, T), 190 / 1400 * 100, ""),
    ("PAR-01", (SB, "02"), T, (T, T), 40 / 400 * 100, ""),
    # --- PAR-02 engagement counts
    ("PAR-02", C, "ehrenamtliche", (T, T), 120, ""),
    ("PAR-02", C, "mso_gefoerdert", (T, T), 2, ""),
]


def test_every_computable_indicator_has_a_hand_computed_value() -> None:
    computable = {ind.id for ind in load_catalogue().computable()}
    assert {e[0] for e in EXPECTED} == computable


@pytest.mark.parametrize(
    ("ind", "area", "group", "breakdown", "expected", "symbol"),
    EXPECTED,
    ids=[f"{e[0]}-{e[1][1]}-{e[2]}-{e[3][1]}" for e in EXPECTED],
)
def test_hand_computed_value(
    result: pd.DataFrame,
    ind: str,
    area: tuple[str, str],
    group: str,
    breakdown: tuple[str, str],
    expected: float,
    symbol: str,
) -> None:
    r = row(result, ind, "2016", area[0], area[1], group, breakdown[0], breakdown[1])
    if math.isnan(expected):
        assert math.isnan(r.value)
    else:
        assert r.value == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert r.symbol == symbol
    assert ("small_denominator" in r["flags"]) == (symbol == "/")


def test_dissimilarity_agrees_with_the_formula(result: pd.DataFrame) -> None:
    pop = load("population", "2016")
    by = pop.pivot_table(
        index="stat_bezirk", columns="citizenship", values="count", aggfunc="sum", fill_value=0
    )
    expected = formulas.dissimilarity(by["auslaendisch"], by["deutsch"])
    assert row(result, "WOH-01").value == pytest.approx(expected)
    assert 0 <= row(result, "WOH-01").value <= 1


def test_counts_and_denominators_are_published_with_the_rates(result: pd.DataFrame) -> None:
    r = row(result, "REC-03")
    assert (r.numerator, r.denominator) == (40, 400)
    r = row(result, "WOH-01")
    assert (r.numerator, r.denominator) == (102, 678)  # X and Y
    r = row(result, "SCH-06", group="auslaendisch-deutsch")
    assert math.isnan(r.numerator) and math.isnan(r.denominator)


# --------------------------------------------------------------------------- REC-03 / periods


def test_rec03_uses_the_residence_table_of_the_previous_period(result: pd.DataFrame) -> None:
    # 2016 has 300 + 120 = 420 foreigners with >= 8 years; the quota must use 2015's 400
    assert row(result, "REC-03").denominator == 400

    def load_other_2015(table: str, period: str) -> pd.DataFrame | None:
        df = load(table, period)
        if table == "residence" and period == "2015":
            df = df.assign(count=df["count"] * 2)
        return df

    other = compute(PERIODS, "REC-03", load=load_other_2015)
    assert row(other, "REC-03").value == pytest.approx(40 / 800 * 100)


def test_rec03_without_previous_period_is_not_meaningful(result: pd.DataFrame) -> None:
    r = row(result, "REC-03", "2015")
    assert math.isnan(r.value) and r.symbol == "x" and r["flags"] == "no_previous_period"
    assert r.reference_date == ""
    only_2016 = compute("2016", "REC-03", load=load)
    assert row(only_2016, "REC-03").value == pytest.approx(10.0)


def test_change_needs_the_previous_period(result: pd.DataFrame) -> None:
    # the first year of a change series has no previous period: "x", never "..." (later)
    r = row(result, "DEM-08", "2015")
    assert r.symbol == "x" and r["flags"] == "no_previous_period"


def test_missing_tables_give_unknown_rows(result: pd.DataFrame) -> None:
    # 2015 has no population table and 2016 is the latest period: the 2015 delivery will
    # not come any more, so one city row per group with "." (unknown), not "..." (later)
    rows = result[(result.indicator == "DEM-01") & (result.period == "2015")]
    assert rows["group"].tolist() == ["insgesamt", "deutsch", "auslaendisch"]
    assert (rows["symbol"] == ".").all() and (rows["flags"] == "missing_table").all()
    assert rows["value"].isna().all() and (rows["area_level"] == "stadt").all()
    gap = result[(result.indicator == "SCH-06") & (result.period == "2015")]
    assert gap["group"].tolist() == ["auslaendisch-deutsch"]


def test_missing_table_in_the_latest_period_comes_later() -> None:
    # the latest period's delivery may still come: "..."; an earlier one is unknown: "."
    def without_population(table: str, period: str) -> pd.DataFrame | None:
        return None if table == "population" else load(table, period)

    df = compute(PERIODS, "DEM-01", load=without_population)
    assert set(df.loc[df.period == "2016", "symbol"]) == {"..."}
    assert set(df.loc[df.period == "2015", "symbol"]) == {"."}
    assert (df["flags"] == "missing_table").all() and df["value"].isna().all()


def test_years_without_an_election_are_not_meaningful() -> None:
    # PAR-01 (Integrationsrat election turnout): no election that year is "x", not "..."
    assert load("election", "2015") is None and load("election", "2016") is not None
    df = compute(PERIODS, "PAR-01", load=load)
    before = df[df.period == "2015"]
    assert set(before["symbol"]) == {"x"} and set(before["flags"]) == {"no_event"}
    assert before["value"].isna().all()
    assert df.loc[df.period == "2016", "value"].notna().all()


def test_planned_indicators_are_skipped(result: pd.DataFrame) -> None:
    assert "PAR-03" not in set(result["indicator"])
    assert compute(PERIODS, "PAR-03", load=load).empty


# --------------------------------------------------------------------------- flags


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


def _with(doc: dict, ind_id: str, **changes) -> object:
    new = json.loads(json.dumps(doc))
    e = next(x for x in new["indicators"] if x["id"] == ind_id)
    e.update(changes)
    return validate_catalogue(new)


def test_small_denominator_keeps_the_value_and_publishes_a_slash(doc: dict) -> None:
    cat = _with(doc, "DEM-02", min_denominator=200)
    df = compute("2016", "DEM-02", load=load, catalogue=cat)
    small = row(df, "DEM-02", level=SX, area="0218")  # 150 inhabitants < 200
    assert small.symbol == "/" and small["flags"] == "small_denominator"
    assert small.value == 0 and small.denominator == 150
    assert row(df, "DEM-02", level=SX, area="0217").symbol == ""  # 240 >= 200
    pub = publishable(df, catalogue=cat)
    assert math.isnan(row(pub, "DEM-02", level=SX, area="0218").value)
    assert row(pub, "DEM-02", level=SX, area="0218").symbol == "/"


def test_break_and_provisional_flags(doc: dict) -> None:
    cat = _with(doc, "REC-04", breaks=[2016], provisional=[2015, 2016])
    df = compute(PERIODS, "REC-04", load=load, catalogue=cat)
    assert row(df, "REC-04", "2016")["flags"] == "break,provisional"
    assert row(df, "REC-04", "2015")["flags"] == "no_previous_period,provisional"
    assert row(df, "REC-04", "2016").symbol == ""


def test_shipped_breaks_are_flagged() -> None:
    # DEM-09 marks the census years 2011 and 2022
    def official(table: str, period: str) -> pd.DataFrame | None:
        return load(table, "2016") if table == "population_official" else None

    df = compute(["2021", "2022"], "DEM-09", load=official)
    assert row(df, "DEM-09", "2022")["flags"] == "break"
    assert row(df, "DEM-09", "2021")["flags"] == ""


# --------------------------------------------------------------------------- table shape


def test_columns_types_and_order(result: pd.DataFrame) -> None:
    assert list(result.columns) == COLUMNS
    for col in COLUMNS:
        if col in ("value", "numerator", "denominator"):
            assert result[col].dtype == "float64"
        else:
            assert pd.api.types.is_string_dtype(result[col]), col
            assert not result[col].isna().any(), col
    keys = ["period", "indicator", "area_level", "area_code", "group", "breakdown"]
    keys.append("breakdown_value")
    assert not result.duplicated(keys).any()
    order = {i: n for n, i in enumerate(load_catalogue())}
    ranks = result["indicator"].map(order)
    assert ranks.is_monotonic_increasing
    first = result[result.indicator == "DEM-01"]
    assert first["period"].is_monotonic_increasing
    assert first.iloc[0]["area_level"] == "stadt"


def test_levels_and_breakdowns(result: pd.DataFrame) -> None:
    dem = result[(result.indicator == "DEM-02") & (result.period == "2016")]
    assert set(dem["area_level"]) == {"stadt", "stadtbezirk", "stat_bezirk"}
    statb = set(dem.loc[dem.area_level == "stat_bezirk", "area_code"])
    assert statb == {"0101", "0102", "0217", "0218"}
    # breakdowns are crossed with city and Stadtbezirke, not with Statistische Bezirke
    assert set(dem.loc[dem.area_level == "stat_bezirk", "breakdown"]) == {"insgesamt"}
    by_sb = set(dem.loc[dem.area_level == "stadtbezirk", "breakdown"])
    assert by_sb == {"insgesamt", "sex", "age_group"}
    assert set(result.loc[result.indicator == "REC-03", "area_level"]) == {"stadt"}


def test_shares_of_a_partition_add_up(result: pd.DataFrame) -> None:
    rec = result[(result.indicator == "REC-02") & (result.period == "2016")]
    sums = rec.groupby(["area_code", "breakdown", "breakdown_value"])["value"].sum()
    assert np.allclose(sums.to_numpy(), 100)


def test_row_order_of_the_input_does_not_matter(result: pd.DataFrame) -> None:
    def shuffled(table: str, period: str) -> pd.DataFrame | None:
        df = load(table, period)
        return None if df is None else df.sample(frac=1.0, random_state=7)

    other = compute(PERIODS, load=shuffled)
    pd.testing.assert_frame_equal(other, result)


def test_deterministic_byte_identical_parquet(tmp_path: Path, result: pd.DataFrame) -> None:
    a = write_indicators(result, tmp_path / "a")
    b = write_indicators(compute(PERIODS, load=load), tmp_path / "b")
    assert a.name == "indicators.parquet"
    assert a.read_bytes() == b.read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(a), result)


def test_write_is_atomic(tmp_path: Path, result: pd.DataFrame, monkeypatch) -> None:
    path = write_indicators(result, tmp_path)
    before = path.read_bytes()

    def broken(self, target, **kwargs):
        Path(target).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError):
        write_indicators(result.head(3), tmp_path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["indicators.parquet"]


def test_bad_arguments() -> None:
    with pytest.raises(DataError, match="XYZ-01"):
        compute(PERIODS, "XYZ-01", load=load)
    with pytest.raises(DataError, match="periods"):
        compute(load=load)
    with pytest.raises(DataError, match="Berichtszeitraum"):
        compute("17", load=load)
    with pytest.raises(DataError, match="Spalte"):
        write_indicators(pd.DataFrame({"value": [1.0]}))


def test_nothing_to_compute_gives_an_empty_table() -> None:
    empty = compute([], load=load)
    assert empty.empty and list(empty.columns) == COLUMNS


# --------------------------------------------------------------------------- store and public API


@pytest.fixture()
def fixture_store(tmp_path: Path) -> Path:
    """The fixture tables as a processed store (parquet + provenance.json)."""
    for folder in sorted(FIXTURES.iterdir()):
        if not folder.is_dir():
            continue
        out = tmp_path / folder.name
        out.mkdir()
        for csv in sorted(folder.glob("*.csv")):
            load(csv.stem, folder.name).to_parquet(out / f"{csv.stem}.parquet", index=False)
        (out / "provenance.json").write_text("{}", encoding="utf-8")
    return tmp_path


def test_compute_reads_the_store(fixture_store: Path, result: pd.DataFrame) -> None:
    df = compute(data=fixture_store)
    pd.testing.assert_frame_equal(df, result)


def test_indicators_table_reads_the_stored_table(fixture_store: Path) -> None:
    with pytest.raises(DataError, match="Indikatortabelle fehlt"):
        indicators_table(data=fixture_store)  # never recomputed silently
    assert not (fixture_store / "indicators.parquet").exists()
    full = compute(data=fixture_store)
    write_indicators(full.assign(unit="aus der Datei"), fixture_store)
    stored = indicators_table(data=fixture_store)
    assert (stored["unit"] == "aus der Datei").all() and len(stored) == len(full)
    df = indicators_table("2016", ["DEM-02"], "stadt", data=fixture_store)
    assert set(df["period"]) == {"2016"} and set(df["indicator"]) == {"DEM-02"}
    assert set(df["area_level"]) == {"stadt"}
    with pytest.raises(DataError, match="Gebietsebene"):
        indicators_table(area_level="kreis", data=fixture_store)


def test_stale_stored_table_is_refused(fixture_store: Path) -> None:
    full = compute(data=fixture_store)
    write_indicators(full[full.period == "2016"].assign(unit="alt"), fixture_store)
    with pytest.raises(DataError, match="veraltet"):
        indicators_table(data=fixture_store)  # the stored table lacks 2015


def test_the_package_is_callable(fixture_store: Path) -> None:
    write_indicators(compute(data=fixture_store), fixture_store)
    df = indicators_pkg(period=2016, ids="REC-03", data=fixture_store)
    assert df["value"].tolist() == [10.0]
    assert indicators_pkg.compute is cmod and indicators_pkg.compute_indicators is cmod.compute


# --------------------------------------------------------------------------- demo store


# demo_store: the session fixture of tests/conftest.py (all demo periods, ingested)


@pytest.fixture(scope="module")
def demo(demo_store: Path) -> pd.DataFrame:
    return compute(data=demo_store)


def test_demo_flu01_matches_the_implementation_report(demo: pd.DataFrame) -> None:
    # 31.12.2017: "fast 2.900" in an asylum procedure, 56 Folgeverfahren, 658 Duldung
    assert row(demo, "FLU-01", "2017", group="asylverfahren").value == pytest.approx(2900, abs=50)
    assert row(demo, "FLU-01", "2017", group="folgeverfahren").value == 56
    assert row(demo, "FLU-01", "2017", group="duldung").value == 658


def test_demo_rec03_2016_uses_456_naturalisations(demo: pd.DataFrame) -> None:
    r = row(demo, "REC-03", "2016")
    assert r.numerator == 456
    assert r.value == pytest.approx(456 / r.denominator * 100)
    assert row(demo, "REC-03", "2014").symbol == "x"


def test_demo_segregation_index_is_a_share(demo: pd.DataFrame) -> None:
    woh = demo[demo.indicator == "WOH-01"]
    values = woh["value"].dropna()
    assert len(values) >= 6 and ((values >= 0) & (values <= 1)).all()
    assert 0 < row(demo, "WOH-01", "2017").value < 1


def test_demo_covers_every_computable_indicator_and_all_periods(
    demo: pd.DataFrame, demo_store: Path
) -> None:
    from bielefeld_integration import store

    assert set(demo["period"]) == set(store.periods(demo_store))
    assert {i.id for i in load_catalogue().computable()} == set(demo["indicator"])
    values = demo[demo.symbol == ""]["value"]
    assert np.isfinite(values).all()


# --------------------------------------------------------------------------- properties


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=17, max_size=17))
def test_engine_agrees_with_the_formulas_for_any_counts(counts: list[int]) -> None:
    pop = load("population", "2016").assign(count=np.array(counts, dtype="int64"))

    def only_population(table: str, period: str) -> pd.DataFrame | None:
        return pop.copy() if table == "population" else None

    df = compute("2016", ["DEM-02", "WOH-01"], load=only_population)
    by = pop.pivot_table(
        index="stat_bezirk", columns="citizenship", values="count", aggfunc="sum", fill_value=0
    )
    foreign, total = by["auslaendisch"].sum(), by.to_numpy().sum()
    dem = row(df, "DEM-02")
    assert dem.numerator == foreign and dem.denominator == total
    if total:
        assert dem.value == pytest.approx(formulas.share(foreign, total))
    else:
        assert math.isnan(dem.value) and dem.symbol == "x"
    d = formulas.dissimilarity(by["auslaendisch"], by["deutsch"])
    woh = row(df, "WOH-01")
    if math.isnan(d):
        assert math.isnan(woh.value) and woh.symbol == "x"
    else:
        assert woh.value == pytest.approx(d, abs=1e-12)
