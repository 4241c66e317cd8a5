"""（五）支持公益性就业援助 (binjiang/五): one-off 5000 / 3000 / 2000 for a competition award or an advanced title
organised by the nation / province / city, to a 就业援助公益导师 or 就业辅导公益组织; sessions of the district mentor
pool at 300 online and 1000 offline each.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, condition, fact, installments, named, only_if
from jiuye.model.entities import Organisation, Person

from ..common import NOT_GIVEN, happened, system_params, year_end, year_in_force


class HonourLevel(Enum):
    none = "无"
    national = "国家组织"
    provincial = "省组织"
    city = "市组织"
    other = "其他（区级及以下等）"


HONOURED = [HonourLevel[n].index for n in ("national", "provincial", "city")]


def _honour_amount(level, p) -> np.ndarray:
    return np.select([level == HonourLevel.national, level == HonourLevel.provincial, level == HonourLevel.city],
                     [p.national, p.provincial, p.city], 0.0)


# --- the mentor (person) ---------------------------------------------------------------------------
binjiang_5_mentor = fact(
    Person, bool, "就业援助公益导师", reference="binjiang/五")
binjiang_5_mentor_in_district = fact(
    Person, bool, "在本区积极开展公益性就业帮扶工作", reference="binjiang/五")
binjiang_5_mentor_competition_level = fact(
    Person, Enum, "获得的职业指导等技能竞赛奖项的组织级别", possible_values=HonourLevel, reference="binjiang/五")
binjiang_5_mentor_competition_date = fact(
    Person, date, "职业指导等技能竞赛获奖日期", default=NOT_GIVEN, reference="binjiang/五")
binjiang_5_mentor_advanced_level = fact(
    Person, Enum, "被评为先进个人的评选组织级别", possible_values=HonourLevel, reference="binjiang/五")
binjiang_5_mentor_advanced_date = fact(
    Person, date, "被评为先进个人的日期", default=NOT_GIVEN, reference="binjiang/五")

binjiang_5_mentor_competition_award = condition(
    Person, "获得国家、省、市组织的职业指导等技能竞赛奖项", "binjiang/五",
    lambda person, period, parameters: np.isin(person("binjiang_5_mentor_competition_level", period), HONOURED))
binjiang_5_mentor_competition_dated = condition(
    Person, "获奖日期在本意见施行之后、评估日或之前", "binjiang/五",
    lambda person, period, parameters: happened(person, person("binjiang_5_mentor_competition_date", period), period,
                                                parameters))
binjiang_5_mentor_advanced_title = condition(
    Person, "被国家、省、市评为先进个人", "binjiang/五",
    lambda person, period, parameters: np.isin(person("binjiang_5_mentor_advanced_level", period), HONOURED))
binjiang_5_mentor_advanced_dated = condition(
    Person, "评选日期在本意见施行之后、评估日或之前", "binjiang/五",
    lambda person, period, parameters: happened(person, person("binjiang_5_mentor_advanced_date", period), period,
                                                parameters))


@installments("binjiang/五/mentor_competition")
def mentor_competition_reward(person, period, parameters):
    amount = _honour_amount(person("binjiang_5_mentor_competition_level", period), system_params(person, period).c05.award)
    return Installments.stack([(person("binjiang_5_mentor_competition_date", period), amount)])


@installments("binjiang/五/mentor_advanced")
def mentor_advanced_reward(person, period, parameters):
    amount = _honour_amount(person("binjiang_5_mentor_advanced_level", period), system_params(person, period).c05.award)
    return Installments.stack([(person("binjiang_5_mentor_advanced_date", period), amount)])


# --- the public-welfare organisation ----------------------------------------------------------------
binjiang_5_guidance_charity = fact(
    Organisation, bool, "就业辅导公益组织", reference="binjiang/五")
binjiang_5_org_competition_level = fact(
    Organisation, Enum, "组织获得的职业指导等技能竞赛奖项的组织级别", possible_values=HonourLevel, reference="binjiang/五")
binjiang_5_org_competition_date = fact(
    Organisation, date, "组织获得职业指导等技能竞赛奖项的日期", default=NOT_GIVEN, reference="binjiang/五")
binjiang_5_org_advanced_level = fact(
    Organisation, Enum, "被评为先进组织的评选组织级别", possible_values=HonourLevel, reference="binjiang/五")
binjiang_5_org_advanced_date = fact(
    Organisation, date, "被评为先进组织的日期", default=NOT_GIVEN, reference="binjiang/五")

binjiang_5_org_competition_award = condition(
    Organisation, "获得国家、省、市组织的职业指导等技能竞赛奖项", "binjiang/五",
    lambda org, period, parameters: np.isin(org("binjiang_5_org_competition_level", period), HONOURED))
binjiang_5_org_competition_dated = condition(
    Organisation, "获奖日期在本意见施行之后、评估日或之前", "binjiang/五",
    lambda org, period, parameters: happened(org, org("binjiang_5_org_competition_date", period), period, parameters))
binjiang_5_org_advanced_title = condition(
    Organisation, "被国家、省、市评为先进组织", "binjiang/五",
    lambda org, period, parameters: np.isin(org("binjiang_5_org_advanced_level", period), HONOURED))
binjiang_5_org_advanced_dated = condition(
    Organisation, "评选日期在本意见施行之后、评估日或之前", "binjiang/五",
    lambda org, period, parameters: happened(org, org("binjiang_5_org_advanced_date", period), period, parameters))


@installments("binjiang/五/organisation_competition")
def organisation_competition_reward(org, period, parameters):
    amount = _honour_amount(org("binjiang_5_org_competition_level", period), system_params(org, period).c05.award)
    return Installments.stack([(org("binjiang_5_org_competition_date", period), amount)])


@installments("binjiang/五/organisation_advanced")
def organisation_advanced_reward(org, period, parameters):
    amount = _honour_amount(org("binjiang_5_org_advanced_level", period), system_params(org, period).c05.award)
    return Installments.stack([(org("binjiang_5_org_advanced_date", period), amount)])


# --- the district mentor pool: sessions ------------------------------------------------------------
binjiang_5_mentor_pool = fact(
    Person, bool, "入选区就业创业导师库", reference="binjiang/五")
binjiang_5_session_year = fact(
    Person, int, "服务所属年度", reference="binjiang/五", unit="year")
binjiang_5_online_sessions = fact(
    Person, int, "该年度参加由人力社保部门组织的就业创业宣讲咨询、赛事评审、职业指导等服务的次数（线上）",
    reference="binjiang/五", optional=True, doc="未填写即0次。")
binjiang_5_offline_sessions = fact(
    Person, int, "该年度参加由人力社保部门组织的就业创业宣讲咨询、赛事评审、职业指导等服务的次数（线下）",
    reference="binjiang/五", optional=True, doc="未填写即0次。")

binjiang_5_took_part = condition(
    Person, "参加由人力社保部门组织的就业创业宣讲咨询、赛事评审、职业指导等服务", "binjiang/五",
    lambda person, period, parameters: (person("binjiang_5_online_sessions", period)
                                        + person("binjiang_5_offline_sessions", period)) > 0,
    doc="该年度线上、线下服务合计至少1次。")
binjiang_5_year_in_force = condition(
    Person, "服务所属年度已给出，且在本意见施行之后结束", "binjiang/五",
    lambda person, period, parameters: year_in_force(person("binjiang_5_session_year", period), period, parameters))


@installments("binjiang/五/mentor_sessions")
def mentor_session_subsidy(person, period, parameters):
    p = system_params(person, period).c05
    amount = (p.session_online * person("binjiang_5_online_sessions", period)
              + p.session_offline * person("binjiang_5_offline_sessions", period))
    year = person("binjiang_5_session_year", period)
    return Installments.stack([(only_if(year > 0, year_end(year)), amount)])


named(globals())
