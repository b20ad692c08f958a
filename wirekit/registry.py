"""Importers and exporters by name, alias, media type or file extension, found via entry points.

The built-in formats register in wirekit's own ``pyproject.toml`` exactly as a third-party package
would, under the groups ``wirekit.importers`` and ``wirekit.exporters``. Entry points are scanned
once per process and a class is imported only when something asks for it; built-ins win a name
clash, plugins are searched after them.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import EntryPoint, entry_points
from pathlib import PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast, overload

from wirekit.errors import UnknownFormat, UsageError
from wirekit.plugin import Exporter, ExporterExtension, Importer

if TYPE_CHECKING:
    from wirekit.model import Article

Kind = Literal["importer", "exporter"]
GROUPS: dict[Kind, str] = {"importer": "wirekit.importers", "exporter": "wirekit.exporters"}
BUILTIN_DISTRIBUTION = "wirekit"

P = TypeVar("P", type[Importer], type[Exporter])


def _is_builtin(entry: EntryPoint) -> bool:
    """Whether wirekit itself registers ``entry``. Asked once per entry point a process (see
    :func:`_builtin_names`): an entry point's distribution name parses package metadata each
    time, which once cost 70% of importing the agency corpus."""
    return entry.dist is not None and entry.dist.name == BUILTIN_DISTRIBUTION


@functools.cache
def _entry_points(kind: Kind) -> dict[str, EntryPoint]:
    """name -> entry point, built-ins first; a plugin may not shadow a built-in name."""
    found = sorted(entry_points(group=GROUPS[kind]), key=lambda ep: (not _is_builtin(ep), ep.name))
    table: dict[str, EntryPoint] = {}
    for ep in found:
        table.setdefault(ep.name.lower(), ep)
    return table


@functools.cache
def _builtin_names(kind: Kind) -> frozenset[str]:
    """The names of the classes wirekit itself registers."""
    return frozenset(name for name, entry in _entry_points(kind).items() if _is_builtin(entry))


EXTENSIONS = "wirekit.exporter_extensions"


@functools.cache
def extensions() -> tuple[ExporterExtension, ...]:
    """Every installed exporter extension, one instance each, in name order: scanned once per
    process, so an exporter asks for them per article at no cost."""
    found = sorted(entry_points(group=EXTENSIONS), key=lambda ep: ep.name)
    loaded = []
    for entry in found:
        cls = entry.load()
        if not (isinstance(cls, type) and issubclass(cls, ExporterExtension)):
            raise UsageError(f"the exporter extension {entry.name!r} is not an ExporterExtension")
        loaded.append(cls())
    return tuple(loaded)


R = TypeVar("R")
NO_EXTENSIONS: Mapping[str, Any] = MappingProxyType({})
"""What extensions are given for an article without extension data (one, read-only)."""


def contributions(
    article: Article, point: Callable[[ExporterExtension, Mapping[str, Any]], R]
) -> Iterator[tuple[ExporterExtension, R]]:
    """Each installed exporter extension (in name order) with what it gives at one output
    ``point`` (``lambda extension, data: extension.feed_entry(data)``) for the article. The
    article's ``extensions`` reach every extension read-only: one extension, or one format,
    must not change what the next one is given."""
    found = extensions()
    if not found:
        return
    data = MappingProxyType(article.extensions) if article.extensions else NO_EXTENSIONS
    for extension in found:
        yield extension, point(extension, data)


def names(kind: Kind) -> list[str]:
    """The registered names, built-ins first. Imports nothing."""
    return list(_entry_points(kind))


@overload
def load(kind: Literal["importer"], name: str) -> type[Importer]: ...
@overload
def load(kind: Literal["exporter"], name: str) -> type[Exporter]: ...
def load(kind: Kind, name: str) -> type[Importer] | type[Exporter]:
    """The class registered under exactly ``name``."""
    return _load(kind, name)


@functools.cache
def _load(kind: Kind, name: str) -> type[Importer] | type[Exporter]:
    entry = _entry_points(kind).get(name)
    if entry is None:
        raise UnknownFormat(_unknown(kind, name))
    cls = entry.load()
    base = Importer if kind == "importer" else Exporter
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise UsageError(f"the {kind} plugin {name!r} ({entry.value}) is not a {base.__name__}")
    return cls


def classes(kind: Kind) -> Iterator[type[Importer] | type[Exporter]]:
    """Every registered class, loading each on first use."""
    return (_load(kind, name) for name in names(kind))


def importer_classes() -> Iterator[type[Importer]]:
    """Every importer class (what ``wirekit formats`` lists)."""
    return (load("importer", name) for name in names("importer"))


def exporter_classes() -> Iterator[type[Exporter]]:
    """Every exporter class."""
    return (load("exporter", name) for name in names("exporter"))


Keys = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""What a class is found by, lower-cased: (name and aliases, media types, file extensions)."""


def keys_of(cls: type[Importer] | type[Exporter]) -> Keys:
    """The lookup keys a class declares."""
    media = (cls.media_type,) if issubclass(cls, Exporter) else cls.media_types
    suffixes = (cls.file_extension,) if issubclass(cls, Exporter) else cls.file_extensions
    return (
        tuple(k.lower() for k in cls.lookup_keys()),
        tuple(m.lower() for m in media),
        tuple(e.lower() for e in suffixes),
    )


