"""Importing the real agency corpus in one process (issue 17), next to parsing alone.

    python -m benchmarks.corpus_import                       # ../shared/corpus, 3 passes
    python -m benchmarks.corpus_import --corpus DIR --repeats 1

Every file is read from memory (so the disk is not measured), imported to canonical articles by
the importer the registry sniffs for it, schema validation included; the baseline is parsing
the same bytes alone in the same run: ``lxml.etree.fromstring`` for XML, ``orjson.loads`` for
JSON, nothing for text. The figure is the ratio of the two times (goal: within 4x of parsing).
Not part of ``make test``: it needs the corpus beside the repository.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
GOAL = 4.0


def _load(folder: Path) -> list[tuple[str, bytes]]:
    return [
        (str(p), p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".md"
    ]


def _import(files: list[tuple[str, bytes]]) -> int:
    """Articles imported from every file (failures count none), as ``wirekit`` reads them."""
    import io

    from wirekit import registry
    from wirekit.config import Config
    from wirekit.model import Article
    from wirekit.schema import problems

    config = Config()
    count = 0
    for name, data in files:
        try:
            importer = registry.importer_for(data[:4096], name)(config)
            for record in importer.read(io.BytesIO(data), name):
                if record.data is not None and not problems(record.data):
                    Article.from_dict(record.data)
                    count += 1
        except Exception:  # a file that holds no article: it costs its parse all the same
            continue
    return count


def _parse(files: list[tuple[str, bytes]]) -> None:
    import orjson
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for _, data in files:
        head = data.lstrip()[:1]
        try:
            if head == b"<":
                etree.fromstring(data, parser)
            elif head in (b"{", b"["):
                orjson.loads(data)
        except (etree.XMLSyntaxError, orjson.JSONDecodeError):
            continue


def _best(run: object, files: list[tuple[str, bytes]], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(files)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus_import", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeats", "-k", type=int, default=3)
    args = parser.parse_args(argv)
    files = _load(args.corpus)
    if not files:
        print(f"no corpus at {args.corpus}")
        return 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = _import(files)  # warm: imports, compiled schemas, caches
        imported = _best(_import, files, args.repeats)
    parsed = _best(_parse, files, args.repeats)
    ratio = imported / parsed if parsed else float("inf")
    print(f"files: {len(files)}, articles: {articles}")
    print(f"import: {articles / imported:,.0f} articles/s ({imported * 1000:.0f} ms)")
    print(f"parse alone: {articles / parsed:,.0f} articles/s ({parsed * 1000:.0f} ms)")
    verdict = "met" if ratio <= GOAL else "not met"
    print(f"ratio: {ratio:.1f}x parsing alone (goal {GOAL:.0f}x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
