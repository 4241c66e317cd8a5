"""Helpers shared by the Haidian clauses (themes 一是 … 五是 of 三、主要内容).

* Event dates declared in this folder default to 9999-12-31 ("not given"), so a missing date leaves
  a case undetermined instead of dating anything 1970-01-01.
* The document is a draft whose measures have no publication date: its catalogue header dates it
  from 2023-01-01 (it cites 京就发〔2023〕4号). Installments falling before a record's `valid_from`
  are not listed: the rules were not in force then.
* Amounts this note does not set (社会保险补贴 "按规定"): installments with NaN amounts.
"""

import sys
from datetime import date

import numpy as np
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, NOT_GIVEN, Installments, named, only_if
from jiuye.model.dates import DAY, NEVER, add_months, as_days
from jiuye.model.partial import asarray


def record_valid_from(population, measure_id: str) -> np.datetime64:
    """First day of a catalogue record's validity window (its `valid_from`, else the document's)."""
    measure = population.simulation.tax_benefit_system.catalogue.measure(measure_id)
    return np.datetime64(measure.valid_from, "D")


def referenced_months(start, last_day, count: int, not_before) -> Installments:
    """Monthly installments whose amount this note does not set (NaN). The k-th month from `start`
    (k = 1 … count) completes on add_months(start, k) − 1 day (民法典 第二百零一至二百零三条) and is listed
    on that day when it is on or before `last_day` and on or after `not_before`."""
    start = as_days(start)
    slots = []
    for k in range(1, int(count) + 1):
        due = add_months(start, k) - DAY
        listed = (due <= as_days(last_day)) & (due >= as_days(not_before)) & (start < NEVER)
        slots.append((only_if(listed, due), np.full(due.shape, np.nan)))
    return Installments.stack(slots)


def schedule(population, period, measure_id: str):
    """The installments of an executable measure and, per slot, whether it is listed for an eligible
    case. For measures whose amounts are set elsewhere (NaN), the schedule is what the tests and the
    explanation can show: how many months, from when to when."""
    system = population.simulation.tax_benefit_system
    measure = system.catalogue.measure(measure_id)
    if measure.valid_from and str(period.stop) < measure.valid_from:
        # before the window the rules (and their parameters) are not in force: nothing is listed
        none = Installments.stack([(np.full(population.count, NEVER), np.zeros(population.count))])
        return none, np.zeros(none.due.shape, dtype=bool)
    inst = system.installments_for(population, measure, period)
    eligible = population(f"{measure.variable}__eligible", period)
    return inst, inst.valid() & eligible[:, None]


def schedule_count(population, period, measure_id: str) -> np.ndarray:
    """Number of installments (subsidised months) listed for an eligible case; 0 otherwise."""
    _, listed = schedule(population, period, measure_id)
    return listed.sum(axis=1)


def schedule_first_due(population, period, measure_id: str) -> np.ndarray:
    """Due date of the first listed installment; 9999-12-31 when none."""
    inst, listed = schedule(population, period, measure_id)
    return np.where(listed, inst.due, NEVER).min(axis=1)


def schedule_last_due(population, period, measure_id: str) -> np.ndarray:
    """Due date of the last listed installment; 9999-12-31 when none."""
    inst, listed = schedule(population, period, measure_id)
    last = np.where(listed, inst.due, np.datetime64("1970-01-01", "D")).max(axis=1)
    return np.where(listed.any(axis=1), last, NEVER)


def schedule_variables(measure_id: str, prefix: str, label: str, entity) -> list[type[Variable]]:
    """Three read-only variables of a schedule whose amounts are set elsewhere: `<prefix>_months`
    (how many months are listed), `<prefix>_first_due` and `<prefix>_last_due` (9999-12-31 when none),
    declared in the calling clause's module."""
    module = sys._getframe(1).f_globals.get("__name__", __name__)
    clause = "/".join(measure_id.split("/")[:2])
    made = []
    for suffix, value_type, function, text in (
            ("_months", int, schedule_count, "补贴月数（最长24个月）"),
            ("_first_due", date, schedule_first_due, "第一个补贴月届满之日"),
            ("_last_due", date, schedule_last_due, "最后一个补贴月届满之日")):
        attrs = {"value_type": value_type, "entity": entity, "definition_period": MONTH,
                 "label": f"{label}：{text}", "reference": clause,
                 "formula": (lambda f: lambda population, period, parameters: f(population, period, measure_id))(function)}
        if value_type is date:
            attrs["default_value"] = NOT_GIVEN
        cls = type(prefix + suffix, (Variable,), attrs)
        cls.__module__ = module
        made.append(cls)
    return made


def year_end(years) -> np.ndarray:
    """31 December of each calendar year (vectorised; int years)."""
    years = asarray(years, dtype=np.int64)
    return ((years - 1970).astype("datetime64[Y]") + np.timedelta64(1, "Y")).astype("datetime64[D]") - DAY


named(globals())
