"""居民身份证号码 (GB 11643, ISO 7064 MOD 11-2) and 统一社会信用代码 (GB 32100-2015) validation, masking."""

import datetime as dt

import pytest

from jiuye.ledger.errors import InvalidInput
from jiuye.ledger.ids import (id_check_char, make_id_number, make_uscc, mask_id, uscc_check_char, validate_id_number,
                              validate_uscc)


def test_published_id_number_with_x_check():
    # the standard's worked example: 11010519491231002X (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
    # sum mod 11 = 2 -> "X")
    assert validate_id_number("11010519491231002x") == "11010519491231002X"
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize("number, reason", [
    ("1101051949123100", "18"),                 # too short
    ("110105194912310021", "校验码"),            # wrong check digit (should be X)
    ("11010519491331002X", "出生日期"),          # month 13
    ("11010518991231002X", "出生日期"),          # before 1900
    ("99010519491231002X", "行政区划"),          # no province 99
    ("11010519491231O02X", "数字"),              # a letter O inside
])
def test_invalid_id_numbers_name_the_reason(number, reason):
    with pytest.raises(InvalidInput) as error:
        validate_id_number(number, "id_number")
    assert error.value.field == "id_number"
    assert reason in error.value.message


def test_birth_date_in_the_future_is_implausible():
    number = make_id_number("110102", dt.date(2030, 1, 1), 1)
    with pytest.raises(InvalidInput, match="不合理"):
        validate_id_number(number, today=dt.date(2026, 1, 1))


def test_generated_numbers_validate():
    for seq in range(50):
        validate_id_number(make_id_number("310104", dt.date(1980, 2, 29), seq))


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "914403001922038216",
                                  "9144030071526726XG"])
def test_published_credit_codes(code):
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize("code, reason", [
    ("91350100M000100Y4", "18"),
    ("91350100M000100Y44", "校验码"),
    ("91350100M0001O0Y43", "非法字符"),         # O is not used
    ("01350100M000100Y43", "登记管理部门"),
    ("913501A0M000100Y43", "行政区划"),
])
def test_invalid_credit_codes(code, reason):
    with pytest.raises(InvalidInput) as error:
        validate_uscc(code, "uscc")
    assert error.value.field == "uscc" and reason in error.value.message


def test_make_uscc_check_character():
    code = make_uscc("91", "110102", "MA01ABCD2")
    assert code[-1] == uscc_check_char(code[:17]) and validate_uscc(code) == code


def test_mask_keeps_region_and_last_four():
    assert mask_id("110101199003071234") == "110101********1234"
    assert mask_id(None) is None
