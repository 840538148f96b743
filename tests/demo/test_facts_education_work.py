"""The demo deliveries of education, work and participation reproduce the published facts.

The deliveries of :mod:`~bielefeld_integration.demo.education`, ``.labour`` and ``.civic``
are generated into a temporary folder once per module and read back through the loaders,
exactly as ingest reads them; each test checks one fact of ``shared/reference/facts.md``
(or a plausibility rule of the demo) on the loaded tables.
"""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration.demo import Delivery, civic, education, labour, world
from bielefeld_integration.ingest import load_file

YEARS = world.YEARS
MODULES = (education, labour, civic)


@pytest.fixture(scope="module")
def deliveries() -> dict[int, list[Delivery]]:
    """The deliveries of the three modules for 2014–2019."""
    return {year: [d for m in MODULES for d in m.deliveries(year)] for year in YEARS}


@pytest.fixture(scope="module")
def raw(tmp_path_factory, deliveries) -> Path:
    """The deliveries written as ingest would find them: ``<year>/<file>``."""
    out = tmp_path_factory.mktemp("raw")
    for year, files in deliveries.items():
        (out / str(year)).mkdir()
        for d in files:
            (out / str(year) / d.file).write_bytes(d.content)
    return out


@pytest.fixture(scope="module")
def tables(raw, deliveries) -> dict[tuple[int, str], pd.DataFrame]:
    """Every delivery loaded through its loader: (year, table) -> frame."""
    return {
        (year, d.domain): load_file(
            d.domain, raw / str(year) / d.file, reference_date=d.reference_date
        )
        for year, files in deliveries.items()
        for d in files
    }


def _sum(df: pd.DataFrame, **where) -> int:
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col].isin(value) if isinstance(value, list | tuple | set) else df[col] == value
    return int(df.loc[mask, "count"].sum())


# --- day care ---------------------------------------------------------------------------------


def test_daycare_facilities_and_places_on_1_march_2016(tables):
    df = tables[(2016, "daycare_facilities")].set_index("measure")["count"]
    assert df["einrichtungen"] == 200
    assert df["genehmigte_plaetze"] == 11_537
    assert (tables[(2016, "daycare_facilities")].reference_date == "2016-03-01").all()


def test_betreuungsquoten_2016_and_the_gap_by_migration_background(tables):
    care = tables[(2016, "daycare")]
    pop = world.district_population(2016, ("age_group", "migration_background"))
    kids = {ag: _sum(pop, age_group=ag) for ag in ("00-02", "03-05")}
    kids_mit = _sum(pop, age_group="00-02", migration_background=["persoenlich", "familiaer"])
    u3 = _sum(care, age_group="unter 3") / kids["00-02"]
    u6 = _sum(care, age_group="3 bis unter 6") / kids["03-05"]
    u3_mit = _sum(care, age_group="unter 3", migration_background="mit") / kids_mit
    u3_ohne = _sum(care, age_group="unter 3", migration_background="ohne") / (
        kids["00-02"] - kids_mit
    )
    assert 0.25 <= u3 <= 0.35
    assert 0.85 <= u6 <= 0.97  # real children in care (22543) over register children
    assert 0.15 <= u3_mit <= 0.20
    assert 0.32 <= u3_ohne <= 0.42


@pytest.mark.parametrize(
    ("year", "under3", "from3", "foreign_origin"),
    [(2014, 2_654, 8_151, 5_224), (2015, 2_695, 8_300, 5_346), (2016, 2_662, 8_371, 5_318)],
)
def test_day_care_matches_the_real_kjh_statistics(tables, year, under3, from3, foreign_origin):
    """22543-01-02-4: children in care (real); foreign origin estimated for the under-6."""
    care = tables[(year, "daycare")]
    assert _sum(care, age_group="unter 3") == under3
    assert _sum(care, age_group="3 bis unter 6") == from3
    assert _sum(care, migration_background="mit") == foreign_origin


