"""Presentation helpers of the report chapter "Umsetzung der Maßnahmen".

The chapter notebook ``notebooks/08_massnahmen.ipynb`` only calls these functions and shows
their results; every computation lives here. The summaries themselves come from
:mod:`bielefeld_integration.measures`; this module loads the registers of a period and of
the previous period, applies disclosure control (participant counts below 3 are suppressed
and sums are built from the publishable register) and turns the results into German text,
formatted tables and charts.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from bielefeld_integration import measures as m
from bielefeld_integration import store
from bielefeld_integration.measures import links
from bielefeld_integration.measures.publish import publish_register
from bielefeld_integration.present.charts import new_chart, subtitle
from bielefeld_integration.present.format import (
    UNITS,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_pp,
    fmt_value,
    is_missing,
)

#: Source line of the register in subtitles and captions.
SOURCE = "Maßnahmenregister des Kommunalen Integrationszentrums"

#: German labels of the change categories of :func:`bielefeld_integration.measures.changes`.
CHANGE_LABELS: dict[str, str] = {
    "neu": "neu aufgenommen",
    "fortgeführt": "fortgeführt",
    "beendet": "im Berichtsjahr beendet",
    "nicht mehr im Register": "nicht mehr im Register",
}


# --------------------------------------------------------------------------- loading


def data_path(data_dir: str) -> Path | None:
    """The processed store of the parameter ``data_dir`` (``None`` for the default)."""
    return Path(data_dir) if str(data_dir).strip() else None


def previous_period(period: str) -> str:
    """The reporting year before ``period`` (``"2019"`` -> ``"2018"``)."""
    return str(int(str(period)[:4]) - 1)


def load_register(period: str, data_dir: str = "") -> pd.DataFrame | None:
    """The measures register of a period, or ``None`` if the period has none."""
    data = data_path(data_dir)
    if str(period) not in store.periods(data) or not store.has_table("measures", period, data):
        return None
    return store.load("measures", period, data).drop(columns="reference_date", errors="ignore")


def load_registers(
    period: str, data_dir: str = ""
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The registers of ``period`` and of the previous period (each ``None`` if absent)."""
    return load_register(period, data_dir), load_register(previous_period(period), data_dir)


def register_periods(data_dir: str = "") -> list[str]:
    """The reporting years of the store that have a measures register."""
    data = data_path(data_dir)
    return [p for p in store.periods(data) if store.has_table("measures", p, data)]


def no_register_text(period: str, available: list[str]) -> str:
    """German notice for a period without register (Markdown)."""
    known = ", ".join(available) if available else "keine"
    return (
        f"Für das Berichtsjahr {period} liegt kein Maßnahmenregister vor (ein Register gibt "
        f"es für die Berichtsjahre: {known}). Dieses Kapitel enthält deshalb keine Tabellen."
    )


def public_register(reg: pd.DataFrame) -> pd.DataFrame:
    """The register for publication (participant counts below 3 suppressed)."""
    return publish_register(reg).register


def load_indicators(data_dir: str = "") -> pd.DataFrame:
    """The disclosure-controlled city-level indicator table of all periods of the store.

    Cut from the one suppressed table of the whole store that every page uses.
    """
    from bielefeld_integration.present.views import published_indicators

    table = published_indicators(str(data_dir).strip())
    return table[table["area_level"] == "stadt"].reset_index(drop=True)


def indicator_titles() -> dict[str, str]:
    """Indicator id -> its title in the catalogue (empty if there is no catalogue)."""
    return links.indicator_titles()


# --------------------------------------------------------------------------- key figures


def new_ids(reg: pd.DataFrame, prev: pd.DataFrame | None, period: str) -> list[str]:
    """Ids of the new measures: not in the previous register, else begun in ``period``."""
    if prev is not None:
        return [i for i in reg["measure_id"] if i not in set(prev["measure_id"])]
    return [
        i
        for i, s in zip(reg["measure_id"], reg["start"], strict=True)
        if str(s)[:4] == str(period)[:4]
    ]


