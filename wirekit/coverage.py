"""What an import made of each element or field of its input: mapped to the model, left out by
a rule (with the rule), or not carried, which is a loss. ``wirekit convert --report`` prints it;
``wirekit validate`` sums it up; both judge a file by the importer its reading used. The tables
are the importers' own (``COVERAGE``), so a field added to a reader is one entry there; an
input element missing from them is counted as not carried, so the report errs on the side of
showing a loss.

An importer declares its table (``coverage_table``) and lists its input's elements
(``coverage_paths``). An importer that ``warns_unmapped`` names, while reading, every element its
table does not account for: :func:`not_carried` is that list, so the warning and the report
are one computation and cannot disagree.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wirekit.errors import WirekitError

if TYPE_CHECKING:
    from wirekit.plugin import Importer

MAPPED = "mapped"
IGNORED = "ignored by rule"
WARNED = "warned"
NOT_CARRIED = "not carried"


@dataclass(frozen=True, slots=True)
class Line:
    """One input element or field, how often it occurred, and what became of it."""

    path: str
    count: int
    status: str
    why: str = ""


def report(importer: Importer, data: bytes) -> list[Line]:
    """The coverage of one input document by ``importer``, elements in first-seen order."""
    counts = collections.Counter(importer.coverage_paths(data))
    table, warns = importer.coverage_table, importer.warns_unmapped
    return [_line(path, count, table, warns) for path, count in counts.items()]


def fate(path: str, table: Mapping[str, str]) -> str | None:
    """``mapped``, the rule ``path`` is left out by, or None when the table does not know it. A
    qualified path (``contentMeta/description[drol:teaser]``) falls back on its element."""
    return table.get(path, table.get(path.split("[", 1)[0]))


def not_carried(paths: Iterable[str], table: Mapping[str, str]) -> str | None:
    """The elements of ``paths`` the table does not account for, each once with its count
    (``contentMeta/altId (2), contentMeta/rating``), for a reader's one warning; None if none."""
    counts = collections.Counter(path for path in paths if fate(path, table) is None)
    if not counts:
        return None
    return ", ".join(f"{path} ({n})" if n > 1 else path for path, n in counts.items())


def _line(path: str, count: int, table: Mapping[str, str], warns: bool) -> Line:
    why = fate(path, table)
    if why is None:
        return Line(path, count, WARNED if warns else NOT_CARRIED, "no field in the model")
    if why == MAPPED:
        return Line(path, count, MAPPED)
    return Line(path, count, IGNORED, why)


def summary(lines: list[Line]) -> str:
    """``12 mapped, 3 ignored by rule, 1 not carried (contentMeta/foo)``."""
    totals = collections.Counter(line.status for line in lines)
    lost = [line.path for line in lines if line.status == NOT_CARRIED]
    text = ", ".join(f"{totals[s]} {s}" for s in (MAPPED, IGNORED, WARNED, NOT_CARRIED))
    return text + (f" ({', '.join(lost)})" if lost else "")


def of_file(path: str, importer: Importer) -> list[Line]:
    """The coverage of one input file by ``importer``, the one its reading used
    (:attr:`wirekit.sources.Result.importer`), so the report describes the format the
    conversion used and never recognises the file again by a rule of its own.

    The file is read once more: the reading does not keep its bytes, because ``convert``
    streams its inputs and holding each one's bytes until the report would make memory grow
    with the batch (a feed may be 16 MiB). Nothing for standard input, which cannot be read
    twice; for an importer without a table (JSON Lines, whose archive may be of any size, is
    then not read again); or for a file that can no longer be read or parsed: its reading said
    why, once."""
    if path == "-" or not importer.coverage_table:
        return []
    try:
        return report(importer, Path(path).read_bytes())
    except (OSError, WirekitError):
        return []


def table(path: str, importer: Importer, lines: list[Line]) -> Iterator[str]:
    """The report of one input as text lines: the format it was read as, then each element
    with its count and its fate."""
    yield f"{path}: read as {importer.name}" + ("" if lines else "; no coverage report for it")
    width = max((len(line.path) for line in lines), default=0)
    for line in lines:
        why = f": {line.why}" if line.why else ""
        yield f"{path}: {line.path:<{width}} {line.count:>4}  {line.status}{why}"
