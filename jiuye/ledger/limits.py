"""Limits across claims (the catalogue records' ``limits:`` and stacking groups: jiuye/ledger/rules.py): caps per
period, once-only measures, and stacking (只能享受其中一项 / 按最高额度享受一项). Checked early at
submission against claims already approved, and again at approval under row locks, where caps
reduce the amounts of installments and a higher stacking claim replaces lower ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalogue import Measure
from ..money import display_cents, plain_cents
from .base import LedgerBase, catalogue
from .errors import Refused
from .models import Applicant, Application, Installment


@dataclass
class Plan:
    """What an approval will write: amounts per installment id, notes, superseded claims."""

    amounts: dict[int, int] = field(default_factory=dict)
    notes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    superseded: list[Application] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=lambda: {"caps": [], "stacking": [], "once_only": []})


@dataclass(frozen=True)
class Scope:
    """Whose claims a cross-claim rule compares: the claim itself (None before it is written)."""

    app_id: int | None
    beneficiary_id: int
    person_id: int | None
    submitted_on: dt.date


def claim_year(submitted_on: dt.date, installments: list[Installment]) -> int:
    dues = [i.due for i in installments if i.status != "cancelled"]
    return min(dues).year if dues else submitted_on.year


class Limits(LedgerBase):
    """The cross-claim checks."""

    def _has_rules(self, measure: Measure) -> bool:
        return bool(measure.stacking or self.rules.caps_for(measure.id) or self.rules.once_only_for(measure.id))

    def _scope_filter(self, query, scope: Scope, per: str):
        query = query.where(Application.person_id == scope.person_id if per == "person"
                            else Application.beneficiary_id == scope.beneficiary_id)
        return query if scope.app_id is None else query.where(Application.id != scope.app_id)

    def _check_once_only(self, s: Session, scope: Scope, measure: Measure,
                         installments: list[Installment] | None = None) -> None:
        """Count limits (the catalogue records' ``limits:``; once-only is count 1, ever): refused when
        the person's or beneficiary's approved claims of the same measures (in the claim's year, for
        ``period: year``) already reach the count."""
        for rule in self.rules.once_only_for(measure.id):
            if rule.per == "person" and scope.person_id is None:
                continue
            query = self._scope_filter(select(Application).where(Application.status == "approved",
                                                                 Application.measure_id.in_(rule.measures)),
                                       scope, rule.per)
            others = list(s.scalars(query.order_by(Application.id)))
            if rule.period == "year":
                year = claim_year(scope.submitted_on, installments or [])
                others = [o for o in others if claim_year(o.submitted_on, self._installments(s, o.id)) == year]
            if len(others) < rule.count:
                continue
            whom = "每人" if rule.per == "person" else "每个受益方"
            when = f"{year}年度" if rule.period == "year" else ""
            numbers = "、".join(f"#{o.id}" for o in others)
            if rule.count == 1:
                raise Refused("once_only",
                              f"{measure.id}{whom}{'每年' if rule.period == 'year' else ''}只能享受一次（{rule.clause}："
                              f"“{rule.quote}”），{when}已由申请{numbers}享受",
                              {"rule": rule.id, "clause": rule.clause, "application_id": others[0].id})
            raise Refused("count_limit",
                          f"{measure.id}{whom}{'每年' if rule.period == 'year' else ''}最多{rule.count}次（{rule.clause}："
                          f"“{rule.quote}”），{when}已有申请{numbers}",
                          {"rule": rule.id, "clause": rule.clause, "count": rule.count,
                           "applications": [o.id for o in others]})

    def _check_stacking(self, s: Session, scope: Scope, measure: Measure, installments: list[Installment],
                        plan: Plan, *, lock: bool) -> None:
        if not measure.stacking:
            return
        group, policy = measure.stacking["group"], measure.stacking.get("policy", "highest")
        members = [m.id for m in catalogue().executable() if m.stacking and m.stacking.get("group") == group]
        query = self._scope_filter(select(Application).where(Application.status == "approved",
                                                             Application.measure_id.in_(members)), scope, "beneficiary")
        query = query.where(Application.person_id.is_(None) if scope.person_id is None
                            else Application.person_id == scope.person_id)
        others = list(s.scalars(query.order_by(Application.id)))
        if self.rules.stacking_period(group) == "year":
            year = claim_year(scope.submitted_on, installments)
            others = [o for o in others if claim_year(o.submitted_on, self._installments(s, o.id)) == year]
        if not others:
            return
        if policy == "exclusive":
            other = others[0]
            raise Refused("stacking_exclusive",
                          f"同组措施只能享受其中一项（{group}）：已按申请#{other.id}（{other.measure_id}）享受",
                          {"group": group, "application_id": other.id})
        new_total = sum(plan.amounts.get(i.id, i.amount_cents or 0) for i in installments)
        totals = {}
        for other in others:
            rows = self._installments(s, other.id, lock=lock)
            totals[other.id] = (sum(i.amount_cents or 0 for i in rows if i.status in ("scheduled", "paid")),
                                sum(i.amount_cents or 0 for i in rows if i.status == "paid"))
        others = [o for o in others if totals[o.id][0] > 0]
        enjoyed = sum(totals[o.id][0] for o in others)     # what the group gives already (paid + to pay)
        if others and new_total <= enjoyed:
            names = "、".join(f"申请#{o.id}（{o.measure_id}）" for o in others)
            raise Refused("stacking_lower",
                          f"同组措施按最高额度享受一项（{group}）：已按{names}享受{display_cents(enjoyed)}，"
                          f"本项{display_cents(new_total)}不高于已享受的金额",
                          {"group": group, "applications": [o.id for o in others], "enjoyed": plain_cents(enjoyed),
                           "this_total": plain_cents(new_total)})
        if not others:
            return
        # this claim is higher: it replaces the others; what they paid already is deducted
        paid = sum(totals[o.id][1] for o in others)
        plan.superseded.extend(others)
        plan.details["stacking"].append({"group": group, "policy": policy, "replaces": [o.id for o in others],
                                         "deducted": plain_cents(paid)})
        remaining = paid
        for inst in sorted(installments, key=lambda i: (i.due, i.seq)):
            if remaining <= 0:
                break
            amount = plan.amounts.get(inst.id, inst.amount_cents or 0)
            cut = min(amount, remaining)
            if cut:
                plan.amounts[inst.id] = amount - cut
                remaining -= cut
                plan.notes[inst.id].append(f"同组措施按最高额度享受一项：扣除已按申请#"
                                           f"{'、#'.join(str(o.id) for o in others)}领取的{display_cents(cut)}")

    def _check_caps(self, s: Session, scope: Scope, measure: Measure, installments: list[Installment],
                    plan: Plan, *, lock: bool, only_exhausted: bool = False) -> None:
        for cap in self.rules.caps_for(measure.id):
            if cap.per == "person" and scope.person_id is None:
                continue
            query = self._scope_filter(
                select(Installment.due, Installment.amount_cents).join(Application, Application.id == Installment.application_id)
                .where(Application.status == "approved", Application.measure_id.in_(cap.measures),
                       Installment.status.in_(("scheduled", "paid"))), scope, cap.per)
            used: dict[Any, int] = defaultdict(int)
            for due, cents in s.execute(query):
                used[due.year if cap.period == "year" else None] += cents or 0
            for inst in sorted(installments, key=lambda i: (i.due, i.seq)):
                key = inst.due.year if cap.period == "year" else None
                limit = cap.limit_cents(inst.due)
                if limit is None:
                    continue
                amount = plan.amounts.get(inst.id, inst.amount_cents or 0)
                left = max(0, limit - used[key])
                period = f"{key}年度" if key else "累计"
                if only_exhausted:
                    if left <= 0 and amount > 0:
                        raise Refused("cap_reached",
                                      f"{cap.clause}“{cap.quote}”：{period}已核定{display_cents(used[key])}，已达上限{display_cents(limit)}",
                                      {"cap": cap.id, "clause": cap.clause, "limit": plain_cents(limit),
                                       "used": plain_cents(used[key]), "year": key})
                    continue
                if amount > left:
                    plan.amounts[inst.id] = left
                    plan.notes[inst.id].append(f"{cap.clause}“{cap.quote}”：{period}已核定{display_cents(used[key])}，"
                                               f"本期由{display_cents(amount)}核减为{display_cents(left)}")
                    plan.details["caps"].append({"cap": cap.id, "clause": cap.clause, "installment_id": inst.id,
                                                 "year": key, "limit": plain_cents(limit), "used": plain_cents(used[key]),
                                                 "from": plain_cents(amount), "to": plain_cents(left)})
                    amount = left
                used[key] += amount

    def _lock_parties(self, s: Session, app: Application) -> None:
        """Serialise approvals touching the same beneficiary or person (caps, once-only, stacking)."""
        ids = sorted({app.beneficiary_id, *([app.person_id] if app.person_id else [])})
        # FOR NO KEY UPDATE: approvals for the same party queue; submissions referring to it do not
        s.scalars(select(Applicant).where(Applicant.id.in_(ids)).order_by(Applicant.id)
                  .with_for_update(key_share=True)).all()