def new_text(n_new: int, prev: pd.DataFrame | None, period: str) -> str:
    """German sentence on the number of new measures (Markdown)."""
    if prev is not None:
        return (
            f"{fmt_number(n_new)} Maßnahmen sind seit dem Register "
            f"{previous_period(period)} neu hinzugekommen."
        )
    return (
        f"Für {previous_period(period)} gibt es kein Register; als neu gelten deshalb die "
        f"{fmt_number(n_new)} Maßnahmen, die im Jahr {period} begonnen haben."
    )


def key_figures_data(reg: pd.DataFrame, prev: pd.DataFrame | None, period: str) -> pd.DataFrame:
    """Key figures as numbers: ``Kennzahl``, ``Wert`` (participants from the public register).

    Rows: measures, active measures, new measures, participants (sum of the published
    counts), measures without published count, budget in EUR.
    """
    pub = public_register(reg)
    kf = m.key_figures(pub)
    rows = [
        ("Maßnahmen im Register", kf["measures"]),
        ("darunter laufend oder geplant", kf["laufend"] + kf["geplant"]),
        ("neue Maßnahmen", len(new_ids(reg, prev, period))),
        ("Teilnehmende (Summe der veröffentlichten Angaben)", kf["participants"]),
        ("Maßnahmen ohne veröffentlichte Teilnehmendenzahl", int(pub["participants"].isna().sum())),
        ("Budget (EUR, Summe der Angaben)", kf["budget_eur"]),
    ]
    return pd.DataFrame(rows, columns=["Kennzahl", "Wert"])


def format_key_figures(data: pd.DataFrame) -> pd.DataFrame:
    """The key figures as German text (budget with thousands dots, no cents)."""
    return data.assign(Wert=[fmt_number(v) for v in data["Wert"]]).set_index("Kennzahl")


def key_figures_text(data: pd.DataFrame, prev: pd.DataFrame | None, period: str) -> str:
    """One German paragraph with the key figures (Markdown)."""
    v = dict(zip(data["Kennzahl"], data["Wert"], strict=True))
    new_what = (
        f"seit dem Register {previous_period(period)} neu aufgenommen"
        if prev is not None
        else f"im Jahr {period} begonnen"
    )
    return (
        f"Das Maßnahmenregister {period} umfasst **{fmt_number(v['Maßnahmen im Register'])} "
        f"Maßnahmen**, davon {fmt_number(v['darunter laufend oder geplant'])} laufend oder "
        f"geplant. {fmt_number(v['neue Maßnahmen'])} Maßnahmen wurden {new_what}. Die "
        f"veröffentlichten Angaben summieren sich auf "
        f"{fmt_number(v['Teilnehmende (Summe der veröffentlichten Angaben)'])} Teilnehmende "
        f"und ein Budget von {fmt_number(v['Budget (EUR, Summe der Angaben)'])} Euro."
    )


# --------------------------------------------------------------------------- coverage


def coverage_data(reg: pd.DataFrame) -> pd.DataFrame:
    """Measures per Handlungsfeld × Schwerpunktziel with totals, German short labels."""
    mat = m.coverage_matrix(reg, totals=True)
    mat.index = pd.Index([m.FIELD_SHORT.get(f, f) for f in mat.index], name="Handlungsfeld")
    mat.columns = pd.Index([m.GOAL_SHORT.get(g, g) for g in mat.columns], name=None)
    return mat


