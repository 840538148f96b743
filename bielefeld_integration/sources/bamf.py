"""Loader for the BAMF integration course statistics (evaluation for Bielefeld).

Semicolon CSV (UTF-8 or cp1252), one row per course type and sex:
``Berichtsjahr;Kreis;Kursart;Geschlecht;Kurseintritte;Kursaustritte;Prüfungsteilnahmen DTZ;
darunter Niveau B1 erreicht``. ``Kreis`` must be Bielefeld (``05711``); the B1 passes are a
subset of the exam participants and may not exceed them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import KREIS_CODE
from bielefeld_integration.sources._csv import check_unique, finish, melt_counts, read_table
from bielefeld_integration.sources._offices import check_years, map_labels

MEASURES = {
    "Kurseintritte": "eintritte",
    "Kursaustritte": "austritte",
    "Prüfungsteilnahmen DTZ": "pruefungen",
    "darunter Niveau B1 erreicht": "b1_bestanden",
}
COLUMNS = {
    "Berichtsjahr": "_year",
    "Kreis": "_kreis",
    "Kursart": "course_type",
    "Geschlecht": "sex",
    **MEASURES,
}
COURSE_LABELS = {
    "Allgemeiner Integrationskurs": "allgemein",
    "Jugendintegrationskurs": "jugend",
    "Eltern- bzw. Frauenintegrationskurs": "eltern_frauen",
    "Elternintegrationskurs": "eltern_frauen",
    "Frauenintegrationskurs": "eltern_frauen",
    "Integrationskurs mit Alphabetisierung": "alphabetisierung",
    "Alphabetisierungskurs": "alphabetisierung",
    "Sonstige Kursarten (Förder-, Intensiv-, Zweitschriftlernerkurs)": "sonstige",
    "Sonstige Kursarten": "sonstige",
}
SEX_LABELS = {"männlich": "m", "Männer": "m", "weiblich": "w", "Frauen": "w"}


def load_integration_courses(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Integration course entries, exits, exams and B1 passes by course type and sex.

    Parameters
    ----------
    path
        The delivered CSV file.
    reference_date
        The manifest's reference date (ISO); ``Berichtsjahr`` must be its year.

    Returns
    -------
    pandas.DataFrame
        The ``integration_courses`` table (long: one row per course type, sex and measure).
    """
    df = read_table(path, COLUMNS, counts=list(MEASURES.values()))
    check_years(df, "_year", reference_date, path, header="Berichtsjahr")
    for value, line in zip(df["_kreis"], df["_line"], strict=True):
        if not str(value).startswith(KREIS_CODE):
            raise DataError(
                f"Kreis {value!r} ist nicht Bielefeld ({KREIS_CODE})",
                file=path,
                row=int(line),
                column="Kreis",
            )
    df["course_type"] = map_labels(
        df, "course_type", COURSE_LABELS, path, header="Kursart", what="Kursart"
    )
    df["sex"] = map_labels(df, "sex", SEX_LABELS, path, header="Geschlecht", what="Geschlecht")
    bad = df["b1_bestanden"] > df["pruefungen"]
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            f"mehr B1-Ergebnisse ({df['b1_bestanden'].iloc[i]}) als Prüfungsteilnahmen "
            f"({df['pruefungen'].iloc[i]})",
            file=path,
            row=int(df["_line"].iloc[i]),
            column="darunter Niveau B1 erreicht",
        )
    check_unique(df, ["course_type", "sex"], path)
    long = melt_counts(df, ["course_type", "sex"], list(MEASURES.values()), "measure")
    return finish(long[["course_type", "sex", "measure", "count", "_line"]], reference_date)


LOADERS = {"integration_courses": load_integration_courses}
