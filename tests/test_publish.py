"""wirekit publish: a complete, deterministic, incremental tree, atomically and safely written."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import ROOT, SEED_ARTICLE
from tests.conftest import tree_bytes as _tree
from wirekit import layout, registry
from wirekit.config import Config
from wirekit.errors import ExportError, UsageError
from wirekit.files import LOCK
from wirekit.site.manifest import MANIFEST
from wirekit.site.manifest import read as read_manifest
from wirekit.site.publish import RUNNING, Publisher, expand
from wirekit.sources import Reader

DESK = Config(publisher={"name": "Test Desk"}, base_url="https://news.example.org/")
"""A config the feeds can be made with: a title (the publisher) and a permanent id."""
FAST = ("json", "index")
"""The formats the mechanics tests publish: quick, and enough to see every rule at work."""


def _seed_dict() -> dict[str, Any]:
    result = next(Reader(Config()).read(SEED_ARTICLE))
    assert result.data is not None
    return dict(result.data)


def _archive(path: Path, count: int, *, edition: int = 0) -> Path:
    """A JSON Lines archive of ``count`` variations of the seed article."""
    base = _seed_dict()
    with path.open("w", encoding="utf-8") as stream:
        for n in range(count):
            article = dict(base)
            article["id"] = f"urn:wirekit:test:{n}"
            article["slug"] = f"story-{n}"
            article["headline"] = f"Story {n}, edition {edition}"
            article["datePublished"] = f"2025-07-{n % 28 + 1:02d}T{n % 24:02d}:00:00Z"
            stream.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path


def test_publish_writes_every_article_and_the_index(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.jsonl", 30)
    summary = Publisher(tmp_path / "out", formats=FAST, jobs=1).run([archive])
    assert summary.articles == 30 and not summary.failures
    for n in range(30):
        data = orjson.loads(
            (tmp_path / "out/articles" / f"story-{n}" / "article.json").read_bytes()
        )
        assert data["headline"] == f"Story {n}, edition 0"
    index = (tmp_path / "out/index.html").read_text()
    assert index.count('<article class="teaser"') == 30
    # newest first: story-27 is dated 2025-07-28T03:00Z, the latest day in the archive
    assert index.index("story-27/") < index.index("story-0/")


def test_a_second_run_changes_no_byte_and_writes_nothing(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.jsonl", 40)
    Publisher(tmp_path / "out", formats=FAST, jobs=2).run([archive])
    before = _tree(tmp_path / "out")
    times = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*") if p.is_file()}
    summary = Publisher(tmp_path / "out", formats=FAST, jobs=2).run([archive])
    assert summary.written == 0 and summary.unchanged == 41  # 40 articles and the index
    assert _tree(tmp_path / "out") == before
    assert times == {p: p.stat().st_mtime_ns for p in times}


def test_parallel_and_serial_runs_publish_identical_trees(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.jsonl", 60)
    Publisher(tmp_path / "one", formats=FAST, jobs=1).run([archive])
    Publisher(tmp_path / "two", formats=FAST, jobs=2).run([archive])
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_only_changed_articles_are_rewritten_and_deleted_ones_removed(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.jsonl", 10)
    out = tmp_path / "out"
    Publisher(out, formats=FAST, jobs=1).run([archive])
    lines = archive.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[3])
    changed["headline"] = "A corrected headline"
    lines[3] = json.dumps(changed)
    del lines[7]  # story-7's source is gone
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = Publisher(out, formats=FAST, jobs=1).run([archive])
    assert summary.written == 2  # story-3's article.json and the index
    assert summary.removed == 1
    assert not (out / "articles/story-7").exists()
    assert "A corrected headline" in (out / "articles/story-3/article.json").read_text()
    articles = read_manifest(out / MANIFEST).articles
    assert "story-7" not in articles and len(articles) == 9


def test_a_bad_article_is_reported_and_the_rest_published(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.jsonl", 5)
    with archive.open("a", encoding="utf-8") as stream:
        stream.write('{"id": "urn:x:bad", "version": 0}\n')
        stream.write("{not json\n")
    summary = Publisher(tmp_path / "out", formats=FAST, jobs=1).run([archive])
    assert summary.articles == 5
    assert any("line 6" in line and "/version" in line for line in summary.failures)
    assert any("line 7" in line and "malformed JSON" in line for line in summary.failures)


def test_a_source_that_now_fails_keeps_its_published_files(tmp_path: Path) -> None:
    source = tmp_path / "in" / "story.json"
    source.parent.mkdir()
    source.write_text(json.dumps(_seed_dict()), encoding="utf-8")
    out = tmp_path / "out"
    Publisher(out, formats=FAST, jobs=1).run([source.parent])
    source.write_text("{broken", encoding="utf-8")
    summary = Publisher(out, formats=FAST, jobs=1).run([source.parent])
    assert summary.failed_sources == [str(source)]
    assert (out / "articles/2025-07-30-iran-venezuela-alliance/article.json").is_file()


def test_a_reused_slug_gets_a_folder_of_its_own(tmp_path: Path) -> None:
    first, second = _seed_dict(), _seed_dict()
    second["id"] = "urn:wirekit:test:other"
    archive = tmp_path / "a.jsonl"
    lines = [json.dumps(first), json.dumps(second), json.dumps(first)]
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = Publisher(tmp_path / "out", formats=FAST, jobs=1).run([archive])
    assert summary.articles == 2  # agencies reuse sluglines: no article is dropped for it
    folders = sorted(p.name for p in (tmp_path / "out" / "articles").iterdir())
    assert folders[0] == first["slug"] and folders[1].startswith(first["slug"] + "-")


def _refusing(monkeypatch: pytest.MonkeyPatch, name: str, refused_id: str) -> None:
    """Make exporter ``name`` refuse one article, as an exporter refuses what it cannot write
    (the publish runs inline, jobs=1, so the patch reaches it)."""
    cls = registry.exporter(name)
    export = cls.export

    def refuse(self: Any, article: Any) -> bytes:
        if article.id == refused_id:
            raise ExportError("cannot write this one", place="/url")
        return export(self, article)

    monkeypatch.setattr(cls, "export", refuse)


def test_an_article_an_exporter_refuses_is_left_out_of_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _archive(tmp_path / "a.jsonl", 5)
    _refusing(monkeypatch, "turtle", "urn:wirekit:test:4")
    out = tmp_path / "out"
    formats = ("json", "turtle", "atom", "nquads", "index")
    summary = Publisher(out, config=DESK, formats=formats, jobs=1).run([archive])
    assert summary.failures == [f"{archive}: /url: cannot write this one"]
    assert summary.failed_sources == [str(archive)] and summary.articles == 4
    assert not (out / "articles/story-4").exists()
    assert sorted(read_manifest(out / MANIFEST).articles) == [f"story-{n}" for n in range(4)]
    for name in ("index.html", "atom.xml", "all.nq"):
        text = (out / name).read_text(encoding="utf-8")
        assert "story-3" in text or "test:3" in text, name
        assert "story-4" not in text and "test:4" not in text, name


def test_an_article_only_the_dump_refuses_fails_every_run_until_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _archive(tmp_path / "a.jsonl", 3)
    _refusing(monkeypatch, "nquads", "urn:wirekit:test:1")
    out = tmp_path / "out"
    for _ in range(2):  # not remembered as published, so the second run does not skip it
        summary = Publisher(out, formats=("json", "nquads", "index"), jobs=1).run([archive])
        assert summary.failures == [f"{archive}: /url: cannot write this one"]
        assert "test:1>" not in (out / "all.nq").read_text(encoding="utf-8")
        assert "test:2>" in (out / "all.nq").read_text(encoding="utf-8")
        assert "story-1" not in read_manifest(out / MANIFEST).articles
    monkeypatch.undo()
    summary = Publisher(out, formats=("json", "nquads", "index"), jobs=1).run([archive])
    assert summary.failures == [] and "test:1>" in (out / "all.nq").read_text(encoding="utf-8")


def test_an_undated_feed_takes_the_runs_now_as_its_updated_time(tmp_path: Path) -> None:
    """Atom needs an updated time; with no dated article the feed was still drawn at --now,
    which is true, rather than failing and leaving an old feed in place."""
    undated = {k: v for k, v in _seed_dict().items() if not k.startswith("date")}
    source = tmp_path / "undated.json"
    source.write_text(json.dumps(undated), encoding="utf-8")
    out = tmp_path / "out"
    formats = ("json", "atom", "rss", "index")
    now = "2025-08-01T00:00:00Z"
    summary = Publisher(out, config=DESK, formats=formats, jobs=1, now=now).run([source])
    assert summary.failures == [] and summary.failed_sources == []
    atom = (out / "atom.xml").read_text(encoding="utf-8")
    assert atom.count(f"<updated>{now}</updated>") == 2  # the feed's and its entry's
    assert (out / "rss.xml").is_file() and (out / "index.html").is_file()
    assert (out / MANIFEST).is_file() and not (out / RUNNING).exists()


@pytest.mark.parametrize(
    "hostile",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "C:/windows/system32",
        "con",
        "NUL.txt",
        "x" * 500,
        "Ελληνικά-العربية-中文",
        "..",
        "",
    ],
)
def test_nothing_escapes_the_output_folder(tmp_path: Path, hostile: str) -> None:
    article = _seed_dict()
    article.pop("slug")
    article["id"] = "urn:evil:" + hostile if hostile else "urn:evil:"
    if not hostile:
        article["id"] = "urn:evil:%2F"
    archive = tmp_path / "a.jsonl"
    archive.write_text(json.dumps(article) + "\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    summary = Publisher(out, formats=FAST, jobs=1).run([archive])
    assert not summary.failures, summary.failures
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != archive]
    assert written and all(out in p.parents for p in written)
    folders = list((out / layout.ARTICLES).iterdir())
    assert len(folders) == 1
    name = folders[0].name
    assert len(name) <= 100 and name.isascii() and name not in ("con", "nul", "..")


def test_a_published_tree_reads_back_as_its_canonical_articles(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.jsonl", 4)
    Publisher(tmp_path / "out", formats=FAST, jobs=1).run([archive])
    files = expand([tmp_path / "out"])
    assert [Path(f).name for f in files] == ["article.json"] * 4


def test_unknown_format_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="did you mean 'json'"):
        Publisher(tmp_path, formats=("jsn",))


def _whole(path: Path) -> bool:
    data = path.read_bytes()
    if path.name.endswith(".html"):
        return data.endswith(b"</html>\n")
    if path.name.endswith(".jsonl"):
        return data.endswith(b"\n") and all(orjson.loads(line) for line in data.splitlines())
    return isinstance(orjson.loads(data), dict)


def test_a_killed_publish_leaves_whole_files_and_the_rerun_completes(tmp_path: Path) -> None:
    """SIGKILL in the middle of a republish: every file is the old or the new version, whole;
    the next run brings the tree to exactly what a clean publish gives."""
    archive = _archive(tmp_path / "a.jsonl", 600)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "wirekit", "publish", str(archive), "--out", str(out)]
    command += ["--formats", ",".join(FAST), "-j", "2"]
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    old = _tree(out)
    _archive(archive, 600, edition=1)
    rng = random.Random(20251128)
    for _attempt in range(3):
        process = subprocess.Popen(
            command, cwd=tmp_path, stdout=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(rng.uniform(0.4, 1.2))
        os.killpg(process.pid, signal.SIGKILL)  # its pool workers too: none is left behind
        process.wait()
        for path in out.rglob("*"):
            temporary = any(part.endswith(".tmp") for part in path.relative_to(out).parts)
            if path.is_file() and not temporary and path.name not in (RUNNING, LOCK):
                relative = str(path.relative_to(out))
                data = path.read_bytes()
                assert _whole(path), relative
                if relative.endswith("article.json"):
                    assert orjson.loads(data)["headline"].endswith(("edition 0", "edition 1"))
        assert old.keys() <= _tree(out).keys()  # nothing published went missing
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    assert not list(out.rglob("*.tmp")) and not (out / RUNNING).exists()
    clean = tmp_path / "clean"
    fresh = [*command[:6], str(clean), *command[7:]]
    subprocess.run(fresh, check=True, capture_output=True, cwd=tmp_path)
    assert _tree(out) == _tree(clean)


def test_a_feed_without_a_title_is_misuse_found_before_anything_is_written(
    tmp_path: Path,
) -> None:
    with pytest.raises(UsageError, match="the atom feed needs a title"):
        Publisher(tmp_path / "out", config=Config(), formats=("json", "atom"))
    assert not (tmp_path / "out").exists()


def test_the_cli_reports_a_summary_and_exit_code(run_wirekit: Any, tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.jsonl", 3)
    with archive.open("a", encoding="utf-8") as stream:
        stream.write("{bad\n")
    code, out, err = run_wirekit(
        "publish", str(archive), "--out", str(tmp_path / "out"), "--formats", "json,index"
    )
    assert code == 1
    assert "3 articles (3 public): 4 files written" in out
    assert "line 4" in err and "Traceback" not in err


@pytest.mark.skipif(os.environ.get("WIREKIT_SKIP_DIST") == "1", reason="dist check disabled")
def test_dist_is_what_publishing_the_seeds_produces(tmp_path: Path) -> None:
    """dist/ is committed; it must be exactly what `wirekit publish seeds/ --out dist/` gives
    now. When this fails, run `make demo` and commit dist/."""
    fresh = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "wirekit", "publish", "seeds/", "--out", str(fresh)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    committed = _tree(ROOT / "dist")
    produced = _tree(fresh)
    stale = sorted(set(committed) ^ set(produced)) + sorted(
        name for name in committed.keys() & produced.keys() if committed[name] != produced[name]
    )
    assert not stale, f"dist/ is stale (run `make demo` and commit it): {stale[:10]}"
