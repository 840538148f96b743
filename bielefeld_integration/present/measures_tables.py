"""German tables, texts and the chart of the chapter "Umsetzung der Maßnahmen".

Pure functions: they take a register (already published, see
:func:`bielefeld_integration.measures.publish.publish_register`) or a summary of it and
return what a reader sees – German text cells, Markdown, a matplotlib figure – and, for
the downloads, frames with German headers, raw numbers and a symbol column.
:class:`bielefeld_integration.present.measures_view.MeasuresChapter` calls them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from bielefeld_integration import measures as m
from bielefeld_integration import symbols
from bielefeld_integration.present.charts import new_chart, subtitle
from bielefeld_integration.present.format import fmt_date, fmt_number, is_missing

#: Source line of the register in subtitles and captions.
SOURCE = "Maßnahmenregister des Kommunalen Integrationszentrums"

#: German labels of the change categories of :func:`bielefeld_integration.measures.changes`.
CHANGE_LABELS: dict[str, str] = {
    "neu": "neu aufgenommen",
    "fortgeführt": "fortgeführt",
    "beendet": "im Berichtsjahr beendet",
    "nicht mehr im Register": "nicht mehr im Register",
}

#: The printed sign of an unknown or suppressed value, of an exact zero, of "not meaningful".
UNKNOWN = symbols.sign(symbols.SECRET)
ZERO = symbols.sign(symbols.ZERO)
NOT_MEANINGFUL = symbols.sign(symbols.NOT_MEANINGFUL)


# --------------------------------------------------------------------------- words


def count_text(n: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: ``"1 Maßnahme"``, ``"3 Maßnahmen"``.

    >>> count_text(1, "Maßnahme", "Maßnahmen"), count_text(1250, "Maßnahme", "Maßnahmen")
    ('1 Maßnahme', '1.250 Maßnahmen')
    """
    return f"{fmt_number(n)} {singular if n == 1 else plural}"


def measures_verb(n: int, singular_verb: str, plural_verb: str) -> str:
    """Number of measures with a verb that agrees: ``"keine Maßnahme ist"``, ``"2 Maßnahmen sind"``.

    >>> measures_verb(0, "ist", "sind"), measures_verb(1, "ist", "sind")
    ('keine Maßnahme ist', '1 Maßnahme ist')
    >>> measures_verb(3, "wurde", "wurden")
    '3 Maßnahmen wurden'
    """
    if n == 0:
        return f"keine Maßnahme {singular_verb}"
    return f"{count_text(n, 'Maßnahme', 'Maßnahmen')} {singular_verb if n == 1 else plural_verb}"


def enumeration(parts: Sequence[str]) -> str:
    """Parts joined as in a German sentence: ``"a, b und c"``.

    >>> enumeration(["a"]), enumeration(["a", "b", "c"])
    ('a', 'a, b und c')
    """
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " und " + parts[-1]


def count_cell(value: Any) -> str:
    """A count in a table cell: the number, ``–`` for exactly zero, ``.`` if unknown."""
    if is_missing(value):
        return UNKNOWN
    return ZERO if value == 0 else fmt_number(value)


def participants_cell(value: Any, symbol: Any = "") -> str:
    """A published participant count as a table cell (its symbol's sign if it has one)."""
    symbol = "" if is_missing(symbol) else str(symbol)
    return symbols.sign(symbol) if symbol else count_cell(value)


def budget_cell(value: Any) -> str:
    """A budget in whole euros as a table cell (``.`` if unknown)."""
    return count_cell(value)


# --------------------------------------------------------------------------- summary


_BODY_NAMES = {
    "städtisch": "städtische Ämter und Einrichtungen",
    "REGE mbH": "die REGE mbH",
    "Jobcenter": "das Jobcenter",
    "kommunal gefördert": "andere, von der Stadt geförderte Träger",
}


