"""German sentences about indicator values, written as a person would write them.

Each indicator has a grammatical subject (:data:`SUBJECTS`, nominative with article, e.g.
"die Zahl der Personen im Asylverfahren", "der Ausländeranteil"), so that the verb agrees
with it ("Die Zahl der … sank", "Die Einbürgerungen … stiegen") and no catalogue title
(often a heading such as "Integrationskurse: Eintritte") is forced into a sentence. Every
value is written with its unit ("18,3 %", "2.900 Personen").

>>> from bielefeld_integration.indicators.catalogue import load_catalogue
>>> cat = load_catalogue()
>>> change_sentence(cat["SOZ-01"], "insgesamt", 14.2, 14.9, "2017", "2016")
'Die SGB-II-Quote sank von 14,9 % (2016) auf 14,2 % (2017), also um 0,7 Prozentpunkte.'
"""

from __future__ import annotations

from dataclasses import dataclass

from bielefeld_integration.indicators.catalogue import Indicator
from bielefeld_integration.present.format import (
    display_unit,
    fmt_number,
    fmt_quantity,
    is_missing,
    unit_decimals,
)
from bielefeld_integration.present.labels import TOTAL, group_label


@dataclass(frozen=True)
class Subject:
    """A grammatical subject: the phrase (nominative, with article) and its number."""

    text: str
    plural: bool = False


def _s(text: str) -> Subject:
    return Subject(text)


