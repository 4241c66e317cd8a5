"""（十）鼓励企业自主培养技能人才 (binjiang/十): a recognised 职业技能等级认定试点单位 (enterprise) training in a year 100 skilled
talents or 50 high-skilled talents (person-times) → 50000, then 10000 for each further full 20 skilled
or 10 high-skilled, at most 200000 per enterprise per year; brand evaluation at the end of the term:
three / four / five stars → 10000 / 20000 / 30000.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.entities import Organisation
from jiuye.model.partial import asarray
from jiuye.model.declared import declare

from ..common import HIGH_SKILL_LEVELS, SKILL_LEVELS, dated, doc_params, in_force_year, system_params, year_end

declare(globals())


binjiang_10_year_in_force = in_force_year(
    Organisation, "每年（培养年度已给出，且在本意见施行之后结束）", "binjiang/十", "binjiang_10_year")


def _new_talent(person, period, levels) -> np.ndarray:
    certified = person("skill_certificate_date", period).astype("datetime64[Y]").astype(np.int64) + 1970
    return (person("binjiang_10_trained_by_enterprise", period)
            & np.isin(person("skill_certificate_level", period), levels)
            & (certified == person.organisation("binjiang_10_year", period)))


def _new_skilled(org, period, parameters):
    return org.sum(_new_talent(org.members, period, SKILL_LEVELS), role=Organisation.EMPLOYEE)


def _new_high_skilled(org, period, parameters):
    return org.sum(_new_talent(org.members, period, HIGH_SKILL_LEVELS), role=Organisation.EMPLOYEE)


def _skilled_100(org, period, parameters):
    return (org("binjiang_10_new_skilled", period)
        >= doc_params(parameters, period).c10.skilled_base)


def _high_skilled_50(org, period, parameters):
    return (org("binjiang_10_new_high_skilled", period)
        >= doc_params(parameters, period).c10.high_skilled_base)


def pilot_reward_amount(skilled, high_skilled, p) -> np.ndarray:
    """Each route on its own — 100 skilled then +1 step per full 20, or 50 high-skilled then +1 step per
    full 10 — 50000 + 10000 per step; the better route, at most 200000."""
    skilled, high = asarray(skilled), asarray(high_skilled)
    by_skilled = np.where(skilled >= p.skilled_base, p.base_amount + p.step_amount * np.floor_divide(
        np.maximum(skilled - p.skilled_base, 0), p.skilled_step), 0.0)
    by_high = np.where(high >= p.high_skilled_base, p.base_amount + p.step_amount * np.floor_divide(
        np.maximum(high - p.high_skilled_base, 0), p.high_skilled_step), 0.0)
    return np.minimum(np.maximum(by_skilled, by_high), p.yearly_cap)


@installments("binjiang/十/pilot")
def pilot_training_reward(org, period, parameters):
    p = system_params(org, period).c10
    year = org("binjiang_10_year", period)
    amount = pilot_reward_amount(org("binjiang_10_new_skilled", period), org("binjiang_10_new_high_skilled", period), p)
    return Installments.stack([(only_if(year > 0, year_end(year)), amount)])


def _brand_three_stars(org, period, parameters):
    return (org("binjiang_10_brand_stars", period)
        >= doc_params(parameters, period).c10.brand_reward.thresholds[0])


binjiang_10_brand_evaluated = dated(
    Organisation, "期满评估日期在本意见施行之后、评估日或之前", "binjiang/十", "binjiang_10_brand_evaluation_date")


@installments("binjiang/十/brand")
def brand_reward(org, period, parameters):
    scale = system_params(org, period).c10.brand_reward
    stars = org("binjiang_10_brand_stars", period)
    # the highest threshold reached (the scale's own calc cannot read partially known values)
    amount = np.select([stars >= t for t in reversed(scale.thresholds)], list(reversed(scale.amounts)), 0.0)
    return Installments.stack([(org("binjiang_10_brand_evaluation_date", period), amount)])


named(globals())
