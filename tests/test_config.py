"""Publisher-level settings: discovery, validation of every value, command-line overrides."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_ARTICLE
from wirekit.config import DEFAULT_BASE_IRI, Config, from_mapping, load
from wirekit.errors import UsageError

Run = Callable[..., tuple[int, str, str]]

DESK = """\
base_iri = "https://desk.example/id/"
base_url = "https://desk.example/"
language = "de"
specs = "../specs"
store = "store"

[publisher]
name = "Desk"
url = "https://desk.example/"

[rights]
copyrightHolder = { name = "Desk" }
license = "https://creativecommons.org/licenses/by/4.0/"
"""


def test_defaults_without_any_file(tmp_path: Path) -> None:
    config = load(start=tmp_path)
    assert config == Config()
    assert config.base_iri == DEFAULT_BASE_IRI
    assert (config.language, config.base_url, config.publisher, config.rights) == (
        "en",
        None,
        None,
        None,
    )
    assert config.article_url("x") is None


def test_wirekit_toml_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text(DESK)
    config = load(start=tmp_path)
    assert config.path == tmp_path / "wirekit.toml"
    assert config.base_iri == "https://desk.example/id/"
    assert config.language == "de"
    assert config.publisher == {"name": "Desk", "url": "https://desk.example/"}
    assert config.rights is not None
    assert config.rights["copyrightHolder"] == {"name": "Desk"}


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text(DESK)
    config = load(start=tmp_path / "a" / "b")
    assert config.specs == tmp_path / ".." / "specs"
    assert config.store == tmp_path / "store"


def test_the_nearest_config_wins(tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text('language = "de"\n')
    inner = tmp_path / "desk"
    inner.mkdir()
    (inner / "wirekit.toml").write_text('language = "fr"\n')
    assert load(start=inner / "sub").language == "fr"
    assert load(start=tmp_path).language == "de"


def test_pyproject_tool_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.wirekit]\nlanguage = "fa"\n'
    )
    config = load(start=tmp_path)
    assert (config.language, config.path) == ("fa", tmp_path / "pyproject.toml")


def test_a_pyproject_without_the_section_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text('language = "de"\n')
    inner = tmp_path / "project"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load(start=inner).language == "de"


def test_wirekit_toml_beats_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.wirekit]\nlanguage = "fa"\n')
    (tmp_path / "wirekit.toml").write_text('language = "de"\n')
    assert load(start=tmp_path).language == "de"


def test_an_explicit_path(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text('language = "ar"\n')
    assert load(path).language == "ar"
    project = tmp_path / "pyproject.toml"
    project.write_text('[tool.wirekit]\nlanguage = "he"\n')
    assert load(project).language == "he"


def test_the_repository_config(repo_config: Config) -> None:
    assert repo_config.path == ROOT / "wirekit.toml"
    assert repo_config.publisher is not None
    assert repo_config.publisher["name"]
    assert repo_config.base_url is not None
    assert repo_config.article_url("slug") == f"{repo_config.base_url.rstrip('/')}/articles/slug/"


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('colour = "blue"\n', "unknown setting 'colour'"),
        ('base_url = "ftp://desk.example/"\n', "base_url"),
        ('base_iri = "not an iri"\n', "base_iri"),
        ('language = "english!"\n', "language"),
        ("language = 3\n", "language"),
        ("specs = 3\n", "specs: must be a string"),
        ('[publisher]\nurl = "https://desk.example/"\n', "publisher"),
        ('[publisher]\nname = "Desk"\ncolour = "blue"\n', "publisher"),
        ('[rights]\nlicense = "no licence"\n', "rights"),
        ('[publisher]\nname = "Bad\\u0007Desk"\n', "control character U+0007"),
        ("language = \n", "cannot read the config"),
    ],
)
def test_bad_settings_are_usage_errors_naming_the_file(
    tmp_path: Path, toml: str, says: str
) -> None:
    path = tmp_path / "wirekit.toml"
    path.write_text(toml)
    with pytest.raises(UsageError) as raised:
        load(start=tmp_path)
    assert raised.value.source == str(path)
    assert says in str(raised.value)
    assert str(raised.value).startswith(f"{path}: ")


def test_a_missing_explicit_config_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the config"):
        load(tmp_path / "missing.toml")


def test_overrides_from_the_command_line() -> None:
    config = from_mapping({"language": "de", "base_iri": "urn:desk:"})
    changed = config.override(language="fr", base_iri=None, base_url="https://x.example", store="s")
    assert (changed.language, changed.base_iri) == ("fr", "urn:desk:")
    assert changed.store == Path("s")
    assert changed.article_url("a") == "https://x.example/articles/a/"
    assert config.language == "de", "override returns a copy"
    with pytest.raises(UsageError, match="base_url") as raised:
        config.override(base_url="not a url")
    assert raised.value.source == "command line"
    with pytest.raises(UsageError, match="unknown setting"):
        config.override(colour="blue")


def test_config_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().language = "de"  # type: ignore[misc]


@pytest.mark.parametrize("base_url", ["https://x.example", "https://x.example/"])
def test_article_urls_have_one_slash(base_url: str) -> None:
    assert Config(base_url=base_url).article_url("s") == "https://x.example/articles/s/"


# --- through the command line -----------------------------------------------------------------


def test_the_cli_finds_the_config_of_its_working_folder(run_wirekit: Run, tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text(DESK)
    code, out, err = run_wirekit("convert", str(SEED_ARTICLE), "--to", "json", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert '"id": "https://desk.example/id/' in out
    assert '"language": "de"' in out
    assert '"url": "https://desk.example/articles/' in out


def test_cli_options_beat_the_config(run_wirekit: Run, tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text(DESK)
    code, out, _ = run_wirekit(
        "convert", str(SEED_ARTICLE), "--to", "json", "--language", "fa", cwd=tmp_path
    )
    assert code == 0
    assert '"language": "fa"' in out


def test_a_bad_config_is_misuse_in_one_line(run_wirekit: Run, tmp_path: Path) -> None:
    (tmp_path / "wirekit.toml").write_text('colour = "blue"\n')
    code, out, err = run_wirekit("convert", str(SEED_ARTICLE), "--to", "json", cwd=tmp_path)
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        f"wirekit: error: {tmp_path / 'wirekit.toml'}: unknown setting 'colour'"
    ]
