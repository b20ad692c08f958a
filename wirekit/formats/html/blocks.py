"""Body blocks as HTML and back: the one rendering the article page, the feeds and ninjs share,
and the reader that turns other producers' HTML bodies into blocks.

A newline inside a block becomes ``<br>``, so a literal line break in the markup is never ours:
the reader may treat those as the source formatting of other producers, and the round trip
blocks -> HTML -> blocks is exact. A quotation's attribution goes in a ``figcaption``, outside
the ``blockquote``, as the HTML standard asks (the page's stylesheet prints the dash).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from wirekit.model import AnyBlock, Article, Block, BlockQuote, Heading, ListBlock, Paragraph, Table
from wirekit.plugin import table_block, table_rows

JSON = dict[str, Any]

# --- the body as HTML ----------------------------------------------------------------------


def render_html(blocks: Iterable[AnyBlock]) -> str:
    """The body as an HTML fragment, every piece of text escaped.

    A newline inside a block becomes ``<br>``, so a literal line break in the markup is never
    ours: :func:`parse_html` may then treat those as the source formatting of other producers.
    A quotation's attribution goes in a ``figcaption``, outside the ``blockquote``, as HTML asks.
    """
    return "".join(map(_html_block, blocks))


def _inline(text: str) -> str:
    return escape(text, quote=False).replace("\n", "<br>")


def _html_block(block: AnyBlock) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.text)}</p>"
    if isinstance(block, Heading):
        level = block.level or 2
        return f"<h{level}>{_inline(block.text)}</h{level}>"
    if isinstance(block, BlockQuote):
        quote = f"<blockquote>{_inline(block.text)}</blockquote>"
        if block.attribution is None:
            return quote
        return f"<figure>{quote}<figcaption>{_inline(block.attribution)}</figcaption></figure>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>{''.join(f'<li>{_inline(item)}</li>' for item in block.items)}</{tag}>"
    if isinstance(block, Table):
        return _html_table(block)
    raise TypeError(f"no HTML for body block {type(block).__name__}")


_PLAYERS = {"video": "video", "audio": "audio"}


def media_html(article: Article) -> str:
    """A picture, graphic, video or audio item's content as HTML, for its page and feeds: the
    first rendition (the original) shown or played, with the caption; empty for a text."""
    if not article.renditions:
        return ""
    first = article.renditions[0]
    href = escape(first.href)
    size = "".join(
        f' {name}="{value}"'
        for name, value in (("width", first.width), ("height", first.height))
        if value is not None
    )
    player = _PLAYERS.get(article.type or "")
    shown = (
        f'<img src="{href}"{size}>'
        if player is None
        else (f'<{player} controls src="{href}"{size}></{player}>')
    )
    caption = (
        "" if article.caption is None else f"<figcaption>{_inline(article.caption)}</figcaption>"
    )
    return f"<figure>{shown}{caption}</figure>\n"


def _html_table(table: Table) -> str:
    return table_markup(table, _inline)


def table_markup(table: Table, inline: Callable[[str], str]) -> str:
    """A table as HTML or XHTML (``inline`` escapes a cell's text for either): its caption,
    then rows of ``th`` header cells and ``td`` data cells."""
    caption = "" if table.caption is None else f"<caption>{inline(table.caption)}</caption>"
    rows = "".join(
        "<tr>"
        + "".join(
            f"<th>{inline(cell.text)}</th>" if cell.header else f"<td>{inline(cell.text)}</td>"
            for cell in row.cells
        )
        + "</tr>"
        for row in table.rows
    )
    return f"<table>{caption}<tbody>{rows}</tbody></table>"


def parse_html(markup: str) -> list[JSON]:
    """Canonical body blocks from an HTML body: paragraphs, headings, block quotes, lists.

    Exact for :func:`render_html`'s output and tolerant of other producers' markup (a whole
    document, ``section``/``div`` wrappers, implied end tags, line-wrapped source); the content
    of ``head``, ``script``, ``style`` and the like is dropped.

    The markup is parsed by libxml2's HTML parser (through lxml): linear time, no network, no
    DTD, comments and processing instructions removed. The standard library's ``html.parser``
    would do, but before Python 3.13.4 it goes quadratic on unterminated tags (24 KB of ``<a ``
    take seconds), and an importer reads whatever a wire sends.
    """
    from lxml import etree

    reader = _BlockReader()
    root = etree.fromstring(markup.encode("utf-8"), _html_parser())
    if root is not None:  # None: nothing but white space
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else "#other"  # e.g. a doctype
            if event == "end":
                reader.end(tag)
                if element.tail:
                    reader.data(element.tail)
            elif tag == "table":
                reader.table(element)
                walker.skip_subtree()
            elif not reader.start(tag):
                walker.skip_subtree()
            elif element.text:
                reader.data(element.text)
    return reader.finish()


@functools.cache
def _html_parser() -> Any:
    """One parser per process: building it costs more than parsing a short body."""
    from lxml import etree

    return etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )


def parse_plain(text: str) -> list[JSON]:
    """Paragraphs of a plain-text body: separated by blank lines, or by line breaks when the
    text has no blank line (as TT sends it)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = re.split(r"\n[ \t]*\n", text)
    if len(chunks) == 1:
        chunks = text.split("\n")
    return [{"type": "paragraph", "text": chunk.strip()} for chunk in chunks if chunk.strip()]


def plain_text(markup: str) -> str:
    """The text of an HTML fragment (a description sent as HTML), blocks on their own lines."""
    return "\n\n".join(_block_text(block) for block in parse_html(markup))


def _block_text(block: JSON) -> str:
    return Block.from_dict(block).text_content


_HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
"""Tag -> level; the article's own title is the headline, so an ``h1`` in a body is a section."""
_LEAVES = frozenset({"p", *_HEADINGS})
_CONTAINERS = frozenset({"li", "blockquote", "figcaption"})
_LISTS = frozenset({"ul", "ol"})
_SKIPPED = frozenset(
    {
        "#other",
        "head",
        "title",
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "object",
        "svg",
    }
    | {"math", "select", "textarea", "button"}
)
_BOUNDARIES = frozenset(
    {"address", "article", "aside", "body", "caption", "dd", "div", "dl", "dt", "fieldset"}
    | {"figure", "footer", "form", "header", "hr", "html", "main", "nav", "pre", "section"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr"}
)
_SOURCE_BREAK = re.compile(r"[ \t\f]*[\r\n][ \t\r\n\f]*")
_MARK = "\x00"
"""Stands for a line break in the markup's source until a block ends; the canonical schema
forbids NUL, so no real text contains it."""


class _Frame:
    """An open element that collects text: ``own`` is False for an element opened inside a
    container, whose text simply flows into the container's."""

    __slots__ = ("depth", "own", "parts", "tag")

    def __init__(self, tag: str, own: bool, depth: int = 0) -> None:
        self.tag = tag
        self.own = own
        self.depth = depth
        self.parts: list[str] = []


class _BlockReader:
    """Turns the start, text and end of HTML elements, in document order, into canonical blocks
    (see :func:`parse_html`). The parser has already resolved implied end tags; what is left
    here is which text belongs to which block."""

    def __init__(self) -> None:
        self.blocks: list[JSON] = []
        self._frames: list[_Frame] = []
        self._lists: list[JSON] = []
        self._loose: list[str] = []
        self._figures = 0  # open figures: media and their credits, not body text
        self._quote: JSON | None = None  # a block quote in the open figure, awaiting attribution

    # events

    def start(self, tag: str) -> bool:
        """An element starts; False when its content is not body text and must be skipped."""
        if tag in _SKIPPED or (tag == "figcaption" and self._quote is None):
            return False  # a figcaption without a quote before it is a picture's caption
        if tag == "br":
            self._append("\n")
        elif tag in _LEAVES or tag in ("blockquote", "figcaption"):
            self._open(tag)
        elif tag in ("ul", "ol"):
            self._open_list(ordered=tag == "ol")
        elif tag == "li":
            self._open_item()
        elif tag in _BOUNDARIES:
            self._end_paragraph()
            self._flush_loose()
            if tag == "figure":
                self._figures += 1
                self._quote = None
        return True

    def end(self, tag: str) -> None:
        if tag in _LEAVES or tag in _CONTAINERS:
            self._close_through(tag)
        elif tag in ("ul", "ol"):
            self._close_list()
        elif tag in _BOUNDARIES:
            self._end_paragraph()
            self._flush_loose()
            if tag == "figure" and self._figures:
                self._figures -= 1
                self._quote = None

    def data(self, text: str) -> None:
        self._append(_SOURCE_BREAK.sub(_MARK, text))

    def table(self, element: Any) -> None:
        """A whole table at once, from its element: every row's ``th`` and ``td`` cells
        (inside ``thead``, ``tbody`` or ``tfoot`` too), empty ones kept, and its caption."""
        self._end_paragraph()
        self._flush_loose()
        caption = element.find("caption")
        rows = table_rows(element, line_breaks)
        block = table_block(rows, None if caption is None else line_breaks(caption))
        if block is not None:
            self.blocks.append(block)

    def finish(self) -> list[JSON]:
        while self._frames:
            self._pop()
        while self._lists:
            self._close_list()
        self._flush_loose()
        return self.blocks

    # structure

    def _container(self) -> _Frame | None:
        return next((f for f in reversed(self._frames) if f.tag in _CONTAINERS), None)

    def _end_paragraph(self) -> None:
        """HTML ends an open ``p`` or heading when another block starts."""
        if self._frames and self._frames[-1].tag in _LEAVES:
            self._pop()

    def _open(self, tag: str) -> None:
        self._end_paragraph()
        container = self._container()
        if container is not None and tag != "figcaption":
            if "".join(container.parts).strip(" \t" + _MARK):
                container.parts.append("\n")
            self._frames.append(_Frame(tag, own=False))
            return
        self._flush_loose()
        self._frames.append(_Frame(tag, own=True))

    def _open_list(self, ordered: bool) -> None:
        self._end_paragraph()
        item = self._container()
        if item is not None and item.tag == "li":
            self._emit_item(item)  # the outer item's words come before the nested items
            item.parts.clear()
        if not self._lists:
            self._flush_loose()
            block: JSON = {"type": "list", "items": []}
            if ordered:
                block["ordered"] = True
            self._lists.append(block)
        else:
            self._lists.append(self._lists[-1])

    def _open_item(self) -> None:
        self._end_paragraph()
        depth = len(self._lists)
        if self._frames and self._frames[-1].tag == "li" and self._frames[-1].depth == depth:
            self._pop()
        if not self._lists:
            self._open_list(ordered=False)
            depth = 1
        self._frames.append(_Frame("li", own=True, depth=depth))

    def _close_through(self, tag: str) -> None:
        if any(frame.tag == tag for frame in self._frames):
            while self._frames[-1].tag != tag:
                self._pop()
            self._pop()

    def _close_list(self) -> None:
        if not self._lists:
            return
        self._end_paragraph()
        depth = len(self._lists)
        while self._frames and self._frames[-1].tag == "li" and self._frames[-1].depth >= depth:
            self._pop()
        block = self._lists.pop()
        if not self._lists and block["items"]:
            self.blocks.append(block)

    def _pop(self) -> None:
        frame = self._frames.pop()
        if not frame.own:
            return
        if frame.tag == "li":
            self._emit_item(frame)
            return
        text = _finish(frame.parts)
        if not text:
            return
        if frame.tag == "p":
            self.blocks.append({"type": "paragraph", "text": text})
        elif frame.tag in _HEADINGS:
            heading: JSON = {"type": "heading", "text": line(text)}
            if _HEADINGS[frame.tag] != 2:
                heading["level"] = _HEADINGS[frame.tag]
            self.blocks.append(heading)
        elif frame.tag == "blockquote":
            self._quote = {"type": "blockquote", "text": text}
            self.blocks.append(self._quote)
        elif frame.tag == "figcaption" and self._quote is not None:
            self._quote["attribution"] = line(text)
            self._quote = None

    def _emit_item(self, frame: _Frame) -> None:
        text = _finish(frame.parts)
        if text and self._lists:
            self._lists[-1]["items"].append(text)

    # text

    def _append(self, text: str) -> None:
        owner = next((f for f in reversed(self._frames) if f.own), None)
        (owner.parts if owner is not None else self._loose).append(text)

    def _flush_loose(self) -> None:
        """Text outside any block becomes a paragraph of its own, white space collapsed; in a
        figure it is a picture's credit or the like, and goes."""
        text = " ".join("".join(self._loose).replace(_MARK, " ").split())
        self._loose.clear()
        if text and not self._figures:
            self.blocks.append({"type": "paragraph", "text": text})


def line_breaks(element: Any) -> str:
    """A table cell's or caption's text: ``<br>`` a newline, source line breaks spaces (as
    :func:`_finish` makes a block's), and each block inside it (paragraphs, a nested table's
    cells) a line of its own, so that words of two blocks never run together."""
    lines: list[list[str]] = [[_SOURCE_BREAK.sub(_MARK, element.text or "")]]
    _gather_lines(element, lines)
    return "\n".join(text for text in map(_finish, lines) if text)


def _gather_lines(element: Any, lines: list[list[str]]) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else "#other"
        if tag == "br":
            lines[-1].append("\n")
        elif tag not in _SKIPPED:
            block = tag in _BOUNDARIES or tag in _LEAVES or tag in _CONTAINERS or tag in _LISTS
            if block:
                lines.append([])
            lines[-1].append(_SOURCE_BREAK.sub(_MARK, child.text or ""))
            _gather_lines(child, lines)
            if block:
                lines.append([])
        lines[-1].append(_SOURCE_BREAK.sub(_MARK, child.tail or ""))


def _finish(parts: list[str]) -> str:
    """A block's text: source line breaks dropped at its edges and next to ``<br>``, a space
    elsewhere; everything else exactly as written."""
    text = re.sub(_MARK + "*\n" + _MARK + "*", "\n", "".join(parts)).strip(_MARK)
    return re.sub(_MARK + "+", " ", text)


def line(text: str) -> str:
    """Text for a single-line field: line breaks and tabs (which the schema forbids there)
    become single spaces."""
    return re.sub(r"[\t\n\r]+", " ", text)
