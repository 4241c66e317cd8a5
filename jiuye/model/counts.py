"""A number of persons an organisation states instead of listing them (issue 12, item 3).

A per-person subsidy paid to an organisation (每人… to the provider, the employer) can also be claimed
by a stated count: the count is of the persons *not* listed as members (listed ones are paid one by
one by the per-person measure), so nobody is paid twice. The count is a formula giving 0 until it is
stated — a stated input overrides it — so the questionnaire asks it as a count
(jiuye.web.questions.is_count: an organisation's number with 人数 in its label).

A by-count measure declares its common part with one call, in its clause folder's `counted.py`:

    stated_counts(globals(), "binjiang/七", given="按人数申报：…1人及以上",
                  counts={"binjiang_7_count_trainees": "按人数申报：…人数（未逐人列出）"})

binds in the module the facts and conditions of `counted.facts.yaml` beside it (jiuye.model.declared:
the organisation's declaration `<prefix>_declared` that the counted persons meet the conditions, the
dates), each stated count, and the condition `<prefix>_given` that one or more persons are stated
(`<prefix>` is the counts' common beginning, such as `binjiang_7_count`). The module keeps only what
is its clause's own: other conditions, and the installment function.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import numpy as np
from openfisca_core.variables import Variable

from .base import MONTH, condition
from .declared import declare
from .entities import Organisation

_DOCUMENTATION = "可直接填写人数（填写值优先）；未填写为0，人员逐人列出时按每人计算。"


def stated_count(name: str, label: str, reference: str, module: str | None = None) -> type[Variable]:
    """The organisation's stated number `name` (int, per month), 0 while not stated; it belongs to
    `module` (by default the calling module: the system collects each module's variables)."""
    if "人数" not in label:
        raise ValueError(f"{name}: a stated count's label names the 人数 counted (the questionnaire asks it as a count)")

    def formula(org, period, parameters):
        return np.zeros(org.count, dtype=np.int64)
    return type(name, (Variable,), {
        "value_type": int, "entity": Organisation, "definition_period": MONTH, "label": label,
        "reference": reference, "formula": formula,
        "__module__": module or sys._getframe(1).f_globals["__name__"], "documentation": _DOCUMENTATION})


def _prefix(names: Iterable[str]) -> str:
    """The counts' common beginning up to `_count` (`heping_13_count_certified` -> `heping_13_count`)."""
    prefixes = {name[:name.index("_count_") + len("_count")] for name in names if "_count_" in name}
    if len(prefixes) != 1 or not all("_count_" in name for name in names):
        raise ValueError(f"stated counts {sorted(names)}: their names begin alike, <clause>_count_…")
    return prefixes.pop()


def stated_counts(namespace: dict, reference: str, *, counts: dict[str, str], given: str,
                  given_by: Iterable[str] | None = None, facts: str = "counted.facts.yaml") -> None:
    """Bind in `namespace` (a clause module's globals) a by-count measure's common part: the facts and
    conditions of `facts` (its YAML beside the module), each stated count `name: label` of `counts`,
    and the condition `<prefix>_given`, labelled `given`: the counts of `given_by` (by default all)
    add up to 1 or more. The declaration `<prefix>_declared` must be among the facts."""
    module = namespace["__name__"]
    prefix = _prefix(counts)
    declare(namespace, facts)
    declared = namespace.get(f"{prefix}_declared")
    if not (isinstance(declared, type) and issubclass(declared, Variable) and declared.value_type is bool):
        raise ValueError(f"{module}: {facts} declares no {prefix}_declared (the organisation's declaration that "
                         "the counted persons meet the conditions)")
    for name, label in counts.items():
        if name in namespace:
            raise ValueError(f"{module}: {name} is declared twice")
        namespace[name] = stated_count(name, label, reference, module)
    summed = tuple(given_by if given_by is not None else counts)
    if not summed or set(summed) - set(counts):
        raise ValueError(f"{module}: given_by names counts of {sorted(counts)}")

    def any_stated(org, period, parameters):
        return sum(org(name, period) for name in summed) >= 1

    name = f"{prefix}_given"
    variable = condition(Organisation, given, reference, any_stated)
    variable.__name__ = variable.__qualname__ = name
    variable.__module__ = module
    namespace[name] = variable
