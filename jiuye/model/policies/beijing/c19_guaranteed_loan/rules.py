"""beijing/19 强化创业政策支持：

* 创业担保贷款 (loan ceiling set by the city, NaN); 免收创业担保贷款担保费 (the whole fee, when given);
  创业培训补贴 (NaN).
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, named, only_if
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import TrainingType
from jiuye.model.declared import declare

from ..common import referenced_one_off, schedule_variables

declare(globals())


def _loan_granted(org, period, parameters):
    granted = org("beijing_guaranteed_loan_date", period) <= assessment_day(org, period)
    return org("beijing_guaranteed_loan", period) & granted


@installments("beijing/19/guarantee_fee")
def guarantee_fee_waiver(org, period, parameters):
    fee = org("beijing_guarantee_fee", period)
    due = as_days(org("beijing_guaranteed_loan_date", period))
    # the whole fee is waived: its amount when given; set by the guarantor's tariff (NaN) otherwise
    return Installments.stack([(only_if(np.isnan(fee) | (fee > 0), due), fee)])


def _entrepreneurship_training(person, period, parameters):
    return ((person("training_type", period) == TrainingType.entrepreneurship)
        & (person("training_end_date", period) <= assessment_day(person, period)))


beijing_19_loan_installment_count, beijing_19_loan_last_due, beijing_19_loan_amount_referenced = referenced_one_off(
    "beijing/19/loan", "beijing_19_loan", Organisation, "创业担保贷款", "beijing_guaranteed_loan_date")

(beijing_19_guarantee_fee_installment_count, beijing_19_guarantee_fee_last_due,
 beijing_19_guarantee_fee_amount_referenced) = schedule_variables(
    "beijing/19/guarantee_fee", "beijing_19_guarantee_fee", Organisation, "免收创业担保贷款担保费", "beijing/19")

(beijing_19_training_installment_count, beijing_19_training_last_due,
 beijing_19_training_amount_referenced) = referenced_one_off(
    "beijing/19/training", "beijing_19_training", Person, "创业培训补贴", "training_end_date")


named(globals())
