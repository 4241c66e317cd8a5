"""The jiuye tax-benefit system: shared facts and reference values, plus one folder per document.

For each policy folder `policies/<key>/` it loads `parameters/` under the node `<key>`, imports the
folder's Python modules (conditions, installment functions) and reads `catalogue.yaml`. For every
executable measure of the catalogue it then generates four variables on the measure's unit entity:

* `<variable>__eligible` (bool, month): the catalogue's condition tree, conditions of the
  organisation read through the person's organisation when the unit is a person;
* `<variable>__total` (float, month): all installments of the case while eligible;
* `<variable>__kept` (bool, month): false when a stacking group gives the case another measure;
* `<variable>` (float, month): the installments due within the period, while eligible and kept.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import pkgutil
from pathlib import Path

import numpy as np
from openfisca_core import periods
from openfisca_core.parameters import ParameterNode
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from ..cache import save_yaml
from ..catalogue import Catalogue, Measure, clause_folders, load_catalogue, node_kind
from . import base, plain, schedules
from .base import MONTH, Installments
from .conditions import evaluate_node, evaluate_tree, has_role
from .partial import Unsupported, is_partial
from .dates import month_first_day, period_last_day
from .entities import Organisation, Person, entities

MODEL_DIR = Path(__file__).parent
FACT_MODULES = ("jiuye.model.facts.person", "jiuye.model.facts.organisation", "jiuye.model.facts.retirement")


def _variables_of(module) -> list[type[Variable]]:
    found = []
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Variable) and value is not Variable \
                and value.__module__ == module.__name__:
            found.append(value)
    return found


def policy_modules(key: str) -> list:
    """A document's Python modules: its package's modules (definitions, shared helpers), then each
    clause folder's modules (`rules.py` …), in folder order."""
    package = importlib.import_module(f"jiuye.model.policies.{key}")
    modules = [package]
    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg:
            modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    folder = Path(package.__path__[0])
    for clause in clause_folders(folder):
        for path in sorted(clause.glob("*.py")):
            modules.append(importlib.import_module(f"{package.__name__}.{clause.name}.{path.stem}"))
    return modules


def clause_key(folder: Path) -> str:
    """The key of a clause folder (`c06_stable_employment` -> `c06`): its parameter node's name."""
    return folder.name.split("_", 1)[0]


def document_parameters(key: str, folder: Path) -> ParameterNode | None:
    """The document's parameter node `<key>`: its `parameters/` folder, and each clause folder's
    `parameters/` as the child `<key>.<clause key>`."""
    node = ParameterNode(key, directory_path=str(folder / "parameters")) if (folder / "parameters").is_dir() else None
    for clause in clause_folders(folder):
        if (clause / "parameters").is_dir():
            if node is None:
                node = ParameterNode(key, data={"description": key})
            child_name = clause_key(clause)
            child = ParameterNode(f"{key}.{child_name}", directory_path=str(clause / "parameters"))
            node.add_child(child_name, child)
    return node


