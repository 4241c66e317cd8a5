"""heping （九） 鼓励青年群体基层就业: 见习生活费补贴 (80% of the Tianjin minimum wage per intern and month), 带教费
and 意外伤害险补贴 (amounts set by the city), 留用奖励 3000 per retained intern.
"""

import numpy as np

from jiuye.model import base
from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.schedules import parameter_history, parameter_on

from ..common import HIGHER_EDUCATION, heping_parameters, monthly


# =================================================================================================
# （九） 鼓励青年群体基层就业: 大学生就业见习基地
# =================================================================================================
heping_9_internship_base = fact(
    Organisation, bool, "我区管辖的大学生就业见习基地", reference="heping/九")
heping_9_meets_city_conditions = fact(
    Person, bool, "符合本市就业见习条件的高校毕业生（如离校未就业高校毕业生）", reference="heping/九")
heping_9_final_year_vocational_student = fact(
    Person, bool, "参加见习时为中等职业学校、技工院校毕业学年学生", reference="heping/九")
heping_9_retained = fact(
    Person, bool, "被见习基地留用（与见习基地签订劳动合同）", reference="heping/九")


heping_9_university_graduate = condition(
    Person, "高校毕业生（大专及以上学历）", "heping/九",
    lambda person, period, parameters: np.isin(person("education_level", period), HIGHER_EDUCATION))


def _retention_contract(person, period, parameters):
    signed = person("contract_start_date", period)
    return (signed >= person("internship_start_date", period)) & (signed <= base.assessment_day(person, period))


heping_9_retention_contract = condition(
    Person, "见习开始后与见习基地签订劳动合同（留用之日）", "heping/九", _retention_contract,
    doc="劳动合同起始日期不早于见习开始日期，且不晚于评估之日。")


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
