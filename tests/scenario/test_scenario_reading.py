"""Scenario files and presets: loading, validation with German messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.errors import DataError, DataErrors

# --- presets and validation -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["low", "medium", "high"])
def test_presets_load(name: str) -> None:
    scn = sc.load_scenario(name)
    assert scn.name == name
    assert 1 <= scn.horizon <= sc.MAX_HORIZON
    assert scn.title and scn.reference_periods
    assert Path(scn.source).parent == sc.PRESET_DIR
    assert scn.source.endswith(f"presets/{name}.yaml")


def test_high_replays_2015_2016() -> None:
    assert sc.load_scenario("high").replay_periods == ("2015", "2016")
    assert sc.presets() == ["high", "low", "medium"]


@pytest.mark.parametrize(
    ("file", "pattern"),
    [
        ("bad_negative.yaml", r"bad_negative\.yaml.*»arrivals\.zuweisung«, Jahr 2: negative"),
        ("bad_channel.yaml", r"bad_channel\.yaml.*unbekannter Zugangsweg 'arbeitsmigration'"),
        ("bad_horizon.yaml", r"bad_horizon\.yaml.*»horizon«: .*höchstens 5 Jahre"),
        ("bad_shares.yaml", r"»nationality_shares\.zuweisung«: .*0\.9000 statt 1"),
        ("bad_household.yaml", r"»household_sizes«: .*0\.9500 statt 1"),
        ("bad_rate.yaml", r"»rates\.kitaquote«: unbekannte Kennzahl"),
        ("bad_missing.yaml", r"»title« fehlt"),
        ("bad_missing.yaml", r"»arrivals« fehlt"),
    ],
)
def test_validation_errors(file: str, pattern: str, scenario_files: Path) -> None:
    with pytest.raises(DataError, match=pattern):
        sc.load_scenario(scenario_files / file)


def test_validation_collects_several_errors(scenario_files: Path) -> None:
    with pytest.raises(DataErrors) as info:
        sc.load_scenario(scenario_files / "bad_several.yaml")
    text = str(info.value)
    assert "bad_several.yaml" in text
    assert "negative Zugänge" in text and "'fluechtlinge'" in text and "»rates.verbleib«" in text
    assert len(info.value.errors) == 3


@pytest.mark.parametrize(
    ("doc", "pattern"),
    [
        ({"title": "t", "horizon": 2, "arrivals": {"eu": [1, 2, 3]}}, "3 Jahreswerte"),
        ({"title": "t", "horizon": 0, "arrivals": {"eu": 1}}, "»horizon«"),
        ({"title": "t", "horizon": "zwei", "arrivals": {"eu": 1}}, "»horizon«"),
        ({"title": "t", "horizon": 1, "arrivals": {"eu": "viele"}}, "keine Zahl"),
        ({"title": "t", "horizon": 1, "arrivals": {"eu": 1}, "farbe": 1}, "unbekannte Felder"),
        (
            {"title": "t", "horizon": 1, "arrivals": {"eu": {"Atlantis": 1}}},
            "unbekannte Staatsangehörigkeitsgruppe",
        ),
        (
            {"title": "t", "horizon": 1, "arrivals": {"eu": 1},
             "age_structure": {"eu": {"00-02": 0.5, "99+": 0.5}}},
            "unbekannte Schlüssel 99\\+",
        ),
        (
            {"title": "t", "horizon": 1, "arrivals": {"eu": 1},
             "district_shares": {"eu": {"01": 0.5, "02": 0.4}}},
            "»district_shares.eu«: .*statt 1",
        ),
        ({"title": "t", "horizon": 1, "arrivals": {"eu": 1}, "rates": {"verbleib": -1}},
         "negative"),
        ({"title": "t", "horizon": 1, "arrivals": {"eu": 1},
          "rates": {"kurs_teilnahme": {"value": 0.5, "low": 0.6, "high": 0.7}}}, "low ≤ value"),
        ({"title": "t", "horizon": 1, "arrivals": {"eu": 1}, "rate_periods": ["17"]},
         "»rate_periods«"),
        ({"title": "t", "horizon": 1, "replay_periods": ["2015", "2016"]}, "passen nicht"),
    ],
)  # fmt: skip
def test_validation_from_dict(doc: dict, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        sc.scenario_from_dict(doc, source="x.yaml")


def test_shares_within_tolerance_are_accepted() -> None:
    scn = sc.scenario_from_dict(
        {"title": "t", "horizon": 1, "arrivals": {"eu": 10},
         "nationality_shares": {"eu": {"Polen": 0.3334, "Bulgarien": 0.3333, "eu": 0.3338}}}
    )  # fmt: skip
    assert sum(scn.total_arrivals()["eu"]) == pytest.approx(10.005)


def test_unknown_preset_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"unbekanntes Szenario 'extrem'.*high, low, medium"):
        sc.load_scenario("extrem")
    bad = tmp_path / "kaputt.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"kaputt.yaml.*kein gültiges YAML"):
        sc.load_scenario(bad)
    with pytest.raises(DataError, match="nicht gefunden"):
        sc.load_scenario(tmp_path / "fehlt.yaml")


def test_presets_are_package_data() -> None:
    # read through importlib.resources, not from a path next to the source tree
    assert sc.PRESET_DIR.joinpath("medium.yaml").is_file()
    text = sc.PRESET_DIR.joinpath("medium.yaml").read_text(encoding="utf-8")
    assert "reference_periods" in text


@pytest.mark.parametrize("name", ["low", "medium", "high"])
def test_preset_descriptions_name_no_later_structure_years(name: str) -> None:
    # the page says which years it uses; the description must not promise others
    description = sc.load_scenario(name).description
    assert "2016–2018" not in description and "2017–2019" not in description
