"""``wirekit load`` and ``wirekit query`` on the embedded Oxigraph store.

Loading is checked quad for quad against what the RDF exporters write, reloading against the
load before it (only a changed article's graph may change), the store's failures against the
one-line rule, a load killed with SIGKILL against a clean load, and the README's example queries
against the seeds, so the documentation cannot promise what the store does not answer.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests import kill_hook
from tests.conftest import ROOT, SEEDS
from tests.store_fixtures import (
    CONFIG,
    HEADLINE_QUERY,
    LIVE_SEEDS,
    README_QUERIES,
    SEED_HEADLINE,
    SEED_ID,
    VALENCIA,
    Cli,
    by_graph,
    errors,
    expected_quads,
    in_process,
    stored_quads,
)
from wirekit.config import Config
from wirekit.formats.schemaorg import rdf
from wirekit.model import Article
from wirekit.store.targets import EmbeddedStore, Graph, StoreError


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return in_process(capsys, monkeypatch)


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


# --- units -------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
def test_a_graph_in_nquads_is_what_the_nquads_exporter_writes(
    seed_articles: list[Article], repo_config: Config
) -> None:
    from wirekit.formats.schemaorg.mapping import article_iri

    for article in seed_articles:
        graph = Graph(article_iri(article, repo_config), rdf.ntriples(article, repo_config))
        assert graph.nquads == rdf.nquads([article], repo_config)
        assert graph.triples == len(rdf.triples(article, repo_config))


def test_render_csv_and_table_show_values_and_unbound_as_blank() -> None:
    payload = orjson.dumps(
        {
            "head": {"vars": ["a", "b"]},
            "results": {
                "bindings": [
                    {
                        "a": {"type": "uri", "value": "http://x/1"},
                        "b": {"type": "literal", "value": "two\nlines, and a comma"},
                    },
                    {"a": {"type": "uri", "value": "http://x/2"}},
                ]
            },
        }
    )
    assert render(payload, "csv") == ('a,b\nhttp://x/1,"two lines, and a comma"\nhttp://x/2,\n')
    assert render(payload, "tsv") == ("a\tb\nhttp://x/1\ttwo lines, and a comma\nhttp://x/2\t\n")
    table = render(payload, "table").splitlines()
    assert table[0].split() == ["a", "b"]
    assert table[2].startswith("http://x/1  two lines, and a comma")
    assert table[-1] == "(2 rows)"
    assert json.loads(render(payload, "json")) == json.loads(payload)
    assert render(b'{"head": {}, "boolean": true}', "csv") == "true\n"


def render(payload: bytes, form: str) -> str:
    """What ``wirekit query --format FORM`` prints for a server's SPARQL JSON answer."""
    import io

    from wirekit.store.results import from_json, write

    out = io.StringIO()
    write(from_json(io.BytesIO(payload), ValueError), form, out)
    return out.getvalue()


# --- loading -----------------------------------------------------------------------------------


def test_loading_seeds_twice_gives_the_same_quads_as_once(
    cli: Cli, tmp_path: Path, seed_articles: list[Article], repo_config: Config
) -> None:
    store = tmp_path / "store"
    code, out, err = cli("load", SEEDS, "--store", store, "-c", CONFIG)
    assert code == 0, err
    assert out.startswith(f"{LIVE_SEEDS} articles loaded (0 replaced), ")
    assert out.endswith("; 0 not loaded; 2 not public, removed\n")
    once = stored_quads(store)
    assert once == expected_quads(seed_articles, repo_config)
    assert len(by_graph(once)) == LIVE_SEEDS
    code, out, err = cli("load", SEEDS, "--store", store, "-c", CONFIG, "--batch-size", "2")
    assert code == 0, err
    assert out.startswith(f"{LIVE_SEEDS} articles loaded ({LIVE_SEEDS} replaced)")
    twice = stored_quads(store)
    assert twice == once
    assert len(twice) == len(once)


