"""Demo deliveries of the city register (Einwohnermelderegister + MigraPro).

Two extracts per year, as the Statistikstelle receives them from the register office:

- ``einwohner_statbezirke_<year>.csv``: inhabitants by Statistischer Bezirk, sex, age
  group, citizenship and migration background (table ``population``);
- ``einwohner_herkunft_<year>.csv``: inhabitants by Stadtbezirk, citizenship, migration
  background, nationality or country of reference (Bezugsland) and minor yes/no (table
  ``population_origin``), with the same totals per Stadtbezirk × citizenship × MH × minor.

Both are semicolon CSV in cp1252 with CRLF line ends and German labels. The origin split
is calibrated to the published figures (Türkei 26,231 persons with migration background in
2016, then Polen, Russische Föderation, Kasachstan, Griechenland; EU citizens +1,400 from
31.12.2015 to mid-2017; two thirds of the foreigners European citizens in 2018).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from bielefeld_integration.demo import Delivery
from bielefeld_integration.demo import _office_formats as fmt
from bielefeld_integration.demo.world import CITY_TOTALS, allocate, population
from bielefeld_integration.geography import STADTBEZIRKE, STAT_BEZIRKE
from bielefeld_integration.tables import FOREIGN_NATIONALITIES, MINOR_AGE_GROUPS, NATIONALITIES

# --- labels as written by the register office ---------------------------------------------

SEX_LABELS = {"m": "männlich", "w": "weiblich"}
CITIZENSHIP_LABELS = {"deutsch": "deutsch", "auslaendisch": "nichtdeutsch"}
MH_LABELS = {"ohne": "ohne", "persoenlich": "persönlich", "familiaer": "familiär"}
AGE_LABELS = {
    "00-02": "0 bis unter 3",
    "03-05": "3 bis unter 6",
    "06-09": "6 bis unter 10",
    "10-14": "10 bis unter 15",
    "15-17": "15 bis unter 18",
    "18-24": "18 bis unter 25",
    "25-44": "25 bis unter 45",
    "45-64": "45 bis unter 65",
    "65+": "65 und älter",
}

# --- foreigners by nationality (register, 31.12.) ------------------------------------------

#: Foreigners per nationality and year; the residual of the city total goes to
#: "Sonstiges Afrika", "Sonstiges Asien" and "Amerika, Ozeanien, ungeklärt".
FOREIGN_STOCK: dict[str, tuple[int, ...]] = {
    #                          2014    2015    2016    2017    2018    2019
    "Polen": (3_850, 4_230, 4_580, 4_860, 5_100, 5_300),
    "Griechenland": (2_350, 2_560, 2_760, 2_920, 3_050, 3_150),
    "Bulgarien": (1_050, 1_330, 1_580, 1_780, 1_960, 2_110),
    "Rumänien": (800, 930, 1_050, 1_150, 1_250, 1_350),
    "Italien": (1_350, 1_360, 1_365, 1_370, 1_372, 1_375),
    "Kroatien": (520, 560, 595, 625, 650, 670),
    "Sonstige EU": (3_480, 3_530, 3_570, 3_595, 3_618, 3_645),
    "Türkei": (12_300, 12_150, 11_950, 11_800, 11_650, 11_500),
    "Russische Föderation": (1_480, 1_500, 1_520, 1_540, 1_560, 1_580),
    "Ukraine": (690, 710, 730, 760, 790, 820),
    "Kosovo": (1_150, 1_280, 1_340, 1_380, 1_420, 1_460),
    "Serbien": (1_480, 1_500, 1_510, 1_520, 1_530, 1_540),
    "Sonstiges Europa": (1_900, 2_050, 2_120, 2_150, 2_190, 2_230),
    "Kasachstan": (620, 610, 600, 590, 580, 570),
    "Syrien": (900, 2_500, 4_000, 5_000, 5_600, 5_900),
    "Irak": (1_450, 2_150, 2_850, 3_300, 3_550, 3_700),
    "Afghanistan": (280, 750, 1_080, 1_230, 1_290, 1_330),
    "Iran": (480, 620, 770, 850, 900, 940),
    "Eritrea": (90, 230, 380, 450, 490, 520),
}
RESIDUAL_ORIGINS = {
    "Sonstiges Afrika": 0.27,
    "Sonstiges Asien": 0.48,
    "Amerika, Ozeanien, ungeklärt": 0.25,
}

#: Germans with personal migration background by country of reference (weights).
GERMAN_PERSONAL_WEIGHTS: dict[str, float] = {
    "Türkei": 9_200,
    "Polen": 9_800,
    "Russische Föderation": 8_300,
    "Kasachstan": 7_700,
    "Griechenland": 1_700,
    "Italien": 800,
    "Kroatien": 500,
    "Rumänien": 1_300,
    "Bulgarien": 200,
    "Sonstige EU": 2_100,
    "Ukraine": 1_100,
    "Kosovo": 700,
    "Serbien": 1_300,
    "Sonstiges Europa": 2_400,
    "Syrien": 150,
    "Irak": 500,
    "Afghanistan": 400,
    "Iran": 1_000,
    "Eritrea": 40,
    "Sonstiges Afrika": 1_000,
    "Sonstiges Asien": 2_800,
    "Amerika, Ozeanien, ungeklärt": 1_400,
}
#: Germans with familial migration background (children) by country of reference, without
#: Türkei, which is fixed through :data:`TURKEY_MH_TOTAL`.
GERMAN_FAMILIAL_WEIGHTS: dict[str, float] = {
    "Polen": 2_500,
    "Russische Föderation": 2_000,
    "Kasachstan": 1_900,
    "Griechenland": 650,
    "Italien": 350,
    "Kroatien": 200,
    "Rumänien": 300,
    "Bulgarien": 80,
    "Sonstige EU": 700,
    "Ukraine": 250,
    "Kosovo": 400,
    "Serbien": 550,
    "Sonstiges Europa": 700,
    "Syrien": 150,
    "Irak": 350,
    "Afghanistan": 150,
    "Iran": 250,
    "Eritrea": 30,
    "Sonstiges Afrika": 400,
    "Sonstiges Asien": 900,
    "Amerika, Ozeanien, ungeklärt": 350,
}
#: All persons with migration background and reference to Türkei (foreigners + Germans).
TURKEY_MH_TOTAL = {
    2014: 26_150,
    2015: 26_200,
    2016: 26_231,
    2017: 26_280,
    2018: 26_330,
    2019: 26_380,
}

#: Share of minors by origin among foreigners (seed of the fitting, not a result).
_MINOR_PROPENSITY = {
    "Syrien": 0.40,
    "Irak": 0.38,
    "Afghanistan": 0.36,
    "Eritrea": 0.30,
    "Iran": 0.22,
    "Bulgarien": 0.24,
    "Rumänien": 0.24,
    "Kosovo": 0.28,
    "Serbien": 0.22,
    "Polen": 0.16,
    "Griechenland": 0.14,
    "Türkei": 0.11,
    "Italien": 0.08,
    "Sonstiges Afrika": 0.25,
}
#: Relative concentration of an origin per Stadtbezirk (01 … 10), 1.0 = no preference.
_DISTRICT_AFFINITY: dict[str, tuple[float, ...]] = {
    "Türkei": (1.1, 0.9, 0.7, 1.1, 0.5, 0.7, 1.6, 1.4, 1.4, 0.9),
    "Russische Föderation": (0.7, 0.9, 0.6, 1.0, 0.6, 1.2, 1.3, 1.3, 1.8, 1.1),
    "Kasachstan": (0.6, 0.9, 0.6, 1.0, 0.6, 1.3, 1.3, 1.3, 1.9, 1.1),
    "Polen": (1.2, 1.0, 0.8, 1.1, 0.7, 0.9, 1.1, 1.0, 1.0, 1.0),
    "Bulgarien": (1.6, 0.9, 0.6, 1.1, 0.4, 0.6, 1.2, 1.1, 1.0, 0.8),
    "Rumänien": (1.5, 0.9, 0.6, 1.1, 0.4, 0.6, 1.2, 1.1, 1.0, 0.8),
    "Griechenland": (1.3, 1.1, 0.8, 1.0, 0.7, 0.8, 1.0, 1.0, 0.9, 0.9),
    "Syrien": (1.4, 1.0, 0.8, 1.2, 0.5, 0.7, 1.2, 1.1, 1.1, 0.9),
    "Irak": (1.3, 0.9, 0.8, 1.2, 0.5, 0.7, 1.3, 1.1, 1.2, 0.9),
    "Afghanistan": (1.4, 1.0, 0.9, 1.1, 0.5, 0.7, 1.1, 1.1, 1.1, 0.9),
    "Eritrea": (1.5, 1.0, 0.9, 1.1, 0.5, 0.6, 1.1, 1.0, 1.0, 0.8),
}


def foreign_by_nationality(year: int) -> dict[str, int]:
    """Foreigners in the register per nationality on 31.12.``year`` (sums to the city total)."""
    i = year - 2014
    out = {n: v[i] for n, v in FOREIGN_STOCK.items()}
    rest = CITY_TOTALS[year]["foreign"] - sum(out.values())
    parts = allocate(rest, list(RESIDUAL_ORIGINS.values()))
    out.update(dict(zip(RESIDUAL_ORIGINS, (int(p) for p in parts), strict=True)))
    return {n: out.get(n, 0) for n in FOREIGN_NATIONALITIES}


def _origin_totals(year: int, group: str, total: int) -> dict[str, int]:
    """City totals per origin for one citizenship × MH group."""
    if group == "auslaendisch":
        return foreign_by_nationality(year)
    if group == "ohne":
        return {"Deutschland": total}
    if group == "persoenlich":
        w = GERMAN_PERSONAL_WEIGHTS
        return dict(zip(w, (int(x) for x in allocate(total, list(w.values()))), strict=True))
    # familial: Türkei closes the published total of persons with reference to Türkei
    personal = _origin_totals(year, "persoenlich", CITY_TOTALS[year]["mh_personal"])
    turkey = TURKEY_MH_TOTAL[year] - foreign_by_nationality(year)["Türkei"] - personal["Türkei"]
    w = GERMAN_FAMILIAL_WEIGHTS
    rest = allocate(total - turkey, list(w.values()))
    return {"Türkei": turkey, **dict(zip(w, (int(x) for x in rest), strict=True))}


def _ipf(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, steps: int = 200) -> np.ndarray:
    """Fit ``seed`` to row and column totals by iterative proportional fitting."""
    m = seed.astype(float).copy()
    for _ in range(steps):
        rs = m.sum(axis=1)
        m *= np.divide(rows, rs, out=np.zeros_like(rs), where=rs > 0)[:, None]
        cs = m.sum(axis=0)
        m *= np.divide(cols, cs, out=np.zeros_like(cs), where=cs > 0)[None, :]
    return m


def _integerise(real: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Round a fitted matrix to integers keeping both margins exact (deterministic)."""
    m = np.vstack([allocate(int(r), np.maximum(real[i], 0)) for i, r in enumerate(rows)])
    diff = cols - m.sum(axis=0)
    while diff.any():
        j = int(np.flatnonzero(diff > 0)[0])  # column that needs more
        k = int(np.flatnonzero(diff < 0)[0])  # column that has too many
        gain = (real[:, j] - m[:, j]) + (m[:, k] - real[:, k])
        gain[m[:, k] == 0] = -np.inf
        i = int(np.argmax(gain))
        m[i, j] += 1
        m[i, k] -= 1
        diff[j] -= 1
        diff[k] += 1
    return m