def summary_text(s: m.PeriodSummary, period: str, n_new: int | None, previous_period: str) -> str:
    """The period summary in the terms of the implementation report (Markdown).

    Parameters
    ----------
    s : PeriodSummary
        :func:`bielefeld_integration.measures.period_summary` of the register.
    period, previous_period : str
        The reporting year and the one before.
    n_new : int or None
        Measures added since the previous register (``None`` without previous register).
    """
    bodies = [(t, n) for t, n in s.by_body_type.items() if n > 0]
    named = [
        f"{_BODY_NAMES[t]} ({count_text(n, 'Maßnahme', 'Maßnahmen') if i == 0 else fmt_number(n)})"
        for i, (t, n) in enumerate(bodies)
    ]
    text = (
        f"Das Maßnahmenregister {period} (Stand: {fmt_date(s.as_of)}) bildet "
        f"{count_text(s.measures, 'Angebot oder Maßnahme', 'Angebote und Maßnahmen')} ab, "
        "die zur Umsetzung des Konzepts „Diversität, Partizipation und Integration“ "
        f"beitragen. Verantwortlich sind {enumeration(named)}. Mit Eigen- oder "
        "Drittmitteln finanzierte Angebote und Aktivitäten anderer Träger sind nicht erfasst."
    )
    text += "\n\n" + measures_verb(s.named_in_concept, "ist", "sind") + " bereits im Konzept "
    if s.newly_initiated == 0:
        text += "benannt; neu initiierte Maßnahmen enthält das Register nicht."
    else:
        fields = [f"„{m.FIELD_SHORT[f]}“ ({fmt_number(n)})" for f, n in s.new_by_field.items()]
        where = (
            f"im Handlungsfeld {fields[0]}"
            if len(fields) == 1
            else f"die meisten in den Handlungsfeldern {enumeration(fields[:2])}"
        )
        new = measures_verb(s.newly_initiated, "wurde", "wurden")
        text += f"benannt; {new} zusätzlich neu initiiert, {where}."
    text += (
        f" {measures_verb(s.active, 'läuft oder ist', 'laufen oder sind')} geplant, "
        f"{measures_verb(s.ended, 'ist', 'sind')} abgeschlossen oder eingestellt."
    )
    if n_new is not None:
        verb = "ist" if n_new <= 1 else "sind"
        what = "keine Maßnahme" if n_new == 0 else count_text(n_new, "Maßnahme", "Maßnahmen")
        text += f" Seit dem Register {previous_period} {verb} {what} hinzugekommen."
    return text


