"""Clause 30 (持续创建充分就业地区): 就业活动经费 of 1万 for a 充分就业社区 and 4万 for a 充分就业示范社区 a
year; a community with both gets the higher one (stacking group).
"""

from datetime import date

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.places import District

from ..common import by_assessment_day


xicheng_30_full_employment_community = fact(
    Organisation, bool, "被认定为充分就业社区", reference="xicheng/30",
    doc="区就业工作领导小组办公室按照北京市充分就业地区评价标准每年认定。")
xicheng_30_full_employment_date = fact(
    Organisation, date, "充分就业社区认定日期", reference="xicheng/30")
xicheng_30_demonstration_community = fact(
    Organisation, bool, "被评定为充分就业示范社区", reference="xicheng/30")
xicheng_30_demonstration_date = fact(
    Organisation, date, "充分就业示范社区评定日期", reference="xicheng/30")


def _community(org, period, parameters):
    return (org("org_type", period) == OrgType.community) & (org("registration_district", period) == District.xicheng)


xicheng_30_community = condition(Organisation, "社区（西城区社区）", "xicheng/30", _community)


xicheng_30_full_employment_date_reached = condition(
    Organisation, "充分就业社区认定之日在评估之日或之前", "xicheng/30",
    by_assessment_day("xicheng_30_full_employment_date"))
xicheng_30_demonstration_date_reached = condition(
    Organisation, "充分就业示范社区评定之日在评估之日或之前", "xicheng/30",
    by_assessment_day("xicheng_30_demonstration_date"))


@installments("xicheng/30/full")
def full_employment_fund(org, period, parameters):
    return Installments.stack([(org("xicheng_30_full_employment_date", period),
                                parameters.xicheng.c30.full_employment)])


@installments("xicheng/30/demonstration")
def demonstration_fund(org, period, parameters):
    return Installments.stack([(org("xicheng_30_demonstration_date", period),
                                parameters.xicheng.c30.demonstration)])


named(globals())