def test_a_reload_that_writes_the_stores_memory_out_between_transactions_loses_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a flush after every transaction (FLUSH_BYTES at one byte), a reload leaves exactly
    the quads of the first load, and the store was flushed once a batch."""
    from wirekit.store import targets

    store = tmp_path / "store"
    assert cli("load", SEEDS, "--store", store, "-c", CONFIG)[0] == 0
    once = stored_quads(store)
    flushes: list[int] = []
    real_open = EmbeddedStore._open

    class Counting:
        def __init__(self, opened: object) -> None:
            self.opened = opened

        def __getattr__(self, name: str) -> object:
            return getattr(self.opened, name)

        def __contains__(self, quad: object) -> bool:  # a dunder: not looked up by __getattr__
            return quad in self.opened  # type: ignore[operator]

        def flush(self) -> None:
            flushes.append(1)
            self.opened.flush()  # type: ignore[attr-defined]

    def counting_open(self: EmbeddedStore, *, writable: bool) -> object:
        opened = real_open(self, writable=writable)
        if writable and not isinstance(opened, Counting):
            opened = self._store = Counting(opened)
        return opened

    monkeypatch.setattr(targets, "FLUSH_BYTES", 1)
    monkeypatch.setattr(EmbeddedStore, "_open", counting_open)
    code, out, err = cli("load", SEEDS, "--store", store, "-c", CONFIG, "--batch-size", "2")
    assert code == 0, err
    assert out.startswith(f"{LIVE_SEEDS} articles loaded ({LIVE_SEEDS} replaced)")
    assert len(flushes) == -(-LIVE_SEEDS // 2) + 1, "one a transaction, and one as it closes"
    assert stored_quads(store) == once


def test_changing_one_headline_replaces_only_that_articles_graph(
    cli: Cli, tmp_path: Path, seeds_copy: Path
) -> None:
    store = tmp_path / "store"
    assert cli("load", seeds_copy, "--store", store, "-c", CONFIG)[0] == 0
    before = by_graph(stored_quads(store))
    changed = seeds_copy / "2025-08-12-valencia-flash-flood-warning.json"
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["headline"] = "Valencia lifts its red flood warning"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli("load", seeds_copy, "--store", store, "-c", CONFIG)
    assert code == 0, err
    after = by_graph(stored_quads(store))
    assert set(after) == set(before)
    for graph in before:
        if graph != f"<{VALENCIA}>":
            assert after[graph] == before[graph], graph
    gone = before[f"<{VALENCIA}>"] - after[f"<{VALENCIA}>"]
    new = after[f"<{VALENCIA}>"] - before[f"<{VALENCIA}>"]
    assert [q.split(" ")[1] for q in gone] == ["<http://schema.org/headline>"]
    assert [q for q in new if "Valencia lifts its red flood warning" in q]
    assert len(new) == 1


def test_a_published_tree_loads_its_articles_once(
    cli: Cli, tmp_path: Path, seed_articles: list[Article], repo_config: Config
) -> None:
    from wirekit.site.publish import Publisher

    dist = tmp_path / "dist"
    Publisher(dist, config=repo_config, formats=["json"], jobs=1).run(
        sorted(str(p) for p in SEEDS.iterdir())
    )
    store = tmp_path / "folders" / "not" / "there" / "store"  # made as needed
    code, out, err = cli("load", dist, "--store", store, "-c", CONFIG)
    assert code == 0, err
    assert out.startswith(f"{LIVE_SEEDS} articles loaded (0 replaced)")
    assert stored_quads(store) == expected_quads(seed_articles, repo_config)


def test_an_input_that_fails_is_named_and_the_rest_loads(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "urn:x:1"}', encoding="utf-8")
    store = tmp_path / "store"
    code, out, err = cli("load", SEEDS, bad, "--store", store, "-c", CONFIG)
    assert code == 1
    assert out.startswith(f"{LIVE_SEEDS} articles loaded")
    assert any("bad.json" in line for line in errors(err))
    assert "Traceback" not in err


# --- the store's own failures ------------------------------------------------------------------


def test_a_store_another_process_holds_is_one_line_and_queries_still_run(
    cli: Cli, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    assert cli("load", SEEDS, "--store", store, "-c", CONFIG)[0] == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('held', flush=True);"
            " sys.stdin.read()",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"held\n"
        code, out, err = cli("load", SEEDS, "--store", store, "-c", CONFIG)
        assert code == 1
        assert out == ""
        assert errors(err) == [
            f"wirekit: error: {store}: the store is in use by another process "
            "(another wirekit load?); run one load at a time"
        ]
        code, out, err = cli("query", HEADLINE_QUERY, "--store", store, "-c", CONFIG)
        assert code == 0, err
        assert SEED_HEADLINE in out
    finally:
        holder.communicate(b"", timeout=30)


def test_a_damaged_store_is_one_line(cli: Cli, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("load", SEEDS, "--store", store, "-c", CONFIG)[0] == 0
    (store / "CURRENT").write_text("nonsense\n")  # RocksDB's pointer to its manifest
    for command in (("load", SEEDS), ("query", HEADLINE_QUERY)):
        code, out, err = cli(*command, "--store", store, "-c", CONFIG)
        assert (code, out) == (1, ""), command
        assert errors(err) == [
            f"wirekit: error: {store}: the store is damaged (Corruption: CURRENT file "
            "corrupted); load into a new folder, or restore a backup"
        ]


def test_a_file_is_not_a_store(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "store"
    path.write_text("not a store")
    code, _, err = cli("load", SEEDS, "--store", path, "-c", CONFIG)
    assert code == 2, err
    assert len(errors(err)) == 1
    with pytest.raises(StoreError, match="not a store"):
        EmbeddedStore(path).open()


def test_a_query_without_a_store_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("query", HEADLINE_QUERY, "--store", tmp_path / "none", "-c", CONFIG)
    assert (code, out) == (2, "")
    assert "load something first" in err


# --- querying ----------------------------------------------------------------------------------


@pytest.fixture()
def seeds_store(cli: Cli, tmp_path: Path) -> Path:
    store = tmp_path / "store"
    code, _, err = cli("load", SEEDS, "--store", store, "-c", CONFIG)
    assert code == 0, err
    return store


def test_query_prints_a_table_csv_or_json(cli: Cli, seeds_store: Path) -> None:
    query = (
        "SELECT ?article ?published WHERE { ?article a <http://schema.org/NewsArticle> ; "
        "<http://schema.org/datePublished> ?published } ORDER BY ?article"
    )
    code, table, err = cli("query", query, "--store", seeds_store)
    assert code == 0, err
    lines = table.splitlines()
    assert lines[0].split() == ["article", "published"]
    assert set(lines[1]) == {"-", " "}
    assert lines[-1] == f"({LIVE_SEEDS} rows)"
    assert f"{VALENCIA}  " in table
    assert "2025-08-12T06:30:00+02:00" in table
    code, csv_text, _ = cli("query", query, "--store", seeds_store, "--format", "csv")
    rows = csv_text.splitlines()
    assert rows[0] == "article,published"
    assert len(rows) == LIVE_SEEDS + 1  # and the header
    assert f"{VALENCIA},2025-08-12T06:30:00+02:00" in rows
    code, json_text, _ = cli("query", query, "--store", seeds_store, "--format", "json")
    results = json.loads(json_text)
    assert results["head"]["vars"] == ["article", "published"]
    assert len(results["results"]["bindings"]) == LIVE_SEEDS
    assert {"type": "uri", "value": VALENCIA} in [
        row["article"] for row in results["results"]["bindings"]
    ]


def test_query_answers_ask_and_construct(cli: Cli, seeds_store: Path) -> None:
    import pyoxigraph

    code, out, _ = cli("query", f"ASK {{ <{SEED_ID}> ?p ?o }}", "--store", seeds_store)
    assert (code, out) == (0, "true\n")
    code, out, _ = cli("query", "ASK { <urn:nothing> ?p ?o }", "--store", seeds_store)
    assert (code, out) == (0, "false\n")
    construct = (
        f"CONSTRUCT {{ ?a <http://schema.org/headline> ?h }} WHERE {{ GRAPH <{SEED_ID}> "
        "{ ?a <http://schema.org/headline> ?h } }"
    )
    code, out, _ = cli("query", construct, "--store", seeds_store, "--format", "csv")
    assert code == 0
    (triple,) = pyoxigraph.parse(out.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert triple.subject == pyoxigraph.NamedNode(SEED_ID)
    assert triple.object.value.startswith(SEED_HEADLINE)


def test_a_query_that_is_not_sparql_is_a_usage_error(cli: Cli, seeds_store: Path) -> None:
    code, out, err = cli("query", "SELECT WHERE nonsense", "--store", seeds_store)
    assert (code, out) == (2, "")
    (line,) = errors(err)
    assert line.startswith("wirekit: error: the query is not valid SPARQL: ")


def test_query_reads_stdin(seeds_store: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wirekit", "query", "-", "--store", str(seeds_store)],
        input=HEADLINE_QUERY.encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert SEED_HEADLINE in done.stdout.decode()


@pytest.mark.parametrize("name", README_QUERIES)
def test_the_readme_example_queries_answer_what_it_says(
    cli: Cli, seeds_store: Path, name: str
) -> None:
    query, articles = README_QUERIES[name]
    code, out, err = cli("query", query, "--store", seeds_store, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["results"]["bindings"]
    assert [row["article"]["value"] for row in rows] == articles
    assert all(row["headline"]["value"] for row in rows)


def test_the_readme_shows_the_queries_that_are_tested() -> None:
    """Once the section is in the README, its SPARQL blocks must be the ones tested here."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    if "## Linked-data stores" not in text:
        pytest.skip("the README has no Linked-data stores section yet")
    section = text.split("## Linked-data stores", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r"```sparql\n(.*?)```", section, re.DOTALL)
    assert shown == [query for query, _ in README_QUERIES.values()]


