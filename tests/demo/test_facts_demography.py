"""The demo deliveries of demography, residence and arrivals reproduce the published facts.

The deliveries are generated into a temporary folder (2014–2019) and read back through the
loaders, exactly as ingest does; see ``shared/reference/facts.md`` for the anchors.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from bielefeld_integration.demo import generate
from bielefeld_integration.ingest import load_file
from bielefeld_integration.official.open_data import read_population_structure
from bielefeld_integration.sources.genesis_demography import load_naturalisations
from bielefeld_integration.tables import MINOR_AGE_GROUPS, NATIONALITIES

YEARS = list(range(2014, 2020))
DOMAINS = {
    "population",
    "population_origin",
    "population_official",
    "residence",
    "protection_seekers",
    "naturalisations",
    "migration",
    "arrivals",
}
#: Single nationalities (no aggregates) for rankings.
SINGLE = [
    n for n in NATIONALITIES if not n.startswith(("Sonstig", "Amerika")) and n != "Deutschland"
]
EU = [n for n, g in NATIONALITIES.items() if g == "eu"]
EUROPE = [*EU, "Türkei", "Russische Föderation", "Ukraine", "Kosovo", "Serbien", "Sonstiges Europa"]
REFUGEE_COUNTRIES = ["Syrien", "Irak", "Afghanistan", "Iran", "Eritrea"]
ARRIVAL_MINORS = ["00-02", "03-05", "06-09", "10-15", "16-17"]


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    generate(out, YEARS)
    return out


def _entries(raw: Path, year: int) -> dict[str, dict]:
    doc = yaml.safe_load((raw / str(year) / "sources.yaml").read_text(encoding="utf-8"))
    return {e["domain"]: e for e in doc["files"] if e["domain"] in DOMAINS}


@pytest.fixture(scope="module")
def tables(raw: Path) -> dict[tuple[str, int], pd.DataFrame]:
    out = {}
    for year in YEARS:
        for domain, e in _entries(raw, year).items():
            out[domain, year] = load_file(
                domain, raw / str(year) / e["file"], reference_date=e["reference_date"]
            )
    return out


def _sum(df: pd.DataFrame, **where: object) -> int:
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col].isin(value) if isinstance(value, (list, tuple, set)) else df[col] == value
    return int(df.loc[mask, "count"].sum())


# --- the deliveries as files -------------------------------------------------------------------


def test_every_year_has_all_eight_deliveries(raw: Path) -> None:
    for year in YEARS:
        entries = _entries(raw, year)
        assert set(entries) == DOMAINS
        for e in entries.values():
            assert e["reference_date"] == f"{year}-12-31"
            assert str(year) in e["file"]


def test_files_are_marked_synthetic_and_encoded_like_real_ones(raw: Path) -> None:
    entries = _entries(raw, 2017)
    data = {d: (raw / "2017" / e["file"]).read_bytes() for d, e in entries.items()}
    for domain, content in data.items():
        assert b"SYNTHETISCH" in content.upper(), domain
    assert data["population"].startswith(b"# ") and b"\r\n" in data["population"]
    data["population"].decode("cp1252")
    assert b"m\xe4nnlich" in data["population"]  # cp1252, not UTF-8
    assert data["population_official"].startswith(b"Tabelle: 12411-")
    assert b"Bev\xf6lkerung" in data["population_official"]  # ISO-8859-1
    assert b"\n__________\n" in data["population_official"]
    assert data["protection_seekers"].startswith(b"\xef\xbb\xbfstatistics_code;")
    assert data["naturalisations"].startswith(b"GENESIS-Tabelle: 12511-")
    assert b"\n2017;;;;;;;;\n" in data["migration"]  # time as a lone header line


def test_generating_twice_gives_identical_files(raw: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from bielefeld_integration.demo import generate; "
        "generate(sys.argv[1], [2015, 2017])"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    for year in (2015, 2017):
        for e in _entries(raw, year).values():
            first = (raw / str(year) / e["file"]).read_bytes()
            assert (tmp_path / str(year) / e["file"]).read_bytes() == first, e["file"]


# --- population (register) -------------------------------------------------------------------


def test_register_totals_2016_and_2018(tables) -> None:
    pop = tables["population", 2016]
    assert _sum(pop) == 336_352  # the city's real residents (open data)
    assert _sum(pop, citizenship="auslaendisch") == 49_626
    assert _sum(pop, migration_background=["persoenlich", "familiaer"]) == 121_339
    assert _sum(tables["population", 2018], citizenship="auslaendisch") == 53_969


def test_register_reproduces_the_real_residents_of_every_statistischer_bezirk(tables) -> None:
    """Calibration: every Statistischer Bezirk × sex × age band equals the city's open data."""
    real = read_population_structure(
        Path("data/official/bielefeld-open-data/bielefeld_bev_struktur_2000bis2019.csv")
    )
    real["band"] = real["age_band"].map({"1": "minor", "2": "adult", "3": "senior", "4": "senior"})
    real = real.groupby(["year", "stat_bezirk", "sex", "band"])["count"].sum()
    band = {a: "minor" for a in MINOR_AGE_GROUPS} | {"65+": "senior"}
    worst = 0
    for year in YEARS:
        pop = tables["population", year]
        pop = pop.assign(band=pop["age_group"].map(lambda a: band.get(a, "adult")))
        demo = pop.groupby(["stat_bezirk", "sex", "band"])["count"].sum()
        diff = (demo - real.loc[year]).abs()
        assert len(diff) == 72 * 2 * 3 and diff.notna().all()
        worst = max(worst, int(diff.max()))
    assert worst == 0


