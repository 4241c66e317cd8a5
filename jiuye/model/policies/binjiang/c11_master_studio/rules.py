"""（十一）培育技能大师工作室 (binjiang/十一): a newly recognised district-level master studio: 100000; its leader taking
part in professional activities organised by the district HR bureau: 1000 per session.
"""

from datetime import date

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.entities import Organisation, Person

from ..common import NOT_GIVEN, dated, in_force_year, system_params, year_end


binjiang_11_district_master_studio = fact(
    Organisation, bool, "设有经认定的区级技能大师工作室", reference="binjiang/十一")
binjiang_11_recognition_date = fact(
    Organisation, date, "区级技能大师工作室认定日期", default=NOT_GIVEN, reference="binjiang/十一")
binjiang_11_studio_leader = fact(
    Person, bool, "技能大师工作室领衔人（所在单位的区级技能大师工作室）", reference="binjiang/十一")
binjiang_11_session_year = fact(
    Person, int, "专业活动所属年度", reference="binjiang/十一", unit="year")
binjiang_11_session_count = fact(
    Person, int, "该年度参加区人力社保部门组织的培训、评审等专业活动的次数", reference="binjiang/十一")

binjiang_11_newly_recognised = dated(
    Organisation, "新认定（认定日期在本意见施行之后、评估日或之前）", "binjiang/十一", "binjiang_11_recognition_date")
binjiang_11_recognised_by_month_end = condition(
    Organisation, "已经认定（认定日期在评估日或之前）", "binjiang/十一",
    lambda org, period, parameters: org("binjiang_11_recognition_date", period) <= assessment_day(org, period),
    doc="领衔人补贴不要求新认定：认定可早于本意见施行。")

binjiang_11_took_part = condition(
    Person, "参加区人力社保部门组织的培训、评审等专业活动", "binjiang/十一",
    lambda person, period, parameters: person("binjiang_11_session_count", period) > 0)
binjiang_11_year_in_force = in_force_year(
    Person, "专业活动所属年度已给出，且在本意见施行之后结束", "binjiang/十一", "binjiang_11_session_year")


@installments("binjiang/十一/studio")
def master_studio_subsidy(org, period, parameters):
    amount = system_params(org, period).c11.studio_subsidy
    return Installments.stack([(org("binjiang_11_recognition_date", period), amount)])


@installments("binjiang/十一/leader_sessions")
def studio_leader_session_subsidy(person, period, parameters):
    rate = system_params(person, period).c11.leader_session
    year = person("binjiang_11_session_year", period)
    return Installments.stack([(only_if(year > 0, year_end(year)), rate * person("binjiang_11_session_count", period))])


named(globals())
