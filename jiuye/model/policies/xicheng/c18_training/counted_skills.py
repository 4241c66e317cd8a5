"""xicheng/18's skills-training fees claimed by stated numbers (issue 12, item 3): a 定点培训机构 may give,
for one 技能培训 it ran, how many trainees obtained the 《结业证书》 and then found work (a: 3个月内实现单位就业
且稳定就业6个月以上, or 实现灵活就业), how many obtained no 《结业证书》 (b), how many obtained it but found no
work (c), the fee per trainee, the dates, and declare that they qualify, instead of listing each trainee
(xicheng/18/provider_fee_skills and /partial_fee, in rules.py):

    amount = a × fee (due on the stated day the last of them reached the outcome)
             + b × round(fee × 70%, 2) (due on the training's end date)
             + c × round(fee × 70%, 2) (due on the day after the 3-month window for unit employment)

the same amounts and dates as for listed trainees; the fee not given: nothing listed. The counts are
of trainees *not* listed: listed ones are paid one by one, so nobody is paid twice.
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, only_if
from jiuye.model.counts import stated_counts
from jiuye.model.dates import DAY, add_months, as_days

stated_counts(globals(), "xicheng/18", given="按人数申报：参加该期技能培训的学员1人及以上", counts={
    "xicheng_18_skills_count_employed":
        "按人数申报：取得技能培训《结业证书》，3个月内实现单位就业且稳定就业6个月以上，或实现灵活就业的学员人数（未逐人列出）",
    "xicheng_18_skills_count_uncertified": "按人数申报：参加该期技能培训、未取得《结业证书》的学员人数（未逐人列出）",
    "xicheng_18_skills_count_unemployed":
        "按人数申报：取得《结业证书》但未实现灵活就业，也未在3个月内实现单位就业并稳定就业6个月以上的学员人数（未逐人列出）"},
    facts="counted_skills.facts.yaml")


def _employed_in_time(org, period, parameters):
    day = as_days(org("xicheng_18_skills_count_employed_date", period))
    dated = (day >= as_days(org("xicheng_18_skills_count_end_date", period))) & (day <= assessment_day(org, period))
    return (org("xicheng_18_skills_count_employed", period) == 0) | dated


@installments("xicheng/18/skills_fee_by_count")
def skills_fee_by_count(org, period, parameters):
    p = parameters.xicheng.c18
    fee = np.nan_to_num(org("xicheng_18_skills_count_fee", period), nan=0.0)
    partial = np.round(p.partial_rate * fee, 2)
    end = as_days(org("xicheng_18_skills_count_end_date", period))
    employed = org("xicheng_18_skills_count_employed", period)
    return Installments.stack([
        (only_if(employed > 0, org("xicheng_18_skills_count_employed_date", period)), employed * fee),
        (end, org("xicheng_18_skills_count_uncertified", period) * partial),
        (add_months(end, p.employment_window_months) + DAY, org("xicheng_18_skills_count_unemployed", period) * partial)])
