"""（六）加强公共服务队伍建设 (binjiang/六): one-off 3000 / 2500 / 2000 / 1500 / 1000 for a skill-level certificate (高级技师
… 初级工) in the listed occupations, to a person working in public employment services in the district.
"""

import numpy as np

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.entities import Person
from jiuye.model.facts.person import SkillLevel

from ..common import SKILL_LEVELS, dated, system_params


binjiang_6_listed_occupation = fact(
    Person, bool, "证书职业为职业指导师、企业人力资源管理师、劳动关系协调员、劳动保障协理员、创业指导师等",
    reference="binjiang/六", doc="“等”所含的其他职业由区人力社保局认定，情形直接给出。")
binjiang_6_public_employment_service = fact(
    Person, bool, "在所在单位从事公共就业服务工作", reference="binjiang/六",
    doc="“在区内”：所在单位（情形中其所属单位）注册地在滨江区。")

binjiang_6_certificate = condition(
    Person, "取得职业技能等级认定证书（初级工至高级技师）", "binjiang/六",
    lambda person, period, parameters: np.isin(person("skill_certificate_level", period), SKILL_LEVELS))
binjiang_6_certificate_dated = dated(
    Person, "取证日期在本意见施行之后、评估日或之前", "binjiang/六", "skill_certificate_date")


@installments("binjiang/六")
def public_service_certificate_subsidy(person, period, parameters):
    p = system_params(person, period).c06.certificate_subsidy
    level = person("skill_certificate_level", period)
    amount = np.select([level == SkillLevel.senior_technician, level == SkillLevel.technician,
                        level == SkillLevel.senior, level == SkillLevel.intermediate, level == SkillLevel.junior],
                       [p.senior_technician, p.technician, p.senior, p.intermediate, p.junior], 0.0)
    return Installments.stack([(person("skill_certificate_date", period), amount)])


named(globals())
