"""Demo data (``jiuye ledger seed-demo``, demo mode only: ``JIUYE_DEMO=1``): one user per role and
sample claims, among them a 西城 岗位补贴 claim (xicheng/6/employer) approved and partly paid.
The demo passwords are printed and work only in demo mode (demo accounts are refused otherwise)."""

from __future__ import annotations

import copy
import datetime as dt

from .config import demo_mode
from .errors import Refused
from .ids import make_id_number, make_uscc
from .service import Ledger

DEMO_USERS = [  # username, role, display name, password
    ("admin", "admin", "管理员（演示）", "demo-admin-2026"),
    ("jingban", "case_worker", "经办员 王芳（演示）", "demo-jingban-2026"),
    ("shenhe", "reviewer", "审核员 李强（演示）", "demo-shenhe-2026"),
    ("zhaoliu", "applicant", "申请人 赵六（演示）", "demo-zhaoliu-2026"),
]

XICHENG_6 = {
    "persons": {"zhang_san": {
        "birth_date": "1995-05-01", "hukou_district": "xicheng", "registered_unemployed_at_hire": True,
        "dibao": False, "veteran": False, "education_level": "high_school", "public_welfare_placed": False,
        "city_diverted_worker": False, "contract_start_date": "2024-03-15", "contract_type": "fixed_term",
        "contract_term_months": 36, "monthly_wage": 4000, "wage_paid_monthly_in_full": True,
        "social_insurance_paid": True}},
    "organisations": {"xicheng_company": {"employees": ["zhang_san"], "org_type": "limited_company",
                                          "registration_district": "xicheng"}},
}
XICHENG_9 = {
    "persons": {"zhao_liu": {
        "birth_date": "2003-05-08", "hukou_district": "xicheng", "registered_unemployed": False, "employed": False,
        "education_level": "bachelor", "graduation_date": "2025-07-01", "student_origin_city": "beijing",
        "internship_start_date": "2026-03-01", "internship_end_date": "2027-02-28",
        "xicheng_meets_city_internship_subsidy_conditions": True, "xicheng_internship_si_via_district_centre": True,
        "xicheng_internship_allowance_received_before": False, "receives_flexible_employment_si_subsidy": False,
        "receives_unemployment_insurance": False}},
    "organisations": {"internship_unit": {"interns": ["zhao_liu"], "org_type": "limited_company",
                                          "registration_district": "xicheng",
                                          "xicheng_recognised_internship_unit": True}},
}
XICHENG_15 = {
    "persons": {"wang_wu": {"hukou_district": "haidian"}},
    "organisations": {"new_tech_co": {
        "founders": ["wang_wu"], "org_type": "limited_company", "registration_district": "xicheng",
        "premises_district": "xicheng", "registration_date": "2025-02-20", "xicheng_15_stable_hires": 56,
        "operating_normally": True, "social_insurance_district": "xicheng", "tax_district": "xicheng",
        "xicheng_16_service_carrier": False, "xicheng_17_contest_prize": "none"}},
}

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
                          situation=copy.deepcopy(XICHENG_6), on=SUBMITTED)
    ledger.approve(rv, claim.id, on=SUBMITTED + dt.timedelta(days=1), reason="材料齐全，劳动合同、社保缴费记录、工资发放记录核验无误")
    paid = []
    for inst in ledger.application(cw, claim.id).installments:
        if inst.due <= SUBMITTED + dt.timedelta(days=2):
            paid.append(ledger.pay(cw, inst.id, on=SUBMITTED + dt.timedelta(days=2),
                                   idempotency_key=f"demo-transfer-{inst.id}", reference=f"DEMO-{inst.id:06d}"))
    internship = ledger.submit(users["zhaoliu"].id, measure_id="xicheng/9", beneficiary_id=zhao.id,
                               situation=copy.deepcopy(XICHENG_9), on=SUBMITTED)
    award = ledger.submit(cw, measure_id="xicheng/15", beneficiary_id=startup.id,
                          situation=copy.deepcopy(XICHENG_15), on=SUBMITTED)
    return {"users": [(u, role, pw) for u, role, _, pw in DEMO_USERS],
            "applications": [claim.id, internship.id, award.id], "payments": [p.id for p in paid]}
