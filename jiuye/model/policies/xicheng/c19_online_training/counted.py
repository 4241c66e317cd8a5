"""xicheng/19 claimed by a stated number (issue 12, item 3): an enterprise may give how many of its
employees reached 40课时 (1800 minutes) on its traceable online platform, and by which day, and
declare that they qualify, instead of listing each employee (xicheng/19, in rules.py):

    amount = count × 200, due on the stated day (on or before the assessment day)

The count is of employees *not* listed: listed ones are paid one by one, so nobody is paid twice.
"""


from jiuye.model.base import Installments, installments
from jiuye.model.counts import stated_counts

stated_counts(globals(), "xicheng/19", given="按人数申报：达到培训时长的职工1人及以上", counts={
    "xicheng_19_count_trainees": "按人数申报：在线上平台累计培训不低于40课时（1800分钟）的职工人数（未逐人列出）"})


@installments("xicheng/19/by_count")
def online_training_subsidy_by_count(org, period, parameters):
    amount = org("xicheng_19_count_trainees", period) * float(parameters.xicheng.c19.subsidy_per_person)
    return Installments.stack([(org("xicheng_19_count_end_date", period), amount)])
