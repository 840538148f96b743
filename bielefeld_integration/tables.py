"""Canonical processed tables: columns, types, allowed codes (pandera schemas).

Every loader in :mod:`bielefeld_integration.sources` returns one of these tables and
:func:`validate` checks it before anything is written. All tables are *tidy*: one row per
combination of the key columns, counts in ``count`` (int64, never negative), area codes as
strings, and the real reference date of the figure in ``reference_date`` (ISO text).

The registry :data:`TABLES` is the single place that says which tables exist; the
indicator catalogue refers to these table and column names.

Size: about 250 lines are the registry :data:`TABLES` itself, one entry per processed table;
it stays in one place so that one file says which tables and columns exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE, STAT_BEZIRKE
from bielefeld_integration.measures.schema import MEASURES_TABLE_SPEC

# --- code lists -------------------------------------------------------------------------------

SEXES = ["m", "w"]
CITIZENSHIP = ["deutsch", "auslaendisch"]
MIGRATION_BACKGROUND = ["ohne", "persoenlich", "familiaer"]
#: Age groups of the register extract (years, lower bound inclusive, upper bound inclusive).
AGE_GROUPS = ["00-02", "03-05", "06-09", "10-14", "15-17", "18-24", "25-44", "45-64", "65+"]
#: Age groups of arrivals (finer at school ages for the scenario model).
ARRIVAL_AGE_GROUPS = ["00-02", "03-05", "06-09", "10-15", "16-17", "18-24", "25-44", "45-64", "65+"]
MINOR_AGE_GROUPS = ["00-02", "03-05", "06-09", "10-14", "15-17"]

#: Nationalities / countries of reference used in the city's reporting, with their group.
NATIONALITIES: dict[str, str] = {
    "Deutschland": "deutsch",
    "Türkei": "drittstaat",
    "Polen": "eu",
    "Griechenland": "eu",
    "Bulgarien": "eu",
    "Rumänien": "eu",
    "Italien": "eu",
    "Kroatien": "eu",
    "Sonstige EU": "eu",
    "Russische Föderation": "drittstaat",
    "Kasachstan": "drittstaat",
    "Ukraine": "drittstaat",
    "Kosovo": "drittstaat",
    "Serbien": "drittstaat",
    "Syrien": "drittstaat",
    "Irak": "drittstaat",
    "Afghanistan": "drittstaat",
    "Iran": "drittstaat",
    "Eritrea": "drittstaat",
    "Sonstiges Europa": "drittstaat",
    "Sonstiges Afrika": "drittstaat",
    "Sonstiges Asien": "drittstaat",
    "Amerika, Ozeanien, ungeklärt": "drittstaat",
}
FOREIGN_NATIONALITIES = [n for n in NATIONALITIES if n != "Deutschland"]
#: The eight main asylum countries of the Federal Employment Agency that appear in the demo.
ASYLUM_COUNTRIES = ["Afghanistan", "Eritrea", "Irak", "Iran", "Syrien"]

RESIDENCE_STATUS = [
    "asylverfahren",  # Aufenthaltsgestattung, laufendes Erstverfahren
    "folgeverfahren",  # Asylfolgeantrag
    "duldung",
    "schutz",  # anerkannt: humanitärer Aufenthaltstitel
    "befristet",  # sonstiger befristeter Titel
    "unbefristet",  # Niederlassungserlaubnis, Daueraufenthalt-EU
    "eu_freizuegigkeit",
    "sonstige",
]
RESIDENCE_DURATION = ["unter 4", "4 bis unter 8", "8 bis unter 10", "10 und mehr"]
PROTECTION_STATUS = ["offen", "anerkannt", "abgelehnt"]
ARRIVAL_CHANNELS = ["zuweisung", "familiennachzug", "eu", "sonstige"]
CONTINENTS = ["Afrika", "Amerika", "Asien", "Australien und Ozeanien", "Europa", "unbekannt"]
DAYCARE_AGE = ["unter 3", "3 bis unter 6"]
KITA_DURATION = ["keine", "unter 2 Jahre", "2 Jahre und mehr"]
LANGUAGE_ASSESSMENT = ["ausreichend", "foerderbedarf", "intensiver_foerderbedarf"]
FAMILY_LANGUAGE = ["deutsch", "nichtdeutsch"]
SCHOOL_TYPES = [
    "Grundschule",
    "Hauptschule",
    "Realschule",
    "Gymnasium",
    "Gesamtschule",
    "Sekundarschule",
    "Förderschule",
    "Berufskolleg",
]
SCHOOL_DEGREES = ["ohne_hsa", "hsa", "msa", "fhr", "ahr"]
SCHOOL_LEVELS = ["primar", "sek1", "sek2"]
COURSE_TYPES = ["allgemein", "jugend", "eltern_frauen", "alphabetisierung", "sonstige"]
LEGAL_SPHERES = ["SGB II", "SGB III"]
ACCOMMODATION_TYPES = ["gemeinschaftsunterkunft", "uebergangswohnheim", "wohnung_angemietet"]
STAFF_GROUPS = ["beschaeftigte", "auszubildende", "neueinstellungen"]
MH_YES_NO = ["mit", "ohne"]


@dataclass(frozen=True)
class Table:
    """A processed table: its schema, keys and documentation."""

    name: str
    description: str
    reference: str  # what the reference date means, German
    keys: list[str]
    counts: list[str]
    columns: dict[str, pa.Column] = field(repr=False)
    #: Groups of key columns whose every combination of allowed codes must be delivered
    #: (a file cut at a line end then misses some); ``None``: all keys together.
    coverage: tuple[tuple[str, ...], ...] | None = None

    @property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema (strict: no other columns; keys unique)."""
        cols = dict(self.columns)
        cols["reference_date"] = pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d\d-\d\d$"))
        for c in self.counts:
            cols[c] = pa.Column("int64", pa.Check.ge(0))
        return pa.DataFrameSchema(cols, strict=True, unique=self.keys, name=self.name)

    @property
    def column_names(self) -> list[str]:
        """All column names in canonical order."""
        return [*self.columns, *self.counts, "reference_date"]


