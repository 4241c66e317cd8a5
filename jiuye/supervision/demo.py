"""Demo data of 督办与调度 (demo mode only), written after the ledger's demo data by
``jiuye.ledger.demo.seed_demo``: users for the 和平区 office and two of its units, three months of
reports (2024-04 to 2024-06: on time, late, returned, missing), job fairs, a 和平 claim in the ledger
(heping/十/hiring, approved and paid in 2024-06) so that 政策成效 has figures, and in 西城 two streets
reporting through 2025 and assessed for 2025 (xicheng/29), their grade feeding the funding measure.
"""

from __future__ import annotations

import datetime as dt

from ..ids import make_id_number, make_uscc
from .assessment import assess
from .service import Supervision
from .tasks import OFFICE

DEMO_USERS = [  # username, display name, password, (scope, unit)
    ("bangongshi", "和平区就业工作领导小组办公室 刘敏（演示）", "demo-hp-office-2026", ("heping", OFFICE)),
    ("renshe", "和平区人社局 陈刚（演示）", "demo-hp-hrss-2026", ("heping", "区人社局")),
    ("minzheng", "和平区民政局 周丽（演示）", "demo-hp-civil-2026", ("heping", "区民政局")),
    ("xc_bangongshi", "西城区就业工作领导小组办公室 王磊（演示）", "demo-xc-office-2026", ("xicheng", OFFICE)),
    ("desheng", "西城区德胜街道 赵静（演示）", "demo-xc-street1-2026", ("xicheng", "德胜街道")),
    ("shichahai", "西城区什刹海街道 孙伟（演示）", "demo-xc-street2-2026", ("xicheng", "什刹海街道")),
]
STREETS = ("德胜街道", "什刹海街道")
HEPING_MONTHS = ("2024-04", "2024-05", "2024-06")


def _report(sup, user, task, month, status, on, submit=True, figures=None, **texts):
    return sup.save_report(user, task, month, status=status, on=on, submit=submit, figures=figures or {}, **texts)


