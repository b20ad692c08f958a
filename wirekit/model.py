"""The canonical Article and its parts, as immutable typed values.

The JSON Schema in ``schemas/article.schema.json`` is the contract; these classes are its typed
mirror for Python code, and a test fails if the two drift apart. Python names are the schema's
camelCase names in snake_case (``datePublished`` -> ``date_published``), so no table maps one to
the other. Arrays in the schema are never empty (``minItems: 1``), which lets an absent array be
an empty tuple here and still gives ``Article.from_dict(d).to_dict() == d`` for every valid ``d``.

Nothing here validates or does I/O: :mod:`wirekit.schema` validates at the boundary, once.
"""

from __future__ import annotations

import collections.abc
import copy
import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar, Union

JSON = dict[str, Any]
T = TypeVar("T", bound="Node")


def json_name(attr: str) -> str:
    """The schema's name for a Python attribute: ``date_published`` -> ``datePublished``."""
    head, *rest = attr.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class Node:
    """Base of every model class: generic, cached conversion from and to canonical JSON."""

    __slots__ = ()

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Build from a canonical (already validated) dict."""
        return _build(cls, data)

    def to_dict(self) -> JSON:
        """The canonical dict, keys in schema order, absent values left out."""
        out: JSON = {}
        for attr, key, encode in _plan(type(self)).encoders:
            value = getattr(self, attr)
            if value is not None and value != ():
                out[key] = encode(value)
        return out


@dataclass(frozen=True, slots=True)
class _Plan:
    decoders: dict[str, tuple[str, Callable[[Any], Any]]]
    encoders: tuple[tuple[str, str, Callable[[Any], Any]], ...]


def _build(cls: type[T], data: Mapping[str, Any]) -> T:
    decoders = _plan(cls).decoders
    kwargs = {}
    for key, value in data.items():
        try:
            attr, decode = decoders[key]
        except KeyError:
            raise ValueError(f"{cls.__name__} has no field {key!r}") from None
        if attr:
            kwargs[attr] = decode(value)
    return cls(**kwargs)


def _identity(value: Any) -> Any:
    return value


def _converters(hint: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(decode, encode) for one field's type hint; plain JSON values pass through untouched."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _converters(inner[0])
        if all(isinstance(a, type) and issubclass(a, Block) for a in inner):
            return Block.from_dict, Block.to_dict
        return _identity, _identity
    if origin is tuple:
        decode_item, encode_item = _converters(args[0])
        if decode_item is _identity:
            return tuple, list
        return (
            lambda items: tuple(decode_item(item) for item in items),
            lambda items: [encode_item(item) for item in items],
        )
    if isinstance(hint, type) and issubclass(hint, Node):
        return hint.from_dict, hint.to_dict
    if hint is int:
        return int, _identity  # JSON Schema counts 3.0 as an integer; exporters want 3
    if origin is collections.abc.Mapping:
        return copy.deepcopy, copy.deepcopy  # free-form data: copied, so the Article stays fixed
    return _identity, _identity


_PLANS: dict[type[Node], _Plan] = {}


def _plan(cls: type[Node]) -> _Plan:
    """The cached conversion plan of a class: built on first use, then a dictionary look-up."""
    try:
        return _PLANS[cls]
    except KeyError:
        plan = _PLANS[cls] = _make_plan(cls)
        return plan


def _make_plan(cls: type[Node]) -> _Plan:
    hints = typing.get_type_hints(cls)
    decoders: dict[str, tuple[str, Callable[[Any], Any]]] = {}
    encoders = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        decode, encode = _converters(hints[f.name])
        key = json_name(f.name)
        decoders[key] = (f.name, decode)
        encoders.append((f.name, key, encode))
    if issubclass(cls, Block):
        decoders["type"] = ("", _identity)  # the discriminator: the class itself says it
    return _Plan(decoders, tuple(encoders))


# --- body blocks ---------------------------------------------------------------------------


class Block(Node):
    """One block of the body. ``kind`` is the value of the block's ``type`` key."""

    __slots__ = ()
    kind: ClassVar[str]
    registry: ClassVar[dict[str, type[Block]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            Block.registry[cls.kind] = cls

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Build a block; called on ``Block`` itself, the ``type`` key picks the class."""
        target = Block.registry[data["type"]] if cls is Block else cls
        return typing.cast(T, _build(target, data))

    def to_dict(self) -> JSON:
        return {"type": self.kind, **super().to_dict()}

    @property
    def text_content(self) -> str:
        """The block's words as one string, for word counts, summaries and plain-text output."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph(Block):
    """A paragraph of running text."""

    kind: ClassVar[str] = "paragraph"
    text: str

    @property
    def text_content(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading(Block):
    """A crosshead; ``level`` 2 to 6 below the headline (absent means 2)."""

    kind: ClassVar[str] = "heading"
    level: int | None = None
    text: str

    @property
    def text_content(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockQuote(Block):
    """A quotation set off from the running text."""

    kind: ClassVar[str] = "blockquote"
    text: str
    attribution: str | None = None

    @property
    def text_content(self) -> str:
        return self.text if self.attribution is None else f"{self.text}\n{self.attribution}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ListBlock(Block):
    """A bulleted (or, with ``ordered``, numbered) list."""

    kind: ClassVar[str] = "list"
    ordered: bool | None = None
    items: tuple[str, ...]

    @property
    def text_content(self) -> str:
        return "\n".join(self.items)


@dataclass(frozen=True, slots=True, kw_only=True)
class TableCell(Node):
    """One cell of a table; its text may be empty, so that the table keeps its shape."""

    text: str
    header: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TableRow(Node):
    """One row of a table."""

    cells: tuple[TableCell, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Table(Block):
    """A table: rows of cells (some of them header cells) and an optional caption."""

    kind: ClassVar[str] = "table"
    caption: str | None = None
    rows: tuple[TableRow, ...]

    @property
    def text_content(self) -> str:
        """The caption, then one line a row, its cells separated by tabs: the table as text
        rows, for outputs that cannot carry a table (JSON-LD ``articleBody``, plain text)."""
        lines = ["\t".join(cell.text for cell in row.cells) for row in self.rows]
        return "\n".join(lines if self.caption is None else [self.caption, *lines])


AnyBlock = Paragraph | Heading | BlockQuote | ListBlock | Table


# --- parties, places, concepts -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Concept(Node):
    """A code from a controlled vocabulary: ``scheme:code`` as in a NewsML-G2 QCode."""

    scheme: str
    code: str
    label: str | None = None
    uri: str | None = None

    @property
    def qcode(self) -> str:
        return f"{self.scheme}:{self.code}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Node):
    """A person credited on the article: by name, or by the provider's system id alone (a
    creator's login is an id, never a name, so that no exporter prints ``winkhaus.uta``)."""

    name: str | None = None
    id: str | None = None
    role: str | None = None
    url: str | None = None
    wikidata: str | None = None
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Logo(Node):
    """An organisation's logo image."""

    url: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization(Node):
    """A publisher, provider, agency or copyright holder."""

    name: str
    url: str | None = None
    logo: Logo | None = None
    wikidata: str | None = None
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Geo(Node):
    """WGS 84 coordinates in decimal degrees."""

    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Place(Node):
    """A place as a dateline names it."""

    name: str
    country: str | None = None
    country_code: str | None = None
    geo: Geo | None = None
    geonames: str | None = None
    wikidata: str | None = None


EntityType = Literal["person", "organization", "place"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity(Node):
    """A person, organisation or place the article is about or mentions."""

    type: EntityType
    name: str
    wikidata: str | None = None
    geonames: str | None = None
    same_as: tuple[str, ...] = ()
    country_code: str | None = None
    geo: Geo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Dateline(Node):
    """The printed dateline (``TEHRAN –``) and what it says."""

    text: str
    place: Place | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Correction(Node):
    """A published correction."""

    date: str | None = None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Rights(Node):
    """Copyright and licence."""

    copyright_holder: Organization | None = None
    copyright_notice: str | None = None
    copyright_year: int | None = None
    license: str | None = None
    usage_terms: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Image(Node):
    """An image attached to the article."""

    url: str
    caption: str | None = None
    alt_text: str | None = None
    credit: str | None = None
    width: int | None = None
    height: int | None = None
    media_type: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendition(Node):
    """One file of a picture, graphic, video or audio item, in one size or encoding."""

    href: str
    name: str | None = None
    media_type: str | None = None
    width: int | None = None
    height: int | None = None
    size_in_bytes: int | None = None
    duration: float | None = None


NoteAudience = Literal["public", "partner", "internal"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Note(Node):
    """A note about the article and who may read it: ``public`` notes go anywhere, ``partner``
    notes only into syndication outputs (NewsML-G2, ninjs), ``internal`` notes nowhere but the
    canonical JSON."""

    text: str
    audience: NoteAudience


@dataclass(frozen=True, slots=True, kw_only=True)
class Link(Node):
    """A link to a related article."""

    url: str
    title: str | None = None


ItemType = Literal["text", "picture", "graphic", "video", "audio"]
MEDIA_TYPES: frozenset[str] = frozenset({"picture", "graphic", "video", "audio"})
"""Item types whose content is their renditions: they need no body."""
PubStatus = Literal["usable", "withheld", "canceled"]
Signal = Literal["update", "correction", "kill"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Article(Node):
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
    extensions: Mapping[str, Any] | None = field(default=None, hash=False)

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
        return ", ".join(person.name for person in self.authors if person.name) or None

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
