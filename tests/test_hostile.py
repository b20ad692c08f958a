"""The hostile corpus (``tests/hostile/``) through every command, in guarded child processes.

Each input in ``tests/hostile/manifest.toml`` goes through ``wirekit validate``, ``convert`` (to
a representative set of formats: canonical JSON, NewsML-G2, HTML, Turtle and RSS; a few valid but
nasty inputs go to every exporter), ``publish`` and ``load`` (the embedded store), each in a
child forked from a warm server (:mod:`tests.hostile.driver`) with:

- no network: every connection attempt is refused and logged, and must not happen at all;
- ``RLIMIT_AS`` of :data:`~tests.hostile.runner.MEMORY_LIMIT` (1.5 GiB) and a 60 s timeout;
- its own working folder, ``HOME`` and ``TMPDIR``, so a stray write shows.

Every run must end with the manifest's exit code, no traceback, every stderr line a one-line
``wirekit: `` message, the expected message on a line naming the file, no file outside its
output folder, no ``.tmp`` leftover and no partial output (every file parses). Publish and load
also get a valid companion article, which must come through whatever the hostile input does:
one bad file must not take a batch down.

All runs happen once, in parallel, on first use (only those the selected tests need); the
parametrized tests then judge one run each, so a failure names its input and command.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.hostile import generate
from tests.hostile.runner import MEMORY_LIMIT, ROOT, SPECS, Outcome, Pool, Run
from tests.test_schemaorg_support import no_network  # noqa: F401 (an autouse fixture)
from wirekit import files
from wirekit.errors import printable
from wirekit.site.manifest import MANIFEST as PUBLISHED
from wirekit.site.manifest import read as read_manifest

HOSTILE = ROOT / "tests" / "hostile"
MANIFEST: dict[str, dict[str, Any]] = tomllib.loads(
    (HOSTILE / "manifest.toml").read_text(encoding="utf-8")
)
CONVERT = ("json", "newsml-g2", "html", "turtle", "rss")
"""The representative formats every input is converted to: canonical, XML, a page embedding
JSON-LD, RDF, and a collection."""
COMMANDS = ("validate", *(f"convert-{name}" for name in CONVERT), "publish", "load")
EVERY_EXPORTER = (
    "html/script-breakout.json",
    "json/nul-in-extensions.json",
    "json/deep-extensions.json",
    "names/javascript-iris.json",
    "names/traversal-id.json",
    "text/bidi-override.txt",
    "jsonld/cyclic-graph.jsonld",
)
"""Valid but nasty inputs that also go to every exporter."""
COMPANION = {
    "id": "urn:example:companion",
    "version": 1,
    "slug": "companion",
    "headline": "A story that must come through",
    "language": "en",
    "datePublished": "2025-07-31T10:00:00Z",
    "body": [{"type": "paragraph", "text": "Whatever else is in the batch."}],
}
CONFIG = f"""base_iri = "https://news.example.org/id/"
base_url = "https://news.example.org/"
language = "en"
specs = "{SPECS}"
[publisher]
name = "Hostile Desk"
url = "https://news.example.org/"
"""


def _exporters() -> tuple[str, ...]:
    from wirekit import registry

    return tuple(cls.name for cls in registry.exporter_classes())


def _commands(key: str) -> tuple[str, ...]:
    spec = MANIFEST[key]
    if "commands" in spec:
        return tuple(spec["commands"])
    if key in EVERY_EXPORTER:
        extra = tuple(f"convert-{name}" for name in _exporters() if name not in CONVERT)
        return (*COMMANDS, *extra)
    return COMMANDS


CASES = [(key, command) for key in MANIFEST for command in _commands(key)]


def _expected(key: str, command: str) -> dict[str, Any]:
    spec = MANIFEST[key]
    base = {"exit": spec["exit"], "message": spec.get("message")}
    override = spec.get(command.split("-", 1)[0], {})
    return {**base, **override}


# --- running everything once ----------------------------------------------------------------


@dataclass
class Case:
    """One input's folder: the input itself, and a working folder per command."""

    key: str
    folder: Path
    path: Path
    user: int | None = None
    before: dict[str, int] = field(default_factory=dict)


