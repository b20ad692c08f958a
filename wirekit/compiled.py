"""Which of wirekit's modules this installation runs compiled.

The compiled build (the mypyc hook in ``pyproject.toml``; ``make compiled``) turns a few hot
writers into C extensions, as black and mypy ship theirs; every other installation, an editable
one included, runs the very same modules as Python. The output is byte-identical either way
(``tests/test_compiled.py`` holds the compiled build to it), so this matters to someone reading a
benchmark or a bug report: ``wirekit --version`` says which build it is.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path


def compiled_modules() -> list[str]:
    """The dotted names of wirekit's modules that are C extensions here, sorted.

    Python imports an extension ahead of a source file of the same name in the same folder, so an
    extension found in the package is the module that runs."""
    package = Path(__file__).resolve().parent
    suffixes = tuple(EXTENSION_SUFFIXES)
    names = []
    for path in package.rglob("*"):
        if path.name.endswith(suffixes):
            relative = path.relative_to(package.parent)
            names.append(".".join((*relative.parent.parts, relative.name.split(".", 1)[0])))
    return sorted(names)


def build_line() -> str:
    """One line naming the build: what ``wirekit --version`` and the benchmark print."""
    from importlib import metadata

    try:
        version = metadata.version("wirekit")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        version = "(not installed)"
    modules = compiled_modules()
    build = f"compiled with mypyc: {', '.join(modules)}" if modules else "pure Python"
    return f"wirekit {version} ({build})"
