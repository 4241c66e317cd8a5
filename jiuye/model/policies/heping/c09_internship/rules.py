"""heping （九） 鼓励青年群体基层就业: 见习生活费补贴 (80% of the Tianjin minimum wage per intern and month), 带教费
and 意外伤害险补贴 (amounts set by the city), 留用奖励 3000 per retained intern.
"""

import numpy as np

from jiuye.model import base
from jiuye.model.base import Installments, installments, named
from jiuye.model.schedules import parameter_history, parameter_on
from jiuye.model.declared import declare
from jiuye.model.facts.person import education_held_at

from ..common import HIGHER_EDUCATION, heping_parameters, monthly

declare(globals())


# =================================================================================================
# （九） 鼓励青年群体基层就业: 大学生就业见习基地
# =================================================================================================


def _university_graduate_at_internship_start(person, period, parameters):
    """高校毕业生 on the internship start: the 见习人员's status, also for the retention (whose own moment
    is the signing: the person retained is the intern of that internship)."""
    return education_held_at(person, period, person("internship_start_date", period), HIGHER_EDUCATION)


def _retention_contract(person, period, parameters):
    signed = person("contract_start_date", period)
    return (signed >= person("internship_start_date", period)) & (signed <= base.assessment_day(person, period))


@installments("heping/九/living_allowance")
def internship_living_allowance(person, period, parameters):
    """One installment per completed internship month (k = 1 … 12, the k-th month completing the day
    before the k-th monthly anniversary of the start), on or before the internship's end: 80% of the
    Tianjin minimum wage in force on that day."""
    share = parameter_history(person, "heping.c09.living_allowance_share")
    wage = parameter_history(person, "reference.minimum_wage.tianjin")
    months = int(heping_parameters(person, period).c09.max_months)
    return monthly(person("internship_start_date", period), person("internship_end_date", period), months,
                   lambda due: np.round(parameter_on(share, due) * parameter_on(wage, due), 2))


def _set_elsewhere_at_start(person, period, parameters):
    start = person("internship_start_date", period)
    return Installments.stack([(start, np.full(person.count, np.nan))])


installments("heping/九/tutoring_fee")(_set_elsewhere_at_start)
installments("heping/九/accident_insurance")(_set_elsewhere_at_start)


@installments("heping/九/retention")
def retention_reward(person, period, parameters):
    amount = float(heping_parameters(person, period).c09.retention_reward)
    return Installments.stack([(person("contract_start_date", period), np.full(person.count, amount))])


named(globals())
