"""督办与调度 API under /api/v1/supervision (bearer tokens of the ledger's users, made on /ledger/tokens).

* ``GET /tasks`` — the tasks the caller may see, with their units (lead first) and targets;
* ``GET /board?month=YYYY-MM`` — one row per task and unit: report, figures against targets (with
  their source), flags (overdue, late, returned, missed); filters ``unit``, ``status``, ``document``;
* ``PUT /reports`` — save or submit the caller's unit's report on a task for a month;
* ``POST /reports/{id}/comments`` — the office comments on or returns a report;
* ``GET /monthly?month=&document=`` — the monthly report (月调度) as JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from ...supervision import Supervision
from ..deps import ApiUser, get_ledger
from ..problems import documented

router = APIRouter(prefix="/api/v1/supervision", tags=["督办与调度 supervision"],
                   responses=documented(400, 401, 403, 404, 409, 413, 422))


def get_supervision(request: Request) -> Supervision:
    """The app's Supervision on its Ledger (opened on first use)."""
    state = request.app.state
    if getattr(state, "supervision", None) is None:
        state.supervision = Supervision(get_ledger(request))
    return state.supervision


SupDep = Annotated[Supervision, Depends(get_supervision)]


class ReportBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    task: str = Field(max_length=120, description="任务编号，如 heping/附件1/54")
    period: str = Field(max_length=7, description="月份 YYYY-MM")
    status: str = Field(max_length=16, description="not_started | on_track | delayed | completed")
    unit_id: int | None = Field(None, description="填报单位（本人属多个单位时）")
    figures: dict[str, float | str] = Field(default_factory=dict, max_length=20, description="目标名 → 数值")
    progress: str = Field("", max_length=4000)
    effects: str = Field("", max_length=4000)
    difficulties: str = Field("", max_length=4000)
    next_steps: str = Field("", max_length=4000)
    suggestions: str = Field("", max_length=4000)
    submit: bool = False
    on: dt.date | None = Field(None, description="报送日期（默认今天）")


class CommentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=2000)
    return_report: bool = False


def _figure(f) -> dict[str, Any]:
    return {"parameter": f.target.parameter, "label": f.target.label, "value": f.value, "source": f.source,
            "source_label": f.source_label, "target": f.target_value, "comparison": f.target.comparison, "met": f.met,
            "note": f.note}


def _report(r) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"id": r.id, "task": r.task_id, "unit": r.unit.name, "unit_id": r.unit.id, "period": r.period,
            "status": r.status, "state": r.state, "figures": r.figures, "texts": r.texts,
            "submitted_on": r.submitted_on, "due": r.due, "version": r.version, "comments": list(r.comments),
            "attachments": list(r.attachments)}


@router.get("/tasks", summary="任务（本人可见）")
def tasks(user: ApiUser, sup: SupDep, unit: str | None = None, document: str | None = None,
          month: str | None = None) -> list[dict]:
    return [dict(task.to_dict(), assigned=[{"unit": u.name, "unit_id": u.id, "role": role} for u, role in units])
            for task, units in sup.visible_tasks(user.id, unit=unit, document=document, month=month)]


@router.get("/board", summary="任务进展与提示（逾期、未达目标）")
def board(user: ApiUser, sup: SupDep, month: str, unit: str | None = None, status: str | None = None,
          document: str | None = None, today: dt.date | None = None) -> list[dict]:
    rows = sup.board(user.id, month, today=today or dt.date.today(), unit=unit, status=status, document=document)
    return [{"task": r["task"].id, "title": r["task"].title, "unit": r["unit"].name, "unit_id": r["unit"].id,
             "role": r["role"], "due": r["due"], "flags": r["flags"], "report": _report(r["report"]),
             "figures": [_figure(f) for f in r["figures"]]} for r in rows]


@router.put("/reports", summary="保存或报送本单位月报")
def save_report(body: ReportBody, user: ApiUser, sup: SupDep) -> dict:
    saved = sup.save_report(user.id, body.task, body.period, unit_id=body.unit_id, status=body.status,
                            figures=body.figures, on=body.on or dt.date.today(), submit=body.submit,
                            progress=body.progress, effects=body.effects, difficulties=body.difficulties,
                            next_steps=body.next_steps, suggestions=body.suggestions)
    return _report(saved)


@router.post("/reports/{report_id}/comments", summary="批注或退回月报（领导小组办公室）")
def comment(report_id: int, body: CommentBody, user: ApiUser, sup: SupDep) -> dict:
    return _report(sup.comment(user.id, report_id, body.text, return_report=body.return_report))


@router.get("/monthly", summary="月调度报告（JSON）")
def monthly(user: ApiUser, sup: SupDep, month: str, document: str = "heping", today: dt.date | None = None) -> dict:
    from ...supervision.report import monthly as build
    return build(sup, user.id, document, month, today=today or dt.date.today())
