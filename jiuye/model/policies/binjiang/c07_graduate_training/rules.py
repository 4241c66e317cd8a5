"""（七）持续促进高校毕业生就业 (binjiang/七): an enterprise (incl. 民办非企) in the district giving filed
employment/entrepreneurship services or skills training to 本区户籍大学生: at most 200 per person per day, at
most 3 days.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.entities import Person
from jiuye.model.declared import declare

from ..common import dated, system_params, up_to

declare(globals())


def _participated(person, period, parameters):
    return person("binjiang_7_days", period) >= 1
binjiang_7_ended = dated(
    Person, "服务或培训结束日期在本意见施行之后、评估日或之前", "binjiang/七", "training_end_date")


@installments("binjiang/七/training")
def graduate_training_subsidy(person, period, parameters):
    p = system_params(person, period).c07
    cost = person.organisation("binjiang_7_daily_cost", period)
    rate, ceiling = up_to(cost, p.daily_rate)
    days = np.minimum(person("binjiang_7_days", period), p.max_days)
    return Installments.stack([(person("training_end_date", period), np.round(rate * days, 2), ceiling)])


named(globals())
