"""Clause 21 (发挥高技能人才引领作用): 100000 for a recognised 技能大师工作室 or 技能人才实训基地; 2000 / 2500 /
3000 per trained 高级工 / 技师 / 高级技师 certificate.
"""

from datetime import date

import numpy as np

from jiuye.model.base import NOT_GIVEN, Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel

from ..common import HIGH_SKILL_LEVELS


xicheng_21_master_studio = fact(
    Organisation, bool, "建立符合区级认定标准的技能大师工作室", reference="xicheng/21")
xicheng_21_master_studio_date = fact(
    Organisation, date, "技能大师工作室通过区级认定的日期", default=NOT_GIVEN, reference="xicheng/21")
xicheng_21_training_base = fact(
    Organisation, bool, "建立符合区级认定标准的技能人才实训基地", reference="xicheng/21")
xicheng_21_training_base_date = fact(
    Organisation, date, "技能人才实训基地通过区级认定的日期", default=NOT_GIVEN, reference="xicheng/21")
xicheng_21_trained_by_enterprise = fact(
    Person, bool, "由本企业（技能大师工作室、技能人才实训基地）培养", reference="xicheng/21")

xicheng_21_has_master_studio = condition(
    Organisation, "建立符合区级认定标准的技能大师工作室", "xicheng/21",
    lambda org, period, parameters: org("xicheng_21_master_studio", period)
    & (org("xicheng_21_master_studio_date", period) <= assessment_day(org, period)),
    doc="认定日期在评估之日或之前。")
xicheng_21_has_training_base = condition(
    Organisation, "建立符合区级认定标准的技能人才实训基地", "xicheng/21",
    lambda org, period, parameters: org("xicheng_21_training_base", period)
    & (org("xicheng_21_training_base_date", period) <= assessment_day(org, period)),
    doc="认定日期在评估之日或之前。")


def _certificate_obtained(person, period, parameters):
    level = person("skill_certificate_level", period)
    return np.isin(level, HIGH_SKILL_LEVELS) & (person("skill_certificate_date", period) <= assessment_day(person, period))


xicheng_21_high_skill_certificate = condition(
    Person, "取得高级工、技师、高级技师国家职业资格或职业技能等级证书", "xicheng/21", _certificate_obtained,
    doc="证书取得日期在评估之日或之前。")


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