def _cat(values: list[str]) -> pa.Column:
    return pa.Column(str, pa.Check.isin(values))


_STATB = _cat(list(STAT_BEZIRKE))
_SB = _cat(list(STADTBEZIRKE))


def _t(
    name: str,
    description: str,
    reference: str,
    columns: dict,
    counts=("count",),
    coverage: tuple[tuple[str, ...], ...] | None = None,
) -> Table:
    return Table(name, description, reference, list(columns), list(counts), columns, coverage)


#: Tables a delivery may leave out: the Integrationsrat is elected every five years, and
#: the measures register is kept since 2017. Every other table is part of every delivery.
OPTIONAL_TABLES = frozenset({"election", "measures"})
#: Tables delivered only in periods in which their event took place (the Integrationsrat is
#: elected every five years): in another period no value of theirs would be meaningful.
EVENT_TABLES = frozenset({"election"})


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        _t(
            "population",
            "Einwohnerinnen und Einwohner mit Hauptwohnsitz (Melderegister, MigraPro) nach "
            "Statistischem Bezirk, Geschlecht, Altersgruppe, Staatsangehörigkeit und "
            "Migrationshintergrund",
            "31.12.",
            {
                "stat_bezirk": _STATB,
                "stadtbezirk": _SB,
                "sex": _cat(SEXES),
                "age_group": _cat(AGE_GROUPS),
                "citizenship": _cat(CITIZENSHIP),
                "migration_background": _cat(MIGRATION_BACKGROUND),
            },
            coverage=(
                ("stat_bezirk", "sex", "citizenship"),
                ("stadtbezirk", "sex", "age_group", "citizenship"),
                ("stadtbezirk", "migration_background"),
            ),
        ),
        _t(
            "population_origin",
            "Einwohner nach Stadtbezirk, Staatsangehörigkeit (Ausländer) bzw. Bezugsland "
            "(Deutsche mit Migrationshintergrund) und Altersband (Melderegister)",
            "31.12.",
            {
                "stadtbezirk": _SB,
                "citizenship": _cat(CITIZENSHIP),
                "migration_background": _cat(MIGRATION_BACKGROUND),
                "origin": _cat(list(NATIONALITIES)),
                "minor": _cat(["ja", "nein"]),
            },
            coverage=(("stadtbezirk", "migration_background"), ("origin",)),
        ),
        _t(
            "population_official",
            "Amtliche Bevölkerungsfortschreibung (IT.NRW 12411) für die kreisfreie Stadt nach "
            "Geschlecht und Staatsangehörigkeit",
            "31.12.",
            {"sex": _cat([*SEXES, "insgesamt"]), "citizenship": _cat([*CITIZENSHIP, "insgesamt"])},
        ),
        _t(
            "residence",
            "Ausländerinnen und Ausländer nach Staatsangehörigkeit, Aufenthaltsstatus und "
            "Aufenthaltsdauer (Ausländerbehörde, AZR-Auszug)",
            "31.12.",
            {
                "nationality": _cat(FOREIGN_NATIONALITIES),
                "residence_status": _cat(RESIDENCE_STATUS),
                "duration": _cat(RESIDENCE_DURATION),
                "sex": _cat(SEXES),
            },
            coverage=(("residence_status", "sex"), ("nationality",), ("duration", "sex")),
        ),
        _t(
            "protection_seekers",
            "Schutzsuchende nach Schutzstatus und Geschlecht (Statistik 12531, auf 5 gerundet)",
            "31.12.",
            {"protection_status": _cat(PROTECTION_STATUS), "sex": _cat(SEXES)},
        ),
        _t(
            "naturalisations",
            "Einbürgerungen nach Kontinent der bisherigen Staatsangehörigkeit (Statistik 12511)",
            "Kalenderjahr",
            {"continent": _cat(CONTINENTS)},
        ),
        _t(
            "migration",
            "Zu- und Fortzüge über die Stadtgrenze nach Herkunfts-/Zielgebiet und "
            "Staatsangehörigkeit (Wanderungsstatistik 12711)",
            "Kalenderjahr",
            {
                "direction": _cat(["zuzug", "fortzug"]),
                "area_type": _cat(["ausland", "inland"]),
                "citizenship": _cat(CITIZENSHIP),
            },
        ),
        _t(
            "arrivals",
            "Neuzugänge nach Zugangsweg (Zuweisung, Familiennachzug, EU, sonstige), Halbjahr, "
            "Staatsangehörigkeit, Geschlecht, Altersgruppe und Stadtbezirk des ersten Wohnsitzes",
            "Kalenderjahr",
            {
                "half": _cat(["1", "2"]),
                "channel": _cat(ARRIVAL_CHANNELS),
                "nationality": _cat(FOREIGN_NATIONALITIES),
                "sex": _cat(SEXES),
                "age_group": _cat(ARRIVAL_AGE_GROUPS),
                "stadtbezirk": _SB,
            },
            coverage=(("half", "channel"), ("half", "stadtbezirk"), ("half", "age_group")),
        ),
        _t(
            "daycare",
            "Kinder in Kindertageseinrichtungen und Kindertagespflege nach Stadtbezirk, "
            "Altersgruppe, Migrationshintergrund und Familiensprache (KJH-Statistik)",
            "01.03.",
            {
                "stadtbezirk": _SB,
                "age_group": _cat(DAYCARE_AGE),
                "migration_background": _cat(MH_YES_NO),
                "family_language": _cat(FAMILY_LANGUAGE),
            },
        ),
        _t(
            "daycare_facilities",
            "Kindertageseinrichtungen und genehmigte Plätze (Statistik 22541)",
            "01.03.",
            {"measure": _cat(["einrichtungen", "genehmigte_plaetze"])},
        ),
        _t(
            "school_entry",
            "Schuleingangsuntersuchung: untersuchte Kinder nach Stadtbezirk, Familiensprache, "
            "Dauer des Kita-Besuchs und Sprachbefund (Gesundheitsamt)",
            "Untersuchungsjahrgang",
            {
                "stadtbezirk": _SB,
                "family_language": _cat(FAMILY_LANGUAGE),
                "kita_duration": _cat(KITA_DURATION),
                "language_assessment": _cat(LANGUAGE_ASSESSMENT),
            },
        ),
        _t(
            "pupils",
            "Schülerinnen und Schüler an allgemeinbildenden Schulen und Berufskollegs nach "
            "Schulform, Jahrgangsstufe (5 oder alle) und Staatsangehörigkeit (Schulstatistik)",
            "Schuljahresbeginn (15.10.)",
            {
                "school_type": _cat(SCHOOL_TYPES),
                "grade": _cat(["alle", "5"]),
                "citizenship": _cat(CITIZENSHIP),
            },
            counts=("count", "schools"),
            coverage=(("school_type", "citizenship"), ("grade", "citizenship")),
        ),
        _t(
            "school_leavers",
            "Schulabgängerinnen und -abgänger nach Abschluss, Staatsangehörigkeit und Geschlecht",
            "Abgangsjahr",
            {
                "degree": _cat(SCHOOL_DEGREES),
                "citizenship": _cat(CITIZENSHIP),
                "sex": _cat(SEXES),
            },
        ),
        _t(
            "newcomer_pupils",
            "Neu zugewanderte Schülerinnen und Schüler (Seiteneinstieg, KI-Schulberatung) nach "
            "Schulstufe und Staatsangehörigkeit",
            "Kalenderjahr",
            {"school_level": _cat(SCHOOL_LEVELS), "nationality": _cat(FOREIGN_NATIONALITIES)},
            coverage=(("school_level",),),
        ),
        _t(
            "integration_courses",
            "Integrationskurse: Eintritte, Austritte, Prüfungsteilnahmen und B1-Ergebnisse nach "
            "Kursart und Geschlecht (BAMF)",
            "Kalenderjahr",
            {
                "course_type": _cat(COURSE_TYPES),
                "sex": _cat(SEXES),
                "measure": _cat(["eintritte", "austritte", "pruefungen", "b1_bestanden"]),
            },
        ),
        _t(
            "unemployed",
            "Arbeitslose (Jahresdurchschnitt) nach Stadtbezirk, Staatsangehörigkeit, Geschlecht, "
            "Altersband, Rechtskreis und Fluchtkontext (Bundesagentur für Arbeit)",
            "Jahresdurchschnitt",
            {
                "stadtbezirk": _SB,
                "citizenship": _cat(CITIZENSHIP),
                "sex": _cat(SEXES),
                "age_band": _cat(["15-24", "25-64"]),
                "legal_sphere": _cat(LEGAL_SPHERES),
                "flight_context": _cat(["ja", "nein"]),
            },
            # the flight context is counted for foreigners only
            coverage=(
                ("stadtbezirk", "sex", "age_band", "legal_sphere", "flight_context"),
                ("stadtbezirk", "citizenship", "sex", "age_band", "legal_sphere"),
            ),
        ),
        _t(
            "sgb2",
            "Leistungsberechtigte nach dem SGB II nach Stadtbezirk, Staatsangehörigkeit und "
            "Altersband (Bundesagentur für Arbeit)",
            "31.12.",
            {
                "stadtbezirk": _SB,
                "citizenship": _cat(CITIZENSHIP),
                "age_band": _cat(["unter 15", "15 bis Regelaltersgrenze"]),
            },
        ),
        _t(
            "employees",
            "Sozialversicherungspflichtig und ausschließlich geringfügig Beschäftigte am Wohnort "
            "nach Stadtbezirk, Staatsangehörigkeit, Geschlecht und Altersband (BA)",
            "30.06.",
            {
                "stadtbezirk": _SB,
                "citizenship": _cat(CITIZENSHIP),
                "sex": _cat(SEXES),
                "age_band": _cat(["15-24", "25-64"]),
                "employment": _cat(["svb", "geringfuegig"]),
            },
        ),
        _t(
            "employees_workplace",
            "Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Staatsangehörigkeit "
            "(Statistik 13111)",
            "30.06.",
            {"citizenship": _cat([*CITIZENSHIP, "insgesamt"])},
        ),
        _t(
            "accommodation",
            "Untergebrachte Geflüchtete nach Stadtbezirk und Art der Unterkunft (Sozialamt)",
            "31.12.",
            {"stadtbezirk": _SB, "accommodation_type": _cat(ACCOMMODATION_TYPES)},
        ),
        _t(
            "city_staff",
            "Beschäftigte der Stadtverwaltung nach Gruppe und Migrationshintergrund "
            "(freiwillige Befragung des Personalamts)",
            "31.12.",
            {
                "staff_group": _cat(STAFF_GROUPS),
                "migration_background": _cat([*MH_YES_NO, "keine_angabe"]),
            },
        ),
        _t(
            "election",
            "Integrationsratswahl: Wahlberechtigte und Wählende nach Stadtbezirk (Wahlamt)",
            "Wahltag",
            {"stadtbezirk": _SB},
            counts=("eligible", "voters"),
        ),
        _t(
            "engagement",
            "Bürgerschaftliches Engagement in der Integrationsarbeit: registrierte Ehrenamtliche "
            "und geförderte Migrantenselbstorganisationen (KI)",
            "31.12.",
            {"measure": _cat(["ehrenamtliche", "mso_gefoerdert", "mso_registriert"])},
        ),
    ]
}


