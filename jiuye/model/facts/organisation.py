"""Facts about an organisation, shared by every district."""

from datetime import date

from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from ..base import ETERNITY, fact, named
from ..entities import Organisation
from .places import City, District, city_of


class OrgType(Enum):
    unknown = "未知"
    limited_company = "有限责任公司"
    joint_stock_company = "股份有限公司"
    other_enterprise = "其他企业（合伙企业、个人独资企业等）"
    individual_business = "个体工商户"
    private_non_enterprise = "民办非企业单位"
    law_firm = "律师事务所"
    accounting_firm = "会计师事务所"
    public_welfare_employment_org = "社会公益性就业组织"
    street = "街道办事处"
    community = "社区"
    industry_association = "行业协会"
    chamber_of_commerce = "商会"
    public_institution = "机关事业单位"
    other = "其他组织"


ENTERPRISE_TYPES = (OrgType.limited_company, OrgType.joint_stock_company, OrgType.other_enterprise)

org_type = fact(Organisation, Enum, "单位类型", possible_values=OrgType)
registration_district = fact(Organisation, Enum, "注册地（所在区）", possible_values=District)
registration_date = fact(Organisation, date, "工商（法人）登记日期")
premises_district = fact(Organisation, Enum, "经营场所所在区", possible_values=District)
tax_district = fact(Organisation, Enum, "纳税所在区", possible_values=District)
social_insurance_district = fact(Organisation, Enum, "社会保险参保缴费所在区", possible_values=District)
operating_normally = fact(Organisation, bool, "正常经营")
annual_rent = fact(Organisation, float, "经营场所年租金（元）", unit="currency-CNY", optional=True,
                   doc="Not given: a 最高不超过 cap stands in for the rent, marked as a ceiling.")


class registration_city(Variable):
    value_type = Enum
    possible_values = City
    default_value = City.unknown
    entity = Organisation
    definition_period = ETERNITY
    label = "注册地（所在市）"

    def formula(organisation, period, parameters):
        return city_of(organisation("registration_district", period))


named(globals())
