"""Disclosure control of the measures register: small participant counts are suppressed."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from measures_testdata import fixture_register

from bielefeld_integration import measures as m
from bielefeld_integration.disclosure import SECRET, ZERO
from bielefeld_integration.measures.publish import PublishedRegister, publish_register


@pytest.fixture
def reg() -> pd.DataFrame:
    return fixture_register()


def test_publish_register_suppresses_small_participant_counts(reg):
    pub, log = publish_register(reg)
    sym = dict(zip(pub["measure_id"], pub["participants_symbol"], strict=True))
    # suppressed (T-03) and unknown (T-05) both get the symbol for "unknown or secret"
    assert sym == {"T-01": "", "T-02": "", "T-03": SECRET, "T-04": "", "T-05": SECRET}
    assert math.isnan(pub.loc[2, "participants"]) and pub.loc[0, "participants"] == 120
    assert log.to_dict("records") == [
        {
            "measure_id": "T-03",
            "column": "participants",
            "value": 2,
            "reason": "primär: Fallzahl < 3",
        }
    ]
    assert pub["budget_eur"].tolist()[:3] == [12500.5, 100000.0, 38000.0]  # budgets stay
    # sums for publication leave the suppressed count out
    bt = m.by_body(pub, level="body_type").set_index("body_type")
    assert bt.loc["städtisch", "participants"] == 120
    assert bt.loc["städtisch", "participants_missing"] == 1
    assert m.totals(pub).set_index("funding").loc["Insgesamt", "participants"] == 1427
    # and the published export shows the symbol
    text = m.register_csv(pub)
    assert "\nT-03;Rucksack KiTa;;" in text and ";30.06.2018;.;38.000;" in text


def test_exact_zero_gets_the_zero_symbol_and_stays_a_number(reg):
    reg = reg.assign(participants=pd.array([0, 1250, 2, 57, None], dtype="Int64"))
    result = publish_register(reg)
    assert isinstance(result, PublishedRegister)
    pub = result.register
    assert pub.loc[0, "participants"] == 0 and pub.loc[0, "participants_symbol"] == ZERO
    assert pub["participants_symbol"].tolist() == [ZERO, "", SECRET, "", SECRET]
    assert result.log["measure_id"].tolist() == ["T-03"]


def test_unknown_and_suppressed_cannot_be_told_apart_in_the_export(reg):
    pub = publish_register(reg).register
    rows = {line.split(";")[0]: line for line in m.register_csv(pub).splitlines()}
    assert ";30.06.2018;.;" in rows["T-03"] and ";30.06.2018;.;" in rows["T-05"]


def test_threshold_is_respected(reg):
    pub = publish_register(reg, threshold=200).register
    assert pub.set_index("measure_id").loc["T-01", "participants_symbol"] == "."
    assert math.isnan(pub.set_index("measure_id").loc["T-01", "participants"])
