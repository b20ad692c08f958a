"""The official specifications wirekit checks its input and output against: pinned, fetched, found.

No package on PyPI ships the NewsML-G2 XSD or the ninjs JSON Schemas, and their licences keep
them out of this repository, so wirekit pins each file it uses (official URL, sha256, the path it
takes in a specifications folder) and ``wirekit specs fetch`` installs them on demand: from the
publishers, or from a mirror laid out like the installed folder. Every command and every test
finds them through one lookup, :func:`folder`:

1. ``--specs DIR`` on the command line;
2. else ``$WIREKIT_SPECS``;
3. else the config's ``specs`` (this repository's ``wirekit.toml`` says ``.cache/specs``);
4. else the user's cache folder (``platformdirs``), e.g. ``~/.cache/wirekit/specs``.

A file is installed atomically and only after its sha256 matched the pin, so a folder never holds
half a file or one that differs from what wirekit was tested with. Fetching is the only thing in
wirekit that uses the network, and only when asked.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wirekit.config import Config
from wirekit.errors import NotChecked, UsageError, WirekitError

ENVIRONMENT = "WIREKIT_SPECS"
"""The variable that names the specifications folder instead of the user's cache."""
FETCH_HINT = 'run "wirekit specs fetch"'
_CHUNK = 64 * 1024
_TIMEOUT = 30.0

IPTC = "CC BY 4.0 (IPTC)"
IPTC_NITF = "IPTC Specifications License Agreement (keep its notices)"
W3C = "W3C Software and Document License"
VALIDATION = ("check", "validate")


@dataclass(frozen=True, slots=True)
class Spec:
    """One pinned file: what it is, where its publisher serves it, and what it must hash to."""

    name: str
    """What ``wirekit specs fetch NAME`` calls it."""
    title: str
    version: str
    url: str
    """The publisher's official address for exactly these bytes."""
    sha256: str
    path: str
    """Its place inside a specifications folder and inside a mirror (``/``-separated)."""
    used_by: tuple[str, ...]
    """The commands (and tests) that read it."""
    purpose: str
    """What it lets wirekit do, for the line that says it is missing."""
    licence: str
    derived: bool = False
    """True when no publisher serves these bytes (a derived table): only a mirror has them."""

    def file(self, root: Path) -> Path:
        """Where it is (or would be) installed in the specifications folder ``root``."""
        return root.joinpath(*self.path.split("/"))

    def mirror_paths(self) -> tuple[str, ...]:
        """Where to look in a mirror: a vocabulary may also sit beside the specifications folder,
        as ``vocab/`` does beside ``specs/`` in the layout this project's mirror uses."""
        if self.path.startswith("vocab/"):
            return (self.path, f"../{self.path}")
        return (self.path,)


_G2 = "https://www.iptc.org/std/NewsML-G2/2.35/specification/"
_NITF = "https://raw.githubusercontent.com/iptc/newsml-g2/main/examples/"
_NINJS = "https://www.iptc.org/std/ninjs/"
_NINJS_USE = ("check", "validate", "convert --from ninjs (validate only)")