def test_register_names_are_the_real_statistische_bezirke(raw: Path) -> None:
    text = (raw / "2016" / "einwohner_statbezirke_2016.csv").read_text(encoding="cp1252")
    for name in ("Alt- und Neustadt", "Vorwerk Schildesche", "Baumheide (inkl. Halhof)"):
        assert f";{name};" in text


def test_origin_extract_agrees_with_register_extract(tables) -> None:
    keys = ["stadtbezirk", "citizenship", "migration_background", "minor"]
    for year in YEARS:
        pop = tables["population", year].copy()
        pop["minor"] = pop["age_group"].isin(MINOR_AGE_GROUPS).map({True: "ja", False: "nein"})
        a = pop.groupby(keys)["count"].sum()
        b = tables["population_origin", year].groupby(keys)["count"].sum()
        both = pd.concat([a, b], axis=1, keys=["register", "origin"]).fillna(0)
        assert (both["register"] == both["origin"]).all(), year


def test_germans_without_mh_have_origin_germany(tables) -> None:
    for year in YEARS:
        o = tables["population_origin", year]
        no_mh = o["migration_background"] == "ohne"
        assert (o.loc[no_mh, "origin"] == "Deutschland").all()
        assert (o.loc[~no_mh, "origin"] != "Deutschland").all()


def test_largest_groups_with_migration_background_2016(tables) -> None:
    o = tables["population_origin", 2016]
    by_origin = o[o["migration_background"] != "ohne"].groupby("origin")["count"].sum()
    assert by_origin["Türkei"] == 26_231
    top = by_origin[SINGLE].sort_values(ascending=False).index[:5].tolist()
    assert top == ["Türkei", "Polen", "Russische Föderation", "Kasachstan", "Griechenland"]


def _foreigners(tables, year: int) -> pd.Series:
    o = tables["population_origin", year]
    return o[o["citizenship"] == "auslaendisch"].groupby("origin")["count"].sum()


def test_refugee_nationalities_grow_strongly_2015_to_2017(tables) -> None:
    f15, f17 = _foreigners(tables, 2015), _foreigners(tables, 2017)
    for n in ("Syrien", "Irak", "Afghanistan"):
        assert f17[n] >= 1.5 * f15[n], n
    assert _foreigners(tables, 2016)["Syrien"] > f15["Syrien"]


def test_eu_citizens_grow_by_1400_until_mid_2017(tables) -> None:
    eu = {y: _foreigners(tables, y).reindex(EU, fill_value=0) for y in (2015, 2016, 2017)}
    growth = (eu[2016] - eu[2015]) + (eu[2017] - eu[2016]) / 2
    assert 1_370 <= growth.sum() <= 1_430
    assert set(growth.sort_values(ascending=False).index[:3]) == {
        "Polen",
        "Griechenland",
        "Bulgarien",
    }


def test_two_thirds_of_foreigners_are_european_citizens_2018(tables) -> None:
    f = _foreigners(tables, 2018)
    share = f.reindex(EUROPE, fill_value=0).sum() / f.sum()
    assert 0.64 <= share <= 0.69


