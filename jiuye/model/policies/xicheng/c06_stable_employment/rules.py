"""Clause 6 (鼓励用人单位增加就业容量): the employer's 岗位补贴 and the person's 就业奖励 per completed
contract year (6000, 9000, 12000) for 实现稳定就业 of the listed groups; statuses judged at the hire.
"""

import numpy as np

from jiuye.model.base import condition, installments, named
from jiuye.model.entities import Person
from jiuye.model.schedules import contract_years

from ..common import HIGHER_EDUCATION


xicheng_6_higher_education = condition(
    Person, "高校毕业生（大专及以上学历）", "xicheng/6",
    lambda person, period, parameters: np.isin(person("education_level", period), HIGHER_EDUCATION))


def _hired_in_graduation_year(person, period, parameters):
    graduation_year = person("graduation_date", period).astype("datetime64[Y]")
    hire_year = person("contract_start_date", period).astype("datetime64[Y]")
    return graduation_year == hire_year


xicheng_6_hired_in_graduation_year = condition(
    Person, "应届（在毕业年度内签订劳动合同）", "xicheng/6", _hired_in_graduation_year,
    doc="毕业年度为毕业当年1月1日至12月31日。")

xicheng_6_registered_unemployed_at_hire = condition(
    Person, "登记失业人员", "xicheng/6",
    lambda person, period, parameters: person("registered_unemployed_at_hire", period),
    doc="签订劳动合同时处于失业登记状态。")
xicheng_6_veteran = condition(
    Person, "退役士兵", "xicheng/6", lambda person, period, parameters: person("veteran", period))
xicheng_6_public_welfare_placed = condition(
    Person, "社会公益性就业组织安置人员", "xicheng/6",
    lambda person, period, parameters: person("public_welfare_placed", period))
xicheng_6_city_diverted_worker = condition(
    Person, "本市分流职工", "xicheng/6",
    lambda person, period, parameters: person("city_diverted_worker", period))

xicheng_6_not_dibao_unemployed = condition(
    Person, "不含享受最低生活保障待遇的登记失业人员", "xicheng/6",
    lambda person, period, parameters: ~(person("registered_unemployed_at_hire", period)
                                         & person("dibao", period)))


@installments("xicheng/6/employer")
def post_subsidy(person, period, parameters):
    p = parameters.xicheng.c06
    return contract_years(person, period, lambda k: p.post_subsidy.calc(np.array([k]))[0], p.max_years)


@installments("xicheng/6/person")
def employment_reward(person, period, parameters):
    p = parameters.xicheng.c06
    return contract_years(person, period, lambda k: p.employment_reward.calc(np.array([k]))[0], p.max_years)


named(globals())
