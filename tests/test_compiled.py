"""The compiled build (pyproject's mypyc hook) held to the pure-Python source it is made from.

mypyc compiles the hottest writers to C. It also checks their annotations at run time and binds a
module's calls to its own functions early, so a compiled writer could refuse an article, or write
other bytes, where its source does not. These tests build the wheel a release ships (from the
sdist, with the hook on, as ``make compiled`` does), then run the writers' own tests and publish
the seeds on it: the tree must be ``dist/``, byte for byte, manifest included. The build takes
about ten seconds with gcc and Python's headers, which every machine ``make test`` runs on has.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, tree_bytes

WRITERS_TESTS = (
    "tests/test_golden.py",
    "tests/test_newsml_g2_export.py",
    "tests/test_newsml_g2_xml.py",
    "tests/test_nitf.py",
    "tests/test_ninjs.py",
    "tests/test_ninjs_mapping.py",
    "tests/test_schemaorg.py",
    "tests/test_schemaorg_support.py",
    "tests/test_jsonld_import.py",
    "tests/test_rdf.py",
    "tests/test_html.py",
)
"""The tests of the compiled modules' output: every format's golden files, and the own tests of
NewsML-G2 and NITF (which share :mod:`wirekit.xml`), ninjs, the schema.org mapping with its
JSON-LD and RDF, and the page. (test_memo.py is not among them: it counts the mapping's calls by
replacing a method, which compiled code calls directly.)"""


def _hooked_modules() -> list[str]:
    """The modules pyproject.toml asks mypyc to compile, as dotted names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    paths = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]["include"]
    return sorted(path.removesuffix(".py").replace("/", ".") for path in paths)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment that runs the compiled build: its unpacked wheel first on the path, and
    PYTHONSAFEPATH so that the checkout's own ``wirekit/`` is not put ahead of it."""
    out = tmp_path_factory.mktemp("compiled")
    build = _python(
        {**os.environ, "HATCH_BUILD_HOOK_ENABLE_CUSTOM": "1"},
        *("-m", "build", "--no-isolation", "--quiet", "--outdir", str(out), "."),
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = out.glob("wirekit-*.whl")
    assert not wheel.name.endswith("-none-any.whl"), f"{wheel.name} is not a platform wheel"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(out / "site")
    return {**os.environ, "PYTHONPATH": str(out / "site"), "PYTHONSAFEPATH": "1"}


def _python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Python run from the checkout, with ``env``."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def _wirekit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _python(env, "-m", "wirekit", *args)


def test_the_build_compiles_every_module_the_hook_names(compiled: dict[str, str]) -> None:
    version = _wirekit(compiled, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip().endswith(f"(compiled with mypyc: {', '.join(_hooked_modules())})")


def test_the_source_tree_runs_pure_python(run_wirekit: object) -> None:
    """An editable install (make's) runs the source, so an edit takes effect at once: building
    the compiled wheel leaves no extension in the checkout."""
    code, out, _ = run_wirekit("--version")  # type: ignore[operator]
    assert code == 0
    assert out.strip().endswith("(pure Python)")
    assert not [p for p in (ROOT / "wirekit").rglob("*") if p.suffix in {".so", ".pyd"}]


def test_publishing_the_seeds_on_the_compiled_build_gives_dist(
    compiled: dict[str, str], tmp_path: Path
) -> None:
    published = _wirekit(compiled, "publish", "seeds/", "--out", str(tmp_path / "dist"), "-q")
    assert published.returncode == 0, published.stderr
    assert tree_bytes(tmp_path / "dist") == tree_bytes(ROOT / "dist")


def test_the_writers_tests_pass_on_the_compiled_build(compiled: dict[str, str]) -> None:
    # --import-mode=append: pytest puts the checkout after the compiled build on the path
    tests = _python(
        compiled,
        *("-m", "pytest", "-p", "no:cacheprovider", "--import-mode=append"),
        *WRITERS_TESTS,
    )
    report = tests.stdout + tests.stderr
    assert f"compiled with mypyc: {', '.join(_hooked_modules())}" in report, report[:2000]
    assert tests.returncode == 0, report[-4000:]


def test_a_plugin_can_subclass_every_built_in_format_the_build_compiles(
    compiled: dict[str, str],
) -> None:
    """A plugin may build on a built-in format (an agency's NewsML-G2 flavour, say); mypyc
    refuses Python subclasses of the classes it compiles natively, so the build must leave the
    format classes open to them."""
    script = """
from wirekit import registry
from wirekit.compiled import compiled_modules
compiled = set(compiled_modules())
classes = [*registry.exporter_classes(), *registry.importer_classes()]
built_on = [cls for cls in classes if cls.__module__ in compiled]
for cls in built_on:
    type("Flavour", (cls,), {"name": "flavour-" + cls.name, "__module__": "a_plugin"})
print(len(built_on))
"""
    result = _python(compiled, "-c", script)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 4  # NewsML-G2, ninjs 3.1 and 2.2, JSON-LD
