"""heping （一） 落实援企稳岗政策: 稳岗返还 (50% of last year's unemployment-insurance contributions) and 提升补贴
(1000 / 1500 / 2000 for an employee obtaining a 学历 / 职称 / 技能证书).
"""

from datetime import date

import numpy as np

from jiuye.model.base import NOT_GIVEN, Installments, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel

from ..common import ENTERPRISES, at, heping_parameters


# =================================================================================================
# （一） 落实援企稳岗政策
# =================================================================================================
heping_ui_contribution_months = fact(
    Organisation, int, "依法缴纳失业保险费的月数（至申请稳岗返还时）", reference="heping/一", unit="month")
heping_layoff_rate = fact(
    Organisation, float, "上年度裁员率（裁员人数占上年初参保职工人数的比例，不裁员为0）", reference="heping/一", unit="/1")
heping_city_unemployment_target = fact(
    Organisation, float, "我市调查失业率控制目标（申请年度，比例，如5.5%记0.055）", reference="heping/一", unit="/1",
    doc="申请年度我市调查失业率控制目标；本文件只提及该目标、未写明数值，由个案填写。")
heping_insured_employee_count = fact(
    Organisation, int, "参保职工人数", reference="heping/一", unit="person")
heping_prior_year_ui_contributions = fact(
    Organisation, float, "上年度企业与职工实际缴纳的失业保险费（元）", reference="heping/一", unit="currency-CNY")
heping_refund_application_date = fact(
    Organisation, date, "申请稳岗返还的日期", default=NOT_GIVEN, reference="heping/一")

heping_1_enterprise = condition(
    Organisation, "企业", "heping/一",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISES),
    doc="有限责任公司、股份有限公司、其他企业；个体工商户、民办非企业单位不是企业。")


def _insured_12_months(org, period, parameters):
    minimum = parameters(at(org, period)).heping.c01.min_insured_months
    return org("heping_ui_contribution_months", period) >= minimum


heping_1_insured_12_months = condition(
    Organisation, "依法缴纳失业保险费满12个月", "heping/一", _insured_12_months)

heping_1_no_layoffs = condition(
    Organisation, "不裁员", "heping/一",
    lambda org, period, parameters: org("heping_layoff_rate", period) == 0)

heping_1_below_city_target = condition(
    Organisation, "裁员率低于我市调查失业率控制目标", "heping/一",
    lambda org, period, parameters: org("heping_layoff_rate", period) < org("heping_city_unemployment_target", period))


def _small_firm(org, period, parameters):
    maximum = parameters(at(org, period)).heping.c01.small_firm_max_insured
    return org("heping_insured_employee_count", period) <= maximum


heping_1_small_firm = condition(
    Organisation, "参保职工30人及以下的小微企业", "heping/一", _small_firm,
    doc="参保职工人数不超过30人（含30人）。")


def _within_relaxed_rate(org, period, parameters):
    limit = parameters(at(org, period)).heping.c01.small_firm_layoff_rate
    return org("heping_layoff_rate", period) <= limit


heping_1_layoff_rate_within_20 = condition(
    Organisation, "裁员率放宽至20%（不超过20%）", "heping/一", _within_relaxed_rate)


@installments("heping/一/refund")
def job_retention_refund(org, period, parameters):
    p = heping_parameters(org, period).c01
    amount = np.round(p.refund_share * org("heping_prior_year_ui_contributions", period), 2)
    return Installments.stack([(org("heping_refund_application_date", period), amount)])


# --- 提升补贴 ------------------------------------------------------------------------------------------


heping_1_skill_certificate = condition(
    Person, "取得技能证书（职业资格证书或职业技能等级证书）", "heping/一",
    lambda person, period, parameters: person("skill_certificate_level", period) != SkillLevel.none)

def _upgrade(kind: str, date_name: str):
    def function(person, period, parameters):
        amount = getattr(heping_parameters(person, period).c01.upgrade_subsidy, kind)
        return Installments.stack([(person(date_name, period), np.full(person.count, float(amount)))])
    return function


installments("heping/一/education")(_upgrade("education", "heping_education_upgrade_date"))
installments("heping/一/title")(_upgrade("title", "heping_professional_title_date"))
installments("heping/一/skill")(_upgrade("skill", "skill_certificate_date"))

heping_1_in_service = condition(
    Person, "在职职工", "heping/一",
    lambda person, period, parameters: person("employed", period),
    doc="与单位建立劳动关系的在职职工（单位须在本区参保，见另一条件）。")

named(globals())
