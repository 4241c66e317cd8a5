"""Errors of the ledger. Every refusal has a stable ``code`` and a reason in Chinese.

* ``InvalidInput`` — bad input, naming the field (like ``jiuye.assess.InputError``): HTTP 422.
* ``NotFound`` — no such record: HTTP 404.
* ``Forbidden`` — the actor's role does not allow the action: HTTP 403.
* ``Refused`` — a rule of the ledger refuses the action (not eligible, own claim, paid already,
  cap reached …): HTTP 409. ``details`` carries what the reason refers to (ids, amounts, clauses).
"""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    http_status = 400

    def __init__(self, code: str, message: str, field: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}" if field is None else f"{field}: {message}")
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "reason": self.message}
        if self.field:
            out["field"] = self.field
        if self.details:
            out["details"] = self.details
        return out


class InvalidInput(LedgerError, ValueError):
    http_status = 422

    def __init__(self, field: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__("invalid_input", message, field, details)


NOT_FOUND_LABELS = {"user": "用户", "applicant": "申请人", "application": "申请", "installment": "发放批次",
                    "person": "帮扶对象", "community": "社区", "plan": "帮扶计划", "status": "人员状态记录",
                    "spell": "就业或参保记录", "unit": "责任单位", "report": "调度报告", "attachment": "附件",
                    "task": "任务", "api_token": "API令牌"}


class NotFound(LedgerError, LookupError):
    http_status = 404

    def __init__(self, what: str, ident: Any) -> None:
        label = NOT_FOUND_LABELS.get(what, what)
        super().__init__("not_found", f"{label}（{ident}）不存在", what, {"id": ident})


class Forbidden(LedgerError):
    http_status = 403

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__("forbidden", message, None, details)


class Throttled(LedgerError):
    """Too many failed logins for the account or the address: locked for a while (429)."""
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__("login_locked", message, "username", {"retry_after": retry_after})
        self.retry_after = retry_after


class Refused(LedgerError):
    http_status = 409

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(code, message, None, details)


# Refusal codes (stable, for the pages and for scripts)
REFUSALS = {
    "outside_validity": "措施不在有效期内",
    "not_executable": "措施不可计算（定性措施）",
    "beneficiary_mismatch": "受益方类型与措施不符",
    "not_eligible": "计算结果不是“符合条件”",
    "stacking_not_kept": "同组措施中本项未被保留",
    "amount_undetermined": "金额未定（按市级标准或尚缺事实）",
    "nothing_payable": "没有应发金额",
    "own_claim": "审核人不能审批本人提交的申请",
    "already_decided": "申请已审批或已驳回",
    "not_submitted": "申请不在待审状态",
    "not_approved": "申请尚未批准",
    "already_paid": "该期已支付",
    "installment_cancelled": "该期已取消",
    "not_due": "该期尚未到期",
    "amount_mismatch": "支付金额与核定金额不符",
    "idempotency_conflict": "幂等键已用于另一笔支付",
    "once_only": "该措施每人（每单位）只能享受一次",
    "count_limit": "该措施每人（每单位）的次数已达上限",
    "stacking_exclusive": "同组措施只能享受其中一项",
    "stacking_lower": "同组措施按最高额度享受一项，本项不高于已享受的一项",
    "cap_reached": "已达累计上限",
    "reason_required": "须说明理由",
    "demo_disabled": "演示模式未开启（JIUYE_DEMO=1）",
    "not_empty": "数据库不为空",
    "schema_mismatch": "备份与数据库结构版本不一致",
    "duplicate": "记录已存在",
    "duplicate_claim": "同一资格已有申请（一项资格只申请一次）",
    "backup_unverified": "备份未通过校验，未恢复",
    "conflict_of_duty": "审核人的账号由申请的提交人创建或重置，不能审批该申请",
    "login_locked": "登录失败次数过多，暂时锁定",
}