def test_children_in_day_care_never_exceed_the_children_of_the_district(tables):
    for year in YEARS:
        care = tables[(year, "daycare")]
        care = care.groupby(["stadtbezirk", "age_group"])["count"].sum()
        pop = world.district_population(year, ("age_group",))
        pop = pop.set_index(["stadtbezirk", "age_group"])["count"]
        for (sb, age), n in care.items():
            assert n <= pop[(sb, "00-02" if age == "unter 3" else "03-05")], (year, sb, age)


def test_school_entry_about_3000_children_and_more_support_needs(tables):
    for year in YEARS:
        df = tables[(year, "school_entry")]
        assert 2_800 <= df["count"].sum() <= 3_300, year
    df = tables[(2016, "school_entry")]
    need = ["foerderbedarf", "intensiver_foerderbedarf"]

    def rate(lang: str, kita: list[str]) -> float:
        base = _sum(df, family_language=lang, kita_duration=kita)
        return _sum(df, family_language=lang, kita_duration=kita, language_assessment=need) / base

    short = ["keine", "unter 2 Jahre"]
    assert rate("nichtdeutsch", short) > 3 * rate("deutsch", ["2 Jahre und mehr"])
    assert rate("nichtdeutsch", short) > 0.6


# --- school -----------------------------------------------------------------------------------


def test_primary_schools_school_year_2015_16(tables):
    df = tables[(2015, "pupils")]
    gs = df[(df.school_type == "Grundschule") & (df.grade == "alle")].set_index("citizenship")
    assert gs["count"].sum() == 12_168
    assert gs.loc["auslaendisch", "count"] == 1_434
    assert (gs.schools == 47).all()
    assert (df.reference_date == "2015-10-15").all()


def test_pupils_follow_the_matching_age_groups(tables):
    for year in YEARS:
        df = tables[(year, "pupils")]
        pop = world.district_population(year, ("age_group",)).groupby("age_group")["count"].sum()
        primary = _sum(df, school_type="Grundschule", grade="alle")
        assert 0.90 <= primary / pop["06-09"] <= 1.0, year
        grade5 = _sum(df, grade="5")
        assert 0.9 <= grade5 / (pop["10-14"] / 5) <= 1.05, year
        foreign_gym = _sum(df, school_type="Gymnasium", grade="5", citizenship="auslaendisch")
        german_gym = _sum(df, school_type="Gymnasium", grade="5", citizenship="deutsch")
        foreign_5 = _sum(df, grade="5", citizenship="auslaendisch")
        assert foreign_gym / foreign_5 < german_gym / (grade5 - foreign_5), year


def test_school_leavers_2016_abitur_and_no_degree(tables):
    df = tables[(2016, "school_leavers")]
    for cit, expected in (("deutsch", 0.44), ("auslaendisch", 0.18)):
        share = _sum(df, citizenship=cit, degree="ahr") / _sum(df, citizenship=cit)
        assert share == pytest.approx(expected, abs=0.005), cit
    no_degree = {
        cit: _sum(df, citizenship=cit, degree="ohne_hsa") / _sum(df, citizenship=cit)
        for cit in ("deutsch", "auslaendisch")
    }
    assert no_degree["auslaendisch"] > 2 * no_degree["deutsch"]


def test_newcomer_pupils_peak_2016_2017_from_the_main_origins(tables):
    totals = {y: int(tables[(y, "newcomer_pupils")]["count"].sum()) for y in YEARS}
    assert max(totals, key=totals.get) in (2016, 2017)
    assert all(100 <= n < 1_000 for n in totals.values())
    assert totals[2016] >= 500 and totals[2017] >= 500
    main = ["Syrien", "Irak", "Afghanistan", "Bulgarien", "Rumänien"]
    for year in (2016, 2017):
        df = tables[(year, "newcomer_pupils")]
        assert _sum(df, nationality=main) / totals[year] > 0.6


# --- work and livelihood ----------------------------------------------------------------------


