"""heping （二十） 开展重点群体就业技能培训: the city's 职业培训补贴; for 困难村劳动力 120% of it to the provider and
500 生活费补贴; a one-off 1000 生活费补贴 for 就业困难人员, 零就业家庭成员, 农村未继续升学初高中毕业生, 低保家庭学员,
once within a year.
"""

import numpy as np

from jiuye.model.base import installments, named
from jiuye.model.dates import add_years
from jiuye.model.facts.person import (education_rule, employee_on_moment, enterprise_employee_on_moment,
                                      hukou_on_moment)
from jiuye.model.facts.places import District
from jiuye.model.declared import declare
from jiuye.model.entities import Organisation

from ..common import ENTERPRISES, HIGHER_EDUCATION, one_off

declare(globals())


# =================================================================================================
# （二十） 重点群体就业技能培训
# =================================================================================================


# --- 适用地域 -----------------------------------------------------------------------------------------
_graduate_at_training = education_rule("heping/二十/key_groups", HIGHER_EDUCATION)


def _hukou_at_training_end(person, period, parameters):
    """本区户籍 on the day the training ends (the moment of heping/二十/key_groups and /living_allowance)."""
    return hukou_on_moment(person, period, "heping/二十/key_groups", lambda district: district == District.heping)


def _employee_at_training(person, period):
    """The listed unit was the person's employer at the training (its end: the moment of heping/二十/key_groups)."""
    return employee_on_moment(person, period, "heping/二十/key_groups")


def _unit_in_heping_at_training(person, period, parameters):
    """所在单位在本区 when the person took the training, not today's unit: the unit the situation lists is
    the one of the training when the person was its employee by the day the training ended (the current
    labour contract had started) or is a trainee (member) of the training provider itself — then its
    registration decides; otherwise (a unit joined only after the training, a trainee whose employer is
    not listed) the fact asked at the training does. The fact is asked only where the listed unit does
    not already give 本区."""
    in_heping = person.organisation("registration_district", period) == District.heping
    trainee = person.has_role(Organisation.MEMBER) & person.organisation("heping_20_training_provider", period)
    return (in_heping & (_employee_at_training(person, period) | trainee)) \
        | person("heping_20_unit_in_heping_at_training", period)


def _enterprise_employee_at_training(person, period, parameters):
    """企业职工 when the person took the training, not today's job (facts.person.enterprise_employee_on_moment)."""
    return enterprise_employee_on_moment(person, period, "heping/二十/key_groups", ENTERPRISES,
                                         "heping_20_enterprise_employee_at_training")


# --- 一次性1000元生活费补贴 -------------------------------------------------------------------------


def _over_a_year_since_last(person, period, parameters):
    years = parameters(period).heping.c20.living_allowance_interval_years
    last = person("heping_20_living_allowance_last_date", period)
    return person("heping_20_living_allowance_received", period) & (
        person("training_end_date", period) > add_years(last, int(years)))


# --- installments --------------------------------------------------------------------------------------
@installments("heping/二十/key_groups")
def key_group_training_subsidy(person, period, parameters):
    return one_off(person("training_end_date", period), np.nan)


@installments("heping/二十/poor_village_fee")
def poor_village_fee_subsidy(person, period, parameters):
    rate = parameters.heping.c20.poor_village_fee_rate
    standard = person("heping_20_training_subsidy_standard", period)
    return one_off(person("training_end_date", period), np.round(rate * standard, 2))


@installments("heping/二十/poor_village_living")
def poor_village_living_allowance(person, period, parameters):
    return one_off(person("training_end_date", period), parameters.heping.c20.poor_village_living_allowance)


@installments("heping/二十/living_allowance")
def living_allowance(person, period, parameters):
    return one_off(person("training_end_date", period), parameters.heping.c20.living_allowance)


named(globals())
