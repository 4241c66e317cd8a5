"""Theme 二是 (完善公共就业服务体系): the 经营性人力资源服务机构 help plan.

For 有就业意愿 失业人员 and 青年群体 served by the (Haidian) 公共就业服务机构, who through that public
service "仍无法实现就业超过一个月以上", a 经营性人力资源服务机构 draws up a 帮扶计划 and provides
employment services. A service: no money is paid to the person.

"超过一个月以上" joins 超过 (excludes the number) and 以上 (includes it). Reading chosen: 超过, the
operative word — the month from the day the public service began must have fully elapsed: from
2026-04-01 the month completes on 2026-04-30 and is exceeded from 2026-05-01.
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, named
from jiuye.model.dates import NEVER, add_months
from jiuye.model.facts.places import District
from jiuye.model.declared import declare

declare(globals())


def _unemployed(person, period, parameters):
    return (person("registered_unemployed", period)
        & (person("unemployment_registration_district", period) == District.haidian))


def _public_service(person, period, parameters):
    return (person("haidian_public_service_start_date", period).astype("datetime64[D]")
        <= assessment_day(person, period))

def _still_not_employed(person, period, parameters):
    return ~person("employed", period) & ~person("flexibly_employed", period)


def _over_one_month(person, period, parameters):
    months = parameters(period).haidian.c2.unemployed_months
    start = person("haidian_public_service_start_date", period)
    # 超过: the month completes on add_months(start, 1) − 1 day; exceeded from add_months(start, 1)
    return add_months(start, int(months)) <= assessment_day(person, period)


@installments("haidian/二是/agency_plan")
def agency_help_plan(person, period, parameters):
    """A service: no money."""
    return Installments.stack([(np.full(person.count, NEVER), np.zeros(person.count))])


named(globals())
