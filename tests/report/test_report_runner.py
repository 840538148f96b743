"""The report runner: parameter validation, failures, timeouts, atomic publishing, determinism.

The notebooks are the small ones in ``tests/data/notebooks`` (regenerate them with
``make_notebooks.py`` there).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.report.chapters import CHAPTERS, ChapterSpec, check_chapters
from bielefeld_integration.report.errors import NotebookFailedError, ParameterError, ReportError
from bielefeld_integration.report.runner import (
    inspect_parameters,
    render_all,
    render_period,
    validate_parameters,
)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"
GENERATED_RE = re.compile(r'^.*class="bi-generated".*$\n?', re.MULTILINE)

pytestmark = pytest.mark.slow


def one_chapter(notebook: str) -> tuple[ChapterSpec, ...]:
    return (ChapterSpec("index", notebook, "Test"),)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


def render(period: str, out: Path, chapters: tuple[ChapterSpec, ...], **kwargs) -> Path:
    kwargs.setdefault("data_dir", out.parent / "data")
    kwargs.setdefault("workers", 2)
    kwargs.setdefault("progress", False)
    return render_period(
        period, chapters=chapters, notebooks_dir=NOTEBOOKS, output_dir=out, **kwargs
    )


# --- chapter registry -----------------------------------------------------------------------


def test_chapter_registry_is_complete_and_consistent():
    check_chapters(CHAPTERS)
    assert CHAPTERS[0].slug == "index" and CHAPTERS[0].page_path() == "index.html"
    assert [c.notebook for c in CHAPTERS][:3] == [
        "00_ueberblick.ipynb",
        "01_bevoelkerung.ipynb",
        "02_gefluechtete.ipynb",
    ]
    district = [c for c in CHAPTERS if c.per_district]
    assert len(district) == 1 and district[0].page_path("07") == "bezirke/07.html"
    assert district[0].page_title("06") == "Bezirksprofil Jöllenbeck (06)"
    with pytest.raises(ValueError, match="slug"):
        ChapterSpec("Über", "x.ipynb", "x")
    with pytest.raises(ValueError, match="index"):
        check_chapters([ChapterSpec("a", "a.ipynb", "A")])


# --- parameter validation (no kernel needed) ------------------------------------------------


def test_inspect_reads_the_declarations_with_papermill():
    declared = inspect_parameters(NOTEBOOKS / "00_ueberblick.ipynb")
    assert declared["period"]["inferred_type_name"] == "str"
    assert declared["period"]["help"] == "Berichtsjahr, vier Ziffern"
    assert declared["data_dir"]["inferred_type_name"] == "str"
    assert declared["data_dir"]["help"].endswith("leer heißt Standard")


def test_a_line_papermill_cannot_parse_is_an_error(tmp_path):
    # papermill only logs a warning and drops the parameter; the runner refuses the notebook
    cell = nbformat.v4.new_code_cell('data_dir: str = ""  # leer = Standard')
    cell.metadata["tags"] = ["parameters"]
    path = tmp_path / "eq.ipynb"
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[cell], metadata=kernel), path)
    with pytest.raises(ParameterError, match="papermill kann die Parameterzelle nicht lesen"):
        inspect_parameters(path)


def test_validate_parameters_accepts_declared_types():
    validate_parameters(
        NOTEBOOKS / "typed.ipynb", {"period": "2017", "threshold": 5, "label": "Mitte"}
    )


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"unbekannt": 1}, "unbekannter Parameter 'unbekannt'"),
        ({"threshold": "3"}, "'threshold' muss vom Typ int sein"),
        ({"threshold": True}, "'threshold' muss vom Typ int sein"),
        ({"period": 2017}, "'period' muss vom Typ str sein"),
        ({"untyped": 1}, "keine erkennbare Typangabe"),
    ],
)
def test_validate_parameters_rejects(parameters, message):
    with pytest.raises(ParameterError, match=re.escape(message)) as info:
        validate_parameters(NOTEBOOKS / "typed.ipynb", parameters)
    assert isinstance(info.value, ValueError)
    assert "typed.ipynb" in str(info.value)


def test_notebook_without_parameters_cell_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("period = '2017'")])
    path = tmp_path / "plain.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ParameterError, match="parameters"):
        inspect_parameters(path)


# --- validation inside a run: raises before anything is executed ----------------------------


def test_unknown_parameter_raises_before_execution(tmp_path):
    out = tmp_path / "reports"
    with pytest.raises(ParameterError, match="unbekannter Parameter 'foo'"):
        # fails.ipynb would fail (and be kept in _failed/) if it were executed
        render("2017", out, one_chapter("fails.ipynb"), parameters={"foo": "x"})
    assert not out.exists()  # refused before any folder, process or kernel was created


def test_wrong_type_in_notebook_declaration_raises(tmp_path):
    out = tmp_path / "reports"
    with pytest.raises(ParameterError, match="'period' muss vom Typ int sein"):
        render("2017", out, one_chapter("int_period.ipynb"))
    assert not (out / "2017").exists()


@pytest.mark.parametrize("period", ["../x", "17", "2017/..", "", "2017 "])
def test_bad_period_is_refused(tmp_path, period):
    out = tmp_path / "reports"
    with pytest.raises(DataError, match="Berichtszeitraum"):
        render(period, out, one_chapter("fails.ipynb"))
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("districts", [["11"], [1], ["1"]])
def test_bad_district_is_refused(tmp_path, districts):
    district_chapter = ChapterSpec("b", "20_bezirksprofil.ipynb", "B", per_district=True)
    chapters = (*one_chapter("00_ueberblick.ipynb"), district_chapter)
    with pytest.raises(DataError, match="Stadtbezirk"):
        render("2017", tmp_path / "reports", chapters, districts=districts)


def test_runner_parameters_cannot_be_overridden(tmp_path):
    with pytest.raises(ParameterError, match="setzt der Runner selbst"):
        render("2017", tmp_path / "r", one_chapter("typed.ipynb"), parameters={"period": "2016"})


def test_missing_notebook_is_reported(tmp_path):
    with pytest.raises(ParameterError, match=r"fehlen: gibt_es_nicht\.ipynb"):
        render("2017", tmp_path / "r", one_chapter("gibt_es_nicht.ipynb"))


# --- failures keep the previous report ------------------------------------------------------


def test_failing_notebook_stops_run_and_keeps_previous_report(tmp_path):
    out = tmp_path / "reports"
    render("2017", out, one_chapter("typed.ipynb"), parameters={"threshold": 7})
    assert "7 x" in (out / "2017" / "index.html").read_text(encoding="utf-8")
    before = snapshot(out)

    with pytest.raises(NotebookFailedError) as info:
        render("2017", out, one_chapter("fails.ipynb"))
    error = info.value
    message = str(error)
    assert "fails.ipynb" in message
    assert "Zelle 4" in message  # cells: markdown, parameters, x = 1, y = x / 0
    assert "ZeroDivisionError" in message
    assert error.cell_index == 3 and error.ename == "ZeroDivisionError"
    assert "Traceback" not in message

    # the executed notebook is kept for inspection, with papermill's error banner
    failed = out / "_failed" / "2017" / "fails.ipynb"
    assert Path(error.failed_path) == failed.resolve()
    assert str(Path("_failed") / "2017" / "fails.ipynb") in message
    kept = nbformat.read(failed, as_version=4)
    tags = [tag for cell in kept.cells for tag in cell.metadata.get("tags", [])]
    assert "papermill-error-cell-tag" in tags and "injected-parameters" in tags
    assert kept.metadata.papermill.parameters["period"] == "2017"
    assert kept.metadata.papermill.exception is True

    # nothing published, nothing half-done left, previous report byte-identical
    after = snapshot(out)
    del after[str(Path("_failed") / "2017" / "fails.ipynb")]
    assert after == before
    assert leftovers(out) == []

    # a later successful run removes the kept failure
    render("2017", out, one_chapter("typed.ipynb"), parameters={"threshold": 7})
    assert not (out / "_failed").exists()


def test_cell_timeout_fails_instead_of_hanging(tmp_path):
    out = tmp_path / "reports"
    # sleeps.ipynb sleeps 60 s in cell 3: only the 2 s cell timeout ends the run
    with pytest.raises(NotebookFailedError, match="Zeitlimit von 2 s") as info:
        render("2017", out, one_chapter("sleeps.ipynb"), timeout=2, workers=1)
    assert info.value.ename == "CellTimeoutError"
    assert "sleeps.ipynb" in str(info.value) and "Zelle 3" in str(info.value)
    assert (out / "_failed" / "2017" / "sleeps.ipynb").is_file()
    assert not (out / "2017").exists()


def test_image_without_alt_text_is_not_published(tmp_path):
    out = tmp_path / "reports"
    with pytest.raises(ReportError, match=r"no_alt\.ipynb.*ohne Alternativtext"):
        render("2017", out, one_chapter("no_alt.ipynb"))
    assert not (out / "2017").exists()


def test_reused_kernel_starts_each_notebook_clean(tmp_path):
    # one worker: both notebooks run in the same kernel, leak_a first
    chapters = (ChapterSpec("index", "leak_a.ipynb", "A"), ChapterSpec("b", "leak_b.ipynb", "B"))
    out = tmp_path / "reports"
    render("2017", out, chapters, workers=1)
    pattern = r"\b{} (\d+) pid (\d+)"
    a = re.search(pattern.format("a"), (out / "2017" / "index.html").read_text(encoding="utf-8"))
    b = re.search(pattern.format("b"), (out / "2017" / "b.html").read_text(encoding="utf-8"))
    assert a and b
    assert a.group(2) == b.group(2)  # the same kernel process ran both notebooks ...
    assert a.group(1) == b.group(1)  # ... and its execution counter started anew


# --- a successful run -----------------------------------------------------------------------

SITE_CHAPTERS = (
    ChapterSpec("index", "00_ueberblick.ipynb", "Überblick"),
    ChapterSpec("bevoelkerung", "01_bevoelkerung.ipynb", "Bevölkerung und Zuwanderung"),
    ChapterSpec("bezirk", "20_bezirksprofil.ipynb", "Bezirksprofil", per_district=True),
)


def test_rendering_twice_is_identical_apart_from_generation_line(tmp_path):
    first, second = tmp_path / "a" / "reports", tmp_path / "b" / "reports"
    for out in (first, second):  # the second run executes again instead of using the cache
        render(
            "2017",
            out,
            SITE_CHAPTERS,
            districts=["01", "06"],
            data_dir=tmp_path / "data",
            force=out == second,
        )
    pages_a, pages_b = snapshot(first), snapshot(second)
    assert sorted(pages_a) == sorted(pages_b)
    assert "2017/bezirke/06.html" in pages_a and "2017/data/bezirk-06-anteil.csv" in pages_a
    for name, content in pages_a.items():
        if name.endswith(".html"):
            text_a, text_b = content.decode(), pages_b[name].decode()
            assert len(GENERATED_RE.findall(text_a)) == 1, name
            assert GENERATED_RE.sub("", text_a) == GENERATED_RE.sub("", text_b), name
        else:
            assert content == pages_b[name], name


def test_render_all_publishes_each_period_and_the_site_index(tmp_path):
    out = tmp_path / "reports"
    data = tmp_path / "data"
    (data / "2017").mkdir(parents=True)
    (data / "2017" / "provenance.json").write_text(
        json.dumps(
            {
                "period": "2017",
                "synthetic": True,
                "inputs": [
                    {
                        "file": "einwohner.csv",
                        "sha256": "ab" * 32,
                        "domain": "population",
                        "format": "register_csv",
                        "reference_date": "2017-12-31",
                        "origin": "Melderegister",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    chapters = (*SITE_CHAPTERS[:2], ChapterSpec("frueh", "exits_early.ipynb", "Früh beendet"))
    paths = render_all(
        ["2016", "2017"],
        chapters=chapters,
        notebooks_dir=NOTEBOOKS,
        output_dir=out,
        data_dir=data,
        workers=2,
        progress=False,
    )
    assert sorted(p.name for p in paths) == ["2016", "2017"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index('href="2017/index.html"') < index.index('href="2016/index.html"')
    assert index.count('href="2017/index.html"') == 2  # heading link + its overview page
    page_2017 = (out / "2017" / "index.html").read_text(encoding="utf-8")
    assert "synthetischen Demodaten" in page_2017
    # files and checksums stand only on the methods page, the others count the deliveries
    assert "ab" * 32 not in page_2017 and "Die Zahlen beruhen auf 1 Lieferung" in page_2017
    assert 'href="../2016/index.html"' in page_2017
    page_2016 = (out / "2016" / "index.html").read_text(encoding="utf-8")
    assert "synthetischen" not in page_2016 and "kein Herkunftsnachweis" in page_2016
    assert "Berichtsjahr 2016" in page_2016
    assert f"bielefeld-integration {_version()}" in page_2016
    assert leftovers(out) == []
    # sys.exit(0) ends a notebook early without an error (as with papermill)
    early = (out / "2017" / "frueh.html").read_text(encoding="utf-8")
    assert "VOR_DEM_ENDE" in early
    assert "NACH_DEM_ENDE" not in early and "SystemExit" not in early


def _version() -> str:
    from importlib.metadata import version

    return version("bielefeld-integration")
