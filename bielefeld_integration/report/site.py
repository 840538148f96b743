"""The pieces of the published site around the notebooks.

Navigation between chapters, district profiles and periods, the legend of table symbols,
the provenance footer, the generation-time line and the site index ``reports/index.html``
listing every rendered period. All links are relative, so the site works from the file
system as well as from a web server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bielefeld_integration.atomic import write_text_atomic
from bielefeld_integration.editorial import editorial_hash, editorial_html, text_path
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.report.chapters import ChapterSpec
from bielefeld_integration.report.resources import TEMPLATE_DIR
from bielefeld_integration.symbols import LEGEND

#: Title of the whole site.
SITE_TITLE = "Integrationsmonitoring Bielefeld"

#: Name of the small table of contents every period folder carries (read by the site index).
PAGES_FILE = "_seiten.json"

#: Table symbols of the statistical offices (formerly DIN 55301) used in the reports: the
#: legend of :mod:`bielefeld_integration.symbols`, the one definition.
SYMBOLS: tuple[tuple[str, str], ...] = LEGEND

#: File name of the site-wide long-format download (written by
#: :func:`bielefeld_integration.present.long_format.write_long_file`).
LONG_FILE = "indikatoren-alle-jahre.csv"


#: German names of the runner's notebook parameters (technical provenance, methods page).
PARAMETER_LABELS = {
    "period": "Berichtsjahr",
    "district": "Stadtbezirk",
    "data_dir": "Ordner der aufbereiteten Daten",
}


def package_version() -> str:
    """The installed version of ``bielefeld-integration`` (``"unbekannt"`` if not installed)."""
    try:
        return version("bielefeld-integration")
    except PackageNotFoundError:  # pragma: no cover - the package is always installed here
        return "unbekannt"


@cache
def site_css() -> str:
    """The CSS of the house style, inlined into every page."""
    return (TEMPLATE_DIR / "bielefeld.css").read_text(encoding="utf-8")


def generated_line(now: dt.datetime | None = None) -> str:
    """The one line of a page that may differ between two renders: the generation time.

    Honours ``SOURCE_DATE_EPOCH`` (reproducible builds): if it is set, that time is used,
    which makes two renders byte-identical.

    Parameters
    ----------
    now:
        Time to show; default: ``SOURCE_DATE_EPOCH`` or the current local time.

    Returns
    -------
    str
        E.g. ``"Erzeugt am 26.11.2025 um 14:03 Uhr."``
    """
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            now = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        else:
            now = dt.datetime.now().astimezone()
    return f"Erzeugt am {now:%d.%m.%Y} um {now:%H:%M} Uhr."


def read_provenance(data_dir: str | Path, period: str) -> dict[str, Any] | None:
    """Read ``<data_dir>/<period>/provenance.json`` if it exists.

    Parameters
    ----------
    data_dir:
        Folder of the processed data.
    period:
        The period (``"2017"``).

    Returns
    -------
    dict or None
        The parsed file, or ``None`` if there is none.

    Raises
    ------
    DataError
        If the file is not valid JSON or lacks the expected structure.
    """
    path = Path(data_dir) / period / "provenance.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"kein gültiges JSON: {exc}", file=path) from None
    if not isinstance(data, dict):
        raise DataError("erwartet wird ein JSON-Objekt", file=path)
    inputs = data.get("inputs", [])
    if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
        raise DataError("»inputs« muss eine Liste von Objekten sein", file=path)
    for i, item in enumerate(inputs, start=1):
        if not item.get("file") or not item.get("sha256"):
            raise DataError(f"Eintrag {i} in »inputs« braucht »file« und »sha256«", file=path)
    return data


def provenance_context(
    provenance: Mapping[str, Any] | None, parameters: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """What the provenance footer shows.

    Parameters
    ----------
    provenance:
        Content of ``provenance.json`` (or ``None``).
    parameters:
        ``(name, shown value)`` pairs of the notebook parameters of the page.

    Returns
    -------
    dict
        Keys ``version``, ``parameters``, ``inputs``, ``synthetic``, ``note``.
    """
    inputs = []
    for item in (provenance or {}).get("inputs", []):
        inputs.append(
            {
                key: str(item.get(key, "") or "")
                for key in ("file", "sha256", "domain", "format", "reference_date", "origin")
            }
        )
    for item in inputs:  # German dates: 2017-12-31 -> 31.12.2017
        found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", item["reference_date"])
        if found:
            item["reference_date"] = f"{found[3]}.{found[2]}.{found[1]}"
    note = ""
    if provenance is None:
        note = "Zu diesem Berichtsjahr liegt kein Herkunftsnachweis der Eingangsdaten vor."
    return {
        "version": package_version(),
        "parameters": [(PARAMETER_LABELS.get(name, name), value) for name, value in parameters],
        "inputs": inputs,
        "synthetic": bool((provenance or {}).get("synthetic", False)),
        "note": note,
    }


def _rel(from_page: str, target: str) -> str:
    """Relative link from one page to another, both given relative to the same root."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def page_context(
    *,
    period: str,
    chapter: ChapterSpec,
    district: str | None,
    chapters: Sequence[ChapterSpec],
    districts: Sequence[str],
    periods: Iterable[str],
    provenance: dict[str, Any],
    generated: str,
) -> dict[str, Any]:
    """Everything the template needs besides the notebook (``resources["bi"]``).

    Parameters
    ----------
    period:
        The period of the page.
    chapter, district:
        The page: its chapter and, for district pages, the district code.
    chapters:
        All chapters of the period (for the navigation).
    districts:
        District codes with a profile page in this period.
    periods:
        All periods the navigation links to (the current one included).
    provenance:
        From :func:`provenance_context`.
    generated:
        The generation-time line.

    Returns
    -------
    dict
        The context, with every link relative to the page.
    """
    page = chapter.page_path(district)
    # all paths below are relative to the period folder; "../" leads to the site root
    chapter_items = [
        {"title": c.title, "href": _rel(page, c.page_path()), "current": c == chapter}
        for c in chapters
        if not c.per_district
    ]
    district_chapter = next((c for c in chapters if c.per_district), None)
    district_items = []
    if district_chapter is not None:
        district_items = [
            {
                "code": code,
                "name": STADTBEZIRKE.get(code, code),
                "href": _rel(page, district_chapter.page_path(code)),
                "current": chapter.per_district and code == district,
            }
            for code in districts
        ]
    period_items = [
        {
            "label": p,
            "href": _rel(page, f"../{p}/index.html"),
            "current": p == period,
        }
        for p in sorted(set(periods) | {period}, reverse=True)
    ]
    technical = chapter.slug == METHODS_SLUG
    # only the methods page lists the files with their checksums; the others say how many
    # there are, so that a changed delivery does not change (and rebuild) every page
    provenance = {**provenance, "input_count": len(provenance.get("inputs", []))}
    if not technical:
        provenance["inputs"] = []
    methods = next((c for c in chapters if c.slug == METHODS_SLUG and not c.per_district), None)
    return {
        "site_title": SITE_TITLE,
        "css": site_css(),
        "period": period,
        "data_kind": data_kind(chapter, provenance),
        "editorial_html": editorial_html(period, chapter),
        "technical": technical,
        "editorials": editorial_list(period, chapters) if technical else [],
        "methods_href": _rel(page, methods.page_path()) if methods else "",
        "page_title": chapter.page_title(district),
        "home_href": _rel(page, "../index.html"),
        "chapters": chapter_items,
        "district_heading": "Bezirksprofile",
        "districts": district_items,
        "periods": period_items,
        "provenance": provenance,
        "generated": generated,
        "symbols": SYMBOLS,
    }


