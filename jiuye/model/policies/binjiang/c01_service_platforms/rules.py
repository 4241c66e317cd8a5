"""（一）加强基层服务平台建设 (binjiang/一): yearly grants by assessment — streets at most 500000 a year
*including* what the street gives its filed community centres (each at most 150000: “其中……由街道……给予”,
one cap for the street area), filed industry-platform centres at most 300000; 150000 a year to the street
for an accepted gig market.
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, installments, named, only_if
from jiuye.model.entities import Organisation
from jiuye.model.declared import declare

from ..common import in_force_year, system_params, up_to, year_end

declare(globals())


binjiang_1_year_in_force = in_force_year(
    Organisation, "每年（补贴所属年度已给出，且在本意见施行之后结束）", "binjiang/一", "binjiang_1_year")


def _accepted_in_time(org, period, parameters):
    accepted = org("binjiang_1_gig_market_acceptance_date", period)
    year = org("binjiang_1_year", period)
    return (accepted <= assessment_day(org, period)) & (accepted <= year_end(year))


def _yearly(org, period, cap, assessed: bool = True, amount=None) -> Installments:
    """One installment on 31 December of the grant's year: the assessed amount up to `cap`, or `cap`
    as a ceiling when the assessed amount is not given. `amount`: (amount, ceiling) already worked out."""
    year = org("binjiang_1_year", period)
    due = only_if(year > 0, year_end(year))
    if not assessed:
        return Installments.stack([(due, cap)])
    own, ceiling = amount or up_to(org("binjiang_1_assessed_amount", period), cap)
    return Installments.stack([(due, own, ceiling)])


@installments("binjiang/一/street")
def street_grant(org, period, parameters):
    """“给予街道每年最高50万元，其中……社区就业创业服务中心由街道……给予补贴，最高15万元”: one cap for the
    street area. The communities' centres are paid first out of the 500000; the street's own part is its
    assessed amount up to what remains. Not knowing the communities' share, the remainder is a ceiling."""
    cap = system_params(org, period).c01.street_max
    # what remains of the 500000 once the communities' centres are paid; not given: at most all of it
    remaining, share_unknown = up_to(cap - org("binjiang_1_community_centre_grants", period), cap)
    own, not_assessed = up_to(org("binjiang_1_assessed_amount", period), np.maximum(remaining, 0.0))
    return _yearly(org, period, cap, amount=(own, not_assessed | share_unknown))


@installments("binjiang/一/community")
def community_centre_grant(org, period, parameters):
    return _yearly(org, period, system_params(org, period).c01.community_centre_max)


@installments("binjiang/一/industry_platform")
def industry_platform_grant(org, period, parameters):
    return _yearly(org, period, system_params(org, period).c01.industry_platform_max)


@installments("binjiang/一/gig_market")
def gig_market_funding(org, period, parameters):
    return _yearly(org, period, system_params(org, period).c01.gig_market_funding, assessed=False)


named(globals())
