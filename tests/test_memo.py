"""The one-entry memos the exporters share (:mod:`wirekit.memo`): each article's outputs are its
own, even when threads of one process convert different articles at once (a Dask worker with
several threads does), and the work shared between formats is done once an article."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from wirekit import registry
from wirekit.config import Config
from wirekit.formats.schemaorg import mapping
from wirekit.memo import last_result
from wirekit.model import Article


@pytest.fixture()
def fast_switching() -> Iterator[None]:
    """Threads switch after every few bytecodes, so that a race shows within a second."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.parametrize("name", ["ntriples", "turtle", "jsonld", "html"])
def test_threads_converting_different_articles_get_their_own(
    name: str, seed_articles: list[Article], repo_config: Config, fast_switching: None
) -> None:
    exporter = registry.exporter(name)(repo_config)
    articles = seed_articles[:2]
    expected = [exporter.export(article) for article in articles]
    wrong: list[str] = []

    def convert(index: int) -> Callable[[], None]:
        def run() -> None:
            for _ in range(300):
                if exporter.export(articles[index]) != expected[index]:
                    wrong.append(articles[index].id)
                    return

        return run

    threads = [threading.Thread(target=convert(index)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong, f"{name}: another article's output for {wrong[0]}"


def test_the_same_objects_are_computed_once_and_others_anew() -> None:
    calls: list[tuple[object, ...]] = []

    @last_result
    def work(subject: object, context: object = "default") -> tuple[object, object]:
        calls.append((subject, context))
        return subject, context

    first, second, config = object(), object(), object()
    assert work(first, config) == (first, config)
    assert work(first, config) == (first, config)
    assert len(calls) == 1
    work(second, config)  # another subject
    work(second, object())  # another context
    work(second)  # none given: the function's own default, not a remembered one
    assert [c for _, c in calls[1:]] == [config, calls[2][1], "default"]
    assert len(calls) == 4


def test_an_article_is_mapped_once_for_every_linked_data_format(
    seed_articles: list[Article], repo_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapped: list[Article] = []
    original = mapping._Mapping.article

    def counted(self: mapping._Mapping) -> mapping.Node:
        mapped.append(self.a)
        return original(self)

    monkeypatch.setattr(mapping._Mapping, "article", counted)
    article = seed_articles[0]
    for name in ("jsonld", "html", "turtle", "ntriples"):
        registry.exporter(name)(repo_config).export(article)
    assert mapped == [article]
