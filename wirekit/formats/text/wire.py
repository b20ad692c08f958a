"""Classic agency wire text in: ANPA-1312 (AP and the US wires) and IPTC 7901 (dpa and the
European agencies), the transmission formats wirekit's plain-text format descends from.

Both frame one story between control characters: SOH (0x01) opens the header, STX (0x02) the
text, ETX (0x03) closes it before the end mark, EOT (0x04) ends the transmission (ANPA puts two
SYN, 0x16, before SOH). What lies between is read as the plain-text importer reads wire copy
(its dateline, headline and slug helpers are shared, see :mod:`wirekit.formats.text.reader`), and
the framing around it is mapped:

========================  ====================================  ================================
part                      ANPA-1312                             IPTC 7901
========================  ====================================  ================================
header after SOH          service letter + sequence, US, the    service + sequence, priority,
                          format id; then priority, category,   category, word count, options
                          keyword (slug), take, MM-DD, words
keywords before STX       (in the header)                       ``Germany/politics/`` -> keywords
heading after STX         ``^`` lines: keyword line, headline,  lines up to `` =``: marks
                          ``Eds:``/``AP Photo`` notes, ``By``   (``REFILE``, ``1ST LEAD``),
                          line and its title                    ``By`` line, headline
text                      tab-indented paragraphs               blank-line paragraphs
notes for editors         ``Eds:`` lines                        a ``# ... NOTEBOOK`` part, "not
                                                                for publication"
end mark after ETX        ``AP-WF-11-13-13 1509GMT``            ``242200 GMT Jun 17``
========================  ====================================  ================================

Priority becomes ``urgency`` (ANPA's letters by the table :data:`ANPA_PRIORITY`), the end mark
``datePublished`` (UTC: both formats write GMT), the ``By`` line ``authors`` with the line under
it as their role; ANPA's `` _ `` (its seven-bit dash) is read as an em dash. Everything else the
framing says (service, sequence, category, take, word count, marks, the sign-off, the charset) is
kept in ``extensions.wire``. The charset is detected (UTF-8, else Windows-1252, else ISO-8859-1,
in that order of likelihood) and reported in a warning when it is not UTF-8.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, ClassVar

from wirekit import coverage
from wirekit.errors import InputError
from wirekit.formats.text.reader import (
    TextImporter,
    derive_headline,
    one_line,
    split_dateline,
    strip_controls,
)
from wirekit.plugin import Record, add_note, printed_byline, slugify, warn

JSON = dict[str, Any]
SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"
ANPA_PRIORITY = {"f": 1, "b": 2, "u": 3, "r": 5, "d": 7}
"""ANPA-1312 priority letters -> urgency: flash, bulletin, urgent, routine, deferred."""
_ANPA_HEAD = re.compile(r"\x16*\x01([A-Za-z])([0-9]{4})\x1f?([^\n]*)")
_ANPA_SLUG = re.compile(
    r"([A-Za-z]) ([A-Za-z])[\x13\x14][\x11\x12]\s*(\S+)\s+(?:(.*?)\s+)?([0-9]{2})-([0-9]{2})"
    r"\s+([0-9]{4})\s*$"
)
_ANPA_END = re.compile(
    r"([A-Za-z]+)-([A-Za-z]+)-([0-9]{2})-([0-9]{2})-([0-9]{2}) ([0-9]{2})([0-9]{2})GMT"
)
_IPTC_HEAD = re.compile(r"\x01([A-Za-z]*)([0-9]+)\s+([0-9])\s+([A-Za-z]{1,3})\s+([0-9]+)\s*(.*)")
_IPTC_END = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})(?: GMT)? ([A-Za-z]{3}) ([0-9]{2})")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_BY = re.compile(r"By\s+\S", re.IGNORECASE)
_MARK = re.compile(r"[0-9A-Z][0-9A-Z ()]*|\([A-Za-z]+\)")
_SIGNALS = {"CORRECTION": "correction", "CORRECTS": "correction", "LEAD": "update"}
_WIRE_DATELINE = re.compile(r"([^\W\d][^()\n]{0,60}?)\s*\(([^()\n]{1,30})\)\s*[-–—_]{1,2}\s+(?=\S)")
_SIGN_OFF = re.compile(r"[a-z]{2,5}(?: [a-z]{2,5})+")
_NOTEBOOK = re.compile(r"#|\*\s\*|.*not (?:intended )?for publication", re.IGNORECASE)
_PRIVATE = re.compile(r"not (?:intended )?for publication", re.IGNORECASE)


def decode_wire(data: bytes) -> tuple[str, str]:
    """(text, charset): UTF-8 (or its ASCII subset) when it decodes, else Windows-1252 (the
    Latin-1 superset agencies' systems emit), else ISO-8859-1, which decodes any byte."""
    try:
        return data.decode("utf-8"), "us-ascii" if data.isascii() else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "iso-8859-1"


def _newlines(text: str) -> str:
    """Every line break as ``\\n``: wire systems send CR LF, and some a bare CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _frame(text: str) -> tuple[str, str, str]:
    """(header before STX, text between STX and ETX, end mark after ETX)."""
    start = text.find(SOH)
    body = text.find(STX, start + 1)
    if start < 0 or body < 0:
        raise InputError("no SOH ... STX framing: not ANPA-1312 or IPTC 7901 wire text")
    end = text.find(ETX, body + 1)
    stop = len(text) if end < 0 else end
    trailer = "" if end < 0 else text[end + 1 :].split("\n", 1)[0]
    return text[start:body], text[body + 1 : stop], trailer.strip(" <\x7f\x04")


_SAYS_SOMETHING = re.compile(r"[^\x00-\x20\x7f]")
"""A character other than white space, a control character or DEL (a wire's padding)."""
WIRE_COVERAGE = dict.fromkeys(("header", "text", "end mark"), "mapped")
"""The parts of a transmission -> ``mapped`` (see :mod:`wirekit.coverage`): the header (SOH to
STX), the text (STX to ETX), the end mark (the line after ETX). Anything else that says
something, before SOH or after the end mark, is named in a warning."""


def _parts(text: str) -> Iterator[str]:
    """The parts of a framed transmission that say something (see :data:`WIRE_COVERAGE`)."""
    header, body, trailer = _frame(text)
    start, end = text.find(SOH), text.find(ETX, text.find(STX) + 1)
    if _SAYS_SOMETHING.search(text[:start]):
        yield "text before SOH"
    yield from (name for name, part in (("header", header), ("text", body)) if part)
    if trailer:
        yield "end mark"
    after = "" if end < 0 else text[end + 1 :].partition("\n")[2]
    if _SAYS_SOMETHING.search(after):
        yield "text after the end mark"


class _WireImporter(TextImporter):
    """What the two wire formats share: framing, charset, building the article."""

    standard: ClassVar[str]
    coverage_table = WIRE_COVERAGE
    warns_unmapped = True  # parse names any text outside the framing it reads

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """The parts of the transmission that say something (see :func:`_parts`)."""
        return _parts(_newlines(decode_wire(data)[0]))

    @classmethod
    def sniff(cls, head: bytes) -> float:
        raise NotImplementedError

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            yield Record(self.parse(stream.read(), source))
        except InputError as exc:
            raise exc.located(source) from None

    def parse(self, data: bytes, source: str) -> JSON:
        decoded, charset = decode_wire(data)
        if charset not in ("utf-8", "us-ascii"):
            warn(source, f"charset: not UTF-8; read as {charset}")
        text = _newlines(decoded)
        header, body, trailer = _frame(text)
        outside = coverage.not_carried(_parts(text), WIRE_COVERAGE)
        if outside:
            warn(source, f"not carried (outside the framing read): {outside}")
        wire: JSON = {"format": self.standard, "charset": charset}
        fields: JSON = {}
        heading, blocks = self.split(header, strip_controls(body, source), fields, wire)
        if trailer:
            wire["endMark"] = trailer
            self.end_mark(trailer, fields)
        partner, internal = self.notebook(blocks, wire)
        for part, audience in ((partner, "partner"), (internal, "internal")):
            if part:
                add_note(fields, "\n".join(part), audience)
        if not blocks:
            text = fields.get("headline") or heading
            if not text:
                raise InputError("no text between STX and ETX")
            warn(source, "no body text; the body repeats the headline")
            blocks = [{"type": "paragraph", "text": text}]
        dateline = None
        if blocks[0]["type"] == "paragraph":
            dateline, lede = self.dateline(blocks[0]["text"])
            if dateline is not None and lede.strip():
                blocks[0] = {"type": "paragraph", "text": lede}
            elif dateline is not None:
                dateline = None
        fields.setdefault("headline", derive_headline(blocks[0]["text"]))
        slug = slugify(fields.get("slug") or fields["headline"]) or "wire"
        fields["slug"] = slug
        fields["id"] = self.config.base_iri + slugify(
            " ".join(str(wire.get(k, "")) for k in ("service", "sequence")) + " " + slug
        )
        fields["extensions"] = {"wire": wire}
        return self._article(fields, dateline, blocks, source)

    def split(self, header: str, body: str, fields: JSON, wire: JSON) -> tuple[str, list[JSON]]:
        """Read the header and the heading into ``fields`` and ``wire``; return the headline
        and the blocks of the text."""
        raise NotImplementedError

    def end_mark(self, trailer: str, fields: JSON) -> None:
        raise NotImplementedError

    @staticmethod
    def dateline(paragraph: str) -> tuple[dict[str, Any] | None, str]:
        """``BUENOS AIRES, Argentina (AP) —`` as the plain-text importer reads it, or the
        European ``Berlin (dpa) -`` with the place in ordinary case."""
        found, rest = split_dateline(paragraph)
        if found is not None:
            return found, rest
        match = _WIRE_DATELINE.match(paragraph)
        if match is None:
            return None, paragraph
        place = one_line(match.group(1)).rstrip(",")
        text = one_line(paragraph[: match.end()])
        return {
            "text": text,
            "place": {"name": place},
            "agency": one_line(match.group(2)),
        }, paragraph[match.end() :]

    @staticmethod
    def notebook(blocks: list[JSON], wire: JSON) -> tuple[list[str], list[str]]:
        """Take the sign-off and the part for editors off the end of the text: (what is for
        partners' editors, what is not for publication at all: staff contacts, phone numbers)."""
        if blocks and _SIGN_OFF.fullmatch(blocks[-1]["text"]):
            wire["signOff"] = blocks.pop()["text"]
        start = next(
            (i for i, b in enumerate(blocks) if i > 0 and _NOTEBOOK.match(b["text"])), len(blocks)
        )
        notes = [b["text"] for b in blocks[start:]]
        del blocks[start:]
        private = next((i for i, n in enumerate(notes) if _PRIVATE.search(n)), len(notes))
        return notes[:private], notes[private:]

    @staticmethod
    def byline(lines: list[str], fields: JSON) -> None:
        """``By Jane Doe and John Roe`` -> two authors; ``By Jane Doe, The Daily`` -> one,
        whose affiliation after the comma is her role."""
        printed, _, affiliation = re.sub(r"^By\s+", "", lines[0], flags=re.I).partition(", ")
        authors = []
        for name in (one_line(n) for n in re.split(r"\s+(?:and|und|&)\s+", printed)):
            if name:
                author = {"name": name}
                if one_line(affiliation):
                    author["role"] = one_line(affiliation)
                authors.append(author)
        if authors:
            fields["authors"] = authors
        line = printed_byline(one_line(lines[0]), authors)
        if line:
            fields["byline"] = line  # as printed: ``By Jane Doe and John Roe``


class ANPAImporter(_WireImporter):
    """ANPA-1312 wire text, as AP and the US wires transmit it."""

    name = "anpa"
    aliases = ("anpa-1312", "anpa1312")
    description = "ANPA-1312 wire text (AP and the US wires): framing, header, take, dateline"
    media_types = ("text/x-anpa-1312",)
    """Unregistered (the format predates media types): an ``x-`` name, for ``--from``."""
    file_extensions = (".tst", ".anpa", ".txt")
    standard = "ANPA-1312"

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """1.0 for ANPA's signature: SYN SYN SOH, or SOH and a letter and four digits."""
        if head.startswith(b"\x16\x16\x01"):
            return 1.0
        return 0.9 if re.match(rb"\x01[A-Za-z][0-9]{4}\x1f", head) else 0.0

    def split(self, header: str, body: str, fields: JSON, wire: JSON) -> tuple[str, list[JSON]]:
        self.header(header, fields, wire)
        return self.text(body, fields, wire)

    @staticmethod
    def header(header: str, fields: JSON, wire: JSON) -> None:
        """The two header lines: selector and sequence; priority, category, keyword, take."""
        lines = header.split("\n")
        first = _ANPA_HEAD.match(lines[0])
        if first:
            wire.update(service=first.group(1), sequence=first.group(2))
            if first.group(3).strip(" -"):
                wire["formatId"] = first.group(3).strip()
        second = _ANPA_SLUG.match(lines[1]) if len(lines) > 1 else None
        if second:
            priority, category, keyword, take, _, _, words = second.groups()
            wire.update(priority=priority, category=category, keyword=keyword)
            if take:
                wire["take"] = one_line(take)
            wire["wordCount"] = int(words)
            fields["slug"] = keyword
            if priority.lower() in ANPA_PRIORITY:
                fields["urgency"] = ANPA_PRIORITY[priority.lower()]

    def text(self, body: str, fields: JSON, wire: JSON) -> tuple[str, list[JSON]]:
        """The ``^`` heading lines, the ``By`` line and the text's blocks."""
        heading: list[str] = []
        notes: list[str] = []
        blocks: list[JSON] = []
        current: list[str] = []
        role_next = False

        def flush() -> None:
            if current:
                blocks.append({"type": "paragraph", "text": " ".join(current)})
                current.clear()

        for raw in body.replace("< ^", "<\n^").split("\n"):
            line = raw.rstrip()
            text = line.lstrip("^").rstrip("<=").strip().replace(" _ ", " — ")
            if line.startswith("^") and line.endswith("="):
                flush()
                if _BY.match(text) and "authors" not in fields:
                    self.byline([text], fields)
                    role_next = "authors" in fields  # ``By , Staff`` names nobody
                elif role_next and not text.isupper():
                    for author in fields["authors"]:
                        author["role"] = text
                    role_next = False
                elif text:
                    blocks.append({"type": "heading", "text": text})
                    role_next = False
                continue
            role_next = False
            if line.startswith("^") and line.endswith("<") and not blocks and not current:
                if re.fullmatch(r"(?:[A-Z]{2}-|\*)[^<]*,\s*[0-9]*|\*[0-9]+", text):
                    wire.setdefault("keywordLine", text)
                elif re.match(r"(Eds:|AP Photo|AP Video|AP Graphic|EDITOR'S NOTE)", text):
                    notes.append(text)
                elif text:
                    heading.append(text)
                continue
            if raw.startswith(("\t", "   ", "^")) or not text:
                flush()
            if text:
                current.append(text)
        flush()
        if heading:
            fields["headline"] = heading[0]
        if len(heading) > 1:
            fields["summary"] = "\n".join(heading[1:])
        if notes:
            add_note(fields, "\n".join(notes), "partner")
        return (heading[0] if heading else ""), blocks

    def end_mark(self, trailer: str, fields: JSON) -> None:
        found = _ANPA_END.search(trailer)
        if found:
            agency, _, month, day, year, hour, minute = found.groups()
            fields["datePublished"] = f"20{year}-{month}-{day}T{hour}:{minute}:00Z"
            fields["sourceAgency"] = {"name": agency}


class IPTC7901Importer(_WireImporter):
    """IPTC 7901 wire text, as dpa and the European agencies transmit it."""

    name = "iptc7901"
    aliases = ("iptc-7901", "7901")
    description = "IPTC 7901 wire text (dpa and European agencies): framing, keywords, end mark"
    media_types = ("text/x-iptc-7901",)
    file_extensions = (".txt", ".7901")
    standard = "IPTC 7901"

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """0.9 for SOH, a service and sequence, a priority digit and a category."""
        return 0.9 if re.match(rb"\x01[A-Za-z]*[0-9]+ [0-9] [A-Za-z]{1,3} [0-9]+", head) else 0.0

    def split(self, header: str, body: str, fields: JSON, wire: JSON) -> tuple[str, list[JSON]]:
        lines = header.split("\n")
        found = _IPTC_HEAD.match(lines[0])
        if found:
            service, sequence, priority, category, words, rest = found.groups()
            wire.update(service=service, sequence=sequence, priority=priority, category=category)
            wire["wordCount"] = int(words)
            if rest.strip():
                wire["options"] = one_line(rest)
            if priority != "0":
                fields["urgency"] = int(priority)
        keywords = [k for line in lines[1:] for k in line.strip().split("/") if k.strip()]
        if keywords:
            fields["keywords"] = list(dict.fromkeys(one_line(k) for k in keywords))
            fields["slug"] = "-".join(keywords)
        text_lines = body.split("\n")
        heading: list[str] = []
        for index, raw in enumerate(text_lines):
            line = raw.strip()
            if line.endswith("="):
                heading.append(line[:-1].strip())
                text_lines = text_lines[index + 1 :]
                break
            if line:
                heading.append(line)
        else:
            text_lines, heading = body.split("\n"), []
        by = [line for line in heading if _BY.match(line)]
        marks = [line for line in heading if _MARK.fullmatch(line) and line not in by]
        titles = [line for line in heading if line not in by and line not in marks]
        if by:
            self.byline(by[:1], fields)
        if marks:
            wire["marks"] = marks
            signals = {s for m in marks for k, s in _SIGNALS.items() if k in m.upper()}
            if signals:
                fields["signals"] = sorted(signals)
        if titles:
            fields["headline"] = one_line(" ".join(titles))
        paragraphs = re.split(r"\n[ \t]*\n", "\n".join(text_lines))
        return fields.get("headline", ""), [
            {"type": "paragraph", "text": text} for p in paragraphs if (text := one_line(p))
        ]

    def end_mark(self, trailer: str, fields: JSON) -> None:
        found = _IPTC_END.search(trailer)
        month = _MONTHS.get(found.group(4).lower()) if found else None
        if found and month:
            day, hour, minute, _, year = found.groups()
            fields["datePublished"] = f"20{year}-{month:02d}-{day}T{hour}:{minute}:00Z"
