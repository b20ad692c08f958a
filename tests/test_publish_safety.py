"""Issue 15: the published tree and the store belong to wirekit alone.

Each of the thirteen situations the issue reports is reproduced here, numbered as there, and
must now end safely: a hostile manifest, a second process, a typo or Ctrl-C never destroys or
leaks anything. Most run the command line in this process (:func:`wirekit.cli.main`), which is
what ``wirekit`` runs, minus the start-up cost; Ctrl-C and the race run real processes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import ROOT, SEEDS
from tests.conftest import tree_bytes as tree
from wirekit import cli
from wirekit.config import Config
from wirekit.files import LOCK, locked
from wirekit.site import manifest
from wirekit.site.check import check_tree
from wirekit.site.index_page import PAGE_SIZE
from wirekit.site.manifest import MANIFEST
from wirekit.site.publish import RUNNING, Publisher
from wirekit.sources import Reader

DESK = """base_url = "https://news.example.org/"
base_iri = "https://news.example.org/id/"
language = "en"
[publisher]
name = "Safety Desk"
url = "https://news.example.org/"
"""
FAST = "json,html,index"
FEEDS = "json,html,ntriples,nquads,atom,rss,jsonfeed,newsml-g2-message,index"

Run = Callable[..., tuple[int, str, str]]


def _seed() -> dict[str, Any]:
    result = next(Reader(Config()).read(SEEDS / "2025-07-30-iran-venezuela-alliance.txt"))
    assert result.data is not None
    return dict(result.data)


BASE = _seed()


def article(n: int, **changes: Any) -> dict[str, Any]:
    data = dict(BASE)
    data.update(
        id=f"urn:wirekit:safety:{n}",
        slug=f"story-{n}",
        headline=f"Story {n}",
        datePublished=f"2025-07-{n % 28 + 1:02d}T10:00:00Z",
        version=1,
    )
    data.update(changes)
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def inputs(folder: Path, count: int) -> Path:
    for n in range(count):
        write(folder / f"story-{n}.json", article(n))
    return folder


def publish_once(
    wk: Run, tmp_path: Path, count: int, formats: str
) -> tuple[Path, Path, tuple[str, ...]]:
    """``count`` stories published once into ``tmp_path/out`` with ``formats``: the inputs'
    folder, the tree, and the command that publishes them again."""
    source = inputs(tmp_path / "in", count)
    out = tmp_path / "out"
    args = ("publish", str(source), "--out", str(out), "--formats", formats)
    assert wk(*args)[0] == 0
    return source, out, args


@pytest.fixture
def wk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Run]:
    """``wirekit ARGS`` in this process: (exit code, stdout, stderr)."""
    config = tmp_path / "wirekit.toml"
    config.write_text(DESK, encoding="utf-8")
    shown = warnings.showwarning

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        command = list(args)
        if command[0] in ("publish", "load"):
            command += ["--config", str(config)]
        with pytest.raises(SystemExit) as exited:
            cli.main(command)
        out, err = capsys.readouterr()
        assert "internal error" not in err and "Traceback" not in err, err
        return int(exited.value.code or 0), out, err

    yield run
    warnings.showwarning = shown


def _edit_manifest(
    out: Path, change: Callable[[dict[str, Any]], None], extra: tuple[dict[str, Any], ...] = ()
) -> None:
    """Edit the manifest's records as an attacker with a text editor would, keeping its last
    line valid (a digest is no secret: it proves only that the file is whole)."""
    path = out / MANIFEST
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()[:-1]]
    for record in records:
        change(record)
    records.extend(extra)
    body = b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in records)
    end = {"end": len(records), "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(body + orjson.dumps(end, option=orjson.OPT_APPEND_NEWLINE))


# 1. a hand-edited manifest deletes any file on the machine -----------------------------------


@pytest.mark.parametrize("name", ["../../../victim.txt", "ABSOLUTE", "../index.html"])
def test_1_a_manifest_naming_files_outside_an_article_folder_deletes_nothing(
    wk: Run, tmp_path: Path, name: str
) -> None:
    source = inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    target = str(victim) if name == "ABSOLUTE" else name
    assert wk("publish", str(source), "--out", str(out), "--formats", FAST)[0] == 0

    def hostile(record: dict[str, Any]) -> None:
        if record.get("folder") == "story-1":
            record["files"] = [*record["files"], target]

    _edit_manifest(out, hostile)
    (source / "story-1.json").unlink()
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST, "--prune")
    assert code == 0
    assert "not one an exporter writes" in err and "removing nothing" in err
    assert victim.read_text(encoding="utf-8") == "mine"
    assert (out / "index.html").is_file() and (out / "articles" / "story-1").is_dir()


def test_1_a_manifest_naming_a_folder_outside_the_tree_deletes_nothing(
    wk: Run, tmp_path: Path
) -> None:
    source = inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "article.json").write_text("{}", encoding="utf-8")
    assert wk("publish", str(source), "--out", str(out), "--formats", FAST)[0] == 0

    def hostile(record: dict[str, Any]) -> None:
        if record.get("folder") == "story-1":
            record["folder"] = "../../victim"

    _edit_manifest(out, hostile)
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST, "--prune")
    assert code == 0 and "/folder" in err
    assert (tmp_path / "victim" / "article.json").is_file()
    # the run rewrote the manifest whole: the next run has nothing to report
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST)
    assert code == 0 and err == ""


# 2. a hand-edited manifest publishes any readable file ---------------------------------------


def test_2_a_manifest_naming_another_file_as_a_source_never_gets_it_read(
    wk: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = inputs(tmp_path / "in", 6)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42 the board's minutes\n\nTOPSECRET-42 again.\n", "utf-8")
    out = tmp_path / "out"
    assert wk("publish", str(source), "--out", str(out), "--formats", FEEDS)[0] == 0
    story = str(source / "story-0.json")

    def hostile(record: dict[str, Any]) -> None:
        if record.get("input") == story:
            record["folders"] = [*record["folders"], "leak"]

    last = orjson.loads((out / MANIFEST).read_bytes().splitlines()[-2])
    leak = dict(last, folder="leak", source=str(secret), id="urn:x:leak")
    _edit_manifest(out, hostile, (leak,))
    (out / "articles" / "leak").mkdir()
    read: list[str] = []
    original = Reader.read

    def spy(self: Reader, source: str | Path, **kwargs: Any) -> Iterator[Any]:
        read.append(str(source))
        return original(self, source, **kwargs)

    monkeypatch.setattr(Reader, "read", spy)
    write(source / "story-1.json", article(1, headline="Story 1, changed"))  # feeds redrawn
    assert wk("publish", str(source), "--out", str(out), "--formats", FEEDS)[0] == 0
    assert str(secret) not in read
    assert not [name for name, data in tree(out).items() if b"TOPSECRET" in data]


# 3. a typo in the input folder, or an empty one, wipes the live site -------------------------


@pytest.mark.parametrize("given", ["cpy", "empty"])
def test_3_a_mistyped_or_empty_input_folder_removes_nothing(
    wk: Run, tmp_path: Path, given: str
) -> None:
    _, out, _ = publish_once(wk, tmp_path, 5, FEEDS)
    before = tree(out)
    (tmp_path / "empty").mkdir()
    code, stdout, err = wk("publish", str(tmp_path / given), "--out", str(out), "--formats", FEEDS)
    assert code == 1
    assert "would remove 5 of the 5 published articles" in err and "none of them removed" in err
    why = "no such file or folder" if given == "cpy" else "a folder with no file wirekit reads"
    assert f"{tmp_path / given}: {why}" in err and "1 inputs failed" in stdout
    assert tree(out) == before
    assert all(v.status != "FAIL" for v in check_tree(out, Config()))


def test_3_a_run_that_would_remove_more_than_max_remove_stops_unless_pruning(
    wk: Run, tmp_path: Path
) -> None:
    source, out, args = publish_once(wk, tmp_path, 5, FAST)
    for n in (3, 4):
        (source / f"story-{n}.json").unlink()
    before = tree(out)
    code, _, err = wk(*args)
    assert code == 1 and "would remove 2 of the 5" in err and tree(out) == before
    dry = wk(*args, "--dry-run", "--prune")
    assert dry[0] == 0 and "would be removed: story-3" in dry[1] and tree(out) == before
    code, stdout, _ = wk(*args, "--prune")
    assert code == 0 and "story-3 (removed)" in stdout
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["story-0", "story-1", "story-2"]


def test_3_a_run_in_which_every_input_fails_removes_nothing(wk: Run, tmp_path: Path) -> None:
    source, out, args = publish_once(wk, tmp_path, 2, FAST)
    before = tree(out)
    for path in source.iterdir():
        path.write_text("{broken", encoding="utf-8")
    code, _, err = wk(*args, "--prune")
    assert code == 1 and "no article read from the inputs" in err
    assert tree(out) == before


# 4. the sweep after an interrupted run deletes user files ------------------------------------


def test_4_the_sweep_after_a_killed_run_removes_only_that_runs_temporaries(
    wk: Run, tmp_path: Path
) -> None:
    _, out, args = publish_once(wk, tmp_path, 2, FAST)
    mine = out / ".myproject.tmp" / "src" / "main.c"
    mine.parent.mkdir(parents=True)
    mine.write_text("int main;", encoding="utf-8")
    (out / "articles" / "story-0" / ".notes.1-2-3.tmp").write_text("notes", encoding="utf-8")
    killed = "0123456789ab"
    (out / RUNNING).write_text(f"{killed}\n", encoding="ascii")
    staging = out / "articles" / f".story-9.{killed}-77-1.tmp"
    staging.mkdir()
    (staging / "article.json").write_text("{", encoding="utf-8")
    (out / f".index.html.{killed}-77-2.tmp").write_text("<", encoding="utf-8")
    assert wk(*args)[0] == 0
    assert mine.read_text(encoding="utf-8") == "int main;"
    assert (out / "articles" / "story-0" / ".notes.1-2-3.tmp").is_file()
    assert not staging.exists() and not (out / f".index.html.{killed}-77-2.tmp").exists()
    assert not (out / RUNNING).exists()


def test_4_a_run_killed_while_writing_its_marker_leaves_no_temporary(
    wk: Run, tmp_path: Path
) -> None:
    """Killed while writing the running marker, a run leaves the marker's temporary and no
    marker naming its id: the next run, holding the lock, sweeps that temporary all the same
    (found by the publish state machine), and nothing else of that shape."""
    _, out, args = publish_once(wk, tmp_path, 2, FAST)
    marker = out / f".{RUNNING}.0123456789ab-77-1.tmp"
    marker.write_text("0123", encoding="ascii")
    other = out / ".wirekit-lockish.0123456789ab-77-2.tmp"  # not the marker's: stays
    other.write_text("x", encoding="ascii")
    assert wk(*args)[0] == 0
    assert not marker.exists() and other.is_file()


# 5. load --store pointed at an ordinary folder deletes user files ----------------------------


def test_5_load_refuses_a_folder_that_is_neither_empty_nor_a_store(wk: Run, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, text in (("000005.log", "a"), ("000007.sst", "b"), ("LOG", "c")):
        (folder / name).write_text(text, encoding="utf-8")
    before = tree(folder)
    for _ in range(2):
        code, _, err = wk("load", str(SEEDS), "--store", str(folder))
        assert code == 2 and "not an Oxigraph store" in err and err.count("\n") == 1
        assert tree(folder) == before


# 6. publishing into a folder that was never a wirekit tree overwrites ------------------------


def test_6_a_non_empty_folder_that_is_not_a_tree_is_refused_unless_forced(
    wk: Run, tmp_path: Path
) -> None:
    source = inputs(tmp_path / "in", 1)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<p>my site</p>", encoding="utf-8")
    (out / "rss.xml").write_text("<rss/>", encoding="utf-8")
    before = tree(out)
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST)
    assert code == 2 and "index.html, rss.xml" in err and "--force" in err
    assert tree(out) == before
    assert wk("publish", str(source), "--out", str(out), "--formats", FAST, "--force")[0] == 0
    assert (out / "rss.xml").read_text(encoding="utf-8") == "<rss/>"  # not ours: kept
    assert wk("publish", str(source), "--out", str(out), "--formats", FAST)[0] == 0  # ours now


# 7. two publishes into one --out have no lock ------------------------------------------------


def test_7_a_second_writer_waits_for_the_lock_or_fails_clearly(wk: Run, tmp_path: Path) -> None:
    source = inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    out.mkdir()
    with locked(out, 0):
        code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST)
        assert code == 1 and "another wirekit run is writing" in err and "--wait" in err
        assert sorted(p.name for p in out.iterdir()) == [LOCK]
    holder = threading.Event()

    def hold() -> None:
        with locked(out, 0):
            holder.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold)
    thread.start()
    holder.wait()
    started = time.monotonic()
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST, "--wait", "20")
    thread.join()
    assert code == 0, err
    assert time.monotonic() - started >= 0.4


def _publish_in_child(out: str, source: str, formats: tuple[str, ...]) -> None:
    summary = Publisher(Path(out), formats=formats, jobs=1, wait=120, prune=True).run([source])
    os._exit(1 if summary.failures else 0)


@pytest.mark.parametrize("same", [True, False], ids=["same-inputs", "different-inputs"])
def test_7_two_publishes_at_once_twenty_times_leave_a_tree_that_checks(
    tmp_path: Path, same: bool
) -> None:
    """Two processes publish into one folder at once, 20 rounds: both end cleanly and the
    tree agrees with itself (folders, manifest and index) and passes ``check``."""
    one = inputs(tmp_path / "one", 6)
    two = one if same else tmp_path / "two"
    if not same:
        for n in range(6, 12):
            write(two / f"story-{n}.json", article(n))
    out = tmp_path / "out"
    context = multiprocessing.get_context("fork")
    formats = ("json", "html", "index")
    for _ in range(20):
        children = [
            context.Process(target=_publish_in_child, args=(str(out), str(s), formats))
            for s in (one, two)
        ]
        for child in children:
            child.start()
        for child in children:
            child.join(120)
            assert child.exitcode == 0
        recorded = set(manifest.read(out / MANIFEST).articles)
        folders = {p.name for p in (out / "articles").iterdir()}
        page = (out / "index.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="articles/([^/"]+)/', page))
        assert recorded == folders == linked
        assert not list(out.rglob("*.tmp"))
        assert all(v.status != "FAIL" for v in check_tree(out, Config()))


def test_7_two_real_wirekit_commands_at_once_both_end_cleanly(tmp_path: Path) -> None:
    """The race above through the real command line, a few rounds: the lock, the wait and the
    exit codes as an operator's two cron jobs would meet them."""
    one = inputs(tmp_path / "one", 4)
    two = tmp_path / "two"
    for n in range(4, 8):
        write(two / f"story-{n}.json", article(n))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "wirekit", "publish", "--out", str(out), "--formats"]
    for _ in range(3):
        runs = [
            subprocess.Popen(
                [*command, "json,html,index", "--wait", "120", "--prune", str(source)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for source in (one, two)
        ]
        for run in runs:
            _, err = run.communicate(timeout=180)
            assert run.returncode == 0, err
            assert "Traceback" not in err and "internal error" not in err, err
        folders = {p.name for p in (out / "articles").iterdir()}
        assert set(manifest.read(out / MANIFEST).articles) == folders
        assert all(v.status != "FAIL" for v in check_tree(out, Config()))


# 8. input and output overlap -----------------------------------------------------------------


@pytest.mark.parametrize("where", ["same", "inside", "link", "holds"])
def test_8_inputs_overlapping_the_output_are_refused(wk: Run, tmp_path: Path, where: str) -> None:
    source = inputs(tmp_path / "in", 2)
    (tmp_path / "link").symlink_to(source)
    out = {
        "same": source,
        "inside": source / "site",
        "link": tmp_path / "link" / "site",
        "holds": tmp_path,
    }[where]
    before = tree(tmp_path / "in")
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST)
    assert code == 2 and "overlap" in err and err.count("\n") == 1
    assert tree(tmp_path / "in") == before


# 9. a file name that is not UTF-8 ------------------------------------------------------------


def test_9_a_file_name_that_is_not_utf8_is_reported_and_skipped(wk: Run, tmp_path: Path) -> None:
    source = inputs(tmp_path / "in", 1)
    odd = os.path.join(os.fsencode(source), b"caf\xe9-story.json")
    with open(odd, "w", encoding="utf-8") as stream:
        json.dump(article(7), stream)
    out = tmp_path / "out"
    for _ in range(2):  # the manifest is written: the next run works as well
        code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST)
        assert code == 0 and "caf\\xe9-story.json: the file name is not UTF-8; skipped" in err
        assert manifest.read(out / MANIFEST).articles.keys() == {"story-0"}


