"""Deciding claims: approval (a second person; the cross-claim limits applied under row locks),
rejection with a reason, and reassessment of an approved claim when its facts change."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..money import cents_of, display_cents, plain_cents
from .base import DECIDERS, STAFF, as_date, as_text, dump_json, key_of, labels, load_rows
from .compute import compute
from .audit import AuditEntry
from .errors import Forbidden, InvalidInput, LedgerError, NotFound, Refused

DUTY_CODES = ("own_claim", "conflict_of_duty")      # separation-of-duties refusals: each attempt is logged
from .limits import Limits, Plan, Scope
from .models import APPLICATION_STATUSES, RESULT_STATUSES, Applicant, Application, Decision, Installment, User
from .views import ApplicationInfo, Views


class Decisions(Limits, Views):
    """Approving, rejecting and reassessing claims."""

    def approve(self, actor: int, application_id: int, *, on: dt.date | str, reason: str = "") -> ApplicationInfo:
        """Approve a submitted claim (a reviewer — never an admin — who did not submit it, whose current
        password the submitter did not set, and whose account the submitter did not create or change
        while the claim was open; every refused attempt is logged). Only an eligible
        result with amounts can be approved. Cross-claim rules apply under row locks: once-only
        (refused), stacking (exclusive: refused; highest: refused unless higher, in which case the
        lower claim's unpaid installments are cancelled and its paid ones deducted), caps (amounts
        reduced to what remains; nothing left: refused). Installments become payable on their due dates."""
        outcome = self.approve_many(actor, [application_id], on=on, reason=reason)[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def approve_many(self, actor: int, application_ids: list[int], *, on: dt.date | str, reason: str = "",
                     chunk: int = 200) -> list[ApplicationInfo | LedgerError]:
        """Approve many claims, ``chunk`` per transaction (each with its own decision and audit
        entry). Returns, in order, each approved claim or the refusal of that one."""
        try:
            return self._approve_many(actor, application_ids, on=on, reason=reason, chunk=chunk)
        except Forbidden:
            self._log_admin_attempt(actor, "approve", application_ids)
            raise

    def _approve_many(self, actor: int, application_ids: list[int], *, on: dt.date | str, reason: str,
                      chunk: int) -> list[ApplicationInfo | LedgerError]:
        on = as_date(on, "on")
        reason = as_text(reason, "reason", required=False)
        outcomes: list[Any] = []
        for start in range(0, len(application_ids), max(1, chunk)):
            part = application_ids[start:start + chunk]
            with self._write() as s:
                who = self._decider(s, actor, "approve", part)
                # lock the claims and their installments, in id order (no deadlock between batches)
                apps = {a.id: a for a in s.scalars(
                    select(Application).where(Application.id.in_({key_of(i) for i in part})).order_by(Application.id)
                    .with_for_update().execution_options(populate_existing=True))}
                installments: dict[int, list[Installment]] = defaultdict(list)
                for inst in s.scalars(select(Installment).where(Installment.application_id.in_(list(apps)))
                                      .order_by(Installment.application_id, Installment.seq)
                                      .with_for_update().execution_options(populate_existing=True)):
                    installments[inst.application_id].append(inst)
                load_rows(s, Applicant, {x for a in apps.values() for x in (a.beneficiary_id, a.person_id) if x})
                done = []
                for application_id in part:
                    try:
                        app = apps.get(application_id)
                        if app is None:
                            raise NotFound("application", application_id)
                        self._approve(s, who, app, installments[app.id], on, reason)
                        done.append(app)
                        outcomes.append(app.id)
                    except LedgerError as error:
                        outcomes.append(error)
                        self._log_refused_decision(s, who, "approve", application_id, error)
                with s.no_autoflush:
                    infos = {i.id: i for i in self._infos(s, done, installments=installments, no_payments=True)}
                outcomes[start:] = [infos[o] if isinstance(o, int) else o for o in outcomes[start:]]
        return outcomes

    def _approve(self, s: Session, who: User, app: Application, installments: list[Installment], on: dt.date,
                 reason: str) -> None:
        # every refusal below is raised before anything is written for this claim
        self._check_decidable(s, app, who)
        measure = self._measure(app.measure_id, field="measure_id", executable=False)
        if app.result_status != "eligible":
            result = json.loads(app.result_json)
            why = ("不符合条件：" + labels(result.get("failed", [])) if app.result_status == "ineligible"
                   else "尚需补充信息：" + labels(result.get("missing", [])))
            raise Refused("not_eligible", f"计算结果为“{RESULT_STATUSES[app.result_status]}”，不能批准（{why}）",
                          {"result_status": app.result_status, "failed": result.get("failed", []),
                           "missing": result.get("missing", [])})
        planned = [i for i in installments if i.status == "planned"]
        if any(i.amount_cents is None for i in planned):
            result = json.loads(app.result_json)
            raise Refused("amount_undetermined", result.get("amount_note") or "金额未定，不能批准",
                          {"amount_note": result.get("amount_note")})
        if not planned or sum(i.amount_cents for i in planned) <= 0:
            raise Refused("nothing_payable", "计算结果没有应发金额，不能批准")
        plan = Plan(amounts={i.id: i.amount_cents for i in planned})
        if self._has_rules(measure):
            # rules across claims read the database: write what this batch did so far (its log
            # entries keep the rows as they are now; the chain's head is locked only at the end, after
            # every row lock, as in every transaction), then lock the beneficiary and person so that
            # concurrent approvals queue
            self._snapshot_log(s)
            self._lock_parties(s, app)
            scope = Scope(app.id, app.beneficiary_id, app.person_id, app.submitted_on)
            with s.no_autoflush:
                self._check_once_only(s, scope, measure, planned)
                self._check_stacking(s, scope, measure, planned, plan, lock=True)
                self._check_caps(s, scope, measure, planned, plan, lock=True)
            if sum(plan.amounts.values()) <= 0:
                raise Refused("cap_reached", "核减后没有应发金额：" + "；".join(n for ns in plan.notes.values() for n in ns),
                              plan.details)
        decision = Decision(application_id=app.id, kind="approve", decided_by=who.id, decided_on=on,
                            decided_at=self.clock(), reason=reason or "批准", details_json=dump_json(plan.details))
        s.add(decision)
        changed: list[Any] = []
        for inst in planned:
            amount = plan.amounts[inst.id]
            inst.amount_cents = amount
            inst.status = "scheduled" if amount > 0 else "cancelled"
            inst.note = "；".join(plan.notes.get(inst.id, [])) or None
            inst.decision = decision
            changed.append(inst)
        for old in plan.superseded:
            for inst in self._installments(s, old.id, lock=True):
                if inst.status == "scheduled":
                    inst.status = "cancelled"
                    inst.note = f"同组措施按最高额度享受一项：由申请#{app.id}（{app.measure_id}，金额更高）替代"
                    inst.decision = decision
                    changed.append(inst)
        app.status = "approved"
        self._log(s, who, "approve", "application", app.id, [app, decision, *changed],
                  {"measure": app.measure_id, "on": on.isoformat(), "reason": decision.reason,
                   "amount": display_cents(sum(plan.amounts.values())), "superseded": [a.id for a in plan.superseded]})

    def reject(self, actor: int, application_id: int, *, on: dt.date | str, reason: str) -> ApplicationInfo:
        """Reject a submitted claim, with a reason (a reviewer who did not submit it and whose account the
        submitter did not make or reset while the claim was open; a refused attempt is logged)."""
        on = as_date(on, "on")
        reason = as_text(reason, "reason")
        try:
            return self._reject_checked(actor, application_id, on, reason)
        except Forbidden:
            self._log_admin_attempt(actor, "reject", [application_id])
            raise

    def _reject_checked(self, actor: int, application_id: int, on: dt.date, reason: str) -> ApplicationInfo:
        refused = None
        with self._write() as s:
            who = self._decider(s, actor, "reject", [application_id])
            app = self._lock_application(s, application_id)
            try:
                self._check_decidable(s, app, who)
            except Refused as error:
                if error.code not in DUTY_CODES:
                    raise
                refused = error          # logged (committed), then raised below
                self._log_refused_decision(s, who, "reject", app.id, error)
            if refused is None:
                return self._reject(s, who, app, on, reason)
        raise refused

    def _reject(self, s: Session, who: User, app: Application, on: dt.date, reason: str) -> ApplicationInfo:
        decision = Decision(application_id=app.id, kind="reject", decided_by=who.id, decided_on=on,
                            decided_at=self.clock(), reason=reason)
        s.add(decision)
        changed = []
        for inst in self._installments(s, app.id, lock=True):
            if inst.status == "planned":
                inst.status, inst.note, inst.decision = "cancelled", f"申请被驳回：{reason}", decision
                changed.append(inst)
        app.status = "rejected"
        self._log(s, who, "reject", "application", app.id, [app, decision, *changed],
                  {"measure": app.measure_id, "on": on.isoformat(), "reason": reason})
        return self._info(s, app, detail=False)

    def _check_decidable(self, s: Session, app: Application, who: User) -> None:
        if app.status != "submitted":
            last = s.scalar(select(Decision).where(Decision.application_id == app.id,
                                                   Decision.kind.in_(("approve", "reject")))
                            .order_by(Decision.id.desc()).limit(1))
            by = s.get(User, last.decided_by).username if last else "?"
            raise Refused("already_decided",
                          f"申请#{app.id}已{APPLICATION_STATUSES[app.status]}（{by}，{last.decided_on if last else ''}），不能再次审批",
                          {"status": app.status, "decision_id": last.id if last else None})
        if app.submitted_by == who.id:
            raise Refused("own_claim", f"审核人不能审批本人提交的申请（申请#{app.id}由{who.username}提交）",
                          {"submitted_by": who.username})
        # the submitter must not know the decider's password, nor have made or changed the account
        # while the claim was open (a second account of the submitter's own making is no second person)
        submitter = s.get(User, app.submitted_by)
        if who.password_set_by is not None and who.password_set_by == app.submitted_by:
            raise Refused("conflict_of_duty", f"审核人{who.username}的当前密码由申请#{app.id}的提交人"
                          f"{submitter.username if submitter else '?'}设置，不能审批该申请（请审核人先自行修改密码）",
                          {"submitted_by": submitter.username if submitter else None, "reason": "password_set_by"})
        touched = s.scalar(select(AuditEntry.seq).where(
            AuditEntry.entity == "user", AuditEntry.entity_id == str(who.id), AuditEntry.actor_id == app.submitted_by,
            AuditEntry.action.in_(("create_user", "set_password", "set_active")),
            AuditEntry.at >= app.submitted_at).limit(1))
        if touched is not None:
            raise Refused("conflict_of_duty", f"审核人{who.username}的账号在申请#{app.id}提交后由其提交人"
                          f"{submitter.username if submitter else '?'}创建或修改，不能审批该申请",
                          {"submitted_by": submitter.username if submitter else None, "audit_seq": touched})

    def _decider(self, s: Session, actor: int, action: str, application_ids: list) -> User:
        """The acting reviewer (an admin is refused: ``_log_admin_attempt`` logs it afterwards)."""
        return self._actor(s, actor, DECIDERS)

    def _log_admin_attempt(self, actor, action: str, application_ids: list) -> None:
        """An admin tried to decide claims: refused (Forbidden) and logged, in a transaction of its own."""
        if not isinstance(actor, int):
            return
        with self._write() as s:
            user = s.get(User, actor)
            if user is not None and user.role == "admin":
                self._log(s, user, f"{action}_refused", "application",
                          ",".join(str(i) for i in application_ids)[:40], [],
                          {"code": "forbidden", "role": "admin", "reason": "管理员不能审批申请（职责分离）"})

    def _log_refused_decision(self, s: Session, who: User | None, action: str, application_id, error) -> None:
        if isinstance(error, Refused) and error.code in DUTY_CODES:
            self._log(s, who, f"{action}_refused", "application", application_id, [],
                      {"code": error.code, "reason": error.message})

    def reassess(self, actor: int, application_id: int, *, on: dt.date | str, situation: dict,
                 reason: str) -> ApplicationInfo:
        """Facts changed (contract ended early, the person left the district …): recompute the
        approved claim on ``on`` with ``situation`` and decide each unpaid installment: cancelled when
        the new result is not eligible or no longer has it, reduced when the new amount is lower,
        kept otherwise; paid installments the new result no longer supports are reported as
        overpaid. The reason and the new result are recorded as a decision."""
        on = as_date(on, "on")
        reason = as_text(reason, "reason")
        if not isinstance(situation, dict):
            raise InvalidInput("situation", "情形应为含persons（及organisations）的JSON对象")
        with self.db.read() as s:
            who = self._actor(s, actor, STAFF)
            app = s.get(Application, key_of(application_id))
            if app is None:
                raise NotFound("application", application_id)
            if app.status != "approved":
                raise Refused("not_approved", f"申请#{app.id}状态为{APPLICATION_STATUSES[app.status]}，只有已批准的申请可重新核定"
                              + ("（待审核的申请请驳回后重新提交）" if app.status == "submitted" else ""))
            measure = self._measure(app.measure_id, field="measure_id", executable=False)
            keys = (app.beneficiary_key, app.person_key)
        # a measure whose window has closed since: the changed facts are assessed on its last day
        # (the end of the window does not by itself cancel what was approved)
        assessed_on = on
        if measure.valid_to and on.isoformat() > measure.valid_to:
            assessed_on = dt.date.fromisoformat(measure.valid_to)
        result = compute(measure, situation, assessed_on, *keys)
        kept = not result.get("stacking") or result["stacking"].get("kept", True)
        new_items = {} if result["status"] != "eligible" or not kept or not result.get("installments") else \
            {i["due"]: cents_of(i["amount"]) for i in result["installments"]}
        with self._write() as s:
            who = self._actor(s, actor, STAFF)
            app = self._lock_application(s, application_id)
            if app.status != "approved":
                raise Refused("not_approved", f"申请#{app.id}状态为{APPLICATION_STATUSES[app.status]}")
            status_label = RESULT_STATUSES[result["status"]]
            why_not = ""
            if result["status"] == "ineligible":
                why_not = "，不再满足：" + labels(result.get("failed", []))
            elif result["status"] == "undetermined":
                why_not = "，尚需：" + labels(result.get("missing", []))
            if not kept:
                why_not = "，" + result["stacking"]["reason"]
            details: dict[str, Any] = {"new_status": result["status"], "assessed_on": assessed_on.isoformat(),
                                       "kept": [], "cancelled": [], "reduced": [], "overpaid": [], "not_added": []}
            decision = Decision(application_id=app.id, kind="reassess", decided_by=who.id, decided_on=on,
                                decided_at=self.clock(), reason=reason, situation_json=dump_json(situation),
                                result_json=dump_json(result))
            s.add(decision)
            s.flush()
            changed = []
            installments = self._installments(s, app.id, lock=True)
            known_dues = {i.due.isoformat() for i in installments if i.status != "cancelled"}
            for inst in installments:
                due = inst.due.isoformat()
                new = new_items.get(due)
                if inst.status == "paid":
                    if new is None or new < inst.amount_cents:
                        over = inst.amount_cents - (new or 0)
                        details["overpaid"].append({"installment_id": inst.id, "due": due, "amount": plain_cents(over)})
                    continue
                if inst.status != "scheduled":
                    continue
                if result["status"] == "undetermined":
                    details["kept"].append({"installment_id": inst.id, "due": due,
                                            "note": "新结果尚需补充信息，暂予保留"})
                    continue
                if new is None or new <= 0:
                    inst.status = "cancelled"
                    inst.note = (f"重新核定（{on}）：{reason}；新结果为“{status_label}”{why_not}"
                                 if result["status"] != "eligible" or not kept
                                 else f"重新核定（{on}）：{reason}；该期不再应发")
                    details["cancelled"].append({"installment_id": inst.id, "due": due, "amount": plain_cents(inst.amount_cents)})
                elif new < inst.amount_cents:
                    details["reduced"].append({"installment_id": inst.id, "due": due, "from": plain_cents(inst.amount_cents),
                                               "to": plain_cents(new)})
                    inst.note = f"重新核定（{on}）：{reason}；由{display_cents(inst.amount_cents)}核减为{display_cents(new)}"
                    inst.amount_cents = new
                else:
                    details["kept"].append({"installment_id": inst.id, "due": due})
                    continue
                inst.decision = decision
                changed.append(inst)
            for due, cents in new_items.items():
                if due not in known_dues and cents:
                    details["not_added"].append({"due": due, "amount": plain_cents(cents),
                                                 "note": "原申请没有该期；如应发放，请另行申请"})
            decision.details_json = dump_json(details)
            self._log(s, who, "reassess", "application", app.id, [decision, *changed],
                      {"on": on.isoformat(), "reason": reason, "new_status": result["status"],
                       "cancelled": len(details["cancelled"]), "reduced": len(details["reduced"]),
                       "kept": len(details["kept"])})
            return self._info(s, app, detail=True)
