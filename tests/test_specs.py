"""``wirekit specs``: the pins, and fetching them from a mirror served on 127.0.0.1.

The mirror is a copy, made at test time in ``tmp_path``, of the specifications the ``specs``
fixture found (laid out as an installed folder is). Every failure (a hash mismatch, a 404, a
server killed mid-download, no server at all, a read-only cache folder) must be one line, and
must leave no file behind: neither a partial one nor a temporary one.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from wirekit import specs as specs_module
from wirekit.errors import UsageError
from wirekit.specs import SPECS, FetchError, fetch

NEWSML = specs_module.spec("newsml-g2")


class Mirror:
    """A folder served over HTTP on 127.0.0.1, counting the requests it answers."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[str] = []
        mirror = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self) -> None:
                mirror.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def copy_specs(specs: Path, target: Path) -> Path:
    """An installed-folder layout of every pinned file, copied from the fixture's folder."""
    for spec in SPECS:
        source = spec.file(specs)
        destination = spec.file(target)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    return target


@pytest.fixture()
def mirror(specs: Path, tmp_path: Path) -> Iterator[Mirror]:
    served = Mirror(copy_specs(specs, tmp_path / "mirror"))
    yield served
    served.close()


def leftovers(root: Path) -> list[Path]:
    """Every file under ``root`` that is not an installed, pinned file."""
    pinned = {spec.file(root) for spec in SPECS}
    return sorted(p for p in root.rglob("*") if p.is_file() and p not in pinned)


def run(*args: str, env: dict[str, str], unprivileged: bool = False) -> tuple[int, str, str]:
    """``wirekit ARGS`` in a child process; ``unprivileged``: root without the capabilities
    that let it ignore permission bits (``capsh``), so a read-only folder is read-only to it."""
    command = [sys.executable, "-m", "wirekit", *args]
    if unprivileged and os.geteuid() == 0:
        if shutil.which("capsh") is None:
            pytest.skip("running as root, and no capsh to drop the capability to ignore modes")
        drop = "--drop=cap_dac_override,cap_dac_read_search"
        command = ["capsh", drop, "--", "-c", shlex.join(command)]
    done = subprocess.run(
        command,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


# --- the pins --------------------------------------------------------------------------------


def test_the_pins_cover_the_issue_and_name_official_https_urls() -> None:
    names = {spec.name for spec in SPECS}
    assert {"newsml-g2", "xml-xsd", "nitf", "ninjs-3.1", "ninjs-3.0", "ninjs-2.2"} <= names
    assert {"geojson", "schemaorg-context", "mediatopic", "genre"} <= names
    assert len(names) == len(SPECS)
    assert len({spec.path for spec in SPECS}) == len(SPECS)
    for spec in SPECS:
        assert spec.url.startswith("https://"), spec.name
        assert len(spec.sha256) == 64 and int(spec.sha256, 16) >= 0, spec.name
        assert spec.used_by and spec.purpose and spec.licence, spec.name


def test_the_installed_files_hash_to_their_pins(specs: Path) -> None:
    assert {spec.name: specs_module.state(spec, specs) for spec in SPECS} == {
        spec.name: "installed" for spec in SPECS
    }


def test_the_lookup_is_option_then_environment_then_config_then_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wirekit.config import Config

    config = Config(specs=tmp_path / "cfg")
    monkeypatch.setenv("WIREKIT_SPECS", str(tmp_path / "env"))
    assert specs_module.folder(config, tmp_path / "opt") == tmp_path / "opt"
    assert specs_module.folder(config) == tmp_path / "env"
    monkeypatch.delenv("WIREKIT_SPECS")
    assert specs_module.folder(config) == tmp_path / "cfg"
    assert specs_module.folder().parts[-2:] == ("wirekit", "specs")  # the user's cache


def test_the_repository_config_keeps_them_in_the_checkout() -> None:
    from wirekit.config import load

    assert load(ROOT / "wirekit.toml").specs == ROOT / ".cache" / "specs"


def test_an_unknown_name_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match=re.escape("did you mean 'ninjs-3.1'")):
        list(fetch(["ninjs-3.2"], mirror="/nowhere", root=Path("/nowhere")))


# --- fetching ---------------------------------------------------------------------------------


