"""What every importer and exporter declares, and how it takes options.

A plugin is a class, found through an entry point, whose class attributes say what it is (Pygments'
formatters and rdflib's plugins work the same way): listing formats reads only these attributes, so
a plugin module must import its heavy libraries (lxml, rdflib) inside the functions that use them.
Options come in at construction and data at call time, so one instance serves a whole archive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .config import Config
from .errors import UsageError


class Plugin:
    """Common ground of importers and exporters."""

    name: ClassVar[str]
    """The entry-point name: lower-case, unique within its kind."""
    aliases: ClassVar[tuple[str, ...]] = ()
    """Other names users may type."""
    description: ClassVar[str] = ""
    """One line for ``wirekit formats``."""
    options: ClassVar[Mapping[str, str]] = {}
    """The options it takes (``-O name=value``): name -> what it does."""

    def __init__(self, config: Config | None = None, /, **options: Any) -> None:
        unknown = set(options) - set(self.options)
        if unknown:
            known = ", ".join(sorted(self.options)) or "none"
            raise UsageError(
                f"{self.name} takes no option {sorted(unknown)[0]!r} (its options: {known})"
            )
        self.config = config or Config()
        self.settings: dict[str, Any] = options

    @classmethod
    def lookup_keys(cls) -> tuple[str, ...]:
        """Every key this plugin is found under, lower-cased."""
        return (cls.name, *cls.aliases)
