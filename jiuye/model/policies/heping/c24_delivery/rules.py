"""heping （二十四） 落实重点企业用工输送奖励政策: up to 600 per person delivered by a 人力资源服务机构 (30 or more in one
batch, contracts of one year or more), up to 1000 by a 职业院校 (30 or more, three months of work or
internship). The delivered persons are `members` of the delivering organisation.
"""

import numpy as np

from jiuye.model import base
from jiuye.model.base import installments, named
from jiuye.model.entities import Organisation
from jiuye.model.facts.person import ContractType
from jiuye.model.declared import declare

from ..common import contract_of_at_least, months_completed, one_off

declare(globals())


# --- persons of the batch ----------------------------------------------------------------------------
def _contract_one_year(person, period, parameters):
    years = parameters(period).heping.c24.agency_min_contract_years
    return contract_of_at_least(person, period, 12 * years)


def _three_months(person, period, parameters):
    months = parameters(period).heping.c24.school_min_months
    today = base.assessment_day(person, period)
    employed = (person("contract_type", period) != ContractType.unknown) & months_completed(
        person("contract_start_date", period),
        np.minimum(person("contract_end_date", period), today), months)
    interned = months_completed(
        person("internship_start_date", period),
        np.minimum(person("internship_end_date", period), today), months)
    return employed | interned


def _agency_qualifying_count(organisation, period, parameters):
    ok = organisation.members("heping_24_delivered", period) \
        & organisation.members("heping_24_contract_one_year", period)
    return organisation.sum(ok, role=Organisation.MEMBER)


def _school_qualifying_count(organisation, period, parameters):
    ok = organisation.members("heping_24_delivered", period) \
        & organisation.members("heping_24_employed_or_interned_3_months", period)
    return organisation.sum(ok, role=Organisation.MEMBER)


# --- conditions of the organisation -----------------------------------------------------------------


# --- installments -------------------------------------------------------------------------------------
@installments("heping/二十四/hr_agency")
def agency_delivery_subsidy(organisation, period, parameters):
    p = parameters.heping.c24
    count = organisation("heping_24_agency_qualifying_count", period)
    return one_off(organisation("heping_24_delivery_date", period), count * p.agency_max_per_person, True)


@installments("heping/二十四/vocational_school")
def school_delivery_subsidy(organisation, period, parameters):
    p = parameters.heping.c24
    count = organisation("heping_24_school_qualifying_count", period)
    return one_off(organisation("heping_24_delivery_date", period), count * p.school_max_per_person, True)


named(globals())
