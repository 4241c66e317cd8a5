"""（四）鼓励企业积极吸纳就业 (binjiang/四): an enterprise in the district hiring 本区户籍人员 or 对口帮扶地区脱贫人口 into stable
employment: 50 people or more in a year → 50000, then 25000 for each further full 25 people, at most
500000 a year; recognised as a city 就业扶贫爱心企业 → 1:1 matching of the city's funding (amount set by the
city).
"""

import numpy as np

from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.entities import Organisation
from jiuye.model.facts.person import hukou_at
from jiuye.model.facts.places import District
from jiuye.model.partial import asarray
from jiuye.model.declared import declare

from ..common import dated, doc_params, in_force_year, system_params, year_end

declare(globals())


def _counted_person(person, period, parameters):
    """本区户籍 on the day of the hire, or a 脱贫人口 of a paired area when hired (the record's reading:
    户籍、脱贫人口身份按招用时的状态) — one fact asked at the hire, the paired area being the 脱贫人口's own."""
    local = hukou_at(person, period, person("contract_start_date", period), lambda d: d == District.binjiang)
    return local | person("binjiang_4_paired_poverty_at_hire", period)


def _hired_in_year(person, period, parameters):
    hired = person("contract_start_date", period).astype("datetime64[Y]").astype(np.int64) + 1970
    return hired == person.organisation("binjiang_4_year", period)


def _stable_hires(org, period, parameters):
    ok = (org.members("binjiang_4_counted_person", period) & org.members("binjiang_stably_employed", period)
          & org.members("binjiang_4_hired_in_year", period))
    return org.sum(ok, role=Organisation.EMPLOYEE)


binjiang_4_year_in_force = in_force_year(
    Organisation, "每年（奖补年度已给出，且在本意见施行之后结束）", "binjiang/四", "binjiang_4_year")

def _at_least_50(org, period, parameters):
    return (org("binjiang_4_stable_hires", period)
        >= doc_params(parameters, period).c04.base_count)


def hiring_reward_amount(count, p) -> np.ndarray:
    """50 or more: 50000, plus 25000 for each further full 25 people (the 500000 a year cap is the
    catalogue's `cap:` of binjiang/四/hiring)."""
    count = asarray(count)
    steps = np.floor_divide(np.maximum(count - p.base_count, 0), p.step_count)
    return np.where(count >= p.base_count, p.base_amount + steps * p.step_amount, 0.0)


@installments("binjiang/四/hiring")
def hiring_reward(org, period, parameters):
    p = system_params(org, period).c04
    year = org("binjiang_4_year", period)
    amount = hiring_reward_amount(org("binjiang_4_stable_hires", period), p)
    return Installments.stack([(only_if(year > 0, year_end(year)), amount)])


binjiang_4_recognition_dated = dated(
    Organisation, "认定日期在本意见施行之后、评估日或之前", "binjiang/四", "binjiang_4_recognition_date")


@installments("binjiang/四/poverty_alleviation_match")
def poverty_alleviation_match(org, period, parameters):
    ratio = system_params(org, period).c04.match_ratio
    funding = org("binjiang_4_city_funding", period)        # NaN when not given: amount set elsewhere
    return Installments.stack([(org("binjiang_4_recognition_date", period), ratio * funding)])


named(globals())