def goals_markdown(reg: pd.DataFrame) -> str:
    """The four focus goals written out, each with its number of measures (Markdown list)."""
    per_goal = m.coverage_matrix(reg).sum(axis=0)
    lines = [
        f"{g}. **{m.GOALS[g]}** – {count_text(int(per_goal[g]), 'Maßnahme', 'Maßnahmen')} "
        f"(in den Tabellen kurz: „{m.GOAL_SHORT[g]}“)"
        for g in m.GOALS
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- key figures


def key_figures_data(pub: pd.DataFrame, s: m.PeriodSummary, n_new: int) -> pd.DataFrame:
    """Key figures as numbers: ``Kennzahl``, ``Wert`` (participants from the published register)."""
    kf = m.key_figures(pub)
    rows = [
        ("Maßnahmen im Register", kf["measures"]),
        ("darunter laufend oder geplant", s.active),
        ("darunter im Konzept benannt", s.named_in_concept),
        ("darunter neu initiiert", s.newly_initiated),
        ("neue Maßnahmen im Berichtsjahr", n_new),
        ("Teilnehmende (Summe der veröffentlichten Angaben)", kf["participants"]),
        ("Maßnahmen ohne veröffentlichte Teilnehmendenzahl", int(pub["participants"].isna().sum())),
        ("Budget in Euro (Summe der Angaben)", kf["budget_eur"]),
    ]
    return pd.DataFrame(rows, columns=["Kennzahl", "Wert"])


def format_key_figures(data: pd.DataFrame) -> pd.DataFrame:
    """The key figures as German text cells, indexed by ``Kennzahl``."""
    return data.assign(Wert=[count_cell(v) for v in data["Wert"]]).set_index("Kennzahl")


# --------------------------------------------------------------------------- bodies, origin


def bodies_data(pub: pd.DataFrame, level: str) -> pd.DataFrame:
    """Measures, published participants and budget by body type or body (German headers)."""
    t = m.by_body(pub, level=level)  # type: ignore[arg-type]
    out = pd.DataFrame({"Art der Stelle": [m.BODY_TYPE_LABELS[b] for b in t["body_type"]]})
    if level == "body":
        out["Verantwortliche Stelle"] = t["body"].to_numpy()
    out["Maßnahmen"] = t["measures"].to_numpy()
    out["Teilnehmende"] = t["participants"].to_numpy()
    out["Maßnahmen ohne Teilnehmendenangabe"] = t["participants_missing"].to_numpy()
    out["Budget in Euro"] = t["budget_eur"].to_numpy()
    out["Maßnahmen ohne Budgetangabe"] = t["budget_missing"].to_numpy()
    return out


def format_bodies(data: pd.DataFrame) -> pd.DataFrame:
    """:func:`bodies_data` as German text cells."""
    out = data.copy()
    for col in out.columns[out.columns.get_loc("Maßnahmen") :]:
        out[col] = [count_cell(v) for v in out[col]]
    keys = [c for c in ("Art der Stelle", "Verantwortliche Stelle") if c in out.columns]
    return out.set_index(keys)


def origin_data(reg: pd.DataFrame) -> pd.DataFrame:
    """Measures per Handlungsfeld named in the concept and newly initiated, with totals."""
    t = m.by_origin(reg, totals=True)
    t.index = pd.Index([m.FIELD_SHORT.get(f, f) for f in t.index], name="Handlungsfeld")
    t.columns = pd.Index(list(t.columns), name=None)
    return t


def coverage_data(reg: pd.DataFrame) -> pd.DataFrame:
    """Measures per Handlungsfeld × Schwerpunktziel with totals, German short labels."""
    mat = m.coverage_matrix(reg, totals=True)
    mat.index = pd.Index([m.FIELD_SHORT.get(f, f) for f in mat.index], name="Handlungsfeld")
    mat.columns = pd.Index([m.GOAL_SHORT.get(g, g) for g in mat.columns], name=None)
    return mat


def format_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of counts as German text cells (``–`` for exactly zero)."""
    return frame.map(count_cell)


def coverage_chart(coverage: pd.DataFrame, as_of: str) -> Figure:
    """Heatmap of :func:`coverage_data` (without totals) with the counts in the cells."""
    core = coverage.drop(index="Insgesamt", columns="Insgesamt")
    fig, ax = new_chart(
        "Maßnahmen nach Handlungsfeld und Schwerpunktziel",
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
        color = "white" if v > limit else "#222222"
        ax.text(c, r, count_cell(v), ha="center", va="center", color=color, fontsize=11)
    ax.tick_params(length=0)
    return fig


def coverage_alt(coverage: pd.DataFrame) -> str:
    """Alt text of the coverage heatmap: the strongest and the empty cells."""
    core = coverage.drop(index="Insgesamt", columns="Insgesamt")
    stacked = core.stack()
    (field, goal), top = stacked.idxmax(), stacked.max()
    empty = [f"{f} × {g}" for (f, g), v in stacked.items() if v == 0]
    total = int(coverage.loc["Insgesamt", "Insgesamt"])
    text = (
        "Heatmap: Anzahl der Maßnahmen je Handlungsfeld und Schwerpunktziel, insgesamt "
        f"{count_text(total, 'Maßnahme', 'Maßnahmen')}. Am häufigsten ist die Kombination "
        f"{field} × {goal} mit {count_text(int(top), 'Maßnahme', 'Maßnahmen')}."
    )
    if empty:
        text += " Ohne Maßnahme: " + ", ".join(empty) + "."
    return text


# --------------------------------------------------------------------------- new and changed


def new_measures_table(reg: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The new measures: ID, title, responsible body, kind of body, field, origin, start."""
    sub = reg[reg["measure_id"].isin(ids)]
    return pd.DataFrame(
        {
            "ID": sub["measure_id"],
            "Titel": sub["title"],
            "Verantwortliche Stelle": sub["body"],
            "Art der Stelle": [m.BODY_TYPE_LABELS[b] for b in sub["body_type"]],
            "Handlungsfeld": [m.FIELD_SHORT.get(f, f) for f in sub["field"]],
            "Herkunft": sub["origin"],
            "Beginn": [fmt_date(s) for s in sub["start"]],
        }
    ).set_index("ID")


def new_text(n_new: int, has_previous: bool, period: str, previous_period: str) -> str:
    """German sentence on the number of new measures (Markdown)."""
    if has_previous:
        verb = "ist" if n_new == 1 else "sind"
        return (
            f"Seit dem Register {previous_period} {verb} "
            f"{count_text(n_new, 'Maßnahme', 'Maßnahmen')} neu hinzugekommen."
        )
    return (
        f"Für {previous_period} gibt es kein Register; als neu gelten deshalb die "
        f"{count_text(n_new, 'Maßnahme', 'Maßnahmen')}, die im Jahr {period} begonnen haben."
    )


def change_counts(changes: pd.DataFrame) -> pd.DataFrame:
    """Measures per change category (all categories, German labels)."""
    counts = changes["change"].value_counts().reindex(m.CHANGE_CATEGORIES, fill_value=0)
    return pd.DataFrame(
        {
            "Veränderung": [CHANGE_LABELS[c] for c in counts.index],
            "Maßnahmen": counts.to_numpy(dtype="int64"),
        }
    )


def change_text(counts: pd.DataFrame, previous_period: str) -> str:
    """One German sentence summarising :func:`change_counts` (Markdown)."""
    n = dict(zip(counts["Veränderung"], counts["Maßnahmen"], strict=True))

    def c(key: str) -> str:
        return count_text(int(n[key]), "Maßnahme", "Maßnahmen")

    gone = int(n["nicht mehr im Register"])
    return (
        f"Gegenüber dem Register {previous_period} wurden {c('neu aufgenommen')} neu "
        f"aufgenommen, {c('fortgeführt')} fortgeführt und {c('im Berichtsjahr beendet')} "
        f"beendet; {c('nicht mehr im Register')} {'steht' if gone == 1 else 'stehen'} nicht "
        "mehr im Register."
    )


def status_changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Measures whose status changed since the previous register."""
    ch = changes[changes["status_changed"]]
    return pd.DataFrame(
        {
            "ID": ch["measure_id"],
            "Titel": ch["title"],
            "Status im Vorjahr": ch["status_previous"],
            "Status": ch["status"],
            "Veränderung": [CHANGE_LABELS[c] for c in ch["change"]],
        }
    ).set_index("ID")


def ended_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Measures ended since the previous register or no longer listed."""
    ch = changes[changes["change"].isin(["beendet", "nicht mehr im Register"])]
    return pd.DataFrame(
        {
            "ID": ch["measure_id"],
            "Titel": ch["title"],
            "Verantwortliche Stelle": ch["body"],
            "Veränderung": [CHANGE_LABELS[c] for c in ch["change"]],
        }
    ).set_index("ID")


# --------------------------------------------------------------------------- gaps


def gaps_without_indicator(g: m.RegisterGaps) -> pd.DataFrame:
    """Goals and fields with active measures but no indicator; goals written out."""
    rows = [("Handlungsfeld", r.field, r.measures) for r in g.fields.itertuples() if r.gap]
    rows += [
        ("Schwerpunktziel", f"{r.goal}. {m.GOALS[r.goal]}", r.measures)
        for r in g.goals.itertuples()
        if r.gap
    ]
    return pd.DataFrame(rows, columns=["Art", "Schwerpunktziel bzw. Handlungsfeld", "Maßnahmen"])


def unaddressed_table(g: m.RegisterGaps, titles: dict[str, str]) -> pd.DataFrame:
    """Catalogue indicators that no active measure addresses."""
    un = g.unaddressed
    return pd.DataFrame(
        {
            "Indikator": un["indicator"],
            "Bezeichnung": [titles.get(i, "") for i in un["indicator"]],
            "Handlungsfeld": [m.FIELD_SHORT.get(f, f) for f in un["indicator_field"]],
        }
    ).set_index("Indikator")


# --------------------------------------------------------------------------- register


def register_table(pub: pd.DataFrame) -> pd.DataFrame:
    """The published register as a German table (one row per measure, goals in words)."""
    symbol = pub.get("participants_symbol", pd.Series([""] * len(pub), index=pub.index))
    return pd.DataFrame(
        {
            "ID": pub["measure_id"],
            "Titel": pub["title"],
            "Verantwortliche Stelle": pub["body"],
            "Art der Stelle": [m.BODY_TYPE_LABELS[b] for b in pub["body_type"]],
            "Handlungsfeld": [m.FIELD_SHORT.get(f, f) for f in pub["field"]],
            "Schwerpunktziele": [m.goals_in_words(g) for g in pub["goals"]],
            "Zielgruppen": [", ".join(m.split_list(g)) for g in pub["target_groups"]],
            "Herkunft": pub["origin"],
            "Status": pub["status"],
            "Beginn": [fmt_date(s) for s in pub["start"]],
            "Ende": ["" if is_missing(e) else fmt_date(e) for e in pub["end"]],
            "Teilnehmende": [
                participants_cell(v, s) for v, s in zip(pub["participants"], symbol, strict=True)
            ],
            "Budget in Euro": [budget_cell(b) for b in pub["budget_eur"]],
            "Finanzierung": [", ".join(m.split_list(f)) for f in pub["funding"]],
            "Indikatoren": [", ".join(m.split_list(i)) for i in pub["indicators"]],
        }
    ).set_index("ID")


def register_data(pub: pd.DataFrame) -> pd.DataFrame:
    """The published register for the CSV: German headers, numbers, a symbol column."""
    cols = [c for c in [*m.COLUMNS, "participants_symbol"] if c in pub.columns]
    labels = {**m.GERMAN_HEADERS, "participants_symbol": "Zeichen Teilnehmende"}
    out = pub[cols].rename(columns=labels).reset_index(drop=True)
    for col in ("Schwerpunktziele", "Zielgruppen", "Finanzierung", "Indikatoren"):
        out[col] = [", ".join(m.split_list(v)) for v in out[col]]
    return out
