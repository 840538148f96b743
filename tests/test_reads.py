"""The dependency trace of a page: what a notebook read, recorded in its kernel."""

from __future__ import annotations

import ast
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow.csv as pa_csv
import pyarrow.dataset as pa_dataset
import pyarrow.feather as pa_feather
import pyarrow.parquet as pq
import pytest

from bielefeld_integration import reads, store


@pytest.fixture
def trace(tmp_path):
    """A trace started once the test's folder exists (pytest looks for a free name first)."""
    reads.start()
    yield reads
    reads.stop()


def test_nothing_is_recorded_without_a_trace(tmp_path):
    reads.stop()
    reads.record("file", tmp_path / "x")
    reads.start()
    assert reads.recorded() == []
    reads.stop()


def test_store_functions_record_what_they_return(trace, tmp_path):
    folder = tmp_path / "2017"
    folder.mkdir()
    (folder / "provenance.json").write_text('{"period": "2017"}', encoding="utf-8")
    pd.DataFrame({"count": [1]}).to_parquet(folder / "population.parquet")
    assert store.periods(tmp_path) == ["2017"]
    assert store.periods(tmp_path, upto="2016") == []
    assert store.has_table("arrivals", "2017", tmp_path) is False
    store.load("population", "2017", tmp_path)
    store.provenance("2017", tmp_path)
    found = trace.recorded()
    root = str(tmp_path.resolve())
    assert ["periods", root, ""] in found
    assert ["periods", root, "2016"] in found
    assert ["exists", f"{root}/2017/arrivals.parquet"] in found
    assert ["file", f"{root}/2017/population.parquet"] in found  # past the audit hook
    assert ["file", f"{root}/2017/provenance.json"] in found
    # the read is the list of periods: other names in the folder (caches, a new year when
    # only earlier ones were asked for) do not count
    assert ["list", root] not in found


def test_the_audit_hook_records_reads_but_not_writes_or_code(trace, tmp_path):
    data = tmp_path / "scenario.yaml"
    data.write_text("a: 1", encoding="utf-8")
    data.read_text(encoding="utf-8")
    (tmp_path / "download.csv").write_text("x", encoding="utf-8")  # an output
    Path(reads.__file__).read_bytes()  # the package's code: in the code fingerprint
    found = trace.recorded()
    assert ["file", str(data.resolve())] in found
    assert not any(r[1].endswith("download.csv") for r in found)
    assert not any(r[1] == str(Path(reads.__file__).resolve()) for r in found)


def test_arrow_reads_past_the_audit_hook_are_recorded(trace, tmp_path):
    """A notebook cell that reads parquet, Feather, Arrow CSV, a dataset folder or an SQLite
    database itself."""
    frame = pd.DataFrame({"count": [1, 2]})
    paths = {name: tmp_path / name for name in ("a.parquet", "b.parquet", "c.feather", "d.csv")}
    frame.to_parquet(paths["a.parquet"])
    frame.to_parquet(paths["b.parquet"])
    frame.to_feather(paths["c.feather"])
    frame.to_csv(paths["d.csv"], index=False)
    paths["e.sqlite"] = tmp_path / "e.sqlite"
    with sqlite3.connect(paths["e.sqlite"]) as db:
        db.execute("create table t (x)")
    db.close()
    folder = tmp_path / "dataset"
    folder.mkdir()
    frame.to_parquet(folder / "part-0.parquet")
    trace.start()  # nothing of the writing above
    pd.read_parquet(paths["a.parquet"])
    pq.ParquetFile(str(paths["b.parquet"])).read()
    pa_feather.read_table(paths["c.feather"])
    pa_csv.read_csv(str(paths["d.csv"]))
    pa_dataset.dataset(folder).to_table()
    pa_csv.read_csv(io.BytesIO(b"x\n1\n"))  # no file
    sqlite3.connect(paths["e.sqlite"]).close()  # SQLite opens its file in C, too
    sqlite3.connect(":memory:").close()
    found = trace.recorded()
    for path in paths.values():
        assert ["file", str(path.resolve())] in found, path
    assert ["tree", str(folder.resolve())] in found
    assert not any(r[1].endswith(":memory:") for r in found)
    trace.stop()
    pd.read_parquet(paths["a.parquet"])  # no trace: nothing recorded, the reader works
    assert trace.recorded() == found


def test_the_published_table_read_by_a_cell_is_a_whole_file_read(trace, demo_store):
    """The data functions record the rows a page shows; a cell that reads the file itself
    depends on all of it."""
    store.published(demo_store)
    root = str(demo_store.resolve())
    assert trace.recorded() == [["published", root, "*", ""]]
    pd.read_parquet(demo_store / store.PUBLISHED_FILE)
    assert ["file", f"{root}/{store.PUBLISHED_FILE}"] in trace.recorded()


def test_a_new_trace_forgets_the_last_one(tmp_path):
    reads.start()
    reads.read_file(tmp_path / "a")
    reads.start()
    reads.read_file(tmp_path / "b")
    reads.stop()
    assert reads.recorded() == [["file", str((tmp_path / "b").resolve())]]
    reads.read_file(tmp_path / "c")  # stopped: not recorded
    assert len(reads.recorded()) == 1


