"""Checks of published HTML pages: what DESIGN 7 and 8 require of every report page.

Each check takes the parsed page and returns a list of problems (German-free, for tests and
logs); an empty list means the page passes. :func:`check_page` runs all of them on a file,
:func:`check_site` on every page below a folder.

- :func:`check_lang` – ``<html lang="de">``
- :func:`check_no_code` – no code input, no ``In [..]``/``Out[..]`` prompts, no
  (injected-)parameters cell, optionally none of the given code lines in the text
- :func:`check_offline` – no ``http(s)://`` or protocol-relative URL in ``src``/``href`` of
  scripts, stylesheets, images, frames and other loaded resources, nor in CSS ``url()`` /
  ``@import``
- :func:`check_images` – every ``<img>`` has a non-empty alt text that is not nbconvert's
  placeholder
- :func:`check_links` – every internal link (relative file, ``#anchor``, ``file#anchor``)
  resolves, and stays inside the site
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: nbconvert's alt text for images without one.
PLACEHOLDER_ALT = "No description has been provided for this image"

#: Elements whose URL attribute makes the browser load something.
RESOURCE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}

_EXTERNAL_RE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_EXTERNAL_RE = re.compile(
    r"(url\(\s*['\"]?\s*(https?:)?//|@import\s+['\"]\s*(https?:)?//)", re.IGNORECASE
)
_PROMPT_RE = re.compile(r"(In|Out)\s*\[\s*\d*\s*\]\s*:")
_CODE_CLASSES = ("jp-InputArea-editor", "jp-CodeMirrorEditor", "cm-editor", "jp-InputPrompt")
_PARAMETER_MARKERS = ("celltag_injected-parameters", "celltag_parameters")


@dataclass
class ParsedPage:
    """The parts of an HTML page the checks look at."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    text: str = ""
    styles: list[str] = field(default_factory=list)
    html_lang: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._text: list[str] = []
        self._in_style = False
        self._skip_text = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.elements.append((tag, values))
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag == "html":
            self.page.html_lang = values.get("lang")
        if "style" in values:
            self.page.styles.append(values["style"])
        if tag == "style":
            self._in_style = True
        if tag in ("script", "style"):
            self._skip_text += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if tag in ("script", "style") and self._skip_text:
            self._skip_text -= 1

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.page.styles.append(data)
        elif not self._skip_text:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = "".join(self._text)


