"""Loaders of the demography domains: register, foreigners office, GENESIS 12411/12511/12531/12711.

Good input: small hand-written fixtures in ``tests/data/demography`` (values checked).
Bad input: variants of those fixtures with one defect each; every one must raise a
:class:`DataError` that names the file and, where it can, the line and column.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.ingest import load_file
from bielefeld_integration.sources import loaders
from bielefeld_integration.sources.foreigners_office import load_arrivals, load_residence
from bielefeld_integration.sources.genesis_demography import (
    load_migration,
    load_naturalisations,
    load_population_official,
    load_protection_seekers,
)
from bielefeld_integration.sources.register import load_population, load_population_origin

FIX = Path(__file__).parents[1] / "data" / "demography"
REF = "2017-12-31"

#: fixture file -> (encoding, loader, table, reference date of the fixture)
FIXTURES = {
    "einwohner_statbezirke.csv": ("cp1252", load_population, "population", REF),
    "einwohner_herkunft.csv": ("utf-8-sig", load_population_origin, "population_origin", REF),
    "auslaenderbehoerde.csv": ("utf-8", load_residence, "residence", REF),
    "zugaenge.csv": ("cp1252", load_arrivals, "arrivals", REF),
    "12411_bevoelkerung.csv": (
        "iso-8859-1",
        load_population_official,
        "population_official",
        "2015-12-31",
    ),
    "12511_einbuergerungen.csv": (
        "iso-8859-1",
        load_naturalisations,
        "naturalisations",
        "2016-12-31",
    ),
    "12531_schutzsuchende.csv": ("utf-8-sig", load_protection_seekers, "protection_seekers", REF),
    "12711_wanderungen.csv": ("utf-8", load_migration, "migration", "2015-12-31"),
}


def _variant(tmp_path: Path, name: str, old: str, new: str, *, count: int = 1) -> Path:
    """Copy a fixture into ``tmp_path`` with ``old`` replaced by ``new`` (same encoding)."""
    encoding = FIXTURES[name][0]
    text = (FIX / name).read_bytes().decode(encoding)
    assert old in text, f"{old!r} not in fixture {name}"
    path = tmp_path / name
    path.write_bytes(text.replace(old, new, count).encode(encoding))
    return path


def _counts(df, *keys: str) -> dict:
    return {tuple(r[k] for k in keys): int(r["count"]) for _, r in df.iterrows()}


# --- good fixtures ---------------------------------------------------------------------------


def test_loaders_are_registered() -> None:
    found = loaders()
    for _enc, fn, table, _ref in FIXTURES.values():
        assert found[table] is fn


@pytest.mark.parametrize("name", list(FIXTURES))
def test_good_fixture_validates(name: str) -> None:
    _enc, _fn, table, ref = FIXTURES[name]
    df = load_file(table, FIX / name, reference_date=ref)
    assert len(df) > 0
    assert (df["reference_date"] == ref).all()


def test_population_values() -> None:
    df = load_population(FIX / "einwohner_statbezirke.csv", reference_date=REF)
    got = _counts(df, "stat_bezirk", "sex", "age_group", "citizenship", "migration_background")
    assert got == {
        ("0101", "m", "00-02", "deutsch", "ohne"): 120,
        ("0101", "w", "00-02", "deutsch", "familiaer"): 35,
        ("0101", "w", "25-44", "auslaendisch", "persoenlich"): 1234,  # " 101 ", "1.234"
        ("0541", "m", "65+", "deutsch", "persoenlich"): 0,
        ("1069", "w", "15-17", "deutsch", "ohne"): 0,
    }
    assert df.set_index("stat_bezirk")["stadtbezirk"].to_dict()["0541"] == "05"


def test_population_origin_values() -> None:
    df = load_population_origin(FIX / "einwohner_herkunft.csv", reference_date=REF)
    got = _counts(df, "stadtbezirk", "citizenship", "migration_background", "origin", "minor")
    assert got == {
        ("01", "deutsch", "ohne", "Deutschland", "nein"): 40_000,
        ("01", "auslaendisch", "persoenlich", "Türkei", "ja"): 322,
        ("01", "deutsch", "persoenlich", "Russische Föderation", "nein"): 1_100,
        ("07", "deutsch", "familiaer", "Türkei", "ja"): 512,
        ("05", "auslaendisch", "persoenlich", "Syrien", "nein"): 17,
    }


def test_residence_values() -> None:
    df = load_residence(FIX / "auslaenderbehoerde.csv", reference_date=REF)
    got = _counts(df, "nationality", "residence_status", "duration", "sex")
    assert got[("Syrien", "asylverfahren", "unter 4", "m")] == 1204
    assert got[("Syrien", "schutz", "unter 4", "w")] == 980
    assert got[("Irak", "folgeverfahren", "4 bis unter 8", "m")] == 12
    assert got[("Irak", "duldung", "unter 4", "m")] == 77
    assert got[("Türkei", "unbefristet", "10 und mehr", "w")] == 3850
    assert got[("Polen", "eu_freizuegigkeit", "8 bis unter 10", "m")] == 240


def test_arrivals_values() -> None:
    df = load_arrivals(FIX / "zugaenge.csv", reference_date=REF)
    got = _counts(df, "half", "channel", "nationality", "sex", "age_group", "stadtbezirk")
    assert got == {
        ("1", "zuweisung", "Syrien", "m", "18-24", "01"): 40,
        ("1", "familiennachzug", "Irak", "w", "06-09", "07"): 12,
        ("2", "eu", "Bulgarien", "m", "25-44", "08"): 9,
        ("2", "sonstige", "Ukraine", "w", "65+", "05"): 1,
        ("2", "familiennachzug", "Irak", "m", "10-15", "09"): 3,
    }


def test_population_official_values() -> None:
    df = load_population_official(FIX / "12411_bevoelkerung.csv", reference_date="2015-12-31")
    got = _counts(df, "sex", "citizenship")
    assert got[("insgesamt", "insgesamt")] == 333_090
    assert got[("m", "insgesamt")] == 161_148
    assert got[("w", "insgesamt")] == 171_942
    assert got[("insgesamt", "deutsch")] == 289_542
    assert got[("insgesamt", "auslaendisch")] == 43_548
    assert len(got) == 9


def test_naturalisations_keeps_only_the_reference_year() -> None:
    path = FIX / "12511_einbuergerungen.csv"
    df = load_naturalisations(path, reference_date="2016-12-31")
    assert _counts(df, "continent") == {
        ("Afrika",): 48,
        ("Amerika",): 11,
        ("Asien",): 116,
        ("Australien und Ozeanien",): 0,
        ("Europa",): 280,
        ("unbekannt",): 1,
    }
    assert load_naturalisations(path, reference_date="2015-12-31")["count"].sum() == 391


def test_protection_seekers_drops_totals() -> None:
    df = load_protection_seekers(FIX / "12531_schutzsuchende.csv", reference_date=REF)
    got = _counts(df, "protection_status", "sex")
    assert got == {
        ("offen", "m"): 1895,
        ("offen", "w"): 1055,
        ("anerkannt", "m"): 4740,
        ("anerkannt", "w"): 3160,
        ("abgelehnt", "m"): 550,
        ("abgelehnt", "w"): 275,
    }
    assert df["count"].sum() == 11_675  # equals the published total: nothing counted twice


def test_migration_values() -> None:
    df = load_migration(FIX / "12711_wanderungen.csv", reference_date="2015-12-31")
    got = _counts(df, "direction", "area_type", "citizenship")
    assert len(got) == 8
    assert sum(v for k, v in got.items() if k[0] == "zuzug") == 19_827
    assert sum(v for k, v in got.items() if k[0] == "fortzug") == 16_331
    assert got[("zuzug", "ausland", "deutsch")] + got[("zuzug", "ausland", "auslaendisch")] == 6744


def test_crlf_and_bom_variants_read_the_same(tmp_path: Path) -> None:
    name = "auslaenderbehoerde.csv"
    text = (FIX / name).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    a = load_residence(FIX / name, reference_date=REF)
    b = load_residence(path, reference_date=REF)
    assert a.equals(b)
    path.write_bytes(text.encode("cp1252"))
    assert load_residence(path, reference_date=REF).equals(a)


# --- bad fixtures ----------------------------------------------------------------------------

#: (id, fixture, old, new, replace count, reference date or None, message part, line, column)
BAD = [
    # register extract by Statistischer Bezirk
    (
        "unknown-stat-bezirk",
        "einwohner_statbezirke.csv",
        "0541;Großdornberg",
        "0599;Großdornberg",
        1,
        None,
        "Statistischer Bezirk",
        6,
        "Statistischer Bezirk",
    ),
    (
        "unknown-label-sex",
        "einwohner_statbezirke.csv",
        "männlich;0 bis",
        "maskulin;0 bis",
        1,
        None,
        "maskulin",
        3,
        "Geschlecht",
    ),
    (
        "unknown-label-age",
        "einwohner_statbezirke.csv",
        "65 und älter",
        "65 bis 70",
        1,
        None,
        "Altersgruppe",
        6,
        "Altersgruppe",
    ),
    (
        "negative-count",
        "einwohner_statbezirke.csv",
        "ohne;120",
        "ohne;-120",
        1,
        None,
        "negative",
        3,
        "Anzahl",
    ),
    (
        "not-a-number",
        "einwohner_statbezirke.csv",
        "ohne;120",
        "ohne;12o",
        1,
        None,
        "keine ganze Zahl",
        3,
        "Anzahl",
    ),
    (
        "duplicate-key",
        "einwohner_statbezirke.csv",
        "weiblich;0 bis unter 3;deutsch;familiär",
        "männlich;0 bis unter 3;deutsch;ohne",
        1,
        None,
        "doppelt",
        4,
        None,
    ),
    (
        "missing-column",
        "einwohner_statbezirke.csv",
        ";Altersgruppe;",
        ";Alter;",
        1,
        None,
        "Altersgruppe",
        2,
        None,
    ),
    ("wrong-delimiter", "einwohner_statbezirke.csv", ";", ",", -1, None, "Trennzeichen", 2, None),
    (
        "foreigner-without-mh",
        "einwohner_statbezirke.csv",
        "nichtdeutsch;persönlich",
        "nichtdeutsch;ohne",
        1,
        None,
        "persönlichen Migrationshintergrund",
        5,
        "Migrationshintergrund",
    ),
    (
        "familial-adult",
        "einwohner_statbezirke.csv",
        "65 und älter;deutsch;persönlich",
        "65 und älter;deutsch;familiär",
        1,
        None,
        "Minderjährigen",
        6,
        "Migrationshintergrund",
    ),
    (
        "wrong-stichtag",
        "einwohner_statbezirke.csv",
        "x",
        "x",
        0,
        "2016-12-31",
        "Stichtag",
        3,
        "Stichtag",
    ),
    # register extract by origin
    (
        "unknown-stadtbezirk",
        "einwohner_herkunft.csv",
        "07;Heepen",
        "11;Heepen",
        1,
        None,
        "Stadtbezirk",
        6,
        "Stadtbezirk",
    ),
    (
        "unknown-origin",
        "einwohner_herkunft.csv",
        "Türkei;ja;322",
        "Atlantis;ja;322",
        1,
        None,
        "Atlantis",
        4,
        "Staatsangehörigkeit/Bezugsland",
    ),
    (
        "german-without-mh-origin",
        "einwohner_herkunft.csv",
        "ohne;Deutschland",
        "ohne;Polen",
        1,
        None,
        "Bezugsland Deutschland",
        3,
        "Staatsangehörigkeit/Bezugsland",
    ),
    (
        "origin-duplicate",
        "einwohner_herkunft.csv",
        "1;Mitte;deutsch;persönlich;Russland;nein",
        "01;Mitte;nichtdeutsch;persönlich;Türkei;ja",
        1,
        None,
        "doppelt",
        5,
        None,
    ),
    (
        "origin-missing-minor",
        "einwohner_herkunft.csv",
        "Minderjährig;",
        "unter 18;",
        1,
        None,
        "Minderjährig",
        2,
        None,
    ),
    # foreigners office
    (
        "unknown-status",
        "auslaenderbehoerde.csv",
        ";Duldung;",
        ";Abschiebehaft;",
        1,
        None,
        "Aufenthaltsstatus",
        6,
        "Aufenthaltsstatus",
    ),
    (
        "unknown-duration",
        "auslaenderbehoerde.csv",
        "8 bis unter 10 Jahre",
        "8 bis 9 Jahre",
        1,
        None,
        "Aufenthaltsdauer",
        8,
        "Aufenthaltsdauer",
    ),
    (
        "unknown-nationality",
        "auslaenderbehoerde.csv",
        "31.12.2017;Polen",
        "31.12.2017;Deutschland",
        1,
        None,
        "Staatsangehörigkeit",
        8,
        "Staatsangehörigkeit",
    ),
    (
        "residence-duplicate",
        "auslaenderbehoerde.csv",
        "Irak;Duldung;unter 4 Jahre",
        "Irak;Asylfolgeantrag;4 bis unter 8 Jahre",
        1,
        None,
        "doppelt",
        6,
        None,
    ),
    (
        "residence-negative",
        "auslaenderbehoerde.csv",
        ";240",
        ";-240",
        1,
        None,
        "negative",
        8,
        "Anzahl",
    ),
    (
        "residence-wrong-date",
        "auslaenderbehoerde.csv",
        "31.12.2017;Irak;Duldung",
        "30.06.2017;Irak;Duldung",
        1,
        None,
        "Stichtag",
        6,
        "Stichtag",
    ),
    (
        "residence-wrong-delimiter",
        "auslaenderbehoerde.csv",
        ";",
        "\t",
        -1,
        None,
        "Trennzeichen",
        2,
        None,
    ),
    # arrivals
    (
        "unknown-half",
        "zugaenge.csv",
        "1. Halbjahr;Familiennachzug",
        "3. Halbjahr;Familiennachzug",
        1,
        None,
        "Halbjahr",
        4,
        "Halbjahr",
    ),
    (
        "unknown-district-name",
        "zugaenge.csv",
        "Stieghorst",
        "Sieker",
        1,
        None,
        "Stadtbezirk",
        5,
        "Stadtbezirk",
    ),
    (
        "unknown-channel",
        "zugaenge.csv",
        "EU-Zuwanderung",
        "Saisonarbeit",
        1,
        None,
        "Zugangsweg",
        5,
        "Zugangsweg",
    ),
    ("arrivals-wrong-year", "zugaenge.csv", "x", "x", 0, "2018-12-31", "Berichtsjahr", 3, "Jahr"),
    ("arrivals-missing-column", "zugaenge.csv", ";Halbjahr;", ";", 1, None, "Halbjahr", 2, None),
    # GENESIS 12411
    (
        "12411-wrong-delimiter",
        "12411_bevoelkerung.csv",
        ";",
        ",",
        -1,
        None,
        "Trennzeichen",
        2,
        None,
    ),
    (
        "12531-wrong-delimiter",
        "12531_schutzsuchende.csv",
        ";",
        "\t",
        -1,
        None,
        "Trennzeichen",
        1,
        None,
    ),
    (
        "12411-bielefeld-missing",
        "12411_bevoelkerung.csv",
        "05711;",
        "05712;",
        1,
        None,
        "Bielefeld (Kreis 05711) fehlt",
        None,
        None,
    ),
    (
        "12411-wrong-date",
        "12411_bevoelkerung.csv",
        "x",
        "x",
        0,
        "2016-12-31",
        "falscher Stichtag",
        10,
        None,
    ),
    (
        "12411-parts-vs-total",
        "12411_bevoelkerung.csv",
        ";161148;",
        ";161149;",
        1,
        None,
        "Summe der Teile",
        10,
        "Insgesamt / Insgesamt",
    ),
    (
        "12411-unknown-label",
        "12411_bevoelkerung.csv",
        "Insgesamt;Deutsche;Ausländer;Insgesamt",
        "Insgesamt;Deutsche;Staatenlose;Insgesamt",
        1,
        None,
        "Staatenlose",
        7,
        "Nationalität",
    ),
    (
        "12411-symbol-instead-of-count",
        "12411_bevoelkerung.csv",
        ";43548;",
        ";.;",
        1,
        None,
        "Tabellenzeichen",
        10,
        "Insgesamt / Ausländer",
    ),
    (
        "12411-missing-classification",
        "12411_bevoelkerung.csv",
        ";Nationalität" * 9,
        ";Herkunft" * 9,
        1,
        None,
        "Merkmal »Nationalität« fehlt",
        None,
        None,
    ),
    # GENESIS 12511
    (
        "12511-year-missing",
        "12511_einbuergerungen.csv",
        "x",
        "x",
        0,
        "2014-12-31",
        "2015, 2016",
        10,
        None,
    ),
    (
        "12511-parts-vs-total",
        "12511_einbuergerungen.csv",
        ";456;48;",
        ";457;48;",
        1,
        None,
        "Summe der Teile",
        10,
        "Insgesamt",
    ),
    (
        "12511-negative",
        "12511_einbuergerungen.csv",
        ";456;48;",
        ";456;-48;",
        1,
        None,
        "keine Anzahl",
        10,
        "Afrika",
    ),
    (
        "12511-bielefeld-missing",
        "12511_einbuergerungen.csv",
        "05711;",
        "05758;",
        -1,
        None,
        "Bielefeld",
        None,
        None,
    ),
    (
        "12511-missing-classification",
        "12511_einbuergerungen.csv",
        "Kontinente (einschl. staatenlos etc.)",
        "Erdteile",
        -1,
        None,
        "Kontinente",
        None,
        None,
    ),
    # GENESIS 12531
    (
        "12531-bielefeld-missing",
        "12531_schutzsuchende.csv",
        "05711;Bielefeld",
        "05753;Bielefeld",
        -1,
        None,
        "Bielefeld",
        None,
        None,
    ),
    (
        "12531-wrong-date",
        "12531_schutzsuchende.csv",
        "2017-12-31",
        "2016-12-31",
        -1,
        None,
        "falscher Stichtag",
        2,
        None,
    ),
    (
        "12531-parts-vs-total",
        "12531_schutzsuchende.csv",
        ";Insgesamt;2945;",
        ";Insgesamt;2990;",
        1,
        None,
        "Rundungsdifferenz",
        8,
        "value",
    ),
    (
        "12531-unknown-status",
        "12531_schutzsuchende.csv",
        "abgelehnter Schutzstatus",
        "geduldet",
        -1,
        None,
        "geduldet",
        7,
        "Schutzstatus",
    ),
    (
        "12531-duplicate",
        "12531_schutzsuchende.csv",
        "abgelehnter Schutzstatus;GES;Geschlecht;GESW;weiblich",
        "abgelehnter Schutzstatus;GES;Geschlecht;GESM;männlich",
        1,
        None,
        "doppelt",
        None,
        None,
    ),
    # GENESIS 12711
    (
        "12711-parts-vs-total",
        "12711_wanderungen.csv",
        ";19827;",
        ";19828;",
        1,
        None,
        "Summe der Teile",
        12,
        "Zuzüge über die Gemeindegrenzen / Insgesamt",
    ),
    (
        "12711-citizenship-vs-total",
        "12711_wanderungen.csv",
        "Ausland;6744;900;",
        "Ausland;6744;901;",
        1,
        None,
        "Summe der Teile",
        10,
        None,
    ),
    ("12711-wrong-year", "12711_wanderungen.csv", "x", "x", 0, "2016-12-31", "2015", 10, None),
    (
        "12711-bielefeld-missing",
        "12711_wanderungen.csv",
        "05711;",
        "05770;",
        -1,
        None,
        "Bielefeld",
        None,
        None,
    ),
    (
        "12711-unknown-area",
        "12711_wanderungen.csv",
        ";übriges Bundesgebiet;",
        ";Ausland (ungeklärt);",
        1,
        None,
        "Ausland (ungeklärt)",
        11,
        "Herkunfts-/Zielgebiet",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "count", "ref", "message", "line", "column"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD],
)
def test_bad_input_raises_data_error(
    tmp_path: Path,
    name: str,
    old: str,
    new: str,
    count: int,
    ref: str | None,
    message: str,
    line: int | None,
    column: str | None,
) -> None:
    _enc, fn, _table, fixture_ref = FIXTURES[name]
    path = _variant(tmp_path, name, old, new, count=count) if count else tmp_path / name
    if not count:
        path.write_bytes((FIX / name).read_bytes())
    with pytest.raises(DataError) as info:
        fn(path, reference_date=ref or fixture_ref)
    err = info.value
    assert err.file == str(path), str(err)
    assert str(path) in str(err)
    assert message in str(err), str(err)
    if line is not None:
        assert err.row == line, str(err)
    if column is not None:
        assert err.column == column, str(err)


def test_empty_and_unreadable_files(tmp_path: Path) -> None:
    empty = tmp_path / "leer.csv"
    empty.write_bytes(b"")
    for fn in (load_population, load_residence, load_arrivals, load_migration):
        with pytest.raises(DataError) as info:
            fn(empty, reference_date=REF)
        assert str(empty) in str(info.value)
    with pytest.raises(DataError, match="nicht lesbar"):
        load_population_origin(tmp_path / "fehlt.csv", reference_date=REF)


def test_genesis_table_with_extra_breakdown_is_refused(tmp_path: Path) -> None:
    text = (FIX / "12711_wanderungen.csv").read_bytes().decode("utf-8")
    text = text.replace(";;;Zuzüge", ";;;;Zuzüge").replace(";;;Staats", ";;;;Staats")
    text = text.replace(";;;Insgesamt;Deutsche", ";;;;Insgesamt;Deutsche")
    text = text.replace(";;;Anzahl", ";;;;Anzahl")
    text = text.replace(";Ausland;", ";Ausland;unter 18;", 1)
    text = text.replace(";übriges Bundesgebiet;", ";übriges Bundesgebiet;18 und mehr;", 1)
    lines = [
        ln
        for ln in text.split("\r\n")
        if not ln.startswith(("05711;", "05754;")) or "unter 18" in ln or "18 und mehr" in ln
    ]
    path = tmp_path / "12711_alter.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    with pytest.raises(DataError) as info:
        load_migration(path, reference_date="2015-12-31")
    assert str(path) in str(info.value)


# --- real exports (vendored GENESIS samples) ----------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "genesis" / "samples"


def test_real_12511_export() -> None:
    path = SAMPLES / "regio_12511-01-01-4_einbuergerungen_latin1.csv"
    df = load_naturalisations(path, reference_date="2016-12-31")
    assert df.set_index("continent")["count"].to_dict() == {
        "Afrika": 48,
        "Amerika": 11,
        "Asien": 116,
        "Australien und Ozeanien": 0,
        "Europa": 280,
        "unbekannt": 1,
    }
    assert load_naturalisations(path, reference_date="2012-12-31")["count"].sum() == 1023


def test_real_export_of_another_breakdown_is_refused() -> None:
    path = SAMPLES / "regio_12711-01-03-4_wanderungen_2015.csv"  # by age and sex, not by area
    with pytest.raises(DataError, match="Herkunfts-/Zielgebiet") as info:
        load_migration(path, reference_date="2015-12-31")
    assert str(path) in str(info.value)
