"""One article as a standalone HTML5 page: the markup, with every piece of article text escaped.

A hand-written builder rather than a template engine: the page has one fixed shape, the model's
text is plain Unicode (never markup), and ``html.escape`` on every value is the whole of the
escaping policy, which is easy to audit in one file. Everything that does not depend on the
article (the style sheet, its Content-Security-Policy hash, the fixed head lines) is built once,
at import.

The page loads nothing but the article's own images: the style is inline, the JSON-LD is a data
block, and a Content-Security-Policy forbids everything else, so it renders offline and stays
inert even if a future change ever let markup through.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from itertools import chain

from wirekit.config import Config
from wirekit.formats.html.blocks import media_html, render_html
from wirekit.formats.html.i18n import Messages, human_date, messages
from wirekit.model import Article, Correction, Image, Paragraph, Person, Rights

DESCRIPTION_LIMIT = 160
"""Characters in the meta description: what search engines show of a snippet."""

RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "nqo", "ps", "sd", "syr", "ug"}
    | {"ur", "yi"}
)
"""Primary language subtags written right to left when no script subtag says otherwise."""
RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"})
"""ISO 15924 script subtags (lower-cased) written right to left."""

STYLE = (
    ":root{color-scheme:light dark;font:1.0625rem/1.55 system-ui,sans-serif}"
    "body{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 3rem}"
    "h1{font-size:2rem;line-height:1.2;margin:.25em 0}"
    "h2,h3,h4,h5,h6{line-height:1.25;margin:1.5em 0 .5em}"
    "p,li,figcaption{white-space:pre-line}"
    "article>p,blockquote,article li{font:1.125rem/1.6 Georgia,'Times New Roman',serif}"
    ".section{font-size:.8rem;font-weight:600;letter-spacing:.05em;text-transform:uppercase}"
    ".section,.subheadline,.summary{margin:0 0 .5em}"
    ".subheadline{font-size:1.25rem}"
    ".byline,.dates,figcaption,footer{font-size:.875rem;opacity:.85}"
    ".dateline{font-weight:700}"
    "figure{margin:1.5rem 0}"
    "img{display:block;max-width:100%;height:auto}"
    "blockquote{margin:1.5rem 0;padding-inline-start:1rem;border-inline-start:.25rem solid}"
    "figure>blockquote{margin:0 0 .5rem}"
    'figure>blockquote+figcaption::before{content:"— "}'  # the dash is style, not data
    "footer{margin-top:2rem;padding-top:1rem;border-top:1px solid}"
    ".masthead{display:flex;align-items:center;gap:.75rem;padding:.5rem 0 .75rem;"
    "border-bottom:3px solid;margin-bottom:1rem;flex-wrap:wrap}"
    ".masthead a{color:inherit;text-decoration:none;font-weight:700;font-size:1.25rem}"
    ".masthead img{max-height:2.5rem;width:auto}"
    ".site-footer{font-size:.875rem;opacity:.85}"
    ".site-footer a{color:inherit}"
    ".tombstone{margin:3rem 0}"
    "body{overflow-wrap:anywhere}"
)


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; img-src http: https:; style-src '{_csp_hash(STYLE)}'; "
    "base-uri 'none'; form-action 'none'"
)
"""Only the article's images load; only this page's own style sheet applies."""

_HEAD = (
    '<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
)
_STYLE_ELEMENT = f"<style>{STYLE}</style>\n"

# Characters that must not appear raw in a script data block. `<` and `>` can never form
# `</script` or `<!--`, `&` keeps old XHTML-minded tools quiet, and U+2028/U+2029 are line ends
# in older JavaScript. In valid JSON they occur only inside strings, where \uXXXX means the same.
# Replaced in the UTF-8 bytes, one ``bytes.replace`` each: five passes of memchr-fast search cost
# less than one ``str.translate``, which goes character by character through non-ASCII text.
_SCRIPT_SAFE = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)

_DATE_TIME = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})T(?P<minute>\d{2}:\d{2})(?P<second>:\d{2})"
    r"(?P<fraction>\.\d+)?(?P<offset>Z|[+-]\d{2}:\d{2})"
)


@dataclass(frozen=True, slots=True)
class Masthead:
    """The publisher's name, logo and home page, shown at the top and foot of every page."""

    name: str
    home: str | None = None
    logo: str | None = None

    @classmethod
    def of(cls, config: Config) -> Masthead | None:
        """The masthead ``wirekit.toml``'s ``[publisher]`` describes; home is the site's
        ``base_url``, else the publisher's url. None without a publisher."""
        publisher = config.publisher or {}
        if not publisher.get("name"):
            return None
        logo = publisher.get("logo")
        return cls(
            str(publisher["name"]),
            config.base_url or publisher.get("url"),
            str(logo["url"]) if isinstance(logo, dict) and logo.get("url") else None,
        )


