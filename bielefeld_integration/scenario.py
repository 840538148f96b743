"""Inflow scenarios: what a new arrival wave would need.

The city wants to be ready for new inflows at any time (implementation report 2016–2017,
"Perspektive"). This module turns a *scenario* — arrivals per year by channel
(``zuweisung``: assigned refugees, ``familiennachzug``: family reunification, ``eu``: EU
immigration), optionally split by nationality group, over up to five years — into the needs
that follow from it, per year and per Stadtbezirk:

* children of day-care age (under 3, 3 to school entry) and the expected day-care demand at
  the observed attendance rates of children with migration background,
* pupils by school level and, among the newcomers, those needing newcomer classes
  (Seiteneinstieg),
* integration-course entitlements, entries and courses,
* persons needing municipal accommodation and the dwellings that would house them, by
  household size,
* counselling cases.

How the model works
-------------------
1. **Arrivals.** Per channel and nationality group a number per year (or the observed arrivals
   of earlier periods, ``replay_periods``). The age/sex structure of each channel (and group)
   is taken from the arrivals of the scenario's ``reference_periods`` unless the scenario gives
   one; the arrivals are spread uniformly over the single years of age of their age group.
2. **Cohorts.** Every arrival cohort ages by one year per scenario year; ``verbleib`` is the
   share that is still in Bielefeld a year later. Stocks (children, pupils, persons in
   accommodation) are counted at the end of each scenario year and refer only to the
   newcomers of the scenario — they are *additional* needs on top of today's.
3. **Rates.** Observed ratios of the processed data (see :data:`RATE_SPECS`), pooled over the
   rate periods (sum of numerators / sum of denominators), or assumptions with a default
   value. Every rate can be overridden in the ``rates:`` section of the scenario file.
   Newcomer pupils and course entries come partly in the year after arrival
   (``*_anteil_folgejahr``); the rates are estimated with the same lag. Municipal
   accommodation is a stock: ``stock = unterbringung_quote × assigned + unterbringung_verbleib
   × stock of the year before``, both fitted to the observed stocks by least squares when at
   least two years with the stock of the year before exist.
4. **Districts.** Needs are distributed over the Stadtbezirke with the observed distribution
   of each channel's arrivals (first residence) in the reference periods, or with the
   scenario's ``district_shares``.
5. **Ranges.** ``low``/``high`` of each need come from evaluating the model with every rate
   at its lower/upper bound and with the age/sex and district structure of each single
   reference period as well as the pooled one (taking the minimum/maximum). A rate's bounds
   are the minimum/maximum of its yearly values, widened by an approximate 95 % interval of
   the pooled ratio (Poisson on the numerator), so that a rate from a single year still has a
   range. The point value always lies within the range.

Quick use::

    from bielefeld_integration import scenario
    df = scenario.run("medium")                 # estimate rates from the store, project
    scenario.needs_table(df)                    # German table for planners
    scenario.export(df, "szenario_mittel.xlsx")
    scenario.backtest()                         # how good was the model for 2015–2016?
"""

from __future__ import annotations

import functools
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from bielefeld_integration import store
from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.tables import (
    ARRIVAL_AGE_GROUPS,
    ASYLUM_COUNTRIES,
    FOREIGN_NATIONALITIES,
    NATIONALITIES,
)

#: A callable that returns one processed table of one period (like :func:`store.load`).
Loader = Callable[[str, str], pd.DataFrame]

#: Arrival channels a scenario may use.
CHANNELS: tuple[str, ...] = ("zuweisung", "familiennachzug", "eu")
CHANNEL_LABELS: dict[str, str] = {
    "zuweisung": "Zuweisung Geflüchteter",
    "familiennachzug": "Familiennachzug",
    "eu": "EU-Zuwanderung",
}
#: Longest scenario horizon in years.
MAX_HORIZON = 5
#: Tolerance for shares that must sum to 1.
SHARE_TOLERANCE = 0.001
#: Fewer arrivals than this in a channel and nationality group: use the channel's structure.
MIN_STRUCTURE_PERSONS = 50
#: The folder with the preset scenarios ``low``, ``medium``, ``high``.
PRESET_DIR = Path(__file__).resolve().parents[1] / "scenarios"
CITY = "stadt"

_EU = [n for n, g in NATIONALITIES.items() if g == "eu"]
#: Nationality groups a scenario may split arrivals by (besides single nationalities).
NATIONALITY_GROUPS: dict[str, list[str]] = {
    "alle": list(FOREIGN_NATIONALITIES),
    "eu": _EU,
    "asylherkunft": list(ASYLUM_COUNTRIES),
    "uebrige_drittstaaten": [
        n for n in FOREIGN_NATIONALITIES if n not in _EU and n not in ASYLUM_COUNTRIES
    ],
}

#: Single years of age covered by each arrival age group (65+ is kept as one bucket).
AGE_SPANS: dict[str, tuple[int, int]] = {
    "00-02": (0, 2),
    "03-05": (3, 5),
    "06-09": (6, 9),
    "10-15": (10, 15),
    "16-17": (16, 17),
    "18-24": (18, 24),
    "25-44": (25, 44),
    "45-64": (45, 64),
    "65+": (65, 65),
}
_N_AGES = 71  # 0..70: the 65+ bucket ages by at most five years
SEXES = ("m", "w")
ADULT_AGE = 18

#: Assumed household-size distribution of the households of refugees leaving municipal
#: accommodation (share of *households* with 1, 2, 3, 4, 5 and more persons). An assumption
#: after the typical composition in municipal refugee accommodation in NRW: many single
#: adults, a large group of big families. Override with ``household_sizes:`` in the scenario.
HOUSEHOLD_SIZES: dict[str, float] = {"1": 0.35, "2": 0.15, "3": 0.15, "4": 0.15, "5+": 0.20}
#: Persons per household of each size class (``5+`` counted as 6 persons).
HOUSEHOLD_PERSONS: dict[str, float] = {"1": 1, "2": 2, "3": 3, "4": 4, "5+": 6}


@dataclass(frozen=True)
class RateSpec:
    """What a named rate means.

    Attributes
    ----------
    name:
        The identifier used in scenario files (``rates:``).
    label:
        German label for tables.
    unit:
        German unit of the rate.
    definition:
        German definition: numerator / denominator or what the assumption means.
    default:
        The assumed value of a parameter that is not estimated from data, or the fallback of
        an estimated one when the data do not allow an estimate; ``None``: no fallback.
    estimated:
        Whether the rate is estimated from the processed store.
    maximum:
        Upper limit of allowed values (``None``: no limit).
    increasing:
        Whether needs grow with the rate (``False``: the low bound of the rate gives the high
        bound of the needs).
    """

    name: str
    label: str
    unit: str
    definition: str
    default: float | None = None
    estimated: bool = False
    maximum: float | None = None
    increasing: bool = True


_LAG_NOTE = (
    "; die Bezugszugänge sind zu (1 − f) die des Jahres und zu f die des Vorjahres "
    "(f = {f}; fehlt das Vorjahr, zählt das Jahr selbst dafür)"
)

