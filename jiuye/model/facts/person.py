"""Facts about a person, shared by every district."""

import functools

import numpy as np
from openfisca_core.indexed_enums import Enum

from ..base import ETERNITY, moment_day, named
from ..dates import age_in_years, period_last_day
from ..entities import Organisation, Person
from openfisca_core.variables import Variable
from .places import City, District, city_of
from jiuye.model.declared import declare

declare(globals(), "person.facts.yaml")


class hukou_city(Variable):
    value_type = Enum
    possible_values = City
    default_value = City.unknown
    entity = Person
    definition_period = ETERNITY
    label = "户籍所在市"
    documentation = "Derived from the hukou district when not given."

    def formula(person, period, parameters):
        return city_of(person("hukou_district", period))


def hukou_at(person, period, day, test):
    """`test` (a function of a District array, e.g. `lambda d: d == District.xicheng`) applied to the
    person's hukou on `day` — the legal moment (`base.moment_day`) of a measure whose text judges
    本区户籍 / 本市户籍 at an event: today's hukou_district, or, where the hukou was moved in after
    that day (hukou_moved_in_date; moved in on the day itself counts as there), the district it was
    moved from (previous_hukou_district, read only for those rows)."""
    moved_after = person("hukou_moved_in_date", period) > day
    return np.where(moved_after, test(person("previous_hukou_district", period)),
                    test(person("hukou_district", period)))


def hukou_on_moment(person, period, measure_id: str, test):
    """`hukou_at` on the legal moment of `measure_id` (`base.moment_day`: its catalogue record's
    moment fact, else the assessment day) — 本区户籍 / 本市户籍 as the measure's text judges it."""
    return hukou_at(person, period, moment_day(person, period, measure_id), test)


def employee_on_moment(person, period, measure_id: str):
    """The listed unit was the person's employer on the measure's legal moment (`base.moment_day`):
    an employee whose current labour contract had started by that day — a job taken only afterwards
    is not the one the text judges."""
    day = moment_day(person, period, measure_id)
    return person.has_role(Organisation.EMPLOYEE) & (person("contract_start_date", period) <= day)


def enterprise_employee_on_moment(person, period, measure_id: str, enterprises, fact: str):
    """企业职工 on the measure's legal moment: the listed unit gives it when it is one of `enterprises`
    (its type as given: no dated fact of a change of legal form) and was the employer then
    (`employee_on_moment`); otherwise (no unit listed, a job taken only afterwards, an employer that is
    not an enterprise) `fact`, the status asked at the moment — asked only where the listed unit does
    not already give it."""
    enterprise = np.isin(person.organisation("org_type", period), enterprises)
    return (enterprise & employee_on_moment(person, period, measure_id)) | person(fact, period)


# The stage of each education level: a level is obtained after the levels of lower stages (普通高中,
# 中专 and 技工院校 are one stage, 高中阶段: none of them comes before another). 未知 has none.
EDUCATION_STAGE = {"below_secondary": 1, "high_school": 2, "secondary_vocational": 2, "technical_school": 2,
                   "college": 3, "bachelor": 4, "master": 5, "doctor": 6}
# 高校毕业生 (大专及以上学历): the levels every document means by it
HIGHER_EDUCATION = [EducationLevel[n].index for n in ("college", "bachelor", "master", "doctor")]


@functools.cache
def _later_levels(level: int) -> tuple[int, ...]:
    """The EducationLevel indices of the stages above `level`'s (the highest educations `level` can
    precede): read by every formula judging education at a moment, computed once per level."""
    stage = EDUCATION_STAGE.get({member.index: member.name for member in EducationLevel}[level])
    if stage is None:
        return ()
    return tuple(EducationLevel[name].index for name, s in EDUCATION_STAGE.items() if s > stage)


def education_held_at(person, period, day, levels):
    """The education the person held on `day` — the legal moment (`base.moment_day`) of a measure whose
    text judges 高校毕业生 / 中专毕业生 … at an event — was one of `levels` (EducationLevel indices, e.g.
    HIGHER_EDUCATION). The highest education (education_level) counts from the day it was obtained
    (graduation_date; obtained on the day itself counts as held); before that the person held a lower
    level (education_level_before_highest). Education never decreases: where today's level is not one
    of `levels` and none of `levels` ranks below it, the answer is no without any date; the level
    before is read only where the highest was obtained after `day` and a level of `levels` can
    precede it (a 硕士 obtained after the hire: was the person a 本科 or 大专 graduate then?).
    初中及以下, the lowest, is held throughout."""
    highest = person("education_level", period)
    before = person("education_level_before_highest", period)
    now = np.isin(highest, levels)
    obtained = person("graduation_date", period) <= day
    earlier = np.zeros(person.count, bool)
    for level in levels:
        later = _later_levels(int(level))
        if later:
            earlier = earlier | (np.isin(before, [level]) & np.isin(highest, later))
    # 初中及以下 among `levels`: held throughout (one test of the level: `now & lowest` would not see that
    # the two cannot both hold where the level is not given)
    throughout = np.isin(highest, [level for level in levels if level == EducationLevel.below_secondary.index])
    return (now & (obtained | earlier)) | throughout | (earlier & ~obtained)


def education_on_moment(person, period, measure_id: str, levels):
    """`education_held_at` on the legal moment of `measure_id` (`base.moment_day`: its catalogue
    record's moment fact, else the assessment day) — the education as the measure's text judges it."""
    return education_held_at(person, period, moment_day(person, period, measure_id), levels)


def education_rule(measure_id: str, levels):
    """A condition's formula (named by a facts.yaml `formula:`): `education_on_moment` of `measure_id`."""
    def formula(person, period, parameters):
        return education_on_moment(person, period, measure_id, levels)
    return formula


def _age(person, period, parameters):
    return age_in_years(person("birth_date", period), period_last_day(period))


def _contract_end_date(person, period, parameters):
    from ..dates import NEVER, period_end_of
    start = person("contract_start_date", period)
    kind = person("contract_type", period)
    term_end = np.where(kind == ContractType.fixed_term,
                        period_end_of(start, person("contract_term_months", period)), NEVER)
    return np.minimum(term_end, person("contract_termination_date", period))


named(globals())


def hired_in_graduation_year(person, period, parameters):
    """A condition's formula: the labour contract starts in the year of graduation (毕业年度: 1 January
    to 31 December of the graduation year)."""
    graduated = person("graduation_date", period).astype("datetime64[Y]")
    hired = person("contract_start_date", period).astype("datetime64[Y]")
    return graduated == hired
