"""beijing/25 激励劳动者积极提升自身技能：

* 技能提升补贴 to a person insured in Beijing for a year or more (or receiving Beijing 失业保险金) who
  obtains a 初级工/中级工/高级工 certificate.
"""

import numpy as np

from jiuye.model.base import assessment_day, named
from jiuye.model.entities import Person
from jiuye.model.facts.person import SkillLevel, enterprise_employee_on_moment
from jiuye.model.declared import declare

from ..common import ENTERPRISES, city_parameters, referenced_one_off

declare(globals())


CERTIFICATE_LEVELS = [SkillLevel[n].index for n in ("junior", "intermediate", "senior")]


def _insured_one_year(person, period, parameters):
    years = city_parameters(person, period).c25.min_unemployment_insurance_years
    return person("beijing_ui_contribution_months", period) >= 12 * years


def _enterprise_employee_at_certificate(person, period, parameters):
    """企业职工 on the day the certificate was obtained (the record's moment), not today's job, as heping/二十
    (facts.person.enterprise_employee_on_moment)."""
    return enterprise_employee_on_moment(person, period, "beijing/25", ENTERPRISES,
                                         "beijing_25_enterprise_employee_at_certificate")


def _certificate(person, period, parameters):
    level = np.isin(person("skill_certificate_level", period), CERTIFICATE_LEVELS)
    return level & (person("skill_certificate_date", period) <= assessment_day(person, period))


beijing_25_installment_count, beijing_25_last_due, beijing_25_amount_referenced = referenced_one_off(
    "beijing/25", "beijing_25", Person, "个人技能提升补贴", "skill_certificate_date")


named(globals())