@dataclass
class Corpus:
    cases: dict[str, Case]
    outcomes: dict[tuple[str, str], Outcome]
    listener: socket.socket


def _input(key: str, folder: Path) -> tuple[Path, int | None]:
    if not key.startswith("generated/"):
        return HOSTILE / key, None
    made = folder / "input"
    made.mkdir()
    name = key.removeprefix("generated/")
    path = generate.AT_TEST_TIME[name](made)
    if name == "unreadable.json" and os.geteuid() == 0:
        return path, 65534  # root reads anything: run that one as nobody
    return path, None


def _argv(command: str, path: Path, work: Path, companion: Path) -> tuple[str, ...]:
    out = work / "out"
    if command == "validate":
        return ("validate", str(path))
    if command == "publish":
        return ("publish", str(path), str(companion), "--out", str(out), "-j", "1")
    if command == "load":
        return ("load", str(path), str(companion), "--store", str(out / "store"))
    name = command.removeprefix("convert-")
    from wirekit import registry

    if registry.exporter(name).collection:
        target = str(out / f"collection{registry.exporter(name).file_extension}")
    else:
        target = str(out) + "/"
    return ("convert", str(path), "--to", name, "-o", target)


def _listing(folder: Path) -> dict[str, int]:
    found = {}
    for path in folder.rglob("*"):
        if ".runs" in path.parts:
            continue
        try:
            found[str(path.relative_to(folder))] = path.lstat().st_mtime_ns
        except OSError:
            continue
    return found


def _prepare(key: str, base: Path, port: int) -> tuple[Case, list[Run]]:
    folder = base / key.replace("/", "__")
    folder.mkdir(parents=True)
    os.environ["WIREKIT_LISTENER_PORT"] = str(port)
    path, user = _input(key, folder)
    case = Case(key, folder, path, user)
    runs = []
    for command in _commands(key):
        work = folder / command
        (work / "out").mkdir(parents=True)
        (work / "wirekit.toml").write_text(CONFIG, encoding="utf-8")
        companion = work / "companion.json"
        companion.write_text(json.dumps(COMPANION), encoding="utf-8")
        if user is not None:
            for item in (folder, work, work / "out"):
                item.chmod(0o777)
        runs.append(Run(_argv(command, path, work, companion), work, command, user=user))
    case.before = _listing(folder)
    return case, runs


_LISTENING = [key for key in MANIFEST if key.endswith(("-listener.xml", "-listener.jsonld"))]
AUXILIARY: dict[str, list[tuple[str, str]]] = {
    "test_valid_hostile_inputs_publish_trees_every_official_validator_accepts": [
        (key, "publish") for key in MANIFEST if "publish" in _commands(key)
    ],
    "test_script_breakers_stay_text_in_the_page": [("html/script-breakout.json", "convert-html")],
    "test_iris_of_other_schemes_never_become_links": [
        ("names/javascript-iris.json", command)
        for command in ("convert-html", "publish", "convert-rss", "convert-atom")
    ],
    "test_names_written_are_safe": [
        (key, command) for key in MANIFEST if key.startswith("names/") for command in COMMANDS
    ],
    "test_nothing_reaches_the_escape_marker": [
        (key, command) for key in MANIFEST if key.startswith("names/") for command in COMMANDS
    ],
    "test_the_local_listener_was_never_contacted": [
        (key, command) for key in _LISTENING for command in _commands(key)
    ],
    "test_every_wrong_type_is_named_by_line_and_pointer": [
        ("generated/wrong-types.jsonl", "validate")
    ],
    "test_the_unreadable_file_is_really_unreadable_to_its_reader": [
        ("generated/unreadable.json", "validate")
    ],
    "test_a_warning_about_a_page_names_the_page": [("jsonld/script-breakout.html", "validate")],
}
"""The runs each test that is not one run's judge reads."""


