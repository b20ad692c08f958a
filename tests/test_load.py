"""The Loader's bookkeeping, against a target that does what each test tells it: batches go out
whole and in order, every article that did not reach the store is named (and no other), a store
that stops the load stops it, and a store that refuses everything from the start is one error."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from wirekit.config import Config
from wirekit.store.load import Loader
from wirekit.store.targets import Graph, Outcome, StoreError, Target

Decide = Callable[[int, Sequence[Graph]], Outcome]


class Recorder(Target):
    """Keeps every graph it stores, in a dict like a store would; ``decide`` may answer a batch
    otherwise (the batch's number from 0, and its graphs). ``foreign`` graphs are held from
    the start without wirekit's record."""

    def __init__(
        self,
        decide: Decide | None = None,
        *,
        fail_open: bool = False,
        foreign: Sequence[str] = (),
    ) -> None:
        self.decide = decide
        self.fail_open = fail_open
        self.batches: list[list[str]] = []
        self.graphs: dict[str, bytes] = dict.fromkeys(foreign, b"someone else's\n")
        self.recorded: set[str] = set()
        self.opened = False

    def open(self) -> None:
        if self.fail_open:
            raise StoreError("cannot open it", fatal=True)
        self.opened = True

    def replace(self, batch: Sequence[Graph]) -> Outcome:
        number = len(self.batches)
        self.batches.append([graph.iri for graph in batch])
        if self.decide is not None:
            outcome = self.decide(number, batch)
        else:
            outcome = Outcome(stored=[graph.iri for graph in batch])
        for graph in batch:
            if graph.iri in outcome.stored:
                self.graphs[graph.iri] = graph.ntriples
                self.recorded.add(graph.iri)
        return outcome

    def held(self, iris: Sequence[str]) -> dict[str, bool]:
        return {iri: iri in self.recorded for iri in iris if iri in self.graphs}


def _article(number: int, headline: str | None = None) -> dict[str, object]:
    return {
        "id": f"urn:example:load:{number}",
        "version": 1,
        "headline": headline or f"Story {number}",
        "language": "en",
        "body": [{"type": "paragraph", "text": f"Text of story {number}."}],
    }


def _archive(path: Path, articles: Sequence[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def _ids(numbers: Sequence[int]) -> list[str]:
    return [f"urn:example:load:{n}" for n in numbers]


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    return _archive(tmp_path / "archive.jsonl", [_article(n) for n in range(10)])


def test_batches_go_out_whole_and_in_order(archive: Path) -> None:
    target = Recorder()
    summary = Loader(target, config=Config(), batch_size=4).run([archive])
    assert target.opened
    assert target.batches == [_ids(range(4)), _ids(range(4, 8)), _ids(range(8, 10))]
    assert (summary.articles, summary.replaced, summary.not_loaded) == (10, 0, [])
    assert summary.triples == sum(nt.count(b"\n") for nt in target.graphs.values())
    assert summary.triples > 10 * 5


def test_a_graph_is_its_articles_ntriples_in_its_iri(archive: Path) -> None:
    from wirekit.formats.schemaorg import rdf
    from wirekit.sources import Reader

    target = Recorder()
    Loader(target, config=Config()).run([archive])
    for result in Reader(Config()).read(archive):
        assert result.article is not None
        assert target.graphs[result.article.id] == rdf.ntriples(result.article, Config())


def test_reloading_counts_every_article_as_replaced(archive: Path) -> None:
    target = Recorder()
    Loader(target, config=Config(), batch_size=3).run([archive])
    summary = Loader(target, config=Config(), batch_size=3).run([archive])
    assert (summary.articles, summary.replaced) == (10, 10)


def test_graphs_a_store_refuses_are_named_and_the_others_count(archive: Path) -> None:
    refused = {"urn:example:load:1", "urn:example:load:6"}

    def decide(number: int, batch: Sequence[Graph]) -> Outcome:
        stored = [graph.iri for graph in batch if graph.iri not in refused]
        problems = [f"{iri}: too large" for iri in sorted(refused) if iri in [g.iri for g in batch]]
        return Outcome(stored=stored, problems=problems)

    summary = Loader(Recorder(decide), config=Config(), batch_size=4).run([archive])
    assert summary.not_loaded == _ids([1, 6])
    assert summary.articles == 8
    assert summary.failures == ["urn:example:load:1: too large", "urn:example:load:6: too large"]


def test_a_fatal_error_stops_the_load_and_names_every_article_not_loaded(archive: Path) -> None:
    """The second batch dies after its first graph: that graph counts, everything after it is
    named, and no later batch is sent."""

    def decide(number: int, batch: Sequence[Graph]) -> Outcome:
        if number == 0:
            return Outcome(stored=[graph.iri for graph in batch])
        gone = StoreError("the server went away", fatal=True)
        return Outcome(stored=[batch[0].iri] if number == 1 else [], stopped=gone)

    target = Recorder(decide)
    loader = Loader(target, config=Config(), batch_size=3)
    summary = loader.run([archive])
    assert summary.articles == 4
    assert summary.not_loaded == _ids(range(4, 10))
    assert summary.failures == ["the server went away"]
    assert isinstance(loader.stopped, StoreError)
    assert len(target.batches) == 2
    assert set(target.graphs) == set(_ids(range(4)))


def test_a_store_that_refuses_from_the_start_is_one_error(archive: Path) -> None:
    def decide(number: int, batch: Sequence[Graph]) -> Outcome:
        return Outcome(stopped=StoreError("authentication failed (HTTP 401)", fatal=True))

    with pytest.raises(StoreError, match="authentication failed"):
        Loader(Recorder(decide), config=Config(), batch_size=3).run([archive])


def test_a_store_that_cannot_open_fails_before_reading_anything(tmp_path: Path) -> None:
    target = Recorder(fail_open=True)
    with pytest.raises(StoreError, match="cannot open it"):
        Loader(target, config=Config()).run([tmp_path / "no-such-file.json"])
    assert target.batches == []


def test_the_later_version_of_an_article_in_one_batch_takes_the_earlier_ones_place(
    tmp_path: Path,
) -> None:
    articles = [_article(1, "First"), _article(2), {**_article(1, "Corrected"), "version": 2}]
    archive = _archive(tmp_path / "a.jsonl", articles)
    target = Recorder()
    summary = Loader(target, config=Config(), batch_size=10).run([archive])
    assert target.batches == [_ids([2, 1])], "one batch, the article once"
    assert b"Corrected" in target.graphs["urn:example:load:1"]
    assert b"First" not in target.graphs["urn:example:load:1"]
    assert (summary.articles, summary.replaced, summary.not_loaded) == (2, 0, [])
    assert summary.triples == sum(nt.count(b"\n") for nt in target.graphs.values())
    assert summary.notes == [
        f"{archive}: line 3: article urn:example:load:1 is also in {archive}: line 1; "
        "kept this one, the later version"
    ], "publish's words"


@pytest.mark.parametrize("later_first", [False, True])
def test_an_article_read_twice_across_batches_is_one_article(
    tmp_path: Path, later_first: bool
) -> None:
    """The earlier copy may already be stored when the later one is read: the later one
    replaces it, and the summary counts one article (with the later copy's triples), not a
    replaced one; an earlier version read after the later is skipped, and named."""
    first = _archive(tmp_path / "first.jsonl", [_article(1, "Short"), _article(2)])
    longer = {**_article(1, "Long"), "version": 2, "keywords": ["one", "two"]}
    second = _archive(tmp_path / "second.jsonl", [longer, _article(3)])
    inputs = [second, first] if later_first else [first, second]
    target = Recorder()
    summary = Loader(target, config=Config(), batch_size=1).run(inputs)
    assert b"Long" in target.graphs["urn:example:load:1"]
    assert (summary.articles, summary.replaced, summary.not_loaded) == (3, 0, [])
    assert summary.triples == sum(nt.count(b"\n") for nt in target.graphs.values())
    assert summary.notes == [
        f"{second}: line 1: article urn:example:load:1 is also in {first}: line 1; "
        "kept this one, the later version"
    ]
    stored_twice = sum(batch.count("urn:example:load:1") for batch in target.batches)
    assert stored_twice == (1 if later_first else 2)


def test_a_graph_the_store_holds_without_wirekits_record_is_never_replaced(
    tmp_path: Path,
) -> None:
    """Someone else's graph named as an article's IRI: that article is refused, naming its
    input and the graph; the others load, and the graph is left as it was."""
    archive = _archive(tmp_path / "a.jsonl", [_article(n) for n in range(4)])
    target = Recorder(foreign=["urn:example:load:2"])
    summary = Loader(target, config=Config(), batch_size=10).run([archive])
    assert target.batches == [_ids([0, 1, 3])]
    assert target.graphs["urn:example:load:2"] == b"someone else's\n"
    assert (summary.articles, summary.not_loaded) == (3, _ids([2]))
    assert summary.failures == [
        f"{archive}: line 3: graph <urn:example:load:2> is in the store, but wirekit did not "
        "create it: not replaced; if this article is to take its place, drop that graph "
        "(DROP GRAPH <urn:example:load:2>) and load again"
    ]
    dry = Loader(target, config=Config(), dry_run=True).run([archive, archive])
    assert dry.failures == summary.failures, "said once, however often the article is read"
    assert (dry.articles, dry.replaced, dry.not_loaded) == (3, 3, _ids([2]))


def test_a_store_that_cannot_say_whose_graphs_are_there_replaces_nothing(archive: Path) -> None:
    class Mute(Recorder):
        def held(self, iris: Sequence[str]) -> dict[str, bool]:
            raise StoreError("the server answered junk")

    target = Mute()
    with pytest.raises(StoreError, match=r"the server answered junk \(nothing replaced\)"):
        Loader(target, config=Config(), batch_size=3).run([archive])
    assert target.batches == []


def test_input_errors_are_failures_not_articles_not_loaded(tmp_path: Path) -> None:
    good = _archive(tmp_path / "good.jsonl", [_article(1)])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    summary = Loader(Recorder(), config=Config()).run([good, bad])
    assert summary.articles == 1
    assert summary.not_loaded == []
    assert len(summary.failures) == 1
    assert "bad.json" in summary.failures[0]


def test_progress_reports_inputs_read(archive: Path) -> None:
    seen: list[int] = []
    Loader(Recorder(), config=Config(), batch_size=4, progress=seen.append).run([archive])
    assert seen == sorted(seen)
    assert seen[-1] == 10


def test_quiet_load_prints_only_its_problems(run_wirekit: Any, tmp_path: Path) -> None:
    """``-q`` as for publish: no summary line and no list of removed graphs; problems still."""
    store = str(tmp_path / "store")
    code, out, err = run_wirekit("load", "seeds", "--store", store, "-q")
    assert (code, out) == (0, "")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    code, out, err = run_wirekit("load", str(tmp_path / "bad.json"), "--store", store, "-q")
    assert code == 1 and out == "" and "bad.json" in err
    code, out, err = run_wirekit("load", "seeds", "--store", store)
    assert code == 0 and "articles loaded" in out
