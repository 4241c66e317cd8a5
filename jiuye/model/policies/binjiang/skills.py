"""Clauses 十, 十一 and 十二: skilled talents, master studios, high-skilled role models.

* 十 — a recognised 职业技能等级认定试点单位 (enterprise) training in a year 100 skilled talents or 50
  high-skilled talents (person-times) → 50000, then 10000 for each further full 20 skilled or 10
  high-skilled, at most 200000 per enterprise per year; brand evaluation at the end of the term:
  three / four / five stars → 10000 / 20000 / 30000.
* 十一 — a newly recognised district-level master studio: 100000; its leader taking part in
  professional activities organised by the district HR bureau: 1000 per session.
* 十二 — the unit of a person selected as 浙江工匠: 20000 on top of the regular matching (matching set
  elsewhere); district skills-competition prizes 2000 / 1500 / 1000; the first three are 技术能手.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.entities import Organisation, Person
from jiuye.model.partial import asarray

from .common import (HIGH_SKILL_LEVELS, NOT_GIVEN, SKILL_LEVELS, doc_params, happened, system_params, year_end,
                     year_in_force)


# =================================================================================================
# （十）鼓励企业自主培养技能人才
# =================================================================================================
binjiang_10_pilot_unit = fact(
    Organisation, bool, "经人社部门认定的职业技能等级认定试点单位", reference="binjiang/十")
binjiang_10_year = fact(
    Organisation, int, "新增培养技能人才所属年度", reference="binjiang/十", unit="year")
binjiang_10_trained_by_enterprise = fact(
    Person, bool, "由本企业自主培养并经本企业职业技能等级认定取得证书", reference="binjiang/十")
binjiang_10_brand_stars = fact(
    Organisation, int, "职业技能等级认定试点企业品牌建设期满评估星级", reference="binjiang/十")
binjiang_10_brand_evaluation_date = fact(
    Organisation, date, "品牌建设期满评估日期", default=NOT_GIVEN, reference="binjiang/十")

binjiang_10_year_in_force = condition(
    Organisation, "每年（培养年度已给出，且在本意见施行之后结束）", "binjiang/十",
    lambda org, period, parameters: year_in_force(org("binjiang_10_year", period), period, parameters))


def _new_talent(person, period, levels) -> np.ndarray:
    certified = person("skill_certificate_date", period).astype("datetime64[Y]").astype(np.int64) + 1970
    return (person("binjiang_10_trained_by_enterprise", period)
            & np.isin(person("skill_certificate_level", period), levels)
            & (certified == person.organisation("binjiang_10_year", period)))


class binjiang_10_new_skilled(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "培养年度新增培养的技能人才人（次）（初级工及以上，含高技能人才）"
    reference = "binjiang/十"
    documentation = "人（次）：实际企业可直接填写（填写值优先于推算）；否则本企业自主培养并在该年度取证的职工每人计一次。"

    def formula(org, period, parameters):
        return org.sum(_new_talent(org.members, period, SKILL_LEVELS), role=Organisation.EMPLOYEE)


class binjiang_10_new_high_skilled(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "培养年度新增培养的高技能人才人（次）（高级工、技师、高级技师）"
    reference = "binjiang/十"
    documentation = "同“新增培养的技能人才”，只计高级工、技师、高级技师。"

    def formula(org, period, parameters):
        return org.sum(_new_talent(org.members, period, HIGH_SKILL_LEVELS), role=Organisation.EMPLOYEE)


binjiang_10_skilled_100 = condition(
    Organisation, "每年新增培养技能人才100人（次）", "binjiang/十",
    lambda org, period, parameters: org("binjiang_10_new_skilled", period)
    >= doc_params(parameters, period).c10.skilled_base,
    doc="达到100人（次）（含）；技能人才含高技能人才。")
binjiang_10_high_skilled_50 = condition(
    Organisation, "每年新增培养高技能人才50人（次）", "binjiang/十",
    lambda org, period, parameters: org("binjiang_10_new_high_skilled", period)
    >= doc_params(parameters, period).c10.high_skilled_base,
    doc="达到50人（次）（含）。")


def pilot_reward_amount(skilled, high_skilled, p) -> np.ndarray:
    """Each route on its own — 100 skilled then +1 step per full 20, or 50 high-skilled then +1 step per
    full 10 — 50000 + 10000 per step; the better route, at most 200000."""
    skilled, high = asarray(skilled), asarray(high_skilled)
    by_skilled = np.where(skilled >= p.skilled_base, p.base_amount + p.step_amount * np.floor_divide(
        np.maximum(skilled - p.skilled_base, 0), p.skilled_step), 0.0)
    by_high = np.where(high >= p.high_skilled_base, p.base_amount + p.step_amount * np.floor_divide(
        np.maximum(high - p.high_skilled_base, 0), p.high_skilled_step), 0.0)
    return np.minimum(np.maximum(by_skilled, by_high), p.yearly_cap)


@installments("binjiang/十/pilot")
def pilot_training_reward(org, period, parameters):
    p = system_params(org, period).c10
    year = org("binjiang_10_year", period)
    amount = pilot_reward_amount(org("binjiang_10_new_skilled", period), org("binjiang_10_new_high_skilled", period), p)
    return Installments.stack([(only_if(year > 0, year_end(year)), amount)])


binjiang_10_brand_three_stars = condition(
    Organisation, "品牌建设期满评估三星及以上", "binjiang/十",
    lambda org, period, parameters: org("binjiang_10_brand_stars", period)
    >= doc_params(parameters, period).c10.brand_reward.thresholds[0])
binjiang_10_brand_evaluated = condition(
    Organisation, "期满评估日期在本意见施行之后、评估日或之前", "binjiang/十",
    lambda org, period, parameters: happened(org, org("binjiang_10_brand_evaluation_date", period), period, parameters))


@installments("binjiang/十/brand")
def brand_reward(org, period, parameters):
    scale = system_params(org, period).c10.brand_reward
    stars = org("binjiang_10_brand_stars", period)
    # the highest threshold reached (the scale's own calc cannot read partially known values)
    amount = np.select([stars >= t for t in reversed(scale.thresholds)], list(reversed(scale.amounts)), 0.0)
    return Installments.stack([(org("binjiang_10_brand_evaluation_date", period), amount)])


# =================================================================================================
# （十一）培育技能大师工作室
# =================================================================================================
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

binjiang_11_newly_recognised = condition(
    Organisation, "新认定（认定日期在本意见施行之后、评估日或之前）", "binjiang/十一",
    lambda org, period, parameters: happened(org, org("binjiang_11_recognition_date", period), period, parameters))
binjiang_11_recognised_by_month_end = condition(
    Organisation, "已经认定（认定日期在评估日或之前）", "binjiang/十一",
    lambda org, period, parameters: org("binjiang_11_recognition_date", period) <= assessment_day(org, period),
    doc="领衔人补贴不要求新认定：认定可早于本意见施行。")

binjiang_11_took_part = condition(
    Person, "参加区人力社保部门组织的培训、评审等专业活动", "binjiang/十一",
    lambda person, period, parameters: person("binjiang_11_session_count", period) > 0)
binjiang_11_year_in_force = condition(
    Person, "专业活动所属年度已给出，且在本意见施行之后结束", "binjiang/十一",
    lambda person, period, parameters: year_in_force(person("binjiang_11_session_year", period), period, parameters))


@installments("binjiang/十一/studio")
def master_studio_subsidy(org, period, parameters):
    amount = system_params(org, period).c11.studio_subsidy
    return Installments.stack([(org("binjiang_11_recognition_date", period), amount)])


@installments("binjiang/十一/leader_sessions")
def studio_leader_session_subsidy(person, period, parameters):
    rate = system_params(person, period).c11.leader_session
    year = person("binjiang_11_session_year", period)
    return Installments.stack([(only_if(year > 0, year_end(year)), rate * person("binjiang_11_session_count", period))])


# =================================================================================================
# （十二）加大高技能人才选树激励
# =================================================================================================
class PrizeGrade(Enum):
    none = "无"
    first = "一等奖"
    second = "二等奖"
    third = "三等奖"


binjiang_12_zhejiang_craftsman = fact(
    Person, bool, "入选浙江工匠", reference="binjiang/十二", doc="所在单位为其用人单位（情形中其所属单位）。")
binjiang_12_selection_date = fact(
    Person, date, "入选浙江工匠的日期", default=NOT_GIVEN, reference="binjiang/十二")
binjiang_12_prize = fact(
    Person, Enum, "在（本区）区级职业技能竞赛中获得的奖项", possible_values=PrizeGrade, reference="binjiang/十二")
binjiang_12_prize_date = fact(
    Person, date, "区级职业技能竞赛获奖日期", default=NOT_GIVEN, reference="binjiang/十二")
binjiang_12_rank = fact(
    Person, int, "区级职业技能竞赛名次（第几名）", reference="binjiang/十二")

binjiang_12_craftsman_selected = condition(
    Person, "入选日期在本意见施行之后、评估日或之前", "binjiang/十二",
    lambda person, period, parameters: happened(person, person("binjiang_12_selection_date", period), period, parameters))

binjiang_12_prize_winner = condition(
    Person, "在区级职业技能竞赛中获得一、二、三等奖", "binjiang/十二",
    lambda person, period, parameters: person("binjiang_12_prize", period) != PrizeGrade.none)
binjiang_12_prize_dated = condition(
    Person, "获奖日期在本意见施行之后、评估日或之前", "binjiang/十二",
    lambda person, period, parameters: happened(person, person("binjiang_12_prize_date", period), period, parameters))


def _top_three(person, period, parameters):
    rank = person("binjiang_12_rank", period)
    return (rank >= 1) & (rank <= doc_params(parameters, period).c12.top_rank)


binjiang_12_top_three = condition(
    Person, "获得前3名", "binjiang/十二", _top_three, doc="第1至第3名（含第3名）。")


@installments("binjiang/十二/craftsman")
def craftsman_unit_support(person, period, parameters):
    amount = system_params(person, period).c12.craftsman_support
    return Installments.stack([(person("binjiang_12_selection_date", period), amount)])


@installments("binjiang/十二/craftsman_matching")
def craftsman_unit_matching(person, period, parameters):
    return Installments.stack([(person("binjiang_12_selection_date", period), np.nan)])


@installments("binjiang/十二/prize")
def competition_prize(person, period, parameters):
    p = system_params(person, period).c12.prize
    grade = person("binjiang_12_prize", period)
    amount = np.select([grade == PrizeGrade.first, grade == PrizeGrade.second, grade == PrizeGrade.third],
                       [p.first, p.second, p.third], 0.0)
    return Installments.stack([(person("binjiang_12_prize_date", period), amount)])


named(globals())
