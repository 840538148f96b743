"""Demo delivery of newcomers: ``zugaenge_<year>.csv`` (social services / foreigners office).

Foreign newcomers of one calendar year by half-year, channel (assignment of refugees,
family reunification, EU immigration, other), nationality, sex, age group at arrival and
Stadtbezirk of first residence. Semicolon CSV in UTF-8 with BOM, CRLF, Stadtbezirk by name.

Calibrated to the implementation report: assignments 3,397 (2015), 683 (2016) and 195 in
the first half of 2017 (about 300 in 2017, so almost 1,000 in 2016–2017); family
reunification 2016–2017 just under 900, two thirds minors, mainly from Irak, then Syrien;
EU newcomers mainly from Polen, Griechenland, Bulgarien and Rumänien. Newcomers settle
first of all in Mitte, Heepen, Stieghorst, Sennestadt and Brackwede.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from bielefeld_integration.demo import Delivery
from bielefeld_integration.demo import _office_formats as fmt
from bielefeld_integration.demo.world import allocate, rng
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.tables import ARRIVAL_AGE_GROUPS, ARRIVAL_CHANNELS

#: Newcomers per channel, year and half-year.
CHANNEL_TOTALS: dict[str, dict[int, tuple[int, int]]] = {
    "zuweisung": {
        2014: (420, 690),
        2015: (905, 2_492),
        2016: (470, 213),
        2017: (195, 104),
        2018: (120, 118),
        2019: (104, 101),
    },
    "familiennachzug": {
        2014: (70, 85),
        2015: (120, 170),
        2016: (240, 282),
        2017: (205, 164),
        2018: (160, 170),
        2019: (150, 148),
    },
    "eu": {
        2014: (1_180, 1_220),
        2015: (1_330, 1_370),
        2016: (1_290, 1_310),
        2017: (1_240, 1_260),
        2018: (1_190, 1_210),
        2019: (1_140, 1_160),
    },
    "sonstige": {
        2014: (640, 660),
        2015: (760, 790),
        2016: (700, 720),
        2017: (650, 670),
        2018: (640, 650),
        2019: (630, 650),
    },
}

#: Nationality weights per channel.
NATIONALITY_WEIGHTS: dict[str, dict[str, float]] = {
    "zuweisung": {
        "Syrien": 0.38,
        "Irak": 0.20,
        "Afghanistan": 0.13,
        "Iran": 0.06,
        "Eritrea": 0.06,
        "Sonstiges Afrika": 0.07,
        "Sonstiges Asien": 0.04,
        "Kosovo": 0.02,
        "Serbien": 0.02,
        "Sonstiges Europa": 0.02,
    },
    "familiennachzug": {
        "Irak": 0.42,
        "Syrien": 0.33,
        "Afghanistan": 0.06,
        "Eritrea": 0.05,
        "Iran": 0.03,
        "Türkei": 0.03,
        "Kosovo": 0.02,
        "Sonstiges Afrika": 0.02,
        "Sonstiges Asien": 0.04,
    },
    "eu": {
        "Polen": 0.27,
        "Griechenland": 0.19,
        "Bulgarien": 0.19,
        "Rumänien": 0.15,
        "Italien": 0.05,
        "Kroatien": 0.05,
        "Sonstige EU": 0.10,
    },
    "sonstige": {
        "Türkei": 0.15,
        "Russische Föderation": 0.07,
        "Ukraine": 0.07,
        "Kasachstan": 0.02,
        "Kosovo": 0.06,
        "Serbien": 0.05,
        "Sonstiges Europa": 0.08,
        "Iran": 0.04,
        "Sonstiges Asien": 0.22,
        "Sonstiges Afrika": 0.08,
        "Amerika, Ozeanien, ungeklärt": 0.16,
    },
}
#: Age structure at arrival per channel (over ARRIVAL_AGE_GROUPS).
AGE_SHARES: dict[str, tuple[float, ...]] = {
    "zuweisung": (0.05, 0.05, 0.06, 0.07, 0.04, 0.25, 0.38, 0.09, 0.01),
    "familiennachzug": (0.10, 0.11, 0.16, 0.20, 0.095, 0.07, 0.22, 0.04, 0.005),
    "eu": (0.03, 0.03, 0.04, 0.05, 0.02, 0.20, 0.48, 0.14, 0.01),
    "sonstige": (0.03, 0.03, 0.03, 0.04, 0.02, 0.30, 0.42, 0.11, 0.02),
}
#: Female share of adults per channel (children: about half).
ADULT_FEMALE: dict[str, float] = {
    "zuweisung": 0.30,
    "familiennachzug": 0.86,
    "eu": 0.42,
    "sonstige": 0.46,
}
#: Where newcomers take their first residence (Stadtbezirk 01 … 10).
DISTRICT_WEIGHTS: dict[str, tuple[float, ...]] = {
    "zuweisung": (0.30, 0.06, 0.03, 0.11, 0.02, 0.04, 0.16, 0.12, 0.11, 0.05),
    "familiennachzug": (0.31, 0.06, 0.02, 0.10, 0.02, 0.04, 0.17, 0.12, 0.11, 0.05),
    "eu": (0.36, 0.08, 0.03, 0.11, 0.02, 0.04, 0.13, 0.10, 0.08, 0.05),
    "sonstige": (0.34, 0.10, 0.04, 0.09, 0.04, 0.05, 0.11, 0.09, 0.08, 0.06),
}

CHANNEL_LABELS = {
    "zuweisung": "Zuweisung (Flüchtlinge)",
    "familiennachzug": "Familiennachzug",
    "eu": "EU-Zuwanderung",
    "sonstige": "sonstiger Zuzug",
}
AGE_LABELS = {
    "00-02": "0 bis unter 3",
    "03-05": "3 bis unter 6",
    "06-09": "6 bis unter 10",
    "10-15": "10 bis unter 16",
    "16-17": "16 bis unter 18",
    "18-24": "18 bis unter 25",
    "25-44": "25 bis unter 45",
    "45-64": "45 bis unter 65",
    "65+": "65 und älter",
}
SEX_LABELS = {"m": "männlich", "w": "weiblich"}
_MINORS = {"00-02", "03-05", "06-09", "10-15", "16-17"}


@cache
def arrivals(year: int) -> pd.DataFrame:
    """Newcomers of ``year`` by half, channel, nationality, sex, age group and Stadtbezirk."""
    rows = []
    for channel in ARRIVAL_CHANNELS:
        g = rng(f"arrivals-{channel}-{year}")
        nats = NATIONALITY_WEIGHTS[channel]
        for h, total in enumerate(CHANNEL_TOTALS[channel][year], start=1):
            by_nat = allocate(total, list(nats.values()))
            for nat, n_nat in zip(nats, by_nat, strict=True):
                by_age = allocate(int(n_nat), AGE_SHARES[channel])
                for age, n_age in zip(ARRIVAL_AGE_GROUPS, by_age, strict=True):
                    if n_age == 0:
                        continue
                    female = 0.49 if age in _MINORS else ADULT_FEMALE[channel]
                    w = int(g.binomial(int(n_age), female))
                    for sex, n_sex in (("w", w), ("m", int(n_age) - w)):
                        if n_sex == 0:
                            continue
                        dist = g.multinomial(n_sex, DISTRICT_WEIGHTS[channel])
                        for sb, n in zip(STADTBEZIRKE, dist, strict=True):
                            if n:
                                rows.append((str(h), channel, nat, sex, age, sb, int(n)))
    cols = ["half", "channel", "nationality", "sex", "age_group", "stadtbezirk", "count"]
    df = pd.DataFrame(rows, columns=cols)
    df["count"] = df["count"].astype(np.int64)
    return df


def arrivals_extract(year: int) -> bytes:
    """The file ``zugaenge_<year>.csv`` (UTF-8 with BOM, CRLF)."""
    header = [
        "Jahr",
        "Halbjahr",
        "Zugangsweg",
        "Staatsangehörigkeit",
        "Geschlecht",
        "Altersgruppe bei Zuzug",
        "Stadtbezirk",
        "Anzahl",
    ]
    rows = [
        [
            year,
            f"{r.half}. Halbjahr",
            CHANNEL_LABELS[r.channel],
            r.nationality,
            SEX_LABELS[r.sex],
            AGE_LABELS[r.age_group],
            STADTBEZIRKE[r.stadtbezirk],
            r.count,
        ]
        for r in arrivals(year).itertuples(index=False)
    ]
    return fmt.city_csv(
        header,
        rows,
        encoding="utf-8",
        bom=True,
        crlf=True,
        comments=["Sozialamt / Ausländerbehörde Bielefeld – Neuzugänge nach Zugangsweg"],
    )


def deliveries(year: int) -> list[Delivery]:
    """The newcomers extract of one year."""
    return [
        Delivery(
            f"zugaenge_{year}.csv",
            arrivals_extract(year),
            "arrivals_csv",
            "arrivals",
            f"{year}-12-31",
            "Stadt Bielefeld, Sozialamt und Ausländerbehörde (Neuzugänge nach Zugangsweg)",
        )
    ]
