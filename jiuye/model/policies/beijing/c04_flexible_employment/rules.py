"""beijing/4 支持多渠道灵活就业：

* 灵活就业社会保险补贴 for flexible workers who meet the city's conditions.
"""

from jiuye.model.base import installments, named
from jiuye.model.entities import Person

from ..common import document_from, referenced_once, schedule_variables

@installments("beijing/4")
def flexible_si_subsidy(person, period, parameters):
    return referenced_once(person("beijing_flexible_employment_start_date", period), document_from(person))


beijing_4_installment_count, beijing_4_last_due, beijing_4_amount_referenced = schedule_variables(
    "beijing/4", "beijing_4", Person, "灵活就业社会保险补贴", "beijing/4")


named(globals())
