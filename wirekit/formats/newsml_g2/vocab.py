"""NewsML-G2 facts the exporters and the importer share, so the two directions cannot disagree.

* The vocabulary wirekit needs beyond IPTC's catalog. Everything with an IPTC home uses it
  (``sig:update``, ``stat:canceled``, ``drol:summary``, ``cpnat:person``, ``loctyp:Country``...).
  What IPTC has no code for lives in three small schemes of wirekit's own, declared inline in
  every item that uses them, as NewsML-G2 asks: ``wirekit:`` for fixed terms (the subheadline's
  headline role, the kill signal, the correction's description role, the mention's ``why``, the
  extension properties), ``wirekit-role:`` for credited people's free-text roles and
  ``wirekit-section:`` for sections. Free text becomes a QCode by percent-encoding white space,
  ``%`` and the characters an IRI may not hold, so it maps to a real IRI and decodes exactly.
* Dates. Canonical dates are RFC 3339; XML Schema 1.0 is slightly narrower: it has no year 0000
  and allows offsets only within ±14:00. :func:`date_time` says how a value is written.
  ``versionCreated`` is required and must be a full date-time: :func:`version_created` is the
  one deterministic rule for it (below), and the importer inverts the same rule.
* The NewsML-G2 2.35 XSD, compiled once per process from the official specifications folder,
  with a resolver that serves the W3C ``xml.xsd`` from the local copy and refuses anything remote.

lxml is imported inside functions only.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from wirekit.errors import Problem, UsageError
from wirekit.xml import local_name

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XML = "http://www.w3.org/XML/1998/namespace"
NITF = "http://iptc.org/std/NITF/2006-10-18/"

STANDARD = "NewsML-G2"
STANDARD_VERSION = "2.35"
CONFORMANCE = "power"
ITEM_MEDIA_TYPE = "application/vnd.iptc.g2.newsitem+xml"
MESSAGE_MEDIA_TYPE = "application/vnd.iptc.g2.newsmessage+xml"

IPTC_CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_41.xml"
_IPTC_ALIASES = """
    a1312cat a1312prio a1312svc a1312vers acdc altidrole aoprop app aspfacet aspfacetvalue
    authoritystatus bcp47 catinat chprop cinat ciprol colin colsp conf cpnat cpprole cptdefrole
    cptnoterole crel ctech ctrol cusip cwarn dbpedia digsrctype dimensionunit drol dummy ecirol
    edconf ednoterole encd entityprop eocstat eorol eprol eregrol erol figi fisymtype freebase frmt
    gen genre geonames geonameshttps gics googletopicsv1 googletopicsv2 hashscope hashtype hatarget
    hopaction howextr howpr iabadproduct10 iabadproduct20 iabaudience10 iabcontent20 iabcontent21
    iabcontent22 iabcontent30 ikos imgregrole imgregtype impt irel irep isin iso3166-1a2
    iso3166-1a3 iso3166-2 iso4217a iso4217n isrol ivqu lbtyp loctyp loutorient lrol mb-artist
    mb-label mb-recording mb-release mb-releasegroup mb-work medtop medtype mic mtyp ncostat ninat
    nityp nmsig not nprod nprov nprt nrol oito parasport pgrmod plinat plus prio prodgenre prop
    prov pst1 rcalctype rel riaspect rightsprop riscope rnd role1 rscaleunit rtype scn secst sedol
    sev sig skos sov squ stat subj ticker tidm timeunit tone tpctyp trustindicator urgy
    useracttype valfmt vcdc videodef why wikidata wldreg
