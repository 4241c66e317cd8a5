"""A number of persons an organisation states instead of listing them (issue 12, item 3).

A per-person subsidy paid to an organisation (每人… to the provider, the employer) can also be claimed
by a stated count: the count is of the persons *not* listed as members (listed ones are paid one by
one by the per-person measure), so nobody is paid twice. The count is a formula giving 0 until it is
stated — a stated input overrides it — so the questionnaire asks it as a count
(jiuye.web.questions.is_count: an organisation's number with 人数 in its label).

    binjiang_7_count_trainees = stated_count("binjiang_7_count_trainees", "按人数申报：…人数（未逐人列出）",
                                             "binjiang/七")
"""

from __future__ import annotations

import sys

import numpy as np
from openfisca_core.variables import Variable

from .base import MONTH
from .entities import Organisation


def stated_count(name: str, label: str, reference: str) -> type[Variable]:
    """The organisation's stated number `name` (int, per month), 0 while not stated; it belongs to the
    calling module (the system collects each module's variables)."""
    def formula(org, period, parameters):
        return np.zeros(org.count, dtype=np.int64)
    return type(name, (Variable,), {
        "value_type": int, "entity": Organisation, "definition_period": MONTH, "label": label,
        "reference": reference, "formula": formula, "__module__": sys._getframe(1).f_globals["__name__"],
        "documentation": "可直接填写人数（填写值优先）；未填写为0，人员逐人列出时按每人计算。"})