@cache
def population_origin(year: int) -> pd.DataFrame:
    """Inhabitants by Stadtbezirk, citizenship, MH, origin and minor for 31.12.``year``.

    The margins per Stadtbezirk × citizenship × MH × minor equal :func:`world.population`,
    the margins per origin equal :func:`foreign_by_nationality` and the German weights.
    """
    pop = population(year).copy()
    pop["minor"] = np.where(pop.age_group.isin(MINOR_AGE_GROUPS), "ja", "nein")
    pop["group"] = np.where(
        pop.citizenship == "auslaendisch", "auslaendisch", pop.migration_background
    )
    frames = []
    districts = list(STADTBEZIRKE)
    row_keys = [(sb, minor) for sb in districts for minor in ("ja", "nein")]
    for group in ("ohne", "persoenlich", "familiaer", "auslaendisch"):
        sub = pop[pop.group == group].groupby(["stadtbezirk", "minor"])["count"].sum()
        rows = np.array([int(sub.get(k, 0)) for k in row_keys], dtype=np.int64)
        totals = _origin_totals(year, group, int(rows.sum()))
        origins = list(totals)
        cols = np.array([totals[o] for o in origins], dtype=np.int64)
        seed = np.ones((len(row_keys), len(origins)))
        for c, origin in enumerate(origins):
            aff = _DISTRICT_AFFINITY.get(origin, (1.0,) * 10)
            p = _MINOR_PROPENSITY.get(origin, 0.15) if group == "auslaendisch" else 0.5
            for r, (sb, minor) in enumerate(row_keys):
                seed[r, c] = aff[int(sb) - 1] * (p if minor == "ja" else 1 - p)
        matrix = _integerise(_ipf(seed, rows, cols), rows, cols)
        for r, (sb, minor) in enumerate(row_keys):
            for c, origin in enumerate(origins):
                frames.append((sb, group, origin, minor, int(matrix[r, c])))
    out = pd.DataFrame(frames, columns=["stadtbezirk", "group", "origin", "minor", "count"])
    out["citizenship"] = np.where(out.group == "auslaendisch", "auslaendisch", "deutsch")
    out["migration_background"] = np.where(out.group == "auslaendisch", "persoenlich", out.group)
    out = out[out["count"] > 0]
    cols = ["stadtbezirk", "citizenship", "migration_background", "origin", "minor", "count"]
    return out[cols].sort_values(cols[:-1], ignore_index=True)


