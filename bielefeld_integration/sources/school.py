"""Loaders for school: school entry examination, school statistics, newcomer pupils.

``school_entry``
    Health office CSV: ``Untersuchungsjahr;Stadtbezirk;Familiensprache;Dauer Kita-Besuch;
    Sprachkompetenz Deutsch;Anzahl Kinder``.
``pupils``
    GENESIS table of statistics 21111 (classic or flat): schools and pupils by school type
    (``Schularten``), grade (``Jahrgangsstufen``: ``Insgesamt`` and ``Jahrgangsstufe 5`` are
    used, other grades left out) and nationality (``Insgesamt``, ``Deutsche``,
    ``Ausländer``; the parts must add up to the total). Cells marked ``x`` (e.g. grade 5 at
    primary schools) do not exist and give no row. ``schools`` is the number of schools of
    the type and is repeated on every row of that type – never sum it over citizenship.
``school_leavers``
    School office CSV, one column per degree and an ``Insgesamt`` column that must equal
    their sum: ``Abgangsjahr;Staatsangehörigkeit;Geschlecht;ohne Hauptschulabschluss;
    Hauptschulabschluss;Fachoberschulreife;Fachhochschulreife;Allgemeine Hochschulreife;
    Insgesamt``.
``newcomer_pupils``
    KI school counselling CSV: ``Jahr;Schulstufe;Staatsangehörigkeit;Schülerinnen und
    Schüler``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources._csv import check_unique, finish, melt_counts, read_table
from bielefeld_integration.sources._offices import (
    check_sum,
    check_years,
    genesis_bielefeld,
    genesis_column,
    genesis_count,
    load_keyed_counts,
    map_labels,
    norm,
)
from bielefeld_integration.tables import FOREIGN_NATIONALITIES, SCHOOL_DEGREES, SCHOOL_TYPES

# --- school entry examination -----------------------------------------------------------------

SCHOOL_ENTRY_COLUMNS = {
    "Untersuchungsjahr": "_year",
    "Stadtbezirk": "stadtbezirk",
    "Familiensprache": "family_language",
    "Dauer Kita-Besuch": "kita_duration",
    "Sprachkompetenz Deutsch": "language_assessment",
    "Anzahl Kinder": "count",
}
FAMILY_LANGUAGE_LABELS = {
    "deutsch": "deutsch",
    "nicht deutsch": "nichtdeutsch",
    "nichtdeutsch": "nichtdeutsch",
    "andere": "nichtdeutsch",
}
KITA_LABELS = {
    "kein Kita-Besuch": "keine",
    "keine": "keine",
    "kein Besuch": "keine",
    "unter 2 Jahre": "unter 2 Jahre",
    "weniger als 2 Jahre": "unter 2 Jahre",
    "2 Jahre und länger": "2 Jahre und mehr",
    "2 Jahre und mehr": "2 Jahre und mehr",
}
ASSESSMENT_LABELS = {
    "ausreichend": "ausreichend",
    "altersgemäß": "ausreichend",
    "Förderbedarf": "foerderbedarf",
    "intensiver Förderbedarf": "intensiver_foerderbedarf",
}


def load_school_entry(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Children of the school entry examination (health office) of the manifest's year."""
    return load_keyed_counts(
        path,
        reference_date,
        SCHOOL_ENTRY_COLUMNS,
        {
            "family_language": (FAMILY_LANGUAGE_LABELS, "Familiensprache"),
            "kita_duration": (KITA_LABELS, "Kita-Dauer"),
            "language_assessment": (ASSESSMENT_LABELS, "Sprachbefund"),
        },
        period="_year",
        check_period=check_years,
    )


# --- pupils (21111) ---------------------------------------------------------------------------