def builtin_keys() -> dict[str, dict[str, Keys]]:
    """The built-in classes' lookup keys, from the classes (what ``wirekit._builtins`` caches)."""
    return {
        kind: {
            name: keys_of(_load(kind, name))
            for name in _entry_points(kind)
            if name in _builtin_names(kind)
        }
        for kind in ("importer", "exporter")
    }


def _keys(kind: Kind, name: str) -> Keys:
    """A registered class's lookup keys: a built-in's from the generated table, so that looking
    up an alias, a media type or a misspelt name imports no format module but the one found
    (Pygments keeps such a table); a plugin's from its class."""
    from wirekit._builtins import KEYS

    if name in _builtin_names(kind) and name in KEYS[kind]:
        return KEYS[kind][name]
    return keys_of(_load(kind, name))


def _unknown(kind: Kind, key: str) -> str:
    candidates = [k for name in names(kind) for k in _keys(kind, name)[0]]
    close = difflib.get_close_matches(key.lower(), candidates, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(names(kind))}"
    return f"unknown {kind} format {key!r}{hint}"


def _find(kind: Kind, key: str) -> type[Importer] | type[Exporter]:
    wanted = key.lower()
    if wanted in _entry_points(kind):
        return _load(kind, wanted)
    for name in names(kind):
        aliases, media, _ = _keys(kind, name)
        if wanted in aliases or wanted in media:
            return _load(kind, name)
    raise UnknownFormat(_unknown(kind, key))


def exporter(key: str) -> type[Exporter]:
    """The exporter for a name, alias or media type (``ninjs``, ``application/ld+json``)."""
    return cast("type[Exporter]", _find("exporter", key))


def importer(key: str) -> type[Importer]:
    """The importer for a name, alias or media type."""
    return cast("type[Importer]", _find("importer", key))


def by_extension(kind: Kind, path: str | PurePath) -> list[type[Importer] | type[Exporter]]:
    """The classes claiming a file's extension; a class named (or aliased) after it comes
    first (``.json`` -> ``json`` before ``ninjs``, ``.txt`` -> ``text`` before wire text)."""
    suffix = PurePath(path).suffix.lower()
    if not suffix:
        return []
    matches = [_load(kind, name) for name in names(kind) if suffix in _keys(kind, name)[2]]
    return sorted(matches, key=lambda cls: suffix[1:] not in cls.lookup_keys())


def importer_extensions() -> frozenset[str]:
    """Every extension an importer claims: the files ``publish`` takes from a folder, plugins'
    included. Imports every importer module."""
    return frozenset(e.lower() for cls in importer_classes() for e in cls.file_extensions)


def exporter_for_path(path: str | PurePath) -> type[Exporter]:
    """Guess the exporter from an output file name; refuse to guess between equals."""
    matches = cast("list[type[Exporter]]", by_extension("exporter", path))
    if not matches:
        suffix = PurePath(path).suffix or "files without an extension"
        raise UnknownFormat(f"no exporter writes {suffix}; say which format with --to")
    if len(matches) > 1 and matches[0].name != PurePath(path).suffix.lower()[1:]:
        options = ", ".join(cls.name for cls in matches)
        raise UsageError(f"{PurePath(path).suffix} could be {options}; say which with --to")
    return matches[0]


def importer_for(head: bytes, path: str | PurePath | None) -> type[Importer]:
    """Recognise an input: by its extension when only one importer claims it, else by content.

    Every candidate (the importers claiming the extension, or all of them for stdin and unknown
    extensions) scores the first bytes with :meth:`~wirekit.plugin.Importer.sniff`; the highest
    score wins, and a tie goes to the candidate registered first: built-ins before plugins,
    then by name. When no candidate scores above 0, a file goes to the claimant with the highest
    :attr:`~wirekit.plugin.Importer.fallback` (the importer named after its extension, else the
    first, among equals), and stdin is refused.
    """
    claimed = cast("list[type[Importer]]", by_extension("importer", path) if path else [])
    if len(claimed) == 1:
        return claimed[0]
    order = {name: rank for rank, name in enumerate(names("importer"))}
    candidates = sorted(claimed or importer_classes(), key=lambda cls: order.get(cls.name, 0))
    best: type[Importer] | None = None
    top = 0.0
    for cls in candidates:
        score = float(cls.sniff(head))
        if score > top:  # only a higher score displaces: a tie keeps the earlier candidate
            best, top = cls, score
    if best is not None:
        return best
    if claimed:
        return max(claimed, key=lambda cls: cls.fallback)  # max keeps the first of equals
    where = f"{path}: " if path else ""
    raise UnknownFormat(f"{where}cannot tell the input format; say it with --from")


def write_builtins(path: str) -> None:
    """Write the generated table of the built-ins' lookup keys (``python -m wirekit.registry``)."""
    import pprint

    header = (
        '"""The built-in formats\' lookup keys, generated from their classes by\n'
        "``python -m wirekit.registry``: do not edit. tests/test_registry.py fails when it\n"
        'differs from the classes, which stay the one source of these facts."""\n\n'
        "from __future__ import annotations\n\n"
        "Keys = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]\n"
        "KEYS: dict[str, dict[str, Keys]] = (\n"
    )
    table = pprint.pformat(builtin_keys(), width=96, sort_dicts=False)
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"{header}{table}\n)\n")


if __name__ == "__main__":
    write_builtins(str(PurePath(__file__).with_name("_builtins.py")))
