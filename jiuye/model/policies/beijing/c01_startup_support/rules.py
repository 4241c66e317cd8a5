"""beijing/1 支持企业稳岗扩岗：

* 一次性创业补贴 (to the founder) and 创业担保贷款贴息 (to the borrowing business): amounts NaN.
"""

from jiuye.model.base import assessment_day, condition, fact, named
from jiuye.model.entities import Organisation, Person

from ..common import referenced_one_off

beijing_meets_startup_grant_conditions = fact(
    Person, bool, "符合本市一次性创业补贴条件", reference="beijing/1")

beijing_1_founder = condition(
    Person, "创业者（所创办单位的创办人或法定代表人）", "beijing/1",
    lambda person, period, parameters: person.has_role(Organisation.FOUNDER))

beijing_1_startup_registered = condition(
    Organisation, "创办的单位已工商登记（登记日期不晚于评估之日）", "beijing/1",
    lambda org, period, parameters: org("registration_date", period) <= assessment_day(org, period))


(beijing_1_startup_grant_installment_count, beijing_1_startup_grant_last_due,
 beijing_1_startup_grant_amount_referenced) = referenced_one_off(
    "beijing/1/startup_grant", "beijing_1_startup_grant", Person, "一次性创业补贴",
    "registration_date", of_organisation=True)

(beijing_1_loan_interest_installment_count, beijing_1_loan_interest_last_due,
 beijing_1_loan_interest_amount_referenced) = referenced_one_off(
    "beijing/1/loan_interest", "beijing_1_loan_interest", Organisation, "创业担保贷款贴息", "beijing_guaranteed_loan_date")


named(globals())
