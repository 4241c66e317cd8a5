"""What the supervision service returns and who is asking (units, viewers, reports, figure rows);
months and the reporting due date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..ledger.errors import InvalidInput
from .models import Unit
from .tasks import Target, month_end

MONTH = re.compile(r"(19|2[01])[0-9]{2}-(0[1-9]|1[0-2])")     # ASCII digits, 1900-01 … 2199-12


def as_month(value, field: str = "period") -> str:
    if isinstance(value, str) and MONTH.fullmatch(value.strip()):
        return value.strip()
    shown = repr(value).encode("utf-8", "replace").decode("utf-8")[:40]
    raise InvalidInput(field, f"月份格式应为YYYY-MM（如2024-05，1900-01至2199-12），而不是{shown}")


def next_month(month: str) -> str:
    first = dt.date.fromisoformat(month + "-01")
    nxt = month_end(first) + dt.timedelta(days=1)
    return nxt.strftime("%Y-%m")


def due_date(month: str) -> dt.date:
    """The day the report of ``month`` is due: the due day (5) of the next month, included."""
    from ..model.system import get_system
    first_next = dt.date.fromisoformat(next_month(month) + "-01")
    parameter = get_system().parameters.beijing.tasks.monthly_report_due_day
    try:
        day = int(parameter(first_next.isoformat()))
    except Exception:                         # before the parameter's first date: its first value
        day = int(parameter.values_list[-1].value)
    return first_next.replace(day=day)


@dataclass(frozen=True)
class UnitInfo:
    id: int
    scope: str
    name: str
    kind: str

    @property
    def is_office(self) -> bool:
        return self.kind == "office"


@dataclass
class Viewer:
    """Who is acting and what they may see: their units and the documents whose office they are in."""
    user_id: int | None
    username: str
    units: list[UnitInfo] = field(default_factory=list)
    offices: set[str] = field(default_factory=set)
    admin: bool = False

    def office_of(self, scope: str) -> bool:
        return self.user_id is None or self.admin or scope in self.offices

    @property
    def unit_ids(self) -> set[int]:
        return {u.id for u in self.units if not u.is_office}

    @property
    def any_office(self) -> bool:
        return self.user_id is None or self.admin or bool(self.offices)


@dataclass(frozen=True)
class FigureRow:
    target: Target
    value: object
    source: str
    source_label: str
    target_value: object
    met: bool | None
    note: str = ""


@dataclass(frozen=True)
class ReportInfo:
    id: int | None
    task_id: str
    unit: UnitInfo
    period: str
    status: str
    status_label: str
    state: str
    state_label: str
    figures: dict
    texts: dict
    submitted_on: dt.date | None
    due: dt.date
    version: int
    comments: tuple = ()
    attachments: tuple = ()
    updated_by: str = ""

    @property
    def editable(self) -> bool:
        return self.state in ("draft", "returned")


def unit_info(unit: Unit) -> UnitInfo:
    return UnitInfo(id=unit.id, scope=unit.scope, name=unit.name, kind=unit.kind)
