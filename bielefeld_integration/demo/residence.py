"""Demo delivery of the foreigners office: AZR extract by residence status and duration.

``auslaenderbehoerde_<year>.csv`` (UTF-8, semicolon, German thousands dots): foreigners by
nationality × residence status × duration of stay × sex on 31.12. The stock follows the
Ausländerzentralregister, which counts more foreigners than the city register (about
51,300 in 2015 and 61,300 in 2018). 31.12.2017: 2,893 in an asylum procedure ("fast
2.900"), 56 in a follow-up procedure, 658 with a Duldung. Asylum procedures peak in 2016.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from bielefeld_integration.demo import Delivery
from bielefeld_integration.demo import _office_formats as fmt
from bielefeld_integration.demo.register import foreign_by_nationality
from bielefeld_integration.demo.world import allocate, split_by_sex
from bielefeld_integration.tables import FOREIGN_NATIONALITIES, NATIONALITIES, RESIDENCE_DURATION

#: AZR stock of foreigners per 31.12.
AZR_TOTAL = {2014: 47_000, 2015: 51_300, 2016: 56_000, 2017: 59_500, 2018: 61_300, 2019: 62_800}

#: Persons per refugee status and 31.12.
REFUGEE_STATUS_TOTALS: dict[str, dict[int, int]] = {
    "asylverfahren": {2014: 1_450, 2015: 3_550, 2016: 4_350, 2017: 2_893, 2018: 1_850, 2019: 1_380},
    "folgeverfahren": {2014: 38, 2015: 45, 2016: 62, 2017: 56, 2018: 50, 2019: 44},
    "duldung": {2014: 540, 2015: 610, 2016: 645, 2017: 658, 2018: 690, 2019: 705},
    "schutz": {2014: 1_750, 2015: 2_500, 2016: 5_300, 2017: 7_900, 2018: 9_200, 2019: 9_900},
}

#: Nationality weights per refugee status (unlisted nationalities: 0).
_REFUGEE_WEIGHTS: dict[str, dict[str, float]] = {
    "asylverfahren": {
        "Syrien": 0.30,
        "Irak": 0.22,
        "Afghanistan": 0.14,
        "Iran": 0.07,
        "Eritrea": 0.06,
        "Sonstiges Afrika": 0.07,
        "Sonstiges Asien": 0.06,
        "Kosovo": 0.02,
        "Serbien": 0.02,
        "Sonstiges Europa": 0.02,
        "Türkei": 0.015,
        "Russische Föderation": 0.01,
        "Ukraine": 0.005,
    },
    "folgeverfahren": {
        "Irak": 0.18,
        "Afghanistan": 0.14,
        "Iran": 0.10,
        "Syrien": 0.06,
        "Serbien": 0.14,
        "Kosovo": 0.12,
        "Sonstiges Europa": 0.10,
        "Sonstiges Afrika": 0.10,
        "Sonstiges Asien": 0.06,
    },
    "duldung": {
        "Irak": 0.20,
        "Afghanistan": 0.18,
        "Iran": 0.08,
        "Syrien": 0.04,
        "Eritrea": 0.03,
        "Serbien": 0.08,
        "Kosovo": 0.08,
        "Sonstiges Europa": 0.06,
        "Sonstiges Afrika": 0.12,
        "Sonstiges Asien": 0.08,
        "Türkei": 0.03,
        "Russische Föderation": 0.02,
    },
    "schutz": {
        "Syrien": 0.48,
        "Irak": 0.22,
        "Eritrea": 0.07,
        "Afghanistan": 0.07,
        "Iran": 0.06,
        "Sonstiges Afrika": 0.04,
        "Sonstiges Asien": 0.03,
        "Türkei": 0.02,
        "Russische Föderation": 0.01,
    },
}
#: Western Balkans had many asylum applications before 2016.
_BALKANS = ("Kosovo", "Serbien", "Sonstiges Europa")
_REFUGEE_COUNTRIES = ("Syrien", "Irak", "Afghanistan", "Iran", "Eritrea")

#: Other titles per kind of nationality: befristet, unbefristet, eu_freizuegigkeit, sonstige.
_OTHER_STATUS = {
    "eu": (0.0, 0.0, 0.93, 0.07),
    "Türkei": (0.24, 0.68, 0.0, 0.08),
    "refugee": (0.62, 0.13, 0.0, 0.25),
    "other": (0.42, 0.45, 0.0, 0.13),
}
_OTHER_NAMES = ("befristet", "unbefristet", "eu_freizuegigkeit", "sonstige")

#: Duration of stay per status: unter 4, 4 bis unter 8, 8 bis unter 10, 10 und mehr.
_DURATION: dict[str, tuple[float, ...]] = {
    "asylverfahren": (0.93, 0.07, 0.0, 0.0),
    "folgeverfahren": (0.45, 0.40, 0.08, 0.07),
    "duldung": (0.50, 0.32, 0.08, 0.10),
    "befristet": (0.55, 0.25, 0.07, 0.13),
    "unbefristet": (0.02, 0.12, 0.10, 0.76),
    "sonstige": (0.50, 0.20, 0.10, 0.20),
}
_DURATION_SCHUTZ = {
    2014: (0.55, 0.25, 0.08, 0.12),
    2015: (0.70, 0.17, 0.05, 0.08),
    2016: (0.82, 0.10, 0.03, 0.05),
    2017: (0.80, 0.13, 0.03, 0.04),
    2018: (0.62, 0.30, 0.03, 0.05),
    2019: (0.45, 0.47, 0.03, 0.05),
}
_DURATION_EU = {
    "Polen": (0.35, 0.22, 0.10, 0.33),
    "Griechenland": (0.30, 0.12, 0.05, 0.53),
    "Bulgarien": (0.60, 0.25, 0.07, 0.08),
    "Rumänien": (0.58, 0.25, 0.07, 0.10),
    "Italien": (0.12, 0.08, 0.05, 0.75),
    "Kroatien": (0.45, 0.12, 0.05, 0.38),
    "Sonstige EU": (0.30, 0.15, 0.07, 0.48),
}
_DURATION_TURKEY_SETTLED = (0.01, 0.05, 0.06, 0.88)
#: Female share per status.
_FEMALE = {"asylverfahren": 0.36, "folgeverfahren": 0.30, "duldung": 0.33, "schutz": 0.40}

STATUS_LABELS = {
    "asylverfahren": "Aufenthaltsgestattung (Asylerstverfahren)",
    "folgeverfahren": "Asylfolgeverfahren",
    "duldung": "Duldung",
    "schutz": "Aufenthaltserlaubnis aus humanitären Gründen (Schutz anerkannt)",
    "befristet": "befristete Aufenthaltserlaubnis (sonstige Zwecke)",
    "unbefristet": "Niederlassungserlaubnis / Daueraufenthalt-EU",
    "eu_freizuegigkeit": "EU-Freizügigkeit",
    "sonstige": "sonstiger Aufenthaltsstatus",
}
DURATION_LABELS = {
    "unter 4": "unter 4 Jahre",
    "4 bis unter 8": "4 bis unter 8 Jahre",
    "8 bis unter 10": "8 bis unter 10 Jahre",
    "10 und mehr": "10 Jahre und mehr",
}
SEX_LABELS = {"m": "männlich", "w": "weiblich"}


def _kind(nationality: str) -> str:
    if NATIONALITIES[nationality] == "eu":
        return "eu"
    if nationality == "Türkei":
        return "Türkei"
    if nationality in _REFUGEE_COUNTRIES or nationality.startswith("Sonstiges A"):
        return "refugee"
    return "other"


def _refugee_counts(year: int) -> dict[str, dict[str, int]]:
    """Persons per refugee status and nationality."""
    out: dict[str, dict[str, int]] = {}
    for status, totals in REFUGEE_STATUS_TOTALS.items():
        w = dict(_REFUGEE_WEIGHTS[status])
        if year <= 2015 and status in ("asylverfahren", "duldung"):
            for b in _BALKANS:
                w[b] = w.get(b, 0) * 3.5
        weights = [w.get(n, 0.0) for n in FOREIGN_NATIONALITIES]
        parts = allocate(totals[year], weights)
        out[status] = dict(zip(FOREIGN_NATIONALITIES, (int(p) for p in parts), strict=True))
    return out


@cache
def residence(year: int) -> pd.DataFrame:
    """Foreigners (AZR) by nationality, residence status, duration and sex on 31.12.``year``."""
    refugees = _refugee_counts(year)
    register = foreign_by_nationality(year)
    in_refugee = {n: sum(refugees[s][n] for s in refugees) for n in FOREIGN_NATIONALITIES}
    other_total = AZR_TOTAL[year] - sum(in_refugee.values())
    weights = [
        max(register[n] - 0.8 * in_refugee[n], 0.05 * register[n]) for n in FOREIGN_NATIONALITIES
    ]
    others = dict(
        zip(FOREIGN_NATIONALITIES, (int(x) for x in allocate(other_total, weights)), strict=True)
    )
    rows = []
    for n in FOREIGN_NATIONALITIES:
        statuses = {s: refugees[s][n] for s in refugees}
        split = allocate(others[n], _OTHER_STATUS[_kind(n)])
        statuses.update(dict(zip(_OTHER_NAMES, (int(x) for x in split), strict=True)))
        for status, count in statuses.items():
            if status == "schutz":
                shares = _DURATION_SCHUTZ[year]
            elif status == "eu_freizuegigkeit":
                shares = _DURATION_EU.get(n, _DURATION_EU["Sonstige EU"])
            elif status == "unbefristet" and n == "Türkei":
                shares = _DURATION_TURKEY_SETTLED
            else:
                shares = _DURATION[status]
            female = _FEMALE.get(status, 0.47 if _kind(n) != "refugee" else 0.42)
            for d, by_duration in zip(RESIDENCE_DURATION, allocate(count, shares), strict=True):
                women, men = split_by_sex(int(by_duration), female)
                rows.append((n, status, d, "w", women))
                rows.append((n, status, d, "m", men))
    cols = ["nationality", "residence_status", "duration", "sex", "count"]
    df = pd.DataFrame(rows, columns=cols)
    df["count"] = df["count"].astype(np.int64)
    return df[df["count"] > 0].reset_index(drop=True)


def residence_extract(year: int) -> bytes:
    """The file ``auslaenderbehoerde_<year>.csv`` (UTF-8, LF, thousands dots)."""
    header = [
        "Stichtag",
        "Staatsangehörigkeit",
        "Aufenthaltsstatus",
        "Aufenthaltsdauer",
        "Geschlecht",
        "Anzahl",
    ]
    rows = [
        [
            f"31.12.{year}",
            r.nationality,
            STATUS_LABELS[r.residence_status],
            DURATION_LABELS[r.duration],
            SEX_LABELS[r.sex],
            fmt.thousands(r.count),
        ]
        for r in residence(year).itertuples(index=False)
    ]
    return fmt.city_csv(
        header,
        rows,
        encoding="utf-8",
        comments=["Ausländerbehörde Bielefeld – Auszug aus dem Ausländerzentralregister (AZR)"],
    )


def deliveries(year: int) -> list[Delivery]:
    """The foreigners office extract of one year."""
    return [
        Delivery(
            f"auslaenderbehoerde_{year}.csv",
            residence_extract(year),
            "foreigners_office_csv",
            "residence",
            f"{year}-12-31",
            "Stadt Bielefeld, Ausländerbehörde (Auszug aus dem Ausländerzentralregister)",
        )
    ]