def test_paths_are_made_absolute(trace, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reads.read_published("data", "DEM-02", "2017")
    assert trace.recorded() == [["published", str(tmp_path / "data"), "DEM-02", "2017"]]


def test_the_hook_costs_nothing_outside_a_trace(tmp_path):
    """Outside report kernels no trace is started: the hook is never installed."""
    code = textwrap.dedent(
        """
        import sys
        from bielefeld_integration import reads, store
        store.periods(sys.argv[1])
        print(reads._STATE["hook"], reads.recorded())
        """
    )
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False []"


def test_a_temporary_file_of_the_page_is_not_an_input(trace, tmp_path):
    scratch = tmp_path / "scratch.tmp"
    scratch.write_bytes(b"x")
    scratch.read_bytes()
    scratch.unlink()  # e.g. the XLSX writer's temporary file
    missing = tmp_path / "later.yaml"  # asked for and absent: an input (it may come)
    assert not missing.exists()
    with pytest.raises(FileNotFoundError):
        missing.read_text(encoding="utf-8")
    found = trace.recorded()
    assert ["file", str(missing.resolve())] in found
    assert not any(r[1].endswith("scratch.tmp") for r in found)


def test_asking_for_a_missing_file_is_recorded_and_the_pages_own_files_are_not(trace, tmp_path):
    present, missing = tmp_path / "present.csv", tmp_path / "2019" / "arrivals.csv"
    present.write_text("x", encoding="utf-8")
    trace.start()
    assert present.exists() and os.path.isfile(present)  # a present file only asked about
    assert not missing.exists() and not os.path.isfile(missing)  # it may arrive
    made = tmp_path / "made.csv"
    assert not made.exists()
    made.write_text("x", encoding="utf-8")  # asked, then written by the page: an output
    fd = os.open(tmp_path / "raw.bin", os.O_WRONLY | os.O_CREAT)  # a write through os.open
    os.close(fd)
    shutil.copy2(present, tmp_path / "copy.csv", follow_symlinks=False)  # os.stat stand-in
    assert trace.recorded() == [
        ["exists", str(missing.resolve())],
        ["file", str(present.resolve())],  # read by the copy
    ]


def package_nodes():
    """(module path inside the package, node) for every syntax node of the package."""
    package = Path(reads.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            yield path.relative_to(package).as_posix(), node


# Functions that keep results in the process. A report kernel runs many notebooks, so a cached
# read is invisible to the audit hook from the second notebook on: each entry says why the
# cache cannot hide a page's input. A new cache must be added here with its reason.
CACHED = {
    "present/chapter_data.py:_published": "the callers record the rows they use (reads)",
    "indicators/catalogue.py:_cached": "package data, or load_catalogue records the file",
    "report/site.py:site_css": "package data (template), not read in a kernel",
    "report/htmlcheck.py:_ids_of": "checks written pages, not read in a kernel",
    "incremental.py:code_fingerprint": "the package's code",
    "incremental.py:dependency_versions": "versions of Python and the installed libraries",
    "sources/__init__.py:loaders": "the package's code",
    "sources/genesis/regions.py:_gazetteer": "package data",
    "ingest_cache.py:loader_version": "versions of the package and its libraries",
    "demo/register.py:population_origin": "demo generator, not used by pages",
    "demo/world.py:real_population": "demo generator, not used by pages",
    "demo/world.py:_stat_bezirk_factors": "demo generator, not used by pages",
    "demo/world.py:population": "demo generator, not used by pages",
    "demo/arrivals.py:arrivals": "demo generator, not used by pages",
    "demo/residence.py:residence": "demo generator, not used by pages",
    "disclosure/quantities.py:_derived_map": "the table registry (code)",
    "disclosure/quantities.py:_real_columns": "the table registry (code)",
}


def test_every_cache_in_the_package_is_known_not_to_hide_a_read():
    found = set()
    for module, node in package_nodes():
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            if ast.unparse(target).split(".")[-1] in {"cache", "lru_cache"}:
                found.add(f"{module}:{node.name}")
    assert found == set(CACHED)


def test_a_missing_year_is_a_question_not_a_list_of_years(trace, tmp_path):
    (tmp_path / "2017").mkdir()
    (tmp_path / "2017" / "provenance.json").write_text("{}", encoding="utf-8")
    with pytest.raises(store.DataError, match="vorhanden: 2017"):
        store.load("population", "2016", tmp_path)
    found = trace.recorded()
    assert ["exists", str((tmp_path / "2016" / "provenance.json").resolve())] in found
    assert not any(r[0] == "periods" for r in found)  # a later year would not change it


# Where the package reads parquet or Arrow files. Arrow opens them past Python's audit hook;
# the kernel's wrapped Arrow readers see a path, but not bytes read before nor a read inside
# reads.paused(). So each place says how its read is recorded, or that it never runs in a
# report kernel.
ARROW_READS = {
    "store.py": "load records the file; read_published_table's callers record their rows",
    "official/ingest.py": "load_official records the file",
    "indicators/compute.py": "indicators_table records the file",
    "ingest_cache.py": "ingest (bytes already in memory), never in a report kernel",
    "disclosure/stage.py": "the disclosure stage, never in a report kernel",
}


def test_every_arrow_read_of_the_package_is_known():
    found = set()
    for module, node in package_nodes():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, name = ast.unparse(node.func.value), node.func.attr
            if name.startswith("read_") and owner in {"pd", "pq", "pa", "feather"}:
                if name not in {"read_csv", "read_excel", "read_json"}:
                    found.add(module)
    assert found == set(ARROW_READS)
