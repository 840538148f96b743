"""The synthetic city behind the demo deliveries.

One deterministic model of Bielefeld's population for 2014–2019, from which every demo
delivery is derived, so that the deliveries agree with each other (day-care children never
outnumber the children living in a district, and so on).

The frame of the model is real: the 72 Statistische Bezirke of the city with their real
residents on 31.12. of each year by sex and age band (under 18, 18–64, 65 and over), from
the city's open data (``data/official/bielefeld-open-data/``, © Stadt Bielefeld,
Presseamt/Statistikstelle (CC BY-SA 4.0)); every cell of that frame is reproduced exactly.
What the open data does not say — citizenship and migration background — is synthetic,
calibrated to ``shared/reference/facts.md``: the register totals of 2016 (121,339 with
migration background, 49,626 foreigners, about half of the minors with migration
background) and 2018 (53,969 foreigners), and a realistic spread of foreigner shares
between districts (highest in Mitte, Heepen, Stieghorst and Sennestadt, lowest in Dornberg).

Nothing is random at run time: all variation comes from :func:`rng` seeded by a fixed name.
"""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np
import pandas as pd

from bielefeld_integration.geography import STAT_BEZIRKE
from bielefeld_integration.official.open_data import POPULATION_FILE, read_population_structure
from bielefeld_integration.official.paths import official_dir
from bielefeld_integration.tables import AGE_GROUPS

YEARS = list(range(2014, 2020))

