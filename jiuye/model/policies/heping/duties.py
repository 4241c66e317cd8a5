"""Heping's service duties (实名制就业帮扶台账): the conditions of the duties declared in duties.yaml.

* （二十二） 登记失业人员每月开展一次跟踪调查;
* （二十六） 就业困难人员的动态跟踪;
* （十二） 公益性岗位优先安置距离法定退休年龄不足5年的特殊就业困难人员 (特殊: 附件2, the definition
  heping_fj2_special_hard_to_employ of catalogue.d/part1_fj2.yaml).
"""

from jiuye.model.base import assessment_day, named
from jiuye.model.declared import declare

from .p1_common import near_retirement

declare(globals(), "duties.facts.yaml")


def _near_retirement(person, period, parameters):
    return near_retirement(person, period, assessment_day(person, period), 5)

def _not_placed(person, period, parameters):
    return ~person("employed", period) & ~person("flexibly_employed", period)

named(globals())
