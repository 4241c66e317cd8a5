"""beijing/10 促进农村劳动力就业参保：

* the policy encouraging employers to hire and insure 本市农村劳动力.
"""

from jiuye.model.base import named
from jiuye.model.entities import Person
from jiuye.model.facts.person import hukou_on_moment
from jiuye.model.facts.places import City, city_of
from jiuye.model.declared import declare

from ..common import in_clause_words, referenced_one_off

declare(globals())


beijing_10_insured = in_clause_words("social_insurance_paid", "就业参保（参加城镇职工保险）", "beijing/10")

def _city_rural_labour(person, period, parameters):
    # 招用本市农村劳动力: both the 农村劳动力 status and the 本市 hukou on the day of the hire (the record's
    # moment, contract_start_date), not today's
    return (person("rural_labour_at_hire", period)
        & hukou_on_moment(person, period, "beijing/10", lambda d: city_of(d) == City.beijing))


beijing_10_installment_count, beijing_10_last_due, beijing_10_amount_referenced = referenced_one_off(
    "beijing/10", "beijing_10", Person, "鼓励用人单位招用本市农村劳动力相关政策", "contract_start_date")


named(globals())
