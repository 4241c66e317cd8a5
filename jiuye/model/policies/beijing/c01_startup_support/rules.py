"""beijing/1 支持企业稳岗扩岗：

* 一次性创业补贴 (to the founder) and 创业担保贷款贴息 (to the borrowing business): amounts NaN.
"""

from jiuye.model.base import named
from jiuye.model.entities import Organisation, Person
from jiuye.model.declared import declare

from ..common import referenced_one_off

declare(globals())


(beijing_1_startup_grant_installment_count, beijing_1_startup_grant_last_due,
 beijing_1_startup_grant_amount_referenced) = referenced_one_off(
    "beijing/1/startup_grant", "beijing_1_startup_grant", Person, "一次性创业补贴",
    "registration_date", of_organisation=True)

(beijing_1_loan_interest_installment_count, beijing_1_loan_interest_last_due,
 beijing_1_loan_interest_amount_referenced) = referenced_one_off(
    "beijing/1/loan_interest", "beijing_1_loan_interest", Organisation, "创业担保贷款贴息", "beijing_guaranteed_loan_date")


named(globals())
