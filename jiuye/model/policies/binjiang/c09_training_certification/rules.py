"""（九）提升重点群体就业能力 (binjiang/九): a filed training provider, per trainee of the listed groups who obtains a
certificate: 500 (初级工、中级工), 1000 (高级工 and above), 300 (专项能力证书).
"""

from datetime import date

import numpy as np

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel
from jiuye.model.facts.places import District

from ..common import HIGH_SKILL_LEVELS, NOT_GIVEN, happened, system_params


binjiang_9_filed_provider = fact(
    Organisation, bool, "经人力社保部门备案的职业培训机构、技能大师工作室等", reference="binjiang/九")
binjiang_special_skill_certificate_date = fact(
    Person, date, "专项能力证书取得日期（未取得则不填）", default=NOT_GIVEN, reference="binjiang/九", optional=True,
    doc="未填写即未取得专项能力证书。")

binjiang_9_district_unemployed = condition(
    Person, "区内失业人员", "binjiang/九",
    lambda person, period, parameters: person("registered_unemployed", period)
    & (person("unemployment_registration_district", period) == District.binjiang),
    doc="在滨江区办理失业登记的失业人员，按参加培训时的状态。")


# Shared facts (no clause of their own) read with this clause's words and citation.
binjiang_9_flexibly_employed = condition(
    Person, "灵活就业人员", "binjiang/九",
    lambda person, period, parameters: person("flexibly_employed", period))
binjiang_9_veteran = condition(
    Person, "转业复退军人", "binjiang/九",
    lambda person, period, parameters: person("veteran", period))


def _after_training(dates, person, period, parameters):
    started = person("binjiang_training_start_date", period)
    return happened(person, dates, period, parameters) & (as_days(dates) >= started)


binjiang_9_level_certificate = condition(
    Person, "取得初级工及以上职业技能等级认定证书", "binjiang/九",
    lambda person, period, parameters: person("skill_certificate_level", period) != SkillLevel.none)
binjiang_9_level_certificate_dated = condition(
    Person, "参加培训后取得（取证日期不早于培训开始日期和本意见施行之日，在评估日或之前）", "binjiang/九",
    lambda person, period, parameters: _after_training(person("skill_certificate_date", period), person, period,
                                                       parameters))
binjiang_9_special_certificate = condition(
    Person, "参加培训后取得专项能力证书", "binjiang/九",
    lambda person, period, parameters: _after_training(person("binjiang_special_skill_certificate_date", period),
                                                       person, period, parameters),
    doc="取证日期不早于培训开始日期和本意见施行之日，且在评估日或之前；未给出取证日期即未取得。")


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
