"""The chapter "Bielefeld im Vergleich" (amtliche Daten): what the notebook shows.

:class:`ComparisonChapter` reads only the ingested official tables
(``<data>/official/``), never the synthetic demo. Its ``show_*`` methods put charts, tables
and short German texts into the notebook through :mod:`present.display`; every chart and
table names "amtliche Daten", its source tables and the attribution their licence
requires. Where an official series ends before the report period, the chapter says so and
shows no value for later years. The numbers come from :mod:`.compare` and :mod:`.figures`.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import matplotlib as mpl
import pandas as pd

from bielefeld_integration.official import compare, figures
from bielefeld_integration.official.compare import INDICATORS, ComparisonIndicator
from bielefeld_integration.official.geometry import nrw_map
from bielefeld_integration.official.ingest import load_official, official_provenance
from bielefeld_integration.official.manifest import OfficialEntry, source_line
from bielefeld_integration.periods import Period
from bielefeld_integration.present.charts import (
    CONTEXT_GREY,
    PALETTE,
    format_axis,
    new_chart,
    subtitle,
)
from bielefeld_integration.present.display import show_chart, show_table
from bielefeld_integration.present.format import NOT_AVAILABLE_TEXT, fmt_number, fmt_percent

__all__ = ["ComparisonChapter", "end_note", "fmt_indicator", "indicator_sentence"]

#: German headers of the downloadable comparison table.
_TABLE_HEADERS = {
    "year": "Jahr",
    "bielefeld": "Bielefeld",
    "nrw": "Nordrhein-Westfalen",
    "detmold": "Regierungsbezirk Detmold",
    "median_kfs": "Kreisfreie Städte Median",
    "min_kfs": "Kreisfreie Städte Minimum",
    "max_kfs": "Kreisfreie Städte Maximum",
    "rank": "Rang Bielefelds",
    "n_kfs": "Anzahl kreisfreie Städte mit Wert",
}
_ENTRY_FIELDS = [f.name for f in fields(OfficialEntry)]
_LINES = [("bielefeld", "Bielefeld", PALETTE[5], 2.6), ("nrw", "NRW", PALETTE[0], 1.8)]
_LINES.append(("detmold", "Regierungsbezirk Detmold", PALETTE[2], 1.8))


def fmt_indicator(value: float, ind: ComparisonIndicator) -> str:
    """A value of an indicator in German: ``13,1 %``, ``1,05`` (je 100), ``11,7`` (je 1.000).

    >>> fmt_indicator(13.07, INDICATORS["auslaenderanteil"])
    '13,1 %'
    >>> fmt_indicator(1.0471, INDICATORS["einbuergerungsquote"])
    '1,05'
    """
    if ind.unit == "%":
        return fmt_percent(value, 1)
    return fmt_number(value, 2 if ind.unit == "je 100" else 1)


def end_note(last_year: str, period: str) -> str:
    """German note on where the official series ends relative to the report period.

    >>> end_note("2015", "2017")[:62]
    'Die amtliche Reihe in den mitgelieferten Tabellen endet 2015. '
    """
    text = f"Die amtliche Reihe in den mitgelieferten Tabellen endet {last_year}. "
    if int(period) > int(last_year):
        text += (
            f"Für das Berichtsjahr {period} liegt kein amtlicher Wert vor; er wird weder "
            "geschätzt noch fortgeschrieben."
        )
    else:
        text += f"Das Berichtsjahr {period} ist in der Reihe enthalten, soweit die Tabelle es hat."
    return text


def indicator_sentence(ind: ComparisonIndicator, table: pd.DataFrame) -> str:
    """One German sentence with the last values of Bielefeld, NRW and the kreisfreie Städte."""
    row = table.dropna(subset=["bielefeld"]).iloc[-1]
    year = str(table.dropna(subset=["bielefeld"]).index[-1])
    text = f"{year} lag der Wert in Bielefeld bei {fmt_indicator(row['bielefeld'], ind)}"
    if pd.notna(row["nrw"]):
        text += f", in Nordrhein-Westfalen bei {fmt_indicator(row['nrw'], ind)}"
    if pd.notna(row["detmold"]):
        text += f" und im Regierungsbezirk Detmold bei {fmt_indicator(row['detmold'], ind)}"
    text += "."
    if pd.notna(row["rank"]) and row["n_kfs"] > 1:
        text += (
            f" Unter den {int(row['n_kfs'])} kreisfreien Städten Nordrhein-Westfalens hatte "
            f"Bielefeld den {int(row['rank'])}.-höchsten Wert (Median "
            f"{fmt_indicator(row['median_kfs'], ind)})."
        )
    return text


class ComparisonChapter:
    """Bielefeld beside NRW, Regierungsbezirk Detmold and the kreisfreie Städte (official).

    Parameters
    ----------
    period:
        Report period (``"2017"``); the official series are shown as far as they go.
    data_dir:
        The processed store (empty: the default, see :mod:`bielefeld_integration.store`).
    """

    def __init__(self, period: str, data_dir: str | Path = "") -> None:
        self.period = str(Period.parse(period))
        self.data_dir = data_dir or None
        self.provenance = official_provenance(self.data_dir)
        self.tables = {n: load_official(n, self.data_dir) for n in compare.TABLES}
        self.series = compare.compute(self.tables)
        self.last_years = figures.last_years(self.series)
        self._entries = {
            f["table"]: OfficialEntry(**{k: f[k] for k in _ENTRY_FIELDS})
            for t in self.provenance["tables"].values()
            for f in t["files"]
        }

    # ------------------------------------------------------------------------- helpers
    def source(self, *codes: str) -> str:
        """Source line(s) of the given table codes with the licences' attribution."""
        return source_line([self._entries[c] for c in codes])

    @staticmethod
    def _markdown(text: str) -> None:
        from IPython.display import Markdown, display

        display(Markdown(text))

    # ------------------------------------------------------------------------- display
    def show_notice(self) -> None:
        """What the chapter is based on and how far the official series go."""
        first = min(self.last_years.values())
        last = max(self.last_years.values())
        self._markdown(
            "**Amtliche Daten.** Dieses Kapitel beruht ausschließlich auf amtlichen Tabellen "
            "der Regionaldatenbank Deutschland (© Statistische Ämter des Bundes und der "
            "Länder, Datenlizenz Deutschland – Namensnennung – Version 2.0) und auf den "
            "Verwaltungsgrenzen des Bundesamts für Kartographie und Geodäsie (© GeoBasis-DE / "
            "BKG). Es enthält keine synthetischen Demodaten. Die mitgelieferten Tabellen "
            f"reichen je nach Statistik bis {first} oder {last}. "
            + (
                f"Für das Berichtsjahr {self.period} gibt es deshalb keine amtlichen Werte; "
                "gezeigt werden die Reihen bis zu ihrem letzten Jahr, nichts wird geschätzt "
                "oder fortgeschrieben."
                if int(self.period) > int(last)
                else f"Die Reihen werden vollständig gezeigt, auch über das Berichtsjahr "
                f"{self.period} hinaus."
            )
        )

    def key_figures(self) -> pd.DataFrame:
        """Bielefeld's key figures as a reader sees them (German text cells)."""
        kf = figures.key_figures(self.tables)
        return pd.DataFrame(
            {
                "Kennzahl": kf["figure"],
                "Stand": kf["reference"],
                "Bielefeld": [fmt_number(v) for v in kf["value"]],
                "Tabelle": kf["table"],
            }
        )

    def show_key_figures(self) -> None:
        """Table of Bielefeld's key figures, each for the last year of its table."""
        kf = figures.key_figures(self.tables)
        codes = list(dict.fromkeys(kf["table"]))
        show_table(
            self.key_figures(),
            caption="Bielefeld in amtlichen Zahlen, jeweils letzter verfügbarer Stand. "
            f"Quelle: {self.source(*codes)}",
            name="eckwerte-amtlich",
            data=kf.rename(
                columns={
                    "figure": "Kennzahl",
                    "reference": "Stand",
                    "value": "Wert",
                    "table": "Tabelle",
                }
            ).drop(columns="year"),
        )

    def show_map(self) -> None:
        """Map of NRW's Kreise coloured by the foreigners' share, Bielefeld outlined."""
        kreise = load_official("kreise", self.data_dir)
        shares = figures.foreigner_share_by_kreis(self.tables, "2015")
        names = kreise.drop_duplicates("ags").set_index("ags")["name"]
        own = shares["05711"]
        lo, hi = shares.idxmin(), shares.idxmax()
        source = self.source("12411-03-03-4", "VG2500_KRS")
        fig, ax = new_chart(
            f"In Bielefeld waren am 31.12.2015 {fmt_percent(own)} der Einwohner Ausländer",
            subtitle(
                "Ausländeranteil in %", "Kreise und kreisfreie Städte NRW", "31.12.2015", source
            ),
            figsize=(7.0, 7.2),
        )
        nrw_map(kreise, "05711", values=shares, ax=ax)
        norm = mpl.colors.Normalize(shares.min(), shares.max())
        bar = fig.colorbar(
            mpl.cm.ScalarMappable(norm=norm, cmap="Blues"), ax=ax, shrink=0.6, location="bottom"
        )
        format_axis(bar.ax, "x", percent=True)
        alt = (
            f"Karte der {len(shares)} Kreise und kreisfreien Städte Nordrhein-Westfalens, "
            f"eingefärbt nach dem Ausländeranteil am 31.12.2015: von {fmt_percent(shares[lo])} "
            f"in {names.get(lo, lo)} bis {fmt_percent(shares[hi])} in {names.get(hi, hi)}. "
            f"Bielefeld ist orange umrandet und hat {fmt_percent(own)}."
        )
        data = pd.DataFrame(
            {
                "AGS": shares.index,
                "Kreis": [names.get(c, "") for c in shares.index],
                "Ausländeranteil in %": shares.round(2).to_numpy(),
            }
        )
        show_chart(fig, alt=alt, data=data, name="karte-nrw")

    def indicator_table(self, ind_id: str) -> pd.DataFrame:
        """The comparison table of one indicator as a reader sees it."""
        ind = INDICATORS[ind_id]
        t = figures.comparison_table(self.series, ind_id)

        def f(value: float) -> str:
            return fmt_indicator(value, ind)  # a missing value prints as NOT_AVAILABLE_TEXT

        return pd.DataFrame(
            {
                "Jahr": t.index.astype(str),
                "Bielefeld": [f(v) for v in t["bielefeld"]],
                "NRW": [f(v) for v in t["nrw"]],
                "Reg.-Bez. Detmold": [f(v) for v in t["detmold"]],
                "Kreisfreie Städte (Median)": [f(v) for v in t["median_kfs"]],
                "Rang Bielefelds": [
                    f"{int(r)} von {int(n)}" if pd.notna(r) else NOT_AVAILABLE_TEXT
                    for r, n in zip(t["rank"], t["n_kfs"], strict=True)
                ],
            }
        )

    def show_indicator(self, ind_id: str) -> None:
        """Chart, sentence and table of one comparison indicator."""
        ind = INDICATORS[ind_id]
        t = figures.comparison_table(self.series, ind_id)
        source = self.source(*ind.tables)
        years = t.index.astype(int)
        full = pd.RangeIndex(years.min(), years.max() + 1)
        wide = t.set_axis(years).reindex(full)
        period_text = (
            f"Jahre {years.min()}–{years.max()}" if len(years) > 1 else f"Jahr {years.min()}"
        )
        fig, ax = new_chart(
            ind.title,
            subtitle(
                ind.measure,
                "Bielefeld, NRW, Reg.-Bez. Detmold, kreisfreie Städte",
                period_text,
                source,
            ),
        )
        label = "Spanne der kreisfreien Städte"
        if len(years) == len(full) and len(years) > 1:
            ax.fill_between(
                full,
                wide["min_kfs"],
                wide["max_kfs"],
                color=CONTEXT_GREY,
                alpha=0.2,
                lw=0,
                label=label,
            )
        else:  # single years: the range as a bar, no area that suggests values in between
            ax.vlines(
                years, t["min_kfs"], t["max_kfs"], color=CONTEXT_GREY, alpha=0.35, lw=8, label=label
            )
        for col, label, colour, width in _LINES:
            ax.plot(full, wide[col], color=colour, lw=width, marker="o", ms=4, label=label)
        ax.set_xticks(list(years) if len(years) <= 8 else list(years[:: max(1, len(years) // 8)]))
        ax.set_xticklabels([str(y) for y in ax.get_xticks()])
        format_axis(ax, "y", percent=ind.unit == "%")
        ax.legend(frameon=False, fontsize=8, loc="best")
        sentence = indicator_sentence(ind, t)
        gaps = (
            ""
            if len(years) == years.max() - years.min() + 1
            else " Jahre ohne amtlichen Wert bleiben leer."
        )
        show_chart(
            fig,
            alt=f"Liniendiagramm: {ind.title}, {period_text}. {sentence}{gaps}",
            data=self.series[self.series["indicator"] == ind_id]
            .drop(columns="indicator")
            .rename(
                columns={
                    "region_code": "AGS",
                    "region_name": "Gebiet",
                    "year": "Jahr",
                    "numerator": "Zähler",
                    "denominator": "Nenner",
                    "value": "Wert",
                }
            ),
            name=f"vergleich-{ind_id.replace('_', '-')}",
        )
        self._markdown(
            f"{sentence} {end_note(self.last_years[ind_id], self.period)}\n\n"
            f"*Definition:* {ind.numerator} im Verhältnis zu {ind.denominator}"
            + (f" (je {fmt_number(ind.multiplier)})." if ind.unit != "%" else ", in %.")
        )
        show_table(
            self.indicator_table(ind_id),
            caption=f"{ind.title}. Quelle: {source}",
            name=f"tabelle-{ind_id.replace('_', '-')}",
            data=t.reset_index().rename(columns=_TABLE_HEADERS),
        )

    def show_sources(self) -> None:
        """The official tables of this chapter with period, licence and checksum."""
        rows = []
        for _name, info in sorted(self.provenance["tables"].items()):
            for f in info["files"]:
                if f["kind"] == "metadata" or (
                    f["kind"] == "geometry" and not f["file"].endswith(".shp")
                ):
                    continue
                periods = info["periods"]
                rows.append(
                    {
                        "Tabelle": f["table"],
                        "Inhalt": f["title"],
                        "Zeitraum": f"{periods[0][:4]}–{periods[-1][:4]}" if periods else "–",
                        "Herausgeber": f["publisher"],
                        "Namensnennung": f["attribution"],
                        "Lizenz": f["licence"],
                        "Prüfsumme (SHA-256, Anfang)": f["sha256"][:12],
                    }
                )
        show_table(
            pd.DataFrame(rows),
            caption="Amtliche Daten dieses Kapitels: Tabellen, Zeiträume, Lizenzen und "
            "Prüfsummen der Dateien in data/official/",
            name="quellen-amtlich",
        )
