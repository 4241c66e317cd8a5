"""（七）持续促进高校毕业生就业 (binjiang/七): an enterprise (incl. 民办非企) in the district giving filed
employment/entrepreneurship services or skills training to 本区户籍大学生: at most 200 per person per day, at
most 3 days.
"""

import numpy as np

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person

from ..common import dated, system_params, up_to


binjiang_7_activity_filed = fact(
    Organisation, bool, "为本区户籍大学生提供的就业创业服务或职业技能培训经人力社保部门备案", reference="binjiang/七")
binjiang_7_daily_cost = fact(
    Organisation, float, "服务或培训的实际费用（元/人/天）", reference="binjiang/七", unit="currency-CNY",
    optional=True, doc="未填写时按200元/人/天作为上限列示（最高）。")
binjiang_7_days = fact(
    Person, int, "参加该单位组织的就业创业服务或职业技能培训的天数", reference="binjiang/七", unit="day")

binjiang_7_participated = condition(
    Person, "参加该单位提供的就业创业服务或职业技能培训（至少1天）", "binjiang/七",
    lambda person, period, parameters: person("binjiang_7_days", period) >= 1)
binjiang_7_ended = dated(
    Person, "服务或培训结束日期在本意见施行之后、评估日或之前", "binjiang/七", "training_end_date")


@installments("binjiang/七/training")
def graduate_training_subsidy(person, period, parameters):
    p = system_params(person, period).c07
    cost = person.organisation("binjiang_7_daily_cost", period)
    rate, ceiling = up_to(cost, p.daily_rate)
    days = np.minimum(person("binjiang_7_days", period), p.max_days)
    return Installments.stack([(person("training_end_date", period), np.round(rate * days, 2), ceiling)])


named(globals())
