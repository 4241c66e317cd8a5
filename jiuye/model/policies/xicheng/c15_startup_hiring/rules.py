"""Clause 15 (鼓励创业带动就业): a one-off reward to a 初创主体 per Beijing-hukou hire in stable employment
for 6 months or more in its registration year: 800 from 10 persons, 1000 from 50, at most 100000.
"""

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.dates import DAY, add_months
from jiuye.model.entities import Organisation
from jiuye.model.schedules import scale_calc

from ..common import in_district


xicheng_15_stable_hires = fact(
    Organisation, int, "工商登记当年吸纳本市户籍劳动力实现稳定就业6个月以上的人数", reference="xicheng/15", unit="person",
    doc=("劳动合同起始日在该单位工商登记当年（公历年度）内、本市户籍、按第6条实现稳定就业（一年及以上期限劳动合同、"
         "按规定缴纳职工社会保险、按月足额发放不低于本市最低工资标准1.2倍的工资）且已满6个月（可跨入次年）的人数；"
         "每人只计一次。"))

xicheng_15_registered_in_district = condition(
    Organisation, "注册地在本区", "xicheng/15", in_district("registration_district"))

xicheng_15_operating_in_district = condition(
    Organisation, "经营地在本区", "xicheng/15", in_district("premises_district"))


def _at_least_ten(org, period, parameters):
    scale = parameters(period).xicheng.c15.per_person
    lowest = min(t for t, amount in zip(scale.thresholds, scale.amounts) if amount > 0)
    return org("xicheng_15_stable_hires", period) >= lowest


xicheng_15_hires_at_least_10 = condition(
    Organisation, "当年吸纳本市户籍劳动力实现稳定就业6个月以上，10人（含）以上", "xicheng/15", _at_least_ten,
    doc="人数达到奖励标准的最低档（10人，含10人）。")


@installments("xicheng/15")
def startup_hiring_reward(org, period, parameters):
    """Persons × the tier's amount (800 from 10, 1000 from 50), due on 30 June of the year after
    registration: by then every hire of the registration year can have completed 6 months. The
    100000 cap is the catalogue's (`cap:` of xicheng/15)."""
    p = parameters.xicheng.c15
    persons = org("xicheng_15_stable_hires", period)
    amount = persons * scale_calc(p.per_person, persons)
    next_year = (org("registration_date", period).astype("datetime64[Y]") + 1).astype("datetime64[D]")
    due = add_months(next_year, p.stable_months) - DAY
    return Installments.stack([(due, amount)])


named(globals())
