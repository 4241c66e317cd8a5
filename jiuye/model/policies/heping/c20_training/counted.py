"""heping/二十/poor_village_fee claimed by a stated number (issue 12, item 3): a Heping training provider
may give how many 困难村劳动力 completed one skills training it ran, the training's end date and the
project's subsidy standard, and declare that they qualify, instead of listing each trainee
(heping/二十/poor_village_fee, in rules.py):

    amount = count × round(standard × 120%, 2), due on the end date (within the document's validity);
             the standard not given: undetermined (NaN), as for a listed trainee

The count is of trainees *not* listed: listed ones are paid one by one, so nobody is paid twice.
"""

import numpy as np

from jiuye.model.base import installments
from jiuye.model.counts import stated_counts

from ..common import one_off

stated_counts(globals(), "heping/二十", given="按人数申报：参加培训的困难村劳动力1人及以上", counts={
    "heping_20_count_poor_village_trainees": "按人数申报：参加本机构该期职业技能培训的困难村劳动力人数（未逐人列出）"})


@installments("heping/二十/poor_village_fee_by_count")
def poor_village_fee_by_count(org, period, parameters):
    rate = parameters.heping.c20.poor_village_fee_rate
    per_person = np.round(rate * org("heping_20_count_standard", period), 2)
    return one_off(org("heping_20_count_end_date", period),
                   org("heping_20_count_poor_village_trainees", period) * per_person)
