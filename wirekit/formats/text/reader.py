"""Plain-text wire copy: optional ``key value`` header lines, a dateline, paragraphs.

The format, as agencies and small desks actually send it::

    date 2025-07-30 TEHRAN – Iranian President Masoud Pezeshkian and ...

    The leaders described their partnership as ...

* Header lines come first, one ``key value`` per line (see :data:`HEADERS`). ``date`` may be
  followed on the same line by the start of the body, as in the seed article.
* The first paragraph opens with a dateline: an upper-case place, an optional ``, Country``, an
  optional ``(Agency)``, then an en dash, em dash or hyphen.
* Paragraphs are separated by blank lines; wrapped lines inside a paragraph are joined. A paragraph
  of ``- `` lines is a list (``1. `` lines a numbered one), ``## `` opens a heading and ``> `` lines
  are a block quote whose last line may be an attribution (``> — Name``).

What plain text cannot say (publisher, licence, base IRI, language) comes from the config.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Any, BinaryIO, ClassVar

from wirekit.config import Config
from wirekit.errors import InputError, InputWarning
from wirekit.plugin import Importer, Record, article_id, slug_from, slugify, version_from

HEADLINE_LIMIT = 110

_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_DATE_TIME = _DATE + r"T[0-9:.]+(?:Z|[+-][0-9]{2}:[0-9]{2})"
_DATE_LINE = re.compile(rf"date\s+({_DATE_TIME}|{_DATE})(?:\s+(.*))?\Z", re.DOTALL)
_HEADER = re.compile(r"([a-z]+)\s+(.*)\Z")
# C0 (but tab and newline), DEL, C1, and the two non-characters XML forbids
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_DATELINE = re.compile(r"(.{1,100}?)\s+([–—-]{1,2})\s+(?=\S)", re.DOTALL)
_AGENCY = re.compile(r"(.*?)\s*\(([^()]+)\)\Z")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(?=\s+[\"“‘(\[]?[^\s\"“‘(\[a-z])")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]\.)+[A-Za-z]?\.?\Z|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sgt|Jr|Sr|vs|Prof|Gov|Sen|Rep)\.\Z"
)
_NUMBER_SIGN = re.compile(r"\bNo\.\Z")  # "No. 10" is an abbreviation, "said No." ends a sentence
_LOOK_BACK = 24
"""Characters before a full stop that decide whether it ends an abbreviation: enough for any in
the list, and a bound, so a hostile lede of a million "A. " costs linear time, not quadratic."""
_ORDERED_ITEM = re.compile(r"[0-9]{1,3}[.)]\s+")


def _comma_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _concept(value: str) -> dict[str, str]:
    """``medtop:20000565 diplomacy`` -> {scheme, code, label}."""
    qcode, _, label = value.partition(" ")
    scheme, _, code = qcode.partition(":")
    concept = {"scheme": scheme, "code": code}
    if label.strip():
        concept["label"] = label.strip()
    return concept


def _person(value: str) -> dict[str, str]:
    """``Jane Doe <https://example.org/jane>`` -> {name, url}."""
    match = re.fullmatch(r"(.*?)\s*<(https?://[^>\s]+)>", value)
    if match:
        return {"name": match.group(1), "url": match.group(2)}
    return {"name": value}


def _partner_note(text: str) -> dict[str, str]:
    """A ``note:`` header: for editors at receiving organisations, as a wire note is."""
    return {"text": text, "audience": "partner"}


def _integer(value: str) -> int | str:
    # a non-number is left for the schema to name; isdigit alone would let "²" through to int()
    return int(value) if value.isascii() and value.isdigit() else value


