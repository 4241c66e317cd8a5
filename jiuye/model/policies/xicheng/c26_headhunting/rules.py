"""Clause 26 (支持经营性人力资源服务机构引进高精尖人才): 10% of the headhunting fee to the agency and 10% to
the employer, for a post of 60万元 a year or more. One organisation record describes one engagement.
"""

from jiuye.model.base import Installments, condition, installments, named
from jiuye.model.entities import Organisation
from jiuye.model.facts.places import District
from jiuye.model.declared import declare

from ..common import in_district

declare(globals())


def _salary(org, period, parameters):
    threshold = parameters(period).xicheng.c26.salary_threshold
    return org("xicheng_26_post_annual_salary", period) >= threshold


xicheng_26_client_pays_tax_in_xicheng = condition(
    Organisation, "服务对象在本区纳税", "xicheng/26", in_district("xicheng_26_client_tax_district"))
xicheng_26_employer_pays_tax_in_xicheng = condition(
    Organisation, "在本区纳税的用人单位", "xicheng/26", in_district("tax_district"))


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


named(globals())
