"""Clause 23 (充分挖掘各领域高技能人才): competition awards (国家级 50000, 市级 30000 for the first three),
district skills competitions (20000 / 30000 / 50000 by size) and showcases (50000).
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, named
from jiuye.model.schedules import scale_calc
from jiuye.model.declared import declare

declare(globals())


def _national_or_city_competition(person, period, parameters):
    return (np.isin(
        person("xicheng_23_competition_level", period),
        [CompetitionLevel.national.index, CompetitionLevel.city.index]))


def _top_three(person, period, parameters):
    rank = person("xicheng_23_competition_rank", period)
    awarded = person("xicheng_23_award_date", period) <= assessment_day(person, period)
    return (rank >= 1) & (rank <= parameters(period).xicheng.c23.top_rank) & awarded


@installments("xicheng/23/award")
def competition_award_subsidy(person, period, parameters):
    p = parameters.xicheng.c23.award_subsidy
    level = person("xicheng_23_competition_level", period)
    amount = np.select([level == CompetitionLevel.national, level == CompetitionLevel.city],
                       [p.national, p.city], 0.0)
    return Installments.stack([(person("xicheng_23_award_date", period), amount)])


# --- district skills competitions and showcases -------------------------------------------------


def _held_district_competition(org, period, parameters):
    return (org("xicheng_23_district_competition_organised", period)
        & (org("xicheng_23_district_competition_date", period) <= assessment_day(org, period)))


def _competition_at_least_30(org, period, parameters):
    first = parameters(period).xicheng.c23.district_competition_subsidy.thresholds[0]
    return org("xicheng_23_district_competition_persons", period) >= first


def _held_showcase(org, period, parameters):
    return (org("xicheng_23_showcase_organised", period)
        & (org("xicheng_23_showcase_date", period) <= assessment_day(org, period)))


@installments("xicheng/23/district_competition")
def district_competition_subsidy(org, period, parameters):
    persons = org("xicheng_23_district_competition_persons", period)
    amount = scale_calc(parameters.xicheng.c23.district_competition_subsidy, persons)
    return Installments.stack([(org("xicheng_23_district_competition_date", period), amount)])


@installments("xicheng/23/showcase")
def showcase_subsidy(org, period, parameters):
    return Installments.stack([(org("xicheng_23_showcase_date", period), parameters.xicheng.c23.showcase_subsidy)])


named(globals())
