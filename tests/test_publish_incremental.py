"""wirekit publish, incremental: an unchanged input is not read again, and whatever a run skips,
the tree it leaves is byte for byte the tree a fresh publish of the same inputs makes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.test_publish import DESK, _seed_dict, _tree
from wirekit.formats.schemaorg import rdf
from wirekit.model import Article
from wirekit.site.manifest import MANIFEST
from wirekit.site.manifest import read as read_manifest
from wirekit.site.publish import Publisher
from wirekit.sources import Reader

FEEDS = ("json", "ntriples", "atom", "rss", "nquads", "index")


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every input the publish reads (the run is inline, jobs=1, so the patch holds)."""
    seen: list[str] = []
    read = Reader.read

    def recording(self: Reader, source: str | Path, **options: Any) -> Iterator[Any]:
        seen.append(str(source))
        yield from read(self, source, **options)

    monkeypatch.setattr(Reader, "read", recording)
    return seen


def _story(folder: Path, n: int, **changes: Any) -> Path:
    """One article per file, story ``n`` published on day ``n`` of July 2025."""
    article = {
        **_seed_dict(),
        "id": f"urn:wirekit:test:{n}",
        "slug": f"story-{n}",
        "headline": f"Story {n}",
        "datePublished": f"2025-07-{n:02d}T08:00:00Z",
        **changes,
    }
    path = folder / f"story-{n}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_unchanged_input_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(1, 6):
        _story(tmp_path / "in", n)
    out = tmp_path / "out"
    Publisher(out, config=DESK, formats=FEEDS, jobs=1).run([tmp_path / "in"])
    before = _tree(out)
    reads = _reads(monkeypatch)
    summary = Publisher(out, config=DESK, formats=FEEDS, jobs=1).run([tmp_path / "in"])
    assert reads == []
    assert (summary.articles, summary.written, summary.failures) == (5, 0, [])
    assert summary.unchanged == 5 * 2 + 4  # two files an article; atom, rss, all.nq, index
    assert _tree(out) == before


def test_only_the_changed_input_and_the_newest_are_read_and_the_tree_is_as_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [_story(tmp_path / "in", n) for n in range(1, 7)]
    out = tmp_path / "out"
    Publisher(out, config=DESK, formats=FEEDS, jobs=1, feed_size=2).run([tmp_path / "in"])
    _story(tmp_path / "in", 1, headline="Story 1, corrected")
    reads = _reads(monkeypatch)
    summary = Publisher(out, config=DESK, formats=FEEDS, jobs=1, feed_size=2).run([tmp_path / "in"])
    # the corrected story, then the two newest (days 6 and 5), for the feeds
    assert reads == [str(sources[0]), str(sources[4]), str(sources[5])]
    assert summary.written == 2 + 2  # story 1's two files, all.nq and the index (story 1 is
    # not among the two newest, so the feeds, drawn again, come out the same and are left alone)
    monkeypatch.undo()
    Publisher(tmp_path / "fresh", config=DESK, formats=FEEDS, jobs=1, feed_size=2).run(
        [tmp_path / "in"]
    )
    assert _tree(out) == _tree(tmp_path / "fresh")
    assert "Story 1, corrected" in (out / "all.nq").read_text(encoding="utf-8")
    assert "Story 6" in (out / "atom.xml").read_text(encoding="utf-8")


def test_an_input_with_a_bad_article_is_read_and_reported_on_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "a.jsonl"
    good = {**_seed_dict(), "id": "urn:wirekit:test:good", "slug": "good"}
    archive.write_text(json.dumps(good) + '\n{"id": "urn:x:bad"}\n', encoding="utf-8")
    out = tmp_path / "out"
    first = Publisher(out, formats=("json", "index"), jobs=1).run([archive])
    reads = _reads(monkeypatch)
    second = Publisher(out, formats=("json", "index"), jobs=1).run([archive])
    assert reads == [str(archive)]
    assert second.failures == first.failures != []
    assert read_manifest(out / MANIFEST).sources == {}


