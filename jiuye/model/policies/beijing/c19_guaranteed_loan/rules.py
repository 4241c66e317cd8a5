"""beijing/19 强化创业政策支持：

* 创业担保贷款 (loan ceiling set by the city, NaN); 免收创业担保贷款担保费 (the whole fee, when given);
  创业培训补贴 (NaN).
"""

from datetime import date

import numpy as np

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import TrainingType

from ..common import referenced_one_off, schedule_variables

beijing_guaranteed_loan = fact(Organisation, bool, "获得本市创业担保贷款", reference="beijing/19")

beijing_guaranteed_loan_date = fact(Organisation, date, "创业担保贷款发放日期", reference="beijing/19")

beijing_guarantee_fee = fact(
    Organisation, float, "创业担保贷款担保费（元，按担保机构收费标准应收的金额）", reference="beijing/19",
    unit="currency-CNY")

beijing_city_entrepreneurship_training = fact(
    Person, bool, "在本市参加创业培训并符合本市创业培训补贴条件", reference="beijing/19")


def _loan_granted(org, period, parameters):
    granted = org("beijing_guaranteed_loan_date", period) <= assessment_day(org, period)
    return org("beijing_guaranteed_loan", period) & granted


beijing_guaranteed_loan_granted = condition(
    Organisation, "获得本市创业担保贷款（贷款发放日期不晚于评估之日）", "beijing/19", _loan_granted)


@installments("beijing/19/guarantee_fee")
def guarantee_fee_waiver(org, period, parameters):
    fee = org("beijing_guarantee_fee", period)
    due = as_days(org("beijing_guaranteed_loan_date", period))
    # the whole fee is waived: its amount when given; set by the guarantor's tariff (NaN) otherwise
    return Installments.stack([(only_if(np.isnan(fee) | (fee > 0), due), fee)])


beijing_19_entrepreneurship_training = condition(
    Person, "参加创业培训（培训已结束）", "beijing/19",
    lambda person, period, parameters: ((person("training_type", period) == TrainingType.entrepreneurship)
                                        & (person("training_end_date", period) <= assessment_day(person, period))))


beijing_19_loan_installment_count, beijing_19_loan_last_due, beijing_19_loan_amount_referenced = referenced_one_off(
    "beijing/19/loan", "beijing_19_loan", Organisation, "创业担保贷款", "beijing_guaranteed_loan_date")

(beijing_19_guarantee_fee_installment_count, beijing_19_guarantee_fee_last_due,
 beijing_19_guarantee_fee_amount_referenced) = schedule_variables(
    "beijing/19/guarantee_fee", "beijing_19_guarantee_fee", Organisation, "免收创业担保贷款担保费", "beijing/19")

(beijing_19_training_installment_count, beijing_19_training_last_due,
 beijing_19_training_amount_referenced) = referenced_one_off(
    "beijing/19/training", "beijing_19_training", Person, "创业培训补贴", "training_end_date")


named(globals())
