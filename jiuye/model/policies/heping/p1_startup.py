"""Heping （十三）–（十六）: 创业培训, 首次创业补贴, 创业房租补贴, 创业孵化载体.

* （十三） to the training provider: 500 per trainee with a 结业证书, 1000 more when the trainee starts a
  business within half a year, 1500 per founder trained in 改善和扩大企业培训.
* （十四） 五项社保补贴 (3 years) and 岗位补贴 (1 year), amounts set by the city, for 重点创业人群 and 就业困难人员
  founding their first enterprise; 3000 一次性创业补贴 for long-term registered unemployed with Tianjin
  hukou / rural labour after a year of operation, or for Tianjin 困难村劳动力 after three months.
* （十五） rent subsidy for 重点创业人群's businesses: a house 1000 + 500 per job created, at most 2500 a
  month; a workstation 300 + 300 per job, at most 600; at most 2 years.
* （十六） incubators in Heping: 建设费补贴 up to 500000 (+50% when 50% or more of the incubated firms are
  students'), 10000 per new incubated firm operating a year with 2 jobs or more, 3000 per new job.
  An incubated firm is represented by its founder, listed as a `members` person of the incubator.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model import base
from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.dates import DAY, NEVER, add_months, add_years, as_days, period_last_day
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.person import TrainingType
from jiuye.model.facts.places import City, District
from jiuye.model.partial import asarray

from .p1_common import (ENTERPRISES, NOT_GIVEN, at, date_variable, document_window, heping_parameters, monthly,
                        referenced_months)


def _by_assessment_day(population, dates, period):
    """The date lies on or before the assessment day (elapsed time is tested on the day itself)."""
    return as_days(dates) <= base.assessment_day(population, period)


# =================================================================================================
# （十三） 加大创业培训力度
# =================================================================================================
heping_13_training_provider = fact(Organisation, bool, "经本区认定的创业培训机构", reference="heping/十三")
heping_13_completion_certificate = fact(Person, bool, "取得创业培训结业证书", reference="heping/十三")
heping_13_improve_expand = fact(
    Person, bool, "所参加的创业培训为改善和扩大企业培训", reference="heping/十三")

heping_13_provider = condition(
    Organisation, "创业培训机构（经本区认定）", "heping/十三",
    lambda org, period, parameters: org("heping_13_training_provider", period))

heping_13_entrepreneurship_training = condition(
    Person, "参加创业培训", "heping/十三",
    lambda person, period, parameters: person("training_type", period) == TrainingType.entrepreneurship)

heping_13_certificate = condition(
    Person, "取得培训结业证书", "heping/十三",
    lambda person, period, parameters: person("heping_13_completion_certificate", period))

heping_13_basic_course = condition(
    Person, "创业培训（不是改善和扩大企业培训）", "heping/十三",
    lambda person, period, parameters: ~person("heping_13_improve_expand", period))

heping_13_improvement_course = condition(
    Person, "改善和扩大企业培训", "heping/十三",
    lambda person, period, parameters: person("heping_13_improve_expand", period))


def _started_within_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c13.success_months
    ended = person("training_end_date", period)
    started = person("heping_startup_date", period)
    return (started > ended) & (started <= add_months(ended, int(months))) & _by_assessment_day(person, started, period)


heping_13_started_within_half_year = condition(
    Person, "参加培训后半年内成功创业", "heping/十三", _started_within_half_year,
    doc="所创办企业或个体工商户的登记注册日期晚于培训结束日期，且不晚于培训结束后6个月的对应日（含），并不晚于评估之日。")


def _already_started(person, period, parameters):
    return person("heping_startup_date", period) <= person("training_end_date", period)


heping_13_already_started = condition(
    Person, "已成功创业人员", "heping/十三", _already_started,
    doc="本人创办的企业或个体工商户在培训结束之前（含当日）已登记注册。")


def _one_off_per_trainee(name, date_variable):
    def function(person, period, parameters):
        amount = float(getattr(heping_parameters(person, period).c13, name))
        return Installments.stack([(person(date_variable, period), np.full(person.count, amount))])
    return function


installments("heping/十三/training_fee")(_one_off_per_trainee("training_fee", "training_end_date"))
installments("heping/十三/startup_success")(_one_off_per_trainee("success_subsidy", "heping_startup_date"))
installments("heping/十三/improvement")(_one_off_per_trainee("improvement_fee", "training_end_date"))


# =================================================================================================
# （十四） 给予首次创业补贴
# =================================================================================================
heping_14_first_business = condition(
    Person, "首次创办企业", "heping/十四",
    lambda person, period, parameters: person("heping_first_business", period))

heping_14_tianjin_hukou = condition(
    Person, "本市户籍", "heping/十四",
    lambda person, period, parameters: person("hukou_city", period) == City.tianjin)

heping_14_registered_unemployed = condition(
    Person, "登记失业人员（创办企业时）", "heping/十四",
    lambda person, period, parameters: person("heping_registered_unemployed_at_founding", period))


def _unemployed_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c14.registered_unemployed_months
    registered = person("unemployment_registration_date", period)
    return add_months(registered, int(months)) <= person.organisation("registration_date", period)


heping_14_unemployed_half_year = condition(
    Person, "登记失业半年以上（至创办企业时）", "heping/十四", _unemployed_half_year,
    doc="企业登记注册日期不早于失业登记日期6个月后的对应日。")

heping_14_social_insurance_paid = condition(
    Person, "按规定缴纳社会保险（创业者本人）", "heping/十四",
    lambda person, period, parameters: person("social_insurance_paid", period))


heping_14_operating_normally = condition(
    Organisation, "正常经营", "heping/十四",
    lambda org, period, parameters: org("operating_normally", period))


def _operated(months_of):
    """Operating for the months `months_of(parameters of （十四）)` since registration, completed by the
    assessment day (the n-th month completes the day before the n-th monthly anniversary)."""
    def formula(org, period, parameters):
        months = months_of(parameters(at(org, period)).heping.c14)
        return _by_assessment_day(org, add_months(org("registration_date", period), months) - DAY, period)
    return formula


heping_14_operating_one_year = condition(
    Organisation, "经营满1年（自登记注册之日起）", "heping/十四",
    _operated(lambda p: int(round(12 * p.operating_years))),
    doc="第一年在登记日一年后对应日的前一日届满，届满之日不晚于评估之日。")

heping_14_operating_3_months = condition(
    Organisation, "在本区注册经营3个月以上", "heping/十四",
    _operated(lambda p: int(p.poor_village_months)),
    doc="自登记注册之日起第3个月届满（登记日3个月后对应日的前一日），届满之日不晚于评估之日。")


def _jobs_at_least(org, period, parameters):
    return org("heping_jobs_created", period) >= parameters(at(org, period)).heping.c14.min_jobs


heping_14_jobs_created = condition(
    Organisation, "带动1人以上就业", "heping/十四", _jobs_at_least)


def _si_12_months(org, period, parameters):
    return org("heping_consecutive_si_months", period) >= parameters(at(org, period)).heping.c14.si_months


heping_14_si_12_months = condition(
    Organisation, "连续缴纳12个月社会保险费", "heping/十四", _si_12_months)


def _founder_months(years_name):
    def function(person, period, parameters):
        p = heping_parameters(person, period).c14
        months = int(round(12 * getattr(p, years_name)))
        start = person.organisation("registration_date", period)
        return referenced_months(start, add_months(start, months) - DAY, months)
    return function


installments("heping/十四/si_subsidy")(_founder_months("si_subsidy_years"))
installments("heping/十四/post_subsidy")(_founder_months("post_subsidy_years"))


@installments("heping/十四/one_off")
def startup_one_off(person, period, parameters):
    p = heping_parameters(person, period).c14
    due = add_months(person.organisation("registration_date", period), int(round(12 * p.operating_years))) - DAY
    return Installments.stack([(due, np.full(person.count, float(p.one_off)))])


@installments("heping/十四/one_off_poor_village")
def startup_one_off_poor_village(person, period, parameters):
    p = heping_parameters(person, period).c14
    due = add_months(person.organisation("registration_date", period), int(p.poor_village_months)) - DAY
    return Installments.stack([(due, np.full(person.count, float(p.one_off)))])


# =================================================================================================
# （十五） 给予创业房租补贴
# =================================================================================================
class Premises(Enum):
    unknown = "未知"
    none = "未租赁经营场所"
    house = "租赁房屋"
    workstation = "租赁工位"


heping_15_premises = fact(Organisation, Enum, "创业经营场所的租赁方式", possible_values=Premises, reference="heping/十五")
heping_15_application_date = fact(
    Organisation, date, "申请创业房租补贴的日期", default=NOT_GIVEN, reference="heping/十五")
heping_15_lease_start_date = fact(
    Organisation, date, "租赁起始日期", default=NOT_GIVEN, reference="heping/十五", optional=True,
    doc="Not given = from the registration date.")
heping_15_lease_end_date = fact(
    Organisation, date, "租赁终止日期", default=NOT_GIVEN, reference="heping/十五", optional=True,
    doc="Not given = still leased.")


def _priority_founder(org, period, parameters):
    return org.any(org.members("heping_fj2_priority_founder", period), role=Organisation.FOUNDER)


heping_15_priority_founder = condition(
    Organisation, "重点创业人群创办", "heping/十五", _priority_founder,
    doc="单位的创业者（角色founder）中至少一人属于附件2的重点创业人群。")

heping_15_business_form = condition(
    Organisation, "企业或个体工商户", "heping/十五",
    lambda org, period, parameters: np.isin(org("org_type", period),
                                            ENTERPRISES + [OrgType.individual_business.index]))


def _applied_within_year(org, period, parameters):
    years = parameters(at(org, period)).heping.c15.application_years
    registered = org("registration_date", period)
    applied = org("heping_15_application_date", period)
    return (registered <= applied) & (applied <= add_years(registered, int(years)))


heping_15_applied_within_one_year = condition(
    Organisation, "注册1年内申请", "heping/十五", _applied_within_year,
    doc="申请日期不早于登记注册日期，且不晚于注册满1年的对应日（含）。")


heping_15_rents_house = condition(
    Organisation, "租赁房屋", "heping/十五",
    lambda org, period, parameters: org("heping_15_premises", period) == Premises.house)

heping_15_rents_workstation = condition(
    Organisation, "租赁工位", "heping/十五",
    lambda org, period, parameters: org("heping_15_premises", period) == Premises.workstation)


def _rent(kind):
    def function(org, period, parameters):
        p = heping_parameters(org, period).c15
        scale = getattr(p, kind)
        jobs = org("heping_jobs_created", period)
        unknown = np.isnan(jobs)
        steps = np.floor(np.where(unknown, 0.0, np.maximum(jobs, 0.0)) / p.jobs_per_step)
        amount = np.where(unknown, scale.max, np.minimum(scale.base + scale.increment * steps, scale.max))
        registered = as_days(org("registration_date", period))
        lease = as_days(org("heping_15_lease_start_date", period))
        start = np.where(lease >= NEVER, registered, np.maximum(lease, registered))
        months = int(round(12 * p.max_years))
        last = np.minimum(add_months(start, months) - DAY, as_days(org("heping_15_lease_end_date", period)))
        inst = monthly(start, last, months, amount)
        inst.ceiling[:] = unknown[:, None]
        return inst
    return function


installments("heping/十五/house")(_rent("house"))
installments("heping/十五/workstation")(_rent("workstation"))


# =================================================================================================
# （十六） 支持创业孵化载体建设
# =================================================================================================
heping_16_incubator = fact(Organisation, bool, "经认定的创业孵化基地", reference="heping/十六")
heping_16_recognition_date = fact(
    Organisation, date, "认定为创业孵化基地的日期", default=NOT_GIVEN, reference="heping/十六")
heping_16_assessed_construction_subsidy = fact(
    Organisation, float, "按规定核定的建设费补贴（元，上浮前）", reference="heping/十六", unit="currency-CNY",
    optional=True,
    doc="The construction subsidy assessed under the city's rules before the cap and the uplift; not given = "
        "the cap is shown as a ceiling.")
heping_16_student_incubatee_share = fact(
    Organisation, float, "大学生创办的在孵企业占在孵企业的比例", reference="heping/十六", unit="/1")
heping_16_incubatee_entry_date = fact(
    Person, date, "所创办企业新增入孵（在本基地孵化）的日期", default=NOT_GIVEN, reference="heping/十六")
heping_16_incubatee_operating = fact(Person, bool, "所创办的孵化企业正常生产经营", reference="heping/十六")
heping_16_incubatee_jobs = fact(
    Person, float, "所创办的孵化企业带动就业人数", reference="heping/十六", unit="person")
heping_16_jobs_year = fact(Person, int, "统计新增带动就业人数的年度", reference="heping/十六")
heping_16_new_jobs_in_year = fact(
    Person, float, "所创办的在孵企业该年度新增带动就业人数", reference="heping/十六", unit="person")

heping_16_recognised = condition(
    Organisation, "创业孵化基地", "heping/十六",
    lambda org, period, parameters: org("heping_16_incubator", period))

heping_16_in_heping = condition(
    Organisation, "我区（基地的经营场所在和平区）", "heping/十六",
    lambda org, period, parameters: org("premises_district", period) == District.heping)


heping_16_incubatee_operating_condition = condition(
    Person, "孵化企业正常生产经营", "heping/十六",
    lambda person, period, parameters: person("heping_16_incubatee_operating", period))


def _operated_one_year(person, period, parameters):
    years = parameters(at(person, period)).heping.c16.operating_years
    entered = person("heping_16_incubatee_entry_date", period)
    return _by_assessment_day(person, add_months(entered, int(round(12 * years))) - DAY, period)


heping_16_operating_one_year = condition(
    Person, "生产经营满1年（自入孵之日起）", "heping/十六", _operated_one_year,
    doc="第一年在入孵日一年后对应日的前一日届满，届满之日不晚于评估之日。")


def _jobs_two(person, period, parameters):
    return person("heping_16_incubatee_jobs", period) >= parameters(at(person, period)).heping.c16.min_jobs


heping_16_jobs_two = condition(Person, "带动就业2人以上", "heping/十六", _jobs_two)


def _jobs_year_day(person, period, parameters):
    """The first day of the counted year on which this document is in force, or the year's first day
    (last day) when the document starts after (ends before) the year: in the window exactly when the
    year overlaps it."""
    year = asarray(person("heping_16_jobs_year", period), dtype=np.int64)
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    last = (year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - DAY
    opens, _ = document_window(person)
    return np.minimum(np.maximum(first, opens), last)


heping_16_jobs_year_day = date_variable(
    "heping_16_jobs_year_day", Person, "统计年度内本办法施行的第一日（统计年度与有效期重叠时在有效期内）", "heping/十六",
    _jobs_year_day)

heping_16_new_jobs = condition(
    Person, "在孵企业新增带动就业", "heping/十六",
    lambda person, period, parameters: person("heping_16_new_jobs_in_year", period) > 0)


@installments("heping/十六/construction")
def construction_subsidy(org, period, parameters):
    p = heping_parameters(org, period).c16
    assessed = org("heping_16_assessed_construction_subsidy", period)
    unknown = np.isnan(assessed)
    uplift = np.where(org("heping_16_student_incubatee_share", period) >= p.graduate_share, 1 + p.uplift, 1.0)
    base = np.where(unknown, p.construction_max, np.minimum(np.where(unknown, 0.0, assessed), p.construction_max))
    return Installments.stack([(org("heping_16_recognition_date", period), np.round(base * uplift, 2), unknown)])


@installments("heping/十六/incubation")
def incubation_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c16
    due = add_months(person("heping_16_incubatee_entry_date", period), int(round(12 * p.operating_years))) - DAY
    amount = p.incubation_subsidy / p.firms_per_subsidy
    return Installments.stack([(due, np.full(person.count, float(amount)))])


@installments("heping/十六/jobs")
def job_creation_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c16
    year = asarray(person("heping_16_jobs_year", period), dtype=np.int64)
    due = (year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - DAY      # 31 December of the year
    jobs = np.floor(np.nan_to_num(person("heping_16_new_jobs_in_year", period)))
    return Installments.stack([(due, p.jobs_subsidy * jobs)])


named(globals())
