"""The synthetic city behind the demo deliveries.

One deterministic model of Bielefeld's population for 2014–2019, from which every demo
delivery is derived, so that the deliveries agree with each other (day-care children never
outnumber the children living in a district, and so on). Calibrated to
``shared/reference/facts.md``: the register totals of 2016 (about 336,000 inhabitants,
121,339 with migration background, 49,626 foreigners, about half of the minors with
migration background) and 2018 (53,969 foreigners), EU citizens +1,400 from 31.12.2015 to
mid-2017, and a realistic spread of foreigner shares between districts (highest in Mitte,
Heepen, Stieghorst and Sennestadt, lowest in Dornberg).

Everything here is synthetic. Nothing is random at run time: all variation comes from
:func:`rng` seeded by a fixed name.
"""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np
import pandas as pd

from bielefeld_integration.geography import STAT_BEZIRKE
from bielefeld_integration.tables import AGE_GROUPS

YEARS = list(range(2014, 2020))

#: Register totals per 31.12. (population, foreigners, Germans with personal / familial MH).
CITY_TOTALS: dict[int, dict[str, int]] = {
    2014: {"total": 331_500, "foreign": 41_050, "mh_personal": 55_800, "mh_familial": 16_100},
    2015: {"total": 334_000, "foreign": 45_800, "mh_personal": 55_300, "mh_familial": 16_400},
    2016: {"total": 336_000, "foreign": 49_626, "mh_personal": 54_913, "mh_familial": 16_800},
    2017: {"total": 337_000, "foreign": 52_100, "mh_personal": 54_700, "mh_familial": 17_100},
    2018: {"total": 338_000, "foreign": 53_969, "mh_personal": 54_800, "mh_familial": 17_400},
    2019: {"total": 338_500, "foreign": 55_500, "mh_personal": 54_900, "mh_familial": 17_700},
}

#: Share of the city's population per Stadtbezirk (Mitte ~81,600, Senne ~21,300 in 2016).
DISTRICT_WEIGHTS: dict[str, float] = {
    "01": 81_600,
    "02": 41_500,
    "03": 10_500,
    "04": 40_500,
    "05": 19_600,
    "06": 22_700,
    "07": 46_500,
    "08": 31_000,
    "09": 21_000,
    "10": 21_300,
}
#: Relative foreigner share per Stadtbezirk (1.0 = city average).
DISTRICT_FOREIGN_FACTOR: dict[str, float] = {
    "01": 1.38,
    "02": 0.85,
    "03": 0.80,
    "04": 0.98,
    "05": 0.40,
    "06": 0.55,
    "07": 1.30,
    "08": 1.20,
    "09": 1.28,
    "10": 0.72,
}
#: Relative share of Germans with migration background per Stadtbezirk.
DISTRICT_MH_FACTOR: dict[str, float] = {
    "01": 1.05,
    "02": 0.95,
    "03": 0.85,
    "04": 1.05,
    "05": 0.60,
    "06": 0.80,
    "07": 1.35,
    "08": 1.25,
    "09": 1.40,
    "10": 0.90,
}

#: Age structure per group over AGE_GROUPS.
AGE_SHARES: dict[str, list[float]] = {
    "ohne": [0.022, 0.022, 0.030, 0.038, 0.024, 0.075, 0.220, 0.300, 0.269],
    "persoenlich": [0.004, 0.006, 0.012, 0.020, 0.018, 0.090, 0.300, 0.330, 0.220],
    "familiaer": [0.200, 0.190, 0.230, 0.240, 0.140, 0.0, 0.0, 0.0, 0.0],
    "auslaendisch": [0.030, 0.030, 0.040, 0.050, 0.030, 0.130, 0.400, 0.210, 0.080],
}
FEMALE_SHARE = {"ohne": 0.52, "persoenlich": 0.52, "familiaer": 0.49, "auslaendisch": 0.47}

GROUPS = ("ohne", "persoenlich", "familiaer", "auslaendisch")


def rng(name: str) -> np.random.Generator:
    """A random generator seeded by a fixed name: the same name gives the same numbers."""
    return np.random.default_rng(zlib.crc32(name.encode("utf-8")))


def allocate(total: int, weights) -> np.ndarray:
    """Split the integer ``total`` in proportion to ``weights`` (largest remainder).

    The parts are non-negative integers that sum exactly to ``total``; ties are broken by
    position, so the result is deterministic.

    >>> allocate(10, [1, 1, 1]).tolist()
    [4, 3, 3]
    """
    w = np.asarray(weights, dtype=float)
    if total < 0 or (w < 0).any():
        raise ValueError("allocate needs a non-negative total and weights")
    if total == 0 or w.sum() == 0:
        return np.zeros(len(w), dtype=np.int64)
    exact = w / w.sum() * total
    base = np.floor(exact).astype(np.int64)
    rest = int(total - base.sum())
    order = np.lexsort((np.arange(len(w)), -(exact - base)))
    base[order[:rest]] += 1
    return base


