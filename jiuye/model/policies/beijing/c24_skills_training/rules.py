"""beijing/24 加强重点群体就业技能培训：

* 培训补贴 to the institution undertaking free 就业技能培训 for 失业人员、农村转移就业劳动力、高校毕业生等.
"""

from jiuye.model.base import assessment_day, condition, fact, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import TrainingType

from ..common import in_clause_words, referenced_one_off

beijing_training_task_institution = fact(
    Organisation, bool, "承担任务的机构（承担本市重点群体免费就业技能培训任务）", reference="beijing/24")

beijing_24_unemployed = in_clause_words("registered_unemployed", "失业人员（登记失业人员）", "beijing/24")

beijing_24_rural_transfer = in_clause_words("rural_labour", "农村转移就业劳动力", "beijing/24")

beijing_24_skills_training = condition(
    Person, "参加免费就业技能培训（培训已结束）", "beijing/24",
    lambda person, period, parameters: ((person("training_type", period) == TrainingType.skills)
                                        & (person("training_end_date", period) <= assessment_day(person, period))))


beijing_24_installment_count, beijing_24_last_due, beijing_24_amount_referenced = referenced_one_off(
    "beijing/24", "beijing_24", Person, "就业技能培训补贴（承担任务的机构）", "training_end_date")


named(globals())
