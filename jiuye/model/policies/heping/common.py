"""Heping: the facts and helpers several clauses share (each clause's own rules are in its folder).

* Facts: the four family situations of 附件2 (zero_employment_family, single_parent_family, dibao_family,
  supports_seriously_ill_relative) and the `heping_` facts read by several clauses. Event dates default to
  9999-12-31 ("not given"), so a missing date leaves a case undetermined instead of dating a payment 1970-01-01.
* Helpers: the document's validity window (from the catalogue header), parameters at a date, monthly
  installments, the extension of a subsidy to the statutory retirement date ("距法定退休年龄不足5年的可延长至退休"),
  one-off and capped amounts, loan years, calendar months.
* Conditions shared by several clauses (在本区参保, 企业, 高校毕业生 …).
"""

import numpy as np
from openfisca_core import periods

from jiuye.model import base, schedules
from jiuye.model.base import Installments, named, only_if
from jiuye.model.dates import DAY, add_months, add_years, as_days
from jiuye.model.facts.organisation import ENTERPRISE_TYPES
from jiuye.model.facts.person import HIGHER_EDUCATION, ContractType, education_rule
from jiuye.model.facts.places import City, District
from jiuye.model.partial import asarray
from jiuye.model.declared import declare

declare(globals(), "common.facts.yaml")

# 高校毕业生 on the day of the hire: heping/十's measures (all judged at the labour contract's start)
_higher_education_at_hire = education_rule("heping/十/hiring", HIGHER_EDUCATION)
ENTERPRISES = [t.index for t in ENTERPRISE_TYPES]


# =================================================================================================
# Facts
# =================================================================================================


# =================================================================================================
# Helpers
# =================================================================================================
def document_window(population) -> tuple[np.datetime64, np.datetime64]:
    """The document's validity window, from the catalogue header (2020-06-30 to 2025-06-29)."""
    document = population.simulation.tax_benefit_system.catalogue.documents["heping"]
    return np.datetime64(document.valid_from, "D"), np.datetime64(document.valid_to, "D")


def at(population, period) -> str:
    """The instant to read this document's parameters at for `period`: its start, or the document's first
    day when the period starts earlier (June 2020 starts before the document's 2020-06-30)."""
    first, _ = document_window(population)
    return max(str(period.start), str(first))


def heping_parameters(population, period):
    """This document's parameters for an installment function (see `at`)."""
    system = population.simulation.tax_benefit_system
    return system.get_parameters_at_instant(periods.instant(at(population, period))).heping


def in_document_window(population, dates) -> np.ndarray:
    first, last = document_window(population)
    dates = as_days(dates)
    return (dates >= first) & (dates <= last)


def monthly(start, end, count: int, amount) -> Installments:
    """Monthly installments; a NaN amount is one this document does not set (see schedules.monthly)."""
    return schedules.monthly(start, end, count, amount, referenced=True)


def near_retirement(person, period, on, years) -> np.ndarray:
    """距法定退休年龄不足`years`年 on the date `on`: the statutory retirement date (2024 decision) falls
    before the day `years` years after `on`. Exactly `years` years is not 不足."""
    retirement = person("statutory_retirement_date", period)
    return as_days(retirement) < add_years(on, int(years))


def subsidy_last_day(person, period, start, years, extension_years) -> np.ndarray:
    """Last day a subsidy of at most `years` years from `start` can cover. When the statutory
    retirement date is less than `extension_years` years after `start` (距法定退休年龄不足5年, judged when
    the subsidy starts), the subsidy runs instead to the day before the statutory retirement date
    (可延长至退休)."""
    start = as_days(start)
    normal = add_months(start, int(round(12 * years))) - DAY
    retirement = as_days(person("statutory_retirement_date", period))
    near = retirement < add_years(start, int(extension_years))
    return np.where(near, retirement - DAY, normal)


