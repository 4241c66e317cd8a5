"""Clauses 四, 七, 八 and 九: hiring, graduates, public-welfare posts, training of priority groups.

* 四 — an enterprise in the district hiring 本区户籍人员 or 对口帮扶地区脱贫人口 into stable employment:
  50 people or more in a year → 50000, then 25000 for each further full 25 people, at most 500000 a
  year; recognised as a city 就业扶贫爱心企业 → 1:1 matching of the city's funding (amount set by the city).
* 七 — an enterprise (incl. 民办非企) in the district giving filed employment/entrepreneurship services
  or skills training to 本区户籍大学生: at most 200 per person per day, at most 3 days.
* 八 — public-welfare posts for recognised 就业困难人员: the shortfall of the host (amount not set here);
  a property-service enterprise gets instead a fixed 55% of the urban minimum wage per person per
  month; the street's performance subsidy to the post holder, at most 3600 per person per year.
* 九 — a filed training provider, per trainee of the listed groups who obtains a certificate: 500
  (初级工、中级工), 1000 (高级工 and above), 300 (专项能力证书).
"""

from datetime import date

import numpy as np
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, Installments, condition, fact, installments, named, only_if
from jiuye.model.dates import DAY, add_months, as_days, period_last_day
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel
from jiuye.model.facts.places import District
from jiuye.model.partial import asarray

from jiuye.model.schedules import first_month_completing_on_or_after, month_index, parameter_history, parameter_on

from .common import HIGH_SKILL_LEVELS, NOT_GIVEN, doc_params, effective_date, happened, system_params, year_end, year_in_force

# Clause 八 sets no maximum duration for the monthly subsidies: installments are listed up to the last
# day of the 12th calendar month after the assessment month (a listing horizon, not a legal limit).
LISTING_HORIZON_MONTHS = 12


# =================================================================================================
# （四）鼓励企业积极吸纳就业
# =================================================================================================
binjiang_4_year = fact(
    Organisation, int, "招用并稳定就业人数所属年度（奖补年度）", reference="binjiang/四", unit="year")
binjiang_stably_employed = fact(
    Person, bool, "在本企业稳定就业（按区人力社保局认定的稳定就业标准）", reference="binjiang/四",
    doc="本文件未定义“稳定就业”，按区人力社保局实施办法（附则）认定。")
binjiang_4_city_poverty_alleviation_enterprise = fact(
    Organisation, bool, "被认定为市级就业扶贫爱心企业", reference="binjiang/四")
binjiang_4_recognition_date = fact(
    Organisation, date, "市级就业扶贫爱心企业认定日期", default=NOT_GIVEN, reference="binjiang/四")
binjiang_4_city_funding = fact(
    Organisation, float, "按市级政策给予的就业扶贫爱心企业资助金额（元）", reference="binjiang/四", unit="currency-CNY",
    optional=True, doc="未填写时1:1配套金额待定（由市级政策确定）。")

binjiang_4_counted_person = condition(
    Person, "本区户籍人员或对口帮扶地区脱贫人口", "binjiang/四",
    lambda person, period, parameters: (person("hukou_district", period) == District.binjiang)
    | (person("binjiang_lifted_from_poverty", period) & person("binjiang_from_paired_assistance_area", period)))


def _hired_in_year(person, period, parameters):
    hired = person("contract_start_date", period).astype("datetime64[Y]").astype(np.int64) + 1970
    return hired == person.organisation("binjiang_4_year", period)


binjiang_4_hired_in_year = condition(
    Person, "在奖补年度内招用（劳动合同起始日在该年度）", "binjiang/四", _hired_in_year)