"""
IPTC_ALIASES = frozenset(_IPTC_ALIASES.split())
"""The scheme aliases of the IPTC G2 catalog v41: a ``catalogRef`` to it declares them all."""

# wirekit's own schemes: alias -> URI
TERMS = "wirekit"
ROLES = "wirekit-role"
SECTIONS = "wirekit-section"
RENDITIONS = "wirekit-rendition"
"""The scheme of rendition names that are not QCodes themselves (ninjs names: ``thumbnail``)."""
SCHEMES = {
    TERMS: "https://wirekit.dev/cv/terms/",
    ROLES: "https://wirekit.dev/cv/role/",
    SECTIONS: "https://wirekit.dev/cv/section/",
    RENDITIONS: "https://wirekit.dev/cv/rendition/",
}
SUBHEADLINE = "wirekit:subheadline"
"""``headline/@role`` of the subheadline (IPTC has no headline-role scheme)."""
KILL = "wirekit:kill"
"""``signal`` of a killed article; IPTC's own expression of a kill is ``stat:canceled``."""
CORRECTION = "wirekit:correction"
"""``description/@role`` of a published correction; ``@modified`` holds its date."""
PUBLIC_NOTE = "wirekit:publicNote"
"""The role of an ``edNote`` that may be printed; an ``edNote`` without it is for partners."""
MENTION = "wirekit:mention"
"""``subject/@why`` of an entity the article mentions (an entity it is about has no ``why``)."""
COUNTRY = "wirekit:country"
"""``related/@rel`` from a person or organisation to its country."""
PUBLISHER = "wirekit:publisher"
"""``infoSource/@role`` of the publisher."""
DATELINE_DATE = "wirekit:datelineDate"
COPYRIGHT_YEAR = "wirekit:copyrightYear"
FREE = "wirekit:isAccessibleForFree"
INFERRED = "why:inferred"
"""``@why`` of a value derived from others (a provider taken from the publisher, the
``stat:canceled`` a kill implies); the importer does not read it back as data."""
IANA = "http://www.iana.org/assignments/relation/"
CANONICAL_REL = IANA + "canonical"
ICON_REL = IANA + "icon"
LICENSE_REL = IANA + "license"

EPOCH = "1970-01-01T00:00:00Z"
"""``versionCreated`` of an article that has no date at all."""

_UNSAFE = re.compile(r"[\s%\"<>\\^`{|}]")


def term(alias: str, text: str) -> str:
    """Free text as a QCode of ``alias``: ``senior editor`` -> ``wirekit-role:senior%20editor``."""
    return f"{alias}:{_UNSAFE.sub(lambda m: quote(m.group(), safe=''), text)}"


SUMMARY_ROLES = (
    "drol:summary",  # IPTC
    "drol:teaser",  # dpa
    "afpdescRole:synthe",  # AFP: the synthesis
    "ANDescRole:abstract",  # ANSA and other users of the AN description roles
    "descRole:intro",  # Reuters video: the introduction
)
"""``description/@role`` QCodes read as the summary, in this order of preference. Add a
provider's role here (the first description with the earliest role wins)."""
CAPTION_ROLES = ("drol:caption", "descRole:caption", "descRole:videoCaption")
"""``description/@role`` QCodes read as a picture's or video's caption."""

_QCODE = re.compile(r"[A-Za-z_][\w.-]*:\S+")


def is_qcode(value: str) -> bool:
    """Whether a provider's value is already a QCode (``dpaeditor:winkhaus.uta``)."""
    return _QCODE.fullmatch(value) is not None


def term_text(qcode: str | None, alias: str) -> str | None:
    """The free text of a QCode made by :func:`term`, or ``None`` for another scheme's code."""
    prefix = alias + ":"
    if qcode is None or not qcode.startswith(prefix):
        return None
    return unquote(qcode[len(prefix) :])


# --- dates ----------------------------------------------------------------------------------

_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(?:Z|([+-])([0-9]{2}):([0-9]{2}))"
)
_MAX_OFFSET = 14 * 60


class Written(NamedTuple):
    """How a canonical date is written: ``value`` (``None``: it cannot be) and, when that is
    not the canonical value itself, ``why`` in words for the lossy-conversion warning."""

    value: str | None
    why: str | None = None


