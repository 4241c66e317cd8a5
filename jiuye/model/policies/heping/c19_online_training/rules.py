"""heping （十九） 大力推进职业技能提升行动: 600 per employee trained online, to the enterprise.
"""

import numpy as np

from jiuye.model.base import condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import District

from ..common import ENTERPRISES, one_off


# =================================================================================================
# （十九） 线上职业技能培训补贴
# =================================================================================================
heping_19_online_training = fact(
    Person, bool, "参加本企业以线上方式开展的职业技能培训并完成", reference="heping/十九",
    doc="本人是该企业的职工；培训结束日期填在“培训结束日期”。")

heping_19_enterprise = condition(
    Organisation, "企业", "heping/十九",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISES),
    doc="有限责任公司、股份有限公司、其他企业（合伙企业、个人独资企业等）。")

heping_19_enterprise_in_heping = condition(
    Organisation, "企业在本区（注册地在和平区）", "heping/十九",
    lambda org, period, parameters: org("registration_district", period) == District.heping)


@installments("heping/十九/online_training")
def online_training_subsidy(person, period, parameters):
    return one_off(person("training_end_date", period), parameters.heping.c19.online_training_subsidy)


named(globals())
