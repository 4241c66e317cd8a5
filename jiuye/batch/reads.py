"""Which input facts a variable reads, and through which entities: (fact, path) pairs, path the steps
from the variable's entity to the fact's ('org': a person's organisation, 'members': an
organisation's members). The costing uses it to say which measures rest on placeholder facts and
which assumed distributions and calibrated counts reach each measure (jiuye.batch.uncertainty).

Read from the traced dependency map of the formulas (jiuye.assess.dependencies); formulas form no
cycle (guarded anyway).
"""

from __future__ import annotations

import weakref

from ..cache import per_system

ORG, MEMBERS = "org", "members"


class FactPaths:
    def __init__(self, system, deps=None) -> None:
        if deps is None:
            from ..assess.dependencies import dependencies
            deps = dependencies(system)
        from ..model.base import OPTIONAL_FACTS
        self._system, self.deps, self.optional = weakref.ref(system), deps, OPTIONAL_FACTS
        self._memo: dict[str, frozenset] = {}

    @property
    def system(self):
        """The system (a weak reference: `fact_paths` keeps this per system, weakly keyed)."""
        return self._system()

    def of(self, name: str) -> frozenset:
        """{(fact, path)} the variable `name` reads (a fact reads itself, with the empty path)."""
        if name in self._memo:
            return self._memo[name]
        variables = self.system.variables
        variable = variables[name]
        if not variable.formulas:
            result = frozenset() if name in self.optional else frozenset({(name, ())})
        else:
            self._memo[name] = frozenset()
            found = set()
            mine = variable.entity.key
            for dep in self.deps.variables.get(name, ()):
                theirs = variables[dep].entity.key
                step = () if theirs == mine else ((ORG,) if mine == "person" else (MEMBERS,))
                found.update((fact, step + path) for fact, path in self.of(dep))
            result = frozenset(found)
        self._memo[name] = result
        return result

    def of_measure(self, measure) -> frozenset:
        """What a measure's conditions and schedule read (its generated __eligible and __total)."""
        out = set()
        for suffix in ("__eligible", "__total", ""):
            name = f"{measure.variable}{suffix}"
            if name in self.system.variables:
                out |= self.of(name)
        return frozenset(out)


@per_system
def fact_paths(system) -> FactPaths:
    return FactPaths(system)