RATE_SPECS: dict[str, RateSpec] = {
    s.name: s
    for s in [
        RateSpec(
            "kita_quote_u3",
            "Betreuungsquote unter 3 Jahren (Kinder mit Migrationshintergrund)",
            "Anteil",
            "Kinder unter 3 mit Migrationshintergrund in Kindertagesbetreuung (KJH, 01.03.) je "
            "Kind von 0 bis 2 Jahren mit Migrationshintergrund (Melderegister, 31.12. des "
            "Vorjahres; fehlt es, 31.12. desselben Jahres)",
            estimated=True,
            maximum=1.0,
        ),
        RateSpec(
            "kita_quote_3_6",
            "Betreuungsquote 3 Jahre bis Schuleintritt (Kinder mit Migrationshintergrund)",
            "Anteil",
            "Kinder von 3 bis unter 6 mit Migrationshintergrund in Kindertagesbetreuung (KJH, "
            "01.03.) je Kind von 3 bis 5 Jahren mit Migrationshintergrund (Melderegister, 31.12. "
            "des Vorjahres; fehlt es, 31.12. desselben Jahres)",
            estimated=True,
            maximum=1.0,
        ),
        RateSpec(
            "seiteneinstieg_primar",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) je Zugang 6–9 Jahre",
            "je Person",
            "neu zugewanderte Schülerinnen und Schüler der Primarstufe (KI-Schulberatung, "
            "Kalenderjahr) je Neuzugang von 6 bis 9 Jahren"
            + _LAG_NOTE.format(f="seiteneinstieg_anteil_folgejahr"),
            estimated=True,
        ),
        RateSpec(
            "seiteneinstieg_sek1",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) je Zugang 10–15 Jahre",
            "je Person",
            "neu zugewanderte Schülerinnen und Schüler der Sekundarstufe I je Neuzugang von 10 "
            "bis 15 Jahren" + _LAG_NOTE.format(f="seiteneinstieg_anteil_folgejahr"),
            estimated=True,
        ),
        RateSpec(
            "seiteneinstieg_sek2",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) je Zugang 16–17 Jahre",
            "je Person",
            "neu zugewanderte Schülerinnen und Schüler der Sekundarstufe II / Berufskollegs je "
            "Neuzugang von 16 und 17 Jahren (kann über 1 liegen, wenn auch ältere "
            "Neuzugewanderte ein Berufskolleg besuchen)"
            + _LAG_NOTE.format(f="seiteneinstieg_anteil_folgejahr"),
            estimated=True,
        ),
        RateSpec(
            "kurs_teilnahme",
            "Eintritte in Integrationskurse je berechtigter erwachsener Person",
            "je Person",
            "Kurseintritte (BAMF, Kalenderjahr) je berechtigtem erwachsenem Neuzugang "
            "(Zuweisung und Familiennachzug ab 18 Jahren + Anteil kurs_anteil_eu der "
            "EU-Zugänge ab 18)" + _LAG_NOTE.format(f="kurs_anteil_folgejahr"),
            estimated=True,
        ),
        RateSpec(
            "unterbringung_quote",
            "Anteil der Zugewiesenen, die städtisch untergebracht werden",
            "Anteil",
            "Zugang in städtische Unterbringung je zugewiesener Person, aus dem Bestand "
            "(Sozialamt, 31.12.): Bestand = Quote × Zuweisungen des Jahres + Verbleib × "
            "Vorjahresbestand (Kleinste-Quadrate-Schätzung über die Jahre; ohne Vorjahresbestand: "
            "Bestand je mit dem Verbleib gewichteter Zuweisung der verfügbaren Jahre – überschätzt "
            "die Quote, wenn ältere Zuweisungen fehlen)",
            estimated=True,
        ),
        RateSpec(
            "unterbringung_verbleib",
            "Verbleib in städtischer Unterbringung je Jahr",
            "Anteil",
            "Anteil der städtisch Untergebrachten, der ein Jahr später noch dort wohnt (geschätzt "
            "mit unterbringung_quote, wenn mindestens zwei Jahre mit Vorjahresbestand vorliegen; "
            "sonst Annahme 0,85, d. h. im Mittel gut sechs Jahre bis zur eigenen Wohnung)",
            default=0.85,
            estimated=True,
            maximum=1.0,
        ),
        RateSpec(
            "kurs_anteil_eu",
            "Anteil der erwachsenen EU-Zugänge mit Integrationskurs",
            "Anteil",
            "Annahme: Anteil der erwachsenen EU-Bürgerinnen und -Bürger, die auf Antrag zu einem "
            "Integrationskurs zugelassen werden und ihn nutzen wollen",
            default=0.2,
            maximum=1.0,
        ),
        RateSpec(
            "kurs_anteil_folgejahr",
            "Anteil der Kurseintritte erst im Folgejahr nach Zuzug",
            "Anteil",
            "Annahme: Anteil der Kurseintritte, die wegen Wartezeiten und Verfahren erst im Jahr "
            "nach dem Zuzug stattfinden",
            default=0.5,
            maximum=1.0,
        ),
        RateSpec(
            "seiteneinstieg_anteil_folgejahr",
            "Anteil der Seiteneinsteiger/innen erst im Folgejahr nach Zuzug",
            "Anteil",
            "Annahme: Anteil der neu zugewanderten Schülerinnen und Schüler, die erst im "
            "Kalenderjahr nach dem Zuzug in der Schulberatung gezählt werden (Zuzug im zweiten "
            "Halbjahr, Schuljahresbeginn)",
            default=0.5,
            maximum=1.0,
        ),
        RateSpec(
            "teilnehmende_je_kurs",
            "Teilnehmende je Integrationskurs",
            "Personen",
            "Annahme: durchschnittliche Teilnehmendenzahl eines Integrationskurses (höchstens 25 "
            "nach Integrationskursverordnung)",
            default=20.0,
            increasing=False,
        ),
        RateSpec(
            "beratung_je_erwachsenem",
            "Beratungsfälle je erwachsenem Neuzugang",
            "Fälle je Person",
            "Annahme: Fälle der Migrationsberatung (MBE, Sozialdienste, KI) je erwachsener "
            "Person, die im Jahr neu zuzieht; mit den Beratungsstellen abzustimmen",
            default=0.5,
        ),
        RateSpec(
            "verbleib",
            "Verbleib in Bielefeld je Jahr",
            "Anteil",
            "Annahme: Anteil der Neuzugewanderten, der ein Jahr später noch in Bielefeld lebt "
            "(1 = keine Fortzüge; vorsichtige Planung)",
            default=1.0,
            maximum=1.0,
        ),
    ]
}
ESTIMATED_RATES = [n for n, s in RATE_SPECS.items() if s.estimated]
ASSUMED_RATES = [n for n, s in RATE_SPECS.items() if not s.estimated]


@dataclass(frozen=True)
class NeedSpec:
    """A need the projection reports: German label, unit and whether it is a stock."""

    name: str
    label: str
    unit: str
    stock: bool


NEEDS: dict[str, NeedSpec] = {
    n.name: n
    for n in [
        NeedSpec("zugaenge", "Neuzugänge insgesamt", "Personen", False),
        NeedSpec("zugaenge_minderjaehrige", "Neuzugänge unter 18 Jahren", "Personen", False),
        NeedSpec("zugaenge_frauen", "Neuzugänge: Frauen ab 18 Jahren", "Personen", False),
        NeedSpec("zugaenge_maenner", "Neuzugänge: Männer ab 18 Jahren", "Personen", False),
        NeedSpec("kinder_u3", "Kinder unter 3 Jahren", "Kinder", True),
        NeedSpec("kinder_3_6", "Kinder von 3 Jahren bis zum Schuleintritt", "Kinder", True),
        NeedSpec("kita_u3", "Bedarf Kindertagesbetreuung unter 3 Jahren", "Plätze", True),
        NeedSpec(
            "kita_3_6", "Bedarf Kindertagesbetreuung 3 Jahre bis Schuleintritt", "Plätze", True
        ),
        NeedSpec("kita", "Bedarf Kindertagesbetreuung insgesamt", "Plätze", True),
        NeedSpec("schueler_primar", "Schülerinnen und Schüler Primarstufe", "Schüler/innen", True),
        NeedSpec(
            "schueler_sek1", "Schülerinnen und Schüler Sekundarstufe I", "Schüler/innen", True
        ),
        NeedSpec(
            "schueler_sek2",
            "Schülerinnen und Schüler Sekundarstufe II / Berufskolleg",
            "Schüler/innen",
            True,
        ),
        NeedSpec(
            "seiteneinstieg_primar",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) Primarstufe",
            "Schüler/innen",
            False,
        ),
        NeedSpec(
            "seiteneinstieg_sek1",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) Sekundarstufe I",
            "Schüler/innen",
            False,
        ),
        NeedSpec(
            "seiteneinstieg_sek2",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) Sekundarstufe II / Berufskolleg",
            "Schüler/innen",
            False,
        ),
        NeedSpec(
            "seiteneinstieg",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) insgesamt",
            "Schüler/innen",
            False,
        ),
        NeedSpec("kurs_berechtigte", "Integrationskurs: berechtigte Erwachsene", "Personen", False),
        NeedSpec("kurs_eintritte", "Integrationskurs: Kursplätze (Eintritte)", "Plätze", False),
        NeedSpec("kurse", "Integrationskurse", "Kurse", False),
        NeedSpec("unterbringung", "Personen in städtischer Unterbringung", "Personen", True),
        NeedSpec("wohnungen", "Wohnungen für die Untergebrachten insgesamt", "Wohnungen", True),
        *[
            NeedSpec(
                f"wohnungen_{k.replace('+', 'plus')}",
                f"Wohnungen für Haushalte mit {k.replace('+', ' und mehr')} "
                f"{'Person' if k == '1' else 'Personen'}",
                "Wohnungen",
                True,
            )
            for k in HOUSEHOLD_SIZES
        ],
        NeedSpec("beratung", "Beratungsfälle Migrationsberatung", "Fälle", False),
    ]
}
OUTPUT_COLUMNS = ["year", "stadtbezirk", "need", "value", "low", "high", "unit"]


