"""Import of real agency files: every file of ../shared/corpus (NewsML-G2, NITF, ninjs, wire
text, feeds) through wirekit's reader in one process, next to parsing the same bytes alone.

The floor parses each file as its syntax asks and nothing more: ``lxml.etree.fromstring`` for
XML, ``orjson.loads`` for JSON, a decode for wire text. Issue 17 asks importing (recognising the
format, mapping, validating every article) to stay within 4 times of that. Both passes count the
articles wirekit reads from the corpus, so their rates compare the same work. The corpus is not
the repository's: without it the cases are skipped.

A third case times ``feedparser.parse`` alone on the corpus's feeds, called as wirekit's feed
reader calls it: issue 17 asks for feedparser, and no import that uses it can be faster than
that case, so its ratio to the floor is the ceiling of the import's.

    python -m benchmarks --only "corpus: wirekit import"
"""

from __future__ import annotations

import functools
import io
import warnings
from pathlib import Path

import orjson

from ..runner import ROOT, Context, Pass, Skip, case

SECTION = "import + validation"
CORPUS = ROOT.parent / "shared" / "corpus"
FLOOR = "corpus: parse only"


@functools.cache
def _files() -> tuple[tuple[Path, bytes], ...]:
    if not CORPUS.is_dir():
        raise Skip(f"no agency corpus at {CORPUS}")
    paths = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
    return tuple((path, path.read_bytes()) for path in paths)


@functools.cache
def _articles() -> int:
    """How many articles wirekit reads from the corpus (the unit of both cases)."""
    from wirekit.sources import Reader

    reader = Reader()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sum(1 for path, _ in _files() for result in reader.read(path) if result.article)


@case(SECTION, FLOOR, detail="lxml / orjson / decode of the same bytes")
def parse_only(ctx: Context) -> Pass:
    from lxml import etree

    files, articles = _files(), _articles()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)

    def run() -> int:
        for path, data in files:
            if path.suffix in (".xml", ".rss", ".atom") or data.lstrip()[:1] == b"<":
                etree.fromstring(data, parser)
            elif path.suffix == ".json":
                orjson.loads(data)
            else:
                data.decode("latin-1")
        return articles

    return run


@case(SECTION, "corpus: wirekit import", baseline=FLOOR, goal=1 / 4, detail="every file")
def wirekit_import(ctx: Context) -> Pass:
    from wirekit.sources import Reader

    files = _files()
    ctx.note(f"corpus: {len(files)} files, {_articles()} articles read from {CORPUS}")

    def run() -> int:
        reader = Reader()
        count = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for path, _ in files:
                count += sum(1 for result in reader.read(path) if result.article)
        return count

    return run


@case(SECTION, "corpus: feedparser alone", baseline=FLOOR, detail="the feeds, nothing else")
def feedparser_alone(ctx: Context) -> Pass:
    import feedparser

    from wirekit import registry

    feeds = [
        data for path, data in _files() if registry.importer_for(data[:4096], path).name == "feed"
    ]
    articles = _articles()

    def run() -> int:
        for data in feeds:  # as wirekit.formats.feeds.reader calls it
            feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False)
        return articles  # the corpus's unit, so the ratio reads as a bound on the import's

    return run
