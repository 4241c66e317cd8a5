"""The OpenFisca model of jiuye (a country package: `openfisca test -c jiuye.model ...`)."""

from .system import JiuyeSystem as CountryTaxBenefitSystem  # noqa: F401