class binjiang_4_stable_hires(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "奖补年度内招用并稳定就业的本区户籍人员、对口帮扶地区脱贫人口人数"
    reference = "binjiang/四"
    documentation = "实际企业可直接填写人数（填写值优先于推算）；否则按该企业符合三项条件的职工逐人计数。"

    def formula(org, period, parameters):
        ok = (org.members("binjiang_4_counted_person", period) & org.members("binjiang_stably_employed", period)
              & org.members("binjiang_4_hired_in_year", period))
        return org.sum(ok, role=Organisation.EMPLOYEE)


binjiang_4_year_in_force = condition(
    Organisation, "每年（奖补年度已给出，且在本意见施行之后结束）", "binjiang/四",
    lambda org, period, parameters: year_in_force(org("binjiang_4_year", period), period, parameters))

binjiang_4_at_least_50 = condition(
    Organisation, "招用并稳定就业50人及以上", "binjiang/四",
    lambda org, period, parameters: org("binjiang_4_stable_hires", period)
    >= doc_params(parameters, period).c04.base_count,
    doc="“及以上”含本数：50人符合，49人不符合。")


def hiring_reward_amount(count, p) -> np.ndarray:
    """50 or more: 50000, plus 25000 for each further full 25 people (the 500000 a year cap is the
    catalogue's `cap:` of binjiang/四/hiring)."""
    count = asarray(count)
    steps = np.floor_divide(np.maximum(count - p.base_count, 0), p.step_count)
    return np.where(count >= p.base_count, p.base_amount + steps * p.step_amount, 0.0)


@installments("binjiang/四/hiring")
def hiring_reward(org, period, parameters):
    p = system_params(org, period).c04
    year = org("binjiang_4_year", period)
    amount = hiring_reward_amount(org("binjiang_4_stable_hires", period), p)
    return Installments.stack([(only_if(year > 0, year_end(year)), amount)])


binjiang_4_recognition_dated = condition(
    Organisation, "认定日期在本意见施行之后、评估日或之前", "binjiang/四",
    lambda org, period, parameters: happened(org, org("binjiang_4_recognition_date", period), period, parameters))


@installments("binjiang/四/poverty_alleviation_match")
def poverty_alleviation_match(org, period, parameters):
    ratio = system_params(org, period).c04.match_ratio
    funding = org("binjiang_4_city_funding", period)        # NaN when not given: amount set elsewhere
    return Installments.stack([(org("binjiang_4_recognition_date", period), ratio * funding)])


# =================================================================================================
# （七）持续促进高校毕业生就业
# =================================================================================================
binjiang_7_activity_filed = fact(
    Organisation, bool, "为本区户籍大学生提供的就业创业服务或职业技能培训经人力社保部门备案", reference="binjiang/七")
binjiang_7_daily_cost = fact(
    Organisation, float, "服务或培训的实际费用（元/人/天）", reference="binjiang/七", unit="currency-CNY",
    optional=True, doc="未填写时按200元/人/天作为上限列示（最高）。")
binjiang_7_days = fact(
    Person, int, "参加该单位组织的就业创业服务或职业技能培训的天数", reference="binjiang/七", unit="day")

binjiang_7_participated = condition(
    Person, "参加该单位提供的就业创业服务或职业技能培训（至少1天）", "binjiang/七",
    lambda person, period, parameters: person("binjiang_7_days", period) >= 1)
binjiang_7_ended = condition(
    Person, "服务或培训结束日期在本意见施行之后、评估日或之前", "binjiang/七",
    lambda person, period, parameters: happened(person, person("training_end_date", period), period, parameters))


@installments("binjiang/七/training")
def graduate_training_subsidy(person, period, parameters):
    p = system_params(person, period).c07
    cost = person.organisation("binjiang_7_daily_cost", period)
    known = ~np.isnan(cost)
    rate = np.where(known, np.minimum(cost, p.daily_rate), p.daily_rate)
    days = np.minimum(person("binjiang_7_days", period), p.max_days)
    return Installments.stack([(person("training_end_date", period), np.round(rate * days, 2), ~known)])


# =================================================================================================
# （八）加强就业困难人员兜底帮扶
# =================================================================================================
binjiang_8_public_welfare_post = fact(
    Person, bool, "在公益性岗位上岗（由所在单位承接的公益性岗位）", reference="binjiang/八")
binjiang_property_service_enterprise = fact(
    Organisation, bool, "物业服务企业", reference="binjiang/八")
binjiang_8_performance_year = fact(
    Person, int, "绩效补贴所属年度", reference="binjiang/八", unit="year")
binjiang_8_performance_amount = fact(
    Person, float, "街道根据实际工作情况核定的绩效补贴（元）", reference="binjiang/八", unit="currency-CNY",
    optional=True, doc="未填写时以3600元作为上限列示（最高）。")

# A shared fact (no clause of its own) read with this clause's words and citation.
binjiang_8_hard_to_employ = condition(
    Person, "经认定的就业困难人员", "binjiang/八",
    lambda person, period, parameters: person("hard_to_employ", period))
binjiang_8_year_in_force = condition(
    Person, "每年（绩效补贴所属年度已给出，且在本意见施行之后结束）", "binjiang/八",
    lambda person, period, parameters: year_in_force(person("binjiang_8_performance_year", period), period, parameters))


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
    amount = person("binjiang_8_performance_amount", period)
    known = ~np.isnan(amount)
    return Installments.stack([(only_if(year > 0, year_end(year)), np.where(known, np.minimum(amount, cap), cap),
                                ~known)])


# =================================================================================================
# （九）提升重点群体就业能力
# =================================================================================================
binjiang_9_filed_provider = fact(
    Organisation, bool, "经人力社保部门备案的职业培训机构、技能大师工作室等", reference="binjiang/九")
binjiang_special_skill_certificate_date = fact(
    Person, date, "专项能力证书取得日期（未取得则不填）", default=NOT_GIVEN, reference="binjiang/九", optional=True,
    doc="未填写即未取得专项能力证书。")

binjiang_9_district_unemployed = condition(
    Person, "区内失业人员", "binjiang/九",
    lambda person, period, parameters: person("registered_unemployed", period)
    & (person("unemployment_registration_district", period) == District.binjiang),
    doc="在滨江区办理失业登记的失业人员，按参加培训时的状态。")


# Shared facts (no clause of their own) read with this clause's words and citation.
binjiang_9_flexibly_employed = condition(
    Person, "灵活就业人员", "binjiang/九",
    lambda person, period, parameters: person("flexibly_employed", period))
binjiang_9_veteran = condition(
    Person, "转业复退军人", "binjiang/九",
    lambda person, period, parameters: person("veteran", period))


def _after_training(dates, person, period, parameters):
    return happened(person, dates, period, parameters) & (as_days(dates) >= person("binjiang_training_start_date", period))


binjiang_9_level_certificate = condition(
    Person, "取得初级工及以上职业技能等级认定证书", "binjiang/九",
    lambda person, period, parameters: person("skill_certificate_level", period) != SkillLevel.none)
binjiang_9_level_certificate_dated = condition(
    Person, "参加培训后取得（取证日期不早于培训开始日期和本意见施行之日，在评估日或之前）", "binjiang/九",
    lambda person, period, parameters: _after_training(person("skill_certificate_date", period), person, period,
                                                       parameters))
binjiang_9_special_certificate = condition(
    Person, "参加培训后取得专项能力证书", "binjiang/九",
    lambda person, period, parameters: _after_training(person("binjiang_special_skill_certificate_date", period),
                                                       person, period, parameters),
    doc="取证日期不早于培训开始日期和本意见施行之日，且在评估日或之前；未给出取证日期即未取得。")


@installments("binjiang/九/level_certificate")
def level_certificate_subsidy(person, period, parameters):
    """初级工、中级工 500; 高级工 and above 1000."""
    p = system_params(person, period).c09.certificate_subsidy
    level = person("skill_certificate_level", period)
    amount = np.where(np.isin(level, HIGH_SKILL_LEVELS), p.senior_or_above, p.junior_or_intermediate)
    return Installments.stack([(person("skill_certificate_date", period), amount)])


@installments("binjiang/九/special_certificate")
def special_certificate_subsidy(person, period, parameters):
    amount = system_params(person, period).c09.certificate_subsidy.special_skill
    return Installments.stack([(person("binjiang_special_skill_certificate_date", period), amount)])


named(globals())
