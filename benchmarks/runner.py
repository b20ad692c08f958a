"""The benchmark runner: named cases, each timed the same way, printed next to its baseline.

A *case* is a function that gets the run's :class:`Context` (the synthetic archive as JSON Lines,
parsed dicts and Articles, the repository's config, a scratch folder) and returns a closure that
does one full pass of the work and says how many units (articles, triples) it processed. The
runner sets every case up and runs each closure once to warm up, then times the closures with
``time.perf_counter`` in rounds, one pass of every case per round, up to ``repeats`` rounds (fewer
for a case that has used up its time budget), and keeps each case's fastest pass: the one least
disturbed by whatever else the machine is doing. Taking turns means a burst of load from
elsewhere spoils one pass of many cases instead of every pass of one. Every figure is printed
with its ratio to its baseline, measured in the same run, and with the goal an issue set for it.

Adding a case takes a few lines in a module of ``benchmarks/cases/`` (every module there is
imported automatically)::

    @case("export", "rdflib Graph + turtle")
    def rdflib_turtle(ctx: Context) -> Pass:
        articles = ctx.articles[:500]  # a slow baseline may use part of the archive
        def run() -> int:
            for article in articles:
                build_graph(article).serialize(format="turtle")
            return len(articles)
        return run

and a case compares itself to another with ``baseline="rdflib Graph + turtle", goal=10``. Cases
known only at run time (one per registered exporter) come from a function decorated with
:func:`provider`. A case that cannot run here (a server binary is missing) raises :class:`Skip`;
any other exception is reported in the table and makes the run exit with status 1.
"""

from __future__ import annotations

import collections
import functools
import gc
import importlib
import math
import os
import pkgutil
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from wirekit.compiled import build_line

from . import generate

if TYPE_CHECKING:
    from wirekit.config import Config
    from wirekit.model import Article

ROOT = Path(__file__).resolve().parent.parent
SECTION_ORDER = ("import + validation", "export", "publish", "store")
"""Sections print in this order; sections not listed follow in the order they were registered."""

Pass = Callable[[], int]
"""One full pass of a case's work; returns how many units it processed."""


class Skip(Exception):
    """Raised by a case's set-up when the case cannot be measured here (a server binary is
    missing, an exporter under construction fails on every article). The table prints the
    reason and the run still succeeds; any other exception is an error and fails the run."""


@dataclass(frozen=True, slots=True)
class Case:
    section: str
    name: str
    """Unique across sections: baselines and ``--only`` refer to it."""
    prepare: Callable[[Context], Pass]
    """Untimed set-up; returns the timed pass."""
    baseline: str | None = None
    """The case this one's rate is divided by."""
    goal: float | None = None
    """The lowest acceptable ratio to the baseline (20 means at least 20 times its rate)."""
    unit: str = "article"
    detail: str = ""
    """A few words printed after the name, e.g. ``collection``."""
    repeats: int | None = None
    """At most this many timed passes (1 for a case whose every pass is expensive)."""
    warmup: bool = True
    """False for a case whose first pass must be measured cold (a first publish)."""


_CASES: list[Case] = []
_PROVIDERS: list[Callable[[], Iterable[Case]]] = []


def case(
    section: str,
    name: str,
    *,
    baseline: str | None = None,
    goal: float | None = None,
    unit: str = "article",
    detail: str = "",
    repeats: int | None = None,
    warmup: bool = True,
) -> Callable[[Callable[[Context], Pass]], Callable[[Context], Pass]]:
    """Register the decorated set-up function as a case (the arguments are :class:`Case`'s)."""

    def register(prepare: Callable[[Context], Pass]) -> Callable[[Context], Pass]:
        _CASES.append(Case(section, name, prepare, baseline, goal, unit, detail, repeats, warmup))
        return prepare

    return register


def provider(function: Callable[[], Iterable[Case]]) -> Callable[[], Iterable[Case]]:
    """Register a function that yields cases when the run starts (e.g. one per exporter)."""
    _PROVIDERS.append(function)
    return function


