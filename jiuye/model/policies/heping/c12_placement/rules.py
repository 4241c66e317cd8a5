"""heping （十二） 加强托底安置就业: on a selected service post the host gets the post's 社保补贴 and 岗位补贴 (set by
the city) and, on top, at most 1000 a month for at most 3 years; 公益性岗位: 五项社保补贴 and 岗位补贴 for at
most 3 years or to retirement.
"""

import numpy as np

from jiuye.model.base import installments, named
from jiuye.model.declared import declare

from ..common import contract_subsidy_end, contract_subsidy_months, heping_parameters, monthly

declare(globals())


# =================================================================================================
# （十二） 加强托底安置就业
# =================================================================================================


@installments("heping/十二/service_post")
def service_post_allowance(person, period, parameters):
    """Each completed month of the placement within the contract, at most 36: the approved amount up to
    1000, or 1000 as a ceiling when the approved amount is not given."""
    p = heping_parameters(person, period).c12
    cap = float(p.service_post_monthly_max)
    approved = person("heping_12_approved_monthly_amount", period)
    unknown = np.isnan(approved)
    amount = np.where(unknown, cap, np.minimum(np.where(unknown, 0.0, approved), cap))
    start = person("contract_start_date", period)
    months = int(round(12 * p.service_post_years))
    inst = monthly(start, person("contract_end_date", period), months, amount)
    inst.ceiling[:] = unknown[:, None]
    return inst


_public_welfare_end = contract_subsidy_end("c12", "public_welfare_years")

_service_post_subsidy_end = contract_subsidy_end("c12", "service_post_years")


_public_welfare = contract_subsidy_months("c12", "public_welfare_years", "heping_12_public_welfare_end")
_service_post_base = contract_subsidy_months("c12", "service_post_years", "heping_12_service_post_subsidy_end")
installments("heping/十二/public_welfare_si")(_public_welfare)
installments("heping/十二/public_welfare_post")(_public_welfare)
installments("heping/十二/service_post_si")(_service_post_base)
installments("heping/十二/service_post_post")(_service_post_base)


named(globals())
