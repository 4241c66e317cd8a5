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
from datetime import date

import numpy as np
from openfisca_core import periods

from jiuye.model.base import NOT_GIVEN, assessment_day, condition, fact, named
from jiuye.model.dates import DAY, add_years, as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.person import EducationLevel, SkillLevel
from jiuye.model.facts.places import District

from jiuye.model.partial import asarray

FIRST_INSTANT = "2023-01-01"     # the document's parameters are dated from here (document year 2023)

HIGHER_EDUCATION = [EducationLevel[n].index for n in ("college", "bachelor", "master", "doctor")]
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


# --- facts only this document reads ---------------------------------------------------------------
binjiang_lifted_from_poverty = fact(
    Person, bool, "脱贫人口", reference="binjiang/四",
    doc="第四、九条共用。")
binjiang_from_paired_assistance_area = fact(
    Person, bool, "来自对口帮扶地区（户籍在滨江区对口帮扶的地区）", reference="binjiang/四")
binjiang_in_district = fact(
    Person, bool, "区内人员（在滨江区居住或就业）", reference="binjiang/九",
    doc="“区内”: the person lives or works in Binjiang when taking part in the training.")
binjiang_migrant_worker = fact(
    Person, bool, "外省进城务工人员（户籍在浙江省外、进城务工）", reference="binjiang/九")
binjiang_university_enrolled = fact(
    Person, bool, "高校在校生（大专及以上学历教育在读）", reference="binjiang/七",
    doc="按参加服务或培训时的状态。")
binjiang_training_start_date = fact(
    Person, date, "参加就业创业服务或职业技能培训的开始日期", default=NOT_GIVEN, reference="binjiang/七")


# --- conditions: the document in force, places, kinds of organisation -----------------------------
def _in_force(org, period, parameters):
    start = effective_date(doc_params(parameters, period))
    return np.full(org.count, assessment_day(org, period) >= start)


binjiang_in_force = condition(
    Organisation, "本意见已施行（自2023年 月 日起施行；施行日期未定，暂按参数binjiang.effective_date）", "binjiang/附则",
    _in_force,
    doc="评估日不早于施行日期。施行日期的月、日在征求意见稿中空缺，默认2023-01-01，未经核实。")

binjiang_registered_in_district = condition(
    Organisation, "区内（单位注册地在滨江区）", "binjiang/一",
    lambda org, period, parameters: org("registration_district", period) == District.binjiang,
    doc="“区内企业”“街道”“社区”等均读作注册地在滨江区的单位（第一、二、四、五、六、七、八、十、十一、十二条共用）。")

binjiang_enterprise = condition(
    Organisation, "企业", "binjiang/四",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISES),
    doc="有限责任公司、股份有限公司及其他企业；个体工商户、民办非企业单位、社会组织、机关事业单位不是企业。")

binjiang_enterprise_or_private_non_enterprise = condition(
    Organisation, "企业（含民办非企）", "binjiang/七",
    lambda org, period, parameters: np.isin(org("org_type", period),
                                            ENTERPRISES + [OrgType.private_non_enterprise.index]))

binjiang_street = condition(
    Organisation, "街道", "binjiang/一",
    lambda org, period, parameters: org("org_type", period) == OrgType.street)

binjiang_community = condition(
    Organisation, "社区", "binjiang/一",
    lambda org, period, parameters: org("org_type", period) == OrgType.community)

binjiang_hukou = condition(
    Person, "本区户籍", "binjiang/四",
    lambda person, period, parameters: person("hukou_district", period) == District.binjiang,
    doc="户籍在滨江区（第四、七、九条共用）。")


# --- 本区户籍大学生 (clause 七, also read by clause 九) --------------------------------------------
def _graduate_within_window(person, period, parameters):
    years = int(doc_params(parameters, period).c07.graduation_window_years)
    graduated = person("graduation_date", period)
    start = person("binjiang_training_start_date", period)
    higher = np.isin(person("education_level", period), HIGHER_EDUCATION)
    return higher & (graduated <= start) & (start <= add_years(graduated, years)) & ~person("employed", period)


binjiang_7_unemployed_graduate = condition(
    Person, "离校2年未就业高校毕业生", "binjiang/七", _graduate_within_window,
    doc="大专及以上学历；按参加服务或培训的开始日计算：不早于毕业（离校）日期，且不晚于毕业满2年的对应日"
        "（含，如2023-07-01毕业，2025-07-01开始的符合，2025-07-02开始的不符合）；当时未就业。")

named(globals())
