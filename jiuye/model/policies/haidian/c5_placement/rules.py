"""Theme 五是 (鼓励人力资源机构参与公共就业服务): 职业介绍补贴 and the yearly 一次性补助.

* haidian/五是/placement — 经认定的经营性人力资源服务机构 giving free 职业介绍 to 海淀区户籍 城镇登记失业人员
  等重点群体 and helping them into 单位就业: 500 per person employed. One row per placed person: the
  person is a member (role `member`) of the agency; the date the person took up the job with a unit
  is the shared fact `contract_start_date` (the labour contract with that unit). Due on that date.
* haidian/五是/yearly — within one 自然年度 (calendar year) the persons so placed number 50 (含) or more:
  20000; 100 (含) or more: 50000; 200 (含) or more: 100000. The tiers are exclusive (200 placements
  give 100000, not 20000 + 50000 + 100000). The agency states the year (`haidian_5_year`); the count
  `haidian_5_placements_in_year` is the number of its members meeting `haidian_5_placed_person`
  (catalogue definition) whose job began in that year, or is given directly (an input overrides the
  formula). Due on 31 December of that year, when the year's number is final.

海淀区户籍 (like 城镇登记失业人员) is judged on the day the placed person took up the job (the moment of
haidian/五是/placement), also where the yearly count and the count-claim read the same definition: a
person counts for the year as for the 500, so a listed person is never paid twice nor left out.
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, named, only_if
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation
from jiuye.model.facts.person import hukou_on_moment
from jiuye.model.facts.places import District
from jiuye.model.declared import declare

from ..common import record_valid_from, year_end

declare(globals())


def _placements_in_year(organisation, period, parameters):
    members = organisation.members
    placed = members("haidian_5_placed_person", period)
    start_year = as_days(members("contract_start_date", period)).astype("datetime64[Y]").astype(np.int64) + 1970
    in_year = start_year == organisation.project(organisation("haidian_5_year", period))
    return organisation.sum(placed & in_year & members.has_role(Organisation.MEMBER))


# --- conditions -------------------------------------------------------------------------------------
def _hukou_at_job_start(person, period, parameters):
    return hukou_on_moment(person, period, "haidian/五是/placement", lambda d: d == District.haidian)


def _unit_employment(person, period, parameters):
    return (person("contract_start_date", period).astype("datetime64[D]")
        <= assessment_day(person, period))


def _count_reached(org, period, parameters):
    first = parameters(period).haidian.c5.yearly_grant.thresholds[0]   # 50: the lowest tier
    return org("haidian_5_placements_in_year", period) >= first


# --- installments -----------------------------------------------------------------------------------
@installments("haidian/五是/placement")
def placement_subsidy(person, period, parameters):
    amount = parameters.haidian.c5.placement_subsidy
    start = as_days(person("contract_start_date", period))      # the moment: inside the window (2023-01-01 …)
    return Installments.stack([(start, np.full(person.count, float(amount)))])


@installments("haidian/五是/yearly")
def yearly_grant(org, period, parameters):
    scale = parameters.haidian.c5.yearly_grant
    due = year_end(org("haidian_5_year", period))
    amount = scale.calc(org("haidian_5_placements_in_year", period))
    in_force = due >= record_valid_from(org, "haidian/五是/yearly")
    return Installments.stack([(only_if(in_force, due), amount)])


named(globals())
