"""The editorial rules, checked on disk after real publishes: embargoes hold and lift, withheld
stories stay private, killed stories come down everywhere (the store too), corrections show.

"Public files" are every file of the tree but the syndication formats' (NewsML-G2, ninjs,
canonical JSON, the newsMessage, which carry every article with its status, as their standards
intend) and wirekit's own bookkeeping (dot files)."""

from __future__ import annotations

import json
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.store_fixtures import stored_quads
from wirekit import cli, registry
from wirekit.audience import SYNDICATION
from wirekit.config import Config
from wirekit.config import load as load_config
from wirekit.errors import LossyConversionWarning
from wirekit.model import Article
from wirekit.site.check import check_tree
from wirekit.site.manifest import MANIFEST
from wirekit.site.manifest import read as read_manifest
from wirekit.site.publish import Publisher
from wirekit.store.load import Loader
from wirekit.store.targets import EmbeddedStore

CONFIG = load_config(ROOT / "wirekit.toml")
FORMATS = (
    "html",
    "json",
    "newsml-g2",
    "ninjs",
    "jsonld",
    "turtle",
    "ntriples",
    "atom",
    "rss",
    "jsonfeed",
    "news-sitemap",
    "newsml-g2-message",
    "nquads",
    "index",
)
"""The published tree's formats that matter here (every public one, and the syndication ones
the rules name), without the slower extras."""
SYNDICATION_FILES = {
    cls.tree_file() for cls in registry.exporter_classes() if cls.audience == SYNDICATION
}


def _article(n: int, **fields: Any) -> dict[str, Any]:
    """An article whose every public trace carries a token unique to it (``zq<n>x``)."""
    token = f"zq{n}x"
    return {
        "id": f"urn:newsml:test.example:{token}",
        "version": 1,
        "slug": f"story-{token}",
        "headline": f"Headline {token}",
        "summary": f"Summary {token}",
        "language": "en",
        "body": [{"type": "paragraph", "text": f"Body text {token} of the story."}],
        "datePublished": f"2025-08-12T0{n % 10}:00:00Z",
        "subjects": [{"scheme": "medtop", "code": "20000565", "label": "diplomacy"}],
        **fields,
    }


def _publish(out: Path, articles: list[dict[str, Any]], now: str, **options: Any) -> Any:
    source = out.parent / "input.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    options.setdefault("formats", FORMATS)
    publisher = Publisher(out, config=CONFIG, jobs=1, now=now, **options)
    summary = publisher.run([source])
    assert summary.failures == []
    return summary


def _public_files(out: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.name.startswith(".") and path.name not in SYNDICATION_FILES
    }


def _traces(article: dict[str, Any]) -> list[bytes]:
    """What would betray an article in a public file: its id, its folder (so its URL), its
    headline and the token of its body text."""
    token = article["slug"].removeprefix("story-")
    return [article["id"].encode(), f"articles/{article['slug']}/".encode(), token.encode()]


def _mentioning(out: Path, article: dict[str, Any]) -> list[str]:
    return [
        name
        for name, data in _public_files(out).items()
        if any(trace in data for trace in _traces(article))
    ]


def _atom_entries(out: Path) -> int:
    from lxml import etree

    feed = etree.parse(str(out / "atom.xml")).getroot()
    return len(feed.findall("{http://www.w3.org/2005/Atom}entry"))


def _folder_files(out: Path, article: dict[str, Any]) -> set[str]:
    folder = out / "articles" / article["slug"]
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


# --- 1. an embargo holds until --now passes its time, then the article is everywhere --------


