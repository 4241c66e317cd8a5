"""beijing/24 claimed by a stated number (issue 12, item 3): an institution undertaking the city's free
就业技能培训 may give how many trainees of the listed groups (失业人员、农村转移就业劳动力、高校毕业生) completed
one training and when it ended, and declare that they qualify, instead of listing each trainee
(beijing/24, in rules.py). The amount per trainee is set by the city (NaN, never invented), so the
claim is listed once, on the end date (not before the document's first day), its amount 待定, with
the number it is for.

The count is of trainees *not* listed: listed ones are listed one by one, so nobody is counted twice.
"""

from jiuye.model.base import installments
from jiuye.model.counts import stated_counts
from jiuye.model.entities import Organisation

from ..common import document_from, referenced_once, schedule_variables

stated_counts(globals(), "beijing/24", given="按人数申报：参加培训的重点群体人员1人及以上", counts={
    "beijing_24_count_trainees":
        "按人数申报：参加本机构该期免费就业技能培训的失业人员、农村转移就业劳动力、高校毕业生人数（未逐人列出）"})


@installments("beijing/24/by_count")
def skills_training_subsidy_by_count(org, period, parameters):
    return referenced_once(org("beijing_24_count_end_date", period), document_from(org))


beijing_24_by_count_installment_count, beijing_24_by_count_last_due, beijing_24_by_count_amount_referenced = \
    schedule_variables("beijing/24/by_count", "beijing_24_by_count", Organisation,
                       "就业技能培训补贴（承担任务的机构，按人数申报）", "beijing/24")
