"""Controlled vocabulary of the measures register: fields, goals, bodies, headers.

Everything the register's values may be, in one place, with the German labels the report
uses. This module imports nothing of the package: the schema, the reader, the summaries
and the presentation all build on it.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

#: The six Handlungsfelder of the concept (DESIGN section 6), in report order.
FIELDS: list[str] = [
    "Betreuung/Erziehung/Bildung",
    "Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt",
    "Kultur/Freizeit/Sport/Erwachsenenbildung",
    "Gesundheit/besondere Lebenslagen",
    "Soziales Umfeld/Wohnen/Stadtentwicklung",
    "Willkommenskultur/Interkulturelle Orientierung öffentlicher Institutionen",
]
#: Short labels of the fields for charts and narrow tables.
FIELD_SHORT: dict[str, str] = dict(
    zip(
        FIELDS,
        [
            "Bildung",
            "Arbeit",
            "Kultur und Sport",
            "Gesundheit",
            "Wohnen und Sozialraum",
            "Willkommenskultur",
        ],
        strict=True,
    )
)

#: The four focus goals (Schwerpunktziele) of the concept "Diversität, Partizipation und
#: Integration" (2016).
GOALS: dict[int, str] = {
    1: "Anerkennung und Erschließung der Potenziale der Menschen mit Migrationshintergrund",
    2: "Kultursensible Ausrichtung der Dienstleistungen bzw. Angebote für alle Bevölkerungsgruppen",
    3: "Strategien/Maßnahmen gegen Ausgrenzung und Diskriminierung",
    4: "Berücksichtigung der besonderen Belange der Frauen und Mädchen und Fokussierung des "
    "gleichberechtigten Miteinanders der Geschlechter",
}
#: Short labels of the goals.
GOAL_SHORT: dict[int, str] = {
    1: "Potenziale erschließen",
    2: "Kultursensible Angebote",
    3: "Gegen Ausgrenzung und Diskriminierung",
    4: "Frauen und Mädchen, Gleichberechtigung",
}

#: Kinds of responsible body covered by the register (self-/third-party-funded offers of
#: other bodies are not part of it).
BODY_TYPES: list[str] = ["städtisch", "REGE mbH", "Jobcenter", "kommunal gefördert"]
#: German labels of the body types for tables, in the words of the implementation report.
BODY_TYPE_LABELS: dict[str, str] = {
    "städtisch": "städtische Ämter und Einrichtungen",
    "REGE mbH": "REGE mbH",
    "Jobcenter": "Jobcenter",
    "kommunal gefördert": "kommunal geförderte Träger",
}
#: Whether a measure was named in the concept or initiated since (mostly because of the
#: inflows of 2015–2017).
ORIGINS: list[str] = ["im Konzept benannt", "neu initiiert"]
#: Status values; the first two count as active.
STATUSES: list[str] = ["geplant", "laufend", "abgeschlossen", "eingestellt"]
ACTIVE_STATUSES: tuple[str, ...] = ("geplant", "laufend")
ENDED_STATUSES: tuple[str, ...] = ("abgeschlossen", "eingestellt")

#: Target groups known to the register.
TARGET_GROUPS: list[str] = [
    "alle",
    "Menschen mit Migrationshintergrund",
    "Neuzugewanderte",
    "Geflüchtete",
    "EU-Zugewanderte",
    "Kinder",
    "Jugendliche",
    "junge Erwachsene",
    "Eltern",
    "Familien",
    "Frauen und Mädchen",
    "Männer und Jungen",
    "Seniorinnen und Senioren",
    "Menschen mit Behinderung",
    "Arbeitsuchende",
    "Zugewanderte Fachkräfte",
    "Ehrenamtliche",
    "Migrantenorganisationen",
    "Fachkräfte in Einrichtungen",
    "Beschäftigte der Stadtverwaltung",
    "Unternehmen",
]
#: Funding sources.
FUNDING_SOURCES: list[str] = [
    "Stadt",
    "Land NRW",
    "Bund",
    "EU/ESF",
    "BAMF",
    "Jobcenter",
    "Agentur für Arbeit",
    "Stiftungen",
    "Sonstige",
]

#: German header -> column of the tidy frame, in file order.
HEADERS: dict[str, str] = {
    "ID": "measure_id",
    "Titel": "title",
    "Kurzbeschreibung": "description",
    "Verantwortliche Stelle": "body",
    "Art der Stelle": "body_type",
    "Handlungsfeld": "field",
    "Schwerpunktziele": "goals",
    "Zielgruppen": "target_groups",
    "Herkunft": "origin",
    "Status": "status",
    "Beginn": "start",
    "Ende": "end",
    "Stand": "as_of",
    "Teilnehmende": "participants",
    "Budget (EUR)": "budget_eur",
    "Finanzierung": "funding",
    "Indikatoren": "indicators",
}
#: Column -> German header.
GERMAN_HEADERS: dict[str, str] = {v: k for k, v in HEADERS.items()}
COLUMNS: list[str] = list(HEADERS.values())
#: Columns that must not be empty.
REQUIRED: list[str] = [
    "measure_id",
    "title",
    "body",
    "body_type",
    "field",
    "goals",
    "target_groups",
    "origin",
    "status",
    "start",
    "as_of",
    "funding",
]

#: German labels of the columns the summaries return (for table headers in reports).
COLUMN_LABELS: dict[str, str] = {
    **GERMAN_HEADERS,
    "budget_eur": "Budget (EUR)",
    "measures": "Maßnahmen",
    "measures_cofunded": "darunter kofinanziert",
    "participants_missing": "ohne Teilnehmendenangabe",
    "budget_missing": "ohne Budgetangabe",
    "budget_sole_eur": "Budget allein aus dieser Quelle (EUR)",
    "change": "Veränderung",
    "status_previous": "Status Vorjahr",
    "status_changed": "Status geändert",
    "participants_previous": "Teilnehmende Vorjahr",
    "budget_previous_eur": "Budget Vorjahr (EUR)",
    "indicator": "Indikator",
    "indicator_field": "Handlungsfeld des Indikators",
    "catalogue_indicators": "Indikatoren des Katalogs im Handlungsfeld",
    "measures_with_indicator": "Maßnahmen mit Indikatorbezug",
    "gap": "Lücke",
    "start_year": "Beginnjahr",
    "base_period": "Ausgangsjahr",
    "base_value": "Wert Ausgangsjahr",
    "value": "Wert aktuell",
    "period": "Berichtsjahr",
}

#: The constant caveat to print next to every comparison of measures and indicators.
IMPACT_CAVEAT = (
    "Beschreibende Gegenüberstellung, keine Wirkungsmessung: Die Tabelle stellt den "
    "Maßnahmen die Werte der Indikatoren gegenüber, auf die sie sich beziehen. Ob und wie "
    "stark eine Maßnahme einen Indikator verändert hat, lässt sich daraus nicht ablesen – "
    "die Werte hängen auch von Zuwanderung, Konjunktur, Landes- und Bundesrecht und vielen "
    "anderen Einflüssen ab, und eine Vergleichsgruppe ohne Maßnahme gibt es nicht."
)

#: Form of an indicator id of the catalogue (``KITA-01``).
INDICATOR_ID_PATTERN = r"[A-Z]{2,5}-\d{2}"
#: Form of an ISO date in the tidy frame.
ISO_DATE_PATTERN = r"^\d{4}-\d\d-\d\d$"

#: Handlungsfeld codes of the indicator catalogue -> the fields of the register.
CATALOGUE_FIELD_CODES: dict[str, str] = dict(
    zip(["bildung", "arbeit", "kultur", "gesundheit", "wohnen", "willkommen"], FIELDS, strict=True)
)


def split_list(value: Any) -> tuple[str, ...]:
    """Split a list-valued register field into a tuple.

    Parameters
    ----------
    value : str, tuple, list or missing
        A ``;``-joined string as in the tidy register (``"Kinder;Eltern"``), or a sequence.

    Returns
    -------
    tuple of str
        The parts, stripped; empty for ``""`` and missing values.

    Examples
    --------
    >>> split_list("KITA-01;SPR-01"), split_list(""), split_list(None)
    (('KITA-01', 'SPR-01'), (), ())
    """
    if isinstance(value, (tuple, list)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ()
    return tuple(p.strip() for p in str(value).split(";") if p.strip())


def split_goals(value: Any) -> tuple[int, ...]:
    """The focus goals of a register value as integers (``"1;3"`` -> ``(1, 3)``)."""
    return tuple(int(p) for p in split_list(value))


def goals_in_words(value: Any) -> str:
    """The focus goals of a register value in words (short labels), ``"; "``-separated.

    >>> goals_in_words("1;4")
    'Potenziale erschließen; Frauen und Mädchen, Gleichberechtigung'
    """
    return "; ".join(GOAL_SHORT[g] for g in split_goals(value))
