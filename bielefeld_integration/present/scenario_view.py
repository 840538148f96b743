"""Tables, charts and texts of the report chapter "Szenarien" (pure functions).

Everything the chapter shows is built here from a projection (:func:`run_scenario`, only
with data up to the report period) and the backtest: German texts about the assumptions
and the backtest, the charts with alt text and their data, and the formatted tables. Every
frame that becomes a download (chart or table data) has German column names. The chapter
notebook does not call these functions itself; it calls the ``show_*`` methods of
:class:`bielefeld_integration.present.scenario_chapter.ScenarioChapter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from bielefeld_integration import scenario as scn
from bielefeld_integration import store
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.present.charts import PALETTE, format_axis, new_chart, subtitle
from bielefeld_integration.present.format import fmt_number, fmt_percent
from bielefeld_integration.scenario.loading import default_load, up_to

#: Needs shown in the chart of the city by year (one panel each).
CITY_NEEDS: tuple[str, ...] = ("kita", "seiteneinstieg", "kurs_eintritte", "unterbringung")
#: Needs shown per Stadtbezirk for the first scenario year.
DISTRICT_NEEDS: tuple[str, ...] = ("kita", "seiteneinstieg", "unterbringung")
#: Needs of the planners' table.
PLANNER_NEEDS: tuple[str, ...] = (
    "zugaenge",
    "kita_u3",
    "kita_3_6",
    "seiteneinstieg_primar",
    "seiteneinstieg_sek1",
    "seiteneinstieg_sek2",
    "kurs_eintritte",
    "kurse",
    "unterbringung",
    "wohnungen",
    "beratung",
)
#: Arrival years replayed in the backtest (only those up to the report period are used).
BACKTEST_ARRIVALS: tuple[str, ...] = ("2015", "2016")
#: Periods the backtest rates come from (before the refugee wave).
BACKTEST_RATES: tuple[str, ...] = ("2014",)
#: German names of the nationality groups of :data:`scenario.NATIONALITY_GROUPS`.
GROUP_LABELS: dict[str, str] = {
    "alle": "alle Staatsangehörigkeiten",
    "eu": "EU-Staaten",
    "asylherkunft": "Hauptasylherkunftsländer",
    "uebrige_drittstaaten": "übrige Drittstaaten",
}
#: Short panel titles of the charts.
SHORT_LABELS: dict[str, str] = {
    "kita": "Kita-Plätze",
    "seiteneinstieg": "Seiteneinsteiger/innen",
    "kurs_eintritte": "Plätze in Integrationskursen",
    "unterbringung": "Personen in städtischer\nUnterbringung",
    "wohnungen": "Wohnungen für Untergebrachte",
}
SOURCE = "eigene Modellrechnung auf Basis der aufbereiteten Daten"
#: German headers of value and range in downloads.
RANGE_COLUMNS: dict[str, str] = {"value": "Wert", "low": "untere Grenze", "high": "obere Grenze"}


def _data(data_dir: str | Path | None) -> str | Path | None:
    return data_dir or None


def run_scenario(name: str, period: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Project the scenario ``name`` (preset or YAML path) with data up to ``period`` only.

    Rates, the structure of the arrivals and replayed arrivals come from the periods of the
    store up to and including ``period``; ``df.attrs["notes"]`` says in German what had to
    be changed for that (see :func:`bielefeld_integration.scenario.run`).

    Raises
    ------
    ScenarioNotAvailable
        If the scenario replays arrivals of years after ``period``.
    DataError
        If the store holds no period up to ``period``.
    """
    return scn.run(name, data=_data(data_dir), up_to=str(Period.parse(period)))


def years(df: pd.DataFrame) -> list[int]:
    """The scenario years of a projection, in order."""
    return sorted(int(y) for y in df["year"].unique())


def _years_text(ys: Sequence[int]) -> str:
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}"


def arrivals_table(df: pd.DataFrame) -> pd.DataFrame:
    """Assumed arrivals per channel (and nationality group) and year, as numbers."""
    ys = years(df)
    rows = []
    for channel, groups in df.attrs.get("arrivals", {}).items():
        for group, values in groups.items():
            label = scn.CHANNEL_LABELS.get(channel, channel)
            if group != "alle":
                label += f" ({GROUP_LABELS.get(group, group)})"
            rows.append(
                {
                    "Zugangsweg": label,
                    **{str(y): float(v) for y, v in zip(ys, values, strict=False)},
                }
            )
    return pd.DataFrame(rows, columns=["Zugangsweg", *map(str, ys)])


