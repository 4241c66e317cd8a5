"""Clause 20 (强化重点领域校企合作): a one-off 30000 / 50000 / 100000 to a qualified training provider by its
yearly training scale (persons of five key fields trained 20课时 or more).
"""

import numpy as np

from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.dates import DAY
from jiuye.model.entities import Organisation
from jiuye.model.schedules import scale_calc
from jiuye.model.partial import asarray
from jiuye.model.declared import declare

declare(globals())


def _year_end(year) -> np.ndarray:
    """31 December of a calendar year given as an int (vectorised)."""
    year = asarray(year, dtype=np.int64)
    next_year = (np.maximum(year, 1) - 1969).astype("datetime64[Y]")
    return next_year.astype("datetime64[D]") - DAY


FIVE_FIELDS = [KeyField[n].index for n in
               ("tech_innovation", "finance", "culture_heritage", "city_operation", "life_services")]


def _training_scale(org, period, parameters):
    ok = (org.members("xicheng_20_trainee_minutes", period)
          & org.members("xicheng_20_employer_registered_insured_taxed", period)
          & org.members("xicheng_20_trainee_employer_in_five_fields", period))
    return org.sum(ok, role=Organisation.MEMBER)


def _scale_at_least_1000(org, period, parameters):
    first = parameters(period).xicheng.c20.subsidy.thresholds[0]
    return (org("xicheng_20_training_scale", period) >= first) & (org("xicheng_20_training_year", period) > 0)


@installments("xicheng/20")
def key_field_training_subsidy(org, period, parameters):
    scale = org("xicheng_20_training_scale", period)
    year = org("xicheng_20_training_year", period)
    amount = scale_calc(parameters.xicheng.c20.subsidy, scale)
    return Installments.stack([(only_if(year > 0, _year_end(year)), amount)])


named(globals())
