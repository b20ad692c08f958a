"""The map stage's tasks travel between processes as their article's JSON text, and come back
as the same dict (issue 20): equal, keys in the same order, nothing rounded or retyped."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from benchmarks import generate
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