def assumptions_markdown(df: pd.DataFrame) -> str:
    """German Markdown: title, description and a list of the arrivals per year and channel."""
    attrs = df.attrs
    ys = years(df)
    lines = [f"**{attrs.get('title', attrs.get('scenario', 'Szenario'))}**", ""]
    if attrs.get("description"):
        lines += [attrs["description"], ""]
    lines.append(f"Angenommene Neuzugänge je Jahr ({_years_text(ys)}):")
    lines.append("")
    for row in arrivals_table(df).itertuples(index=False):
        values = [fmt_number(v) for v in row[1:]]
        total = fmt_number(sum(row[1:]))
        lines.append(f"- {row[0]}: {', '.join(values)} Personen (zusammen {total})")
    rate_periods = attrs.get("rate_periods", [])
    years_word = "dem Berichtsjahr" if len(rate_periods) == 1 else "den Berichtsjahren"
    lines += [
        "",
        "Alters-, Geschlechts- und Bezirksstruktur der Zugänge wie "
        f"{scn.period_text(attrs.get('reference_periods', []))}; Kennzahlen aus {years_word} "
        f"{scn.period_text(rate_periods)}.",
    ]
    for note in attrs.get("notes", []):
        lines += ["", note]
    return "\n".join(lines)


def city_frame(df: pd.DataFrame, needs: Sequence[str] = CITY_NEEDS) -> pd.DataFrame:
    """City values of some needs by year: year, need, label, unit, value, low, high."""
    out = df[(df["stadtbezirk"] == scn.CITY) & df["need"].isin(list(needs))].copy()
    out["label"] = out["need"].map(lambda n: scn.NEEDS[n].label)
    order = {n: i for i, n in enumerate(needs)}
    out = out.sort_values(["need", "year"], key=lambda s: s.map(order) if s.name == "need" else s)
    cols = ["year", "need", "label", "unit", "value", "low", "high"]
    return out[cols].reset_index(drop=True)


