"""The ``wirekit`` command: in-process through Typer's CliRunner, and as a real subprocess where
exit codes, stderr and pipes matter. Every bad input must give exit code 1 (2 for misuse) and one
line naming the file and the place, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from tests.conftest import ROOT, SEED_ARTICLE
from wirekit import registry
from wirekit.cli import app
from wirekit.files import safe_name

Run = Callable[..., tuple[int, str, str]]
SEED = str(SEED_ARTICLE)
SCHEMA_FILE = ROOT / "schemas" / "article.schema.json"
VALID: dict[str, Any] = {
    "id": "urn:example:story:1",
    "version": 1,
    "headline": "Talks resume",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Negotiators met again."}],
}


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr


def write(folder: Path, name: str, data: bytes | str | dict[str, Any]) -> Path:
    path = folder / name
    if isinstance(data, dict):
        data = json.dumps(data, ensure_ascii=False)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- formats and schema -----------------------------------------------------------------------


def test_formats_lists_every_registered_format(runner: CliRunner) -> None:
    result = runner.invoke(app, ["formats"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.index("importers:") < text.index("exporters:")
    listed = [line.split()[0] for line in text.splitlines() if line.startswith("  ")]
    assert listed == registry.names("importer") + registry.names("exporter")
    assert "jsonl (ndjson) [collection]" in text


def test_formats_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["formats", "--json"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert [e["name"] for e in table["importers"]] == registry.names("importer")
    assert [e["name"] for e in table["exporters"]] == registry.names("exporter")
    json_exporter = next(e for e in table["exporters"] if e["name"] == "json")
    assert json_exporter["media_type"] == "application/json"
    assert json_exporter["extension"] == ".json"
    assert json_exporter["collection"] is False
    assert json_exporter["standard"].startswith("wirekit canonical article ")
    assert next(e for e in table["exporters"] if e["name"] == "jsonl")["collection"] is True
    text = next(e for e in table["importers"] if e["name"] == "text")
    assert (text["media_types"], text["extensions"]) == (["text/plain"], [".txt", ".text"])


def test_schema_prints_the_schema_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")


# --- help -------------------------------------------------------------------------------------

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def _examples(command: str) -> list[str]:
    doc = typer.main.get_command(app).commands[command].help or ""  # type: ignore[attr-defined]
    _, found, rest = doc.partition("Examples:")
    assert found, f"wirekit {command}: no Examples: section in its help"
    return [line.strip() for line in rest.splitlines() if line.strip()]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    examples = _examples(command)
    assert examples
    assert all("wirekit" in example for example in examples), examples


def test_each_example_is_on_its_own_line_in_help(runner: CliRunner) -> None:
    missing = {}
    for command in COMMANDS:
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        shown = {line.strip() for line in result.stdout.splitlines()}
        lost = [example for example in _examples(command) if example not in shown]
        if lost:
            missing[command] = lost
    assert missing == {}


def test_top_level_help_lists_the_commands(run_wirekit: Run) -> None:
    code, out, err = run_wirekit("--help")
    assert err == ""
    assert code == 0
    for command in ("formats", "schema", "validate", "convert"):
        assert command in out


def test_no_arguments_exits_2_with_help(run_wirekit: Run) -> None:
    code, out, err = run_wirekit()
    assert code == 2
    assert "Usage: wirekit" in out + err
    no_traceback(err)


def test_no_arguments_shows_the_help_once_on_stderr(run_wirekit: Run) -> None:
    code, out, err = run_wirekit()
    assert code == 2
    assert out == ""
    assert err.count("Usage: wirekit") == 1


# --- validate ---------------------------------------------------------------------------------


SEED_COVERAGE = f"{SEED}: coverage: 3 mapped, 0 ignored by rule, 0 warned, 0 not carried"
"""What validate says of the seed's elements: its header line, dateline and body, all mapped."""


def test_validate_a_valid_file(run_wirekit: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "good.json", VALID)
    code, out, err = run_wirekit("validate", str(path), SEED)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"{path}: valid", f"{SEED}: valid", SEED_COVERAGE]


