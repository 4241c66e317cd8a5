"""Clause 27 (引导人力资源市场高质量发展): 服务提升补贴 of 15万 / 25万 / 50万 a year, at most three years, for
an AAA (or 北京市诚信示范) / AAAA (or 全国诚信示范) / AAAAA agency; the highest standard only.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.dates import NEVER, add_years
from jiuye.model.entities import Organisation

from ..common import by_assessment_day


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


xicheng_27_rated_aaa = condition(
    Organisation, "通过人力资源服务机构等级评定，被评为AAA级", "xicheng/27", _rated(HrGrade.aaa))
xicheng_27_rated_aaaa = condition(
    Organisation, "通过人力资源服务机构等级评定，被评为AAAA级", "xicheng/27", _rated(HrGrade.aaaa))
xicheng_27_rated_aaaaa = condition(
    Organisation, "通过人力资源服务机构等级评定，被评为AAAAA级", "xicheng/27", _rated(HrGrade.aaaaa))
xicheng_27_grade_date_reached = condition(
    Organisation, "等级评定之日在评估之日或之前", "xicheng/27", by_assessment_day("xicheng_27_grade_date"))
xicheng_27_beijing_demo_date_reached = condition(
    Organisation, "“北京市人力资源诚信服务示范单位”认定之日在评估之日或之前", "xicheng/27",
    by_assessment_day("xicheng_27_beijing_integrity_demo_date"))
xicheng_27_national_demo_date_reached = condition(
    Organisation, "“全国人力资源诚信服务示范机构”认定之日在评估之日或之前", "xicheng/27",
    by_assessment_day("xicheng_27_national_integrity_demo_date"))


def _date_if(org, period, flag_holds, date_name):
    return np.where(flag_holds, org(date_name, period).astype("datetime64[D]"), NEVER)


def _yearly(start, amount, max_years) -> Installments:
    """每年 … 最长不超过三年: one installment at the start of each subsidy year — on the rating or
    recognition date and on its anniversaries — for at most `max_years` years."""
    return Installments.stack([(add_years(start, k), amount) for k in range(int(max_years))])


def _grade_or_demonstration(org, period, grade, demonstration: str, amount, max_years) -> Installments:
    """A grade or an integrity demonstration recognition (whichever came first) starts the yearly subsidy."""
    start = np.minimum(_date_if(org, period, org("xicheng_27_hr_grade", period) == grade, "xicheng_27_grade_date"),
                       _date_if(org, period, org(demonstration, period), demonstration + "_date"))
    return _yearly(start, amount, max_years)


@installments("xicheng/27/aaa")
def service_upgrade_aaa(org, period, parameters):
    p = parameters.xicheng.c27
    return _grade_or_demonstration(org, period, HrGrade.aaa, "xicheng_27_beijing_integrity_demo", p.aaa, p.max_years)


@installments("xicheng/27/aaaa")
def service_upgrade_aaaa(org, period, parameters):
    p = parameters.xicheng.c27
    return _grade_or_demonstration(org, period, HrGrade.aaaa, "xicheng_27_national_integrity_demo", p.aaaa,
                                   p.max_years)


@installments("xicheng/27/aaaaa")
def service_upgrade_aaaaa(org, period, parameters):
    p = parameters.xicheng.c27
    start = _date_if(org, period, org("xicheng_27_hr_grade", period) == HrGrade.aaaaa, "xicheng_27_grade_date")
    return _yearly(start, p.aaaaa, p.max_years)


named(globals())
