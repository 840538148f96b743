"""Vocabulary of the scenario model: channels, age spans, rates and needs.

Everything here is a definition, nothing reads data: the arrival channels and nationality
groups a scenario may use, the single years of age behind each arrival age group, the
assumed household sizes, and what each rate (:data:`RATE_SPECS`) and each need
(:data:`NEEDS`) means, with German labels and units for the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from bielefeld_integration.tables import (
    ASYLUM_COUNTRIES,
    FOREIGN_NATIONALITIES,
    NATIONALITIES,
)

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
#: Single years of age the cohorts are tracked over (0..70: the 65+ bucket ages by at most
#: five years).
N_AGES = 71
SEXES = ("m", "w")
ADULT_AGE = 18

#: Assumed household-size distribution of the households of refugees leaving municipal
#: accommodation (share of *households* with 1, 2, 3, 4, 5 and more persons). An assumption
#: after the typical composition in municipal refugee accommodation in NRW: many single
#: adults, a large group of big families. A scenario file overrides it (``household_sizes:``).
HOUSEHOLD_SIZES: dict[str, float] = {"1": 0.35, "2": 0.15, "3": 0.15, "4": 0.15, "5+": 0.20}
#: Persons per household of each size class (``5+`` counted as 6 persons).
HOUSEHOLD_PERSONS: dict[str, float] = {"1": 1, "2": 2, "3": 3, "4": 4, "5+": 6}


def household_label(size: str) -> str:
    """German words for a household-size class: ``"1 Person"``, ``"5 und mehr Personen"``."""
    return "1 Person" if size == "1" else f"{size.replace('+', ' und mehr')} Personen"


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
    "(f: {f}; fehlt das Vorjahr, zählt das Jahr selbst dafür)"
)
_F_SCHOOL = "Anteil der Seiteneinsteiger/innen, die erst im Folgejahr gezählt werden"
_F_COURSE = "Anteil der Kurseintritte erst im Folgejahr nach Zuzug"

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
            "Kalenderjahr) je Neuzugang von 6 bis 9 Jahren" + _LAG_NOTE.format(f=_F_SCHOOL),
            estimated=True,
        ),
        RateSpec(
            "seiteneinstieg_sek1",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) je Zugang 10–15 Jahre",
            "je Person",
            "neu zugewanderte Schülerinnen und Schüler der Sekundarstufe I je Neuzugang von 10 "
            "bis 15 Jahren" + _LAG_NOTE.format(f=_F_SCHOOL),
            estimated=True,
        ),
        RateSpec(
            "seiteneinstieg_sek2",
            "Neu zugewanderte Schüler/innen (Seiteneinstieg) je Zugang 16–17 Jahre",
            "je Person",
            "neu zugewanderte Schülerinnen und Schüler der Sekundarstufe II / Berufskollegs je "
            "Neuzugang von 16 und 17 Jahren (kann über 1 liegen, wenn auch ältere "
            "Neuzugewanderte ein Berufskolleg besuchen)" + _LAG_NOTE.format(f=_F_SCHOOL),
            estimated=True,
        ),
        RateSpec(
            "kurs_teilnahme",
            "Eintritte in Integrationskurse je berechtigter erwachsener Person",
            "je Person",
            "Kurseintritte (BAMF, Kalenderjahr) je berechtigtem erwachsenem Neuzugang "
            "(Zuweisung und Familiennachzug ab 18 Jahren und der angenommene Anteil der "
            "EU-Zugänge ab 18 mit Integrationskurs)" + _LAG_NOTE.format(f=_F_COURSE),
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
            maximum=1.0,
        ),
        RateSpec(
            "unterbringung_verbleib",
            "Verbleib in städtischer Unterbringung je Jahr",
            "Anteil",
            "Anteil der städtisch Untergebrachten, der ein Jahr später noch dort wohnt (zusammen "
            "mit dem Anteil der Zugewiesenen in städtischer Unterbringung geschätzt, wenn "
            "mindestens zwei Jahre mit Vorjahresbestand vorliegen; sonst Annahme 0,85, d. h. im "
            "Mittel gut sechs Jahre bis zur eigenen Wohnung)",
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
                f"Wohnungen für Haushalte mit {household_label(k)}",
                "Wohnungen",
                True,
            )
            for k in HOUSEHOLD_SIZES
        ],
        NeedSpec("beratung", "Beratungsfälle Migrationsberatung", "Fälle", False),
    ]
}
OUTPUT_COLUMNS = ["year", "stadtbezirk", "need", "value", "low", "high", "unit"]
