"""HTTP content negotiation (RFC 9110, section 12.5.1): which of the offered media types an
``Accept`` header prefers.

Kept apart from the app and free of any web framework, so that it can be tested on its own and
property-tested: a pure function from a header and the offers, in the server's order of
preference, to the chosen offer or None (the caller answers 406).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Range:
    """One media range of an ``Accept`` header: ``type/subtype``, ``type/*`` or ``*/*``."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How closely this range names ``media_type``: 3 exactly, 2 its type, 1 anything,
        0 not at all. The most specific range decides an offer's quality."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 1 if self.subtype == "*" else 0
        if self.type != kind:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == sub else 0


@functools.lru_cache(maxsize=256)
def parse(header: str | None) -> tuple[Range, ...]:
    """The media ranges of an ``Accept`` header, lower-cased; a missing or empty header is
    ``*/*``. A malformed range or q-value is skipped, as RFC 9110 lets a server do, rather than
    answering a browser's odd header with an error. Kept for the few hundred headers last
    seen: clients send the same few over and over."""
    if header is None or not header.strip():
        return (Range("*", "*", 1.0),)
    ranges = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
                break  # what follows q are accept-extensions, not media type parameters
        if 0.0 <= q <= 1.0:
            ranges.append(Range(kind, sub, q))
    return tuple(ranges)


def quality(ranges: Sequence[Range], media_type: str) -> float:
    """The quality the client gives ``media_type``: that of the most specific range naming it
    (so ``text/html;q=0, */*`` excludes HTML alone), 0 when none does."""
    best, q = 0, 0.0
    for item in ranges:
        rank = item.specificity(media_type)
        if rank > best or (rank == best and rank and item.q > q):
            best, q = rank, item.q
    return q


def choose(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers; between equals, the earlier offer. None when every offer
    has quality 0 (or the header names none of them)."""
    ranges = parse(header)
    chosen, best = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best:
            chosen, best = offer, q
    return chosen
