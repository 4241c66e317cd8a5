"""xicheng: statuses read at the moment the text judges them (issue 9 item 2), beside
test_xicheng_moments.py (the window, elapsed time, the hukou): 社会公益性就业组织安置人员 and 本市分流职工 at the
signing of the contract (6); 本市农村劳动力 at the signing of the contract with the 输出单位, though the
subsidy is paid month by month (7). Each both ways — held at the moment and lost since, gained only
afterwards — on the moment's day and later, and which fact is asked when."""

import pytest

from ..conftest import load_example
from .helpers import node
from .test_heping_moments import missing
from .test_xicheng_moments import result


# -- (6) “用人单位与本区户籍的…社会公益性就业组织安置人员、本市分流职工…签订…劳动合同”: at the signing (2024-03-15) -----
def hired(**facts) -> dict:
    """zhang_san, hired 2024-03-15 on 36 months by xicheng_company, not registered unemployed then: only the
    group of `facts` can qualify him (the first year's 6000 due 2025-03-14)."""
    situation = load_example("xicheng/6")
    situation["persons"]["zhang_san"].update({"registered_unemployed_at_hire": False, **facts})
    return situation


@pytest.mark.parametrize("fact, today", [("public_welfare_placed", "public_welfare_placed"),
                                         ("city_diverted_worker", "city_diverted_worker")])
@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_6_group_is_judged_at_the_signing(fact, today, then, status):
    situation = hired(**{f"{fact}_at_hire": then, today: not then})
    for on in ("2024-03-15", "2026-11-23"):
        for measure, beneficiary in (("xicheng/6/employer", "xicheng_company"), ("xicheng/6/person", "zhang_san")):
            found = result(situation, on, measure, beneficiary)
            assert node(found["conditions"], f"xicheng_6_{fact}")["result"] is then
            assert found["status"] == status


def test_6_statuses_at_the_signing_asked_only_where_they_decide():
    plain = load_example("xicheng/6")                       # registered unemployed when hired: qualifies without them
    for name in ("public_welfare_placed_at_hire", "city_diverted_worker_at_hire"):
        del plain["persons"]["zhang_san"][name]
    found = result(plain, "2026-11-23", "xicheng/6/employer", "xicheng_company")
    assert found["status"] == "eligible" and not missing(found) & {"public_welfare_placed_at_hire",
                                                                   "city_diverted_worker_at_hire"}
    situation = hired()
    for name in ("public_welfare_placed_at_hire", "city_diverted_worker_at_hire"):
        del situation["persons"]["zhang_san"][name]
    found = result(situation, "2026-11-23", "xicheng/6/employer", "xicheng_company")
    assert found["status"] == "undetermined"
    assert missing(found) == {"public_welfare_placed_at_hire", "city_diverted_worker_at_hire"}


# -- (7) “安排本市农村劳动力实现稳定就业的，在劳动合同履行期限内，按照每人每月1000元”: at the signing (2025-03-01) ----
def placed(**facts) -> dict:
    situation = load_example("xicheng/7")
    situation["persons"]["wang_wu"].update(facts)
    return situation


@pytest.mark.parametrize("then, today, status", [(True, False, "eligible"), (False, True, "ineligible")])
def test_7_rural_labour_is_judged_at_the_signing_not_in_the_month_paid(then, today, status):
    """A 农村劳动力 when the unit placed him, not one since (settled in town): paid for every month of the
    contract; one only since: not — in the first month and 20 months on."""
    for on in ("2025-03-31", "2026-11-23"):
        found = result(placed(rural_labour_at_hire=then, rural_labour=today), on, "xicheng/7", "rural_labour_exporter")
        assert node(found["conditions"], "xicheng_7_city_rural_labour")["result"] is then
        assert found["status"] == status


@pytest.mark.parametrize("moved_in, holds", [("2025-02-28", True), ("2025-03-01", True), ("2025-03-02", False)])
def test_7_city_hukou_on_the_signing_day(moved_in, holds):
    """本市户籍 on the signing day (2025-03-01): a hukou moved into 密云区 from outside Beijing the day before or
    on the day counts, the day after does not."""
    situation = placed(hukou_moved_in_date=moved_in, previous_hukou_district="other")
    found = result(situation, "2026-11-23", "xicheng/7", "rural_labour_exporter")
    assert node(found["conditions"], "xicheng_7_city_rural_labour")["result"] is holds


def test_7_rural_labour_at_the_signing_not_given_is_asked():
    situation = placed()
    del situation["persons"]["wang_wu"]["rural_labour_at_hire"]
    found = result(situation, "2026-11-23", "xicheng/7", "rural_labour_exporter")
    assert found["status"] == "undetermined" and missing(found) == {"rural_labour_at_hire"}
