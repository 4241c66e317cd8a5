"""Demo data (``jiuye ledger seed-demo``, demo mode only: ``JIUYE_DEMO=1``): one user per role and
sample claims, among them a 西城 岗位补贴 claim (xicheng/6/employer) approved and partly paid.
The demo passwords are printed and work only in demo mode (demo accounts are refused otherwise).

``python -m jiuye.ledger.demo`` is what ``make run`` runs before starting the server: in demo mode
(``JIUYE_DEMO=1``, ``make run``'s default) an empty ledger is seeded and the demo accounts are
printed; a ledger that already has users is left as it is (its demo accounts, if any, are printed).
Outside demo mode (``make run DEMO=0``) nothing is written and it says that demo accounts are refused.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from ..ids import make_id_number, make_uscc
from .config import database_url, demo_mode
from .errors import LedgerError, Refused
from .service import Ledger

DEMO_USERS = [  # username, role, display name, password
    ("admin", "admin", "管理员（演示）", "demo-admin-2026"),
    ("jingban", "case_worker", "经办员 王芳（演示）", "demo-jingban-2026"),
    ("shenhe", "reviewer", "审核员 李强（演示）", "demo-shenhe-2026"),
    ("zhaoliu", "applicant", "申请人 赵六（演示）", "demo-zhaoliu-2026"),
]

# the demo situations: the clauses' own examples (one file each, shared with the import template
# of the web pages and the ledger benchmark)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
XICHENG_6 = "xicheng_6_stable_employment.json"       # 岗位补贴 (xicheng/6/employer)
XICHENG_9 = "xicheng_9_internship.json"              # 见习补贴 (xicheng/9)
XICHENG_15 = "xicheng_15_startup_hiring.json"        # 创业带动就业奖励 (xicheng/15)


def demo_situation(name: str) -> dict:
    """A fresh copy of an example situation (by name; jiuye.examples), without its date."""
    from ..examples import load_example
    return load_example(name)[0]


SUBMITTED = dt.date(2026, 11, 23)


def seed_demo(ledger: Ledger) -> dict:
    if not demo_mode():
        raise Refused("demo_disabled", "演示数据只在演示模式下写入：设置 JIUYE_DEMO=1")
    if ledger.counts().get("users"):
        raise Refused("not_empty", "台账已有用户；演示数据只写入空台账（换一个数据库，或先备份后 restore --replace）")
    company = ledger.register_applicant(None, "organisation", make_uscc("91", "110102", "MA01XC6D0"), "西城示范科技有限公司")
    startup = ledger.register_applicant(None, "organisation", make_uscc("91", "110102", "MA02NT150"), "西城新创科技有限公司")
    zhang = ledger.register_applicant(None, "person", make_id_number("110102", dt.date(1995, 5, 1), 235), "张三")
    zhao = ledger.register_applicant(None, "person", make_id_number("110102", dt.date(2003, 5, 8), 146), "赵六")
    users = {}
    for username, role, name, password in DEMO_USERS:
        users[username] = ledger.create_user(None, username, role, password=password, display_name=name,
                                             applicant_id=zhao.id if role == "applicant" else None, is_demo=True)
    cw, rv = users["jingban"].id, users["shenhe"].id
    claim = ledger.submit(cw, measure_id="xicheng/6/employer", beneficiary_id=company.id, person_id=zhang.id,
                          situation=demo_situation(XICHENG_6), on=SUBMITTED)
    ledger.approve(rv, claim.id, on=SUBMITTED + dt.timedelta(days=1), reason="材料齐全，劳动合同、社保缴费记录、工资发放记录核验无误")
    paid = []
    for inst in ledger.application(cw, claim.id).installments:
        if inst.due <= SUBMITTED + dt.timedelta(days=2):
            paid.append(ledger.pay(cw, inst.id, on=SUBMITTED + dt.timedelta(days=2),
                                   idempotency_key=f"demo-transfer-{inst.id}", reference=f"DEMO-{inst.id:06d}"))
    internship = ledger.submit(users["zhaoliu"].id, measure_id="xicheng/9", beneficiary_id=zhao.id,
                               situation=demo_situation(XICHENG_9), on=SUBMITTED)
    award = ledger.submit(cw, measure_id="xicheng/15", beneficiary_id=startup.id,
                          situation=demo_situation(XICHENG_15), on=SUBMITTED)
    __import__("importlib").import_module("jiuye.supervision.demo").seed(ledger, {u: v.id for u, v in users.items()})  # 督办与调度's demo data (by name: the supervision package imports the ledger, not the reverse)
    return {"users": [(u, role, pw) for u, role, _, pw in DEMO_USERS],
            "applications": [claim.id, internship.id, award.id], "payments": [p.id for p in paid]}


def main() -> int:
    if not demo_mode():
        print("经办台账 /ledger：演示模式未开启，演示账号不可登录（make run DEMO=1 开启；"
              "用户由管理员在 /ledger/users 或 `jiuye ledger add-user` 创建）")
        return 0
    ledger = Ledger()
    try:
        if not ledger.counts().get("users"):
            try:
                seed_demo(ledger)
                print(f"经办台账：已写入演示数据（{database_url()}）")
            except LedgerError as error:
                print(f"经办台账：未写入演示数据：{error.message}", file=sys.stderr)
        names = set()
        for username, *_ in DEMO_USERS:
            try:
                if ledger.user_by_name(username).is_demo:
                    names.add(username)
            except LedgerError:
                pass
        if names:
            print("经办台账 /ledger 演示账号（仅演示模式 JIUYE_DEMO=1 下可登录）：")
            for username, role, display, password in DEMO_USERS:
                if username in names:
                    print(f"  用户名 {username:<8} 密码 {password:<18} {display}")
        else:
            print("经办台账：台账已有用户，没有演示账号")
    finally:
        ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
