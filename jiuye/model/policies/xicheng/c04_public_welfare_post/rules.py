"""Clause 4 (提高就业托底安置待遇水平): the 岗位补贴 of a Xicheng 社会公益性就业组织 for each placed
就业困难人员, 75% of the Beijing 全口径城镇单位就业人员平均工资 a month.
"""

import numpy as np

from jiuye.model.base import condition, installments, named
from jiuye.model.dates import DAY, period_last_day
from jiuye.model.entities import Organisation
from jiuye.model.schedules import (first_instant, first_month_completing_on_or_after, month_index, monthly,
                                   parameter_history, parameter_on)
from jiuye.model.declared import declare

from ..common import in_district

declare(globals())


# The text of clause 4 sets no maximum duration: installments are listed up to the last day of the
# 12th calendar month after the assessment month (a listing horizon, not a legal limit).
LISTING_HORIZON_MONTHS = 12


xicheng_4_org_in_xicheng = condition(
    Organisation, "西城区（组织注册地在本区）", "xicheng/4", in_district("registration_district"))


@installments("xicheng/4")
def public_welfare_post_subsidy(person, period, parameters):
    share = parameter_history(person, "xicheng.c04.average_wage_share")
    wage = parameter_history(person, "reference.average_wage.beijing_monthly")
    start = person("contract_start_date", period)
    end = person("contract_end_date", period)
    month = period_last_day(period).astype("datetime64[M]")
    horizon = (month + np.timedelta64(LISTING_HORIZON_MONTHS + 1, "M")).astype("datetime64[D]") - DAY
    from_day = first_instant(share)                       # no 75% standard before the document's date
    first = first_month_completing_on_or_after(start, from_day)
    count = max(int(month_index(horizon) - month_index(from_day)) + 2, 1)
    return monthly(start, end, count,
                   lambda due: np.round(parameter_on(share, due) * parameter_on(wage, due), 2),
                   first=first, last_due=horizon)


named(globals())
