"""Loaders for the GENESIS tables of official demography (12411, 12511, 12531, 12711).

Each loader reads the export with :func:`~bielefeld_integration.sources.genesis.read_genesis`
(classic table CSV or flat CSV), keeps the cells of Bielefeld (Kreis ``05711``, also
accepted as AGS ``05711000``) and turns the German attribute labels into the codes of the
processed table:

- ``population_official`` (12411): population by sex and citizenship on the reference date,
  totals included (``insgesamt``); parts must add up to the published totals.
- ``naturalisations`` (12511): naturalisations of the reference year by continent; files that
  stack several years (as the Regionaldatenbank exports do) give only the reference year.
- ``protection_seekers`` (12531): protection seekers by status and sex. Totals (empty
  attribute code, ``Insgesamt``) are checked against their parts within the rounding to 5
  and then dropped, so nothing is counted twice.
- ``migration`` (12711): arrivals and departures by origin/destination (abroad, rest of
  Germany) and citizenship; the published totals are checked and dropped.

Every problem is a :class:`DataError` naming the file and, where it can be located, the line
and column: Bielefeld missing, a table of another reference date, an unknown attribute, a
symbol or fraction where a count is needed, parts that do not add up to their total.

Size: the four loaders (50–90 lines each) share the label maps and the checks of this file
(Bielefeld's cells, time selection, sums against published totals); split, they would
import each other's private helpers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.limits import limits
from bielefeld_integration.sources._csv import finish, read_text
from bielefeld_integration.sources.genesis import STANDARD_COLUMNS, read_genesis
from bielefeld_integration.sources.register import expected, label_map, norm

BIELEFELD = ("05711", "05711000")

SEX = label_map({"insgesamt": ("Insgesamt",), "m": ("männlich", "maennlich"), "w": ("weiblich",)})
CITIZENSHIP = label_map(
    {
        "insgesamt": ("Insgesamt",),
        "deutsch": ("Deutsche", "deutsch"),
        "auslaendisch": (
            "Ausländer",
            "Ausländer/-innen",
            "Ausländerinnen und Ausländer",
            "nichtdeutsch",
        ),
    }
)
CONTINENT = label_map(
    {
        "insgesamt": ("Insgesamt",),
        "Afrika": (),
        "Amerika": (),
        "Asien": (),
        "Europa": (),
        "Australien und Ozeanien": ("Ozeanien", "Australien/Ozeanien"),
        "unbekannt": (
            "Staatenlos, unbekannt, ungeklärt, ohne Angabe",
            "staatenlos, ungeklärt, ohne Angabe",
            "unbekannt, ungeklärt, ohne Angabe",
            "Staatenlos/ungeklärt/ohne Angabe",
        ),
    }
)
PROTECTION = label_map(
    {
        "insgesamt": ("Insgesamt",),
        "offen": ("offener Schutzstatus", "Schutzsuchende mit offenem Schutzstatus"),
        "anerkannt": ("anerkannter Schutzstatus", "Schutzsuchende mit anerkanntem Schutzstatus"),
        "abgelehnt": ("abgelehnter Schutzstatus", "Schutzsuchende mit abgelehntem Schutzstatus"),
    }
)
AREA = label_map(
    {
        "insgesamt": ("Insgesamt",),
        "ausland": ("Ausland",),
        "inland": ("übriges Bundesgebiet", "Bundesgebiet", "Inland", "innerhalb Deutschlands"),
    }
)
DIRECTION = (("zuzug", ("zuzüge", "zuzug")), ("fortzug", ("fortzüge", "fortzug")))


# --- helpers -------------------------------------------------------------------------------


class _RawLines:
    """Locate data rows in the raw file for error messages (the reader keeps no lines)."""

    def __init__(self, path: Path) -> None:
        try:
            text = read_text(path, ("utf-8-sig", "cp1252"))
        except DataError:
            text = ""
        self.rows = [[c.strip() for c in line.split(";")] for line in text.splitlines()]

    def find(self, *cells: str) -> int | None:
        """1-based number of the first line holding all ``cells`` (stripped), else None."""
        want = Counter(c for c in cells if c)
        for i, row in enumerate(self.rows, start=1):
            have = Counter(row)
            if all(have[c] >= n for c, n in want.items()):
                return i
        return None


def _read(path: Path) -> pd.DataFrame:
    lines = _RawLines(path)
    head = [(i, row) for i, row in enumerate(lines.rows, start=1) if any(row)][:5]
    if head and all(len(row) == 1 for _, row in head):
        bad = next((i for i, row in head if "," in row[0] or "\t" in row[0]), None)
        if bad is not None:
            raise DataError(
                "falsches Trennzeichen: GENESIS-Exporte trennen die Felder mit Semikolon ';'",
                file=path,
                row=bad,
            )
    df = read_genesis(path)
    df.attrs["lines"] = lines
    return df


def _bielefeld(df: pd.DataFrame, path: Path, table: str) -> pd.DataFrame:
    """The cells of Bielefeld; DataError if the table does not contain Kreis 05711."""
    rows = df[df["region_code"].isin(BIELEFELD)]
    if rows.empty:
        codes = ", ".join(dict.fromkeys(df["region_code"]).keys()) or "keine"
        raise DataError(
            f"Tabelle {table}: Bielefeld (Kreis 05711) fehlt; enthaltene Regionen: {codes}",
            file=path,
        )
    if rows["region_code"].nunique() > 1:  # Kreis and Gemeinde: the same figures, keep one
        rows = rows[rows["region_code"] == BIELEFELD[0]]
    out = rows.copy()
    out.attrs = df.attrs
    return out


def _column(df: pd.DataFrame, prefixes: Iterable[str], path: Path, what: str) -> str:
    """The dimension column whose name starts with one of ``prefixes`` (case-insensitive)."""
    prefixes = tuple(p.casefold() for p in prefixes)
    for col in df.columns:
        if (
            col not in STANDARD_COLUMNS
            and not col.endswith("_code")
            and col.casefold().startswith(prefixes)
        ):
            return col
    dims = [c for c in df.columns if c not in STANDARD_COLUMNS and not c.endswith("_code")]
    raise DataError(
        f"Merkmal »{what}« fehlt in der Tabelle (gefunden: {', '.join(dims) or 'keine'})",
        file=path,
    )


def _no_other_dimensions(df: pd.DataFrame, used: Iterable[str], path: Path) -> None:
    """Refuse tables broken down by further classifications (they would be summed wrongly)."""
    used = set(used)
    for col in df.columns:
        if col in STANDARD_COLUMNS or col in used or col.removesuffix("_code") in used:
            continue
        if col.endswith("_variable"):
            continue
        if df[col].nunique() > 1:
            raise DataError(
                f"unerwartete Gliederung nach »{col}« – erwartet wird eine Tabelle ohne "
                "dieses Merkmal",
                file=path,
            )


def _where(df: pd.DataFrame, i: int, *cells: str) -> int | None:
    """The line of cell ``i`` of ``df`` (found by time, region code and ``cells``)."""
    lines: _RawLines = df.attrs["lines"]
    return lines.find(str(df["region_code"].iloc[i]), *cells)


def _select_time(
    df: pd.DataFrame, reference_date: str, path: Path, *, by_year: bool
) -> pd.DataFrame:
    """Cells of the reference date (or its year); DataError if the table has another date."""
    want = reference_date[:4] if by_year else reference_date
    found = sorted(dict.fromkeys(df["time"]))
    keep = df[df["time"] == want]
    if keep.empty:
        line = df.attrs["lines"].find(str(df["region_code"].iloc[0]))
        shown = ", ".join(found)
        raise DataError(
            f"falscher Stichtag/Berichtszeitraum: die Tabelle gilt für {shown}, die Lieferung "
            f"ist für {want} angemeldet",
            file=path,
            row=line,
        )
    out = keep.copy()
    out.attrs = df.attrs
    return out


def _map(df: pd.DataFrame, col: str, lookup: Mapping[str, str], path: Path, what: str) -> None:
    keys = df[col].map(norm)
    mapped = keys.map(lookup)
    bad = mapped.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        value = str(df[col].iloc[i])
        raise DataError(
            f"unbekannte(r) {what} »{value}« (erwartet: {expected(lookup)})",
            file=path,
            row=_where(df, i, value) or df.attrs["lines"].find(value),
            column=col,
        )
    df[col] = mapped.astype(str)


def _counts(df: pd.DataFrame, path: Path, describe) -> pd.Series:
    """Whole non-negative counts from ``value``/``symbol`` (``-`` is zero)."""
    out = []
    for i, (value, symbol) in enumerate(zip(df["value"], df["symbol"], strict=True)):
        sym = str(symbol).split(" ")[0] if symbol else ""
        if pd.isna(value):
            if sym == "-":
                out.append(0)
                continue
            line, column = describe(i)
            raise DataError(
                f"Zahlenwert fehlt (Tabellenzeichen »{symbol}«), benötigt wird eine Anzahl",
                file=path,
                row=line,
                column=column,
            )
        if value < 0 or not float(value).is_integer() or value > limits().max_count:
            line, column = describe(i)
            raise DataError(
                f"keine Anzahl: {value:g} (erwartet eine ganze Zahl ≥ 0 und höchstens "
                f"{limits().max_count:,})".replace(",", "."),
                file=path,
                row=line,
                column=column,
            )
        out.append(int(value))
    return pd.Series(out, index=df.index, dtype="int64")


def _check_sum(
    parts: int,
    total: int,
    path: Path,
    line: int | None,
    column: str,
    what: str,
    tolerance: float = 0,
) -> None:
    if abs(parts - total) > tolerance:
        extra = f" (zulässige Rundungsdifferenz {tolerance:g})" if tolerance else ""
        raise DataError(
            f"{what}: Summe der Teile {parts} ≠ ausgewiesene Summe {total}{extra}",
            file=path,
            row=line,
            column=column,
        )


# --- 12411 ---------------------------------------------------------------------------------


def load_population_official(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read GENESIS table 12411 (population by sex and citizenship) into ``population_official``.

    Parameters
    ----------
    path
        A classic or flat GENESIS export with the classifications sex and citizenship.
    reference_date
        The manifest's reference date (ISO); the table's Stichtag must equal it.

    Returns
    -------
    pandas.DataFrame
        Nine rows (sex × citizenship including ``insgesamt``) with ``count``.
    """
    df = _bielefeld(_read(path), path, "12411")
    df = _select_time(df, reference_date, path, by_year=len(df["time"].iloc[0]) == 4)
    sex = _column(df, ("Geschlecht",), path, "Geschlecht")
    cit = _column(df, ("Nationalität", "Staatsangehörigkeit"), path, "Nationalität")
    _no_other_dimensions(df, [sex, cit], path)
    df = df.reset_index(drop=True)
    labels = df[[sex, cit]].astype(str).to_numpy()
    for col in (sex, cit):
        df[col] = df[col].replace("", "Insgesamt")
    _map(df, sex, SEX, path, "Geschlecht")
    _map(df, cit, CITIZENSHIP, path, "Nationalität")

    def describe(i: int) -> tuple[int | None, str]:
        return _where(df, i), " / ".join(x for x in labels[i] if x)

    df["count"] = _counts(df, path, describe)
    out = df.rename(columns={sex: "sex", cit: "citizenship"})[["sex", "citizenship", "count"]]
    dup = out.duplicated(["sex", "citizenship"])
    if dup.any():
        raise DataError(
            "Tabelle 12411: Zelle für Bielefeld doppelt",
            file=path,
            row=_where(df, int(dup.to_numpy().nonzero()[0][0])),
        )
    cells = out.set_index(["sex", "citizenship"])["count"]
    need = [
        (s, c) for s in ("insgesamt", "m", "w") for c in ("insgesamt", "deutsch", "auslaendisch")
    ]
    missing = [k for k in need if k not in cells.index]
    if missing:
        raise DataError(
            "Tabelle 12411: für Bielefeld fehlen die Zellen "
            + ", ".join(f"{s}/{c}" for s, c in missing),
            file=path,
            row=_where(df, 0),
        )
    line = _where(df, 0)
    german = {
        "insgesamt": "Insgesamt",
        "m": "männlich",
        "w": "weiblich",
        "deutsch": "Deutsche",
        "auslaendisch": "Ausländer",
    }
    for c in ("insgesamt", "deutsch", "auslaendisch"):
        _check_sum(
            int(cells["m", c] + cells["w", c]),
            int(cells["insgesamt", c]),
            path,
            line,
            f"Insgesamt / {german[c]}",
            f"männlich + weiblich ({german[c]})",
        )
    for s in ("insgesamt", "m", "w"):
        _check_sum(
            int(cells[s, "deutsch"] + cells[s, "auslaendisch"]),
            int(cells[s, "insgesamt"]),
            path,
            line,
            f"{german[s]} / Insgesamt",
            f"Deutsche + Ausländer ({german[s]})",
        )
    return finish(out.reset_index(drop=True), reference_date)


