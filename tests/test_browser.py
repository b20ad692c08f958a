"""The published seeds in a real browser: headless Chromium (Debian's ``chromium``, driven by
Playwright's Python API), at a desktop and a phone width.

Nothing may overflow horizontally; an article's headline, byline, date and body must be
visible; a Persian page must lay out right to left. Screenshots are kept as test artifacts in
``tests/artifacts/screenshots/`` (not committed): they are what a new reader would see.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import ROOT
from wirekit.config import load as load_config
from wirekit.site.manifest import MANIFEST
from wirekit.site.manifest import read as read_manifest
from wirekit.site.publish import Publisher

ARGS = list(CHROMIUM_ARGS)
WIDTHS = (1280, 390)
ARTIFACTS = ROOT / "tests" / "artifacts" / "screenshots"
ENGLISH = "2025-08-12-valencia-flash-flood-warning"
CORRECTED = "2025-10-07-lisbon-tram-fare-rise-corrected"
PERSIAN = "2025-12-02-tehran-air-pollution-schools-closed"
WITHDRAWN = "2025-11-20-oslo-metro-smoke-canceled"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(), reason="no /usr/bin/chromium: `make test` installs Debian's chromium"
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "dist"
    config = load_config(ROOT / "wirekit.toml")
    summary = Publisher(out, config=config, jobs=1).run([ROOT / "seeds"])
    assert summary.failures == []
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield context
        finally:
            context.close()


def _open(browser: Any, url: str, width: int) -> Any:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    return page


def _shot(page: Any, name: str, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def _no_horizontal_overflow(page: Any) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the page is {scroll} px wide in a {inner} px window"
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert wide == []


def _visible(page: Any, selector: str) -> None:
    locator = page.locator(selector).first
    assert locator.is_visible(), selector
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, selector


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("folder", [ENGLISH, CORRECTED, PERSIAN])
def test_an_article_page_shows_its_story_and_fits(
    browser: Any, tree: Path, folder: str, width: int
) -> None:
    page = _open(browser, (tree / "articles" / folder / "index.html").as_uri(), width)
    try:
        _no_horizontal_overflow(page)
        for selector in ("article h1", ".byline", ".dates time", "article > p", ".masthead"):
            _visible(page, selector)
        _shot(page, folder, width)
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_persian_page_is_laid_out_right_to_left(browser: Any, tree: Path, width: int) -> None:
    page = _open(browser, (tree / "articles" / PERSIAN / "index.html").as_uri(), width)
    try:
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        headline = page.locator("article h1").bounding_box()
        body = page.locator("article > p").first.bounding_box()
        assert headline is not None and body is not None
        # right to left: the text hugs the right edge of its column, not the left
        column = page.evaluate(
            "(() => { const r = document.querySelector('article').getBoundingClientRect();"
            " return [r.left, r.right]; })()"
        )
        assert abs(body["x"] + body["width"] - column[1]) < 2
        first_word = page.evaluate(
            """(() => { const p = document.querySelector('article > p');
                const range = document.createRange(); range.setStart(p.firstChild, 0);
                range.setEnd(p.firstChild, 1); return range.getBoundingClientRect().right; })()"""
        )
        assert first_word > (column[0] + column[1]) / 2  # the line starts on the right
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_front_page_lists_live_stories_and_fits(browser: Any, tree: Path, width: int) -> None:
    page = _open(browser, (tree / "index.html").as_uri(), width)
    try:
        _no_horizontal_overflow(page)
        for selector in (".masthead", ".day", ".teaser h3 a", ".teaser .summary", ".byline"):
            _visible(page, selector)
        _visible(page, "footer .feeds a")
        headlines = page.locator(".teaser h3").all_inner_texts()
        live = [e for e in read_manifest(tree / MANIFEST).articles.values() if e.state == "live"]
        assert len(headlines) == len(live) >= 5
        assert not any("Oslo" in h or "Hamburg" in h for h in headlines)
        persian = page.locator(f'.teaser:has(a[href="articles/{PERSIAN}/"]) h3')
        assert persian.evaluate("e => getComputedStyle(e).direction") == "rtl"
        _shot(page, "index", width)
    finally:
        page.close()


def test_a_tombstone_is_a_plain_page(browser: Any, tree: Path) -> None:
    page = _open(browser, (tree / "articles" / WITHDRAWN / "index.html").as_uri(), 390)
    try:
        _no_horizontal_overflow(page)
        _visible(page, ".tombstone h1")
        assert page.locator("article").count() == 0
        _shot(page, "tombstone", 390)
    finally:
        page.close()
