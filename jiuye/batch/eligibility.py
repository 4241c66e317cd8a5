"""`<variable>__eligible` over a whole population, short-circuited: each condition is evaluated on the
rows not yet known to fail, cheapest first, and inside a condition node each further child only on
the rows the children before it leave undecided.

For persons and organisations alike, each condition's formula runs on a row view of those rows (a
condition asked for more than 1/8 of the rows is computed for every row once and shared between
measures: `jiuye.assess.views.FULL_SHARE`); the value is then put in the evaluation's cache, where
the generated formulas read it. Equal to evaluating every condition on every row, reasons included
(Kleene's three-valued logic does not depend on the order).
"""

from __future__ import annotations

import numpy as np

from ..assess.evaluation import Evaluation
from ..catalogue import Measure
from ..model.partial import is_partial, kleene, spread
from ..model.conditions import evaluate_node

IN_FORCE_LATER = 2                   # evaluation order only: see ShortCircuit._cheapest


class ShortCircuit:
    """The eligibility of each measure on an evaluation's rows, for one tax-benefit system (`system`,
    perhaps a reform; `base`: the system whose dependency map orders the conditions)."""

    def __init__(self, system, base) -> None:
        self.system = system
        self.base = base
        self._costs: dict = {}              # condition -> number of variables it reads (evaluation order)

    def eligible(self, ev: Evaluation, measure: Measure, period):
        """`<variable>__eligible` for every row of the measure's entity, evaluated condition after
        condition on the rows not yet known to fail (persons and organisations alike: each
        condition's formula runs on a view of those rows; an organisation's aggregation over its
        members reads the members of those organisations only), then put in the evaluation's
        cache. The conditions of the top-level all-of are taken cheapest first (those computed
        already, then by the number of variables they read): a three-valued conjunction does not
        depend on the order. Inside a condition node, an any-of (all-of) evaluates each further
        child only on the rows the children before it leave undecided (`_node`)."""
        key = (measure.entity, f"{measure.variable}__eligible", str(period))
        if key in ev.memo:
            return ev.memo[key]
        if measure.valid_from and str(period.stop) < measure.valid_from:
            return ev.value(f"{measure.variable}__eligible", period)
        tree = list(measure.conditions)
        window = f"{measure.variable}__in_force"
        if window in self.system.variables:
            tree = [window] + tree
        entity = measure.entity
        n = ev.count(entity)
        rows = None                                  # every row
        if entity == "person" and measure.role and measure.beneficiary == "organisation":
            rows = self._role_rows(ev, measure.role)
        value = True
        pending = list(tree)
        while pending:
            if rows is not None and not len(rows):
                break
            node = pending.pop(self._cheapest(ev, entity, pending, period))
            if rows is None and isinstance(node, str):        # the rows a first condition leaves, once
                rows, value = self._first_rows(ev, entity, node, period)
                continue
            view = self._view(ev, entity, rows) if rows is not None and len(rows) < n else ev.view(entity)
            part = _node(view, node, period)
            value = part if value is True else (value & part)
            possible = value.hi if is_partial(value) else np.asarray(value, bool)
            keep = np.flatnonzero(possible)              # (one pass: most conditions leave fewer rows)
            if len(keep) < len(possible):
                rows = keep if rows is None else rows[keep]
                value = value[keep]
            elif rows is None:
                rows = np.arange(n)
        if rows is None:
            rows = np.arange(n)
        if value is True:
            value = np.ones(len(rows), bool)
        result = spread(n, rows, value, False)
        ev.memo[key] = result
        ev.__dict__.setdefault("_jiuye_sparse", {})[key] = (rows, value)     # the rows possible and their value
        return result

    def _role_rows(self, ev, role):
        """The persons in a role (shared by the per-employee measures)."""
        cache = ev.__dict__.setdefault("_jiuye_role_rows", {})
        if role not in cache:
            cache[role] = rows = np.flatnonzero(ev.role_mask(role))
            self._share_view(ev, "person", rows)
        return cache[role]

    def _share_view(self, ev, entity, rows):
        """Rows shared by several measures (the persons in a role, the rows a first condition
        leaves): one view of them, so that what its formulas compute is computed once."""
        ev.__dict__.setdefault("_jiuye_views", {})[id(rows)] = (rows, ev.view(entity, rows))

    def _view(self, ev, entity, rows):
        shared = ev.__dict__.get("_jiuye_views", {}).get(id(rows))
        if shared is not None and shared[0] is rows and shared[1].entity_key == entity:
            return shared[1]
        return ev.view(entity, rows)

    def _first_rows(self, ev, entity, name, period):
        """A condition on every row: the rows it leaves possible and its value there (shared by
        the measures that start with it)."""
        cache = ev.__dict__.setdefault("_jiuye_first_rows", {})
        key = (entity, name, str(period))
        if key not in cache:
            value = evaluate_node(ev.view(entity), name, period)
            possible = value.hi if is_partial(value) else np.asarray(value, bool)
            rows = np.flatnonzero(possible)
            cache[key] = (rows, value[rows])
            if len(rows) < len(possible):
                self._share_view(ev, entity, rows)
        return cache[key]

    def _cheapest(self, ev, entity, nodes, period) -> int:
        """Index of the node to evaluate next: one already computed for every row, else the one
        reading the fewest variables (the first on a tie)."""
        costs = []
        first = ev.__dict__.get("_jiuye_first_rows", {})
        text = str(period)
        for i, node in enumerate(nodes):
            if isinstance(node, str):
                if (entity, node, text) in first:
                    return i
                variable = self.system.variables.get(node)
                if variable is not None and variable.entity.key == entity:
                    key = (entity, node, "eternity" if variable.definition_period == "eternity" else text)
                    if key in ev.memo:
                        return i
            cost = self._node_cost(node)
            if isinstance(node, str) and node.endswith("__in_force"):
                cost += IN_FORCE_LATER       # a validity window seldom excludes many: after as cheap ones
            costs.append(cost)
        return costs.index(min(costs))

    def _node_cost(self, node) -> int:
        if not isinstance(node, str):       # a catalogue node: by identity (kept alive here), then content
            known = self._costs.get(id(node))
            if known is not None and known[0] is node:
                return known[1]
        key = node if isinstance(node, str) else repr(node)
        cost = self._costs.get(key)
        if cost is None:
            from ..assess.dependencies import dependencies, facts_read
            from ..catalogue import condition_names
            deps = dependencies(self.base)
            names = [node] if isinstance(node, str) else condition_names([node])
            cost = self._costs[key] = sum(1 + len(facts_read(deps, self.system, name)) for name in names)
        if not isinstance(node, str):
            self._costs[id(node)] = (node, cost)
        return cost


