"""beijing/23 开展企业新型学徒定岗培训：

* 企业新型学徒培训: a subsidy to the 本市参保企业 for each apprentice (新招用或转岗的技能岗位人员).
"""

from jiuye.model.base import assessment_day, named
from jiuye.model.entities import Person
from jiuye.model.declared import declare

from ..common import referenced_one_off

declare(globals())


def _apprenticeship(person, period, parameters):
    return (person("beijing_new_apprenticeship", period)
        & (person("training_end_date", period) <= assessment_day(person, period)))


beijing_23_installment_count, beijing_23_last_due, beijing_23_amount_referenced = referenced_one_off(
    "beijing/23", "beijing_23", Person, "企业新型学徒培训补贴", "training_end_date")


named(globals())
