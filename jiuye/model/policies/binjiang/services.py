"""Clauses 一, 二, 五 and 六: the service platforms and the people who run them.

* 一 — yearly grants by assessment: streets (at most 500000), filed community centres (at most 150000,
  paid by the street out of its grant), filed industry-platform centres (at most 300000); 150000 a year
  to the street for an accepted gig market.
* 二 — one-off reward for a newly recognised 高质量就业社区: national 100000, provincial 50000,
  city 40000, district 10000.
* 五 — one-off 5000 / 3000 / 2000 for a competition award or an advanced title organised by the
  nation / province / city, to a 就业援助公益导师 or 就业辅导公益组织; sessions of the district mentor
  pool at 300 online and 1000 offline each.
* 六 — one-off 3000 / 2500 / 2000 / 1500 / 1000 for a skill-level certificate (高级技师 … 初级工) in the
  listed occupations, to a person working in public employment services in the district.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel

from .common import NOT_GIVEN, SKILL_LEVELS, happened, system_params, year_end, year_in_force


# =================================================================================================
# （一）加强基层服务平台建设
# =================================================================================================
binjiang_1_year = fact(
    Organisation, int, "经费补贴所属年度（考核评估年度）", reference="binjiang/一", unit="year")
binjiang_1_assessed = fact(
    Organisation, bool, "经考核评估，按服务规模、项目、成效予以经费补贴", reference="binjiang/一")
binjiang_1_assessed_amount = fact(
    Organisation, float, "根据考核评估结果核定的补贴（经费）金额（元）", reference="binjiang/一", unit="currency-CNY",
    optional=True, doc="未填写时以每年最高额作为上限列示（最高）。")
binjiang_1_community_centre_grants = fact(
    Organisation, float, "其中由本街道给予辖区内备案社区就业创业服务中心的补贴合计（元）", reference="binjiang/一",
    unit="currency-CNY", optional=True, minimum=0, maximum=500000,
    doc="街道一方填写：同一年度本街道从其最高50万元中给予各社区就业创业服务中心的补贴之和（原文“其中”）。"
        "未填写时街道本身所得只能列为上限（最高）。")
binjiang_1_community_centre_filed = fact(
    Organisation, bool, "经区人力社保局备案的社区就业创业服务中心", reference="binjiang/一")
binjiang_1_industry_platform_centre_filed = fact(
    Organisation, bool, "经区人力社保局备案的产业平台就业创业服务中心", reference="binjiang/一")
binjiang_1_gig_market_accepted = fact(
    Organisation, bool, "验收通过的零工市场", reference="binjiang/一")
binjiang_1_gig_market_acceptance_date = fact(
    Organisation, date, "零工市场验收通过日期", default=NOT_GIVEN, reference="binjiang/一")

binjiang_1_year_in_force = condition(
    Organisation, "每年（补贴所属年度已给出，且在本意见施行之后结束）", "binjiang/一",
    lambda org, period, parameters: year_in_force(org("binjiang_1_year", period), period, parameters))


def _accepted_in_time(org, period, parameters):
    accepted = org("binjiang_1_gig_market_acceptance_date", period)
    year = org("binjiang_1_year", period)
    return (accepted <= assessment_day(org, period)) & (accepted <= year_end(year))


binjiang_1_gig_market_accepted_in_time = condition(
    Organisation, "验收通过日期在评估日及经费所属年度末或之前", "binjiang/一", _accepted_in_time,
    doc="验收可早于本意见施行；经费自施行后结束的年度起拨付。")


def _yearly(org, period, cap, assessed: bool = True) -> Installments:
    """One installment on 31 December of the grant's year: the assessed amount up to `cap`, or `cap`
    as a ceiling when the assessed amount is not given."""
    year = org("binjiang_1_year", period)
    due = only_if(year > 0, year_end(year))
    if not assessed:
        return Installments.stack([(due, cap)])
    amount = org("binjiang_1_assessed_amount", period)
    known = ~np.isnan(amount)
    return Installments.stack([(due, np.where(known, np.minimum(amount, cap), cap), ~known)])


@installments("binjiang/一/street")
def street_grant(org, period, parameters):
    """“给予街道每年最高50万元，其中……社区就业创业服务中心由街道……给予补贴，最高15万元”: one cap for the
    street area. The communities' centres are paid first out of the 500000; the street's own part is its
    assessed amount up to what remains. Not knowing the communities' share, the remainder is a ceiling."""
    cap = system_params(org, period).c01.street_max
    given = org("binjiang_1_community_centre_grants", period)
    known = ~np.isnan(given)
    remaining = np.where(known, np.maximum(cap - np.where(known, given, 0.0), 0.0), cap)
    year = org("binjiang_1_year", period)
    due = only_if(year > 0, year_end(year))
    amount = org("binjiang_1_assessed_amount", period)
    assessed = ~np.isnan(amount)
    own = np.where(assessed, np.minimum(np.where(assessed, amount, 0.0), remaining), remaining)
    return Installments.stack([(due, own, ~assessed | ~known)])


