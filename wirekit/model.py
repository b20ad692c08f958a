"""The canonical Article and its parts, as immutable typed values.

The JSON Schema in ``schemas/article.schema.json`` is the contract; these classes are its typed
mirror for Python code, and a test fails if the two drift apart. Python names are the schema's
camelCase names in snake_case (``datePublished`` -> ``date_published``), so no table maps one to
the other. Arrays in the schema are never empty (``minItems: 1``), which lets an absent array be
an empty tuple here and still gives ``Article.from_dict(d).to_dict() == d`` for every valid ``d``.

The classes are frozen ``msgspec`` Structs: ``from_dict`` builds a whole article, its ~25 nested
objects included, in one call into C (about six times faster than frozen dataclasses, whose
``__init__`` sets every field through ``object.__setattr__``), which is most of what importing an
archive costs once JSON is parsed and validated. Copies with changes are
``msgspec.structs.replace(article, headline=...)``; the fields are ``msgspec.structs.fields``.

Nothing here validates or does I/O: :mod:`wirekit.schema` validates at the boundary, once.
"""

from __future__ import annotations

import collections.abc
import copy
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, TypeVar, Union

import msgspec

JSON = dict[str, Any]
T = TypeVar("T", bound="Node")


def json_name(attr: str) -> str:
    """The schema's name for a Python attribute: ``date_published`` -> ``datePublished``."""
    head, *rest = attr.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class Node(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, rename=json_name):
    """Base of every model class: conversion from and to canonical JSON.

    Every subclass repeats ``frozen=True, kw_only=True``: msgspec applies ``kw_only`` to the
    fields a class itself declares (so that required fields may follow optional ones in schema
    order), and type checkers want ``frozen`` restated."""

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Build from a canonical (already validated) dict; a key the class does not have, or
        a value of the wrong type, is a :class:`ValueError` (``msgspec.ValidationError``).

        ``strict=False`` only so that an integral float becomes an ``int``: JSON Schema counts
        ``3.0`` as an integer, and exporters want ``3``. Validated input holds nothing else
        that lax conversion would change."""
        return msgspec.convert(data, cls, strict=False)

    def to_dict(self) -> JSON:
        """The canonical dict, keys in schema order, absent values left out."""
        out: JSON = {}
        for attr, key, encode in _encoders(type(self)):
            value = getattr(self, attr)
            if value is not None and value != ():
                out[key] = encode(value)
        return out


def _identity(value: Any) -> Any:
    return value


def _encoder(hint: Any) -> Callable[[Any], Any]:
    """How one field's value becomes JSON; plain JSON values pass through untouched."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _encoder(inner[0])
        if all(isinstance(a, type) and issubclass(a, Block) for a in inner):
            return Block.to_dict
        return _identity
    if origin is tuple:
        encode_item = _encoder(args[0])
        if encode_item is _identity:
            return list
        return lambda items: [encode_item(item) for item in items]
    if isinstance(hint, type) and issubclass(hint, Node):
        return hint.to_dict
    if origin is collections.abc.Mapping:
        return copy.deepcopy  # free-form data: copied, so the Article stays fixed
    return _identity


Encoders = tuple[tuple[str, str, Callable[[Any], Any]], ...]
_ENCODERS: dict[type[Node], Encoders] = {}


def _encoders(cls: type[Node]) -> Encoders:
    """(attribute, JSON key, encoder) for each field of a class, in schema order: built on
    first use from the class's type hints and msgspec's own field names, then cached."""
    try:
        return _ENCODERS[cls]
    except KeyError:
        hints = typing.get_type_hints(cls)
        found = _ENCODERS[cls] = tuple(
            (attr, key, _encoder(hints[attr]))
            for attr, key in zip(cls.__struct_fields__, cls.__struct_encode_fields__, strict=True)
        )
        return found


# --- body blocks ---------------------------------------------------------------------------


class Block(Node, frozen=True, tag_field="type"):
    """One block of the body. ``kind`` is the value of the block's ``type`` key: each block
    class declares it as its msgspec ``tag``, which picks the class when a body is read."""

    kind: ClassVar[str]

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Build a block; called on ``Block`` itself, the ``type`` key picks the class."""
        target: Any = AnyBlock if cls is Block else cls
        return typing.cast(T, msgspec.convert(data, target, strict=False))

    def to_dict(self) -> JSON:
        return {"type": self.kind, **super().to_dict()}

    @property
    def text_content(self) -> str:
        """The block's words as one string, for word counts, summaries and plain-text output."""
        raise NotImplementedError


class Paragraph(Block, tag="paragraph", frozen=True, kw_only=True):
    """A paragraph of running text."""

    text: str

    @property
    def text_content(self) -> str:
        return self.text