def masthead(site: Masthead | None, labels: Messages) -> str:
    """The banner at the top of a page: logo and name, linked home."""
    if site is None:
        return ""
    logo = f'<img src="{_attr(site.logo)}" alt="" height="40">' if site.logo else ""
    name = f"{logo}<span>{_text(site.name)}</span>"
    if site.home:
        name = f'<a href="{_attr(site.home)}" rel="home">{name}</a>'
    return f'<header class="masthead" role="banner">{name}</header>\n'


def site_footer(site: Masthead | None, labels: Messages, extra: str = "") -> str:
    """The foot of a page: the publisher, a link home, and ``extra`` (the index's feed links)."""
    if site is None and not extra:
        return ""
    parts = []
    if site is not None:
        parts.append(f"<span>{_text(site.name)}</span>")
        if site.home:
            parts.append(f'<a href="{_attr(site.home)}" rel="home">{labels("home")}</a>')
    return f'<footer class="site-footer">{" · ".join(parts)}{extra}</footer>\n'


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another format of the same article, linked from the head with ``rel="alternate"``."""

    href: str
    media_type: str
    title: str


def render(
    article: Article,
    *,
    json_ld: bytes,
    alternates: Sequence[Alternate] = (),
    site: Masthead | None = None,
) -> str:
    """The page for ``article``, embedding ``json_ld`` (a JSON document) as its structured data,
    under ``site``'s masthead."""
    direction = text_direction(article.language)
    dir_attribute = f' dir="{direction}"' if direction else ""
    labels = messages(article.language)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{_attr(article.language)}"{dir_attribute}>\n<head>\n',
        _HEAD,
        f"<title>{_text(_title(article))}</title>\n",
        *_head_links(article, alternates),
        _STYLE_ELEMENT,
        f'<script type="application/ld+json">{script_json(json_ld)}</script>\n',
        "</head>\n<body>\n",
        masthead(site, labels),
        "<main>\n<article>\n",
        *_header(article, labels),
        media_html(article),
        *_figures(article.images[:1], lazy=False),
        *_body(article),
        *_figures(article.images[1:], lazy=True),
        *_corrections(article.corrections, article.language, labels),
        *_footer(article, labels),
        "</article>\n</main>\n",
        site_footer(site, labels),
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def tombstone(article: Article, config: Config) -> str:
    """What stays at a withdrawn article's address, so that links to it do not break: that the
    story was withdrawn, when, and the editor's public reason: the article's public notes
    (partner and internal notes never reach a public page). Nothing of the story itself (no
    headline, text or structured data), and ``noindex``."""
    direction = text_direction(article.language)
    dir_attribute = f' dir="{direction}"' if direction else ""
    labels = messages(article.language)
    site = Masthead.of(config)
    when = article.date_modified or article.newest_date
    parts = [
        f'<!DOCTYPE html>\n<html lang="{_attr(article.language)}"{dir_attribute}>\n<head>\n',
        _HEAD,
        f"<title>{labels('withdrawn')}</title>\n",
        '<meta name="robots" content="noindex">\n',
        _STYLE_ELEMENT,
        "</head>\n<body>\n",
        masthead(site, labels),
        '<main>\n<section class="tombstone">\n',
        f"<h1>{labels('withdrawn')}</h1>\n",
    ]
    if when is not None:
        shown = time_element(when, article.language)
        parts.append(f'<p class="dates">{labels("withdrawn_at")} {shown}</p>\n')
    parts += [public_notes(article), "</section>\n</main>\n", site_footer(site, labels)]
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def script_json(document: bytes) -> str:
    """A JSON document made safe to sit between ``<script>`` and ``</script>``: no article text
    can end the element or open a comment, and the JSON still parses to the same value."""
    document = document.strip()
    for unsafe, escaped in _SCRIPT_SAFE:
        document = document.replace(unsafe, escaped)
    return document.decode("utf-8")