#: The subject of a sentence about each indicator (total or the only group).
SUBJECTS: dict[str, Subject] = {
    "DEM-01": _s("die Zahl der Einwohnerinnen und Einwohner"),
    "DEM-02": _s("der Ausländeranteil"),
    "DEM-03": _s("der Anteil der Einwohnerinnen und Einwohner mit Migrationshintergrund"),
    "DEM-04": _s("der Anteil an allen Ausländerinnen und Ausländern"),
    "DEM-05": _s("der Außenwanderungssaldo der Ausländerinnen und Ausländer"),
    "DEM-06": _s("der Anteil an allen Ausländerinnen und Ausländern"),
    "DEM-07": _s("der Anteil der Minderjährigen mit Migrationshintergrund"),
    "DEM-08": _s("die Veränderung der Zahl der Ausländerinnen und Ausländer zum Vorjahr"),
    "DEM-09": _s("der Ausländeranteil nach der amtlichen Bevölkerungsfortschreibung"),
    "REC-01": _s("der Anteil der Ausländerinnen und Ausländer mit gesichertem Aufenthaltsstatus"),
    "REC-02": _s("der Anteil an allen Ausländerinnen und Ausländern"),
    "REC-03": _s("die Einbürgerungsquote I"),
    "REC-04": _s("die Einbürgerungsquote II"),
    "REC-05": _s("das ausgeschöpfte Einbürgerungspotenzial"),
    "REC-06": _s("die Zahl der Einbürgerungen"),
    "FLU-01": _s("die Zahl der Personen im Asylverfahren, im Folgeverfahren und mit Duldung"),
    "FLU-02": _s("der Anteil der Minderjährigen am Familiennachzug"),
    "FLU-03": _s("der Anteil der Geflüchteten in Gemeinschaftsunterkünften"),
    "FLU-04": _s("der Anteil an allen Schutzsuchenden"),
    "FLU-05": _s("die Zahl der Neuzugänge"),
    "KITA-01": _s("die Betreuungsquote der Kinder unter 3 Jahren"),
    "KITA-02": _s("die Betreuungsquote der Kinder von 3 bis unter 6 Jahren"),
    "KITA-03": _s("der Anteil der Kita-Kinder mit nichtdeutscher Familiensprache"),
    "KITA-04": _s(
        "der Abstand der Betreuungsquoten unter 3 Jahren (mit zu ohne Migrationshintergrund)"
    ),
    "KITA-05": _s("die Zahl der genehmigten Kita-Plätze je 100 Kinder unter 6 Jahren"),
    "SPR-01": _s("der Anteil der Kinder mit Sprachförderbedarf bei der Schuleingangsuntersuchung"),
    "SPR-02": _s("der Anteil der Kinder mit mindestens zwei Kita-Jahren vor der Einschulung"),
    "SPR-03": _s("die Erfolgsquote B1 in den Integrationskursen"),
    "SPR-04": _s("die Zahl der Eintritte in Integrationskurse"),
    "SPR-05": _s(
        "der Abstand beim Sprachförderbedarf (nichtdeutsche zu deutscher Familiensprache)"
    ),
    "SCH-01": _s("die Gymnasialquote in Jahrgangsstufe 5"),
    "SCH-02": _s("der Anteil der Schulabgängerinnen und -abgänger ohne Hauptschulabschluss"),
    "SCH-03": _s("der Anteil der Schulabgängerinnen und -abgänger mit allgemeiner Hochschulreife"),
    "SCH-04": _s("die Zahl der neu zugewanderten Schülerinnen und Schüler"),
    "SCH-05": _s("die Zahl der neu zugewanderten Schülerinnen und Schüler je 1.000 Schüler"),
    "SCH-06": _s("der Abstand bei der allgemeinen Hochschulreife (ausländische zu deutschen)"),
    "AUS-01": _s("die Beschäftigungsquote der 15- bis unter 25-Jährigen"),
    "AUS-02": _s("der Abstand der Beschäftigungsquoten der 15- bis unter 25-Jährigen"),
    "ARB-01": _s("die Beschäftigungsquote"),
    "ARB-02": _s("der Arbeitslosenanteil an der Bevölkerung von 15 bis unter 65 Jahren"),
    "ARB-03": _s("der Arbeitslosenanteil der 15- bis unter 25-Jährigen"),
    "ARB-04": _s("die Quote der ausschließlich geringfügig Beschäftigten"),
    "ARB-05": _s("der Anteil der Arbeitslosen im Kontext von Fluchtmigration"),
    "ARB-06": _s("das Verhältnis der Arbeitslosenanteile (ausländisch zu deutsch)"),
    "ARB-07": _s("der Ausländeranteil an den Arbeitslosen"),
    "ARB-08": _s("der Ausländeranteil an den Beschäftigten am Arbeitsort"),
    "SOZ-01": _s("die SGB-II-Quote"),
    "SOZ-02": _s("die Sozialgeldquote der Kinder unter 15 Jahren"),
    "SOZ-03": _s("der Abstand der SGB-II-Quoten (ausländisch zu deutsch)"),
    "WOH-01": _s("der Dissimilaritätsindex von Ausländern und Deutschen"),
    "WOH-02": _s("der Lokationsquotient des Ausländeranteils"),
    "WOH-03": _s("der Dissimilaritätsindex nach Migrationshintergrund"),
    "WOH-04": _s("der Dissimilaritätsindex der SGB-II-Leistungsberechtigten"),
    "IKO-01": _s("der Anteil mit Migrationshintergrund in der Stadtverwaltung"),
    "IKO-02": _s("der Repräsentationsindex in der Stadtverwaltung"),
    "PAR-01": _s("die Wahlbeteiligung bei der Integrationsratswahl"),
    "PAR-02": _s("die Zahl der Engagierten in der Integrationsarbeit"),
    "PAR-03": _s("der Anteil der Befragten"),
}

#: Subjects of single groups where "subject (group)" would not read well.
GROUP_SUBJECTS: dict[tuple[str, str], Subject] = {
    ("FLU-01", "asylverfahren"): _s("die Zahl der Personen im Asylverfahren"),
    ("FLU-01", "folgeverfahren"): _s("die Zahl der Personen im Folgeverfahren"),
    ("FLU-01", "duldung"): _s("die Zahl der Personen mit Duldung"),
    ("FLU-05", "zuweisung"): _s("die Zahl der zugewiesenen Geflüchteten"),
    ("FLU-05", "familiennachzug"): _s("die Zahl der Zuzüge im Familiennachzug"),
    ("FLU-05", "eu"): _s("die Zahl der Zuzüge aus der EU"),
    ("FLU-05", "sonstige"): _s("die Zahl der Zuzüge auf sonstigen Wegen"),
    ("DEM-01", "deutsch"): _s("die Zahl der deutschen Einwohnerinnen und Einwohner"),
    ("DEM-01", "auslaendisch"): _s("die Zahl der Ausländerinnen und Ausländer"),
    ("PAR-02", "ehrenamtliche"): _s("die Zahl der Ehrenamtlichen in der Integrationsarbeit"),
    ("PAR-02", "mso_registriert"): _s("die Zahl der registrierten Migrantenselbstorganisationen"),
    ("PAR-02", "mso_gefoerdert"): _s("die Zahl der geförderten Migrantenselbstorganisationen"),
}