def date_time(value: str) -> Written:
    """A canonical RFC 3339 date-time as an ``xs:dateTime``: unchanged when XML Schema accepts
    it; an offset beyond ±14:00 moved to UTC (the same instant); year 0000 not at all."""
    offset = value[-6:]
    if (offset[-1:] == "Z" or (offset[:1] in ("+", "-") and offset[1:] <= "14:00")) and not (
        value.startswith("0000")
    ):
        # the common case, without the regular expression, and built as a plain tuple (the
        # NamedTuple's own constructor is Python code, and this runs for every date written)
        return tuple.__new__(Written, (value, None))
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return Written(None, f"{value!r} is not an RFC 3339 date-time")
    if match[1] == "0000":
        return Written(None, "XML Schema 1.0 has no year 0000")
    if match[8] is None:
        return Written(value)
    minutes = int(match[9]) * 60 + int(match[10])
    if minutes <= _MAX_OFFSET:
        return Written(value)
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    local = datetime(year, month, day, hour, minute, second)
    try:
        moment = local - timedelta(minutes=minutes if match[8] == "+" else -minutes)
    except OverflowError:
        return Written(None, f"the offset {match[8]}{match[9]}:{match[10]} leaves years 1-9999")
    utc = f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}{match[7] or ''}Z"
    return Written(utc, f"offset {match[8]}{match[9]}:{match[10]} is outside ±14:00; in UTC")


def date(value: str) -> Written:
    """A canonical full date as an ``xs:date`` (year 0000 cannot be written)."""
    if value.startswith("0000"):
        return Written(None, "XML Schema 1.0 has no year 0000")
    return tuple.__new__(Written, (value, None))  # as in date_time


def date_or_time(value: str) -> Written:
    """A canonical date or date-time, written as what it is."""
    return date(value) if "T" not in value else date_time(value)


def version_created(modified: str | None, published: str | None, created: str | None) -> str:
    """``versionCreated``, required and a full date-time, by one deterministic rule.

    It is the moment this version was made, so the article's own latest moment comes first, in
    the order of :attr:`wirekit.model.Article.newest_date`: ``dateModified``, else
    ``datePublished``, else ``dateCreated``. A date-only ``datePublished`` counts as 00:00 UTC
    that day (as everywhere in wirekit); a value XML Schema cannot hold is skipped; an article
    with no date at all gets the Unix epoch, a value no real item carries. The importer reads
    ``versionCreated`` back as ``dateModified`` only when it differs from what this rule gives
    without one, which is what makes the round trip exact.
    """
    for value in (modified, published, created):
        if value:
            written = date_time(value if "T" in value else value + "T00:00:00Z").value
            if written is not None:
                return written
    return EPOCH


def instant(value: str) -> datetime:
    """The moment a written ``xs:dateTime`` stands for, to find the newest of several."""
    return datetime.fromisoformat(value)


# --- the XSD ------------------------------------------------------------------------------

_W3C_XML_XSD = (
    "http://www.w3.org/2001/xml.xsd",
    "https://www.w3.org/2001/xml.xsd",
    "http://www.w3.org/2009/01/xml.xsd",
    "https://www.w3.org/2009/01/xml.xsd",
)


def xsd_path(specs: Path) -> Path:
    """The All-Power XSD in a specifications folder (found by :func:`wirekit.specs.require`, as
    is the ``xml.xsd`` it imports); a missing one says how to fetch it."""
    from wirekit.specs import require

    schema_file = require("newsml-g2", specs)
    require("xml-xsd", specs)
    return schema_file


