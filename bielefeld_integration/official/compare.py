"""Comparison series of "Bielefeld im Vergleich", computed from the official tables only.

Every series is one tidy frame with the columns of :data:`COLUMNS`: the indicator, the
region (Bielefeld, NRW, Regierungsbezirk Detmold, the other kreisfreie Städte of NRW), the
year, numerator, denominator and value. A value exists only where the official tables hold
both numerator and denominator for the same year (or the reference date the definition
names); nothing is interpolated or extrapolated, and a year without data is simply absent.

Cells are found by their labels, not by column names: :func:`select` takes the labels a
row must carry (e.g. ``"Ausländer(innen)"``) and treats every other label as a total
(``Insgesamt``, ``zusammen``, empty) or as the table's constant measure/unit, so the
selection does not depend on how the GENESIS reader names the dimension columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.periods import Period

__all__ = [
    "COLUMNS",
    "INDICATORS",
    "KREISFREIE_STAEDTE_NRW",
    "REGIONS",
    "ComparisonIndicator",
    "age_bounds",
    "compute",
    "select",
    "select_ages",
]

BIELEFELD = "05711"
NRW = "05"
DETMOLD = "057"
#: The 22 kreisfreie Städte of North Rhine-Westphalia (AGS -> name).
KREISFREIE_STAEDTE_NRW: dict[str, str] = {
    "05111": "Düsseldorf",
    "05112": "Duisburg",
    "05113": "Essen",
    "05114": "Krefeld",
    "05116": "Mönchengladbach",
    "05117": "Mülheim an der Ruhr",
    "05119": "Oberhausen",
    "05120": "Remscheid",
    "05122": "Solingen",
    "05124": "Wuppertal",
    "05314": "Bonn",
    "05315": "Köln",
    "05316": "Leverkusen",
    "05512": "Bottrop",
    "05513": "Gelsenkirchen",
    "05515": "Münster",
    "05711": "Bielefeld",
    "05911": "Bochum",
    "05913": "Dortmund",
    "05914": "Hagen",
    "05915": "Hamm",
    "05916": "Herne",
}
#: Every region of the comparison, code -> name, in the order of the tables.
REGIONS: dict[str, str] = {
    BIELEFELD: "Bielefeld",
    NRW: "Nordrhein-Westfalen",
    DETMOLD: "Regierungsbezirk Detmold",
    **{c: n for c, n in KREISFREIE_STAEDTE_NRW.items() if c != BIELEFELD},
}
COLUMNS = ["indicator", "region_code", "region_name", "year", "numerator", "denominator", "value"]
_CORE = {"time", "region_code", "region_name", "value", "symbol"}
_SPACE = re.compile(r"\s+")


def _norm(text: object) -> str:
    return _SPACE.sub(" ", str(text)).strip()


def _is_total(label: str) -> bool:
    return (
        label == ""
        or label.lower() in {"insgesamt", "zusammen", "anzahl"}
        or ("insgesamt" in label.lower().split())
    )


def _row_labels(df: pd.DataFrame, ignore: Iterable[str]) -> list[frozenset[str]]:
    dims = [c for c in df.columns if c not in _CORE]
    constant = {c for c in dims if df[c].nunique(dropna=False) <= 1}
    skip = {_norm(i) for i in ignore}
    cols = [df[c].map(_norm) for c in dims if c not in constant]
    out = []
    for labels in zip(*cols, strict=True) if cols else [()] * len(df):
        out.append(frozenset(v for v in labels if not _is_total(v) and v not in skip))
    return out


def _year(time: pd.Series) -> pd.Series:
    return time.astype(str).str[:4]


def select(
    df: pd.DataFrame, *labels: str, ignore: Iterable[str] = (), regions: Iterable[str] = REGIONS
) -> pd.Series:
    """The values of the cells that carry exactly ``labels`` (and totals otherwise).

    Returns
    -------
    pandas.Series
        Indexed by ``(region_code, year)``; symbols (``-``, ``.``) are NaN.

    Raises
    ------
    DataError
        Two cells match the same region and year (the selection is ambiguous).
    """
    df = df[df["region_code"].isin(list(regions))]
    want = frozenset(_norm(x) for x in labels)
    mask = np.array([lab == want for lab in _row_labels(df, ignore)], dtype=bool)
    hit = df[mask]
    key = pd.MultiIndex.from_arrays(
        [hit["region_code"], _year(hit["time"])], names=["region_code", "year"]
    )
    if key.duplicated().any():
        region, year = key[key.duplicated()][0]
        raise DataError(f"mehrdeutige Zelle {sorted(want)} für {region} {year}")
    return pd.Series(hit["value"].to_numpy(dtype=float), index=key)


_AGE = [
    (re.compile(r"^unter (\d+) Jahren?$"), lambda m: (0, int(m[1]))),
    (re.compile(r"^(\d+) bis unter (\d+) Jahren?$"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"^(\d+) Jahre und (?:mehr|älter)$"), lambda m: (int(m[1]), 200)),
]


def age_bounds(label: str) -> tuple[int, int] | None:
    """``(from, to)`` of an age-group label, ``None`` if it is none.

    >>> age_bounds("15 bis unter 18 Jahre"), age_bounds("unter 3 Jahre"), age_bounds("x")
    ((15, 18), (0, 3), None)
    """
    for pattern, bounds in _AGE:
        m = pattern.match(_norm(label))
        if m:
            return bounds(m)
    return None


def select_ages(df: pd.DataFrame, lo: int, hi: int, *labels: str) -> pd.Series:
    """Sum over the age groups that cover ``[lo, hi)`` exactly, for cells with ``labels``.

    Raises
    ------
    DataError
        The table's age groups do not cover ``[lo, hi)`` without gap or overlap.
    """
    df = df[df["region_code"].isin(list(REGIONS))]
    want = frozenset(_norm(x) for x in labels)
    rows, groups = [], {}
    for i, lab in enumerate(_row_labels(df, ())):
        extra = lab - want
        if len(extra) == 1 and want <= lab:
            (age,) = extra
            bounds = age_bounds(age)
            if bounds and lo <= bounds[0] and bounds[1] <= hi:
                rows.append(i)
                groups[age] = bounds
    covered = sorted(groups.values())
    edges = [lo, *[b for a, b in covered]]
    if not covered or [a for a, _ in covered] != edges[:-1] or edges[-1] != hi:
        raise DataError(f"Altersgruppen decken {lo} bis unter {hi} Jahre nicht lückenlos ab")
    hit = df.iloc[rows]
    out = hit.groupby([hit["region_code"], _year(hit["time"])])["value"].sum(min_count=1)
    out.index.names = ["region_code", "year"]
    return out


@dataclass(frozen=True)
class ComparisonIndicator:
    """One comparison indicator: German texts and how it is computed."""

    id: str
    title: str
    measure: str
    unit: str
    multiplier: float
    tables: tuple[str, ...]
    numerator: str
    denominator: str
    build: Callable[[dict[str, pd.DataFrame]], tuple[pd.Series, pd.Series]]


def _pop(t: dict[str, pd.DataFrame], *labels: str) -> pd.Series:
    parts = [select(t[n], *labels) for n in ("population_by_age_to_2010", "population_by_age")]
    return pd.concat(parts).sort_index()


def _pop_ages(t: dict[str, pd.DataFrame], lo: int, hi: int, *labels: str) -> pd.Series:
    names = ("population_by_age_to_2010", "population_by_age")
    return pd.concat([select_ages(t[n], lo, hi, *labels) for n in names]).sort_index()


def _previous_year(s: pd.Series) -> pd.Series:
    """``s`` moved one year on: the value of a year stands at the year after."""
    idx = s.index
    years = [str(Period.parse(y).next) for y in idx.get_level_values("year")]
    return pd.Series(
        s.to_numpy(),
        index=pd.MultiIndex.from_arrays([idx.get_level_values(0), years], names=idx.names),
    )


_F = "Ausländer(innen)"
_RLB = "dar.: Regelleistungsberechtigte nach dem SGB II"
_DAYCARE_FOREIGN = "Kinder, Herkunft mind. 1 Elternteil ausländisch"


def _net_migration(t: dict[str, pd.DataFrame]) -> pd.Series:
    m = t["migration"]
    arrivals = select(m, _F, "Zuzüge aus dem Ausland über die Gemeindegrenzen")
    departures = select(m, _F, "Fortzüge ins Ausland über Gemeindegrenzen")
    return arrivals - departures


INDICATORS: dict[str, ComparisonIndicator] = {
    i.id: i
    for i in [
        ComparisonIndicator(
            "auslaenderanteil",
            "Anteil der Ausländerinnen und Ausländer an der Bevölkerung",
            "Anteil in %",
            "%",
            100,
            ("12411-03-02-4", "12411-03-03-4"),
            "Ausländerinnen und Ausländer am 31.12.",
            "Bevölkerung am 31.12.",
            lambda t: (_pop(t, _F), _pop(t)),
        ),
        ComparisonIndicator(
            "einbuergerungsquote",
            "Einbürgerungen je 100 Ausländerinnen und Ausländer",
            "Einbürgerungen je 100 Ausländer/-innen des Vorjahres",
            "je 100",
            100,
            ("12511-01-01-4", "12411-03-02-4", "12411-03-03-4"),
            "Einbürgerungen im Jahr",
            "Ausländerinnen und Ausländer am 31.12. des Vorjahres",
            lambda t: (select(t["naturalisations"]), _previous_year(_pop(t, _F))),
        ),
        ComparisonIndicator(
            "beschaeftigungsquote_auslaender",
            "Beschäftigungsquote der Ausländerinnen und Ausländer (Wohnort)",
            "Anteil in % der 15- bis unter 65-Jährigen",
            "%",
            100,
            ("13111-02-02-4", "12411-03-03-4"),
            "sozialversicherungspflichtig beschäftigte Ausländer/-innen am Wohnort, 30.06.",
            "ausländische Bevölkerung von 15 bis unter 65 Jahren am 31.12. desselben Jahres",
            lambda t: (select(t["employees_residence"], _F), _pop_ages(t, 15, 65, _F)),
        ),
        ComparisonIndicator(
            "auslaenderanteil_arbeitslose",
            "Anteil der Ausländerinnen und Ausländer an den Arbeitslosen",
            "Anteil in %",
            "%",
            100,
            ("13211-01-03-4",),
            "arbeitslose Ausländer/-innen (Jahresdurchschnitt)",
            "Arbeitslose insgesamt (Jahresdurchschnitt)",
            lambda t: (
                select(t["unemployed"], "Ausländer", ignore=["Arbeitslose"]),
                select(t["unemployed"], ignore=["Arbeitslose"]),
            ),
        ),
        ComparisonIndicator(
            "sgb2_quote",
            "SGB-II-Quote: Regelleistungsberechtigte je 100 Einwohner unter 65 Jahren",
            "Anteil in % der unter 65-Jährigen",
            "%",
            100,
            ("22811-02-02-4", "12411-03-02-4", "12411-03-03-4"),
            "Regelleistungsberechtigte nach dem SGB II am 31.12.",
            "Bevölkerung unter 65 Jahren am 31.12.",
            lambda t: (select(t["sgb2"], _RLB), _pop_ages(t, 0, 65)),
        ),
        ComparisonIndicator(
            "sgb2_quote_auslaender",
            "SGB-II-Quote der Ausländerinnen und Ausländer",
            "Anteil in % der ausländischen Bevölkerung unter 65 Jahren",
            "%",
            100,
            ("22811-02-02-4", "12411-03-02-4", "12411-03-03-4"),
            "ausländische Regelleistungsberechtigte nach dem SGB II am 31.12.",
            "ausländische Bevölkerung unter 65 Jahren am 31.12.",
            lambda t: (select(t["sgb2"], _RLB, _F), _pop_ages(t, 0, 65, _F)),
        ),
        ComparisonIndicator(
            "asylblg_je_1000",
            "Empfängerinnen und Empfänger von Asylbewerberleistungen je 1.000 Einwohner",
            "je 1.000 Einwohner (Jahresdurchschnitt)",
            "je 1.000",
            1000,
            ("22221-01-01-4", "12411-05-01-4"),
            "Empfänger/-innen von Regelleistungen nach dem AsylbLG am 31.12.",
            "durchschnittliche Bevölkerung im Jahr",
            lambda t: (select(t["asylum_benefits"]), select(t["population_average"])),
        ),
        ComparisonIndicator(
            "wanderungssaldo_ausland",
            "Wanderungssaldo der Ausländerinnen und Ausländer mit dem Ausland je 1.000 Einwohner",
            "Zuzüge aus minus Fortzüge ins Ausland je 1.000 Einwohner",
            "je 1.000",
            1000,
            ("12711-03-02-4", "12411-05-01-4"),
            "Zuzüge aus dem Ausland minus Fortzüge ins Ausland (Ausländer/-innen)",
            "durchschnittliche Bevölkerung im Jahr",
            lambda t: (_net_migration(t), select(t["population_average"])),
        ),
        ComparisonIndicator(
            "kita_auslaendische_herkunft",
            "Kinder in Kindertagesbetreuung mit mindestens einem Elternteil ausländischer Herkunft",
            "Anteil in % aller betreuten Kinder",
            "%",
            100,
            ("22543-01-02-4",),
            "betreute Kinder mit mindestens einem Elternteil ausländischer Herkunft, 01.03.",
            "betreute Kinder insgesamt (ohne Doppelzählungen), 01.03.",
            lambda t: (
                select(t["daycare"], _DAYCARE_FOREIGN),
                select(t["daycare"], "Betreute Kinder"),
            ),
        ),
    ]
}
#: The official tables the comparison needs (processed names).
TABLES = (
    "population_by_age_to_2010",
    "population_by_age",
    "population_average",
    "naturalisations",
    "migration",
    "employees_residence",
    "unemployed",
    "sgb2",
    "asylum_benefits",
    "daycare",
)


def compute(tables: dict[str, pd.DataFrame], ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The comparison series of ``ids`` (default all) from the official ``tables``.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, one row per indicator, region and year where both numerator and
        denominator exist; ``value = multiplier × numerator / denominator``.
    """
    frames = []
    for ind_id in ids or INDICATORS:
        ind = INDICATORS[ind_id]
        num, den = ind.build(tables)
        both = pd.concat({"numerator": num, "denominator": den}, axis=1).dropna()
        both = both[both["denominator"] > 0].reset_index()
        both["value"] = ind.multiplier * both["numerator"] / both["denominator"]
        both["indicator"] = ind.id
        both["region_name"] = both["region_code"].map(REGIONS)
        frames.append(both)
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    order = {c: i for i, c in enumerate(REGIONS)}
    out = out.assign(_o=out["region_code"].map(order))
    return out.sort_values(["indicator", "_o", "year"], ignore_index=True).drop(columns="_o")
