"""Publishing: the whole archive into a tree of every format, next to what the disk alone costs.

Three figures from one run, as issue 5 asks:

- the floor: read the inputs and write the same number of bytes to as many files as a full
  publish writes, with no conversion at all (plain writes, not even atomic renames);
- a full publish of every format into an empty folder (goal: at least 0.5x the floor, issue 20's;
  issue 5 asked for 0.2x);
- a re-publish with nothing changed (goal: at least 20x faster than the full publish).

A note under the table gives the peak memory of a ``wirekit publish`` process for the archive and
for a quarter of it, and what the difference comes to per article.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from ..runner import Context, Pass, case, peak_memory_mb

SECTION = "publish"
FLOOR = "read + write the same bytes"
FULL = "wirekit publish (all formats)"


def _publish(ctx: Context, source: Path, out: Path) -> None:
    from wirekit.site.publish import Publisher

    summary = Publisher(out, config=ctx.config, jobs=os.cpu_count()).run([source])
    if summary.failures:
        raise AssertionError(f"publish failed on the synthetic archive: {summary.failures[0]}")


def _tree_sizes(folder: Path) -> list[tuple[Path, int]]:
    """Every file of a tree, relative to it, with its size, folders together."""
    return [
        (path.relative_to(folder), path.stat().st_size)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


@case(SECTION, FLOOR, detail="floor: no conversion, plain writes", repeats=2)
def floor(ctx: Context) -> Pass:
    reference = ctx.scratch / "publish-reference"
    _publish(ctx, ctx.jsonl_file, reference)
    files = _tree_sizes(reference)
    payload = b"x" * max((size for _, size in files), default=0)
    rounds = itertools.count()

    def run() -> int:
        out = ctx.scratch / f"floor-{next(rounds)}"
        ctx.jsonl_file.read_bytes()
        for relative, size in files:  # the same tree: the same folders, files and sizes
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(payload[:size])
        return ctx.n

    return run


@case(SECTION, FULL, baseline=FLOOR, goal=0.5, detail="an empty folder each pass", repeats=2)
def full(ctx: Context) -> Pass:
    rounds = itertools.count()
    quarter = ctx.scratch / "quarter.jsonl"
    quarter.write_bytes(b"".join(ctx.lines[: max(1, ctx.n // 4)]))
    peak_all = peak_memory_mb(
        "publish", str(ctx.jsonl_file), "--out", str(ctx.scratch / "memory-all")
    )
    peak_quarter = peak_memory_mb(
        "publish", str(quarter), "--out", str(ctx.scratch / "memory-quarter")
    )
    quarter_n = max(1, ctx.n // 4)
    growth = (peak_all - peak_quarter) * 1024 * 1024 / max(1, ctx.n - quarter_n)
    ctx.note(
        f"publish peak memory: {peak_all:.0f} MB for {ctx.n:,} articles, {peak_quarter:.0f} MB "
        f"for {quarter_n:,}: {growth:,.0f} bytes more per article (the bookkeeping, a manifest "
        "entry an article; main process)"
    )

    def run() -> int:
        _publish(ctx, ctx.jsonl_file, ctx.scratch / f"full-{next(rounds)}")
        return ctx.n

    return run


@case(SECTION, "wirekit publish (nothing changed)", baseline=FULL, goal=20)
def unchanged(ctx: Context) -> Pass:
    out = ctx.scratch / "republish"
    _publish(ctx, ctx.jsonl_file, out)

    def run() -> int:
        _publish(ctx, ctx.jsonl_file, out)
        return ctx.n

    return run
