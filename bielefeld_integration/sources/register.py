"""Loaders for the city register extracts (Einwohnermelderegister + MigraPro).

Two semicolon CSV extracts with German headers and labels, cp1252 or UTF-8 (with BOM):

``population`` (e.g. ``einwohner_statbezirke_2017.csv``)
    ``Stichtag;Statistischer Bezirk;Bezeichnung;Geschlecht;Altersgruppe;
    Staatsangehörigkeit;Migrationshintergrund;Anzahl``
``population_origin`` (e.g. ``einwohner_herkunft_2017.csv``)
    ``Stichtag;Stadtbezirk;Bezeichnung;Staatsangehörigkeit;Migrationshintergrund;
    Staatsangehörigkeit/Bezugsland;Minderjährig;Anzahl``

Lines starting with ``#`` are comments. Labels are matched without regard to case and
surrounding blanks; area codes that lost their leading zero in a spreadsheet (``101``) are
repaired. The label helpers of this module are shared by the other demography loaders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE, STAT_BEZIRKE
from bielefeld_integration.sources._csv import check_unique, finish, read_table
from bielefeld_integration.tables import MINOR_AGE_GROUPS, NATIONALITIES

# --- label helpers (shared by the demography loaders) --------------------------------------


def norm(text: object) -> str:
    """Normalise a label for matching: blanks collapsed, no-break spaces, case folded."""
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


class Labels(dict):
    """Lookup ``{normalised label: code}`` that remembers the usual label of each code."""

    shown: list[str]


def label_map(spec: Mapping[str, tuple[str, ...]]) -> Labels:
    """Turn ``{code: (label, alias, ...)}`` into a lookup ``{normalised label: code}``.

    The first label of each code (or the code itself) is what error messages offer as the
    expected value.
    """
    out = Labels()
    out.shown = [labels[0] if labels else code for code, labels in spec.items()]
    for code, labels in spec.items():
        for label in (code, *labels):
            out[norm(label)] = code
    return out


def expected(lookup: Mapping[str, str]) -> str:
    """The labels a lookup expects, for messages."""
    shown = getattr(lookup, "shown", None) or sorted(dict.fromkeys(lookup.values()))
    return ", ".join(shown)


def map_labels(
    df: pd.DataFrame, col: str, lookup: Mapping[str, str], path: Path, header: str, what: str
) -> None:
    """Replace the labels in ``df[col]`` by codes; DataError at the first unknown label.

    ``header`` is the column name as it stands in the file (for the message), ``what``
    says in German what the column holds.
    """
    keys = df[col].map(norm)
    mapped = keys.map(lookup)
    bad = mapped.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            f"unbekannte(r) {what} »{df[col].iloc[i]}« (erwartet: {expected(lookup)})",
            file=path,
            row=int(df["_line"].iloc[i]),
            column=header,
        )
    df[col] = mapped.astype(str)


def parse_date(text: str) -> dt.date | None:
    """A date as ``31.12.2017`` or ``2017-12-31``, else None."""
    text = text.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def check_stichtag(
    df: pd.DataFrame, col: str, reference_date: str, path: Path, header: str
) -> None:
    """Every row's reference date (``31.12.2017``) must equal the manifest's date."""
    want = dt.date.fromisoformat(reference_date)
    for value, line in zip(df[col], df["_line"], strict=True):
        got = parse_date(value)
        if got is None:
            raise DataError(
                f"kein Datum: »{value}« (erwartet TT.MM.JJJJ)",
                file=path,
                row=int(line),
                column=header,
            )
        if got != want:
            raise DataError(
                f"falscher Stichtag {got:%d.%m.%Y}: die Lieferung ist für den "
                f"{want:%d.%m.%Y} angemeldet",
                file=path,
                row=int(line),
                column=header,
            )


def check_year(df: pd.DataFrame, col: str, reference_date: str, path: Path, header: str) -> None:
    """Every row's year (``2017``) must equal the year of the manifest's reference date."""
    want = reference_date[:4]
    for value, line in zip(df[col], df["_line"], strict=True):
        if value.strip() != want:
            raise DataError(
                f"falsches Berichtsjahr »{value}«: die Lieferung ist für {want} angemeldet",
                file=path,
                row=int(line),
                column=header,
            )


def area_codes(
    df: pd.DataFrame,
    col: str,
    areas: Mapping,
    width: int,
    path: Path,
    header: str,
    what: str,
    names: Mapping[str, str] | None = None,
) -> None:
    """Normalise area codes (restore lost leading zeros, accept names); DataError if unknown."""
    by_name = {norm(n): c for c, n in (names or {}).items()}
    out = []
    for value, line in zip(df[col], df["_line"], strict=True):
        text = value.strip()
        code = text.zfill(width) if text.isdigit() else by_name.get(norm(text), text)
        if code not in areas:
            raise DataError(
                f"unbekannte(r) {what} »{value}«", file=path, row=int(line), column=header
            )
        out.append(code)
    df[col] = out


def first_bad(
    df: pd.DataFrame, mask: pd.Series, message: str, path: Path, column: str | None = None
) -> None:
    """Raise DataError with ``message`` at the first row where ``mask`` is true."""
    if mask.any():
        i = int(mask.to_numpy().nonzero()[0][0])
        raise DataError(message, file=path, row=int(df["_line"].iloc[i]), column=column)


# --- code lists of the register extract ----------------------------------------------------

SEX = label_map({"m": ("männlich", "maennlich", "M"), "w": ("weiblich", "W")})
CITIZENSHIP = label_map(
    {
        "deutsch": ("Deutsche", "D"),
        "auslaendisch": ("nichtdeutsch", "nicht deutsch", "ausländisch", "Ausländer", "A"),
    }
)
MIGRATION_BACKGROUND = label_map(
    {
        "ohne": ("ohne Migrationshintergrund", "ohne MH", "nein"),
        "persoenlich": (
            "persönlich",
            "persönlicher Migrationshintergrund",
            "mit eigener Migration",
        ),
        "familiaer": ("familiär", "familiärer Migrationshintergrund", "über die Eltern"),
    }
)
AGE_GROUPS = label_map(
    {
        "00-02": ("0 bis unter 3", "0 bis unter 3 Jahre", "unter 3"),
        "03-05": ("3 bis unter 6", "3 bis unter 6 Jahre"),
        "06-09": ("6 bis unter 10", "6 bis unter 10 Jahre"),
        "10-14": ("10 bis unter 15", "10 bis unter 15 Jahre"),
        "15-17": ("15 bis unter 18", "15 bis unter 18 Jahre"),
        "18-24": ("18 bis unter 25", "18 bis unter 25 Jahre"),
        "25-44": ("25 bis unter 45", "25 bis unter 45 Jahre"),
        "45-64": ("45 bis unter 65", "45 bis unter 65 Jahre"),
        "65+": ("65 und älter", "65 Jahre und älter", "65 und mehr", "65 Jahre und mehr"),
    }
)
#: Aliases of the city's nationality/origin groups as they appear in registers.
ORIGIN_ALIASES: dict[str, tuple[str, ...]] = {
    "Russische Föderation": ("Russland",),
    "Syrien": ("Syrien, Arabische Republik", "Arabische Republik Syrien"),
    "Iran": ("Iran, Islamische Republik",),
    "Sonstige EU": ("sonstige EU-Staaten", "übrige EU"),
    "Sonstiges Europa": ("übriges Europa",),
    "Sonstiges Afrika": ("übriges Afrika",),
    "Sonstiges Asien": ("übriges Asien",),
    "Amerika, Ozeanien, ungeklärt": ("Amerika/Ozeanien/ungeklärt",),
}
ORIGINS = label_map({n: (n, *ORIGIN_ALIASES.get(n, ())) for n in NATIONALITIES})
YES_NO = label_map({"ja": ("j", "1", "x"), "nein": ("n", "0")})


# --- loaders -------------------------------------------------------------------------------

_POPULATION_COLUMNS = {
    "Stichtag": "_stichtag",
    "Statistischer Bezirk": "stat_bezirk",
    "Bezeichnung": "_name",
    "Geschlecht": "sex",
    "Altersgruppe": "age_group",
    "Staatsangehörigkeit": "citizenship",
    "Migrationshintergrund": "migration_background",
    "Anzahl": "count",
}


def _header_of(columns: Mapping[str, str], col: str) -> str:
    return next(h for h, c in columns.items() if c == col)


def _check_foreigners_background(df: pd.DataFrame, path: Path) -> None:
    """Foreigners always have a personal migration background (mapped codes of both extracts)."""
    first_bad(
        df,
        (df.citizenship == "auslaendisch") & (df.migration_background != "persoenlich"),
        "Ausländerinnen und Ausländer haben immer einen persönlichen Migrationshintergrund",
        path,
        "Migrationshintergrund",
    )


def load_population(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read the register extract by Statistischer Bezirk into the table ``population``.

    Parameters
    ----------
    path
        The semicolon CSV (cp1252 or UTF-8).
    reference_date
        The manifest's reference date (ISO); the ``Stichtag`` column must match it.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`tables.TABLES["population"]`.
    """
    cols = _POPULATION_COLUMNS
    df = read_table(path, cols)
    check_stichtag(df, "_stichtag", reference_date, path, "Stichtag")
    area_codes(
        df, "stat_bezirk", STAT_BEZIRKE, 4, path, "Statistischer Bezirk", "Statistischer Bezirk"
    )
    df["stadtbezirk"] = df["stat_bezirk"].map(lambda c: STAT_BEZIRKE[c][1])
    for col, lookup, what in [
        ("sex", SEX, "Geschlecht"),
        ("age_group", AGE_GROUPS, "Altersgruppe"),
        ("citizenship", CITIZENSHIP, "Staatsangehörigkeit"),
        ("migration_background", MIGRATION_BACKGROUND, "Migrationshintergrund"),
    ]:
        map_labels(df, col, lookup, path, _header_of(cols, col), what)
    _check_foreigners_background(df, path)
    first_bad(
        df,
        (df.migration_background == "familiaer") & ~df.age_group.isin(MINOR_AGE_GROUPS),
        "familiärer Migrationshintergrund gibt es nur bei Minderjährigen",
        path,
        "Migrationshintergrund",
    )
    keys = ["stat_bezirk", "sex", "age_group", "citizenship", "migration_background"]
    check_unique(df, keys, path)
    out = df[["stat_bezirk", "stadtbezirk", *keys[1:], "count"]]
    return finish(out, reference_date)


