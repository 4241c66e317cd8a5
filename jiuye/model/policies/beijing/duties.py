"""Beijing's service duties (实名制就业帮扶台账): 一人一档、一生一策 for 困难家庭高校毕业生 with 就业意愿
(clause 8) and the 零就业家庭 dynamic monitoring until cleared (clause 13). The duties: duties.yaml."""

from jiuye.model.base import assessment_day, named
from jiuye.model.dates import age_in_years, as_days
from jiuye.model.declared import declare

declare(globals(), "duties.facts.yaml")


def _difficult_family_graduate(person, period, parameters):
    return (person("difficult_family_member", period)
        & person("left_school_unemployed", period)
        & ~person("employed", period) & ~person("flexibly_employed", period))


def _not_employed(person, period, parameters):
    return ~person("employed", period) & ~person("flexibly_employed", period)


def _working_age(person, period, parameters):
    day = assessment_day(person, period)
    return (age_in_years(person("birth_date", period), day) >= 16) & \
        (as_days(person("statutory_retirement_date", period)) > day)


named(globals())
