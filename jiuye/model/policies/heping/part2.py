"""Heping (十七)–(三十二): helpers shared by the part-2 modules.

The clauses themselves live in
* `p2_startup.py`  — （十七）创业担保贷款与贴息, （十八）创业大赛;
* `p2_training.py` — （十九）线上职业技能培训补贴, （二十）重点群体职业培训补贴与生活费补贴;
* `p2_delivery.py` — （二十四）重点企业用工输送奖励;
* `p2_living.py`   — （二十七）失业保险金延续发放至法定退休年龄, （二十八）临时生活补助与就业收入扣减.
Clauses （二十一）–（二十三）, （二十五）, （二十六）, （二十九）–（三十二） grant nothing countable: they are
qualitative or service records of the catalogue only (catalogue.d/part2_*.yaml).
"""

from __future__ import annotations

import numpy as np

from jiuye.model.schedules import first_instant, parameter_history, parameter_on  # noqa: F401
from jiuye.model.base import Installments, named, only_if
from jiuye.model.dates import DAY, add_months, as_days, period_last_day
from jiuye.model.facts.organisation import ENTERPRISE_TYPES
from jiuye.model.facts.person import ContractType
from jiuye.model.partial import asarray

ENTERPRISE_INDICES = [t.index for t in ENTERPRISE_TYPES]


def capped(cost, cap):
    """“最高X”: (amount, ceiling) — min(cost, X) when the cost is given, else X flagged as a ceiling."""
    cost = asarray(cost, dtype=float)
    unknown = np.isnan(cost)
    return np.where(unknown, cap, np.minimum(cost, cap)), unknown


def one_off(due, amount, ceiling=False) -> Installments:
    """A single installment due on `due`."""
    return Installments.stack([(as_days(due), amount, ceiling)])


def on_or_before_month_end(day, period) -> np.ndarray:
    """The date lies on or before the last day of the assessment month."""
    return as_days(day) <= period_last_day(period)


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


named(globals())