# header key -> (canonical field, parser, repeatable)
HEADERS: dict[str, tuple[str, Callable[[str], Any], bool]] = {
    "id": ("id", str, False),
    "version": ("version", _integer, False),
    "slug": ("slug", str, False),
    "url": ("url", str, False),
    "headline": ("headline", str, False),
    "subheadline": ("subheadline", str, False),
    "summary": ("summary", str, False),
    "language": ("language", str, False),
    "date": ("datePublished", str, False),
    "created": ("dateCreated", str, False),
    "modified": ("dateModified", str, False),
    "embargoed": ("embargoedUntil", str, False),
    "expires": ("expires", str, False),
    "status": ("pubStatus", str, False),
    "urgency": ("urgency", _integer, False),
    "section": ("section", str, False),
    "genre": ("genres", _concept, True),
    "signal": ("signals", str, True),
    "note": ("notes", _partner_note, True),
    "author": ("authors", _person, True),
    "credit": ("creditLine", str, False),
    "subject": ("subjects", _concept, True),
    "keywords": ("keywords", _comma_list, False),
}


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, not fooled by ``U.S.`` or ``Dr.``."""
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() + 1 - _LOOK_BACK) : match.start() + 1]
        after = text[match.end() :].lstrip()[:1]
        if _ABBREVIATION.search(before) or (_NUMBER_SIGN.search(before) and after.isdigit()):
            continue
        return text[: match.end()]
    return text


def derive_headline(lede: str, limit: int = HEADLINE_LIMIT) -> str:
    """A headline from the lede's first sentence: cut at a word boundary, at most ``limit``
    characters, an ellipsis where words were dropped, no closing full stop."""
    sentence = " ".join(first_sentence(lede).split())
    if len(sentence) <= limit:
        if len(sentence) > 1 and sentence.endswith(".") and not sentence.endswith(".."):
            return sentence[:-1]
        return sentence
    cut = sentence[: limit - 1]
    if not sentence[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


def _is_place(text: str) -> bool:
    """A dateline place is written in capitals (scripts without case pass as they are)."""
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def split_dateline(paragraph: str) -> tuple[dict[str, Any] | None, str]:
    """(dateline, rest of the paragraph), or (None, paragraph) when it has no dateline."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    prefix, dash = match.group(1), match.group(2)
    agency = None
    found = _AGENCY.match(prefix)
    if found:
        prefix, agency = found.group(1), found.group(2).strip()
    place, _, country = (one_line(part) for part in prefix.partition(","))
    if not _is_place(place) or "," in country or (country and not country[:1].isupper()):
        return None, paragraph
    text = one_line(f"{match.group(1)} {dash}")
    dateline: dict[str, Any] = {"text": text, "place": {"name": place}}
    if country:
        dateline["place"]["country"] = country
    if agency:
        dateline["agency"] = one_line(agency)
    return dateline, paragraph[match.end() :]


def _block(lines: list[str]) -> dict[str, Any]:
    """One paragraph's lines -> one body block."""
    if all(re.match(r"[-*•]\s+", line) for line in lines):
        return {"type": "list", "items": [re.sub(r"^[-*•]\s+", "", line) for line in lines]}
    if all(_ORDERED_ITEM.match(line) for line in lines):
        items = [_ORDERED_ITEM.sub("", line, count=1) for line in lines]
        return {"type": "list", "ordered": True, "items": items}
    if len(lines) == 1 and (heading := re.match(r"(#{2,6})\s+(.+)", lines[0])):
        return {"type": "heading", "level": len(heading.group(1)), "text": one_line(heading[2])}
    quoted = [line[1:].strip() for line in lines if line.startswith(">")]
    if len(quoted) == len(lines) and any(quoted):
        quoted = [line for line in quoted if line]
        block: dict[str, Any] = {"type": "blockquote"}
        name = one_line(quoted[-1].lstrip("—–-"))  # a line of dashes alone names no one
        if len(quoted) > 1 and name and re.match(r"(—|--|–)\s*\S", quoted[-1]):
            quoted.pop()
            block["attribution"] = name
        block["text"] = " ".join(quoted)
        return block
    return {"type": "paragraph", "text": " ".join(lines)}


