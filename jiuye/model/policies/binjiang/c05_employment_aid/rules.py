"""（五）支持公益性就业援助 (binjiang/五): one-off 5000 / 3000 / 2000 for a competition award or an advanced title
organised by the nation / province / city, to a 就业援助公益导师 or 就业辅导公益组织; sessions of the district mentor
pool at 300 online and 1000 offline each.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, condition, fact, installments, named, only_if
from jiuye.model.entities import Organisation, Person
from jiuye.model.declared import declare

from ..common import NOT_GIVEN, dated, in_force_year, system_params, year_end

declare(globals())


HONOURED = [HonourLevel[n].index for n in ("national", "provincial", "city")]


def _honour_amount(level, p) -> np.ndarray:
    return np.select([level == HonourLevel.national, level == HonourLevel.provincial, level == HonourLevel.city],
                     [p.national, p.provincial, p.city], 0.0)


def _honour(entity, name: str, measure_id: str, level_label: str, date_label: str, honour_label: str,
            dated_label: str) -> tuple:
    """One of the four one-off honours (a competition award or an advanced title, of the mentor or of the
    organisation): the facts `<name>_level` and `<name>_date`, the conditions that the honour was given by
    the nation, the province or the city and that it happened, and the installment on its date."""
    level = fact(entity, Enum, level_label, possible_values=HonourLevel, reference="binjiang/五")
    when = fact(entity, date, date_label, default=NOT_GIVEN, reference="binjiang/五")
    honoured = condition(
        entity, honour_label, "binjiang/五",
        lambda population, period, parameters: np.isin(population(f"{name}_level", period), HONOURED))
    happened_ = dated(entity, dated_label, "binjiang/五", f"{name}_date")

    @installments(measure_id)
    def reward(population, period, parameters):
        amount = _honour_amount(population(f"{name}_level", period), system_params(population, period).c05.award)
        return Installments.stack([(population(f"{name}_date", period), amount)])

    return level, when, honoured, happened_


# --- the mentor (person) ---------------------------------------------------------------------------
(binjiang_5_mentor_competition_level, binjiang_5_mentor_competition_date, binjiang_5_mentor_competition_award,
 binjiang_5_mentor_competition_dated) = _honour(
    Person, "binjiang_5_mentor_competition", "binjiang/五/mentor_competition",
    "获得的职业指导等技能竞赛奖项的组织级别", "职业指导等技能竞赛获奖日期",
    "获得国家、省、市组织的职业指导等技能竞赛奖项", "获奖日期在本意见施行之后、评估日或之前")
(binjiang_5_mentor_advanced_level, binjiang_5_mentor_advanced_date, binjiang_5_mentor_advanced_title,
 binjiang_5_mentor_advanced_dated) = _honour(
    Person, "binjiang_5_mentor_advanced", "binjiang/五/mentor_advanced",
    "被评为先进个人的评选组织级别", "被评为先进个人的日期",
    "被国家、省、市评为先进个人", "评选日期在本意见施行之后、评估日或之前")


# --- the public-welfare organisation ----------------------------------------------------------------
(binjiang_5_org_competition_level, binjiang_5_org_competition_date, binjiang_5_org_competition_award,
 binjiang_5_org_competition_dated) = _honour(
    Organisation, "binjiang_5_org_competition", "binjiang/五/organisation_competition",
    "组织获得的职业指导等技能竞赛奖项的组织级别", "组织获得职业指导等技能竞赛奖项的日期",
    "获得国家、省、市组织的职业指导等技能竞赛奖项", "获奖日期在本意见施行之后、评估日或之前")
(binjiang_5_org_advanced_level, binjiang_5_org_advanced_date, binjiang_5_org_advanced_title,
 binjiang_5_org_advanced_dated) = _honour(
    Organisation, "binjiang_5_org_advanced", "binjiang/五/organisation_advanced",
    "被评为先进组织的评选组织级别", "被评为先进组织的日期",
    "被国家、省、市评为先进组织", "评选日期在本意见施行之后、评估日或之前")


# --- the district mentor pool: sessions ------------------------------------------------------------

def _took_part(person, period, parameters):
    return ((person("binjiang_5_online_sessions", period)
        + person("binjiang_5_offline_sessions", period)) > 0)


binjiang_5_year_in_force = in_force_year(
    Person, "服务所属年度已给出，且在本意见施行之后结束", "binjiang/五", "binjiang_5_session_year")


@installments("binjiang/五/mentor_sessions")
def mentor_session_subsidy(person, period, parameters):
    p = system_params(person, period).c05
    amount = (p.session_online * person("binjiang_5_online_sessions", period)
              + p.session_offline * person("binjiang_5_offline_sessions", period))
    year = person("binjiang_5_session_year", period)
    return Installments.stack([(only_if(year > 0, year_end(year)), amount)])


named(globals())