#: Synthetic register totals per 31.12. of foreigners and Germans with personal / familial
#: migration background (2016 and 2018 are the published register values). The total
#: population is real (:func:`real_population`).
CITY_TOTALS: dict[int, dict[str, int]] = {
    2014: {"foreign": 41_137, "mh_personal": 55_783, "mh_familial": 16_118},
    2015: {"foreign": 45_912, "mh_personal": 55_291, "mh_familial": 16_436},
    2016: {"foreign": 49_626, "mh_personal": 54_913, "mh_familial": 16_800},
    2017: {"foreign": 52_083, "mh_personal": 54_688, "mh_familial": 17_127},
    2018: {"foreign": 53_969, "mh_personal": 54_771, "mh_familial": 17_402},
    2019: {"foreign": 55_391, "mh_personal": 54_862, "mh_familial": 17_684},
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
#: Statistische Bezirke with a marked concentration of foreigners in the demo (a design
#: choice, not a published fact): Baumheide, Sieker, Sennestadt, Kesselbrink, Dürkopp;
#: low in the villages of Dornberg.
_CONCENTRATION: dict[str, float] = {
    "0752": 2.0,
    "0863": 1.6,
    "0968": 1.7,
    "0102": 1.5,
    "0104": 1.4,
    "0541": 0.6,
    "0544": 0.6,
}

#: Age structure per group over AGE_GROUPS (within each age band only the proportions count).
AGE_SHARES: dict[str, list[float]] = {
    "ohne": [0.022, 0.022, 0.030, 0.038, 0.024, 0.075, 0.220, 0.300, 0.269],
    "persoenlich": [0.004, 0.006, 0.012, 0.020, 0.018, 0.090, 0.300, 0.330, 0.220],
    "familiaer": [0.200, 0.190, 0.230, 0.240, 0.140, 0.0, 0.0, 0.0, 0.0],
    "auslaendisch": [0.030, 0.030, 0.040, 0.050, 0.030, 0.130, 0.400, 0.210, 0.080],
}
FEMALE_SHARE = {"ohne": 0.52, "persoenlich": 0.52, "familiaer": 0.49, "auslaendisch": 0.47}

GROUPS = ("ohne", "persoenlich", "familiaer", "auslaendisch")

#: The three age bands of the real frame and the AGE_GROUPS in each.
BANDS: dict[str, list[str]] = {
    "minor": AGE_GROUPS[:5],
    "adult": AGE_GROUPS[5:8],
    "senior": AGE_GROUPS[8:],
}
_OPEN_DATA_BAND = {"1": "minor", "2": "adult", "3": "senior", "4": "senior"}


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
def real_population() -> pd.DataFrame:
    """Real residents on 31.12. by year, Statistischer Bezirk, sex and age band (2014–2019).

    Columns ``year``, ``stat_bezirk``, ``stadtbezirk``, ``sex``, ``band`` (``minor``,
    ``adult``, ``senior``), ``count``; read from the city's open data in
    :func:`official.paths.official_dir` (``./data/official`` when run from the repository).
    """
    df = read_population_structure(official_dir() / POPULATION_FILE)
    df = df[df["year"].isin(YEARS)].assign(band=lambda d: d["age_band"].map(_OPEN_DATA_BAND))
    keys = ["year", "stat_bezirk", "stadtbezirk", "sex", "band"]
    return df.groupby(keys, as_index=False, sort=True)["count"].sum()


@cache
def _stat_bezirk_factors() -> pd.DataFrame:
    """Fixed composition factors of the 72 Statistische Bezirke (synthetic)."""
    g = rng("stat-bezirke")
    rows = []
    for code, (_name, sb) in STAT_BEZIRKE.items():
        rows.append(
            {
                "stat_bezirk": code,
                "stadtbezirk": sb,
                "foreign_factor": float(g.lognormal(0.0, 0.22))
                * DISTRICT_FOREIGN_FACTOR[sb]
                * _CONCENTRATION.get(code, 1.0),
                "mh_factor": float(g.lognormal(0.0, 0.15)) * DISTRICT_MH_FACTOR[sb],
            }
        )
    return pd.DataFrame(rows).set_index("stat_bezirk")


def allocate_capped(total: int, weights, caps) -> np.ndarray:
    """Like :func:`allocate`, but no part exceeds its cap (the excess goes to the others).

    >>> allocate_capped(10, [1, 1, 1], [1, 10, 10]).tolist()
    [1, 5, 4]
    """
    w = np.asarray(weights, dtype=float).copy()
    caps = np.asarray(caps, dtype=np.int64)
    if total > caps.sum():
        raise ValueError("allocate_capped: the total exceeds the sum of the caps")
    out = np.zeros(len(w), dtype=np.int64)
    rest = int(total)
    free = np.ones(len(w), dtype=bool)
    while rest > 0:
        part = allocate(rest, np.where(free, w, 0.0))
        if part.sum() == 0:  # only zero weights left: fill by room
            part = allocate(rest, np.where(free, caps - out, 0))
        over = out + part > caps
        if not over.any():
            out += part
            break
        out[over] = caps[over]
        free &= ~over
        rest = int(total - out.sum())
    return out


def _band_profile(group: str, band: str) -> np.ndarray:
    shares = np.asarray(AGE_SHARES[group])
    idx = [AGE_GROUPS.index(a) for a in BANDS[band]]
    return shares[idx]


def _group_cells(year: int) -> pd.DataFrame:
    """Real cells (Statistischer Bezirk × sex × band) split into the four groups."""
    cells = real_population().query("year == @year").reset_index(drop=True)
    f = _stat_bezirk_factors()
    n = cells["count"].to_numpy()
    # a slow drift of foreigner concentration over the years (newcomers settle in the centre)
    drift = 1.0 + 0.02 * (year - 2014)
    ff = cells["stat_bezirk"].map(f["foreign_factor"]).to_numpy()
    ff = np.where(cells["stadtbezirk"].isin(["01", "07"]), ff * drift, ff * drift**0.5)
    mh = cells["stat_bezirk"].map(f["mh_factor"]).to_numpy()
    city_band = cells.groupby("band")["count"].sum() / cells["count"].sum()

    def weight(group: str) -> np.ndarray:
        band_share = {b: _band_profile(group, b).sum() for b in BANDS}
        total_share = sum(band_share.values())
        age = cells["band"].map(lambda b: band_share[b] / total_share / city_band[b])
        fem = FEMALE_SHARE[group] / 0.51
        sex = np.where(cells["sex"] == "w", fem, (1 - FEMALE_SHARE[group]) / 0.49)
        return age.to_numpy() * sex

    tot = CITY_TOTALS[year]
    foreign = allocate_capped(tot["foreign"], n * ff * weight("auslaendisch"), n * 8 // 10)
    left = n - foreign
    personal = allocate_capped(tot["mh_personal"], left * mh * weight("persoenlich"), left)
    left = left - personal
    minor = (cells["band"] == "minor").to_numpy()
    w_fam = np.where(minor, left * mh * (0.7 + 0.3 * ff), 0.0)
    familial = allocate_capped(tot["mh_familial"], w_fam, np.where(minor, left, 0))
    return cells.assign(
        auslaendisch=foreign,
        persoenlich=personal,
        familiaer=familial,
        ohne=left - familial,
    )


@cache
def population(year: int) -> pd.DataFrame:
    """Population by Statistischer Bezirk, sex, age group, citizenship and MH for 31.12.``year``.

    Columns: ``stat_bezirk``, ``stadtbezirk``, ``sex``, ``age_group``, ``citizenship``,
    ``migration_background``, ``count`` (every combination, zeros included). The sums per
    Statistischer Bezirk, sex and age band are the city's real figures.
    """
    if year not in CITY_TOTALS:
        raise ValueError(f"the demo city exists for {YEARS[0]}–{YEARS[-1]}, not {year}")
    cells = _group_cells(year)
    rows = []
    for r in cells.itertuples(index=False):
        for g in GROUPS:
            n = int(getattr(r, g))
            profile = _band_profile(g, r.band)
            parts = allocate(n, profile) if profile.sum() > 0 else np.zeros(len(profile), int)
            rows += [
                (r.stat_bezirk, r.stadtbezirk, r.sex, age, g, int(k))
                for age, k in zip(BANDS[r.band], parts, strict=True)
            ]
    df = pd.DataFrame(
        rows, columns=["stat_bezirk", "stadtbezirk", "sex", "age_group", "g", "count"]
    )
    full = pd.MultiIndex.from_product(
        [list(STAT_BEZIRKE), ["m", "w"], AGE_GROUPS, list(GROUPS)],
        names=["stat_bezirk", "sex", "age_group", "g"],
    )
    df = df.set_index(["stat_bezirk", "sex", "age_group", "g"])["count"]
    df = df.reindex(full, fill_value=0).reset_index()
    df["stadtbezirk"] = df["stat_bezirk"].map(lambda c: STAT_BEZIRKE[c][1])
    df["citizenship"] = np.where(df["g"] == "auslaendisch", "auslaendisch", "deutsch")
    df["migration_background"] = np.where(df["g"] == "auslaendisch", "persoenlich", df["g"])
    df["count"] = df["count"].astype("int64")
    cols = [
        "stat_bezirk",
        "stadtbezirk",
        "sex",
        "age_group",
        "citizenship",
        "migration_background",
        "count",
    ]
    return df[cols].sort_values(cols[:-1], ignore_index=True)


def district_population(year: int, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Population summed to Stadtbezirk (plus the columns in ``by``) for 31.12.``year``."""
    keys = ["stadtbezirk", *by]
    return population(year).groupby(keys, as_index=False)["count"].sum()


__all__ = [
    "CITY_TOTALS",
    "YEARS",
    "allocate",
    "allocate_capped",
    "district_population",
    "population",
    "real_population",
    "rng",
    "split_by_sex",
]
