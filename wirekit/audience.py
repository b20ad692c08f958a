"""Who may read an article, decided in one place.

A published tree has two audiences. **Public** outputs (pages, the index, feeds, the news sitemap,
JSON-LD, RDF, the store) are read by anyone; **syndication** outputs (NewsML-G2, the newsMessage,
ninjs) go to partners under contract and carry every article with its status, embargo and notes
as the IPTC standards intend. Every public output asks :func:`public_state` and shows an article
only when it is :attr:`State.LIVE`, so breaking an embargo or leaking a withheld story needs a
bug in this one function, which is tested as a table.

An article past its ``expires`` stays :attr:`State.LIVE`. NewsML-G2, ninjs and schema.org define
it as the moment the provider no longer considers the item editorially relevant: advice, not a
right that lapses (that is a kill or a cancelled status, which do take it down). Taking pages
down on that date would break every link to published journalism and empty the archive, so
public outputs keep the article and carry the date where they can (JSON-LD and RDF
``schema:expires``, for search engines to act on); syndication outputs pass it to partners.

``now`` is always an argument: nothing here reads the clock (the command line reads it once, and
``--now`` overrides it), so a run is reproducible and an embargo test needs no sleeping.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

from wirekit.dates import parse
from wirekit.errors import UsageError
from wirekit.model import Article

PUBLIC: Final = "public"
"""An exporter's ``audience`` when anyone may read its output: it must show live articles only."""
SYNDICATION: Final = "syndication"
"""An exporter's ``audience`` when its output goes to partners, with status and embargo kept."""


class State(enum.StrEnum):
    """An article's public state at one instant."""

    LIVE = "live"
    """Usable and not under embargo: public outputs show it."""
    EMBARGOED = "embargoed"
    """Usable, but its embargo lifts after ``now``: no public file until then."""
    WITHHELD = "withheld"
    """``pubStatus`` withheld: never public while it stays so."""
    WITHDRAWN = "withdrawn"
    """Canceled or killed: its public files come down and a tombstone stays at its URL."""


def public_state(article: Article | Mapping[str, Any], now: datetime | None) -> State:
    """The article's public state at ``now`` (an aware datetime).

    ``now`` None leaves the embargo unjudged, for an exporter that cannot know the moment and
    whose caller has judged it already.

    ``article`` may also be its canonical dict, as publishing holds it before any Article is
    built. A kill wins over everything (a killed story must come down even if its status still
    says usable), then withheld, then the embargo. An embargo that lifts exactly at ``now`` has
    lifted: the article is public on the first publish at or after its time.
    """
    if isinstance(article, Article):
        status, signals, embargo = article.status, article.signals, article.embargoed_until
    else:
        status = article.get("pubStatus", "usable")
        signals, embargo = article.get("signals", ()), article.get("embargoedUntil")
    if status == "canceled" or "kill" in signals:
        return State.WITHDRAWN
    if status == "withheld":
        return State.WITHHELD
    if embargo is not None and now is not None and parse(embargo) > now:
        return State.EMBARGOED
    return State.LIVE


KILLED: Final = "a killed story goes to partners as canceled"
"""Why a syndication output drops the status of a killed story that still says usable."""


def syndication_status(article: Article) -> str | None:
    """The ``pubStatus`` a syndication output carries (NewsML-G2, ninjs, NITF): the article's
    own, except that a kill wins, as in :func:`public_state`: a killed story goes to partners
    as canceled even if its status still says usable, since a receiver reads the status and
    may know nothing of wirekit's kill signal. None when the article states none and is not
    killed."""
    return "canceled" if "kill" in article.signals else article.pub_status


def is_live(article: Article, now: datetime) -> bool:
    """Whether public outputs may show ``article`` at ``now``."""
    return public_state(article, now) is State.LIVE


def moment(now: str | None) -> datetime:
    """The instant a run works at: ``now`` (an RFC 3339 date-time, or a date meaning its 00:00
    UTC) when given, else the real clock. This is the one place wirekit reads the clock: every
    command's ``--now`` comes here, and so does the server's clock on each request.

    Raises :class:`~wirekit.errors.UsageError` (misuse of ``--now``) for a ``now`` that is not
    such a date.
    """
    if now is None:
        return datetime.now(UTC)
    try:
        return parse(now)
    except ValueError as exc:
        raise UsageError(f"--now: {exc}") from None


def next_lift(embargoes: Iterable[str | None], now: datetime) -> datetime | None:
    """The earliest embargo time after ``now`` among ``embargoes`` (model date strings), or None.

    A publish records it, so a later run with unchanged input still lifts the embargo in time,
    and its summary says when that is.
    """
    future = [t for t in (parse(e) for e in embargoes if e) if t > now]
    return min(future, default=None)