def city_data(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`city_frame` for the download: German headers, no identifiers, one decimal."""
    return pd.DataFrame(
        {
            "Jahr": frame["year"].astype("int64"),
            "Bedarf": frame["label"],
            "Einheit": frame["unit"],
            **{RANGE_COLUMNS[c]: frame[c].round(1) for c in ("value", "low", "high")},
        }
    ).reset_index(drop=True)


def _chart_subtitle(df: pd.DataFrame, measure: str, area: str, ys: Sequence[int]) -> str:
    source = f"{SOURCE} {scn.period_text(df.attrs.get('rate_periods', []))}"
    return subtitle(
        measure, area, f"Szenariojahr{'e' if len(ys) > 1 else ''} {_years_text(ys)}", source
    )


def _panel_title(need: str) -> str:
    if need in SHORT_LABELS:
        return SHORT_LABELS[need]
    return f"{scn.NEEDS[need].label} ({scn.NEEDS[need].unit})"


def city_chart(
    df: pd.DataFrame, needs: Sequence[str] = CITY_NEEDS
) -> tuple[Figure, pd.DataFrame, str]:
    """Small multiples of the city's needs by year with the low–high range as a band.

    Returns
    -------
    (Figure, DataFrame, str)
        The figure, the data shown and the alt text.
    """
    data = city_frame(df, needs)
    ys = years(df)
    ncols = 2
    nrows = int(np.ceil(len(needs) / ncols))
    fig, axes = new_chart(
        f"{df.attrs.get('title', 'Szenario')}: zusätzlicher Bedarf {_years_text(ys)}",
        _chart_subtitle(df, "Wert mit Spanne (untere–obere Grenze)", "Stadt Bielefeld", ys),
        figsize=(8.0, 2.6 * nrows + 1.2),
        nrows=nrows,
        ncols=ncols,
    )
    for ax, need in zip(np.ravel(axes), needs, strict=False):
        part = data[data["need"] == need]
        ax.fill_between(part["year"], part["low"], part["high"], color=PALETTE[0], alpha=0.2)
        ax.plot(part["year"], part["value"], color=PALETTE[0], marker="o")
        ax.set_title(_panel_title(need), fontsize=9.5)
        ax.set_xticks(ys, [str(y) for y in ys])
        ax.set_ylim(bottom=0)
        format_axis(ax, "y")
    for ax in np.ravel(axes)[len(needs) :]:
        ax.set_visible(False)
    return fig, city_data(data), city_alt(data)


def city_alt(data: pd.DataFrame) -> str:
    """Alt text of :func:`city_chart`: first and last value with range of every need."""
    parts = []
    for _need, part in data.groupby("need", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        parts.append(
            f"{first['label']}: {fmt_number(first['value'])} {first['unit']} "
            f"({int(first['year'])}{_alt_range(first)}), {fmt_number(last['value'])} "
            f"({int(last['year'])}{_alt_range(last)})"
        )
    return "Liniendiagramme mit Spannweitenband je Bedarf für die Stadt: " + "; ".join(parts) + "."


def _alt_range(row: pd.Series) -> str:
    if not is_range(row["value"], row["low"], row["high"]):
        return ""
    return f", Spanne {fmt_number(row['low'])} bis {fmt_number(row['high'])}"


def district_frame(
    df: pd.DataFrame, needs: Sequence[str] = DISTRICT_NEEDS, year: int | None = None
) -> pd.DataFrame:
    """Needs per Stadtbezirk in one scenario year (default the first): wide by need."""
    year = years(df)[0] if year is None else year
    part = df[(df["year"] == year) & (df["stadtbezirk"] != scn.CITY)]
    part = part[part["need"].isin(list(needs))]
    out = part.pivot(index="stadtbezirk", columns="need", values=["value", "low", "high"])
    out.columns = [f"{need}_{stat}" for stat, need in out.columns]
    out = out.reindex(list(STADTBEZIRKE))
    out.insert(0, "name", [STADTBEZIRKE[c] for c in out.index])
    ordered = [f"{n}_{s}" for n in needs for s in ("value", "low", "high")]
    out = out[["name", *ordered]]
    out.index.name = "stadtbezirk"
    out.attrs["year"] = year
    return out


def district_chart(
    df: pd.DataFrame, needs: Sequence[str] = DISTRICT_NEEDS, year: int | None = None
) -> tuple[Figure, pd.DataFrame, str]:
    """Horizontal bars per Stadtbezirk with error bars (low–high), one panel per need."""
    data = district_frame(df, needs, year)
    year = data.attrs["year"]
    fig, axes = new_chart(
        f"Wo der zusätzliche Bedarf {year} entsteht",
        _chart_subtitle(df, "Wert mit Spanne", "Stadtbezirke", [year]),
        figsize=(8.0, 4.8),
        ncols=len(needs),
        sharey=True,
    )
    axes = np.atleast_1d(axes)
    pos = np.arange(len(data))[::-1]
    for ax, need in zip(axes, needs, strict=True):
        value = data[f"{need}_value"]
        err = [value - data[f"{need}_low"], data[f"{need}_high"] - value]
        ax.barh(pos, value, xerr=err, color=PALETTE[0], ecolor="#595959", capsize=2)
        ax.set_title(_panel_title(need), fontsize=9.5)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        format_axis(ax, "x")
    axes[0].set_yticks(pos, list(data["name"]))
    return fig, district_data(data, needs), district_alt(data, needs)


def district_data(data: pd.DataFrame, needs: Sequence[str] = DISTRICT_NEEDS) -> pd.DataFrame:
    """:func:`district_frame` for the download: one row per Stadtbezirk and need, German."""
    rows = []
    for code, row in data.iterrows():
        for need in needs:
            rows.append(
                {
                    "Jahr": int(data.attrs["year"]),
                    "Stadtbezirk": f"{code} {row['name']}",
                    "Bedarf": scn.NEEDS[need].label,
                    "Einheit": scn.NEEDS[need].unit,
                    **{
                        label: round(float(row[f"{need}_{stat}"]), 1)
                        for stat, label in RANGE_COLUMNS.items()
                    },
                }
            )
    return pd.DataFrame(rows)


def district_alt(data: pd.DataFrame, needs: Sequence[str] = DISTRICT_NEEDS) -> str:
    """Alt text of :func:`district_chart`: the largest and smallest district per need."""
    parts = []
    for need in needs:
        col = data[f"{need}_value"]
        top, low = col.idxmax(), col.idxmin()
        parts.append(
            f"{scn.NEEDS[need].label}: am meisten in {data.loc[top, 'name']} "
            f"({fmt_number(col[top])}), am wenigsten in {data.loc[low, 'name']} "
            f"({fmt_number(col[low])})"
        )
    return (
        f"Balkendiagramme mit Fehlerbalken je Stadtbezirk für {data.attrs['year']}: "
        + "; ".join(parts)
        + "."
    )


def is_range(value: float, low: float, high: float, decimals: int = 0) -> bool:
    """Whether ``low``–``high`` is a range worth showing: its bounds differ when printed."""
    return fmt_number(low, decimals) != fmt_number(high, decimals)


def range_cell(value: float, low: float, high: float) -> str:
    """``"1.000 (800–1.250)"``; just ``"2.700"`` when the range has no width when printed."""
    if not is_range(value, low, high):
        return fmt_number(value)
    return f"{fmt_number(value)} ({fmt_number(low)}–{fmt_number(high)})"


def planner_table(
    df: pd.DataFrame, stadtbezirk: str = scn.CITY, needs: Sequence[str] = PLANNER_NEEDS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The needs by year for planners: formatted (``"Wert (untere–obere)"``) and as numbers.

    Returns
    -------
    (DataFrame, DataFrame)
        The formatted wide table (rows: need, columns: years) and the tidy numeric data.
    """
    part = df[(df["stadtbezirk"] == stadtbezirk) & df["need"].isin(list(needs))]
    rows = []
    for need in needs:
        sel = part[part["need"] == need].sort_values("year")
        spec = scn.NEEDS[need]
        kind = "Bestand Jahresende" if spec.stock else "im Jahr"
        row = {"Bedarf": spec.label, "Einheit": f"{spec.unit}, {kind}"}
        for r in sel.itertuples(index=False):
            row[str(r.year)] = range_cell(r.value, r.low, r.high)
        rows.append(row)
    data = scn.needs_table(df, stadtbezirk=stadtbezirk, needs=list(needs))
    return pd.DataFrame(rows), data


def _fmt_rate(value: float, unit: str) -> str:
    if unit == "Anteil":
        return fmt_percent(100 * value)
    return fmt_number(value, 0 if unit == "Personen" else 2)


def _rate_range(low: float, high: float, unit: str) -> str:
    lo, hi = _fmt_rate(low, unit), _fmt_rate(high, unit)
    return f"{lo} bis {hi}" if lo != hi else "ohne Spanne"


def rates_view(df: pd.DataFrame) -> pd.DataFrame:
    """The rates of a projection, formatted: label, value, range, unit, source periods.

    Shares are shown in percent (never above 100 %, see
    :func:`bielefeld_integration.scenario.rates.capped`); a rate without a range (an
    assumption) says so instead of repeating its value.
    """
    rates = pd.DataFrame(df.attrs.get("rates", []))
    return pd.DataFrame(
        {
            "Kennzahl": rates["label"],
            "Wert": [_fmt_rate(v, u) for v, u in zip(rates["value"], rates["unit"], strict=True)],
            "Spanne": [
                _rate_range(lo, hi, u)
                for lo, hi, u in zip(rates["low"], rates["high"], rates["unit"], strict=True)
            ],
            "Einheit": rates["unit"].replace({"Anteil": "Anteil in %"}),
            "Herkunft": rates["source"],
        }
    )


def run_backtest(period: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The backtest with the replayed years up to ``period`` (empty if there are none).

    It reads no data after ``period``: comparisons whose observation lies later are left out.
    """
    last = Period.parse(period)
    arrivals = [p for p in BACKTEST_ARRIVALS if Period.parse(p) <= last]
    available = set(store.periods(_data(data_dir), upto=last))
    needed = {*arrivals, *BACKTEST_RATES}
    if not arrivals or not needed <= available:
        return pd.DataFrame(columns=["need", "label", "year", "abs_error", "rel_error"])
    load = up_to(default_load(_data(data_dir)), last)
    return scn.backtest(load, arrival_periods=arrivals, rate_periods=BACKTEST_RATES)


def backtest_view(bt: pd.DataFrame) -> pd.DataFrame:
    """The backtest formatted in German (numbers as text)."""
    return pd.DataFrame(
        {
            "Bedarf": bt["label"],
            "Zugangsjahr": bt["year"].astype(str),
            "Vergleich": [
                f"{c} (Daten {p})" for c, p in zip(bt["comparison"], bt["period"], strict=True)
            ],
            "Vorhersage": [
                range_cell(*r) for r in zip(bt["predicted"], bt["low"], bt["high"], strict=True)
            ],
            "Beobachtet": bt["observed"].map(fmt_number),
            "Abweichung": bt["abs_error"].map(lambda x: fmt_number(x)),
            "Abweichung in %": (100 * bt["rel_error"]).map(lambda x: fmt_number(x, 1)),
            "im Bereich": bt["in_range"].map({True: "ja", False: "nein"}),
        }
    )


def backtest_markdown(bt: pd.DataFrame) -> str:
    """German Markdown that says plainly how large the backtest errors are."""
    if bt.empty:
        return (
            "Für dieses Berichtsjahr ist keine Rückrechnung möglich: die Zuwanderungsjahre "
            f"{' und '.join(BACKTEST_ARRIVALS)} liegen noch nicht (vollständig) vor."
        )
    rel = bt["rel_error"].abs() * 100
    worst = bt.loc[rel.idxmax()]
    hits = int(bt["in_range"].sum())
    replayed = scn.period_text(sorted(set(bt["year"].astype(str))))
    return (
        f"Rückgerechnet wurden die tatsächlichen Zugänge {replayed} "
        f"mit Kennzahlen nur aus {scn.period_text(BACKTEST_RATES)}. Die Vorhersagen wichen im "
        f"Mittel um **{fmt_number(rel.mean(), 0)} %** von den beobachteten Werten ab "
        f"(Spannweite {fmt_number(rel.min(), 0)} % bis {fmt_number(rel.max(), 0)} %). "
        f"Am größten war die Abweichung bei »{worst['label']}« {int(worst['year'])}: "
        f"vorhergesagt {fmt_number(worst['predicted'])}, beobachtet "
        f"{fmt_number(worst['observed'])}. Nur bei {hits} von {len(bt)} Vergleichen lag der "
        "beobachtete Wert in der angegebenen Spanne. Die Spannen zeigen also nur die "
        "Unsicherheit der Kennzahlen, nicht die ganze Unsicherheit: wer mit den Szenarien "
        f"plant, sollte Abweichungen in dieser Größenordnung (bis zu {fmt_number(rel.max(), 0)} %"
        ") in beide Richtungen einplanen."
    )


def headline_markdown(df: pd.DataFrame) -> str:
    """German Markdown with the key numbers of the first and last scenario year (city)."""
    ys = years(df)
    city = df[df["stadtbezirk"] == scn.CITY].set_index(["need", "year"])
    lines = []
    for need in ("kita", "seiteneinstieg", "unterbringung", "wohnungen"):
        spec = scn.NEEDS[need]
        first, last = city.loc[(need, ys[0])], city.loc[(need, ys[-1])]
        lines.append(
            f"- {spec.label}: {range_cell(first['value'], first['low'], first['high'])} "
            f"{spec.unit} im Jahr {ys[0]}, {range_cell(last['value'], last['low'], last['high'])}"
            f" im Jahr {ys[-1]}"
        )
    return "Zusätzlicher Bedarf (Wert, in Klammern die Spanne):\n\n" + "\n".join(lines)


def rates_data(df: pd.DataFrame) -> pd.DataFrame:
    """The rates of a projection as numbers with German headers (the table's CSV).

    Without the identifiers of the scenario files; values rounded to four decimals.
    """
    table = scn.rates_table(df.attrs.get("rates", []))
    table = table.drop(columns="Kennzahl").rename(columns={"Bezeichnung": "Kennzahl"})
    for col in ("Wert", "untere Grenze", "obere Grenze"):
        table[col] = table[col].astype(float).round(4)
    return table


def backtest_data(bt: pd.DataFrame) -> pd.DataFrame:
    """The backtest as numbers with German headers (the table's CSV)."""
    return scn.backtest_table(bt, decimals=1)
