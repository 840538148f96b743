"""The chapters of a period's report: which notebook becomes which page.

A report for one period is a small static site::

    reports/<period>/index.html          overview (chapter ``index``)
    reports/<period>/<slug>.html         one page per further chapter
    reports/<period>/bezirke/<code>.html one page per Stadtbezirk (per-district chapter)
    reports/<period>/data/<page>-<name>.csv  the data of every chart and table

The registry is data: the runner works with any list of :class:`ChapterSpec` objects, so a
test or a special publication can render its own selection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bielefeld_integration.geography import STADTBEZIRKE

_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")

#: File name (without ``.html``) of the overview page of a period.
INDEX_SLUG = "index"

#: Folder of the per-district pages inside a period folder.
DISTRICT_DIR = "bezirke"


@dataclass(frozen=True, slots=True)
class ChapterSpec:
    """One chapter of a report, rendered from one parameterised notebook.

    Parameters
    ----------
    slug:
        File name of the page without ``.html`` (``"index"`` is the overview page);
        lower-case letters, digits and ``-``.
    notebook:
        File name of the notebook inside the notebooks folder, e.g. ``"01_bevoelkerung.ipynb"``.
    title:
        German title shown in the navigation and as page title.
    per_district:
        If true the notebook is rendered once per Stadtbezirk (parameter ``district``,
        ``"01"`` … ``"10"``) into ``bezirke/<code>.html``.
    """

    slug: str
    notebook: str
    title: str
    per_district: bool = False

    def __post_init__(self) -> None:
        if not _SLUG_RE.fullmatch(self.slug):
            raise ValueError(f"invalid chapter slug {self.slug!r}: use a-z, 0-9 and '-'")
        if not self.notebook.endswith(".ipynb") or "/" in self.notebook or "\\" in self.notebook:
            raise ValueError(f"invalid notebook file name {self.notebook!r}")
        if self.per_district and self.slug == INDEX_SLUG:
            raise ValueError("the overview chapter 'index' cannot be per district")

    def page_path(self, district: str | None = None) -> str:
        """Path of the page relative to the period folder (POSIX separators).

        Examples
        --------
        >>> CHAPTERS[0].page_path(), CHAPTERS[1].page_path()
        ('index.html', 'bevoelkerung.html')
        >>> DISTRICT_CHAPTER.page_path("07")
        'bezirke/07.html'
        """
        if self.per_district:
            if district is None:
                raise ValueError(f"chapter {self.slug!r} needs a district code")
            return f"{DISTRICT_DIR}/{district}.html"
        return f"{self.slug}.html"

    def page_id(self, district: str | None = None) -> str:
        """Short id of the page, used as prefix of its CSV files (``"bezirk-07"``)."""
        if self.per_district:
            if district is None:
                raise ValueError(f"chapter {self.slug!r} needs a district code")
            return f"{self.slug}-{district}"
        return self.slug

    def page_title(self, district: str | None = None) -> str:
        """German page title; for district pages ``"Bezirksprofil Heepen (07)"``."""
        if self.per_district and district is not None:
            return f"{self.title} {STADTBEZIRKE.get(district, district)} ({district})"
        return self.title


#: The chapter of the per-district profile pages.
DISTRICT_CHAPTER = ChapterSpec(
    "bezirk", "20_bezirksprofil.ipynb", "Bezirksprofil", per_district=True
)

#: All chapters of a period's report, in reading order.
CHAPTERS: tuple[ChapterSpec, ...] = (
    ChapterSpec(INDEX_SLUG, "00_ueberblick.ipynb", "Überblick"),
    ChapterSpec("bevoelkerung", "01_bevoelkerung.ipynb", "Bevölkerung und Zuwanderung"),
    ChapterSpec("gefluechtete", "02_gefluechtete.ipynb", "Geflüchtete und Aufenthalt"),
    ChapterSpec("fruehe-bildung", "03_fruehe_bildung.ipynb", "Frühe Bildung und Sprache"),
    ChapterSpec("schule", "04_schule.ipynb", "Schule und Ausbildung"),
    ChapterSpec("arbeit", "05_arbeit.ipynb", "Arbeit und Lebensunterhalt"),
    ChapterSpec("wohnen", "06_wohnen.ipynb", "Wohnen und Quartier"),
    ChapterSpec("teilhabe", "07_teilhabe.ipynb", "Teilhabe und interkulturelle Öffnung"),
    ChapterSpec("massnahmen", "08_massnahmen.ipynb", "Umsetzung der Maßnahmen"),
    ChapterSpec("szenarien", "09_szenarien.ipynb", "Szenarien"),
    ChapterSpec("vergleich", "11_vergleich.ipynb", "Bielefeld im Vergleich"),
    ChapterSpec("methoden", "10_methoden.ipynb", "Methoden und Quellen"),
    DISTRICT_CHAPTER,
)


def check_chapters(chapters: tuple[ChapterSpec, ...] | list[ChapterSpec]) -> None:
    """Raise ValueError if a chapter list cannot form a site (duplicates, no overview).

    Parameters
    ----------
    chapters:
        The chapters to check.
    """
    slugs = [c.slug for c in chapters]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValueError(f"duplicate chapter slugs: {', '.join(duplicates)}")
    if INDEX_SLUG not in slugs:
        raise ValueError("the chapter list needs an overview chapter with slug 'index'")
    if sum(c.per_district for c in chapters) > 1:
        raise ValueError("at most one chapter can be rendered per district")