def discover() -> list[Case]:
    """Every case: those of each module in ``benchmarks/cases/``, then those providers yield."""
    from . import cases

    for module in sorted(pkgutil.iter_modules(cases.__path__), key=lambda m: m.name):
        importlib.import_module(f"{cases.__name__}.{module.name}")
    found = list(_CASES)
    for make in _PROVIDERS:
        found.extend(make())
    names = [c.name for c in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"benchmark case names must be unique: {', '.join(duplicates)}")
    return found


# --- what a case gets -----------------------------------------------------------------------


_PEAK = """
import re, runpy, sys
sys.argv = ["wirekit", *sys.argv[1:]]
try:
    runpy.run_module("wirekit", run_name="__main__")
finally:
    with open("/proc/self/status") as status:
        print(re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1), file=sys.stderr)
"""
"""A ``wirekit`` command that reports its own peak resident memory in KiB, last on stderr. Not
``getrusage``: ``RUSAGE_CHILDREN`` gives the largest child this process ever waited for, and a
child's ``ru_maxrss`` starts from its parent's at the fork (Linux keeps it across ``exec``),
which here holds the whole synthetic archive. ``VmHWM`` belongs to the new process image."""


def peak_memory_mb(*args: str) -> float:
    """Peak resident memory of the main process of one ``wirekit ARGS...`` run, in MB."""
    run = subprocess.run(
        [sys.executable, "-c", _PEAK, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(run.stderr.splitlines()[-1]) / 1024


class Context:
    """The run's inputs, built lazily so a case pays only for what it uses."""

    def __init__(self, n: int, seed: int, scratch: Path) -> None:
        self.n = n
        self.seed = seed
        self.scratch = scratch
        """A folder for files; removed when the run ends."""
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        """A line printed under the table (an exporter that failed on some articles...)."""
        self.notes.append(text)

    @functools.cached_property
    def dicts(self) -> list[dict[str, Any]]:
        """The synthetic archive as canonical dicts; treat them as read-only."""
        return generate.articles(self.n, self.seed)

    @functools.cached_property
    def lines(self) -> list[bytes]:
        """The same, one JSON Lines record each (compact UTF-8 and a newline)."""
        return [generate.dumps(d) for d in self.dicts]

    @functools.cached_property
    def jsonl_file(self) -> Path:
        """The same, as a ``.jsonl`` file in the scratch folder."""
        path = self.scratch / "archive.jsonl"
        path.write_bytes(b"".join(self.lines))
        return path

    @functools.cached_property
    def articles(self) -> list[Article]:
        """The same, as Articles."""
        from wirekit.model import Article

        return [Article.from_dict(d) for d in self.dicts]

    @functools.cached_property
    def config(self) -> Config:
        """The repository's ``wirekit.toml`` (what ``make demo`` uses), or the defaults."""
        from wirekit.config import Config, load

        path = ROOT / "wirekit.toml"
        return load(path) if path.is_file() else Config()

    def archive(self, n: int) -> Path:
        """A ``.jsonl`` file of the first ``n`` articles of the run's archive (for cases that
        need more articles than the run holds, such as publishing 20,000)."""
        path = self.scratch / f"archive-{n}.jsonl"
        if not path.exists():
            with path.open("wb") as stream:
                for i in range(n):
                    stream.write(generate.dumps(generate.article(i, self.seed)))
        return path

    @property
    def mean_size(self) -> float:
        return sum(map(len, self.lines)) / max(len(self.lines), 1)


# --- measuring -------------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    case: Case
    units: int = 0
    best: float = math.inf
    spent: float = 0.0
    runs: int = 0
    skipped: str | None = None
    error: str | None = None

    @property
    def rate(self) -> float | None:
        """Units per second in the fastest pass."""
        if self.error or self.skipped or self.units <= 0 or not math.isfinite(self.best):
            return None
        return self.units / self.best if self.best > 0 else math.inf

    def fail(self, exc: BaseException) -> None:
        if isinstance(exc, Skip):
            self.skipped = str(exc) or "skipped"
        else:
            self.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]


def _prepare(case: Case, ctx: Context, result: Result) -> Pass | None:
    """Set a case up and run its warm-up pass. Warnings raised while setting up become one note
    per kind; the warm-up and the timed passes ignore them."""
    timed: Pass | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            timed = case.prepare(ctx)
        except Exception as exc:
            result.fail(exc)
    _note_warnings(case, ctx, caught)
    if timed is not None and case.warmup:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                timed()
            except Exception as exc:
                result.fail(exc)
                timed = None
    return timed


def _note_warnings(case: Case, ctx: Context, caught: Sequence[warnings.WarningMessage]) -> None:
    kinds: dict[str, collections.Counter[str]] = {}
    for w in caught:
        # "<article id>: ninjs 3.1 cannot carry section" -> "ninjs 3.1 cannot carry section"
        text = str(w.message).rsplit(": ", 1)[-1]
        kinds.setdefault(w.category.__name__, collections.Counter())[text] += 1
    for kind, texts in kinds.items():
        common = "; ".join(f"{text} (×{count:,})" for text, count in texts.most_common(3))
        more = f"; {len(texts) - 3:,} more kinds" if len(texts) > 3 else ""
        total = sum(texts.values())
        ctx.note(f"{case.name}: {total:,} {kind}s, most often: {common}{more}")


def measure(
    cases: Sequence[Case], ctx: Context, repeats: int, budget: float, progress: TextIO | None
) -> list[Result]:
    """Set up and warm up every case, then time them in rounds: one pass of each case per round,
    so that a burst of load from elsewhere slows one pass of many cases rather than every pass
    of one. A case stops after ``repeats`` passes, or once it has spent ``budget`` seconds."""
    results = [Result(c) for c in cases]
    timed: dict[str, Pass] = {}
    for case, result in zip(cases, results, strict=True):
        _say(progress, f"setting up {case.section}: {case.name}")
        run = _prepare(case, ctx, result)
        if run is not None:
            timed[case.name] = run
    for round_ in range(repeats):
        _say(progress, f"timing, round {round_ + 1} of {repeats}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for case, result in zip(cases, results, strict=True):
                run = timed.get(case.name)
                limit = repeats if case.repeats is None else min(repeats, case.repeats)
                if run is None or result.runs >= limit or (result.runs and result.spent >= budget):
                    continue
                gc.collect()
                try:
                    start = time.perf_counter()
                    units = run()
                    elapsed = time.perf_counter() - start
                except Exception as exc:
                    result.fail(exc)
                    del timed[case.name]
                    continue
                result.units, result.runs = units, result.runs + 1
                result.best, result.spent = min(result.best, elapsed), result.spent + elapsed
    _say(progress, None)
    return results


def _say(progress: TextIO | None, text: str | None) -> None:
    if progress is not None:
        progress.write("\r\033[K" + (f"  {text} …" if text else ""))
        progress.flush()


def select(cases: Sequence[Case], only: Sequence[str]) -> list[Case]:
    """The cases ``only`` names (exactly, or else as a case-insensitive part of a case's name or
    section), with the baselines they are compared to."""
    if not only:
        return list(cases)
    by_name = {c.name: c for c in cases}
    wanted: set[str] = set()
    for term in only:
        if term in by_name:
            wanted.add(term)
            continue
        hits = {c.name for c in cases if term.lower() in f"{c.section}\n{c.name}".lower()}
        if not hits:
            raise LookupError(f"no benchmark case matches {term!r}; see --list")
        wanted |= hits
    pending = list(wanted)
    while pending:
        baseline = by_name[pending.pop()].baseline
        if baseline in by_name and baseline not in wanted:
            wanted.add(baseline)
            pending.append(baseline)
    return [c for c in cases if c.name in wanted]


def order(cases: Sequence[Case]) -> list[Case]:
    """Sections in :data:`SECTION_ORDER`, cases in registration order within a section."""
    sections = list(dict.fromkeys([*SECTION_ORDER, *(c.section for c in cases)]))
    return sorted(cases, key=lambda c: sections.index(c.section))


# --- the table -------------------------------------------------------------------------------


def _number(rate: float) -> str:
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:,.1f}"


def _ratio(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}×"
    return f"{value:.3g}×" if value >= 0.01 else f"{value:.1e}×"


def _time(seconds: float) -> str:
    micro = seconds * 1e6
    if micro >= 100:
        return f"{micro:,.0f} µs"
    return f"{micro:.1f} µs" if micro >= 10 else f"{micro:.2f} µs"


@dataclass(slots=True)
class _Row:
    cells: list[str]
    section: str


def table(results: Sequence[Result]) -> tuple[list[str], bool]:
    """The lines of the table, and whether every case ran (skips count as having run)."""
    by_name = {r.case.name: r for r in results}
    rows: list[_Row] = []
    ok = True
    for r in results:
        c = r.case
        name = f"{c.name} ({c.detail})" if c.detail else c.name
        if r.error or r.skipped:
            ok = ok and not r.error
            status = f"error: {r.error}" if r.error else f"not measured: {r.skipped}"
            rows.append(_Row([name, status], c.section))
            continue
        rate = r.rate
        assert rate is not None
        cells = [name, f"{_number(rate)} {c.unit}s/s", f"{_time(1 / rate)}/{c.unit}"]
        base = by_name.get(c.baseline) if c.baseline else None
        base_rate = base.rate if base else None
        if c.baseline and base_rate:
            ratio = rate / base_rate
            cells += [_ratio(ratio), f"vs {c.baseline}"]
            if c.goal is not None:
                verdict = "PASS" if ratio >= c.goal else "FAIL"
                cells += [f"goal ≥ {_ratio(c.goal)}", verdict]
        elif c.baseline:
            cells += ["–", f"vs {c.baseline} (not measured)"]
        rows.append(_Row(cells, c.section))
    widths = [0] * max((len(row.cells) for row in rows), default=0)
    for row in rows:
        if len(row.cells) > 2:  # error and skip messages do not widen the columns
            for i, cell in enumerate(row.cells):
                widths[i] = max(widths[i], len(cell))
    right = {1, 2, 3}
    lines: list[str] = []
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines += ["", section]
        if len(row.cells) == 2:
            lines.append(f"  {row.cells[0].ljust(widths[0])}  {row.cells[1]}")
            continue
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row.cells)
        ]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines, ok