# 10. the same id under two slugs -------------------------------------------------------------


@pytest.mark.parametrize("newer", ["first", "second"])
def test_10_the_same_id_under_two_slugs_is_one_article_the_later_version(
    wk: Run, tmp_path: Path, newer: str
) -> None:
    source = tmp_path / "in"
    versions = (2, 1) if newer == "first" else (1, 2)
    write(source / "a.json", article(1, slug="one", version=versions[0], headline="Headline A"))
    write(source / "b.json", article(1, slug="two", version=versions[1], headline="Headline B"))
    out = tmp_path / "out"
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FEEDS)
    assert code == 0 and "is also in" in err
    kept = "one" if newer == "first" else "two"
    assert {p.name for p in (out / "articles").iterdir()} == {kept}
    atom = (out / "atom.xml").read_text(encoding="utf-8")
    assert atom.count("<id>urn:wirekit:safety:1</id>") == 1
    headline = "Headline A" if newer == "first" else "Headline B"
    assert headline in atom
    dump = (out / "all.nq").read_text(encoding="utf-8")
    assert dump.count("Headline") == dump.count(headline) > 0
    # the loser's folder, written earlier, goes when it loses
    write(source / "b.json", article(1, slug="two", version=5, headline="Headline C"))
    assert wk("publish", str(source), "--out", str(out), "--formats", FEEDS)[0] == 0
    assert {p.name for p in (out / "articles").iterdir()} == {"two"}
    assert "Headline C" in (out / "atom.xml").read_text(encoding="utf-8")


