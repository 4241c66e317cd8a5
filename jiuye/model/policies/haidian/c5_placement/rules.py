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
"""

import numpy as np
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, Installments, assessment_day, condition, fact, installments, named, only_if
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import District

from ..common import record_valid_from, year_end

# --- facts ------------------------------------------------------------------------------------------
haidian_hr_agency_recognised = fact(
    Organisation, bool, "经认定的经营性人力资源服务机构", reference="haidian/五是",
    doc="经区人力资源社会保障部门认定参与公共就业服务的经营性人力资源服务机构（认定办法由实施细则规定）。")
haidian_5_free_placement = fact(
    Person, bool, "提供免费职业介绍（该机构为其提供免费职业介绍）", reference="haidian/五是")
haidian_5_other_priority_group = fact(
    Person, bool, "等重点群体（就业困难人员、高校毕业生等，按实施细则认定）", reference="haidian/五是",
    doc="“等重点群体”：本说明一是列举失业人员、就业困难群体、高校毕业生等重点群体。")
haidian_5_year = fact(
    Organisation, int, "申请一次性补助的自然年度（公历年）", reference="haidian/五是")


class haidian_5_placements_in_year(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "在该自然年度内成功促进就业人数（免费职业介绍帮助海淀区户籍城镇登记失业人员等重点群体实现单位就业）"
    reference = "haidian/五是"
    documentation = ("该机构的成员（角色“其他成员”）中符合“经免费职业介绍实现单位就业的海淀区户籍城镇登记失业人员等"
                     "重点群体”、且在所报自然年度内实现单位就业的人数；情形也可直接给出人数。")

    def formula(organisation, period, parameters):
        members = organisation.members
        placed = members("haidian_5_placed_person", period)
        start_year = as_days(members("contract_start_date", period)).astype("datetime64[Y]").astype(np.int64) + 1970
        in_year = start_year == organisation.project(organisation("haidian_5_year", period))
        return organisation.sum(placed & in_year & members.has_role(Organisation.MEMBER))


# --- conditions -------------------------------------------------------------------------------------
haidian_5_hukou = condition(
    Person, "海淀区户籍", "haidian/五是",
    lambda person, period, parameters: person("hukou_district", period) == District.haidian)

haidian_5_registered_unemployed = condition(
    Person, "城镇登记失业人员", "haidian/五是",
    lambda person, period, parameters: person("registered_unemployed_at_hire", period),
    doc="实现单位就业（签订劳动合同）时处于失业登记状态。")

haidian_5_unit_employment = condition(
    Person, "帮助其实现单位就业", "haidian/五是",
    lambda person, period, parameters: (person("contract_start_date", period).astype("datetime64[D]")
                                        <= assessment_day(person, period)),
    doc="与用人单位签订劳动合同，起始日不晚于评估之日。")


def _count_reached(org, period, parameters):
    first = parameters(period).haidian.c5.yearly_grant.thresholds[0]   # 50: the lowest tier
    return org("haidian_5_placements_in_year", period) >= first


haidian_5_count_reached = condition(
    Organisation, "在一个自然年度内成功促进就业人数为50人(含)以上", "haidian/五是", _count_reached,
    doc="最低一档的人数（含本数）。")


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