def test_an_embargo_holds_until_its_time_then_the_article_appears_everywhere(
    tmp_path: Path,
) -> None:
    live = _article(1)
    embargoed = _article(2, embargoedUntil="2025-08-12T10:00:00Z")
    out = tmp_path / "site"
    before = _publish(out, [live, embargoed], "2025-08-12T09:59:59Z")
    assert _mentioning(out, embargoed) == []
    assert _mentioning(out, live)  # the live one is there, so the check can fail
    assert _folder_files(out, embargoed) == {"article.json", "newsml-g2.xml", "ninjs.json"}
    g2 = (out / "articles" / embargoed["slug"] / "newsml-g2.xml").read_text(encoding="utf-8")
    assert "<embargoed>2025-08-12T10:00:00Z</embargoed>" in g2
    assert before.next_lift == "2025-08-12T10:00:00Z"
    assert read_manifest(out / MANIFEST).next_lift == "2025-08-12T10:00:00Z"

    # the same input, not changed: the manifest knows the embargo lifts, so the article goes out
    after = _publish(out, [live, embargoed], "2025-08-12T10:00:00Z")
    assert after.next_lift is None and after.public == 2
    public = _public_files(out)
    for name in (
        "index.html",
        "atom.xml",
        "rss.xml",
        "feed.json",
        "news-sitemap.xml",
        "all.nq",
        f"articles/{embargoed['slug']}/index.html",
        f"articles/{embargoed['slug']}/article.jsonld",
        f"articles/{embargoed['slug']}/article.ttl",
        f"articles/{embargoed['slug']}/article.nt",
    ):
        assert embargoed["id"].encode() in public[name] or b"zq2x" in public[name], name


# --- 2. a withheld article never appears publicly; syndication carries stat:withheld --------


def test_a_withheld_article_never_appears_in_a_public_output(tmp_path: Path) -> None:
    note = {"text": "WITHHELD. Do not use.", "audience": "partner"}
    withheld = _article(3, pubStatus="withheld", notes=[note])
    out = tmp_path / "site"
    _publish(out, [_article(1), withheld], "2030-01-01T00:00:00Z")
    assert _mentioning(out, withheld) == []
    assert not any(b"Do not use" in data for data in _public_files(out).values())
    folder = out / "articles" / withheld["slug"]
    assert 'qcode="stat:withheld"' in (folder / "newsml-g2.xml").read_text(encoding="utf-8")
    assert orjson.loads((folder / "ninjs.json").read_bytes())["pubStatus"] == "withheld"
    message = (out / "newsmessage.xml").read_text(encoding="utf-8")
    assert withheld["id"] in message  # partners get every article, with its status


# --- 3. a killed article disappears everywhere, Atom and the store included ------------------


