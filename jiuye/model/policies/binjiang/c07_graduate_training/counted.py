"""binjiang/七 claimed by a stated number of trainees (issue 12, item 3): an organisation may give how
many 本区户籍大学生 took part in one filed service or training, how many days each, and when it ended, and
declare that they qualify, instead of listing each trainee (binjiang/七/training, in rules.py).

    amount = count × min(days, 3) × min(cost, 200)   (200 a day as a ceiling when the cost is not given)

The count is of trainees *not* listed as members: listed trainees are paid by binjiang/七/training,
so a unit that lists some and states the others is paid once for each.
"""

import numpy as np

from jiuye.model.base import Installments, condition, installments, named
from jiuye.model.counts import stated_counts
from jiuye.model.entities import Organisation

from ..common import dated, system_params, up_to

stated_counts(globals(), "binjiang/七", given="按人数申报：参加的本区户籍大学生1人及以上", counts={
    "binjiang_7_count_trainees": "按人数申报：参加该服务或培训的本区户籍大学生人数（未逐人列出）"})

binjiang_7_count_attended = condition(
    Organisation, "每名学员参加至少1天", "binjiang/七",
    lambda org, period, parameters: org("binjiang_7_count_days", period) >= 1)
binjiang_7_count_ended = dated(
    Organisation, "服务或培训结束日期在本意见施行之后、评估日或之前", "binjiang/七", "binjiang_7_count_end_date")


@installments("binjiang/七/training_by_count")
def counted_training_subsidy(org, period, parameters):
    p = system_params(org, period).c07
    rate, ceiling = up_to(org("binjiang_7_daily_cost", period), p.daily_rate)
    days = np.minimum(org("binjiang_7_count_days", period), p.max_days)
    amount = np.round(org("binjiang_7_count_trainees", period) * days * rate, 2)
    return Installments.stack([(org("binjiang_7_count_end_date", period), amount, ceiling)])


named(globals())
