"""Shared fixtures: where the official specifications are, the seed articles, CLI runners."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from wirekit.config import Config
from wirekit.config import load as load_config
from wirekit.model import Article
from wirekit.sources import Reader

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SPECS = SHARED / "specs"
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "2025-07-30-iran-venezuela-alliance.txt"

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "slow", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="run the slow profile: many more examples")
    parser.addoption(
        "--accept", action="store_true", help="rewrite golden files from the current output"
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--slow"):
        settings.load_profile("slow")


@pytest.fixture(scope="session")
def specs() -> Path:
    """The official specifications, read from ../shared (never copied into the repository)."""
    if not SPECS.is_dir():
        pytest.fail(f"the official specifications are missing: {SPECS}")
    return SPECS


@pytest.fixture(scope="session")
def repo_config() -> Config:
    """The repository's own wirekit.toml, as `make demo` uses it."""
    return load_config(ROOT / "wirekit.toml")


def seed_files() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".json", ".jsonl"))


@pytest.fixture(scope="session")
def seed_articles(repo_config: Config) -> list[Article]:
    """Every article in seeds/, read with the repository's config."""
    reader = Reader(repo_config)
    found: list[Article] = []
    for path in seed_files():
        for result in reader.read(path):
            assert result.error is None, str(result.error)
            assert result.article is not None
            found.append(result.article)
    return found


@pytest.fixture()
def run_wirekit(tmp_path: Path) -> Iterator[object]:
    """Run the real ``wirekit`` command in a subprocess: (exit code, stdout, stderr)."""

    def run(
        *args: str, stdin: bytes | None = None, cwd: Path | None = None
    ) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-m", "wirekit", *args],
            input=stdin,
            capture_output=True,
            cwd=cwd or ROOT,
            timeout=300,
            check=False,
        )
        return done.returncode, done.stdout.decode(), done.stderr.decode()

    yield run
