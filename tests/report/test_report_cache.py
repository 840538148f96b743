"""The build cache of the report pages: reuse what did not change, and only that."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from bielefeld_integration.report.cache import CACHE_DIR
from bielefeld_integration.report.chapters import ChapterSpec
from bielefeld_integration.report.runner import Rendered, render_all

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"
CHAPTERS = (
    ChapterSpec("index", "00_ueberblick.ipynb", "Überblick"),
    ChapterSpec("bevoelkerung", "01_bevoelkerung.ipynb", "Bevölkerung und Zuwanderung"),
    ChapterSpec("bezirk", "20_bezirksprofil.ipynb", "Bezirksprofil", per_district=True),
)
PERIODS = ["2016", "2017", "2018"]
PAGES_PER_PERIOD = 4  # overview, population, two district profiles

pytestmark = pytest.mark.slow

READ_SERIES = """\
from pathlib import Path
series = [
    (Path(data_dir) / p / "population.parquet").read_bytes()
    for p in sorted(q.name for q in Path(data_dir).iterdir() if q.name[:1].isdigit())
    if p <= period and (Path(data_dir) / p / "population.parquet").is_file()
]"""
ASK_EXISTS = """\
from bielefeld_integration import store
delivered = store.has_table("population", period, data_dir)"""


def add_cell(path: Path, source: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """Notebooks, a small processed store and an output folder; a fixed generation time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("BIELEFELD_TEXTS_DIR", str(tmp_path / "texts"))
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    # the population page reads its period and the earlier ones (a time series), the
    # district profiles only ask whether their period's table exists
    add_cell(notebooks / "01_bevoelkerung.ipynb", READ_SERIES)
    add_cell(notebooks / "20_bezirksprofil.ipynb", ASK_EXISTS)
    data = tmp_path / "data"
    for period in PERIODS:
        (data / period).mkdir(parents=True)
        (data / period / "population.parquet").write_bytes(f"rows of {period}".encode())
    return {"notebooks": notebooks, "data": data, "out": tmp_path / "reports"}


