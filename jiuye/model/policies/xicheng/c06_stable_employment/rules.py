"""Clause 6 (鼓励用人单位增加就业容量): the employer's 岗位补贴 and the person's 就业奖励 per completed
contract year (6000, 9000, 12000) for 实现稳定就业 of the listed groups; statuses judged at the hire.
"""

import numpy as np

from jiuye.model.base import installments, named
from jiuye.model.schedules import contract_years
from jiuye.model.declared import declare
from jiuye.model.facts.person import education_rule, hired_in_graduation_year   # a formula facts.yaml names

from ..common import HIGHER_EDUCATION

declare(globals())


# 应届高校毕业生: 高校毕业生 on the day the labour contract is signed (both measures' moment)
_higher_education_at_hire = education_rule("xicheng/6/employer", HIGHER_EDUCATION)


def _not_dibao_unemployed(person, period, parameters):
    return (~(person("registered_unemployed_at_hire", period)
        & person("dibao_at_hire", period)))


@installments("xicheng/6/employer")
def post_subsidy(person, period, parameters):
    p = parameters.xicheng.c06
    return contract_years(person, period, lambda k: p.post_subsidy.calc(np.array([k]))[0], p.max_years)


@installments("xicheng/6/person")
def employment_reward(person, period, parameters):
    p = parameters.xicheng.c06
    return contract_years(person, period, lambda k: p.employment_reward.calc(np.array([k]))[0], p.max_years)


named(globals())
