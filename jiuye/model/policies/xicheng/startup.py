"""Clauses 14–17 (四、推进劳动者创业创新): rent subsidy, start-up hiring reward, incubation demonstration
base, start-up contest prizes.

Beneficiary of all four is an organisation (the start-up, the carrier). Conditions that establish the
event a one-off hinges on (registration, recognition, award) read its date, so a missing date leaves
the case undetermined instead of dating the payment 1970-01-01; event dates declared here default to
9999-12-31 ("not given").

附则（一）: 初创主体 = 工商登记当年的创业主体, of the legal forms 有限责任公司、股份有限公司、民办非企业单位、
城镇个体工商户、律师事务所、会计师事务所 (named definition `xicheng_new_startup` in
`catalogue.d/c14_c17.yaml`, built from the two conditions below).
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import NOT_GIVEN, assessment_day, condition, fact, installments, Installments, named
from jiuye.model.dates import DAY, add_months, add_years
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.places import District


def _registration_not_after_month_end(org, period):
    return org("registration_date", period) <= assessment_day(org, period)


# =================================================================================================
# 附则（一） 初创主体
# =================================================================================================
NEW_STARTUP_TYPES = (OrgType.limited_company, OrgType.joint_stock_company, OrgType.private_non_enterprise,
                     OrgType.individual_business, OrgType.law_firm, OrgType.accounting_firm)

xicheng_startup_legal_form = condition(
    Organisation, "创业主体，包括有限责任公司、股份有限公司、民办非企业单位、城镇个体工商户、律师事务所、会计师事务所",
    "xicheng/附则/一",
    lambda org, period, parameters: np.isin(org("org_type", period), [t.index for t in NEW_STARTUP_TYPES]),
    doc="合伙企业、个人独资企业等其他企业不在列举之内，不是初创主体。个体工商户不区分城镇与农村。")

xicheng_startup_registered = condition(
    Organisation, "工商登记（登记年度为“当年”）", "xicheng/附则/一",
    lambda org, period, parameters: _registration_not_after_month_end(org, period),
    doc="已办理工商登记，登记日期不晚于评估之日；“当年”指工商登记日期所在的公历年度。")


# =================================================================================================
# 14 降低创业创新成本: 房租补贴, at most 40000 (premises in Xicheng) / 20000 (门头沟区) a year, 3 years
# =================================================================================================
def _founder_hukou(org, period, parameters):
    xicheng = org.members("hukou_district", period) == District.xicheng
    return org.any(xicheng, role=Organisation.FOUNDER)


xicheng_14_founder_hukou = condition(
    Organisation, "本区户籍劳动力实现创业", "xicheng/14", _founder_hukou,
    doc="单位的创业者（创办人或法定代表人，角色founder）中至少一人为本区户籍。")

xicheng_14_registered_in_district = condition(
    Organisation, "在本区注册", "xicheng/14",
    lambda org, period, parameters: org("registration_district", period) == District.xicheng)

xicheng_14_operating_normally = condition(
    Organisation, "正常经营", "xicheng/14",
    lambda org, period, parameters: org("operating_normally", period))


def _operating_one_year(org, period, parameters):
    years = parameters(period).xicheng.c14.min_operating_years
    completed = add_years(org("registration_date", period), years) - DAY
    return completed <= assessment_day(org, period)


xicheng_14_operating_one_year = condition(
    Organisation, "经营一年以上（自注册之日起）", "xicheng/14", _operating_one_year,
    doc="自工商登记日期起算，第一年在登记日一年后对应日的前一日届满（一年以上含一年），届满之日不晚于评估之日。")

xicheng_14_premises_in_district = condition(
    Organisation, "经营场所在本区", "xicheng/14",
    lambda org, period, parameters: org("premises_district", period) == District.xicheng)

xicheng_14_premises_in_mentougou = condition(
    Organisation, "经营场所在门头沟区", "xicheng/14",
    lambda org, period, parameters: org("premises_district", period) == District.mentougou)


@installments("xicheng/14")
def rent_subsidy(org, period, parameters):
    """One installment per completed operating year k = 1..3 (due on its last day): the year's rent up
    to the cap of the premises' district; the cap itself (ceiling) when the rent is not given."""
    p = parameters.xicheng.c14
    premises = org("premises_district", period)
    cap = np.where(premises == District.xicheng, p.cap_xicheng,
                   np.where(premises == District.mentougou, p.cap_mentougou, 0.0))
    rent = org("annual_rent", period)
    unknown = np.isnan(rent)
    amount = np.where(unknown, cap, np.minimum(np.where(unknown, 0.0, rent), cap))
    start = org("registration_date", period)
    slots = []
    for k in range(1, int(p.max_years) + 1):
        slots.append((add_years(start, k) - DAY, amount, unknown))
    return Installments.stack(slots)


# =================================================================================================
# 15 鼓励创业带动就业: one-off reward per person hired in the registration year, capped at 100000
# =================================================================================================
xicheng_15_stable_hires = fact(
    Organisation, int, "工商登记当年吸纳本市户籍劳动力实现稳定就业6个月以上的人数", reference="xicheng/15", unit="person",
    doc=("劳动合同起始日在该单位工商登记当年（公历年度）内、本市户籍、按第6条实现稳定就业（一年及以上期限劳动合同、"
         "按规定缴纳职工社会保险、按月足额发放不低于本市最低工资标准1.2倍的工资）且已满6个月（可跨入次年）的人数；"
         "每人只计一次。"))