def split_by_sex(n: int, female: float) -> tuple[int, int]:
    """(women, men) among ``n`` persons with the female share ``female`` (see :func:`allocate`).

    >>> split_by_sex(5, 0.5)
    (3, 2)
    """
    women = int(allocate(n, [female, 1 - female])[0])
    return women, n - women


@cache
def _stat_bezirk_weights() -> pd.DataFrame:
    """Fixed size and composition factors of the 72 Statistische Bezirke."""
    g = rng("stat-bezirke")
    rows = []
    for code, (_name, sb) in STAT_BEZIRKE.items():
        rows.append(
            {
                "stat_bezirk": code,
                "stadtbezirk": sb,
                "size": float(g.lognormal(0.0, 0.35)),
                "foreign_factor": float(g.lognormal(0.0, 0.30)),
                "mh_factor": float(g.lognormal(0.0, 0.15)),
            }
        )
    df = pd.DataFrame(rows)
    # districts with a marked concentration: Baumheide (Heepen), Sieker, Sennestadt-Mitte, Bahnhof
    for code, factor in {"0701": 2.0, "0801": 1.6, "0901": 1.7, "0103": 1.5, "0501": 0.6}.items():
        df.loc[df.stat_bezirk == code, "foreign_factor"] *= factor
    return df


@cache
def population(year: int) -> pd.DataFrame:
    """Population by Statistischer Bezirk, sex, age group, citizenship and MH for 31.12.``year``.

    Columns: ``stat_bezirk``, ``stadtbezirk``, ``sex``, ``age_group``, ``citizenship``,
    ``migration_background``, ``count`` (every combination, zeros included).
    """
    if year not in CITY_TOTALS:
        raise ValueError(f"the demo city exists for {YEARS[0]}–{YEARS[-1]}, not {year}")
    tot = CITY_TOTALS[year]
    group_totals = {
        "auslaendisch": tot["foreign"],
        "persoenlich": tot["mh_personal"],
        "familiaer": tot["mh_familial"],
    }
    group_totals["ohne"] = tot["total"] - sum(group_totals.values())

    sbw = _stat_bezirk_weights()
    # a slow drift of foreigner concentration over the years (newcomers settle in the centre)
    drift = 1.0 + 0.02 * (year - 2014)
    district = sbw.stadtbezirk.map(DISTRICT_WEIGHTS) * sbw["size"]
    district = district / district.groupby(sbw.stadtbezirk).transform("sum")
    district = district * sbw.stadtbezirk.map(DISTRICT_WEIGHTS)
    f_factor = sbw.stadtbezirk.map(DISTRICT_FOREIGN_FACTOR) * sbw["foreign_factor"]
    f_factor = f_factor.where(sbw.stadtbezirk.isin(["01", "07"]), f_factor / drift**0.5) * drift
    mh_factor = sbw.stadtbezirk.map(DISTRICT_MH_FACTOR) * sbw["mh_factor"]

    weights = {
        "auslaendisch": district * f_factor,
        "persoenlich": district * mh_factor,
        "familiaer": district * mh_factor * (0.7 + 0.3 * f_factor),
    }
    counts = {g: allocate(group_totals[g], weights[g]) for g in weights}
    others = sum(counts.values())
    # Germans without MH: the rest of each district's population
    target = allocate(tot["total"], district)
    ohne = np.maximum(target - others, 0)
    ohne = allocate(group_totals["ohne"], np.maximum(ohne, 1))
    counts["ohne"] = ohne

    frames = []
    for g in GROUPS:
        ages = np.asarray(AGE_SHARES[g])
        fem = FEMALE_SHARE[g]
        cells = []
        for i, n in enumerate(counts[g]):
            by_age = allocate(int(n), ages)
            for a, age in enumerate(AGE_GROUPS):
                women, men = split_by_sex(int(by_age[a]), fem)
                cells.append((i, age, "w", women))
                cells.append((i, age, "m", men))
        part = pd.DataFrame(cells, columns=["i", "age_group", "sex", "count"])
        part["stat_bezirk"] = sbw.stat_bezirk.to_numpy()[part.i]
        part["stadtbezirk"] = sbw.stadtbezirk.to_numpy()[part.i]
        part["citizenship"] = "auslaendisch" if g == "auslaendisch" else "deutsch"
        part["migration_background"] = "persoenlich" if g == "auslaendisch" else g
        frames.append(part.drop(columns="i"))
    out = pd.concat(frames, ignore_index=True)
    out["count"] = out["count"].astype("int64")
    cols = [
        "stat_bezirk",
        "stadtbezirk",
        "sex",
        "age_group",
        "citizenship",
        "migration_background",
        "count",
    ]
    return out[cols].sort_values(cols[:-1], ignore_index=True)


def district_population(year: int, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Population summed to Stadtbezirk (plus the columns in ``by``) for 31.12.``year``."""
    keys = ["stadtbezirk", *by]
    return population(year).groupby(keys, as_index=False)["count"].sum()


__all__ = [
    "CITY_TOTALS",
    "YEARS",
    "allocate",
    "district_population",
    "population",
    "rng",
    "split_by_sex",
]
