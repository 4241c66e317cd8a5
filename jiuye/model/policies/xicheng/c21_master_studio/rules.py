"""Clause 21 (发挥高技能人才引领作用): 100000 for a recognised 技能大师工作室 or 技能人才实训基地; 2000 / 2500 /
3000 per trained 高级工 / 技师 / 高级技师 certificate.
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, named, only_if
from jiuye.model.facts.person import SkillLevel
from jiuye.model.declared import declare

from ..common import HIGH_SKILL_LEVELS

declare(globals())


def _has_master_studio(org, period, parameters):
    return (org("xicheng_21_master_studio", period)
        & (org("xicheng_21_master_studio_date", period) <= assessment_day(org, period)))


def _has_training_base(org, period, parameters):
    return (org("xicheng_21_training_base", period)
        & (org("xicheng_21_training_base_date", period) <= assessment_day(org, period)))


def _certificate_obtained(person, period, parameters):
    level = person("skill_certificate_level", period)
    return np.isin(level, HIGH_SKILL_LEVELS) & (person("skill_certificate_date", period) <= assessment_day(person, period))


@installments("xicheng/21/studio")
def master_studio_subsidy(org, period, parameters):
    amount = parameters.xicheng.c21.studio_subsidy
    return Installments.stack([
        (only_if(org("xicheng_21_master_studio", period), org("xicheng_21_master_studio_date", period)), amount),
        (only_if(org("xicheng_21_training_base", period), org("xicheng_21_training_base_date", period)), amount),
    ])


def _by_level(level, amounts) -> np.ndarray:
    return np.select([level == SkillLevel.senior, level == SkillLevel.technician,
                      level == SkillLevel.senior_technician],
                     [amounts.senior, amounts.technician, amounts.senior_technician], 0.0)


@installments("xicheng/21/certificates")
def certificate_subsidy(person, period, parameters):
    level = person("skill_certificate_level", period)
    amount = _by_level(level, parameters.xicheng.c21.certificate_subsidy)
    return Installments.stack([(person("skill_certificate_date", period), amount)])


named(globals())