@pytest.fixture(scope="module")
def corpus(request: pytest.FixtureRequest) -> Iterator[Corpus]:
    """Every selected (input, command) run, done once, in parallel."""
    wanted: set[tuple[str, str]] = set()
    for item in request.session.items:
        if getattr(item, "module", None) is None or item.module.__name__ != __name__:  # type: ignore[attr-defined]
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "case" in callspec.params:
            wanted.add(tuple(callspec.params["case"]))
        wanted.update(AUXILIARY.get(getattr(item, "originalname", item.name), []))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    base = Path(tempfile.mkdtemp(prefix="wirekit-hostile-"))
    base.chmod(0o755)  # the unreadable-file run is made as nobody, who must reach its folder
    cases: dict[str, Case] = {}
    runs: list[Run] = []
    keys = sorted({key for key, _ in wanted})
    for key in keys:
        case, planned = _prepare(key, base, port)
        cases[key] = case
        runs.extend(run for run in planned if (key, run.name) in wanted)
    pool = Pool()
    try:
        outcomes = {
            (outcome.run.cwd.parent.name, outcome.run.name): outcome for outcome in pool.map(runs)
        }
    finally:
        pool.close()
    by_key = {
        (key, command): outcomes[(case.folder.name, command)]
        for key, case in cases.items()
        for command in _commands(key)
        if (case.folder.name, command) in outcomes
    }
    try:
        yield Corpus(cases, by_key, listener)
    finally:
        listener.close()
        shutil.rmtree(base, ignore_errors=True)


# --- what every run must do -----------------------------------------------------------------


def _xml_whole(data: bytes) -> None:
    from lxml import etree

    etree.fromstring(data, etree.XMLParser(huge_tree=True, resolve_entities=False))


def _rdf_whole(data: bytes, syntax: str) -> None:
    import io

    import pyoxigraph

    list(pyoxigraph.parse(io.BytesIO(data), format=getattr(pyoxigraph.RdfFormat, syntax)))


_RDF = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG", ".rdf": "RDF_XML"}


def assert_whole(path: Path) -> None:
    """The file is complete: it parses as what its name says (a cut file does not)."""
    data = path.read_bytes()
    suffix = path.suffix
    if path.name.endswith(files.LOCK):  # a tree's or a store's lock: empty by design
        assert data == b"", path
    elif suffix in (".json", ".jsonld"):
        orjson.loads(data)
    elif suffix in (".jsonl", ".ndjson"):
        for line in data.splitlines():
            orjson.loads(line)
    elif suffix in (".xml", ".nitf"):
        _xml_whole(data)
    elif suffix == ".html":
        assert data.rstrip().endswith(b"</html>"), f"{path.name}: cut short"
    elif suffix in _RDF:
        _rdf_whole(data, _RDF[suffix])
    elif suffix == ".md":  # the Markdown plugins (exporters/): UTF-8 text, ended by its newline
        assert data.decode("utf-8").endswith("\n"), f"{path.name}: cut short"
    else:
        raise AssertionError(f"{path}: no check for this kind of file")


def _outputs(work: Path) -> list[Path]:
    out = work / "out"
    return sorted(
        p for p in out.rglob("*") if p.is_file() and "store" not in p.relative_to(out).parts
    )


def _forbidden_in(spec: dict[str, Any], outcome: Outcome, files: list[Path]) -> None:
    for text in spec.get("forbidden", []):
        assert text not in outcome.stdout + outcome.stderr, f"{text!r} in the messages"
        for path in files:
            assert text.encode() not in path.read_bytes(), f"{text!r} in {path.name}"


