"""Strict facts in the ledger (issue 9, item 3): a claim whose situation gives a boolean fact as "否"
(which Python reads as true) is refused naming the field, and nothing is stored — the 27,000元 claim of
the issue was recorded that way."""

import pytest

from jiuye.ledger.errors import InvalidInput

from .conftest import submit_x6, x6


@pytest.mark.parametrize("value", ["否", "false", "no", "0", 0])
def test_a_claim_with_a_boolean_given_as_a_string_is_refused_and_not_stored(ledger, people, value):
    situation = x6()
    situation["persons"]["zhang_san"]["social_insurance_paid"] = value
    with pytest.raises(InvalidInput) as refused:
        submit_x6(ledger, people, situation=situation)
    assert "social_insurance_paid" in (refused.value.field or "")
    assert "true（是）或 false（否）" in refused.value.message
    assert ledger.list_applications(people.admin) == []
    submit_x6(ledger, people)                              # the same claim with JSON true is recorded
    assert len(ledger.list_applications(people.admin)) == 1
