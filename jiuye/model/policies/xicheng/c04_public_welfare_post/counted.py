"""xicheng/4 claimed by a stated number (issue 12, item 3): the clause pays “根据安置符合条件的就业困难人员
人数”, so a Xicheng 社会公益性就业组织 may give how many of its placed 就业困难人员 complete a month of their
contract in the assessment month, and declare that they qualify, instead of listing each of them as an
employee (xicheng/4, in rules.py):

    amount = count × round(75% × the average wage in force that month, 2), due on the month's last day

A listed placement is paid on the day each of its months completes, at the average wage in force on
that day; the wage (and the 75% share) change on a month's first day, so the month's standard is the
same on every day of it. The count is of one month: the schedule lists that month only (the listed
placements list the next 12 months). The count is of persons *not* listed: nobody is paid twice.
"""

import numpy as np

from jiuye.model.base import Installments, installments, only_if
from jiuye.model.counts import stated_counts
from jiuye.model.dates import period_last_day
from jiuye.model.schedules import first_instant, parameter_history, parameter_on

stated_counts(globals(), "xicheng/4", given="按人数申报：当月应发岗位补贴的安置人员1人及以上", counts={
    "xicheng_4_count_placed":
        "按人数申报：本组织安置、劳动合同在评估所在月份满一个月的就业困难人员人数（未逐人列出）"})


@installments("xicheng/4/by_count")
def public_welfare_post_subsidy_by_count(org, period, parameters):
    share = parameter_history(org, "xicheng.c04.average_wage_share")
    wage = parameter_history(org, "reference.average_wage.beijing_monthly")
    due = np.full(org.count, period_last_day(period))
    standard = np.round(parameter_on(share, due) * parameter_on(wage, due), 2)
    return Installments.stack([(only_if(due >= first_instant(share), due),          # no 75% before 2021-01-01
                                org("xicheng_4_count_placed", period) * np.nan_to_num(standard))])
