"""beijing/25 激励劳动者积极提升自身技能：

* 技能提升补贴 to a person insured in Beijing for a year or more (or receiving Beijing 失业保险金) who
  obtains a 初级工/中级工/高级工 certificate.
"""

import numpy as np

from jiuye.model.base import assessment_day, moment_day, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel
from jiuye.model.declared import declare

from ..common import ENTERPRISES, city_parameters, referenced_one_off

declare(globals())


CERTIFICATE_LEVELS = [SkillLevel[n].index for n in ("junior", "intermediate", "senior")]


def _insured_one_year(person, period, parameters):
    years = city_parameters(person, period).c25.min_unemployment_insurance_years
    return person("beijing_ui_contribution_months", period) >= 12 * years


def _enterprise_employee_at_certificate(person, period, parameters):
    """企业职工 on the day the certificate was obtained (the record's moment), not today's job: the listed
    unit gives it when it is an enterprise (its type as given: no dated fact of a change of legal form) and
    was the employer then (the current labour contract had started by that day); otherwise (no unit
    listed, a job taken only afterwards, an employer that is not an enterprise) the fact asked at the
    certificate does — asked only where the listed unit does not already give 企业职工 (as heping/二十)."""
    day = moment_day(person, period, "beijing/25")
    enterprise = np.isin(person.organisation("org_type", period), ENTERPRISES)
    employee_then = person.has_role(Organisation.EMPLOYEE) & (person("contract_start_date", period) <= day)
    return (enterprise & employee_then) | person("beijing_25_enterprise_employee_at_certificate", period)


def _certificate(person, period, parameters):
    level = np.isin(person("skill_certificate_level", period), CERTIFICATE_LEVELS)
    return level & (person("skill_certificate_date", period) <= assessment_day(person, period))


beijing_25_installment_count, beijing_25_last_due, beijing_25_amount_referenced = referenced_one_off(
    "beijing/25", "beijing_25", Person, "个人技能提升补贴", "skill_certificate_date")


named(globals())
