"""Clauses 19–23 (五、强化职业能力建设 / 高技能人才): training subsidies, master studios, high-skilled hires,
skills competitions.

All five clauses turn on 在本区注册、参保、纳税的企业 (declared as the named definition
`xicheng_registered_insured_taxed_enterprise` in `catalogue.d/c19_c23.yaml`, built from the four
organisation conditions below). One-off amounts fall due on the date of the event the text hinges on
(training completed, year of the training scale ended, recognition, certificate, award, event held);
conditions that establish such an event read its date, so a missing date leaves the case
undetermined instead of dating the payment 1970-01-01.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, NOT_GIVEN, assessment_day, condition, fact, installments, Installments, named, only_if
from jiuye.model.dates import DAY, add_years
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.person import SkillLevel

from jiuye.model.partial import asarray


def _year_end(year) -> np.ndarray:
    """31 December of a calendar year given as an int (vectorised)."""
    year = asarray(year, dtype=np.int64)
    next_year = (np.maximum(year, 1) - 1969).astype("datetime64[Y]")
    return next_year.astype("datetime64[D]") - DAY


# =================================================================================================
# 在本区注册、参保、纳税的企业 (clauses 19–23): the three conditions are in common.py (also clause 17)
# =================================================================================================
xicheng_enterprise = condition(
    Organisation, "企业", "xicheng/19",
    lambda org, period, parameters: np.isin(org("org_type", period), [t.index for t in ENTERPRISE_TYPES]),
    doc="有限责任公司、股份有限公司及其他企业（合伙企业、个人独资企业等）；个体工商户、民办非企业单位、"
        "律师事务所、会计师事务所、行业协会、商会不是企业。")


# =================================================================================================
# 19 提升劳动者职业素养: 200 per employee trained online for 1800 minutes or more
# =================================================================================================
xicheng_19_traceable_online_platform = fact(
    Organisation, bool, "使用可追溯培训记录的线上平台组织职工培训", reference="xicheng/19")
xicheng_19_online_training_minutes = fact(
    Person, int, "在单位可追溯培训记录的线上平台累计参加职业素质、岗位技能提升等培训的时长（分钟）",
    reference="xicheng/19", unit="minute")


def _online_minutes(person, period, parameters):
    minimum = parameters(period).xicheng.c19.min_minutes
    minutes = person("xicheng_19_online_training_minutes", period)
    ended = person("training_end_date", period) <= assessment_day(person, period)
    return (minutes >= minimum) & ended


xicheng_19_at_least_1800_minutes = condition(
    Person, "累计不低于40课时（1800分钟）", "xicheng/19", _online_minutes,
    doc="按分钟计：1800分钟（含）以上符合；培训结束日期（累计时长达到的日期）在评估之日或之前。")


@installments("xicheng/19")
def online_training_subsidy(person, period, parameters):
    p = parameters.xicheng.c19
    return Installments.stack([(person("training_end_date", period), p.subsidy_per_person)])


# =================================================================================================
# 20 强化重点领域校企合作: a provider's yearly training scale, 30000 / 50000 / 100000 one-off
# =================================================================================================
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
    amount = parameters.xicheng.c20.subsidy.calc(scale)
    return Installments.stack([(only_if(year > 0, _year_end(year)), amount)])


# =================================================================================================
# 21 发挥高技能人才引领作用: studio / training base 100000; certificates 2000 / 2500 / 3000
# =================================================================================================
xicheng_21_master_studio = fact(
    Organisation, bool, "建立符合区级认定标准的技能大师工作室", reference="xicheng/21")
xicheng_21_master_studio_date = fact(
    Organisation, date, "技能大师工作室通过区级认定的日期", default=NOT_GIVEN, reference="xicheng/21")
xicheng_21_training_base = fact(
    Organisation, bool, "建立符合区级认定标准的技能人才实训基地", reference="xicheng/21")
xicheng_21_training_base_date = fact(
    Organisation, date, "技能人才实训基地通过区级认定的日期", default=NOT_GIVEN, reference="xicheng/21")
xicheng_21_trained_by_enterprise = fact(
    Person, bool, "由本企业（技能大师工作室、技能人才实训基地）培养", reference="xicheng/21")

xicheng_21_has_master_studio = condition(
    Organisation, "建立符合区级认定标准的技能大师工作室", "xicheng/21",
    lambda org, period, parameters: org("xicheng_21_master_studio", period)
    & (org("xicheng_21_master_studio_date", period) <= assessment_day(org, period)),
    doc="认定日期在评估之日或之前。")
xicheng_21_has_training_base = condition(
    Organisation, "建立符合区级认定标准的技能人才实训基地", "xicheng/21",
    lambda org, period, parameters: org("xicheng_21_training_base", period)
    & (org("xicheng_21_training_base_date", period) <= assessment_day(org, period)),
    doc="认定日期在评估之日或之前。")


HIGH_SKILL_LEVELS = [SkillLevel[n].index for n in ("senior", "technician", "senior_technician")]


def _certificate_obtained(person, period, parameters):
    level = person("skill_certificate_level", period)
    return np.isin(level, HIGH_SKILL_LEVELS) & (person("skill_certificate_date", period) <= assessment_day(person, period))


xicheng_21_high_skill_certificate = condition(
    Person, "取得高级工、技师、高级技师国家职业资格或职业技能等级证书", "xicheng/21", _certificate_obtained,
    doc="证书取得日期在评估之日或之前。")


@installments("xicheng/21/studio")
def master_studio_subsidy(org, period, parameters):
    amount = parameters.xicheng.c21.studio_subsidy
    return Installments.stack([
        (only_if(org("xicheng_21_master_studio", period), org("xicheng_21_master_studio_date", period)), amount),
        (only_if(org("xicheng_21_training_base", period), org("xicheng_21_training_base_date", period)), amount),
    ])


def _by_level(level, amounts) -> np.ndarray:
    return np.select([level == SkillLevel.senior, level == SkillLevel.technician,
                      level == SkillLevel.senior_technician],
                     [amounts.senior, amounts.technician, amounts.senior_technician], 0.0)


@installments("xicheng/21/certificates")
def certificate_subsidy(person, period, parameters):
    level = person("skill_certificate_level", period)
    amount = _by_level(level, parameters.xicheng.c21.certificate_subsidy)
    return Installments.stack([(person("skill_certificate_date", period), amount)])


# =================================================================================================
# 22 营造聚才稳才良好氛围: hiring high-skilled talents from outside the district
# =================================================================================================
xicheng_22_insured_in_district_before_hire = fact(
    Person, bool, "招用前在本区参保缴费", reference="xicheng/22")
WAGE_YEARS = 4   # the hiring year and the three years whose growth is tested
xicheng_22_wage_income_year_1 = fact(
    Person, float, "劳动合同第1年（起始日起12个月）货币性工资收入（元）", reference="xicheng/22", unit="currency-CNY")
xicheng_22_wage_income_year_2 = fact(
    Person, float, "劳动合同第2年货币性工资收入（元）", reference="xicheng/22", unit="currency-CNY")
xicheng_22_wage_income_year_3 = fact(
    Person, float, "劳动合同第3年货币性工资收入（元）", reference="xicheng/22", unit="currency-CNY")
xicheng_22_wage_income_year_4 = fact(
    Person, float, "劳动合同第4年货币性工资收入（元）", reference="xicheng/22", unit="currency-CNY")


def _high_skilled_at_hire(person, period, parameters):
    level = person("skill_certificate_level", period)
    return np.isin(level, HIGH_SKILL_LEVELS) & (
        person("skill_certificate_date", period) <= person("contract_start_date", period))


xicheng_22_high_skilled_talent = condition(
    Person, "高技能人才", "xicheng/22", _high_skilled_at_hire,
    doc="招用时（劳动合同起始日或之前）已取得高级工、技师或高级技师国家职业资格或职业技能等级证书。")


def _fen(values) -> np.ndarray:
    """Yuan amounts in float64, rounded to the fen (OpenFisca stores floats as float32)."""
    return np.round(asarray(values, dtype=np.float64), 2)


def _grew(person, period, parameters, year: int) -> np.ndarray:
    """Monetary wage income of contract year `year + 1` at least 5% above that of year `year`
    (5%以上 includes 5%). Incomes and the threshold are compared at the fen in float64, so exactly
    5% is never lost to float32 storage or to 1.05 not being exact in binary."""
    rate = float(parameters.xicheng.c22.wage_growth_rate)
    before = _fen(person(f"xicheng_22_wage_income_year_{year}", period))
    after = _fen(person(f"xicheng_22_wage_income_year_{year + 1}", period))
    return after >= np.round(before * (1 + rate), 2)   # NaN (not given) compares False


xicheng_22_wage_growth_5_percent = condition(
    Person, "货币性工资收入同比增幅保持在5%以上", "xicheng/22",
    lambda person, period, parameters: _grew(person, period, parameters(period), 1),
    doc="至少第一个增长年度（劳动合同第2年对第1年）增幅达到5%（含）；以后各年见分期发放。")


def _contract_year_end(person, period, k: int) -> np.ndarray:
    return add_years(person("contract_start_date", period), k) - DAY


@installments("xicheng/22/hire")
def high_skilled_hire_subsidy(person, period, parameters):
    p = parameters.xicheng.c22
    completed = _contract_year_end(person, period, p.stable_years)
    return Installments.stack([(only_if(completed <= person("contract_end_date", period), completed),
                                p.hire_subsidy)])


@installments("xicheng/22/wage")
def high_skilled_wage_subsidy(person, period, parameters):
    p = parameters.xicheng.c22
    end = person("contract_end_date", period)
    years = min(int(p.max_years), WAGE_YEARS - 1)
    kept_up = np.ones(person.count, dtype=bool)
    slots = []
    for k in range(1, years + 1):
        kept_up = kept_up & _grew(person, period, parameters, k)
        due = _contract_year_end(person, period, k + 1)
        slots.append((only_if(kept_up & (due <= end), due), p.wage_subsidy))
    return Installments.stack(slots)


# =================================================================================================
# 23 充分挖掘各领域高技能人才: competition awards, district competitions, showcases
# =================================================================================================
class CompetitionLevel(Enum):
    none = "无"
    national = "国家级"
    city = "市级"
    other = "其他（区级及以下）"


xicheng_23_competition_level = fact(
    Person, Enum, "参加的职业技能竞赛级别", possible_values=CompetitionLevel, reference="xicheng/23")
xicheng_23_competition_rank = fact(
    Person, int, "竞赛名次（第几名）", reference="xicheng/23")
xicheng_23_award_date = fact(
    Person, date, "竞赛获奖日期", default=NOT_GIVEN, reference="xicheng/23")

xicheng_23_national_or_city_competition = condition(
    Person, "国家或市级竞赛", "xicheng/23",
    lambda person, period, parameters: np.isin(
        person("xicheng_23_competition_level", period),
        [CompetitionLevel.national.index, CompetitionLevel.city.index]))


def _top_three(person, period, parameters):
    rank = person("xicheng_23_competition_rank", period)
    awarded = person("xicheng_23_award_date", period) <= assessment_day(person, period)
    return (rank >= 1) & (rank <= parameters(period).xicheng.c23.top_rank) & awarded


xicheng_23_top_three = condition(
    Person, "取得前三名", "xicheng/23", _top_three,
    doc="名次为第1至第3名（含第3名），获奖日期在评估之日或之前。")


@installments("xicheng/23/award")
def competition_award_subsidy(person, period, parameters):
    p = parameters.xicheng.c23.award_subsidy
    level = person("xicheng_23_competition_level", period)
    amount = np.select([level == CompetitionLevel.national, level == CompetitionLevel.city],
                       [p.national, p.city], 0.0)
    return Installments.stack([(person("xicheng_23_award_date", period), amount)])


# --- district skills competitions and showcases -------------------------------------------------
xicheng_23_district_competition_organised = fact(
    Organisation, bool, "开展区级职业技能竞赛活动", reference="xicheng/23")
xicheng_23_district_competition_persons = fact(
    Organisation, int, "区级职业技能竞赛活动规模（人）", reference="xicheng/23", unit="person")
xicheng_23_district_competition_date = fact(
    Organisation, date, "区级职业技能竞赛活动举办（结束）日期", default=NOT_GIVEN, reference="xicheng/23")
xicheng_23_showcase_organised = fact(
    Organisation, bool, "作为主办单位举办高技能人才成果展示活动", reference="xicheng/23")
xicheng_23_showcase_persons = fact(
    Organisation, int, "高技能人才成果展示活动规模（人）", reference="xicheng/23", unit="person")
xicheng_23_showcase_projects = fact(
    Organisation, int, "高技能人才成果展示活动规模（项目个数）", reference="xicheng/23")
xicheng_23_showcase_date = fact(
    Organisation, date, "高技能人才成果展示活动举办（结束）日期", default=NOT_GIVEN, reference="xicheng/23")

xicheng_23_industry_association = condition(
    Organisation, "行业协会", "xicheng/23",
    lambda org, period, parameters: org("org_type", period) == OrgType.industry_association)
xicheng_23_chamber_of_commerce = condition(
    Organisation, "商会", "xicheng/23",
    lambda org, period, parameters: org("org_type", period) == OrgType.chamber_of_commerce)

xicheng_23_held_district_competition = condition(
    Organisation, "开展区级职业技能竞赛活动", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_district_competition_organised", period)
    & (org("xicheng_23_district_competition_date", period) <= assessment_day(org, period)),
    doc="活动日期在评估之日或之前。")


def _competition_at_least_30(org, period, parameters):
    first = parameters(period).xicheng.c23.district_competition_subsidy.thresholds[0]
    return org("xicheng_23_district_competition_persons", period) >= first


xicheng_23_competition_at_least_30 = condition(
    Organisation, "规模在30人（含）以上", "xicheng/23", _competition_at_least_30)

xicheng_23_held_showcase = condition(
    Organisation, "举办高技能人才成果展示活动（主办单位）", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_showcase_organised", period)
    & (org("xicheng_23_showcase_date", period) <= assessment_day(org, period)),
    doc="活动日期在评估之日或之前。")
xicheng_23_showcase_30_persons = condition(
    Organisation, "30人以上规模", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_showcase_persons", period)
    >= parameters(period).xicheng.c23.showcase_min_persons)
xicheng_23_showcase_50_projects = condition(
    Organisation, "50个项目以上规模", "xicheng/23",
    lambda org, period, parameters: org("xicheng_23_showcase_projects", period)
    >= parameters(period).xicheng.c23.showcase_min_projects)


@installments("xicheng/23/district_competition")
def district_competition_subsidy(org, period, parameters):
    persons = org("xicheng_23_district_competition_persons", period)
    amount = parameters.xicheng.c23.district_competition_subsidy.calc(persons)
    return Installments.stack([(org("xicheng_23_district_competition_date", period), amount)])


@installments("xicheng/23/showcase")
def showcase_subsidy(org, period, parameters):
    return Installments.stack([(org("xicheng_23_showcase_date", period), parameters.xicheng.c23.showcase_subsidy)])


named(globals())
