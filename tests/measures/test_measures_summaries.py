"""Measures register summaries: coverage, bodies, funding, key figures, changes, gaps."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from measures_testdata import fixture_previous, fixture_register

from bielefeld_integration import measures as m
from bielefeld_integration.errors import DataError


@pytest.fixture
def reg() -> pd.DataFrame:
    return fixture_register()


@pytest.fixture
def previous() -> pd.DataFrame:
    return fixture_previous()


def test_coverage_matrix(reg):
    cov = m.coverage_matrix(reg)
    assert list(cov.index) == m.FIELDS and list(cov.columns) == [1, 2, 3, 4]
    expected = {
        "Betreuung/Erziehung/Bildung": [1, 0, 0, 1],
        "Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt": [1, 0, 0, 1],
        "Kultur/Freizeit/Sport/Erwachsenenbildung": [1, 1, 0, 0],
        "Gesundheit/besondere Lebenslagen": [0, 0, 0, 0],
        "Soziales Umfeld/Wohnen/Stadtentwicklung": [0, 0, 0, 0],
        "Willkommenskultur/Interkulturelle Orientierung öffentlicher Institutionen": [0, 0, 1, 0],
    }
    for field, counts in expected.items():
        assert cov.loc[field].tolist() == counts
    full = m.coverage_matrix(reg, totals=True)
    assert full["Insgesamt"].tolist() == [1, 2, 1, 0, 0, 1, 5]
    assert full.loc["Insgesamt"].tolist() == [3, 1, 1, 2, 5]


def test_by_body(reg):
    bt = m.by_body(reg, level="body_type")
    assert bt["body_type"].tolist() == m.BODY_TYPES
    assert bt["measures"].tolist() == [2, 1, 1, 1]
    assert bt["participants"].tolist() == [122, 57, 1250, pd.NA]
    assert bt["participants_missing"].tolist() == [0, 0, 0, 1]
    assert bt.loc[0, "budget_eur"] == 50500.5 and math.isnan(bt.loc[1, "budget_eur"])
    assert bt["budget_missing"].tolist() == [0, 1, 0, 0]
    bodies = m.by_body(reg)
    assert bodies["body"].tolist()[:2] == [
        "Kommunales Integrationszentrum (KI)",
        "Stadtbibliothek Bielefeld",
    ]
    assert bodies["participants"].tolist()[:2] == [2, 120]
    with pytest.raises(ValueError):
        m.by_body(reg, level="district")  # type: ignore[arg-type]


def test_totals_by_funding(reg):
    t = m.totals(reg).set_index("funding")
    assert t.index.tolist() == [
        "Stadt",
        "Land NRW",
        "EU/ESF",
        "Jobcenter",
        "Agentur für Arbeit",
        "Insgesamt",
    ]
    assert t.loc["Stadt"].to_dict() == {
        "measures": 3,
        "measures_cofunded": 2,
        "participants": 122,
        "participants_missing": 1,
        "budget_eur": 88500.5,
        "budget_sole_eur": 12500.5,
    }
    assert t.loc["Land NRW", "budget_eur"] == 76000.0
    assert math.isnan(t.loc["Land NRW", "budget_sole_eur"])
    assert math.isnan(t.loc["EU/ESF", "budget_eur"]) and t.loc["EU/ESF", "participants"] == 57
    assert t.loc["Jobcenter", "participants"] == 1250
    total = t.loc["Insgesamt"]
    assert total["measures"] == 5 and total["measures_cofunded"] == 3
    assert total["participants"] == 1429 and total["participants_missing"] == 1
    assert total["budget_eur"] == 188500.5


def test_key_figures(reg):
    k = m.key_figures(reg)
    assert k["measures"] == 5 and k["laufend"] == 4 and k["abgeschlossen"] == 1
    assert k["neu initiiert"] == 2 and k["with_indicator"] == 3
    assert k["participants"] == 1429 and k["budget_eur"] == 188500.5
    assert k["as_of"] == "2018-06-30"
    assert m.active(reg)["measure_id"].tolist() == ["T-01", "T-02", "T-03", "T-05"]


def test_changes(reg, previous):
    ch = m.changes(reg, previous)
    got = dict(zip(ch["measure_id"], ch["change"], strict=True))
    assert got == {
        "T-05": "neu",
        "T-01": "fortgeführt",
        "T-02": "fortgeführt",
        "T-03": "fortgeführt",
        "T-04": "beendet",
        "T-06": "nicht mehr im Register",
    }
    assert ch["change"].tolist() == [
        "neu",
        "fortgeführt",
        "fortgeführt",
        "fortgeführt",
        "beendet",
        "nicht mehr im Register",
    ]
    row = ch.set_index("measure_id")
    assert row.loc["T-04", "status_previous"] == "laufend"
    assert row.loc["T-04", "status"] == "abgeschlossen" and row.loc["T-04", "status_changed"]
    assert not row.loc["T-01", "status_changed"]
    assert row.loc["T-02", "participants_previous"] == 1400
    assert row.loc["T-02", "participants"] == 1250
    assert pd.isna(row.loc["T-06", "status"]) and pd.isna(row.loc["T-05", "status_previous"])
    assert row.loc["T-06", "title"] == "Notunterkünfte in Turnhallen"
    assert row.loc["T-01", "budget_previous_eur"] == 12000.0


def test_gaps(reg):
    fields = {
        "KITA-01": "Betreuung/Erziehung/Bildung",
        "SPR-01": "Betreuung/Erziehung/Bildung",
        "WOH-01": "Soziales Umfeld/Wohnen/Stadtentwicklung",
        "ARB-01": "Arbeit",
    }
    ids = ["ARB-01", "ARB-05", "SPR-01", "KITA-01", "WOH-01"]
    g = m.gaps(reg, ids, fields)
    assert g.fields_without_indicator == [
        "Kultur/Freizeit/Sport/Erwachsenenbildung",
        "Willkommenskultur/Interkulturelle Orientierung öffentlicher Institutionen",
    ]
    assert g.goals_without_indicator == [2, 3]
    assert g.indicators_without_measure == ["KITA-01", "WOH-01"]
    f = g.fields.set_index("field")
    assert f.loc["Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt", "indicators"] == "ARB-01;ARB-05"
    assert f.loc["Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt", "measures"] == 2
    assert f.loc["Betreuung/Erziehung/Bildung", "catalogue_indicators"] == "KITA-01;SPR-01"
    assert not f.loc["Gesundheit/besondere Lebenslagen", "gap"]  # no measures, no gap
    assert g.unaddressed.set_index("indicator").loc["WOH-01", "indicator_field"] == (
        "Soziales Umfeld/Wohnen/Stadtentwicklung"
    )
    assert g.unknown.to_dict("records") == [{"indicator": "ARB-02", "measures": "T-02"}]


def _indicator_table() -> pd.DataFrame:
    """A small indicator table in the layout of ``indicators.compute``."""
    city, total = "05711000", "insgesamt"
    rows = [
        ("2015", "SPR-01", "stadt", city, total, total, total, 20.0, ""),
        ("2016", "SPR-01", "stadt", city, total, total, total, 21.0, ""),
        ("2017", "SPR-01", "stadt", city, total, total, total, 22.0, ""),
        ("2018", "SPR-01", "stadt", city, total, total, total, 19.0, ""),
        ("2018", "SPR-01", "stadtbezirk", "01", total, total, total, 35.0, ""),  # ignored
        ("2018", "SPR-01", "stadt", city, total, "sex", "w", 18.0, ""),  # ignored
        ("2015", "ARB-05", "stadt", city, total, total, total, math.nan, "..."),
        ("2016", "ARB-05", "stadt", city, total, total, total, 500.0, "/"),
        ("2018", "ARB-05", "stadt", city, total, total, total, 800.0, ""),
        ("2019", "ARB-05", "stadt", city, total, total, total, 900.0, ""),  # after the period
    ]
    cols = [
        "period",
        "indicator",
        "area_level",
        "area_code",
        "group",
        "breakdown",
        "breakdown_value",
        "value",
        "symbol",
    ]
    return pd.DataFrame(rows, columns=cols).assign(unit="%")


def test_indicator_view(reg):
    view = m.indicator_view(reg, _indicator_table())
    assert view["period"].unique().tolist() == ["2018"]
    assert list(view.columns) == [
        "measure_id",
        "title",
        "status",
        "start_year",
        "indicator",
        "group",
        "unit",
        "base_period",
        "base_value",
        "base_symbol",
        "period",
        "value",
        "symbol",
        "change",
    ]
    v = view.set_index(["measure_id", "indicator"])
    t3 = v.loc[("T-03", "SPR-01")]  # start 2010: first available year 2015
    assert (t3["base_period"], t3["base_value"], t3["value"], t3["change"]) == (
        "2015",
        20.0,
        19.0,
        -1.0,
    )
    t2 = v.loc[("T-02", "ARB-05")]  # start 2015 has no value: first year with one is 2016
    assert (t2["base_period"], t2["base_value"], t2["value"], t2["change"]) == (
        "2016",
        500.0,
        800.0,
        300.0,
    )
    assert t2["base_symbol"] == "/" and t2["group"] == "insgesamt" and t2["unit"] == "%"
    assert math.isnan(v.loc[("T-02", "ARB-02"), "value"])  # no values for ARB-02
    assert math.isnan(v.loc[("T-04", "ARB-01"), "base_value"])
    assert view["measure_id"].tolist() == ["T-02", "T-02", "T-03", "T-04"]  # register order
    assert "Wirkungsmessung" in m.IMPACT_CAVEAT


def test_indicator_view_start_year_and_period(reg):
    reg2 = reg.assign(start=reg["start"].where(reg["measure_id"] != "T-03", "2017-01-01"))
    v = m.indicator_view(reg2, _indicator_table(), period=2017).set_index(
        ["measure_id", "indicator"]
    )
    t3 = v.loc[("T-03", "SPR-01")]
    assert t3["base_period"] == "2017" and t3["value"] == 22.0
    assert math.isnan(t3["change"])  # base year = current year: no change shown
    unlinked = m.indicator_view(reg, _indicator_table(), include_unlinked=True)
    assert {"T-01", "T-05"} <= set(unlinked["measure_id"])


def test_indicator_view_groups_filters_and_ambiguity(reg):
    ind = _indicator_table()
    by_sex = pd.concat(
        [ind.assign(sex="insgesamt"), ind.assign(sex="w", value=0.0)], ignore_index=True
    )
    with pytest.raises(DataError, match="mehrere Werte"):
        m.indicator_view(reg, by_sex)
    out = m.indicator_view(reg, by_sex, filters={"sex": "insgesamt"})
    pd.testing.assert_frame_equal(out, m.indicator_view(reg, ind))
    with pytest.raises(DataError, match="unbekannte Spalte"):
        m.indicator_view(reg, ind, filters={"sex": "w"})
    with pytest.raises(DataError, match="ohne Spalte"):
        m.indicator_view(reg, ind.drop(columns="value"))
    two = pd.concat([ind, ind.assign(group="auslaendisch", value=ind["value"] * 2)])
    both = m.indicator_view(reg, two)
    assert len(both) == 6  # SPR-01 and ARB-05 in two groups, ARB-02 and ARB-01 without data
    only = m.indicator_view(reg, two, groups=["auslaendisch"])
    assert only.set_index(["measure_id", "indicator"]).loc[("T-03", "SPR-01"), "value"] == 38.0
    legacy = ind[ind["breakdown"] == "insgesamt"].rename(columns={"indicator": "indicator_id"})
    legacy = legacy.drop(
        columns=["area_code", "breakdown", "breakdown_value", "symbol", "group", "unit"]
    )
    plain = m.indicator_view(reg, legacy)  # city rows found through area_level
    assert list(plain.columns) == [
        "measure_id",
        "title",
        "status",
        "start_year",
        "indicator",
        "base_period",
        "base_value",
        "period",
        "value",
        "change",
    ]


def test_by_sex_puts_women_and_men_beside_the_total():
    city, total = "05711000", "insgesamt"
    rows = [
        ("2018", "ARB-01", city, total, total, total, 56.0, ""),
        ("2018", "ARB-01", city, total, "sex", "w", 53.2, ""),
        ("2018", "ARB-01", city, total, "sex", "m", 58.6, ""),
        ("2018", "ARB-01", city, "auslaendisch", total, total, 38.0, ""),
        ("2018", "ARB-01", city, "auslaendisch", "sex", "w", float("nan"), "."),
        ("2018", "ARB-01", city, "auslaendisch", "sex", "m", 43.1, ""),
        ("2018", "ARB-01", city, "auslaendisch-deutsch", total, total, -20.0, ""),  # a gap
        ("2018", "ARB-01", "01", total, "sex", "w", 1.0, ""),  # another area
        ("2017", "ARB-01", city, total, "sex", "w", 50.0, ""),  # another period
        ("2018", "KITA-01", city, total, total, total, 18.3, ""),  # no breakdown by sex
    ]
    cols = ["period", "indicator", "area_code", "group", "breakdown", "breakdown_value"]
    t = pd.DataFrame(rows, columns=[*cols, "value", "symbol"]).assign(unit="%")
    out = m.by_sex(t, ["KITA-01", "ARB-01", "ARB-01"], period="2018")
    assert out[["indicator", "group"]].values.tolist() == [
        ["ARB-01", "insgesamt"],
        ["ARB-01", "auslaendisch"],
    ]
    first = out.iloc[0]
    assert (first["value_w"], first["value_m"], first["value_total"]) == (53.2, 58.6, 56.0)
    second = out.iloc[1]
    assert math.isnan(second["value_w"]) and second["symbol_w"] == "."
    assert second["symbol_m"] == "" and second["unit"] == "%"
    assert m.by_sex(t, ["KITA-01"], period=2018).empty
