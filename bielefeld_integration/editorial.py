"""Editorial texts ("Einordnung"): what the statistics office writes about a chapter.

Every chapter of a period may have one Markdown file written by people, not generated::

    texts/<period>/<chapter-stem>.md      e.g. texts/2017/01_bevoelkerung.md

``<chapter-stem>`` is the file name of the chapter's notebook without ``.ipynb``. The folder
is ``./texts`` in the working directory, or ``$BIELEFELD_TEXTS_DIR``, or given explicitly
(like the folders of the raw and processed data). The text is shown under the heading
"Einordnung" at the top of the chapter page, rendered from Markdown and sanitised with
:func:`bielefeld_integration.safe_text.sanitize_html` (no scripts, no event handlers, no
``javascript:`` links). HTML comments (``<!-- … -->``) are never shown: the skeleton files
made by :func:`create_skeleton` (``bielefeld-integration texte --period 2020``) contain only
such a comment, and a missing, empty or comment-only file shows nothing at all — never a
placeholder.

:func:`editorial_hash` is the SHA-256 of the shown text; it is part of the page's provenance
(shown on the methods page) and of the build cache's key.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import mistune

from bielefeld_integration.atomic import write_text_atomic
from bielefeld_integration.errors import DataError
from bielefeld_integration.periods import Period
from bielefeld_integration.safe_text import sanitize_html

__all__ = [
    "EDITORIAL_HEADING",
    "MAX_CHARS",
    "create_skeleton",
    "editorial_hash",
    "editorial_html",
    "editorial_text",
    "render_markdown",
    "text_path",
    "texts_dir",
]

#: Heading of the editorial section on a chapter page.
EDITORIAL_HEADING = "Einordnung"
#: Longest editorial text accepted (characters); a longer file is refused, not cut.
MAX_CHARS = 100_000
#: Environment variable naming the texts folder.
TEXTS_ENV = "BIELEFELD_TEXTS_DIR"

_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HEADING_TAG_RE = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
#: Markdown renderer: raw HTML in the text is escaped (shown as text), never passed through.
_MARKDOWN = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])

_SKELETON = """\
<!--
Einordnung zum Kapitel »{title}«, Berichtsjahr {period}.

