"""One load at a time into an embedded store, as one publish at a time into a tree (issue 15):
a second load waits up to ``--wait`` seconds for the first, then fails in one line, and a
crashed load's lock is released by the operating system."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from wirekit import files

from .conftest import ROOT, SEEDS

STORE = "store"
LOCK = f".{STORE}{files.LOCK}"


def load(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wirekit", "load", "seeds", "--store", STORE, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def scratch(tmp_path: Path) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copy(ROOT / "wirekit.toml", tmp_path / "wirekit.toml")
    return tmp_path


def test_a_second_load_fails_in_one_line_while_the_first_writes(tmp_path: Path) -> None:
    folder = scratch(tmp_path)
    with files.locked(folder, 0, name=LOCK):  # another load, writing
        done = load(folder)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"wirekit: error: another wirekit run is writing {STORE}; try again when it is "
        "done, or give --wait more seconds"
    ]
    assert not (folder / STORE).exists(), "the waiting load wrote nothing"


def test_a_second_load_waits_for_the_first(tmp_path: Path) -> None:
    folder = scratch(tmp_path)
    held = threading.Event()

    def first() -> None:
        with files.locked(folder, 0, name=LOCK):
            held.set()
            time.sleep(2)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait()
    done = load(folder, "--wait", "60")
    thread.join()
    assert done.returncode == 0, done.stderr
    assert (folder / STORE).is_dir()


def test_a_killed_loads_lock_is_released(tmp_path: Path) -> None:
    folder = scratch(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from wirekit import files\n"
            f"with files.locked(Path(sys.argv[1]), 0, name={LOCK!r}):\n"
            "    print('held', flush=True); time.sleep(600)",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    done = load(folder)
    assert done.returncode == 0, done.stderr


def test_a_dry_run_takes_no_lock(tmp_path: Path) -> None:
    folder = scratch(tmp_path)
    assert load(folder).returncode == 0
    with files.locked(folder, 0, name=LOCK):
        done = load(folder, "--sync", "--dry-run")
    assert done.returncode == 0, done.stderr
