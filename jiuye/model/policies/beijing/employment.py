"""Clauses 2, 4, 10 and 12: subsidies the document names without setting their amounts (NaN here).

* 2 — 岗位补贴 for the temporary epidemic-control posts (核酸检测、保洁、消杀、转运、配送、秩序维护等).
* 4 — 灵活就业社会保险补贴 for flexible workers who meet the city's conditions.
* 10 — the policy encouraging employers to hire and insure 本市农村劳动力.
* 12 — 岗位补贴 and 社会保险补贴 for employers hiring 失业人员 / 城乡就业困难人员; 灵活就业社会保险补贴
  for 本市登记失业人员 in flexible employment; 社会公益性就业组织岗位补贴 for 托底安置.
"""

from jiuye.model.base import assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.places import City

from .common import document_from, in_beijing, in_clause_words, referenced_once, schedule_variables

# --- facts --------------------------------------------------------------------------------------------
beijing_epidemic_temporary_post = fact(
    Person, bool, "在疫情防控一线临时性岗位（核酸检测、保洁、消杀、转运、配送、秩序维护等）工作", reference="beijing/2")
beijing_meets_epidemic_post_subsidy_conditions = fact(
    Person, bool, "符合本市疫情防控临时性岗位岗位补贴条件", reference="beijing/2")
beijing_meets_rural_hiring_conditions = fact(
    Person, bool, "符合促进本市农村劳动力就业参保若干措施（鼓励用人单位招用本市农村劳动力）的条件", reference="beijing/10")
beijing_meets_hiring_subsidy_conditions = fact(
    Person, bool, "符合本市岗位补贴和社会保险补贴条件（用人单位招用失业人员、城乡就业困难人员）", reference="beijing/12")
beijing_last_resort_placement = fact(
    Person, bool, "通过市场渠道难以就业且符合托底安置条件", reference="beijing/12")


def _hire_date(person, period):
    return person("contract_start_date", period)


# --- clause 2 -----------------------------------------------------------------------------------------
def _temporary_post(person, period, parameters):
    started = _hire_date(person, period) <= assessment_day(person, period)
    return person("beijing_epidemic_temporary_post", period) & person.has_role(Organisation.EMPLOYEE) & started


beijing_2_temporary_post = condition(
    Person, "在疫情防控一线急需的核酸检测、保洁、消杀、转运、配送、秩序维护等临时性岗位就业（上岗日期即劳动（用工）合同起始日不晚于评估之日）",
    "beijing/2", _temporary_post)


@installments("beijing/2")
def epidemic_post_subsidy(person, period, parameters):
    return referenced_once(_hire_date(person, period), document_from(person))


# --- clause 4 -----------------------------------------------------------------------------------------
@installments("beijing/4")
def flexible_si_subsidy(person, period, parameters):
    return referenced_once(person("beijing_flexible_employment_start_date", period), document_from(person))


# --- clause 10 ----------------------------------------------------------------------------------------
beijing_10_insured = in_clause_words("social_insurance_paid", "就业参保（参加城镇职工保险）", "beijing/10")

beijing_10_city_rural_labour = condition(
    Person, "本市农村劳动力（农村劳动力，户籍在本市）", "beijing/10",
    lambda person, period, parameters: (person("rural_labour", period)
                                        & (person("hukou_city", period) == City.beijing)))


@installments("beijing/10")
def rural_hiring_subsidy(person, period, parameters):
    return referenced_once(_hire_date(person, period), document_from(person))


# --- clause 12 ----------------------------------------------------------------------------------------
beijing_12_unemployed = in_clause_words(
    "registered_unemployed_at_hire", "失业人员（签订劳动合同时为登记失业人员）", "beijing/12")
beijing_12_hard_to_employ = in_clause_words("hard_to_employ", "城乡就业困难人员（经认定的就业困难人员）", "beijing/12")

beijing_12_city_registered_unemployed = condition(
    Person, "本市登记失业人员（在本市办理失业登记）", "beijing/12",
    lambda person, period, parameters: in_beijing(person("unemployment_registration_district", period)))

beijing_12_public_welfare_org = condition(
    Organisation, "社会公益性就业组织", "beijing/12",
    lambda org, period, parameters: org("org_type", period) == OrgType.public_welfare_employment_org)


@installments("beijing/12/post_subsidy")
def hiring_post_subsidy(person, period, parameters):
    return referenced_once(_hire_date(person, period), document_from(person))


@installments("beijing/12/social_insurance")
def hiring_si_subsidy(person, period, parameters):
    return referenced_once(_hire_date(person, period), document_from(person))


@installments("beijing/12/flexible")
def unemployed_flexible_si_subsidy(person, period, parameters):
    return referenced_once(person("beijing_flexible_employment_start_date", period), document_from(person))


@installments("beijing/12/public_welfare")
def public_welfare_post_subsidy(person, period, parameters):
    return referenced_once(_hire_date(person, period), document_from(person))


# --- schedules (listing dates; amounts set by the city) --------------------------------------------
beijing_2_installment_count, beijing_2_last_due, beijing_2_amount_referenced = schedule_variables(
    "beijing/2", "beijing_2", Person, "岗位补贴（疫情防控一线临时性岗位）", "beijing/2")
beijing_4_installment_count, beijing_4_last_due, beijing_4_amount_referenced = schedule_variables(
    "beijing/4", "beijing_4", Person, "灵活就业社会保险补贴", "beijing/4")
beijing_10_installment_count, beijing_10_last_due, beijing_10_amount_referenced = schedule_variables(
    "beijing/10", "beijing_10", Person, "鼓励用人单位招用本市农村劳动力相关政策", "beijing/10")
(beijing_12_post_subsidy_installment_count, beijing_12_post_subsidy_last_due,
 beijing_12_post_subsidy_amount_referenced) = schedule_variables(
    "beijing/12/post_subsidy", "beijing_12_post_subsidy", Person, "岗位补贴（招用失业人员、城乡就业困难人员）", "beijing/12")
(beijing_12_social_insurance_installment_count, beijing_12_social_insurance_last_due,
 beijing_12_social_insurance_amount_referenced) = schedule_variables(
    "beijing/12/social_insurance", "beijing_12_social_insurance", Person,
    "社会保险补贴（招用失业人员、城乡就业困难人员）", "beijing/12")
(beijing_12_flexible_installment_count, beijing_12_flexible_last_due,
 beijing_12_flexible_amount_referenced) = schedule_variables(
    "beijing/12/flexible", "beijing_12_flexible", Person, "灵活就业社会保险补贴（本市登记失业人员）", "beijing/12")
(beijing_12_public_welfare_installment_count, beijing_12_public_welfare_last_due,
 beijing_12_public_welfare_amount_referenced) = schedule_variables(
    "beijing/12/public_welfare", "beijing_12_public_welfare", Person, "社会公益性就业组织岗位补贴", "beijing/12")


named(globals())