class JiuyeSystem(TaxBenefitSystem):
    """The model. `catalogue` is the clause catalogue the executable measures come from."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        super().__init__(entities)
        self.catalogue = catalogue or load_catalogue()
        for name in FACT_MODULES:
            self.add_variables(*_variables_of(importlib.import_module(name)))
        with _cached_parameter_files():
            self.load_parameters(str(MODEL_DIR / "parameters"))
            nodes = {key: document_parameters(key, MODEL_DIR / "policies" / key)
                     for key in sorted(self.catalogue.documents)}
        for key in sorted(self.catalogue.documents):
            if nodes[key] is not None:
                self.parameters.add_child(key, nodes[key])
            for module in policy_modules(key):
                self.add_variables(*_variables_of(module))
        save_yaml()     # the facts.yaml files the modules just declared (jiuye.model.declared), parsed once
        for document in self.catalogue.documents.values():
            for name, spec in (document.definitions or {}).items():
                self._add_definition_variable(name, spec, document.definitions)
        self.installment_functions = base.registered_installments()
        for measure in self.catalogue.executable():
            if measure.id not in self.installment_functions:
                raise ValueError(f"executable measure {measure.id} has no installment function")
            self._add_measure_variables(measure)
        self._stacking = _stacking_groups(self.catalogue)

    # -- generated variables -----------------------------------------------------------------
    def _add_measure_variables(self, measure: Measure) -> None:
        entity = Person if measure.entity == "person" else Organisation
        system = self
        tree = list(measure.conditions)
        role = measure.role
        window = in_force_condition(measure)
        if window is not None:
            self.add_variable(window)
            tree = [window.__name__] + tree
        not_yet = _not_yet_in_force(measure)

        def eligible(population, period, parameters):
            short = plain.short_circuits(population)
            if not_yet(period):     # before the document takes effect its rules are not in force
                return plain.constant(population, False) if short else np.zeros(population.count, dtype=bool)
            if short:
                return plain.shared_if_constant(population, plain.eligible_plain(
                    population, tree, period, role if measure.beneficiary == "organisation" else None))
            result = evaluate_tree(population, tree, period)
            if role and population.entity.is_person and measure.beneficiary == "organisation":
                result = result & has_role(population, getattr(Organisation, role.upper()))
            return result

        def total(population, period, parameters):
            short = plain.short_circuits(population)
            if not_yet(period):
                return plain.constant(population, 0.0) if short else np.zeros(population.count)
            inst = system.installments_of_eligible(population, measure, period)
            if short:
                return plain.scattered_sums(population, inst, lambda i: i.total())
            return inst.total()

        def kept(population, period, parameters):
            result = system.stacking_kept(population, measure, period)
            return plain.shared_if_constant(population, result) if plain.short_circuits(population) else result

        def due(population, period, parameters):
            short = plain.short_circuits(population)
            if not_yet(period):
                return plain.constant(population, 0.0) if short else np.zeros(population.count)
            inst = system.installments_of_eligible(population, measure, period, due_only=True)
            first, last = month_first_day(period), period_last_day(period)
            kept_ = population(f"{measure.variable}__kept", period)
            if short:
                return plain.scattered_sums(population, inst, lambda i: i.due_between(first, last), kept_)
            return inst.due_between(first, last) * kept_

        label = f"{measure.title}（{measure.id}）"
        for suffix, value_type, formula, text in (
            ("__eligible", bool, eligible, "符合条件"),
            ("__total", float, total, "应享受总额"),
            ("__kept", bool, kept, "叠加规则下保留"),
            ("", float, due, "当期应发金额"),
        ):
            attrs = {
                "value_type": value_type,
                "entity": entity,
                "definition_period": MONTH,
                "label": f"{label}：{text}",
                "reference": measure.clause,
                "formula": formula,
            }
            if value_type is float:
                attrs["unit"] = "currency-CNY"
            self.add_variable(type(measure.variable + suffix, (Variable,), attrs))

    def installments_of_eligible(self, population, measure: Measure, period, due_only: bool = False):
        """The measure's installments where it is eligible (zero elsewhere), computed only for the
        rows that are not known to be ineligible: the installment function runs on a row view of
        those rows (a plain OpenFisca population: `RowView`; the three-valued evaluator: its own
        row views) and the sums are scattered back. Where eligibility is not decided the amounts
        are bounded by 0 and the schedule's."""
        from .rowview import RowView, ScatteredInstallments
        eligible = population(f"{measure.variable}__eligible", period)
        n = population.count
        cache = _installments_cache(population)
        key = (measure.id, str(period), "eligible", due_only)
        if key in cache:
            return cache[key]
        possible = eligible.hi if is_partial(eligible) else np.asarray(eligible, bool)
        rows = plain.EMPTY if plain.is_constant(population, possible, False) else np.flatnonzero(possible)
        if len(rows) == 0:
            result = ScatteredInstallments(n, rows, None)
        elif len(rows) == n:
            result = self.installments_for(population, measure, period, due_only=due_only)
        else:
            restrict = getattr(population, "restrict", None)
            if restrict is not None:
                view = restrict(rows)
            elif hasattr(population, "get_holder") and len(rows) * 8 <= n:
                view = RowView(population, rows)
            else:
                view = None
            if view is None:
                inst = self.installments_for(population, measure, period, due_only=due_only)
                result = Installments(inst.due, np.where(possible.reshape(-1, 1), inst.amount, 0.0), inst.ceiling)
            else:
                result = ScatteredInstallments(n, rows, self.installments_for(view, measure, period, due_only=due_only))
        if is_partial(eligible):
            if isinstance(result, ScatteredInstallments):       # kept scattered: the rows' amounts only
                if result.inner is not None:
                    inner = result.inner
                    mask = eligible[result.index].reshape(-1, 1)
                    result = ScatteredInstallments(n, result.index, Installments(
                        inner.due, np.where(mask, inner.amount, 0.0), inner.ceiling))
            else:
                result = Installments(result.due, np.where(eligible.reshape(-1, 1), result.amount, 0.0),
                                      result.ceiling)
        cache[key] = result
        return result

    def _add_definition_variable(self, name: str, spec: dict, definitions: dict) -> None:
        """A named condition group as a variable too, so formulas can read it (e.g. counts)."""
        from ..catalogue import expand_tree
        kind = node_kind(spec)
        node = {kind: expand_tree(spec[kind], definitions)}

        def formula(population, period, parameters):
            return evaluate_node(population, node, period)

        from ..catalogue import condition_names
        first = self.get_variable(condition_names([node])[0], check_existence=True)
        entity = first.entity
        self.add_variable(type(name, (Variable,), {
            "value_type": bool, "entity": entity, "definition_period": MONTH,
            "label": spec["label"], "reference": spec["clause"], "formula": formula}))

    def installments_for(self, population, measure: Measure, period, due_only: bool = False) -> Installments:
        """The measure's installments for every case of `population`, assessed in `period` (cached on
        the simulation). With `due_only`, at least those due within the period: the shared schedule
        helpers then skip the slots that cannot fall in it."""
        cache = _installments_cache(population)
        key = (measure.id, period)
        if measure.cap or self._sum_cap_group(measure):
            due_only = False     # a cap is reached over the whole schedule, not within one month
        if due_only and key not in cache:
            window_key = (measure.id, period, "due")
            if window_key not in cache:
                with schedules.due_window(month_first_day(period), period_last_day(period)):
                    cache[window_key] = self._installments(population, measure, period)
            return cache[window_key]
        if key not in cache:
            cache[key] = self._installments(population, measure, period)
        return cache[key]

    def _parameters_for(self, population, measure: Measure, period):
        instant = period.start
        if measure.valid_from and str(instant) < measure.valid_from:
            instant = periods.instant(measure.valid_from)   # a window opening mid-month
        # the simulation's own system: under an OpenFisca Reform its parameters are the reformed ones
        return population.simulation.tax_benefit_system.get_parameters_at_instant(instant)

    def _raw_installments(self, population, measure: Measure, period) -> Installments:
        """The installment function's own result, before the catalogue's caps."""
        cache = _installments_cache(population)
        key = (measure.id, period, "raw")
        if key not in cache:
            function = self.installment_functions[measure.id]
            cache[key] = _call(function, population, period, self._parameters_for(population, measure, period))
        return cache[key]

    def _installments(self, population, measure: Measure, period) -> Installments:
        """Installments with the caps the catalogue declares: the measure's own `cap`, then a
        `sum_cap` stacking group's cap shared with the group's earlier members (catalogue order)."""
        if not measure.cap and not self._sum_cap_group(measure):
            function = self.installment_functions[measure.id]
            return _call(function, population, period, self._parameters_for(population, measure, period))
        parameters = self._parameters_for(population, measure, period)
        inst = self._raw_installments(population, measure, period)
        if measure.cap:
            inst = inst.capped(_parameter_value(parameters, measure.cap["parameter"]), measure.cap.get("per", "total"))
        group = self._sum_cap_group(measure)
        if group:
            earlier = group[:[m.id for m in group].index(measure.id)]
            prior = None
            if earlier:
                # what the earlier members pay (while eligible) uses the cap up first
                parts = [(self.installments_for(population, m, period), population(f"{m.variable}__eligible", period))
                         for m in earlier]
                prior = Installments(
                    np.concatenate([p.due for p, _ in parts], axis=1),
                    np.concatenate([np.where(e.reshape(-1, 1), p.amount, 0.0) for p, e in parts], axis=1),
                    np.concatenate([p.ceiling for p, _ in parts], axis=1))
            cap = _parameter_value(parameters, measure.stacking["cap"])
            inst = inst.capped(cap, measure.stacking.get("per", "total"), already=prior)
        return inst

    def _sum_cap_group(self, measure: Measure) -> list[Measure] | None:
        if measure.stacking and measure.stacking.get("policy") == "sum_cap":
            return self._stacking.get(measure.stacking["group"])
        return None

    def stacking_kept(self, population, measure: Measure, period) -> np.ndarray:
        group = measure.stacking and self._stacking.get(measure.stacking["group"])
        if group and measure.stacking.get("policy") == "sum_cap":
            return np.ones(population.count, dtype=bool)   # all kept; the cap is applied to the amounts
        if not group:
            return np.ones(population.count, dtype=bool)
        mine = population(f"{measure.variable}__total", period)
        kept = np.ones(population.count, dtype=bool)
        before = True
        for other in group:
            if other.id == measure.id:
                before = False
                continue
            theirs = population(f"{other.variable}__total", period)
            # the highest amount wins; on a tie the measure listed first in the catalogue
            kept = kept & ((mine > theirs) if before else (mine >= theirs))   # not &=: kept may become partial
        return kept & (mine > 0)


