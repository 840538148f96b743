"""The indicator catalogue: content of the shipped YAML and validation errors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from bielefeld_integration.errors import DataError
from bielefeld_integration.indicators import catalogue as catmod
from bielefeld_integration.indicators.catalogue import (
    CATALOGUE_PATH,
    FIELD_CODES,
    KINDS,
    REQUIRED_FIELDS,
    load_catalogue,
    read_catalogue,
    targets,
    validate_catalogue,
)
from bielefeld_integration.tables import TABLES


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


def entry(doc: dict, ind_id: str) -> dict:
    return next(e for e in doc["indicators"] if e["id"] == ind_id)


def mutated(doc: dict, ind_id: str, **changes) -> dict:
    new = copy.deepcopy(doc)
    e = entry(new, ind_id)
    for key, value in changes.items():
        if value is ...:
            del e[key]
        else:
            e[key] = value
    return new


def errors_of(doc: dict) -> str:
    with pytest.raises(DataError) as info:
        validate_catalogue(doc, source="catalogue.yaml")
    return str(info.value)


# --------------------------------------------------------------------------- shipped catalogue


def test_shipped_catalogue_loads_and_has_at_least_36_computable_indicators() -> None:
    cat = load_catalogue()
    assert len(cat.computable()) >= 36
    assert {ind.field_code for ind in cat.computable()} == set(FIELD_CODES)
    assert {ind.kind for ind in cat.computable()} == set(KINDS)


def test_every_entry_carries_all_metadata_of_design_section_5(doc: dict) -> None:
    for e in doc["indicators"]:
        missing = [f for f in REQUIRED_FIELDS if f not in e]
        assert not missing, (e["id"], missing)
        assert e["field"]["code"] and e["field"]["handlungsfeld"]
        assert e["definition"].strip().endswith(".")
        assert e["title"] and e["source"] and e["reference"]


def test_fixed_ids_have_the_agreed_definitions() -> None:
    cat = load_catalogue()
    assert cat["DEM-01"].kind == "count" and cat["DEM-01"].numerator.table == "population"
    assert cat["DEM-02"].numerator.where == (("citizenship", ("auslaendisch",), False),)
    assert cat["DEM-03"].kind == "share"
    rec = cat["REC-03"]
    assert rec.numerator.table == "naturalisations"
    assert rec.denominator.table == "residence" and rec.denominator.period_offset == -1
    assert rec.denominator.where == (("duration", ("8 bis unter 10", "10 und mehr"), False),)
    assert rec.reference == "B2a" and rec.multiplier == 100
    flu = cat["FLU-01"]
    assert flu.kind == "count" and flu.numerator.table == "residence"
    assert flu.groups.labels == ("asylverfahren", "folgeverfahren", "duldung")
    assert cat["FLU-02"].numerator.where == (
        ("channel", ("familiennachzug",), False),
        ("minor", ("ja",), False),
    )
    woh = cat["WOH-01"]
    assert woh.kind == "dissimilarity" and woh.unit_level == "stat_bezirk"
    assert cat["PAR-03"].status == "geplant" and not cat["PAR-03"].computable


def test_every_table_in_the_catalogue_exists_and_the_reference_codes_are_set() -> None:
    cat = load_catalogue()
    for ind in cat.computable():
        assert ind.tables() <= set(TABLES), ind.id
        assert ind.reference.strip(), ind.id


def test_catalogue_frame_for_the_methods_chapter() -> None:
    frame = load_catalogue().to_frame()
    assert frame["id"].is_unique and len(frame) == len(load_catalogue())
    row = frame.set_index("id").loc["REC-03"]
    assert "Vorjahr" in row["denominator"]
    assert row["handlungsfeld"].startswith("Willkommenskultur")


def test_load_catalogue_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "cat.yaml"
    path.write_bytes(CATALOGUE_PATH.read_bytes())
    first = load_catalogue(path)
    assert load_catalogue(path) is first
    text = path.read_text(encoding="utf-8").replace("title: Ausländeranteil\n", "title: Anteil\n")
    path.write_text(text, encoding="utf-8")
    import os

    os.utime(path, ns=(1, 1))
    assert load_catalogue(path)["DEM-02"].title == "Anteil"


# --------------------------------------------------------------------------- validation errors


def test_unknown_table_names_entry_and_field(doc: dict) -> None:
    msg = errors_of(mutated(doc, "DEM-02", numerator={"table": "bevoelkerung"}))
    assert "DEM-02" in msg and "numerator.table" in msg and "bevoelkerung" in msg


def test_unknown_column_names_entry_and_field(doc: dict) -> None:
    bad = {"table": "population", "where": {"nationalitaet": "auslaendisch"}}
    msg = errors_of(mutated(doc, "DEM-02", numerator=bad))
    assert "DEM-02" in msg and "numerator.where.nationalitaet" in msg


def test_filter_value_outside_the_code_list(doc: dict) -> None:
    bad = {"table": "population", "where": {"citizenship": "ausländisch"}}
    msg = errors_of(mutated(doc, "DEM-02", numerator=bad))
    assert "DEM-02" in msg and "numerator.where.citizenship" in msg
    assert "'ausländisch'" in msg and "auslaendisch" in msg


def test_unquoted_numeric_codes_are_caught(doc: dict) -> None:
    # YAML reads 00-02 as text but a bare 5 as a number: "5" matches the code list
    ok = mutated(doc, "SCH-01", numerator={"table": "pupils", "where": {"grade": 5}})
    assert validate_catalogue(ok)["SCH-01"].numerator.where[0] == ("grade", ("5",), False)
    bad = {"table": "election", "where": {"stadtbezirk": 1}}
    msg = errors_of(mutated(doc, "PAR-01", numerator=bad))
    assert "PAR-01" in msg and "'1'" in msg


def test_missing_field(doc: dict) -> None:
    msg = errors_of(mutated(doc, "SOZ-01", polarity=...))
    assert "SOZ-01" in msg and "»polarity«" in msg and "fehlt" in msg


def test_duplicate_id(doc: dict) -> None:
    new = copy.deepcopy(doc)
    new["indicators"].append(copy.deepcopy(entry(doc, "ARB-01")))
    msg = errors_of(new)
    assert "ARB-01" in msg and "»id«" in msg and "mehrfach" in msg


def test_bad_kind(doc: dict) -> None:
    msg = errors_of(mutated(doc, "ARB-02", kind="quote"))
    assert "ARB-02" in msg and "»kind«" in msg and "quote" in msg


@pytest.mark.parametrize(
    ("ind_id", "changes", "field"),
    [
        ("DEM-02", {"polarity": "good"}, "polarity"),
        ("DEM-02", {"multiplier": 0}, "multiplier"),
        ("DEM-02", {"min_denominator": -1}, "min_denominator"),
        ("DEM-02", {"breaks": ["2016"]}, "breaks"),
        ("DEM-02", {"breakdowns": ["stadtteil"]}, "breakdowns"),
        ("DEM-02", {"field": {"code": "XYZ", "handlungsfeld": "querschnitt"}}, "field.code"),
        ("DEM-02", {"field": {"code": "DEM", "handlungsfeld": "sport"}}, "field.handlungsfeld"),
        ("DEM-02", {"groups": {"set": "religion"}}, "groups.set"),
        ("DEM-02", {"groups": {"set": "citizenship", "apply": "all"}}, "groups.apply"),
        ("DEM-02", {"target": {"value": "hoch"}}, "target"),
        ("DEM-02", {"colour": "blue"}, "colour"),
        ("DEM-01", {"denominator": {"table": "population"}}, "denominator"),
        ("DEM-02", {"denominator": None}, "denominator"),
        ("KITA-04", {"compare": ["mit", "gar"]}, "compare"),
        ("WOH-01", {"unit_level": "stadtteil"}, "unit_level"),
        ("DEM-08", {"change": "faktor"}, "change"),
        ("IKO-02", {"comparison": None}, "comparison"),
        ("PAR-01", {"numerator": {"table": "election", "sum": "count"}}, "numerator.sum"),
        (
            "REC-03",
            {"numerator": {"table": "naturalisations", "period": "last"}},
            "numerator.period",
        ),
        # group filters are checked against every table they apply to
        ("KITA-01", {"groups": {"set": "citizenship"}}, "groups.members.deutsch.citizenship"),
        # breakdown codes must agree between numerator and denominator
        ("KITA-01", {"breakdowns": ["age_group"]}, "breakdowns"),
        ("AUS-01", {"breakdowns": ["age_band"]}, "breakdowns"),
    ],
)
def test_other_invalid_entries(doc: dict, ind_id: str, changes: dict, field: str) -> None:
    msg = errors_of(mutated(doc, ind_id, **changes))
    assert ind_id in msg and f"»{field}«" in msg


def test_several_errors_are_reported_together(doc: dict) -> None:
    new = mutated(doc, "DEM-02", kind="quote")
    e = entry(new, "DEM-03")
    e["polarity"] = "up"
    msg = errors_of(new)
    assert "DEM-02" in msg and "DEM-03" in msg and "2 Fehler" in msg


def test_planned_indicator_needs_no_table(doc: dict) -> None:
    cat = validate_catalogue(doc)
    assert cat["PAR-03"].numerator is None and cat["PAR-03"].status == "geplant"
    msg = errors_of(mutated(doc, "PAR-03", status="spaeter"))
    assert "PAR-03" in msg and "»status«" in msg


def test_read_catalogue_reports_bad_yaml_with_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("indicators:\n  - id: [DEM-01\n", encoding="utf-8")
    with pytest.raises(DataError, match="YAML") as info:
        read_catalogue(path)
    assert info.value.row is not None
    with pytest.raises(DataError, match="nicht lesbar"):
        read_catalogue(tmp_path / "missing.yaml")


def test_empty_or_malformed_document() -> None:
    assert "indicators" in errors_of({"handlungsfelder": {"a": "b"}})
    assert "YAML-Zuordnung" in errors_of(["not", "a", "mapping"])


# --------------------------------------------------------------------------- targets


def test_demo_targets_are_illustrative() -> None:
    t = targets()
    assert len(t) >= 1
    assert t["illustrative"].all()
    assert (t["note"] == "illustrativ, kein Ratsbeschluss").all()
    assert set(t["indicator"]) <= set(load_catalogue())


def test_council_targets_from_the_catalogue(doc: dict, tmp_path: Path) -> None:
    new = mutated(doc, "SCH-02", target={"value": 8, "year": 2025, "group": "auslaendisch"})
    cat = validate_catalogue(new)
    t = targets(config=tmp_path / "none.yaml", catalogue=cat)
    assert t.to_dict("records") == [
        {
            "indicator": "SCH-02",
            "group": "auslaendisch",
            "value": 8.0,
            "year": 2025,
            "illustrative": False,
            "note": "",
            "origin": "katalog",
        }
    ]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("targets:\n  - {indicator: XYZ-01, value: 1, year: 2025}\n", "unbekannter Indikator"),
        ("targets:\n  - {indicator: KITA-01, group: alle, value: 1, year: 2025}\n", "Gruppe"),
        ("targets:\n  - {indicator: KITA-01, value: hoch, year: 2025}\n", "value und year"),
        ("targets: {KITA-01: 3}\n", "Liste"),
    ],
)
def test_bad_target_config(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=match):
        targets(config=path)


def test_derived_columns_are_offered_per_table() -> None:
    assert catmod.table_columns("population")["mh"] == ("mit", "ohne")
    assert "nationality_group" in catmod.table_columns("residence")
    assert "mh" not in catmod.table_columns("residence")


def test_every_unit_can_be_formatted_for_the_reports() -> None:
    from bielefeld_integration.present.format import fmt_value

    for ind in load_catalogue().values():
        assert fmt_value(12.5, ind.unit), ind.id
