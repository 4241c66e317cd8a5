"""The CLI: readable and JSON output, and one-line errors naming the field (exit 2)."""

import json
import re

import pytest
from typer.testing import CliRunner

from jiuye.cli import app

from .conftest import example_file

runner = CliRunner()
EXAMPLE = str(example_file("xicheng_6_stable_employment.json"))


def invoke(*args):
    return runner.invoke(app, list(args))


def test_calc_json_shape():
    out = invoke("calc", EXAMPLE, "--on", "2026-11-23", "--json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["on"] == "2026-11-23"
    first = next(r for r in report["results"] if r["measure"] == "xicheng/6/employer")
    for key in ("measure", "clause", "beneficiary", "status", "amount_to_date", "installments",
                "conditions", "parameters", "missing"):
        assert key in first
    assert first["installments"][0] == {"due": "2025-03-14", "amount": 6000.0, "ceiling": False}


def test_calc_readable_chinese():
    out = invoke("calc", EXAMPLE, "--on", "2026-11-23")
    assert out.exit_code == 0, out.output
    assert "岗位补贴" in out.stdout and "截至评估日应得：15,000元" in out.stdout
    assert "本区户籍（签订劳动合同之日）（xicheng/6）" in out.stdout


def write(tmp_path, situation) -> str:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(situation) if not isinstance(situation, str) else situation, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("situation, field", [
    ({"persons": {"p": {"salary": 1}}}, "persons.p.salary"),
    ({"persons": {"p": {"monthly_wage": "abc"}}}, "persons.p.monthly_wage"),
    ({"persons": {"p": {"birth_date": "1990-02-30"}}}, "persons.p.birth_date"),
    ({"persons": {"p": {"hukou_district": "atlantis"}}}, "persons.p.hukou_district"),
    ({"persons": {"p": {}}, "households": {}}, "households"),
    ({"persons": {}}, "persons"),
    ({"persons": {"p": {}}, "organisations": {"o": {"employees": ["nobody"]}}}, "organisations.o.employees"),
    ("{not json", "SITUATION"),
])
def test_bad_situations_exit_2_naming_the_field(tmp_path, situation, field):
    out = invoke("calc", write(tmp_path, situation), "--on", "2026-11-23")
    assert out.exit_code == 2
    message = out.stderr if hasattr(out, "stderr") else out.output
    assert field in message
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1


@pytest.mark.parametrize("args, field", [
    (("calc", EXAMPLE, "--on", "2026-02-30"), "--on"),
    (("calc", EXAMPLE, "--on", "23/11/2026"), "--on"),
    (("calc", EXAMPLE, "--on", "2026-11-23", "--measure", "xicheng/99"), "--measure"),
    (("calc", "/nonexistent.json", "--on", "2026-11-23"), "SITUATION"),
    (("explain", "xicheng/99"), "MEASURE_ID"),
    (("measures", "--document", "nowhere"), "--document"),
])
def test_bad_arguments_exit_2_naming_the_field(args, field):
    out = invoke(*args)
    assert out.exit_code == 2
    assert field in out.stderr
    assert "Traceback" not in out.output


def test_measures_json_covers_every_xicheng_clause():
    out = invoke("measures", "--json")
    assert out.exit_code == 0
    rows = json.loads(out.stdout)
    for row in rows:
        assert set(("id", "clause", "document", "title", "quote", "beneficiary", "kind", "executable",
                    "valid_from", "valid_to")) <= set(row)
    clauses = {r["clause"] for r in rows if r["document"] == "xicheng"}
    assert {f"xicheng/{n}" for n in range(1, 31)} <= clauses


def test_explain_shows_clause_conditions_and_interpretation():
    out = invoke("explain", "xicheng/6/employer")
    assert out.exit_code == 0, out.output
    assert "每满一年" in out.stdout and "本区户籍" in out.stdout and "解读" in out.stdout


@pytest.mark.parametrize("args", [
    ("calc", EXAMPLE, "--on", "2026-11-23"),
    ("calc", "--json", "--on=2026-11-23", EXAMPLE, "--measure", "xicheng/6/person"),
    ("calc", EXAMPLE, "--document", "xicheng", "--on", "2026-11-23"),
    ("calc", EXAMPLE, "--on", "2026-02-30"),
    ("calc", EXAMPLE, "--document", "nowhere"),
    ("calc", EXAMPLE, "--on"),            # not well-formed: typer's usage error
    ("calc", EXAMPLE, "--bogus"),
])
def test_the_jiuye_script_answers_calc_as_the_typer_app_does(args, capsys, monkeypatch):
    """`jiuye` (jiuye.cli:main) starts a well-formed calc without typer: the same output, errors
    and exit code as the typer app's."""
    from jiuye.cli import main
    monkeypatch.setattr("sys.argv", ["root"])      # the program name typer's test runner shows
    with pytest.raises(SystemExit) as stopped:
        main(list(args))
    script = capsys.readouterr()
    typer_app = invoke(*args)
    assert stopped.value.code == typer_app.exit_code
    assert script.out == typer_app.stdout
    assert _without_program(script.err) == _without_program(typer_app.stderr)


def _without_program(text: str) -> str:
    """A usage error without the program name its usage line starts with: click names the running
    program, `root` under `pytest` but `python -m pytest.root` under `python -m pytest` (from the
    `__main__` module), which is how the tests were started, not what the user reads."""
    return re.sub(r"^(Usage: |Try ')(.+?) calc\b", r"\1<program> calc", text, flags=re.M)


def test_jiuye_calc_does_not_load_typer():
    import subprocess
    import sys
    code = ("import sys; from jiuye.cli import main\n"
            "try:\n    main(['calc', sys.argv[1], '--on', '2026-11-23', '--json'])\n"
            "except SystemExit as stop:\n    assert stop.code == 0, stop.code\n"
            "print(sorted(m for m in ('typer', 'pydantic', 'click') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, EXAMPLE], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


SCRIPT = "import sys; sys.argv[0] = 'jiuye'; from jiuye.cli import main; main()"   # the `jiuye` script


def _script(*args):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=120)


def test_the_script_ends_a_calculation_at_once_with_its_whole_output():
    """Run as the script, calc leaves through os._exit (no interpreter tear-down): the output is
    still complete and flushed, the exit code is calc's own (0; 2 with the field named)."""
    done = _script("calc", EXAMPLE, "--on", "2026-11-23", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(invoke("calc", EXAMPLE, "--on", "2026-11-23", "--json").stdout)
    bad = _script("calc", EXAMPLE, "--on", "2026-02-30")
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert "--on" in bad.stderr and "日期" in bad.stderr and "Traceback" not in bad.stderr


def test_a_reader_that_stops_early_is_not_an_error():
    """`jiuye calc … | head -1`: the closed pipe ends the command quietly, not as 内部错误."""
    import subprocess
    import sys
    done = subprocess.run(f"'{sys.executable}' -c \"{SCRIPT}\" calc '{EXAMPLE}' --on 2026-11-23 | head -c 1 >/dev/null",
                          shell=True, capture_output=True, text=True, timeout=120,
                          executable="/bin/bash")
    assert "内部错误" not in done.stderr and "Traceback" not in done.stderr, done.stderr
