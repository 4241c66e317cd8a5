"""Heping: the facts and helpers several clauses share (each clause's own rules are in its folder).

* Facts: the four family situations of 附件2 (zero_employment_family, single_parent_family, dibao_family,
  supports_seriously_ill_relative) and the `heping_` facts read by several clauses. Event dates default to
  9999-12-31 ("not given"), so a missing date leaves a case undetermined instead of dating a payment 1970-01-01.
* Helpers: the document's validity window (from the catalogue header), parameters at a date, monthly
  installments, the extension of a subsidy to the statutory retirement date ("距法定退休年龄不足5年的可延长至退休"),
  one-off and capped amounts, loan years, calendar months.
* Conditions shared by several clauses (在本区参保, 企业, 高校毕业生 …).
"""

import sys
from datetime import date

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from jiuye.model import base, schedules
from jiuye.model.base import MONTH, NOT_GIVEN, Installments, condition, fact, named, only_if
from jiuye.model.dates import DAY, add_months, add_years, as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import ENTERPRISE_TYPES
from jiuye.model.facts.person import ContractType, EducationLevel
from jiuye.model.facts.places import City, District
from jiuye.model.partial import asarray

HIGHER_EDUCATION = [EducationLevel[n].index for n in ("college", "bachelor", "master", "doctor")]
ENTERPRISES = [t.index for t in ENTERPRISE_TYPES]


# =================================================================================================
# Facts
# =================================================================================================
# --- 附件2 特殊就业困难人员: the four family situations (generic) ---------------------------------------
zero_employment_family = fact(Person, bool, "零就业家庭人员", reference="heping/附件2/1")
single_parent_family = fact(Person, bool, "单亲家庭人员", reference="heping/附件2/1")
dibao_family = fact(Person, bool, "低保家庭人员", reference="heping/附件2/1",
                    doc="享受最低生活保障的家庭的成员。")
supports_seriously_ill_relative = fact(Person, bool, "需赡养患重大疾病直系亲属人员", reference="heping/附件2/1")

# --- 附件2 重点创业人群 ------------------------------------------------------------------------------
heping_school_city = fact(
    Person, Enum, "就读（毕业）高校所在市",
    possible_values=City, reference="heping/附件2/2",
    doc="本人就读或毕业的高校所在的市（“本市高校”即天津市的高校）。")
heping_full_time_student = fact(
    Person, bool, "创办企业时为全日制高校在校生", reference="heping/附件2/2")
heping_haihe_talent = fact(Person, bool, "以“海河英才”行动计划落户本市", reference="heping/附件2/2")
heping_haihe_settlement_date = fact(
    Person, date, "以“海河英才”落户本市的日期", default=NOT_GIVEN, reference="heping/附件2/2", optional=True,
    doc="只对“海河英才”填写；未提供即无落户日期，“落户5年内”不成立。")

# --- persons ----------------------------------------------------------------------------------------
heping_poor_village_labour = fact(Person, bool, "困难村劳动力", reference="heping/十")
heping_registered_poor_labour = fact(Person, bool, "建档立卡贫困劳动力", reference="heping/十")
heping_unemployed_since_graduation = fact(
    Person, bool, "离校后至被招用前未就业（离校未就业）", reference="heping/十")
heping_si_months_since_hire = fact(
    Person, int, "自被招用起按规定缴纳社会保险费的月数", reference="heping/十", unit="month")
heping_education_upgrade_date = fact(
    Person, date, "在职期间取得（更高）学历的日期", default=NOT_GIVEN, reference="heping/一")
heping_professional_title_date = fact(
    Person, date, "在职期间取得职称的日期", default=NOT_GIVEN, reference="heping/一")
heping_self_employed = fact(Person, bool, "从事个体经营", reference="heping/十一")
heping_flexible_start_date = fact(
    Person, date, "从事个体经营或灵活就业（办理就业登记）的起始日期", default=NOT_GIVEN, reference="heping/十一")
heping_flexible_end_date = fact(
    Person, date, "停止个体经营或灵活就业的日期", default=NOT_GIVEN, reference="heping/十一", optional=True,
    doc="未提供即仍在从事个体经营或灵活就业。")
heping_flexible_registration_district = fact(
    Person, Enum,
    "个体经营或灵活就业（就业登记、社会保险补贴申领）所在区", possible_values=District, reference="heping/十一")
heping_startup_date = fact(
    Person, date, "本人创办的企业或个体工商户的登记注册日期（成功创业之日）", default=NOT_GIVEN,
    reference="heping/十三")
heping_registered_unemployed_at_founding = fact(
    Person, bool, "创办企业时为登记失业人员", reference="heping/十四")
heping_first_business = fact(Person, bool, "首次创办企业", reference="heping/十四")

# --- organisations ----------------------------------------------------------------------------------
heping_jobs_created = fact(
    Organisation, float, "带动就业人数（创业者本人以外，与本单位签订劳动合同并缴纳社会保险的人数）",
    reference="heping/十四", unit="person")
heping_consecutive_si_months = fact(
    Organisation, int, "连续缴纳社会保险费的月数", reference="heping/十四", unit="month")


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


def date_variable(name: str, entity, label: str, reference: str, formula, doc: str = "") -> type[Variable]:
    """A computed date per month (e.g. the last day a subsidy covers), shown in explanations and tests."""
    attrs = {"value_type": date, "default_value": NOT_GIVEN, "entity": entity, "definition_period": MONTH,
             "label": label, "reference": reference, "formula": formula}
    if doc:
        attrs["documentation"] = doc
    cls = type(name, (Variable,), attrs)
    cls.__module__ = sys._getframe(1).f_globals.get("__name__", __name__)
    return cls


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
heping_1_insured_in_heping = condition(
    Organisation, "在本区参加社会保险（社会保险参保缴费所在区为和平区）", "heping/一",
    lambda org, period, parameters: org("social_insurance_district", period) == District.heping,
    doc="和平区的文件，由区人社局、社险和平分中心经办：单位在和平区参保缴费。")

heping_10_enterprise = condition(
    Organisation, "企业", "heping/十",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISES),
    doc="有限责任公司、股份有限公司、其他企业（合伙企业、个人独资企业等）；个体工商户、民办非企业单位不是企业。")

heping_10_higher_education = condition(
    Person, "高校毕业生（大专及以上学历）", "heping/十",
    lambda person, period, parameters: np.isin(person("education_level", period), HIGHER_EDUCATION))

heping_10_tianjin_university = condition(
    Person, "本市高校毕业生（毕业于天津市的高校）", "heping/十",
    lambda person, period, parameters: person("heping_school_city", period) == City.tianjin)


heping_14_registered_in_heping = condition(
    Organisation, "在本区注册（注册地为和平区）", "heping/十四",
    lambda org, period, parameters: org("registration_district", period) == District.heping)

heping_10_rural_labour = condition(
    Person, "农村劳动力", "heping/十",
    lambda person, period, parameters: person("rural_labour", period))

named(globals())