def text_direction(language: str) -> str | None:
    """``"rtl"`` for a BCP 47 tag written right to left (``ar``, ``fa-IR``, ``az-Arab``), else
    None: a script subtag decides when present (``ar-Latn`` is left to right), else the language."""
    primary, *rest = language.lower().split("-")
    for subtag in rest:
        if len(subtag) == 1:  # an extension or private-use singleton: no script after it
            break
        if len(subtag) == 4 and subtag.isalpha():
            return "rtl" if subtag in RTL_SCRIPTS else None
    return "rtl" if primary in RTL_LANGUAGES else None


def description(article: Article) -> str | None:
    """The meta description: the summary, else the first paragraph with words in it, white space
    collapsed and cut at a word boundary to fit a search result snippet."""
    paragraphs = (block.text for block in article.body if isinstance(block, Paragraph))
    for candidate in chain((article.summary,), paragraphs):
        words = " ".join(candidate.split()) if candidate else ""
        if words:
            return _shorten(words, DESCRIPTION_LIMIT)
    return None


def _shorten(words: str, limit: int) -> str:
    if len(words) <= limit:
        return words
    space = words.rfind(" ", 0, limit)  # the last break that leaves room for the ellipsis
    # a word boundary not too far back; else (CJK, long URLs) cut inside the run
    end = space if space > limit // 2 else limit - 1
    return words[:end].rstrip() + "…"


def time_element(value: str, language: str = "en") -> str:
    """A ``<time>`` element for an RFC 3339 date-time or a bare date (which stays a date).

    HTML's ``datetime`` allows at most three fraction digits, so finer fractions are cut to
    milliseconds; the embedded JSON-LD keeps the exact value. The visible text is the date as
    readers of ``language`` write it (Babel), in the newsroom's own offset."""
    match = _DATE_TIME.fullmatch(value)
    try:
        shown = _text(human_date(value, language))
    except ValueError:  # not a date the model allows: shown as it is
        shown = _text(value)
    if match is None:
        return f'<time datetime="{_attr(value)}">{shown}</time>'
    day, minute, second, fraction, offset = match.group(
        "day", "minute", "second", "fraction", "offset"
    )
    machine = f"{day}T{minute}{second}{(fraction or '')[:4]}{offset}"
    return f'<time datetime="{machine}">{shown}</time>'


# --- the parts of the page ------------------------------------------------------------------


def _text(value: str) -> str:
    return escape(value, quote=False)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _title(article: Article) -> str:
    if article.publisher is None:
        return article.headline
    return f"{article.headline} – {article.publisher.name}"


def _head_links(article: Article, alternates: Sequence[Alternate]) -> Iterator[str]:
    if article.status != "usable" or "kill" in article.signals:
        # a withheld, canceled or killed story must not be indexed where its page still exists
        yield '<meta name="robots" content="noindex">\n'
    summary = description(article)
    if summary is not None:
        yield f'<meta name="description" content="{_attr(summary)}">\n'
    if article.by is not None:
        yield f'<meta name="author" content="{_attr(article.by)}">\n'
    if article.url is not None:
        yield f'<link rel="canonical" href="{_attr(article.url)}">\n'
    for link in alternates:
        yield (
            f'<link rel="alternate" type="{_attr(link.media_type)}" href="{_attr(link.href)}" '
            f'title="{_attr(link.title)}">\n'
        )


def _header(article: Article, labels: Messages) -> Iterator[str]:
    yield "<header>\n"
    if article.section is not None:
        yield f'<p class="section">{_text(article.section)}</p>\n'
    yield f"<h1>{_text(article.headline)}</h1>\n"
    if article.subheadline is not None:
        yield f'<p class="subheadline">{_text(article.subheadline)}</p>\n'
    if article.summary is not None:
        yield f'<p class="summary">{_text(article.summary)}</p>\n'
    if article.byline is not None:  # printed as the source printed it, with its own "By"
        yield f'<p class="byline">{_text(article.byline)}</p>\n'
    elif any(person.name for person in article.authors):
        names = ", ".join(_person(person, rel="author") for person in _named(article.authors))
        yield f'<p class="byline">{labels("by")} {names}</p>\n'
    dates = []
    language = article.language
    if article.date_published is not None:
        published = time_element(article.date_published, language)
        dates.append(f"{labels('published')} {published}")
    if article.date_modified is not None:
        dates.append(f"{labels('updated')} {time_element(article.date_modified, language)}")
    if dates:
        yield f'<p class="dates">{" · ".join(dates)}</p>\n'
    yield "</header>\n"


def _named(people: Sequence[Person]) -> Iterator[Person]:
    """The people with a name: one known only by a system id (a login) is not printed."""
    return (person for person in people if person.name is not None)


