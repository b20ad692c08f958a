"""Streaming collections: ``wirekit convert --to nquads`` holds a bounded window of articles.

Issue 20's goal is a peak resident memory flat in the archive size and under 150 MB, at 20,000
and at 200,000 synthetic articles. The archives are ten and a hundred times the run's size (the
default 2,000 gives exactly those two), written line by line so the benchmark itself stays small;
the figures go in a note under the table. The timed pass converts the run's archive in-process.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from .. import generate
from ..runner import Context, Pass, case, peak_memory_mb

SECTION = "export"
GOAL_MB = 150


def _archive(path: Path, n: int, seed: int) -> Path:
    """``n`` synthetic articles as JSON Lines, written one line at a time."""
    with path.open("wb") as out:
        for index in range(n):
            out.write(generate.dumps(generate.article(index, seed)))
    return path


def _peak(ctx: Context, n: int) -> float:
    source = _archive(ctx.scratch / f"stream-{n}.jsonl", n, ctx.seed)
    target = ctx.scratch / f"stream-{n}.nq"
    try:
        return peak_memory_mb("convert", str(source), "--to", "nquads", "-o", str(target))
    finally:
        source.unlink()
        target.unlink(missing_ok=True)


@case(SECTION, "wirekit convert --to nquads", detail="streamed to a file", repeats=2)
def convert_nquads(ctx: Context) -> Pass:
    from wirekit.cli import main

    sizes = (ctx.n * 10, ctx.n * 100)
    peaks = [_peak(ctx, n) for n in sizes]
    verdict = "met" if max(peaks) < GOAL_MB else "NOT met"
    ctx.note(
        "convert --to nquads peak memory: "
        + ", ".join(
            f"{peak:.0f} MB for {n:,} articles" for peak, n in zip(peaks, sizes, strict=True)
        )
        + f" (goal: under {GOAL_MB} MB at both, flat in the size: {verdict})"
    )
    rounds = itertools.count()

    def run() -> int:
        target = ctx.scratch / f"convert-{next(rounds)}.nq"
        try:
            main(["convert", str(ctx.jsonl_file), "--to", "nquads", "-o", str(target)])
        except SystemExit as done:
            if done.code:
                raise AssertionError(f"convert failed with exit {done.code}") from None
        target.unlink()
        return ctx.n

    return run