def format_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of counts as German text (``-`` for zero, as in statistical tables)."""
    return frame.map(lambda v: "-" if v == 0 else fmt_number(v))


def coverage_chart(coverage: pd.DataFrame, period: str, as_of: str) -> Figure:
    """Heatmap of :func:`coverage_data` (without totals) with the counts in the cells."""
    core = coverage.drop(index="Insgesamt", columns="Insgesamt")
    fig, ax = new_chart(
        "Wo die Maßnahmen ansetzen: Handlungsfeld und Schwerpunktziel",
        subtitle("Anzahl der Maßnahmen", "Stadt Bielefeld", fmt_date(as_of), SOURCE),
        figsize=(8.0, 5.0),
    )
    values = core.to_numpy(dtype=float)
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.grid(False)
    ax.set_xticks(range(core.shape[1]), [textwrap.fill(str(c), 14) for c in core.columns])
    ax.set_yticks(range(core.shape[0]), list(core.index))
    limit = values.max() / 2 if values.size else 0
    for (r, c), v in pd.DataFrame(values).stack().items():
        ax.text(
            c,
            r,
            fmt_number(v),
            ha="center",
            va="center",
            color="white" if v > limit else "#222222",
            fontsize=11,
        )
    ax.tick_params(length=0)
    return fig


def coverage_alt(coverage: pd.DataFrame) -> str:
    """Alt text of the coverage heatmap: the strongest and the empty cells."""
    core = coverage.drop(index="Insgesamt", columns="Insgesamt")
    stacked = core.stack()
    (field, goal), top = stacked.idxmax(), stacked.max()
    empty = [f"{f} × {g}" for (f, g), v in stacked.items() if v == 0]
    text = (
        f"Heatmap: Anzahl der Maßnahmen je Handlungsfeld und Schwerpunktziel, insgesamt "
        f"{fmt_number(coverage.loc['Insgesamt', 'Insgesamt'])} Maßnahmen. Am häufigsten ist "
        f"die Kombination {field} × {goal} mit {fmt_number(top)} Maßnahmen."
    )
    if empty:
        text += " Ohne Maßnahme: " + ", ".join(empty) + "."
    return text


# --------------------------------------------------------------------------- new and changed


def _fmt_participants(value: Any, symbol: str = "") -> str:
    if symbol:
        return symbol
    return "..." if is_missing(value) else fmt_number(value)


def new_measures_table(reg: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The new measures as a German table: ID, title, body, field, start."""
    sub = reg[reg["measure_id"].isin(ids)]
    return pd.DataFrame(
        {
            "ID": sub["measure_id"],
            "Titel": sub["title"],
            "Verantwortliche Stelle": sub["body"],
            "Handlungsfeld": [m.FIELD_SHORT.get(f, f) for f in sub["field"]],
            "Beginn": [fmt_date(s) for s in sub["start"]],
        }
    ).set_index("ID")


def change_counts(reg: pd.DataFrame, prev: pd.DataFrame) -> pd.DataFrame:
    """Measures per change category since the previous register (all categories)."""
    ch = m.changes(reg, prev)
    counts = ch["change"].value_counts().reindex(m.CHANGE_CATEGORIES, fill_value=0)
    return pd.DataFrame(
        {
            "Veränderung": [CHANGE_LABELS[c] for c in counts.index],
            "Maßnahmen": counts.to_numpy(dtype="int64"),
        }
    )


def change_text(counts: pd.DataFrame, period: str) -> str:
    """One German sentence summarising :func:`change_counts` (Markdown)."""
    n = dict(zip(counts["Veränderung"], counts["Maßnahmen"], strict=True))
    return (
        f"Gegenüber dem Register {previous_period(period)} wurden "
        f"{fmt_number(n['neu aufgenommen'])} Maßnahmen neu aufgenommen, "
        f"{fmt_number(n['fortgeführt'])} fortgeführt und "
        f"{fmt_number(n['im Berichtsjahr beendet'])} beendet; "
        f"{fmt_number(n['nicht mehr im Register'])} stehen nicht mehr im Register."
    )


