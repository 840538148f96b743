"""The command line: indicators export, report and ingest entry points."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import cli
from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.report.chapters import CHAPTERS


def test_indicators_csv_export_for_2017(demo_store, tmp_path, capsys):
    out = tmp_path / "indikatoren.csv"
    code = cli.main(
        [
            "indicators",
            "--period",
            "2017",
            "--format",
            "csv",
            "--output",
            str(out),
            "--data",
            str(demo_store),
        ]
    )
    assert code == 0 and str(out) in capsys.readouterr().out
    df = pd.read_csv(out, dtype={"area_code": str, "period": str})
    for col in [
        "period",
        "indicator",
        "area_level",
        "area_code",
        "group",
        "breakdown",
        "value",
        "numerator",
        "denominator",
        "unit",
        "symbol",
        "flags",
        "Gebiet",
    ]:
        assert col in df.columns
    # the area's German name beside its key; Statistische Bezirke as the city writes them
    names = df.drop_duplicates("area_code").set_index("area_code")["Gebiet"]
    assert names[CITY_CODE] == "Bielefeld" and names["0217"] == "17 Vorwerk Schildesche"
    assert df["Gebiet"].notna().all()
    city = df[
        (df.indicator == "FLU-01") & (df.area_code == CITY_CODE) & (df.breakdown == "insgesamt")
    ].set_index("group")["value"]
    assert city.to_dict() == {"asylverfahren": 2893, "folgeverfahren": 56, "duldung": 658}
    assert set(df["period"]) == {"2017"}


def test_indicators_all_periods_to_xlsx_and_stdout(demo_store, tmp_path, capsys):
    out = tmp_path / "indikatoren.xlsx"
    assert (
        cli.main(
            [
                "indicators",
                "--all",
                "--format",
                "xlsx",
                "--output",
                str(out),
                "--data",
                str(demo_store),
            ]
        )
        == 0
    )
    assert out.stat().st_size > 10_000
    capsys.readouterr()
    assert cli.main(["indicators", "--period", "2016", "--data", str(demo_store)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("period,indicator,") and "REC-03" in text


def test_unsuppressed_export_warns(demo_store, tmp_path):
    with pytest.warns(UserWarning, match="ohne Geheimhaltung"):
        cli.main(
            [
                "indicators",
                "--period",
                "2017",
                "--output",
                str(tmp_path / "x.csv"),
                "--unsuppressed",
                "--data",
                str(demo_store),
            ]
        )


@pytest.mark.parametrize("command", ["indicators", "report"])
def test_unknown_period_is_a_plain_error(command, demo_store, capsys):
    args = [command, "--period", "2031", "--data", str(demo_store)]
    if command == "report":
        args += ["--skip-ingest", "--output", "/nonexistent/never-written"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "Berichtsjahr 2031 ist nicht vorhanden" in err and "Traceback" not in err


def test_ingest_all_from_the_command_line(tmp_path, capsys):
    from bielefeld_integration.store import periods

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    assert cli.main(["ingest", "--all", "--raw", str(raw), "--data", str(tmp_path)]) == 0
    assert periods(tmp_path) == ["2014", "2015", "2016", "2017", "2018", "2019"]
    assert "2019: aufbereitet" in capsys.readouterr().out


def test_scenario_writes_csv(tmp_path, capsys, demo_store):
    target = tmp_path / "s.csv"
    args = ["scenario", "--preset", "high", "--output", str(target), "--data", str(demo_store)]
    assert cli.main(args) == 0
    assert target.is_file()
    assert target.read_text(encoding="utf-8").startswith("Jahr;Gebiet;Bedarf")
    assert str(target) in capsys.readouterr().out


def test_scenario_up_to_a_period_says_what_it_changed(tmp_path, capsys, demo_store):
    target = tmp_path / "s.csv"
    args = ["scenario", "--preset", "medium", "--period", "2016", "--output", str(target)]
    assert cli.main([*args, "--data", str(demo_store)]) == 0
    years = pd.read_csv(target, sep=";", decimal=",")["Jahr"]
    assert years.min() == 2017  # the year after the period
    assert "bis zum Berichtsjahr 2016" in capsys.readouterr().err


def test_scenario_invalid_preset(capsys):
    assert cli.main(["scenario", "--preset", "gibtesnicht"]) == 2
    err = capsys.readouterr().err
    assert "unbekanntes Szenario 'gibtesnicht'" in err


def test_texte_creates_the_skeleton_of_a_new_period_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BIELEFELD_TEXTS_DIR", str(tmp_path / "env"))
    assert cli.main(["texte", "--period", "2020", "--texts", str(tmp_path / "t")]) == 0
    files = sorted(p.name for p in (tmp_path / "t" / "2020").iterdir())
    assert "01_bevoelkerung.md" in files and "20_bezirksprofil.md" in files
    assert f"{len(CHAPTERS)} neu angelegt" in capsys.readouterr().out
    written = tmp_path / "t" / "2020" / "00_ueberblick.md"
    written.write_text("Eigener Text.", encoding="utf-8")
    assert cli.main(["texte", "--period", "2020", "--texts", str(tmp_path / "t")]) == 0
    assert "0 neu angelegt" in capsys.readouterr().out
    assert written.read_text(encoding="utf-8") == "Eigener Text."
    # without --texts the folder comes from the environment
    assert cli.main(["texte", "--period", "2021"]) == 0
    assert (tmp_path / "env" / "2021" / "00_ueberblick.md").is_file()
    assert cli.main(["texte", "--period", "20x1"]) == 2