def test_districts_differ_realistically(tables) -> None:
    for year in YEARS:
        pop = tables["population", year]
        total = pop.groupby("stadtbezirk")["count"].sum()
        foreign = pop[pop["citizenship"] == "auslaendisch"].groupby("stadtbezirk")["count"].sum()
        share = (foreign / total).sort_values()
        assert set(share.index[-4:]) == {"01", "07", "08", "09"}, year
        assert share.index[0] == "05", year  # Dornberg
        assert share.iloc[-1] / share.iloc[0] >= 4, year


# --- official population (12411) ---------------------------------------------------------------


def test_official_population_2015(tables) -> None:
    cells = tables["population_official", 2015].set_index(["sex", "citizenship"])["count"]
    assert cells["insgesamt", "insgesamt"] == 333_090
    assert cells["m", "insgesamt"] == 161_148
    assert cells["w", "insgesamt"] == 171_942
    assert cells["insgesamt", "deutsch"] == 289_542
    assert cells["insgesamt", "auslaendisch"] == 43_548


def test_official_population_trend(tables) -> None:
    total = {
        y: _sum(tables["population_official", y], sex="insgesamt", citizenship="insgesamt")
        for y in YEARS
    }
    assert total[2014] < total[2015] < total[2019]
    assert total[2019] - total[2015] < 5_000
    assert len({t % 500 for t in total.values()}) > 1  # no values rounded to 500
    for y in YEARS:  # official figures stay below the register (different concepts)
        assert total[y] < _sum(tables["population", y])


# --- residence (AZR) ---------------------------------------------------------------------------


def test_azr_stock(tables) -> None:
    stock = {y: _sum(tables["residence", y]) for y in YEARS}
    assert 51_000 <= stock[2015] <= 51_900  # "gut 51.000"
    assert stock[2018] == 61_300
    for y in YEARS:  # the AZR counts more foreigners than the register
        assert stock[y] > _sum(tables["population", y], citizenship="auslaendisch")


def test_asylum_procedures_and_duldung_2017(tables) -> None:
    r = tables["residence", 2017]
    assert 2_850 <= _sum(r, residence_status="asylverfahren") <= 2_899  # "fast 2.900"
    assert _sum(r, residence_status="folgeverfahren") == 56
    assert _sum(r, residence_status="duldung") == 658


def test_asylum_procedures_peak_in_2016(tables) -> None:
    asyl = {y: _sum(tables["residence", y], residence_status="asylverfahren") for y in YEARS}
    assert max(asyl, key=asyl.get) == 2016
    assert asyl[2016] > asyl[2017] > asyl[2018] > asyl[2019]


def test_refugee_nationalities_dominate_refugee_statuses(tables) -> None:
    for year in YEARS:
        r = tables["residence", year]
        statuses = ["asylverfahren", "schutz"] + (["duldung"] if year >= 2016 else [])
        for status in statuses:
            share = _sum(r, residence_status=status, nationality=REFUGEE_COUNTRIES) / _sum(
                r, residence_status=status
            )
            assert share > 0.5, (year, status)


def test_eu_nationals_and_long_resident_turks(tables) -> None:
    r = tables["residence", 2017]
    eu = r[r["nationality"].isin(EU)]
    assert _sum(eu, residence_status="eu_freizuegigkeit") >= 0.9 * _sum(eu)
    assert _sum(eu, residence_status=["asylverfahren", "duldung", "schutz"]) == 0
    tr = r[r["nationality"] == "Türkei"]
    assert _sum(tr, residence_status="unbefristet") >= 0.5 * _sum(tr)
    assert _sum(tr, residence_status="unbefristet", duration="10 und mehr") >= 0.75 * _sum(
        tr, residence_status="unbefristet"
    )


def test_naturalisation_rate_is_plausible(tables) -> None:
    for year in YEARS[1:]:
        naturalised = _sum(tables["naturalisations", year])
        long_stay = _sum(tables["residence", year - 1], duration=["8 bis unter 10", "10 und mehr"])
        assert 1.5 <= 100 * naturalised / long_stay <= 2.5, year


# --- protection seekers (12531) ----------------------------------------------------------------


def test_protection_seekers_agree_with_azr(tables) -> None:
    for year in YEARS:
        p, r = tables["protection_seekers", year], tables["residence", year]
        assert (p["count"] % 5 == 0).all()
        open_azr = _sum(r, residence_status=["asylverfahren", "folgeverfahren"])
        assert abs(_sum(p, protection_status="offen") - open_azr) <= 5, year
        assert _sum(p, protection_status="abgelehnt") >= _sum(r, residence_status="duldung")
        assert abs(_sum(p, protection_status="anerkannt") - _sum(r, residence_status="schutz")) <= 5