def test_validate_reports_every_problem_on_its_own_line(run_wirekit: Run, tmp_path: Path) -> None:
    bad = {**VALID, "version": 0, "headline": "", "bogus": 1}
    bad["body"] = [{"type": "paragraph", "text": "a\x07b"}]
    path = write(tmp_path, "bad.json", bad)
    code, out, err = run_wirekit("validate", str(path))
    assert code == 1
    assert out == ""
    no_traceback(err)
    problems = lines(err)[:-1]
    assert lines(err)[-1] == "wirekit: 1 invalid, 0 valid"
    pointers = [line.removeprefix(f"wirekit: {path}: ").split(":")[0] for line in problems]
    assert all(line.startswith(f"wirekit: {path}: /") for line in problems), problems
    assert set(pointers) == {"/", "/body/0/text", "/headline", "/version"}
    assert "control character U+0007" in err


def test_validate_goes_on_past_a_bad_file(run_wirekit: Run, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", {**VALID, "version": "one"})
    good = write(tmp_path, "good.json", VALID)
    code, out, err = run_wirekit("validate", str(bad), str(good))
    assert code == 1
    assert out.splitlines() == [f"{good}: valid"]
    assert lines(err) == [
        f'wirekit: {bad}: /version: "one" is not of type "integer"',
        "wirekit: 1 invalid, 1 valid",
    ]


def test_validate_json_lines_names_each_line(run_wirekit: Run, tmp_path: Path) -> None:
    records = [VALID, {**VALID, "version": 0}, VALID]
    path = write(tmp_path, "a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    code, out, err = run_wirekit("validate", "-q", str(path))
    assert code == 1
    assert out == ""
    assert lines(err)[0].startswith(f"wirekit: {path}: line 2: /version: ")


@pytest.mark.parametrize(
    "data",
    [json.dumps(VALID).encode(), SEED_ARTICLE.read_bytes()],
    ids=["json", "text"],
)
def test_validate_stdin(run_wirekit: Run, data: bytes) -> None:
    code, out, err = run_wirekit("validate", "-", stdin=data)
    assert (code, out, err) == (0, "-: valid\n", "")


def test_validate_invalid_stdin(run_wirekit: Run) -> None:
    code, out, err = run_wirekit("validate", "-", stdin=b'{"id": "urn:x:1"}')
    assert out == ""
    assert code == 1
    assert 'wirekit: -: /: "version" is a required property' in lines(err)
    assert all(line.startswith("wirekit: -: ") for line in lines(err)[:-1])


def test_validate_json_lines_on_stdin(run_wirekit: Run) -> None:
    data = (json.dumps(VALID) + "\n" + json.dumps(VALID) + "\n").encode()
    code, out, err = run_wirekit("validate", "--from", "jsonl", "-", stdin=data)
    assert out.count(": valid") == 2
    assert (code, err) == (0, "")


def test_validate_with_a_config_and_options(run_wirekit: Run, tmp_path: Path) -> None:
    config = write(tmp_path, "desk.toml", 'base_iri = "https://desk.example/id/"\n')
    code, out, err = run_wirekit(
        "validate", "--config", str(config), "--base-url", "https://desk.example/", SEED
    )
    assert out == f"{SEED}: valid\n{SEED_COVERAGE}\n"
    assert (code, err) == (0, "")


# --- convert ----------------------------------------------------------------------------------


def test_convert_the_seed_to_json(run_wirekit: Run) -> None:
    code, out, err = run_wirekit("convert", SEED, "--to", "json")
    assert (code, err) == (0, "")
    article = json.loads(out)
    assert article["dateline"]["place"]["name"] == "TEHRAN"
    assert article["datePublished"] == "2025-07-30"
    assert len(article["body"]) == 16
    assert article["body"][0]["text"].startswith("Iranian President Masoud Pezeshkian")
    assert len(article["headline"]) <= 110
    assert "Nicolás" in out, "canonical JSON is unescaped UTF-8"
    assert out.endswith("}\n")


def test_convert_round_trips_through_validate(run_wirekit: Run, tmp_path: Path) -> None:
    code, out, _ = run_wirekit("convert", SEED, "--to", "json")
    assert code == 0
    again = run_wirekit("convert", "-", "--to", "json", stdin=out.encode())
    assert again == (0, out, "")
    assert run_wirekit("validate", "-", stdin=out.encode())[0] == 0


def test_convert_writes_a_file_atomically(run_wirekit: Run, tmp_path: Path) -> None:
    target = tmp_path / "out" / "story.json"
    code, out, err = run_wirekit("convert", SEED, "--to", "json", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    stdout = run_wirekit("convert", SEED, "--to", "json")[1]
    assert target.read_text(encoding="utf-8") == stdout
    target.write_text("old")
    assert run_wirekit("convert", SEED, "--to", "json", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["story.json"], "temp file left"


@pytest.mark.parametrize(("suffix", "lines_out"), [(".json", None), (".jsonl", 1)])
def test_convert_guesses_the_format_from_the_output_name(
    run_wirekit: Run, tmp_path: Path, suffix: str, lines_out: int | None
) -> None:
    target = tmp_path / f"out{suffix}"
    assert run_wirekit("convert", SEED, "-o", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    if lines_out is None:
        assert json.loads(text)["slug"] == SEED_ARTICLE.stem
    else:
        assert len(text.splitlines()) == lines_out


def test_convert_several_into_a_folder(run_wirekit: Run, tmp_path: Path) -> None:
    other = write(tmp_path, "other.json", VALID)
    folder = tmp_path / "dist"
    code, out, err = run_wirekit("convert", SEED, str(other), "--to", "json", "-o", f"{folder}/")
    assert (code, out, err) == (0, "", "")
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2
    assert f"{SEED_ARTICLE.stem}.json" in names
    assert all(not name.startswith(".") for name in names)


def test_convert_into_a_folder_never_overwrites_one_article_with_another(
    run_wirekit: Run, tmp_path: Path
) -> None:
    one = write(tmp_path, "one.json", {**VALID, "slug": "same"})
    two = write(tmp_path, "two.json", {**VALID, "id": "urn:example:story:2", "slug": "same"})
    folder = tmp_path / "dist"
    code, _, err = run_wirekit("convert", str(one), str(two), "--to", "json", "-o", f"{folder}/")
    written = {json.loads(p.read_text())["id"] for p in folder.iterdir()}
    assert written == {VALID["id"], "urn:example:story:2"} or (code == 1 and "same" in err)


def test_convert_several_into_a_collection(run_wirekit: Run, tmp_path: Path) -> None:
    other = write(tmp_path, "other.json", VALID)
    code, out, err = run_wirekit("convert", SEED, str(other), "--to", "jsonl")
    assert (code, err) == (0, "")
    assert [json.loads(line)["id"] for line in out.splitlines()][1] == VALID["id"]


def test_several_inputs_to_a_single_article_format_on_stdout_is_misuse(run_wirekit: Run) -> None:
    code, _, err = run_wirekit("convert", SEED, SEED, "--to", "json")
    assert code == 2
    assert len(lines(err)) == 1
    assert "one article per document" in err
    no_traceback(err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "jsn"], "did you mean 'json'?"),
        (["--to", "json", "-O", "nosuch=1"], "takes no option 'nosuch'"),
        (["--to", "json", "-O", "novalue"], "-O takes name=value"),
        (["-o", "out.unknownext"], "no exporter writes .unknownext"),
        ([], "--to"),
        (["--to", "json", "--bogus"], "No such option"),
        (["--to", "json", "--from", "nosuch"], "unknown importer format 'nosuch'"),
        (["--to", "json", "--config", "/nonexistent/wirekit.toml"], "/nonexistent/wirekit.toml"),
        (["--to", "json", "--base-url", "ftp://x"], "base_url"),
    ],
    ids=[
        "unknown-format",
        "unknown-option",
        "bad-option",
        "unknown-extension",
        "no-format",
        "bad-flag",
        "unknown-from",
        "missing-config",
        "bad-setting",
    ],
)
def test_misuse_exits_2_with_one_line(
    run_wirekit: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    code, out, err = run_wirekit("convert", SEED, *args, cwd=tmp_path)
    assert code == 2, err
    assert out == ""
    assert len(lines(err)) == 1, err
    assert message in err
    no_traceback(err)


# --- every kind of bad input: exit 1, one line naming the file and the place -------------------

BAD_INPUTS: dict[str, tuple[str, bytes | None, str]] = {
    # id: (file name, content (None: made by the test), what the line must say)
    "not-utf8": ("latin1.txt", b"Lede.\n\nCaf\xe9.", "line 3, byte 10: not UTF-8"),
    "no-body": ("empty.txt", b"headline Only\n\n", "no body"),
    "malformed-json": ("broken.json", b'{"id": "urn:x",\n"version" 1}', "line 2, column"),
    "not-an-object": ("list.json", b"[1]", "/0: an article must be a JSON object"),
    "schema": ("invalid.json", json.dumps({**VALID, "version": 0}).encode(), "/version: "),
    "bad-line": ("archive.jsonl", b"{\n", "line 1: malformed JSON"),
    "unknown-format": ("mystery.unknownext", b"", "cannot tell the input format"),
    "missing": ("missing.txt", None, "no such file"),
    "folder": ("folder.txt", None, "folder"),
    "not-a-folder": ("plain.txt/child.txt", None, "ot a directory"),
}


def _bad_input(tmp_path: Path, name: str, data: bytes | None) -> Path:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    elif name == "folder.txt":
        path.mkdir()
    elif name.startswith("plain.txt/"):
        (tmp_path / "plain.txt").write_text("x")
    return path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_1_with_one_line_naming_file_and_place(
    run_wirekit: Run, tmp_path: Path, case: str
) -> None:
    name, data, says = BAD_INPUTS[case]
    path = _bad_input(tmp_path, name, data)
    code, out, err = run_wirekit("convert", str(path), "--to", "json")
    assert code == 1, err
    assert out == ""
    no_traceback(err)
    assert len(lines(err)) == 1, err
    assert lines(err)[0].startswith(f"wirekit: {path}: "), err
    assert says in err


def test_validate_reports_every_kind_of_bad_input_and_goes_on(
    run_wirekit: Run, tmp_path: Path
) -> None:
    paths = {case: _bad_input(tmp_path, *BAD_INPUTS[case][:2]) for case in sorted(BAD_INPUTS)}
    code, out, err = run_wirekit("validate", SEED, *map(str, paths.values()))
    assert code == 1
    no_traceback(err)
    assert out == f"{SEED}: valid\n{SEED_COVERAGE}\n"
    assert lines(err)[-1] == f"wirekit: {len(BAD_INPUTS)} invalid, 1 valid"
    for case, path in paths.items():
        said = [line for line in lines(err) if line.startswith(f"wirekit: {path}: ")]
        assert len(said) == 1, (case, err)
        assert BAD_INPUTS[case][2] in said[0]


def _unreadable_runner(path: Path) -> list[str]:
    """A command prefix under which ``path`` (mode 000) really cannot be read, or skip."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, which reads any file, and setpriv is missing")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", f"open({str(path)!r}, 'rb')"],
        capture_output=True,
        check=False,
    )
    if probe.returncode == 0:
        pytest.skip("cannot make a file unreadable here")
    return prefix


def test_an_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", "Lede.")
    path.chmod(0)
    try:
        prefix = _unreadable_runner(path)
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "wirekit", "convert", str(path), "--to", "json"],
            capture_output=True,
            cwd=ROOT,
            check=False,
            timeout=120,
        )
    finally:
        path.chmod(0o644)
    err = done.stderr.decode()
    assert done.returncode == 1
    no_traceback(err)
    assert lines(err) == [f"wirekit: {path}: permission denied"]


def test_a_batch_goes_on_past_a_bad_file(run_wirekit: Run, tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", VALID)
    bad = write(tmp_path, "bad.txt", b"\xff")
    folder = tmp_path / "out"
    code, out, err = run_wirekit(
        "convert", SEED, str(bad), str(good), "--to", "json", "-o", f"{folder}/"
    )
    assert out == ""
    assert code == 1
    no_traceback(err)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{SEED_ARTICLE.stem}.json", safe_name(VALID["id"]) + ".json"]
    )
    assert lines(err)[0].startswith(f"wirekit: {bad}: line 1, byte 0: not UTF-8")
    assert str(bad) in lines(err)[-1]
    assert str(good) not in err


def test_a_batch_into_a_collection_keeps_the_good_articles(
    run_wirekit: Run, tmp_path: Path
) -> None:
    bad = write(tmp_path, "bad.json", {**VALID, "version": 0})
    target = tmp_path / "all.jsonl"
    code, out, err = run_wirekit("convert", SEED, str(bad), "--to", "jsonl", "-o", str(target))
    assert out == ""
    assert code == 1
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1
    assert f"wirekit: {bad}: /version: " in err


def test_an_input_with_no_articles_says_so(run_wirekit: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "none.json", b"[]")
    code, _, err = run_wirekit("convert", str(path), "--to", "json")
    assert code == 1
    assert len(lines(err)) == 1
    assert str(path) in err


# --- internal errors, --debug and pipes -------------------------------------------------------

BREAK_EXPORTER = (
    "import sys\n"
    "from wirekit.formats.canonical.writer import JSONExporter\n"
    "def broken(self, article): return 1 / 0\n"
    "JSONExporter.export = broken\n"
    "from wirekit.cli import main\n"
    "sys.argv[0] = 'wirekit'\n"
    "main()\n"
)


def _broken(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", BREAK_EXPORTER, *args],
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_an_internal_error_is_one_line_without_debug() -> None:
    done = _broken("convert", SEED, "--to", "json")
    err = done.stderr.decode()
    assert done.returncode == 1
    no_traceback(err)
    assert lines(err) == [
        "wirekit: internal error: ZeroDivisionError: division by zero "
        "(run with --debug for the traceback)"
    ]


@pytest.mark.parametrize("where", ["first", "last"])
def test_debug_shows_the_traceback(where: str) -> None:
    args = ["convert", SEED, "--to", "json"]
    done = _broken(*(["--debug", *args] if where == "first" else [*args, "--debug"]))
    err = done.stderr.decode()
    assert done.returncode != 0
    assert "Traceback (most recent call last)" in err
    assert "ZeroDivisionError" in err
    assert "def broken" in err or "broken" in err


def test_debug_shows_the_traceback_of_an_input_error_too(run_wirekit: Run) -> None:
    code, _, err = run_wirekit("--debug", "convert", SEED, "--to", "jsn")
    assert code != 0
    assert "Traceback" in err
    assert "UnknownFormat" in err


def test_a_closed_stdout_is_not_an_error(tmp_path: Path) -> None:
    """``wirekit convert ... | head -c 10``: the reader leaves early; exit 0, no traceback."""
    line = json.dumps(VALID) + "\n"
    archive = write(tmp_path, "big.jsonl", line * 3000)  # more than any pipe buffer
    process = subprocess.Popen(
        [sys.executable, "-m", "wirekit", "convert", str(archive), "--to", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    head = process.stdout.read(10)
    process.stdout.close()
    err = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert head == b'{"id":"urn'[: len(head)]
    assert len(head) == 10
    assert code == 0, err
    assert err == ""


def test_a_closed_stdout_in_a_shell_pipeline(tmp_path: Path) -> None:
    archive = write(tmp_path, "big.jsonl", (json.dumps(VALID) + "\n") * 3000)
    script = (
        f"{sys.executable} -m wirekit convert {archive} --to jsonl 2>{tmp_path}/err | head -c 10;"
        ' echo " ${PIPESTATUS[0]}"'
    )
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, cwd=ROOT, check=True, timeout=120
    )
    assert done.stdout.decode().endswith(" 0\n")
    assert (tmp_path / "err").read_text() == ""


def test_the_console_script_and_module_agree(run_wirekit: Run) -> None:
    script = Path(sys.executable).with_name("wirekit")
    if not script.exists():
        pytest.skip("the wirekit console script is not installed beside this Python")
    done = subprocess.run([str(script), "formats"], capture_output=True, check=True, timeout=120)
    assert done.stdout.decode() == run_wirekit("formats")[1]