def status_changes_table(reg: pd.DataFrame, prev: pd.DataFrame) -> pd.DataFrame:
    """Measures whose status changed since the previous register (German table)."""
    ch = m.changes(reg, prev)
    ch = ch[ch["status_changed"]]
    return pd.DataFrame(
        {
            "ID": ch["measure_id"],
            "Titel": ch["title"],
            "Status Vorjahr": ch["status_previous"],
            "Status": ch["status"],
            "Veränderung": [CHANGE_LABELS[c] for c in ch["change"]],
        }
    ).set_index("ID")


def ended_table(reg: pd.DataFrame, prev: pd.DataFrame) -> pd.DataFrame:
    """Measures ended since the previous register or no longer listed (German table)."""
    ch = m.changes(reg, prev)
    ch = ch[ch["change"].isin(["beendet", "nicht mehr im Register"])]
    return pd.DataFrame(
        {
            "ID": ch["measure_id"],
            "Titel": ch["title"],
            "Verantwortliche Stelle": ch["body"],
            "Veränderung": [CHANGE_LABELS[c] for c in ch["change"]],
        }
    ).set_index("ID")


# --------------------------------------------------------------------------- gaps


def register_gaps(reg: pd.DataFrame) -> m.RegisterGaps:
    """Gaps of the active measures against the indicator catalogue."""
    return m.gaps(m.active(reg), links.catalogue_ids(), links.catalogue_fields())


def gaps_without_indicator(g: m.RegisterGaps) -> pd.DataFrame:
    """Goals and fields that have active measures but no indicator (German table)."""
    rows = [
        ("Handlungsfeld", m.FIELD_SHORT.get(r.field, r.field), r.measures)
        for r in g.fields.itertuples()
        if r.gap
    ]
    rows += [
        ("Schwerpunktziel", f"{r.goal}: {r.goal_label}", r.measures)
        for r in g.goals.itertuples()
        if r.gap
    ]
    return pd.DataFrame(rows, columns=["Art", "Ziel bzw. Handlungsfeld", "Maßnahmen"])


