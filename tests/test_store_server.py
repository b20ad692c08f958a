"""``wirekit load`` and ``wirekit query`` against a real Oxigraph server on a loopback port.

Each test starts its own ``oxigraph serve`` (:mod:`tests.oxigraph_server`) and stops it, also
when the test fails. Oxigraph has no authentication and always speaks the Graph Store Protocol,
so an in-process proxy plays the server that checks a password or a token, lacks the protocol,
fails its first requests, refuses one graph, or speaks TLS with a certificate nobody signed.
Nothing beyond 127.0.0.1 is contacted.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
from tests.oxigraph_server import OxigraphServer, oxigraph_binary, proxy, self_signed
from tests.store_fixtures import (
    CONFIG,
    HEADLINE_QUERY,
    IN_GRAPH_QUERY,
    LIVE_SEEDS,
    README_QUERIES,
    SEED_HEADLINE,
    SEED_ID,
    VALENCIA,
    Cli,
    errors,
    expected_quads,
    in_process,
)
from wirekit.audience import State, moment, public_state
from wirekit.config import Config
from wirekit.model import Article
from wirekit.store.load import Loader
from wirekit.store.targets import Endpoint, StoreError


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return in_process(capsys, monkeypatch)


CREDENTIALS = ("WIREKIT_ENDPOINT_USER", "WIREKIT_ENDPOINT_PASSWORD", "WIREKIT_ENDPOINT_TOKEN")
USER, PASSWORD = "loader", "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the shell running the tests holds, each test starts with no credentials."""
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)


def _server(location: Path) -> OxigraphServer:
    if oxigraph_binary() is None:
        pytest.fail(f"the oxigraph server binary is missing beside {sys.executable}")
    return OxigraphServer(location).start()