#: Slug of the methods page: the only page that shows the technical provenance.
METHODS_SLUG = "methoden"
#: Slugs of chapters built only from official tables (besides chapters with ``official=True``).
OFFICIAL_SLUGS = frozenset({"vergleich"})


def data_kind(chapter: ChapterSpec, provenance: Mapping[str, Any]) -> str:
    """What the page's figures rest on: ``"amtlich"``, ``"synthetisch"`` or ``""``.

    A chapter built only from the official tables says "amtliche Daten"; every other page of a
    period whose deliveries are the demo data carries the notice on synthetic data.
    """
    if getattr(chapter, "official", False) or chapter.slug in OFFICIAL_SLUGS:
        return "amtlich"
    return "synthetisch" if provenance.get("synthetic") else ""


def editorial_list(period: str, chapters: Sequence[ChapterSpec]) -> list[dict[str, str]]:
    """The editorial texts of a period with their SHA-256 (for the methods page)."""
    found = []
    for chapter in chapters:
        digest = editorial_hash(period, chapter)
        if digest:
            found.append(
                {
                    "title": chapter.title,
                    "file": text_path(period, chapter).name,
                    "sha256": digest,
                }
            )
    return found


def _jinja_env():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=False,  # same as nbconvert's environment: the templates escape with |e
        keep_trailing_newline=True,
    )


