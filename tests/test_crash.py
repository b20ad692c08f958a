"""Crash safety: ``wirekit publish`` and ``wirekit load`` killed with SIGKILL 20 times each
(seeded), and what must hold after every kill.

Each round starts the command on a changed archive (editions alternate, so every round has work
to do) and kills it, with its whole process group (pool workers too). A publish dies at a moment
drawn from the span a full run takes; a load kills itself at a point drawn from its work (after
so many graphs are replaced, so many milliseconds into the next: :mod:`tests.kill_hook`), so
every kill lands mid-load however busy the machine is. Then it checks:

- publish: every file outside a temporary (``.*.tmp``) name is whole (it parses, or ends as its
  format ends), and nothing published before went missing; the rerun then brings the tree to
  exactly the bytes a clean publish of the same archive gives, with no temporary left.
- load (embedded store, small batches): the store opens, holds nothing but quads of the two
  editions (no garbage), and the rerun leaves exactly the quads a clean load gives: every graph
  a kill left half-loaded is replaced, none is duplicated.

The commands run in children forked from a warm server (:mod:`tests.hostile.driver`), which is
what ``wirekit`` runs minus half a second of imports, so a round costs the work itself and the
moments land where the work happens.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests import kill_hook
from tests.conftest import tree_bytes as _tree
from tests.hostile.runner import Outcome, Pool, Run
from tests.test_schemaorg_support import no_network  # noqa: F401 (an autouse fixture)

KILLS = 20
SEED = 20251128
CONFIG = """base_iri = "https://news.example.org/id/"
base_url = "https://news.example.org/"
language = "en"
[publisher]
name = "Crash Desk"
url = "https://news.example.org/"
"""
_RDF = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS"}


def _article(number: int, edition: int) -> dict[str, Any]:
    return {
        "id": f"urn:example:crash:{number}",
        "version": edition + 1,
        "slug": f"story-{number}",
        "headline": f"Story {number}, edition {edition}",
        "language": "en",
        "datePublished": f"2025-07-{number % 28 + 1:02d}T{number % 24:02d}:00:00Z",
        "authors": [{"name": f"Reporter {number % 7}"}],
        "subjects": [{"scheme": "medtop", "code": f"2000{number % 50:04d}", "label": "news"}],
        "body": [
            {"type": "paragraph", "text": f"Paragraph {k} of story {number}, edition {edition}."}
            for k in range(6)
        ],
    }


def _archive(path: Path, count: int, edition: int) -> Path:
    lines = (json.dumps(_article(n, edition)) for n in range(count))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    server = Pool(1)
    try:
        yield server
    finally:
        server.close()


def _run(
    pool: Pool,
    argv: tuple[str, ...],
    work: Path,
    name: str,
    timeout: float,
    env: dict[str, str] | None = None,
) -> Outcome:
    (outcome,) = pool.map([Run(argv, work, name, env=env or {}, timeout=timeout)])
    return outcome


def _kill_moments(rng: random.Random, span: float) -> Iterator[float]:
    """Moments spread over a full run, the first tenth (imports, reading) mostly skipped."""
    while True:
        yield rng.uniform(0.1 * span, 0.95 * span)


# --- publish ----------------------------------------------------------------------------------


def _temporary(path: Path, root: Path) -> bool:
    return any(part.endswith(".tmp") for part in path.relative_to(root).parts)


def assert_whole(path: Path) -> None:
    """A published file is complete: it parses as its kind, or ends as its kind ends."""
    import pyoxigraph
    from lxml import etree

    data = path.read_bytes()
    if path.name == ".wirekit-publishing":  # publish's running marker: its run's id
        assert re.fullmatch(rb"([0-9a-f]{12}\n)?", data), data
    elif path.name == ".wirekit-lock":  # the writers' lock: empty by design
        assert data == b""
    elif path.suffix in (".json", ".jsonld"):
        orjson.loads(data)
    elif path.suffix == ".jsonl":  # the manifest: whole lines, each a JSON object
        assert data.endswith(b"\n"), path
        assert all(isinstance(orjson.loads(line), dict) for line in data.splitlines()), path
    elif path.suffix in (".xml", ".nitf"):
        etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    elif path.suffix == ".html":
        assert data.endswith(b"</html>\n"), path
    elif path.suffix in _RDF:
        list(
            pyoxigraph.parse(
                io.BytesIO(data), format=getattr(pyoxigraph.RdfFormat, _RDF[path.suffix])
            )
        )
    else:
        raise AssertionError(f"{path}: no check for this kind of file")


def test_a_publish_killed_at_20_moments_is_always_whole_and_the_rerun_completes_it(
    pool: Pool, tmp_path: Path
) -> None:
    count = 30  # over the pool threshold: -j 2 exports in worker processes
    (tmp_path / "wirekit.toml").write_text(CONFIG, encoding="utf-8")
    archives = [_archive(tmp_path / f"edition-{e}.jsonl", count, e) for e in (0, 1)]
    archive = tmp_path / "archive.jsonl"
    clean: list[dict[str, bytes]] = []
    span = 0.0
    for edition, source in enumerate(archives):
        shutil.copyfile(source, archive)
        out = tmp_path / f"clean-{edition}"
        argv = ("publish", str(archive), "--out", str(out), "-j", "2")
        done = _run(pool, argv, tmp_path, f"clean-{edition}", 120)
        assert done.code == 0, done.stderr
        clean.append(_tree(out))
        span = max(span, done.seconds)
    out = tmp_path / "out"
    argv = ("publish", str(archive), "--out", str(out), "-j", "2")
    rng = random.Random(SEED)
    moments = _kill_moments(rng, span)
    kills = rounds = midway = 0
    while kills < KILLS:
        rounds += 1
        assert rounds < 3 * KILLS, "the runs keep finishing before the kill"
        edition = rounds % 2
        shutil.copyfile(archives[edition], archive)
        before = set(_tree(out)) if out.exists() else set()
        old = _tree(out) if out.exists() else {}
        killed = _run(pool, argv, tmp_path, f"kill-{rounds}", next(moments))
        if killed.timed_out:
            kills += 1
        files = [p for p in out.rglob("*") if p.is_file() and not _temporary(p, out)]
        for path in files:
            assert_whole(path)
        after = {str(p.relative_to(out)) for p in files}
        assert before - {".wirekit-publishing"} <= after, sorted(before - after)[:5]
        now = _tree(out)
        midway += now != old and now != clean[edition]
        rerun = _run(pool, argv, tmp_path, f"rerun-{rounds}", 120)
        assert rerun.code == 0, rerun.stderr
        assert not [p for p in out.rglob("*") if _temporary(p, out)]
        tree = _tree(out)
        assert tree == clean[edition], sorted(
            name
            for name in tree.keys() | clean[edition].keys()
            if tree.get(name) != clean[edition].get(name)
        )[:5]
    assert midway >= KILLS // 4, f"only {midway} kills landed while files were being written"


# --- load -------------------------------------------------------------------------------------


def _quads(store: Path) -> set[tuple[str, str, str, str]]:
    import pyoxigraph

    opened = pyoxigraph.Store(str(store))
    try:
        return {
            (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
            for q in opened.quads_for_pattern(None, None, None, None)
        }
    finally:
        opened.flush()
        del opened


def test_a_load_killed_at_20_points_leaves_nothing_a_rerun_does_not_replace(
    pool: Pool, tmp_path: Path
) -> None:
    count = 60
    (tmp_path / "wirekit.toml").write_text(CONFIG, encoding="utf-8")
    archives = [_archive(tmp_path / f"edition-{e}.jsonl", count, e) for e in (0, 1)]
    archive = tmp_path / "archive.jsonl"
    clean: list[set[tuple[str, str, str, str]]] = []
    for edition, source in enumerate(archives):
        shutil.copyfile(source, archive)
        store = tmp_path / f"clean-{edition}"
        argv = ("load", str(archive), "--store", str(store), "--batch-size", "3")
        done = _run(pool, argv, tmp_path, f"clean-{edition}", 120)
        assert done.code == 0, done.stderr
        clean.append(_quads(store))
    assert clean[0] != clean[1] and len(clean[0]) > 10 * count
    store = tmp_path / "store"
    shutil.copytree(tmp_path / "clean-0", store)  # a reload replaces; a new store is renamed in
    argv = ("load", str(archive), "--store", str(store), "--batch-size", "1")
    rng = random.Random(SEED + 1)
    midway = 0
    for kill in range(1, KILLS + 1):
        edition = kill % 2
        shutil.copyfile(archives[edition], archive)
        # dies in the transaction of graph n + 1 (or as it returns): n + 1 < count are replaced
        point = {kill_hook.VARIABLE: f"{rng.randint(1, count - 2)}:{rng.uniform(0, 0.01):.4f}"}
        killed = _run(pool, argv, tmp_path, f"kill-{kill}", 120, point)
        assert killed.signal == signal.SIGKILL, (killed.code, killed.stderr[-500:])
        found = _quads(store)
        garbage = found - clean[0] - clean[1]
        assert not garbage, sorted(garbage)[:3]
        midway += found not in (clean[0], clean[1])
        rerun = _run(pool, argv, tmp_path, f"rerun-{kill}", 120)
        assert rerun.code == 0, rerun.stderr
        loaded = _quads(store)
        assert loaded == clean[edition], (
            len(loaded - clean[edition]),
            len(clean[edition] - loaded),
        )
    assert midway == KILLS, "every kill lands after one graph and before the last"
