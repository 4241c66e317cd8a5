"""The warm calc server (jiuye/calc_server.py): the `jiuye` script's answers through it equal the
in-process ones byte for byte; its socket is the user's only; another code or setting never meets
it; it ends when idle or asked; a dead one is passed over."""

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jiuye import calc_server

from .conftest import example_file

EXAMPLE = str(example_file("xicheng_6_stable_employment.json"))
SCRIPT = "import sys; sys.argv[0] = 'jiuye'; from jiuye.cli import main; main()"   # the `jiuye` script


@pytest.fixture
def env(tmp_path):
    environment = dict(os.environ, JIUYE_CACHE_DIR=str(tmp_path / "cache"), JIUYE_CALC_SERVER="on")
    yield environment
    subprocess.run([sys.executable, "-c", "from jiuye.calc_server import stop; stop()"], env=environment,
                   timeout=60, check=False)


def _jiuye(env, *args, cwd=None):
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=180)
    return done.returncode, done.stdout, done.stderr


def _socket(env) -> Path:
    found = subprocess.run([sys.executable, "-c", "from jiuye.calc_server import socket_path; print(socket_path())"],
                           env=env, capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    return Path(found)


def _wait_for(path: Path, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"no server at {path}"
        time.sleep(0.1)


CASES = [
    ("calc", EXAMPLE, "--on", "2026-11-23"),
    ("calc", EXAMPLE, "--on", "2026-11-23", "--json"),
    ("calc", "xicheng/6"),                          # a clause's example, its date inside
    ("calc", EXAMPLE, "--on", "2026-02-30"),       # exit 2, the field named
    ("calc", "no-such-file.json"),
    ("calc", EXAMPLE, "--on", "2026-11-23", "--measure", "nowhere/1"),
]


def test_answers_through_the_server_equal_the_commands_own(env):
    off = dict(env, JIUYE_CALC_SERVER="off")
    first = _jiuye(env, *CASES[0])                  # computed here; starts the server
    assert first == _jiuye(off, *CASES[0])
    path = _socket(env)
    _wait_for(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for case in CASES:
        assert calc_server_answers(env, case) == _jiuye(off, *case), case


def calc_server_answers(env, case, cwd=None):
    """The script's answer, checked to come from the server (its process does not import numpy)."""
    code = ("import sys; sys.argv[0] = 'jiuye'\nfrom jiuye import cli, calc_server\n"
            "answered = calc_server.ask(sys.argv[1:][1:])\nassert answered is not None, 'no server'\n"
            "assert 'numpy' not in sys.modules\nc, o, e = answered\nsys.stdout.write(o); sys.stderr.write(e); sys.exit(c)")
    done = subprocess.run([sys.executable, "-c", code, *case], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=180)
    return done.returncode, done.stdout, done.stderr


def test_a_relative_situation_is_read_from_the_commands_folder(env, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "case.json").write_text(Path(EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    _jiuye(env, "calc", EXAMPLE, "--on", "2026-11-23")
    _wait_for(_socket(env))
    served = calc_server_answers(env, ("calc", "case.json", "--on", "2026-11-23"), cwd=folder)
    assert served[0] == 0 and served == _jiuye(dict(env, JIUYE_CALC_SERVER="off"), "calc", "case.json", "--on",
                                                "2026-11-23", cwd=folder)
    # from another folder, the same name is not found: the server reads in the command's folder
    code = ("import os, sys\nos.chdir(sys.argv[1])\nfrom jiuye import calc_server\n"
            "c, o, e = calc_server.ask(['case.json', '--on', '2026-11-23'])\nprint(c); print(e)")
    elsewhere = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, text=True,
                               timeout=180).stdout
    assert elsewhere.startswith("2\n") and "case.json" in elsewhere


def test_another_code_or_setting_has_another_socket(tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(tmp_path / "cache"))
    before = calc_server.socket_path()
    monkeypatch.setenv("JIUYE_SHARED_SOMETHING", "x")          # any JIUYE_* setting
    assert calc_server.socket_path() != before
    monkeypatch.delenv("JIUYE_SHARED_SOMETHING")
    assert calc_server.socket_path() == before
    package = tmp_path / "package"
    package.mkdir()
    (package / "rules.py").write_text("A = 1\n")
    monkeypatch.setattr(calc_server, "PACKAGE", package)
    one = calc_server.stamp()
    (package / "rules.py").write_text("A = 2\n")
    os.utime(package / "rules.py", ns=(time.time_ns() + 10 ** 9,) * 2)
    assert calc_server.stamp() != one
    monkeypatch.setenv("JIUYE_CACHE_DIR", "off")
    assert calc_server.socket_path() is None


def test_a_cache_folder_too_deep_for_a_socket_uses_the_users_private_folder(tmp_path, monkeypatch):
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(deep))
    path = calc_server.socket_path()
    assert path is not None and len(os.fsencode(path)) < 100 and not str(path).startswith(str(deep))
    folder = path.parent.stat()
    assert folder.st_uid == os.getuid() and stat.S_IMODE(folder.st_mode) == 0o700
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(deep / "z"))      # another cache folder, another server
    assert calc_server.socket_path() != path


def test_an_idle_server_ends_and_removes_its_socket(tmp_path):
    path = tmp_path / "s.sock"
    started = time.monotonic()
    calc_server.serve(path, idle=0.3)
    assert not path.exists() and not path.with_suffix(".starting").exists()
    assert time.monotonic() - started < 60


def test_a_dead_servers_socket_is_passed_over(tmp_path, monkeypatch):
    import socket
    monkeypatch.setenv("JIUYE_CACHE_DIR", str(tmp_path / "cache"))
    path = calc_server.socket_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.close()                               # the file stays, nobody listens
    assert calc_server.ask(["xicheng/6"]) is None
    assert not path.exists()


def test_off_means_no_server(env):
    off = dict(env, JIUYE_CALC_SERVER="off")
    assert _jiuye(off, *CASES[0])[0] == 0
    time.sleep(1.0)
    assert not _socket(off).exists()
    assert not _socket(off).with_suffix(".starting").exists()
