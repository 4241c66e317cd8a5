"""（六）加强公共服务队伍建设 (binjiang/六): one-off 3000 / 2500 / 2000 / 1500 / 1000 for a skill-level certificate (高级技师
… 初级工) in the listed occupations, to a person working in public employment services in the district.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.entities import Person
from jiuye.model.facts.person import SkillLevel
from jiuye.model.declared import declare

from ..common import SKILL_LEVELS, dated, system_params

declare(globals())


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