_ORIGIN_COLUMNS = {
    "Stichtag": "_stichtag",
    "Stadtbezirk": "stadtbezirk",
    "Bezeichnung": "_name",
    "Staatsangehörigkeit": "citizenship",
    "Migrationshintergrund": "migration_background",
    "Staatsangehörigkeit/Bezugsland": "origin",
    "Minderjährig": "minor",
    "Anzahl": "count",
}


def load_population_origin(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read the register extract by origin into the table ``population_origin``.

    Parameters
    ----------
    path
        The semicolon CSV (cp1252 or UTF-8).
    reference_date
        The manifest's reference date (ISO); the ``Stichtag`` column must match it.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`tables.TABLES["population_origin"]`.
    """
    cols = _ORIGIN_COLUMNS
    df = read_table(path, cols)
    check_stichtag(df, "_stichtag", reference_date, path, "Stichtag")
    area_codes(
        df, "stadtbezirk", STADTBEZIRKE, 2, path, "Stadtbezirk", "Stadtbezirk", names=STADTBEZIRKE
    )
    for col, lookup, what in [
        ("citizenship", CITIZENSHIP, "Staatsangehörigkeit"),
        ("migration_background", MIGRATION_BACKGROUND, "Migrationshintergrund"),
        ("origin", ORIGINS, "Staatsangehörigkeit/Bezugsland"),
        ("minor", YES_NO, "Angabe (ja/nein)"),
    ]:
        map_labels(df, col, lookup, path, _header_of(cols, col), what)
    _check_foreigners_background(df, path)
    first_bad(
        df,
        (df.migration_background == "familiaer") & (df.minor != "ja"),
        "familiärer Migrationshintergrund gibt es nur bei Minderjährigen",
        path,
        "Minderjährig",
    )
    no_mh = df.migration_background == "ohne"
    first_bad(
        df,
        no_mh & (df.origin != "Deutschland"),
        "Deutsche ohne Migrationshintergrund haben das Bezugsland Deutschland",
        path,
        "Staatsangehörigkeit/Bezugsland",
    )
    first_bad(
        df,
        ~no_mh & (df.origin == "Deutschland"),
        "Personen mit Migrationshintergrund brauchen ein Bezugsland außer Deutschland",
        path,
        "Staatsangehörigkeit/Bezugsland",
    )
    keys = ["stadtbezirk", "citizenship", "migration_background", "origin", "minor"]
    check_unique(df, keys, path)
    return finish(df[[*keys, "count"]], reference_date)


LOADERS = {"population": load_population, "population_origin": load_population_origin}
