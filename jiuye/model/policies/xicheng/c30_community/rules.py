"""Clause 30 (持续创建充分就业地区): 就业活动经费 of 1万 for a 充分就业社区 and 4万 for a 充分就业示范社区 a
year; a community with both gets the higher one (stacking group).
"""

from jiuye.model.base import Installments, installments, named
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.places import District
from jiuye.model.declared import declare


declare(globals())


def _community(org, period, parameters):
    return (org("org_type", period) == OrgType.community) & (org("registration_district", period) == District.xicheng)


@installments("xicheng/30/full")
def full_employment_fund(org, period, parameters):
    return Installments.stack([(org("xicheng_30_full_employment_date", period),
                                parameters.xicheng.c30.full_employment)])


@installments("xicheng/30/demonstration")
def demonstration_fund(org, period, parameters):
    return Installments.stack([(org("xicheng_30_demonstration_date", period),
                                parameters.xicheng.c30.demonstration)])


named(globals())