def validate(name: str, df: pd.DataFrame, *, file: str | None = None) -> pd.DataFrame:
    """Validate a frame against table ``name`` and return it in canonical column order.

    All failures are collected (pandera ``lazy=True``) and raised as one :class:`DataError`
    that lists column, row and the offending value of each.
    """
    try:
        table = TABLES[name]
    except KeyError:
        raise DataError(f"unbekannte Tabelle {name!r}; bekannt: {', '.join(TABLES)}") from None
    try:
        out = table.schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        lines = []
        for rec in fc.head(20).itertuples(index=False):
            where = f"Zeile {int(rec.index) + 2}" if pd.notna(rec.index) else "Tabelle"
            what = f"{rec.check} verletzt ({rec.failure_case!r})"
            lines.append(f"{where}, Spalte »{rec.column}«: {what}")
        more = f" (und {len(fc) - 20} weitere)" if len(fc) > 20 else ""
        raise DataError(
            f"Tabelle {name!r} entspricht nicht dem Schema: " + "; ".join(lines) + more, file=file
        ) from None
    return out[table.column_names].reset_index(drop=True)


def _allowed(column: pa.Column) -> list | None:
    for check in column.checks:
        values = check.statistics.get("allowed_values")
        if values is not None:
            return list(values)
    return None


