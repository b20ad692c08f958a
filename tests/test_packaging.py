"""The wheel: built offline, it carries the schema and every module, installs on its own, and
works from a folder outside the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from configparser import ConfigParser
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCHEMA = ROOT / "schemas" / "article.schema.json"
ARTICLE = {
    "id": "urn:example:story:1",
    "version": 1,
    "headline": "Talks resume",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Negotiators met again."}],
}


def _pip(*args: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            *args,
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "-w", str(folder), str(ROOT))
    [built] = folder.glob("wirekit-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    _pip("install", "--target", str(target), str(wheel))
    return target


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A working folder outside the repository, with no wirekit.toml above it."""
    assert ROOT not in tmp_path.parents
    return tmp_path


def _members(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _read(wheel: Path, suffix: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(suffix)]
        return archive.read(name).decode("utf-8")


def test_the_wheel_carries_the_schema_unchanged(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("wirekit/article.schema.json") == SCHEMA.read_bytes()


def test_the_wheel_carries_every_file_of_the_package(wheel: Path) -> None:
    members = _members(wheel)
    wanted = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "wirekit").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert wanted - members == set()
    assert {"wirekit/__init__.py", "wirekit/__main__.py", "wirekit/cli.py"} <= members


def test_the_wheel_carries_no_tests_or_seeds(wheel: Path) -> None:
    top = {name.split("/")[0] for name in _members(wheel)}
    assert top <= {"wirekit", *(n for n in top if n.endswith(".dist-info"))}, top


def test_the_wheel_declares_the_entry_points_of_pyproject(wheel: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = ConfigParser(delimiters=("=",))
    declared.optionxform = str  # type: ignore[assignment,method-assign]
    declared.read_string(_read(wheel, ".dist-info/entry_points.txt"))
    assert dict(declared["console_scripts"]) == {"wirekit": "wirekit.__main__:run"}
    for group, entries in project["entry-points"].items():
        assert dict(declared[group]) == entries, group
    assert {"json", "jsonl"} <= set(declared["wirekit.exporters"])
    assert {"json", "text"} <= set(declared["wirekit.importers"])


def test_the_wheel_requires_the_core_dependencies(wheel: Path) -> None:
    metadata = _read(wheel, ".dist-info/METADATA")
    required = {
        line.split(":", 1)[1]
        .strip()
        .split(";")[0]
        .split("[")[0]
        .split(">")[0]
        .split("=")[0]
        .strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    assert {"typer", "jsonschema", "lxml", "rdflib"} <= {r.lower() for r in required}
    assert "Requires-Python: >=3.11" in metadata


def _run(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(installed)},
        check=False,
        timeout=300,
    )


def test_the_installed_package_is_the_one_imported(installed: Path, outside: Path) -> None:
    done = _run(installed, outside, "-c", "import wirekit; print(wirekit.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(installed)


def test_the_installed_package_validates_from_outside(installed: Path, outside: Path) -> None:
    (outside / "article.json").write_text(json.dumps(ARTICLE))
    (outside / "invalid.json").write_text(json.dumps({**ARTICLE, "version": 0}))
    done = _run(
        installed,
        outside,
        "-c",
        "import sys, wirekit, wirekit.cli; print(wirekit.__file__, file=sys.stderr); "
        "sys.argv = ['wirekit', 'validate', 'article.json']; wirekit.cli.main()",
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stderr.strip()).is_relative_to(installed)
    assert done.stdout == "article.json: valid\n"

    done = _run(installed, outside, "-m", "wirekit", "validate", "article.json")
    assert (done.returncode, done.stdout, done.stderr) == (0, "article.json: valid\n", "")

    done = _run(installed, outside, "-m", "wirekit", "validate", "invalid.json")
    assert done.returncode == 1
    assert "invalid.json: /version: " in done.stderr
    assert "Traceback" not in done.stderr


def test_the_installed_package_prints_its_own_schema(installed: Path, outside: Path) -> None:
    done = _run(installed, outside, "-m", "wirekit", "schema")
    assert done.returncode == 0, done.stderr
    assert done.stdout == SCHEMA.read_text(encoding="utf-8")


def test_the_installed_package_converts_wire_copy(installed: Path, outside: Path) -> None:
    (outside / "story.txt").write_text("date 2025-07-30 GENEVA – Talks resumed.\n")
    done = _run(installed, outside, "-m", "wirekit", "convert", "story.txt", "--to", "json")
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert (article["slug"], article["dateline"]["place"]["name"]) == ("story", "GENEVA")
    assert article["id"] == "urn:wirekit:article:story", "no config outside the repository"


def test_help_and_the_console_script(installed: Path, outside: Path) -> None:
    done = _run(installed, outside, "-m", "wirekit", "--help")
    assert done.returncode == 0
    assert "convert" in done.stdout
    script = installed / "bin" / "wirekit"
    assert script.is_file(), "pip did not generate the wirekit console script"
    done = subprocess.run(
        [str(script), "formats"],
        capture_output=True,
        text=True,
        cwd=outside,
        env={**os.environ, "PYTHONPATH": str(installed)},
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "json" in done.stdout


def test_the_development_console_script_exists() -> None:
    script = Path(sys.executable).with_name("wirekit")
    assert script.is_file()
    done = subprocess.run([str(script), "--help"], capture_output=True, check=False, timeout=300)
    assert done.returncode == 0
