"""A warm `jiuye calc`: the model kept loaded in a background process of the user's, so that a
calculation after the first does not pay the start-up (importing numpy and openfisca-core, building
the system of ~1,500 variables: about 0.5 s of a 0.6 s command) again.

How it works:

* The `jiuye` script, for a well-formed `calc`, first asks the server of this code (`ask`): a Unix
  socket in the cache folder (`jiuye.cache.cache_dir`; the user's 0700 folder of the temporary
  directory when that path is too long for a socket), named by a stamp of everything the answer
  depends on — every source file of the package and of the policy documents (path, size,
  modification time), the Python interpreter, openfisca-core's version and the `JIUYE_*`,
  `PYTHONPATH`, `TZ`, `HOME` and `XDG_CACHE_HOME` settings. A changed clause, document or setting
  gives another name, so a server never answers for other code; the old one ends when idle.
* No server: the command computes in its own process as always, prints, and then starts one in the
  background (`start`): a new session, no terminal, output to /dev/null. It ends after
  `IDLE_SECONDS` without a request, and removes its socket.
* The server runs each request as the command would (`jiuye.cli_calc.run_calc`, in the client's
  working folder), one at a time, and returns the exit code and both outputs: the output is the same
  byte for byte (tests/test_calc_server.py).
* The socket is the user's only (mode 0600, created under umask 0177, then renamed into place);
  nothing sent is kept or logged. Any failure to reach or understand a server falls back to the
  in-process calculation.

`JIUYE_CALC_SERVER=off` turns it off (the test suite does, but for the tests of this module).
`python -m jiuye.calc_server SOCKET` is the server process itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import struct
import sys
import time
from pathlib import Path

IDLE_SECONDS = 600.0                 # a server with no request for this long ends
CONNECT_TIMEOUT = 0.5                # seconds to reach a server that is there
ANSWER_TIMEOUT = 600.0               # seconds one calculation may take before the client gives up
MAX_MESSAGE = 256 * 1024 * 1024      # bytes of one request or answer
SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".md", ".txt")
ENVIRONMENT = ("PYTHONPATH", "TZ", "HOME", "XDG_CACHE_HOME")   # besides every JIUYE_* variable
PACKAGE = Path(__file__).resolve().parent


def enabled() -> bool:
    return os.environ.get("JIUYE_CALC_SERVER", "on").lower() not in ("off", "0", "no", "false")


def _stamp_folder(digest, folder: Path) -> None:
    for root, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__" and not d.startswith("."))
        for name in sorted(names):
            if name.endswith(SOURCE_SUFFIXES):
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())


def stamp() -> str:
    """What an answer depends on, as a short hash (see the module's docstring)."""
    from .assess.dependencies import engine_version
    interpreter = f"{sys.prefix}\0{os.path.realpath(sys.executable)}\0{sys.version}"    # python / python3 alike
    digest = hashlib.sha256(f"{interpreter}\0{engine_version()}\0{os.getuid()}\n".encode())
    for key in sorted(os.environ):
        if key.startswith("JIUYE_") or key in ENVIRONMENT:
            digest.update(f"{key}={os.environ[key]}\n".encode())
    _stamp_folder(digest, PACKAGE)
    shared = Path(os.environ.get("JIUYE_SHARED") or PACKAGE.parents[1] / "shared")   # as jiuye.catalogue.shared_dir
    _stamp_folder(digest, shared)
    return digest.hexdigest()[:20]


def socket_path() -> Path | None:
    """This code's server socket (None without a cache folder): in the cache folder, or, when that
    path is too long for a Unix socket (~100 bytes), in the user's own folder of the temporary
    directory (`jiuye-<uid>`, mode 0700; the stamp names the cache folder's setting too)."""
    from .cache import cache_dir
    folder = cache_dir()
    if folder is None:
        return None
    name = f"calc-{stamp()}.sock"
    if len(os.fsencode(folder / name)) < 100:
        return folder / name
    import tempfile
    private = Path(tempfile.gettempdir()) / f"jiuye-{os.getuid()}"
    try:
        private.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(private)
    except OSError:
        return None
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077 or not stat.S_ISDIR(info.st_mode):
        return None                                # not ours alone: no server
    path = private / name
    return path if len(os.fsencode(path)) < 100 else None


# -- messages: a 4-byte length, then UTF-8 JSON -------------------------------------------------------
def _send(connection: socket.socket, message: dict) -> None:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    connection.sendall(struct.pack(">I", len(data)) + data)


def _receive_exactly(connection: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = connection.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(connection: socket.socket) -> dict:
    (size,) = struct.unpack(">I", _receive_exactly(connection, 4))
    if size > MAX_MESSAGE:
        raise ValueError("message too large")
    message = json.loads(_receive_exactly(connection, size).decode("utf-8"))
    if not isinstance(message, dict):
        raise ValueError("not a message")
    return message


# -- the client ---------------------------------------------------------------------------------------
def ask(args: list[str]) -> tuple[int, str, str] | None:
    """`jiuye calc ARGS` answered by this code's server: (exit code, stdout, stderr), or None when
    there is none (or it failed: the caller computes in its own process)."""
    path = socket_path()
    if path is None or not path.exists():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(CONNECT_TIMEOUT)
        try:
            connection.connect(str(path))
        except ConnectionRefusedError:            # a server that died: its socket is left over
            path.unlink(missing_ok=True)
            return None
        connection.settimeout(ANSWER_TIMEOUT)
        _send(connection, {"args": list(args), "cwd": os.getcwd()})
        answer = _receive(connection)
        code, out, err = answer["code"], answer["out"], answer["err"]
        if not isinstance(code, int) or not isinstance(out, str) or not isinstance(err, str):
            return None
        return code, out, err
    except (OSError, ValueError, KeyError):
        return None
    finally:
        connection.close()


def start() -> None:
    """Start this code's server in the background unless one is there or starting (never raises:
    a server is only a shortcut)."""
    import subprocess
    try:
        path = socket_path()
        if path is None or path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        starting = path.with_suffix(".starting")
        try:
            if time.time() - starting.stat().st_mtime < 120:     # another command is starting it
                return
            starting.unlink(missing_ok=True)
        except FileNotFoundError:
            pass
        try:
            os.close(os.open(starting, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return
        subprocess.Popen([sys.executable, "-m", "jiuye.calc_server", str(path)], cwd="/",
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    except Exception:                              # noqa: BLE001 — the command's own answer is already out
        pass


# -- the server ---------------------------------------------------------------------------------------
def answer(args: list[str], cwd: str) -> dict:
    """One request, as the `jiuye` script would run it in `cwd`: exit code and both outputs."""
    import contextlib
    import io
    from .cli_calc import calc_arguments, run_calc
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            os.chdir(cwd)
            calc = calc_arguments(list(args))
            if calc is None:
                raise ValueError("not a well-formed calc")
            run_calc(**calc)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            if done.code is not None and not isinstance(done.code, int):
                err.write(f"{done.code}\n")
        except Exception as error:                 # noqa: BLE001 — as jiuye.cli.main reports a bug
            err.write(f"内部错误 internal error: {type(error).__name__}: {error}\n")
            code = 1
        finally:
            os.chdir("/")
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def serve(path: Path, idle: float = IDLE_SECONDS) -> None:
    """Load the model, listen on `path` (atomically: bound under another name, then renamed), answer
    requests one at a time, end after `idle` seconds without one."""
    starting = path.with_suffix(".starting")
    try:
        from .assess.dependencies import dependencies
        from .catalogue import load_catalogue
        from .model.system import get_system
        load_catalogue()
        dependencies(get_system())
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.unlink(missing_ok=True)
        mask = os.umask(0o177)
        try:
            listener.bind(str(temporary))
        finally:
            os.umask(mask)
        os.chmod(temporary, 0o600)
        listener.listen(8)
        os.replace(temporary, path)
        own = os.stat(path).st_ino
    finally:
        starting.unlink(missing_ok=True)
    listener.settimeout(idle)
    try:
        while True:
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                break
            with connection:
                try:
                    connection.settimeout(ANSWER_TIMEOUT)
                    request = _receive(connection)
                    if request.get("stop"):
                        break
                    _send(connection, answer(request["args"], request["cwd"]))
                except (OSError, ValueError, KeyError, TypeError):
                    continue
    finally:
        try:                                         # only our own socket (a newer one may have replaced it)
            if os.stat(path).st_ino == own:
                path.unlink()
        except OSError:
            pass
        listener.close()


def stop(path: Path | None = None) -> bool:
    """Ask this code's server (or the one at `path`) to end; True when one was there."""
    path = path or socket_path()
    if path is None or not path.exists():
        return False
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(CONNECT_TIMEOUT)
        connection.connect(str(path))
        _send(connection, {"stop": True})
        return True
    except OSError:
        return False
    finally:
        connection.close()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