def check_coverage(name: str, df: pd.DataFrame, *, file: str | None = None) -> list[DataError]:
    """Problems with the completeness of table ``name``: missing areas, groups or dates.

    Every combination of allowed codes of each coverage group of the table (see
    :attr:`Table.coverage`) must occur in ``df``; a file cut at a line end passes every
    check of its rows but misses the combinations of the lines cut off. The message names
    how many combinations are missing and the first few. Tables without code lists (the
    measures register) have no coverage check. All rows must carry one reference date.
    """
    table = TABLES[name]
    problems: list[DataError] = []
    dates = sorted(set(df["reference_date"])) if "reference_date" in df else []
    if len(dates) > 1:
        problems.append(
            DataError(f"Tabelle {name!r} mischt Stichtage: {', '.join(dates[:5])}", file=file)
        )
    for group in table.coverage or (tuple(table.keys),):
        codes = [_allowed(table.columns[c]) for c in group]
        if any(c is None for c in codes):
            continue
        expected = pd.MultiIndex.from_product(codes, names=list(group))
        present = pd.MultiIndex.from_frame(df[list(group)].drop_duplicates())
        missing = expected.difference(present)
        if len(missing):
            examples = "; ".join(
                ", ".join(f"{c}={v}" for c, v in zip(group, combo, strict=True))
                for combo in missing[:3]
            )
            more = f" und {len(missing) - 3} weitere" if len(missing) > 3 else ""
            problems.append(
                DataError(
                    f"unvollständig: {len(missing)} von {len(expected)} Kombinationen "
                    f"({', '.join(group)}) fehlen, z. B. {examples}{more} "
                    "(Datei abgeschnitten?)",
                    file=file,
                )
            )
    return problems


