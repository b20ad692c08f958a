"""Live preview: a source edit republishes and tells open pages to reload; a bad source shows
an overlay and the last good version stays served; published files never carry the script."""

from __future__ import annotations

import queue
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

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
