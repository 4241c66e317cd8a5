"""（十二）加大高技能人才选树激励 (binjiang/十二): the unit of a person selected as 浙江工匠: 20000 on top of the regular
matching (matching set elsewhere); district skills-competition prizes 2000 / 1500 / 1000; the first
three are 技术能手.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.entities import Person

from ..common import NOT_GIVEN, dated, doc_params, system_params


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

binjiang_12_craftsman_selected = dated(
    Person, "入选日期在本意见施行之后、评估日或之前", "binjiang/十二", "binjiang_12_selection_date")

binjiang_12_prize_winner = condition(
    Person, "在区级职业技能竞赛中获得一、二、三等奖", "binjiang/十二",
    lambda person, period, parameters: person("binjiang_12_prize", period) != PrizeGrade.none)
binjiang_12_prize_dated = dated(
    Person, "获奖日期在本意见施行之后、评估日或之前", "binjiang/十二", "binjiang_12_prize_date")


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
