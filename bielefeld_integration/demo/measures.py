"""Demo measures register (``massnahmen.csv``) for 2017–2019.

The register starts with the first implementation report (Stand 30.06.2017); later
periods carry the measures forward with Stand 30.06. of their year: planned measures
start, some end (status ``abgeschlossen``/``eingestellt`` in the year they end, dropped
from the register the year after), a few new ones are added. Titles, bodies and funding
follow the kinds of offers listed in the report; participant counts, budgets and dates are
synthetic. Output is deterministic (variation only from :func:`..world.rng`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from bielefeld_integration.demo import SYNTHETIC_NOTE, Delivery
from bielefeld_integration.demo.world import rng
from bielefeld_integration.measures import BODY_TYPES, COLUMNS, FIELDS, ORIGINS, register_csv

YEARS = [2017, 2018, 2019]
FILE = "massnahmen.csv"

KI = "Kommunales Integrationszentrum (KI)"
JUGENDAMT = "Amt für Jugend und Familie – Jugendamt"
SCHULAMT = "Amt für Schule"
GESUNDHEITSAMT = "Gesundheitsamt"
SOZIALAMT = "Amt für soziale Leistungen – Sozialamt"
BUERGERAMT = "Bürgeramt"
VHS = "Volkshochschule Bielefeld"
BIBLIOTHEK = "Stadtbibliothek Bielefeld"
KULTURAMT = "Kulturamt"
SPORTAMT = "Sportamt"
PERSONALAMT = "Personalamt"
BAUAMT = "Bauamt – Stadterneuerung"
REGE = "REGE mbH"
JOBCENTER = "Jobcenter Arbeitplus Bielefeld"

_S, _R, _J, _G = BODY_TYPES  # städtisch, REGE mbH, Jobcenter, kommunal gefördert


@dataclass(frozen=True)
class _M:
    """One demo measure and its life cycle over the register years."""

    id: str
    title: str
    description: str
    body: str
    body_type: str
    field: int  # 1..6, position in FIELDS
    goals: str
    groups: str
    new: bool  # neu initiiert (True) or im Konzept benannt
    start: str
    participants: int | tuple[int | None, ...] | None
    budget: float | None
    funding: str
    indicators: str = ""
    trend: float = 1.0
    first: int = 2017  # first register year
    end: str = ""  # planned end, shown while running
    ended: tuple[str, str, int] | None = None  # (status, end date, register year)


_MEASURES: list[_M] = [
    # 1 Betreuung/Erziehung/Bildung -------------------------------------------------------
    _M("HF1-01", "Rucksack KiTa – Elternbildung und Sprachförderung",
       "Mütter und Väter werden als Elternbegleiterinnen geschult und fördern die "
       "Erstsprache und Deutsch ihrer Kinder in Kitas.",
       KI, _S, 1, "1,2,4", "Eltern, Kinder, Frauen und Mädchen", False, "08.2010",
       175, 38_000, "Land NRW, Stadt", "SPR-01, KITA-02", trend=1.04),
    _M("HF1-02", "Griffbereit – mehrsprachige Eltern-Kind-Gruppen",
       "Wöchentliche Gruppen für Eltern mit Kindern unter drei Jahren in Familienzentren.",
       KI, _S, 1, "1,4", "Eltern, Kinder", False, "01.02.2012",
       118, 22_500, "Land NRW, Stadt", "KITA-01", trend=1.05),
    _M("HF1-03", "Sprach-Kitas: alltagsintegrierte sprachliche Bildung",
       "Zusätzliche Fachkräfte für sprachliche Bildung und Zusammenarbeit mit Familien in "
       "Kitas mit hohem Anteil von Kindern mit Sprachförderbedarf.",
       JUGENDAMT, _S, 1, "1,2", "Kinder, Fachkräfte in Einrichtungen", False, "01.01.2016",
       2_380, 610_000, "Bund", "KITA-03, SPR-01", trend=1.03),
    _M("HF1-04", "Brückenprojekte – Kita-Einstieg für Kinder aus geflüchteten Familien",
       "Niedrigschwellige Spielgruppen in und nahe Unterkünften als Übergang in die Kita.",
       JUGENDAMT, _S, 1, "1,2", "Geflüchtete, Kinder, Eltern", True, "09.2016",
       164, 95_000, "Bund, Stadt", "KITA-01, KITA-02", trend=0.85,
       end="12.2018", ended=("abgeschlossen", "31.12.2018", 2019)),
    _M("HF1-05", "Kita-Platzberatung für neu zugewanderte Familien",
       "Beratung zur Anmeldung im Kita-Navigator und Begleitung zum ersten Kita-Besuch.",
       JUGENDAMT, _S, 1, "2", "Neuzugewanderte, Eltern", True, "03.2016",
       312, None, "Stadt", "KITA-02", trend=1.02),
    _M("HF1-06", "Schulberatung für neu zugewanderte Schülerinnen und Schüler",
       "Erstberatung, Sprachstandsfeststellung und Zuweisung in Seiteneinstiegsklassen "
       "durch das KI.",
       KI, _S, 1, "1,2", "Neuzugewanderte, Kinder, Jugendliche", False, "08.2013",
       642, 180_000, "Land NRW, Stadt", "SCH-04", trend=0.9),
    _M("HF1-07", "Internationale Förderklassen und Sprachfördergruppen im Seiteneinstieg",
       "Ausbau der Plätze für Seiteneinsteigerinnen und Seiteneinsteiger an Grund-, "
       "weiterführenden Schulen und Berufskollegs.",
       SCHULAMT, _S, 1, "1", "Neuzugewanderte, Jugendliche", True, "08.2015",
       815, 240_000, "Land NRW, Stadt", "SCH-04, SCH-02", trend=0.92),
    _M("HF1-08", "Herkunftssprachlicher Unterricht – Koordination und Elterninformation",
       "Mehrsprachige Information der Eltern und Abstimmung der Unterrichtsangebote.",
       SCHULAMT, _S, 1, "1,2", "Kinder, Jugendliche, Eltern", False, "08.2011",
       1_910, 12_000, "Land NRW", "", trend=1.01),
    _M("HF1-09", "Schulsozialarbeit an Schulen mit vielen neu zugewanderten Kindern",
       "Zusätzliche Stellen der Schulsozialarbeit an Grundschulen in Baumheide, Sieker und "
       "Sennestadt.",
       SCHULAMT, _S, 1, "2,3", "Kinder, Familien", True, "02.2016",
       1_140, 420_000, "Stadt, Land NRW", "SCH-02", trend=1.02),
    _M("HF1-10", "Bildungspatenschaften für neu zugewanderte Kinder",
       "Ehrenamtliche Patinnen und Paten begleiten Kinder bei Hausaufgaben und Freizeit.",
       "Freiwilligenagentur Bielefeld", _G, 1, "1,3", "Kinder, Ehrenamtliche", True,
       "04.2016", 46, 9_500, "Stadt", "PAR-02", trend=0.95),
    _M("HF1-11", "Ferienschule Deutsch für Seiteneinsteigerinnen und Seiteneinsteiger",
       "Zweiwöchige Sprachcamps in den Sommerferien mit Lehramtsstudierenden.",
       KI, _S, 1, "1", "Neuzugewanderte, Kinder, Jugendliche", True, "07.2016",
       96, 18_400, "Stadt, Stiftungen", "SCH-04", trend=0.95),
    _M("HF1-12", "Kein Abschluss ohne Anschluss – kultursensible Berufsorientierung",
       "Potenzialanalysen und Berufsfelderkundungen mit Elternabenden in mehreren Sprachen.",
       SCHULAMT, _S, 1, "1,2", "Jugendliche, Eltern", False, "08.2014",
       3_120, 85_000, "Land NRW, Stadt", "AUS-01, SCH-02", trend=1.01),
    _M("HF1-13", "Elterncafés an Grundschulen",
       "Offene Treffpunkte für Eltern mit Information zum Schulsystem und Sprachangebot.",
       "AWO Kreisverband Bielefeld", _G, 1, "2,4", "Eltern, Frauen und Mädchen", False,
       "09.2012", 214, 24_000, "Stadt", "", trend=1.03),
    _M("HF1-14", "Interkulturelle sozialpädagogische Familienhilfe",
       "Familienhilfe durch Fachkräfte mit Sprach- und Kulturkenntnissen der Familien.",
       JUGENDAMT, _S, 1, "2", "Familien", False, "01.2010",
       142, 510_000, "Stadt", "", trend=1.02),
    _M("HF1-15", "Clearing und Inobhutnahme unbegleiteter minderjähriger Ausländer",
       "Clearingverfahren, Unterbringung und Vormundschaft für unbegleitete Minderjährige.",
       JUGENDAMT, _S, 1, "2,3", "Geflüchtete, Jugendliche", True, "09.2015",
       262, 3_400_000, "Land NRW", "FLU-02", trend=0.75),
    _M("HF1-16", "Gastfamilien für unbegleitete minderjährige Geflüchtete",
       "Vermittlung und Begleitung von Pflegeverhältnissen in Gastfamilien.",
       JUGENDAMT, _S, 1, "2", "Geflüchtete, Jugendliche", True, "01.2016",
       (2, 4, 1), 6_200, "Stadt", ""),
    # 2 Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt ----------------------------------------
    _M("HF2-01", "Einwanderung gestalten NRW – Modellprojekt Bielefeld",
       "Fallmanagement für Neuzugewanderte über Rechtskreise hinweg; Erprobung einer "
       "verbindlichen Kooperation von Sozialdezernat, REGE mbH und KI.",
       REGE, _R, 2, "1,2", "Neuzugewanderte, Arbeitsuchende", True, "01.2017",
       84, 165_000, "Land NRW", "ARB-05, ARB-01", trend=1.4,
       end="12.2018", ended=("abgeschlossen", "31.12.2018", 2019)),
    _M("HF2-02", "Integration Point Bielefeld",
       "Gemeinsame Anlaufstelle von Agentur für Arbeit und Jobcenter für geflüchtete "
       "Menschen: Profiling, Beratung, Vermittlung in Sprachkurse und Arbeit.",
       JOBCENTER, _J, 2, "1,2", "Geflüchtete, Arbeitsuchende", True, "11.2015",
       2_790, 1_250_000, "Jobcenter, Agentur für Arbeit", "ARB-05, ARB-02", trend=0.93),
    _M("HF2-03", "Jugendberufsagentur Bielefeld",
       "Beratung junger Menschen unter 25 aus einer Hand; eigene Ansprechpersonen für "
       "neu zugewanderte Jugendliche.",
       JOBCENTER, _J, 2, "1", "Jugendliche, junge Erwachsene", False, "09.2016",
       1_460, 480_000, "Jobcenter, Agentur für Arbeit, Stadt", "AUS-01, ARB-02", trend=1.03),
    _M("HF2-04", "Berufsbezogene Deutschsprachförderung – Zugangssteuerung",
       "Zuweisung arbeitsuchender Zugewanderter in berufsbezogene Sprachkurse (DeuFöV).",
       JOBCENTER, _J, 2, "1", "Arbeitsuchende, Neuzugewanderte", True, "07.2016",
       618, None, "BAMF", "ARB-01", trend=1.08),
    _M("HF2-05", "Kompetenzfeststellung für Geflüchtete",
       "Praktische Erprobung beruflicher Kompetenzen in Werkstätten und Betrieben.",
       JOBCENTER, _J, 2, "1", "Geflüchtete, Arbeitsuchende", True, "05.2016",
       338, 210_000, "Agentur für Arbeit, Jobcenter", "ARB-05", trend=0.9),
    _M("HF2-06", "Anerkennungs- und Qualifizierungsberatung (Netzwerk IQ)",
       "Beratung zur Anerkennung ausländischer Berufs- und Studienabschlüsse.",
       REGE, _R, 2, "1", "Zugewanderte Fachkräfte", False, "03.2012",
       407, 96_000, "Bund, EU/ESF", "ARB-01", trend=1.05),
    _M("HF2-07", "Ausbildungsbegleitung für junge Geflüchtete",
       "Ehrenamtliche Ausbildungspatenschaften und sozialpädagogische Begleitung während der "
       "Ausbildung.",
       REGE, _R, 2, "1", "Geflüchtete, Jugendliche, junge Erwachsene", True, "10.2016",
       74, 58_000, "Land NRW, Stadt", "AUS-01", trend=1.2),
    _M("HF2-08", "Frauen in Arbeit – berufliche Orientierung für Migrantinnen",
       "Teilzeitqualifizierung mit Kinderbetreuung, Praktika und Bewerbungscoaching.",
       REGE, _R, 2, "1,4", "Frauen und Mädchen, Arbeitsuchende", False, "01.2014",
       57, 112_000, "EU/ESF, Jobcenter", "ARB-01", trend=1.06),
    _M("HF2-09", "Flüchtlingsintegrationsmaßnahmen (Arbeitsgelegenheiten)",
       "Arbeitsgelegenheiten für Asylsuchende in städtischen Einrichtungen mit Sprachanteil.",
       SOZIALAMT, _S, 2, "1", "Geflüchtete", True, "08.2016",
       188, 260_000, "Bund", "ARB-05", trend=0.6,
       ended=("eingestellt", "31.12.2018", 2019)),
    _M("HF2-10", "Gründungsberatung für Migrantinnen und Migranten",
       "Orientierungsberatung und Lotsendienst für Gründungen von Zugewanderten.",
       "WEGE mbH", _S, 2, "1", "Menschen mit Migrationshintergrund", False, "06.2013",
       44, 15_000, "Stadt", "", trend=1.05),
    _M("HF2-11", "Interkulturelles Fallmanagement im Jobcenter",
       "Integrationsfachkräfte mit Sprachkompetenzen und Fortbildung in interkultureller "
       "Beratung.",
       JOBCENTER, _J, 2, "2", "Arbeitsuchende, Menschen mit Migrationshintergrund", False,
       "01.2012", None, None, "Jobcenter", "SOZ-01"),
    _M("HF2-12", "Produktionsschule für zugewanderte Jugendliche",
       "Einjährige Qualifizierung in Werkstätten mit Sprachförderung und Schulabschlusskurs.",
       REGE, _R, 2, "1,3", "Jugendliche, Neuzugewanderte", True, "01.08.2017",
       (None, 36, 41), 145_000, "Land NRW, EU/ESF", "AUS-01"),
    _M("HF2-13", "Beschäftigungsorientierte Beratung für EU-Zugewanderte",
       "Aufsuchende Beratung zu Arbeitsrecht, Anerkennung und Leistungsansprüchen.",
       REGE, _R, 2, "1,3", "EU-Zugewanderte", True, "03.2017",
       126, 74_000, "EU/ESF, Stadt", "ARB-02, SOZ-01", trend=1.15),
    # 3 Kultur/Freizeit/Sport/Erwachsenenbildung --------------------------------------------
    _M("HF3-01", "Integrationskurse der Volkshochschule",
       "Allgemeine Integrationskurse, Jugend-, Eltern- und Frauenkurse nach der "
       "Integrationskursverordnung.",
       VHS, _S, 3, "1", "Neuzugewanderte", False, "01.2005",
       1_260, 1_900_000, "BAMF", "", trend=0.92),
    _M("HF3-02", "Deutschkurse für Geflüchtete ohne Zugang zum Integrationskurs",
       "Niedrigschwellige Deutschkurse für Asylsuchende ohne gute Bleibeperspektive.",
       VHS, _S, 3, "1,3", "Geflüchtete", True, "10.2015",
       482, 160_000, "Land NRW, Stadt", "", trend=0.8),
    _M("HF3-03", "Frauenkurse mit Kinderbetreuung",
       "Deutsch- und Orientierungskurse für Frauen mit paralleler Kinderbetreuung.",
       VHS, _S, 3, "1,4", "Frauen und Mädchen, Eltern", False, "09.2008",
       158, 68_000, "BAMF, Stadt", "", trend=1.02),
    _M("HF3-04", "Alphabetisierungskurse",
       "Alphabetisierung in Deutsch für Erwachsene, auch in lateinischer Zweitschrift.",
       VHS, _S, 3, "1", "Neuzugewanderte", False, "01.2009",
       212, 240_000, "BAMF, Land NRW", "", trend=0.97),
    _M("HF3-05", "Sprachcafés und mehrsprachiger Medienbestand",
       "Wöchentliche Sprachcafés mit Ehrenamtlichen, Medien in 20 Sprachen.",
       BIBLIOTHEK, _S, 3, "1,2", "alle", True, "02.2016",
       2_310, 21_000, "Stadt", "", trend=1.04),
    _M("HF3-06", "Integration durch Sport",
       "Sportangebote in Vereinen für Kinder, Jugendliche und Geflüchtete; Übungsleitungen "
       "mit Migrationshintergrund.",
       SPORTAMT, _S, 3, "1,3", "Kinder, Jugendliche, Geflüchtete", False, "01.2011",
       688, 46_000, "Land NRW, Stadt", "PAR-02", trend=1.03),
    _M("HF3-07", "Schwimmkurse für Frauen und Mädchen",
       "Schwimmkurse mit weiblichem Personal zu geschützten Zeiten.",
       SPORTAMT, _S, 3, "3,4", "Frauen und Mädchen", True, "04.2016",
       47, 8_412.5, "Stadt", "", trend=1.05),
    _M("HF3-08", "Kulturrucksack NRW – interkulturelle Angebote",
       "Kostenlose Kulturangebote für 10- bis 14-Jährige, auch in Unterkünften.",
       KULTURAMT, _S, 3, "1,2", "Kinder, Jugendliche", False, "01.2013",
       905, 52_000, "Land NRW", "", trend=1.0),
    _M("HF3-09", "Carnival der Kulturen",
       "Förderung des jährlichen Umzugs und der Vorbereitung durch Gruppen aus vielen "
       "Herkunftsländern.",
       KULTURAMT, _S, 3, "1,3", "alle", False, "01.1997",
       None, 60_000, "Stadt", "PAR-02"),
    _M("HF3-10", "Museumsbesuche mit Kulturlotsinnen und Kulturlotsen",
       "Führungen in mehreren Sprachen, geleitet von geschulten Zugewanderten.",
       "Historisches Museum Bielefeld", _S, 3, "1,2", "Neuzugewanderte", True, "10.2016",
       138, 7_500, "Stadt", "", trend=1.1),
    _M("HF3-11", "Interkultureller Mädchentreff",
       "Offener Treff mit Beratung, Bildungs- und Freizeitangeboten für Mädchen.",
       "Mädchenhaus Bielefeld e.V.", _G, 3, "3,4", "Frauen und Mädchen, Jugendliche", False,
       "01.2009", 131, 42_000, "Stadt", "", trend=1.02),
    _M("HF3-12", "Offene Kinder- und Jugendarbeit in Gemeinschaftsunterkünften",
       "Spiel-, Sport- und Lernangebote der Jugendfreizeiteinrichtungen in den Unterkünften.",
       JUGENDAMT, _S, 3, "2,3", "Kinder, Jugendliche, Geflüchtete", True, "03.2016",
       384, 88_000, "Stadt", "FLU-03", trend=0.6,
       ended=("abgeschlossen", "31.03.2018", 2018)),
    # 4 Gesundheit/besondere Lebenslagen -----------------------------------------------------
    _M("HF4-01", "Gesundheitliche Erstversorgung Geflüchteter",
       "Erstuntersuchung, Impfangebote und Sprechstunden in Unterkünften.",
       GESUNDHEITSAMT, _S, 4, "2", "Geflüchtete", True, "09.2015",
       1_080, 310_000, "Land NRW, Stadt", "", trend=0.7),
    _M("HF4-02", "Psychosoziale Beratung für traumatisierte Geflüchtete",
       "Clearing, Beratung und Vermittlung in Therapie mit Sprachmittlung.",
       "Psychosoziales Zentrum für Flüchtlinge (Diakonie für Bielefeld)", _G, 4, "2,3",
       "Geflüchtete", True, "06.2016", 172, 90_000, "Stadt, Land NRW", "", trend=1.1),
    _M("HF4-03", "Sprachmittlung in der Gesundheitsversorgung",
       "Einsatz qualifizierter Sprach- und Kulturmittlerinnen und -mittler in Beratung und "
       "Untersuchung des Gesundheitsamts.",
       GESUNDHEITSAMT, _S, 4, "2,3", "Neuzugewanderte", True, "01.2016",
       None, 35_000, "Stadt", ""),
    _M("HF4-04", "Mit Migranten für Migranten – mehrsprachige Gesundheitslotsen",
       "Geschulte Lotsinnen und Lotsen informieren in ihren Communities zu Gesundheitsthemen.",
       GESUNDHEITSAMT, _S, 4, "1,2", "Menschen mit Migrationshintergrund", False, "01.2010",
       518, 18_000, "Land NRW", "", trend=1.03),
    _M("HF4-05", "Familienhebammen für geflüchtete Familien (Frühe Hilfen)",
       "Aufsuchende Begleitung von Schwangeren und Familien mit Säuglingen.",
       JUGENDAMT, _S, 4, "2,4", "Familien, Frauen und Mädchen, Geflüchtete", True, "04.2016",
       86, 64_000, "Bund", "", trend=1.0),
    _M("HF4-06", "Gewaltschutzkonzept für Frauen und Kinder in Unterkünften",
       "Mindeststandards, Schulung des Personals und Rückzugsräume in allen Unterkünften.",
       SOZIALAMT, _S, 4, "3,4", "Frauen und Mädchen, Kinder, Geflüchtete", True, "07.2016",
       None, 25_000, "Stadt", ""),
    _M("HF4-07", "Beratung bei Zwangsverheiratung und Menschenhandel",
       "Spezialisierte Beratung und Krisenunterbringung betroffener Frauen.",
       "Frauenberatungsstelle Bielefeld e.V.", _G, 4, "3,4", "Frauen und Mädchen", False,
       "01.2012", (2, 1, 4), 31_000, "Stadt, Land NRW", ""),
    _M("HF4-08", "Kultursensible Suchtberatung",
       "Beratung in Russisch, Türkisch und Arabisch, aufsuchende Arbeit.",
       "Drogenberatung e.V. Bielefeld", _G, 4, "2", "Menschen mit Migrationshintergrund",
       False, "01.2011", 94, 39_000, "Stadt", "", trend=1.02),
    _M("HF4-09", "Interkulturelle Seniorenberatung",
       "Beratung älterer Zugewanderter zu Pflege und Leistungen, mehrsprachige "
       "Seniorennachmittage.",
       SOZIALAMT, _S, 4, "2", "Seniorinnen und Senioren, Menschen mit Migrationshintergrund",
       False, "01.2014", 228, 22_000, "Stadt", "", trend=1.05),
    _M("HF4-10", "Clearingstelle Gesundheit für Menschen ohne Krankenversicherung",
       "Klärung des Versicherungsstatus und Vermittlung in Versorgung, vor allem für "
       "EU-Zugewanderte.",
       "Caritasverband Bielefeld", _G, 4, "2,3", "EU-Zugewanderte", True, "04.2017",
       58, 48_000, "Stadt", "", trend=1.25),
    _M("HF4-11", "Einzelfallhilfe für Geflüchtete mit Behinderung",
       "Begleitung zu Leistungsträgern und Hilfsmitteln, Vermittlung barrierefreien "
       "Wohnraums.",
       "DRK-Kreisverband Bielefeld", _G, 4, "2,3", "Geflüchtete, Menschen mit Behinderung",
       True, "02.2017", (2, 5, 2), 7_800, "Stadt", ""),
    # 5 Soziales Umfeld/Wohnen/Stadtentwicklung ----------------------------------------------
    _M("HF5-01", "Unterbringung und soziale Betreuung in Übergangswohnheimen",
       "Betrieb der städtischen Unterkünfte mit Sozialarbeit und Hausverwaltung.",
       SOZIALAMT, _S, 5, "2", "Geflüchtete", False, "01.2000",
       1_920, 9_800_000, "Land NRW, Stadt", "FLU-03, FLU-01", trend=0.78),
    _M("HF5-02", "Auszugsmanagement – Vermittlung Geflüchteter in Wohnungen",
       "Wohnungssuche, Mietvertragsbegleitung und Nachbetreuung nach dem Auszug.",
       SOZIALAMT, _S, 5, "2,3", "Geflüchtete", True, "01.2016",
       636, 240_000, "Stadt", "FLU-03, WOH-01", trend=1.0),
    _M("HF5-03", "Wohnraum für Geflüchtete in Kooperation mit der BGW",
       "Kontingent von Wohnungen der städtischen Wohnungsgesellschaft für anerkannte "
       "Geflüchtete, verteilt über das Stadtgebiet.",
       "BGW Bielefelder Gemeinnützige Wohnungsgesellschaft", _S, 5, "2,3", "Geflüchtete",
       True, "06.2016", 308, None, "Stadt", "WOH-01", trend=1.05),
    _M("HF5-04", "Soziale Stadt Baumheide und Sennestadt – Quartiersmanagement",
       "Quartiersbüros, Verfügungsfonds und Beteiligung der Bewohnerschaft.",
       BAUAMT, _S, 5, "2,3", "alle", False, "01.2008",
       None, 520_000, "Bund, Land NRW, Stadt", "WOH-01"),
    _M("HF5-05", "Bielefeld integriert – Arbeitsprozess und Koordination",
       "Vernetzung von Verwaltung, Trägern und Ehrenamt in den Stadtbezirken; ab 2018 für "
       "alle unterstützungsbedürftigen Zugewanderten.",
       "Sozialdezernat", _S, 5, "1,2", "Geflüchtete, Ehrenamtliche", True, "10.2015",
       None, 80_000, "Stadt", "FLU-01, PAR-02"),
    _M("HF5-06", "Ehrenamtskoordination in Flüchtlingsunterkünften",
       "Gewinnung, Einsatzplanung und Begleitung Ehrenamtlicher in den Unterkünften.",
       "DRK-Kreisverband Bielefeld", _G, 5, "1,3", "Geflüchtete, Ehrenamtliche", True,
       "10.2015", 452, 55_000, "Stadt", "PAR-02", trend=0.7,
       ended=("eingestellt", "31.12.2017", 2018)),
    _M("HF5-07", "Migrationsberatung für erwachsene Zugewanderte",
       "Sozialberatung in den ersten Jahren nach der Einreise, ergänzend zum "
       "Integrationskurs.",
       "Caritasverband Bielefeld", _G, 5, "2", "Neuzugewanderte", False, "01.2005",
       896, 72_000, "Bund, Stadt", "FLU-01", trend=1.02),
    _M("HF5-08", "Beratung und Begleitung zugewanderter EU-Bürgerinnen und -Bürger",
       "Aufsuchende Beratung für Zugewanderte aus Südosteuropa zu Wohnen, Schule und "
       "Arbeit.",
       "Diakonie für Bielefeld", _G, 5, "2,3", "EU-Zugewanderte, Familien", True, "01.2016",
       377, 130_000, "EU/ESF, Stadt", "SOZ-01", trend=1.12),
    _M("HF5-09", "Nachbarschaftsprojekte in Stadtteilen mit hohem Zuzug",
       "Begegnungsangebote, Nachbarschaftsfeste und Stadtteilspaziergänge.",
       "AWO Kreisverband Bielefeld", _G, 5, "1,3", "alle", True, "05.2016",
       523, 36_000, "Stadt", "WOH-01", trend=1.0),
    _M("HF5-10", "Mietberatung für Neuzugewanderte",
       "Sprechstunden zu Mietrecht, Nebenkosten und Energiesparen in mehreren Sprachen.",
       "Mieterverein Bielefeld e.V.", _G, 5, "3", "Neuzugewanderte", True, "01.09.2017",
       (None, 164, 188), 14_000, "Stadt", ""),
    _M("HF5-11", "Freizug der Notunterkünfte in Turnhallen",
       "Verlegung der Bewohnerinnen und Bewohner in Übergangswohnheime und Rückgabe der "
       "Hallen an Schulen und Vereine.",
       SOZIALAMT, _S, 5, "2", "Geflüchtete", True, "10.2015",
       (212,), 420_000, "Land NRW, Stadt", "FLU-03",
       ended=("abgeschlossen", "31.03.2017", 2017)),
    # 6 Willkommenskultur/Interkulturelle Orientierung öffentlicher Institutionen -------------
    _M("HF6-01", "Fortbildungsprogramm interkulturelle Kompetenz",
       "Pflichtmodul für Führungskräfte und offene Seminare für Beschäftigte mit "
       "Publikumsverkehr.",
       PERSONALAMT, _S, 6, "2,3", "Beschäftigte der Stadtverwaltung", False, "01.2009",
       306, 28_000, "Stadt", "IKO-01", trend=1.05),
    _M("HF6-02", "Nachwuchsgewinnung: Ausbildung bei der Stadt für junge Menschen mit "
       "Migrationshintergrund",
       "Ausbildungsmessen, Praktika und Ansprache über Migrantenorganisationen.",
       PERSONALAMT, _S, 6, "1,2", "Jugendliche, Menschen mit Migrationshintergrund", False,
       "01.2010", None, 9_000, "Stadt", "IKO-01"),
    _M("HF6-03", "Willkommensmappe und mehrsprachiges Informationsportal",
       "Informationen zu Ämtern, Beratung und Sprachkursen in zwölf Sprachen.",
       KI, _S, 6, "2", "Neuzugewanderte", True, "03.2016",
       None, 16_500, "Stadt", ""),
    _M("HF6-04", "Servicecenter der Ausländerbehörde für Geflüchtete",
       "Terminvergabe, mehrsprachige Wartezonen und Beratung zu Aufenthaltsfragen.",
       BUERGERAMT, _S, 6, "2", "Geflüchtete", True, "02.2016",
       None, 140_000, "Stadt", "FLU-01",
       ended=("abgeschlossen", "31.12.2018", 2019)),
    _M("HF6-05", "Einbürgerungskampagne und Einbürgerungsfeier",
       "Information über die Voraussetzungen der Einbürgerung und jährliche Feier im Rathaus.",
       BUERGERAMT, _S, 6, "1", "Menschen mit Migrationshintergrund", False, "01.2013",
       461, 12_000, "Stadt", "REC-03", trend=1.04),
    _M("HF6-06", "Geschäftsführung des Integrationsrates und Wahlinformation",
       "Unterstützung des Integrationsrates; mehrsprachige Informationen zur "
       "Integrationsratswahl.",
       KI, _S, 6, "1", "Menschen mit Migrationshintergrund", False, "01.2010",
       None, 30_000, "Stadt", "PAR-01"),
    _M("HF6-07", "Förderung von Migrantenselbstorganisationen",
       "Zuschüsse, Qualifizierung und Vernetzung von Vereinen der Zugewanderten.",
       KI, _S, 6, "1,3", "Migrantenorganisationen", False, "01.2008",
       None, 45_000, "Land NRW, Stadt", "PAR-02"),
    _M("HF6-08", "Antidiskriminierungsberatung",
       "Beratung und Begleitung bei Diskriminierung, Dokumentation der Fälle.",
       "IBZ Friedenshaus e.V.", _G, 6, "3", "alle", False, "01.2012",
       108, 38_000, "Land NRW, Stadt", "", trend=1.12),
    _M("HF6-09", "Pool der Sprach- und Kulturmittlerinnen und -mittler",
       "Qualifizierte Laiendolmetschende für Ämter, Schulen und Kitas, Vermittlung über das "
       "KI.",
       KI, _S, 6, "2,3", "Neuzugewanderte, Fachkräfte in Einrichtungen", False, "01.2013",
       None, 85_000, "Stadt", "IKO-01"),
    _M("HF6-10", "Qualifizierung Ehrenamtlicher in der Flüchtlingshilfe",
       "Schulungsreihe zu Asylrecht, Trauma und interkultureller Kommunikation.",
       "Freiwilligenagentur Bielefeld", _G, 6, "1,3", "Ehrenamtliche", True, "11.2015",
       262, 14_000, "Stadt", "PAR-02", trend=0.85),
    _M("HF6-11", "Schule ohne Rassismus – Schule mit Courage: Netzwerkkoordination",
       "Regionale Koordination des Netzwerks und Projekttage an Schulen.",
       KI, _S, 6, "3", "Jugendliche", False, "01.2011",
       None, 6_000, "Land NRW", ""),
    _M("HF6-12", "Mehrsprachige Bürgerberatung im Bürgeramt",
       "Sprechzeiten mit Beschäftigten, die Türkisch, Russisch, Arabisch oder Polnisch "
       "sprechen.",
       BUERGERAMT, _S, 6, "2", "Neuzugewanderte", True, "01.10.2017",
       None, None, "Stadt", "IKO-01"),
    _M("HF6-13", "Mehrsprachige Informationen und Dolmetschdienst im Jobcenter",
       "Übersetzte Merkblätter und Telefondolmetschen in der Leistungsabteilung.",
       JOBCENTER, _J, 6, "2", "Geflüchtete, Neuzugewanderte", True, "04.2016",
       None, 70_000, "Jobcenter", "SOZ-01"),
    # --- new in 2018 ----------------------------------------------------------------------
    _M("HF1-17", "Kita-Einstieg: Brücken bauen in frühe Bildung",
       "Bundesprogramm: Koordinierungs- und Netzwerkstelle für Familien ohne Kita-Zugang.",
       JUGENDAMT, _S, 1, "1,2", "Kinder, Eltern, Neuzugewanderte", True, "01.2018",
       142, 150_000, "Bund", "KITA-01, KITA-02", trend=1.2, first=2018),
    _M("HF2-14", "Teilzeitausbildung für geflüchtete Frauen",
       "Ausbildung in Teilzeit mit Sprachförderung und Kinderbetreuung.",
       REGE, _R, 2, "1,4", "Frauen und Mädchen, Geflüchtete", True, "02.2018",
       (None, 2, 14), 62_000, "EU/ESF, Land NRW", "AUS-01", first=2018),
    _M("HF6-14", "Integrationsmonitoring der Stadt Bielefeld",
       "Indikatoren und Werte zu Stand und Fortschritt der Integration, jährlicher Bericht "
       "mit Statistikstelle.",
       KI, _S, 6, "1,2,3,4", "alle", True, "01.2018",
       None, 20_000, "Stadt", "DEM-02, REC-03, ARB-01, SOZ-01, WOH-01", first=2018),
    _M("HF5-12", "Kommunale Koordinierung Wohnen für Zugewanderte",
       "Runder Tisch mit Wohnungswirtschaft und Sozialamt gegen Diskriminierung auf dem "
       "Wohnungsmarkt.",
       SOZIALAMT, _S, 5, "3", "Neuzugewanderte, EU-Zugewanderte", True, "04.2018",
       None, 10_000, "Stadt", "WOH-01", first=2018),
    # --- new in 2019 ----------------------------------------------------------------------
    _M("HF2-15", "Coaching im Rahmen des Teilhabechancengesetzes (§ 16i SGB II)",
       "Ganzheitliches Coaching langzeitarbeitsloser Zugewanderter in geförderter "
       "Beschäftigung.",
       JOBCENTER, _J, 2, "1,3", "Arbeitsuchende, Menschen mit Migrationshintergrund", True,
       "01.2019", 118, 390_000, "Jobcenter, Bund", "ARB-01, SOZ-01", first=2019),
    _M("HF2-16", "Gemeinsam klappt's – Integrationschancen für junge volljährige Geflüchtete",
       "Landesinitiative: Teilhabemanagement für 18- bis 27-jährige Geduldete und "
       "Gestattete.",
       KI, _S, 2, "1", "Geflüchtete, junge Erwachsene", True, "02.2019",
       64, 120_000, "Land NRW", "AUS-01, ARB-05", first=2019),
    _M("HF3-13", "Digitale Lernangebote Deutsch in der Stadtbibliothek",
       "Lernplätze mit Sprachlernsoftware und begleitete Lernstunden.",
       BIBLIOTHEK, _S, 3, "1", "Neuzugewanderte", True, "09.2018",
       (None, None, 2), 4_500, "Stadt", "", first=2019),
    _M("HF6-15", "Netzwerk gegen Diskriminierung Bielefeld",
       "Zusammenschluss von Beratungsstellen, Verwaltung und Migrantenorganisationen mit "
       "gemeinsamer Fallstatistik.",
       KI, _S, 6, "3", "alle, Migrantenorganisationen", True, "03.2019",
       None, 15_000, "Land NRW, Stadt", "", first=2019),
    _M("HF4-12", "Gesundheitsorientierung für neu zugewanderte Frauen",
       "Kurse zu Vorsorge, Schwangerschaft und Gesundheitssystem mit Kinderbetreuung.",
       GESUNDHEITSAMT, _S, 4, "2,4", "Frauen und Mädchen, Neuzugewanderte", True,
       "01.09.2019", None, 18_000, "Stadt", "", first=2019),
]


def _date(text: str, *, end: bool = False) -> dt.date:
    parts = [int(p) for p in text.split(".")]
    if len(parts) == 3:
        return dt.date(parts[2], parts[1], parts[0])
    month, year = parts
    if not end:
        return dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _semicolon_list(text: str) -> str:
    """A comma-separated list of the table above as the register writes it.

    ``"Land NRW, Stadt"`` -> ``"Land NRW;Stadt"``; an empty text (or empty item) gives none.
    """
    return ";".join(p.strip() for p in text.split(",") if p.strip())


def _participants(m: _M, year: int, status: str) -> int | None:
    if status == "geplant" or m.participants is None:
        return None
    if isinstance(m.participants, tuple):
        idx = year - 2017
        return m.participants[idx] if idx < len(m.participants) else None
    noise = rng(f"massnahme-{m.id}-{year}").uniform(0.94, 1.06)
    return round(m.participants * m.trend ** (year - m.first) * noise)


def _budget(m: _M, year: int) -> float | None:
    if m.budget is None:
        return None
    if not float(m.budget).is_integer():
        return float(m.budget)
    grown = m.budget * 1.02 ** (year - m.first)
    return float(round(grown / 100) * 100) if m.budget >= 1_000 else float(round(grown))


def register(year: int) -> pd.DataFrame:
    """The demo register of ``year`` as a tidy frame (columns of ``measures.COLUMNS``).

    Parameters
    ----------
    year : int
        2017, 2018 or 2019.

    Returns
    -------
    pandas.DataFrame
        The register with Stand 30.06.``year``.
    """
    if year not in YEARS:
        raise ValueError(f"the demo register exists for {YEARS[0]}–{YEARS[-1]}, not {year}")
    as_of = dt.date(year, 6, 30)
    rows = []
    for m in _MEASURES:
        if year < m.first or (m.ended and year > m.ended[2]):
            continue
        start = _date(m.start)
        end_text = ""
        if m.ended and year == m.ended[2]:
            status, end_text = m.ended[0], m.ended[1]
        else:
            status = "geplant" if start > as_of else "laufend"
            end_text = m.end
        end = _date(end_text, end=True) if end_text else None
        rows.append({
            "measure_id": m.id,
            "title": m.title,
            "description": m.description,
            "body": m.body,
            "body_type": m.body_type,
            "field": FIELDS[m.field - 1],
            "goals": _semicolon_list(m.goals),
            "target_groups": _semicolon_list(m.groups),
            "origin": ORIGINS[1] if m.new else ORIGINS[0],
            "status": status,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            "as_of": as_of.isoformat(),
            "participants": _participants(m, year, status),
            "budget_eur": _budget(m, year),
            "funding": _semicolon_list(m.funding),
            "indicators": _semicolon_list(m.indicators),
        })
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["participants"] = pd.array(list(df["participants"]), dtype="Int64")
    df["budget_eur"] = df["budget_eur"].astype("float64")
    return df


def deliveries(year: int) -> list[Delivery]:
    """The register file of ``year`` (none before 2017)."""
    if year not in YEARS:
        return []
    text = register_csv(register(year), comment=SYNTHETIC_NOTE)
    return [
        Delivery(
            file=FILE,
            content=text.encode("utf-8"),
            format="csv",
            domain="measures",
            reference_date=f"{year}-06-30",
            origin="Kommunales Integrationszentrum Bielefeld: Maßnahmenregister zum "
            "Umsetzungsbericht (synthetisch)",
        )
    ]
