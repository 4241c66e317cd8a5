"""heping （十三） 加大创业培训力度: to the training provider 500 per trainee with a 结业证书, 1000 more when the
trainee starts a business within half a year, 1500 per founder trained in 改善和扩大企业培训.
"""

import numpy as np

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.dates import add_months
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import TrainingType

from ..common import at, by_assessment_day, heping_parameters


# =================================================================================================
# （十三） 加大创业培训力度
# =================================================================================================
heping_13_training_provider = fact(Organisation, bool, "经本区认定的创业培训机构", reference="heping/十三")
heping_13_completion_certificate = fact(Person, bool, "取得创业培训结业证书", reference="heping/十三")
heping_13_improve_expand = fact(
    Person, bool, "所参加的创业培训为改善和扩大企业培训", reference="heping/十三")


heping_13_entrepreneurship_training = condition(
    Person, "参加创业培训", "heping/十三",
    lambda person, period, parameters: person("training_type", period) == TrainingType.entrepreneurship)


def _started_within_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c13.success_months
    ended = person("training_end_date", period)
    started = person("heping_startup_date", period)
    return (started > ended) & (started <= add_months(ended, int(months))) & by_assessment_day(person, started, period)


heping_13_started_within_half_year = condition(
    Person, "参加培训后半年内成功创业", "heping/十三", _started_within_half_year,
    doc="所创办企业或个体工商户的登记注册日期晚于培训结束日期，且不晚于培训结束后6个月的对应日（含），并不晚于评估之日。")


def _already_started(person, period, parameters):
    return person("heping_startup_date", period) <= person("training_end_date", period)


heping_13_already_started = condition(
    Person, "已成功创业人员", "heping/十三", _already_started,
    doc="本人创办的企业或个体工商户在培训结束之前（含当日）已登记注册。")


def _one_off_per_trainee(name, date_variable):
    def function(person, period, parameters):
        amount = float(getattr(heping_parameters(person, period).c13, name))
        return Installments.stack([(person(date_variable, period), np.full(person.count, amount))])
    return function


installments("heping/十三/training_fee")(_one_off_per_trainee("training_fee", "training_end_date"))
installments("heping/十三/startup_success")(_one_off_per_trainee("success_subsidy", "heping_startup_date"))
installments("heping/十三/improvement")(_one_off_per_trainee("improvement_fee", "training_end_date"))


named(globals())
