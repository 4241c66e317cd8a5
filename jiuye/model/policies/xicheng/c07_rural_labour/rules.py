"""Clause 7 (支持农村劳动力参与城市精细化治理): the 食宿补贴 of a 农村地区劳动力输出单位, 1000 a month per
本市农村劳动力 in stable employment on a recognised 城市公共服务类岗位, from 2021, at most three years.
"""

import numpy as np

from jiuye.model.base import installments, named
from jiuye.model.facts.person import hukou_at
from jiuye.model.facts.places import City, city_of
from jiuye.model.schedules import first_month_completing_on_or_after, monthly
from jiuye.model.declared import declare

declare(globals())


def measure_valid_from(population, measure_id: str) -> np.datetime64:
    """The first day of a catalogue record's validity window (its `valid_from`)."""
    measure = population.simulation.tax_benefit_system.catalogue.measure(measure_id)
    return np.datetime64(measure.valid_from, "D")


def _city_rural_labour(person, period, parameters):
    # 安排本市农村劳动力实现稳定就业: the worker the unit placed, judged when the contract with the unit was
    # signed (contract_start_date) — the 农村劳动力 status and the 本市 hukou of that day, not of each month
    # (a city job, or settling in town since, does not end the 食宿补贴 “在劳动合同履行期限内”)
    return (person("rural_labour_at_hire", period)
            & hukou_at(person, period, person("contract_start_date", period), lambda d: city_of(d) == City.beijing))


@installments("xicheng/7")
def board_and_lodging_subsidy(person, period, parameters):
    p = parameters.xicheng.c07
    start = person("contract_start_date", period)
    end = person("contract_end_date", period)
    from_day = measure_valid_from(person, "xicheng/7")      # 2021年起: the record's valid_from
    first = first_month_completing_on_or_after(start, from_day)
    return monthly(start, end, int(round(12 * p.max_years)), p.monthly_amount, first=first)


named(globals())