Hier schreibt die Statistikstelle in wenigen Absätzen, wie die Zahlen dieses Kapitels
einzuordnen sind: was sich gegenüber dem Vorjahr verändert hat und warum, welche Sondereffekte
(z. B. Änderungen in der Erfassung, Zuweisungen, Stichtage) zu beachten sind und was die Zahlen
nicht sagen. Formatierung mit Markdown: Leerzeile zwischen Absätzen, *kursiv*, **fett**,
Listen mit »- «, Links als [Text](https://…).

Dieser Kommentar erscheint nicht im Bericht. Solange hier nichts außer diesem Kommentar steht,
zeigt die Seite keinen Abschnitt »Einordnung«.
-->
"""


class _ChapterLike(Protocol):
    notebook: str
    title: str


def texts_dir(texts: str | Path | None = None) -> Path:
    """The folder of the editorial texts.

    Parameters
    ----------
    texts:
        An explicit folder; default ``$BIELEFELD_TEXTS_DIR``, else ``./texts``.
    """
    if texts:
        return Path(texts)
    return Path(os.environ.get(TEXTS_ENV) or "texts")


def _stem(chapter: _ChapterLike | str) -> str:
    name = chapter if isinstance(chapter, str) else chapter.notebook
    stem = name[: -len(".ipynb")] if name.endswith(".ipynb") else name
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", stem):
        raise ValueError(f"invalid chapter name {chapter!r}")
    return stem


def text_path(
    period: str | Period, chapter: _ChapterLike | str, texts: str | Path | None = None
) -> Path:
    """Where the text of one chapter and period lives (whether or not it exists).

    Parameters
    ----------
    period:
        The period (``"2017"``).
    chapter:
        A :class:`~bielefeld_integration.report.chapters.ChapterSpec` or the notebook's
        file name or stem (``"01_bevoelkerung"``).
    texts:
        The texts folder (see :func:`texts_dir`).

    Examples
    --------
    >>> text_path("2017", "01_bevoelkerung.ipynb", "texts").as_posix()
    'texts/2017/01_bevoelkerung.md'
    """
    return texts_dir(texts) / str(Period.parse(period)) / f"{_stem(chapter)}.md"


def editorial_text(
    period: str | Period, chapter: _ChapterLike | str, texts: str | Path | None = None
) -> str:
    """The Markdown text of one chapter and period as it will be shown.

    HTML comments are removed and surrounding white space stripped; a missing file, an
    empty one and one with only comments give ``""``.

    Raises
    ------
    DataError
        If the file is not UTF-8 or longer than :data:`MAX_CHARS` characters.
    """
    path = text_path(period, chapter, texts)
    if not path.is_file():
        return ""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"der Text ist nicht UTF-8-kodiert (Byte {exc.start + 1}); bitte als UTF-8 speichern",
            file=path,
        ) from None
    if len(text) > MAX_CHARS:
        raise DataError(
            f"der Text ist mit {len(text)} Zeichen zu lang (höchstens {MAX_CHARS})", file=path
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _COMMENT_RE.sub("", text).strip()


def editorial_hash(
    period: str | Period, chapter: _ChapterLike | str, texts: str | Path | None = None
) -> str:
    """SHA-256 (hex) of the shown text of one chapter and period; ``""`` if there is none."""
    text = editorial_text(period, chapter, texts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def render_markdown(text: str, *, top_level: int = 3) -> str:
    """Markdown as sanitised HTML, headings shifted below the section heading.

    Parameters
    ----------
    text:
        Markdown (raw HTML in it is sanitised, comments dropped).
    top_level:
        Level that a ``#`` heading of the text gets (the section itself is an ``h2``);
        deeper headings keep their distance, at most ``h6``.

    Examples
    --------
    >>> render_markdown("# Lage\\n\\nDie Zahl stieg <script>x</script>.")
    '<h3>Lage</h3>\\n<p>Die Zahl stieg &lt;script&gt;x&lt;/script&gt;.</p>'
    """
    html = _MARKDOWN(_COMMENT_RE.sub("", text))
    shift = top_level - 1
    html = _HEADING_TAG_RE.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)
    html = html.replace("<th>", '<th scope="col">')  # Markdown tables: header row only
    return sanitize_html(html).strip()


def editorial_html(
    period: str | Period, chapter: _ChapterLike | str, texts: str | Path | None = None
) -> str:
    """The section "Einordnung" of a chapter page as HTML; ``""`` if there is no text.

    The section carries the text's SHA-256 (:func:`editorial_hash`) as ``data-sha256``.
    """
    text = editorial_text(period, chapter, texts)
    if not text:
        return ""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return (
        f'<section class="bi-editorial" aria-labelledby="einordnung" data-sha256="{digest}">\n'
        f'<h2 id="einordnung">{EDITORIAL_HEADING}</h2>\n'
        f"{render_markdown(text)}\n"
        "</section>"
    )


def create_skeleton(
    period: str | Period, chapters: Iterable[_ChapterLike], texts: str | Path | None = None
) -> tuple[list[Path], list[Path]]:
    """Create the empty text files of a new period (one per chapter).

    Existing files are never overwritten.

    Parameters
    ----------
    period:
        The new period.
    chapters:
        The chapters (e.g. :data:`bielefeld_integration.report.chapters.CHAPTERS`).
    texts:
        The texts folder (see :func:`texts_dir`).

    Returns
    -------
    tuple of (list of Path, list of Path)
        The files created and the files that already existed.
    """
    label = str(Period.parse(period))
    created: list[Path] = []
    kept: list[Path] = []
    for chapter in chapters:
        path = text_path(label, chapter, texts)
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, _SKELETON.format(title=chapter.title, period=label))
        created.append(path)
    return created, kept
