"""The canonical JSON exporter: golden files per seed, stable bytes, schema key order, raw UTF-8.

The golden files in ``golden/json/`` are the exporter's output for each seed. They are compared
twice: as parsed JSON with sorted keys (a readable diff of what changed) and as bytes (order,
indentation and escaping count too). They change only when pytest runs with ``--accept``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, seed_files
from tests.test_schema import SCHEMA, additional_schema, items_schema, properties
from wirekit import schema as wschema
from wirekit.config import Config
from wirekit.formats.canonical.writer import JSONExporter
from wirekit.model import Article
from wirekit.sources import Reader

GOLDEN = Path(__file__).parent / "golden" / "json"


@pytest.fixture(scope="module")
def seeds(repo_config: Config) -> dict[str, Article]:
    """Each seed's article by the seed's stem (the golden file's name)."""
    reader = Reader(repo_config)
    found: dict[str, Article] = {}
    for path in seed_files():
        (result,) = list(reader.read(path))
        assert result.article is not None, str(result.error)
        assert path.stem not in found, f"two seeds named {path.stem}"
        found[path.stem] = result.article
    return found


def _stems() -> list[str]:
    return [p.stem for p in seed_files()]


@pytest.mark.parametrize(
    "path", [p for p in seed_files() if p.suffix == ".json"], ids=lambda p: p.name
)
def test_a_canonical_json_seed_comes_out_unchanged(path: Path, seeds: dict[str, Article]) -> None:
    """The JSON seeds are stored as the exporter writes them, so export(read(file)) == file."""
    assert JSONExporter().export(seeds[path.stem]) == path.read_bytes()


def test_golden_files_are_valid_articles() -> None:
    for path in GOLDEN.glob("*.json"):
        assert wschema.problems(json.loads(path.read_bytes())) == [], path.name


@pytest.mark.parametrize("stem", _stems())
def test_output_is_byte_identical_across_runs(stem: str, seeds: dict[str, Article]) -> None:
    article = seeds[stem]
    exporter = JSONExporter()
    first = exporter.export(article)
    assert exporter.export(article) == first
    assert JSONExporter().export(Article.from_dict(article.to_dict())) == first


def test_output_is_byte_identical_across_processes(seeds: dict[str, Article]) -> None:
    """Another interpreter, with another hash seed, writes the same bytes for every seed."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from wirekit.config import load\n"
        "from wirekit.formats.canonical.writer import JSONExporter\n"
        "from wirekit.sources import Reader\n"
        "reader, exporter = Reader(load(Path(sys.argv[1]))), JSONExporter()\n"
        "for path in sys.argv[2:]:\n"
        "    (result,) = reader.read(path)\n"
        "    sys.stdout.buffer.write(exporter.export(result.article))\n"
    )
    expected = b"".join(JSONExporter().export(seeds[p.stem]) for p in seed_files())
    for hash_seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(ROOT / "wirekit.toml"), *map(str, seed_files())],
            capture_output=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout == expected


def _check_order(value: Any, node: Mapping[str, Any], path: str) -> None:
    """Keys of every object come in the order of the schema's properties for it."""
    if isinstance(value, dict):
        allowed = properties(node, value)
        if allowed:
            known = [key for key in value if key in allowed]
            assert known == list(value), f"{path}: keys the schema does not list"
            assert known == [k for k in allowed if k in value], f"{path}: keys out of schema order"
            for key, child in value.items():
                _check_order(child, allowed[key], f"{path}/{key}")
        elif additional_schema(node) is None:
            pytest.fail(f"{path}: an object the schema does not describe")
    elif isinstance(value, list):
        items = items_schema(node)
        assert items is not None, f"{path}: an array the schema does not describe"
        for index, child in enumerate(value):
            _check_order(child, items, f"{path}/{index}")


@pytest.mark.parametrize("stem", _stems())
def test_keys_come_in_schema_order(stem: str, seeds: dict[str, Article]) -> None:
    output = JSONExporter().export(seeds[stem])
    _check_order(json.loads(output), SCHEMA, "")


def test_keys_come_in_schema_order_whatever_the_input_order() -> None:
    path = Path(__file__).parent / "schema_corpus" / "should_pass" / "every-field.json"
    data = json.loads(path.read_bytes())

    def reverse(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reverse(v) for k, v in reversed(list(value.items()))}
        if isinstance(value, list):
            return [reverse(v) for v in value]
        return value

    shuffled = reverse(data)
    shuffled["extensions"] = data["extensions"]  # plugin data is carried through as given
    output = JSONExporter().export(Article.from_dict(shuffled))
    _check_order(json.loads(output), SCHEMA, "")
    assert json.loads(output) == data


@pytest.mark.parametrize("stem", _stems())
def test_output_is_unescaped_utf8_with_a_final_newline(
    stem: str, seeds: dict[str, Article]
) -> None:
    output = JSONExporter().export(seeds[stem])
    text = output.decode("utf-8")
    assert "\\u" not in text, "non-ASCII text must be written as UTF-8, not escaped"
    assert output.endswith(b"}\n") and not output.endswith(b"\n\n")
    assert not output.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in output
    assert json.loads(output) == seeds[stem].to_dict()
    for word in (seeds[stem].headline, *(b.text_content for b in seeds[stem].body[:1])):
        assert json.dumps(word, ensure_ascii=False)[1:-1] in text
    assert text.startswith('{\n  "id": ')


def test_non_ascii_text_is_written_raw(seeds: dict[str, Article]) -> None:
    tehran = JSONExporter().export(seeds["2025-12-02-tehran-air-pollution-schools-closed"])
    assert "تهران –".encode() in tehran
    assert "سه\u200cشنبه".encode() in tehran  # the zero-width non-joiner too
    original = JSONExporter().export(seeds["2025-07-30-iran-venezuela-alliance"])
    assert "Nicolás Maduro".encode() in original and "’".encode() in original


def test_exporter_metadata() -> None:
    assert JSONExporter.name == "json"
    assert JSONExporter.media_type == "application/json"
    assert JSONExporter.file_extension == ".json"
    assert JSONExporter.standard_version == wschema.model_version()
    assert JSONExporter.collection is False