def check_run(corpus: Corpus, key: str, command: str) -> None:
    """The rules every hostile run obeys (see the module documentation)."""
    case = corpus.cases[key]
    outcome = corpus.outcomes[(key, command)]
    spec = MANIFEST[key]
    expected = _expected(key, command)
    err = outcome.stderr
    shown = f"{' '.join(outcome.run.argv)}\n--- stderr:\n{err[:3000]}"
    assert not outcome.timed_out, f"timed out: {shown}"
    assert outcome.signal is None, f"killed by signal {outcome.signal}: {shown}"
    assert "Traceback" not in err and "internal error" not in err, shown
    assert outcome.code == expected["exit"], shown
    assert outcome.network == [], f"network attempts: {outcome.network}"
    assert outcome.maxrss_kib * 1024 < MEMORY_LIMIT, outcome.maxrss_kib
    lines = err.splitlines()
    assert all(line.startswith("wirekit: ") for line in lines), shown
    name = printable(str(case.path))  # as messages print it: a control character escaped
    if expected["exit"] == 1 and expected.get("message"):
        assert any(name in line and expected["message"] in line for line in lines), shown
    if spec.get("warning"):
        assert any(spec["warning"] in line for line in lines), shown
    # nothing written outside the output folder, and nothing left half-written
    work = outcome.run.cwd
    added = set(_listing(case.folder)) - set(case.before)
    outside = sorted(p for p in added if p.split("/")[1:2] != ["out"])
    assert outside == [], f"written outside the output folder: {outside}"
    leftovers = [str(p) for p in case.folder.rglob("*.tmp")]
    assert leftovers == [], leftovers
    files = _outputs(work)
    for path in files:
        assert_whole(path)
    _forbidden_in(spec, outcome, files)
    if command.startswith("convert-") and expected["exit"] == 0:
        assert files, f"nothing written: {shown}"
    if command == "publish":
        _check_published(work / "out", expected["exit"])
    if command == "load" and outcome.code is not None and expected["exit"] in (0, 1):
        _check_loaded(work / "out" / "store")


def _check_published(out: Path, code: int) -> None:
    """The companion came through whole, whatever the hostile input did."""
    articles = read_manifest(out / PUBLISHED).articles
    assert "companion" in articles, sorted(articles)
    folder = out / "articles" / "companion"
    assert (folder / "article.json").is_file() and (folder / "index.html").is_file()
    if code == 1:
        names = sorted(p.name for p in (out / "articles").iterdir())
        assert "companion" in names


def _check_loaded(store: Path) -> None:
    import pyoxigraph

    graphs = {str(g.value) for g in pyoxigraph.Store.read_only(str(store)).named_graphs()}
    assert "urn:example:companion" in graphs, sorted(graphs)