def _person(person: Person, rel: str = "") -> str:
    name = _text(person.name or "")
    if person.url is None:
        return name
    rel_attribute = f' rel="{rel}"' if rel else ""
    return f'<a{rel_attribute} href="{_attr(person.url)}">{name}</a>'


def _figures(images: Sequence[Image], *, lazy: bool) -> Iterator[str]:
    loading = ' loading="lazy"' if lazy else ""
    for image in images:
        # No alt text known: leave alt out rather than claim the image is decorative (alt="").
        alt = f' alt="{_attr(image.alt_text)}"' if image.alt_text is not None else ""
        size = "".join(
            f' {name}="{value}"'
            for name, value in (("width", image.width), ("height", image.height))
            if value is not None
        )
        yield f'<figure>\n<img src="{_attr(image.url)}"{alt}{size}{loading}>\n'
        caption = [_text(image.caption)] if image.caption is not None else []
        if image.credit is not None:
            caption.append(f'<small class="credit">{_text(image.credit)}</small>')
        if caption:
            yield f"<figcaption>{' '.join(caption)}</figcaption>\n"
        yield "</figure>\n"


def _body(article: Article) -> Iterator[str]:
    blocks = iter(article.body)
    if article.dateline is not None:
        dateline = f'<span class="dateline">{_text(article.dateline.text)}</span>'
        first = next(blocks, None)
        if isinstance(first, Paragraph):  # the dateline runs into the first paragraph
            yield f"<p>{dateline} {_text(first.text)}</p>\n"
        else:
            yield f"<p>{dateline}</p>\n"
            if first is not None:
                yield render_html((first,))
    yield render_html(blocks)


def public_notes(article: Article) -> str:
    """The article's public notes as the page shows them, for feeds to carry the same; partner
    and internal notes are never printed on a public page or in a feed."""
    return "".join(f'<p class="note">{_text(note)}</p>\n' for note in article.notes_for("public"))


def corrections_section(article: Article) -> str:
    """The article's corrections as the page shows them, for feeds to carry the same; empty
    when there are none."""
    labels = messages(article.language)
    return "".join(_corrections(article.corrections, article.language, labels))


def _corrections(
    corrections: Sequence[Correction], language: str, labels: Messages
) -> Iterator[str]:
    if not corrections:
        return
    yield '<section class="corrections" aria-labelledby="corrections">\n'
    yield f'<h2 id="corrections">{labels("corrections")}</h2>\n<ul>\n'
    for correction in corrections:
        when = f"{time_element(correction.date, language)} " if correction.date is not None else ""
        yield f"<li>{when}{_text(correction.text)}</li>\n"
    yield "</ul>\n</section>\n"


def _footer(article: Article, labels: Messages) -> Iterator[str]:
    notes = public_notes(article)  # a public page: partner and internal notes never show
    lines = [notes] if notes else []
    if any(person.name for person in article.contributors):
        names = ", ".join(
            _person(person) + (f" ({_text(person.role)})" if person.role is not None else "")
            for person in _named(article.contributors)
        )
        lines.append(f'<p class="contributors">{labels("contributors")}: {names}</p>\n')
    if article.credit_line is not None:
        lines.append(f'<p class="credit">{_text(article.credit_line)}</p>\n')
    if article.rights is not None:
        lines.extend(_rights(article.rights, labels))
    if lines:
        yield "<footer>\n"
        yield from lines
        yield "</footer>\n"


def _rights(rights: Rights, labels: Messages) -> Iterator[str]:
    holder = rights.copyright_holder
    if rights.copyright_notice is not None:
        yield f'<p class="copyright"><small>{_text(rights.copyright_notice)}</small></p>\n'
    elif holder is not None:
        year = f"{rights.copyright_year} " if rights.copyright_year is not None else ""
        name = _text(holder.name)
        if holder.url is not None:
            name = f'<a href="{_attr(holder.url)}">{name}</a>'
        yield f'<p class="copyright"><small>© {year}{name}</small></p>\n'
    if rights.license is not None:
        # an address reads left to right, also on a right-to-left page: dir isolates it
        href = _attr(rights.license)
        link = f'<a rel="license" dir="ltr" href="{href}">{_text(rights.license)}</a>'
        yield f'<p class="license">{labels("license")}: {link}</p>\n'
    if rights.usage_terms is not None:
        yield f'<p class="terms">{_text(rights.usage_terms)}</p>\n'
