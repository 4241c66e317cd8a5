"""heping （十） 鼓励企业吸纳就业: 一次性吸纳就业补贴 1000 (2000 for 困难村劳动力); 五项社保补贴 (at most 3 years, to
retirement when less than 5 years from it) and 1 year of 岗位补贴 for the listed employer/person pairs;
1 year of 五项社保补贴 for other 就业困难人员 (amounts set by the city).
"""

import numpy as np

from jiuye.model.base import Installments, condition, installments, named
from jiuye.model.dates import DAY, add_months, add_years, age_in_years, as_days
from jiuye.model.entities import Person
from jiuye.model.facts.organisation import OrgType, unit_class_at
from jiuye.model.facts.person import ContractType, Sex
from jiuye.model.declared import declare
from jiuye.model.facts.person import hired_in_graduation_year   # a formula facts.yaml names

from ..common import (ENTERPRISES, at, contract_subsidy_end, contract_subsidy_months, heping_parameters,
                      referenced_months)

declare(globals())


# =================================================================================================
# （十） 鼓励企业吸纳就业
# =================================================================================================


def _registered_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c10.registered_unemployed_months
    registered = person("unemployment_registration_date", period)
    return add_months(registered, int(months)) <= person("contract_start_date", period)


def _hired_within_years(person, period, parameters):
    years = parameters(at(person, period)).heping.c10.graduate_window_years
    graduated = person("graduation_date", period)
    hired = person("contract_start_date", period)
    year_start = graduated.astype("datetime64[Y]").astype("datetime64[D]")
    return (year_start <= hired) & (hired <= add_years(graduated, int(years)))


def _contract_one_year(person, period, parameters):
    years = parameters(at(person, period)).heping.c10.min_contract_years
    kind = person("contract_type", period)
    months = person("contract_term_months", period)
    return (kind == ContractType.open_ended) | ((kind == ContractType.fixed_term) & (months >= 12 * years))


def _si_months(name):
    def formula(person, period, parameters):
        minimum = getattr(parameters(at(person, period)).heping.c10, name)
        return person("heping_si_months_since_hire", period) >= minimum
    return formula


heping_10_si_3_months = condition(
    Person, "按规定缴纳社会保险费满3个月", "heping/十", _si_months("si_months"))

heping_10_si_1_month = condition(
    Person, "参保缴费满1个月", "heping/十", _si_months("poor_village_si_months"))


def _class_at_hire(today_fact, asked_fact):
    """The employer's class on the hire day (the contract's start): the asked `…_at_hire` fact once the
    hire has passed, the unit's class today for a hire today or still to come (facts.organisation.unit_class_at)."""
    def formula(person, period, parameters):
        return unit_class_at(person, period, person("contract_start_date", period), today_fact, asked_fact)
    return formula


_sme_at_hire = _class_at_hire("heping_sme", "heping_employer_sme_at_hire")
_small_micro_at_hire = _class_at_hire("heping_small_micro", "heping_employer_small_micro_at_hire")
_tech_startup_sme_at_hire = _class_at_hire("heping_tech_startup_sme", "heping_employer_tech_startup_sme_at_hire")
_graduate_startup_at_hire = _class_at_hire("heping_graduate_startup", "heping_employer_graduate_startup_at_hire")


def _elderly_care(org, period, parameters):
    kind = org("org_type", period)
    legal_form = np.isin(kind, ENTERPRISES + [OrgType.private_non_enterprise.index])
    return org("heping_elderly_care", period) & legal_form


def _housekeeping(org, period, parameters):
    return org("heping_housekeeping", period) & np.isin(org("org_type", period), ENTERPRISES)


def _age_35_45(person, period, parameters):
    ages = parameters(at(person, period)).heping.c10.hard_to_employ_age
    age = age_in_years(person("birth_date", period), person("contract_start_date", period))
    sex = person("sex", period)
    return ((sex == Sex.female) & (age >= ages.female)) | ((sex == Sex.male) & (age >= ages.male))


def _priority_hire(person, period):
    """The employer/person pairs of （十）'s second paragraph that give 3 years of 五项社保补贴."""
    def own(name):
        return person(name, period)

    def org(name):
        return person.organisation(name, period)

    tianjin_graduate = own("heping_10_higher_education") & own("heping_10_tianjin_university") \
        & own("heping_10_hired_within_2_years")
    small = own("heping_10_small_micro") | own("heping_10_tech_startup_sme") | own("heping_10_graduate_startup")
    care = org("heping_10_elderly_care") | org("heping_10_housekeeping")
    older = own("heping_hard_to_employ_at_work_start") & own("heping_10_female_35_male_45")
    group1 = small & tianjin_graduate
    group2 = care & (tianjin_graduate | own("heping_hard_to_employ_at_work_start") | own("heping_poor_village_labour_at_hire"))
    group3 = org("heping_10_enterprise") & (own("heping_fj2_special_hard_to_employ") | older
                                            | own("heping_registered_poor_labour_at_hire"))
    return group1 | group2 | group3


def _other_hard_to_employ(person, period, parameters):
    return ~_priority_hire(person, period)


def _not_care(org, period, parameters):
    return ~(org("heping_elderly_care", period) | org("heping_housekeeping", period))


def _hiring_subsidy(person, period, months: str, amount: str) -> Installments:
    """One subsidy once the first `months` months of the contract have passed (their last day)."""
    p = heping_parameters(person, period).c10
    due = add_months(person("contract_start_date", period), int(getattr(p, months))) - DAY
    return Installments.stack([(due, np.full(person.count, float(getattr(p, amount))))])


@installments("heping/十/hiring")
def hiring_subsidy(person, period, parameters):
    return _hiring_subsidy(person, period, "si_months", "hiring_subsidy")


@installments("heping/十/hiring_poor_village")
def hiring_subsidy_poor_village(person, period, parameters):
    return _hiring_subsidy(person, period, "poor_village_si_months", "poor_village_hiring_subsidy")


_si_subsidy_end = contract_subsidy_end("c10", "si_subsidy_years")

_si_subsidy_other_end = contract_subsidy_end("c10", "other_si_subsidy_years")


installments("heping/十/si_subsidy")(contract_subsidy_months("c10", "si_subsidy_years", "heping_10_si_subsidy_end"))
installments("heping/十/si_subsidy_other")(
    contract_subsidy_months("c10", "other_si_subsidy_years", "heping_10_si_subsidy_other_end"))


@installments("heping/十/post_subsidy")
def post_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c10
    start = person("contract_start_date", period)
    months = int(round(12 * p.post_subsidy_years))
    last = np.minimum(add_months(start, months) - DAY, as_days(person("contract_end_date", period)))
    return referenced_months(start, last, months)


named(globals())
