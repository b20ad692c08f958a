"""``wirekit load`` and ``wirekit query`` against endpoints that misbehave (issue 16).

The endpoint is the tests' own (:mod:`tests.fault_server`) on 127.0.0.1: it trickles, redirects,
answers 204, junk or 401, sends a huge answer, or dies mid-load. Whatever it does, wirekit ends
in bounded time with one line naming what happened, never claims success it did not have, and
never prints a credential.
"""

from __future__ import annotations

import re
import socket
import string
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SEEDS
from tests.fault_server import (
    FaultServer,
    bookkeeping,
    huge_results,
    read_body,
    stall_upload,
    trickle,
)
from tests.oxigraph_server import free_port
from tests.store_fixtures import CONFIG, LIVE_SEEDS, Cli, errors, in_process
from wirekit.audience import State, moment, public_state
from wirekit.store.http import redact, redact_text
from wirekit.store.targets import CHUNK_BYTES, Endpoint, Graph

ONE_SEED = SEEDS / "2025-08-12-valencia-flash-flood-warning.json"
ASK = "ASK { ?s ?p ?o }"
CREDENTIALS = ("WIREKIT_ENDPOINT_USER", "WIREKIT_ENDPOINT_PASSWORD", "WIREKIT_ENDPOINT_TOKEN")


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    return in_process(capsys, monkeypatch)


def load(cli: Cli, url: str, *extra: str, **env: str | None) -> tuple[int, str, str]:
    return cli("load", ONE_SEED, "--endpoint", url, "-c", CONFIG, *extra, **env)


def query(cli: Cli, url: str, *extra: str, **env: str | None) -> tuple[int, str, str]:
    return cli("query", ASK, "--endpoint", url, *extra, **env)


def one_error(err: str) -> str:
    (line,) = errors(err)
    assert line.startswith("wirekit: error: "), line
    return line


# --- hangs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [load, query])
def test_a_server_that_trickles_is_given_up_on_within_the_budget(cli: Cli, command: object) -> None:
    """One byte every half second never trips a per-read timeout; the deadline does."""
    with FaultServer(trickle) as slow:
        started = time.monotonic()
        code, out, err = command(cli, slow.url, "--timeout", "0.5")  # type: ignore[operator]
        took = time.monotonic() - started
    assert code == 1
    assert re.search(
        r"no answer in time \(receiving the answer took over 0\.\d+ s\)", one_error(err)
    )
    assert took < 4, "retries fit in three timeouts"
    assert "loaded" not in out


def test_a_refused_connection_is_reported_at_once(cli: Cli) -> None:
    started = time.monotonic()
    code, out, err = load(cli, f"http://127.0.0.1:{free_port()}")
    assert time.monotonic() - started < 2
    assert code == 1
    # a load's first request asks which graphs of its batch the store holds
    assert one_error(err).endswith("/query: cannot reach the server (connection refused)")
    assert out == ""


