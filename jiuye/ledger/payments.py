"""Paying installments: once per installment, idempotent by key, not before the due date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..money import InvalidAmount, display_cents, plain_cents, to_cents
from .base import PAYERS, LedgerBase, as_date, as_text, key_of
from .errors import InvalidInput, NotFound, Refused
from .models import Installment, Payment
from .views import PaymentInfo, payment_info


class Payments(LedgerBase):
    """Recording payments."""

    def pay(self, actor: int, installment_id: int, *, on: dt.date | str, idempotency_key: str,
            amount: Any = None, reference: str | None = None) -> PaymentInfo:
        """Record the payment of one installment, once. A replayed ``idempotency_key`` returns the
        payment recorded first (``replayed=True``); the same key for another installment, a second
        payment of a paid installment, a cancelled or not yet approved installment, or one not due on
        ``on`` is refused. ``amount`` defaults to the approved amount; a lower amount only for a
        ceiling (最高不超过) installment."""
        on = as_date(on, "on")
        key = as_text(idempotency_key, "idempotency_key", limit=120)
        reference = as_text(reference, "reference", required=False, limit=120) or None
        try:
            cents = None if amount is None else to_cents(amount)
        except InvalidAmount as error:
            raise InvalidInput(error.field, error.message) from None
        try:
            return self._pay(actor, installment_id, on, key, cents, reference)
        except IntegrityError:
            # a concurrent writer recorded the same key or the same installment first
            replay = self._payment_by_key(key)
            if replay is not None:
                return self._check_replay(replay, installment_id, cents)
            raise Refused("already_paid", f"分期#{installment_id}已由另一笔支付登记", {"installment_id": installment_id})

    def _pay(self, actor: int, installment_id: int, on: dt.date, key: str, cents: int | None,
             reference: str | None) -> PaymentInfo:
        with self._write() as s:
            who = self._actor(s, actor, PAYERS)
            inst = s.execute(select(Installment).where(Installment.id == key_of(installment_id)).with_for_update()
                             .execution_options(populate_existing=True)).scalar_one_or_none()
            if inst is None:
                raise NotFound("installment", installment_id)
            existing = s.scalar(select(Payment).where(Payment.idempotency_key == key))
            if existing is not None:
                return self._check_replay(payment_info(s, existing, replayed=True), installment_id, cents)
            if inst.status == "paid":
                paid = s.scalar(select(Payment).where(Payment.installment_id == inst.id))
                raise Refused("already_paid",
                              f"分期#{inst.id}（申请#{inst.application_id}第{inst.seq}期）已于{paid.paid_on if paid else '?'}支付（支付#{paid.id if paid else '?'}），不能重复支付",
                              {"payment_id": paid.id if paid else None})
            if inst.status == "cancelled":
                raise Refused("installment_cancelled", f"分期#{inst.id}（申请#{inst.application_id}第{inst.seq}期）已取消：{inst.note or ''}", {"note": inst.note})
            if inst.status == "planned":
                raise Refused("not_approved", f"申请#{inst.application_id}尚未批准，分期#{inst.id}不能支付")
            if inst.due > on:
                raise Refused("not_due", f"分期#{inst.id}（申请#{inst.application_id}第{inst.seq}期）应于{inst.due}发放，{on}尚未到期", {"due": inst.due.isoformat()})
            if cents is None:
                cents = inst.amount_cents
            elif cents != inst.amount_cents and not (inst.ceiling and cents <= inst.amount_cents):
                raise Refused("amount_mismatch", f"支付金额{display_cents(cents)}与核定金额{display_cents(inst.amount_cents)}不符",
                              {"approved": plain_cents(inst.amount_cents)})
            payment = Payment(installment_id=inst.id, idempotency_key=key, amount_cents=cents, paid_on=on,
                              recorded_by=who.id, recorded_at=self.clock(), reference=reference)
            s.add(payment)
            inst.status = "paid"
            self._log(s, who, "pay", "installment", inst.id, [payment, inst],
                      {"application_id": inst.application_id, "amount": display_cents(cents), "paid_on": on.isoformat(),
                       "due": inst.due.isoformat()})
            s.flush()
            return payment_info(s, payment)

    def _payment_by_key(self, key: str) -> PaymentInfo | None:
        with self.db.read() as s:
            payment = s.scalar(select(Payment).where(Payment.idempotency_key == key))
            return payment_info(s, payment, replayed=True) if payment else None

    @staticmethod
    def _check_replay(replay: PaymentInfo, installment_id: int, cents: int | None) -> PaymentInfo:
        if replay.installment_id != installment_id or (cents is not None and int(replay.amount * 100) != cents):
            raise Refused("idempotency_conflict",
                          f"幂等键{replay.idempotency_key}已用于分期#{replay.installment_id}的支付#{replay.id}",
                          {"payment_id": replay.id, "installment_id": replay.installment_id})
        return replay
