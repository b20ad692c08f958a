""":mod:`wirekit.dates`: the one parser of model dates, and the fast timestamp that must agree
with it on every value the model holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import date, date_time
from wirekit.dates import parse, timestamp

# RFC 3339 allows any number of fraction digits; parse keeps microseconds
long_fractions = st.builds(
    lambda stamp, digits: stamp.replace("Z", f".{digits}Z", 1),
    st.datetimes().map(lambda d: d.isoformat(timespec="seconds") + "Z"),
    st.from_regex(r"[0-9]{7,9}", fullmatch=True),
)


@given(st.one_of(date(), date_time(), long_fractions))
def test_timestamp_is_the_parsed_moment(value: str) -> None:
    assert timestamp(value) == parse(value).timestamp()