def contract_subsidy_end(clause: str, years_name: str):
    """A formula: the last day a subsidy of at most `years_name` years (a parameter of heping.<clause>)
    from the labour contract's start covers; to the day before the statutory retirement date when that
    is less than `retirement_extension_years` after the start (可延长至退休); not after the contract ends."""
    def formula(person, period, parameters):
        p = getattr(parameters(at(person, period)).heping, clause)
        last = subsidy_last_day(person, period, person("contract_start_date", period), getattr(p, years_name),
                                p.retirement_extension_years)
        return np.minimum(last, as_days(person("contract_end_date", period)))
    return formula


def contract_subsidy_months(clause: str, years_name: str, end_variable: str):
    """An installment function: the months from the labour contract's start completing on or before
    the date variable `end_variable`, amounts set by the city (NaN)."""
    def function(person, period, parameters):
        p = getattr(heping_parameters(person, period), clause)
        count = 12 * int(max(getattr(p, years_name), p.retirement_extension_years))
        return referenced_months(person("contract_start_date", period), person(end_variable, period), count)
    return function


def referenced_months(start, last_day, count: int) -> Installments:
    """Monthly installments whose amount this document does not set (NaN): months completing on or
    before `last_day`."""
    return monthly(start, last_day, count, np.nan)


def by_assessment_day(population, dates, period):
    """The date lies on or before the assessment day (elapsed time is tested on the day itself)."""
    return as_days(dates) <= base.assessment_day(population, period)


def capped(cost, cap):
    """“最高X”: (amount, ceiling) — min(cost, X) when the cost is given, else X flagged as a ceiling."""
    cost = asarray(cost, dtype=float)
    unknown = np.isnan(cost)
    return np.where(unknown, cap, np.minimum(cost, cap)), unknown


def one_off(due, amount, ceiling=False) -> Installments:
    """A single installment due on `due`."""
    return Installments.stack([(as_days(due), amount, ceiling)])


def months_completed(start, end, months) -> np.ndarray:
    """The first `months` months from `start` have completed (on the day before the corresponding
    day) on or before `end`."""
    return add_months(start, asarray(months, dtype=np.int64)) - DAY <= as_days(end)


def contract_of_at_least(person, period, months) -> np.ndarray:
    """签订N个月以上劳动合同: an open-ended contract, or a fixed-term one of at least `months` months."""
    kind = person("contract_type", period)
    term = person("contract_term_months", period)
    return (kind == ContractType.open_ended) | ((kind == ContractType.fixed_term) & (term >= months))


def loan_years(start, term_months, max_months, amount_of_slot, ceiling=False) -> Installments:
    """One installment per loan year within the subsidised period: the subsidised period is the loan
    term capped at `max_months`; year k covers months 12(k-1)+1 … min(12k, period) and is due on the
    last day of that span. `amount_of_slot(months_in_slot)` gives the amount (NaN = set elsewhere)."""
    start = as_days(start)
    period_months = np.minimum(asarray(term_months, dtype=np.int64), int(max_months))
    slots = []
    for k in range(1, int(np.ceil(max_months / 12)) + 1):
        end_month = np.minimum(12 * k, period_months)
        in_use = period_months > 12 * (k - 1)
        months = np.where(in_use, end_month - 12 * (k - 1), 0)
        due = only_if(in_use, add_months(start, end_month) - DAY)
        slots.append((due, amount_of_slot(months), ceiling))
    return Installments.stack(slots)


def calendar_months(first_month, count):
    """The calendar months `first_month` … `first_month + count - 1` (first_month datetime64[M]
    vectors): a list of (first day, last day) pairs of vectors."""
    first_month = asarray(first_month, dtype="datetime64[M]")
    months = []
    for j in range(int(count)):
        month = first_month + np.timedelta64(j, "M")
        months.append((month.astype("datetime64[D]"),
                       (month + np.timedelta64(1, "M")).astype("datetime64[D]") - DAY))
    return months


# =================================================================================================
# Conditions shared by several clauses of part 1
# =================================================================================================


named(globals())
