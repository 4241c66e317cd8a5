"""Facts about an organisation, shared by every district."""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from ..base import ETERNITY, assessment_day, named
from ..entities import Organisation
from .places import City, District, city_of
from jiuye.model.declared import declare

declare(globals(), "organisation.facts.yaml")


ENTERPRISE_TYPES = (OrgType.limited_company, OrgType.joint_stock_company, OrgType.other_enterprise)


class registration_city(Variable):
    value_type = Enum
    possible_values = City
    default_value = City.unknown
    entity = Organisation
    definition_period = ETERNITY
    label = "注册地（所在市）"

    def formula(organisation, period, parameters):
        return city_of(organisation("registration_district", period))


def unit_class_at(population, period, day, today_fact: str, asked_fact: str):
    """A unit's class (企业划型 小微企业 / 中小微企业, 初创期科技型中小企业, 大学生创业企业 …) judged at an event on
    `day` (the measure's legal moment: a hire, a loan): where the day is not before the assessment day
    (the event is today's, or still to come), the unit's class as given today (`today_fact`, a fact of
    the unit: for a person population, of the person's listed unit); where the day has passed,
    `asked_fact`, the class at the moment asked of the row (a person's fact for a person population) —
    a class changes with the unit's size, its age and its founders, so today's class is not the one
    of an earlier event. Each is read only for the rows whose day selects it."""
    passed = day < assessment_day(population, period)
    today = population.organisation(today_fact, period) if population.entity.is_person \
        else population(today_fact, period)
    return np.where(passed, population(asked_fact, period), today)


named(globals())