def test_a_killed_article_comes_down_everywhere_and_leaves_a_tombstone(tmp_path: Path) -> None:
    story = _article(4)
    out = tmp_path / "site"
    store = EmbeddedStore(tmp_path / "store")
    _publish(out, [story], "2025-08-13T00:00:00Z")
    assert _atom_entries(out) == 1
    loaded = Loader(store, config=CONFIG, now="2025-08-13T00:00:00Z").run([out])
    assert loaded.articles == 1
    store.close()
    assert stored_quads(tmp_path / "store")
    stale_atom = (out / "atom.xml").read_bytes()

    killed = {**story, "pubStatus": "canceled", "signals": ["kill"], "version": 2}
    killed["dateModified"] = "2025-08-13T08:00:00Z"
    killed["notes"] = [
        {"text": "Withdrawn: the quoted figures were wrong.", "audience": "public"},
        {"text": "Legal hold: do not rerun.", "audience": "partner"},
        {"text": "Desk line 0401.", "audience": "internal"},
    ]
    _publish(out, [killed], "2025-08-13T09:00:00Z")
    assert _mentioning(out, story) == []
    assert _atom_entries(out) == 0  # the last entry gone: a valid, empty feed, not a stale one
    assert _folder_files(out, story) == {
        "index.html",
        "article.json",
        "newsml-g2.xml",
        "ninjs.json",
    }
    tombstone = (out / "articles" / story["slug"] / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in tombstone
    assert "This story has been withdrawn" in tombstone
    assert 'datetime="2025-08-13T08:00:00Z"' in tombstone
    assert "application/ld+json" not in tombstone and "<article" not in tombstone
    assert "Withdrawn: the quoted figures were wrong." in tombstone  # the public reason
    assert "Legal hold" not in tombstone and "Desk line" not in tombstone
    verdicts = {v.path: v for v in check_tree(out, CONFIG)}
    assert [v for v in verdicts.values() if v.status == "FAIL"] == []
    assert "tombstone" in verdicts[f"articles/{story['slug']}/index.html"].detail

    removed = Loader(store, config=CONFIG, now="2025-08-13T09:00:00Z").run([out])
    assert (removed.articles, removed.removed) == (0, 1)
    store.close()
    assert stored_quads(tmp_path / "store") == set()

    # a stale feed put back by hand (say, from a backup) is caught by check
    (out / "atom.xml").write_bytes(stale_atom)
    verdict = {v.path: v for v in check_tree(out, CONFIG)}["atom.xml"]
    assert verdict.status == "FAIL" and "withdrawn" in verdict.detail


# --- 4. a correction shows on the page and in every feed, and moves the feeds' times ---------


def test_a_correction_shows_on_the_page_and_in_every_feed(tmp_path: Path) -> None:
    correction = "An earlier version misnamed the minister."
    corrected = _article(
        5,
        dateModified="2025-08-12T05:30:00Z",
        corrections=[{"date": "2025-08-12T07:45:00Z", "text": correction}],
    )
    out = tmp_path / "site"
    _publish(out, [corrected], "2025-08-12T08:00:00Z")
    public = _public_files(out)
    for name in (f"articles/{corrected['slug']}/index.html", "atom.xml", "rss.xml", "feed.json"):
        assert correction.encode() in public[name], name
    atom = public["atom.xml"].decode()
    assert "<updated>2025-08-12T07:45:00Z</updated>" in atom  # readers refetch the entry
    assert "<pubDate>Tue, 12 Aug 2025 07:45:00 +0000</pubDate>" in public["rss.xml"].decode()
    feed = orjson.loads(public["feed.json"])
    assert feed["items"][0]["date_modified"] == "2025-08-12T07:45:00Z"


# --- the property: no public file mentions an article that is not live ----------------------

_STATES = st.sampled_from(["live", "embargoed", "withheld", "canceled", "killed"])
_HOURS = st.integers(0, 23)


def _variant(n: int, state: str, hour: int) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "live": {},
        "embargoed": {"embargoedUntil": f"2025-08-13T{hour:02d}:00:00Z"},
        "withheld": {"pubStatus": "withheld"},
        "canceled": {"pubStatus": "canceled"},
        "killed": {"signals": ["kill"]},
    }[state]
    return _article(n, **fields)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    runs=st.lists(
        st.tuples(st.lists(st.tuples(_STATES, _HOURS), min_size=1, max_size=4), _HOURS),
        min_size=1,
        max_size=2,
    )
)
def test_no_public_file_mentions_an_article_that_is_not_live(
    runs: list[tuple[list[tuple[str, int]], int]],
) -> None:
    """Any mix of states, any ``now``, and a second run over the first (states change, files
    must go): a public file never names an article that is not live at that run's ``now``."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        for drafts, hour in runs:
            now = f"2025-08-13T{hour:02d}:00:00Z"
            articles = [_variant(n, state, at) for n, (state, at) in enumerate(drafts)]
            summary = _publish(out, articles, now, prune=True)  # articles may leave, too
            hidden = [
                a
                for (state, at), a in zip(drafts, articles, strict=True)
                if state != "live" and not (state == "embargoed" and at <= hour)
            ]
            assert summary.public == len(articles) - len(hidden)
            for article in hidden:
                assert _mentioning(out, article) == [], (article["id"], now)


def test_the_public_files_are_what_the_config_publishes() -> None:
    """The syndication files the tests leave out are exactly the syndication formats'."""
    assert {"article.json", "newsml-g2.xml", "ninjs.json", "newsmessage.xml"} <= SYNDICATION_FILES
    assert not {"index.html", "atom.xml", "article.jsonld", "all.nq"} & SYNDICATION_FILES
    assert isinstance(CONFIG, Config)


def test_a_section_page_goes_when_its_last_live_story_does(tmp_path: Path) -> None:
    sport = _article(6, section="Sport")
    out = tmp_path / "site"
    _publish(out, [_article(1), sport], "2025-08-13T00:00:00Z")
    pages = read_manifest(out / MANIFEST).pages
    assert pages == ("index.html", "sections/sport-9a085dd854f0/index.html")
    assert b"zq6x" in (out / pages[1]).read_bytes()
    summary = _publish(
        out, [_article(1), {**sport, "pubStatus": "withheld"}], "2025-08-13T00:00:00Z"
    )
    assert not (out / "sections").exists() and summary.removed >= 1
    assert read_manifest(out / MANIFEST).pages == ("index.html",)
    assert _mentioning(out, sport) == []