_EDITORIAL_LINE = re.compile(
    r"(?P<key>embargo[\w-]*|status)\W+(?:\d{4}-\d\d-\d\d|usable\b|withheld\b|canceled\b)",
    re.IGNORECASE,
)
"""A line that reads like an embargo or a status header line, however it is spelt, cased or
punctuated: a word starting ``embargo`` and a date, or ``status`` and a status."""


def _refuse_editorial_body(lines: list[str], first: int) -> None:
    """A line of the body's first paragraph (the header's zone: right after the header lines,
    or after a ``date`` line that starts the body) that reads like an embargo or a status is a
    header line gone wrong (``embargo 2099-…``, ``STATUS withheld``, a header after the
    ``date`` line): read as text, it would publish the story as if it had none, so the file is
    refused, naming the line. Other body text, whatever its first word, is read as written."""
    for index in range(first, len(lines)):
        line = lines[index].strip()
        if not line:
            return
        found = _EDITORIAL_LINE.match(line)
        if found:
            what = "a status" if found["key"].lower() == "status" else "an embargo"
            raise InputError(
                f"{line[:40]!r} reads like {what} but is not a header line: header lines come "
                "first, one lower-case `key value` each (`embargoed 2099-01-01T10:00:00Z`, "
                "`status withheld`), before the body and before a `date` line that starts it",
                place=f"line {index + 1}",
            )


def one_line(text: str) -> str:
    """White space folded to single spaces: single-line fields may hold no tab or newline."""
    return " ".join(text.split())


def _words(block: dict[str, Any]) -> str:
    """A block's text, for deriving a headline when the body opens with a list."""
    return block["text"] if "text" in block else " ".join(block["items"])