def _params() -> list[Any]:
    params = []
    for key, command in CASES:
        marks = []
        spec = MANIFEST[key]
        if "xfail" in spec and command in spec.get("xfail_commands", COMMANDS):
            marks.append(pytest.mark.xfail(strict=True, reason=spec["xfail"]))
        params.append(pytest.param((key, command), id=f"{key}-{command}", marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_hostile_input(corpus: Corpus, case: tuple[str, str]) -> None:
    check_run(corpus, *case)


# --- what some inputs must do besides -------------------------------------------------------


def test_valid_hostile_inputs_publish_trees_every_official_validator_accepts(
    corpus: Corpus,
) -> None:
    """Inputs that are valid however nasty (traversal ids, script breakers, RTL overrides, NUL
    in extensions, XInclude) publish trees that pass ``wirekit check``: the NewsML-G2 XSD, the
    ninjs schema, JSON-LD isomorphic with Turtle, the feed rules."""
    from wirekit.config import load as load_config
    from wirekit.site.check import check_tree

    checked = 0
    for (key, command), outcome in corpus.outcomes.items():
        if command != "publish" or outcome.code != 0 or key.startswith("generated/line-"):
            continue
        out = outcome.run.cwd / "out"
        verdicts = check_tree(out, load_config(outcome.run.cwd / "wirekit.toml"))
        failed = [v for v in verdicts if v.status != "ok"]
        assert failed == [], (key, failed)
        checked += 1
    assert checked >= 15


def test_script_breakers_stay_text_in_the_page(corpus: Corpus) -> None:
    """``</script>``, ``<!--`` and ``<script>`` in every text field: the page still has exactly
    one script, its JSON-LD is the jsonld exporter's document, and no text became markup."""
    import lxml.html

    from wirekit import registry
    from wirekit.config import load as load_config
    from wirekit.sources import Reader

    outcome = corpus.outcomes[("html/script-breakout.json", "convert-html")]
    (page,) = _outputs(outcome.run.cwd)
    tree = lxml.html.document_fromstring(page.read_bytes())
    scripts = tree.xpath("//script")
    assert len(scripts) == 1 and scripts[0].get("type") == "application/ld+json"
    config = load_config(outcome.run.cwd / "wirekit.toml")
    (result,) = Reader(config).read(HOSTILE / "html/script-breakout.json")
    assert result.article is not None
    with pytest.warns():
        jsonld = registry.exporter("jsonld")(config).export(result.article)
    assert orjson.loads(scripts[0].text) == orjson.loads(jsonld)
    assert not tree.xpath("//script[@src] | //*[starts-with(name(), 'script') and not(@type)]")
    assert result.article.headline in tree.xpath("string(//h1)")


def test_iris_of_other_schemes_never_become_links(corpus: Corpus) -> None:
    """A ``javascript:`` or ``data:`` IRI is a valid id or sameAs; no output may link it."""
    for command in ("convert-html", "publish", "convert-rss", "convert-atom"):
        outcome = corpus.outcomes[("names/javascript-iris.json", command)]
        for path in _outputs(outcome.run.cwd):
            data = path.read_bytes()
            for scheme in (b"javascript:", b"data:"):
                assert b'href="' + scheme not in data and b"href='" + scheme not in data


def test_names_written_are_safe(corpus: Corpus) -> None:
    """Whatever the id or slug, every name written is short ASCII, not a Windows device name."""
    import re

    reserved = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
    for (key, command), outcome in corpus.outcomes.items():
        if not key.startswith("names/") or outcome.code != 0:
            continue
        for path in (outcome.run.cwd / "out").rglob("*"):
            name = path.name
            assert name.isascii() and len(name) <= 120, (key, command, name)
            assert not reserved.fullmatch(name), (key, command, name)


def test_nothing_reaches_the_escape_marker(corpus: Corpus) -> None:
    """The traversal ids aim at ``wirekit-escape-marker`` above the output folder: the name may
    appear in a (sanitised) name inside an output folder, nowhere else."""
    base = next(iter(corpus.cases.values())).folder.parent
    found = [
        p
        for p in base.rglob(f"*{generate.ESCAPE_MARKER}*")
        if p.name == generate.ESCAPE_MARKER or p.relative_to(base).parts[2:3] != ("out",)
    ]
    assert found == []
    assert not Path("/tmp", generate.ESCAPE_MARKER).exists()
    assert not (ROOT / generate.ESCAPE_MARKER).exists()


def test_the_local_listener_was_never_contacted(corpus: Corpus) -> None:
    """The listener inputs point an external DTD, a schemaLocation and a JSON-LD context at a
    live port: libxml2 and the JSON-LD loader are C and Python code the socket guard may not
    see, so the port itself must have had no visitor."""
    assert ("generated/external-dtd-listener.xml", "validate") in corpus.outcomes
    with pytest.raises(BlockingIOError):
        corpus.listener.accept()


def test_every_wrong_type_is_named_by_line_and_pointer(corpus: Corpus) -> None:
    """One JSON Lines file holds the rich article with a wrong type in each field in turn
    (generated from the schema): each line is reported with its field's JSON pointer."""
    from wirekit import schema

    outcome = corpus.outcomes[("generated/wrong-types.jsonl", "validate")]
    cases = generate.wrong_type_cases(schema.schema())
    assert len(cases) >= 90
    lines = outcome.stderr.splitlines()
    for number, (pointer, _) in enumerate(cases, 1):
        wanted = f": line {number}: {pointer}: "
        assert any(wanted in line for line in lines), wanted
    assert lines[-1] == f"wirekit: {len(cases)} invalid, 0 valid"


def test_the_unreadable_file_is_really_unreadable_to_its_reader(corpus: Corpus) -> None:
    """Running as root would read a mode-000 file; the test must not pass for that reason."""
    case = corpus.cases["generated/unreadable.json"]
    assert case.user is not None or os.geteuid() != 0


# --- the corpus itself ----------------------------------------------------------------------


def test_the_manifest_covers_the_corpus_and_the_corpus_its_source() -> None:
    committed = generate.committed()
    on_disk = {
        str(p.relative_to(HOSTILE))
        for p in HOSTILE.rglob("*")
        if p.is_file()
        and p.suffix not in (".py", ".toml", ".pyc")
        and not {"guard", "__pycache__", "xml", "fuzz"} & set(p.relative_to(HOSTILE).parts)
    }
    assert on_disk == set(committed), "run python -m tests.hostile.generate"
    for name, data in committed.items():
        assert (HOSTILE / name).read_bytes() == data, (
            f"{name}: run python -m tests.hostile.generate"
        )
    xml = {f"xml/{p.name}" for p in (HOSTILE / "xml").glob("*.xml")}
    generated = {f"generated/{name}" for name in generate.AT_TEST_TIME}
    assert set(MANIFEST) == set(committed) | xml | generated
    assert len(MANIFEST) >= 40
    for key, spec in MANIFEST.items():
        assert spec["exit"] in (0, 1), key
        assert spec["exit"] == 0 or spec.get("message"), f"{key}: say what it must produce"


def test_the_real_command_behaves_as_the_fork_server_does(tmp_path: Path) -> None:
    """The fork server runs :func:`wirekit.cli.main` in a warm child; the console script runs
    the same function in a fresh interpreter. A few inputs through the real thing, guarded the
    same way (``sitecustomize``), must give the same exit code and message."""
    import subprocess
    import sys

    guard = HOSTILE / "guard"
    env = {
        **os.environ,
        "PYTHONPATH": f"{guard}{os.pathsep}{ROOT}",
        "WIREKIT_GUARD": "1",
        "WIREKIT_MEMORY_LIMIT": str(MEMORY_LIMIT),
        "MALLOC_ARENA_MAX": "2",
        "WIREKIT_NETWORK_LOG": str(tmp_path / "network.log"),
    }
    (tmp_path / "wirekit.toml").write_text(CONFIG, encoding="utf-8")
    for key in (
        "xml/xxe-local-file.xml",
        "json/duplicate-keys.json",
        "jsonld/remote-context.jsonld",
    ):
        spec = MANIFEST[key]
        done = subprocess.run(
            [sys.executable, "-m", "wirekit", "convert", str(HOSTILE / key), "--to", "json"],
            capture_output=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
            check=False,
        )
        err = done.stderr.decode()
        assert done.returncode == spec["exit"], err
        assert err.startswith(f"wirekit: {HOSTILE / key}: ") and spec["message"] in err, err
        assert len(err.splitlines()) == 1 and done.stdout == b""
    assert not (tmp_path / "network.log").exists()


def test_the_guard_refuses_and_logs_a_connection(tmp_path: Path) -> None:
    """The network guard the children run under works (so the tests above could fail)."""
    import subprocess
    import sys

    log = tmp_path / "network.log"
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "except OSError as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(HOSTILE / "guard"),
        "WIREKIT_GUARD": "1",
        "WIREKIT_NETWORK_LOG": str(log),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=env, timeout=60, check=True
    )
    assert done.stdout.decode().strip() == "NetworkBlocked"
    assert "192.0.2.1" in log.read_text(encoding="utf-8")


def test_a_named_pipe_in_an_input_folder_is_skipped_not_waited_for(tmp_path: Path) -> None:
    """A FIFO with no writer would block a reader forever; publish and load search folders for
    regular files only, so one left in an input folder cannot hang a batch. (A FIFO named on the
    command line is read like stdin: it waits for its writer, as ``cat`` does.)"""
    folder = tmp_path / "inputs"
    folder.mkdir()
    os.mkfifo(folder / "pipe.json")
    (folder / "story.json").write_text(json.dumps(COMPANION), encoding="utf-8")
    (tmp_path / "wirekit.toml").write_text(CONFIG, encoding="utf-8")
    pool = Pool(1)
    try:
        runs = [
            Run(("publish", str(folder), "--out", str(tmp_path / "out")), tmp_path, "publish"),
            Run(("load", str(folder), "--store", str(tmp_path / "store")), tmp_path, "load"),
        ]
        for outcome in pool.map(run for run in runs):
            assert not outcome.timed_out and outcome.code == 0, outcome.stderr
    finally:
        pool.close()
    assert (tmp_path / "out/articles/companion/article.json").is_file()


def test_a_publish_of_only_bad_inputs_names_them(run_wirekit: Any, tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text(CONFIG, encoding="utf-8")
    bad = HOSTILE / "json/duplicate-keys.json"
    code, _, err = run_wirekit("publish", str(bad), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert code == 1
    assert f"wirekit: {bad}: malformed JSON: duplicate key" in err, err


def test_a_warning_about_a_page_names_the_page(corpus: Corpus) -> None:
    outcome = corpus.outcomes[("jsonld/script-breakout.html", "validate")]
    warnings = [line for line in outcome.stderr.splitlines() if "warning" in line]
    assert warnings
    assert all("script-breakout.html" in line for line in warnings), warnings


def test_a_line_too_long_is_skipped_and_the_archive_read_on(tmp_path: Path) -> None:
    """The 16 MiB bound is per line of JSON Lines: the long line is named and skipped, the
    lines after it still come through (reading the long one costs one bounded chunk at a time)."""
    from wirekit.sources import Reader

    path = generate.AT_TEST_TIME["long-line.jsonl"](tmp_path)
    results = list(Reader().read(path))
    assert [r.place for r in results] == ["line 1", "line 2", "line 3"]
    assert results[0].article is not None and results[2].article is not None
    assert results[1].error is not None and "longer than 16 MiB" in str(results[1].error)


def test_a_document_over_the_bound_from_stdin_is_refused_too() -> None:
    """Stdin (or any stream that cannot say its size) is read to the bound and no further."""
    import io

    from wirekit.errors import InputError
    from wirekit.sources import MAX_DOCUMENT, _peekable

    data = b"x" * (MAX_DOCUMENT + 1)
    stream, head = _peekable(io.BufferedReader(io.BytesIO(data)))
    assert head == b"x" * 4096
    with pytest.raises(InputError, match="larger than 16 MiB"):
        stream.read()
    with pytest.raises(InputError, match="larger than 16 MiB"):  # one that cannot even peek
        _peekable(io.BytesIO(data))
    stream, _ = _peekable(io.BufferedReader(io.BytesIO(data[:MAX_DOCUMENT])))
    assert len(stream.read()) == MAX_DOCUMENT


def test_an_article_the_dump_refuses_fails_alone(run_wirekit: Any, tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text(CONFIG, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**COMPANION, "id": "urn:x:del", "slug": "del"}), encoding="utf-8")
    bad.write_text(bad.read_text().replace('"slug"', '"url": "https://x.example/a\\u007f", "slug"'))
    good = tmp_path / "companion.json"
    good.write_text(json.dumps(COMPANION), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_wirekit("publish", str(bad), str(good), "--out", str(out), cwd=tmp_path)
    assert code == 1
    assert f"wirekit: {bad}: " in err, err
    assert (out / PUBLISHED).is_file() and (out / "index.html").is_file()
