"""The shape of a published tree, in one place: publishing writes it and the HTML pages link it.

::

    DIR/index.html                    every article, newest first
    DIR/atom.xml rss.xml feed.json news-sitemap.xml newsmessage.xml all.nq
    DIR/articles/<slug>/index.html    the page, so its URL is <base_url>articles/<slug>/
    DIR/articles/<slug>/article.json  canonical JSON, and one file per other single-article format

The file names are the exporters' own (:attr:`wirekit.plugin.Exporter.published_name`); this
module holds only what is no format's: the articles' folder and the index page. The slug folder
name is always passed through :func:`wirekit.files.safe_name`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from wirekit import registry
from wirekit.files import NAME_LIMIT, safe_name
from wirekit.plugin import Exporter

ARTICLES = "articles"
INDEX = "index"
"""The pseudo-format name of the tree's ``index.html``: not an exporter, publishing draws it."""
INDEX_FILE = "index.html"
SECTIONS = "sections"
"""The folder of the per-section pages: ``sections/<section>/index.html``."""
INDEX_PAGE = r"index(-[1-9][0-9]*)?\.html"
"""The file name of an index page, the front page's or a section's: ``index.html``, then its
older pages ``index-2.html``, ``index-3.html``... (:func:`index_page`). ``check`` and the
manifest recognise index pages by it."""


def index_page(number: int) -> str:
    """The file of an index's ``number``-th page (from 1, the newest)."""
    return INDEX_FILE if number == 1 else f"index-{number}.html"


def published() -> list[type[Exporter]]:
    """The exporters of the default tree (those that declare a published name), in their
    declared order; imports every exporter module, so only commands that publish ask."""
    declared = [cls for cls in registry.exporter_classes() if cls.published_name]
    return sorted(declared, key=lambda cls: cls.published_order)


class Folders:
    """Article folder names for one run of ``publish`` or ``convert -o DIR/``: unique, stable,
    and never a reason to drop an input.

    An article's folder is its slug (else its id) made safe. Agencies reuse sluglines (27 of
    100 dpa items share one), so when another article already holds that name, the folder is
    the slug plus a short suffix from a hash of the id: deterministic, so the same article
    gets the same folder in every run. ``known`` gives the (folder, id) pairs of an earlier
    run (a manifest), so that an article keeps its folder whatever order the inputs come in.
    ``free(name, id)`` says whether a name that ``known`` does not give may go to that id: a
    folder already on disk that wirekit cannot prove it wrote for the article is taken (a
    hand-made ``articles/<slug>/``), so the article gets the suffixed name instead and no
    file of the user's is overwritten. The same id always gets the same folder; telling
    duplicate ids apart is the caller's.
    """

    SUFFIX = 8
    """Hex digits of the id's hash after a colliding slug: 4 billion to one per pair."""

    def __init__(
        self,
        known: Iterable[tuple[str, str]] = (),
        free: Callable[[str, str], bool] = lambda name, article_id: True,
    ) -> None:
        self._free = free
        self._owner: dict[str, str] = {}
        self._of: dict[str, str] = {}
        for folder, article_id in known:
            self._owner.setdefault(folder, article_id)
            self._of.setdefault(article_id, folder)

    def folder(self, slug: str | None, article_id: str) -> str:
        """The folder of the article with this slug and id."""
        base = safe_name(slug or article_id)
        kept = self._of.get(article_id)
        if kept is not None and (kept == base or kept.startswith(base + "-")):
            return kept
        digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()
        name, width = base, self.SUFFIX
        while not self._may_take(name, article_id):
            name = f"{base[: NAME_LIMIT - width - 1].rstrip('-_')}-{digest[:width]}"
            width += 4
        self._owner[name] = article_id
        self._of[article_id] = name
        return name

    def _may_take(self, name: str, article_id: str) -> bool:
        owner = self._owner.get(name)
        return owner == article_id if owner is not None else self._free(name, article_id)
