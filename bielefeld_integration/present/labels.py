"""Readable German labels of groups and indicator values — one label per value.

Every page names a value with :func:`indicator_label`, so the same indicator and group get
the same words on the overview, in a chapter, in a district profile and in the measures
chapter; a value of one group never reads like the total of all groups.

>>> from bielefeld_integration.indicators.catalogue import load_catalogue
>>> cat = load_catalogue()
>>> indicator_label(cat["FLU-01"], "asylverfahren")
'Personen im Asylverfahren, im Folgeverfahren und mit Duldung, darunter: im Asylverfahren'
>>> indicator_label(cat["SPR-01"], "nichtdeutsch")
'Sprachförderbedarf bei der Schuleingangsuntersuchung: Kinder mit nichtdeutscher Familiensprache'
"""

from __future__ import annotations

from bielefeld_integration.indicators.catalogue import Indicator
from bielefeld_integration.present.format import display_unit

TOTAL = "insgesamt"

#: Readable German names of the comparison groups used in the catalogue.
GROUP_LABELS: dict[str, str] = {
    TOTAL: "insgesamt",
    "deutsch": "Deutsche",
    "auslaendisch": "Ausländerinnen und Ausländer",
    "ohne": "ohne Migrationshintergrund",
    "mit": "mit Migrationshintergrund",
    "persoenlich": "persönlicher Migrationshintergrund",
    "familiaer": "familiärer Migrationshintergrund",
    "eu": "EU-Staatsangehörige",
    "drittstaat": "Drittstaatsangehörige",
    "nichtdeutsch": "nichtdeutsche Familiensprache",
    "asylverfahren": "im Asylverfahren",
    "folgeverfahren": "im Folgeverfahren",
    "duldung": "mit Duldung",
    "offen": "Schutzstatus offen",
    "anerkannt": "Schutzstatus anerkannt",
    "abgelehnt": "Schutzstatus abgelehnt",
    "zuweisung": "Zuweisung",
    "familiennachzug": "Familiennachzug",
    "sonstige": "sonstige",
    "beschaeftigte": "Beschäftigte",
    "auszubildende": "Auszubildende",
    "neueinstellungen": "Neueinstellungen",
    "ehrenamtliche": "Ehrenamtliche",
    "mso_registriert": "Migrantenselbstorganisationen, registriert",
    "mso_gefoerdert": "Migrantenselbstorganisationen, gefördert",
    "unbefristet": "unbefristeter Aufenthaltstitel",
    "befristet": "befristeter Aufenthaltstitel",
    "eu_freizuegigkeit": "EU-Freizügigkeit",
    "schutz": "Schutzberechtigte (humanitärer Titel)",
    "unter 4": "unter 4 Jahre Aufenthalt",
    "4 bis unter 8": "4 bis unter 8 Jahre Aufenthalt",
    "8 bis unter 10": "8 bis unter 10 Jahre Aufenthalt",
    "10 und mehr": "10 und mehr Jahre Aufenthalt",
    "primar": "Primarstufe",
    "sek1": "Sekundarstufe I",
    "sek2": "Sekundarstufe II / Berufskolleg",
    "allgemein": "allgemeiner Integrationskurs",
    "jugend": "Jugendintegrationskurs",
    "eltern_frauen": "Eltern- und Frauenintegrationskurs",
    "alphabetisierung": "Alphabetisierungskurs",
    "SGB II": "Rechtskreis SGB II",
    "SGB III": "Rechtskreis SGB III",
    "unbekannt": "unbekannt",
}

