"""The one rule of who may read an article: its public state at ``now``, tested as a table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from wirekit import registry
from wirekit.audience import (
    PUBLIC,
    SYNDICATION,
    State,
    is_live,
    moment,
    next_lift,
    public_state,
)
from wirekit.errors import UsageError
from wirekit.model import Article

NOW = datetime(2025, 8, 12, 6, 30, tzinfo=UTC)
EARLIER = "2025-08-12T08:29:59+02:00"  # one second before NOW, in another offset
SAME = "2025-08-12T08:30:00+02:00"  # NOW exactly
LATER = "2025-08-12T06:30:01Z"


def _article(**fields: Any) -> Article:
    data = {"id": "urn:x:1", "version": 1, "headline": "H", "language": "en", "body": []}
    return Article.from_dict(data | fields)


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({}, State.LIVE),
        ({"pubStatus": "usable"}, State.LIVE),
        ({"embargoedUntil": EARLIER}, State.LIVE),
        ({"embargoedUntil": SAME}, State.LIVE),  # lifts on the first publish at its time
        ({"embargoedUntil": LATER}, State.EMBARGOED),
        ({"embargoedUntil": "2025-08-13"}, State.EMBARGOED),  # a date alone: 00:00 UTC
        ({"pubStatus": "usable", "embargoedUntil": LATER}, State.EMBARGOED),
        ({"pubStatus": "withheld"}, State.WITHHELD),
        ({"pubStatus": "withheld", "embargoedUntil": LATER}, State.WITHHELD),
        ({"pubStatus": "withheld", "embargoedUntil": EARLIER}, State.WITHHELD),
        ({"pubStatus": "canceled"}, State.WITHDRAWN),
        ({"signals": ["kill"]}, State.WITHDRAWN),  # a kill wins over a usable status
        ({"pubStatus": "usable", "signals": ["kill"]}, State.WITHDRAWN),
        ({"pubStatus": "withheld", "signals": ["kill"]}, State.WITHDRAWN),
        ({"signals": ["kill"], "embargoedUntil": LATER}, State.WITHDRAWN),
        ({"signals": ["correction", "update"]}, State.LIVE),
        ({"signals": ["correction"], "embargoedUntil": LATER}, State.EMBARGOED),
        # past its expires an article is no longer relevant, not withdrawn: it stays public
        ({"expires": EARLIER}, State.LIVE),
        ({"expires": "2025-08-11"}, State.LIVE),
        ({"expires": EARLIER, "embargoedUntil": LATER}, State.EMBARGOED),
        ({"expires": EARLIER, "pubStatus": "withheld"}, State.WITHHELD),
    ],
)
def test_public_state(fields: dict[str, Any], state: State) -> None:
    article = _article(**fields)
    assert public_state(article, NOW) is state
    assert public_state(article.to_dict(), NOW) is state  # the canonical dict says the same
    unjudged = State.LIVE if state is State.EMBARGOED else state  # no moment: no embargo
    assert public_state(article, None) is unjudged
    assert is_live(article, NOW) is (state is State.LIVE)


def test_next_lift_is_the_earliest_future_embargo() -> None:
    assert next_lift([None, EARLIER, SAME, "2025-08-13", LATER], NOW) == datetime(
        2025, 8, 12, 6, 30, 1, tzinfo=UTC
    )
    assert next_lift([None, EARLIER, SAME], NOW) is None


@pytest.mark.parametrize("name", registry.names("exporter"))
def test_every_exporter_declares_its_audience(name: str) -> None:
    exporter = registry.exporter(name)
    assert exporter.audience in (PUBLIC, SYNDICATION)
    syndication = {"newsml-g2", "newsml-g2-message", "ninjs", "ninjs-2", "json", "jsonl", "nitf"}
    assert (exporter.audience == SYNDICATION) is (name in syndication)


def test_moment_is_now_when_given_else_the_clock() -> None:
    assert moment("2025-08-12T08:30:00+02:00") == NOW
    before = datetime.now(UTC)
    assert before <= moment(None) <= datetime.now(UTC)
    with pytest.raises(UsageError, match=r"--now: .*not an RFC 3339"):
        moment("tomorrow")
