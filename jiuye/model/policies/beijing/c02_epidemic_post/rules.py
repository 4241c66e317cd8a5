"""beijing/2 开发疫情防控相关就业岗位：

* 岗位补贴 for the temporary epidemic-control posts (核酸检测、保洁、消杀、转运、配送、秩序维护等).
"""

from jiuye.model.base import assessment_day, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.declared import declare

from ..common import referenced_one_off

declare(globals())


def _temporary_post(person, period, parameters):
    started = person("contract_start_date", period) <= assessment_day(person, period)
    return person("beijing_epidemic_temporary_post", period) & person.has_role(Organisation.EMPLOYEE) & started


beijing_2_installment_count, beijing_2_last_due, beijing_2_amount_referenced = referenced_one_off(
    "beijing/2", "beijing_2", Person, "岗位补贴（疫情防控一线临时性岗位）", "contract_start_date")


named(globals())
