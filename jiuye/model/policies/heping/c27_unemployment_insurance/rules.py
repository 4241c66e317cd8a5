"""heping （二十七） 充分发挥失业保险作用: unemployment insurance benefit continued to the statutory retirement age
for those less than a year from it when their benefit ends (amount: the city's standard).
"""

import numpy as np

from jiuye.model import base
from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.dates import add_years, as_days
from jiuye.model.declared import declare

from ..common import calendar_months

declare(globals())


def _ui_expired(person, period, parameters):
    return person("heping_27_ui_end_date", period) <= base.assessment_day(person, period)


def _less_than_a_year_to_retirement(person, period, parameters):
    years = parameters(period).heping.c27.max_years_to_retirement
    end = person("heping_27_ui_end_date", period)
    retirement = person("statutory_retirement_date", period)
    return (retirement > end) & (retirement < add_years(end, int(years)))


@installments("heping/二十七/until_retirement")
def unemployment_benefit_until_retirement(person, period, parameters):
    years = parameters.heping.c27.max_years_to_retirement
    end = as_days(person("heping_27_ui_end_date", period))
    retirement = as_days(person("statutory_retirement_date", period))
    first_month = end.astype("datetime64[M]") + np.timedelta64(1, "M")
    slots = []
    for first_day, last_day in calendar_months(first_month, 12 * int(years)):
        # a month is paid when it starts before the day the statutory retirement age is reached
        slots.append((only_if(first_day < retirement, last_day), np.nan))
    return Installments.stack(slots)


named(globals())
