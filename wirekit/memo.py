"""A one-entry memo for the work several exporters share on the same article.

Publishing hands one Article to every format in turn, and several of them derive the same thing
from it: the schema.org node tree (JSON-LD, the page, Turtle, N-Triples), its sorted statements
(Turtle and N-Triples) and the JSON-LD document (its file, and the page, which embeds it). Keeping
the last call's result makes each once an article, at the memory cost of one article's.

The arguments are compared by identity, not equality: comparing two articles would cost what the
memo saves, and a model Article is frozen, so the same object means the same result. A miss only
means the work is done again. The entry is one tuple, replaced whole and read once, so that
threads sharing a process (a Dask worker with several threads) can never pair one call's
arguments with another call's result.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def last_result(function: Callable[P, R]) -> Callable[P, R]:
    """``function``, remembering its last result for a call with the very same arguments
    (positional only: a keyword argument always computes)."""
    entry: list[tuple[tuple[Any, ...], R] | None] = [None]

    @functools.wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        last = entry[0]
        if (
            last is not None
            and not kwargs
            and len(last[0]) == len(args)
            and all(map(operator.is_, last[0], args))
        ):
            return last[1]
        result = function(*args, **kwargs)
        if not kwargs:
            entry[0] = (args, result)
        return result

    return remembered
