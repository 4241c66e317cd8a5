"""（十二）加大高技能人才选树激励 (binjiang/十二): the unit of a person selected as 浙江工匠: 20000 on top of the regular
matching (matching set elsewhere); district skills-competition prizes 2000 / 1500 / 1000; the first
three are 技术能手.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.entities import Person
from jiuye.model.declared import declare

from ..common import dated, doc_params, paid_on, system_params

declare(globals())


binjiang_12_craftsman_selected = dated(
    Person, "入选日期在本意见施行之后、评估日或之前", "binjiang/十二", "binjiang_12_selection_date")

def _prize_winner(person, period, parameters):
    return person("binjiang_12_prize", period) != PrizeGrade.none


binjiang_12_prize_dated = dated(
    Person, "获奖日期在本意见施行之后、评估日或之前", "binjiang/十二", "binjiang_12_prize_date")


def _top_three(person, period, parameters):
    rank = person("binjiang_12_rank", period)
    return (rank >= 1) & (rank <= doc_params(parameters, period).c12.top_rank)


craftsman_unit_support = installments("binjiang/十二/craftsman")(
    paid_on("binjiang_12_selection_date", "c12.craftsman_support"))


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
