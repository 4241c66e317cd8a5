"""Definitions and helpers shared by several Binjiang clauses.

* Effective date. The draft reads “本意见自2023年 月 日起施行”: only the year is set. The parameter
  `binjiang.effective_date` (default 2023-01-01, unconfirmed) is read by
  - `binjiang_in_force`, a condition of every executable measure: the assessment day is on or after
    the effective date;
  - the event windows of the one-off measures (recognition, certificate, award … on or after the
    effective date and on or before the assessment day: `happened`);
  - the year conditions of the yearly measures (the year ends on or after the effective date).
* The document's parameters are dated from 2023-01-01. Conditions and installment functions read
  them through `doc_params` / `system_params`, never earlier than that date, so that a situation
  assessed before 2023 is ineligible here (`binjiang_in_force` false) instead of failing.
* Jurisdiction: the organisation conditions read the registration district (区内 = registered in
  Binjiang); the person conditions read the hukou district, the unemployment registration district or
  the Binjiang fact `binjiang_in_district` (在本区居住或就业).
"""

import sys

import numpy as np
from openfisca_core import periods

from jiuye.model.base import NOT_GIVEN, Installments, assessment_day, condition, named
from jiuye.model.dates import DAY, add_years, as_days
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.person import HIGHER_EDUCATION, SkillLevel, hukou_on_moment
from jiuye.model.facts.places import District

from jiuye.model.partial import asarray
from jiuye.model.declared import declare

declare(globals(), "common.facts.yaml")


FIRST_INSTANT = "2023-01-01"     # the document's parameters are dated from here (document year 2023)

SKILL_LEVELS = [SkillLevel[n].index for n in ("junior", "intermediate", "senior", "technician", "senior_technician")]
HIGH_SKILL_LEVELS = [SkillLevel[n].index for n in ("senior", "technician", "senior_technician")]
ENTERPRISES = [t.index for t in ENTERPRISE_TYPES]


# --- parameters and dates -----------------------------------------------------------------------
def _instant(period) -> str:
    return max(str(period.start), FIRST_INSTANT)


def doc_params(parameters, period):
    """The `binjiang` parameters for a condition formula (`parameters` is the callable node)."""
    return parameters(_instant(period)).binjiang


def system_params(population, period):
    """The `binjiang` parameters for an installment function."""
    return population.simulation.tax_benefit_system.get_parameters_at_instant(periods.instant(_instant(period))).binjiang


def paid_on(date_fact: str, amount: str):
    """An installment function: the fixed amount `amount` (a dotted name under binjiang, e.g.
    "c11.studio_subsidy"), once, on the date `date_fact`."""
    def formula(population, period, parameters):
        value = system_params(population, period)
        for part in amount.split("."):
            value = getattr(value, part)
        return Installments.stack([(population(date_fact, period), value)])
    return formula


def effective_date(p) -> np.datetime64:
    return np.datetime64(p.effective_date, "D")


def year_end(year) -> np.ndarray:
    """31 December of each year (vectorised); a year not given (0) gives 9998-12-31."""
    year = asarray(year, dtype=np.int64)
    safe = np.where((year > 0) & (year < 9999), year, 9998)
    return (safe - 1969).astype("datetime64[Y]").astype("datetime64[D]") - DAY


def happened(population, dates, period, parameters) -> np.ndarray:
    """The event date lies on or after the effective date and on or before the assessment day (the day
    the case is assessed; in plain OpenFisca, which knows only the month, the month's end)."""
    dates = as_days(dates)
    start = effective_date(doc_params(parameters, period))
    return (dates >= start) & (dates <= assessment_day(population, period))


def year_in_force(year, period, parameters) -> np.ndarray:
    """A year is given and ends on or after the effective date."""
    year = asarray(year)
    return (year > 0) & (year_end(year) >= effective_date(doc_params(parameters, period)))


def up_to(amount, cap) -> tuple:
    """An assessed amount up to `cap`, and whether it is a ceiling: not given (NaN), `cap` stands in for it
    as “最高”."""
    known = ~np.isnan(amount)
    return np.where(known, np.minimum(amount, cap), cap), ~known


def _here(cls):
    """A condition declared through a helper belongs to the caller's module (the system collects the
    variables of each module)."""
    cls.__module__ = sys._getframe(2).f_globals["__name__"]
    return cls


def dated(entity, label: str, reference: str, date_fact: str, doc: str = ""):
    """The condition that the event `date_fact` happened: on or after the effective date, on or before
    the assessment day."""
    return _here(condition(
        entity, label, reference,
        lambda population, period, parameters: happened(population, population(date_fact, period), period, parameters),
        doc=doc))


def in_force_year(entity, label: str, reference: str, year_fact: str):
    """The condition that the year `year_fact` of a yearly measure is given and ends on or after the
    effective date."""
    return _here(condition(
        entity, label, reference,
        lambda population, period, parameters: year_in_force(population(year_fact, period), period, parameters)))


# --- conditions: the document in force, places, kinds of organisation -----------------------------
def _in_force(org, period, parameters):
    start = effective_date(doc_params(parameters, period))
    return np.full(org.count, assessment_day(org, period) >= start)


def _enterprise_or_private_non_enterprise(org, period, parameters):
    return (np.isin(org("org_type", period),
        ENTERPRISES + [OrgType.private_non_enterprise.index]))


# --- 本区户籍大学生 (clause 七, also read by clause 九) --------------------------------------------
# binjiang/七/training, 九/level_certificate and 九/special_certificate judge the trainee on the day the
# service or training begins (their records' moment: binjiang_training_start_date).
def _hukou_at_training_start(person, period, parameters):
    return hukou_on_moment(person, period, "binjiang/七/training", lambda d: d == District.binjiang)


def _graduate_within_window(person, period, parameters):
    years = int(doc_params(parameters, period).c07.graduation_window_years)
    graduated = person("graduation_date", period)
    start = person("binjiang_training_start_date", period)
    higher = np.isin(person("education_level", period), HIGHER_EDUCATION)
    return higher & (graduated <= start) & (start <= add_years(graduated, years)) & ~person("binjiang_employed_at_training_start", period)


named(globals())