def format_gaps_without_indicator(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`gaps_without_indicator` with German numbers."""
    return table.assign(Maßnahmen=[fmt_number(v) for v in table["Maßnahmen"]])


def unaddressed_table(g: m.RegisterGaps, titles: dict[str, str]) -> pd.DataFrame:
    """Catalogue indicators that no active measure addresses (German table)."""
    un = g.unaddressed
    return pd.DataFrame(
        {
            "Indikator": un["indicator"],
            "Bezeichnung": [titles.get(i, "") for i in un["indicator"]],
            "Handlungsfeld": [m.FIELD_SHORT.get(f, f) for f in un["indicator_field"]],
        }
    )


# --------------------------------------------------------------------------- indicators


def indicator_changes(reg: pd.DataFrame, indicators: pd.DataFrame, period: str) -> pd.DataFrame:
    """Each measure's indicators, one group per indicator (``insgesamt`` where it exists).

    The columns are those of :func:`bielefeld_integration.measures.indicator_view`.
    """
    view = m.indicator_view(reg, indicators, period=period)
    if view.empty or "group" not in view.columns:
        return view.reset_index(drop=True)
    rank = (view["group"] != "insgesamt").astype(int)
    keep = (
        view.assign(_rank=rank)
        .reset_index()
        .sort_values(["_rank", "index"], kind="stable")
        .drop_duplicates(["measure_id", "indicator"])
        .sort_values("index")
    )
    return view.loc[keep["index"]].reset_index(drop=True)


def fmt_indicator(value: Any, unit: Any, symbol: Any = "", *, signed: bool = False) -> str:
    """An indicator value (or, ``signed``, its change) as German text for any catalogue unit.

    Changes of percentages are in percentage points; units unknown to
    :func:`~bielefeld_integration.present.format.fmt_value` get one decimal (two for
    indices).
    """
    symbol = "" if is_missing(symbol) else str(symbol)
    unit = "" if is_missing(unit) else str(unit)
    if symbol:
        return symbol
    if is_missing(value):
        return "..."
    if signed:
        if unit == "%":
            return fmt_pp(value)
        decimals = 0 if unit in ("Anzahl", "Personen") else 2 if unit.startswith("Index") else 1
        text = fmt_number(value, decimals)
        return text if text.startswith("-") or text == fmt_number(0, decimals) else "+" + text
    if unit == "%":
        return fmt_percent(value)
    if unit in UNITS:
        return fmt_value(value, unit)
    return fmt_number(value, 2 if unit.startswith("Index") else 1)


def format_indicator_changes(view: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """:func:`indicator_changes` as a German table (measure, indicator, values, change)."""

    def col(name: str) -> pd.Series:
        return view[name] if name in view.columns else pd.Series([""] * len(view))

    unit, base_s, sym = col("unit"), col("base_symbol"), col("symbol")
    return pd.DataFrame(
        {
            "ID": view["measure_id"],
            "Maßnahme": view["title"],
            "Indikator": [f"{i} {titles.get(i, '')}".strip() for i in view["indicator"]],
            "Einheit": list(unit),
            "Ausgangsjahr": [p if isinstance(p, str) else "..." for p in view["base_period"]],
            "Wert Ausgangsjahr": [
                fmt_indicator(v, u, s)
                for v, u, s in zip(view["base_value"], unit, base_s, strict=True)
            ],
            "Wert aktuell": [
                fmt_indicator(v, u, s) for v, u, s in zip(view["value"], unit, sym, strict=True)
            ],
            "Veränderung": [
                fmt_indicator(v, u, signed=True) for v, u in zip(view["change"], unit, strict=True)
            ],
        }
    ).set_index("ID")


def caveat_markdown() -> str:
    """The impact caveat as a prominent Markdown block quote."""
    return f"> **Wichtiger Hinweis:** {m.IMPACT_CAVEAT}"


# --------------------------------------------------------------------------- register


def register_table(pub: pd.DataFrame) -> pd.DataFrame:
    """The publishable register as a German table (one row per measure)."""
    symbols = pub.get("participants_symbol", pd.Series([""] * len(pub)))
    return pd.DataFrame(
        {
            "ID": pub["measure_id"],
            "Titel": pub["title"],
            "Verantwortliche Stelle": pub["body"],
            "Art der Stelle": pub["body_type"],
            "Handlungsfeld": [m.FIELD_SHORT.get(f, f) for f in pub["field"]],
            "Schwerpunktziele": [", ".join(m.split_list(g)) for g in pub["goals"]],
            "Zielgruppen": [", ".join(m.split_list(g)) for g in pub["target_groups"]],
            "Status": pub["status"],
            "Beginn": [fmt_date(s) for s in pub["start"]],
            "Ende": ["" if is_missing(e) else fmt_date(e) for e in pub["end"]],
            "Teilnehmende": [
                _fmt_participants(v, "" if is_missing(s) else str(s))
                for v, s in zip(pub["participants"], symbols, strict=True)
            ],
            "Budget (EUR)": ["..." if is_missing(b) else fmt_number(b) for b in pub["budget_eur"]],
            "Finanzierung": [", ".join(m.split_list(f)) for f in pub["funding"]],
            "Indikatoren": [", ".join(m.split_list(i)) for i in pub["indicators"]],
        }
    ).set_index("ID")


def register_data(pub: pd.DataFrame) -> pd.DataFrame:
    """Machine-readable publishable register for the CSV (German headers, no true counts)."""
    cols = [c for c in [*m.COLUMNS, "participants_symbol"] if c in pub.columns]
    labels = {**m.GERMAN_HEADERS, "participants_symbol": "Zeichen Teilnehmende"}
    return pub[cols].rename(columns=labels).reset_index(drop=True)


def register_xlsx(pub: pd.DataFrame) -> bytes:
    """The publishable register as an Excel workbook in the delivery format (deterministic)."""
    return m.register_xlsx(pub)