def test_10_the_same_id_twice_in_one_folder_keeps_the_later_version(
    wk: Run, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    write(source / "a.json", article(1, version=3, headline="Newest"))
    write(source / "b.json", article(1, version=2, headline="Older"))
    out = tmp_path / "out"
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FEEDS)
    assert code == 0 and "is also in" in err
    assert b"Newest" in (out / "articles" / "story-1" / "article.json").read_bytes()
    assert (out / "atom.xml").read_text(encoding="utf-8").count("</entry>") == 1


# 11. a truncated manifest is read as an empty one --------------------------------------------


def test_11_a_truncated_manifest_is_reported_and_the_run_removes_nothing(
    wk: Run, tmp_path: Path
) -> None:
    source, out, args = publish_once(wk, tmp_path, 3, FAST)
    path = out / MANIFEST
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:-2]))
    (source / "story-2.json").unlink()
    code, _, err = wk(*args, "--prune")
    notice = [line for line in err.splitlines() if MANIFEST in line]
    assert code == 0 and len(notice) == 1
    assert "truncated" in notice[0] and "removing nothing" in notice[0]
    assert (out / "articles" / "story-2" / "article.json").is_file()
    assert set(manifest.read(path).articles) == {"story-0", "story-1"}


# 12. Ctrl-C ----------------------------------------------------------------------------------


