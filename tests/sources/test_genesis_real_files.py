"""The GENESIS reader on every real export shipped with the project (never skipped).

Two folders of real, unchanged exports: ``tests/data/genesis/samples/`` (5 files, both CSV
families, three portals) and ``data/official/regionalstatistik/`` (11 tables of the
Regionaldatenbank). Each file is read, every row is checked against the reader's invariant,
and a few published values of Bielefeld, of another Kreis and of NRW are compared with the
file (check values from the READMEs and from the raw lines).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

import bielefeld_integration.sources.genesis as genesis_package
from bielefeld_integration.sources.genesis import read_genesis
from bielefeld_integration.sources.genesis.regions import gazetteer_json

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "genesis" / "samples"
OFFICIAL = ROOT / "data" / "official" / "regionalstatistik"
REAL_FILES = sorted(SAMPLES.glob("*.csv")) + sorted(OFFICIAL.glob("*.csv"))
GENESIS = Path(genesis_package.__file__).parent

_cache: dict[str, pd.DataFrame] = {}


def read(path: Path) -> pd.DataFrame:
    if path.name not in _cache:
        _cache[path.name] = read_genesis(path)
    return _cache[path.name]


def cell(name: str, **where: str) -> float:
    """The value of the single cell of ``name`` matching all ``column=value`` conditions."""
    path = OFFICIAL / name if (OFFICIAL / name).is_file() else SAMPLES / name
    df = read(path)
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column] == value
    hit = df[mask]
    assert len(hit) == 1, f"{len(hit)} cells for {where} in {name}"
    return float(hit["value"].iloc[0])


def test_all_sixteen_real_files_are_there() -> None:
    assert len(list(SAMPLES.glob("*.csv"))) == 5
    assert len(list(OFFICIAL.glob("*.csv"))) == 11


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_every_row_of_every_real_file_keeps_the_invariant(path: Path) -> None:
    df = read(path)
    assert len(df) > 1000
    assert (df["region_code"].str.strip() != "").all()
    assert df["region_code"].str.fullmatch(r"DG|\d{2}|\d{3}|\d{5}|\d{8}").all()
    assert df["time"].str.fullmatch(r"\d{4}|\d{4}-\d{2}-\d{2}").all()
    has_number = df["value"].notna()
    assert (has_number | (df["symbol"] != "")).all()
    assert set(df.loc[~has_number, "symbol"]) <= {"-", ".", "x", "/", "...", "…"}
    assert (df["region_name"] == df["region_name"].str.strip()).all()
    assert "" not in set(df["region_name"])
    # no region name hides in a dimension column (the old silent misread)
    dims = [c for c in df.columns if c not in ("time", "region_code", "region_name", "value")]
    for column in dims:
        assert "Bielefeld" not in " ".join(df[column].unique()), column
    # Bielefeld, NRW and Germany (or the Kreise of NRW) are there, keyed as published
    assert "05711" in set(df["region_code"])
    assert "05" in set(df["region_code"]) or path.name.startswith("ffcsv_1")


BIELEFELD = {"region_code": "05711"}


def test_population_by_age_up_to_2010() -> None:
    f = "12411-03-02-4_00.csv"
    under3 = dict(time="2010-12-31", Altersgruppen="unter 3 Jahre", Geschlecht="Insgesamt")
    assert cell(f, **BIELEFELD, **under3, Nationalität="Insgesamt") == 8995
    assert cell(f, **BIELEFELD, **under3, Nationalität="Ausländer(innen)") == 757
    assert cell(f, region_code="DG", **under3, Nationalität="Insgesamt") == 2038965
    assert cell(f, region_code="DG", **under3, Nationalität="Deutsche") == 1932357
    nrw = cell(f, region_code="05", **under3, Nationalität="Ausländer(innen)")
    assert 0 < nrw < 106608


def test_population_2015_total_and_foreigners() -> None:
    f = "12411-03-03-4_00.csv"
    total = dict(time="2015-12-31", Altersgruppen="Insgesamt", Geschlecht="Insgesamt")
    assert cell(f, **BIELEFELD, **total, Nationalität="Insgesamt") == 333090
    assert cell(f, **BIELEFELD, **total, Nationalität="Ausländer(innen)") == 43548
    assert cell(f, **BIELEFELD, **total, Nationalität="Deutsche") == 333090 - 43548
    under3 = dict(time="2015-12-31", Altersgruppen="unter 3 Jahre", Nationalität="Insgesamt")
    assert cell(f, region_code="DG", **under3, Geschlecht="männlich") == 1130438
    nrw = cell(f, region_code="05", **total, Nationalität="Insgesamt")
    assert 17_000_000 < nrw < 18_500_000


def test_average_population() -> None:
    f = "12411-05-01-4_00.csv"
    assert cell(f, **BIELEFELD, time="2015", Geschlecht="Insgesamt") == 331436
    assert cell(f, region_code="01001", time="2015", Geschlecht="weiblich") == 43022
    assert cell(f, region_code="DG", time="2015", Geschlecht="Insgesamt") == 81686611


@pytest.mark.parametrize(
    "name", ["12511-01-01-4.csv", "regio_12511-01-01-4_einbuergerungen_latin1.csv"]
)
def test_naturalisations(name: str) -> None:
    dim = "Kontinente (einschl. staatenlos etc.)"
    assert cell(name, **BIELEFELD, time="2016", **{dim: "Insgesamt"}) == 456
    assert cell(name, **BIELEFELD, time="2016", **{dim: "Europa"}) == 280
    assert cell(name, region_code="01", time="2016", **{dim: "Insgesamt"}) == 2864
    assert cell(name, region_code="01001", time="2016", **{dim: "Europa"}) == 102
    assert math.isnan(cell(name, region_code="01", time="2016", **{dim: "Australien und Ozeanien"}))


def test_migration_by_nationality() -> None:
    f = "12711-03-02-4_00.csv"
    arrivals = "Zuzüge über die Gemeindegrenzen"
    both = dict(time="2015", Geschlecht="Insgesamt")
    assert cell(f, **BIELEFELD, **both, Nationalität="Ausländer(innen)", measure=arrivals) == 9518
    assert cell(f, **BIELEFELD, **both, Nationalität="Insgesamt", measure=arrivals) == 19827
    assert (
        cell(f, region_code="DG", time="2015", Geschlecht="männlich", Nationalität="Deutsche",
             measure=arrivals)
        == 1631428
    )  # fmt: skip
    assert (
        cell(f, region_code="01", **both, Nationalität="Ausländer(innen)",
             measure="Zuzüge aus dem  Ausland über die Gemeindegrenzen")
        == 45706
    )  # fmt: skip


def test_migration_sample_lone_time_line() -> None:
    f = "regio_12711-01-03-4_wanderungen_2015.csv"
    total = dict(time="2015", Altersgruppen="Insgesamt", Geschlecht="Insgesamt")
    assert cell(f, **BIELEFELD, **total, measure="Zuzüge über die Gemeindegrenzen") == 19827
    assert cell(f, **BIELEFELD, **total, measure="Fortzüge über die Gemeindegrenzen") == 16331
    assert (
        cell(f, region_code="DG", time="2015", Altersgruppen="unter 18 Jahre",
             Geschlecht="männlich", measure="Zuzüge über die Gemeindegrenzen")
        == 581086
    )  # fmt: skip


def test_employees_at_residence() -> None:
    f = "13111-02-02-4_00.csv"
    june = dict(time="2015-06-30", Geschlecht="Insgesamt")
    assert cell(f, **BIELEFELD, **june, Nationalität="Insgesamt") == 116295
    assert cell(f, **BIELEFELD, **june, Nationalität="Ausländer(innen)") == 12333
    assert (
        cell(f, region_code="01002", time="2015-06-30", Geschlecht="weiblich",
             Nationalität="Ausländer(innen)")
        == 2088
    )  # fmt: skip
    assert cell(f, region_code="DG", **june, Nationalität="Insgesamt") == 30604587


def test_unemployed() -> None:
    f = "13211-01-03-4_00.csv"
    assert cell(f, **BIELEFELD, time="2016", measure="Arbeitslose insgesamt") == 15152
    assert cell(f, **BIELEFELD, time="2016", **{"und zwar": "Ausländer"}) == 5210
    assert cell(f, region_code="01001", time="2001", **{"und zwar": "Ausländer"}) == 566
    assert cell(f, region_code="01", time="2001", measure="Arbeitslose insgesamt") == 116180


def test_school_leavers() -> None:
    f = "21111-02-06-4_00.csv"
    both = dict(time="2015", Geschlecht="Insgesamt")
    assert cell(f, **BIELEFELD, **both, Schulabschluss="Insgesamt") == 4309
    assert cell(f, **BIELEFELD, **both, Schulabschluss="ohne Hauptschulabschluss") == 265
    assert (
        cell(f, region_code="01", time="2015", Geschlecht="weiblich",
             Schulabschluss="mit Mittlerem Abschluss")
        == 6125
    )  # fmt: skip


def test_asylum_seeker_benefits() -> None:
    f = "22221-01-01-4_00.csv"
    assert cell(f, **BIELEFELD, time="2015-12-31", Spaltenmerkmal_1="") == 3870
    assert cell(f, region_code="01001", time="2015-12-31", Spaltenmerkmal_1="weiblich") == 401
    assert cell(f, region_code="DG", time="2015-12-31", Spaltenmerkmal_1="unter 7 Jahre") == 135777


def test_day_care() -> None:
    f = "22543-01-02-4_00.csv"
    kita = {"time": "2016-03-01", "Art der Kindertagesbetreuung": "Tageseinrichtung"}
    assert cell(f, **BIELEFELD, **kita, Altersgruppe="", measure="Betreute Kinder") == 11501
    foreign = "Kinder, Herkunft mind. 1 Elternteil ausländisch"
    assert cell(f, **BIELEFELD, **kita, Altersgruppe="", measure=foreign) == 5602
    assert cell(f, region_code="01", **kita, Altersgruppe="unter 3 Jahre") == 17029
    assert cell(f, region_code="DG", **kita, Altersgruppe="", measure=foreign) == 904950


def test_sgb2() -> None:
    f = "22811-02-02-4_00.csv"
    persons = "Personen in Bedarfsgemeinschaften nach dem SGB II"
    assert cell(f, **BIELEFELD, time="2016-12-31", measure=persons) == 38994
    entitled = dict(measure="dar.: Regelleistungsberechtigte nach dem SGB II",
                    Spaltenmerkmal_1="insgesamt")  # fmt: skip
    assert cell(f, **BIELEFELD, time="2016-12-31", **entitled,
                Spaltenmerkmal_2="Ausländer(innen)") == 15494  # fmt: skip
    assert cell(f, region_code="01001", time="2016-12-31", measure=persons) == 11226


def test_itnrw_density_gemeinden() -> None:
    f = "itnrw_12411-15i_flaeche_bevoelkerung_dichte_2024_latin1.csv"
    assert cell(f, **BIELEFELD, unit="Anzahl") == 331605
    assert cell(f, **BIELEFELD, unit="qkm") == 258.83
    assert cell(f, **BIELEFELD, unit="EW pro qkm") == 1281.2
    assert cell(f, region_code="05", unit="Anzahl") == 18034454
    assert cell(f, region_code="051", unit="qkm") == 5292.33
    df = read(SAMPLES / f)
    gemeinden = df.loc[df["region_code"].str.len() == 8, "region_code"].unique()
    assert len(gemeinden) > 300  # Gemeinde level, 8-digit AGS


def test_flat_current_and_old_form() -> None:
    new = "ffcsv_12411-01-01-4_bevoelkerung_kreise_2024_de.csv"
    assert cell(new, **BIELEFELD, Geschlecht_code="") == 331605
    assert cell(new, **BIELEFELD, Geschlecht_code="GESW") == 170594
    assert cell(new, region_code="05113", Geschlecht_code="") == 574682
    old = "ffcsv_OLDFORMAT_12411-01-01-4_bevoelkerung_2022_de.csv"
    assert cell(old, **BIELEFELD, Geschlecht="Insgesamt") == 338332
    assert cell(old, region_code="DG", Geschlecht="männlich") == 41559052
    assert cell(old, region_code="01", Geschlecht="Insgesamt") == 2953270


def test_the_gazetteer_of_region_names_is_built_from_the_real_files() -> None:
    pairs = (
        (code, name)
        for path in REAL_FILES
        for code, name in read(path)[["region_code", "region_name"]].drop_duplicates().to_numpy()
    )
    shipped = (GENESIS / "region_names.json").read_text("utf-8")
    assert shipped == gazetteer_json(pairs)
    names = json.loads(shipped)["names"]
    assert names["Bielefeld, krfr. Stadt"] == names["Bielefeld, Kreisfreie Stadt"] == "05711"
    assert "Göttingen, Landkreis" not in names  # 03152 until 2016, then 03159
