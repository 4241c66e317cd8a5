"""Clauses 1 and 19: start-up support the document names without setting its amounts.

* 1 — 一次性创业补贴 (to the founder) and 创业担保贷款贴息 (to the borrowing business): amounts NaN.
* 19 — 创业担保贷款 (loan ceiling set by the city, NaN); 免收创业担保贷款担保费 (the whole fee, when given);
  创业培训补贴 (NaN).
"""

from datetime import date

import numpy as np

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import TrainingType

from .common import document_from, referenced_once, schedule_variables

# --- facts --------------------------------------------------------------------------------------------
beijing_meets_startup_grant_conditions = fact(
    Person, bool, "符合本市一次性创业补贴条件", reference="beijing/1")
beijing_guaranteed_loan = fact(Organisation, bool, "获得本市创业担保贷款", reference="beijing/19")
beijing_guaranteed_loan_date = fact(Organisation, date, "创业担保贷款发放日期", reference="beijing/19")
beijing_guarantee_fee = fact(
    Organisation, float, "创业担保贷款担保费（元，按担保机构收费标准应收的金额）", reference="beijing/19",
    unit="currency-CNY")
beijing_city_entrepreneurship_training = fact(
    Person, bool, "在本市参加创业培训并符合本市创业培训补贴条件", reference="beijing/19")


# --- clause 1 -----------------------------------------------------------------------------------------
beijing_1_founder = condition(
    Person, "创业者（所创办单位的创办人或法定代表人）", "beijing/1",
    lambda person, period, parameters: person.has_role(Organisation.FOUNDER))

beijing_1_startup_registered = condition(
    Organisation, "创办的单位已工商登记（登记日期不晚于评估之日）", "beijing/1",
    lambda org, period, parameters: org("registration_date", period) <= assessment_day(org, period))


@installments("beijing/1/startup_grant")
def startup_grant(person, period, parameters):
    return referenced_once(person.organisation("registration_date", period), document_from(person))


def _loan_date(org, period):
    return org("beijing_guaranteed_loan_date", period)


@installments("beijing/1/loan_interest")
def loan_interest_subsidy(org, period, parameters):
    return referenced_once(_loan_date(org, period), document_from(org))


# --- clause 19 ----------------------------------------------------------------------------------------
def _loan_granted(org, period, parameters):
    return org("beijing_guaranteed_loan", period) & (_loan_date(org, period) <= assessment_day(org, period))


beijing_guaranteed_loan_granted = condition(
    Organisation, "获得本市创业担保贷款（贷款发放日期不晚于评估之日）", "beijing/19", _loan_granted)


@installments("beijing/19/loan")
def guaranteed_loan(org, period, parameters):
    return referenced_once(_loan_date(org, period), document_from(org))


@installments("beijing/19/guarantee_fee")
def guarantee_fee_waiver(org, period, parameters):
    fee = org("beijing_guarantee_fee", period)
    due = as_days(_loan_date(org, period))
    # the whole fee is waived: its amount when given; set by the guarantor's tariff (NaN) otherwise
    return Installments.stack([(only_if(np.isnan(fee) | (fee > 0), due), fee)])


beijing_19_entrepreneurship_training = condition(
    Person, "参加创业培训（培训已结束）", "beijing/19",
    lambda person, period, parameters: ((person("training_type", period) == TrainingType.entrepreneurship)
                                        & (person("training_end_date", period) <= assessment_day(person, period))))


@installments("beijing/19/training")
def entrepreneurship_training_subsidy(person, period, parameters):
    return referenced_once(person("training_end_date", period), document_from(person))


# --- schedules (listing dates; amounts set by the city or by the guarantor's tariff) -----------------
(beijing_1_startup_grant_installment_count, beijing_1_startup_grant_last_due,
 beijing_1_startup_grant_amount_referenced) = schedule_variables(
    "beijing/1/startup_grant", "beijing_1_startup_grant", Person, "一次性创业补贴", "beijing/1")
(beijing_1_loan_interest_installment_count, beijing_1_loan_interest_last_due,
 beijing_1_loan_interest_amount_referenced) = schedule_variables(
    "beijing/1/loan_interest", "beijing_1_loan_interest", Organisation, "创业担保贷款贴息", "beijing/1")
beijing_19_loan_installment_count, beijing_19_loan_last_due, beijing_19_loan_amount_referenced = schedule_variables(
    "beijing/19/loan", "beijing_19_loan", Organisation, "创业担保贷款", "beijing/19")
(beijing_19_guarantee_fee_installment_count, beijing_19_guarantee_fee_last_due,
 beijing_19_guarantee_fee_amount_referenced) = schedule_variables(
    "beijing/19/guarantee_fee", "beijing_19_guarantee_fee", Organisation, "免收创业担保贷款担保费", "beijing/19")
(beijing_19_training_installment_count, beijing_19_training_last_due,
 beijing_19_training_amount_referenced) = schedule_variables(
    "beijing/19/training", "beijing_19_training", Person, "创业培训补贴", "beijing/19")


named(globals())
