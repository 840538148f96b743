"""The disclosure rule in German, for the methods page of the report."""

from __future__ import annotations

__all__ = ["describe_rule"]


def describe_rule(threshold: int = 3) -> str:
    """German Markdown text: what the disclosure control protects, against what, and its limits.

    Parameters
    ----------
    threshold : int, default 3
        The smallest published case number and the protection level.

    Returns
    -------
    str
        Markdown (paragraphs with bold lead-ins, no heading), ready for
        ``IPython.display.Markdown``.

    Examples
    --------
    >>> "kleiner als 3" in describe_rule(3)
    True
    """
    small = ", ".join(str(n) for n in range(1, threshold)) or "keine"
    return f"""\
**Was geschützt wird.** Fallzahlen, die größer als null und kleiner als {threshold} sind
(also {small}), werden nicht veröffentlicht, sondern durch einen Punkt (».«) ersetzt. Eine
Null wird als »–« gezeigt; sie ist nicht geheim. Quoten und Anteile, deren Nenner zu klein
ist, werden durch »/« ersetzt; mit ihnen entfallen auch Zähler und Nenner dieser Zeile.

**Gegen welchen Angriff.** Die Tabellen enthalten ihre eigenen Summen: Geschlechter ergeben
»insgesamt«, Staatsangehörigkeiten die Gesamtzahl, EU-Staaten die EU, Aufenthaltsstatus den
Nenner, Statistische Bezirke ihren Stadtbezirk und die Stadtbezirke die Stadt. Dieselbe
Fallzahl kann zudem unter mehreren Indikatoren erscheinen; sie wird an ihrer Definition
(Tabelle und Filter im Indikatorenkatalog) erkannt und überall gemeinsam gesperrt. Damit
eine gesperrte Zahl nicht aus diesen Summen zurückgerechnet werden kann, werden weitere
Zahlen gesperrt (sekundäre Geheimhaltung), bevorzugt solche, deren Fehlen am wenigsten
stört: Angaben kleiner Gebiete und feiner Gliederungen vor Werten der Gesamtstadt.

Geprüft wird das Ergebnis gegen einen Angreifer, der alles Veröffentlichte kennt, alle
Summenbeziehungen zwischen den Tabellen aufstellt, weiß, dass jede gesperrte Zahl mindestens
1 ist, und mit einem Optimierungsverfahren (lineare Programmierung) für jede gesperrte Zahl
den kleinsten und den größten möglichen Wert bestimmt. Eine Zahl gilt als geschützt, wenn
dieser Spielraum mindestens {threshold} beträgt und nicht ganz zwischen 1 und
{threshold - 1} liegt. Werte, die aus einer gesperrten Zahl berechnet werden (Anteile,
Quoten, Abstände in Prozentpunkten, Verhältnisse, Veränderungen, Repräsentationsindizes),
werden mit ihr gesperrt. Ob eine Zahl wegen ihrer Größe oder zum Schutz anderer Zahlen
gesperrt ist, ist nicht zu erkennen: Alle Sperrungen tragen dasselbe Zeichen.

**Grenzen.** Der Schutz gilt für die Beziehungen, die der Indikatorenkatalog beschreibt, und
für jedes Berichtsjahr. Nicht berücksichtigt sind Veröffentlichungen außerhalb dieses
Berichts (etwa Tabellen von IT.NRW oder der Bundesagentur für Arbeit, die dieselben
Personen anders gliedern), nichtlineare Zusammenhänge wie der Segregationsindex über viele
Statistische Bezirke und Vorwissen über einzelne Personen. Die Prüfung rechnet mit
stetigen Werten; ganzzahlige Lösungen können den Spielraum in Einzelfällen etwas enger
machen. Im Maßnahmenregister werden Teilnehmendenzahlen unter {threshold} gesperrt;
Budgets von Maßnahmen unterliegen keiner Geheimhaltung.
"""
