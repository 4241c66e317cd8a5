"""Facts about an organisation, shared by every district."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from ..base import ETERNITY, named
from ..entities import Organisation
from .places import City, District, city_of
from jiuye.model.declared import declare

declare(globals(), "organisation.facts.yaml")


ENTERPRISE_TYPES = (OrgType.limited_company, OrgType.joint_stock_company, OrgType.other_enterprise)


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
