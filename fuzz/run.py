"""Fuzz one of wirekit's importers (or all of them) with atheris for a number of seconds.

    python fuzz/run.py json --seconds 60
    python fuzz/run.py all --seconds 20               # the smoke run `make test` does

Each fuzzer starts from the repository's own inputs of its format (seeds, the published dist/,
the hostile corpus, the saved crashes in ``tests/hostile/fuzz/<importer>/``, and
``fuzz/corpus/<importer>/`` when there is one), copied to a scratch folder so the repository is
never written, and checks :func:`fuzz.harness.check`: the importer plus validation yields
Articles or raises wirekit's own error, nothing else, within the per-input timeout
(``--timeout``, libFuzzer's ``-timeout``: a hang is a crash) and the memory bound
(``-rss_limit_mb``). The network is cut for the whole run (the tests' socket guard).

A crash leaves its input in the artifacts folder it prints (``--artifacts``, by default a
scratch folder); copy it to ``tests/hostile/fuzz/<importer>/`` so the regression test replays
it forever, then fix the bug. Exit code: 0 when every fuzzer ran its time without a crash.
"""

# ruff: noqa: PLC0415 - the fuzzed modules must be imported inside atheris' instrumentation

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fuzz.harness import IMPORTERS  # noqa: E402

MEMORY_MB = 1536
"""The same bound the hostile-input tests enforce."""
SEED_SOURCES: dict[str, tuple[str, ...]] = {
    "text": ("seeds/*.txt", "tests/hostile/text/*", "tests/hostile/names/*.txt"),
    "json": ("seeds/*.json", "tests/hostile/json/*", "tests/hostile/names/*.json*"),
    "newsml-g2": ("tests/hostile/xml/*.xml", "tests/hostile/newsml/*", "dist/articles/*/*.xml"),
    "ninjs": ("tests/hostile/ninjs/*", "dist/articles/*/ninjs.json", "tests/fixtures/ninjs/*"),
    "jsonld": ("tests/hostile/jsonld/*", "dist/articles/*/article.jsonld"),
    "nitf": ("tests/fixtures/nitf/*", "tests/hostile/xml/*.xml"),
    "feed": ("tests/fixtures/feeds/*.xml", "dist/*.xml"),
    "jsonfeed": ("tests/fixtures/feeds/*.json", "dist/feed.json"),
    "anpa": ("tests/fixtures/wire/*.tst",),
    "iptc7901": ("tests/fixtures/wire/*.txt",),
}
MAX_SEED = 256 * 1024
"""Larger seeds slow every mutation down; the hostile tests cover big inputs."""


def _seed_corpus(importer: str, folder: Path) -> None:
    sources = [HERE / "corpus" / importer, ROOT / "tests" / "hostile" / "fuzz" / importer]
    paths = [p for source in sources if source.is_dir() for p in source.iterdir()]
    for pattern in SEED_SOURCES[importer]:
        paths.extend(ROOT.glob(pattern))
    for number, path in enumerate(sorted(set(paths))):
        if path.is_file() and path.stat().st_size <= MAX_SEED:
            shutil.copyfile(path, folder / f"seed-{number:04d}{path.suffix}")


def fuzz_one(importer: str, seconds: int, timeout: int, artifacts: Path) -> int:
    """Run one fuzzer in this process until its time is up; libFuzzer exits the process."""
    import atheris  # type: ignore[import-untyped]

    from tests.hostile.guard import wirekit_test_guard

    wirekit_test_guard.install()
    assert not any(name.startswith("wirekit") for name in sys.modules), "imported too early"
    with atheris.instrument_imports(include=["wirekit"]):
        import wirekit.formats.canonical.reader
        import wirekit.formats.feeds.reader
        import wirekit.formats.newsml_g2.reader
        import wirekit.formats.ninjs.legacy
        import wirekit.formats.ninjs.reader
        import wirekit.formats.ninjs.vocab
        import wirekit.formats.nitf.reader
        import wirekit.formats.nitf.vocab
        import wirekit.formats.schemaorg.reader
        import wirekit.formats.text.reader
        import wirekit.formats.text.wire
        import wirekit.model
        import wirekit.schema
        import wirekit.sources
        import wirekit.xml  # noqa: F401 (instrumented for coverage feedback)
    from fuzz.harness import check

    check(importer, b"")  # build the importer and compile the schemas before the clock starts
    corpus = Path(tempfile.mkdtemp(prefix=f"wirekit-fuzz-{importer}-"))
    _seed_corpus(importer, corpus)
    artifacts.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        f"-timeout={timeout}",
        f"-rss_limit_mb={MEMORY_MB}",
        f"-malloc_limit_mb={MEMORY_MB}",
        f"-artifact_prefix={artifacts}/{importer}-",
        "-print_final_stats=1",
        "-close_fd_mask=1",
    ]

    def one_input(data: bytes) -> None:
        try:
            check(importer, data)
        except Exception:
            # stdout is closed (-close_fd_mask=1), where atheris would report it: say on stderr
            # what broke, so a CI log names the bug and not only "fuzz target exited"
            traceback.print_exc()
            raise

    atheris.Setup(argv, one_input)
    atheris.Fuzz()
    return 0  # not reached: libFuzzer exits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("importer", choices=[*IMPORTERS, "all"])
    parser.add_argument("--seconds", type=int, default=60, help="how long each fuzzer runs")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="for 'all'")
    parser.add_argument("--artifacts", type=Path, help="where crashing inputs are saved")
    args = parser.parse_args()
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="wirekit-fuzz-artifacts-"))
    if args.importer != "all":
        return fuzz_one(args.importer, args.seconds, args.timeout, artifacts)
    return _all(args.seconds, args.timeout, args.jobs, artifacts)


def _all(seconds: int, timeout: int, jobs: int, artifacts: Path) -> int:
    """Every fuzzer in its own process, ``jobs`` at a time; a summary line each."""
    waiting = list(IMPORTERS)
    running: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    failed: list[str] = []
    while waiting or running:
        while waiting and len(running) < max(1, jobs):
            name = waiting.pop(0)
            log = artifacts / f"{name}.log"
            artifacts.mkdir(parents=True, exist_ok=True)
            command = [sys.executable, __file__, name, f"--seconds={seconds}"]
            command += [f"--timeout={timeout}", f"--artifacts={artifacts}"]
            with log.open("wb") as stream:
                process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT)
            running[name] = (process, log)
        for name, (process, log) in list(running.items()):
            if process.poll() is None:
                continue
            del running[name]
            stats = [
                line.split(":")[-1].strip()
                for line in log.read_text(errors="replace").splitlines()
                if line.startswith("stat::number_of_executed_units")
            ]
            runs = stats[0] if stats else "?"
            verdict = "ok" if process.returncode == 0 else f"CRASH (exit {process.returncode})"
            print(f"fuzz {name}: {verdict}, {runs} inputs in {seconds} s", flush=True)
            if process.returncode != 0:
                failed.append(name)
                print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
        if running:
            time.sleep(0.2)
    if failed:
        print(f"crashing inputs and logs: {artifacts}", file=sys.stderr)
        return 1
    shutil.rmtree(artifacts, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
