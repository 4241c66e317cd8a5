"""The annual 考核 of streets (xicheng/29: "区就业工作领导小组办公室每年对街道开展年度就业再就业重点工作完成情况的考核"),
computed from what the supervision records hold, with the weights and grade thresholds as parameters
(``xicheng.tasks.assessment``; the text sets neither, so they are flagged unconfirmed and the flag shows
wherever the grade does).

Indicators of a street for a year (each a share, 0–1), over the months of the year whose report was
due on or before the assessment day, for every task assigned to the street and running that month:

* ``reports_on_time`` — reports submitted on or before their due day / reports due;
* ``targets_met`` — measured targets met / targets measured (figures with a verdict);
* ``tasks_on_track`` — submitted reports whose status is 按计划推进 or 已完成 / reports submitted.

An indicator with nothing to count (no measured target, say) is left out and the other weights are
rescaled. Score = 100 × Σ weight × value / Σ weight; the grade is the highest whose threshold the
score reaches (thresholds included: "含本数"), else ``none``.

The grade feeds the xicheng/29 funding measure: ``situation_for`` builds the street's situation with
``xicheng_29_assessment_result`` and ``xicheng_29_assessment_date`` set from the recorded assessment
(the facts the measure reads), instead of a hand-typed grade.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from ..ledger.base import as_date
from ..ledger.errors import Forbidden, InvalidInput, NotFound
from .models import GRADES, Assessment, Report, Unit
from .service import OFFICE, Supervision, Viewer, due_date, unit_info
from .tasks import all_tasks

PARAMETER = "xicheng.tasks.assessment"
INDICATORS = {"reports_on_time": "按时报送月调度", "targets_met": "目标完成", "tasks_on_track": "任务推进"}
GRADE_ORDER = ("outstanding", "excellent", "good")


def parameters(on: dt.date):
    from ..model.system import get_system
    node = get_system().parameters.xicheng.tasks.assessment
    at = node(on.isoformat())
    weights = {k: float(getattr(at.weights, k)) for k in INDICATORS}
    thresholds = {k: float(getattr(at.thresholds, k)) for k in GRADE_ORDER}
    metadata = node.metadata or {}
    return weights, thresholds, bool(metadata.get("unconfirmed")), metadata.get("unconfirmed_reason", "")


def indicators(sup: Supervision, unit_id: int, year: int, on: dt.date) -> dict:
    """The street's indicator values for the year, with their counts."""
    due_total = on_time = measured = met = submitted = on_track = 0
    with sup.db.read() as s:
        unit = s.get(Unit, unit_id)
        assigned = sup.assignments(s)
        reports = {(r.task_id, r.period): r for r in s.scalars(select(Report).where(
            Report.unit_id == unit_id, Report.period.like(f"{year}-%")))}
        for month in range(1, 13):
            period = f"{year}-{month:02d}"
            if due_date(period) > on:
                continue
            for task in all_tasks():
                if task.document != unit.scope or not task.runs_in(period) or task.assessment:
                    continue
                if unit_id not in {u.id for u, _ in assigned.get(task.id, [])}:
                    continue
                due_total += 1
                report = reports.get((task.id, period))
                if report is None or report.state != "submitted":
                    entered = json.loads(report.figures_json) if report else {}
                else:
                    submitted += 1
                    on_time += report.submitted_on is not None and report.submitted_on <= due_date(period)
                    on_track += report.status in ("on_track", "completed")
                    entered = json.loads(report.figures_json)
                for row in sup.figure_rows(s, task, unit_id, period, entered, report.status if report else None):
                    if row.met is not None:
                        measured += 1
                        met += row.met
    values = {"reports_on_time": (on_time, due_total), "targets_met": (met, measured),
              "tasks_on_track": (on_track, submitted)}
    return {k: {"label": INDICATORS[k], "count": n, "of": d, "value": (n / d) if d else None}
            for k, (n, d) in values.items()}


