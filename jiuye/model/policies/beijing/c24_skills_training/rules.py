"""beijing/24 加强重点群体就业技能培训：

* 培训补贴 to the institution undertaking free 就业技能培训 for 失业人员、农村转移就业劳动力、高校毕业生等.
"""

from jiuye.model.base import assessment_day, named
from jiuye.model.entities import Person
from jiuye.model.facts.person import TrainingType, education_rule
from jiuye.model.declared import declare

from ..common import HIGHER_EDUCATION, in_clause_words, referenced_one_off

declare(globals())

_higher_education_at_training = education_rule("beijing/24", HIGHER_EDUCATION)


beijing_24_unemployed = in_clause_words(
    "beijing_24_registered_unemployed_at_training", "失业人员（参加培训时处于失业登记状态）", "beijing/24")

beijing_24_rural_transfer = in_clause_words(
    "rural_labour_at_training", "农村转移就业劳动力（参加培训时为农村劳动力）", "beijing/24")

def _skills_training(person, period, parameters):
    return ((person("training_type", period) == TrainingType.skills)
        & (person("training_end_date", period) <= assessment_day(person, period)))


beijing_24_installment_count, beijing_24_last_due, beijing_24_amount_referenced = referenced_one_off(
    "beijing/24", "beijing_24", Person, "就业技能培训补贴（承担任务的机构）", "training_end_date")


named(globals())