def test_employees_at_the_workplace_2013_to_2015_and_growing(tables, raw):
    stacked = next((raw / "2014").glob("regio_13111-*"))
    y2013 = load_file("employees_workplace", stacked, reference_date="2013-06-30")
    got = {2013: y2013.set_index("citizenship")["count"]}
    for year in YEARS:
        got[year] = tables[(year, "employees_workplace")].set_index("citizenship")["count"]
    published = {2013: (138_916, 10_901), 2014: (141_143, 11_475), 2015: (144_063, 12_454)}
    for year, (total, foreign) in published.items():
        assert got[year]["insgesamt"] == total
        assert got[year]["auslaendisch"] == foreign
    totals = [got[y]["insgesamt"] for y in YEARS]
    assert totals == sorted(totals) and len(set(totals)) == len(totals)


def test_one_in_three_unemployed_is_a_foreigner_2016(tables):
    df = tables[(2016, "unemployed")]
    share = _sum(df, citizenship="auslaendisch") / df["count"].sum()
    assert 0.30 <= share <= 0.36
    assert _sum(df, citizenship="deutsch", flight_context="ja") == 0


@pytest.mark.parametrize(
    ("year", "total", "foreign"),
    [(2014, 15_890, 4_763), (2015, 15_808, 5_119), (2016, 15_152, 5_210)],
)
def test_unemployed_are_the_real_annual_averages(tables, year, total, foreign):
    """13211-01-03-4 (Regionaldatenbank): 2016 15,152 unemployed, 5,210 foreigners."""
    df = tables[(year, "unemployed")]
    assert df["count"].sum() == total
    assert _sum(df, citizenship="auslaendisch") == foreign


@pytest.mark.parametrize(
    ("year", "total", "foreign"),
    [(2014, 35_550, 12_623), (2015, 36_373, 13_765), (2016, 37_332, 15_494)],
)
def test_sgb2_totals_are_the_real_regelleistungsberechtigte(tables, year, total, foreign):
    df = tables[(year, "sgb2")]
    assert df["count"].sum() == total
    assert _sum(df, citizenship="auslaendisch") == foreign


@pytest.mark.parametrize(
    ("year", "total", "foreign"), [(2014, 113_808, 11_530), (2015, 116_295, 12_333)]
)
def test_employees_at_residence_are_the_real_13111_values(tables, year, total, foreign):
    df = tables[(year, "employees")]
    svb = df[df["employment"] == "svb"]
    assert svb["count"].sum() == total
    assert _sum(svb, citizenship="auslaendisch") == foreign


def test_comparison_series_move_and_are_not_rounded(tables):
    series = {
        "unemployed": [int(tables[(y, "unemployed")]["count"].sum()) for y in YEARS],
        "sgb2": [int(tables[(y, "sgb2")]["count"].sum()) for y in YEARS],
    }
    for name, values in series.items():
        assert len(set(values)) == len(values), name  # never frozen
        assert not all(v % 50 == 0 for v in values), name  # never rounded


def test_sgb2_rates_plausible_and_higher_for_foreigners(tables):
    for year in YEARS:
        df = tables[(year, "sgb2")]
        pop = world.district_population(year, ("citizenship", "age_group"))
        pop = pop[pop.age_group != "65+"]
        rate = {
            cit: _sum(df, citizenship=cit) / _sum(pop, citizenship=cit)
            for cit in ("deutsch", "auslaendisch")
        }
        assert 0.05 <= rate["deutsch"] <= 0.15, year
        assert 0.20 <= rate["auslaendisch"] <= 0.50, year
        assert rate["auslaendisch"] > 2.5 * rate["deutsch"], year


def test_employees_at_residence_below_the_working_age_population(tables):
    for year in YEARS:
        df = tables[(year, "employees")]
        pop = world.district_population(year, ("citizenship", "age_group"))
        working = pop[pop.age_group.isin(["15-17", "18-24", "25-44", "45-64"])]
        for cit in ("deutsch", "auslaendisch"):
            rate = _sum(df, citizenship=cit) / _sum(working, citizenship=cit)
            assert 0.3 <= rate <= 0.75, (year, cit)