AS_A_TERMINAL_STARTS_IT = (
    "import os, signal, sys\n"
    "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})\n"
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])\n"
)
"""Runs the command with Ctrl-C as a shell gives it, whatever the test runner's own state: an
ignored or blocked SIGINT would be inherited, and the command could not be interrupted."""


def test_12_ctrl_c_stops_cleanly_with_one_line_and_the_rerun_finishes(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    with archive.open("w", encoding="utf-8") as stream:
        for n in range(2000):
            stream.write(json.dumps(article(n)) + "\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "wirekit", "publish", str(archive), "--out", str(out)]
    command += ["--formats", "json,html,index", "-j", "2"]
    interrupted = 0
    runs: list[str] = []
    # after the run took the folder (a fast machine is done in about 2 s); should every signal
    # come too late on some machine, a few more at once into an emptied folder
    moments: list[float | None] = [0.05, 0.3, 0.8]
    for planned in moments:
        if planned is None:
            shutil.rmtree(out, ignore_errors=True)
        delay = planned or 0.0
        process = subprocess.Popen(
            [sys.executable, "-c", AS_A_TERMINAL_STARTS_IT, *command[1:]],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        started = time.monotonic()
        marker = out / RUNNING  # holds the run's id while it runs: from then on, it is wirekit's
        while time.monotonic() - started < 60 and process.poll() is None:
            if marker.is_file() and marker.read_bytes().strip():
                break
            time.sleep(0.01)  # a Ctrl-C while Python itself starts up is Python's to report
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the workers get it too
        signalled = time.monotonic() - started
        _, err = process.communicate(timeout=120)
        text = err.decode()
        runs.append(
            f"signal at {signalled:.2f} s, end at {time.monotonic() - started:.2f} s, "
            f"exit {process.returncode}: {text[:200]!r}"
        )
        assert "Traceback" not in text and "internal error" not in text, text
        if process.returncode == 130:
            interrupted += 1
            assert re.fullmatch(
                r"wirekit: interrupted(: \d+ article folders? written, none recorded yet \(the "
                r"manifest still holds \d+ articles?, as before this run\); the tree is "
                r"consistent; run again to finish)?",
                text.splitlines()[0],
            ), text
            assert all(line.startswith("wirekit: warning: ") for line in text.splitlines()[1:])
            assert not list(out.rglob("*.tmp"))
            assert (out / RUNNING).exists()  # kept: the next run knows this one did not finish
        else:
            assert process.returncode == 0, text
        for path in (out / "articles").rglob("article.json"):
            orjson.loads(path.read_bytes())  # whole
        if not interrupted and planned is moments[-1] and len(moments) < 6:
            moments.append(None)
    assert interrupted, f"every run finished before the signal: {runs}"
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    clean = tmp_path / "clean"
    subprocess.run([*command[:6], str(clean), *command[7:]], cwd=ROOT, check=True)
    assert tree(out) == tree(clean)


def test_12_ctrl_c_while_the_command_starts_is_one_line_too() -> None:
    """A Ctrl-C while the command line's modules are still importing (here: raised by the
    import itself, which is where a real one lands in the first moments) is the same one line
    and exit 130, not Python's traceback; and importing the package, the only thing before
    that point, loads none of wirekit's modules."""
    interrupt = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def importing(name, *args, **kwargs):\n"
        "    if name == 'wirekit.cli':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = importing\n"
        "sys.argv = ['wirekit', 'formats']\n"
        "from wirekit.__main__ import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", interrupt], capture_output=True, check=False)
    assert (done.returncode, done.stderr) == (130, b"wirekit: interrupted\n")
    loaded = "import sys, wirekit; print(sorted(m for m in sys.modules if m.startswith('wirekit')))"
    done = subprocess.run([sys.executable, "-c", loaded], capture_output=True, check=True)
    assert done.stdout.decode().strip() == "['wirekit']"


# 13. environment failures labelled "internal error" ------------------------------------------


def test_13_out_being_a_file_is_misuse_in_one_line(wk: Run, tmp_path: Path) -> None:
    source = inputs(tmp_path / "in", 1)
    (tmp_path / "site").write_text("a file", encoding="utf-8")
    code, _, err = wk("publish", str(source), "--out", str(tmp_path / "site"))
    assert code == 2 and err.count("\n") == 1 and "is a file" in err


@pytest.mark.parametrize(
    ("number", "cause"), [(errno.ENOSPC, "No space left"), (errno.EROFS, "Read-only file system")]
)
def test_13_a_full_or_read_only_disk_is_one_line_naming_the_path(
    wk: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, cause: str
) -> None:
    source = inputs(tmp_path / "in", 2)
    out = tmp_path / "out"

    def failing(target: Path, files: dict[str, bytes]) -> None:
        raise OSError(number, os.strerror(number), str(target))

    monkeypatch.setattr("wirekit.pipeline.atomic_folder", failing)
    code, _, err = wk("publish", str(source), "--out", str(out), "--formats", FAST, "-j", "1")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"wirekit: error: {out / 'articles' / 'story-0'}: {cause}")


