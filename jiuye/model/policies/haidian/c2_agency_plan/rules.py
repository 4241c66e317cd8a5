"""Theme 二是 (完善公共就业服务体系): the 经营性人力资源服务机构 help plan.

For 有就业意愿 失业人员 and 青年群体 served by the (Haidian) 公共就业服务机构, who through that public
service "仍无法实现就业超过一个月以上", a 经营性人力资源服务机构 draws up a 帮扶计划 and provides
employment services. A service: no money is paid to the person.

"超过一个月以上" joins 超过 (excludes the number) and 以上 (includes it). Reading chosen: 超过, the
operative word — the month from the day the public service began must have fully elapsed: from
2026-04-01 the month completes on 2026-04-30 and is exceeded from 2026-05-01.
"""

from datetime import date

import numpy as np

from jiuye.model.base import NOT_GIVEN, Installments, assessment_day, condition, fact, installments, named
from jiuye.model.dates import NEVER, add_months
from jiuye.model.entities import Person
from jiuye.model.facts.places import District

haidian_willing_to_work = fact(Person, bool, "有就业意愿", reference="haidian/二是")
haidian_youth_group = fact(
    Person, bool, "青年群体", reference="haidian/二是",
    doc="本说明未界定青年群体的年龄范围，按区实施细则认定（由情形给出）。")
haidian_public_service_start_date = fact(
    Person, date, "本区公共就业服务机构开始为其开展职业指导、岗位匹配等公共就业服务的日期",
    default=NOT_GIVEN, reference="haidian/二是",
    doc="海淀区公共就业服务机构（区、街镇）首次为其提供职业指导、岗位匹配等服务之日。")

haidian_2_unemployed = condition(
    Person, "失业人员（在本区办理失业登记）", "haidian/二是",
    lambda person, period, parameters: (person("registered_unemployed", period)
                                        & (person("unemployment_registration_district", period) == District.haidian)),
    doc="处于失业登记状态，且失业登记在海淀区（区域就业失业管理）。")

haidian_2_youth = condition(
    Person, "青年群体", "haidian/二是",
    lambda person, period, parameters: person("haidian_youth_group", period))

haidian_2_willing = condition(
    Person, "有就业意愿", "haidian/二是",
    lambda person, period, parameters: person("haidian_willing_to_work", period))

haidian_2_public_service = condition(
    Person, "由公共就业服务机构开展职业指导、岗位匹配等公共就业服务", "haidian/二是",
    lambda person, period, parameters: (person("haidian_public_service_start_date", period).astype("datetime64[D]")
                                        <= assessment_day(person, period)),
    doc="本区公共就业服务机构开始提供服务之日不晚于评估之日。")

haidian_2_still_not_employed = condition(
    Person, "仍无法实现就业", "haidian/二是",
    lambda person, period, parameters: ~person("employed", period) & ~person("flexibly_employed", period),
    doc="评估时既未在用人单位就业，也未灵活就业。")


def _over_one_month(person, period, parameters):
    months = parameters(period).haidian.c2.unemployed_months
    start = person("haidian_public_service_start_date", period)
    # 超过: the month completes on add_months(start, 1) − 1 day; exceeded from add_months(start, 1)
    return add_months(start, int(months)) <= assessment_day(person, period)


haidian_2_over_one_month = condition(
    Person, "通过公共就业服务仍无法实现就业超过一个月以上", "haidian/二是", _over_one_month,
    doc="“超过”不含本数：自开始提供公共就业服务之日起一个月届满（对应日的前一日）之后，即自对应日起"
        "（如2026-04-01开始，2026-04-30届满当日不符合，2026-05-01起符合）；按评估之日判断，不按评估月末。")


@installments("haidian/二是/agency_plan")
def agency_help_plan(person, period, parameters):
    """A service: no money."""
    return Installments.stack([(np.full(person.count, NEVER), np.zeros(person.count))])


named(globals())