#: Labels that depend on the comparison concept (the start of ``groups.concept``).
CONCEPT_LABELS: dict[str, dict[str, str]] = {
    "Familiensprache": {
        "deutsch": "Kinder mit deutscher Familiensprache",
        "nichtdeutsch": "Kinder mit nichtdeutscher Familiensprache",
    },
    "Zugangsweg": {"eu": "Zuzug aus der EU", "sonstige": "sonstige Zugangswege"},
    "Staatsangehörigkeit (Hauptherkunftsstaaten)": {"sonstige": "sonstige Staatsangehörigkeiten"},
    "Art des Integrationskurses": {"sonstige": "sonstige Integrationskurse"},
    "Aufenthaltsstatus": {"sonstige": "sonstiger Aufenthaltsstatus"},
    "Migrationshintergrund: ohne / mit": {
        "mit": "Kinder mit Migrationshintergrund",
        "ohne": "Kinder ohne Migrationshintergrund",
    },
}

#: Readable names of the non-spatial breakdown dimensions and their codes.
BREAKDOWN_LABELS: dict[str, str] = {
    TOTAL: "insgesamt",
    "sex": "Geschlecht",
    "age_group": "Altersgruppe",
    "nationality_group": "Staatsangehörigkeit",
    "minor": "Minderjährige",
}
BREAKDOWN_VALUE_LABELS: dict[str, dict[str, str]] = {
    "sex": {"w": "weiblich", "m": "männlich"},
    "minor": {"ja": "minderjährig", "nein": "volljährig"},
    "nationality_group": {"eu": "EU", "drittstaat": "Drittstaaten", "deutsch": "deutsch"},
}


def _concept_labels(ind: Indicator | None) -> dict[str, str]:
    if ind is None:
        return {}
    concept = ind.groups.concept
    for prefix, labels in CONCEPT_LABELS.items():
        if concept.startswith(prefix):
            # children only where the indicator is about children (day care, school entry)
            if prefix.startswith("Migrationshintergrund") and not ind.id.startswith("KITA"):
                continue
            return labels
    return {}


def group_label(group: str, ind: Indicator | None = None) -> str:
    """German label of a comparison group code (in the concept of ``ind`` where given).

    A gap or ratio between groups ``a-b`` reads "Abstand a zu b".

    Examples
    --------
    >>> group_label("auslaendisch")
    'Ausländerinnen und Ausländer'
    >>> group_label("mit-ohne")
    'Abstand mit Migrationshintergrund zu ohne Migrationshintergrund'
    """
    own = _concept_labels(ind)
    if group in own:
        return own[group]
    if "-" in group and group not in GROUP_LABELS:
        a, b = group.split("-", 1)
        return f"Abstand {group_label(a, ind)} zu {group_label(b, ind)}"
    return GROUP_LABELS.get(group, group)


def indicator_label(ind: Indicator, group: str = TOTAL) -> str:
    """The one German label of an indicator value for a group, used on every page.

    - the total, the only group and gaps/ratios between groups (their title names the
      comparison) are labelled with the title alone;
    - a group of a count is a part of the whole: "…, darunter: im Asylverfahren";
    - a group of a share or rate restricts the population: "…: Ausländerinnen und Ausländer".

    Parameters
    ----------
    ind : Indicator
        The catalogue entry.
    group : str
        The group code (``"insgesamt"``, ``"mit"``, ``"auslaendisch-deutsch"`` ...).
    """
    groups = [g for g in ind.groups.labels]
    if group == TOTAL or ind.kind in ("gap_pp", "ratio") or groups == [group]:
        return ind.title
    label = group_label(group, ind)
    if ind.kind == "count":
        return f"{ind.title}, darunter: {label}"
    return f"{ind.title}: {label}"


def unit_label(ind: Indicator) -> str:
    """The unit as shown on axes and in table headers (rates "je 100" as ``%``)."""
    return display_unit(ind.unit)


def breakdown_label(dim: str, value: str) -> str:
    """German label of a breakdown value, e.g. ``("sex", "w") -> "weiblich"``."""
    if dim == TOTAL:
        return "insgesamt"
    return BREAKDOWN_VALUE_LABELS.get(dim, {}).get(value, value)


__all__ = [
    "BREAKDOWN_LABELS",
    "GROUP_LABELS",
    "breakdown_label",
    "group_label",
    "indicator_label",
    "unit_label",
]
