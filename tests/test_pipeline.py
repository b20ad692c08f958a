"""The map stage's tasks travel between processes as their article's JSON text, and come back
as the same dict (issue 20): equal, keys in the same order, nothing rounded or retyped."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, cast

import pytest

from benchmarks import generate
from wirekit import audience, pipeline
from wirekit.config import Config
from wirekit.dates import rfc3339
from wirekit.pipeline import Row, Task

ROW = Row(3, 7, "archive.jsonl", folder="a-story", id="urn:x:1")


def travelled(task: Task) -> Task:
    back: Task = pickle.loads(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL))
    return back


def test_generated_articles_travel_unchanged() -> None:
    for data in generate.articles(200, generate.DEFAULT_SEED):
        back = travelled(Task(data, ROW))
        assert back == Task(data, ROW)
        assert repr(back.data) == repr(data)  # key order, and every float's exact digits
        assert back.row is not ROW and back.row == ROW


def test_a_task_travels_as_json_text() -> None:
    data = {"id": "urn:x:1", "headline": "Ünïcode ✓", "version": 2, "score": 0.1}
    blob = pickle.dumps(Task(data, ROW))
    assert b'"headline":"\xc3\x9cn\xc3\xafcode \xe2\x9c\x93"' in blob


class _Label(str):
    """A str subclass: JSON text would bring it back as a plain str."""


@pytest.mark.parametrize(
    "value",
    [2**70, -(2**64), _Label("kept"), "\ud800", {1: "a non-string key"}],
    ids=["beyond-64-bits", "negative-beyond-64-bits", "str-subclass", "lone-surrogate", "int-key"],
)
def test_what_json_text_cannot_carry_travels_as_a_plain_pickle(value: Any) -> None:
    data = {"id": "urn:x:1", "odd": value}
    back = travelled(Task(data, ROW))
    assert back.data == data
    assert type(back.data["odd"]) is type(value)


def test_a_run_on_the_real_clock_reads_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The moment articles are judged at is the one an empty feed gives as its update time: a
    second reading of the clock could stamp a feed after an embargo the run judged still on."""
    readings = iter(datetime(2025, 8, 12, hour, tzinfo=UTC) for hour in range(24))

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Clock:
            return cast(Clock, next(readings))

    monkeypatch.setattr(audience, "datetime", Clock)
    source = tmp_path / "in.jsonl"
    source.write_text("", encoding="utf-8")
    config = Config(publisher={"name": "Example News"}, base_url="https://news.example.org/")
    the_plan = pipeline.plan([source], tmp_path / "site", config=config, formats=["atom"])
    _, feed = the_plan.feeds["atom"]
    assert feed.settings["updated"] == rfc3339(the_plan.moment)