def test_a_host_that_does_not_resolve_is_reported_at_once(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_such_host(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    started = time.monotonic()
    code, _, err = query(cli, "http://sparql.example.invalid")
    assert time.monotonic() - started < 2
    assert code == 1
    assert "cannot reach the server: its host name does not resolve" in one_error(err)


# --- strict success ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_put_answered_with_a_redirect_is_not_success(cli: Cli, status: int) -> None:
    def answer(handler: object) -> None:
        if not bookkeeping(handler):  # type: ignore[arg-type]
            handler.reply(status, headers={"Location": handler.path})  # type: ignore[attr-defined]

    with FaultServer(answer) as moved:
        code, out, err = load(cli, moved.url)
    assert code == 1
    line = one_error(err)
    assert f"HTTP {status} redirect to {moved.url}/store?graph=" in line
    assert "not followed" in line
    assert "loaded" not in out
    assert 3 <= len(moved.seen) <= 8


def test_a_same_origin_307_is_followed_and_only_its_201_counts(cli: Cli) -> None:
    def answer(handler: object) -> None:
        path: str = handler.path  # type: ignore[attr-defined]
        if bookkeeping(handler):  # type: ignore[arg-type]
            return
        if path.startswith("/store"):
            handler.reply(307, headers={"Location": "/real" + path})  # type: ignore[attr-defined]
        else:
            handler.reply(201)  # type: ignore[attr-defined]

    with FaultServer(answer) as server:
        code, out, err = load(cli, server.url)
    assert code == 0, err
    assert out.startswith("1 articles loaded (0 replaced)")
    assert [seen.method for seen in server.seen] == ["POST", "POST", "PUT", "PUT"]
    assert server.seen[0].path == "/query", "which graphs are there, and whose"
    assert server.seen[1].path == "/update", "the record of the graphs wirekit creates"
    assert server.seen[3].path.startswith("/real/store?graph=")


@pytest.mark.parametrize("status", [202, 206])
def test_a_put_answered_with_another_2xx_is_refused(cli: Cli, status: int) -> None:
    def answer(handler: object) -> None:
        if not bookkeeping(handler):  # type: ignore[arg-type]
            handler.reply(status, b"queued")  # type: ignore[attr-defined]

    with FaultServer(answer) as server:
        code, out, err = load(cli, server.url)
    assert code == 1
    assert f"the graph store refused it: HTTP {status} queued" in err
    assert out.startswith("0 articles loaded")


def test_a_redirect_to_another_host_is_an_error_and_carries_no_credentials(cli: Cli) -> None:
    with FaultServer(lambda handler: handler.reply(200)) as elsewhere:
        other = f"http://localhost:{elsewhere.port}/store"

        def answer(handler: object) -> None:
            handler.reply(307, headers={"Location": other})  # type: ignore[attr-defined]

        with FaultServer(answer) as moved:
            for command in (load, query):
                code, out, err = command(
                    cli,
                    moved.url,
                    WIREKIT_ENDPOINT_USER="alice",
                    WIREKIT_ENDPOINT_PASSWORD="SECRETPW",
                )
                assert code == 1
                line = one_error(err)
                assert f"HTTP 307 redirect to {other} not followed: another origin" in line
                assert "SECRETPW" not in out + err
    assert elsewhere.seen == []


@pytest.mark.parametrize(
    ("status", "headers", "body", "says"),
    [
        (204, {}, b"", "HTTP 204 no media type: not an answer"),
        (
            200,
            {"Content-Type": "application/sparql-results+json"},
            b"<html>\x00oops</html>",
            "HTTP 200 application/sparql-results+json: it does not parse",
        ),
        (
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            b"<p>hello</p>",
            "HTTP 200 text/html: not SPARQL JSON results or N-Triples: '<p>hello</p>'",
        ),
        (
            200,
            {"Content-Type": "application/sparql-results+json"},
            b'{"nothing": "useful"}',
            "it is not SPARQL JSON results",
        ),
        (
            200,
            {"Content-Type": "application/n-triples"},
            b"this is not\n a triple\n",
            "HTTP 200 application/n-triples: it does not parse",
        ),
    ],
    ids=["204", "junk-json", "html", "not-results", "junk-ntriples"],
)
def test_a_query_answer_that_is_not_a_good_200_is_one_line(
    cli: Cli, status: int, headers: dict[str, str], body: bytes, says: str
) -> None:
    with FaultServer(lambda handler: handler.reply(status, body, headers)) as server:
        code, out, err = query(cli, server.url, "--format", "json")
    assert code == 1
    assert "true" not in out
    line = one_error(err)
    assert line.startswith(f"wirekit: error: {server.url}/query: HTTP {status}")
    assert says in line
    assert "\x00" not in line
    assert "Traceback" not in err


def test_a_query_redirected_with_307_elsewhere_or_to_itself_is_not_success(cli: Cli) -> None:
    def answer(handler: object) -> None:
        handler.reply(307, headers={"Location": "/query"})  # type: ignore[attr-defined]

    with FaultServer(answer) as server:
        code, out, err = query(cli, server.url)
    assert (code, out) == (1, "")
    assert "not followed: more than 5 redirects" in one_error(err)


def test_401_is_one_line_and_final(cli: Cli) -> None:
    with FaultServer(lambda handler: handler.reply(401, b"no")) as server:
        code, out, err = load(
            cli, server.url, WIREKIT_ENDPOINT_USER="alice", WIREKIT_ENDPOINT_PASSWORD="SECRETPW"
        )
    assert code == 1
    assert "authentication failed (HTTP 401)" in one_error(err)
    assert len(server.seen) == 1
    assert "SECRETPW" not in out + err


# --- a server that dies ------------------------------------------------------------------------


def test_a_server_killed_mid_load_stops_it_at_once_naming_what_was_not_loaded(
    cli: Cli, tmp_path: Path
) -> None:
    """The real Oxigraph version of this is in test_store_server.py; here the death is exact."""
    from benchmarks import generate

    archive = tmp_path / "archive.jsonl"
    archive.write_bytes(generate.jsonl(60))
    stored: list[str] = []
    server: FaultServer

    def answer(handler: object) -> None:
        if bookkeeping(handler):  # type: ignore[arg-type]
            return
        stored.append(handler.path)  # type: ignore[attr-defined]
        if len(stored) == 20:
            threading.Thread(target=server.stop).start()
            handler.close_connection = True  # type: ignore[attr-defined]
            return
        handler.reply(201)  # type: ignore[attr-defined]

    server = FaultServer(answer)
    with server:
        started = time.monotonic()
        code, out, err = cli(
            "load", archive, "--endpoint", server.url, "--batch-size", "10", "-c", CONFIG
        )
    assert time.monotonic() - started < 10
    assert code == 1
    named = [line for line in errors(err) if line.startswith("wirekit: not loaded: ")]
    loaded = int(out.split()[0])
    now = moment(None)
    live = [a for a in generate.articles(60) if public_state(a, now) is State.LIVE]
    assert loaded + len(named) == len(live)  # a store is public: only live articles load
    assert loaded <= 19
    assert "cannot reach the server" in err
    assert "Traceback" not in err


# --- memory --------------------------------------------------------------------------------------


def test_a_huge_answer_streams_through_in_bounded_memory(tmp_path: Path) -> None:
    """An answer of about 60 MB (44 MB of CSV) goes through a process that stays far below."""
    rows = 350_000

    def answer(handler: object) -> None:
        handler.stream(  # type: ignore[attr-defined]
            200, huge_results(rows), "application/sparql-results+json"
        )

    # VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's (see benchmarks.runner)
    probe = (
        "import re, sys\n"
        "from wirekit.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        "    status = open('/proc/self/status').read()\n"
        "    print(int(re.search(r'VmHWM:\\s*(\\d+)', status).group(1)) // 1024, file=sys.stderr)\n"
    )
    csv = ["--format", "csv", "--timeout", "300"]
    with FaultServer(answer) as server:
        done = subprocess.run(
            [sys.executable, "-c", probe, "query", "SELECT * {}", "--endpoint", server.url, *csv],
            capture_output=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.count(b"\n") == rows + 1
    assert len(done.stdout) > 40_000_000
    peak_mb = int(done.stderr.split()[-1])
    assert peak_mb < 120, f"peak {peak_mb} MB for a {len(done.stdout) >> 20} MB answer"


# --- credentials ---------------------------------------------------------------------------------

SECRET = st.text(string.ascii_letters + string.digits + "-_.~!$*", min_size=4, max_size=16).map(
    lambda text: "Zq" + text
)
SCHEMES = st.sampled_from(["http://", "https://", "http:/", "http:", "HTTP://", "", "//", "ftp://"])
HOSTS = st.sampled_from(["127.0.0.1", "127.0.0.1:{port}", "[::1", "127.0.0.1:{port}/sparql"])


@st.composite
def leaky_urls(draw: st.DrawFn) -> tuple[str, str]:
    """An endpoint URL, often malformed, that holds the secret where a credential goes."""
    secret = draw(SECRET)
    scheme, host = draw(SCHEMES), draw(HOSTS)
    user = draw(st.sampled_from(["alice", "", "a:b", "alice@x"]))
    template = draw(
        st.sampled_from(
            [
                "{scheme}{user}:{secret}@{host}",
                "{scheme}{secret}@{host}",
                "{scheme}:{secret}@{host}",
                "{scheme}{user}:{secret}@@{host}",
                "{scheme}{user}:{secret}@{host}/store?x=1",
                "{scheme}127.0.0.1:{secret}",
                "{scheme}127.0.0.1:{secret}/query",
                "{scheme}{host}/?token={secret}",
                "{scheme}{host}/store?graph=x&api_key={secret}",
                "{scheme}{host}?password={secret}#frag",
                "{scheme}{host}/#access_token={secret}",
                "{scheme}{user}:{secret}@127.0.0.1:{secret}",
                " {scheme}{user}:{secret}@{host}\n",
            ]
        )
    )
    # a host's {port} stays as it is, for the test to fill in with a closed port
    return template.format(scheme=scheme, user=user, secret=secret, host=host), secret


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(leaky=leaky_urls(), command=st.sampled_from(["load", "query"]), where=st.booleans())
def test_no_malformed_url_ever_prints_its_secret(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, leaky: tuple[str, str], command: str, where: bool
) -> None:
    """Whether the URL is refused, fails to connect or does not resolve, the secret stays
    hidden; nothing beyond 127.0.0.1 is ever looked up."""
    real = socket.getaddrinfo

    def loopback_only(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: not looked up in tests")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    url, secret = leaky
    url = url.replace("{port}", str(free_port()))
    if command == "load":
        option = ["--graph-store", url, "--endpoint", "http://127.0.0.1:9"] if where else []
        args = ["load", ONE_SEED, "-c", CONFIG, "--timeout", "2"]
        args += option or ["--endpoint", url]
    else:
        args = ["query", ASK, "--endpoint", url, "--timeout", "2"]
    code, out, err = cli(*args)
    assert code in (1, 2)
    assert secret not in out + err, err
    assert len(errors(err)) >= 1
    assert "internal error" not in err, err


def test_a_port_that_is_not_a_number_is_a_clean_error(cli: Cli) -> None:
    code, out, err = query(cli, "http://127.0.0.1:SECRETPW")
    assert (code, out) == (2, "")
    assert one_error(err) == (
        "wirekit: error: http://127.0.0.1:***: not a URL wirekit can use "
        "(is a port or a host misspelt?)"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http:/alice:SECRETPW@127.0.0.1:18501", "http:/***@127.0.0.1:18501"),
        ("http:alice:SECRETPW@127.0.0.1", "http:***@127.0.0.1"),
        ("http://alice:SECRETPW@127.0.0.1/x", "http://***@127.0.0.1/x"),
        ("http://a@b:SECRETPW@127.0.0.1", "http://***@127.0.0.1"),
        ("http://127.0.0.1:SECRETPW/q", "http://127.0.0.1:***/q"),
        ("http://h/q?access_token=SECRETPW&x=1", "http://h/q?access_token=***&x=1"),
        ("http://h/q?Password=SECRETPW", "http://h/q?Password=***"),
        ("http://h/q#token=SECRETPW", "http://h/q#***"),
        ("http://h:8080/store?graph=urn:x", "http://h:8080/store?graph=urn:x"),
        ("not a url at all", "not a url at all"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown
    assert "SECRETPW" not in redact(url)


def test_redact_text_hides_urls_pieces_of_them_and_known_secrets() -> None:
    text = redact_text(
        "bad port in http://alice:SECRETPW@h:1/x: 'SECRETPW' (b'Bearer TOKEN123'); pw a-ok",
        urls=["http://127.0.0.1:SECRETPW", "seeds/", "ASK { ?s ?p ?o }"],
        secrets=["TOKEN123", "pw"],
    )
    assert text == "bad port in http://***@h:1/x: '***' (b'Bearer ***'); *** a-ok"


def _port(url: str) -> int | None:
    """The issue's leak, as it was before checked_url: urllib quotes a bad port on its own."""
    return urllib.parse.urlsplit(url).port


def _quoting(url: str) -> None:
    raise KeyError(f"no scheme handler for {url}")


@pytest.mark.parametrize(
    ("url", "raised"),
    [("http://127.0.0.1:SECRETPW", _port), ("http:/alice:SECRETPW@127.0.0.1:1", _quoting)],
    ids=["port", "whole-url"],
)
def test_an_internal_error_never_prints_a_secret(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, url: str, raised: object
) -> None:
    """A bug's message may quote an endpoint URL, a piece of one, or a credential: the one line
    that reports it goes through the same redaction as every other message."""
    import wirekit.store.targets

    monkeypatch.setattr(wirekit.store.targets, "checked_url", raised)
    code, out, err = query(cli, url, WIREKIT_ENDPOINT_TOKEN="TOKENSECRET")
    assert code == 1
    (line,) = errors(err)
    assert line.startswith("wirekit: internal error: "), line
    assert "SECRETPW" not in out + err
    assert "***" in line


def test_an_internal_error_quoting_the_credentials_hides_them(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wirekit.store.targets

    def leak(self: object, sparql: str) -> object:
        raise RuntimeError(f"refused header Authorization: {self._auth!r}")  # type: ignore[attr-defined]

    monkeypatch.setattr(wirekit.store.targets.Endpoint, "query", leak)
    for env in (
        {"WIREKIT_ENDPOINT_TOKEN": "TOKENSECRET"},
        {"WIREKIT_ENDPOINT_USER": "alice", "WIREKIT_ENDPOINT_PASSWORD": "PASSSECRET"},
    ):
        code, out, err = query(cli, "http://127.0.0.1:9", **env)
        assert (code, out) == (1, "")
        (line,) = errors(err)
        assert line.startswith("wirekit: internal error: RuntimeError: refused header"), line
        assert "SECRET" not in line and "YWxpY2U6UEFTU1NFQ1JFVA" not in line, line


@pytest.mark.parametrize(
    "env",
    [
        {"WIREKIT_ENDPOINT_TOKEN": "TOKENSECRET\nX-Injected: 1"},
        {"WIREKIT_ENDPOINT_TOKEN": "TOKEN SECRET"},
        {"WIREKIT_ENDPOINT_USER": "alice", "WIREKIT_ENDPOINT_PASSWORD": "PASS\rSECRET"},
        {"WIREKIT_ENDPOINT_USER": "al:ice", "WIREKIT_ENDPOINT_PASSWORD": "PASSSECRET"},
    ],
    ids=["token-newline", "token-space", "password-cr", "user-colon"],
)
def test_credentials_that_cannot_go_in_a_header_are_a_usage_error(
    cli: Cli, env: dict[str, str]
) -> None:
    """Sent as they are, ``http.client`` refused the header with an error quoting it whole."""
    with FaultServer(lambda handler: handler.reply(200)) as server:
        code, out, err = query(cli, server.url, **env)
    assert (code, out) == (2, "")
    line = one_error(err)
    assert "WIREKIT_ENDPOINT_" in line
    assert "SECRET" not in line
    assert server.seen == []


# --- chunked uploads -----------------------------------------------------------------------------


def _graph(statements: int, literal: int, long: int = 0) -> Graph:
    """Canonical N-Triples: ``statements`` statements with a literal of ``literal`` characters,
    and with ``long``, one more whose literal is that long (longer than a chunk, say)."""
    lines = [
        f'<http://example.org/s/{n:06d}> <http://schema.org/text> "{"x" * literal} é {n}" .\n'
        for n in range(statements)
    ]
    if long:
        lines.append(f'<http://example.org/t> <http://schema.org/text> "{"y" * long}" .\n')
    return Graph("http://example.org/graph", "".join(lines).encode())


@pytest.mark.parametrize("size", [3, 4, 5, 16, 61, 200, 1 << 16])
def test_a_graph_in_pieces_is_the_whole_graph(size: int) -> None:
    graph = _graph(40, 30, long=500)
    named = f" <{graph.iri}> .\n".encode()
    pieces = list(graph.chunks(size=size))
    assert b"".join(pieces) == graph.ntriples
    assert max(map(len, pieces)) == min(size, len(graph.ntriples))
    quads = list(graph.chunks(quads=True, size=size))
    assert b"".join(quads) == graph.ntriples.replace(b" .\n", named) == graph.nquads
    assert all(len(piece.replace(named, b" .\n")) <= size for piece in quads)


def test_a_graph_goes_in_one_chunked_put_and_arrives_whole() -> None:
    graph = _graph(20_000, 100, long=300_000)  # 2.5 MB, a statement longer than a chunk
    with FaultServer(lambda handler: handler.reply(201)) as server:
        endpoint = Endpoint(server.url)
        try:
            outcome = endpoint.replace([graph])
        finally:
            endpoint.close()
    assert (outcome.stored, outcome.stopped) == ([graph.iri], None)
    record, put = server.seen
    assert (record.method, record.path) == ("POST", "/update"), "recorded before it is stored"
    assert put.method == "PUT" and put.path.endswith(
        "/store?graph=http%3A%2F%2Fexample.org%2Fgraph"
    )
    assert put.body == graph.ntriples
    assert put.chunks is not None and put.chunks >= len(graph.ntriples) // CHUNK_BYTES


def test_a_server_that_stalls_mid_upload_is_given_up_on_within_the_budget() -> None:
    """The upload's deadline covers the whole body, not each piece: a server that stops
    reading holds wirekit no longer than the budget (three timeouts)."""
    graph = _graph(80_000, 100)  # 10 MB: more than the system buffers for a small window

    def answer(handler: object) -> None:
        if handler.command == "PUT":  # type: ignore[attr-defined]
            stall_upload(handler)  # type: ignore[arg-type]
        else:  # the record, before the graph
            read_body(handler)  # type: ignore[arg-type]
            bookkeeping(handler)  # type: ignore[arg-type]

    with FaultServer(answer, read_body=False, receive_buffer=1 << 16) as server:
        endpoint = Endpoint(server.url, timeout=0.5)
        started = time.monotonic()
        try:
            outcome = endpoint.replace([graph])
        finally:
            endpoint.close()
        took = time.monotonic() - started
    assert outcome.stored == []
    said = str(outcome.stopped)
    assert re.search(r"no answer in time \(sending the request took over 0\.\d+ s\)", said), said
    assert took < 4, "retries fit in three timeouts"
    assert [seen.method for seen in server.seen[:2]] == ["POST", "PUT"]
    assert all(seen.method == "PUT" for seen in server.seen[1:])


def test_a_server_that_wants_the_length_first_gets_it(cli: Cli) -> None:
    """411 (Length Required) to a chunked PUT: that graph, and every one after it, goes whole
    with its length."""

    def answer(handler: object) -> None:
        if handler.path.startswith("/query"):  # type: ignore[attr-defined]
            # the record of created graphs, read before the seeds' two not-public ones go
            empty = b'{"head": {"vars": ["g"]}, "results": {"bindings": []}}'
            json_results = {"Content-Type": "application/sparql-results+json"}
            handler.reply(200, empty, json_results)  # type: ignore[attr-defined]
            return
        chunked = handler.headers.get("Transfer-Encoding")  # type: ignore[attr-defined]
        handler.reply(411 if chunked else 201)  # type: ignore[attr-defined]

    with FaultServer(answer) as server:
        code, out, err = cli("load", SEEDS, "--endpoint", server.url, "-c", CONFIG)
    assert code == 0, err
    assert out.startswith(f"{LIVE_SEEDS} articles loaded")
    puts = [seen for seen in server.seen if seen.method == "PUT"]
    assert [seen.chunks is None for seen in puts] == [False] + [True] * LIVE_SEEDS
    assert puts[0].body == puts[1].body


def test_which_graphs_a_batch_finds_is_asked_in_bounded_queries() -> None:
    """One query asks about a batch of the default size; a batch made bigger with
    --batch-size is asked about a thousand graphs at a time, never one request per graph and
    never one request too big for a server to take."""
    from wirekit.store.targets import HELD_PER_QUERY

    iris = [f"urn:x:{number}" for number in range(2 * HELD_PER_QUERY + 1)]
    with FaultServer(bookkeeping) as server:
        endpoint = Endpoint(server.url)
        try:
            assert endpoint.held(iris) == {}
        finally:
            endpoint.close()
    assert [seen.path for seen in server.seen] == ["/query"] * 3
    asked = [seen.body.count(b"<urn:x:") for seen in server.seen]
    assert asked == [HELD_PER_QUERY, HELD_PER_QUERY, 1]


@pytest.mark.parametrize("extra", [(), ("--sync",)], ids=["load", "sync"])
def test_a_server_that_refuses_wirekit_s_own_question_is_the_store_s_failure(
    cli: Cli, extra: tuple[str, ...]
) -> None:
    """A 400 to the questions a load asks of its record (which graphs are there and whose;
    under --sync, which it created) is the server's failure, exit 1, not a misused command."""

    def answer(handler: object) -> None:
        handler.reply(400, b"unsupported query")  # type: ignore[attr-defined]

    with FaultServer(answer) as server:
        code, _, err = load(cli, server.url, *extra)
    assert code == 1, err
    assert "cannot ask which graphs wirekit created" in one_error(err)