def score_and_grade(values: dict, on: dt.date) -> tuple[float, str, dict]:
    weights, thresholds, unconfirmed, reason = parameters(on)
    used = {k: w for k, w in weights.items() if values[k]["value"] is not None}
    total = sum(used.values())
    score = round(100 * sum(w * values[k]["value"] for k, w in used.items()) / total, 2) if total else 0.0
    grade = next((g for g in GRADE_ORDER if score >= thresholds[g]), "none")
    return score, grade, {"weights": weights, "thresholds": thresholds, "used": sorted(used),
                          "unconfirmed": unconfirmed, "unconfirmed_reason": reason}


def assess(sup: Supervision, actor: int | None, unit_id: int, year: int, *, on: dt.date | str) -> dict:
    """Compute and record the street's grade for ``year`` on ``on`` (the office of its document only)."""
    on = as_date(on, "on")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput("year", f"年度应为四位数字，而不是{year!r}")
    if on <= dt.date(year, 1, 1):
        raise InvalidInput("on", f"{year}年度的考核应在该年度开始之后进行")
    who: Viewer = sup.viewer(actor)
    with sup.db.read() as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise NotFound("unit", unit_id)
        if unit.kind != "unit":
            raise InvalidInput("unit", f"{unit.name}不是被考核的街道")
    if not who.office_of(unit.scope):
        raise Forbidden(f"只有{OFFICE}可以开展年度考核")
    values = indicators(sup, unit_id, year, on)
    score, grade, basis = score_and_grade(values, on)
    with sup._write() as s:
        row = s.scalar(select(Assessment).where(Assessment.unit_id == unit_id, Assessment.year == year))
        if row is None:
            row = Assessment(unit_id=unit_id, year=year)
            s.add(row)
        row.indicators_json = json.dumps({"indicators": values, **basis}, ensure_ascii=False, sort_keys=True)
        row.score, row.grade, row.assessed_on, row.assessed_by = score, grade, on, actor or 0
        s.flush()
        sup._log(s, who, "assess_street", "sup_assessment", row.id, [row],
                 {"unit": unit.name, "year": year, "score": score, "grade": grade})
        return assessment_info(row, unit_info(s.get(Unit, unit_id)))


def assessment_info(row: Assessment, unit) -> dict:
    data = json.loads(row.indicators_json)
    return {"id": row.id, "unit": unit.name, "unit_id": unit.id, "scope": unit.scope, "year": row.year,
            "score": row.score, "grade": row.grade, "grade_label": GRADES[row.grade],
            "assessed_on": row.assessed_on, **data}


def assessments(sup: Supervision, actor: int | None, scope: str = "xicheng", year: int | None = None) -> list[dict]:
    who = sup.viewer(actor)
    with sup.db.read() as s:
        query = select(Assessment, Unit).join(Unit, Unit.id == Assessment.unit_id).where(Unit.scope == scope)
        if year is not None:
            query = query.where(Assessment.year == year)
        out = []
        for row, unit in s.execute(query.order_by(Assessment.year, Unit.name)):
            if who.office_of(scope) or unit.id in who.unit_ids:
                out.append(assessment_info(row, unit_info(unit)))
        return out


def situation_for(assessment: dict, *, requested_amount: float | None = None) -> dict:
    """The street's OpenFisca situation for xicheng/29, its grade and date taken from the recorded
    assessment (the facts ``xicheng_29_assessment_result`` and ``xicheng_29_assessment_date``)."""
    street = {"members": ["contact"], "org_type": "street", "registration_district": "xicheng",
              "xicheng_29_assessment_result": assessment["grade"],
              "xicheng_29_assessment_date": assessment["assessed_on"].isoformat()}
    if requested_amount is not None:
        street["xicheng_29_requested_amount"] = requested_amount
    return {"persons": {"contact": {}}, "organisations": {"street": street}}


def funding(assessment: dict, *, on: dt.date | None = None, requested_amount: float | None = None) -> dict:
    """The xicheng/29 measure's result for the street (``jiuye.explain.calculate``) from its grade."""
    from ..explain import calculate
    situation = situation_for(assessment, requested_amount=requested_amount)
    result = calculate(situation, on=on or assessment["assessed_on"], measures=["xicheng/29"])
    return result
