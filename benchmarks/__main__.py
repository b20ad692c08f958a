"""``python -m benchmarks``: wirekit's throughput next to its baselines, in one run.

Examples::

    python -m benchmarks                        # every case, 2,000 articles, under a minute
    python -m benchmarks --only export          # a section or a case, with its baselines
    python -m benchmarks --articles 20000 --repeats 3
    python -m benchmarks --list
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import generate, runner


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Print wirekit's throughput next to baselines measured in the same run.",
    )
    parser.add_argument("--articles", "-n", type=int, default=2000, help="archive size (2000)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run the cases NAME names (a case name, or part of a name or a section); repeatable",
    )
    parser.add_argument("--repeats", "-k", type=int, default=5, help="timed passes per case (5)")
    parser.add_argument(
        "--budget", type=float, default=2.0, help="seconds of timed passes per case (2)"
    )
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED, help="another archive")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeats < 1 or args.budget < 0:
        parser.error("--articles and --repeats must be positive and --budget not negative")
    if args.list:
        for line in runner.listing(runner.discover()):
            print(line)
        return 0
    try:
        return runner.main(
            n=args.articles,
            seed=args.seed,
            repeats=args.repeats,
            budget=args.budget,
            only=args.only,
            out=sys.stdout,
            progress=sys.stderr if sys.stderr.isatty() else None,
        )
    except LookupError as exc:
        parser.error(str(exc))


def _run() -> int:
    try:
        return main()
    except BrokenPipeError:  # `python -m benchmarks | head`: a closed stdout is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(_run())