def periods_in(output_dir: str | Path) -> list[str]:
    """Periods that have a rendered report in ``output_dir`` (newest first).

    Parameters
    ----------
    output_dir:
        The reports folder.

    Returns
    -------
    list of str
        Period folders with an ``index.html``, e.g. ``["2018", "2017"]``.
    """
    root = Path(output_dir)
    found = []
    if root.is_dir():
        for child in root.iterdir():
            try:
                period = str(Period.parse(child.name))
            except DataError:
                continue
            if child.is_dir() and (child / "index.html").is_file():
                found.append(period)
    return sorted(found, reverse=True)


_DATA_KIND_RE = re.compile(r'<body[^>]*\sdata-bi-daten="([a-z]*)"')


def _rendered_data_kind(page: Path) -> str:
    """The ``data-bi-daten`` mark of a rendered page (``"synthetisch"``, ``"amtlich"``, ``""``)."""
    try:
        found = _DATA_KIND_RE.search(page.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""
    return found.group(1) if found else ""


def _size_label(path: Path) -> str:
    """``"1,2 MB"`` / ``"340 kB"``: the size of a download, as the link names it."""
    size = path.stat().st_size
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1000))} kB"


def build_site_index(output_dir: str | Path = "reports") -> Path:
    """Write ``<output_dir>/index.html``: every rendered period, newest first, with its pages.

    Parameters
    ----------
    output_dir:
        The reports folder.

    Returns
    -------
    Path
        The written ``index.html``.
    """
    root = Path(output_dir)
    entries = []
    for period in periods_in(root):
        pages = []
        pages_file = root / period / PAGES_FILE
        if pages_file.is_file():
            try:
                listed = json.loads(pages_file.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                listed = []
            for page in listed if isinstance(listed, list) else []:
                if (
                    isinstance(page, dict)
                    and isinstance(page.get("path"), str)
                    and (root / period / page["path"]).is_file()
                ):
                    pages.append(
                        {"href": f"{period}/{page['path']}", "title": str(page.get("title", ""))}
                    )
        entries.append(
            {
                "period": period,
                "href": f"{period}/index.html",
                "pages": pages,
                "synthetic": _rendered_data_kind(root / period / "index.html") == "synthetisch",
            }
        )
    long_file = root / LONG_FILE
    context = {
        "site_title": SITE_TITLE,
        "css": site_css(),
        "period": None,
        "home_href": "index.html",
        "entries": entries,
        "synthetic_periods": sorted(e["period"] for e in entries if e["synthetic"]),
        "long_file": {"href": LONG_FILE, "size": _size_label(long_file)}
        if long_file.is_file()
        else None,
        "version": package_version(),
        "generated": generated_line(),
    }
    html = _jinja_env().get_template("site_index.html.j2").render(bi=context)
    target = root / "index.html"
    write_text_atomic(target, html)
    return target
