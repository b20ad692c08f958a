"""Canonical JSON Lines out: the archive format, one compact article per line, so that archives
of millions of articles can be streamed, split and appended to with line-oriented tools."""

from __future__ import annotations

from pathlib import Path

import orjson

from wirekit.audience import SYNDICATION
from wirekit.formats.canonical.writer import STANDARD, check, dumps
from wirekit.model import Article
from wirekit.plugin import Exporter
from wirekit.schema import model_version


class JSONLinesExporter(Exporter):
    """Many articles as JSON Lines."""

    name = "jsonl"
    aliases = ("ndjson",)
    description = "canonical article JSON Lines, one article per line"
    media_type = "application/jsonl"
    file_extension = ".jsonl"
    standard = STANDARD
    standard_version = model_version()
    audience = SYNDICATION
    collection = True
    archive = True

    def export(self, article: Article) -> bytes:
        """One article as one line: an archive is these lines, one after another."""
        return dumps(article.to_dict(), orjson.OPT_APPEND_NEWLINE)

    def check(self, path: Path) -> str:
        return check(path, self.config)
