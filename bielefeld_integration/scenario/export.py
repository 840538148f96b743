"""The projection as German tables for planners, and the CSV/XLSX export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from bielefeld_integration.atomic import write_with
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.safe_text import neutralise_frame
from bielefeld_integration.scenario.definitions import (
    CHANNEL_LABELS,
    CITY,
    NEEDS,
    OUTPUT_COLUMNS,
)
from bielefeld_integration.scenario.rates import Rates

GERMAN_COLUMNS = {
    "year": "Jahr",
    "area": "Gebiet",
    "need": "Bedarf",
    "kind": "Art",
    "unit": "Einheit",
    "value": "Wert",
    "low": "untere Grenze",
    "high": "obere Grenze",
}


def _area_label(code: str) -> str:
    return "Bielefeld insgesamt" if code == CITY else f"{code} {STADTBEZIRKE[code]}"


def needs_table(
    df: pd.DataFrame,
    *,
    stadtbezirk: str | None = None,
    needs: Sequence[str] | None = None,
    decimals: int = 0,
) -> pd.DataFrame:
    """The projection as a German table for planners.

    Parameters
    ----------
    df:
        The result of :func:`project`.
    stadtbezirk:
        Only this area (``"stadt"`` or ``"01"`` … ``"10"``); default all.
    needs:
        Only these needs (keys of :data:`NEEDS`), in this order; default all.
    decimals:
        Rounding of value and range (default whole numbers).

    Returns
    -------
    pandas.DataFrame
        Columns ``Jahr``, ``Gebiet``, ``Bedarf``, ``Art`` (Bestand am Jahresende / im Jahr),
        ``Einheit``, ``Wert``, ``untere Grenze``, ``obere Grenze``.
    """
    missing = [c for c in OUTPUT_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"keine Szenario-Tabelle: Spalten {', '.join(missing)} fehlen")
    unknown_needs = sorted(set(df["need"]) - set(NEEDS))
    if unknown_needs:
        raise DataError(f"unbekannte Bedarfe {', '.join(map(str, unknown_needs))}")
    out = df
    if stadtbezirk is not None:
        out = out[out["stadtbezirk"] == stadtbezirk]
    if needs is not None:
        unknown = [n for n in needs if n not in NEEDS]
        if unknown:
            raise DataError(f"unbekannte Bedarfe {', '.join(unknown)}")
        out = out[out["need"].isin(list(needs))]
        order = {n: i for i, n in enumerate(needs)}
        out = out.sort_values(
            ["year", "need"], key=lambda s: s.map(order) if s.name == "need" else s, kind="stable"
        )
    table = pd.DataFrame(
        {
            "Jahr": out["year"].astype("int64").to_numpy(),
            "Gebiet": out["stadtbezirk"].map(_area_label).to_numpy(),
            "Bedarf": out["need"].map(lambda n: NEEDS[n].label).to_numpy(),
            "Art": out["need"]
            .map(lambda n: "Bestand am Jahresende" if NEEDS[n].stock else "im Jahr")
            .to_numpy(),
            "Einheit": out["unit"].to_numpy(),
            "Wert": out["value"].round(decimals).to_numpy(),
            "untere Grenze": out["low"].round(decimals).to_numpy(),
            "obere Grenze": out["high"].round(decimals).to_numpy(),
        }
    )
    if decimals == 0:
        for c in ("Wert", "untere Grenze", "obere Grenze"):
            table[c] = table[c].astype("int64")
    table.attrs = dict(df.attrs)
    return table


def rates_table(rates: Rates | pd.DataFrame | list) -> pd.DataFrame:
    """The rates with German column titles (from :class:`Rates` or ``df.attrs["rates"]``)."""
    if isinstance(rates, Rates):
        frame = rates.to_frame()
    else:
        frame = pd.DataFrame(rates)
    return frame.rename(
        columns={
            "name": "Kennzahl",
            "label": "Bezeichnung",
            "value": "Wert",
            "low": "untere Grenze",
            "high": "obere Grenze",
            "unit": "Einheit",
            "source": "Quelle",
            "definition": "Definition",
        }
    )


def export(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a projection (or a German table) to CSV or XLSX, chosen by the file suffix.

    Parameters
    ----------
    df:
        The result of :func:`project` (converted with :func:`needs_table`) or any table with
        German headers (e.g. :func:`backtest_table`).
    path:
        ``*.csv``: UTF-8, separator ``;``, decimal comma, German headers. ``*.xlsx``: sheet
        »Bedarfe« plus, for a projection, »Annahmen« (rates and sources) and »Szenario«.

    Returns
    -------
    pathlib.Path
        The written file (written atomically with :mod:`bielefeld_integration.atomic`: a
        failure leaves an earlier file intact).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DataError(f"unbekanntes Ausgabeformat {path.suffix!r}: .csv oder .xlsx", file=path)
    is_projection = all(c in df.columns for c in OUTPUT_COLUMNS)
    # names and titles come from scenario files: never a formula in a spreadsheet
    table = neutralise_frame(needs_table(df) if is_projection else df)
    if suffix == ".csv":
        return write_with(
            path, lambda p: table.to_csv(p, sep=";", index=False, encoding="utf-8", decimal=",")
        )

    def write_xlsx(p: Path) -> None:
        with pd.ExcelWriter(p, engine="openpyxl") as xl:
            table.to_excel(xl, sheet_name="Bedarfe", index=False)
            attrs = df.attrs or {}
            if attrs.get("rates"):
                neutralise_frame(rates_table(attrs["rates"])).to_excel(
                    xl, sheet_name="Annahmen", index=False
                )
            if attrs.get("scenario"):
                info = [
                    ("Szenario", attrs.get("scenario", "")),
                    ("Titel", attrs.get("title", "")),
                    ("Beschreibung", attrs.get("description", "")),
                    ("Referenzjahre (Struktur)", ", ".join(attrs.get("reference_periods", []))),
                    ("Jahre der Kennzahlen", ", ".join(attrs.get("rate_periods", []))),
                ]
                for channel, groups in attrs.get("arrivals", {}).items():
                    for group, values in groups.items():
                        label = CHANNEL_LABELS.get(channel, channel)
                        if group != "alle":
                            label += f" ({group})"
                        info.append((f"Zugänge {label}", "; ".join(f"{v:.0f}" for v in values)))
                neutralise_frame(pd.DataFrame(info, columns=["Angabe", "Wert"])).to_excel(
                    xl, sheet_name="Szenario", index=False
                )

    return write_with(path, write_xlsx)
