"""Clause 16 (建设高质量创业服务载体): a one-off 30000 运作补贴 to a Xicheng 创业服务载体 recognised as
创业孵化示范基地, due on the recognition date.
"""

import numpy as np

from jiuye.model.base import Installments, condition, installments, named
from jiuye.model.entities import Organisation
from jiuye.model.declared import declare

from ..common import in_district

declare(globals())


xicheng_16_carrier_in_district = condition(
    Organisation, "本区（载体的经营场所在本区）", "xicheng/16", in_district("premises_district"))


@installments("xicheng/16")
def demonstration_base_subsidy(org, period, parameters):
    p = parameters.xicheng.c16
    return Installments.stack([(org("xicheng_16_recognition_date", period), np.full(org.count, p.operating_subsidy))])


named(globals())
