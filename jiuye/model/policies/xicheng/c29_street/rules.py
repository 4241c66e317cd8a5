"""Clause 29 (加强就业工作督查考核): 促进就业经费 of at most 50万 / 30万 / 10万 for a street assessed 成绩突出 /
优秀 / 较好; the requested amount up to the cap, the cap (a ceiling) when none is given.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.places import District


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


named(globals())
