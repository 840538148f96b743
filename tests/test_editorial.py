"""Editorial texts ("Einordnung"): reading, hashing, rendering and the skeleton of a period."""

from __future__ import annotations

import hashlib

import pytest

from bielefeld_integration import editorial
from bielefeld_integration.editorial import (
    create_skeleton,
    editorial_hash,
    editorial_html,
    editorial_text,
    text_path,
    texts_dir,
)
from bielefeld_integration.errors import DataError
from bielefeld_integration.report.chapters import CHAPTERS


def write(tmp_path, period: str, stem: str, text: str | bytes):
    path = tmp_path / period / f"{stem}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_path_uses_the_notebook_stem_of_a_chapter(tmp_path):
    assert text_path("2017", CHAPTERS[1], tmp_path) == tmp_path / "2017" / "01_bevoelkerung.md"
    same = text_path("2017", "01_bevoelkerung", tmp_path)
    assert same == text_path("2017", CHAPTERS[1], tmp_path)
    with pytest.raises(ValueError):
        text_path("2017", "../etc/passwd", tmp_path)


def test_texts_folder_from_argument_environment_or_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(editorial.TEXTS_ENV, raising=False)
    assert texts_dir() == texts_dir(None) == texts_dir("") == editorial.Path("texts")
    monkeypatch.setenv(editorial.TEXTS_ENV, str(tmp_path))
    assert texts_dir() == tmp_path
    assert texts_dir("anders") == editorial.Path("anders")


def test_missing_empty_and_comment_only_texts_show_nothing(tmp_path):
    assert editorial_text("2017", CHAPTERS[1], tmp_path) == ""
    assert editorial_html("2017", CHAPTERS[1], tmp_path) == ""
    assert editorial_hash("2017", CHAPTERS[1], tmp_path) == ""
    write(tmp_path, "2017", "01_bevoelkerung", "  \n\n")
    assert editorial_html("2017", CHAPTERS[1], tmp_path) == ""
    write(tmp_path, "2017", "01_bevoelkerung", "<!-- bitte ausfüllen -->\n")
    assert editorial_html("2017", CHAPTERS[1], tmp_path) == ""


def test_text_is_shown_under_einordnung_and_hashed(tmp_path):
    write(tmp_path, "2017", "01_bevoelkerung", "<!-- Hinweis -->\nDie Zahl der **Zuzüge** sank.\n")
    html = editorial_html("2017", CHAPTERS[1], tmp_path)
    assert '<h2 id="einordnung">Einordnung</h2>' in html
    assert "<p>Die Zahl der <strong>Zuzüge</strong> sank.</p>" in html
    assert "Hinweis" not in html
    expected = hashlib.sha256("Die Zahl der **Zuzüge** sank.".encode()).hexdigest()
    assert editorial_hash("2017", CHAPTERS[1], tmp_path) == expected
    assert f'data-sha256="{expected}"' in html
    # another period or chapter has its own text
    assert editorial_html("2018", CHAPTERS[1], tmp_path) == ""
    assert editorial_html("2017", CHAPTERS[2], tmp_path) == ""


def test_hash_changes_with_the_text_but_not_with_comments(tmp_path):
    write(tmp_path, "2017", "00_ueberblick", "Text A")
    first = editorial_hash("2017", CHAPTERS[0], tmp_path)
    write(tmp_path, "2017", "00_ueberblick", "<!-- neu -->Text A\r\n")
    assert editorial_hash("2017", CHAPTERS[0], tmp_path) == first
    write(tmp_path, "2017", "00_ueberblick", "Text B")
    assert editorial_hash("2017", CHAPTERS[0], tmp_path) != first


def test_text_is_sanitised_and_headings_stay_below_the_section(tmp_path):
    write(
        tmp_path,
        "2017",
        "02_gefluechtete",
        "# Lage\n\n<script>alert(1)</script>\n\n[Klick](javascript:alert(1))\n\n"
        '<img src="x" onerror="alert(1)">\n\n[Stadt](https://www.bielefeld.de)\n',
    )
    html = editorial_html("2017", CHAPTERS[2], tmp_path)
    assert "<script" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    assert "javascript:" not in html
    assert "<img" not in html
    assert "<h3>Lage</h3>" in html and "<h1" not in html
    assert '<a href="https://www.bielefeld.de">Stadt</a>' in html


def test_bad_files_are_refused_with_the_file_named(tmp_path, monkeypatch):
    path = write(tmp_path, "2017", "01_bevoelkerung", "Stra\xdfe".encode("cp1252"))
    with pytest.raises(DataError, match="UTF-8") as info:
        editorial_text("2017", CHAPTERS[1], tmp_path)
    assert str(path) in str(info.value)
    monkeypatch.setattr(editorial, "MAX_CHARS", 10)
    write(tmp_path, "2017", "01_bevoelkerung", "x" * 11)
    with pytest.raises(DataError, match="zu lang"):
        editorial_text("2017", CHAPTERS[1], tmp_path)


def test_skeleton_has_one_commented_file_per_chapter_and_never_overwrites(tmp_path):
    own = write(tmp_path, "2020", "00_ueberblick", "Schon geschrieben.")
    created, kept = create_skeleton("2020", CHAPTERS, tmp_path)
    assert kept == [own]
    assert own.read_text(encoding="utf-8") == "Schon geschrieben."
    assert len(created) == len(CHAPTERS) - 1
    assert {p.name for p in created + kept} == {
        c.notebook.removesuffix(".ipynb") + ".md" for c in CHAPTERS
    }
    for path in created:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<!--") and text.rstrip().endswith("-->")
        assert "Einordnung" in text and "2020" in text
        assert oct(path.stat().st_mode & 0o777) == "0o644"
    # a skeleton shows nothing
    assert all(editorial_html("2020", c, tmp_path) == "" for c in CHAPTERS[1:])
    again, kept_again = create_skeleton("2020", CHAPTERS, tmp_path)
    assert again == [] and len(kept_again) == len(CHAPTERS)