@installments("binjiang/一/community")
def community_centre_grant(org, period, parameters):
    return _yearly(org, period, system_params(org, period).c01.community_centre_max)


@installments("binjiang/一/industry_platform")
def industry_platform_grant(org, period, parameters):
    return _yearly(org, period, system_params(org, period).c01.industry_platform_max)


@installments("binjiang/一/gig_market")
def gig_market_funding(org, period, parameters):
    return _yearly(org, period, system_params(org, period).c01.gig_market_funding, assessed=False)


# =================================================================================================
# （二）深化高质量就业社区建设
# =================================================================================================
class RecognitionLevel(Enum):
    none = "无"
    national = "国家级"
    provincial = "省级"
    city = "市级"
    district = "区级"


binjiang_2_community_level = fact(
    Organisation, Enum, "新认定的高质量就业社区级别", possible_values=RecognitionLevel, reference="binjiang/二")
binjiang_2_recognition_date = fact(
    Organisation, date, "高质量就业社区认定日期", default=NOT_GIVEN, reference="binjiang/二")


binjiang_2_recognised = condition(
    Organisation, "认定为国家级、省级、市级或区级高质量就业社区", "binjiang/二",
    lambda org, period, parameters: org("binjiang_2_community_level", period) != RecognitionLevel.none)

binjiang_2_newly_recognised = condition(
    Organisation, "新认定（认定日期在本意见施行之后、评估日或之前）", "binjiang/二",
    lambda org, period, parameters: happened(org, org("binjiang_2_recognition_date", period), period, parameters),
    doc="“新认定”：认定日期在本意见施行之日或之后，且在评估日或之前。")


@installments("binjiang/二")
def quality_community_reward(org, period, parameters):
    p = system_params(org, period).c02.reward
    level = org("binjiang_2_community_level", period)
    amount = np.select([level == RecognitionLevel.national, level == RecognitionLevel.provincial,
                        level == RecognitionLevel.city, level == RecognitionLevel.district],
                       [p.national, p.provincial, p.city, p.district], 0.0)
    return Installments.stack([(org("binjiang_2_recognition_date", period), amount)])


# =================================================================================================
# （五）支持公益性就业援助
# =================================================================================================
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


# =================================================================================================
# （六）加强公共服务队伍建设
# =================================================================================================
binjiang_6_listed_occupation = fact(
    Person, bool, "证书职业为职业指导师、企业人力资源管理师、劳动关系协调员、劳动保障协理员、创业指导师等",
    reference="binjiang/六", doc="“等”所含的其他职业由区人力社保局认定，情形直接给出。")
binjiang_6_public_employment_service = fact(
    Person, bool, "在所在单位从事公共就业服务工作", reference="binjiang/六",
    doc="“在区内”：所在单位（情形中其所属单位）注册地在滨江区。")

binjiang_6_certificate = condition(
    Person, "取得职业技能等级认定证书（初级工至高级技师）", "binjiang/六",
    lambda person, period, parameters: np.isin(person("skill_certificate_level", period), SKILL_LEVELS))
binjiang_6_certificate_dated = condition(
    Person, "取证日期在本意见施行之后、评估日或之前", "binjiang/六",
    lambda person, period, parameters: happened(person, person("skill_certificate_date", period), period, parameters))


@installments("binjiang/六")
def public_service_certificate_subsidy(person, period, parameters):
    p = system_params(person, period).c06.certificate_subsidy
    level = person("skill_certificate_level", period)
    amount = np.select([level == SkillLevel.senior_technician, level == SkillLevel.technician,
                        level == SkillLevel.senior, level == SkillLevel.intermediate, level == SkillLevel.junior],
                       [p.senior_technician, p.technician, p.senior, p.intermediate, p.junior], 0.0)
    return Installments.stack([(person("skill_certificate_date", period), amount)])


named(globals())