def test_the_editors_note_never_reaches_a_public_output(tmp_path: Path) -> None:
    """The editor's note is for partners: syndication carries it, no public file does."""
    note = "Editors: the minister's name is spelt as in the decree zqnotex."
    inside = "Desk: call the reporter on +49 30 000 zqinternalx."
    public = "A gallery follows zqpublicx."
    story = _article(
        7,
        notes=[
            {"text": note, "audience": "partner"},
            {"text": inside, "audience": "internal"},
            {"text": public, "audience": "public"},
        ],
    )
    out = tmp_path / "site"
    _publish(out, [story], "2025-08-13T00:00:00Z")
    assert not [name for name, data in _public_files(out).items() if b"zqnotex" in data]
    folder = out / "articles" / story["slug"]
    assert "zqnotex" in (folder / "newsml-g2.xml").read_text(encoding="utf-8")
    assert "zqnotex" in (folder / "ninjs.json").read_text(encoding="utf-8")
    # internal notes reach no file of the tree, its canonical JSON included (the world reads
    # a tree: a static host, wirekit serve); convert --to json keeps them for the newsroom
    for path in out.rglob("*"):
        assert not path.is_file() or b"zqinternalx" not in path.read_bytes(), path
    kept = orjson.loads((folder / "article.json").read_bytes())["notes"]
    assert [n["audience"] for n in kept] == ["partner", "public"]
    canonical = registry.exporter("json")(Config()).export(Article.from_dict(story))
    assert b"zqinternalx" in canonical
    # public notes are for the public: on the page and in every feed that carries text
    files = _public_files(out)
    for name in (f"articles/{story['slug']}/index.html", "atom.xml", "rss.xml", "feed.json"):
        assert b"zqpublicx" in files[name], name
    assert orjson.loads(files["feed.json"])["items"][0]["content_text"].endswith(public)


# --- convert: a public format outside a tree keeps the same rule ------------------------------

PUBLIC_FORMATS = sorted(
    cls.name for cls in registry.exporter_classes() if cls.audience != SYNDICATION
)


@pytest.mark.parametrize("name", PUBLIC_FORMATS)
def test_convert_to_a_public_format_takes_only_live_articles_at_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """``wirekit convert --to <public format>`` judges every article at ``--now`` as publish
    does: the embargoed one appears only once its time has come, the withheld and the killed
    one never, and each left out is named in one line."""
    live, embargoed = _article(1), _article(2, embargoedUntil="2025-08-12T10:00:00Z")
    withheld, killed = _article(3, pubStatus="withheld"), _article(4, signals=["kill"])
    source = tmp_path / "input.jsonl"
    source.write_text(
        "".join(json.dumps(a) + "\n" for a in (live, embargoed, withheld, killed)),
        encoding="utf-8",
    )
    collection = registry.exporter(name).collection
    times = {"2025-08-12T09:59:59Z": [live], "2025-08-12T10:00:00Z": [live, embargoed]}
    for now, shown in times.items():
        out = tmp_path / now.replace(":", "")
        out.mkdir()
        target = f"{out / 'all.out'}" if collection else f"{out}/"  # a folder: one file each
        command = ["convert", str(source), "--to", name, "-o", target, "--now", now]
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            cli.main([*command, "--config", str(ROOT / "wirekit.toml")])
        err = capsys.readouterr().err
        assert exited.value.code in (0, None), err
        written = b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())
        for article in (live, embargoed, withheld, killed):
            token = article["slug"].removeprefix("story-").encode()
            assert (token in written) is (article in shown), (name, now, article["id"])
            said = re.search(rf"{re.escape(article['id'])}: [^\n]*, so left out of {name} ", err)
            assert (said is not None) is (article not in shown), err


KILLED_STATUS = {  # where each syndication format says an article's status
    "newsml-g2": rb'<pubStatus qcode="stat:canceled"',
    "ninjs": rb'"pubStatus": "canceled"',
    "ninjs-2": rb'"pubstatus": "canceled"',  # ninjs 2.x spells its keys in lower case
    "nitf": rb'management-status="canceled"',
}


