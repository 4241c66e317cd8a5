"""haidian/五是/placement claimed by the stated number (issue 12, item 3): an agency that states how many
persons it helped into 单位就业 in a calendar year (`haidian_5_placements_in_year`, the count the
yearly 一次性补助 reads) is paid 500 for each of them it does not list one by one:

    amount = 500 × (stated number − persons listed as members and placed in that year)

Listed persons are paid by haidian/五是/placement on the day each took up the job; the others, whose
days are not given, on 31 December of the year (when the year's number is final). Without a stated
number the count is that of the listed persons, so nothing is left to pay by count.
"""

import numpy as np

from jiuye.model.base import Installments, condition, installments, named, only_if

from ..common import record_valid_from, year_end
from .rules import haidian_5_placements_in_year

_listed_in_year = haidian_5_placements_in_year.formula      # the listed members placed in the year


def unlisted_placements(org, period, parameters) -> np.ndarray:
    stated = org("haidian_5_placements_in_year", period)
    return np.maximum(stated - _listed_in_year(org, period, parameters), 0)


haidian_5_placements_unlisted = condition(
    haidian_5_placements_in_year.entity, "按人数申报：所报成功促进就业人数中有未逐人列出的人员（1人及以上）",
    "haidian/五是", lambda org, period, parameters: unlisted_placements(org, period, parameters) >= 1,
    doc="所报人数多于情形中逐人列出、在该年度实现单位就业的人数；逐人列出的按每人计算。")


@installments("haidian/五是/placement_by_count")
def placement_subsidy_by_count(org, period, parameters):
    amount = float(parameters.haidian.c5.placement_subsidy) * unlisted_placements(org, period, parameters)
    due = year_end(org("haidian_5_year", period))
    in_force = due >= record_valid_from(org, "haidian/五是/placement_by_count")
    return Installments.stack([(only_if(in_force & (org("haidian_5_year", period) > 0), due), amount)])


named(globals())
