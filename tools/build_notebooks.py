"""Write the report chapter notebooks 00–07, 10 and 20 (stored without outputs).

The chapters are thin: narrative in Markdown, every number from a call of
:class:`bielefeld_integration.present.views.Chapter`. Edit a chapter here (or in JupyterLab,
then keep this script in step) and run ``.venv/bin/python tools/build_notebooks.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

OUT = Path(__file__).resolve().parents[1] / "notebooks"

PARAMS = [
    'period: str = "2019"  # Berichtsjahr, vier Ziffern',
    'data_dir: str = ""  # Ordner der aufbereiteten Daten; leer heißt Standard',
]
SETUP = "from bielefeld_integration.present.views import Chapter\n\nch = Chapter(period, data_dir)"


def md(text: str):
    return nbf.v4.new_markdown_cell(text.strip())


def code(text: str):
    return nbf.v4.new_code_cell(text.strip())


def notebook(stem: str, title: str, intro: str, body: list, *, params=PARAMS, setup=SETUP):
    nb = nbf.v4.new_notebook()
    p = code("\n".join(params))
    p.metadata["tags"] = ["parameters"]
    nb.cells = [md(f"# {title}\n\n{intro}"), p, code(setup), *body]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem[:12]}-{i:02d}"
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nbf.write(nb, OUT / f"{stem}.ipynb")


def trend(ind: str, title: str, name: str, groups: list[str] | None = None) -> object:
    g = f", groups={groups!r}" if groups else ""
    return code(f'ch.show_trend("{ind}"{g}, title="{title}", name="{name}")')


def districts(ind: str, title: str, name: str, group: str | None = None) -> object:
    g = f', group="{group}"' if group else ""
    return code(f'ch.show_districts("{ind}"{g}, title="{title}", name="{name}")')


def groups(ids: list[str], caption: str, name: str) -> object:
    return code(f'ch.show_group_table({ids!r}, caption="{caption}", name="{name}")')


def describe(ids: list[str]) -> object:
    return code(f"ch.show_description({ids!r})")


def main() -> None:
    notebook(
        "00_ueberblick",
        "Integrationsmonitoring Bielefeld – Überblick",
        "Der Bericht zeigt Stand und Entwicklung der Integration in Bielefeld anhand "
        "konkreter Indikatoren, wie es der Umsetzungsbericht zum Konzept »Diversität, "
        "Partizipation und Integration« fordert.",
        [
            code("ch.show_text(ch.provenance_note())"),
            md(
                "## Das Wichtigste in Kürze\n\nVeränderungen gegenüber dem Vorjahr "
                "(automatisch aus den Indikatorwerten formuliert):"
            ),
            code("ch.show_summary()"),
            md(
                "## Indikatoren auf einen Blick\n\nWert im Berichtsjahr, Vorjahreswert, "
                "Veränderung und – wo gesetzt – Zielwert. Die Zielwerte der Demokonfiguration "
                "sind illustrativ; der Rat hat noch keine Ziele beschlossen."
            ),
            code(
                'ch.show_dashboard(caption="Kennzahlen des Integrationsmonitorings", '
                'name="dashboard")'
            ),
            md("## Entwicklung"),
            trend("DEM-02", "Der Ausländeranteil steigt seit 2014", "auslaenderanteil"),
            trend(
                "FLU-01",
                "Asylverfahren, Folgeverfahren und Duldungen",
                "schutzsuchende",
                ["asylverfahren", "folgeverfahren", "duldung"],
            ),
        ],
    )
    notebook(
        "01_bevoelkerung",
        "Bevölkerung und Zuwanderung",
        "Einwohnerinnen und Einwohner nach Staatsangehörigkeit und Migrationshintergrund "
        "(Melderegister, MigraPro) und die Zu- und Fortzüge über die Stadtgrenze.",
        [
            md("## Ausländeranteil und Migrationshintergrund"),
            describe(["DEM-01", "DEM-02", "DEM-03"]),
            trend(
                "DEM-02", "Anteil der Einwohner ohne deutsche Staatsangehörigkeit", "dem02-verlauf"
            ),
            trend(
                "DEM-03",
                "Migrationshintergrund: persönlich und familiär",
                "dem03-verlauf",
                ["insgesamt", "persoenlich", "familiaer"],
            ),
            md("## Unterschiede zwischen den Stadtbezirken"),
            districts("DEM-02", "Ausländeranteil nach Stadtbezirken", "dem02-bezirke"),
            districts("DEM-03", "Migrationshintergrund nach Stadtbezirken", "dem03-bezirke"),
            md("## Staatsangehörigkeiten"),
            groups(["DEM-04"], "Ausländerinnen und Ausländer nach Staatsangehörigkeit", "dem04"),
            md("## Wanderungen und Aufenthaltsdauer"),
            describe(["DEM-05", "DEM-06"]),
            groups(["DEM-05", "DEM-06", "DEM-08"], "Wanderungen und Aufenthaltsdauer", "dem-wand"),
        ],
    )
    notebook(
        "02_gefluechtete",
        "Geflüchtete und Aufenthalt",
        "Schutzsuchende nach Verfahrensstand, Zuweisungen und Familiennachzug, "
        "Aufenthaltsstatus und Einbürgerungen.",
        [
            md(
                "## Eckwerte\n\nDie Kennzahlen, über die der Umsetzungsbericht 2016–2017 berichtet hat, "
                "für das Berichtsjahr:"
            ),
            code("ch.show_text(ch.refugee_key_figures())"),
            md("## Schutzsuchende nach Verfahrensstand (Ausländerbehörde)"),
            describe(["FLU-01"]),
            groups(
                ["FLU-01"], "Personen im Asylverfahren, im Folgeverfahren und mit Duldung", "flu01"
            ),
            trend(
                "FLU-01",
                "Asylverfahren gehen nach 2016 zurück",
                "flu01-verlauf",
                ["asylverfahren", "folgeverfahren", "duldung"],
            ),
            groups(["FLU-04"], "Schutzsuchende nach Schutzstatus (Statistik 12531)", "flu04"),
            md("## Zugänge: Zuweisung, Familiennachzug, EU"),
            describe(["FLU-02", "FLU-05"]),
            groups(["FLU-02", "FLU-05"], "Zugänge nach Zugangsweg", "zugaenge"),
            trend("FLU-05", "Zugänge nach Zugangsweg", "flu05-verlauf"),
            md("## Unterbringung"),
            groups(["FLU-03"], "Unterbringung Geflüchteter", "flu03"),
            md("## Aufenthaltsstatus und Einbürgerung"),
            describe(["REC-01", "REC-03"]),
            groups(
                ["REC-01", "REC-02", "REC-03", "REC-04"],
                "Aufenthaltsstatus und Einbürgerung",
                "rec",
            ),
            trend("REC-03", "Einbürgerungsquote I", "rec03-verlauf"),
        ],
    )
    notebook(
        "03_fruehe_bildung",
        "Frühe Bildung und Sprache",
        "Betreuungsquoten in Kindertageseinrichtungen und -pflege (KJH-Statistik, 01.03.) "
        "und Befunde der Schuleingangsuntersuchung.",
        [
            md("## Betreuungsquoten"),
            describe(["KITA-01", "KITA-02"]),
            groups(
                ["KITA-01", "KITA-02", "KITA-03", "KITA-04", "KITA-05"],
                "Kindertagesbetreuung nach Migrationshintergrund",
                "kita",
            ),
            trend(
                "KITA-01",
                "Kinder mit Migrationshintergrund seltener in der U3-Betreuung",
                "kita01-verlauf",
                ["mit", "ohne"],
            ),
            districts(
                "KITA-02",
                "Betreuungsquote 3 bis unter 6 Jahre nach Stadtbezirken",
                "kita02-bezirke",
            ),
            md("## Sprachstand bei der Einschulung"),
            describe(["SPR-01", "SPR-02"]),
            groups(["SPR-01", "SPR-02", "SPR-05"], "Schuleingangsuntersuchung", "spr"),
            districts("SPR-01", "Sprachförderbedarf nach Stadtbezirken", "spr01-bezirke"),
            md("## Integrationskurse"),
            groups(["SPR-03", "SPR-04"], "Integrationskurse", "kurse"),
        ],
    )
    notebook(
        "04_schule",
        "Schule und Ausbildung",
        "Übergänge, Schulabschlüsse und neu zugewanderte Schülerinnen und Schüler; "
        "Ausbildungsbeteiligung.",
        [
            md("## Schulabschlüsse"),
            describe(["SCH-02", "SCH-03"]),
            groups(
                ["SCH-01", "SCH-02", "SCH-03", "SCH-06"], "Schule nach Staatsangehörigkeit", "sch"
            ),
            trend(
                "SCH-03",
                "Allgemeine Hochschulreife: großer Abstand bleibt",
                "sch03-verlauf",
                ["deutsch", "auslaendisch"],
            ),
            md("## Neu zugewanderte Schülerinnen und Schüler"),
            describe(["SCH-04"]),
            groups(["SCH-04", "SCH-05"], "Seiteneinsteigerinnen und Seiteneinsteiger", "sch04"),
            trend("SCH-04", "Neu zugewanderte Schüler nach Schulstufe", "sch04-verlauf"),
            md("## Ausbildung"),
            groups(["AUS-01", "AUS-02"], "Ausbildungsbeteiligung", "aus"),
        ],
    )
    notebook(
        "05_arbeit",
        "Arbeit und Lebensunterhalt",
        "Beschäftigung, Arbeitslosigkeit und Grundsicherung nach Staatsangehörigkeit "
        "(Bundesagentur für Arbeit).",
        [
            md("## Beschäftigung"),
            describe(["ARB-01"]),
            groups(
                ["ARB-01", "ARB-04", "ARB-06"], "Beschäftigung nach Staatsangehörigkeit", "arb-b"
            ),
            trend(
                "ARB-01",
                "Beschäftigungsquote nach Staatsangehörigkeit",
                "arb01-verlauf",
                ["deutsch", "auslaendisch"],
            ),
            md("## Arbeitslosigkeit"),
            groups(["ARB-02", "ARB-03", "ARB-05", "ARB-07", "ARB-08"], "Arbeitslosigkeit", "arb-a"),
            districts("ARB-02", "Arbeitslosenanteil nach Stadtbezirken", "arb02-bezirke"),
            md("## Grundsicherung (SGB II)"),
            describe(["SOZ-01"]),
            groups(["SOZ-01", "SOZ-02", "SOZ-03"], "SGB II nach Staatsangehörigkeit", "soz"),
            districts("SOZ-01", "SGB-II-Quote nach Stadtbezirken", "soz01-bezirke"),
        ],
    )
    notebook(
        "06_wohnen",
        "Wohnen und Quartier",
        "Räumliche Verteilung und Segregation über die 72 Statistischen Bezirke, "
        "Unterbringung Geflüchteter.",
        [
            md("## Segregation"),
            describe(["WOH-01", "WOH-02"]),
            groups(
                ["WOH-01", "WOH-02", "WOH-03", "WOH-04"], "Segregation und Konzentration", "woh"
            ),
            trend("WOH-01", "Dissimilaritätsindex Ausländer/Deutsche", "woh01-verlauf"),
            md("## Verteilung über die Stadtbezirke"),
            districts("DEM-02", "Ausländeranteil nach Stadtbezirken", "dem02-bezirke"),
            md("## Unterbringung Geflüchteter"),
            districts("FLU-03", "Unterbringung nach Stadtbezirken", "flu03-bezirke"),
        ],
    )
    notebook(
        "07_teilhabe",
        "Teilhabe und interkulturelle Öffnung",
        "Interkulturelle Öffnung der Stadtverwaltung, Integrationsrat und Engagement.",
        [
            md("## Interkulturelle Öffnung der Verwaltung"),
            describe(["IKO-01", "IKO-02"]),
            groups(["IKO-01", "IKO-02"], "Beschäftigte der Stadtverwaltung", "iko"),
            trend("IKO-01", "Mehr Auszubildende mit Migrationshintergrund", "iko01-verlauf"),
            md(
                "## Integrationsrat und Engagement\n\nDer Integrationsrat wird mit den "
                "Kommunalwahlen gewählt (2014, 2020); in den Jahren dazwischen gibt es keinen Wert."
            ),
            describe(["PAR-01", "PAR-02"]),
            groups(["PAR-01", "PAR-02"], "Teilhabe", "par"),
        ],
    )
    notebook(
        "10_methoden",
        "Methoden und Quellen",
        "Definitionen, Quellen, Stichtage, Zeichen, Geheimhaltung und Herkunft der Daten.",
        [
            md(
                "## Zeichenerklärung (DIN 55301)\n\n"
                "| Zeichen | Bedeutung |\n|---|---|\n| `-` | genau null |\n"
                "| `.` | Zahlenwert unbekannt oder geheim zu halten |\n"
                "| `/` | keine Angabe, da Zahlenwert nicht sicher genug |\n"
                "| `x` | Tabellenfach gesperrt, weil Aussage nicht sinnvoll |\n"
                "| `...` | Angabe fällt später an |"
            ),
            md(
                "## Geheimhaltung\n\nFallzahlen von 1 und 2 werden nicht veröffentlicht (`.`); "
                "in Tabellen mit Summen werden weitere Felder gesperrt, damit sich kein "
                "gesperrter Wert aus den übrigen errechnen lässt (sekundäre Geheimhaltung). "
                "Quoten, deren Nenner unter der Mindestfallzahl des Indikators liegt, erscheinen "
                "als `/`. Budgets von Maßnahmen unterliegen keiner Geheimhaltung."
            ),
            md("## Indikatorenkatalog"),
            code(
                'ch.show_table_of(ch.catalogue_table(), caption="Indikatorenkatalog", '
                'name="katalog")'
            ),
            md("## Eingangsdaten dieses Berichtsjahres"),
            code("ch.show_text(ch.provenance_note())"),
            code(
                'ch.show_table_of(ch.provenance_table(), caption="Lieferungen mit Prüfsummen", '
                'name="lieferungen")'
            ),
        ],
    )
    notebook(
        "20_bezirksprofil",
        "Bezirksprofil",
        "Kennzahlen eines Stadtbezirks im Vergleich zur Gesamtstadt.",
        [
            code('ch.show_text(f"## {ch.area_name}")'),
            code(
                'ch.show_table_of(ch.district_profile(), caption=f"{ch.area_name} und Stadt '
                'Bielefeld", name="profil")'
            ),
            md("## Der Bezirk im Vergleich"),
            districts("DEM-02", "Ausländeranteil nach Stadtbezirken", "dem02-bezirke"),
            districts("SOZ-01", "SGB-II-Quote nach Stadtbezirken", "soz01-bezirke"),
            md("## Statistische Bezirke"),
            code(
                'ch.show_table_of(ch.stat_bezirk_table("DEM-02"), caption="Ausländeranteil in '
                'den Statistischen Bezirken", name="statbez")'
            ),
        ],
        params=[*PARAMS[:1], 'district: str = "01"  # Stadtbezirk, Schlüssel 01 bis 10', PARAMS[1]],
        setup="from bielefeld_integration.present.views import Chapter\n\n"
        "ch = Chapter(period, data_dir, district)",
    )


if __name__ == "__main__":
    main()