_VERBS = {
    (True, False): "stieg",
    (True, True): "stiegen",
    (False, False): "sank",
    (False, True): "sanken",
}


def subject(ind: Indicator, group: str = TOTAL) -> Subject:
    """The grammatical subject of a sentence about an indicator value for a group."""
    if (ind.id, group) in GROUP_SUBJECTS:
        return GROUP_SUBJECTS[(ind.id, group)]
    base = SUBJECTS.get(ind.id) or _s(f"der Wert des Indikators „{ind.title}“")
    if group == TOTAL or ind.kind in ("gap_pp", "ratio") or list(ind.groups.labels) == [group]:
        return base
    return Subject(f"{base.text} ({group_label(group, ind)})", base.plural)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _dative(quantity: str) -> str:
    """The value after "von": "5,0 Prozentpunkte" -> "5,0 Prozentpunkten"."""
    return (
        quantity[: -len("Prozentpunkte")] + "Prozentpunkten"
        if quantity.endswith("Prozentpunkte")
        else quantity
    )


def _unsigned(text: str) -> str:
    return text.lstrip("+-")


def change_amount(ind: Indicator, value: float, before: float) -> str:
    """The amount of a change after "um": "0,7 Prozentpunkte", "330 Personen oder 10,2 %".

    ``""`` where an amount would not help the reader (indices, rates per 1.000).
    """
    shown = display_unit(ind.unit)
    diff = abs(value - before)
    if shown == "%":
        return _unsigned(fmt_quantity(diff, "Prozentpunkte"))
    if shown == "Prozentpunkte":
        return _unsigned(fmt_quantity(diff, "Prozentpunkte"))
    if shown in ("Personen", "Anzahl"):
        amount = fmt_quantity(diff, ind.unit)
        if before and not is_missing(before):
            pct = 100 * diff / abs(before)
            return f"{amount} oder {fmt_number(pct, 1)} %"
        return amount
    return ""


def change_sentence(
    ind: Indicator,
    group: str,
    value: float,
    before: float,
    period: str,
    previous: str,
) -> str:
    """One sentence on the change of a value since the previous period.

    "Die SGB-II-Quote sank von 14,9 % (2016) auf 14,2 % (2017), also um 0,7 Prozentpunkte."
    When both values look the same once rounded: "… blieb mit 15,5 % (2017) nahezu
    unverändert (2016: 15,5 %)."

    Parameters
    ----------
    ind : Indicator
        The catalogue entry.
    group : str
        Group code of the value.
    value, before : float
        The value of ``period`` and of ``previous`` (both published, not missing).
    period, previous : str
        The two reporting years.
    """
    subj = subject(ind, group)
    now = fmt_quantity(value, ind.unit)
    then = fmt_quantity(before, ind.unit)
    head = _capitalise(subj.text)
    if now == then or round(value, unit_decimals(ind.unit)) == round(
        before, unit_decimals(ind.unit)
    ):
        verb = "blieben" if subj.plural else "blieb"
        return f"{head} {verb} mit {now} ({period}) nahezu unverändert ({previous}: {then})."
    verb = _VERBS[(value > before, subj.plural)]
    text = f"{head} {verb} von {_dative(then)} ({previous}) auf {now} ({period})"
    amount = change_amount(ind, value, before)
    return text + (f", also um {amount}." if amount else ".")


def value_sentence(ind: Indicator, group: str, value_text: str, period: str) -> str:
    """A sentence stating one value: "Die SGB-II-Quote betrug 2017 14,2 %."

    ``value_text`` is the formatted value with its unit (or a table symbol).
    """
    subj = subject(ind, group)
    verb = "betrugen" if subj.plural else "betrug"
    return f"{_capitalise(subj.text)} {verb} {period} {value_text}."


__all__ = [
    "GROUP_SUBJECTS",
    "SUBJECTS",
    "Subject",
    "change_amount",
    "change_sentence",
    "subject",
    "value_sentence",
]