# --- writing -------------------------------------------------------------------------------


def _origin_sort_key(origin: str) -> int:
    return list(NATIONALITIES).index(origin)


def register_extract(year: int) -> bytes:
    """The file ``einwohner_statbezirke_<year>.csv`` (cp1252, CRLF)."""
    pop = population(year)
    pop = pop[pop["count"] > 0]
    stichtag = f"31.12.{year}"
    rows = [
        [
            stichtag,
            r.stat_bezirk,
            STAT_BEZIRKE[r.stat_bezirk][0],
            SEX_LABELS[r.sex],
            AGE_LABELS[r.age_group],
            CITIZENSHIP_LABELS[r.citizenship],
            MH_LABELS[r.migration_background],
            str(r.count),
        ]
        for r in pop.itertuples(index=False)
    ]
    header = [
        "Stichtag",
        "Statistischer Bezirk",
        "Bezeichnung",
        "Geschlecht",
        "Altersgruppe",
        "Staatsangehörigkeit",
        "Migrationshintergrund",
        "Anzahl",
    ]
    return fmt.city_csv(header, rows, encoding="cp1252", crlf=True)


def origin_extract(year: int) -> bytes:
    """The file ``einwohner_herkunft_<year>.csv`` (cp1252, CRLF)."""
    df = population_origin(year).copy()
    df["_o"] = df.origin.map(_origin_sort_key)
    df = df.sort_values(["stadtbezirk", "citizenship", "migration_background", "_o", "minor"])
    stichtag = f"31.12.{year}"
    rows = [
        [
            stichtag,
            r.stadtbezirk,
            STADTBEZIRKE[r.stadtbezirk],
            CITIZENSHIP_LABELS[r.citizenship],
            MH_LABELS[r.migration_background],
            r.origin,
            r.minor,
            str(r.count),
        ]
        for r in df.itertuples(index=False)
    ]
    header = [
        "Stichtag",
        "Stadtbezirk",
        "Bezeichnung",
        "Staatsangehörigkeit",
        "Migrationshintergrund",
        "Staatsangehörigkeit/Bezugsland",
        "Minderjährig",
        "Anzahl",
    ]
    return fmt.city_csv(header, rows, encoding="cp1252", crlf=True)


def deliveries(year: int) -> list[Delivery]:
    """The register extracts of one year."""
    ref = f"{year}-12-31"
    origin = "Stadt Bielefeld, Bürgeramt – Einwohnermelderegister (MigraPro-Auswertung)"
    return [
        Delivery(
            f"einwohner_statbezirke_{year}.csv",
            register_extract(year),
            "register_csv",
            "population",
            ref,
            origin,
        ),
        Delivery(
            f"einwohner_herkunft_{year}.csv",
            origin_extract(year),
            "register_csv",
            "population_origin",
            ref,
            origin,
        ),
    ]
