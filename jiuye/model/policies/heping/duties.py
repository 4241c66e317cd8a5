"""Heping's service duties (实名制就业帮扶台账): the conditions of the duties declared in duties.yaml.

* （二十二） 登记失业人员每月开展一次跟踪调查;
* （二十六） 就业困难人员的动态跟踪;
* （十二） 公益性岗位优先安置距离法定退休年龄不足5年的特殊就业困难人员 (特殊: 附件2, the definition
  heping_fj2_special_hard_to_employ of catalogue.d/part1_fj2.yaml).
"""

from jiuye.model.base import assessment_day, condition, named
from jiuye.model.entities import Person

from .p1_common import near_retirement

heping_duty_22_registered_unemployed = condition(
    Person, "登记失业人员", "heping/二十二",
    lambda person, period, parameters: person("registered_unemployed", period),
    doc="处于失业登记状态。")

heping_duty_26_hard_to_employ = condition(
    Person, "就业困难人员", "heping/二十六",
    lambda person, period, parameters: person("hard_to_employ", period),
    doc="经认定的就业困难人员。")

heping_duty_12_near_retirement = condition(
    Person, "距离法定退休年龄不足5年", "heping/十二",
    lambda person, period, parameters: near_retirement(person, period, assessment_day(person, period), 5),
    doc="评估之日起5年内达到法定退休日期（恰好5年不算“不足”）。")

heping_duty_12_not_placed = condition(
    Person, "尚未安置（未在用人单位就业，也未灵活就业）", "heping/十二",
    lambda person, period, parameters: ~person("employed", period) & ~person("flexibly_employed", period),
    doc="安置之前：既未在用人单位就业，也未灵活就业。")

named(globals())