class Heading(Block, tag="heading", frozen=True, kw_only=True):
    """A crosshead; ``level`` 2 to 6 below the headline (absent means 2)."""

    level: int | None = None
    text: str

    @property
    def text_content(self) -> str:
        return self.text


class BlockQuote(Block, tag="blockquote", frozen=True, kw_only=True):
    """A quotation set off from the running text."""

    text: str
    attribution: str | None = None

    @property
    def text_content(self) -> str:
        return self.text if self.attribution is None else f"{self.text}\n{self.attribution}"


class ListBlock(Block, tag="list", frozen=True, kw_only=True):
    """A bulleted (or, with ``ordered``, numbered) list."""

    ordered: bool | None = None
    items: tuple[str, ...]

    @property
    def text_content(self) -> str:
        return "\n".join(self.items)


class TableCell(Node, frozen=True, kw_only=True):
    """One cell of a table; its text may be empty, so that the table keeps its shape."""

    text: str
    header: bool | None = None


class TableRow(Node, frozen=True, kw_only=True):
    """One row of a table."""

    cells: tuple[TableCell, ...]


class Table(Block, tag="table", frozen=True, kw_only=True):
    """A table: rows of cells (some of them header cells) and an optional caption. It says
    something (a caption, or a cell with text), so every body has text for its rows: the
    schema refuses a table of empty cells, and importers drop one (:func:`wirekit.plugin.
    table_block`)."""

    caption: str | None = None
    rows: tuple[TableRow, ...]

    @property
    def text_content(self) -> str:
        """The caption, then one line a row, its cells separated by tabs: the table as text
        rows, for outputs that cannot carry a table (JSON-LD ``articleBody``, plain text)."""
        lines = ["\t".join(cell.text for cell in row.cells) for row in self.rows]
        return "\n".join(lines if self.caption is None else [self.caption, *lines])


AnyBlock = Paragraph | Heading | BlockQuote | ListBlock | Table
for _block in typing.get_args(AnyBlock):
    _block.kind = _block.__struct_config__.tag


# --- parties, places, concepts -------------------------------------------------------------


class Concept(Node, frozen=True, kw_only=True):
    """A code from a controlled vocabulary: ``scheme:code`` as in a NewsML-G2 QCode."""

    scheme: str
    code: str
    label: str | None = None
    uri: str | None = None

    @property
    def qcode(self) -> str:
        return f"{self.scheme}:{self.code}"


class Person(Node, frozen=True, kw_only=True):
    """A person credited on the article: by name, or by the provider's system id alone (a
    creator's login is an id, never a name, so that no exporter prints ``winkhaus.uta``)."""

    name: str | None = None
    id: str | None = None
    role: str | None = None
    url: str | None = None
    wikidata: str | None = None
    same_as: tuple[str, ...] = ()


class Logo(Node, frozen=True, kw_only=True):
    """An organisation's logo image."""

    url: str
    width: int | None = None
    height: int | None = None


class Organization(Node, frozen=True, kw_only=True):
    """A publisher, provider, agency or copyright holder."""

    name: str
    url: str | None = None
    logo: Logo | None = None
    wikidata: str | None = None
    same_as: tuple[str, ...] = ()


class Geo(Node, frozen=True, kw_only=True):
    """WGS 84 coordinates in decimal degrees."""

    latitude: int | float  # a JSON number stays as written: 3 is not rewritten as 3.0
    longitude: int | float


class Place(Node, frozen=True, kw_only=True):
    """A place as a dateline names it."""

    name: str
    country: str | None = None
    country_code: str | None = None
    geo: Geo | None = None
    geonames: str | None = None
    wikidata: str | None = None


EntityType = Literal["person", "organization", "place"]


class Entity(Node, frozen=True, kw_only=True):
    """A person, organisation or place the article is about or mentions."""

    type: EntityType
    name: str
    wikidata: str | None = None
    geonames: str | None = None
    same_as: tuple[str, ...] = ()
    country_code: str | None = None
    geo: Geo | None = None


class Dateline(Node, frozen=True, kw_only=True):
    """The printed dateline (``TEHRAN –``) and what it says."""

    text: str
    place: Place | None = None
    date: str | None = None


class Correction(Node, frozen=True, kw_only=True):
    """A published correction."""

    date: str | None = None
    text: str


class Rights(Node, frozen=True, kw_only=True):
    """Copyright and licence."""

    copyright_holder: Organization | None = None
    copyright_notice: str | None = None
    copyright_year: int | None = None
    license: str | None = None
    usage_terms: str | None = None


class Image(Node, frozen=True, kw_only=True):
    """An image attached to the article."""

    url: str
    caption: str | None = None
    alt_text: str | None = None
    credit: str | None = None
    width: int | None = None
    height: int | None = None
    media_type: str | None = None