def seed(ledger, ledger_users: dict | None = None) -> dict:
    sup = Supervision(ledger)
    users = {}
    for username, name, password, (scope, unit) in DEMO_USERS:
        if scope == "xicheng" and unit in STREETS and not sup.find_units(f"xicheng/{unit}"):
            for street in STREETS:
                sup.add_unit(None, "xicheng", street)
                sup.assign(None, "xicheng/附则/三/street_measures", sup.unit("xicheng", street).id, "co")
        user = ledger.create_user(None, username, "case_worker", password=password, display_name=name, is_demo=True)
        sup.add_member(None, user.id, sup.unit(scope, unit).id)
        users[username] = user.id
    renshe, minzheng, office = users["renshe"], users["minzheng"], users["bangongshi"]
    rs = sup.unit("heping", "区人社局").id
    # job fairs (heping/附件1/54: 每月不少于2场): April 2, May 1 (missed), June 2
    for day, title, mode in (("2024-04-12", "“24小时就业超市”春季招聘会", "offline"), ("2024-04-26", "线上直播带岗", "online"),
                             ("2024-05-17", "高校毕业生专场招聘会", "offline"), ("2024-06-07", "线上招聘周", "online"),
                             ("2024-06-21", "就业困难人员专场招聘会", "offline")):
        sup.record_event(renshe, rs, held_on=day, title=title, mode=mode, task_id="heping/附件1/54")
    texts = {
        "2024-04": dict(progress="开展“24小时就业超市”线下招聘会1场、线上直播带岗1场，进场企业46家。",
                        effects="一次性吸纳就业补贴受理咨询38人次。", difficulties="部分企业参保缴费时间不满3个月，暂不符合申领条件。",
                        next_steps="5月举办高校毕业生专场招聘会。", suggestions="建议市级平台共享参保数据，减少企业提交材料。"),
        "2024-05": dict(progress="举办高校毕业生专场招聘会1场；原定线上招聘会因平台升级顺延至6月。",
                        effects="一次性吸纳就业补贴受理3件。", difficulties="线上招聘平台升级，5月仅开展1场招聘活动。",
                        next_steps="6月补办线上招聘周，并举办就业困难人员专场招聘会。", suggestions=""),
        "2024-06": dict(progress="开展线上招聘周和就业困难人员专场招聘会各1场。",
                        effects="一次性吸纳就业补贴批准1件并已支付。", difficulties="",
                        next_steps="7月开展“高校毕业生离校季”系列招聘活动。", suggestions="建议增加专场招聘会场地经费。"),
    }
    on_time = {"2024-04": "2024-05-06", "2024-05": "2024-06-04", "2024-06": "2024-07-03"}
    for month in HEPING_MONTHS:
        status = "delayed" if month == "2024-05" else "on_track"
        _report(sup, renshe, "heping/附件1/54", month, status, on_time[month], **texts[month])
        _report(sup, renshe, "heping/附件1/52", month, "on_track", on_time[month], figures={"follow_ups": 1},
                progress="对登记失业人员开展月度电话跟踪调查。")
        _report(sup, renshe, "heping/附件1/29", month, "on_track", on_time[month],
                progress="受理企业一次性吸纳就业补贴申请。", effects=texts[month]["effects"])
    # 区民政局: April on time, May late (after the 5th), June missing (overdue)
    _report(sup, minzheng, "heping/附件1/15", "2024-04", "on_track", "2024-05-05",
            figures={"care_homes_min": 1, "care_homes_max": 1, "day_centres_min": 0, "day_centres_max": 0,
                     "emergency_care": 2050, "care_allowance": 2810},
            progress="新开办养老机构1家；日间照料中心选址完成。", difficulties="日间照料中心用房改造审批周期长。",
            next_steps="6月底前完成日间照料中心改造。")
    may = _report(sup, minzheng, "heping/附件1/15", "2024-05", "delayed", "2024-06-11",
                  figures={"care_homes_min": 1, "care_homes_max": 1, "day_centres_min": 0, "day_centres_max": 0,
                           "emergency_care": 2060, "care_allowance": 2830},
                  progress="日间照料中心改造施工中。", difficulties="施工单位进场推迟。")
    sup.comment(office, may.id, "请补充日间照料中心改造的完成时限和资金安排后重新报送。", return_report=True)
    sup.save_report(minzheng, "heping/附件1/15", "2024-05", status="delayed", on="2024-06-12", submit=True,
                    figures={"care_homes_min": 1, "care_homes_max": 1, "day_centres_min": 0, "day_centres_max": 0,
                             "emergency_care": 2060, "care_allowance": 2830},
                    progress="日间照料中心改造施工中，预计7月15日完工，资金已落实（区财政安排）。",
                    difficulties="施工单位进场推迟。", next_steps="7月中旬完工并投入运营。")
    _report(sup, minzheng, "heping/附件1/62", "2024-06", "on_track", "2024-07-01", submit=False,
            progress="（草稿）核定家庭收入时扣减政策执行情况统计中。")
    claim = _heping_claim(ledger, ledger_users or {})
    # 西城: two streets reporting monthly through 2025, assessed on 2026-01-20
    street_users = {"德胜街道": users["desheng"], "什刹海街道": users["shichahai"]}
    task = "xicheng/附则/三/street_measures"
    for month in range(1, 13):
        period = f"2025-{month:02d}"
        submitted = dt.date(2025, month, 28) + dt.timedelta(days=8)          # the 5th or so of the next month
        on = submitted.replace(day=3).isoformat()
        _report(sup, street_users["德胜街道"], task, period, "on_track", on,
                progress=f"{month}月：街道就业服务站开展岗位推送和政策宣传。")
        if month % 3:                                                         # 什刹海: a report missed each quarter
            late = month in (5, 9)
            _report(sup, street_users["什刹海街道"], task, period, "delayed" if late else "on_track",
                    submitted.replace(day=12 if late else 4).isoformat(),
                    progress=f"{month}月：社区就业帮扶台账更新。")
    grades = {street: assess(sup, users["xc_bangongshi"], sup.unit("xicheng", street).id, 2025, on="2026-01-20")
              for street in STREETS}
    return {"users": [(u, pw) for u, _, pw, _ in DEMO_USERS], "claim": claim,
            "grades": {k: v["grade"] for k, v in grades.items()}}


def _heping_claim(ledger, ledger_users: dict) -> int | None:
    """A 和平 claim (heping/十/hiring) recorded, approved and paid in June 2024."""
    from ..examples import load_example
    cw, rv = ledger_users.get("jingban"), ledger_users.get("shenhe")
    if cw is None or rv is None:
        return None
    situation = load_example("heping_十_hiring.json")[0]
    company = ledger.register_applicant(None, "organisation", make_uscc("91", "120101", "MA0HP1000"), "和平物业服务有限公司")
    person = ledger.register_applicant(None, "person", make_id_number("120101", dt.date(1988, 4, 12), 331), "赵磊")
    claim = ledger.submit(cw, measure_id="heping/十/hiring", beneficiary_id=company.id, person_id=person.id,
                          situation=situation, on=dt.date(2024, 6, 20), beneficiary_key="heping_property_co",
                          person_key="zhao_lei")
    ledger.approve(rv, claim.id, on=dt.date(2024, 6, 21), reason="劳动合同、社保缴费记录核验无误")
    for inst in ledger.application(cw, claim.id).installments:
        if inst.due <= dt.date(2024, 6, 25) and inst.status == "scheduled":
            ledger.pay(cw, inst.id, on=dt.date(2024, 6, 25), idempotency_key=f"demo-heping-{inst.id}",
                       reference=f"DEMO-HP-{inst.id:06d}")
    return claim.id
