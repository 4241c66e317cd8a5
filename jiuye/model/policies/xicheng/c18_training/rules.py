"""Clause 18 (五、强化职业能力建设 / 提高劳动者就业创业能力): free entrepreneurship or skills training for
working-age Xicheng-hukou persons not employed by an employer, and what follows the training:

* 创业培训 → 《创业合格证书》: person 1000 培训补贴, provider the full fee; business founded after the
  training and operating normally one year or more: person 10000 一次性创业补助;
* 技能培训 → 《结业证书》 + unit employment within 3 months + stable employment 6 months or more: person 3000
  培训奖励; flexible employment: person 300 培训补贴; provider the full fee in either case;
* no 《结业证书》, or no (flexible) employment: person and provider 70% of the 培训补贴 (300) and the fee.

The trainee's status (本区户籍, working age, not employed by an employer) is taken when training, at the
training's end date; the free-training entitlement itself (a service) is assessed in the assessment month. The
certificate is taken as obtained on the training end date. The provider's measures are assessed per
trainee (role `member` of the provider organisation); the trainee's own measures read person facts, so
the trainee may appear as the founder of a business or as an employee instead.
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, named, only_if
from jiuye.model.dates import DAY, NEVER, add_months, add_years, age_in_years
from jiuye.model.declared import declare

from ..common import hukou_in_xicheng_at

declare(globals())


MIN_WORKING_AGE = 16             # 劳动法 第十五条, as in facts/retirement.within_legal_working_age


# =================================================================================================
# who: 法定劳动年龄内且未在用人单位就业的本区户籍劳动力. 本区户籍: for the free training on application
# (`xicheng_hukou` in common.py); for the eight measures after the training when training, on the
# training end date they share as their moment (`xicheng_18_hukou_at_training`; the shared moment is
# checked by tests/policies/test_xicheng_moments.py)
# =================================================================================================


_hukou_at_training = hukou_in_xicheng_at("xicheng/18/entrepreneurship_subsidy")


def _working_age_at_training(person, period, parameters):
    end = person("training_end_date", period)
    return ((age_in_years(person("birth_date", period), end) >= MIN_WORKING_AGE)
            & (person("statutory_retirement_date", period) > end))


# =================================================================================================
# 创业培训: 《创业合格证书》, then 成功创业且正常经营一年以上
# =================================================================================================


def _founded_after_training(person, period, parameters):
    registered = person.organisation("registration_date", period)
    return (registered >= person("training_end_date", period)) & (registered <= assessment_day(person, period))


def _operating_one_year(org, period, parameters):
    years = parameters(period).xicheng.c18.min_operating_years
    return add_years(org("registration_date", period), years) - DAY <= assessment_day(org, period)


# =================================================================================================
# 技能培训: 《结业证书》, then unit employment within 3 months and stable 6 months, or flexible employment
# =================================================================================================


def _employed_within_window(person, period, parameters):
    months = parameters(period).xicheng.c18.employment_window_months
    end = person("training_end_date", period)
    start = person("contract_start_date", period)
    return (start >= end) & (start <= add_months(end, months))


def _stable_months_done(person, period, p):
    """Last day of the first `stable_months` months of the contract (the start day counts);
    `p` = the clause's parameters at the instant."""
    return add_months(person("contract_start_date", period), p.stable_months) - DAY


def _stable_months_paid(person, period, p):
    """The day the 6 months complete, when the contract has not ended before it (as in clause 6, the
    contract's end is read by the installments, not by the conditions); else NEVER."""
    done = _stable_months_done(person, period, p)
    return only_if(done <= person("contract_end_date", period), done)


def _stable_six_months(person, period, parameters):
    done = _stable_months_done(person, period, parameters(period).xicheng.c18)
    return done <= assessment_day(person, period)


def _flexible_after_certificate(person, period, parameters):
    day = person("xicheng_18_flexible_employment_date", period)
    return (day >= person("training_end_date", period)) & (day <= assessment_day(person, period))


def _unit_outcome(person, period):
    return (person("xicheng_18_employed_within_3_months", period)
            & person("xicheng_stable_employment", period)
            & person("xicheng_18_stable_six_months", period))


def _unit_employment_not_qualifying(person, period, parameters):
    return person("employed", period) & ~_unit_outcome(person, period)


# =================================================================================================
# installments
# =================================================================================================
def _fee(person, period):
    """The training fee; 0 (no installment) when not given: the full fee cannot be stated."""
    return np.nan_to_num(person("training_fee", period), nan=0.0)


def _skills_outcome_due(person, period, p):
    """Flexible employment: its date; unit employment: the day the 6 months are completed (nothing when
    the contract ended before)."""
    flexible_day = person("xicheng_18_flexible_employment_date", period)
    flexible = person("flexibly_employed", period) & person("xicheng_18_flexible_after_certificate", period)
    return np.where(flexible, flexible_day, _stable_months_paid(person, period, p))


def _partial_due(person, period, p):
    """No 《结业证书》: the training's end; a certificate but no employment: the day after the 3-month
    window for unit employment closes."""
    end = person("training_end_date", period)
    return np.where(person("completion_certificate", period), add_months(end, p.employment_window_months) + DAY, end)


@installments("xicheng/18/free_training")
def free_training(person, period, parameters):
    """A service: no money."""
    return Installments.stack([(np.full(person.count, NEVER), np.zeros(person.count))])


@installments("xicheng/18/entrepreneurship_subsidy")
def entrepreneurship_subsidy(person, period, parameters):
    p = parameters.xicheng.c18
    return Installments.stack([(person("training_end_date", period), np.full(person.count, p.entrepreneurship_subsidy))])


@installments("xicheng/18/provider_fee")
def provider_fee(person, period, parameters):
    return Installments.stack([(person("training_end_date", period), _fee(person, period))])


@installments("xicheng/18/startup_grant")
def startup_grant(person, period, parameters):
    p = parameters.xicheng.c18
    due = add_years(person.organisation("registration_date", period), p.min_operating_years) - DAY
    return Installments.stack([(due, np.full(person.count, p.startup_grant))])


@installments("xicheng/18/skills_reward")
def skills_reward(person, period, parameters):
    p = parameters.xicheng.c18
    return Installments.stack([(_stable_months_paid(person, period, p), np.full(person.count, p.skills_reward))])


@installments("xicheng/18/flexible_subsidy")
def flexible_subsidy(person, period, parameters):
    p = parameters.xicheng.c18
    return Installments.stack([(person("xicheng_18_flexible_employment_date", period),
                                np.full(person.count, p.flexible_subsidy))])


@installments("xicheng/18/provider_fee_skills")
def provider_fee_skills(person, period, parameters):
    return Installments.stack([(_skills_outcome_due(person, period, parameters.xicheng.c18), _fee(person, period))])


@installments("xicheng/18/partial")
def partial_subsidy(person, period, parameters):
    p = parameters.xicheng.c18
    return Installments.stack([(_partial_due(person, period, p),
                                np.full(person.count, round(p.partial_rate * p.flexible_subsidy, 2)))])


@installments("xicheng/18/partial_fee")
def partial_fee(person, period, parameters):
    p = parameters.xicheng.c18
    return Installments.stack([(_partial_due(person, period, p),
                                np.round(p.partial_rate * _fee(person, period), 2))])


named(globals())
