"""Facts about a person, shared by every district."""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from ..base import MONTH, ETERNITY, fact, named
from ..dates import age_in_years, month_first_day, period_last_day
from ..entities import Person
from openfisca_core.variables import Variable
from .places import City, District, city_of


class Sex(Enum):
    unknown = "未知"
    male = "男"
    female = "女"


class RetirementCategory(Enum):
    unknown = "未知"
    male = "男职工（原法定退休年龄60周岁）"
    female_55 = "女职工（原法定退休年龄55周岁）"
    female_50 = "女职工（原法定退休年龄50周岁）"


class EducationLevel(Enum):
    unknown = "未知"
    below_secondary = "初中及以下"
    high_school = "普通高中"
    secondary_vocational = "中专（中等职业学校）"
    technical_school = "技工院校"
    college = "大专"
    bachelor = "本科"
    master = "硕士研究生"
    doctor = "博士研究生"


class ContractType(Enum):
    unknown = "未知"
    fixed_term = "固定期限劳动合同"
    open_ended = "无固定期限劳动合同"
    task_based = "以完成一定工作任务为期限的劳动合同"


class TrainingType(Enum):
    none = "未参加培训"
    entrepreneurship = "创业培训"
    skills = "技能培训"


class SkillLevel(Enum):
    none = "无"
    junior = "初级工"
    intermediate = "中级工"
    senior = "高级工"
    technician = "技师"
    senior_technician = "高级技师"


# --- identity -------------------------------------------------------------------------------
birth_date = fact(Person, date, "出生日期")
sex = fact(Person, Enum, "性别", possible_values=Sex)
retirement_category = fact(
    Person, Enum, "退休类别", possible_values=RetirementCategory,
    doc="Category of the 2024 retirement decision: men; women whose original age was 55; or 50.")

# --- household registration ------------------------------------------------------------------
hukou_district = fact(Person, Enum, "户籍所在区", possible_values=District)


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


# --- status ---------------------------------------------------------------------------------
registered_unemployed = fact(Person, bool, "登记失业人员（现处于失业登记状态）")
unemployment_registration_date = fact(Person, date, "失业登记日期")
unemployment_registration_district = fact(Person, Enum, "失业登记所在区", possible_values=District)
registered_unemployed_at_hire = fact(
    Person, bool, "签订劳动合同时为登记失业人员",
    doc="Status at hiring, read by measures that reward hiring a registered unemployed person.")
dibao = fact(Person, bool, "享受最低生活保障待遇")
hard_to_employ = fact(Person, bool, "经认定的就业困难人员")
disabled = fact(Person, bool, "残疾人")
veteran = fact(Person, bool, "退役士兵（退役军人）")
public_welfare_placed = fact(Person, bool, "社会公益性就业组织安置人员")
city_diverted_worker = fact(Person, bool, "本市分流职工")
rural_labour = fact(Person, bool, "农村劳动力", doc="Per the city's definition (Beijing: 京人社就发〔2018〕106号).")
employed = fact(Person, bool, "已在用人单位就业", doc="Currently employed by an employer (单位就业).")
flexibly_employed = fact(Person, bool, "已实现灵活就业")
receives_unemployment_insurance = fact(Person, bool, "正在享受失业保险金、一次性临时生活补贴等失业保险待遇")
receives_flexible_employment_si_subsidy = fact(Person, bool, "正在享受灵活就业社会保险补贴")

# --- registry statuses (实名制就业帮扶台账: the service duties read them) ------------------------------
willing_to_work = fact(Person, bool, "有就业意愿")
left_school_unemployed = fact(Person, bool, "离校未就业高校毕业生（实名登记在册）",
                              doc="Recorded in the registry as a graduate who left school without a job.")
difficult_family_member = fact(Person, bool, "困难家庭成员（城乡低保、低收入、零就业等困难家庭）")
residence_district = fact(Person, Enum, "常住地所在区（实名制台账：所在社区的区）", possible_values=District)

# --- education --------------------------------------------------------------------------------
education_level = fact(Person, Enum, "最高学历", possible_values=EducationLevel)
graduation_date = fact(Person, date, "毕业日期")
student_origin_city = fact(Person, Enum, "生源地（入学前户籍所在市）", possible_values=City)

# --- labour contract (with the person's organisation) -------------------------------------------
contract_start_date = fact(Person, date, "劳动合同起始日期")
contract_type = fact(Person, Enum, "劳动合同类型", possible_values=ContractType)
contract_term_months = fact(Person, int, "劳动合同期限（月）", unit="month")
contract_termination_date = fact(
    Person, date, "劳动合同提前解除或终止日期", default=date(9999, 12, 31), optional=True,
    doc="Only when the contract ended before its term. Not given = still in force.")
monthly_wage = fact(Person, float, "月工资（元）", unit="currency-CNY")
wage_paid_monthly_in_full = fact(Person, bool, "按月足额发放工资")
social_insurance_paid = fact(Person, bool, "按规定缴纳职工社会保险")

# --- training and certificates -----------------------------------------------------------------
training_type = fact(Person, Enum, "参加的培训类型", possible_values=TrainingType)
training_end_date = fact(Person, date, "培训结束日期")
training_fee = fact(Person, float, "培训费（元）", unit="currency-CNY", optional=True,
                   doc="Not given: the amount is shown as unknown (待定), never as zero.")
entrepreneurship_certificate = fact(Person, bool, "获得《创业合格证书》")
completion_certificate = fact(Person, bool, "取得技能培训《结业证书》")
skill_certificate_level = fact(Person, Enum, "取得的国家职业资格或职业技能等级证书等级", possible_values=SkillLevel)
skill_certificate_date = fact(Person, date, "职业资格或技能等级证书取得日期")

# --- internship -------------------------------------------------------------------------------
internship_start_date = fact(Person, date, "就业见习开始日期")
internship_end_date = fact(Person, date, "就业见习结束日期")


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "年龄（周岁，按当月最后一日计）"

    def formula(person, period, parameters):
        return age_in_years(person("birth_date", period), period_last_day(period))


class contract_end_date(Variable):
    value_type = date
    default_value = date(9999, 12, 31)
    entity = Person
    definition_period = ETERNITY
    label = "劳动合同实际终止日期"
    documentation = ("Last day of the contract: the earlier of its term's end (固定期限: start + term − 1 day; "
                     "无固定期限: none) and an early termination date.")

    def formula(person, period, parameters):
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
