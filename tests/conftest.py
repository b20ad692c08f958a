"""Shared fixtures: where the official specifications are, the seed articles, CLI runners.

The official specifications come only through :func:`wirekit.specs.folder`, the lookup the CLI
uses: unless ``$WIREKIT_SPECS`` names a folder, the repository's ``wirekit.toml`` points it at
``.cache/specs`` in the checkout (``make specs`` fills it), never the user's cache, so a run
depends on nothing outside the checkout. Real-world corpora in ``../shared`` are the one
exception: tests that read them are marked ``corpus`` and skipped, with the reason, when the
folder is not beside the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from wirekit import specs as specs_module
from wirekit.compiled import build_line
from wirekit.config import Config
from wirekit.config import load as load_config
from wirekit.model import Article
from wirekit.sources import Reader

ROOT = Path(__file__).resolve().parent.parent
SPECS = specs_module.folder(load_config(ROOT / "wirekit.toml"))
"""The official specifications, where the CLI's lookup finds them in this checkout."""
os.environ[specs_module.ENVIRONMENT] = str(SPECS)  # the same for commands run in scratch folders
SHARED = ROOT.parent / "shared"
"""Real-world corpora beside the repository, read in place; only tests marked ``corpus`` use it."""
CORPUS = SHARED / "corpus"
"""Agency and publisher files as they circulate."""
SAMPLES = SHARED / "specs"
"""Sample documents published with the specifications (IPTC's examples, agency files, the
constructed items): a corpus too, not specifications, so ``wirekit specs`` does not install them."""
CORPUS_MISSING = (
    f"no real-world corpus beside the repository ({SHARED}); tests marked corpus read it"
)
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


def pytest_report_header() -> str:
    """Which build of wirekit the tests run: pure Python, or which modules are compiled (the
    compiled build's own run, tests/test_compiled.py, reads this line)."""
    return build_line()


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--slow"):
        settings.load_profile("slow")


_CORPUS_FIXTURES = {"samples", "real_corpus"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that reads ../shared as ``corpus``; skip them, saying why, without it."""
    for item in items:
        if _CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)
        if item.get_closest_marker("corpus") and not SHARED.is_dir():
            item.add_marker(pytest.mark.skip(reason=CORPUS_MISSING))


@pytest.fixture(scope="session")
def specs() -> Path:
    """The official specifications, found by the CLI's lookup, each with its pinned hash."""
    missing = [s.name for s in specs_module.SPECS if specs_module.state(s, SPECS) != "installed"]
    if missing:
        pytest.fail(
            f"official specifications missing from {SPECS}: {', '.join(missing)}; run "
            '"make specs" (or WIREKIT_SPECS=... wirekit specs fetch)'
        )
    return SPECS


@pytest.fixture(scope="session")
def samples() -> Path:
    """The sample documents beside the specifications in ../shared (marked ``corpus``)."""
    return SAMPLES


@pytest.fixture(scope="session")
def real_corpus() -> Path:
    """The real-world corpus in ../shared/corpus (marked ``corpus``)."""
    return CORPUS


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


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a tree by its path inside it, with its bytes: what two runs that must
    give byte-identical trees are compared by."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


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
