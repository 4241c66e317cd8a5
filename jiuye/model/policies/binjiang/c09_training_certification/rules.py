"""（九）提升重点群体就业能力 (binjiang/九): a filed training provider, per trainee of the listed groups who obtains a
certificate: 500 (初级工、中级工), 1000 (高级工 and above), 300 (专项能力证书).
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.dates import as_days
from jiuye.model.facts.person import SkillLevel
from jiuye.model.declared import declare

from ..common import HIGH_SKILL_LEVELS, happened, system_params

declare(globals())


def _after_training(dates, person, period, parameters):
    started = person("binjiang_training_start_date", period)
    return happened(person, dates, period, parameters) & (as_days(dates) >= started)


def _level_certificate(person, period, parameters):
    return person("skill_certificate_level", period) != SkillLevel.none


def _level_certificate_dated(person, period, parameters):
    return (_after_training(person("skill_certificate_date", period), person, period,
        parameters))


def _special_certificate(person, period, parameters):
    return (_after_training(person("binjiang_special_skill_certificate_date", period),
        person, period, parameters))


@installments("binjiang/九/level_certificate")
def level_certificate_subsidy(person, period, parameters):
    """初级工、中级工 500; 高级工 and above 1000."""
    p = system_params(person, period).c09.certificate_subsidy
    level = person("skill_certificate_level", period)
    amount = np.where(np.isin(level, HIGH_SKILL_LEVELS), p.senior_or_above, p.junior_or_intermediate)
    return Installments.stack([(person("skill_certificate_date", period), amount)])


@installments("binjiang/九/special_certificate")
def special_certificate_subsidy(person, period, parameters):
    amount = system_params(person, period).c09.certificate_subsidy.special_skill
    return Installments.stack([(person("binjiang_special_skill_certificate_date", period), amount)])


named(globals())
