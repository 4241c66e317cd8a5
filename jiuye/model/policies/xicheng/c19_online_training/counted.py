"""xicheng/19 claimed by a stated number (issue 12, item 3): an enterprise may give how many of its
employees reached 40课时 (1800 minutes) on its traceable online platform, and by which day, and
declare that they qualify, instead of listing each employee (xicheng/19, in rules.py):

    amount = count × 200, due on the stated day (on or before the assessment day)

The count is of employees *not* listed: listed ones are paid one by one, so nobody is paid twice.
"""


from jiuye.model.base import Installments, assessment_day, condition, installments, named
from jiuye.model.counts import stated_count
from jiuye.model.declared import declare
from jiuye.model.entities import Organisation

declare(globals(), "counted.facts.yaml")


xicheng_19_count_trainees = stated_count(
    "xicheng_19_count_trainees", "按人数申报：在线上平台累计培训不低于40课时（1800分钟）的职工人数（未逐人列出）", "xicheng/19")


xicheng_19_count_given = condition(
    Organisation, "按人数申报：达到培训时长的职工1人及以上", "xicheng/19",
    lambda org, period, parameters: org("xicheng_19_count_trainees", period) >= 1)
xicheng_19_count_reached = condition(
    Organisation, "所报职工的培训时长均已达到（达到之日在评估之日或之前）", "xicheng/19",
    lambda org, period, parameters: org("xicheng_19_count_end_date", period) <= assessment_day(org, period))


@installments("xicheng/19/by_count")
def online_training_subsidy_by_count(org, period, parameters):
    amount = org("xicheng_19_count_trainees", period) * float(parameters.xicheng.c19.subsidy_per_person)
    return Installments.stack([(org("xicheng_19_count_end_date", period), amount)])


named(globals())
