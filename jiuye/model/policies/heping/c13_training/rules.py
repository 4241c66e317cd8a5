"""heping （十三） 加大创业培训力度: to the training provider 500 per trainee with a 结业证书, 1000 more when the
trainee starts a business within half a year, 1500 per founder trained in 改善和扩大企业培训.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.dates import add_months
from jiuye.model.declared import declare

from ..common import at, by_assessment_day, heping_parameters

declare(globals())


# =================================================================================================
# （十三） 加大创业培训力度
# =================================================================================================


def _started_within_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c13.success_months
    ended = person("training_end_date", period)
    started = person("heping_startup_date", period)
    return (started > ended) & (started <= add_months(ended, int(months))) & by_assessment_day(person, started, period)


def _already_started(person, period, parameters):
    return person("heping_startup_date", period) <= person("training_end_date", period)


def _one_off_per_trainee(name, date_variable):
    def function(person, period, parameters):
        amount = float(getattr(heping_parameters(person, period).c13, name))
        return Installments.stack([(person(date_variable, period), np.full(person.count, amount))])
    return function


installments("heping/十三/training_fee")(_one_off_per_trainee("training_fee", "training_end_date"))
installments("heping/十三/startup_success")(_one_off_per_trainee("success_subsidy", "heping_startup_date"))
installments("heping/十三/improvement")(_one_off_per_trainee("improvement_fee", "training_end_date"))


named(globals())
