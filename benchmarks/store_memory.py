"""Peak memory of ``wirekit load`` and ``wirekit query`` on big data (issue 16), run on demand.

    python -m benchmarks.store_memory                      # a 300 MB archive, a 400 MB answer
    python -m benchmarks.store_memory --archive-mb 30 --answer-mb 40 --articles 10

Too slow for ``make test`` and for ``python -m benchmarks``: it writes a few hundred megabytes and
sends them over the loopback. Everything is generated here, nothing is committed:

- **load**: an archive of ``--articles`` (100) synthetic articles, each padded with paragraphs
  to make ``--archive-mb`` in all (the issue's 314 MB of 100 articles took 1.37 GB), loaded
  into a Graph Store endpoint on 127.0.0.1 that reads and discards every request (so the figure
  is wirekit's memory, not a store's); with ``--embedded``, into a new embedded store instead
  (the bulk loader), then once more into that store (every graph replaced in transactions).
- **query**: a SPARQL JSON results answer of ``--answer-mb``, made as it is sent, read by
  ``wirekit query --format csv`` with its output thrown away (the issue's 400 MB took 825 MB).

Each figure is the peak resident memory (``VmHWM``) of the ``wirekit`` process alone, printed
beside the same run at a tenth of the size, so "flat in the size" can be seen; the goal is under
200 MB for both.
"""

from __future__ import annotations

import argparse
import http.server
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from . import generate

GOAL_MB = 200
_PEAK = """
import re, runpy, sys
sys.argv = ["wirekit", *sys.argv[1:]]
try:
    runpy.run_module("wirekit", run_name="__main__")
finally:
    with open("/proc/self/status") as status:
        print(re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1), file=sys.stderr)
"""


def peak_mb(*args: str) -> float:
    """Peak resident memory of one ``wirekit ARGS...`` run in MB; its stdout is discarded."""
    run = subprocess.run(
        [sys.executable, "-c", _PEAK, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"wirekit {args[0]} failed: {run.stderr[-1000:]}")
    return int(run.stderr.splitlines()[-1]) / 1024


def write_archive(path: Path, articles: int, megabytes: float) -> int:
    """``articles`` synthetic articles padded to ``megabytes`` in all; the bytes written."""
    each = int(megabytes * 1_000_000 / articles)
    written = 0
    with path.open("wb") as out:
        for index in range(articles):
            data = generate.article(index, generate.DEFAULT_SEED)
            body = list(data.get("body", []))
            paragraph = {
                "type": "paragraph",
                "text": f"Paragraph of filler for article {index}. " * 20,
            }
            line = generate.dumps(data)
            step = len(orjson.dumps(paragraph)) + 1
            body.extend([paragraph] * max(0, (each - len(line)) // step))
            data["body"] = body
            line = generate.dumps(data)
            out.write(line)
            written += len(line)
    return written


class _Sink(http.server.BaseHTTPRequestHandler):
    """Reads every request whole and answers as a Graph Store or an update endpoint would."""

    protocol_version = "HTTP/1.1"
    answer_bytes = 0

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _drain(self) -> None:
        from tests.fault_server import read_body

        read_body(self)  # with a length or chunked, as load sends graphs

    def do_PUT(self) -> None:
        self._drain()
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        self._drain()
        if self.path.startswith("/update"):
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in _answer(self.answer_bytes):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")


def _answer(size: int) -> Iterator[bytes]:
    """SPARQL JSON results of about ``size`` bytes, a thousand rows at a time."""
    yield b'{"head":{"vars":["s","o"]},"results":{"bindings":['
    filler = "y" * 200
    sent = number = 0
    while sent < size:
        rows = []
        for _ in range(1000):
            rows.append(
                ("," if number else "")
                + f'{{"s":{{"type":"uri","value":"http://example.org/{number}"}},'
                + f'"o":{{"type":"literal","value":"{filler}"}}}}'
            )
            number += 1
        chunk = "".join(rows).encode()
        sent += len(chunk)
        yield chunk
    yield b"]}}"


def _serve(answer_bytes: int) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Sink", (_Sink,), {"answer_bytes": answer_bytes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def load_peak(
    folder: Path, articles: int, megabytes: float, embedded: bool
) -> tuple[list[float], int]:
    """Peaks of loading a new archive (with ``embedded``: into a new store, then again into
    that store, which replaces every graph in transactions); and the archive's size."""
    archive = folder / f"archive-{megabytes:g}.jsonl"
    size = write_archive(archive, articles, megabytes)
    try:
        if embedded:
            store = folder / f"store-{megabytes:g}"
            load = ("load", str(archive), "--store", str(store))
            return [peak_mb(*load), peak_mb(*load)], size
        server, url = _serve(0)
        try:
            return [peak_mb("load", str(archive), "--endpoint", url, "--timeout", "600")], size
        finally:
            server.shutdown()
    finally:
        archive.unlink()


def query_peak(megabytes: float) -> float:
    server, url = _serve(int(megabytes * 1_000_000))
    try:
        query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
        return peak_mb("query", query, "--endpoint", url, "--format", "csv", "--timeout", "600")
    finally:
        server.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_memory", description=__doc__)
    parser.add_argument("--archive-mb", type=float, default=300)
    parser.add_argument("--answer-mb", type=float, default=400)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--embedded", action="store_true", help="load into a new embedded store")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wirekit-store-memory-") as scratch:
        folder = Path(scratch)
        where = "a new embedded store" if args.embedded else "a Graph Store endpoint"
        for megabytes in (args.archive_mb / 10, args.archive_mb):
            peaks, size = load_peak(folder, args.articles, megabytes, args.embedded)
            print(
                f"load:  {peaks[0]:6.0f} MB peak for a {size / 1e6:.0f} MB archive of "
                f"{args.articles} articles into {where}"
            )
            if args.embedded:
                print(f"load:  {peaks[1]:6.0f} MB peak for the same again into that store")
        for megabytes in (args.answer_mb / 10, args.answer_mb):
            peak = query_peak(megabytes)
            print(f"query: {peak:6.0f} MB peak for a {megabytes:.0f} MB answer, as CSV")
    print(f"goal: under {GOAL_MB} MB each, independent of size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
