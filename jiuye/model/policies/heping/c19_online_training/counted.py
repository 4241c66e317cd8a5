"""heping/十九/online_training claimed by a stated number (issue 12, item 3): an enterprise may give how
many of its employees completed one online skills training, and when it ended, and declare that they
qualify, instead of listing each employee (heping/十九/online_training, in rules.py):

    amount = count × 600, due on the stated end date (which must fall within the document's validity)

The count is of employees *not* listed: listed ones are paid one by one, so nobody is paid twice.
"""


from jiuye.model.base import installments
from jiuye.model.counts import stated_counts

from ..common import one_off

stated_counts(globals(), "heping/十九", given="按人数申报：参加并完成线上职业技能培训的职工1人及以上", counts={
    "heping_19_count_trainees": "按人数申报：参加本企业线上职业技能培训并完成的职工人数（未逐人列出）"})


@installments("heping/十九/online_training_by_count")
def online_training_subsidy_by_count(org, period, parameters):
    amount = org("heping_19_count_trainees", period) * float(parameters.heping.c19.online_training_subsidy)
    return one_off(org("heping_19_count_end_date", period), amount)