def test_acceptance_the_seed_headline_after_loading_seeds(tmp_path: Path) -> None:
    """``wirekit load seeds/`` then ``wirekit query``, as a newcomer types them: in a folder
    holding the repository's wirekit.toml and seeds/, so the store is the default one."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copyfile(CONFIG, tmp_path / "wirekit.toml")

    def wirekit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wirekit", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    loaded = wirekit("load", "seeds/")
    assert loaded.returncode == 0, loaded.stderr
    assert (tmp_path / "wirekit-store").is_dir()
    found = wirekit("query", HEADLINE_QUERY, "--format", "csv")
    assert found.returncode == 0, found.stderr
    header, headline = found.stdout.splitlines()
    assert header == "headline"
    assert headline.startswith(SEED_HEADLINE)


# --- crash safety --------------------------------------------------------------------------------

KILLS = 3
ARTICLES = 250


def _load(
    archive: Path, store: Path, batch: int = 500, kill: str | None = None
) -> subprocess.Popen[bytes]:
    """``wirekit load`` in a process of its own; with ``kill`` (``BATCHES:SECONDS``), one that
    SIGKILLs itself at that point (:mod:`tests.kill_hook`)."""
    command = [sys.executable, "-m", "tests.kill_hook", "load", str(archive), "--store", str(store)]
    env = {**os.environ, kill_hook.VARIABLE: kill or ""}
    return subprocess.Popen(
        [*command, "--batch-size", str(batch), "-c", str(CONFIG)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, set[str]]]:
    """Two editions of a synthetic archive (every headline differs), each with the quads a
    clean load of it gives."""
    from benchmarks import generate

    folder = tmp_path_factory.mktemp("editions")
    found = []
    for edition in (0, 1):
        archive = folder / f"edition-{edition}.jsonl"
        with archive.open("wb") as stream:
            for data in generate.articles(ARTICLES):
                data["headline"] = f"{data['headline']} (edition {edition})"
                stream.write(generate.dumps(data))
        clean = folder / f"clean-{edition}"
        process = _load(archive, clean)
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()[-2000:]
        found.append((archive, stored_quads(clean)))
    return found


def test_a_load_killed_at_random_points_is_finished_exactly_by_a_rerun(
    tmp_path: Path, editions: list[tuple[Path, set[str]]]
) -> None:
    """Each round loads the other edition over the store, one graph a transaction, and the load
    SIGKILLs itself once a random share of its graphs is in, a random moment into the next
    transaction (:mod:`tests.kill_hook`), so it dies while replacing however busy the machine
    is; the rerun must leave exactly the quads of a clean load (a half-loaded or half-replaced
    graph would show)."""
    rng = random.Random(20250730)
    store = tmp_path / "store"
    # a store that exists, as a reload finds it (a new store is built aside and renamed in)
    shutil.copytree(editions[1][0].parent / "clean-1", store)
    midway = 0
    total = len(by_graph(editions[0][1]))
    for kill in range(KILLS):
        edition = kill % 2
        archive, clean = editions[edition]
        point = f"{rng.randint(total // 20, total * 3 // 10)}:{rng.uniform(0, 0.01):.4f}"
        process = _load(archive, store, batch=1, kill=point)
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == -signal.SIGKILL, stderr.decode()[-2000:]
        found = stored_quads(store)
        assert found <= clean | editions[1 - edition][1], "quads that neither edition has"
        midway += found != clean
        rerun = _load(archive, store)
        _, stderr = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, stderr.decode()[-2000:]
        after = stored_quads(store)
        assert after == clean, (len(after - clean), len(clean - after))
    assert midway == KILLS, "every load died with part of the other edition's graphs replaced"


def test_a_new_store_appears_whole_and_a_killed_builds_leftovers_are_swept(tmp_path: Path) -> None:
    """A new store is built aside and renamed in; a build whose load was killed is deleted by
    the next load into the same place, and only a build whose process is gone."""
    from benchmarks import generate

    archive = tmp_path / "a.jsonl"
    archive.write_bytes(generate.jsonl(40))
    store = tmp_path / "store"
    leftover = tmp_path / ".store.loading-999999999-1"  # no such process
    leftover.mkdir()
    (leftover / "CURRENT").write_text("x")
    theirs = tmp_path / ".store.loading-1-1"  # pid 1 is alive: not ours to delete
    theirs.mkdir()
    process = _load(archive, store, batch=5)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert store.is_dir()
    assert not leftover.exists()
    assert theirs.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".store.loading-1-1",
        ".store.wirekit-lock",  # the load lock, beside the store as its folder is Oxigraph's
        "a.jsonl",
        "store",
    ]