def test_fetch_installs_every_file_from_a_mirror_url(mirror: Mirror, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    seen: list[tuple[str, int, int | None]] = []
    done = list(
        fetch(mirror=mirror.url, root=root, progress=lambda s, n, t: seen.append((s.name, n, t)))
    )
    assert [(d.spec.name, d.action) for d in done] == [(s.name, "installed") for s in SPECS]
    assert all(specs_module.state(spec, root) == "installed" for spec in SPECS)
    assert leftovers(root) == []
    last = {name: (count, total) for name, count, total in seen}
    assert all(count == total for count, total in last.values())  # the bar reached its end


def test_an_installed_file_is_not_fetched_again(mirror: Mirror, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    list(fetch(["newsml-g2"], mirror=mirror.url, root=root))
    asked = len(mirror.requests)
    [again] = fetch(["newsml-g2"], mirror=mirror.url, root=root)
    assert again.action == "already installed"
    assert len(mirror.requests) == asked


def test_a_changed_installed_file_is_replaced(mirror: Mirror, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    target = NEWSML.file(root)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"<not the schema/>")
    assert specs_module.state(NEWSML, root) == "changed"
    [done] = fetch(["newsml-g2"], mirror=mirror.url, root=root)
    assert done.action == "installed"
    assert specs_module.state(NEWSML, root) == "installed"


def test_a_hash_mismatch_installs_nothing(mirror: Mirror, tmp_path: Path) -> None:
    served = NEWSML.file(mirror.folder)
    served.write_bytes(served.read_bytes() + b"\n")
    root = tmp_path / "cache"
    with pytest.raises(FetchError, match=r"newsml-g2: sha256 mismatch .* nothing installed") as err:
        list(fetch(["newsml-g2"], mirror=mirror.url, root=root))
    assert "\n" not in str(err.value)
    assert leftovers(root) == [] and not any(root.rglob("*.xsd"))


def test_a_404_is_one_line_and_installs_nothing(mirror: Mirror, tmp_path: Path) -> None:
    NEWSML.file(mirror.folder).unlink()
    root = tmp_path / "cache"
    code, _, err = run(
        "specs", "fetch", "newsml-g2", "--from", mirror.url, env={"WIREKIT_SPECS": str(root)}
    )
    assert code == 1
    assert err == (
        f"wirekit: error: newsml-g2: HTTP 404 File not found from {mirror.url}{NEWSML.path}\n"
    )
    assert leftovers(root) == [] and not any(root.rglob("*.xsd"))


def test_a_vocabulary_is_found_beside_the_mirror(specs: Path, tmp_path: Path) -> None:
    """The layout of ../shared: vocab/ beside specs/, not inside it."""
    site = tmp_path / "site"
    copy_specs(specs, site / "specs")
    shutil.move(site / "specs" / "vocab", site / "vocab")
    served = Mirror(site)
    try:
        root = tmp_path / "cache"
        [done] = fetch(["genre"], mirror=served.url + "specs/", root=root)
        assert done.source == f"{served.url}vocab/genre-cptall-en-GB.json"
        assert served.requests == [
            "/specs/vocab/genre-cptall-en-GB.json",
            "/vocab/genre-cptall-en-GB.json",
        ]
        [done] = fetch(["mediatopic"], mirror=str(site / "specs"), root=root)  # a folder too
        assert specs_module.state(done.spec, root) == "installed"
    finally:
        served.close()


_DYING_SERVER = """
import http.server, os, signal, sys
data = open(sys.argv[1], "rb").read()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        os.kill(os.getpid(), signal.SIGKILL)  # killed mid-download
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def test_a_server_killed_mid_download_leaves_nothing(specs: Path, tmp_path: Path) -> None:
    source = NEWSML.file(specs)
    server = subprocess.Popen(
        [sys.executable, "-c", _DYING_SERVER, str(source)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        root = tmp_path / "cache"
        with pytest.raises(FetchError, match=r"newsml-g2: the download from .* broke off after"):
            list(fetch(["newsml-g2"], mirror=f"http://127.0.0.1:{port}/", root=root))
        assert server.wait(timeout=30) == -9  # it really was killed
        assert leftovers(root) == [] and not any(root.rglob("*.xsd"))
    finally:
        server.kill()
        server.wait()


def test_no_server_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = tmp_path / "cache"
    code, _, err = run(
        "specs",
        "fetch",
        "geojson",
        "--from",
        f"http://127.0.0.1:{port}/",
        env={"WIREKIT_SPECS": str(root)},
    )
    assert code == 1
    assert err.startswith(f"wirekit: error: geojson: cannot reach http://127.0.0.1:{port}/")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not root.exists() or leftovers(root) == []


def test_a_derived_table_comes_only_from_a_mirror(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"mediatopic: derived from .* use --from DIR\|URL"):
        list(fetch(["mediatopic"], root=tmp_path))


def test_only_http_mirrors_are_accepted(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="only http:// and https://"):
        list(fetch(["geojson"], mirror=f"file://{tmp_path}/", root=tmp_path / "cache"))


def test_a_read_only_cache_folder_is_one_line(mirror: Mirror, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.mkdir()
    root.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, out, err = run(
            "specs",
            "fetch",
            "geojson",
            "--from",
            mirror.url,
            env={"WIREKIT_SPECS": str(root)},
            unprivileged=True,
        )
    finally:
        root.chmod(stat.S_IRWXU)
    assert code == 1, out + err
    assert err.startswith("wirekit: error: geojson: cannot write ")
    assert err.endswith(": Permission denied\n") and err.count("\n") == 1
    assert list(root.rglob("*")) == []


# --- the commands -----------------------------------------------------------------------------


def test_the_cli_fetches_lists_and_says_where(mirror: Mirror, tmp_path: Path) -> None:
    env = {"WIREKIT_SPECS": str(tmp_path / "cache")}
    code, out, err = run("specs", "list", "--json", env=env)
    assert code == 0
    assert {row["state"] for row in json.loads(out)} == {"missing"}
    code, out, err = run("specs", "fetch", "--from", mirror.url, env=env)
    assert code == 0, err
    assert out.splitlines()[-1] == f"{len(SPECS)} installed into {tmp_path / 'cache'}"
    code, out, err = run("specs", "fetch", "--from", mirror.url, env=env)
    assert out.splitlines()[-1] == f"0 installed into {tmp_path / 'cache'}"
    code, out, err = run("specs", "list", env=env)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"specifications folder: {tmp_path / 'cache'}"
    assert NEWSML.sha256 in out and NEWSML.url in out
    code, out, err = run("specs", "path", "newsml-g2", env=env)
    assert out == f"{tmp_path / 'cache' / 'newsml-g2' / 'NewsML-G2_2.35-spec-All-Power.xsd'}\n"
    code, out, err = run("specs", "fetch", "nope", env=env)
    assert code == 2 and "unknown specification 'nope'" in err
    # --specs, as for check and validate, wins over the environment in every specs command
    given = tmp_path / "given"
    code, out, err = run(
        "specs", "fetch", "newsml-g2", "--from", mirror.url, "--specs", str(given), env=env
    )
    assert code == 0 and out.splitlines()[-1] == f"1 installed into {given}", err
    assert run("specs", "path", "--specs", str(given), env=env)[1] == f"{given}\n"
    listed = json.loads(run("specs", "list", "--json", "--specs", str(given), env=env)[1])
    assert {row["name"] for row in listed if row["state"] == "installed"} == {"newsml-g2"}
    code, out, err = run("specs", "fetch", "--bogus", env=env)
    assert code == 2 and err.endswith("(see 'wirekit specs fetch --help')\n")


def test_validate_finds_the_specs_by_the_lookup_or_says_how_to_fetch_them(
    specs: Path, tmp_path: Path
) -> None:
    items = sorted(str(p) for p in (ROOT / "dist" / "articles").glob("*/newsml-g2.xml"))
    assert items
    code, out, err = run("validate", *items, env={"WIREKIT_SPECS": str(specs)})
    assert (code, err) == (0, "")
    assert out.count(": valid\n") == len(items)
    code, out, err = run("validate", items[0], env={"WIREKIT_SPECS": str(tmp_path / "none")})
    assert code == 1
    hint = 'run "wirekit specs fetch" to check NewsML-G2 against its XSD'
    assert (
        err.splitlines()[0]
        == f"wirekit: {items[0]}: {hint} (no {NEWSML.path} in {tmp_path / 'none'})"
    )