def _call(function, population, period, parameters) -> Installments:
    """An installment function on a population; in the three-valued evaluator, a function that
    cannot run on partially known values runs strictly (unknown where what it read is)."""
    try:
        return function(population, period, parameters)
    except Unsupported as error:
        strictly = getattr(population, "strictly", None)
        if strictly is None:
            raise
        run = lambda: function(population, period, parameters)      # noqa: E731
        run.__name__ = getattr(function, "__name__", "installments")
        population.evaluation.strict_reasons[run.__name__] = str(error)
        return strictly(run)


@contextlib.contextmanager
def _cached_parameter_files():
    """OpenFisca reads every parameter file with PyYAML (`parameters.helpers._load_yaml_file`); while
    the system is built, a file whose bytes were parsed before is read from the cache instead
    (jiuye.cache: about a third of `jiuye calc`'s start-up). A file that does not parse goes to
    OpenFisca's own reader, which names it."""
    from openfisca_core.parameters import helpers
    from ..cache import cached_yaml, save_yaml
    original = helpers._load_yaml_file

    def load(file_path):
        try:
            return cached_yaml(Path(file_path), lambda text: helpers.config.yaml.load(text, Loader=helpers.config.Loader))
        except Exception:
            return original(file_path)
    helpers._load_yaml_file = load
    try:
        yield
    finally:
        helpers._load_yaml_file = original
        save_yaml()


