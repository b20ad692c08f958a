"""Collections stream: a collection exporter writes as the articles arrive, so converting an
archive of millions of articles holds a bounded window of them (issue 20).

The memory figures themselves are measured in ``benchmarks/`` (peak RSS of ``convert --to
nquads`` at two archive sizes); these tests pin down the behaviour that makes them flat.
"""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from wirekit import registry
from wirekit.config import Config
from wirekit.model import Article
from wirekit.plugin import Exporter

ROOT = Path(__file__).resolve().parent.parent
STREAMING = ("jsonl", "nquads", "trig", "newsml-g2-message")
"""The formats whose document grows with the archive."""


def collection_names() -> list[str]:
    return [
        name for name in registry.names("exporter") if registry.load("exporter", name).collection
    ]


@pytest.mark.parametrize("name", collection_names())
def test_the_stream_is_the_document(
    name: str, seed_articles: list[Article], repo_config: Config
) -> None:
    """write_collection and export_collection give the same bytes, for every collection."""
    exporter = registry.exporter(name)(repo_config)
    stream = io.BytesIO()
    exporter.write_collection(iter(seed_articles), stream)
    assert stream.getvalue() == exporter.export_collection(iter(seed_articles))


@pytest.mark.parametrize("name", ["jsonl", "nquads", "trig"])
def test_an_article_is_written_before_the_next_is_read(
    name: str, seed_articles: list[Article], repo_config: Config
) -> None:
    """The output of article k is in the stream before article k+1 is asked for."""
    stream = io.BytesIO()
    sizes: list[int] = []

    def watched() -> Iterator[Article]:
        for article in seed_articles:
            sizes.append(len(stream.getvalue()))
            yield article

    registry.exporter(name)(repo_config).write_collection(watched(), stream)
    assert sizes == sorted(sizes)
    assert len(set(sizes[1:])) == len(sizes) - 1, f"{name} held articles back: {sizes}"


def test_a_message_spools_its_items_and_writes_nothing_without_one(repo_config: Config) -> None:
    from wirekit.errors import ExportError

    stream = io.BytesIO()
    with pytest.raises(ExportError, match="at least one article"):
        registry.exporter("newsml-g2-message")(repo_config).write_collection(iter([]), stream)
    assert stream.getvalue() == b""


def test_a_single_article_exporter_has_no_collection() -> None:
    exporter = registry.exporter("html")()
    with pytest.raises(NotImplementedError):
        exporter.write_collection(iter([]), io.BytesIO())
    with pytest.raises(NotImplementedError):
        exporter.export_collection(iter([]))


def test_a_plugin_may_implement_export_collection_alone() -> None:
    stream = io.BytesIO()
    _Whole().write_collection(iter([]), stream)
    assert stream.getvalue() == b"whole"


@pytest.mark.parametrize("name", collection_names())
def test_parts_travel_and_make_the_same_document(
    name: str, seed_articles: list[Article], repo_config: Config
) -> None:
    """What a cluster does, without one: every part pickled and read back (as it comes from a
    worker), then put together here, gives the document a local run writes."""
    exporter = registry.exporter(name)(repo_config)
    assert exporter.splits()
    parts = [pickle.loads(pickle.dumps(exporter.part(a))) for a in seed_articles]
    stream = io.BytesIO()
    exporter.write_parts(iter(parts), stream)
    assert stream.getvalue() == exporter.export_collection(iter(seed_articles))


def test_a_collection_in_one_piece_is_not_sent_to_a_cluster(seed_articles: list[Article]) -> None:
    """A plugin that implements export_collection alone has no parts for workers to make:
    refused as misuse before any cluster is asked for."""
    from wirekit import convert
    from wirekit.errors import UsageError

    with pytest.raises(UsageError, match="convert it without --cluster"):
        records = (article.to_dict() for article in seed_articles)
        convert.write_collection(_Whole(), records, io.BytesIO(), cluster="local:1")


