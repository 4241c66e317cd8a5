"""Recording claims: one (``submit``) or many (``submit_many``, an import). Each claim is computed
on its submission date and frozen with its explanation, installments and the rules version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..catalogue import Measure
from ..money import cents_of, display_cents
from .base import SUBMITTERS, as_date, as_text, dump_json, load_rows
from .compute import Submission, compute_many, outside_window, situation_keys
from .entitlements import describe, entitlement_key, qualifying_event, with_year
from .errors import Forbidden, InvalidInput, LedgerError, NotFound, Refused
from .limits import Limits, Plan, Scope
from .models import APPLICANT_KINDS, Applicant, Application, Installment, User
from .rules import code_version, rules_hash
from .views import ApplicationInfo, Views

RETRIES = 4
SUBMIT_FIELDS = {"measure_id", "beneficiary_id", "situation", "on", "person_id", "beneficiary_key", "person_key",
                 "idempotency_key"}


class Claims(Limits, Views):
    """Submitting claims."""

    def submit(self, actor: int, *, measure_id: str, beneficiary_id: int, situation: dict, on: dt.date | str,
               person_id: int | None = None, beneficiary_key: str | None = None, person_key: str | None = None,
               idempotency_key: str | None = None) -> ApplicationInfo:
        """Record a claim: compute the measure on ``on`` (the submission date) and freeze the result,
        its explanation and its installments. Refused: a measure outside its validity window, a
        measure not executable, a once-only measure already enjoyed, a stacking group already
        enjoyed at least as high, a cap already reached. An ineligible or undetermined result is
        recorded (it can be rejected, not approved). ``idempotency_key``: a replay returns the
        claim recorded first. ``beneficiary_key``/``person_key``: the entities' ids in the
        situation, needed only when it has several candidates."""
        outcome = self.submit_many(actor, [dict(measure_id=measure_id, beneficiary_id=beneficiary_id,
                                                situation=situation, on=on, person_id=person_id,
                                                beneficiary_key=beneficiary_key, person_key=person_key,
                                                idempotency_key=idempotency_key)])[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def submit_many(self, actor: int, items: list[dict], *, chunk: int = 200) -> list[ApplicationInfo | LedgerError]:
        """Record many claims (an import): each item takes the keyword arguments of ``submit``. The
        situations are computed together (one simulation per measure and date, for speed; the
        results are those of ``submit``), written ``chunk`` claims per transaction, each claim with
        its own audit entry. Returns, in order, each claim or the error refusing that item (other
        items go on). An unexpected database error fails the whole chunk (raised)."""
        with self.db.read() as s:
            self._actor(s, actor, SUBMITTERS)         # a role that may not submit: raised at once
        outcomes: list[Any] = [None] * len(items)
        prepared: list[tuple[int, Submission]] = []
        for n, item in enumerate(items):
            try:
                prepared.append((n, self._prepare_submission(item)))
            except LedgerError as error:
                outcomes[n] = error
        # replays of an idempotency key are answered without computing
        keys = [p.idempotency_key for _, p in prepared if p.idempotency_key]
        if keys:
            with self.db.read() as s:
                known = {a.idempotency_key: a for a in s.scalars(select(Application).where(
                    Application.idempotency_key.in_(keys)))}
                still, replays = [], []
                for n, p in prepared:
                    existing = known.get(p.idempotency_key)
                    if existing is None:
                        still.append((n, p))
                    elif existing.measure_id != p.measure.id or existing.beneficiary_id != p.beneficiary_id:
                        outcomes[n] = Refused("idempotency_conflict", f"幂等键已用于申请#{existing.id}（{existing.measure_id}）",
                                              {"application_id": existing.id})
                    else:
                        replays.append((n, existing))
                if replays:                          # the claims recorded first, read together
                    infos = {i.id: i for i in self._infos(s, list({a.id: a for _, a in replays}.values()))}
                    for n, existing in replays:
                        outcomes[n] = infos[existing.id]
                prepared = still
        results = compute_many([p for _, p in prepared])
        ready = []
        for (n, p), result in zip(prepared, results):
            if isinstance(result, LedgerError):
                outcomes[n] = result
            elif result.get("stacking") and not result["stacking"].get("kept", True):
                outcomes[n] = Refused("stacking_not_kept", result["stacking"]["reason"], {"stacking": result["stacking"]})
            else:
                ready.append((n, p, result))
        for start in range(0, len(ready), max(1, chunk)):
            part = ready[start:start + chunk]
            for attempt in range(RETRIES):
                try:
                    for n, outcome in self._write_chunk(actor, part).items():
                        outcomes[n] = outcome
                    break
                except IntegrityError:
                    # a concurrent writer took an idempotency key, an entitlement or a number first
                    # (PostgreSQL; SQLite writers queue): again, the checks now see its claim
                    if attempt == RETRIES - 1:
                        raise
        return outcomes

    def _write_chunk(self, actor: int, part: list) -> dict[int, Any]:
        outcomes: dict[int, Any] = {}
        with self._write() as s:
            who = self._actor(s, actor, SUBMITTERS)
            load_rows(s, Applicant, {x for _, p, _ in part for x in (p.beneficiary_id, p.person_id) if isinstance(x, int)})
            written, seen_keys = [], {}
            for n, p, result in part:
                try:
                    if p.idempotency_key in seen_keys:          # the same key twice in one batch
                        written.append((n, seen_keys[p.idempotency_key], p))
                        continue
                    app, installments = self._write_submission(s, who, p, result)
                    if app.id is None and app.entitlement_key:
                        s.info["entitlements"][app.entitlement_key] = app
                    written.append((n, app, p))
                    if p.idempotency_key:
                        seen_keys[p.idempotency_key] = app
                except LedgerError as error:
                    outcomes[n] = error
            s.flush()
            with s.no_autoflush:
                infos = {i.id: i for i in self._infos(s, list({id(a): a for _, a, _ in written}.values()))}
            for n, app, p in written:
                if app.measure_id != p.measure.id or app.beneficiary_id != p.beneficiary_id:
                    outcomes[n] = Refused("idempotency_conflict", f"幂等键已用于申请#{app.id}（{app.measure_id}）",
                                          {"application_id": app.id})
                else:
                    outcomes[n] = infos[app.id]
        return outcomes

    def _prepare_submission(self, item: dict) -> Submission:
        unknown = set(item) - SUBMIT_FIELDS
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "无法识别的字段")
        for name in ("measure_id", "beneficiary_id", "situation", "on"):
            if item.get(name) is None:
                raise InvalidInput(name, "不能为空 required")
        for name in ("beneficiary_id", "person_id"):
            if item.get(name) is not None and (not isinstance(item[name], int) or isinstance(item[name], bool)):
                raise InvalidInput(name, f"应为申请人编号（整数） expected an applicant id, got {item[name]!r}")
        on = as_date(item["on"], "on")
        measure = self._measure(item["measure_id"])
        key = item.get("idempotency_key")
        key = as_text(key, "idempotency_key", limit=120) if key is not None else None
        window = outside_window(measure, on)
        if window:
            raise Refused("outside_validity", window, {"measure": measure.id, "valid_from": measure.valid_from,
                                                        "valid_to": measure.valid_to, "on": on.isoformat()})
        situation = item["situation"]
        if not isinstance(situation, dict):
            raise InvalidInput("situation", "情形应为含persons（及organisations）的JSON对象")
        try:
            dump_json(situation).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput("situation", "含无效的Unicode字符（孤立的代理项）") from None
        if measure.entity == "person" and measure.beneficiary == "organisation" and item.get("person_id") is None:
            raise InvalidInput("person_id", f"{measure.id}按人员计算（{measure.role or '人员'}），须指明人员")
        bkey, pkey = situation_keys(measure, situation, item.get("beneficiary_key"), item.get("person_key"))
        return Submission(measure=measure, beneficiary_id=item["beneficiary_id"], person_id=item.get("person_id"),
                           situation=situation, on=on, beneficiary_key=bkey, person_key=pkey, idempotency_key=key,
                           event=qualifying_event(measure, situation, bkey, pkey))

    def _write_submission(self, s: Session, who: User, p: Submission,
                          result: dict) -> tuple[Application, list[Installment]]:
        """Add the claim and its installments to the session (flushed with the batch)."""
        measure = p.measure
        beneficiary, person = self._parties(s, who, measure, p.beneficiary_id, p.person_id)
        if p.idempotency_key is not None:
            with s.no_autoflush:
                existing = s.scalar(select(Application).where(Application.idempotency_key == p.idempotency_key))
            if existing is not None:
                return existing, []
        items = result.get("installments") or []
        p.event = with_year(measure, p.event or {}, p.on, [i.get("due") for i in items])
        entitlement = entitlement_key(measure, beneficiary.id, person.id if person else None, p.event)
        replay = self._check_entitlement(s, entitlement, p)
        if replay is not None:
            return replay, []
        computed = [cents_of(i["amount"]) for i in items]
        total = None if any(c is None for c in computed) else sum(computed)
        app = Application(
            measure_id=measure.id, document=measure.document, clause=measure.clause, kind=measure.kind,
            beneficiary_id=beneficiary.id, person_id=person.id if person else None,
            beneficiary_key=p.beneficiary_key, person_key=p.person_key, situation_json=dump_json(p.situation),
            submitted_on=p.on, submitted_by=who.id, submitted_at=self.clock(), code_version=code_version(),
            rules_hash=rules_hash(), result_status=result["status"], result_json=dump_json(result), total_cents=total,
            status="submitted", stacking_group=(measure.stacking or {}).get("group"), idempotency_key=p.idempotency_key,
            entitlement_key=entitlement)
        installments = [Installment(seq=n, due=dt.date.fromisoformat(item["due"]), computed_cents=cents,
                                    amount_cents=cents, ceiling=bool(item.get("ceiling")), status="planned")
                        for n, (item, cents) in enumerate(zip(items, computed), start=1)]
        if result["status"] == "eligible" and self._has_rules(measure):
            # early refusals against claims already approved (approval checks again, under locks)
            scope = Scope(None, beneficiary.id, person.id if person else None, p.on)
            with s.no_autoflush:
                self._check_once_only(s, scope, measure, installments)
                self._check_stacking(s, scope, measure, installments, Plan(), lock=False)
                self._check_caps(s, scope, measure, installments, Plan(), lock=False, only_exhausted=True)
        s.add(app)
        for inst in installments:
            inst.application = app
        s.add_all(installments)
        self._log(s, who, "submit", "application", lambda: app.id, [app, *installments],
                  {"measure": measure.id, "status": result["status"], "total": display_cents(total), "on": p.on.isoformat()})
        return app, installments

    def _check_entitlement(self, s: Session, key: str, p: Submission) -> Application | None:
        """A claim for an entitlement that has one not rejected (approved, or awaiting review) is refused
        with that claim's number; the unique index refuses it under concurrency. The same idempotency
        key committed meanwhile by a concurrent writer is its replay (returned)."""
        pending = s.info.setdefault("entitlements", {})
        with s.no_autoflush:
            first = pending.get(key) or s.scalar(select(Application).where(
                Application.entitlement_key == key, Application.status != "rejected"))
        if first is not None and p.idempotency_key is not None and first.idempotency_key == p.idempotency_key:
            return first
        if first is not None:
            number = f"#{first.id}" if first.id else "（本批中的前一行）"
            raise Refused("duplicate_claim",
                          f"同一资格（{p.measure.id}，{describe(p.event or {})}）已由申请{number}申请，"
                          f"不能重复申请；事实有变时请对申请{number}重新核定",
                          {"application_id": first.id, "measure": p.measure.id, "event": p.event})

    def _replay_or_conflict(self, s: Session, existing: Application, measure_id: str,
                            beneficiary_id: int) -> ApplicationInfo:
        if existing.measure_id != measure_id or existing.beneficiary_id != beneficiary_id:
            raise Refused("idempotency_conflict", f"幂等键已用于申请#{existing.id}（{existing.measure_id}）",
                          {"application_id": existing.id})
        return self._info(s, existing, detail=False)

    def _parties(self, s: Session, who: User, measure: Measure, beneficiary_id: int,
                 person_id: int | None) -> tuple[Applicant, Applicant | None]:
        beneficiary = self._applicant(s, beneficiary_id)
        if beneficiary.kind != measure.beneficiary:
            raise InvalidInput("beneficiary_id", f"{measure.id}的受益方应为{APPLICANT_KINDS[measure.beneficiary]}，"
                               f"申请人#{beneficiary.id}是{APPLICANT_KINDS[beneficiary.kind]}")
        if who.role == "applicant" and who.applicant_id != beneficiary.id:
            raise Forbidden("申请人只能为本人（本单位）申请")
        person = None
        if measure.entity == "person":
            if beneficiary.kind == "person":
                if person_id not in (None, beneficiary.id):
                    raise InvalidInput("person_id", "个人受益的措施：人员即受益人本人")
                person = beneficiary
            else:
                if person_id is None:
                    raise InvalidInput("person_id", f"{measure.id}按人员计算（{measure.role or '人员'}），须指明人员")
                person = self._applicant(s, person_id)
                if who.role == "applicant" and person.id != who.applicant_id and person.registered_by != who.id:
                    # an applicant names only persons it registered (no record of others is disclosed)
                    raise NotFound("applicant", person_id)
                if person.kind != "person":
                    raise InvalidInput("person_id", f"申请人#{person.id}不是个人")
        elif person_id is not None:
            raise InvalidInput("person_id", f"{measure.id}按单位计算，不指明人员")
        return beneficiary, person
