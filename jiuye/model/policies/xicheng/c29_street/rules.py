"""Clause 29 (加强就业工作督查考核): 促进就业经费 of at most 50万 / 30万 / 10万 for a street assessed 成绩突出 /
优秀 / 较好; the requested amount up to the cap, the cap (a ceiling) when none is given.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.places import District
from jiuye.model.declared import declare

declare(globals())


def _street(org, period, parameters):
    return (org("org_type", period) == OrgType.street) & (org("registration_district", period) == District.xicheng)


@installments("xicheng/29")
def employment_promotion_fund(org, period, parameters):
    p = parameters.xicheng.c29
    result = org("xicheng_29_assessment_result", period)
    cap = np.select([result == StreetAssessment.outstanding, result == StreetAssessment.excellent,
                     result == StreetAssessment.good], [p.cap_outstanding, p.cap_excellent, p.cap_good], 0.0)
    requested = org("xicheng_29_requested_amount", period)
    unknown = np.isnan(requested)
    amount = np.where(unknown, cap, np.minimum(np.where(unknown, 0.0, requested), cap))
    return Installments.stack([(org("xicheng_29_assessment_date", period), amount, unknown)])


named(globals())