# --- 12511 ---------------------------------------------------------------------------------


def load_naturalisations(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read GENESIS table 12511 (naturalisations by continent) into ``naturalisations``.

    Parameters
    ----------
    path
        A classic or flat GENESIS export; several stacked years are allowed.
    reference_date
        The manifest's reference date (ISO); only cells of its year are kept.

    Returns
    -------
    pandas.DataFrame
        One row per continent (without the total) with ``count``.
    """
    df = _bielefeld(_read(path), path, "12511")
    df = _select_time(df, reference_date, path, by_year=True)
    cont = _column(df, ("Kontinent",), path, "Kontinente")
    _no_other_dimensions(df, [cont], path)
    df = df.reset_index(drop=True)
    labels = df[cont].astype(str).tolist()
    year = reference_date[:4]
    _map(df, cont, CONTINENT, path, "Kontinent")

    def describe(i: int) -> tuple[int | None, str]:
        return df.attrs["lines"].find(year, str(df["region_code"].iloc[i])), labels[i]

    df["count"] = _counts(df, path, describe)
    line = describe(0)[0]
    dup = df.duplicated(cont)
    if dup.any():
        raise DataError("Tabelle 12511: Kontinent für Bielefeld doppelt", file=path, row=line)
    total = df[df[cont] == "insgesamt"]
    parts = df[df[cont] != "insgesamt"]
    if not total.empty:
        _check_sum(
            int(parts["count"].sum()),
            int(total["count"].iloc[0]),
            path,
            line,
            "Insgesamt",
            f"Einbürgerungen {year} nach Kontinenten",
        )
    out = parts.rename(columns={cont: "continent"})[["continent", "count"]]
    return finish(out.reset_index(drop=True), reference_date)


# --- 12531 ---------------------------------------------------------------------------------


def load_protection_seekers(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read GENESIS table 12531 (protection seekers) into ``protection_seekers``.

    Parameters
    ----------
    path
        A flat (or classic) GENESIS export by protection status and sex.
    reference_date
        The manifest's reference date (ISO); the table's Stichtag must equal it.

    Returns
    -------
    pandas.DataFrame
        One row per status × sex with ``count`` (rounded to 5 as published).
    """
    df = _bielefeld(_read(path), path, "12531")
    df = _select_time(df, reference_date, path, by_year=len(df["time"].iloc[0]) == 4)
    status = _column(df, ("Schutzstatus",), path, "Schutzstatus")
    sex = _column(df, ("Geschlecht",), path, "Geschlecht")
    _no_other_dimensions(df, [status, sex], path)
    df = df.reset_index(drop=True)
    for col in (status, sex):
        df[col] = df[col].replace("", "Insgesamt")
    raw = df[[status, sex]].astype(str).to_numpy()
    _map(df, status, PROTECTION, path, "Schutzstatus")
    _map(df, sex, SEX, path, "Geschlecht")

    def describe(i: int) -> tuple[int | None, str]:
        return _where(df, i, *raw[i]), "value"

    df["count"] = _counts(df, path, describe)
    dup = df.duplicated([status, sex])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(
            f"Tabelle 12531: Zelle {raw[i][0]} / {raw[i][1]} für Bielefeld doppelt",
            file=path,
            row=_where(df, i, *raw[i]),
        )
    # totals against their finest parts; each published value is rounded to 5 (± 2.5)
    fine = df[(df[status] != "insgesamt") & (df[sex] != "insgesamt")]
    for i in (df[status].eq("insgesamt") | df[sex].eq("insgesamt")).to_numpy().nonzero()[0]:
        st, sx = df[status].iloc[i], df[sex].iloc[i]
        parts = fine[
            ((st == "insgesamt") | (fine[status] == st)) & ((sx == "insgesamt") | (fine[sex] == sx))
        ]
        _check_sum(
            int(parts["count"].sum()),
            int(df["count"].iloc[i]),
            path,
            _where(df, i, *raw[i]),
            "value",
            f"Summe zu {raw[i][0]} / {raw[i][1]}",
            tolerance=2.5 * (len(parts) + 1),
        )
    keep = (df[status] != "insgesamt") & (df[sex] != "insgesamt")
    out = df[keep].rename(columns={status: "protection_status", sex: "sex"})
    out = out[["protection_status", "sex", "count"]]
    if out.empty:
        raise DataError("Tabelle 12531: keine Zellen nach Schutzstatus und Geschlecht", file=path)
    return finish(out.reset_index(drop=True), reference_date)


# --- 12711 ---------------------------------------------------------------------------------


def _direction(measure: str) -> str | None:
    text = norm(measure)
    for code, starts in DIRECTION:
        if text.startswith(starts):
            return code
    return None


def load_migration(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read GENESIS table 12711 (migration across the city boundary) into ``migration``.

    Parameters
    ----------
    path
        A classic GENESIS export with the row dimension Herkunfts-/Zielgebiet and the column
        headers Zuzüge/Fortzüge × Staatsangehörigkeit.
    reference_date
        The manifest's reference date (ISO); the table's year must be its year.

    Returns
    -------
    pandas.DataFrame
        direction × area type × citizenship (no totals) with ``count``.
    """
    df = _bielefeld(_read(path), path, "12711")
    df = _select_time(df, reference_date, path, by_year=True)
    area = _column(df, ("Herkunft", "Ziel", "Gebiet"), path, "Herkunfts-/Zielgebiet")
    cit = _column(df, ("Staatsangehörigkeit", "Nationalität"), path, "Staatsangehörigkeit")
    _no_other_dimensions(df, [area, cit], path)
    df = df.reset_index(drop=True)
    raw_area = df[area].astype(str).tolist()
    columns = [f"{m} / {c}" for m, c in zip(df["measure"], df[cit], strict=True)]
    df[cit] = df[cit].replace("", "Insgesamt")
    df["direction"] = df["measure"].map(_direction)
    if df["direction"].isna().any():
        i = int(df["direction"].isna().to_numpy().nonzero()[0][0])
        raise DataError(
            f"unbekannte Wertspalte »{df['measure'].iloc[i]}« (erwartet: Zuzüge, Fortzüge)",
            file=path,
            row=_where(df, i, raw_area[i]),
            column=columns[i],
        )
    _map(df, area, AREA, path, "Herkunfts-/Zielgebiet")
    _map(df, cit, CITIZENSHIP, path, "Staatsangehörigkeit")

    def describe(i: int) -> tuple[int | None, str]:
        return _where(df, i, raw_area[i]), columns[i]

    df["count"] = _counts(df, path, describe)
    keys = ["direction", area, cit]
    dup = df.duplicated(keys)
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(
            "Tabelle 12711: Zelle für Bielefeld doppelt",
            file=path,
            row=_where(df, i, raw_area[i]),
            column=columns[i],
        )
    cells = df.set_index(keys)["count"]
    pos = {k: i for i, k in enumerate(zip(df["direction"], df[area], df[cit], strict=True))}
    for d in ("zuzug", "fortzug"):
        for a in ("ausland", "inland"):
            for c in ("deutsch", "auslaendisch"):
                if (d, a, c) not in cells.index:
                    raise DataError(
                        f"Tabelle 12711: für Bielefeld fehlt die Zelle {d}/{a}/{c}",
                        file=path,
                        row=_where(df, 0, raw_area[0]),
                    )
        for a in ("ausland", "inland", "insgesamt"):
            if (d, a, "insgesamt") in cells.index:
                i = pos[(d, a, "insgesamt")]
                parts = sum(int(cells.get((d, a, c), 0)) for c in ("deutsch", "auslaendisch"))
                _check_sum(
                    parts,
                    int(cells[d, a, "insgesamt"]),
                    path,
                    _where(df, i, raw_area[i]),
                    columns[i],
                    f"Deutsche + Ausländer ({raw_area[i]})",
                )
        for c in ("insgesamt", "deutsch", "auslaendisch"):
            if (d, "insgesamt", c) in cells.index:
                i = pos[(d, "insgesamt", c)]
                parts = sum(int(cells.get((d, a, c), 0)) for a in ("ausland", "inland"))
                _check_sum(
                    parts,
                    int(cells[d, "insgesamt", c]),
                    path,
                    _where(df, i, raw_area[i]),
                    columns[i],
                    "Ausland + übriges Bundesgebiet",
                )
    keep = (df[area] != "insgesamt") & (df[cit] != "insgesamt")
    out = df[keep].rename(columns={area: "area_type", cit: "citizenship"})
    out = out[["direction", "area_type", "citizenship", "count"]]
    return finish(out.reset_index(drop=True), reference_date)


LOADERS = {
    "population_official": load_population_official,
    "naturalisations": load_naturalisations,
    "protection_seekers": load_protection_seekers,
    "migration": load_migration,
}
