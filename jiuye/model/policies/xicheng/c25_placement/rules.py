"""Clause 25 (鼓励经营性人力资源服务机构参与公共就业服务): 1000 per Xicheng-hukou registered unemployed person
an agency places into stable employment of 6 months or more (职业介绍补贴).
"""

from datetime import date

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation

from ..common import completed_on


xicheng_25_joined_public_welfare_job_fair = fact(
    Organisation, bool, "参与公益性招聘会", reference="xicheng/25")
xicheng_25_served_priority_groups = fact(
    Organisation, bool, "为重点群体提供就业服务", reference="xicheng/25")
xicheng_25_placements = fact(
    Organisation, int, "成功推荐本区户籍的登记失业人员实现稳定就业的人数", reference="xicheng/25",
    unit="person",
    doc="本次申请（一个批次）中，经本机构成功推荐、实现稳定就业的本区户籍登记失业人员人数。"
        "“实现稳定就业”按第6条：一年及以上期限劳动合同、按规定缴纳职工社会保险、按月足额发放不低于"
        "本市最低工资标准1.2倍的工资。")
xicheng_25_employment_start_date = fact(
    Organisation, date, "被推荐人员实现稳定就业的起始日期（本批最晚一人）", reference="xicheng/25",
    doc="本批被推荐人员中最晚一人劳动合同起始（实现稳定就业）之日；满6个月之日起本批全部人员均可申请。")

xicheng_25_placed_registered_unemployed = condition(
    Organisation, "成功推荐本区户籍的登记失业人员实现稳定就业", "xicheng/25",
    lambda org, period, parameters: org("xicheng_25_placements", period) >= 1)


def _six_months(org, period, parameters):
    months = parameters(period).xicheng.c25.min_months
    completed = completed_on(org("xicheng_25_employment_start_date", period), months)
    return completed <= assessment_day(org, period)


xicheng_25_stable_six_months = condition(
    Organisation, "实现稳定就业6个月以上", "xicheng/25", _six_months,
    doc="6个月以上含6个月：自稳定就业起始日起满6个月（对应日的前一日届满）在评估之日或之前。")


@installments("xicheng/25")
def placement_subsidy(org, period, parameters):
    p = parameters.xicheng.c25
    count = org("xicheng_25_placements", period)
    due = completed_on(org("xicheng_25_employment_start_date", period), p.min_months)
    return Installments.stack([(due, count * p.amount_per_person)])


named(globals())
