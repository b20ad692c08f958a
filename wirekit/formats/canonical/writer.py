"""Canonical JSON out: the model itself as a format (pandoc's ``json`` writer plays this part).

Keys come in the schema's order, text as unescaped UTF-8, two-space indentation and a final
newline, so the output is stable, diff-friendly and byte-identical run after run. orjson writes
it several times faster than the standard library, which is the floor every other exporter's
speed is measured against.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import msgspec
import orjson

from wirekit.audience import SYNDICATION
from wirekit.config import Config
from wirekit.errors import UsageError
from wirekit.model import Article
from wirekit.plugin import Exporter
from wirekit.schema import model_version

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
STANDARD = "wirekit canonical article"


class JSONExporter(Exporter):
    """One article as canonical JSON."""

    name = "json"
    aliases = ("canonical",)
    description = "canonical article JSON, keys in schema order"
    media_type = "application/json"
    file_extension = ".json"
    standard = STANDARD
    standard_version = model_version()
    audience = SYNDICATION
    published_name = "article.json"
    published_order = 20
    negotiation_order = 70
    options: ClassVar[dict[str, str]] = {
        "notes": "all (default): every note, internal ones too, for the newsroom's own "
        "systems; shared: public and partner notes only, as a published tree carries them",
    }

    def __init__(self, config: Config | None = None, /, **options: Any) -> None:
        super().__init__(config, **options)
        notes = str(self.settings.get("notes", "all"))
        if notes not in ("all", "shared"):
            raise UsageError(f"json: notes must be all or shared, not {notes!r}")
        self.internal_notes = notes == "all"
        """Whether internal notes (staff contacts, phone numbers) are written: the model's
        one home for them is this format, but a published tree is read by the world."""

    def export(self, article: Article) -> bytes:
        if not self.internal_notes and any(n.audience == "internal" for n in article.notes):
            shared = tuple(note for note in article.notes if note.audience != "internal")
            article = msgspec.structs.replace(article, notes=shared)
        return dumps(article.to_dict(), _OPTIONS)

    def check(self, path: Path) -> str:
        return check(path, self.config)


def check(path: Path, config: Config) -> str:
    """Canonical JSON or JSON Lines read back through the json importer and the schema."""
    from wirekit.errors import CheckFailed
    from wirekit.sources import Reader

    results = list(Reader(config, "json").read(path))
    for result in results:
        if result.error is not None:
            raise CheckFailed(str(result.error))
    return f"valid against the canonical schema ({len(results)} article)"


def dumps(data: dict[str, object], options: int) -> bytes:
    """orjson; for its one refusal, an integer beyond 64 bits (only ``extensions`` can hold
    one), the standard library writes the same layout, exactly."""
    try:
        return orjson.dumps(data, option=options)
    except orjson.JSONEncodeError:
        indent = 2 if options & orjson.OPT_INDENT_2 else None
        separators = (",", ": ") if indent else (",", ":")
        text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
        newline = "\n" if options & orjson.OPT_APPEND_NEWLINE else ""
        return (text + newline).encode("utf-8")
