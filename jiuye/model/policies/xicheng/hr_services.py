"""Clauses 25–27: 经营性人力资源服务机构 (HR agencies) — placement, headhunting, grade subsidies.

* 附则（一） — 本区经营性人力资源服务机构: licensed or filed (许可或备案) in Xicheng, paying tax
  according to law (依法纳税) and operating normally. Three conditions, grouped by the catalogue
  definition `xicheng_hr_agency` (catalogue.d/c25_c30.yaml).
* 25 — such an agency taking part in 公益性招聘会 and serving 重点群体, successfully recommending
  Xicheng-hukou 登记失业人员 into 稳定就业 of 6 months or more: 1000 per person (职业介绍补贴).
  The situation gives the count of such persons (one application batch) and the date from which the
  last of them is in stable employment; the subsidy is due when six months are completed.
* 26 — headhunting (高级人才寻访) for an employer paying tax in Xicheng, post salary 60万元以上 per
  year: the agency gets 10% of the service fee (人才服务奖励) and the employer 10% of the fee
  (人才引进补贴). One organisation record describes one engagement, from its own side. An unknown
  fee gives an eligible result whose amount is unknown (NaN), never a silent zero.
* 27 — AAA or 北京市人力资源诚信服务示范单位: 15万/yr; AAAA or 全国人力资源诚信服务示范机构: 25万/yr;
  AAAAA: 50万/yr; at most three years; the highest standard only (catalogue stacking group).
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import assessment_day, condition, fact, installments, Installments, named
from jiuye.model.dates import DAY, NEVER, add_months, add_years
from jiuye.model.entities import Organisation
from jiuye.model.facts.places import District


# --- 附则（一）: 本区经营性人力资源服务机构 -----------------------------------------------------------
xicheng_hr_licence_district = fact(
    Organisation, Enum, "取得人力资源服务许可或备案的所在区", possible_values=District,
    reference="xicheng/附则/一",
    doc="人力资源服务许可证或备案凭证的颁发（备案）地所在区；未取得许可或备案的填 unknown。"
        "经营性人力资源服务机构依法须取得许可或备案，公共人力资源服务机构不需要。")
xicheng_pays_tax_lawfully = fact(
    Organisation, bool, "依法纳税", reference="xicheng/附则/一",
    doc="依法办理税务登记并按期申报缴纳税款，无欠税。")

xicheng_hr_agency_licensed_in_xicheng = condition(
    Organisation, "在西城区取得许可或备案资质", "xicheng/附则/一",
    lambda org, period, parameters: org("xicheng_hr_licence_district", period) == District.xicheng)
xicheng_hr_agency_operating = condition(
    Organisation, "正常开展经营活动", "xicheng/附则/一",
    lambda org, period, parameters: org("operating_normally", period))


# --- clause 25: 职业介绍补贴 ---------------------------------------------------------------------
xicheng_25_joined_public_welfare_job_fair = fact(
    Organisation, bool, "参与公益性招聘会", reference="xicheng/25")
xicheng_25_served_priority_groups = fact(
    Organisation, bool, "为重点群体提供就业服务", reference="xicheng/25")
xicheng_25_placements = fact(
    Organisation, int, "成功推荐本区户籍的登记失业人员实现稳定就业的人数", reference="xicheng/25",
    unit="person",
    doc="本次申请（一个批次）中，经本机构成功推荐、实现稳定就业的本区户籍登记失业人员人数。"
        "“实现稳定就业”按第6条：一年及以上期限劳动合同、按规定缴纳职工社会保险、按月足额发放不低于"
        "本市最低工资标准1.2倍的工资。")
xicheng_25_employment_start_date = fact(
    Organisation, date, "被推荐人员实现稳定就业的起始日期（本批最晚一人）", reference="xicheng/25",
    doc="本批被推荐人员中最晚一人劳动合同起始（实现稳定就业）之日；满6个月之日起本批全部人员均可申请。")

xicheng_25_placed_registered_unemployed = condition(
    Organisation, "成功推荐本区户籍的登记失业人员实现稳定就业", "xicheng/25",
    lambda org, period, parameters: org("xicheng_25_placements", period) >= 1)


def six_months_completed_on(start, months):
    """The day the stable employment of `months` months is completed (届满): the day before the
    corresponding day `months` later (start 2026-03-15, 6 months → 2026-09-14)."""
    return add_months(start, months) - DAY


def _six_months(org, period, parameters):
    months = parameters(period).xicheng.c25.min_months
    completed = six_months_completed_on(org("xicheng_25_employment_start_date", period), months)
    return completed <= assessment_day(org, period)


xicheng_25_stable_six_months = condition(
    Organisation, "实现稳定就业6个月以上", "xicheng/25", _six_months,
    doc="6个月以上含6个月：自稳定就业起始日起满6个月（对应日的前一日届满）在评估之日或之前。")


@installments("xicheng/25")
def placement_subsidy(org, period, parameters):
    p = parameters.xicheng.c25
    count = org("xicheng_25_placements", period)
    due = six_months_completed_on(org("xicheng_25_employment_start_date", period), p.min_months)
    return Installments.stack([(due, count * p.amount_per_person)])


# --- clause 26: 高级人才寻访 ----------------------------------------------------------------------
xicheng_26_provided_headhunting = fact(
    Organisation, bool, "提供高级人才寻访服务并成功推荐高级人才（人力资源服务机构一方）", reference="xicheng/26",
    doc="一个机构记录描述一次寻访服务。")
xicheng_26_recruited_via_headhunting = fact(
    Organisation, bool, "接受高级人才寻访服务并经成功推荐引进高级人才（用人单位一方）", reference="xicheng/26",
    doc="一个用人单位记录描述一次寻访服务。")
xicheng_26_placement_date = fact(
    Organisation, date, "成功推荐日期（高级人才到岗之日）", reference="xicheng/26")
xicheng_26_post_annual_salary = fact(
    Organisation, float, "高级人才岗位年薪（元）", reference="xicheng/26", unit="currency-CNY")
xicheng_26_service_fee = fact(
    Organisation, float, "高级人才寻访服务费用（元）", reference="xicheng/26", unit="currency-CNY",
    doc="用人单位向人力资源服务机构支付的该次寻访服务费用。未提供时金额待定（不是0）。")
xicheng_26_client_tax_district = fact(
    Organisation, Enum, "服务对象（用人单位）纳税所在区", possible_values=District, reference="xicheng/26",
    doc="人力资源服务机构一方填写。")
xicheng_26_client_is_employer_unit = fact(
    Organisation, bool, "服务对象为用人单位（北京市行政区域内的企业、民办非企业单位，不含社会公益性就业组织）",
    reference="xicheng/26", doc="人力资源服务机构一方填写。")
xicheng_26_agency_is_xicheng_hr_agency = fact(
    Organisation, bool, "提供寻访服务的机构为本区经营性人力资源服务机构", reference="xicheng/26",
    doc="用人单位一方填写：该机构在西城区取得许可或备案资质、依法纳税、且正常开展经营活动。")

xicheng_26_recommended_by_now = condition(
    Organisation, "成功推荐（高级人才到岗）之日在评估之日或之前", "xicheng/26",
    lambda org, period, parameters: org("xicheng_26_placement_date", period) <= assessment_day(org, period),
    doc="单列为一项条件：未成功推荐时不必给出日期即可判定不符合。机构和用人单位两方共用。")


def _salary(org, period, parameters):
    threshold = parameters(period).xicheng.c26.salary_threshold
    return org("xicheng_26_post_annual_salary", period) >= threshold


xicheng_26_salary_600k_or_more = condition(
    Organisation, "高级人才岗位年薪60万元以上", "xicheng/26", _salary,
    doc="60万元以上含60万元（年薪600000元符合，599999.99元不符合）。")
xicheng_26_client_pays_tax_in_xicheng = condition(
    Organisation, "服务对象在本区纳税", "xicheng/26",
    lambda org, period, parameters: org("xicheng_26_client_tax_district", period) == District.xicheng)
xicheng_26_employer_pays_tax_in_xicheng = condition(
    Organisation, "在本区纳税的用人单位", "xicheng/26",
    lambda org, period, parameters: org("tax_district", period) == District.xicheng)


def _share_of_fee(org, period, rate) -> Installments:
    """`rate` × the service fee, due on the day of the successful recommendation. An unknown fee
    (NaN) stays NaN: the result is eligible with its amount unknown."""
    fee = org("xicheng_26_service_fee", period)
    return Installments.stack([(org("xicheng_26_placement_date", period), fee * rate)])


@installments("xicheng/26/agency")
def talent_service_reward(org, period, parameters):
    return _share_of_fee(org, period, parameters.xicheng.c26.agency_rate)


@installments("xicheng/26/employer")
def talent_recruitment_subsidy(org, period, parameters):
    return _share_of_fee(org, period, parameters.xicheng.c26.employer_rate)


# --- clause 27: 服务提升补贴 ----------------------------------------------------------------------
class HrGrade(Enum):
    none = "未评级"
    aaa = "AAA级"
    aaaa = "AAAA级"
    aaaaa = "AAAAA级"


xicheng_27_hr_grade = fact(
    Organisation, Enum, "人力资源服务机构等级评定结果", possible_values=HrGrade, reference="xicheng/27")
xicheng_27_grade_date = fact(Organisation, date, "等级评定日期", reference="xicheng/27")
xicheng_27_beijing_integrity_demo = fact(
    Organisation, bool, "被认定为“北京市人力资源诚信服务示范单位”", reference="xicheng/27")
xicheng_27_beijing_integrity_demo_date = fact(
    Organisation, date, "“北京市人力资源诚信服务示范单位”认定日期", reference="xicheng/27")
xicheng_27_national_integrity_demo = fact(
    Organisation, bool, "被认定为“全国人力资源诚信服务示范机构”", reference="xicheng/27")
xicheng_27_national_integrity_demo_date = fact(
    Organisation, date, "“全国人力资源诚信服务示范机构”认定日期", reference="xicheng/27")


def _rated(grade):
    return lambda org, period, parameters: org("xicheng_27_hr_grade", period) == grade


def _on_or_before_period_end(date_name):
    return lambda org, period, parameters: org(date_name, period) <= assessment_day(org, period)


xicheng_27_rated_aaa = condition(
    Organisation, "通过人力资源服务机构等级评定，被评为AAA级", "xicheng/27", _rated(HrGrade.aaa))
xicheng_27_rated_aaaa = condition(
    Organisation, "通过人力资源服务机构等级评定，被评为AAAA级", "xicheng/27", _rated(HrGrade.aaaa))
xicheng_27_rated_aaaaa = condition(
    Organisation, "通过人力资源服务机构等级评定，被评为AAAAA级", "xicheng/27", _rated(HrGrade.aaaaa))
xicheng_27_grade_date_reached = condition(
    Organisation, "等级评定之日在评估之日或之前", "xicheng/27", _on_or_before_period_end("xicheng_27_grade_date"))
xicheng_27_beijing_demo_date_reached = condition(
    Organisation, "“北京市人力资源诚信服务示范单位”认定之日在评估之日或之前", "xicheng/27",
    _on_or_before_period_end("xicheng_27_beijing_integrity_demo_date"))
xicheng_27_national_demo_date_reached = condition(
    Organisation, "“全国人力资源诚信服务示范机构”认定之日在评估之日或之前", "xicheng/27",
    _on_or_before_period_end("xicheng_27_national_integrity_demo_date"))


def _date_if(org, period, flag_holds, date_name):
    return np.where(flag_holds, org(date_name, period).astype("datetime64[D]"), NEVER)


def _yearly(start, amount, max_years) -> Installments:
    """每年 … 最长不超过三年: one installment at the start of each subsidy year — on the rating or
    recognition date and on its anniversaries — for at most `max_years` years."""
    return Installments.stack([(add_years(start, k), amount) for k in range(int(max_years))])


@installments("xicheng/27/aaa")
def service_upgrade_aaa(org, period, parameters):
    p = parameters.xicheng.c27
    grade = org("xicheng_27_hr_grade", period)
    start = np.minimum(_date_if(org, period, grade == HrGrade.aaa, "xicheng_27_grade_date"),
                       _date_if(org, period, org("xicheng_27_beijing_integrity_demo", period),
                                "xicheng_27_beijing_integrity_demo_date"))
    return _yearly(start, p.aaa, p.max_years)


@installments("xicheng/27/aaaa")
def service_upgrade_aaaa(org, period, parameters):
    p = parameters.xicheng.c27
    grade = org("xicheng_27_hr_grade", period)
    start = np.minimum(_date_if(org, period, grade == HrGrade.aaaa, "xicheng_27_grade_date"),
                       _date_if(org, period, org("xicheng_27_national_integrity_demo", period),
                                "xicheng_27_national_integrity_demo_date"))
    return _yearly(start, p.aaaa, p.max_years)


@installments("xicheng/27/aaaaa")
def service_upgrade_aaaaa(org, period, parameters):
    p = parameters.xicheng.c27
    start = _date_if(org, period, org("xicheng_27_hr_grade", period) == HrGrade.aaaaa, "xicheng_27_grade_date")
    return _yearly(start, p.aaaaa, p.max_years)


named(globals())
