"""（八）加强就业困难人员兜底帮扶 (binjiang/八): public-welfare posts for recognised 就业困难人员: the shortfall of the host
(amount not set here); a property-service enterprise gets instead a fixed 55% of the urban minimum wage
per person per month; the street's performance subsidy to the post holder, at most 3600 per person per
year.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.dates import DAY, add_months, as_days, period_last_day
from jiuye.model.entities import Person
from jiuye.model.schedules import first_month_completing_on_or_after, month_index, parameter_history, parameter_on
from jiuye.model.declared import declare

from ..common import effective_date, in_force_year, system_params, up_to, year_end

declare(globals())


# Clause 八 sets no maximum duration for the monthly subsidies: installments are listed up to the last
# day of the 12th calendar month after the assessment month (a listing horizon, not a legal limit).
LISTING_HORIZON_MONTHS = 12


binjiang_8_year_in_force = in_force_year(
    Person, "每年（绩效补贴所属年度已给出，且在本意见施行之后结束）", "binjiang/八", "binjiang_8_performance_year")


def monthly_post_installments(person, period, amount_of_due) -> Installments:
    """Each completed month of the post holder's contract (month k completes on add_months(start, k) - 1
    day, on or before the contract's end), from the first month completing on or after the effective
    date up to the listing horizon. `amount_of_due(due)` gives the amounts (NaN: set elsewhere)."""
    p = system_params(person, period)
    start = as_days(person("contract_start_date", period))
    end = as_days(person("contract_end_date", period))
    effective = effective_date(p)
    month = period_last_day(period).astype("datetime64[M]")
    horizon = (month + np.timedelta64(LISTING_HORIZON_MONTHS + 1, "M")).astype("datetime64[D]") - DAY
    first = first_month_completing_on_or_after(start, effective)
    count = max(int(month_index(horizon) - month_index(effective)) + 2, 1)
    slots = []
    for j in range(count):
        due = add_months(start, first + j) - DAY
        slots.append((only_if((due <= end) & (due <= horizon), due), amount_of_due(due)))
    return Installments.stack(slots)


@installments("binjiang/八/host")
def public_welfare_post_shortfall(person, period, parameters):
    return monthly_post_installments(person, period, lambda due: np.full(due.shape, np.nan))


@installments("binjiang/八/property")
def property_enterprise_fixed_subsidy(person, period, parameters):
    share = system_params(person, period).c08.minimum_wage_share
    wage = parameter_history(person, "reference.minimum_wage.zhejiang_class1")
    return monthly_post_installments(person, period, lambda due: np.round(share * parameter_on(wage, due), 2))


@installments("binjiang/八/performance")
def performance_subsidy(person, period, parameters):
    cap = system_params(person, period).c08.performance_cap
    year = person("binjiang_8_performance_year", period)
    amount, ceiling = up_to(person("binjiang_8_performance_amount", period), cap)
    return Installments.stack([(only_if(year > 0, year_end(year)), amount, ceiling)])


named(globals())
