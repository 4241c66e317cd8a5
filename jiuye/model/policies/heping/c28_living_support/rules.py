"""heping （二十八） 做好困难人员生活保障: 一次性2000元临时生活补助 (until 2020-12-31); 600 a month deducted from the
assessed income of 低保/低收入 families for a year from a first labour contract.
"""

import numpy as np

from jiuye.model import base
from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.dates import as_days
from jiuye.model.facts.person import ContractType
from jiuye.model.schedules import first_instant, parameter_history, parameter_on
from jiuye.model.declared import declare

from ..common import calendar_months

declare(globals())


# --- （二十八） 临时生活补助、就业收入扣减 ---------------------------------------------------------------

def _formal_contract(person, period, parameters):
    return ((person("contract_type", period) != ContractType.unknown)
        & (person("contract_start_date", period) <= base.assessment_day(person, period)))


def _temporary_allowance_day(person, period, parameters):
    allowance = parameter_history(person, "heping.c28.temporary_allowance")
    return np.maximum(as_days(person("unemployment_registration_date", period)), first_instant(allowance))


def _income_disregard_day(person, period, parameters):
    monthly = parameter_history(person, "heping.c28.income_disregard_monthly")
    return np.maximum(as_days(person("contract_start_date", period)), first_instant(monthly))


@installments("heping/二十八/temporary_allowance")
def temporary_living_allowance(person, period, parameters):
    allowance = parameter_history(person, "heping.c28.temporary_allowance")
    due = as_days(person("heping_28_temporary_allowance_day", period))
    amount = parameter_on(allowance, due)                    # none after 2020-12-31
    return Installments.stack([(only_if(~np.isnan(amount), due), np.nan_to_num(amount))])


@installments("heping/二十八/income_disregard")
def income_disregard(person, period, parameters):
    monthly = parameter_history(person, "heping.c28.income_disregard_monthly")
    years = parameters.heping.c28.income_disregard_years
    start = as_days(person("contract_start_date", period))
    end = as_days(person("contract_end_date", period))
    slots = []
    for first_day, last_day in calendar_months(start.astype("datetime64[M]"), 12 * int(years)):
        amount = parameter_on(monthly, last_day)           # none for months ending before 2020-06-30
        paid = (first_day <= end) & ~np.isnan(amount)
        slots.append((only_if(paid, last_day), np.nan_to_num(amount)))
    return Installments.stack(slots)


named(globals())
