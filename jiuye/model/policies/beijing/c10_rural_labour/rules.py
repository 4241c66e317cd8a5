"""beijing/10 促进农村劳动力就业参保：

* the policy encouraging employers to hire and insure 本市农村劳动力.
"""

from jiuye.model.base import moment_day, named
from jiuye.model.entities import Person
from jiuye.model.facts.person import hukou_at
from jiuye.model.facts.places import City, city_of
from jiuye.model.declared import declare

from ..common import in_clause_words, referenced_one_off

declare(globals())


beijing_10_insured = in_clause_words("social_insurance_paid", "就业参保（参加城镇职工保险）", "beijing/10")

def _city_rural_labour(person, period, parameters):
    # 招用本市农村劳动力: the hukou on the day of the hire (the record's moment), not today's
    hire = moment_day(person, period, "beijing/10")
    return (person("rural_labour", period)
        & hukou_at(person, period, hire, lambda d: city_of(d) == City.beijing))


beijing_10_installment_count, beijing_10_last_due, beijing_10_amount_referenced = referenced_one_off(
    "beijing/10", "beijing_10", Person, "鼓励用人单位招用本市农村劳动力相关政策", "contract_start_date")


named(globals())
