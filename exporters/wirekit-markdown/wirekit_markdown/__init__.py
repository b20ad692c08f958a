"""wirekit exporters distributed as a plugin package: one article as CommonMark (``markdown``),
and as Markdown with YAML front matter for static-site generators such as Hugo and Jekyll
(``front-matter``).

They are registered in this package's ``pyproject.toml`` under the ``wirekit.exporters``
entry-point group, exactly as wirekit registers its own exporters, import nothing heavy (so
listing formats stays cheap with them installed), and declare how their output is checked, so
``wirekit check`` judges their files in a published tree as it judges wirekit's own.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any, ClassVar

from wirekit.errors import CheckFailed, ExportError, LossyConversionWarning
from wirekit.model import Article, BlockQuote, Heading, Image, ListBlock, Paragraph, Table
from wirekit.plugin import Exporter

__all__ = ["FrontMatterExporter", "MarkdownExporter"]

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
    aliases: ClassVar[tuple[str, ...]] = ("md", "commonmark")
    description = "the article as Markdown (CommonMark), for chat, wikis and READMEs"
    media_type = "text/markdown"
    file_extension = ".md"
    standard = "CommonMark"
    standard_version = "0.31.2"
    carries: ClassVar[frozenset[str]] = frozenset(
        {"headline", "subheadline", "authors", "dateline", "body", "images"}
    )
    """The article's fields (canonical names) the document shows. Markdown is a page's text:
    any other field an article holds is named in one ``LossyConversionWarning``, so the
    conversion is never lossy in silence."""

    def export(self, article: Article) -> bytes:
        self.warn_lost(article)
        return self.document(article, title=True).encode("utf-8")

    def warn_lost(self, article: Article) -> None:
        lost = sorted(set(article.to_dict()) - self.carries)
        if lost:
            message = f"{article.id}: {self.name} cannot carry {', '.join(lost)}"
            warnings.warn(LossyConversionWarning(message), stacklevel=3)

    def check(self, path: Path) -> str:
        """The first line is the headline as a level-1 heading; the text is UTF-8."""
        text = _text(path)
        if not text.startswith("# "):
            raise CheckFailed("no level-1 heading on the first line")
        return f"CommonMark, {len(text.splitlines())} lines, headline first"

    def document(self, article: Article, *, title: bool) -> str:
        """The article as CommonMark; without ``title``, the headline is left to the caller
        (front matter carries it, and a static-site theme prints it)."""
        parts = [f"# {escape(article.headline)}"] if title else []
        if article.subheadline:
            parts.append(f"*{escape(article.subheadline)}*")
        if article.authors:
            names = [escape(author.name or "") for author in article.authors]  # always named
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
        return "\n\n".join(parts) + "\n"

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
        if isinstance(block, Table):  # a pipe table: the first row is its head
            rows = [
                "| " + " | ".join(escape(c.text).replace("|", "\\|") for c in row.cells) + " |"
                for row in block.rows
            ]
            rows.insert(1, "|" + " --- |" * len(block.rows[0].cells))
            caption = f"{escape(block.caption)}\n\n" if block.caption else ""
            return caption + "\n".join(rows)
        raise ExportError(f"markdown cannot write a {type(block).__name__} block yet")


FENCE = "---"


class FrontMatterExporter(MarkdownExporter):
    """One article as Markdown with YAML front matter, the page format of Hugo and Jekyll.

    The front matter holds what a theme lists and sorts by: title, date, lastmod, slug,
    summary, authors, tags and categories. Each value is written as JSON, which YAML 1.2
    reads as it is, so no quoting rule of YAML's can change a headline's meaning.
    """

    name = "front-matter"
    aliases = ("hugo", "jekyll", "markdown-yaml")
    description = "Markdown with YAML front matter, for static-site generators (Hugo, Jekyll)"
    media_type = "text/markdown"
    file_extension = ".md"
    standard = "CommonMark with YAML front matter"
    standard_version = "0.31.2"
    carries = MarkdownExporter.carries | {
        "datePublished",
        "dateModified",
        "slug",
        "summary",
        "keywords",
        "section",
    }

    def export(self, article: Article) -> bytes:
        self.warn_lost(article)
        fields: dict[str, Any] = {
            "title": article.headline,
            "date": article.date_published,
            "lastmod": article.date_modified,
            "slug": article.slug,
            "summary": article.summary,
            "authors": [author.name for author in article.authors] or None,
            "tags": list(article.keywords) or None,
            "categories": [article.section] if article.section else None,
        }
        lines = [
            f"{key}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in fields.items()
            if value is not None
        ]
        front = "\n".join([FENCE, *lines, FENCE])
        return f"{front}\n\n{self.document(article, title=False)}".encode()

    def check(self, path: Path) -> str:
        """The front matter is fenced, every line a ``key: value`` whose value parses, and it
        has a title: what Hugo and Jekyll need to build the page."""
        lines = _text(path).split("\n")
        if lines[0] != FENCE or FENCE not in lines[1:]:
            raise CheckFailed("no front matter fenced by --- lines at the top")
        fields: dict[str, Any] = {}
        for number, line in enumerate(lines[1 : lines.index(FENCE, 1)], 2):
            key, colon, value = line.partition(": ")
            try:
                fields[key] = json.loads(value) if colon else None
            except ValueError:
                raise CheckFailed(f"line {number}: {line[:60]!r} is not key: value") from None
            if not colon:
                raise CheckFailed(f"line {number}: {line[:60]!r} is not key: value")
        if not isinstance(fields.get("title"), str) or not fields["title"]:
            raise CheckFailed("the front matter has no title")
        return f"front matter with {len(fields)} fields, title present"


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CheckFailed(f"not UTF-8 at byte {exc.start}") from None
