"""Clause 17 (扶持优秀创业项目): 创业扶持资金 of 80000 / 50000 / 30000 for the first / second / third prize of
the district 创业创新大赛, to a 创业实体 registered, insured and taxed in Xicheng.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import NOT_GIVEN, Installments, assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType


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
