"""（十一）培育技能大师工作室 (binjiang/十一): a newly recognised district-level master studio: 100000; its leader taking
part in professional activities organised by the district HR bureau: 1000 per session.
"""

from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.entities import Organisation, Person
from jiuye.model.declared import declare

from ..common import dated, in_force_year, paid_on, system_params, year_end

declare(globals())


binjiang_11_newly_recognised = dated(
    Organisation, "新认定（认定日期在本意见施行之后、评估日或之前）", "binjiang/十一", "binjiang_11_recognition_date")

def _took_part(person, period, parameters):
    return person("binjiang_11_session_count", period) > 0


binjiang_11_year_in_force = in_force_year(
    Person, "专业活动所属年度已给出，且在本意见施行之后结束", "binjiang/十一", "binjiang_11_session_year")


master_studio_subsidy = installments("binjiang/十一/studio")(paid_on("binjiang_11_recognition_date", "c11.studio_subsidy"))


@installments("binjiang/十一/leader_sessions")
def studio_leader_session_subsidy(person, period, parameters):
    rate = system_params(person, period).c11.leader_session
    year = person("binjiang_11_session_year", period)
    return Installments.stack([(only_if(year > 0, year_end(year)), rate * person("binjiang_11_session_count", period))])


named(globals())
