"""Tasks as data: every assignment a document makes to units, with its targets as parameters.

Two sources, one shape (``Task``):

* heping 附件1 (重点任务清单和责任分工表): the 68 catalogue records ``heping/附件1/N`` carry a ``task``
  block (``lead_unit``, ``co_units`` in the table's order, ``period``, ``targets``);
* ``jiuye/model/policies/<key>/tasks.yaml``: the assignments of the other documents (beijing, xicheng,
  haidian, binjiang), each quoting its clause.

A target names a parameter (``heping.fj1.t54.job_fairs``, ``beijing.tasks.graduate_employment_rate`` …)
whose value is read from the model's parameters at the period, a comparison (``>=`` 以上/不少于/不低于,
``<=`` 以内/不超过, ``by`` a deadline), what it is counted per (month, year) and where its figure comes
from: ``registry`` (实名制就业帮扶台账), ``ledger`` (经办台账), ``events`` (recorded job fairs),
``reports`` (the reports themselves) or ``entered`` (the unit enters it).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..catalogue import load_catalogue

POLICIES = Path(__file__).resolve().parents[1] / "model" / "policies"
SOURCES = {"registry": "实名制就业帮扶台账", "ledger": "经办台账", "events": "招聘活动记录",
           "reports": "月报记录", "entered": "责任单位填报"}
KINDS = {"count": "数量", "rate": "比率", "deadline": "截止日期", "frequency": "频次", "deadline_day": "报送时限"}
COMPARISONS = {">=": "不少于", "<=": "不超过", "by": "不晚于"}
OFFICE = "区就业工作领导小组办公室"


@dataclass(frozen=True)
class Target:
    parameter: str
    kind: str
    comparison: str
    label: str
    source: str
    quote: str = ""
    per: str | None = None         # month | year | community | None (the task's whole period)
    metric: str | None = None      # registry metric name (source registry)

    @property
    def key(self) -> str:
        return self.parameter.rsplit(".", 1)[-1]

    def value(self, on: dt.date):
        """The target's value at ``on`` (the parameter's value; a deadline as a date); None before it applies."""
        from ..model.system import get_system
        node = get_system().parameters
        for part in self.parameter.split("."):
            node = getattr(node, part)
        try:
            value = node(on.isoformat())
        except Exception:                       # ParameterNotFoundError: not yet in force
            return None
        if self.kind == "deadline" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value

    def met(self, figure, on: dt.date) -> bool | None:
        """Whether ``figure`` meets the target (None: no figure, or no target value at ``on``)."""
        target = self.value(on)
        if figure is None or target is None:
            return None
        if self.comparison == ">=":
            return figure >= target
        if self.comparison == "<=":
            return figure <= target
        if self.comparison == "by":                   # a deadline: the figure is the date it was done
            return figure <= target
        raise ValueError(self.comparison)


@dataclass(frozen=True)
class Task:
    id: str
    document: str
    clause: str
    title: str
    quote: str
    lead_unit: str | None
    co_units: tuple[str, ...]
    period_from: dt.date | None
    period_to: dt.date | None
    reports: str = "monthly"
    targets: tuple[Target, ...] = ()
    links: tuple[str, ...] = ()          # clauses whose executable measures the ledger counts for this task
    number: int | None = None            # heping 附件1: the task's 序号
    receiver: str | None = None
    assessment: str | None = None

    @property
    def units(self) -> tuple[str, ...]:
        return ((self.lead_unit,) if self.lead_unit else ()) + self.co_units

    def runs_in(self, month: str) -> bool:
        """Whether the task runs in the month ``YYYY-MM`` (its period overlaps the month)."""
        first = dt.date.fromisoformat(month + "-01")
        last = month_end(first)
        return (self.period_from is None or self.period_from <= last) and (self.period_to is None or first <= self.period_to)

    def to_dict(self) -> dict:
        return {"id": self.id, "document": self.document, "clause": self.clause, "number": self.number,
                "title": self.title, "quote": self.quote, "lead_unit": self.lead_unit, "co_units": list(self.co_units),
                "period": {"from": _iso(self.period_from), "to": _iso(self.period_to), "reports": self.reports},
                "targets": [dict(t.__dict__) for t in self.targets], "links": list(self.links)}


def _iso(day):
    return day.isoformat() if day else None


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _targets(raw) -> tuple[Target, ...]:
    return tuple(Target(**{k: v for k, v in t.items()}) for t in (raw or ()))


def _task(raw: dict, document: str, *, quote=None, number=None, links=()) -> Task:
    period = raw.get("period") or {}
    return Task(id=raw["id"], document=document, clause=raw["clause"], title=raw["title"],
                quote=quote or raw["quote"], lead_unit=raw.get("lead_unit"), co_units=tuple(raw.get("co_units") or ()),
                period_from=_date(period.get("from")), period_to=_date(period.get("to")),
                reports=period.get("reports", "monthly"), targets=_targets(raw.get("targets")),
                links=tuple(links or raw.get("links") or ()), number=number, receiver=raw.get("receiver"),
                assessment=raw.get("assessment"))


@functools.cache
def all_tasks() -> tuple[Task, ...]:
    """Every task of every document, in the documents' order (heping 附件1 by 序号)."""
    catalogue = load_catalogue()
    out: list[Task] = []
    for key in sorted(catalogue.documents):
        for measure in catalogue.of_document(key):
            if measure.task:
                raw = dict(measure.task, id=measure.id, clause=measure.clause, title=measure.title)
                number = int(measure.id.rsplit("/", 1)[-1]) if measure.id.rsplit("/", 1)[-1].isdigit() else None
                out.append(_task(raw, key, quote=measure.quote, number=number, links=measure.links))
        path = POLICIES / key / "tasks.yaml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            out.extend(_task(raw, key) for raw in data.get("tasks", []))
    return tuple(out)


def task_map() -> dict[str, Task]:
    return {t.id: t for t in all_tasks()}


def get_task(task_id: str) -> Task:
    from ..ledger.errors import NotFound
    found = task_map().get(task_id)
    if found is None:
        raise NotFound("task", task_id)
    return found


def unit_names() -> list[str]:
    """Every unit the documents name, in order of first appearance."""
    seen: dict[str, None] = {}
    for task in all_tasks():
        for unit in task.units:
            seen.setdefault(unit, None)
    seen.setdefault(OFFICE, None)
    return list(seen)
