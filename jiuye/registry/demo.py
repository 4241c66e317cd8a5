"""The registry's demo data: one street of 西城区 (德胜街道) with the community 新街口社区 — persons in the
target groups, a 零就业家庭, contacts, a plan with an overdue step — and its users (a 专员, a
supervisor, an HR agency), in demo mode only (``JIUYE_DEMO=1``), into an empty registry.

Seeded by the web app's startup in demo mode (``make run``) and by ``python -m jiuye.registry.demo``.
``tests/registry/test_figures.py`` counts the demo's figures by hand.
"""

from __future__ import annotations

import datetime as dt
import sys

from sqlalchemy import func, select

from ..ids import make_id_number
from ..ledger.config import demo_mode
from ..ledger.errors import LedgerError, Refused
from .models import Area

DAY = dt.date(2026, 11, 23)        # the demo's "today" (the ledger demo's submission day)
AGENCY = "北京德胜人力资源服务有限公司（演示）"
USERS = [  # username, ledger role, display name, password, registry role
    ("zhuanyuan", "case_worker", "就业服务专员 刘静（演示）", "demo-zhuanyuan-2026", "specialist"),
    ("zhuanyuan2", "case_worker", "就业服务专员 高峰（演示）", "demo-zhuanyuan2-2026", "specialist"),
    ("dudao", "case_worker", "街道就业督导 马骏（演示）", "demo-dudao-2026", "supervisor"),
    ("jigou", "case_worker", "人力资源服务机构（演示）", "demo-jigou-2026", "hr_agency"),
]


def _number(birth: dt.date, sequence: int) -> str:
    return make_id_number("110102", birth, sequence)


def seed(registry) -> dict:
    """Write the demo into an empty registry (demo mode only)."""
    if not demo_mode():
        raise Refused("demo_disabled", "演示数据只在演示模式下写入：设置 JIUYE_DEMO=1")
    with registry.db.read() as s:
        if s.scalar(select(func.count(Area.id))):
            raise Refused("not_empty", "实名制台账已有数据；演示数据只写入空台账")
    ledger = registry.claims_ledger()
    users = {}
    for username, role, name, password, _ in USERS:
        try:
            users[username] = ledger.user_by_name(username).id
        except LedgerError:
            users[username] = ledger.create_user(None, username, role, password=password, display_name=name,
                                                 is_demo=True).id
    district = registry.add_area(None, "district", "西城区", district="xicheng")["id"]
    street = registry.add_area(None, "street", "德胜街道", parent_id=district)["id"]
    xinjiekou = registry.add_area(None, "community", "新街口社区", parent_id=street)["id"]
    liupukang = registry.add_area(None, "community", "六铺炕社区", parent_id=street)["id"]
    registry.assign_role(None, users["zhuanyuan"], "specialist", area_id=xinjiekou)
    registry.assign_role(None, users["zhuanyuan2"], "specialist", area_id=liupukang)
    registry.assign_role(None, users["dudao"], "supervisor", area_id=street)
    registry.assign_role(None, users["jigou"], "hr_agency", agency=AGENCY)
    zy = users["zhuanyuan"]

    def person(name, birth, seq, **kw):
        return registry.register_person(zy, _number(birth, seq), name, xinjiekou, on="2026-09-01",
                                        hukou_district="xicheng", **kw)["id"]

    def graduate(pid, registered, origin="beijing"):
        registry.add_status(zy, pid, "graduate", start_on=registered,
                            details={"graduation_date": "2026-06-30", "school": "北京某大学", "origin": origin})

    # 1 张伟: registered unemployed since September; contacted in October only
    zhang = person("张伟", dt.date(1988, 4, 12), 31)
    registry.add_status(zy, zhang, "unemployed", start_on="2026-09-01")
    registry.record(zy, zhang, "phone", on="2026-10-15", outcome="有求职意向，推荐参加招聘会", next_contact_on="2026-11-15")
    # 2 李娜: 困难家庭 graduate with 就业意愿, registered on Nov 1: 回访 and 一生一策 due
    li = person("李娜", dt.date(2004, 2, 3), 42)
    graduate(li, "2026-11-01")
    registry.add_status(zy, li, "low_income", start_on="2025-01-01", details={"kind": "低保"})
    registry.add_status(zy, li, "willing", start_on="2026-11-01")
    # 3 王强: graduate registered Oct 1, visited Oct 10
    wang = person("王强", dt.date(2003, 8, 19), 53)
    graduate(wang, "2026-10-01")
    registry.record(zy, wang, "visit", on="2026-10-10", outcome="上门回访，正在准备公务员考试")
    # 4 周杰: graduate registered Oct 1, employed since Oct 20 (counts in the employment rate)
    zhou = person("周杰", dt.date(2004, 1, 5), 65)
    graduate(zhou, "2026-10-01")
    registry.record(zy, zhou, "job_referral", on="2026-10-12", employer="北京某科技有限公司", post="测试工程师",
                    outcome="推荐成功，已面试")
    registry.add_spell(zy, zhou, "employee", start_on="2026-10-20", employer="北京某科技有限公司", contract=True,
                       insured=True)
    # 5 吴敏: graduate registered Nov 10 from outside Beijing (not in the 北京生源 rate), not yet visited
    wu = person("吴敏", dt.date(2004, 6, 30), 76)
    graduate(wu, "2026-11-10", origin="tianjin")
    # 6, 7 赵军 and 刘芳: a 零就业家庭; a plan for 赵军 with an overdue step
    zhao = person("赵军", dt.date(1972, 3, 8), 87, household="赵家")
    liu = person("刘芳", dt.date(1975, 9, 9), 98, household="赵家", retirement_category="female_50")
    registry.add_status(zy, zhao, "unemployed", start_on="2026-08-01")
    registry.record(zy, zhao, "visit", on="2026-11-05", outcome="家庭零就业，制定帮扶计划")
    registry.open_plan(zy, zhao, on="2026-11-05", goals="两个月内实现一人就业（零就业家庭清零）",
                       steps=[("职业指导：梳理求职方向", "2026-11-12"), ("推荐社区周边岗位3个", "2026-11-30")])
    registry.escalate(zy, on=DAY)
    # 8 陈刚: registered unemployed, willingness not recorded; referred to an HR agency's plan
    chen = person("陈刚", dt.date(1990, 12, 1), 109)
    registry.add_status(zy, chen, "unemployed", start_on="2026-10-01")
    registry.record(zy, chen, "guidance", on="2026-10-08", outcome="职业指导")
    registry.record(zy, chen, "agency_referral", on="2026-11-09", agency=AGENCY, outcome="转介机构制定帮扶计划")
    registry.open_plan(zy, chen, on="2026-11-09", goals="机构帮扶：三个月内就业", agency=AGENCY,
                       steps=[("机构面谈", "2026-11-20")])
    return {"users": [(u, password, label) for u, _, label, password, _ in USERS], "community": xinjiekou}


def main() -> int:
    from ..ledger.config import database_url
    from .service import Registry
    if not demo_mode():
        print("实名制台账 /registry：演示模式未开启，不写入演示数据")
        return 0
    registry = Registry()
    try:
        out = seed(registry)
        print(f"实名制台账：已写入演示数据（{database_url()}）")
        for username, password, label in out["users"]:
            print(f"  用户名 {username:<10} 密码 {password:<22} {label}")
    except LedgerError as error:
        print(f"实名制台账：未写入演示数据：{error.message}", file=sys.stderr)
    finally:
        registry.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
