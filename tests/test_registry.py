"""The plugin registry: lookups, guesses, sniffing, and one conformance suite that every
registered importer and exporter must pass, third-party plugins included (after Pygments'
``test_basic_api.py``): whatever is installed is what gets tested."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SEED_ARTICLE
from tests.strategies import articles
from wirekit import layout, registry
from wirekit.config import Config
from wirekit.errors import (
    InputError,
    LossyConversionWarning,
    UnknownFormat,
    UsageError,
    WirekitError,
)
from wirekit.model import Article
from wirekit.plugin import Exporter, Importer

EXPORTERS = registry.names("exporter")
IMPORTERS = registry.names("importer")
NAME = re.compile(r"[a-z0-9][a-z0-9._+-]*")
# RFC 6838 restricted names, lower-case (registries look them up lower-cased)
MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
EXTENSION = re.compile(r"(\.[a-z0-9]+)+")
HEAVY = ("lxml", "rdflib", "pyoxigraph", "jsonschema", "jsonschema_rs", "rich")


def exporter_class(name: str) -> type[Exporter]:
    return registry.load("exporter", name)


def importer_class(name: str) -> type[Importer]:
    return registry.load("importer", name)


# --- lookups ----------------------------------------------------------------------------------


def test_the_builtins_are_registered() -> None:
    assert {"json", "jsonl"} <= set(EXPORTERS)
    assert {"json", "text"} <= set(IMPORTERS)


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("json", "json"),
        ("JSON", "json"),
        ("canonical", "json"),
        ("application/json", "json"),
        ("Application/JSON", "json"),
        ("jsonl", "jsonl"),
        ("ndjson", "jsonl"),
        ("application/jsonl", "jsonl"),
    ],
)
def test_exporter_lookup_by_name_alias_and_media_type(key: str, name: str) -> None:
    assert registry.exporter(key).name == name


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("text", "text"),
        ("txt", "text"),
        ("wire", "text"),
        ("text/plain", "text"),
        ("json", "json"),
        ("jsonl", "json"),
        ("application/x-ndjson", "json"),
    ],
)
def test_importer_lookup_by_name_alias_and_media_type(key: str, name: str) -> None:
    assert registry.importer(key).name == name


def test_an_unknown_name_suggests_the_nearest() -> None:
    with pytest.raises(UnknownFormat) as raised:
        registry.exporter("jsn")
    assert str(raised.value) == "unknown exporter format 'jsn'; did you mean 'json'?"


@pytest.mark.parametrize(
    ("kind", "typo", "meant"),
    [("exporter", "jsonll", "jsonl"), ("importer", "txet", "text"), ("importer", "JSNO", "json")],
)
def test_the_suggestion_is_a_name_or_alias_of_the_nearest(kind: str, typo: str, meant: str) -> None:
    lookup = registry.exporter if kind == "exporter" else registry.importer
    with pytest.raises(UnknownFormat) as raised:
        lookup(typo)
    suggested = re.fullmatch(r".*; did you mean '([^']+)'\?", str(raised.value))
    assert suggested, str(raised.value)
    assert lookup(suggested.group(1)).name == meant


def test_a_hopeless_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormat) as raised:
        registry.exporter("zzzzqqqq")
    assert "known: " in str(raised.value)
    for name in EXPORTERS:
        assert name in str(raised.value)


def test_unknown_format_is_a_value_error_and_a_usage_error() -> None:
    assert issubclass(UnknownFormat, ValueError)
    assert issubclass(UnknownFormat, UsageError)
    with pytest.raises(ValueError):
        registry.exporter("no-such-format")
    with pytest.raises(ValueError):
        registry.load("importer", "no-such-format")


@pytest.mark.parametrize(
    ("path", "name"),
    [("out.json", "json"), ("dist/a.b/OUT.JSON", "json"), ("archive.jsonl", "jsonl")],
)
def test_exporter_for_path(path: str, name: str) -> None:
    assert registry.exporter_for_path(path).name == name


@pytest.mark.parametrize("path", ["out.unknownext", "out", "folder.d/out", ".json"])
def test_exporter_for_path_refuses_what_nothing_writes(path: str) -> None:
    with pytest.raises(UnknownFormat, match="--to"):
        registry.exporter_for_path(path)


@pytest.mark.parametrize("name", EXPORTERS)
def test_exporter_for_path_holds_for_every_registered_extension(name: str) -> None:
    """One claimant: it. Several: the one named after the extension, or a usage error."""
    extension = exporter_class(name).file_extension.lower()
    claimants = [n for n in EXPORTERS if exporter_class(n).file_extension.lower() == extension]
    named = [n for n in claimants if n == extension[1:]]
    if len(claimants) == 1 or named:
        assert registry.exporter_for_path("out" + extension).name == (named or claimants)[0]
    else:
        with pytest.raises(UsageError) as raised:
            registry.exporter_for_path("out" + extension)
        assert not isinstance(raised.value, UnknownFormat)
        assert all(n in str(raised.value) for n in claimants)


class _FakeExporter(Exporter):
    media_type = "application/xml"
    file_extension = ".xml"
    standard = "test"
    standard_version = "1"


def test_exporter_for_path_refuses_to_guess_between_equals(monkeypatch: pytest.MonkeyPatch) -> None:
    feed = type("Feed", (_FakeExporter,), {"name": "feed"})
    message = type("Message", (_FakeExporter,), {"name": "message"})
    xml = type("Xml", (_FakeExporter,), {"name": "xml"})
    json_exporter = exporter_class("json")

    def only(*found: type[Exporter]) -> None:
        table = {cls.name: cls for cls in found}
        monkeypatch.setattr(registry, "names", lambda kind: list(table))
        monkeypatch.setattr(registry, "_load", lambda kind, name: table[name])
        monkeypatch.setattr(registry, "_keys", lambda kind, name: registry.keys_of(table[name]))

    only(json_exporter, feed, message)
    with pytest.raises(UsageError) as raised:
        registry.exporter_for_path("out.xml")
    assert not isinstance(raised.value, UnknownFormat)
    assert "feed, message" in str(raised.value)
    assert "--to" in str(raised.value)
    only(feed, xml, message)
    assert registry.exporter_for_path("out.xml") is xml


def test_a_plugin_that_is_not_a_plugin_class_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bogus = EntryPoint(name="bogus", value="builtins:object", group="wirekit.exporters")
    monkeypatch.setattr(registry, "_entry_points", lambda kind: {"bogus": bogus})
    with pytest.raises(UsageError, match="bogus"):
        registry.load("exporter", "bogus")


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "path", "name"),
    [
        (b'{"id": "urn:x"}', None, "json"),
        (b"\xef\xbb\xbf\n  [{", None, "json"),
        (b"TEHRAN \xe2\x80\x93 Iranian President", None, "text"),
        (b"date 2025-07-30 TEHRAN", None, "text"),
        (b'{"id": "urn:x"}', "story.txt", "text"),
        (b"TEHRAN", "story.json", "json"),
        (b"TEHRAN", "story.JSONL", "json"),
        (b'{"id": "urn:x"}', "story.unknownext", "json"),
        (b"Plain words", "story.unknownext", "text"),
    ],
)
def test_importer_for(head: bytes, path: str | None, name: str) -> None:
    assert registry.importer_for(head, path).name == name


@pytest.mark.parametrize("path", [None, "mystery.unknownext"])
def test_nothing_claims_an_empty_input(path: str | None) -> None:
    with pytest.raises(UnknownFormat) as raised:
        registry.importer_for(b"", path)
    assert "--from" in str(raised.value)
    if path:
        assert str(raised.value).startswith(f"{path}: ")


# --- conformance: every registered plugin -----------------------------------------------------


def _entry_point(kind: str, name: str) -> EntryPoint:
    group = registry.GROUPS[kind]  # type: ignore[index]
    found = [ep for ep in entry_points(group=group) if ep.name.lower() == name]
    assert found, f"{name} is not an entry point in {group}"
    return found[0]


def _check_common(cls: type[Any], kind: str, name: str) -> None:
    assert isinstance(cls.name, str)
    assert cls.name == name == _entry_point(kind, name).name, "name must equal the entry point"
    assert NAME.fullmatch(cls.name), f"{cls.name!r}: lower-case letters, digits, . _ + -"
    assert isinstance(cls.aliases, tuple)
    for alias in cls.aliases:
        assert isinstance(alias, str)
        assert alias, "an empty alias"
        assert alias == alias.lower(), f"{alias!r}: aliases are lower-case too"
        assert not any(c.isspace() for c in alias), f"{alias!r}: no white space in an alias"
    assert isinstance(cls.description, str)
    assert cls.description.strip(), "one line for wirekit formats"
    assert "\n" not in cls.description
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in cls.options.items())
    with pytest.raises(UsageError, match="no option"):
        cls(Config(), no_such_option_xyz="1")


@pytest.mark.parametrize("name", EXPORTERS)
def test_exporter_metadata(name: str) -> None:
    cls = exporter_class(name)
    _check_common(cls, "exporter", name)
    assert issubclass(cls, Exporter)
    assert MEDIA_TYPE.fullmatch(cls.media_type), cls.media_type
    assert EXTENSION.fullmatch(cls.file_extension), cls.file_extension
    assert isinstance(cls.standard, str)
    assert cls.standard.strip()
    assert isinstance(cls.standard_version, str)
    assert cls.standard_version.strip()
    assert isinstance(cls.collection, bool)
    methods = ("write_parts", "export_collection") if cls.collection else ("export",)
    assert (cls.collection and cls.splits()) or any(
        getattr(cls, m) is not getattr(Exporter, m) for m in methods
    ), f"{name} must implement {' or '.join(methods)}"
    assert cls.published_name is None or isinstance(cls.published_name, str)
    assert "/" not in cls.tree_file() and cls.tree_file().endswith(cls.file_extension)
    dist = _entry_point("exporter", name).dist
    if dist is not None and dist.name == registry.BUILTIN_DISTRIBUTION:
        assert cls.check is not Exporter.check, f"{name} must declare how its output is checked"


def test_tree_files_are_unique_and_the_default_tree_is_ordered() -> None:
    for collection in (False, True):
        files = [
            cls.tree_file() for cls in registry.exporter_classes() if cls.collection is collection
        ]
        assert len(files) == len(set(files)), files
    published = layout.published()
    assert [cls.published_order for cls in published] == sorted(
        {cls.published_order for cls in published}
    )


@pytest.mark.parametrize("name", IMPORTERS)
def test_importer_metadata(name: str) -> None:
    cls = importer_class(name)
    _check_common(cls, "importer", name)
    assert issubclass(cls, Importer)
    assert isinstance(cls.media_types, tuple)
    assert cls.media_types
    assert isinstance(cls.file_extensions, tuple)
    for media_type in cls.media_types:
        assert MEDIA_TYPE.fullmatch(media_type), media_type
    for extension in cls.file_extensions:
        assert EXTENSION.fullmatch(extension), extension
    assert cls.read is not Importer.read, f"{name} must implement read"
    assert cls.sniff(b"") == 0.0, "nothing should claim an empty input"


@pytest.mark.parametrize("kind", ["importer", "exporter"])
def test_names_and_aliases_are_unique_and_each_finds_its_class(kind: str) -> None:
    owners: dict[str, str] = {}
    for cls in registry.classes(kind):  # type: ignore[arg-type]
        for key in (cls.name, *cls.aliases):
            assert key not in owners, f"{key!r} is claimed by {owners.get(key)} and {cls.name}"
            owners[key] = cls.name
            assert registry.load(kind, cls.name) is cls  # type: ignore[call-overload]
            found = registry.exporter(key) if kind == "exporter" else registry.importer(key)
            assert found is cls


@pytest.mark.parametrize("name", EXPORTERS)
def test_media_type_lookups_find_a_class_that_writes_that_media_type(name: str) -> None:
    media_type = exporter_class(name).media_type
    assert registry.exporter(media_type).media_type == media_type


@pytest.mark.parametrize("name", EXPORTERS)
def test_every_exporter_writes_the_seed_articles(
    name: str, seed_articles: list[Article], repo_config: Config
) -> None:
    assert seed_articles, "no seed articles"
    cls = exporter_class(name)
    exporter = cls(repo_config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossyConversionWarning)
        if cls.collection:
            outputs = [exporter.export_collection(seed_articles)]
            again = [cls(repo_config).export_collection(iter(seed_articles))]
        else:
            outputs = [exporter.export(article) for article in seed_articles]
            again = [cls(repo_config).export(article) for article in seed_articles]
    for output in outputs:
        assert isinstance(output, bytes)
        assert output.strip(), f"{name} wrote nothing"
    assert outputs == again, f"{name} is not deterministic (or keeps state between calls)"


BIG_INTEGER = Article.from_dict(
    {
        "id": "urn:example:big",
        "version": 1,
        "headline": "Big",
        "language": "en",
        "body": [{"type": "paragraph", "text": "Text."}],
        "extensions": {"example": {"count": 2**64, "debt": -(2**63) - 1}},
    }
)


@pytest.mark.parametrize("name", EXPORTERS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(articles(), min_size=1, max_size=3))
@example(batch=[BIG_INTEGER])
def test_every_exporter_raises_only_wirekit_errors(
    name: str, batch: list[Article], repo_config: Config
) -> None:
    cls = exporter_class(name)
    exporter = cls(repo_config)
    with warnings.catch_warnings():
        warnings.simplefilter("error", LossyConversionWarning)
        try:
            output = (
                exporter.export_collection(batch) if cls.collection else exporter.export(batch[0])
            )
        except (WirekitError, LossyConversionWarning):
            return
    assert isinstance(output, bytes)
    assert output


@pytest.mark.parametrize("name", IMPORTERS)
@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=200))
def test_every_importer_sniffs_and_reads_any_bytes_without_crashing(name: str, data: bytes) -> None:
    cls = importer_class(name)
    score = cls.sniff(data)
    assert isinstance(score, float) and 0.0 <= score <= 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = list(cls(Config()).read(io.BytesIO(data), "input"))
        except WirekitError:
            return
    for record in found:
        assert (record.data is None) != (record.error is None)
        assert record.error is None or isinstance(record.error, InputError)


# --- listing formats stays cheap --------------------------------------------------------------


def _imported_after(code: str) -> list[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, check=True, cwd=ROOT, timeout=120
    )
    modules: list[str] = json.loads(done.stdout.decode().splitlines()[-1])
    return modules


def _heavy(modules: list[str], banned: tuple[str, ...] = HEAVY) -> list[str]:
    return [m for m in modules if m.split(".")[0] in banned]


def test_import_wirekit_stays_light() -> None:
    modules = _imported_after("import wirekit")
    assert _heavy(modules, (*HEAVY, "typer", "click", "orjson")) == []


def test_listing_formats_imports_no_heavy_library() -> None:
    modules = _imported_after(
        "import wirekit\nfrom wirekit import registry\n"
        "list(registry.classes('importer'))\nlist(registry.classes('exporter'))"
    )
    assert _heavy(modules) == []
    assert "wirekit.formats.canonical.writer" in modules, "the probe did not load the exporters"


def test_the_formats_command_imports_no_heavy_format_library() -> None:
    modules = _imported_after(
        "from wirekit.cli import main\nimport atexit\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules))))\n"
        "sys.argv = ['wirekit', 'formats']\nmain()"
    )
    assert _heavy(modules, ("lxml", "rdflib", "pyoxigraph", "jsonschema", "jsonschema_rs")) == []


@pytest.fixture(scope="module")
def every_class() -> Iterator[list[type[Any]]]:
    yield [*registry.classes("importer"), *registry.classes("exporter")]


def test_plugin_classes_declare_class_level_metadata(every_class: list[type[Any]]) -> None:
    """Listing reads class attributes only, so nothing may need an instance to describe itself."""
    for cls in every_class:
        for attribute in ("name", "aliases", "description"):
            assert attribute in dir(cls)
        assert not isinstance(cls.__dict__.get("name"), property)


class _Recorder(Exporter):
    name = "recorder"
    media_type = "application/x-recorder"
    file_extension = ".rec"
    standard = "test"
    standard_version = "1"
    options: ClassVar[dict[str, str]] = {"level": "how loud"}


def test_options_come_in_at_construction() -> None:
    assert _Recorder(Config(), level="3").settings == {"level": "3"}
    with pytest.raises(
        UsageError, match=r"recorder takes no option 'volume' \(its options: level\)"
    ):
        _Recorder(Config(), volume="3")


# --- a real third-party plugin, installed the way a user would --------------------------------

PLUGIN = ROOT / "exporters" / "wirekit-markdown"


def _pip_install(source: Path, target: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("plugin")
    _pip_install(PLUGIN, target)
    assert (target / "wirekit_markdown" / "__init__.py").is_file()
    return target


def _with_path(*paths: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths))}


def _wirekit(*args: str, path: list[Path], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wirekit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_with_path(*path),
        check=False,
        timeout=300,
    )


def test_an_installed_plugin_is_listed(plugin_path: Path) -> None:
    done = _wirekit("formats", "--json", path=[plugin_path])
    assert done.returncode == 0, done.stderr
    exporters = {e["name"]: e for e in json.loads(done.stdout)["exporters"]}
    assert exporters["markdown"]["media_type"] == "text/markdown"
    assert exporters["markdown"]["extension"] == ".md"
    assert exporters["markdown"]["standard"] == "CommonMark 0.31.2"
    assert set(EXPORTERS) <= set(exporters) and {"markdown", "front-matter"} <= set(exporters)
    listing = _wirekit("formats", path=[plugin_path]).stdout
    assert "  markdown (md, commonmark): " in listing


def test_the_repositorys_plugins_come_from_their_own_distribution() -> None:
    """`make` installs exporters/* into the development environment as separate packages: their
    entry points belong to their distributions, not to wirekit's."""
    for name in ("markdown", "front-matter"):
        dist = _entry_point("exporter", name).dist
        assert dist is not None and dist.name == "wirekit-markdown", name


def _tokens(markdown: str) -> list[Any]:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").parse(markdown)


def test_an_installed_plugin_converts_the_seed(plugin_path: Path, tmp_path: Path) -> None:
    done = _wirekit("convert", str(SEED_ARTICLE), "--to", "markdown", path=[plugin_path])
    assert done.returncode == 0, done.stderr
    canonical = json.loads(_wirekit("convert", str(SEED_ARTICLE), "--to", "json", path=[]).stdout)
    lost = sorted(set(canonical) - {"headline", "subheadline", "authors", "dateline", "body"})
    assert done.stderr.splitlines() == [  # nothing lost in silence: one line names it all
        f"wirekit: warning: {canonical['id']}: markdown cannot carry " + ", ".join(lost)
    ]
    text = done.stdout
    assert text.startswith("# " + canonical["headline"] + "\n\n")
    assert "\n\n**TEHRAN –** Iranian President Masoud Pezeshkian and his" in text
    tokens = _tokens(text)
    headings = [t for t in tokens if t.type == "heading_open"]
    assert [h.tag for h in headings] == ["h1"]
    inline = [t.content for t in tokens if t.type == "inline"]
    assert inline[0] == canonical["headline"]
    paragraphs = [t for t in tokens if t.type == "paragraph_open"]
    assert len(paragraphs) == len(canonical["body"]) == 16
    # two plugin formats write .md: the extension alone is refused, --to decides
    target = tmp_path / "story.md"
    guessed = _wirekit("convert", str(SEED_ARTICLE), "-o", str(target), path=[plugin_path])
    assert guessed.returncode == 2
    assert "could be markdown, front-matter; say which with --to" in guessed.stderr
    chosen = _wirekit(
        "convert", str(SEED_ARTICLE), "-o", str(target), "--to", "md", path=[plugin_path]
    )
    assert chosen.returncode == 0, chosen.stderr
    assert target.read_text(encoding="utf-8") == text


def test_an_installed_plugin_escapes_what_markdown_would_read_as_markup(
    plugin_path: Path, tmp_path: Path
) -> None:
    article = {
        "id": "urn:example:1",
        "version": 1,
        "headline": "C# and *stars* [not](a link) <b>bold</b> &amp; #",
        "language": "en",
        "authors": [{"name": "Jane_Doe"}, {"name": "John Roe"}],
        "body": [
            {"type": "paragraph", "text": "1. Not a list"},
            {"type": "paragraph", "text": "> not a quote"},
            {"type": "heading", "level": 3, "text": "Level three"},
            {"type": "blockquote", "text": "- Quoted", "attribution": "Someone"},
            {"type": "list", "ordered": True, "items": ["first", "2. second"]},
        ],
        "images": [{"url": "https://example.org/a.jpg", "altText": "A [photo]", "caption": "Rain"}],
    }
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(article))
    done = _wirekit("convert", str(source), "--to", "md", path=[plugin_path])
    assert done.returncode == 0, done.stderr
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(done.stdout)
    assert "<h1>C# and *stars* [not](a link) &lt;b&gt;bold&lt;/b&gt; &amp;amp; #</h1>" in html
    assert "<p>By Jane_Doe and John Roe</p>" in html
    assert "<p>1. Not a list</p>" in html
    assert "<p>&gt; not a quote</p>" in html
    assert "<h3>Level three</h3>" in html
    assert "<blockquote>\n<p>- Quoted</p>\n<p>— Someone</p>\n</blockquote>" in html
    assert "<ol>\n<li>first</li>\n<li>2. second</li>\n</ol>" in html
    assert '<img src="https://example.org/a.jpg" alt="A [photo]" />' in html


def test_the_conformance_suite_covers_an_installed_plugin(plugin_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rA",
            "tests/test_registry.py",
            "-k",
            "markdown and not installed",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_with_path(plugin_path),
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    for check in (
        "test_exporter_metadata",
        "test_every_exporter_writes_the_seed_articles",
        "test_every_exporter_raises_only_wirekit_errors",
    ):
        assert f"PASSED tests/test_registry.py::{check}[markdown]" in done.stdout


def test_a_plugin_cannot_shadow_a_builtin(plugin_path: Path, tmp_path: Path) -> None:
    shadow = tmp_path / "shadow"
    info = shadow / "wirekit_shadow-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wirekit-shadow\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[wirekit.exporters]\njson = wirekit_markdown:MarkdownExporter\n"
    )
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlib.metadata import entry_points as e; "
            "print(sorted(p.value for p in e(group='wirekit.exporters') if p.name == 'json'))",
        ],
        capture_output=True,
        text=True,
        env=_with_path(shadow, plugin_path),
        check=True,
    )
    assert "wirekit_markdown:MarkdownExporter" in probe.stdout, "the shadow is not installed"
    done = _wirekit("convert", str(SEED_ARTICLE), "--to", "json", path=[shadow, plugin_path])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["slug"] == SEED_ARTICLE.stem
