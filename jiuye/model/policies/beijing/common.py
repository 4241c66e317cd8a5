"""Facts and conditions several Beijing clauses share, and the installment helpers of measures whose
amount the city sets elsewhere (amount NaN: "符合条件；金额按市级标准执行").

Jurisdiction: the document is municipal. Every measure ties its case to Beijing by its own
conditions (本市高校 / 北京生源 / 本市户籍 / 本市登记失业 / 单位在本市注册或参保 / 在本市参保缴费).
"""

import sys
from datetime import date

import numpy as np
from openfisca_core import periods
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, Installments, assessment_day, condition, installments, named, only_if
from jiuye.model.dates import DAY, NEVER, add_months, as_days
from jiuye.model.entities import Person
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.person import HIGHER_EDUCATION, ContractType
from jiuye.model.facts.places import City, city_of
from jiuye.model.partial import asarray
from jiuye.model.declared import declare

declare(globals(), "common.facts.yaml")


KEY = "beijing"
ENTERPRISES = [t.index for t in ENTERPRISE_TYPES]
# 用人单位: every organisation type that employs under labour contracts, except government bodies
NOT_EMPLOYER_UNITS = [OrgType[n].index for n in ("unknown", "public_institution", "street", "community")]
CONTRACTS = [ContractType[n].index for n in ("fixed_term", "open_ended", "task_based")]


# --- the document's catalogue and parameters --------------------------------------------------------
def _catalogue(population):
    return population.simulation.tax_benefit_system.catalogue


def document_from(population) -> np.datetime64:
    """The document's first day (印发 2022-06-16): nothing of this document falls due before it."""
    return np.datetime64(_catalogue(population).documents[KEY].valid_from, "D")


def city_parameters(population, period):
    """The `beijing` parameters in force in `period`; for a period before the document, its first
    values (so a formula computed for an earlier month does not fail; eligibility is false there)."""
    instant = max(str(period.start), _catalogue(population).documents[KEY].valid_from)
    return population.simulation.tax_benefit_system.get_parameters_at_instant(periods.instant(instant)).beijing


def in_beijing(districts) -> np.ndarray:
    return asarray(city_of(districts) == City.beijing)


# --- installments -----------------------------------------------------------------------------------
def referenced_once(due, not_before) -> Installments:
    """One installment whose amount the city sets (NaN), due on `due` or, when earlier, on the
    document's first day `not_before`."""
    return Installments.stack([(np.maximum(as_days(due), not_before), np.nan)])


def monthly_referenced(start, end, count: int, not_before) -> Installments:
    """Month k (k = 1 … count) from `start` completes on add_months(start, k) − 1 day; it is listed
    (amount NaN, set by the city) when that day is on or before `end` and on or after `not_before`."""
    start = as_days(start)
    slots = []
    for k in range(1, int(count) + 1):
        due = add_months(start, k) - DAY
        listed = (due <= as_days(end)) & (due >= not_before)
        slots.append((only_if(listed, due), np.nan))
    return Installments.stack(slots)


def schedule_variables(measure_id: str, prefix: str, entity, label: str, clause: str, module: str | None = None):
    """Three read-only variables describing the schedule of a measure while the case is eligible:
    `<prefix>_installment_count` (how many installments, e.g. subsidised months), `<prefix>_last_due`
    (the last due date; 9999-12-31 when none) and `<prefix>_amount_referenced` (an installment's
    amount is set by the city, not by this document: NaN, never an invented figure)."""
    module = module or sys._getframe(1).f_globals.get("__name__", __name__)

    def _inst(population, period):
        system = population.simulation.tax_benefit_system
        measure = system.catalogue.measure(measure_id)
        inst = system.installments_for(population, measure, period)
        return inst, population(f"{measure.variable}__eligible", period)

    def count(population, period, parameters):
        inst, eligible = _inst(population, period)
        return inst.valid().sum(axis=1) * eligible

    def last_due(population, period, parameters):
        inst, eligible = _inst(population, period)
        valid = inst.valid()
        last = np.where(valid, inst.due, np.datetime64("1970-01-01", "D")).max(axis=1)
        return np.where(eligible & valid.any(axis=1), last, NEVER)

    def referenced(population, period, parameters):
        inst, eligible = _inst(population, period)
        return eligible & (inst.valid() & np.isnan(inst.amount)).any(axis=1)

    made = []
    for suffix, value_type, default, formula, text in (
            ("_installment_count", int, 0, count, "期数（月数）"),
            ("_last_due", date, date(9999, 12, 31), last_due, "最后一期的日期"),
            ("_amount_referenced", bool, False, referenced, "金额按市级标准执行（本文件未规定）")):
        cls = type(prefix + suffix, (Variable,), {
            "value_type": value_type, "default_value": default, "entity": entity,
            "definition_period": MONTH, "label": f"{label}：{text}", "reference": clause,
            "formula": formula})
        cls.__module__ = module
        made.append(cls)
    return made


def referenced_one_off(measure_id: str, prefix: str, entity, label: str, event: str, *, of_organisation=False):
    """A measure paid once, its amount set by the city (NaN), listed on the date of its qualifying
    event `event` (a fact of the row's organisation when `of_organisation`; never before the
    document's first day): registers its installment function and returns its three schedule
    variables (see `schedule_variables`)."""
    def one_off(population, period, parameters):
        day = population.organisation(event, period) if of_organisation else population(event, period)
        return referenced_once(day, document_from(population))

    installments(measure_id)(one_off)
    clause = "/".join(measure_id.split("/")[:2])
    return schedule_variables(measure_id, prefix, entity, label, clause,
                              module=sys._getframe(1).f_globals.get("__name__", __name__))


# --- conditions shared by several clauses ------------------------------------------------------------
def in_clause_words(fact_name: str, label: str, clause: str, entity=Person) -> type[Variable]:
    """A condition that reads one of the engine's general facts (which cite no clause) in the words of
    `clause`: the condition tree then shows the clause's words and cites it."""
    cls = condition(entity, label, clause, lambda population, period, parameters: population(fact_name, period))
    cls.__module__ = sys._getframe(1).f_globals.get("__name__", __name__)
    return cls


def _org_insured_in_beijing(org, period, parameters):
    return in_beijing(org("social_insurance_district", period))

def _org_registered_in_beijing(org, period, parameters):
    return in_beijing(org("registration_district", period))


beijing_social_insurance_paid = in_clause_words(
    "social_insurance_paid", "为其参加社会保险（按规定缴纳职工社会保险，含失业保险）", "beijing/5")

beijing_flexibly_employed = in_clause_words("flexibly_employed", "实现灵活就业", "beijing/4")


def _labour_contract(person, period, parameters):
    signed = np.isin(person("contract_type", period), CONTRACTS)
    return signed & (person("contract_start_date", period) <= assessment_day(person, period))


def _flexible_started(person, period, parameters):
    return person("beijing_flexible_employment_start_date", period) <= assessment_day(person, period)


named(globals())
