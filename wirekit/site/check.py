"""``wirekit check``: every file of a published tree against its standard.

The check is a loop over the registry: each exporter declares the file it takes in a published
tree (:meth:`~wirekit.plugin.Exporter.tree_file`) and how that file is judged
(:meth:`~wirekit.plugin.Exporter.check`), so a plugin's files are checked as wirekit's own are.
A receiver's validator is the judge wirekit's output faces, so the built-in checks use the
official ones wherever they exist (the NewsML-G2 XSD and the ninjs JSON Schema, found by
:func:`wirekit.specs.folder`; a file whose schema is not installed is reported as not checked,
with the command that fetches it, never as passing). Only the tree's own index page, which no
exporter writes, is checked here.

The editorial rules are checked here too: a public collection (a feed, the sitemap, the index,
the dump) that still names an article the manifest records as not live (embargoed, withheld,
withdrawn) fails, so a stale feed cannot pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from wirekit import layout, registry
from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.errors import CheckFailed, NotChecked, UsageError, WirekitError
from wirekit.plugin import Exporter
from wirekit.site.manifest import MANIFEST
from wirekit.site.manifest import read as read_manifest
from wirekit.specs import configured

Status = Literal["ok", "FAIL", "not checked"]
_NOT_ID = rb"(?<![\w:/.#%-])"
_NOT_ID_AFTER = rb"(?![\w:/.#%-])"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement on one file."""

    path: str
    status: Status
    detail: str


def check_tree(root: Path, config: Config | None = None) -> list[Verdict]:
    """A verdict for every file under ``root``, in path order."""
    checker = _Checker(root, config or Config())
    return [checker.verdict(path) for path in sorted(root.rglob("*")) if _checkable(root, path)]


def _checkable(root: Path, path: Path) -> bool:
    """A published file: not wirekit's bookkeeping, nor a file in (or of) a temporary name,
    which a publish running beside this check is about to rename or drop."""
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return not hidden and path.name != MANIFEST and path.is_file()


class _Checker:
    """The judges of a tree's files: the exporter of each file name an article's folder may
    hold, and of each at the top of the tree, built on first use."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config if config.specs is not None else configured(config)
        self._top: dict[str, type[Exporter]] = {}
        self._article: dict[str, type[Exporter]] = {}
        for cls in reversed(list(registry.exporter_classes())):  # built-ins win a clash
            (self._top if cls.collection else self._article)[cls.tree_file()] = cls
        self._built: dict[type[Exporter], Exporter] = {}
        self._hidden = sorted(
            (entry.id, f"{layout.ARTICLES}/{entry.folder}/", entry.state)
            for entry in read_manifest(root / MANIFEST).articles.values()
            if entry.state != "live"
        )
        """What names an article that public outputs must not show: its id and its folder."""

    def verdict(self, path: Path) -> Verdict:
        relative = path.relative_to(self.root)
        in_article = len(relative.parts) == 3 and relative.parts[0] == layout.ARTICLES
        cls = (self._article if in_article else self._top).get(path.name)
        # the front page and its older pages, and each section's (sections/<name>/index.html)
        index = not in_article and re.fullmatch(layout.INDEX_PAGE, path.name) is not None
        if not index and cls is None:
            return Verdict(str(relative), "not checked", "no checker for this kind of file")
        try:
            if not in_article and (cls is None or cls.audience == PUBLIC):
                self._no_hidden_article(path)
            detail = self._index(path) if index or cls is None else self._judge(cls).check(path)
        except NotChecked as exc:
            return Verdict(str(relative), "not checked", str(exc))
        except FileNotFoundError:  # a publish beside this check removed it: not a fault
            return Verdict(str(relative), "not checked", "removed while being checked")
        except (CheckFailed, WirekitError) as exc:
            return Verdict(str(relative), "FAIL", str(exc))
        return Verdict(str(relative), "ok", detail)

    def _no_hidden_article(self, path: Path) -> None:
        """A public collection must not name an article that is not live (a stale feed)."""
        data = path.read_bytes()
        for article_id, folder, state in self._hidden:
            # the id whole, not inside a longer one (urn:x:1 in urn:x:10)
            whole = re.compile(_NOT_ID + re.escape(article_id.encode()) + _NOT_ID_AFTER)
            if folder.encode() in data or whole.search(data):
                raise CheckFailed(f"lists {article_id}, which is {state}: the file is stale")

    def _judge(self, cls: type[Exporter]) -> Exporter:
        if cls not in self._built:
            try:
                self._built[cls] = cls(self.config)
            except UsageError as exc:  # e.g. a feed that needs a title the config lacks
                raise NotChecked(f"{cls.name} cannot be set up to check it: {exc}") from None
        return self._built[cls]

    def _index(self, path: Path) -> str:
        """A page of the tree's front page or of a section's: a language, and a link to every
        article that is there."""
        import lxml.html

        page = lxml.html.document_fromstring(path.read_bytes())
        if not page.get("lang"):
            raise CheckFailed("the <html> element has no lang")
        missing = [
            href
            for href in page.xpath("//main//a/@href")
            if not (path.parent / href / layout.INDEX_FILE).is_file()
        ]
        if missing:
            raise CheckFailed(f"links to a missing article: {missing[0]}")
        return f"links {len(page.xpath('//main//a'))} articles, all present"


def summarise(verdicts: list[Verdict]) -> Iterator[str]:
    """The table ``wirekit check`` prints: one row per file, then the counts."""
    width = max((len(v.path) for v in verdicts), default=4)
    for verdict in verdicts:
        yield f"{verdict.path.ljust(width)}  {verdict.status:<11}  {verdict.detail}"
    counts = {status: sum(v.status == status for v in verdicts) for status in ("ok", "FAIL")}
    unchecked = len(verdicts) - counts["ok"] - counts["FAIL"]
    yield (
        f"{len(verdicts)} files: {counts['ok']} ok, {counts['FAIL']} failed, "
        f"{unchecked} not checked"
    )
