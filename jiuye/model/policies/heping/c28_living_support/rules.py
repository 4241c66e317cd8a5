"""heping （二十八） 做好困难人员生活保障: 一次性2000元临时生活补助 (until 2020-12-31); 600 a month deducted from the
assessed income of 低保/低收入 families for a year from a first labour contract.
"""

from datetime import date

import numpy as np
from openfisca_core.variables import Variable

from jiuye.model import base
from jiuye.model.base import MONTH, NOT_GIVEN, Installments, condition, fact, installments, named, only_if
from jiuye.model.dates import as_days
from jiuye.model.entities import Person
from jiuye.model.facts.person import ContractType
from jiuye.model.facts.places import District
from jiuye.model.schedules import first_instant, parameter_history, parameter_on

from ..common import calendar_months


# --- （二十八） 临时生活补助、就业收入扣减 ---------------------------------------------------------------
heping_28_low_income_family = fact(
    Person, bool, "本市低收入救助家庭人员（经本市认定的低收入家庭成员）", reference="heping/二十八")
heping_28_jobless_or_graduate = fact(
    Person, bool, "无业人员或各类毕业生（签订劳动合同前）", reference="heping/二十八",
    doc="签订劳动合同前处于无业状态，或为各类学校（高校、中专、技工院校、普通高中等）毕业生。")
heping_28_first_employment = fact(
    Person, bool, "首次就业", reference="heping/二十八",
    doc="本次签订的劳动合同是其无业后或毕业后的首次就业。")

heping_28_registered_unemployed_in_heping = condition(
    Person, "我区登记失业", "heping/二十八",
    lambda person, period, parameters: (person("registered_unemployed", period)
                                        & (person("unemployment_registration_district", period) == District.heping)),
    doc="现处于失业登记状态，失业登记地在和平区。")


heping_28_formal_contract = condition(
    Person, "正式签订劳动合同", "heping/二十八",
    lambda person, period, parameters: ((person("contract_type", period) != ContractType.unknown)
                                        & (person("contract_start_date", period) <= base.assessment_day(person, period))),
    doc="已签订劳动合同（固定期限、无固定期限或以完成一定工作任务为期限），起始日不晚于评估之日。")

heping_28_family_in_heping = condition(
    Person, "家庭收入由本区核定（户籍在本区）", "heping/二十八",
    lambda person, period, parameters: person("hukou_district", period) == District.heping,
    doc="最低生活保障和低收入家庭由户籍所在区核定家庭收入：本区实施办法适用于户籍在和平区的家庭。")


class heping_28_temporary_allowance_day(Variable):
    value_type = date
    default_value = NOT_GIVEN
    entity = Person
    definition_period = MONTH
    label = "一次性临时生活补助的发放之日（登记失业之日，不早于本办法印发之日）"
    reference = "heping/二十八"

    def formula(person, period, parameters):
        allowance = parameter_history(person, "heping.c28.temporary_allowance")
        return np.maximum(as_days(person("unemployment_registration_date", period)), first_instant(allowance))


class heping_28_income_disregard_day(Variable):
    value_type = date
    default_value = NOT_GIVEN
    entity = Person
    definition_period = MONTH
    label = "就业收入扣减的起始之日（签订劳动合同之日，不早于本办法印发之日）"
    reference = "heping/二十八"

    def formula(person, period, parameters):
        monthly = parameter_history(person, "heping.c28.income_disregard_monthly")
        return np.maximum(as_days(person("contract_start_date", period)), first_instant(monthly))


@installments("heping/二十八/temporary_allowance")
def temporary_living_allowance(person, period, parameters):
    allowance = parameter_history(person, "heping.c28.temporary_allowance")
    due = as_days(person("heping_28_temporary_allowance_day", period))
    amount = parameter_on(allowance, due)                    # none after 2020-12-31
    return Installments.stack([(only_if(~np.isnan(amount), due), np.nan_to_num(amount))])


@installments("heping/二十八/income_disregard")
def income_disregard(person, period, parameters):
    monthly = parameter_history(person, "heping.c28.income_disregard_monthly")
    years = parameters.heping.c28.income_disregard_years
    start = as_days(person("contract_start_date", period))
    end = as_days(person("contract_end_date", period))
    slots = []
    for first_day, last_day in calendar_months(start.astype("datetime64[M]"), 12 * int(years)):
        amount = parameter_on(monthly, last_day)           # none for months ending before 2020-06-30
        paid = (first_day <= end) & ~np.isnan(amount)
        slots.append((only_if(paid, last_day), np.nan_to_num(amount)))
    return Installments.stack(slots)


named(globals())
