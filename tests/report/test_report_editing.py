"""A statistician edits a chapter notebook (e.g. in JupyterLab); the next report shows it."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from bielefeld_integration.report.chapters import CHAPTERS, ChapterSpec
from bielefeld_integration.report.resources import NOTEBOOKS_DIR
from bielefeld_integration.report.runner import render_period

pytestmark = pytest.mark.slow


def test_an_edited_markdown_cell_appears_in_the_rendered_page(demo_store, tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    chapter = next(c for c in CHAPTERS if c.notebook == "01_bevoelkerung.ipynb")
    path = notebooks / chapter.notebook
    nb = nbformat.read(path, as_version=4)
    markdown = next(c for c in nb.cells if c.cell_type == "markdown" and "## " in c.source)
    edit = "Die Statistikstelle ergänzt: Zahlen zum Stichtag 31.12., ohne Nebenwohnsitze."
    markdown.source += "\n\n" + edit
    nbformat.write(nb, path)

    out = render_period(
        "2017",
        chapters=(ChapterSpec("index", chapter.notebook, chapter.title),),
        notebooks_dir=notebooks,
        output_dir=tmp_path / "reports",
        data_dir=demo_store,
        workers=1,
        progress=False,
    )
    html = (out / "index.html").read_text(encoding="utf-8")
    assert edit in html
    # the shipped notebook is untouched
    assert edit not in (NOTEBOOKS_DIR / chapter.notebook).read_text(encoding="utf-8")
