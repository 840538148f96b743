"""The chapter views on a tiny hand-made indicator table (values checked by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.present.views import Chapter, group_label


def _row(
    period, ind, value, *, group="insgesamt", area=CITY_CODE, level="stadt", unit="%", symbol=""
):
    return {
        "period": period,
        "indicator": ind,
        "kind": "share",
        "area_level": level,
        "area_code": area,
        "group": group,
        "breakdown": "insgesamt",
        "breakdown_value": "insgesamt",
        "value": value,
        "numerator": float("nan"),
        "denominator": float("nan"),
        "unit": unit,
        "symbol": symbol,
        "flags": "",
        "reference_date": f"{period}-12-31",
    }


@pytest.fixture
def chapter() -> Chapter:
    rows = [
        _row("2016", "DEM-02", 14.8),
        _row("2017", "DEM-02", 15.5),
        _row("2016", "DEM-01", 336_000, unit="Personen"),
        _row("2017", "DEM-01", 337_000, unit="Personen"),
        _row("2016", "SCH-02", 15.0, group="auslaendisch"),
        _row("2017", "SCH-02", 15.9, group="auslaendisch"),
        _row("2017", "SCH-02", 5.0, group="deutsch"),
        _row("2017", "SCH-02", 6.5),
        _row("2017", "SCH-03", 41.1),
        _row("2017", "SCH-03", 45.0, group="deutsch"),
        _row("2017", "SCH-03", 18.4, group="auslaendisch"),
        _row("2016", "FLU-01", 4350, group="asylverfahren", unit="Personen"),
        _row("2017", "FLU-01", float("nan"), group="asylverfahren", unit="Personen", symbol="."),
        _row("2017", "DEM-02", 19.5, area="01", level="stadtbezirk"),
        _row("2017", "DEM-02", 4.2, area="05", level="stadtbezirk"),
    ]
    ch = Chapter("2017")
    ch.table = pd.DataFrame(rows)  # overrides the cached property
    ch.targets = pd.DataFrame(
        [
            {
                "indicator": "SCH-02",
                "group": "auslaendisch",
                "value": 10.0,
                "year": 2025,
                "illustrative": True,
                "note": "",
                "origin": "",
            }
        ]
    )
    return ch


def test_dashboard_values_changes_and_targets(chapter):
    dash = chapter.dashboard(["DEM-01", "DEM-02", "SCH-02", "FLU-01"]).set_index("Kennung")
    assert list(dash.columns) == ["Indikator", "Einheit", "2017", "2016", "Veränderung", "Ziel"]
    assert dash.loc["DEM-02", ["2017", "2016", "Veränderung"]].tolist() == [
        "15,5 %",
        "14,8 %",
        "+0,7 Prozentpunkte",
    ]
    # 337,000 - 336,000 = +1,000 = +0.2976 % -> "+0,3 %"
    assert dash.loc["DEM-01", "Veränderung"] == "+1.000 (+0,3 %)"
    assert dash.loc["DEM-01", "Einheit"] == "Personen"
    # the group is named with the one label; a target of the group is shown
    assert dash.loc["SCH-02", "Indikator"] == (
        "Schulabgängerinnen und -abgänger ohne Hauptschulabschluss: Ausländerinnen und Ausländer"
    )
    assert dash.loc["SCH-02", "Ziel"] == "10,0 % bis 2025 – noch nicht erreicht (illustrativ)"
    # FLU-01 shows one of its three groups and says so ("darunter")
    assert dash.loc["FLU-01", "Indikator"].endswith(", darunter: im Asylverfahren")
    # a suppressed value passes its sign through and has no change
    assert dash.loc["FLU-01", ["2017", "Veränderung"]].tolist() == [".", "x"]


def test_dashboard_download_has_numbers_units_and_signs(chapter):
    data = chapter.dashboard_data(["DEM-02", "FLU-01"])
    assert list(data.columns) == [
        "Jahr",
        "Kennung",
        "Indikator",
        "Gruppe",
        "Gebiet",
        "Wert",
        "Einheit",
        "Zeichen",
    ]
    dem = data[data["Kennung"] == "DEM-02"].set_index("Jahr")
    assert dem.loc["2017", "Wert"] == 15.5 and dem.loc["2017", "Einheit"] == "%"
    flu = data[data["Kennung"] == "FLU-01"].set_index("Jahr")
    assert pd.isna(flu.loc["2017", "Wert"]) and flu.loc["2017", "Zeichen"] == "."
    assert flu.loc["2016", "Wert"] == 4350 and flu.loc["2016", "Zeichen"] == ""


def test_summary_sentences(chapter):
    text = chapter.summary(["DEM-02", "FLU-01"])
    assert text == [
        "Der Ausländeranteil stieg von 14,8 % (2016) auf 15,5 % (2017), also um 0,7 Prozentpunkte."
    ]


def test_group_table_wide_when_groups_agree_long_otherwise(chapter):
    wide = chapter.group_table(["SCH-02", "SCH-03"])
    assert list(wide.columns) == [
        "Indikator",
        "Einheit",
        "Ausländerinnen und Ausländer",
        "Deutsche",
        "insgesamt",
    ]
    assert wide.iloc[1]["Ausländerinnen und Ausländer"] == "18,4 %"
    long = chapter.group_table(["DEM-02", "SCH-02"])
    assert list(long.columns) == ["Indikator", "Einheit", "2017", "2016"]
    assert long.iloc[0][["2017", "2016"]].tolist() == ["15,5 %", "14,8 %"]
    data = chapter.group_table_data(["SCH-02"])
    assert set(data["Jahr"]) == {"2016", "2017"} and data["Wert"].notna().all()


def test_district_data_is_sorted_by_code(chapter):
    d = chapter.district_data("DEM-02")
    assert d["Stadtbezirk"].tolist() == ["Mitte", "Dornberg"]
    assert d["Wert"].tolist() == [19.5, 4.2]


def test_district_profile_and_labels(chapter):
    profile = Chapter("2017", district="01")
    profile.table, profile.targets = chapter.table, chapter.targets.iloc[0:0]
    p = profile.district_profile(["DEM-02"])
    assert p.iloc[0].tolist() == ["Ausländeranteil", "%", "19,5 %", "15,5 %"]
    assert group_label("auslaendisch-deutsch") == "Abstand Ausländerinnen und Ausländer zu Deutsche"
    with pytest.raises(ValueError):
        Chapter("2017", district="11")


def test_group_table_shows_the_published_symbols_as_they_are():
    # suppression (including the groups beside their total) is the disclosure stage's job;
    # the chapter shows the published table's values and signs and computes nothing
    rows = [
        _row("2017", "FLU-05", 100, unit="Personen"),
        _row("2017", "FLU-05", float("nan"), group="zuweisung", unit="Personen", symbol="."),
        _row("2017", "FLU-05", float("nan"), group="familiennachzug", unit="Personen", symbol="."),
        _row("2017", "FLU-05", 0, group="eu", unit="Personen", symbol="-"),
    ]
    ch = Chapter("2017")
    ch.table = pd.DataFrame(rows).assign(kind="count")
    ch.targets = pd.DataFrame(columns=["indicator", "group", "value", "year", "illustrative"])
    t = ch.group_table(["FLU-05"])
    cells = t.iloc[0].drop(["Indikator", "Einheit"]).to_dict()
    assert cells == {
        "insgesamt": "100",
        "Zuweisung": ".",
        "Familiennachzug": ".",
        "Zuzug aus der EU": "\u2013",
    }


def test_summary_says_nearly_unchanged_when_rounded_values_agree(chapter):
    extra = pd.DataFrame(
        [
            _row("2016", "WOH-01", 0.2281, unit="Index (0 bis 1)"),
            _row("2017", "WOH-01", 0.2279, unit="Index (0 bis 1)"),
        ]
    )
    chapter.table = pd.concat([chapter.table, extra], ignore_index=True)
    assert chapter.summary(["WOH-01"]) == [
        "Der Dissimilaritätsindex von Ausländern und Deutschen blieb mit 0,23 (2017) nahezu "
        "unverändert (2016: 0,23)."
    ]


def test_refugee_key_figures_sentence(chapter):
    extra = pd.DataFrame(
        [
            _row("2017", "FLU-01", 2893, group="asylverfahren", unit="Personen"),
            _row("2017", "FLU-01", 56, group="folgeverfahren", unit="Personen"),
            _row("2017", "FLU-01", 658, group="duldung", unit="Personen"),
            _row("2017", "FLU-05", 299, group="zuweisung", unit="Personen"),
            _row("2017", "FLU-05", 454, group="familiennachzug", unit="Personen"),
            _row("2017", "FLU-02", 67.7),
        ]
    )
    table = chapter.table
    chapter.table = pd.concat([table[table.indicator != "FLU-01"], extra], ignore_index=True)
    assert chapter.refugee_key_figures() == (
        "Am 31.12.2017 waren in Bielefeld 2.893 Personen im laufenden Asylverfahren, "
        "56 Personen im Folgeverfahren und 658 Personen mit Duldung gemeldet. Im Jahr 2017 "
        "wurden der Stadt 299 Personen als Geflüchtete zugewiesen. Über den Familiennachzug "
        "kamen 454 Personen. Der Anteil der Minderjährigen am Familiennachzug betrug 67,7 %."
    )
    # a hidden figure is named as not published, never forced into a sentence
    table = chapter.table
    hide = (table.indicator == "FLU-05") & (table.group == "zuweisung")
    chapter.table = table.assign(
        symbol=table["symbol"].where(~hide, "."), value=table["value"].where(~hide)
    )
    text = chapter.refugee_key_figures()
    assert "Die Zahl der im Jahr 2017 zugewiesenen Geflüchteten ist nicht veröffentlicht (.)." in (
        text
    )


def test_catalogue_table_names_the_handlungsfeld():
    table = Chapter("2019").catalogue_table().set_index("Kennung")
    assert table.loc["KITA-01", "Handlungsfeld"] == "Betreuung, Erziehung und Bildung"
    assert len(table) >= 36 and table["Definition"].str.len().gt(20).all()


def test_district_profile_download_has_district_and_city_numbers(chapter):
    profile = Chapter("2017", district="01")
    profile.table, profile.targets = chapter.table, chapter.targets.iloc[0:0]
    data = profile.district_profile_data(["DEM-02"])
    assert data["Gebiet"].tolist() == ["Stadtbezirk Mitte", "Stadt Bielefeld"]
    assert data["Wert"].tolist() == [19.5, 15.5]


def test_statistische_bezirke_are_shown_by_number_and_name_not_by_key(chapter):
    # the internal key "0217" never stands on a page or in a download: "17 Vorwerk Schildesche"
    profile = Chapter("2017", district="02")
    rows = [_row("2017", "DEM-02", 21.0, area="0217", level="stat_bezirk")]
    profile.table = pd.concat([chapter.table, pd.DataFrame(rows)], ignore_index=True)
    table = profile.stat_bezirk_table("DEM-02")
    assert table["Statistischer Bezirk"].tolist() == ["17 Vorwerk Schildesche"]
    data = profile.stat_bezirk_data("DEM-02")
    assert data["Gebiet"].tolist() == ["Statistischer Bezirk 17 Vorwerk Schildesche"]
    assert not data.apply(lambda c: c.astype(str).str.contains("0217")).any().any()


def test_a_district_in_a_year_without_data_takes_the_city_rows_symbol(chapter):
    # PAR-01 has no election in 2017: the city row is "x"; the district page must say "x"
    # (not meaningful) too, never "..." (later)
    profile = Chapter("2017", district="02")
    rows = [_row("2017", "PAR-01", float("nan"), symbol="x")]
    profile.table = pd.concat([chapter.table, pd.DataFrame(rows)], ignore_index=True)
    assert profile.value("PAR-01")[1] == "x"
    assert profile.fmt("PAR-01") == "x"