def _versions() -> str:
    found = []
    for dist in ("jsonschema", "jsonschema-rs", "orjson", "rdflib", "pyoxigraph", "lxml"):
        try:
            found.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def main(
    *,
    n: int,
    seed: int,
    repeats: int,
    budget: float,
    only: Sequence[str],
    out: TextIO,
    progress: TextIO | None,
) -> int:
    cases = order(select(discover(), only))
    scratch = Path(tempfile.mkdtemp(prefix="wirekit-bench-"))
    try:
        ctx = Context(n, seed, scratch)
        results = measure(cases, ctx, repeats, budget, progress)
        lines, ok = table(results)
        print(
            f"wirekit benchmarks: {n:,} synthetic articles (seed {seed}), "
            f"{ctx.mean_size / 1000:.2f} KB of JSON each on average; fastest of up to "
            f"{repeats} timed passes after a warm-up, {budget:g} s budget per case",
            file=out,
        )
        print(
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, {_versions()}",
            file=out,
        )
        print(build_line(), file=out)
        for line in lines:
            print(line, file=out)
        if ctx.notes:
            print("\nnotes", file=out)
            for note in ctx.notes:
                print(f"  {note}", file=out)
        return 0 if ok else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def listing(cases: Iterable[Case]) -> Iterator[str]:
    """One line per case, for ``--list``."""
    for c in order(list(cases)):
        extra = f" (baseline: {c.baseline}" + (f", goal ≥ {c.goal:g}×)" if c.goal else ")")
        yield f"{c.section}: {c.name}{extra if c.baseline else ''}"


__all__ = [
    "Case",
    "Context",
    "Pass",
    "Result",
    "Skip",
    "case",
    "discover",
    "main",
    "measure",
    "provider",
]