@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server, stopped when the test ends however it ends."""
    server = _server(tmp_path / "oxigraph")
    try:
        yield server
    finally:
        server.stop()


def load(cli: Cli, url: str, *inputs: Path | str, **env: str | None) -> tuple[int, str, str]:
    return cli("load", *(inputs or (SEEDS,)), "--endpoint", url, "-c", CONFIG, **env)


# --- idempotence ---------------------------------------------------------------------------------


def test_loading_seeds_twice_gives_the_same_quads_as_once(
    cli: Cli, oxigraph: OxigraphServer, seed_articles: list[Article], repo_config: Config
) -> None:
    code, out, err = load(cli, oxigraph.url)
    assert code == 0, err
    assert out.startswith(f"{LIVE_SEEDS} articles loaded (0 replaced), ")
    once = oxigraph.quads()
    assert once == expected_quads(seed_articles, repo_config)
    assert oxigraph.count() == len(once)
    code, out, err = load(cli, oxigraph.url)
    assert code == 0, err
    assert out.startswith(f"{LIVE_SEEDS} articles loaded ({LIVE_SEEDS} replaced), ")
    assert oxigraph.quads() == once
    assert oxigraph.count() == len(once)


def test_changing_one_headline_replaces_only_that_articles_graph(
    cli: Cli, oxigraph: OxigraphServer, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    assert load(cli, oxigraph.url, seeds)[0] == 0
    before = oxigraph.graphs()
    changed = seeds / "2025-08-12-valencia-flash-flood-warning.json"
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["headline"] = "Valencia lifts its red flood warning"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = load(cli, oxigraph.url, seeds)
    assert code == 0, err
    after = oxigraph.graphs()
    assert set(after) == set(before)
    for graph, quads in before.items():
        if graph != VALENCIA:
            assert after[graph] == quads, graph
    gone, new = before[VALENCIA] - after[VALENCIA], after[VALENCIA] - before[VALENCIA]
    assert [quad.split(" ")[1] for quad in gone] == ["<http://schema.org/headline>"]
    assert len(new) == 1
    assert "Valencia lifts its red flood warning" in next(iter(new))


# --- a server killed in the middle of a load --------------------------------------------------


def test_a_server_killed_midway_then_a_rerun_gives_exactly_a_clean_load(
    oxigraph: OxigraphServer, tmp_path: Path
) -> None:
    """The load dies with the server: it exits 1 naming every article whose graph is not in
    the store (and at most the few whose answer was lost in flight besides), no graph is half
    there, and after a restart the rerun gives the quads of a clean load into a fresh server."""
    from benchmarks import generate

    count = 600
    archive = tmp_path / "archive.jsonl"
    archive.write_bytes(generate.jsonl(count))
    now = moment(None)
    ids = [d["id"] for d in generate.articles(count) if public_state(d, now) is State.LIVE]

    def wirekit_load(url: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "wirekit", "load", str(archive), "--endpoint", url]
        return subprocess.Popen(
            [*command, "--batch-size", "20", "-c", str(CONFIG)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    clean_server = _server(tmp_path / "clean")
    try:
        done = wirekit_load(clean_server.url)
        out, err = done.communicate(timeout=300)
        assert done.returncode == 0, err[-2000:]
        clean = clean_server.graphs()
    finally:
        clean_server.stop()
    assert sorted(clean) == sorted(ids)

    threshold = random.Random(20250730).randint(count // 6, count // 2)
    process = wirekit_load(oxigraph.url)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if oxigraph.graph_count() >= threshold:
            break
        time.sleep(0.02)
    oxigraph.kill()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, err[-2000:]
    named = re.findall(r"^wirekit: not loaded: (\S+)$", err, re.MULTILINE)
    assert "cannot reach the server" in err
    assert "Traceback" not in err
    summary = re.fullmatch(
        r"(\d+) articles loaded \(0 replaced\), \d+ triples; (\d+) not loaded; "
        r"0 not public, removed\n",
        out,
    )
    assert summary is not None, out
    assert int(summary[2]) == len(named)
    assert int(summary[1]) + len(named) == len(ids)  # the live ones: a store is public

    oxigraph.start()
    present = oxigraph.graphs()
    for graph, quads in present.items():
        assert quads == clean[graph], f"{graph} is there but not whole"
    missing = set(ids) - set(present)
    assert missing, "the server died after the load had finished"
    assert missing <= set(named), "an article not in the store was not named"
    assert len(set(named) - missing) <= 4, "named, yet stored (more than were in flight)"

    rerun = wirekit_load(oxigraph.url)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err[-2000:]
    assert out.startswith(f"{len(ids)} articles loaded ({len(ids) - len(missing)} replaced)")
    assert oxigraph.graphs() == clean


# --- credentials -------------------------------------------------------------------------------


def test_a_wrong_password_is_one_line_exit_1_and_the_password_is_never_shown(
    cli: Cli, oxigraph: OxigraphServer
) -> None:
    wrong = "Tr0ub4dor&3-wrong"
    with proxy(oxigraph.port, basic=(USER, PASSWORD)) as guarded:
        for command in ("load", "query"):
            args = (SEEDS,) if command == "load" else (HEADLINE_QUERY,)
            code, out, err = cli(
                command,
                *args,
                "--endpoint",
                guarded.url,
                "-c",
                CONFIG,
                WIREKIT_ENDPOINT_USER=USER,
                WIREKIT_ENDPOINT_PASSWORD=wrong,
            )
            assert code == 1, command
            assert out == ""
            (line,) = errors(err)
            assert line == (  # a load asks first which graphs of its batch are there
                f"wirekit: error: {guarded.url}/query: "
                "authentication failed (HTTP 401); check WIREKIT_ENDPOINT_USER and "
                "WIREKIT_ENDPOINT_PASSWORD, or WIREKIT_ENDPOINT_TOKEN"
            )
            assert wrong not in out + err
            assert USER not in out + err
        sent = "Basic " + base64.b64encode(f"{USER}:{wrong}".encode()).decode()
        assert {header for _, _, header in guarded.rules.seen} == {sent}
        assert oxigraph.count() == 0

        code, out, err = load(
            cli, guarded.url, WIREKIT_ENDPOINT_USER=USER, WIREKIT_ENDPOINT_PASSWORD=PASSWORD
        )
        assert code == 0, err
        assert out.startswith(f"{LIVE_SEEDS} articles loaded")
        assert PASSWORD not in out + err
    assert oxigraph.graph_count() == LIVE_SEEDS


def test_a_password_in_the_wrong_place_never_reaches_the_output(
    cli: Cli, oxigraph: OxigraphServer
) -> None:
    with proxy(oxigraph.port, basic=(USER, PASSWORD)) as guarded:
        host = guarded.url.removeprefix("http://")
        code, out, err = cli("load", SEEDS, "--endpoint", f"http://{USER}:{PASSWORD}@{host}")
        assert code == 2
        assert PASSWORD not in out + err
        (line,) = errors(err)
        assert "WIREKIT_ENDPOINT_USER" in line
        assert guarded.rules.seen == [], "nothing was sent"


def test_a_bearer_token(cli: Cli, oxigraph: OxigraphServer) -> None:
    token = "tok-7f3a9c21e4"
    with proxy(oxigraph.port, token=token) as guarded:
        code, out, err = load(cli, guarded.url, WIREKIT_ENDPOINT_TOKEN="tok-wrong")
        assert code == 1
        assert len(errors(err)) == 1
        assert "authentication failed (HTTP 401)" in err
        assert "tok-wrong" not in out + err
        code, out, err = load(cli, guarded.url, WIREKIT_ENDPOINT_TOKEN=token)
        assert code == 0, err
        assert token not in out + err
        code, out, err = cli(
            "query", IN_GRAPH_QUERY, "--endpoint", guarded.url, WIREKIT_ENDPOINT_TOKEN=token
        )
        assert code == 0, err
        assert SEED_HEADLINE in out
        assert {header for _, _, header in guarded.rules.seen} >= {f"Bearer {token}"}


# --- protocols and failures --------------------------------------------------------------------


def test_a_server_without_the_graph_store_protocol_gets_sparql_update(
    cli: Cli, oxigraph: OxigraphServer, seed_articles: list[Article], repo_config: Config
) -> None:
    with proxy(oxigraph.port, no_graph_store=True) as limited:
        code, out, err = load(cli, limited.url)
        assert code == 0, err
        assert out.startswith(f"{LIVE_SEEDS} articles loaded (0 replaced)")
        methods = [(method, path.split("?")[0]) for method, path, _ in limited.rules.seen]
        assert methods[:2] == [("POST", "/query"), ("POST", "/update")], "ask, then record"
        assert methods[2] == ("PUT", "/store")
        assert ("PUT", "/store") not in methods[3:], "one PUT finds out; then only updates"
        assert ("POST", "/update") in methods
        assert oxigraph.quads() == expected_quads(seed_articles, repo_config)
        code, out, err = load(cli, limited.url)
        assert code == 0, err
        assert out.startswith(f"{LIVE_SEEDS} articles loaded ({LIVE_SEEDS} replaced)")
    assert oxigraph.quads() == expected_quads(seed_articles, repo_config)


def test_5xx_answers_are_retried_with_exponential_backoff(
    oxigraph: OxigraphServer, repo_config: Config
) -> None:
    waits: list[float] = []
    with proxy(oxigraph.port, fail_first=3) as flaky:
        endpoint = Endpoint(flaky.url, connections=1, sleep=waits.append)
        summary = Loader(endpoint, config=repo_config).run([SEEDS])
        endpoint.close()
    assert waits == [0.5, 1.0, 2.0]
    assert (summary.articles, summary.not_loaded, summary.failures) == (LIVE_SEEDS, [], [])
    assert oxigraph.graph_count() == LIVE_SEEDS


def test_a_server_that_keeps_failing_stops_the_load_with_one_error(
    oxigraph: OxigraphServer, repo_config: Config
) -> None:
    waits: list[float] = []
    with proxy(oxigraph.port, fail_first=100) as broken:
        endpoint = Endpoint(broken.url, sleep=waits.append)
        with pytest.raises(StoreError, match=r"HTTP 503 busy, try again \(gave up after 5"):
            Loader(endpoint, config=repo_config).run([SEEDS])
        endpoint.close()
        assert len(broken.rules.seen) == 5
    assert waits == [0.5, 1.0, 2.0, 4.0]


def test_a_server_that_is_not_there(tmp_path: Path, repo_config: Config) -> None:
    from tests.oxigraph_server import free_port

    endpoint = Endpoint(f"http://127.0.0.1:{free_port()}", sleep=lambda seconds: None)
    with pytest.raises(StoreError, match="cannot reach the server") as raised:
        Loader(endpoint, config=repo_config).run([SEEDS])
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("refused", [SEED_ID, VALENCIA], ids=["the first", "another"])
def test_a_graph_the_server_refuses_fails_that_article_alone(
    cli: Cli, oxigraph: OxigraphServer, refused: str
) -> None:
    """Also the very first graph, whose PUT is the one that finds out whether the server
    speaks the Graph Store Protocol at all."""
    with proxy(oxigraph.port, refuse=refused.rsplit("/", 1)[1]) as picky:
        code, out, err = load(cli, picky.url)
    assert code == 1
    assert out.startswith(f"{LIVE_SEEDS - 1} articles loaded (0 replaced), ")
    assert out.endswith("; 1 not loaded; 2 not public, removed\n")
    assert errors(err) == [
        f"wirekit: {refused}: the graph store refused it: HTTP 413 too large for this test",
        f"wirekit: not loaded: {refused}",
    ]
    assert oxigraph.graph_count() == LIVE_SEEDS - 1
    assert refused not in oxigraph.graphs()


@pytest.mark.parametrize("kind", ["embedded", "server"])
def test_both_stores_remove_by_one_rule_a_refused_step_fails_alone(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """One removal routine serves both stores (``Target.remove``): a step the store refuses
    (an update that is not SPARQL, as a bug of wirekit's would write it) fails its graphs
    alone, in one line, and the next step still runs. The embedded store used to let that
    error out of the load as an internal error, where a server's refusal was one line."""
    from wirekit.store.targets import EmbeddedStore, Graph, Target

    target: Target
    if kind == "embedded":
        target = EmbeddedStore(tmp_path / "store")
        refused = f"{tmp_path / 'store'}: the store refused what wirekit wrote: "
    else:
        server = request.getfixturevalue("oxigraph")
        target = Endpoint(server.url)
        refused = f"{server.url}/update: update refused: HTTP 400 "
    target.update_graphs = 1  # one graph a step
    try:
        target.open()
        ours = Graph("urn:x:ours", b'<urn:x:ours> <urn:x:p> "o" .\n')
        assert target.replace([ours]).stored == [ours.iri]
        assert target.held([ours.iri]) == {ours.iri: True}
        outcome = target.remove(["urn:x:not an iri", ours.iri])
        assert target.held([ours.iri]) == {}
    finally:
        target.close()
    assert (outcome.stored, outcome.stopped) == ([ours.iri], None)
    (line,) = outcome.problems
    assert line.startswith(refused), line


def test_tls_certificates_are_verified(cli: Cli, oxigraph: OxigraphServer, tmp_path: Path) -> None:
    certificate = self_signed(tmp_path)
    if certificate is None:
        pytest.skip("no openssl to make a certificate with")
    with proxy(oxigraph.port, tls=certificate) as secure:
        assert secure.url.startswith("https://")
        started = time.monotonic()
        code, out, err = load(cli, secure.url, SSL_CERT_FILE=None, SSL_CERT_DIR=None)
        assert code == 1
        (line,) = errors(err)
        assert "TLS certificate is not trusted" in line
        assert time.monotonic() - started < 5, "an untrusted certificate is not retried"
        assert oxigraph.count() == 0
        code, out, err = load(cli, secure.url, SSL_CERT_FILE=str(certificate))
        assert code == 0, err
        assert out.startswith(f"{LIVE_SEEDS} articles loaded")
    assert oxigraph.graph_count() == LIVE_SEEDS


# --- querying ----------------------------------------------------------------------------------


def test_query_on_the_server(cli: Cli, oxigraph: OxigraphServer) -> None:
    import pyoxigraph

    assert load(cli, oxigraph.url)[0] == 0
    code, out, err = cli("query", IN_GRAPH_QUERY, "--endpoint", oxigraph.url, "--format", "csv")
    assert code == 0, err
    header, headline = out.splitlines()
    assert (header, headline.startswith(SEED_HEADLINE)) == ("headline", True)
    code, out, _ = cli(
        "query", f"ASK {{ GRAPH ?g {{ <{SEED_ID}> ?p ?o }} }}", "--endpoint", oxigraph.url
    )
    assert (code, out) == (0, "true\n")
    construct = (
        f"CONSTRUCT {{ ?a <http://schema.org/headline> ?h }} WHERE {{ GRAPH <{SEED_ID}> "
        "{ ?a <http://schema.org/headline> ?h } }"
    )
    code, out, _ = cli("query", construct, "--endpoint", oxigraph.url)
    assert code == 0
    (triple,) = pyoxigraph.parse(out.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert triple.subject == pyoxigraph.NamedNode(SEED_ID)
    code, out, err = cli("query", "SELECT nonsense", "--endpoint", oxigraph.url)
    assert (code, out) == (2, "")
    assert len(errors(err)) == 1


def test_the_readme_example_queries_answer_the_same_on_a_server(
    cli: Cli, oxigraph: OxigraphServer
) -> None:
    assert load(cli, oxigraph.url)[0] == 0
    for name, (query, articles) in README_QUERIES.items():
        code, out, err = cli("query", query, "--endpoint", oxigraph.url, "--format", "json")
        assert code == 0, (name, err)
        rows = json.loads(out)["results"]["bindings"]
        assert [row["article"]["value"] for row in rows] == articles, name


def test_the_fixture_stops_its_server(tmp_path: Path) -> None:
    server = _server(tmp_path / "db")
    process = server.process
    assert process is not None
    server.stop()
    assert process.poll() is not None
    assert os.path.isdir(tmp_path / "db")
