"""beijing/8 帮扶困难家庭高校毕业生就业：

* 一次性求职创业补贴 1000 for 北京地区困难家庭高校毕业生.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.dates import as_days
from jiuye.model.declared import declare

from ..common import city_parameters, document_from

declare(globals())


def _graduation_year_from_2022(person, period, parameters):
    first_year = document_from(person).astype("datetime64[Y]")
    return person("graduation_date", period).astype("datetime64[Y]") >= first_year


@installments("beijing/8/job_search")
def job_search_subsidy(person, period, parameters):
    p = city_parameters(person, period).c08
    due = np.maximum(as_days(person("graduation_date", period)), document_from(person))
    return Installments.stack([(due, p.job_search_subsidy)])


named(globals())
