"""The remove guard, one rule for ``publish`` and ``load --sync``.

It sits here, beside the core, rather than in either command's module, because both apply it
and the command line needs its default at start-up without loading the publish stages.
"""

from __future__ import annotations

DEFAULT_MAX_REMOVE = 0.2
"""A run that would take more than this share of the published articles off the tree (or of
the loaded graphs out of a store, with ``load --sync``) removes none of them, unless told to
``prune``: an empty or mistyped input folder must not wipe a live site (see
:func:`too_many_removed`)."""


def too_many_removed(where: str, going: int, held: int, share: float, what: str) -> str | None:
    """The remove guard of ``publish`` and of ``load --sync``, one rule for both: a run may take
    away at most ``share`` (``--max-remove``) of the ``held`` articles it finds published or
    loaded, so that a mistyped or empty input cannot wipe a live site or store; beyond it, the
    line that says so (the run removes none of them, unless ``--prune``), else None."""
    if going == 0 or going <= share * held:
        return None
    return (
        f"{where}: this run would remove {going} of the {held} {what}, more than --max-remove "
        f"allows ({share:.0%}); none of them removed (check the inputs, or pass --prune to "
        "remove them)"
    )
