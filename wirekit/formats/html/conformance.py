"""What ``wirekit check`` asks of an article's page: a language, exactly one JSON-LD script, and
that script equal to the JSON-LD document published beside the page."""

from __future__ import annotations

from pathlib import Path

import orjson

from wirekit.errors import CheckFailed


def page(path: Path) -> str:
    """An article page: ``<html lang>``, one JSON-LD script, the same as the sibling JSON-LD; or
    a withdrawn article's tombstone: ``noindex``, and neither story nor structured data."""
    import lxml.html

    from wirekit import registry

    document = lxml.html.document_fromstring(path.read_bytes())
    if not document.get("lang"):
        raise CheckFailed("the <html> element has no lang")
    scripts = document.xpath('//script[@type="application/ld+json"]')
    if document.xpath('//*[@class="tombstone"]'):  # a withdrawn article's page
        if scripts or document.xpath("//article"):
            raise CheckFailed("a tombstone must carry no story and no structured data")
        if not document.xpath('//meta[@name="robots"][contains(@content, "noindex")]'):
            raise CheckFailed("a tombstone must carry noindex")
        return "a tombstone: noindex, no story, no structured data"
    if len(scripts) != 1:
        raise CheckFailed(f"{len(scripts)} JSON-LD scripts; a page needs exactly one")
    jsonld = path.with_name(registry.exporter("jsonld").tree_file())
    embedded = orjson.loads(scripts[0].text or "")
    if jsonld.is_file() and embedded != orjson.loads(jsonld.read_bytes()):
        raise CheckFailed(f"its JSON-LD differs from {jsonld.name}")
    return "one JSON-LD script" + (f", equal to {jsonld.name}" if jsonld.is_file() else "")
