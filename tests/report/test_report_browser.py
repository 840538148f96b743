"""Open every page of a rendered test site in headless Chromium (Playwright).

A page fails if it makes any request that is not to the file system (``file:``), ``data:``,
``blob:`` or ``about:blank``, if it logs a console error or raises a JavaScript error, if an
image does not decode, or if an in-page link points to no element.

Needs Debian's Chromium at ``/usr/bin/chromium`` (``apt-get install chromium``; Playwright's
own browser download is not used; ``.ci/run`` installs it). Without it the tests fail: they
are never skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bielefeld_integration.report import htmlcheck

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
LOCAL_PREFIXES = ("file:", "data:", "blob:", "about:blank")

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# in-page links whose target element does not exist (the browser's own resolution:
# the raw fragment first, then the percent-decoded one)
MISSING_ANCHORS_JS = """
() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => a.getAttribute('href').startsWith('#'))
  .map(a => a.getAttribute('href').slice(1))
  .filter(f => !document.getElementById(f) && !document.getElementById(decodeURIComponent(f)))
"""

BROKEN_IMAGES_JS = """
() => Array.from(document.images)
  .filter(img => !img.complete || img.naturalWidth === 0)
  .map(img => img.alt || img.src.slice(0, 60))
"""


def _unavailable(reason: str) -> None:
    # a missing browser is a failure, never a skip: the pages must be checked in a browser
    pytest.fail(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} fehlt (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("das Python-Paket playwright fehlt")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from test_report_export import build_test_site

    return build_test_site(tmp_path_factory.getbasetemp() / "report-site")


def visit(browser, path: Path) -> dict[str, list[str]]:
    """Open a page offline and report what went wrong."""
    page = browser.new_page()
    found: dict[str, list[str]] = {"requests": [], "errors": [], "anchors": [], "images": []}

    def block(route):
        # nothing may leave the machine; anything that tries is recorded and aborted
        found["requests"].append(route.request.url)
        route.abort()

    page.route("http://**/*", block)
    page.route("https://**/*", block)
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(LOCAL_PREFIXES) or request.url in found["requests"]
            else found["requests"].append(request.url)
        ),
    )
    page.on(
        "console",
        lambda message: found["errors"].append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: found["errors"].append(str(error)))
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        found["anchors"] = page.evaluate(MISSING_ANCHORS_JS)
        found["images"] = page.evaluate(BROKEN_IMAGES_JS)
        assert page.evaluate("document.documentElement.lang") == "de"
    finally:
        page.close()
    return found


def test_every_page_opens_offline_without_errors(browser, site):
    pages = htmlcheck.site_pages(site)
    assert len(pages) > 10
    problems = {}
    for path in pages:
        found = visit(browser, path)
        bad = {kind: items for kind, items in found.items() if items}
        if bad:
            problems[str(path.relative_to(site))] = bad
    assert problems == {}


def test_toc_link_with_umlaut_scrolls_to_its_heading(browser, site):
    page = browser.new_page()
    try:
        page.goto((site / "2017" / "index.html").resolve().as_uri())
        page.click("section.bi-toc >> text=Bevölkerung und Zuwanderung")
        target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
        heading = page.evaluate(
            "(id) => (document.getElementById(id) || document.getElementById("
            "encodeURIComponent(id))).textContent",
            target,
        )
        assert heading.startswith("Bevölkerung und Zuwanderung")
    finally:
        page.close()


def test_the_check_notices_external_requests(browser, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="de"><head>'
        '<script src="https://cdn.example.invalid/require.js"></script></head>'
        '<body><img alt="x" src="http://example.invalid/a.png"></body></html>',
        encoding="utf-8",
    )
    found = visit(browser, bad)
    assert any("cdn.example.invalid" in url for url in found["requests"])
    assert any("example.invalid/a.png" in url for url in found["requests"])