class Rendition(Node, frozen=True, kw_only=True):
    """One file of a picture, graphic, video or audio item, in one size or encoding."""

    href: str
    name: str | None = None
    media_type: str | None = None
    width: int | None = None
    height: int | None = None
    size_in_bytes: int | None = None
    duration: int | float | None = None


NoteAudience = Literal["public", "partner", "internal"]


class Note(Node, frozen=True, kw_only=True):
    """A note about the article and who may read it: ``public`` notes go anywhere, ``partner``
    notes only into syndication outputs (NewsML-G2, ninjs), ``internal`` notes nowhere but the
    canonical JSON."""

    text: str
    audience: NoteAudience


class Link(Node, frozen=True, kw_only=True):
    """A link to a related article."""

    url: str
    title: str | None = None


ItemType = Literal["text", "picture", "graphic", "video", "audio"]
MEDIA_TYPES: frozenset[str] = frozenset({"picture", "graphic", "video", "audio"})
"""Item types whose content is their renditions: they need no body."""
PubStatus = Literal["usable", "withheld", "canceled"]
Signal = Literal["update", "correction", "kill"]


def names_byline(names: collections.abc.Iterable[str]) -> str:
    """Authors' names as one byline, the way :attr:`Article.by` prints them when no byline was
    printed: what importers and exporters compare a printed byline with (see
    :func:`wirekit.plugin.printed_byline`)."""
    return ", ".join(names)


class Article(Node, frozen=True, kw_only=True):
    """One news article: the single shape every importer produces and every exporter reads."""

    id: str
    version: int
    type: ItemType | None = None
    slug: str | None = None
    url: str | None = None
    headline: str
    subheadline: str | None = None
    summary: str | None = None
    caption: str | None = None
    language: str
    body: tuple[AnyBlock, ...] = ()
    date_created: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    embargoed_until: str | None = None
    expires: str | None = None
    pub_status: PubStatus | None = None
    urgency: int | None = None
    genres: tuple[Concept, ...] = ()
    section: str | None = None
    signals: tuple[Signal, ...] = ()
    notes: tuple[Note, ...] = ()
    corrections: tuple[Correction, ...] = ()
    dateline: Dateline | None = None
    byline: str | None = None
    authors: tuple[Person, ...] = ()
    contributors: tuple[Person, ...] = ()
    publisher: Organization | None = None
    provider: Organization | None = None
    source_agency: Organization | None = None
    credit_line: str | None = None
    rights: Rights | None = None
    is_accessible_for_free: bool | None = None
    subjects: tuple[Concept, ...] = ()
    keywords: tuple[str, ...] = ()
    about: tuple[Entity, ...] = ()
    mentions: tuple[Entity, ...] = ()
    images: tuple[Image, ...] = ()
    renditions: tuple[Rendition, ...] = ()
    related: tuple[Link, ...] = ()
    extensions: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        """Keep a copy of ``extensions`` (free-form data), so the Article stays fixed whatever
        the caller does to the mapping it passed."""
        if self.extensions is not None:
            msgspec.structs.force_setattr(self, "extensions", copy.deepcopy(self.extensions))

    def __hash__(self) -> int:
        """Every field but ``extensions``, which may hold unhashable JSON (equality still
        compares it)."""
        return hash(tuple(getattr(self, f) for f in self.__struct_fields__ if f != "extensions"))

    @property
    def status(self) -> PubStatus:
        """The publication status, with the standard default (usable) filled in."""
        return self.pub_status or "usable"

    def notes_for(self, *audiences: NoteAudience) -> tuple[str, ...]:
        """The texts of the notes an output may carry: a public output asks for ``"public"``,
        a syndication output for ``"public", "partner"``; internal notes stay inside."""
        return tuple(note.text for note in self.notes if note.audience in audiences)

    @property
    def by(self) -> str | None:
        """The byline to print: the byline as the source printed it, else the named authors."""
        if self.byline is not None:
            return self.byline
        return names_byline(person.name for person in self.authors if person.name) or None

    @property
    def text(self) -> str:
        """The body as plain text, blocks separated by blank lines."""
        return "\n\n".join(block.text_content for block in self.body)

    @property
    def word_count(self) -> int:
        """Words in the body, counted as white-space separated runs."""
        return sum(len(block.text_content.split()) for block in self.body)

    @property
    def newest_date(self) -> str | None:
        """The latest of the article's dates, compared as instants (a date alone counts as its
        midnight UTC); on a tie modified wins over published, published over created."""
        from wirekit.dates import latest

        return latest(self.date_modified, self.date_published, self.date_created)
