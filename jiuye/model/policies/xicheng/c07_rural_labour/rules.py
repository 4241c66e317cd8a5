"""Clause 7 (支持农村劳动力参与城市精细化治理): the 食宿补贴 of a 农村地区劳动力输出单位, 1000 a month per
本市农村劳动力 in stable employment on a recognised 城市公共服务类岗位, from 2021, at most three years.
"""

import numpy as np

from jiuye.model.base import condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import City
from jiuye.model.schedules import first_month_completing_on_or_after, monthly


def measure_valid_from(population, measure_id: str) -> np.datetime64:
    """The first day of a catalogue record's validity window (its `valid_from`)."""
    measure = population.simulation.tax_benefit_system.catalogue.measure(measure_id)
    return np.datetime64(measure.valid_from, "D")


xicheng_rural_labour_export_unit = fact(
    Organisation, bool, "由北京市人力资源和社会保障局确定的农村地区劳动力输出单位", reference="xicheng/7")
xicheng_city_public_service_post = fact(
    Person, bool, "在本区认定的城市公共服务类岗位工作（环境卫生、园林绿化、市政市容、公共物业、保安辅警、邮政等）",
    reference="xicheng/7", doc="城市公共服务类岗位每年认定一次：岗位在评估当年经本区认定。")


xicheng_7_city_rural_labour = condition(
    Person, "本市农村劳动力（符合京人社就发〔2018〕106号的人员）", "xicheng/附则/二",
    lambda person, period, parameters: person("rural_labour", period) & (person("hukou_city", period) == City.beijing),
    doc="农村劳动力（按京人社就发〔2018〕106号认定），且户籍在本市。")


@installments("xicheng/7")
def board_and_lodging_subsidy(person, period, parameters):
    p = parameters.xicheng.c07
    start = person("contract_start_date", period)
    end = person("contract_end_date", period)
    from_day = measure_valid_from(person, "xicheng/7")      # 2021年起: the record's valid_from
    first = first_month_completing_on_or_after(start, from_day)
    return monthly(start, end, int(round(12 * p.max_years)), p.monthly_amount, first=first)


named(globals())
