"""Publisher-level settings: what an article file cannot say about itself.

Plain wire copy carries no publisher, no base IRI for ids, no default language and no licence.
Those facts belong to the desk that runs wirekit, so they live in ``wirekit.toml`` (or
``[tool.wirekit]`` in ``pyproject.toml``), found in the working folder or one of its parents, and
can be overridden on the command line. Tables that describe parties or rights use the article
schema's own names and are validated against its definitions, so a config cannot smuggle in a
value an article could not hold.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirekit.errors import UsageError
from wirekit.schema import part_problems

DEFAULT_BASE_IRI = "urn:wirekit:article:"
CONFIG_FILE = "wirekit.toml"

# setting -> the schema definition its value must satisfy (None: any string, a path)
_SETTINGS: dict[str, str | None] = {
    "base_iri": "iri",
    "base_url": "webUrl",
    "language": "languageTag",
    "specs": None,
    "store": None,
    "publisher": "organization",
    "provider": "organization",
    "rights": "rights",
    "zones": "zones",
}


@dataclass(frozen=True, slots=True)
class Config:
    """The settings in force. Everything has a default, so wirekit runs with no config at all."""

    base_iri: str = DEFAULT_BASE_IRI
    """Prefix for ids of articles that do not carry one (``<base_iri><file stem>``)."""
    base_url: str | None = None
    """The public site's address; articles get ``<base_url>articles/<slug>/`` as their URL."""
    language: str = "en"
    """The language of articles that do not say."""
    publisher: Mapping[str, Any] | None = None
    """The publishing organisation, in canonical form (``name``, ``url``, ``logo``)."""
    provider: Mapping[str, Any] | None = None
    """The NewsML-G2 provider; the publisher when absent."""
    rights: Mapping[str, Any] | None = None
    """Default rights, in canonical form (``copyrightHolder``, ``license``, ``usageTerms``...)."""
    specs: Path | None = None
    """The folder of official specifications (NewsML-G2 XSD, ninjs schemas) for validation."""
    store: Path = Path("wirekit-store")
    """The embedded triple store's folder."""
    zones: Mapping[str, str] | None = None
    """Provider -> IANA time zone, for times sent without an offset (see
    :data:`wirekit.dates.PROVIDER_ZONES`)."""
    path: Path | None = None
    """The file these settings came from, if any."""

    def override(self, **changes: Any) -> Config:
        """A copy with settings from the command line on top; ``None`` leaves one as it is."""
        values = {
            k: _checked(k, str(v) if isinstance(v, Path) else v, "command line")
            for k, v in changes.items()
            if v is not None
        }
        for key in ("specs", "store"):
            if key in values:
                values[key] = Path(values[key])
        return dataclasses.replace(self, **values)

    def article_url(self, slug: str) -> str | None:
        """The web address of an article's page in a published tree, if the site is known."""
        if self.base_url is None:
            return None
        return f"{self.base_url.rstrip('/')}/articles/{slug}/"


def _checked(key: str, value: Any, source: str | None) -> Any:
    """The value, after checking it against the schema definition its setting names."""
    if key not in _SETTINGS:
        raise UsageError(f"unknown setting {key!r}", source=source)
    definition = _SETTINGS[key]
    if definition == "zones":
        found = _zone_problems(value)
    elif definition is None:
        found = [] if isinstance(value, str) else ["must be a string"]
    else:
        found = [str(problem) for problem in part_problems(definition, value)]
    if found:
        raise UsageError(f"{key}: {found[0]}", source=source)
    return value


def _zone_problems(value: Any) -> list[str]:
    """A ``zones`` table: provider names to time zones this machine knows."""
    from zoneinfo import available_timezones

    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        return ['must be a table of provider = "Area/City"']
    unknown = [zone for zone in value.values() if zone not in available_timezones()]
    return [f"unknown time zone {unknown[0]!r}"] if unknown else []


def _find(start: Path) -> tuple[Path, dict[str, Any]] | None:
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate, _read(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            section = _read(pyproject).get("tool", {}).get("wirekit")
            if section is not None:
                return pyproject, section
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read the config: {exc}", source=str(path)) from None


def load(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read the config at ``path``, or the nearest one above ``start`` (the working folder)."""
    if path is not None:
        data = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("wirekit", {})
        found: tuple[Path, dict[str, Any]] | None = (path, data)
    else:
        found = _find((start or Path.cwd()).resolve())
    if found is None:
        return Config()
    return from_mapping(found[1], path=found[0])


def from_mapping(data: Mapping[str, Any], *, path: Path | None = None) -> Config:
    """Build a Config from a parsed TOML table, checking every key and every value."""
    source = str(path) if path else None
    values = {key: _checked(key, value, source) for key, value in data.items()}
    base = path.parent if path else Path.cwd()
    for key in ("specs", "store"):
        if key in values:
            values[key] = base / values[key]
    return Config(path=path, **values)