def build(tree, out: Path | None = None, periods=PERIODS, **kwargs) -> Rendered:
    return render_all(
        periods,
        chapters=CHAPTERS,
        notebooks_dir=tree["notebooks"],
        output_dir=out or tree["out"],
        data_dir=tree["data"],
        districts=["01", "02"],
        workers=2,
        progress=False,
        **kwargs,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_unchanged_tree_reuses_every_page_and_gives_identical_files(tree):
    first = build(tree)
    assert (first.executed, first.reused) == (12, 0)
    full = snapshot(tree["out"])
    again = build(tree)
    assert (again.executed, again.reused) == (0, 12)
    assert again.summary() == "0 Seiten neu berechnet, 12 wiederverwendet"
    assert sorted(p.name for p in again) == PERIODS
    assert snapshot(tree["out"]) == full  # byte-identical, downloads included
    assert any(name.endswith(".csv") for name in full)


def test_cached_build_equals_a_full_build_elsewhere(tree, tmp_path):
    build(tree)
    cached = build(tree)
    assert cached.executed == 0
    fresh = build(tree, out=tmp_path / "fresh", force=True)
    assert fresh.executed == 12
    assert snapshot(tmp_path / "fresh") == snapshot(tree["out"])


def test_a_changed_table_re_executes_the_pages_that_read_it_and_later_series(tree):
    build(tree)
    (tree["data"] / "2017" / "population.parquet").write_bytes(b"corrected delivery")
    rebuilt = build(tree)
    # the population pages of 2017 and 2018 read it; 2016 and the other pages did not
    assert (rebuilt.executed, rebuilt.reused) == (2, 3 * PAGES_PER_PERIOD - 2)
    fresh = build(tree, out=tree["out"].parent / "fresh", force=True)
    assert snapshot(fresh[0].parent) == snapshot(tree["out"])


def test_a_question_is_a_read_too(tree):
    build(tree)
    (tree["data"] / "2018" / "population.parquet").unlink()  # withdrawn
    rebuilt = build(tree)
    # the 2018 district pages asked whether it exists, the 2018 population page read it
    assert rebuilt.executed == 3


def test_a_cell_that_reads_parquet_itself_runs_again_when_the_file_changes(tree):
    """Arrow reads past Python's audit hook; the trace records them all the same."""
    for period in PERIODS:
        pd.DataFrame({"count": [1]}).to_parquet(tree["data"] / period / "extra.parquet")
    add_cell(
        tree["notebooks"] / "00_ueberblick.ipynb",
        "extra = pd.read_parquet(f'{data_dir}/{period}/extra.parquet')\n"
        "print('Anzahl', int(extra['count'].sum()))",
    )
    build(tree)
    pd.DataFrame({"count": [2]}).to_parquet(tree["data"] / "2017" / "extra.parquet")
    rebuilt = build(tree)
    assert rebuilt.executed_pages == ["2017/index.html"]
    assert "Anzahl 2" in (tree["out"] / "2017" / "index.html").read_text(encoding="utf-8")


def test_a_cell_that_asks_whether_a_file_exists_runs_again_when_it_arrives(tree):
    add_cell(
        tree["notebooks"] / "00_ueberblick.ipynb",
        "from pathlib import Path\n"
        "if Path(data_dir, period, 'nachlieferung.csv').exists():\n"
        "    print('Mit Nachlieferung')",
    )
    assert build(tree).executed == 12
    (tree["data"] / "2017" / "nachlieferung.csv").write_text("x", encoding="utf-8")
    rebuilt = build(tree)
    assert rebuilt.executed_pages == ["2017/index.html"]
    assert "Mit Nachlieferung" in (tree["out"] / "2017" / "index.html").read_text(encoding="utf-8")
    assert build(tree).executed == 0


def test_a_complete_build_prunes_what_it_did_not_use(tree):
    build(tree)
    cache = tree["data"] / CACHE_DIR
    path = tree["notebooks"] / "00_ueberblick.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n\nGeändert."
    nbformat.write(nb, path)
    assert build(tree, prune=True).executed == len(PERIODS)
    pages = [p for p in (cache / "pages").glob("*/*") if p.is_dir()]
    runs = [p for p in (cache / "runs").glob("*/*") if p.is_dir()]
    traces = list((cache / "traces").glob("*/*.json"))
    assert (len(pages), len(runs), len(traces)) == (12, 12, 12)  # the old overviews are gone
    # a partial build (one period) keeps the entries of the others
    assert build(tree, periods=["2016"]).reused == PAGES_PER_PERIOD
    assert len(list((cache / "traces").glob("*/*.json"))) == 12


def test_an_edited_notebook_re_executes_only_its_pages(tree):
    build(tree)
    path = tree["notebooks"] / "01_bevoelkerung.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n\nNeu: ein Satz der Statistikstelle."
    nbformat.write(nb, path)
    rebuilt = build(tree)
    assert (rebuilt.executed, rebuilt.reused) == (3, 9)
    page = (tree["out"] / "2018" / "bevoelkerung.html").read_text(encoding="utf-8")
    assert "Neu: ein Satz der Statistikstelle." in page


def test_force_executes_everything(tree):
    build(tree)
    forced = build(tree, force=True)
    assert (forced.executed, forced.reused) == (12, 0)


def test_the_cache_can_be_deleted_or_damaged_without_harm(tree):
    build(tree)
    full = snapshot(tree["out"])
    cache = tree["data"] / CACHE_DIR
    entries = sorted(p for p in (cache / "pages").glob("*/*") if p.is_dir())
    runs = sorted(p for p in (cache / "runs").glob("*/*") if p.is_dir())
    assert len(entries) == len(runs) == 12 and not list(cache.rglob("*.tmp"))
    (entries[0] / "page.html").unlink()  # e.g. a crash or a careless clean-up
    (entries[1].parent / f".{entries[1].name[:12]}.x.tmp").mkdir()  # a store cut off by a crash
    for entry in runs[:6]:
        (entry / "result.json").write_text("{kaputt", encoding="utf-8")
    for entry in runs[6:]:
        (entry / "executed.ipynb").unlink()
    for entry in entries[2:]:
        shutil.rmtree(entry / "data")
    (runs[2].parent.parent.parent / "traces").rename(cache / "traces.old")  # runs not found
    shutil.rmtree(cache / "traces.old")
    assert build(tree).executed == 12
    assert not list(cache.rglob("*.tmp"))
    rebuilt = build(tree)  # the damaged entries were replaced
    assert (rebuilt.executed, rebuilt.relaid) == (0, 0)
    assert snapshot(tree["out"]) == full
    page = next(p for p in (cache / "pages").glob("*/*") if p.is_dir())
    (page / "page.html").unlink()
    again = build(tree)  # made anew from the stored run, without executing
    assert (again.executed, again.relaid) == (0, 1)
    assert snapshot(tree["out"]) == full
    shutil.rmtree(cache)
    assert build(tree).executed == 12
    assert snapshot(tree["out"]) == full


def test_a_new_layout_is_made_from_the_stored_run_without_executing(tree, tmp_path):
    build(tree)
    # an editorial text only changes the layout of its page: the notebook is not run again
    (tmp_path / "texts" / "2017").mkdir(parents=True)
    text = tmp_path / "texts" / "2017" / "01_bevoelkerung.md"
    text.write_text("Die Statistikstelle ordnet ein.", encoding="utf-8")
    rebuilt = build(tree)
    assert (rebuilt.executed, rebuilt.reused, rebuilt.relaid) == (0, 12, 1)
    assert "davon 1 mit neuer Navigation oder Einordnung neu gesetzt" in rebuilt.summary()
    page = (tree["out"] / "2017" / "bevoelkerung.html").read_text(encoding="utf-8")
    assert "Die Statistikstelle ordnet ein." in page
    fresh = build(tree, out=tmp_path / "fresh", force=True)
    assert fresh.executed == 12
    assert snapshot(tmp_path / "fresh") == snapshot(tree["out"])


def test_a_new_period_lays_out_the_old_pages_anew_without_executing(tree, tmp_path):
    build(tree, periods=PERIODS[:2])
    rebuilt = build(tree)  # 2018 arrives: its pages run, the others get the new navigation
    assert (rebuilt.executed, rebuilt.reused, rebuilt.relaid) == (4, 8, 8)
    assert "../2018/index.html" in (tree["out"] / "2016" / "index.html").read_text("utf-8")
    build(tree, out=tmp_path / "fresh", force=True)
    assert snapshot(tmp_path / "fresh") == snapshot(tree["out"])
