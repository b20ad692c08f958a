"""wirekit check: a published tree passes, and each kind of damage is caught by the right check."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from wirekit.config import Config
from wirekit.config import load as load_config
from wirekit.site.check import Verdict, check_tree
from wirekit.site.publish import Publisher

ORIGINAL = "articles/2025-07-30-iran-venezuela-alliance"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tree") / "dist"
    summary = Publisher(out, config=load_config(ROOT / "wirekit.toml"), jobs=1).run(
        [ROOT / "seeds"]
    )
    assert not summary.failures
    return out


@pytest.fixture()
def config(specs: Path) -> Config:
    return load_config(ROOT / "wirekit.toml").override(specs=specs)


@pytest.fixture()
def tree(published: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "dist"
    shutil.copytree(published, copy)
    return copy


def _verdicts(tree: Path, config: Config) -> dict[str, Verdict]:
    return {verdict.path: verdict for verdict in check_tree(tree, config)}


def test_a_fresh_tree_passes_every_check(published: Path, config: Config) -> None:
    verdicts = _verdicts(published, config)
    failed = {path: v.detail for path, v in verdicts.items() if v.status != "ok"}
    assert not failed
    kinds = {Path(path).name for path in verdicts}
    assert {"newsml-g2.xml", "ninjs.json", "article.jsonld", "atom.xml", "rss.xml"} <= kinds
    assert "the same graph as article.ttl" in verdicts[f"{ORIGINAL}/article.jsonld"].detail


def test_without_specs_official_formats_are_not_checked_rather_than_passed(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREKIT_SPECS", str(tmp_path / "empty"))
    verdicts = _verdicts(published, Config())
    newsml, ninjs = verdicts[f"{ORIGINAL}/newsml-g2.xml"], verdicts[f"{ORIGINAL}/ninjs.json"]
    assert (newsml.status, ninjs.status) == ("not checked", "not checked")
    assert newsml.detail.startswith('run "wirekit specs fetch" to check NewsML-G2 against its XSD')
    assert ninjs.detail.startswith('run "wirekit specs fetch" to check ninjs 3.x against its JSON')


def test_check_finds_specs_by_the_lookup_and_strict_fails_on_anything_not_checked(
    published: Path, specs: Path, tmp_path: Path, run_wirekit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_wirekit("check", "--strict", str(published))  # $WIREKIT_SPECS
    assert code == 0, out + err
    assert out.splitlines()[-1].endswith(" 0 failed, 0 not checked"), out
    monkeypatch.setenv("WIREKIT_SPECS", str(tmp_path / "empty"))
    code, out, err = run_wirekit("check", str(published))
    assert code == 0, err
    assert 'not checked  run "wirekit specs fetch" to check NewsML-G2 against its XSD' in out
    code, out, err = run_wirekit("check", "--strict", str(published))
    assert code == 1
    assert err == "wirekit: --strict: some files could not be checked (see 'not checked' above)\n"
    code, out, err = run_wirekit("check", "--strict", "--specs", str(specs), str(published))
    assert code == 0, out + err


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return damage


_SCRIPT = '<script type="application/ld+json">{}</script></head>'
_VERSION = '"version": "https://jsonfeed.org/version/1.1"'
DAMAGE: list[Any] = [
    pytest.param(
        f"{ORIGINAL}/newsml-g2.xml",
        _replace("<itemMeta>", "<itemMeta><bogus/>"),
        "not expected",
        id="newsml-g2",
    ),
    pytest.param(f"{ORIGINAL}/ninjs.json", _replace('"uri"', '"uri_"'), "uri", id="ninjs"),
    pytest.param(
        f"{ORIGINAL}/article.json",
        _replace('"version": 1', '"version": 0'),
        "/version",
        id="canonical",
    ),
    pytest.param(
        f"{ORIGINAL}/article.jsonld", _replace("Tehran", "Teheran"), "differs", id="jsonld"
    ),
    pytest.param(f"{ORIGINAL}/article.nt", _replace(" .\n", "\n"), "N-TRIPLES", id="ntriples"),
    pytest.param(
        f"{ORIGINAL}/index.html", _replace("</head>", _SCRIPT), "2 JSON-LD", id="html-scripts"
    ),
    pytest.param("atom.xml", _replace("<id>", "<notid>"), "mismatch", id="atom-unbalanced"),
    pytest.param("rss.xml", _replace("<pubDate>", "<pubDate>yesterday "), "RFC 822", id="rss"),
    pytest.param("feed.json", _replace(_VERSION, '"version": "1.0"'), "1.1", id="jsonfeed"),
    pytest.param(
        "index.html",
        _replace('href="articles/', 'href="articles/gone-'),
        "missing article",
        id="index-links",
    ),
]


@pytest.mark.parametrize(("relative", "damage", "expected"), DAMAGE)
def test_each_kind_of_damage_fails_its_file(
    tree: Path, config: Config, relative: str, damage: Callable[[Path], None], expected: str
) -> None:
    damage(tree / relative)
    verdicts = _verdicts(tree, config)
    failed = {path: v.detail for path, v in verdicts.items() if v.status == "FAIL"}
    assert relative in failed, failed
    assert expected in failed[relative]


def test_the_cli_prints_a_table_and_exits_1_on_failure(
    run_wirekit: Any, tree: Path, specs: Path
) -> None:
    code, out, _ = run_wirekit("check", str(tree), "--specs", str(specs))
    assert code == 0
    assert out.splitlines()[-1].endswith("0 failed, 0 not checked")
    (tree / "rss.xml").write_text("<rss", encoding="utf-8")
    code, out, err = run_wirekit("check", str(tree), "--specs", str(specs))
    assert code == 1
    assert any(line.startswith("rss.xml") and "FAIL" in line for line in out.splitlines())
    assert "Traceback" not in err


def test_a_plugin_exporters_files_are_checked_through_its_own_hook(tmp_path: Path) -> None:
    """exporters/wirekit-markdown, installed as a separate package, declares check(path): the
    check loop over the registry reaches it like any built-in."""
    out = tmp_path / "site"
    formats = ["json", "html", "jsonld", "markdown", "front-matter"]
    summary = Publisher(out, config=load_config(ROOT / "wirekit.toml"), formats=formats, jobs=1)
    assert not summary.run([ROOT / "seeds"]).failures
    page = f"{ORIGINAL}/article.front-matter.md"
    verdicts = _verdicts(out, Config())
    assert verdicts[page].status == "ok"
    assert verdicts[page].detail.startswith("front matter with ")
    assert verdicts[f"{ORIGINAL}/article.markdown.md"].detail.startswith("CommonMark, ")
    damaged = out / page
    damaged.write_text(damaged.read_text(encoding="utf-8").replace("title: ", "headline: "))
    verdict = _verdicts(out, Config())[page]
    assert (verdict.status, verdict.detail) == ("FAIL", "the front matter has no title")
