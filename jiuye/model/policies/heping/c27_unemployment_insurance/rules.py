"""heping （二十七） 充分发挥失业保险作用: unemployment insurance benefit continued to the statutory retirement age
for those less than a year from it when their benefit ends (amount: the city's standard).
"""

from datetime import date

import numpy as np

from jiuye.model import base
from jiuye.model.base import NOT_GIVEN, Installments, condition, fact, installments, named, only_if
from jiuye.model.dates import add_years, as_days
from jiuye.model.entities import Person
from jiuye.model.facts.places import District

from ..common import calendar_months


heping_27_ui_end_date = fact(
    Person, date, "失业保险金领取期满日期", default=NOT_GIVEN, reference="heping/二十七",
    doc="领取失业保险金期限的最后一日。")

heping_27_ui_expired = condition(
    Person, "领取失业保险金期满", "heping/二十七",
    lambda person, period, parameters: person("heping_27_ui_end_date", period) <= base.assessment_day(person, period),
    doc="领取期的最后一日不晚于评估之日（期满之日当天即为期满）。")

heping_27_still_unemployed = condition(
    Person, "期满仍未就业", "heping/二十七",
    lambda person, period, parameters: ~person("employed", period) & ~person("flexibly_employed", period),
    doc="未在用人单位就业，也未灵活就业。")


def _less_than_a_year_to_retirement(person, period, parameters):
    years = parameters(period).heping.c27.max_years_to_retirement
    end = person("heping_27_ui_end_date", period)
    retirement = person("statutory_retirement_date", period)
    return (retirement > end) & (retirement < add_years(end, int(years)))


heping_27_less_than_a_year_to_retirement = condition(
    Person, "距离法定退休年龄不足1年", "heping/二十七", _less_than_a_year_to_retirement,
    doc="按领取失业保险金期满之日计：法定退休日期在期满之日之后、且早于期满之日起满1年的对应日"
        "（恰好1年不属于“不足1年”）。")

heping_27_ui_in_heping = condition(
    Person, "在本区领取失业保险金（在本区办理失业登记）", "heping/二十七",
    lambda person, period, parameters: person("unemployment_registration_district", period) == District.heping,
    doc="本文件是和平区的实施办法：以失业登记地在本区作为在本区领取失业保险金的依据。")


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