@functools.cache
def compiled_xsd(path: str) -> Any:
    """An XSD compiled once per process, its xml.xsd served from beside it, nothing fetched."""
    from lxml import etree

    local_xml_xsd = Path(path).with_name("xml.xsd")

    class LocalOnly(etree.Resolver):  # type: ignore[misc]
        """Serves the W3C xml.xsd from the local copy; refuses every other remote document."""

        def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:
            if url is None:
                return None
            if url in _W3C_XML_XSD or (url.endswith("/xml.xsd") and "://" not in url):
                return self.resolve_filename(str(local_xml_xsd), context)
            if re.match(r"[a-z][a-z0-9+.-]*://", url) and not url.startswith("file:"):
                raise OSError(f"refusing to fetch {url} while loading an XSD")
            return None

    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(LocalOnly())
    try:
        return etree.XMLSchema(etree.parse(path, parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as exc:
        raise UsageError(f"cannot load the schema {path}: {exc}") from None


def xsd(specs: Path) -> Any:
    """The compiled 2.35 All-Power schema, once per process per specifications folder."""
    return compiled_xsd(str(xsd_path(specs).resolve()))


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)", re.DOTALL)
_PORT = re.compile(r":[0-9]+\Z")


def any_uri(value: str) -> str:
    """``value`` as libxml2's ``xs:anyURI`` check accepts it: what it refuses (a ``%`` that
    starts no escape, ``[`` and ``]`` outside an IP-literal host, a ``#`` after the first, a
    ``:`` in a host name that does not start a port, an ``@`` before the last in the authority)
    is percent-encoded; the rest, non-ASCII included, stays as written. An IRI that needs none
    of it comes back unchanged (and cheaply: this runs for every IRI an item holds)."""
    if "%" not in value and "[" not in value and "]" not in value and value.count("#") < 2:
        authority = value.partition("://")[2].partition("/")[0].partition("?")[0]
        if ":" not in authority and "@" not in authority:
            return value
    written = _BAD_PERCENT.sub("%25", value)
    head, hash_sign, fragment = written.partition("#")
    written = head + hash_sign + fragment.replace("#", "%23")
    found = _AUTHORITY.match(written)
    scheme, authority, rest = found.groups() if found else ("", "", written)
    user, at, host = authority.rpartition("@")
    user = user.replace("@", "%40")
    literal = re.match(r"\[[0-9A-Fa-f:.]+\]", host)
    kept = literal.group() if literal else ""
    host = host[len(kept) :]
    port = _PORT.search(host)
    name, port_text = (host[: port.start()], port.group()) if port else (host, "")
    name = name.replace(":", "%3A")
    brackets = str.maketrans({"[": "%5B", "]": "%5D"})
    path, hash_sign, fragment = rest.partition("#")  # a fragment may hold brackets
    user, name, path = user.translate(brackets), name.translate(brackets), path.translate(brackets)
    return f"{scheme}{user}{at}{kept}{name}{port_text}{path}{hash_sign}{fragment}"


def element_path(element: Any) -> str:
    """``/newsMessage/itemSet/newsItem[2]/itemMeta/edNote``: local names, with a position where
    siblings share the name, readable where libxml2's own path says ``/*/*[2]/*``."""
    steps = []
    while element is not None:
        name = local_name(element.tag)
        parent = element.getparent()
        same = [e for e in parent if e.tag == element.tag] if parent is not None else [element]
        steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
        element = parent
    return "/" + "/".join(reversed(steps))


def problems(root: Any, specs: Path) -> list[Problem]:
    """What the XSD says about a parsed NewsML-G2 document, one problem per complaint, each
    pointing at its line and element path."""
    return xsd_problems(root, xsd(specs))


def xsd_problems(root: Any, schema: Any) -> list[Problem]:
    """What a compiled XSD says about a parsed document, one problem per complaint, each
    pointing at its line and element path (NewsML-G2 and NITF share it)."""
    from lxml import etree

    if schema.validate(root):
        return []
    tree = root.getroottree()
    found = []
    for entry in schema.error_log:
        try:
            hits = tree.xpath(entry.path) if entry.path else []
        except etree.XPathError:  # libxml2 wrote a path XPath cannot read: the line must do
            hits = []
        where = element_path(hits[0]) if hits and not isinstance(hits[0], str) else ""
        message = re.sub(r"\{[^}]*\}", "", entry.message)
        found.append(Problem(f"line {entry.line} {where}".rstrip(), message))
    return found