SPECS: tuple[Spec, ...] = (
    Spec(
        "newsml-g2",
        "NewsML-G2 All-Power XML Schema",
        "2.35",
        _G2 + "NewsML-G2_2.35-spec-All-Power.xsd",
        "06ef1c5076a32f2568ac8955994029890afac0268f795e3c26642ded52cf0181",
        "newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd",
        VALIDATION,
        "check NewsML-G2 against its XSD",
        IPTC,
    ),
    Spec(
        "xml-xsd",
        "W3C xml.xsd (xml:lang, imported by the NewsML-G2 XSD)",
        "2009/01",
        _G2 + "xml.xsd",
        "61960fb3131e38022caad5360e2f33a3382578ab3c80cd58bd74320ede61b20c",
        "newsml-g2/xml.xsd",
        VALIDATION,
        "check NewsML-G2 against its XSD",
        W3C,
    ),
    Spec(
        "nitf",
        "NITF XML Schema",
        "3.6",
        _NITF + "nitf-3-6.xsd",
        "78f4931e19ae7c1b8dc55156675991b90d85b147fe7e683a2f11928071470cf4",
        "newsml-g2/optional-nitf/nitf-3-6.xsd",
        VALIDATION,
        "check NITF against its XSD",
        IPTC_NITF,
    ),
    Spec(
        "nitf-ruby",
        "NITF ruby include (imported by the NITF XSD)",
        "3.6",
        _NITF + "nitf-3-6-ruby-include.xsd",
        "cd24abf32fbf76d8ea139a96222884f7a51f12fd2d06c7c806d7343beed0b30b",
        "newsml-g2/optional-nitf/nitf-3-6-ruby-include.xsd",
        VALIDATION,
        "check NITF against its XSD",
        IPTC_NITF,
    ),
    Spec(
        "nitf-xml-xsd",
        "W3C xml.xsd (imported by the NITF XSD)",
        "2009/01",
        _G2 + "xml.xsd",
        "61960fb3131e38022caad5360e2f33a3382578ab3c80cd58bd74320ede61b20c",
        "newsml-g2/optional-nitf/xml.xsd",
        VALIDATION,
        "check NITF against its XSD",
        W3C,
    ),
    Spec(
        "ninjs-3.1",
        "ninjs JSON Schema",
        "3.1",
        _NINJS + "ninjs-schema_3.1.json",
        "404f578a299bf34e76e98f2de26ad9989882ebd7abf3a4d3cf3aa689b70a8744",
        "ninjs/ninjs-schema_3.1.json",
        _NINJS_USE,
        "check ninjs 3.x against its JSON Schema",
        IPTC,
    ),
    Spec(
        "ninjs-3.0",
        "ninjs JSON Schema",
        "3.0",
        _NINJS + "ninjs-schema_3.0.json",
        "9c1158d5165e92dfdfb9c4dac64a78e59241dea1c8a32b57fbc7bb6795a0eb07",
        "ninjs/ninjs-schema_3.0.json",
        _NINJS_USE,
        "check ninjs 3.0 against its JSON Schema",
        IPTC,
    ),
    Spec(
        "ninjs-2.2",
        "ninjs JSON Schema",
        "2.2",
        _NINJS + "ninjs-schema_2.2.json",
        "88c84fa87382c5a7a314fd44ab1041921c7cbac47ab9550bc4964b1fa30897e2",
        "ninjs/ninjs-schema_2.2.json",
        _NINJS_USE,
        "check ninjs 2.x against its JSON Schema",
        IPTC,
    ),
    Spec(
        "geojson",
        "GeoJSON JSON Schema (referenced by the ninjs schemas)",
        "draft 2020-12",
        "https://geojson.org/schema/GeoJSON.json",
        "e52886cce1429941ab3725a055a61d6bf8b6f5429837ff7dbca32f809e3500c2",
        "ninjs/GeoJSON-schema.json",
        _NINJS_USE,
        "check ninjs places against the GeoJSON schema",
        "MIT (GeoJSON schema project)",
    ),
    Spec(
        "schemaorg-context",
        "schema.org JSON-LD context",
        "30.0",
        "https://raw.githubusercontent.com/schemaorg/schemaorg/main/data/releases/30.0/"
        "schemaorgcontext.jsonld",
        "d8167890b056bc7c71eb39b30cbb4816490d5e671371ba50a5a633d1bc36961a",
        "schemaorg/schemaorgcontext.jsonld",
        ("python -m wirekit.formats.schemaorg.context (regenerates the shipped trimmed context)",),
        "compare the shipped JSON-LD context with the official one",
        "CC BY-SA 3.0 (schema.org)",
    ),
    Spec(
        "iptc-catalog",
        "IPTC G2 catalog (scheme alias -> URI)",
        "41",
        "https://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_41.xml",
        "bd35fd40dbdc565e9e1590faca981cb7d8ac28c34eb9a90b78ff8060d282ce71",
        "vocab/catalog.IPTC-G2-Standards_41.xml",
        ("tests (the NewsML-G2 writer's QCodes)",),
        "check NewsML-G2 QCodes against the IPTC catalog",
        IPTC,
    ),
    Spec(
        "genre",
        "IPTC genre NewsCodes (JSON, en-GB)",
        "2024-02-13",
        "https://cv.iptc.org/newscodes/genre/?lang=en-GB&format=json",
        "8595892d4c17dcb04adf2c4c581e2fa629bf52fb1c3565119db0c1f5f086b64f",
        "vocab/genre-cptall-en-GB.json",
        ("tests (the seeds' genres)",),
        "check genres against the IPTC genre NewsCodes",
        IPTC,
    ),
    Spec(
        "mediatopic",
        "IPTC Media Topics (JSON table derived from IPTC's spreadsheet)",
        "2025-03-31",
        "https://www.iptc.org/std/NewsCodes/IPTC-MediaTopic-NewsCodes.xlsx",
        "335dfcdbf994bfa99ee7e467af716c4e7798abab006c790b57c661da7f1aaf9e",
        "vocab/mediatopic-en.json",
        ("tests (the seeds' subjects)",),
        "check subjects against the IPTC Media Topics",
        IPTC,
        derived=True,
    ),
)
BY_NAME = {spec.name: spec for spec in SPECS}


