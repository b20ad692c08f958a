"""The benchmarks: the synthetic archive is valid, varied and deterministic, and the runner prints
every section. Timings are never asserted: they belong to the machine, not to the code."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from benchmarks import generate, runner
from wirekit import registry, schema
from wirekit.model import Article

from .conftest import ROOT

SAMPLE = 400


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    return generate.articles(SAMPLE)


def test_every_generated_article_is_schema_valid(sample: list[dict[str, Any]]) -> None:
    for index, data in enumerate(sample):
        assert schema.problems(data) == [], f"article {index}"
        assert Article.from_dict(data).to_dict() == data, f"article {index}"


def test_the_reference_validator_agrees(sample: list[dict[str, Any]]) -> None:
    for index, data in enumerate(sample[:40]):
        assert schema.reference_problems(data) == [], f"article {index}"


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    """Also across processes with different hash seeds: nothing may depend on set order."""
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"run-{hash_seed}.jsonl"
        subprocess.run(
            [sys.executable, "-m", "benchmarks.generate", "60", "--out", str(out)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            check=True,
            timeout=120,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == generate.jsonl(60)
    assert generate.jsonl(60) == generate.jsonl(60)


def test_an_article_does_not_depend_on_the_archive_size() -> None:
    assert generate.jsonl(50).startswith(generate.jsonl(20))
    assert generate.jsonl(20, seed=1) != generate.jsonl(20)


def test_the_archive_looks_like_a_real_one(sample: list[dict[str, Any]]) -> None:
    sizes = [len(generate.dumps(data)) for data in sample]
    assert 3500 <= sum(sizes) / len(sizes) <= 4700, "about 4 KB of JSON per article"
    text = "".join(generate.dumps(data).decode() for data in sample)
    scripts = collections.Counter(
        unicodedata.name(ch, "?").split()[0] for ch in set(text) if ord(ch) > 0x7F
    )
    for script in ("LATIN", "ARABIC", "CJK", "HIRAGANA", "HANGUL", "LEFT", "RIGHT", "EM", "EN"):
        assert scripts[script], f"no {script} characters"
    assert any(ord(ch) >= 0x1F300 for ch in text), "no emoji"
    assert "\u200c" in text, "no zero-width non-joiner (Persian)"
    languages = {str(data["language"]).split("-")[0] for data in sample}
    assert len(languages) >= 9

    def rate(field: str) -> float:
        return sum(field in data for data in sample) / len(sample)

    for field in ("authors", "subjects", "images", "dateline", "rights", "publisher", "summary"):
        assert rate(field) > 0.5, field
    for field in ("corrections", "signals", "embargoedUntil", "contributors", "extensions"):
        assert 0 < rate(field) < 0.5, field
    kinds = collections.Counter(block["type"] for data in sample for block in data["body"])
    assert set(kinds) == {"paragraph", "heading", "blockquote", "list"}
    assert {len(str(d["datePublished"])) for d in sample if "datePublished" in d} >= {10, 25}


def test_the_runner_prints_every_section_and_every_exporter() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--articles",
            "20",
            "--repeats",
            "1",
            "--budget",
            "0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "import + validation" in lines
    assert "export" in lines
    body = done.stdout
    for name in ("json.loads", "json.loads + jsonschema", "wirekit validate", "Article.from_dict"):
        assert f"  {name} " in body, name
    validate = next(line for line in lines if line.startswith("  wirekit validate ("))
    assert "goal ≥ 20×" in validate
    assert validate.rstrip().endswith(("PASS", "FAIL"))
    export = lines[lines.index("export") + 1 :]
    for name in registry.names("exporter"):
        assert any(line.startswith(f"  {name} ") for line in export), name


def test_only_selects_a_case_with_its_baseline() -> None:
    chosen = runner.select(runner.discover(), ["wirekit validate"])
    names = {case.name for case in chosen}
    assert "wirekit validate" in names
    assert "json.loads + jsonschema" in names, "the baseline comes along"
    assert "json.loads" in names, "and the baseline's baseline"
    with pytest.raises(LookupError):
        runner.select(runner.discover(), ["no-such-case"])


def test_a_failing_case_is_reported_and_a_skipped_one_is_not_an_error(tmp_path: Path) -> None:
    def fine(ctx: runner.Context) -> runner.Pass:
        return lambda: 10

    def broken(ctx: runner.Context) -> runner.Pass:
        raise ValueError("boom")

    def unavailable(ctx: runner.Context) -> runner.Pass:
        raise runner.Skip("no server here")

    ctx = runner.Context(5, generate.DEFAULT_SEED, tmp_path)
    cases = [
        runner.Case("s", "base", fine),
        runner.Case("s", "fast", fine, baseline="base", goal=2),
        runner.Case("s", "away", unavailable),
    ]
    lines, ok = runner.table(runner.measure(cases, ctx, 1, 0.0, None))
    assert ok
    assert any("FAIL" in line and "fast" in line for line in lines), "1× misses a 2× goal"
    assert any("not measured: no server here" in line for line in lines)
    lines, ok = runner.table(runner.measure([runner.Case("s", "x", broken)], ctx, 1, 0.0, None))
    assert not ok
    assert any("error: ValueError: boom" in line for line in lines)


def test_the_serve_load_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """A tiny bounded run: every server starts, every scenario is answered with 200s."""
    from benchmarks import serve_load

    results = serve_load.run(articles=12, clients=3, requests=30, out=sys.stdout)
    assert {(r.server, r.scenario) for r in results} >= {
        ("wirekit serve", "article page"),
        ("wirekit serve", "Turtle document"),
        ("wirekit serve", "small SPARQL"),
        ("python -m http.server", "Turtle document"),
        ("bare uvicorn static files", "Turtle document"),
    }
    assert not any(r.failures for r in results), capsys.readouterr().out
    assert "p99 ms" in capsys.readouterr().out


def test_the_store_memory_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """A tiny run of the on-demand benchmark of load and query peak memory (issue 16)."""
    from benchmarks import store_memory

    assert store_memory.main(["--archive-mb", "1", "--answer-mb", "1", "--articles", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["load", "load", "query", "query", "goal"]
    assert all(" MB peak for a " in line for line in lines[:4])


def test_the_corpus_import_benchmark_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus cases (issue 17) on our own fixtures: the import, its floor, and feedparser
    alone on the feeds, each counting the articles the import reads."""
    from benchmarks.cases import corpus_import

    monkeypatch.setattr(corpus_import, "CORPUS", Path(__file__).parent / "fixtures" / "agency")
    cached = (corpus_import._files, corpus_import._articles)
    for function in cached:
        function.cache_clear()
    try:
        chosen = runner.select(
            runner.discover(), ["corpus: wirekit import", "corpus: feedparser alone"]
        )
        ctx = runner.Context(5, generate.DEFAULT_SEED, tmp_path)
        lines, _ = runner.table(runner.measure(chosen, ctx, 1, 0.0, None))
    finally:
        for function in cached:  # the next user reads the real corpus again
            function.cache_clear()
    for name in ("corpus: parse only", "corpus: wirekit import", "corpus: feedparser alone"):
        assert any(line.startswith(f"  {name} ") and "articles/s" in line for line in lines)
    # every fixture but concept.xml (a conceptItem, no news item) holds one article
    assert ctx.notes == [f"corpus: 5 files, 4 articles read from {corpus_import.CORPUS}"]
