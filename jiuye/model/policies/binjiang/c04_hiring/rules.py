"""（四）鼓励企业积极吸纳就业 (binjiang/四): an enterprise in the district hiring 本区户籍人员 or 对口帮扶地区脱贫人口 into stable
employment: 50 people or more in a year → 50000, then 25000 for each further full 25 people, at most
500000 a year; recognised as a city 就业扶贫爱心企业 → 1:1 matching of the city's funding (amount set by the
city).
"""

from datetime import date

import numpy as np
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, Installments, condition, fact, installments, named, only_if
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import District
from jiuye.model.partial import asarray

from ..common import NOT_GIVEN, dated, doc_params, in_force_year, system_params, year_end


binjiang_4_year = fact(
    Organisation, int, "招用并稳定就业人数所属年度（奖补年度）", reference="binjiang/四", unit="year")
binjiang_stably_employed = fact(
    Person, bool, "在本企业稳定就业（按区人力社保局认定的稳定就业标准）", reference="binjiang/四",
    doc="本文件未定义“稳定就业”，按区人力社保局实施办法（附则）认定。")
binjiang_4_city_poverty_alleviation_enterprise = fact(
    Organisation, bool, "被认定为市级就业扶贫爱心企业", reference="binjiang/四")
binjiang_4_recognition_date = fact(
    Organisation, date, "市级就业扶贫爱心企业认定日期", default=NOT_GIVEN, reference="binjiang/四")
binjiang_4_city_funding = fact(
    Organisation, float, "按市级政策给予的就业扶贫爱心企业资助金额（元）", reference="binjiang/四", unit="currency-CNY",
    optional=True, doc="未填写时1:1配套金额待定（由市级政策确定）。")

binjiang_4_counted_person = condition(
    Person, "本区户籍人员或对口帮扶地区脱贫人口", "binjiang/四",
    lambda person, period, parameters: (person("hukou_district", period) == District.binjiang)
    | (person("binjiang_lifted_from_poverty", period) & person("binjiang_from_paired_assistance_area", period)))


def _hired_in_year(person, period, parameters):
    hired = person("contract_start_date", period).astype("datetime64[Y]").astype(np.int64) + 1970
    return hired == person.organisation("binjiang_4_year", period)


binjiang_4_hired_in_year = condition(
    Person, "在奖补年度内招用（劳动合同起始日在该年度）", "binjiang/四", _hired_in_year)


class binjiang_4_stable_hires(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "奖补年度内招用并稳定就业的本区户籍人员、对口帮扶地区脱贫人口人数"
    reference = "binjiang/四"
    documentation = "实际企业可直接填写人数（填写值优先于推算）；否则按该企业符合三项条件的职工逐人计数。"

    def formula(org, period, parameters):
        ok = (org.members("binjiang_4_counted_person", period) & org.members("binjiang_stably_employed", period)
              & org.members("binjiang_4_hired_in_year", period))
        return org.sum(ok, role=Organisation.EMPLOYEE)


binjiang_4_year_in_force = in_force_year(
    Organisation, "每年（奖补年度已给出，且在本意见施行之后结束）", "binjiang/四", "binjiang_4_year")

binjiang_4_at_least_50 = condition(
    Organisation, "招用并稳定就业50人及以上", "binjiang/四",
    lambda org, period, parameters: org("binjiang_4_stable_hires", period)
    >= doc_params(parameters, period).c04.base_count,
    doc="“及以上”含本数：50人符合，49人不符合。")


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
