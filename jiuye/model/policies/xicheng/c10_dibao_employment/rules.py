"""Clause 10 (加大就业帮扶与民政救助的政策协同): the 就业奖励 of a registered unemployed person on 低保
who takes a job: 2000 a month, paid per completed contract year, at most three years.
"""

from jiuye.model.base import installments, named
from jiuye.model.schedules import contract_years
from jiuye.model.declared import declare

declare(globals())


def _dibao_registered_unemployed(person, period, parameters):
    return (person("registered_unemployed_at_hire", period)
        & person("dibao_at_hire", period))


@installments("xicheng/10")
def dibao_employment_reward(person, period, parameters):
    p = parameters.xicheng.c10
    return contract_years(person, period, lambda k: 12 * p.monthly_amount, p.max_years)


named(globals())
