"""(七)强化技能培训稳就业 — clauses 23, 24 and 25: training subsidies whose amounts the city sets
(by 产业急需程度、职业类型、培养等级、实施效果 / 培训项目、技能等级和实施效果): NaN here.

* 23 — 企业新型学徒培训: a subsidy to the 本市参保企业 for each apprentice (新招用或转岗的技能岗位人员).
* 24 — 培训补贴 to the institution undertaking free 就业技能培训 for 失业人员、农村转移就业劳动力、高校毕业生等.
* 25 — 技能提升补贴 to a person insured in Beijing for a year or more (or receiving Beijing 失业保险金) who
  obtains a 初级工/中级工/高级工 certificate.
"""

import numpy as np

from jiuye.model.base import assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel, TrainingType

from .common import city_parameters, document_from, in_beijing, in_clause_words, referenced_once, schedule_variables

# --- facts --------------------------------------------------------------------------------------------
beijing_skill_post_new_or_transferred = fact(
    Person, bool, "技能岗位新招用和转岗人员（本企业技能岗位新招用或转岗）", reference="beijing/23")
beijing_new_apprenticeship = fact(
    Person, bool, "参加企业新型学徒培训（招工即招生、入企即入校、企校双师联合培养）", reference="beijing/23")
beijing_training_task_institution = fact(
    Organisation, bool, "承担任务的机构（承担本市重点群体免费就业技能培训任务）", reference="beijing/24")
beijing_ui_contribution_months = fact(
    Person, int, "在本市累计缴纳失业保险的月数（截至取得证书之日）", reference="beijing/25", unit="month")


def _training_ended(person, period):
    return person("training_end_date", period) <= assessment_day(person, period)


# --- clause 23 ----------------------------------------------------------------------------------------
beijing_23_apprenticeship = condition(
    Person, "开展企业新型学徒培训（培训已结束，按实施效果给予补贴）", "beijing/23",
    lambda person, period, parameters: person("beijing_new_apprenticeship", period) & _training_ended(person, period))


@installments("beijing/23")
def apprenticeship_subsidy(person, period, parameters):
    return referenced_once(person("training_end_date", period), document_from(person))


# --- clause 24 ----------------------------------------------------------------------------------------
beijing_24_unemployed = in_clause_words("registered_unemployed", "失业人员（登记失业人员）", "beijing/24")
beijing_24_rural_transfer = in_clause_words("rural_labour", "农村转移就业劳动力", "beijing/24")

beijing_24_skills_training = condition(
    Person, "参加免费就业技能培训（培训已结束）", "beijing/24",
    lambda person, period, parameters: ((person("training_type", period) == TrainingType.skills)
                                        & _training_ended(person, period)))


@installments("beijing/24")
def skills_training_subsidy(person, period, parameters):
    return referenced_once(person("training_end_date", period), document_from(person))


# --- clause 25 ----------------------------------------------------------------------------------------
CERTIFICATE_LEVELS = [SkillLevel[n].index for n in ("junior", "intermediate", "senior")]

beijing_25_employee = condition(
    Person, "企业职工（与所在单位签订劳动合同）", "beijing/25",
    lambda person, period, parameters: person.has_role(Organisation.EMPLOYEE))


def _insured_one_year(person, period, parameters):
    years = city_parameters(person, period).c25.min_unemployment_insurance_years
    return person("beijing_ui_contribution_months", period) >= 12 * years


beijing_25_ui_one_year = condition(
    Person, "在本市缴纳失业保险1年以上（累计12个月及以上）", "beijing/25", _insured_one_year)

beijing_25_city_ui_recipient = condition(
    Person, "本市领取失业保险金人员（在本市办理失业登记并领取失业保险金）", "beijing/25",
    lambda person, period, parameters: (person("receives_unemployment_insurance", period)
                                        & in_beijing(person("unemployment_registration_district", period))))


def _certificate(person, period, parameters):
    level = np.isin(person("skill_certificate_level", period), CERTIFICATE_LEVELS)
    return level & (person("skill_certificate_date", period) <= assessment_day(person, period))


beijing_25_certificate = condition(
    Person, "取得初级工、中级工、高级工国家职业资格证书或职业技能等级证书", "beijing/25", _certificate,
    doc="技师、高级技师证书不在本条所列等级之内。")


@installments("beijing/25")
def skill_upgrade_subsidy(person, period, parameters):
    return referenced_once(person("skill_certificate_date", period), document_from(person))


# --- schedules (listing dates; amounts set by the city) --------------------------------------------
beijing_23_installment_count, beijing_23_last_due, beijing_23_amount_referenced = schedule_variables(
    "beijing/23", "beijing_23", Person, "企业新型学徒培训补贴", "beijing/23")
beijing_24_installment_count, beijing_24_last_due, beijing_24_amount_referenced = schedule_variables(
    "beijing/24", "beijing_24", Person, "就业技能培训补贴（承担任务的机构）", "beijing/24")
beijing_25_installment_count, beijing_25_last_due, beijing_25_amount_referenced = schedule_variables(
    "beijing/25", "beijing_25", Person, "个人技能提升补贴", "beijing/25")


named(globals())