def decode(data: bytes) -> str:
    """UTF-8 with or without a BOM; anything else is an error at its byte offset and line."""
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start  # counted in the file, BOM included
        line = data.count(b"\n", 0, offset) + 1
        raise InputError(
            f"not UTF-8: byte 0x{data[offset]:02X} cannot start or continue a character",
            place=f"line {line}, byte {offset}",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_controls(text: str, source: str) -> str:
    """Remove control characters, warning once with where the first one was."""
    found = _CONTROL.search(text)
    if not found:
        return text
    count = len(_CONTROL.findall(text))
    line = text.count("\n", 0, found.start()) + 1
    warnings.warn(
        InputWarning(f"{source}: line {line}: removed {count} control character(s)"), stacklevel=3
    )
    return _CONTROL.sub("", text)


class TextImporter(Importer):
    """Plain-text wire copy (see the module documentation for the format)."""

    name = "text"
    aliases = ("txt", "wire")
    description = "plain-text wire copy: header lines, a dateline, paragraphs"
    media_types: ClassVar[tuple[str, ...]] = ("text/plain",)
    file_extensions: ClassVar[tuple[str, ...]] = (".txt", ".text")

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """Anything that is not JSON or markup, as a last resort: plain text has no marker."""
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return 0.1 if stripped and stripped[:1] not in (b"{", b"[", b"<") else 0.0

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            yield Record(self.parse(stream.read(), source))
        except InputError as exc:
            raise exc.located(source) from None

    coverage_table: ClassVar[dict[str, str]] = {
        **{f"header/{key}": "mapped" for key in HEADERS},
        "dateline": "mapped",
        "body": "mapped",
    }
    """Every part plain text has, mapped: a line that is no known header starts the body."""

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """``header/date``... for each header line, then the dateline and the body."""
        lines = _CONTROL.sub("", decode(data)).split("\n")
        fields, start, first_line = self._header(lines)
        fields_of = {field: key for key, (field, _, _) in HEADERS.items()}
        for field, value in fields.items():
            for _ in value if isinstance(value, list) else [value]:
                yield f"header/{fields_of[field]}"
        paragraphs = self._paragraphs(start, lines[first_line:])
        if paragraphs:
            if split_dateline(" ".join(paragraphs[0]))[0] is not None:
                yield "dateline"
            yield "body"

    def parse(self, data: bytes, source: str) -> dict[str, Any]:
        """One file's bytes -> one canonical article dict (not yet validated)."""
        text = strip_controls(decode(data), source)
        lines = text.split("\n")
        fields, body_start, first_line = self._header(lines)
        _refuse_editorial_body(lines, first_line)
        paragraphs = self._paragraphs(body_start, lines[first_line:])
        if not paragraphs:
            raise InputError("no body text: an article needs at least one paragraph")
        dateline, lede = split_dateline(" ".join(paragraphs[0]))
        if dateline is not None:
            paragraphs[0] = [lede]
        body = [_block(p) for p in paragraphs if p != [""]]
        return self._article(fields, dateline, body, source)

    @staticmethod
    def _header(lines: list[str]) -> tuple[dict[str, Any], str, int]:
        """(fields, text after a date on its line, index of the first body line)."""
        fields: dict[str, Any] = {}
        for index, raw in enumerate(lines):
            line = raw.strip()
            if not line:
                continue
            dated = _DATE_LINE.match(line)
            if dated and "datePublished" not in fields:
                fields["datePublished"] = dated.group(1)
                if dated.group(2):
                    return fields, dated.group(2), index + 1
                continue
            header = _HEADER.match(line)
            if not header or header.group(1) not in HEADERS or header.group(1) == "date":
                return fields, "", index
            field, parse, repeatable = HEADERS[header.group(1)]
            value = parse(one_line(header.group(2)))
            if repeatable:
                fields.setdefault(field, []).append(value)
            else:
                fields[field] = value
        return fields, "", len(lines)

    @staticmethod
    def _paragraphs(start: str, lines: list[str]) -> list[list[str]]:
        paragraphs: list[list[str]] = []
        current: list[str] = [start.strip()] if start.strip() else []
        for line in lines:
            if line.strip():
                current.append(line.strip())
            elif current:
                paragraphs.append(current)
                current = []
        if current:
            paragraphs.append(current)
        return paragraphs

    def _article(
        self,
        fields: dict[str, Any],
        dateline: dict[str, Any] | None,
        body: list[dict[str, Any]],
        source: str,
    ) -> dict[str, Any]:
        config: Config = self.config
        lede = next((b["text"] for b in body if b["type"] == "paragraph"), _words(body[0]))
        headline = fields.pop("headline", None) or derive_headline(lede)
        stem = PurePath(source).stem if source not in ("-", "") else ""
        given = fields.pop("slug", None)
        slug = (slug_from(given) if given else None) or slugify(stem) or slugify(headline)
        if not slug:
            slug = "article-" + hashlib.sha256(headline.encode()).hexdigest()[:12]
        identifier = fields.pop("id", None)
        version = fields.pop("version", None)
        article: dict[str, Any] = {
            "id": article_id(identifier, config, source) if identifier else config.base_iri + slug,
            "version": 1 if version is None else version_from(version, source),
            "slug": slug,
        }
        url = fields.pop("url", None) or config.article_url(slug)
        if url:
            article["url"] = url
        article["headline"] = headline
        article["language"] = fields.pop("language", config.language)
        article["body"] = body
        article.update(fields)
        if dateline is not None:
            agency = dateline.pop("agency", None)
            published = article.get("datePublished")
            if published:
                dateline["date"] = published[:10]
            article["dateline"] = dateline
            if agency:
                article["sourceAgency"] = {"name": agency}
        self._publisher_facts(article)
        return article

    def _publisher_facts(self, article: dict[str, Any]) -> None:
        """Fill in what the config knows about the publisher and the rights."""
        config = self.config
        if config.publisher:
            article["publisher"] = dict(config.publisher)
        if config.provider or config.publisher:
            article["provider"] = dict(config.provider or config.publisher or {})
        if config.rights:
            rights = dict(config.rights)
            published = article.get("datePublished")
            if (
                published
                and "copyrightYear" not in rights
                and published[:4].isascii()
                and published[:4].isdigit()
            ):
                rights["copyrightYear"] = int(published[:4])
            article["rights"] = rights
