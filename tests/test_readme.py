"""The README's shell examples run, so the documentation cannot rot.

Every line of a ``sh`` block that starts with ``wirekit`` or ``cat`` runs in a scratch folder
holding a copy of ``seeds/`` and the repository's settings; it must exit 0, or the code its
comment announces (``# exit 1: ...``). Lines that need a server (``--endpoint``, a
``dask://`` scheduler) are left out,
and so are those that start one (``wirekit serve``), which tests/test_serve.py runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, tree_bytes

_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
_EXIT = re.compile(r"#\s*exit (\d+)")


def _examples() -> list[tuple[str, int]]:
    found = []
    for block in _BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        for line in block.splitlines():
            if (
                not line.startswith(("wirekit ", "cat "))
                or "--endpoint" in line
                or "dask://" in line
                or line.startswith("wirekit serve")
            ):
                continue
            expected = _EXIT.search(line)
            command = line.split("  #", 1)[0].strip()
            found.append((command, int(expected.group(1)) if expected else 0))
    return found


EXAMPLES = _examples()


def test_the_readme_has_examples_to_run() -> None:
    assert len(EXAMPLES) >= 8


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    shutil.copy(ROOT / "wirekit.toml", folder / "wirekit.toml")
    return folder


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_readme_example_runs(scratch: Path, command: str, expected: int) -> None:
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=scratch,
        env=environment,
        capture_output=True,
        timeout=300,
        check=False,
    )
    stderr = done.stderr.decode()
    assert done.returncode == expected, stderr
    assert "Traceback" not in stderr


_PYTHON = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_the_readme_python_examples_run(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _PYTHON.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    usage = [block for block in blocks if "import wirekit" in block]
    assert usage, "the README shows wirekit used from Python"
    monkeypatch.chdir(scratch)
    for block in usage:
        exec(compile(block, "README.md", "exec"), {})


def test_the_stages_example_makes_the_tree_wirekit_publish_makes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_wirekit: Callable[..., tuple[int, str, str]],
) -> None:
    """The README's plan -> map_partition -> reduce example is complete, not a sketch: followed
    literally, it makes byte for byte the tree ``wirekit publish`` makes of the same inputs at
    the same moment (manifest included)."""
    blocks = _PYTHON.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    (example,) = [block for block in blocks if "pipeline.map_partition(" in block]
    assert "pipeline.plan(" in example and "pipeline.reduce(" in example
    assert f'now="{NOW}"' in example
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "wirekit.toml", tmp_path / "wirekit.toml")
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the seeds' lossy conversions, shown by the command
        exec(compile(example, "README.md", "exec"), {})
    publish = ("-q", "publish", "seeds/", "--out", "published", "--now", NOW)
    code, _, err = run_wirekit(*publish, cwd=tmp_path)
    assert code == 0, err
    made = tree_bytes(tmp_path / "stages-site")
    assert len(made) > 50
    assert made == tree_bytes(tmp_path / "published")


NOW = "2026-01-01T00:00:00Z"
"""The moment the README's example publishes at."""