def _installments_cache(population) -> dict:
    """Installments are kept on the population object itself (a row view has its own)."""
    return population.__dict__.setdefault("_jiuye_installments", {})


def _parameter_value(parameters, path: str):
    node = parameters
    for part in path.split("."):
        node = node[part] if hasattr(node, "__getitem__") and not hasattr(node, part) else getattr(node, part)
    return node


def _not_yet_in_force(measure: Measure):
    """True for an assessment month that ends before the measure's window opens."""
    first = measure.valid_from

    def not_yet(period) -> bool:
        return bool(first) and base._period_days(period)[1] < first
    return not_yet


def in_force_condition(measure: Measure):
    """The condition that the measure's qualifying event (its legal moment: the hire, the internship
    start, the registration …; the application where the record names none) falls within the
    validity window. An entitlement that arose inside the window keeps its schedule afterwards."""
    first, last = measure.valid_from, measure.valid_to
    if not first and not last:
        return None
    moment = measure.moment or {}
    what = moment.get("label") or "申请之日"
    span = f"{first or '施行之日'}至{last or '无截止日期'}"
    label = f"{what}在措施有效期内（{span}）"
    measure_id = measure.id
    low = np.datetime64(first, "D") if first else None
    high = np.datetime64(last, "D") if last else None

    def formula(population, period, parameters):
        day = base.moment_day(population, period, measure_id)
        # (day >= low) & (day <= high): the same values and reasons as ones(n) & … (a
        # conjunction's reasons are its open operands'), two operations fewer on partial values
        if low is not None and high is not None:
            return (day >= low) & (day <= high)
        return (day >= low) if low is not None else (day <= high)

    return type(f"{measure.variable}__in_force", (Variable,), {
        "value_type": bool, "entity": Person if measure.entity == "person" else Organisation,
        "definition_period": MONTH, "label": label, "reference": measure.clause, "formula": formula,
        "documentation": (moment.get("note") or None)})


def _stacking_groups(catalogue: Catalogue) -> dict[str, list[Measure]]:
    groups: dict[str, list[Measure]] = {}
    for measure in catalogue.executable():
        if measure.stacking:
            groups.setdefault(measure.stacking["group"], []).append(measure)
    for name, members in groups.items():
        entities_ = {m.entity for m in members}
        if len(entities_) != 1:
            raise ValueError(f"stacking group {name} mixes units {entities_}")
    return groups


@functools.cache
def get_system() -> JiuyeSystem:
    """The model, built once per process; its objects then frozen out of the cyclic collector
    (jiuye.runtime.settle_heap: they live as long as the process)."""
    from ..runtime import settle_heap
    system = JiuyeSystem()
    settle_heap()
    return system
