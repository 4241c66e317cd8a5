"""heping （十八） 支持参加多层次创业大赛: rewards up to 300000 for winners of the city's 海河英才创新创业大赛; up to
500000 for a Heping 行业系统 holding a startup competition.
"""

from datetime import date

import numpy as np

from jiuye.model import base
from jiuye.model.base import NOT_GIVEN, condition, fact, installments, named
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import District

from ..common import ENTERPRISES, capped, one_off


# =================================================================================================
# （十八） 创业大赛
# =================================================================================================
heping_18_won_as_contestant = fact(
    Person, bool, "以选手身份在我市举办的海河英才创新创业大赛中获奖", reference="heping/十八")
heping_18_award_date = fact(Person, date, "获奖日期", default=NOT_GIVEN, reference="heping/十八")
heping_18_prize_reward = fact(
    Person, float, "按获奖等次确定的奖励金额（元）", reference="heping/十八", unit="currency-CNY", optional=True,
    doc="按获奖等次确定的奖励（大赛规则），本文件未规定；未提供时按“最高30万元”列示并标明“最高”。")
heping_18_project_won = fact(
    Organisation, bool, "企业的项目在我市举办的海河英才创新创业大赛中获奖", reference="heping/十八")
heping_18_project_award_date = fact(Organisation, date, "项目获奖日期", default=NOT_GIVEN, reference="heping/十八")
heping_18_project_prize_reward = fact(
    Organisation, float, "项目按获奖等次确定的奖励金额（元）", reference="heping/十八", unit="currency-CNY",
    optional=True, doc="未提供时按“最高30万元”列示并标明“最高”。")
heping_18_industry_system = fact(
    Organisation, bool, "本区行业系统（行业主管部门、行业组织等）", reference="heping/十八")
heping_18_competition_date = fact(
    Organisation, date, "举办创业大赛的日期（决赛或结束日期）", default=NOT_GIVEN, reference="heping/十八")
heping_18_competition_cost = fact(
    Organisation, float, "举办创业大赛的费用（元）", reference="heping/十八", unit="currency-CNY", optional=True,
    doc="未提供时按“最高50万元”列示并标明“最高”。")

heping_18_founder = condition(
    Person, "我区创业人员（所创办企业或个体工商户的创业者）", "heping/十八",
    lambda person, period, parameters: person.has_role(Organisation.FOUNDER))

heping_18_org_in_heping = condition(
    Organisation, "我区（注册地在和平区）", "heping/十八",
    lambda org, period, parameters: org("registration_district", period) == District.heping)

heping_18_contestant_won = condition(
    Person, "获奖选手（在我市举办的海河英才创新创业大赛中获奖）", "heping/十八",
    lambda person, period, parameters: person("heping_18_won_as_contestant", period)
    & (as_days(person("heping_18_award_date", period)) <= base.assessment_day(person, period)),
    doc="获奖日期不晚于评估之日。")

heping_18_enterprise = condition(
    Organisation, "企业", "heping/十八",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISES))

heping_18_project_winner = condition(
    Organisation, "获奖项目（企业的项目在我市举办的海河英才创新创业大赛中获奖）", "heping/十八",
    lambda org, period, parameters: org("heping_18_project_won", period)
    & (as_days(org("heping_18_project_award_date", period)) <= base.assessment_day(org, period)),
    doc="获奖日期不晚于评估之日。")


heping_18_held_competition = condition(
    Organisation, "举办创业大赛", "heping/十八",
    lambda org, period, parameters: as_days(org("heping_18_competition_date", period)) <= base.assessment_day(org, period),
    doc="大赛已于评估之日或之前举办。")


@installments("heping/十八/contestant")
def contestant_award(person, period, parameters):
    amount, unknown = capped(person("heping_18_prize_reward", period), parameters.heping.c18.contest_award_max)
    return one_off(person("heping_18_award_date", period), amount, unknown)


@installments("heping/十八/project")
def project_award(organisation, period, parameters):
    amount, unknown = capped(organisation("heping_18_project_prize_reward", period),
                             parameters.heping.c18.contest_award_max)
    return one_off(organisation("heping_18_project_award_date", period), amount, unknown)


@installments("heping/十八/organiser")
def competition_subsidy(organisation, period, parameters):
    amount, unknown = capped(organisation("heping_18_competition_cost", period),
                             parameters.heping.c18.competition_subsidy_max)
    return one_off(organisation("heping_18_competition_date", period), amount, unknown)


named(globals())
