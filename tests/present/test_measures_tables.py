"""German tables and texts of the measures chapter (``present/measures_tables.py``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from bielefeld_integration import measures as m
from bielefeld_integration.measures.publish import publish_register
from bielefeld_integration.present import measures_tables as mt

BILDUNG, ARBEIT, GESUNDHEIT, WOHNEN = m.FIELDS[0], m.FIELDS[1], m.FIELDS[3], m.FIELDS[4]


def measure(ident: str, **kw) -> dict:
    rec = {
        "measure_id": ident,
        "title": f"Maßnahme {ident}",
        "description": "",
        "body": "Jugendamt",
        "body_type": "städtisch",
        "field": BILDUNG,
        "goals": "1",
        "target_groups": "Kinder",
        "origin": "im Konzept benannt",
        "status": "laufend",
        "start": "2016-01-01",
        "end": None,
        "as_of": "2019-06-30",
        "participants": 10,
        "budget_eur": 1000.0,
        "funding": "Stadt",
        "indicators": "",
    }
    rec.update(kw)
    return rec


def register(*recs: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(recs), columns=m.COLUMNS)
    df["participants"] = pd.array(df["participants"], dtype="Int64")
    df["budget_eur"] = df["budget_eur"].astype("float64")
    return df


@pytest.fixture
def reg() -> pd.DataFrame:
    return register(
        measure("A", goals="1;2", indicators="KITA-01", participants=2, budget_eur=500.0),
        measure(
            "B",
            field=ARBEIT,
            goals="1",
            participants=40,
            start="2019-03-01",
            indicators="ARB-01",
            body="REGE mbH",
            body_type="REGE mbH",
            origin="neu initiiert",
        ),
        measure(
            "C",
            field=GESUNDHEIT,
            goals="2;4",
            participants=None,
            budget_eur=None,
            status="abgeschlossen",
            start="2019-02-01",
            body="AWO",
            body_type="kommunal gefördert",
            origin="neu initiiert",
        ),
        measure("D", field=GESUNDHEIT, goals="4", participants=0, budget_eur=250.5),
    )


def test_words_agree_in_number():
    assert mt.count_text(1, "Maßnahme", "Maßnahmen") == "1 Maßnahme"
    assert mt.count_text(2, "Maßnahme", "Maßnahmen") == "2 Maßnahmen"
    assert mt.measures_verb(0, "ist", "sind") == "keine Maßnahme ist"
    assert mt.measures_verb(1, "wurde", "wurden") == "1 Maßnahme wurde"
    assert mt.measures_verb(2, "wurde", "wurden") == "2 Maßnahmen wurden"
    assert mt.enumeration(["a", "b"]) == "a und b" and mt.enumeration([]) == ""


def test_cells_use_the_legend_symbols():
    assert mt.count_cell(0) == "–" and mt.count_cell(None) == "." and mt.count_cell(1234) == "1.234"
    assert mt.participants_cell(float("nan"), ".") == "."
    assert mt.participants_cell(0.0, "-") == "–"
    assert mt.budget_cell(250.5) == "251" and mt.budget_cell(float("nan")) == "."


def test_summary_speaks_the_terms_of_the_implementation_report(reg):
    s = m.period_summary(reg)
    assert s.by_body_type == {
        "städtisch": 2,
        "REGE mbH": 1,
        "Jobcenter": 0,
        "kommunal gefördert": 1,
    }
    assert (s.named_in_concept, s.newly_initiated) == (2, 2)
    assert s.new_by_field == {ARBEIT: 1, GESUNDHEIT: 1}
    text = mt.summary_text(s, "2019", 2, "2018")
    assert text.startswith("Das Maßnahmenregister 2019 (Stand: 30.06.2019) bildet 4 Angebote")
    assert (
        "Verantwortlich sind städtische Ämter und Einrichtungen (2 Maßnahmen), die REGE mbH "
        "(1) und andere, von der Stadt geförderte Träger (1)."
    ) in text
    assert "Jobcenter" not in text  # no measure of the Jobcenter: not listed as zero
    assert "Eigen- oder Drittmitteln finanzierte Angebote" in text
    assert "2 Maßnahmen sind bereits im Konzept benannt" in text
    assert "2 Maßnahmen wurden zusätzlich neu initiiert" in text
    assert "„Arbeit“ (1) und „Gesundheit“ (1)" in text
    assert "3 Maßnahmen laufen oder sind geplant, 1 Maßnahme ist abgeschlossen" in text
    assert "Seit dem Register 2018 sind 2 Maßnahmen hinzugekommen." in text
    one = mt.summary_text(m.period_summary(reg.iloc[[0]]), "2019", None, "2018")
    assert "1 Maßnahme ist bereits im Konzept benannt; neu initiierte Maßnahmen" in one
    assert "keine Maßnahme ist abgeschlossen" in one and "Seit dem Register" not in one


def test_goals_are_written_out(reg):
    text = mt.goals_markdown(reg)
    for g, goal in m.GOALS.items():
        assert f"{g}. **{goal}**" in text
    assert "Berücksichtigung der besonderen Belange der Frauen und Mädchen" in text
    assert "**Anerkennung und Erschließung der Potenziale" in text and "– 2 Maßnahmen" in text
    assert "Strategien/Maßnahmen gegen Ausgrenzung und Diskriminierung** – 0 Maßnahmen" in text


def test_key_figures_use_the_published_register(reg):
    pub = publish_register(reg).register
    data = mt.key_figures_data(pub, m.period_summary(reg), 2)
    values = dict(zip(data["Kennzahl"], data["Wert"], strict=True))
    assert values["Maßnahmen im Register"] == 4
    assert values["darunter laufend oder geplant"] == 3
    assert values["darunter neu initiiert"] == 2
    # A (2) is suppressed, C unknown, D zero: 40 + 0
    assert values["Teilnehmende (Summe der veröffentlichten Angaben)"] == 40
    assert values["Maßnahmen ohne veröffentlichte Teilnehmendenzahl"] == 2
    assert values["Budget in Euro (Summe der Angaben)"] == pytest.approx(1750.5)
    shown = mt.format_key_figures(data)
    assert shown.loc["Budget in Euro (Summe der Angaben)", "Wert"] == "1.751"


def test_bodies_by_kind_and_by_office(reg):
    pub = publish_register(reg).register
    kinds = mt.bodies_data(pub, "body_type")
    assert kinds["Art der Stelle"].tolist() == [
        "städtische Ämter und Einrichtungen",
        "REGE mbH",
        "kommunal geförderte Träger",
    ]
    assert kinds["Maßnahmen"].tolist() == [2, 1, 1]
    assert kinds["Teilnehmende"].tolist()[:2] == [0, 40]  # A suppressed, D zero
    shown = mt.format_bodies(kinds)
    assert shown.loc["kommunal geförderte Träger", "Teilnehmende"] == "."
    assert (
        shown.loc["städtische Ämter und Einrichtungen", "Maßnahmen ohne Teilnehmendenangabe"] == "1"
    )
    offices = mt.format_bodies(mt.bodies_data(pub, "body"))
    assert ("REGE mbH", "REGE mbH") in offices.index
    assert all(" " not in c or c[0].isupper() for c in offices.columns)  # German headers


def test_origin_and_coverage(reg):
    origin = mt.origin_data(reg)
    assert origin.loc["Gesundheit", "neu initiiert"] == 1
    assert origin.loc["Insgesamt", "im Konzept benannt"] == 2
    assert origin.loc["Insgesamt", "Insgesamt"] == 4
    cov = mt.coverage_data(reg)
    assert cov.loc["Bildung", "Potenziale erschließen"] == 1
    assert cov.loc["Gesundheit", "Frauen und Mädchen, Gleichberechtigung"] == 2
    assert cov.loc["Insgesamt", "Insgesamt"] == 4
    text = mt.format_counts(cov)
    assert text.loc["Wohnen und Sozialraum", "Potenziale erschließen"] == "–"
    alt = mt.coverage_alt(cov)
    assert "Gesundheit × Frauen und Mädchen, Gleichberechtigung mit 2 Maßnahmen" in alt
    fig = mt.coverage_chart(cov, "2019-06-30")
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert len(texts) == 24 and texts.count("–") == 24 - 5


def test_changes_and_new(reg):
    prev = register(
        measure("A", as_of="2018-06-30"),
        measure("C", field=GESUNDHEIT, goals="2;4", as_of="2018-06-30"),
        measure("X", as_of="2018-06-30"),
    )
    ch = m.changes(reg, prev)
    counts = mt.change_counts(ch)
    assert counts["Maßnahmen"].tolist() == [2, 1, 1, 1]
    text = mt.change_text(counts, "2018")
    assert "2 Maßnahmen neu aufgenommen, 1 Maßnahme fortgeführt" in text
    assert "1 Maßnahme steht nicht mehr im Register" in text
    assert mt.status_changes_table(ch).index.tolist() == ["C"]
    assert mt.ended_table(ch).index.tolist() == ["C", "X"]
    assert m.new_measure_ids(reg, prev, "2019") == ["B", "D"]
    assert m.new_measure_ids(reg, None, "2019") == ["B", "C"]
    new = mt.new_measures_table(reg, ["B"])
    assert new.loc["B", "Beginn"] == "01.03.2019" and new.loc["B", "Herkunft"] == "neu initiiert"
    assert "Seit dem Register 2018 ist 1 Maßnahme neu" in mt.new_text(1, True, "2019", "2018")
    assert "im Jahr 2019 begonnen" in mt.new_text(2, False, "2019", "2018")


def test_gap_tables_write_goals_out(reg):
    g = m.gaps(m.active(reg), {"KITA-01", "ARB-01", "SOZ-01"}, {"SOZ-01": GESUNDHEIT})
    missing = mt.gaps_without_indicator(g)
    assert missing["Schwerpunktziel bzw. Handlungsfeld"].tolist() == [
        GESUNDHEIT,
        f"4. {m.GOALS[4]}",
    ]
    un = mt.unaddressed_table(g, {"SOZ-01": "Gesundheitsindikator"})
    assert un.loc["SOZ-01"].tolist() == ["Gesundheitsindikator", "Gesundheit"]


def test_register_table_and_download(reg):
    pub = publish_register(reg).register
    table = mt.register_table(pub)
    assert table["Teilnehmende"].tolist() == [".", "40", ".", "–"]
    assert "..." not in table.to_string()
    assert table.loc["A", "Schwerpunktziele"] == "Potenziale erschließen; Kultursensible Angebote"
    assert table.loc["C", "Art der Stelle"] == "kommunal geförderte Träger"
    data = mt.register_data(pub)
    assert "measure_id" not in data.columns and "ID" in data.columns
    assert pd.isna(data.loc[0, "Teilnehmende"]) and data.loc[0, "Zeichen Teilnehmende"] == "."
    assert (data["Teilnehmende"].dropna() != 2).all()
    assert data.loc[0, "Schwerpunktziele"] == "1, 2"


def test_docstring_examples():
    import doctest

    from bielefeld_integration.present import measures_indicators

    for module in (mt, measures_indicators):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0 and result.attempted >= 3, module.__name__