def test_13_check_during_a_publish_skips_what_the_publish_is_writing(
    wk: Run, tmp_path: Path
) -> None:
    _, out, _ = publish_once(wk, tmp_path, 1, FAST)
    staging = out / "articles" / ".story-5.0123456789ab-1-1.tmp"
    staging.mkdir()
    (staging / "article.json").write_text("{", encoding="utf-8")  # half written
    code, out_text, _ = wk("check", str(out))
    assert code == 0 and ".story-5" not in out_text


# what the operator is told -------------------------------------------------------------------


def test_quiet_and_verbose_and_warnings_grouped_by_kind(wk: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = wk("-v", "publish", str(SEEDS), "--out", str(out))
    assert code == 0
    assert stdout.count("written: ") == len(manifest.read(out / MANIFEST).articles) > 0
    every = err.count("warning:")
    shutil_tree = tmp_path / "again"
    code, stdout, grouped = wk("publish", str(SEEDS), "--out", str(shutil_tree))
    assert code == 0 and "changed: " in stdout and "(written)" in stdout
    kinds = grouped.count("warning:")
    assert kinds < every and kinds <= 12, grouped
    assert "first in " in grouped
    code, stdout, err = wk("publish", str(SEEDS), "--out", str(tmp_path / "quiet"), "-q")
    assert code == 0 and stdout == ""


# found later by a hostile operator: folders of the tree wirekit did not make ----------------


def test_a_hand_made_folder_where_a_new_article_goes_is_left_alone(wk: Run, tmp_path: Path) -> None:
    source, out, args = publish_once(wk, tmp_path, 2, FAST)
    hand = out / "articles" / "story-5"
    hand.mkdir()
    (hand / "index.html").write_text("HANDMADE", encoding="utf-8")
    (hand / "article.json").write_text('{"id": "urn:someone:else"}', encoding="utf-8")
    before = tree(hand)
    write(source / "story-5.json", article(5))
    code, out_text, _ = wk(*args)
    assert code == 0
    assert tree(hand) == before
    moved = [p.name for p in (out / "articles").iterdir() if p.name.startswith("story-5-")]
    assert len(moved) == 1 and moved[0] in out_text
    assert json.loads((out / "articles" / moved[0] / "article.json").read_bytes())["id"] == (
        "urn:wirekit:safety:5"
    )
    assert f'href="articles/{moved[0]}/"' in (out / "index.html").read_text(encoding="utf-8")


def test_a_folder_a_killed_run_left_for_its_article_is_taken_again(wk: Run, tmp_path: Path) -> None:
    """The canonical file inside names the article: wirekit wrote it, the manifest only never
    said so (the run was killed before it wrote the manifest)."""
    source, out, args = publish_once(wk, tmp_path, 2, FAST)
    recorded = (out / MANIFEST).read_bytes()
    write(source / "story-5.json", article(5))
    assert wk(*args)[0] == 0
    (out / MANIFEST).write_bytes(recorded)  # the folder is there, the manifest as before
    assert wk(*args)[0] == 0
    assert sorted(p.name for p in (out / "articles").iterdir()) == [
        "story-0",
        "story-1",
        "story-5",
    ]
    assert "story-5" in manifest.read(out / MANIFEST).articles


def test_a_foreign_file_where_a_lifted_embargo_puts_the_page_is_refused_in_one_line(
    wk: Run, tmp_path: Path
) -> None:
    source = inputs(tmp_path / "in", 1)
    write(source / "story-7.json", article(7, embargoedUntil="2025-08-13T09:00:00Z"))
    out = tmp_path / "out"
    args = ("publish", str(source), "--out", str(out), "--formats", FAST)
    assert wk(*args, "--now", "2025-08-12T09:00:00Z")[0] == 0
    page = out / "articles" / "story-7" / "index.html"
    assert not page.exists()
    page.write_text("MINE", encoding="utf-8")
    code, _, err = wk(*args, "--now", "2025-08-14T09:00:00Z")
    assert code == 1
    assert f"{page}: not written by wirekit" in err
    assert page.read_text(encoding="utf-8") == "MINE"
    assert "story-7" not in (out / "index.html").read_text(encoding="utf-8")
    page.unlink()
    code, _, err = wk(*args, "--now", "2025-08-14T09:00:00Z")
    assert code == 0, err
    assert "story-7" in (out / "index.html").read_text(encoding="utf-8")


def _stopped_at(step: str, monkeypatch: pytest.MonkeyPatch, wk: Run, *args: str) -> None:
    """``wirekit ARGS`` stopped by Ctrl-C as the reduce reaches ``step`` (a method of
    :class:`~wirekit.pipeline.Reduction`), before the run writes its manifest."""
    from wirekit.pipeline import Reduction

    def interrupted(self: Reduction) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(Reduction, step, interrupted)
        code, _, err = wk(*args)
    assert code == 130 and "run again to finish" in err


def test_a_run_stopped_after_writing_a_format_added_back_is_finished_by_the_next(
    wk: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped run wrote the new format's file into recorded folders, but not the manifest:
    each file holds exactly what the article's export makes, so it is taken as wirekit's,
    where a file of someone else's there (above) is refused."""
    source, out, _ = publish_once(wk, tmp_path, 3, FAST)
    args = ("publish", str(source), "--out", str(out), "--formats", f"{FAST},ntriples")
    _stopped_at("finish", monkeypatch, wk, *args)  # the articles are written, nothing else
    assert (out / "articles" / "story-1" / "article.nt").is_file()
    code, _, err = wk(*args)
    assert code == 0, err
    assert "article.nt" in manifest.read(out / MANIFEST).articles["story-1"].files


def test_a_link_in_an_article_folders_place_fails_that_article_alone(
    wk: Run, tmp_path: Path
) -> None:
    source, out, args = publish_once(wk, tmp_path, 3, FEEDS)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(out / "articles" / "story-1", elsewhere, dirs_exist_ok=True)
    (elsewhere / "article.nt").write_text("<urn:x> <urn:y> <urn:secret> .\n", encoding="utf-8")
    outside = tree(elsewhere)
    shutil.rmtree(out / "articles" / "story-1")
    link = out / "articles" / "story-1"
    link.symlink_to(elsewhere)
    write(source / "story-2.json", article(2, headline="Story 2, corrected"))
    for _ in range(2):  # and the next run too: the link never stops the others
        code, _, err = wk(*args)
        assert code == 1
        assert err.count("a symbolic link where the article's folder should be") == 1, err
        assert f"{link}:" in err
        assert "Story 2, corrected" in (out / "atom.xml").read_text(encoding="utf-8")
        assert "urn:secret" not in (out / "all.nq").read_text(encoding="utf-8")
        assert link.is_symlink() and tree(elsewhere) == outside
    (source / "story-1.json").unlink()
    code, _, err = wk(*args, "--prune")
    assert code == 1 and "a symbolic link" in err
    assert link.is_symlink() and tree(elsewhere) == outside


def test_a_reused_slug_links_each_article_to_the_page_it_really_got(
    wk: Run, tmp_path: Path
) -> None:
    """Two articles with one slug and no ``url``: the second is published in the slug plus a
    suffix, and every link to it (feeds, sitemap, index, its own page) goes there."""
    source = tmp_path / "in"
    write(source / "a.json", article(1, slug="same"))
    write(source / "b.json", article(2, slug="same"))
    (source / "c.txt").write_text(
        "slug same\nid urn:wirekit:safety:3\ndate 2025-07-03\n\nLISBON - A third story.\n",
        encoding="utf-8",
    )
    for data in (article(1), article(2)):
        assert "url" not in data
    out = tmp_path / "out"
    formats = f"{FEEDS},jsonld,news-sitemap"
    now = "2025-07-03T12:00:00Z"  # the news sitemap lists the last two days' articles only
    assert wk("publish", str(source), "--out", str(out), "--formats", formats, "--now", now)[0] == 0
    pages = {
        json.loads((folder / "article.json").read_bytes())["id"]: folder.name
        for folder in (out / "articles").iterdir()
    }
    assert sorted(pages.values())[0] == "same" and len(set(pages.values())) == 3
    base = "https://news.example.org/articles/"
    wanted = {f"{base}{folder}/" for folder in pages.values()}
    for name in ("atom.xml", "rss.xml", "feed.json", "news-sitemap.xml"):
        text = (out / name).read_text(encoding="utf-8")
        assert set(re.findall(rf"{base}[a-z0-9-]+/", text)) == wanted, name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert {f"articles/{folder}/" for folder in pages.values()} <= set(
        re.findall(r"articles/[a-z0-9-]+/", index)
    )
    for article_id, folder in pages.items():
        page = out / "articles" / folder
        own = f"{base}{folder}/"
        assert f'<link rel="canonical" href="{own}">' in (page / "index.html").read_text("utf-8")
        assert json.loads((page / "article.json").read_bytes())["url"] == own, article_id
        assert set(re.findall(rf"{base}[a-z0-9-]+/", (page / "article.jsonld").read_text())) == {
            own
        }


# found later by a hostile operator: tree-level files wirekit did not write -----------------


def _recorded(out: Path) -> set[str]:
    record = manifest.read(out / MANIFEST)
    return {*record.pages, *record.collection_files}


def _not_ours(path: Path) -> str:
    return f"{path}: not written by wirekit (the manifest does not record it)"


def test_a_hand_made_page_where_the_archive_grows_is_refused_and_left_alone(
    wk: Run, tmp_path: Path
) -> None:
    source, out, args = publish_once(wk, tmp_path, PAGE_SIZE, FAST)
    assert not (out / "index-2.html").exists()
    page = out / "index-2.html"
    page.write_text("HANDMADE", encoding="utf-8")
    write(source / f"story-{PAGE_SIZE}.json", article(PAGE_SIZE))  # a second page now
    code, _, err = wk(*args)
    assert code == 1 and _not_ours(page) in err
    assert page.read_text(encoding="utf-8") == "HANDMADE"
    assert "index-2.html" not in _recorded(out)
    assert f"articles/story-{PAGE_SIZE}/" in (out / "index.html").read_text(encoding="utf-8")
    assert wk(*args)[0] == 1  # every run, until the file is moved away
    page.unlink()
    code, _, err = wk(*args)
    assert code == 0, err
    assert "<!DOCTYPE html>" in page.read_text(encoding="utf-8")
    assert "index-2.html" in _recorded(out)


def test_a_hand_made_section_page_is_refused_when_its_section_appears(
    wk: Run, tmp_path: Path
) -> None:
    source, out, args = publish_once(wk, tmp_path, 2, FEEDS)
    page = out / "sections" / "culture" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("HANDMADE", encoding="utf-8")
    write(source / "story-5.json", article(5, section="culture"))
    code, _, err = wk(*args)
    assert code == 1 and _not_ours(page) in err
    assert page.read_text(encoding="utf-8") == "HANDMADE"
    # the rest of the run is done: the new article is on the front page and in the feeds
    assert "articles/story-5/" in (out / "index.html").read_text(encoding="utf-8")
    assert "Story 5" in (out / "atom.xml").read_text(encoding="utf-8")
    assert "sections/culture/index.html" not in _recorded(out)
    page.unlink()
    code, _, err = wk(*args)  # nothing changed since, but the page is drawn now
    assert code == 0, err
    assert "articles/story-5/" in page.read_text(encoding="utf-8")


def test_a_hand_made_collection_where_a_format_comes_back_stops_the_run_before_writing(
    wk: Run, tmp_path: Path
) -> None:
    source, out, _ = publish_once(wk, tmp_path, 3, FAST)
    planted = {out / "atom.xml": "MY FEED", out / "all.nq": "MY DUMP"}
    for path, text in planted.items():
        path.write_text(text, encoding="utf-8")
    write(source / "story-1.json", article(1, headline="Story 1, changed"))
    before = tree(out)
    args = ("publish", str(source), "--out", str(out), "--formats", FEEDS)
    for extra in ((), ("--dry-run",)):
        code, _, err = wk(*args, *extra)
        assert code == 1
        assert all(_not_ours(path) in err for path in planted), err
        assert tree(out) == before  # nothing read, nothing written, no marker left
    code, _, err = wk(*args, "--force")
    assert code == 0, err
    assert all(path.read_text(encoding="utf-8") != text for path, text in planted.items())
    assert {"atom.xml", "all.nq"} <= _recorded(out)


def test_a_hand_made_file_where_an_undrawn_collection_was_survives(wk: Run, tmp_path: Path) -> None:
    source, out, _ = publish_once(wk, tmp_path, 3, FEEDS)
    fewer = ("publish", str(source), "--out", str(out), "--formats", "json,html")
    assert wk(*fewer)[0] == 0  # wirekit's own collections and index go
    assert not (out / "atom.xml").exists() and not (out / "index.html").exists()
    planted = {name: f"MINE {name}" for name in ("atom.xml", "all.nq", "index.html")}
    for name, text in planted.items():
        (out / name).write_text(text, encoding="utf-8")
    write(source / "story-1.json", article(1, headline="Story 1, changed"))
    for _ in range(2):  # an article changed, then nothing did
        code, _, err = wk(*fewer)
        assert code == 0, err
        assert {name: (out / name).read_text(encoding="utf-8") for name in planted} == planted


def test_a_run_killed_after_drawing_a_new_collection_leaves_it_wirekits(
    wk: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest records a tree-level file before it is first written, so a run stopped
    between that write and the manifest's does not leave the next run refusing its own file."""
    source, out, _ = publish_once(wk, tmp_path, 3, FAST)
    args = ("publish", str(source), "--out", str(out), "--formats", f"{FAST},atom,rss,nquads")
    _stopped_at("_remove_undrawn_collections", monkeypatch, wk, *args)  # collections drawn
    assert (out / "atom.xml").is_file()
    code, _, err = wk(*args)
    assert code == 0, err
    assert {"atom.xml", "all.nq", "rss.xml"} <= _recorded(out)


def test_a_stopped_run_s_folders_are_judged_again_even_if_the_inputs_go_back(
    wk: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped (or killed) run may have written article folders its manifest never learnt
    of. If the operator then puts the inputs back as they were (the change was a mistake),
    they match the manifest again, and a run that trusted it would keep the mistake online."""
    source, out, args = publish_once(wk, tmp_path, 3, FEEDS)
    published = tree(out)
    story = source / "story-1.json"
    before = story.read_bytes()
    write(story, article(1, headline="Not for publication"))
    _stopped_at("finish", monkeypatch, wk, *args)  # the folder is written, not the manifest
    assert b"Not for publication" in (out / "articles" / "story-1" / "index.html").read_bytes()
    story.write_bytes(before)
    code, _, err = wk(*args)
    assert code == 0, err
    assert tree(out) == published
    assert "did not finish" in err


def test_a_linked_section_folder_is_neither_written_through_nor_emptied(
    wk: Run, tmp_path: Path
) -> None:
    """A section's folder swapped for a link to a folder outside the tree: its recorded pages
    are not written through the link, nor removed through it; one line, not an internal error."""
    source = tmp_path / "in"
    for n in range(3):
        write(source / f"story-{n}.json", article(n, section="World"))
    out = tmp_path / "out"
    args = ("publish", str(source), "--out", str(out), "--formats", FEEDS)
    assert wk(*args)[0] == 0
    section = next((out / "sections").iterdir())
    elsewhere = tmp_path / "elsewhere"
    section.rename(elsewhere)
    section.symlink_to(elsewhere, target_is_directory=True)
    kept = tree(elsewhere)
    write(source / "story-1.json", article(1, section="World", headline="Story 1, updated"))
    code, _, err = wk(*args)
    assert code == 1, err
    assert "internal error" not in err
    (line,) = [line for line in err.splitlines() if "symbolic link" in line]
    assert line.startswith(f"wirekit: {section}/")
    assert tree(elsewhere) == kept
    assert section.is_symlink()
