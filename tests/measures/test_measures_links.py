"""Links between the register and the indicator catalogue, checked at ingest."""

from __future__ import annotations

import pandas as pd
from measures_testdata import fixture_register

from bielefeld_integration import measures as m
from bielefeld_integration.consistency import CHECKS, check_delivery
from bielefeld_integration.indicators.catalogue import load_catalogue
from bielefeld_integration.measures import links


def test_catalogue_helpers():
    ids = links.catalogue_ids()
    assert ids == set(load_catalogue()) and "KITA-01" in ids
    fields = links.catalogue_fields()
    assert set(fields) == ids
    assert fields["KITA-01"] == m.FIELDS[0]
    assert set(m.CATALOGUE_FIELD_CODES.values()) == set(m.FIELDS)
    titles = links.indicator_titles()
    assert set(titles) == ids and all(titles.values())


def test_unknown_indicators_names_the_measures():
    reg = fixture_register()
    unknown = links.unknown_indicators(reg, known={"ARB-05", "SPR-01"})
    assert unknown.to_dict("records") == [
        {"measure_id": "T-02", "indicator": "ARB-02"},
        {"measure_id": "T-04", "indicator": "ARB-01"},
    ]
    assert links.unknown_indicators(reg).empty  # the fixture names catalogue ids only


def test_ingest_refuses_a_register_with_an_id_outside_the_catalogue():
    assert links.check_register_links in CHECKS
    reg = fixture_register()
    bad = reg.assign(indicators=reg["indicators"].where(reg["measure_id"] != "T-01", "XYZ-99"))
    files = {"measures": "data/raw/2018/massnahmen.csv"}
    problems = check_delivery({"measures": bad}, files)
    assert len(problems) == 1
    (err,) = problems
    assert err.column == "Indikatoren" and err.file.endswith("massnahmen.csv")
    assert "Maßnahme T-01" in err.problem and "'XYZ-99'" in err.problem
    assert check_delivery({"measures": reg}, files) == []
    assert links.check_register_links({"population": pd.DataFrame()}, {}) == []