# --- scenario -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """An inflow scenario.

    Attributes
    ----------
    name:
        Short name (the preset name or the file stem).
    title:
        German title shown in tables and reports.
    horizon:
        Number of scenario years (1 to :data:`MAX_HORIZON`).
    arrivals:
        ``{channel: {nationality group: (arrivals year 1, year 2, ...)}}``; channels from
        :data:`CHANNELS`, groups from :data:`NATIONALITY_GROUPS` or single nationalities of
        :data:`bielefeld_integration.tables.FOREIGN_NATIONALITIES`. Empty when
        ``replay_periods`` is given.
    description:
        German explanation of the assumptions.
    start_year:
        Calendar year of scenario year 1; ``None``: the year after the last rate period.
    reference_periods:
        Periods whose arrivals give the age/sex structure of each channel and the distribution
        over the Stadtbezirke; empty: the rate periods.
    rate_periods:
        Periods the rates are estimated from; empty: every period in the store.
    replay_periods:
        Replay the observed arrivals (per channel) of these periods as scenario years 1, 2, ...
        (later years of the horizon get no arrivals).
    replay_factor:
        Factor applied to replayed arrivals.
    age_structure:
        ``{channel: {age group: share}}`` replacing the observed age structure of a channel.
    district_shares:
        ``{channel: {Stadtbezirk code: share}}`` replacing the observed distribution.
    household_sizes:
        Share of households by size class (``"1"`` … ``"5+"``).
    rates:
        Rate overrides ``{name: (value, low, high)}``.
    source:
        The file the scenario was read from (for messages).
    """

    name: str
    title: str
    horizon: int
    arrivals: Mapping[str, Mapping[str, tuple[float, ...]]] = field(default_factory=dict)
    description: str = ""
    start_year: int | None = None
    reference_periods: tuple[str, ...] = ()
    rate_periods: tuple[str, ...] = ()
    replay_periods: tuple[str, ...] = ()
    replay_factor: float = 1.0
    age_structure: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    district_shares: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    household_sizes: Mapping[str, float] = field(default_factory=lambda: dict(HOUSEHOLD_SIZES))
    rates: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        errors = _check_scenario(self)
        if errors:
            raise _collect(errors, self.source)

    def total_arrivals(self) -> dict[str, tuple[float, ...]]:
        """Arrivals per channel and year, summed over nationality groups (not for replays)."""
        out: dict[str, tuple[float, ...]] = {}
        for channel, groups in self.arrivals.items():
            out[channel] = tuple(
                float(sum(series[i] for series in groups.values())) for i in range(self.horizon)
            )
        return out


def _collect(errors: list[str], source: str) -> DataError:
    file = source or None
    if len(errors) == 1:
        return DataError(errors[0], file=file)
    where = f"{source}: " if source else ""
    return DataErrors(
        [DataError(e, file=file) for e in errors],
        header=f"{where}{len(errors)} Probleme in der Szenario-Datei:",
    )


def _check_shares(shares: Mapping[str, float], fld: str, allowed: Iterable[str]) -> list[str]:
    errors = []
    allowed = list(allowed)
    unknown = [k for k in shares if k not in allowed]
    if unknown:
        errors.append(
            f"Feld »{fld}«: unbekannte Schlüssel {', '.join(map(str, unknown))}; erlaubt: "
            f"{', '.join(allowed)}"
        )
    bad = [k for k, v in shares.items() if not _is_number(v) or v < 0]
    if bad:
        errors.append(f"Feld »{fld}«: Anteile müssen Zahlen ≥ 0 sein ({', '.join(bad)})")
    elif shares and abs(sum(shares.values()) - 1.0) > SHARE_TOLERANCE:
        errors.append(
            f"Feld »{fld}«: die Anteile ergeben zusammen {sum(shares.values()):.4f} statt 1 "
            f"(Toleranz ± {SHARE_TOLERANCE})"
        )
    return errors


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_scenario(s: Scenario) -> list[str]:
    """Semantic checks of a scenario; German messages naming the field."""
    errors: list[str] = []
    if not isinstance(s.horizon, int) or isinstance(s.horizon, bool) or s.horizon < 1:
        errors.append(f"Feld »horizon«: erwartet eine ganze Zahl ab 1, gefunden {s.horizon!r}")
        return errors
    if s.horizon > MAX_HORIZON:
        errors.append(
            f"Feld »horizon«: Szenarien reichen höchstens {MAX_HORIZON} Jahre, gefunden {s.horizon}"
        )
    if s.replay_periods and s.arrivals:
        errors.append("Felder »arrivals« und »replay_periods« schließen sich aus")
    if not s.replay_periods and not s.arrivals:
        errors.append("Feld »arrivals« fehlt (oder »replay_periods« angeben)")
    if len(s.replay_periods) > s.horizon:
        errors.append(
            f"Feld »replay_periods«: {len(s.replay_periods)} Jahre passen nicht in den "
            f"Horizont von {s.horizon} Jahren"
        )
    if not _is_number(s.replay_factor) or s.replay_factor < 0:
        errors.append(f"Feld »replay_factor«: erwartet eine Zahl ≥ 0, gefunden {s.replay_factor!r}")
    groups_allowed = [*NATIONALITY_GROUPS, *FOREIGN_NATIONALITIES]
    for channel, groups in s.arrivals.items():
        if channel not in CHANNELS:
            errors.append(
                f"Feld »arrivals«: unbekannter Zugangsweg {channel!r}; erlaubt: "
                f"{', '.join(CHANNELS)}"
            )
            continue
        for group, series in groups.items():
            fld = f"arrivals.{channel}" + (f".{group}" if group != "alle" else "")
            if group not in groups_allowed:
                errors.append(
                    f"Feld »{fld}«: unbekannte Staatsangehörigkeitsgruppe {group!r}; erlaubt: "
                    f"{', '.join(NATIONALITY_GROUPS)} oder eine Staatsangehörigkeit"
                )
            if len(series) != s.horizon:
                errors.append(
                    f"Feld »{fld}«: {len(series)} Jahreswerte für einen Horizont von "
                    f"{s.horizon} Jahren"
                )
            for i, v in enumerate(series, start=1):
                if not _is_number(v):
                    errors.append(f"Feld »{fld}«, Jahr {i}: keine Zahl ({v!r})")
                elif v < 0:
                    errors.append(f"Feld »{fld}«, Jahr {i}: negative Zugänge ({v:g})")
    for channel, shares in s.age_structure.items():
        if channel not in CHANNELS:
            errors.append(f"Feld »age_structure«: unbekannter Zugangsweg {channel!r}")
            continue
        errors += _check_shares(shares, f"age_structure.{channel}", ARRIVAL_AGE_GROUPS)
    for channel, shares in s.district_shares.items():
        if channel not in CHANNELS:
            errors.append(f"Feld »district_shares«: unbekannter Zugangsweg {channel!r}")
            continue
        errors += _check_shares(shares, f"district_shares.{channel}", STADTBEZIRKE)
    errors += _check_shares(s.household_sizes, "household_sizes", HOUSEHOLD_SIZES)
    if not s.household_sizes:
        errors.append("Feld »household_sizes«: keine Anteile angegeben")
    for name, triple in s.rates.items():
        errors += _check_rate(name, triple)
    for fld in ("reference_periods", "rate_periods", "replay_periods"):
        for p in getattr(s, fld):
            try:
                Period.parse(p)
            except DataError as exc:
                errors.append(f"Feld »{fld}«: {exc}")
    return errors


def _check_rate(name: str, triple: tuple[float, float, float]) -> list[str]:
    spec = RATE_SPECS.get(name)
    if spec is None:
        return [f"Feld »rates.{name}«: unbekannte Kennzahl; bekannt sind {', '.join(RATE_SPECS)}"]
    value, low, high = triple
    fld = f"rates.{name}"
    if not all(_is_number(x) for x in triple):
        return [f"Feld »{fld}«: erwartet Zahlen, gefunden {triple!r}"]
    errors = []
    if low < 0:
        errors.append(f"Feld »{fld}«: negative Werte sind nicht erlaubt ({low:g})")
    if not low <= value <= high:
        errors.append(
            f"Feld »{fld}«: es muss low ≤ value ≤ high gelten ({low:g}, {value:g}, {high:g})"
        )
    if spec.maximum is not None and high > spec.maximum:
        errors.append(f"Feld »{fld}«: höchstens {spec.maximum:g} erlaubt, gefunden {high:g}")
    if name == "teilnehmende_je_kurs" and low <= 0:
        errors.append(f"Feld »{fld}«: muss größer als 0 sein")
    return errors


_KNOWN_FIELDS = {
    "name", "title", "description", "horizon", "start_year", "reference_periods",
    "rate_periods", "replay_periods", "replay_factor", "arrivals", "nationality_shares",
    "age_structure", "district_shares", "household_sizes", "rates",
}  # fmt: skip


def scenario_from_dict(doc: Mapping, *, source: str = "", name: str = "") -> Scenario:
    """Build and validate a :class:`Scenario` from the parsed YAML document.

    Parameters
    ----------
    doc:
        The mapping read from a scenario file (see ``scenarios/medium.yaml``).
    source:
        The file name, used in error messages.
    name:
        Fallback name (the file stem) if the document has no ``name``.

    Raises
    ------
    DataError
        Naming the file and the field for every problem found (several at once as
        :class:`~bielefeld_integration.errors.DataErrors`).
    """
    if not isinstance(doc, Mapping):
        raise DataError(
            "die Szenario-Datei muss eine Zuordnung (Schlüssel: Wert) sein", file=source or None
        )
    errors: list[str] = []
    unknown = sorted(str(k) for k in doc if k not in _KNOWN_FIELDS)
    if unknown:
        errors.append(
            f"unbekannte Felder {', '.join(unknown)}; erlaubt: {', '.join(sorted(_KNOWN_FIELDS))}"
        )
    for required in ("title", "horizon"):
        if doc.get(required) in (None, ""):
            errors.append(f"Feld »{required}« fehlt")
    if "arrivals" not in doc and "replay_periods" not in doc:
        errors.append("Feld »arrivals« fehlt (oder »replay_periods« angeben)")
    horizon = doc.get("horizon")
    if horizon is not None and (not isinstance(horizon, int) or isinstance(horizon, bool)):
        errors.append(f"Feld »horizon«: erwartet eine ganze Zahl, gefunden {horizon!r}")
        horizon = None
    start_year = doc.get("start_year")
    if start_year is not None and (not isinstance(start_year, int) or not 1900 < start_year < 2200):
        errors.append(f"Feld »start_year«: erwartet ein Jahr wie 2027, gefunden {start_year!r}")
        start_year = None

    arrivals: dict[str, dict[str, tuple[float, ...]]] = {}
    raw_arrivals = doc.get("arrivals") or {}
    shares_doc = doc.get("nationality_shares") or {}
    if not isinstance(raw_arrivals, Mapping):
        errors.append("Feld »arrivals«: erwartet je Zugangsweg eine Zahl oder eine Liste")
        raw_arrivals = {}
    if not isinstance(shares_doc, Mapping):
        errors.append("Feld »nationality_shares«: erwartet je Zugangsweg eine Zuordnung")
        shares_doc = {}
    for channel, value in raw_arrivals.items():
        channel = str(channel)
        if isinstance(value, Mapping):
            groups = {str(g): _series(v, horizon) for g, v in value.items()}
            if channel in shares_doc:
                errors.append(
                    f"Feld »nationality_shares.{channel}«: Zugänge sind schon nach Gruppen "
                    "angegeben"
                )
        else:
            series = _series(value, horizon)
            shares = shares_doc.get(channel)
            if shares is None:
                groups = {"alle": series}
            elif not isinstance(shares, Mapping):
                errors.append(f"Feld »nationality_shares.{channel}«: erwartet Gruppe: Anteil")
                groups = {"alle": series}
            else:
                shares = {str(k): v for k, v in shares.items()}
                errors += _check_shares(
                    shares,
                    f"nationality_shares.{channel}",
                    [*NATIONALITY_GROUPS, *FOREIGN_NATIONALITIES],
                )
                ok = all(_is_number(v) for v in shares.values()) and all(
                    _is_number(v) for v in series
                )
                groups = (
                    {g: tuple(v * sh for v in series) for g, sh in shares.items()}
                    if ok
                    else {"alle": series}
                )
        arrivals[channel] = groups
    for channel in shares_doc:
        if str(channel) not in {str(c) for c in raw_arrivals}:
            errors.append(
                f"Feld »nationality_shares.{channel}«: keine Zugänge für diesen Zugangsweg"
            )

    def mapping(fld: str) -> dict:
        value = doc.get(fld) or {}
        if not isinstance(value, Mapping):
            errors.append(f"Feld »{fld}«: erwartet eine Zuordnung")
            return {}
        return value

    age_structure = {
        str(c): {str(k): v for k, v in m.items()} if isinstance(m, Mapping) else {}
        for c, m in mapping("age_structure").items()
    }
    district_shares = {
        str(c): {_district_key(k): v for k, v in m.items()} if isinstance(m, Mapping) else {}
        for c, m in mapping("district_shares").items()
    }
    household = mapping("household_sizes")
    household_sizes = (
        {str(k): v for k, v in household.items()} if household else dict(HOUSEHOLD_SIZES)
    )
    rates: dict[str, tuple[float, float, float]] = {}
    for rname, rv in mapping("rates").items():
        if isinstance(rv, Mapping):
            extra = set(rv) - {"value", "low", "high"}
            if "value" not in rv or extra:
                errors.append(f"Feld »rates.{rname}«: erwartet eine Zahl oder value/low/high")
                continue
            v = rv["value"]
            rates[str(rname)] = (v, rv.get("low", v), rv.get("high", v))
        else:
            rates[str(rname)] = (rv, rv, rv)

    periods = {}
    for fld in ("reference_periods", "rate_periods", "replay_periods"):
        value = doc.get(fld) or []
        if isinstance(value, (str, int)):
            value = [value]
        if not isinstance(value, list):
            errors.append(f"Feld »{fld}«: erwartet eine Liste von Jahren")
            value = []
        periods[fld] = tuple(str(p) for p in value)
    replay_factor = doc.get("replay_factor", 1.0)
    if errors:
        raise _collect(errors, source)
    return Scenario(
        name=str(doc.get("name") or name or "szenario"),
        title=str(doc["title"]),
        description=str(doc.get("description") or "").strip(),
        horizon=horizon,
        start_year=start_year,
        arrivals=arrivals,
        reference_periods=periods["reference_periods"],
        rate_periods=periods["rate_periods"],
        replay_periods=periods["replay_periods"],
        replay_factor=replay_factor,
        age_structure=age_structure,
        district_shares=district_shares,
        household_sizes=household_sizes,
        rates=rates,
        source=source,
    )


def _district_key(k: object) -> str:
    # YAML reads an unquoted 01 as the integer 1
    return f"{k:02d}" if isinstance(k, int) and not isinstance(k, bool) else str(k)


def _series(value: object, horizon: int | None) -> tuple:
    """A number (the same every year) or a list (one value per year)."""
    if isinstance(value, list):
        return tuple(value)
    return tuple([value] * (horizon or 1))


def presets() -> list[str]:
    """Names of the preset scenarios in ``scenarios/`` (``high``, ``low``, ``medium``)."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def load_scenario(path_or_preset: str | Path) -> Scenario:
    """Read and validate a scenario file or a preset.

    Parameters
    ----------
    path_or_preset:
        A preset name (``"low"``, ``"medium"``, ``"high"``, found in the repository's
        ``scenarios/`` folder) or the path of a YAML file.

    Returns
    -------
    Scenario

    Raises
    ------
    DataError
        If the file does not exist, is not valid YAML, or a field is missing or wrong
        (negative arrivals, unknown channel, horizon over five years, shares not summing
        to 1, unknown rate name, ...). The message names the file and the field.

    Examples
    --------
    >>> load_scenario("medium").horizon  # doctest: +SKIP
    5
    """
    text = str(path_or_preset)
    path = Path(text)
    if path.suffix.lower() not in (".yaml", ".yml") and not path.exists():
        candidate = PRESET_DIR / f"{text}.yaml"
        if not candidate.is_file():
            raise DataError(
                f"unbekanntes Szenario {text!r}: weder eine Datei noch eine Vorgabe "
                f"({', '.join(presets()) or 'keine'})"
            )
        path = candidate
    if not path.is_file():
        raise DataError("Szenario-Datei nicht gefunden", file=path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"kein gültiges YAML: {exc}", file=path) from None
    return scenario_from_dict(doc or {}, source=str(path), name=path.stem)


