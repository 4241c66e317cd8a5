"""Statutory retirement date and legal working age (2024 decision on gradual retirement delay)."""

from datetime import date

import numpy as np
from openfisca_core.variables import Variable

from ..base import ETERNITY, MONTH
from ..dates import NEVER, add_months, period_last_day
from ..entities import Person
from .person import RetirementCategory

REFERENCE = "全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）"
_DECISION_INSTANT = "2025-01-01"


class statutory_retirement_age_months(Variable):
    value_type = int
    entity = Person
    definition_period = ETERNITY
    label = "法定退休年龄（月）"
    reference = REFERENCE

    def formula(person, period, parameters):
        p = parameters(_DECISION_INSTANT).reference.retirement
        birth = person("birth_date", period)
        category = person("retirement_category", period)
        birth_month = (birth.astype("datetime64[M]").astype(np.int64) + 70 * 12)  # months since 1900-01
        result = np.zeros(birth.shape, dtype=np.int64)
        for name in ("male", "female_55", "female_50"):
            k = birth_month - p.start_month[name]
            delay = np.where(k < 0, 0, np.minimum(p.cap_months[name], k // p.step_months[name] + 1))
            result = np.where(category == RetirementCategory[name], p.base_months[name] + delay, result)
        return result


class statutory_retirement_date(Variable):
    value_type = date
    default_value = date(9999, 12, 31)
    entity = Person
    definition_period = ETERNITY
    label = "法定退休日期"
    reference = REFERENCE
    documentation = "Birth date plus the statutory retirement age; the month of this date is the retirement month."

    def formula(person, period, parameters):
        months = person("statutory_retirement_age_months", period)
        known = person("retirement_category", period) != RetirementCategory.unknown
        return np.where(known, add_months(person("birth_date", period), months), NEVER)


class within_legal_working_age(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "法定劳动年龄内"
    reference = "中华人民共和国劳动法 第十五条; " + REFERENCE
    documentation = "Aged 16 or more on the month's last day, and the statutory retirement date not yet reached."

    def formula(person, period, parameters):
        return (person("age", period) >= 16) & (
            person("statutory_retirement_date", period) > period_last_day(period))
