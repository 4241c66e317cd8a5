"""Building blocks for the model: facts, conditions, measures and their installments.

* A *fact* is an input the situation gives (hukou place, contract start, wage …). Facts are
  ETERNITY variables: they describe the case as it is known at assessment; anything that moves in
  time is given as a date (registration date, contract start, termination date …).
* A *condition* is a boolean MONTH variable that states one legal condition in the clause's own
  words (its label) and cites the clause (its reference). Formulas must stay vectorised and read
  their inputs unconditionally (no Python `if` on data): jiuye derives which facts a condition reads
  by tracing it once.
* A *measure* is a catalogue entry made executable by an installment function registered with
  `@installments("key/clause/part")`: given the population the measure is computed for and the
  assessment month, it returns every installment the case would receive (due dates, amounts, and
  whether an amount is a ceiling). Eligibility, stacking and the amount due in a period are built
  generically from the catalogue (see `jiuye.model.system`).
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from .dates import NEVER, as_days, month_first_day, period_last_day
from .partial import asarray, is_partial, lo_of, strict_rows
from .partial.core import Partial, _any, _union_why

# Money needs cents: OpenFisca stores `float` as float32 by default, whose spacing near 600000 is
# 0.0625 (599999.99 would equal 600000). Every float of the model is float64.
from openfisca_core.variables import config as _variables_config

_variables_config.VALUE_TYPES[float]["dtype"] = np.float64

ETERNITY = DateUnit.ETERNITY
MONTH = DateUnit.MONTH
YEAR = DateUnit.YEAR

_DEFAULTS = {bool: False, int: 0, float: float("nan"), str: "", date: date(1970, 1, 1)}


NOT_GIVEN = date(9999, 12, 31)   # default of event-date facts: "not given" never silently means 1970
OPTIONAL_FACTS: set[str] = set()      # names of facts whose default means something
REQUIRED_WITH: dict[str, str] = {}    # optional fact -> the fact whose being given makes it required
_PENDING_OPTIONAL: set = set()         # optional fact classes not yet named


# The range a number may take, as given and as bounded while unknown (a fact may state its own).
DEFAULT_BOUNDS = {int: (0, 10_000_000), float: (0.0, 1e10)}
DATE_BOUNDS = (date(1900, 1, 1), date(2199, 12, 31))     # dates a situation may give
UNKNOWN_DATE_BOUNDS = (date(1900, 1, 1), NOT_GIVEN)      # a date not given may also be "never"


def fact(entity, value_type, label: str, *, doc: str = "", default=None, possible_values=None,
         reference: str | None = None, unit: str | None = None, name: str | None = None,
         optional: bool = False, minimum=None, maximum=None, required_with: str | None = None) -> type[Variable]:
    """Declare an input fact. Floats default to NaN ("not given"), never to a silent zero.

    `optional`: the default has a meaning of its own (no early termination; a cost not known, so a
    "最高不超过" cap stands in for it): the fact is never reported as missing — except, with
    `required_with` (a named optional fact), where that other fact is given and this one is not (a
    hukou moved from a previous district on a day not known: the default "never moved" is not true).
    `minimum` / `maximum`: the range of a number (inputs outside it are refused; while not given
    it is known to lie within it). Defaults: DEFAULT_BOUNDS."""
    attrs = {
        "value_type": value_type,
        "entity": entity,
        "definition_period": ETERNITY,
        "label": label,
        "documentation": doc or None,
        "default_value": default if default is not None else (
            possible_values.__members__[next(iter(possible_values.__members__))] if value_type is Enum
            else _DEFAULTS[value_type]),
    }
    if possible_values is not None:
        attrs["possible_values"] = possible_values
    if reference:
        attrs["reference"] = reference
    if unit:
        attrs["unit"] = unit
    attrs = {k: v for k, v in attrs.items() if v is not None}
    module = sys._getframe(1).f_globals.get("__name__", __name__)
    cls = type(name or "fact", (Variable,), attrs)
    cls.__module__ = module
    if value_type in DEFAULT_BOUNDS:
        low, high = DEFAULT_BOUNDS[value_type]
        _BOUNDS[cls] = (low if minimum is None else minimum, high if maximum is None else maximum)
    if optional:
        _PENDING_OPTIONAL.add(cls)
        if name:
            OPTIONAL_FACTS.add(name)
    if required_with:
        if not (optional and name):
            raise ValueError(f"{name}: required_with is for a named optional fact")
        REQUIRED_WITH[name] = required_with
    return cls


_BOUNDS: dict = {}                     # fact class -> (minimum, maximum)


def fact_bounds(variable) -> tuple:
    """(lo, hi) a fact lies within while not given (None: the type's whole range)."""
    bounds = _BOUNDS.get(type(variable))
    if bounds is not None:
        return bounds
    if variable.value_type in DEFAULT_BOUNDS:
        return DEFAULT_BOUNDS[variable.value_type]
    if variable.value_type is date:
        return tuple(np.datetime64(d, "D") for d in UNKNOWN_DATE_BOUNDS)
    return None, None


def input_bounds(variable) -> tuple:
    """(lo, hi) a situation may give for a number or a date."""
    if variable.value_type is date:
        return DATE_BOUNDS
    return fact_bounds(variable)


def assessment_day(population, period) -> np.datetime64:
    """The day a case is assessed on: the evaluator's assessment date when it falls in `period`,
    else (plain OpenFisca, which knows only the month) the period's last day. Elapsed-time
    conditions (满一年, 6个月以上, 超过一个月) are tested on this day, never on the month's end."""
    day = getattr(population.simulation, "jiuye_assessment_day", None)
    if day is not None and month_first_day(period) <= day <= period_last_day(period):
        return day
    return period_last_day(period)


def measure_record(population, measure_id: str):
    """A catalogue record of the population's system."""
    return population.simulation.tax_benefit_system.catalogue.measure(measure_id)


def moment_day(population, period, measure_id: str):
    """The day the measure's text judges statuses on (its catalogue record's `moment`): the date
    of the qualifying event (hire, internship start, registration …) where the record names one,
    read from the population (a person's fact, or the organisation's through `organisation` /
    `org_fact`), else the assessment day (the application)."""
    moment = measure_record(population, measure_id).moment
    if not moment or not moment.get("fact"):
        return np.full(population.count, assessment_day(population, period))
    name = moment["fact"]
    variable = population.simulation.tax_benefit_system.variables[name]
    if variable.entity.key == population.entity.key:
        return population(name, period)
    if population.entity.is_person:
        return population.organisation(name, period)
    raise ValueError(f"{measure_id}: the moment {name} is a person's fact; an organisation's measure needs its own")


def named(namespace: dict) -> None:
    """Give every Variable class created by `fact(...)` in a module the name it is bound to."""
    for key, value in list(namespace.items()):
        if isinstance(value, type) and issubclass(value, Variable) and value is not Variable \
                and value.__name__ in ("fact", "condition"):
            value.__name__ = key
            value.__qualname__ = key
        if value in _PENDING_OPTIONAL if isinstance(value, type) else False:
            OPTIONAL_FACTS.add(key)


@functools.lru_cache(maxsize=4096)
def _period_days(period) -> tuple[str, str]:
    """A period's first and last days as ISO texts (the period's own `stop` is computed anew each time)."""
    return str(period.start), str(period.stop)


def _document_floor(population, reference: str) -> str | None:
    """The first day of the document a reference cites (its parameters start there)."""
    system = population.simulation.tax_benefit_system
    document = getattr(system, "catalogue", None) and system.catalogue.documents.get(reference.split("/")[0])
    return document.valid_from if document else None


def condition(entity, label: str, reference: str, formula: Callable, *, doc: str = "") -> type[Variable]:
    """Declare a legal condition: boolean, per month, labelled with the clause's words.

    In the month a document takes effect (heping: 2020-06-30), the month starts before the
    document's parameters do: the condition then reads them as of the document's first day."""
    def clamped_formula(population, period, parameters):
        floor = _document_floor(population, reference)
        if floor and _period_days(period)[0] < floor <= _period_days(period)[1]:
            first = periods.instant(floor)
            original = parameters

            def parameters(at):   # noqa: F811 - the same accessor, floored at the document's first day
                start = at.start if hasattr(at, "start") else at
                return original(first if str(start) < floor else at)
        return formula(population, period, parameters)

    attrs = {
        "value_type": bool,
        "entity": entity,
        "definition_period": MONTH,
        "label": label,
        "reference": reference,
        "formula": clamped_formula,
    }
    if doc:
        attrs["documentation"] = doc
    cls = type("condition", (Variable,), attrs)
    cls.__module__ = sys._getframe(1).f_globals.get("__name__", __name__)
    return cls


def _rows_of(values, n: int):
    """`values` as n rows (np.broadcast_to, which costs more than the rest of a one-row slot)."""
    return values if np.shape(lo_of(values)) == (n,) else np.broadcast_to(values, (n,))


_FIELD_TYPES = (np.dtype("datetime64[D]"), np.dtype(float), np.dtype(bool))


def _stack_columns(slots):
    """Installments.stack of slots, plain or partially known: each field filled column by column in
    one array (the same arrays, reasons and collapse as np.stack of the slots' rows, which goes
    through the partial layer's _stack_like; a slot's due dates are datetime64[D], its amounts
    float, its ceilings bool, none given: False). None where a value's shape or type is not one this
    fills the same way, or the slots' numbers of rows differ (then stacked row by row, which raises)."""
    days, money, flags = _FIELD_TYPES
    dues: list = []
    amounts: list = []
    ceilings: list = []
    n = -1
    for slot in slots:
        due, amount = as_days(slot[0]), asarray(slot[1], dtype=float)
        ceiling = asarray(slot[2], dtype=bool) if len(slot) > 2 else None
        rows = max(due.size, amount.size, due.size if ceiling is None else ceiling.size)
        if rows != n:
            if n != -1:
                return None
            n = rows
        if not (_column_fits(due, days, n) and _column_fits(amount, money, n)):
            return None
        dues.append(due)
        amounts.append(amount)
        if ceiling is None:
            ceilings.append(False)
        elif _column_fits(ceiling, flags, n):
            ceilings.append(ceiling)
        else:
            return None
    if n == -1:                  # no slot
        return None
    return fill_columns(dues, days, n), fill_columns(amounts, money, n), fill_columns(ceilings, flags, n)


def _column_fits(part, dtype, n: int) -> bool:
    """A slot's field that fill_columns takes as it is: a partially known (n,) vector of `dtype`, or
    a plain array of `dtype` with n rows or one value."""
    if type(part) is Partial:
        return part.lo.shape == (n,) and part.enum is None and part.lo.dtype == dtype \
            and part.hi.dtype == dtype and part.known.shape == (n,)
    return type(part) is np.ndarray and part.dtype == dtype and \
        (part.shape == (n,) or (part.size == 1 and part.ndim <= 1))


def fill_columns(columns: list, dtype, n: int):
    """The (n, len(columns)) array of `dtype` whose j-th column is columns[j] (each as `_column_fits`
    takes, or a scalar): a Partial where some column is not known, with their reasons (as
    np.stack(columns, axis=1) through the partial layer gives; tests/test_schedule_paths.py)."""
    lo = np.empty((n, len(columns)), dtype)
    partials = [column for column in columns if type(column) is Partial]
    if not partials:
        for j, column in enumerate(columns):
            lo[:, j] = column
        return lo
    hi = np.empty((n, len(columns)), dtype)
    known = np.ones((n, len(columns)), bool)
    open_ = None                 # the rows with an unknown element: the result's open rows
    for j, column in enumerate(columns):
        if type(column) is Partial:
            lo[:, j], hi[:, j], known[:, j] = column.lo, column.hi, column.known
            open_ = ~column.known if open_ is None else open_ | ~column.known
        else:
            lo[:, j] = hi[:, j] = column
    if not _any(open_):          # every element known: the plain array (as _collapse gives)
        return lo
    value = Partial(lo, hi, known, None, None)
    value.why = _union_why(open_, partials, n)
    return value


@dataclasses.dataclass
class Installments:
    """Installments for a vector of n cases, K slots each. An unused slot has due = NEVER."""

    due: np.ndarray          # datetime64[D], shape (n, K)
    amount: np.ndarray       # float, shape (n, K)
    ceiling: np.ndarray      # bool, shape (n, K): the amount is a "最高不超过" cap, the cost being unknown

    @classmethod
    def stack(cls, slots: Sequence[tuple]) -> "Installments":
        """Build from a list of (due, amount[, ceiling]) vectors, one tuple per slot."""
        fast = _stack_columns(slots)
        if fast is not None:
            return cls(*fast)
        dues, amounts, ceilings = [], [], []
        for slot in slots:
            due, amount = as_days(slot[0]), asarray(slot[1], dtype=float)
            ceiling = asarray(slot[2], dtype=bool) if len(slot) > 2 else np.zeros(np.shape(lo_of(due)), bool)
            # (the placeholders' shapes and sizes: a partial value's own, without numpy's dispatch)
            n = max(np.size(lo_of(due)), np.size(lo_of(amount)), np.size(lo_of(ceiling)))
            dues.append(_rows_of(due, n))
            amounts.append(_rows_of(amount, n))
            ceilings.append(_rows_of(ceiling, n))
        return cls(np.stack(dues, axis=1), np.stack(amounts, axis=1), np.stack(ceilings, axis=1))

    def rows(self, index) -> "Installments":
        """The installments of some cases."""
        return Installments(self.due[index], self.amount[index], self.ceiling[index])

    def capped(self, cap, per: str = "total", already=None) -> "Installments":
        """The same installments, paid in due-date order until `cap` is reached for each case (over the
        whole schedule, or within each calendar year with per="year"). `already`: an (n, K') set of
        installments of the same cases that count towards the cap first (a stacking group's earlier
        members). Amounts not set in this document (NaN) are left as they are. A case whose
        installments are not all known has capped amounts that are not known either."""
        prior = None if already is None else (already.due, already.amount)
        if any(is_partial(v) for v in (self.due, self.amount, cap) + (prior or ())):
            amount = strict_rows(lambda due, amount, cap, prior: _capped_amounts(due, amount, cap, per, prior),
                                 self.due, self.amount, cap, prior)
        else:
            amount = _capped_amounts(self.due, self.amount, cap, per, prior)
        return Installments(self.due, amount, self.ceiling)

    def valid(self) -> np.ndarray:
        """Slots in use: a due date, and an amount that is positive or NaN (set elsewhere)."""
        return (self.due < NEVER) & ((self.amount > 0) | np.isnan(self.amount))

    def due_between(self, first, last) -> np.ndarray:
        """Sum per case of the installments due in [first, last]."""
        mask = self.valid() & (self.due >= np.datetime64(first, "D")) & (self.due <= np.datetime64(last, "D"))
        return np.where(mask, np.nan_to_num(self.amount), 0.0).sum(axis=1)

    def total(self) -> np.ndarray:
        """Sum of known amounts (an amount set elsewhere, NaN, counts as 0 here)."""
        return np.where(self.valid(), np.nan_to_num(self.amount), 0.0).sum(axis=1)


def amount_due_by(due, amount, day):
    """Per case, the amount of the installments due on or before `day` (bounded where the schedule
    is not known); NaN where an installment due by then has an amount this document does not set."""
    unset = np.isnan(amount)
    due_by = (due < NEVER) & ((amount > 0) | unset) & (due <= day)
    total = np.where(due_by, np.where(unset, 0.0, amount), 0.0).sum(axis=1)
    return np.where((due_by & unset).any(axis=1), np.nan, total)


def _capped_amounts(due, amount_in, cap, per, prior):
    cap = np.broadcast_to(np.asarray(cap, dtype=float), due.shape[:1]).reshape(-1, 1)
    valid = (due < NEVER) & ((amount_in > 0) | np.isnan(amount_in))
    amount = np.where(valid & ~np.isnan(amount_in), amount_in, 0.0)
    order = np.argsort(due, axis=1, kind="stable")
    due_sorted = np.take_along_axis(due, order, axis=1)
    paid = np.take_along_axis(amount, order, axis=1)
    year = due_sorted.astype("datetime64[Y]")
    used_before = np.zeros(paid.shape)
    if prior is not None:
        prior_due, prior_amount = prior
        prior_valid = (prior_due < NEVER) & ((prior_amount > 0) | np.isnan(prior_amount))
        prior_paid = np.where(prior_valid, np.nan_to_num(prior_amount), 0.0)
        prior_year = prior_due.astype("datetime64[Y]")
        for j in range(paid.shape[1]):
            same = (prior_year == year[:, j:j + 1]) if per == "year" else np.ones(prior_paid.shape, bool)
            used_before[:, j] = np.where(same, prior_paid, 0.0).sum(axis=1)
    result = np.zeros(paid.shape)
    for j in range(paid.shape[1]):
        same = (year[:, :j] == year[:, j:j + 1]) if per == "year" else np.ones((paid.shape[0], j), bool)
        used = used_before[:, j] + np.where(same, result[:, :j], 0.0).sum(axis=1)
        result[:, j] = np.clip(np.minimum(paid[:, j], cap[:, 0] - used), 0.0, None)
    capped = np.empty_like(result)
    np.put_along_axis(capped, order, result, axis=1)
    return np.where(np.isnan(amount_in), amount_in, capped)


def only_if(mask, due) -> np.ndarray:
    """Keep a due date where `mask` holds, else mark the slot unused."""
    return np.where(mask, as_days(due), NEVER)


InstallmentFunction = Callable[..., Installments]
_REGISTRY: dict[str, InstallmentFunction] = {}


def installments(measure_id: str) -> Callable[[InstallmentFunction], InstallmentFunction]:
    """Register the installment function of a catalogue measure: f(population, period, parameters)."""
    def register(function: InstallmentFunction) -> InstallmentFunction:
        if measure_id in _REGISTRY and _REGISTRY[measure_id] is not function:
            raise ValueError(f"two installment functions for {measure_id}")
        _REGISTRY[measure_id] = function
        return function
    return register


def registered_installments() -> dict[str, InstallmentFunction]:
    return dict(_REGISTRY)
