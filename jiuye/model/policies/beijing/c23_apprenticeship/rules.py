"""beijing/23 开展企业新型学徒定岗培训：

* 企业新型学徒培训: a subsidy to the 本市参保企业 for each apprentice (新招用或转岗的技能岗位人员).
"""

from jiuye.model.base import assessment_day, condition, fact, named
from jiuye.model.entities import Person

from ..common import referenced_one_off

beijing_skill_post_new_or_transferred = fact(
    Person, bool, "技能岗位新招用和转岗人员（本企业技能岗位新招用或转岗）", reference="beijing/23")

beijing_new_apprenticeship = fact(
    Person, bool, "参加企业新型学徒培训（招工即招生、入企即入校、企校双师联合培养）", reference="beijing/23")

beijing_23_apprenticeship = condition(
    Person, "开展企业新型学徒培训（培训已结束，按实施效果给予补贴）", "beijing/23",
    lambda person, period, parameters: (person("beijing_new_apprenticeship", period)
                                        & (person("training_end_date", period) <= assessment_day(person, period))))


beijing_23_installment_count, beijing_23_last_due, beijing_23_amount_referenced = referenced_one_off(
    "beijing/23", "beijing_23", Person, "企业新型学徒培训补贴", "training_end_date")


named(globals())
