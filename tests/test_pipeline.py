"""The public stages (issue 20). The map stage's tasks travel between processes as their
article's JSON text, and come back as the same dict: equal, keys in the same order, nothing
rounded or retyped. The map returns one row a task, an article's failure as data, and works on
an absolute tree whatever folder its engine runs in."""

from __future__ import annotations

import dataclasses
import errno
import os
import pickle
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, cast

import pytest

from benchmarks import generate
from wirekit import audience, pipeline
from wirekit.config import Config
from wirekit.dates import rfc3339
from wirekit.errors import WirekitError
from wirekit.pipeline import Row, Settings, Task, map_partition, plan

from .conftest import ROOT

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


# the map stage's contract: one row a task, an article's problem in its row ---------------------

SEEDS = ROOT / "seeds"


def _tasks(out: Path) -> tuple[Settings, list[Task]]:
    """A plan of the seeds into ``out`` and the tasks it hands the map stage."""
    the_plan = plan([SEEDS], out, formats=["json", "html"], now="2026-01-01T00:00:00Z")
    tasks = [item for item in the_plan.tasks() if isinstance(item, Task)]
    assert len(tasks) >= 4
    return the_plan.settings, tasks


def test_plan_takes_a_str_and_ships_the_tree_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker runs in a folder of its own: a relative --out would put the articles there."""
    monkeypatch.chdir(tmp_path)
    the_plan = plan([SEEDS], "site", formats=["json"])
    assert the_plan.out == Path("site")  # what the operator gave, for the messages
    assert the_plan.settings.out == tmp_path / "site"
    assert the_plan.settings.out.is_absolute()


def test_an_article_problem_is_a_row_never_an_exception(tmp_path: Path) -> None:
    """A folder a file stands in, a dict the model refuses, a task with no folder or one
    outside the tree: each fails alone, named, and the good task beside them is written."""
    settings, (good, blocked, headless, *rest) = _tasks(tmp_path / "site")
    assert blocked.row.folder is not None
    blocker = settings.out / "articles" / blocked.row.folder
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a folder", encoding="utf-8")
    data = dict(headless.data)
    del data["headline"]
    tasks = [
        good,
        blocked,
        Task(data, headless.row),
        Task(rest[0].data, dataclasses.replace(rest[0].row, folder=None)),
        Task(rest[0].data, dataclasses.replace(rest[0].row, folder="..")),
    ]
    rows = map_partition(settings, tasks)
    assert [row.record_no for row in rows] == [task.row.record_no for task in tasks]
    assert rows[0].failure == () and rows[0].written == 2
    assert (settings.out / "articles" / str(good.row.folder) / "article.json").is_file()
    (blocked_line,) = rows[1].failure
    assert blocked_line.startswith(f"{blocked.row.source}: {blocker}: ")
    assert "Not a directory" in blocked_line
    assert "headline" in " ".join(rows[2].failure)
    assert "no article folder" in " ".join(rows[3].failure)
    assert "outside" in " ".join(rows[4].failure)
    assert all(row.written == 0 for row in rows[1:])
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_disk_that_cannot_be_written_stops_the_run_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only or full file system is no one article's fault: raised once, as wirekit's."""
    settings, tasks = _tasks(tmp_path / "site")

    def read_only(target: Path, files: dict[str, bytes]) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))

    monkeypatch.setattr("wirekit.pipeline.atomic_folder", read_only)
    with pytest.raises(WirekitError, match="Read-only file system: the tree cannot be written"):
        map_partition(settings, tasks)
