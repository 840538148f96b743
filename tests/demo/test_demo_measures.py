"""Demo measures register (``demo/measures.py``): coverage, changes, deterministic bytes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pandas as pd
import pytest

from bielefeld_integration import measures as m
from bielefeld_integration.demo import SYNTHETIC_NOTE
from bielefeld_integration.demo import measures as demo
from bielefeld_integration.measures.links import catalogue_ids


@pytest.fixture(scope="module")
def demo_regs(tmp_path_factory) -> dict[int, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("demo")
    out = {}
    for year in demo.YEARS:
        (d,) = demo.deliveries(year)
        path = folder / f"{year}.csv"
        path.write_bytes(d.content)
        out[year] = m.load_register(path, known_indicators=catalogue_ids(), period=year)
    return out


def test_demo_2017_coverage(demo_regs):
    r = demo_regs[2017]
    assert len(r) >= 60
    assert set(r["field"]) == set(m.FIELDS)
    assert set(r["body_type"]) == set(m.BODY_TYPES)
    assert {g for v in r["goals"] for g in m.split_goals(v)} == {1, 2, 3, 4}
    assert set(r["origin"]) == set(m.ORIGINS)
    assert (r["indicators"] == "").sum() >= 5  # some measures without indicator
    assert (r["as_of"] == "2017-06-30").all()
    assert r["participants"].isin([1, 2]).any()  # something for disclosure control
    assert r["participants"].isna().any() and r["budget_eur"].isna().any()
    # the catalogue has no health indicator: the demo shows that gap
    g = m.gaps(r, {i for v in r["indicators"] for i in m.split_list(v)})
    assert g.fields_without_indicator == ["Gesundheit/besondere Lebenslagen"]


def test_demo_periods_change(demo_regs):
    for year in (2018, 2019):
        assert (demo_regs[year]["as_of"] == f"{year}-06-30").all()
    ch = m.changes(demo_regs[2019], demo_regs[2018])
    counts = ch["change"].value_counts()
    assert counts["neu"] >= 3 and counts["beendet"] >= 3
    assert counts["nicht mehr im Register"] >= 1
    assert ch["status_changed"].sum() >= 3
    ch18 = m.changes(demo_regs[2018], demo_regs[2017]).set_index("measure_id")
    assert (ch18["status_previous"].eq("geplant") & ch18["status"].eq("laufend")).any()


def test_demo_deliveries_are_deterministic_and_marked_synthetic():
    for year in range(2014, 2017):
        assert demo.deliveries(year) == []
    for year in demo.YEARS:
        (a,), (b,) = demo.deliveries(year), demo.deliveries(year)
        assert a.content == b.content
        assert a.file == "massnahmen.csv" and a.domain == "measures"
        assert a.reference_date == f"{year}-06-30"
        first = a.content.decode("utf-8").splitlines()[0]
        assert first.startswith("# ") and SYNTHETIC_NOTE in first


def test_demo_bytes_do_not_depend_on_the_process():
    code = (
        "import hashlib; from bielefeld_integration.demo import measures as d; "
        "print(hashlib.sha256(d.deliveries(2019)[0].content).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(demo.deliveries(2019)[0].content).hexdigest()}


def test_demo_indicator_ids_are_plausible_catalogue_ids(demo_regs):
    ids = {i for r in demo_regs.values() for v in r["indicators"] for i in m.split_list(v)}
    likely = {
        "DEM-02",
        "REC-03",
        "FLU-01",
        "FLU-02",
        "FLU-03",
        "KITA-01",
        "KITA-02",
        "KITA-03",
        "SPR-01",
        "SPR-02",
        "SCH-02",
        "SCH-03",
        "SCH-04",
        "AUS-01",
        "ARB-01",
        "ARB-02",
        "ARB-05",
        "SOZ-01",
        "WOH-01",
        "IKO-01",
        "PAR-01",
        "PAR-02",
    }
    assert ids <= likely
    assert ids <= catalogue_ids()
