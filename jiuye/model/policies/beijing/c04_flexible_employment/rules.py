"""beijing/4 支持多渠道灵活就业：

* 灵活就业社会保险补贴 for flexible workers who meet the city's conditions.
"""

from jiuye.model.base import named
from jiuye.model.entities import Person

from ..common import referenced_one_off

beijing_4_installment_count, beijing_4_last_due, beijing_4_amount_referenced = referenced_one_off(
    "beijing/4", "beijing_4", Person, "灵活就业社会保险补贴", "beijing_flexible_employment_start_date")


named(globals())
