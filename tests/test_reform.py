"""An OpenFisca reform of a parameter reaches the installment amounts (plain OpenFisca, no batch)."""

from openfisca_core.reforms import Reform
from openfisca_core.simulation_builder import SimulationBuilder

from .test_explain import BASE


def test_a_reform_changes_the_installments(system):
    def modify(parameters):
        scale = parameters.xicheng.c06.post_subsidy
        for bracket, amount in zip(scale.brackets, (8000, 10000, 15000)):
            bracket.amount.update(start=parameters.xicheng.c06.post_subsidy.brackets[0].amount.values_list[-1].instant_str,
                                  value=amount)
        return parameters

    class Richer(Reform):
        def apply(self):
            self.modify_parameters(modifier_function=modify)

    reformed = Richer(system)
    for tbs, expected in ((system, 6000 + 9000 + 12000), (reformed, 8000 + 10000 + 15000)):
        builder = SimulationBuilder()
        builder.set_default_period("2026-11")
        simulation = builder.build_from_entities(tbs, BASE)
        assert simulation.calculate("xicheng_6_employer__total", "2026-11")[0] == expected
