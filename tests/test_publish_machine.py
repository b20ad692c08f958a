"""Issue 15's state machine: publish driven through random source edits, deletions, status
changes, kills (SIGKILL and SIGINT at random moments) and manifest corruptions.

After every step, once a publish has run to its end:

- the tree holds exactly what a clean publish of the current sources holds, byte for byte
  (the only extras allowed are the user's own files, and article folders a damaged manifest
  left unproven: wirekit removes nothing it cannot prove it wrote, so it keeps them);
- no file outside ``--out`` changed (a sibling folder and the inputs, against snapshots);
- no file that wirekit did not write was removed (the user's files inside ``--out``).

Runs fork this process (no interpreter start-up), so a step costs the publish itself. The
default run is short; ``pytest --slow`` runs many more and longer sequences.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.conftest import tree_bytes as _files
from tests.test_publish_safety import article
from wirekit.errors import Interrupted
from wirekit.site import manifest
from wirekit.site.manifest import MANIFEST
from wirekit.site.publish import Publisher

FORMATS = ("json", "html", "index")
BOOKKEEPING = {".wirekit-lock", ".wirekit-publishing", ".wirekit-not-public.jsonl"}
"""Files that are not the tree's content: the lock, the running marker, and the list of graphs
a public store must drop, which remembers articles that left (a clean publish has no past)."""


def _publish(source: Path, out: Path, *, force: bool = False) -> None:
    Publisher(out, formats=FORMATS, jobs=1, prune=True, wait=60, force=force).run([source])


def _child(source: str, out: str) -> None:
    try:
        # SIGINT was blocked across the fork: one sent while the child was starting arrives
        # now, as a Ctrl-C during the publish, not in multiprocessing's start-up (exit 1)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _publish(Path(source), Path(out))
        os._exit(0)
    except (Interrupted, KeyboardInterrupt):
        os._exit(130)


class PublishMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="wirekit-machine-"))
        self.source = self.root / "in"
        self.out = self.root / "out"
        self.sibling = self.root / "sibling"
        self.versions: dict[int, dict[str, Any]] = {}
        self.user: dict[str, bytes] = {}
        self.unproven: set[str] = set()
        """Article folders a damaged manifest left without proof of ownership."""

    @initialize(count=st.integers(min_value=1, max_value=5))
    def start(self, count: int) -> None:
        self.source.mkdir()
        self.sibling.mkdir()
        (self.sibling / "keep.txt").write_text("sibling", encoding="utf-8")
        (self.sibling / ".draft.tmp").write_text("not wirekit's", encoding="utf-8")
        for n in range(count):
            self._write(n, article(n))
        self.sibling_before = _files(self.sibling)
        _publish(self.source, self.out)
        self._settle()

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _write(self, n: int, data: dict[str, Any]) -> None:
        self.versions[n] = data
        (self.source / f"story-{n}.json").write_text(json.dumps(data), encoding="utf-8")

    def _settle(self) -> None:
        """Folders the manifest does not own after a run (left by a damaged manifest)."""
        owned = set(manifest.read(self.out / MANIFEST).articles)
        present = {p.name for p in (self.out / "articles").iterdir() if p.is_dir()}
        self.unproven |= present - owned

    # -- the steps ----------------------------------------------------------------------------

    @rule(
        n=st.integers(min_value=0, max_value=7),
        headline=st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=20),
    )
    def edit(self, n: int, headline: str) -> None:
        old = self.versions.get(n, article(n))
        text = headline.strip() or "x"
        self._write(n, dict(old, headline=f"Story {n}: {text}", version=old["version"] + 1))
        _publish(self.source, self.out)

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        if len(self.versions) < 2:
            return
        n = data.draw(st.sampled_from(sorted(self.versions)))
        del self.versions[n]
        (self.source / f"story-{n}.json").unlink()
        _publish(self.source, self.out)

    @rule(data=st.data(), status=st.sampled_from(["usable", "withheld", "canceled"]))
    def status(self, data: st.DataObject, status: str) -> None:
        n = data.draw(st.sampled_from(sorted(self.versions)))
        old = self.versions[n]
        self._write(n, dict(old, pubStatus=status, version=old["version"] + 1))
        _publish(self.source, self.out)

    @rule(
        how=st.sampled_from([signal.SIGKILL, signal.SIGINT]),
        moment=st.floats(min_value=0.0, max_value=0.3),
        n=st.integers(min_value=0, max_value=7),
    )
    def kill(self, how: int, moment: float, n: int) -> None:
        old = self.versions.get(n, article(n))
        self._write(n, dict(old, headline=f"Story {n}, killed", version=old["version"] + 1))
        child = multiprocessing.get_context("fork").Process(
            target=_child, args=(str(self.source), str(self.out))
        )
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            child.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        time.sleep(moment)
        if child.pid is not None and child.exitcode is None:
            os.kill(child.pid, how)
        child.join(60)
        assert child.exitcode in (0, 130, -signal.SIGKILL, -signal.SIGINT), child.exitcode
        _publish(self.source, self.out)  # the rerun finishes the job

    @rule(damage=st.sampled_from(["truncate", "garbage", "folder", "file"]))
    def corrupt(self, damage: str) -> None:
        path = self.out / MANIFEST
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: random.Random(len(data)).randrange(len(data))])
        elif damage == "garbage":
            path.write_bytes(b"\x00not json\n" + data)
        elif damage == "folder":
            path.write_bytes(data.replace(b'"folder":"story-', b'"folder":"../../story-', 1))
        else:
            path.write_bytes(data.replace(b'"article.json"', b'"../../../sibling/keep.txt"', 1))
        _publish(self.source, self.out)
        self._settle()

    @rule(
        where=st.sampled_from(
            [
                "notes.txt",
                ".mine.tmp",
                "articles/user-notes/readme.md",
                # the tree's own names, which these runs never draw: left alone, never removed
                "atom.xml",
                "index-9.html",
                "sections/culture/index.html",
            ]
        )
    )
    def user_file(self, where: str) -> None:
        path = self.out / where
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"user {where}".encode())
        self.user[where] = path.read_bytes()
        if where.startswith("articles/"):
            self.unproven.add("user-notes")
        _publish(self.source, self.out)

    @rule(n=st.integers(min_value=0, max_value=7))
    def hand_made_folder(self, n: int) -> None:
        """A folder of the user's where an article that is not published yet would go: when
        the article comes, it gets the suffixed folder, and the user's stays as it is."""
        if n in self.versions or (self.out / "articles" / f"story-{n}").exists():
            return
        where = f"articles/story-{n}/index.html"
        path = self.out / where
        path.parent.mkdir(parents=True)
        path.write_bytes(b"hand-made")
        self.user[where] = path.read_bytes()
        self.unproven.add(f"story-{n}")
        _publish(self.source, self.out)

    # -- after every step ---------------------------------------------------------------------

    @invariant()
    def the_tree_is_a_clean_publish_and_nothing_else_was_touched(self) -> None:
        if not self.versions:
            return
        clean = self.root / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        for name, data in self.user.items():  # a user's article folder is taken in a clean
            if name.startswith("articles/"):  # publish too (its article goes elsewhere)
                (clean / name).parent.mkdir(parents=True, exist_ok=True)
                (clean / name).write_bytes(data)
        _publish(self.source, clean, force=True)
        want = {
            k: v for k, v in _files(clean).items() if k not in BOOKKEEPING and k not in self.user
        }
        have = {k: v for k, v in _files(self.out).items() if k not in BOOKKEEPING}
        for name, data in self.user.items():
            assert have.pop(name) == data, f"a user's file changed or went: {name}"
        extra = {
            name
            for name in have.keys() - want.keys()
            if name.split("/")[:1] == ["articles"] and name.split("/")[1] in self.unproven
        }
        assert {k: have[k] for k in have.keys() - extra} == want
        assert _files(self.sibling) == self.sibling_before
        for n, data in self.versions.items():
            assert json.loads((self.source / f"story-{n}.json").read_bytes()) == data
        assert not list(self.out.rglob(".*.*-*-*.tmp"))


PublishMachine.TestCase.settings = settings(
    max_examples=6, stateful_step_count=6, deadline=None, derandomize=True
)
test_publish_machine = PublishMachine.TestCase


def test_publish_machine_long(request: pytest.FixtureRequest) -> None:
    """Many more and longer sequences: ``pytest --slow``."""
    if not request.config.getoption("--slow"):
        pytest.skip("a long run: pytest --slow")
    run_state_machine_as_test(
        PublishMachine, settings=settings(max_examples=200, stateful_step_count=25, deadline=None)
    )
