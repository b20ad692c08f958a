"""Live preview: a source edit republishes and tells open pages to reload; a bad source shows
an overlay and the last good version stays served; published files never carry the script."""

from __future__ import annotations

import queue
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.browser import chromium, missing
from tests.conftest import ROOT, SEEDS
from tests.serve_helpers import running
from wirekit.config import load as load_config
from wirekit.serve.app import create_app
from wirekit.serve.preview import Preview

SLUG = "2025-08-12-valencia-flash-flood-warning"
SOURCE = f"{SLUG}.json"


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS / SOURCE, inputs / SOURCE)
    shutil.copy(SEEDS / "2025-07-30-iran-venezuela-alliance.txt", inputs)
    out = tmp_path / "site"
    config = load_config(ROOT / "wirekit.toml")
    watcher = Preview(out, [str(inputs)], config=config)
    watcher.publish()
    with running(create_app(out, config=config, preview=watcher)) as url:
        yield url, inputs, out


def _events(url: str) -> queue.Queue[str]:
    """The event names of the preview stream, read in a thread as they come."""
    found: queue.Queue[str] = queue.Queue()
    ready = threading.Event()

    def read() -> None:
        with httpx.stream("GET", f"{url}/_wirekit/events", timeout=60) as response:
            for line in response.iter_lines():
                ready.set()
                if line.startswith("event: "):
                    found.put(line.removeprefix("event: "))

    threading.Thread(target=read, daemon=True).start()
    assert ready.wait(10)
    return found


def test_an_edit_reloads_and_a_bad_source_shows_an_overlay(preview: tuple[str, Path, Path]) -> None:
    url, inputs, out = preview
    page = httpx.get(f"{url}/articles/{SLUG}/")
    assert b"data-wirekit-preview" in page.content
    assert b"data-wirekit-preview" not in (out / "articles" / SLUG / "index.html").read_bytes()
    assert (
        httpx.get(f"{url}/articles/{SLUG}/article.jsonld").content
        == (out / "articles" / SLUG / "article.jsonld").read_bytes()
    )
    etag = page.headers["ETag"]
    events = _events(url)

    data = orjson.loads((inputs / SOURCE).read_bytes())
    data["headline"] = "Valencia reopens its schools as the flood warning is lifted"
    (inputs / SOURCE).write_bytes(orjson.dumps(data))
    assert events.get(timeout=30) == "reload"
    edited = httpx.get(f"{url}/articles/{SLUG}/")
    assert b"Valencia reopens its schools" in edited.content
    assert edited.headers["ETag"] != etag

    (inputs / SOURCE).write_bytes(b'{"headline": ')
    assert events.get(timeout=30) == "failed"
    kept = httpx.get(f"{url}/articles/{SLUG}/")
    assert kept.status_code == 200
    assert b"Valencia reopens its schools" in kept.content  # the last good version
    assert SOURCE.encode() in kept.content  # the overlay names the failing source


def test_the_event_stream_is_only_there_in_preview(tmp_path: Path) -> None:
    out = tmp_path / "site"
    config = load_config(ROOT / "wirekit.toml")
    Preview(out, [str(SEEDS / SOURCE)], config=config).publish()
    with running(create_app(out, config=config)) as url:
        assert httpx.get(f"{url}/_wirekit/events").status_code == 404
        assert b"data-wirekit-preview" not in httpx.get(f"{url}/").content


# --- in a real browser -----------------------------------------------------------------------


@pytest.mark.skipif(missing() is not None, reason=str(missing()))
def test_in_chromium_index_link_json_ld_and_a_reload(preview: tuple[str, Path, Path]) -> None:
    """Headless Chromium opens the served index, follows a link to an article, finds its
    JSON-LD, and sees the page reload by itself after the source is edited."""
    url, inputs, _ = preview
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}/")
        page.click(f"a[href*='{SLUG}']")
        page.wait_for_url(f"**/articles/{SLUG}/**")
        data = page.eval_on_selector(
            "script[type='application/ld+json']", "element => JSON.parse(element.textContent)"
        )
        assert "Valencia" in orjson.dumps(data).decode()
        page.evaluate("() => { window.wirekitMark = 'before' }")
        time.sleep(1)  # let the page's event stream connect
        edited = orjson.loads((inputs / SOURCE).read_bytes())
        edited["headline"] = "Valencia lifts its flood warning"
        (inputs / SOURCE).write_bytes(orjson.dumps(edited))
        deadline = time.monotonic() + 30
        while _mark(page) == "before":
            assert time.monotonic() < deadline, "the page did not reload"
            time.sleep(0.1)
        page.wait_for_selector("text=Valencia lifts its flood warning", timeout=30_000)


def _mark(page: Any) -> object:
    """The mark set on the page's window; None once the page has reloaded (or while it does)."""
    from playwright.sync_api import Error

    try:
        return page.evaluate("() => window.wirekitMark")
    except Error:  # the page is navigating: its old context is gone
        return None