def test_a_published_file_that_went_missing_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _story(tmp_path / "in", 3)
    out = tmp_path / "out"
    Publisher(out, config=DESK, formats=FEEDS, jobs=1).run([source])
    before = _tree(out)
    (out / "articles/story-3/article.nt").unlink()
    (out / "rss.xml").unlink()
    reads = _reads(monkeypatch)
    summary = Publisher(out, config=DESK, formats=FEEDS, jobs=1).run([source])
    assert reads == [str(source)]  # once: what it gives also serves the feeds
    assert summary.written == 2 + 1  # the article's two files (its folder is rewritten), rss
    assert _tree(out) == before


def test_new_feed_settings_redraw_the_feeds_though_no_article_changed(tmp_path: Path) -> None:
    for n in range(1, 4):
        _story(tmp_path / "in", n)
    out = tmp_path / "out"
    Publisher(out, config=DESK, formats=FEEDS, jobs=1, feed_size=3).run([tmp_path / "in"])
    assert (out / "atom.xml").read_text(encoding="utf-8").count("</entry>") == 3
    Publisher(out, config=DESK, formats=FEEDS, jobs=1, feed_size=1).run([tmp_path / "in"])
    assert (out / "atom.xml").read_text(encoding="utf-8").count("</entry>") == 1


def test_the_dump_assembled_from_n_triples_is_the_dump_streamed_from_the_inputs(
    tmp_path: Path,
) -> None:
    """With N-Triples published, all.nq is assembled from them; without, the inputs are read
    again. Both must be the N-Quads of the articles, graph names included, also for an id
    that is not usable as an IRI (``schema:`` reads as a prefix) and so gets a minted graph."""
    archive = tmp_path / "a.jsonl"
    ids = ["urn:wirekit:test:1", "schema:story-2", "https://news.example.org/3"]
    lines = [json.dumps({**_seed_dict(), "id": i, "slug": f"s{n}"}) for n, i in enumerate(ids)]
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="not usable as an IRI"):
        Publisher(tmp_path / "nt", formats=("ntriples", "nquads"), jobs=1).run([archive])
        Publisher(tmp_path / "read", formats=("json", "nquads"), jobs=1).run([archive])
    assembled = (tmp_path / "nt/all.nq").read_bytes()
    articles = [Article.from_dict(orjson.loads(line)) for line in lines]
    with pytest.warns(UserWarning, match="not usable as an IRI"):
        assert assembled == rdf.nquads(articles) == (tmp_path / "read/all.nq").read_bytes()
    assert b"<https://news.example.org/3> .\n" in assembled
    assert b"<urn:wirekit:article:schema%3Astory-2> .\n" in assembled


def test_an_article_kept_from_a_run_with_other_formats_does_not_break_the_dump(
    tmp_path: Path,
) -> None:
    """A failing source keeps its published files, even when the formats changed since: the
    kept article has no N-Triples to assemble the dump from, and is left out of it."""
    kept, other = _story(tmp_path / "in", 1), _story(tmp_path / "in", 2)
    out = tmp_path / "out"
    Publisher(out, formats=("json", "index"), jobs=1).run([tmp_path / "in"])
    kept.write_text("{broken", encoding="utf-8")
    summary = Publisher(out, formats=("json", "ntriples", "nquads", "index"), jobs=1).run(
        [tmp_path / "in"]
    )
    assert summary.failed_sources == [str(kept)]
    assert (out / "articles/story-1/article.json").is_file()
    dump = (out / "all.nq").read_text(encoding="utf-8")
    assert "<urn:wirekit:test:2> .\n" in dump and "urn:wirekit:test:1" not in dump
    assert str(other) in (out / MANIFEST).read_text(encoding="utf-8")


def test_the_fingerprint_covers_the_format_packages_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to any wirekit module (a format's writer, not only the site's) republishes."""
    from wirekit.config import Config
    from wirekit.pipeline import fingerprint

    before = fingerprint(Config(), ["json"])
    original = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = original(path)
        return data + b"\n# edited" if path.name == "writer.py" and "ninjs" in path.parts else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert fingerprint(Config(), ["json"]) != before
