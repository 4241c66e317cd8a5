"""Where a figure comes from: the registry (实名制就业帮扶台账), the ledger (经办台账), the recorded events,
or the unit (entered). Each figure carries its source, so a report says where every number came from.

The registry interface (issue 13 is built at the same time, in ``jiuye.registry``): this module asks
``jiuye.registry.supervision_figure(metric, *, district, month, database)`` — a function returning the
figure (a number) or ``None`` (尚无数据) — when the package has it at run time; else it reads the
registry's own monthly figures (``jiuye.registry.figures.figures``) for the districts the document
covers. Metrics asked:

* ``graduate_employment_rate`` — 北京生源高校毕业生就业率 (a share, 0–1) at the month's end (beijing/9);
* ``zero_employment_families`` — 零就业家庭 still without an employed member at the month's end (beijing/13).

Without it (or when it answers None) the figure is the one the unit entered in its report, marked
``entered``; with neither, the figure is None and shows as 尚无数据.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..ledger.models import Application, Installment, Payment
from ..money import yuan

REGISTRY_METRICS = {"graduate_employment_rate": "高校毕业生就业率",
                    "zero_employment_families": "零就业家庭（户）"}


@dataclass(frozen=True)
class Figure:
    value: float | str | None
    source: str               # registry | ledger | events | reports | entered | none
    note: str = ""

    @property
    def source_label(self) -> str:
        from .tasks import SOURCES
        return SOURCES.get(self.source, "尚无数据")


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    from .tasks import month_end
    first = dt.date.fromisoformat(month + "-01")
    return first, month_end(first)


def registry_figure(metric: str, *, district: str, month: str, database) -> float | None:
    """The registry's figure, or None: no registry package, no such function, or 尚无数据."""
    try:
        import jiuye.registry as registry
    except ImportError:
        return None
    ask = getattr(registry, "supervision_figure", None)
    try:
        if ask is not None:
            value = ask(metric, district=district, month=month, database=database)
        else:
            value = _from_registry_figures(metric, district, month, database)
    except (ImportError, AttributeError, LookupError, ValueError):
        return None
    return None if value is None else float(value)


def districts_of(scope: str) -> set[str]:
    """The model's district keys a document covers: its own district, or every district of its city
    that a document of the catalogue names (beijing: xicheng, haidian)."""
    from ..catalogue import load_catalogue
    documents = load_catalogue().documents
    where = (documents[scope].jurisdiction or {}) if scope in documents else {}
    if where.get("district"):
        return {where["district"]}
    return {(d.jurisdiction or {}).get("district") for d in documents.values()
            if (d.jurisdiction or {}).get("city") == where.get("city") and (d.jurisdiction or {}).get("district")}


def _from_registry_figures(metric: str, scope: str, month: str, database) -> float | None:
    """The registry's own monthly figures (``jiuye.registry.figures.figures``, counted on the month's
    last day), summed over the districts the document covers; None where the registry holds none of them."""
    from jiuye.registry import Registry
    from jiuye.registry.figures import figures
    from jiuye.registry.models import Area
    with database.read() as s:
        wanted = set(s.scalars(select(Area.id).where(Area.kind == "district",
                                                     Area.district.in_(sorted(districts_of(scope))))))
    if not wanted:
        return None
    rows = [r for r in figures(Registry(database=database, migrate_schema=False), None, month)["rows"]
            if r["area_id"] in wanted]
    if not rows:
        return None
    if metric == "zero_employment_families":
        return float(sum(r["zero_households"] for r in rows))
    if metric == "graduate_employment_rate":
        due = sum(r["graduate_due"] for r in rows)
        return sum(r["graduate_done"] for r in rows) / due if due else None
    return None


def ledger_totals(session, month: str, *, documents: tuple[str, ...] | None = None) -> list[dict]:
    """Per measure (and its document) for the month: claims recorded (submitted in the month), people
    (distinct persons, or beneficiaries where a claim names no person), claims approved, the amount
    approved (installments of those claims that are not cancelled) and the amount paid in the month
    (payments dated in the month, whatever month the claim was recorded in). Yuan as Decimal."""
    first, last = month_bounds(month)
    rows: dict[str, dict] = {}

    def row(measure, document):
        return rows.setdefault(measure, {"measure_id": measure, "document": document, "claims": 0, "people": 0,
                                         "approved": 0, "approved_cents": 0, "paid_cents": 0, "payments": 0})

    in_month = (Application.submitted_on >= first) & (Application.submitted_on <= last)
    if documents:
        in_month = in_month & Application.document.in_(documents)
    person = func.coalesce(Application.person_id, Application.beneficiary_id)
    for measure, document, claims, people in session.execute(
            select(Application.measure_id, Application.document, func.count(), func.count(person.distinct()))
            .where(in_month).group_by(Application.measure_id, Application.document)):
        r = row(measure, document)
        r["claims"], r["people"] = claims, people
    for measure, document, approved in session.execute(
            select(Application.measure_id, Application.document, func.count())
            .where(in_month, Application.status == "approved").group_by(Application.measure_id, Application.document)):
        row(measure, document)["approved"] = approved
    for measure, document, cents in session.execute(
            select(Application.measure_id, Application.document, func.coalesce(func.sum(Installment.amount_cents), 0))
            .join(Installment, Installment.application_id == Application.id)
            .where(in_month, Application.status == "approved", Installment.status != "cancelled")
            .group_by(Application.measure_id, Application.document)):
        row(measure, document)["approved_cents"] = int(cents)
    paid_in = (Payment.paid_on >= first) & (Payment.paid_on <= last)
    query = (select(Application.measure_id, Application.document, func.count(), func.sum(Payment.amount_cents))
             .join(Installment, Installment.id == Payment.installment_id)
             .join(Application, Application.id == Installment.application_id).where(paid_in))
    if documents:
        query = query.where(Application.document.in_(documents))
    for measure, document, count, cents in session.execute(query.group_by(Application.measure_id, Application.document)):
        r = row(measure, document)
        r["payments"], r["paid_cents"] = count, int(cents or 0)
    out = []
    for measure in sorted(rows):
        r = rows[measure]
        out.append(dict(r, approved_amount=yuan(r["approved_cents"]), paid_amount=yuan(r["paid_cents"])))
    return out
