"""Clause 27 (引导人力资源市场高质量发展): 服务提升补贴 of 15万 / 25万 / 50万 a year, at most three years, for
an AAA (or 北京市诚信示范) / AAAA (or 全国诚信示范) / AAAAA agency; the highest standard only.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.dates import NEVER, add_years, as_days
from jiuye.model.declared import declare


declare(globals())


def _date_if(org, period, flag_holds, date_name):
    """The date where the flag holds, NEVER elsewhere (a date fact is already datetime64[D])."""
    return np.where(flag_holds, as_days(org(date_name, period)), NEVER)


def _yearly(start, amount, max_years) -> Installments:
    """每年 … 最长不超过三年: one installment at the start of each subsidy year — on the rating or
    recognition date and on its anniversaries — for at most `max_years` years."""
    return Installments.stack([(start if k == 0 else add_years(start, k), amount) for k in range(int(max_years))])


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
