"""Atomic writes and file names derived from untrusted text."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirekit.files import (
    NAME_LIMIT,
    atomic_stream,
    atomic_write,
    inside,
    safe_name,
    write_chunks_if_changed,
)

WINDOWS_DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)
SAFE = re.compile(r"[a-z0-9][a-z0-9_-]*")


def leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


# --- atomic_write -----------------------------------------------------------------------------


def test_writes_the_bytes_and_makes_the_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "story.json"
    atomic_write(target, b"{}\n")
    assert target.read_bytes() == b"{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(target.parent, "story.json") == []


def test_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "story.json"
    target.write_bytes(b"old")
    before = target.stat().st_ino
    with target.open("rb") as reader:
        atomic_write(target, b"new")
        assert reader.read() == b"old", "an open reader sees the old file whole"
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino != before, "written in place instead of renamed over"
    assert leftovers(tmp_path, "story.json") == []


def test_the_temporary_file_is_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(source: str, target: str) -> None:
        seen.append((str(source), str(target)))
        assert Path(source).read_bytes() == b"data", "renamed before the data was written"
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write(tmp_path / "out.xml", b"data")
    [(source, target)] = seen
    assert Path(source).parent == tmp_path, "rename across file systems is not atomic"
    assert Path(target) == tmp_path / "out.xml"


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = tmp_path / "story.json"
    target.write_bytes(b"old")

    def fail(source: str, target: str) -> None:
        raise failure

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(type(failure)):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path, "story.json") == []


def test_a_failed_write_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "story.json"
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_raises_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        atomic_write(blocker / "story.json", b"data")
    assert leftovers(tmp_path, "file") == []


def test_a_long_target_name_still_gets_a_temporary(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 200 + ".json")
    atomic_write(target, b"x")
    assert target.read_bytes() == b"x"


# --- safe_name --------------------------------------------------------------------------------

HOSTILE = [
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\System32\\drivers",
    "\\\\server\\share",
    "con",
    "CON",
    "Con.json",
    "NUL.txt",
    "com1",
    "lpt²",
    "aux.tar.gz",
    "a" * 500,
    "ü" * 500,
    "Ελληνικά – 日本語 – العربية – abc",
    "עברית",
    "",
    ".",
    "..",
    "...",
    " ",
    "-",
    "_",
    "-rf",
    ".hidden",
    "~",
    "name\n",
    "nul\x00byte",
    "%2e%2e%2f",
    "\u202egnp.exe",
    "👩‍👩‍👧",
    "a/b",
    "trailing.",
    "trailing ",
    "\ud800",
]


@pytest.mark.parametrize("wanted", HOSTILE, ids=range(len(HOSTILE)))
def test_safe_names_never_escape(tmp_path: Path, wanted: str) -> None:
    name = safe_name(wanted)
    assert SAFE.fullmatch(name), name
    assert 0 < len(name) <= NAME_LIMIT
    assert not WINDOWS_DEVICES.fullmatch(name)
    assert inside(tmp_path, name).parent == tmp_path.resolve()


@pytest.mark.parametrize("wanted", ["story", "2025-07-30-iran-venezuela-alliance", "a_b-c9"])
def test_a_safe_name_is_kept_as_it_is(wanted: str) -> None:
    assert safe_name(wanted) == wanted


@pytest.mark.parametrize(
    "pair",
    [
        ("con", "CON"),
        ("Report", "report"),
        ("a b", "a-b"),
        ("a/b", "a-b"),
        ("a" * 500, "a" * 501),
        ("日本", "中国"),
        ("", " "),
        ("urn:x:1", "urn-x-1"),
        ("café", "cafe"),
    ],
)
def test_distinct_inputs_give_distinct_names(pair: tuple[str, str]) -> None:
    assert safe_name(pair[0]) != safe_name(pair[1])


def test_the_same_input_gives_the_same_name() -> None:
    assert safe_name("urn:example:story:1") == safe_name("urn:example:story:1")


@given(st.text(max_size=300))
def test_any_text_gives_a_safe_name(wanted: str) -> None:
    name = safe_name(wanted)
    assert SAFE.fullmatch(name), name
    assert len(name) <= NAME_LIMIT
    assert not WINDOWS_DEVICES.fullmatch(name)


@given(st.lists(st.text(st.sampled_from("aAb-_ ./:é日\\"), max_size=12), min_size=2, unique=True))
def test_distinct_texts_never_share_a_name(wanted: list[str]) -> None:
    names = [safe_name(w) for w in wanted]
    assert len(set(names)) == len(names)


# --- inside -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["../x", "../../etc/passwd", "/etc/passwd", "a/b", "a/../../x", "..", ".", ""]
)
def test_inside_refuses_escapes(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="refusing to write outside"):
        inside(tmp_path, name)


def test_inside_refuses_a_symbolic_link_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ValueError):
        inside(out, "link")


def test_inside_accepts_a_plain_name(tmp_path: Path) -> None:
    assert inside(tmp_path, "story.json") == tmp_path.resolve() / "story.json"


@pytest.mark.parametrize(
    "new",
    [b"abcdef", b"abcdeX", b"abcde", b"abcdefg", b"", b"Xbcdef"],
    ids=["same", "last-byte", "shorter", "longer", "empty", "first-byte"],
)
def test_chunks_are_written_only_when_their_bytes_differ(tmp_path: Path, new: bytes) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"abcdef")
    os.utime(target, ns=(1, 1))
    chunks = [new[i : i + 2] for i in range(0, len(new), 2)]
    assert write_chunks_if_changed(target, iter(chunks)) is (new != b"abcdef")
    assert target.read_bytes() == new
    assert (target.stat().st_mtime_ns == 1) is (new == b"abcdef")
    assert os.listdir(tmp_path) == ["file"]


def test_chunks_that_fail_midway_leave_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"old")

    def failing() -> Iterator[bytes]:
        yield b"new"
        raise RuntimeError("the producer broke")

    with pytest.raises(RuntimeError):
        write_chunks_if_changed(target, failing())
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["file"]
    assert write_chunks_if_changed(tmp_path / "fresh", iter([b"a", b"b"]))
    assert (tmp_path / "fresh").read_bytes() == b"ab"


@pytest.mark.parametrize("where", ["under-a-file", "onto-a-folder"])
def test_a_write_that_fails_names_the_file_not_its_temporary(tmp_path: Path, where: str) -> None:
    """The operator never heard of ``.name.<run>-<pid>-<n>.tmp``: every writer's error (the
    manifest's, a feed's, a converted document's) names the file it was writing."""
    (tmp_path / "blocker").write_text("a file", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    target = tmp_path / ("blocker/out.nq" if where == "under-a-file" else "folder")
    for write in (lambda: atomic_write(target, b"x"), lambda: _streamed(target)):
        with pytest.raises(OSError) as failed:
            write()
        assert failed.value.filename == str(target)
        assert ".tmp" not in str(failed.value)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["blocker", "folder"]


def _streamed(path: Path) -> None:
    with atomic_stream(path) as stream:
        stream.write(b"x")
