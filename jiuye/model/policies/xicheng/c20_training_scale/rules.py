"""Clause 20 (强化重点领域校企合作): a one-off 30000 / 50000 / 100000 to a qualified training provider by its
yearly training scale (persons of five key fields trained 20课时 or more).
"""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, Installments, condition, fact, installments, named, only_if
from jiuye.model.dates import DAY
from jiuye.model.entities import Organisation, Person
from jiuye.model.schedules import scale_calc
from jiuye.model.partial import asarray


def _year_end(year) -> np.ndarray:
    """31 December of a calendar year given as an int (vectorised)."""
    year = asarray(year, dtype=np.int64)
    next_year = (np.maximum(year, 1) - 1969).astype("datetime64[Y]")
    return next_year.astype("datetime64[D]") - DAY


class KeyField(Enum):
    unknown = "未知"
    tech_innovation = "科技创新"
    finance = "金融"
    culture_heritage = "文创非遗"
    city_operation = "城市运行保障"
    life_services = "生活性服务"
    other = "其他领域"


FIVE_FIELDS = [KeyField[n].index for n in
               ("tech_innovation", "finance", "culture_heritage", "city_operation", "life_services")]

xicheng_20_training_qualification = fact(
    Organisation, bool, "取得本区职业技能培训资质", reference="xicheng/20")
xicheng_20_training_year = fact(
    Organisation, int, "培训年度（年培训规模所属的年份）", reference="xicheng/20", unit="year")
# one fact per trainee, for a provider whose trainees are listed as its members
xicheng_20_training_minutes = fact(
    Person, int, "在该培训机构参加培训的时长（分钟）", reference="xicheng/20", unit="minute")
xicheng_20_employer_registered_insured_taxed = fact(
    Person, bool, "所在企业在本区注册、参保、纳税", reference="xicheng/20")
xicheng_20_employer_field = fact(
    Person, Enum, "所在企业所属领域", possible_values=KeyField, reference="xicheng/20")

xicheng_20_trainee_minutes = condition(
    Person, "不低于20课时（900分钟）培训", "xicheng/20",
    lambda person, period, parameters: person("xicheng_20_training_minutes", period)
    >= parameters(period).xicheng.c20.min_minutes)
xicheng_20_trainee_employer_in_five_fields = condition(
    Person, "科技创新、金融、文创非遗、城市运行保障、生活性服务等五个领域的企业职工", "xicheng/20",
    lambda person, period, parameters: np.isin(person("xicheng_20_employer_field", period), FIVE_FIELDS))


class xicheng_20_training_scale(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "年培训规模（对本区注册、参保、纳税的五个领域企业职工开展不低于20课时（900分钟）培训的人数）"
    reference = "xicheng/20"
    documentation = ("实际培训机构可直接填写人数（填写值优先于公式）；未填写时，按该机构成员（members）中"
                     "符合三项学员条件的人数计算。")

    def formula(org, period, parameters):
        ok = (org.members("xicheng_20_trainee_minutes", period)
              & org.members("xicheng_20_employer_registered_insured_taxed", period)
              & org.members("xicheng_20_trainee_employer_in_five_fields", period))
        return org.sum(ok, role=Organisation.MEMBER)


def _scale_at_least_1000(org, period, parameters):
    first = parameters(period).xicheng.c20.subsidy.thresholds[0]
    return (org("xicheng_20_training_scale", period) >= first) & (org("xicheng_20_training_year", period) > 0)


xicheng_20_scale_at_least_1000 = condition(
    Organisation, "年培训规模1000人（含）以上", "xicheng/20", _scale_at_least_1000,
    doc="规模按培训年度计，须给出培训年度。")


@installments("xicheng/20")
def key_field_training_subsidy(org, period, parameters):
    scale = org("xicheng_20_training_scale", period)
    year = org("xicheng_20_training_year", period)
    amount = scale_calc(parameters.xicheng.c20.subsidy, scale)
    return Installments.stack([(only_if(year > 0, _year_end(year)), amount)])


named(globals())
