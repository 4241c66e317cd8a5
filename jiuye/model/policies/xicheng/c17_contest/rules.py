"""Clause 17 (扶持优秀创业项目): 创业扶持资金 of 80000 / 50000 / 30000 for the first / second / third prize of
the district 创业创新大赛, to a 创业实体 registered, insured and taxed in Xicheng.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.declared import declare

declare(globals())


STARTUP_ENTITY_TYPES = ENTERPRISE_TYPES + (OrgType.individual_business, OrgType.private_non_enterprise,
                                           OrgType.law_firm, OrgType.accounting_firm)

def _startup_entity(org, period, parameters):
    return np.isin(org("org_type", period), [t.index for t in STARTUP_ENTITY_TYPES])

def _prize_won(org, period, parameters):
    return org("xicheng_17_contest_prize", period) != ContestPrize.none


@installments("xicheng/17")
def contest_award(org, period, parameters):
    p = parameters.xicheng.c17.award
    prize = org("xicheng_17_contest_prize", period)
    amount = np.select([prize == ContestPrize.first, prize == ContestPrize.second, prize == ContestPrize.third],
                       [p.first, p.second, p.third], 0.0)
    return Installments.stack([(org("xicheng_17_award_date", period), amount)])


named(globals())
