"""Clause 16 (建设高质量创业服务载体): a one-off 30000 运作补贴 to a Xicheng 创业服务载体 recognised as
创业孵化示范基地, due on the recognition date.
"""

from datetime import date

import numpy as np

from jiuye.model.base import NOT_GIVEN, Installments, assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation

from ..common import in_district


xicheng_16_service_carrier = fact(
    Organisation, bool, "创业服务载体（创业孵化基地、众创空间等）", reference="xicheng/16")
xicheng_16_demonstration_base = fact(
    Organisation, bool, "经区人力社保部门认定为创业孵化示范基地", reference="xicheng/16")
xicheng_16_recognition_date = fact(
    Organisation, date, "认定为创业孵化示范基地的日期", default=NOT_GIVEN, reference="xicheng/16")


xicheng_16_carrier_in_district = condition(
    Organisation, "本区（载体的经营场所在本区）", "xicheng/16", in_district("premises_district"))


xicheng_16_recognised_by_month_end = condition(
    Organisation, "认定日期不晚于评估之日", "xicheng/16",
    lambda org, period, parameters: org("xicheng_16_recognition_date", period) <= assessment_day(org, period))


@installments("xicheng/16")
def demonstration_base_subsidy(org, period, parameters):
    p = parameters.xicheng.c16
    return Installments.stack([(org("xicheng_16_recognition_date", period), np.full(org.count, p.operating_subsidy))])


named(globals())
