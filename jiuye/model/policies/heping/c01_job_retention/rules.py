"""heping （一） 落实援企稳岗政策: 稳岗返还 (50% of last year's unemployment-insurance contributions) and 提升补贴
(1000 / 1500 / 2000 for an employee obtaining a 学历 / 职称 / 技能证书).
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.facts.person import SkillLevel
from jiuye.model.declared import declare

from ..common import ENTERPRISES, at, heping_parameters

declare(globals())


# =================================================================================================
# （一） 落实援企稳岗政策
# =================================================================================================


def _insured_12_months(org, period, parameters):
    minimum = parameters(at(org, period)).heping.c01.min_insured_months
    return org("heping_ui_contribution_months", period) >= minimum


def _below_city_target(org, period, parameters):
    return org("heping_layoff_rate", period) < org("heping_city_unemployment_target", period)


def _small_firm(org, period, parameters):
    maximum = parameters(at(org, period)).heping.c01.small_firm_max_insured
    return org("heping_insured_employee_count", period) <= maximum


def _within_relaxed_rate(org, period, parameters):
    limit = parameters(at(org, period)).heping.c01.small_firm_layoff_rate
    return org("heping_layoff_rate", period) <= limit


@installments("heping/一/refund")
def job_retention_refund(org, period, parameters):
    p = heping_parameters(org, period).c01
    amount = np.round(p.refund_share * org("heping_prior_year_ui_contributions", period), 2)
    return Installments.stack([(org("heping_refund_application_date", period), amount)])


# --- 提升补贴 ------------------------------------------------------------------------------------------


def _skill_certificate(person, period, parameters):
    return person("skill_certificate_level", period) != SkillLevel.none

def _upgrade(kind: str, date_name: str):
    def function(person, period, parameters):
        amount = getattr(heping_parameters(person, period).c01.upgrade_subsidy, kind)
        return Installments.stack([(person(date_name, period), np.full(person.count, float(amount)))])
    return function


installments("heping/一/education")(_upgrade("education", "heping_education_upgrade_date"))
installments("heping/一/title")(_upgrade("title", "heping_professional_title_date"))
installments("heping/一/skill")(_upgrade("skill", "skill_certificate_date"))


named(globals())
