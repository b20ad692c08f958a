"""A one-entry memo for the work several exporters share on the same article.

Publishing hands one Article to every format in turn, and several of them derive the same thing
from it: the schema.org node tree (JSON-LD, the page, Turtle, N-Triples), its sorted statements
(Turtle and N-Triples) and the JSON-LD document (its file, and the page, which embeds it). Keeping
the last call's result makes each once an article, at the memory cost of one article's.

The arguments are compared by identity, not equality: comparing two articles would cost what the
memo saves, and a model Article is frozen, so the same object means the same result. A miss only
means the work is done again. The entry is one tuple, replaced whole and read once, so that
threads sharing a process (a Dask worker with several threads) can never pair one call's
arguments with another call's result. The memo takes one object and, optionally, a second that
qualifies it (the Config), rather than any arguments: it sits on hot paths, and the general
``*args`` form cost three times as much per call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

_ABSENT: Any = object()
"""The second argument when none is given (``None`` may be a given one)."""


def last_result(function: F) -> F:
    """``function`` (of one argument and an optional second, passed by position), remembering
    its last result for a call with the very same arguments."""
    entry: tuple[Any, Any, Any] = (_ABSENT, _ABSENT, None)

    @functools.wraps(function)
    def remembered(subject: Any, context: Any = _ABSENT, /) -> Any:
        nonlocal entry
        last = entry
        if last[0] is subject and last[1] is context:
            return last[2]
        result = function(subject) if context is _ABSENT else function(subject, context)
        entry = (subject, context, result)
        return result

    return cast(F, remembered)
