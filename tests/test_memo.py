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