# --- rates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A named rate with its range and source.

    Attributes
    ----------
    name:
        Identifier (a key of :data:`RATE_SPECS`).
    value:
        Point value (pooled over the periods for estimated rates).
    low, high:
        Range used for the low/high variants of the needs.
    source:
        German text: data sources and periods, or that it is an assumption.
    per_period:
        The yearly values behind an estimated rate.
    """

    name: str
    value: float
    low: float
    high: float
    source: str
    per_period: Mapping[str, float] = field(default_factory=dict)

    @property
    def spec(self) -> RateSpec:
        """The :class:`RateSpec` of this rate."""
        return RATE_SPECS[self.name]


@dataclass(frozen=True)
class Rates:
    """All rates of the model, plus the assumed household-size distribution.

    Index it by name: ``rates["kita_quote_u3"].value``.
    """

    rates: Mapping[str, Rate]
    household_sizes: Mapping[str, float] = field(default_factory=lambda: dict(HOUSEHOLD_SIZES))
    periods: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Rate:
        return self.rates[name]

    def __iter__(self):
        return iter(self.rates.values())

    def level(self, which: str) -> dict[str, float]:
        """Rate values for ``which`` = ``"value"``, ``"low"`` or ``"high"`` *of the needs*.

        For rates that lower the needs when they grow (``increasing=False``) the opposite
        bound is used, so that ``level("low")`` gives the lowest needs.
        """
        out = {}
        for name, r in self.rates.items():
            if which == "value":
                out[name] = r.value
            elif (which == "low") == r.spec.increasing:
                out[name] = r.low
            else:
                out[name] = r.high
        return out

    def with_overrides(
        self, overrides: Mapping[str, tuple[float, float, float]], source: str = "Szenario-Datei"
    ) -> Rates:
        """A copy with some rates replaced by ``{name: (value, low, high)}``."""
        new = dict(self.rates)
        for name, (v, lo, hi) in overrides.items():
            errors = _check_rate(name, (v, lo, hi))
            if errors:
                raise DataError("; ".join(errors))
            new[name] = Rate(name, float(v), float(lo), float(hi), f"vorgegeben ({source})")
        return replace(self, rates=new)

    def to_frame(self) -> pd.DataFrame:
        """The rates as a table: name, German label, value, low, high, unit, source."""
        rows = [
            {
                "name": r.name,
                "label": r.spec.label,
                "value": r.value,
                "low": r.low,
                "high": r.high,
                "unit": r.spec.unit,
                "source": r.source,
                "definition": r.spec.definition,
            }
            for r in self.rates.values()
        ]
        hh = self.household_sizes
        rows += [
            {
                "name": f"haushalte_{k.replace('+', 'plus')}",
                "label": f"Anteil der Haushalte mit {k.replace('+', ' und mehr')} Person(en)",
                "value": float(v),
                "low": float(v),
                "high": float(v),
                "unit": "Anteil",
                "source": "Annahme (household_sizes)",
                "definition": "angenommene Verteilung der Haushaltsgrößen der Untergebrachten; "
                "5 und mehr zählt als 6 Personen",
            }
            for k, v in hh.items()
        ]
        return pd.DataFrame(rows)


def _default_load(data: str | Path | None) -> Loader:
    return functools.partial(store.load, data=data)


def _try_load(load: Loader, table: str, period: str) -> pd.DataFrame | None:
    try:
        return load(table, period)
    except DataError:
        return None


def _prev(period: str) -> str:
    return str(int(period) - 1)


def _age_sum(arr: pd.DataFrame, groups: Iterable[str], channels: Iterable[str] | None = None):
    sel = arr["age_group"].isin(list(groups))
    if channels is not None:
        sel &= arr["channel"].isin(list(channels))
    return float(arr.loc[sel, "count"].sum())


def _adults(arr: pd.DataFrame, channel: str) -> float:
    adult_groups = [g for g, (lo, _hi) in AGE_SPANS.items() if lo >= ADULT_AGE]
    return _age_sum(arr, adult_groups, [channel])


def _period_text(periods: Sequence[str]) -> str:
    ps = sorted(periods)
    if not ps:
        return "–"
    ints = [int(p) for p in ps]
    if len(ps) > 2 and ints == list(range(ints[0], ints[-1] + 1)):
        return f"{ps[0]}–{ps[-1]}"
    return ", ".join(ps)


class _Ratio:
    """Numerators and denominators of one rate per period."""

    def __init__(self) -> None:
        self.num: dict[str, float] = {}
        self.den: dict[str, float] = {}
        self.notes: list[str] = []

    def add(self, period: str, num: float, den: float) -> None:
        if den > 0:
            self.num[period] = num
            self.den[period] = den

    def rate(self, name: str, source: str) -> Rate | None:
        if not self.den:
            return None
        n, d = sum(self.num.values()), sum(self.den.values())
        value = n / d
        per = {p: self.num[p] / self.den[p] for p in sorted(self.den)}
        half = 1.96 * math.sqrt(max(n, 1.0)) / d  # approx. 95 % interval, Poisson numerator
        low = max(0.0, min(value - half, *per.values()))
        high = max(value + half, *per.values())
        cap = RATE_SPECS[name].maximum
        if cap is not None:
            high = min(high, cap)
            value = min(value, cap)
            low = min(low, value)
        text = (
            f"{source}, {_period_text(list(per))} (gepoolt; Spanne: Jahreswerte und 95-%-Intervall)"
        )
        if self.notes:
            text += "; " + "; ".join(sorted(set(self.notes)))
        return Rate(name, value, low, high, text, per)


def estimate_rates(
    reference_periods: Sequence[str | int],
    load: Loader | None = None,
    *,
    data: str | Path | None = None,
    fixed: Mapping[str, tuple[float, float, float]] | None = None,
    household_sizes: Mapping[str, float] | None = None,
) -> Rates:
    """Estimate the model's rates from the processed data of some periods.

    Parameters
    ----------
    reference_periods:
        The periods to pool (e.g. ``["2017", "2018", "2019"]``). Day-care rates also read
        the population of the year before each period where it exists.
    load:
        ``load(table, period) -> DataFrame``; default :func:`bielefeld_integration.store.load`
        on ``data``.
    data:
        The processed store, if ``load`` is not given.
    fixed:
        Rates given by the scenario ``{name: (value, low, high)}``; they are not estimated and
        are used when estimating others (e.g. ``kurs_anteil_eu`` for ``kurs_teilnahme``).
    household_sizes:
        Assumed household-size distribution; default :data:`HOUSEHOLD_SIZES`.

    Returns
    -------
    Rates
        Each rate with value, low, high and a German source text; see :data:`RATE_SPECS`.

    Raises
    ------
    DataError
        If a rate cannot be estimated from any of the periods (tables missing or empty
        denominators) and is not given in ``fixed``.
    """
    load = load or _default_load(data)
    periods = [str(Period.parse(p)) for p in reference_periods]
    if not periods:
        raise DataError("keine Berichtsjahre für die Schätzung der Kennzahlen angegeben")
    fixed = dict(fixed or {})
    for name, triple in fixed.items():
        errors = _check_rate(name, triple)
        if errors:
            raise DataError("; ".join(errors))

    rates: dict[str, Rate] = {}
    for name in ASSUMED_RATES:
        d = float(RATE_SPECS[name].default)  # type: ignore[arg-type]
        rates[name] = Rate(name, d, d, d, "Annahme (Voreinstellung, in »rates:« anpassbar)")
    for name, (v, lo, hi) in fixed.items():
        rates[name] = Rate(name, float(v), float(lo), float(hi), "vorgegeben (Szenario-Datei)")
    eu_share = rates["kurs_anteil_eu"].value
    f_course = rates["kurs_anteil_folgejahr"].value
    f_school = rates["seiteneinstieg_anteil_folgejahr"].value

    ratios = {name: _Ratio() for name in ESTIMATED_RATES}
    arrivals_cache: dict[str, pd.DataFrame | None] = {}

    def arrivals(p: str) -> pd.DataFrame | None:
        if p not in arrivals_cache:
            arrivals_cache[p] = _try_load(load, "arrivals", p)
        return arrivals_cache[p]

    def lagged(p: str, f: float, measure: Callable[[pd.DataFrame], float], names) -> float:
        """(1 - f) * measure(arrivals of p) + f * measure(arrivals of the year before)."""
        now = measure(arrivals(p))  # type: ignore[arg-type]
        prev = arrivals(_prev(p))
        if prev is None:
            if f > 0:
                for name in names:
                    ratios[name].notes.append(f"{p}: Zugänge des Vorjahres fehlen")
            return now
        return (1 - f) * now + f * measure(prev)

    def eligible(arr: pd.DataFrame) -> float:
        return (
            _adults(arr, "zuweisung")
            + _adults(arr, "familiennachzug")
            + eu_share * _adults(arr, "eu")
        )

    stocks: dict[str, float] = {}
    for p in periods:
        arr = arrivals(p)
        # day care: children with MH in day care (01.03.) / children with MH (31.12. before)
        daycare = _try_load(load, "daycare", p)
        pop = _try_load(load, "population", _prev(p))
        if pop is None:
            pop = _try_load(load, "population", p)
            if pop is not None:
                ratios["kita_quote_u3"].notes.append(f"{p}: Bevölkerung vom 31.12.{p}")
                ratios["kita_quote_3_6"].notes.append(f"{p}: Bevölkerung vom 31.12.{p}")
        if daycare is not None and pop is not None:
            mh = pop[pop["migration_background"] != "ohne"]
            mit = daycare[daycare["migration_background"] == "mit"]
            for name, dc_age, pop_age in (
                ("kita_quote_u3", "unter 3", "00-02"),
                ("kita_quote_3_6", "3 bis unter 6", "03-05"),
            ):
                ratios[name].add(
                    p,
                    float(mit.loc[mit["age_group"] == dc_age, "count"].sum()),
                    float(mh.loc[mh["age_group"] == pop_age, "count"].sum()),
                )
        if arr is None:
            continue
        # newcomer pupils per arrival of school age (this and last year)
        newcomers = _try_load(load, "newcomer_pupils", p)
        if newcomers is not None:
            for level, groups in (("primar", ["06-09"]), ("sek1", ["10-15"]), ("sek2", ["16-17"])):
                name = f"seiteneinstieg_{level}"
                ratios[name].add(
                    p,
                    float(newcomers.loc[newcomers["school_level"] == level, "count"].sum()),
                    lagged(p, f_school, lambda a, g=groups: _age_sum(a, g), [name]),
                )
        # integration course entries per eligible adult arrival (this and last year)
        courses = _try_load(load, "integration_courses", p)
        if courses is not None:
            entries = float(courses.loc[courses["measure"] == "eintritte", "count"].sum())
            den = lagged(p, f_course, eligible, ["kurs_teilnahme"])
            ratios["kurs_teilnahme"].add(p, entries, den)
        acc = _try_load(load, "accommodation", p)
        if acc is not None:
            stocks[p] = float(acc["count"].sum())

    sources = {
        "kita_quote_u3": "KJH-Statistik (daycare) / Melderegister (population)",
        "kita_quote_3_6": "KJH-Statistik (daycare) / Melderegister (population)",
        "seiteneinstieg_primar": "KI-Schulberatung (newcomer_pupils) / Neuzugänge (arrivals)",
        "seiteneinstieg_sek1": "KI-Schulberatung (newcomer_pupils) / Neuzugänge (arrivals)",
        "seiteneinstieg_sek2": "KI-Schulberatung (newcomer_pupils) / Neuzugänge (arrivals)",
        "kurs_teilnahme": "BAMF-Kursstatistik (integration_courses) / Neuzugänge (arrivals)",
    }
    missing = []
    for name in sources:
        if name in fixed:
            continue
        rate = ratios[name].rate(name, sources[name])
        if rate is None:
            missing.append(name)
        else:
            rates[name] = rate
    missing += _accommodation_rates(stocks, arrivals, load, rates, fixed)
    if missing:
        raise DataError(
            f"Kennzahlen {', '.join(missing)} lassen sich aus den Berichtsjahren "
            f"{_period_text(periods)} nicht schätzen (Tabellen fehlen oder Nenner 0); bitte "
            "andere Jahre wählen oder die Werte im Abschnitt »rates:« vorgeben"
        )
    ordered = {name: rates[name] for name in RATE_SPECS}
    return Rates(ordered, dict(household_sizes or HOUSEHOLD_SIZES), tuple(periods))


_ACC_SOURCE = "Sozialamt (accommodation, 31.12.) / Zuweisungen (arrivals)"


def _assigned(arr: pd.DataFrame | None) -> float | None:
    if arr is None:
        return None
    return float(arr.loc[arr["channel"] == "zuweisung", "count"].sum())


def _accommodation_rates(
    stocks: Mapping[str, float],
    arrivals: Callable[[str], pd.DataFrame | None],
    load: Loader,
    rates: dict[str, Rate],
    fixed: Mapping[str, tuple[float, float, float]],
) -> list[str]:
    """Estimate ``unterbringung_quote`` (p) and ``unterbringung_verbleib`` (r) in place.

    Model: stock_t = p * assigned_t + r * stock_(t-1). With two or more years that have the
    stock of the year before, p and r are fitted by least squares; with fewer, r is the
    assumption (or the scenario's value) and p follows from the stocks. Returns the names of
    rates that could not be estimated.
    """
    if not stocks:
        return [n for n in ("unterbringung_quote", "unterbringung_verbleib") if n not in fixed]
    eqs = []  # (period, assigned_t, stock_(t-1), stock_t)
    for p, s in sorted(stocks.items()):
        a = _assigned(arrivals(p))
        prev_acc = _try_load(load, "accommodation", _prev(p))
        if a is not None and prev_acc is not None:
            eqs.append((p, a, float(prev_acc["count"].sum()), s))
    r_spec = RATE_SPECS["unterbringung_verbleib"]
    span = _period_text([e[0] for e in eqs])
    if "unterbringung_verbleib" not in fixed and "unterbringung_quote" not in fixed:
        if len(eqs) >= 2:
            x = np.array([[e[1], e[2]] for e in eqs])
            y = np.array([e[3] for e in eqs])
            (p_hat, r_hat), *_ = np.linalg.lstsq(x, y, rcond=None)
            if not 0 <= r_hat <= 1:
                r_hat = min(max(r_hat, 0.0), 1.0)
                p_hat = float((y - r_hat * x[:, 1]).sum() / max(x[:, 0].sum(), 1.0))
            p_hat = max(float(p_hat), 0.0)
            per_p = {e[0]: max((e[3] - r_hat * e[2]) / e[1], 0.0) for e in eqs if e[1] > 0}
            per_r = {e[0]: min(max((e[3] - p_hat * e[1]) / e[2], 0.0), 1.0) for e in eqs if e[2]}
            text = f"{_ACC_SOURCE}, {span} (Kleinste Quadrate; Spanne: Jahreswerte)"
            rates["unterbringung_quote"] = Rate(
                "unterbringung_quote", p_hat, min(p_hat, *per_p.values()),
                max(p_hat, *per_p.values()), text, per_p,
            )  # fmt: skip
            rates["unterbringung_verbleib"] = Rate(
                "unterbringung_verbleib", float(r_hat), min(r_hat, *per_r.values()),
                max(r_hat, *per_r.values()), text, per_r,
            )  # fmt: skip
            return []
    if "unterbringung_verbleib" not in fixed:
        if "unterbringung_quote" in fixed and eqs:
            p_fixed = fixed["unterbringung_quote"][0]
            ratio = _Ratio()
            for per, a, s_prev, s in eqs:
                ratio.add(per, s - p_fixed * a, s_prev)
            rate = ratio.rate("unterbringung_verbleib", _ACC_SOURCE)
            if rate is not None:
                rates["unterbringung_verbleib"] = rate
                return []
        d = float(r_spec.default)  # type: ignore[arg-type]
        rates["unterbringung_verbleib"] = Rate(
            "unterbringung_verbleib", d, d, d,
            "Annahme (zu wenige Jahre mit Vorjahresbestand für eine Schätzung; in »rates:« "
            "anpassbar)",
        )  # fmt: skip
    if "unterbringung_quote" in fixed:
        return []
    r = rates["unterbringung_verbleib"].value
    ratio = _Ratio()
    if eqs:
        for per, a, s_prev, s in eqs:
            ratio.add(per, s - r * s_prev, a)
        text = _ACC_SOURCE + " (Bestand abzüglich Verbleib aus dem Vorjahresbestand)"
    else:
        # no stock of the year before: weight the assignments of the available years
        for per, s in sorted(stocks.items()):
            weighted, k = 0.0, 0
            while (a := _assigned(arrivals(str(int(per) - k)))) is not None:
                weighted += r**k * a
                k += 1
            ratio.add(per, s, weighted)
        ratio.notes.append("ohne Vorjahresbestand: überschätzt, wenn ältere Zuweisungen fehlen")
        text = _ACC_SOURCE
    rate = ratio.rate("unterbringung_quote", text)
    if rate is None:
        return ["unterbringung_quote"]
    rates["unterbringung_quote"] = rate
    return []


# --- structure ----------------------------------------------------------------------------


POOLED = "gepoolt"


@dataclass(frozen=True)
class Structure:
    """Observed age/sex structure and district distribution of arrivals per channel.

    Built from the ``arrivals`` table of some reference periods by
    :func:`estimate_structure`. A *variant* is either :data:`POOLED` (all periods together)
    or one period; the per-period variants give the range of the needs.
    """

    arrivals: pd.DataFrame  # period, channel, nationality, sex, age_group, stadtbezirk, count
    periods: tuple[str, ...]
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def variants(self) -> list[str]:
        """``[POOLED, period, ...]``; only the pooled variant for a single period."""
        return [POOLED, *self.periods] if len(self.periods) > 1 else [POOLED]

    def _rows(self, channel: str, variant: str) -> pd.DataFrame:
        key = ("rows", channel, variant)
        if key not in self._cache:
            a = self.arrivals
            sel = a["channel"] == channel
            if variant != POOLED:
                sel &= a["period"] == variant
            self._cache[key] = a[sel]
        return self._cache[key]

    def age_sex(self, channel: str, group: str = "alle", variant: str = POOLED) -> np.ndarray:
        """Shares by sex (rows ``m``, ``w``) and arrival age group (columns); sum 1.

        Falls back from the group to the whole channel, and from a single period to the
        pooled periods, when fewer than :data:`MIN_STRUCTURE_PERSONS` arrivals are there.
        """
        key = ("age_sex", channel, group, variant)
        if key not in self._cache:
            self._cache[key] = self._age_sex(channel, group, variant)
        return self._cache[key].copy()

    def _age_sex(self, channel: str, group: str, variant: str) -> np.ndarray:
        for v in dict.fromkeys([variant, POOLED]):
            rows = self._rows(channel, v)
            for g in dict.fromkeys([group, "alle"]):
                nats = NATIONALITY_GROUPS.get(g, [g])
                sub = rows[rows["nationality"].isin(nats)]
                total = float(sub["count"].sum())
                if total >= MIN_STRUCTURE_PERSONS or (g == "alle" and v == POOLED and total > 0):
                    tab = (
                        sub.groupby(["sex", "age_group"])["count"]
                        .sum()
                        .reindex(pd.MultiIndex.from_product([SEXES, ARRIVAL_AGE_GROUPS]))
                        .fillna(0.0)
                        .to_numpy(dtype=float)
                        .reshape(len(SEXES), len(ARRIVAL_AGE_GROUPS))
                    )
                    return tab / total
        raise DataError(
            f"keine Neuzugänge über den Zugangsweg {channel!r} in den Referenzjahren "
            f"{_period_text(self.periods)}; bitte »age_structure.{channel}« im Szenario angeben"
        )

    def sex_by_age(self, channel: str, variant: str = POOLED) -> np.ndarray:
        """Share of each sex within each age group (rows ``m``, ``w``); 0.5 where no data."""
        rows = self._rows(channel, variant)
        tab = (
            rows.groupby(["sex", "age_group"])["count"]
            .sum()
            .reindex(pd.MultiIndex.from_product([SEXES, ARRIVAL_AGE_GROUPS]))
            .fillna(0.0)
            .to_numpy(dtype=float)
            .reshape(len(SEXES), len(ARRIVAL_AGE_GROUPS))
        )
        total = tab.sum(axis=0)
        return np.where(total > 0, tab / np.where(total > 0, total, 1.0), 0.5)

    def districts(self, channel: str, variant: str = POOLED) -> np.ndarray:
        """Share of the channel's arrivals per Stadtbezirk (order of ``STADTBEZIRKE``)."""
        for v in dict.fromkeys([variant, POOLED]):
            rows = self._rows(channel, v)
            total = float(rows["count"].sum())
            if total >= MIN_STRUCTURE_PERSONS or (v == POOLED and total > 0):
                tab = rows.groupby("stadtbezirk")["count"].sum().reindex(list(STADTBEZIRKE))
                return tab.fillna(0.0).to_numpy(dtype=float) / total
        raise DataError(
            f"keine Neuzugänge über den Zugangsweg {channel!r} in den Referenzjahren "
            f"{_period_text(self.periods)}; bitte »district_shares.{channel}« im Szenario angeben"
        )


def estimate_structure(
    reference_periods: Sequence[str | int],
    load: Loader | None = None,
    *,
    data: str | Path | None = None,
) -> Structure:
    """The age/sex structure and district distribution of arrivals in some periods.

    Parameters
    ----------
    reference_periods:
        Periods whose ``arrivals`` are pooled (e.g. ``["2015", "2016"]`` for a refugee wave).
    load, data:
        As in :func:`estimate_rates`.

    Returns
    -------
    Structure
    """
    load = load or _default_load(data)
    periods = [str(Period.parse(p)) for p in reference_periods]
    if not periods:
        raise DataError("keine Referenzjahre für die Struktur der Neuzugänge angegeben")
    frames = []
    for p in periods:
        df = load("arrivals", p)
        frames.append(df.assign(period=p))
    arr = pd.concat(frames, ignore_index=True)
    keep = ["period", "channel", "nationality", "sex", "age_group", "stadtbezirk", "count"]
    arr = arr[keep].astype({"count": float})
    return Structure(arr, tuple(periods))


# --- projection ---------------------------------------------------------------------------


def _spread_matrix() -> np.ndarray:
    """Matrix (age groups x single ages): uniform spread of each group over its ages."""
    m = np.zeros((len(ARRIVAL_AGE_GROUPS), _N_AGES))
    for i, g in enumerate(ARRIVAL_AGE_GROUPS):
        lo, hi = AGE_SPANS[g]
        m[i, lo : hi + 1] = 1.0 / (hi - lo + 1)
    return m


_SPREAD = _spread_matrix()


def _ages(lo: int, hi: int) -> slice:
    return slice(lo, hi + 1)


def _arrival_series(scenario: Scenario, load: Loader | None) -> dict[str, dict[str, np.ndarray]]:
    """``{channel: {group: arrivals per scenario year}}``, resolving replays."""
    h = scenario.horizon
    if not scenario.replay_periods:
        return {
            c: {g: np.asarray(s, dtype=float) for g, s in groups.items()}
            for c, groups in scenario.arrivals.items()
        }
    if load is None:
        raise DataError("für »replay_periods« werden die aufbereiteten Daten gebraucht")
    out: dict[str, dict[str, np.ndarray]] = {c: {"alle": np.zeros(h)} for c in CHANNELS}
    for i, p in enumerate(scenario.replay_periods):
        arr = load("arrivals", str(Period.parse(p)))
        for c in CHANNELS:
            out[c]["alle"][i] = float(arr.loc[arr["channel"] == c, "count"].sum())
    for c in CHANNELS:
        out[c]["alle"] *= scenario.replay_factor
    return out


def _simulate(
    scenario: Scenario,
    series: Mapping[str, Mapping[str, np.ndarray]],
    structure: Structure | None,
    variant: str,
    r: Mapping[str, float],
    household_sizes: Mapping[str, float],
) -> dict[str, np.ndarray]:
    """Needs of one variant: ``{need: array (horizon, 1 + districts)}``; column 0 = city."""
    h = scenario.horizon
    nd = len(STADTBEZIRKE)
    out = {n: np.zeros((h, nd)) for n in NEEDS}
    keep = r["verbleib"]

    def lagged(x: np.ndarray, f: float) -> np.ndarray:
        """(1 - f) of this year's and f of last year's value (nothing before year 1)."""
        return (1 - f) * x + f * np.concatenate([[0.0], x[:-1]])

    for channel, groups in series.items():
        # flows: arrivals per year, sex, single year of age
        flow = np.zeros((h, len(SEXES), _N_AGES))
        for group, a in groups.items():
            if channel in scenario.age_structure:
                ages = np.array(
                    [scenario.age_structure[channel].get(g, 0.0) for g in ARRIVAL_AGE_GROUPS]
                )
                if structure is not None:
                    shares = structure.sex_by_age(channel, variant) * ages
                else:
                    shares = 0.5 * np.vstack([ages, ages])
            else:
                if structure is None:
                    raise DataError("Struktur der Neuzugänge fehlt (reference_periods)")
                shares = structure.age_sex(channel, group, variant)
            flow += a[:, None, None] * (shares @ _SPREAD)[None, :, :]
        # stocks at the end of each year: earlier cohorts aged by one year per year
        stock = np.zeros((h, len(SEXES), _N_AGES))
        for y in range(h):
            for y0 in range(y + 1):
                shifted = np.zeros((len(SEXES), _N_AGES))
                k = y - y0
                shifted[:, k:] = flow[y0][:, : _N_AGES - k]
                stock[y] += shifted * keep**k
        fa = flow.sum(axis=1)  # by age
        sa = stock.sum(axis=1)
        adults = fa[:, ADULT_AGE:].sum(axis=1)
        need = {
            "zugaenge": fa.sum(axis=1),
            "zugaenge_minderjaehrige": fa[:, :ADULT_AGE].sum(axis=1),
            "zugaenge_frauen": flow[:, SEXES.index("w"), ADULT_AGE:].sum(axis=1),
            "zugaenge_maenner": flow[:, SEXES.index("m"), ADULT_AGE:].sum(axis=1),
            "kinder_u3": sa[:, _ages(0, 2)].sum(axis=1),
            "kinder_3_6": sa[:, _ages(3, 5)].sum(axis=1),
            "schueler_primar": sa[:, _ages(6, 9)].sum(axis=1),
            "schueler_sek1": sa[:, _ages(10, 15)].sum(axis=1),
            "schueler_sek2": sa[:, _ages(16, 17)].sum(axis=1),
            "beratung": r["beratung_je_erwachsenem"] * adults,
        }
        f_school = r["seiteneinstieg_anteil_folgejahr"]
        for level, (lo, hi) in (("primar", (6, 9)), ("sek1", (10, 15)), ("sek2", (16, 17))):
            name = f"seiteneinstieg_{level}"
            need[name] = r[name] * lagged(fa[:, _ages(lo, hi)].sum(axis=1), f_school)
        need["kita_u3"] = r["kita_quote_u3"] * need["kinder_u3"]
        need["kita_3_6"] = r["kita_quote_3_6"] * need["kinder_3_6"]
        need["kita"] = need["kita_u3"] + need["kita_3_6"]
        need["seiteneinstieg"] = (
            need["seiteneinstieg_primar"]
            + need["seiteneinstieg_sek1"]
            + need["seiteneinstieg_sek2"]
        )
        eligible = adults * (r["kurs_anteil_eu"] if channel == "eu" else 1.0)
        need["kurs_berechtigte"] = eligible
        need["kurs_eintritte"] = r["kurs_teilnahme"] * lagged(eligible, r["kurs_anteil_folgejahr"])
        need["kurse"] = need["kurs_eintritte"] / r["teilnehmende_je_kurs"]
        if channel == "zuweisung":
            # stock_y = p * assigned_y + r * stock_(y-1)
            total = fa.sum(axis=1)
            persons = np.zeros(h)
            for y in range(h):
                before = persons[y - 1] if y else 0.0
                persons[y] = (
                    r["unterbringung_quote"] * total[y] + r["unterbringung_verbleib"] * before
                )
            need["unterbringung"] = persons
            mean_size = sum(float(s) * HOUSEHOLD_PERSONS[k] for k, s in household_sizes.items())
            need["wohnungen"] = persons / mean_size
            for k, s in household_sizes.items():
                need[f"wohnungen_{k.replace('+', 'plus')}"] = need["wohnungen"] * float(s)
        if channel in scenario.district_shares:
            dist = np.array(
                [float(scenario.district_shares[channel].get(sb, 0.0)) for sb in STADTBEZIRKE]
            )
        elif structure is not None:
            dist = structure.districts(channel, variant)
        else:
            raise DataError("Verteilung auf die Stadtbezirke fehlt (reference_periods)")
        for n, values in need.items():
            out[n] += values[:, None] * dist[None, :]
    return {n: np.concatenate([v.sum(axis=1, keepdims=True), v], axis=1) for n, v in out.items()}


def project(
    scenario: Scenario,
    rates: Rates,
    structure: Structure | None = None,
    *,
    load: Loader | None = None,
    data: str | Path | None = None,
) -> pd.DataFrame:
    """Project the needs of a scenario per year and Stadtbezirk.

    Parameters
    ----------
    scenario:
        The scenario (see :func:`load_scenario`).
    rates:
        The rates (see :func:`estimate_rates`); the scenario's ``rates:`` overrides and
        ``household_sizes`` are applied on top.
    structure:
        Age/sex structure and district distribution of the arrivals; default: estimated from
        ``scenario.reference_periods`` (or the rate periods) with ``load``.
    load, data:
        Where to read processed tables (structure, replayed arrivals); default the store.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``year`` (int), ``stadtbezirk`` (``"stadt"`` for the city, else ``"01"`` …
        ``"10"``), ``need`` (a key of :data:`NEEDS`), ``value``, ``low``, ``high`` (float,
        ``low <= value <= high``), ``unit`` (German). Stock needs refer to the end of the year,
        flow needs to the whole year; all are *additional* needs of the scenario's newcomers.
        ``df.attrs`` holds the scenario name/title and the rates used.
    """
    needs_load = structure is None or bool(scenario.replay_periods)
    if load is None and needs_load:
        load = _default_load(data)
    if scenario.rates:
        rates = rates.with_overrides(scenario.rates, source=scenario.source or "Szenario")
    missing = [n for n in RATE_SPECS if n not in rates.rates]
    if missing:
        raise DataError(f"Kennzahlen fehlen: {', '.join(missing)}")
    household = dict(scenario.household_sizes or rates.household_sizes)
    rates = replace(rates, household_sizes=household)
    series = _arrival_series(scenario, load)
    if structure is None:
        needs_structure = set(series) - (
            set(scenario.age_structure) & set(scenario.district_shares)
        )
        if needs_structure:
            ref = scenario.reference_periods or scenario.rate_periods or rates.periods
            structure = estimate_structure(ref, load)
    variants = structure.variants if structure is not None else [POOLED]

    point = _simulate(scenario, series, structure, POOLED, rates.level("value"), household)
    lows = [
        _simulate(scenario, series, structure, v, rates.level("low"), household) for v in variants
    ]
    highs = [
        _simulate(scenario, series, structure, v, rates.level("high"), household) for v in variants
    ]
    start = scenario.start_year or (max(int(p) for p in rates.periods) + 1 if rates.periods else 1)
    areas = [CITY, *STADTBEZIRKE]
    frames = []
    for n, spec in NEEDS.items():
        value = point[n]
        low = np.minimum(np.min([v[n] for v in lows], axis=0), value)
        high = np.maximum(np.max([v[n] for v in highs], axis=0), value)
        frames.append(
            pd.DataFrame(
                {
                    "year": np.repeat(np.arange(start, start + scenario.horizon), len(areas)),
                    "stadtbezirk": areas * scenario.horizon,
                    "need": n,
                    "value": value.ravel(),
                    "low": low.ravel(),
                    "high": high.ravel(),
                    "unit": spec.unit,
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df["year"] = df["year"].astype("int64")
    order = {n: i for i, n in enumerate(NEEDS)}
    area_order = {a: i for i, a in enumerate(areas)}
    df = df.sort_values(
        ["year", "stadtbezirk", "need"],
        key=lambda s: (
            s.map(area_order)
            if s.name == "stadtbezirk"
            else (s.map(order) if s.name == "need" else s)
        ),
    ).reset_index(drop=True)[OUTPUT_COLUMNS]
    df.attrs = {
        "scenario": scenario.name,
        "title": scenario.title,
        "description": scenario.description,
        "reference_periods": list(structure.periods) if structure is not None else [],
        "rate_periods": list(rates.periods),
        "rates": rates.to_frame().to_dict("records"),
        "arrivals": {
            c: {g: [float(x) for x in s] for g, s in gs.items()} for c, gs in series.items()
        },
    }
    return df


def run(
    scenario: Scenario | str | Path,
    *,
    data: str | Path | None = None,
    load: Loader | None = None,
    rate_periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Load a scenario, estimate the rates and project the needs — in one call.

    Parameters
    ----------
    scenario:
        A :class:`Scenario`, a preset name (``"low"``, ``"medium"``, ``"high"``) or a YAML path.
    data:
        The processed store (default ``data/processed``).
    load:
        Alternative table loader ``load(table, period)``; ``rate_periods`` must then be known
        (from the argument or the scenario).
    rate_periods:
        Periods for the rates; default the scenario's ``rate_periods``, else every period of
        the store.

    Returns
    -------
    pandas.DataFrame
        As :func:`project`.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    periods = list(rate_periods or scenario.rate_periods)
    if not periods:
        if load is not None:
            raise DataError("bitte die Berichtsjahre für die Kennzahlen angeben (rate_periods)")
        periods = store.periods(data)
        if not periods:
            raise DataError(
                f"keine aufbereiteten Daten in {store.data_dir(data)}; zuerst "
                "`bielefeld-integration ingest --all` ausführen"
            )
    load = load or _default_load(data)
    rates = estimate_rates(
        periods, load, fixed=scenario.rates, household_sizes=scenario.household_sizes
    )
    return project(scenario, rates, load=load)


# --- presentation and export --------------------------------------------------------------

GERMAN_COLUMNS = {
    "year": "Jahr",
    "area": "Gebiet",
    "need": "Bedarf",
    "kind": "Art",
    "unit": "Einheit",
    "value": "Wert",
    "low": "untere Grenze",
    "high": "obere Grenze",
}


def _area_label(code: str) -> str:
    return "Bielefeld insgesamt" if code == CITY else f"{code} {STADTBEZIRKE[code]}"


def needs_table(
    df: pd.DataFrame,
    *,
    stadtbezirk: str | None = None,
    needs: Sequence[str] | None = None,
    decimals: int = 0,
) -> pd.DataFrame:
    """The projection as a German table for planners.

    Parameters
    ----------
    df:
        The result of :func:`project`.
    stadtbezirk:
        Only this area (``"stadt"`` or ``"01"`` … ``"10"``); default all.
    needs:
        Only these needs (keys of :data:`NEEDS`), in this order; default all.
    decimals:
        Rounding of value and range (default whole numbers).

    Returns
    -------
    pandas.DataFrame
        Columns ``Jahr``, ``Gebiet``, ``Bedarf``, ``Art`` (Bestand am Jahresende / im Jahr),
        ``Einheit``, ``Wert``, ``untere Grenze``, ``obere Grenze``.
    """
    missing = [c for c in OUTPUT_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"keine Szenario-Tabelle: Spalten {', '.join(missing)} fehlen")
    unknown_needs = sorted(set(df["need"]) - set(NEEDS))
    if unknown_needs:
        raise DataError(f"unbekannte Bedarfe {', '.join(map(str, unknown_needs))}")
    out = df
    if stadtbezirk is not None:
        out = out[out["stadtbezirk"] == stadtbezirk]
    if needs is not None:
        unknown = [n for n in needs if n not in NEEDS]
        if unknown:
            raise DataError(f"unbekannte Bedarfe {', '.join(unknown)}")
        out = out[out["need"].isin(list(needs))]
        order = {n: i for i, n in enumerate(needs)}
        out = out.sort_values(
            ["year", "need"], key=lambda s: s.map(order) if s.name == "need" else s, kind="stable"
        )
    table = pd.DataFrame(
        {
            "Jahr": out["year"].astype("int64").to_numpy(),
            "Gebiet": out["stadtbezirk"].map(_area_label).to_numpy(),
            "Bedarf": out["need"].map(lambda n: NEEDS[n].label).to_numpy(),
            "Art": out["need"]
            .map(lambda n: "Bestand am Jahresende" if NEEDS[n].stock else "im Jahr")
            .to_numpy(),
            "Einheit": out["unit"].to_numpy(),
            "Wert": out["value"].round(decimals).to_numpy(),
            "untere Grenze": out["low"].round(decimals).to_numpy(),
            "obere Grenze": out["high"].round(decimals).to_numpy(),
        }
    )
    if decimals == 0:
        for c in ("Wert", "untere Grenze", "obere Grenze"):
            table[c] = table[c].astype("int64")
    table.attrs = dict(df.attrs)
    return table


def rates_table(rates: Rates | pd.DataFrame | list) -> pd.DataFrame:
    """The rates with German column titles (from :class:`Rates` or ``df.attrs["rates"]``)."""
    if isinstance(rates, Rates):
        frame = rates.to_frame()
    else:
        frame = pd.DataFrame(rates)
    return frame.rename(
        columns={
            "name": "Kennzahl",
            "label": "Bezeichnung",
            "value": "Wert",
            "low": "untere Grenze",
            "high": "obere Grenze",
            "unit": "Einheit",
            "source": "Quelle",
            "definition": "Definition",
        }
    )


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a projection (or a German table) to CSV or XLSX, chosen by the file suffix.

    Parameters
    ----------
    df:
        The result of :func:`project` (converted with :func:`needs_table`) or any table with
        German headers (e.g. :func:`backtest_table`).
    path:
        ``*.csv``: UTF-8, separator ``;``, decimal comma, German headers. ``*.xlsx``: sheet
        »Bedarfe« plus, for a projection, »Annahmen« (rates and sources) and »Szenario«.

    Returns
    -------
    pathlib.Path
        The written file (written atomically: a failure leaves an earlier file intact).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DataError(f"unbekanntes Ausgabeformat {path.suffix!r}: .csv oder .xlsx", file=path)
    is_projection = all(c in df.columns for c in OUTPUT_COLUMNS)
    table = needs_table(df) if is_projection else df
    if suffix == ".csv":
        _atomic_write(
            path,
            lambda p: table.to_csv(p, sep=";", index=False, encoding="utf-8", decimal=","),
        )
        return path

    def write_xlsx(p: Path) -> None:
        with pd.ExcelWriter(p, engine="openpyxl") as xl:
            table.to_excel(xl, sheet_name="Bedarfe", index=False)
            attrs = df.attrs or {}
            if attrs.get("rates"):
                rates_table(attrs["rates"]).to_excel(xl, sheet_name="Annahmen", index=False)
            if attrs.get("scenario"):
                info = [
                    ("Szenario", attrs.get("scenario", "")),
                    ("Titel", attrs.get("title", "")),
                    ("Beschreibung", attrs.get("description", "")),
                    ("Referenzjahre (Struktur)", ", ".join(attrs.get("reference_periods", []))),
                    ("Jahre der Kennzahlen", ", ".join(attrs.get("rate_periods", []))),
                ]
                for channel, groups in attrs.get("arrivals", {}).items():
                    for group, values in groups.items():
                        label = CHANNEL_LABELS.get(channel, channel)
                        if group != "alle":
                            label += f" ({group})"
                        info.append((f"Zugänge {label}", "; ".join(f"{v:.0f}" for v in values)))
                pd.DataFrame(info, columns=["Angabe", "Wert"]).to_excel(
                    xl, sheet_name="Szenario", index=False
                )

    _atomic_write(path, write_xlsx)
    return path


# --- backtest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    need: str
    table: str
    label: str
    lag: int  # observation period = scenario year + lag
    increment: bool  # compare the change against the period before the first arrivals


_CHECKS = [
    _Check(
        "kita",
        "daycare",
        "Kinder mit Migrationshintergrund in Kindertagesbetreuung (01.03.)",
        1,
        True,
    ),
    _Check("seiteneinstieg", "newcomer_pupils", "Neu zugewanderte Schüler/innen", 0, False),
    _Check("kurs_eintritte", "integration_courses", "Eintritte in Integrationskurse", 0, False),
    _Check(
        "unterbringung", "accommodation", "Personen in städtischer Unterbringung (31.12.)", 0, True
    ),
]


def _observed(load: Loader, check: _Check, period: str) -> float | None:
    df = _try_load(load, check.table, period)
    if df is None:
        return None
    if check.table == "daycare":
        df = df[df["migration_background"] == "mit"]
    elif check.table == "integration_courses":
        df = df[df["measure"] == "eintritte"]
    return float(df["count"].sum())


def backtest(
    load: Loader | None = None,
    *,
    data: str | Path | None = None,
    arrival_periods: Sequence[str] = ("2015", "2016"),
    rate_periods: Sequence[str] = ("2014",),
) -> pd.DataFrame:
    """Check the model against what happened: replay observed arrivals with older rates.

    The observed arrivals of ``arrival_periods`` (with their own age/sex structure and
    district distribution) are fed to the model with rates estimated from ``rate_periods``
    only. The predicted needs are compared with the data at their own reference dates:
    day care on 01.03. of the *following* year (so arrivals 2015–2016 are compared with
    day care 2016–2017), newcomer pupils and course entries in the same calendar year,
    accommodation on 31.12. Stocks (day care, accommodation) are compared as the change
    against the last observation before the first arrivals, since the model predicts the
    additional need; for accommodation the prediction includes the model's decline of that
    earlier stock (``unterbringung_verbleib``). Flows of the first year include the part that
    the model carries over from the arrivals of the year before (``*_anteil_folgejahr``).
    Everything the prediction uses is known at the end of the last rate period, apart from
    the replayed arrivals.

    Parameters
    ----------
    load, data:
        Where to read processed tables (default: the store).
    arrival_periods:
        Periods whose arrivals are replayed (default 2015, 2016: the refugee wave).
    rate_periods:
        Periods the rates are estimated from (default 2014: before the wave).

    Returns
    -------
    pandas.DataFrame
        Columns ``need``, ``label`` (German), ``year`` (arrival year), ``period`` (observed
        period), ``comparison`` (``"Veränderung gegenüber <period>"`` or ``"Jahreswert"``),
        ``predicted``, ``low``, ``high``, ``observed``, ``abs_error`` (predicted − observed),
        ``rel_error`` (abs_error / observed; NaN if observed is 0), ``in_range`` (bool).
        Checks whose observation is missing in the data are left out.
    """
    load = load or _default_load(data)
    arrival_periods = [str(Period.parse(p)) for p in arrival_periods]
    scn = Scenario(
        name="backtest",
        title=f"Rückrechnung: Zugänge {_period_text(arrival_periods)} mit Kennzahlen "
        f"{_period_text(list(rate_periods))}",
        horizon=len(arrival_periods),
        start_year=int(arrival_periods[0]),
        replay_periods=tuple(arrival_periods),
        reference_periods=tuple(arrival_periods),
        rate_periods=tuple(str(p) for p in rate_periods),
    )
    rates = estimate_rates(rate_periods, load)
    df = project(scn, rates, load=load)
    city = df[df["stadtbezirk"] == CITY].set_index(["need", "year"])[["value", "low", "high"]]
    first = int(arrival_periods[0])
    # carry-over of lagged flows from the arrivals of the year before the replay
    before = str(first - 1)
    carry = None
    if _try_load(load, "arrivals", before) is not None:
        pre = Scenario(
            name="vorjahr", title="Vorjahr", horizon=2, start_year=first - 1,
            replay_periods=(before,), reference_periods=(before,),
        )  # fmt: skip
        pre_df = project(pre, rates, load=load)
        carry = pre_df[(pre_df["stadtbezirk"] == CITY) & (pre_df["year"] == first)]
        carry = carry.set_index("need")[["value", "low", "high"]]
    keep = rates["unterbringung_verbleib"]
    rows = []
    for check in _CHECKS:
        base_period = str(first + check.lag - 1)
        base = _observed(load, check, base_period) if check.increment else 0.0
        if base is None:
            continue
        for year in range(first, first + scn.horizon):
            period = str(year + check.lag)
            obs = _observed(load, check, period)
            if obs is None:
                continue
            observed = obs - base
            pred = city.loc[(check.need, year)].astype(float).copy()
            if not check.increment and carry is not None and year == first:
                pred += carry.loc[check.need]
            if check.need == "unterbringung":
                k = year - int(base_period)
                pred["value"] += (keep.value**k - 1) * base
                pred["low"] += (keep.low**k - 1) * base
                pred["high"] += (keep.high**k - 1) * base
            err = float(pred["value"]) - observed
            rows.append(
                {
                    "need": check.need,
                    "label": check.label,
                    "year": year,
                    "period": period,
                    "comparison": f"Veränderung gegenüber {base_period}"
                    if check.increment
                    else "Jahreswert",
                    "predicted": float(pred["value"]),
                    "low": float(pred["low"]),
                    "high": float(pred["high"]),
                    "observed": observed,
                    "abs_error": err,
                    "rel_error": err / observed if observed else float("nan"),
                    "in_range": bool(pred["low"] <= observed <= pred["high"]),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "need", "label", "year", "period", "comparison", "predicted", "low", "high",
            "observed", "abs_error", "rel_error", "in_range",
        ],
    )  # fmt: skip
    out.attrs = {"rates": rates.to_frame().to_dict("records"), "title": scn.title}
    return out


def backtest_table(bt: pd.DataFrame, *, decimals: int = 0) -> pd.DataFrame:
    """The backtest with German column titles and rounded numbers."""
    return pd.DataFrame(
        {
            "Bedarf": bt["label"],
            "Zugangsjahr": bt["year"],
            "Beobachtet für": bt["period"],
            "Vergleich": bt["comparison"],
            "Vorhersage": bt["predicted"].round(decimals),
            "untere Grenze": bt["low"].round(decimals),
            "obere Grenze": bt["high"].round(decimals),
            "Beobachtet": bt["observed"].round(decimals),
            "Abweichung": bt["abs_error"].round(decimals),
            "Abweichung in %": (100 * bt["rel_error"]).round(1),
            "im Bereich": bt["in_range"].map({True: "ja", False: "nein"}),
        }
    )


__all__ = [
    "CHANNELS",
    "HOUSEHOLD_SIZES",
    "MAX_HORIZON",
    "NATIONALITY_GROUPS",
    "NEEDS",
    "PRESET_DIR",
    "RATE_SPECS",
    "Rate",
    "Rates",
    "Scenario",
    "Structure",
    "backtest",
    "backtest_table",
    "estimate_rates",
    "estimate_structure",
    "export",
    "load_scenario",
    "needs_table",
    "presets",
    "project",
    "rates_table",
    "run",
    "scenario_from_dict",
]
