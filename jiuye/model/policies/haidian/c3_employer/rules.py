"""Theme 三是 (保障失业人员和重点群体多渠道就业): two 社会保险补贴 whose amount this note does not set.

* haidian/三是/employer — a unit hiring a 本区户籍 登记失业人员, 符合条件的: 社会保险补贴 for at most
  2 years. Per hired person (unit person, role employee, beneficiary the unit). Months from the
  contract start, 24 at most, within the contract.
* haidian/三是/flexible — a 本区户籍 登记失业人员, 女年满35周岁不满40周岁 or 男年满45周岁不满50周岁, flexibly
  employed with lawful income and paying social insurance at the 城镇职工 standard: 社会保险补贴 for at
  most 2 years. Months from the start of the flexible employment, 24 at most, while it lasts.

本区户籍 is judged at each measure's moment (the hire; the start of the flexible employment): one
condition per moment, `haidian_3_hukou_at_hire` and `haidian_3_hukou_at_flexible_start`.

Both amounts are "按规定" (the city's standard): installments carry NaN amounts (`amount: referenced`).
Ages are 周岁 on the day the flexible employment begins: 年满35 includes the 35th birthday, 不满40
excludes the 40th birthday (README: 不满 excludes the number).
"""

from jiuye.model.base import assessment_day, installments, named
from jiuye.model.dates import age_in_years
from jiuye.model.entities import Person
from jiuye.model.facts.person import Sex, hukou_on_moment
from jiuye.model.facts.places import District
from jiuye.model.declared import declare

from ..common import record_valid_from, referenced_months, schedule_variables

declare(globals())


# --- employer --------------------------------------------------------------------------------------
def _haidian(district):
    return district == District.haidian


def _hukou_at_hire(person, period, parameters):
    return hukou_on_moment(person, period, "haidian/三是/employer", _haidian)


def _hired(person, period, parameters):
    return (person("contract_start_date", period).astype("datetime64[D]")
        <= assessment_day(person, period))


@installments("haidian/三是/employer")
def employer_si_subsidy(person, period, parameters):
    years = parameters.haidian.c3.employer_max_years
    return referenced_months(person("contract_start_date", period), person("contract_end_date", period),
                             int(round(12 * years)), record_valid_from(person, "haidian/三是/employer"))


# --- flexible employment ------------------------------------------------------------------------------
def _hukou_at_flexible_start(person, period, parameters):
    return hukou_on_moment(person, period, "haidian/三是/flexible", _haidian)


def _age_at_flexible_start(person, period):
    return age_in_years(person("birth_date", period), person("haidian_flexible_start_date", period))


def _woman(person, period, parameters):
    p = parameters(period).haidian.c3
    age = _age_at_flexible_start(person, period)
    return (person("sex", period) == Sex.female) & (age >= p.woman_age_from) & (age < p.woman_age_under)


def _man(person, period, parameters):
    p = parameters(period).haidian.c3
    age = _age_at_flexible_start(person, period)
    return (person("sex", period) == Sex.male) & (age >= p.man_age_from) & (age < p.man_age_under)


def _flexibly_employed(person, period, parameters):
    return (person("flexibly_employed", period)
        & (person("haidian_flexible_start_date", period).astype("datetime64[D]")
        <= assessment_day(person, period)))


@installments("haidian/三是/flexible")
def flexible_si_subsidy(person, period, parameters):
    years = parameters.haidian.c3.flexible_max_years
    return referenced_months(person("haidian_flexible_start_date", period), person("haidian_flexible_end_date", period),
                             int(round(12 * years)), record_valid_from(person, "haidian/三是/flexible"))


# --- the schedules (amounts set elsewhere: the months are what can be shown) ---------------------------
haidian_3_employer_months, haidian_3_employer_first_due, haidian_3_employer_last_due = schedule_variables(
    "haidian/三是/employer", "haidian_3_employer", "单位社会保险补贴（招用本区户籍登记失业人员）", Person)
haidian_3_flexible_months, haidian_3_flexible_first_due, haidian_3_flexible_last_due = schedule_variables(
    "haidian/三是/flexible", "haidian_3_flexible", "灵活就业社会保险补贴", Person)


named(globals())
