"""(二)全力促进高校毕业生就业 — clauses 5, 7 and 8.

* 5 — 一次性扩岗补助 1500 per hired 毕业年度本市高校毕业生 (enterprises, to the end of 2022);
  社会保险补贴 up to 3 years for employers hiring them; 就业见习补贴; 灵活就业社会保险补贴 up to 3 years
  for 北京生源 graduates (the last three: amounts set by the city, NaN here).
* 7 — 场地租金补贴 the districts may give graduates renting start-up premises for the first time (NaN).
* 8 — 一次性求职创业补贴 1000 for 北京地区困难家庭高校毕业生.
"""

from datetime import date

import numpy as np

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.dates import NEVER, as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import City

from .common import (city_parameters, document_from, in_beijing, monthly_referenced, referenced_once,
                     schedule_variables)

# --- facts --------------------------------------------------------------------------------------------
beijing_meets_internship_subsidy_conditions = fact(
    Person, bool, "符合条件的可申请就业见习补贴（符合本市就业见习补贴条件）", reference="beijing/5",
    doc="本市就业见习补贴的其他条件（离校时间、见习期限等），本文件只写“符合条件的可申请”。")
beijing_difficult_family = fact(
    Person, bool, "困难家庭高校毕业生（经认定的城乡低保、低收入、零就业等困难家庭成员）", reference="beijing/8")
beijing_first_startup_lease = fact(Organisation, bool, "初次租用创业场地", reference="beijing/7")
beijing_startup_lease_start_date = fact(Organisation, date, "创业场地起租日期", reference="beijing/7")


# --- clause 5 ---------------------------------------------------------------------------------------------

def _hired_in_graduation_year(person, period, parameters):
    graduated = person("graduation_date", period).astype("datetime64[Y]")
    hired = person("contract_start_date", period).astype("datetime64[Y]")
    return graduated == hired


beijing_5_hired_in_graduation_year = condition(
    Person, "招用毕业年度高校毕业生（在毕业当年签订劳动合同）", "beijing/5", _hired_in_graduation_year,
    doc="毕业年度为毕业当年1月1日至12月31日。")


beijing_5_intern = condition(
    Person, "参加就业见习（见习单位的见习人员）", "beijing/5",
    lambda person, period, parameters: person.has_role(Organisation.INTERN))

def _internship_period(person, period, parameters):
    start = person("internship_start_date", period)
    return (start <= person("internship_end_date", period)) & (start <= assessment_day(person, period))


beijing_5_internship_period = condition(
    Person, "就业见习已开始（见习开始日不晚于评估之日，且不晚于见习结束日）", "beijing/5", _internship_period)

beijing_5_beijing_sourced = condition(
    Person, "北京生源（入学前户籍在本市）", "beijing/5",
    lambda person, period, parameters: person("student_origin_city", period) == City.beijing)


@installments("beijing/5/job_expansion")
def job_expansion_subsidy(person, period, parameters):
    p = city_parameters(person, period).c05
    due = as_days(person("contract_start_date", period))        # the hire (inside 2022-06-16 … 2022-12-31)
    in_force = due <= as_days(person("contract_end_date", period))
    return Installments.stack([(only_if(in_force, due), p.job_expansion_subsidy)])


@installments("beijing/5/social_insurance")
def graduate_social_insurance_subsidy(person, period, parameters):
    p = city_parameters(person, period).c05
    return monthly_referenced(person("contract_start_date", period), person("contract_end_date", period),
                              int(round(12 * p.social_insurance_subsidy_max_years)), document_from(person))


@installments("beijing/5/internship")
def internship_subsidy(person, period, parameters):
    p = city_parameters(person, period).c05
    return monthly_referenced(person("internship_start_date", period), person("internship_end_date", period),
                              int(p.internship_max_months), document_from(person))


@installments("beijing/5/flexible")
def graduate_flexible_si_subsidy(person, period, parameters):
    p = city_parameters(person, period).c05
    return monthly_referenced(person("beijing_flexible_employment_start_date", period), NEVER,
                              int(round(12 * p.flexible_si_subsidy_max_years)), document_from(person))


(beijing_5_social_insurance_installment_count, beijing_5_social_insurance_last_due,
 beijing_5_social_insurance_amount_referenced) = schedule_variables(
    "beijing/5/social_insurance", "beijing_5_social_insurance", Person,
    "社会保险补贴（招用毕业年度本市高校毕业生）", "beijing/5")
(beijing_5_internship_installment_count, beijing_5_internship_last_due,
 beijing_5_internship_amount_referenced) = schedule_variables(
    "beijing/5/internship", "beijing_5_internship", Person, "就业见习补贴", "beijing/5")
(beijing_5_flexible_installment_count, beijing_5_flexible_last_due,
 beijing_5_flexible_amount_referenced) = schedule_variables(
    "beijing/5/flexible", "beijing_5_flexible", Person, "灵活就业社会保险补贴（北京生源高校毕业生）", "beijing/5")


# --- clause 7 ---------------------------------------------------------------------------------------------
beijing_7_founder = condition(
    Person, "高校毕业生创业（所创办单位的创业者）", "beijing/7",
    lambda person, period, parameters: person.has_role(Organisation.FOUNDER))

beijing_7_premises_in_beijing = condition(
    Organisation, "创业场地位于本市（各区）", "beijing/7",
    lambda org, period, parameters: in_beijing(org("premises_district", period)))


def _first_lease(org, period, parameters):
    started = org("beijing_startup_lease_start_date", period) <= assessment_day(org, period)
    return org("beijing_first_startup_lease", period) & started


beijing_7_first_lease = condition(
    Organisation, "初次租用创业场地（起租日不晚于评估之日）", "beijing/7", _first_lease)


@installments("beijing/7")
def startup_rent_subsidy(person, period, parameters):
    return referenced_once(person.organisation("beijing_startup_lease_start_date", period), document_from(person))


beijing_7_installment_count, beijing_7_last_due, beijing_7_amount_referenced = schedule_variables(
    "beijing/7", "beijing_7", Person, "场地租金补贴", "beijing/7")


# --- clause 8 ---------------------------------------------------------------------------------------------

def _graduation_year_from_2022(person, period, parameters):
    first_year = document_from(person).astype("datetime64[Y]")
    return person("graduation_date", period).astype("datetime64[Y]") >= first_year


beijing_8_graduation_year = condition(
    Person, "毕业年度不早于本方案印发当年（2022年及以后毕业）", "beijing/8", _graduation_year_from_2022)


@installments("beijing/8/job_search")
def job_search_subsidy(person, period, parameters):
    p = city_parameters(person, period).c08
    due = np.maximum(as_days(person("graduation_date", period)), document_from(person))
    return Installments.stack([(due, p.job_search_subsidy)])


named(globals())
