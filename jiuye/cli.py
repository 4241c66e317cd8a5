"""The `jiuye` command line. `main()` (the `jiuye` script) starts a well-formed `jiuye calc` without
loading typer (nor pydantic, which typer's parameter handling imports): a calculation's start-up is
the model's, not the command line's (jiuye/cli_calc.py). Every other command, `--help`, and any call
not recognised as well-formed go to the typer app (jiuye/cli_app.py), which parses them as always,
with its usage errors; `jiuye calc` runs the same `run_calc` either way, so the output is the same.
`from jiuye.cli import app` (and the app's other names) still works.
"""

from __future__ import annotations

import importlib
import sys

from .cli_calc import calc_arguments, echo, run_calc


def __getattr__(name: str):
    """The typer app and its commands, loaded when first asked for (`from jiuye.cli import app`)."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(importlib.import_module("jiuye.cli_app"), name)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        calc = calc_arguments(args[1:]) if args[:1] == ["calc"] else None
        if calc is not None:
            run_calc(**calc)
            sys.exit(0)
        app = importlib.import_module("jiuye.cli_app").app
        app(args=argv, standalone_mode=True)           # argv None: click reads sys.argv as before
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:   # a bug, not bad input: one line, no traceback
        echo(f"内部错误 internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
