"""xicheng/18/provider_fee claimed by a stated number (issue 12, item 3): a 定点培训机构 may give how many
trainees of one 创业培训 obtained the 《创业合格证书》, the fee per trainee and the training's end date, and
declare that they qualify, instead of listing each trainee (xicheng/18/provider_fee, in rules.py):

    amount = count × fee, due on the end date; the fee not given: nothing listed (as for a listed trainee)

The count is of trainees *not* listed: listed ones are paid one by one, so nobody is paid twice.
"""

import numpy as np

from jiuye.model.base import Installments, installments
from jiuye.model.counts import stated_counts

stated_counts(globals(), "xicheng/18", given="按人数申报：获得《创业合格证书》的学员1人及以上", counts={
    "xicheng_18_count_certified": "按人数申报：参加本机构该期创业培训并获得《创业合格证书》的学员人数（未逐人列出）"})


@installments("xicheng/18/provider_fee_by_count")
def provider_fee_by_count(org, period, parameters):
    fee = np.nan_to_num(org("xicheng_18_count_fee", period), nan=0.0)
    return Installments.stack([(org("xicheng_18_count_end_date", period),
                                org("xicheng_18_count_certified", period) * fee)])
