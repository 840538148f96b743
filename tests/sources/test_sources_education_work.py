"""Loaders of education, work, accommodation and participation: good and bad deliveries.

Good inputs are the hand-written fixtures in ``tests/data/education_work/``; each bad input
is the good fixture with one defect written to ``tmp_path`` (same encoding and line ends).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.ingest import load_file
from bielefeld_integration.sources import loaders

DATA = Path(__file__).parents[1] / "data" / "education_work"

#: table -> (fixture, reference date of the fixture)
GOOD = {
    "daycare": ("kjh_kita.csv", "2016-03-01"),
    "daycare_facilities": ("ffcsv_22541_kitas.csv", "2016-03-01"),
    "school_entry": ("seu.csv", "2016-12-31"),
    "pupils": ("regio_21111_schulen.csv", "2015-10-15"),
    "school_leavers": ("abgaenger.csv", "2016-07-31"),
    "newcomer_pupils": ("seiteneinsteiger.csv", "2016-12-31"),
    "integration_courses": ("bamf_kurse.csv", "2016-12-31"),
    "unemployed": ("ba_arbeitslose.csv", "2016-12-31"),
    "sgb2": ("ba_sgb2.csv", "2016-12-31"),
    "employees": ("ba_beschaeftigte.csv", "2016-06-30"),
    "employees_workplace": ("regio_13111_beschaeftigte.csv", "2014-06-30"),
    "accommodation": ("unterbringung.csv", "2016-12-31"),
    "city_staff": ("personal.csv", "2016-12-31"),
    "election": ("wahl.csv", "2014-05-25"),
    "engagement": ("engagement.csv", "2016-12-31"),
}


def load(table: str, path: Path | None = None, reference_date: str | None = None):
    fixture, ref = GOOD[table]
    return load_file(table, path or DATA / fixture, reference_date=reference_date or ref)


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "cp1252"


def variant(tmp_path: Path, table: str, old: str, new: str) -> Path:
    """The good fixture of ``table`` with every ``old`` replaced by ``new``."""
    fixture = GOOD[table][0]
    text, enc = _decode((DATA / fixture).read_bytes())
    assert old in text, f"{old!r} not in {fixture}"
    out = tmp_path / f"bad_{fixture}"
    out.write_bytes(text.replace(old, new).encode(enc))
    return out


def test_every_table_of_this_domain_has_a_loader():
    assert set(GOOD) <= set(loaders())


# --- good deliveries: values ------------------------------------------------------------------


def test_daycare_values():
    df = load("daycare").set_index(
        ["stadtbezirk", "age_group", "migration_background", "family_language"]
    )["count"]
    assert df[("01", "unter 3", "mit", "nichtdeutsch")] == 120
    assert df[("03", "3 bis unter 6", "ohne", "deutsch")] == 1204  # blanks, thousands dot
    assert df[("10", "3 bis unter 6", "mit", "nichtdeutsch")] == 0  # "-" and a district name
    assert len(df) == 5


def test_daycare_reads_utf8_with_lf_the_same_as_cp1252_with_crlf(tmp_path):
    text = (DATA / "kjh_kita.csv").read_bytes().decode("cp1252").replace("\r\n", "\n")
    path = tmp_path / "kita_utf8.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    pd.testing.assert_frame_equal(load("daycare", path), load("daycare"))


def test_daycare_facilities_values():
    df = load("daycare_facilities").set_index("measure")
    assert df.loc["einrichtungen", "count"] == 200
    assert df.loc["genehmigte_plaetze", "count"] == 11_537
    assert (df.reference_date == "2016-03-01").all()
    assert len(df) == 2  # the third measure (children) is left out


def test_school_entry_values():
    df = load("school_entry")
    row = df[(df.stadtbezirk == "07") & (df.kita_duration == "keine")].iloc[0]
    assert (row.family_language, row.language_assessment, row["count"]) == (
        "nichtdeutsch",
        "foerderbedarf",
        12,
    )
    assert df["count"].sum() == 459
    assert set(df.stadtbezirk) == {"01", "07"}


def test_pupils_values():
    df = load("pupils").set_index(["school_type", "grade", "citizenship"])
    assert df.loc[("Grundschule", "alle", "deutsch"), "count"] == 10_734
    assert df.loc[("Grundschule", "alle", "auslaendisch"), "count"] == 1_434
    assert df.loc[("Grundschule", "alle", "auslaendisch"), "schools"] == 47
    assert df.loc[("Gymnasium", "5", "auslaendisch"), "count"] == 100
    assert df.loc[("Sekundarschule", "5", "auslaendisch"), "count"] == 0  # "-"
    assert ("Grundschule", "5", "deutsch") not in df.index  # "x": does not exist
    assert (df.reference_date == "2015-10-15").all()


def test_school_leavers_values():
    df = load("school_leavers").set_index(["degree", "citizenship", "sex"])["count"]
    assert df[("ahr", "deutsch", "w")] == 700
    assert df[("ohne_hsa", "auslaendisch", "m")] == 30
    assert len(df) == 20
    assert df.sum() == 3_160


def test_newcomer_pupils_values():
    df = load("newcomer_pupils").set_index(["school_level", "nationality"])["count"]
    assert df[("sek1", "Syrien")] == 120
    assert df[("sek2", "Irak")] == 14
    assert df.sum() == 279


def test_integration_courses_values():
    df = load("integration_courses").set_index(["course_type", "sex", "measure"])["count"]
    assert df[("allgemein", "m", "eintritte")] == 1_020
    assert df[("alphabetisierung", "w", "b1_bestanden")] == 25
    assert len(df) == 12


def test_unemployed_values():
    df = load("unemployed")
    assert len(df) == 4  # the two total rows are checked and dropped
    row = df[(df.citizenship == "auslaendisch") & (df.flight_context == "ja")].iloc[0]
    assert (row.stadtbezirk, row.sex, row.age_band, row.legal_sphere, row["count"]) == (
        "01",
        "m",
        "25-64",
        "SGB II",
        400,
    )
    assert df["count"].sum() == 1_800
    assert (df.reference_date == "2016-12-31").all()


def test_sgb2_values():
    df = load("sgb2").set_index(["stadtbezirk", "citizenship", "age_band"])["count"]
    assert df[("01", "auslaendisch", "unter 15")] == 1_300
    assert df[("10", "deutsch", "15 bis Regelaltersgrenze")] == 650
    assert len(df) == 6


def test_employees_values():
    df = load("employees")
    assert len(df) == 3
    assert df.loc[df.employment == "svb", "count"].sum() == 16_100
    assert df.loc[df.employment == "geringfuegig", "age_band"].tolist() == ["15-24"]


def test_employees_workplace_takes_the_manifest_period_of_stacked_tables():
    y14 = load("employees_workplace").set_index("citizenship")["count"]
    assert y14.to_dict() == {"insgesamt": 141_143, "deutsch": 129_612, "auslaendisch": 11_475}
    y13 = load("employees_workplace", reference_date="2013-06-30").set_index("citizenship")
    assert y13.loc["insgesamt", "count"] == 138_916
    assert y13.loc["auslaendisch", "count"] == 10_901
    assert (y13.reference_date == "2013-06-30").all()


def test_accommodation_values():
    df = load("accommodation").set_index(["stadtbezirk", "accommodation_type"])["count"]
    assert df[("08", "gemeinschaftsunterkunft")] == 1_050
    assert df[("06", "uebergangswohnheim")] == 0
    assert df[("01", "wohnung_angemietet")] == 610


def test_city_staff_values():
    df = load("city_staff").set_index(["staff_group", "migration_background"])["count"]
    assert df[("beschaeftigte", "ohne")] == 3_650
    assert df[("auszubildende", "mit")] == 45
    assert df[("beschaeftigte", "keine_angabe")] == 675


def test_election_values():
    df = load("election").set_index("stadtbezirk")
    assert df.loc["01", "eligible"] == 12_950
    assert df.loc["03", "voters"] == 108
    assert len(df) == 2  # the city total is checked and dropped
    assert (df.reference_date == "2014-05-25").all()


def test_engagement_values():
    df = load("engagement").set_index("measure")["count"]
    assert df.to_dict() == {"ehrenamtliche": 1_720, "mso_registriert": 104, "mso_gefoerdert": 23}


# --- bad deliveries ---------------------------------------------------------------------------

# (table, old, new, reference date or None, fragments the message must contain)
BAD = [
    # daycare (KJH)
    (
        "daycare",
        "01.03.2016;01;unter 3 Jahre;ja;nicht",
        "01.03.2016;11;unter 3 Jahre;ja;nicht",
        None,
        ["Zeile 3", "Spalte »Stadtbezirk«", "'11'"],
    ),
    ("daycare", "Senne;", "Sennestadtt;", None, ["Zeile 7", "Stadtbezirk", "Sennestadtt"]),
    ("daycare", "deutsch;80", "deutsch;-80", None, ["Zeile 4", "negative"]),
    ("daycare", "ja;deutsch;80", "ja;nicht deutsch;80", None, ["Zeile 4", "doppelt"]),
    ("daycare", "Familiensprache;Kinder", "Familiensprache;Anzahl", None, ["Kinder", "fehlen"]),
    ("daycare", ";", ",", None, ["Trennzeichen"]),
    (
        "daycare",
        "01.03.2016;01;unter 3 Jahre;ja;deutsch",
        "01.03.2015;01;unter 3 Jahre;ja;deutsch",
        None,
        ["Zeile 4", "Spalte »Stichtag«", "Manifest"],
    ),
    ("daycare", "unter 3 Jahre;nein", "unter 4 Jahre;nein", None, ["Zeile 5", "Altersgruppe"]),
    # daycare facilities (22541)
    (
        "daycare_facilities",
        "05711;    Bielefeld, Kreisfreie Stadt",
        "05754;    Gütersloh, Kreis",
        None,
        ["Bielefeld", "05711", "fehlt"],
    ),
    (
        "daycare_facilities",
        "Insgesamt;200;11537",
        "Insgesamt;201;11537",
        None,
        ["Teile ergeben 200", "201"],
    ),
    (
        "daycare_facilities",
        "KTE002__Genehmigte_Plaetze",
        "KTE002__Betreuungszeit",
        None,
        ["genehmigte_plaetze", "fehlt"],
    ),
    ("daycare_facilities", "", "", "2017-03-01", ["2016-03-01", "Manifest"]),
    # school entry
    ("school_entry", "07 Heepen", "07 Hepen", None, ["Zeile 5", "Stadtbezirk", "07 Hepen"]),
    (
        "school_entry",
        "intensiver Förderbedarf",
        "sehr intensiv",
        None,
        ["Zeile 4", "Sprachkompetenz Deutsch"],
    ),
    ("school_entry", "", "", "2017-12-31", ["Zeile 3", "Untersuchungsjahr", "Manifest"]),
    ("school_entry", "Anzahl Kinder", "Anzahl", None, ["fehlen", "Anzahl Kinder"]),
    # pupils (21111)
    ("pupils", "05711;", "05754;", None, ["Bielefeld", "fehlt"]),
    ("pupils", "12168;10734;1434", "12169;10734;1434", None, ["Insgesamt", "12169"]),
    (
        "pupils",
        "Gymnasien;Insgesamt",
        "Waldorfschulen;Insgesamt",
        None,
        ["Schulart", "Waldorfschulen"],
    ),
    ("pupils", "1204;1104;100", "1204;1104;.", None, ["».«"]),
    ("pupils", "", "", "2016-10-15", ["2015-10-15", "Manifest"]),
    # school leavers
    ("school_leavers", "580;1.400", "580;1.401", None, ["Zeile 3", "Spalte »Insgesamt«"]),
    ("school_leavers", "Deutsche;weiblich", "Deutsche;männlich", None, ["Zeile 4", "doppelt"]),
    ("school_leavers", "männlich;80;", "männlich;-80;", None, ["Zeile 3", "negative"]),
    ("school_leavers", "", "", "2017-07-31", ["Abgangsjahr", "2015/16", "Manifest"]),
    # newcomer pupils
    ("newcomer_pupils", "Irak", "Atlantis", None, ["Zeile 6", "Staatsangehörigkeit", "Atlantis"]),
    ("newcomer_pupils", "", "", "2015-12-31", ["Zeile 3", "Spalte »Jahr«", "Manifest"]),
    ("newcomer_pupils", "Sekundarstufe II", "Oberstufe", None, ["Zeile 6", "Schulstufe"]),
    # integration courses
    (
        "integration_courses",
        "350;230",
        "350;351",
        None,
        ["Zeile 4", "darunter Niveau B1 erreicht", "351"],
    ),
    (
        "integration_courses",
        "05711 Bielefeld, Stadt;Allgemeiner Integrationskurs;männlich",
        "05754 Gütersloh;Allgemeiner Integrationskurs;männlich",
        None,
        ["Zeile 3", "Kreis"],
    ),
    (
        "integration_courses",
        "mit Alphabetisierung",
        "für Fortgeschrittene",
        None,
        ["Zeile 5", "Kursart"],
    ),
    ("integration_courses", "Kursaustritte", "Austritte", None, ["fehlen", "Kursaustritte"]),
    # unemployed (BA)
    ("unemployed", "Insgesamt;1.800", "Insgesamt;1.801", None, ["Zeile 12", "1801", "1800"]),
    ("unemployed", "Insgesamt;1.370", "Insgesamt;1.371", None, ["Zeile 11", "1371"]),
    ("unemployed", "05 Dornberg", "05 Senne", None, ["Zeile 10", "Stadtbezirk", "05 Senne"]),
    ("unemployed", ";", ",", None, ["Trennzeichen"]),
    (
        "unemployed",
        "Statistik der Bundesagentur für Arbeit\r\nRegion",
        "Region",
        None,
        ["Bundesagentur"],
    ),
    ("unemployed", "Rechtskreis;", "Rechtsgebiet;", None, ["Zeile 6", "Rechtskreis", "fehlen"]),
    ("unemployed", "", "", "2017-12-31", ["Zeile 4", "Jahresdurchschnitt 2016", "Manifest"]),
    (
        "unemployed",
        "Frauen;15 bis unter 25 Jahre",
        "Frauen;unter 15 Jahre",
        None,
        ["Zeile 9", "Spalte »Alter«"],
    ),
    # SGB II (BA)
    (
        "sgb2",
        "6.000;1.500;4.500",
        "6.001;1.500;4.500",
        None,
        ["Zeile 6", "Leistungsberechtigte insgesamt", "6001"],
    ),
    ("sgb2", "11.000;3.050;7.950", "11.001;3.051;7.950", None, ["Zeile 9", "11001"]),
    ("sgb2", "Stichtag: 31.12.2016", "Stichtag: 31.12.2015", None, ["Zeile 3", "Manifest"]),
    ("sgb2", "01 Mitte;Ausländer", "01 Mitte;Deutsche", None, ["Zeile 7", "doppelt"]),
    # employees (BA)
    ("employees", "Beschäftigte;16.100", "Beschäftigte;16.000", None, ["Zeile 9", "16000"]),
    (
        "employees",
        "Frauen;15 bis unter 25 Jahre;ausschließlich",
        "Frauen;15 bis unter 25 Jahre;Minijob",
        None,
        ["Zeile 8", "Beschäftigungsart"],
    ),
    ("employees", "Stichtag: 30.06.2016", "Stichtag: 31.12.2016", None, ["Zeile 3", "Manifest"]),
    ("employees", "01 Mitte;Deutsche;Männer", "01 Mitte;Deutsche;-5", None, ["Zeile 6"]),
    # employees at the workplace (13111)
    ("employees_workplace", "05711;", "05754;", None, ["Bielefeld", "fehlt"]),
    ("employees_workplace", "", "", "2015-06-30", ["2013-06-30", "2014-06-30", "Manifest"]),
    (
        "employees_workplace",
        "141143;129612;11475",
        "141143;130612;11475",
        None,
        ["Nationalität", "141143"],
    ),
    ("employees_workplace", "141143;129612;11475", "141143;129612;.", None, ["».«"]),
    # accommodation
    ("accommodation", "Jöllenbeck", "Jöllenbek", None, ["Zeile 5", "Stadtbezirk"]),
    (
        "accommodation",
        "31.12.2016;Mitte;Gemeinschaftsunterkunft",
        "31.12.2015;Mitte;Gemeinschaftsunterkunft",
        None,
        ["Zeile 3", "Stichtag", "Manifest"],
    ),
    ("accommodation", "Übergangswohnheim", "Hotel", None, ["Zeile 5", "Art der Unterbringung"]),
    ("accommodation", "Stieghorst", "Mitte", None, ["Zeile 6", "doppelt"]),
    ("accommodation", "Personen", "Anzahl", None, ["fehlen"]),
    # city staff
    (
        "city_staff",
        "Auszubildende und Anwärter/-innen",
        "Praktikanten",
        None,
        ["Zeile 6", "Beschäftigtengruppe"],
    ),
    (
        "city_staff",
        "31.12.2016;Auszubildende",
        "30.06.2016;Auszubildende",
        None,
        ["Zeile 6", "Manifest"],
    ),
    ("city_staff", "keine Angabe", "ohne Migrationshintergrund", None, ["Zeile 5", "doppelt"]),
    # election
    ("election", "13.809;1.796", "13.810;1.796", None, ["Zeile 5", "Wahlberechtigte", "13810"]),
    ("election", "859;108", "859;1.108", None, ["Zeile 4", "Wählerinnen und Wähler"]),
    ("election", "03;Gadderbaum", "04;Gadderbaum", None, ["Zeile 4", "Spalte »Nr.«"]),
    ("election", "01;Mitte", "01;Innenstadt", None, ["Zeile 3"]),
    ("election", "", "", "2020-09-13", ["Zeile 3", "Wahltag", "Manifest"]),
    # engagement
    (
        "engagement",
        "Migrantenselbstorganisationen, gefördert",
        "Vereine",
        None,
        ["Zeile 5", "Kennzahl", "Vereine"],
    ),
    ("engagement", "104", "-104", None, ["Zeile 4", "negative"]),
    ("engagement", "", "", "2017-12-31", ["Zeile 3", "Stichtag", "Manifest"]),
]


@pytest.mark.parametrize(
    "case",
    BAD,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD)],
)
def test_bad_delivery_raises_data_error_naming_file_and_place(tmp_path, case):
    table, old, new, ref, fragments = case
    path = variant(tmp_path, table, old, new) if old else None
    with pytest.raises(DataError) as info:
        load(table, path, reference_date=ref)
    message = str(info.value)
    expected_file = path or DATA / GOOD[table][0]
    assert str(expected_file) in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing in: {message}"


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "leer.csv"
    empty.write_bytes(b"")
    for table in ("daycare", "unemployed", "pupils"):
        with pytest.raises(DataError, match="leer"):
            load(table, empty)
    with pytest.raises(DataError, match="nicht lesbar"):
        load("accommodation", tmp_path / "gibt_es_nicht.csv")


def test_genesis_table_with_kreis_and_gemeinde_rows_uses_the_kreis(tmp_path):
    path = variant(
        tmp_path,
        "employees_workplace",
        "30.06.2014;05;",
        "30.06.2014;05711000;Bielefeld, Stadt;1;1;0\n30.06.2014;05;",
    )
    assert load("employees_workplace", path).set_index("citizenship")["count"]["insgesamt"] == (
        141_143
    )
