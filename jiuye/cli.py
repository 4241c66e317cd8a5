"""The `jiuye` command line. `main()` (the `jiuye` script) starts a well-formed `jiuye calc` without
loading typer (nor pydantic, which typer's parameter handling imports): a calculation's start-up is
the model's, not the command line's (jiuye/cli_calc.py). Every other command, `--help`, and any call
not recognised as well-formed go to the typer app (jiuye/cli_app.py), which parses them as always,
with its usage errors; `jiuye calc` runs the same `run_calc` either way, so the output is the same.
`from jiuye.cli import app` (and the app's other names) still works.

Run as the `jiuye` script (`main()` without arguments), a calculation also skips what a short-lived
process does not need: numpy's BLAS thread pool (`OPENBLAS_NUM_THREADS=1` unless set: jiuye does no
linear algebra), the cyclic garbage collector (the process ends in under a second; its memory is a
few MiB more), and the interpreter's tear-down of the ~300,000 objects of the model (the output is
flushed, then the process exits with `os._exit`). And it is answered by a warm server of the same
code when one is running, else computed here and one started for the next (jiuye/calc_server.py;
`JIUYE_CALC_SERVER=off` turns that off). Called with an argument list (tests, other
Python code), `main` returns or raises SystemExit as any function does.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys


def __getattr__(name: str):
    """The typer app and its commands, loaded when first asked for (`from jiuye.cli import app`)."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(importlib.import_module("jiuye.cli_app"), name)


def main(argv: list[str] | None = None) -> None:
    script = argv is None
    args = sys.argv[1:] if script else list(argv)
    from .runtime import configure
    configure()                                   # before numpy is imported (jiuye/runtime.py)
    if args[:1] == ["calc"]:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")      # read when numpy is first imported
        if script:
            gc.disable()
    from .cli_calc import calc_arguments, echo, run_calc
    try:
        calc = calc_arguments(args[1:]) if args[:1] == ["calc"] else None
        if calc is not None:
            warm = script and _calc_server()
            if warm:
                answered = warm.ask(args[1:])
                if answered is not None:
                    code, out, err = answered
                    sys.stdout.write(out)
                    sys.stderr.write(err)
                    _exit_now(code)
            try:
                run_calc(**calc)
            except SystemExit as done:
                code = done.code
            else:
                code = 0
            if script:
                if warm:
                    _flush()
                    warm.start()               # for the next calculation
                _exit_now(code)
            sys.exit(code)
        app = importlib.import_module("jiuye.cli_app").app
        app(args=argv, standalone_mode=True)           # argv None: click reads sys.argv as before
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:      # the reader stopped (`jiuye calc … | head`): no more output, no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as error:   # a bug, not bad input: one line, no traceback
        echo(f"内部错误 internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(1)


def _calc_server():
    """jiuye.calc_server when it is on (JIUYE_CALC_SERVER), else None."""
    from . import calc_server
    return calc_server if calc_server.enabled() else None


def _flush() -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):        # a closed pipe (`jiuye calc … | head`): nothing more to say
        pass


def _exit_now(code) -> None:
    """End the process at once with `code` (SystemExit's meaning: None 0, a number itself, a message
    printed and 1), the output flushed: the interpreter's tear-down of the model is skipped."""
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    _flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
