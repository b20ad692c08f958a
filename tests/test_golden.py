"""One golden harness for every exporter: each built-in exporter × the seeds (and the hard cases
other tests keep: the HTML tests' rich and Persian articles, the feeds' samples).

A single-article exporter has one golden file per article (``tests/golden/<format>/<case><ext>``),
a collection exporter one per set of articles (``seeds``, ``samples``). Outputs are compared after
canonicalisation, so only a change of content fails: XML as C14N 2.0, JSON with sorted keys, JSON
Lines a line at a time, N-Triples and N-Quads as sorted lines, Turtle and TriG as graphs (by
isomorphism), pages with their JSON-LD set aside (the jsonld golden files hold it). After a
deliberate change, the failure prints the command that rewrites the files; review their diff.
"""

from __future__ import annotations

import difflib
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.test_feeds import FEED_URL, samples
from tests.test_html import FIXTURES, GOLDEN_ALTERNATES
from tests.test_html import article as html_article
from tests.test_html import canonical as canonical_page
from wirekit import registry
from wirekit.config import Config
from wirekit.files import safe_name
from wirekit.model import Article
from wirekit.plugin import Exporter

GOLDEN = Path(__file__).parent / "golden"
BUILT_IN = [
    name
    for name in registry.names("exporter")
    if (dist := registry._entry_points("exporter")[name].dist) is not None
    and dist.name == registry.BUILTIN_DISTRIBUTION
]
OPTIONS = {"feed_url": FEED_URL, "alternates": GOLDEN_ALTERNATES}
"""Fixed values for the options that shape an output, given to every exporter that takes them."""


def _xml(data: bytes) -> str:
    from lxml import etree

    return etree.tostring(etree.fromstring(data), method="c14n2").decode("utf-8")


def _json(data: bytes) -> str:
    return json.dumps(json.loads(data), sort_keys=True, indent=2, ensure_ascii=False)


def _lines(data: bytes) -> str:
    return "\n".join(sorted(data.decode("utf-8").splitlines()))


def _json_lines(data: bytes) -> str:
    return "\n".join(_json(line) for line in data.splitlines() if line.strip())


def _graph(syntax: str) -> Callable[[bytes], Any]:
    def parse(data: bytes) -> Any:
        import rdflib
        from rdflib.compare import to_isomorphic

        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=syntax)
        return to_isomorphic(rdflib.Graph(store=dataset.store))

    return parse


CANONICAL: dict[str, Callable[[bytes], Any]] = {
    ".xml": _xml,
    ".rdf": _xml,
    ".nitf": _xml,
    ".json": _json,
    ".jsonld": _json,
    ".jsonl": _json_lines,
    ".nt": _lines,
    ".nq": _lines,
    ".ttl": _graph("turtle"),
    ".trig": _graph("trig"),
    ".html": canonical_page,
}


def _cases(cls: type[Exporter], seeds: list[Article]) -> dict[str, list[Article]]:
    if cls.collection:
        return {"seeds": seeds, "samples": samples()}
    cases = {safe_name(a.slug or a.id): [a] for a in seeds}
    cases.update((name, [html_article(data)]) for name, data in FIXTURES.items())
    return cases


def _outputs(name: str, seeds: list[Article], config: Config) -> dict[str, bytes]:
    cls = registry.exporter(name)
    exporter = cls(config, **{k: v for k, v in OPTIONS.items() if k in cls.options})
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for case, articles in _cases(cls, seeds).items():
            data = (
                exporter.export_collection(articles)
                if cls.collection
                else exporter.export(articles[0])
            )
            found[f"{case}{cls.file_extension}"] = data
    return found


def _accept_command(name: str) -> str:
    return f".venv/bin/pytest tests/test_golden.py --accept -k 'test_golden and {name}]'"


@pytest.mark.parametrize("name", BUILT_IN)
def test_golden(
    name: str, seed_articles: list[Article], repo_config: Config, request: pytest.FixtureRequest
) -> None:
    folder = GOLDEN / name
    outputs = _outputs(name, seed_articles, repo_config)
    stale = {p.name for p in folder.glob("*") if p.is_file()} - set(outputs)
    if request.config.getoption("--accept"):
        folder.mkdir(parents=True, exist_ok=True)
        for file, data in outputs.items():
            (folder / file).write_bytes(data)
        for file in stale:
            (folder / file).unlink()
        return
    hint = f"if the change is on purpose, run `{_accept_command(name)}` and review the diff"
    assert not stale, f"golden files without a case in {folder.relative_to(ROOT)}: {stale}; {hint}"
    canonical = CANONICAL[registry.exporter(name).file_extension]
    for file, data in outputs.items():
        path = folder / file
        assert path.is_file(), f"no golden file {path.relative_to(ROOT)}; {hint}"
        before, now = canonical(path.read_bytes()), canonical(data)
        if before != now:
            diff = "\n".join(
                difflib.unified_diff(
                    str(before).splitlines(), str(now).splitlines(), lineterm="", n=1
                )
            )
            pytest.fail(f"{path.relative_to(ROOT)} changed; {hint}\n{diff[:4000]}")


def test_every_built_in_exporter_has_golden_files() -> None:
    missing = [name for name in BUILT_IN if not any((GOLDEN / name).glob("*"))]
    assert missing == [], f"exporters without golden files: {missing}"
