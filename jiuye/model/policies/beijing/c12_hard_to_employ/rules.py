"""beijing/12 加大就业困难群体政策援助力度：

* 岗位补贴 and 社会保险补贴 for employers hiring 失业人员 / 城乡就业困难人员; 灵活就业社会保险补贴
  for 本市登记失业人员 in flexible employment; 社会公益性就业组织岗位补贴 for 托底安置.
"""

from jiuye.model.base import named
from jiuye.model.entities import Person
from jiuye.model.declared import declare

from ..common import in_clause_words, referenced_one_off

declare(globals())


beijing_12_unemployed = in_clause_words(
    "registered_unemployed_at_hire", "失业人员（签订劳动合同时为登记失业人员）", "beijing/12")

beijing_12_hard_to_employ = in_clause_words(
    "hard_to_employ_at_hire", "城乡就业困难人员（签订劳动合同时为经认定的就业困难人员）", "beijing/12")

(beijing_12_post_subsidy_installment_count, beijing_12_post_subsidy_last_due,
 beijing_12_post_subsidy_amount_referenced) = referenced_one_off(
    "beijing/12/post_subsidy", "beijing_12_post_subsidy", Person, "岗位补贴（招用失业人员、城乡就业困难人员）", "contract_start_date")

(beijing_12_social_insurance_installment_count, beijing_12_social_insurance_last_due,
 beijing_12_social_insurance_amount_referenced) = referenced_one_off(
    "beijing/12/social_insurance", "beijing_12_social_insurance", Person, "社会保险补贴（招用失业人员、城乡就业困难人员）",
    "contract_start_date")

(beijing_12_flexible_installment_count, beijing_12_flexible_last_due,
 beijing_12_flexible_amount_referenced) = referenced_one_off(
    "beijing/12/flexible", "beijing_12_flexible", Person, "灵活就业社会保险补贴（本市登记失业人员）",
    "beijing_flexible_employment_start_date")

(beijing_12_public_welfare_installment_count, beijing_12_public_welfare_last_due,
 beijing_12_public_welfare_amount_referenced) = referenced_one_off(
    "beijing/12/public_welfare", "beijing_12_public_welfare", Person, "社会公益性就业组织岗位补贴", "contract_start_date")


named(globals())