#: Plausible years of the date columns of a table, relative to the reporting year ``p``:
#: ``column -> (earliest year, latest year as offset from p)``. A register cannot hold a
#: measure that began in 1800 or ends in 9999.
DATE_RANGES: dict[str, dict[str, tuple[int, int]]] = {
    "measures": {"start": (1950, 5), "end": (1950, 30), "as_of": (0, 0)},
}


def check_dates(
    name: str, df: pd.DataFrame, period: int, *, file: str | None = None
) -> list[DataError]:
    """Problems with implausible dates in table ``name`` for reporting year ``period``.

    The ranges are in :data:`DATE_RANGES`; an earliest year of ``0`` means "the reporting
    year itself". The first offending row is named by its key.
    """
    problems: list[DataError] = []
    table = TABLES[name]
    for column, (earliest, ahead) in DATE_RANGES.get(name, {}).items():
        if column not in df:
            continue
        low = earliest or period
        high = period + ahead
        years = pd.to_numeric(df[column].astype("string").str[:4], errors="coerce")
        bad = years.notna() & ((years < low) | (years > high))
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            key = ", ".join(f"{k}={df[k].iloc[i]}" for k in table.keys if k in df)
            problems.append(
                DataError(
                    f"unplausibles Datum {df[column].iloc[i]} in Spalte »{column}« ({key}; "
                    f"erwartet zwischen {low} und {high}; {int(bad.sum())} Zeile(n))",
                    file=file,
                )
            )
    return problems


# The measures register has its own vocabulary and schema (measures/schema.py, which
# imports nothing of the indicator layer); its table joins the registry here.
TABLES["measures"] = Table(**MEASURES_TABLE_SPEC)