SCHOOL_TYPE_LABELS = {
    **{t: t for t in SCHOOL_TYPES},
    "Grundschulen": "Grundschule",
    "Hauptschulen": "Hauptschule",
    "Realschulen": "Realschule",
    "Gymnasien": "Gymnasium",
    "Gesamtschulen": "Gesamtschule",
    "Sekundarschulen": "Sekundarschule",
    "Förderschulen": "Förderschule",
    "Berufskollegs": "Berufskolleg",
    "Berufskollegs (insgesamt)": "Berufskolleg",
}
GRADE_LABELS = {"insgesamt": "alle", "jahrgangsstufe 5": "5", "klasse 5": "5", "5": "5"}
NATIONALITY_COLUMNS = {
    "insgesamt": "insgesamt",
    "deutsche": "deutsch",
    "auslaender": "auslaendisch",
    "auslaender/-innen": "auslaendisch",
    "auslaenderinnen und auslaender": "auslaendisch",
}


def load_pupils(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Schools and pupils by school type, grade and citizenship (statistics 21111, 15.10.)."""
    cells = genesis_bielefeld(
        path, reference_date, keep=("Schulart", "Jahrgang", "Nationalit", "Staatsangeh")
    )
    st_col = genesis_column(cells, ["Schulart"], path, "die Schulart")
    gr_col = genesis_column(cells, ["Jahrgang"], path, "die Jahrgangsstufe")
    nat_col = genesis_column(cells, ["Nationalit", "Staatsangeh"], path, "die Nationalität")
    lookup = {norm(k): v for k, v in SCHOOL_TYPE_LABELS.items()}
    unknown = sorted({s for s in cells[st_col] if norm(s) not in lookup})
    if unknown:
        raise DataError(
            f"unbekannte Schulart(en) {', '.join(unknown)} (erwartet: "
            f"{', '.join(SCHOOL_TYPE_LABELS)})",
            file=path,
            column=st_col,
        )
    cells = cells.assign(
        _type=cells[st_col].map(lambda s: lookup[norm(s)]),
        _grade=cells[gr_col].map(lambda s: GRADE_LABELS.get(norm(s))),
        _nat=cells[nat_col].map(lambda s: NATIONALITY_COLUMNS.get(norm(s), "")),
        _schools=cells.measure.map(lambda m: norm(m).startswith("schulen")),
    )
    cells = cells[cells._grade.notna()]
    rows = []
    for (stype, grade), part in cells.groupby(["_type", "_grade"], sort=False):
        if (part.symbol == "x").all():
            continue
        where = f"Bielefeld / {part[st_col].iloc[0]} / {part[gr_col].iloc[0]}"
        schools = part[part._schools]
        if len(schools) != 1:
            raise DataError(f"Zelle »Schulen« fehlt oder ist doppelt ({where})", file=path)
        pupils = part[~part._schools].set_index("_nat")
        if pupils.index.duplicated().any():
            raise DataError(f"doppelte Schülerzellen ({where})", file=path)
        missing = {"deutsch", "auslaendisch"} - set(pupils.index)
        if missing:
            raise DataError(
                f"Schülerzahl für {', '.join(sorted(missing))} fehlt ({where})", file=path
            )
        n = {
            k: genesis_count(pupils.value[k], pupils.symbol[k], path, f"{where} / {k}")
            for k in pupils.index
            if k
        }
        if "insgesamt" in n:
            check_sum(
                n["insgesamt"],
                n["deutsch"] + n["auslaendisch"],
                path,
                what=f"Schüler/-innen {where}: Deutsche + Ausländer ≠ Insgesamt",
                column=nat_col,
            )
        k_schools = genesis_count(
            schools.value.iloc[0], schools.symbol.iloc[0], path, f"{where} / Schulen"
        )
        for cit in ("deutsch", "auslaendisch"):
            rows.append((stype, grade, cit, n[cit], k_schools))
    if not rows:
        raise DataError("keine Schülerzahlen für Bielefeld in der Tabelle", file=path)
    out = pd.DataFrame(rows, columns=["school_type", "grade", "citizenship", "count", "schools"])
    out = out.astype({"count": "int64", "schools": "int64"})
    return finish(out, reference_date)


# --- school leavers ---------------------------------------------------------------------------

DEGREE_COLUMNS = {
    "ohne Hauptschulabschluss": "ohne_hsa",
    "Hauptschulabschluss": "hsa",
    "Fachoberschulreife": "msa",
    "Fachhochschulreife": "fhr",
    "Allgemeine Hochschulreife": "ahr",
}
LEAVERS_COLUMNS = {
    "Abgangsjahr": "_year",
    "Staatsangehörigkeit": "citizenship",
    "Geschlecht": "sex",
    **DEGREE_COLUMNS,
    "Insgesamt": "_total",
}
CITIZENSHIP_LABELS = {
    "Deutsche": "deutsch",
    "deutsch": "deutsch",
    "Ausländer/-innen": "auslaendisch",
    "Ausländer": "auslaendisch",
    "Ausländerinnen und Ausländer": "auslaendisch",
    "ausländisch": "auslaendisch",
    "nichtdeutsch": "auslaendisch",
}
SEX_LABELS = {
    "männlich": "m",
    "m": "m",
    "Männer": "m",
    "Jungen": "m",
    "weiblich": "w",
    "w": "w",
    "Frauen": "w",
    "Mädchen": "w",
}


def load_school_leavers(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Leavers of general schools by degree, citizenship and sex (school office)."""
    df = read_table(path, LEAVERS_COLUMNS, counts=[*SCHOOL_DEGREES, "_total"])
    check_years(df, "_year", reference_date, path, header="Abgangsjahr")
    df["citizenship"] = map_labels(
        df,
        "citizenship",
        CITIZENSHIP_LABELS,
        path,
        header="Staatsangehörigkeit",
        what="Staatsangehörigkeit",
    )
    df["sex"] = map_labels(df, "sex", SEX_LABELS, path, header="Geschlecht", what="Geschlecht")
    parts = df[SCHOOL_DEGREES].sum(axis=1)
    for total, part, line in zip(df["_total"], parts, df["_line"], strict=True):
        check_sum(
            int(total),
            int(part),
            path,
            what="Summe der Abschlüsse",
            row=int(line),
            column="Insgesamt",
        )
    check_unique(df, ["citizenship", "sex"], path)
    long = melt_counts(df, ["citizenship", "sex"], SCHOOL_DEGREES, "degree")
    return finish(long[["degree", "citizenship", "sex", "count", "_line"]], reference_date)


# --- newcomer pupils --------------------------------------------------------------------------

NEWCOMER_COLUMNS = {
    "Jahr": "_year",
    "Schulstufe": "school_level",
    "Staatsangehörigkeit": "nationality",
    "Schülerinnen und Schüler": "count",
}
LEVEL_LABELS = {
    "Primarstufe": "primar",
    "Grundschule": "primar",
    "Sekundarstufe I": "sek1",
    "Sek I": "sek1",
    "Sekundarstufe II": "sek2",
    "Sek II": "sek2",
}
NATIONALITY_LABELS = {
    **{n: n for n in FOREIGN_NATIONALITIES},
    "Russland": "Russische Föderation",
    "Syrien, Arabische Republik": "Syrien",
    "Arabische Republik Syrien": "Syrien",
    "Iran, Islamische Republik": "Iran",
}


def load_newcomer_pupils(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Newly arrived pupils counselled by the KI, by school level and nationality."""
    return load_keyed_counts(
        path,
        reference_date,
        NEWCOMER_COLUMNS,
        {
            "school_level": (LEVEL_LABELS, "Schulstufe"),
            "nationality": (NATIONALITY_LABELS, "Staatsangehörigkeit"),
        },
        period="_year",
        check_period=check_years,
    )


LOADERS = {
    "school_entry": load_school_entry,
    "pupils": load_pupils,
    "school_leavers": load_school_leavers,
    "newcomer_pupils": load_newcomer_pupils,
}
