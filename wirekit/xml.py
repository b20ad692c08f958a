"""Parsing XML that strangers send, safely: the one way wirekit reads XML.

An agency feed is untrusted input. XML's document type declaration is the attack surface: an
external entity reads a local file or fetches a URL (XXE), an external DTD is fetched from the
network, and nested or repeated internal entities expand a few hundred bytes into gigabytes
("billion laughs", quadratic blowup). News formats (NewsML-G2, NITF, RSS, Atom) never need a
DOCTYPE, so wirekit refuses any document that has one, before the parser sees it, with a one-line
:class:`~wirekit.errors.InputError`. The parser itself is hardened as a second wall, for the
encodings the byte scan cannot read: no network, no DTD loading, no entity substitution, libxml2's
default size and depth limits (``huge_tree`` off: at most 256 levels of nesting, 10 MB per text
node).

lxml is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from wirekit.errors import InputError

MAX_DEPTH = 256
"""libxml2's nesting limit without ``huge_tree``; deeper documents are refused."""

_REFUSED = (
    "XML with a DOCTYPE declaration is refused: news formats need none, and DTDs and entities "
    "can read local files, fetch URLs or expand without bound"
)
# the prolog: an XML declaration, processing instructions, comments and white space
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_ENCODINGS = {
    b"\xff\xfe": "utf-16-le",
    b"\xfe\xff": "utf-16-be",
    b"<\x00?\x00": "utf-16-le",
    b"\x00<\x00?": "utf-16-be",
}


_local = threading.local()


def parser() -> Any:
    """The hardened lxml parser, one per thread: a parser is reusable, but not concurrently."""
    found = getattr(_local, "parser", None)
    if found is None:
        found = _local.parser = _new_parser()
    return found


def _new_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(
        no_network=True,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def head_bytes(data: bytes) -> bytes:
    """The start of a document as ASCII-compatible bytes without a byte-order mark, so checks
    on the raw bytes (the DOCTYPE refusal, importers' ``sniff``) also see UTF-16 input; UTF-8
    and the ISO-8859 family are ASCII-compatible already."""
    head = data[:65536]
    for mark, codec in _ENCODINGS.items():
        if head.startswith(mark):
            return head.decode(codec, errors="ignore").removeprefix("\ufeff").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf")


def after_prolog(head: bytes) -> bytes:
    """What follows the XML declaration, comments, processing instructions and white space."""
    end = _PROLOG.match(head)
    return head[end.end() if end else 0 :]


def doctype_line(data: bytes) -> int | None:
    """The line of the DOCTYPE declaration before the root element, if there is one."""
    head = head_bytes(data)
    rest = after_prolog(head)
    if rest[:9].upper() != b"<!DOCTYPE":
        return None
    return head.count(b"\n", 0, len(head) - len(rest)) + 1


def _syntax_error(exc: Exception) -> InputError:
    """A libxml2 complaint as one line, at its line and column."""
    message = " ".join(str(getattr(exc, "msg", "") or exc).split())
    message = re.sub(r"\s*\(<string>, line \d+\)$", "", message)
    if "Excessive depth" in message or "Maximum depth" in message:
        message = f"elements are nested more than {MAX_DEPTH} levels deep"
    elif re.search(r"[Ee]ntit", message):
        message = f"{message} (entities are not expanded)"
    line, column = getattr(exc, "position", (None, None))
    place = f"line {line}, column {column}" if line else None
    return InputError(f"malformed XML: {message}", place=place)


def parse(data: bytes) -> Any:
    """The root element of ``data``, or :class:`InputError` (one line) if it is not well-formed
    XML or declares a DOCTYPE. Comments and processing instructions are dropped."""
    from lxml import etree

    line = doctype_line(data)
    if line is not None:
        raise InputError(_REFUSED, place=f"line {line}")
    if not data.strip():
        raise InputError("malformed XML: the document is empty")
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    if root is None:
        raise InputError("malformed XML: no root element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputError(_REFUSED)
    return root


def local_name(tag: Any) -> str:
    """``{ns}name`` -> ``name``; comments and other non-elements give ``""``."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


# --- writing ----------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """Character data: ``&``, ``<`` and ``>`` (the last so that ``]]>`` cannot appear)."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


_ATTRIBUTE_SPECIAL = re.compile(r'[&<>"\t\n\r]')
_ATTRIBUTE_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}


def _reference(match: re.Match[str]) -> str:
    return _ATTRIBUTE_ESCAPES[match.group()]


def escape_attribute(value: str) -> str:
    """An attribute value in double quotes. Tab, newline and carriage return become character
    references, because a parser normalises the literal characters to spaces."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return _ATTRIBUTE_SPECIAL.sub(_reference, value)


def attributes(attrib: dict[str, str] | None) -> str:
    """`` name="value"`` pairs, in the dict's order (so output is deterministic)."""
    if not attrib:
        return ""
    found = _ATTRIBUTE_SPECIAL.search
    written = ""
    for name, value in attrib.items():
        escaped = value if found(value) is None else _ATTRIBUTE_SPECIAL.sub(_reference, value)
        written += f' {name}="{escaped}"'
    return written


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


class Writer:
    """Serialized XML, written in document order into a list of strings.

    Building an lxml tree and serialising it costs about four times as much per element (and
    more per attribute) as writing the text directly, which matters for exporters that write
    whole archives. Well-formedness is the caller's part: every :meth:`start` needs its
    :meth:`end`; names are written as given (a default namespace is an ``xmlns`` attribute).
    Values must be XML characters: wirekit's schema already excludes the others.
    """

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def start(self, tag: str, attrib: dict[str, str] | None = None) -> None:
        self.parts.append(f"<{tag}{attributes(attrib)}>" if attrib else f"<{tag}>")

    def end(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def empty(self, tag: str, attrib: dict[str, str] | None = None) -> None:
        self.parts.append(f"<{tag}{attributes(attrib)}/>")

    def leaf(self, tag: str, text: str, attrib: dict[str, str] | None = None) -> None:
        """An element holding only text."""
        if "&" in text or "<" in text or ">" in text:
            text = escape_text(text)
        if attrib:
            self.parts.append(f"<{tag}{attributes(attrib)}>{text}</{tag}>")
        else:
            self.parts.append(f"<{tag}>{text}</{tag}>")

    def text(self, text: str) -> None:
        self.parts.append(escape_text(text))

    def placeholder(self) -> int:
        """A place to fill in later (with :meth:`fill`), for content known only at the end."""
        self.parts.append("")
        return len(self.parts) - 1

    def fill(self, index: int, xml: str) -> None:
        self.parts[index] = xml

    def take(self, declaration: bool = False) -> bytes:
        """What was written so far, as UTF-8, and forget it: a document streamed piece by piece
        (a newsMessage of a million items) is written out without ever being whole in memory.
        Only the document's first piece takes the declaration."""
        body = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        return _DECLARATION + body if declaration else body