# --- naturalisations (12511) -------------------------------------------------------------------


def test_naturalisations_per_year(tables, raw: Path) -> None:
    assert {y: _sum(tables["naturalisations", y]) for y in (2014, 2015, 2016)} == {
        2014: 526,
        2015: 391,
        2016: 456,
    }
    stacked = raw / "2014" / _entries(raw, 2014)["naturalisations"]["file"]
    assert _sum(load_naturalisations(stacked, reference_date="2012-12-31")) == 1_023
    assert _sum(load_naturalisations(stacked, reference_date="2013-12-31")) == 677
    for y in (2017, 2018, 2019):
        assert 400 <= _sum(tables["naturalisations", y]) <= 650


def test_naturalisations_2016_by_continent(tables) -> None:
    got = tables["naturalisations", 2016].set_index("continent")["count"].to_dict()
    assert got == {
        "Afrika": 48,
        "Amerika": 11,
        "Asien": 116,
        "Australien und Ozeanien": 0,
        "Europa": 280,
        "unbekannt": 1,
    }


# --- migration (12711) -------------------------------------------------------------------------


def test_migration_2015(tables) -> None:
    m = tables["migration", 2015]
    assert _sum(m, direction="zuzug") == 19_827
    assert _sum(m, direction="fortzug") == 16_331
    assert _sum(m, direction="zuzug", area_type="ausland") == 6_744


# --- arrivals ----------------------------------------------------------------------------------


def test_refugees_assigned(tables) -> None:
    a = {y: tables["arrivals", y] for y in (2015, 2016, 2017)}
    assert _sum(a[2015], channel="zuweisung") == 3_397
    assert _sum(a[2016], channel="zuweisung") == 683
    assert _sum(a[2017], channel="zuweisung", half="1") == 195
    assert 280 <= _sum(a[2017], channel="zuweisung") <= 320
    assert 950 <= _sum(a[2016], channel="zuweisung") + _sum(a[2017], channel="zuweisung") < 1000


def test_family_reunification_2016_2017(tables) -> None:
    fam = pd.concat([tables["arrivals", y] for y in (2016, 2017)])
    fam = fam[fam["channel"] == "familiennachzug"]
    total = _sum(fam)
    assert 880 <= total <= 899  # "knapp 900"
    assert 0.64 <= _sum(fam, age_group=ARRIVAL_MINORS) / total <= 0.69  # two thirds minors
    by_nat = fam.groupby("nationality")["count"].sum().sort_values(ascending=False)
    assert by_nat.index[:2].tolist() == ["Irak", "Syrien"]


def test_eu_arrivals_come_from_poland_greece_bulgaria_romania(tables) -> None:
    for year in YEARS:
        a = tables["arrivals", year]
        eu = a[a["channel"] == "eu"].groupby("nationality")["count"].sum()
        assert set(eu.sort_values(ascending=False).index[:4]) == {
            "Polen",
            "Griechenland",
            "Bulgarien",
            "Rumänien",
        }
        assert set(eu.index) <= set(EU)


def test_age_structure_per_channel(tables) -> None:
    a = pd.concat(tables["arrivals", y] for y in YEARS)
    adults = ["18-24", "25-44", "45-64", "65+"]
    zuw = a[a["channel"] == "zuweisung"]
    assert _sum(zuw, age_group=["18-24", "25-44"]) / _sum(zuw) > 0.5
    assert _sum(zuw, age_group=ARRIVAL_MINORS) / _sum(zuw) > 0.15  # families, too
    fam = a[a["channel"] == "familiennachzug"]
    assert _sum(fam, age_group=ARRIVAL_MINORS) / _sum(fam) > 0.6
    assert _sum(fam, age_group=adults, sex="w") / _sum(fam, age_group=adults) > 0.75  # mothers
    eu = a[a["channel"] == "eu"]
    assert _sum(eu, age_group=["18-24", "25-44", "45-64"]) / _sum(eu) > 0.8


def test_newcomers_settle_in_the_centre_and_the_east(tables) -> None:
    a = pd.concat(tables["arrivals", y] for y in YEARS)
    top = a.groupby("stadtbezirk")["count"].sum().sort_values(ascending=False).index[:5]
    assert set(top) == {"01", "07", "08", "09", "04"}