@pytest.mark.parametrize("status", [None, "usable"])
@pytest.mark.parametrize("name", sorted(KILLED_STATUS))
def test_a_killed_story_goes_to_partners_as_canceled(name: str, status: str | None) -> None:
    """A receiver reads the status, and may know nothing of wirekit's kill signal: a killed
    story is canceled in every syndication format, even when its own status still says
    usable (which is then a loss, said)."""
    fields: dict[str, Any] = {"signals": ["kill"]} | ({"pubStatus": status} if status else {})
    article = Article.from_dict(_article(1, **fields))
    assert registry.exporter(name).audience == SYNDICATION
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = registry.exporter(name)(Config()).export(article)
    assert KILLED_STATUS[name] in written
    said = [str(w.message) for w in caught if w.category is LossyConversionWarning]
    assert any("pubStatus" in m and "canceled" in m for m in said) is (status is not None)


@pytest.mark.parametrize("later_first", [True, False], ids=["later-first", "later-last"])
def test_load_keeps_the_later_version_of_an_article_read_twice(
    tmp_path: Path, later_first: bool
) -> None:
    """Two inputs with one article id: load keeps the later version (``version``, then
    ``dateModified``) whatever order they come in, as publish does, so an older live copy
    never brings back a story its later version withheld."""
    older = _article(8)
    withheld = {**older, "version": 2, "pubStatus": "withheld"}
    pair = [withheld, older] if later_first else [older, withheld]
    files = []
    for n, data in enumerate([*pair, _article(9)]):  # the last one: another, live story
        files.append(tmp_path / f"{n}.json")
        files[-1].write_text(json.dumps(data), encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store")
    loaded = Loader(store, config=CONFIG, now="2025-08-13T00:00:00Z").run(files)
    store.close()
    assert loaded.articles == 1
    quads = stored_quads(tmp_path / "store")
    assert quads and not [q for q in quads if "zq8x" in q]


def test_a_publish_of_fewer_formats_leaves_no_stale_collection(tmp_path: Path) -> None:
    """A full publish, then the story is withheld and only two formats are published: the
    feeds, index and section pages of the formats left out would go on showing it, so they
    go, as its files of those formats do; the formats drawn leave it out."""
    from wirekit.pipeline import available_formats

    story, other = _article(1), _article(2)
    out = tmp_path / "site"
    _publish(out, [story, other], "2025-08-13T00:00:00Z", formats=available_formats())
    assert b"zq1x" in (out / "rss.xml").read_bytes()
    withheld = {**story, "version": 2, "pubStatus": "withheld"}
    _publish(out, [withheld, other], "2025-08-13T00:00:00Z", formats=("json", "atom"))
    for name, data in _public_files(out).items():
        assert b"zq1x" not in data, name
    assert b"zq2x" in (out / "atom.xml").read_bytes()
    assert not (out / "rss.xml").exists() and not (out / "index.html").exists()
    assert not (out / "sections").exists()


def test_a_story_withheld_after_it_was_loaded_leaves_the_store(tmp_path: Path) -> None:
    """Loaded live, then withheld in the same input (not a published tree, no ``--sync``):
    the next load removes its graph, which the store's record says wirekit created."""
    source, store_path = tmp_path / "story.json", tmp_path / "store"
    story = _article(5)
    for data, count in ((story, 1), ({**story, "version": 2, "pubStatus": "withheld"}, 0)):
        source.write_text(json.dumps(data), encoding="utf-8")
        store = EmbeddedStore(store_path)
        summary = Loader(store, config=CONFIG, now="2025-08-13T00:00:00Z").run([source])
        store.close()
        assert (summary.articles, summary.notes) == (count, [])
        assert bool([q for q in stored_quads(store_path) if "zq5x" in q]) is bool(count)


def test_a_publish_at_an_earlier_moment_judges_every_article_again(tmp_path: Path) -> None:
    """A mistaken ``--now`` in the future, then the right one: the inputs did not change, but
    an embargo that had lifted at the mistaken moment holds again, so its public files go."""
    embargoed = _article(3, embargoedUntil="2025-08-20T10:00:00Z")
    out = tmp_path / "site"
    _publish(out, [embargoed, _article(4)], "2025-08-21T00:00:00Z")  # the mistake
    assert b"zq3x" in (out / "atom.xml").read_bytes()
    summary = _publish(out, [embargoed, _article(4)], "2025-08-13T00:00:00Z")
    assert any("is earlier than the last run's" in note for note in summary.notes)
    for name, data in _public_files(out).items():
        assert b"zq3x" not in data, name
    assert b"zq4x" in (out / "atom.xml").read_bytes()
