"""heping （十八） 支持参加多层次创业大赛: rewards up to 300000 for winners of the city's 海河英才创新创业大赛; up to
500000 for a Heping 行业系统 holding a startup competition.
"""

from jiuye.model import base
from jiuye.model.base import installments, named
from jiuye.model.dates import as_days
from jiuye.model.declared import declare

from ..common import ENTERPRISES, capped, one_off

declare(globals())


# =================================================================================================
# （十八） 创业大赛
# =================================================================================================


def _contestant_won(person, period, parameters):
    return (person("heping_18_won_as_contestant", period)
        & (as_days(person("heping_18_award_date", period)) <= base.assessment_day(person, period)))


def _project_winner(org, period, parameters):
    return (org("heping_18_project_won", period)
        & (as_days(org("heping_18_project_award_date", period)) <= base.assessment_day(org, period)))


def _held_competition(org, period, parameters):
    return as_days(org("heping_18_competition_date", period)) <= base.assessment_day(org, period)


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