xicheng_15_registered_in_district = condition(
    Organisation, "注册地在本区", "xicheng/15",
    lambda org, period, parameters: org("registration_district", period) == District.xicheng)

xicheng_15_operating_in_district = condition(
    Organisation, "经营地在本区", "xicheng/15",
    lambda org, period, parameters: org("premises_district", period) == District.xicheng)


def _at_least_ten(org, period, parameters):
    scale = parameters(period).xicheng.c15.per_person
    lowest = min(t for t, amount in zip(scale.thresholds, scale.amounts) if amount > 0)
    return org("xicheng_15_stable_hires", period) >= lowest


xicheng_15_hires_at_least_10 = condition(
    Organisation, "当年吸纳本市户籍劳动力实现稳定就业6个月以上，10人（含）以上", "xicheng/15", _at_least_ten,
    doc="人数达到奖励标准的最低档（10人，含10人）。")


@installments("xicheng/15")
def startup_hiring_reward(org, period, parameters):
    """Persons × the tier's amount (800 from 10, 1000 from 50), due on 30 June of the year after
    registration: by then every hire of the registration year can have completed 6 months. The
    100000 cap is the catalogue's (`cap:` of xicheng/15)."""
    p = parameters.xicheng.c15
    persons = org("xicheng_15_stable_hires", period)
    amount = persons * p.per_person.calc(persons)
    next_year = (org("registration_date", period).astype("datetime64[Y]") + 1).astype("datetime64[D]")
    due = add_months(next_year, p.stable_months) - DAY
    return Installments.stack([(due, amount)])


# =================================================================================================
# 16 建设高质量创业服务载体: 30000 one-off to a recognised 创业孵化示范基地
# =================================================================================================
xicheng_16_service_carrier = fact(
    Organisation, bool, "创业服务载体（创业孵化基地、众创空间等）", reference="xicheng/16")
xicheng_16_demonstration_base = fact(
    Organisation, bool, "经区人力社保部门认定为创业孵化示范基地", reference="xicheng/16")
xicheng_16_recognition_date = fact(
    Organisation, date, "认定为创业孵化示范基地的日期", default=NOT_GIVEN, reference="xicheng/16")


xicheng_16_carrier_in_district = condition(
    Organisation, "本区（载体的经营场所在本区）", "xicheng/16",
    lambda org, period, parameters: org("premises_district", period) == District.xicheng)


xicheng_16_recognised_by_month_end = condition(
    Organisation, "认定日期不晚于评估之日", "xicheng/16",
    lambda org, period, parameters: org("xicheng_16_recognition_date", period) <= assessment_day(org, period))


@installments("xicheng/16")
def demonstration_base_subsidy(org, period, parameters):
    p = parameters.xicheng.c16
    return Installments.stack([(org("xicheng_16_recognition_date", period), np.full(org.count, p.operating_subsidy))])


# =================================================================================================
# 17 扶持优秀创业项目: 80000 / 50000 / 30000 for 1st / 2nd / 3rd prize of the district contest
# =================================================================================================
class ContestPrize(Enum):
    none = "未获奖"
    first = "一等奖"
    second = "二等奖"
    third = "三等奖"


xicheng_17_contest_prize = fact(
    Organisation, Enum, "区级创业创新大赛获奖等级", possible_values=ContestPrize, reference="xicheng/17")
xicheng_17_award_date = fact(
    Organisation, date, "区级创业创新大赛获奖日期", default=NOT_GIVEN, reference="xicheng/17")

STARTUP_ENTITY_TYPES = ENTERPRISE_TYPES + (OrgType.individual_business, OrgType.private_non_enterprise,
                                           OrgType.law_firm, OrgType.accounting_firm)

xicheng_17_startup_entity = condition(
    Organisation, "创业实体", "xicheng/17",
    lambda org, period, parameters: np.isin(org("org_type", period), [t.index for t in STARTUP_ENTITY_TYPES]),
    doc="企业（含合伙企业、个人独资企业）、个体工商户、民办非企业单位、律师事务所、会计师事务所；"
        "社会公益性就业组织、机关事业单位、街道、社区、行业协会、商会不是创业实体。")

xicheng_17_prize_won = condition(
    Organisation, "参加区级创业创新大赛，获得一、二、三等奖", "xicheng/17",
    lambda org, period, parameters: org("xicheng_17_contest_prize", period) != ContestPrize.none)

xicheng_17_awarded_by_month_end = condition(
    Organisation, "获奖日期不晚于评估之日", "xicheng/17",
    lambda org, period, parameters: org("xicheng_17_award_date", period) <= assessment_day(org, period))


@installments("xicheng/17")
def contest_award(org, period, parameters):
    p = parameters.xicheng.c17.award
    prize = org("xicheng_17_contest_prize", period)
    amount = np.select([prize == ContestPrize.first, prize == ContestPrize.second, prize == ContestPrize.third],
                       [p.first, p.second, p.third], 0.0)
    return Installments.stack([(org("xicheng_17_award_date", period), amount)])


named(globals())
