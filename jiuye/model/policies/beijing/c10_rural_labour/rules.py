"""beijing/10 促进农村劳动力就业参保：

* the policy encouraging employers to hire and insure 本市农村劳动力.
"""

from jiuye.model.base import condition, fact, named
from jiuye.model.entities import Person
from jiuye.model.facts.places import City

from ..common import in_clause_words, referenced_one_off

beijing_meets_rural_hiring_conditions = fact(
    Person, bool, "符合促进本市农村劳动力就业参保若干措施（鼓励用人单位招用本市农村劳动力）的条件", reference="beijing/10")

beijing_10_insured = in_clause_words("social_insurance_paid", "就业参保（参加城镇职工保险）", "beijing/10")

beijing_10_city_rural_labour = condition(
    Person, "本市农村劳动力（农村劳动力，户籍在本市）", "beijing/10",
    lambda person, period, parameters: (person("rural_labour", period)
                                        & (person("hukou_city", period) == City.beijing)))


beijing_10_installment_count, beijing_10_last_due, beijing_10_amount_referenced = referenced_one_off(
    "beijing/10", "beijing_10", Person, "鼓励用人单位招用本市农村劳动力相关政策", "contract_start_date")


named(globals())
