"""Theme 三是 (保障失业人员和重点群体多渠道就业): two 社会保险补贴 whose amount this note does not set.

* haidian/三是/employer — a unit hiring a 本区户籍 登记失业人员, 符合条件的: 社会保险补贴 for at most
  2 years. Per hired person (unit person, role employee, beneficiary the unit). Months from the
  contract start, 24 at most, within the contract.
* haidian/三是/flexible — a 本区户籍 登记失业人员, 女年满35周岁不满40周岁 or 男年满45周岁不满50周岁, flexibly
  employed with lawful income and paying social insurance at the 城镇职工 standard: 社会保险补贴 for at
  most 2 years. Months from the start of the flexible employment, 24 at most, while it lasts.

Both amounts are "按规定" (the city's standard): installments carry NaN amounts (`amount: referenced`).
Ages are 周岁 on the day the flexible employment begins: 年满35 includes the 35th birthday, 不满40
excludes the 40th birthday (README: 不满 excludes the number).
"""

from datetime import date

from jiuye.model.base import NOT_GIVEN, assessment_day, condition, fact, installments, named
from jiuye.model.dates import age_in_years
from jiuye.model.entities import Person
from jiuye.model.facts.person import Sex
from jiuye.model.facts.places import District

from ..common import record_valid_from, referenced_months, schedule_variables

# --- facts ------------------------------------------------------------------------------------------
haidian_hire_meets_si_subsidy_conditions = fact(
    Person, bool, "招用该人员符合社会保险补贴的其他规定条件（“符合条件的”）", reference="haidian/三是",
    doc="本说明只写“符合条件的”，具体条件按本市社会保险补贴的规定（由情形给出）。")
haidian_registered_unemployed_at_flexible_start = fact(
    Person, bool, "登记失业人员（实现灵活就业时为登记失业人员）", reference="haidian/三是")
haidian_flexible_start_date = fact(
    Person, date, "实现灵活就业（新就业平台、零工市场、工作单位/岗位/时间不固定等）的起始日期",
    default=NOT_GIVEN, reference="haidian/三是")
haidian_flexible_end_date = fact(
    Person, date, "停止灵活就业的日期", default=NOT_GIVEN, optional=True, reference="haidian/三是",
    doc="未给出 = 仍在灵活就业。")
haidian_flexible_lawful_income = fact(Person, bool, "取得合法收入（灵活就业取得合法收入）", reference="haidian/三是")
haidian_flexible_si_urban_employee_standard = fact(
    Person, bool, "按照城镇职工社会保险标准缴纳社会保险", reference="haidian/三是",
    doc="以灵活就业人员身份按城镇职工基本养老、医疗等社会保险的标准参保缴费（非城乡居民保险）。")

# --- conditions shared by both measures -----------------------------------------------------------
haidian_3_hukou = condition(
    Person, "本区户籍", "haidian/三是",
    lambda person, period, parameters: person("hukou_district", period) == District.haidian)

# --- employer --------------------------------------------------------------------------------------
haidian_3_registered_unemployed_at_hire = condition(
    Person, "登记失业人员（招用时）", "haidian/三是",
    lambda person, period, parameters: person("registered_unemployed_at_hire", period),
    doc="签订劳动合同时处于失业登记状态。")

haidian_3_hired = condition(
    Person, "招用（与单位签订劳动合同）", "haidian/三是",
    lambda person, period, parameters: (person("contract_start_date", period).astype("datetime64[D]")
                                        <= assessment_day(person, period)),
    doc="该人员为单位的职工，劳动合同起始日不晚于评估之日。")


@installments("haidian/三是/employer")
def employer_si_subsidy(person, period, parameters):
    years = parameters.haidian.c3.employer_max_years
    return referenced_months(person("contract_start_date", period), person("contract_end_date", period),
                             int(round(12 * years)), record_valid_from(person, "haidian/三是/employer"))


# --- flexible employment ------------------------------------------------------------------------------
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


haidian_3_woman_35_to_40 = condition(
    Person, "女年满35周岁不满40周岁", "haidian/三是", _woman,
    doc="按实现灵活就业之日的周岁：35周岁生日当日起符合，40周岁生日当日起不符合。")

haidian_3_man_45_to_50 = condition(
    Person, "男年满45周岁不满50周岁", "haidian/三是", _man,
    doc="按实现灵活就业之日的周岁：45周岁生日当日起符合，50周岁生日当日起不符合。")

haidian_3_flexibly_employed = condition(
    Person, "通过新就业平台、零工市场实现就业以及从事工作单位不固定、工作岗位不固定、工作时间不固定等灵活就业方式",
    "haidian/三是",
    lambda person, period, parameters: (person("flexibly_employed", period)
                                        & (person("haidian_flexible_start_date", period).astype("datetime64[D]")
                                           <= assessment_day(person, period))),
    doc="已实现灵活就业，起始日不晚于评估之日。")


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