def _node(view, node, period):
    """A condition node on a view (`jiuye.model.conditions.evaluate_node`'s value), short-circuited:
    an any-of evaluates each further child only on the rows the children before it leave not
    known to be true (an all-of: not known to be false), in the order given. Equal to the
    evaluation of every child on every row, reasons included: a row decided by an earlier child
    is decided whatever the others are (Kleene), and an open row reads every child there."""
    return evaluate_node(view, node, period, group=_short_circuited)


def _short_circuited(view, children, conjunction: bool, period):
    n = view.count
    value = None
    for child in children:
        if value is None:
            value = _node(view, child, period)
            if not is_partial(value) and np.asarray(value).dtype != np.bool_:
                value = kleene([value], n, conjunction)
            continue
        lo, hi = (value.lo, value.hi) if is_partial(value) else (np.asarray(value, bool),) * 2
        undecided = hi if conjunction else ~lo          # rows not known false (true)
        rows = np.flatnonzero(undecided)
        if not len(rows):
            break
        if len(rows) == n:
            part = _node(view, child, period)
        else:
            sub = view.restrict(rows)
            part = spread(n, rows, _node(sub, child, period), conjunction)
        value = kleene([value, part], n, conjunction)
    if value is None:
        return np.ones(n, bool) if conjunction else np.zeros(n, bool)
    return value