def test_a_plugin_may_implement_write_collection_alone() -> None:
    """The streaming contract before parts existed: publishing asks such a plugin for its
    document in memory (export_collection), which must still come from its write_collection."""
    assert _Streamed().export_collection(iter([])) == b"streamed"


class _Streamed(Exporter):
    name = "streamed"
    media_type = "text/plain"
    file_extension = ".txt"
    standard = standard_version = "test"
    collection = True

    def write_collection(self, articles: object, stream: BinaryIO) -> None:
        stream.write(b"streamed")


class _Whole(Exporter):
    name = "whole"
    media_type = "text/plain"
    file_extension = ".txt"
    standard = standard_version = "test"
    collection = True

    def export_collection(self, articles: object) -> bytes:
        return b"whole"


@pytest.mark.parametrize("name", STREAMING)
def test_convert_streams_into_a_file_that_appears_whole(name: str, tmp_path: Path) -> None:
    """The file appears whole; with no article read it is not created at all, and no
    temporary file stays behind either way."""
    out = tmp_path / "out.dat"
    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.json"))
    done = subprocess.run(
        [sys.executable, "-m", "wirekit", "convert", *seeds, "--to", name, "-o", str(out)],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
    empty = tmp_path / "empty.dat"
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "wirekit",
            "convert",
            str(tmp_path / "no.json"),
            "--to",
            name,
            "-o",
            str(empty),
        ],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert missing.returncode == 1
    assert not empty.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.dat"]


UNREACHABLE = "dask://127.0.0.1:9"
"""A scheduler no one runs: a command that tried to use it would fail saying so, so an error
about -o proves that -o was judged first."""


@pytest.mark.parametrize("cluster", [(), ("--cluster", UNREACHABLE)], ids=["local", "cluster"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_a_folder_as_the_output_file_is_misuse_found_first(
    cluster: tuple[str, ...], slash: str, tmp_path: Path
) -> None:
    """-o naming a folder is refused before any article is read or any cluster asked for: exit
    2, one line naming -o as given, nothing written into the folder."""
    folder = tmp_path / "odir"
    folder.mkdir()
    given = str(folder) + slash
    done = _convert(str(ROOT / "seeds"), "--to", "nquads", "-o", given, *cluster)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().strip().splitlines() == [
        f"wirekit: error: {given}: is a folder; -o takes a file name for the nquads document"
    ]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("cluster", [(), ("--cluster", UNREACHABLE)], ids=["local", "cluster"])
def test_an_unwritable_output_is_named_as_given(cluster: tuple[str, ...], tmp_path: Path) -> None:
    """A place no file can be made (here, under a file) fails before the work, exit 1, naming
    the path the user gave, not the temporary file wirekit makes beside it."""
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    given = str(blocker / "all.nq")
    done = _convert(str(ROOT / "seeds"), "--to", "nquads", "-o", given, *cluster)
    assert done.returncode == 1, done.stderr
    assert done.stderr.decode().strip().splitlines() == [
        f"wirekit: error: {given}: Not a directory"
    ]


@pytest.mark.parametrize("output", ["story.html", "pages/"])
def test_a_single_article_output_is_named_as_given_too(output: str, tmp_path: Path) -> None:
    """The same for one article's file, or a folder of them: the path named is the user's."""
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    seed = ROOT / "seeds" / "2025-08-12-valencia-flash-flood-warning.json"
    done = _convert(str(seed), "--to", "html", "-o", str(blocker / output))
    assert done.returncode == 1, done.stderr
    lines = done.stderr.decode().strip().splitlines()
    (line,) = [line for line in lines if not line.startswith("wirekit: warning: ")]
    assert line.startswith(f"wirekit: error: {blocker / output}")
    assert line.endswith(": Not a directory")
    assert ".tmp" not in line


def _convert(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wirekit", "convert", *args],
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
