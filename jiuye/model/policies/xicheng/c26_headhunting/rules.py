"""Clause 26 (支持经营性人力资源服务机构引进高精尖人才): 10% of the headhunting fee to the agency and 10% to
the employer, for a post of 60万元 a year or more. One organisation record describes one engagement.
"""

from datetime import date

from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation
from jiuye.model.facts.places import District

from ..common import in_district


xicheng_26_provided_headhunting = fact(
    Organisation, bool, "提供高级人才寻访服务并成功推荐高级人才（人力资源服务机构一方）", reference="xicheng/26",
    doc="一个机构记录描述一次寻访服务。")
xicheng_26_recruited_via_headhunting = fact(
    Organisation, bool, "接受高级人才寻访服务并经成功推荐引进高级人才（用人单位一方）", reference="xicheng/26",
    doc="一个用人单位记录描述一次寻访服务。")
xicheng_26_placement_date = fact(
    Organisation, date, "成功推荐日期（高级人才到岗之日）", reference="xicheng/26")
xicheng_26_post_annual_salary = fact(
    Organisation, float, "高级人才岗位年薪（元）", reference="xicheng/26", unit="currency-CNY")
xicheng_26_service_fee = fact(
    Organisation, float, "高级人才寻访服务费用（元）", reference="xicheng/26", unit="currency-CNY",
    doc="用人单位向人力资源服务机构支付的该次寻访服务费用。未提供时金额待定（不是0）。")
xicheng_26_client_tax_district = fact(
    Organisation, Enum, "服务对象（用人单位）纳税所在区", possible_values=District, reference="xicheng/26",
    doc="人力资源服务机构一方填写。")
xicheng_26_client_is_employer_unit = fact(
    Organisation, bool, "服务对象为用人单位（北京市行政区域内的企业、民办非企业单位，不含社会公益性就业组织）",
    reference="xicheng/26", doc="人力资源服务机构一方填写。")
xicheng_26_agency_is_xicheng_hr_agency = fact(
    Organisation, bool, "提供寻访服务的机构为本区经营性人力资源服务机构", reference="xicheng/26",
    doc="用人单位一方填写：该机构在西城区取得许可或备案资质、依法纳税、且正常开展经营活动。")

xicheng_26_recommended_by_now = condition(
    Organisation, "成功推荐（高级人才到岗）之日在评估之日或之前", "xicheng/26",
    lambda org, period, parameters: org("xicheng_26_placement_date", period) <= assessment_day(org, period),
    doc="单列为一项条件：未成功推荐时不必给出日期即可判定不符合。机构和用人单位两方共用。")


def _salary(org, period, parameters):
    threshold = parameters(period).xicheng.c26.salary_threshold
    return org("xicheng_26_post_annual_salary", period) >= threshold


xicheng_26_salary_600k_or_more = condition(
    Organisation, "高级人才岗位年薪60万元以上", "xicheng/26", _salary,
    doc="60万元以上含60万元（年薪600000元符合，599999.99元不符合）。")
xicheng_26_client_pays_tax_in_xicheng = condition(
    Organisation, "服务对象在本区纳税", "xicheng/26", in_district("xicheng_26_client_tax_district"))
xicheng_26_employer_pays_tax_in_xicheng = condition(
    Organisation, "在本区纳税的用人单位", "xicheng/26", in_district("tax_district"))


def _share_of_fee(org, period, rate) -> Installments:
    """`rate` × the service fee, due on the day of the successful recommendation. An unknown fee
    (NaN) stays NaN: the result is eligible with its amount unknown."""
    fee = org("xicheng_26_service_fee", period)
    return Installments.stack([(org("xicheng_26_placement_date", period), fee * rate)])


@installments("xicheng/26/agency")
def talent_service_reward(org, period, parameters):
    return _share_of_fee(org, period, parameters.xicheng.c26.agency_rate)


@installments("xicheng/26/employer")
def talent_recruitment_subsidy(org, period, parameters):
    return _share_of_fee(org, period, parameters.xicheng.c26.employer_rate)


named(globals())
