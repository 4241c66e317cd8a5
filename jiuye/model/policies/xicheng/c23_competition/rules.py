"""Clause 23 (充分挖掘各领域高技能人才): competition awards (国家级 50000, 市级 30000 for the first three),
district skills competitions (20000 / 30000 / 50000 by size) and showcases (50000).
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import NOT_GIVEN, Installments, assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.schedules import scale_calc
from jiuye.model.facts.organisation import OrgType


class CompetitionLevel(Enum):
    none = "无"
    national = "国家级"
    city = "市级"
    other = "其他（区级及以下）"


xicheng_23_competition_level = fact(
    Person, Enum, "参加的职业技能竞赛级别", possible_values=CompetitionLevel, reference="xicheng/23")
xicheng_23_competition_rank = fact(
    Person, int, "竞赛名次（第几名）", reference="xicheng/23")
xicheng_23_award_date = fact(
    Person, date, "竞赛获奖日期", default=NOT_GIVEN, reference="xicheng/23")

xicheng_23_national_or_city_competition = condition(
    Person, "国家或市级竞赛", "xicheng/23",
    lambda person, period, parameters: np.isin(
        person("xicheng_23_competition_level", period),
        [CompetitionLevel.national.index, CompetitionLevel.city.index]))


def _top_three(person, period, parameters):
    rank = person("xicheng_23_competition_rank", period)
    awarded = person("xicheng_23_award_date", period) <= assessment_day(person, period)
    return (rank >= 1) & (rank <= parameters(period).xicheng.c23.top_rank) & awarded


xicheng_23_top_three = condition(
    Person, "取得前三名", "xicheng/23", _top_three,
    doc="名次为第1至第3名（含第3名），获奖日期在评估之日或之前。")


@installments("xicheng/23/award")
def competition_award_subsidy(person, period, parameters):
    p = parameters.xicheng.c23.award_subsidy
    level = person("xicheng_23_competition_level", period)
    amount = np.select([level == CompetitionLevel.national, level == CompetitionLevel.city],
                       [p.national, p.city], 0.0)
    return Installments.stack([(person("xicheng_23_award_date", period), amount)])


# --- district skills competitions and showcases -------------------------------------------------
xicheng_23_district_competition_organised = fact(
    Organisation, bool, "开展区级职业技能竞赛活动", reference="xicheng/23")
xicheng_23_district_competition_persons = fact(
    Organisation, int, "区级职业技能竞赛活动规模（人）", reference="xicheng/23", unit="person")
xicheng_23_district_competition_date = fact(
    Organisation, date, "区级职业技能竞赛活动举办（结束）日期", default=NOT_GIVEN, reference="xicheng/23")
xicheng_23_showcase_organised = fact(
    Organisation, bool, "作为主办单位举办高技能人才成果展示活动", reference="xicheng/23")
xicheng_23_showcase_persons = fact(
    Organisation, int, "高技能人才成果展示活动规模（人）", reference="xicheng/23", unit="person")
xicheng_23_showcase_projects = fact(
    Organisation, int, "高技能人才成果展示活动规模（项目个数）", reference="xicheng/23")
xicheng_23_showcase_date = fact(
    Organisation, date, "高技能人才成果展示活动举办（结束）日期", default=NOT_GIVEN, reference="xicheng/23")

xicheng_23_industry_association = condition(
    Organisation, "行业协会", "xicheng/23",
    lambda org, period, parameters: org("org_type", period) == OrgType.industry_association)
xicheng_23_chamber_of_commerce = condition(
    Organisation, "商会", "xicheng/23",
    lambda org, period, parameters: org("org_type", period) == OrgType.chamber_of_commerce)

xicheng_23_held_district_competition = condition(
    Organisation, "开展区级职业技能竞赛活动", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_district_competition_organised", period)
    & (org("xicheng_23_district_competition_date", period) <= assessment_day(org, period)),
    doc="活动日期在评估之日或之前。")


def _competition_at_least_30(org, period, parameters):
    first = parameters(period).xicheng.c23.district_competition_subsidy.thresholds[0]
    return org("xicheng_23_district_competition_persons", period) >= first


xicheng_23_competition_at_least_30 = condition(
    Organisation, "规模在30人（含）以上", "xicheng/23", _competition_at_least_30)

xicheng_23_held_showcase = condition(
    Organisation, "举办高技能人才成果展示活动（主办单位）", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_showcase_organised", period)
    & (org("xicheng_23_showcase_date", period) <= assessment_day(org, period)),
    doc="活动日期在评估之日或之前。")
xicheng_23_showcase_30_persons = condition(
    Organisation, "30人以上规模", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_showcase_persons", period)
    >= parameters(period).xicheng.c23.showcase_min_persons)
xicheng_23_showcase_50_projects = condition(
    Organisation, "50个项目以上规模", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_showcase_projects", period)
    >= parameters(period).xicheng.c23.showcase_min_projects)


@installments("xicheng/23/district_competition")
def district_competition_subsidy(org, period, parameters):
    persons = org("xicheng_23_district_competition_persons", period)
    amount = scale_calc(parameters.xicheng.c23.district_competition_subsidy, persons)
    return Installments.stack([(org("xicheng_23_district_competition_date", period), amount)])


@installments("xicheng/23/showcase")
def showcase_subsidy(org, period, parameters):
    return Installments.stack([(org("xicheng_23_showcase_date", period), parameters.xicheng.c23.showcase_subsidy)])


named(globals())