def parse_html(html: str) -> ParsedPage:
    """Parse an HTML page into the parts the checks use."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


@lru_cache(maxsize=512)
def _ids_of(path: Path, mtime_ns: int) -> frozenset[str]:
    return frozenset(parse_html(path.read_text(encoding="utf-8")).ids)


def ids_in_file(path: Path) -> frozenset[str]:
    """All ``id`` values of an HTML file (cached per modification time)."""
    return _ids_of(path, path.stat().st_mtime_ns)


def _id_matches(fragment: str, ids: Iterable[str]) -> bool:
    ids = set(ids)
    return fragment in ids or unquote(fragment) in ids


def check_lang(page: ParsedPage, expected: str = "de") -> list[str]:
    """The page declares its language: ``<html lang="de">``."""
    if page.html_lang != expected:
        return [f'<html lang="{expected}"> expected, found lang={page.html_lang!r}']
    return []


def check_no_code(page: ParsedPage, code: Iterable[str] = ()) -> list[str]:
    """No code input, no prompts, no parameters cell; none of the given code lines visible.

    Parameters
    ----------
    page:
        The parsed page.
    code:
        Sources of the notebook's code cells; every line of at least 12 characters (that is
        not a comment and not a bare string) must be absent from the visible text.
    """
    problems = []
    for tag, attrs in page.elements:
        classes = attrs.get("class", "").split()
        found = [c for c in _CODE_CLASSES if c in classes]
        if found:
            problems.append(f"code input element <{tag} class={'/'.join(found)}>")
        marked = [m for m in _PARAMETER_MARKERS if m in classes]
        if marked:
            problems.append(f"parameters cell present (<{tag} class={marked[0]}>)")
    prompt = _PROMPT_RE.search(page.text)
    if prompt:
        problems.append(f"prompt {prompt.group(0)!r} in text")
    if "injected-parameters" in page.text or "# Parameters" in page.text:
        problems.append("injected-parameters content in text")
    text = " ".join(page.text.split())
    for source in code:
        for line in source.splitlines():
            stripped = " ".join(line.split())
            if len(stripped) < 12 or stripped.startswith("#") or stripped[0] in "\"'":
                continue
            if stripped in text:
                problems.append(f"code line visible: {stripped[:80]!r}")
    return problems


def check_offline(page: ParsedPage) -> list[str]:
    """Nothing is loaded from another host (scripts, styles, images, frames, CSS urls)."""
    problems = []
    for tag, attrs in page.elements:
        for name in RESOURCE_ATTRIBUTES.get(tag, ()):
            value = attrs.get(name, "")
            candidates = value.split(",") if name == "srcset" else [value]
            for candidate in candidates:
                if _EXTERNAL_RE.match(candidate):
                    problems.append(f"<{tag} {name}={candidate.strip()[:100]!r}> loads from a host")
    for css in page.styles:
        match = _CSS_EXTERNAL_RE.search(css)
        if match:
            problems.append(f"CSS loads from a host: {css[match.start() : match.start() + 80]!r}")
    return problems


def check_images(page: ParsedPage) -> list[str]:
    """Every image has a real alt text."""
    problems = []
    for tag, attrs in page.elements:
        if tag != "img":
            continue
        alt = attrs.get("alt")
        src = attrs.get("src", "")[:60]
        if alt is None or not alt.strip():
            problems.append(f"<img src={src!r}...> without alt text")
        elif alt.strip() == PLACEHOLDER_ALT:
            problems.append(f"<img src={src!r}...> has nbconvert's placeholder alt text")
    return problems


def check_links(page: ParsedPage, path: str | Path, root: str | Path | None = None) -> list[str]:
    """Every internal link resolves: relative files exist (inside ``root``), anchors exist.

    Parameters
    ----------
    page:
        The parsed page.
    path:
        File of the page (links are relative to its folder).
    root:
        Root of the site; links leading out of it are problems. Default: the page's folder.
    """
    path = Path(path)
    site_root = Path(root).resolve() if root is not None else path.parent.resolve()
    problems = []
    for tag, attrs in page.elements:
        if tag not in ("a", "area", "link") or "href" not in attrs:
            continue
        href = attrs["href"].strip()
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            continue  # external navigation (http:, mailto:, ...) or data:, not a resource here
        if not parts.path:
            if parts.fragment and not _id_matches(parts.fragment, page.ids):
                problems.append(f"anchor {href!r} has no target on this page")
            continue
        target = (path.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if site_root not in target.parents and target != site_root:
            problems.append(f"link {href!r} leads out of the site")
            continue
        if not target.is_file():
            problems.append(f"link {href!r}: {target} does not exist")
            continue
        if parts.fragment and target.suffix == ".html":
            if not _id_matches(parts.fragment, ids_in_file(target)):
                problems.append(f"link {href!r}: no anchor {parts.fragment!r} in {target.name}")
    return problems


def check_page(
    path: str | Path, *, root: str | Path | None = None, code: Iterable[str] = ()
) -> list[str]:
    """All checks on one HTML file.

    Parameters
    ----------
    path:
        The HTML file.
    root:
        Root of the site (for :func:`check_links`).
    code:
        Code-cell sources that must not be visible (for :func:`check_no_code`).

    Returns
    -------
    list of str
        Problems, each prefixed with the file name; empty if the page passes.
    """
    path = Path(path)
    page = parse_html(path.read_text(encoding="utf-8"))
    problems = (
        check_lang(page)
        + check_no_code(page, code)
        + check_offline(page)
        + check_images(page)
        + check_links(page, path, root)
    )
    return [f"{path}: {problem}" for problem in problems]


def site_pages(root: str | Path) -> list[Path]:
    """The published HTML pages below ``root`` (without hidden and ``_failed`` folders)."""
    root = Path(root)
    pages = []
    for path in sorted(root.rglob("*.html")):
        relative = path.relative_to(root).parts
        if any(part.startswith((".", "_")) for part in relative):
            continue
        pages.append(path)
    return pages


def check_site(root: str | Path) -> list[str]:
    """All checks on every page of a site; returns all problems (empty: the site passes)."""
    problems = []
    for path in site_pages(root):
        problems += check_page(path, root=root)
    return problems
