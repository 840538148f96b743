"""Page keys of the build cache: the content of exactly what a page read."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from bielefeld_integration import reads, store
from bielefeld_integration.present.chapter_data import ChapterData
from bielefeld_integration.report.cache import ENV_WITHOUT_EFFECT, PageCache


def published_store(root, rows):
    """A store whose published table holds ``rows`` (no indicator table beside it)."""
    columns = [
        "indicator",
        "period",
        "area_level",
        "area_code",
        "group",
        "breakdown",
        "value",
        "unit",
        "symbol",
    ]
    pd.DataFrame(rows, columns=columns).to_parquet(root / store.PUBLISHED_FILE, index=False)


def row(indicator, period, value):
    return (indicator, period, "stadt", "05711000", "insgesamt", "insgesamt", value, "Anzahl", "")


@pytest.fixture
def two_indicators(tmp_path):
    for period in ("2016", "2017", "2018"):
        (tmp_path / period).mkdir()
        (tmp_path / period / "provenance.json").write_text("{}", encoding="utf-8")
    rows = [row(i, p, v) for i in ("DEM-01", "DEM-02") for p, v in (("2016", 10.0),
            ("2017", 20.0), ("2018", 30.0))]  # fmt: skip
    return tmp_path, rows


def digest(root, *read):
    return PageCache(root).digest(tuple(map(str, read)))


def test_a_page_depends_on_its_indicators_up_to_its_period(two_indicators):
    root, rows = two_indicators
    published_store(root, rows)
    before = {
        "one": digest(root, "published", root, "DEM-01", "2017"),
        "other": digest(root, "published", root, "DEM-02", "2017"),
        "all": digest(root, "published", root, "*", "2017"),
        "later": digest(root, "published", root, "DEM-01", "2018"),
    }
    changed = [r if r[:2] != ("DEM-01", "2018") else row("DEM-01", "2018", 31.0) for r in rows]
    published_store(root, changed)
    after = {
        "one": digest(root, "published", root, "DEM-01", "2017"),
        "other": digest(root, "published", root, "DEM-02", "2017"),
        "all": digest(root, "published", root, "*", "2017"),
        "later": digest(root, "published", root, "DEM-01", "2018"),
    }
    # a 2018 value changes neither a 2017 page nor a page of another indicator
    assert before["one"] == after["one"]
    assert before["other"] == after["other"]
    assert before["all"] == after["all"]
    assert before["later"] != after["later"]
    changed = [r if r[:2] != ("DEM-01", "2016") else row("DEM-01", "2016", 11.0) for r in rows]
    published_store(root, changed)
    assert digest(root, "published", root, "DEM-01", "2017") != before["one"]
    assert digest(root, "published", root, "DEM-02", "2017") == before["other"]
    assert digest(root, "published", root, "*", "2017") != before["all"]


def test_the_page_view_records_the_indicators_it_shows(two_indicators):
    root, rows = two_indicators
    published_store(root, rows)
    view = ChapterData("2017", str(root))
    reads.start()
    try:
        view.rows("DEM-01")
        view.value("DEM-01")
        view.empty_rows()
        narrow = reads.recorded()
        view.table  # noqa: B018 - the whole table: every indicator
        wide = reads.recorded()
    finally:
        reads.stop()
    published = [r for r in narrow if r[0] == "published"]
    assert published == [["published", str(root.resolve()), "DEM-01", "2017"]]
    assert ["published", str(root.resolve()), "*", "2017"] in wide
    assert ["periods", str(root.resolve()), "2017"] in narrow


def test_other_reads(tmp_path):
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / ".report-cache").mkdir()
    cache = PageCache(tmp_path)
    assert cache.digest(("file", str(tmp_path / "a.yaml"))) != cache.digest(
        ("file", str(tmp_path / "b.yaml"))
    )
    assert cache.digest(("exists", str(tmp_path / "a.yaml"))) == "file"
    assert cache.digest(("exists", str(tmp_path / "b.yaml"))) == "missing"
    listed = cache.digest(("list", str(tmp_path)))
    (tmp_path / ".stage-cache").mkdir()  # hidden: caches and temporary files do not count
    assert PageCache(tmp_path).digest(("list", str(tmp_path))) == listed
    (tmp_path / "b.yaml").write_text("y", encoding="utf-8")
    assert PageCache(tmp_path).digest(("list", str(tmp_path))) != listed
    assert store.periods(tmp_path) == []
    before = cache.digest(("periods", str(tmp_path), "2017"))
    for period in ("2017", "2018"):  # a later year does not change the years up to 2017
        (tmp_path / period).mkdir()
        (tmp_path / period / "provenance.json").write_text("{}", encoding="utf-8")
    assert PageCache(tmp_path).digest(("periods", str(tmp_path), "2016")) == before
    assert PageCache(tmp_path).digest(("periods", str(tmp_path), "2017")) != before
    assert PageCache(tmp_path).digest(("periods", str(tmp_path), "")) != PageCache(tmp_path).digest(
        ("periods", str(tmp_path), "2017")
    )
    # a read of an unknown kind never matches a stored digest
    assert cache.digest(("something", "x")) != cache.digest(("something", "y"))


def test_run_key_changes_with_any_read(tmp_path):
    (tmp_path / "a").write_text("1", encoding="utf-8")
    trace = [["file", str(tmp_path / "a")], ["exists", str(tmp_path / "b")]]
    first = PageCache(tmp_path).run_key("recipe", trace)
    assert PageCache(tmp_path).run_key("recipe", trace) == first
    assert PageCache(tmp_path).run_key("other recipe", trace) != first
    (tmp_path / "a").write_text("2", encoding="utf-8")
    assert PageCache(tmp_path).run_key("recipe", trace) != first


def test_a_provenance_summary_ignores_the_checksums(tmp_path):
    folder = tmp_path / "2017"
    folder.mkdir()
    record = {"package_version": "1", "synthetic": True, "inputs": [{"file": "a", "sha256": "1"}]}
    path = folder / "provenance.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    reads.start()
    try:
        assert store.provenance_summary("2017", tmp_path) == {
            "package_version": "1",
            "synthetic": True,
            "inputs": 1,
        }
        found = reads.recorded()
    finally:
        reads.stop()
    assert found == [["summary", str(path.resolve())]]
    before = PageCache(tmp_path).digest(("summary", str(path)))
    record["inputs"][0]["sha256"] = "2"  # a corrected delivery
    path.write_text(json.dumps(record), encoding="utf-8")
    assert PageCache(tmp_path).digest(("summary", str(path))) == before
    record["inputs"].append({"file": "b", "sha256": "3"})  # one more delivery
    path.write_text(json.dumps(record), encoding="utf-8")
    assert PageCache(tmp_path).digest(("summary", str(path))) != before


def test_the_recipe_follows_the_package_environment_the_kernel_inherits(
    tmp_path, monkeypatch, page_job
):
    for name in [n for n in os.environ if n.startswith("BIELEFELD_")]:
        monkeypatch.delenv(name)
    first = PageCache(tmp_path).recipe(page_job)
    # a notebook finds the official tables through this variable: another folder, another run
    monkeypatch.setenv("BIELEFELD_OFFICIAL_DIR", str(tmp_path / "official"))
    official = PageCache(tmp_path).recipe(page_job)
    monkeypatch.setenv("BIELEFELD_MAX_CELLS", "1000")  # a limit can refuse what was read before
    limited = PageCache(tmp_path).recipe(page_job)
    assert len({first, official, limited}) == 3
    for name in ENV_WITHOUT_EFFECT:  # a lock wait or the texts folder change no computation
        monkeypatch.setenv(name, "1")
    monkeypatch.setenv("LANG", "C")  # nor does a variable of another program
    assert PageCache(tmp_path).recipe(page_job) == limited
