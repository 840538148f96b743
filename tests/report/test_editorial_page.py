"""The statistics office's Einordnung on a rendered page: on top when written, else absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from bielefeld_integration.report.chapters import ChapterSpec
from bielefeld_integration.report.runner import render_period

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"
CHAPTERS = (
    ChapterSpec("index", "00_ueberblick.ipynb", "Überblick"),
    ChapterSpec("bevoelkerung", "01_bevoelkerung.ipynb", "Bevölkerung und Zuwanderung"),
)
TEXT = """<!-- Hinweis der Vorlage, nicht zeigen -->
Die Zahl der Zuzüge ist **gesunken**, weil weniger Menschen zugewiesen wurden.

<script>alert("x")</script>
"""


def render(tmp_path: Path, name: str) -> Path:
    return render_period(
        "2017",
        chapters=CHAPTERS,
        notebooks_dir=NOTEBOOKS,
        output_dir=tmp_path / name,
        data_dir=tmp_path / "data",
        workers=1,
        progress=False,
    )


def test_einordnung_at_the_top_of_its_chapter_only(tmp_path, monkeypatch):
    texts = tmp_path / "texts"
    monkeypatch.setenv("BIELEFELD_TEXTS_DIR", str(texts))
    (texts / "2017").mkdir(parents=True)
    (texts / "2017" / "01_bevoelkerung.md").write_text(TEXT, encoding="utf-8")
    (texts / "2017" / "00_ueberblick.md").write_text("<!-- leer -->\n", encoding="utf-8")
    out = render(tmp_path, "mit-text")
    page = (out / "bevoelkerung.html").read_text(encoding="utf-8")
    content = page[page.index("<!--bi:content-->") :]
    assert content.index("<h1") < content.index('id="einordnung">Einordnung</h2>')
    assert content.index("Einordnung</h2>") < content.index("Ausländische Einwohnerinnen")
    assert "Die Zahl der Zuzüge ist <strong>gesunken</strong>" in page
    assert "Hinweis der Vorlage" not in page and "<script" not in page
    assert 'href="#einordnung">Einordnung</a>' in page  # in the table of contents
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "Einordnung" not in overview  # a skeleton shows nothing, no placeholder

    # without the text the page has no such section at all
    (texts / "2017" / "01_bevoelkerung.md").unlink()
    page = (render(tmp_path, "ohne-text") / "bevoelkerung.html").read_text(encoding="utf-8")
    assert "Einordnung" not in page