class MissingSpec(NotChecked):
    """A specification a check needs is not installed; the message says how to get it.
    ``check`` reports the file as not checked; ``validate`` reports it as an error."""


class FetchError(WirekitError):
    """A specification could not be fetched (HTTP error, no network, hash mismatch, no room)."""


def user_cache() -> Path:
    """The user's cache folder for wirekit's specifications (``platformdirs``)."""
    import platformdirs

    return platformdirs.user_cache_path("wirekit", appauthor=False) / "specs"


def folder(config: Config | None = None, given: Path | None = None) -> Path:
    """The specifications folder in force: ``given`` (``--specs``), else ``$WIREKIT_SPECS``, else
    the config's ``specs``, else the user's cache. ``fetch`` installs where this points, so what
    it installs is what ``check`` and ``validate`` read."""
    if given is not None:
        return given
    named = os.environ.get(ENVIRONMENT)
    if named:
        return Path(named)
    if config is not None and config.specs is not None:
        return config.specs
    return user_cache()


def configured(config: Config, given: Path | None = None) -> Config:
    """``config`` with its ``specs`` set by the lookup, for the commands that check."""
    return config.override(specs=folder(config, given))


def spec(name: str) -> Spec:
    """The pinned specification called ``name``; an unknown name is a usage error."""
    try:
        return BY_NAME[name]
    except KeyError:
        close = difflib.get_close_matches(name, BY_NAME, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else " (see wirekit specs list)"
        raise UsageError(f"unknown specification {name!r}{hint}") from None


def require(name: str, root: Path) -> Path:
    """The installed file of ``name`` in ``root``, or :class:`MissingSpec` saying how to get it.

    Only existence is checked here (this runs once per checked file); ``fetch`` installs nothing
    that failed its hash, and ``list`` re-hashes."""
    wanted = spec(name)
    path = wanted.file(root)
    if not path.is_file():
        raise MissingSpec(f"{FETCH_HINT} to {wanted.purpose} (no {wanted.path} in {root})")
    return path


def _sha256_of(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def state(wanted: Spec, root: Path) -> str:
    """``installed``, ``missing``, or ``changed`` (there, but not the pinned bytes)."""
    found = _sha256_of(wanted.file(root))
    if found is None:
        return "missing"
    return "installed" if found == wanted.sha256 else "changed"


# --- fetching ---------------------------------------------------------------------------------

Progress = Callable[[Spec, int, int | None], None]
"""Called as bytes arrive: the spec, bytes so far, the total if the server said it."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What ``fetch`` did with one specification."""

    spec: Spec
    path: Path
    action: str
    """``installed`` or ``already installed``."""
    source: str


def fetch(
    names: Iterable[str] = (),
    *,
    mirror: str | None = None,
    root: Path | None = None,
    progress: Progress | None = None,
) -> Iterator[Fetched]:
    """Install the named specifications (all when none are named) into ``root`` (default: where
    :func:`folder` points without a config), from ``mirror`` (a folder or a base URL laid out
    like an installed folder) or else from each publisher's official URL.

    Each file is streamed into a temporary file beside its target while it is hashed, and renamed
    into place only when the sha256 matches its pin: an interrupted download, an HTTP error or a
    hash mismatch raises :class:`FetchError` and leaves nothing behind. A file that is already
    there with the pinned hash is not fetched again. Files already installed by this call stay
    installed when a later one fails: each is whole and verified.
    """
    chosen = [spec(name) for name in dict.fromkeys(names)] or list(SPECS)
    target = root or folder()
    for wanted in chosen:
        path = wanted.file(target)
        if state(wanted, target) == "installed":
            yield Fetched(wanted, path, "already installed", str(path))
            continue
        source = _download(wanted, path, mirror, progress)
        yield Fetched(wanted, path, "installed", source)


def _sources(wanted: Spec, mirror: str | None) -> list[str]:
    """The places to try, in order."""
    import urllib.parse

    if mirror is None:
        return [wanted.url]
    if "://" in mirror:
        base = mirror if mirror.endswith("/") else mirror + "/"
        found = [urllib.parse.urljoin(base, p) for p in wanted.mirror_paths()]
    else:
        found = [str(Path(mirror).joinpath(*p.split("/"))) for p in wanted.mirror_paths()]
    return list(dict.fromkeys(found))


def _download(wanted: Spec, path: Path, mirror: str | None, progress: Progress | None) -> str:
    """Fetch one file from the first source that has it; return that source.

    The standard library's urllib, not httpx: one GET per file with a timeout is all this needs,
    and fetching must work before any optional dependency is installed (``make`` runs it first).
    """
    import urllib.error
    from http.client import HTTPException

    if mirror is None and wanted.derived:
        raise FetchError(
            f"{wanted.name}: derived from {wanted.url}, so only a mirror has these bytes; "
            "use --from DIR|URL"
        )
    sources = _sources(wanted, mirror)
    for number, source in enumerate(sources, 1):
        try:
            stream, total = _open(source)
        except FileNotFoundError:
            if number < len(sources):
                continue
            raise FetchError(f"{wanted.name}: not in the mirror ({source})") from None
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and number < len(sources):
                continue
            raise FetchError(f"{wanted.name}: HTTP {exc.code} {exc.reason} from {source}") from None
        except (urllib.error.URLError, OSError, HTTPException, ValueError) as exc:
            raise FetchError(f"{wanted.name}: cannot reach {source}: {_reason(exc)}") from None
        with stream:
            _install(wanted, path, stream, total, source, progress)
        return source
    raise AssertionError("unreachable: the last source either returns or raises")


def _open(source: str) -> tuple[BinaryIO, int | None]:
    """A byte stream of the source and its length, if known. Only ``http(s)://`` and folders:
    ``file:`` and other schemes urllib knows are refused, so a mirror URL cannot read the disk
    by surprise."""
    import urllib.request

    if "://" not in source:
        local = Path(source)
        return local.open("rb"), local.stat().st_size
    if not source.startswith(("http://", "https://")):
        raise ValueError("only http:// and https:// mirrors are supported")
    request = urllib.request.Request(source, headers={"User-Agent": "wirekit-specs-fetch"})
    response = urllib.request.urlopen(request, timeout=_TIMEOUT)
    length = response.headers.get("Content-Length")
    return response, int(length) if length and length.isascii() and length.isdigit() else None


def _install(
    wanted: Spec,
    path: Path,
    stream: BinaryIO,
    total: int | None,
    source: str,
    progress: Progress | None,
) -> None:
    """Stream into a temporary file beside ``path``; rename it into place only if it hashes to
    the pin (:func:`wirekit.files.atomic_stream` removes it on any error)."""
    from http.client import HTTPException

    from wirekit.files import atomic_stream

    digest = hashlib.sha256()
    done = 0
    try:
        with atomic_stream(path) as out:
            while True:
                try:
                    chunk = stream.read(_CHUNK)
                except (HTTPException, OSError) as exc:
                    raise FetchError(
                        f"{wanted.name}: the download from {source} broke off after {done} bytes"
                        f"{f' of {total}' if total else ''}: {_reason(exc)}"
                    ) from None
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(wanted, done, total)
            if total is not None and done != total:
                raise FetchError(
                    f"{wanted.name}: the download from {source} broke off after {done} of "
                    f"{total} bytes"
                )
            if digest.hexdigest() != wanted.sha256:
                raise FetchError(
                    f"{wanted.name}: sha256 mismatch for {source}: got {digest.hexdigest()}, "
                    f"pinned {wanted.sha256}; nothing installed"
                )
    except OSError as exc:
        raise FetchError(f"{wanted.name}: cannot write {path}: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    """The human part of a network or file error, on one line."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, BaseException):
        return _reason(reason)
    text = getattr(exc, "strerror", None) or str(reason or exc) or type(exc).__name__
    return " ".join(str(text).split())
