"""An example third-party wirekit exporter: one article as CommonMark.

It is registered in this package's ``pyproject.toml`` under the ``wirekit.exporters`` entry-point
group, exactly as wirekit registers its own exporters, and imports nothing heavy, so listing
formats stays cheap with it installed.
"""

from __future__ import annotations

import re

from wirekit.errors import ExportError
from wirekit.model import Article, BlockQuote, Heading, Image, ListBlock, Paragraph
from wirekit.plugin import Exporter

__all__ = ["MarkdownExporter"]

# ASCII punctuation that could open or close inline markup, links, HTML or entities
_INLINE = re.compile(r"([\\`*_\[\]<>&|~!#])")
# what would turn the start of a line into a block: a quote, a list, a thematic break
_BLOCK_START = re.compile(r"([>+=-])")
_NUMBERED = re.compile(r"([0-9]{1,9})([.)])")


def escape(text: str) -> str:
    """Text as one line of CommonMark that renders as exactly that text."""
    flat = _INLINE.sub(r"\\\1", " ".join(text.split()))
    if _NUMBERED.match(flat):
        return _NUMBERED.sub(r"\1\\\2", flat, count=1)
    return _BLOCK_START.sub(r"\\\1", flat, count=1) if _BLOCK_START.match(flat) else flat


def _image(image: Image) -> str:
    alt = escape(image.alt_text or image.caption or "")
    lines = [f"![{alt}](<{image.url}>)"]
    notes = [escape(note) for note in (image.caption, image.credit) if note]
    if notes:
        lines.append(f"*{' — '.join(notes)}*")
    return "\n".join(lines)


class MarkdownExporter(Exporter):
    """One article as a CommonMark document."""

    name = "markdown"
    aliases = ("md", "commonmark")
    description = "the article as Markdown (CommonMark), for chat, wikis and READMEs"
    media_type = "text/markdown"
    file_extension = ".md"
    standard = "CommonMark"
    standard_version = "0.31.2"

    def export(self, article: Article) -> bytes:
        parts = [f"# {escape(article.headline)}"]
        if article.subheadline:
            parts.append(f"*{escape(article.subheadline)}*")
        if article.authors:
            names = [escape(author.name) for author in article.authors]
            byline = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            parts.append(f"By {byline}")
        dateline = f"**{escape(article.dateline.text)}**" if article.dateline else None
        for block in article.body:
            text = self._block(block)
            if dateline and isinstance(block, Paragraph):
                text = f"{dateline} {text}"
                dateline = None
            parts.append(text)
        if dateline:  # the body had no paragraph to carry it
            parts.insert(len(parts) - len(article.body), dateline)
        parts.extend(_image(image) for image in article.images)
        return ("\n\n".join(parts) + "\n").encode("utf-8")

    @staticmethod
    def _block(block: object) -> str:
        if isinstance(block, Heading):
            return f"{'#' * (block.level or 2)} {escape(block.text)}"
        if isinstance(block, BlockQuote):
            quote = f"> {escape(block.text)}"
            if block.attribution:
                quote += f"\n>\n> — {escape(block.attribution)}"
            return quote
        if isinstance(block, ListBlock):
            return "\n".join(
                f"{f'{number}.' if block.ordered else '-'} {escape(item)}"
                for number, item in enumerate(block.items, 1)
            )
        if isinstance(block, Paragraph):
            return escape(block.text)
        raise ExportError(f"markdown cannot write a {type(block).__name__} block yet")
