"""Readers of the city's open data (Stadt Bielefeld, Presseamt/Statistikstelle).

Two files of the open data portal are shipped in ``data/official/bielefeld-open-data/``:

- ``bielefeld_bev_struktur_2000bis2019.csv``: residents on 31.12. by Statistischer Bezirk,
  sex and four age bands (UTF-8 with BOM, ``;``);
- ``haushalte2009bis2020.csv``: households by type and size per Statistischer Bezirk
  (cp1252; keys written without the leading zero, ``5711000001``).

Both readers turn the city's 11-digit keys into the package's four-digit codes with
:func:`geography.normalise_stat_bezirk` and refuse with :class:`DataError` any key, name or
Stadtbezirk that does not match the real Raumgliederung in :mod:`geography`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE, STAT_BEZIRKE, normalise_stat_bezirk

__all__ = [
    "AGE_BANDS",
    "HOUSEHOLDS_FILE",
    "LICENCE_CITY",
    "POPULATION_FILE",
    "read_households",
    "read_population_structure",
]

#: Attribution the city's CC BY-SA 4.0 licence requires, verbatim.
LICENCE_CITY = "© Stadt Bielefeld, Presseamt/Statistikstelle (CC BY-SA 4.0)"

#: The age bands of the population file, code -> label.
AGE_BANDS: dict[str, str] = {
    "1": "unter 18 Jahre",
    "2": "18 bis unter 65 Jahre",
    "3": "65 bis unter 80 Jahre",
    "4": "80 Jahre und älter",
}
_SEX = {"1": "m", "2": "w", "3": "insgesamt"}
_POP_COLUMNS = [
    "stichtag",
    "stad_name",
    "stad_id_k",
    "stat_name",
    "stat_id",
    "stat_id_k",
    "geschlecht",
    "altersgruppen4",
    "einwohnerzahl",
]


def _read(path: Path, encoding: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, sep=";", dtype=str, encoding=encoding, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"keine lesbare CSV-Datei ({exc})", file=path) from exc
    df.columns = [c.strip() for c in df.columns]
    df["_line"] = range(2, len(df) + 2)
    return df


def _bad(df: pd.DataFrame, mask: pd.Series, message: str, path: Path, column: str) -> None:
    if mask.any():
        i = int(mask.to_numpy().nonzero()[0][0])
        raise DataError(message, file=path, row=int(df["_line"].iloc[i]), column=column)


def _codes(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    out = []
    for value, line in zip(df[column], df["_line"], strict=True):
        try:
            out.append(normalise_stat_bezirk(value))
        except DataError as exc:
            raise DataError(exc.problem, file=path, row=int(line), column=column) from None
    return pd.Series(out, index=df.index)


def _counts(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    text = df[column].str.strip()
    _bad(df, ~text.str.fullmatch(r"\d+"), "erwartet wird eine ganze Zahl ≥ 0", path, column)
    return text.astype("int64")


def _years(df: pd.DataFrame, path: Path) -> pd.Series:
    text = df["stichtag"].str.strip()
    ok = text.str.fullmatch(r"3112\d{4}")
    _bad(df, ~ok, "erwartet wird ein Stichtag 31.12. als TTMMJJJJ", path, "stichtag")
    return text.str[4:].astype("int64")


def read_population_structure(path: str | Path) -> pd.DataFrame:
    """Residents on 31.12. by Statistischer Bezirk, sex and age band.

    Parameters
    ----------
    path
        ``bielefeld_bev_struktur_2000bis2019.csv`` of the city's open data.

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), ``stat_bezirk`` (four-digit code), ``stadtbezirk``, ``sex``
        (``"m"``/``"w"``), ``age_band`` (``"1"``…``"4"``, see :data:`AGE_BANDS`), ``count``.
        The file's totals (``geschlecht`` 3) are checked against men + women and dropped.

    Raises
    ------
    DataError
        Unknown columns, keys, names or Stadtbezirke, non-numeric counts, totals that do
        not add up, or a year without all 72 Statistische Bezirke.
    """
    path = Path(path)
    df = _read(path, "utf-8-sig")
    missing = [c for c in _POP_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"Spalten fehlen: {', '.join(missing)}", file=path, row=1)
    df["stat_bezirk"] = _codes(df, "stat_id", path)
    names = df["stat_bezirk"].map(lambda c: STAT_BEZIRKE[c][0])
    _bad(
        df,
        df["stat_name"].str.strip() != names,
        "Name passt nicht zum Schlüssel",
        path,
        "stat_name",
    )
    df["stadtbezirk"] = df["stat_bezirk"].map(lambda c: STAT_BEZIRKE[c][1])
    short = df["stad_id_k"].str.strip().map(lambda k: f"{int(k) + 1:02d}" if k.isdigit() else "")
    _bad(df, short != df["stadtbezirk"], "Stadtbezirk passt nicht zum Schlüssel", path, "stad_id_k")
    sb_names = df["stadtbezirk"].map(STADTBEZIRKE)
    _bad(
        df, df["stad_name"].str.strip() != sb_names, "falscher Stadtbezirksname", path, "stad_name"
    )
    _bad(df, ~df["geschlecht"].isin(list(_SEX)), "Geschlecht 1, 2 oder 3", path, "geschlecht")
    _bad(
        df, ~df["altersgruppen4"].isin(list(AGE_BANDS)), "Altersgruppe 1–4", path, "altersgruppen4"
    )
    df["year"] = _years(df, path)
    df["count"] = _counts(df, "einwohnerzahl", path)
    df["sex"] = df["geschlecht"].map(_SEX)
    df["age_band"] = df["altersgruppen4"]
    keys = ["year", "stat_bezirk", "sex", "age_band"]
    _bad(df, df.duplicated(keys), "doppelte Zeile", path, "stat_id")
    wide = df.pivot_table(index=[*keys[:2], "age_band"], columns="sex", values="count")
    if wide.isna().any().any() or set(wide.columns) != {"m", "w", "insgesamt"}:
        raise DataError("nicht jede Zelle hat männlich, weiblich und gesamt", file=path)
    wrong = wide[wide["insgesamt"] != wide["m"] + wide["w"]]
    if len(wrong):
        year, code, band = wrong.index[0]
        raise DataError(
            f"gesamt ≠ männlich + weiblich im Jahr {year}, Bezirk {code}, Altersgruppe {band}",
            file=path,
        )
    per_year = df.groupby("year")["stat_bezirk"].nunique()
    if (per_year != len(STAT_BEZIRKE)).any():
        year = int(per_year[per_year != len(STAT_BEZIRKE)].index[0])
        raise DataError(f"{year}: nicht alle 72 Statistischen Bezirke", file=path)
    out = df[df["sex"] != "insgesamt"][["year", "stat_bezirk", "stadtbezirk", "sex", "age_band"]]
    out = out.assign(count=df["count"])
    return out.sort_values(keys, ignore_index=True)


#: Household columns of the city file -> package names.
HOUSEHOLD_COLUMNS = {
    "HH_insgesamt": "households",
    "EinPersonenHaushalte": "one_person",
    "ZweiPersonenHaushalte": "two_persons",
    "DreiOderMehrPersonenHaushalte": "three_or_more",
    "HH_keineKinder": "without_children",
    "Haushalt_mitKindern_insgesamt": "with_children",
    "HH_ein_Kind": "one_child",
    "HH_zwei_Kinder": "two_children",
    "HH_drei_oder_mehrKindern": "three_or_more_children",
    "HH_EhePaareohneKinder_evtl_weiterePersonen": "couples_without_children",
    "HH_EhePaaremitKindern_evtl_weiterePersonen": "couples_with_children",
    "HH_Alleinerziehende_ohne_weiterePersonen": "single_parents",
    "HH_SonstigeMehrpersonenhaushalte": "other_multi_person",
}


def read_households(path: str | Path) -> pd.DataFrame:
    """Households on 31.12. per Statistischer Bezirk (``haushalte2009bis2020.csv``).

    The city writes the 11-digit key without its leading zero; it is normalised, not
    guessed (a key that is not one of the 72 raises :class:`DataError`).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``stat_bezirk``, ``stadtbezirk`` and one int64 column per household
        count (see :data:`HOUSEHOLD_COLUMNS`).
    """
    path = Path(path)
    df = _read(path, "cp1252")
    needed = ["stichtag", "jahr", "stat_id", *HOUSEHOLD_COLUMNS]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise DataError(f"Spalten fehlen: {', '.join(missing)}", file=path, row=1)
    df["stat_bezirk"] = _codes(df, "stat_id", path)
    df["stadtbezirk"] = df["stat_bezirk"].map(lambda c: STAT_BEZIRKE[c][1])
    df["year"] = _years(df, path)
    _bad(df, df["jahr"].str.strip() != df["year"].astype(str), "Jahr ≠ Stichtag", path, "jahr")
    for col in HOUSEHOLD_COLUMNS:
        df[col] = _counts(df, col, path)
    _bad(df, df.duplicated(["year", "stat_bezirk"]), "doppelte Zeile", path, "stat_id")
    out = df[["year", "stat_bezirk", "stadtbezirk", *HOUSEHOLD_COLUMNS]]
    out = out.rename(columns=HOUSEHOLD_COLUMNS)
    return out.sort_values(["year", "stat_bezirk"], ignore_index=True)


#: The city's population file below the official folder.
POPULATION_FILE = "bielefeld-open-data/bielefeld_bev_struktur_2000bis2019.csv"
#: The city's household file below the official folder.
HOUSEHOLDS_FILE = "bielefeld-open-data/haushalte2009bis2020.csv"