def test_integration_courses_peak_2016_2017_and_b1_rate(tables):
    entries = {y: _sum(tables[(y, "integration_courses")], measure="eintritte") for y in YEARS}
    assert sorted(entries, key=entries.get)[-2:] in ([2016, 2017], [2017, 2016])
    for year in YEARS:
        df = tables[(year, "integration_courses")]
        rate = _sum(df, measure="b1_bestanden") / _sum(df, measure="pruefungen")
        assert 0.50 <= rate <= 0.60, year


# --- accommodation, staff, participation ------------------------------------------------------


def test_refugees_move_from_shared_accommodation_to_flats_after_2016(tables):
    by_type = {
        y: tables[(y, "accommodation")].groupby("accommodation_type")["count"].sum() for y in YEARS
    }
    later = [y for y in YEARS if y >= 2016]
    shared = [by_type[y]["gemeinschaftsunterkunft"] for y in later]
    flats = [by_type[y]["wohnung_angemietet"] for y in later]
    assert shared == sorted(shared, reverse=True) and shared[0] > shared[-1]
    assert flats == sorted(flats) and flats[0] < flats[-1]


def test_city_staff_with_migration_background(tables):
    shares = {}
    for year in YEARS:
        df = tables[(year, "city_staff")]
        share = {
            g: _sum(df, staff_group=g, migration_background="mit") / _sum(df, staff_group=g)
            for g in ("beschaeftigte", "auszubildende")
        }
        assert 0.08 <= share["beschaeftigte"] <= 0.10, year
        assert share["auszubildende"] > share["beschaeftigte"], year
        shares[year] = share["beschaeftigte"]
    assert shares[2019] > shares[2014]
    assert all(shares[a] <= shares[b] for a, b in itertools.pairwise(YEARS))


def test_integrationsrat_election_only_in_2014(tables, raw):
    df = tables[(2014, "election")]
    assert (df.reference_date == "2014-05-25").all()
    assert 44_000 <= df.eligible.sum() <= 46_000
    assert 0.10 <= df.voters.sum() / df.eligible.sum() <= 0.15
    for year in YEARS[1:]:
        assert (year, "election") not in tables
        assert not list((raw / str(year)).glob("*wahl*"))


def test_volunteers_in_refugee_work_peak_2016(tables):
    volunteers = {y: _sum(tables[(y, "engagement")], measure="ehrenamtliche") for y in YEARS}
    assert max(volunteers, key=volunteers.get) == 2016


# --- the deliveries themselves ----------------------------------------------------------------


def test_every_delivery_is_marked_synthetic(raw):
    for path in sorted(raw.rglob("*.csv")):
        data = path.read_bytes()
        text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else None
        if text is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
        head = "\n".join(text.splitlines()[:4])
        assert "SYNTHETISCHE DEMODATEN" in head, path.name


def test_deliveries_are_regenerated_byte_identically(raw):
    script = (
        "import hashlib\n"
        "from bielefeld_integration.demo import civic, education, labour\n"
        "for y in (2014, 2016):\n"
        "    for m in (education, labour, civic):\n"
        "        for d in m.deliveries(y):\n"
        "            print(y, d.file, hashlib.sha256(d.content).hexdigest())\n"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    fresh = [line.split() for line in fresh if line]
    assert len(fresh) > 20
    for year, name, digest in fresh:
        assert hashlib.sha256((raw / year / name).read_bytes()).hexdigest() == digest, name


def test_manifest_entries_are_complete(deliveries):
    for year, files in deliveries.items():
        assert len({d.domain for d in files}) == len(files)
        for d in files:
            assert d.reference_date[:4] == str(year)
            assert d.format and d.origin and d.file.endswith(".csv")
