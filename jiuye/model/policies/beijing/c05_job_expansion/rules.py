"""beijing/5 突出高校毕业生就业政策引领：

* 一次性扩岗补助 1500 per hired 毕业年度本市高校毕业生 (enterprises, to the end of 2022);
  社会保险补贴 up to 3 years for employers hiring them; 就业见习补贴; 灵活就业社会保险补贴 up to 3 years
  for 北京生源 graduates (the last three: amounts set by the city, NaN here).
"""

from jiuye.model.base import Installments, assessment_day, installments, named, only_if
from jiuye.model.dates import NEVER, as_days
from jiuye.model.entities import Person
from jiuye.model.declared import declare
from jiuye.model.facts.person import education_rule, hired_in_graduation_year   # formulas facts.yaml names

from ..common import HIGHER_EDUCATION, city_parameters, document_from, monthly_referenced, schedule_variables

declare(globals())

# 高校毕业生 on each measure's moment: the hire, the internship start, the start of flexible insured employment
_higher_education_at_hire = education_rule("beijing/5/job_expansion", HIGHER_EDUCATION)
_higher_education_at_internship = education_rule("beijing/5/internship", HIGHER_EDUCATION)
_higher_education_at_flexible_start = education_rule("beijing/5/flexible", HIGHER_EDUCATION)


def _internship_period(person, period, parameters):
    start = person("internship_start_date", period)
    return (start <= person("internship_end_date", period)) & (start <= assessment_day(person, period))


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


named(globals())
