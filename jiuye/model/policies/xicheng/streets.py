"""Clauses 29 and 30: funds for streets (街道) and communities (社区).

* 29 — 区就业工作领导小组办公室 assesses the streets every year: 成绩突出 → 不超过50万元,
  优秀 → 不超过30万元, 较好 → 不超过10万元 促进就业经费. "不超过" is a ceiling: the amount is
  min(requested amount, cap) when the requested amount is given, else the cap flagged as a ceiling.
  One situation describes one year's assessment; the amount is due on the assessment date.
* 30 — communities recognised each year: 充分就业社区 → 1万元, 充分就业示范社区 → 4万元 就业活动经费
  per year. A community with both recognitions in a year gets the higher one (catalogue stacking
  group xicheng/30, policy highest). Due on the recognition date.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import assessment_day, condition, fact, installments, Installments, named
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.places import District


# --- clause 29: 街道促进就业经费 -------------------------------------------------------------------
class StreetAssessment(Enum):
    none = "未获评（或未参加考核）"
    good = "就业工作成绩较好"
    excellent = "就业工作成绩优秀"
    outstanding = "就业工作成绩突出"


xicheng_29_assessment_result = fact(
    Organisation, Enum, "年度就业再就业重点工作完成情况考核结果", possible_values=StreetAssessment,
    reference="xicheng/29", doc="区就业工作领导小组办公室对街道的年度考核结果。")
xicheng_29_assessment_date = fact(
    Organisation, date, "年度考核结果确定日期", reference="xicheng/29")
xicheng_29_requested_amount = fact(
    Organisation, float, "街道申请的促进就业经费金额（元）", reference="xicheng/29", unit="currency-CNY",
    doc="未提供时按上限计（标明为最高额）。")


def _street(org, period, parameters):
    return (org("org_type", period) == OrgType.street) & (org("registration_district", period) == District.xicheng)


xicheng_29_street = condition(
    Organisation, "街道（西城区街道办事处）", "xicheng/29", _street)


def _assessed(result):
    return lambda org, period, parameters: org("xicheng_29_assessment_result", period) == result


xicheng_29_outstanding = condition(
    Organisation, "就业工作成绩突出的街道", "xicheng/29", _assessed(StreetAssessment.outstanding))
xicheng_29_excellent = condition(
    Organisation, "就业工作成绩优秀的街道", "xicheng/29", _assessed(StreetAssessment.excellent))
xicheng_29_good = condition(
    Organisation, "就业工作成绩较好的街道", "xicheng/29", _assessed(StreetAssessment.good))
xicheng_29_assessed_by_now = condition(
    Organisation, "年度考核结果确定之日在评估之日或之前", "xicheng/29",
    lambda org, period, parameters: org("xicheng_29_assessment_date", period) <= assessment_day(org, period))


@installments("xicheng/29")
def employment_promotion_fund(org, period, parameters):
    p = parameters.xicheng.c29
    result = org("xicheng_29_assessment_result", period)
    cap = np.select([result == StreetAssessment.outstanding, result == StreetAssessment.excellent,
                     result == StreetAssessment.good], [p.cap_outstanding, p.cap_excellent, p.cap_good], 0.0)
    requested = org("xicheng_29_requested_amount", period)
    unknown = np.isnan(requested)
    amount = np.where(unknown, cap, np.minimum(np.where(unknown, 0.0, requested), cap))
    return Installments.stack([(org("xicheng_29_assessment_date", period), amount, unknown)])


# --- clause 30: 社区就业活动经费 -------------------------------------------------------------------
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


def _on_or_before_period_end(date_name):
    return lambda org, period, parameters: org(date_name, period) <= assessment_day(org, period)


xicheng_30_full_employment_date_reached = condition(
    Organisation, "充分就业社区认定之日在评估之日或之前", "xicheng/30",
    _on_or_before_period_end("xicheng_30_full_employment_date"))
xicheng_30_demonstration_date_reached = condition(
    Organisation, "充分就业示范社区评定之日在评估之日或之前", "xicheng/30",
    _on_or_before_period_end("xicheng_30_demonstration_date"))


@installments("xicheng/30/full")
def full_employment_fund(org, period, parameters):
    return Installments.stack([(org("xicheng_30_full_employment_date", period),
                                parameters.xicheng.c30.full_employment)])


@installments("xicheng/30/demonstration")
def demonstration_fund(org, period, parameters):
    return Installments.stack([(org("xicheng_30_demonstration_date", period),
                                parameters.xicheng.c30.demonstration)])


named(globals())
